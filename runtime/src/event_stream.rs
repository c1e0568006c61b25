//! Event streams (a `@streaming` union in an operation's output): the response body is
//! a sequence of messages in the AWS event stream encoding (framing and checksums
//! decoded by `aws-smithy-eventstream`), each an event of the union, an exception
//! (one of its `@error` members), or an error the model does not describe.
//!
//! Generated code reads each message with the helpers here: the `:message-type`,
//! `:event-type` and `:exception-type` headers, event headers by type, the payload.

use crate::body::{ByteStream, ByteStreamError};
use crate::types::{Blob, DateTime};
use aws_smithy_eventstream::frame::{DecodedFrame, MessageFrameDecoder};
use bytes::{Buf, BytesMut};
use std::fmt;

pub use aws_smithy_types::event_stream::{HeaderValue, Message};

/// Why an event stream ended in error.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventStreamError<T> {
    /// An exception the model describes: the stream's `@error` member `code`, as the
    /// union's variant.
    Modeled {
        /// The exception, as the stream's union.
        event: Box<T>,
        /// Its name (`:exception-type`).
        code: String,
    },
    /// An error message the model does not describe (`:message-type: error`).
    Unmodeled {
        /// `:error-code`.
        code: String,
        /// `:error-message`.
        message: Option<String>,
    },
    /// A message that breaks the encoding or the protocol: a bad checksum, a missing
    /// or mistyped header, a payload that does not parse, a stream cut inside a
    /// message.
    Malformed(String),
    /// Reading the response body failed.
    Body(ByteStreamError),
}

impl<T> EventStreamError<T> {
    /// The error's code: the exception's or the error message's.
    pub fn code(&self) -> Option<&str> {
        match self {
            EventStreamError::Modeled { code, .. } | EventStreamError::Unmodeled { code, .. } => {
                Some(code)
            }
            _ => None,
        }
    }
}

impl<T: fmt::Debug> fmt::Display for EventStreamError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventStreamError::Modeled { event, code } => {
                write!(f, "the service sent the exception `{code}`: {event:?}")
            }
            EventStreamError::Unmodeled { code, message } => {
                write!(f, "the service sent the error `{code}`")?;
                if let Some(m) = message {
                    write!(f, ": {m}")?;
                }
                Ok(())
            }
            EventStreamError::Malformed(why) => write!(f, "malformed event stream: {why}"),
            EventStreamError::Body(e) => write!(f, "reading the event stream failed: {e}"),
        }
    }
}

impl<T: fmt::Debug> std::error::Error for EventStreamError<T> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EventStreamError::Body(e) => Some(e),
            _ => None,
        }
    }
}

/// How a generated parser reads one message of a stream of `T`.
pub type Unmarshal<T> = fn(&Message) -> Result<T, EventStreamError<T>>;

/// The events of a response, read as they arrive.
pub struct EventReceiver<T> {
    body: ByteStream,
    buffer: BytesMut,
    decoder: MessageFrameDecoder,
    /// Whether the decoder holds the start of a message.
    inside: bool,
    unmarshal: Unmarshal<T>,
    done: bool,
    /// Whether a first `initial-response` event (awsJson's output members, none
    /// beside the stream here) is still to be passed over.
    initial_response: bool,
}

impl<T> fmt::Debug for EventReceiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReceiver")
            .field("buffered", &self.buffer.len())
            .field("done", &self.done)
            .finish()
    }
}

// Outputs with a stream move between tasks.
const _: fn() = || {
    fn send<T: Send>() {}
    send::<EventReceiver<String>>();
    send::<EventStreamError<String>>();
};

/// The reader of a stream that has no messages.
fn no_messages<T>(_: &Message) -> Result<T, EventStreamError<T>> {
    Err(EventStreamError::Malformed(
        "a stream with no reader got a message".to_string(),
    ))
}

/// A stream of no events (a builder's default).
impl<T> Default for EventReceiver<T> {
    fn default() -> Self {
        EventReceiver::new(ByteStream::new(), no_messages::<T>)
    }
}

impl<T> EventReceiver<T> {
    /// Events read from `body` with `unmarshal`.
    pub fn new(body: ByteStream, unmarshal: Unmarshal<T>) -> Self {
        EventReceiver {
            body,
            buffer: BytesMut::new(),
            decoder: MessageFrameDecoder::new(),
            inside: false,
            unmarshal,
            done: false,
            initial_response: false,
        }
    }

    /// Events read from `body` with `unmarshal`, after an `initial-response` event
    /// the stream may start with (the awsJson protocols send the output's other
    /// members in it; the outputs read this way have none).
    pub fn after_initial_response(body: ByteStream, unmarshal: Unmarshal<T>) -> Self {
        EventReceiver {
            initial_response: true,
            ..EventReceiver::new(body, unmarshal)
        }
    }

