//! Client configuration: region, credentials, endpoint, retries, timeouts, transport,
//! set explicitly or read from the standard AWS environment and shared files.

use crate::transport::Transport;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// AWS credentials. `Debug` never shows the secret parts.
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

/// How failed attempts are retried (the AWS "standard" mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

impl RetryConfig {
    /// Three attempts, exponential backoff with full jitter from one second, at most 20 s.
    pub fn standard() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// One attempt: no retries.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::standard()
        }
    }

    /// Sets how many attempts a call makes in all (at least one).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Sets the base of the exponential backoff.
    pub fn with_initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// Sets the longest wait between attempts.
    pub fn with_max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Attempts in all.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before attempt `attempt + 1`, after `attempt` failed attempts.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let cap = exp.min(self.max_backoff);
        cap.mul_f64(fastrand::f64())
    }
}

/// Time limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(Duration::from_millis(3100)),
            attempt: Some(Duration::from_secs(60)),
        }
    }
}

impl TimeoutConfig {
    /// Sets the connect timeout.
    pub fn with_connect_timeout(mut self, d: Option<Duration>) -> Self {
        self.connect = d;
        self
    }

    /// Sets the limit on one attempt: sending the request and reading the response.
    pub fn with_attempt_timeout(mut self, d: Option<Duration>) -> Self {
        self.attempt = d;
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
}

/// A client's configuration.
#[derive(Clone, Default)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) transport: Option<Arc<dyn Transport>>,
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
    pub fn from_env(service_env: &str) -> ConfigBuilder {
        ConfigBuilder::from_env_with(service_env, |k| std::env::var(k).ok())
    }

    /// The region.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The credentials.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
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

    /// Sets the credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = Some(credentials);
        self
    }

    /// Sends requests to this URL instead of the service's regional endpoint.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
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
    /// config and credentials files they point at.
    pub fn from_env_with(service_env: &str, var: impl Fn(&str) -> Option<String>) -> ConfigBuilder {
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
        let config_file = config_path
            .and_then(|p| std::fs::read_to_string(p).ok())
            .map(|s| parse_profiles(&s, true))
            .unwrap_or_default();
        let creds_file = creds_path
            .and_then(|p| std::fs::read_to_string(p).ok())
            .map(|s| parse_profiles(&s, false))
            .unwrap_or_default();
        let from_config = config_file.get(&profile_name);
        let from_creds = creds_file.get(&profile_name);
        let profile = |k: &str| {
            from_creds
                .and_then(|p| p.get(k))
                .or_else(|| from_config.and_then(|p| p.get(k)))
                .cloned()
        };

        let mut b = ConfigBuilder::default();
        b.config.region = non_empty("AWS_REGION")
            .or_else(|| non_empty("AWS_DEFAULT_REGION"))
            .or_else(|| from_config.and_then(|p| p.get("region").cloned()));
        b.config.credentials = match (
            non_empty("AWS_ACCESS_KEY_ID"),
            non_empty("AWS_SECRET_ACCESS_KEY"),
        ) {
            (Some(id), Some(secret)) => {
                Some(Credentials::new(id, secret, non_empty("AWS_SESSION_TOKEN")))
            }
            _ => match (
                profile("aws_access_key_id"),
                profile("aws_secret_access_key"),
            ) {
                (Some(id), Some(secret)) => {
                    Some(Credentials::new(id, secret, profile("aws_session_token")))
                }
                _ => None,
            },
        };
        b.config.endpoint_url = non_empty(&format!("AWS_ENDPOINT_URL_{service_env}"))
            .or_else(|| non_empty("AWS_ENDPOINT_URL"))
            .or_else(|| from_config.and_then(|p| p.get("endpoint_url").cloned()));
        if let Some(n) = non_empty("AWS_MAX_ATTEMPTS")
            .or_else(|| from_config.and_then(|p| p.get("max_attempts").cloned()))
            .and_then(|v| v.trim().parse::<u32>().ok())
        {
            b.config.retry = b.config.retry.with_max_attempts(n);
        }
        b
    }
}

/// Parses the INI format of `~/.aws/config` (`[profile name]`, `[default]`) or
/// `~/.aws/credentials` (`[name]`) into profiles of keys.
pub fn parse_profiles(text: &str, config_file: bool) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.split(']').next()) {
            let section = section.trim();
            current = if config_file {
                match section.strip_prefix("profile") {
                    Some(name) if name.starts_with(char::is_whitespace) => {
                        Some(name.trim().to_string())
                    }
                    _ if section == "default" => Some("default".to_string()),
                    _ => None,
                }
            } else {
                Some(section.to_string())
            };
            continue;
        }
        if let (Some(profile), Some((k, v))) = (&current, line.split_once('=')) {
            let v = v.split(" #").next().unwrap_or_default().trim();
            out.entry(profile.clone())
                .or_default()
                .insert(k.trim().to_ascii_lowercase(), v.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn environment_variables_win_over_files() {
        let dir = std::env::temp_dir().join(format!("awsjson-runtime-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("config"),
            "[default]\nregion = eu-west-1\n[profile other]\nregion = ap-south-1\nendpoint_url = http://localhost:1\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("credentials"),
            "[other]\naws_access_key_id = AKIDFILE\naws_secret_access_key = SECRETFILE\n",
        )
        .unwrap();
        let mut vars: HashMap<&str, String> = HashMap::new();
        vars.insert("AWS_CONFIG_FILE", dir.join("config").display().to_string());
        vars.insert(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.join("credentials").display().to_string(),
        );
        vars.insert("AWS_PROFILE", "other".into());
        let c = ConfigBuilder::from_env_with("X", |k| vars.get(k).cloned()).build();
        assert_eq!(c.region(), Some("ap-south-1"));
        assert_eq!(c.credentials().unwrap().access_key_id(), "AKIDFILE");
        assert_eq!(c.endpoint_url(), Some("http://localhost:1"));

        vars.insert("AWS_REGION", "us-east-2".into());
        vars.insert("AWS_ACCESS_KEY_ID", "AKIDENV".into());
        vars.insert("AWS_SECRET_ACCESS_KEY", "SECRETENV".into());
        vars.insert("AWS_SESSION_TOKEN", "TOKEN".into());
        vars.insert("AWS_ENDPOINT_URL_X", "http://127.0.0.1:9".into());
        let c = ConfigBuilder::from_env_with("X", |k| vars.get(k).cloned()).build();
        assert_eq!(c.region(), Some("us-east-2"));
        let creds = c.credentials().unwrap();
        assert_eq!(
            (creds.access_key_id(), creds.session_token()),
            ("AKIDENV", Some("TOKEN"))
        );
        assert_eq!(c.endpoint_url(), Some("http://127.0.0.1:9"));
        assert!(!format!("{c:?}").contains("SECRETENV"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let r = RetryConfig::standard()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(250));
        for attempt in 1..10 {
            let d = r.backoff(attempt);
            assert!(d <= Duration::from_millis(250), "{d:?}");
        }
        assert!(r.backoff(1) <= Duration::from_millis(100));
    }
}
