//! `src/waiters.rs` of a client whose operations have waiters (`smithy.waiters#waitable`):
//! each waiter as the runtime's [`Waiter`](smithy_runtime::waiter::Waiter) table, a
//! `wait_until_<name>` method on its operation's fluent builder, and `ToDocument` for
//! the types its JMESPath expressions read (the inputs and outputs of operations with
//! waiters, and what they contain).

use super::common::ident;
use super::common::prelude::{OPTION, RESULT, STRING};
use crate::ir::{Service, Type, TypeDef, WaitMatcher, Waiter};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Whether the service has a waiter.
pub fn has_waiters(service: &Service) -> bool {
    service.operations.iter().any(|o| !o.waiters.is_empty())
}

/// The name of a waiter's table (`TABLE_EXISTS`).
fn table_name(w: &Waiter) -> proc_macro2::Ident {
    ident(&crate::names::snake_case(&w.name).to_uppercase())
}

fn table(w: &Waiter) -> TokenStream {
    let name = w.name.as_str();
    let (min, max) = (w.min_delay, w.max_delay);
    let t = table_name(w);
    let acceptors = w.acceptors.iter().map(|a| {
        let state = match a.state.as_str() {
            "success" => quote! { w::State::Success },
            "failure" => quote! { w::State::Failure },
            _ => quote! { w::State::Retry },
        };
        let matcher = match &a.matcher {
            WaitMatcher::Path {
                input,
                path,
                expected,
                comparator,
            } => {
                let c = match comparator.as_str() {
                    "stringEquals" => quote! { w::Comparator::StringEquals },
                    "booleanEquals" => quote! { w::Comparator::BooleanEquals },
                    "allStringEquals" => quote! { w::Comparator::AllStringEquals },
                    _ => quote! { w::Comparator::AnyStringEquals },
                };
                let kind = if *input {
                    quote! { InputOutput }
                } else {
                    quote! { Output }
                };
                quote! { w::Matcher::#kind { path: #path, expected: #expected, comparator: #c } }
            }
            WaitMatcher::Success(b) => quote! { w::Matcher::Success(#b) },
            WaitMatcher::ErrorType(code) => quote! { w::Matcher::ErrorType(#code) },
        };
        quote! { w::Acceptor { state: #state, matcher: #matcher } }
    });
    let doc = super::common::doc(&format!("The `{name}` waiter."));
    let (min, max) = (
        proc_macro2::Literal::u64_unsuffixed(min),
        proc_macro2::Literal::u64_unsuffixed(max),
    );
    quote! {
        #doc
        static #t: w::Waiter = w::Waiter {
            name: #name,
            min_delay: #min,
            max_delay: #max,
            acceptors: &[#( #acceptors ),*],
        };
    }
}

/// The types reachable from the inputs and outputs of operations with waiters.
fn reachable(service: &Service) -> Vec<&TypeDef> {
    let by_name: BTreeMap<&str, &TypeDef> = service.types.iter().map(|t| (t.name(), t)).collect();
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&str> = service
        .operations
        .iter()
        .filter(|o| !o.waiters.is_empty())
        .flat_map(|o| o.input.iter().chain(&o.output))
        .map(String::as_str)
        .collect();
    fn named<'t>(ty: &'t Type, out: &mut Vec<&'t str>) {
        match ty {
            Type::Named { name, .. } => out.push(name),
            Type::List { member, .. } => named(member, out),
            Type::Map { key, value, .. } => {
                named(key, out);
                named(value, out);
            }
            _ => {}
        }
    }
    while let Some(name) = todo.pop() {
        if !seen.insert(name) {
            continue;
        }
        match by_name.get(name) {
            Some(TypeDef::Struct(s)) => s.fields.iter().for_each(|f| named(&f.ty, &mut todo)),
            Some(TypeDef::Union(u)) => u
                .variants
                .iter()
                .filter_map(|v| v.ty.as_ref())
                .for_each(|t| named(t, &mut todo)),
            _ => {}
        }
    }
    seen.iter()
        .filter_map(|n| by_name.get(n).copied())
        .collect()
}

/// `ToDocument` (and `DocumentKey` for string enums) of one type.
fn to_document(t: &TypeDef) -> TokenStream {
    let n = ident(t.name());
    let d = quote! { crate::runtime::Document };
    let body = match t {
        TypeDef::Struct(s) => {
            let puts: Vec<TokenStream> = s
                .fields
                .iter()
                .filter(|f| !matches!(f.ty, Type::Stream | Type::EventStream { .. }))
                .map(|f| {
                    let id = ident(&f.ident);
                    let key = f.wire_name.as_str();
                    quote! { w::put(&mut o, #key, &self.#id); }
                })
                .collect();
            let allow = super::common::allow_deprecated(s.uses_deprecated());
            let body = if puts.is_empty() {
                quote! { #d::Object(::std::collections::HashMap::new()) }
            } else {
                quote! {
                    let mut o = ::std::collections::HashMap::new();
                    #( #puts )*
                    #d::Object(o)
                }
            };
            return quote! {
                #allow
                impl w::ToDocument for crate::types::#n {
                    fn to_document(&self) -> #d {
                        #body
                    }
                }
            };
        }
        TypeDef::Union(u) => {
            let arms = u.variants.iter().map(|v| {
                let vid = ident(&v.ident);
                let key = v.wire_name.as_str();
                match &v.ty {
                    Some(_) => quote! {
                        crate::types::#n::#vid(v) => #d::Object(::std::collections::HashMap::from([(#key.to_string(), w::ToDocument::to_document(v))])),
                    },
                    None => quote! {
                        crate::types::#n::#vid => #d::Object(::std::collections::HashMap::from([(#key.to_string(), #d::Object(::std::collections::HashMap::new()))])),
                    },
                }
            });
            quote! {
                match self {
                    #( #arms )*
                    crate::types::#n::Unknown => #d::Null,
                }
            }
        }
        TypeDef::Enum(e) if e.int => {
            quote! { #d::Number(crate::runtime::Number::from(i64::from(self.value()))) }
        }
        TypeDef::Enum(_) => {
            return quote! {
                impl w::ToDocument for crate::types::#n {
                    fn to_document(&self) -> #d {
                        #d::String(self.as_str().to_string())
                    }
                }
                impl w::DocumentKey for crate::types::#n {
                    fn document_key(&self) -> #STRING {
                        self.as_str().to_string()
                    }
                }
            };
        }
    };
    let allow = match t {
        TypeDef::Union(u) => super::common::allow_deprecated(u.deprecated),
        _ => quote! {},
    };
    quote! {
        #allow
        impl w::ToDocument for crate::types::#n {
            fn to_document(&self) -> #d {
                #body
            }
        }
    }
}

/// The `wait_until_*` methods of an operation's fluent builder.
fn methods(service: &Service) -> Vec<TokenStream> {
    service
        .operations
        .iter()
        .filter(|o| !o.waiters.is_empty())
        .map(|op| {
            let fb = ident(&op.fluent_builder);
            let o = ident(&op.type_name);
            let e = ident(&op.error_enum);
            let output = super::common::shape_type(op.output.as_deref());
            let fallible = op
                .input
                .as_deref()
                .and_then(|i| service.find_struct(i))
                .is_some_and(super::client::input_build_fallible);
            // A construction error ends the wait as the operation's error (`From`).
            let build = super::client::build_input(&o, quote! { builder }, fallible);
            let fns = op.waiters.iter().map(|wt| {
                let f = ident(&wt.fn_name);
                let t = table_name(wt);
                let every = if wt.min_delay == wt.max_delay {
                    format!("every {} s", wt.min_delay)
                } else {
                    format!("every {}–{} s (growing, with jitter)", wt.min_delay, wt.max_delay)
                };
                let mut doc = format!(
                    "Waits until the `{}` waiter's success state: calls `{}` with this input {every} until an acceptor decides, for at most `max_wait`. The output is the last one, or `None` when the success was an error the waiter expects; a failure state ends in `WaiterError::Failure` with the poll that matched.",
                    wt.name, op.wire_name
                );
                if !wt.docs.is_empty() {
                    doc = format!("{}\n\n{doc}", wt.docs);
                }
                let doc = super::common::doc(&doc);
                let deprecated = wt.deprecated.then(|| quote! { #[deprecated] });
                quote! {
                    #doc
                    #deprecated
                    pub async fn #f(self, max_wait: ::std::time::Duration) -> #RESULT<#OPTION<#output>, w::WaiterError<#output, crate::error::#e>> {
                        let (client, builder) = self.into_parts();
                        let input = #build;
                        w::wait::<crate::operation::#o>(client.handle(), &input, &#t, max_wait).await
                    }
                }
            });
            let allow = super::common::allow_deprecated(op.waiters.iter().any(|w| w.deprecated) || op.deprecated);
            quote! {
                #allow
                impl crate::client::fluent::#fb {
                    #( #fns )*
                }
            }
        })
        .collect()
}

/// `src/waiters.rs`.
pub fn waiters_module(service: &Service) -> TokenStream {
    let tables = service
        .operations
        .iter()
        .flat_map(|o| &o.waiters)
        .map(table);
    let docs = reachable(service).into_iter().map(to_document);
    let methods = methods(service);
    quote! {
        //! The waiters of the service's operations (`wait_until_*` on their fluent
        //! builders), and the documents their JMESPath expressions read.
        use crate::runtime::waiter as w;
        #( #tables )*
        #( #methods )*
        #( #docs )*
    }
}
