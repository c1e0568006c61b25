//! Credentials for signing: any [`ProvideCredentials`] (the AWS ecosystem's standard
//! trait), behind a cache that refreshes them before they expire and lets one
//! refresh serve every call that needs it.
//!
//! [`ConfigBuilder::credentials`](crate::ConfigBuilder::credentials) takes static
//! keys, [`ConfigBuilder::credentials_provider`](crate::ConfigBuilder::credentials_provider)
//! any provider. [`Config::from_env`](crate::Config::from_env) uses the default chain:
//! the environment, then the shared profile files ([`EnvProfileProvider`]); with the
//! `aws-config` cargo feature, the official `aws-config` default chain instead
//! (`SdkDefaultChain`: environment, profile, SSO, web identity, ECS, IMDS,
//! `credential_process`, assume role).

use crate::config::ProfileFiles;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::future;
use aws_smithy_runtime_api::client::identity::Identity;
use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// The `aws-credential-types` crate this runtime uses, for implementing
/// [`ProvideCredentials`] and building its [`Credentials`](aws_credential_types::Credentials).
pub use aws_credential_types;
pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};

/// Resolved credentials, as providers return them and the signer takes them (with
/// their session token and expiry).
pub type AwsCredentials = aws_credential_types::Credentials;

/// How long before their expiry credentials are refreshed, by default.
pub const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(5 * 60);
/// How long one call to the provider may take, by default.
pub const DEFAULT_LOAD_TIMEOUT: Duration = Duration::from_secs(5);

/// Settings of the cache (kept in [`Config`](crate::Config)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CacheSettings {
    pub(crate) refresh_buffer: Duration,
    pub(crate) load_timeout: Option<Duration>,
}

impl Default for CacheSettings {
    fn default() -> Self {
        CacheSettings {
            refresh_buffer: DEFAULT_REFRESH_BUFFER,
            load_timeout: Some(DEFAULT_LOAD_TIMEOUT),
        }
    }
}

type RefreshResult = Result<AwsCredentials, Arc<CredentialsError>>;
type Refresh = Arc<tokio::sync::OnceCell<RefreshResult>>;

/// A credentials provider behind a cache. Cheap to clone: clones share the cache.
///
/// Credentials without an expiry are fetched once. Credentials with one are used
/// until `refresh_buffer` before it (or, when they come with less time left than
/// that, until half their remaining lifetime); then the next call fetches new ones.
/// Calls that need credentials while a fetch is under way wait for it and share its
/// result, so concurrent calls cause one provider call. A failed fetch is reported
/// to the calls that waited for it, and the next call tries again.
#[derive(Clone)]
pub struct CredentialsCache {
    inner: Arc<CacheInner>,
}

struct CacheInner {
    provider: SharedCredentialsProvider,
    name: Cow<'static, str>,
    settings: CacheSettings,
    state: Mutex<CacheState>,
}

#[derive(Default)]
struct CacheState {
    current: Option<Cached>,
    refresh: Option<Refresh>,
}

struct Cached {
    credentials: AwsCredentials,
    /// The credentials as the signer takes them, made once rather than per call.
    identity: Identity,
    refresh_at: Option<SystemTime>,
}

impl Cached {
    fn new(credentials: AwsCredentials, buffer: Duration, now: SystemTime) -> Self {
        let refresh_at = credentials.expiry().map(|expiry| {
            match expiry.checked_sub(buffer).filter(|t| *t > now) {
                Some(t) => t,
                // Less than the buffer is left: use them for half of what is left.
                None => match expiry.duration_since(now) {
                    Ok(left) => now + left / 2,
                    Err(_) => now,
                },
            }
        });
        Cached {
            identity: credentials.clone().into(),
            credentials,
            refresh_at,
        }
    }

    /// Whether they can still be used; the clock is read only for credentials that
    /// expire.
    fn fresh(&self) -> bool {
        self.refresh_at.map_or(true, |t| SystemTime::now() < t)
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("CredentialsCache")
            .field("provider", &self.inner.name)
            .field("refresh_buffer", &self.inner.settings.refresh_buffer)
            .field("load_timeout", &self.inner.settings.load_timeout)
            .field(
                "cached_access_key_id",
                &state
                    .current
                    .as_ref()
                    .map(|c| c.credentials.access_key_id().to_string()),
            )
            .field(
                "cached_until",
                &state.current.as_ref().and_then(|c| c.refresh_at),
            )
            .finish()
    }
}

impl CredentialsCache {
    pub(crate) fn with_settings(
        provider: SharedCredentialsProvider,
        name: Cow<'static, str>,
        settings: CacheSettings,
    ) -> Self {
        CredentialsCache {
            inner: Arc::new(CacheInner {
                provider,
                name,
                settings,
                state: Mutex::new(CacheState::default()),
            }),
        }
    }

    /// A new, empty cache in front of the same provider, with other settings.
    pub(crate) fn reconfigured(&self, settings: CacheSettings) -> Self {
        Self::with_settings(
            self.inner.provider.clone(),
            self.inner.name.clone(),
            settings,
        )
    }

