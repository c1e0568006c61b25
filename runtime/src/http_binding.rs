//! Protocol-neutral HTTP binding primitives: what generated restJson1 (and restXml)
//! code calls to put members in the URI path (`@httpLabel`), the query string
//! (`@httpQuery`, `@httpQueryParams`) and headers (`@httpHeader`,
//! `@httpPrefixHeaders`), and to read headers back from a response.
//!
//! Default timestamp formats by location (the generator passes the member's
//! `@timestampFormat` instead when it has one): `date-time` in labels and the query
//! string, `http-date` in headers.
//!
//! Percent-encoding follows RFC 3986: the unreserved characters `A-Z a-z 0-9 - . _ ~`
//! are kept and every other byte of the UTF-8 text becomes `%XX` (uppercase hex); a
//! greedy label (`{Key+}`) also keeps `/`. Query keys and values are encoded the same
//! way (a space is `%20`, never `+`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::BuildError;
use crate::types::{DateTime, Number, TimestampFormat};

/// A member's value could not be bound to, or read from, the HTTP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindingError {
    member: &'static str,
    message: Cow<'static, str>,
}

impl BindingError {
    /// An error about `member` (its name in the model).
    pub fn new(member: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        BindingError {
            member,
            message: message.into(),
        }
    }

    /// The member at fault, as named in the model.
    pub fn member(&self) -> &'static str {
        self.member
    }

    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// As the error of building the input structure `shape`.
    pub fn into_build_error(self, shape: &'static str) -> BuildError {
        BuildError::invalid(shape, self.member, self.message)
    }
}

impl fmt::Display for BindingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "member `{}`: {}", self.member, self.message)
    }
}

impl std::error::Error for BindingError {}

// ---------------------------------------------------------------------------
// Scalar values and their text
// ---------------------------------------------------------------------------

/// A member value bound to a label, a query parameter or a header, with what is
/// needed to write it as text.
///
/// Strings and enums are [`Scalar::Str`]; `byte`, `short`, `integer`, `long` and
/// `intEnum` are [`Scalar::Int`]; `bigInteger` and `bigDecimal` are their exact text
/// as [`Scalar::Str`] (see [`Scalar::number`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    /// A string or enum value, written as it is.
    Str(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// An integer in decimal.
    Int(i64),
    /// A `float`: shortest round-trip text (`4.1`, `1e20`; `5` for `5.0`), or `NaN`,
    /// `Infinity`, `-Infinity`.
    Float(f32),
    /// A `double`, written like [`Scalar::Float`].
    Double(f64),
    /// A timestamp in the given format.
    Timestamp(DateTime, TimestampFormat),
}

impl<'a> Scalar<'a> {
    /// A `bigInteger` or `bigDecimal` by its exact text.
    pub fn number(n: &'a Number) -> Self {
        Scalar::Str(n.as_str())
    }

    /// Appends the value's text, unencoded (as a header carries it).
    pub fn write_to(&self, out: &mut String) {
        match *self {
            Scalar::Str(s) => out.push_str(s),
            Scalar::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Scalar::Int(i) => out.push_str(itoa::Buffer::new().format(i)),
            Scalar::Float(v) => {
                if v.is_finite() {
                    let mut b = ryu::Buffer::new();
                    let s = b.format_finite(v);
                    out.push_str(s.strip_suffix(".0").unwrap_or(s));
                } else {
                    out.push_str(non_finite(f64::from(v)));
                }
            }
            Scalar::Double(v) => {
                if v.is_finite() {
                    let mut b = ryu::Buffer::new();
                    let s = b.format_finite(v);
                    out.push_str(s.strip_suffix(".0").unwrap_or(s));
                } else {
                    out.push_str(non_finite(v));
                }
            }
            Scalar::Timestamp(t, format) => out.push_str(&t.format(format)),
        }
    }

    /// Appends the value's text percent-encoded (for a label or the query string).
    /// Only strings and timestamps can need encoding; numbers and booleans are
    /// written straight, as their text is all unreserved characters.
    fn write_encoded(&self, out: &mut String, keep_slash: bool) {
        match *self {
            Scalar::Str(s) => encode_into(out, s, keep_slash),
            Scalar::Timestamp(t, format) => encode_into(out, &t.format(format), keep_slash),
            _ => self.write_to(out),
        }
    }
}

fn non_finite(v: f64) -> &'static str {
    if v.is_nan() {
        "NaN"
    } else if v > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    }
}

