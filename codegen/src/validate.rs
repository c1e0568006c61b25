//! Model-wide checks that run before lowering: every target resolves to a shape of
//! the right type, and every trait the generator reads has the form the spec gives it.
//! After this pass, lowering may rely on what was checked here.

use crate::error::{Diagnostic, Error, Result};
use crate::model::{describe, Kind, Member, Model, Shape, Simple};
use crate::traits::typed;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Trait ids the generator reads.
pub mod traits {
    #![allow(missing_docs)]
    pub const DOCUMENTATION: &str = "smithy.api#documentation";
    pub const REQUIRED: &str = "smithy.api#required";
    pub const DEFAULT: &str = "smithy.api#default";
    pub const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
    pub const INPUT: &str = "smithy.api#input";
    pub const OUTPUT: &str = "smithy.api#output";
    pub const ERROR: &str = "smithy.api#error";
    pub const PAGINATED: &str = "smithy.api#paginated";
    pub const ENUM_VALUE: &str = "smithy.api#enumValue";
    pub const ENUM: &str = "smithy.api#enum";
    pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
    pub const SENSITIVE: &str = "smithy.api#sensitive";
    pub const SPARSE: &str = "smithy.api#sparse";
    pub const STREAMING: &str = "smithy.api#streaming";
    pub const REQUIRES_LENGTH: &str = "smithy.api#requiresLength";
    pub const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
    pub const DEPRECATED: &str = "smithy.api#deprecated";
    pub const MIXIN: &str = "smithy.api#mixin";
    pub const TITLE: &str = "smithy.api#title";
    pub const RETRYABLE: &str = "smithy.api#retryable";
    pub const AWS_SERVICE: &str = "aws.api#service";
    pub const SIGV4: &str = "aws.auth#sigv4";
    pub const AWS_JSON_1_0: &str = "aws.protocols#awsJson1_0";
    pub const AWS_JSON_1_1: &str = "aws.protocols#awsJson1_1";
    pub const QUERY_COMPATIBLE: &str = "aws.protocols#awsQueryCompatible";
    pub const QUERY_ERROR: &str = "aws.protocols#awsQueryError";
    pub const REST_JSON_1: &str = "aws.protocols#restJson1";
    pub const JSON_NAME: &str = "smithy.api#jsonName";
    pub const HTTP: &str = "smithy.api#http";
    pub const HTTP_LABEL: &str = "smithy.api#httpLabel";
    pub const HTTP_QUERY: &str = "smithy.api#httpQuery";
    pub const HTTP_QUERY_PARAMS: &str = "smithy.api#httpQueryParams";
    pub const HTTP_HEADER: &str = "smithy.api#httpHeader";
    pub const HTTP_PREFIX_HEADERS: &str = "smithy.api#httpPrefixHeaders";
    pub const HTTP_PAYLOAD: &str = "smithy.api#httpPayload";
    pub const HTTP_RESPONSE_CODE: &str = "smithy.api#httpResponseCode";
    pub const MEDIA_TYPE: &str = "smithy.api#mediaType";
    pub const AUTH: &str = "smithy.api#auth";
    pub const OPTIONAL_AUTH: &str = "smithy.api#optionalAuth";
    pub const HTTP_BEARER_AUTH: &str = "smithy.api#httpBearerAuth";
    pub const ENDPOINT_RULE_SET: &str = "smithy.rules#endpointRuleSet";
    pub const EVENT_HEADER: &str = "smithy.api#eventHeader";
    pub const EVENT_PAYLOAD: &str = "smithy.api#eventPayload";
    pub const CLIENT_ENDPOINT_DISCOVERY: &str = "aws.api#clientEndpointDiscovery";
    pub const CLIENT_DISCOVERED_ENDPOINT: &str = "aws.api#clientDiscoveredEndpoint";
    pub const CLIENT_ENDPOINT_DISCOVERY_ID: &str = "aws.api#clientEndpointDiscoveryId";
    pub const ENDPOINT_TESTS: &str = "smithy.rules#endpointTests";
    pub const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";
    pub const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
    pub const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";
    pub const HTTP_REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
    pub const HTTP_RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";
    pub const HTTP_MALFORMED_REQUEST_TESTS: &str = "smithy.test#httpMalformedRequestTests";
    pub const EVENT_STREAM_TESTS: &str = "smithy.test#eventStreamTests";
    pub const PROTOCOL_DEFINITION: &str = "smithy.api#protocolDefinition";
    pub const AUTH_DEFINITION: &str = "smithy.api#authDefinition";
    pub const WAITABLE: &str = "smithy.waiters#waitable";
}
use traits::*;

struct Checker<'m> {
    model: &'m Model,
    problems: Vec<Diagnostic>,
    /// What Smithy would warn about and go on: it does not stop generation.
    warnings: Vec<Diagnostic>,
}

fn trait_path(path: &str, t: &str) -> String {
    format!("{path}.traits[{}]", Value::String(t.to_string()))
}

impl<'m> Checker<'m> {
    fn problem(
        &mut self,
        subject: impl Into<String>,
        path: impl Into<String>,
        msg: impl Into<String>,
    ) {
        self.problems.push(Diagnostic::new(subject, path, msg));
    }

