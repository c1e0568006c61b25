//! Stalled-stream protection: a body in flight that makes no progress for the
//! configured time fails the attempt instead of hanging the call.
//!
//! Two sides are watched, each only while it is the connection's turn:
//! - a download (a response body that is not in memory): no byte arrived for the
//!   whole time the reader waited for one;
//! - an upload (a request body that is not in memory): the connection took no chunk
//!   for that long after it took the last one, while the source had the next ready.
//!
//! The wait for a response's head is not watched, nor a slow source of an upload, nor
//! a reader that takes its time between chunks: a synchronous Lambda invocation may
//! answer after fifteen minutes, and none of these is the connection stalling.

use crate::body::{ByteStream, ByteStreamError};
use bytes::Bytes;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// A download that fails when no byte arrives for `limit` while it is read.
pub(crate) struct Download {
    body: ByteStream,
    limit: Duration,
    timer: Pin<Box<Sleep>>,
    /// The reader is waiting for a chunk, and `timer` runs for this wait.
    waiting: bool,
}

impl Download {
    /// Made where a tokio runtime with its timer is current (the call path).
    pub(crate) fn new(body: ByteStream, limit: Duration) -> Self {
        Download {
            body,
            limit,
            timer: Box::pin(tokio::time::sleep(limit)),
            waiting: false,
        }
    }

    pub(crate) fn body(&self) -> &ByteStream {
        &self.body
    }

    pub(crate) fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        if let Poll::Ready(chunk) = self.body.poll_chunk(cx) {
            self.waiting = false;
            return Poll::Ready(chunk);
        }
        if !self.waiting {
            self.waiting = true;
            self.timer.as_mut().reset(Instant::now() + self.limit);
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(()) => {
                // Once stalled, the body ends here: a later poll sees an empty body.
                self.body = ByteStream::new();
                self.waiting = false;
                Poll::Ready(Some(Err(ByteStreamError::stalled(format!(
                    "no byte of the response body arrived for {}",
                    seconds(self.limit)
                )))))
            }
        }
    }
}

/// Whose turn it is in an upload.
const NOT_STARTED: u8 = 0;
/// The connection holds the last chunk the source gave, and will ask for the next.
const CONNECTION: u8 = 1;
/// The source has not produced the next chunk yet.
const SOURCE: u8 = 2;
const DONE: u8 = 3;

/// What an upload's body tells the watch on its attempt.
pub(crate) struct Progress {
    start: Instant,
    /// When the connection last took a chunk, in nanoseconds after `start`.
    last: AtomicU64,
    turn: AtomicU8,
}

impl Progress {
    fn mark(&self, turn: u8) {
        if turn == CONNECTION {
            let at = Instant::now().saturating_duration_since(self.start);
            self.last.store(
                u64::try_from(at.as_nanos()).unwrap_or(u64::MAX),
                Ordering::Release,
            );
        }
        self.turn.store(turn, Ordering::Release);
    }

    /// Since when the connection has held its chunk without asking for the next, if it
    /// has one.
    fn connection_holds_since(&self) -> Option<Instant> {
        (self.turn.load(Ordering::Acquire) == CONNECTION)
            .then(|| self.start + Duration::from_nanos(self.last.load(Ordering::Acquire)))
    }
}

/// An upload that reports each chunk the connection takes to its [`Progress`].
pub(crate) struct Upload {
    body: ByteStream,
    progress: Arc<Progress>,
}

impl Upload {
    pub(crate) fn body(&self) -> &ByteStream {
        &self.body
    }

    pub(crate) fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        let polled = self.body.poll_chunk(cx);
        self.progress.mark(match &polled {
            Poll::Pending => SOURCE,
            Poll::Ready(Some(Ok(_))) => CONNECTION,
            Poll::Ready(_) => DONE,
        });
        polled
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        self.progress.mark(DONE);
    }
}

/// The upload `body` reporting to a new [`Progress`], which [`watch`] takes.
pub(crate) fn upload(body: ByteStream) -> (ByteStream, Arc<Progress>) {
    let progress = Arc::new(Progress {
        start: Instant::now(),
        last: AtomicU64::new(0),
        turn: AtomicU8::new(NOT_STARTED),
    });
    let body = ByteStream::watched_upload(Upload {
        body,
        progress: Arc::clone(&progress),
    });
    (body, progress)
}

