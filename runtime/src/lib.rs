//! The runtime of clients generated from Smithy models: the protocol-neutral call path
//! (configuration from the AWS environment, credentials, auth schemes, SigV4 signing,
//! endpoint rules, retries, timeouts, the HTTP transport, pagination) and the parts of
//! each protocol (awsJson1_0/1_1 and restJson1: a fast JSON reader and writer, HTTP
//! bindings), with the Smithy value types (timestamps, blobs, documents, big numbers).
//!
//! Generated crates re-export what their users need; this crate is not meant to be
//! used on its own.

#[cfg(feature = "client")]
pub mod body;
#[cfg(feature = "client")]
pub mod checksum;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod config;
#[cfg(feature = "client")]
pub mod credentials;
#[cfg(feature = "client")]
pub mod discovery;
pub mod endpoint;
#[cfg(feature = "client")]
pub mod error;
#[cfg(feature = "event-stream")]
pub mod event_stream;
#[cfg(feature = "rest-json")]
pub mod http_binding;
#[cfg(feature = "jmespath")]
pub mod jmespath;
pub mod json;
#[cfg(feature = "client")]
pub mod paginate;
#[cfg(feature = "client")]
pub mod protocol;
#[cfg(feature = "test-util")]
pub mod protocol_test;
#[cfg(feature = "client")]
mod rate_limit;
#[cfg(feature = "client")]
pub mod sign;
#[cfg(feature = "client")]
mod stall;
#[cfg(feature = "test-util")]
pub mod test_util;
#[cfg(feature = "client")]
pub mod transport;
pub mod types;
#[cfg(feature = "waiters")]
pub mod waiter;

#[cfg(feature = "client")]
pub use body::{ByteStream, ByteStreamError};
/// Bytes in memory.
#[cfg(feature = "client")]
pub use bytes::Bytes;
#[cfg(feature = "client")]
pub use client::{AuthScheme, Handle, Operation, ServiceMeta};
#[cfg(feature = "client")]
pub use config::{
    CompressionConfig, Config, ConfigBuilder, Credentials, RetryConfig, RetryMode, TimeoutConfig,
};
#[cfg(feature = "client")]
pub use credentials::{CredentialsFailure, ProvideCredentials, SharedCredentialsProvider};
#[cfg(feature = "client")]
pub use error::{
    BuildError, ErrorMetadata, FromUnhandled, ProvideErrorMetadata, SdkError, TransportError,
    TransportErrorKind, Unhandled,
};
/// The `http` crate, whose `Request` and `Response` the call path builds and reads.
#[cfg(feature = "client")]
pub use http;
pub use types::{Blob, DateTime, Document, Number, TimestampFormat};

#[cfg(feature = "client")]
std::thread_local! {
    static FIXED_TOKEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A fresh random token for `@idempotencyToken` members the caller left unset.
#[cfg(feature = "client")]
pub fn idempotency_token() -> String {
    if FIXED_TOKEN.with(std::cell::Cell::get) {
        return "00000000-0000-4000-8000-000000000000".to_string();
    }
    random_uuid()
}

/// The length of a UUID's hyphenated text (`8-4-4-4-12` hexadecimal digits).
#[cfg(feature = "client")]
pub(crate) const UUID_LEN: usize = 36;

/// A random v4 UUID from the thread's fast generator (as the official SDKs make
/// idempotency tokens and invocation ids): unique, not secret, and no system call.
#[cfg(feature = "client")]
pub(crate) fn random_uuid() -> String {
    let mut text = [0u8; UUID_LEN];
    random_uuid_in(&mut text).to_string()
}

/// [`random_uuid`] written into `text`, without a `String` or the formatting
/// machinery.
#[cfg(feature = "client")]
pub(crate) fn random_uuid_in(text: &mut [u8; UUID_LEN]) -> &str {
    uuid_v4_in(fastrand::u128(..).to_le_bytes(), text)
}

/// The v4 UUID made of `random`'s bits (RFC 9562, section 5.4: version 4 in the top
/// four bits of octet 6, the variant `10` in the top two of octet 8), in lower-case
/// hyphenated text.
#[cfg(feature = "client")]
fn uuid_v4_in(mut random: [u8; 16], text: &mut [u8; UUID_LEN]) -> &str {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    random[6] = (random[6] & 0x0f) | 0x40;
    random[8] = (random[8] & 0x3f) | 0x80;
    let mut at = 0;
    for (i, byte) in random.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            text[at] = b'-';
            at += 1;
        }
        text[at] = HEX[usize::from(byte >> 4)];
        text[at + 1] = HEX[usize::from(byte & 0x0f)];
        at += 2;
    }
    // Only ASCII digits, letters and hyphens were written.
    std::str::from_utf8(text).unwrap_or_default()
}

/// Makes [`idempotency_token`] return the fixed token of Smithy's protocol tests on
/// this thread (`00000000-0000-4000-8000-000000000000`), for tests.
#[doc(hidden)]
#[cfg(feature = "client")]
pub fn fix_idempotency_tokens_for_tests(fixed: bool) {
    FIXED_TOKEN.with(|c| c.set(fixed));
}

#[cfg(all(test, feature = "client"))]
mod tests {
    use super::*;

    #[test]
    fn uuid_text_sets_version_and_variant() {
        let mut text = [0u8; UUID_LEN];
        let bytes: [u8; 16] = std::array::from_fn(|i| i as u8);
        assert_eq!(
            uuid_v4_in(bytes, &mut text),
            "00010203-0405-4607-8809-0a0b0c0d0e0f"
        );
        assert_eq!(
            uuid_v4_in([0xff; 16], &mut text),
            "ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        assert_eq!(
            uuid_v4_in([0; 16], &mut text),
            "00000000-0000-4000-8000-000000000000"
        );
    }

    #[test]
    fn random_uuids_are_well_formed_and_differ() {
        let tokens: Vec<String> = (0..64).map(|_| random_uuid()).collect();
        for t in &tokens {
            let groups: Vec<&str> = t.split('-').collect();
            let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
            assert_eq!(lens, [8, 4, 4, 4, 12], "{t}");
            assert!(
                t.bytes()
                    .all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
                "{t}"
            );
            assert!(groups[2].starts_with('4'), "{t}");
            assert!(
                matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
                "{t}"
            );
        }
        let distinct: std::collections::BTreeSet<&String> = tokens.iter().collect();
        assert_eq!(distinct.len(), tokens.len());
    }
}
