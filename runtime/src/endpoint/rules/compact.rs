//! The compact form of a checked rule set: what a generated client carries, so that it
//! needs neither the JSON reader nor its checks (the generator ran them).
//!
//! It is text, a prefix notation with a one-character tag before each value:
//!
//! ```text
//! rule set   R1 str(version) uint(slots) uint(n) parameter* uint(n) rule*
//! parameter  str(name) (s|b|a) opt-str(builtIn) bool(required) default
//!            opt-str(documentation) deprecated
//! default    -  |  s str  |  b bool  |  a uint(n) str*
//! deprecated -  |  d opt-str(message) opt-str(since)
//! rule       (E|X|T) uint(n) condition* (endpoint | expr | uint(n) rule*) opt-str(doc)
//! condition  expr (- | ref)
//! expr       s template | t | f | i int | a uint(n) expr* | r ref
//!            | g expr uint(n) (k str | n int)* | c str(function) uint(n) expr*
//! template   uint(n) (x str | v expr)*
//! endpoint   expr(url) uint(n) (str uint(n) expr*)* uint(n) (str property)*
//! property   s template | t | f | n str(number) | a uint(n) property*
//!            | o uint(n) (str property)*
//! ref        str(name) uint(slot)
//! str        digits ':' that many bytes of UTF-8;  opt-str  - | str
//! uint, int  [-]digits ';';  bool  0 | 1
//! ```
//!
//! Reading it checks what evaluation relies on (every slot within the rule set's
//! slots, every function known and given as many arguments as it takes, nesting no
//! deeper than [`MAX_DEPTH`]), so text that was not written by
//! [`RuleSet::to_compact`] is refused with where it goes wrong, never evaluated
//! wrongly.

use super::*;

/// How deep rules and expressions may nest in the compact form.
const MAX_DEPTH: usize = 256;

/// The first bytes of the compact form (`1`: its version).
const MAGIC: &str = "R1";

impl RuleSet {
    /// Reads a rule set from its compact form (what `RuleSet::to_compact` writes), as a
    /// generated client does.
    pub fn from_compact(text: &str) -> Result<Self> {
        let mut r = Reader {
            text,
            at: 0,
            depth: 0,
            slots: 0,
        };
        r.expect_str(MAGIC)?;
        let version = r.str()?.to_string();
        let slots = r.uint()?;
        r.slots = slots;
        let parameters = r.list(Reader::parameter)?;
        if parameters.len() > slots {
            return Err(r.error("more parameters than slots"));
        }
        let rules = r.rules()?;
        if r.at != text.len() {
            return Err(r.error("text after the rule set"));
        }
        Ok(RuleSet {
            version,
            parameters,
            rules,
            slots,
        })
    }
}

struct Reader<'t> {
    text: &'t str,
    at: usize,
    depth: usize,
    slots: usize,
}

impl<'t> Reader<'t> {
    fn error(&self, what: &str) -> RuleSetError {
        RuleSetError::new(
            "",
            format!(
                "not a compact rule set (byte {} of {}): {what}",
                self.at,
                self.text.len()
            ),
        )
    }

    fn tag(&mut self) -> Result<u8> {
        let b = *self
            .text
            .as_bytes()
            .get(self.at)
            .ok_or_else(|| self.error("it ends early"))?;
        self.at += 1;
        Ok(b)
    }

    fn expect_str(&mut self, s: &str) -> Result<()> {
        if self.text[self.at..].starts_with(s) {
            self.at += s.len();
            Ok(())
        } else {
            Err(self.error("it does not start with the compact form's mark"))
        }
    }

