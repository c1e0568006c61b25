//! Client configuration: region, credentials, endpoint, retries, timeouts, transport,
//! set explicitly or read from the standard AWS environment and shared files.

use crate::credentials::{
    AwsCredentials, CacheSettings, CredentialsCache, CredentialsFailure, EnvProfileProvider,
    ProvideCredentials, SharedCredentialsProvider, ENV_PROFILE_NAME,
};
use crate::transport::Transport;
use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Static AWS credentials (keys that do not expire, or a session the caller manages).
/// `Debug` never shows the secret parts.
///
/// [`ConfigBuilder::credentials`] turns them into a provider; for credentials that
/// expire and must be refreshed, use [`ConfigBuilder::credentials_provider`].
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Credentials from their parts.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
        }
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl From<Credentials> for AwsCredentials {
    fn from(c: Credentials) -> Self {
        AwsCredentials::new(
            c.access_key_id,
            c.secret_access_key,
            c.session_token,
            None,
            "Static",
        )
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

/// How failed attempts are retried: the AWS SDKs' "standard" mode, as it stands since
/// the retry behavior they share was updated in 2026.
///
/// - Three attempts in all (four for DynamoDB and DynamoDB Streams), unless set.
/// - Exponential backoff with full jitter: a random wait up to `base × 2^(n−1)`, at most
///   20 s, where the base is 1 s after throttling and 50 ms after a transient error
///   (25 ms for DynamoDB). A wait the service asks for in `x-amz-retry-after`
///   (milliseconds) is kept within that wait and five seconds more.
/// - A retry quota: the retries of a client draw tokens from one bucket of 500 (5 for
///   a retry after throttling, 14 after any other error), so that a service in trouble
///   is not also flooded with retries. A call that succeeds after retrying gives its
///   tokens back, one that succeeds at once adds a token, and with the bucket empty a
///   failed attempt is the call's error.
///
/// The adaptive mode ([`RetryMode::Adaptive`]; `AWS_RETRY_MODE=adaptive` or the
/// profile's `retry_mode`) adds the AWS SDKs' client-side rate limiter: once the service
/// throttles the client, each attempt takes a token from a bucket whose fill rate drops
/// to 70% of the rate the client was sending at, then grows back along a cubic curve,
/// so that a throttled client slows down by itself rather than by failed attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    mode: RetryMode,
    /// `None`: the service's default.
    max_attempts: Option<u32>,
    throttling_backoff: Duration,
    /// `None`: the service's default.
    transient_backoff: Option<Duration>,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

/// How a client retries: the two modes the AWS SDKs share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RetryMode {
    /// Backoff with jitter and a retry quota.
    #[default]
    Standard,
    /// The standard mode and a client-side rate limiter that slows a throttled client
    /// down.
    Adaptive,
}

impl RetryMode {
    /// The mode a setting names (`standard`, `adaptive`; `legacy`, which the AWS SDKs
    /// for Rust do not have, is the standard mode), in any case.
    pub fn from_setting(text: &str) -> Option<RetryMode> {
        match text.trim().to_ascii_lowercase().as_str() {
            "standard" | "legacy" => Some(RetryMode::Standard),
            "adaptive" => Some(RetryMode::Adaptive),
            _ => None,
        }
    }
}

/// Attempts in all, unless set or the service's own default differs.
const DEFAULT_MAX_ATTEMPTS: u32 = 3;

/// The base of the backoff after a transient error, unless set or the service's own
/// default differs.
const DEFAULT_TRANSIENT_BACKOFF: Duration = Duration::from_millis(50);

/// The services whose retries the AWS SDKs tune (by signing name): DynamoDB and
/// DynamoDB Streams, which sign as `dynamodb`.
fn is_dynamodb(signing_name: &str) -> bool {
    signing_name == "dynamodb"
}

impl RetryConfig {
    /// The standard mode with the service's defaults.
    pub fn standard() -> Self {
        RetryConfig {
            mode: RetryMode::Standard,
            max_attempts: None,
            throttling_backoff: Duration::from_secs(1),
            transient_backoff: None,
            max_backoff: Duration::from_secs(20),
        }
    }

    /// The adaptive mode with the service's defaults: the standard mode and a client-side
    /// rate limiter.
    pub fn adaptive() -> Self {
        RetryConfig::standard().with_mode(RetryMode::Adaptive)
    }

    /// Sets the mode.
    pub fn with_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// The mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// One attempt: no retries.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: Some(1),
            ..RetryConfig::standard()
        }
    }

    /// Sets how many attempts a call makes in all (at least one).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = Some(n.max(1));
        self
    }

    /// Sets the base of the exponential backoff, after throttling and after transient
    /// errors alike.
    pub fn with_initial_backoff(mut self, d: Duration) -> Self {
        self.throttling_backoff = d;
        self.transient_backoff = Some(d);
        self
    }

    /// Sets the longest wait between attempts.
    pub fn with_max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Attempts in all (three unless set, before a service's own default applies).
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS)
    }

    /// This configuration with the defaults of the service that signs as
    /// `signing_name` where nothing was set.
    pub(crate) fn for_service(mut self, signing_name: &str) -> Self {
        let dynamodb = is_dynamodb(signing_name);
        let (attempts, transient) = if dynamodb {
            (4, Duration::from_millis(25))
        } else {
            (DEFAULT_MAX_ATTEMPTS, DEFAULT_TRANSIENT_BACKOFF)
        };
        self.max_attempts = Some(self.max_attempts.unwrap_or(attempts));
        self.transient_backoff = Some(self.transient_backoff.unwrap_or(transient));
        self
    }

    /// The wait before attempt `attempt + 1`, after `attempt` failed attempts, the last
    /// of them throttled or not, with the wait the service asked for, if it did.
    pub fn backoff(&self, attempt: u32, throttled: bool, asked: Option<Duration>) -> Duration {
        let base = if throttled {
            self.throttling_backoff
        } else {
            self.transient_backoff.unwrap_or(DEFAULT_TRANSIENT_BACKOFF)
        };
        let exp = base.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let cap = exp.min(self.max_backoff);
        // Not `mul_f64`, which panics where a huge configured wait rounds past the range.
        let wait = Duration::try_from_secs_f64(cap.as_secs_f64() * fastrand::f64()).unwrap_or(cap);
        match asked {
            Some(asked) => asked.clamp(wait, wait.saturating_add(Duration::from_secs(5))),
            None => wait,
        }
    }
}

