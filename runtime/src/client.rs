//! The call path shared by every generated operation: serialize, sign, send, retry,
//! then parse the response or the error.

use crate::body::ByteStream;
use crate::config::Config;
use crate::error::{ErrorMetadata, SdkError, TransportError, TransportErrorKind};
use crate::json::{JsonError, Parser};
use crate::transport::Transport;
use bytes::Bytes;
use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// What a generated crate says about its service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceMeta {
    /// The service shape's name.
    pub name: &'static str,
    /// The SigV4 signing name.
    pub signing_name: &'static str,
    /// The endpoint prefix of the regional endpoint.
    pub endpoint_prefix: &'static str,
    /// Whether the service is `@awsQueryCompatible`.
    pub query_compatible: bool,
    /// The suffix of the service-specific `AWS_ENDPOINT_URL_<SERVICE>` variable.
    pub env_name: &'static str,
    /// The model's `smithy.rules#endpointRuleSet`, when it has one, in the compact
    /// form the generator writes ([`RuleSet::to_compact`](crate::endpoint::RuleSet),
    /// read with [`RuleSet::from_compact`](crate::endpoint::RuleSet::from_compact)).
    pub endpoint_rules: Option<&'static str>,
    /// The service's endpoint discovery (`aws.api#clientEndpointDiscovery`), when it
    /// has one.
    pub endpoint_discovery: Option<&'static crate::discovery::DiscoveryMeta>,
}

/// An authentication scheme an operation accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthScheme {
    /// AWS Signature Version 4 (`aws.auth#sigv4`), with the configured credentials.
    SigV4,
    /// `Authorization: Bearer <token>` (`smithy.api#httpBearerAuth`), with the
    /// configured token.
    Bearer,
}

/// The credentials or token a request is authenticated with.
enum Auth {
    SigV4(aws_smithy_runtime_api::client::identity::Identity),
    Bearer(String),
}

/// What one call needs besides its body: where it goes and how it is authenticated.
struct CallParts<'a> {
    host_prefix: Option<&'a str>,
    /// Whether the body must have a known length (`@requiresLength`).
    requires_length: bool,
    /// Whether the payload is left out of the signature (`UNSIGNED-PAYLOAD`).
    unsigned_payload: bool,
    content_encoding: Option<&'a str>,
    target: &'a Target,
    auth: &'static [AuthScheme],
    optional_auth: bool,
}

/// Where one request goes and how it is signed: from the endpoint rules, an
/// operation's own endpoint, or the configured endpoint URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The URL, without a trailing `/`.
    pub url: String,
    /// Headers the endpoint asks for.
    pub headers: Vec<(String, String)>,
    /// The signing name, when the endpoint's auth scheme overrides the service's.
    pub signing_name: Option<String>,
    /// The signing region, when the endpoint's auth scheme overrides the configured one.
    pub signing_region: Option<String>,
    /// `url` with the path `/`, where every awsJson request goes, parsed once, and
    /// its `Host` header.
    root: Option<(http::Uri, http::HeaderValue)>,
}

impl Target {
    pub(crate) fn url(url: &str) -> Self {
        let url = url.trim_end_matches('/').to_string();
        Target {
            root: http::Uri::try_from(format!("{url}/")).ok().and_then(|uri| {
                let host = http::HeaderValue::from_str(uri.authority()?.as_str()).ok()?;
                Some((uri, host))
            }),
            url,
            headers: Vec::new(),
            signing_name: None,
            signing_region: None,
        }
    }

    fn from_endpoint(e: crate::endpoint::Endpoint) -> Self {
        let mut t = Target::url(&e.url);
        // The first SigV4 auth scheme says how to sign.
        if let Some(crate::types::Document::Array(schemes)) = e.property("authSchemes") {
            let sigv4 = schemes.iter().find_map(|s| match s {
                crate::types::Document::Object(o)
                    if matches!(o.get("name"), Some(crate::types::Document::String(n)) if n == "sigv4") =>
                {
                    Some(o)
                }
                _ => None,
            });
            if let Some(o) = sigv4 {
                if let Some(crate::types::Document::String(n)) = o.get("signingName") {
                    t.signing_name = Some(n.clone());
                }
                if let Some(crate::types::Document::String(r)) = o.get("signingRegion") {
                    t.signing_region = Some(r.clone());
                }
            }
        }
        for (k, vs) in e.headers {
            for v in vs {
                t.headers.push((k.clone(), v));
            }
        }
        t
    }
}

/// One operation, as the generated crate describes it to the call path.
pub trait Operation {
    /// The input.
    type Input: Send + Sync;
    /// The output.
    type Output;
    /// The operation's error enum.
    type Error;
    /// The operation's name on the wire.
    const NAME: &'static str;
    /// Error codes the model marks `@retryable`.
    const RETRYABLE: &'static [&'static str] = &[];
    /// Serializes the input to an HTTP request, as the protocol says: method, the path
    /// and query (relative to the endpoint), the protocol's headers and the body.
    fn serialize(input: &Self::Input) -> Result<http::Request<Bytes>, crate::error::BuildError>;
    /// Parses a successful response: status, headers and body, as the protocol says.
    fn parse(response: &http::Response<Bytes>) -> Result<Self::Output, JsonError>;
    /// Turns an error response into the operation's error.
    fn parse_error(meta: ErrorMetadata, response: &http::Response<Bytes>) -> Self::Error;
    /// The input's `@streaming` blob payload, when it has one.
    fn payload(_input: &Self::Input) -> Option<&ByteStream> {
        None
    }
    /// Moves the input's `@streaming` blob payload out of it (leaving it empty).
    fn take_payload(_input: &mut Self::Input) -> Option<ByteStream> {
        None
    }
    /// Whether the output has a `@streaming` blob payload: a successful response is
    /// handed to [`Operation::parse_streaming`] as soon as its head has arrived, and
    /// its body is read by the caller.
    const STREAMING_OUTPUT: bool = false;
    /// Parses a successful response whose body is the output's streaming payload.
    fn parse_streaming(_response: http::Response<ByteStream>) -> Result<Self::Output, JsonError> {
        Err(JsonError::new(0, "the operation has no streaming output"))
    }
    /// Whether the streaming input payload must have a known length
    /// (`@requiresLength`): a stream of unknown length is refused before sending.
    const REQUIRES_LENGTH: bool = false;
    /// Whether the payload is left out of the SigV4 signature
    /// (`aws.auth#unsignedPayload`). Streams that cannot be read twice are always left
    /// out (`UNSIGNED-PAYLOAD`).
    const UNSIGNED_PAYLOAD: bool = false;
    /// Whether the request carries the payload's SHA-256 and SHA-256 tree hash
    /// (`X-Amz-Content-Sha256`, `X-Amz-Sha256-Tree-Hash`), as Glacier's uploads do.
    /// The payload is read once for them (bytes or a file: a one-shot stream is
    /// refused), and the signature covers the computed SHA-256.
    const TREE_HASH: bool = false;
    /// Whether the operation has `@httpChecksumRequired`: the body's MD5 goes in
    /// `Content-MD5` (with the `checksum-md5` feature).
    const CHECKSUM_REQUIRED: bool = false;
    /// Whether the operation has `@requestCompression` with gzip: bodies from the
    /// configured minimum size are sent gzipped (with the `compression` feature).
    const REQUEST_COMPRESSION: bool = false;
    /// The authentication schemes the operation accepts, in order of preference; empty
    /// for an operation that is sent unauthenticated (`@auth([])`).
    const AUTH: &'static [AuthScheme] = &[AuthScheme::SigV4];
    /// Whether the operation may be sent unauthenticated when none of its schemes can
    /// be used (`@optionalAuth`): no credentials configured.
    const OPTIONAL_AUTH: bool = false;
    /// Whether [`Operation::endpoint_params`] adds parameters of its own (static or
    /// from the input), so the endpoint is resolved for each call rather than once.
    const ENDPOINT_PARAMS: bool = false;
    /// Adds the operation's endpoint parameters (`staticContextParams` and
    /// `contextParam` members) to those of the client.
    fn endpoint_params(_input: &Self::Input, _params: &mut crate::endpoint::Params) {}
    /// An endpoint the operation takes from its input (a service customization), which
    /// wins over every other.
    fn endpoint_override(_input: &Self::Input) -> Option<&str> {
        None
    }
    /// How the operation uses endpoint discovery (`aws.api#clientDiscoveredEndpoint`).
    const DISCOVERY: crate::discovery::Discovery = crate::discovery::Discovery::None;
    /// The input's endpoint discovery identifiers (`aws.api#clientEndpointDiscoveryId`
    /// members that are set), by member name.
    fn discovery_ids(_input: &Self::Input) -> Vec<(&'static str, String)> {
        Vec::new()
    }
    /// The prefix the operation's `@endpoint(hostPrefix)` puts before the host.
    fn host_prefix(_input: &Self::Input) -> Result<Option<String>, crate::error::BuildError> {
        Ok(None)
    }
}

