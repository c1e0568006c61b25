//! Models whose chains are long or deep: nested lists and maps, mixins of mixins and
//! long chains of structures are refused with a message past the documented limits,
//! and otherwise generate, without overflowing a thread's stack.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use codegen::{generate, Layout, Options};
use serde_json::{json, Map, Value};

fn layout() -> Layout {
    Layout {
        runtime_path: "../../runtime".to_string(),
        workspace: false,
        test_deps: false,
    }
}

/// The `types` module generated from `model`.
fn types_of(model: &[u8]) -> String {
    generate(model, &Options::default(), &layout())
        .unwrap()
        .files
        .into_iter()
        .find(|(f, _)| f.ends_with("src/types.rs"))
        .map(|(_, c)| c)
        .unwrap()
}

/// A service with one operation whose input has a member `m` targeting `target`, and
/// `shapes` besides.
fn model(target: &str, shapes: Map<String, Value>) -> Vec<u8> {
    let mut all = Map::new();
    all.insert(
        "ex#Svc".into(),
        json!({"type": "service", "version": "1", "operations": [{"target": "ex#Op"}],
               "traits": {"aws.protocols#awsJson1_0": {}, "aws.api#service": {"sdkId": "Svc"},
                          "aws.auth#sigv4": {"name": "svc"}}}),
    );
    all.insert(
        "ex#Op".into(),
        json!({"type": "operation", "input": {"target": "ex#In"}, "output": {"target": "smithy.api#Unit"}}),
    );
    all.insert(
        "ex#In".into(),
        json!({"type": "structure", "members": {"m": {"target": target}}, "traits": {"smithy.api#input": {}}}),
    );
    all.extend(shapes);
    serde_json::to_vec(&json!({"smithy": "2.0", "shapes": all})).unwrap()
}

/// Lists of lists, `depth` of them, alternating with maps, around a string.
fn nested(depth: usize) -> Vec<u8> {
    let mut shapes = Map::new();
    for i in 0..depth {
        let inner = if i + 1 == depth {
            "smithy.api#String".to_string()
        } else {
            format!("ex#C{}", i + 1)
        };
        let shape = if i % 2 == 0 {
            json!({"type": "list", "member": {"target": inner}})
        } else {
            json!({"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": inner}})
        };
        shapes.insert(format!("ex#C{i}"), shape);
    }
    model("ex#C0", shapes)
}

#[test]
fn lists_and_maps_nest_up_to_the_limit_and_no_deeper() {
    let limit = codegen::validate::MAX_COLLECTION_NESTING;
    let types = types_of(&nested(limit));
    // The type, printed over many lines, ends in the string.
    assert!(types.contains("::std::collections::HashMap<String, String>"));
    let err = generate(&nested(limit + 1), &Options::default(), &layout())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!(
            "ex#C0: lists and maps nest more than {limit} deep here"
        )),
        "{err}"
    );
    // Reported once, at the outermost shape.
    assert_eq!(err.matches("nest more than").count(), 1, "{err}");
    // Far deeper is the same error, not a stack overflow.
    assert!(generate(&nested(5000), &Options::default(), &layout()).is_err());
}

/// `ex#C0` has mixin `ex#C1`, which has mixin `ex#C2`, ..., each adding a member.
fn mixin_chain(length: usize) -> Vec<u8> {
    let mut shapes = Map::new();
    for i in 0..=length {
        let mut shape = json!({"type": "structure",
            "members": {format!("m{i}"): {"target": "smithy.api#String"}}});
        if i > 0 {
            shape["traits"] = json!({"smithy.api#mixin": {}});
        }
        if i < length {
            shape["mixins"] = json!([{"target": format!("ex#C{}", i + 1)}]);
        }
        shapes.insert(format!("ex#C{i}"), shape);
    }
    model("ex#C0", shapes)
}

#[test]
fn mixins_nest_up_to_the_limit_and_no_deeper() {
    let limit = codegen::model::MAX_MIXIN_DEPTH;
    let types = types_of(&mixin_chain(limit - 1));
    assert!(types.contains(&format!("pub m{}: Option<String>", limit - 1)));
    let err = generate(&mixin_chain(20_000), &Options::default(), &layout())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!(
            "mixins of mixins nest more than {limit} deep here"
        )),
        "{err}"
    );
}

#[test]
fn long_chains_of_structures_generate() {
    // C0 -> C1 -> ... -> C9999, the last back to C0 (a cycle: every link is boxed), and
    // a chain of required members that ends (no cycle: none is refused).
    let n = 10_000;
    let mut shapes = Map::new();
    for i in 0..n {
        let next = format!("ex#C{}", (i + 1) % n);
        shapes.insert(
            format!("ex#C{i}"),
            json!({"type": "structure", "members": {"next": {"target": next}}}),
        );
        let next = if i + 1 < n {
            format!("ex#R{}", i + 1)
        } else {
            "smithy.api#String".to_string()
        };
        shapes.insert(
            format!("ex#R{i}"),
            json!({"type": "structure", "members": {"next": {"target": next, "traits": {"smithy.api#required": {}}}}}),
        );
    }
    shapes.insert(
        "ex#Both".into(),
        json!({"type": "structure", "members": {"c": {"target": "ex#C0"}, "r": {"target": "ex#R0"}}}),
    );
    let types = types_of(&model("ex#Both", shapes));
    assert!(types.contains("pub next: Option<Box<crate::types::C0>>"));
    assert!(types.contains("pub next: Option<Box<crate::types::C5000>>"));
    assert!(types.contains("pub next: crate::types::R1,"));
    assert!(
        !types.contains("Box<crate::types::R"),
        "a chain that ends needs no box"
    );
}
