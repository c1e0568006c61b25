//! Emitters: one module per kind of item, each a function from IR to tokens; this
//! module lays the files out and renders them with `prettyplease`.

mod client;
pub mod codec;
pub mod common;
mod endpoint_tests;
mod paginators;
pub mod protocol;
mod protocol_tests;
mod template;
mod types;
mod waiters;

use crate::error::{Error, Result};
use crate::ir::{Service, TypeDef};
use crate::{Layout, Output};
use common::prelude::STRING;
use proc_macro2::{TokenStream, TokenTree};
use quote::quote;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

pub use client::{client_module, error_module, operation_module};
pub use codec::codec_module;
pub use paginators::paginators_lib;
pub use types::types_module;

/// Whether generated code may use the short prelude names: only when no generated
/// item is named like one of them.
pub fn can_shorten(service: &Service) -> bool {
    let taken: std::collections::BTreeSet<String> = service
        .types
        .iter()
        .map(|t| t.name().to_string())
        .chain(service.operations.iter().flat_map(|o| {
            [
                o.type_name.clone(),
                format!("{}Error", o.type_name),
                format!("{}FluentBuilder", o.type_name),
                format!("{}Paginator", o.type_name),
            ]
        }))
        .collect();
    !common::prelude::ALL
        .iter()
        .any(|path| taken.contains(path.short()))
}

/// Renders tokens as a Rust file with the generated-file header, in one piece; with
/// `short`, std prelude paths are written the way a person would. ([`emit`] renders
/// files piece by piece, and in parts, with the same result.)
pub fn render(file: &str, source: &str, tokens: TokenStream, short: bool) -> Result<String> {
    let err = |e: syn::Error| Error::Render {
        file: file.to_string(),
        message: e.to_string(),
    };
    let text = unparse(tokens, file.ends_with("lib.rs"), short).map_err(err)?;
    Ok(format!("{}{}", common::header(source), space_items(&text)))
}

/// Parses and prints a whole file (or a piece of one); with `short`, std prelude
/// paths are written the way a person would.
fn unparse(tokens: TokenStream, skip_fmt: bool, short: bool) -> syn::Result<String> {
    let tokens = if short { shorten(tokens) } else { tokens };
    let mut parsed: syn::File = syn::parse2(tokens)?;
    if skip_fmt {
        skip_rustfmt(&mut parsed);
    }
    Ok(prettyplease::unparse(&parsed))
}

/// The types in at most `n` runs of about the same weight, in order; a single run
/// for few types (fewer than eight a run).
fn split_runs(types: &[TypeDef], n: usize, weight: impl Fn(&TypeDef) -> usize) -> Vec<&[TypeDef]> {
    let total: usize = types.iter().map(&weight).sum();
    if n < 2 || types.len() < 8 * n || total == 0 {
        return vec![types];
    }
    let mut runs = Vec::with_capacity(n);
    let (mut start, mut sum) = (0, 0);
    for (i, t) in types.iter().enumerate() {
        sum += weight(t);
        if sum * n >= total * (runs.len() + 1) && runs.len() + 1 < n {
            runs.push(&types[start..=i]);
            start = i + 1;
        }
    }
    runs.push(&types[start..]);
    runs
}

/// Printed text of a file, or of a part of one, each text already spaced by
/// [`space_items`] on its own.
enum Piece {
    /// Items, as printed.
    Text(String),
    /// A module printed item by item: its head (attributes, `pub mod name {` and inner
    /// attributes) and its items; the closing `}` follows.
    Module { head: String, body: String },
}

/// Puts printed pieces together after `head` (the file's header), spaced as
/// [`space_items`] would space the whole: a file's own pieces in order; the parts of
/// a file made in parts ([`types::types_module_part`], [`codec::codec_module_part`])
/// as the items of every part, then, when they have one, one module with the module
/// items of every part. `None` when the parts are not in that shape.
fn join(head: String, parts: Vec<Vec<Piece>>) -> Option<String> {
    // Every text must end a line, for the blank lines to go where they meet.
    let whole_lines = |t: &String| t.is_empty() || t.ends_with('\n');
    let all_whole = parts.iter().flatten().all(|p| match p {
        Piece::Text(t) => whole_lines(t),
        Piece::Module { head, body } => whole_lines(head) && whole_lines(body),
    });
    if !all_whole {
        return None;
    }
    // Sized once: a big file's text would otherwise be copied as it grows (and every
    // copy touches fresh memory).
    let len: usize = parts
        .iter()
        .flatten()
        .map(|p| match p {
            Piece::Text(t) => t.len() + 1,
            Piece::Module { head, body } => head.len() + body.len() + 4,
        })
        .sum();
    let mut out = head;
    out.reserve(len + 2);
    if parts.len() == 1 {
        for piece in parts.iter().flatten() {
            match piece {
                Piece::Text(t) => push_spaced(&mut out, t),
                Piece::Module { head, body } => {
                    push_spaced(&mut out, head);
                    push_spaced(&mut out, body);
                    push_spaced(&mut out, "}\n");
                }
            }
        }
        return Some(out);
    }
    // In every part, its items, then its part of the one module; the items of all
    // parts come first, then the module with the items of every part.
    let mut module_head: Option<&String> = None;
    for part in &parts {
        let mut module_seen = false;
        for piece in part {
            match piece {
                Piece::Text(_) if module_seen => return None,
                Piece::Text(_) => {}
                Piece::Module { head, .. } => {
                    module_seen = true;
                    match module_head {
                        None => module_head = Some(head),
                        Some(h) if h == head => {}
                        Some(_) => return None,
                    }
                }
            }
        }
    }
    for piece in parts.iter().flatten() {
        if let Piece::Text(t) = piece {
            push_spaced(&mut out, t);
        }
    }
    // Parts without a module (the codec's) are their items.
    let Some(head) = module_head else {
        return Some(out);
    };
    push_spaced(&mut out, head);
    for piece in parts.iter().flatten() {
        if let Piece::Module { body, .. } = piece {
            if !body.is_empty() {
                push_spaced(&mut out, body);
            }
        }
    }
    push_spaced(&mut out, "}\n");
    Some(out)
}