    /// Digits up to `end`, as a number.
    fn digits(&mut self, end: u8) -> Result<usize> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut n: usize = 0;
        while let Some(&b) = bytes.get(self.at) {
            self.at += 1;
            match b {
                b'0'..=b'9' => {
                    n = n
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(usize::from(b - b'0')))
                        .ok_or_else(|| self.error("a number out of range"))?;
                }
                _ if b == end && self.at - 1 > start => return Ok(n),
                _ => break,
            }
        }
        Err(self.error("a number expected"))
    }

    fn uint(&mut self) -> Result<usize> {
        self.digits(b';')
    }

    /// Whether the next byte is `b`, read if it is.
    fn eat(&mut self, b: u8) -> bool {
        let here = self.text.as_bytes().get(self.at) == Some(&b);
        self.at += usize::from(here);
        here
    }

    fn int(&mut self) -> Result<i64> {
        let negative = self.eat(b'-');
        let n = i64::try_from(self.uint()?).map_err(|_| self.error("a number out of range"))?;
        Ok(if negative { -n } else { n })
    }

    fn bool(&mut self) -> Result<bool> {
        match self.tag()? {
            b'0' => Ok(false),
            b'1' => Ok(true),
            _ => Err(self.error("`0` or `1` expected")),
        }
    }

    fn str(&mut self) -> Result<&'t str> {
        let len = self.digits(b':')?;
        let end = self
            .at
            .checked_add(len)
            .filter(|&end| end <= self.text.len())
            .ok_or_else(|| self.error("a string runs past the end"))?;
        let s = self
            .text
            .get(self.at..end)
            .ok_or_else(|| self.error("a string ends inside a character"))?;
        self.at = end;
        Ok(s)
    }

    fn opt_str(&mut self) -> Result<Option<String>> {
        if self.eat(b'-') {
            return Ok(None);
        }
        Ok(Some(self.str()?.to_string()))
    }

    /// A count, then that many items read with `item` (each at least one byte long, so
    /// a count larger than the bytes left is refused before anything is reserved).
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        let n = self.uint()?;
        if n > self.text.len() - self.at {
            return Err(self.error("more items than bytes left"));
        }
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(item(self)?);
        }
        Ok(items)
    }

    /// A name, then what `value` reads.
    fn named<T>(&mut self, value: impl FnOnce(&mut Self) -> Result<T>) -> Result<(String, T)> {
        let name = self.str()?.to_string();
        Ok((name, value(self)?))
    }

    fn nested<T>(&mut self, read: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("nested too deep"));
        }
        self.depth += 1;
        let out = read(self);
        self.depth -= 1;
        out
    }

    fn parameter(&mut self) -> Result<Parameter> {
        let name = self.str()?.to_string();
        let kind = match self.tag()? {
            b's' => ParameterType::String,
            b'b' => ParameterType::Boolean,
            b'a' => ParameterType::StringArray,
            _ => return Err(self.error("a parameter type expected")),
        };
        let built_in = self.opt_str()?;
        let required = self.bool()?;
        let default = match self.tag()? {
            b'-' => None,
            b's' => Some(ParamValue::String(self.str()?.to_string())),
            b'b' => Some(ParamValue::Bool(self.bool()?)),
            b'a' => Some(ParamValue::StringArray(
                self.list(|r| r.str().map(str::to_string))?,
            )),
            _ => return Err(self.error("a parameter default expected")),
        };
        if default.as_ref().is_some_and(|d| d.kind() != kind) {
            return Err(self.error("a default of another type than its parameter"));
        }
        let documentation = self.opt_str()?;
        let deprecated = match self.tag()? {
            b'-' => None,
            b'd' => Some(Deprecated {
                message: self.opt_str()?,
                since: self.opt_str()?,
            }),
            _ => return Err(self.error("a deprecation expected")),
        };
        Ok(Parameter {
            name,
            kind,
            built_in,
            required,
            default,
            documentation,
            deprecated,
        })
    }

    fn rules(&mut self) -> Result<Vec<Rule>> {
        self.list(|r| r.nested(Self::rule))
    }

    fn rule(&mut self) -> Result<Rule> {
        let kind = self.tag()?;
        let conditions = self.list(|r| {
            let call = r.expr()?;
            let assign = if r.eat(b'-') {
                None
            } else {
                Some(r.reference()?)
            };
            Ok(Condition { call, assign })
        })?;
        let rule = match kind {
            b'E' => {
                let endpoint = self.endpoint()?;
                Rule::Endpoint {
                    conditions,
                    endpoint,
                    documentation: self.opt_str()?,
                }
            }
            b'X' => {
                let message = self.expr()?;
                Rule::Error {
                    conditions,
                    message,
                    documentation: self.opt_str()?,
                }
            }
            b'T' => {
                let rules = self.rules()?;
                Rule::Tree {
                    conditions,
                    rules,
                    documentation: self.opt_str()?,
                }
            }
            _ => return Err(self.error("a rule expected")),
        };
        Ok(rule)
    }

    fn reference(&mut self) -> Result<Reference> {
        let name = self.str()?.to_string();
        let slot = self.uint()?;
        if slot >= self.slots {
            return Err(self.error("a reference past the rule set's slots"));
        }
        Ok(Reference { name, slot })
    }

    fn endpoint(&mut self) -> Result<EndpointTemplate> {
        let url = self.expr()?;
        let headers = self.list(|r| r.named(Self::exprs))?;
        let properties = self.list(|r| r.named(Self::property))?;
        Ok(EndpointTemplate {
            url,
            headers,
            properties,
        })
    }

    fn expr(&mut self) -> Result<Expr> {
        self.nested(Self::expr_inner)
    }

    fn expr_inner(&mut self) -> Result<Expr> {
        Ok(match self.tag()? {
            b's' => Expr::String(self.template()?),
            b't' => Expr::Bool(true),
            b'f' => Expr::Bool(false),
            b'i' => Expr::Int(self.int()?),
            b'a' => Expr::Array(self.exprs()?),
            b'r' => Expr::Ref(self.reference()?),
            b'g' => {
                let target = Box::new(self.expr()?);
                let path = self.list(|r| match r.tag()? {
                    b'k' => Ok(PathPart::Key(r.str()?.to_string())),
                    b'n' => Ok(PathPart::Index(r.int()?)),
                    _ => Err(r.error("a getAttr path part expected")),
                })?;
                Expr::GetAttr { target, path }
            }
            b'c' => {
                let function = Function::from_name(self.str()?)
                    .ok_or_else(|| self.error("an unknown function"))?;
                let args = self.exprs()?;
                let (min, max) = function.arity();
                if args.len() < min || args.len() > max {
                    return Err(self.error("a function given the wrong number of arguments"));
                }
                Expr::Call { function, args }
            }
            _ => return Err(self.error("an expression expected")),
        })
    }

    fn exprs(&mut self) -> Result<Vec<Expr>> {
        self.list(Self::expr)
    }

    fn template(&mut self) -> Result<Template> {
        let parts = self.list(|r| match r.tag()? {
            b'x' => Ok(TemplatePart::Text(r.str()?.to_string())),
            b'v' => Ok(TemplatePart::Value(r.expr()?)),
            _ => Err(r.error("a template part expected")),
        })?;
        Ok(Template { parts })
    }

    fn property(&mut self) -> Result<Property> {
        self.nested(|r| {
            Ok(match r.tag()? {
                b's' => Property::String(r.template()?),
                b't' => Property::Bool(true),
                b'f' => Property::Bool(false),
                b'n' => Property::Number(
                    Number::parse(r.str()?).ok_or_else(|| r.error("a number expected"))?,
                ),
                b'a' => Property::Array(r.list(Self::property)?),
                b'o' => Property::Object(r.list(|r| r.named(Self::property))?),
                _ => return Err(r.error("a property expected")),
            })
        })
    }
}

