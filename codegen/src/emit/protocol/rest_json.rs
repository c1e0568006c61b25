//! `restJson1`: the operation's `@http` method and URI; input members bound to labels,
//! the query string, headers and the payload; the rest in a JSON body. Outputs and
//! errors read their headers, status code and payload the same way. The JSON body
//! codec is shared with awsJson ([`crate::emit::codec`]); the binding primitives are
//! the runtime's `http_binding` module.

use super::super::common::prelude::{BOX, ERR, NONE, OK, OPTION, RESULT, SOME, STRING, VEC};
use super::ProtocolEmitter;
use crate::emit::codec::{de_arms, de_value_pub, from_builder, ser_members, ser_value_ref};
use crate::emit::common::ident;
use crate::ir::{
    Binding, Field, NamedKind, Operation, Presence, Service, Struct, TimestampFormat, Type,
};
use proc_macro2::TokenStream;
use quote::quote;

/// The restJson1 emitter.
pub struct RestJson;

fn ts(f: TimestampFormat) -> TokenStream {
    match f {
        TimestampFormat::EpochSeconds => {
            quote! { crate::runtime::TimestampFormat::EpochSeconds }
        }
        TimestampFormat::DateTime => quote! { crate::runtime::TimestampFormat::DateTime },
        TimestampFormat::HttpDate => quote! { crate::runtime::TimestampFormat::HttpDate },
    }
}

