//! The default transport trusts the certificates the system trusts, as the AWS SDKs
//! do: a private CA installed on the machine works without a custom transport.
#![cfg(feature = "rustls")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use rustls::pki_types::ServerName;
use smithy_runtime::transport::{ByteStream, HyperTransport, Transport as _};
use std::net::SocketAddr;
use std::sync::Arc;
use support::{fixtures, ring};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// An HTTPS server on 127.0.0.1 with a certificate for `localhost` that the test CA
/// signed; it answers each request with `200 ok`.
async fn serve() -> SocketAddr {
    support::serve_tls(support::server_config(), |mut tls| async move {
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match tls.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        let _ = tls
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
            .await;
        let _ = tls.shutdown().await;
    })
    .await
}

#[tokio::test]
async fn a_ca_the_system_trusts_is_trusted() {
    // rustls-native-certs reads `SSL_CERT_FILE` in place of the system's store: the
    // test CA stands for a private CA installed on the machine. Set before any
    // transport exists (this test binary has no other test).
    std::env::set_var("SSL_CERT_FILE", fixtures().join("ca.pem"));
    let addr = serve().await;

    // Control: the bundled webpki roots alone do not trust this server.
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let refused = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await;
    assert!(
        refused.is_err(),
        "the webpki roots must not know the test CA"
    );

    let transport = HyperTransport::new(None);
    let request = http::Request::get(format!("https://localhost:{}/", addr.port()))
        .body(ByteStream::new())
        .unwrap();
    let response = transport
        .send(request)
        .await
        .expect("a CA the system trusts is trusted");
    assert_eq!(response.status(), 200);
}
