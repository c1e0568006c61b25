//! The generated client against an HTTP server on 127.0.0.1 that checks every
//! request (SigV4 included) and serves canned responses, errors, throttling and
//! broken bodies. Hand-written; not generated.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use network_firewall::error::ListFlowOperationsError;
use network_firewall::operation::ListFlowOperations;
use network_firewall::types::{FlowOperationStatus, FlowOperationType};
use network_firewall::Client;
use smithy_runtime::json::Parser;
use smithy_runtime::test_util::{Reply, TestServer};
use smithy_runtime::{Document, Operation, SdkError};
use std::time::Duration;

/// A 200 response with this body, as the parser reads it.
fn response(
    body: &[u8],
) -> network_firewall::config::http::Response<network_firewall::config::Bytes> {
    network_firewall::config::http::Response::new(network_firewall::config::Bytes::copy_from_slice(
        body,
    ))
}

const SIGNING: &str = "network-firewall";
const ARN: &str = "arn:aws:network-firewall:us-east-1:123456789012:firewall/bench-firewall";

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn doc(bytes: &[u8]) -> Document {
    let mut p = Parser::new(bytes);
    let d = p.document().unwrap();
    p.finish().unwrap();
    d
}

/// ListFlowOperations of the firewall `ARN`, nothing else set.
async fn list(
    client: &Client,
) -> Result<network_firewall::types::ListFlowOperationsResponse, SdkError<ListFlowOperationsError>>
{
    client.list_flow_operations().firewall_arn(ARN).send().await
}

async fn server(replies: Vec<Reply>) -> (TestServer, Client) {
    let server = TestServer::scripted(replies, SIGNING).await;
    let client = Client::from_conf(server.config());
    (server, client)
}

#[tokio::test]
async fn the_request_matches_the_official_sdk() {
    let (server, client) = server(vec![Reply::json(200, "{}")]).await;
    client
        .list_flow_operations()
        .firewall_arn(ARN)
        .availability_zone("us-east-1a")
        .flow_operation_type(FlowOperationType::FlowCapture)
        .next_token("token-abc/123+=")
        .max_results(50)
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    let captured = String::from_utf8(fixture("request_all_fields.txt")).unwrap();
    let (head, body) = captured.split_once("\n\n").unwrap();
    let head: Vec<&str> = head.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        head[0],
        "POST https://network-firewall.us-east-1.amazonaws.com/"
    );
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/"));
    for line in &head[1..] {
        let (k, v) = line.split_once(": ").unwrap();
        assert_eq!(r.header(k), Some(v), "header {k}");
    }
    assert_eq!(r.body_text(), body, "the body, byte for byte");
    assert_eq!(doc(&r.body), doc(&fixture("request_all_fields.json")));
    r.signature_valid.clone().unwrap();
    assert_eq!(r.header("x-amz-security-token"), Some("session-token"));
}

#[tokio::test]
async fn only_set_members_are_sent_and_required_ones_are_enforced() {
    let (server, client) = server(vec![Reply::json(200, "")]).await;
    let out = list(&client).await.unwrap();
    assert!(out.flow_operations().is_empty() && out.next_token().is_none());
    assert_eq!(
        server.requests()[0].body_text(),
        format!("{{\"FirewallArn\":\"{ARN}\"}}")
    );

    let err = client
        .list_flow_operations()
        .max_results(5)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Construction { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "ListFlowOperations: the request could not be built: `FirewallArn` of `ListFlowOperationsRequest` is required but was not set"
    );
    assert_eq!(server.requests().len(), 1, "nothing was sent");
}

