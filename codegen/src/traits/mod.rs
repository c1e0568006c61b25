//! Checks every trait value of a model against the trait's definition: the value's
//! kind, required and unknown members, enum values, lengths and ranges, nested values
//! (a protocol test case, a waiter, ...), and, where the definition says so plainly,
//! the kind of shape the trait is applied to.
//!
//! Definitions come from two places. A trait whose shape the model defines (a shape
//! with `@trait`) is checked against that shape. Otherwise, the traits Smithy ships
//! (the prelude, `aws.*`, `smithy.rules`, `smithy.test`, `smithy.waiters`, ...) are
//! checked against `defs::DEFINITIONS`. Traits known to neither are left alone.
//!
//! Both kinds of definition become one table of `Ty`s, indexed by `TyId`; the
//! known ones are read once, the model's ones per model and only for traits in use.
//! A walk allocates nothing until it has something to report.

mod defs;
pub mod typed;

use crate::error::Diagnostic;
use crate::model::{describe, Kind, Model, Shape, Simple};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

/// An index into the type table (the known types first, then the model's own).
type TyId = u32;

/// Inclusive bounds of a length or a numeric value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Bounds {
    min: Option<f64>,
    max: Option<f64>,
}

impl Bounds {
    fn new(min: Option<f64>, max: Option<f64>) -> Self {
        Bounds { min, max }
    }

    /// Both bounds, the tighter of each.
    fn and(self, other: Bounds) -> Bounds {
        let pick = |a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> f64| match (a, b) {
            (Some(a), Some(b)) => Some(f(a, b)),
            (a, b) => a.or(b),
        };
        Bounds {
            min: pick(self.min, other.min, f64::max),
            max: pick(self.max, other.max, f64::min),
        }
    }

    fn contains(&self, x: f64) -> bool {
        self.min.map_or(true, |m| x >= m) && self.max.map_or(true, |m| x <= m)
    }

    /// Like [`Bounds::text`], leaving out a bound that is only the limit of the integer
    /// type (`at least 1` rather than `from 1 to 2147483647`).
    fn int_text(&self) -> String {
        let natural = |x: Option<f64>| {
            x.is_some_and(|x| {
                [
                    i8::MAX.into(),
                    i16::MAX.into(),
                    i32::MAX.into(),
                    i64::MAX as f64,
                ]
                .iter()
                .any(|m: &f64| x == *m || x == -*m - 1.0)
            })
        };
        match (natural(self.min), natural(self.max)) {
            (true, false) => Bounds::new(None, self.max).text(),
            (false, true) => Bounds::new(self.min, None).text(),
            _ => self.text(),
        }
    }

    /// `at least 1`, `at most 5`, `from 100 to 599`.
    fn text(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("from {a} to {b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => "any".to_string(),
        }
    }
}

/// A member of a structure or union type.
#[derive(Debug, Clone, PartialEq)]
struct Field {
    name: String,
    ty: TyId,
    required: bool,
}

/// The type of a trait value, or of a part of one.
#[derive(Debug, Clone, PartialEq)]
enum Ty {
    /// Any value (a document).
    Any,
    Bool,
    /// A string, with bounds on its length in characters.
    Str(Bounds),
    /// One of these strings.
    Enum(Vec<String>),
    /// An integer within the bounds.
    Int(Bounds),
    /// One of these integers.
    IntEnum(Vec<i64>),
    /// Any number within the bounds.
    Num(Bounds),
    /// A blob: a string.
    Blob,
    /// A timestamp: a string or a number.
    Timestamp,
    List {
        member: TyId,
        len: Bounds,
    },
    Map {
        key: TyId,
        value: TyId,
        len: Bounds,
    },
    Struct(Vec<Field>),
    Union(Vec<Field>),
    /// A named type not defined yet (only while the definitions are read).
    Pending,
}

impl Ty {
    fn expected(&self) -> String {
        match self {
            Ty::Any => "any value".into(),
            Ty::Bool => "a boolean".into(),
            Ty::Str(b) if b.min.is_some_and(|m| m >= 1.0) && b.max.is_none() => {
                "a non-empty string".into()
            }
            Ty::Str(_) => "a string".into(),
            Ty::Enum(values) => {
                let list: Vec<String> = values
                    .iter()
                    .map(|v| Value::String(v.clone()).to_string())
                    .collect();
                format!("one of {}", list.join(", "))
            }
            Ty::Int(_) => "an integer".into(),
            Ty::IntEnum(values) => {
                let list: Vec<String> = values.iter().map(i64::to_string).collect();
                format!("one of the integers {}", list.join(", "))
            }
            Ty::Num(_) => "a number".into(),
            Ty::Blob => "a string (a blob)".into(),
            Ty::Timestamp => "a timestamp (a string or a number)".into(),
            Ty::List { .. } => "a list".into(),
            Ty::Map { .. } => "an object (a map)".into(),
            Ty::Struct(fields) if fields.is_empty() => {
                "an object (`{}` for an annotation trait)".into()
            }
            Ty::Struct(_) => "an object (a structure)".into(),
            Ty::Union(_) => "an object with exactly one member (a union)".into(),
            Ty::Pending => "a defined type".into(),
        }
    }
}

// ----- where a trait applies -----

