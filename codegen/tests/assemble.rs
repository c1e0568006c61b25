//! One model from several files: IDL and JSON AST mixed, `apply` from any file,
//! metadata merging, conflicts named with their files, and diagnostics that point at
//! file, line and column.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use codegen::assemble::assemble;
use codegen::model::{load_value, Kind};
use codegen::Source;

fn model(files: &[(&str, &str)]) -> codegen::Result<codegen::model::Model> {
    let sources: Vec<Source> = files.iter().map(|(n, t)| Source::new(*n, *t)).collect();
    let a = assemble(&sources)?;
    load_value(&a.document).map_err(|e| a.locator.annotate(e))
}

#[test]
fn two_files_apply_different_traits_to_one_shape() {
    let m = model(&[
        (
            "a.smithy",
            "$version: \"2\"\nnamespace ex\nstructure Thing { name: String }\n",
        ),
        (
            "b.smithy",
            "$version: \"2\"\nnamespace ex\napply Thing @sensitive\n",
        ),
        (
            "c.smithy",
            "$version: \"2\"\nnamespace ex\napply Thing$name @required\n",
        ),
    ])
    .unwrap();
    let thing = &m.shapes["ex#Thing"];
    assert!(thing.has("smithy.api#sensitive"));
    let name = &thing.kind.members()[0];
    assert!(name.traits.contains_key("smithy.api#required"));
}

#[test]
fn idl_files_refer_to_shapes_of_json_files() {
    let json = r#"{"smithy": "2.0", "shapes": {"ex#Id": {"type": "string"}}}"#;
    let m = model(&[
        ("ids.json", json),
        (
            "thing.smithy",
            "$version: \"2\"\nnamespace ex\nstructure Thing { id: Id }\n",
        ),
    ])
    .unwrap();
    let Kind::Structure { members } = &m.shapes["ex#Thing"].kind else {
        panic!()
    };
    assert_eq!(members[0].target, "ex#Id");
}