/// `Content-MD5`: the base64 MD5 of a body (`@httpChecksumRequired`; the
/// `checksum-md5` feature, which generated crates turn on when an operation asks).
#[cfg(feature = "checksum-md5")]
fn content_md5(body: &[u8]) -> Option<http::HeaderValue> {
    use md5::Digest as _;
    let digest = md5::Md5::digest(body);
    http::HeaderValue::from_str(&base64_simd::STANDARD.encode_to_string(digest)).ok()
}

#[cfg(not(feature = "checksum-md5"))]
fn content_md5(_body: &[u8]) -> Option<http::HeaderValue> {
    None
}

/// Gzips a request body (`@requestCompression`; the `compression` feature, which
/// generated crates turn on when an operation asks).
#[cfg(feature = "compression")]
fn gzip(body: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 2),
        flate2::Compression::default(),
    );
    encoder.write_all(body)?;
    encoder.finish()
}

/// Checks a `@hostLabel` value: it becomes part of a host name, so it must be a
/// non-empty run of letters, digits, `-` and `.`.
pub fn host_label<'a>(
    shape: &'static str,
    member: &'static str,
    value: Option<&'a str>,
) -> Result<&'a str, crate::error::BuildError> {
    match value {
        None => Err(crate::error::BuildError::missing(shape, member)),
        Some(v)
            if !v.is_empty()
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') =>
        {
            Ok(v)
        }
        Some(v) => Err(crate::error::BuildError::invalid(
            shape,
            member,
            format!("`{v}` cannot be part of a host name (letters, digits, `-` and `.` only)"),
        )),
    }
}

struct Inner {
    config: Config,
    meta: &'static ServiceMeta,
    transport: Option<Arc<dyn Transport>>,
    /// The endpoint without rules: the configured URL, or the regional default.
    endpoint: Option<String>,
    /// The endpoint rules, parsed once (or why they could not be).
    rules: Option<Result<crate::endpoint::RuleSet, String>>,
    /// The endpoint of operations without parameters of their own, resolved once.
    resolved: std::sync::OnceLock<Result<Target, String>>,
    /// How far the service's clock is ahead of ours, in milliseconds (behind when
    /// negative), as the last response's `Date` header told: requests are signed at
    /// our time plus this.
    clock_skew_ms: AtomicI64,
    /// The tokens the client's retries draw on.
    retry_quota: RetryQuota,
    /// The client-side rate limiter of the adaptive retry mode.
    rate_limiter: Option<crate::rate_limit::RateLimiter>,
    /// The endpoints endpoint discovery found.
    discovered: crate::discovery::DiscoveryCache,
    /// `amz-sdk-request` of a first attempt, made once: its clones share the bytes.
    first_attempt: Option<http::HeaderValue>,
}

/// The retry quota of the standard retry mode (see [`RetryConfig`](crate::RetryConfig)):
/// a bucket of tokens the retries of a client draw on.
struct RetryQuota {
    tokens: AtomicU32,
}

/// Why an attempt is retried, which sets what the retry costs and how long it waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RetryKind {
    /// The service asked for less: 5 tokens, waits from 1 s.
    Throttled,
    /// Anything else retryable (a 5xx, a transient code, a broken connection, a clock
    /// that was off): 14 tokens, waits from 50 ms.
    Transient,
}

impl RetryKind {
    fn cost(self) -> u32 {
        match self {
            RetryKind::Throttled => 5,
            RetryKind::Transient => 14,
        }
    }
}

impl RetryQuota {
    const CAPACITY: u32 = 500;

    fn new() -> Self {
        RetryQuota {
            tokens: AtomicU32::new(Self::CAPACITY),
        }
    }

    /// Takes `cost` tokens for a retry, or none if there are not that many.
    fn acquire(&self, cost: u32) -> bool {
        self.tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                t.checked_sub(cost)
            })
            .is_ok()
    }

    /// A call succeeded: it gives back the tokens of its last retry (`held`), or adds
    /// one if it did not retry, up to the capacity.
    fn succeeded(&self, held: u32) {
        let add = held.max(1);
        if self.tokens.load(Ordering::Relaxed) < Self::CAPACITY {
            let _ = self
                .tokens
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                    Some(t.saturating_add(add).min(Self::CAPACITY))
                });
        }
    }
}

/// The shared state of a client: configuration and transport. Cheap to clone.
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("service", &self.inner.meta.name)
            .field("config", &self.inner.config)
            .finish()
    }
}

/// Error codes that mean "slow down" and are always retried.
const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient failures, retried too.
const TRANSIENT: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
];

/// Error codes a service answers a request signed at the wrong time with (among other
/// causes): retried when the response's `Date` shows our clock that far off.
const CLOCK_SKEW: &[&str] = &[
    "RequestTimeTooSkewed",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
    "AccessDeniedException",
];

/// A clock skew beyond which a clock-skew error code means the clock, not the
/// signature (SigV4 allows five minutes).
const SKEW_THRESHOLD_MS: i64 = 4 * 60 * 1000;

/// A round trip longer than this says too little of when the service read its clock.
const SKEW_MAX_ROUND_TRIP: Duration = Duration::from_secs(15 * 60);

impl Handle {
    /// A handle for a service with a configuration. The default transport is used
    /// when the configuration has none and the `hyper` feature is on.
    pub fn new(meta: &'static ServiceMeta, mut config: Config) -> Self {
        config.retry = config.retry.for_service(meta.signing_name);
        let transport = config
            .transport
            .clone()
            .or_else(|| default_transport(&config));
        let endpoint = match (&config.endpoint_url, &config.region) {
            (Some(url), _) => Some(url.trim_end_matches('/').to_string()),
            (None, Some(region)) => {
                let suffix = if region.starts_with("cn-") {
                    "amazonaws.com.cn"
                } else {
                    "amazonaws.com"
                };
                Some(format!(
                    "https://{}.{region}.{suffix}",
                    meta.endpoint_prefix
                ))
            }
            (None, None) => None,
        };
        let rate_limiter = (config.retry.mode() == crate::config::RetryMode::Adaptive)
            .then(crate::rate_limit::RateLimiter::new);
        let first_attempt = attempt_header(1, config.retry.max_attempts()).ok();
        Handle {
            inner: Arc::new(Inner {
                config,
                meta,
                transport,
                endpoint,
                rules: meta.endpoint_rules.map(|text| {
                    crate::endpoint::RuleSet::from_compact(text)
                        .map_err(|e| format!("the service's endpoint rules are not valid: {e}"))
                }),
                resolved: std::sync::OnceLock::new(),
                clock_skew_ms: AtomicI64::new(0),
                retry_quota: RetryQuota::new(),
                rate_limiter,
                discovered: Default::default(),
                first_attempt,
            }),
        }
    }

