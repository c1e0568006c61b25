//! Waiters (`smithy.waiters#waitable`): an operation called again and again until its
//! result reaches the state a waiter names (a table exists, a cluster is active), as
//! <https://smithy.io/2.0/additional-specs/waiters.html> specifies.
//!
//! Each poll's result goes through the waiter's acceptors in order: the first that
//! matches decides (success, failure, or retry); an error none matches ends the wait
//! with that error; anything else is retried after a delay that grows from `minDelay`
//! to `maxDelay` with jitter, until the caller's longest wait. Outputs are matched by
//! JMESPath ([`crate::jmespath`]) over the output as a [`Document`] ([`ToDocument`],
//! generated for the types waiters read: member names as keys, enums as their
//! values, timestamps as epoch seconds, blobs as base64).

use crate::error::SdkError;
use crate::jmespath::Expr;
use crate::types::{Blob, DateTime, Document, Number};
use crate::{Handle, Operation};
use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

/// A value as waiters' JMESPath expressions see it.
pub trait ToDocument {
    /// The value as a document.
    fn to_document(&self) -> Document;
}

/// A map key as a document's object key: strings, and string enums by their values.
pub trait DocumentKey {
    /// The key.
    fn document_key(&self) -> String;
}

impl DocumentKey for String {
    fn document_key(&self) -> String {
        self.clone()
    }
}

/// An operation with no input or output.
impl ToDocument for () {
    fn to_document(&self) -> Document {
        Document::Null
    }
}

impl ToDocument for String {
    fn to_document(&self) -> Document {
        Document::String(self.clone())
    }
}

impl ToDocument for bool {
    fn to_document(&self) -> Document {
        Document::Bool(*self)
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToDocument for $t {
            fn to_document(&self) -> Document {
                Document::Number(Number::from(i64::from(*self)))
            }
        }
    )*};
}

integers!(i8, i16, i32, i64);

/// A float as JSON writes it: a number, or the strings `NaN`, `Infinity` and
/// `-Infinity`.
fn float(x: f64) -> Document {
    if x.is_nan() {
        Document::String("NaN".into())
    } else if x.is_infinite() {
        Document::String(if x > 0.0 { "Infinity" } else { "-Infinity" }.into())
    } else {
        Number::parse(&format!("{x:?}")).map_or(Document::Null, Document::Number)
    }
}

impl ToDocument for f32 {
    fn to_document(&self) -> Document {
        float(f64::from(*self))
    }
}

impl ToDocument for f64 {
    fn to_document(&self) -> Document {
        float(*self)
    }
}

impl ToDocument for Number {
    fn to_document(&self) -> Document {
        Document::Number(self.clone())
    }
}

impl ToDocument for Document {
    fn to_document(&self) -> Document {
        self.clone()
    }
}

impl ToDocument for Blob {
    fn to_document(&self) -> Document {
        Document::String(base64_simd::STANDARD.encode_to_string(self.as_ref()))
    }
}

impl ToDocument for DateTime {
    fn to_document(&self) -> Document {
        float(self.to_millis() as f64 / 1000.0)
    }
}

impl<T: ToDocument> ToDocument for Option<T> {
    fn to_document(&self) -> Document {
        self.as_ref().map_or(Document::Null, T::to_document)
    }
}

impl<T: ToDocument> ToDocument for Box<T> {
    fn to_document(&self) -> Document {
        (**self).to_document()
    }
}

impl<T: ToDocument> ToDocument for Vec<T> {
    fn to_document(&self) -> Document {
        Document::Array(self.iter().map(T::to_document).collect())
    }
}

impl<K: DocumentKey, V: ToDocument, S> ToDocument for HashMap<K, V, S> {
    fn to_document(&self) -> Document {
        Document::Object(
            self.iter()
                .map(|(k, v)| (k.document_key(), v.to_document()))
                .collect(),
        )
    }
}

/// Adds `value` to a structure's document under `name`, unless it is null (an unset
/// member is no key, as in JSON).
pub fn put(object: &mut HashMap<String, Document>, name: &str, value: &impl ToDocument) {
    let v = value.to_document();
    if !matches!(v, Document::Null) {
        object.insert(name.to_string(), v);
    }
}

/// What an acceptor decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The wait is over: the resource is in the state waited for.
    Success,
    /// The wait is over: the resource will never get there.
    Failure,
    /// Poll again.
    Retry,
}

