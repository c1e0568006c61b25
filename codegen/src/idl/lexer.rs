//! The tokenizer: turns IDL text into tokens that know their position, whether
//! whitespace or a line break came before them, and which `///` documentation
//! comment lines came right before them.
//!
//! Lexical errors do not stop the caller: the lexer emits an [`Kind::Error`] token and
//! stops there, so the parser reports whichever problem comes first in the file.

/// A 1-based line and column (columns count chars).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A parsed number literal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Num {
    /// The JSON value: an integer, a float, or (for floats out of `f64` range) the
    /// literal as a string.
    pub value: serde_json::Value,
    /// Whether the literal had a fraction or an exponent.
    pub is_float: bool,
}

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Ident,
    Str(String),
    TextBlock(String),
    Number(Box<Num>),
    At,
    Dollar,
    Pound,
    Dot,
    Colon,
    Walrus,
    Eq,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    /// A lexical error; always the last token before `Eof`.
    Error(String),
    Eof,
}

/// A `///` comment block.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DocBlock {
    pub text: String,
    pub pos: Pos,
}

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: Kind,
    /// Byte range in the source.
    pub start: usize,
    pub end: usize,
    pub pos: Pos,
    /// Where the previous token ended (the start of the gap before this one).
    pub gap: Pos,
    /// Whitespace, a comma or a comment came before this token.
    pub ws_before: bool,
    /// A line break came before this token.
    pub nl_before: bool,
    /// `///` lines that came before this token (not counting one that trails the
    /// previous token on its line).
    pub doc: Option<Box<DocBlock>>,
}

impl Token {
    /// A short description for error messages.
    pub fn describe(&self, src: &str) -> String {
        match &self.kind {
            Kind::Ident => format!(
                "identifier `{}`",
                src.get(self.start..self.end).unwrap_or("")
            ),
            Kind::Str(_) => "a string".into(),
            Kind::TextBlock(_) => "a text block".into(),
            Kind::Number(_) => format!("number `{}`", src.get(self.start..self.end).unwrap_or("")),
            Kind::Error(m) => m.clone(),
            Kind::Eof => "end of file".into(),
            k => format!("`{}`", punct(k)),
        }
    }
}

/// The text of a punctuation kind.
pub(crate) fn punct(k: &Kind) -> &'static str {
    match k {
        Kind::At => "@",
        Kind::Dollar => "$",
        Kind::Pound => "#",
        Kind::Dot => ".",
        Kind::Colon => ":",
        Kind::Walrus => ":=",
        Kind::Eq => "=",
        Kind::LBrace => "{",
        Kind::RBrace => "}",
        Kind::LBracket => "[",
        Kind::RBracket => "]",
        Kind::LParen => "(",
        Kind::RParen => ")",
        Kind::Ident => "identifier",
        Kind::Str(_) => "string",
        Kind::TextBlock(_) => "text block",
        Kind::Number(_) => "number",
        Kind::Error(_) => "error",
        Kind::Eof => "end of file",
    }
}

struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
    line: u32,
    col: u32,
}

/// Tokenizes `src`. The result always ends with an `Eof` token.
pub(crate) fn tokenize(src: &str) -> Vec<Token> {
    let mut lx = Lexer {
        src,
        b: src.as_bytes(),
        i: 0,
        line: 1,
        col: 1,
    };
    let mut out: Vec<Token> = Vec::with_capacity(src.len() / 8 + 16);
    // Skip a byte order mark.
    if src.starts_with('\u{feff}') {
        lx.i = 3;
    }
    let mut gap = lx.pos();
    loop {
        let (ws_before, nl_before, doc) = lx.skip_ws(!out.is_empty());
        let pos = lx.pos();
        let start = lx.i;
        let kind = lx.token();
        let stop = matches!(kind, Kind::Error(_) | Kind::Eof);
        out.push(Token {
            kind,
            start,
            end: lx.i,
            pos,
            gap,
            ws_before,
            nl_before,
            doc,
        });
        gap = lx.pos();
        if stop {
            if !matches!(out.last().map(|t| &t.kind), Some(Kind::Eof)) {
                out.push(Token {
                    kind: Kind::Eof,
                    start: lx.i,
                    end: lx.i,
                    pos: lx.pos(),
                    gap,
                    ws_before: false,
                    nl_before: false,
                    doc: None,
                });
            }
            return out;
        }
    }
}

