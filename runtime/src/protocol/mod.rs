//! The protocol-specific parts of the call path, one module per protocol; the rest of
//! the runtime (configuration, credentials, signing, retries, endpoints, transport,
//! pagination, errors) is the same for every protocol.

#[cfg(feature = "aws-json")]
pub mod aws_json;
