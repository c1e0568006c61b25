//! A small, fast JSON reader and writer for the awsJson protocols.
//!
//! The reader is a pull parser over a byte slice: generated deserializers ask it for
//! exactly the shape they expect, so no intermediate tree is built. Errors carry the
//! byte offset. Nesting is limited, so hostile input cannot exhaust the stack.

use crate::types::{Blob, DateTime, Document, Number, TimestampFormat};
use base64::Engine as _;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// How deep objects and arrays may nest before the input is refused.
pub const MAX_DEPTH: usize = 128;

/// A JSON document that does not have the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    offset: usize,
    message: Cow<'static, str>,
}

impl JsonError {
    /// A new error at a byte offset.
    pub fn new(offset: usize, message: impl Into<Cow<'static, str>>) -> Self {
        JsonError {
            offset,
            message: message.into(),
        }
    }

    /// The byte offset of the problem.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for JsonError {}

type Result<T> = std::result::Result<T, JsonError>;

/// Whether any of eight bytes is `"`, `\\` or a control character.
#[inline]
fn has_special(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let quote = zero_byte(w ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(w ^ (ONES * u64::from(b'\\')));
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    (quote | backslash | control) != 0
}

/// A pull parser over one JSON document.
#[derive(Debug)]
pub struct Parser<'a> {
    b: &'a [u8],
    pos: usize,
    /// One entry per open object or array: whether the next item is the first.
    first: Vec<bool>,
}

impl<'a> Parser<'a> {
    /// A parser over `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Parser {
            b: bytes,
            pos: 0,
            first: Vec::with_capacity(8),
        }
    }

    /// A parser over a response body; an empty body (or `null`) reads as `{}`.
    pub fn for_body(body: &'a [u8]) -> Self {
        let trimmed = body.trim_ascii();
        if trimmed.is_empty() || trimmed == b"null" {
            Parser::new(b"{}")
        } else {
            Parser::new(body)
        }
    }

    /// Whether the input is empty or whitespace only (an empty body).
    pub fn is_blank(&self) -> bool {
        self.b.iter().all(|c| c.is_ascii_whitespace())
    }

    fn err<T>(&self, msg: impl Into<Cow<'static, str>>) -> Result<T> {
        Err(JsonError::new(self.pos, msg))
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.pos) {
            if c == b' ' || c == b'\n' || c == b'\r' || c == b'\t' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    #[inline]
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.pos).copied()
    }

    fn expect_byte(&mut self, want: u8, what: &'static str) -> Result<()> {
        match self.peek() {
            Some(c) if c == want => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => self.err(format!("expected {what}")),
            None => self.err(format!("expected {what}, found the end of the input")),
        }
    }

    /// Checks that nothing but whitespace follows the value just read.
    pub fn finish(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => self.err("unexpected data after the JSON value"),
        }
    }

    /// Reads `null` if it comes next and returns true; otherwise reads nothing.
    pub fn null(&mut self) -> Result<bool> {
        if self.peek() == Some(b'n') {
            if self.b[self.pos..].starts_with(b"null") {
                self.pos += 4;
                return Ok(true);
            }
            return self.err("invalid literal");
        }
        Ok(false)
    }

    /// Starts an object: reads `{`.
    pub fn begin_object(&mut self) -> Result<()> {
        if self.first.len() >= MAX_DEPTH {
            return self.err("JSON nested too deeply");
        }
        self.expect_byte(b'{', "an object")?;
        self.first.push(true);
        Ok(())
    }

    /// The next key of the current object, or `None` at its end (`}` is read).
    pub fn next_key(&mut self) -> Result<Option<Cow<'a, str>>> {
        let first = match self.first.last_mut() {
            Some(f) => std::mem::replace(f, false),
            None => return self.err("not inside an object"),
        };
        match self.peek() {
            Some(b'}') => {
                self.pos += 1;
                self.first.pop();
                return Ok(None);
            }
            Some(b',') if !first => self.pos += 1,
            Some(_) if first => {}
            Some(_) => return self.err("expected `,` or `}`"),
            None => return self.err("unterminated object"),
        }
        if self.peek() != Some(b'"') {
            return self.err("expected an object key");
        }
        let key = self.str()?;
        self.expect_byte(b':', "`:` after an object key")?;
        Ok(Some(key))
    }

    /// Starts an array: reads `[`.
    pub fn begin_array(&mut self) -> Result<()> {
        if self.first.len() >= MAX_DEPTH {
            return self.err("JSON nested too deeply");
        }
        self.expect_byte(b'[', "an array")?;
        self.first.push(true);
        Ok(())
    }

    /// Whether another element follows in the current array (`]` is read at its end).
    pub fn next_element(&mut self) -> Result<bool> {
        let first = match self.first.last_mut() {
            Some(f) => std::mem::replace(f, false),
            None => return self.err("not inside an array"),
        };
        match self.peek() {
            Some(b']') => {
                self.pos += 1;
                self.first.pop();
                Ok(false)
            }
            Some(b',') if !first => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) if first => Ok(true),
            Some(_) => self.err("expected `,` or `]`"),
            None => self.err("unterminated array"),
        }
    }

    /// Reads a string, borrowed from the input when it has no escapes.
    pub fn str(&mut self) -> Result<Cow<'a, str>> {
        self.expect_byte(b'"', "a string")?;
        let start = self.pos;
        let b = self.b;
        let mut i = start;
        // Skip eight plain bytes at a time.
        while let Some(chunk) = b.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            if has_special(u64::from_le_bytes(word)) {
                break;
            }
            i += 8;
        }
        while i < b.len() {
            let c = b[i];
            if c == b'"' {
                self.pos = i + 1;
                return match std::str::from_utf8(&b[start..i]) {
                    Ok(s) => Ok(Cow::Borrowed(s)),
                    Err(_) => Err(JsonError::new(start, "string is not valid UTF-8")),
                };
            }
            if c == b'\\' || c < 0x20 {
                break;
            }
            i += 1;
        }
        // Slow path: escapes.
        let mut out: Vec<u8> = b[start..i].to_vec();
        while i < b.len() {
            let c = b[i];
            match c {
                b'"' => {
                    self.pos = i + 1;
                    return String::from_utf8(out)
                        .map(Cow::Owned)
                        .map_err(|_| JsonError::new(start, "string is not valid UTF-8"));
                }
                b'\\' => {
                    let Some(&e) = b.get(i + 1) else { break };
                    i += 2;
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let hi = self.hex4(i)?;
                            i += 4;
                            let ch = if (0xD800..0xDC00).contains(&hi) {
                                if b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u') {
                                    let lo = self.hex4(i + 2)?;
                                    if !(0xDC00..0xE000).contains(&lo) {
                                        return Err(JsonError::new(i, "invalid surrogate pair"));
                                    }
                                    i += 6;
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    return Err(JsonError::new(i, "lone surrogate in string"));
                                }
                            } else if (0xDC00..0xE000).contains(&hi) {
                                return Err(JsonError::new(i, "lone surrogate in string"));
                            } else {
                                hi
                            };
                            let ch = char::from_u32(ch)
                                .ok_or_else(|| JsonError::new(i, "invalid \\u escape"))?;
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return Err(JsonError::new(i - 1, "invalid escape in string")),
                    }
                }
                c if c < 0x20 => {
                    return Err(JsonError::new(i, "control character in string"));
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        self.pos = b.len();
        self.err("unterminated string")
    }

    fn hex4(&self, at: usize) -> Result<u32> {
        let digits = self
            .b
            .get(at..at + 4)
            .ok_or_else(|| JsonError::new(at, "truncated \\u escape"))?;
        let mut v = 0u32;
        for &d in digits {
            let n = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(JsonError::new(at, "invalid \\u escape")),
            };
            v = v * 16 + u32::from(n);
        }
        Ok(v)
    }

    /// Reads `null` as `None`, or a value with `read`.
    #[inline]
    pub fn opt<T>(&mut self, read: impl FnOnce(&mut Self) -> Result<T>) -> Result<Option<T>> {
        if self.null()? {
            Ok(None)
        } else {
            read(self).map(Some)
        }
    }

    /// Reads `null` as `None`, or a string.
    pub fn opt_string(&mut self) -> Result<Option<String>> {
        self.opt(Self::string)
    }

    /// Reads `null` as `None`, or a boolean.
    pub fn opt_bool(&mut self) -> Result<Option<bool>> {
        self.opt(Self::bool)
    }

    /// Reads `null` as `None`, or an `i32`.
    pub fn opt_i32(&mut self) -> Result<Option<i32>> {
        self.opt(Self::i32)
    }

    /// Reads `null` as `None`, or an `i64`.
    pub fn opt_i64(&mut self) -> Result<Option<i64>> {
        self.opt(Self::i64)
    }

    /// Reads `null` as `None`, or a timestamp.
    pub fn opt_timestamp(&mut self, format: TimestampFormat) -> Result<Option<DateTime>> {
        self.opt(|p| p.timestamp(format))
    }

    /// Reads a string as an owned `String`.
    pub fn string(&mut self) -> Result<String> {
        self.str().map(Cow::into_owned)
    }

    /// Reads `true` or `false`.
    pub fn bool(&mut self) -> Result<bool> {
        match self.peek() {
            Some(b't') if self.b[self.pos..].starts_with(b"true") => {
                self.pos += 4;
                Ok(true)
            }
            Some(b'f') if self.b[self.pos..].starts_with(b"false") => {
                self.pos += 5;
                Ok(false)
            }
            _ => self.err("expected a boolean"),
        }
    }

    /// The text of the next number, validated against the JSON grammar.
    pub fn number_text(&mut self) -> Result<&'a str> {
        self.ws();
        let b = self.b;
        let start = self.pos;
        let mut i = start;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let int_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == int_start {
            return self.err("expected a number");
        }
        if b[int_start] == b'0' && i - int_start > 1 {
            return self.err("numbers may not have leading zeros");
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            let f = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == f {
                return Err(JsonError::new(i, "expected digits after `.`"));
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let e = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == e {
                return Err(JsonError::new(i, "expected digits in the exponent"));
            }
        }
        self.pos = i;
        // Only ASCII was accepted above.
        std::str::from_utf8(&b[start..i]).map_err(|_| JsonError::new(start, "invalid number"))
    }

    fn integer(&mut self) -> Result<i64> {
        let start = self.pos;
        let text = self.number_text()?;
        text.parse::<i64>()
            .map_err(|_| JsonError::new(start, format!("`{text}` is not an integer in range")))
    }

    /// Reads an `i64`.
    pub fn i64(&mut self) -> Result<i64> {
        self.integer()
    }

    /// Reads an `i32`.
    pub fn i32(&mut self) -> Result<i32> {
        let at = self.pos;
        let v = self.integer()?;
        i32::try_from(v)
            .map_err(|_| JsonError::new(at, format!("{v} does not fit a 32-bit integer")))
    }

    /// Reads an `i16`.
    pub fn i16(&mut self) -> Result<i16> {
        let at = self.pos;
        let v = self.integer()?;
        i16::try_from(v)
            .map_err(|_| JsonError::new(at, format!("{v} does not fit a 16-bit integer")))
    }

    /// Reads an `i8`.
    pub fn i8(&mut self) -> Result<i8> {
        let at = self.pos;
        let v = self.integer()?;
        i8::try_from(v)
            .map_err(|_| JsonError::new(at, format!("{v} does not fit an 8-bit integer")))
    }

    /// Reads an `f64`; `"NaN"`, `"Infinity"` and `"-Infinity"` are accepted as strings.
    pub fn f64(&mut self) -> Result<f64> {
        if self.peek() == Some(b'"') {
            let at = self.pos;
            return match &*self.str()? {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                other => Err(JsonError::new(at, format!("`{other}` is not a number"))),
            };
        }
        let at = self.pos;
        let text = self.number_text()?;
        text.parse::<f64>()
            .map_err(|_| JsonError::new(at, "invalid number"))
    }

    /// Reads an `f32` (see [`Parser::f64`]).
    pub fn f32(&mut self) -> Result<f32> {
        self.f64().map(|v| v as f32)
    }

    /// Reads a big number, keeping its exact text.
    pub fn big_number(&mut self) -> Result<Number> {
        Ok(Number::from_text(self.number_text()?))
    }

    /// Reads a base64 blob.
    pub fn blob(&mut self) -> Result<Blob> {
        let at = self.pos;
        let s = self.str()?;
        base64::engine::general_purpose::STANDARD
            .decode(s.as_bytes())
            .map(Blob::new)
            .map_err(|_| JsonError::new(at, "blob is not valid base64"))
    }

    /// Reads a timestamp in the given format.
    pub fn timestamp(&mut self, format: TimestampFormat) -> Result<DateTime> {
        let at = self.pos;
        match (format, self.peek()) {
            (TimestampFormat::EpochSeconds, Some(b'"')) => {
                // Some services quote epoch seconds; accept it.
                let s = self.str()?;
                DateTime::from_epoch_seconds_str(&s).ok_or_else(|| {
                    JsonError::new(at, format!("`{s}` is not a timestamp in epoch seconds"))
                })
            }
            (TimestampFormat::EpochSeconds, _) => {
                let text = self.number_text()?;
                DateTime::from_epoch_seconds_str(text).ok_or_else(|| {
                    JsonError::new(at, format!("`{text}` is out of range for a timestamp"))
                })
            }
            (_, Some(b'"')) => {
                let s = self.str()?;
                DateTime::parse(&s, format)
                    .ok_or_else(|| JsonError::new(at, format!("`{s}` is not a {format} timestamp")))
            }
            (_, Some(_)) => {
                // Services are lenient here too: a number is epoch seconds.
                let text = self.number_text()?;
                DateTime::from_epoch_seconds_str(text)
                    .ok_or_else(|| JsonError::new(at, "timestamp out of range"))
            }
            (_, None) => self.err("expected a timestamp"),
        }
    }

    /// Reads any JSON value as a document.
    pub fn document(&mut self) -> Result<Document> {
        match self.peek() {
            Some(b'{') => {
                self.begin_object()?;
                let mut map = HashMap::new();
                while let Some(k) = self.next_key()? {
                    let k = k.into_owned();
                    let v = self.document()?;
                    map.insert(k, v);
                }
                Ok(Document::Object(map))
            }
            Some(b'[') => {
                self.begin_array()?;
                let mut items = Vec::new();
                while self.next_element()? {
                    items.push(self.document()?);
                }
                Ok(Document::Array(items))
            }
            Some(b'"') => Ok(Document::String(self.string()?)),
            Some(b't' | b'f') => Ok(Document::Bool(self.bool()?)),
            Some(b'n') => {
                if self.null()? {
                    Ok(Document::Null)
                } else {
                    self.err("invalid literal")
                }
            }
            Some(_) => Ok(Document::Number(self.big_number()?)),
            None => self.err("expected a value"),
        }
    }

    /// Skips one value of any kind.
    pub fn skip(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'{') => {
                self.begin_object()?;
                while self.next_key()?.is_some() {
                    self.skip()?;
                }
                Ok(())
            }
            Some(b'[') => {
                self.begin_array()?;
                while self.next_element()? {
                    self.skip()?;
                }
                Ok(())
            }
            Some(b'"') => self.str().map(drop),
            Some(b't' | b'f') => self.bool().map(drop),
            Some(b'n') => {
                if self.null()? {
                    Ok(())
                } else {
                    self.err("invalid literal")
                }
            }
            Some(_) => self.number_text().map(drop),
            None => self.err("expected a value"),
        }
    }
}