#[test]
fn a_shape_defined_twice_differently_names_both_files() {
    let err = model(&[
        ("a.smithy", "$version: \"2\"\nnamespace ex\nstring Name\n"),
        ("b.smithy", "$version: \"2\"\nnamespace ex\ninteger Name\n"),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("ex#Name"), "{err}");
    assert!(
        err.contains("a.smithy") && err.contains("b.smithy"),
        "{err}"
    );
}

#[test]
fn metadata_merges_lists_and_refuses_conflicts() {
    let sources = [
        Source::new(
            "a.smithy",
            "$version: \"2\"\nmetadata tags = [\"a\"]\nmetadata same = 1\n",
        ),
        Source::new(
            "b.smithy",
            "$version: \"2\"\nmetadata tags = [\"b\"]\nmetadata same = 1\n",
        ),
    ];
    let a = assemble(&sources).unwrap();
    assert_eq!(
        a.document["metadata"]["tags"],
        serde_json::json!(["a", "b"])
    );
    assert_eq!(a.document["metadata"]["same"], serde_json::json!(1));
    let sources = [
        Source::new("a.smithy", "$version: \"2\"\nmetadata owner = \"x\"\n"),
        Source::new("b.smithy", "$version: \"2\"\nmetadata owner = \"y\"\n"),
    ];
    let err = assemble(&sources).unwrap_err().to_string();
    assert!(
        err.contains("owner") && err.contains("cannot be merged"),
        "{err}"
    );
}

#[test]
fn local_traits_stay_on_the_mixin() {
    let m = model(&[(
        "m.smithy",
        "$version: \"2\"\nnamespace ex\n@mixin(localTraits: [sensitive])\n@sensitive\n@deprecated\nstructure Base { a: String }\nstructure Thing with [Base] {}\n",
    )])
    .unwrap();
    let thing = &m.shapes["ex#Thing"];
    assert!(
        !thing.has("smithy.api#sensitive"),
        "a local trait is not inherited"
    );
    assert!(thing.has("smithy.api#deprecated"), "other traits are");
    assert_eq!(thing.kind.members().len(), 1);
}

#[test]
fn diagnostics_point_at_file_line_and_column() {
    let sources = [Source::new(
        "svc.smithy",
        "$version: \"2\"\nnamespace ex\n\nstructure Thing {\n    other: Missing\n}\n",
    )];
    let a = assemble(&sources).unwrap();
    let model = load_value(&a.document).unwrap();
    let err = codegen::validate::validate(&model).unwrap_err();
    let err = a.locator.annotate(err).to_string();
    assert!(err.contains("svc.smithy:5:"), "{err}");

    // A syntax error is shown like rustc shows one.
    let err = assemble(&[Source::new(
        "bad.smithy",
        "$version: \"2\"\nnamespace ex\nstructure {\n",
    )])
    .unwrap_err()
    .to_string();
    assert!(err.contains("bad.smithy:3:"), "{err}");
    assert!(err.contains('^'), "{err}");
}

#[test]
fn json_diagnostics_point_at_line_and_column_too() {
    let json = "{\"smithy\": \"2.0\", \"shapes\": {\n  \"ex#Thing\": {\"type\": \"structure\", \"members\": {\n      \"other\": {\"target\": \"ex#Missing\"}}}}}";
    let sources = [Source::new("thing.json", json)];
    let a = assemble(&sources).unwrap();
    let model = load_value(&a.document).unwrap();
    let err = codegen::validate::validate(&model).unwrap_err();
    let err = a.locator.annotate(err).to_string();
    // The `target` key of the member on line 3, column 17.
    assert!(err.contains("thing.json:3:17"), "{err}");
    let spans = codegen::assemble::json_spans(json);
    assert_eq!(spans.get("$.shapes[\"ex#Thing\"]"), Some(&(2, 3)));
    assert_eq!(
        spans.get("$.shapes[\"ex#Thing\"].members.other"),
        Some(&(3, 7))
    );
}

#[test]
fn json_syntax_errors_show_the_line_and_a_caret() {
    let err = assemble(&[Source::new(
        "bad.json",
        "{\n  \"smithy\": \"2.0\",\n  \"shapes\": {,}\n}",
    )])
    .unwrap_err()
    .to_string();
    assert!(err.contains("--> bad.json:3:14"), "{err}");
    assert!(err.contains("3 |   \"shapes\": {,}"), "{err}");
    assert!(err.ends_with("  |              ^"), "{err}");
}

/// `smithy.framework#ValidationException` is added when a shape names it (in an
/// error list, a trait value, a key) and the model does not define it; a model that
/// only says "ValidationException" in its docs, or names another shape of that
/// namespace, gets nothing added.
#[test]
fn framework_shapes_come_when_named() {
    const ID: &str = "smithy.framework#ValidationException";
    let named_in_errors = format!(
        r#"{{"smithy": "2.0", "shapes": {{"ex#Op": {{"type": "operation", "errors": [{{"target": "{ID}"}}]}}}}}}"#
    );
    let named_in_a_trait = format!(
        r#"{{"smithy": "2.0", "shapes": {{"ex#S": {{"type": "string", "traits": {{"smithy.api#documentation": "See {ID} for details."}}}}}}}}"#
    );
    let named_in_a_key = format!(
        r#"{{"smithy": "2.0", "shapes": {{"ex#S": {{"type": "string", "traits": {{"ex#t": {{"{ID}": 1}}}}}}}}}}"#
    );
    for json in [&named_in_errors, &named_in_a_trait, &named_in_a_key] {
        let a = assemble(&[Source::new("m.json", json.as_str())]).unwrap();
        assert!(a.document["shapes"].get(ID).is_some(), "{json}");
    }
    let only_docs = r##"{"smithy": "2.0", "shapes": {"ex#S": {"type": "string", "traits": {"smithy.api#documentation": "A ValidationException # smithy.framework#Other"}}}}"##;
    let a = assemble(&[Source::new("m.json", only_docs)]).unwrap();
    assert!(a.document["shapes"].get(ID).is_none());
}