/// Shape kinds as bits, so that where a trait applies is a mask.
mod kinds {
    pub const BLOB: u32 = 1 << 0;
    pub const BOOLEAN: u32 = 1 << 1;
    pub const STRING: u32 = 1 << 2;
    pub const BYTE: u32 = 1 << 3;
    pub const SHORT: u32 = 1 << 4;
    pub const INTEGER: u32 = 1 << 5;
    pub const LONG: u32 = 1 << 6;
    pub const FLOAT: u32 = 1 << 7;
    pub const DOUBLE: u32 = 1 << 8;
    pub const BIG_INTEGER: u32 = 1 << 9;
    pub const BIG_DECIMAL: u32 = 1 << 10;
    pub const TIMESTAMP: u32 = 1 << 11;
    pub const DOCUMENT: u32 = 1 << 12;
    pub const LIST: u32 = 1 << 13;
    pub const MAP: u32 = 1 << 14;
    pub const STRUCTURE: u32 = 1 << 15;
    pub const UNION: u32 = 1 << 16;
    pub const ENUM: u32 = 1 << 17;
    pub const INT_ENUM: u32 = 1 << 18;
    pub const SERVICE: u32 = 1 << 19;
    pub const RESOURCE: u32 = 1 << 20;
    pub const OPERATION: u32 = 1 << 21;
    pub const ALL: u32 = (1 << 22) - 1;
    pub const NUMBER: u32 =
        BYTE | SHORT | INTEGER | LONG | FLOAT | DOUBLE | BIG_INTEGER | BIG_DECIMAL | INT_ENUM;
    pub const SIMPLE: u32 =
        BLOB | BOOLEAN | STRING | NUMBER | TIMESTAMP | DOCUMENT | ENUM | INT_ENUM;

    /// The mask of a kind name (Smithy's selector names: `string` matches enums too,
    /// `integer` intEnums too).
    pub fn by_name(name: &str) -> Option<u32> {
        Some(match name {
            "blob" => BLOB,
            "boolean" => BOOLEAN,
            "string" => STRING | ENUM,
            "byte" => BYTE,
            "short" => SHORT,
            "integer" => INTEGER | INT_ENUM,
            "long" => LONG,
            "float" => FLOAT,
            "double" => DOUBLE,
            "bigInteger" => BIG_INTEGER,
            "bigDecimal" => BIG_DECIMAL,
            "timestamp" => TIMESTAMP,
            "document" => DOCUMENT,
            "list" | "set" | "collection" => LIST,
            "map" => MAP,
            "structure" => STRUCTURE,
            "union" => UNION,
            "enum" => ENUM,
            "intEnum" => INT_ENUM,
            "service" => SERVICE,
            "resource" => RESOURCE,
            "operation" => OPERATION,
            "number" => NUMBER,
            "simple" | "simpleType" => SIMPLE,
            "shape" | "*" => ALL,
            _ => return None,
        })
    }
}

fn kind_bit(kind: &Kind) -> u32 {
    use kinds::*;
    match kind {
        Kind::Simple(s) => match s {
            Simple::Blob => BLOB,
            Simple::Boolean => BOOLEAN,
            Simple::String => STRING,
            Simple::Byte => BYTE,
            Simple::Short => SHORT,
            Simple::Integer => INTEGER,
            Simple::Long => LONG,
            Simple::Float => FLOAT,
            Simple::Double => DOUBLE,
            Simple::BigInteger => BIG_INTEGER,
            Simple::BigDecimal => BIG_DECIMAL,
            Simple::Timestamp => TIMESTAMP,
            Simple::Document => DOCUMENT,
        },
        Kind::List { .. } => LIST,
        Kind::Map { .. } => MAP,
        Kind::Structure { .. } => STRUCTURE,
        Kind::Union { .. } => UNION,
        Kind::Enum { .. } => ENUM,
        Kind::IntEnum { .. } => INT_ENUM,
        Kind::Service(_) => SERVICE,
        Kind::Resource(_) => RESOURCE,
        Kind::Operation(_) => OPERATION,
    }
}

/// One place a trait may be applied.
#[derive(Debug, Clone, PartialEq)]
enum Place {
    /// A shape (not a member) of one of these kinds.
    Shape(u32),
    /// A member of a shape of kind `of`, targeting a shape of kind `to`.
    Member { of: u32, to: u32 },
}

impl Place {
    /// Reads `structure`, `member`, `structure.member`, `member>string|blob`.
    fn parse(word: &str) -> Option<Place> {
        let (subject, to) = match word.split_once('>') {
            Some((s, t)) => (s, Some(t)),
            None => (word, None),
        };
        let mask = |names: &str| -> Option<u32> {
            names
                .split('|')
                .try_fold(0, |m, n| kinds::by_name(n.trim()).map(|b| m | b))
        };
        let to = match to {
            Some(t) => mask(t)?,
            None => kinds::ALL,
        };
        match subject.split_once('.') {
            Some((of, "member")) => Some(Place::Member { of: mask(of)?, to }),
            None if subject == "member" => Some(Place::Member { of: kinds::ALL, to }),
            None if to == kinds::ALL => Some(Place::Shape(mask(subject)?)),
            _ => None,
        }
    }

    fn text(&self) -> String {
        match self {
            Place::Shape(m) => format!("{} shapes", kind_names(*m)),
            Place::Member { of, to } => {
                let mut s = "members".to_string();
                if *of != kinds::ALL {
                    s += &format!(" of {} shapes", kind_names(*of));
                }
                if *to != kinds::ALL {
                    s += &format!(" targeting {}", kind_names(*to));
                }
                s
            }
        }
    }
}

/// The names of the kinds in a mask, groups first (`simple`, `number`).
fn kind_names(mask: u32) -> String {
    if mask == kinds::ALL {
        return "any".into();
    }
    let groups = [
        ("simple", kinds::SIMPLE),
        ("number", kinds::NUMBER),
        ("string", kinds::STRING | kinds::ENUM),
        ("integer", kinds::INTEGER | kinds::INT_ENUM),
    ];
    let mut rest = mask;
    let mut out: Vec<&str> = Vec::new();
    for (name, bits) in groups.iter().chain(ALL_KINDS) {
        if rest & bits == *bits {
            out.push(name);
            rest &= !bits;
        }
    }
    out.join(" or ")
}

/// A trait's definition: its value type, and where it applies when that is plain.
#[derive(Debug, Clone)]
struct TraitDef {
    ty: TyId,
    places: Option<Vec<Place>>,
}

