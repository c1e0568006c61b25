//! Model documentation (AWS writes it as HTML) turned into rustdoc Markdown.

/// Converts the HTML of a `smithy.api#documentation` trait into Markdown that rustdoc
/// renders without warnings: paragraphs, lists, code spans, links and emphasis are
/// kept; unknown tags are dropped; brackets and angle brackets in text are escaped so
/// that they are never read as intra-doc links or HTML.
pub fn html_to_markdown(html: &str) -> String {
    let mut out = Md::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            if let Some(end) = html[i..].find('>') {
                let tag = &html[i + 1..i + end];
                if looks_like_tag(tag) {
                    out.text(&html[text_start..i]);
                    out.tag(tag);
                    i += end + 1;
                    text_start = i;
                    continue;
                }
            }
        }
        i += 1;
    }
    out.text(&html[text_start..]);
    out.finish()
}

fn looks_like_tag(tag: &str) -> bool {
    let t = tag.trim_start_matches('/');
    t.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && !tag.contains('<')
}

#[derive(Default)]
struct Md {
    blocks: Vec<String>,
    line: String,
    code: usize,
    pre: bool,
    list_depth: usize,
    link: Option<(String, usize)>,
}

impl Md {
    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let decoded = decode_entities(raw);
        if self.pre {
            // A fence inside the block would end it early.
            self.line
                .push_str(&decoded.replace("```", "'''").replace("~~~", "'''"));
            return;
        }
        if self.code > 0 {
            let collapsed = collapse_ws(&decoded);
            self.line.push_str(&collapsed.replace('`', "'"));
            return;
        }
        // Backticks in the text would open code spans or fences of their own.
        let collapsed = collapse_ws(&decoded).replace('`', "'");
        if self.line.is_empty() || self.line.ends_with(' ') || self.line.ends_with('\n') {
            self.line.push_str(collapsed.trim_start());
        } else {
            self.line.push_str(&collapsed);
        }
    }

    fn flush_block(&mut self) {
        let text = std::mem::take(&mut self.line);
        let text = text.trim();
        if !text.is_empty() {
            self.blocks.push(text.to_string());
        }
    }

    fn tag(&mut self, tag: &str) {
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("p" | "div" | "note" | "important" | "h1" | "h2" | "h3" | "h4" | "dl", _) => {
                if self.list_depth == 0 {
                    self.flush_block();
                } else if !self.line.ends_with([' ', '\n']) {
                    self.line.push(' ');
                }
            }
            ("br", _) => self.line.push_str("  \n"),
            ("ul" | "ol", false) => {
                if self.list_depth == 0 {
                    self.flush_block();
                }
                self.list_depth += 1;
            }
            ("ul" | "ol", true) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                self.end_item();
                if self.list_depth == 0 {
                    let items = std::mem::take(&mut self.line);
                    let items = items.trim_end();
                    if !items.is_empty() {
                        self.blocks.push(items.to_string());
                    }
                }
            }
            ("li" | "dt" | "dd", false) => {
                self.end_item();
                let indent = "  ".repeat(self.list_depth.saturating_sub(1));
                self.line.push_str(&format!("{indent}- "));
            }
            ("li" | "dt" | "dd", true) => self.end_item(),
            ("code" | "tt" | "pre", false) if self.code == 0 && !self.pre => {
                if name == "pre" {
                    self.flush_block();
                    self.pre = true;
                    self.line.push_str("```text\n");
                } else {
                    if !self.line.is_empty() && !self.line.ends_with([' ', '\n', '(']) {
                        self.line.push(' ');
                    }
                    self.line.push('`');
                    self.code += 1;
                }
            }
            ("code" | "tt", false) => self.code += 1,
            ("code" | "tt", true) if self.code > 0 => {
                self.code -= 1;
                if self.code == 0 {
                    if self.line.ends_with('`') {
                        // An empty code span renders as two backticks; drop it.
                        self.line.pop();
                    } else {
                        self.line.push('`');
                    }
                }
            }
            ("pre", true) if self.pre => {
                self.pre = false;
                if !self.line.ends_with('\n') {
                    self.line.push('\n');
                }
                self.line.push_str("```");
                self.flush_block();
            }
            ("b" | "strong", _) if self.code == 0 && !self.pre => self.line.push_str("**"),
            ("i" | "em", _) if self.code == 0 && !self.pre => self.line.push('*'),
            ("a", false) => {
                let href = attr(tag, "href");
                self.link = href.map(|h| (h, self.line.len()));
                self.line.push('[');
            }
            ("a", true) => {
                match self.link.take() {
                    Some((href, _)) if href.starts_with("http") => {
                        self.line.push_str(&format!(
                            "]({})",
                            href.replace(')', "%29").replace(' ', "%20")
                        ));
                    }
                    _ => {
                        // A link with nowhere to go: keep its text, drop the brackets.
                        if let Some(pos) = self.line.rfind('[') {
                            self.line.remove(pos);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn end_item(&mut self) {
        while self.line.ends_with(' ') {
            self.line.pop();
        }
        if !self.line.is_empty() && !self.line.ends_with('\n') {
            self.line.push('\n');
        }
    }

    fn finish(mut self) -> String {
        if self.code > 0 {
            self.line.push('`');
        }
        if self.pre {
            self.line.push_str("\n```");
        }
        self.flush_block();
        let mut out = self.blocks.join("\n\n");
        // Unbalanced emphasis would run on; a lone `**` or `*` left from broken HTML is dropped.
        if out.matches("**").count() % 2 == 1 {
            out = out.replacen("**", "", 1);
        }
        out
    }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let pos = lower.find(&format!("{name}="))?;
    let rest = &tag[pos + name.len() + 1..];
    let rest = rest.trim_start();
    let (quote, rest) = match rest.chars().next()? {
        q @ ('"' | '\'') => (q, &rest[1..]),
        _ => (' ', rest),
    };
    let end = rest.find(quote).unwrap_or(rest.len());
    Some(decode_entities(&rest[..end]))
}

fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut ws = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !ws {
                out.push(' ');
            }
            ws = true;
        } else {
            out.push(c);
            ws = false;
        }
    }
    out
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let end = rest.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ if name.starts_with("#x") || name.starts_with("#X") => {
                    u32::from_str_radix(&name[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Turns documentation into rustdoc text safe for rustdoc's lints: text outside code
/// spans is escaped, bare URLs are wrapped in `<>`.
pub fn rustdoc(html: &str) -> String {
    let md = html_to_markdown(&clean_chars(html));
    sanitize(&md)
}

/// Whether a character must not reach a doc comment: rustc refuses the Unicode bidi
/// controls in comments (`text_direction_codepoint_in_comment`, deny by default), and
/// control characters would end or garble the comment line.
fn is_unsafe_char(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    ) || (c.is_control() && c != '\n')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// Drops the characters `is_unsafe_char` names (tabs and other whitespace controls
/// become spaces), so that any documentation string gives a doc comment rustc accepts.
pub fn clean_chars(text: &str) -> std::borrow::Cow<'_, str> {
    // Most text is printable ASCII, which is safe: checked byte by byte first, without
    // decoding characters.
    let printable_ascii = text.bytes().all(|b| matches!(b, b' '..=b'~' | b'\n'));
    if printable_ascii || !text.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .filter_map(|c| {
            if !is_unsafe_char(c) {
                Some(c)
            } else if c.is_whitespace() {
                Some(' ')
            } else {
                None
            }
        })
        .collect::<String>()
        .into()
}

/// Escapes what rustdoc would misread in converted Markdown, outside code spans,
/// fenced blocks and link targets.
fn sanitize(md: &str) -> String {
    let mut out = String::with_capacity(md.len() + 16);
    let mut in_fence = false;
    for (n, line) in md.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        if line.starts_with("```") {
            in_fence = !in_fence;
            out.push_str(line);
            continue;
        }
        if in_fence {
            out.push_str(line);
            continue;
        }
        out.push_str(&sanitize_line(line));
    }
    if in_fence {
        out.push_str("\n```");
    }
    out
}

fn sanitize_line(line: &str) -> String {
    // Markdown we produced ourselves: `code`, [text](url), **, *, list dashes. Escape
    // everything else that rustdoc reads as markup.
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    let mut in_code = false;
    let indent = chars.iter().take_while(|c| **c == ' ').count();
    if indent > 0 && !chars[indent..].starts_with(&['-', ' ']) {
        i = indent;
    }
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        // A link we produced: [text](http...)
        if c == '[' {
            if let Some(close) = find_link_end(&chars, i) {
                let (text_end, url_end) = close;
                out.push('[');
                for &c in &chars[i + 1..text_end] {
                    push_escaped(&mut out, c);
                }
                out.push(']');
                out.extend(&chars[text_end + 1..=url_end]);
                i = url_end + 1;
                continue;
            }
        }
        if c == '*' {
            out.push(c);
            i += 1;
            continue;
        }
        if c == 'h' && (starts_with(&chars, i, "http://") || starts_with(&chars, i, "https://")) {
            let mut j = i;
            while j < chars.len()
                && !chars[j].is_whitespace()
                && chars[j] != ')'
                && chars[j] != '<'
                && chars[j] != '>'
            {
                j += 1;
            }
            let mut url: String = chars[i..j].iter().collect();
            let mut trailing = String::new();
            while url.ends_with(['.', ',', ';', ':']) {
                trailing.insert(0, url.pop().unwrap_or('.'));
            }
            out.push('<');
            out.push_str(&url);
            out.push('>');
            out.push_str(&trailing);
            i = j;
            continue;
        }
        push_escaped(&mut out, c);
        i += 1;
    }
    if in_code {
        out.push('`');
    }
    out
}

fn starts_with(chars: &[char], i: usize, s: &str) -> bool {
    let n = s.chars().count();
    i + n <= chars.len() && chars[i..i + n].iter().copied().eq(s.chars())
}

fn find_link_end(chars: &[char], start: usize) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut j = start;
    while j < chars.len() {
        match chars[j] {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            '`' => return None,
            _ => {}
        }
        j += 1;
    }
    if j >= chars.len() || chars.get(j + 1) != Some(&'(') || !starts_with(chars, j + 2, "http") {
        return None;
    }
    let mut k = j + 2;
    while k < chars.len() && chars[k] != ')' {
        if chars[k].is_whitespace() {
            return None;
        }
        k += 1;
    }
    if k >= chars.len() {
        return None;
    }
    Some((j, k))
}