/// Runs `exchange`, failing with the stall's message when the upload of `progress`
/// stalls for `limit` before `exchange` is done. The upload is read by the connection,
/// which may be another task: the watch looks at it at least once every `limit`.
pub(crate) async fn watch<T>(
    exchange: impl Future<Output = T>,
    progress: Arc<Progress>,
    limit: Duration,
) -> Result<T, String> {
    let mut exchange = std::pin::pin!(exchange);
    let mut timer = Box::pin(tokio::time::sleep(limit));
    std::future::poll_fn(|cx| {
        if let Poll::Ready(out) = exchange.as_mut().poll(cx) {
            return Poll::Ready(Ok(out));
        }
        while timer.as_mut().poll(cx).is_ready() {
            let now = Instant::now();
            let next = match progress.connection_holds_since() {
                Some(since) if now.saturating_duration_since(since) >= limit => {
                    return Poll::Ready(Err(format!(
                        "the connection took no byte of the request body for {}",
                        seconds(limit)
                    )));
                }
                Some(since) => since + limit,
                None => now + limit,
            };
            timer.as_mut().reset(next);
        }
        Poll::Pending
    })
    .await
}

/// `5 s`, `0.25 s`.
fn seconds(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_core::Stream;

    /// A stream that yields `first`, then waits forever.
    fn then_nothing(first: &'static [u8]) -> ByteStream {
        struct Once(Option<Bytes>);
        impl Stream for Once {
            type Item = Result<Bytes, std::io::Error>;
            fn poll_next(
                mut self: Pin<&mut Self>,
                _: &mut Context<'_>,
            ) -> Poll<Option<Self::Item>> {
                match self.0.take() {
                    Some(b) => Poll::Ready(Some(Ok(b))),
                    None => Poll::Pending,
                }
            }
        }
        ByteStream::from_stream(Once(Some(Bytes::from_static(first))))
    }

    #[tokio::test(start_paused = true)]
    async fn a_download_fails_when_nothing_arrives_for_the_limit() {
        let mut body = then_nothing(b"abc").guard_download(Duration::from_secs(5));
        assert_eq!(&body.next().await.unwrap().unwrap()[..], b"abc");
        // A reader busy for longer than the limit between chunks is not a stall.
        tokio::time::sleep(Duration::from_secs(60)).await;
        let started = Instant::now();
        let e = body.next().await.unwrap().unwrap_err();
        assert_eq!(started.elapsed(), Duration::from_secs(5));
        assert!(e.is_stall());
        assert_eq!(
            e.to_string(),
            "no byte of the response body arrived for 5 s"
        );
        assert!(body.next().await.is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn bytes_in_memory_are_not_watched() {
        let body = ByteStream::from_static(b"abc").guard_download(Duration::from_secs(1));
        assert!(body.bytes().is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn an_upload_stalls_only_while_the_connection_holds_a_chunk() {
        let limit = Duration::from_secs(5);
        // A connection that takes a chunk and never asks for the next one stalls,
        // counted from when it took the chunk (3 s of work before the take).
        let (mut body, progress) = upload(then_nothing(b"abc"));
        let stuck_connection = async {
            tokio::time::sleep(Duration::from_secs(3)).await;
            assert!(body.next().await.is_some());
            std::future::pending::<()>().await;
        };
        let started = Instant::now();
        let e = watch(stuck_connection, Arc::clone(&progress), limit)
            .await
            .unwrap_err();
        assert_eq!(started.elapsed(), Duration::from_secs(3) + limit);
        assert_eq!(e, "the connection took no byte of the request body for 5 s");

        // Once the connection asks again and the source has nothing yet, nothing is
        // stalled however long the source takes.
        let (mut body, progress) = upload(then_nothing(b"abc"));
        let waits_on_source = async {
            assert!(body.next().await.is_some());
            body.next().await;
        };
        let limited = tokio::time::timeout(
            Duration::from_secs(600),
            watch(waits_on_source, progress, limit),
        );
        assert!(limited.await.is_err(), "a slow source is no stall");
    }
}
