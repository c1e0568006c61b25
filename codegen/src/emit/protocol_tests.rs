//! The Smithy protocol compliance tests of a model (`smithy.test#httpRequestTests`
//! and `httpResponseTests`), as a test file of the generated crate: one `#[tokio::test]`
//! per case that applies to clients. Request cases build the input from `params`
//! through the public builders and check what goes on the wire; response cases feed
//! a canned response to the client and compare what it parses with `params`.

use super::common::ident;
use super::common::prelude::{BOX, DEFAULT, NONE, SOME, STRING};
use crate::ir::{
    Field, NamedKind, Operation, ProtocolTest, ProtocolTestKind, Service, Struct, Type, TypeDef,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;
use std::collections::BTreeMap;

/// Whether the service has protocol tests to write.
pub fn has_tests(service: &Service) -> bool {
    !service.skipped_tests.is_empty()
        || service
            .operations
            .iter()
            .any(|o| !o.protocol_tests.is_empty())
}

struct Ctx<'s> {
    lib: proc_macro2::Ident,
    structs: BTreeMap<&'s str, &'s Struct>,
    unions: BTreeMap<&'s str, &'s crate::ir::Union>,
}

/// The test file.
pub fn protocol_tests_file(service: &Service) -> TokenStream {
    let mut structs = BTreeMap::new();
    let mut unions = BTreeMap::new();
    for t in &service.types {
        match t {
            TypeDef::Struct(s) => {
                structs.insert(s.name.as_str(), s);
            }
            TypeDef::Union(u) => {
                unions.insert(u.name.as_str(), u);
            }
            TypeDef::Enum(_) => {}
        }
    }
    let cx = Ctx {
        lib: ident(&service.lib_name),
        structs,
        unions,
    };
    let tests = service
        .operations
        .iter()
        .flat_map(|op| op.protocol_tests.iter().map(move |t| (op, t)))
        .map(|(op, t)| test_fn(&cx, Some(op), t))
        .chain(service.skipped_tests.iter().map(|t| test_fn(&cx, None, t)));
    quote! {
        //! The Smithy protocol compliance tests of the model, one per case that applies
        //! to clients. Cases for servers, and cases known to fail (with the reason),
        //! are ignored tests, so that they are counted as skipped.
        #![allow(deprecated, unused_mut, clippy::all)]
        #( #tests )*
    }
}

fn str_field<'v>(case: &'v Value, key: &str) -> Option<&'v str> {
    case.get(key).and_then(Value::as_str)
}

fn test_fn(cx: &Ctx<'_>, op: Option<&Operation>, t: &ProtocolTest) -> TokenStream {
    let name = ident(&t.fn_name);
    let doc_text = format!(" `{}`", t.id);
    let ignore = t.skip.as_ref().map(|why| quote! { #[ignore = #why] });
    let (Some(op), false) = (op, t.server_only) else {
        return quote! {
            #[doc = #doc_text]
            #[test]
            #ignore
            fn #name() {}
        };
    };
    let body = match &t.kind {
        ProtocolTestKind::Request => request_body(cx, op, &t.case),
        ProtocolTestKind::Response => response_body(cx, op, &t.case, None),
        ProtocolTestKind::EventStream { .. } if sends_events(&t.case) => {
            event_stream_request_body(cx, op, &t.case)
        }
        ProtocolTestKind::EventStream { error_type } => {
            event_stream_body(cx, op, &t.case, error_type.as_deref())
        }
        ProtocolTestKind::Error { variant, type_name } => {
            response_body(cx, op, &t.case, Some((variant, type_name)))
        }
    };
    quote! {
        #[doc = #doc_text]
        #[tokio::test]
        #ignore
        async fn #name() {
            #body
        }
    }
}

/// The region and endpoint of a case: `vendorParams` where given.
fn endpoint_and_region(case: &Value) -> (String, String) {
    let vendor = case.get("vendorParams");
    let region = vendor
        .and_then(|v| v.get("region"))
        .and_then(Value::as_str)
        .unwrap_or("us-east-1")
        .to_string();
    let host = str_field(case, "host").unwrap_or("example.com");
    let endpoint = if host.contains("://") {
        host.to_string()
    } else {
        format!("https://{host}")
    };
    (endpoint, region)
}

fn input_struct<'s>(cx: &Ctx<'s>, op: &Operation) -> Option<&'s Struct> {
    op.input
        .as_ref()
        .and_then(|n| cx.structs.get(n.as_str()).copied())
}

