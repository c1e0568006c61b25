//! The JSON AST layer: reads a Smithy 2.0 JSON AST into shapes, adds the prelude,
//! copies mixins in and applies `apply` blocks. It resolves nothing else; checking
//! targets and traits is [`crate::validate`]'s job.

use crate::error::{Diagnostic, Error, Result};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Traits of a shape or member, by absolute trait shape id.
pub type Traits = BTreeMap<String, Value>;

/// A member of an aggregate shape, a list or a map.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The member name, as written in the model.
    pub name: String,
    /// The absolute id of the targeted shape.
    pub target: String,
    /// The member's own traits.
    pub traits: Traits,
    /// Where the member is in the JSON document.
    pub path: String,
}

/// The simple shape types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Simple {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
}

/// A service shape.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Service {
    /// The service's version string.
    pub version: Option<String>,
    /// Operations bound directly to the service.
    pub operations: Vec<String>,
    /// Resources bound to the service.
    pub resources: Vec<String>,
    /// Errors every operation of the service can return.
    pub errors: Vec<String>,
    /// Shape renames that give conflicting names a unique name in this service.
    pub rename: BTreeMap<String, String>,
}

/// A resource shape: only what binds operations matters to a client.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resource {
    /// Every operation the resource binds: lifecycle, instance and collection operations.
    pub operations: Vec<String>,
    /// Child resources.
    pub resources: Vec<String>,
}

/// An operation shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The input structure (`smithy.api#Unit` when there is none).
    pub input: String,
    /// The output structure (`smithy.api#Unit` when there is none).
    pub output: String,
    /// The errors the operation can return.
    pub errors: Vec<String>,
}

/// What kind of shape, with the parts that kind has.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub enum Kind {
    Simple(Simple),
    List { member: Member },
    Map { key: Member, value: Member },
    Structure { members: Vec<Member> },
    Union { members: Vec<Member> },
    Enum { members: Vec<Member> },
    IntEnum { members: Vec<Member> },
    Service(Service),
    Resource(Resource),
    Operation(Operation),
}

impl Kind {
    /// A string or an enum: what Smithy's selectors call `string`.
    pub fn is_string(&self) -> bool {
        matches!(self, Kind::Simple(Simple::String) | Kind::Enum { .. })
    }

    /// A boolean, number, string (or enum) or timestamp: what a URI label, a query
    /// parameter or a header carries.
    pub fn is_http_scalar(&self) -> bool {
        self.is_string()
            || matches!(
                self,
                Kind::Simple(
                    Simple::Boolean
                        | Simple::Byte
                        | Simple::Short
                        | Simple::Integer
                        | Simple::Long
                        | Simple::Float
                        | Simple::Double
                        | Simple::BigInteger
                        | Simple::BigDecimal
                        | Simple::Timestamp
                ) | Kind::IntEnum { .. }
            )
    }

    /// The name the Smithy spec gives this kind of shape.
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Simple(s) => match s {
                Simple::Blob => "blob",
                Simple::Boolean => "boolean",
                Simple::String => "string",
                Simple::Byte => "byte",
                Simple::Short => "short",
                Simple::Integer => "integer",
                Simple::Long => "long",
                Simple::Float => "float",
                Simple::Double => "double",
                Simple::BigInteger => "bigInteger",
                Simple::BigDecimal => "bigDecimal",
                Simple::Timestamp => "timestamp",
                Simple::Document => "document",
            },
            Kind::List { .. } => "list",
            Kind::Map { .. } => "map",
            Kind::Structure { .. } => "structure",
            Kind::Union { .. } => "union",
            Kind::Enum { .. } => "enum",
            Kind::IntEnum { .. } => "intEnum",
            Kind::Service(_) => "service",
            Kind::Resource(_) => "resource",
            Kind::Operation(_) => "operation",
        }
    }

    /// The members of the shape, in model order (list member, map key and value included).
    pub fn members(&self) -> Vec<&Member> {
        match self {
            Kind::List { member } => vec![member],
            Kind::Map { key, value } => vec![key, value],
            Kind::Structure { members }
            | Kind::Union { members }
            | Kind::Enum { members }
            | Kind::IntEnum { members } => members.iter().collect(),
            _ => Vec::new(),
        }
    }

    fn members_mut(&mut self) -> Vec<&mut Member> {
        match self {
            Kind::List { member } => vec![member],
            Kind::Map { key, value } => vec![key, value],
            Kind::Structure { members }
            | Kind::Union { members }
            | Kind::Enum { members }
            | Kind::IntEnum { members } => members.iter_mut().collect(),
            _ => Vec::new(),
        }
    }
}