/// How a path's value compares with the expected value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// A string equal to the expected value.
    StringEquals,
    /// A boolean equal to the expected `true` or `false`.
    BooleanEquals,
    /// A non-empty list of strings, each equal to the expected value.
    AllStringEquals,
    /// A list with a string equal to the expected value.
    AnyStringEquals,
}

/// What an acceptor looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matcher {
    /// A JMESPath over the output, on success.
    Output {
        /// The JMESPath expression.
        path: &'static str,
        /// The value compared with.
        expected: &'static str,
        /// How.
        comparator: Comparator,
    },
    /// A JMESPath over `{"input": ..., "output": ...}`, on success.
    InputOutput {
        /// The JMESPath expression.
        path: &'static str,
        /// The value compared with.
        expected: &'static str,
        /// How.
        comparator: Comparator,
    },
    /// Whether the operation succeeded (`true`) or failed (`false`).
    Success(bool),
    /// The service's error code.
    ErrorType(&'static str),
}

/// One acceptor of a waiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acceptor {
    /// What a match decides.
    pub state: State,
    /// What matches.
    pub matcher: Matcher,
}

/// A waiter of an operation, as the model defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiter {
    /// Its name (`TableExists`).
    pub name: &'static str,
    /// The shortest delay between polls, in seconds.
    pub min_delay: u64,
    /// The longest delay between polls, in seconds.
    pub max_delay: u64,
    /// Its acceptors, in order.
    pub acceptors: &'static [Acceptor],
}

/// The result of the poll that ended a wait in the failure state: the output (to read
/// why, a status reason, say) or the error that matched.
#[derive(Debug)]
pub enum LastPoll<O, E> {
    /// The operation's output.
    Output(Box<O>),
    /// The operation's error.
    Error(SdkError<E>),
}

/// Why a wait ended without success (`O` is the operation's output, `E` its error).
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// An acceptor in the failure state matched: the resource will not get there.
    Failure {
        /// The waiter.
        waiter: &'static str,
        /// The poll that matched.
        last: LastPoll<O, E>,
    },
    /// The longest wait passed before an acceptor decided.
    TimedOut {
        /// The waiter.
        waiter: &'static str,
        /// How many times the operation was called.
        attempts: u32,
        /// The longest wait the caller gave.
        max_wait: Duration,
    },
    /// The operation failed in a way no acceptor expects (or could not be called).
    Operation(SdkError<E>),
    /// The longest wait is not longer than the waiter's shortest delay.
    InvalidMaxWait {
        /// The waiter.
        waiter: &'static str,
        /// The longest wait the caller gave.
        max_wait: Duration,
        /// The waiter's shortest delay.
        min_delay: Duration,
    },
}

impl<O, E: std::error::Error + 'static> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Failure { waiter, last } => {
                write!(f, "the waiter `{waiter}` reached its failure state")?;
                if let LastPoll::Error(e) = last {
                    write!(f, ": {e}")?;
                }
                Ok(())
            }
            WaiterError::TimedOut {
                waiter,
                attempts,
                max_wait,
            } => write!(
                f,
                "the waiter `{waiter}` gave up after {attempts} attempt(s): the longest wait, {max_wait:?}, has passed"
            ),
            WaiterError::Operation(e) => write!(f, "the operation failed while waiting: {e}"),
            WaiterError::InvalidMaxWait {
                waiter,
                max_wait,
                min_delay,
            } => write!(
                f,
                "the longest wait for `{waiter}`, {max_wait:?}, must be longer than its shortest delay, {min_delay:?}"
            ),
        }
    }
}

/// An error of the operation: the wait ends with it (`?` on a call's result).
impl<O, E> From<SdkError<E>> for WaiterError<O, E> {
    fn from(e: SdkError<E>) -> Self {
        WaiterError::Operation(e)
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaiterError::Failure {
                last: LastPoll::Error(e),
                ..
            }
            | WaiterError::Operation(e) => Some(e),
            _ => None,
        }
    }
}

fn compare(value: &Document, expected: &str, comparator: Comparator) -> bool {
    let is = |d: &Document| matches!(d, Document::String(s) if s == expected);
    match comparator {
        Comparator::StringEquals => is(value),
        Comparator::BooleanEquals => {
            matches!(value, Document::Bool(b) if b.to_string() == expected)
        }
        Comparator::AllStringEquals => {
            matches!(value, Document::Array(a) if !a.is_empty() && a.iter().all(is))
        }
        Comparator::AnyStringEquals => matches!(value, Document::Array(a) if a.iter().any(is)),
    }
}