/// Time limits. The defaults are the AWS SDKs': a connect timeout of 3.1 s, no limit
/// on an attempt, and stalled-stream protection with a grace of 5 s.
///
/// An attempt has no time limit unless one is set: an upload of many gigabytes, or a
/// synchronous Lambda invocation of fifteen minutes, takes as long as it takes. What
/// keeps a broken connection from hanging the call is the stall timeout: a body that
/// is being sent or received and makes no progress for that long fails the attempt
/// (which is retried when it can be).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    stall: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(Duration::from_millis(3100)),
            attempt: None,
            stall: Some(Duration::from_secs(5)),
        }
    }
}

impl TimeoutConfig {
    /// Sets the connect timeout.
    pub fn with_connect_timeout(mut self, d: Option<Duration>) -> Self {
        self.connect = d;
        self
    }

    /// Sets the limit on one attempt: sending the request and reading the response
    /// (up to the response's head, for an operation whose output streams).
    pub fn with_attempt_timeout(mut self, d: Option<Duration>) -> Self {
        self.attempt = d;
        self
    }

    /// Sets the stall timeout: how long a body in flight may go without progress, a
    /// response body with no byte arriving while it is read, or a request body the
    /// connection takes no chunk of while it holds the last one. A request body in
    /// memory is handed to the connection whole, so only uploads from a file or a
    /// stream are watched; the wait for a response's head is not limited by it. `None`
    /// turns the protection off.
    pub fn with_stall_timeout(mut self, d: Option<Duration>) -> Self {
        self.stall = d;
        self
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect
    }

    /// The limit on one attempt.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt
    }

    /// The stall timeout.
    pub fn stall_timeout(&self) -> Option<Duration> {
        self.stall
    }
}

/// A client's configuration.
#[derive(Clone, Default)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) credentials: Option<CredentialsCache>,
    pub(crate) credentials_settings: CacheSettings,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) transport: Option<Arc<dyn Transport>>,
    pub(crate) compression: CompressionConfig,
    pub(crate) bearer_token: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) disable_host_prefix: bool,
    /// `None`: endpoint discovery only for the operations that require it.
    pub(crate) endpoint_discovery: Option<bool>,
    pub(crate) endpoint_params: crate::endpoint::Params,
}

/// Request compression for operations with `@requestCompression`: on, from 10 KiB of
/// body, unless turned off (`AWS_DISABLE_REQUEST_COMPRESSION`,
/// `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`, or the profile keys of those names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompressionConfig {
    disabled: bool,
    min_size: usize,
}

impl Default for CompressionConfig {
    fn default() -> Self {
        CompressionConfig {
            disabled: false,
            min_size: 10_240,
        }
    }
}

impl CompressionConfig {
    /// The largest minimum size the SDKs accept (10 MiB).
    pub const MAX_MIN_SIZE: usize = 10_485_760;

    /// With `true`, bodies are never compressed.
    pub fn with_disabled(mut self, disabled: bool) -> Self {
        self.disabled = disabled;
        self
    }

    /// Bodies smaller than this are sent as they are (capped at [`Self::MAX_MIN_SIZE`]).
    pub fn with_min_size(mut self, bytes: usize) -> Self {
        self.min_size = bytes.min(Self::MAX_MIN_SIZE);
        self
    }

    /// Whether a body of `len` bytes is compressed.
    pub fn applies_to(&self, len: usize) -> bool {
        !self.disabled && len >= self.min_size
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("endpoint_url", &self.endpoint_url)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("transport", &self.transport.as_ref().map(|_| "custom"))
            .field("compression", &self.compression)
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| "** redacted **"),
            )
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("disable_host_prefix", &self.disable_host_prefix)
            .field("endpoint_discovery", &self.endpoint_discovery)
            .field("endpoint_params", &self.endpoint_params)
            .finish()
    }
}

