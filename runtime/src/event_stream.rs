//! Event streams (a `@streaming` union in an operation's input or output): the body is
//! a sequence of messages in the AWS event stream encoding (framing and checksums by
//! `aws-smithy-eventstream`).
//!
//! An output stream is read with an [`EventReceiver`]: each message an event of the
//! union, an exception (one of its `@error` members), or an error the model does not
//! describe. Generated code reads each message with the helpers here: the
//! `:message-type`, `:event-type` and `:exception-type` headers, event headers by type,
//! the payload.
//!
//! An input stream is an [`EventSender`]: the caller's events, each written as a
//! message as the connection takes it ([`MarshalEvent`], generated for the union) and,
//! under SigV4, wrapped in a message signed with the previous one's signature (the
//! first with the request's), the stream closed by a signed empty message, as
//! `aws-sigv4` signs them.

use crate::body::{ByteStream, ByteStreamError};
use crate::types::{Blob, DateTime};
use aws_smithy_eventstream::frame::{write_message_to, DecodedFrame, MessageFrameDecoder};
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::{Buf, Bytes, BytesMut};
use futures_core::Stream;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::SystemTime;

pub use aws_smithy_types::event_stream::{Header, HeaderValue, Message};

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

/// How an event of an input stream becomes a message: generated for each union an
/// input streams.
pub trait MarshalEvent {
    /// The event as a message: its `:message-type`, `:event-type` and (with a payload)
    /// `:content-type` headers (an exception's `:exception-type`), its `@eventHeader`
    /// members, its payload. An error when the event cannot be sent (the union's
    /// unknown variant).
    fn marshal(&self) -> Result<Message, String>;
}

type Messages = Pin<Box<dyn Stream<Item = Result<Message, String>> + Send>>;

/// The events of a request, sent as they come.
///
/// Build one from the events at hand (`EventSender::from(vec![...])`), from any
/// stream of them ([`EventSender::from_stream`]), or as a channel to send into while
/// the call runs ([`EventSender::channel`]). The stream ends when the source does (the
/// channel's last sender is dropped).
pub struct EventSender<T> {
    body: ByteStream,
    event: PhantomData<fn(T)>,
}

impl<T: MarshalEvent + Send + 'static> EventSender<T> {
    /// The events of `events`, each sent when the stream yields it.
    pub fn from_stream<S>(events: S) -> Self
    where
        S: Stream<Item = T> + Send + 'static,
    {
        let messages = Marshalled {
            events: Box::pin(events),
        };
        EventSender {
            body: ByteStream::events(EventBody::new(Box::pin(messages))),
            event: PhantomData,
        }
    }

    /// A stream fed through a channel: the events sent into the returned sender (at
    /// most `capacity` waiting) go out in order; dropping the last sender ends the
    /// stream.
    pub fn channel(capacity: usize) -> (Self, tokio::sync::mpsc::Sender<T>) {
        let (tx, rx) = tokio::sync::mpsc::channel(capacity.max(1));
        (EventSender::from_stream(Received(rx)), tx)
    }
}

impl<T: MarshalEvent + Send + 'static> From<Vec<T>> for EventSender<T> {
    fn from(events: Vec<T>) -> Self {
        EventSender::from_stream(Listed(events.into_iter()))
    }
}

impl<T> EventSender<T> {
    /// The request body the events are sent as (for the generated operation).
    #[doc(hidden)]
    pub fn body(&self) -> &ByteStream {
        &self.body
    }

    /// The request body the events are sent as (for the generated operation).
    #[doc(hidden)]
    pub fn into_body(self) -> ByteStream {
        self.body
    }
}

/// A stream of no events: the request's stream opens and closes.
impl<T> Default for EventSender<T> {
    fn default() -> Self {
        EventSender {
            body: ByteStream::events(EventBody::new(Box::pin(Listed(Vec::new().into_iter())))),
            event: PhantomData,
        }
    }
}

impl<T> fmt::Debug for EventSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSender").finish_non_exhaustive()
    }
}