/// Prints a file item by item, and the items of a module (`pub mod builders { ... }`)
/// one by one, which prints the same text as the whole file at once: `prettyplease`
/// ends every item with a hard line break, so no item's layout depends on another.
/// Small pieces keep what the shortening, parser and printer touch in the
/// processor's caches (a big file's tokens and syntax tree take tens of megabytes at
/// once). The texts are spaced ([`space_items`]) here, on the worker threads. The
/// tokens carry placeholders for the doc comments and members of `set_aside`
/// ([`template::set_aside`]).
///
/// `None` when a piece does not parse (the split is by tokens, before parsing) or
/// prints in an unexpected shape: the caller then prints the file in one piece, which
/// also reports the error as it should. A crate root goes in one piece: it is small,
/// and its items get `#[rustfmt::skip]`.
fn render_pieces(
    file: &str,
    tokens: TokenStream,
    set_aside: &template::SetAside,
    templates: &template::Templates,
) -> Option<Vec<Piece>> {
    // Printed with the members and doc comments set aside put back.
    let print = |tokens: TokenStream, skip_fmt: bool| -> Option<String> {
        template::fill(unparse(tokens, skip_fmt, false).ok()?, set_aside, templates)
    };
    let text = |tokens: TokenStream, skip_fmt: bool| -> Option<Piece> {
        let text = print(tokens, skip_fmt)?;
        Some(Piece::Text(space_items(&text)))
    };
    if file.ends_with("lib.rs") {
        return Some(vec![text(tokens, true)?]);
    }
    let (inner, items) = split_items(tokens);
    if items.len() < 2 {
        let mut all = inner;
        all.extend(items.into_iter().flatten());
        return Some(vec![text(all.into_iter().collect(), false)?]);
    }
    // An item printed inside a stand-in module, without its first and last lines.
    let in_module = |item: Vec<TokenTree>| -> Option<String> {
        let mut text = match placeholder_text(&item) {
            // As the printer has it, without parsing and printing it.
            Some(p) => template::fill(format!("mod m {{\n    {p}\n}}\n"), set_aside, templates)?,
            None => print(with_body(vec![keyword("mod"), keyword("m")], item), false)?,
        };
        // The lines between, cut out in place.
        if !(text.starts_with("mod m {\n") && text.ends_with("}\n")) || text.len() < 10 {
            return None;
        }
        text.truncate(text.len() - 2);
        text.drain(.."mod m {\n".len());
        Some(text)
    };
    let mut pieces = Vec::new();
    let mut inner = Some(inner);
    for item in items {
        // The file's inner attributes go with its first item.
        let mut piece = inner.take().unwrap_or_default();
        piece.extend(item);
        match split_module(piece) {
            Ok((head, body_inner, body_items)) => {
                // The head is what the module with its first item prints before that
                // item does.
                let mut body_items = body_items.into_iter();
                let first_item = body_items.next().unwrap_or_default();
                let mut first = body_inner;
                first.extend(first_item.iter().cloned());
                let with_first = print(with_body(head, first), false)?;
                let first_text = in_module(first_item)?;
                let head = with_first
                    .strip_suffix("}\n")?
                    .strip_suffix(first_text.as_str())?;
                let head = space_items(head);
                // The items' texts are spaced as one text, without copying them
                // into one first.
                let mut texts = vec![first_text];
                for item in body_items {
                    texts.push(in_module(item)?);
                }
                let body = space_lines(&texts);
                pieces.push(Piece::Module { head, body });
            }
            Err(piece) => match placeholder_text(&piece) {
                Some(p) => {
                    let text = template::fill(format!("{p}\n"), set_aside, templates)?;
                    pieces.push(Piece::Text(space_items(&text)));
                }
                None => pieces.push(text(piece.into_iter().collect(), false)?),
            },
        }
    }
    Some(pieces)
}

/// The text of an item that is only a member placeholder (`__member_text!(N);`, see
/// [`template`]), as the printer prints it.
fn placeholder_text(item: &[TokenTree]) -> Option<String> {
    let [TokenTree::Ident(name), TokenTree::Punct(bang), TokenTree::Group(args), TokenTree::Punct(semi)] =
        item
    else {
        return None;
    };
    if name != "__member_text"
        || bang.as_char() != '!'
        || semi.as_char() != ';'
        || args.delimiter() != proc_macro2::Delimiter::Parenthesis
    {
        return None;
    }
    let mut inner = args.stream().into_iter();
    match (inner.next(), inner.next()) {
        (Some(TokenTree::Literal(n)), None) => Some(format!("__member_text!({n});")),
        _ => None,
    }
}

/// The value behind `m`, also when a thread panicked while holding it (the caller
/// then reports the panic).
pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn keyword(word: &str) -> TokenTree {
    TokenTree::Ident(proc_macro2::Ident::new(
        word,
        proc_macro2::Span::call_site(),
    ))
}