/// Whether `path` of `doc` compares as expected (a path that does not parse, which
/// the generator rules out, matches nothing).
fn path_matches(path: &str, expected: &str, comparator: Comparator, doc: &Document) -> bool {
    Expr::parse(path).is_ok_and(|e| compare(&e.search(doc), expected, comparator))
}

/// The state the first matching acceptor gives `result`, if one matches.
fn decide<I: ToDocument, O: ToDocument, E>(
    acceptors: &[Acceptor],
    input: &I,
    result: &Result<O, SdkError<E>>,
) -> Option<State> {
    let mut output_doc = None;
    for a in acceptors {
        let matched = match (&a.matcher, result) {
            (Matcher::Success(want), r) => *want == r.is_ok(),
            (Matcher::ErrorType(code), Err(SdkError::Service { meta, .. })) => {
                meta.code() == Some(code)
            }
            (Matcher::ErrorType(_), Err(_)) => false,
            (Matcher::ErrorType(_), Ok(_)) => false,
            (
                Matcher::Output {
                    path,
                    expected,
                    comparator,
                },
                Ok(out),
            ) => {
                let doc = output_doc.get_or_insert_with(|| out.to_document());
                path_matches(path, expected, *comparator, doc)
            }
            (
                Matcher::InputOutput {
                    path,
                    expected,
                    comparator,
                },
                Ok(out),
            ) => {
                let doc = Document::Object(HashMap::from([
                    ("input".to_string(), input.to_document()),
                    (
                        "output".to_string(),
                        output_doc.get_or_insert_with(|| out.to_document()).clone(),
                    ),
                ]));
                path_matches(path, expected, *comparator, &doc)
            }
            (Matcher::Output { .. } | Matcher::InputOutput { .. }, Err(_)) => false,
        };
        if matched {
            return Some(a.state);
        }
    }
    None
}

/// The delay before poll `attempt + 1` (Smithy's waiter retries: doubling from the
/// shortest delay, with jitter, capped at the longest), or `None` when too little of
/// the longest wait is left for another poll.
fn delay(min: f64, max: f64, attempt: u32, remaining: f64, jitter: f64) -> Option<f64> {
    if remaining <= min {
        return None;
    }
    let ceiling = ((max / min).ln() / std::f64::consts::LN_2 + 1.0).floor();
    let top = if f64::from(attempt) > ceiling {
        max
    } else {
        (min * 2f64.powi(attempt.saturating_sub(1).min(62) as i32)).min(max)
    };
    let d = min + jitter * (top - min);
    // The last poll comes before the time is up.
    Some(if remaining - d <= min {
        remaining - min
    } else {
        d
    })
}