    /// The endpoint parameters of the client: the built-ins the rules name (region,
    /// FIPS, dual-stack, the endpoint URL) and the configured client parameters.
    pub fn endpoint_params(&self) -> crate::endpoint::Params {
        let config = &self.inner.config;
        let mut params = crate::endpoint::Params::new();
        if let Some(Ok(rules)) = &self.inner.rules {
            for p in rules.parameters() {
                match p.built_in() {
                    Some("AWS::Region") => {
                        if let Some(r) = &config.region {
                            params.set(p.name(), r.as_str());
                        }
                    }
                    Some("AWS::UseFIPS") => {
                        params.set(p.name(), config.use_fips);
                    }
                    Some("AWS::UseDualStack") => {
                        params.set(p.name(), config.use_dual_stack);
                    }
                    Some("SDK::Endpoint") => {
                        if let Some(u) = &config.endpoint_url {
                            params.set(p.name(), u.as_str());
                        }
                    }
                    _ => {}
                }
            }
        }
        for (k, v) in config.endpoint_params.iter() {
            params.set(k, v.clone());
        }
        params
    }

    fn resolve(&self, params: &crate::endpoint::Params) -> Result<Target, String> {
        match &self.inner.rules {
            Some(Ok(rules)) => crate::endpoint::resolve(rules, params)
                .map(Target::from_endpoint)
                .map_err(|e| e.to_string()),
            Some(Err(e)) => Err(e.clone()),
            None => self.inner.endpoint.as_deref().map(Target::url).ok_or_else(|| {
                "no region is configured (set AWS_REGION, or call `region` on the config builder) and no endpoint URL".to_string()
            }),
        }
    }

    /// Resolves the endpoint rules for the client's parameters, fresh (no cache): what
    /// the generated endpoint tests check. Without rules, the configured or regional
    /// endpoint.
    pub fn resolve_endpoint(&self) -> Result<crate::endpoint::Endpoint, String> {
        match &self.inner.rules {
            Some(Ok(rules)) => {
                crate::endpoint::resolve(rules, &self.endpoint_params()).map_err(|e| e.to_string())
            }
            _ => self
                .resolve(&self.endpoint_params())
                .map(|t| crate::endpoint::Endpoint {
                    url: t.url,
                    ..Default::default()
                }),
        }
    }

    /// Where a call of `O` with `input` goes.
    pub fn target<O: Operation>(&self, input: &O::Input) -> Result<Target, String> {
        self.target_of::<O>(input).map(Cow::into_owned)
    }

