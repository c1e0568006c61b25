//! The recursive-descent parser: tokens to the syntax tree of [`super::ast`].
//!
//! Line breaks matter in a few places of the grammar (statements end with a line
//! break, `with` must be on the shape's line, ...); tokens carry whether a line break
//! came before them, which is all these rules need.

use super::ast::*;
use super::lexer::{tokenize, Kind, Pos, Token};
use super::{IdlError, ParsedFile};
use std::sync::Arc;

/// The deepest nesting of node values (and of anything recursive) accepted.
pub(crate) const MAX_DEPTH: usize = 64;

const SIMPLE_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "document",
];

type PResult<T> = Result<T, IdlError>;

/// Where a consumed token was.
#[derive(Debug, Clone, Copy)]
struct Mark {
    pos: Pos,
    start: usize,
    end: usize,
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    file: Arc<str>,
    text: Arc<str>,
    toks: Vec<Token>,
    i: usize,
    v2: bool,
    version: Option<String>,
    input_suffix: String,
    output_suffix: String,
}

/// Parses one file.
pub(crate) fn parse_file(file_name: &str, text: &str) -> PResult<ParsedFile> {
    let mut p = Parser {
        src: text,
        file: Arc::from(file_name),
        text: Arc::from(text),
        toks: tokenize(text),
        i: 0,
        v2: false,
        version: None,
        input_suffix: "Input".into(),
        output_suffix: "Output".into(),
    };
    p.file()
}

impl<'a> Parser<'a> {
    // ----- token helpers -----

    fn tok(&self) -> &Token {
        // `tokenize` always ends with Eof and the parser never moves past it.
        let last = self.toks.len().saturating_sub(1);
        &self.toks[self.i.min(last)]
    }

    fn peek(&self, n: usize) -> &Token {
        let last = self.toks.len().saturating_sub(1);
        &self.toks[(self.i + n).min(last)]
    }

    /// Moves past the current token (never past `Eof`) and returns where it was.
    fn advance(&mut self) -> Mark {
        let t = self.tok();
        let m = Mark {
            pos: t.pos,
            start: t.start,
            end: t.end,
        };
        if !matches!(t.kind, Kind::Eof) {
            self.i += 1;
        }
        m
    }

    /// Moves past the current string or text block token, taking its value.
    fn take_str(&mut self) -> (String, Pos) {
        let last = self.toks.len().saturating_sub(1);
        let i = self.i.min(last);
        let s = match &mut self.toks[i].kind {
            Kind::Str(s) | Kind::TextBlock(s) => std::mem::take(s),
            _ => String::new(),
        };
        (s, self.advance().pos)
    }

