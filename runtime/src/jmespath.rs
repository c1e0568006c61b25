//! JMESPath (<https://jmespath.org/specification.html>) over [`Document`]s: what
//! Smithy waiters match outputs with (`Table.TableStatus`, `services[].status`,
//! `length(services[?runningCount == desiredCount]) == \`0\``).
//!
//! A Pratt parser (the binding powers of the specification's reference grammar) builds
//! an [`Expr`]; evaluating it follows the specification's projections: a projection
//! (`[*]`, `[]`, `.*`, `[?...]`) applies what follows it to each element and drops the
//! nulls. Every function of the specification is here, those that take an expression
//! reference (`sort_by(l, &key)`, `max_by`, `min_by`, `map`) too. The generator parses each
//! waiter's paths with this parser, so a path it cannot read is an error in the model,
//! not at run time.

use crate::types::{Document, Number};
use std::collections::HashMap;
use std::fmt;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr(Node);

/// Why an expression does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where, as a byte offset.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {})", self.message, self.offset)
    }
}

impl std::error::Error for ParseError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Current,
    Field(String),
    Sub(Box<Node>, Box<Node>),
    Index(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// `left[*] right`, `left[] right` (after `Flatten`), `left[a:b] right`.
    Project(Box<Node>, Box<Node>),
    /// `left.* right`.
    ValueProject(Box<Node>, Box<Node>),
    Flatten(Box<Node>),
    /// `left[?cond] right`.
    Filter(Box<Node>, Box<Node>, Box<Node>),
    Literal(Document),
    List(Vec<Node>),
    Hash(Vec<(String, Node)>),
    Call(String, Vec<Node>),
    /// `&expr`, an argument of `sort_by`, `min_by`, `max_by` and `map`.
    ExprRef(Box<Node>),
    Compare(Cmp, Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Pipe(Box<Node>, Box<Node>),
}

// ----- tokens -----

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Quoted(String),
    Number(i64),
    Literal(Document),
    Raw(String),
    Dot,
    Star,
    Flatten,
    Filter,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Colon,
    Pipe,
    Or,
    And,
    Not,
    At,
    Amp,
    Cmp(Cmp),
    End,
}

fn lex(text: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |offset: usize, message: String| ParseError { offset, message };
    while i < b.len() {
        let start = i;
        let c = b[i];
        let two = b.get(i + 1).copied();
        let tok = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                out.push((Tok::Ident(text[start..i].to_string()), start));
                continue;
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let n = text[start..i]
                    .parse()
                    .map_err(|_| err(start, format!("`{}` is not a number", &text[start..i])))?;
                out.push((Tok::Number(n), start));
                continue;
            }
            b'"' => {
                let end = closing(b, i + 1, b'"')
                    .ok_or_else(|| err(start, "an unclosed quoted identifier".into()))?;
                let raw = &text[i..=end];
                let s: String = crate::json::Parser::new(raw.as_bytes())
                    .string()
                    .map_err(|e| err(start, format!("a bad quoted identifier: {e}")))?;
                i = end + 1;
                out.push((Tok::Quoted(s), start));
                continue;
            }
            b'\'' => {
                let end = closing(b, i + 1, b'\'')
                    .ok_or_else(|| err(start, "an unclosed raw string".into()))?;
                let s = text[i + 1..end].replace("\\'", "'");
                i = end + 1;
                out.push((Tok::Raw(s), start));
                continue;
            }
            b'`' => {
                let end = closing(b, i + 1, b'`')
                    .ok_or_else(|| err(start, "an unclosed literal".into()))?;
                let json = text[i + 1..end].replace("\\`", "`");
                let d = crate::json::Parser::new(json.trim().as_bytes())
                    .document()
                    .map_err(|e| err(start, format!("a literal that is not JSON: {e}")))?;
                i = end + 1;
                out.push((Tok::Literal(d), start));
                continue;
            }
            b'.' => Tok::Dot,
            b'*' => Tok::Star,
            b'[' if two == Some(b']') => {
                i += 1;
                Tok::Flatten
            }
            b'[' if two == Some(b'?') => {
                i += 1;
                Tok::Filter
            }
            b'[' => Tok::LBracket,
            b']' => Tok::RBracket,
            b'{' => Tok::LBrace,
            b'}' => Tok::RBrace,
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b',' => Tok::Comma,
            b':' => Tok::Colon,
            b'@' => Tok::At,
            b'|' if two == Some(b'|') => {
                i += 1;
                Tok::Or
            }
            b'|' => Tok::Pipe,
            b'&' if two == Some(b'&') => {
                i += 1;
                Tok::And
            }
            b'&' => Tok::Amp,
            b'!' if two == Some(b'=') => {
                i += 1;
                Tok::Cmp(Cmp::Ne)
            }
            b'!' => Tok::Not,
            b'=' if two == Some(b'=') => {
                i += 1;
                Tok::Cmp(Cmp::Eq)
            }
            b'<' if two == Some(b'=') => {
                i += 1;
                Tok::Cmp(Cmp::Le)
            }
            b'<' => Tok::Cmp(Cmp::Lt),
            b'>' if two == Some(b'=') => {
                i += 1;
                Tok::Cmp(Cmp::Ge)
            }
            b'>' => Tok::Cmp(Cmp::Gt),
            other => {
                let ch = text[i..].chars().next().unwrap_or(other as char);
                return Err(err(start, format!("unexpected `{ch}`")));
            }
        };
        i += 1;
        out.push((tok, start));
    }
    out.push((Tok::End, text.len()));
    Ok(out)
}