impl Config {
    /// An empty builder.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder filled from the process environment and the shared AWS files, for a
    /// service whose `AWS_ENDPOINT_URL_<SERVICE>` suffix is `service_env` (such as
    /// `NETWORK_FIREWALL`).
    ///
    /// Credentials come from the default chain: without the `aws-config` feature, the
    /// environment then the profile ([`EnvProfileProvider`]); with it, the official
    /// `aws-config` default chain (`credentials::SdkDefaultChain`), built on first use
    /// with the region found here.
    /// Either way, a chain that finds nothing is reported when a call needs
    /// credentials, not here.
    pub fn from_env(service_env: &str) -> ConfigBuilder {
        let var = |k: &str| std::env::var(k).ok();
        #[cfg(not(feature = "aws-config"))]
        {
            ConfigBuilder::from_env_with(service_env, var)
        }
        #[cfg(feature = "aws-config")]
        {
            let files = ProfileFiles::load(&var);
            let b = ConfigBuilder::settings_from_env(service_env, &var, &files);
            let mut chain = crate::credentials::SdkDefaultChain::new();
            if let Some(region) = &b.config.region {
                chain = chain.region(region.clone());
            }
            b.provider_named(
                chain,
                Cow::Borrowed("the aws-config default credentials chain"),
            )
        }
    }

    /// The region.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Credentials to sign with, from the configured provider through its cache:
    /// the cached ones while fresh, else new ones (one fetch for all concurrent
    /// callers). Fails when no provider is configured or the provider fails.
    pub async fn credentials(&self) -> Result<AwsCredentials, CredentialsFailure> {
        match &self.credentials {
            Some(cache) => cache.credentials().await,
            None => Err(CredentialsFailure::not_configured()),
        }
    }

    /// [`credentials`](Self::credentials) as the signer takes them.
    pub(crate) async fn identity(
        &self,
    ) -> Result<aws_smithy_runtime_api::client::identity::Identity, CredentialsFailure> {
        match &self.credentials {
            Some(cache) => cache.identity().await,
            None => Err(CredentialsFailure::not_configured()),
        }
    }

    /// The credentials provider with its cache, if one is configured. Clones of this
    /// configuration, and the clients built from them, share the cache.
    pub fn credentials_cache(&self) -> Option<&CredentialsCache> {
        self.credentials.as_ref()
    }

    /// The credentials provider, if one is configured.
    pub fn credentials_provider(&self) -> Option<&SharedCredentialsProvider> {
        self.credentials.as_ref().map(CredentialsCache::provider)
    }

    /// The endpoint override.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The retry configuration.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeouts.
    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// A builder holding this configuration, to change some of it.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            config: self.clone(),
        }
    }
}

/// Builds a [`Config`].
#[derive(Clone, Default, Debug)]
pub struct ConfigBuilder {
    config: Config,
}

