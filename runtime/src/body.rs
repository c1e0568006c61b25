//! [`ByteStream`]: the body of a request or response as a stream of byte chunks.
//!
//! A `@streaming` blob payload (an upload or a download) is a `ByteStream`, and so is
//! every body the transport carries: in-memory bytes are one chunk that costs nothing
//! to pass along, while a file or any other stream is read a chunk at a time, so a
//! large body never has to be held whole.

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use std::fmt;
use std::io;
#[cfg(feature = "fs")]
use std::path::{Path, PathBuf};
use std::pin::Pin;
#[cfg(feature = "fs")]
use std::sync::Arc;
use std::sync::Mutex;
use std::task::{Context, Poll};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type DynStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// How much of a file is read at a time.
#[cfg(feature = "fs")]
const FILE_CHUNK: usize = 64 * 1024;

/// A body: bytes in memory, a file, or any stream of byte chunks.
///
/// Build one from bytes (`ByteStream::from(vec)`), a file (`ByteStream::from_path`,
/// with the `fs` feature) or a stream ([`ByteStream::from_stream`]). Read one
/// chunk by chunk with [`ByteStream::next`], whole with [`ByteStream::collect`], or
/// as a `tokio::io::AsyncRead` with [`ByteStream::into_async_read`].
pub struct ByteStream {
    inner: Inner,
}

enum Inner {
    /// In memory; empty once read.
    Bytes(Bytes),
    #[cfg(feature = "fs")]
    File(FileBody),
    /// The `Mutex` only makes the stream `Sync` without asking that of the caller's
    /// stream; it is never locked (`get_mut`).
    Stream {
        stream: Mutex<DynStream>,
        length: Option<u64>,
        read: u64,
    },
    /// A download watched for stalls.
    Download(Box<crate::stall::Download>),
    /// An upload that tells its attempt's watch when the connection takes a chunk.
    Upload(Box<crate::stall::Upload>),
    /// An input event stream: its events encoded (and signed) as they are sent.
    #[cfg(feature = "event-stream")]
    Events(Box<crate::event_stream::EventBody>),
}

#[cfg(feature = "fs")]
struct FileBody {
    path: Arc<PathBuf>,
    offset: u64,
    length: u64,
    read: u64,
    file: Option<tokio::fs::File>,
    buf: BytesMut,
}

/// A body that could not be read: a file or stream failed, or ended before (or ran
/// past) the length it announced.
#[derive(Debug)]
pub struct ByteStreamError {
    message: String,
    source: Option<BoxError>,
    stalled: bool,
}

impl ByteStreamError {
    pub(crate) fn new(message: impl Into<String>, source: Option<BoxError>) -> Self {
        ByteStreamError {
            message: message.into(),
            source,
            stalled: false,
        }
    }

    pub(crate) fn stalled(message: String) -> Self {
        ByteStreamError {
            stalled: true,
            ..ByteStreamError::new(message, None)
        }
    }

