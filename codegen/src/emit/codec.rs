//! The awsJson codec: a serializer per type reachable from an input, a deserializer
//! per type reachable from an output or error, and per-operation error dispatch.

use super::common::prelude::{BOX, DEFAULT, ERR, NONE, OK, RESULT, SOME, STRING, VEC};
use super::common::{allow_deprecated, ident};
use super::template;
use super::types::{default_expr, zero_expr, Fill, FillKind};
use crate::ir::{
    Binding, Field, NamedKind, Operation, Presence, Service, Struct, TimestampFormat, Type,
    TypeDef, Union,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

fn ts_format(f: TimestampFormat) -> TokenStream {
    match f {
        TimestampFormat::EpochSeconds => {
            quote! { crate::runtime::TimestampFormat::EpochSeconds }
        }
        TimestampFormat::DateTime => quote! { crate::runtime::TimestampFormat::DateTime },
        TimestampFormat::HttpDate => quote! { crate::runtime::TimestampFormat::HttpDate },
    }
}

/// A value to write: a reference to it, or a place (a field) holding it.
#[derive(Clone)]
enum Val {
    Ref(TokenStream),
    Place(TokenStream),
}

impl Val {
    /// The value itself, for `Copy` types.
    fn copied(&self) -> TokenStream {
        match self {
            Val::Ref(e) => quote! { *#e },
            Val::Place(e) => quote! { #e },
        }
    }

    /// A reference to the value.
    fn by_ref(&self) -> TokenStream {
        match self {
            Val::Ref(e) => quote! { #e },
            Val::Place(e) => quote! { &#e },
        }
    }

    /// The value as a method receiver.
    fn recv(&self) -> TokenStream {
        match self {
            Val::Ref(e) | Val::Place(e) => quote! { #e },
        }
    }
}

/// Writes one element of a list or map (`null` for a missing element of a sparse one).
fn ser_element(ty: &Type, sparse: bool, item: &proc_macro2::Ident, depth: usize) -> TokenStream {
    let inner = ser_value(ty, Val::Ref(quote! { #item }), depth + 1);
    if sparse {
        quote! {
            match #item {
                #SOME(#item) => { #inner }
                #NONE => w.null(),
            }
        }
    } else {
        inner
    }
}

/// Writes a value.
fn ser_value(ty: &Type, v: Val, depth: usize) -> TokenStream {
    match ty {
        Type::String => {
            let e = v.by_ref();
            quote! { w.string(#e); }
        }
        Type::Bool => {
            let e = v.copied();
            quote! { w.bool(#e); }
        }
        Type::Long => {
            let e = v.copied();
            quote! { w.i64(#e); }
        }
        Type::Byte | Type::Short | Type::Integer => {
            let e = v.copied();
            quote! { w.i64(i64::from(#e)); }
        }
        Type::Float => {
            let e = v.copied();
            quote! { w.f32(#e); }
        }
        Type::Double => {
            let e = v.copied();
            quote! { w.f64(#e); }
        }
        Type::BigInteger | Type::BigDecimal => {
            let e = v.by_ref();
            quote! { w.big_number(#e); }
        }
        Type::Blob => {
            let e = v.by_ref();
            quote! { w.blob(#e); }
        }
        // Never in a document: a streaming blob is the payload (lower checks).
        Type::Stream | Type::EventStream { .. } => quote! { w.null(); },
        Type::Timestamp(f) => {
            let f = ts_format(*f);
            let e = v.by_ref();
            quote! { w.timestamp(#e, #f); }
        }
        Type::Document => {
            let e = v.by_ref();
            quote! { w.document(#e); }
        }
        Type::List { member, sparse } => {
            let item = format_ident!("item{}", depth);
            let body = ser_element(member, *sparse, &item, depth);
            let e = v.recv();
            quote! {
                w.begin_array();
                for #item in #e.iter() {
                    #body
                }
                w.end_array();
            }
        }
        Type::Map { value, sparse, .. } => {
            let key = format_ident!("key{}", depth);
            let item = format_ident!("item{}", depth);
            let body = ser_element(value, *sparse, &item, depth);
            let e = v.recv();
            quote! {
                w.begin_object();
                for (#key, #item) in #e.iter() {
                    w.key(::std::convert::AsRef::<str>::as_ref(#key));
                    #body
                }
                w.end_object();
            }
        }
        Type::Named { name, kind } => match kind {
            NamedKind::Struct | NamedKind::Union => {
                let f = ident(&crate::names::derived::ser_fn(name));
                let e = v.by_ref();
                quote! { crate::codec::#f(w, #e); }
            }
            NamedKind::Enum => {
                let e = v.recv();
                quote! { w.string(#e.as_str()); }
            }
            NamedKind::IntEnum => {
                let e = v.recv();
                quote! { w.i64(i64::from(#e.value())); }
            }
        },
    }
}

/// Writes the value a reference points at (for the token codec).
pub fn ser_value_ref(ty: &Type, expr: TokenStream) -> TokenStream {
    ser_value(ty, Val::Ref(expr), 0)
}

/// Reads a value (for the token codec).
pub fn de_value_pub(ty: &Type) -> TokenStream {
    de_value(ty, 0)
}

/// `opt` (an `Option`) with `value` in place of `None`, in the form clippy likes.
pub fn fill(opt: TokenStream, value: Fill, boxed: bool) -> TokenStream {
    let Fill { expr, kind } = value;
    if boxed {
        if kind == FillKind::Fallible {
            // A recursive structure cannot be made up from nothing: its zero value
            // would contain itself. A service that leaves it out sent an invalid response.
            quote! {
                match #opt {
                    #SOME(v) => v,
                    #NONE => {
                        return #ERR(crate::runtime::json::JsonError::new(0, "a required recursive member is missing"));
                    }
                }
            }
        } else {
            quote! { #opt.unwrap_or_else(|| #BOX::new(#expr)) }
        }
    } else {
        match kind {
            FillKind::TypeDefault => quote! { #opt.unwrap_or_default() },
            FillKind::Literal => quote! { #opt.unwrap_or(#expr) },
            FillKind::Fallible => {
                quote! { match #opt { #SOME(v) => v, #NONE => #expr } }
            }
            FillKind::Other => quote! { #opt.unwrap_or_else(|| #expr) },
        }
    }
}

/// An expression that reads one value of the type (`p` is the parser).
fn de_value(ty: &Type, depth: usize) -> TokenStream {
    match ty {
        Type::String => quote! { p.string()? },
        Type::Bool => quote! { p.bool()? },
        Type::Byte => quote! { p.i8()? },
        Type::Short => quote! { p.i16()? },
        Type::Integer => quote! { p.i32()? },
        Type::Long => quote! { p.i64()? },
        Type::Float => quote! { p.f32()? },
        Type::Double => quote! { p.f64()? },
        Type::BigInteger | Type::BigDecimal => quote! { p.big_number()? },
        Type::Blob => quote! { p.blob()? },
        Type::Stream => quote! { { p.skip()?; crate::runtime::ByteStream::new() } },
        Type::EventStream { union, input } => {
            let empty = super::common::empty_event_stream(union, *input);
            quote! { { p.skip()?; #empty } }
        }
        Type::Timestamp(f) => {
            let f = ts_format(*f);
            quote! { p.timestamp(#f)? }
        }
        Type::Document => quote! { p.document()? },
        Type::List { member, sparse } => {
            let v = format_ident!("list{}", depth);
            let inner = de_value(member, depth + 1);
            let on_null = if *sparse {
                quote! { #v.push(#NONE); }
            } else {
                quote! {}
            };
            let push = if *sparse {
                quote! { #v.push(#SOME(#inner)); }
            } else {
                quote! { #v.push(#inner); }
            };
            quote! {
                {
                    let mut #v = #VEC::new();
                    p.begin_array()?;
                    while p.next_item(&mut #v)? {
                        if p.null()? {
                            #on_null
                        } else {
                            #push
                        }
                    }
                    #v
                }
            }
        }
        Type::Map { key, value, sparse } => {
            let m = format_ident!("map{}", depth);
            let k = format_ident!("key{}", depth);
            let inner = de_value(value, depth + 1);
            let own_key = match &**key {
                Type::Named { name, .. } => {
                    let n = ident(name);
                    quote! { let #k = crate::types::#n::from(&*#k); }
                }
                _ => quote! { let #k = #k.into_owned(); },
            };
            let on_null = if *sparse {
                quote! { #m.insert(#k, #NONE); }
            } else {
                quote! { let _ = #k; }
            };
            let insert = if *sparse {
                quote! { #m.insert(#k, #SOME(#inner)); }
            } else {
                quote! { #m.insert(#k, #inner); }
            };
            quote! {
                {
                    let mut #m = ::std::collections::HashMap::new();
                    p.begin_object()?;
                    while let #SOME(#k) = p.next_key()? {
                        #own_key
                        if p.null()? {
                            #on_null
                        } else {
                            #insert
                        }
                    }
                    #m
                }
            }
        }
        Type::Named { name, kind } => {
            let n = ident(name);
            match kind {
                NamedKind::Struct | NamedKind::Union => {
                    let f = ident(&crate::names::derived::de_fn(name));
                    quote! { crate::codec::#f(p)? }
                }
                NamedKind::Enum => quote! { crate::types::#n::from(&*p.str()?) },
                NamedKind::IntEnum => quote! { crate::types::#n::from(p.i32()?) },
            }
        }
    }
}

/// Writes members of the structure `v` as keys and values of a JSON object (an
/// unset optional member is left out).
pub fn ser_members<'a>(fields: impl IntoIterator<Item = &'a Field>) -> TokenStream {
    template::members(ser_member_shapes(fields))
}

fn ser_member_shapes<'a, I: IntoIterator<Item = &'a Field>>(
    fields: I,
) -> impl Iterator<Item = SerMember> + use<'a, I> {
    fields
        .into_iter()
        .filter(|field| !matches!(field.ty, Type::Stream | Type::EventStream { .. }))
        .map(|field| SerMember {
            ident: field.ident.clone(),
            wire: field.json_name.clone(),
            optional: field.presence == Presence::Optional,
            ty: field.ty.clone(),
        })
}

/// What [`ser_members`] writes for a member.
#[derive(Clone, PartialEq, Eq, Hash)]
struct SerMember {
    ident: String,
    wire: String,
    optional: bool,
    ty: Type,
}

impl template::Shape for SerMember {
    const CONTEXT: template::Context = template::Context::Statement;

    fn standin(&self, s: &mut template::Standins) -> Self {
        SerMember {
            ident: s.name(&self.ident),
            wire: s.literal(&self.wire),
            optional: self.optional,
            ty: s.ty(&self.ty),
        }
    }

    fn tokens(&self) -> TokenStream {
        let id = ident(&self.ident);
        let wire = self.wire.as_str();
        if self.optional {
            let write = ser_value(&self.ty, Val::Ref(quote! { value }), 0);
            quote! {
                if let #SOME(value) = &v.#id {
                    w.key(#wire);
                    #write
                }
            }
        } else {
            let write = ser_value(&self.ty, Val::Place(quote! { v.#id }), 0);
            quote! {
                w.key(#wire);
                #write
            }
        }
    }
}

fn ser_struct(s: &Struct) -> TokenStream {
    let shape = SerStruct {
        name: s.name.clone(),
        ser_fn: s.ser_fn.clone(),
        deprecated: s.uses_deprecated(),
        uses_v: ser_member_shapes(&s.fields).next().is_some(),
        members: None,
    };
    match template::run(ser_member_shapes(&s.fields)) {
        Ok(run) => template::members([SerStruct {
            members: run,
            ..shape
        }]),
        Err(tokens) => shape.with_members(tokens),
    }
}

/// A structure's serializer, its member statements a run of members inside it.
#[derive(Clone, PartialEq, Eq, Hash)]
struct SerStruct {
    name: String,
    ser_fn: String,
    /// Whether it uses deprecated members (and allows it).
    deprecated: bool,
    /// Whether it reads the value (it has members).
    uses_v: bool,
    members: Option<template::RunId>,
}

impl SerStruct {
    fn with_members(&self, members: TokenStream) -> TokenStream {
        let n = ident(&self.name);
        let f = ident(&self.ser_fn);
        let allow = allow_deprecated(self.deprecated);
        let v = if self.uses_v {
            quote! { v }
        } else {
            quote! { _v }
        };
        quote! {
            #allow
            #[inline]
            pub(crate) fn #f(w: &mut crate::runtime::json::Writer, #v: &crate::types::#n) {
                w.begin_object();
                #members
                w.end_object();
            }
        }
    }
}

impl template::Shape for SerStruct {
    const CONTEXT: template::Context = template::Context::Item;

    fn standin(&self, s: &mut template::Standins) -> Self {
        SerStruct {
            name: s.name(&self.name),
            ser_fn: s.name(&self.ser_fn),
            members: self.members.as_ref().map(|r| r.standin(s)),
            ..self.clone()
        }
    }

    fn tokens(&self) -> TokenStream {
        let members = template::placeholder(self.members.as_ref(), template::Context::Statement);
        self.with_members(members)
    }
}

fn de_struct(s: &Struct) -> TokenStream {
    let parser = DeStruct {
        name: s.name.clone(),
        de_fn: s.de_fn.clone(),
        builder: s.builder.clone(),
        deprecated: s.uses_deprecated(),
        meta: s.error.is_some(),
        arms: None,
        inits: None,
    };
    if s.fields.is_empty() {
        return parser.with_parts(None);
    }
    let message_ident = s.message_field.as_ref().map(|(i, _)| i.clone());
    if let Some(tokens) = de_struct_member(s, &parser, message_ident.as_ref()) {
        return tokens;
    }
    let arms = de_arms(&s.fields, message_ident.as_ref());
    let inits = struct_inits(s);
    parser.with_parts(Some((arms, quote! { #( #inits )* })))
}

/// The parser of a structure with members as one member (see [`DeStruct`]), when its
/// arms and the fields of its literal can be set aside: each field takes a form
/// [`FieldInit`] knows, and its literal is wider than `prettyplease` keeps on a line.
fn de_struct_member(
    s: &Struct,
    parser: &DeStruct,
    message_ident: Option<&String>,
) -> Option<TokenStream> {
    if !literal_breaks(s) {
        return None;
    }
    let inits = field_inits(s, Receiver::Parsed, s.error.is_some())?;
    let arms = template::run(de_arm_shapes(&s.fields, message_ident)).ok()?;
    let inits = template::run(inits).ok()?;
    Some(template::members([DeStruct {
        arms,
        inits,
        ..parser.clone()
    }]))
}

/// A structure's parser: its arms and the fields of the structure literal it ends with
/// are runs of members of their own.
#[derive(Clone, PartialEq, Eq, Hash)]
struct DeStruct {
    name: String,
    de_fn: String,
    builder: String,
    /// Whether it reads deprecated members (and allows it).
    deprecated: bool,
    /// Whether the structure is an error (its metadata comes after the fields).
    meta: bool,
    arms: Option<template::RunId>,
    inits: Option<template::RunId>,
}

impl template::Shape for DeStruct {
    const CONTEXT: template::Context = template::Context::Item;

    fn standin(&self, s: &mut template::Standins) -> Self {
        DeStruct {
            name: s.name(&self.name),
            de_fn: s.name(&self.de_fn),
            builder: s.name(&self.builder),
            arms: self.arms.as_ref().map(|r| r.standin(s)),
            inits: self.inits.as_ref().map(|r| r.standin(s)),
            ..self.clone()
        }
    }

    fn tokens(&self) -> TokenStream {
        let arms = template::placeholder(self.arms.as_ref(), template::Context::Arm);
        let inits = template::placeholder(self.inits.as_ref(), template::Context::FieldValue);
        self.with_parts(Some((arms, inits)))
    }
}

impl DeStruct {
    /// The parser with `read`: the arms that read the members into the builder `b` and
    /// the fields of the literal made from it; `None` for a structure without members,
    /// which skips its object.
    fn with_parts(&self, read: Option<(TokenStream, TokenStream)>) -> TokenStream {
        let n = ident(&self.name);
        let f = ident(&self.de_fn);
        let allow = allow_deprecated(self.deprecated);
        let meta = meta_init(self.meta);
        let body = match read {
            // Members are read into the structure's builder: one local to drop on an
            // error path instead of one per member keeps the generated code small.
            Some((arms, inits)) => {
                let builder = ident(&self.builder);
                // The keys in the order the service writes them, learned from the
                // first object: the later ones are read without scanning their keys.
                quote! {
                    static ORDER: crate::runtime::json::KeyOrder = crate::runtime::json::KeyOrder::new();
                    let mut b = crate::types::builders::#builder::default();
                    p.begin_object()?;
                    let mut keys = ORDER.cursor();
                    while let #SOME(key) = p.next_key_in(&mut keys)? {
                        match &*key {
                            #arms
                            _ => p.skip()?,
                        }
                    }
                    #OK(crate::types::#n {
                        #inits
                        #meta
                    })
                }
            }
            None => quote! {
                p.skip()?;
                #OK(crate::types::#n { #meta })
            },
        };
        quote! {
            #allow
            #[inline]
            pub(crate) fn #f(p: &mut crate::runtime::json::Parser<'_>) -> #RESULT<crate::types::#n, crate::runtime::json::JsonError> {
                #body
            }
        }
    }
}

/// Whether `prettyplease` lays the structure literal of `s` (`crate::types::Name { ..
/// }` with a field for each member) out a field a line whatever its values: it does
/// when the literal is wider than 34 bytes, and each field is at least its name twice
/// (`name: b.name`).
pub fn literal_breaks(s: &Struct) -> bool {
    let fields: usize = s.fields.iter().map(|f| 2 * f.ident.len() + 4).sum();
    "crate::types::".len() + s.name.len() + " {".len() + fields > 34
}

/// Where a structure literal's values come from.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Receiver {
    /// The builder's `build(self)`.
    Builder,
    /// A parser's builder `b`.
    Parsed,
}

/// A field of a structure literal made from a builder, in one of the forms most fields
/// take.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct FieldInit {
    ident: String,
    receiver: Receiver,
    form: InitForm,
    /// Whether no field comes after it.
    last: bool,
}

/// What a [`FieldInit`] puts in its field.
#[derive(Clone, PartialEq, Eq, Hash)]
enum InitForm {
    /// The builder's value as it is.
    Plain,
    /// The builder's value, or the type's default.
    OrDefault,
    /// The builder's value (in `Some` when `some`), or the error that names the
    /// structure and the member.
    Missing {
        structure: String,
        wire: String,
        some: bool,
    },
}

/// The fields of the structure literal of `s` from `receiver`, when each takes a form
/// [`FieldInit`] knows (the same tokens [`struct_inits`] and a builder's `build` make);
/// `meta` when a field comes after them.
pub fn field_inits(s: &Struct, receiver: Receiver, meta: bool) -> Option<Vec<FieldInit>> {
    let or_default = |fill: Fill, boxed: bool| -> Option<InitForm> {
        (fill.kind == FillKind::TypeDefault && !boxed).then_some(InitForm::OrDefault)
    };
    let missing = |f: &Field, some: bool| InitForm::Missing {
        structure: s.name.clone(),
        wire: f.wire_name.clone(),
        some,
    };
    let n = s.fields.len();
    s.fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let form = match (receiver, &f.presence) {
                (Receiver::Parsed, Presence::Optional) => InitForm::Plain,
                (Receiver::Parsed, Presence::Required) => or_default(zero_expr(&f.ty), f.boxed)?,
                (_, Presence::Default(v)) => or_default(default_expr(&f.ty, v), f.boxed)?,
                (Receiver::Builder, _) if f.idempotency_token => return None,
                (Receiver::Builder, Presence::Optional) if f.must_set => missing(f, true),
                (Receiver::Builder, Presence::Optional) if f.build_default.is_some() => {
                    return None
                }
                (Receiver::Builder, Presence::Optional) => InitForm::Plain,
                (Receiver::Builder, Presence::Required) => missing(f, false),
            };
            Some(FieldInit {
                ident: f.ident.clone(),
                receiver,
                form,
                last: i + 1 == n && !meta,
            })
        })
        .collect()
}

impl template::Shape for FieldInit {
    const CONTEXT: template::Context = template::Context::FieldValue;

    fn standin(&self, s: &mut template::Standins) -> Self {
        FieldInit {
            ident: s.name(&self.ident),
            form: match &self.form {
                InitForm::Missing {
                    structure,
                    wire,
                    some,
                } => InitForm::Missing {
                    structure: s.literal(structure),
                    wire: s.literal(wire),
                    some: *some,
                },
                form => form.clone(),
            },
            receiver: self.receiver,
            last: self.last,
        }
    }

    fn tokens(&self) -> TokenStream {
        let id = ident(&self.ident);
        let place = match self.receiver {
            Receiver::Builder => quote! { self.#id },
            Receiver::Parsed => quote! { b.#id },
        };
        let value = match &self.form {
            InitForm::Plain => place,
            InitForm::OrDefault => quote! { #place.unwrap_or_default() },
            InitForm::Missing {
                structure,
                wire,
                some,
            } => {
                let value = missing_member(place, structure, wire);
                if *some {
                    quote! { #SOME(#value) }
                } else {
                    value
                }
            }
        };
        quote! { #id: #value, }
    }

    fn context(&self) -> template::Context {
        if self.last {
            template::Context::LastFieldValue
        } else {
            template::Context::FieldValue
        }
    }
}

/// The last field of an error structure's literal, its (empty) metadata; nothing for
/// other structures.
pub fn meta_init(error: bool) -> TokenStream {
    if error {
        quote! { _meta: #DEFAULT::default(), }
    } else {
        quote! {}
    }
}

/// A required member's value from a builder's `place`, or the error that names the
/// structure and the member (by its wire name).
pub fn missing_member(place: TokenStream, structure: &str, wire: &str) -> TokenStream {
    quote! {
        #place.ok_or_else(|| crate::runtime::BuildError::missing(#structure, #wire))?
    }
}

/// The match arms that read members of a JSON object into the builder `b` (`p` is
/// the parser, the key already read).
pub fn de_arms<'a>(
    fields: impl IntoIterator<Item = &'a Field>,
    message_ident: Option<&String>,
) -> TokenStream {
    template::members(de_arm_shapes(fields, message_ident))
}

/// The members [`de_arms`] reads.
fn de_arm_shapes<'a>(
    fields: impl IntoIterator<Item = &'a Field>,
    message_ident: Option<&String>,
) -> Vec<DeArm> {
    fields
        .into_iter()
        .filter(|field| !matches!(field.ty, Type::Stream | Type::EventStream { .. }))
        .map(|field| DeArm {
            ident: field.ident.clone(),
            wire: field.json_name.clone(),
            boxed: field.boxed,
            message: Some(&field.ident) == message_ident,
            ty: field.ty.clone(),
        })
        .collect()
}

/// What [`de_arms`] reads for a member.
#[derive(Clone, PartialEq, Eq, Hash)]
struct DeArm {
    ident: String,
    wire: String,
    boxed: bool,
    /// Whether the member is the error message, read from `message` or `Message`.
    message: bool,
    ty: Type,
}

impl template::Shape for DeArm {
    const CONTEXT: template::Context = template::Context::Arm;

    fn standin(&self, s: &mut template::Standins) -> Self {
        DeArm {
            ident: s.name(&self.ident),
            wire: s.literal(&self.wire),
            ty: s.ty(&self.ty),
            boxed: self.boxed,
            message: self.message,
        }
    }

    fn tokens(&self) -> TokenStream {
        let fid = ident(&self.ident);
        let id = quote! { b.#fid };
        let wire = self.wire.as_str();
        let read = de_value(&self.ty, 0);
        let read = if self.boxed {
            quote! { #BOX::new(#read) }
        } else {
            read
        };
        // Error messages come as `message` or `Message`, whatever the model says.
        let pattern = if self.message {
            quote! { "message" | "Message" }
        } else {
            quote! { #wire }
        };
        let simple = match &self.ty {
            Type::String => Some(quote! { p.opt_string()? }),
            Type::Bool => Some(quote! { p.opt_bool()? }),
            Type::Long => Some(quote! { p.opt_i64()? }),
            Type::Integer => Some(quote! { p.opt_i32()? }),
            Type::Timestamp(f) => {
                let f = ts_format(*f);
                Some(quote! { p.opt_timestamp(#f)? })
            }
            _ => None,
        };
        match simple {
            Some(read) if !self.boxed => quote! { #pattern => #id = #read, },
            _ => quote! {
                #pattern => {
                    if !p.null()? {
                        #id = #SOME(#read);
                    }
                }
            },
        }
    }
}

/// `Ok` of the structure made from its builder `b` (see [`struct_inits`]), with empty
/// error metadata for an error structure: the end of a parser.
pub fn from_builder(s: &Struct) -> TokenStream {
    let n = ident(&s.name);
    let inits = struct_inits(s);
    let meta = meta_init(s.error.is_some());
    quote! {
        #OK(crate::types::#n {
            #( #inits )*
            #meta
        })
    }
}

/// The fields of a structure literal made from the builder `b`: optional members as
/// they are, required members the service left out as their zero value, members with
/// a default as the default (Smithy's client error correction).
pub fn struct_inits(s: &Struct) -> Vec<TokenStream> {
    s.fields
        .iter()
        .map(|field| {
            let name = ident(&field.ident);
            let id = quote! { b.#name };
            let value = match &field.presence {
                Presence::Optional => quote! { #id },
                Presence::Required => fill(quote! { #id }, zero_expr(&field.ty), field.boxed),
                Presence::Default(d) => {
                    fill(quote! { #id }, default_expr(&field.ty, d), field.boxed)
                }
            };
            quote! { #name: #value, }
        })
        .collect()
}

fn ser_union(u: &Union) -> TokenStream {
    let n = ident(&u.name);
    let f = ident(&u.ser_fn);
    let arms = u.variants.iter().map(|v| {
        let id = ident(&v.ident);
        let wire = v.json_name.as_str();
        match &v.ty {
            Some(t) => {
                let write = ser_value(t, Val::Ref(quote! { value }), 0);
                quote! {
                    crate::types::#n::#id(value) => {
                        w.key(#wire);
                        #write
                    }
                }
            }
            None => quote! {
                crate::types::#n::#id => {
                    w.key(#wire);
                    w.begin_object();
                    w.end_object();
                }
            },
        }
    });
    let name = u.name.as_str();
    quote! {
        #[inline]
        pub(crate) fn #f(w: &mut crate::runtime::json::Writer, v: &crate::types::#n) {
            w.begin_object();
            match v {
                #( #arms )*
                crate::types::#n::Unknown => w.unknown_variant(#name),
            }
            w.end_object();
        }
    }
}

fn de_union(u: &Union) -> TokenStream {
    let n = ident(&u.name);
    let f = ident(&u.de_fn);
    let arms = u.variants.iter().map(|v| {
        let id = ident(&v.ident);
        let wire = v.json_name.as_str();
        match &v.ty {
            Some(t) => {
                let read = de_value(t, 0);
                let read = if v.boxed {
                    quote! { #BOX::new(#read) }
                } else {
                    read
                };
                quote! { #wire => crate::types::#n::#id(#read), }
            }
            None => quote! {
                #wire => {
                    p.skip()?;
                    crate::types::#n::#id
                }
            },
        }
    });
    quote! {
        #[inline]
        pub(crate) fn #f(p: &mut crate::runtime::json::Parser<'_>) -> #RESULT<crate::types::#n, crate::runtime::json::JsonError> {
            let mut out = #NONE;
            p.begin_object()?;
            while let #SOME(key) = p.next_key()? {
                if p.null()? || &*key == "__type" {
                    if &*key == "__type" {
                        p.skip()?;
                    }
                    continue;
                }
                let value = match &*key {
                    #( #arms )*
                    _ => {
                        p.skip()?;
                        crate::types::#n::Unknown
                    }
                };
                if out.is_none() || value != crate::types::#n::Unknown {
                    out = #SOME(value);
                }
            }
            #OK(out.unwrap_or(crate::types::#n::Unknown))
        }
    }
}

/// Reads an error structure from an error body, with the metadata already read;
/// gives the metadata back if the body does not have the structure's shape.
fn error_struct(s: &Struct) -> TokenStream {
    template::members([ErrorStructFn {
        error_fn: s.error_fn.clone(),
        type_name: s.name.clone(),
        de_fn: s.de_fn.clone(),
    }])
}

/// What [`error_struct`] writes for a structure.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ErrorStructFn {
    error_fn: String,
    type_name: String,
    de_fn: String,
}

impl template::Shape for ErrorStructFn {
    const CONTEXT: template::Context = template::Context::Item;

    fn standin(&self, s: &mut template::Standins) -> Self {
        ErrorStructFn {
            error_fn: s.name(&self.error_fn),
            type_name: s.name(&self.type_name),
            de_fn: s.name(&self.de_fn),
        }
    }

    fn tokens(&self) -> TokenStream {
        error_struct_fn(self)
    }
}

fn error_struct_fn(s: &ErrorStructFn) -> TokenStream {
    let n = ident(&s.type_name);
    let f = ident(&s.error_fn);
    let de = ident(&s.de_fn);
    quote! {
        #[inline]
        fn #f(meta: crate::runtime::ErrorMetadata, body: &[u8]) -> #RESULT<crate::types::#n, crate::runtime::ErrorMetadata> {
            match crate::runtime::json::parse_body(body, #de) {
                #OK(mut error) => {
                    error._meta = meta;
                    #OK(error)
                }
                #ERR(_) => #ERR(meta),
            }
        }
    }
}

/// The arm of an operation's error dispatch for one of its errors: the error's code
/// (and its awsQuery-compatible code) to its variant, parsed.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ErrorArm {
    code: String,
    query_code: Option<String>,
    error_enum: String,
    variant: String,
    type_name: String,
}

impl template::Shape for ErrorArm {
    const CONTEXT: template::Context = template::Context::Arm;

    fn standin(&self, s: &mut template::Standins) -> Self {
        ErrorArm {
            code: s.literal(&self.code),
            query_code: self.query_code.as_ref().map(|q| s.literal(q)),
            error_enum: s.name(&self.error_enum),
            variant: s.name(&self.variant),
            type_name: s.name(&self.type_name),
        }
    }

    fn tokens(&self) -> TokenStream {
        let code = self.code.as_str();
        let e = ident(&self.error_enum);
        let variant = ident(&self.variant);
        let parse = ident(&crate::names::derived::error_struct_fn(&self.type_name));
        let pattern = match &self.query_code {
            Some(q) => quote! { #code | #q },
            None => quote! { #code },
        };
        quote! {
            #pattern => match #parse(meta, body) {
                #OK(error) => crate::error::#e::#variant(error),
                #ERR(meta) => crate::error::#e::Unhandled(crate::runtime::Unhandled::new(meta)),
            },
        }
    }
}

fn error_dispatch(op: &Operation) -> TokenStream {
    let arms = op.errors.iter().map(|err| ErrorArm {
        code: err.code.clone(),
        query_code: err.query_code.clone().filter(|q| *q != err.code),
        error_enum: op.error_enum.clone(),
        variant: err.variant.clone(),
        type_name: err.type_name.clone(),
    });
    let dispatch = ErrorDispatch {
        error_fn: op.error_fn.clone(),
        error_enum: op.error_enum.clone(),
        has_errors: !op.errors.is_empty(),
        arms: None,
    };
    match template::run(arms) {
        Ok(arms) => template::members([ErrorDispatch { arms, ..dispatch }]),
        Err(arms) => dispatch.with_arms(arms),
    }
}

/// An operation's error dispatch: the arms for its errors, a run of members.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ErrorDispatch {
    error_fn: String,
    error_enum: String,
    has_errors: bool,
    arms: Option<template::RunId>,
}

impl template::Shape for ErrorDispatch {
    const CONTEXT: template::Context = template::Context::Item;

    fn standin(&self, s: &mut template::Standins) -> Self {
        ErrorDispatch {
            error_fn: s.name(&self.error_fn),
            error_enum: s.name(&self.error_enum),
            has_errors: self.has_errors,
            arms: self.arms.as_ref().map(|r| r.standin(s)),
        }
    }

    fn tokens(&self) -> TokenStream {
        self.with_arms(template::placeholder(
            self.arms.as_ref(),
            template::Context::Arm,
        ))
    }
}

impl ErrorDispatch {
    fn with_arms(&self, arms: TokenStream) -> TokenStream {
        let f = ident(&self.error_fn);
        let e = ident(&self.error_enum);
        let body_arg = if self.has_errors {
            quote! { body }
        } else {
            quote! { _body }
        };
        quote! {
            #[inline]
            pub(crate) fn #f(meta: crate::runtime::ErrorMetadata, #body_arg: &[u8]) -> crate::error::#e {
                match meta.code().unwrap_or_default() {
                    #arms
                    _ => crate::error::#e::Unhandled(crate::runtime::Unhandled::new(meta)),
                }
            }
        }
    }
}

/// The zero value of a structure (Smithy's client error correction for a required
/// member the service left out): its required members zero, its defaults filled, the
/// rest unset. Fails only for a structure that requires itself (through a box).
fn zero_struct(s: &Struct) -> TokenStream {
    let n = ident(&s.name);
    let f = ident(&crate::names::derived::zero_fn(&s.name));
    let builder = ident(&s.builder);
    let built = from_builder(s);
    let vars = if s.fields.is_empty() {
        quote! {}
    } else {
        quote! { let b = crate::types::builders::#builder::default(); }
    };
    let allow = allow_deprecated(s.uses_deprecated());
    quote! {
        #allow
        pub(crate) fn #f() -> #RESULT<crate::types::#n, crate::runtime::json::JsonError> {
            #vars
            #built
        }
    }
}

/// The structures whose zero value the parsers need: the targets of required
/// structure members of what is parsed (every structure with a parser, and the
/// operations' outputs).
fn zeroed_structs(service: &Service) -> std::collections::BTreeSet<&str> {
    let outputs: std::collections::BTreeSet<&str> = service
        .operations
        .iter()
        .filter_map(|o| o.output.as_deref())
        .collect();
    let mut out = std::collections::BTreeSet::new();
    for t in &service.types {
        let TypeDef::Struct(s) = t else { continue };
        if !(s.codec.de || outputs.contains(s.name.as_str())) {
            continue;
        }
        for f in &s.fields {
            if let (
                Presence::Required | Presence::Default(_),
                Type::Named {
                    name,
                    kind: NamedKind::Struct,
                },
            ) = (&f.presence, &f.ty)
            {
                out.insert(name.as_str());
            }
        }
    }
    out
}

/// The private `codec` module.
pub fn codec_module(service: &Service) -> TokenStream {
    codec_module_part(service, &service.types, true, true)
}

/// Part of the `codec` module, for emitting and rendering it in parallel: the
/// functions of these types; the first part also has the module's docs and
/// attributes, the last the operations' error dispatch. In order, the parts of
/// [`split_codec`] make [`codec_module`].
pub fn codec_module_part(
    service: &Service,
    types: &[TypeDef],
    first: bool,
    last: bool,
) -> TokenStream {
    let mut items = Vec::new();
    let zeroed = zeroed_structs(service);
    for t in types {
        match t {
            TypeDef::Struct(s) => {
                if s.codec.ser {
                    items.push(ser_struct(s));
                }
                if s.codec.de {
                    items.push(de_struct(s));
                }
                // (An error only an event stream carries is read as an event.)
                let operation_error = || {
                    service
                        .operations
                        .iter()
                        .any(|o| o.errors.iter().any(|e| e.type_name == s.name))
                };
                if s.codec.de && s.error.is_some() && operation_error() {
                    items.push(error_struct(s));
                }
                if zeroed.contains(s.name.as_str()) {
                    items.push(zero_struct(s));
                }
            }
            TypeDef::Union(u) => {
                if u.codec.ser {
                    items.push(ser_union(u));
                }
                if u.codec.de {
                    items.push(de_union(u));
                }
            }
            TypeDef::Enum(_) => {}
        }
    }
    if last {
        for op in &service.operations {
            items.push(error_dispatch(op));
        }
        items.extend(event_stream_fns(service));
        items.extend(event_marshal_impls(service));
    }
    if !first {
        return quote! { #( #items )* };
    }
    // With HTTP bindings, an operation's input and output are read and written member
    // by member (labels, headers, body); their whole-structure functions serve only
    // where the structure is also nested, so some are unused.
    let bindings = if service.protocol == Some(crate::ir::Protocol::RestJson1) {
        quote! { #![allow(dead_code)] }
    } else {
        quote! {}
    };
    quote! {
        //! Serializers and deserializers of JSON documents, for the JSON protocols.
        #![allow(deprecated, non_snake_case, unused_mut, clippy::match_single_binding, clippy::redundant_closure)]
        #bindings
        #( #items )*
    }
}

/// The structure an event stream union's member carries, when it is one (the other
/// members carry nothing: `Unit`).
fn event_struct<'s>(service: &'s Service, v: &crate::ir::Variant) -> Option<&'s Struct> {
    match &v.ty {
        Some(Type::Named {
            name,
            kind: NamedKind::Struct,
        }) => service.find_struct(name),
        _ => None,
    }
}

/// The unions the service's outputs stream as events, or (`sent`) its inputs.
fn event_unions(service: &Service, sent: bool) -> Vec<&crate::ir::Union> {
    let names = if sent {
        service.sent_event_unions()
    } else {
        service.event_stream_unions()
    };
    service
        .types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Union(u) if names.contains(u.name.as_str()) => Some(u),
            _ => None,
        })
        .collect()
}

/// For each event stream union, the function that reads one message of the stream:
/// an event of one of its members (`:event-type`), an exception of one of its `@error`
/// members (`:exception-type`), or the error the message is. An event's `@eventHeader`
/// members come from the message's headers; its `@eventPayload` member is the whole
/// payload, or else its other members are the payload's JSON object.
fn event_stream_fns(service: &Service) -> Vec<TokenStream> {
    let de_fn_of = |name: &str| -> Option<proc_macro2::Ident> {
        service.types.iter().find_map(|t| match t {
            TypeDef::Struct(s) if s.name == name => Some(ident(&s.de_fn)),
            TypeDef::Union(u) if u.name == name => Some(ident(&u.de_fn)),
            _ => None,
        })
    };
    event_unions(service, false)
        .into_iter()
        .map(|u| {
            let un = ident(&u.name);
            let f = ident(&super::common::event_fn(&u.name));
            let arms = u.variants.iter().map(|v| {
                let vid = ident(&v.ident);
                let wire = v.wire_name.as_str();
                let Some(st) = event_struct(service, v) else {
                    // Not a structure: only a Unit member, which carries nothing.
                    return match &v.ty {
                        None => quote! { es::Kind::Event(#wire) => #OK(crate::types::#un::#vid), },
                        Some(_) => quote! {},
                    };
                };
                let sn = ident(&st.name);
                let header_value = |fd: &Field| -> TokenStream {
                    let wire = fd.wire_name.as_str();
                    let read = match &fd.ty {
                        Type::Named { name, kind: NamedKind::Enum } => {
                            let e = ident(name);
                            quote! { es::header::<#STRING, crate::types::#un>(m, #wire)?.map(|s| crate::types::#e::from(s.as_str())) }
                        }
                        Type::Bool | Type::Byte | Type::Short | Type::Integer | Type::Long
                        | Type::String | Type::Blob | Type::Timestamp(_) => {
                            let t = super::common::rust_type(&fd.ty);
                            quote! { es::header::<#t, crate::types::#un>(m, #wire)? }
                        }
                        _ => quote! { #NONE },
                    };
                    match fd.presence {
                        Presence::Optional => read,
                        Presence::Required => quote! {
                            #read.ok_or_else(|| es::EventStreamError::Malformed(#STRING::from(concat!("the event has no `", #wire, "` header"))))?
                        },
                        Presence::Default(_) => quote! { #read.unwrap_or_default() },
                    }
                };
                let payload = st.fields.iter().find(|fd| fd.binding == Binding::EventPayload);
                let value = match payload {
                    Some(pf) => {
                        let read = match &pf.ty {
                            Type::String => quote! { es::payload_str(m)? },
                            Type::Blob => quote! { es::payload_blob(m) },
                            Type::Named { name, kind: NamedKind::Enum } => {
                                let e = ident(name);
                                quote! { crate::types::#e::from(es::payload_str(m)?.as_str()) }
                            }
                            Type::Named { name, kind: NamedKind::Struct | NamedKind::Union } => match de_fn_of(name) {
                                Some(de) => quote! {
                                    crate::runtime::json::parse_body(m.payload(), |p| #de(p)).map_err(|e| es::malformed(#wire, e))?
                                },
                                None => quote! { #DEFAULT::default() },
                            },
                            _ => quote! { #DEFAULT::default() },
                        };
                        let read = if pf.boxed { quote! { #BOX::new(#read) } } else { read };
                        let read = if pf.presence == Presence::Optional { quote! { #SOME(#read) } } else { read };
                        let inits = st.fields.iter().map(|fd| {
                            let id = ident(&fd.ident);
                            if std::ptr::eq(fd, pf) {
                                quote! { #id: #read, }
                            } else if fd.binding == Binding::EventHeader {
                                let h = header_value(fd);
                                quote! { #id: #h, }
                            } else {
                                quote! { #id: #DEFAULT::default(), }
                            }
                        });
                        quote! { crate::types::#sn { #( #inits )* } }
                    }
                    None => {
                        let de = ident(&st.de_fn);
                        let sets = st.fields.iter().filter(|fd| fd.binding == Binding::EventHeader).map(|fd| {
                            let id = ident(&fd.ident);
                            let h = header_value(fd);
                            quote! { v.#id = #h; }
                        });
                        let parsed = quote! {
                            crate::runtime::json::parse_body(m.payload(), |p| #de(p)).map_err(|e| es::malformed(#wire, e))?
                        };
                        if st.fields.iter().any(|fd| fd.binding == Binding::EventHeader) {
                            quote! {{
                                let mut v = #parsed;
                                #( #sets )*
                                v
                            }}
                        } else {
                            parsed
                        }
                    }
                };
                let value = if v.boxed { quote! { #BOX::new(#value) } } else { value };
                if st.error.is_some() {
                    quote! {
                        es::Kind::Exception(#wire) => #ERR(es::EventStreamError::Modeled {
                            event: #BOX::new(crate::types::#un::#vid(#value)),
                            code: #STRING::from(#wire),
                        }),
                    }
                } else {
                    quote! { es::Kind::Event(#wire) => #OK(crate::types::#un::#vid(#value)), }
                }
            });
            let doc = format!("Reads one message of a `{}` event stream.", u.name);
            quote! {
                #[doc = #doc]
                pub(crate) fn #f(
                    m: &crate::runtime::event_stream::Message,
                ) -> #RESULT<crate::types::#un, crate::runtime::event_stream::EventStreamError<crate::types::#un>> {
                    use crate::runtime::event_stream as es;
                    match es::kind(m)? {
                        #( #arms )*
                        // An event this version of the client does not know.
                        es::Kind::Event(_) => #OK(crate::types::#un::Unknown),
                        es::Kind::Exception(other) => #ERR(es::unknown_exception(m, other)),
                    }
                }
            }
        })
        .collect()
}

/// The types in at most `n` runs of about the same amount of codec code; a single
/// run for few types.
pub fn split_codec(types: &[TypeDef], n: usize) -> Vec<&[TypeDef]> {
    // About how much code a type makes: a structure's member is written and read.
    let weight = |t: &TypeDef| -> usize {
        let sides = |c: &crate::ir::Codec| usize::from(c.ser) + usize::from(c.de);
        match t {
            TypeDef::Struct(s) => sides(&s.codec) * (100 + 200 * s.fields.len()),
            TypeDef::Union(u) => sides(&u.codec) * (100 + 200 * u.variants.len()),
            TypeDef::Enum(_) => 0,
        }
    };
    super::split_runs(types, n, weight)
}

/// For each union an input streams, how its events become messages: an event of a
/// member is `:event-type` its name (an `@error` member's, `:message-type: exception`
/// and `:exception-type` its name), its `@eventHeader` members headers of their
/// types, and its payload the `@eventPayload` member (bytes as they are, text, or a
/// JSON document) or else a JSON object of its other members, if it has any.
fn event_marshal_impls(service: &Service) -> Vec<TokenStream> {
    event_unions(service, true)
        .into_iter()
        .map(|u| {
            let un = ident(&u.name);
            let arms = u.variants.iter().map(|v| {
                let vid = ident(&v.ident);
                let wire = v.wire_name.as_str();
                let Some(st) = event_struct(service, v) else {
                    return match &v.ty {
                        None => quote! {
                            crate::types::#un::#vid => #OK(es::Message::new_from_parts(es::event_headers(#wire), #VEC::new())),
                        },
                        // Only structures and Unit are event members (validation).
                        Some(_) => quote! {
                            crate::types::#un::#vid(_) => #ERR(#STRING::from(concat!("the `", #wire, "` event is not a structure"))),
                        },
                    };
                };
                // An `@error` member is sent as an exception.
                let start = if st.error.is_some() {
                    quote! { es::exception_headers(#wire) }
                } else {
                    quote! { es::event_headers(#wire) }
                };
                let headers = st.fields.iter().filter(|fd| fd.binding == Binding::EventHeader).map(|fd| {
                    let id = ident(&fd.ident);
                    let name = fd.wire_name.as_str();
                    let value = match &fd.ty {
                        Type::Named { kind: NamedKind::Enum, .. } => quote! { &#STRING::from(x.as_str()) },
                        Type::Bool | Type::Byte | Type::Short | Type::Integer | Type::Long
                        | Type::String | Type::Blob | Type::Timestamp(_) => quote! { x },
                        // Validation allows no other header types.
                        _ => return quote! {},
                    };
                    match fd.presence {
                        Presence::Optional => quote! {
                            if let #SOME(x) = &v.#id { headers.push(es::to_header(#name, #value)); }
                        },
                        _ => quote! {{ let x = &v.#id; headers.push(es::to_header(#name, #value)); }},
                    }
                });
                let explicit = st.fields.iter().find(|fd| fd.binding == Binding::EventPayload);
                let body_fields: Vec<&Field> = st
                    .fields
                    .iter()
                    .filter(|fd| fd.binding != Binding::EventHeader && fd.binding != Binding::EventPayload)
                    .collect();
                let payload = match explicit {
                    Some(pf) => {
                        let id = ident(&pf.ident);
                        let (bytes, content_type) = match &pf.ty {
                            Type::Blob => (quote! { x.as_ref().to_vec() }, "application/octet-stream"),
                            Type::String => (quote! { x.as_bytes().to_vec() }, "text/plain"),
                            Type::Named { kind: NamedKind::Enum, .. } => (quote! { x.as_str().as_bytes().to_vec() }, "text/plain"),
                            ty => {
                                let write = ser_value_ref(ty, quote! { x });
                                (
                                    quote! {{
                                        let mut writer = crate::runtime::json::Writer::new();
                                        {
                                            let w = &mut writer;
                                            #write
                                        }
                                        writer.body().map_err(|e| e.to_string())?
                                    }},
                                    "application/json",
                                )
                            }
                        };
                        let rebind = if pf.boxed { quote! { let x = &**x; } } else { quote! {} };
                        let set = quote! {
                            headers.push(es::content_type(#content_type));
                            #bytes
                        };
                        match pf.presence {
                            Presence::Optional => quote! {
                                let payload = match &v.#id {
                                    #SOME(x) => { #rebind #set }
                                    #NONE => #VEC::new(),
                                };
                            },
                            _ => quote! {
                                let payload = { let x = &v.#id; #rebind #set };
                            },
                        }
                    }
                    None if !body_fields.is_empty() => {
                        let members = ser_members(body_fields.iter().copied());
                        quote! {
                            headers.push(es::content_type("application/json"));
                            let payload = {
                                let mut writer = crate::runtime::json::Writer::new();
                                {
                                    let w = &mut writer;
                                    w.begin_object();
                                    #members
                                    w.end_object();
                                }
                                writer.body().map_err(|e| e.to_string())?
                            };
                        }
                    }
                    None => quote! { let payload: #VEC<u8> = #VEC::new(); },
                };
                // An event with no members reads nothing of its value.
                let binding = if st.fields.is_empty() { quote! { _ } } else { quote! { v } };
                let rebind = if v.boxed && !st.fields.is_empty() {
                    quote! { let v = &**v; }
                } else {
                    quote! {}
                };
                quote! {
                    crate::types::#un::#vid(#binding) => {
                        #rebind
                        let mut headers = #start;
                        #payload
                        #( #headers )*
                        #OK(es::Message::new_from_parts(headers, payload))
                    }
                }
            });
            quote! {
                impl crate::runtime::event_stream::MarshalEvent for crate::types::#un {
                    fn marshal(&self) -> #RESULT<crate::runtime::event_stream::Message, #STRING> {
                        use crate::runtime::event_stream as es;
                        match self {
                            #( #arms )*
                            crate::types::#un::Unknown => #ERR(#STRING::from(
                                "the `Unknown` event (read from a response) cannot be sent",
                            )),
                        }
                    }
                }
            }
        })
        .collect()
}
