//! Helpers shared by the emitters: identifiers, doc attributes and Rust types.

use self::prelude::{BOX, OPTION, STRING, VEC};
use crate::ir::{NamedKind, Type};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

/// An identifier from a name the names module produced (`r#type` becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The type of an operation's input or output shape (its Rust name), `()` for none.
pub fn shape_type(name: Option<&str>) -> TokenStream {
    match name {
        Some(n) => {
            let n = ident(n);
            quote! { crate::types::#n }
        }
        None => quote! { () },
    }
}

/// The lines of a doc comment, each with the space that follows `///`.
pub(super) fn doc_lines(text: &str) -> Vec<String> {
    crate::docs::clean_chars(text)
        .trim()
        .lines()
        .map(|l| match l.trim_end() {
            "" => String::new(),
            l => [" ", l].concat(),
        })
        .collect()
}

/// `#[doc = "..."]` attributes, one per line, from rustdoc Markdown.
pub fn doc(text: &str) -> TokenStream {
    let lines = doc_literals(text);
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "..."]` attributes, for module and crate docs.
pub fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_literals(text);
    quote! { #( #![doc = #lines] )* }
}

thread_local! {
    /// The doc comments the emitters on this thread set aside, when they do: see
    /// [`with_doc_table`].
    static DOC_TABLE: std::cell::RefCell<Option<Vec<Vec<String>>>> =
        const { std::cell::RefCell::new(None) };
}

/// The string literals of a doc comment: one per line, or, while [`with_doc_table`]
/// runs, one placeholder for them all.
fn doc_literals(text: &str) -> Vec<Literal> {
    let lines = doc_lines(text);
    if lines.is_empty() {
        return Vec::new();
    }
    match push_doc(lines) {
        Ok(n) => vec![Literal::string(&doc_placeholder(n))],
        Err(lines) => lines.iter().map(|l| Literal::string(l)).collect(),
    }
}

/// What a doc placeholder starts with (the index of its comment follows). A control
/// character: doc text never has one ([`doc_lines`] drops them), and a string literal
/// prints one escaped.
pub(super) const DOC_MARK: char = '\u{1}';

/// The placeholder of comment `n` of the table of [`with_doc_table`].
pub(super) fn doc_placeholder(n: usize) -> String {
    format!("{DOC_MARK}{n}")
}

/// The comments set aside by [`with_doc_table`]: the lines of each.
pub type DocTable = Vec<Vec<String>>;

/// Sets a comment's lines aside in the table of the running [`with_doc_table`]: its
/// index, or the lines back when none runs.
pub(super) fn push_doc(lines: Vec<String>) -> std::result::Result<usize, Vec<String>> {
    DOC_TABLE.with(|table| match table.borrow_mut().as_mut() {
        Some(table) => {
            table.push(lines);
            Ok(table.len() - 1)
        }
        None => Err(lines),
    })
}

/// Runs an emitter with its doc comments set aside: the tokens carry one
/// `#[doc = "\u{1}N"]` for comment `N` of the table returned (its lines), and
/// [`fill_docs`] puts the lines into the printed text. Docs are a good part of the
/// output: as one attribute per line, each line would be escaped by `quote`, parsed as
/// an attribute and unescaped by `syn`, unescaped again and printed by `prettyplease`;
/// a placeholder is one short attribute. `prettyplease` prints a doc attribute whose
/// value has no line break and does not start with `/` as `///` (or `//!`) and the
/// value, then a line break, whatever its length, and the attributes of an item one
/// under the other: the lines print the same in the placeholder's place, each after
/// the placeholder's indentation and `///`.
pub fn with_doc_table<R>(f: impl FnOnce() -> R) -> (R, DocTable) {
    let before = DOC_TABLE.with(|t| t.replace(Some(Vec::new())));
    let r = f();
    let table = DOC_TABLE.with(|t| t.replace(before)).unwrap_or_default();
    (r, table)
}

/// Printed text with the doc placeholders of [`with_doc_table`] replaced by the
/// lines of their comments. `None` when a placeholder is not where one prints (after
/// an indentation and `///` or `//!`, the rest of its line) or names no comment.
pub fn fill_docs(text: String, table: &[Vec<String>]) -> Option<String> {
    // (where the placeholder starts, where its line ends, the indentation and `///`
    // or `//!` before it, the lines)
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(DOC_MARK).map(|i| from + i) {
        let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
        let prefix = &text[line_start..i];
        let indent = prefix
            .strip_suffix("///")
            .or_else(|| prefix.strip_suffix("//!"))?;
        if !indent.bytes().all(|b| b == b' ') {
            return None;
        }
        let digits = i + DOC_MARK.len_utf8();
        let end = text[digits..].find('\n').map_or(text.len(), |e| digits + e);
        let lines = table.get(text[digits..end].parse::<usize>().ok()?)?;
        found.push((i, end, prefix, lines));
        from = end;
    }
    if found.is_empty() {
        return Some(text);
    }
    let added: usize = found
        .iter()
        .flat_map(|(_, _, prefix, lines)| lines.iter().map(|l| prefix.len() + 1 + l.len()))
        .sum();
    let mut out = String::with_capacity(text.len() + added);
    let mut from = 0;
    for (start, end, prefix, lines) in found {
        out.push_str(&text[from..start]);
        for (k, line) in lines.iter().enumerate() {
            if k > 0 {
                out.push('\n');
                out.push_str(prefix);
            }
            out.push_str(line);
        }
        from = end;
    }
    out.push_str(&text[from..]);
    Some(out)
}

/// A `#[deprecated]` attribute when the item is deprecated.
pub fn deprecated(is: bool) -> TokenStream {
    if is {
        quote! { #[deprecated] }
    } else {
        quote! {}
    }
}

/// `#[allow(deprecated)]` for code that uses deprecated items, when it does.
pub fn allow_deprecated(uses: bool) -> TokenStream {
    if uses {
        quote! { #[allow(deprecated)] }
    } else {
        quote! {}
    }
}

/// The Rust type of a member.
pub fn rust_type(ty: &Type) -> TokenStream {
    match ty {
        Type::Bool => quote! { bool },
        Type::Byte => quote! { i8 },
        Type::Short => quote! { i16 },
        Type::Integer => quote! { i32 },
        Type::Long => quote! { i64 },
        Type::Float => quote! { f32 },
        Type::Double => quote! { f64 },
        Type::BigInteger | Type::BigDecimal => quote! { crate::runtime::Number },
        Type::String => quote! { #STRING },
        Type::Blob => quote! { crate::runtime::Blob },
        Type::Stream => quote! { crate::runtime::ByteStream },
        Type::EventStream { union, input } => {
            let u = ident(union);
            if *input {
                quote! { crate::runtime::event_stream::EventSender<crate::types::#u> }
            } else {
                quote! { crate::runtime::event_stream::EventReceiver<crate::types::#u> }
            }
        }
        Type::Timestamp(_) => quote! { crate::runtime::DateTime },
        Type::Document => quote! { crate::runtime::Document },
        Type::List { member, sparse } => {
            let inner = rust_type(member);
            if *sparse {
                quote! { #VEC<#OPTION<#inner>> }
            } else {
                quote! { #VEC<#inner> }
            }
        }
        Type::Map { key, value, sparse } => {
            let key = rust_type(key);
            let inner = rust_type(value);
            if *sparse {
                quote! { ::std::collections::HashMap<#key, #OPTION<#inner>> }
            } else {
                quote! { ::std::collections::HashMap<#key, #inner> }
            }
        }
        Type::Named { name, .. } => {
            let n = ident(name);
            quote! { crate::types::#n }
        }
    }
}

/// The field type: boxed when the member breaks a recursive cycle.
pub fn field_type(ty: &Type, boxed: bool) -> TokenStream {
    let t = rust_type(ty);
    if boxed {
        quote! { #BOX<#t> }
    } else {
        t
    }
}

/// Whether values of the type are `Copy`.
pub fn is_copy(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Bool
            | Type::Byte
            | Type::Short
            | Type::Integer
            | Type::Long
            | Type::Float
            | Type::Double
            | Type::Timestamp(_)
    )
}

/// Whether the type can derive `Eq` and `Hash`-free comparisons (no floats inside).
pub fn has_float(ty: &Type) -> bool {
    match ty {
        Type::Float | Type::Double | Type::Document => true,
        Type::List { member, .. } => has_float(member),
        Type::Map { value, .. } => has_float(value),
        Type::Named {
            kind: NamedKind::Struct | NamedKind::Union,
            ..
        } => true,
        _ => false,
    }
}

/// The operation a crate's examples show: a paginated list or describe call when
/// there is one (what people call first), then any list or describe call, then the
/// first operation.
pub fn representative_operation<'s>(
    ops: &[&'s crate::ir::Operation],
) -> Option<&'s crate::ir::Operation> {
    let listing = |o: &&&crate::ir::Operation| {
        o.wire_name.starts_with("List") || o.wire_name.starts_with("Describe")
    };
    ops.iter()
        .filter(listing)
        .find(|o| o.paginator.as_ref().is_some_and(|p| p.items.is_some()))
        .or_else(|| ops.iter().find(listing))
        .or_else(|| ops.first())
        .copied()
}

/// The header every generated file starts with.
pub fn header(source: &str) -> String {
    format!(
        "// This file is generated by `cargo xtask codegen` from {source}.\n// Do not edit it by hand: change the model or the generator, then regenerate.\n\n"
    )
}

thread_local! {
    /// Whether the emitters on this thread write std prelude paths short (`Option`)
    /// rather than absolute (`::std::option::Option`): see [`with_short_paths`].
    static SHORT_PATHS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the running emitter writes std prelude paths short ([`with_short_paths`]).
pub(super) fn short_paths() -> bool {
    SHORT_PATHS.with(|s| s.get())
}

/// Runs an emitter with the std prelude paths ([`PreludePath`]) written short or
/// absolute. Writing them short here gives the tokens the shortening pass of the
/// renderer would make of the absolute paths, without that pass over every token.
pub fn with_short_paths<R>(short: bool, f: impl FnOnce() -> R) -> R {
    let before = SHORT_PATHS.with(|s| s.replace(short));
    let r = f();
    SHORT_PATHS.with(|s| s.set(before));
    r
}

/// A std prelude path: `::std::option::Option` or `Option` (also `::std::matches`,
/// whose `!` follows it in the emitter's tokens), as [`with_short_paths`] says.
#[derive(Clone, Copy)]
pub struct PreludePath {
    /// The path's segments after `::`.
    long: &'static [&'static str],
}

impl PreludePath {
    /// The path's segments after `::` (`std`, `option`, `Option`).
    pub fn segments(&self) -> &'static [&'static str] {
        self.long
    }

    /// The name a person writes: the last segment.
    pub fn short(&self) -> &'static str {
        self.long.last().copied().unwrap_or_default()
    }
}

impl quote::ToTokens for PreludePath {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        use proc_macro2::{Punct, Spacing};
        use quote::TokenStreamExt;
        let span = Span::call_site();
        let Some(last) = self.long.last() else {
            return;
        };
        if SHORT_PATHS.with(|s| s.get()) {
            tokens.append(Ident::new(last, span));
            return;
        }
        for part in self.long {
            tokens.append(Punct::new(':', Spacing::Joint));
            tokens.append(Punct::new(':', Spacing::Alone));
            tokens.append(Ident::new(part, span));
        }
    }
}

/// The name of the function in `codec` that reads one message of the event stream
/// union `union`.
pub fn event_fn(union: &str) -> String {
    format!("de_event_{union}")
}

/// A stream of no events of the union `union` (the builder's default): a receiver, or
/// for an input a sender.
pub fn empty_event_stream(union: &str, input: bool) -> TokenStream {
    if input {
        return quote! { crate::runtime::event_stream::EventSender::default() };
    }
    let f = ident(&event_fn(union));
    quote! {
        crate::runtime::event_stream::EventReceiver::new(crate::runtime::ByteStream::new(), crate::codec::#f)
    }
}

/// The std prelude paths the emitters write, as interpolated constants.
pub mod prelude {
    use super::PreludePath;
    macro_rules! paths {
        ($($name:ident = $($seg:ident)::+;)*) => {
            $(
                #[doc = concat!("`::", stringify!($($seg)::+), "`, or short.")]
                pub const $name: PreludePath = PreludePath { long: &[$(stringify!($seg)),+] };
            )*
            /// Every path above, a longer path before any it starts with.
            pub const ALL: &[PreludePath] = &[$($name),*];
        };
    }
    paths! {
        SOME = std::option::Option::Some;
        NONE = std::option::Option::None;
        OPTION = std::option::Option;
        OK = std::result::Result::Ok;
        ERR = std::result::Result::Err;
        RESULT = std::result::Result;
        STRING = std::string::String;
        VEC = std::vec::Vec;
        BOX = std::boxed::Box;
        DEFAULT = std::default::Default;
        INTO = std::convert::Into;
        FROM = std::convert::From;
        MATCHES = std::matches;
        WRITE = std::write;
    }
}