impl<'a> From<&'a str> for Scalar<'a> {
    fn from(s: &'a str) -> Self {
        Scalar::Str(s)
    }
}

impl<'a> From<&'a String> for Scalar<'a> {
    fn from(s: &'a String) -> Self {
        Scalar::Str(s)
    }
}

impl From<bool> for Scalar<'_> {
    fn from(b: bool) -> Self {
        Scalar::Bool(b)
    }
}

macro_rules! scalar_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Scalar<'_> {
            fn from(i: $t) -> Self {
                Scalar::Int(i64::from(i))
            }
        }
    )*};
}
scalar_from_int!(i8, i16, i32, i64);

impl From<f32> for Scalar<'_> {
    fn from(v: f32) -> Self {
        Scalar::Float(v)
    }
}

impl From<f64> for Scalar<'_> {
    fn from(v: f64) -> Self {
        Scalar::Double(v)
    }
}

// ---------------------------------------------------------------------------
// Percent-encoding and URI labels
// ---------------------------------------------------------------------------

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn encode_into(out: &mut String, s: &str, keep_slash: bool) {
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            continue;
        }
        // Bytes `run..i` are all ASCII, so both ends are character boundaries.
        if let Some(kept) = s.get(run..i) {
            out.push_str(kept);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xF)]));
        run = i + 1;
    }
    if let Some(kept) = s.get(run..) {
        out.push_str(kept);
    }
}

/// Appends `value` percent-encoded per RFC 3986: unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) as they are, every other UTF-8 byte as `%XX`.
pub fn percent_encode_into(out: &mut String, value: &str) {
    encode_into(out, value, false);
}

/// Appends `value` percent-encoded like [`percent_encode_into`], but keeping `/`
/// (for greedy labels such as `{Key+}`).
pub fn percent_encode_greedy_into(out: &mut String, value: &str) {
    encode_into(out, value, true);
}

/// Appends the value of the `@httpLabel` member `member`, percent-encoded (keeping
/// `/` if the label is `greedy`). An empty string is an error: it would leave an
/// empty path segment.
pub fn write_label(
    out: &mut String,
    member: &'static str,
    value: Scalar<'_>,
    greedy: bool,
) -> Result<(), BindingError> {
    if value == Scalar::Str("") {
        return Err(BindingError::new(
            member,
            "is bound to the URI path (@httpLabel) and must not be empty",
        ));
    }
    value.write_encoded(out, greedy);
    Ok(())
}

/// Appends the request URI of the `@http` pattern `pattern` (`/foo/{Bar}/{Key+}?x=1&y`):
/// the path with each label replaced by its member's value, as `labels` returns it
/// (called with the label's name, without the `+`), percent-encoded by
/// [`write_label`], then the pattern's literal query string verbatim (`?x=1&y`).
/// Append `@httpQuery` parameters after it with a [`QueryWriter`] on the same string.
///
/// A label whose member `labels` has no value for is an error, as is an empty
/// string. Literal text in the pattern is copied as it is (patterns hold only
/// characters valid in a URI); an unclosed `{` is copied as text.
pub fn write_uri<'v>(
    out: &mut String,
    pattern: &'static str,
    mut labels: impl FnMut(&'static str) -> Option<Scalar<'v>>,
) -> Result<(), BindingError> {
    let (path, query) = match pattern.find('?') {
        Some(q) => pattern.split_at(q),
        None => (pattern, ""),
    };
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let label = &rest[open + 1..open + len];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(name) => (name, true),
            None => (label, false),
        };
        let value = labels(name).ok_or_else(|| {
            BindingError::new(
                name,
                "is bound to the URI path (@httpLabel) and is required but was not set",
            )
        })?;
        write_label(out, name, value, greedy)?;
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out.push_str(query);
    Ok(())
}

// ---------------------------------------------------------------------------
// Query string
// ---------------------------------------------------------------------------

/// Appends `@httpQuery` and `@httpQueryParams` parameters to a URI being built
/// (usually after [`write_uri`]): `key=value`, both percent-encoded, separated by
/// `&` and starting with `?` unless the URI already has a query string.
///
/// Write the `@httpQuery` members first, then the `@httpQueryParams` map: a map entry
/// whose key an `@httpQuery` member (or the pattern's literal query string) already
/// set is skipped, as the protocols require.
#[derive(Debug)]
pub struct QueryWriter<'a> {
    out: &'a mut String,
    /// Byte ranges in `out` of the (encoded) keys that map entries must not repeat.
    taken: Vec<(usize, usize)>,
    /// No separator is needed before the next pair.
    at_start: bool,
    /// `out` has a `?`.
    has_query: bool,
}

