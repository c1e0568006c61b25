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
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.subject.is_empty() {
            write!(f, "{} (at {})", self.message, self.path)
        } else {
            write!(f, "{}: {} (at {})", self.subject, self.message, self.path)
        }
    }
}

/// Everything that can go wrong while generating code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The input is not JSON.
    Syntax {
        /// 1-based line of the syntax error.
        line: usize,
        /// 1-based column of the syntax error.
        column: usize,
        /// What the JSON parser reported.
        message: String,
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
            Error::Syntax {
                line,
                column,
                message,
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