    /// [`Handle::target`], borrowed from the cache when it comes from there.
    fn target_of<O: Operation>(&self, input: &O::Input) -> Result<Cow<'_, Target>, String> {
        if let Some(url) = O::endpoint_override(input) {
            return Ok(Cow::Owned(Target::url(url)));
        }
        if O::ENDPOINT_PARAMS && self.inner.rules.is_some() {
            let mut params = self.endpoint_params();
            O::endpoint_params(input, &mut params);
            return self.resolve(&params).map(Cow::Owned);
        }
        match self
            .inner
            .resolved
            .get_or_init(|| self.resolve(&self.endpoint_params()))
        {
            Ok(target) => Ok(Cow::Borrowed(target)),
            Err(e) => Err(e.clone()),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The endpoint of operations without endpoint parameters of their own (without
    /// the trailing `/`), when it can be resolved.
    pub fn endpoint(&self) -> Option<String> {
        self.inner
            .resolved
            .get_or_init(|| self.resolve(&self.endpoint_params()))
            .clone()
            .ok()
            .map(|t| t.url)
    }

    async fn request(
        &self,
        op_request: &http::Request<Bytes>,
        body: ByteStream,
        attempt: u32,
        invocation: &str,
        call: &CallParts<'_>,
        now: SystemTime,
    ) -> Result<http::Request<ByteStream>, Box<dyn std::error::Error + Send + Sync>> {
        let CallParts {
            host_prefix,
            requires_length,
            unsigned_payload,
            content_encoding,
            target,
            auth,
            optional_auth,
        } = *call;
        let inner = &*self.inner;
        let endpoint = target.url.as_str();
        let region = target
            .signing_region
            .as_deref()
            .or(inner.config.region.as_deref())
            .unwrap_or("us-east-1");
        // The first scheme that can be used; unauthenticated when the operation wants
        // none, or allows none and none can be used.
        let mut chosen = None;
        let mut first_failure: Option<Box<dyn std::error::Error + Send + Sync>> = None;
        for scheme in auth {
            match scheme {
                AuthScheme::SigV4 => match inner.config.identity().await {
                    Ok(c) => {
                        chosen = Some(Auth::SigV4(c));
                        break;
                    }
                    Err(e) => {
                        first_failure.get_or_insert_with(|| Box::new(e));
                    }
                },
                AuthScheme::Bearer => match &inner.config.bearer_token {
                    Some(token) => {
                        chosen = Some(Auth::Bearer(token.clone()));
                        break;
                    }
                    None => {
                        first_failure.get_or_insert_with(|| {
                            "no bearer token is configured (call `bearer_token` on the config builder)".into()
                        });
                    }
                },
            }
        }
        if chosen.is_none() && !auth.is_empty() && !optional_auth {
            return Err(
                first_failure.unwrap_or_else(|| "no authentication scheme can be used".into())
            );
        }
        // The endpoint's own path comes before the operation's.
        let path_and_query = op_request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str());
        // The endpoint's URL parsed once serves every call to its root.
        let (mut uri, mut host) = match (&target.root, path_and_query) {
            (Some((root, host)), "/") => (root.clone(), Some(host.clone())),
            _ => {
                let base = endpoint.trim_end_matches('/');
                let mut text = String::with_capacity(base.len() + path_and_query.len());
                text.push_str(base);
                text.push_str(path_and_query);
                let uri = http::Uri::try_from(text)
                    .map_err(|e| format!("the endpoint `{endpoint}` is not a valid URL: {e}"))?;
                (uri, None)
            }
        };
        if let Some(prefix) = host_prefix.filter(|_| !inner.config.disable_host_prefix) {
            let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
            let scheme = uri.scheme_str().unwrap_or("https");
            let path = uri.path_and_query().map_or("/", |p| p.as_str());
            uri = http::Uri::try_from(format!("{scheme}://{prefix}{authority}{path}"))
                .map_err(|e| format!("the host prefix `{prefix}` makes an invalid URL: {e}"))?;
            host = None;
        }
        let host = match host {
            Some(host) => host,
            None => http::HeaderValue::from_str(
                uri.authority()
                    .ok_or_else(|| format!("the endpoint `{endpoint}` has no host"))?
                    .as_str(),
            )?,
        };
        // Built in place: a request builder is moved on every header.
        let mut request = http::Request::new(body);
        *request.method_mut() = op_request.method().clone();
        *request.uri_mut() = uri;
        let content_length = request.body().content_length();
        let headers = request.headers_mut();
        headers.reserve(op_request.headers().len() + target.headers.len() + 8);
        headers.insert(http::header::HOST, host);
        for (k, v) in op_request.headers() {
            headers.append(k.clone(), v.clone());
        }
        // A request without a body says nothing of its length, unless its method
        // expects a body.
        let expects_body = matches!(
            *op_request.method(),
            http::Method::POST | http::Method::PUT | http::Method::PATCH
        );
        match content_length {
            Some(n) if n > 0 || expects_body => {
                headers.append(http::header::CONTENT_LENGTH, http::HeaderValue::from(n));
            }
            Some(_) => {}
            // Sent with chunked transfer encoding.
            None if requires_length => {
                return Err("the operation requires the length of its streaming payload, and this stream has none (build it with `ByteStream::from_path`, from bytes, or with `ByteStream::from_sized_stream`)".into());
            }
            None => {}
        }
        if let Some(encoding) = content_encoding {
            // After any encoding the input set (`Content-Encoding: custom, gzip`).
            let value = match op_request.headers().get(http::header::CONTENT_ENCODING) {
                Some(given) => format!("{}, {encoding}", given.to_str().unwrap_or_default()),
                None => encoding.to_string(),
            };
            headers.insert(
                http::header::CONTENT_ENCODING,
                http::HeaderValue::from_str(&value)?,
            );
        }
        for (k, v) in &target.headers {
            headers.append(
                http::HeaderName::from_bytes(k.as_bytes())?,
                http::HeaderValue::from_str(v)?,
            );
        }
        if let Some(Auth::Bearer(token)) = &chosen {
            headers.append(
                http::header::AUTHORIZATION,
                http::HeaderValue::from_str(&format!("Bearer {token}"))?,
            );
        }
        if let Some(Auth::SigV4(identity)) = &chosen {
            let signing_name = target
                .signing_name
                .as_deref()
                .unwrap_or(inner.meta.signing_name);
            let seed = crate::sign::sign_request(
                &mut request,
                unsigned_payload,
                identity,
                region,
                signing_name,
                self.service_time(now),
            )?;
            // An input event stream's messages are signed in a chain that starts
            // from the request's signature.
            #[cfg(feature = "event-stream")]
            if request.body().is_event_stream() {
                let skew = inner.clock_skew_ms.load(Ordering::Relaxed);
                request
                    .body_mut()
                    .sign_events(crate::event_stream::MessageSigner::new(
                        identity.clone(),
                        region,
                        signing_name,
                        seed,
                        skew,
                    ));
            }
            #[cfg(not(feature = "event-stream"))]
            let _ = seed;
        }
        // The SDK's bookkeeping headers are not signed: they change between attempts
        // and mean nothing to the service's signature check. Nor is `User-Agent`
        // (SigV4 leaves it out, as proxies rewrite it).
        let headers = request.headers_mut();
        headers.append(
            http::header::USER_AGENT,
            http::HeaderValue::from_static(concat!("smithy-runtime/", env!("CARGO_PKG_VERSION"))),
        );
        headers.insert(
            AMZ_SDK_INVOCATION_ID,
            http::HeaderValue::from_str(invocation)?,
        );
        let attempt_value = match &inner.first_attempt {
            Some(first) if attempt == 1 => first.clone(),
            _ => attempt_header(attempt, inner.config.retry.max_attempts())?,
        };
        headers.insert(AMZ_SDK_REQUEST, attempt_value);
        Ok(request)
    }

    /// `now` on the service's clock: our time plus the skew the last response showed.
    fn service_time(&self, now: SystemTime) -> SystemTime {
        crate::sign::on_service_clock(now, self.inner.clock_skew_ms.load(Ordering::Relaxed))
    }

    /// Learns how far the service's clock is from ours from a response's `Date`
    /// header, for a request sent at `sent`: the service read its clock, we take it, in
    /// the middle of the round trip. Every response with a `Date` sets the skew the
    /// next requests are signed with, as the AWS SDKs do; none is learned from a cached
    /// response (one with an `Age`) or a round trip too long to tell. Returns the skew
    /// in milliseconds.
    fn learn_clock_skew(&self, headers: &http::HeaderMap, sent: SystemTime) -> Option<i64> {
        let date = headers.get(http::header::DATE)?;
        if headers.contains_key(http::header::AGE) {
            return None;
        }
        let server = crate::types::DateTime::parse(
            date.to_str().ok()?,
            crate::types::TimestampFormat::HttpDate,
        )?
        .to_system_time()?;
        let elapsed = SystemTime::now().duration_since(sent).unwrap_or_default();
        if elapsed > SKEW_MAX_ROUND_TRIP {
            return None;
        }
        let midpoint = sent + elapsed / 2;
        let skew = match server.duration_since(midpoint) {
            Ok(ahead) => i64::try_from(ahead.as_millis()).ok()?,
            Err(behind) => -i64::try_from(behind.duration().as_millis()).ok()?,
        };
        self.inner.clock_skew_ms.store(skew, Ordering::Relaxed);
        Some(skew)
    }

    /// Sends one attempt. The response body is read in full (within the attempt
    /// timeout) unless `stream` asks for a successful response as soon as its head is
    /// in. Bodies in flight are watched for stalls (`stall`).
    ///
    /// The request goes to the transport before the returned future starts, so that
    /// the future holds the transport's future rather than the request (an `async fn`
    /// keeps room for its arguments beside its locals, and every caller's state holds
    /// this one's).
    fn attempt(
        &self,
        request: http::Request<ByteStream>,
        stream: bool,
    ) -> impl std::future::Future<Output = Result<http::Response<ByteStream>, TransportError>> + '_
    {
        let timeouts = &self.inner.config.timeouts;
        let stall = timeouts.stall_timeout();
        // For the message of a failed attempt (a cheap clone: shared bytes).
        let host = request.uri().authority().cloned();
        let sent = match self.inner.transport.as_ref() {
            None => Err(TransportError::new(
                TransportErrorKind::Other,
                "no transport: enable the `hyper` or `rustls` feature, or set one with `transport` on the config builder",
            )),
            // An upload from a file or a stream reports its progress to a watch; an
            // event stream waits on the caller's events, which may pause.
            Some(transport) => Ok(match stall {
                Some(_)
                    if request.body().bytes().is_none() && !request.body().is_event_stream() =>
                {
                    let (parts, body) = request.into_parts();
                    let (body, progress) = crate::stall::upload(body);
                    (
                        transport.send(http::Request::from_parts(parts, body)),
                        Some(progress),
                    )
                }
                _ => (transport.send(request), None),
            }),
        };
        let limit = timeouts.attempt_timeout();
        async move {
            // Built in place and polled with the timer beside it, rather than moved
            // into `tokio::time::timeout` on one branch and awaited on the other: each
            // move of a future keeps room for it again in this one's state.
            let mut exchange = std::pin::pin!(async move {
                let (sent, upload) = sent?;
                let response = match (upload, stall) {
                    (Some(progress), Some(limit)) => crate::stall::watch(sent, progress, limit)
                        .await
                        .map_err(|stalled| {
                            TransportError::new(TransportErrorKind::Timeout, stalled)
                        })??,
                    _ => sent.await?,
                };
                let response = match stall {
                    Some(limit) => response.map(|body| body.guard_download(limit)),
                    None => response,
                };
                if stream && response.status().is_success() {
                    return Ok(response);
                }
                let (parts, body) = response.into_parts();
                let body = body.collect().await.map_err(|e| {
                    let kind = if e.is_stall() {
                        TransportErrorKind::Timeout
                    } else {
                        TransportErrorKind::Io
                    };
                    TransportError::new(kind, e)
                })?;
                Ok(http::Response::from_parts(parts, ByteStream::from(body)))
            });
            let mut timer = limit.map(|limit| Box::pin(tokio::time::sleep(limit)));
            std::future::poll_fn(|cx| {
                use std::future::Future as _;
                use std::task::Poll;
                if let Poll::Ready(r) = exchange.as_mut().poll(cx) {
                    return Poll::Ready(r);
                }
                match timer.as_mut().map(|t| t.as_mut().poll(cx)) {
                    Some(Poll::Ready(())) => Poll::Ready(Err(TransportError::timeout())),
                    _ => Poll::Pending,
                }
            })
            .await
            .map_err(|e| e.at(host))
        }
    }

    /// Gzips the body when the configuration says it is large enough; the encoding
    /// applied, if any.
    #[cfg(feature = "compression")]
    fn compress(
        &self,
        request: &mut http::Request<Bytes>,
    ) -> std::io::Result<Option<&'static str>> {
        if !self
            .inner
            .config
            .compression
            .applies_to(request.body().len())
        {
            return Ok(None);
        }
        let packed = gzip(request.body())?;
        *request.body_mut() = Bytes::from(packed);
        Ok(Some("gzip"))
    }