impl ConfigBuilder {
    /// Sets the region.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Signs with these static credentials.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.provider_named(
            AwsCredentials::from(credentials),
            Cow::Borrowed("the static credentials"),
        )
    }

    /// Signs with credentials from `provider`: any implementation of the standard
    /// [`ProvideCredentials`] trait (an `aws-config` provider, a
    /// [`SharedCredentialsProvider`], your own). They are cached and refreshed
    /// [`credentials_refresh_buffer`](Self::credentials_refresh_buffer) before they
    /// expire; concurrent calls share one refresh. Errors name the provider by its type.
    pub fn credentials_provider(self, provider: impl ProvideCredentials + 'static) -> Self {
        fn name_of<P>(_: &P) -> String {
            format!("the credentials provider `{}`", std::any::type_name::<P>())
        }
        let name = name_of(&provider);
        self.provider_named(provider, Cow::Owned(name))
    }

    pub(crate) fn provider_named(
        mut self,
        provider: impl ProvideCredentials + 'static,
        name: Cow<'static, str>,
    ) -> Self {
        self.config.credentials = Some(CredentialsCache::with_settings(
            SharedCredentialsProvider::new(provider),
            name,
            self.config.credentials_settings,
        ));
        self
    }

    /// Sets how long before their expiry credentials are refreshed (five minutes by
    /// default).
    pub fn credentials_refresh_buffer(mut self, buffer: Duration) -> Self {
        self.config.credentials_settings.refresh_buffer = buffer;
        self.reconfigure_cache()
    }

    /// Sets how long one call to the credentials provider may take (five seconds by
    /// default; `None` for no limit).
    pub fn credentials_load_timeout(mut self, limit: Option<Duration>) -> Self {
        self.config.credentials_settings.load_timeout = limit;
        self.reconfigure_cache()
    }

    fn reconfigure_cache(mut self) -> Self {
        if let Some(cache) = &self.config.credentials {
            self.config.credentials = Some(cache.reconfigured(self.config.credentials_settings));
        }
        self
    }

    /// Sends requests to this URL instead of the service's regional endpoint.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }

    /// The token of services that authenticate with `smithy.api#httpBearerAuth`
    /// (`Authorization: Bearer <token>`).
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.config.bearer_token = Some(token.into());
        self
    }

    /// Uses FIPS endpoints (`AWS_USE_FIPS_ENDPOINT`, `use_fips_endpoint`), where the
    /// service's endpoint rules have them.
    pub fn use_fips(mut self, fips: bool) -> Self {
        self.config.use_fips = fips;
        self
    }

    /// Turns endpoint discovery (`aws.api#clientEndpointDiscovery`, the services that
    /// send each account to a cell of its own, such as Timestream) on for every
    /// operation that can use it, or off even for those that require it
    /// (`AWS_ENABLE_ENDPOINT_DISCOVERY`, `endpoint_discovery_enabled`). Unset, the
    /// operations that require it use it. A configured endpoint URL turns it off.
    pub fn endpoint_discovery(mut self, enabled: bool) -> Self {
        self.config.endpoint_discovery = Some(enabled);
        self
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints (`AWS_USE_DUALSTACK_ENDPOINT`,
    /// `use_dualstack_endpoint`), where the service's endpoint rules have them.
    pub fn use_dual_stack(mut self, dual_stack: bool) -> Self {
        self.config.use_dual_stack = dual_stack;
        self
    }

    /// Sends operations with an `@endpoint` host prefix (such as Step Functions'
    /// `sync-`) to the endpoint's own host, without the prefix: for an endpoint URL of
    /// a local test server or a proxy (`AWS_DISABLE_HOST_PREFIX_INJECTION`,
    /// `disable_host_prefix_injection`).
    pub fn disable_host_prefix_injection(mut self, disable: bool) -> Self {
        self.config.disable_host_prefix = disable;
        self
    }

    /// Sets a parameter of the service's endpoint rules (its
    /// `smithy.rules#clientContextParams`, by name).
    pub fn endpoint_param(
        mut self,
        name: impl Into<String>,
        value: impl Into<crate::endpoint::ParamValue>,
    ) -> Self {
        self.config.endpoint_params.set(name, value);
        self
    }

    /// Sets when request bodies of operations with `@requestCompression` are gzipped.
    pub fn compression_config(mut self, compression: CompressionConfig) -> Self {
        self.config.compression = compression;
        self
    }

    /// Sets how failed attempts are retried.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.config.retry = retry;
        self
    }

    /// Sets the timeouts.
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.config.timeouts = timeouts;
        self
    }

    /// Sends requests through this transport instead of the default HTTP client.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.config.transport = Some(Arc::new(transport));
        self
    }

    /// Sends requests through this shared transport.
    pub fn shared_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.config.transport = Some(transport);
        self
    }

    /// The configuration.
    pub fn build(self) -> Config {
        self.config
    }

    /// Fills a builder from environment variables read through `var`, and the shared
    /// config and credentials files they point at. Credentials come from the
    /// environment, then the profile ([`EnvProfileProvider`]), with or without the
    /// `aws-config` feature.
    pub fn from_env_with(service_env: &str, var: impl Fn(&str) -> Option<String>) -> ConfigBuilder {
        let files = ProfileFiles::load(&var);
        let credentials = EnvProfileProvider::from_parts(&var, &files);
        ConfigBuilder::settings_from_env(service_env, &var, &files)
            .provider_named(credentials, Cow::Borrowed(ENV_PROFILE_NAME))
    }

    /// Region, endpoint and retries from the environment and the profile.
    fn settings_from_env(
        service_env: &str,
        var: &dyn Fn(&str) -> Option<String>,
        files: &ProfileFiles,
    ) -> ConfigBuilder {
        let non_empty = |k: &str| var(k).filter(|v| !v.trim().is_empty());
        let mut b = ConfigBuilder::default();
        b.config.region = non_empty("AWS_REGION")
            .or_else(|| non_empty("AWS_DEFAULT_REGION"))
            .or_else(|| files.config_get("region"));
        let flag = |env: &str, key: &str| {
            non_empty(env)
                .or_else(|| files.config_get(key))
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        };
        // The SDKs' order: the service's variable, the service's entry in the
        // profile's `services` section, `AWS_ENDPOINT_URL`, the profile's
        // `endpoint_url`; none of them when configured endpoints are to be ignored.
        if !flag(
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "ignore_configured_endpoint_urls",
        ) {
            b.config.endpoint_url = non_empty(&format!("AWS_ENDPOINT_URL_{service_env}"))
                .or_else(|| files.service_get(service_env, "endpoint_url"))
                .or_else(|| non_empty("AWS_ENDPOINT_URL"))
                .or_else(|| files.config_get("endpoint_url"))
                .filter(|v| !v.trim().is_empty());
        }
        b.config.use_fips = flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
        b.config.use_dual_stack = flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
        b.config.disable_host_prefix = flag(
            "AWS_DISABLE_HOST_PREFIX_INJECTION",
            "disable_host_prefix_injection",
        );
        // `true`, `false`, or `auto` (the default: where operations require it).
        b.config.endpoint_discovery = non_empty("AWS_ENABLE_ENDPOINT_DISCOVERY")
            .or_else(|| files.config_get("endpoint_discovery_enabled"))
            .and_then(|v| match v.trim().to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            });
        if let Some(v) = non_empty("AWS_DISABLE_REQUEST_COMPRESSION")
            .or_else(|| files.config_get("disable_request_compression"))
        {
            let disabled = v.trim().eq_ignore_ascii_case("true");
            b.config.compression = b.config.compression.with_disabled(disabled);
        }
        if let Some(n) = non_empty("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES")
            .or_else(|| files.config_get("request_min_compression_size_bytes"))
            .and_then(|v| v.trim().parse::<usize>().ok())
        {
            b.config.compression = b.config.compression.with_min_size(n);
        }
        if let Some(n) = non_empty("AWS_MAX_ATTEMPTS")
            .or_else(|| files.config_get("max_attempts"))
            .and_then(|v| v.trim().parse::<u32>().ok())
        {
            b.config.retry = b.config.retry.with_max_attempts(n);
        }
        // A mode the setting does not name is left as it is.
        if let Some(mode) = non_empty("AWS_RETRY_MODE")
            .or_else(|| files.config_get("retry_mode"))
            .and_then(|v| RetryMode::from_setting(&v))
        {
            b.config.retry = b.config.retry.with_mode(mode);
        }
        b
    }
}

