//! Turns Smithy models (IDL 2.0 and 1.0, JSON AST) into Rust client crates for the
//! awsJson1_0, awsJson1_1 and restJson1 protocols.
//!
//! The pipeline: the readers ([`idl`] for `.smithy` files, [`model`] for the JSON AST)
//! give JSON AST documents, [`assemble`] merges the files of one model (and knows where
//! each part was written), [`model::load_value`] adds the prelude and copies mixins in,
//! [`validate::validate`] checks the model (with [`traits`] for every trait value),
//! [`lower::lower`] picks the service and operations and decides every Rust name and
//! protocol detail, and the emitters in [`emit`] (one module per protocol in
//! [`emit::protocol`]) turn the [`ir`] into files, rendered with `prettyplease`.

pub mod assemble;
pub mod docs;
pub mod emit;
pub mod error;
mod graph;
pub mod idl;
pub mod ir;
pub mod lower;
pub mod model;
pub mod names;
pub mod traits;
pub mod validate;

pub use assemble::Source;
pub use error::{Diagnostic, Error, Result};
pub use lower::Options;

use std::collections::BTreeMap;

/// Generated files, by path relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    /// File contents by relative path (`network-firewall/src/lib.rs`).
    pub files: BTreeMap<String, String>,
    /// What was left out, and why.
    pub warnings: Vec<String>,
}

/// Where the generated crates find the runtime crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The path dependency on `smithy-runtime`, relative to a generated crate's
    /// directory (or absolute).
    pub runtime_path: String,
    /// Whether to write a `Cargo.toml` workspace at the root of the output.
    pub workspace: bool,
    /// Whether the crates get the dev-dependencies of this repository's hand-written
    /// tests (the runtime's test server, proptest).
    pub test_deps: bool,
}

/// Reads a model of one or more files (`.smithy` IDL or `.json` AST, in any mix) and
/// generates the client crate and paginator crate for it. Diagnostics name the file,
/// line and column.
pub fn generate_sources(sources: &[Source], options: &Options, layout: &Layout) -> Result<Output> {
    let assemble::Assembled { document, locator } = assemble::assemble(sources)?;
    let loaded = model::load_value(&document);
    // Let go of what is no longer needed as soon as it is not: less memory to take
    // from the system while the files are rendered.
    drop(document);
    loaded
        .and_then(|model| {
            pipeline(model, options, layout, |ds| {
                ds.iter_mut().for_each(|d| locator.annotate_one(d))
            })
        })
        .map_err(|e| locator.annotate(e))
}

/// From a loaded model to files: validate, lower, emit. `place` adds positions to the
/// diagnostics (the warnings here; the caller does it for errors).
fn pipeline(
    model: model::Model,
    options: &Options,
    layout: &Layout,
    place: impl Fn(&mut [Diagnostic]),
) -> Result<Output> {
    // The documentation is converted while the model is validated (it is text, and
    // converts whatever the model's shapes are); lowering waits for a valid model.
    let (validated, docs) = std::thread::scope(|scope| {
        let validating = scope.spawn(|| validate::validate(&model));
        let docs = lower::convert_docs(&model);
        let validated = validating
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (validated, docs)
    });
    let mut warnings = validated?;
    let service = lower::lower_with_docs(&model, options, docs)?;
    drop(model);
    let mut out = emit::emit(&service, layout)?;
    place(&mut warnings);
    let mut all: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    all.append(&mut out.warnings);
    out.warnings = all;
    Ok(out)
}

/// The services of a model whose protocol this generator speaks, by shape id.
pub fn supported_services(sources: &[Source]) -> Result<Vec<String>> {
    let assembled = assemble::assemble(sources)?;
    let model =
        model::load_value(&assembled.document).map_err(|e| assembled.locator.annotate(e))?;
    Ok(model
        .shapes
        .values()
        .filter(|s| matches!(s.kind, model::Kind::Service(_)))
        .filter(|s| lower::protocol_of(s).is_some())
        .map(|s| s.id.clone())
        .collect())
}

/// Reads a model and generates the client crate and paginator crate for it.
pub fn generate(model_json: &[u8], options: &Options, layout: &Layout) -> Result<Output> {
    model::load(model_json)
        .and_then(|model| {
            pipeline(model, options, layout, |ds| {
                error::add_lines(ds, model_json)
            })
        })
        .map_err(|e| e.with_lines(model_json))
}