/// `.set_x(Some(v))` calls on a builder, for the members given in `params`.
fn setters(cx: &Ctx<'_>, s: &Struct, params: Option<&Value>) -> Vec<TokenStream> {
    let Some(Value::Object(params)) = params else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in params {
        let Some(f) = s.fields.iter().find(|f| &f.wire_name == k) else {
            continue;
        };
        out.push(set_call(cx, f, v));
    }
    out
}

fn set_call(cx: &Ctx<'_>, f: &Field, v: &Value) -> TokenStream {
    let set = ident(&f.set_fn);
    if v.is_null() {
        return quote! { .#set(#NONE) };
    }
    let value = value_expr(cx, &f.ty, v, 0);
    let value = if f.boxed {
        quote! { #BOX::new(#value) }
    } else {
        value
    };
    quote! { .#set(#SOME(#value)) }
}

/// `.set_x(Some(v))` calls that give every member `build()` checks a value, so that a
/// response case can send a request at all.
fn required_fillers(cx: &Ctx<'_>, s: &Struct, depth: usize) -> Vec<TokenStream> {
    s.fields
        .iter()
        .filter(|f| f.checked_by_build())
        .map(|f| fill_call(cx, f, depth))
        .collect()
}

/// `.set_x(Some(v))` with a value of the member's type that `build()` accepts.
fn fill_call(cx: &Ctx<'_>, f: &Field, depth: usize) -> TokenStream {
    let set = ident(&f.set_fn);
    let value = filler(cx, &f.ty, depth);
    let value = if f.boxed {
        quote! { #BOX::new(#value) }
    } else {
        value
    };
    quote! { .#set(#SOME(#value)) }
}

/// The events of an event stream case that go one way: `request` or `response`.
fn case_events<'c>(case: &'c Value, direction: &str) -> Vec<&'c Value> {
    case.get("events")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|e| str_field(e, "type") == Some(direction))
                .collect()
        })
        .unwrap_or_default()
}

