//! A small, fast JSON reader and writer for the awsJson protocols.
//!
//! The reader is a pull parser over a byte slice: generated deserializers ask it for
//! exactly the shape they expect, so no intermediate tree is built. Errors carry the
//! byte offset. Nesting is limited, so hostile input cannot exhaust the stack.

use crate::types::{scan_epoch_seconds, Blob, DateTime, Document, Number, TimestampFormat};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

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

/// A mask with the high bit set in each of eight bytes that is `"`, `\\` or a control
/// character. The lowest set bit marks the first such byte exactly (bits above it may
/// be set by borrows, which does not matter here).
#[inline]
fn special_mask(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let quote = zero_byte(w ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(w ^ (ONES * u64::from(b'\\')));
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    quote | backslash | control
}

/// The index of the first `"`, `\\` or control character in `b` at or after `i`, or
/// `b.len()`.
#[inline]
fn scan_plain(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let m = special_mask(u64::from_le_bytes(*chunk));
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            return i;
        }
        i += 1;
    }
    i
}

/// The integer a JSON number's text stands for exactly, if it is a whole number in the
/// range of `i64` (`-12`, `5.0`, `1.28e2`, `1200e-2`), computed without rounding.
fn exact_integer(text: &str) -> Option<i64> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).collect();
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // value = digits × 10^scale
    let mut scale = exponent.checked_sub(i64::try_from(fraction.len()).ok()?)?;
    let mut digits: &[u8] = &digits;
    while scale < 0 {
        match digits.split_last() {
            Some((b'0', rest)) => {
                digits = rest;
                scale += 1;
            }
            Some(_) => return None,
            None => break,
        }
    }
    let start = digits
        .iter()
        .position(|&d| d != b'0')
        .unwrap_or(digits.len());
    let digits = &digits[start..];
    if digits.is_empty() {
        return Some(0);
    }
    if i64::try_from(digits.len()).ok()? + scale.max(0) > 19 {
        return None;
    }
    let mut v: i128 = 0;
    for &d in digits {
        v = v * 10 + i128::from(d - b'0');
    }
    for _ in 0..scale.max(0) {
        v *= 10;
    }
    i64::try_from(if negative { -v } else { v }).ok()
}

/// The longest prefix of `b` that is valid UTF-8: all of it for a valid document.
fn valid_prefix(b: &[u8]) -> &str {
    match std::str::from_utf8(b) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&b[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// The order in which a service writes the keys of one kind of object, learned from the
/// first such object read (its first [`KeyOrder::MAX_KEYS`] keys that have no escapes
/// and are at most [`KeyOrder::MAX_KEY_LEN`] bytes: what a broken or hostile server
/// sends first is not kept in bulk for the life of the process).
///
/// A generated deserializer keeps one in a `static` and reads its objects' keys with
/// [`Parser::next_key_in`], which compares the input with the key expected next before
/// it scans for the key's end: a page of a thousand objects of one kind is read mostly
/// without scanning its keys. What is read does not depend on it, only how fast.
#[derive(Debug, Default)]
pub struct KeyOrder {
    learned: OnceLock<Box<[Box<str>]>>,
}

impl KeyOrder {
    /// The most keys learned for one kind of object.
    pub const MAX_KEYS: usize = 64;
    /// The longest key learned, in bytes.
    pub const MAX_KEY_LEN: usize = 128;

    /// An order not learned yet.
    pub const fn new() -> Self {
        KeyOrder {
            learned: OnceLock::new(),
        }
    }

    /// A cursor for reading one object's keys in this order (or learning it).
    pub fn cursor(&'static self) -> KeyCursor {
        KeyCursor {
            order: self,
            keys: self.learned(),
            next: 0,
            learning: Vec::new(),
        }
    }

    /// The keys learned, if any yet.
    pub fn learned(&self) -> Option<&[Box<str>]> {
        self.learned.get().map(|k| &**k)
    }
}

/// Where [`Parser::next_key_in`] is in one object's keys (see [`KeyOrder`]).
#[derive(Debug)]
pub struct KeyCursor {
    order: &'static KeyOrder,
    /// The learned order, once there is one.
    keys: Option<&'static [Box<str>]>,
    /// The index in `keys` of the key expected next.
    next: usize,
    /// The keys read so far while there is no order yet.
    learning: Vec<Box<str>>,
}

impl KeyCursor {
    /// At the end of an object read without an order: its keys are the order.
    #[cold]
    fn learned(&mut self) {
        if !self.learning.is_empty() {
            // Another thread may have learned it meanwhile: either order serves.
            let _ = self
                .order
                .learned
                .set(std::mem::take(&mut self.learning).into_boxed_slice());
        }
    }
}

/// A pull parser over one JSON document.
pub struct Parser<'a> {
    b: &'a [u8],
    /// The longest prefix of `b` that is valid UTF-8, checked once up front: text in it
    /// between ASCII delimiters is borrowed without checking again.
    text: &'a str,
    pos: usize,
    /// How many objects and arrays are open.
    depth: usize,
    /// Whether the next item of the innermost open object or array is its first. One
    /// flag is enough: an object or array opens only as an item of its parent, after
    /// that item's key or comma is read, so when it closes its parent's next item is
    /// never the first.
    first: bool,
    /// The depth of the outermost open array (counted as `depth` is), 0 when none is
    /// open: the one list that [`Parser::next_item`] reserves room for.
    outer_list: usize,
    /// Where the first element of that list began, for [`Parser::next_item`]'s estimate.
    list_start: usize,
}

impl fmt::Debug for Parser<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parser")
            .field("b", &self.b)
            .field("pos", &self.pos)
            .field("depth", &self.depth)
            .field("first", &self.first)
            .finish()
    }
}