/// One shape of the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The absolute shape id.
    pub id: String,
    /// The kind of shape and its parts.
    pub kind: Kind,
    /// The shape's traits (mixins' traits included).
    pub traits: Traits,
    /// Where the shape is in the JSON document (`prelude` for prelude shapes).
    pub path: String,
}

impl Shape {
    /// Whether the shape has the trait.
    pub fn has(&self, t: &str) -> bool {
        self.traits.contains_key(t)
    }

    /// The shape's name: its id without the namespace.
    pub fn name(&self) -> &str {
        shape_name(&self.id)
    }
}

/// A loaded model: every shape by absolute id, prelude included.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Model {
    /// The shapes, ordered by id.
    pub shapes: BTreeMap<String, Shape>,
}

/// The name part of an absolute shape id (`ns#Name` gives `Name`).
pub fn shape_name(id: &str) -> &str {
    let name = id.split_once('#').map_or(id, |(_, n)| n);
    name.split_once('$').map_or(name, |(n, _)| n)
}

/// The namespace of the prelude.
pub const PRELUDE: &str = "smithy.api";

/// How deep mixins of mixins may nest.
pub const MAX_MIXIN_DEPTH: usize = 256;

/// The JSON path of a key inside the object at `path`: `.key`, or `["key"]` when the
/// key is not a plain identifier.
pub fn json_path_key(path: &str, key: &str) -> String {
    json_key(path, key)
}

pub(crate) fn json_key(path: &str, key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", Value::String(key.to_string()))
    }
}

/// Whether `s` is a Smithy identifier: a letter or `_` first, then letters, digits and
/// `_`, not only underscores.
pub(crate) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && s.chars().any(|c| c != '_')
}

/// Whether `id` is a syntactically valid absolute shape id, without a member part.
pub fn is_shape_id(id: &str) -> bool {
    match id.split_once('#') {
        Some((ns, name)) => ns.split('.').all(is_identifier) && is_identifier(name),
        None => false,
    }
}

struct Reader {
    problems: Vec<Diagnostic>,
}

impl Reader {
    fn problem(&mut self, subject: &str, path: &str, message: impl Into<String>) {
        self.problems
            .push(Diagnostic::new(subject, path, message.into()));
    }

