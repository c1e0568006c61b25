//! Typed views of the trait values that lowering reads. The values were checked
//! against their definitions first (this module's parent), so each is read here, once,
//! into a Rust type; lowering asks for an `Http`, a `Binding` or a
//! `TimestampFormat`, not for JSON. An absent trait is `None` (or its default).

use crate::ir::{Binding, Http, TimestampFormat};
use crate::model::Traits;
use crate::validate::traits::*;
use serde_json::Value;

fn str_of<'a>(traits: &'a Traits, id: &str) -> Option<&'a str> {
    traits.get(id).and_then(Value::as_str)
}

fn member_str<'a>(traits: &'a Traits, id: &str, member: &str) -> Option<&'a str> {
    traits
        .get(id)
        .and_then(|t| t.get(member))
        .and_then(Value::as_str)
}

/// `@documentation`.
pub fn documentation(traits: &Traits) -> Option<&str> {
    str_of(traits, DOCUMENTATION)
}

/// `@timestampFormat`, on the member or else on its target.
pub fn timestamp_format(member: &Traits, target: Option<&Traits>) -> Option<TimestampFormat> {
    let text = str_of(member, TIMESTAMP_FORMAT)
        .or_else(|| target.and_then(|t| str_of(t, TIMESTAMP_FORMAT)))?;
    match text {
        "date-time" => Some(TimestampFormat::DateTime),
        "http-date" => Some(TimestampFormat::HttpDate),
        "epoch-seconds" => Some(TimestampFormat::EpochSeconds),
        _ => None,
    }
}

/// `@jsonName`.
pub fn json_name(traits: &Traits) -> Option<&str> {
    str_of(traits, JSON_NAME)
}

/// The wire value of a string enum's member: its `@enumValue`, else its name.
pub fn enum_value(m: &crate::model::Member) -> &str {
    str_of(&m.traits, ENUM_VALUE).unwrap_or(&m.name)
}

/// The value of an intEnum's member: its `@enumValue`.
pub fn int_enum_value(m: &crate::model::Member) -> Option<i64> {
    m.traits.get(ENUM_VALUE)?.as_i64()
}

/// `@mediaType`.
pub fn media_type(traits: &Traits) -> Option<&str> {
    str_of(traits, MEDIA_TYPE)
}

/// Where the HTTP binding traits put a member; the body without any.
pub fn binding(traits: &Traits) -> Binding {
    if traits.contains_key(HTTP_LABEL) {
        Binding::Label { greedy: false }
    } else if let Some(q) = str_of(traits, HTTP_QUERY) {
        Binding::Query(q.to_string())
    } else if traits.contains_key(HTTP_QUERY_PARAMS) {
        Binding::QueryParams
    } else if let Some(h) = str_of(traits, HTTP_HEADER) {
        Binding::Header(h.to_string())
    } else if let Some(p) = str_of(traits, HTTP_PREFIX_HEADERS) {
        Binding::PrefixHeaders(p.to_string())
    } else if traits.contains_key(HTTP_PAYLOAD) {
        Binding::Payload
    } else if traits.contains_key(HTTP_RESPONSE_CODE) {
        Binding::ResponseCode
    } else if traits.contains_key(EVENT_HEADER) {
        Binding::EventHeader
    } else if traits.contains_key(EVENT_PAYLOAD) {
        Binding::EventPayload
    } else {
        Binding::Body
    }
}

/// `@default`, unless it is `null` (which removes a default).
pub fn default_value(traits: &Traits) -> Option<&Value> {
    traits.get(DEFAULT).filter(|v| !v.is_null())
}

/// `@http`: method, URI pattern and success code (200 unless given).
pub fn http(traits: &Traits) -> Option<Http> {
    let h = traits.get(HTTP)?;
    Some(Http {
        method: h.get("method")?.as_str()?.to_string(),
        uri: h.get("uri")?.as_str()?.to_string(),
        code: h
            .get("code")
            .and_then(Value::as_u64)
            .and_then(|c| u16::try_from(c).ok())
            .unwrap_or(200),
    })
}

/// Whether `@error` says the server is at fault.
pub fn is_server_error(traits: &Traits) -> bool {
    str_of(traits, ERROR) == Some("server")
}

/// `aws.protocols#awsQueryError`'s code.
pub fn query_error_code(traits: &Traits) -> Option<&str> {
    member_str(traits, QUERY_ERROR, "code")
}

/// Whether `@requestCompression` lists gzip, the one encoding clients support.
pub fn compresses_with_gzip(traits: &Traits) -> bool {
    traits
        .get(REQUEST_COMPRESSION)
        .and_then(|t| t.get("encodings"))
        .and_then(Value::as_array)
        .is_some_and(|e| e.iter().any(|x| x.as_str() == Some("gzip")))
}

/// `aws.api#service`'s `sdkId`.
pub fn sdk_id(traits: &Traits) -> Option<&str> {
    member_str(traits, AWS_SERVICE, "sdkId")
}

/// `aws.api#service`'s `endpointPrefix`.
pub fn endpoint_prefix(traits: &Traits) -> Option<&str> {
    member_str(traits, AWS_SERVICE, "endpointPrefix")
}

/// `aws.auth#sigv4`'s signing name.
pub fn sigv4_name(traits: &Traits) -> Option<&str> {
    member_str(traits, SIGV4, "name")
}

/// `smithy.rules#contextParam`'s parameter name.
pub fn context_param(traits: &Traits) -> Option<&str> {
    member_str(traits, CONTEXT_PARAM, "name")
}

/// The members of `@paginated`, the operation's over the service's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paginated {
    /// `inputToken`.
    pub input_token: Option<String>,
    /// `outputToken`.
    pub output_token: Option<String>,
    /// `items`.
    pub items: Option<String>,
    /// `pageSize`.
    pub page_size: Option<String>,
}

/// `@paginated` of an operation, each member taken from the operation's trait, else
/// the service's; `None` when the operation is not paginated.
pub fn paginated(op: &Traits, service: &Traits) -> Option<Paginated> {
    op.get(PAGINATED)?;
    let get = |k: &str| {
        member_str(op, PAGINATED, k)
            .or_else(|| member_str(service, PAGINATED, k))
            .map(str::to_string)
    };
    Some(Paginated {
        input_token: get("inputToken"),
        output_token: get("outputToken"),
        items: get("items"),
        page_size: get("pageSize"),
    })
}
