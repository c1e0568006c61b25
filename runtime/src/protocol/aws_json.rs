//! `awsJson1_0` and `awsJson1_1`: `POST /`, the input as a JSON object, the operation
//! in `X-Amz-Target`.

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};

// Made when compiled rather than checked on every call.
const X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
const X_AMZN_QUERY_MODE: HeaderName = HeaderName::from_static("x-amzn-query-mode");

/// The request of an awsJson operation: `POST /` with the content type, the target
/// (`Service.Operation`), `x-amzn-query-mode` for `@awsQueryCompatible` services, and
/// the body. The generator passes only identifiers and fixed content types, which
/// are valid header values.
pub fn request(
    content_type: &'static str,
    target: &'static str,
    query_compatible: bool,
    body: Vec<u8>,
) -> http::Request<Bytes> {
    let mut request = http::Request::new(Bytes::from(body));
    *request.method_mut() = http::Method::POST;
    *request.uri_mut() = http::Uri::from_static("/");
    let headers = request.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(X_AMZ_TARGET, HeaderValue::from_static(target));
    if query_compatible {
        headers.insert(X_AMZN_QUERY_MODE, HeaderValue::from_static("true"));
    }
    request
}