    fn object<'v>(
        &mut self,
        v: &'v Value,
        subject: &str,
        path: &str,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(o) => Some(o),
            other => {
                self.problem(
                    subject,
                    path,
                    format!("{what} must be a JSON object, found {}", kind_of(other)),
                );
                None
            }
        }
    }

    fn string(&mut self, v: &Value, subject: &str, path: &str, what: &str) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            other => {
                self.problem(
                    subject,
                    path,
                    format!("{what} must be a string, found {}", kind_of(other)),
                );
                None
            }
        }
    }

    fn target(&mut self, v: &Value, subject: &str, path: &str, what: &str) -> Option<String> {
        let o = self.object(v, subject, path, what)?;
        match o.get("target") {
            Some(t) => {
                let target = self.string(t, subject, &json_key(path, "target"), "`target`")?;
                if is_shape_id(&target) {
                    Some(target)
                } else {
                    self.problem(
                        subject,
                        &json_key(path, "target"),
                        format!("`{target}` is not an absolute shape id (`namespace#Name`)"),
                    );
                    None
                }
            }
            None => {
                self.problem(subject, path, format!("{what} has no `target`"));
                None
            }
        }
    }

    fn targets(&mut self, v: Option<&Value>, subject: &str, path: &str, what: &str) -> Vec<String> {
        let Some(v) = v else { return Vec::new() };
        match v {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| self.target(item, subject, &format!("{path}[{i}]"), what))
                .collect(),
            other => {
                self.problem(
                    subject,
                    path,
                    format!(
                        "{what} must be a list of `{{\"target\": ...}}` objects, found {}",
                        kind_of(other)
                    ),
                );
                Vec::new()
            }
        }
    }

    fn traits(&mut self, v: Option<&Value>, subject: &str, path: &str) -> Traits {
        let mut traits = Traits::new();
        let Some(v) = v else { return traits };
        let Some(o) = self.object(v, subject, path, "`traits`") else {
            return traits;
        };
        for (k, v) in o {
            if is_shape_id(k) {
                traits.insert(k.clone(), v.clone());
            } else {
                self.problem(
                    subject,
                    &json_key(path, k),
                    format!("trait name `{k}` is not an absolute shape id"),
                );
            }
        }
        traits
    }

    fn member(&mut self, v: &Value, owner: &str, name: &str, path: &str) -> Option<Member> {
        let subject = format!("{owner}${name}");
        if !is_identifier(name) {
            self.problem(
                &subject,
                path,
                format!("member name `{name}` is not a Smithy identifier"),
            );
            return None;
        }
        let o = self.object(v, &subject, path, "a member")?;
        let traits = self.traits(o.get("traits"), &subject, &json_key(path, "traits"));
        let target = self.target(v, &subject, path, "a member")?;
        Some(Member {
            name: name.to_string(),
            target,
            traits,
            path: path.to_string(),
        })
    }

    fn members(&mut self, o: &Map<String, Value>, owner: &str, path: &str) -> Vec<Member> {
        let Some(v) = o.get("members") else {
            return Vec::new();
        };
        let mpath = json_key(path, "members");
        let Some(ms) = self.object(v, owner, &mpath, "`members`") else {
            return Vec::new();
        };
        let mut seen = BTreeMap::new();
        let mut out = Vec::new();
        for (name, m) in ms {
            let p = json_key(&mpath, name);
            if let Some(prev) = seen.insert(name.to_ascii_lowercase(), name.clone()) {
                self.problem(
                    &format!("{owner}${name}"),
                    &p,
                    format!("member names must be unique ignoring case, and `{prev}` is already a member"),
                );
                continue;
            }
            if let Some(m) = self.member(m, owner, name, &p) {
                out.push(m);
            }
        }
        out
    }

    fn shape(&mut self, id: &str, v: &Value, path: &str) -> Option<(Shape, Vec<String>)> {
        let o = self.object(v, id, path, "a shape")?;
        let Some(ty) = o.get("type") else {
            self.problem(id, path, "the shape has no `type`");
            return None;
        };
        let ty = self.string(ty, id, &json_key(path, "type"), "`type`")?;
        let traits = self.traits(o.get("traits"), id, &json_key(path, "traits"));
        let mixins = self.targets(o.get("mixins"), id, &json_key(path, "mixins"), "`mixins`");
        let has_mixins = !mixins.is_empty();
        let one = |r: &mut Self, key: &str| -> Option<Member> {
            match o.get(key) {
                Some(m) => r.member(m, id, key, &json_key(path, key)),
                // Left to come from a mixin: a member without a target until then
                // (one still without a target after mixins is a problem).
                None if has_mixins => Some(Member {
                    name: key.to_string(),
                    target: String::new(),
                    traits: Traits::new(),
                    path: path.to_string(),
                }),
                None => {
                    r.problem(id, path, format!("a {ty} shape needs `{key}`"));
                    None
                }
            }
        };
        let kind = match ty.as_str() {
            "blob" => Kind::Simple(Simple::Blob),
            "boolean" => Kind::Simple(Simple::Boolean),
            "string" => Kind::Simple(Simple::String),
            "byte" => Kind::Simple(Simple::Byte),
            "short" => Kind::Simple(Simple::Short),
            "integer" => Kind::Simple(Simple::Integer),
            "long" => Kind::Simple(Simple::Long),
            "float" => Kind::Simple(Simple::Float),
            "double" => Kind::Simple(Simple::Double),
            "bigInteger" => Kind::Simple(Simple::BigInteger),
            "bigDecimal" => Kind::Simple(Simple::BigDecimal),
            "timestamp" => Kind::Simple(Simple::Timestamp),
            "document" => Kind::Simple(Simple::Document),
            "list" | "set" => Kind::List {
                member: one(self, "member")?,
            },
            "map" => {
                let key = one(self, "key");
                let value = one(self, "value");
                Kind::Map {
                    key: key?,
                    value: value?,
                }
            }
            "structure" => Kind::Structure {
                members: self.members(o, id, path),
            },
            "union" => Kind::Union {
                members: self.members(o, id, path),
            },
            "enum" => Kind::Enum {
                members: self.members(o, id, path),
            },
            "intEnum" => Kind::IntEnum {
                members: self.members(o, id, path),
            },
            "operation" => {
                let input = match o.get("input") {
                    Some(v) => self.target(v, id, &json_key(path, "input"), "`input`")?,
                    None => format!("{PRELUDE}#Unit"),
                };
                let output = match o.get("output") {
                    Some(v) => self.target(v, id, &json_key(path, "output"), "`output`")?,
                    None => format!("{PRELUDE}#Unit"),
                };
                let errors =
                    self.targets(o.get("errors"), id, &json_key(path, "errors"), "`errors`");
                Kind::Operation(Operation {
                    input,
                    output,
                    errors,
                })
            }
            "service" => {
                let version = match o.get("version") {
                    Some(v) => self.string(v, id, &json_key(path, "version"), "`version`"),
                    None => None,
                };
                let mut rename = BTreeMap::new();
                if let Some(r) = o.get("rename") {
                    let rpath = json_key(path, "rename");
                    if let Some(r) = self.object(r, id, &rpath, "`rename`") {
                        for (k, v) in r {
                            if let Some(v) = self.string(v, id, &json_key(&rpath, k), "a rename") {
                                rename.insert(k.clone(), v);
                            }
                        }
                    }
                }
                Kind::Service(Service {
                    version,
                    operations: self.targets(
                        o.get("operations"),
                        id,
                        &json_key(path, "operations"),
                        "`operations`",
                    ),
                    resources: self.targets(
                        o.get("resources"),
                        id,
                        &json_key(path, "resources"),
                        "`resources`",
                    ),
                    errors: self.targets(
                        o.get("errors"),
                        id,
                        &json_key(path, "errors"),
                        "`errors`",
                    ),
                    rename,
                })
            }
            "resource" => {
                let mut operations = Vec::new();
                for key in ["create", "put", "read", "update", "delete", "list"] {
                    if let Some(v) = o.get(key) {
                        if let Some(t) = self.target(v, id, &json_key(path, key), key) {
                            operations.push(t);
                        }
                    }
                }
                for key in ["operations", "collectionOperations"] {
                    operations.extend(self.targets(o.get(key), id, &json_key(path, key), key));
                }
                Kind::Resource(Resource {
                    operations,
                    resources: self.targets(
                        o.get("resources"),
                        id,
                        &json_key(path, "resources"),
                        "`resources`",
                    ),
                })
            }
            other => {
                self.problem(
                    id,
                    &json_key(path, "type"),
                    format!("`{other}` is not a Smithy shape type"),
                );
                return None;
            }
        };
        Some((
            Shape {
                id: id.to_string(),
                kind,
                traits,
                path: path.to_string(),
            },
            mixins,
        ))
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn describe(v: &Value) -> &'static str {
    kind_of(v)
}

