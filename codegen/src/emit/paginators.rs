//! Pagination: the `Paginated` impls of the client crate, the token codec, and the
//! paginator crate.

use super::codec::{de_value_pub, ser_value_ref};
use super::common::prelude::{INTO, NONE, OK, OPTION, SOME, STRING, VEC};
use super::common::{ident, rust_type};
use crate::ir::{Operation, Paginator, PathStep, Service, Type, TypeDef};
use proc_macro2::TokenStream;
use quote::quote;

fn items_type(p: &Paginator) -> TokenStream {
    match p.items.as_ref().and_then(|s| s.last()) {
        Some(PathStep {
            ty: Type::List { member, sparse },
            ..
        }) => {
            let t = rust_type(member);
            if *sparse {
                quote! { #OPTION<#t> }
            } else {
                t
            }
        }
        Some(PathStep {
            ty: Type::Map { key, value, sparse },
            ..
        }) => {
            let k = rust_type(key);
            let t = rust_type(value);
            let t = if *sparse {
                quote! { #OPTION<#t> }
            } else {
                t
            };
            quote! { (#k, #t) }
        }
        _ => quote! { () },
    }
}

/// Walks a path of shared references: `let v = ...;` lines ending at the last field.
fn walk_ref(steps: &[PathStep]) -> TokenStream {
    let lines = steps.iter().map(|s| {
        let id = ident(&s.ident);
        match (s.optional, s.boxed) {
            (true, true) => quote! { let v = v.#id.as_deref()?; },
            (true, false) => quote! { let v = v.#id.as_ref()?; },
            (false, true) => quote! { let v = &*v.#id; },
            (false, false) => quote! { let v = &v.#id; },
        }
    });
    quote! { #( #lines )* }
}

/// The `Paginated` impl of one operation, in the client crate.
pub fn paginated_impl(op: &Operation) -> TokenStream {
    let Some(p) = &op.paginator else {
        return quote! {};
    };
    let o = ident(&op.type_name);
    let token_ty = rust_type(&p.input_token.ty);
    let item_ty = items_type(p);
    let it = ident(&p.input_token.ident);
    let (get_token, set_token) = if p.input_token.optional {
        (quote! { input.#it.clone() }, quote! { input.#it = token; })
    } else {
        (
            quote! { #SOME(input.#it.clone()) },
            quote! { if let #SOME(token) = token { input.#it = token; } },
        )
    };
    let set_page_size = match &p.page_size {
        Some(ps) => {
            let id = ident(&ps.ident);
            let conv = match ps.ty {
                Type::Long => quote! { size },
                Type::Integer => {
                    quote! { i32::try_from(size).unwrap_or(if size < 0 { i32::MIN } else { i32::MAX }) }
                }
                Type::Short => {
                    quote! { i16::try_from(size).unwrap_or(if size < 0 { i16::MIN } else { i16::MAX }) }
                }
                _ => {
                    quote! { i8::try_from(size).unwrap_or(if size < 0 { i8::MIN } else { i8::MAX }) }
                }
            };
            if ps.optional {
                quote! { input.#id = #SOME(#conv); }
            } else {
                quote! { input.#id = #conv; }
            }
        }
        None => quote! { let _ = (input, size); },
    };
    let walk_out = walk_ref(&p.output_token);
    let take_items = match &p.items {
        Some(steps) => {
            let (last, path) = steps
                .split_last()
                .map_or((None, &[][..]), |(l, p)| (Some(l), p));
            let lines = path.iter().map(|s| {
                let id = ident(&s.ident);
                match (s.optional, s.boxed) {
                    (true, true) => {
                        quote! { let #SOME(v) = v.#id.as_deref_mut() else { return #VEC::new() }; }
                    }
                    (true, false) => {
                        quote! { let #SOME(v) = v.#id.as_mut() else { return #VEC::new() }; }
                    }
                    (false, true) => quote! { let v = &mut *v.#id; },
                    (false, false) => quote! { let v = &mut v.#id; },
                }
            });
            let take = match last {
                Some(l) => {
                    let id = ident(&l.ident);
                    let taken = if l.optional {
                        quote! { v.#id.take().unwrap_or_default() }
                    } else {
                        quote! { ::std::mem::take(&mut v.#id) }
                    };
                    match l.ty {
                        Type::Map { .. } => quote! {
                            let mut items: #VEC<_> = #taken.into_iter().collect();
                            items.sort_by(|a, b| ::std::convert::AsRef::<str>::as_ref(&a.0).cmp(::std::convert::AsRef::<str>::as_ref(&b.0)));
                            items
                        },
                        _ => taken,
                    }
                }
                None => quote! { #VEC::new() },
            };
            quote! {
                let v = output;
                #( #lines )*
                #take
            }
        }
        None => quote! {
            let _ = output;
            #VEC::new()
        },
    };
    let write = ser_value_ref(&p.input_token.ty, quote! { token });
    let read = de_value_pub(&p.input_token.ty);
    let raw = if p.input_token.ty == Type::String {
        quote! { #SOME(#STRING::from(token)) }
    } else {
        quote! {
            let _ = token;
            #NONE
        }
    };
    quote! {
        impl crate::runtime::paginate::Paginated for #o {
            type Token = #token_ty;
            type Item = #item_ty;
            #[inline]
            fn input_token(input: &Self::Input) -> #OPTION<Self::Token> {
                #get_token
            }
            #[inline]
            fn set_input_token(input: &mut Self::Input, token: #OPTION<Self::Token>) {
                #set_token
            }
            #[inline]
            fn set_page_size(input: &mut Self::Input, size: i64) {
                #set_page_size
            }
            #[inline]
            fn output_token(output: &Self::Output) -> #OPTION<Self::Token> {
                let v = output;
                #walk_out
                if v.is_empty() { #NONE } else { #SOME(v.clone()) }
            }
            #[inline]
            fn take_items(output: &mut Self::Output) -> #VEC<Self::Item> {
                #take_items
            }
            #[inline]
            fn encode_token(token: &Self::Token) -> #STRING {
                let mut writer = crate::runtime::json::Writer::new();
                let w = &mut writer;
                #write
                #STRING::from_utf8(writer.finish()).unwrap_or_default()
            }
            #[inline]
            fn decode_token(json: &str) -> #OPTION<Self::Token> {
                crate::runtime::json::parse_body(json.as_bytes(), |p| {
                    let token = #read;
                    #OK(token)
                })
                .ok()
            }
            #[inline]
            fn raw_token(token: &str) -> #OPTION<Self::Token> {
                #raw
            }
        }
    }
}

/// The paginator crate's `lib.rs`.
pub fn paginators_lib(service: &Service) -> TokenStream {
    let lib = ident(&service.lib_name);
    let paginated: Vec<&Operation> = service
        .operations
        .iter()
        .filter(|o| o.paginator.is_some())
        .collect();
    let items = paginated.iter().map(|op| {
        let Some(p) = &op.paginator else { return quote! {} };
        let o = ident(&op.type_name);
        let pg = ident(&op.paginator_type);
        let fb = ident(&op.fluent_builder);
        let doc_text = format!(
            "Pages through `{}`: make one with `client.{}()…into_paginator()` (bring [`IntoPaginator`] into scope).",
            op.wire_name,
            crate::names::unraw(&op.fn_name)
        );
        let doc_text_attr = super::common::doc(&doc_text);
        let page_size = p.page_size.as_ref().map(|ps| {
            let t = rust_type(&ps.ty);
            let d = format!("Sets `{}`, the page size, on every request.", ps.wire_name);
            let widened = if ps.ty == Type::Long { quote! { size } } else { quote! { i64::from(size) } };
            let d_attr = super::common::doc(&d);
            quote! {
                #d_attr
                pub fn page_size(self, size: #t) -> Self {
                    Self(self.0.page_size(#widened))
                }
            }
        });
        let item_fns = p.items.as_ref().map(|steps| {
            let path = steps.iter().map(|s| s.wire_name.as_str()).collect::<Vec<_>>().join(".");
            let d = format!("The items (`{path}`) of every page, in order. Stops after `max_items`, if set; the stream's `resume_token()` then says where to continue.");
            let d_attr = super::common::doc(&d);
            quote! {
                /// Stops the item stream after `n` items.
                pub fn max_items(self, n: usize) -> Self {
                    Self(self.0.max_items(n))
                }
                #d_attr
                pub fn items(self) -> Items<#lib::operation::#o> {
                    self.0.items()
                }
            }
        });
        let fallible = service.types.iter().any(|t| match t {
            TypeDef::Struct(s) => Some(&s.name) == op.input.as_ref() && super::client::input_build_fallible(s),
            _ => false,
        });
        let build = if fallible {
            quote! { builder.build() }
        } else {
            quote! { #OK(builder.build()) }
        };
        quote! {
            #doc_text_attr
            #[derive(Debug)]
            pub struct #pg(Paginator<#lib::operation::#o>);
            impl #pg {
                #page_size
                /// Continues from a `resume_token()` of an earlier item stream, or from a
                /// token the service sent.
                pub fn starting_token(self, token: impl #INTO<#STRING>) -> Self {
                    Self(self.0.starting_token(token))
                }
                /// With `true` (the default), the listing ends quietly when the service
                /// answers with the very token just sent (how tailing operations mark the
                /// end), and ends with an error when it sends an earlier token or the
                /// starting token back. With `false`, tokens are sent as they come, to
                /// keep polling a stream that grows.
                pub fn stop_on_duplicate_token(self, stop: bool) -> Self {
                    Self(self.0.stop_on_duplicate_token(stop))
                }
                /// The pages, as the service returns them.
                pub fn pages(self) -> Pages<#lib::operation::#o> {
                    self.0.pages()
                }
                #item_fns
            }
            impl IntoPaginator for #lib::client::fluent::#fb {
                type Paginator = #pg;
                fn into_paginator(self) -> #pg {
                    let (client, builder) = self.into_parts();
                    #pg(Paginator::new(client.handle().clone(), #build))
                }
            }
        }
    });
    let listing: Vec<String> = paginated
        .iter()
        .map(|op| {
            let f = crate::names::unraw(&op.fn_name);
            match op.paginator.as_ref().and_then(|p| p.items.as_ref()) {
                Some(steps) => {
                    let path = steps
                        .iter()
                        .map(|s| s.wire_name.as_str())
                        .collect::<Vec<_>>()
                        .join(".");
                    format!("- `{f}`: `.items()` (each of `{path}`) and `.pages()`")
                }
                None => format!("- `{f}`: `.pages()` only (the model names no items)"),
            }
        })
        .collect();
    let listing = if listing.is_empty() {
        "The service has no paginated operations.".to_string()
    } else {
        format!(
            "# Operations

{}",
            listing.join("\n")
        )
    };
    let representative = super::common::representative_operation(&paginated);
    let example = representative.map(|op| {
        format!(
            "\n\n# Example\n\n```no_run\n# async fn example(client: {lib}::Client) -> Result<(), Box<dyn std::error::Error>> {{\nuse {lib}_paginators::IntoPaginator as _;\nlet mut stream = client.{f}().into_paginator().{m}();\nwhile let Some(next) = stream.next().await {{\n    let _ = next?;\n}}\n# Ok(())\n# }}\n```",
            lib = service.lib_name,
            f = crate::names::unraw(&op.fn_name),
            m = if op.paginator.as_ref().is_some_and(|p| p.items.is_some()) { "items" } else { "pages" },
        )
    });
    let intro = format!(
        "Paginators for every paginated operation of [`{}`]: streams of pages and of items, with `max_items`, exact resume tokens, and a guard against tokens that come back. Streams are read with their own `next().await` and `collect().await` (they are `futures_core::Stream`s too).{}\n\n{listing}",
        service.lib_name,
        example.unwrap_or_default()
    );
    let intro = super::common::inner_doc(&intro);
    quote! {
        #intro
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #![allow(deprecated)]

        pub use ::#lib::runtime::paginate::{Items, Pages, PaginationError, Paginator};

        /// Turns a request builder into a paginator: `client.operation()…into_paginator()`.
        pub trait IntoPaginator {
            /// The paginator.
            type Paginator;
            /// Makes the paginator.
            fn into_paginator(self) -> Self::Paginator;
        }

        #( #items )*
    }
}