/// The known definitions, read from [`defs::DEFINITIONS`].
#[derive(Debug)]
struct Known {
    types: Vec<Ty>,
    traits: HashMap<String, TraitDef>,
}

fn known() -> &'static Known {
    static KNOWN: OnceLock<Known> = OnceLock::new();
    KNOWN.get_or_init(|| parse_definitions(defs::DEFINITIONS).unwrap_or_else(|e| panic!("{e}")))
}

// ----- reading the definitions -----

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Punct(&'a str),
    Str(&'a str),
    Num(f64),
    Ident(&'a str),
}

fn tokenize(text: &str) -> Result<Vec<Tok<'_>>, String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if text[i..].starts_with("..") {
            out.push(Tok::Punct(".."));
            i += 2;
        } else if b"{}[]()<>,:!|=".contains(&c) {
            out.push(Tok::Punct(&text[i..i + 1]));
            i += 1;
        } else if c == b'"' {
            let end = text[i + 1..]
                .find('"')
                .ok_or_else(|| format!("unterminated string at {i}"))?;
            out.push(Tok::Str(&text[i + 1..i + 1 + end]));
            i += end + 2;
        } else if c == b'-' || c.is_ascii_digit() {
            let start = i;
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let n = text[start..i]
                .parse()
                .map_err(|_| format!("bad number `{}`", &text[start..i]))?;
            out.push(Tok::Num(n));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Tok::Ident(&text[start..i]));
        } else {
            return Err(format!("unexpected `{}` at {i}", c as char));
        }
    }
    Ok(out)
}

struct DefParser<'a> {
    toks: Vec<Tok<'a>>,
    pos: usize,
    types: Vec<Ty>,
    names: HashMap<String, TyId>,
}

impl<'a> DefParser<'a> {
    fn peek(&self) -> Option<&Tok<'a>> {
        self.toks.get(self.pos)
    }

    fn eat(&mut self, p: &str) -> bool {
        if self.peek() == Some(&Tok::Punct(p)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, p: &str) -> Result<(), String> {
        if self.eat(p) {
            Ok(())
        } else {
            Err(format!("expected `{p}`, found {:?}", self.peek()))
        }
    }

    fn push(&mut self, ty: Ty) -> TyId {
        self.types.push(ty);
        (self.types.len() - 1) as TyId
    }

    /// The id of a named type, reserved if it is not defined yet.
    fn named(&mut self, name: &str) -> TyId {
        if let Some(&id) = self.names.get(name) {
            return id;
        }
        let id = self.push(Ty::Pending);
        self.names.insert(name.to_string(), id);
        id
    }

    fn bounds(&mut self) -> Result<Bounds, String> {
        if !self.eat("(") {
            return Ok(Bounds::default());
        }
        let mut b = Bounds::default();
        if let Some(Tok::Num(n)) = self.peek() {
            b.min = Some(*n);
            self.pos += 1;
        }
        self.expect("..")?;
        if let Some(Tok::Num(n)) = self.peek() {
            b.max = Some(*n);
            self.pos += 1;
        }
        self.expect(")")?;
        Ok(b)
    }

    fn fields(&mut self) -> Result<Vec<Field>, String> {
        self.expect("{")?;
        let mut fields: Vec<Field> = Vec::new();
        while !self.eat("}") {
            if self.eat("..") {
                let Some(Tok::Ident(name)) = self.peek().cloned() else {
                    return Err("expected a type name after `..`".into());
                };
                self.pos += 1;
                let id = self.named(name);
                match &self.types[id as usize] {
                    Ty::Struct(more) => fields.extend(more.iter().cloned()),
                    _ => return Err(format!("`..{name}` is not a structure defined above")),
                }
            } else {
                let Some(Tok::Ident(name)) = self.peek().cloned() else {
                    return Err(format!("expected a member name, found {:?}", self.peek()));
                };
                self.pos += 1;
                let required = self.eat("!");
                self.expect(":")?;
                let ty = self.ty()?;
                fields.push(Field {
                    name: name.to_string(),
                    ty,
                    required,
                });
            }
            self.eat(",");
        }
        Ok(fields)
    }

    fn ty(&mut self) -> Result<TyId, String> {
        let Some(tok) = self.peek().cloned() else {
            return Err("expected a type, found the end".into());
        };
        self.pos += 1;
        let ty = match tok {
            Tok::Str(first) => {
                let mut values = vec![first.to_string()];
                while self.eat("|") {
                    match self.peek().cloned() {
                        Some(Tok::Str(s)) => values.push(s.to_string()),
                        other => return Err(format!("expected a string, found {other:?}")),
                    }
                    self.pos += 1;
                }
                Ty::Enum(values)
            }
            Tok::Punct("[") => {
                let member = self.ty()?;
                self.expect("]")?;
                let len = self.bounds()?;
                Ty::List { member, len }
            }
            Tok::Punct("{") => {
                self.pos -= 1;
                Ty::Struct(self.fields()?)
            }
            Tok::Ident("union") => Ty::Union(self.fields()?),
            Tok::Ident("map") => {
                self.expect("<")?;
                let key = self.ty()?;
                self.expect(",")?;
                let value = self.ty()?;
                self.expect(">")?;
                let len = self.bounds()?;
                Ty::Map { key, value, len }
            }
            Tok::Ident("string") => Ty::Str(self.bounds()?),
            Tok::Ident("int") => Ty::Int(
                Bounds::new(Some(-2_147_483_648.0), Some(2_147_483_647.0)).and(self.bounds()?),
            ),
            Tok::Ident("long") => Ty::Int(
                Bounds::new(Some(i64::MIN as f64), Some(i64::MAX as f64)).and(self.bounds()?),
            ),
            Tok::Ident("num") => Ty::Num(self.bounds()?),
            Tok::Ident("bool") => Ty::Bool,
            Tok::Ident("doc") => Ty::Any,
            Tok::Ident("blob") => Ty::Blob,
            Tok::Ident("ts") => Ty::Timestamp,
            Tok::Ident(name) if name.starts_with(|c: char| c.is_ascii_uppercase()) => {
                return Ok(self.named(name));
            }
            other => return Err(format!("expected a type, found {other:?}")),
        };
        Ok(self.push(ty))
    }
}