/// A JSON writer into a byte buffer.
#[derive(Debug, Default)]
pub struct Writer {
    buf: Vec<u8>,
    comma: bool,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Writer {
            buf: Vec::with_capacity(256),
            comma: false,
        }
    }

    /// The bytes written.
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }

    #[inline]
    fn sep(&mut self) {
        if self.comma {
            self.buf.push(b',');
        }
        self.comma = true;
    }

    #[inline]
    fn open(&mut self, bracket: u8) {
        self.sep();
        self.buf.push(bracket);
        self.comma = false;
    }

    #[inline]
    fn close(&mut self, bracket: u8) {
        self.buf.push(bracket);
        self.comma = true;
    }

    /// Writes `{`.
    pub fn begin_object(&mut self) {
        self.open(b'{');
    }

    /// Writes `}`.
    pub fn end_object(&mut self) {
        self.close(b'}');
    }

    /// Writes `[`.
    pub fn begin_array(&mut self) {
        self.open(b'[');
    }

    /// Writes `]`.
    pub fn end_array(&mut self) {
        self.close(b']');
    }

    /// Writes an object key and its `:`.
    pub fn key(&mut self, key: &str) {
        self.sep();
        self.escaped(key);
        self.buf.push(b':');
        self.comma = false;
    }

    fn escaped(&mut self, s: &str) {
        self.buf.push(b'"');
        let bytes = s.as_bytes();
        let mut start = 0;
        for (i, &c) in bytes.iter().enumerate() {
            let esc: &[u8] = match c {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0..=0x1f => {
                    self.buf.extend_from_slice(&bytes[start..i]);
                    self.buf.extend_from_slice(format!("\\u{c:04x}").as_bytes());
                    start = i + 1;
                    continue;
                }
                _ => continue,
            };
            self.buf.extend_from_slice(&bytes[start..i]);
            self.buf.extend_from_slice(esc);
            start = i + 1;
        }
        self.buf.extend_from_slice(&bytes[start..]);
        self.buf.push(b'"');
    }

    /// Writes a string.
    pub fn string(&mut self, s: &str) {
        self.sep();
        self.escaped(s);
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.sep();
        self.buf.extend_from_slice(b"null");
    }

    /// Writes a boolean.
    pub fn bool(&mut self, v: bool) {
        self.sep();
        self.buf
            .extend_from_slice(if v { b"true" as &[u8] } else { b"false" });
    }

    /// Writes an integer.
    pub fn i64(&mut self, v: i64) {
        self.sep();
        let mut b = itoa::Buffer::new();
        self.buf.extend_from_slice(b.format(v).as_bytes());
    }

    /// Writes a float; NaN and the infinities go out as strings, as awsJson says.
    pub fn f64(&mut self, v: f64) {
        if v.is_nan() {
            self.string("NaN");
        } else if v.is_infinite() {
            self.string(if v > 0.0 { "Infinity" } else { "-Infinity" });
        } else {
            self.sep();
            let mut b = ryu::Buffer::new();
            let s = b.format_finite(v);
            self.buf
                .extend_from_slice(s.strip_suffix(".0").unwrap_or(s).as_bytes());
        }
    }

    /// Writes an `f32` without widening noise (`0.1f32` goes out as `0.1`).
    pub fn f32(&mut self, v: f32) {
        if !v.is_finite() {
            self.f64(f64::from(v));
        } else {
            self.sep();
            let mut b = ryu::Buffer::new();
            let s = b.format_finite(v);
            self.buf
                .extend_from_slice(s.strip_suffix(".0").unwrap_or(s).as_bytes());
        }
    }

    /// Writes a big number from its exact text.
    pub fn big_number(&mut self, n: &Number) {
        self.sep();
        self.buf.extend_from_slice(n.as_str().as_bytes());
    }

    /// Writes a blob as base64.
    pub fn blob(&mut self, b: &Blob) {
        let s = base64::engine::general_purpose::STANDARD.encode(b.as_ref());
        self.string(&s);
    }

    /// Writes a timestamp in the given format.
    pub fn timestamp(&mut self, t: &DateTime, format: TimestampFormat) {
        match format {
            TimestampFormat::EpochSeconds => {
                self.sep();
                self.buf
                    .extend_from_slice(t.epoch_seconds_string().as_bytes());
            }
            other => {
                let s = t.format(other);
                self.string(&s);
            }
        }
    }

    /// Writes a document.
    pub fn document(&mut self, d: &Document) {
        match d {
            Document::Null => self.null(),
            Document::Bool(b) => self.bool(*b),
            Document::Number(n) => self.big_number(n),
            Document::String(s) => self.string(s),
            Document::Array(items) => {
                self.begin_array();
                for i in items {
                    self.document(i);
                }
                self.end_array();
            }
            Document::Object(map) => {
                self.begin_object();
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                for k in keys {
                    self.key(k);
                    if let Some(v) = map.get(k) {
                        self.document(v);
                    }
                }
                self.end_object();
            }
        }
    }
}