    fn expect_target(
        &mut self,
        subject: &str,
        path: &str,
        target: &str,
        what: &str,
    ) -> Option<&'m Shape> {
        let model: &'m Model = self.model;
        match model.shapes.get(target) {
            Some(s) => Some(s),
            None => {
                self.problem(
                    subject,
                    path,
                    format!("{what} `{target}` is not a shape in the model or the prelude"),
                );
                None
            }
        }
    }

    fn check_traits(
        &mut self,
        subject: &str,
        path: &str,
        traits: &crate::model::Traits,
        target: Option<&Shape>,
        owner: &Shape,
    ) {
        for (t, v) in traits {
            let tp = trait_path(path, t);
            let subject_t = format!("{subject} @{t}");
            let bad = |what: &str| format!("must be {what}, found {}", describe(v));
            match t.as_str() {
                DOCUMENTATION | TITLE if !v.is_string() => {
                    self.problem(&subject_t, &tp, bad("a string"));
                }
                MEDIA_TYPE => match v.as_str().map(media_type_error) {
                    None => self.problem(&subject_t, &tp, bad("a string")),
                    Some(Some(why)) => self.problem(
                        &subject_t,
                        &tp,
                        format!(
                            "`{}` is not a media type: {why}",
                            v.as_str().unwrap_or_default()
                        ),
                    ),
                    Some(None) => {}
                },
                REQUIRED | CLIENT_OPTIONAL | INPUT | SENSITIVE | SPARSE | IDEMPOTENCY_TOKEN
                | MIXIN | QUERY_COMPATIBLE | AWS_JSON_1_0 | AWS_JSON_1_1 | STREAMING
                    if !v.is_object() =>
                {
                    self.problem(
                        &subject_t,
                        &tp,
                        bad("an object (`{}` for an annotation trait)"),
                    );
                }
                ERROR => {
                    if !matches!(v.as_str(), Some("client" | "server")) {
                        self.problem(
                            &subject_t,
                            &tp,
                            format!("must be \"client\" or \"server\", found {v}"),
                        );
                    }
                    if !matches!(owner.kind, Kind::Structure { .. }) {
                        self.problem(
                            &subject_t,
                            &tp,
                            "the error trait only applies to structures",
                        );
                    }
                }
                TIMESTAMP_FORMAT
                    if !matches!(
                        v.as_str(),
                        Some("date-time" | "http-date" | "epoch-seconds")
                    ) =>
                {
                    self.problem(
                        &subject_t,
                        &tp,
                        format!(
                            "must be \"date-time\", \"http-date\" or \"epoch-seconds\", found {v}"
                        ),
                    );
                }
                ENUM_VALUE => match &owner.kind {
                    Kind::Enum { .. } if !v.as_str().is_some_and(|s| !s.is_empty()) => self
                        .problem(
                            &subject_t,
                            &tp,
                            bad("a non-empty string for an enum member"),
                        ),
                    Kind::IntEnum { .. }
                        if !v.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) =>
                    {
                        self.problem(
                            &subject_t,
                            &tp,
                            bad("a 32-bit integer for an intEnum member"),
                        )
                    }
                    _ => {}
                },
                ENUM => self.check_enum_trait(&subject_t, &tp, v),
                PAGINATED => match v.as_object() {
                    Some(o) => {
                        for (k, x) in o {
                            if !matches!(
                                k.as_str(),
                                "inputToken" | "outputToken" | "items" | "pageSize"
                            ) {
                                // Smithy warns about properties a trait does not define, and goes on.
                                self.warnings.push(Diagnostic::new(
                                    &subject_t,
                                    format!("{tp}.{k}"),
                                    format!("`{k}` is not a property of the paginated trait; it is ignored"),
                                ));
                            } else if !x.is_string() {
                                self.problem(
                                    &subject_t,
                                    format!("{tp}.{k}"),
                                    format!("`{k}` must be a string, found {}", describe(x)),
                                );
                            }
                        }
                    }
                    None => self.problem(&subject_t, &tp, bad("an object")),
                },
                AWS_SERVICE => match v.as_object() {
                    Some(o) => {
                        for key in ["sdkId", "endpointPrefix"] {
                            if let Some(x) = o.get(key) {
                                if !x.is_string() {
                                    self.problem(
                                        &subject_t,
                                        format!("{tp}.{key}"),
                                        format!("`{key}` must be a string, found {}", describe(x)),
                                    );
                                }
                            }
                        }
                        if !o.get("sdkId").is_some_and(Value::is_string) {
                            self.problem(&subject_t, &tp, "`sdkId` is required");
                        }
                    }
                    None => self.problem(&subject_t, &tp, bad("an object")),
                },
                SIGV4
                    if !v
                        .get("name")
                        .is_some_and(|n| n.as_str().is_some_and(|s| !s.is_empty())) =>
                {
                    self.problem(
                        &subject_t,
                        &tp,
                        "must be an object with a non-empty string `name`",
                    );
                }
                STATIC_CONTEXT_PARAMS => {
                    for (name, p) in v.as_object().into_iter().flatten() {
                        let value = p.get("value").unwrap_or(&Value::Null);
                        let ok = match value {
                            Value::String(_) | Value::Bool(_) => true,
                            Value::Array(a) => a.iter().all(Value::is_string),
                            _ => false,
                        };
                        if !ok {
                            self.problem(
                                &subject_t,
                                format!("{}.value", crate::model::json_key(&tp, name)),
                                format!("the endpoint parameter `{name}` is given {}; a static context parameter is a string, a boolean or a list of strings", describe(value)),
                            );
                        }
                    }
                }
                REQUEST_COMPRESSION => self.check_request_compression(&subject_t, &tp, v, owner),
                QUERY_COMPATIBLE
                    if !std::iter::once(&AWS_JSON_1_0)
                        .chain(&SMITHY_PROTOCOLS)
                        .any(|p| traits.contains_key(*p)) =>
                {
                    self.problem(
                        &subject_t,
                        &tp,
                        "applies to a service of the protocol awsJson1_0, rpcv2Cbor or rpcv2Json (the protocols that can stand in for awsQuery), and this service has none of them",
                    );
                }
                ENDPOINT_TESTS
                    if !traits.contains_key(ENDPOINT_RULE_SET)
                        && !traits.contains_key("smithy.rules#endpointBdd") =>
                {
                    self.problem(
                        &subject_t,
                        &tp,
                        "endpoint tests need the endpoint rules they test: the service has no `@smithy.rules#endpointRuleSet` (or `@smithy.rules#endpointBdd`)",
                    );
                }
                "aws.auth#sigv4a" if !traits.contains_key(SIGV4) => {
                    self.problem(
                        &subject_t,
                        &tp,
                        "SigV4a goes beside SigV4 (`@aws.auth#sigv4`), which clients fall back to",
                    );
                }
                "smithy.api#uniqueItems" => {
                    if traits.contains_key(SPARSE) {
                        self.problem(
                            &subject_t,
                            &tp,
                            "a list cannot be both `@uniqueItems` and `@sparse`",
                        );
                    }
                    if let Kind::List { member } = &owner.kind {
                        if let Some(found) = self.reaches_inexact(&member.target) {
                            self.problem(
                                &subject_t,
                                &tp,
                                format!("`@uniqueItems` needs items that compare exactly, and these reach the {} `{found}`", self.model.shapes.get(found).map_or("shape", |f| f.kind.type_name())),
                            );
                        }
                    }
                }
                "smithy.api#addedDefault" if !traits.contains_key(DEFAULT) => {
                    self.problem(
                        &subject_t,
                        &tp,
                        "marks a default as added later, and the member has no `@default`",
                    );
                }
                QUERY_ERROR if !v.get("code").is_some_and(Value::is_string) => {
                    self.problem(&subject_t, &tp, "must be an object with a string `code`");
                }
                DEFAULT => {
                    // A member may set `null`, making itself optional.
                    let member = path != owner.path;
                    if v.is_null() && !member {
                        self.problem(
                            &subject_t,
                            &tp,
                            "only a member's default can be null (it makes the member optional)",
                        );
                    } else if let Some(target) = target {
                        let placed = !member
                            || matches!(owner.kind, Kind::Structure { .. })
                                && matches!(
                                    target.kind,
                                    Kind::Simple(_)
                                        | Kind::Enum { .. }
                                        | Kind::IntEnum { .. }
                                        | Kind::List { .. }
                                        | Kind::Map { .. }
                                );
                        if !placed {
                            self.problem(
                                &subject_t,
                                &tp,
                                format!(
                                    "a default applies to the members of a structure that target a simple shape, list or map, not to {}",
                                    if matches!(owner.kind, Kind::Structure { .. }) {
                                        format!("one that targets the {} `{}`", target.kind.type_name(), target.id)
                                    } else {
                                        format!("a member of a {}", owner.kind.type_name())
                                    }
                                ),
                            );
                        } else if self.check_default(&subject_t, &tp, v, target) {
                            let own = if member { Some(traits) } else { None };
                            match default_breaks_constraints(v, own, target) {
                                // Smithy's allowance for the zero defaults of models
                                // converted from IDL 1.0.
                                Some(why) if v.as_f64() == Some(0.0) => {
                                    self.warnings.push(Diagnostic::new(&subject_t, &tp, why))
                                }
                                Some(why) => self.problem(&subject_t, &tp, why),
                                None => {}
                            }
                        }
                    }
                }
                "smithy.api#length" | "smithy.api#range" => match v.as_object() {
                    Some(o) => {
                        self.check_bounds(&subject_t, &tp, t == "smithy.api#length", v);
                        for (k, x) in o {
                            if !matches!(k.as_str(), "min" | "max") {
                                // Smithy warns about properties a trait does not define.
                                self.warnings.push(Diagnostic::new(
                                    &subject_t,
                                    format!("{tp}.{k}"),
                                    format!("`{k}` is not a property of the trait (only `min` and `max` are); it is ignored"),
                                ));
                            } else if !x.is_number() {
                                self.problem(
                                    &subject_t,
                                    format!("{tp}.{k}"),
                                    format!("`{k}` must be a number, found {}", describe(x)),
                                );
                            }
                        }
                    }
                    None => self.problem(&subject_t, &tp, bad("an object")),
                },
                "smithy.api#pattern" if !v.is_string() => {
                    self.problem(&subject_t, &tp, bad("a string"));
                }
                _ => {}
            }
        }
    }

    /// `@length` and `@range`: one bound at least, `min` not above `max`, and lengths
    /// whole and not negative.
    fn check_bounds(&mut self, subject_t: &str, tp: &str, length: bool, v: &Value) {
        let bound = |k: &str| v.get(k).and_then(Value::as_f64);
        let (min, max) = (bound("min"), bound("max"));
        if min.is_none() && max.is_none() {
            self.problem(subject_t, tp, "needs `min`, `max` or both");
        }
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                self.problem(
                    subject_t,
                    tp,
                    format!("`min` ({lo}) is greater than `max` ({hi})"),
                );
            }
        }
        if length {
            for k in ["min", "max"] {
                if let Some(n) = v.get(k).filter(|n| n.is_number() && n.as_u64().is_none()) {
                    self.problem(
                        subject_t,
                        format!("{tp}.{k}"),
                        format!("`{k}` must be a whole number of 0 or more, found {n}"),
                    );
                }
            }
        }
    }

    fn check_enum_trait(&mut self, subject: &str, path: &str, v: &Value) {
        let Some(items) = v.as_array() else {
            self.problem(
                subject,
                path,
                format!("must be a list of enum definitions, found {}", describe(v)),
            );
            return;
        };
        if items.is_empty() {
            self.problem(subject, path, "must list at least one value");
        }
        let named = items.iter().filter(|i| i.get("name").is_some()).count();
        if named != 0 && named != items.len() {
            self.problem(
                subject,
                path,
                "if one enum definition has a `name`, all must",
            );
        }
        let mut values = std::collections::BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            let ip = format!("{path}[{i}]");
            match item.get("value").and_then(Value::as_str) {
                Some(value) if !values.insert(value.to_string()) => {
                    self.problem(subject, &ip, format!("value `{value}` is listed twice"));
                }
                Some(_) => {}
                None => self.problem(subject, &ip, "each enum definition needs a string `value`"),
            }
            if let Some(name) = item.get("name") {
                if !name
                    .as_str()
                    .is_some_and(|n| crate::model::is_shape_id(&format!("a#{n}")))
                {
                    self.problem(
                        subject,
                        format!("{ip}.name"),
                        format!("`name` must be an identifier, found {name}"),
                    );
                }
            }
        }
    }

    /// A member's HTTP binding traits: one at most, each on the kinds of targets its
    /// definition takes (a header or query parameter a scalar or a list of scalars,
    /// `@httpQueryParams` a map of strings or lists of strings, `@httpPrefixHeaders` a
    /// map of strings).
    fn check_member_bindings(&mut self, subject: &str, m: &Member, target: Option<&Shape>) {
        let bindings: Vec<&str> = HTTP_BINDINGS
            .iter()
            .filter(|b| m.traits.contains_key(**b))
            .map(|b| b.trim_start_matches("smithy.api#"))
            .collect();
        if bindings.len() > 1 {
            self.problem(
                subject,
                &m.path,
                format!(
                    "a member is bound to one place of the HTTP message, and this one has {}",
                    bindings
                        .iter()
                        .map(|b| format!("`@{b}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        let Some(target) = target else {
            return;
        };
        let model = self.model;
        let kind_of = |id: &str| model.shapes.get(id).map(|s| &s.kind);
        let scalar = |k: Option<&Kind>| k.is_some_and(Kind::is_http_scalar);
        let string = |k: Option<&Kind>| k.is_some_and(Kind::is_string);
        let ok = |binding: &str| match binding {
            HTTP_HEADER | HTTP_QUERY => {
                target.kind.is_http_scalar()
                    || matches!(&target.kind, Kind::List { member } if scalar(kind_of(&member.target)))
            }
            HTTP_QUERY_PARAMS => matches!(&target.kind, Kind::Map { value, .. }
                if string(kind_of(&value.target))
                    || matches!(kind_of(&value.target), Some(Kind::List { member }) if string(kind_of(&member.target)))),
            HTTP_PREFIX_HEADERS => matches!(&target.kind, Kind::Map { value, .. }
                if string(kind_of(&value.target)) && !target.has(SPARSE)),
            _ => true,
        };
        for (binding, wants) in [
            (
                HTTP_HEADER,
                "a boolean, number, string or timestamp, or a list of them",
            ),
            (
                HTTP_QUERY,
                "a boolean, number, string or timestamp, or a list of them",
            ),
            (HTTP_QUERY_PARAMS, "a map of strings or of lists of strings"),
            (HTTP_PREFIX_HEADERS, "a map of strings that is not sparse"),
        ] {
            if m.traits.contains_key(binding) && !ok(binding) {
                self.problem(
                    subject,
                    trait_path(&m.path, binding),
                    format!(
                        "`@{}` binds {wants}, not the {} `{}`",
                        binding.trim_start_matches("smithy.api#"),
                        target.kind.type_name(),
                        target.id
                    ),
                );
            }
        }
    }

    /// The binding traits only one member of a structure can have; and no header bound
    /// by name that the prefix of `@httpPrefixHeaders` takes too.
    fn check_exclusive_bindings(&mut self, shape: &Shape) {
        let members = shape.kind.members();
        let prefix = members
            .iter()
            .find_map(|m| Some((m, m.traits.get(HTTP_PREFIX_HEADERS)?.as_str()?)));
        // An empty prefix takes every header; Smithy only notes that.
        if let Some((p, prefix)) = prefix.filter(|(_, prefix)| !prefix.is_empty()) {
            for m in members.iter() {
                let Some(name) = m.traits.get(HTTP_HEADER).and_then(Value::as_str) else {
                    continue;
                };
                if name
                    .to_ascii_lowercase()
                    .starts_with(&prefix.to_ascii_lowercase())
                {
                    self.problem(
                        format!("{}${}", shape.id, m.name),
                        trait_path(&m.path, HTTP_HEADER),
                        format!("the header `{name}` also starts with `{prefix}`, the prefix of the headers `{}` binds with `@httpPrefixHeaders`", p.name),
                    );
                }
            }
        }
        for binding in [
            HTTP_PAYLOAD,
            HTTP_QUERY_PARAMS,
            HTTP_PREFIX_HEADERS,
            HTTP_RESPONSE_CODE,
        ] {
            let bound: Vec<&str> = shape
                .kind
                .members()
                .iter()
                .filter(|m| m.traits.contains_key(binding))
                .map(|m| m.name.as_str())
                .collect();
            if bound.len() > 1 {
                self.problem(
                    &shape.id,
                    &shape.path,
                    format!(
                        "only one member of a structure can have `@{}`, and {} have it",
                        binding.trim_start_matches("smithy.api#"),
                        bound.join(", ")
                    ),
                );
            }
        }
    }

    /// A structure with an `@httpPayload` member binds every other member to the HTTP
    /// message too (the payload is the whole body): the input and output of operations
    /// with `@http`, and errors.
    /// An operation with `aws.api#clientDiscoveredEndpoint` belongs to a service with
    /// `aws.api#clientEndpointDiscovery`.
    fn check_discovered_operations(&mut self) {
        let model = self.model;
        let discovering: BTreeSet<String> = model
            .shapes
            .values()
            .filter(|s| s.has(CLIENT_ENDPOINT_DISCOVERY))
            .flat_map(|s| crate::lower::service_operations(model, s))
            .collect();
        for s in model.shapes.values() {
            if s.has(CLIENT_DISCOVERED_ENDPOINT) && !discovering.contains(&s.id) {
                self.problem(
                    s.id.as_str(),
                    trait_path(&s.path, CLIENT_DISCOVERED_ENDPOINT),
                    format!("the operation goes to discovered endpoints but belongs to no service with `@{CLIENT_ENDPOINT_DISCOVERY}`"),
                );
            }
        }
    }

    fn check_payload_structures(&mut self) {
        let model = self.model;
        let request: &[&str] = &[
            HTTP_LABEL,
            HTTP_QUERY,
            HTTP_QUERY_PARAMS,
            HTTP_HEADER,
            HTTP_PREFIX_HEADERS,
            HTTP_PAYLOAD,
        ];
        let response: &[&str] = &[
            HTTP_HEADER,
            HTTP_PREFIX_HEADERS,
            HTTP_RESPONSE_CODE,
            HTTP_PAYLOAD,
        ];
        let mut seen = BTreeSet::new();
        for s in model.shapes.values().filter(|s| s.path != "prelude") {
            let targets: Vec<(&str, &[&str])> = match &s.kind {
                Kind::Operation(op) if s.has(HTTP) => {
                    vec![(&op.input, request), (&op.output, response)]
                }
                Kind::Structure { .. } if s.has(ERROR) => vec![(&s.id, response)],
                _ => continue,
            };
            for (id, bound) in targets {
                if !seen.insert((id, bound.len())) {
                    continue;
                }
                let Some(t) = model.shapes.get(id) else {
                    continue;
                };
                let members = t.kind.members();
                if !members.iter().any(|m| m.traits.contains_key(HTTP_PAYLOAD)) {
                    continue;
                }
                let unbound: Vec<&str> = members
                    .iter()
                    .filter(|m| !bound.iter().any(|b| m.traits.contains_key(*b)))
                    .map(|m| m.name.as_str())
                    .collect();
                if !unbound.is_empty() {
                    self.problem(
                        &t.id,
                        &t.path,
                        format!(
                            "a member is the `@httpPayload` (the whole {}), so every other member must be bound to the HTTP message too, and {} {} not",
                            if bound.len() == request.len() { "request body" } else { "response body" },
                            unbound.join(", "),
                            if unbound.len() == 1 { "is" } else { "are" }
                        ),
                    );
                }
            }
        }
    }

    /// `@requestCompression`: at least one encoding, each one Smithy knows (gzip), on an
    /// operation with an input none of whose members is a stream that needs its length
    /// (compression changes the length).
    fn check_request_compression(&mut self, subject: &str, path: &str, v: &Value, op: &Shape) {
        let encodings = v.get("encodings").and_then(Value::as_array);
        if encodings.is_some_and(|e| e.is_empty()) {
            self.problem(
                subject,
                path,
                "lists no encoding; it needs at least one (`gzip`)",
            );
        }
        let unknown: Vec<String> = encodings
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|e| !e.eq_ignore_ascii_case("gzip"))
            .map(|e| format!("`{e}`"))
            .collect();
        if !unknown.is_empty() {
            self.problem(
                subject,
                path,
                format!(
                    "lists encodings Smithy does not define: {} (the one defined is `gzip`)",
                    unknown.join(", ")
                ),
            );
        }
        let Kind::Operation(o) = &op.kind else {
            return;
        };
        if o.input == "smithy.api#Unit" {
            self.problem(
                subject,
                path,
                "is on an operation without an input, which has nothing to compress",
            );
            return;
        }
        let model = self.model;
        let members = model.shapes.get(&o.input).map(|i| i.kind.members());
        for m in members.into_iter().flatten() {
            if model
                .shapes
                .get(&m.target)
                .is_some_and(|t| t.has(STREAMING) && t.has(REQUIRES_LENGTH))
            {
                self.problem(
                    subject,
                    path,
                    format!("is on an operation whose input member `{}` is a stream that needs its length (`@requiresLength`), which compression would change", m.name),
                );
            }
        }
    }

    /// A structure member whose target has a default repeats that default, or sets
    /// `null` to be optional: the member's own default is the one the generated code
    /// and the wire use, so it cannot differ.
    fn check_member_default(&mut self, subject: &str, m: &Member, target: &Shape) {
        let Some(wanted) = target.traits.get(DEFAULT).filter(|v| !v.is_null()) else {
            return;
        };
        match m.traits.get(DEFAULT) {
            None => self.problem(
                subject,
                &m.path,
                format!(
                    "`{}` has the default {wanted}, so the member must have the same default (or `null`)",
                    target.id
                ),
            ),
            Some(v) if !v.is_null() && !same_value(v, wanted) => self.problem(
                subject,
                trait_path(&m.path, DEFAULT),
                format!(
                    "the default {v} differs from the default {wanted} of its target `{}`",
                    target.id
                ),
            ),
            Some(_) => {}
        }
    }

    /// Whether `v` is a value of `target`'s type, for a default (a problem if not).
    fn check_default(&mut self, subject: &str, path: &str, v: &Value, target: &Shape) -> bool {
        // JSON's `-0` is an integer, which the JSON reader gives as the float -0.0.
        let integer = |n: &serde_json::Number| {
            n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| *f == 0.0 && f.is_sign_negative())
                    .map(|_| 0)
            })
        };
        let int_in = |n: &serde_json::Number, min: i64, max: i64| {
            integer(n).is_some_and(|i| (min..=max).contains(&i))
        };
        let ok = match (&target.kind, v) {
            (_, Value::Null) => true,
            (Kind::Simple(Simple::Boolean), Value::Bool(_)) => true,
            (Kind::Simple(Simple::String), Value::String(_)) => true,
            (Kind::Simple(Simple::Blob), Value::String(text)) => {
                // Smithy only warns: the text's own bytes stand for the value.
                if decode_base64(text).is_none() {
                    self.warnings.push(Diagnostic::new(
                        subject,
                        path,
                        format!("a blob default should be base64 text, and {v} is not base64: the bytes of the text are the default"),
                    ));
                }
                true
            }
            (Kind::Simple(Simple::Byte), Value::Number(n)) => {
                int_in(n, i8::MIN.into(), i8::MAX.into())
            }
            (Kind::Simple(Simple::Short), Value::Number(n)) => {
                int_in(n, i16::MIN.into(), i16::MAX.into())
            }
            (Kind::Simple(Simple::Integer), Value::Number(n)) => {
                int_in(n, i32::MIN.into(), i32::MAX.into())
            }
            (Kind::Simple(Simple::Long), Value::Number(n)) => integer(n).is_some(),
            (Kind::Simple(Simple::Timestamp), Value::Number(_)) => true,
            (Kind::Simple(Simple::Timestamp), Value::String(text)) => is_date_time(text),
            // An empty list or object at most, as for lists and maps.
            (Kind::Simple(Simple::Document), Value::Array(a)) => a.is_empty(),
            (Kind::Simple(Simple::Document), Value::Object(o)) => o.is_empty(),
            (Kind::Simple(Simple::Document), _) => true,
            (Kind::Simple(Simple::BigInteger), Value::Number(n)) => {
                integer(n).is_some() || n.is_u64()
            }
            (Kind::Simple(Simple::Float), Value::Number(n)) => {
                n.as_f64().is_some_and(|f| f.abs() <= f64::from(f32::MAX))
            }
            (Kind::Simple(Simple::Double | Simple::BigDecimal), Value::Number(_)) => true,
            // Smithy's node values for the non-finite floats.
            (Kind::Simple(Simple::Float | Simple::Double), Value::String(text)) => {
                matches!(text.as_str(), "NaN" | "Infinity" | "-Infinity")
            }
            (Kind::Enum { members }, Value::String(text)) => {
                members.iter().any(|m| typed::enum_value(m) == text)
            }
            (Kind::IntEnum { members }, Value::Number(n)) => members
                .iter()
                .any(|m| typed::int_enum_value(m) == n.as_i64()),
            (Kind::List { .. }, Value::Array(a)) => a.is_empty(),
            (Kind::Map { .. }, Value::Object(o)) => o.is_empty(),
            _ => false,
        };
        if !ok {
            self.problem(
                subject,
                path,
                format!(
                    "{v} is not a valid default for `{}` ({}{})",
                    target.id,
                    target.kind.type_name(),
                    match &target.kind {
                        Kind::Simple(Simple::Byte) => ", -128 to 127",
                        Kind::Simple(Simple::Short) => ", -32768 to 32767",
                        Kind::Simple(Simple::Integer) => ", a 32-bit integer",
                        Kind::Simple(Simple::Long) => ", a 64-bit integer",
                        Kind::Simple(Simple::Float) => {
                            ", a 32-bit float, or \"NaN\", \"Infinity\" or \"-Infinity\""
                        }
                        Kind::Simple(Simple::Double) => {
                            ", a number, or \"NaN\", \"Infinity\" or \"-Infinity\""
                        }
                        Kind::Simple(Simple::Timestamp) =>
                            ", epoch seconds or an RFC 3339 date-time",
                        Kind::Enum { .. } | Kind::IntEnum { .. } => ", one of its values",
                        Kind::Simple(Simple::Document) => ", whose lists and objects must be empty",
                        Kind::List { .. } => ", an empty list",
                        Kind::Map { .. } => ", an empty object",
                        _ => "",
                    }
                ),
            );
        }
        ok
    }

    fn check_shape(&mut self, shape: &Shape, targeted: &BTreeSet<&str>) {
        let model = self.model;
        self.check_traits(&shape.id, &shape.path, &shape.traits, Some(shape), shape);
        self.check_event_payload(shape);
        match &shape.kind {
            Kind::Simple(_) => {}
            Kind::List { .. } | Kind::Map { .. } | Kind::Structure { .. } | Kind::Union { .. } => {
                let collection = matches!(shape.kind, Kind::List { .. } | Kind::Map { .. });
                for m in shape.kind.members() {
                    let subject = format!("{}${}", shape.id, m.name);
                    if collection && m.traits.contains_key(REQUIRED) {
                        self.problem(
                            format!("{subject} @{REQUIRED}"),
                            trait_path(&m.path, REQUIRED),
                            format!(
                                "the required trait applies to structure members only, not to the {} of a {}",
                                m.name,
                                shape.kind.type_name()
                            ),
                        );
                    }
                    let target = self.expect_target(
                        &subject,
                        &format!("{}.target", m.path),
                        &m.target,
                        "target",
                    );
                    self.check_traits(&subject, &m.path, &m.traits, target, shape);
                    if let (Some(t), Kind::Structure { .. }) = (target, &shape.kind) {
                        self.check_member_default(&subject, m, t);
                    }
                    self.check_member_bindings(&subject, m, target);
                    if m.traits.contains_key(HTTP_RESPONSE_CODE) && shape.has(INPUT) {
                        self.problem(
                            format!("{subject} @{HTTP_RESPONSE_CODE}"),
                            trait_path(&m.path, HTTP_RESPONSE_CODE),
                            "`@httpResponseCode` binds a member of an output or error; this structure is an `@input`",
                        );
                    }
                    if let Some(t) = target {
                        if matches!(
                            t.kind,
                            Kind::Service(_) | Kind::Resource(_) | Kind::Operation(_)
                        ) {
                            self.problem(
                                &subject,
                                format!("{}.target", m.path),
                                format!(
                                    "a member cannot target the {} `{}`",
                                    t.kind.type_name(),
                                    t.id
                                ),
                            );
                        }
                        if t.has(MIXIN) {
                            self.problem(
                                &subject,
                                format!("{}.target", m.path),
                                format!("a member cannot target the mixin `{}`", t.id),
                            );
                        }
                        if t.id == UNIT && !matches!(shape.kind, Kind::Union { .. }) {
                            self.problem(
                                &subject,
                                format!("{}.target", m.path),
                                format!(
                                    "only the members of a union, enum or intEnum can target `{UNIT}`, not those of a {}",
                                    shape.kind.type_name()
                                ),
                            );
                        }
                    }
                }
                self.check_collection_cycle(shape, targeted);
                self.check_exclusive_bindings(shape);
                if let Kind::Map { key, .. } = &shape.kind {
                    if let Some(k) = model.shapes.get(&key.target) {
                        if !k.kind.is_string() {
                            self.problem(
                                format!("{}$key", shape.id),
                                format!("{}.target", key.path),
                                format!(
                                    "a map key must target a string, not the {} `{}`",
                                    k.kind.type_name(),
                                    k.id
                                ),
                            );
                        }
                    }
                }
                if matches!(shape.kind, Kind::Union { .. })
                    && shape.kind.members().is_empty()
                    && !shape.has(MIXIN)
                {
                    self.problem(&shape.id, &shape.path, "a union needs at least one member");
                }
            }
            Kind::Enum { members } | Kind::IntEnum { members } => {
                let mut values = std::collections::BTreeMap::new();
                for m in members {
                    let subject = format!("{}${}", shape.id, m.name);
                    if m.target != "smithy.api#Unit" {
                        self.problem(
                            &subject,
                            format!("{}.target", m.path),
                            format!(
                                "enum members must target `smithy.api#Unit`, not `{}`",
                                m.target
                            ),
                        );
                    }
                    self.check_traits(&subject, &m.path, &m.traits, None, shape);
                    let value = match m.traits.get(ENUM_VALUE) {
                        Some(v) => v.to_string(),
                        None if matches!(shape.kind, Kind::IntEnum { .. }) => {
                            self.problem(
                                &subject,
                                &m.path,
                                "intEnum members need an `smithy.api#enumValue`",
                            );
                            continue;
                        }
                        None => Value::String(m.name.clone()).to_string(),
                    };
                    if let Some(prev) = values.insert(value.clone(), m.name.clone()) {
                        self.problem(
                            &subject,
                            &m.path,
                            format!("value {value} is also the value of `{prev}`"),
                        );
                    }
                }
                // Mixins too, as Smithy has it.
                if members.is_empty() {
                    self.problem(
                        &shape.id,
                        &shape.path,
                        format!("an {} needs at least one member", shape.kind.type_name()),
                    );
                }
            }
            Kind::Operation(op) => {
                if let Some(uri) = shape.traits.get(HTTP).and_then(|h| h.get("uri")) {
                    if let Some(uri) = uri.as_str() {
                        if uri.is_ascii() {
                            self.check_http_bindings(shape, &op.input, uri);
                        } else {
                            self.problem(
                                &shape.id,
                                format!("{}.uri", trait_path(&shape.path, HTTP)),
                                format!("the `@http` URI `{uri}` is not ASCII: write other characters percent-encoded"),
                            );
                        }
                    }
                }
                self.check_waiters(shape, op);
                // An operation's input and output are not errors.
                for (what, t) in [("input", &op.input), ("output", &op.output)] {
                    if self.model.shapes.get(t).is_some_and(|s| s.has(ERROR)) {
                        self.problem(
                            &shape.id,
                            format!("{}.{what}", shape.path),
                            format!("the {what} `{t}` is an `@error` structure, which an operation's {what} cannot be"),
                        );
                    }
                }
                // A mixin's input and output would be shared by every operation that
                // uses it.
                if shape.has(MIXIN) {
                    for (what, t) in [("input", &op.input), ("output", &op.output)] {
                        if t != "smithy.api#Unit" {
                            self.problem(
                                &shape.id,
                                format!("{}.{what}", shape.path),
                                format!("an operation that is a mixin cannot have an {what} (it must be `smithy.api#Unit`), found `{t}`"),
                            );
                        }
                    }
                }
                for (what, t) in [("input", &op.input), ("output", &op.output)] {
                    if let Some(s) =
                        self.expect_target(&shape.id, &format!("{}.{what}", shape.path), t, what)
                    {
                        if !matches!(s.kind, Kind::Structure { .. }) {
                            self.problem(
                                &shape.id,
                                format!("{}.{what}.target", shape.path),
                                format!(
                                    "the {what} must be a structure, not the {} `{}`",
                                    s.kind.type_name(),
                                    s.id
                                ),
                            );
                        }
                    }
                }
                for (i, e) in op.errors.iter().enumerate() {
                    self.check_error_ref(
                        &shape.id,
                        &format!("{}.errors[{i}].target", shape.path),
                        e,
                    );
                }
            }
            Kind::Service(svc) => {
                for (i, o) in svc.operations.iter().enumerate() {
                    self.check_binding(
                        &shape.id,
                        &format!("{}.operations[{i}].target", shape.path),
                        o,
                        "operation",
                    );
                }
                for (i, r) in svc.resources.iter().enumerate() {
                    self.check_binding(
                        &shape.id,
                        &format!("{}.resources[{i}].target", shape.path),
                        r,
                        "resource",
                    );
                }
                for (i, e) in svc.errors.iter().enumerate() {
                    self.check_error_ref(
                        &shape.id,
                        &format!("{}.errors[{i}].target", shape.path),
                        e,
                    );
                }
                self.check_renames(shape, svc);
                self.check_aws_protocol_rules(shape);
                self.check_http_bindings_present(shape);
                self.check_waiter_names(shape);
                self.check_rule_set(shape);
                self.check_endpoint_discovery(shape);
            }
            Kind::Resource(res) => {
                for o in &res.operations {
                    self.check_binding(
                        &shape.id,
                        &format!("{}.operations", shape.path),
                        o,
                        "operation",
                    );
                }
                for r in &res.resources {
                    self.check_binding(
                        &shape.id,
                        &format!("{}.resources", shape.path),
                        r,
                        "resource",
                    );
                }
            }
        }
    }

    /// A service's `rename`s, as Smithy has them: of shapes in the model, to a valid
    /// name that is another, and not of operations, resources or members (nor, in the
    /// AWS protocols, of errors: clients find those by the shape's own name).
    fn check_renames(&mut self, shape: &Shape, svc: &crate::model::Service) {
        let aws = AWS_PROTOCOLS.iter().find(|p| shape.has(p));
        let closure = service_closure(self.model, shape);
        self.check_name_conflicts(shape, svc, &closure);
        for (from, to) in &svc.rename {
            let path = format!("{}.rename[{}]", shape.path, Value::String(from.clone()));
            if !crate::model::is_shape_id(&format!("a#{to}")) {
                self.problem(
                    &shape.id,
                    &path,
                    format!("`{to}` is not a valid shape name"),
                );
            }
            let Some(renamed) = self.model.shapes.get(from) else {
                let why = if from.contains('$') {
                    format!(
                        "renames the member `{from}`; only the names of data shapes can be renamed"
                    )
                } else {
                    format!("renames `{from}`, which is not in the model")
                };
                self.problem(&shape.id, &path, why);
                continue;
            };
            if !closure.contains(from.as_str()) {
                // Smithy's error; a warning here, as this closure leaves out what
                // resources' identifiers and properties reach.
                self.warnings.push(Diagnostic::new(
                    &shape.id,
                    &path,
                    format!("renames `{from}`, which no operation or error of the service reaches; the rename does nothing"),
                ));
            } else if matches!(
                renamed.kind,
                Kind::Operation(_) | Kind::Resource(_) | Kind::Service(_)
            ) {
                self.problem(
                    &shape.id,
                    &path,
                    format!(
                        "renames the {} `{from}`; only the names of data shapes can be renamed",
                        renamed.kind.type_name()
                    ),
                );
            } else if renamed.name() == to {
                self.problem(
                    &shape.id,
                    &path,
                    format!("renames `{from}` to `{to}`, the name it already has"),
                );
            } else if let (true, Some(protocol)) = (renamed.has(ERROR), aws) {
                self.problem(
                    &shape.id,
                    &path,
                    format!(
                        "renames the error `{from}`, which the protocol `{protocol}` does not allow: its clients tell errors apart by the error shape's own name"
                    ),
                );
            }
        }
    }

    /// Smithy's rule for the names in a service's closure: shapes whose names (after
    /// the service's renames) differ only in case are refused, unless both are simple
    /// shapes, or lists, of one type and with the same traits (a list's member alike in
    /// turn). Lists that share a name get a warning.
    fn check_name_conflicts(
        &mut self,
        service: &Shape,
        svc: &crate::model::Service,
        closure: &BTreeSet<&str>,
    ) {
        // An operation without input or output, or an enum's member, says
        // `smithy.api#Unit`, which puts nothing in the closure; a structure's or
        // union's member that targets it does.
        let unit_targeted = closure.iter().any(|id| {
            self.model.shapes.get(*id).is_some_and(|s| match &s.kind {
                Kind::Structure { members } | Kind::Union { members } => {
                    members.iter().any(|m| m.target == UNIT)
                }
                _ => false,
            })
        });
        let mut by_name: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for id in closure.iter().filter(|id| unit_targeted || **id != UNIT) {
            let name = svc
                .rename
                .get(*id)
                .map_or_else(|| crate::model::shape_name(id), String::as_str);
            by_name.entry(name.to_lowercase()).or_default().push(id);
        }
        for ids in by_name.values().filter(|ids| ids.len() > 1) {
            for (i, a) in ids.iter().enumerate() {
                for b in &ids[i + 1..] {
                    let Some(conflict) = self.name_conflict(a, b, 0) else {
                        continue;
                    };
                    let named = |id: &str| match svc.rename.get(id) {
                        Some(to) => format!("`{id}` (renamed `{to}`)"),
                        None => format!("`{id}`"),
                    };
                    let path = match svc.rename.get(*a) {
                        Some(_) => {
                            format!("{}.rename[{}]", service.path, Value::String(a.to_string()))
                        }
                        None => self
                            .model
                            .shapes
                            .get(*a)
                            .map_or_else(|| service.path.clone(), |s| s.path.clone()),
                    };
                    let message = format!(
                        "{} and {} have the same name but for case in the closure of the service `{}`; {}: give one of them another name with the service's `rename`",
                        named(a),
                        named(b),
                        service.id,
                        match conflict {
                            Conflict::Refused => "only simple shapes and lists of one type and the same traits may share a name",
                            Conflict::Lists => "lists alike may share a name, but should not",
                        }
                    );
                    match conflict {
                        Conflict::Refused => self.problem(*a, path, message),
                        Conflict::Lists => self.warnings.push(Diagnostic::new(*a, path, message)),
                    }
                }
            }
        }
    }

    /// Whether the shapes `a` and `b` may share a name in a service (`None`), as
    /// Smithy judges it: both simple shapes or lists, of one type, with the same
    /// traits, and a list's member alike (traits, and target in turn).
    fn name_conflict(&self, a: &str, b: &str, depth: usize) -> Option<Conflict> {
        let (Some(x), Some(y)) = (self.model.shapes.get(a), self.model.shapes.get(b)) else {
            return None;
        };
        let may_share = |k: &Kind| {
            matches!(
                k,
                Kind::Simple(_) | Kind::Enum { .. } | Kind::IntEnum { .. } | Kind::List { .. }
            )
        };
        if !may_share(&x.kind)
            || !may_share(&y.kind)
            || x.kind.type_name() != y.kind.type_name()
            || !same_value(&traits_value(&x.traits), &traits_value(&y.traits))
        {
            return Some(Conflict::Refused);
        }
        match (&x.kind, &y.kind) {
            (Kind::List { member: m }, Kind::List { member: n }) => {
                if !same_value(&traits_value(&m.traits), &traits_value(&n.traits))
                    || depth > MAX_COLLECTION_NESTING
                {
                    return Some(Conflict::Refused);
                }
                match self.name_conflict(&m.target, &n.target, depth + 1) {
                    Some(Conflict::Refused) => Some(Conflict::Refused),
                    _ => Some(Conflict::Lists),
                }
            }
            _ => None,
        }
    }

    /// The service's endpoint rule set parses as its clients parse it (the runtime's
    /// own parser): every reference bound, every function known and called with its
    /// arguments, templates and `getAttr` paths well formed. A client would otherwise
    /// fail its first call.
    fn check_rule_set(&mut self, service: &Shape) {
        let Some(rules) = service.traits.get(ENDPOINT_RULE_SET) else {
            return;
        };
        match smithy_runtime::endpoint::RuleSet::from_json(&rules.to_string()) {
            Ok(rule_set) => {
                self.check_endpoint_params(service, &rule_set);
                self.check_endpoint_tests(service, &rule_set);
            }
            Err(e) => {
                let mut path = trait_path(&service.path, ENDPOINT_RULE_SET);
                if !e.path().is_empty() {
                    path.push('.');
                    path.push_str(e.path());
                }
                self.problem(
                    format!("{} @{ENDPOINT_RULE_SET}", service.id),
                    path,
                    format!("the endpoint rule set cannot be used: {}", e.message()),
                );
            }
        }
    }

    /// An event structure with an `@eventPayload` member has no other members but
    /// `@eventHeader` ones: the payload is that member alone.
    fn check_event_payload(&mut self, shape: &Shape) {
        let Kind::Structure { members } = &shape.kind else {
            return;
        };
        let Some(payload) = members
            .iter()
            .find(|m| m.traits.contains_key(EVENT_PAYLOAD))
        else {
            return;
        };
        for m in members {
            if !std::ptr::eq(m, payload) && !m.traits.contains_key(EVENT_HEADER) {
                self.problem(
                    format!("{}${}", shape.id, m.name),
                    &m.path,
                    format!(
                        "`{}` is the event's `@eventPayload`, so every other member is an `@eventHeader`",
                        payload.name
                    ),
                );
            }
        }
    }

    /// `aws.api#clientEndpointDiscovery`: its discovery operation is one of the
    /// service's, with the input and output Smithy prescribes (the input has at most
    /// `Operation`, a string, and `Identifiers`, a map of strings; the output only
    /// `Endpoints`, a list of structures of exactly `Address`, a string, and
    /// `CachePeriodInMinutes`, a long); its error is an `@error` structure that every
    /// operation of the service with `aws.api#clientDiscoveredEndpoint` lists.
    fn check_endpoint_discovery(&mut self, service: &Shape) {
        let Some(t) = service.traits.get(CLIENT_ENDPOINT_DISCOVERY) else {
            return;
        };
        let model = self.model;
        let path = trait_path(&service.path, CLIENT_ENDPOINT_DISCOVERY);
        let subject = format!("{} @{CLIENT_ENDPOINT_DISCOVERY}", service.id);
        let ops = crate::lower::service_operations(model, service);
        let error = t.get("error").and_then(Value::as_str);
        if let Some(e) = error {
            match model.shapes.get(e) {
                Some(s) if s.has(ERROR) && matches!(s.kind, Kind::Structure { .. }) => {}
                _ => self.problem(
                    &subject,
                    format!("{path}.error"),
                    format!("`{e}` is not an `@error` structure of the model"),
                ),
            }
            for op_id in &ops {
                let Some(op_shape) = model.shapes.get(op_id) else {
                    continue;
                };
                if let (true, Kind::Operation(op)) =
                    (op_shape.has(CLIENT_DISCOVERED_ENDPOINT), &op_shape.kind)
                {
                    if !op.errors.iter().any(|x| x == e) {
                        self.problem(
                            op_id.as_str(),
                            trait_path(&op_shape.path, CLIENT_DISCOVERED_ENDPOINT),
                            format!(
                                "the operation goes to discovered endpoints of `{}` and must list its invalid-endpoint error `{e}`",
                                service.id
                            ),
                        );
                    }
                }
            }
        }
        let Some(op_id) = t.get("operation").and_then(Value::as_str) else {
            return;
        };
        let Some(Shape {
            kind: Kind::Operation(op),
            ..
        }) = model.shapes.get(op_id)
        else {
            self.problem(
                &subject,
                format!("{path}.operation"),
                format!("`{op_id}` is not an operation of the model"),
            );
            return;
        };
        if !ops.iter().any(|o| o == op_id) {
            self.problem(
                &subject,
                format!("{path}.operation"),
                format!(
                    "the discovery operation `{op_id}` must be an operation of `{}`",
                    service.id
                ),
            );
            // Its shapes are checked with the service it belongs to.
            return;
        }
        let kind_of = |id: &str| model.shapes.get(id).map(|s| &s.kind);
        if let Some(Kind::Structure { members }) = kind_of(&op.input) {
            for m in members {
                let fits = match m.name.as_str() {
                    "Operation" => matches!(kind_of(&m.target), Some(Kind::Simple(Simple::String))),
                    "Identifiers" => match kind_of(&m.target) {
                        Some(Kind::Map { value, .. }) => {
                            matches!(kind_of(&value.target), Some(Kind::Simple(Simple::String)))
                        }
                        _ => false,
                    },
                    _ => false,
                };
                if !fits {
                    self.problem(
                        format!("{}${}", op.input, m.name),
                        &m.path,
                        format!(
                            "the input of the discovery operation `{op_id}` may have only `Operation` (a string) and `Identifiers` (a map of strings)"
                        ),
                    );
                }
            }
        }
        let shape_of = |id: &str| model.shapes.get(id);
        let endpoint = match kind_of(&op.output) {
            Some(Kind::Structure { members })
                if members.len() == 1 && members[0].name == "Endpoints" =>
            {
                match kind_of(&members[0].target) {
                    Some(Kind::List { member }) => match shape_of(&member.target) {
                        Some(
                            s @ Shape {
                                kind: Kind::Structure { .. },
                                ..
                            },
                        ) => Some(s),
                        _ => None,
                    },
                    _ => None,
                }
            }
            _ => None,
        };
        let Some(endpoint) = endpoint else {
            self.problem(
                op.output.as_str(),
                shape_of(&op.output).map_or(path.clone(), |s| s.path.clone()),
                format!(
                    "the output of the discovery operation `{op_id}` must have only `Endpoints`, a list of structures"
                ),
            );
            return;
        };
        let Kind::Structure { members } = &endpoint.kind else {
            return;
        };
        let mut names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
        names.sort_unstable();
        let typed = members.iter().all(|m| match m.name.as_str() {
            "Address" => matches!(kind_of(&m.target), Some(Kind::Simple(Simple::String))),
            _ => matches!(kind_of(&m.target), Some(Kind::Simple(Simple::Long))),
        });
        if names != ["Address", "CachePeriodInMinutes"] || !typed {
            self.problem(
                endpoint.id.as_str(),
                &endpoint.path,
                format!(
                    "an endpoint of the discovery operation `{op_id}` must have exactly `Address` (a string) and `CachePeriodInMinutes` (a long)"
                ),
            );
        }
    }

    /// The `params` of the service's endpoint test cases are parameters of its rule
    /// set, of their types, with every required parameter that has no default.
    fn check_endpoint_tests(
        &mut self,
        service: &Shape,
        rule_set: &smithy_runtime::endpoint::RuleSet,
    ) {
        use smithy_runtime::endpoint::ParameterType;
        let Some(cases) = service
            .traits
            .get(ENDPOINT_TESTS)
            .and_then(|t| t.get("testCases"))
            .and_then(Value::as_array)
        else {
            return;
        };
        let subject = format!("{} @{ENDPOINT_TESTS}", service.id);
        for (i, case) in cases.iter().enumerate() {
            let path = format!(
                "{}.testCases[{i}]",
                trait_path(&service.path, ENDPOINT_TESTS)
            );
            let empty = serde_json::Map::new();
            let params = case
                .get("params")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            for (name, value) in params {
                let at = crate::model::json_key(&format!("{path}.params"), name);
                let Some(p) = rule_set.parameter(name) else {
                    self.problem(
                        &subject,
                        at,
                        format!("`{name}` is not a parameter of the service's endpoint rules"),
                    );
                    continue;
                };
                let fits = match p.kind() {
                    ParameterType::String => value.is_string(),
                    ParameterType::Boolean => value.is_boolean(),
                    ParameterType::StringArray => value
                        .as_array()
                        .is_some_and(|a| a.iter().all(Value::is_string)),
                };
                if !fits {
                    self.problem(
                        &subject,
                        at,
                        format!(
                            "the endpoint parameter `{name}` is a {}, and the test gives it {}",
                            p.kind().as_str(),
                            describe(value)
                        ),
                    );
                }
            }
            for p in rule_set.parameters() {
                if p.required() && p.default().is_none() && !params.contains_key(p.name()) {
                    self.problem(
                        &subject,
                        format!("{path}.params"),
                        format!(
                            "the endpoint parameter `{}` is required and has no default, and this test case does not give it",
                            p.name()
                        ),
                    );
                }
            }
        }
    }

    /// The endpoint parameters the service's operations give (`@staticContextParams`
    /// values, `@contextParam` members) are parameters of its endpoint rule set, of
    /// the rule set's type for them.
    fn check_endpoint_params(
        &mut self,
        service: &Shape,
        rule_set: &smithy_runtime::endpoint::RuleSet,
    ) {
        use smithy_runtime::endpoint::ParameterType;
        let model = self.model;
        let string = |id: &str| model.shapes.get(id).is_some_and(|t| t.kind.is_string());
        for op_id in crate::lower::service_operations(model, service) {
            let Some(op) = model.shapes.get(&op_id) else {
                continue;
            };
            let Kind::Operation(o) = &op.kind else {
                continue;
            };
            // Each parameter given, with its type (`None`: a type no parameter has).
            let mut given: Vec<(String, Option<ParameterType>, String, String)> = Vec::new();
            if let Some(Value::Object(statics)) = op.traits.get(STATIC_CONTEXT_PARAMS) {
                for (name, p) in statics {
                    let kind = match p.get("value") {
                        Some(Value::String(_)) => ParameterType::String,
                        Some(Value::Bool(_)) => ParameterType::Boolean,
                        Some(Value::Array(_)) => ParameterType::StringArray,
                        _ => continue,
                    };
                    let path = format!(
                        "{}.value",
                        crate::model::json_key(&trait_path(&op.path, STATIC_CONTEXT_PARAMS), name)
                    );
                    given.push((name.clone(), Some(kind), op.id.clone(), path));
                }
            }
            if let Some(input) = model.shapes.get(&o.input) {
                for m in input.kind.members() {
                    let Some(name) = typed::context_param(&m.traits) else {
                        continue;
                    };
                    let kind = match model.shapes.get(&m.target).map(|t| &t.kind) {
                        Some(Kind::Simple(Simple::Boolean)) => Some(ParameterType::Boolean),
                        Some(Kind::List { member }) if string(&member.target) => {
                            Some(ParameterType::StringArray)
                        }
                        _ if string(&m.target) => Some(ParameterType::String),
                        _ => None,
                    };
                    given.push((
                        name.to_string(),
                        kind,
                        format!("{}${}", input.id, m.name),
                        trait_path(&m.path, CONTEXT_PARAM),
                    ));
                }
            }
            for (name, kind, subject, path) in given {
                match rule_set.parameter(&name).map(|p| p.kind()) {
                    None => self.problem(
                        subject,
                        path,
                        format!("`{name}` is not a parameter of the endpoint rules of `{}`", service.id),
                    ),
                    Some(ty) if Some(ty) != kind => self.problem(
                        subject,
                        path,
                        format!(
                            "the endpoint parameter `{name}` is a {} in the rules of `{}`, and is given a {}",
                            ty.as_str().to_ascii_lowercase(),
                            service.id,
                            match kind {
                                Some(ParameterType::StringArray) => "list of strings",
                                Some(other) => other.as_str(),
                                None => "value of a type no parameter has",
                            }
                        ),
                    ),
                    Some(_) => {}
                }
            }
        }
    }

    /// Smithy's rules for `@waitable`: waiter names in UpperCamelCase, the shortest
    /// delay no longer than the longest, a success acceptor in every waiter, paths
    /// that parse (with the JMESPath the clients evaluate them with), `booleanEquals`
    /// comparing with `true` or `false`, and no waiter on an operation that streams; a
    /// path over an input or output the operation lacks is a warning.
    fn check_waiters(&mut self, shape: &Shape, op: &crate::model::Operation) {
        let Some(all) = shape.traits.get(WAITABLE) else {
            return;
        };
        let tp = trait_path(&shape.path, WAITABLE);
        let Some(all) = all.as_object() else {
            return self.problem(
                &shape.id,
                &tp,
                "`@waitable` must be an object of waiters by name",
            );
        };
        let model = self.model;
        let streams = [&op.input, &op.output].into_iter().any(|io| {
            model.shapes.get(io.as_str()).is_some_and(|s| {
                s.kind.members().iter().any(|m| {
                    model
                        .shapes
                        .get(&m.target)
                        .is_some_and(|t| t.has(STREAMING))
                })
            })
        });
        if streams {
            self.problem(
                &shape.id,
                &tp,
                "an operation with a streaming input or output cannot have waiters",
            );
        }
        for (name, w) in all {
            let at = format!("{tp}.{name}");
            let mut chars = name.chars();
            let camel = chars.next().is_some_and(|c| c.is_ascii_uppercase())
                && chars.all(|c| c.is_ascii_alphanumeric());
            if !camel {
                self.problem(
                    &shape.id,
                    &at,
                    format!(
                        "the waiter name `{name}` is not UpperCamelCase (`^[A-Z]+[A-Za-z0-9]*$`)"
                    ),
                );
            }
            let delay = |k: &str, default| w.get(k).and_then(Value::as_u64).unwrap_or(default);
            let min = delay("minDelay", crate::lower::DEFAULT_MIN_DELAY);
            let max = delay("maxDelay", crate::lower::DEFAULT_MAX_DELAY);
            if min > max {
                self.problem(&shape.id, &at, format!("the waiter `{name}` has a `minDelay` of {min}, longer than its `maxDelay` of {max}"));
            }
            let acceptors = w
                .get("acceptors")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            if !acceptors
                .iter()
                .any(|a| a.get("state").and_then(Value::as_str) == Some("success"))
            {
                self.problem(
                    &shape.id,
                    &at,
                    format!("the waiter `{name}` has no acceptor with the `success` state"),
                );
            }
            for (i, a) in acceptors.iter().enumerate() {
                let ap = format!("{at}.acceptors[{i}].matcher");
                let Some(m) = a.get("matcher") else { continue };
                for (key, io, target) in [
                    ("output", "output", &op.output),
                    ("inputOutput", "input and output", &op.input),
                ] {
                    let Some(p) = m.get(key) else { continue };
                    let no_io = target == "smithy.api#Unit"
                        || (key == "inputOutput" && op.output == "smithy.api#Unit");
                    // Smithy's danger, not an error: the path reads an empty document.
                    if no_io {
                        self.warnings.push(Diagnostic::new(&shape.id, &ap, format!("the waiter `{name}` reads the {io} of an operation that has none: its path finds nothing")));
                    }
                    if let Some(path) = p.get("path").and_then(Value::as_str) {
                        if let Err(e) = smithy_runtime::jmespath::Expr::parse(path) {
                            self.problem(&shape.id, format!("{ap}.{key}.path"), format!("the waiter `{name}` has a JMESPath that does not parse, `{path}`: {e}"));
                        }
                    }
                    let comparator = p.get("comparator").and_then(Value::as_str);
                    let expected = p.get("expected").and_then(Value::as_str);
                    if comparator == Some("booleanEquals")
                        && !matches!(expected, Some("true" | "false"))
                    {
                        self.problem(&shape.id, format!("{ap}.{key}.expected"), format!("the waiter `{name}` compares with `booleanEquals`, so `expected` must be `true` or `false`"));
                    }
                }
            }
        }
    }

    /// Waiter names are unique in a service, whatever their case (Smithy's rule): a
    /// client's waiters are named by them.
    fn check_waiter_names(&mut self, service: &Shape) {
        let mut seen: BTreeMap<String, (String, &str)> = BTreeMap::new();
        for op_id in crate::lower::service_operations(self.model, service) {
            let Some(op) = self.model.shapes.get(&op_id) else {
                continue;
            };
            let Some(Value::Object(all)) = op.traits.get(WAITABLE) else {
                continue;
            };
            for name in all.keys() {
                match seen.get(&name.to_ascii_lowercase()) {
                    Some((other, other_op)) => {
                        let message = format!("the waiter `{name}` and the waiter `{other}` of `{other_op}` have the same name but for case, in the service `{}`", service.id);
                        self.problem(&op.id, trait_path(&op.path, WAITABLE), message);
                    }
                    None => {
                        seen.insert(name.to_ascii_lowercase(), (name.clone(), op.id.as_str()));
                    }
                }
            }
        }
    }

    /// A protocol that binds operations to HTTP (its definition lists `@http` among
    /// its traits: restJson1, restXml) needs every operation of the service to say
    /// its method and URI, when any operation of the model has `@http` (Smithy's rule).
    fn check_http_bindings_present(&mut self, service: &Shape) {
        let model = self.model;
        let binds_http = |t: &str| {
            HTTP_BINDING_PROTOCOLS.contains(&t)
                || model
                    .shapes
                    .get(t)
                    .and_then(|d| d.traits.get(PROTOCOL_DEFINITION))
                    .and_then(|d| d.get("traits"))
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(HTTP)))
        };
        let Some(protocol) = service.traits.keys().find(|t| binds_http(t)) else {
            return;
        };
        if !model
            .shapes
            .values()
            .any(|s| matches!(s.kind, Kind::Operation(_)) && s.has(HTTP))
        {
            return;
        }
        for op_id in crate::lower::service_operations(model, service) {
            let Some(op) = model.shapes.get(&op_id) else {
                continue;
            };
            if !op.has(HTTP) {
                self.problem(
                    &op.id,
                    &op.path,
                    format!(
                        "the protocol `{protocol}` of `{}` sends each operation as the HTTP request its `@http` trait describes, and this operation has none",
                        service.id
                    ),
                );
            }
        }
    }

    /// What the AWS protocols ask of a service's operations: an `@httpPayload` bound
    /// to a string, enum, blob, structure, union or document; and, in the protocols
    /// with HTTP bindings (restJson1, restXml), a stream always the `@httpPayload`.
    fn check_aws_protocol_rules(&mut self, service: &Shape) {
        let Some(protocol) = AWS_PROTOCOLS.iter().find(|p| service.has(p)) else {
            return;
        };
        let bindings = HTTP_BINDING_PROTOCOLS.iter().find(|p| service.has(p));
        let model = self.model;
        let Kind::Service(svc) = &service.kind else {
            return;
        };
        let mut seen = BTreeSet::new();
        for op_id in crate::lower::service_operations(model, service) {
            let Some(Shape {
                kind: Kind::Operation(op),
                ..
            }) = model.shapes.get(&op_id)
            else {
                continue;
            };
            let structures = [(&op.input, true), (&op.output, true)]
                .into_iter()
                .chain(op.errors.iter().chain(&svc.errors).map(|e| (e, false)));
            for (id, top_level) in structures {
                if !seen.insert((id.as_str(), top_level)) {
                    continue;
                }
                let Some(s) = model.shapes.get(id) else {
                    continue;
                };
                for m in s.kind.members() {
                    let Some(t) = model.shapes.get(&m.target) else {
                        continue;
                    };
                    let payload = m.traits.contains_key(HTTP_PAYLOAD);
                    if payload
                        && !matches!(
                            t.kind,
                            Kind::Simple(Simple::String | Simple::Blob | Simple::Document)
                                | Kind::Enum { .. }
                                | Kind::Structure { .. }
                                | Kind::Union { .. }
                        )
                    {
                        self.problem(
                            format!("{}${}", s.id, m.name),
                            trait_path(&m.path, HTTP_PAYLOAD),
                            format!(
                                "the AWS protocol `{protocol}` of `{}` binds only a string, enum, blob, structure, union or document to the payload, not the {} `{}`",
                                service.id,
                                t.kind.type_name(),
                                t.id
                            ),
                        );
                    }
                    if let (true, false, Some(p)) =
                        (top_level && t.has(STREAMING), payload, bindings)
                    {
                        self.problem(
                            format!("{}${}", s.id, m.name),
                            &m.path,
                            format!(
                                "the member targets the stream `{}` and must be the `@httpPayload`, as the protocol `{p}` of `{}` binds members to HTTP",
                                t.id, service.id
                            ),
                        );
                    }
                }
            }
        }
    }

    /// A list or map that contains itself with no structure or union in between would
    /// be an infinitely nested Rust type; one nested deeper than
    /// [`MAX_COLLECTION_NESTING`] is refused at its outermost shape (`targeted`: the
    /// lists and maps that another list or map contains).
    fn check_collection_cycle(&mut self, shape: &Shape, targeted: &BTreeSet<&str>) {
        let mut current = shape;
        for _ in 0..MAX_COLLECTION_NESTING {
            let next = match &current.kind {
                Kind::List { member } => &member.target,
                Kind::Map { value, .. } => &value.target,
                _ => return,
            };
            if next == &shape.id {
                self.problem(
                    &shape.id,
                    &shape.path,
                    "a list or map cannot contain itself without a structure or union in between",
                );
                return;
            }
            match self.model.shapes.get(next) {
                Some(s) => current = s,
                None => return,
            }
        }
        if matches!(current.kind, Kind::List { .. } | Kind::Map { .. })
            && !targeted.contains(shape.id.as_str())
        {
            self.problem(
                &shape.id,
                &shape.path,
                format!(
                    "lists and maps nest more than {MAX_COLLECTION_NESTING} deep here (the Rust type would nest as deep); put a structure in between"
                ),
            );
        }
    }

    /// A structure that requires itself, through required structure members alone, can
    /// never be built. The cycles are the strongly connected components of the graph
    /// of required structure members (Tarjan's algorithm, without recursion: linear in
    /// the model however long its chains).
    fn check_required_cycles(&mut self) {
        let structures = self
            .model
            .shapes
            .values()
            .filter(|s| s.path != "prelude" && matches!(s.kind, Kind::Structure { .. }))
            .collect();
        let required = crate::graph::MemberGraph::new(structures, |m| {
            m.traits.contains_key(REQUIRED) && !m.traits.contains_key(CLIENT_OPTIONAL)
        });
        for shape in required.on_cycles() {
            self.problem(
                &shape.id,
                &shape.path,
                "the structure requires itself through required members, so no value of it can exist; make a member of the cycle optional",
            );
        }
    }

    /// A union none of whose members can end without coming back to it (`union U {
    /// a: U }`) has no value, as Smithy has it: a union needs one member whose target
    /// can be built, a structure its required members' targets, anything else is built
    /// as it is (lists and maps can be empty).
    fn check_union_recursion(&mut self) {
        let model = self.model;
        let aggregate = |s: &Shape| {
            s.path != "prelude"
                && !s.has(MIXIN)
                && matches!(s.kind, Kind::Structure { .. } | Kind::Union { .. })
        };
        // For each structure or union: what it still waits for (a structure: its
        // required members whose targets are not built yet; a union: one member).
        let mut waiting: BTreeMap<&str, usize> = BTreeMap::new();
        let mut dependents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut built: Vec<&str> = Vec::new();
        for s in model.shapes.values().filter(|s| aggregate(s)) {
            let union = matches!(s.kind, Kind::Union { .. });
            let mut edges = 0;
            let mut ready = false;
            for m in s.kind.members() {
                if !union && !m.traits.contains_key(REQUIRED) {
                    continue;
                }
                match model.shapes.get(&m.target) {
                    Some(t) if aggregate(t) => {
                        dependents.entry(t.id.as_str()).or_default().push(&s.id);
                        edges += 1;
                    }
                    _ => ready = true,
                }
            }
            if (union && ready) || (!union && edges == 0) {
                built.push(&s.id);
            } else {
                waiting.insert(&s.id, if union { 1 } else { edges });
            }
        }
        while let Some(id) = built.pop() {
            for d in dependents.get(id).into_iter().flatten() {
                if let Some(n) = waiting.get_mut(d) {
                    *n -= 1;
                    if *n == 0 {
                        waiting.remove(d);
                        built.push(d);
                    }
                }
            }
        }
        for id in waiting.keys() {
            let Some(s) = model.shapes.get(*id) else {
                continue;
            };
            if let Kind::Union { members } = &s.kind {
                if !members.is_empty() {
                    self.problem(
                        &s.id,
                        &s.path,
                        "no value of this union can exist: each of its members leads back to it (through unions and required members) with no way out; give it a member that ends",
                    );
                }
            }
        }
    }

    /// Operations' inputs and outputs, across the model: a structure marked `@input`
    /// (`@output`) is the input (output) of one operation and nothing else.
    fn check_operation_structures(&mut self) {
        let model = self.model;
        let mut uses: BTreeMap<&str, Vec<(&str, &Shape)>> = BTreeMap::new();
        for op in model.shapes.values() {
            let Kind::Operation(o) = &op.kind else {
                continue;
            };
            for (what, target) in [("input", &o.input), ("output", &o.output)] {
                uses.entry(target.as_str()).or_default().push((what, op));
            }
        }
        for s in model.shapes.values() {
            for (mark, role) in [(INPUT, "input"), (OUTPUT, "output")] {
                if !s.has(mark) {
                    continue;
                }
                let used = uses
                    .get(s.id.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let ops: Vec<&str> = used.iter().map(|(_, op)| op.id.as_str()).collect();
                if used.iter().any(|(what, _)| *what != role) || used.len() > 1 {
                    self.problem(
                        &s.id,
                        trait_path(&s.path, mark),
                        format!("a structure marked `@{role}` is the {role} of one operation only, and this one is used by {}", ops.join(", ")),
                    );
                }
            }
        }
        // Nor is a member's target.
        for s in model.shapes.values().filter(|s| s.path != "prelude") {
            for m in s.kind.members() {
                if let Some(t) = model.shapes.get(&m.target) {
                    if t.has(INPUT) || t.has(OUTPUT) {
                        self.problem(
                            format!("{}${}", s.id, m.name),
                            format!("{}.target", m.path),
                            format!("`{}` is an operation's input or output structure, which a member cannot target", t.id),
                        );
                    }
                }
            }
        }
    }

    /// Smithy's rules for streams: a member targeting a streaming blob is `@required`
    /// or has a `@default` (a stream is always there, if empty); a structure with a
    /// stream is an operation's input or output and nothing else (no member targets
    /// it, no operation lists it as an error), and its output only when the stream does
    /// not need its length (`@requiresLength`); an event stream's members are
    /// structures.
    fn check_streams(&mut self) {
        let model = self.model;
        let streaming = |id: &str| model.shapes.get(id).filter(|t| t.has(STREAMING));
        // The structures holding a stream, with the stream.
        let mut holders: BTreeMap<&str, &Shape> = BTreeMap::new();
        for s in model.shapes.values().filter(|s| s.path != "prelude") {
            if s.has(REQUIRES_LENGTH)
                && !s.has(STREAMING)
                && matches!(s.kind, Kind::Simple(Simple::Blob))
            {
                self.problem(
                    &s.id,
                    trait_path(&s.path, REQUIRES_LENGTH),
                    "`@requiresLength` applies to streaming blobs only, and this blob is not `@streaming`",
                );
            }
            if let Kind::Union { members } = &s.kind {
                if s.has(STREAMING) {
                    let not: Vec<&str> = members
                        .iter()
                        .filter(|m| {
                            !matches!(
                                model.shapes.get(&m.target).map(|t| &t.kind),
                                Some(Kind::Structure { .. }) | None
                            )
                        })
                        .map(|m| m.name.as_str())
                        .collect();
                    if !not.is_empty() {
                        self.problem(
                            &s.id,
                            trait_path(&s.path, STREAMING),
                            format!("each member of an event stream must target a structure, and these do not: {}", not.join(", ")),
                        );
                    }
                }
            }
            for m in s.kind.members() {
                let Some(t) = streaming(&m.target) else {
                    continue;
                };
                if matches!(s.kind, Kind::List { .. } | Kind::Map { .. }) {
                    self.problem(
                        format!("{}${}", s.id, m.name),
                        format!("{}.target", m.path),
                        format!("a {} cannot hold the stream `{}`; only an operation's input or output can", s.kind.type_name(), t.id),
                    );
                } else if matches!(t.kind, Kind::Simple(Simple::Blob))
                    && !m.traits.contains_key(REQUIRED)
                    // `@default(null)` is no default.
                    && !m.traits.get(DEFAULT).is_some_and(|d| !d.is_null())
                {
                    self.problem(
                        format!("{}${}", s.id, m.name),
                        &m.path,
                        format!("a member targeting the streaming blob `{}` must be `@required` or have a `@default`", t.id),
                    );
                }
                // A mixin's members are checked where it is used.
                if matches!(s.kind, Kind::Structure { .. }) && !s.has(MIXIN) {
                    holders.entry(s.id.as_str()).or_insert(t);
                }
            }
        }
        if holders.is_empty() {
            return;
        }
        let mut errors_with_streams = BTreeSet::new();
        for s in model.shapes.values().filter(|s| s.path != "prelude") {
            let errors = match &s.kind {
                Kind::Operation(op) => {
                    if let Some(stream) = holders.get(op.output.as_str()) {
                        if stream.has(REQUIRES_LENGTH) {
                            self.problem(
                                &s.id,
                                format!("{}.output", s.path),
                                format!("the output `{}` holds a stream marked `@requiresLength`, which only an input can", op.output),
                            );
                        }
                    }
                    &op.errors
                }
                Kind::Service(svc) => &svc.errors,
                _ => {
                    for m in s.kind.members() {
                        if holders.contains_key(m.target.as_str()) {
                            self.problem(
                                format!("{}${}", s.id, m.name),
                                format!("{}.target", m.path),
                                format!("`{}` holds a stream, and a member cannot target a structure that holds a stream", m.target),
                            );
                        }
                    }
                    continue;
                }
            };
            errors_with_streams.extend(
                errors
                    .iter()
                    .filter(|e| holders.contains_key(e.as_str()))
                    .map(String::as_str),
            );
        }
        // Once for each error, however many operations list it.
        for e in errors_with_streams {
            if let Some(error) = model.shapes.get(e) {
                self.problem(
                    e,
                    &error.path,
                    "the error holds a stream; only an operation's input or output can",
                );
            }
        }
    }

    /// The ids of protocol test cases are unique among the cases of their kind across
    /// the model, as Smithy has them: a case is known by its id.
    fn check_test_ids(&mut self) {
        let model = self.model;
        for kind in [
            HTTP_REQUEST_TESTS,
            HTTP_RESPONSE_TESTS,
            HTTP_MALFORMED_REQUEST_TESTS,
            EVENT_STREAM_TESTS,
        ] {
            let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
            for s in model.shapes.values() {
                let Some(Value::Array(cases)) = s.traits.get(kind) else {
                    continue;
                };
                if kind == HTTP_RESPONSE_TESTS
                    && matches!(s.kind, Kind::Structure { .. })
                    && !s.has(ERROR)
                {
                    self.problem(
                        &s.id,
                        trait_path(&s.path, kind),
                        format!("`{kind}` applies to operations and `@error` structures, and this structure is no error"),
                    );
                }
                for (i, case) in cases.iter().enumerate() {
                    self.check_test_refs(s, kind, i, case);
                    let Some(id) = case.get("id").and_then(Value::as_str) else {
                        continue;
                    };
                    if let Some(first) = seen.insert(id, &s.id) {
                        self.problem(
                            &s.id,
                            format!("{}[{i}].id", trait_path(&s.path, kind)),
                            format!("the `{kind}` case id `{id}` is also the id of a case of `{first}`; each case needs its own"),
                        );
                    }
                }
            }
        }
    }

    /// A float, double or document that `id` is or reaches through members, which
    /// `@uniqueItems` lists cannot hold (their equality is not exact).
    fn reaches_inexact(&self, id: &str) -> Option<&'m str> {
        let model = self.model;
        let mut seen = BTreeSet::new();
        let mut todo = vec![id];
        while let Some(id) = todo.pop() {
            let Some(s) = model.shapes.get(id) else {
                continue;
            };
            if !seen.insert(s.id.as_str()) {
                continue;
            }
            if matches!(
                s.kind,
                Kind::Simple(Simple::Float | Simple::Double | Simple::Document)
            ) {
                return Some(s.id.as_str());
            }
            todo.extend(s.kind.members().iter().map(|m| m.target.as_str()));
        }
        None
    }

    /// The shapes a protocol test case names: its `protocol` is a protocol (a shape
    /// with `@protocolDefinition`), its `authScheme` an auth scheme
    /// (`@authDefinition`).
    fn check_test_refs(&mut self, s: &Shape, kind: &str, i: usize, case: &Value) {
        for (key, trait_id, what) in [
            ("protocol", PROTOCOL_DEFINITION, "a protocol"),
            ("authScheme", AUTH_DEFINITION, "an auth scheme"),
        ] {
            let Some(id) = case.get(key).and_then(Value::as_str) else {
                continue;
            };
            let path = format!("{}[{i}].{key}", trait_path(&s.path, kind));
            // The protocols and auth schemes Smithy ships need no definition in the
            // model.
            if (AWS_PROTOCOLS.contains(&id) || SMITHY_PROTOCOLS.contains(&id)) && key == "protocol"
                || SHIPPED_AUTH_SCHEMES.contains(&id) && key == "authScheme"
            {
                continue;
            }
            match self.model.shapes.get(id) {
                None => self.problem(
                    &s.id,
                    path,
                    format!("the `{kind}` case's `{key}` is `{id}`, which is not a shape in the model"),
                ),
                Some(named) if !named.has(trait_id) => self.problem(
                    &s.id,
                    path,
                    format!("the `{kind}` case's `{key}` is `{id}`, which is not {what} (a shape with `@{}`)", crate::model::shape_name(trait_id)),
                ),
                _ => {}
            }
        }
    }

    /// The JSON names of a structure's or union's members (their `@jsonName`, else
    /// their names) are different: restJson1 writes and reads the members by them.
    fn check_json_names(&mut self) {
        let model = self.model;
        for s in model.shapes.values() {
            if !matches!(s.kind, Kind::Structure { .. } | Kind::Union { .. }) {
                continue;
            }
            let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
            for m in s.kind.members() {
                let name = typed::json_name(&m.traits).unwrap_or(&m.name);
                if let Some(other) = seen.insert(name, &m.name) {
                    self.problem(
                        format!("{}${}", s.id, m.name),
                        &m.path,
                        format!("its JSON name `{name}` is also the JSON name of `{other}`"),
                    );
                }
            }
        }
    }

    /// The `@http` URI pattern of an operation, and its input's bindings against it:
    /// a label for each `@httpLabel` member and a member for each label, greedy labels
    /// of strings, query and header names bound once.
    fn check_http_bindings(&mut self, op: &Shape, input: &str, uri: &str) {
        let path = format!("{}.uri", trait_path(&op.path, HTTP));
        let labels = match parse_uri_labels(uri) {
            Ok(labels) => labels,
            Err(why) => {
                self.problem(
                    &op.id,
                    &path,
                    format!("the URI pattern `{uri}` is invalid: {why}"),
                );
                return;
            }
        };
        if labels.iter().filter(|(_, greedy)| *greedy).count() > 1 {
            // Smithy's DANGER, not an error: the model loads.
            self.warnings.push(Diagnostic::new(
                &op.id,
                &path,
                format!("the URI pattern `{uri}` has more than one greedy label"),
            ));
        }
        let model = self.model;
        let Some(Shape {
            kind: Kind::Structure { members },
            ..
        }) = model.shapes.get(input)
        else {
            if let Some((label, _)) = labels.first() {
                self.problem(
                    &op.id,
                    &path,
                    format!("the URI label `{label}` has no input member to take its value from"),
                );
            }
            return;
        };
        for (label, greedy) in &labels {
            let member = members
                .iter()
                .find(|m| &m.name == label && m.traits.contains_key(HTTP_LABEL));
            let Some(member) = member else {
                self.problem(
                    &op.id,
                    &path,
                    format!("the URI label `{label}` has no member of `{input}` with `@httpLabel` named so"),
                );
                continue;
            };
            let target = model.shapes.get(&member.target);
            if *greedy && !target.is_some_and(|t| t.kind.is_string()) {
                self.problem(
                    format!("{input}${}", member.name),
                    &member.path,
                    format!(
                        "the greedy URI label `{label}+` of `{}` must be bound to a string",
                        op.id
                    ),
                );
            }
        }
        let literals = uri_query_keys(uri);
        let mut queries: BTreeMap<&str, &str> = BTreeMap::new();
        let mut headers: BTreeMap<String, &str> = BTreeMap::new();
        for m in members {
            let subject = format!("{input}${}", m.name);
            if m.traits.contains_key(HTTP_LABEL) {
                if !labels.iter().any(|(l, _)| l == &m.name) {
                    self.problem(
                        &subject,
                        trait_path(&m.path, HTTP_LABEL),
                        format!("`@httpLabel` binds the member to the URI label `{{{}}}`, which the URI `{uri}` of `{}` does not have", m.name, op.id),
                    );
                }
                if !m.traits.contains_key(REQUIRED) {
                    self.problem(
                        &subject,
                        trait_path(&m.path, HTTP_LABEL),
                        "a member bound to a URI label must be `@required`",
                    );
                }
                let scalar = model
                    .shapes
                    .get(&m.target)
                    .is_some_and(|t| t.kind.is_http_scalar());
                if !scalar {
                    self.problem(
                        &subject,
                        trait_path(&m.path, HTTP_LABEL),
                        format!("a member bound to a URI label must target a string, number, boolean or timestamp, not `{}`", m.target),
                    );
                }
            }
            if let Some(name) = m.traits.get(HTTP_QUERY).and_then(Value::as_str) {
                if literals.contains(&name) {
                    self.problem(
                        &subject,
                        trait_path(&m.path, HTTP_QUERY),
                        format!(
                            "the query parameter `{name}` is already in the URI `{uri}` of `{}`",
                            op.id
                        ),
                    );
                }
                if let Some(other) = queries.insert(name, &m.name) {
                    self.problem(
                        &subject,
                        trait_path(&m.path, HTTP_QUERY),
                        format!("the query parameter `{name}` is already bound to `{other}`"),
                    );
                }
            }
            if let Some(name) = m.traits.get(HTTP_HEADER).and_then(Value::as_str) {
                if let Some(other) = headers.insert(name.to_ascii_lowercase(), &m.name) {
                    self.problem(
                        &subject,
                        trait_path(&m.path, HTTP_HEADER),
                        format!("the header `{name}` is already bound to `{other}` (header names are case-insensitive)"),
                    );
                }
            }
        }
    }

    fn check_binding(&mut self, subject: &str, path: &str, target: &str, want: &str) {
        if let Some(s) = self.expect_target(subject, path, target, want) {
            if s.kind.type_name() != want {
                self.problem(
                    subject,
                    path,
                    format!("`{target}` is a {}, not an {want}", s.kind.type_name()),
                );
            }
        }
    }

    fn check_error_ref(&mut self, subject: &str, path: &str, target: &str) {
        if let Some(s) = self.expect_target(subject, path, target, "error") {
            if !matches!(s.kind, Kind::Structure { .. }) || !s.has(ERROR) {
                self.problem(subject, path, format!("`{target}` is listed as an error but is not a structure with the `smithy.api#error` trait"));
            }
        }
    }
}