/// Reads the notation of [`defs`] into a type table and the traits by id.
fn parse_definitions(text: &str) -> Result<Known, String> {
    let mut p = DefParser {
        toks: Vec::new(),
        pos: 0,
        types: Vec::new(),
        names: HashMap::new(),
    };
    let mut traits = HashMap::new();
    let mut namespace = String::new();
    // Statements start at the beginning of a line with a keyword; a type may span lines.
    let mut statements: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.split_once('#').map_or(line, |(l, _)| l);
        if line.trim().is_empty() {
            continue;
        }
        let starts = ["namespace ", "trait ", "type "]
            .iter()
            .any(|k| line.starts_with(k));
        match statements.last_mut() {
            Some(s) if !starts => {
                s.push('\n');
                s.push_str(line);
            }
            _ => statements.push(line.to_string()),
        }
    }
    for s in &statements {
        if let Some(ns) = s.strip_prefix("namespace ") {
            namespace = ns.trim().to_string();
            continue;
        }
        let (head, body) = s
            .split_once('=')
            .ok_or_else(|| format!("no `=` in `{s}`"))?;
        let mut words = head.split_whitespace();
        let keyword = words.next().unwrap_or_default();
        let name = words.next().ok_or_else(|| format!("no name in `{s}`"))?;
        p.toks = tokenize(body)?;
        p.pos = 0;
        match keyword {
            "type" => {
                let slot = p.named(name);
                let id = p.ty()?;
                let ty = std::mem::replace(&mut p.types[id as usize], Ty::Pending);
                p.types[slot as usize] = ty;
            }
            "trait" => {
                let places = match words.next() {
                    Some("on") => {
                        let places: Option<Vec<Place>> = words.map(Place::parse).collect();
                        Some(places.ok_or_else(|| format!("bad `on` in `{head}`"))?)
                    }
                    Some(other) => return Err(format!("unexpected `{other}` in `{head}`")),
                    None => None,
                };
                let ty = p.ty()?;
                traits.insert(format!("{namespace}#{name}"), TraitDef { ty, places });
            }
            other => return Err(format!("unknown statement `{other}`")),
        }
        if p.pos != p.toks.len() {
            return Err(format!("trailing text in `{s}`: {:?}", &p.toks[p.pos..]));
        }
    }
    for (name, id) in &p.names {
        if p.types[*id as usize] == Ty::Pending {
            return Err(format!("type `{name}` is used but not defined"));
        }
    }
    Ok(Known {
        types: p.types,
        traits,
    })
}

// ----- the model's own trait definitions -----

/// Types built from the model's shapes, after the known ones in the table.
struct Types<'k> {
    known: &'k [Ty],
    local: Vec<Ty>,
    /// Model shape id → its type.
    ids: HashMap<String, TyId>,
}

impl Types<'_> {
    fn get(&self, id: TyId) -> &Ty {
        let i = id as usize;
        match self.known.get(i) {
            Some(t) => t,
            None => self.local.get(i - self.known.len()).unwrap_or(&Ty::Any),
        }
    }

    fn push(&mut self, ty: Ty) -> TyId {
        self.local.push(ty);
        (self.known.len() + self.local.len() - 1) as TyId
    }

    /// The type of the values of a model shape.
    fn of_shape(&mut self, model: &Model, id: &str) -> TyId {
        if let Some(&t) = self.ids.get(id) {
            return t;
        }
        let Some(shape) = model.shapes.get(id) else {
            return self.push(Ty::Any);
        };
        let slot = self.push(Ty::Pending);
        self.ids.insert(id.to_string(), slot);
        let length = bounds_trait(shape.traits.get("smithy.api#length"));
        let range = bounds_trait(shape.traits.get("smithy.api#range"));
        let ty = match &shape.kind {
            Kind::Simple(s) => simple_ty(*s, shape, length, range),
            Kind::List { member } => Ty::List {
                member: self.of_member(model, member),
                len: length,
            },
            Kind::Map { key, value } => Ty::Map {
                key: self.of_member(model, key),
                value: self.of_member(model, value),
                len: length,
            },
            Kind::Structure { members } | Kind::Union { members } => {
                let fields = members
                    .iter()
                    .map(|m| Field {
                        name: m.name.clone(),
                        ty: self.of_member(model, m),
                        required: m.traits.contains_key("smithy.api#required")
                            && !m.traits.contains_key("smithy.api#default"),
                    })
                    .collect();
                if matches!(shape.kind, Kind::Union { .. }) {
                    Ty::Union(fields)
                } else {
                    Ty::Struct(fields)
                }
            }
            Kind::Enum { members } => Ty::Enum(
                members
                    .iter()
                    .map(|m| typed::enum_value(m).to_string())
                    .collect(),
            ),
            Kind::IntEnum { members } => {
                Ty::IntEnum(members.iter().filter_map(typed::int_enum_value).collect())
            }
            Kind::Service(_) | Kind::Resource(_) | Kind::Operation(_) => Ty::Any,
        };
        self.local[slot as usize - self.known.len()] = ty;
        slot
    }

    /// The type of a member: its target's, narrowed by the member's own constraints.
    fn of_member(&mut self, model: &Model, m: &crate::model::Member) -> TyId {
        let base = self.of_shape(model, &m.target);
        let length = bounds_trait(m.traits.get("smithy.api#length"));
        let range = bounds_trait(m.traits.get("smithy.api#range"));
        if length == Bounds::default() && range == Bounds::default() {
            return base;
        }
        let narrowed = match self.get(base).clone() {
            Ty::Str(b) => Ty::Str(b.and(length)),
            Ty::Int(b) => Ty::Int(b.and(range)),
            Ty::Num(b) => Ty::Num(b.and(range)),
            Ty::List { member, len } => Ty::List {
                member,
                len: len.and(length),
            },
            Ty::Map { key, value, len } => Ty::Map {
                key,
                value,
                len: len.and(length),
            },
            _ => return base,
        };
        self.push(narrowed)
    }
}

