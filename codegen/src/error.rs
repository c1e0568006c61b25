//! The one error type of the code generator.
//!
//! Every problem found in a model is a [`Diagnostic`] that names what it is about (a
//! shape, member or trait) and where in the JSON document it was found, as a JSON path
//! such as `$.shapes["ns#Foo"].members.bar.target`.

use std::fmt;

/// One problem found in a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What the problem is about: a shape id, a member id (`ns#Shape$member`) or a
    /// trait on one of them (`ns#Shape$member @smithy.api#paginated`).
    pub subject: String,
    /// Where in the JSON document the problem is, as a JSON path.
    pub path: String,
    /// What is wrong, and what was expected.
    pub message: String,
    /// The 1-based line in the model file where `path` points, when it could be found.
    pub line: Option<usize>,
    /// The model file, when the model was read from several files or by name.
    pub file: Option<String>,
    /// The 1-based column, when known.
    pub column: Option<usize>,
}

impl Diagnostic {
    pub(crate) fn new(
        subject: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            subject: subject.into(),
            path: path.into(),
            message: message.into(),
            line: None,
            file: None,
            column: None,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.subject.is_empty() {
            write!(f, "{}: ", self.subject)?;
        }
        write!(f, "{} (at {}", self.message, self.path)?;
        match (&self.file, self.line, self.column) {
            (Some(file), Some(line), Some(col)) => write!(f, ", {file}:{line}:{col}")?,
            (Some(file), Some(line), None) => write!(f, ", {file}:{line}")?,
            (None, Some(line), _) => write!(f, ", line {line}")?,
            (Some(file), None, _) => write!(f, ", {file}")?,
            _ => {}
        }
        f.write_str(")")
    }
}

/// Finds the line a JSON path (`$.shapes["ns#A"].members.b.target`) points at in the
/// document's text: the line of its innermost object key.
pub fn locate(text: &str, path: &str) -> Option<usize> {
    position_in(&crate::assemble::json_spans(text), path).map(|(line, _)| line)
}

/// The (line, column) of the deepest part of a JSON path that has a recorded position
/// (`positions` as [`crate::assemble::json_spans`] records them); a suffix such as
/// ` (from a mixin)` is not part of the path.
pub(crate) fn position_in(
    positions: &std::collections::BTreeMap<String, (u32, u32)>,
    path: &str,
) -> Option<(usize, usize)> {
    let path = path.split(" (").next().unwrap_or(path);
    longest_prefix(path, |p| {
        positions
            .get(p)
            .map(|(line, col)| (*line as usize, *col as usize))
    })
}

/// Adds to each diagnostic the line and column of the model's text its path points at.
pub(crate) fn add_lines(diagnostics: &mut [Diagnostic], text: &[u8]) {
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let positions = crate::assemble::json_spans(text);
    for d in diagnostics {
        let at = position_in(&positions, &d.path);
        d.line = at.map(|(line, _)| line);
        d.column = at.map(|(_, column)| column);
    }
}

/// What `find` gives for the longest prefix of a JSON path (cut at `.` and `[`) under
/// `$.shapes` that it knows.
pub(crate) fn longest_prefix<T>(path: &str, find: impl Fn(&str) -> Option<T>) -> Option<T> {
    let mut p = path;
    loop {
        if let Some(found) = find(p) {
            return Some(found);
        }
        let cut = p.rfind(['.', '['])?;
        if cut <= "$.shapes".len() {
            return None;
        }
        p = &p[..cut];
    }
}

/// Of a line, the part to show around the character at `at` (0-based): the whole line
/// when it is short, else about 40 characters either side, with `…` where it is cut;
/// and where `at` is in what is shown.
fn around(line: &str, at: usize) -> (String, usize) {
    const SIDE: usize = 40;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= 2 * SIDE + 20 {
        return (line.to_string(), at);
    }
    let start = at.saturating_sub(SIDE);
    let end = (at + SIDE).min(chars.len());
    let mut shown = String::new();
    let mut caret_at = at - start;
    if start > 0 {
        shown.push('…');
        caret_at += 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret_at)
}

