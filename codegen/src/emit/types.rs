//! Structures with builders, unions and enums: the `types` module.

use super::common::prelude::{
    BOX, DEFAULT, FROM, INTO, MATCHES, OK, OPTION, RESULT, SOME, STRING, VEC, WRITE,
};
use super::common::{allow_deprecated, deprecated, doc, field_type, ident, is_copy, rust_type};
use super::template;
use crate::ir::{Enum, EnumValue, Field, NamedKind, Presence, Struct, Type, TypeDef, Union};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// The `types` module: every named type, then the builders.
pub fn types_module(types: &[TypeDef]) -> TokenStream {
    types_module_part(types, true)
}

/// Part of the `types` module, for emitting and rendering it in parallel: the items
/// of these types, then their builders in `pub mod builders`; the first part also
/// has the module's docs. Put together (the builders of every part in one module),
/// the parts of [`split_types`] make [`types_module`].
pub fn types_module_part(types: &[TypeDef], first: bool) -> TokenStream {
    let items = types.iter().map(|t| match t {
        TypeDef::Struct(s) => struct_def(s),
        TypeDef::Union(u) => union_def(u),
        TypeDef::Enum(e) => enum_def(e),
    });
    let builders = types.iter().filter_map(|t| match t {
        TypeDef::Struct(s) => Some(builder_def(s)),
        _ => None,
    });
    let head = if first {
        quote! {
            //! The structures, unions and enums of the service.
            #![allow(deprecated)]
        }
    } else {
        TokenStream::new()
    };
    quote! {
        #head
        #( #items )*
        /// Builders for the structures of this module.
        pub mod builders {
            #( #builders )*
        }
    }
}

/// The types in at most `n` runs of about the same amount of generated code, each
/// with a structure (so that each part has builders); a single run for few types.
pub fn split_types(types: &[TypeDef], n: usize) -> Vec<&[TypeDef]> {
    // About how much code a type makes: docs are a good half of it, and a
    // structure's member appears in the structure, its accessor and the builder.
    let weight = |t: &TypeDef| -> usize {
        match t {
            TypeDef::Struct(s) => {
                400 + s.docs.len()
                    + s.fields
                        .iter()
                        .map(|f| 600 + 3 * f.docs.len())
                        .sum::<usize>()
            }
            TypeDef::Union(u) => {
                400 + u.docs.len() + u.variants.iter().map(|v| 300 + v.docs.len()).sum::<usize>()
            }
            TypeDef::Enum(e) => {
                300 + e.docs.len() + e.variants.iter().map(|v| 150 + v.docs.len()).sum::<usize>()
            }
        }
    };
    let runs = super::split_runs(types, n, weight);
    let has_struct = |run: &&[TypeDef]| run.iter().any(|t| matches!(t, TypeDef::Struct(_)));
    if runs.iter().all(has_struct) {
        runs
    } else {
        vec![types]
    }
}

/// An expression that fills an unset member, and what kind of expression it is, so
/// that callers choose the code around it from the kind, not from its tokens.
pub struct Fill {
    /// The expression.
    pub expr: TokenStream,
    /// What it is.
    pub kind: FillKind,
}

/// What kind of expression a [`Fill`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FillKind {
    /// The type's `Default::default()`.
    TypeDefault,
    /// A literal, or a unit variant: made eagerly (`unwrap_or`).
    Literal,
    /// An expression that may return early with `?` (a structure's zero value).
    Fallible,
    /// Any other expression.
    Other,
}

impl Fill {
    fn new(expr: TokenStream, kind: FillKind) -> Self {
        Fill { expr, kind }
    }

    fn other(expr: TokenStream) -> Self {
        Fill::new(expr, FillKind::Other)
    }
}