fn filler(cx: &Ctx<'_>, ty: &Type, depth: usize) -> TokenStream {
    let lib = &cx.lib;
    match ty {
        Type::String => quote! { #STRING::from("value") },
        Type::Named {
            name,
            kind: NamedKind::Struct,
        } if depth < 8 => {
            let n = ident(name);
            let fills = cx
                .structs
                .get(name.as_str())
                .map(|s| required_fillers(cx, s, depth + 1))
                .unwrap_or_default();
            let fallible = cx
                .structs
                .get(name.as_str())
                .is_some_and(|s| s.fields.iter().any(Field::checked_by_build));
            let build = if fallible {
                quote! { .build().expect("a valid value") }
            } else {
                quote! { .build() }
            };
            quote! { ::#lib::types::#n::builder() #( #fills )* #build }
        }
        Type::Named {
            name,
            kind: NamedKind::Union,
        } => {
            let u = cx.unions.get(name.as_str());
            let n = ident(name);
            match u.and_then(|u| u.variants.first()) {
                Some(v) => {
                    let vi = ident(&v.ident);
                    match &v.ty {
                        Some(t) => {
                            let inner = filler(cx, t, depth + 1);
                            let inner = if v.boxed {
                                quote! { #BOX::new(#inner) }
                            } else {
                                inner
                            };
                            quote! { ::#lib::types::#n::#vi(#inner) }
                        }
                        None => quote! { ::#lib::types::#n::#vi },
                    }
                }
                None => quote! { ::#lib::types::#n::Unknown },
            }
        }
        other => value_expr(cx, other, &zero_json(other), depth),
    }
}

fn zero_json(ty: &Type) -> Value {
    match ty {
        Type::Bool => Value::Bool(false),
        Type::List { .. } => Value::Array(Vec::new()),
        Type::Map { .. } | Type::Document => Value::Object(serde_json::Map::new()),
        Type::String
        | Type::Blob
        | Type::Stream
        | Type::Named {
            kind: NamedKind::Enum,
            ..
        } => Value::String("value".into()),
        _ => Value::from(0),
    }
}

/// The Rust expression of a `params` value of type `ty`.
fn value_expr(cx: &Ctx<'_>, ty: &Type, v: &Value, depth: usize) -> TokenStream {
    let lib = &cx.lib;
    let rt = quote! { ::#lib::runtime };
    match (ty, v) {
        (Type::Bool, Value::Bool(b)) => quote! { #b },
        (Type::Byte, Value::Number(n)) => {
            let l = Literal::i8_suffixed(n.as_i64().unwrap_or_default() as i8);
            quote! { #l }
        }
        (Type::Short, Value::Number(n)) => {
            let l = Literal::i16_suffixed(n.as_i64().unwrap_or_default() as i16);
            quote! { #l }
        }
        (Type::Integer, Value::Number(n)) => {
            let l = Literal::i32_suffixed(n.as_i64().unwrap_or_default() as i32);
            quote! { #l }
        }
        (Type::Long, Value::Number(n)) => {
            let l = Literal::i64_suffixed(n.as_i64().unwrap_or_default());
            quote! { #l }
        }
        (Type::Float | Type::Double, v) => {
            let suffix = if *ty == Type::Float {
                quote! { f32 }
            } else {
                quote! { f64 }
            };
            match v {
                Value::String(s) if s == "NaN" => quote! { #suffix::NAN },
                Value::String(s) if s == "Infinity" => quote! { #suffix::INFINITY },
                Value::String(s) if s == "-Infinity" => quote! { #suffix::NEG_INFINITY },
                Value::Number(n) => {
                    let f = n.as_f64().unwrap_or_default();
                    let l = if *ty == Type::Float {
                        Literal::f32_suffixed(f as f32)
                    } else {
                        Literal::f64_suffixed(f)
                    };
                    quote! { #l }
                }
                _ => quote! { #suffix::NAN },
            }
        }
        (Type::BigInteger | Type::BigDecimal, v) => {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            quote! { #rt::Number::parse(#text).expect("a number") }
        }
        (Type::String, Value::String(s)) => quote! { #STRING::from(#s) },
        (Type::Blob, Value::String(s)) => {
            let l = Literal::byte_string(s.as_bytes());
            quote! { #rt::Blob::new(#l) }
        }
        (Type::Stream, Value::String(s)) => {
            let l = Literal::byte_string(s.as_bytes());
            quote! { #rt::ByteStream::from_static(#l) }
        }
        (Type::Timestamp(_), Value::Number(n)) => {
            let text = n.to_string();
            quote! { #rt::DateTime::from_epoch_seconds_str(#text).expect("a timestamp") }
        }
        (Type::Timestamp(_), Value::String(s)) => quote! {
            #rt::DateTime::parse(#s, #rt::TimestampFormat::DateTime).expect("a timestamp")
        },
        (Type::Document, v) => document_expr(lib, v),
        (Type::List { member, sparse }, Value::Array(items)) => {
            let items = items.iter().map(|i| {
                if *sparse {
                    if i.is_null() {
                        quote! { #NONE }
                    } else {
                        let e = value_expr(cx, member, i, depth + 1);
                        quote! { #SOME(#e) }
                    }
                } else {
                    value_expr(cx, member, i, depth + 1)
                }
            });
            quote! { ::std::vec![#( #items ),*] }
        }
        (Type::Map { key, value, sparse }, Value::Object(entries)) => {
            let entries = entries.iter().map(|(k, i)| {
                let k = value_expr(cx, key, &Value::String(k.clone()), depth + 1);
                let e = if *sparse {
                    if i.is_null() {
                        quote! { #NONE }
                    } else {
                        let e = value_expr(cx, value, i, depth + 1);
                        quote! { #SOME(#e) }
                    }
                } else {
                    value_expr(cx, value, i, depth + 1)
                };
                quote! { (#k, #e) }
            });
            quote! { ::std::collections::HashMap::from([#( #entries ),*]) }
        }
        (
            Type::Named {
                name,
                kind: NamedKind::Enum,
            },
            Value::String(s),
        ) => {
            let n = ident(name);
            quote! { ::#lib::types::#n::from(#s) }
        }
        (
            Type::Named {
                name,
                kind: NamedKind::IntEnum,
            },
            Value::Number(x),
        ) => {
            let n = ident(name);
            let l = Literal::i32_suffixed(x.as_i64().unwrap_or_default() as i32);
            quote! { ::#lib::types::#n::from(#l) }
        }
        (
            Type::Named {
                name,
                kind: NamedKind::Struct,
            },
            v,
        ) => match cx.structs.get(name.as_str()) {
            Some(s) => struct_expr(cx, s, Some(v)),
            None => quote! { #DEFAULT::default() },
        },
        (
            Type::Named {
                name,
                kind: NamedKind::Union,
            },
            Value::Object(o),
        ) => {
            let n = ident(name);
            let variant = o.iter().next().and_then(|(k, val)| {
                let u = cx.unions.get(name.as_str())?;
                let var = u.variants.iter().find(|x| &x.wire_name == k)?;
                let vi = ident(&var.ident);
                Some(match &var.ty {
                    Some(t) => {
                        let e = value_expr(cx, t, val, depth + 1);
                        let e = if var.boxed {
                            quote! { #BOX::new(#e) }
                        } else {
                            e
                        };
                        quote! { ::#lib::types::#n::#vi(#e) }
                    }
                    None => quote! { ::#lib::types::#n::#vi },
                })
            });
            variant.unwrap_or_else(|| quote! { ::#lib::types::#n::Unknown })
        }
        (ty, _) => filler(cx, ty, depth),
    }
}

fn struct_expr(cx: &Ctx<'_>, s: &Struct, params: Option<&Value>) -> TokenStream {
    let lib = &cx.lib;
    let n = ident(&s.name);
    let sets = setters(cx, s, params);
    let build = if s.fields.iter().any(Field::checked_by_build) {
        quote! { .build().expect("a valid value") }
    } else {
        quote! { .build() }
    };
    quote! { ::#lib::types::#n::builder() #( #sets )* #build }
}

fn document_expr(lib: &proc_macro2::Ident, v: &Value) -> TokenStream {
    let rt = quote! { ::#lib::runtime };
    match v {
        Value::Null => quote! { #rt::Document::Null },
        Value::Bool(b) => quote! { #rt::Document::Bool(#b) },
        Value::Number(n) => {
            let text = n.to_string();
            quote! { #rt::Document::Number(#rt::Number::parse(#text).expect("a number")) }
        }
        Value::String(s) => quote! { #rt::Document::String(#STRING::from(#s)) },
        Value::Array(items) => {
            let items = items.iter().map(|i| document_expr(lib, i));
            quote! { #rt::Document::Array(::std::vec![#( #items ),*]) }
        }
        Value::Object(o) => {
            let entries = o.iter().map(|(k, v)| {
                let v = document_expr(lib, v);
                quote! { (#STRING::from(#k), #v) }
            });
            quote! { #rt::Document::Object(::std::collections::HashMap::from([#( #entries ),*])) }
        }
    }
}

fn string_list(case: &Value, key: &str) -> Vec<String> {
    case.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn header_pairs(case: &Value) -> Vec<(String, String)> {
    case.get("headers")
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn request_body(cx: &Ctx<'_>, op: &Operation, case: &Value) -> TokenStream {
    let lib = &cx.lib;
    let (endpoint, region) = endpoint_and_region(case);
    let f = ident(&op.fn_name);
    let sets = input_struct(cx, op)
        .map(|s| setters(cx, s, case.get("params")))
        .unwrap_or_default();
    let mut checks = Vec::new();
    if let Some(m) = str_field(case, "method") {
        checks.push(quote! { pt::assert_method(&request, #m); });
    }
    if let Some(uri) = str_field(case, "uri") {
        checks.push(quote! { pt::assert_path(&request, #uri); });
    }
    if let Some(h) = str_field(case, "resolvedHost") {
        checks.push(quote! { pt::assert_host(&request, #h); });
    }
    let q = string_list(case, "queryParams");
    if !q.is_empty() {
        checks.push(quote! { pt::assert_query_params(&request, &[#( #q ),*]); });
    }
    let q = string_list(case, "forbidQueryParams");
    if !q.is_empty() {
        checks.push(quote! { pt::assert_forbidden_query_params(&request, &[#( #q ),*]); });
    }
    let q = string_list(case, "requireQueryParams");
    if !q.is_empty() {
        checks.push(quote! { pt::assert_required_query_params(&request, &[#( #q ),*]); });
    }
    let headers = header_pairs(case);
    if !headers.is_empty() {
        let pairs = headers.iter().map(|(k, v)| quote! { (#k, #v) });
        checks.push(quote! { pt::assert_headers(&request, &[#( #pairs ),*]); });
    }
    let h = string_list(case, "forbidHeaders");
    if !h.is_empty() {
        checks.push(quote! { pt::assert_forbidden_headers(&request, &[#( #h ),*]); });
    }
    let h = string_list(case, "requireHeaders");
    if !h.is_empty() {
        checks.push(quote! { pt::assert_required_headers(&request, &[#( #h ),*]); });
    }
    if let Some(body) = str_field(case, "body") {
        let media = match str_field(case, "bodyMediaType") {
            Some(m) => quote! { #SOME(#m) },
            None => quote! { #NONE },
        };
        checks.push(quote! { pt::assert_body(&request, #body, #media); });
    }
    quote! {
        use ::#lib::runtime::protocol_test as pt;
        let transport = pt::Capture::ok();
        let client = ::#lib::Client::from_conf(transport.config(#endpoint, #region));
        let result = client.#f() #( #sets )* .send().await;
        let request = transport.request();
        // The response does not matter to a request case.
        let _ = result;
        #( #checks )*
    }
}

fn contains_nan(v: &Value) -> bool {
    match v {
        Value::String(s) => s == "NaN",
        Value::Array(a) => a.iter().any(contains_nan),
        Value::Object(o) => o.values().any(contains_nan),
        _ => false,
    }
}

/// Whether an event stream case is about what the client sends: request events, or
/// the initial request.
fn sends_events(case: &Value) -> bool {
    case.get("initialRequest").is_some() || !case_events(case, "request").is_empty()
}

/// An event stream case of the input: the call made with the initial request's
/// members and the case's events; then the initial request (method, path, headers)
/// and each event sent (its headers and payload, a signed stream's signatures checked
/// on the way) are the case's.
fn event_stream_request_body(cx: &Ctx<'_>, op: &Operation, case: &Value) -> TokenStream {
    let lib = &cx.lib;
    let (endpoint, region) = endpoint_and_region(case);
    let f = ident(&op.fn_name);
    let Some(input) = input_struct(cx, op) else {
        return quote! { panic!("the operation has no input"); };
    };
    let Some((set, union)) = input.fields.iter().find_map(|fd| match &fd.ty {
        Type::EventStream { union, input: true } => Some((ident(&fd.set_fn), union.clone())),
        _ => None,
    }) else {
        return quote! { panic!("the operation has no input event stream"); };
    };
    let union_ty = Type::Named {
        name: union,
        kind: NamedKind::Union,
    };
    let events = case_events(case, "request");
    let sent = events
        .iter()
        .map(|e| value_expr(cx, &union_ty, e.get("params").unwrap_or(&Value::Null), 0));
    // The members of the initial request, and any other members `build()` checks.
    let params = case.get("initialRequestParams");
    let mut sets = setters(cx, input, params);
    let given = |fd: &Field| {
        params
            .and_then(Value::as_object)
            .is_some_and(|p| p.contains_key(&fd.wire_name))
    };
    sets.extend(
        input
            .fields
            .iter()
            .filter(|fd| fd.checked_by_build() && !given(fd))
            .map(|fd| fill_call(cx, fd, 0)),
    );
    let mut checks = Vec::new();
    if let Some(initial) = case.get("initialRequest") {
        if let Some(m) = str_field(initial, "method") {
            checks.push(quote! { pt::assert_method(&request, #m); });
        }
        if let Some(uri) = str_field(initial, "uri") {
            checks.push(quote! { pt::assert_path(&request, #uri); });
        }
        let headers = header_pairs(initial);
        if !headers.is_empty() {
            let pairs = headers.iter().map(|(k, v)| quote! { (#k, #v) });
            checks.push(quote! { pt::assert_headers(&request, &[#( #pairs ),*]); });
        }
    }
    let count = events.len();
    let compares = events.iter().enumerate().map(|(i, e)| {
        let bytes = str_field(e, "bytes").unwrap_or_default();
        let media = match str_field(e, "bodyMediaType") {
            Some(m) => quote! { #SOME(#m) },
            None => quote! { #NONE },
        };
        quote! { pt::assert_event(&events[#i], #bytes, #media); }
    });
    quote! {
        use ::#lib::runtime::protocol_test as pt;
        let transport = pt::Capture::ok();
        let client = ::#lib::Client::from_conf(transport.config(#endpoint, #region));
        let events = vec![#( #sent ),*];
        let result = client.#f() #( #sets )* .#set(#SOME(::#lib::primitives::EventSender::from(events))).send().await;
        // The response does not matter to a request case.
        let _ = result;
        let request = transport.request();
        #( #checks )*
        let events = pt::sent_events(&request);
        assert_eq!(events.len(), #count, "the events sent");
        #( #compares )*
    }
}

/// An event stream case: the response's messages (the bytes of each event, or an
/// initial HTTP response), then the events the client reads, or the error it ends in.
fn event_stream_body(
    cx: &Ctx<'_>,
    op: &Operation,
    case: &Value,
    error_type: Option<&str>,
) -> TokenStream {
    let lib = &cx.lib;
    let (endpoint, region) = endpoint_and_region(case);
    let f = ident(&op.fn_name);
    let out = op.output.as_ref().and_then(|o| cx.structs.get(o.as_str()));
    let stream = out.and_then(|s| {
        s.fields.iter().find_map(|fd| match &fd.ty {
            Type::EventStream {
                union,
                input: false,
            } => Some((ident(&fd.ident), union.clone())),
            _ => None,
        })
    });
    let Some((field, union)) = stream else {
        return quote! { panic!("the operation has no event stream output"); };
    };
    let events = case_events(case, "response");
    let initial = case.get("initialResponse");
    let (code, headers, body) = match initial {
        Some(r) => (
            r.get("code")
                .and_then(Value::as_u64)
                .and_then(|c| u16::try_from(c).ok())
                .unwrap_or(200),
            header_pairs(r),
            str_field(r, "body").unwrap_or_default().as_bytes().to_vec(),
        ),
        None => (
            200,
            vec![(
                "Content-Type".to_string(),
                "application/vnd.amazon.eventstream".to_string(),
            )],
            events
                .iter()
                .filter_map(|e| str_field(e, "bytes"))
                .filter_map(crate::validate::decode_base64)
                .flatten()
                .collect(),
        ),
    };
    let headers = headers.iter().map(|(k, v)| quote! { (#k, #v) });
    let body = Literal::byte_string(&body);
    let fills = input_struct(cx, op)
        .map(|s| required_fillers(cx, s, 0))
        .unwrap_or_default();
    let union_ty = Type::Named {
        name: union.clone(),
        kind: NamedKind::Union,
    };
    let call = quote! {
        use ::#lib::runtime::protocol_test as pt;
        let transport = pt::Capture::respond(#code, &[#( #headers ),*], #body);
        let client = ::#lib::Client::from_conf(transport.config(#endpoint, #region));
        let result = client.#f() #( #fills )* .send().await;
    };
    let failure = case.pointer("/expectation/failure").is_some();
    if !failure {
        let reads = events.iter().map(|e| {
            let expected = value_expr(cx, &union_ty, e.get("params").unwrap_or(&Value::Null), 0);
            quote! {
                let event = output.#field.recv().await.expect("the event reads").expect("an event");
                assert_eq!(event, #expected);
            }
        });
        return quote! {
            #call
            let mut output = result.expect("the response parses");
            #( #reads )*
            assert!(output.#field.recv().await.expect("the stream ends").is_none());
        };
    }
    if initial.is_some() {
        // The initial response is the operation's error.
        let variant = error_type
            .and_then(|t| op.errors.iter().find(|e| e.type_name == t))
            .map(|e| ident(&e.variant));
        let e = ident(&op.error_enum);
        let check = match variant {
            Some(v) => quote! {
                let error = result.expect_err("the response is an error").into_service_error();
                assert!(matches!(error, ::#lib::error::#e::#v(_)), "{error:?}");
            },
            None => quote! {
                assert!(result.is_err(), "the response is an error");
            },
        };
        return quote! { #call #check };
    }
    // The stream ends in an error: the modeled exception the case names, with the
    // event's members, or any error.
    let expected = events
        .iter()
        .rev()
        .find_map(|e| e.get("params"))
        .map(|p| value_expr(cx, &union_ty, p, 0));
    let check = match (error_type, expected) {
        (Some(_), Some(expected)) => quote! {
            let ::#lib::runtime::event_stream::EventStreamError::Modeled { event, .. } = error else {
                panic!("expected a modeled exception, got {error:?}");
            };
            assert_eq!(*event, #expected);
        },
        (Some(_), None) => quote! {
            assert!(matches!(error, ::#lib::runtime::event_stream::EventStreamError::Modeled { .. }), "{error:?}");
        },
        _ => quote! { let _ = error; },
    };
    quote! {
        #call
        let mut output = result.expect("the initial response parses");
        let error = loop {
            match output.#field.recv().await {
                Ok(Some(_)) => {}
                Ok(None) => panic!("the stream ended without an error"),
                Err(e) => break e,
            }
        };
        #check
    }
}

fn response_body(
    cx: &Ctx<'_>,
    op: &Operation,
    case: &Value,
    error: Option<(&String, &String)>,
) -> TokenStream {
    let lib = &cx.lib;
    let (endpoint, region) = endpoint_and_region(case);
    let f = ident(&op.fn_name);
    let code = case
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(200);
    let headers = header_pairs(case)
        .into_iter()
        .map(|(k, v)| quote! { (#k, #v) });
    let body = str_field(case, "body").unwrap_or_default();
    let body = Literal::byte_string(body.as_bytes());
    let fills = input_struct(cx, op)
        .map(|s| required_fillers(cx, s, 0))
        .unwrap_or_default();
    let call = quote! {
        use ::#lib::runtime::protocol_test as pt;
        let transport = pt::Capture::respond(#code, &[#( #headers ),*], #body);
        let client = ::#lib::Client::from_conf(transport.config(#endpoint, #region));
        let result = client.#f() #( #fills )* .send().await;
    };
    let params = case.get("params");
    let nan = params.is_some_and(contains_nan);
    match error {
        None => {
            let out = op.output.as_ref().and_then(|o| cx.structs.get(o.as_str()));
            let expected = match out {
                Some(s) => struct_expr(cx, s, params),
                None => quote! { () },
            };
            // A streaming payload is compared by its bytes, the other members as
            // values.
            if let Some(s) = out.filter(|s| super::types::has_stream(&s.fields)) {
                let compares = s.fields.iter().map(|fd| {
                    let id = ident(&fd.ident);
                    if matches!(fd.ty, Type::EventStream { .. }) {
                        // Its events are the subject of the event stream tests.
                        quote! {}
                    } else if fd.ty == Type::Stream {
                        quote! {
                            let actual = ::std::mem::take(&mut output.#id).collect().await.expect("the payload reads");
                            let wanted = ::std::mem::take(&mut expected.#id).collect().await.expect("the payload reads");
                            assert_eq!(actual, wanted);
                        }
                    } else {
                        quote! { assert_eq!(output.#id, expected.#id); }
                    }
                });
                return quote! {
                    #call
                    let mut output = result.expect("the response parses");
                    let mut expected = #expected;
                    #( #compares )*
                };
            }
            let compare = if nan {
                quote! { pt::assert_same_debug(&output, &expected); }
            } else {
                quote! { assert_eq!(output, expected); }
            };
            quote! {
                #call
                let output = result.expect("the response parses");
                let expected = #expected;
                #compare
            }
        }
        Some((variant, type_name)) => {
            let e = ident(&op.error_enum);
            let v = ident(variant);
            let compares: Vec<TokenStream> = match cx.structs.get(type_name.as_str()) {
                Some(s) => s
                    .fields
                    .iter()
                    .map(|fd| {
                        let id = ident(&fd.ident);
                        if nan {
                            quote! { pt::assert_same_debug(&actual.#id, &expected.#id); }
                        } else {
                            quote! { assert_eq!(actual.#id, expected.#id); }
                        }
                    })
                    .collect(),
                None => Vec::new(),
            };
            // An error without members: the variant is all there is to compare.
            let no_fields = if compares.is_empty() {
                quote! { let _ = (&actual, expected); }
            } else {
                quote! {}
            };
            let expected = match cx.structs.get(type_name.as_str()) {
                Some(s) => struct_expr(cx, s, params),
                None => quote! { () },
            };
            let code_check = case
                .get("vendorParams")
                .and_then(|v| v.get("code"))
                .and_then(Value::as_str)
                .map(|c| quote! { assert_eq!(actual.meta().code(), #SOME(#c)); });
            quote! {
                #call
                let error = result.expect_err("the response is an error").into_service_error();
                let ::#lib::error::#e::#v(actual) = error else {
                    panic!("expected the `{}` variant, got {error:?}", #variant);
                };
                let expected = #expected;
                #( #compares )*
                #no_fields
                #code_check
            }
        }
    }
}