impl<'a> QueryWriter<'a> {
    /// Starts appending to `out`, taking note of the keys of any query string it
    /// already has.
    pub fn new(out: &'a mut String) -> Self {
        let mut taken = Vec::new();
        let mut has_query = false;
        if let Some(q) = out.find('?') {
            has_query = true;
            let mut pos = q + 1;
            for pair in out[q + 1..].split('&') {
                let key_len = pair.find('=').unwrap_or(pair.len());
                if key_len > 0 {
                    taken.push((pos, pos + key_len));
                }
                pos += pair.len() + 1;
            }
        }
        let at_start = !has_query || out.ends_with('?') || out.ends_with('&');
        QueryWriter {
            out,
            taken,
            at_start,
            has_query,
        }
    }

    fn separator(&mut self) {
        if !self.has_query {
            self.out.push('?');
            self.has_query = true;
        } else if !self.at_start {
            self.out.push('&');
        }
        self.at_start = false;
    }

    /// Appends `key=value` for an `@httpQuery` member (an empty string is sent as
    /// `key=`). Unset members are simply not pushed.
    pub fn push(&mut self, key: &str, value: Scalar<'_>) {
        self.separator();
        let start = self.out.len();
        encode_into(self.out, key, false);
        self.taken.push((start, self.out.len()));
        self.out.push('=');
        value.write_encoded(self.out, false);
    }

    /// Appends `key=item` for each item of an `@httpQuery` list member, in order; an
    /// empty list sends nothing.
    pub fn push_list<'v>(&mut self, key: &str, items: impl IntoIterator<Item = Scalar<'v>>) {
        for item in items {
            self.push(key, item);
        }
    }

    /// Writes the separator and encoded key of a map entry; `false` (with nothing
    /// written) if an `@httpQuery` member or the literal query already has the key.
    fn param_key(&mut self, key: &str) -> bool {
        let mark = (self.out.len(), self.at_start, self.has_query);
        self.separator();
        let start = self.out.len();
        encode_into(self.out, key, false);
        let written = &self.out[start..];
        let taken = self
            .taken
            .iter()
            .any(|&(a, b)| self.out.get(a..b) == Some(written));
        if taken {
            self.out.truncate(mark.0);
            self.at_start = mark.1;
            self.has_query = mark.2;
        }
        !taken
    }

    /// Appends an entry of an `@httpQueryParams` map of strings, unless an
    /// `@httpQuery` member already set `key`.
    pub fn push_param(&mut self, key: &str, value: &str) {
        if self.param_key(key) {
            self.out.push('=');
            encode_into(self.out, value, false);
        }
    }

    /// Appends an entry of an `@httpQueryParams` map of string lists (`key=v` for
    /// each value), unless an `@httpQuery` member already set `key`.
    pub fn push_param_list<S: AsRef<str>>(
        &mut self,
        key: &str,
        values: impl IntoIterator<Item = S>,
    ) {
        for value in values {
            if !self.param_key(key) {
                return;
            }
            self.out.push('=');
            encode_into(self.out, value.as_ref(), false);
        }
    }
}

// ---------------------------------------------------------------------------
// Request headers
// ---------------------------------------------------------------------------

fn is_ows(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn needs_quotes(s: &str) -> bool {
    s.is_empty() || s.contains([',', '"']) || s.starts_with(is_ows) || s.ends_with(is_ows)
}

/// Appends the value of an `@httpHeader` list member: the items' text joined with
/// `, `. A string item that is empty, contains `,` or `"`, or starts or ends with
/// whitespace is sent as an RFC 7230 quoted string (`"b,c"`, `"\"def\""`), so that
/// [`split_header_list`] gives it back. Timestamps are never quoted, so a list of
/// `http-date`s reads `Mon, 16 Dec 2019 23:48:18 GMT, Tue, ...`. An empty list
/// appends nothing: the header is sent with an empty value.
pub fn write_header_list<'v>(out: &mut String, items: impl IntoIterator<Item = Scalar<'v>>) {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match item {
            Scalar::Str(s) if needs_quotes(s) => {
                out.push('"');
                for c in s.chars() {
                    if c == '"' || c == '\\' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
            }
            other => other.write_to(out),
        }
    }
}

