//! Upgrading an IDL 1.0 document to 2.0 semantics, as Smithy does when it loads a
//! 1.0 model:
//!
//! - `set` shapes become `list` shapes with `@uniqueItems`;
//! - numeric and boolean shapes without `@box` were "primitive" in 1.0: they get
//!   `@default(0)` (`false` for booleans);
//! - structure members that target a primitive shape (one of those, or a prelude
//!   `Primitive*` shape) get the same `@default`, unless the member has `@box` or a
//!   default already.
//!
//! - a structure member with `@box` gets `@default(null)` (it was nullable in 1.0);
//! - a structure member that targets a `@streaming` blob and is not `@required` gets
//!   `@default("")` (2.0 asks such a member to be one or the other);
//! - `@box` itself is left out: in 2.0 it is a synthetic trait, never written.
//!
//! Only shapes of the same document are looked at for the member rules (targets in
//! other files are not known here).

use serde_json::{json, Map, Value};
use std::collections::HashMap;

const BOX: &str = "smithy.api#box";
const DEFAULT: &str = "smithy.api#default";

fn zero_for_type(t: &str) -> Option<Value> {
    match t {
        "boolean" => Some(json!(false)),
        "byte" | "short" | "integer" | "long" | "float" | "double" => Some(json!(0)),
        _ => None,
    }
}

fn zero_for_prelude(id: &str) -> Option<Value> {
    match id {
        "smithy.api#PrimitiveBoolean" => Some(json!(false)),
        "smithy.api#PrimitiveByte"
        | "smithy.api#PrimitiveShort"
        | "smithy.api#PrimitiveInteger"
        | "smithy.api#PrimitiveLong"
        | "smithy.api#PrimitiveFloat"
        | "smithy.api#PrimitiveDouble" => Some(json!(0)),
        _ => None,
    }
}

/// Whether a shape or member of a JSON AST document has the trait.
pub(crate) fn has_trait(shape: &Value, name: &str) -> bool {
    shape.get("traits").and_then(|t| t.get(name)).is_some()
}

/// Adds a trait to a shape or member of a JSON AST document, unless it has that trait.
pub(crate) fn add_trait(shape: &mut Map<String, Value>, name: &str, value: Value) {
    let traits = shape
        .entry("traits")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(t) = traits {
        t.entry(name.to_string()).or_insert(value);
    }
}

/// Rewrites a 1.0 JSON AST document (`{"smithy": "1.0", "shapes": ...}`) with 2.0
/// semantics in place. Documents of other versions are left alone.
pub fn upgrade_v1(doc: &mut Value) {
    let is_v1 = doc
        .get("smithy")
        .and_then(Value::as_str)
        .is_some_and(|v| v == "1" || v.starts_with("1."));
    if !is_v1 {
        return;
    }
    if let Some(v) = doc.get_mut("smithy") {
        *v = Value::String("2.0".into());
    }
    let Some(Value::Object(shapes)) = doc.get_mut("shapes") else {
        return;
    };
    let mut primitive: HashMap<String, Value> = HashMap::new();
    let mut streaming_blobs: Vec<String> = Vec::new();
    for (id, shape) in shapes.iter() {
        let t = shape.get("type").and_then(Value::as_str).unwrap_or("");
        if let Some(z) = zero_for_type(t) {
            if !has_trait(shape, BOX) {
                primitive.insert(id.clone(), z);
            }
        }
        if t == "blob" && has_trait(shape, "smithy.api#streaming") {
            streaming_blobs.push(id.clone());
        }
    }
    for (id, shape) in shapes.iter_mut() {
        let Value::Object(obj) = shape else { continue };
        let t = obj
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if t == "set" {
            obj.insert("type".into(), Value::String("list".into()));
            add_trait(obj, "smithy.api#uniqueItems", json!({}));
        }
        if let Some(z) = primitive.get(id) {
            if obj.get("traits").and_then(|t| t.get(DEFAULT)).is_none() {
                add_trait(obj, DEFAULT, z.clone());
            }
        }
        if t == "structure" {
            if let Some(Value::Object(members)) = obj.get_mut("members") {
                for m in members.values_mut() {
                    let target = m.get("target").and_then(Value::as_str).unwrap_or("");
                    let zero = zero_for_prelude(target).or_else(|| primitive.get(target).cloned());
                    let default = if has_trait(m, DEFAULT) {
                        None
                    } else if has_trait(m, BOX) {
                        Some(Value::Null)
                    } else if streaming_blobs.iter().any(|b| b == target)
                        && !has_trait(m, "smithy.api#required")
                    {
                        Some(json!(""))
                    } else {
                        zero
                    };
                    if let (Some(d), Value::Object(mo)) = (default, m) {
                        add_trait(mo, DEFAULT, d);
                    }
                }
            }
        }
    }
    for shape in shapes.values_mut() {
        drop_box(shape);
        for key in ["member", "key", "value"] {
            if let Some(m) = shape.get_mut(key) {
                drop_box(m);
            }
        }
        if let Some(Value::Object(members)) = shape.get_mut("members") {
            members.values_mut().for_each(drop_box);
        }
    }
}

/// Leaves `@box` out of a shape or member (and an emptied `traits` with it).
fn drop_box(shape: &mut Value) {
    let Value::Object(obj) = shape else {
        return;
    };
    if let Some(Value::Object(traits)) = obj.get_mut("traits") {
        traits.remove(BOX);
        if traits.is_empty() {
            obj.remove("traits");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upgrades_sets_and_primitives() {
        let mut doc = json!({"smithy": "1.0", "shapes": {
            "a#S": {"type": "set", "member": {"target": "smithy.api#String"}},
            "a#I": {"type": "integer"},
            "a#B": {"type": "integer", "traits": {"smithy.api#box": {}}},
            "a#T": {"type": "structure", "members": {
                "i": {"target": "a#I"}, "b": {"target": "a#B"},
                "p": {"target": "smithy.api#PrimitiveBoolean"},
                "boxed": {"target": "smithy.api#PrimitiveInteger", "traits": {"smithy.api#box": {}}},
                "payload": {"target": "a#Stream"},
                "needed": {"target": "a#Stream", "traits": {"smithy.api#required": {}}}}},
            "a#Stream": {"type": "blob", "traits": {"smithy.api#streaming": {}}}
        }});
        upgrade_v1(&mut doc);
        assert_eq!(doc["smithy"], "2.0");
        assert_eq!(doc["shapes"]["a#S"]["type"], "list");
        assert_eq!(doc["shapes"]["a#I"]["traits"][DEFAULT], 0);
        assert!(
            doc["shapes"]["a#B"].get("traits").is_none(),
            "box is left out"
        );
        assert_eq!(doc["shapes"]["a#T"]["members"]["i"]["traits"][DEFAULT], 0);
        assert!(doc["shapes"]["a#T"]["members"]["b"].get("traits").is_none());
        assert_eq!(
            doc["shapes"]["a#T"]["members"]["boxed"]["traits"],
            json!({DEFAULT: null})
        );
        assert_eq!(
            doc["shapes"]["a#T"]["members"]["payload"]["traits"][DEFAULT],
            ""
        );
        assert!(doc["shapes"]["a#T"]["members"]["needed"]["traits"]
            .get(DEFAULT)
            .is_none());
        assert_eq!(
            doc["shapes"]["a#T"]["members"]["p"]["traits"][DEFAULT],
            false
        );
    }
}
