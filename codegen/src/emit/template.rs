//! Members printed once per shape.
//!
//! Most of a client's code is members of a few shapes, once for every member of every
//! structure or error of every operation: a field and a getter, a builder's field and
//! three setters, a fluent builder's two, the codec's statement that writes a member
//! and arm that reads one, an error enum's variant, arms and `is_` method, an error
//! dispatch's arm, the function that reads an error structure. Parsing and printing
//! them is most of the generator's time, and `prettyplease` lays tokens out by their
//! kinds and lengths only. So an emitter describes such a member as a [`Shape`]: its
//! names and doc comments, and what else decides its tokens. The emitter puts a
//! placeholder where a run of members goes ([`members`]); each member is printed once
//! per shape with every name
//! replaced by a stand-in of the same length, and every other member of that shape is
//! the printed text with its own names put back ([`fill_members`]). The text is the
//! one the member prints as itself (a test prints every test model both ways). Shapes
//! that differ only in the lengths of their names are mostly printed alike, and a
//! member whose names' lengths lie between those of two members printed alike takes
//! their text without being printed ([`boxed`] says why that holds).
//!
//! The placeholder is a macro call, `__member_text!(N);` (in a `match`, the arm
//! `__member_text!(N) => {}`; in a structure, the field `__member_field_N: (),`; in an
//! enum, the variant `__member_variant_N,`), which prints on a line of its own at the
//! members' indentation; the members of run `N` of the table the emitter filled (see
//! [`set_aside`]) are printed at that indentation, one after another, and take the
//! line's place.

use super::common::{self, DocTable};
use crate::ir::Type;
use proc_macro2::{Literal, TokenStream, TokenTree};
use quote::quote;
use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

/// What decides the tokens of a member: its names and docs (which [`Shape::standin`]
/// replaces) and the rest (types, flags), compared as they are.
pub trait Shape: Clone + Eq + Hash + Send + Sync + 'static {
    /// Where the member stands.
    const CONTEXT: Context;
    /// The shape with every name and doc comment replaced by `s`'s stand-ins.
    fn standin(&self, s: &mut Standins) -> Self;
    /// The member's tokens.
    fn tokens(&self) -> TokenStream;
    /// Where this member stands, when that is not [`Shape::CONTEXT`] (the last field
    /// of a structure literal): its placeholder is the same.
    fn context(&self) -> Context {
        Self::CONTEXT
    }
}

/// Where a member stands, which says what its placeholder is and what it is printed in.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Items of an `impl` block: `__member_text!(N);`.
    ImplItem,
    /// Statements of a block: `__member_text!(N);`.
    Statement,
    /// Arms of a `match` that a last arm follows: `__member_text!(N) => {}`.
    Arm,
    /// Fields of a structure with named fields: `__member_field_N: (),`.
    Field,
    /// Variants of an enum: `__member_variant_N,`.
    Variant,
    /// Items of a file or module: `__member_text!(N);`.
    Item,
    /// Fields of a structure literal, a field after them:
    /// `__member_value_N: __member_wide,`. The placeholder is wider than `prettyplease`
    /// keeps a literal on one line: the emitter sets such fields aside only in a literal
    /// that is wider too.
    FieldValue,
    /// The last field of a structure literal, as [`Context::FieldValue`].
    LastFieldValue,
}

impl Context {
    /// What the placeholder of member `N` is, around `N`.
    fn placeholder(self) -> (&'static str, &'static str) {
        match self {
            Context::ImplItem | Context::Statement | Context::Item => ("__member_text!(", ");"),
            Context::Arm => ("__member_text!(", ") => {}"),
            Context::Field => ("__member_field_", ": (),"),
            Context::Variant => ("__member_variant_", ","),
            Context::FieldValue | Context::LastFieldValue => {
                ("__member_value_", ": __member_wide,")
            }
        }
    }
}

/// Hands out stand-ins for a shape's names and docs, and keeps the real ones.
pub struct Standins {
    names: Vec<String>,
    /// The stand-ins' lengths, by index (0 for a name without one).
    sizes: Vec<usize>,
    docs: Vec<Vec<String>>,
    fits: bool,
    /// The stand-ins' lengths, by index, when they are not the names' own.
    lengths: Option<Vec<usize>>,
}

