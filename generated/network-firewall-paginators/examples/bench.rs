//! Benchmarks, printed as `name value unit` lines. Run in release mode:
//!
//! cargo run --release -p network-firewall-paginators --example bench
//!
//! (or `cargo xtask bench`, which adds code generation and build times).
//!
//! - `parse_N`: the generated response parser on `shared/fixtures/list_flow_operations_N.json`.
//! - `call_path_1000`: the whole call path (serialize, sign, send to an in-process
//!   transport, parse) with the 1000-item body, as body bytes per second.
//! - `call_fixed_cost`: the time of one whole call with the 1-item body.
//! - `paginator_100x100`: 100 pages of 100 items through the paginator, items per second.

use bytes::Bytes;
use network_firewall::operation::ListFlowOperations;
use network_firewall::{Client, Config, Credentials};
use network_firewall_paginators::IntoPaginator as _;
use smithy_runtime::test_util::best_time;
use smithy_runtime::{Operation, TransportError};
use std::hint::black_box;
use std::time::Duration;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A client that sends through an in-process transport.
fn with_transport(transport: impl smithy_runtime::transport::Transport + 'static) -> Client {
    Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDBENCH", "bench-secret", None))
            .transport(transport)
            .build(),
    )
}

fn client(body: Bytes) -> Client {
    let transport =
        move |_req: http::Request<Bytes>| -> Result<http::Response<Bytes>, TransportError> {
            Ok(http::Response::builder()
                .status(200)
                .header("content-type", "application/x-amz-json-1.0")
                .body(body.clone())
                .unwrap_or_default())
        };
    with_transport(transport)
}

fn pages_client(pages: usize, per_page: usize) -> Client {
    let template: Vec<String> = (0..per_page)
        .map(|i| format!(r#"{{"FlowOperationId":"00000000-0000-4000-8000-{i:012}","FlowOperationType":"FLOW_FLUSH","FlowRequestTimestamp":1.700000037123E9,"FlowOperationStatus":"COMPLETED"}}"#))
        .collect();
    let bodies: Vec<Bytes> = (0..pages)
        .map(|p| {
            let next = if p + 1 < pages {
                format!(r#","NextToken":"page{}""#, p + 1)
            } else {
                String::new()
            };
            Bytes::from(format!(
                r#"{{"FlowOperations":[{}]{next}}}"#,
                template.join(",")
            ))
        })
        .collect();
    let transport =
        move |req: http::Request<Bytes>| -> Result<http::Response<Bytes>, TransportError> {
            let body = req.body();
            let page = find_token(body).unwrap_or(0);
            Ok(http::Response::builder()
                .status(200)
                .body(bodies[page.min(bodies.len() - 1)].clone())
                .unwrap_or_default())
        };
    with_transport(transport)
}

fn find_token(body: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(body).ok()?;
    let at = text.find("\"NextToken\":\"page")? + "\"NextToken\":\"page".len();
    text[at..].split('"').next()?.parse().ok()
}

fn main() {
    let budget = Duration::from_millis(
        std::env::var("BENCH_MILLIS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1500),
    );
    for n in [1, 100, 1000] {
        let body = fixture(&format!("list_flow_operations_{n}.json"));
        let response = network_firewall::config::http::Response::new(
            network_firewall::config::Bytes::from(body.clone()),
        );
        let t = best_time(budget, || {
            black_box(ListFlowOperations::parse(black_box(&response)).ok());
        });
        println!(
            "parse_{n} {:.1} MB/s",
            body.len() as f64 / t.as_secs_f64() / 1e6
        );
    }

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let arn = "arn:aws:network-firewall:us-east-1:123456789012:firewall/bench-firewall";
    for (name, file) in [
        ("call_path_1000", "list_flow_operations_1000.json"),
        ("call_fixed_cost", "list_flow_operations_1.json"),
    ] {
        let body = Bytes::from(fixture(file));
        let c = client(body.clone());
        let t = best_time(budget, || {
            let out = rt.block_on(
                c.list_flow_operations()
                    .firewall_arn(arn)
                    .max_results(100)
                    .send(),
            );
            black_box(out.expect("call"));
        });
        if name == "call_path_1000" {
            println!(
                "{name} {:.1} MB/s",
                body.len() as f64 / t.as_secs_f64() / 1e6
            );
        } else {
            println!("{name} {:.2} us", t.as_secs_f64() * 1e6);
        }
    }

    let c = pages_client(100, 100);
    let t = best_time(budget, || {
        let n = rt.block_on(async {
            let mut items = c
                .list_flow_operations()
                .firewall_arn(arn)
                .into_paginator()
                .items();
            let mut n = 0usize;
            while let Some(item) = items.next().await {
                black_box(item.expect("item"));
                n += 1;
            }
            n
        });
        assert_eq!(n, 10_000);
    });
    println!(
        "paginator_100x100 {:.2} Mitems/s",
        10_000.0 / t.as_secs_f64() / 1e6
    );
}
