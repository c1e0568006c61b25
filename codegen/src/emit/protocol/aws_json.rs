//! `awsJson1_0` and `awsJson1_1`: every request is `POST /` with the input as a JSON
//! object and the operation in `X-Amz-Target`; outputs and errors are JSON objects.
//! The JSON body codec itself is shared with the other JSON protocols
//! ([`crate::emit::codec`]).

use super::super::common::prelude::{OK, RESULT};
use super::ProtocolEmitter;
use crate::emit::common::ident;
use crate::ir::{Operation, Service};
use proc_macro2::TokenStream;
use quote::quote;

/// The two versions differ only in the content type.
#[derive(Debug, Clone, Copy)]
pub enum Version {
    V1_0,
    V1_1,
}

/// The awsJson emitter.
pub struct AwsJson {
    pub version: Version,
}

impl ProtocolEmitter for AwsJson {
    fn name(&self) -> &'static str {
        match self.version {
            Version::V1_0 => "awsJson1_0",
            Version::V1_1 => "awsJson1_1",
        }
    }

    fn runtime_feature(&self) -> &'static str {
        "aws-json"
    }

    fn operation_fns(&self, service: &Service, op: &Operation) -> TokenStream {
        let content_type = match self.version {
            Version::V1_0 => "application/x-amz-json-1.0",
            Version::V1_1 => "application/x-amz-json-1.1",
        };
        let target = format!("{}.{}", service.target_prefix, op.wire_name);
        let query_compatible = service.query_compatible;
        let body = match &op.input {
            Some(i) => {
                let ser = ident(&crate::names::derived::ser_fn(i));
                quote! {
                    let mut w = crate::runtime::json::Writer::new();
                    crate::codec::#ser(&mut w, input);
                    w.finish()
                }
            }
            None => quote! { let () = input; b"{}".to_vec() },
        };
        let parse = match &op.output {
            Some(o) => {
                let de = ident(&crate::names::derived::de_fn(o));
                quote! { crate::runtime::json::parse_body(response.body(), crate::codec::#de) }
            }
            None => quote! { crate::runtime::json::parse_unit(response.body()) },
        };
        let parse_error = ident(&op.error_fn);
        quote! {
            #[inline]
            fn serialize(input: &Self::Input) -> #RESULT<crate::runtime::http::Request<crate::runtime::Bytes>, crate::runtime::BuildError> {
                let body = { #body };
                #OK(crate::runtime::protocol::aws_json::request(#content_type, #target, #query_compatible, body))
            }
            #[inline]
            fn parse(response: &crate::runtime::http::Response<crate::runtime::Bytes>) -> #RESULT<Self::Output, crate::runtime::json::JsonError> {
                #parse
            }
            #[inline]
            fn parse_error(meta: crate::runtime::ErrorMetadata, response: &crate::runtime::http::Response<crate::runtime::Bytes>) -> Self::Error {
                crate::codec::#parse_error(meta, response.body())
            }
        }
    }
}
