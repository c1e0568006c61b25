//! Lowering: picks the service and the operations asked for, walks their closure and
//! turns shapes into the IR, with every Rust name decided here, once.

use crate::docs::rustdoc;
use crate::error::{Diagnostic, Error, Result};
use crate::ir::*;
use crate::model::{shape_name, Kind, Member, Model, Shape, Simple};
use crate::names::{crate_name, field_ident, type_ident, unraw};
use crate::traits::typed;
use crate::validate::traits::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What to generate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The service shape id; needed only when the model has more than one service.
    pub service: Option<String>,
    /// Operation names (as in the model) to generate; every operation when `None`.
    pub operations: Option<Vec<String>>,
    /// Overrides the package name of the generated crate.
    pub crate_name: Option<String>,
    /// Whether to generate the model's `smithy.test` protocol tests.
    pub protocol_tests: bool,
    /// Whether to generate the service's `smithy.rules#endpointTests` as tests.
    pub endpoint_tests: bool,
    /// Protocol test cases known to fail, by id, with the reason: generated as
    /// ignored tests.
    pub known_failures: BTreeMap<String, String>,
}

/// Methods of builders and types that a member's name must not take.
/// Methods of the client that an operation's method name must not take.
const CLIENT_METHODS: &[&str] = &[
    // Not a method of the client, but a `new` that does not return `Self` is what
    // clippy's `new_ret_no_self` refuses.
    "new",
    "call",
    "config",
    "handle",
    "from_conf",
    "from_env",
    "config_from_env",
    "clone",
    "fmt",
];
const BUILDER_METHODS: &[&str] = &[
    "as_input",
    "build",
    "send",
    "customize",
    "into_parts",
    "new",
    "default",
];
const TYPE_METHODS: &[&str] = &[
    "builder",
    "clone",
    "fmt",
    "eq",
    "ne",
    "hash",
    "into",
    "from",
    "to_owned",
    "default",
    "type_id",
    "borrow",
    "try_into",
    "try_from",
    "to_string",
];
/// Methods error structures have besides.
const ERROR_METHODS: &[&str] = &["message", "code", "meta", "source", "description", "cause"];

/// The field names and builder setter names of a structure's members, by the one
/// collision rule of [`crate::names::assign_unique`]: fields are unique among
/// themselves; each setter takes `x`, `set_x` and `get_x` on the builder, none of
/// which may be a builder method.
fn member_idents(members: &[Member]) -> (Vec<String>, Vec<String>) {
    let wanted: Vec<String> = members
        .iter()
        .map(|m| unraw(&field_ident(&m.name)).to_string())
        .collect();
    let fields = crate::names::assign_unique(&wanted, &[], "_value", |n| vec![n.to_string()]);
    let setters = crate::names::assign_unique(&fields, BUILDER_METHODS, "_value", |n| {
        vec![n.to_string(), format!("set_{n}"), format!("get_{n}")]
    });
    (
        fields.into_iter().map(crate::names::escape).collect(),
        setters.into_iter().map(crate::names::escape).collect(),
    )
}

struct Lowerer<'m> {
    model: &'m Model,
    service: &'m Shape,
    protocol: Option<Protocol>,
    renames: BTreeMap<String, String>,
    problems: Vec<Diagnostic>,
    names: BTreeMap<String, String>,
    /// Documentation converted ahead ([`convert_docs`]), by model text.
    docs: HashMap<&'m str, String>,
    /// Each structure's and union's strongly connected component of the graph of
    /// their members ([`Lowerer::reaches_directly`]).
    direct_components: std::cell::OnceCell<HashMap<&'m str, usize>>,
}

/// Every documentation text of the model's own shapes, members and `@enum` values,
/// converted to rustdoc ahead of lowering (while the model is validated), on two
/// threads when there are cores for it: the conversion is a good part of the
/// lowering's time. Any model's text converts, valid or not.
pub(crate) fn convert_docs(model: &Model) -> HashMap<&str, String> {
    fn add<'a>(texts: &mut Vec<&'a str>, traits: &'a crate::model::Traits) {
        texts.extend(typed::documentation(traits));
        let items = traits.get(ENUM).and_then(Value::as_array);
        texts.extend(
            items
                .into_iter()
                .flatten()
                .filter_map(|item| item.get("documentation").and_then(Value::as_str)),
        );
    }
    let mut texts: Vec<&str> = Vec::new();
    for shape in model.shapes.values() {
        if shape.id.starts_with("smithy.api#") {
            continue;
        }
        add(&mut texts, &shape.traits);
        match &shape.kind {
            Kind::List { member } => add(&mut texts, &member.traits),
            Kind::Map { key, value } => {
                add(&mut texts, &key.traits);
                add(&mut texts, &value.traits);
            }
            Kind::Structure { members }
            | Kind::Union { members }
            | Kind::Enum { members }
            | Kind::IntEnum { members } => members.iter().for_each(|m| add(&mut texts, &m.traits)),
            _ => {}
        }
    }
    texts.sort_unstable();
    texts.dedup();
    let convert = |texts: &[&'_ str]| -> Vec<String> { texts.iter().map(|t| rustdoc(t)).collect() };
    let parallel = std::thread::available_parallelism().map_or(1, usize::from) > 1;
    let converted = if parallel && texts.len() > 64 {
        // Two halves of about the same length of text.
        let total: usize = texts.iter().map(|t| t.len()).sum();
        let mut sum = 0;
        let half = texts
            .iter()
            .position(|t| {
                sum += t.len();
                2 * sum >= total
            })
            .map_or(texts.len(), |i| i + 1);
        let (a, b) = texts.split_at(half);
        std::thread::scope(|scope| {
            let other = scope.spawn(|| convert(b));
            let mut converted = convert(a);
            match other.join() {
                Ok(rest) => converted.extend(rest),
                Err(_) => converted.extend(b.iter().map(|t| rustdoc(t))),
            }
            converted
        })
    } else {
        convert(&texts)
    };
    texts.into_iter().zip(converted).collect()
}

/// The doc of an undocumented enum variant: the value on the wire.
fn value_doc(value: &EnumValue) -> String {
    match value {
        EnumValue::Str(s) => format!("The value `{}`.", Value::String(s.replace('`', "'"))),
        EnumValue::Int(i) => format!("The value `{i}`."),
    }
}

fn or_default_doc(doc: String, fallback: impl FnOnce() -> String) -> String {
    if doc.trim().is_empty() {
        fallback()
    } else {
        doc
    }
}