fn bounds_trait(v: Option<&Value>) -> Bounds {
    let get = |k: &str| v.and_then(|v| v.get(k)).and_then(Value::as_f64);
    Bounds::new(get("min"), get("max"))
}

fn simple_ty(s: Simple, shape: &Shape, length: Bounds, range: Bounds) -> Ty {
    let int = |min: f64, max: f64| Ty::Int(Bounds::new(Some(min), Some(max)).and(range));
    match s {
        Simple::Blob => Ty::Blob,
        Simple::Boolean => Ty::Bool,
        Simple::String => match shape
            .traits
            .get("smithy.api#enum")
            .and_then(Value::as_array)
        {
            Some(items) => Ty::Enum(
                items
                    .iter()
                    .filter_map(|i| i.get("value")?.as_str().map(str::to_string))
                    .collect(),
            ),
            None => Ty::Str(length),
        },
        Simple::Byte => int(i8::MIN.into(), i8::MAX.into()),
        Simple::Short => int(i16::MIN.into(), i16::MAX.into()),
        Simple::Integer => int(i32::MIN.into(), i32::MAX.into()),
        Simple::Long => int(i64::MIN as f64, i64::MAX as f64),
        Simple::BigInteger => Ty::Int(range),
        Simple::Float | Simple::Double | Simple::BigDecimal => Ty::Num(range),
        Simple::Timestamp => Ty::Timestamp,
        Simple::Document => Ty::Any,
    }
}

/// Where a model-defined trait applies, when its selector is a plain list of kinds:
/// `structure`, `:is(structure, union)`, `:test(string, member > string)`,
/// `structure > member`.
fn places_of_selector(selector: &str) -> Option<Vec<Place>> {
    let s = selector.trim();
    let inner = s
        .strip_prefix(":is(")
        .or_else(|| s.strip_prefix(":test("))
        .and_then(|r| r.strip_suffix(')'));
    let items: Vec<&str> = match inner {
        Some(i) => i.split(',').collect(),
        None => vec![s],
    };
    items
        .into_iter()
        .map(|item| {
            let words: Vec<&str> = item.split_whitespace().collect();
            match words.as_slice() {
                ["member"] => Place::parse("member"),
                [of, ">", "member"] => Place::parse(&format!("{of}.member")),
                ["member", ">", to] => Place::parse(&format!("member>{to}")),
                [kind] if *kind != "*" => Place::parse(kind),
                _ => None,
            }
        })
        .collect()
}

// ----- checking -----

/// What `validate.rs` already reports about a trait, so that no problem is reported
/// twice.
enum Overlap {
    /// Nothing.
    None,
    /// The whole value: the checker leaves the value alone.
    All,
    /// A value of the wrong JSON kind, and these members of an object value.
    Kind(&'static [&'static str]),
}

fn overlap(trait_id: &str) -> Overlap {
    match trait_id {
        "smithy.api#documentation"
        | "smithy.api#title"
        | "smithy.api#error"
        | "smithy.api#timestampFormat"
        | "smithy.api#enum"
        | "smithy.api#enumValue"
        | "smithy.api#paginated"
        | "smithy.api#default"
        | "smithy.api#length"
        | "smithy.api#range"
        | "smithy.api#pattern" => Overlap::All,
        "smithy.api#required"
        | "smithy.api#clientOptional"
        | "smithy.api#input"
        | "smithy.api#sensitive"
        | "smithy.api#sparse"
        | "smithy.api#idempotencyToken"
        | "smithy.api#mixin"
        | "smithy.api#streaming"
        | "aws.protocols#awsQueryCompatible"
        | "aws.protocols#awsJson1_0"
        | "aws.protocols#awsJson1_1" => Overlap::Kind(&[]),
        "aws.api#service" => Overlap::Kind(&["sdkId", "endpointPrefix"]),
        "aws.auth#sigv4" => Overlap::Kind(&["name"]),
        "aws.protocols#awsQueryError" => Overlap::Kind(&["code"]),
        _ => Overlap::None,
    }
}

/// A step of the path into a trait value.
#[derive(Clone, Copy)]
enum Seg<'v> {
    Key(&'v str),
    Index(usize),
}

/// Appends `.key` or `["key"]` to a JSON path.
fn push_key(path: &mut String, key: &str) {
    if !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !key.starts_with(|c: char| c.is_ascii_digit())
    {
        path.push('.');
        path.push_str(key);
    } else {
        path.push('[');
        path.push_str(&Value::String(key.to_string()).to_string());
        path.push(']');
    }
}

/// A short rendering of a found value: scalars as JSON, containers by kind.
fn found(v: &Value) -> String {
    match v {
        Value::Array(_) | Value::Object(_) => describe(v).to_string(),
        Value::String(s) if s.chars().count() > 40 => {
            let short: String = s.chars().take(40).collect();
            format!("{}...", Value::String(short))
        }
        other => other.to_string(),
    }
}

/// One walk over one trait value.
struct Walk<'a, 'v> {
    types: &'a Types<'a>,
    /// The shape or member the trait is on, and its JSON path.
    subject: &'a str,
    at: &'a str,
    trait_id: &'a str,
    segs: Vec<Seg<'v>>,
    /// A protocol test's `params`, checked as Smithy checks them: the kinds of values,
    /// not the constraints (bounds, enum values, required members), which a test may
    /// break on purpose.
    params: bool,
    problems: &'a mut Vec<Diagnostic>,
    warnings: &'a mut Vec<Diagnostic>,
}