/// Parses a whole body with `f`: an empty body reads as `{}`, and nothing may follow
/// the value.
pub fn parse_body<T>(body: &[u8], f: impl FnOnce(&mut Parser<'_>) -> Result<T>) -> Result<T> {
    let mut p = Parser::for_body(body);
    let v = f(&mut p)?;
    p.finish()?;
    Ok(v)
}

/// Checks that a body for an operation with no output is empty or one JSON value.
pub fn parse_unit(body: &[u8]) -> Result<()> {
    parse_body(body, |p| p.skip())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_objects_and_skips_unknown_members() {
        let mut p = Parser::new(br#" {"a": [1, 2, {"x": null}], "b": "h\u00e9\n", "c": true} "#);
        p.begin_object().unwrap();
        let mut seen = Vec::new();
        while let Some(k) = p.next_key().unwrap() {
            match &*k {
                "b" => seen.push(p.string().unwrap()),
                _ => p.skip().unwrap(),
            }
        }
        p.finish().unwrap();
        assert_eq!(seen, vec!["hé\n".to_string()]);
    }

    #[test]
    fn refuses_malformed_input_with_an_offset() {
        for bad in [
            &b"{"[..],
            b"{\"a\" 1}",
            b"[1,]",
            b"{\"a\":1,}",
            b"\"abc",
            b"01",
            b"[1 2]",
            b"{,}",
            b"tru",
        ] {
            let mut p = Parser::new(bad);
            let r = p.skip().and_then(|_| p.finish());
            assert!(
                r.is_err(),
                "{:?} was accepted",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        let err = Parser::new(deep.as_bytes()).skip().unwrap_err();
        assert!(err.message().contains("nested too deeply"));
    }

    #[test]
    fn strings_with_escapes_anywhere_decode() {
        // Escapes, quotes and control characters at every offset around the 8-byte scan.
        for len in 0..40 {
            for at in 0..=len {
                for (raw, decoded) in [
                    ("\\\"", "\""),
                    ("\\n", "\n"),
                    ("\\u00e9", "é"),
                    ("é", "é"),
                    ("\\\\", "\\"),
                ] {
                    let text = format!("{}{raw}{}", "a".repeat(at), "b".repeat(len - at));
                    let want = format!("{}{decoded}{}", "a".repeat(at), "b".repeat(len - at));
                    let json = format!("\"{text}\"");
                    assert_eq!(
                        Parser::new(json.as_bytes()).string().unwrap(),
                        want,
                        "{json}"
                    );
                }
                let bad = format!("\"{}\u{1}{}\"", "a".repeat(at), "b".repeat(len - at));
                assert!(
                    Parser::new(bad.as_bytes()).string().is_err(),
                    "control character at {at}"
                );
            }
        }
    }

    #[test]
    fn surrogate_pairs_decode() {
        let mut p = Parser::new(br#""\ud83d\ude00""#);
        assert_eq!(p.string().unwrap(), "😀");
        assert!(Parser::new(br#""\ud83d""#).string().is_err());
    }

    #[test]
    fn writer_escapes_and_separates() {
        let mut w = Writer::new();
        w.begin_object();
        w.key("a\"b");
        w.string("line\nbreak\u{1}");
        w.key("n");
        w.begin_array();
        w.i64(1);
        w.f64(f64::NAN);
        w.f64(2.5);
        w.f64(3.0);
        w.end_array();
        w.end_object();
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            r#"{"a\"b":"line\nbreak\u0001","n":[1,"NaN",2.5,3]}"#
        );
    }

    #[test]
    fn floats_accept_the_special_strings() {
        assert!(Parser::new(b"\"NaN\"").f64().unwrap().is_nan());
        assert_eq!(
            Parser::new(b"\"-Infinity\"").f64().unwrap(),
            f64::NEG_INFINITY
        );
        assert!(Parser::new(b"\"nope\"").f64().is_err());
    }
}