/// The sections of a shared config or credentials file, as [`parse_profiles`] reads
/// them: each name once, in the order of their first header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profiles {
    sections: Vec<(String, Section)>,
}

/// The keys of one section: each once, the last value given, in the order of their
/// first line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    keys: Vec<(String, String)>,
}

impl Profiles {
    /// The section `name` (`dev` for `[profile dev]`, `services local` for
    /// `[services local]`).
    pub fn get(&self, name: &str) -> Option<&Section> {
        crate::types::by_name(&self.sections, name)
    }

    /// Where section `name` is, added if it is not there.
    fn index_of(&mut self, name: &str) -> usize {
        match self.sections.iter().position(|(n, _)| n == name) {
            Some(i) => i,
            None => {
                self.sections.push((name.to_string(), Section::default()));
                self.sections.len() - 1
            }
        }
    }
}

impl Section {
    /// The value of `key` (lower case; `s3.endpoint_url` for a sub-property).
    pub fn get(&self, key: &str) -> Option<&str> {
        crate::types::by_name(&self.keys, key).map(String::as_str)
    }
}

/// The selected profile of the shared config and credentials files.
pub(crate) struct ProfileFiles {
    pub(crate) profile_name: String,
    config_path: Option<PathBuf>,
    creds_path: Option<PathBuf>,
    /// `None` when the file could not be read.
    config: Option<Profiles>,
    creds: Option<Profiles>,
}

/// One of the shared files, for error messages.
struct Source<'a> {
    what: &'static str,
    path: Option<&'a Path>,
    present: bool,
}

impl Source<'_> {
    fn describe(&self) -> String {
        match (self.path, self.present) {
            (None, _) => format!("the {} file (no home directory is set)", self.what),
            (Some(p), true) => p.display().to_string(),
            (Some(p), false) => format!("{} (not found)", p.display()),
        }
    }
}

impl ProfileFiles {
    /// Finds and reads the files as `AWS_PROFILE`, `AWS_CONFIG_FILE`,
    /// `AWS_SHARED_CREDENTIALS_FILE` and `HOME` (read through `var`) say.
    pub(crate) fn load(var: &dyn Fn(&str) -> Option<String>) -> Self {
        let non_empty = |k: &str| var(k).filter(|v| !v.trim().is_empty());
        let profile_name = non_empty("AWS_PROFILE").unwrap_or_else(|| "default".to_string());
        let home = non_empty("HOME")
            .or_else(|| non_empty("USERPROFILE"))
            .map(PathBuf::from);
        let config_path = non_empty("AWS_CONFIG_FILE")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join("config")));
        let creds_path = non_empty("AWS_SHARED_CREDENTIALS_FILE")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join("credentials")));
        let read = |p: &Option<PathBuf>, config_file: bool| {
            p.as_ref()
                .and_then(|p| std::fs::read_to_string(p).ok())
                .map(|s| parse_profiles(&s, config_file))
        };
        ProfileFiles {
            profile_name,
            config: read(&config_path, true),
            creds: read(&creds_path, false),
            config_path,
            creds_path,
        }
    }

    fn section<'a>(&'a self, file: &'a Option<Profiles>) -> Option<&'a Section> {
        file.as_ref().and_then(|f| f.get(&self.profile_name))
    }

    /// A key of the profile: from the credentials file, else the config file.
    pub(crate) fn get(&self, key: &str) -> Option<String> {
        self.section(&self.creds)
            .and_then(|p| p.get(key))
            .or_else(|| self.section(&self.config).and_then(|p| p.get(key)))
            .map(str::to_string)
    }

    /// A key of the profile in the config file.
    pub(crate) fn config_get(&self, key: &str) -> Option<String> {
        self.section(&self.config)
            .and_then(|p| p.get(key))
            .map(str::to_string)
    }

    /// A setting of one service in the `[services name]` section the profile names with
    /// its `services` key: the service is named as in `AWS_ENDPOINT_URL_<SERVICE>`,
    /// lower case (`dynamodb`, `network_firewall`).
    pub(crate) fn service_get(&self, service_env: &str, key: &str) -> Option<String> {
        let services = self.config_get("services")?;
        let section = self
            .config
            .as_ref()?
            .get(&format!("services {}", services.trim()))?;
        section
            .get(&format!("{}.{key}", service_env.to_ascii_lowercase()))
            .map(str::to_string)
    }

    /// Whether either file has the profile.
    pub(crate) fn has_profile(&self) -> bool {
        self.section(&self.creds).is_some() || self.section(&self.config).is_some()
    }

    /// Names the credentials file, then the config file, for error messages.
    pub(crate) fn describe_sources(&self) -> String {
        let [a, b] = self.sources();
        format!("{} or {}", a.describe(), b.describe())
    }

    fn sources(&self) -> [Source<'_>; 2] {
        [
            Source {
                what: "shared credentials",
                path: self.creds_path.as_deref(),
                present: self.creds.is_some(),
            },
            Source {
                what: "shared config",
                path: self.config_path.as_deref(),
                present: self.config.is_some(),
            },
        ]
    }
}