impl<'v> Walk<'_, 'v> {
    fn path(&self) -> String {
        let mut p = format!(
            "{}.traits[{}]",
            self.at,
            Value::String(self.trait_id.to_string())
        );
        for s in &self.segs {
            match s {
                Seg::Key(k) => push_key(&mut p, k),
                Seg::Index(i) => p.push_str(&format!("[{i}]")),
            }
        }
        p
    }

    fn diagnostic(&self, message: String) -> Diagnostic {
        Diagnostic::new(
            format!("{} @{}", self.subject, self.trait_id),
            self.path(),
            message,
        )
    }

    fn error(&mut self, message: String) {
        let d = self.diagnostic(message);
        self.problems.push(d);
    }

    fn mismatch(&mut self, ty: &Ty, v: &Value) {
        // A test's params are no annotation trait, even when they stand for a structure
        // without members.
        let expected = match ty {
            Ty::Struct(_) if self.params => "an object".to_string(),
            _ => ty.expected(),
        };
        self.error(format!("expected {expected}, found {}", found(v)));
    }

    /// Checks the top-level value, leaving out what validate.rs checks.
    fn top(&mut self, ty: TyId, v: &'v Value, overlap: &Overlap) {
        let t = self.types.get(ty);
        match overlap {
            Overlap::All => {}
            Overlap::None => self.value(ty, v),
            Overlap::Kind(skip) => match (t, v) {
                (Ty::Struct(fields), Value::Object(o)) => self.structure(fields, o, skip),
                (Ty::Struct(_), _) => {}
                _ if !kind_matches(t, v) => {}
                _ => self.value(ty, v),
            },
        }
    }

    fn value(&mut self, ty: TyId, v: &'v Value) {
        let types = self.types;
        let t = types.get(ty);
        match (t, v) {
            (Ty::Any | Ty::Pending, _) => {}
            (Ty::Bool, Value::Bool(_)) => {}
            (Ty::Blob, Value::String(_)) => {}
            (Ty::Timestamp, Value::String(_) | Value::Number(_)) => {}
            (Ty::Str(b), Value::String(s)) => {
                if *b != Bounds::default() && !self.params {
                    let n = s.chars().count() as f64;
                    if !b.contains(n) {
                        self.error(format!(
                            "expected a string of {} characters, found {}",
                            b.text(),
                            found(v)
                        ));
                    }
                }
            }
            (Ty::Enum(values), Value::String(s)) => {
                if !self.params && !values.iter().any(|x| x == s) {
                    self.mismatch(t, v);
                }
            }
            (Ty::Int(b), Value::Number(n)) => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                let integral = n.is_i64() || n.is_u64() || x.fract() == 0.0;
                if !integral {
                    self.mismatch(t, v);
                } else if !b.contains(x) {
                    self.error(format!("expected an integer {}, found {v}", b.int_text()));
                }
            }
            (Ty::IntEnum(values), Value::Number(n)) => {
                if !n
                    .as_i64()
                    .is_some_and(|i| self.params || values.contains(&i))
                {
                    self.mismatch(t, v);
                }
            }
            // In a test's params: null for what is absent (an optional member, a sparse
            // list's or map's item); the non-finite floats as strings; and numbers
            // beyond what JSON numbers hold, as text.
            (_, Value::Null) if self.params => {}
            (Ty::Num(_), Value::String(s))
                if self.params && matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") => {}
            (Ty::Int(_) | Ty::Num(_), Value::String(s))
                if self.params && s.parse::<f64>().is_ok_and(f64::is_infinite) => {}
            (Ty::Num(b), Value::Number(n)) => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                if !self.params && !b.contains(x) {
                    self.error(format!("expected a number {}, found {v}", b.text()));
                }
            }
            (Ty::List { member, len }, Value::Array(items)) => {
                if !self.params && !len.contains(items.len() as f64) {
                    self.error(format!(
                        "expected a list of {} items, found {}",
                        len.text(),
                        items.len()
                    ));
                }
                for (i, item) in items.iter().enumerate() {
                    self.segs.push(Seg::Index(i));
                    self.value(*member, item);
                    self.segs.pop();
                }
            }
            (Ty::Map { key, value, len }, Value::Object(o)) => {
                if !self.params && !len.contains(o.len() as f64) {
                    self.error(format!(
                        "expected a map of {} entries, found {}",
                        len.text(),
                        o.len()
                    ));
                }
                let key_ty = types.get(*key);
                for (k, x) in o {
                    self.segs.push(Seg::Key(k));
                    if !matches!(key_ty, Ty::Any) && !self.params {
                        let key_value = Value::String(k.clone());
                        self.key(key_ty, &key_value);
                    }
                    self.value(*value, x);
                    self.segs.pop();
                }
            }
            (Ty::Struct(fields), Value::Object(o)) => self.structure(fields, o, &[]),
            (Ty::Union(fields), Value::Object(o)) => {
                if o.len() != 1 {
                    self.error(format!(
                        "expected exactly one member of a union, found {}",
                        o.len()
                    ));
                }
                for (k, x) in o {
                    self.segs.push(Seg::Key(k));
                    match fields.iter().find(|f| f.name == *k) {
                        Some(f) => self.value(f.ty, x),
                        None => {
                            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                            self.error(format!(
                                "`{k}` is not a member of the union; expected one of: {}",
                                names.join(", ")
                            ));
                        }
                    }
                    self.segs.pop();
                }
            }
            _ => self.mismatch(t, v),
        }
    }

    /// A map key, checked as a string value, reported at the key.
    fn key(&mut self, ty: &Ty, key: &Value) {
        let ok = match (ty, key) {
            (Ty::Str(b), Value::String(s)) => b.contains(s.chars().count() as f64),
            (Ty::Enum(values), Value::String(s)) => values.iter().any(|x| x == s),
            _ => true,
        };
        if !ok {
            self.error(format!(
                "the map key {} is not valid: expected {}",
                found(key),
                match ty {
                    Ty::Str(b) => format!("a string of {} characters", b.text()),
                    other => other.expected(),
                }
            ));
        }
    }

    fn structure(
        &mut self,
        fields: &[Field],
        o: &'v serde_json::Map<String, Value>,
        skip: &[&str],
    ) {
        for (k, x) in o {
            if skip.contains(&k.as_str()) {
                continue;
            }
            match fields.iter().find(|f| f.name == *k) {
                Some(f) => {
                    self.segs.push(Seg::Key(k));
                    self.value(f.ty, x);
                    self.segs.pop();
                }
                None => {
                    // Smithy warns about members a definition does not have, and goes on.
                    self.segs.push(Seg::Key(k));
                    let d = self.diagnostic(if self.params {
                        format!("`{k}` is not a member of the structure these params stand for; it is ignored")
                    } else {
                        format!(
                            "`{k}` is not a member of the `{}` trait value here; it is ignored",
                            self.trait_id
                        )
                    });
                    self.segs.pop();
                    self.warnings.push(d);
                }
            }
        }
        for f in fields {
            if f.required
                && !self.params
                && !o.contains_key(&f.name)
                && !skip.contains(&f.name.as_str())
            {
                self.error(format!(
                    "the required member `{}` is missing ({} expected)",
                    f.name,
                    self.types.get(f.ty).expected()
                ));
            }
        }
    }
}