    /// Whether the body stopped making progress for longer than the stall timeout
    /// ([`TimeoutConfig::with_stall_timeout`](crate::TimeoutConfig::with_stall_timeout)).
    pub fn is_stall(&self) -> bool {
        self.stalled
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(s) = &self.source {
            write!(f, ": {s}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|s| &**s as &(dyn std::error::Error + 'static))
    }
}

impl From<ByteStreamError> for io::Error {
    fn from(e: ByteStreamError) -> Self {
        io::Error::other(e)
    }
}

impl ByteStream {
    /// An empty body.
    pub fn new() -> Self {
        ByteStream::from(Bytes::new())
    }

    /// A body of static bytes.
    pub fn from_static(bytes: &'static [u8]) -> Self {
        ByteStream::from(Bytes::from_static(bytes))
    }

    /// The whole file at `path`, read a chunk at a time as the body is sent. Its
    /// length is taken now, and sent as `Content-Length`; a file that then changes
    /// length fails the call rather than sending a body of another length.
    #[cfg(feature = "fs")]
    pub async fn from_path(path: impl AsRef<Path>) -> io::Result<ByteStream> {
        let path = path.as_ref();
        let meta = tokio::fs::metadata(path).await?;
        if !meta.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("`{}` is not a file", path.display()),
            ));
        }
        Ok(Self::file(path.to_path_buf(), 0, meta.len()))
    }

    /// `length` bytes of the file at `path` from `offset` (one part of a multipart
    /// upload). Fails when the file does not have them.
    #[cfg(feature = "fs")]
    pub async fn from_path_range(
        path: impl AsRef<Path>,
        offset: u64,
        length: u64,
    ) -> io::Result<ByteStream> {
        let path = path.as_ref();
        let meta = tokio::fs::metadata(path).await?;
        let end = offset.checked_add(length);
        if !meta.is_file() || !end.is_some_and(|end| end <= meta.len()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "`{}` has no {length} bytes from offset {offset} (it is {} bytes long)",
                    path.display(),
                    meta.len()
                ),
            ));
        }
        Ok(Self::file(path.to_path_buf(), offset, length))
    }

    #[cfg(feature = "fs")]
    fn file(path: PathBuf, offset: u64, length: u64) -> Self {
        ByteStream {
            inner: Inner::File(FileBody {
                path: Arc::new(path),
                offset,
                length,
                read: 0,
                file: None,
                buf: BytesMut::new(),
            }),
        }
    }

    /// A body read from `stream` as it yields chunks, of unknown length: it is sent
    /// with chunked transfer encoding (operations whose payload `@requiresLength`
    /// refuse it; use [`ByteStream::from_sized_stream`]).
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        Self::stream(stream, None)
    }

    /// A body read from `stream`, which yields exactly `length` bytes: sent with that
    /// `Content-Length`. A stream that yields another number of bytes fails the call.
    pub fn from_sized_stream<S, E>(stream: S, length: u64) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        Self::stream(stream, Some(length))
    }

    fn stream<S, E>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        ByteStream {
            inner: Inner::Stream {
                stream: Mutex::new(Box::pin(MapErr(Box::pin(stream)))),
                length,
                read: 0,
            },
        }
    }

    /// The length of what is left to read, when it is known.
    pub fn content_length(&self) -> Option<u64> {
        match &self.inner {
            Inner::Bytes(b) => Some(b.len() as u64),
            #[cfg(feature = "fs")]
            Inner::File(f) => Some(f.length - f.read),
            Inner::Stream { length, read, .. } => length.map(|l| l.saturating_sub(*read)),
            Inner::Download(d) => d.body().content_length(),
            Inner::Upload(u) => u.body().content_length(),
            #[cfg(feature = "event-stream")]
            Inner::Events(_) => None,
        }
    }

    #[cfg(feature = "event-stream")]
    pub(crate) fn events(body: crate::event_stream::EventBody) -> ByteStream {
        ByteStream {
            inner: Inner::Events(Box::new(body)),
        }
    }

    /// Whether this is an input event stream (sent as the events come, signed one by
    /// one).
    pub(crate) fn is_event_stream(&self) -> bool {
        #[cfg(feature = "event-stream")]
        if let Inner::Events(_) = &self.inner {
            return true;
        }
        false
    }

    /// An input event stream's messages are signed from here on, the first with
    /// the request's signature as the seed.
    #[cfg(feature = "event-stream")]
    pub(crate) fn sign_events(&mut self, signer: crate::event_stream::MessageSigner) {
        if let Inner::Events(e) = &mut self.inner {
            e.sign_with(signer);
        }
    }

    /// This body, failing when no byte of it arrives for `limit` while it is read;
    /// bytes in memory as they are.
    pub(crate) fn guard_download(self, limit: std::time::Duration) -> ByteStream {
        match self.inner {
            Inner::Bytes(_) => self,
            _ => ByteStream {
                inner: Inner::Download(Box::new(crate::stall::Download::new(self, limit))),
            },
        }
    }

    pub(crate) fn watched_upload(upload: crate::stall::Upload) -> ByteStream {
        ByteStream {
            inner: Inner::Upload(Box::new(upload)),
        }
    }

    /// The bytes, when the whole body is in memory.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            Inner::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The bytes of a body read in full by the call path (empty for any other).
    pub(crate) fn into_buffered(self) -> Bytes {
        match self.inner {
            Inner::Bytes(b) => b,
            _ => Bytes::new(),
        }
    }

    /// A second body with the same bytes, read from the start, when that can be had
    /// without reading this one: bytes in memory and files can, other streams cannot.
    /// (A retry sends the body again.)
    pub fn try_clone(&self) -> Option<ByteStream> {
        match &self.inner {
            Inner::Bytes(b) => Some(ByteStream::from(b.clone())),
            #[cfg(feature = "fs")]
            Inner::File(f) if f.read == 0 => {
                Some(Self::file(PathBuf::clone(&f.path), f.offset, f.length))
            }
            _ => None,
        }
    }

    /// The next chunk; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        std::future::poll_fn(|cx| self.poll_chunk(cx)).await
    }

    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> Result<Bytes, ByteStreamError> {
        if let Inner::Bytes(b) = &mut self.inner {
            return Ok(std::mem::take(b));
        }
        let mut first: Option<Bytes> = None;
        let mut rest = BytesMut::new();
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            match &first {
                None => first = Some(chunk),
                Some(f) => {
                    if rest.is_empty() {
                        rest.reserve(f.len() + chunk.len());
                        rest.extend_from_slice(f);
                    }
                    rest.extend_from_slice(&chunk);
                }
            }
        }
        Ok(if rest.is_empty() {
            first.unwrap_or_default()
        } else {
            rest.freeze()
        })
    }

    /// The body as a `tokio::io::AsyncRead` (to copy it into a file with
    /// `tokio::io::copy`, or to hand to a decoder).
    pub fn into_async_read(self) -> impl tokio::io::AsyncRead + Send + Sync + Unpin {
        Reader {
            stream: self,
            chunk: Bytes::new(),
        }
    }

    /// Polls for the next chunk.
    pub fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        match &mut self.inner {
            Inner::Bytes(b) => Poll::Ready(if b.is_empty() {
                None
            } else {
                Some(Ok(std::mem::take(b)))
            }),
            #[cfg(feature = "fs")]
            Inner::File(f) => f.poll_chunk(cx),
            Inner::Download(d) => d.poll_chunk(cx),
            Inner::Upload(u) => u.poll_chunk(cx),
            #[cfg(feature = "event-stream")]
            Inner::Events(e) => e.poll_chunk(cx),
            Inner::Stream {
                stream,
                length,
                read,
            } => {
                let Ok(stream) = stream.get_mut() else {
                    return Poll::Ready(Some(Err(ByteStreamError::new(
                        "the body stream panicked while it was read",
                        None,
                    ))));
                };
                match stream.as_mut().poll_next(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(Some(Ok(chunk))) => {
                        *read += chunk.len() as u64;
                        if let Some(l) = *length {
                            if *read > l {
                                return Poll::Ready(Some(Err(ByteStreamError::new(
                                    format!("the body stream yielded more than the {l} bytes it announced"),
                                    None,
                                ))));
                            }
                        }
                        Poll::Ready(Some(Ok(chunk)))
                    }
                    Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(ByteStreamError::new(
                        "the body stream failed",
                        Some(e),
                    )))),
                    Poll::Ready(None) => match *length {
                        Some(l) if *read < l => Poll::Ready(Some(Err(ByteStreamError::new(
                            format!(
                                "the body stream ended after {read} of the {l} bytes it announced"
                            ),
                            None,
                        )))),
                        _ => Poll::Ready(None),
                    },
                }
            }
        }
    }
}