/// Everything that can go wrong while generating code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An IDL file has a syntax or resolution error.
    Idl(crate::idl::IdlError),
    /// The input is not JSON.
    Syntax {
        /// The file, when known.
        file: Option<String>,
        /// 1-based line of the syntax error.
        line: usize,
        /// 1-based column of the syntax error.
        column: usize,
        /// What the JSON parser reported.
        message: String,
        /// The text of the line, for showing it with a caret under the spot.
        source_line: String,
    },
    /// The input is JSON, but not a valid Smithy model, or one this generator cannot use.
    Invalid(Vec<Diagnostic>),
    /// The generated Rust did not parse; this is a bug in the generator.
    Render {
        /// The file being rendered.
        file: String,
        /// What `syn` reported.
        message: String,
    },
}

impl Error {
    pub(crate) fn one(
        subject: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Invalid(vec![Diagnostic::new(subject, path, message)])
    }

    /// Names the file a JSON syntax error is in.
    pub fn in_file(mut self, name: &str) -> Self {
        if let Error::Syntax { file, .. } = &mut self {
            *file = Some(name.to_string());
        }
        self
    }

    /// Adds line numbers to the diagnostics, from the model's text.
    pub fn with_lines(mut self, text: &[u8]) -> Self {
        if let Error::Invalid(ds) = &mut self {
            add_lines(ds, text);
        }
        self
    }

    /// The diagnostics carried by an [`Error::Invalid`], empty for other errors.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Invalid(d) => d,
            _ => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Idl(e) => write!(f, "{e}"),
            Error::Syntax {
                file: Some(file),
                line,
                column,
                message,
                source_line,
            } => {
                // As rustc shows an error: the place, the line, a caret under the spot;
                // of a long line (a minified model), the part around the spot.
                let gutter = " ".repeat(line.to_string().len());
                let (shown, caret_at) = around(source_line, column.saturating_sub(1));
                let pad: String = shown
                    .chars()
                    .take(caret_at)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(
                    f,
                    "the model is not valid JSON: {message}\n{gutter}--> {file}:{line}:{column}\n{gutter} |\n{line} | {shown}\n{gutter} | {pad}^"
                )
            }
            Error::Syntax {
                file: None,
                line,
                column,
                message,
                ..
            } => write!(
                f,
                "the model is not valid JSON: {message} (line {line}, column {column})"
            ),
            Error::Invalid(diagnostics) => {
                let n = diagnostics.len();
                write!(
                    f,
                    "the model has {n} problem{}:",
                    if n == 1 { "" } else { "s" }
                )?;
                for d in diagnostics {
                    write!(f, "\n  - {d}")?;
                }
                Ok(())
            }
            Error::Render { file, message } => write!(
                f,
                "internal error: generated code for {file} does not parse: {message}"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::{around, locate, Error};

    #[test]
    fn a_syntax_error_in_a_long_line_shows_the_part_around_it() {
        let line = format!("{}x{}", "a".repeat(5000), "b".repeat(5000));
        let e = Error::Syntax {
            file: Some("m.json".into()),
            line: 1,
            column: 5001,
            message: "trailing characters".into(),
            source_line: line,
        };
        let text = e.to_string();
        assert!(text.len() < 400, "{text}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], " --> m.json:1:5001");
        let shown = lines[3].strip_prefix("1 | ").unwrap();
        let caret = lines[4].strip_prefix("  | ").unwrap();
        assert_eq!(
            shown.chars().nth(caret.chars().count() - 1),
            Some('x'),
            "{text}"
        );
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        // A short line is shown whole.
        assert_eq!(around("short", 2), ("short".to_string(), 2));
    }

    #[test]
    fn json_paths_are_located_by_line() {
        let text = "{\n  \"smithy\": \"2.0\",\n  \"shapes\": {\n    \"a#B\": {\n      \"type\": \"structure\",\n      \"members\": {\n        \"type\": {\"target\": \"x#Y\"}\n      }\n    }\n  }\n}";
        assert_eq!(locate(text, "$.shapes[\"a#B\"]"), Some(4));
        assert_eq!(
            locate(text, "$.shapes[\"a#B\"].members.type.target"),
            Some(7)
        );
        assert_eq!(locate(text, "$.shapes[\"a#B\"].type"), Some(5));
        assert_eq!(locate(text, "$"), None);
        assert_eq!(locate(text, "$.shapes[\"a#Missing\"]"), None);
    }
}