fn prelude() -> Vec<Shape> {
    let simple = [
        ("String", Simple::String),
        ("Blob", Simple::Blob),
        ("Boolean", Simple::Boolean),
        ("Byte", Simple::Byte),
        ("Short", Simple::Short),
        ("Integer", Simple::Integer),
        ("Long", Simple::Long),
        ("Float", Simple::Float),
        ("Double", Simple::Double),
        ("BigInteger", Simple::BigInteger),
        ("BigDecimal", Simple::BigDecimal),
        ("Timestamp", Simple::Timestamp),
        ("Document", Simple::Document),
    ];
    let primitive = [
        ("PrimitiveBoolean", Simple::Boolean, Value::Bool(false)),
        ("PrimitiveByte", Simple::Byte, Value::from(0)),
        ("PrimitiveShort", Simple::Short, Value::from(0)),
        ("PrimitiveInteger", Simple::Integer, Value::from(0)),
        ("PrimitiveLong", Simple::Long, Value::from(0)),
        ("PrimitiveFloat", Simple::Float, Value::from(0)),
        ("PrimitiveDouble", Simple::Double, Value::from(0)),
    ];
    let mut out: Vec<Shape> = simple
        .into_iter()
        .map(|(name, s)| Shape {
            id: format!("{PRELUDE}#{name}"),
            kind: Kind::Simple(s),
            traits: Traits::new(),
            path: "prelude".to_string(),
        })
        .collect();
    out.extend(primitive.into_iter().map(|(name, s, default)| Shape {
        id: format!("{PRELUDE}#{name}"),
        kind: Kind::Simple(s),
        traits: Traits::from([(format!("{PRELUDE}#default"), default)]),
        path: "prelude".to_string(),
    }));
    out.push(Shape {
        id: format!("{PRELUDE}#Unit"),
        kind: Kind::Structure {
            members: Vec::new(),
        },
        traits: Traits::from([(format!("{PRELUDE}#unitType"), Value::Object(Map::new()))]),
        path: "prelude".to_string(),
    });
    out
}

