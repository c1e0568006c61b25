//! Credentials providers behind the cache, end to end: signed calls to the test
//! server (which checks every SigV4 signature) with credentials that expire, are
//! fetched by many calls at once, fail, or come from a container endpoint.
#![cfg(feature = "test-util")]
#![allow(clippy::unwrap_used)]

use smithy_runtime::credentials::aws_credential_types::provider::{
    error::CredentialsError, future,
};
use smithy_runtime::credentials::AwsCredentials;
use smithy_runtime::test_util::{Reply, TestServer, ACCESS_KEY_ID, SECRET_ACCESS_KEY};
use smithy_runtime::{
    CredentialsFailure, ErrorMetadata, Handle, Operation, ProvideCredentials, SdkError, ServiceMeta,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const SIGNING: &str = "svc";

static META: ServiceMeta = ServiceMeta {
    name: "Svc",
    signing_name: SIGNING,
    endpoint_prefix: "svc",
    query_compatible: false,
    env_name: "SVC",
    endpoint_rules: None,
    endpoint_discovery: None,
};

/// An operation with an empty input and output.
struct Ping;

impl Operation for Ping {
    type Input = ();
    type Output = ();
    type Error = ErrorMetadata;
    const NAME: &'static str = "Ping";
    fn serialize(
        _: &(),
    ) -> Result<smithy_runtime::http::Request<smithy_runtime::Bytes>, smithy_runtime::BuildError>
    {
        let mut request =
            smithy_runtime::http::Request::new(smithy_runtime::Bytes::from_static(b"{}"));
        *request.method_mut() = smithy_runtime::http::Method::POST;
        request.headers_mut().insert(
            "content-type",
            smithy_runtime::http::HeaderValue::from_static("application/x-amz-json-1.0"),
        );
        request.headers_mut().insert(
            "x-amz-target",
            smithy_runtime::http::HeaderValue::from_static("Svc.Ping"),
        );
        Ok(request)
    }
    fn parse(
        _: &smithy_runtime::http::Response<smithy_runtime::Bytes>,
    ) -> Result<(), smithy_runtime::json::JsonError> {
        Ok(())
    }
    fn parse_error(
        meta: ErrorMetadata,
        _: &smithy_runtime::http::Response<smithy_runtime::Bytes>,
    ) -> ErrorMetadata {
        meta
    }
}

/// Hands out the test server's keys with the session token `token-N` for the N-th
/// call (from 1), expiring `lifetime(N)` after the call, after `delay`.
#[derive(Debug)]
struct Rotating {
    calls: Arc<AtomicUsize>,
    delay: Duration,
    lifetime: fn(usize) -> Duration,
}

impl Rotating {
    fn new(delay: Duration, lifetime: fn(usize) -> Duration) -> (Self, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        (
            Rotating {
                calls: calls.clone(),
                delay,
                lifetime,
            },
            calls,
        )
    }
}

impl ProvideCredentials for Rotating {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            Ok(AwsCredentials::new(
                ACCESS_KEY_ID,
                SECRET_ACCESS_KEY,
                Some(format!("token-{n}")),
                Some(SystemTime::now() + (self.lifetime)(n)),
                "Rotating",
            ))
        })
    }
}

/// Always fails, after `delay`.
#[derive(Debug)]
struct VaultProvider {
    calls: Arc<AtomicUsize>,
    delay: Duration,
}

impl ProvideCredentials for VaultProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(self.delay).await;
            Err(CredentialsError::provider_error("the vault is sealed"))
        })
    }
}

/// The session token each request was signed with, after checking its signature
/// covers the token.
fn tokens(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| {
            assert_eq!(r.signature_valid, Ok(()), "{r:?}");
            let auth = r.header("authorization").unwrap();
            assert!(
                auth.contains("SignedHeaders=") && auth.contains("x-amz-security-token"),
                "the session token is signed: {auth}"
            );
            r.header("x-amz-security-token").unwrap().to_string()
        })
        .collect()
}