/// The index of the unescaped `quote` that closes a token starting at `from`.
fn closing(b: &[u8], from: usize, quote: u8) -> Option<usize> {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            c if c == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

// ----- parser -----

/// Binding powers (the specification's reference parser).
fn lbp(t: &Tok) -> u8 {
    match t {
        Tok::Pipe => 1,
        Tok::Or => 2,
        Tok::And => 3,
        Tok::Cmp(_) => 5,
        Tok::Flatten => 9,
        Tok::Star => 20,
        Tok::Filter => 21,
        Tok::Dot => 40,
        Tok::Not => 45,
        Tok::LBrace => 50,
        Tok::LBracket => 55,
        Tok::LParen => 60,
        _ => 0,
    }
}

/// The most tokens an expression may have.
const MAX_TOKENS: usize = 1000;

/// Below this a token ends a projection's right-hand side.
const PROJECTION_STOP: u8 = 10;

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].0
    }

    fn offset(&self) -> usize {
        self.toks[self.pos.min(self.toks.len() - 1)].1
    }

    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        self.fail_at(self.offset(), message)
    }

    fn fail_at<T>(&self, offset: usize, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            offset,
            message: message.into(),
        })
    }

    fn expect(&mut self, want: Tok, what: &str) -> Result<(), ParseError> {
        if *self.peek() == want {
            self.next();
            Ok(())
        } else {
            self.fail(format!("expected {what}, found {}", describe(self.peek())))
        }
    }

    fn expression(&mut self, rbp: u8) -> Result<Node, ParseError> {
        let at = self.offset();
        let tok = self.next();
        let mut left = self.nud(tok, at)?;
        while rbp < lbp(self.peek()) {
            let tok = self.next();
            left = self.led(tok, left)?;
        }
        Ok(left)
    }

    fn nud(&mut self, tok: Tok, at: usize) -> Result<Node, ParseError> {
        Ok(match tok {
            Tok::Ident(s) | Tok::Quoted(s) => Node::Field(s),
            Tok::At => Node::Current,
            Tok::Literal(d) => Node::Literal(d),
            Tok::Raw(s) => Node::Literal(Document::String(s)),
            Tok::Star => {
                let rhs = self.projection_rhs(lbp(&Tok::Star))?;
                Node::ValueProject(Box::new(Node::Current), Box::new(rhs))
            }
            Tok::Flatten => {
                let rhs = self.projection_rhs(lbp(&Tok::Flatten))?;
                Node::Project(
                    Box::new(Node::Flatten(Box::new(Node::Current))),
                    Box::new(rhs),
                )
            }
            Tok::Filter => self.filter(Node::Current)?,
            Tok::LBracket => match self.peek() {
                Tok::Number(_) | Tok::Colon => self.index(Node::Current)?,
                Tok::Star if self.toks.get(self.pos + 1).map(|t| &t.0) == Some(&Tok::RBracket) => {
                    self.next();
                    self.next();
                    let rhs = self.projection_rhs(lbp(&Tok::Star))?;
                    Node::Project(Box::new(Node::Current), Box::new(rhs))
                }
                _ => Node::List(self.list()?),
            },
            Tok::LBrace => self.hash()?,
            Tok::Not => Node::Not(Box::new(self.expression(lbp(&Tok::Not))?)),
            Tok::LParen => {
                let e = self.expression(0)?;
                self.expect(Tok::RParen, "`)`")?;
                e
            }
            Tok::Amp => Node::ExprRef(Box::new(self.expression(0)?)),
            Tok::End => return self.fail_at(at, "the expression ends where a value should be"),
            other => return self.fail_at(at, format!("unexpected {}", describe(&other))),
        })
    }

    fn led(&mut self, tok: Tok, left: Node) -> Result<Node, ParseError> {
        Ok(match tok {
            Tok::Dot => {
                if *self.peek() == Tok::Star {
                    self.next();
                    let rhs = self.projection_rhs(lbp(&Tok::Star))?;
                    Node::ValueProject(Box::new(left), Box::new(rhs))
                } else {
                    let rhs = self.dot_rhs(lbp(&Tok::Dot))?;
                    Node::Sub(Box::new(left), Box::new(rhs))
                }
            }
            Tok::LBracket => match self.peek() {
                Tok::Number(_) | Tok::Colon => self.index(left)?,
                Tok::Star => {
                    self.next();
                    self.expect(Tok::RBracket, "`]`")?;
                    let rhs = self.projection_rhs(lbp(&Tok::Star))?;
                    Node::Project(Box::new(left), Box::new(rhs))
                }
                other => {
                    return self.fail(format!(
                        "expected an index, `*` or a slice, found {}",
                        describe(other)
                    ))
                }
            },
            Tok::Flatten => {
                let rhs = self.projection_rhs(lbp(&Tok::Flatten))?;
                Node::Project(Box::new(Node::Flatten(Box::new(left))), Box::new(rhs))
            }
            Tok::Filter => self.filter(left)?,
            Tok::Pipe => Node::Pipe(Box::new(left), Box::new(self.expression(lbp(&Tok::Pipe))?)),
            Tok::Or => Node::Or(Box::new(left), Box::new(self.expression(lbp(&Tok::Or))?)),
            Tok::And => Node::And(Box::new(left), Box::new(self.expression(lbp(&Tok::And))?)),
            Tok::Cmp(c) => Node::Compare(
                c,
                Box::new(left),
                Box::new(self.expression(lbp(&Tok::Cmp(c)))?),
            ),
            Tok::LParen => {
                // The name, the token before `(`.
                let (before, at) = &self.toks[self.pos.saturating_sub(2)];
                // A function's name is a bare identifier: `"f"(x)` calls nothing.
                let (bare, at) = (matches!(before, Tok::Ident(_)), *at);
                let Node::Field(name) = left else {
                    return self.fail_at(at, "only a function name can be called");
                };
                if !bare {
                    return self.fail_at(at, "only a function name can be called");
                }
                let mut args = Vec::new();
                while *self.peek() != Tok::RParen {
                    args.push(self.expression(0)?);
                    if *self.peek() == Tok::Comma {
                        self.next();
                    } else if *self.peek() != Tok::RParen {
                        return self.fail(format!(
                            "expected `,` or `)`, found {}",
                            describe(self.peek())
                        ));
                    }
                }
                self.next();
                check_function(&name, &args).or_else(|m| self.fail_at(at, m))?;
                Node::Call(name, args)
            }
            other => return self.fail(format!("unexpected {}", describe(&other))),
        })
    }

    /// What follows a projection: nothing (the current element), a bracket, or `.`
    /// and a field.
    fn projection_rhs(&mut self, bp: u8) -> Result<Node, ParseError> {
        let t = self.peek().clone();
        if lbp(&t) < PROJECTION_STOP {
            return Ok(Node::Current);
        }
        match t {
            Tok::LBracket | Tok::Filter | Tok::Flatten => self.expression(bp),
            Tok::Dot => {
                self.next();
                self.dot_rhs(bp)
            }
            other => self.fail(format!(
                "unexpected {} after a projection",
                describe(&other)
            )),
        }
    }

    fn dot_rhs(&mut self, bp: u8) -> Result<Node, ParseError> {
        match self.peek() {
            Tok::Ident(_) | Tok::Quoted(_) | Tok::Star => self.expression(bp),
            Tok::LBracket => {
                self.next();
                Ok(Node::List(self.list()?))
            }
            Tok::LBrace => {
                self.next();
                self.hash()
            }
            other => self.fail(format!(
                "expected a field after `.`, found {}",
                describe(other)
            )),
        }
    }

    fn filter(&mut self, left: Node) -> Result<Node, ParseError> {
        let cond = self.expression(0)?;
        self.expect(Tok::RBracket, "`]`")?;
        let rhs = self.projection_rhs(lbp(&Tok::Filter))?;
        Ok(Node::Filter(Box::new(left), Box::new(cond), Box::new(rhs)))
    }

    /// `[n]` or a slice `[a:b:c]`, the `[` read.
    fn index(&mut self, left: Node) -> Result<Node, ParseError> {
        let mut parts = [None, None, None];
        let mut k = 0;
        loop {
            match self.next() {
                Tok::Number(n) => parts[k] = Some(n),
                Tok::Colon if k < 2 => k += 1,
                Tok::RBracket => break,
                other => return self.fail(format!("unexpected {} in an index", describe(&other))),
            }
        }
        if k == 0 {
            let Some(n) = parts[0] else {
                return self.fail("an empty index");
            };
            return Ok(Node::Sub(Box::new(left), Box::new(Node::Index(n))));
        }
        if parts[2] == Some(0) {
            return self.fail("a slice step cannot be 0");
        }
        let rhs = self.projection_rhs(lbp(&Tok::Star))?;
        let sliced = Node::Sub(
            Box::new(left),
            Box::new(Node::Slice(parts[0], parts[1], parts[2])),
        );
        Ok(Node::Project(Box::new(sliced), Box::new(rhs)))
    }

    /// `a, b]`, the `[` read.
    fn list(&mut self) -> Result<Vec<Node>, ParseError> {
        let mut items = vec![self.expression(0)?];
        while *self.peek() == Tok::Comma {
            self.next();
            items.push(self.expression(0)?);
        }
        self.expect(Tok::RBracket, "`]`")?;
        Ok(items)
    }

    /// `k: v, ...}`, the `{` read.
    fn hash(&mut self) -> Result<Node, ParseError> {
        let mut pairs = Vec::new();
        loop {
            let key = match self.next() {
                Tok::Ident(s) | Tok::Quoted(s) => s,
                other => return self.fail(format!("expected a key, found {}", describe(&other))),
            };
            self.expect(Tok::Colon, "`:`")?;
            pairs.push((key, self.expression(0)?));
            match self.next() {
                Tok::Comma => {}
                Tok::RBrace => break,
                other => {
                    return self.fail(format!("expected `,` or `}}`, found {}", describe(&other)))
                }
            }
        }
        Ok(Node::Hash(pairs))
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::End => "the end".into(),
        Tok::Ident(s) => format!("`{s}`"),
        other => format!("{other:?}"),
    }
}