/// `head { body }`.
fn with_body(head: Vec<TokenTree>, body: Vec<TokenTree>) -> TokenStream {
    let mut all = head;
    all.push(TokenTree::Group(proc_macro2::Group::new(
        proc_macro2::Delimiter::Brace,
        body.into_iter().collect(),
    )));
    all.into_iter().collect()
}

/// A module item with items inside, as its head (`pub mod name`) and the inner
/// attributes and items of its body; any other item as it was.
#[allow(clippy::type_complexity)]
fn split_module(
    mut piece: Vec<TokenTree>,
) -> std::result::Result<(Vec<TokenTree>, Vec<TokenTree>, Vec<Vec<TokenTree>>), Vec<TokenTree>> {
    let n = piece.len();
    let is_mod = n >= 3
        && matches!(&piece[n - 1], TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Brace)
        && matches!(&piece[n - 2], TokenTree::Ident(_))
        && matches!(&piece[n - 3], TokenTree::Ident(i) if i == "mod");
    if !is_mod {
        return Err(piece);
    }
    let Some(TokenTree::Group(g)) = piece.pop() else {
        return Err(piece);
    };
    // Without the group, its stream is the only holder of the tokens, which are then
    // moved, not copied.
    let (span, stream) = (g.span(), g.stream());
    drop(g);
    let (body_inner, body_items) = split_items(stream);
    if body_items.is_empty() {
        let mut g = proc_macro2::Group::new(
            proc_macro2::Delimiter::Brace,
            body_inner.into_iter().collect(),
        );
        g.set_span(span);
        piece.push(TokenTree::Group(g));
        return Err(piece);
    }
    Ok((piece, body_inner, body_items))
}

/// The inner attributes (`#![...]`) at the start of a file or module body, and the
/// items after them: each item ends at a `;` or a `{ ... }` (with the `;` that may
/// follow it) outside any group.
fn split_items(tokens: TokenStream) -> (Vec<TokenTree>, Vec<Vec<TokenTree>>) {
    let is_punct = |t: &TokenTree, c: char| matches!(t, TokenTree::Punct(p) if p.as_char() == c);
    let mut inner = Vec::new();
    let mut items = Vec::new();
    let mut item = Vec::new();
    let mut it = tokens.into_iter().peekable();
    while let Some(t) = it.next() {
        if items.is_empty()
            && item.is_empty()
            && is_punct(&t, '#')
            && it.peek().is_some_and(|n| is_punct(n, '!'))
        {
            inner.push(t);
            inner.extend(it.next());
            inner.extend(it.next());
            continue;
        }
        let brace =
            matches!(&t, TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Brace);
        let end = brace || is_punct(&t, ';');
        item.push(t);
        if end {
            if brace && it.peek().is_some_and(|n| is_punct(n, ';')) {
                item.extend(it.next());
            }
            items.push(std::mem::take(&mut item));
        }
    }
    if !item.is_empty() {
        items.push(item);
    }
    (inner, items)
}

/// The std prelude paths the emitters write ([`common::prelude::ALL`]), as the
/// identifiers after the leading `::` and the short name, longer paths first.
fn prelude_patterns() -> Vec<(Vec<&'static str>, &'static str)> {
    common::prelude::ALL
        .iter()
        .map(|path| (path.segments().to_vec(), path.short()))
        .collect()
}