/// Whether a value has the JSON kind a type wants (bounds and sets aside).
fn kind_matches(t: &Ty, v: &Value) -> bool {
    match t {
        Ty::Any | Ty::Pending => true,
        Ty::Bool => v.is_boolean(),
        Ty::Str(_) | Ty::Enum(_) | Ty::Blob => v.is_string(),
        Ty::Int(_) | Ty::IntEnum(_) | Ty::Num(_) => v.is_number(),
        Ty::Timestamp => v.is_string() || v.is_number(),
        Ty::List { .. } => v.is_array(),
        Ty::Map { .. } | Ty::Struct(_) | Ty::Union(_) => v.is_object(),
    }
}

/// A trait's definition for this model: the model's own shape, or a known one.
#[derive(Clone, Copy)]
enum Resolved {
    Unknown,
    /// A shape of the model that is no trait (it has no `@trait`).
    NotATrait,
    Def {
        ty: TyId,
        /// Where it applies, as an index into [`Checker::places`].
        places: Option<usize>,
    },
}

struct Checker<'a, 'm> {
    model: &'m Model,
    known: &'static Known,
    types: Types<'static>,
    /// Definitions by trait id, resolved on first use.
    resolved: HashMap<String, Resolved>,
    places: Vec<Vec<Place>>,
    problems: &'a mut Vec<Diagnostic>,
    warnings: &'a mut Vec<Diagnostic>,
}

impl Checker<'_, '_> {
    fn resolve(&mut self, id: &str) -> Resolved {
        if let Some(r) = self.resolved.get(id) {
            return *r;
        }
        let r = match self.model.shapes.get(id) {
            Some(shape) if shape.path != "prelude" => match shape.traits.get("smithy.api#trait") {
                Some(t) => {
                    let places = t
                        .get("selector")
                        .and_then(Value::as_str)
                        .and_then(places_of_selector);
                    Resolved::Def {
                        ty: self.types.of_shape(self.model, id),
                        places: places.map(|p| self.add_places(p)),
                    }
                }
                None => Resolved::NotATrait,
            },
            _ => match self.known.traits.get(id) {
                Some(d) => Resolved::Def {
                    ty: d.ty,
                    places: d.places.clone().map(|p| self.add_places(p)),
                },
                None => Resolved::Unknown,
            },
        };
        self.resolved.insert(id.to_string(), r);
        r
    }

    fn add_places(&mut self, places: Vec<Place>) -> usize {
        self.places.push(places);
        self.places.len() - 1
    }

    /// Checks the traits of a shape (`member` is `None`) or of one of its members
    /// (`Some(target kind)`).
    fn traits(
        &mut self,
        shape: &Shape,
        subject: &str,
        at: &str,
        traits: &crate::model::Traits,
        member: Option<Option<u32>>,
    ) {
        for (id, v) in traits {
            let (ty, places) = match self.resolve(id) {
                Resolved::Def { ty, places } => (ty, places),
                Resolved::NotATrait => {
                    self.problems.push(Diagnostic::new(
                        format!("{subject} @{id}"),
                        format!("{at}.traits[{}]", Value::String(id.to_string())),
                        format!("`{id}` is a shape of the model, not a trait (it has no `@trait`): it cannot be applied as one"),
                    ));
                    continue;
                }
                Resolved::Unknown => continue,
            };
            if let Some(i) = places {
                check_place(
                    id,
                    &self.places[i],
                    shape,
                    member,
                    subject,
                    at,
                    self.problems,
                );
            }
            let mut w = Walk {
                types: &self.types,
                subject,
                at,
                trait_id: id,
                segs: Vec::new(),
                params: false,
                problems: self.problems,
                warnings: self.warnings,
            };
            w.top(ty, v, &overlap(id));
        }
    }
}

