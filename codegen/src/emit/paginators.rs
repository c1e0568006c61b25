//! The paginator crate.

use crate::ir::Service;
use proc_macro2::TokenStream;
use quote::quote;

/// The paginator crate's `lib.rs`.
pub fn paginators_lib(_service: &Service) -> TokenStream {
    quote! {
        //! Paginators.
    }
}
