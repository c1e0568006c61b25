//! SigV4 request signing through the `aws-sigv4` crate.

use crate::body::ByteStream;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::http_request::{PayloadChecksumKind, PercentEncodingMode};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION};
use std::time::SystemTime;

/// The headers that SigV4 signers leave out (the `aws-sigv4` default settings' list):
/// the signature itself, and headers proxies and CDNs may change.
static UNSIGNED_HEADERS: [HeaderName; 4] = [
    AUTHORIZATION,
    http::header::USER_AGENT,
    HeaderName::from_static("x-amzn-trace-id"),
    http::header::TRANSFER_ENCODING,
];

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const X_AMZ_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");
const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");

/// Signs `request` in place with `identity` (the
/// [`AwsCredentials`](crate::credentials::AwsCredentials) as the signer takes them):
/// adds `x-amz-date`, `authorization` and, for temporary credentials,
/// `x-amz-security-token` (covered by the signature).
/// The payload is part of the signature when it is in memory and `unsigned` is not
/// asked for; otherwise the request says `x-amz-content-sha256: UNSIGNED-PAYLOAD`. An
/// input event stream says `STREAMING-AWS4-HMAC-SHA256-EVENTS`: its messages are
/// signed one by one. Returns the signature (the seed of an event stream's).
pub fn sign_request(
    request: &mut http::Request<ByteStream>,
    unsigned: bool,
    identity: &Identity,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<String, BoxError> {
    // A SHA-256 the request already carries (computed from a file, say) is signed
    // as it is.
    let given = request
        .headers()
        .get(X_AMZ_CONTENT_SHA256)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // The body's hash is computed here: the signer's own hex encoding goes a char at
    // a time through an iterator (a few percent of a small call).
    let events = request.body().is_event_stream();
    let payload = match (request.body().bytes(), given) {
        _ if events => SignableBody::Precomputed(STREAMING_EVENTS.to_string()),
        (_, Some(sha)) if !unsigned => SignableBody::Precomputed(sha),
        (Some(b), None) if !unsigned => SignableBody::Precomputed(crate::checksum::sha256_hex(b)),
        _ => SignableBody::UnsignedPayload,
    };
    let mut settings = base_settings().clone();
    if events || matches!(payload, SignableBody::UnsignedPayload) {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    // A path of unreserved characters and slashes encodes to itself: the signer's
    // second encoding (which every service but S3 expects) would only copy it.
    let path = request.uri().path();
    if path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~/".contains(&b))
    {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
    }
    let params = v4::SigningParams::builder()
        .identity(identity)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(settings)
        .build()?
        .into();
    // Checked here, then handed to the signer as they are (no list of them is made).
    let signed = || {
        request
            .headers()
            .iter()
            .filter(|(k, _)| !UNSIGNED_HEADERS.contains(k))
    };
    if let Some((k, _)) = signed().find(|(_, v)| v.to_str().is_err()) {
        return Err(format!(
            "the header `{k}` has a value that is not visible ASCII, which SigV4 cannot sign"
        )
        .into());
    }
    let headers = signed().map(|(k, v)| (k.as_str(), v.to_str().unwrap_or_default()));
    // With the `Host` header there, the signer reads only the path and query of the
    // URI: those alone are cheaper for it to parse than the whole URL.
    let whole;
    let signed_uri = match request.uri().path_and_query() {
        Some(p) if request.headers().contains_key(http::header::HOST) => p.as_str(),
        _ => {
            whole = request.uri().to_string();
            whole.as_str()
        }
    };
    let signable = SignableRequest::new(request.method().as_str(), signed_uri, headers, payload)
        .map_err(|e| signing_failed(&e))?;
    let (instructions, signature) = sign(signable, &params)
        .map_err(|e| signing_failed(&e))?
        .into_parts();
    // Applied here rather than by `apply_to_request_http1x`, which parses each header
    // name again on every call and unwraps each value: a value that is no header
    // value is an error of the call here.
    let headers = request.headers_mut();
    for header in instructions.into_parts().0 {
        let name = match header.name() {
            "authorization" => AUTHORIZATION,
            "x-amz-date" => X_AMZ_DATE,
            "x-amz-security-token" => X_AMZ_SECURITY_TOKEN,
            "x-amz-content-sha256" => X_AMZ_CONTENT_SHA256,
            other => HeaderName::from_bytes(other.as_bytes())?,
        };
        // The signature and the session token stay out of `Debug` output.
        let sensitive = header.sensitive() || name == AUTHORIZATION || name == X_AMZ_SECURITY_TOKEN;
        let mut value = HeaderValue::from_str(header.value()).map_err(|_| {
            format!(
                "the signature's header `{}` has a value that cannot be sent in a header",
                header.name()
            )
        })?;
        value.set_sensitive(sensitive);
        headers.insert(name, value);
    }
    Ok(signature)
}

/// `now` on the service's clock, `skew_ms` milliseconds ahead of ours (behind when
/// negative): the time requests and event stream messages are signed at.
pub(crate) fn on_service_clock(now: SystemTime, skew_ms: i64) -> SystemTime {
    let shift = std::time::Duration::from_millis(skew_ms.unsigned_abs());
    if skew_ms >= 0 {
        now.checked_add(shift)
    } else {
        now.checked_sub(shift)
    }
    .unwrap_or(now)
}

/// The payload hash of a request whose body is a signed event stream.
const STREAMING_EVENTS: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// The signer's default settings without its list of headers to leave unsigned: those
/// are left out before the signer sees them, rather than looked up in its list for
/// every header (a list it would allocate for every call).
fn base_settings() -> &'static SigningSettings {
    static BASE: std::sync::OnceLock<SigningSettings> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let mut settings = SigningSettings::default();
        settings.excluded_headers = None;
        settings
    })
}