impl<'a> Lexer<'a> {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.b.get(self.i + n).copied()
    }

    /// Advances one byte, keeping line and column up to date (a column per char: UTF-8
    /// continuation bytes do not move it).
    fn bump(&mut self) {
        if let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            if c == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if c & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
    }

    /// Skips whitespace, commas and comments. Returns (any skipped, line break seen,
    /// documentation lines).
    fn skip_ws(&mut self, has_prev: bool) -> (bool, bool, Option<Box<DocBlock>>) {
        let mut ws = false;
        let mut nl = false;
        let mut doc: Option<Box<DocBlock>> = None;
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b',' | b'\r' => {
                    ws = true;
                    self.bump();
                }
                b'\n' => {
                    ws = true;
                    nl = true;
                    self.bump();
                }
                b'/' if self.peek_at(1) == Some(b'/') => {
                    ws = true;
                    let is_doc = self.peek_at(2) == Some(b'/');
                    let pos = self.pos();
                    let start = self.i;
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.bump();
                    }
                    if is_doc {
                        let trailing = has_prev && !nl;
                        if !trailing {
                            let mut line = self.src.get(start + 3..self.i).unwrap_or("");
                            line = line.strip_suffix('\r').unwrap_or(line);
                            line = line.strip_prefix(' ').unwrap_or(line);
                            match &mut doc {
                                Some(d) => {
                                    d.text.push('\n');
                                    d.text.push_str(line);
                                }
                                None => {
                                    doc = Some(Box::new(DocBlock {
                                        text: line.to_string(),
                                        pos,
                                    }))
                                }
                            }
                        }
                    }
                    // A comment ends the line.
                    nl = true;
                    if self.peek() == Some(b'\n') {
                        self.bump();
                    }
                }
                _ => break,
            }
        }
        (ws, nl, doc)
    }

    fn token(&mut self) -> Kind {
        let Some(c) = self.peek() else {
            return Kind::Eof;
        };
        let single = match c {
            b'@' => Some(Kind::At),
            b'$' => Some(Kind::Dollar),
            b'#' => Some(Kind::Pound),
            b'.' => Some(Kind::Dot),
            b'=' => Some(Kind::Eq),
            b'{' => Some(Kind::LBrace),
            b'}' => Some(Kind::RBrace),
            b'[' => Some(Kind::LBracket),
            b']' => Some(Kind::RBracket),
            b'(' => Some(Kind::LParen),
            b')' => Some(Kind::RParen),
            _ => None,
        };
        if let Some(k) = single {
            self.bump();
            return k;
        }
        match c {
            b':' => {
                self.bump();
                if self.peek() == Some(b'=') {
                    self.bump();
                    Kind::Walrus
                } else {
                    Kind::Colon
                }
            }
            b'"' => {
                if self.peek_at(1) == Some(b'"') && self.peek_at(2) == Some(b'"') {
                    self.text_block()
                } else {
                    self.string()
                }
            }
            b'-' | b'0'..=b'9' => self.number(),
            b'A'..=b'Z' | b'a'..=b'z' | b'_' => self.ident(),
            _ => {
                let ch = self
                    .src
                    .get(self.i..)
                    .and_then(|s| s.chars().next())
                    .unwrap_or('?');
                Kind::Error(format!("unexpected character `{}`", ch.escape_debug()))
            }
        }
    }

    fn ident(&mut self) -> Kind {
        while self.peek() == Some(b'_') {
            self.bump();
        }
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() => {}
            Some(c) if c.is_ascii_digit() && self.b.get(self.i.wrapping_sub(1)) == Some(&b'_') => {
                // `_1` is not an identifier either.
                return Kind::Error("expected a letter after `_` in an identifier".into());
            }
            _ => return Kind::Error("expected a letter after `_` in an identifier".into()),
        }
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' {
                self.bump();
            } else {
                break;
            }
        }
        Kind::Ident
    }

    fn digits(&mut self) -> usize {
        let mut n = 0;
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() {
                self.bump();
                n += 1;
            } else {
                break;
            }
        }
        n
    }

    fn number(&mut self) -> Kind {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        let int_start = self.i;
        let int_digits = self.digits();
        if int_digits == 0 {
            return Kind::Error("invalid number: `-` must be followed by a digit".into());
        }
        if int_digits > 1 && self.src.as_bytes().get(int_start) == Some(&b'0') {
            return Kind::Error("invalid number: an integer part cannot start with `0`".into());
        }
        let mut is_float = false;
        if self.peek() == Some(b'.') {
            is_float = true;
            self.bump();
            if self.digits() == 0 {
                return Kind::Error("invalid number: `.` must be followed by a digit".into());
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            is_float = true;
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            if self.digits() == 0 {
                return Kind::Error(
                    "invalid number: an exponent must be followed by a digit".into(),
                );
            }
        }
        let text = self.src.get(start..self.i).unwrap_or("0");
        Kind::Number(Box::new(parse_number(text, is_float)))
    }

    fn string(&mut self) -> Kind {
        self.bump(); // opening quote
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Kind::Error("unclosed string: expected `\"` before end of file".into());
            };
            match c {
                b'"' => {
                    self.bump();
                    return Kind::Str(out);
                }
                b'\\' => {
                    if let Err(e) = self.escape(&mut out) {
                        return Kind::Error(e);
                    }
                }
                b'\r' if self.peek_at(1) == Some(b'\n') => {
                    self.bump();
                }
                // Line breaks are normalized: a lone CR reads as LF too.
                b'\r' => {
                    self.bump();
                    out.push('\n');
                }
                c if c < 0x20 && c != b'\t' && c != b'\n' => return raw_control(c, "a string"),
                _ => {
                    let s = self.i;
                    self.bump();
                    while let Some(c) = self.peek() {
                        if c & 0xC0 == 0x80 {
                            self.bump();
                        } else {
                            break;
                        }
                    }
                    out.push_str(self.src.get(s..self.i).unwrap_or(""));
                }
            }
        }
    }

    /// Reads one escape sequence (the cursor is on the backslash) into `out`.
    fn escape(&mut self, out: &mut String) -> Result<(), String> {
        self.bump();
        let Some(c) = self.peek() else {
            return Err("unclosed string: expected `\"` before end of file".into());
        };
        self.bump();
        match c {
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'/' => out.push('/'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'\n' => {}
            b'\r' if self.peek() == Some(b'\n') => self.bump(),
            b'u' => {
                let hi = self.hex4()?;
                if (0xD800..0xDC00).contains(&hi) {
                    if self.peek() == Some(b'\\') && self.peek_at(1) == Some(b'u') {
                        self.bump();
                        self.bump();
                        let lo = self.hex4()?;
                        if !(0xDC00..0xE000).contains(&lo) {
                            return Err("invalid unicode surrogate pair in string".into());
                        }
                        let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        out.push(char::from_u32(cp).ok_or("invalid unicode escape in string")?);
                    } else {
                        return Err("unpaired unicode surrogate in string".into());
                    }
                } else {
                    out.push(char::from_u32(hi).ok_or("invalid unicode escape in string")?);
                }
            }
            other => {
                let shown = if other.is_ascii_graphic() || other == b' ' {
                    (other as char).to_string()
                } else {
                    format!("\\x{other:02x}")
                };
                return Err(format!("invalid escape in string: `\\{shown}`"));
            }
        }
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut v = 0u32;
        for _ in 0..4 {
            let Some(c) = self.peek() else {
                return Err("unclosed unicode escape in string".into());
            };
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                b'"' => return Err("unclosed unicode escape in string".into()),
                _ => {
                    return Err(format!(
                        "invalid unicode escape character `{}`",
                        (c as char).escape_debug()
                    ))
                }
            };
            v = v * 16 + u32::from(d);
            self.bump();
        }
        Ok(v)
    }

    fn text_block(&mut self) -> Kind {
        for _ in 0..3 {
            self.bump();
        }
        if self.peek() == Some(b'"')
            && self.peek_at(1) == Some(b'"')
            && self.peek_at(2) == Some(b'"')
        {
            return Kind::Error("text block is empty".into());
        }
        if self.peek() == Some(b'\r') && self.peek_at(1) == Some(b'\n') {
            self.bump();
        }
        if self.peek() != Some(b'\n') {
            return Kind::Error("a text block must start with a line break after `\"\"\"`".into());
        }
        self.bump();
        let start = self.i;
        loop {
            let Some(c) = self.peek() else {
                return Kind::Error(
                    "unclosed text block: expected `\"\"\"` before end of file".into(),
                );
            };
            match c {
                b'\\' => {
                    self.bump();
                    if self.peek().is_some() {
                        self.bump();
                    }
                }
                b'"' if self.peek_at(1) == Some(b'"') && self.peek_at(2) == Some(b'"') => {
                    let raw = self.src.get(start..self.i).unwrap_or("");
                    for _ in 0..3 {
                        self.bump();
                    }
                    return match text_block_value(raw) {
                        Ok(s) => Kind::TextBlock(s),
                        Err(e) => Kind::Error(e),
                    };
                }
                c if c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r') => {
                    return raw_control(c, "a text block")
                }
                _ => self.bump(),
            }
        }
    }
}