/// Writes `::std::option::Option` and the other prelude paths as a person would
/// (`Option`), on the tokens themselves: no round trip through text.
///
/// The tokens are taken apart by value: a group's stream is read after the group is
/// gone, so it is moved rather than copied token by token (proc-macro2 shares a
/// group's stream, and reading a shared one clones every token in it).
fn shorten(tokens: TokenStream) -> TokenStream {
    use proc_macro2::{Group, Ident};
    fn is_colon2(tt: &[TokenTree], i: usize) -> bool {
        matches!((tt.get(i), tt.get(i + 1)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && b.as_char() == ':')
    }
    /// The short name and the end of the prelude path that starts at `i`, if one does.
    fn prelude_path(
        tt: &[TokenTree],
        i: usize,
        patterns: &[(Vec<&'static str>, &'static str)],
    ) -> Option<(usize, &'static str)> {
        // The generator writes these paths only as absolute paths (`::std::...`), and
        // they all start with `::std`: most `::` are not followed by it.
        let std = matches!(tt.get(i + 2), Some(TokenTree::Ident(id)) if id == "std");
        if !std || !is_colon2(tt, i) {
            return None;
        }
        // Longer paths come first (`Option::Some` before `Option`).
        patterns.iter().find_map(|(parts, short)| {
            let mut j = i;
            for part in parts {
                match (is_colon2(tt, j), tt.get(j + 2)) {
                    (true, Some(TokenTree::Ident(id))) if id == part => j += 3,
                    _ => return None,
                }
            }
            Some((j, *short))
        })
    }
    fn walk(tokens: TokenStream, patterns: &[(Vec<&'static str>, &'static str)]) -> TokenStream {
        let mut tt: Vec<TokenTree> = tokens.into_iter().collect();
        // Rewritten in place: `w` never passes `i`.
        let mut w = 0;
        let mut i = 0;
        while i < tt.len() {
            if let Some((j, short)) = prelude_path(&tt, i, patterns) {
                let span = tt[j - 1].span();
                tt[w] = TokenTree::Ident(Ident::new(short, span));
                w += 1;
                i = j;
                continue;
            }
            if matches!(tt[i], TokenTree::Group(_)) {
                // A cheap stand-in while the group is taken apart.
                let placeholder =
                    TokenTree::Punct(proc_macro2::Punct::new('.', proc_macro2::Spacing::Alone));
                if let TokenTree::Group(g) = std::mem::replace(&mut tt[i], placeholder) {
                    let (delimiter, span, stream) = (g.delimiter(), g.span(), g.stream());
                    drop(g);
                    let mut ng = Group::new(delimiter, walk(stream, patterns));
                    ng.set_span(span);
                    tt[i] = TokenTree::Group(ng);
                }
            }
            tt.swap(w, i);
            w += 1;
            i += 1;
        }
        tt.truncate(w);
        tt.into_iter().collect()
    }
    static PATTERNS: std::sync::OnceLock<Vec<(Vec<&'static str>, &'static str)>> =
        std::sync::OnceLock::new();
    walk(tokens, PATTERNS.get_or_init(prelude_patterns))
}

/// Puts a blank line between consecutive items, and after the module docs, as
/// hand-written Rust has (prettyplease writes items back to back).
fn space_items(text: &str) -> String {
    space_lines(std::slice::from_ref(&text))
}

/// [`space_items`] of the texts one after another, each of whole lines.
fn space_lines<T: AsRef<str>>(texts: &[T]) -> String {
    let len: usize = texts.iter().map(|t| t.as_ref().len()).sum();
    let split_line = texts.iter().rev().skip(1).any(|t| {
        let t = t.as_ref();
        !t.is_empty() && !t.ends_with('\n')
    });
    if split_line {
        // A text that ends inside a line goes on with the next one's first line.
        return space_items(&texts.iter().map(|t| t.as_ref()).collect::<String>());
    }
    let mut out = String::with_capacity(len + len / 16);
    let mut prev: Option<&str> = None;
    for line in texts.iter().flat_map(|t| t.as_ref().lines()) {
        if prev.is_some_and(|p| blank_between(p, line)) {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}

/// Appends text that went through [`space_items`] on its own to text that did too,
/// with the blank line [`space_items`] would put where they meet: together they are
/// what [`space_items`] makes of both at once.
fn push_spaced(out: &mut String, text: &str) {
    if let (Some(before), Some(first)) = (out.strip_suffix('\n'), text.lines().next()) {
        let last = before.rsplit('\n').next().unwrap_or(before);
        if blank_between(last, first) {
            out.push('\n');
        }
    }
    out.push_str(text);
}

/// Whether [`space_items`] puts a blank line between these two lines.
fn blank_between(p: &str, line: &str) -> bool {
    const STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "pub(",
        "impl",
        "fn ",
        "const ",
        "static ",
        "struct ",
        "enum ",
        "mod ",
        "use ",
        "type ",
        "trait ",
        "async fn ",
        "unsafe ",
    ];
    let pt = trim_indent(p);
    // After the module docs.
    if pt.starts_with("//!") {
        let t = trim_indent(line);
        return !t.starts_with("//!") && !t.is_empty();
    }
    // Between items at the same level, but not between `use` items. Most lines end no
    // item: the line after them is not looked at.
    let pte = pt.trim_end();
    let ends_item = matches!(pte, "}" | "};") || (pte.ends_with(';') && !pt.starts_with("//"));
    if !ends_item {
        return false;
    }
    let t = trim_indent(line);
    if !STARTS.iter().any(|s| t.starts_with(s)) {
        return false;
    }
    let same_level = p.len() - pt.len() == line.len() - t.len();
    let item_after_use = pt.starts_with("pub use") || pt.starts_with("use ");
    let use_after_use = item_after_use
        && (t.starts_with("pub use") || t.starts_with("use ") || t.starts_with("#[rustfmt::skip]"));
    same_level && !use_after_use
}

/// `line.trim_start()`, quicker on the spaces that indent printed code (it decodes and
/// classifies every character).
fn trim_indent(line: &str) -> &str {
    let spaces = line.bytes().take_while(|&b| b == b' ').count();
    line[spaces..].trim_start()
}

/// Marks every item of a crate root `#[rustfmt::skip]` (a crate root cannot carry
/// `#![rustfmt::skip]` on stable Rust), so that `cargo fmt` leaves generated code,
/// and the module files declared there, alone.
fn skip_rustfmt(file: &mut syn::File) {
    for item in &mut file.items {
        let attrs = match item {
            syn::Item::Const(i) => &mut i.attrs,
            syn::Item::Enum(i) => &mut i.attrs,
            syn::Item::Fn(i) => &mut i.attrs,
            syn::Item::Impl(i) => &mut i.attrs,
            syn::Item::Mod(i) => &mut i.attrs,
            syn::Item::Static(i) => &mut i.attrs,
            syn::Item::Struct(i) => &mut i.attrs,
            syn::Item::Trait(i) => &mut i.attrs,
            syn::Item::Type(i) => &mut i.attrs,
            syn::Item::Use(i) => &mut i.attrs,
            _ => continue,
        };
        attrs.push(syn::parse_quote!(#[rustfmt::skip]));
    }
}

/// The package name of the runtime crate the generated crates depend on: the one place
/// it is written. Generated code names the runtime as `crate::runtime` (the client
/// crate re-exports it under that name) or `::<client>::runtime`.
pub const RUNTIME_CRATE: &str = "smithy-runtime";

fn lib_rs(service: &Service) -> TokenStream {
    let runtime_crate = common::ident(&RUNTIME_CRATE.replace('-', "_"));
    let docs = common::inner_doc(&service.docs);
    let ops: Vec<&crate::ir::Operation> = service.operations.iter().collect();
    let usage = match common::representative_operation(&ops) {
        Some(op) => format!(
            "\n\n# Usage\n\n```no_run\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\nlet client = {}::Client::from_env();\nlet request = client.{}();\n// Set the input's members on `request`, then:\nlet _output = request.send().await;\n# Ok(())\n# }}\n```",
            service.lib_name,
            crate::names::unraw(&op.fn_name)
        ),
        None => String::new(),
    };
    let speaks = match service.protocol {
        Some(p) => format!("It speaks the {} protocol.", protocol::emitter(p).name()),
        None => "It has no operations (its service speaks a protocol this generator does not support yet): it resolves the service's endpoints.".to_string(),
    };
    let intro = format!(
        "A client for {} (API version {}), generated from its Smithy model. {speaks}{usage}",
        service.title, service.version,
    );
    let left_out = if service.left_out.is_empty() {
        String::new()
    } else {
        let lines: Vec<String> = service
            .left_out
            .iter()
            .map(|(op, why)| format!("- `{op}`: {why}"))
            .collect();
        format!(
            "\n\n# Operations left out\n\nThese operations of the model are not in this crate yet:\n\n{}",
            lines.join("\n")
        )
    };
    let intro = common::inner_doc(&format!("{intro}{left_out}"));
    // The receiver of an output's event stream, and the error a stream ends in; the
    // sender of an input's.
    let mut event_stream_types = TokenStream::new();
    if !service.event_stream_unions().is_empty() {
        event_stream_types.extend(
            quote! { pub use crate::runtime::event_stream::{EventReceiver, EventStreamError}; },
        );
    }
    if !service.sent_event_unions().is_empty() {
        event_stream_types.extend(quote! { pub use crate::runtime::event_stream::EventSender; });
    }
    // The waiters, and the error a wait ends in.
    let waiter_mod = if waiters::has_waiters(service) {
        event_stream_types
            .extend(quote! { pub use crate::runtime::waiter::{LastPoll, WaiterError}; });
        quote! { mod waiters; }
    } else {
        quote! {}
    };
    quote! {
        #intro
        #![doc = ""]
        #docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #![allow(clippy::large_enum_variant, clippy::too_many_arguments, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::should_implement_trait, clippy::module_inception)]

        pub mod client;
        mod codec;
        pub mod error;
        pub mod operation;
        #waiter_mod
        pub mod types;

        pub use crate::runtime::{Config, ConfigBuilder, Credentials, RetryConfig, RetryMode, TimeoutConfig};
        pub use client::Client;

        /// Value types of the Smithy data model: timestamps, blobs, documents, big
        /// numbers, and the byte streams of streaming payloads.
        pub mod primitives {
            pub use crate::runtime::{Blob, ByteStream, ByteStreamError, DateTime, Document, Number, TimestampFormat};
            #event_stream_types

            /// A string enum value this version of the client does not know, as the
            /// service sent it. Only the client makes these.
            #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
            pub struct UnknownVariantValue(pub(crate) #STRING);

            impl UnknownVariantValue {
                /// The value as the service sent it.
                pub fn as_str(&self) -> &str {
                    &self.0
                }
            }

            impl ::std::fmt::Display for UnknownVariantValue {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(&self.0)
                }
            }

            /// An intEnum value this version of the client does not know, as the service
            /// sent it. Only the client makes these.
            #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
            pub struct UnknownIntVariantValue(pub(crate) i32);

            impl UnknownIntVariantValue {
                /// The value as the service sent it.
                pub fn value(&self) -> i32 {
                    self.0
                }
            }
        }

        /// Configuration and the HTTP transport: everything a custom transport names
        /// (`Transport`, `Request`, `Response`, `ByteStream`, `Bytes`, `TransportError`, the `http`
        /// crate) is here, so that it needs no other dependency.
        pub mod config {
            pub use crate::runtime::transport::{http, BoxFuture, ByteStream, Bytes, Request, Response, Transport, TransportError, TransportErrorKind};
            pub use crate::runtime::{Config, ConfigBuilder, Credentials, RetryConfig, RetryMode, TimeoutConfig};
        }

        #[doc(hidden)]
        pub use ::#runtime_crate as runtime;
    }
}

/// `text` for the inside of a TOML basic string (`"..."`): double quotes become
/// single ones, backslashes and control characters are escaped.
fn toml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push('\''),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

fn cargo_toml(service: &Service, layout: &Layout) -> String {
    format!(
        r#"# This file is generated by `cargo xtask codegen`. Do not edit it by hand.
[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
rust-version = "1.80"
description = "A client for {title}, generated from its Smithy model"
license = "Apache-2.0"
publish = false

[features]
default = [{defaults}]
# The default HTTP transport over TLS (hyper + rustls).
rustls = ["{rt}/rustls"]
# The default HTTP transport, plain HTTP only.
hyper = ["{rt}/hyper"]
# HTTP/2 in the default transport, with servers that offer it over TLS{http2_note}.
http2 = ["{rt}/http2"]
# Credentials from the official `aws-config` default chain (SSO, web identity,
# container and instance credentials, `credential_process`, assumed roles).
aws-config = ["{rt}/aws-config"]
# Conversions between timestamps and the `time` and `chrono` crates.
time = ["{rt}/time"]
chrono = ["{rt}/chrono"]

[dependencies]
{rt} = {{ path = "{runtime}", default-features = false, features = [{runtime_features}] }}

[dev-dependencies]
tokio = {{ version = "1", features = ["macros", "rt-multi-thread", "net", "io-util", "time"] }}
{test_deps}"#,
        name = service.crate_name,
        title = toml_text(&service.title),
        runtime = layout.runtime_path,
        rt = RUNTIME_CRATE,
        runtime_features = runtime_features(service),
        test_deps = test_deps(service, layout),
        defaults = default_features(service),
        http2_note = if sends_events(service) {
            " (the\n# service's input event streams need it)"
        } else {
            ""
        },
    )
}

/// Whether an operation of the service sends an event stream: AWS serves those over
/// HTTP/2 only.
fn sends_events(service: &Service) -> bool {
    !service.sent_event_unions().is_empty()
}

/// The default features of a client crate (and its paginators'): TLS, and HTTP/2 when
/// the service takes input event streams.
fn default_features(service: &Service) -> &'static str {
    if sends_events(service) {
        r#""rustls", "http2""#
    } else {
        r#""rustls""#
    }
}

/// The runtime features a client needs: its protocol's, and the parts only some
/// operations use (gzip, MD5, file bodies, waiters), so that a crate compiles no more.
fn runtime_features(service: &Service) -> String {
    let mut features: Vec<&str> = service
        .protocol
        .map(|p| protocol::emitter(p).runtime_feature())
        .into_iter()
        .collect();
    let ops = &service.operations;
    if ops.iter().any(|o| o.request_compression) {
        features.push("compression");
    }
    if ops.iter().any(|o| o.checksum_required) {
        features.push("checksum-md5");
    }
    if !service.event_stream_unions().is_empty() || !service.sent_event_unions().is_empty() {
        features.push("event-stream");
    }
    if waiters::has_waiters(service) {
        features.push("waiters");
    }
    let streams_in = ops.iter().any(|o| {
        o.input
            .as_ref()
            .and_then(|i| service.find_struct(i))
            .is_some_and(|s| s.fields.iter().any(|f| f.ty == crate::ir::Type::Stream))
    });
    if streams_in {
        features.push("fs");
    }
    features
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn test_deps(service: &Service, layout: &Layout) -> String {
    if layout.test_deps || protocol_tests::has_tests(service) || !service.endpoint_tests.is_empty()
    {
        format!(
            "{} = {{ path = \"{}\", features = [\"test-util\"] }}\nproptest = \"1\"\n",
            RUNTIME_CRATE, layout.runtime_path
        )
    } else {
        String::new()
    }
}

fn paginators_cargo_toml(service: &Service, layout: &Layout) -> String {
    format!(
        r#"# This file is generated by `cargo xtask codegen`. Do not edit it by hand.
[package]
name = "{name}-paginators"
version = "0.1.0"
edition = "2021"
rust-version = "1.80"
description = "Paginators for the {title} client"
license = "Apache-2.0"
publish = false

[features]
default = [{defaults}]
rustls = ["{name}/rustls"]
hyper = ["{name}/hyper"]
http2 = ["{name}/http2"]

[dependencies]
{name} = {{ path = "../{name}", default-features = false }}
{rt} = {{ path = "{runtime}", default-features = false, features = ["client"] }}
futures-core = "0.3"

[dev-dependencies]
tokio = {{ version = "1", features = ["macros", "rt-multi-thread", "net", "io-util", "time"] }}
futures-util = {{ version = "0.3", default-features = false }}
{bench_deps}{test_deps}"#,
        name = service.crate_name,
        title = toml_text(&service.title),
        runtime = layout.runtime_path,
        rt = RUNTIME_CRATE,
        test_deps = if layout.test_deps {
            test_deps(service, layout)
        } else {
            String::new()
        },
        defaults = default_features(service),
        bench_deps = if layout.test_deps {
            "bytes = \"1\"\nhttp = \"1\"\n"
        } else {
            ""
        },
    )
}

/// Emits every file for a service: the client crate and the paginator crate.
pub fn emit(service: &Service, layout: &Layout) -> Result<Output> {
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    emit_with(
        service,
        layout,
        true,
        if workers > 1 { 2 * workers } else { 1 },
    )
}

/// [`emit`], with the files printed piece by piece (`pieces_wanted`), or each in one piece
/// from the emitters' own tokens, nothing set aside (which tests compare); the big
/// modules (types, codec) made in up to `runs` parts.
fn emit_with(
    service: &Service,
    layout: &Layout,
    pieces_wanted: bool,
    runs: usize,
) -> Result<Output> {
    let mut out = Output {
        files: Default::default(),
        warnings: service.warnings.clone(),
    };
    let c = &service.crate_name;
    let source = format!("the Smithy model of `{}`", service.shape_id);
    let src = |f: &str| format!("{c}/src/{f}");
    let short = can_shorten(service);
    out.files
        .insert(format!("{c}/Cargo.toml"), cargo_toml(service, layout));
    let p = format!("{c}-paginators");
    out.files.insert(
        format!("{p}/Cargo.toml"),
        paginators_cargo_toml(service, layout),
    );
    // The Rust files: each is emitted and rendered on its own, so they are spread over
    // the machine's cores (token streams stay on the thread that made them; only the
    // rendered text crosses). The types module, a good half of the code, is made in
    // parts, rendered on their own too. The output does not depend on the order.
    type Make<'s> = Box<dyn Fn() -> TokenStream + Sync + 's>;
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let type_runs = types::split_types(&service.types, runs);
    // The codec in smaller parts than the types: its parts are the last big jobs, and
    // the threads finish together.
    let codec_runs = codec::split_codec(&service.types, 2 * runs);
    // Each file: its path, whether std paths are shortened, how to make the whole
    // file, and its parts when it is made in parts. Biggest first.
    let mut files: Vec<(String, bool, Make<'_>, Vec<Make<'_>>)> = vec![
        (
            src("types.rs"),
            short,
            Box::new(|| types_module(&service.types)),
            type_runs
                .iter()
                .enumerate()
                .map(|(k, run)| -> Make<'_> {
                    Box::new(move || types::types_module_part(run, k == 0))
                })
                .collect(),
        ),
        (
            src("client.rs"),
            short,
            Box::new(|| client_module(service)),
            vec![],
        ),
        (
            src("error.rs"),
            short,
            Box::new(|| error_module(service)),
            vec![],
        ),
        (
            src("operation.rs"),
            short,
            Box::new(|| operation_module(service)),
            vec![],
        ),
        // Rendered after the other big files, in parts: the pieces that are left
        // for last are small, and the threads finish together.
        (
            src("codec.rs"),
            short,
            Box::new(|| codec_module(service)),
            codec_runs
                .iter()
                .enumerate()
                .map(|(k, run)| -> Make<'_> {
                    Box::new(move || codec::codec_module_part(service, run, k == 0, false))
                })
                // The operations' error dispatch, a part of its own.
                .chain(std::iter::once(Box::new(|| {
                    codec::codec_module_part(service, &[], false, true)
                }) as Make<'_>))
                .collect(),
        ),
        (
            format!("{p}/src/lib.rs"),
            short,
            Box::new(|| paginators_lib(service)),
            vec![],
        ),
        (src("lib.rs"), short, Box::new(|| lib_rs(service)), vec![]),
    ];
    if protocol_tests::has_tests(service) {
        files.push((
            format!("{c}/tests/protocol_tests.rs"),
            false,
            Box::new(|| protocol_tests::protocol_tests_file(service)),
            vec![],
        ));
    }
    if waiters::has_waiters(service) {
        files.push((
            src("waiters.rs"),
            short,
            Box::new(|| waiters::waiters_module(service)),
            vec![],
        ));
    }
    if !service.endpoint_tests.is_empty() {
        files.push((
            format!("{c}/tests/endpoint_tests.rs"),
            false,
            Box::new(|| endpoint_tests::endpoint_tests_file(service)),
            vec![],
        ));
    }
    // One job per part, or per file not made in parts: (file, part).
    let jobs: Vec<(usize, Option<usize>)> = files
        .iter()
        .enumerate()
        .flat_map(|(i, (_, _, _, parts))| -> Vec<(usize, Option<usize>)> {
            if parts.len() > 1 {
                (0..parts.len()).map(|k| (i, Some(k))).collect()
            } else {
                vec![(i, None)]
            }
        })
        .collect();
    let next = AtomicUsize::new(0);
    // Members printed once a shape, for all the threads.
    let templates = template::Templates::default();
    // Each file's printed parts as they come (`None`: a part that could not be
    // printed in pieces), how many are still to come, and the joined text. The thread
    // that prints a file's last part joins the file, while the other goes on printing.
    let printed: Vec<Mutex<Vec<Option<Vec<Piece>>>>> = files
        .iter()
        .map(|(_, _, _, parts)| Mutex::new((0..parts.len().max(1)).map(|_| None).collect()))
        .collect();
    let to_come: Vec<AtomicUsize> = files
        .iter()
        .map(|(_, _, _, parts)| AtomicUsize::new(parts.len().max(1)))
        .collect();
    let joined: Vec<Mutex<Option<String>>> = files.iter().map(|_| Mutex::new(None)).collect();
    let finished = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.clamp(1, jobs.len()))
            .map(|_| {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(f, part)) = jobs.get(i) else {
                        break;
                    };
                    let (path, short, whole, parts) = &files[f];
                    // The emitters write the prelude paths short themselves: the tokens
                    // need no shortening pass. Their doc lines and most members are set
                    // aside and put back into the printed text.
                    let (tokens, set_aside) = common::with_short_paths(*short, || {
                        template::set_aside(|| match part {
                            Some(k) => parts[k](),
                            None => whole(),
                        })
                    });
                    let pieces = render_pieces(path, tokens, &set_aside, &templates);
                    lock(&printed[f])[part.unwrap_or(0)] = pieces;
                    if to_come[f].fetch_sub(1, Ordering::AcqRel) == 1 && pieces_wanted {
                        let parts = std::mem::take(&mut *lock(&printed[f]));
                        let text = parts
                            .into_iter()
                            .collect::<Option<Vec<_>>>()
                            .and_then(|parts| join(common::header(&source), parts));
                        *lock(&joined[f]) = text;
                    }
                })
            })
            .collect();
        handles.into_iter().all(|h| h.join().is_ok())
    });
    if !finished {
        return Err(Error::Render {
            file: String::new(),
            message: "a rendering thread panicked".to_string(),
        });
    }
    for ((path, short, whole, _), text) in files.iter().zip(joined) {
        let text = match text.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(text) => text,
            // Something did not print piece by piece: the whole file in one piece,
            // which prints the same text or reports the error.
            None => render(path, &source, whole(), *short)?,
        };
        out.files.insert(path.clone(), text);
    }
    if layout.workspace {
        out.files.insert(
            "Cargo.toml".to_string(),
            format!(
                "# This file is generated by `cargo xtask codegen`. Do not edit it by hand.\n[workspace]\nresolver = \"2\"\nmembers = [\"{c}\", \"{p}\"]\n"
            ),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    /// A title with quotes, backslashes and control characters stays one valid TOML
    /// basic string.
    #[test]
    fn titles_are_escaped_for_toml() {
        assert_eq!(
            super::toml_text("A \"B\" C:\\path\nnext\tcol\u{0}\u{7f}é"),
            "A 'B' C:\\\\path\\nnext\\tcol\\u0000\\u007Fé"
        );
    }

    /// Every prelude path prints as `::std::...` or as its last segment, as
    /// `with_short_paths` says, and no path comes after a longer one that starts with it
    /// (the shortening pass takes the first that matches).
    #[test]
    fn prelude_paths_print_long_or_short() {
        use super::common::prelude::ALL;
        use quote::ToTokens;
        assert_eq!(ALL.len(), 14);
        for (i, path) in ALL.iter().enumerate() {
            let long = super::common::with_short_paths(false, || path.to_token_stream());
            let want: Vec<String> = path.segments().iter().map(|s| format!(":: {s}")).collect();
            assert_eq!(long.to_string(), want.join(" "));
            let short = super::common::with_short_paths(true, || path.to_token_stream());
            assert_eq!(short.to_string(), path.short());
            for later in &ALL[i + 1..] {
                assert!(
                    !later.segments().starts_with(path.segments())
                        || later.segments() == path.segments()
                );
            }
        }
    }

    /// Doc comments set aside and put back into the printed text print as their
    /// lines do, at any indentation; a placeholder where none prints is refused.
    #[test]
    fn doc_placeholders_print_like_their_lines() {
        use super::common::{doc, fill_docs, inner_doc, with_doc_table};
        let make = || {
            let docs = doc("A `thing` with \"quotes\", a \\ and é.\n\nA second paragraph.");
            let module = inner_doc("The module.");
            quote::quote! {
                #module
                #docs
                pub struct A {
                    #docs
                    pub b: i32,
                }
            }
        };
        let plain = super::unparse(make(), false, false).expect("prints");
        let (tokens, comments) = with_doc_table(make);
        assert_eq!(comments.len(), 2);
        let printed = super::unparse(tokens, false, false).expect("prints");
        assert_ne!(printed, plain);
        assert_eq!(fill_docs(printed, &comments), Some(plain));
        assert_eq!(
            fill_docs("/// a\n".to_string(), &comments).as_deref(),
            Some("/// a\n")
        );
        assert_eq!(fill_docs("let a = \u{1}0;\n".to_string(), &comments), None);
        assert_eq!(fill_docs("a ///\u{1}0\n".to_string(), &comments), None);
        assert_eq!(fill_docs("///\u{1}2\n".to_string(), &comments), None);
    }

    /// Every test model's files, printed piece by piece with doc comments and members
    /// set aside and put back, are the files printed in one piece from the emitters'
    /// own tokens; and members are set aside. With the official Network Firewall
    /// model beside the checkout (`../shared/models`), its types and codec modules are
    /// made in parts too, and put together.
    #[test]
    fn pieces_print_as_whole_files() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/models");
        let mut models: Vec<_> = std::fs::read_dir(dir)
            .expect("test models")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        models.sort();
        assert!(models.len() > 5);
        let official = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/models/network-firewall-2020-11-12.json");
        let has_official = official.is_file();
        if has_official {
            models.push(official);
        }
        let (mut split_types, mut split_codec) = (0, 0);
        let layout = crate::Layout {
            runtime_path: "../runtime".into(),
            workspace: false,
            test_deps: false,
        };
        let mut set_aside = 0;
        for path in models {
            let bytes = std::fs::read(&path).expect("model");
            let model = crate::model::load(&bytes).expect("loads");
            let options = crate::Options {
                protocol_tests: true,
                ..Default::default()
            };
            let Ok(service) = crate::lower::lower(&model, &options) else {
                continue;
            };
            let pieces = super::emit_with(&service, &layout, true, 4).expect("emits");
            let whole = super::emit_with(&service, &layout, false, 4).expect("emits");
            if super::types::split_types(&service.types, 4).len() > 1 {
                split_types += 1;
            }
            if super::codec::split_codec(&service.types, 8).len() > 1 {
                split_codec += 1;
            }
            assert_eq!(pieces.files.len(), whole.files.len());
            for (name, text) in &pieces.files {
                assert!(
                    whole.files.get(name) == Some(text),
                    "{}: {name}",
                    path.display()
                );
            }
            let (tokens, _) = super::template::set_aside(|| super::types_module(&service.types));
            set_aside += tokens.to_string().matches("__member_text").count();
        }
        assert!(set_aside > 50, "{set_aside} members set aside");
        if has_official {
            assert!(split_types > 0 && split_codec > 0);
        }
    }

    /// `shorten` looks for the prelude paths only after `::std`.
    #[test]
    fn prelude_paths_start_with_std() {
        for (parts, _) in super::prelude_patterns() {
            assert_eq!(parts.first(), Some(&"std"));
        }
    }
}