/// Parses the INI format of `~/.aws/config` (`[profile name]`, `[default]`, and
/// `[services name]`, kept as the section `services name`) or `~/.aws/credentials`
/// (`[name]`) into sections of keys. An indented `key = value` under a key with an
/// empty value is a sub-property, kept as `parent.key`:
///
/// ```text
/// [services local]
/// dynamodb =
///   endpoint_url = http://localhost:8000
/// ```
///
/// gives the section `services local` the key `dynamodb.endpoint_url`.
pub fn parse_profiles(text: &str, config_file: bool) -> Profiles {
    let mut out = Profiles::default();
    let mut current: Option<String> = None;
    // Where `current` is in `out`, from its first key on (a section without keys is
    // not kept).
    let mut current_index: Option<usize> = None;
    // The last key of the section whose value was empty: it takes sub-properties.
    let mut parent: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.split(']').next()) {
            let section = section.trim();
            parent = None;
            current_index = None;
            current = if config_file {
                let named = |prefix: &str| {
                    section
                        .strip_prefix(prefix)
                        .filter(|name| name.starts_with(char::is_whitespace))
                        .map(str::trim)
                        .filter(|name| !name.is_empty())
                };
                match (named("profile"), named("services")) {
                    (Some(name), _) => Some(name.to_string()),
                    (None, Some(name)) => Some(format!("services {name}")),
                    _ if section == "default" => Some("default".to_string()),
                    _ => None,
                }
            } else {
                Some(section.to_string())
            };
            continue;
        }
        let (Some(section), Some((k, v))) = (&current, line.split_once('=')) else {
            continue;
        };
        let k = k.trim().to_ascii_lowercase();
        let v = v.split(" #").next().unwrap_or_default().trim();
        let key = match &parent {
            Some(p) if raw.starts_with(char::is_whitespace) => format!("{p}.{k}"),
            // Other indented lines are read as keys of their own, as ever.
            _ => {
                parent = v.is_empty().then(|| k.clone());
                k
            }
        };
        let i = *current_index.get_or_insert_with(|| out.index_of(section));
        crate::types::set_by_name(&mut out.sections[i].1.keys, key, v.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn sub_properties_stay_under_their_key() {
        let text = "[profile dev]\nregion = eu-west-3\nendpoint_url = http://127.0.0.1:5124\ns3 =\n    endpoint_url = http://127.0.0.1:9\n    addressing_style = path\nservices = local\n\n[services local]\ndynamodb =\n  endpoint_url = http://localhost:8000\n[default]\n  indented = a key of its own\n";
        let p = parse_profiles(text, true);
        let dev = p.get("dev").unwrap();
        assert_eq!(dev.get("endpoint_url"), Some("http://127.0.0.1:5124"));
        assert_eq!(dev.get("s3.endpoint_url"), Some("http://127.0.0.1:9"));
        assert_eq!(dev.get("s3.addressing_style"), Some("path"));
        assert_eq!(dev.get("services"), Some("local"));
        assert_eq!(
            p.get("services local")
                .and_then(|s| s.get("dynamodb.endpoint_url")),
            Some("http://localhost:8000")
        );
        assert_eq!(
            p.get("default").and_then(|s| s.get("indented")),
            Some("a key of its own")
        );
        assert_eq!(p.get("staging"), None);
    }

    #[test]
    fn a_repeated_section_or_key_merges_and_the_last_value_wins() {
        let text = "[profile a]\nregion = us-east-1\nREGION = eu-west-1\n[profile b]\nregion = b\n[profile a]\noutput = json\n";
        let p = parse_profiles(text, true);
        let a = p.get("a").unwrap();
        assert_eq!(a.get("region"), Some("eu-west-1"));
        assert_eq!(a.get("output"), Some("json"));
        assert_eq!(p.get("b").and_then(|s| s.get("region")), Some("b"));
        // A section without keys is not there.
        assert_eq!(
            parse_profiles("[profile empty]\n# nothing\n", true).get("empty"),
            None
        );
        // In the credentials file a section is named as it is written.
        let creds = parse_profiles("[profile a]\nk = 1\n[a]\nk = 2\n", false);
        assert_eq!(creds.get("profile a").and_then(|s| s.get("k")), Some("1"));
        assert_eq!(creds.get("a").and_then(|s| s.get("k")), Some("2"));
    }

    /// A folder of this process (named with `tag`) holding a shared config file and,
    /// if given, a credentials file (otherwise a path where there is none), with the
    /// variables that name them and `profile`.
    fn shared_files(
        tag: &str,
        config: &str,
        credentials: Option<&str>,
        profile: &str,
    ) -> (std::path::PathBuf, HashMap<&'static str, String>) {
        let dir = std::env::temp_dir().join(format!("smithy-runtime-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config"), config).unwrap();
        if let Some(text) = credentials {
            std::fs::write(dir.join("credentials"), text).unwrap();
        }
        let mut vars = HashMap::new();
        vars.insert("AWS_CONFIG_FILE", dir.join("config").display().to_string());
        vars.insert(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.join("credentials").display().to_string(),
        );
        vars.insert("AWS_PROFILE", profile.to_string());
        (dir, vars)
    }

    #[test]
    fn endpoints_come_from_variables_services_sections_and_profiles_in_the_sdks_order() {
        let (dir, mut vars) = shared_files(
            "svc",
            "[profile dev]\nendpoint_url = http://profile\nservices = local\n[services local]\ndynamodb =\n  endpoint_url = http://service-section\n[profile off]\nendpoint_url = http://profile\nignore_configured_endpoint_urls = true\n",
            None,
            "dev",
        );
        let endpoint = |service: &str, vars: &HashMap<&str, String>| {
            ConfigBuilder::from_env_with(service, |k| vars.get(k).cloned())
                .build()
                .endpoint_url()
                .map(str::to_string)
        };
        // The service's own entry wins over the profile's URL; other services get that.
        assert_eq!(
            endpoint("DYNAMODB", &vars).as_deref(),
            Some("http://service-section")
        );
        assert_eq!(
            endpoint("KINESIS", &vars).as_deref(),
            Some("http://profile")
        );
        vars.insert("AWS_ENDPOINT_URL", "http://global-variable".into());
        assert_eq!(
            endpoint("DYNAMODB", &vars).as_deref(),
            Some("http://service-section")
        );
        assert_eq!(
            endpoint("KINESIS", &vars).as_deref(),
            Some("http://global-variable")
        );
        vars.insert(
            "AWS_ENDPOINT_URL_DYNAMODB",
            "http://service-variable".into(),
        );
        assert_eq!(
            endpoint("DYNAMODB", &vars).as_deref(),
            Some("http://service-variable")
        );
        // Configured endpoints can be ignored, by variable or profile.
        vars.insert("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true".into());
        assert_eq!(endpoint("DYNAMODB", &vars), None);
        vars.remove("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
        vars.remove("AWS_ENDPOINT_URL");
        vars.remove("AWS_ENDPOINT_URL_DYNAMODB");
        vars.insert("AWS_PROFILE", "off".into());
        assert_eq!(endpoint("KINESIS", &vars), None);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_retry_mode_comes_from_the_variable_or_the_profile() {
        let (dir, mut vars) = shared_files(
            "retry",
            "[profile p]\nretry_mode = adaptive\nmax_attempts = 5\n",
            None,
            "p",
        );
        let retry = |vars: &HashMap<&str, String>| {
            ConfigBuilder::from_env_with("X", |k| vars.get(k).cloned())
                .build()
                .retry_config()
                .clone()
        };
        let r = retry(&vars);
        assert_eq!((r.mode(), r.max_attempts()), (RetryMode::Adaptive, 5));
        for (setting, mode) in [
            ("Standard", RetryMode::Standard),
            ("legacy", RetryMode::Standard),
            ("ADAPTIVE", RetryMode::Adaptive),
        ] {
            vars.insert("AWS_RETRY_MODE", setting.into());
            assert_eq!(retry(&vars).mode(), mode, "{setting}");
        }
        // A mode no SDK has changes nothing.
        vars.insert("AWS_RETRY_MODE", "fast".into());
        assert_eq!(retry(&vars).mode(), RetryMode::Standard);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn environment_variables_win_over_files() {
        let (dir, mut vars) = shared_files(
            "cfg",
            "[default]\nregion = eu-west-1\n[profile other]\nregion = ap-south-1\nendpoint_url = http://localhost:1\n",
            Some("[other]\naws_access_key_id = AKIDFILE\naws_secret_access_key = SECRETFILE\n"),
            "other",
        );
        let c = ConfigBuilder::from_env_with("X", |k| vars.get(k).cloned()).build();
        assert_eq!(c.region(), Some("ap-south-1"));
        assert_eq!(c.credentials().await.unwrap().access_key_id(), "AKIDFILE");
        assert_eq!(c.endpoint_url(), Some("http://localhost:1"));

        vars.insert("AWS_REGION", "us-east-2".into());
        vars.insert("AWS_ACCESS_KEY_ID", "AKIDENV".into());
        vars.insert("AWS_SECRET_ACCESS_KEY", "SECRETENV".into());
        vars.insert("AWS_SESSION_TOKEN", "TOKEN".into());
        vars.insert("AWS_ENDPOINT_URL_X", "http://127.0.0.1:9".into());
        let c = ConfigBuilder::from_env_with("X", |k| vars.get(k).cloned()).build();
        assert_eq!(c.region(), Some("us-east-2"));
        let creds = c.credentials().await.unwrap();
        assert_eq!(
            (creds.access_key_id(), creds.session_token()),
            ("AKIDENV", Some("TOKEN"))
        );
        assert_eq!(c.endpoint_url(), Some("http://127.0.0.1:9"));
        assert!(!format!("{c:?}").contains("SECRETENV"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_chain_that_finds_nothing_says_why_for_each_source() {
        let dir = std::env::temp_dir().join(format!("smithy-runtime-chain-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("config"),
            "[profile sso]\nsso_session = corp\n[profile half]\naws_access_key_id = AKID\n",
        )
        .unwrap();
        let config_file = dir.join("config").display().to_string();
        let missing = dir.join("missing").display().to_string();
        let error = |profile: &str, extra: &[(&str, &str)]| {
            let mut vars: HashMap<String, String> = HashMap::new();
            vars.insert("AWS_CONFIG_FILE".into(), config_file.clone());
            vars.insert("AWS_SHARED_CREDENTIALS_FILE".into(), missing.clone());
            vars.insert("AWS_PROFILE".into(), profile.into());
            for (k, v) in extra {
                vars.insert(k.to_string(), v.to_string());
            }
            let c = ConfigBuilder::from_env_with("X", |k| vars.get(k).cloned()).build();
            async move { c.credentials().await.unwrap_err().to_string() }
        };
        let e = error("nope", &[]).await;
        assert!(
            e.starts_with("no credentials: the default chain (environment, then profile) found none: environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; profile `nope`: no such profile in "),
            "{e}"
        );
        assert!(e.contains("missing (not found) or "), "{e}");
        let e = error("sso", &[("AWS_ACCESS_KEY_ID", "AKID")]).await;
        assert!(
            e.contains("environment: AWS_SECRET_ACCESS_KEY is not set; profile `sso`: it uses `sso_session`"),
            "{e}"
        );
        let e = error("half", &[]).await;
        assert!(
            e.contains("profile `half`: no aws_secret_access_key in "),
            "{e}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let r = RetryConfig::standard()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(250));
        for attempt in 1..10 {
            let d = r.backoff(attempt, false, None);
            assert!(d <= Duration::from_millis(250), "{d:?}");
        }
        assert!(r.backoff(1, true, None) <= Duration::from_millis(100));
    }

    /// Throttling waits from 1 s, other errors from 50 ms (DynamoDB: 25 ms and four
    /// attempts); what a configuration sets stays.
    #[test]
    fn the_standard_mode_has_per_service_defaults() {
        let ms = Duration::from_millis;
        let r = RetryConfig::standard().for_service("network-firewall");
        assert_eq!(r.max_attempts(), 3);
        let dynamo = RetryConfig::standard().for_service("dynamodb");
        assert_eq!(dynamo.max_attempts(), 4);
        let set = RetryConfig::standard()
            .with_max_attempts(2)
            .for_service("dynamodb");
        assert_eq!(set.max_attempts(), 2);
        // Many draws: never above the base, and some well above the other base.
        let (mut transient, mut throttled, mut dynamo_max) = (ms(0), ms(0), ms(0));
        for _ in 0..200 {
            transient = transient.max(r.backoff(1, false, None));
            throttled = throttled.max(r.backoff(1, true, None));
            dynamo_max = dynamo_max.max(dynamo.backoff(1, false, None));
        }
        assert!(transient <= ms(50) && transient > ms(25), "{transient:?}");
        assert!(
            throttled <= ms(1000) && throttled > ms(100),
            "{throttled:?}"
        );
        assert!(dynamo_max <= ms(25), "{dynamo_max:?}");
        assert!(r.backoff(3, false, None) <= ms(200));
    }

    /// A configuration at the edge of `Duration` waits without a panic.
    #[test]
    fn huge_waits_do_not_panic() {
        let r = RetryConfig::standard()
            .with_initial_backoff(Duration::MAX)
            .with_max_backoff(Duration::MAX);
        for _ in 0..100 {
            for attempt in [0, 1, 2, 40, u32::MAX] {
                let _ = r.backoff(attempt, attempt % 2 == 0, Some(Duration::MAX));
            }
        }
    }

    /// `x-amz-retry-after` is kept between the computed wait and five seconds more.
    #[test]
    fn the_wait_the_service_asks_for_is_bounded() {
        let ms = Duration::from_millis;
        let r = RetryConfig::standard().for_service("svc");
        assert_eq!(r.backoff(1, false, Some(ms(2000))), ms(2000));
        assert!(r.backoff(1, false, Some(ms(0))) <= ms(50));
        let far = r.backoff(1, false, Some(Duration::from_secs(60)));
        assert!(far <= ms(5050) && far >= ms(5000), "{far:?}");
    }
}