/// The error of a control character written as it is in `what` (a string or a text
/// block), where only tabs and line breaks may be.
fn raw_control(c: u8, what: &str) -> Kind {
    Kind::Error(format!(
        "the control character U+{c:04X} cannot be written as it is in {what}: escape it (`\\u{c:04X}`)"
    ))
}

/// Parses a number literal already checked for syntax.
pub(crate) fn parse_number(text: &str, is_float: bool) -> Num {
    use serde_json::{Number, Value};
    if !is_float {
        if let Ok(v) = text.parse::<i64>() {
            return Num {
                value: Value::Number(v.into()),
                is_float,
            };
        }
        if let Ok(v) = text.parse::<u64>() {
            return Num {
                value: Value::Number(v.into()),
                is_float,
            };
        }
    }
    let f = text.parse::<f64>().unwrap_or(f64::INFINITY);
    let value = match Number::from_f64(f) {
        Some(n) => Value::Number(n),
        // Out of f64 range: keep the literal (as Java's BigDecimal would print it).
        None => Value::String(text.replace('e', "E")),
    };
    Num { value, is_float }
}

/// Applies the text block rules to the raw text between the line break after the
/// opening `"""` and the closing `"""`: incidental indentation (the smallest indent of
/// the non-blank lines and of the closing delimiter's line) and trailing whitespace are
/// removed from every line, then escapes are interpreted.
pub(crate) fn text_block_value(raw: &str) -> Result<String, String> {
    let normalized;
    let raw = if raw.contains('\r') {
        normalized = raw.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        raw
    };
    // Indentation is counted in spaces, as Smithy counts it: a tab is text.
    let lines: Vec<&str> = raw.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    let indent_of = |l: &str| l.bytes().take_while(|c| *c == b' ').count();
    let mut min_indent = usize::MAX;
    for (i, l) in lines.iter().enumerate() {
        let blank = l.bytes().all(|c| c == b' ');
        if !blank || i == last {
            min_indent = min_indent.min(indent_of(l));
        }
    }
    if min_indent == usize::MAX {
        min_indent = 0;
    }
    let mut joined = String::with_capacity(raw.len());
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            joined.push('\n');
        }
        let rest: &str = match l.char_indices().nth(min_indent) {
            Some((b, _)) => &l[b..],
            None => "",
        };
        joined.push_str(rest.trim_end_matches(' '));
    }
    unescape(&joined)
}

