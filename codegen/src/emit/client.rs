//! The client, its fluent builders, the operation descriptors and the error enums.

use super::common::prelude::{
    BOX, DEFAULT, INTO, MATCHES, NONE, OK, OPTION, RESULT, SOME, STRING, VEC,
};
use super::common::{allow_deprecated, doc, field_type, ident, rust_type, shape_type};
use super::template;
use super::template::Context::{Arm, ImplItem, Variant};
use super::types::MemberShape;
use crate::ir::{NamedKind, Operation, Service, Struct, Type};
use proc_macro2::TokenStream;
use quote::quote;

fn input_struct<'s>(service: &'s Service, op: &Operation) -> Option<&'s Struct> {
    service.find_struct(op.input.as_ref()?)
}

/// The input built from `builder` (an expression) for a call of `operation`: when
/// building can fail, its error is the call's construction error, returned with `?`.
pub(super) fn build_input(
    operation: &proc_macro2::Ident,
    builder: TokenStream,
    fallible: bool,
) -> TokenStream {
    if fallible {
        quote! {
            #builder.build().map_err(|e| crate::runtime::SdkError::Construction {
                operation: <crate::operation::#operation as crate::runtime::Operation>::NAME,
                source: #BOX::new(e),
            })?
        }
    } else {
        quote! { #builder.build() }
    }
}

/// Whether building the input can fail.
pub fn input_build_fallible(s: &Struct) -> bool {
    s.fields.iter().any(crate::ir::Field::checked_by_build)
}