/// The signer's error with its causes, which it does not print itself ("failed to
/// create canonical request" says nothing of what in it).
fn signing_failed(e: &(dyn std::error::Error + 'static)) -> String {
    let mut message = format!("cannot sign the request: {e}");
    for c in crate::error::causes(e) {
        message.push_str(": ");
        message.push_str(&c.to_string());
    }
    message
}

#[cfg(test)]
mod tests {
    use super::sign_request;
    use crate::body::ByteStream;
    use crate::credentials::AwsCredentials;
    use std::time::{Duration, SystemTime};

    fn request() -> http::Request<ByteStream> {
        let mut request = http::Request::new(ByteStream::from(bytes::Bytes::from_static(b"{}")));
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = http::Uri::from_static("https://example.us-east-1.amazonaws.com/");
        request.headers_mut().insert(
            http::header::HOST,
            http::HeaderValue::from_static("example.us-east-1.amazonaws.com"),
        );
        request
    }

    /// [`request`] signed at 2015-08-30T12:36:00Z with a session token.
    fn signed_with_token(
        access_key: &str,
        token: &str,
    ) -> (http::Request<ByteStream>, Result<String, super::BoxError>) {
        let mut r = request();
        let creds = AwsCredentials::new(access_key, "secret", Some(token.into()), None, "test");
        let at_2015 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let signed = sign_request(
            &mut r,
            false,
            &creds.into(),
            "us-east-1",
            "example",
            at_2015,
        );
        (r, signed)
    }

    /// A signed header whose value is not visible ASCII is an error that names it; one
    /// SigV4 leaves unsigned (`User-Agent`) may be anything a header can hold.
    #[test]
    fn headers_that_cannot_be_signed_are_named() {
        let creds = AwsCredentials::new("AKIDEXAMPLE", "secret", None, None, "test");
        let identity = creds.into();
        let sign = |r: &mut http::Request<ByteStream>| {
            sign_request(
                r,
                false,
                &identity,
                "us-east-1",
                "svc",
                SystemTime::UNIX_EPOCH,
            )
        };
        let accented = http::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap();
        let mut r = request();
        r.headers_mut()
            .insert(http::header::USER_AGENT, accented.clone());
        sign(&mut r).unwrap();
        assert!(r.headers().contains_key(http::header::AUTHORIZATION));
        let mut r = request();
        r.headers_mut().insert("x-custom", accented);
        let e = sign(&mut r).unwrap_err().to_string();
        assert!(
            e.contains("`x-custom`") && e.contains("visible ASCII"),
            "{e}"
        );
        assert!(!r.headers().contains_key(http::header::AUTHORIZATION));
    }

    /// The signature's headers land on the request, the authorization header marked
    /// sensitive, the session token signed and sent.
    #[test]
    fn signs_in_place() {
        let (r, signed) = signed_with_token("AKIDEXAMPLE", "token");
        signed.unwrap();
        let h = r.headers();
        assert_eq!(h["x-amz-date"], "20150830T123600Z");
        assert_eq!(h["x-amz-security-token"], "token");
        let auth = &h["authorization"];
        assert!(auth.is_sensitive());
        let auth = auth.to_str().unwrap();
        assert!(
            auth.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/example/aws4_request, \
                 SignedHeaders=host;x-amz-date;x-amz-security-token, Signature="
            ),
            "{auth}"
        );
    }

    /// The signature is the one `aws-sigv4` makes with its default settings (the path
    /// encoded twice, the payload hashed by the signer, its list of unsigned headers),
    /// for paths that encoding leaves alone and for those it does not.
    #[test]
    fn signs_as_the_default_settings_do() {
        use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
        let at_2015 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let creds = AwsCredentials::new("AKIDEXAMPLE", "secret", None, None, "test");
        for path in [
            "/",
            "/a/b-c_d.e~f",
            "/a%20b",
            "/a:b/c@d",
            "/q?b=2&a=1%2F&flag",
        ] {
            let uri = format!("https://example.us-east-1.amazonaws.com{path}");
            let mut r = request();
            *r.uri_mut() = http::Uri::try_from(uri.as_str()).unwrap();
            // Headers SigV4 leaves unsigned, given to both signers.
            let unsigned = [
                ("user-agent", "agent/1"),
                (
                    "x-amzn-trace-id",
                    "Root=1-5759e988-bd862e3fe1be46a994272793",
                ),
                ("transfer-encoding", "chunked"),
            ];
            for (name, value) in unsigned {
                r.headers_mut()
                    .insert(name, http::HeaderValue::from_static(value));
            }
            // Without a `Host` header, the signer takes the host from the whole URL.
            let mut without_host = request();
            *without_host.uri_mut() = r.uri().clone();
            *without_host.headers_mut() = r.headers().clone();
            without_host.headers_mut().remove(http::header::HOST);
            let identity = creds.clone().into();
            for r in [&mut r, &mut without_host] {
                sign_request(r, false, &identity, "us-east-1", "example", at_2015).unwrap();
            }
            let params = aws_sigv4::sign::v4::SigningParams::builder()
                .identity(&identity)
                .region("us-east-1")
                .name("example")
                .time(at_2015)
                .settings(SigningSettings::default())
                .build()
                .unwrap()
                .into();
            let headers = [("host", "example.us-east-1.amazonaws.com")];
            let signable = SignableRequest::new(
                "POST",
                uri.as_str(),
                headers.into_iter().chain(unsigned),
                SignableBody::Bytes(b"{}"),
            )
            .unwrap();
            let (instructions, _) = sign(signable, &params).unwrap().into_parts();
            let expected = instructions
                .headers()
                .find(|(name, _)| *name == "authorization")
                .map(|(_, value)| value.to_string())
                .unwrap();
            for r in [&r, &without_host] {
                let signed = r.headers()["authorization"].to_str().unwrap();
                assert_eq!(signed, expected, "{path}");
            }
        }
    }

    /// A session token that cannot be a header value is an error of the call, not a
    /// panic.
    #[test]
    fn a_token_that_is_no_header_value_is_an_error() {
        let (_, signed) = signed_with_token("AKID", "bad\ntoken");
        let e = signed.unwrap_err();
        let e = e.to_string();
        assert!(e.starts_with("cannot sign the request: "), "{e}");
        // With the cause, not only "failed to create canonical request".
        assert!(e.contains("invalid header value"), "{e}");
    }
}