/// Decodes standard base64 (padding optional), as blob defaults are written.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let digits = text.trim_end_matches('=');
    if text.len() - digits.len() > 2 || digits.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in digits.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Checks every shape of the model. Returns every problem found, not only the first;
/// when there is none, returns what Smithy would warn about.
pub fn validate(model: &Model) -> Result<Vec<Diagnostic>> {
    let mut c = Checker {
        model,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    // The lists and maps another list or map contains: a chain nested too deep is
    // reported once, at its head.
    let targeted: BTreeSet<&str> = model
        .shapes
        .values()
        .filter_map(|s| match &s.kind {
            Kind::List { member } => Some(member.target.as_str()),
            Kind::Map { value, .. } => Some(value.target.as_str()),
            _ => None,
        })
        .collect();
    for shape in model.shapes.values() {
        if shape.path != "prelude" {
            c.check_shape(shape, &targeted);
        }
    }
    c.check_required_cycles();
    c.check_union_recursion();
    c.check_operation_structures();
    c.check_json_names();
    c.check_streams();
    c.check_test_ids();
    c.check_payload_structures();
    c.check_discovered_operations();
    crate::traits::check(model, &mut c.problems, &mut c.warnings);
    if c.problems.is_empty() {
        Ok(c.warnings)
    } else {
        Err(Error::Invalid(c.problems))
    }
}

/// The traits that bind a member to a part of the HTTP message.
const HTTP_BINDINGS: [&str; 7] = [
    HTTP_LABEL,
    HTTP_QUERY,
    HTTP_QUERY_PARAMS,
    HTTP_HEADER,
    HTTP_PREFIX_HEADERS,
    HTTP_PAYLOAD,
    HTTP_RESPONSE_CODE,
];

/// The AWS protocols, by their traits.
const AWS_PROTOCOLS: [&str; 6] = [
    AWS_JSON_1_0,
    AWS_JSON_1_1,
    REST_JSON_1,
    "aws.protocols#restXml",
    "aws.protocols#awsQuery",
    "aws.protocols#ec2Query",
];

/// The AWS protocols that bind members to HTTP (`@httpPayload` and the other binding
/// traits).
const HTTP_BINDING_PROTOCOLS: [&str; 2] = [REST_JSON_1, "aws.protocols#restXml"];

/// Why `text` is not a media type (`type/subtype *(; name=value)`, RFC 9110's
/// grammar: tokens, and values that are tokens or quoted strings), if it is not.
fn media_type_error(text: &str) -> Option<String> {
    fn tchar(c: u8) -> bool {
        c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c)
    }
    let b = text.as_bytes();
    let token = |i: &mut usize, what: &str| -> Result<(), String> {
        let start = *i;
        while *i < b.len() && tchar(b[*i]) {
            *i += 1;
        }
        if *i == start {
            return Err(match b.get(*i) {
                Some(&c) => format!("expected {what} at `{}`", c as char),
                None => format!("it ends where {what} should be"),
            });
        }
        Ok(())
    };
    let ows = |i: &mut usize| {
        while *i < b.len() && (b[*i] == b' ' || b[*i] == b'\t') {
            *i += 1;
        }
    };
    let run = || -> Result<(), String> {
        let mut i = 0;
        token(&mut i, "the type")?;
        if b.get(i) != Some(&b'/') {
            return Err("expected `/` after the type".to_string());
        }
        i += 1;
        token(&mut i, "the subtype")?;
        ows(&mut i);
        while i < b.len() {
            if b[i] != b';' {
                return Err(format!("expected `;` at `{}`", b[i] as char));
            }
            i += 1;
            ows(&mut i);
            token(&mut i, "a parameter name")?;
            if b.get(i) != Some(&b'=') {
                return Err("expected `=` after the parameter name".to_string());
            }
            i += 1;
            if b.get(i) == Some(&b'"') {
                i += 1;
                loop {
                    match b.get(i) {
                        None => return Err("a quoted value is not closed".to_string()),
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') => i += 2,
                        Some(_) => i += 1,
                    }
                }
            } else {
                token(&mut i, "a parameter value")?;
            }
            ows(&mut i);
        }
        Ok(())
    };
    run().err()
}