/// Parses a Smithy 2.0 JSON AST document.
pub fn load(bytes: &[u8]) -> Result<Model> {
    load_value(&parse_json(bytes)?)
}

/// A JSON value read strictly: an object with the same key twice is an error (JSON
/// leaves it open; Smithy rejects it, and a silent last-one-wins would hide a mistake).
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "the key {} appears twice in one object",
                    Value::String(key)
                )));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Parses JSON text, turning a syntax error into [`Error::Syntax`] with its position.
pub(crate) fn parse_json(bytes: &[u8]) -> Result<Value> {
    serde_json::from_slice::<Strict>(bytes)
        .map(|s| s.0)
        .map_err(|e| Error::Syntax {
            source_line: String::from_utf8_lossy(bytes)
                .lines()
                .nth(e.line().saturating_sub(1))
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_control() || *c == '\t')
                .collect(),
            file: None,
            line: e.line(),
            // serde_json says column 0 at the very start of a line (an empty file).
            column: e.column().max(1),
            message: match e.to_string().split(" at line ").next().unwrap_or_default() {
                "recursion limit exceeded" => {
                    "arrays and objects nest more than 128 deep here, the most a model may"
                        .to_string()
                }
                m => m.to_string(),
            },
        })
}

/// What one entry of `shapes` is.
enum Entry {
    /// Not a shape (its problems say why).
    Skipped,
    /// An `apply` entry: the shape or member id, its traits, its path.
    Apply((String, Traits, String)),
    /// A shape, with the mixins it names.
    Shape(String, Box<Shape>, Vec<String>),
}