/// The `operation` module: one descriptor type per operation.
pub fn operation_module(service: &Service) -> TokenStream {
    let ops = service.operations.iter().map(|op| {
        let n = ident(&op.type_name);
        let decl = template::members([OperationStruct {
            name: op.type_name.clone(),
            docs: op.docs.clone(),
            deprecated: op.deprecated,
        }]);
        // A service whose protocol is not known has no operations.
        let protocol_fns = service
            .protocol
            .map(|p| super::protocol::emitter(p).operation_fns(service, op))
            .unwrap_or_default();
        let head = template::members([OperationHead {
            input: op.input.clone(),
            output: op.output.clone(),
            error_enum: op.error_enum.clone(),
            wire: op.wire_name.clone(),
            retryable: op
                .errors
                .iter()
                .filter(|e| e.retryable)
                .map(|e| e.code.clone())
                .collect(),
        }]);
        let host_prefix = op.host_prefix.as_ref().map(|parts| {
            let input_name = op.input.clone().unwrap_or_default();
            let pieces = parts.iter().map(|part| match part {
                crate::ir::HostPart::Literal(text) => quote! { #text },
                crate::ir::HostPart::Label { wire_name, ident: id, optional } => {
                    let id = ident(id);
                    let value = if *optional {
                        quote! { input.#id.as_deref() }
                    } else {
                        quote! { #SOME(input.#id.as_str()) }
                    };
                    quote! { crate::runtime::client::host_label(#input_name, #wire_name, #value)? }
                }
            });
            // A prefix without labels does not read the input.
            let input = if parts.iter().any(|p| matches!(p, crate::ir::HostPart::Label { .. })) {
                quote! { input }
            } else {
                quote! { _input }
            };
            quote! {
                #[inline]
                fn host_prefix(#input: &Self::Input) -> #RESULT<#OPTION<#STRING>, crate::runtime::BuildError> {
                    #OK(#SOME([#( #pieces ),*].concat()))
                }
            }
        });
        let mut compression = if op.request_compression {
            quote! { const REQUEST_COMPRESSION: bool = true; }
        } else {
            quote! {}
        };
        if op.checksum_required {
            compression.extend(quote! { const CHECKSUM_REQUIRED: bool = true; });
        }
        if op.requires_length {
            compression.extend(quote! { const REQUIRES_LENGTH: bool = true; });
        }
        if op.unsigned_payload {
            compression.extend(quote! { const UNSIGNED_PAYLOAD: bool = true; });
        }
        if op.tree_hash {
            compression.extend(quote! { const TREE_HASH: bool = true; });
        }
        let mut endpoint = endpoint_fns(op);
        endpoint.extend(discovery_fns(service, op));
        let auth = if op.auth == [crate::ir::AuthKind::SigV4] {
            quote! {}
        } else {
            let schemes = op.auth.iter().map(|a| match a {
                crate::ir::AuthKind::SigV4 => quote! { crate::runtime::AuthScheme::SigV4 },
                crate::ir::AuthKind::Bearer => quote! { crate::runtime::AuthScheme::Bearer },
            });
            quote! { const AUTH: &'static [crate::runtime::AuthScheme] = &[#( #schemes ),*]; }
        };
        let optional_auth = if op.optional_auth {
            quote! { const OPTIONAL_AUTH: bool = true; }
        } else {
            quote! {}
        };
        quote! {
            #decl
            impl crate::runtime::Operation for #n {
                #head
                #compression
                #auth
                #optional_auth
                #endpoint
                #protocol_fns
                #host_prefix
            }
        }
    });
    let paginated = service
        .operations
        .iter()
        .map(super::paginators::paginated_impl);
    quote! {
        //! One descriptor per operation: its name, input, output and error types, and
        //! how each goes over the wire. [`Client::call`](crate::Client::call) takes them.
        #![allow(deprecated)]
        #( #ops )*
        #( #paginated )*
    }
}

/// The field of `s` with the wire name `wire`.
fn field<'s>(s: &'s Struct, wire: &str) -> Option<&'s crate::ir::Field> {
    s.fields.iter().find(|f| f.wire_name == wire)
}

/// How an operation uses endpoint discovery: its mode, and its discovery identifiers.
fn discovery_fns(service: &Service, op: &Operation) -> TokenStream {
    let mode = match op.discovery {
        _ if service.discovery.is_none() => return TokenStream::new(),
        crate::ir::DiscoveryMode::None => return TokenStream::new(),
        crate::ir::DiscoveryMode::Optional => quote! { Optional },
        crate::ir::DiscoveryMode::Required => quote! { Required },
    };
    let mut out = quote! {
        const DISCOVERY: crate::runtime::discovery::Discovery =
            crate::runtime::discovery::Discovery::#mode;
    };
    let input = input_struct(service, op);
    let ids: Vec<TokenStream> = op
        .discovery_ids
        .iter()
        .filter_map(|wire| {
            let f = field(input?, wire)?;
            let id = ident(&f.ident);
            let text = match &f.ty {
                Type::String => quote! { v.clone() },
                Type::Named {
                    kind: NamedKind::Enum,
                    ..
                } => quote! { v.as_str().to_string() },
                _ => return None,
            };
            Some(if f.presence == crate::ir::Presence::Optional {
                quote! { if let #SOME(v) = &input.#id { ids.push((#wire, #text)); } }
            } else {
                quote! { { let v = &input.#id; ids.push((#wire, #text)); } }
            })
        })
        .collect();
    if !ids.is_empty() {
        out.extend(quote! {
            fn discovery_ids(input: &Self::Input) -> #VEC<(&'static str, #STRING)> {
                let mut ids = #VEC::new();
                #( #ids )*
                ids
            }
        });
    }
    out
}

/// The service's `DiscoveryMeta` and the function that calls its discovery operation,
/// when it has one whose shapes are those Smithy prescribes.
fn discovery_meta(service: &Service) -> Option<TokenStream> {
    let d = service.discovery.as_ref()?;
    let op = service
        .operations
        .iter()
        .find(|o| o.type_name == d.operation)?;
    let op_type = ident(&op.type_name);
    // The input: what the discovery is for.
    let mut asks = false;
    let input = match input_struct(service, op) {
        None => quote! { () },
        Some(s) => {
            let n = ident(&s.name);
            let mut sets = TokenStream::new();
            if let Some(f) = field(s, "Operation").filter(|f| f.ty == Type::String) {
                let set = ident(&f.set_fn);
                asks = true;
                sets.extend(quote! { .#set(#SOME(request.operation.to_string())) });
            }
            if let Some(f) = field(s, "Identifiers") {
                let set = ident(&f.set_fn);
                asks = true;
                sets.extend(quote! {
                    .#set(#SOME(request.identifiers.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
                });
            }
            let fallible = if input_build_fallible(s) {
                quote! { ? }
            } else {
                quote! {}
            };
            quote! { crate::types::#n::builder() #sets .build() #fallible }
        }
    };
    // The output: `Endpoints`, a list of `Address` and `CachePeriodInMinutes`.
    let out = service.find_struct(op.output.as_deref()?)?;
    let endpoints = field(out, "Endpoints")?;
    let Type::List { member, .. } = &endpoints.ty else {
        return None;
    };
    let Type::Named { name, .. } = &**member else {
        return None;
    };
    let endpoint = service.find_struct(name)?;
    let address = field(endpoint, "Address").filter(|f| f.ty == Type::String)?;
    let period = field(endpoint, "CachePeriodInMinutes")
        .filter(|f| matches!(f.ty, Type::Long | Type::Integer))?;
    let optional = |f: &crate::ir::Field| f.presence == crate::ir::Presence::Optional;
    let e = ident(&endpoints.ident);
    let list = if optional(endpoints) {
        quote! { output.#e.unwrap_or_default() }
    } else {
        quote! { output.#e }
    };
    let a = ident(&address.ident);
    let address_field = address;
    let address = if optional(address) {
        quote! { e.#a? }
    } else {
        quote! { e.#a }
    };
    let p = ident(&period.ident);
    let period = match (optional(period), period.ty == Type::Long) {
        (true, true) => quote! { e.#p.unwrap_or(0) },
        (true, false) => quote! { e.#p.map(i64::from).unwrap_or(0) },
        (false, true) => quote! { e.#p },
        (false, false) => quote! { i64::from(e.#p) },
    };
    // A required address is always there: `map`, not a `filter_map` that keeps all.
    let each = if optional(address_field) {
        quote! { .filter_map(|e| #SOME(crate::runtime::discovery::DiscoveredEndpoint { address: #address, cache_period_minutes: #period })) }
    } else {
        quote! { .map(|e| crate::runtime::discovery::DiscoveredEndpoint { address: #address, cache_period_minutes: #period }) }
    };
    let request = if asks {
        quote! { request }
    } else {
        quote! { _request }
    };
    let wire = d.wire_name.as_str();
    let error = match &d.error_code {
        Some(code) => quote! { #SOME(#code) },
        None => quote! { #NONE },
    };
    Some(quote! {
        /// The service's endpoint discovery: the operation that gives the endpoints, and
        /// the error that says one is no longer valid.
        static DISCOVERY: crate::runtime::discovery::DiscoveryMeta =
            crate::runtime::discovery::DiscoveryMeta {
                operation: #wire,
                invalid_endpoint_error: #error,
                discover: discover_endpoints,
            };

        /// Calls the discovery operation.
        fn discover_endpoints(
            handle: &crate::runtime::Handle,
            #request: crate::runtime::discovery::DiscoveryRequest,
        ) -> crate::runtime::discovery::DiscoverFuture<'_> {
            #BOX::pin(async move {
                let input = #input;
                let output = handle.invoke::<crate::operation::#op_type>(&input).await?;
                #OK(#list.into_iter() #each .collect())
            })
        }
    })
}

/// An operation's descriptor type.
#[derive(Clone, PartialEq, Eq, Hash)]
struct OperationStruct {
    name: String,
    docs: String,
    deprecated: bool,
}

impl template::Shape for OperationStruct {
    const CONTEXT: template::Context = template::Context::Item;

    fn standin(&self, s: &mut template::Standins) -> Self {
        OperationStruct {
            name: s.name(&self.name),
            docs: s.doc(&self.docs),
            deprecated: self.deprecated,
        }
    }

    fn tokens(&self) -> TokenStream {
        let n = ident(&self.name);
        let d = doc(&self.docs);
        let dep = super::common::deprecated(self.deprecated);
        quote! {
            #d
            #dep
            #[derive(Debug, Clone, Copy, Default)]
            #[non_exhaustive]
            pub struct #n;
        }
    }
}

/// The types and names an `Operation` impl starts with.
#[derive(Clone, PartialEq, Eq, Hash)]
struct OperationHead {
    input: Option<String>,
    output: Option<String>,
    error_enum: String,
    wire: String,
    /// The codes of the errors that are retried.
    retryable: Vec<String>,
}

impl template::Shape for OperationHead {
    const CONTEXT: template::Context = template::Context::ImplItem;

    fn standin(&self, s: &mut template::Standins) -> Self {
        OperationHead {
            input: self.input.as_ref().map(|i| s.name(i)),
            output: self.output.as_ref().map(|o| s.name(o)),
            error_enum: s.name(&self.error_enum),
            wire: s.literal(&self.wire),
            retryable: self.retryable.iter().map(|c| s.literal(c)).collect(),
        }
    }

    fn tokens(&self) -> TokenStream {
        let (input, output) = (
            shape_type(self.input.as_deref()),
            shape_type(self.output.as_deref()),
        );
        let e = ident(&self.error_enum);
        let wire = self.wire.as_str();
        let retryable = &self.retryable;
        quote! {
            type Input = #input;
            type Output = #output;
            type Error = crate::error::#e;
            const NAME: &'static str = #wire;
            const RETRYABLE: &'static [&'static str] = &[#( #retryable ),*];
        }
    }
}

/// The operation's endpoint parameters and endpoint override, when it has them.
fn endpoint_fns(op: &Operation) -> TokenStream {
    let mut out = TokenStream::new();
    if !op.endpoint_params.is_empty() {
        let sets = op.endpoint_params.iter().map(|p| match p {
            crate::ir::EndpointParam::Static { name, value } => match value {
                serde_json::Value::Bool(b) => quote! { params.set(#name, #b); },
                serde_json::Value::String(s) => quote! { params.set(#name, #s); },
                serde_json::Value::Array(items) => {
                    let items = items.iter().filter_map(|i| i.as_str());
                    quote! { params.set(#name, &[#( #items ),*][..]); }
                }
                _ => quote! {},
            },
            crate::ir::EndpointParam::Member {
                name,
                ident: id,
                ty,
            } => {
                let id = ident(id);
                match ty {
                    Type::String => quote! {
                        if let #SOME(v) = &input.#id { params.set(#name, v.as_str()); }
                    },
                    Type::Bool => quote! {
                        if let #SOME(v) = input.#id { params.set(#name, v); }
                    },
                    Type::Named {
                        kind: NamedKind::Enum,
                        ..
                    } => quote! {
                        if let #SOME(v) = &input.#id { params.set(#name, v.as_str()); }
                    },
                    Type::List { member, .. } if **member == Type::String => quote! {
                        if let #SOME(v) = &input.#id { params.set(#name, v.clone()); }
                    },
                    _ => quote! {},
                }
            }
        });
        let uses_input = op
            .endpoint_params
            .iter()
            .any(|p| matches!(p, crate::ir::EndpointParam::Member { .. }));
        let input = if uses_input {
            quote! { input }
        } else {
            quote! { _input }
        };
        out.extend(quote! {
            const ENDPOINT_PARAMS: bool = true;
            #[inline]
            fn endpoint_params(#input: &Self::Input, params: &mut crate::runtime::endpoint::Params) {
                #( #sets )*
            }
        });
    }
    if let Some(field) = &op.endpoint_override {
        let id = ident(field);
        out.extend(quote! {
            #[inline]
            fn endpoint_override(input: &Self::Input) -> #OPTION<&str> {
                input.#id.as_deref()
            }
        });
    }
    out
}

/// The `error` module: one error enum per operation.
pub fn error_module(service: &Service) -> TokenStream {
    let enums = service.operations.iter().map(|op| {
        let doc_text = format!("The errors `{}` can return.", op.wire_name);
        let variants = template::run(op.errors.iter().map(|err| ErrorVariant {
            variant: err.variant.clone(),
            type_name: err.type_name.clone(),
            docs: err.docs.clone(),
        }));
        let arms = |kind: ErrorArmKind| {
            template::run(op.errors.iter().map(move |err| ErrorEnumArm {
                kind,
                variant: err.variant.clone(),
            }))
        };
        let is_fns = template::run(op.errors.iter().map(|err| ErrorIsFn {
            variant: err.variant.clone(),
            is_fn: err.is_fn.clone(),
            docs: format!("Whether this is the `{}` error.", err.code),
        }));
        let runs = [
            variants,
            arms(ErrorArmKind::Meta),
            arms(ErrorArmKind::Display),
            arms(ErrorArmKind::Source),
            is_fns,
        ];
        if runs.iter().all(Result::is_ok) {
            let runs = runs.map(|r| r.ok().flatten());
            return template::members([ErrorEnum {
                name: op.error_enum.clone(),
                docs: doc_text,
                runs,
            }]);
        }
        let runs = std::array::from_fn(|i| match &runs[i] {
            Ok(run) => template::placeholder(run.as_ref(), ERROR_ENUM_RUNS[i]),
            Err(tokens) => tokens.clone(),
        });
        error_enum(&op.error_enum, &doc_text, runs)
    });
    // The runtime's error types are re-exported here, unless an operation's error enum
    // has the same name (an operation called `Build` has `BuildError`).
    let taken: Vec<String> = service
        .operations
        .iter()
        .map(|o| o.error_enum.clone())
        .collect();
    let reexports = [
        "BuildError",
        "ErrorMetadata",
        "FromUnhandled",
        "ProvideErrorMetadata",
        "SdkError",
        "TransportError",
        "TransportErrorKind",
        "Unhandled",
    ]
    .into_iter()
    .filter(|n| !taken.iter().any(|t| t == n))
    .map(ident);
    quote! {
        //! Error types: one enum per operation, and the errors every call can end with.
        #![allow(deprecated)]
        pub use crate::runtime::{#( #reexports ),*};
        #( #enums )*
    }
}

/// An operation's error enum and its impls, its variants, arms and `is_` methods runs
/// of members inside it ([`template::run`]).
#[derive(Clone, PartialEq, Eq, Hash)]
struct ErrorEnum {
    name: String,
    docs: String,
    /// The variants, the arms of `meta`, `fmt` and `source`, the `is_` methods.
    runs: [Option<template::RunId>; 5],
}

impl template::Shape for ErrorEnum {
    const CONTEXT: template::Context = template::Context::Item;

    fn standin(&self, s: &mut template::Standins) -> Self {
        ErrorEnum {
            name: s.name(&self.name),
            docs: s.doc(&self.docs),
            runs: self.runs.clone().map(|r| r.map(|r| r.standin(s))),
        }
    }

    fn tokens(&self) -> TokenStream {
        let runs = std::array::from_fn(|i| {
            template::placeholder(self.runs[i].as_ref(), ERROR_ENUM_RUNS[i])
        });
        error_enum(&self.name, &self.docs, runs)
    }
}

/// Where the runs of an [`ErrorEnum`] stand.
const ERROR_ENUM_RUNS: [template::Context; 5] = [Variant, Arm, Arm, Arm, ImplItem];

/// An operation's error enum named `name`, with its variants, the arms of `meta`,
/// `fmt` and `source`, and its `is_` methods.
fn error_enum(name: &str, docs: &str, runs: [TokenStream; 5]) -> TokenStream {
    let e = ident(name);
    let doc_text_attr = super::common::doc(docs);
    let [variants, meta_arms, display_arms, source_arms, is_fns] = runs;
    quote! {
        #doc_text_attr
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #e {
            #variants
            /// An error this version of the client has no variant for; its code,
            /// message, HTTP status and request id are kept.
            Unhandled(crate::runtime::Unhandled),
        }
        impl #e {
            /// The code, message, HTTP status and request id the service sent.
            pub fn meta(&self) -> &crate::runtime::ErrorMetadata {
                use crate::runtime::ProvideErrorMetadata as _;
                match self {
                    #meta_arms
                    Self::Unhandled(e) => e.meta(),
                }
            }
            /// The error code.
            pub fn code(&self) -> #OPTION<&str> {
                self.meta().code()
            }
            /// The error message.
            pub fn message(&self) -> #OPTION<&str> {
                self.meta().message()
            }
            #is_fns
        }
        impl crate::runtime::ProvideErrorMetadata for #e {
            fn meta(&self) -> &crate::runtime::ErrorMetadata {
                #e::meta(self)
            }
        }
        impl crate::runtime::FromUnhandled for #e {
            fn from_unhandled(error: crate::runtime::Unhandled) -> Self {
                Self::Unhandled(error)
            }
        }
        impl ::std::fmt::Display for #e {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #display_arms
                    Self::Unhandled(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }
        impl ::std::error::Error for #e {
            fn source(&self) -> #OPTION<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #source_arms
                    Self::Unhandled(_) => #NONE,
                }
            }
        }
    }
}

/// An operation's error enum's variant for one of its errors.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ErrorVariant {
    variant: String,
    type_name: String,
    docs: String,
}

impl template::Shape for ErrorVariant {
    const CONTEXT: template::Context = template::Context::Variant;

    fn standin(&self, s: &mut template::Standins) -> Self {
        ErrorVariant {
            variant: s.name(&self.variant),
            type_name: s.name(&self.type_name),
            docs: s.doc(&self.docs),
        }
    }

    fn tokens(&self) -> TokenStream {
        let v = ident(&self.variant);
        let t = ident(&self.type_name);
        let d = doc(&self.docs);
        quote! { #d #v(crate::types::#t), }
    }
}

/// Which `match` of an error enum an [`ErrorEnumArm`] is in.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum ErrorArmKind {
    Meta,
    Display,
    Source,
}

/// An error enum's arm for one of its errors, in `meta`, `fmt` or `source`.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ErrorEnumArm {
    kind: ErrorArmKind,
    variant: String,
}

impl template::Shape for ErrorEnumArm {
    const CONTEXT: template::Context = template::Context::Arm;

    fn standin(&self, s: &mut template::Standins) -> Self {
        ErrorEnumArm {
            kind: self.kind,
            variant: s.name(&self.variant),
        }
    }

    fn tokens(&self) -> TokenStream {
        let v = ident(&self.variant);
        match self.kind {
            ErrorArmKind::Meta => quote! { Self::#v(e) => e.meta(), },
            ErrorArmKind::Display => quote! { Self::#v(e) => ::std::fmt::Display::fmt(e, f), },
            ErrorArmKind::Source => quote! { Self::#v(e) => #SOME(e), },
        }
    }
}

/// An error enum's `is_` method for one of its errors.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ErrorIsFn {
    variant: String,
    is_fn: String,
    docs: String,
}

impl template::Shape for ErrorIsFn {
    const CONTEXT: template::Context = template::Context::ImplItem;

    fn standin(&self, s: &mut template::Standins) -> Self {
        ErrorIsFn {
            variant: s.name(&self.variant),
            is_fn: s.name(&self.is_fn),
            docs: s.doc(&self.docs),
        }
    }

    fn tokens(&self) -> TokenStream {
        let v = ident(&self.variant);
        let is = ident(&self.is_fn);
        let d = super::common::doc(&self.docs);
        quote! {
            #d
            pub fn #is(&self) -> bool {
                #MATCHES!(self, Self::#v(_))
            }
        }
    }
}

fn setter_param(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote! { impl #INTO<#STRING> },
        Type::Stream
        | Type::Named {
            kind: NamedKind::Enum | NamedKind::IntEnum,
            ..
        } => {
            let t = rust_type(ty);
            quote! { impl #INTO<#t> }
        }
        _ => rust_type(ty),
    }
}

/// A fluent builder's methods for a member of the input: the setter and `set_`.
#[derive(Clone, PartialEq, Eq, Hash)]
struct FluentMethods(MemberShape);

impl template::Shape for FluentMethods {
    const CONTEXT: template::Context = template::Context::ImplItem;

    fn standin(&self, s: &mut template::Standins) -> Self {
        // Only what the fluent setters show: the field's own name, the builder's
        // getter, presence and `required` do not count.
        let m = &self.0;
        FluentMethods(MemberShape {
            setter: s.name(&m.setter),
            set_fn: s.name(&m.set_fn),
            docs: s.doc(&m.docs),
            ty: s.ty(&m.ty),
            ident: String::new(),
            get_fn: String::new(),
            optional: false,
            required: false,
            ..m.clone()
        })
    }

    fn tokens(&self) -> TokenStream {
        let f = &self.0;
        let setter = ident(&f.setter);
        let set = ident(&f.set_fn);
        let d = doc(&f.docs);
        let t = field_type(&f.ty, f.boxed);
        let dep = super::common::deprecated(f.deprecated);
        let main = match &f.ty {
            Type::List { member, sparse } => {
                let p = if *sparse {
                    let t = rust_type(member);
                    quote! { #OPTION<#t> }
                } else {
                    setter_param(member)
                };
                quote! {
                    #d
                    #[doc = ""]
                    #[doc = " Appends one item; use the `set_` method to replace the whole list."]
                    #dep
                    #[inline]
                    pub fn #setter(mut self, input: #p) -> Self {
                        self.inner = self.inner.#setter(input);
                        self
                    }
                }
            }
            Type::Map { key, value, sparse } => {
                let key_type = rust_type(key);
                let p = if *sparse {
                    let t = rust_type(value);
                    quote! { #OPTION<#t> }
                } else {
                    setter_param(value)
                };
                quote! {
                    #d
                    #[doc = ""]
                    #[doc = " Inserts one entry; use the `set_` method to replace the whole map."]
                    #dep
                    #[inline]
                    pub fn #setter(mut self, key: impl #INTO<#key_type>, input: #p) -> Self {
                        self.inner = self.inner.#setter(key, input);
                        self
                    }
                }
            }
            ty => {
                let p = setter_param(ty);
                quote! {
                    #d
                    #dep
                    #[inline]
                    pub fn #setter(mut self, input: #p) -> Self {
                        self.inner = self.inner.#setter(input);
                        self
                    }
                }
            }
        };
        quote! {
            #main
            #d
            #dep
            #[inline]
            pub fn #set(mut self, input: #OPTION<#t>) -> Self {
                self.inner = self.inner.#set(input);
                self
            }
        }
    }
}

fn fluent_builder(service: &Service, op: &Operation) -> TokenStream {
    let fb = ident(&op.fluent_builder);
    let o = ident(&op.type_name);
    let e = ident(&op.error_enum);
    let doc_text = format!(
        "A request to `{}`: set its members, then `send` it.\n\nMade by [`Client::{}`](crate::Client::{}).",
        op.wire_name,
        crate::names::unraw(&op.fn_name),
        crate::names::unraw(&op.fn_name)
    );
    let doc_text_attr = super::common::doc(&doc_text);
    let output = shape_type(op.output.as_deref());
    let Some(input) = input_struct(service, op) else {
        return quote! {
            #doc_text_attr
            #[derive(Debug, Clone)]
            pub struct #fb {
                client: crate::Client,
            }
            impl #fb {
                pub(crate) fn new(client: crate::Client) -> Self {
                    Self { client }
                }
                /// Sends the request.
                pub async fn send(self) -> #RESULT<#output, crate::runtime::SdkError<crate::error::#e>> {
                    self.client.call::<crate::operation::#o>(&()).await
                }
            }
        };
    };
    let setters = input
        .fields
        .iter()
        .map(|f| FluentMethods(MemberShape::of(f)));
    let shape = FluentBuilder {
        name: op.fluent_builder.clone(),
        docs: doc_text,
        deprecated: input.fields.iter().any(|f| f.deprecated),
        setters: None,
        send: FluentSend {
            operation: op.type_name.clone(),
            input: input.name.clone(),
            builder: input.builder.clone(),
            output: op.output.clone(),
            error_enum: op.error_enum.clone(),
            fallible: input_build_fallible(input),
            // A streaming payload is sent once, from the input it is moved out of.
            streaming: super::types::has_stream(&input.fields),
        },
    };
    match template::run(setters) {
        Ok(run) => template::members([FluentBuilder {
            setters: run,
            ..shape
        }]),
        Err(tokens) => shape.with_setters(tokens),
    }
}

/// A fluent builder and its methods, its setters a run of members inside it.
#[derive(Clone, PartialEq, Eq, Hash)]
struct FluentBuilder {
    name: String,
    docs: String,
    /// Whether a member of the input is deprecated (the impl then allows it).
    deprecated: bool,
    setters: Option<template::RunId>,
    send: FluentSend,
}

impl FluentBuilder {
    fn with_setters(&self, setters: TokenStream) -> TokenStream {
        let fb = ident(&self.name);
        let doc_text_attr = super::common::doc(&self.docs);
        let builder = ident(&self.send.builder);
        let allow = allow_deprecated(self.deprecated);
        let derive = if self.send.streaming {
            quote! { #[derive(Debug)] }
        } else {
            quote! { #[derive(Debug, Clone)] }
        };
        let rest = self.send.tokens();
        quote! {
            #doc_text_attr
            #derive
            pub struct #fb {
                client: crate::Client,
                inner: crate::types::builders::#builder,
            }
            #allow
            impl #fb {
                pub(crate) fn new(client: crate::Client) -> Self {
                    Self { client, inner: #DEFAULT::default() }
                }
                #setters
                #rest
            }
        }
    }
}

impl template::Shape for FluentBuilder {
    const CONTEXT: template::Context = template::Context::Item;

    fn standin(&self, s: &mut template::Standins) -> Self {
        FluentBuilder {
            name: s.name(&self.name),
            docs: s.doc(&self.docs),
            deprecated: self.deprecated,
            setters: self.setters.as_ref().map(|r| r.standin(s)),
            send: self.send.standin(s),
        }
    }

    fn tokens(&self) -> TokenStream {
        let setters = template::placeholder(self.setters.as_ref(), ImplItem);
        self.with_setters(setters)
    }
}

/// A fluent builder's methods after its setters: `as_input`, `into_parts`, `send`.
#[derive(Clone, PartialEq, Eq, Hash)]
struct FluentSend {
    operation: String,
    input: String,
    builder: String,
    output: Option<String>,
    error_enum: String,
    /// Whether building the input can fail (a required member left unset).
    fallible: bool,
    /// Whether the input has a streaming payload, sent from the input moved out.
    streaming: bool,
}

impl FluentSend {
    fn standin(&self, s: &mut template::Standins) -> Self {
        FluentSend {
            operation: s.name(&self.operation),
            input: s.name(&self.input),
            builder: s.name(&self.builder),
            output: self.output.as_ref().map(|o| s.name(o)),
            error_enum: s.name(&self.error_enum),
            ..self.clone()
        }
    }

    fn tokens(&self) -> TokenStream {
        let o = ident(&self.operation);
        let e = ident(&self.error_enum);
        let input_name = ident(&self.input);
        let builder = ident(&self.builder);
        let output = shape_type(self.output.as_deref());
        let build = build_input(&o, quote! { self.inner }, self.fallible);
        let invoke = if self.streaming {
            quote! { self.client.handle().invoke_owned::<crate::operation::#o>(input).await }
        } else {
            quote! { self.client.call::<crate::operation::#o>(&input).await }
        };
        quote! {
            /// The input built so far.
            pub fn as_input(&self) -> &crate::types::builders::#builder {
                &self.inner
            }
            /// The client and the input builder, to drive the operation another way
            /// (a paginator, for one).
            pub fn into_parts(self) -> (crate::Client, crate::types::builders::#builder) {
                (self.client, self.inner)
            }
            /// Checks the input (every required member set), then sends the request.
            pub async fn send(self) -> #RESULT<#output, crate::runtime::SdkError<crate::error::#e>> {
                let input: crate::types::#input_name = #build;
                #invoke
            }
        }
    }
}

/// The client's method for an operation: its fluent builder.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ClientMethod {
    fn_name: String,
    fluent_builder: String,
    docs: String,
    deprecated: bool,
}

impl template::Shape for ClientMethod {
    const CONTEXT: template::Context = template::Context::ImplItem;

    fn standin(&self, s: &mut template::Standins) -> Self {
        ClientMethod {
            fn_name: s.name(&self.fn_name),
            fluent_builder: s.name(&self.fluent_builder),
            docs: s.doc(&self.docs),
            deprecated: self.deprecated,
        }
    }

    fn tokens(&self) -> TokenStream {
        let f = ident(&self.fn_name);
        let fb = ident(&self.fluent_builder);
        let d = doc(&self.docs);
        let dep = super::common::deprecated(self.deprecated);
        quote! {
            #d
            #dep
            pub fn #f(&self) -> crate::client::fluent::#fb {
                crate::client::fluent::#fb::new(self.clone())
            }
        }
    }
}

/// The `client` module.
pub fn client_module(service: &Service) -> TokenStream {
    let target = service.target_prefix.as_str();
    let signing = service.signing_name.as_str();
    let prefix = service.endpoint_prefix.as_str();
    let qc = service.query_compatible;
    // As the SDKs document it: the sdkId, spaces as underscores, in capitals
    // (`Network Firewall` reads `AWS_ENDPOINT_URL_NETWORK_FIREWALL`).
    let env_name = service.sdk_id.replace(' ', "_").to_ascii_uppercase();
    let title = format!("A client for {}.", service.title);
    let title_attr = super::common::doc(&title);
    let methods = template::members(service.operations.iter().map(|op| ClientMethod {
        fn_name: op.fn_name.clone(),
        fluent_builder: op.fluent_builder.clone(),
        docs: op.docs.clone(),
        deprecated: op.deprecated,
    }));
    let builders = service
        .operations
        .iter()
        .map(|op| fluent_builder(service, op));
    let example_doc = format!(
        "Reads the region, credentials and endpoint from the standard AWS environment\n(`AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`,\n`AWS_ENDPOINT_URL_{env_name}`, the shared config and credentials files). Credentials come from\nthe environment, then the profile; with the `aws-config` feature, from the official\n`aws-config` default chain (SSO, web identity, container and instance credentials, ...)."
    );
    let example_doc_attr = super::common::doc(&example_doc);
    // The rule set in the compact form the client reads. It was read and checked with
    // the same reader when the model was validated, so it reads again here.
    let rules = match service
        .endpoint_rules
        .as_deref()
        .map(smithy_runtime::endpoint::RuleSet::from_json)
    {
        Some(Ok(rules)) => {
            let text = rules.to_compact();
            quote! { #SOME(#text) }
        }
        Some(Err(_)) | None => quote! { #NONE },
    };
    let discovery = discovery_meta(service);
    let discovery_field = match &discovery {
        Some(_) => quote! { #SOME(&DISCOVERY) },
        None => quote! { #NONE },
    };
    quote! {
        //! The client and its per-operation request builders.
        #![allow(deprecated)]
        static SERVICE: crate::runtime::ServiceMeta = crate::runtime::ServiceMeta {
            name: #target,
            signing_name: #signing,
            endpoint_prefix: #prefix,
            query_compatible: #qc,
            env_name: #env_name,
            endpoint_rules: #rules,
            endpoint_discovery: #discovery_field,
        };
        #discovery

        #title_attr
        ///
        /// Cheap to clone: clones share configuration and connections.
        #[derive(Debug, Clone)]
        pub struct Client {
            handle: crate::runtime::Handle,
        }

        impl Client {
            /// A client with this configuration.
            pub fn from_conf(config: crate::runtime::Config) -> Self {
                Self { handle: crate::runtime::Handle::new(&SERVICE, config) }
            }
            /// A client configured from the environment.
            ///
            #example_doc_attr
            pub fn from_env() -> Self {
                Self::from_conf(Self::config_from_env().build())
            }
            /// A configuration builder filled from the environment, to adjust before use.
            pub fn config_from_env() -> crate::runtime::ConfigBuilder {
                crate::runtime::Config::from_env(#env_name)
            }
            /// The shared call path, for paginators.
            #[doc(hidden)]
            pub fn handle(&self) -> &crate::runtime::Handle {
                &self.handle
            }
            /// The client's configuration.
            pub fn config(&self) -> &crate::runtime::Config {
                self.handle.config()
            }
            /// Runs an operation with an input built elsewhere.
            pub async fn call<O: crate::runtime::Operation>(&self, input: &O::Input) -> #RESULT<O::Output, crate::runtime::SdkError<O::Error>> {
                self.handle.invoke::<O>(input).await
            }
            #methods
        }

        /// The request builders [`Client`]'s methods return.
        pub mod fluent {
            #( #builders )*
        }
    }
}
