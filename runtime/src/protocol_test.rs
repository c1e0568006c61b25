//! What the generated Smithy protocol compliance tests (`tests/protocol_tests.rs` of a
//! crate generated with `--protocol-tests`) call: an in-process transport that
//! records the request and answers with a canned response, and the checks of the
//! `smithy.test#httpRequestTests` fields.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::json::Parser;
use crate::transport::{BoxFuture, Transport};
use crate::types::Document;
use crate::ByteStream;
use crate::{Config, Credentials, RetryConfig, TransportError};
use bytes::Bytes;
use std::sync::{Arc, Mutex};

/// A transport that records every request and answers each with the same response.
#[derive(Clone, Debug)]
pub struct Capture {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
    requests: Arc<Mutex<Vec<http::Request<Bytes>>>>,
}

impl Capture {
    /// Answers every request with `status`, `headers` and `body`.
    pub fn respond(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Self {
        Capture {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Bytes::copy_from_slice(body),
            requests: Arc::default(),
        }
    }

    /// Answers every request with 200 and `{}`; idempotency tokens the client fills in
    /// on this thread are the protocol tests' fixed one from now on.
    pub fn ok() -> Self {
        crate::fix_idempotency_tokens_for_tests(true);
        Capture::respond(200, &[("content-type", "application/json")], b"{}")
    }

    /// The one request sent; fails the test when none or several were sent.
    pub fn request(&self) -> http::Request<Bytes> {
        let mut all = self.requests.lock().expect("not poisoned");
        assert_eq!(all.len(), 1, "exactly one request must be sent");
        all.remove(0)
    }

    /// A configuration that sends through this transport to `endpoint`, signing for
    /// `region` with fixed test credentials (and the bearer token `test-token`),
    /// without retries.
    pub fn config(&self, endpoint: &str, region: &str) -> Config {
        Config::builder()
            .region(region)
            .credentials(Credentials::new("AKIDTEST", "SECRETTEST", None))
            .bearer_token("test-token")
            .endpoint_url(endpoint)
            .retry_config(RetryConfig::disabled())
            .transport(self.clone())
            .build()
    }
}

impl Transport for Capture {
    fn send(
        &self,
        request: http::Request<ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|e| TransportError::new(crate::TransportErrorKind::Io, e))?;
            self.requests
                .lock()
                .expect("not poisoned")
                .push(http::Request::from_parts(parts, body));
            let mut response = http::Response::builder().status(self.status);
            for (k, v) in &self.headers {
                response = response.header(k.as_str(), v.as_str());
            }
            response
                .body(ByteStream::from(self.body.clone()))
                .map_err(|e| TransportError::new(crate::TransportErrorKind::Other, e))
        })
    }
}

/// Checks the request method.
pub fn assert_method(request: &http::Request<Bytes>, method: &str) {
    assert_eq!(request.method().as_str(), method, "method");
}

/// Checks the request path (the `uri` of a test, without the query string).
pub fn assert_path(request: &http::Request<Bytes>, path: &str) {
    assert_eq!(request.uri().path(), path, "path");
}

/// Checks the host the request went to (`resolvedHost`).
pub fn assert_host(request: &http::Request<Bytes>, host: &str) {
    assert_eq!(request.uri().host(), Some(host), "resolved host");
}

fn query_pairs(request: &http::Request<Bytes>) -> Vec<&str> {
    request
        .uri()
        .query()
        .map(|q| q.split('&').filter(|p| !p.is_empty()).collect())
        .unwrap_or_default()
}

/// Checks that each `key=value` (as encoded on the wire) is in the query string.
pub fn assert_query_params(request: &http::Request<Bytes>, params: &[&str]) {
    let pairs = query_pairs(request);
    for p in params {
        assert!(
            pairs.contains(p),
            "query parameter `{p}` missing from {pairs:?}"
        );
    }
}

/// Checks that none of the keys is in the query string.
pub fn assert_forbidden_query_params(request: &http::Request<Bytes>, keys: &[&str]) {
    for pair in query_pairs(request) {
        let key = pair.split('=').next().unwrap_or_default();
        assert!(
            !keys.contains(&key),
            "query parameter `{key}` must not be sent"
        );
    }
}

