//! Paginators: streams of pages and of items for operations with the `paginated`
//! trait, with `max_items` and exact resume tokens, and a guard against services
//! that send a token back again.
//!
//! What a token that comes back means:
//!
//! - **The token just sent, sent back** (CloudWatch Logs' `GetLogEvents` and other
//!   tailing operations answer the last page this way): the end of the listing. The
//!   page's items are handed out and the stream ends quietly, as the official SDKs do
//!   (`stop_on_duplicate_token`, on by default).
//! - **A token sent earlier** (a cycle), or **the starting token** coming back from the
//!   first page: the listing would repeat itself, so the stream ends with
//!   [`PaginationError::RepeatedToken`] before any item is handed out twice.
//! - With [`Paginator::stop_on_duplicate_token`]`(false)`, neither is checked: the
//!   paginator keeps sending the token it gets, to keep polling a stream that grows.

use crate::client::{Handle, Operation};
use crate::error::{BuildError, SdkError};
use crate::json::{Parser, Writer};
use crate::transport::BoxFuture;
use futures_core::Stream;
use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// How many of the tokens sent are remembered to find cycles.
const REMEMBERED_TOKENS: usize = 256;

/// What a generated crate says about a paginated operation.
pub trait Paginated: Operation {
    /// The token type: a string, or a map for services such as DynamoDB.
    type Token: Clone + PartialEq + Send + Sync + 'static;
    /// One item of a page (`()` when the operation models no items).
    type Item: Send + 'static;
    /// The input token currently set.
    fn input_token(input: &Self::Input) -> Option<Self::Token>;
    /// Sets (or clears) the input token.
    fn set_input_token(input: &mut Self::Input, token: Option<Self::Token>);
    /// Sets the page-size member, if the operation has one.
    fn set_page_size(input: &mut Self::Input, size: i64);
    /// The output token, `None` when absent or empty.
    fn output_token(output: &Self::Output) -> Option<Self::Token>;
    /// Takes the items out of a page, in a stable order.
    fn take_items(output: &mut Self::Output) -> Vec<Self::Item>;
    /// The token as JSON text.
    fn encode_token(token: &Self::Token) -> String;
    /// A token from its JSON text.
    fn decode_token(json: &str) -> Option<Self::Token>;
    /// A token given as the service sent it (string tokens only).
    fn raw_token(token: &str) -> Option<Self::Token>;
}

/// Why a paginator stopped with an error.
#[derive(Debug)]
#[non_exhaustive]
pub enum PaginationError<E> {
    /// A call failed.
    Call(SdkError<E>),
    /// The service sent back a token sent earlier in the listing (a cycle), or the
    /// starting token: the listing would repeat itself.
    RepeatedToken {
        /// The operation.
        operation: &'static str,
        /// The token, as JSON text.
        token: String,
    },
    /// The starting token is not one a paginator handed out, nor a valid service token.
    InvalidStartingToken {
        /// The operation.
        operation: &'static str,
        /// The token given.
        token: String,
    },
}

impl<E> PaginationError<E> {
    /// The call error, if a call failed.
    pub fn as_call_error(&self) -> Option<&SdkError<E>> {
        match self {
            PaginationError::Call(e) => Some(e),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for PaginationError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaginationError::Call(e) => e.fmt(f),
            PaginationError::RepeatedToken { operation, token } => write!(
                f,
                "{operation}: the service sent the pagination token {token} again; stopping so as not to list the same items twice (use `stop_on_duplicate_token(false)` to keep polling an API that repeats tokens on purpose)"
            ),
            PaginationError::InvalidStartingToken { operation, token } => {
                write!(f, "{operation}: `{token}` is not a valid starting token")
            }
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for PaginationError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PaginationError::Call(e) => Some(e),
            _ => None,
        }
    }
}

const RESUME_PREFIX: &str = "r1.";