/// The functions, by name: how many arguments each takes (`None`: one or more).
fn arity(name: &str) -> Option<Option<usize>> {
    Some(match name {
        "abs" | "avg" | "ceil" | "floor" | "keys" | "length" | "max" | "min" | "reverse"
        | "sort" | "sum" | "to_array" | "to_number" | "to_string" | "type" | "values" => Some(1),
        "contains" | "ends_with" | "join" | "starts_with" | "map" | "max_by" | "min_by"
        | "sort_by" => Some(2),
        "merge" | "not_null" => None,
        _ => return None,
    })
}

/// Which argument of a function is an expression reference (`&expr`), if one is.
fn expref_at(name: &str) -> Option<usize> {
    match name {
        "map" => Some(0),
        "max_by" | "min_by" | "sort_by" => Some(1),
        _ => None,
    }
}

fn check_function(name: &str, args: &[Node]) -> Result<(), String> {
    let n = args.len();
    match arity(name) {
        None => return Err(format!("unknown function `{name}`")),
        Some(Some(want)) if want != n => {
            return Err(format!("`{name}` takes {want} argument(s), not {n}"))
        }
        Some(None) if n == 0 => return Err(format!("`{name}` takes at least one argument")),
        _ => {}
    }
    let want = expref_at(name);
    for (i, a) in args.iter().enumerate() {
        match (matches!(a, Node::ExprRef(_)), want == Some(i)) {
            (false, true) => {
                return Err(format!(
                    "argument {} of `{name}` must be an expression reference (`&expr`)",
                    i + 1
                ))
            }
            (true, false) => {
                return Err(format!(
                    "argument {} of `{name}` cannot be an expression reference",
                    i + 1
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

impl Expr {
    /// Parses an expression.
    pub fn parse(text: &str) -> Result<Expr, ParseError> {
        let toks = lex(text)?;
        // Parsing and evaluating recurse as deep as the expression nests, which is at
        // most its number of tokens: a bound on those keeps a hostile expression from
        // overflowing the stack. AWS's longest waiter paths have some fifty.
        if toks.len() > MAX_TOKENS {
            return Err(ParseError {
                offset: toks[MAX_TOKENS].1,
                message: format!(
                    "the expression is too long: {} tokens, at most {MAX_TOKENS}",
                    toks.len() - 1
                ),
            });
        }
        let mut p = Parser { toks, pos: 0 };
        let node = p.expression(0)?;
        if *p.peek() != Tok::End {
            return p.fail(format!("unexpected {}", describe(p.peek())));
        }
        Ok(Expr(node))
    }

    /// The expression's value on `data`.
    pub fn search(&self, data: &Document) -> Document {
        eval(&self.0, data)
    }
}

// ----- evaluation -----

fn truthy(d: &Document) -> bool {
    match d {
        Document::Null => false,
        Document::Bool(b) => *b,
        Document::String(s) => !s.is_empty(),
        Document::Array(a) => !a.is_empty(),
        Document::Object(o) => !o.is_empty(),
        Document::Number(_) => true,
    }
}

fn num(d: &Document) -> Option<f64> {
    match d {
        Document::Number(n) => Some(n.as_f64()),
        _ => None,
    }
}

fn number(x: f64) -> Document {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Document::Number(Number::from(x as i64))
    } else {
        Number::parse(&x.to_string()).map_or(Document::Null, Document::Number)
    }
}

fn equal(a: &Document, b: &Document) -> bool {
    match (a, b) {
        (Document::Number(x), Document::Number(y)) => x.as_f64() == y.as_f64(),
        (Document::Array(x), Document::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        (Document::Object(x), Document::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

fn project(items: impl Iterator<Item = Document>, rhs: &Node) -> Document {
    Document::Array(
        items
            .map(|item| eval(rhs, &item))
            .filter(|v| !matches!(v, Document::Null))
            .collect(),
    )
}

fn eval(node: &Node, cur: &Document) -> Document {
    match node {
        Node::Current => cur.clone(),
        Node::Field(name) => match cur {
            Document::Object(o) => o.get(name).cloned().unwrap_or(Document::Null),
            _ => Document::Null,
        },
        Node::Sub(l, r) => {
            let base = eval(l, cur);
            if matches!(base, Document::Null) {
                return Document::Null;
            }
            eval(r, &base)
        }
        Node::Index(i) => match cur {
            Document::Array(a) => {
                let len = a.len() as i64;
                let at = if *i < 0 { len + i } else { *i };
                usize::try_from(at)
                    .ok()
                    .and_then(|at| a.get(at))
                    .cloned()
                    .unwrap_or(Document::Null)
            }
            _ => Document::Null,
        },
        Node::Slice(start, stop, step) => match cur {
            Document::Array(a) => Document::Array(slice(a, *start, *stop, step.unwrap_or(1))),
            _ => Document::Null,
        },
        Node::Project(l, r) => match eval(l, cur) {
            Document::Array(a) => project(a.into_iter(), r),
            _ => Document::Null,
        },
        Node::ValueProject(l, r) => match eval(l, cur) {
            Document::Object(o) => project(o.into_values(), r),
            _ => Document::Null,
        },
        Node::Flatten(l) => match eval(l, cur) {
            Document::Array(a) => Document::Array(
                a.into_iter()
                    .flat_map(|v| match v {
                        Document::Array(inner) => inner,
                        other => vec![other],
                    })
                    .collect(),
            ),
            _ => Document::Null,
        },
        Node::Filter(l, cond, r) => match eval(l, cur) {
            Document::Array(a) => project(a.into_iter().filter(|v| truthy(&eval(cond, v))), r),
            _ => Document::Null,
        },
        Node::Literal(d) => d.clone(),
        Node::List(items) => match cur {
            Document::Null => Document::Null,
            _ => Document::Array(items.iter().map(|n| eval(n, cur)).collect()),
        },
        Node::Hash(pairs) => match cur {
            Document::Null => Document::Null,
            _ => Document::Object(
                pairs
                    .iter()
                    .map(|(k, n)| (k.clone(), eval(n, cur)))
                    .collect(),
            ),
        },
        Node::Compare(op, l, r) => {
            let (a, b) = (eval(l, cur), eval(r, cur));
            match op {
                Cmp::Eq => Document::Bool(equal(&a, &b)),
                Cmp::Ne => Document::Bool(!equal(&a, &b)),
                _ => match (num(&a), num(&b)) {
                    (Some(x), Some(y)) => Document::Bool(match op {
                        Cmp::Lt => x < y,
                        Cmp::Le => x <= y,
                        Cmp::Gt => x > y,
                        _ => x >= y,
                    }),
                    _ => Document::Null,
                },
            }
        }
        Node::And(l, r) => {
            let a = eval(l, cur);
            if truthy(&a) {
                eval(r, cur)
            } else {
                a
            }
        }
        Node::Or(l, r) => {
            let a = eval(l, cur);
            if truthy(&a) {
                a
            } else {
                eval(r, cur)
            }
        }
        Node::Not(e) => Document::Bool(!truthy(&eval(e, cur))),
        Node::Pipe(l, r) => eval(r, &eval(l, cur)),
        Node::Call(name, args) => match (name.as_str(), args.as_slice()) {
            ("map", [Node::ExprRef(e), list]) => match eval(list, cur) {
                // Unlike a projection, `map` keeps the nulls.
                Document::Array(a) => Document::Array(a.iter().map(|v| eval(e, v)).collect()),
                _ => Document::Null,
            },
            (_, [list, Node::ExprRef(key)]) => by(name, eval(list, cur), key),
            _ => {
                let args: Vec<Document> = args.iter().map(|a| eval(a, cur)).collect();
                call(name, &args)
            }
        },
        // Only a function's argument; anywhere else it has no value.
        Node::ExprRef(_) => Document::Null,
    }
}

/// `sort_by`, `max_by`, `min_by`: the elements of `list` ordered by the value of `key`
/// on each, which must be all numbers or all strings (`null` otherwise).
fn by(name: &str, list: Document, key: &Node) -> Document {
    let Document::Array(items) = list else {
        return Document::Null;
    };
    let keys: Vec<Document> = items.iter().map(|v| eval(key, v)).collect();
    let numbers = keys.iter().all(|k| matches!(k, Document::Number(_)));
    let strings = keys.iter().all(|k| matches!(k, Document::String(_)));
    if !numbers && !strings {
        return Document::Null;
    }
    let order = |a: &Document, b: &Document| match (a, b) {
        (Document::Number(x), Document::Number(y)) => x.as_f64().total_cmp(&y.as_f64()),
        (Document::String(x), Document::String(y)) => x.cmp(y),
        _ => std::cmp::Ordering::Equal,
    };
    let mut ranked: Vec<(Document, Document)> = keys.into_iter().zip(items).collect();
    // Stable, as the specification asks: equal keys keep their order.
    ranked.sort_by(|(a, _), (b, _)| order(a, b));
    match name {
        "sort_by" => Document::Array(ranked.into_iter().map(|(_, v)| v).collect()),
        // The first of the greatest keys, as the reference implementation picks it.
        "max_by" => {
            let Some(top) = ranked.last().map(|(k, _)| k.clone()) else {
                return Document::Null;
            };
            ranked
                .into_iter()
                .find(|(k, _)| order(k, &top).is_eq())
                .map_or(Document::Null, |(_, v)| v)
        }
        _ => ranked.into_iter().next().map_or(Document::Null, |(_, v)| v),
    }
}

fn slice(a: &[Document], start: Option<i64>, stop: Option<i64>, step: i64) -> Vec<Document> {
    let len = a.len() as i64;
    let clamp = |v: i64, low: i64, high: i64| v.clamp(low, high);
    let norm = |v: i64| if v < 0 { v + len } else { v };
    let mut out = Vec::new();
    if step > 0 {
        let (mut i, end) = (
            clamp(start.map_or(0, norm), 0, len),
            clamp(stop.map_or(len, norm), 0, len),
        );
        while i < end {
            out.push(a[i as usize].clone());
            i += step;
        }
    } else {
        let (mut i, end) = (
            clamp(start.map_or(len - 1, norm), -1, len - 1),
            clamp(stop.map_or(-1, norm), -1, len - 1),
        );
        while i > end {
            out.push(a[i as usize].clone());
            i += step;
        }
    }
    out
}

/// A function's value; `null` for arguments of the wrong types (the specification
/// makes that an error; a waiter's matcher then does not match).
fn call(name: &str, args: &[Document]) -> Document {
    use Document::{Array, Bool, Null, Object, String as Str};
    let first = args.first().unwrap_or(&Null);
    let numbers = |a: &[Document]| a.iter().map(num).collect::<Option<Vec<f64>>>();
    match name {
        "length" => match first {
            Str(s) => number(s.chars().count() as f64),
            Array(a) => number(a.len() as f64),
            Object(o) => number(o.len() as f64),
            _ => Null,
        },
        "contains" => match (first, args.get(1)) {
            (Array(a), Some(x)) => Bool(a.iter().any(|v| equal(v, x))),
            (Str(s), Some(Str(x))) => Bool(s.contains(x.as_str())),
            _ => Null,
        },
        "starts_with" | "ends_with" => match (first, args.get(1)) {
            (Str(s), Some(Str(x))) => Bool(if name == "starts_with" {
                s.starts_with(x.as_str())
            } else {
                s.ends_with(x.as_str())
            }),
            _ => Null,
        },
        "abs" => num(first).map_or(Null, |x| number(x.abs())),
        "ceil" => num(first).map_or(Null, |x| number(x.ceil())),
        "floor" => num(first).map_or(Null, |x| number(x.floor())),
        "sum" | "avg" => match first {
            Array(a) => match numbers(a) {
                Some(xs) if name == "sum" => number(xs.iter().sum()),
                Some(xs) if !xs.is_empty() => number(xs.iter().sum::<f64>() / xs.len() as f64),
                _ => Null,
            },
            _ => Null,
        },
        "max" | "min" => match first {
            Array(a) if a.is_empty() => Null,
            Array(a) => {
                if let Some(xs) = numbers(a) {
                    let pick = if name == "max" { f64::max } else { f64::min };
                    xs.into_iter().reduce(pick).map_or(Null, number)
                } else if a.iter().all(|v| matches!(v, Str(_))) {
                    let strs = a.iter().filter_map(|v| match v {
                        Str(s) => Some(s),
                        _ => None,
                    });
                    let best = if name == "max" {
                        strs.max()
                    } else {
                        strs.min()
                    };
                    best.map_or(Null, |s| Str(s.clone()))
                } else {
                    Null
                }
            }
            _ => Null,
        },
        "keys" => match first {
            Object(o) => Array(o.keys().map(|k| Str(k.clone())).collect()),
            _ => Null,
        },
        "values" => match first {
            Object(o) => Array(o.values().cloned().collect()),
            _ => Null,
        },
        "reverse" => match first {
            Array(a) => Array(a.iter().rev().cloned().collect()),
            Str(s) => Str(s.chars().rev().collect()),
            _ => Null,
        },
        "sort" => match first {
            Array(a) => {
                if let Some(mut xs) = numbers(a) {
                    xs.sort_by(f64::total_cmp);
                    Array(xs.into_iter().map(number).collect())
                } else if a.iter().all(|v| matches!(v, Str(_))) {
                    let mut v = a.clone();
                    v.sort_by(|x, y| match (x, y) {
                        (Str(x), Str(y)) => x.cmp(y),
                        _ => std::cmp::Ordering::Equal,
                    });
                    Array(v)
                } else {
                    Null
                }
            }
            _ => Null,
        },
        "join" => match (first, args.get(1)) {
            (Str(sep), Some(Array(a))) => {
                let parts: Option<Vec<&str>> = a
                    .iter()
                    .map(|v| match v {
                        Str(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect();
                parts.map_or(Null, |p| Str(p.join(sep)))
            }
            _ => Null,
        },
        "merge" => {
            let mut out = HashMap::new();
            for a in args {
                match a {
                    Object(o) => out.extend(o.clone()),
                    _ => return Null,
                }
            }
            Object(out)
        }
        "not_null" => args
            .iter()
            .find(|v| !matches!(v, Null))
            .cloned()
            .unwrap_or(Null),
        "to_array" => match first {
            Array(_) => first.clone(),
            other => Array(vec![other.clone()]),
        },
        "to_string" => match first {
            Str(_) => first.clone(),
            other => Str(to_json(other)),
        },
        "to_number" => match first {
            Document::Number(_) => first.clone(),
            Str(s) => s.trim().parse::<f64>().map_or(Null, number),
            _ => Null,
        },
        "type" => Str(match first {
            Null => "null",
            Bool(_) => "boolean",
            Document::Number(_) => "number",
            Str(_) => "string",
            Array(_) => "array",
            Object(_) => "object",
        }
        .to_string()),
        _ => Null,
    }
}

/// A document as compact JSON (object keys in order, so that equal documents print
/// alike).
fn to_json(d: &Document) -> String {
    match d {
        Document::Null => "null".into(),
        Document::Bool(b) => b.to_string(),
        Document::Number(n) => n.as_str().to_string(),
        Document::String(s) => {
            let mut w = crate::json::Writer::new();
            w.string(s);
            String::from_utf8(w.finish()).unwrap_or_default()
        }
        Document::Array(a) => format!("[{}]", a.iter().map(to_json).collect::<Vec<_>>().join(",")),
        Document::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        to_json(&Document::String(k.clone())),
                        to_json(&o[k])
                    )
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> Document {
        crate::json::Parser::new(json.as_bytes())
            .document()
            .unwrap()
    }

    fn search(expr: &str, json: &str) -> Document {
        Expr::parse(expr)
            .unwrap_or_else(|e| panic!("{expr}: {e}"))
            .search(&doc(json))
    }

    /// Cases of the specification's compliance suite (basic, projections, filters,
    /// functions, literals), and the paths AWS's waiters use.
    #[test]
    fn expressions_evaluate_as_the_specification_says() {
        let data = r#"{"a":{"b":{"c":"x"}},"l":[{"s":"A","n":1},{"s":"B","n":2},{"s":"A","n":3}],
            "o":{"k1":{"v":"p"},"k2":{"v":"q"}},"nested":[[1,2],[3,[4]]],"e":[],"t":true}"#;
        for (expr, want) in [
            ("a.b.c", r#""x""#),
            ("a.b.missing", "null"),
            ("a.b.c.d", "null"),
            ("l[0].s", r#""A""#),
            ("l[-1].n", "3"),
            ("l[5]", "null"),
            ("l[].s", r#"["A","B","A"]"#),
            ("l[*].n", "[1,2,3]"),
            ("l[?s == 'A'].n", "[1,3]"),
            ("l[?n > `1`].s", r#"["B","A"]"#),
            ("l[?!(n == `2`)] | length(@)", "2"),
            ("length(l[?s=='A']) == `2`", "true"),
            // Objects have no order: their values are sorted to compare.
            ("sort(o.*.v)", r#"["p","q"]"#),
            ("sort(keys(o))", r#"["k1","k2"]"#),
            ("length(values(o))", "2"),
            ("nested[]", "[1,2,3,[4]]"),
            ("nested[][]", "[1,2,3,4]"),
            ("l[:2].n", "[1,2]"),
            ("l[::-1].n", "[3,2,1]"),
            ("[a.b.c, t]", r#"["x",true]"#),
            ("{first: l[0].n, flag: t}", r#"{"first":1,"flag":true}"#),
            ("contains(l[].s, 'B')", "true"),
            ("contains(l[].[n > `2`][], `false`)", "true"),
            ("e || 'default'", r#""default""#),
            ("t && a.b.c", r#""x""#),
            ("length(e) == `0`", "true"),
            ("max(l[].n)", "3"),
            ("sort(l[].s)", r#"["A","A","B"]"#),
            ("join('-', l[].s)", r#""A-B-A""#),
            ("not_null(missing, a.b.c)", r#""x""#),
            ("type(o)", r#""object""#),
            ("\"a\".b.c", r#""x""#),
            ("l[0].n != `1`", "false"),
        ] {
            let got = search(expr, data);
            assert!(equal(&got, &doc(want)), "{expr}: got {got:?}, want {want}");
        }
    }

    /// The projection stops at a pipe: what follows applies to the projected list.
    #[test]
    fn a_pipe_ends_a_projection() {
        assert!(equal(
            &search("l[].n | [0]", r#"{"l":[{"n":5},{"n":6}]}"#),
            &doc("5")
        ));
        assert!(equal(
            &search("l[].n[0]", r#"{"l":[{"n":[5]},{"n":[6]}]}"#),
            &doc("[5,6]")
        ));
    }

    /// The functions that take an expression reference: ordered by a key, stable,
    /// `null` when the keys are of mixed types; `map` keeps its nulls.
    #[test]
    fn expression_references_order_and_map() {
        let people = r#"{"p":[{"n":"b","a":30},{"n":"a","a":20},{"n":"c","a":30},{"n":"d"}]}"#;
        let cases = [
            ("sort_by(p[:3], &a)[].n", r#"["a","b","c"]"#),
            ("sort_by(p[:3], &n)[].n", r#"["a","b","c"]"#),
            ("sort_by(p, &a)", "null"),
            ("max_by(p[:3], &a).n", r#""b""#),
            ("min_by(p[:3], &a).n", r#""a""#),
            ("max_by(p[:3], &n).n", r#""c""#),
            ("max_by(p[:0], &a)", "null"),
            ("map(&a, p)", "[30,20,30,null]"),
            ("map(&n, `[]`)", "[]"),
            ("length(sort_by(p[?a], &a))", "3"),
        ];
        for (expr, want) in cases {
            let got = search(expr, people);
            assert!(equal(&got, &doc(want)), "{expr}: {got:?}, not {want}");
        }
    }

    /// What does not parse says where and why; nothing panics on odd input.
    #[test]
    fn bad_expressions_are_errors_that_say_where() {
        for (expr, offset) in [
            ("a.", 2),
            ("a[", 2),
            ("l[?a == 'x'", 11),
            ("foo(@)", 0),
            ("\"length\"(@)", 0),
            ("x.length(a, b)", 2),
            ("`{bad`", 0),
            ("a == ", 5),
            ("sort_by(l, n)", 0),
            ("map(l, &n)", 0),
            ("length(&n)", 0),
            ("#", 0),
        ] {
            let e = Expr::parse(expr).expect_err(expr);
            assert_eq!(e.offset, offset, "{expr}: {e}");
        }
        // Nesting as deep as the input is long: an error, not a stack overflow.
        for deep in [
            format!("{}a{}", "(".repeat(100_000), ")".repeat(100_000)),
            format!("{}a", "!".repeat(100_000)),
            "a.".repeat(100_000) + "a",
        ] {
            let e = Expr::parse(&deep).expect_err("too deep");
            assert!(e.message.contains("too long"), "{e}");
        }
        // Up to the bound, nesting parses and evaluates.
        let chain = "a.".repeat(499) + "a";
        assert!(equal(
            &Expr::parse(&chain).unwrap().search(&doc(r#"{"a":1}"#)),
            &Document::Null
        ));
        for junk in [
            "[[[[",
            "a.b.[c",
            "{a:",
            "'unclosed",
            "\"x",
            "!!!!",
            "a[1:2:0]",
            "(((",
        ] {
            assert!(Expr::parse(junk).is_err(), "{junk}");
        }
    }
}