/// Checks that each key is in the query string.
pub fn assert_required_query_params(request: &http::Request<Bytes>, keys: &[&str]) {
    let pairs = query_pairs(request);
    for k in keys {
        assert!(
            pairs.iter().any(|p| p.split('=').next() == Some(*k)),
            "query parameter `{k}` must be sent; got {pairs:?}"
        );
    }
}

/// Checks headers: each name (any case) has exactly this value.
pub fn assert_headers(request: &http::Request<Bytes>, headers: &[(&str, &str)]) {
    for (name, value) in headers {
        let got: Vec<&str> = request
            .headers()
            .get_all(*name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        assert!(
            got.join(", ") == *value,
            "header `{name}`: expected `{value}`, got {got:?}"
        );
    }
}

/// Checks that none of the headers is sent.
pub fn assert_forbidden_headers(request: &http::Request<Bytes>, names: &[&str]) {
    for name in names {
        assert!(
            !request.headers().contains_key(*name),
            "header `{name}` must not be sent"
        );
    }
}

/// Checks that each header is sent.
pub fn assert_required_headers(request: &http::Request<Bytes>, names: &[&str]) {
    for name in names {
        assert!(
            request.headers().contains_key(*name),
            "header `{name}` must be sent"
        );
    }
}

/// Checks the body by media type: JSON bodies as JSON values (key order and
/// whitespace aside, numbers by value), anything else byte for byte.
pub fn assert_body(request: &http::Request<Bytes>, expected: &str, media_type: Option<&str>) {
    let body = request.body();
    let is_json = media_type.is_some_and(|m| m.contains("json"));
    if is_json {
        if expected.trim().is_empty() {
            assert!(
                body.iter().all(u8::is_ascii_whitespace),
                "expected an empty body, got {:?}",
                String::from_utf8_lossy(body)
            );
            return;
        }
        let actual = Parser::new(body).document().unwrap_or_else(|e| {
            panic!(
                "the body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(body)
            )
        });
        let wanted = Parser::new(expected.as_bytes())
            .document()
            .unwrap_or_else(|e| panic!("the expected body is not JSON ({e}): {expected}"));
        assert!(
            same_json(&actual, &wanted),
            "JSON body differs:\n  sent:     {}\n  expected: {expected}",
            String::from_utf8_lossy(body)
        );
    } else {
        assert_eq!(
            String::from_utf8_lossy(body),
            expected,
            "body (compared as bytes)"
        );
    }
}

/// JSON values equal as values: objects as maps, numbers by numeric value.
pub fn same_json(a: &Document, b: &Document) -> bool {
    match (a, b) {
        (Document::Object(x), Document::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        (Document::Array(x), Document::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_json(v, w))
        }
        (Document::Number(x), Document::Number(y)) => {
            x == y || x.to_string().parse::<f64>().ok() == y.to_string().parse::<f64>().ok()
        }
        _ => a == b,
    }
}

/// Compares two values by their `Debug` text: for values with NaN floats, which are
/// never `==` to themselves.
pub fn assert_same_debug<T: std::fmt::Debug>(actual: &T, expected: &T) {
    assert_eq!(format!("{actual:?}"), format!("{expected:?}"));
}

/// Checks a resolved endpoint against the `expect` object of a
/// `smithy.rules#endpointTests` case (as JSON text): the URL, headers and properties
/// of an endpoint, or the exact message of an error.
pub fn assert_endpoint(result: &Result<crate::endpoint::Endpoint, String>, expect: &str) {
    let expect = Parser::new(expect.as_bytes())
        .document()
        .expect("the expectation is JSON");
    let Document::Object(expect) = expect else {
        panic!("the expectation is not an object")
    };
    match (result, expect.get("endpoint"), expect.get("error")) {
        (Ok(e), Some(Document::Object(want)), _) => {
            if let Some(Document::String(url)) = want.get("url") {
                assert_eq!(&e.url, url, "url");
            }
            if let Some(Document::Object(headers)) = want.get("headers") {
                for (k, v) in headers {
                    let Document::Array(vs) = v else { continue };
                    let want: Vec<&str> = vs
                        .iter()
                        .filter_map(|x| match x {
                            Document::String(s) => Some(s.as_str()),
                            _ => None,
                        })
                        .collect();
                    let got: Vec<&str> = e
                        .header(k)
                        .map(|g| g.iter().map(String::as_str).collect())
                        .unwrap_or_default();
                    assert_eq!(got, want, "header `{k}`");
                }
            }
            if let Some(Document::Object(props)) = want.get("properties") {
                for (k, v) in props {
                    let got = e
                        .property(k)
                        .unwrap_or_else(|| panic!("property `{k}` missing"));
                    assert!(
                        same_json(got, v),
                        "property `{k}`: got {got:?}, expected {v:?}"
                    );
                }
            }
        }
        (Err(got), _, Some(Document::String(want))) => assert_eq!(got, want, "error"),
        (got, _, _) => panic!("expected {expect:?}, got {got:?}"),
    }
}

/// The events a request sent as its event stream body, in order. A signed stream
/// (`x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-EVENTS`) is checked as a
/// service checks it: each message's `:chunk-signature` must be the one `aws-sigv4`
/// computes for the message it wraps, chained from the request's signature with the
/// request's credential scope and the test credentials, and the stream must close
/// with a signed empty message. The events are the messages inside.
#[cfg(feature = "event-stream")]
pub fn sent_events(request: &http::Request<Bytes>) -> Vec<crate::event_stream::Message> {
    use aws_smithy_eventstream::frame::read_message_from;
    let mut body = request.body().clone();
    let mut messages = Vec::new();
    while !body.is_empty() {
        messages.push(read_message_from(&mut body).expect("each message of the body decodes"));
    }
    let signed = request
        .headers()
        .get("x-amz-content-sha256")
        .is_some_and(|v| v == "STREAMING-AWS4-HMAC-SHA256-EVENTS");
    if !signed {
        return messages;
    }
    // `AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, ..., Signature=HEX`
    let authorization = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .expect("a signed stream's request is signed");
    let field = |name: &str| {
        authorization
            .split([' ', ','])
            .find_map(|part| part.strip_prefix(name))
            .unwrap_or_else(|| panic!("no `{name}` in {authorization}"))
            .to_string()
    };
    let seed = field("Signature=");
    let credential = field("Credential=");
    let scope: Vec<&str> = credential.split('/').collect();
    assert_eq!(scope.len(), 5, "credential scope {credential}");
    let identity =
        aws_credential_types::Credentials::new("AKIDTEST", "SECRETTEST", None, None, "test").into();
    crate::event_stream::verify_chain(messages, seed, &identity, scope[2], scope[3])
}

/// Checks an event the client sent against the case's message (base64 `bytes`): the
/// same headers, in any order, and the same payload, compared as JSON when the case's
/// body is JSON.
#[cfg(feature = "event-stream")]
pub fn assert_event(
    actual: &crate::event_stream::Message,
    expected: &str,
    media_type: Option<&str>,
) {
    let bytes = base64_simd::STANDARD
        .decode_to_vec(expected)
        .expect("the case's bytes are base64");
    let wanted = aws_smithy_eventstream::frame::read_message_from(&bytes[..])
        .expect("the case's bytes are a message");
    let sorted = |m: &crate::event_stream::Message| {
        let mut h: Vec<String> = m.headers().iter().map(|h| format!("{h:?}")).collect();
        h.sort();
        h
    };
    assert_eq!(sorted(actual), sorted(&wanted), "the event's headers");
    if media_type.is_some_and(|m| m.contains("json")) {
        let body = http::Request::new(actual.payload().clone());
        let expected = std::str::from_utf8(wanted.payload()).expect("a JSON payload is UTF-8");
        assert_body(&body, expected, media_type);
    } else {
        assert_eq!(actual.payload(), wanted.payload(), "the event's payload");
    }
}