impl<'a> Parser<'a> {
    /// A parser over `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Parser {
            b: bytes,
            text: valid_prefix(bytes),
            pos: 0,
            depth: 0,
            first: false,
            outer_list: 0,
            list_start: 0,
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

    #[cold]
    fn err<T>(&self, msg: impl Into<Cow<'static, str>>) -> Result<T> {
        Err(JsonError::new(self.pos, msg))
    }

    /// `b[start..end]` as text, for `start` and `end` at ASCII delimiters: borrowed from
    /// the checked prefix, or checked here where it is not in it.
    #[inline]
    fn text_at(&self, start: usize, end: usize) -> Option<&'a str> {
        let text: &'a str = self.text;
        match text.get(start..end) {
            Some(s) => Some(s),
            None => std::str::from_utf8(self.b.get(start..end)?).ok(),
        }
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
        match self.b.get(self.pos) {
            Some(&c) if c > b' ' => Some(c),
            _ => {
                self.ws();
                self.b.get(self.pos).copied()
            }
        }
    }

    #[inline]
    fn expect_byte(&mut self, want: u8, what: &'static str) -> Result<()> {
        match self.peek() {
            Some(c) if c == want => {
                self.pos += 1;
                Ok(())
            }
            found => self.expected(found, what),
        }
    }

    #[cold]
    fn expected<T>(&self, found: Option<u8>, what: &'static str) -> Result<T> {
        match found {
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

    /// Reads the `null` at `pos` (whose first byte is `n`).
    #[inline]
    fn null_literal(&mut self) -> Result<()> {
        if self.b[self.pos..].starts_with(b"null") {
            self.pos += 4;
            Ok(())
        } else {
            self.err("invalid literal")
        }
    }

    /// Reads `null` if it comes next and returns true; otherwise reads nothing.
    #[inline]
    pub fn null(&mut self) -> Result<bool> {
        if self.peek() == Some(b'n') {
            self.null_literal()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Opens an object or array whose first byte `open` comes next.
    #[inline]
    fn begin(&mut self, open: u8, what: &'static str) -> Result<()> {
        if self.depth >= MAX_DEPTH {
            return self.err("JSON nested too deeply");
        }
        self.expect_byte(open, what)?;
        self.first = true;
        self.depth += 1;
        if open == b'[' && self.outer_list == 0 {
            self.outer_list = self.depth;
        }
        Ok(())
    }

    /// Whether the next item of the innermost open object or array is its first
    /// (clearing that), or `None` when none is open.
    #[inline]
    fn take_first(&mut self) -> Option<bool> {
        if self.depth == 0 {
            return None;
        }
        Some(std::mem::take(&mut self.first))
    }

    /// Closes the innermost object or array (its closing byte is at `pos`).
    #[inline]
    fn end(&mut self) {
        if self.depth == self.outer_list {
            self.outer_list = 0;
        }
        self.pos += 1;
        self.depth -= 1;
        self.first = false;
    }

    /// Starts an object: reads `{`.
    #[inline]
    pub fn begin_object(&mut self) -> Result<()> {
        self.begin(b'{', "an object")
    }

    /// The next key of the current object, or `None` at its end (`}` is read).
    #[inline]
    pub fn next_key(&mut self) -> Result<Option<Cow<'a, str>>> {
        if !self.key_opens()? {
            return Ok(None);
        }
        let key = self.str_body()?;
        self.colon()?;
        Ok(Some(key))
    }

    /// Reads what comes before an object's next key, up to and including its opening
    /// quote: `true`; or the object's closing `}`: `false`.
    #[inline]
    fn key_opens(&mut self) -> Result<bool> {
        let Some(first) = self.take_first() else {
            return self.err("not inside an object");
        };
        match self.peek() {
            Some(b'}') => {
                self.end();
                return Ok(false);
            }
            Some(b',') if !first => self.pos += 1,
            Some(_) if first => {}
            Some(_) => return self.err("expected `,` or `}`"),
            None => return self.err("unterminated object"),
        }
        if self.peek() != Some(b'"') {
            return self.err("expected an object key");
        }
        self.pos += 1;
        Ok(true)
    }

    /// [`Parser::next_key`] for an object whose keys likely come in `cursor`'s order:
    /// the key expected next is compared with the input first, and only a key that is
    /// not it is scanned. The key read is the same either way. Its common case is
    /// inlined where it is called: a call would cost as much as the comparison.
    #[inline(always)]
    pub fn next_key_in(&mut self, cursor: &mut KeyCursor) -> Result<Option<Cow<'a, str>>> {
        // The common case: no whitespace, a comma unless the key is the first, and the
        // key expected next. A learned key has no quote, backslash or control
        // character (it was read without escapes), so input that holds it between
        // quotes holds that key.
        if let Some(want) = cursor.keys.and_then(|keys| keys.get(cursor.next)) {
            let want: &'static str = want;
            let start = self.pos + usize::from(!self.first);
            let end = start + 1 + want.len();
            let fits = self.depth > 0
                && (self.first || self.b.get(self.pos) == Some(&b','))
                && self.b.get(start) == Some(&b'"')
                && self.b.get(start + 1..end) == Some(want.as_bytes())
                && self.b.get(end..end + 2) == Some(b"\":");
            if fits {
                self.first = false;
                self.pos = end + 2;
                cursor.next += 1;
                return Ok(Some(Cow::Borrowed(want)));
            }
        }
        self.next_key_learning(cursor)
    }

    /// [`Parser::next_key_in`] for any other input: read as [`Parser::next_key`]
    /// reads it; the key after the one read is expected next, or the keys are learned.
    #[inline(never)]
    fn next_key_learning(&mut self, cursor: &mut KeyCursor) -> Result<Option<Cow<'a, str>>> {
        if !self.key_opens()? {
            if cursor.keys.is_none() {
                cursor.learned();
            }
            return Ok(None);
        }
        if let Some(want) = cursor.keys.and_then(|keys| keys.get(cursor.next)) {
            let want: &'static str = want;
            let end = self.pos + want.len();
            if self.b.get(self.pos..end) == Some(want.as_bytes()) && self.b.get(end) == Some(&b'"')
            {
                self.pos = end + 1;
                cursor.next += 1;
                self.colon()?;
                return Ok(Some(Cow::Borrowed(want)));
            }
        }
        let key = self.str_body()?;
        self.colon()?;
        match cursor.keys {
            // A member left out, or one more: the key after this one is expected next.
            Some(keys) => {
                if let Some(i) = keys.iter().position(|k| **k == *key) {
                    cursor.next = i + 1;
                }
            }
            None => {
                if let Cow::Borrowed(k) = &key {
                    if cursor.learning.len() < KeyOrder::MAX_KEYS
                        && k.len() <= KeyOrder::MAX_KEY_LEN
                    {
                        cursor.learning.push(Box::from(*k));
                    }
                }
            }
        }
        Ok(Some(key))
    }

    /// Reads the `:` after an object key.
    #[inline]
    fn colon(&mut self) -> Result<()> {
        if self.b.get(self.pos) == Some(&b':') {
            self.pos += 1;
            Ok(())
        } else {
            self.expect_byte(b':', "`:` after an object key")
        }
    }

    /// Starts an array: reads `[`.
    #[inline]
    pub fn begin_array(&mut self) -> Result<()> {
        self.begin(b'[', "an array")
    }

    /// Whether another element follows in the current array (`]` is read at its end).
    #[inline]
    pub fn next_element(&mut self) -> Result<bool> {
        let Some(first) = self.take_first() else {
            return self.err("not inside an array");
        };
        match self.peek() {
            Some(b']') => {
                self.end();
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

    /// [`Parser::next_element`] for a list read into `list`. A list of the document or
    /// of its top-level object (the items of a page), inside no other list, has room
    /// reserved after its first element: as many more as the rest of the input would
    /// hold at that element's size, in at most four times as many bytes as the rest of
    /// the input (a value takes more room in memory than in compact JSON), rather than
    /// growing through a dozen copies. Nested lists grow as they are read, as they are
    /// usually short and the rest of the input is not theirs.
    #[inline]
    pub fn next_item<T>(&mut self, list: &mut Vec<T>) -> Result<bool> {
        let more = self.next_element()?;
        if more && self.depth <= 2 && self.depth == self.outer_list {
            match list.len() {
                0 => self.list_start = self.pos,
                1 => self.reserve_rest(list),
                _ => {}
            }
        }
        Ok(more)
    }

    #[cold]
    fn reserve_rest<T>(&self, list: &mut Vec<T>) {
        let span = self.pos.saturating_sub(self.list_start).max(1);
        let rest = self.b.len().saturating_sub(self.pos);
        let by_bytes = rest.saturating_mul(4) / std::mem::size_of::<T>().max(1);
        // An estimate: if that much memory is not to be had, the list grows as it is
        // read instead.
        let _ = list.try_reserve((rest / span).min(by_bytes));
    }

    /// Reads a string, borrowed from the input when it has no escapes.
    #[inline]
    pub fn str(&mut self) -> Result<Cow<'a, str>> {
        self.expect_byte(b'"', "a string")?;
        self.str_body()
    }

    /// The rest of a string whose opening quote is read. Inlined where it is called
    /// (object keys, string values): a call of its own cost as much as the scan of a key.
    #[inline(always)]
    fn str_body(&mut self) -> Result<Cow<'a, str>> {
        let start = self.pos;
        let i = scan_plain(self.b, start);
        if self.b.get(i) == Some(&b'"') {
            self.pos = i + 1;
            return match self.text_at(start, i) {
                Some(s) => Ok(Cow::Borrowed(s)),
                None => Err(JsonError::new(start, "string is not valid UTF-8")),
            };
        }
        self.str_escaped(start, i).map(Cow::Owned)
    }

    /// The rest of a string from `start`, with a byte that is not plain text at `i`.
    #[cold]
    fn str_escaped(&mut self, start: usize, mut i: usize) -> Result<String> {
        if self.text.len() < self.b.len() {
            // Invalid UTF-8 somewhere in the input: decode byte by byte and check the
            // result at the end, so errors come in the same order as anywhere else.
            return self.str_escaped_bytes(start, i);
        }
        let b = self.b;
        let mut out = String::with_capacity(i - start + 16);
        let mut seg = start;
        loop {
            // Everything is valid UTF-8 and `seg`, `i` are at ASCII delimiters.
            let plain = self
                .text_at(seg, i)
                .ok_or_else(|| JsonError::new(start, "string is not valid UTF-8"))?;
            out.push_str(plain);
            match b.get(i) {
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let Some((ch, next)) = self.unescape(i)? else {
                        break;
                    };
                    out.push(ch);
                    i = next;
                }
                Some(_) => return Err(JsonError::new(i, "control character in string")),
                None => break,
            }
            seg = i;
            i = scan_plain(b, i);
        }
        self.pos = b.len();
        self.err("unterminated string")
    }

    /// [`Parser::str_escaped`] for input that is not all valid UTF-8.
    fn str_escaped_bytes(&mut self, start: usize, mut i: usize) -> Result<String> {
        let b = self.b;
        let mut out: Vec<u8> = b[start..i].to_vec();
        while i < b.len() {
            let c = b[i];
            match c {
                b'"' => {
                    self.pos = i + 1;
                    return String::from_utf8(out)
                        .map_err(|_| JsonError::new(start, "string is not valid UTF-8"));
                }
                b'\\' => {
                    let Some((ch, next)) = self.unescape(i)? else {
                        break;
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    i = next;
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

    /// The escape whose `\\` is at `i`: the character and the index after it, or `None`
    /// when the input ends after the `\\`.
    fn unescape(&self, i: usize) -> Result<Option<(char, usize)>> {
        let b = self.b;
        let Some(&e) = b.get(i + 1) else {
            return Ok(None);
        };
        let mut i = i + 2;
        let ch = match e {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
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
                char::from_u32(ch).ok_or_else(|| JsonError::new(i, "invalid \\u escape"))?
            }
            _ => return Err(JsonError::new(i - 1, "invalid escape in string")),
        };
        Ok(Some((ch, i)))
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
    #[inline]
    pub fn opt_string(&mut self) -> Result<Option<String>> {
        match self.peek() {
            Some(b'"') => {
                self.pos += 1;
                self.str_body().map(|s| Some(s.into_owned()))
            }
            Some(b'n') => self.null_literal().map(|()| None),
            found => self.expected(found, "a string"),
        }
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
    #[inline]
    pub fn opt_timestamp(&mut self, format: TimestampFormat) -> Result<Option<DateTime>> {
        self.opt(|p| p.timestamp(format))
    }

    /// Reads a string as an owned `String`.
    #[inline]
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
    #[inline]
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
        self.text_at(start, i)
            .ok_or_else(|| JsonError::new(start, "invalid number"))
    }

    fn integer(&mut self) -> Result<i64> {
        let start = self.pos;
        let text = self.number_text()?;
        // Up to 18 digits cannot overflow; anything else goes to the standard parser.
        let digits = text.strip_prefix('-').unwrap_or(text).as_bytes();
        if digits.len() <= 18 && digits.iter().all(u8::is_ascii_digit) {
            let v = digits
                .iter()
                .fold(0i64, |v, &d| v * 10 + i64::from(d - b'0'));
            return Ok(if digits.len() < text.len() { -v } else { v });
        }
        // A whole number written with a fraction or an exponent (`5.0`, `1.28e2`) is
        // that integer, as the official SDKs read it.
        exact_integer(text).ok_or_else(|| {
            JsonError::new(
                start,
                format!("`{text}` is not a whole number that fits in 64 bits"),
            )
        })
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
        base64_simd::STANDARD
            .decode_to_vec(s.as_bytes())
            .map(Blob::new)
            .map_err(|_| JsonError::new(at, "blob is not valid base64"))
    }

    /// Reads a timestamp in the given format.
    #[inline]
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
                if let Some(t) = self.epoch_number() {
                    return Ok(t);
                }
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
                if let Some(t) = self.epoch_number() {
                    return Ok(t);
                }
                let text = self.number_text()?;
                DateTime::from_epoch_seconds_str(text)
                    .ok_or_else(|| JsonError::new(at, "timestamp out of range"))
            }
            (_, None) => self.err("expected a timestamp"),
        }
    }

    /// Reads the JSON number at `pos` as epoch seconds in one pass, for the common shapes
    /// (at most 19 digits before an exponent of at most four). For anything else it
    /// reads nothing and returns `None`, and [`Parser::number_text`] and
    /// [`DateTime::from_epoch_seconds_str`] decide, as they would have.
    #[inline]
    fn epoch_number(&mut self) -> Option<DateTime> {
        let b = self.b;
        // JSON numbers have no leading zeros (`01`); the text path rejects those.
        let int_start = self.pos + usize::from(b.get(self.pos) == Some(&b'-'));
        if b.get(int_start) == Some(&b'0') && b.get(int_start + 1).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let (t, end) = scan_epoch_seconds(b, self.pos)?;
        self.pos = end;
        Some(t)
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
    /// The first union whose `Unknown` variant was to be written.
    unknown: Option<&'static str>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Writer {
            buf: Vec::with_capacity(256),
            comma: false,
            unknown: None,
        }
    }

    /// The bytes written.
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }

    /// Notes that the `Unknown` variant of the union `union` (a value read from a
    /// response that this client has no name for) was to be written: it cannot be
    /// sent, and [`Writer::body`] refuses the document.
    pub fn unknown_variant(&mut self, union: &'static str) {
        self.unknown.get_or_insert(union);
    }

    /// The document written, for a request body: an error if it holds a value that
    /// cannot be sent.
    #[cfg(feature = "client")]
    pub fn body(self) -> std::result::Result<Vec<u8>, crate::error::BuildError> {
        match self.unknown {
            None => Ok(self.buf),
            Some(union) => Err(crate::error::BuildError::invalid(
                union,
                "Unknown",
                "is a value this client does not know (read from a response): it cannot be sent",
            )),
        }
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
        let bytes = s.as_bytes();
        self.buf.reserve(bytes.len() + 2);
        self.buf.push(b'"');
        let mut start = 0;
        loop {
            // Plain text is copied a run at a time, found eight bytes at a time.
            let i = scan_plain(bytes, start);
            self.buf.extend_from_slice(&bytes[start..i]);
            let Some(&c) = bytes.get(i) else { break };
            match c {
                b'"' => self.buf.extend_from_slice(b"\\\""),
                b'\\' => self.buf.extend_from_slice(b"\\\\"),
                b'\n' => self.buf.extend_from_slice(b"\\n"),
                b'\r' => self.buf.extend_from_slice(b"\\r"),
                b'\t' => self.buf.extend_from_slice(b"\\t"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.buf.extend_from_slice(b"\\u00");
                    self.buf.push(HEX[usize::from(c >> 4)]);
                    self.buf.push(HEX[usize::from(c & 15)]);
                }
            }
            start = i + 1;
        }
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

    /// Writes a blob as base64, straight into the output: base64 needs no escaping.
    pub fn blob(&mut self, b: &Blob) {
        self.sep();
        self.buf.push(b'"');
        base64_simd::STANDARD.encode_append(b.as_ref(), &mut self.buf);
        self.buf.push(b'"');
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
                let keys = crate::types::sorted_keys(map);
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

    /// `{"items":[<items>], "tail": "<tail>"}` read with `next_item`, each item an
    /// object `{"n": <i64>, "inner": [<i64>...]}`: the lists with their capacities.
    fn read_items(doc: &[u8]) -> (Vec<(i64, Vec<i64>)>, Vec<usize>) {
        let mut p = Parser::new(doc);
        let mut items = Vec::new();
        let mut inner_caps = Vec::new();
        p.begin_object().unwrap();
        while let Some(key) = p.next_key().unwrap() {
            if key != "items" {
                p.skip().unwrap();
                continue;
            }
            p.begin_array().unwrap();
            while p.next_item(&mut items).unwrap() {
                let (mut n, mut inner) = (0, Vec::new());
                p.begin_object().unwrap();
                while let Some(k) = p.next_key().unwrap() {
                    match &*k {
                        "n" => n = p.i64().unwrap(),
                        "inner" => {
                            p.begin_array().unwrap();
                            while p.next_item(&mut inner).unwrap() {
                                inner.push(p.i64().unwrap());
                            }
                        }
                        _ => p.skip().unwrap(),
                    }
                }
                inner_caps.push(inner.capacity());
                items.push((n, inner));
            }
        }
        (items, inner_caps)
    }

    #[test]
    fn top_level_lists_reserve_their_room_after_the_first_item() {
        let item = |i: usize| format!(r#"{{"n":{i},"inner":[1,2]}}"#);
        let items: Vec<String> = (0..600).map(item).collect();
        let doc = format!(r#"{{"items":[{}],"tail":"x"}}"#, items.join(","));
        let (read, inner_caps) = read_items(doc.as_bytes());
        assert_eq!(read.len(), 600);
        assert_eq!(read[599], (599, vec![1, 2]));
        // Room for the rest at the first item's size (a little shorter than most): a
        // little over 600 in one reservation, where doubling would reach 1024.
        assert!(
            (600..=700).contains(&read.capacity()),
            "capacity {}",
            read.capacity()
        );
        // The nested lists grow as they are read: the rest of the input is not theirs.
        assert!(inner_caps.iter().all(|&c| c < 8), "{inner_caps:?}");
    }

    #[test]
    fn lists_inside_a_top_level_list_grow_as_they_are_read() {
        // `[[0,1],[1,2],...]`: the outer list reserves its room, the inner ones (at the
        // depth of a page's list, but inside another list) do not.
        let pairs: Vec<String> = (0..600).map(|i| format!("[{i},{}]", i + 1)).collect();
        let doc = format!("[{}]", pairs.join(","));
        let mut p = Parser::new(doc.as_bytes());
        let mut outer: Vec<Vec<i64>> = Vec::new();
        p.begin_array().unwrap();
        while p.next_item(&mut outer).unwrap() {
            let mut inner = Vec::new();
            p.begin_array().unwrap();
            while p.next_item(&mut inner).unwrap() {
                inner.push(p.i64().unwrap());
            }
            assert!(inner.capacity() < 8, "inner capacity {}", inner.capacity());
            outer.push(inner);
        }
        assert_eq!(outer.len(), 600);
        assert_eq!(outer[599], [599, 600]);
        assert!(
            (600..=1000).contains(&outer.capacity()),
            "outer capacity {}",
            outer.capacity()
        );
    }

    #[test]
    fn a_reservation_is_bounded_by_the_rest_of_the_input() {
        // A tiny first item and a long tail: no more than four times the bytes the
        // tail has.
        let doc = format!(r#"{{"items":[{{}},{{}}],"tail":"{}"}}"#, "x".repeat(10_000));
        let (read, _) = read_items(doc.as_bytes());
        assert_eq!(read.len(), 2);
        let item = std::mem::size_of::<(i64, Vec<i64>)>();
        assert!(
            read.capacity() * item <= 4 * doc.len(),
            "capacity {} of {item} bytes",
            read.capacity()
        );
        // A null first element of a list that skips nulls starts the count again.
        let mut p = Parser::new(b"[null, 1, 2, 3]");
        let mut list: Vec<i64> = Vec::new();
        p.begin_array().unwrap();
        while p.next_item(&mut list).unwrap() {
            if !p.null().unwrap() {
                list.push(p.i64().unwrap());
            }
        }
        assert_eq!(list, [1, 2, 3]);
    }
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
            // A comma is needed after a nested value, and none before a first item,
            // at every depth.
            b"[[1][2]]",
            b"{\"a\":{\"b\":1}\"c\":2}",
            b"[{\"a\":[]},,{}]",
            b"[[,1]]",
            b"{\"a\":[{},{\"b\":[1,]}]}",
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

    /// `doc` without its whitespace outside strings.
    fn compact(doc: &str) -> String {
        let (mut out, mut in_string, mut escaped) = (String::new(), false, false);
        for c in doc.chars() {
            if in_string {
                in_string = escaped || c != '"';
                escaped = !escaped && c == '\\';
            } else if c.is_ascii_whitespace() {
                continue;
            } else {
                in_string = c == '"';
            }
            out.push(c);
        }
        out
    }

    /// Every key of every object in `doc` (an array of objects), read with
    /// `next_key_in` and `order`, and the same read with `next_key`.
    fn keys_both_ways(doc: &str, order: &'static KeyOrder) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
        let read = |learned: bool| -> Vec<Vec<String>> {
            let mut p = Parser::new(doc.as_bytes());
            let mut out = Vec::new();
            p.begin_array().unwrap();
            while p.next_element().unwrap() {
                let mut keys = Vec::new();
                p.begin_object().unwrap();
                if learned {
                    let mut cursor = order.cursor();
                    while let Some(k) = p.next_key_in(&mut cursor).unwrap() {
                        keys.push(k.into_owned());
                        p.skip().unwrap();
                    }
                } else {
                    while let Some(k) = p.next_key().unwrap() {
                        keys.push(k.into_owned());
                        p.skip().unwrap();
                    }
                }
                out.push(keys);
            }
            p.finish().unwrap();
            out
        };
        (read(true), read(false))
    }

    #[test]
    fn keys_read_in_a_learned_order_are_the_keys() {
        static ORDER: KeyOrder = KeyOrder::new();
        let doc = r#"[
            {"Id": 1, "Type": "a", "Status": "b"},
            {"Id": 2, "Type": "a", "Status": "b"},
            {"Type": "a", "Id": 3},
            {"Id": 4, "Extra": {"Id": 5}, "Status": "c"},
            {"I\u0064": 6, "Type\"x": 7, "Typ": 8, "TypeX": 9, "Type": 10},
            {"Status": 11, "Id": 12},
            {},
            {"Id": 13, "Type": "a", "Status": "b"}
        ]"#;
        let (learned, plain) = keys_both_ways(doc, &ORDER);
        assert_eq!(learned, plain);
        assert_eq!(learned[4], ["Id", "Type\"x", "Typ", "TypeX", "Type"]);
        let order: Vec<&str> = ORDER.learned().unwrap().iter().map(|k| &**k).collect();
        assert_eq!(order, ["Id", "Type", "Status"]);
        // Compact, as services write it: the keys expected are read without a scan.
        let compact = compact(doc);
        assert!(compact.starts_with(r#"[{"Id":1,"Type":"a","Status":"b"},{"Id":2"#));
        let (learned, plain) = keys_both_ways(&compact, &ORDER);
        assert_eq!(learned, plain);
        assert_eq!(learned[4], ["Id", "Type\"x", "Typ", "TypeX", "Type"]);
    }

    #[test]
    fn an_order_learns_only_keys_without_escapes_and_at_most_its_limit() {
        static ESCAPED: KeyOrder = KeyOrder::new();
        let (learned, plain) =
            keys_both_ways(r#"[{"a\n": 1, "b": 2}, {"a\n": 1, "b": 2}]"#, &ESCAPED);
        assert_eq!(learned, plain);
        assert_eq!(ESCAPED.learned().unwrap().len(), 1);
        static MANY: KeyOrder = KeyOrder::new();
        let keys: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        let doc = format!("[{{{}}}, {{{}}}]", keys.join(","), keys.join(","));
        let (learned, plain) = keys_both_ways(&doc, &MANY);
        assert_eq!(learned, plain);
        assert_eq!(MANY.learned().unwrap().len(), KeyOrder::MAX_KEYS);
        static LONG: KeyOrder = KeyOrder::new();
        let long = "k".repeat(KeyOrder::MAX_KEY_LEN + 1);
        let doc = format!(r#"[{{"{long}":1,"a":2}},{{"{long}":1,"a":2}}]"#);
        let (learned, plain) = keys_both_ways(&doc, &LONG);
        assert_eq!(learned, plain);
        let order: Vec<&str> = LONG.learned().unwrap().iter().map(|k| &**k).collect();
        assert_eq!(order, ["a"]);
    }

    #[test]
    fn keys_in_any_order_read_alike_either_way() {
        static ORDER: KeyOrder = KeyOrder::new();
        let names = ["a", "ab", "abc", "b", "a\\u0062", "\\\"", "é", ""];
        let mut rng = fastrand::Rng::with_seed(11);
        let objects: Vec<String> = (0..300)
            .map(|_| {
                let n = rng.usize(0..6);
                let members: Vec<String> = (0..n)
                    .map(|_| format!("\"{}\" : {}", names[rng.usize(..names.len())], rng.u8(..)))
                    .collect();
                format!("{{{}}}", members.join(", "))
            })
            .collect();
        let doc = format!("[{}]", objects.join(",\n"));
        for doc in [compact(&doc), doc] {
            let (learned, plain) = keys_both_ways(&doc, &ORDER);
            assert_eq!(learned, plain);
        }
        assert!(ORDER.learned().is_some());
    }

    #[test]
    fn malformed_keys_are_refused_in_a_learned_order_too() {
        static ORDER: KeyOrder = KeyOrder::new();
        let mut p = Parser::new(br#"{"a": 1, "b": 2}"#);
        p.begin_object().unwrap();
        let mut cursor = ORDER.cursor();
        while p.next_key_in(&mut cursor).unwrap().is_some() {
            p.skip().unwrap();
        }
        let bad_docs = [
            &br#"{"a" 1}"#[..],
            br#"{"a": 1,}"#,
            br#"{"a": 1 "b": 2}"#,
            br#"{"a"#,
            br#"{"a": 1, "b"#,
            br#"{"a":1"b":2}"#,
            br#"{"a":1,,"b":2}"#,
            br#"{,"a":1}"#,
            br#"{"a"1}"#,
            br#"{"a":1,"b""#,
        ];
        for bad in bad_docs {
            let mut p = Parser::new(bad);
            p.begin_object().unwrap();
            let mut cursor = ORDER.cursor();
            let mut r = Ok(());
            loop {
                match p.next_key_in(&mut cursor) {
                    Ok(Some(_)) => {
                        if let Err(e) = p.skip() {
                            r = Err(e);
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        r = Err(e);
                        break;
                    }
                }
            }
            assert!(
                r.is_err(),
                "{:?} was accepted",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn nested_values_read_with_their_commas() {
        let doc = br#"{"a":[[1,2],[],[3]],"b":{"c":{},"d":[{"e":1},{}]},"f":2}"#;
        let mut p = Parser::new(doc);
        p.skip().unwrap();
        p.finish().unwrap();
        let mut p = Parser::new(doc);
        p.begin_object().unwrap();
        let mut keys = Vec::new();
        while let Some(k) = p.next_key().unwrap() {
            keys.push(k.into_owned());
            p.skip().unwrap();
        }
        assert_eq!(keys, ["a", "b", "f"]);
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

    /// The error of reading `json` with `read`, as (offset, message).
    fn error_of<'a, T: fmt::Debug>(
        json: &'a [u8],
        read: impl FnOnce(&mut Parser<'a>) -> Result<T>,
    ) -> (usize, String) {
        let e = read(&mut Parser::new(json)).unwrap_err();
        (e.offset(), e.message().to_string())
    }

    #[test]
    fn invalid_utf8_in_strings_and_keys_is_refused_where_it_starts() {
        let utf8 = |at: usize| (at, "string is not valid UTF-8".to_string());
        // In a value, a key, an escaped string, after valid multi-byte text.
        assert_eq!(error_of(b"\"ab\xffcd\"", Parser::string), utf8(1));
        assert_eq!(error_of(b"[\"ok\", \"\xc3\"]", Parser::skip), utf8(8));
        assert_eq!(error_of(b"{\"k\xe9y\":1}", Parser::skip), utf8(2));
        assert_eq!(error_of(b"{\"a\":1,\"\x80\":2}", Parser::document), utf8(8));
        assert_eq!(error_of(b"\"\\n\xff\"", Parser::string), utf8(1));
        assert_eq!(
            error_of("\"é😀\u{1}\"".as_bytes(), Parser::string).1,
            "control character in string"
        );
        assert_eq!(
            error_of(b"\"\xc3\xa9\xed\xa0\x80\"", Parser::string),
            utf8(1)
        );
        // A surrogate encoded in UTF-8 is invalid; a truncated sequence too.
        assert_eq!(
            error_of(b"{\"a\":\"\xed\xa0\x80\"}", Parser::document),
            utf8(6)
        );
        assert_eq!(error_of(b"\"\xe4\xb8\"", Parser::string), utf8(1));
        // Earlier errors still come first, and text before the bad byte still reads.
        assert_eq!(
            error_of(b"{\"a\" 1, \"\xff\":2}", Parser::skip).1,
            "expected `:` after an object key"
        );
        let mut p = Parser::new(b"[\"x\\ty\", \"ok\", \"\xff\"]");
        p.begin_array().unwrap();
        assert!(p.next_element().unwrap());
        assert_eq!(p.string().unwrap(), "x\ty");
        assert!(p.next_element().unwrap());
        assert!(matches!(p.str().unwrap(), Cow::Borrowed("ok")));
        assert!(p.next_element().unwrap());
        assert_eq!(p.str().unwrap_err().offset(), 16);
        // Invalid UTF-8 outside strings is a syntax error as before.
        assert_eq!(
            error_of(b"[1,\xff]", Parser::skip),
            (3, "expected a number".to_string())
        );
    }

    #[test]
    fn escapes_next_to_multibyte_text_decode_exactly() {
        let parts = [
            ("é", "é"),
            ("😀", "😀"),
            ("中", "中"),
            ("\\u00e9", "é"),
            ("\\ud83d\\ude00", "😀"),
            ("\\n", "\n"),
            ("\\\"", "\""),
            ("\\\\", "\\"),
            ("\\/", "/"),
            ("ab", "ab"),
        ];
        for (i, (a, da)) in parts.iter().enumerate() {
            for (b, db) in &parts {
                for (c, dc) in &parts[i % 3..] {
                    for pad in 0..9 {
                        let x = "x".repeat(pad);
                        let json = format!("{{\"{a}{x}{b}\":\"{x}{a}{b}{c}\"}}");
                        let want_key = format!("{da}{x}{db}");
                        let want = format!("{x}{da}{db}{dc}");
                        let mut p = Parser::new(json.as_bytes());
                        p.begin_object().unwrap();
                        assert_eq!(p.next_key().unwrap().unwrap(), want_key, "{json}");
                        assert_eq!(p.string().unwrap(), want, "{json}");
                        assert!(p.next_key().unwrap().is_none());
                        p.finish().unwrap();
                    }
                }
            }
        }
        // Plain strings are borrowed, escaped ones decoded.
        let mut p = Parser::new("[\"é😀 plain\",\"a\\u0041\"]".as_bytes());
        p.begin_array().unwrap();
        p.next_element().unwrap();
        assert!(matches!(p.str().unwrap(), Cow::Borrowed("é😀 plain")));
        p.next_element().unwrap();
        assert!(matches!(p.str().unwrap(), Cow::Owned(s) if s == "aA"));
    }

    #[test]
    fn escape_errors_keep_their_offsets() {
        assert_eq!(
            error_of(b"\"ab\\q\"", Parser::string),
            (4, "invalid escape in string".into())
        );
        assert_eq!(
            error_of(b"\"\\u12zz\"", Parser::string),
            (3, "invalid \\u escape".into())
        );
        assert_eq!(
            error_of(b"\"\\u12", Parser::string),
            (3, "truncated \\u escape".into())
        );
        assert_eq!(
            error_of(b"\"\\ud83dx\"", Parser::string),
            (7, "lone surrogate in string".into())
        );
        assert_eq!(
            error_of(b"\"\\ude00\"", Parser::string),
            (7, "lone surrogate in string".into())
        );
        assert_eq!(
            error_of(b"\"\\ud83d\\u0041\"", Parser::string),
            (7, "invalid surrogate pair".into())
        );
        assert_eq!(
            error_of(b"\"ab\\", Parser::string),
            (4, "unterminated string".into())
        );
        assert_eq!(
            error_of(b"\"ab\\n", Parser::string),
            (5, "unterminated string".into())
        );
        assert_eq!(
            error_of(b"\"abcdefghijk", Parser::string),
            (12, "unterminated string".into())
        );
        assert_eq!(
            error_of(b"\"a\\nb\x1f\"", Parser::string),
            (5, "control character in string".into())
        );
    }

    #[test]
    fn nesting_up_to_the_limit_is_read() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        Parser::new(ok.as_bytes()).skip().unwrap();
        let objects = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        Parser::new(objects.as_bytes()).document().unwrap();
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(
            error_of(deep.as_bytes(), Parser::skip),
            (MAX_DEPTH, "JSON nested too deeply".into())
        );
        assert!(Parser::new(b"1").next_key().is_err());
        assert!(Parser::new(b"1").next_element().is_err());
    }

    #[test]
    fn integers_read_exactly_at_their_limits() {
        for (text, want) in [
            ("0", Some(0)),
            ("-0", Some(0)),
            ("123456789012345678", Some(123_456_789_012_345_678)),
            ("-123456789012345678", Some(-123_456_789_012_345_678)),
            ("9223372036854775807", Some(i64::MAX)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("9223372036854775808", None),
            // Whole numbers written otherwise, as the official SDKs read them.
            ("1.0", Some(1)),
            ("1e3", Some(1000)),
            ("1.28e2", Some(128)),
            ("1200e-2", Some(12)),
            ("-0.0", Some(0)),
            ("9.223372036854775807e18", Some(i64::MAX)),
            ("-9.223372036854775808E18", Some(i64::MIN)),
            // Fractions and numbers out of range are errors.
            ("1.5", None),
            ("1e-1", None),
            ("1e19", None),
            ("9.223372036854775808e18", None),
            ("1e999999999999", None),
        ] {
            let got = Parser::new(text.as_bytes()).i64().ok();
            assert_eq!(got, want, "{text}");
        }
        assert_eq!(Parser::new(b"-2147483648").i32().unwrap(), i32::MIN);
        assert!(Parser::new(b"2147483648").i32().is_err());
    }

    #[test]
    fn epoch_numbers_read_as_their_text_does() {
        let texts = [
            "1700000037",
            "1.700000037123E9",
            "1.700000037123e+9",
            "-1.5",
            "0",
            "-0",
            "0.0001",
            "1.7E9",
            "123456789E-3",
            "1234567890123456789",
            "12345678901234567890",
            "1.2345678901234567890E9",
            "1e19",
            "1e-19",
            "9e18",
            "1E9999",
            "1E10000",
            "1e400",
            "-9223372036854775808",
            "9223372036854775807.999999999",
            "0.5e1",
        ];
        for text in texts {
            for tail in ["", ",", "}", " ]"] {
                let json = format!("{text}{tail}");
                let want = DateTime::from_epoch_seconds_str(text);
                let mut p = Parser::new(json.as_bytes());
                let got = p.timestamp(TimestampFormat::EpochSeconds);
                assert_eq!(got.as_ref().ok(), want.as_ref(), "{json}");
                if got.is_ok() {
                    assert_eq!(p.pos, text.len(), "{json}");
                }
                let mut p = Parser::new(json.as_bytes());
                let lenient = p.timestamp(TimestampFormat::DateTime);
                assert_eq!(lenient.ok(), want, "{json}");
            }
        }
        for bad in ["01", "1.", "1e", "-", ".5", "+1", "1.e5", "1e+"] {
            let mut p = Parser::new(bad.as_bytes());
            assert!(p.timestamp(TimestampFormat::EpochSeconds).is_err(), "{bad}");
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

    /// Every character that must be escaped is, wherever it stands in a run of plain
    /// text, and the parser reads back the string written.
    #[test]
    fn written_strings_read_back() {
        let mut samples: Vec<String> = (0u32..0x80)
            .chain([0xe9, 0x2028, 0x1f600])
            .filter_map(char::from_u32)
            .map(String::from)
            .collect();
        for c in ['"', '\\', '\n', '\u{1f}', '\u{0}', 'é'] {
            for at in 0..18 {
                let mut text: String = "abcdefghijklmnopq".chars().take(at).collect();
                text.push(c);
                text.push_str("rest of the text");
                samples.push(text);
            }
        }
        for text in &samples {
            let mut w = Writer::new();
            w.string(text);
            let written = w.finish();
            assert!(
                written.iter().all(|&b| b >= 0x20),
                "a control character is written raw: {written:?}"
            );
            assert_eq!(
                &Parser::new(&written).string().unwrap(),
                text,
                "{written:?}"
            );
        }
        let mut w = Writer::new();
        w.string("\u{7}\u{1b}\u{7f}");
        assert_eq!(w.finish(), b"\"\\u0007\\u001b\x7f\"");
    }

    /// Blobs are written as base64 in place, separated like any value, and read back.
    #[test]
    fn blobs_write_as_base64_and_read_back() {
        let blobs = [
            Blob::new(Vec::new()),
            Blob::new(b"f".to_vec()),
            Blob::new(b"foobar".to_vec()),
            Blob::new((0..=255).collect::<Vec<u8>>()),
        ];
        let mut w = Writer::new();
        w.begin_object();
        w.key("b");
        w.blob(&blobs[2]);
        w.key("all");
        w.begin_array();
        for b in &blobs {
            w.blob(b);
        }
        w.end_array();
        w.end_object();
        let text = String::from_utf8(w.finish()).unwrap();
        assert!(text.starts_with(r#"{"b":"Zm9vYmFy","all":["","Zg==","Zm9vYmFy",""#));
        let mut p = Parser::new(text.as_bytes());
        p.begin_object().unwrap();
        assert_eq!(p.next_key().unwrap().as_deref(), Some("b"));
        assert_eq!(p.blob().unwrap(), blobs[2]);
        assert_eq!(p.next_key().unwrap().as_deref(), Some("all"));
        p.begin_array().unwrap();
        for b in &blobs {
            assert!(p.next_element().unwrap());
            assert_eq!(&p.blob().unwrap(), b);
        }
        assert!(!p.next_element().unwrap());
        assert_eq!(p.next_key().unwrap(), None);
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
