//! A Smithy IDL (2.0 and 1.0) loader: `.smithy` text to Smithy JSON AST documents,
//! with a source position for every shape, member and trait.
//!
//! [`parse`] turns one file into a [`ParsedFile`] (syntax only); [`resolve`](fn@resolve) turns a
//! set of parsed files into one [`Document`] per file: the JSON AST `smithy ast`
//! would write for that file alone, plus a map from JSON paths to [`Span`]s.
//!
//! Modules: `lexer` (tokens that know their position and the line breaks and `///`
//! comments before them), `ast` (the syntax tree), `parser` (recursive descent),
//! `resolve` (shape ids, elision, mixin checks, JSON and spans), `upgrade` (IDL 1.0 to
//! 2.0 semantics) and `prelude_names` (the ids of the prelude and the known trait
//! namespaces).
//!
//! Differences from the first sketch of this API:
//! - [`ExternalShape`] has a `shape_type` field (the JSON `type`, or empty when
//!   unknown): it decides how annotation traits are coerced (`@tags` is `[]`, not
//!   `{}`) and lets mixins of the wrong type be rejected.
//! - [`upgrade_v1`] is public, so 1.0 JSON AST files can be given the same upgrade that
//!   1.0 IDL files get (`set` to `list` + `@uniqueItems`, `@default` for 1.0
//!   primitives). A 1.0 IDL file's document is already upgraded (`"smithy": "2.0"`).
//! - `"metadata"` is only written when the file has metadata.
//! - Numbers too large for `f64` (e.g. `1e309`) are kept as strings holding the
//!   literal with an upper-case `E` (serde_json cannot hold them).
//!
//! Choices worth knowing:
//! - Unquoted shape ids in trait and metadata values are resolved like Smithy does
//!   (`@documentation(H)` becomes `"ns#H"`); in IDL 2.0 one that matches no shape is
//!   an error, in 1.0 it stays the string as written.
//! - Operations without mixins get `input`/`output` `smithy.api#Unit` when they
//!   do not name one, as `smithy ast` writes them.
//! - `apply` to a shape or member defined in the same file is merged into it; any
//!   other `apply` (another file, or a member inherited from a mixin) becomes a
//!   `{"type": "apply", "traits": {..}}` entry.

mod ast;
mod lexer;
mod parser;
mod prelude_names;
mod resolve;
#[cfg(test)]
mod tests;
mod upgrade;

pub use upgrade::upgrade_v1;
pub(crate) use upgrade::{add_trait, has_trait};

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A position in a source file (1-based line and column, column counted in chars).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file name given to [`parse`].
    pub file: Arc<str>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in chars.
    pub column: u32,
}

/// A syntax or resolution error, displayed like rustc:
///
/// ```text
/// error: expected `}` after the members of `ns#Foo`
///  --> model/foo.smithy:12:5
///    |
/// 12 |     bar: String baz
///    |                 ^
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdlError {
    /// The file name given to [`parse`].
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in chars.
    pub column: u32,
    /// What is wrong.
    pub message: String,
    /// The text of the line (without its line break).
    pub source_line: String,
}

impl IdlError {
    pub(crate) fn at(file: &str, text: &str, pos: lexer::Pos, message: String) -> IdlError {
        let source_line = text
            .split('\n')
            .nth(pos.line.saturating_sub(1) as usize)
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string();
        IdlError {
            file: file.to_string(),
            line: pos.line,
            column: pos.col,
            message,
            source_line,
        }
    }
}

impl std::fmt::Display for IdlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let num = self.line.to_string();
        let pad = " ".repeat(num.len());
        writeln!(f, "error: {}", self.message)?;
        writeln!(f, "{pad}--> {}:{}:{}", self.file, self.line, self.column)?;
        writeln!(f, "{pad} |")?;
        writeln!(f, "{num} | {}", self.source_line)?;
        // Keep tabs so the caret lines up.
        let lead: String = self
            .source_line
            .chars()
            .take(self.column.saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        write!(f, "{pad} | {lead}^")
    }
}

impl std::error::Error for IdlError {}