/// Reads one entry of `shapes`, with the problems found in it.
fn read_entry(id: &str, v: &Value) -> (Entry, Vec<Diagnostic>) {
    let mut r = Reader {
        problems: Vec::new(),
    };
    let path = json_key("$.shapes", id);
    let is_member_id = id
        .split_once('$')
        .is_some_and(|(s, m)| is_shape_id(s) && is_identifier(m));
    let entry = if !is_shape_id(id) && !is_member_id {
        r.problem(id, &path, "not an absolute shape id (`namespace#Name`)");
        Entry::Skipped
    } else if v.get("type") == Some(&Value::String("apply".into())) {
        let traits = r.traits(v.get("traits"), id, &json_key(&path, "traits"));
        Entry::Apply((id.to_string(), traits, path))
    } else if is_member_id {
        r.problem(id, &path, "only `apply` entries may use a member id");
        Entry::Skipped
    } else if id.starts_with("smithy.api#") {
        r.problem(
            id,
            &path,
            "shapes in the `smithy.api` prelude namespace cannot be redefined",
        );
        Entry::Skipped
    } else {
        match r.shape(id, v, &path) {
            Some((shape, m)) => Entry::Shape(id.to_string(), Box::new(shape), m),
            None => Entry::Skipped,
        }
    };
    (entry, r.problems)
}

/// Reads the entries of `shapes`, in their order: a big model's in two halves, on two
/// threads when the machine has the cores (each shape is read on its own). Below
/// about 700 entries a second thread costs more than it saves (measured: SageMaker's
/// 2,870 entries load in 22 ms instead of 32, SSM's 1,417 in 10 instead of 15;
/// Comprehend's 521 would take 5.7 ms instead of 5.0).
fn read_entries(entries: &[(&String, &Value)]) -> Vec<(Entry, Vec<Diagnostic>)> {
    let read = |part: &[(&String, &Value)]| -> Vec<(Entry, Vec<Diagnostic>)> {
        part.iter().map(|(id, v)| read_entry(id, v)).collect()
    };
    // The size first: asking for the cores reads the cgroup files.
    if entries.len() < 768 || std::thread::available_parallelism().map_or(1, usize::from) < 2 {
        return read(entries);
    }
    let (first, second) = entries.split_at(entries.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| read(second));
        let mut out = read(first);
        match other.join() {
            Ok(rest) => out.extend(rest),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        out
    })
}

/// What is wrong with the `smithy` version of a JSON AST document, if anything.
pub(crate) fn version_problem(top: &Map<String, Value>) -> Option<Diagnostic> {
    let message = match top.get("smithy") {
        Some(Value::String(v)) if matches!(v.as_str(), "1" | "1.0" | "2" | "2.0") => return None,
        Some(Value::String(v)) => {
            format!("Smithy IDL version `{v}` is not supported; expected \"2.0\"")
        }
        Some(other) => format!(
            "`smithy` must be a version string, found {}",
            kind_of(other)
        ),
        None => {
            return Some(Diagnostic::new(
                "",
                "$",
                "the model has no `smithy` version",
            ))
        }
    };
    Some(Diagnostic::new("", "$.smithy", message))
}

