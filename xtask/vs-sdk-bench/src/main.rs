//! The generated Network Firewall client side by side with the official AWS SDK for
//! Rust (`aws-sdk-networkfirewall`), on the same in-process response bytes. Run in
//! release mode (`cargo xtask bench --vs-sdk` does):
//!
//! cargo run --release --manifest-path xtask/vs-sdk-bench/Cargo.toml
//!
//! Both clients have fixed credentials, region us-east-1 and their default retry and
//! timeout settings, and send through a transport that answers from memory (ours: a
//! `Transport` closure; the SDK: an `HttpConnector`), both with status 200 and the same
//! `content-type`. Every call sets `FirewallArn` and `MaxResults`.
//!
//! Each figure runs in interleaved rounds (ours, sdk, ours, sdk, ...; 11 rounds, each
//! side a batch of about `BENCH_ROUND_MILLIS` ms, 100 by default) and reports the
//! median of each side, as `name ours sdk unit ratio` lines, the ratio saying how many
//! times faster (or fewer) ours is:
//!
//! - `call_path_1000`, `call_path_100`: the whole call path (serialize, sign, send to
//!   the in-process transport, parse) with the 1000- and 100-item bodies of
//!   `shared/fixtures`, as response body bytes per second.
//! - `call_fixed_cost`: the time of one whole call answered with an empty list.
//! - `signer_ceiling`: `aws-sigv4` signing the request of that call alone (as our
//!   client calls it, a clone of the unsigned request each time) against the SDK's
//!   whole empty call: the ratio `call_fixed_cost` would have if everything in our call
//!   but the signature cost nothing. Both clients sign with the same crate.
//! - `paginator_100x100`: the item stream over 100 pages of 100 items, the transport
//!   answering each request by its `NextToken`; items per second.
//! - `alloc_per_call_N` (N items in the response; 0 is the empty list): heap
//!   allocations (`alloc` and `alloc_zeroed`) per whole call, counted by a counting
//!   global allocator; `realloc_per_call_N` counts `realloc`s.
//! - `parse_1000 ours sonic`: the generated response parser alone on the 1000-item body
//!   against sonic-rs deserializing it into a borrowed struct with the same fields
//!   (`&str` for strings and enums, `f64` for the timestamp), the ceiling of a typed
//!   parse; `alloc_parse_1000` their allocations per parse.
//!
//! `BENCH_ONLY=NAME` runs only the figures whose name contains `NAME`, and
//! `BENCH_SIDE=ours` (or `sdk`) times only that side: both for a profiler.

use aws_sdk_networkfirewall as sdk;
use aws_smithy_runtime_api::client::http::{
    http_client_fn, HttpConnector, HttpConnectorFuture, SharedHttpConnector,
};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
use network_firewall::config::TransportError;
use network_firewall_paginators::IntoPaginator as _;
use smithy_runtime::Operation as _;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

const ROUNDS: usize = 11;
const ARN: &str = "arn:aws:network-firewall:us-east-1:123456789012:firewall/bench-firewall";
const EMPTY: &[u8] = br#"{"FlowOperations":[]}"#;

/// The system allocator, counting allocations while `COUNTING` is set.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static REALLOCS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call goes straight to `System`; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            ALLOCS.fetch_add(1, Relaxed);
        }
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            ALLOCS.fetch_add(1, Relaxed);
        }
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            REALLOCS.fetch_add(1, Relaxed);
        }
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations and reallocations per call of `f`, over `n` calls.
fn count_allocs(n: u32, mut f: impl FnMut()) -> (f64, f64) {
    f();
    ALLOCS.store(0, Relaxed);
    REALLOCS.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
    for _ in 0..n {
        f();
    }
    COUNTING.store(false, Relaxed);
    let per = |c: &AtomicU64| c.load(Relaxed) as f64 / f64::from(n);
    (per(&ALLOCS), per(&REALLOCS))
}