#[cfg(feature = "fs")]
impl FileBody {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        use tokio::io::AsyncRead;
        if self.read == self.length {
            return Poll::Ready(None);
        }
        let fail = |what: &str, path: &Path, e: io::Error| {
            Poll::Ready(Some(Err(ByteStreamError::new(
                format!("{what} `{}`", path.display()),
                Some(Box::new(e)),
            ))))
        };
        if self.file.is_none() {
            // Opening is quick; the reads are what tokio moves off the runtime.
            let opened = std::fs::File::open(&*self.path).and_then(|mut f| {
                use std::io::Seek as _;
                f.seek(io::SeekFrom::Start(self.offset))?;
                Ok(f)
            });
            match opened {
                Ok(f) => self.file = Some(tokio::fs::File::from_std(f)),
                Err(e) => return fail("cannot open", &self.path, e),
            }
        }
        let Some(file) = self.file.as_mut() else {
            return Poll::Ready(None);
        };
        let want = usize::try_from(self.length - self.read)
            .unwrap_or(usize::MAX)
            .min(FILE_CHUNK);
        self.buf.resize(want, 0);
        let mut rb = tokio::io::ReadBuf::new(&mut self.buf[..]);
        match Pin::new(file).poll_read(cx, &mut rb) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => fail("cannot read", &self.path, e),
            Poll::Ready(Ok(())) => {
                let n = rb.filled().len();
                if n == 0 {
                    return Poll::Ready(Some(Err(ByteStreamError::new(
                        format!(
                            "`{}` ended after {} of the {} bytes it had when the body was made",
                            self.path.display(),
                            self.read,
                            self.length
                        ),
                        None,
                    ))));
                }
                self.buf.truncate(n);
                self.read += n as u64;
                Poll::Ready(Some(Ok(self.buf.split().freeze())))
            }
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, None)
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::new()
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.inner {
            Inner::Bytes(_) => "bytes",
            #[cfg(feature = "fs")]
            Inner::File(_) => "file",
            Inner::Stream { .. } | Inner::Download(_) | Inner::Upload(_) => "stream",
            #[cfg(feature = "event-stream")]
            Inner::Events(_) => "event stream",
        };
        f.debug_struct("ByteStream")
            .field("kind", &kind)
            .field("content_length", &self.content_length())
            .finish()
    }
}