/// Appends the value of an `@httpHeader` string member with `@mediaType`: base64 of
/// its UTF-8 bytes.
pub fn write_base64(out: &mut String, value: &str) {
    base64_simd::STANDARD.encode_append(value, out);
}

/// Checks header text and takes it as a header value (without copying it). Only
/// visible ASCII, spaces and tabs can be sent: control characters (line breaks) and
/// anything beyond ASCII are an error that names the member.
pub fn header_value(member: &'static str, text: String) -> Result<HeaderValue, BindingError> {
    let bad = |what: &str| {
        BindingError::new(
            member,
            format!("is bound to a header and contains characters not allowed in one ({what}; only visible ASCII, spaces and tabs can be sent in a header)"),
        )
    };
    if let Some(c) = text.chars().find(|c| !c.is_ascii()) {
        return Err(bad(&format!("`{c}` is not ASCII")));
    }
    HeaderValue::try_from(text).map_err(|_| bad("control characters"))
}

fn header_name(member: &'static str, name: &str) -> Result<HeaderName, BindingError> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        BindingError::new(
            member,
            format!("`{}` is not a valid header name", name.escape_debug()),
        )
    })
}

/// Sets header `name` (any case) to `text`, the value of `@httpHeader` member
/// `member`, replacing any value it had.
pub fn insert_header(
    headers: &mut HeaderMap,
    name: &str,
    member: &'static str,
    text: String,
) -> Result<(), BindingError> {
    let value = header_value(member, text)?;
    headers.insert(header_name(member, name)?, value);
    Ok(())
}

