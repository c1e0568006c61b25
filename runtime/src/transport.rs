//! The HTTP transport: a trait that users and tests can implement, and the default
//! hyper + rustls implementation behind the `hyper` and `rustls` features.

pub use crate::error::{TransportError, TransportErrorKind};
/// The request and response body type.
pub use bytes::Bytes;
/// The `http` crate, whose `Request` and `Response` a transport takes and returns.
pub use http;
pub use http::{Request, Response};
use std::future::Future;
use std::pin::Pin;

/// A boxed future, as transports return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and returns its response, body read in full.
pub trait Transport: Send + Sync {
    /// Sends a request.
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;
}

impl<F> Transport for F
where
    F: Fn(http::Request<Bytes>) -> Result<http::Response<Bytes>, TransportError> + Send + Sync,
{
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let r = self(request);
        Box::pin(std::future::ready(r))
    }
}

#[cfg(feature = "hyper")]
pub use self::hyper_transport::HyperTransport;

#[cfg(feature = "hyper")]
mod hyper_transport {
    use super::*;
    use crate::error::TransportErrorKind;
    use http_body_util::{BodyExt, Full};
    use hyper_util::client::legacy::{connect::HttpConnector, Client};
    use hyper_util::rt::TokioExecutor;
    use std::time::Duration;

    #[cfg(feature = "rustls")]
    type Connector = hyper_rustls::HttpsConnector<HttpConnector>;
    #[cfg(not(feature = "rustls"))]
    type Connector = HttpConnector;

    /// The default transport: hyper's pooled client, with rustls for `https` when the
    /// `rustls` feature is on (plain `http` only without it).
    #[derive(Clone, Debug)]
    pub struct HyperTransport {
        client: Client<Connector, Full<Bytes>>,
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
                .with_webpki_roots()
                .https_or_http()
                .enable_http1()
                .wrap_connector(http);
            #[cfg(not(feature = "rustls"))]
            let connector = http;
            HyperTransport {
                client: Client::builder(TokioExecutor::new()).build(connector),
            }
        }
    }

    impl Transport for HyperTransport {
        fn send(
            &self,
            request: http::Request<Bytes>,
        ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
            Box::pin(async move {
                let (parts, body) = request.into_parts();
                let request = http::Request::from_parts(parts, Full::new(body));
                let response = self.client.request(request).await.map_err(|e| {
                    let kind = TransportErrorKind::Io;
                    TransportError::new(kind, e)
                })?;
                let (parts, body) = response.into_parts();
                let body = body
                    .collect()
                    .await
                    .map_err(|e| TransportError::new(TransportErrorKind::Io, e))?
                    .to_bytes();
                Ok(http::Response::from_parts(parts, body))
            })
        }
    }
}