/// Appends a character of Markdown text, escaped so that rustdoc reads it as text.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '[' | ']' | '\\' | '#' | '|' | '_' | '~' => {
            out.push('\\');
            out.push(c);
        }
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::rustdoc;

    #[test]
    fn paragraphs_code_and_links() {
        let html = "<p>Lists the <code>FlowOperation</code> items.</p> <p>See <a href=\"https://docs.aws.amazon.com/x\">the guide</a>.</p>";
        assert_eq!(
            rustdoc(html),
            "Lists the `FlowOperation` items.\n\nSee [the guide](https://docs.aws.amazon.com/x)."
        );
    }

    #[test]
    fn lists_become_markdown_lists() {
        let html = "<p>Either:</p><ul><li><p>one</p></li><li>two</li></ul>";
        assert_eq!(rustdoc(html), "Either:\n\n- one\n- two");
    }

    #[test]
    fn brackets_angle_brackets_and_urls_are_escaped() {
        assert_eq!(
            rustdoc("Use [a-z] &lt;name&gt; at https://example.com."),
            "Use \\[a-z\\] &lt;name&gt; at <https://example.com>."
        );
    }

    #[test]
    fn characters_rustc_refuses_never_reach_a_doc_comment() {
        let text = "a\u{202E}b\u{2066}c\u{2069}d\u{0}e\u{7}f\tg\rh\u{1b}[31mi";
        assert_eq!(rustdoc(text), "abcdef g h\\[31mi");
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}',
        ] {
            assert!(!rustdoc(&format!("x{c}y")).contains(c));
            assert!(!super::clean_chars(&format!("x{c}y")).contains(c));
        }
    }

    #[test]
    fn fences_and_backticks_in_text_stay_text() {
        assert_eq!(rustdoc("```rust\nfn x() {}\n```"), "'''rust fn x() {} '''");
        assert_eq!(rustdoc("~~~ x"), "\\~\\~\\~ x");
        assert_eq!(rustdoc("<pre>a\n```\nb</pre>"), "```text\na\n'''\nb\n```");
    }

    #[test]
    fn plain_text_and_broken_html_are_kept_readable() {
        assert_eq!(rustdoc("Plain text."), "Plain text.");
        assert_eq!(rustdoc("<p>Unclosed <code>code"), "Unclosed `code`");
        assert_eq!(rustdoc("a < b"), "a &lt; b");
        assert_eq!(rustdoc("snake_case"), "snake\\_case");
    }
}
