//! Endpoint discovery (`aws.api#clientEndpointDiscovery`), through the client generated
//! from `codegen/tests/models/discovery.json` and an in-process service: where each
//! call goes, what the discovery operation is asked, how long its answer is kept, and
//! what happens when it fails or the service says an endpoint is no longer valid.

use bytes::Bytes;
use smithy_runtime::transport::{BoxFuture, Transport};
use smithy_runtime::TransportError;
use std::sync::{Arc, Mutex};

/// What the in-process service saw: (host, operation, body) of each request.
type Seen = Arc<Mutex<Vec<(String, String, String)>>>;

/// How the service answers.
#[derive(Clone, Copy)]
struct Behaviour {
    /// `CachePeriodInMinutes` of the endpoints it gives.
    period: i64,
    /// Whether `DescribeEndpoints` fails (a 400 that is not retried).
    discovery_fails: bool,
    /// Whether the cell says it is not the caller's (421 `InvalidEndpoint`).
    invalid: bool,
    /// Whether each answer takes 20 ms (calls overlap).
    slow: bool,
}

const NORMAL: Behaviour = Behaviour {
    period: 10,
    discovery_fails: false,
    invalid: false,
    slow: false,
};

/// A client of a service that gives `cell-N.example.com` (N counting the discovery
/// calls) from `DescribeEndpoints`, with `configure` applied to its configuration.
fn service(
    behaviour: Behaviour,
    configure: impl FnOnce(smithy_runtime::ConfigBuilder) -> smithy_runtime::ConfigBuilder,
) -> (m_discovery::Client, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let transport =
        move |req: http::Request<Bytes>| -> Result<http::Response<Bytes>, TransportError> {
            let host = req.uri().host().unwrap_or_default().to_string();
            let target = req
                .headers()
                .get("x-amz-target")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let op = target.rsplit('.').next().unwrap_or_default().to_string();
            let body = String::from_utf8_lossy(req.body()).into_owned();
            let mut log = log.lock().unwrap();
            log.push((host, op.clone(), body));
            let discoveries = log.iter().filter(|s| s.1 == "DescribeEndpoints").count();
            let (status, body) = match op.as_str() {
                "DescribeEndpoints" if behaviour.discovery_fails => (
                    400,
                    r#"{"__type":"AccessDeniedException","message":"no"}"#.to_string(),
                ),
                "DescribeEndpoints" => (
                    200,
                    format!(
                        r#"{{"Endpoints":[{{"Address":"cell-{discoveries}.example.com","CachePeriodInMinutes":{}}}]}}"#,
                        behaviour.period
                    ),
                ),
                _ if behaviour.invalid => (
                    421,
                    r#"{"__type":"InvalidEndpoint","Message":"not your cell"}"#.to_string(),
                ),
                "GetRecord" => (200, r#"{"Value":"v"}"#.to_string()),
                _ => (200, "{}".to_string()),
            };
            Ok(http::Response::builder()
                .status(status)
                .header("content-type", "application/x-amz-json-1.0")
                .body(Bytes::from(body))
                .unwrap())
        };
    let config = configure(
        smithy_runtime::Config::builder()
            .region("us-west-2")
            .credentials(smithy_runtime::Credentials::new("AKID", "SECRET", None)),
    )
    .transport(Slow {
        answer: Arc::new(transport),
        delay: behaviour.slow,
    })
    .build();
    (m_discovery::Client::from_conf(config), seen)
}

/// A transport that answers through `answer`, after 20 ms when `delay` is set.
struct Slow {
    answer: Arc<dyn Transport>,
    delay: bool,
}

impl Transport for Slow {
    fn send(
        &self,
        request: http::Request<smithy_runtime::ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<smithy_runtime::ByteStream>, TransportError>> {
        Box::pin(async move {
            if self.delay {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            self.answer.send(request).await
        })
    }
}

/// (host, operation) of each request seen.
fn calls(seen: &Seen) -> Vec<(String, String)> {
    seen.lock()
        .unwrap()
        .iter()
        .map(|(h, o, _)| (h.clone(), o.clone()))
        .collect()
}

fn pair(host: &str, op: &str) -> (String, String) {
    (host.to_string(), op.to_string())
}

async fn get(client: &m_discovery::Client, table: &str) -> Result<(), String> {
    client
        .get_record()
        .table(table)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("{e:#}"))
}

/// An operation that requires discovery goes to the address `DescribeEndpoints` gives,
/// which is asked once for the operation and its identifiers and kept for later calls
/// with the same identifiers; other identifiers are discovered apart.
#[tokio::test]
async fn a_required_operation_goes_to_the_discovered_cell() {
    let (client, seen) = service(NORMAL, |c| c);
    get(&client, "t1").await.unwrap();
    get(&client, "t1").await.unwrap();
    get(&client, "t2").await.unwrap();
    let regional = "cells.us-west-2.amazonaws.com";
    assert_eq!(
        calls(&seen),
        [
            pair(regional, "DescribeEndpoints"),
            pair("cell-1.example.com", "GetRecord"),
            pair("cell-1.example.com", "GetRecord"),
            pair(regional, "DescribeEndpoints"),
            pair("cell-2.example.com", "GetRecord"),
        ]
    );
    let bodies: Vec<String> = seen.lock().unwrap().iter().map(|s| s.2.clone()).collect();
    let doc = |text: &str| smithy_runtime::json::Parser::new(text.as_bytes()).document();
    assert_eq!(
        doc(&bodies[0]).unwrap(),
        doc(r#"{"Operation":"GetRecord","Identifiers":{"Table":"t1"}}"#).unwrap()
    );
    // The request to the cell is the operation's own, signed for the service.
    assert_eq!(bodies[1], r#"{"Table":"t1"}"#);
    // An operation without discovery goes to the regional endpoint.
    client.ping().send().await.unwrap();
    assert_eq!(calls(&seen).last().unwrap(), &pair(regional, "Ping"));
}

/// Calls made while a discovery is under way wait for it: one discovery serves them
/// all.
#[tokio::test]
async fn one_discovery_serves_concurrent_calls() {
    let (client, seen) = service(
        Behaviour {
            slow: true,
            ..NORMAL
        },
        |c| c,
    );
    let mut running = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let client = client.clone();
        running.spawn(async move { get(&client, "t").await });
    }
    while let Some(r) = running.join_next().await {
        r.unwrap().unwrap();
    }
    let all = calls(&seen);
    assert_eq!(all.iter().filter(|c| c.1 == "DescribeEndpoints").count(), 1);
    assert_eq!(
        all.iter()
            .filter(|c| *c == &pair("cell-1.example.com", "GetRecord"))
            .count(),
        20
    );
}

/// A `CachePeriodInMinutes` of 0 keeps nothing: every call discovers again.
#[tokio::test]
async fn an_address_is_kept_only_for_its_cache_period() {
    let (client, seen) = service(
        Behaviour {
            period: 0,
            ..NORMAL
        },
        |c| c,
    );
    get(&client, "t").await.unwrap();
    get(&client, "t").await.unwrap();
    let hosts: Vec<String> = calls(&seen)
        .into_iter()
        .filter(|c| c.1 == "GetRecord")
        .map(|c| c.0)
        .collect();
    assert_eq!(hosts, ["cell-1.example.com", "cell-2.example.com"]);
}

/// Optional discovery is used only when it is turned on; when it fails, the regular
/// endpoint serves.
#[tokio::test]
async fn optional_discovery_is_opt_in_and_falls_back() {
    let regional = "cells.us-west-2.amazonaws.com";
    let (client, seen) = service(NORMAL, |c| c);
    client.put_record().value("x").send().await.unwrap();
    assert_eq!(calls(&seen), [pair(regional, "PutRecord")]);

    let (client, seen) = service(NORMAL, |c| c.endpoint_discovery(true));
    client.put_record().value("x").send().await.unwrap();
    assert_eq!(
        calls(&seen),
        [
            pair(regional, "DescribeEndpoints"),
            pair("cell-1.example.com", "PutRecord"),
        ]
    );

    let failing = Behaviour {
        discovery_fails: true,
        ..NORMAL
    };
    let (client, seen) = service(failing, |c| c.endpoint_discovery(true));
    client.put_record().value("x").send().await.unwrap();
    assert_eq!(
        calls(&seen),
        [
            pair(regional, "DescribeEndpoints"),
            pair(regional, "PutRecord"),
        ]
    );
}

/// An operation that requires discovery fails, before it is sent, when discovery
/// does; the error says which operation failed and why.
#[tokio::test]
async fn a_failed_discovery_fails_a_required_operation() {
    let failing = Behaviour {
        discovery_fails: true,
        ..NORMAL
    };
    let (client, seen) = service(failing, |c| c);
    let e = get(&client, "t").await.unwrap_err();
    assert!(e.contains("DescribeEndpoints"), "{e}");
    assert!(e.contains("AccessDeniedException"), "{e}");
    assert!(calls(&seen).iter().all(|c| c.1 == "DescribeEndpoints"));
}

/// The service's invalid-endpoint error is the call's error, and the address is
/// forgotten: the next call discovers again.
#[tokio::test]
async fn an_invalid_endpoint_is_forgotten() {
    let invalid = Behaviour {
        invalid: true,
        ..NORMAL
    };
    let (client, seen) = service(invalid, |c| c);
    let e = client.get_record().table("t").send().await.unwrap_err();
    assert_eq!(
        e.as_service_error().and_then(|s| s.meta().code()),
        Some("InvalidEndpoint")
    );
    let _ = get(&client, "t").await;
    let discoveries = calls(&seen)
        .iter()
        .filter(|c| c.1 == "DescribeEndpoints")
        .count();
    assert_eq!(discoveries, 2);
}

/// A configured endpoint URL (a local server, a proxy) turns discovery off, and so
/// does turning it off in the configuration.
#[tokio::test]
async fn a_configured_endpoint_or_the_switch_turns_discovery_off() {
    let (client, seen) = service(NORMAL, |c| c.endpoint_url("http://127.0.0.1:9"));
    get(&client, "t").await.unwrap();
    assert_eq!(calls(&seen), [pair("127.0.0.1", "GetRecord")]);

    let (client, seen) = service(NORMAL, |c| c.endpoint_discovery(false));
    get(&client, "t").await.unwrap();
    assert_eq!(
        calls(&seen),
        [pair("cells.us-west-2.amazonaws.com", "GetRecord")]
    );
}

/// `AWS_ENABLE_ENDPOINT_DISCOVERY` and the profile's `endpoint_discovery_enabled` set
/// the switch: `true`, `false`, or `auto` (the default).
#[tokio::test]
async fn the_environment_sets_the_switch() {
    for (value, discovers) in [("false", false), ("TRUE", true), ("auto", false)] {
        let env = |k: &str| match k {
            "AWS_ENABLE_ENDPOINT_DISCOVERY" => Some(value.to_string()),
            "AWS_REGION" => Some("us-west-2".to_string()),
            _ => None,
        };
        let (c, seen) = service(NORMAL, |_| {
            smithy_runtime::ConfigBuilder::from_env_with("TEST_DISCOVERY", env)
                .credentials(smithy_runtime::Credentials::new("AKID", "SECRET", None))
        });
        c.put_record().send().await.unwrap();
        let discovered = calls(&seen).iter().any(|c| c.1 == "DescribeEndpoints");
        assert_eq!(
            discovered, discovers,
            "AWS_ENABLE_ENDPOINT_DISCOVERY={value}"
        );
    }
}
