//! With the `http2` feature the default transport speaks HTTP/2 to a server that offers
//! it over TLS, and a request body streams while the response streams back: what a
//! bidirectional event stream (Transcribe, Lex) needs.
#![cfg(all(feature = "rustls", feature = "http2"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bytes::Bytes;
use smithy_runtime::transport::{ByteStream, HyperTransport, Transport as _};
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use support::fixtures;

/// An HTTPS server on 127.0.0.1 that speaks only HTTP/2 (ALPN `h2`) and answers each
/// request at once with its own body, echoed frame by frame as it arrives.
async fn serve_echo() -> SocketAddr {
    let mut config = support::server_config();
    config.alpn_protocols = vec![b"h2".to_vec()];
    support::serve_tls(config, |tls| async move {
        let echo = hyper::service::service_fn(
            |request: http::Request<hyper::body::Incoming>| async move {
                Ok::<_, std::convert::Infallible>(http::Response::new(request.into_body()))
            },
        );
        let _ = hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
            .serve_connection(hyper_util::rt::TokioIo::new(tls), echo)
            .await;
    })
    .await
}

/// What a channel receives, as a stream of body chunks.
struct Chunks(tokio::sync::mpsc::Receiver<Bytes>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|c| c.map(Ok))
    }
}

#[tokio::test]
async fn a_body_streams_both_ways_over_http2() {
    // The test CA stands for one the machine trusts (this binary has no other test).
    std::env::set_var("SSL_CERT_FILE", fixtures().join("ca.pem"));
    let addr = serve_echo().await;
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    let request = http::Request::post(format!("https://localhost:{}/", addr.port()))
        .body(ByteStream::from_stream(Chunks(rx)))
        .unwrap();
    let transport = HyperTransport::new(None);
    tx.send(Bytes::from_static(b"first")).await.unwrap();
    let mut response = transport.send(request).await.expect("the server answers");
    assert_eq!(response.version(), http::Version::HTTP_2);
    // Each chunk comes back before the next is sent: the request is still open.
    let body = response.body_mut();
    assert_eq!(&body.next().await.unwrap().unwrap()[..], b"first");
    tx.send(Bytes::from_static(b"second")).await.unwrap();
    assert_eq!(&body.next().await.unwrap().unwrap()[..], b"second");
    drop(tx);
    // (The end of the request may come back as an empty last frame.)
    while let Some(chunk) = body.next().await {
        assert!(chunk.unwrap().is_empty(), "nothing follows the chunks sent");
    }
}