/// Finds the service to generate.
fn pick_service<'m>(model: &'m Model, opts: &Options) -> Result<&'m Shape> {
    let services: Vec<&Shape> = model
        .shapes
        .values()
        .filter(|s| matches!(s.kind, Kind::Service(_)))
        .collect();
    match &opts.service {
        Some(id) => services
            .iter()
            .find(|s| &s.id == id || s.name() == id)
            .copied()
            .ok_or_else(|| {
                Error::one(
                    id.as_str(),
                    "$.shapes",
                    format!("no service `{id}` in the model"),
                )
            }),
        None => match services.as_slice() {
            [one] => Ok(one),
            [] => Err(Error::one("", "$.shapes", "the model has no service shape")),
            many => Err(Error::one(
                "",
                "$.shapes",
                format!(
                    "the model has {} services ({}); name one with --service (`Options::service`)",
                    many.len(),
                    many.iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        },
    }
}

/// The operations bound to a service, directly or through resources, in id order.
pub fn service_operations(model: &Model, service: &Shape) -> Vec<String> {
    let mut ops = BTreeSet::new();
    let mut resources: Vec<String> = Vec::new();
    if let Kind::Service(s) = &service.kind {
        ops.extend(s.operations.iter().cloned());
        resources.extend(s.resources.iter().cloned());
    }
    let mut seen = BTreeSet::new();
    while let Some(r) = resources.pop() {
        if !seen.insert(r.clone()) {
            continue;
        }
        if let Some(Shape {
            kind: Kind::Resource(res),
            ..
        }) = model.shapes.get(&r)
        {
            ops.extend(res.operations.iter().cloned());
            resources.extend(res.resources.iter().cloned());
        }
    }
    ops.into_iter().collect()
}

impl<'m> Lowerer<'m> {
    /// The rustdoc of a documentation text.
    fn rustdoc(&self, text: &str) -> String {
        self.docs
            .get(text)
            .cloned()
            .unwrap_or_else(|| rustdoc(text))
    }

    /// The rustdoc of the `@documentation` trait, or nothing.
    fn docs_of(&self, traits: &crate::model::Traits) -> String {
        typed::documentation(traits)
            .map(|t| self.rustdoc(t))
            .unwrap_or_default()
    }

    fn shape(&self, id: &str) -> Option<&'m Shape> {
        self.model.shapes.get(id)
    }

    fn problem(
        &mut self,
        subject: impl Into<String>,
        path: impl Into<String>,
        msg: impl Into<String>,
    ) {
        self.problems.push(Diagnostic::new(subject, path, msg));
    }

    fn renamed(&self, id: &str) -> String {
        self.renames
            .get(id)
            .cloned()
            .unwrap_or_else(|| shape_name(id).to_string())
    }

    fn is_named(shape: &Shape) -> bool {
        match &shape.kind {
            Kind::Structure { .. }
            | Kind::Union { .. }
            | Kind::Enum { .. }
            | Kind::IntEnum { .. } => shape.id != "smithy.api#Unit",
            Kind::Simple(Simple::String) => shape.has(ENUM),
            _ => false,
        }
    }

    /// Walks every shape reachable from `id` through members.
    fn walk(&self, id: &str, out: &mut BTreeSet<String>) {
        let mut stack = vec![id.to_string()];
        while let Some(id) = stack.pop() {
            if !out.insert(id.clone()) {
                continue;
            }
            if let Some(s) = self.shape(&id) {
                for m in s.kind.members() {
                    stack.push(m.target.clone());
                }
            }
        }
    }

    fn timestamp_format(&self, member: &Member, target: &Shape) -> TimestampFormat {
        typed::timestamp_format(&member.traits, Some(&target.traits))
            .unwrap_or(TimestampFormat::EpochSeconds)
    }

    fn ty(&self, member: &Member) -> Option<Type> {
        let target = self.shape(&member.target)?;
        Some(match &target.kind {
            Kind::Simple(s) => match s {
                Simple::Blob if target.has(STREAMING) => Type::Stream,
                Simple::Blob => Type::Blob,
                Simple::Boolean => Type::Bool,
                Simple::String if target.has(ENUM) => Type::Named {
                    name: self.names.get(&target.id)?.clone(),
                    kind: NamedKind::Enum,
                },
                Simple::String => Type::String,
                Simple::Byte => Type::Byte,
                Simple::Short => Type::Short,
                Simple::Integer => Type::Integer,
                Simple::Long => Type::Long,
                Simple::Float => Type::Float,
                Simple::Double => Type::Double,
                Simple::BigInteger => Type::BigInteger,
                Simple::BigDecimal => Type::BigDecimal,
                Simple::Timestamp => Type::Timestamp(self.timestamp_format(member, target)),
                Simple::Document => Type::Document,
            },
            Kind::List { member: inner } => Type::List {
                member: Box::new(self.ty(inner)?),
                sparse: target.has(SPARSE),
            },
            Kind::Map { key, value } => Type::Map {
                key: Box::new(match self.ty(key)? {
                    k @ Type::Named {
                        kind: NamedKind::Enum,
                        ..
                    } => k,
                    _ => Type::String,
                }),
                value: Box::new(self.ty(value)?),
                sparse: target.has(SPARSE),
            },
            Kind::Structure { .. } => Type::Named {
                name: self.names.get(&target.id)?.clone(),
                kind: NamedKind::Struct,
            },
            Kind::Union { .. } if target.has(STREAMING) => Type::EventStream {
                union: self.names.get(&target.id)?.clone(),
                input: false,
            },
            Kind::Union { .. } => Type::Named {
                name: self.names.get(&target.id)?.clone(),
                kind: NamedKind::Union,
            },
            Kind::Enum { .. } => Type::Named {
                name: self.names.get(&target.id)?.clone(),
                kind: NamedKind::Enum,
            },
            Kind::IntEnum { .. } => Type::Named {
                name: self.names.get(&target.id)?.clone(),
                kind: NamedKind::IntEnum,
            },
            _ => return None,
        })
    }

    /// Whether values of a shape are sensitive: the shape is `@sensitive`, or it is a
    /// list or map of sensitive values.
    fn sensitive_target(&self, id: &str) -> bool {
        let mut id = id.to_string();
        for _ in 0..16 {
            let Some(shape) = self.shape(&id) else {
                return false;
            };
            if shape.has(SENSITIVE) {
                return true;
            }
            id = match &shape.kind {
                Kind::List { member } => member.target.clone(),
                Kind::Map { value, key } => {
                    if self.shape(&key.target).is_some_and(|k| k.has(SENSITIVE)) {
                        return true;
                    }
                    value.target.clone()
                }
                _ => return false,
            };
        }
        false
    }

    /// Whether the member of `shape` that targets `target` closes a cycle through
    /// structure and union members alone (the edges that need a `Box` to make a
    /// recursive type finite): whether the two are in one strongly connected component
    /// of that graph, computed once for the model.
    fn reaches_directly(&self, target: &str, shape: &str) -> bool {
        let components = self.direct_components.get_or_init(|| {
            let nodes = self
                .model
                .shapes
                .values()
                .filter(|s| matches!(s.kind, Kind::Structure { .. } | Kind::Union { .. }))
                .collect();
            let graph = crate::graph::MemberGraph::new(nodes, |_| true);
            let mut of = HashMap::new();
            for (c, members) in graph.components().into_iter().enumerate() {
                for i in members {
                    of.insert(graph.nodes[i].id.as_str(), c);
                }
            }
            of
        });
        target == shape
            || matches!(
                (components.get(target), components.get(shape)),
                (Some(a), Some(b)) if a == b
            )
    }

    fn lower_struct(
        &mut self,
        shape: &Shape,
        members: &[Member],
        name: &str,
        codec: Codec,
        input: bool,
    ) -> Struct {
        let is_input = input || shape.has(INPUT);
        let mut fields = Vec::new();
        let (idents, setters) = member_idents(members);
        for ((m, ident), setter) in members.iter().zip(idents).zip(setters) {
            let subject = format!("{}${}", shape.id, m.name);
            let Some(mut ty) = self.ty(m) else {
                self.problem(
                    &subject,
                    &m.path,
                    format!("target `{}` cannot be used as a member", m.target),
                );
                continue;
            };
            // An input's event stream is sent.
            if let Type::EventStream { input, .. } = &mut ty {
                *input = is_input;
            }
            let target = self.shape(&m.target);
            let base = unraw(&ident).to_string();
            let required = m.traits.contains_key(REQUIRED);
            let default = typed::default_value(&m.traits).cloned();
            let client_optional = m.traits.contains_key(CLIENT_OPTIONAL);
            // The one rule for optionality. A client treats every member of an input
            // as nullable (so that a service may drop `@required` later), and so
            // every member with `@clientOptional`; `build()` still checks required
            // members, and fills in the default of required members that have one.
            let mut build_default = None;
            let presence = if matches!(ty, Type::Stream | Type::EventStream { .. }) {
                // A streaming payload is always there, empty unless set.
                Presence::Default(Value::String(String::new()))
            } else if is_input || client_optional {
                if required {
                    build_default = default.filter(|_| is_input && !client_optional);
                }
                // A service customization: a label that takes a value when unset.
                if is_input && m.traits.contains_key(HTTP_LABEL) {
                    if let Some(value) = label_default(self.service, &m.name) {
                        build_default = Some(Value::String(value.to_string()));
                    }
                }
                Presence::Optional
            } else if let Some(d) = default {
                Presence::Default(d)
            } else if required {
                Presence::Required
            } else {
                Presence::Optional
            };
            let must_set = required && build_default.is_none() && presence == Presence::Optional;
            let boxed = matches!(
                ty,
                Type::Named {
                    kind: NamedKind::Struct | NamedKind::Union,
                    ..
                }
            ) && self.reaches_directly(&m.target, &shape.id);
            let sensitive = m.traits.contains_key(SENSITIVE) || self.sensitive_target(&m.target);
            let docs = or_default_doc(self.docs_of(&m.traits), || {
                target
                    .map(|t| self.docs_of(&t.traits))
                    .filter(|d| !d.trim().is_empty())
                    .unwrap_or_else(|| format!("The `{}` member.", m.name))
            });
            let json_name = self.json_name(m);
            let binding = typed::binding(&m.traits);
            let timestamp_format = typed::timestamp_format(&m.traits, target.map(|t| &t.traits));
            let media_type = target
                .and_then(|t| typed::media_type(&t.traits))
                .map(str::to_string);
            fields.push(Field {
                json_name,
                binding,
                timestamp_format,
                media_type,
                wire_name: m.name.clone(),
                accessor: !(TYPE_METHODS.contains(&base.as_str())
                    || shape.has(ERROR) && ERROR_METHODS.contains(&base.as_str())),
                ident,
                set_fn: crate::names::derived::set_fn(&setter),
                get_fn: crate::names::derived::get_fn(&setter),
                setter,
                docs,
                ty,
                presence,
                sensitive,
                boxed,
                idempotency_token: m.traits.contains_key(IDEMPOTENCY_TOKEN),
                must_set,
                build_default,
                deprecated: m.traits.contains_key(DEPRECATED),
            });
        }
        let error = shape
            .traits
            .get(ERROR)
            .map(|v| v.as_str() == Some("server"));
        let message_field = if error.is_some() {
            fields
                .iter()
                .find(|f| f.wire_name.eq_ignore_ascii_case("message") && f.ty == Type::String)
                .map(|f| (f.ident.clone(), f.presence == Presence::Optional))
        } else {
            None
        };
        Struct {
            name: name.to_string(),
            shape_id: shape.id.clone(),
            docs: or_default_doc(self.docs_of(&shape.traits), || {
                format!("The `{}` structure.", shape.name())
            }),
            fields,
            error,
            sensitive: shape.has(SENSITIVE),
            input: is_input,
            codec,
            deprecated: shape.has(DEPRECATED),
            message_field,
            builder: crate::names::derived::builder(name),
            ser_fn: crate::names::derived::ser_fn(name),
            de_fn: crate::names::derived::de_fn(name),
            error_fn: crate::names::derived::error_struct_fn(name),
        }
    }

    fn lower_union(
        &mut self,
        shape: &Shape,
        members: &[Member],
        name: &str,
        codec: Codec,
    ) -> Union {
        let mut variants = Vec::new();
        let wanted: Vec<String> = members.iter().map(|m| type_ident(&m.name)).collect();
        let idents =
            crate::names::assign_unique(&wanted, &["Unknown"], "Value", |n| vec![n.to_string()]);
        for (m, ident) in members.iter().zip(idents) {
            let subject = format!("{}${}", shape.id, m.name);
            let ty = if m.target == "smithy.api#Unit" {
                None
            } else {
                match self.ty(m) {
                    Some(t) => Some(t),
                    None => {
                        self.problem(
                            &subject,
                            &m.path,
                            format!("target `{}` cannot be used as a member", m.target),
                        );
                        continue;
                    }
                }
            };
            let boxed = matches!(
                ty,
                Some(Type::Named {
                    kind: NamedKind::Struct | NamedKind::Union,
                    ..
                })
            ) && self.reaches_directly(&m.target, &shape.id);
            let json_name = self.json_name(m);
            variants.push(Variant {
                json_name,
                wire_name: m.name.clone(),
                ident,
                docs: or_default_doc(self.docs_of(&m.traits), || {
                    format!("The `{}` member.", m.name)
                }),
                ty,
                boxed,
                is_fn: String::new(),
            });
        }
        // Each variant's `is_` test, unique in the union.
        let wanted: Vec<String> = variants
            .iter()
            .map(|v| crate::names::derived::is_fn(&v.ident))
            .collect();
        for (v, is_fn) in
            variants
                .iter_mut()
                .zip(crate::names::assign_unique(&wanted, &[], "_value", |n| {
                    vec![n.to_string()]
                }))
        {
            v.is_fn = is_fn;
        }
        Union {
            ser_fn: crate::names::derived::ser_fn(name),
            de_fn: crate::names::derived::de_fn(name),
            name: name.to_string(),
            docs: or_default_doc(self.docs_of(&shape.traits), || {
                format!("The `{}` union.", shape.name())
            }),
            variants,
            sensitive: shape.has(SENSITIVE),
            codec,
            deprecated: shape.has(DEPRECATED),
        }
    }

    fn lower_enum(&mut self, shape: &Shape, name: &str, codec: Codec) -> Enum {
        let mut variants: Vec<EnumVariant> = Vec::new();
        let mut int = false;
        match &shape.kind {
            Kind::Enum { members } | Kind::IntEnum { members } => {
                int = matches!(shape.kind, Kind::IntEnum { .. });
                for m in members {
                    let value = match m.traits.get(ENUM_VALUE) {
                        Some(Value::String(s)) => EnumValue::Str(s.clone()),
                        Some(Value::Number(n)) => EnumValue::Int(
                            n.as_i64()
                                .and_then(|i| i32::try_from(i).ok())
                                .unwrap_or_default(),
                        ),
                        _ => EnumValue::Str(m.name.clone()),
                    };
                    variants.push(EnumVariant {
                        ident: type_ident(&m.name),
                        docs: or_default_doc(self.docs_of(&m.traits), || value_doc(&value)),
                        value,
                        deprecated: m.traits.contains_key(DEPRECATED),
                    });
                }
            }
            _ => {
                let items = shape
                    .traits
                    .get(ENUM)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for item in items {
                    let value = item
                        .get("value")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    let given = item.get("name").and_then(Value::as_str);
                    let docs = item
                        .get("documentation")
                        .and_then(Value::as_str)
                        .map(|d| self.rustdoc(d))
                        .unwrap_or_default();
                    variants.push(EnumVariant {
                        ident: type_ident(given.unwrap_or(&value)),
                        docs: or_default_doc(docs, || value_doc(&EnumValue::Str(value.clone()))),
                        value: EnumValue::Str(value),
                        deprecated: item
                            .get("deprecated")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                    });
                }
            }
        }
        // `Unknown` is the catch-all; names that collide are resolved by the one rule.
        let wanted: Vec<String> = variants.iter().map(|v| v.ident.clone()).collect();
        let idents =
            crate::names::assign_unique(&wanted, &["Unknown"], "Value", |n| vec![n.to_string()]);
        for (v, ident) in variants.iter_mut().zip(idents) {
            v.ident = ident;
        }
        Enum {
            name: name.to_string(),
            docs: or_default_doc(self.docs_of(&shape.traits), || {
                format!("The `{}` enum.", shape.name())
            }),
            int,
            variants,
            codec,
            deprecated: shape.has(DEPRECATED),
        }
    }

    /// Resolves a paginator path (`A.B.C`) from a structure; each step's shape id too.
    /// `input`: the structure is an operation's input, whose members are lowered as
    /// inputs' are (every one optional).
    fn resolve_path(
        &mut self,
        start: &str,
        input: bool,
        path: &str,
        subject: &str,
        trait_path: &str,
        what: &str,
    ) -> Option<(Vec<PathStep>, String)> {
        let mut steps = Vec::new();
        let mut current = start.to_string();
        let mut last_target = String::new();
        for part in path.split('.') {
            let shape = self.shape(&current)?;
            let Kind::Structure { members } = &shape.kind else {
                self.problem(subject, trait_path, format!("{what} `{path}`: `{current}` is not a structure, so `{part}` cannot be looked up in it"));
                return None;
            };
            let Some(m) = members.iter().find(|m| m.name == part) else {
                self.problem(
                    subject,
                    trait_path,
                    format!("{what} `{path}`: `{current}` has no member `{part}`"),
                );
                return None;
            };
            // Only the first step is a member of the operation's input.
            let in_input = input && steps.is_empty();
            let lowered = self.lower_struct(
                shape,
                std::slice::from_ref(m),
                "",
                Codec::default(),
                in_input,
            );
            let field = lowered.fields.into_iter().next()?;
            // The field's name among all of the structure's members.
            let index = members.iter().position(|x| x.name == m.name)?;
            let ident = member_idents(members).0.into_iter().nth(index)?;
            steps.push(PathStep {
                wire_name: m.name.clone(),
                ident,
                optional: field.presence == Presence::Optional,
                boxed: field.boxed,
                ty: field.ty,
            });
            last_target = m.target.clone();
            current = m.target.clone();
        }
        Some((steps, last_target))
    }

    fn paginator(&mut self, op: &Shape, input: &str, output: &str) -> Option<Paginator> {
        let typed::Paginated {
            input_token,
            output_token,
            items,
            page_size,
        } = typed::paginated(&op.traits, &self.service.traits)?;
        let subject = format!("{} @{PAGINATED}", op.id);
        let tp = format!("{}.traits[\"{PAGINATED}\"]", op.path);
        let (Some(input_token), Some(output_token)) = (input_token, output_token) else {
            self.problem(
                &subject,
                &tp,
                "`inputToken` and `outputToken` must be set (on the operation or the service)",
            );
            return None;
        };
        if input == "smithy.api#Unit" || output == "smithy.api#Unit" {
            self.problem(
                &subject,
                &tp,
                "a paginated operation needs an input and an output structure",
            );
            return None;
        }
        let (mut it, it_target) = self.resolve_path(
            input,
            true,
            &input_token,
            &subject,
            &format!("{tp}.inputToken"),
            "inputToken",
        )?;
        if it.len() != 1 {
            self.problem(
                &subject,
                format!("{tp}.inputToken"),
                format!("inputToken `{input_token}` must name a top-level input member"),
            );
            return None;
        }
        let token_ok =
            |s: &Shape| matches!(s.kind, Kind::Simple(Simple::String) | Kind::Map { .. });
        if !self.shape(&it_target).is_some_and(token_ok) {
            self.problem(
                &subject,
                format!("{tp}.inputToken"),
                format!("inputToken `{input_token}` must target a string or a map"),
            );
        }
        let (ot, ot_target) = self.resolve_path(
            output,
            false,
            &output_token,
            &subject,
            &format!("{tp}.outputToken"),
            "outputToken",
        )?;
        if !self.shape(&ot_target).is_some_and(token_ok) {
            self.problem(
                &subject,
                format!("{tp}.outputToken"),
                format!("outputToken `{output_token}` must target a string or a map"),
            );
        }
        if it[0].ty != ot.last()?.ty {
            self.problem(&subject, &tp, format!("inputToken `{input_token}` and outputToken `{output_token}` target different types"));
        }
        let items = match items {
            Some(items) => {
                let (steps, target) = self.resolve_path(
                    output,
                    false,
                    &items,
                    &subject,
                    &format!("{tp}.items"),
                    "items",
                )?;
                if !self
                    .shape(&target)
                    .is_some_and(|s| matches!(s.kind, Kind::List { .. } | Kind::Map { .. }))
                {
                    self.problem(
                        &subject,
                        format!("{tp}.items"),
                        format!("items `{items}` must target a list or a map"),
                    );
                    return None;
                }
                Some(steps)
            }
            None => None,
        };
        let page_size = match page_size {
            Some(ps) => {
                let (mut steps, target) = self.resolve_path(
                    input,
                    true,
                    &ps,
                    &subject,
                    &format!("{tp}.pageSize"),
                    "pageSize",
                )?;
                if steps.len() != 1
                    || !self.shape(&target).is_some_and(|s| {
                        matches!(
                            s.kind,
                            Kind::Simple(
                                Simple::Byte | Simple::Short | Simple::Integer | Simple::Long
                            )
                        )
                    })
                {
                    self.problem(
                        &subject,
                        format!("{tp}.pageSize"),
                        format!("pageSize `{ps}` must name a top-level integer input member"),
                    );
                    return None;
                }
                steps.pop()
            }
            None => None,
        };
        Some(Paginator {
            input_token: it.pop()?,
            output_token: ot,
            items,
            page_size,
        })
    }

    fn host_prefix(&mut self, op: &Shape, input: &str) -> Option<Vec<HostPart>> {
        let prefix = op
            .traits
            .get("smithy.api#endpoint")?
            .get("hostPrefix")?
            .as_str()?;
        let subject = format!("{} @smithy.api#endpoint", op.id);
        let path = format!("{}.traits[\"smithy.api#endpoint\"].hostPrefix", op.path);
        let mut parts = Vec::new();
        let mut rest = prefix;
        while !rest.is_empty() {
            match rest.find('{') {
                Some(0) => {
                    let Some(end) = rest.find('}') else {
                        self.problem(&subject, &path, format!("`{prefix}` has an unclosed `{{`"));
                        return None;
                    };
                    let label = &rest[1..end];
                    let member = self.shape(input).and_then(|s| match &s.kind {
                        Kind::Structure { members } => members.iter().find(|m| m.name == label),
                        _ => None,
                    });
                    let Some(member) = member else {
                        self.problem(
                            &subject,
                            &path,
                            format!("host label `{label}` is not a member of the input"),
                        );
                        return None;
                    };
                    if !self
                        .shape(&member.target)
                        .is_some_and(|t| matches!(t.kind, Kind::Simple(Simple::String)))
                    {
                        self.problem(
                            &subject,
                            &path,
                            format!("host label `{label}` must target a string"),
                        );
                        return None;
                    }
                    let ident = match self.shape(input).map(|s| &s.kind) {
                        Some(Kind::Structure { members }) => members
                            .iter()
                            .position(|m| m.name == label)
                            .and_then(|i| member_idents(members).0.into_iter().nth(i)),
                        _ => None,
                    }
                    .unwrap_or_else(|| field_ident(label));
                    parts.push(HostPart::Label {
                        wire_name: label.to_string(),
                        ident,
                        // Every member of an operation input is an `Option`.
                        optional: true,
                    });
                    rest = &rest[end + 1..];
                }
                Some(i) => {
                    parts.push(HostPart::Literal(rest[..i].to_string()));
                    rest = &rest[i..];
                }
                None => {
                    parts.push(HostPart::Literal(rest.to_string()));
                    rest = "";
                }
            }
        }
        Some(parts)
    }

    /// The authentication schemes of an operation, in order of preference, and whether
    /// it may go unauthenticated. Smithy's rule: the operation's `@auth` list, else the
    /// service's, else every scheme the service applies, in trait-id order; schemes this
    /// client does not support are dropped. A service that applies no scheme at all is
    /// signed with SigV4, as AWS services are.
    fn auth(&self, op: &Shape) -> (Vec<AuthKind>, bool) {
        let supported = |id: &str| match id {
            SIGV4 => Some(AuthKind::SigV4),
            HTTP_BEARER_AUTH => Some(AuthKind::Bearer),
            _ => None,
        };
        let applied: Vec<&str> = self
            .service
            .traits
            .keys()
            .map(String::as_str)
            .filter(|t| {
                self.shape(t)
                    .is_some_and(|s| s.has("smithy.api#authDefinition"))
                    || matches!(
                        *t,
                        SIGV4
                            | HTTP_BEARER_AUTH
                            | "aws.auth#sigv4a"
                            | "smithy.api#httpBasicAuth"
                            | "smithy.api#httpDigestAuth"
                            | "smithy.api#httpApiKeyAuth"
                    )
            })
            .collect();
        let list = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let ids: Vec<String> = match (op.traits.get(AUTH), self.service.traits.get(AUTH)) {
            (Some(v), _) | (None, Some(v)) => list(v),
            (None, None) if applied.is_empty() => vec![SIGV4.to_string()],
            (None, None) => applied.iter().map(|s| s.to_string()).collect(),
        };
        let mut auth: Vec<AuthKind> = ids.iter().filter_map(|id| supported(id)).collect();
        if auth.is_empty() && !ids.is_empty() {
            // Only schemes this client does not support (sigv4a, basic, digest, API
            // keys): SigV4 is what AWS services accept besides.
            auth.push(AuthKind::SigV4);
        }
        (auth, op.has(OPTIONAL_AUTH))
    }

    /// The parameters an operation gives the endpoint rules, and the input field that
    /// overrides its endpoint, if a service customization says so.
    fn endpoint_params(&self, op: &Shape, input: &str) -> (Vec<EndpointParam>, Option<String>) {
        let mut out = Vec::new();
        if let Some(Value::Object(params)) = op.traits.get(STATIC_CONTEXT_PARAMS) {
            for (name, p) in params {
                if let Some(value) = p.get("value") {
                    out.push(EndpointParam::Static {
                        name: name.clone(),
                        value: value.clone(),
                    });
                }
            }
        }
        let mut endpoint_override = None;
        if let Some(Shape {
            kind: Kind::Structure { members },
            ..
        }) = self.shape(input)
        {
            let (idents, _) = member_idents(members);
            for (m, ident) in members.iter().zip(idents) {
                if let Some(name) = typed::context_param(&m.traits) {
                    if let Some(ty) = self.ty(m) {
                        out.push(EndpointParam::Member {
                            name: name.to_string(),
                            ident: ident.clone(),
                            ty,
                        });
                    }
                }
                // Machine Learning's `Predict` goes to the endpoint its input names, as
                // the official SDKs do.
                if self.service.id == "com.amazonaws.machinelearning#AmazonML_20141212"
                    && op.name() == "Predict"
                    && m.name == "PredictEndpoint"
                {
                    endpoint_override = Some(ident);
                }
            }
        }
        (out, endpoint_override)
    }

    /// The `smithy.test` cases of an operation and of its errors that apply to a client
    /// of this protocol.
    #[allow(clippy::too_many_arguments)]
    fn protocol_tests(
        &mut self,
        op: &Shape,
        op_errors: &[String],
        service_errors: &[String],
        errors: &[OperationError],
        protocol: Protocol,
        opts: &Options,
        tested_errors: &mut BTreeSet<String>,
    ) -> Vec<ProtocolTest> {
        let protocol_id = match protocol {
            Protocol::AwsJson10 => AWS_JSON_1_0,
            Protocol::AwsJson11 => AWS_JSON_1_1,
            Protocol::RestJson1 => REST_JSON_1,
        };
        let mut out = Vec::new();
        let mut add = |case: &Value, kind: ProtocolTestKind, malformed: bool| {
            let Some(id) = case.get("id").and_then(Value::as_str) else {
                return;
            };
            if case.get("protocol").and_then(Value::as_str) != Some(protocol_id) {
                return;
            }
            let server = case.get("appliesTo").and_then(Value::as_str) == Some("server");
            let skip = if malformed {
                Some("a malformed-request case: it tests servers".to_string())
            } else if server {
                Some("a case for servers (`appliesTo: server`)".to_string())
            } else {
                opts.known_failures.get(id).cloned()
            };
            out.push(ProtocolTest {
                id: id.to_string(),
                fn_name: String::new(),
                kind,
                case: case.clone(),
                skip,
                server_only: malformed || server,
            });
        };
        let cases = |shape: &Shape, t: &str| -> Vec<Value> {
            shape
                .traits
                .get(t)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        for c in cases(op, HTTP_REQUEST_TESTS) {
            add(&c, ProtocolTestKind::Request, false);
        }
        for c in cases(op, HTTP_RESPONSE_TESTS) {
            add(&c, ProtocolTestKind::Response, false);
        }
        for c in cases(op, HTTP_MALFORMED_REQUEST_TESTS) {
            add(&c, ProtocolTestKind::Request, true);
        }
        for c in cases(op, EVENT_STREAM_TESTS) {
            let error_type = c
                .pointer("/expectation/failure/errorId")
                .and_then(Value::as_str)
                .and_then(|id| self.names.get(id).cloned());
            add(&c, ProtocolTestKind::EventStream { error_type }, false);
        }
        for e in op_errors.iter().chain(service_errors) {
            if !tested_errors.insert(e.clone()) {
                continue;
            }
            let (Some(shape), Some(err)) = (
                self.shape(e),
                errors.iter().find(|x| x.code == shape_name(e)),
            ) else {
                continue;
            };
            for c in cases(shape, HTTP_RESPONSE_TESTS) {
                add(
                    &c,
                    ProtocolTestKind::Error {
                        variant: err.variant.clone(),
                        type_name: err.type_name.clone(),
                    },
                    false,
                );
            }
        }
        out
    }

    fn unsupported_reason(&self, op: &crate::model::Operation) -> Option<String> {
        for (what, id) in [("input", &op.input), ("output", &op.output)] {
            let shape = self.shape(id)?;
            for m in shape.kind.members() {
                let Some(t) = self.shape(&m.target) else {
                    continue;
                };
                if !t.has(STREAMING) {
                    continue;
                }
                if matches!(t.kind, Kind::Union { .. }) {
                    // awsJson sends the input's other members in an `initial-request`
                    // event, which is not written yet.
                    if what == "input" && self.protocol != Some(Protocol::RestJson1) {
                        return Some(format!("its input member `{}` is an event stream, which this generator supports in restJson1 only", m.name));
                    }
                    // awsJson sends the output's other members in an
                    // `initial-response` event, which is not read yet.
                    if self.protocol != Some(Protocol::RestJson1) && shape.kind.members().len() > 1
                    {
                        return Some(format!("its output has members beside the event stream `{}`, which awsJson sends in an `initial-response` event this generator does not read yet", m.name));
                    }
                    continue;
                }
                // A streaming blob is the payload of a protocol with HTTP bindings.
                if self.protocol != Some(Protocol::RestJson1) {
                    return Some(format!("its {what} member `{}` is a streaming blob, which this generator supports in restJson1 only", m.name));
                }
                // Validation refuses a restJson1 stream that is not the `@httpPayload`.
            }
        }
        None
    }

    /// A member's name in JSON documents: its `@jsonName` in restJson1 (the awsJson
    /// protocols ignore the trait), else its own.
    fn json_name(&self, m: &Member) -> String {
        match typed::json_name(&m.traits) {
            Some(n) if self.protocol == Some(Protocol::RestJson1) => n.to_string(),
            _ => m.name.clone(),
        }
    }

    /// The `@streaming` shape an input member targets, when the input has one.
    fn input_stream(&self, input: &str) -> Option<&'m Shape> {
        self.shape(input)?
            .kind
            .members()
            .iter()
            .find_map(|m| self.shape(&m.target).filter(|t| t.has(STREAMING)))
    }
}

/// The value a URI label takes when the caller leaves it unset or empty, as a service
/// customization says: Glacier's `accountId` is `-`, the caller's own account (set by
/// `build()`, and put in the URI for an empty string).
fn label_default(service: &Shape, member: &str) -> Option<&'static str> {
    match (typed::sdk_id(&service.traits), member) {
        (Some("Glacier"), "accountId") => Some("-"),
        _ => None,
    }
}