#[tokio::test]
async fn the_fixture_responses_parse_to_their_values() {
    for (name, n) in [
        ("list_flow_operations_1.json", 1),
        ("list_flow_operations_100.json", 100),
        ("list_flow_operations_1000.json", 1000),
    ] {
        let out = ListFlowOperations::parse(&response(&fixture(name))).unwrap();
        let ops = out.flow_operations();
        assert_eq!(ops.len(), n, "{name}");
        assert!(out.next_token().is_none());
        for (i, op) in ops.iter().enumerate() {
            let ty = if i % 2 == 0 {
                FlowOperationType::FlowFlush
            } else {
                FlowOperationType::FlowCapture
            };
            assert_eq!(op.flow_operation_type(), Some(&ty));
            let status = [
                FlowOperationStatus::Completed,
                FlowOperationStatus::InProgress,
                FlowOperationStatus::Failed,
                FlowOperationStatus::CompletedWithErrors,
            ][i % 4]
                .clone();
            assert_eq!(op.flow_operation_status(), Some(&status));
            assert_eq!(op.flow_operation_id().map(str::len), Some(36));
            assert!(op.flow_request_timestamp().is_some());
        }
    }
    let one =
        ListFlowOperations::parse(&response(&fixture("list_flow_operations_1.json"))).unwrap();
    let op = &one.flow_operations()[0];
    assert_eq!(
        op.flow_operation_id(),
        Some("00000000-0000-4000-8000-000000000000")
    );
    assert_eq!(op.flow_request_timestamp().unwrap().secs(), 1_700_000_000);

    // The exponent form AWS sends is exact, not a float's approximation.
    let body = br#"{"FlowOperations":[{"FlowRequestTimestamp":1.700000037123E9}]}"#;
    let t = ListFlowOperations::parse(&response(body))
        .unwrap()
        .flow_operations()[0]
        .flow_request_timestamp()
        .unwrap();
    assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_037, 123_000_000));
    let st: std::time::SystemTime = t.into();
    assert_eq!(
        st.duration_since(std::time::UNIX_EPOCH).unwrap(),
        Duration::new(1_700_000_037, 123_000_000)
    );
}

#[test]
fn responses_are_read_leniently_where_the_protocol_says() {
    let body = br#"{"Unknown":{"deep":[1,2,{"x":null}]},"FlowOperations":[{"FlowOperationType":"FLOW_SOMETHING_NEW","FlowOperationStatus":null,"Extra":true}],"NextToken":null}"#;
    let out = ListFlowOperations::parse(&response(body)).unwrap();
    let op = &out.flow_operations()[0];
    assert!(matches!(
        op.flow_operation_type(),
        Some(FlowOperationType::Unknown(v)) if v.as_str() == "FLOW_SOMETHING_NEW"
    ));
    // Unknown values convert back to exactly what was sent.
    assert_eq!(
        String::from(op.flow_operation_type().unwrap().clone()),
        "FLOW_SOMETHING_NEW"
    );
    // A known value given as text is the known variant, never `Unknown`.
    assert_eq!(
        FlowOperationType::from("FLOW_FLUSH"),
        FlowOperationType::FlowFlush
    );
    assert_eq!(String::from(FlowOperationType::FlowFlush), "FLOW_FLUSH");
    assert_eq!(
        op.flow_operation_type().unwrap().as_str(),
        "FLOW_SOMETHING_NEW"
    );
    assert_eq!(op.flow_operation_status(), None);
    assert!(out.next_token().is_none());
    assert!(ListFlowOperations::parse(&response(b""))
        .unwrap()
        .flow_operations()
        .is_empty());
    assert!(ListFlowOperations::parse(&response(b"  {}  "))
        .unwrap()
        .flow_operations()
        .is_empty());
}

async fn error_of(reply: Reply) -> (SdkError<ListFlowOperationsError>, usize) {
    let (server, client) = server(vec![reply]).await;
    let err = list(&client).await.unwrap_err();
    (err, server.requests().len())
}