    #[cfg(not(feature = "compression"))]
    fn compress(
        &self,
        _request: &mut http::Request<Bytes>,
    ) -> std::io::Result<Option<&'static str>> {
        Ok(None)
    }

    /// Runs one operation: serialize, sign, send (retrying what is retryable), parse.
    ///
    /// Only serializing and parsing depend on the operation; the rest is
    /// `Handle::send`, compiled once for all operations.
    pub async fn invoke<O: Operation>(
        &self,
        input: &O::Input,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let mut op_request = serialize::<O>(input)?;
        // A streaming payload is sent from a copy, when it can be read again.
        let payload = match O::payload(input) {
            None => None,
            Some(p) => Some(p.try_clone().ok_or_else(|| SdkError::Construction {
                operation: O::NAME,
                source: "the input's streaming payload is a stream, which can be sent once: send the input by value (the fluent builder's `send` does)".into(),
            })?),
        };
        self.call::<O>(input, &mut op_request, payload).await
    }

    /// Runs an operation with an input it may consume: a `@streaming` payload is moved
    /// out of it and read from its source as it is sent.
    pub async fn invoke_owned<O: Operation>(
        &self,
        mut input: O::Input,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let mut op_request = serialize::<O>(&input)?;
        let payload = O::take_payload(&mut input);
        self.call::<O>(&input, &mut op_request, payload).await
    }

    /// The call after serializing. The request is the caller's: an `async fn` keeps
    /// room for its arguments beside its locals, and a request is some hundred bytes.
    async fn call<O: Operation>(
        &self,
        input: &O::Input,
        op_request: &mut http::Request<Bytes>,
        payload: Option<ByteStream>,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let prefix = O::host_prefix(input).map_err(|e| SdkError::Construction {
            operation: O::NAME,
            source: Box::new(e),
        })?;
        let mut target = self
            .target_of::<O>(input)
            .map_err(|e| SdkError::Construction {
                operation: O::NAME,
                source: e.into(),
            })?;
        let discovery_ids = match O::DISCOVERY {
            crate::discovery::Discovery::None => None,
            mode => Some((mode, O::discovery_ids(input))),
        };
        if let Some((mode, ids)) = &discovery_ids {
            let discovered = self
                .discovered_target(*mode, O::NAME, ids, &target)
                .await
                .map_err(|source| SdkError::Construction {
                    operation: O::NAME,
                    source,
                })?;
            if let Some(t) = discovered {
                target = Cow::Owned(t);
            }
        }
        let encoding = if O::REQUEST_COMPRESSION && payload.is_none() {
            self.compress(op_request)
                .map_err(|e| SdkError::Construction {
                    operation: O::NAME,
                    source: Box::new(e),
                })?
        } else {
            None
        };
        if O::CHECKSUM_REQUIRED {
            let bytes = match &payload {
                None => op_request.body(),
                Some(p) => p.bytes().ok_or_else(|| SdkError::Construction {
                    operation: O::NAME,
                    source: "the operation sends the MD5 of its payload (`@httpChecksumRequired`), which needs the payload in memory".into(),
                })?,
            };
            if let Some(value) = content_md5(bytes) {
                op_request.headers_mut().insert("content-md5", value);
            }
        }
        if O::TREE_HASH {
            let (sha, tree) = payload_hashes(op_request.body(), payload.as_ref())
                .await
                .map_err(|source| SdkError::Construction {
                    operation: O::NAME,
                    source,
                })?;
            for (name, value) in [
                ("x-amz-content-sha256", sha),
                ("x-amz-sha256-tree-hash", tree),
            ] {
                if let Ok(v) = http::HeaderValue::from_str(&value) {
                    op_request.headers_mut().insert(name, v);
                }
            }
        }
        let call = CallParts {
            host_prefix: prefix.as_deref(),
            requires_length: O::REQUIRES_LENGTH,
            unsigned_payload: O::UNSIGNED_PAYLOAD,
            content_encoding: encoding,
            target: &target,
            auth: O::AUTH,
            optional_auth: O::OPTIONAL_AUTH,
        };
        let body = match payload {
            Some(p) => p,
            None => ByteStream::from(std::mem::take(op_request.body_mut())),
        };
        match self
            .send(op_request, body, O::STREAMING_OUTPUT, O::RETRYABLE, &call)
            .await
        {
            Ok(response) if O::STREAMING_OUTPUT => {
                let status = response.status().as_u16();
                let request_id = request_id(response.headers());
                O::parse_streaming(response).map_err(|e| SdkError::Response {
                    operation: O::NAME,
                    status,
                    request_id,
                    source: Box::new(BodyError {
                        what: "response",
                        inner: e,
                        snippet: String::new(),
                    }),
                })
            }
            Ok(response) => parse_output::<O>(&response.map(ByteStream::into_buffered)),
            Err(Failure::Construction(source)) => Err(SdkError::Construction {
                operation: O::NAME,
                source,
            }),
            Err(Failure::Dispatch(source)) => Err(SdkError::Dispatch {
                operation: O::NAME,
                source,
            }),
            Err(Failure::Response {
                status,
                request_id,
                source,
            }) => Err(SdkError::Response {
                operation: O::NAME,
                status,
                request_id,
                source,
            }),
            Err(Failure::Service { meta, response }) => {
                if let Some((_, ids)) = &discovery_ids {
                    self.invalid_endpoint(&meta, ids);
                }
                Err(SdkError::Service {
                    operation: O::NAME,
                    error: O::parse_error(meta.clone(), &response),
                    meta,
                })
            }
        }
    }

    /// Where a call of `operation` goes under endpoint discovery: `None` when discovery
    /// does not apply (the service has none, an endpoint URL is configured, it is
    /// turned off, or it is optional for the operation and not turned on, or it failed
    /// for an operation that can do without).
    async fn discovered_target(
        &self,
        mode: crate::discovery::Discovery,
        operation: &'static str,
        ids: &[(&'static str, String)],
        base: &Target,
    ) -> Result<Option<Target>, Box<dyn std::error::Error + Send + Sync>> {
        use crate::discovery::Discovery;
        let inner = &*self.inner;
        let Some(meta) = inner.meta.endpoint_discovery else {
            return Ok(None);
        };
        let enabled = inner.config.endpoint_discovery;
        let applies = match mode {
            Discovery::Required => enabled != Some(false),
            Discovery::Optional => enabled == Some(true),
            Discovery::None => false,
        };
        if !applies || inner.config.endpoint_url.is_some() {
            return Ok(None);
        }
        match inner.discovered.url(self, meta, operation, ids).await {
            Ok(url) => Ok(Some(crate::discovery::retarget(base, &url))),
            Err(_) if mode == Discovery::Optional => Ok(None),
            Err(e) => Err(format!(
                "the operation needs an endpoint from endpoint discovery, and `{}` failed: {e}",
                meta.operation
            )
            .into()),
        }
    }

    /// Forgets the discovered endpoint a call went to when the service says it is no
    /// longer valid.
    fn invalid_endpoint(&self, error: &ErrorMetadata, ids: &[(&'static str, String)]) {
        let invalid = self
            .inner
            .meta
            .endpoint_discovery
            .and_then(|m| m.invalid_endpoint_error);
        if invalid.is_some() && error.code() == invalid {
            self.inner.discovered.evict(ids);
        }
    }

    /// Sends a request body for an operation, retrying what is retryable, and returns
    /// the successful response.
    ///
    /// The body is sent again on a retry when it can be read again (bytes in memory,
    /// a file); a stream that has been sent once ends the retries.
    async fn send(
        &self,
        op_request: &http::Request<Bytes>,
        body: ByteStream,
        stream_output: bool,
        retryable_codes: &'static [&'static str],
        call: &CallParts<'_>,
    ) -> Result<http::Response<ByteStream>, Failure> {
        // Kept as text: a header value made from it for each attempt is one
        // allocation, where a clone of one value is another (its bytes become shared).
        let mut text = [0u8; crate::UUID_LEN];
        let invocation: &str = crate::random_uuid_in(&mut text);
        let retry = &self.inner.config.retry;
        let quota = &self.inner.retry_quota;
        let mut attempt = 1;
        // The tokens of this call's last retry: given back if the call succeeds. Those of
        // earlier retries stay spent.
        let mut held = 0;
        let mut body = Some(body);
        loop {
            let this_body = match body.as_ref().and_then(ByteStream::try_clone) {
                Some(copy) => copy,
                None => body.take().unwrap_or_default(),
            };
            let can_resend = body.is_some();
            // The adaptive mode's rate limiter holds a throttled client back.
            if let Some(wait) = self.inner.rate_limiter.as_ref().map(|l| l.acquire()) {
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
            }
            let sent = SystemTime::now();
            let request = self
                .request(op_request, this_body, attempt, invocation, call, sent)
                .await
                .map_err(Failure::Construction)?;
            let (failure, kind, asked) = match self.attempt(request, stream_output).await {
                Err(e) => {
                    let kind = matches!(
                        e.kind(),
                        TransportErrorKind::Io | TransportErrorKind::Timeout
                    )
                    .then_some(RetryKind::Transient);
                    (Failure::Dispatch(e), kind, None)
                }
                Ok(response) => {
                    let skew = self.learn_clock_skew(response.headers(), sent);
                    let status = response.status().as_u16();
                    if (200..300).contains(&status) {
                        quota.succeeded(held);
                        if let Some(l) = &self.inner.rate_limiter {
                            l.update(false);
                        }
                        return Ok(response);
                    }
                    let response = response.map(ByteStream::into_buffered);
                    let meta = error_metadata(&response, self.inner.meta.query_compatible);
                    let code = meta.as_ref().ok().and_then(ErrorMetadata::code);
                    let kind = retry_kind(status, code, retryable_codes).or_else(|| {
                        (code.is_some_and(|c| CLOCK_SKEW.contains(&c))
                            && skew.is_some_and(|ms| ms.abs() > SKEW_THRESHOLD_MS))
                        .then_some(RetryKind::Transient)
                    });
                    if let Some(l) = &self.inner.rate_limiter {
                        l.update(kind == Some(RetryKind::Throttled));
                    }
                    // The wait the service asks for, in milliseconds.
                    let asked = response
                        .headers()
                        .get("x-amz-retry-after")
                        .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
                        .map(Duration::from_millis);
                    let failure = match meta {
                        Ok(meta) => Failure::Service { meta, response },
                        Err(source) => Failure::Response {
                            status,
                            request_id: request_id(response.headers()),
                            source,
                        },
                    };
                    (failure, kind, asked)
                }
            };
            let Some(kind) = kind.filter(|_| can_resend && attempt < retry.max_attempts()) else {
                return Err(failure);
            };
            if !quota.acquire(kind.cost()) {
                return Err(failure);
            }
            held = kind.cost();
            tokio::time::sleep(retry.backoff(attempt, kind == RetryKind::Throttled, asked)).await;
            attempt += 1;
        }
    }
}

const AMZ_SDK_INVOCATION_ID: http::HeaderName =
    http::HeaderName::from_static("amz-sdk-invocation-id");
const AMZ_SDK_REQUEST: http::HeaderName = http::HeaderName::from_static("amz-sdk-request");

/// `amz-sdk-request`: `attempt=1; max=3`.
fn attempt_header(
    attempt: u32,
    max: u32,
) -> Result<http::HeaderValue, http::header::InvalidHeaderValue> {
    // Written by hand on the stack: this is on every call, and the formatting
    // machinery is not cheap next to it, nor a `String` that the header value would
    // copy or share.
    fn push(out: &mut [u8; 40], len: &mut usize, bytes: &[u8]) {
        out[*len..*len + bytes.len()].copy_from_slice(bytes);
        *len += bytes.len();
    }
    fn push_number(out: &mut [u8; 40], len: &mut usize, n: u32) {
        if n >= 10 {
            push_number(out, len, n / 10);
        }
        push(out, len, &[b'0' + (n % 10) as u8]);
    }
    // `attempt=` and `; max=` and two numbers of at most 10 digits.
    let (mut text, mut len) = ([0u8; 40], 0);
    push(&mut text, &mut len, b"attempt=");
    push_number(&mut text, &mut len, attempt);
    push(&mut text, &mut len, b"; max=");
    push_number(&mut text, &mut len, max);
    http::HeaderValue::from_bytes(&text[..len])
}

/// How a call failed, before the operation's types are involved.
enum Failure {
    Construction(Box<dyn std::error::Error + Send + Sync>),
    Dispatch(TransportError),
    Response {
        status: u16,
        request_id: Option<String>,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    Service {
        meta: ErrorMetadata,
        response: http::Response<Bytes>,
    },
}

/// The SHA-256 and tree hash of the payload: the streaming one when there is one
/// (read through a copy), else the serialized body.
async fn payload_hashes(
    body: &Bytes,
    payload: Option<&ByteStream>,
) -> Result<(String, String), Box<dyn std::error::Error + Send + Sync>> {
    let mut hasher = crate::checksum::PayloadHasher::new();
    match payload {
        None => hasher.update(body),
        Some(p) => match p.bytes() {
            Some(b) => hasher.update(b),
            None => {
                let mut copy = p.try_clone().ok_or(
                    "the operation sends hashes of its payload, which needs a payload that can be read twice (bytes or a file), not a one-shot stream",
                )?;
                while let Some(chunk) = copy.next().await {
                    hasher.update(&chunk?);
                }
            }
        },
    }
    Ok(hasher.finish())
}

fn serialize<O: Operation>(input: &O::Input) -> Result<http::Request<Bytes>, SdkError<O::Error>> {
    O::serialize(input).map_err(|e| SdkError::Construction {
        operation: O::NAME,
        source: Box::new(e),
    })
}

fn parse_output<O: Operation>(
    response: &http::Response<Bytes>,
) -> Result<O::Output, SdkError<O::Error>> {
    O::parse(response).map_err(|e| SdkError::Response {
        operation: O::NAME,
        status: response.status().as_u16(),
        request_id: request_id(response.headers()),
        source: Box::new(BodyError {
            what: "response",
            inner: e,
            snippet: snippet(response.body()),
        }),
    })
}

/// Whether a response with `status` and error `code` is retried, and as what:
/// throttling (429, or a throttling code), or a transient error (500, 502, 503, 504, a
/// transient code, or one the model marks `@retryable`).
fn retry_kind(status: u16, code: Option<&str>, modeled: &[&str]) -> Option<RetryKind> {
    let code_in = |list: &[&str]| code.is_some_and(|c| list.contains(&c));
    if status == 429 || code_in(THROTTLING) {
        Some(RetryKind::Throttled)
    } else if matches!(status, 500 | 502 | 503 | 504) || code_in(TRANSIENT) || code_in(modeled) {
        Some(RetryKind::Transient)
    } else {
        None
    }
}

/// A body that could not be parsed.
#[derive(Debug)]
struct BodyError {
    what: &'static str,
    inner: JsonError,
    snippet: String,
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} body is not the JSON expected ({})",
            self.what, self.inner
        )?;
        if !self.snippet.is_empty() {
            write!(f, "; it starts: {}", self.snippet)?;
        }
        Ok(())
    }
}