/// Reads a parsed JSON AST document.
pub fn load_value(root: &Value) -> Result<Model> {
    let mut r = Reader {
        problems: Vec::new(),
    };
    let Some(top) = r.object(root, "", "$", "the model") else {
        return Err(Error::Invalid(r.problems));
    };
    r.problems.extend(version_problem(top));
    let mut shapes: BTreeMap<String, Shape> = BTreeMap::new();
    let mut mixins: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut applies: Vec<(String, Traits, String)> = Vec::new();
    for s in prelude() {
        shapes.insert(s.id.clone(), s);
    }
    let shapes_v = match top.get("shapes") {
        Some(v) => r.object(v, "", "$.shapes", "`shapes`"),
        None => None,
    };
    if let Some(all) = shapes_v {
        let entries: Vec<(&String, &Value)> = all.iter().collect();
        for (entry, problems) in read_entries(&entries) {
            r.problems.extend(problems);
            match entry {
                Entry::Skipped => {}
                Entry::Apply(apply) => applies.push(apply),
                Entry::Shape(id, shape, m) => {
                    if !m.is_empty() {
                        mixins.insert(id.clone(), m);
                    }
                    shapes.insert(id, *shape);
                }
            }
        }
    }
    // Shape ids are case-sensitive, but no two may differ only in case.
    let mut folded: BTreeMap<String, &String> = BTreeMap::new();
    for id in shapes.keys() {
        if let Some(prev) = folded.insert(id.to_ascii_lowercase(), id) {
            let path = shapes.get(id).map(|s| s.path.clone()).unwrap_or_default();
            r.problem(
                id,
                &path,
                format!("shape ids must be unique ignoring case, and `{prev}` is already a shape"),
            );
        }
    }
    // Mixins: copy members and traits in, mixins first, resolving mixins of mixins.
    let mut done: BTreeMap<String, bool> = BTreeMap::new();
    let ids: Vec<String> = mixins.keys().cloned().collect();
    for id in ids {
        apply_mixins(
            &id,
            &mixins,
            &mut shapes,
            &mut done,
            &mut r,
            &mut Vec::new(),
        );
    }
    // Only a shape with mixins can have a member still waiting for its target.
    for shape in mixins.keys().filter_map(|id| shapes.get(id)) {
        for m in shape.kind.members() {
            if m.target.is_empty() {
                r.problem(
                    &shape.id,
                    &shape.path,
                    format!("a {} shape needs `{}`", shape.kind.type_name(), m.name),
                );
            }
        }
    }
    for (id, traits, path) in applies {
        let (shape_id, member) = match id.split_once('$') {
            Some((s, m)) => (s.to_string(), Some(m.to_string())),
            None => (id.clone(), None),
        };
        let Some(shape) = shapes.get_mut(&shape_id) else {
            r.problem(
                &id,
                &path,
                format!("`apply` targets `{shape_id}`, which is not in the model"),
            );
            continue;
        };
        match member {
            None => shape.traits.extend(traits),
            Some(m) => match shape.kind.members_mut().into_iter().find(|x| x.name == m) {
                Some(member) => member.traits.extend(traits),
                None => r.problem(
                    &id,
                    &path,
                    format!("`apply` targets member `{m}`, which `{shape_id}` does not have"),
                ),
            },
        }
    }
    if r.problems.is_empty() {
        Ok(Model { shapes })
    } else {
        Err(Error::Invalid(r.problems))
    }
}