// Inputs with a stream move between tasks.
const _: fn() = || {
    fn send<T: Send + Sync>() {}
    send::<EventSender<String>>();
};

/// The caller's events as messages.
struct Marshalled<T> {
    events: Pin<Box<dyn Stream<Item = T> + Send>>,
}

impl<T: MarshalEvent> Stream for Marshalled<T> {
    type Item = Result<Message, String>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.events
            .as_mut()
            .poll_next(cx)
            .map(|e| e.map(|e| e.marshal()))
    }
}

/// Items of a list, as a stream.
struct Listed<I>(I);

// Never pinned structurally: the iterator is only moved out of by `next`.
impl<I> Unpin for Listed<I> {}

impl<I: Iterator> Stream for Listed<I> {
    type Item = I::Item;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(self.0.next())
    }
}

/// What a channel receives, as a stream.
struct Received<T>(tokio::sync::mpsc::Receiver<T>);

impl<T> Stream for Received<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.0.poll_recv(cx)
    }
}

/// The body of a request with an input event stream: each message framed (and
/// signed, once the request is) as the connection asks for the next chunk.
pub(crate) struct EventBody {
    /// The `Mutex` only makes the body `Sync`; it is never locked (`get_mut`).
    messages: Mutex<Messages>,
    signer: Option<MessageSigner>,
    ended: bool,
}

impl EventBody {
    fn new(messages: Messages) -> Self {
        EventBody {
            messages: Mutex::new(messages),
            signer: None,
            ended: false,
        }
    }

    pub(crate) fn sign_with(&mut self, signer: MessageSigner) {
        self.signer = Some(signer);
    }

    pub(crate) fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let Ok(messages) = self.messages.get_mut() else {
            self.ended = true;
            return Poll::Ready(Some(Err(ByteStreamError::new(
                "the event stream panicked while it was read",
                None,
            ))));
        };
        let next = match messages.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(next) => next,
        };
        let framed = match next {
            Some(Ok(message)) => match &mut self.signer {
                Some(signer) => signer.sign(Some(&message)).and_then(|m| frame(&m)),
                None => frame(&message),
            },
            Some(Err(why)) => Err(format!("an event cannot be sent: {why}")),
            // The end: a signed stream closes with a signed empty message.
            None => {
                self.ended = true;
                match &mut self.signer {
                    Some(signer) => signer.sign(None).and_then(|m| frame(&m)),
                    None => return Poll::Ready(None),
                }
            }
        };
        if framed.is_err() {
            self.ended = true;
        }
        Poll::Ready(Some(framed.map_err(|e| ByteStreamError::new(e, None))))
    }
}

/// A message in the event stream encoding.
fn frame(message: &Message) -> Result<Bytes, String> {
    let mut out = Vec::with_capacity(message.payload().len() + 64);
    write_message_to(message, &mut out).map_err(|e| format!("an event cannot be encoded: {e}"))?;
    Ok(Bytes::from(out))
}

/// Signs the messages of one request's input stream, each with the signature of the
/// one before (the first with the request's).
pub(crate) struct MessageSigner {
    identity: Identity,
    region: String,
    name: String,
    last: String,
    /// How far the service's clock is ahead of ours, in milliseconds.
    skew_ms: i64,
}

impl MessageSigner {
    pub(crate) fn new(
        identity: Identity,
        region: &str,
        name: &str,
        seed: String,
        skew_ms: i64,
    ) -> Self {
        MessageSigner {
            identity,
            region: region.to_string(),
            name: name.to_string(),
            last: seed,
            skew_ms,
        }
    }

    /// `message` wrapped in a signed message; `None` signs the empty message that
    /// ends the stream.
    fn sign(&mut self, message: Option<&Message>) -> Result<Message, String> {
        let time = crate::sign::on_service_clock(SystemTime::now(), self.skew_ms);
        let (message, signature) = sign_in_chain(
            message,
            &self.last,
            &self.identity,
            &self.region,
            &self.name,
            time,
        )?;
        self.last = signature;
        Ok(message)
    }
}