/// A `Scalar` of the runtime's binding module for a value of type `ty` held by
/// reference in `v`; timestamps in `format`.
fn scalar(ty: &Type, v: TokenStream, format: TimestampFormat) -> Option<TokenStream> {
    let s = quote! { crate::runtime::http_binding::Scalar };
    Some(match ty {
        Type::String => quote! { #s::Str(#v.as_str()) },
        Type::Bool => quote! { #s::Bool(*#v) },
        Type::Byte | Type::Short | Type::Integer => quote! { #s::Int(i64::from(*#v)) },
        Type::Long => quote! { #s::Int(*#v) },
        Type::Float => quote! { #s::Float(*#v) },
        Type::Double => quote! { #s::Double(*#v) },
        Type::BigInteger | Type::BigDecimal => quote! { #s::number(#v) },
        Type::Timestamp(_) => {
            let f = ts(format);
            quote! { #s::Timestamp(*#v, #f) }
        }
        Type::Named {
            kind: NamedKind::Enum,
            ..
        } => quote! { #s::Str(#v.as_str()) },
        Type::Named {
            kind: NamedKind::IntEnum,
            ..
        } => quote! { #s::Int(i64::from(#v.value())) },
        _ => return None,
    })
}

impl ProtocolEmitter for RestJson {
    fn name(&self) -> &'static str {
        "restJson1"
    }

    fn runtime_feature(&self) -> &'static str {
        "rest-json"
    }

    fn operation_fns(&self, service: &Service, op: &Operation) -> TokenStream {
        let serialize = serialize(service, op);
        let parse = parse(service, op);
        let parse_error = parse_error(service, op);
        let streams = streams(service, op);
        quote! { #serialize #parse #parse_error #streams }
    }
}

/// The streaming payload field of a structure, if it has one.
fn stream_field(s: &Struct) -> Option<&Field> {
    s.fields.iter().find(|f| {
        matches!(f.ty, Type::Stream | Type::EventStream { .. }) && f.binding == Binding::Payload
    })
}

/// The `Operation` items of streaming payloads: the input's, moved out of the input
/// and sent as the body; the output's, the response body handed over as it arrives.
fn streams(service: &Service, op: &Operation) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(f) = op
        .input
        .as_deref()
        .and_then(|i| service.find_struct(i))
        .and_then(stream_field)
    {
        let id = ident(&f.ident);
        // An event stream is sent as the body its sender makes.
        let (body, take) = match f.ty {
            Type::EventStream { .. } => (
                quote! { input.#id.body() },
                quote! { ::std::mem::take(&mut input.#id).into_body() },
            ),
            _ => (
                quote! { &input.#id },
                quote! { ::std::mem::take(&mut input.#id) },
            ),
        };
        out.extend(quote! {
            #[inline]
            fn payload(input: &Self::Input) -> #OPTION<&crate::runtime::ByteStream> {
                #SOME(#body)
            }
            #[inline]
            fn take_payload(input: &mut Self::Input) -> #OPTION<crate::runtime::ByteStream> {
                #SOME(#take)
            }
        });
    }
    if let Some(out_struct) = op.output.as_deref().and_then(|o| service.find_struct(o)) {
        if let Some(f) = stream_field(out_struct) {
            let builder = ident(&out_struct.builder);
            let read = read_bound(out_struct, false);
            let built = from_builder(out_struct);
            // Members bound to the head (headers, status) are read from it: the lets
            // they read through are there exactly when there are such members.
            let head_lets = head_lets(out_struct);
            let reads_head = !head_lets.is_empty();
            // The body goes in first, through its setter; the members read from the
            // head, if any, follow.
            let set = ident(&f.set_fn);
            // An event stream's messages are read from the body as they arrive.
            let body = match &f.ty {
                Type::EventStream { union, .. } => {
                    let read = ident(&crate::emit::common::event_fn(union));
                    quote! { crate::runtime::event_stream::EventReceiver::new(body, crate::codec::#read) }
                }
                _ => quote! { body },
            };
            let builder_with_body = if reads_head {
                quote! { let mut b = crate::types::builders::#builder::default().#set(#SOME(#body)); }
            } else {
                quote! { let b = crate::types::builders::#builder::default().#set(#SOME(#body)); }
            };
            let head = if reads_head {
                quote! {
                    let (head, body) = response.into_parts();
                    let response = crate::runtime::http::Response::from_parts(head, ());
                }
            } else {
                quote! { let body = response.into_body(); }
            };
            out.extend(quote! {
                const STREAMING_OUTPUT: bool = true;
                #[inline]
                fn parse_streaming(response: crate::runtime::http::Response<crate::runtime::ByteStream>) -> #RESULT<Self::Output, crate::runtime::json::JsonError> {
                    #head
                    #builder_with_body
                    #head_lets
                    #read
                    #built
                }
            });
        }
    }
    out
}

fn serialize(service: &Service, op: &Operation) -> TokenStream {
    let (method, uri) = match &op.http {
        Some(h) => (h.method.clone(), h.uri.clone()),
        None => ("POST".to_string(), "/".to_string()),
    };
    let input = op.input.as_deref().and_then(|i| service.find_struct(i));
    let shape_name = op.input.clone().unwrap_or_default();
    let fields: Vec<&Field> = input.map(|s| s.fields.iter().collect()).unwrap_or_default();
    let by = |pred: &dyn Fn(&Binding) -> bool| -> Vec<&Field> {
        fields
            .iter()
            .copied()
            .filter(|f| pred(&f.binding))
            .collect()
    };
    // Labels.
    let labels = by(&|b| matches!(b, Binding::Label { .. }));
    let label_arms = labels.iter().filter_map(|f| {
        let id = ident(&f.ident);
        let wire = f.wire_name.as_str();
        let fmt = f.timestamp_format.unwrap_or(TimestampFormat::DateTime);
        let sc = scalar(&f.ty, quote! { v }, fmt)?;
        // A service customization: the label's value when unset or empty.
        let fallback = service
            .label_defaults
            .iter()
            .find(|(name, _)| name == wire)
            .filter(|_| f.ty == Type::String && f.presence == Presence::Optional);
        Some(match fallback {
            Some((_, value)) => quote! {
                #wire => #SOME(crate::runtime::http_binding::Scalar::Str(
                    input.#id.as_deref().filter(|v| !v.is_empty()).unwrap_or(#value),
                )),
            },
            None => quote! { #wire => input.#id.as_ref().map(|v| #sc), },
        })
    });
    let write_uri = if labels.is_empty() {
        quote! {
            crate::runtime::http_binding::write_uri(&mut uri, #uri, |_| #NONE)
                .map_err(|e| e.into_build_error(#shape_name))?;
        }
    } else {
        quote! {
            crate::runtime::http_binding::write_uri(&mut uri, #uri, |name| match name {
                #( #label_arms )*
                _ => #NONE,
            })
            .map_err(|e| e.into_build_error(#shape_name))?;
        }
    };
    // The query string: `@httpQuery` members first, then `@httpQueryParams`.
    let mut query = Vec::new();
    for f in &fields {
        let id = ident(&f.ident);
        let Binding::Query(name) = &f.binding else {
            continue;
        };
        let fmt = f.timestamp_format.unwrap_or(TimestampFormat::DateTime);
        match &f.ty {
            Type::List { member, .. } => {
                if let Some(sc) = scalar(member, quote! { x }, fmt) {
                    query.push(quote! {
                        if let #SOME(v) = &input.#id {
                            q.push_list(#name, v.iter().map(|x| #sc));
                        }
                    });
                }
            }
            ty => {
                if let Some(sc) = scalar(ty, quote! { v }, fmt) {
                    query.push(quote! {
                        if let #SOME(v) = &input.#id {
                            q.push(#name, #sc);
                        }
                    });
                }
            }
        }
    }
    for f in &fields {
        if f.binding != Binding::QueryParams {
            continue;
        }
        let id = ident(&f.ident);
        let push = match &f.ty {
            Type::Map { value, .. } if matches!(**value, Type::List { .. }) => quote! {
                let mut entries: #VEC<_> = m.iter().collect();
                entries.sort_by(|a, b| ::std::convert::AsRef::<str>::as_ref(a.0).cmp(::std::convert::AsRef::<str>::as_ref(b.0)));
                for (k, vs) in entries {
                    q.push_param_list(::std::convert::AsRef::<str>::as_ref(k), vs.iter());
                }
            },
            _ => quote! {
                let mut entries: #VEC<_> = m.iter().collect();
                entries.sort_by(|a, b| ::std::convert::AsRef::<str>::as_ref(a.0).cmp(::std::convert::AsRef::<str>::as_ref(b.0)));
                for (k, v) in entries {
                    q.push_param(::std::convert::AsRef::<str>::as_ref(k), ::std::convert::AsRef::<str>::as_ref(v));
                }
            },
        };
        query.push(quote! {
            if let #SOME(m) = &input.#id {
                #push
            }
        });
    }
    let query = if query.is_empty() {
        quote! {}
    } else {
        quote! {
            {
                let mut q = crate::runtime::http_binding::QueryWriter::new(&mut uri);
                #( #query )*
            }
        }
    };
    // Headers: the members bound to one header, then the prefix maps.
    let mut headers = Vec::new();
    for f in &fields {
        let id = ident(&f.ident);
        let wire = f.wire_name.as_str();
        if let Binding::Header(name) = &f.binding {
            let fmt = f.timestamp_format.unwrap_or(TimestampFormat::HttpDate);
            let write = match &f.ty {
                Type::List { member, .. } => scalar(member, quote! { x }, fmt).map(|sc| {
                    quote! {
                        let mut text = #STRING::new();
                        crate::runtime::http_binding::write_header_list(&mut text, v.iter().map(|x| #sc));
                    }
                }),
                Type::String if f.media_type.as_deref().is_some_and(|m| m.contains("json")) => {
                    Some(quote! {
                        let mut text = #STRING::new();
                        crate::runtime::http_binding::write_base64(&mut text, v.as_str());
                    })
                }
                ty => scalar(ty, quote! { v }, fmt).map(|sc| {
                    quote! {
                        let mut text = #STRING::new();
                        #sc.write_to(&mut text);
                    }
                }),
            };
            if let Some(write) = write {
                headers.push(quote! {
                    if let #SOME(v) = &input.#id {
                        #write
                        crate::runtime::http_binding::insert_header(request.headers_mut(), #name, #wire, text)
                            .map_err(|e| e.into_build_error(#shape_name))?;
                    }
                });
            }
        }
    }
    for f in &fields {
        let id = ident(&f.ident);
        let wire = f.wire_name.as_str();
        if let Binding::PrefixHeaders(prefix) = &f.binding {
            headers.push(quote! {
                if let #SOME(m) = &input.#id {
                    crate::runtime::http_binding::insert_prefix_headers(request.headers_mut(), #prefix, #wire, m.iter())
                        .map_err(|e| e.into_build_error(#shape_name))?;
                }
            });
        }
    }
    // The body: the payload member, or a JSON object of the body members, or nothing.
    let payload = fields.iter().find(|f| f.binding == Binding::Payload);
    let body_fields = by(&|b| *b == Binding::Body);
    let body = match payload {
        // The events, which the call path sends as they come.
        Some(Field {
            ty: Type::EventStream { .. },
            ..
        }) => quote! {
            let body: #VEC<u8> = #VEC::new();
            let content_type: #OPTION<&'static str> = #SOME("application/vnd.amazon.eventstream");
        },
        Some(f) if f.ty == Type::Stream => {
            // The body is the stream itself, which the call path sends; the request
            // says what it is unless it is known to be empty.
            let id = ident(&f.ident);
            let content_type = f
                .media_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".into());
            quote! {
                let body: #VEC<u8> = #VEC::new();
                let content_type: #OPTION<&'static str> =
                    (input.#id.content_length() != #SOME(0)).then_some(#content_type);
            }
        }
        Some(f) => {
            let id = ident(&f.ident);
            // Whether `set` can fail (`?`): a document that can hold a union's unknown
            // variant.
            let fallible = !matches!(
                f.ty,
                Type::Blob
                    | Type::String
                    | Type::Document
                    | Type::Named {
                        kind: NamedKind::Enum,
                        ..
                    }
            );
            let (set, content_type) = match &f.ty {
                Type::Blob => (
                    quote! { v.as_ref().to_vec() },
                    f.media_type
                        .clone()
                        .unwrap_or_else(|| "application/octet-stream".into()),
                ),
                Type::String => (
                    quote! { v.as_bytes().to_vec() },
                    f.media_type.clone().unwrap_or_else(|| "text/plain".into()),
                ),
                Type::Named {
                    kind: NamedKind::Enum,
                    ..
                } => (
                    quote! { v.as_str().as_bytes().to_vec() },
                    "text/plain".into(),
                ),
                ty => {
                    let write = ser_value_ref(ty, quote! { v });
                    let end = if fallible {
                        quote! { writer.body()? }
                    } else {
                        quote! { writer.finish() }
                    };
                    (
                        quote! {
                            {
                                let mut writer = crate::runtime::json::Writer::new();
                                {
                                    let w = &mut writer;
                                    #write
                                }
                                #end
                            }
                        },
                        "application/json".into(),
                    )
                }
            };
            let rebind = if f.boxed {
                quote! { let v = &**v; }
            } else {
                quote! {}
            };
            // An unset structure payload is sent as an empty object; anything else
            // unset, as no body.
            let payload = match &f.ty {
                Type::Named {
                    kind: NamedKind::Struct,
                    ..
                } => quote! {
                    match &input.#id {
                        #SOME(v) => { #rebind #SOME(#set) }
                        #NONE => #SOME(b"{}".to_vec()),
                    }
                },
                // `?` cannot stand in a closure.
                _ if fallible => quote! {
                    match &input.#id {
                        #SOME(v) => { #rebind #SOME(#set) }
                        #NONE => #NONE,
                    }
                },
                _ => quote! { input.#id.as_ref().map(|v| { #rebind #set }) },
            };
            quote! {
                let payload: #OPTION<#VEC<u8>> = #payload;
                let content_type: #OPTION<&'static str> = payload.as_ref().map(|_| #content_type);
                let body = payload.unwrap_or_default();
            }
        }
        None if !body_fields.is_empty() => {
            let members = ser_members(body_fields.iter().copied());
            quote! {
                let mut writer = crate::runtime::json::Writer::new();
                {
                    let w = &mut writer;
                    let v = input;
                    w.begin_object();
                    #members
                    w.end_object();
                }
                let body = writer.body()?;
                let content_type: #OPTION<&'static str> = #SOME("application/json");
            }
        }
        None => quote! {
            let body: #VEC<u8> = #VEC::new();
            let content_type: #OPTION<&'static str> = #NONE;
        },
    };
    // An input event stream is the body the call path sends, not read here.
    let uses_input = fields
        .iter()
        .any(|f| !matches!(f.ty, Type::EventStream { .. }));
    let input_arg = if uses_input {
        quote! { input }
    } else {
        quote! { _input }
    };
    let method_lit = method.as_str();
    let defaults = service.default_headers.iter().map(|(k, v)| {
        let k = k.to_ascii_lowercase();
        // A service default (API Gateway's `Accept`): a member bound to the same header
        // (GetExport's `accepts`) wins.
        quote! {
            request
                .headers_mut()
                .entry(crate::runtime::http::header::HeaderName::from_static(#k))
                .or_insert(crate::runtime::http::HeaderValue::from_static(#v));
        }
    });
    quote! {
        #[inline]
        fn serialize(#input_arg: &Self::Input) -> #RESULT<crate::runtime::http::Request<crate::runtime::Bytes>, crate::runtime::BuildError> {
            let mut uri = #STRING::new();
            #write_uri
            #query
            #body
            let mut request = crate::runtime::http::Request::new(crate::runtime::Bytes::from(body));
            *request.method_mut() = crate::runtime::http::Method::from_bytes(#method_lit.as_bytes())
                .map_err(|e| crate::runtime::BuildError::invalid(#shape_name, "", e.to_string()))?;
            *request.uri_mut() = uri
                .parse()
                .map_err(|e: crate::runtime::http::uri::InvalidUri| crate::runtime::BuildError::invalid(#shape_name, "", e.to_string()))?;
            if let #SOME(ct) = content_type {
                request.headers_mut().insert(
                    crate::runtime::http::header::CONTENT_TYPE,
                    crate::runtime::http::HeaderValue::from_static(ct),
                );
            }
            #( #headers )*
            #( #defaults )*
            #OK(request)
        }
    }
}

/// Reads the header-, status- and payload-bound members of `s` from `response` into
/// the builder `b`, and the body members from the JSON body.
/// What [`read_bound`] reads the response's head from: `headers` when a member is
/// bound to headers, `status` when one is bound to the status code.
fn head_lets(s: &Struct) -> TokenStream {
    let uses = |pred: &dyn Fn(&Binding) -> bool| s.fields.iter().any(|f| pred(&f.binding));
    let mut lets = TokenStream::new();
    if uses(&|b| matches!(b, Binding::Header(_) | Binding::PrefixHeaders(_))) {
        lets.extend(quote! { let headers = response.headers(); });
    }
    if uses(&|b| matches!(b, Binding::ResponseCode)) {
        lets.extend(quote! { let status = response.status().as_u16(); });
    }
    lets
}

fn read_bound(s: &Struct, with_body: bool) -> TokenStream {
    let mut steps = Vec::new();
    for f in &s.fields {
        let id = ident(&f.ident);
        let wire = f.wire_name.as_str();
        let err = quote! { .map_err(|e| crate::runtime::json::JsonError::new(0, e.to_string()))? };
        match &f.binding {
            Binding::Header(name) => {
                let fmt = f.timestamp_format.unwrap_or(TimestampFormat::HttpDate);
                let read = match &f.ty {
                    Type::Timestamp(_) => {
                        let f = ts(fmt);
                        Some(
                            quote! { crate::runtime::http_binding::header_timestamp(headers, #name, #wire, #f) #err },
                        )
                    }
                    Type::List { member, .. } => match &**member {
                        Type::Timestamp(_) => {
                            let f = ts(fmt);
                            Some(
                                quote! { crate::runtime::http_binding::header_timestamp_list(headers, #name, #wire, #f) #err },
                            )
                        }
                        Type::Named {
                            name: en,
                            kind: NamedKind::Enum,
                        } => {
                            let en = ident(en);
                            Some(quote! {
                                crate::runtime::http_binding::header_list::<#STRING>(headers, #name, #wire) #err
                                    .map(|v| v.iter().map(|x| crate::types::#en::from(x.as_str())).collect())
                            })
                        }
                        Type::Named {
                            name: en,
                            kind: NamedKind::IntEnum,
                        } => {
                            let en = ident(en);
                            Some(quote! {
                                crate::runtime::http_binding::header_list::<i32>(headers, #name, #wire) #err
                                    .map(|v| v.into_iter().map(crate::types::#en::from).collect())
                            })
                        }
                        _ => Some(
                            quote! { crate::runtime::http_binding::header_list(headers, #name, #wire) #err },
                        ),
                    },
                    Type::String if f.media_type.as_deref().is_some_and(|m| m.contains("json")) => {
                        Some(
                            quote! { crate::runtime::http_binding::header_base64(headers, #name, #wire) #err },
                        )
                    }
                    Type::Named {
                        name: en,
                        kind: NamedKind::Enum,
                    } => {
                        let en = ident(en);
                        Some(quote! {
                            crate::runtime::http_binding::header::<#STRING>(headers, #name, #wire) #err
                                .map(|x| crate::types::#en::from(x.as_str()))
                        })
                    }
                    Type::Named {
                        name: en,
                        kind: NamedKind::IntEnum,
                    } => {
                        let en = ident(en);
                        Some(quote! {
                            crate::runtime::http_binding::header::<i32>(headers, #name, #wire) #err
                                .map(crate::types::#en::from)
                        })
                    }
                    _ => Some(
                        quote! { crate::runtime::http_binding::header(headers, #name, #wire) #err },
                    ),
                };
                if let Some(read) = read {
                    steps.push(quote! { b.#id = #read; });
                }
            }
            Binding::PrefixHeaders(prefix) => steps.push(quote! {
                b.#id = crate::runtime::http_binding::prefix_headers(headers, #prefix, #wire) #err;
            }),
            Binding::ResponseCode => steps.push(quote! {
                b.#id = #SOME(i32::from(status));
            }),
            Binding::Payload if with_body => {
                let read = match &f.ty {
                    Type::Blob => quote! {
                        if !body.is_empty() { b.#id = #SOME(crate::runtime::Blob::new(body.to_vec())); }
                    },
                    Type::String => quote! {
                        if !body.is_empty() {
                            b.#id = #SOME(#STRING::from_utf8(body.to_vec())
                                .map_err(|_| crate::runtime::json::JsonError::new(0, "the payload is not UTF-8"))?);
                        }
                    },
                    Type::Named {
                        name: en,
                        kind: NamedKind::Enum,
                    } => {
                        let en = ident(en);
                        quote! {
                            if !body.is_empty() {
                                let text = ::std::str::from_utf8(body)
                                    .map_err(|_| crate::runtime::json::JsonError::new(0, "the payload is not UTF-8"))?;
                                b.#id = #SOME(crate::types::#en::from(text));
                            }
                        }
                    }
                    ty => {
                        let read = de_value_pub(ty);
                        let read = if f.boxed {
                            quote! { #BOX::new(#read) }
                        } else {
                            read
                        };
                        quote! {
                            let mut parser = crate::runtime::json::Parser::new(body);
                            let p = &mut parser;
                            if !body.iter().all(u8::is_ascii_whitespace) && !p.null()? {
                                b.#id = #SOME(#read);
                            }
                        }
                    }
                };
                steps.push(read);
            }
            _ => {}
        }
    }
    // In a response, query and label bindings mean nothing: those members are in the
    // body like the unbound ones.
    let body_fields: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| {
            matches!(
                f.binding,
                Binding::Body | Binding::Query(_) | Binding::QueryParams | Binding::Label { .. }
            )
        })
        .collect();
    let has_payload = s.fields.iter().any(|f| f.binding == Binding::Payload);
    if with_body && !body_fields.is_empty() && !has_payload {
        let message_ident = s.message_field.as_ref().map(|(i, _)| i.clone());
        let arms = de_arms(body_fields.iter().copied(), message_ident.as_ref());
        steps.push(quote! {
            let mut parser = crate::runtime::json::Parser::for_body(body);
            let p = &mut parser;
            if !p.is_blank() {
                p.begin_object()?;
                while let #SOME(key) = p.next_key()? {
                    match &*key {
                        #arms
                        _ => p.skip()?,
                    }
                }
            }
        });
    }
    quote! { #( #steps )* }
}

fn parse(service: &Service, op: &Operation) -> TokenStream {
    let Some(out) = op.output.as_deref().and_then(|o| service.find_struct(o)) else {
        return quote! {
            #[inline]
            fn parse(_response: &crate::runtime::http::Response<crate::runtime::Bytes>) -> #RESULT<Self::Output, crate::runtime::json::JsonError> {
                #OK(())
            }
        };
    };
    if stream_field(out).is_some() {
        return quote! {
            #[inline]
            fn parse(_response: &crate::runtime::http::Response<crate::runtime::Bytes>) -> #RESULT<Self::Output, crate::runtime::json::JsonError> {
                #ERR(crate::runtime::json::JsonError::new(0, "a streaming output is read by `parse_streaming`"))
            }
        };
    }
    let builder = ident(&out.builder);
    let read = read_bound(out, true);
    let built = from_builder(out);
    let uses = |pred: &dyn Fn(&Binding) -> bool| out.fields.iter().any(|f| pred(&f.binding));
    let head_lets = head_lets(out);
    let body = if uses(&|b| {
        matches!(
            b,
            Binding::Body
                | Binding::Payload
                | Binding::Query(_)
                | Binding::QueryParams
                | Binding::Label { .. }
        )
    }) {
        quote! { let body: &[u8] = response.body(); }
    } else {
        quote! {}
    };
    let vars = if out.fields.is_empty() {
        quote! {}
    } else {
        quote! { let mut b = crate::types::builders::#builder::default(); }
    };
    let resp = if out.fields.is_empty() {
        quote! { _response }
    } else {
        quote! { response }
    };
    quote! {
        #[inline]
        fn parse(#resp: &crate::runtime::http::Response<crate::runtime::Bytes>) -> #RESULT<Self::Output, crate::runtime::json::JsonError> {
            #vars
            #head_lets
            #body
            #read
            #built
        }
    }
}

fn parse_error(service: &Service, op: &Operation) -> TokenStream {
    let e = ident(&op.error_enum);
    let dispatch = ident(&op.error_fn);
    // Error members bound to headers are read after the body has chosen the variant.
    let fixes: Vec<(TokenStream, TokenStream)> = op
        .errors
        .iter()
        .filter_map(|err| {
            let s = service.find_struct(&err.type_name)?;
            if !s
                .fields
                .iter()
                .any(|f| matches!(f.binding, Binding::Header(_) | Binding::PrefixHeaders(_)))
            {
                return None;
            }
            let v = ident(&err.variant);
            let builder = ident(&s.builder);
            let read = read_bound(s, false);
            let head_lets = head_lets(s);
            let sets = s.fields.iter().filter(|f| matches!(f.binding, Binding::Header(_) | Binding::PrefixHeaders(_))).map(|f| {
                let id = ident(&f.ident);
                match f.presence {
                    Presence::Optional => quote! { if b.#id.is_some() { x.#id = b.#id; } },
                    _ => quote! { if let #SOME(v) = b.#id { x.#id = v; } },
                }
            });
            Some((
                quote! { crate::error::#e::#v(x) },
                quote! {
                    let read = || -> #RESULT<crate::types::builders::#builder, crate::runtime::json::JsonError> {
                        let mut b = crate::types::builders::#builder::default();
                        #head_lets
                        #read
                        #OK(b)
                    };
                    if let #OK(b) = read() {
                        #( #sets )*
                    }
                },
            ))
        })
        .collect();
    // One variant to fix is an `if let`; more, a `match`.
    let fix = match fixes.as_slice() {
        [] => {
            return quote! {
                #[inline]
                fn parse_error(meta: crate::runtime::ErrorMetadata, response: &crate::runtime::http::Response<crate::runtime::Bytes>) -> Self::Error {
                    crate::codec::#dispatch(meta, response.body())
                }
            };
        }
        [(pattern, body)] => quote! {
            if let #pattern = &mut error {
                #body
            }
        },
        _ => {
            let (patterns, bodies): (Vec<_>, Vec<_>) = fixes.into_iter().unzip();
            quote! {
                match &mut error {
                    #( #patterns => { #bodies } )*
                    _ => {}
                }
            }
        }
    };
    quote! {
        #[inline]
        fn parse_error(meta: crate::runtime::ErrorMetadata, response: &crate::runtime::http::Response<crate::runtime::Bytes>) -> Self::Error {
            let mut error = crate::codec::#dispatch(meta, response.body());
            #fix
            error
        }
    }
}
