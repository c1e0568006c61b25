//! SigV4 request signing through the `aws-sigv4` crate.

use crate::body::ByteStream;
use crate::credentials::AwsCredentials;
use aws_sigv4::http_request::PayloadChecksumKind;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use std::time::SystemTime;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Signs `request` in place: adds `x-amz-date`, `authorization` and, for temporary
/// credentials, `x-amz-security-token` (covered by the signature).
/// The payload is part of the signature when it is in memory and `unsigned` is not
/// asked for; otherwise the request says `x-amz-content-sha256: UNSIGNED-PAYLOAD`.
pub fn sign_request(
    request: &mut http::Request<ByteStream>,
    unsigned: bool,
    credentials: &AwsCredentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), BoxError> {
    let identity = credentials.clone().into();
    // A SHA-256 the request already carries (computed from a file, say) is signed
    // as it is.
    let given = request
        .headers()
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let payload = match (request.body().bytes(), given) {
        (_, Some(sha)) if !unsigned => SignableBody::Precomputed(sha),
        (Some(b), None) if !unsigned => SignableBody::Bytes(b),
        _ => SignableBody::UnsignedPayload,
    };
    let mut settings = SigningSettings::default();
    if matches!(payload, SignableBody::UnsignedPayload) {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(settings)
        .build()?
        .into();
    let uri = request.uri().to_string();
    let mut headers = Vec::with_capacity(request.headers().len());
    for (k, v) in request.headers() {
        headers.push((k.as_str(), v.to_str()?));
    }
    let signable =
        SignableRequest::new(request.method().as_str(), uri, headers.into_iter(), payload)?;
    let (instructions, _) = sign(signable, &params)?.into_parts();
    instructions.apply_to_request_http1x(request);
    Ok(())
}