    /// The next event; `None` once the stream has ended. An exception or error
    /// message ends the stream, as does a malformed one.
    pub async fn recv(&mut self) -> Result<Option<T>, EventStreamError<T>> {
        loop {
            if self.done {
                return Ok(None);
            }
            let before = self.buffer.remaining();
            match self.decoder.decode_frame(&mut self.buffer) {
                Ok(DecodedFrame::Complete(message)) => {
                    self.inside = false;
                    if std::mem::take(&mut self.initial_response)
                        && kind::<T>(&message).ok() == Some(Kind::Event("initial-response"))
                    {
                        continue;
                    }
                    return match (self.unmarshal)(&message) {
                        Ok(event) => Ok(Some(event)),
                        Err(e) => {
                            self.done = true;
                            Err(e)
                        }
                    };
                }
                Ok(DecodedFrame::Incomplete) => {
                    self.inside |= self.buffer.remaining() < before;
                }
                Err(e) => {
                    self.done = true;
                    return Err(EventStreamError::Malformed(e.to_string()));
                }
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.buffer.extend_from_slice(&chunk),
                Some(Err(e)) => {
                    self.done = true;
                    return Err(EventStreamError::Body(e));
                }
                None => {
                    self.done = true;
                    if self.inside || !self.buffer.is_empty() {
                        return Err(EventStreamError::Malformed(
                            "the stream ended inside a message".to_string(),
                        ));
                    }
                    return Ok(None);
                }
            }
        }
    }
}

/// The value of the message's header `name`, when it has one.
fn find_header<'m>(m: &'m Message, name: &str) -> Option<&'m HeaderValue> {
    m.headers()
        .iter()
        .find(|h| h.name().as_str() == name)
        .map(|h| h.value())
}

/// A string header's value; `Malformed` when it is there with another type.
fn string_header<'m, T>(
    m: &'m Message,
    name: &str,
) -> Result<Option<&'m str>, EventStreamError<T>> {
    match find_header(m, name) {
        None => Ok(None),
        Some(HeaderValue::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(EventStreamError::Malformed(format!(
            "the header `{name}` is not a string"
        ))),
    }
}

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind<'m> {
    /// An event of the type (`:event-type`).
    Event(&'m str),
    /// An exception of the type (`:exception-type`).
    Exception(&'m str),
}

/// Reads a message's kind: an event or exception and its type, or the error the
/// message is (an unmodeled error message, a missing or malformed header).
pub fn kind<T>(m: &Message) -> Result<Kind<'_>, EventStreamError<T>> {
    let required = |name: &str| -> Result<&str, EventStreamError<T>> {
        string_header(m, name)?.ok_or_else(|| {
            EventStreamError::Malformed(format!("the message has no `{name}` header"))
        })
    };
    match required(":message-type")? {
        "event" => Ok(Kind::Event(required(":event-type")?)),
        "exception" => Ok(Kind::Exception(required(":exception-type")?)),
        "error" => Err(EventStreamError::Unmodeled {
            code: string_header(m, ":error-code")?
                .unwrap_or("unknown")
                .to_string(),
            message: string_header(m, ":error-message")?.map(str::to_string),
        }),
        other => Err(EventStreamError::Malformed(format!(
            "unknown message type `{other}`"
        ))),
    }
}

/// An exception the stream's union does not have: unmodeled.
pub fn unknown_exception<T>(m: &Message, code: &str) -> EventStreamError<T> {
    let message = std::str::from_utf8(m.payload())
        .ok()
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    EventStreamError::Unmodeled {
        code: code.to_string(),
        message,
    }
}

/// A payload that does not parse.
pub fn malformed<T>(what: &str, e: impl fmt::Display) -> EventStreamError<T> {
    EventStreamError::Malformed(format!("the `{what}` event does not parse: {e}"))
}

/// The payload as text.
pub fn payload_str<T>(m: &Message) -> Result<String, EventStreamError<T>> {
    std::str::from_utf8(m.payload())
        .map(str::to_string)
        .map_err(|_| EventStreamError::Malformed("the payload is not UTF-8".to_string()))
}

/// The payload as bytes.
pub fn payload_blob(m: &Message) -> Blob {
    Blob::new(m.payload().to_vec())
}

/// The message's header `name` of the type an event member has.
pub trait FromHeader: Sized {
    /// The value, or `None` for a header of another type.
    fn from_header(v: &HeaderValue) -> Option<Self>;
}

macro_rules! from_header {
    ($($t:ty => $variant:ident $(($conv:expr))?;)*) => {$(
        impl FromHeader for $t {
            fn from_header(v: &HeaderValue) -> Option<Self> {
                match v {
                    HeaderValue::$variant(x) => Some(from_header!(@conv x $(, $conv)?)),
                    _ => None,
                }
            }
        }
    )*};
    (@conv $x:ident) => { *$x };
    (@conv $x:ident, $conv:expr) => { $conv($x) };
}