/// One parsed (not yet resolved) IDL file.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub(crate) file: Arc<str>,
    pub(crate) text: Arc<str>,
    pub(crate) v2: bool,
    pub(crate) namespace: Option<String>,
    pub(crate) uses: Vec<(String, lexer::Pos)>,
    pub(crate) metadata: Vec<ast::MetaDef>,
    pub(crate) shapes: Vec<ast::ShapeDef>,
    pub(crate) applies: Vec<ast::ApplyDef>,
}

/// Parses one IDL file.
pub fn parse(file_name: &str, text: &str) -> Result<ParsedFile, IdlError> {
    parser::parse_file(file_name, text)
}

impl ParsedFile {
    /// The absolute ids of the shapes this file defines (including inline `:=`
    /// input/output shapes).
    pub fn defined_shapes(&self) -> Vec<String> {
        match &self.namespace {
            Some(ns) => self
                .shapes
                .iter()
                .map(|s| format!("{ns}#{}", s.name))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The file's namespace, if it has shapes.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The file name given to [`parse`].
    pub fn file_name(&self) -> &str {
        &self.file
    }

    /// Whether the file is IDL 2.0 (`false`: 1.0, explicit or implied).
    pub fn is_v2(&self) -> bool {
        self.v2
    }
}

/// The result of resolving one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// `{"smithy": "2.0", "metadata": {...}, "shapes": {...}}`.
    pub value: serde_json::Value,
    /// Where each shape, member, trait, shape property and metadata entry was written,
    /// by JSON path: `$.shapes["ns#Foo"].members.bar.traits["smithy.api#required"]`,
    /// `$.shapes["ns#List"].member`, `$.shapes["ns#Op"].input`, `$.metadata.foo`
    /// (keys are written `.key` when made of `[A-Za-z0-9_]`, else `["key"]`).
    pub spans: BTreeMap<String, Span>,
}

/// What the resolver needs to know about a shape defined outside the IDL files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExternalShape {
    /// The shape's JSON AST `type` (`structure`, `list`, ...), or empty if unknown.
    pub shape_type: String,
    /// Its own members: name and absolute target.
    pub members: Vec<(String, String)>,
    /// A resource's identifiers: name and absolute target.
    pub identifiers: Vec<(String, String)>,
    /// A resource's properties: name and absolute target.
    pub properties: Vec<(String, String)>,
    /// The absolute ids of its mixins (their members are inherited).
    pub mixins: Vec<String>,
}

/// Resolves relative shape ids and elided members of a set of files.
///
/// `known` holds every absolute shape id defined anywhere in the model (other IDL
/// files' shapes are found on their own); `external` describes shapes defined
/// outside these files (JSON AST files), for elision, mixin checks and annotation
/// trait coercion.
pub fn resolve(
    files: &[ParsedFile],
    known: &BTreeSet<String>,
    external: &dyn Fn(&str) -> Option<ExternalShape>,
) -> Result<Vec<Document>, IdlError> {
    resolve::resolve_all(files, known, external)
}

/// Convenience for tests: parses and resolves `(file name, text)` pairs, with
/// [`prelude_and_known_traits`] plus `extra_known` as the known ids.
pub fn load_files(
    files: &[(String, String)],
    extra_known: &BTreeSet<String>,
) -> Result<Vec<Document>, IdlError> {
    let mut parsed = Vec::with_capacity(files.len());
    for (name, text) in files {
        parsed.push(parse(name, text)?);
    }
    let mut known = prelude_and_known_traits();
    known.extend(extra_known.iter().cloned());
    resolve(&parsed, &known, &|_| None)
}

/// The absolute ids of every prelude shape and trait and of every shape of the
/// `aws.api`, `aws.auth`, `aws.protocols`, `aws.customizations`, `aws.endpoints`,
/// `smithy.test`, `smithy.rules`, `smithy.waiters`, `smithy.protocols` and
/// `smithy.framework` namespaces.
pub fn prelude_and_known_traits() -> BTreeSet<String> {
    prelude_names::all_ids()
}