/// Adds the entries of `@httpPrefixHeaders` member `member` as headers named
/// `prefix` + key. A header already present is left as it is, so call this after
/// setting the `@httpHeader` members: a specific member wins over a map entry with
/// the same name (an empty prefix binds every header). Empty values are sent.
pub fn insert_prefix_headers<K: AsRef<str>, V: AsRef<str>>(
    headers: &mut HeaderMap,
    prefix: &str,
    member: &'static str,
    entries: impl IntoIterator<Item = (K, V)>,
) -> Result<(), BindingError> {
    let mut name = String::with_capacity(prefix.len() + 16);
    for (key, value) in entries {
        name.clear();
        name.push_str(prefix);
        name.push_str(key.as_ref());
        let header = header_name(member, &name)?;
        if headers.contains_key(&header) {
            continue;
        }
        let value = header_value(member, value.as_ref().to_owned())?;
        headers.insert(header, value);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Response headers
// ---------------------------------------------------------------------------

/// A type a header (or a header list item) can be read as.
pub trait FromHttpText: Sized {
    /// What a value of the type is called in error messages (`an integer`).
    const EXPECTED: &'static str;

    /// Parses the text of a header or list item; `None` if it is not a valid value.
    fn from_http_text(text: &str) -> Option<Self>;
}

fn trim_ows(s: &str) -> &str {
    s.trim_matches(is_ows)
}

impl FromHttpText for String {
    const EXPECTED: &'static str = "a string";

    fn from_http_text(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

impl FromHttpText for bool {
    const EXPECTED: &'static str = "a boolean (`true` or `false`)";

    fn from_http_text(text: &str) -> Option<Self> {
        match trim_ows(text) {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

macro_rules! int_from_http_text {
    ($($t:ty => $what:literal),*) => {$(
        impl FromHttpText for $t {
            const EXPECTED: &'static str = $what;

            fn from_http_text(text: &str) -> Option<Self> {
                trim_ows(text).parse().ok()
            }
        }
    )*};
}
int_from_http_text!(
    i8 => "a byte (an integer from -128 to 127)",
    i16 => "a short (an integer from -32768 to 32767)",
    i32 => "an integer (32-bit)",
    i64 => "a long (64-bit integer)"
);

/// Parses a float the way the HTTP bindings write them: decimal or exponent
/// notation, or exactly `NaN`, `Infinity`, `-Infinity` (Rust's own spellings such as
/// `inf` or `nan` are rejected).
fn parse_float(text: &str) -> Option<f64> {
    match trim_ows(text) {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        t if !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E')) =>
        {
            t.parse().ok()
        }
        _ => None,
    }
}

impl FromHttpText for f64 {
    const EXPECTED: &'static str = "a double";

    fn from_http_text(text: &str) -> Option<Self> {
        parse_float(text)
    }
}

impl FromHttpText for f32 {
    const EXPECTED: &'static str = "a float";

    fn from_http_text(text: &str) -> Option<Self> {
        match trim_ows(text) {
            "NaN" => Some(f32::NAN),
            "Infinity" => Some(f32::INFINITY),
            "-Infinity" => Some(f32::NEG_INFINITY),
            t => {
                // Checked like a double, parsed as `f32` directly (no double rounding).
                parse_float(t)?;
                t.parse().ok()
            }
        }
    }
}

impl FromHttpText for Number {
    const EXPECTED: &'static str = "a number";

    fn from_http_text(text: &str) -> Option<Self> {
        Number::parse(trim_ows(text))
    }
}

fn utf8<'h>(member: &'static str, value: &'h HeaderValue) -> Result<&'h str, BindingError> {
    std::str::from_utf8(value.as_bytes())
        .map_err(|_| BindingError::new(member, "the header's value is not valid UTF-8"))
}

fn invalid(member: &'static str, expected: &str, text: &str) -> BindingError {
    let mut shown: String = text.chars().take(64).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    BindingError::new(
        member,
        format!(
            "the header's value `{}` is not {expected}",
            shown.escape_debug()
        ),
    )
}

/// All values of header `name` as one text: the lines joined with `, `, as HTTP
/// says repeated headers mean. `None` if the header is absent.
fn joined<'h>(
    headers: &'h HeaderMap,
    name: &str,
    member: &'static str,
) -> Result<Option<Cow<'h, str>>, BindingError> {
    let mut lines = headers.get_all(name).iter();
    let Some(first) = lines.next() else {
        return Ok(None);
    };
    let mut text = Cow::Borrowed(utf8(member, first)?);
    for line in lines {
        let t = text.to_mut();
        t.push_str(", ");
        t.push_str(utf8(member, line)?);
    }
    Ok(Some(text))
}

/// Reads the `@httpHeader` member `member` from header `name` (any case); `None` if
/// the header is absent. A string is the value as received (several lines of the
/// header are joined with `, `); other types ignore surrounding whitespace.
pub fn header<T: FromHttpText>(
    headers: &HeaderMap,
    name: &str,
    member: &'static str,
) -> Result<Option<T>, BindingError> {
    let Some(text) = joined(headers, name, member)? else {
        return Ok(None);
    };
    T::from_http_text(&text)
        .map(Some)
        .ok_or_else(|| invalid(member, T::EXPECTED, &text))
}

/// Reads a timestamp `@httpHeader` member in `format` (`http-date` unless the member
/// says otherwise); `None` if the header is absent.
pub fn header_timestamp(
    headers: &HeaderMap,
    name: &str,
    member: &'static str,
    format: TimestampFormat,
) -> Result<Option<DateTime>, BindingError> {
    let Some(text) = joined(headers, name, member)? else {
        return Ok(None);
    };
    DateTime::parse(trim_ows(&text), format)
        .map(Some)
        .ok_or_else(|| invalid(member, expected_timestamp(format), &text))
}

fn expected_timestamp(format: TimestampFormat) -> &'static str {
    match format {
        TimestampFormat::EpochSeconds => "a timestamp in epoch seconds",
        TimestampFormat::DateTime => "an RFC 3339 date-time",
        TimestampFormat::HttpDate => "an HTTP date (`Tue, 29 Apr 2014 18:30:38 GMT`)",
    }
}

/// Reads a string `@httpHeader` member with `@mediaType`: the header is base64 of
/// the string's UTF-8 bytes. `None` if the header is absent.
pub fn header_base64(
    headers: &HeaderMap,
    name: &str,
    member: &'static str,
) -> Result<Option<String>, BindingError> {
    let Some(text) = joined(headers, name, member)? else {
        return Ok(None);
    };
    let bytes = base64_simd::STANDARD
        .decode_to_vec(trim_ows(&text))
        .map_err(|_| invalid(member, "valid base64", &text))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| BindingError::new(member, "the header's base64 value is not UTF-8 text"))
}

/// Splits the text of a list header into its items (RFC 7230 §7): items are
/// separated by commas; whitespace around them is dropped; an item may be a quoted
/// string (`"b,c"`, `"\"def\""`), which is unquoted and unescaped; empty unquoted
/// items are skipped (`""` is an empty item). A quoted string that is not closed, or
/// that is followed by anything but a comma, is an error.
pub fn split_header_list<'t>(
    member: &'static str,
    text: &'t str,
) -> Result<Vec<Cow<'t, str>>, BindingError> {
    let mut items = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(is_ows);
        if rest.is_empty() {
            return Ok(items);
        }
        if let Some(quoted) = rest.strip_prefix('"') {
            let (item, after) = unquote(quoted).ok_or_else(|| {
                BindingError::new(member, "the header has a quoted string that is not closed")
            })?;
            items.push(item);
            let after = after.trim_start_matches(is_ows);
            match after.strip_prefix(',') {
                Some(next) => rest = next,
                None if after.is_empty() => return Ok(items),
                None => {
                    return Err(BindingError::new(
                        member,
                        "the header has text after a quoted string where a comma should be",
                    ))
                }
            }
        } else {
            let (item, next) = match rest.find(',') {
                Some(comma) => (&rest[..comma], Some(&rest[comma + 1..])),
                None => (rest, None),
            };
            let item = item.trim_end_matches(is_ows);
            if !item.is_empty() {
                items.push(Cow::Borrowed(item));
            }
            match next {
                Some(next) => rest = next,
                None => return Ok(items),
            }
        }
    }
}

