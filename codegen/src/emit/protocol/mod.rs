//! The wire protocols, one module each behind one interface: what an operation's
//! `Operation` impl does to serialize its input into an HTTP request and to parse the
//! response and errors. Adding a protocol is adding a module here (and its runtime
//! part in `runtime/src/protocol/`); the types, builders, client and paginators are
//! the same for every protocol.

mod aws_json;
mod rest_json;

use crate::ir::{Operation, Protocol, Service};
use proc_macro2::TokenStream;

/// What a protocol contributes to the generated code.
pub trait ProtocolEmitter {
    /// The protocol's name, as the crate docs say it (`awsJson1_0`).
    fn name(&self) -> &'static str;
    /// The runtime's cargo feature with the protocol's part of the call path.
    fn runtime_feature(&self) -> &'static str;
    /// The `serialize`, `parse` and `parse_error` functions of an operation's
    /// `Operation` impl.
    fn operation_fns(&self, service: &Service, op: &Operation) -> TokenStream;
}

/// The emitter of a service's protocol.
pub fn emitter(protocol: Protocol) -> &'static dyn ProtocolEmitter {
    match protocol {
        Protocol::AwsJson10 => &aws_json::AwsJson {
            version: aws_json::Version::V1_0,
        },
        Protocol::AwsJson11 => &aws_json::AwsJson {
            version: aws_json::Version::V1_1,
        },
        Protocol::RestJson1 => &rest_json::RestJson,
    }
}
