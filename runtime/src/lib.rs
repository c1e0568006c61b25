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

/// A random v4 UUID from the thread's fast generator (as the official SDKs make
/// idempotency tokens and invocation ids): unique, not secret, and no system call.
#[cfg(feature = "client")]
pub(crate) fn random_uuid() -> String {
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    random_uuid_in(&mut text).to_string()
}

/// [`random_uuid`] written into `text`, without a `String` or the formatting
/// machinery.
#[cfg(feature = "client")]
pub(crate) fn random_uuid_in(text: &mut [u8; uuid::fmt::Hyphenated::LENGTH]) -> &str {
    uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes())
        .into_uuid()
        .hyphenated()
        .encode_lower(text)
}

/// Makes [`idempotency_token`] return the fixed token of Smithy's protocol tests on
/// this thread (`00000000-0000-4000-8000-000000000000`), for tests.
#[doc(hidden)]
#[cfg(feature = "client")]
pub fn fix_idempotency_tokens_for_tests(fixed: bool) {
    FIXED_TOKEN.with(|c| c.set(fixed));
}
