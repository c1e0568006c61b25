//! Endpoint discovery (`aws.api#clientEndpointDiscovery`): services such as Timestream
//! answer each account from a cell of their own, whose address an operation of the
//! service (`DescribeEndpoints`) gives. Operations marked
//! `aws.api#clientDiscoveredEndpoint` go to that address.
//!
//! As the AWS SDKs do it:
//! - operations that require discovery always use it, unless it is turned off
//!   ([`ConfigBuilder::endpoint_discovery`](crate::ConfigBuilder::endpoint_discovery),
//!   `AWS_ENABLE_ENDPOINT_DISCOVERY=false`, `endpoint_discovery_enabled = false`);
//!   operations for which it is optional use it only when it is turned on, and fall
//!   back to the regular endpoint when discovery fails;
//! - a configured endpoint URL (a local server, a proxy) turns it off;
//! - the discovered address is kept for the `CachePeriodInMinutes` the service gives,
//!   one entry per set of discovery identifiers (`aws.api#clientEndpointDiscoveryId`
//!   members), and one discovery call serves the calls that wait for it;
//! - the service's invalid-endpoint error evicts the address, so the next call
//!   discovers again.

use crate::client::{Handle, Target};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How an operation uses endpoint discovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Discovery {
    /// Not at all: the operation has no `aws.api#clientDiscoveredEndpoint`.
    None,
    /// `clientDiscoveredEndpoint(required: false)`: the regular endpoint serves too.
    Optional,
    /// `clientDiscoveredEndpoint(required: true)`: only a discovered endpoint serves.
    Required,
}

/// An endpoint the discovery operation gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveredEndpoint {
    /// The host (or URL) to send to.
    pub address: String,
    /// How long the address may be used, in minutes.
    pub cache_period_minutes: i64,
}

/// What the discovery operation is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveryRequest {
    /// The operation the endpoint is for.
    pub operation: &'static str,
    /// The call's discovery identifiers, by member name.
    pub identifiers: Vec<(&'static str, String)>,
}

/// The future of a discovery call.
pub type DiscoverFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<DiscoveredEndpoint>, BoxError>> + Send + 'a>>;

/// A service's endpoint discovery, as its generated client describes it.
#[derive(Debug)]
pub struct DiscoveryMeta {
    /// The discovery operation's name, for messages.
    pub operation: &'static str,
    /// The code of the error that says a discovered endpoint is no longer valid.
    pub invalid_endpoint_error: Option<&'static str>,
    /// Calls the discovery operation.
    pub discover: for<'a> fn(&'a Handle, DiscoveryRequest) -> DiscoverFuture<'a>,
}

/// Two services' discoveries are the same when they call the same operation and
/// know the same error (the function is generated from those).
impl PartialEq for DiscoveryMeta {
    fn eq(&self, other: &Self) -> bool {
        self.operation == other.operation
            && self.invalid_endpoint_error == other.invalid_endpoint_error
    }
}

impl Eq for DiscoveryMeta {}

/// The most addresses a client keeps (one per set of identifiers).
const MAX_ENTRIES: usize = 100;

type Key = Vec<(&'static str, String)>;
type Found = Result<Entry, Arc<str>>;
type Pending = Arc<tokio::sync::OnceCell<Found>>;

#[derive(Debug, Clone)]
struct Entry {
    /// The URL to send to, without a trailing `/`.
    url: String,
    expires: Instant,
}

/// A client's discovered endpoints.
#[derive(Debug, Default)]
pub(crate) struct DiscoveryCache {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    entries: HashMap<Key, Entry>,
    pending: HashMap<Key, Pending>,
}

impl DiscoveryCache {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // Nothing panics while the lock is held.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets the address of `identifiers`.
    pub(crate) fn evict(&self, identifiers: &[(&'static str, String)]) {
        self.state().entries.remove(identifiers);
    }

    /// The URL for a call of `operation` with the discovery identifiers `ids`: the
    /// cached one while it is fresh, else the first address the discovery operation
    /// gives (one call shared by every waiting caller).
    pub(crate) async fn url(
        &self,
        handle: &Handle,
        meta: &DiscoveryMeta,
        operation: &'static str,
        ids: &[(&'static str, String)],
    ) -> Result<String, Arc<str>> {
        let pending = {
            let mut state = self.state();
            if let Some(entry) = state.entries.get(ids) {
                if entry.expires > Instant::now() {
                    return Ok(entry.url.clone());
                }
            }
            state.pending.entry(ids.to_vec()).or_default().clone()
        };
        let key = ids.to_vec();
        let request = DiscoveryRequest {
            operation,
            identifiers: ids.to_vec(),
        };
        let found = pending
            .get_or_init(|| async {
                let endpoints = (meta.discover)(handle, request)
                    .await
                    .map_err(|e| Arc::<str>::from(chain(&*e)))?;
                let Some(first) = endpoints.into_iter().find(|e| !e.address.trim().is_empty())
                else {
                    return Err(Arc::from(format!("`{}` gave no endpoint", meta.operation)));
                };
                let address = first.address.trim().trim_end_matches('/');
                let url = if address.contains("://") {
                    address.to_string()
                } else {
                    format!("https://{address}")
                };
                // Negative periods keep nothing; absurd ones are capped at a day.
                let minutes = first.cache_period_minutes.clamp(0, 24 * 60) as u64;
                Ok(Entry {
                    url,
                    expires: Instant::now() + Duration::from_secs(minutes * 60),
                })
            })
            .await
            .clone();
        let mut state = self.state();
        if state
            .pending
            .get(&key)
            .is_some_and(|p| Arc::ptr_eq(p, &pending))
        {
            state.pending.remove(&key);
            if let Ok(entry) = &found {
                if state.entries.len() >= MAX_ENTRIES {
                    let now = Instant::now();
                    state.entries.retain(|_, e| e.expires > now);
                    if state.entries.len() >= MAX_ENTRIES {
                        state.entries.clear();
                    }
                }
                state.entries.insert(key, entry.clone());
            }
        }
        found.map(|e| e.url)
    }
}

/// An error with its causes, on one line.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    // A cause the text already shows (an `SdkError` prints its own) is not repeated.
    for c in crate::error::causes(e) {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
    }
    text
}

/// `base` with its URL replaced by `url`: the endpoint's headers and signing stay.
pub(crate) fn retarget(base: &Target, url: &str) -> Target {
    let mut t = Target::url(url);
    t.headers.clone_from(&base.headers);
    t.signing_name.clone_from(&base.signing_name);
    t.signing_region.clone_from(&base.signing_region);
    t
}
