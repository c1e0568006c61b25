//! The service's `smithy.rules#endpointTests`, as a test file of the generated crate:
//! one test per case, which configures a client with the case's parameters (the
//! built-ins through the config builder, the others as endpoint parameters) and checks
//! what the client resolves against the case's expectation.

use super::common::ident;
use crate::ir::Service;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::BTreeMap;

/// The test file.
pub fn endpoint_tests_file(service: &Service) -> TokenStream {
    let lib = ident(&service.lib_name);
    // Parameter name -> built-in, from the rule set.
    let built_ins: BTreeMap<String, String> = service
        .endpoint_rules
        .as_deref()
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
        .and_then(|r| r.get("parameters").and_then(Value::as_object).cloned())
        .map(|ps| {
            ps.iter()
                .filter_map(|(k, v)| {
                    v.get("builtIn")
                        .and_then(Value::as_str)
                        .map(|b| (k.clone(), b.to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    let tests = service.endpoint_tests.iter().enumerate().map(|(i, case)| {
        let name = format_ident!("endpoint_case_{}", i + 1);
        let doc = case
            .get("documentation")
            .and_then(Value::as_str)
            .map(|d| format!(" {}", crate::docs::clean_chars(d)))
            .unwrap_or_default();
        let sets = case
            .get("params")
            .and_then(Value::as_object)
            .map(|ps| {
                ps.iter()
                    .map(|(k, v)| {
                        let built_in = built_ins.get(k).map(String::as_str);
                        match (built_in, v) {
                            (Some("AWS::Region"), Value::String(s)) => quote! { .region(#s) },
                            (Some("AWS::UseFIPS"), Value::Bool(b)) => quote! { .use_fips(#b) },
                            (Some("AWS::UseDualStack"), Value::Bool(b)) => {
                                quote! { .use_dual_stack(#b) }
                            }
                            (Some("SDK::Endpoint"), Value::String(s)) => {
                                quote! { .endpoint_url(#s) }
                            }
                            (_, Value::String(s)) => quote! { .endpoint_param(#k, #s) },
                            (_, Value::Bool(b)) => quote! { .endpoint_param(#k, #b) },
                            (_, Value::Array(items)) => {
                                let items = items.iter().filter_map(Value::as_str);
                                quote! { .endpoint_param(#k, &[#( #items ),*][..]) }
                            }
                            _ => quote! {},
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let expect = case.get("expect").map(Value::to_string).unwrap_or_default();
        quote! {
            #[doc = #doc]
            #[test]
            fn #name() {
                let config = ::#lib::Config::builder() #( #sets )* .build();
                let client = ::#lib::Client::from_conf(config);
                let result = client.handle().resolve_endpoint();
                ::#lib::runtime::protocol_test::assert_endpoint(&result, #expect);
            }
        }
    });
    quote! {
        //! The endpoint rules tests of the service's model (`smithy.rules#endpointTests`),
        //! one per case.
        #![allow(clippy::all)]
        #( #tests )*
    }
}
