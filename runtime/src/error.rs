//! Errors of generated clients: input that cannot be built, and calls that fail.

use std::borrow::Cow;
use std::fmt;

/// A required member was not set, or a value was not valid, when building an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    member: &'static str,
    reason: Cow<'static, str>,
}

impl BuildError {
    /// A required member was left unset.
    pub fn missing(shape: &'static str, member: &'static str) -> Self {
        BuildError {
            shape,
            member,
            reason: Cow::Borrowed("is required but was not set"),
        }
    }

    /// A member's value is not valid.
    pub fn invalid(
        shape: &'static str,
        member: &'static str,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        BuildError {
            shape,
            member,
            reason: reason.into(),
        }
    }

    /// The structure being built.
    pub fn shape(&self) -> &str {
        self.shape
    }

    /// The member at fault.
    pub fn member(&self) -> &str {
        self.member
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` of `{}` {}", self.member, self.shape, self.reason)
    }
}

impl std::error::Error for BuildError {}

/// What the service said about an error: its code, message, HTTP status and request id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorMetadata {
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
}

impl ErrorMetadata {
    /// Metadata with the given parts (for tests and hand-made errors).
    pub fn new(
        code: Option<String>,
        message: Option<String>,
        status: u16,
        request_id: Option<String>,
    ) -> Self {
        ErrorMetadata {
            code,
            message,
            status,
            request_id,
        }
    }

    /// The error code, sanitized (`ns#Code:uri` gives `Code`).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The human-readable message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id (`x-amzn-requestid`).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code().unwrap_or("UnknownError"))?;
        if let Some(m) = self.message() {
            write!(f, ": {m}")?;
        }
        write!(f, " (HTTP {}", self.status)?;
        if let Some(r) = self.request_id() {
            write!(f, ", request id {r}")?;
        }
        f.write_str(")")
    }
}

/// Access to the code and message of a service error.
pub trait ProvideErrorMetadata {
    /// Everything the service said about the error.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The error message.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
}

/// An error this client has no variant for: a code the service sent that the model
/// does not name, or, through [`SdkError::into_service_error`], a failure that is not
/// a service error at all (its text is the message, its cause the source).
#[derive(Debug, Clone)]
pub struct Unhandled {
    meta: ErrorMetadata,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

impl PartialEq for Unhandled {
    fn eq(&self, other: &Self) -> bool {
        self.meta == other.meta
    }
}

impl Eq for Unhandled {}

impl Unhandled {
    /// Wraps metadata.
    pub fn new(meta: ErrorMetadata) -> Self {
        Unhandled { meta, source: None }
    }
}

/// Error enums whose catch-all variant can hold any failure, so that
/// [`SdkError::into_service_error`] can return the operation's error for every call.
pub trait FromUnhandled {
    /// The catch-all variant holding `error`.
    fn from_unhandled(error: Unhandled) -> Self;
}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.meta.fmt(f)
    }
}

impl std::error::Error for Unhandled {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.source {
            Some(s) => Some(s.as_ref()),
            None => None,
        }
    }
}

/// A failure to send a request or to receive its response.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
    /// The host the request went to, when known (for the message).
    host: Option<http::uri::Authority>,
}

/// What kind of transport failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made or broke.
    Io,
    /// The attempt took longer than the configured timeout.
    Timeout,
    /// Anything else; not retried.
    Other,
}