fn fixture(name: &str) -> Bytes {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Bytes::from(bytes)
}

/// A batch of `f` that takes about `budget`, after a warm-up.
fn batch_size(budget: Duration, f: &mut impl FnMut()) -> u32 {
    let mut batch = 1u32;
    loop {
        let t = Instant::now();
        for _ in 0..batch {
            f();
        }
        let took = t.elapsed();
        if took >= budget || batch >= 1 << 24 {
            return batch;
        }
        // Aim straight at the budget once a batch takes long enough to time.
        if took >= budget / 8 {
            let scale = budget.as_secs_f64() / took.as_secs_f64();
            return ((f64::from(batch) * scale).ceil() as u32).max(1);
        }
        batch *= 2;
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Seconds per call of `a` and of `b`: the medians of interleaved rounds.
fn side_by_side(budget: Duration, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64) {
    // `BENCH_SIDE=ours` (or `sdk`) times only that side, for a profiler.
    match std::env::var("BENCH_SIDE").as_deref() {
        Ok("ours") => return (time_alone(budget, &mut a), f64::NAN),
        Ok("sdk") => return (f64::NAN, time_alone(budget, &mut b)),
        _ => {}
    }
    let batch_a = batch_size(budget, &mut a);
    let batch_b = batch_size(budget, &mut b);
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        for (f, batch, times) in [
            (&mut a as &mut dyn FnMut(), batch_a, &mut ta),
            (&mut b as &mut dyn FnMut(), batch_b, &mut tb),
        ] {
            times.push(per_call(batch, f));
        }
    }
    (median(ta), median(tb))
}

/// Seconds per call of `f` over one round of `batch` calls.
fn per_call<F: FnMut() + ?Sized>(batch: u32, f: &mut F) -> f64 {
    let t = Instant::now();
    for _ in 0..batch {
        f();
    }
    t.elapsed().as_secs_f64() / f64::from(batch)
}

/// Seconds per call of `f` alone: the median of as many rounds as `side_by_side` runs.
fn time_alone(budget: Duration, f: &mut impl FnMut()) -> f64 {
    let batch = batch_size(budget, f);
    median((0..ROUNDS).map(|_| per_call(batch, f)).collect())
}

/// A 200 response with the JSON content type, built as the SDK's connector below builds
/// its own: a static header value, no builder (whose `header` parses the name and copies
/// the value on every call).
fn response(body: Bytes) -> http::Response<Bytes> {
    let mut response = http::Response::new(body);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/x-amz-json-1.0"),
    );
    response
}

/// Our client, answered from memory by `answer(request body)`.
fn ours(answer: impl Fn(&[u8]) -> Bytes + Send + Sync + 'static) -> network_firewall::Client {
    ours_with(move |req| Ok(response(answer(req.body()))))
}

/// Our client, sending through `transport`.
fn ours_with(
    transport: impl Fn(http::Request<Bytes>) -> Result<http::Response<Bytes>, TransportError>
        + Send
        + Sync
        + 'static,
) -> network_firewall::Client {
    network_firewall::Client::from_conf(
        network_firewall::Config::builder()
            .region("us-east-1")
            .credentials(network_firewall::Credentials::new(
                "AKIDBENCH",
                "bench-secret",
                None,
            ))
            .transport(transport)
            .build(),
    )
}

/// The SDK's HTTP connector, answering from memory.
struct Memory<F>(F);

impl<F> std::fmt::Debug for Memory<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memory")
    }
}

impl<F: Fn(&[u8]) -> Bytes + Send + Sync> HttpConnector for Memory<F> {
    fn call(&self, request: sdk::config::http::HttpRequest) -> HttpConnectorFuture {
        let body = (self.0)(request.body().bytes().unwrap_or_default());
        let status = StatusCode::try_from(200).expect("status");
        let mut response = sdk::config::http::HttpResponse::new(status, SdkBody::from(body));
        response
            .headers_mut()
            .insert("content-type", "application/x-amz-json-1.0");
        HttpConnectorFuture::ready(Ok(response))
    }
}