/// The expression that fills a `Default` presence member.
pub fn default_expr(ty: &Type, value: &Value) -> Fill {
    match (ty, value) {
        (Type::Bool, Value::Bool(b)) => Fill::new(
            quote! { #b },
            if *b {
                FillKind::Literal
            } else {
                FillKind::TypeDefault
            },
        ),
        (Type::Byte | Type::Short | Type::Integer | Type::Long, Value::Number(n)) => {
            // Validation checked that the value fits the type.
            let v = n.as_i64().unwrap_or_default();
            let lit = Literal::i64_unsuffixed(v);
            let kind = if v == 0 {
                FillKind::TypeDefault
            } else {
                FillKind::Literal
            };
            Fill::new(quote! { #lit }, kind)
        }
        (Type::Float | Type::Double, Value::Number(n)) => {
            let v = n.as_f64().unwrap_or_default();
            let lit = Literal::f64_unsuffixed(v);
            // `0.0` (not `-0.0`) is the type's default.
            let kind = if v == 0.0 && v.is_sign_positive() {
                FillKind::TypeDefault
            } else {
                FillKind::Literal
            };
            Fill::new(quote! { #lit }, kind)
        }
        (Type::Float | Type::Double, Value::String(s)) => {
            let ty = if matches!(ty, Type::Float) {
                quote! { f32 }
            } else {
                quote! { f64 }
            };
            // Validation allowed these three only.
            let value = match s.as_str() {
                "Infinity" => quote! { #ty::INFINITY },
                "-Infinity" => quote! { #ty::NEG_INFINITY },
                _ => quote! { #ty::NAN },
            };
            Fill::new(value, FillKind::Literal)
        }
        (Type::BigInteger | Type::BigDecimal, Value::Number(n)) => {
            let text = n.to_string();
            Fill::other(
                quote! { crate::runtime::Number::parse(#text).unwrap_or_else(|| crate::runtime::Number::from(0i64)) },
            )
        }
        (Type::String, Value::String(s)) => Fill::other(quote! { #STRING::from(#s) }),
        (Type::Blob, Value::String(s)) => {
            // The model writes blob defaults as base64; text that is not base64 (which
            // validation warns about) stands for its own bytes.
            let bytes = crate::validate::decode_base64(s).unwrap_or_else(|| s.as_bytes().to_vec());
            let lit = Literal::byte_string(&bytes);
            Fill::other(quote! { crate::runtime::Blob::new(#lit) })
        }
        (Type::Timestamp(_), Value::Number(n)) => {
            let text = n.to_string();
            Fill::other(
                quote! { crate::runtime::DateTime::from_epoch_seconds_str(#text).unwrap_or(crate::runtime::DateTime::UNIX_EPOCH) },
            )
        }
        (Type::Timestamp(_), Value::String(s)) => Fill::other(quote! {
            crate::runtime::DateTime::parse(#s, crate::runtime::TimestampFormat::DateTime).unwrap_or(crate::runtime::DateTime::UNIX_EPOCH)
        }),
        (Type::Document, v) => Fill::new(
            document_expr(v),
            match v {
                Value::Null => FillKind::TypeDefault,
                // A variant of literals, which clippy wants made eagerly.
                Value::Bool(_) => FillKind::Literal,
                _ => FillKind::Other,
            },
        ),
        (Type::List { .. }, _) => Fill::new(quote! { #VEC::new() }, FillKind::TypeDefault),
        (Type::Map { .. }, _) => Fill::new(
            quote! { ::std::collections::HashMap::new() },
            FillKind::TypeDefault,
        ),
        (
            Type::Named {
                name,
                kind: NamedKind::Enum,
            },
            Value::String(s),
        ) => {
            let n = ident(name);
            Fill::other(quote! { crate::types::#n::from(#s) })
        }
        (
            Type::Named {
                name,
                kind: NamedKind::IntEnum,
            },
            Value::Number(n),
        ) => {
            let n2 = ident(name);
            let lit = Literal::i32_unsuffixed(
                n.as_i64()
                    .and_then(|i| i32::try_from(i).ok())
                    .unwrap_or_default(),
            );
            Fill::other(quote! { crate::types::#n2::from(#lit) })
        }
        (ty, _) => zero_expr(ty),
    }
}

fn document_expr(v: &Value) -> TokenStream {
    match v {
        Value::Null => quote! { crate::runtime::Document::Null },
        Value::Bool(b) => quote! { crate::runtime::Document::Bool(#b) },
        Value::Number(n) => {
            let text = n.to_string();
            quote! { crate::runtime::Number::parse(#text).map_or(crate::runtime::Document::Null, crate::runtime::Document::Number) }
        }
        Value::String(s) => {
            quote! { crate::runtime::Document::String(#STRING::from(#s)) }
        }
        Value::Array(_) => quote! { crate::runtime::Document::Array(#VEC::new()) },
        Value::Object(_) => {
            quote! { crate::runtime::Document::Object(::std::collections::HashMap::new()) }
        }
    }
}

/// The zero value of a type: what a client fills in for a required member the
/// service left out (Smithy's client error correction).
pub fn zero_expr(ty: &Type) -> Fill {
    let default = |expr: TokenStream| Fill::new(expr, FillKind::TypeDefault);
    match ty {
        Type::Bool => default(quote! { false }),
        Type::Byte | Type::Short | Type::Integer | Type::Long => default(quote! { 0 }),
        Type::Float | Type::Double => default(quote! { 0.0 }),
        Type::BigInteger | Type::BigDecimal => {
            Fill::other(quote! { crate::runtime::Number::from(0i64) })
        }
        Type::String => default(quote! { #STRING::new() }),
        Type::Blob => default(quote! { crate::runtime::Blob::default() }),
        Type::Stream => default(quote! { crate::runtime::ByteStream::new() }),
        Type::EventStream { union, input } => {
            default(super::common::empty_event_stream(union, *input))
        }
        Type::Timestamp(_) => default(quote! { crate::runtime::DateTime::UNIX_EPOCH }),
        Type::Document => default(quote! { crate::runtime::Document::Null }),
        Type::List { .. } => default(quote! { #VEC::new() }),
        Type::Map { .. } => default(quote! { ::std::collections::HashMap::new() }),
        Type::Named { name, kind } => {
            let n = ident(name);
            match kind {
                NamedKind::Enum => Fill::other(quote! { crate::types::#n::from("") }),
                NamedKind::IntEnum => Fill::other(quote! { crate::types::#n::from(0) }),
                NamedKind::Union => {
                    Fill::new(quote! { crate::types::#n::Unknown }, FillKind::Literal)
                }
                NamedKind::Struct => {
                    let zero = ident(&crate::names::derived::zero_fn(name));
                    Fill::new(quote! { crate::codec::#zero()? }, FillKind::Fallible)
                }
            }
        }
    }
}

fn is_redacted(f: &Field) -> bool {
    f.sensitive
}

fn debug_impl(
    name: &syn::Ident,
    label: &str,
    fields: &[&Field],
    whole: bool,
    extra_meta: bool,
) -> Option<TokenStream> {
    if !whole && !fields.iter().any(|f| is_redacted(f)) {
        return None;
    }
    let body = if whole {
        let text = format!("{label} {{ {REDACTED} }}");
        quote! { f.write_str(#text) }
    } else {
        let entries = fields.iter().map(|f| {
            let id = ident(&f.ident);
            let n = crate::names::unraw(&f.ident).to_string();
            if is_redacted(f) {
                quote! { .field(#n, &#REDACTED) }
            } else {
                quote! { .field(#n, &self.#id) }
            }
        });
        let meta = if extra_meta {
            quote! { .field("meta", &self._meta) }
        } else {
            quote! {}
        };
        quote! { f.debug_struct(#label) #( #entries )* #meta .finish() }
    };
    Some(quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }
    })
}

fn struct_def(s: &Struct) -> TokenStream {
    let Struct {
        name,
        shape_id: _,
        docs,
        fields,
        error,
        sensitive,
        input: _,
        codec: _,
        deprecated: dep,
        message_field,
        builder,
        ser_fn: _,
        de_fn: _,
        error_fn: _,
    } = s;
    let n = ident(name);
    let accessors = template::run(
        fields
            .iter()
            .filter(|f| f.accessor)
            .map(|f| Accessor(MemberShape::of(f))),
    );
    let struct_impl = match accessors {
        Ok(run) => template::members([StructImpl {
            name: name.clone(),
            builder: builder.clone(),
            accessors: run,
        }]),
        Err(tokens) => struct_impl(name, builder, tokens),
    };
    let is_error = error.is_some();
    let field_refs: Vec<&Field> = fields.iter().collect();
    let derive_debug = debug_impl(&n, name, &field_refs, *sensitive, is_error);
    // A streaming payload is read once: it is neither cloned nor compared.
    let derives: &[&str] = match (derive_debug.is_some(), has_stream(fields)) {
        (true, false) => &["Clone", "PartialEq"],
        (false, false) => &["Clone", "PartialEq", "Debug"],
        (true, true) => &[],
        (false, true) => &["Debug"],
    };
    let error_impls = if is_error {
        let message = match message_field {
            Some((f, true)) => {
                let f = ident(f);
                quote! { self.#f.as_deref().or(self._meta.message()) }
            }
            Some((f, false)) => {
                let f = ident(f);
                quote! { #SOME(self.#f.as_str()) }
            }
            None => quote! { self._meta.message() },
        };
        let message_fn = quote! {
            /// The error message, from the service.
            pub fn message(&self) -> #OPTION<&str> {
                #message
            }
        };
        quote! {
            impl #n {
                #message_fn
                /// The error code, the status, the request id and the message, as the service sent them.
                pub fn meta(&self) -> &crate::runtime::ErrorMetadata {
                    &self._meta
                }
            }
            impl crate::runtime::ProvideErrorMetadata for #n {
                fn meta(&self) -> &crate::runtime::ErrorMetadata {
                    &self._meta
                }
                fn message(&self) -> #OPTION<&str> {
                    #message
                }
            }
            impl ::std::fmt::Display for #n {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#name)?;
                    if let #SOME(m) = crate::runtime::ProvideErrorMetadata::message(self) {
                        #WRITE!(f, ": {m}")?;
                    }
                    #OK(())
                }
            }
            impl ::std::error::Error for #n {}
        }
    } else {
        quote! {}
    };
    let decl = struct_decl(
        StructDecl {
            name: name.clone(),
            docs: docs.clone(),
            deprecated: *dep,
            derives,
            fields: None,
            meta: is_error,
        },
        template::run(fields.iter().map(|f| StructField(MemberShape::of(f)))),
    );
    quote! {
        #decl
        #struct_impl
        #derive_debug
        #error_impls
    }
}

/// A structure's definition, its fields a run of members of their own: printed once
/// per shape when the fields are set aside.
#[derive(Clone, PartialEq, Eq, Hash)]
struct StructDecl {
    name: String,
    docs: String,
    deprecated: bool,
    /// The derived traits.
    derives: &'static [&'static str],
    /// The run of its fields, when it has fields.
    fields: Option<template::RunId>,
    /// Whether the structure is an error, with the service's metadata in a field.
    meta: bool,
}

/// A structure's definition with `fields` ([`template::run`]): one member when they
/// are set aside, else its tokens.
fn struct_decl(
    decl: StructDecl,
    fields: Result<Option<template::RunId>, TokenStream>,
) -> TokenStream {
    match fields {
        Ok(run) => template::members([StructDecl {
            fields: run,
            ..decl
        }]),
        Err(tokens) => decl.with_fields(tokens),
    }
}

impl StructDecl {
    fn with_fields(&self, fields: TokenStream) -> TokenStream {
        let n = ident(&self.name);
        let d = doc(&self.docs);
        let dep = deprecated(self.deprecated);
        let derives = if self.derives.is_empty() {
            quote! {}
        } else {
            let list = self.derives.iter().map(|t| ident(t));
            quote! { #[derive(#( #list ),*)] }
        };
        let meta = if self.meta {
            quote! {
                /// What the service said about the error: code, message, status, request id.
                pub(crate) _meta: crate::runtime::ErrorMetadata,
            }
        } else {
            quote! {}
        };
        quote! {
            #d
            #dep
            #derives
            #[non_exhaustive]
            pub struct #n {
                #fields
                #meta
            }
        }
    }
}

impl template::Shape for StructDecl {
    const CONTEXT: template::Context = template::Context::Item;

    fn standin(&self, s: &mut template::Standins) -> Self {
        StructDecl {
            name: s.name(&self.name),
            docs: s.doc(&self.docs),
            fields: self.fields.as_ref().map(|r| r.standin(s)),
            ..self.clone()
        }
    }

    fn tokens(&self) -> TokenStream {
        self.with_fields(template::placeholder(
            self.fields.as_ref(),
            template::Context::Field,
        ))
    }
}

/// A structure's `impl` block: its `builder` function and its getters, a run of
/// members inside it.
#[derive(Clone, PartialEq, Eq, Hash)]
struct StructImpl {
    name: String,
    builder: String,
    accessors: Option<template::RunId>,
}

fn struct_impl(name: &str, builder: &str, accessors: TokenStream) -> TokenStream {
    let n = ident(name);
    let builder = ident(builder);
    quote! {
        impl #n {
            /// A builder for this structure.
            #[inline]
            pub fn builder() -> crate::types::builders::#builder {
                #DEFAULT::default()
            }
            #accessors
        }
    }
}

impl template::Shape for StructImpl {
    const CONTEXT: template::Context = template::Context::Item;

    fn standin(&self, s: &mut template::Standins) -> Self {
        StructImpl {
            name: s.name(&self.name),
            builder: s.name(&self.builder),
            accessors: self.accessors.as_ref().map(|r| r.standin(s)),
        }
    }

    fn tokens(&self) -> TokenStream {
        let accessors = template::placeholder(self.accessors.as_ref(), template::Context::ImplItem);
        struct_impl(&self.name, &self.builder, accessors)
    }
}

/// A structure's field for a member.
#[derive(Clone, PartialEq, Eq, Hash)]
struct StructField(MemberShape);

impl template::Shape for StructField {
    const CONTEXT: template::Context = template::Context::Field;

    fn standin(&self, s: &mut template::Standins) -> Self {
        StructField(self.0.shown_standin(s))
    }

    fn tokens(&self) -> TokenStream {
        let f = &self.0;
        let id = ident(&f.ident);
        let t = field_type(&f.ty, f.boxed);
        let d = doc(&f.docs);
        let fd = deprecated(f.deprecated);
        let t = if f.optional {
            quote! { #OPTION<#t> }
        } else {
            t
        };
        quote! { #d #fd pub #id: #t, }
    }
}

/// A builder's field for a member: an `Option` whatever the member's presence.
#[derive(Clone, PartialEq, Eq, Hash)]
struct BuilderField(MemberShape);

impl template::Shape for BuilderField {
    const CONTEXT: template::Context = template::Context::Field;

    fn standin(&self, s: &mut template::Standins) -> Self {
        let m = &self.0;
        BuilderField(MemberShape {
            ident: s.name(&m.ident),
            ty: s.ty(&m.ty),
            docs: String::new(),
            setter: String::new(),
            set_fn: String::new(),
            get_fn: String::new(),
            optional: false,
            deprecated: false,
            required: false,
            boxed: m.boxed,
        })
    }

    fn tokens(&self) -> TokenStream {
        let f = &self.0;
        let id = ident(&f.ident);
        let t = field_type(&f.ty, f.boxed);
        quote! { pub(crate) #id: #OPTION<#t>, }
    }
}

/// A structure's getter for a member.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Accessor(MemberShape);

impl template::Shape for Accessor {
    const CONTEXT: template::Context = template::Context::ImplItem;

    fn standin(&self, s: &mut template::Standins) -> Self {
        Accessor(self.0.shown_standin(s))
    }

    fn tokens(&self) -> TokenStream {
        accessor(&self.0)
    }
}

fn accessor(f: &MemberShape) -> TokenStream {
    let id = ident(&f.ident);
    let d = doc(&f.docs);
    let optional = f.optional;
    let allow = allow_deprecated(f.deprecated);
    let (ret, body) = match (&f.ty, optional, f.boxed) {
        (Type::String, true, _) => (quote! { #OPTION<&str> }, quote! { self.#id.as_deref() }),
        (Type::String, false, _) => (quote! { &str }, quote! { &self.#id }),
        (Type::List { member, sparse }, true, _) => {
            let inner = rust_type(member);
            let inner = if *sparse {
                quote! { #OPTION<#inner> }
            } else {
                inner
            };
            (
                quote! { &[#inner] },
                quote! { self.#id.as_deref().unwrap_or_default() },
            )
        }
        (Type::List { member, sparse }, false, _) => {
            let inner = rust_type(member);
            let inner = if *sparse {
                quote! { #OPTION<#inner> }
            } else {
                inner
            };
            (quote! { &[#inner] }, quote! { &self.#id })
        }
        (ty, true, true) => {
            let t = rust_type(ty);
            (quote! { #OPTION<&#t> }, quote! { self.#id.as_deref() })
        }
        (ty, true, false) if is_copy(ty) => {
            let t = rust_type(ty);
            (quote! { #OPTION<#t> }, quote! { self.#id })
        }
        (ty, true, false) => {
            let t = rust_type(ty);
            (quote! { #OPTION<&#t> }, quote! { self.#id.as_ref() })
        }
        (ty, false, _) if is_copy(ty) => {
            let t = rust_type(ty);
            (quote! { #t }, quote! { self.#id })
        }
        (ty, false, _) => {
            let t = rust_type(ty);
            (quote! { &#t }, quote! { &self.#id })
        }
    };
    quote! {
        #d
        #allow
        #[inline]
        pub fn #id(&self) -> #ret {
            #body
        }
    }
}

/// What a builder setter takes, and how it turns it into the field's element.
/// Whether a structure has a streaming payload.
pub fn has_stream(fields: &[Field]) -> bool {
    fields
        .iter()
        .any(|f| matches!(f.ty, Type::Stream | Type::EventStream { .. }))
}

fn setter_param(ty: &Type) -> (TokenStream, TokenStream) {
    match ty {
        Type::String => (quote! { impl #INTO<#STRING> }, quote! { input.into() }),
        Type::Stream
        | Type::EventStream { .. }
        | Type::Named {
            kind: NamedKind::Enum | NamedKind::IntEnum,
            ..
        } => {
            let t = rust_type(ty);
            (quote! { impl #INTO<#t> }, quote! { input.into() })
        }
        _ => (rust_type(ty), quote! { input }),
    }
}

/// What a member's methods are made of: its names and doc comment (which stand-ins
/// replace, see [`template`]), its type and flags.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct MemberShape {
    pub ident: String,
    pub setter: String,
    pub set_fn: String,
    pub get_fn: String,
    pub docs: String,
    pub ty: Type,
    pub optional: bool,
    pub boxed: bool,
    pub deprecated: bool,
    /// Whether `build()` fails while the member is unset.
    pub required: bool,
}

impl MemberShape {
    pub fn of(f: &Field) -> Self {
        MemberShape {
            ident: f.ident.clone(),
            setter: f.setter.clone(),
            set_fn: f.set_fn.clone(),
            get_fn: f.get_fn.clone(),
            docs: f.docs.clone(),
            ty: f.ty.clone(),
            optional: f.presence == Presence::Optional,
            boxed: f.boxed,
            deprecated: f.deprecated,
            required: f.checked_by_build(),
        }
    }

    /// The shape with stand-ins for its names (the field's and its methods', and those
    /// of the named types in its type) and doc comment.
    pub fn standin(&self, s: &mut template::Standins) -> Self {
        MemberShape {
            ident: s.name(&self.ident),
            setter: s.name(&self.setter),
            set_fn: s.name(&self.set_fn),
            get_fn: s.name(&self.get_fn),
            docs: s.doc(&self.docs),
            ty: s.ty(&self.ty),
            // Field by field: `..self.clone()` would copy the names and docs too.
            optional: self.optional,
            boxed: self.boxed,
            deprecated: self.deprecated,
            required: self.required,
        }
    }

    /// The shape as a structure's field and getter show it, with stand-ins: its name,
    /// doc, type and flags; the setters' names and `required` do not count.
    fn shown_standin(&self, s: &mut template::Standins) -> Self {
        MemberShape {
            ident: s.name(&self.ident),
            docs: s.doc(&self.docs),
            ty: s.ty(&self.ty),
            setter: String::new(),
            set_fn: String::new(),
            get_fn: String::new(),
            required: false,
            optional: self.optional,
            boxed: self.boxed,
            deprecated: self.deprecated,
        }
    }
}

/// A builder's methods for a member: the setter (which appends to a list or inserts
/// into a map), `set_` and `get_`.
#[derive(Clone, PartialEq, Eq, Hash)]
struct BuilderMethods(MemberShape);

impl template::Shape for BuilderMethods {
    const CONTEXT: template::Context = template::Context::ImplItem;

    fn standin(&self, s: &mut template::Standins) -> Self {
        // The builder's field is an `Option` whatever the member's presence.
        BuilderMethods(MemberShape {
            optional: false,
            ..self.0.standin(s)
        })
    }

    fn tokens(&self) -> TokenStream {
        let f = &self.0;
        let id = ident(&f.ident);
        let setter = ident(&f.setter);
        let set = ident(&f.set_fn);
        let get = ident(&f.get_fn);
        let t = field_type(&f.ty, f.boxed);
        let d = doc(&f.docs);
        let required = if f.required {
            quote! { #[doc = ""] #[doc = " Required."] }
        } else {
            quote! {}
        };
        let fd = deprecated(f.deprecated);
        let main = match &f.ty {
            Type::List { member, sparse } => {
                let (param, conv) = setter_param(member);
                let (param, conv) = if *sparse {
                    let t = rust_type(member);
                    (quote! { #OPTION<#t> }, quote! { input })
                } else {
                    (param, conv)
                };
                quote! {
                    #d
                    #[doc = ""]
                    #[doc = " Appends one item; use the `set_` method to replace the whole list."]
                    #required
                    #fd
                    #[inline]
                    pub fn #setter(mut self, input: #param) -> Self {
                        self.#id.get_or_insert_with(#VEC::new).push(#conv);
                        self
                    }
                }
            }
            Type::Map { key, value, sparse } => {
                let key_type = rust_type(key);
                let (param, conv) = setter_param(value);
                let (param, conv) = if *sparse {
                    let t = rust_type(value);
                    (quote! { #OPTION<#t> }, quote! { input })
                } else {
                    (param, conv)
                };
                quote! {
                    #d
                    #[doc = ""]
                    #[doc = " Inserts one entry; use the `set_` method to replace the whole map."]
                    #required
                    #fd
                    #[inline]
                    pub fn #setter(mut self, key: impl #INTO<#key_type>, input: #param) -> Self {
                        self.#id.get_or_insert_with(::std::collections::HashMap::new).insert(key.into(), #conv);
                        self
                    }
                }
            }
            ty => {
                let (param, conv) = setter_param(ty);
                let conv = if f.boxed {
                    quote! { #BOX::new(#conv) }
                } else {
                    conv
                };
                quote! {
                    #d
                    #required
                    #fd
                    #[inline]
                    pub fn #setter(mut self, input: #param) -> Self {
                        self.#id = #SOME(#conv);
                        self
                    }
                }
            }
        };
        quote! {
            #main
            #d
            #fd
            #[inline]
            pub fn #set(mut self, input: #OPTION<#t>) -> Self {
                self.#id = input;
                self
            }
            #d
            #fd
            #[inline]
            pub fn #get(&self) -> &#OPTION<#t> {
                &self.#id
            }
        }
    }
}

fn builder_def(s: &Struct) -> TokenStream {
    let b = ident(&s.builder);
    let doc_text = format!("A builder for [`{}`](crate::types::{}).", s.name, s.name);
    let fallible = s.fields.iter().any(Field::checked_by_build);
    let body = builder_impl(s, fallible);
    let field_refs: Vec<&Field> = s.fields.iter().collect();
    let label = format!("{}Builder", s.name);
    let debug = debug_impl(&b, &label, &field_refs, s.sensitive, false);
    let derives: &[&str] = match (debug.is_some(), has_stream(&s.fields)) {
        (true, false) => &["Clone", "PartialEq", "Default"],
        (false, false) => &["Clone", "PartialEq", "Default", "Debug"],
        (true, true) => &["Default"],
        (false, true) => &["Default", "Debug"],
    };
    let decl = struct_decl(
        StructDecl {
            name: s.builder.clone(),
            docs: doc_text,
            deprecated: false,
            derives,
            fields: None,
            meta: false,
        },
        template::run(s.fields.iter().map(|f| BuilderField(MemberShape::of(f)))),
    );
    quote! {
        #decl
        #body
        #debug
    }
}

/// A builder's `impl` block: its setters (a run of members) and `build`; one member
/// when the fields of its structure literal can be set aside too.
fn builder_impl(s: &Struct, fallible: bool) -> TokenStream {
    let block = BuilderImpl {
        name: s.name.clone(),
        builder: s.builder.clone(),
        deprecated: s.uses_deprecated(),
        fallible,
        meta: s.error.is_some(),
        setters: None,
        inits: None,
    };
    if let Some(tokens) = builder_impl_member(s, &block) {
        return tokens;
    }
    let setters = template::members(s.fields.iter().map(|f| BuilderMethods(MemberShape::of(f))));
    let name_lit = s.name.as_str();
    let inits = s.fields.iter().map(|f| {
        let id = ident(&f.ident);
        let wire = f.wire_name.as_str();
        let missing = || super::codec::missing_member(quote! { self.#id }, name_lit, wire);
        let value = match (&f.presence, f.idempotency_token) {
            (Presence::Optional, true) => {
                quote! { self.#id.or_else(|| #SOME(crate::runtime::idempotency_token())) }
            }
            (Presence::Optional, false) if f.must_set => {
                let value = missing();
                quote! { #SOME(#value) }
            }
            (Presence::Optional, false) => match &f.build_default {
                Some(v) => {
                    let filled =
                        super::codec::fill(quote! { self.#id }, default_expr(&f.ty, v), false);
                    quote! { #SOME(#filled) }
                }
                None => quote! { self.#id },
            },
            (Presence::Required, true) => {
                quote! { self.#id.unwrap_or_else(crate::runtime::idempotency_token) }
            }
            (Presence::Required, false) => missing(),
            (Presence::Default(v), _) => {
                super::codec::fill(quote! { self.#id }, default_expr(&f.ty, v), f.boxed)
            }
        };
        quote! { #id: #value, }
    });
    block.with_parts(setters, quote! { #( #inits )* })
}

/// A builder's `impl` block as one member (see [`BuilderImpl`]), when its setters and
/// the fields of its structure literal can be set aside: the structure has fields, each
/// of a form [`FieldInit`](super::codec::FieldInit) knows, and its literal is wider than
/// `prettyplease` keeps on a line.
fn builder_impl_member(s: &Struct, block: &BuilderImpl) -> Option<TokenStream> {
    use super::codec::{field_inits, literal_breaks, Receiver};
    if s.fields.is_empty() || !literal_breaks(s) {
        return None;
    }
    let inits = field_inits(s, Receiver::Builder, s.error.is_some())?;
    let setters =
        template::run(s.fields.iter().map(|f| BuilderMethods(MemberShape::of(f)))).ok()?;
    let inits = template::run(inits).ok()?;
    Some(template::members([BuilderImpl {
        setters,
        inits,
        ..block.clone()
    }]))
}

/// A builder's `impl` block: its setters, and `build`, whose structure literal's fields
/// are a run of members of their own.
#[derive(Clone, PartialEq, Eq, Hash)]
struct BuilderImpl {
    name: String,
    builder: String,
    /// Whether the structure has deprecated members (and allows them).
    deprecated: bool,
    /// Whether `build` fails on a required member left unset.
    fallible: bool,
    /// Whether the structure is an error (its metadata comes after the fields).
    meta: bool,
    setters: Option<template::RunId>,
    inits: Option<template::RunId>,
}

impl template::Shape for BuilderImpl {
    const CONTEXT: template::Context = template::Context::Item;

    fn standin(&self, s: &mut template::Standins) -> Self {
        BuilderImpl {
            name: s.name(&self.name),
            builder: s.name(&self.builder),
            setters: self.setters.as_ref().map(|r| r.standin(s)),
            inits: self.inits.as_ref().map(|r| r.standin(s)),
            ..self.clone()
        }
    }

    fn tokens(&self) -> TokenStream {
        let setters = template::placeholder(self.setters.as_ref(), template::Context::ImplItem);
        let inits = template::placeholder(self.inits.as_ref(), template::Context::FieldValue);
        self.with_parts(setters, inits)
    }
}

impl BuilderImpl {
    /// The block with `setters` and the fields `inits` of `build`'s structure literal.
    fn with_parts(&self, setters: TokenStream, inits: TokenStream) -> TokenStream {
        let n = ident(&self.name);
        let b = ident(&self.builder);
        let allow_dep = allow_deprecated(self.deprecated);
        let meta_init = super::codec::meta_init(self.meta);
        let build = if self.fallible {
            quote! {
                /// Builds the structure; fails naming the first required member left unset.
                #allow_dep
                pub fn build(self) -> #RESULT<crate::types::#n, crate::runtime::BuildError> {
                    #OK(crate::types::#n {
                        #inits
                        #meta_init
                    })
                }
            }
        } else {
            quote! {
                /// Builds the structure.
                #allow_dep
                pub fn build(self) -> crate::types::#n {
                    crate::types::#n {
                        #inits
                        #meta_init
                    }
                }
            }
        };
        quote! {
            #allow_dep
            impl #b {
                #setters
                #build
            }
        }
    }
}

fn union_def(u: &Union) -> TokenStream {
    let Union {
        name,
        docs,
        variants,
        sensitive,
        codec: _,
        deprecated: dep,
        ser_fn: _,
        de_fn: _,
    } = u;
    let n = ident(name);
    let d = doc(docs);
    let dep = deprecated(*dep);
    let vs = variants.iter().map(|v| {
        let id = ident(&v.ident);
        let vd = doc(&v.docs);
        match &v.ty {
            Some(t) => {
                let t = field_type(t, v.boxed);
                quote! { #vd #id(#t), }
            }
            None => quote! { #vd #id, },
        }
    });
    let derives = if *sensitive {
        quote! { #[derive(Clone, PartialEq)] }
    } else {
        quote! { #[derive(Clone, PartialEq, Debug)] }
    };
    let debug = if *sensitive {
        let text = format!("{name}({REDACTED})");
        quote! {
            impl ::std::fmt::Debug for #n {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#text)
                }
            }
        }
    } else {
        quote! {}
    };
    let accessors = variants.iter().map(|v| {
        let id = ident(&v.ident);
        let is = ident(&v.is_fn);
        let doc_is = format!("Whether this is the `{}` variant.", v.ident);
        let doc_is_attr = super::common::doc(&doc_is);
        match &v.ty {
            Some(_) => quote! {
                #doc_is_attr
                pub fn #is(&self) -> bool {
                    #MATCHES!(self, Self::#id(_))
                }
            },
            None => quote! {
                #doc_is_attr
                pub fn #is(&self) -> bool {
                    #MATCHES!(self, Self::#id)
                }
            },
        }
    });
    quote! {
        #d
        #dep
        #derives
        #[non_exhaustive]
        pub enum #n {
            #( #vs )*
            /// A member this version of the client does not know. It cannot be sent.
            Unknown,
        }
        impl #n {
            #( #accessors )*
            /// Whether the service sent a member this version of the client does not know.
            pub fn is_unknown(&self) -> bool {
                #MATCHES!(self, Self::Unknown)
            }
        }
        #debug
    }
}

fn enum_def(e: &Enum) -> TokenStream {
    let Enum {
        name,
        docs,
        int,
        variants,
        codec: _,
        deprecated: dep_flag,
    } = e;
    let n = ident(name);
    let allow = allow_deprecated(variants.iter().any(|v| v.deprecated));
    if *int {
        let d = doc(docs);
        let dep = deprecated(*dep_flag);
        let vs = template::members(variants.iter().map(|v| EnumVariant {
            variant: v.ident.clone(),
            docs: v.docs.clone(),
            deprecated: v.deprecated,
        }));
        let to = variants.iter().map(|v| {
            let id = ident(&v.ident);
            let EnumValue::Int(val) = v.value else {
                return quote! {};
            };
            let val = Literal::i32_unsuffixed(val);
            quote! { Self::#id => #val, }
        });
        let from = variants.iter().map(|v| {
            let id = ident(&v.ident);
            let EnumValue::Int(val) = v.value else {
                return quote! {};
            };
            let val = Literal::i32_unsuffixed(val);
            quote! { #val => Self::#id, }
        });
        let values = variants.iter().filter_map(|v| match v.value {
            EnumValue::Int(i) => Some(Literal::i32_unsuffixed(i)),
            EnumValue::Str(_) => None,
        });
        return quote! {
            #d
            #dep
            #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
            #[non_exhaustive]
            pub enum #n {
                #vs
                /// A value this version of the client does not know, kept as sent. It
                /// cannot be built by hand: `From<i32>` gives the known variant of a
                /// known value.
                Unknown(crate::primitives::UnknownIntVariantValue),
            }
            #allow
            impl #n {
                /// The value on the wire.
                pub fn value(&self) -> i32 {
                    match self {
                        #( #to )*
                        Self::Unknown(v) => v.value(),
                    }
                }
                /// Every value this version of the client knows.
                pub const fn values() -> &'static [i32] {
                    &[#( #values ),*]
                }
            }
            #allow
            impl #FROM<i32> for #n {
                fn from(v: i32) -> Self {
                    match v {
                        #( #from )*
                        other => Self::Unknown(crate::primitives::UnknownIntVariantValue(other)),
                    }
                }
            }
        };
    }
    let arms = |to_str: bool| {
        template::run(variants.iter().filter_map(|v| match &v.value {
            EnumValue::Str(value) => Some(EnumArm {
                to_str,
                variant: v.ident.clone(),
                value: value.clone(),
            }),
            EnumValue::Int(_) => None,
        }))
    };
    let to = template::run_tokens(arms(true), template::Context::Arm);
    let deprecated_variants = variants.iter().any(|v| v.deprecated);
    let from = match arms(false) {
        Ok(run) => template::members([EnumFrom {
            name: name.clone(),
            deprecated_variants,
            arms: run,
        }]),
        Err(tokens) => EnumFrom::with_arms(name, deprecated_variants, tokens),
    };
    let values: Vec<&str> = variants
        .iter()
        .filter_map(|v| match &v.value {
            EnumValue::Str(s) => Some(s.as_str()),
            EnumValue::Int(_) => None,
        })
        .collect();
    let decl = StrEnumDecl {
        name: name.clone(),
        docs: docs.clone(),
        deprecated: *dep_flag,
        variants: None,
    };
    let variants = template::run(variants.iter().map(|v| EnumVariant {
        variant: v.ident.clone(),
        docs: v.docs.clone(),
        deprecated: v.deprecated,
    }));
    let decl = match variants {
        Ok(run) => template::members([StrEnumDecl {
            variants: run,
            ..decl
        }]),
        Err(tokens) => decl.with_variants(tokens),
    };
    quote! {
        #decl
        #allow
        impl #n {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #to
                    Self::Unknown(v) => v.as_str(),
                }
            }
            /// Every value this version of the client knows.
            pub const fn values() -> &'static [&'static str] {
                &[#( #values ),*]
            }
        }
        #from
    }
}

/// A variant of an enum.
#[derive(Clone, PartialEq, Eq, Hash)]
struct EnumVariant {
    variant: String,
    docs: String,
    deprecated: bool,
}

impl template::Shape for EnumVariant {
    const CONTEXT: template::Context = template::Context::Variant;

    fn standin(&self, s: &mut template::Standins) -> Self {
        EnumVariant {
            variant: s.name(&self.variant),
            docs: s.doc(&self.docs),
            deprecated: self.deprecated,
        }
    }

    fn tokens(&self) -> TokenStream {
        let id = ident(&self.variant);
        let d = doc(&self.docs);
        let dep = deprecated(self.deprecated);
        quote! { #d #dep #id, }
    }
}

/// An arm of a string enum's `as_str` (variant to value) or `From<&str>` (value to
/// variant).
#[derive(Clone, PartialEq, Eq, Hash)]
struct EnumArm {
    to_str: bool,
    variant: String,
    value: String,
}

impl template::Shape for EnumArm {
    const CONTEXT: template::Context = template::Context::Arm;

    fn standin(&self, s: &mut template::Standins) -> Self {
        EnumArm {
            to_str: self.to_str,
            variant: s.name(&self.variant),
            value: s.literal(&self.value),
        }
    }

    fn tokens(&self) -> TokenStream {
        let id = ident(&self.variant);
        let value = self.value.as_str();
        if self.to_str {
            quote! { Self::#id => #value, }
        } else {
            quote! { #value => Self::#id, }
        }
    }
}

/// A string enum's definition, its variants a run of members.
#[derive(Clone, PartialEq, Eq, Hash)]
struct StrEnumDecl {
    name: String,
    docs: String,
    deprecated: bool,
    variants: Option<template::RunId>,
}

impl StrEnumDecl {
    fn with_variants(&self, variants: TokenStream) -> TokenStream {
        let n = ident(&self.name);
        let d = doc(&self.docs);
        let dep = deprecated(self.deprecated);
        quote! {
            #d
            #dep
            #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
            #[non_exhaustive]
            pub enum #n {
                #variants
                /// A value this version of the client does not know, kept as sent. It
                /// cannot be built by hand: `From<&str>` gives the known variant of a known
                /// value.
                Unknown(crate::primitives::UnknownVariantValue),
            }
        }
    }
}

impl template::Shape for StrEnumDecl {
    const CONTEXT: template::Context = template::Context::Item;

    fn standin(&self, s: &mut template::Standins) -> Self {
        StrEnumDecl {
            name: s.name(&self.name),
            docs: s.doc(&self.docs),
            variants: self.variants.as_ref().map(|r| r.standin(s)),
            ..self.clone()
        }
    }

    fn tokens(&self) -> TokenStream {
        let variants = template::placeholder(self.variants.as_ref(), template::Context::Variant);
        self.with_variants(variants)
    }
}

/// A string enum's `From<&str>` (its arms a run of members) and its other
/// conversions, the same for every one but for its name and arms.
#[derive(Clone, PartialEq, Eq, Hash)]
struct EnumFrom {
    name: String,
    /// Whether a variant is deprecated (the impl then allows it).
    deprecated_variants: bool,
    arms: Option<template::RunId>,
}

impl EnumFrom {
    fn with_arms(name: &str, deprecated_variants: bool, arms: TokenStream) -> TokenStream {
        let n = ident(name);
        let allow = allow_deprecated(deprecated_variants);
        quote! {
            #allow
            impl #FROM<&str> for #n {
                fn from(v: &str) -> Self {
                    match v {
                        #arms
                        other => Self::Unknown(crate::primitives::UnknownVariantValue(#STRING::from(other))),
                    }
                }
            }
            impl #FROM<#STRING> for #n {
                fn from(v: #STRING) -> Self {
                    Self::from(v.as_str())
                }
            }
            impl ::std::str::FromStr for #n {
                type Err = ::std::convert::Infallible;
                fn from_str(s: &str) -> #RESULT<Self, Self::Err> {
                    #OK(Self::from(s))
                }
            }
            impl ::std::convert::AsRef<str> for #n {
                fn as_ref(&self) -> &str {
                    self.as_str()
                }
            }
            impl ::std::fmt::Display for #n {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
            impl #FROM<#n> for #STRING {
                fn from(v: #n) -> Self {
                    match v {
                        #n::Unknown(u) => u.0,
                        known => #STRING::from(known.as_str()),
                    }
                }
            }
        }
    }
}

impl template::Shape for EnumFrom {
    const CONTEXT: template::Context = template::Context::Item;

    fn standin(&self, s: &mut template::Standins) -> Self {
        EnumFrom {
            name: s.name(&self.name),
            arms: self.arms.as_ref().map(|r| r.standin(s)),
            ..self.clone()
        }
    }

    fn tokens(&self) -> TokenStream {
        let arms = template::placeholder(self.arms.as_ref(), template::Context::Arm);
        EnumFrom::with_arms(&self.name, self.deprecated_variants, arms)
    }
}