/// `message` (or, with `None`, the empty message that closes a stream) signed at `time`
/// in the chain after the signature `prior`, with the request's credential scope: the
/// signed message and its signature.
fn sign_in_chain(
    message: Option<&Message>,
    prior: &str,
    identity: &Identity,
    region: &str,
    name: &str,
    time: SystemTime,
) -> Result<(Message, String), String> {
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(identity)
        .region(region)
        .name(name)
        .time(time)
        .settings(())
        .build()
        .map_err(|e| format!("an event cannot be signed: {e}"))?;
    let signed = match message {
        Some(m) => aws_sigv4::event_stream::sign_message(m, prior, &params),
        None => aws_sigv4::event_stream::sign_empty_message(prior, &params),
    }
    .map_err(|e| format!("an event cannot be signed: {e}"))?;
    Ok(signed.into_parts())
}

/// The events of a signed stream's `messages`, checked as a service checks them: each
/// message's `:chunk-signature` must be the one computed, at its `:date`, for the
/// message it wraps, chained from `seed` (the request's signature), and the stream
/// must close with a signed empty message. Panics at the first message that is not so.
#[cfg(any(test, feature = "test-util"))]
pub(crate) fn verify_chain(
    mut messages: Vec<Message>,
    seed: String,
    identity: &Identity,
    region: &str,
    name: &str,
) -> Vec<Message> {
    let closing = messages.pop().expect("a signed stream ends with a message");
    assert!(closing.payload().is_empty(), "the closing message is empty");
    let mut last = seed;
    let mut events = Vec::new();
    for (i, m) in messages.iter().chain(std::iter::once(&closing)).enumerate() {
        let HeaderValue::Timestamp(date) = find_header(m, ":date")
            .unwrap_or_else(|| panic!("signed message {i} has no `:date` header"))
        else {
            panic!("`:date` of message {i} is not a timestamp");
        };
        let HeaderValue::ByteArray(signature) = find_header(m, ":chunk-signature")
            .unwrap_or_else(|| panic!("signed message {i} has no `:chunk-signature` header"))
        else {
            panic!("`:chunk-signature` of message {i} is not bytes");
        };
        let inner = (i < messages.len()).then(|| {
            aws_smithy_eventstream::frame::read_message_from(m.payload().clone())
                .expect("the signed payload is a message")
        });
        let time = SystemTime::try_from(*date).expect("a time");
        let (_, expected) = sign_in_chain(inner.as_ref(), &last, identity, region, name, time)
            .expect("the message signs");
        assert_eq!(
            crate::checksum::hex(signature),
            expected,
            "the signature of message {i} (chained from the one before)"
        );
        last = expected;
        events.extend(inner);
    }
    events
}

/// The headers an event of the type `event_type` starts with: `:message-type: event`
/// and `:event-type`.
pub fn event_headers(event_type: &'static str) -> Vec<Header> {
    vec![
        Header::new(":message-type", HeaderValue::String("event".into())),
        Header::new(":event-type", HeaderValue::String(event_type.into())),
    ]
}

/// The headers an exception of the type `exception_type` starts with:
/// `:message-type: exception` and `:exception-type`.
pub fn exception_headers(exception_type: &'static str) -> Vec<Header> {
    vec![
        Header::new(":message-type", HeaderValue::String("exception".into())),
        Header::new(
            ":exception-type",
            HeaderValue::String(exception_type.into()),
        ),
    ]
}

/// The `:content-type` header of an event's payload.
pub fn content_type(content_type: &'static str) -> Header {
    Header::new(":content-type", HeaderValue::String(content_type.into()))
}

/// An event member's value as a header of its type.
pub trait ToHeader {
    /// The header value.
    fn to_header(&self) -> HeaderValue;
}

macro_rules! to_header {
    ($($t:ty => $variant:ident;)*) => {$(
        impl ToHeader for $t {
            fn to_header(&self) -> HeaderValue {
                HeaderValue::$variant(*self)
            }
        }
    )*};
}

