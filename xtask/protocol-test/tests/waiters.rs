//! Waiters, through the client generated from `codegen/tests/models/waiters.json`: a
//! scripted service answers each poll in turn, and tokio's paused clock lets the delays
//! pass at once while still counting them.

use bytes::Bytes;
use m_waiters::primitives::{LastPoll, WaiterError};
use m_waiters::types::Status;
use smithy_runtime::TransportError;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A client whose service answers the polls with `script` in turn (the last answer
/// from then on): `Ok(body)` a 200 with that JSON, `Err(code)` a 400 with that error.
fn scripted(script: &[Result<&'static str, &'static str>]) -> (m_waiters::Client, Arc<Mutex<u32>>) {
    let script = script.to_vec();
    let calls = Arc::new(Mutex::new(0u32));
    let seen = calls.clone();
    let transport =
        move |req: http::Request<Bytes>| -> Result<http::Response<Bytes>, TransportError> {
            assert_eq!(req.headers()["x-amz-target"], "Things.DescribeThing");
            let mut n = seen.lock().unwrap();
            let answer = script[(*n as usize).min(script.len() - 1)];
            *n += 1;
            let (status, body) = match answer {
                Ok(body) => (200, body.to_string()),
                Err(code) => (400, format!(r#"{{"__type":"{code}","message":"no"}}"#)),
            };
            Ok(http::Response::builder()
                .status(status)
                .header("content-type", "application/x-amz-json-1.0")
                .body(Bytes::from(body))
                .unwrap())
        };
    let client = m_waiters::Client::from_conf(
        smithy_runtime::Config::builder()
            .region("us-west-2")
            .credentials(smithy_runtime::Credentials::new("AKID", "SECRET", None))
            .retry_config(smithy_runtime::RetryConfig::disabled())
            .transport(transport)
            .build(),
    );
    (client, calls)
}

const PENDING: &str =
    r#"{"Thing":{"Name":"t","Status":"PENDING","Parts":[{"State":"OK"},{"State":"WARMING"}]}}"#;
const READY: &str = r#"{"Thing":{"Name":"t","Status":"READY","Parts":[{"State":"OK"},{"State":"OK"}],"Labels":{"READY":1},"Since":1700000000.5}}"#;

/// Not found, then pending, then ready: the waiter retries through the expected error
/// and the pending state, and ends with the ready output; the delays between the three
/// polls were at least the shortest delay each.
#[tokio::test(start_paused = true)]
async fn a_waiter_polls_until_its_success_state() {
    let (client, calls) = scripted(&[Err("NotFound"), Ok(PENDING), Ok(READY)]);
    let start = tokio::time::Instant::now();
    let out = client
        .describe_thing()
        .name("t")
        .wait_until_thing_ready(Duration::from_secs(60))
        .await
        .expect("the thing gets ready")
        .expect("an output");
    assert_eq!(*calls.lock().unwrap(), 3);
    assert_eq!(out.thing.unwrap().status, Some(Status::Ready));
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_secs(2) && waited <= Duration::from_secs(6),
        "{waited:?}"
    );
}

/// The input takes part in an `inputOutput` path: another thing's name never matches.
#[tokio::test(start_paused = true)]
async fn the_input_is_matched_too() {
    let (client, calls) = scripted(&[Ok(READY)]);
    let e = client
        .describe_thing()
        .name("other")
        .wait_until_thing_ready(Duration::from_secs(10))
        .await
        .unwrap_err();
    assert!(
        matches!(e, WaiterError::TimedOut { attempts, .. } if attempts > 2),
        "{e}"
    );
    assert!(*calls.lock().unwrap() > 2);
    assert!(e.to_string().contains("ThingReady"), "{e}");
}

/// A failure acceptor ends the wait; so does an error no acceptor expects.
#[tokio::test(start_paused = true)]
async fn failure_states_and_unexpected_errors_end_the_wait() {
    let broken = r#"{"Thing":{"Status":"BROKEN"}}"#;
    let (client, _) = scripted(&[Ok(PENDING), Ok(broken)]);
    let e = client
        .describe_thing()
        .name("t")
        .wait_until_thing_ready(Duration::from_secs(60))
        .await
        .unwrap_err();
    // The output that matched comes back, to read why.
    let WaiterError::Failure {
        waiter: "ThingReady",
        last: LastPoll::Output(out),
    } = e
    else {
        panic!("{e}")
    };
    assert_eq!(out.thing.and_then(|t| t.status), Some(Status::Broken));

    let (client, calls) = scripted(&[Err("AccessDenied")]);
    let e = client
        .describe_thing()
        .name("t")
        .wait_until_thing_ready(Duration::from_secs(60))
        .await
        .unwrap_err();
    let WaiterError::Operation(e) = e else {
        panic!("{e}")
    };
    assert_eq!(e.into_service_error().meta().code(), Some("AccessDenied"));
    assert_eq!(*calls.lock().unwrap(), 1);

    // `allStringEquals` and `anyStringEquals` over a projection.
    let faulty = r#"{"Thing":{"Parts":[{"State":"OK"},{"State":"FAULTY"}]}}"#;
    let (client, _) = scripted(&[Ok(PENDING), Ok(faulty)]);
    let e = client
        .describe_thing()
        .name("t")
        .wait_until_parts_ok(Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            WaiterError::Failure {
                waiter: "PartsOk",
                ..
            }
        ),
        "{e}"
    );
    let (client, _) = scripted(&[Ok(PENDING), Ok(READY)]);
    assert!(client
        .describe_thing()
        .name("t")
        .wait_until_parts_ok(Duration::from_secs(60))
        .await
        .unwrap()
        .is_some());
}

/// An expected error can be the success: then there is no output.
#[tokio::test(start_paused = true)]
async fn an_expected_error_can_be_the_success() {
    let (client, calls) = scripted(&[Ok(READY), Ok(READY), Err("NotFound")]);
    let out = client
        .describe_thing()
        .name("t")
        .wait_until_thing_gone(Duration::from_secs(30))
        .await
        .unwrap();
    assert!(out.is_none());
    assert_eq!(*calls.lock().unwrap(), 3);
}

/// The longest wait bounds the polls; one no longer than the shortest delay, and an
/// input missing a required member, are errors before any call.
#[tokio::test(start_paused = true)]
async fn the_longest_wait_bounds_the_polls() {
    let (client, calls) = scripted(&[Ok(PENDING)]);
    let start = tokio::time::Instant::now();
    let e = client
        .describe_thing()
        .name("t")
        .wait_until_thing_ready(Duration::from_secs(20))
        .await
        .unwrap_err();
    assert!(matches!(e, WaiterError::TimedOut { .. }), "{e}");
    assert!(
        start.elapsed() <= Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert!(*calls.lock().unwrap() >= 5, "the delays stay within 1–4 s");

    let (client, calls) = scripted(&[Ok(READY)]);
    let e = client
        .describe_thing()
        .name("t")
        .wait_until_thing_ready(Duration::from_secs(1))
        .await
        .unwrap_err();
    assert!(matches!(e, WaiterError::InvalidMaxWait { .. }), "{e}");
    let e = client
        .describe_thing()
        .wait_until_thing_ready(Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("Name"), "{e}");
    assert_eq!(*calls.lock().unwrap(), 0);
}