    /// The provider behind the cache.
    pub fn provider(&self) -> &SharedCredentialsProvider {
        &self.inner.provider
    }

    /// How errors name the provider, such as ``the credentials provider `my::Provider` ``.
    pub fn provider_name(&self) -> &str {
        &self.inner.name
    }

    fn state(&self) -> std::sync::MutexGuard<'_, CacheState> {
        // Nothing panics while the lock is held; a poisoned lock still holds a
        // consistent state.
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets the cached credentials: the next call fetches new ones.
    pub fn invalidate(&self) {
        self.state().current = None;
    }

    /// Credentials to sign with: the cached ones while they are fresh, else new ones
    /// from the provider (one fetch shared by every concurrent caller).
    pub async fn credentials(&self) -> Result<AwsCredentials, CredentialsFailure> {
        self.resolve(|c| c.credentials.clone()).await
    }

    /// The credentials [`credentials`](Self::credentials) returns, as the signer
    /// takes them.
    pub(crate) async fn identity(&self) -> Result<Identity, CredentialsFailure> {
        self.resolve(|c| c.identity.clone()).await
    }

    async fn resolve<T>(&self, pick: fn(&Cached) -> T) -> Result<T, CredentialsFailure> {
        let refresh = {
            let mut state = self.state();
            if let Some(cached) = &state.current {
                if cached.fresh() {
                    return Ok(pick(cached));
                }
            }
            state.refresh.get_or_insert_with(Default::default).clone()
        };
        let result = refresh
            .get_or_init(|| async {
                let fetch = self.inner.provider.provide_credentials();
                let result = match self.inner.settings.load_timeout {
                    Some(limit) => match tokio::time::timeout(limit, fetch).await {
                        Ok(r) => r,
                        Err(_) => Err(CredentialsError::provider_timed_out(limit)),
                    },
                    None => fetch.await,
                };
                result.map_err(Arc::new)
            })
            .await
            .clone();
        let result = result.map(|credentials| {
            Cached::new(
                credentials,
                self.inner.settings.refresh_buffer,
                SystemTime::now(),
            )
        });
        let picked = result.as_ref().map(pick).map_err(Arc::clone);
        {
            let mut state = self.state();
            if state
                .refresh
                .as_ref()
                .is_some_and(|r| Arc::ptr_eq(r, &refresh))
            {
                state.refresh = None;
                if let Ok(cached) = result {
                    state.current = Some(cached);
                }
            }
        }
        picked.map_err(|error| CredentialsFailure {
            kind: FailureKind::Provider {
                name: self.inner.name.clone(),
                error,
            },
        })
    }
}

/// Why no credentials could be had for a call. Calls report it as
/// [`SdkError::Construction`](crate::SdkError::Construction); its text names the
/// provider and gives its whole error.
#[derive(Debug, Clone)]
pub struct CredentialsFailure {
    kind: FailureKind,
}

#[derive(Debug, Clone)]
enum FailureKind {
    NotConfigured,
    Provider {
        name: Cow<'static, str>,
        error: Arc<CredentialsError>,
    },
}

impl CredentialsFailure {
    pub(crate) fn not_configured() -> Self {
        CredentialsFailure {
            kind: FailureKind::NotConfigured,
        }
    }

    /// The provider's error; `None` when no provider is configured at all.
    pub fn error(&self) -> Option<&CredentialsError> {
        match &self.kind {
            FailureKind::NotConfigured => None,
            FailureKind::Provider { error, .. } => Some(error),
        }
    }

    /// How the failure names the provider; `None` when no provider is configured.
    pub fn provider_name(&self) -> Option<&str> {
        match &self.kind {
            FailureKind::NotConfigured => None,
            FailureKind::Provider { name, .. } => Some(name),
        }
    }
}