/// How deep lists and maps may nest with no structure or union in between.
pub const MAX_COLLECTION_NESTING: usize = 64;

/// The shapes a service reaches: its operations and resources, their inputs, outputs
/// and errors, the service's errors, and every shape their members target.
fn service_closure<'m>(model: &'m Model, service: &'m Shape) -> BTreeSet<&'m str> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut todo: Vec<&str> = vec![service.id.as_str()];
    while let Some(id) = todo.pop() {
        let Some(s) = model.shapes.get(id) else {
            continue;
        };
        if !seen.insert(s.id.as_str()) {
            continue;
        }
        match &s.kind {
            Kind::Service(svc) => todo.extend(
                svc.operations
                    .iter()
                    .chain(&svc.resources)
                    .chain(&svc.errors)
                    .map(String::as_str),
            ),
            Kind::Resource(r) => {
                todo.extend(r.operations.iter().chain(&r.resources).map(String::as_str))
            }
            Kind::Operation(op) => todo.extend(
                [op.input.as_str(), op.output.as_str()]
                    .into_iter()
                    .chain(op.errors.iter().map(String::as_str)),
            ),
            kind => todo.extend(kind.members().iter().map(|m| m.target.as_str())),
        }
    }
    seen
}

/// Smithy's own protocols (beside the AWS ones, the other protocols Smithy ships).
const SMITHY_PROTOCOLS: [&str; 2] = ["smithy.protocols#rpcv2Cbor", "smithy.protocols#rpcv2Json"];