/// Encodes a resume token: the token that fetches a page, and how many of its items
/// were already handed out.
fn encode_resume<O: Paginated>(token: Option<&O::Token>, skip: usize) -> String {
    let mut w = Writer::new();
    w.begin_object();
    w.key("t");
    match token {
        Some(t) => {
            let json = O::encode_token(t);
            w.string(&json);
        }
        None => w.null(),
    }
    w.key("s");
    w.i64(i64::try_from(skip).unwrap_or(i64::MAX));
    w.end_object();
    format!(
        "{RESUME_PREFIX}{}",
        base64_simd::URL_SAFE_NO_PAD.encode_to_string(w.finish())
    )
}

/// Decodes a resume token; a token without the prefix is taken as the service's own.
#[allow(clippy::type_complexity)]
fn decode_resume<O: Paginated>(s: &str) -> Option<(Option<O::Token>, usize)> {
    let Some(b64) = s.strip_prefix(RESUME_PREFIX) else {
        return O::raw_token(s).map(|t| (Some(t), 0));
    };
    let bytes = base64_simd::URL_SAFE_NO_PAD.decode_to_vec(b64).ok()?;
    let mut p = Parser::new(&bytes);
    let mut token = None;
    let mut skip = None;
    p.begin_object().ok()?;
    while let Some(k) = p.next_key().ok()? {
        match &*k {
            "t" => {
                if !p.null().ok()? {
                    token = Some(O::decode_token(&p.string().ok()?)?);
                }
            }
            "s" => skip = usize::try_from(p.i64().ok()?).ok(),
            _ => p.skip().ok()?,
        }
    }
    p.finish().ok()?;
    Some((token, skip?))
}

/// Configures and starts a pagination.
pub struct Paginator<O: Paginated> {
    handle: Handle,
    input: Result<O::Input, BuildError>,
    page_size: Option<i64>,
    max_items: Option<usize>,
    starting_token: Option<String>,
    guard: bool,
}

impl<O: Paginated> fmt::Debug for Paginator<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &O::NAME)
            .field("page_size", &self.page_size)
            .field("max_items", &self.max_items)
            .field("starting_token", &self.starting_token)
            .field("guard", &self.guard)
            .finish()
    }
}

impl<O> Paginator<O>
where
    O: Paginated + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    /// A paginator over `input` (or the error that building it gave).
    pub fn new(handle: Handle, input: Result<O::Input, BuildError>) -> Self {
        Paginator {
            handle,
            input,
            page_size: None,
            max_items: None,
            starting_token: None,
            guard: true,
        }
    }

    /// Sets the page-size member on every request.
    pub fn page_size(mut self, size: i64) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Stops the item stream after `n` items; [`Items::resume_token`] then tells where
    /// to continue.
    pub fn max_items(mut self, n: usize) -> Self {
        self.max_items = Some(n);
        self
    }

    /// Continues from a resume token that [`Items::resume_token`] gave, or from a
    /// token the service sent.
    pub fn starting_token(mut self, token: impl Into<String>) -> Self {
        self.starting_token = Some(token.into());
        self
    }

    /// With `true` (the default), the listing ends quietly when the service answers
    /// with the very token just sent, and ends with
    /// [`PaginationError::RepeatedToken`] when it sends a token sent earlier or the
    /// starting token back. With `false`, tokens are sent as they come, repeated or
    /// not: for tailing a stream that grows (the caller decides when to stop).
    pub fn stop_on_duplicate_token(mut self, stop: bool) -> Self {
        self.guard = stop;
        self
    }

    fn start(self) -> (Fetcher<O>, usize, Option<usize>) {
        let Paginator {
            handle,
            input,
            page_size,
            max_items,
            starting_token,
            guard,
        } = self;
        let mut failed = None;
        let mut skip = 0;
        let mut first = None;
        let input = match input {
            Ok(mut input) => {
                if let Some(size) = page_size {
                    O::set_page_size(&mut input, size);
                }
                first = O::input_token(&input);
                if let Some(tok) = &starting_token {
                    match decode_resume::<O>(tok) {
                        Some((t, s)) => {
                            first = t;
                            skip = s;
                        }
                        None => {
                            failed = Some(PaginationError::InvalidStartingToken {
                                operation: O::NAME,
                                token: tok.clone(),
                            })
                        }
                    }
                }
                Some(input)
            }
            Err(e) => {
                failed = Some(PaginationError::Call(SdkError::Construction {
                    operation: O::NAME,
                    source: Box::new(e),
                }));
                None
            }
        };
        (
            Fetcher {
                handle,
                input,
                from_caller: first.is_some(),
                next: Some(first),
                sent: VecDeque::new(),
                guard,
                in_flight: None,
                failed,
            },
            skip,
            max_items,
        )
    }

    /// The pages, as the service returns them (a starting token's skip count and
    /// `max_items` apply to [`Paginator::items`] only).
    pub fn pages(self) -> Pages<O> {
        let (fetcher, _, _) = self.start();
        Pages { fetcher }
    }

    /// The items of every page, in order.
    pub fn items(self) -> Items<O> {
        let (fetcher, skip, max_items) = self.start();
        Items {
            fetcher,
            buffer: Vec::new().into_iter(),
            page_token: None,
            index: 0,
            skip,
            max_items,
            yielded: 0,
            resume: None,
            done: false,
        }
    }
}