/// The name that stands in for name `i`, `len` bytes long, when there is one: `Z`,
/// the index and `z`s. Nothing else in a member's text looks like one, and a name made
/// from it (`ser_` and the name) still shows it.
fn standin_name(i: usize, len: usize) -> Option<String> {
    let mut digits = [0u8; 20];
    let (mut n, mut k) = (i, 0);
    loop {
        digits[k] = b'0' + (n % 10) as u8;
        k += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if 1 + k > len {
        return None;
    }
    let mut s = String::with_capacity(len);
    s.push('Z');
    s.extend(digits[..k].iter().rev().map(|&d| char::from(d)));
    s.extend(std::iter::repeat('z').take(len - 1 - k));
    Some(s)
}

impl Standins {
    fn new() -> Self {
        Standins {
            names: Vec::with_capacity(8),
            sizes: Vec::with_capacity(8),
            docs: Vec::new(),
            fits: true,
            lengths: None,
        }
    }

    /// A stand-in for `name` (as it prints: `r#type` is six bytes).
    pub fn name(&mut self, name: &str) -> String {
        let i = self.names.len();
        self.names.push(name.to_string());
        let len = match &self.lengths {
            Some(lengths) => lengths.get(i).copied().unwrap_or(name.len()),
            None => name.len(),
        };
        match standin_name(i, len) {
            Some(s) => {
                self.sizes.push(s.len());
                s
            }
            None => {
                self.fits = false;
                self.sizes.push(0);
                name.to_string()
            }
        }
    }

    /// A stand-in for the text of a string literal, which prints as it is (no
    /// character that a literal escapes).
    pub fn literal(&mut self, text: &str) -> String {
        let plain = text
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\' || b == b' ');
        if !plain {
            self.fits = false;
        }
        self.name(text)
    }

    /// A type with stand-ins for the names of the named types in it.
    pub fn ty(&mut self, t: &Type) -> Type {
        match t {
            Type::List { member, sparse } => Type::List {
                member: Box::new(self.ty(member)),
                sparse: *sparse,
            },
            Type::Map { key, value, sparse } => Type::Map {
                key: Box::new(self.ty(key)),
                value: Box::new(self.ty(value)),
                sparse: *sparse,
            },
            Type::Named { name, kind } => Type::Named {
                name: self.name(name),
                kind: *kind,
            },
            other => other.clone(),
        }
    }

    /// A stand-in for a doc comment: none when the comment has no lines.
    pub fn doc(&mut self, text: &str) -> String {
        let lines = common::doc_lines(text);
        if lines.is_empty() {
            return String::new();
        }
        let j = self.docs.len();
        self.docs.push(lines);
        format!("D{j}")
    }
}

/// A shape without its type: printed, compared and hashed.
trait Erased: Send + Sync {
    fn tokens(&self) -> TokenStream;
    fn as_any(&self) -> &dyn Any;
    fn same(&self, other: &dyn Erased) -> bool;
    fn key(&self) -> u64;
    fn context(&self) -> Context;
    /// The stand-in shape again with stand-ins `lengths` long (by index); `None` when
    /// they do not fit or the shape has other than `lengths.len()` names and `docs`
    /// docs.
    fn restandin(&self, lengths: &[usize], docs: usize) -> Option<Arc<dyn Erased>>;
}

impl<S: Shape> Erased for S {
    fn tokens(&self) -> TokenStream {
        Shape::tokens(self)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn same(&self, other: &dyn Erased) -> bool {
        other.as_any().downcast_ref::<S>() == Some(self)
    }
    fn key(&self) -> u64 {
        let mut hasher = FastHasher::default();
        TypeId::of::<S>().hash(&mut hasher);
        self.hash(&mut hasher);
        hasher.finish()
    }
    fn context(&self) -> Context {
        Shape::context(self)
    }
    fn restandin(&self, lengths: &[usize], docs: usize) -> Option<Arc<dyn Erased>> {
        let mut s = Standins::new();
        s.lengths = Some(lengths.to_vec());
        let shape = self.standin(&mut s);
        let same = s.fits && s.sizes == lengths && s.docs.len() == docs;
        same.then(|| Arc::new(shape) as Arc<dyn Erased>)
    }
}

/// A hasher for the shapes' keys: a multiply and a rotate a word, several times
/// faster than the default SipHash on the names that make up most of a shape. The keys
/// come from the model, not from an adversary, and every hit is compared in full.
#[derive(Default)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ (rest.len() as u64) << 59);
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn finish(&self) -> u64 {
        // The low bits pick a bucket: mix the high ones down.
        self.0 ^ (self.0 >> 29)
    }
}

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FastBuild = std::hash::BuildHasherDefault<FastHasher>;

/// A member set aside by [`members`]: its shape with stand-ins and the stand-ins,
/// whether std paths were short, its names, and the doc table's entries of its docs.
struct Pending {
    standin: Arc<dyn Erased>,
    /// The stand-ins' lengths, by index.
    sizes: Vec<usize>,
    short: bool,
    names: Vec<String>,
    docs: Vec<usize>,
}

/// A member's printed text, in pieces.
#[derive(PartialEq)]
enum Part {
    Text(String),
    /// Name `i` of the member.
    Name(usize),
    /// The doc placeholder of the member's doc `j`.
    Doc(usize),
}

#[derive(PartialEq)]
struct Template {
    parts: Vec<Part>,
    /// Whether the text has placeholders of its own (runs of members inside the
    /// member: [`run`]), which a further pass of [`fill_members`] puts back.
    nested: bool,
}

/// Where a printed member is kept: its stand-in shape's hash, indentation and path
/// style.
type Key = (u64, usize, bool);

thread_local! {
    /// The members the emitters on this thread set aside, while [`set_aside`] runs.
    static PENDING: RefCell<Option<Vec<Vec<Pending>>>> = const { RefCell::new(None) };
}

/// Printed members by stand-in shape (`None`: one that does not print as a member),
/// shared by the threads that render one service's files. They do not depend on the
/// service, but are kept for one run of the generator only.
#[derive(Default)]
pub struct Templates {
    printed: Mutex<Printed>,
    boxes: Mutex<Boxes>,
}

/// Printed members: for each key, the stand-in shapes under it and their text.
type Printed = HashMap<Key, Vec<(Arc<dyn Erased>, Option<Arc<Template>>)>, FastBuild>;

/// Printed members by shape with the shortest stand-ins (see [`boxed`]): for each key,
/// those shapes and the texts they print to for different lengths of their names.
type Boxes = HashMap<Key, Vec<(Arc<dyn Erased>, Vec<Layout>)>, FastBuild>;

/// A text of a shape (`None` when it does not print as a member), and the lengths of
/// names (by index) it was printed for.
struct Layout {
    template: Option<Arc<Template>>,
    lengths: Vec<Vec<usize>>,
}

/// What an emitter set aside: doc comments and members, for [`fill`].
pub struct SetAside {
    docs: DocTable,
    /// Runs of members, each behind one placeholder.
    members: Vec<Vec<Pending>>,
}

/// Runs an emitter with its doc comments ([`common::with_doc_table`]) and members
/// ([`members`]) set aside.
pub fn set_aside<R>(f: impl FnOnce() -> R) -> (R, SetAside) {
    let before = PENDING.with(|p| p.replace(Some(Vec::new())));
    let (r, docs) = common::with_doc_table(f);
    let members = PENDING.with(|p| p.replace(before)).unwrap_or_default();
    (r, SetAside { docs, members })
}

/// Printed text with what the emitter set aside put back: members (printed once a
/// shape, kept in `templates`), then docs.
pub fn fill(text: String, set_aside: &SetAside, templates: &Templates) -> Option<String> {
    let (mut text, mut nested) = fill_members(text, &set_aside.members, templates)?;
    // Members with runs of members inside ([`run`]) put their placeholders back in
    // the text: another pass for each level.
    let mut levels = 0;
    while nested {
        levels += 1;
        if levels > 4 {
            return None;
        }
        (text, nested) = fill_members(text, &set_aside.members, templates)?;
    }
    common::fill_docs(text, &set_aside.docs)
}

/// Members of one kind that stand one after another (the fields of a structure, the
/// getters of its `impl` block): while [`set_aside`] runs, one placeholder for each
/// run of them that has stand-ins (the parser and printer see one small item, arm or
/// field where there were many), and the tokens of those that have none; else their
/// tokens.
pub fn members<S: Shape>(shapes: impl IntoIterator<Item = S>) -> TokenStream {
    let mut out = TokenStream::new();
    let active = PENDING.with(|p| p.borrow().is_some());
    if !active {
        for shape in shapes {
            out.extend(shape.tokens());
        }
        return out;
    }
    let mut run: Vec<(Pending, S)> = Vec::new();
    for shape in shapes {
        match pending(&shape) {
            Some(p) => run.push((p, shape)),
            None => {
                set_aside_run::<S>(std::mem::take(&mut run), &mut out);
                out.extend(shape.tokens());
            }
        }
    }
    set_aside_run::<S>(run, &mut out);
    out
}

/// Where a run of members stands inside a bigger member (a structure's fields inside
/// its definition): the run's number in the table, written with [`RUN_DIGITS`] digits
/// so that its stand-in is as long, or the stand-in itself.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RunId(String);

/// How many digits a [`RunId`] is written with: a stand-in (`Z`, the index, `z`s)
/// fits in as many.
const RUN_DIGITS: usize = 6;

impl RunId {
    /// The stand-in, for [`Shape::standin`].
    pub fn standin(&self, s: &mut Standins) -> RunId {
        RunId(s.name(&self.0))
    }

    /// The placeholder of the run, as its context has it.
    pub fn placeholder(&self, context: Context) -> TokenStream {
        let id = &self.0;
        let arg = if id.starts_with('Z') {
            TokenTree::Ident(proc_macro2::Ident::new(id, proc_macro2::Span::call_site()))
        } else {
            match id.parse::<Literal>() {
                Ok(lit) => TokenTree::Literal(lit),
                Err(_) => return TokenStream::new(),
            }
        };
        placeholder_tokens(id, arg, context)
    }
}

/// The placeholder of a run numbered `id` (`arg` as a token) where `context` puts it.
fn placeholder_tokens(id: &str, arg: TokenTree, context: Context) -> TokenStream {
    match context {
        Context::ImplItem | Context::Statement | Context::Item => {
            quote! { __member_text!(#arg); }
        }
        Context::Arm => quote! { __member_text!(#arg) => {} },
        Context::Field => {
            let field = quote::format_ident!("__member_field_{}", id);
            quote! { #field: (), }
        }
        Context::Variant => {
            let variant = quote::format_ident!("__member_variant_{}", id);
            quote! { #variant, }
        }
        Context::FieldValue | Context::LastFieldValue => {
            let field = quote::format_ident!("__member_value_{}", id);
            quote! { #field: __member_wide, }
        }
    }
}

/// What stands for a run inside a bigger member's tokens: its placeholder, or nothing
/// when it has no members.
pub fn placeholder(run: Option<&RunId>, context: Context) -> TokenStream {
    run.map_or_else(TokenStream::new, |r| r.placeholder(context))
}

/// What stands for a [`run`] in tokens: its placeholder, or its members' tokens.
pub fn run_tokens(run: Result<Option<RunId>, TokenStream>, context: Context) -> TokenStream {
    match run {
        Ok(run) => placeholder(run.as_ref(), context),
        Err(tokens) => tokens,
    }
}

/// A run of members inside a bigger member, set aside as a run of its own: `Ok` with
/// its [`RunId`] (`None` for no members) when members are being set aside and every
/// one has stand-ins; else `Err` with the tokens [`members`] gives (the bigger member
/// is then written out as tokens too).
pub fn run<S: Shape>(shapes: impl IntoIterator<Item = S>) -> Result<Option<RunId>, TokenStream> {
    let shapes: Vec<S> = shapes.into_iter().collect();
    let active = PENDING.with(|p| p.borrow().is_some());
    let pendings: Option<Vec<Pending>> = if active {
        shapes.iter().map(pending).collect()
    } else {
        None
    };
    let Some(pendings) = pendings else {
        return Err(members(shapes));
    };
    if pendings.is_empty() {
        return Ok(None);
    }
    let n = PENDING.with(|p| {
        let mut p = p.borrow_mut();
        let table = p.as_mut()?;
        if table.len() >= 10usize.pow(RUN_DIGITS as u32) {
            return None;
        }
        table.push(pendings);
        Some(table.len() - 1)
    });
    match n {
        Some(n) => Ok(Some(RunId(format!("{n:0width$}", width = RUN_DIGITS)))),
        None => Err(members(shapes)),
    }
}

/// A member with stand-ins, when its names and docs have them.
fn pending<S: Shape>(shape: &S) -> Option<Pending> {
    let mut s = Standins::new();
    let standin = shape.standin(&mut s);
    if !s.fits {
        return None;
    }
    let docs = s
        .docs
        .into_iter()
        .map(|lines| common::push_doc(lines).ok())
        .collect::<Option<Vec<_>>>()?;
    Some(Pending {
        standin: Arc::new(standin),
        sizes: s.sizes,
        short: common::short_paths(),
        names: s.names,
        docs,
    })
}

/// Puts a run of members in the table and their placeholder in `out` (their tokens,
/// when no table is being filled).
fn set_aside_run<S: Shape>(run: Vec<(Pending, S)>, out: &mut TokenStream) {
    if run.is_empty() {
        return;
    }
    let (run, shapes): (Vec<Pending>, Vec<S>) = run.into_iter().unzip();
    let n = PENDING.with(|p| {
        let mut p = p.borrow_mut();
        let table = p.as_mut()?;
        table.push(run);
        Some(table.len() - 1)
    });
    let Some(n) = n else {
        for shape in shapes {
            out.extend(shape.tokens());
        }
        return;
    };
    let lit = TokenTree::Literal(Literal::usize_unsuffixed(n));
    out.extend(placeholder_tokens(&n.to_string(), lit, S::CONTEXT));
}

/// What every placeholder starts with.
const MARK: &str = "__member_";

/// Printed text with each member placeholder's line replaced by its member, printed
/// at the line's indentation. `None` when a placeholder is not alone on its line or
/// names no member, or a member does not print.
fn fill_members(
    text: String,
    members: &[Vec<Pending>],
    templates: &Templates,
) -> Option<(String, bool)> {
    if members.is_empty() {
        return Some((text, false));
    }
    let mut nested = false;
    let mut out = String::with_capacity(text.len() * 2);
    let mut from = 0;
    while let Some(i) = text[from..].find(MARK).map(|i| from + i) {
        let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
        let indent = i - line_start;
        if !text[line_start..i].bytes().all(|b| b == b' ') {
            return None;
        }
        let digits = [
            Context::Statement,
            Context::Field,
            Context::Variant,
            Context::FieldValue,
        ]
        .iter()
        .map(|c| c.placeholder().0)
        .find(|open| text[i..].starts_with(open))
        .map(|open| i + open.len())?;
        let close = digits
            + text[digits..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
        let run = members.get(text[digits..close].parse::<usize>().ok()?)?;
        let (open, end) = run.first()?.standin.context().placeholder();
        if !text[i..digits].starts_with(open) {
            return None;
        }
        let after = close + end.len();
        if text.get(close..after) != Some(end) {
            return None;
        }
        let line_end = match text[after..].find('\n') {
            Some(0) => after + 1,
            None if after == text.len() => after,
            _ => return None,
        };
        out.push_str(&text[from..line_start]);
        for p in run {
            let template = template(p, indent, templates)?;
            nested |= template.nested;
            for part in &template.parts {
                match part {
                    Part::Text(t) => out.push_str(t),
                    Part::Name(k) => out.push_str(p.names.get(*k)?),
                    Part::Doc(j) => out.push_str(&common::doc_placeholder(*p.docs.get(*j)?)),
                }
            }
        }
        from = line_end;
    }
    out.push_str(&text[from..]);
    Some((out, nested))
}

/// The printed member of `p`'s shape at `indent`: kept in `templates`, or printed now
/// and kept.
fn template(p: &Pending, indent: usize, templates: &Templates) -> Option<Arc<Template>> {
    let key = (p.standin.key(), indent, p.short);
    let found = |printed: &Printed| {
        printed
            .get(&key)?
            .iter()
            .find(|(s, _)| s.same(&*p.standin))
            .map(|(_, template)| template.clone())
    };
    let lock = || super::lock(&templates.printed);
    if let Some(t) = found(&lock()) {
        return t;
    }
    // Printed without the lock held: another thread may print the same shape
    // meanwhile, to the same text.
    let made = boxed(p, indent, templates);
    let mut printed = lock();
    if found(&printed).is_none() {
        printed
            .entry(key)
            .or_default()
            .push((p.standin.clone(), made.clone()));
    }
    made
}

/// The printed member of `p`'s shape at `indent`, found among the texts of shapes that
/// differ from it only in the lengths of their names, or printed and kept among them.
///
/// `prettyplease` lays tokens out by their lengths only through comparisons that a
/// longer name can only tip one way: a group of tokens breaks over lines when it does
/// not fit in the line's room (the longer its names, the wider the group and the less
/// room before it), and a method call stays on its receiver's line when the receiver
/// is four bytes or shorter. So when two members print to the same text (their names
/// aside), and a third's names are each as long as the first's or longer and as long
/// as the second's or shorter, every decision falls the same way for the third, and
/// it prints to that text too. The shortest form, which starts every shape's list,
/// keeps each name on its side of four bytes: members whose names fall on different
/// sides are different shapes here, and the receiver rule never differs within one.
fn boxed(p: &Pending, indent: usize, templates: &Templates) -> Option<Arc<Template>> {
    let lengths = &p.sizes;
    if lengths.is_empty() {
        return print(&p.standin, lengths, indent, p.short).map(Arc::new);
    }
    let floor: Vec<usize> = lengths
        .iter()
        .enumerate()
        .map(|(i, &len)| {
            let shortest = i.to_string().len() + 1;
            if len > 4 {
                shortest.max(5)
            } else {
                shortest
            }
        })
        .collect();
    let Some(erased) = p.standin.restandin(&floor, p.docs.len()) else {
        return print(&p.standin, lengths, indent, p.short).map(Arc::new);
    };
    let key = (erased.key(), indent, p.short);
    let within = |layout: &Layout| {
        let (below, above) = layout.lengths.iter().fold((false, false), |(b, a), l| {
            (
                b || l.iter().zip(lengths).all(|(l, n)| l <= n),
                a || l.iter().zip(lengths).all(|(l, n)| l >= n),
            )
        });
        below && above
    };
    let find = |boxes: &Boxes| -> Found {
        let Some((_, layouts)) = boxes
            .get(&key)
            .and_then(|shapes| shapes.iter().find(|(s, _)| s.same(&*erased)))
        else {
            return Found::New;
        };
        match layouts.iter().find(|l| within(l)) {
            Some(l) => Found::Text(l.template.clone()),
            None if layouts.iter().any(|l| l.lengths.contains(&floor)) => Found::Own,
            None => Found::Shortest,
        }
    };
    let found = find(&super::lock(&templates.boxes));
    match found {
        Found::Text(template) => return template,
        // The first member of a shape is printed as itself (many shapes have one);
        // the second is checked against the shortest form too.
        Found::New | Found::Own => {}
        Found::Shortest => {
            let shortest = print(&erased, &floor, indent, p.short).map(Arc::new);
            let mut boxes = super::lock(&templates.boxes);
            add(&mut boxes, key, &erased, &shortest, floor.clone());
            if let Found::Text(template) = find(&boxes) {
                return template;
            }
        }
    }
    let own = print(&p.standin, lengths, indent, p.short).map(Arc::new);
    add(
        &mut super::lock(&templates.boxes),
        key,
        &erased,
        &own,
        lengths.clone(),
    );
    own
}

/// What [`boxed`] finds for a member among the texts of its shape.
enum Found {
    /// No text of its shape yet.
    New,
    /// A text that holds for its names.
    Text(Option<Arc<Template>>),
    /// None that holds, and the shortest form is not printed yet.
    Shortest,
    /// None that holds.
    Own,
}

/// Keeps `template` as the text of `erased` (under `key`) for names `lengths` long.
fn add(
    boxes: &mut Boxes,
    key: Key,
    erased: &Arc<dyn Erased>,
    template: &Option<Arc<Template>>,
    lengths: Vec<usize>,
) {
    let shapes = boxes.entry(key).or_default();
    let i = match shapes.iter().position(|(s, _)| s.same(&**erased)) {
        Some(i) => i,
        None => {
            shapes.push((erased.clone(), Vec::new()));
            shapes.len() - 1
        }
    };
    let layouts = &mut shapes[i].1;
    match layouts.iter_mut().find(|l| l.template == *template) {
        Some(l) => l.lengths.push(lengths),
        None => layouts.push(Layout {
            template: template.clone(),
            lengths: vec![lengths],
        }),
    }
}

/// Prints a stand-in shape where its context puts it (in an `impl` block, a function
/// or a `match`), nested in modules to `indent`, and takes the text apart at its
/// stand-ins (`sizes` long, by index; 0 for none) and doc placeholders.
fn print(shape: &Arc<dyn Erased>, sizes: &[usize], indent: usize, short: bool) -> Option<Template> {
    if indent % 4 != 0 {
        return None;
    }
    let (tokens, docs) =
        common::with_short_paths(short, || common::with_doc_table(|| shape.tokens()));
    // The wrapper's own levels of indentation, and its lines before and after the
    // member's. A structure literal has a wide field besides the member, so that it is
    // laid out a field a line.
    let (mut wrapped, levels, before, after) = match shape.context() {
        Context::ImplItem => (quote! { impl M { #tokens } }, 1, 0, 1),
        Context::Statement => (quote! { fn f() { #tokens } }, 1, 0, 1),
        Context::Arm => (quote! { fn f() { match x { #tokens _ => {} } } }, 2, 0, 3),
        Context::Field => (quote! { struct M { #tokens } }, 1, 0, 1),
        Context::Variant => (quote! { enum M { #tokens } }, 1, 0, 1),
        Context::Item => (tokens, 0, 0, 0),
        Context::FieldValue => (
            quote! { fn f() { M { #tokens __member_pad: __member_wide } } },
            2,
            0,
            3,
        ),
        Context::LastFieldValue => (
            quote! { fn f() { M { __member_pad: __member_wide, #tokens } } },
            2,
            1,
            2,
        ),
    };
    let depth = indent / 4;
    if depth < levels {
        return None;
    }
    for _ in levels..depth {
        wrapped = quote! { mod m { #wrapped } };
    }
    let text = super::unparse(wrapped, false, false).ok()?;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let (top, bottom) = (depth + before, depth - levels + after);
    if lines.len() < top + bottom {
        return None;
    }
    let body = lines[top..lines.len() - bottom].concat();
    let standins: HashMap<String, usize> = sizes
        .iter()
        .enumerate()
        .filter_map(|(i, &len)| Some((standin_name(i, len)?, i)))
        .collect();
    // The stand-in docs print as placeholders of the template's own doc table, whose
    // entries say which doc (`D0`, `D1`, ...) they stand for.
    let doc_slot = |k: usize| -> Option<usize> {
        match docs.get(k)?.as_slice() {
            [line] => line.trim().strip_prefix('D')?.parse().ok(),
            _ => None,
        }
    };
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = body.as_str();
    while let Some(c) = rest.chars().next() {
        if c == common::DOC_MARK {
            let digits = &rest[c.len_utf8()..];
            let n = digits.bytes().take_while(u8::is_ascii_digit).count();
            let slot = doc_slot(digits[..n].parse().ok()?)?;
            parts.push(Part::Text(std::mem::take(&mut literal)));
            parts.push(Part::Doc(slot));
            rest = &digits[n..];
        } else if c == 'Z' {
            // A stand-in, alone or inside a longer name (`ser_Z0zz`): `Z`, digits, `z`s.
            let digits = rest[1..].bytes().take_while(u8::is_ascii_digit).count();
            let zs = rest[1 + digits..]
                .bytes()
                .take_while(|&b| b == b'z')
                .count();
            let word = &rest[..1 + digits + zs];
            match standins.get(word) {
                Some(&i) => {
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                    parts.push(Part::Name(i));
                }
                None => literal.push_str(word),
            }
            rest = &rest[word.len()..];
        } else {
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    parts.push(Part::Text(literal));
    parts.retain(|p| !matches!(p, Part::Text(t) if t.is_empty()));
    let nested = parts
        .iter()
        .any(|p| matches!(p, Part::Text(t) if t.contains(MARK)));
    Some(Template { parts, nested })
}

#[cfg(test)]
mod tests {
    use super::{fill, members, set_aside, standin_name, Context, Shape, Standins, Templates};
    use proc_macro2::TokenStream;
    use quote::quote;

    /// A getter whose signature breaks over lines when its names are long.
    #[derive(Clone, PartialEq, Eq, Hash)]
    struct Getter {
        name: String,
        ty: String,
        field: String,
    }

    impl Shape for Getter {
        const CONTEXT: Context = Context::ImplItem;

        fn standin(&self, s: &mut Standins) -> Self {
            Getter {
                name: s.name(&self.name),
                ty: s.name(&self.ty),
                field: s.name(&self.field),
            }
        }

        fn tokens(&self) -> TokenStream {
            let name = super::common::ident(&self.name);
            let ty = super::common::ident(&self.ty);
            let field = super::common::ident(&self.field);
            quote! {
                pub fn #name(&self, input: Option<Vec<crate::types::#ty>>) -> Option<&crate::types::#ty> {
                    self.#field.as_ref().and_then(|v| v.first()).or(input.map(|_| todo!()))
                }
            }
        }
    }

    /// Members whose names differ only in length print as themselves when their text
    /// comes from others of their shape (printed with shorter and longer names), on
    /// both sides of the lengths where lines break.
    #[test]
    fn texts_found_by_lengths_are_the_members_own() {
        let templates = Templates::default();
        let mut seed = 7u64;
        let mut len = |max: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            1 + ((seed >> 33) % max) as usize
        };
        let name = |c: char, n: usize| format!("{c}{}", "x".repeat(n));
        let mut cases = 0;
        for _ in 0..400 {
            let getter = Getter {
                name: name('n', len(40)),
                ty: name('T', len(40)),
                field: name('f', len(12)),
            };
            let own = getter.tokens();
            let whole = super::super::unparse(quote! { impl M { #own } }, false, false).unwrap();
            let (tokens, aside) = set_aside(|| {
                let run = members([getter.clone()]);
                quote! { impl M { #run } }
            });
            let printed = super::super::unparse(tokens, false, false).unwrap();
            assert_eq!(fill(printed, &aside, &templates).as_deref(), Some(&*whole));
            cases += 1;
        }
        // Most came from texts printed for others.
        let boxes = super::super::lock(&templates.boxes);
        let prints: usize = boxes
            .values()
            .flatten()
            .flat_map(|(_, layouts)| layouts)
            .map(|l| l.lengths.len())
            .sum();
        let layouts = boxes
            .values()
            .flatten()
            .map(|(_, l)| l.len())
            .sum::<usize>();
        assert!(prints * 4 < cases, "{prints} prints for {cases} members");
        assert!(
            layouts > 1,
            "the names' lengths break lines in some of them"
        );
    }

    /// A stand-in is as long as its name, and names too short for one (or literals that
    /// print escaped) leave the member to be printed as itself.
    #[test]
    fn standins_keep_lengths_or_refuse() {
        assert_eq!(standin_name(3, 6).as_deref(), Some("Z3zzzz"));
        assert_eq!(standin_name(12, 3).as_deref(), Some("Z12"));
        assert_eq!(standin_name(12, 2), None);
        let mut s = Standins::new();
        assert_eq!(s.name("r#type"), "Z0zzzz");
        assert_eq!(s.literal("Plain.Key-1"), "Z1zzzzzzzzz");
        assert!(s.fits);
        assert_eq!(s.doc(""), "");
        assert_eq!(s.doc("Some text."), "D0");
        s.literal("a \"quoted\" key");
        assert!(!s.fits);
        let mut s = Standins::new();
        s.name("a");
        assert!(!s.fits, "a one-letter name has no stand-in");
    }
}