/// Calls `O` with `input` until the waiter decides, for at most `max_wait`: the last
/// output on success (`None` when success was an expected error).
pub async fn wait<O: Operation>(
    handle: &Handle,
    input: &O::Input,
    waiter: &Waiter,
    max_wait: Duration,
) -> Result<Option<O::Output>, WaiterError<O::Output, O::Error>>
where
    O::Input: ToDocument,
    O::Output: ToDocument,
{
    let min = Duration::from_secs(waiter.min_delay);
    if max_wait <= min {
        return Err(WaiterError::InvalidMaxWait {
            waiter: waiter.name,
            max_wait,
            min_delay: min,
        });
    }
    let start = tokio::time::Instant::now();
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let result = handle.invoke::<O>(input).await;
        match decide(waiter.acceptors, input, &result) {
            Some(State::Success) => return Ok(result.ok()),
            Some(State::Failure) => {
                return Err(WaiterError::Failure {
                    waiter: waiter.name,
                    last: match result {
                        Ok(output) => LastPoll::Output(Box::new(output)),
                        Err(e) => LastPoll::Error(e),
                    },
                })
            }
            Some(State::Retry) => {}
            None => {
                if let Err(e) = result {
                    return Err(WaiterError::Operation(e));
                }
            }
        }
        let remaining = max_wait.saturating_sub(start.elapsed()).as_secs_f64();
        let Some(d) = delay(
            waiter.min_delay as f64,
            waiter.max_delay.max(waiter.min_delay) as f64,
            attempt,
            remaining,
            fastrand::f64(),
        ) else {
            return Err(WaiterError::TimedOut {
                waiter: waiter.name,
                attempts: attempt,
                max_wait,
            });
        };
        tokio::time::sleep(Duration::from_secs_f64(d.max(0.0))).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparators_follow_the_specification() {
        let s = |x: &str| Document::String(x.into());
        let list = |xs: &[&str]| Document::Array(xs.iter().map(|x| s(x)).collect());
        assert!(compare(&s("ACTIVE"), "ACTIVE", Comparator::StringEquals));
        assert!(!compare(
            &list(&["ACTIVE"]),
            "ACTIVE",
            Comparator::StringEquals
        ));
        assert!(compare(
            &Document::Bool(true),
            "true",
            Comparator::BooleanEquals
        ));
        assert!(!compare(&s("true"), "true", Comparator::BooleanEquals));
        assert!(compare(
            &list(&["A", "A"]),
            "A",
            Comparator::AllStringEquals
        ));
        assert!(
            !compare(&list(&[]), "A", Comparator::AllStringEquals),
            "empty"
        );
        assert!(!compare(
            &list(&["A", "B"]),
            "A",
            Comparator::AllStringEquals
        ));
        assert!(compare(
            &list(&["B", "A"]),
            "A",
            Comparator::AnyStringEquals
        ));
        assert!(!compare(&list(&[]), "A", Comparator::AnyStringEquals));
    }

    /// Delays double from the shortest, jittered between it and the cap, reach the
    /// longest, and leave room for a last poll before the time is up.
    #[test]
    fn delays_grow_and_fit_the_longest_wait() {
        // No jitter: the top of each range.
        let top = |attempt| delay(2.0, 120.0, attempt, 10_000.0, 1.0).unwrap();
        assert_eq!(
            [top(1), top(2), top(3), top(6), top(7), top(40)],
            [2.0, 4.0, 8.0, 64.0, 120.0, 120.0]
        );
        // Full jitter down: the shortest delay.
        assert_eq!(delay(2.0, 120.0, 5, 10_000.0, 0.0), Some(2.0));
        // 10 s left: a 32 s delay shrinks to leave the shortest delay for a last poll.
        assert_eq!(delay(2.0, 120.0, 5, 10.0, 1.0), Some(8.0));
        assert_eq!(
            delay(2.0, 120.0, 5, 2.0, 1.0),
            None,
            "no time for another poll"
        );
        assert!(delay(1.0, 1.0, u32::MAX, 100.0, 0.5).is_some_and(|d| d == 1.0));
    }

    #[test]
    fn acceptors_decide_in_order() {
        type R = Result<Document, SdkError<std::io::Error>>;
        const ACCEPTORS: &[Acceptor] = &[
            Acceptor {
                state: State::Success,
                matcher: Matcher::Output {
                    path: "Table.Status",
                    expected: "ACTIVE",
                    comparator: Comparator::StringEquals,
                },
            },
            Acceptor {
                state: State::Failure,
                matcher: Matcher::InputOutput {
                    path: "input.Name == output.Table.Name && output.Table.Status == 'FAILED'",
                    expected: "true",
                    comparator: Comparator::BooleanEquals,
                },
            },
            Acceptor {
                state: State::Retry,
                matcher: Matcher::ErrorType("ResourceNotFoundException"),
            },
        ];
        let input = crate::json::Parser::new(br#"{"Name":"t"}"#)
            .document()
            .unwrap();
        let out = |status: &str| -> R {
            Ok(crate::json::Parser::new(
                format!(r#"{{"Table":{{"Name":"t","Status":"{status}"}}}}"#).as_bytes(),
            )
            .document()
            .unwrap())
        };
        assert_eq!(
            decide(ACCEPTORS, &input, &out("ACTIVE")),
            Some(State::Success)
        );
        assert_eq!(
            decide(ACCEPTORS, &input, &out("FAILED")),
            Some(State::Failure)
        );
        assert_eq!(decide(ACCEPTORS, &input, &out("CREATING")), None);
        let service = |code: &str| -> R {
            Err(SdkError::Service {
                operation: "DescribeTable",
                error: std::io::Error::other("x"),
                meta: crate::error::ErrorMetadata::new(Some(code.into()), None, 400, None),
            })
        };
        assert_eq!(
            decide(ACCEPTORS, &input, &service("ResourceNotFoundException")),
            Some(State::Retry)
        );
        assert_eq!(decide(ACCEPTORS, &input, &service("AccessDenied")), None);
    }
}
