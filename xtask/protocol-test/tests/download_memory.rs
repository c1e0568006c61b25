//! A 1 GiB download from the test server over the default transport, read chunk by
//! chunk, in constant memory: a counting allocator tracks the bytes held, and the
//! peak while the download runs stays a few MiB above where it started. One test in
//! this binary, so no other test's allocations count.

use protocol_test::Counting;
use smithy_runtime::test_util::{pattern_byte, Reply, TestServer};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const GIB: u64 = 1024 * 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gibibyte_downloads_in_constant_memory() {
    let server = TestServer::scripted(vec![Reply::pattern(200, GIB)], "vault").await;
    let client = m_streaming::Client::from_conf(server.config());
    let period: Vec<u8> = (0..251 * 4096).map(pattern_byte).collect();
    let start = std::time::Instant::now();
    let mut out = client.get_object().key("big").send().await.unwrap();
    assert_eq!(out.content_length, Some(GIB as i64));
    let base = Counting::start();
    let mut seen = 0u64;
    while let Some(chunk) = out.body.next().await {
        let chunk = chunk.unwrap();
        // Every byte is checked against the pattern, a period-aligned slice at a time.
        let mut at = 0;
        while at < chunk.len() {
            let offset = ((seen + at as u64) % 251) as usize;
            let n = (chunk.len() - at).min(period.len() - offset);
            assert!(
                chunk[at..at + n] == period[offset..offset + n],
                "bytes differ near {}",
                seen + at as u64
            );
            at += n;
        }
        seen += chunk.len() as u64;
    }
    let elapsed = start.elapsed();
    assert_eq!(seen, GIB);
    let peak = Counting::peak_since(base);
    println!(
        "download 1 GiB: {:.0} MB/s, peak memory above the start {:.1} MiB",
        GIB as f64 / 1e6 / elapsed.as_secs_f64(),
        peak as f64 / (1024.0 * 1024.0)
    );
    assert!(
        peak < 16 * 1024 * 1024,
        "the download held {peak} bytes at its peak"
    );
}