impl fmt::Display for CredentialsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FailureKind::NotConfigured => f.write_str(
                "no credentials are configured (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use a profile, or call `credentials` or `credentials_provider` on the config builder)",
            ),
            FailureKind::Provider { name, error } => {
                match &**error {
                    CredentialsError::CredentialsNotLoaded(_) => {
                        write!(f, "no credentials: {name} found none")?
                    }
                    CredentialsError::ProviderTimedOut(t) => write!(
                        f,
                        "no credentials: {name} did not answer within {:?}",
                        t.timeout_duration()
                    )?,
                    other => write!(f, "no credentials: {name} failed: {other}")?,
                }
                // The call's error shows only this text: give the whole chain here.
                for c in crate::error::causes(&**error) {
                    write!(f, ": {c}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for CredentialsFailure {}

/// The default chain without the `aws-config` feature: credentials from the
/// environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`),
/// else from the profile (`AWS_PROFILE` or `default`) of the shared credentials and
/// config files. Both are read once, when it is built; when neither has credentials,
/// its error says why for each.
#[derive(Clone)]
pub struct EnvProfileProvider {
    found: Result<AwsCredentials, String>,
}

impl fmt::Debug for EnvProfileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("EnvProfileProvider");
        match &self.found {
            Ok(c) => d.field("access_key_id", &c.access_key_id()),
            Err(why) => d.field("error", why),
        }
        .finish()
    }
}

/// The name errors give the chain of [`EnvProfileProvider`].
pub(crate) const ENV_PROFILE_NAME: &str = "the default chain (environment, then profile)";

impl EnvProfileProvider {
    /// Reads the process environment and the shared files it points at.
    pub fn from_env() -> Self {
        Self::from_env_with(|k| std::env::var(k).ok())
    }

    /// Reads environment variables through `var`, and the shared files they point at.
    pub fn from_env_with(var: impl Fn(&str) -> Option<String>) -> Self {
        let files = ProfileFiles::load(&var);
        Self::from_parts(&var, &files)
    }

    pub(crate) fn from_parts(var: &dyn Fn(&str) -> Option<String>, files: &ProfileFiles) -> Self {
        let non_empty = |k: &str| var(k).filter(|v| !v.trim().is_empty());
        let env = match (
            non_empty("AWS_ACCESS_KEY_ID"),
            non_empty("AWS_SECRET_ACCESS_KEY"),
        ) {
            (Some(id), Some(secret)) => {
                return EnvProfileProvider {
                    found: Ok(AwsCredentials::new(
                        id,
                        secret,
                        non_empty("AWS_SESSION_TOKEN"),
                        None,
                        "Environment",
                    )),
                }
            }
            (None, None) => {
                "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set".to_string()
            }
            (None, Some(_)) => "environment: AWS_ACCESS_KEY_ID is not set".to_string(),
            (Some(_), None) => "environment: AWS_SECRET_ACCESS_KEY is not set".to_string(),
        };
        let profile = match (
            files.get("aws_access_key_id"),
            files.get("aws_secret_access_key"),
        ) {
            (Some(id), Some(secret)) => {
                return EnvProfileProvider {
                    found: Ok(AwsCredentials::new(
                        id,
                        secret,
                        files.get("aws_session_token"),
                        None,
                        "Profile",
                    )),
                }
            }
            (id, _) => {
                let name = &files.profile_name;
                let why = if !files.has_profile() {
                    format!("no such profile in {}", files.describe_sources())
                } else if let Some(key) = [
                    "sso_session",
                    "sso_start_url",
                    "role_arn",
                    "credential_process",
                    "web_identity_token_file",
                ]
                .into_iter()
                .find(|k| files.get(k).is_some())
                {
                    format!(
                        "it uses `{key}`, which this chain does not support (enable the runtime's `aws-config` feature for the official chain)"
                    )
                } else if id.is_none() {
                    format!("no aws_access_key_id in {}", files.describe_sources())
                } else {
                    format!("no aws_secret_access_key in {}", files.describe_sources())
                };
                format!("profile `{name}`: {why}")
            }
        };
        EnvProfileProvider {
            found: Err(format!("{env}; {profile}")),
        }
    }
}

impl ProvideCredentials for EnvProfileProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(match &self.found {
            Ok(c) => Ok(c.clone()),
            Err(why) => Err(CredentialsError::not_loaded(why.clone())),
        })
    }
}

#[cfg(feature = "aws-config")]
pub use sdk_chain::SdkDefaultChain;

#[cfg(feature = "aws-config")]
mod sdk_chain {
    use super::{future, ProvideCredentials};
    use aws_config::default_provider::credentials::DefaultCredentialsChain;
    use aws_config::provider_config::ProviderConfig;
    use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};

    /// The official `aws-config` default credentials chain (environment, profile
    /// with SSO, assume role and `credential_process`, web identity, ECS container,
    /// EC2 instance metadata), built on first use with an HTTP client on rustls and
    /// ring. Available with the `aws-config` feature.
    #[derive(Debug, Default)]
    pub struct SdkDefaultChain {
        region: Option<String>,
        profile: Option<String>,
        chain: tokio::sync::OnceCell<DefaultCredentialsChain>,
    }

    impl SdkDefaultChain {
        /// The chain; the region its STS and SSO calls use comes from its own region
        /// chain unless [`SdkDefaultChain::region`] sets it.
        pub fn new() -> Self {
            Self::default()
        }

        /// Sets the region for the chain's own calls (STS, SSO).
        pub fn region(mut self, region: impl Into<String>) -> Self {
            self.region = Some(region.into());
            self
        }

        /// Uses this profile instead of `AWS_PROFILE` or `default`.
        pub fn profile_name(mut self, name: impl Into<String>) -> Self {
            self.profile = Some(name.into());
            self
        }

        async fn build(&self) -> DefaultCredentialsChain {
            let http = aws_smithy_http_client::Builder::new()
                .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
                .build_https();
            let mut builder = DefaultCredentialsChain::builder()
                .configure(ProviderConfig::default().with_http_client(http));
            if let Some(region) = &self.region {
                builder = builder.region(aws_config::Region::new(region.clone()));
            }
            if let Some(profile) = &self.profile {
                builder = builder.profile_name(profile);
            }
            builder.build().await
        }
    }

    impl ProvideCredentials for SdkDefaultChain {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::new(async move {
                let chain = self.chain.get_or_init(|| self.build()).await;
                chain.provide_credentials().await
            })
        }
    }
}