/// Interprets escapes in text that is otherwise literal.
fn unescape(s: &str) -> Result<String, String> {
    if !s.contains('\\') {
        return Ok(s.to_string());
    }
    let mut lx = Lexer {
        src: s,
        b: s.as_bytes(),
        i: 0,
        line: 1,
        col: 1,
    };
    let mut out = String::with_capacity(s.len());
    while let Some(c) = lx.peek() {
        if c == b'\\' {
            lx.escape(&mut out)?;
        } else {
            let st = lx.i;
            lx.bump();
            while let Some(c) = lx.peek() {
                if c & 0xC0 == 0x80 {
                    lx.bump();
                } else {
                    break;
                }
            }
            out.push_str(s.get(st..lx.i).unwrap_or(""));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Kind> {
        tokenize(s).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn punctuation_and_positions() {
        let t = tokenize("a:=b\n  @c");
        assert_eq!(t[1].kind, Kind::Walrus);
        assert_eq!(t[3].pos, Pos { line: 2, col: 3 });
        assert!(t[3].nl_before);
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(
            kinds(r#""a\n\u00e9\uD83D\uDE00\"""#)[0],
            Kind::Str("a\né😀\"".into())
        );
        assert!(matches!(kinds(r#""\ ""#)[0], Kind::Error(_)));
    }

    #[test]
    fn numbers_have_no_leading_zeros() {
        assert!(matches!(&kinds("01")[0], Kind::Error(e) if e.contains("`0`")));
        assert!(matches!(&kinds("-007")[0], Kind::Error(_)));
        for ok in ["0", "-0", "0.5", "10", "0e1"] {
            assert!(matches!(kinds(ok)[0], Kind::Number(_)), "{ok}");
        }
    }

    #[test]
    fn text_blocks_count_spaces_and_normalize_line_breaks() {
        // A tab is text, not indentation; only spaces are trimmed at line ends.
        assert_eq!(
            text_block_value("    a\n\tb\n    ").ok().as_deref(),
            Some("    a\n\tb\n")
        );
        assert_eq!(text_block_value("a\t  \n").ok().as_deref(), Some("a\t\n"));
        // CRLF and a lone CR read as LF.
        assert_eq!(
            text_block_value("a\r\nb\rc").ok().as_deref(),
            Some("a\nb\nc")
        );
        assert_eq!(kinds("\"a\rb\r\nc\"")[0], Kind::Str("a\nb\nc".into()));
        // Control characters other than tabs and line breaks must be escaped.
        assert!(matches!(&kinds("\"a\u{1}b\"")[0], Kind::Error(e) if e.contains("U+0001")));
        assert!(
            matches!(&kinds("\"\"\"\na\u{1}b\"\"\"")[0], Kind::Error(e) if e.contains("U+0001"))
        );
    }

    #[test]
    fn text_blocks() {
        assert_eq!(
            text_block_value("    Hello\n    There\n         ").ok(),
            Some("Hello\nThere\n".into())
        );
        assert_eq!(text_block_value("\n    ").ok(), Some("\n".into()));
    }

    #[test]
    fn numbers() {
        assert_eq!(
            kinds("-10")[0],
            Kind::Number(Box::new(Num {
                value: serde_json::json!(-10),
                is_float: false
            }))
        );
        assert!(matches!(kinds("1.")[0], Kind::Error(_)));
        assert!(matches!(kinds("1.0e+")[0], Kind::Error(_)));
    }

    #[test]
    fn columns_count_chars() {
        let t = tokenize("\"é\" x");
        assert_eq!(t[1].pos.col, 5);
    }
}