#[tokio::test]
async fn credentials_that_expire_mid_run_are_refreshed_once_and_no_call_fails() {
    let server = TestServer::scripted(vec![Reply::json(200, "{}")], SIGNING).await;
    // The first credentials are refreshed 1 s before they expire, 3 s after they come.
    let (provider, calls) = Rotating::new(Duration::ZERO, |n| match n {
        1 => Duration::from_secs(3),
        _ => Duration::from_secs(3600),
    });
    let config = server
        .config()
        .to_builder()
        .credentials_provider(provider)
        .credentials_refresh_buffer(Duration::from_secs(1))
        .build();
    let handle = Handle::new(&META, config);
    for _ in 0..3 {
        handle.invoke::<Ping>(&()).await.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(2200)).await;
    for _ in 0..3 {
        handle.invoke::<Ping>(&()).await.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2, "asked exactly once more");
    assert_eq!(
        tokens(&server),
        ["token-1", "token-1", "token-1", "token-2", "token-2", "token-2"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_calls_share_one_refresh() {
    let server = TestServer::scripted(vec![Reply::json(200, "{}")], SIGNING).await;
    let (provider, calls) = Rotating::new(Duration::from_millis(300), |n| match n {
        1 => Duration::from_secs(3),
        _ => Duration::from_secs(3600),
    });
    let config = server
        .config()
        .to_builder()
        .credentials_provider(provider)
        .credentials_refresh_buffer(Duration::from_secs(1))
        .build();
    let handle = Handle::new(&META, config);
    let burst = || {
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..50 {
            let handle = handle.clone();
            set.spawn(async move { handle.invoke::<Ping>(&()).await });
        }
        set
    };
    // An empty cache: fifty calls wait for one fetch.
    let results = burst().join_all().await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // Stale credentials: fifty calls, one refresh.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let results = burst().join_all().await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let tokens = tokens(&server);
    assert_eq!(tokens.len(), 100);
    assert!(tokens[..50].iter().all(|t| t == "token-1"), "{tokens:?}");
    assert!(tokens[50..].iter().all(|t| t == "token-2"), "{tokens:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_provider_is_a_clear_error_and_is_asked_again_next_time() {
    let server = TestServer::scripted(vec![Reply::json(200, "{}")], SIGNING).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let config = server
        .config()
        .to_builder()
        .credentials_provider(VaultProvider {
            calls: calls.clone(),
            delay: Duration::from_millis(200),
        })
        .build();
    let handle = Handle::new(&META, config);

    // Ten calls during one failing fetch: one provider call, ten errors.
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let handle = handle.clone();
        set.spawn(async move { handle.invoke::<Ping>(&()).await });
    }
    for result in set.join_all().await {
        let err = result.unwrap_err();
        let SdkError::Construction { operation, source } = &err else {
            panic!("a construction error: {err:?}");
        };
        assert_eq!(*operation, "Ping");
        let failure = source.downcast_ref::<CredentialsFailure>().unwrap();
        assert!(failure.error().is_some());
        assert!(failure.provider_name().unwrap().contains("VaultProvider"));
        assert_eq!(
            err.to_string(),
            "Ping: the request could not be built: no credentials: the credentials provider \
             `credentials::VaultProvider` failed: an error occurred while loading credentials: \
             the vault is sealed"
        );
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    // The failure is not cached.
    assert!(handle.invoke::<Ping>(&()).await.is_err());
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_provider_that_hangs_times_out() {
    let server = TestServer::scripted(vec![Reply::json(200, "{}")], SIGNING).await;
    let (provider, _) = Rotating::new(Duration::from_secs(30), |_| Duration::from_secs(3600));
    let config = server
        .config()
        .to_builder()
        .credentials_provider(provider)
        .credentials_load_timeout(Some(Duration::from_millis(100)))
        .build();
    let err = Handle::new(&META, config)
        .invoke::<Ping>(&())
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("`credentials::Rotating` did not answer within 100ms"),
        "{err}"
    );
}

#[tokio::test]
async fn session_tokens_are_signed() {
    let server = TestServer::scripted(vec![Reply::json(200, "{}")], SIGNING).await;
    // Static credentials with a token.
    Handle::new(&META, server.config())
        .invoke::<Ping>(&())
        .await
        .unwrap();
    // A shared provider of `aws_credential_types::Credentials` with a token.
    let provider = smithy_runtime::SharedCredentialsProvider::new(AwsCredentials::new(
        ACCESS_KEY_ID,
        SECRET_ACCESS_KEY,
        Some("provided-token".into()),
        None,
        "test",
    ));
    let config = server
        .config()
        .to_builder()
        .credentials_provider(provider)
        .build();
    assert!(config.credentials_provider().is_some());
    Handle::new(&META, config)
        .invoke::<Ping>(&())
        .await
        .unwrap();
    assert_eq!(tokens(&server), ["session-token", "provided-token"]);
}

#[tokio::test]
async fn no_provider_is_explained() {
    let config = smithy_runtime::Config::builder()
        .region("us-east-1")
        .build();
    let err = Handle::new(&META, config)
        .invoke::<Ping>(&())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("no credentials are configured"),
        "{err}"
    );
}

/// `Config::from_env` with the `aws-config` feature: the official chain takes
/// container credentials from a local endpoint (`AWS_CONTAINER_CREDENTIALS_FULL_URI`)
/// and the call is signed with them. The one test here that sets process-wide
/// environment variables.
#[cfg(feature = "aws-config")]
#[tokio::test]
async fn the_aws_config_chain_takes_container_credentials() {
    let service = TestServer::scripted(vec![Reply::json(200, "{}")], SIGNING).await;
    let expiration = "2099-01-01T00:00:00Z";
    let document = format!(
        r#"{{"AccessKeyId":"{ACCESS_KEY_ID}","SecretAccessKey":"{SECRET_ACCESS_KEY}","Token":"container-token","Expiration":"{expiration}","RoleArn":"arn:aws:iam::123456789012:role/test"}}"#
    );
    let container = TestServer::start(
        move |_| Reply::json(200, document.clone()).header("content-type", "application/json"),
        "unused",
    )
    .await;
    let dir = std::env::temp_dir().join(format!("awsjson-creds-ecs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "AWS_ENDPOINT_URL_SVC",
        "AWS_DEFAULT_REGION",
    ] {
        std::env::remove_var(k);
    }
    std::env::set_var("AWS_CONFIG_FILE", dir.join("config"));
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"));
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    std::env::set_var("AWS_REGION", smithy_runtime::test_util::REGION);
    std::env::set_var("AWS_ENDPOINT_URL", service.endpoint());
    std::env::set_var(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        format!("{}/v2/credentials", container.endpoint()),
    );
    std::env::set_var("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer local-test");

    let config = smithy_runtime::Config::from_env("SVC").build();
    assert!(
        format!("{config:?}").contains("aws-config default credentials chain"),
        "{config:?}"
    );
    let handle = Handle::new(&META, config);
    handle.invoke::<Ping>(&()).await.unwrap();
    handle.invoke::<Ping>(&()).await.unwrap();
    assert_eq!(tokens(&service), ["container-token", "container-token"]);
    let fetched = container.requests();
    assert_eq!(fetched.len(), 1, "cached: {fetched:?}");
    assert_eq!(fetched[0].method, "GET");
    assert_eq!(fetched[0].path, "/v2/credentials");
    assert_eq!(
        fetched[0].header("authorization"),
        Some("Bearer local-test")
    );

    // Nothing to find: the chain's error, at call time.
    std::env::remove_var("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    std::env::remove_var("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    let err = Handle::new(&META, smithy_runtime::Config::from_env("SVC").build())
        .invoke::<Ping>(&())
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Construction { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("no credentials: the aws-config default credentials chain found none"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