    fn text_of(&self, t: &Token) -> &'a str {
        self.src.get(t.start..t.end).unwrap_or("")
    }

    fn mark_text(&self, m: &Mark) -> &'a str {
        self.src.get(m.start..m.end).unwrap_or("")
    }

    fn is_ident(&self, word: &str) -> bool {
        let t = self.tok();
        matches!(t.kind, Kind::Ident) && self.text_of(t) == word
    }

    fn error(&self, pos: Pos, message: impl Into<String>) -> IdlError {
        IdlError::at(&self.file, &self.text, pos, message.into())
    }

    /// "expected X, found Y" at the current token (or the lexer's own message).
    fn unexpected(&self, expected: &str) -> IdlError {
        let t = self.tok();
        if let Kind::Error(m) = &t.kind {
            return self.error(t.pos, m.clone());
        }
        self.error(
            t.pos,
            format!("expected {expected}, found {}", t.describe(self.src)),
        )
    }

    /// Like [`Self::unexpected`], but when whitespace separates the current token from
    /// the previous one, points at the whitespace.
    fn unexpected_gap(&self, expected: &str) -> IdlError {
        let t = self.tok();
        if t.ws_before && !matches!(t.kind, Kind::Error(_)) {
            let what = if t.nl_before {
                "a line break"
            } else {
                "whitespace"
            };
            return self.error(t.gap, format!("expected {expected}, found {what}"));
        }
        self.unexpected(expected)
    }

    fn expect(&mut self, kind: Kind, context: &str) -> PResult<Mark> {
        if std::mem::discriminant(&self.tok().kind) == std::mem::discriminant(&kind) {
            Ok(self.advance())
        } else {
            let what = format!("`{}`{context}", super::lexer::punct(&kind));
            Err(self.unexpected(&what))
        }
    }

    /// Statements end with a line break (or the end of the file).
    fn expect_br(&self) -> PResult<()> {
        let t = self.tok();
        if matches!(t.kind, Kind::Eof) || t.nl_before {
            Ok(())
        } else {
            Err(self.unexpected("a line break"))
        }
    }

    /// The current token must follow on the same line, after at least one space.
    fn expect_space(&self, what: &str) -> PResult<()> {
        let t = self.tok();
        if let Kind::Error(m) = &t.kind {
            return Err(self.error(t.pos, m.clone()));
        }
        if t.nl_before || matches!(t.kind, Kind::Eof) {
            return Err(self.error(
                t.gap,
                format!("expected a space and {what} on the same line"),
            ));
        }
        if !t.ws_before {
            return Err(self.error(
                t.pos,
                format!(
                    "expected a space before {what}, found {}",
                    t.describe(self.src)
                ),
            ));
        }
        Ok(())
    }

    /// The current token must be on the same line as the previous one.
    fn expect_same_line(&self, what: &str) -> PResult<()> {
        let t = self.tok();
        if t.nl_before && !matches!(t.kind, Kind::Error(_)) {
            return Err(self.error(t.gap, format!("expected {what} on the same line")));
        }
        Ok(())
    }

    fn ident(&mut self, what: &str) -> PResult<(String, Pos)> {
        if matches!(self.tok().kind, Kind::Ident) {
            let t = self.advance();
            Ok((self.mark_text(&t).to_string(), t.pos))
        } else {
            Err(self.unexpected(what))
        }
    }

    /// An adjacent token of the given kind (no whitespace before it).
    fn adjacent(&self, kind: &Kind) -> bool {
        let t = self.tok();
        !t.ws_before && std::mem::discriminant(&t.kind) == std::mem::discriminant(kind)
    }

    /// `a.b.c`
    fn namespace_id(&mut self) -> PResult<(String, Pos)> {
        let (mut s, pos) = self.ident("a namespace")?;
        while self.adjacent(&Kind::Dot) {
            self.advance();
            if self.tok().ws_before {
                return Err(self.unexpected_gap("an identifier after `.`"));
            }
            let (part, _) = self.ident("an identifier after `.`")?;
            s.push('.');
            s.push_str(&part);
        }
        Ok((s, pos))
    }

    /// A shape id (`Foo`, `ns.a#Foo`, optionally `$member`), written without spaces.
    fn shape_id(&mut self, allow_member: bool) -> PResult<(String, Pos)> {
        if !matches!(self.tok().kind, Kind::Ident) {
            return Err(self.unexpected("a shape id"));
        }
        let (mut s, pos) = self.namespace_id()?;
        if self.adjacent(&Kind::Pound) {
            self.advance();
            if self.tok().ws_before {
                return Err(self.unexpected_gap("an identifier after `#`"));
            }
            let (name, _) = self.ident("an identifier after `#`")?;
            s.push('#');
            s.push_str(&name);
        } else if s.contains('.') {
            return Err(self.unexpected_gap("`#` after a namespace"));
        }
        if allow_member && self.adjacent(&Kind::Dollar) {
            self.advance();
            if self.tok().ws_before {
                return Err(self.unexpected_gap("a member name after `$`"));
            }
            let (name, _) = self.ident("a member name after `$`")?;
            s.push('$');
            s.push_str(&name);
        }
        Ok((s, pos))
    }

    // ----- node values -----

    fn node(&mut self, depth: usize) -> PResult<Node> {
        if depth > MAX_DEPTH {
            return Err(self.error(
                self.tok().pos,
                format!("node values are nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        let pos = self.tok().pos;
        let kind = match &self.tok().kind {
            Kind::LBrace => {
                self.advance();
                NodeKind::Object(self.object_body(depth, &Kind::RBrace)?)
            }
            Kind::LBracket => {
                self.advance();
                let mut items = Vec::new();
                loop {
                    if matches!(self.tok().kind, Kind::RBracket) {
                        self.advance();
                        break;
                    }
                    items.push(self.node(depth + 1)?);
                }
                NodeKind::Array(items)
            }
            Kind::Str(_) | Kind::TextBlock(_) => NodeKind::Str(self.take_str().0),
            Kind::Number(n) => {
                let n = (**n).clone();
                self.advance();
                NodeKind::Number(n)
            }
            Kind::Ident => match self.text_of(self.tok()) {
                "true" => {
                    self.advance();
                    NodeKind::Bool(true)
                }
                "false" => {
                    self.advance();
                    NodeKind::Bool(false)
                }
                "null" => {
                    self.advance();
                    NodeKind::Null
                }
                _ => NodeKind::Id(self.shape_id(true)?.0),
            },
            _ => {
                return Err(self
                    .unexpected("a value (a string, text block, number, identifier, `{` or `[`)"))
            }
        };
        Ok(Node { kind, pos })
    }

    /// `key: value` pairs up to `close` (consumed).
    fn object_body(&mut self, depth: usize, close: &Kind) -> PResult<Vec<(String, Pos, Node)>> {
        let mut entries: Vec<(String, Pos, Node)> = Vec::new();
        loop {
            if std::mem::discriminant(&self.tok().kind) == std::mem::discriminant(close) {
                self.advance();
                return Ok(entries);
            }
            let (key, kpos) = match &self.tok().kind {
                Kind::Ident => {
                    let t = self.advance();
                    (self.mark_text(&t).to_string(), t.pos)
                }
                Kind::Str(_) => self.take_str(),
                _ => {
                    let what = format!("an object key or `{}`", super::lexer::punct(close));
                    return Err(self.unexpected(&what));
                }
            };
            self.expect(Kind::Colon, " after an object key")?;
            let value = self.node(depth + 1)?;
            if entries.iter().any(|(k, _, _)| *k == key) {
                return Err(self.error(kpos, format!("duplicate object key `{key}`")));
            }
            entries.push((key, kpos, value));
        }
    }

    // ----- traits -----

    fn traits(&mut self) -> PResult<Vec<TraitApp>> {
        let mut out = Vec::new();
        while matches!(self.tok().kind, Kind::At) {
            out.push(self.trait_app()?);
        }
        Ok(out)
    }

    fn trait_app(&mut self) -> PResult<TraitApp> {
        let at = self.advance();
        if self.tok().ws_before {
            return Err(self.unexpected("a trait name right after `@`"));
        }
        let (name, _) = self.shape_id(false)?;
        let mut value = None;
        if matches!(self.tok().kind, Kind::LParen) && !self.tok().nl_before {
            let open = self.advance();
            let t = self.tok();
            let structured = matches!(t.kind, Kind::Ident | Kind::Str(_))
                && matches!(self.peek(1).kind, Kind::Colon);
            if matches!(t.kind, Kind::RParen) {
                self.advance();
            } else if structured {
                let entries = self.object_body(0, &Kind::RParen)?;
                value = Some(Node {
                    kind: NodeKind::Object(entries),
                    pos: open.pos,
                });
            } else {
                value = Some(self.node(0)?);
                self.expect(Kind::RParen, " to close the trait value")?;
            }
        }
        Ok(TraitApp {
            name,
            pos: at.pos,
            value,
        })
    }

    // ----- statements -----

    fn file(&mut self) -> PResult<ParsedFile> {
        let mut seen_controls: Vec<String> = Vec::new();
        while matches!(self.tok().kind, Kind::Dollar) {
            self.control(&mut seen_controls)?;
        }
        let mut metadata = Vec::new();
        while self.is_ident("metadata") {
            metadata.push(self.metadata()?);
        }
        let mut out = ParsedFile {
            file: self.file.clone(),
            text: self.text.clone(),
            v2: self.v2,
            namespace: None,
            uses: Vec::new(),
            metadata,
            shapes: Vec::new(),
            applies: Vec::new(),
        };
        if matches!(self.tok().kind, Kind::Eof) {
            return Ok(out);
        }
        if !self.is_ident("namespace") {
            return Err(self.unexpected("a namespace statement"));
        }
        self.advance();
        self.expect_space("a namespace")?;
        let (ns, _) = self.namespace_id()?;
        self.expect_br()?;
        out.namespace = Some(ns);
        while self.is_ident("use") {
            self.advance();
            self.expect_space("a shape id")?;
            let (id, pos) = self.shape_id(false)?;
            if !id.contains('#') {
                return Err(self.unexpected_gap("`#`: `use` needs an absolute shape id"));
            }
            self.expect_br()?;
            out.uses.push((id, pos));
        }
        while !matches!(self.tok().kind, Kind::Eof) {
            self.shape_or_apply(&mut out)?;
        }
        Ok(out)
    }

    fn control(&mut self, seen: &mut Vec<String>) -> PResult<()> {
        self.advance();
        if self.tok().ws_before {
            return Err(self.unexpected("a control statement key right after `$`"));
        }
        let (key, kpos) = match &self.tok().kind {
            Kind::Ident => {
                let t = self.advance();
                (self.mark_text(&t).to_string(), t.pos)
            }
            Kind::Str(_) => self.take_str(),
            _ => return Err(self.unexpected("a control statement key")),
        };
        self.expect_same_line("`:`")?;
        self.expect(Kind::Colon, " after the control statement key")?;
        self.expect_same_line("the control statement value")?;
        let value = self.node(0)?;
        self.expect_br()?;
        if seen.contains(&key) {
            return Err(self.error(value.pos, format!("duplicate control statement `{key}`")));
        }
        seen.push(key.clone());
        let as_str = match &value.kind {
            NodeKind::Str(s) => Some(s.clone()),
            _ => None,
        };
        match key.as_str() {
            "version" => {
                let v = as_str.unwrap_or_default();
                self.v2 = match v.as_str() {
                    "1" | "1.0" => false,
                    "2" | "2.0" => true,
                    _ => {
                        return Err(self.error(
                            value.pos,
                            format!("unsupported IDL version `{v}` (expected \"1.0\" or \"2.0\")"),
                        ))
                    }
                };
                self.version = Some(v);
            }
            "operationInputSuffix" | "operationOutputSuffix" => {
                let Some(s) = as_str else {
                    return Err(self.error(value.pos, format!("`${key}` must be a string")));
                };
                if key == "operationInputSuffix" {
                    self.input_suffix = s;
                } else {
                    self.output_suffix = s;
                }
            }
            _ => {
                // Unknown control statements are ignored (Smithy only warns).
                let _ = kpos;
            }
        }
        Ok(())
    }

    fn metadata(&mut self) -> PResult<MetaDef> {
        self.advance();
        self.expect_space("a metadata key")?;
        let (key, pos) = match &self.tok().kind {
            Kind::Ident => {
                let t = self.advance();
                (self.mark_text(&t).to_string(), t.pos)
            }
            Kind::Str(_) => self.take_str(),
            _ => return Err(self.unexpected("a metadata key")),
        };
        self.expect_same_line("`=`")?;
        self.expect(Kind::Eq, " after the metadata key")?;
        self.expect_same_line("the metadata value")?;
        let value = self.node(0)?;
        self.expect_br()?;
        Ok(MetaDef { key, pos, value })
    }

    fn shape_or_apply(&mut self, out: &mut ParsedFile) -> PResult<()> {
        let doc = self.tok().doc.as_ref().map(|d| Doc {
            text: d.text.clone(),
            pos: d.pos,
        });
        let traits = self.traits()?;
        if !matches!(self.tok().kind, Kind::Ident) {
            return Err(self.unexpected("a shape type or `apply`"));
        }
        let word = self.text_of(self.tok());
        if word == "apply" {
            if let Some(t) = traits.first() {
                return Err(self.error(t.pos, "traits cannot be written before `apply`"));
            }
            let a = self.apply()?;
            out.applies.push(a);
            return Ok(());
        }
        let known = SIMPLE_TYPES.contains(&word)
            || matches!(
                word,
                "enum"
                    | "intEnum"
                    | "list"
                    | "set"
                    | "map"
                    | "structure"
                    | "union"
                    | "service"
                    | "resource"
                    | "operation"
            );
        if !known {
            let t = self.tok();
            return Err(self.error(t.pos, format!("unknown shape type `{word}`")));
        }
        let kind = word.to_string();
        let kw = self.advance();
        if !self.v2 && matches!(kind.as_str(), "enum" | "intEnum") {
            return Err(self.error(
                kw.pos,
                format!("{kind} shapes cannot be used in Smithy version 1.0"),
            ));
        }
        if self.v2 && kind == "set" {
            return Err(self.error(
                kw.pos,
                "set shapes cannot be used in Smithy version 2.0: use a list with `@uniqueItems`",
            ));
        }
        self.expect_space("a shape name")?;
        let (name, pos) = self.ident("a shape name")?;
        let mut shape = ShapeDef {
            name,
            pos,
            kind,
            traits,
            doc,
            mixins: Vec::new(),
            for_resource: None,
            members: Vec::new(),
            props: Vec::new(),
            has_body: false,
        };
        let mut inline = Vec::new();
        // `for` binds the members of an aggregate shape to a resource's.
        if matches!(shape.kind.as_str(), "structure" | "union" | "list" | "map")
            && self.is_ident("for")
            && !self.tok().nl_before
        {
            let t = self.advance();
            if !self.v2 {
                return Err(self.error(
                    t.pos,
                    format!(
                        "{} shapes can only be bound to resources with Smithy version 2 or later",
                        shape.kind
                    ),
                ));
            }
            self.expect_space("a resource shape id")?;
            shape.for_resource = Some(self.shape_id(false)?);
        }
        self.mixins(&mut shape, true)?;
        match shape.kind.as_str() {
            k if SIMPLE_TYPES.contains(&k) => {}
            "service" | "resource" | "operation" => {
                self.props(&mut shape, &mut inline)?;
            }
            _ => {
                self.members(&mut shape)?;
            }
        }
        self.expect_br()?;
        out.shapes.push(shape);
        out.shapes.extend(inline);
        Ok(())
    }

    /// `with [A, B]` (on the shape's line unless `any_line`).
    fn mixins(&mut self, shape: &mut ShapeDef, same_line: bool) -> PResult<()> {
        if !self.is_ident("with") || (same_line && self.tok().nl_before) {
            return Ok(());
        }
        let t = self.advance();
        if !self.v2 {
            return Err(self.error(
                t.pos,
                "mixins can only be used with Smithy version 2 or later",
            ));
        }
        self.expect(Kind::LBracket, " after `with`")?;
        if matches!(self.tok().kind, Kind::RBracket) {
            return Err(self.unexpected("a mixin's shape id (`with [...]` names one at least)"));
        }
        loop {
            if matches!(self.tok().kind, Kind::RBracket) {
                self.advance();
                break;
            }
            let id = self.shape_id(false)?;
            shape.mixins.push(id);
        }
        Ok(())
    }

    fn members(&mut self, shape: &mut ShapeDef) -> PResult<()> {
        let ctx = format!(" to start the members of `{}`", shape.name);
        self.expect(Kind::LBrace, &ctx)?;
        shape.has_body = true;
        let is_enum = matches!(shape.kind.as_str(), "enum" | "intEnum");
        loop {
            if matches!(self.tok().kind, Kind::RBrace) {
                self.advance();
                break;
            }
            let doc = self.tok().doc.as_ref().map(|d| Doc {
                text: d.text.clone(),
                pos: d.pos,
            });
            let traits = self.traits()?;
            let member = if matches!(self.tok().kind, Kind::Dollar) && !is_enum {
                let d = self.advance();
                if !self.v2 {
                    return Err(self.error(
                        d.pos,
                        "members can only elide targets in IDL version 2 or later",
                    ));
                }
                if self.tok().ws_before {
                    return Err(self.unexpected("a member name right after `$`"));
                }
                let (name, pos) = self.ident("a member name")?;
                MemberDef {
                    name,
                    pos,
                    target: None,
                    traits,
                    doc,
                    value: None,
                }
            } else {
                let close = format!("a member name or `}}` to close `{}`", shape.name);
                let (name, pos) = self.ident(&close)?;
                let target = if is_enum {
                    None
                } else {
                    self.expect(Kind::Colon, " after the member name")?;
                    Some(self.shape_id(false)?)
                };
                MemberDef {
                    name,
                    pos,
                    target,
                    traits,
                    doc,
                    value: None,
                }
            };
            let mut member = member;
            if matches!(self.tok().kind, Kind::Eq) && !self.tok().nl_before {
                let eq = self.advance();
                if !self.v2 && !is_enum {
                    return Err(self.error(
                        eq.pos,
                        "default values can only be used with Smithy version 2 or later",
                    ));
                }
                self.expect_same_line("a value after `=`")?;
                let value = self.node(0)?;
                self.check_enum_value(&shape.kind, &shape.name, &member.name, &value)?;
                member.value = Some(value);
                self.expect_br()?;
            }
            if shape.members.iter().any(|m| m.name == member.name) {
                return Err(self.error(
                    member.pos,
                    format!("duplicate member `{}` in `{}`", member.name, shape.name),
                ));
            }
            let allowed: &[&str] = match shape.kind.as_str() {
                "list" | "set" => &["member"],
                "map" => &["key", "value"],
                _ => &[],
            };
            if !allowed.is_empty() && !allowed.contains(&member.name.as_str()) {
                return Err(self.error(
                    member.pos,
                    format!(
                        "{} shapes cannot have a member named `{}` (only {})",
                        shape.kind,
                        member.name,
                        allowed.join(" and ")
                    ),
                ));
            }
            shape.members.push(member);
        }
        if shape.mixins.is_empty() {
            let required: &[&str] = match shape.kind.as_str() {
                "list" | "set" => &["member"],
                "map" => &["key", "value"],
                _ => &[],
            };
            for r in required {
                if !shape.members.iter().any(|m| m.name == *r) {
                    return Err(self.error(
                        shape.pos,
                        format!("missing required member of shape `{}`: {r}", shape.name),
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_enum_value(&self, kind: &str, shape: &str, member: &str, v: &Node) -> PResult<()> {
        let problem = match (kind, &v.kind) {
            ("enum", NodeKind::Str(_)) => None,
            ("enum", _) => Some("enum members can only be assigned string values"),
            ("intEnum", NodeKind::Number(n)) if n.is_float => {
                Some("intEnum members do not support floating point values")
            }
            ("intEnum", NodeKind::Number(n))
                if n.value.as_i64().is_some_and(|v| i32::try_from(v).is_ok()) =>
            {
                None
            }
            ("intEnum", NodeKind::Number(_)) => {
                Some("intEnum members must have values that fit in an integer (32 bits)")
            }
            ("intEnum", _) => Some("intEnum members require integer values"),
            _ => None,
        };
        match problem {
            Some(p) => Err(self.error(v.pos, format!("`{shape}${member}`: {p}"))),
            None => Ok(()),
        }
    }

    fn props(&mut self, shape: &mut ShapeDef, inline: &mut Vec<ShapeDef>) -> PResult<()> {
        let ctx = format!(" to start the body of `{}`", shape.name);
        self.expect(Kind::LBrace, &ctx)?;
        shape.has_body = true;
        let allowed: &[&str] = match shape.kind.as_str() {
            "service" => &["version", "operations", "resources", "errors", "rename"],
            "resource" => &[
                "identifiers",
                "properties",
                "create",
                "put",
                "read",
                "update",
                "delete",
                "list",
                "operations",
                "collectionOperations",
                "resources",
            ],
            _ => &["input", "output", "errors"],
        };
        loop {
            if matches!(self.tok().kind, Kind::RBrace) {
                self.advance();
                break;
            }
            // The body is a node object: its keys may be quoted too.
            let (key, pos) = match &self.tok().kind {
                Kind::Str(_) => self.take_str(),
                _ => {
                    let close = format!("a property name or `}}` to close `{}`", shape.name);
                    self.ident(&close)?
                }
            };
            if !allowed.contains(&key.as_str()) {
                return Err(self.error(
                    pos,
                    format!(
                        "unknown property `{key}` for {} `{}`",
                        shape.kind, shape.name
                    ),
                ));
            }
            if key == "properties" && !self.v2 {
                return Err(self.error(
                    pos,
                    "resource properties can only be used with Smithy version 2 or later",
                ));
            }
            if shape.props.iter().any(|p| p.key == key) {
                return Err(self.error(pos, format!("duplicate property `{key}`")));
            }
            let value = if matches!(self.tok().kind, Kind::Walrus)
                && (key == "input" || key == "output")
            {
                let w = self.advance();
                if !self.v2 {
                    return Err(self.error(
                        w.pos,
                        "inlined operation inputs and outputs can only be used with Smithy version 2 or later",
                    ));
                }
                let suffix = if key == "input" {
                    &self.input_suffix
                } else {
                    &self.output_suffix
                };
                let name = format!("{}{}", shape.name, suffix);
                let doc = self.tok().doc.as_ref().map(|d| Doc {
                    text: d.text.clone(),
                    pos: d.pos,
                });
                let mut traits = self.traits()?;
                traits.push(TraitApp {
                    name: format!("smithy.api#{key}"),
                    pos: w.pos,
                    value: None,
                });
                let mut def = ShapeDef {
                    name: name.clone(),
                    pos: w.pos,
                    kind: "structure".into(),
                    traits,
                    doc,
                    mixins: Vec::new(),
                    for_resource: None,
                    members: Vec::new(),
                    props: Vec::new(),
                    has_body: false,
                };
                if self.is_ident("for") {
                    let t = self.advance();
                    let _ = t;
                    self.expect_space("a resource shape id")?;
                    def.for_resource = Some(self.shape_id(false)?);
                }
                self.mixins(&mut def, false)?;
                self.members(&mut def)?;
                inline.push(def);
                PropValue::Inline(name)
            } else {
                self.expect(Kind::Colon, " after the property name")?;
                PropValue::Node(self.node(0)?)
            };
            shape.props.push(Prop { key, pos, value });
        }
        Ok(())
    }

    fn apply(&mut self) -> PResult<ApplyDef> {
        self.advance();
        self.expect_space("a shape id")?;
        let (target, pos) = self.shape_id(true)?;
        let t = self.tok();
        if !t.ws_before && !matches!(t.kind, Kind::Eof | Kind::Error(_)) {
            return Err(self.error(
                t.pos,
                format!(
                    "expected whitespace after the shape id, found {}",
                    t.describe(self.src)
                ),
            ));
        }
        let traits = if matches!(self.tok().kind, Kind::LBrace) {
            self.advance();
            let traits = self.traits()?;
            self.expect(Kind::RBrace, " to close the apply block")?;
            traits
        } else if matches!(self.tok().kind, Kind::At) {
            vec![self.trait_app()?]
        } else {
            return Err(self.unexpected("a trait or `{` after the shape id"));
        };
        self.expect_br()?;
        Ok(ApplyDef {
            target,
            pos,
            traits,
        })
    }
}