/// A waiter's delays between polls when the model gives none, in seconds (Smithy's
/// defaults).
pub(crate) const DEFAULT_MIN_DELAY: u64 = 2;
/// See [`DEFAULT_MIN_DELAY`].
pub(crate) const DEFAULT_MAX_DELAY: u64 = 120;

/// The waiters of an operation (`smithy.waiters#waitable`, checked by validation), in
/// name order.
fn waiters(op: &Shape) -> Vec<crate::ir::Waiter> {
    let Some(Value::Object(all)) = op.traits.get(WAITABLE) else {
        return Vec::new();
    };
    let mut out: Vec<crate::ir::Waiter> = all
        .iter()
        .map(|(name, w)| {
            let delay = |k: &str, d: u64| w.get(k).and_then(Value::as_u64).unwrap_or(d);
            let acceptors = w
                .get("acceptors")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .filter_map(|a| {
                    let state = a.get("state")?.as_str()?.to_string();
                    let m = a.get("matcher")?;
                    let path = |input: bool, p: &Value| {
                        let text = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_string);
                        Some(crate::ir::WaitMatcher::Path {
                            input,
                            path: text("path")?,
                            expected: text("expected")?,
                            comparator: text("comparator")?,
                        })
                    };
                    let matcher = if let Some(p) = m.get("output") {
                        path(false, p)?
                    } else if let Some(p) = m.get("inputOutput") {
                        path(true, p)?
                    } else if let Some(b) = m.get("success").and_then(Value::as_bool) {
                        crate::ir::WaitMatcher::Success(b)
                    } else {
                        // An absolute shape ID or a bare name: errors travel by name.
                        let id = m.get("errorType")?.as_str()?;
                        crate::ir::WaitMatcher::ErrorType(shape_name(id).to_string())
                    };
                    Some(crate::ir::Acceptor { state, matcher })
                })
                .collect();
            crate::ir::Waiter {
                name: name.clone(),
                fn_name: format!("wait_until_{}", crate::names::snake_case(name)),
                docs: rustdoc(
                    w.get("documentation")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                ),
                min_delay: delay("minDelay", DEFAULT_MIN_DELAY),
                max_delay: delay("maxDelay", DEFAULT_MAX_DELAY),
                deprecated: w.get("deprecated").and_then(Value::as_bool) == Some(true),
                acceptors,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Why a service's protocol cannot be generated: the protocol traits it has, or that
/// it has none.
fn unsupported_protocol(service: &Shape) -> String {
    const KNOWN: &[&str] = &[
        "aws.protocols#restXml",
        "aws.protocols#awsQuery",
        "aws.protocols#ec2Query",
        "smithy.protocols#rpcv2Cbor",
        "smithy.protocols#rpcv2Json",
    ];
    let found: Vec<String> = service
        .traits
        .keys()
        .filter(|t| KNOWN.contains(&t.as_str()))
        .map(|t| format!("`{t}`"))
        .collect();
    let supported = "this generator speaks awsJson1_0, awsJson1_1 and restJson1";
    if found.is_empty() {
        format!("the service has no protocol trait that this generator knows; {supported}")
    } else {
        format!(
            "the service uses the protocol {}, which this generator does not support yet; {supported}",
            found.join(" and ")
        )
    }
}

/// The protocol of a service shape, if the generator speaks it.
pub fn protocol_of(service: &Shape) -> Option<Protocol> {
    if service.has(AWS_JSON_1_0) {
        Some(Protocol::AwsJson10)
    } else if service.has(AWS_JSON_1_1) {
        Some(Protocol::AwsJson11)
    } else if service.has(REST_JSON_1) {
        Some(Protocol::RestJson1)
    } else {
        None
    }
}

/// Lowers a validated model to the IR of one service.
pub fn lower(model: &Model, opts: &Options) -> Result<Service> {
    lower_with_docs(model, opts, convert_docs(model))
}

/// [`lower`], with the model's documentation already converted ([`convert_docs`]).
pub(crate) fn lower_with_docs<'m>(
    model: &'m Model,
    opts: &Options,
    docs: HashMap<&'m str, String>,
) -> Result<Service> {
    let service = pick_service(model, opts)?;
    let Kind::Service(svc) = &service.kind else {
        return Err(Error::one(&service.id, &service.path, "not a service"));
    };
    // Endpoints do not depend on the protocol: a client of no operations (for the
    // model's endpoint tests) is generated whatever protocol the service speaks.
    let protocol = protocol_of(service);
    let no_operations = matches!(&opts.operations, Some(ops) if ops.is_empty());
    if protocol.is_none() && !no_operations {
        return Err(Error::one(
            &service.id,
            &service.path,
            unsupported_protocol(service),
        ));
    }
    let mut l = Lowerer {
        model,
        service,
        protocol,
        renames: svc.rename.clone(),
        problems: Vec::new(),
        names: BTreeMap::new(),
        docs,
        direct_components: std::cell::OnceCell::new(),
    };
    let sdk_id = typed::sdk_id(&service.traits)
        .map(str::to_string)
        .unwrap_or_else(|| service.name().to_string());
    let endpoint_prefix = typed::endpoint_prefix(&service.traits)
        .map(str::to_string)
        .unwrap_or_else(|| crate_name(&sdk_id));
    let signing_name = typed::sigv4_name(&service.traits)
        .map(str::to_string)
        .unwrap_or_else(|| endpoint_prefix.clone());
    let package = opts
        .crate_name
        .clone()
        .unwrap_or_else(|| crate::names::package_name(&sdk_id));
    if let Some(why) = crate::names::package_name_problem(&package) {
        let whence = if opts.crate_name.is_some() {
            String::new()
        } else {
            format!(" (made from the service's sdkId `{sdk_id}`)")
        };
        l.problem(
            service.id.as_str(),
            &service.path,
            format!("`{package}`{whence} cannot be the name of the generated crate: {why} (choose another with --crate-name)"),
        );
    } else if crate::names::is_taken_package_name(&package) {
        l.problem(
            service.id.as_str(),
            &service.path,
            format!("`{package}` cannot be the name of the generated crate: it is a Rust keyword, a built-in crate or a dependency of the generated crates (choose another with --crate-name)"),
        );
    }

    // The operations asked for.
    let all_ops = service_operations(model, service);
    let mut selected: Vec<String> = match &opts.operations {
        None => all_ops.clone(),
        Some(wanted) => {
            let mut out = Vec::new();
            for w in wanted {
                match all_ops.iter().find(|o| shape_name(o) == w || *o == w) {
                    Some(o) => out.push(o.clone()),
                    None => l.problem(
                        w.as_str(),
                        format!("{}.operations", service.path),
                        format!(
                            "`{w}` is not an operation of `{}`; it has: {}",
                            service.id,
                            all_ops
                                .iter()
                                .map(|o| shape_name(o))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ),
                }
            }
            out
        }
    };
    // Operations that go to discovered endpoints need the discovery operation.
    let discovery_trait = service.traits.get(CLIENT_ENDPOINT_DISCOVERY);
    let discovery = discovery_trait
        .and_then(|t| t.get("operation"))
        .and_then(Value::as_str)
        .filter(|op| all_ops.iter().any(|o| o == op));
    if let Some(op) = discovery {
        let needed = selected.iter().any(|id| {
            model
                .shapes
                .get(id)
                .is_some_and(|s| s.has(CLIENT_DISCOVERED_ENDPOINT))
        });
        if needed {
            selected.push(op.to_string());
        }
    }
    selected.sort();
    selected.dedup();
    let mut warnings = Vec::new();
    let mut left_out = Vec::new();
    let mut skipped_tests: Vec<ProtocolTest> = Vec::new();
    let mut ops: Vec<&Shape> = Vec::new();
    for id in &selected {
        let Some(shape) = model.shapes.get(id) else {
            continue;
        };
        let Kind::Operation(op) = &shape.kind else {
            continue;
        };
        if let Some(reason) = l.unsupported_reason(op) {
            warnings.push(format!("{id}: left out: {reason}"));
            if let (Some(protocol), true) = (protocol, opts.protocol_tests) {
                let why = format!("the operation is left out: {reason}");
                for t in
                    l.protocol_tests(shape, &[], &[], &[], protocol, opts, &mut BTreeSet::new())
                {
                    skipped_tests.push(ProtocolTest {
                        skip: Some(why.clone()),
                        server_only: true,
                        ..t
                    });
                }
            }
            left_out.push((shape.name().to_string(), reason));
            continue;
        }
        ops.push(shape);
    }

    // The closure, with the directions each type is used in.
    let mut ser_set = BTreeSet::new();
    let mut de_set = BTreeSet::new();
    let mut input_structs = BTreeSet::new();
    for op in &ops {
        if let Kind::Operation(o) = &op.kind {
            l.walk(&o.input, &mut ser_set);
            input_structs.insert(o.input.clone());
            l.walk(&o.output, &mut de_set);
            for e in o.errors.iter().chain(&svc.errors) {
                l.walk(e, &mut de_set);
            }
        }
    }
    let all: BTreeSet<String> = ser_set.union(&de_set).cloned().collect();
    let mut by_name: BTreeMap<String, String> = BTreeMap::new();
    let mut named: Vec<(String, String)> = Vec::new();
    for id in &all {
        let Some(shape) = model.shapes.get(id) else {
            continue;
        };
        if !Lowerer::is_named(shape) {
            continue;
        }
        let name = type_ident(&l.renamed(id));
        if let Some(prev) = by_name.insert(name.clone(), id.clone()) {
            l.problem(
                id.as_str(),
                &shape.path,
                if l.renames.contains_key(id.as_str()) || l.renames.contains_key(prev.as_str()) {
                    format!("`{id}` and `{prev}` both become the Rust type `{name}` after the service's `rename`; rename them apart")
                } else {
                    format!("`{id}` and `{prev}` both become the Rust type `{name}`; add a `rename` to the service")
                },
            );
        }
        l.names.insert(id.clone(), name.clone());
        named.push((name, id.clone()));
    }
    named.sort();

    // Types, in name order.
    let mut types = Vec::new();
    for (name, id) in &named {
        let Some(shape) = model.shapes.get(id) else {
            continue;
        };
        // An event stream union is read and written message by message, never as a
        // JSON value.
        let stream_union = shape.has(STREAMING) && matches!(shape.kind, Kind::Union { .. });
        let codec = Codec {
            ser: ser_set.contains(id) && !stream_union,
            de: de_set.contains(id) && !stream_union,
        };
        let def = match &shape.kind {
            Kind::Structure { members } => TypeDef::Struct(l.lower_struct(
                shape,
                members,
                name,
                codec,
                input_structs.contains(id),
            )),
            Kind::Union { members } => TypeDef::Union(l.lower_union(shape, members, name, codec)),
            _ => TypeDef::Enum(l.lower_enum(shape, name, codec)),
        };
        types.push(def);
    }

    // Operations, in name order.
    let mut operations = Vec::new();
    let mut op_names: BTreeMap<String, String> = BTreeMap::new();
    let mut fn_names: BTreeSet<String> = BTreeSet::new();
    // Each error's protocol tests go with the first operation that lists it.
    let mut tested_errors: BTreeSet<String> = BTreeSet::new();
    ops.sort_by_key(|s| type_ident(&l.renamed(&s.id)));
    for shape in &ops {
        let Kind::Operation(o) = &shape.kind else {
            continue;
        };
        let type_name = type_ident(&l.renamed(&shape.id));
        let mut fn_name = field_ident(&l.renamed(&shape.id));
        // `Config` becomes `config_operation`; an operation `ConfigOperation` that
        // comes after it, `config_operation_operation`.
        while CLIENT_METHODS.contains(&fn_name.as_str()) || fn_names.contains(&fn_name) {
            fn_name.push_str("_operation");
        }
        fn_names.insert(fn_name.clone());
        if let Some(prev) = op_names.insert(type_name.clone(), shape.id.clone()) {
            l.problem(
                shape.id.as_str(),
                &shape.path,
                format!(
                    "operations `{}` and `{prev}` both become `{type_name}`",
                    shape.id
                ),
            );
        }
        let mut errors = Vec::new();
        let mut seen = BTreeSet::new();
        for e in o.errors.iter().chain(&svc.errors) {
            if !seen.insert(e.clone()) {
                continue;
            }
            let Some(es) = model.shapes.get(e) else {
                continue;
            };
            let type_name = l.names.get(e).cloned().unwrap_or_default();
            let variant = if type_name == "Unhandled" {
                "UnhandledError".to_string()
            } else {
                type_name.clone()
            };
            let server = typed::is_server_error(&es.traits);
            errors.push(OperationError {
                code: shape_name(e).to_string(),
                query_code: typed::query_error_code(&es.traits).map(str::to_string),
                variant,
                type_name,
                server,
                retryable: es.has(RETRYABLE),
                docs: or_default_doc(l.docs_of(&es.traits), || {
                    format!("The `{}` error.", es.name())
                }),
                is_fn: String::new(),
            });
        }
        errors.sort_by(|a, b| a.variant.cmp(&b.variant));
        // Each variant's `is_` test, unique beside the enum's own methods.
        let wanted: Vec<String> = errors
            .iter()
            .map(|e| crate::names::derived::is_fn(&e.variant))
            .collect();
        let tests = crate::names::assign_unique(
            &wanted,
            &["is_unhandled", "meta", "code", "message"],
            "_error",
            |n| vec![n.to_string()],
        );
        for (e, is_fn) in errors.iter_mut().zip(tests) {
            e.is_fn = is_fn;
        }
        let paginator = if shape.has(PAGINATED) {
            l.paginator(shape, &o.input, &o.output)
        } else {
            None
        };
        let host_prefix = l.host_prefix(shape, &o.input);
        // (A service has operations here only when its protocol is known.)
        let protocol_tests = match protocol {
            Some(protocol) if opts.protocol_tests => l.protocol_tests(
                shape,
                &o.errors,
                &svc.errors,
                &errors,
                protocol,
                opts,
                &mut tested_errors,
            ),
            _ => Vec::new(),
        };
        let named = |id: &str| {
            if id == "smithy.api#Unit" {
                None
            } else {
                l.names.get(id).cloned()
            }
        };
        let request_compression = typed::compresses_with_gzip(&shape.traits);
        let (endpoint_params, endpoint_override) = l.endpoint_params(shape, &o.input);
        let (auth, optional_auth) = l.auth(shape);
        let http = typed::http(&shape.traits);
        let input_stream = l.input_stream(&o.input);
        let discovery_mode = match shape.traits.get(CLIENT_DISCOVERED_ENDPOINT) {
            None => DiscoveryMode::None,
            Some(t) if t.get("required").and_then(Value::as_bool) == Some(true) => {
                DiscoveryMode::Required
            }
            Some(_) => DiscoveryMode::Optional,
        };
        let discovery_ids = match l.shape(&o.input) {
            Some(Shape {
                kind: Kind::Structure { members },
                ..
            }) => members
                .iter()
                .filter(|m| m.traits.contains_key(CLIENT_ENDPOINT_DISCOVERY_ID))
                .map(|m| m.name.clone())
                .collect(),
            _ => Vec::new(),
        };
        operations.push(Operation {
            waiters: waiters(shape),
            discovery: discovery_mode,
            discovery_ids,
            checksum_required: shape.has("smithy.api#httpChecksumRequired"),
            requires_length: input_stream.is_some_and(|t| t.has(REQUIRES_LENGTH)),
            unsigned_payload: shape.has("aws.auth#unsignedPayload"),
            tree_hash: typed::sdk_id(&service.traits) == Some("Glacier") && input_stream.is_some(),
            http,
            auth,
            optional_auth,
            endpoint_params,
            endpoint_override,
            request_compression,
            protocol_tests,
            wire_name: shape.name().to_string(),
            error_enum: crate::names::derived::error_enum(&type_name),
            error_fn: crate::names::derived::error_fn(&type_name),
            fluent_builder: crate::names::derived::fluent_builder(&type_name),
            paginator_type: crate::names::derived::paginator(&type_name),
            type_name,
            fn_name,
            docs: or_default_doc(l.docs_of(&shape.traits), || {
                format!("Calls `{}`.", shape.name())
            }),
            deprecated: shape.has(DEPRECATED),
            input: named(&o.input),
            output: named(&o.output),
            errors,
            paginator,
            host_prefix,
        });
    }
    operations.sort_by(|a, b| a.type_name.cmp(&b.type_name));
    // Test function names are unique in the one test file.
    let wanted: Vec<String> = operations
        .iter()
        .flat_map(|o| o.protocol_tests.iter())
        .chain(&skipped_tests)
        .map(|t| crate::names::snake_case(&t.id))
        .collect();
    let mut fn_names =
        crate::names::assign_unique(&wanted, &[], "_case", |n| vec![n.to_string()]).into_iter();
    for t in operations
        .iter_mut()
        .flat_map(|o| o.protocol_tests.iter_mut())
        .chain(skipped_tests.iter_mut())
    {
        t.fn_name = crate::names::escape(fn_names.next().unwrap_or_default());
    }

    // The discovery operation, when it is generated (it is not when a protocol or
    // an event stream leaves it out: the operations that need it then go to the
    // regular endpoint, as with discovery turned off).
    let discovery = discovery.and_then(|id| {
        let wire = shape_name(id);
        let op = operations.iter().find(|o| o.wire_name == wire)?;
        Some(crate::ir::EndpointDiscovery {
            operation: op.type_name.clone(),
            wire_name: op.wire_name.clone(),
            error_code: discovery_trait
                .and_then(|t| t.get("error"))
                .and_then(Value::as_str)
                .map(|e| shape_name(e).to_string()),
        })
    });
    if discovery.is_none() {
        for op in &mut operations {
            if op.discovery != DiscoveryMode::None {
                warnings.push(format!(
                    "{}: goes to the regular endpoint: the service has no endpoint discovery operation this client can call",
                    op.wire_name
                ));
                op.discovery = DiscoveryMode::None;
            }
        }
    }
    if !l.problems.is_empty() {
        return Err(Error::Invalid(l.problems));
    }
    let title = service
        .traits
        .get(TITLE)
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| sdk_id.clone());
    Ok(Service {
        shape_id: service.id.clone(),
        target_prefix: service.name().to_string(),
        lib_name: package.replace('-', "_"),
        crate_name: package,
        docs: or_default_doc(l.docs_of(&service.traits), || {
            format!("A client for {title}.")
        }),
        title,
        sdk_id,
        protocol,
        signing_name,
        endpoint_prefix,
        version: svc.version.clone().unwrap_or_default(),
        query_compatible: service.has(QUERY_COMPATIBLE),
        operations,
        types,
        warnings,
        left_out,
        skipped_tests,
        // Service customizations the official SDKs make. API Gateway answers in JSON
        // only when asked to; Glacier wants its API version on every request, and
        // `-` for the caller's own account.
        default_headers: match typed::sdk_id(&service.traits) {
            Some("API Gateway") => vec![("Accept".to_string(), "application/json".to_string())],
            Some("Glacier") => vec![(
                "X-Amz-Glacier-Version".to_string(),
                svc.version.clone().unwrap_or_default(),
            )],
            _ => Vec::new(),
        },
        label_defaults: ["accountId"]
            .iter()
            .filter_map(|m| Some((m.to_string(), label_default(service, m)?.to_string())))
            .collect(),
        discovery,
        endpoint_rules: service.traits.get(ENDPOINT_RULE_SET).map(|v| v.to_string()),
        endpoint_tests: if opts.endpoint_tests {
            service
                .traits
                .get(ENDPOINT_TESTS)
                .and_then(|t| t.get("testCases"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        } else {
            Vec::new()
        },
    })
}