impl From<Bytes> for ByteStream {
    fn from(b: Bytes) -> Self {
        ByteStream {
            inner: Inner::Bytes(b),
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(v: Vec<u8>) -> Self {
        ByteStream::from(Bytes::from(v))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(v: &'static [u8]) -> Self {
        ByteStream::from_static(v)
    }
}

impl From<String> for ByteStream {
    fn from(s: String) -> Self {
        ByteStream::from(Bytes::from(s))
    }
}

impl From<&'static str> for ByteStream {
    fn from(s: &'static str) -> Self {
        ByteStream::from_static(s.as_bytes())
    }
}

impl From<crate::types::Blob> for ByteStream {
    fn from(b: crate::types::Blob) -> Self {
        ByteStream::from(b.into_inner())
    }
}

/// A stream with its errors boxed (the stream is pinned in a box of its own, so this
/// wrapper is `Unpin` and needs no pin projection).
struct MapErr<S>(Pin<Box<S>>);

impl<S, E> Stream for MapErr<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut()
            .0
            .as_mut()
            .poll_next(cx)
            .map(|o| o.map(|r| r.map_err(Into::into)))
    }
}

/// [`ByteStream::into_async_read`].
struct Reader {
    stream: ByteStream,
    chunk: Bytes,
}

impl tokio::io::AsyncRead for Reader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        while this.chunk.is_empty() {
            match this.stream.poll_chunk(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Err(e.into())),
                Poll::Ready(Some(Ok(c))) => this.chunk = c,
            }
        }
        let n = this.chunk.len().min(buf.remaining());
        buf.put_slice(&this.chunk.split_to(n));
        Poll::Ready(Ok(()))
    }
}