impl std::error::Error for BodyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.inner)
    }
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(80)]);
    let mut s: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if body.len() > 80 {
        s.push('…');
    }
    s.trim().to_string()
}

fn request_id(headers: &http::HeaderMap) -> Option<String> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|h| headers.get(*h))
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Sanitizes an error code as awsJson says: the text before the first `:`, then the
/// text after the first `#`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    let after_hash = before_colon
        .split_once('#')
        .map_or(before_colon, |(_, n)| n);
    after_hash.trim()
}

/// Reads the code, message and request id of an error response. Errors if the code
/// cannot be found because the body is not JSON.
pub fn error_metadata(
    response: &http::Response<Bytes>,
    query_compatible: bool,
) -> Result<ErrorMetadata, Box<dyn std::error::Error + Send + Sync>> {
    let headers = response.headers();
    let status = response.status().as_u16();
    let header_code = headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(sanitize_error_code)
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    let body = response.body();
    let mut body_code = None;
    let mut body_type = None;
    let mut message = None;
    let parsed: Result<(), JsonError> = (|| {
        let mut p = Parser::new(body);
        if p.is_blank() {
            return Ok(());
        }
        p.begin_object()?;
        while let Some(k) = p.next_key()? {
            match &*k {
                "code" | "Code" if body_code.is_none() && !p.null()? => {
                    body_code = Some(p.string()?)
                }
                "__type" if !p.null()? => body_type = Some(p.string()?),
                "message" | "Message" | "errorMessage" if message.is_none() && !p.null()? => {
                    message = Some(p.string()?)
                }
                _ => p.skip()?,
            }
        }
        p.finish()
    })();
    let mut code = header_code.or_else(|| {
        body_code
            .as_deref()
            .or(body_type.as_deref())
            .map(sanitize_error_code)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
    });
    if query_compatible {
        if let Some(q) = headers
            .get("x-amzn-query-error")
            .and_then(|v| v.to_str().ok())
        {
            if let Some(c) = q.split(';').next().filter(|c| !c.is_empty()) {
                code = Some(c.to_string());
            }
        }
    }
    if let Err(e) = parsed {
        if code.is_none() {
            return Err(Box::new(BodyError {
                what: "error response",
                inner: e,
                snippet: snippet(body),
            }));
        }
        message = None;
    }
    Ok(ErrorMetadata {
        code,
        message,
        status,
        request_id: request_id(headers),
    })
}