from_header! {
    bool => Bool;
    i8 => Byte;
    i16 => Int16;
    i32 => Int32;
    i64 => Int64;
    String => String(|s: &aws_smithy_types::str_bytes::StrBytes| s.as_str().to_string());
    Blob => ByteArray(|b: &bytes::Bytes| Blob::new(b.to_vec()));
}

impl FromHeader for DateTime {
    fn from_header(v: &HeaderValue) -> Option<Self> {
        match v {
            // Milliseconds since the epoch on the wire: always in range.
            HeaderValue::Timestamp(t) => t.to_millis().ok().map(DateTime::from_millis),
            _ => None,
        }
    }
}

/// The header `name` as a `V`; `None` when it is not there.
pub fn header<V: FromHeader, T>(m: &Message, name: &str) -> Result<Option<V>, EventStreamError<T>> {
    match find_header(m, name) {
        None => Ok(None),
        Some(v) => V::from_header(v).map(Some).ok_or_else(|| {
            EventStreamError::Malformed(format!("the header `{name}` is not of the member's type"))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One message of a compliance case (`OutputStream`, `StringHeaderOutput`).
    const STRING_HEADER: &str = "AAAATwAAAD8J5z3MDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAB2hlYWRlcnMMc3RyaW5nSGVhZGVyBwADZm9vxT+2MA==";

    fn bytes(b64: &str) -> Vec<u8> {
        base64_simd::STANDARD.decode_to_vec(b64).unwrap()
    }

    fn read(m: &Message) -> Result<String, EventStreamError<String>> {
        match kind(m)? {
            Kind::Event(t) => Ok(format!(
                "{t}:{}",
                header::<String, String>(m, "stringHeader")?.unwrap_or_default()
            )),
            Kind::Exception(t) => Err(unknown_exception(m, t)),
        }
    }

    /// Messages split anywhere across chunks are read whole, in order; the end of
    /// the body ends the stream.
    #[tokio::test]
    async fn messages_are_read_across_chunks() {
        let one = bytes(STRING_HEADER);
        let mut all = one.clone();
        all.extend_from_slice(&one);
        for split in [1, 7, 12, one.len(), one.len() + 3] {
            let chunks: Vec<Result<bytes::Bytes, ByteStreamError>> = all
                .chunks(split)
                .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
                .collect();
            let body = ByteStream::from_stream(futures_util_stream(chunks));
            let mut r = EventReceiver::new(body, read);
            assert_eq!(r.recv().await.unwrap().as_deref(), Some("headers:foo"));
            assert_eq!(r.recv().await.unwrap().as_deref(), Some("headers:foo"));
            assert_eq!(r.recv().await.unwrap(), None);
        }
    }

    /// awsJson's `initial-response` event is passed over when it comes first, and
    /// read as an event anywhere else.
    #[tokio::test]
    async fn a_first_initial_response_is_passed_over() {
        let initial = bytes("AAAAaAAAAFZOaBckDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAEGluaXRpYWwtcmVzcG9uc2UNOmNvbnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb257ff6ULB0=");
        let one = bytes(STRING_HEADER);
        let mut all = initial.clone();
        all.extend_from_slice(&one);
        all.extend_from_slice(&initial);
        let mut r = EventReceiver::after_initial_response(ByteStream::from(all), read);
        assert_eq!(r.recv().await.unwrap().as_deref(), Some("headers:foo"));
        assert_eq!(
            r.recv().await.unwrap().as_deref(),
            Some("initial-response:")
        );
        assert_eq!(r.recv().await.unwrap(), None);
    }

    /// A stream cut inside a message, or a corrupted one, is an error, not an end.
    #[tokio::test]
    async fn cut_and_corrupt_messages_are_errors() {
        let one = bytes(STRING_HEADER);
        let cut = ByteStream::from(bytes::Bytes::copy_from_slice(&one[..one.len() - 2]));
        let e = EventReceiver::new(cut, read).recv().await.unwrap_err();
        assert!(matches!(e, EventStreamError::Malformed(_)), "{e}");
        let mut bad = one.clone();
        let last = bad.len() - 6;
        bad[last] ^= 1;
        let e = EventReceiver::new(ByteStream::from(bad), read)
            .recv()
            .await
            .unwrap_err();
        assert!(matches!(e, EventStreamError::Malformed(_)), "{e}");
    }

    fn futures_util_stream(
        chunks: Vec<Result<bytes::Bytes, ByteStreamError>>,
    ) -> impl futures_core::Stream<Item = Result<bytes::Bytes, ByteStreamError>> + Send + 'static
    {
        struct Chunks(std::vec::IntoIter<Result<bytes::Bytes, ByteStreamError>>);
        impl futures_core::Stream for Chunks {
            type Item = Result<bytes::Bytes, ByteStreamError>;
            fn poll_next(
                mut self: std::pin::Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Option<Self::Item>> {
                std::task::Poll::Ready(self.0.next())
            }
        }
        Chunks(chunks.into_iter())
    }
}
