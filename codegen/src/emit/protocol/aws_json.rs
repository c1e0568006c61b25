//! `awsJson1_0` and `awsJson1_1`: every request is `POST /` with the input as a JSON
//! object and the operation in `X-Amz-Target`; outputs and errors are JSON objects.
//! The JSON body codec itself is shared with the other JSON protocols
//! ([`crate::emit::codec`]).

use super::super::common::prelude::{OK, RESULT};
use super::ProtocolEmitter;
use crate::emit::common::ident;
use crate::emit::template;
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
        let mut fns = template::members([OperationFns {
            content_type,
            target: format!("{}.{}", service.target_prefix, op.wire_name),
            query_compatible: service.query_compatible,
            ser_fn: op.input.as_deref().map(crate::names::derived::ser_fn),
            de_fn: op.output.as_deref().map(crate::names::derived::de_fn),
            error_fn: op.error_fn.clone(),
        }]);
        fns.extend(event_stream_output(service, op));
        fns
    }
}

/// An output that is an event stream (and nothing else: lower leaves out the others)
/// is its messages, read after the `initial-response` event the stream starts with.
fn event_stream_output(service: &Service, op: &Operation) -> Option<TokenStream> {
    let out = service.find_struct(op.output.as_ref()?)?;
    let (field, union) = out.fields.iter().find_map(|f| match &f.ty {
        crate::ir::Type::EventStream {
            union,
            input: false,
        } => Some((f, union)),
        _ => None,
    })?;
    let n = ident(&out.name);
    let id = ident(&field.ident);
    let read = ident(&crate::emit::common::event_fn(union));
    Some(quote! {
        const STREAMING_OUTPUT: bool = true;
        #[inline]
        fn parse_streaming(response: crate::runtime::http::Response<crate::runtime::ByteStream>) -> #RESULT<Self::Output, crate::runtime::json::JsonError> {
            #OK(crate::types::#n {
                #id: crate::runtime::event_stream::EventReceiver::after_initial_response(response.into_body(), crate::codec::#read),
            })
        }
    })
}

/// An operation's functions, the same for every operation but for its names (printed
/// once per shape: see [`template`]).
#[derive(Clone, PartialEq, Eq, Hash)]
struct OperationFns {
    content_type: &'static str,
    /// `Service.Operation`, for `X-Amz-Target`.
    target: String,
    query_compatible: bool,
    /// The input's serializer, when there is an input.
    ser_fn: Option<String>,
    /// The output's deserializer, when there is an output.
    de_fn: Option<String>,
    error_fn: String,
}

impl template::Shape for OperationFns {
    const CONTEXT: template::Context = template::Context::ImplItem;

    fn standin(&self, s: &mut template::Standins) -> Self {
        OperationFns {
            target: s.literal(&self.target),
            ser_fn: self.ser_fn.as_ref().map(|f| s.name(f)),
            de_fn: self.de_fn.as_ref().map(|f| s.name(f)),
            error_fn: s.name(&self.error_fn),
            ..self.clone()
        }
    }

    fn tokens(&self) -> TokenStream {
        let content_type = self.content_type;
        let target = self.target.as_str();
        let query_compatible = self.query_compatible;
        let body = match &self.ser_fn {
            Some(ser) => {
                let ser = ident(ser);
                quote! {
                    let mut w = crate::runtime::json::Writer::new();
                    crate::codec::#ser(&mut w, input);
                    w.body()?
                }
            }
            None => quote! { let () = input; b"{}".to_vec() },
        };
        let parse = match &self.de_fn {
            Some(de) => {
                let de = ident(de);
                quote! { crate::runtime::json::parse_body(response.body(), crate::codec::#de) }
            }
            None => quote! { crate::runtime::json::parse_unit(response.body()) },
        };
        let parse_error = ident(&self.error_fn);
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