/// The official SDK's client, answered from memory by `answer(request body)`.
fn sdk(answer: impl Fn(&[u8]) -> Bytes + Send + Sync + 'static) -> sdk::Client {
    let connector = SharedHttpConnector::new(Memory(answer));
    let http_client = http_client_fn(move |_, _| connector.clone());
    sdk::Client::from_conf(
        sdk::Config::builder()
            .behavior_version(sdk::config::BehaviorVersion::latest())
            .region(sdk::config::Region::new("us-east-1"))
            .credentials_provider(sdk::config::Credentials::new(
                "AKIDBENCH",
                "bench-secret",
                None,
                None,
                "bench",
            ))
            .http_client(http_client)
            .build(),
    )
}

/// 100 items in the shape of the fixtures, then `NextToken` `page{p+1}` but on the last.
fn pages(pages: usize, per_page: usize) -> Vec<Bytes> {
    let template: Vec<String> = (0..per_page)
        .map(|i| format!(r#"{{"FlowOperationId":"00000000-0000-4000-8000-{i:012}","FlowOperationType":"FLOW_FLUSH","FlowRequestTimestamp":1.700000037123E9,"FlowOperationStatus":"COMPLETED"}}"#))
        .collect();
    (0..pages)
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
        .collect()
}

/// The page number in a request body's `"NextToken":"pageN"`.
fn find_token(body: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(body).ok()?;
    let at = text.find("\"NextToken\":\"page")? + "\"NextToken\":\"page".len();
    text[at..].split('"').next()?.parse().ok()
}

/// The output of ListFlowOperations, borrowed from the body, for sonic-rs.
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct SonicOutput<'a> {
    #[serde(borrow)]
    flow_operations: Option<Vec<SonicFlowOperation<'a>>>,
    #[serde(borrow)]
    next_token: Option<&'a str>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct SonicFlowOperation<'a> {
    #[serde(borrow)]
    flow_operation_id: Option<&'a str>,
    #[serde(borrow)]
    flow_operation_type: Option<&'a str>,
    flow_request_timestamp: Option<f64>,
    #[serde(borrow)]
    flow_operation_status: Option<&'a str>,
}

fn main() {
    let budget = Duration::from_millis(
        std::env::var("BENCH_ROUND_MILLIS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(100),
    );
    // `BENCH_ONLY=call_fixed_cost` (any part of a name) runs only those figures, for a
    // profiler.
    let only = std::env::var("BENCH_ONLY").ok();
    let wanted = |name: &str| only.as_deref().is_none_or(|o| name.contains(o));
    eprintln!(
        "# name ours sdk unit ratio (how many times faster, or fewer, ours is); \
         medians of {ROUNDS} interleaved rounds of about {} ms a side",
        budget.as_millis()
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let body_1000 = fixture("list_flow_operations_1000.json");
    let body_100 = fixture("list_flow_operations_100.json");
    let mut allocs = Vec::new();
    for (name, body, items) in [
        ("call_path_1000", body_1000.clone(), 1000),
        ("call_path_100", body_100, 100),
        ("call_fixed_cost", Bytes::from_static(EMPTY), 0),
    ] {
        if wanted(name) {
            allocs.push(call_path(&rt, budget, name, body, items));
        }
    }
    if wanted("signer_ceiling") {
        signer_ceiling(&rt, budget);
    }
    if wanted("paginator_100x100") {
        paginator(&rt, budget);
    }
    for (items, (ao, ro), (as_, rs)) in allocs {
        println!(
            "alloc_per_call_{items} {ao:.1} {as_:.1} allocs {}",
            ratio(as_, ao)
        );
        println!(
            "realloc_per_call_{items} {ro:.1} {rs:.1} reallocs {}",
            ratio(rs, ro)
        );
    }
    if wanted("parse_1000") {
        parse(budget, &body_1000);
    }
}

/// How many times `a` is `b`, to three significant digits or so.
fn ratio(a: f64, b: f64) -> String {
    let r = a / b;
    if !r.is_finite() {
        "-".to_string()
    } else if r >= 10.0 {
        format!("{r:.1}")
    } else if r >= 0.1 {
        format!("{r:.2}")
    } else {
        format!("{r:.4}")
    }
}

/// One ListFlowOperations call of ours, as every call-path figure makes it.
fn call_ours(
    rt: &tokio::runtime::Runtime,
    o: &network_firewall::Client,
) -> network_firewall::types::ListFlowOperationsResponse {
    rt.block_on(
        o.list_flow_operations()
            .firewall_arn(ARN)
            .max_results(100)
            .send(),
    )
    .expect("our call")
}

/// The same call through the official SDK.
fn call_sdk(
    rt: &tokio::runtime::Runtime,
    s: &sdk::Client,
) -> sdk::operation::list_flow_operations::ListFlowOperationsOutput {
    rt.block_on(
        s.list_flow_operations()
            .firewall_arn(ARN)
            .max_results(100)
            .send(),
    )
    .expect("the SDK's call")
}

/// The whole call path with `body` as the response, both clients; prints the figure
/// and returns the allocations per call (ours, sdk).
fn call_path(
    rt: &tokio::runtime::Runtime,
    budget: Duration,
    name: &str,
    body: Bytes,
    items: usize,
) -> (usize, (f64, f64), (f64, f64)) {
    let (a, b) = (body.clone(), body.clone());
    let o = ours(move |_| a.clone());
    let s = sdk(move |_| b.clone());
    // Both read the same items.
    let (x, y) = (call_ours(rt, &o), call_sdk(rt, &s));
    assert_eq!(x.flow_operations().len(), items);
    assert_eq!(y.flow_operations().len(), items);
    for (x, y) in x.flow_operations().iter().zip(y.flow_operations()) {
        assert_eq!(x.flow_operation_id(), y.flow_operation_id());
        assert_eq!(
            x.flow_operation_status().map(|s| s.as_str()),
            y.flow_operation_status().map(|s| s.as_str())
        );
    }
    let (to, ts) = side_by_side(
        budget,
        || drop(black_box(call_ours(rt, &o))),
        || drop(black_box(call_sdk(rt, &s))),
    );
    if items == 0 {
        let (o, s) = (to * 1e6, ts * 1e6);
        println!("{name} {o:.2} {s:.2} us {}", ratio(s, o));
    } else {
        let (o, s) = (body.len() as f64 / to / 1e6, body.len() as f64 / ts / 1e6);
        println!("{name} {o:.1} {s:.1} MB/s {}", ratio(o, s));
    }
    let n = if items >= 1000 { 100 } else { 1000 };
    let ao = count_allocs(n, || drop(black_box(call_ours(rt, &o))));
    let as_ = count_allocs(n, || drop(black_box(call_sdk(rt, &s))));
    (items, ao, as_)
}

/// `aws-sigv4` signing our empty call's request alone, against the SDK's whole call.
fn signer_ceiling(rt: &tokio::runtime::Runtime, budget: Duration) {
    // The request our client sends, caught by its transport and stripped of what the
    // signature and the attempt add.
    let sent = std::sync::Arc::new(std::sync::Mutex::new(None));
    let caught = sent.clone();
    let o = ours_with(move |req| {
        *caught.lock().expect("lock") = Some(req);
        Ok(response(Bytes::from_static(EMPTY)))
    });
    call_ours(rt, &o);
    let mut unsigned = sent
        .lock()
        .expect("lock")
        .take()
        .expect("a request was sent");
    for added in [
        "authorization",
        "x-amz-date",
        "user-agent",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
    ] {
        unsigned.headers_mut().remove(added);
    }
    let identity: aws_smithy_runtime_api::client::identity::Identity =
        aws_credential_types::Credentials::new("AKIDBENCH", "bench-secret", None, None, "bench")
            .into();
    let sign = || {
        let mut request =
            http::Request::new(smithy_runtime::ByteStream::from(unsigned.body().clone()));
        *request.method_mut() = unsigned.method().clone();
        *request.uri_mut() = unsigned.uri().clone();
        *request.headers_mut() = unsigned.headers().clone();
        smithy_runtime::sign::sign_request(
            &mut request,
            false,
            &identity,
            "us-east-1",
            "network-firewall",
            std::time::SystemTime::now(),
        )
        .expect("signed");
        assert!(request.headers().contains_key("authorization"));
        drop(black_box(request));
    };
    let s = sdk(|_| Bytes::from_static(EMPTY));
    let (to, ts) = side_by_side(budget, sign, || drop(black_box(call_sdk(rt, &s))));
    let (o, s) = (to * 1e6, ts * 1e6);
    println!("signer_ceiling {o:.2} {s:.2} us {}", ratio(s, o));
}

/// Both item streams over 100 pages of 100 items, answered by the request's NextToken.
fn paginator(rt: &tokio::runtime::Runtime, budget: Duration) {
    let bodies = std::sync::Arc::new(pages(100, 100));
    let answer = |bodies: std::sync::Arc<Vec<Bytes>>| {
        move |req: &[u8]| bodies[find_token(req).unwrap_or(0).min(bodies.len() - 1)].clone()
    };
    let o = ours(answer(bodies.clone()));
    let s = sdk(answer(bodies));
    let items_ours = || {
        rt.block_on(async {
            let mut items = o
                .list_flow_operations()
                .firewall_arn(ARN)
                .into_paginator()
                .items();
            let mut n = 0usize;
            while let Some(item) = items.next().await {
                black_box(item.expect("our item"));
                n += 1;
            }
            assert_eq!(n, 10_000);
        })
    };
    let items_sdk = || {
        rt.block_on(async {
            let mut items = s
                .list_flow_operations()
                .firewall_arn(ARN)
                .into_paginator()
                .items()
                .send();
            let mut n = 0usize;
            while let Some(item) = items.next().await {
                black_box(item.expect("the SDK's item"));
                n += 1;
            }
            assert_eq!(n, 10_000);
        })
    };
    let (to, ts) = side_by_side(budget, items_ours, items_sdk);
    let (o, s) = (10_000.0 / to / 1e6, 10_000.0 / ts / 1e6);
    println!("paginator_100x100 {o:.2} {s:.2} Mitems/s {}", ratio(o, s));
}

/// The generated parser alone against sonic-rs, the ceiling of a typed parse.
fn parse(budget: Duration, body: &[u8]) {
    // The generated parser reads a whole response (status, headers, body).
    let response = network_firewall::config::http::Response::new(
        network_firewall::config::Bytes::copy_from_slice(body),
    );
    let parse_ours = || {
        black_box(
            network_firewall::operation::ListFlowOperations::parse(black_box(&response))
                .expect("our parse"),
        );
    };
    let parse_sonic = || {
        black_box(
            sonic_rs::from_slice::<SonicOutput<'_>>(black_box(body)).expect("sonic-rs parse"),
        );
    };
    let parsed: SonicOutput<'_> = sonic_rs::from_slice(body).expect("sonic-rs parse");
    assert_eq!(parsed.flow_operations.map_or(0, |v| v.len()), 1000);
    let (to, ts) = side_by_side(budget, parse_ours, parse_sonic);
    let (o, s) = (body.len() as f64 / to / 1e6, body.len() as f64 / ts / 1e6);
    println!("parse_1000 {o:.1} {s:.1} MB/s {}", ratio(o, s));
    let (ao, _) = count_allocs(1000, parse_ours);
    let (as_, _) = count_allocs(1000, parse_sonic);
    println!(
        "alloc_parse_1000 {ao:.1} {as_:.1} allocs {}",
        ratio(as_, ao)
    );
}