to_header! {
    bool => Bool;
    i8 => Byte;
    i16 => Int16;
    i32 => Int32;
    i64 => Int64;
}

impl ToHeader for String {
    fn to_header(&self) -> HeaderValue {
        HeaderValue::String(self.clone().into())
    }
}

impl ToHeader for Blob {
    fn to_header(&self) -> HeaderValue {
        HeaderValue::ByteArray(Bytes::copy_from_slice(self.as_ref()))
    }
}

impl ToHeader for DateTime {
    fn to_header(&self) -> HeaderValue {
        // Milliseconds since the epoch on the wire.
        HeaderValue::Timestamp(aws_smithy_types::DateTime::from_millis(self.to_millis()))
    }
}

/// The header `name` of an `@eventHeader` member's value.
pub fn to_header(name: &'static str, value: &impl ToHeader) -> Header {
    Header::new(name, value.to_header())
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

    /// A test event: a string as a `text/plain` payload.
    struct Text(&'static str);

    impl MarshalEvent for Text {
        fn marshal(&self) -> Result<Message, String> {
            if self.0.is_empty() {
                return Err("an empty event".to_string());
            }
            let mut headers = event_headers("text");
            headers.push(content_type("text/plain"));
            Ok(Message::new_from_parts(headers, self.0.as_bytes().to_vec()))
        }
    }

    async fn frames(mut body: ByteStream) -> Vec<Result<Message, String>> {
        let mut out = Vec::new();
        while let Some(chunk) = body.next().await {
            out.push(
                chunk
                    .map_err(|e| e.to_string())
                    .map(|c| aws_smithy_eventstream::frame::read_message_from(c).unwrap()),
            );
        }
        out
    }

    /// Unsigned, each event is one message as its union marshals it, and the stream
    /// ends when the events do.
    #[tokio::test]
    async fn events_are_sent_as_messages() {
        let sender = EventSender::from(vec![Text("a"), Text("bc")]);
        let sent = frames(sender.into_body()).await;
        assert_eq!(sent.len(), 2);
        let m = sent[1].as_ref().unwrap();
        assert_eq!(&m.payload()[..], b"bc");
        assert_eq!(kind::<()>(m).unwrap(), Kind::Event("text"));
    }

    /// Signed, each message wraps an event with `:date` and a `:chunk-signature`
    /// chained from the seed, and a signed empty message closes the stream.
    #[tokio::test]
    async fn signed_events_chain_from_the_seed() {
        let identity: Identity =
            aws_credential_types::Credentials::new("AKID", "SECRET", None, None, "test").into();
        let (sender, tx) = EventSender::channel(4);
        let mut body = sender.into_body();
        body.sign_events(MessageSigner::new(
            identity.clone(),
            "us-west-2",
            "transcribe",
            "seed".to_string(),
            0,
        ));
        tx.send(Text("hello")).await.unwrap();
        tx.send(Text("world")).await.unwrap();
        drop(tx);
        let sent: Vec<Message> = frames(body).await.into_iter().map(Result::unwrap).collect();
        assert_eq!(sent.len(), 3, "two events and the closing message");
        let events = verify_chain(
            sent,
            "seed".to_string(),
            &identity,
            "us-west-2",
            "transcribe",
        );
        let payloads: Vec<&[u8]> = events.iter().map(|m| &m.payload()[..]).collect();
        assert_eq!(payloads, [&b"hello"[..], b"world"]);
    }

    /// An event that cannot be marshalled fails the body, and nothing follows it.
    #[tokio::test]
    async fn an_event_that_cannot_be_sent_fails_the_body() {
        let sender = EventSender::from(vec![Text("a"), Text(""), Text("b")]);
        let sent = frames(sender.into_body()).await;
        assert_eq!(sent.len(), 2);
        assert!(sent[1].as_ref().unwrap_err().contains("an empty event"));
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