/// The auth schemes of Smithy's own trait namespaces (shapes with `@authDefinition`).
const SHIPPED_AUTH_SCHEMES: [&str; 8] = [
    "smithy.api#httpBasicAuth",
    "smithy.api#httpDigestAuth",
    HTTP_BEARER_AUTH,
    "smithy.api#httpApiKeyAuth",
    "smithy.api#noAuth",
    SIGV4,
    "aws.auth#sigv4a",
    "aws.auth#cognitoUserPools",
];

/// What is wrong with a default value that is of its target's type but outside the
/// `@length` or `@range` of the member (`own`, its own traits) or of the target, as
/// Smithy checks defaults against the constraints (`@pattern` is not checked here).
fn default_breaks_constraints(
    v: &Value,
    own: Option<&crate::model::Traits>,
    target: &Shape,
) -> Option<String> {
    let traits = own.into_iter().chain([&target.traits]);
    for t in traits {
        let bounds = |key: &str| {
            t.get(key).map(|b| {
                let f = |k: &str| b.get(k).and_then(Value::as_f64);
                (f("min"), f("max"))
            })
        };
        let size = match (&target.kind, v) {
            (Kind::Simple(Simple::String) | Kind::Enum { .. }, Value::String(text)) => {
                Some((text.chars().count(), "characters"))
            }
            (Kind::Simple(Simple::Blob), Value::String(text)) => {
                Some((decode_base64(text).map_or(text.len(), |b| b.len()), "bytes"))
            }
            (Kind::List { .. }, Value::Array(a)) => Some((a.len(), "elements")),
            (Kind::Map { .. }, Value::Object(o)) => Some((o.len(), "entries")),
            _ => None,
        };
        if let (Some((n, unit)), Some((min, max))) = (size, bounds("smithy.api#length")) {
            let n_f = n as f64;
            if min.is_some_and(|m| n_f < m) || max.is_some_and(|m| n_f > m) {
                return Some(format!(
                    "the default {v} has {n} {unit}, outside the `@length` of {}",
                    bounds_text(min, max)
                ));
            }
        }
        if let (Value::Number(x), Some((min, max))) = (v, bounds("smithy.api#range")) {
            let x = x.as_f64().unwrap_or_default();
            if min.is_some_and(|m| x < m) || max.is_some_and(|m| x > m) {
                return Some(format!(
                    "the default {v} is outside the `@range` of {}",
                    bounds_text(min, max)
                ));
            }
        }
    }
    None
}