#[cfg(feature = "endpoint-json")]
mod write {
    use super::*;
    use std::fmt::Write as _;

    impl RuleSet {
        /// The rule set in the compact form [`RuleSet::from_compact`] reads: what the
        /// generator writes into a client.
        pub fn to_compact(&self) -> String {
            let mut w = Writer(String::new());
            w.0.push_str(MAGIC);
            w.str(&self.version);
            w.uint(self.slots);
            w.list(&self.parameters, Writer::parameter);
            w.rules(&self.rules);
            w.0
        }
    }

    struct Writer(String);

    impl Writer {
        fn uint(&mut self, n: usize) {
            let _ = write!(self.0, "{n};");
        }

        fn int(&mut self, n: i64) {
            let _ = write!(self.0, "{n};");
        }

        fn bool(&mut self, b: bool) {
            self.0.push(if b { '1' } else { '0' });
        }

        fn str(&mut self, s: &str) {
            let _ = write!(self.0, "{}:", s.len());
            self.0.push_str(s);
        }

        /// The count, then each item as `item` writes it.
        fn list<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Self, &T)) {
            self.uint(items.len());
            for i in items {
                item(self, i);
            }
        }

        /// A name, then its value as `value` writes it.
        fn named<T>(&mut self, (name, v): &(String, T), value: impl FnOnce(&mut Self, &T)) {
            self.str(name);
            value(self, v);
        }

        fn opt_str(&mut self, s: Option<&str>) {
            match s {
                Some(s) => self.str(s),
                None => self.0.push('-'),
            }
        }

        fn parameter(&mut self, p: &Parameter) {
            self.str(&p.name);
            self.0.push(match p.kind {
                ParameterType::String => 's',
                ParameterType::Boolean => 'b',
                ParameterType::StringArray => 'a',
            });
            self.opt_str(p.built_in.as_deref());
            self.bool(p.required);
            match &p.default {
                None => self.0.push('-'),
                Some(ParamValue::String(s)) => {
                    self.0.push('s');
                    self.str(s);
                }
                Some(ParamValue::Bool(b)) => {
                    self.0.push('b');
                    self.bool(*b);
                }
                Some(ParamValue::StringArray(items)) => {
                    self.0.push('a');
                    self.list(items, |w, s| w.str(s));
                }
            }
            self.opt_str(p.documentation.as_deref());
            match &p.deprecated {
                None => self.0.push('-'),
                Some(d) => {
                    self.0.push('d');
                    self.opt_str(d.message.as_deref());
                    self.opt_str(d.since.as_deref());
                }
            }
        }

        fn rules(&mut self, rules: &[Rule]) {
            self.list(rules, Self::rule);
        }

        fn rule(&mut self, rule: &Rule) {
            self.0.push(match rule {
                Rule::Endpoint { .. } => 'E',
                Rule::Error { .. } => 'X',
                Rule::Tree { .. } => 'T',
            });
            self.list(rule.conditions(), |w, c| {
                w.expr(&c.call);
                match &c.assign {
                    Some(r) => w.reference(r),
                    None => w.0.push('-'),
                }
            });
            let documentation = match rule {
                Rule::Endpoint {
                    endpoint,
                    documentation,
                    ..
                } => {
                    self.endpoint(endpoint);
                    documentation
                }
                Rule::Error {
                    message,
                    documentation,
                    ..
                } => {
                    self.expr(message);
                    documentation
                }
                Rule::Tree {
                    rules,
                    documentation,
                    ..
                } => {
                    self.rules(rules);
                    documentation
                }
            };
            self.opt_str(documentation.as_deref());
        }

        fn reference(&mut self, r: &Reference) {
            self.str(&r.name);
            self.uint(r.slot);
        }

        fn endpoint(&mut self, e: &EndpointTemplate) {
            self.expr(&e.url);
            self.list(&e.headers, |w, h| w.named(h, |w, v| w.list(v, Self::expr)));
            self.list(&e.properties, |w, p| w.named(p, Self::property));
        }

        fn expr(&mut self, e: &Expr) {
            match e {
                Expr::String(t) => {
                    self.0.push('s');
                    self.template(t);
                }
                Expr::Bool(b) => self.0.push(if *b { 't' } else { 'f' }),
                Expr::Int(n) => {
                    self.0.push('i');
                    self.int(*n);
                }
                Expr::Array(items) => {
                    self.0.push('a');
                    self.list(items, Self::expr);
                }
                Expr::Ref(r) => {
                    self.0.push('r');
                    self.reference(r);
                }
                Expr::GetAttr { target, path } => {
                    self.0.push('g');
                    self.expr(target);
                    self.list(path, |w, part| match part {
                        PathPart::Key(k) => {
                            w.0.push('k');
                            w.str(k);
                        }
                        PathPart::Index(i) => {
                            w.0.push('n');
                            w.int(*i);
                        }
                    });
                }
                Expr::Call { function, args } => {
                    self.0.push('c');
                    self.str(function.name());
                    self.list(args, Self::expr);
                }
            }
        }

        fn template(&mut self, t: &Template) {
            self.list(&t.parts, |w, part| match part {
                TemplatePart::Text(s) => {
                    w.0.push('x');
                    w.str(s);
                }
                TemplatePart::Value(e) => {
                    w.0.push('v');
                    w.expr(e);
                }
            });
        }

        fn property(&mut self, p: &Property) {
            match p {
                Property::String(t) => {
                    self.0.push('s');
                    self.template(t);
                }
                Property::Bool(b) => self.0.push(if *b { 't' } else { 'f' }),
                Property::Number(n) => {
                    self.0.push('n');
                    self.str(n.as_str());
                }
                Property::Array(items) => {
                    self.0.push('a');
                    self.list(items, Self::property);
                }
                Property::Object(fields) => {
                    self.0.push('o');
                    self.list(fields, |w, f| w.named(f, Self::property));
                }
            }
        }
    }
}