impl Checker<'_, '_> {
    /// The `params` of a shape's protocol test cases against the structure they stand
    /// for: an operation's request cases its input, its response cases its output, an
    /// error's response cases the error.
    fn test_params(&mut self, shape: &Shape) {
        const REQUEST: &str = "smithy.test#httpRequestTests";
        const RESPONSE: &str = "smithy.test#httpResponseTests";
        let cases: Vec<(&str, &str)> = match &shape.kind {
            Kind::Operation(op) => vec![(REQUEST, &op.input), (RESPONSE, &op.output)],
            Kind::Structure { .. } if shape.traits.contains_key("smithy.api#error") => {
                vec![(RESPONSE, &shape.id)]
            }
            _ => return,
        };
        for (trait_id, target) in cases {
            let Some(Value::Array(list)) = shape.traits.get(trait_id) else {
                continue;
            };
            for (i, case) in list.iter().enumerate() {
                let Some(params) = case.get("params") else {
                    continue;
                };
                let ty = self.types.of_shape(self.model, target);
                let mut w = Walk {
                    types: &self.types,
                    subject: &shape.id,
                    at: &shape.path,
                    trait_id,
                    segs: vec![Seg::Index(i), Seg::Key("params")],
                    params: true,
                    problems: self.problems,
                    warnings: self.warnings,
                };
                w.value(ty, params);
            }
        }
    }
}

/// Checks every trait value of the model against its definition. Errors go to
/// `problems`, what Smithy only warns about to `warnings`.
pub fn check(model: &Model, problems: &mut Vec<Diagnostic>, warnings: &mut Vec<Diagnostic>) {
    let known = known();
    let mut c = Checker {
        model,
        known,
        types: Types {
            known: &known.types,
            local: Vec::new(),
            ids: HashMap::new(),
        },
        resolved: HashMap::new(),
        places: Vec::new(),
        problems,
        warnings,
    };
    for shape in model.shapes.values() {
        if shape.path == "prelude" {
            continue;
        }
        c.traits(shape, &shape.id, &shape.path, &shape.traits, None);
        for m in shape.kind.members() {
            if m.traits.is_empty() {
                continue;
            }
            let subject = format!("{}${}", shape.id, m.name);
            let target = model.shapes.get(&m.target).map(|t| kind_bit(&t.kind));
            c.traits(shape, &subject, &m.path, &m.traits, Some(target));
        }
        c.test_params(shape);
    }
}

/// Reports a trait applied where its definition says it cannot be.
fn check_place(
    id: &str,
    places: &[Place],
    shape: &Shape,
    member: Option<Option<u32>>,
    subject: &str,
    at: &str,
    problems: &mut Vec<Diagnostic>,
) {
    // validate.rs reports these itself.
    if id == "smithy.api#error" {
        return;
    }
    let container = kind_bit(&shape.kind);
    if id == "smithy.api#required"
        && member.is_some()
        && container & (kinds::LIST | kinds::MAP) != 0
    {
        return;
    }
    let ok = places.iter().any(|p| match (p, member) {
        (Place::Shape(mask), None) => mask & container != 0,
        (Place::Member { of, to }, Some(target)) => {
            of & container != 0 && target.map_or(true, |t| to & t != 0)
        }
        _ => false,
    });
    if ok {
        return;
    }
    let what = match member {
        None => format!("the {} shape", shape.kind.type_name()),
        Some(target) => {
            let target = target
                .and_then(|t| ALL_KINDS.iter().find(|(_, b)| *b == t).map(|(n, _)| *n))
                .map(|n| {
                    let article = if n.starts_with(['a', 'e', 'i', 'o', 'u']) {
                        "an"
                    } else {
                        "a"
                    };
                    format!(", which targets {article} {n}")
                })
                .unwrap_or_default();
            format!("a member of a {}{target}", shape.kind.type_name())
        }
    };
    let allowed: Vec<String> = places.iter().map(Place::text).collect();
    problems.push(Diagnostic::new(
        format!("{subject} @{id}"),
        format!("{at}.traits[{}]", Value::String(id.to_string())),
        format!(
            "the `{id}` trait cannot be applied to {what}; it applies to {}",
            allowed.join(", ")
        ),
    ));
}

/// Exact kind names by bit, for messages.
const ALL_KINDS: &[(&str, u32)] = &[
    ("blob", kinds::BLOB),
    ("boolean", kinds::BOOLEAN),
    ("string", kinds::STRING),
    ("byte", kinds::BYTE),
    ("short", kinds::SHORT),
    ("integer", kinds::INTEGER),
    ("long", kinds::LONG),
    ("float", kinds::FLOAT),
    ("double", kinds::DOUBLE),
    ("bigInteger", kinds::BIG_INTEGER),
    ("bigDecimal", kinds::BIG_DECIMAL),
    ("timestamp", kinds::TIMESTAMP),
    ("document", kinds::DOCUMENT),
    ("list", kinds::LIST),
    ("map", kinds::MAP),
    ("structure", kinds::STRUCTURE),
    ("union", kinds::UNION),
    ("enum", kinds::ENUM),
    ("intEnum", kinds::INT_ENUM),
    ("service", kinds::SERVICE),
    ("resource", kinds::RESOURCE),
    ("operation", kinds::OPERATION),
];

/// Whether the trait has a known definition (one Smithy ships).
pub fn is_known_trait(id: &str) -> bool {
    known().traits.contains_key(id)
}

/// How many trait definitions are known (for tests and reports).
pub fn known_trait_count() -> usize {
    known().traits.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_read() {
        let k = known();
        assert!(k.traits.len() > 120, "{}", k.traits.len());
        assert!(k.traits.contains_key("smithy.test#httpRequestTests"));
        assert!(k.traits.contains_key("smithy.waiters#waitable"));
        assert_eq!(k.traits.len(), known_trait_count());
    }

    #[test]
    fn selectors_of_model_traits() {
        assert_eq!(
            places_of_selector("structure"),
            Some(vec![Place::Shape(kinds::STRUCTURE)])
        );
        assert_eq!(
            places_of_selector(":is(structure, union)").map(|p| p.len()),
            Some(2)
        );
        assert_eq!(
            places_of_selector("structure > member"),
            Some(vec![Place::Member {
                of: kinds::STRUCTURE,
                to: kinds::ALL
            }])
        );
        assert_eq!(places_of_selector("service [trait|xmlNamespace]"), None);
        assert_eq!(places_of_selector("*"), None);
    }
}