#[cfg(feature = "hyper")]
fn default_transport(config: &Config) -> Option<Arc<dyn Transport>> {
    Some(Arc::new(crate::transport::HyperTransport::new(
        config.timeouts.connect_timeout(),
    )))
}

#[cfg(not(feature = "hyper"))]
fn default_transport(_config: &Config) -> Option<Arc<dyn Transport>> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Retries draw 14 tokens (5 after throttling) from 500; a success gives back the
    /// last retry's tokens, or adds one, never beyond 500.
    #[test]
    fn the_retry_quota_is_spent_and_given_back() {
        let q = RetryQuota::new();
        let tokens = |q: &RetryQuota| q.tokens.load(Ordering::Relaxed);
        q.succeeded(0);
        assert_eq!(tokens(&q), 500, "full stays full");
        assert!(q.acquire(RetryKind::Transient.cost()));
        assert!(q.acquire(RetryKind::Throttled.cost()));
        assert_eq!(tokens(&q), 481);
        q.succeeded(RetryKind::Throttled.cost());
        assert_eq!(tokens(&q), 486);
        q.succeeded(0);
        assert_eq!(tokens(&q), 487);
        while q.acquire(14) {}
        assert_eq!(tokens(&q), 487 % 14);
        assert!(!q.acquire(14));
        assert!(q.acquire(5), "a throttling retry still fits");
    }

    #[test]
    fn retries_are_classified() {
        assert_eq!(retry_kind(429, None, &[]), Some(RetryKind::Throttled));
        assert_eq!(
            retry_kind(400, Some("ThrottlingException"), &[]),
            Some(RetryKind::Throttled)
        );
        assert_eq!(retry_kind(503, None, &[]), Some(RetryKind::Transient));
        assert_eq!(
            retry_kind(400, Some("Busy"), &["Busy"]),
            Some(RetryKind::Transient),
            "modeled @retryable"
        );
        assert_eq!(retry_kind(400, Some("ValidationException"), &[]), None);
        assert_eq!(retry_kind(501, None, &[]), None);
    }

    #[test]
    fn attempt_header_counts() {
        for (attempt, max, text) in [
            (1, 3, "attempt=1; max=3"),
            (10, 10, "attempt=10; max=10"),
            (7, 120, "attempt=7; max=120"),
            (0, 0, "attempt=0; max=0"),
        ] {
            assert_eq!(attempt_header(attempt, max).unwrap(), text);
        }
        assert_eq!(
            attempt_header(u32::MAX, u32::MAX).unwrap(),
            "attempt=4294967295; max=4294967295"
        );
    }

    #[test]
    #[cfg(feature = "compression")]
    fn gzip_bodies_decompress_to_what_was_serialized() {
        use std::io::Read as _;
        let body: Vec<u8> = (0..20_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let packed = gzip(&body).unwrap();
        assert!(packed.len() < body.len());
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, body);
        let c = crate::CompressionConfig::default();
        assert!(!c.applies_to(10_239) && c.applies_to(10_240));
        assert!(!c.with_disabled(true).applies_to(1 << 20));
        assert!(c.with_min_size(0).applies_to(0));
        assert!(!c.with_min_size(usize::MAX).applies_to(10_485_759));
    }

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Bytes> {
        let mut b = http::Response::builder().status(status);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Bytes::from(body.to_string())).unwrap()
    }

    /// A request to `/` goes to the endpoint's URL parsed once; any other path, and an
    /// endpoint that is no URL, are parsed on the call, to the same URI or the same
    /// error as before.
    #[tokio::test]
    async fn request_uris_join_the_endpoint_and_the_path() {
        static META: ServiceMeta = ServiceMeta {
            name: "Svc",
            signing_name: "svc",
            endpoint_prefix: "svc",
            query_compatible: false,
            env_name: "SVC",
            endpoint_rules: None,
            endpoint_discovery: None,
        };
        // The request for `path` to `endpoint`, and whether the target kept a parsed root.
        let send = |endpoint: &'static str, path: &'static str| async move {
            let config = crate::Config::builder()
                .region("eu-west-1")
                .endpoint_url(endpoint)
                .build();
            let handle = Handle::new(&META, config);
            let target = handle.resolve(&handle.endpoint_params()).unwrap();
            let mut op = http::Request::new(Bytes::new());
            *op.uri_mut() = http::Uri::try_from(path).unwrap();
            let call = CallParts {
                host_prefix: None,
                requires_length: false,
                unsigned_payload: false,
                content_encoding: None,
                target: &target,
                auth: &[],
                optional_auth: false,
            };
            let r = handle
                .request(
                    &op,
                    ByteStream::default(),
                    1,
                    "id",
                    &call,
                    SystemTime::now(),
                )
                .await;
            (target.root.is_some(), r)
        };
        let cases = [
            ("https://example.com", "/", "https://example.com/"),
            ("https://example.com/", "/", "https://example.com/"),
            (
                "http://127.0.0.1:8080/base//",
                "/",
                "http://127.0.0.1:8080/base/",
            ),
            (
                "http://127.0.0.1:8080/base",
                "/a/b?c=d",
                "http://127.0.0.1:8080/base/a/b?c=d",
            ),
            ("https://example.com", "/x%20y", "https://example.com/x%20y"),
        ];
        for (endpoint, path, want) in cases {
            let (root, r) = send(endpoint, path).await;
            assert!(root, "{endpoint}");
            assert_eq!(r.unwrap().uri().to_string(), want, "{endpoint} {path}");
        }
        let (root, r) = send("https://exa mple.com", "/").await;
        assert!(!root);
        let e = r.unwrap_err();
        assert!(e.to_string().contains("is not a valid URL"), "{e}");
    }

    #[cfg(feature = "aws-json")]
    #[tokio::test]
    async fn host_labels_are_checked_and_prefixed() {
        assert_eq!(
            host_label("In", "Shard", Some("shard-1")).unwrap(),
            "shard-1"
        );
        assert!(host_label("In", "Shard", Some("a/b"))
            .unwrap_err()
            .to_string()
            .contains("cannot be part of a host name"));
        assert!(host_label("In", "Shard", Some("")).is_err());
        assert!(host_label("In", "Shard", None)
            .unwrap_err()
            .to_string()
            .contains("is required"));

        static META: ServiceMeta = ServiceMeta {
            name: "Svc",
            signing_name: "svc",
            endpoint_prefix: "svc",
            query_compatible: true,
            env_name: "SVC",
            endpoint_rules: None,
            endpoint_discovery: None,
        };
        let config = crate::Config::builder()
            .region("eu-west-1")
            .credentials(crate::Credentials::new("AKID", "SECRET", None))
            .build();
        let handle = Handle::new(&META, config);
        let body = crate::protocol::aws_json::request(
            "application/x-amz-json-1.1",
            "Svc.Op",
            true,
            b"{}".to_vec(),
        );
        let target = handle.resolve(&handle.endpoint_params()).unwrap();
        // One attempt's request, as `handle` builds it.
        async fn request(
            handle: &Handle,
            body: &http::Request<Bytes>,
            call: CallParts<'_>,
        ) -> Result<http::Request<ByteStream>, Box<dyn std::error::Error + Send + Sync>> {
            let stream = ByteStream::from(body.body().clone());
            let invocation = "id";
            handle
                .request(body, stream, 1, invocation, &call, SystemTime::now())
                .await
        }
        let call = |auth: &'static [AuthScheme], optional_auth: bool| CallParts {
            host_prefix: Some("data-abc."),
            requires_length: false,
            unsigned_payload: false,
            content_encoding: None,
            target: &target,
            auth,
            optional_auth,
        };
        let r = request(&handle, &body, call(&[AuthScheme::SigV4], false))
            .await
            .unwrap();
        assert_eq!(
            r.uri().to_string(),
            "https://data-abc.svc.eu-west-1.amazonaws.com/"
        );
        assert_eq!(r.headers()["host"], "data-abc.svc.eu-west-1.amazonaws.com");
        assert_eq!(r.headers()["x-amz-target"], "Svc.Op");
        assert_eq!(r.headers()["content-type"], "application/x-amz-json-1.1");
        assert_eq!(r.headers()["x-amzn-query-mode"], "true");
        assert!(r.headers()["authorization"]
            .to_str()
            .unwrap()
            .contains("/eu-west-1/svc/aws4_request"));

        // Host prefixes can be turned off, for an endpoint URL of a local server.
        let unprefixed = Handle::new(
            &META,
            handle
                .config()
                .to_builder()
                .disable_host_prefix_injection(true)
                .build(),
        );
        let r = request(&unprefixed, &body, call(&[AuthScheme::SigV4], false))
            .await
            .unwrap();
        assert_eq!(r.uri().to_string(), "https://svc.eu-west-1.amazonaws.com/");
        assert_eq!(r.headers()["host"], "svc.eu-west-1.amazonaws.com");

        // `@auth([])`: nothing signs the request.
        let r = request(&handle, &body, call(&[], false)).await.unwrap();
        assert!(!r.headers().contains_key("authorization"));
        assert!(!r.headers().contains_key("x-amz-date"));
        // A bearer token, when the operation takes one first.
        let with_token = Handle::new(
            &META,
            handle.config().to_builder().bearer_token("tok").build(),
        );
        let r = request(
            &with_token,
            &body,
            call(&[AuthScheme::Bearer, AuthScheme::SigV4], false),
        )
        .await
        .unwrap();
        assert_eq!(r.headers()["authorization"], "Bearer tok");
        // Without the token, the next scheme.
        let r = request(
            &handle,
            &body,
            call(&[AuthScheme::Bearer, AuthScheme::SigV4], false),
        )
        .await
        .unwrap();
        assert!(r.headers()["authorization"]
            .to_str()
            .unwrap()
            .starts_with("AWS4-HMAC-SHA256"));
        // No credentials at all: an error, unless the operation allows going without.
        let anonymous = Handle::new(&META, crate::Config::builder().region("eu-west-1").build());
        let e = request(&anonymous, &body, call(&[AuthScheme::SigV4], false))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("credentials"), "{e}");
        let r = request(&anonymous, &body, call(&[AuthScheme::SigV4], true))
            .await
            .unwrap();
        assert!(!r.headers().contains_key("authorization"));
    }

    #[test]
    fn codes_are_sanitized() {
        for raw in [
            "FooError",
            "ns#FooError",
            "ns#FooError:http://internal.amazon.com/x",
            "FooError:http://x",
            "aws.protocoltests.restjson#FooError:x#y",
        ] {
            assert_eq!(sanitize_error_code(raw), "FooError", "{raw}");
        }
    }

    #[test]
    fn header_then_code_then_type() {
        let m = error_metadata(
            &response(
                400,
                &[("x-amzn-errortype", "ns#Header:uri")],
                r#"{"code":"Body","__type":"Type"}"#,
            ),
            false,
        )
        .unwrap();
        assert_eq!(m.code(), Some("Header"));
        let m = error_metadata(
            &response(400, &[], r#"{"__type":"ns#Type","code":"Body"}"#),
            false,
        )
        .unwrap();
        assert_eq!(m.code(), Some("Body"));
        let m = error_metadata(
            &response(400, &[], r#"{"__type":"ns#Type","message":"hi"}"#),
            false,
        )
        .unwrap();
        assert_eq!((m.code(), m.message()), (Some("Type"), Some("hi")));
        let m = error_metadata(
            &response(
                400,
                &[],
                r#"{"Message":"nested","Error":{"__type":"Nested"}}"#,
            ),
            false,
        )
        .unwrap();
        assert_eq!(m.code(), None);
    }

    #[test]
    fn query_compatible_header_overrides() {
        let r = response(
            400,
            &[(
                "x-amzn-query-error",
                "AWS.SimpleQueueService.NonExistentQueue;Sender",
            )],
            r#"{"__type":"QueueDoesNotExist"}"#,
        );
        assert_eq!(
            error_metadata(&r, true).unwrap().code(),
            Some("AWS.SimpleQueueService.NonExistentQueue")
        );
        assert_eq!(
            error_metadata(&r, false).unwrap().code(),
            Some("QueueDoesNotExist")
        );
    }

    #[test]
    fn html_error_pages_are_reported_not_parsed() {
        let r = response(
            500,
            &[("x-amzn-requestid", "rid")],
            "<html><body>Internal Server Error</body></html>",
        );
        let e = error_metadata(&r, false).unwrap_err();
        assert!(e.to_string().contains("not the JSON expected"), "{e}");
        assert!(e.to_string().contains("<html>"), "{e}");
    }
}