#[tokio::test]
async fn error_codes_come_from_the_header_then_code_then_type() {
    let (err, _) = error_of(
        Reply::json(400, r#"{"code":"InvalidRequestException","__type":"ThrottlingException","message":"from body"}"#)
            .header("x-amzn-errortype", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/")
            .header("x-amzn-requestid", "req-1"),
    )
    .await;
    let e = err.as_service_error().unwrap();
    assert!(e.is_resource_not_found_exception(), "{e:?}");
    assert_eq!(e.message(), Some("from body"));
    assert_eq!(e.meta().request_id(), Some("req-1"));
    assert_eq!(e.meta().status(), 400);

    let (err, _) = error_of(Reply::json(400, r#"{"__type":"com.amazonaws.networkfirewall#ThrottlingException","code":"InvalidRequestException","Message":"bad"}"#)).await;
    let e = err.into_service_error();
    assert!(
        e.is_invalid_request_exception(),
        "code wins over __type: {e:?}"
    );
    assert_eq!(e.message(), Some("bad"));

    let (err, _) = error_of(Reply::json(404, r#"{"__type":"aws.protocoltests#ResourceNotFoundException:http://x","Message":"no such firewall"}"#)).await;
    let e = err.into_service_error();
    let ListFlowOperationsError::ResourceNotFoundException(inner) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(inner.message(), Some("no such firewall"));
}

#[tokio::test]
async fn unknown_codes_keep_code_message_status_and_request_id() {
    let (err, attempts) = error_of(
        Reply::json(403, r#"{"__type":"AccessDeniedException","message":"not allowed","Error":{"__type":"Nested"}}"#)
            .header("x-amzn-requestid", "rid-9"),
    )
    .await;
    assert_eq!(attempts, 1, "a 403 is not retried");
    let text = err.to_string();
    assert_eq!(text, "ListFlowOperations failed: AccessDeniedException: not allowed (HTTP 403, request id rid-9)");
    let ListFlowOperationsError::Unhandled(u) = err.into_service_error() else {
        panic!()
    };
    use smithy_runtime::ProvideErrorMetadata as _;
    assert_eq!(
        (
            u.code(),
            u.message(),
            u.meta().status(),
            u.meta().request_id()
        ),
        (
            Some("AccessDeniedException"),
            Some("not allowed"),
            403,
            Some("rid-9")
        )
    );
}

#[tokio::test]
async fn broken_bodies_are_errors_that_keep_the_status() {
    let (err, attempts) = error_of(
        Reply::json(
            500,
            "<html><body><h1>500 Internal Server Error</h1></body></html>",
        )
        .header("x-amzn-requestid", "r5"),
    )
    .await;
    assert_eq!(attempts, 3, "a 500 is retried");
    assert_eq!(err.status(), Some(500));
    let text = err.to_string();
    assert!(
        text.contains("HTTP 500")
            && text.contains("request id r5")
            && text.contains("not the JSON expected")
            && text.contains("<html>"),
        "{text}"
    );

    let (err, attempts) = error_of(Reply::json(
        200,
        r#"{"FlowOperations":[{"FlowOperationId":"abc"#,
    ))
    .await;
    assert_eq!(attempts, 1);
    assert!(
        matches!(err, SdkError::Response { status: 200, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("not the JSON expected"), "{err}");

    let (err, _) = error_of(Reply::json(200, r#"{"FlowOperations":"not a list"}"#)).await;
    assert!(matches!(err, SdkError::Response { .. }), "{err:?}");
}

#[tokio::test]
async fn throttling_and_server_errors_are_retried_then_succeed() {
    let throttle = Reply::json(
        400,
        r#"{"__type":"ThrottlingException","message":"slow down"}"#,
    );
    let (server, client) = server(vec![
        throttle.clone(),
        Reply::json(503, "Service Unavailable"),
        Reply::json(200, r#"{"FlowOperations":[{"FlowOperationId":"x"}]}"#),
    ])
    .await;
    let out = list(&client).await.unwrap();
    assert_eq!(out.flow_operations().len(), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.signature_valid.is_ok()));
    let attempts: Vec<_> = requests
        .iter()
        .map(|r| r.header("amz-sdk-request"))
        .collect();
    assert_eq!(
        attempts,
        [
            Some("attempt=1; max=3"),
            Some("attempt=2; max=3"),
            Some("attempt=3; max=3")
        ]
    );
    let ids: Vec<_> = requests
        .iter()
        .map(|r| r.header("amz-sdk-invocation-id").unwrap().to_string())
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] == w[1]),
        "one invocation id across attempts"
    );

    let (err, attempts) = error_of(throttle).await;
    assert_eq!(attempts, 3, "gives up after the configured attempts");
    assert!(err.into_service_error().is_throttling_exception());

    let (err, attempts) =
        error_of(Reply::json(400, r#"{"__type":"InvalidRequestException"}"#)).await;
    assert_eq!(attempts, 1, "other 4xx are not retried");
    assert!(err.into_service_error().is_invalid_request_exception());
}

/// The time of a request's `x-amz-date` (`20150830T123600Z`), in seconds since the epoch.
fn signed_at(r: &smithy_runtime::test_util::RecordedRequest) -> i64 {
    let d = r.header("x-amz-date").unwrap();
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &d[0..4],
        &d[4..6],
        &d[6..8],
        &d[9..11],
        &d[11..13],
        &d[13..15]
    );
    smithy_runtime::DateTime::parse(&rfc3339, smithy_runtime::TimestampFormat::DateTime)
        .unwrap()
        .secs()
}

/// An HTTP `Date` `offset` seconds from now.
fn date_header(offset: i64) -> String {
    smithy_runtime::DateTime::from_secs(now_secs() + offset).to_http_date()
}

#[tokio::test]
async fn a_clock_an_hour_off_is_corrected_from_the_date_header() {
    let hour = 3600;
    let ahead = date_header(hour);
    let skewed = Reply::json(
        403,
        r#"{"__type":"InvalidSignatureException","message":"Signature expired"}"#,
    )
    .header("date", &ahead);
    let (server, client) =
        server(vec![skewed, Reply::json(200, "{}").header("date", &ahead)]).await;
    let now = now_secs();
    list(&client).await.unwrap();
    // The second call is signed on the service's clock from its first attempt.
    list(&client).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "one retry, then the skew is known");
    assert!((signed_at(&requests[0]) - now).abs() < 60);
    for r in &requests[1..] {
        assert!(
            (signed_at(r) - (now + hour)).abs() < 60,
            "signed at the service's time"
        );
        assert!(r.signature_valid.is_ok());
    }

    // A clock-skew code from a service whose clock agrees with ours is the error it
    // says, not retried; nor is a skew learned from a cached response.
    let (err, attempts) = error_of(
        Reply::json(400, r#"{"__type":"InvalidSignatureException"}"#)
            .header("date", &date_header(30)),
    )
    .await;
    assert_eq!(attempts, 1);
    {
        let e = err.into_service_error();
        assert!(matches!(e, ListFlowOperationsError::Unhandled(_)), "{e:?}");
        assert_eq!(e.code(), Some("InvalidSignatureException"));
    }
    let (_, attempts) = error_of(
        Reply::json(400, r#"{"__type":"InvalidSignatureException"}"#)
            .header("date", &ahead)
            .header("age", "100"),
    )
    .await;
    assert_eq!(attempts, 1);
}

/// Now, in seconds since the epoch.
fn now_secs() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    i64::try_from(now).unwrap()
}

/// A service that keeps failing is not flooded with retries: the client's 500 retry
/// tokens (14 a retry) last 17 calls of three attempts; the 18th retries once, and after
/// that each call is its one attempt.
#[tokio::test]
async fn the_retry_quota_runs_out_when_failures_persist() {
    let (server, client) = server(vec![Reply::json(500, "{}")]).await;
    let mut attempts = Vec::new();
    for _ in 0..20 {
        let before = server.requests().len();
        let err = list(&client).await.unwrap_err();
        assert!(matches!(err, SdkError::Service { .. }), "{err:?}");
        attempts.push(server.requests().len() - before);
    }
    let mut want = vec![3; 17];
    want.extend([2, 1, 1]);
    assert_eq!(attempts, want);
}

#[tokio::test]
async fn transport_failures_and_timeouts_are_retried_and_reported() {
    let (server, client) = server(vec![Reply::hang_up(), Reply::json(200, "{}")]).await;
    list(&client).await.unwrap();
    assert_eq!(server.requests().len(), 2);

    let server = TestServer::scripted(
        vec![Reply::json(200, "{}").delayed(Duration::from_millis(500))],
        SIGNING,
    )
    .await;
    let config = server
        .config()
        .to_builder()
        .timeout_config(
            network_firewall::TimeoutConfig::default()
                .with_attempt_timeout(Some(Duration::from_millis(50))),
        )
        .retry_config(network_firewall::RetryConfig::disabled())
        .build();
    let err = Client::from_conf(config)
        .list_flow_operations()
        .firewall_arn(ARN)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Dispatch { .. }), "{err:?}");
    // The message names the host the attempt went to.
    let text = err.to_string();
    assert!(
        text.starts_with("ListFlowOperations: the request to 127.0.0.1:")
            && text.ends_with(" timed out"),
        "{text}"
    );
    // Folded into the operation's error, a transport failure is its catch-all, with
    // the failure's text as the message and the cause as the source.
    let folded = err.into_service_error();
    let ListFlowOperationsError::Unhandled(u) = &folded else {
        panic!("{folded:?}")
    };
    assert!(folded.code().is_none());
    assert!(
        folded
            .message()
            .is_some_and(|m| m.starts_with("ListFlowOperations: the request was not answered")),
        "{folded}"
    );
    assert!(std::error::Error::source(u).is_some());

    let config = network_firewall::Config::builder()
        .region("us-east-1")
        .credentials(TestServer::credentials())
        .endpoint_url("http://127.0.0.1:9")
        .retry_config(network_firewall::RetryConfig::disabled())
        .build();
    let err = Client::from_conf(config)
        .list_flow_operations()
        .firewall_arn(ARN)
        .send()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("ListFlowOperations: the connection to 127.0.0.1:9 failed: "),
        "the cause chain is shown: {text}"
    );
}

/// A client whose bodies in flight may stall for `limit`, with the server's replies.
async fn stall_limited(
    replies: Vec<Reply>,
    limit: Duration,
    retry: network_firewall::RetryConfig,
) -> (TestServer, Client) {
    let server = TestServer::scripted(replies, SIGNING).await;
    let config = server
        .config()
        .to_builder()
        .timeout_config(network_firewall::TimeoutConfig::default().with_stall_timeout(Some(limit)))
        .retry_config(retry)
        .build();
    (server, Client::from_conf(config))
}

/// A response body that stops arriving fails its attempt after the stall timeout and
/// is retried; the wait for a response's head is not limited by it, and by default
/// an attempt has no time limit.
#[tokio::test]
async fn a_stalled_response_body_fails_the_attempt_but_a_slow_answer_does_not() {
    let body = r#"{"FlowOperations": [], "NextToken": "t"}"#;
    let stalled = Reply::json(200, body).stalled_after(10);
    let limit = Duration::from_millis(200);
    let (server, client) = stall_limited(
        vec![stalled.clone(), Reply::json(200, body)],
        limit,
        network_firewall::RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)),
    )
    .await;
    let out = list(&client).await.unwrap();
    assert_eq!(out.next_token.as_deref(), Some("t"));
    assert_eq!(server.requests().len(), 2, "the stalled attempt is retried");

    let (_server, client) = stall_limited(
        vec![stalled],
        limit,
        network_firewall::RetryConfig::disabled(),
    )
    .await;
    let started = std::time::Instant::now();
    let call = client.list_flow_operations().firewall_arn(ARN).send();
    let err = tokio::time::timeout(Duration::from_secs(20), call)
        .await
        .expect("the stall ends the call")
        .unwrap_err();
    assert!(started.elapsed() >= limit);
    assert!(matches!(err, SdkError::Dispatch { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("ListFlowOperations: the request to 127.0.0.1:")
            && text.ends_with(" timed out: no byte of the response body arrived for 0.2 s"),
        "{text}"
    );

    // An answer that takes five times the stall timeout to start is no stall.
    let (_server, client) = stall_limited(
        vec![Reply::json(200, body).delayed(5 * limit)],
        limit,
        network_firewall::RetryConfig::disabled(),
    )
    .await;
    assert!(network_firewall::TimeoutConfig::default()
        .attempt_timeout()
        .is_none());
    list(&client).await.unwrap();
}

#[tokio::test]
async fn missing_configuration_is_explained_before_sending() {
    let client = Client::from_conf(network_firewall::Config::builder().build());
    let err = list(&client).await.unwrap_err();
    assert!(err.to_string().contains("no region is configured"), "{err}");
    let client = Client::from_conf(
        network_firewall::Config::builder()
            .region("eu-west-1")
            .build(),
    );
    let err = list(&client).await.unwrap_err();
    assert!(
        err.to_string().contains("no credentials are configured"),
        "{err}"
    );
}

#[test]
fn the_default_endpoint_comes_from_the_model() {
    let config = network_firewall::Config::builder()
        .region("eu-west-3")
        .build();
    let client = Client::from_conf(config);
    assert_eq!(
        client.handle().endpoint().as_deref(),
        Some("https://network-firewall.eu-west-3.amazonaws.com")
    );
}

mod arbitrary_bodies {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn any_bytes_as_a_response_are_an_error_or_a_value_never_a_panic(body in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = ListFlowOperations::parse(&response(&body));
            let meta = smithy_runtime::ErrorMetadata::new(Some("ResourceNotFoundException".into()), None, 400, None);
            let _ = ListFlowOperations::parse_error(meta, &response(&body));
        }

        #[test]
        fn json_like_bytes_never_panic(body in "[\\[\\]{}\",:0-9a-zA-Z.eE+\\- nultrfs\\\\]{0,200}") {
            let _ = ListFlowOperations::parse(&response(body.as_bytes()));
            let prefixed = format!("{{\"FlowOperations\":[{body}");
            let _ = ListFlowOperations::parse(&response(prefixed.as_bytes()));
        }
    }
}

#[tokio::test]
async fn the_signature_check_catches_a_wrong_secret_or_region() {
    let server = TestServer::scripted(vec![Reply::json(200, "{}")], SIGNING).await;
    let wrong_secret = server
        .config()
        .to_builder()
        .credentials(smithy_runtime::Credentials::new(
            smithy_runtime::test_util::ACCESS_KEY_ID,
            "not-the-secret",
            None,
        ))
        .build();
    Client::from_conf(wrong_secret)
        .list_flow_operations()
        .firewall_arn(ARN)
        .send()
        .await
        .unwrap();
    let wrong_region = server.config().to_builder().region("eu-west-1").build();
    Client::from_conf(wrong_region)
        .list_flow_operations()
        .firewall_arn(ARN)
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert!(requests[0]
        .signature_valid
        .as_ref()
        .unwrap_err()
        .contains("signature mismatch"));
    assert!(requests[1]
        .signature_valid
        .as_ref()
        .unwrap_err()
        .contains("credential scope"));
}

#[tokio::test]
async fn a_custom_transport_needs_only_the_crate_s_config_module() {
    use network_firewall::config::{http, Bytes, Request, Response, TransportError};
    let transport = |request: Request<Bytes>| -> Result<Response<Bytes>, TransportError> {
        assert_eq!(request.method(), http::Method::POST);
        Ok(Response::builder()
            .status(200)
            .body(Bytes::from_static(br#"{"FlowOperations":[]}"#))
            .expect("a response"))
    };
    let config = network_firewall::Config::builder()
        .region("us-east-1")
        .credentials(network_firewall::Credentials::new("AKID", "SECRET", None))
        .transport(transport)
        .build();
    let out = Client::from_conf(config)
        .list_flow_operations()
        .firewall_arn(ARN)
        .send()
        .await
        .expect("the call succeeds");
    assert!(out.flow_operations().is_empty());
}

#[tokio::test]
async fn a_streaming_transport_needs_only_the_crate_s_config_module() {
    use network_firewall::config::{
        BoxFuture, ByteStream, Request, Response, Transport, TransportError,
    };
    /// Reads the request body as a stream and answers with one.
    struct Streaming;
    impl Transport for Streaming {
        fn send(
            &self,
            request: Request<ByteStream>,
        ) -> BoxFuture<'_, Result<Response<ByteStream>, TransportError>> {
            Box::pin(async move {
                let mut body = request.into_body();
                let mut read = Vec::new();
                while let Some(chunk) = body.next().await {
                    read.extend_from_slice(&chunk.expect("the body reads"));
                }
                assert!(read.starts_with(b"{\"FirewallArn\""), "{read:?}");
                Ok(Response::new(ByteStream::from_static(
                    br#"{"FlowOperations":[]}"#,
                )))
            })
        }
    }
    let config = network_firewall::Config::builder()
        .region("us-east-1")
        .credentials(network_firewall::Credentials::new("AKID", "SECRET", None))
        .transport(Streaming)
        .build();
    let out = Client::from_conf(config)
        .list_flow_operations()
        .firewall_arn(ARN)
        .send()
        .await
        .expect("the call succeeds");
    assert!(out.flow_operations().is_empty());
}
