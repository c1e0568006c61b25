//! The HTTP transport: a trait that users and tests can implement, and the default
//! hyper + rustls implementation behind the `hyper` and `rustls` features.

/// The request and response body type.
pub use crate::body::ByteStream;
pub use crate::error::{TransportError, TransportErrorKind};
/// Bytes in memory.
pub use bytes::Bytes;
/// The `http` crate, whose `Request` and `Response` a transport takes and returns.
pub use http;
pub use http::{Request, Response};
use std::future::Future;
use std::pin::Pin;

/// A boxed future, as transports return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and returns its response as soon as its head has arrived:
/// both bodies are [`ByteStream`]s, so an upload is read from its source as it is sent
/// and a download is handed to the caller as it arrives.
///
/// Closures over whole bodies are transports too (`Fn(Request<Bytes>) ->
/// Result<Response<Bytes>, TransportError>`): the request body is read in full before
/// the closure is called.
pub trait Transport: Send + Sync {
    /// Sends a request.
    fn send(
        &self,
        request: http::Request<ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>>;
}

impl<F> Transport for F
where
    F: Fn(http::Request<Bytes>) -> Result<http::Response<Bytes>, TransportError> + Send + Sync,
{
    fn send(
        &self,
        request: http::Request<ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|e| TransportError::new(TransportErrorKind::Io, e))?;
            let response = self(http::Request::from_parts(parts, body))?;
            Ok(response.map(ByteStream::from))
        })
    }
}

#[cfg(feature = "hyper")]
pub use self::hyper_transport::HyperTransport;

#[cfg(feature = "hyper")]
mod hyper_transport {
    use super::*;
    use crate::error::TransportErrorKind;
    use http_body_util::BodyExt;
    use hyper_util::client::legacy::{connect::HttpConnector, Client};
    use hyper_util::rt::TokioExecutor;
    use std::time::Duration;

    #[cfg(feature = "rustls")]
    type Connector = hyper_rustls::HttpsConnector<HttpConnector>;
    #[cfg(not(feature = "rustls"))]
    type Connector = HttpConnector;

    /// The default transport: hyper's pooled client, with rustls for `https` when the
    /// `rustls` feature is on (plain `http` only without it), and HTTP/2 with servers
    /// that offer it over TLS when the `http2` feature is on.
    #[derive(Clone, Debug)]
    pub struct HyperTransport {
        client: Client<Connector, RequestBody>,
    }

    impl HyperTransport {
        /// A transport with the given connect timeout.
        pub fn new(connect_timeout: Option<Duration>) -> Self {
            let mut http = HttpConnector::new();
            http.set_connect_timeout(connect_timeout);
            http.set_nodelay(true);
            http.enforce_http(false);
            #[cfg(feature = "rustls")]
            let connector = hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(tls_config().clone())
                .https_or_http()
                .enable_http1();
            // Offered by ALPN: a server that speaks HTTP/2 gets it.
            #[cfg(feature = "rustls")]
            #[cfg(feature = "http2")]
            let connector = connector.enable_http2();
            #[cfg(feature = "rustls")]
            let connector = connector.wrap_connector(http);
            #[cfg(not(feature = "rustls"))]
            let connector = http;
            HyperTransport {
                client: Client::builder(TokioExecutor::new()).build(connector),
            }
        }
    }

    /// The TLS configuration of every client: the certificates the system trusts (read
    /// once per process), as the AWS SDKs use them, so that a private or corporate CA the
    /// machine trusts is trusted here too; the bundled webpki roots where the system
    /// has none (a minimal container image).
    #[cfg(feature = "rustls")]
    fn tls_config() -> &'static rustls::ClientConfig {
        use hyper_rustls::ConfigBuilderExt as _;
        static CONFIG: std::sync::OnceLock<rustls::ClientConfig> = std::sync::OnceLock::new();
        CONFIG.get_or_init(|| {
            // ring, named here: a process whose other crates turn on a second provider
            // has no default one to fall back on.
            let builder = || {
                let ring = std::sync::Arc::new(rustls::crypto::ring::default_provider());
                rustls::ClientConfig::builder_with_provider(ring)
                    .with_safe_default_protocol_versions()
                    .unwrap_or_else(|_| rustls::ClientConfig::builder())
            };
            builder()
                .with_native_roots()
                .unwrap_or_else(|_| builder().with_webpki_roots())
                .with_no_client_auth()
        })
    }

    impl Transport for HyperTransport {
        fn send(
            &self,
            request: http::Request<ByteStream>,
        ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
            Box::pin(async move {
                let response = self
                    .client
                    .request(request.map(RequestBody))
                    .await
                    .map_err(|e| TransportError::new(TransportErrorKind::Io, e))?;
                Ok(response.map(|body| {
                    let length = http_body::Body::size_hint(&body).exact();
                    let chunks = body.into_data_stream();
                    match length {
                        Some(0) => ByteStream::new(),
                        Some(n) => ByteStream::from_sized_stream(chunks, n),
                        None => ByteStream::from_stream(chunks),
                    }
                }))
            })
        }
    }

    /// A request body as hyper reads it: the stream's chunks as data frames, with
    /// its length when known (hyper then sends `Content-Length`, else chunks).
    pub struct RequestBody(ByteStream);

    impl http_body::Body for RequestBody {
        type Data = Bytes;
        type Error = crate::body::ByteStreamError;

        fn poll_frame(
            self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
            self.get_mut()
                .0
                .poll_chunk(cx)
                .map(|c| c.map(|r| r.map(http_body::Frame::data)))
        }

        fn is_end_stream(&self) -> bool {
            self.0.content_length() == Some(0)
        }

        fn size_hint(&self) -> http_body::SizeHint {
            match self.0.content_length() {
                Some(n) => http_body::SizeHint::with_exact(n),
                None => http_body::SizeHint::default(),
            }
        }
    }
}