impl TransportError {
    /// A new transport error.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            kind,
            source: Some(source.into()),
            host: None,
        }
    }

    /// A timeout.
    pub fn timeout() -> Self {
        TransportError {
            kind: TransportErrorKind::Timeout,
            source: None,
            host: None,
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The error, naming the host the request went to (a host prefix or an endpoint
    /// URL may have made it other than the user thinks).
    pub(crate) fn at(mut self, host: Option<http::uri::Authority>) -> Self {
        if self.host.is_none() {
            self.host = host;
        }
        self
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.kind, &self.host) {
            (TransportErrorKind::Io, None) => f.write_str("the connection failed"),
            (TransportErrorKind::Io, Some(h)) => write!(f, "the connection to {h} failed"),
            (TransportErrorKind::Timeout, None) => f.write_str("the request timed out"),
            (TransportErrorKind::Timeout, Some(h)) => write!(f, "the request to {h} timed out"),
            (TransportErrorKind::Other, _) => f.write_str("the request could not be sent"),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built: a required member was unset, or the
    /// configuration lacks a region or credentials. Nothing was sent.
    Construction {
        /// The operation.
        operation: &'static str,
        /// What was wrong.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The request could not be sent, or no response came in time.
    Dispatch {
        /// The operation.
        operation: &'static str,
        /// What went wrong, after retries.
        source: TransportError,
    },
    /// The service answered with something that is not a valid response: a body that
    /// is not JSON, a truncated body, a response of the wrong shape.
    Response {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The request id, if the service sent one.
        request_id: Option<String>,
        /// What was wrong with it.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The service returned an error.
    Service {
        /// The operation.
        operation: &'static str,
        /// The modeled error, or the catch-all for codes this client does not know.
        error: E,
        /// The status, code, message and request id.
        meta: ErrorMetadata,
    },
}

impl<E> SdkError<E> {
    /// The service error, if the service returned one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The service error, if the service returned one; `None` for every other failure.
    pub fn into_service_error_if_any(self) -> Option<E> {
        match self {
            SdkError::Service { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The operation's error, whatever the failure: a service error as it is, and any
    /// other failure (nothing sent, no response, a response that is not valid) folded
    /// into the error's catch-all `Unhandled` variant, with the failure's text as the
    /// message and its cause as the source, as the official SDK does.
    pub fn into_service_error(self) -> E
    where
        E: FromUnhandled,
    {
        let text = |operation: &str, what: &str, source: &dyn fmt::Display| {
            format!("{operation}: {what}: {source}")
        };
        let (meta, source): (
            ErrorMetadata,
            std::sync::Arc<dyn std::error::Error + Send + Sync>,
        ) = match self {
            SdkError::Service { error, .. } => return error,
            SdkError::Construction { operation, source } => (
                ErrorMetadata::new(
                    None,
                    Some(text(operation, "the request could not be built", &source)),
                    0,
                    None,
                ),
                source.into(),
            ),
            SdkError::Dispatch { operation, source } => (
                ErrorMetadata::new(
                    None,
                    Some(text(operation, "the request was not answered", &source)),
                    0,
                    None,
                ),
                std::sync::Arc::new(source),
            ),
            SdkError::Response {
                operation,
                status,
                request_id,
                source,
            } => (
                ErrorMetadata::new(
                    None,
                    Some(text(operation, "the response is not valid", &source)),
                    status,
                    request_id,
                ),
                source.into(),
            ),
        };
        E::from_unhandled(Unhandled {
            meta,
            source: Some(source),
        })
    }

    /// The service's error metadata, for service errors.
    pub fn meta(&self) -> Option<&ErrorMetadata> {
        match self {
            SdkError::Service { meta, .. } => Some(meta),
            _ => None,
        }
    }

    /// The operation that failed.
    pub fn operation(&self) -> &'static str {
        match self {
            SdkError::Construction { operation, .. }
            | SdkError::Dispatch { operation, .. }
            | SdkError::Response { operation, .. }
            | SdkError::Service { operation, .. } => operation,
        }
    }

    /// The HTTP status, when a response came back.
    pub fn status(&self) -> Option<u16> {
        match self {
            SdkError::Response { status, .. } => Some(*status),
            SdkError::Service { meta, .. } => Some(meta.status()),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction { operation, source } => {
                write!(f, "{operation}: the request could not be built: {source}")
            }
            SdkError::Dispatch { operation, source } => {
                write!(f, "{operation}: {source}")?;
                for c in causes(source) {
                    write!(f, ": {c}")?;
                }
                Ok(())
            }
            SdkError::Response {
                operation,
                status,
                request_id,
                source,
            } => {
                write!(f, "{operation}: the response (HTTP {status}")?;
                if let Some(r) = request_id {
                    write!(f, ", request id {r}")?;
                }
                write!(f, ") is not valid: {source}")
            }
            SdkError::Service {
                operation, meta, ..
            } => write!(f, "{operation} failed: {meta}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Construction { source, .. } | SdkError::Response { source, .. } => {
                Some(source.as_ref())
            }
            SdkError::Dispatch { source, .. } => Some(source),
            SdkError::Service { error, .. } => Some(error),
        }
    }
}

/// The causes of an error, nearest first: its `source()`, that one's, and so on.
pub(crate) fn causes<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(e.source(), |c| c.source())
}