/// `1 to 5`, `at least 1`, `at most 5`.
fn bounds_text(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(lo), Some(hi)) => format!("{lo} to {hi}"),
        (Some(lo), None) => format!("at least {lo}"),
        (None, Some(hi)) => format!("at most {hi}"),
        (None, None) => "anything".to_string(),
    }
}

/// The unit type of the prelude.
const UNIT: &str = "smithy.api#Unit";

/// How two shapes of a service that share a name conflict.
enum Conflict {
    /// Smithy's error.
    Refused,
    /// Lists alike: Smithy's warning.
    Lists,
}

/// A shape's traits as one JSON object, to compare.
fn traits_value(traits: &crate::model::Traits) -> Value {
    Value::Object(traits.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

/// Two JSON values are the same value: numbers by what they stand for (`1` and `1.0`).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => a == b,
    }
}

/// The keys of the literal query string of an `@http` URI pattern (`/a?x&y=1`: `x`, `y`).
fn uri_query_keys(uri: &str) -> Vec<&str> {
    uri.split_once('?')
        .map(|(_, query)| {
            query
                .split('&')
                .map(|pair| pair.split_once('=').map_or(pair, |(k, _)| k))
                .collect()
        })
        .unwrap_or_default()
}

/// The labels of an `@http` URI pattern, with whether each is greedy, or what makes the
/// pattern invalid (Smithy's rules: an origin-form path from `/`, whole-segment
/// labels named as identifiers, once each; a literal query string
/// without labels or repeated keys).
fn parse_uri_labels(uri: &str) -> std::result::Result<Vec<(String, bool)>, String> {
    if !uri.starts_with('/') {
        return Err("it must start with `/`".into());
    }
    if uri.contains('#') {
        return Err("it must not have a fragment (`#`)".into());
    }
    if uri.ends_with('?') {
        return Err("it must not end with `?`".into());
    }
    let (path, query) = match uri.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (uri, None),
    };
    let mut segments: Vec<&str> = path[1..].split('/').collect();
    // Trailing empty segments (`/a/`) are allowed.
    while segments.last() == Some(&"") {
        segments.pop();
    }
    let mut labels: Vec<(String, bool)> = Vec::new();
    for segment in segments {
        if segment.is_empty() {
            return Err("it has an empty segment (`//`)".into());
        }
        let Some(inner) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            if segment.contains(['{', '}']) {
                return Err(format!(
                    "the segment `{segment}` has `{{` or `}}` but is not one whole label"
                ));
            }
            continue;
        };
        let (name, greedy) = match inner.strip_suffix('+') {
            Some(name) => (name, true),
            None => (inner, false),
        };
        if !crate::model::is_identifier(name) {
            return Err(format!(
                "the label `{segment}` must be named with an identifier"
            ));
        }
        if labels.iter().any(|(l, _)| l.eq_ignore_ascii_case(name)) {
            return Err(format!("the label `{name}` is there more than once"));
        }
        labels.push((name.to_string(), greedy));
    }
    if let Some(query) = query {
        if query.contains(['{', '}']) {
            return Err("labels cannot be in the query string".into());
        }
        let mut keys = BTreeSet::new();
        for key in uri_query_keys(uri) {
            if !keys.insert(key) {
                return Err(format!(
                    "the literal query parameter `{key}` is there more than once"
                ));
            }
        }
    }
    Ok(labels)
}