/// The content of a quoted string whose opening quote is gone, and the text after
/// its closing quote; `None` if it is not closed.
fn unquote(s: &str) -> Option<(Cow<'_, str>, &str)> {
    let end = s.find(['"', '\\'])?;
    if s.as_bytes()[end] == b'"' {
        return Some((Cow::Borrowed(&s[..end]), &s[end + 1..]));
    }
    let mut owned = String::from(&s[..end]);
    let mut chars = s[end..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => owned.push(chars.next()?.1),
            '"' => return Some((Cow::Owned(owned), &s[end + i + 1..])),
            c => owned.push(c),
        }
    }
    None
}

/// Reads an `@httpHeader` list member from header `name` (all its lines, in order);
/// `None` if the header is absent, an empty list if its value is empty.
pub fn header_list<T: FromHttpText>(
    headers: &HeaderMap,
    name: &str,
    member: &'static str,
) -> Result<Option<Vec<T>>, BindingError> {
    let mut lines = headers.get_all(name).iter().peekable();
    if lines.peek().is_none() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for line in lines {
        for item in split_header_list(member, utf8(member, line)?)? {
            out.push(T::from_http_text(&item).ok_or_else(|| invalid(member, T::EXPECTED, &item))?);
        }
    }
    Ok(Some(out))
}

/// Reads a timestamp list `@httpHeader` member in `format`; `None` if the header is
/// absent. HTTP dates hold a comma themselves and are sent unquoted, so with
/// `http-date` an item that is not a date on its own is joined with the next one
/// (`Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT` is two dates).
pub fn header_timestamp_list(
    headers: &HeaderMap,
    name: &str,
    member: &'static str,
    format: TimestampFormat,
) -> Result<Option<Vec<DateTime>>, BindingError> {
    let mut lines = headers.get_all(name).iter().peekable();
    if lines.peek().is_none() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for line in lines {
        let items = split_header_list(member, utf8(member, line)?)?;
        let mut i = 0;
        while let Some(item) = items.get(i) {
            i += 1;
            if let Some(t) = DateTime::parse(item, format) {
                out.push(t);
                continue;
            }
            let joined = match (format, items.get(i)) {
                (TimestampFormat::HttpDate, Some(next)) => {
                    DateTime::parse(&format!("{item}, {next}"), format)
                }
                _ => None,
            };
            match joined {
                Some(t) => {
                    out.push(t);
                    i += 1;
                }
                None => return Err(invalid(member, expected_timestamp(format), item)),
            }
        }
    }
    Ok(Some(out))
}

/// Reads an `@httpPrefixHeaders` member: every header whose name starts with
/// `prefix` (any case; an empty prefix takes all headers), keyed by the rest of its
/// name in lowercase as received, several lines of one header joined with `, `.
/// `None` if no header has the prefix.
pub fn prefix_headers(
    headers: &HeaderMap,
    prefix: &str,
    member: &'static str,
) -> Result<Option<HashMap<String, String>>, BindingError> {
    let mut map: HashMap<String, String> = HashMap::new();
    for (name, value) in headers {
        let name = name.as_str();
        let matches = name
            .as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()));
        let Some(key) = name.get(prefix.len()..).filter(|_| matches) else {
            continue;
        };
        let value = utf8(member, value)?;
        match map.get_mut(key) {
            Some(existing) => {
                existing.push_str(", ");
                existing.push_str(value);
            }
            None => {
                map.insert(key.to_owned(), value.to_owned());
            }
        }
    }
    Ok(if map.is_empty() { None } else { Some(map) })
}

#[cfg(test)]
mod tests;