type InFlight<O> = (
    Option<<O as Paginated>::Token>,
    BoxFuture<'static, PageResult<O>>,
);
type PageResult<O> = Result<<O as Operation>::Output, SdkError<<O as Operation>::Error>>;

struct Fetcher<O: Paginated> {
    handle: Handle,
    input: Option<O::Input>,
    /// The token of the next request (`Some(None)`: the first page, no token); `None`
    /// once there are no more pages.
    next: Option<Option<O::Token>>,
    sent: VecDeque<O::Token>,
    /// Whether the token of the next request is the caller's (a starting token or one
    /// set on the input), not one the service sent.
    from_caller: bool,
    guard: bool,
    in_flight: Option<InFlight<O>>,
    failed: Option<PaginationError<O::Error>>,
}

type FetchItem<O> = Result<
    (Option<<O as Paginated>::Token>, <O as Operation>::Output),
    PaginationError<<O as Operation>::Error>,
>;

impl<O> Fetcher<O>
where
    O: Paginated + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<FetchItem<O>>> {
        if let Some(e) = self.failed.take() {
            self.next = None;
            return Poll::Ready(Some(Err(e)));
        }
        if self.in_flight.is_none() {
            let Some(token) = self.next.take() else {
                return Poll::Ready(None);
            };
            let Some(input) = self.input.as_ref() else {
                return Poll::Ready(None);
            };
            if let Some(t) = &token {
                if self.guard && self.sent.contains(t) {
                    return Poll::Ready(Some(Err(PaginationError::RepeatedToken {
                        operation: O::NAME,
                        token: O::encode_token(t),
                    })));
                }
                if self.sent.len() == REMEMBERED_TOKENS {
                    self.sent.pop_front();
                }
                self.sent.push_back(t.clone());
            }
            let mut request = input.clone();
            O::set_input_token(&mut request, token.clone());
            let handle = self.handle.clone();
            let fut: BoxFuture<'static, PageResult<O>> =
                Box::pin(async move { handle.invoke::<O>(&request).await });
            self.in_flight = Some((token, fut));
        }
        let Some((_, fut)) = self.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let result = match std::future::Future::poll(fut.as_mut(), cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(r) => r,
        };
        let token = self.in_flight.take().and_then(|(t, _)| t);
        match result {
            Err(e) => {
                self.next = None;
                Poll::Ready(Some(Err(PaginationError::Call(e))))
            }
            Ok(output) => {
                let next = O::output_token(&output);
                let from_caller = std::mem::replace(&mut self.from_caller, false);
                // The service answered with the very token it gave for this page: the
                // end of the listing. (The caller's token coming back is caught as a
                // repeat when it would be sent again.)
                let end = self.guard && !from_caller && next.is_some() && next == token;
                self.next = if end { None } else { next.map(Some) };
                Poll::Ready(Some(Ok((token, output))))
            }
        }
    }
}