#[cfg(test)]
mod uri_tests {
    use super::parse_uri_labels;

    #[test]
    fn uri_patterns_smithy_accepts_give_their_labels() {
        let labels = |uri: &str| parse_uri_labels(uri).unwrap();
        assert!(labels("/").is_empty());
        assert!(labels("/a/b/").is_empty());
        assert_eq!(
            labels("/{Bucket}/{Key+}?x-id=GetObject"),
            [("Bucket".to_string(), false), ("Key".to_string(), true)]
        );
        assert_eq!(
            labels("/{Bucket}?uploads&a=1"),
            [("Bucket".to_string(), false)]
        );
        assert_eq!(labels("/v1/{_id2}/x"), [("_id2".to_string(), false)]);
        for bad in [
            "", "a", "/a#b", "/a?", "/a//b", "/{}", "/{+}", "/{1a}", "/{a-b}", "/{__}", "/{a}{b}",
            "/a?x&x",
        ] {
            assert!(parse_uri_labels(bad).is_err(), "{bad}");
        }
    }
}

/// Whether `text` is an RFC 3339 date-time (`1985-04-12T23:20:50.52Z`, an offset
/// instead of `Z`), as Smithy takes a timestamp's default.
fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let number = |r: std::ops::Range<usize>| {
        text.get(r)
            .and_then(|t| t.parse::<u32>().ok())
            .unwrap_or(u32::MAX)
    };
    if !(digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-'))
        || !(digits(8..10) && matches!(b.get(10), Some(b'T' | b't')) && digits(11..13))
        || !(b.get(13) == Some(&b':')
            && digits(14..16)
            && b.get(16) == Some(&b':')
            && digits(17..19))
    {
        return false;
    }
    if !(1..=12).contains(&number(5..7))
        || !(1..=31).contains(&number(8..10))
        || number(11..13) > 23
        || number(14..16) > 59
        || number(17..19) > 60
    {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
                && (u32::from(*h1 - b'0') * 10 + u32::from(*h2 - b'0')) <= 23
                && (u32::from(*m1 - b'0') * 10 + u32::from(*m2 - b'0')) <= 59
        }
        _ => false,
    }
}

#[cfg(test)]
mod date_time_tests {
    #[test]
    fn rfc3339_date_times() {
        for ok in [
            "1985-04-12T23:20:50Z",
            "1985-04-12T23:20:50.52Z",
            "1996-12-19T16:39:57-08:00",
            "2000-01-01t00:00:00z",
        ] {
            assert!(super::is_date_time(ok), "{ok}");
        }
        for bad in [
            "x",
            "1985-04-12",
            "1985-04-12T23:20:50",
            "1985-13-12T23:20:50Z",
            "1985-04-12T23:20:50.Z",
            "1985-04-12T23:20:50+0800",
            "1985-04-12 23:20:50Z",
        ] {
            assert!(!super::is_date_time(bad), "{bad}");
        }
    }
}