fn apply_mixins(
    id: &str,
    mixins: &BTreeMap<String, Vec<String>>,
    shapes: &mut BTreeMap<String, Shape>,
    done: &mut BTreeMap<String, bool>,
    r: &mut Reader,
    stack: &mut Vec<String>,
) {
    if done.contains_key(id) {
        return;
    }
    let Some(list) = mixins.get(id) else {
        done.insert(id.to_string(), true);
        return;
    };
    if stack.iter().any(|s| s == id) {
        let path = shapes.get(id).map(|s| s.path.clone()).unwrap_or_default();
        r.problem(
            id,
            &json_key(&path, "mixins"),
            format!("mixins form a cycle: {} -> {id}", stack.join(" -> ")),
        );
        done.insert(id.to_string(), false);
        return;
    }
    if stack.len() >= MAX_MIXIN_DEPTH {
        let path = shapes.get(id).map(|s| s.path.clone()).unwrap_or_default();
        r.problem(
            id,
            &json_key(&path, "mixins"),
            format!("mixins of mixins nest more than {MAX_MIXIN_DEPTH} deep here"),
        );
        done.insert(id.to_string(), false);
        return;
    }
    stack.push(id.to_string());
    let mut inherited_members: Vec<Member> = Vec::new();
    let mut inherited_names: BTreeSet<String> = BTreeSet::new();
    let mut inherited_traits = Traits::new();
    for mixin in list {
        apply_mixins(mixin, mixins, shapes, done, r, stack);
        let path = shapes.get(id).map(|s| s.path.clone()).unwrap_or_default();
        match shapes.get(mixin) {
            Some(m) if m.has("smithy.api#mixin") => {
                for member in m.kind.members() {
                    if inherited_names.insert(member.name.clone()) {
                        inherited_members.push(member.clone());
                    }
                }
                // `@mixin(localTraits: [...])` names traits that stay on the mixin.
                let local: Vec<&str> = m
                    .traits
                    .get("smithy.api#mixin")
                    .and_then(|v| v.get("localTraits"))
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                for (k, v) in &m.traits {
                    if k != "smithy.api#mixin" && !local.contains(&k.as_str()) {
                        inherited_traits.insert(k.clone(), v.clone());
                    }
                }
            }
            Some(_) => r.problem(
                id,
                &json_key(&path, "mixins"),
                format!("`{mixin}` is used as a mixin but has no `smithy.api#mixin` trait"),
            ),
            None => r.problem(
                id,
                &json_key(&path, "mixins"),
                format!("mixin `{mixin}` is not in the model"),
            ),
        }
    }
    stack.pop();
    if let Some(shape) = shapes.get_mut(id) {
        for (k, v) in inherited_traits {
            shape.traits.entry(k).or_insert(v);
        }
        let own: Vec<Member> = shape.kind.members().into_iter().cloned().collect();
        let own_index: BTreeMap<&str, usize> = own
            .iter()
            .enumerate()
            .map(|(i, o)| (o.name.as_str(), i))
            .collect();
        let mut merged: Vec<Member> = Vec::new();
        for mut m in inherited_members {
            m.path = format!("{} (from a mixin)", shape.path);
            if let Some(&i) = own_index.get(m.name.as_str()) {
                m.traits.extend(own[i].traits.clone());
            }
            merged.push(m);
        }
        for o in &own {
            if !inherited_names.contains(&o.name) {
                merged.push(o.clone());
            }
        }
        let take = |name: &str, slot: &mut Member| {
            if let Some(m) = merged.iter().find(|m| m.name == name) {
                let mut m = m.clone();
                // A member written here (with its own target) keeps it.
                if !slot.target.is_empty() {
                    m.target = slot.target.clone();
                }
                *slot = m;
            }
        };
        match &mut shape.kind {
            Kind::Structure { members }
            | Kind::Union { members }
            | Kind::Enum { members }
            | Kind::IntEnum { members } => *members = merged,
            Kind::List { member } => take("member", member),
            Kind::Map { key, value } => {
                take("key", key);
                take("value", value);
            }
            _ => {}
        }
    }
    done.insert(id.to_string(), true);
}

/// Merges two JSON AST documents into one: the union of their shapes. A shape defined
/// in both must be identical.
pub fn merge_documents(a: &[u8], b: &[u8]) -> Result<Vec<u8>> {
    let mut a = parse_json(a)?;
    let b = parse_json(b)?;
    let Some(b_shapes) = b.get("shapes").and_then(Value::as_object).cloned() else {
        return serde_json::to_vec(&a).map_err(|e| Error::one("", "$", e.to_string()));
    };
    let Some(a_obj) = a.as_object_mut() else {
        return Err(Error::one("", "$", "the model must be a JSON object"));
    };
    let shapes = a_obj
        .entry("shapes")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(shapes) = shapes.as_object_mut() else {
        return Err(Error::one("", "$.shapes", "`shapes` must be an object"));
    };
    for (id, shape) in b_shapes {
        match shapes.get(&id) {
            Some(existing) if existing != &shape => {
                return Err(Error::one(
                    &id,
                    json_key("$.shapes", &id),
                    "defined differently in two model files",
                ));
            }
            _ => {
                shapes.insert(id, shape);
            }
        }
    }
    serde_json::to_vec(&a).map_err(|e| Error::one("", "$", e.to_string()))
}
