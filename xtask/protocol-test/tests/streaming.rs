//! Streaming payloads, through the default (hyper) transport to the runtime's test
//! server on 127.0.0.1, which checks every SigV4 signature: uploads from bytes, a
//! file and a stream, `@requiresLength`, retries that resend what can be resent, and
//! downloads read as they arrive.

use bytes::Bytes;
use m_streaming::Client;
use smithy_runtime::test_util::{pattern_byte, RecordedRequest, Reply, TestServer};
use smithy_runtime::{ByteStream, SdkError};

async fn start(replies: Vec<Reply>) -> (TestServer, Client) {
    let server = TestServer::scripted(replies, "vault").await;
    let client = Client::from_conf(server.config());
    (server, client)
}

fn only(server: &TestServer) -> RecordedRequest {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.into_iter().next().unwrap()
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len as u64).map(pattern_byte).collect()
}

/// A stream of `chunks` chunks of `size` bytes of the pattern, one at a time.
fn chunks(
    chunks: usize,
    size: usize,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    let data = Bytes::from(pattern(chunks * size));
    futures_util::stream::iter((0..chunks).map(move |i| Ok(data.slice(i * size..(i + 1) * size))))
}

fn ok_put() -> Reply {
    Reply::json(200, r#"{"Size": 5}"#).header("etag", "\"abc\"")
}

#[tokio::test]
async fn an_upload_from_bytes_is_signed_with_its_hash() {
    let (server, client) = start(vec![ok_put()]).await;
    let out = client
        .put_object()
        .key("a/b c")
        .tag("t1")
        .body(b"hello".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(out.e_tag.as_deref(), Some("\"abc\""));
    assert_eq!(out.size, Some(5));
    let r = only(&server);
    assert_eq!(r.method, "PUT");
    assert_eq!(r.path, "/objects/a%2Fb%20c");
    assert_eq!(r.body, b"hello");
    assert_eq!(r.header("content-length"), Some("5"));
    assert_eq!(r.header("content-type"), Some("application/octet-stream"));
    assert_eq!(r.header("x-tag"), Some("t1"));
    // In memory, the payload is part of the signature.
    assert_eq!(r.header("x-amz-content-sha256"), None);
    r.signature_valid.unwrap();
}

#[tokio::test]
async fn an_empty_upload_says_nothing_of_its_type() {
    let (server, client) = start(vec![ok_put()]).await;
    client.put_object().key("k").send().await.unwrap();
    let r = only(&server);
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-length"), Some("0"));
    assert_eq!(r.header("content-type"), None);
    r.signature_valid.unwrap();
}

#[tokio::test]
async fn an_upload_from_a_file_is_read_as_it_is_sent() {
    let dir = std::env::temp_dir().join(format!("stream-up-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("object.bin");
    let data = pattern(3 * 1024 * 1024 + 17);
    std::fs::write(&path, &data).unwrap();
    let (server, client) = start(vec![ok_put()]).await;
    client
        .put_object()
        .key("file")
        .body(ByteStream::from_path(&path).await.unwrap())
        .send()
        .await
        .unwrap();
    let r = only(&server);
    assert_eq!(r.header("content-length"), Some("3145745"));
    assert!(r.body == data, "the server received other bytes");
    // Read as it is sent: the payload is not hashed first.
    assert_eq!(r.header("x-amz-content-sha256"), Some("UNSIGNED-PAYLOAD"));
    r.signature_valid.unwrap();

    // A range of the file (one part of a multipart upload).
    let (server, client) = server_again().await;
    client
        .put_object()
        .key("part")
        .body(
            ByteStream::from_path_range(&path, 1000, 70_000)
                .await
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let r = only(&server);
    assert!(r.body == data[1000..71_000]);
    assert_eq!(r.header("content-length"), Some("70000"));
    // A range the file does not have is refused when the body is made.
    let e = ByteStream::from_path_range(&path, data.len() as u64 - 10, 11)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("has no 11 bytes"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

async fn server_again() -> (TestServer, Client) {
    start(vec![ok_put()]).await
}

#[tokio::test]
async fn a_stream_of_unknown_length_is_sent_chunked() {
    let (server, client) = start(vec![ok_put()]).await;
    client
        .put_object()
        .key("s")
        .body(ByteStream::from_stream(chunks(40, 10_000)))
        .send()
        .await
        .unwrap();
    let r = only(&server);
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    assert_eq!(r.header("content-length"), None);
    assert!(r.body == pattern(400_000));
    assert_eq!(r.header("x-amz-content-sha256"), Some("UNSIGNED-PAYLOAD"));
    r.signature_valid.unwrap();
}

#[tokio::test]
async fn requires_length_refuses_a_stream_of_unknown_length_before_sending() {
    let (server, client) = start(vec![Reply::json(204, "")]).await;
    let e = client
        .put_sized()
        .key("k")
        .body(ByteStream::from_stream(chunks(2, 10)))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(e, SdkError::Construction { .. }), "{e:?}");
    assert!(format!("{e:?}").contains("requires the length"), "{e:?}");
    assert!(server.requests().is_empty());
    // With its length, the same stream goes, with `Content-Length`.
    client
        .put_sized()
        .key("k")
        .body(ByteStream::from_sized_stream(chunks(2, 10), 20))
        .send()
        .await
        .unwrap();
    let r = only(&server);
    assert_eq!(r.header("content-length"), Some("20"));
    assert!(r.body == pattern(20));
    r.signature_valid.unwrap();
}

#[tokio::test]
async fn a_stream_that_breaks_its_announced_length_fails_the_call() {
    let (_server, client) = start(vec![Reply::json(204, "")]).await;
    let e = client
        .put_sized()
        .key("k")
        .body(ByteStream::from_sized_stream(chunks(1, 10), 25))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(e, SdkError::Dispatch { .. }), "{e:?}");
}

#[tokio::test]
async fn retries_resend_files_and_bytes_but_not_one_shot_streams() {
    let dir = std::env::temp_dir().join(format!("stream-retry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("object.bin");
    std::fs::write(&path, pattern(100_000)).unwrap();
    let (server, client) = start(vec![Reply::json(503, "{}"), ok_put()]).await;
    client
        .put_object()
        .key("f")
        .body(ByteStream::from_path(&path).await.unwrap())
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert!(r.body == pattern(100_000));
        r.signature_valid.clone().unwrap();
    }
    // A stream read once cannot be sent again: the first failure is the answer.
    let (server, client) = start(vec![Reply::json(503, "{}"), ok_put()]).await;
    let e = client
        .put_object()
        .key("s")
        .body(ByteStream::from_stream(chunks(3, 10)))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(e, SdkError::Service { .. }), "{e:?}");
    assert_eq!(server.requests().len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_download_is_handed_over_as_it_arrives() {
    let len = 5 * 1024 * 1024 + 3;
    let (server, client) = start(vec![Reply::pattern(200, len as u64)]).await;
    let mut out = client
        .get_object()
        .key("big")
        .range("bytes=0-")
        .send()
        .await
        .unwrap();
    assert_eq!(out.content_length, Some(len as i64));
    assert_eq!(
        out.content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(out.status, Some(200));
    assert_eq!(out.body.content_length(), Some(len as u64));
    let mut seen = 0usize;
    let mut chunks = 0;
    while let Some(chunk) = out.body.next().await {
        let chunk = chunk.unwrap();
        assert!(
            chunk[..] == pattern(seen + chunk.len())[seen..],
            "bytes differ at {seen}"
        );
        seen += chunk.len();
        chunks += 1;
    }
    assert_eq!(seen, len);
    assert!(chunks > 1, "the body came in one piece");
    let r = only(&server);
    assert_eq!(r.header("range"), Some("bytes=0-"));
    r.signature_valid.unwrap();
}

#[tokio::test]
async fn a_download_copies_into_a_file_through_async_read() {
    let (_server, client) = start(vec![Reply::pattern(200, 300_000)]).await;
    let out = client.get_object().key("k").send().await.unwrap();
    let dir = std::env::temp_dir().join(format!("stream-down-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("copy.bin");
    let mut file = tokio::fs::File::create(&path).await.unwrap();
    let copied = tokio::io::copy(&mut out.body.into_async_read(), &mut file)
        .await
        .unwrap();
    assert_eq!(copied, 300_000);
    drop(file);
    assert!(std::fs::read(&path).unwrap() == pattern(300_000));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_failed_download_is_the_typed_error() {
    let (_server, client) = start(vec![Reply::json(
        404,
        r#"{"__type": "NoSuchKey", "Message": "no object k"}"#,
    )])
    .await;
    let e = client
        .get_object()
        .key("k")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_no_such_key(), "{e:?}");
    assert!(e.to_string().contains("no object k"), "{e}");
}

#[tokio::test]
async fn a_small_download_collects_whole() {
    let (_server, client) = start(vec![Reply::pattern(200, 1000)]).await;
    let out = client.get_object().key("k").send().await.unwrap();
    assert!(out.body.collect().await.unwrap()[..] == pattern(1000)[..]);
}

#[tokio::test]
async fn a_download_the_server_breaks_off_ends_in_an_error_not_a_short_body() {
    let (_server, client) = start(vec![Reply::pattern_cut(200, 1_000_000, 300_000)]).await;
    let mut out = client.get_object().key("k").send().await.unwrap();
    let mut seen = 0usize;
    let mut failed = None;
    while let Some(chunk) = out.body.next().await {
        match chunk {
            Ok(c) => seen += c.len(),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    let e = failed.expect("a body cut short is an error");
    assert!(seen <= 300_000, "{seen}");
    // The error says what happened, through its sources.
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    assert!(!text.is_empty());
    // Collecting the same kind of body is an error too, not a short `Bytes`.
    let (_server, client) = start(vec![Reply::pattern_cut(200, 50_000, 10_000)]).await;
    let out = client.get_object().key("k").send().await.unwrap();
    assert!(out.body.collect().await.is_err());
}

/// The config of a client of `endpoint` whose bodies in flight may stall for `limit`.
fn stall_limited(endpoint: String, limit: std::time::Duration) -> smithy_runtime::Config {
    smithy_runtime::Config::builder()
        .region(smithy_runtime::test_util::REGION)
        .credentials(TestServer::credentials())
        .endpoint_url(endpoint)
        .retry_config(smithy_runtime::RetryConfig::disabled())
        .timeout_config(smithy_runtime::TimeoutConfig::default().with_stall_timeout(Some(limit)))
        .build()
}

#[tokio::test]
async fn a_download_that_stops_arriving_fails_after_the_stall_timeout() {
    let server = TestServer::scripted(
        vec![Reply::pattern(200, 1_000_000).stalled_after(300_000)],
        "vault",
    )
    .await;
    let limit = std::time::Duration::from_millis(200);
    let client = Client::from_conf(stall_limited(server.endpoint(), limit));
    let mut out = client.get_object().key("k").send().await.unwrap();
    let mut seen = 0usize;
    let read = async {
        loop {
            match out.body.next().await {
                Some(Ok(c)) => seen += c.len(),
                Some(Err(e)) => return e,
                None => panic!("a stalled body ended quietly after {seen} bytes"),
            }
        }
    };
    let e = tokio::time::timeout(std::time::Duration::from_secs(20), read)
        .await
        .expect("the stall ends the download");
    assert!(e.is_stall(), "{e:?}");
    assert_eq!(
        e.to_string(),
        "no byte of the response body arrived for 0.2 s"
    );
    assert_eq!(
        seen, 300_000,
        "what arrived before the stall is handed over"
    );
}

#[tokio::test]
async fn an_upload_the_server_stops_reading_fails_after_the_stall_timeout() {
    // A server that reads the request's first bytes and then nothing more.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = [0u8; 1024];
        tokio::io::AsyncReadExt::read(&mut socket, &mut head)
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        drop(socket);
    });
    let limit = std::time::Duration::from_millis(300);
    let client = Client::from_conf(stall_limited(endpoint, limit));
    // Up to 64 GiB, made as it is read: far more than the sockets' buffers hold.
    let chunk = Bytes::from(pattern(64 * 1024));
    let endless = futures_util::stream::iter(
        (0..1u32 << 20).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
    );
    let call = client
        .put_object()
        .key("k")
        .body(ByteStream::from_stream(endless))
        .send();
    let e = tokio::time::timeout(std::time::Duration::from_secs(60), call)
        .await
        .expect("the stall ends the upload")
        .unwrap_err();
    assert!(matches!(e, SdkError::Dispatch { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.ends_with(" timed out: the connection took no byte of the request body for 0.3 s"),
        "{text}"
    );
    server.abort();
}
