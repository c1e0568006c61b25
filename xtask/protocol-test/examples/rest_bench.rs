//! restJson1 figures, printed as `name value unit` lines (`cargo xtask bench` runs
//! this in release mode after generating the test crates):
//!
//! - `rest_call_path`: one whole call of an operation with two labels (one greedy),
//!   a literal and two bound query parameters, two headers and a JSON body, answered
//!   from memory with headers and a JSON body: serialize, sign, send, parse.
//! - `rest_download_in_process`: a 1 GiB streamed download whose 64 KiB chunks come
//!   from memory (shared, not copied): what the call path adds to each chunk.
//! - `rest_download_loopback`: a 1 GiB streamed download from the runtime's test
//!   server over TCP on 127.0.0.1 through the default (hyper) transport, in MB/s, and
//!   the most memory held above the start while it runs.

use bytes::Bytes;
use m_streaming::primitives::{ByteStream, DateTime};
use m_streaming::Client;
use protocol_test::Counting;
use smithy_runtime::test_util::{best_time, Reply, TestServer};
use smithy_runtime::TransportError;
use std::hint::black_box;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const GIB: u64 = 1024 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

fn config(transport: impl smithy_runtime::transport::Transport + 'static) -> Client {
    Client::from_conf(
        smithy_runtime::Config::builder()
            .region("us-east-1")
            .credentials(smithy_runtime::Credentials::new(
                "AKIDBENCH",
                "bench-secret",
                None,
            ))
            .transport(transport)
            .build(),
    )
}

fn main() {
    let budget = Duration::from_millis(
        std::env::var("BENCH_MILLIS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1500),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");

    // The call path.
    let answer = Bytes::from_static(
        br#"{"Key":"reports/2026/11/summary.csv","Version":"v42","Metadata":{"owner":"data-team","stage":"final","source":"etl","region":"eu","retention":"7y"},"Labels":["finance","monthly","csv"],"UpdatedAt":1764460800.123,"Size":1048576}"#,
    );
    let c = config(
        move |req: http::Request<Bytes>| -> Result<http::Response<Bytes>, TransportError> {
            black_box(&req);
            Ok(http::Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .header("etag", "\"9b2cf535f27731c974343645a3985328\"")
                .header("x-request-id", "4442587FB7D0A2F9")
                .body(answer.clone())
                .unwrap_or_default())
        },
    );
    let expires = DateTime::from_secs(1_800_000_000);
    let t = best_time(budget, || {
        let out = rt.block_on(
            c.update_metadata()
                .bucket("analytics")
                .key("reports/2026/11/summary.csv")
                .version("v41")
                .max_keys(100)
                .request_tag("nightly-run")
                .if_match("\"1b2cf535f27731c974343645a3985328\"")
                .metadata("owner", "data-team")
                .metadata("stage", "final")
                .metadata("source", "etl")
                .metadata("region", "eu")
                .metadata("retention", "7y")
                .labels("finance")
                .labels("monthly")
                .labels("csv")
                .content_type("text/csv")
                .expires(expires)
                .send(),
        );
        black_box(out.expect("call"));
    });
    println!("rest_call_path {:.2} us", t.as_secs_f64() * 1e6);

    // A download whose chunks come from memory.
    let chunk = Bytes::from(vec![7u8; CHUNK]);
    let c = config(DownloadFromMemory(chunk));
    let t = Instant::now();
    let read = rt.block_on(async {
        let mut out = c.get_object().key("big").send().await.expect("call");
        let mut read = 0u64;
        while let Some(chunk) = out.body.next().await {
            read += chunk.expect("chunk").len() as u64;
        }
        read
    });
    assert_eq!(read, GIB);
    // The chunks are shared, not copied: what is measured is the cost per chunk.
    println!(
        "rest_download_in_process {:.1} ns per 64 KiB chunk",
        t.elapsed().as_secs_f64() * 1e9 / (GIB as f64 / CHUNK as f64)
    );

    // A download over TCP from the test server.
    let (mb_s, peak) = rt.block_on(async {
        let server = TestServer::scripted(vec![Reply::pattern(200, GIB)], "vault").await;
        let c = Client::from_conf(server.config());
        let t = Instant::now();
        let mut out = c.get_object().key("big").send().await.expect("call");
        let base = Counting::start();
        let mut read = 0u64;
        while let Some(chunk) = out.body.next().await {
            read += chunk.expect("chunk").len() as u64;
        }
        assert_eq!(read, GIB);
        (
            GIB as f64 / t.elapsed().as_secs_f64() / 1e6,
            Counting::peak_since(base),
        )
    });
    println!("rest_download_loopback {mb_s:.0} MB/s");
    println!(
        "rest_download_loopback_peak_memory {:.2} MiB",
        peak as f64 / (1024.0 * 1024.0)
    );
}

/// Answers with a 1 GiB body of one 64 KiB chunk repeated (shared, not copied).
struct DownloadFromMemory(Bytes);

impl smithy_runtime::transport::Transport for DownloadFromMemory {
    fn send(
        &self,
        _request: http::Request<ByteStream>,
    ) -> smithy_runtime::transport::BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>>
    {
        let chunk = self.0.clone();
        let n = (GIB as usize) / CHUNK;
        let chunks =
            futures_util::stream::iter(std::iter::repeat_n(chunk, n).map(Ok::<_, std::io::Error>));
        Box::pin(async move {
            Ok(http::Response::builder()
                .status(200)
                .header("content-length", GIB.to_string())
                .body(ByteStream::from_sized_stream(chunks, GIB))
                .unwrap_or_default())
        })
    }
}