/// A stream of pages.
pub struct Pages<O: Paginated> {
    fetcher: Fetcher<O>,
}

impl<O> Stream for Pages<O>
where
    O: Paginated + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    type Item = Result<O::Output, PaginationError<O::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.fetcher
            .poll_page(cx)
            .map(|r| r.map(|r| r.map(|(_, output)| output)))
    }
}

impl<O: Paginated> Unpin for Pages<O> {}

impl<O> Pages<O>
where
    O: Paginated + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    /// The next page, or `None` at the end: `while let Some(page) = pages.next().await`.
    pub async fn next(&mut self) -> Option<Result<O::Output, PaginationError<O::Error>>> {
        std::future::poll_fn(|cx| Stream::poll_next(Pin::new(&mut *self), cx)).await
    }

    /// Every page, into any collection of results (`Vec<Result<_, _>>`, or
    /// `Result<Vec<_>, _>` to stop at the first error).
    pub async fn collect<C>(mut self) -> C
    where
        C: FromIterator<Result<O::Output, PaginationError<O::Error>>>,
    {
        let mut all = Vec::new();
        while let Some(page) = self.next().await {
            all.push(page);
        }
        all.into_iter().collect()
    }
}

/// A stream of items across pages.
pub struct Items<O: Paginated> {
    fetcher: Fetcher<O>,
    buffer: std::vec::IntoIter<O::Item>,
    page_token: Option<O::Token>,
    index: usize,
    skip: usize,
    max_items: Option<usize>,
    yielded: usize,
    resume: Option<String>,
    done: bool,
}

impl<O: Paginated> Unpin for Items<O> {}

impl<O: Paginated> Items<O> {
    /// After the stream ended because `max_items` were handed out: the token that
    /// continues exactly after the last item, or `None` if the listing is complete.
    pub fn resume_token(&self) -> Option<&str> {
        self.resume.as_deref()
    }
}

impl<O> Items<O>
where
    O: Paginated + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    /// The next item, or `None` at the end: `while let Some(item) = items.next().await`.
    pub async fn next(&mut self) -> Option<Result<O::Item, PaginationError<O::Error>>> {
        std::future::poll_fn(|cx| Stream::poll_next(Pin::new(&mut *self), cx)).await
    }

    /// Every item, into any collection of results (`Vec<Result<_, _>>`, or
    /// `Result<Vec<_>, _>` to stop at the first error).
    pub async fn collect<C>(mut self) -> C
    where
        C: FromIterator<Result<O::Item, PaginationError<O::Error>>>,
    {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            let stop = item.is_err();
            all.push(item);
            if stop {
                break;
            }
        }
        all.into_iter().collect()
    }
}

impl<O> Stream for Items<O>
where
    O: Paginated + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    type Item = Result<O::Item, PaginationError<O::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if this.max_items.is_some_and(|max| this.yielded >= max) {
                this.done = true;
                this.resume = if this.buffer.len() > 0 {
                    Some(encode_resume::<O>(this.page_token.as_ref(), this.index))
                } else {
                    // Before any page: the starting token's skip count still stands.
                    this.fetcher
                        .next
                        .as_ref()
                        .map(|next| encode_resume::<O>(next.as_ref(), this.skip))
                };
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffer.next() {
                this.index += 1;
                this.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            match this.fetcher.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok((token, mut output)))) => {
                    let mut items = O::take_items(&mut output);
                    let skip = std::mem::take(&mut this.skip).min(items.len());
                    items.drain(..skip);
                    this.index = skip;
                    this.page_token = token;
                    this.buffer = items.into_iter();
                }
            }
        }
    }
}
