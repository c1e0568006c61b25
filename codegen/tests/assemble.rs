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

/// The head of an IDL 2.0 file in the namespace `ex`.
const V2: &str = "$version: \"2\"\nnamespace ex\n";

/// The model of these files, validated, or its error with file positions.
fn validated(files: &[(&str, &str)]) -> Result<codegen::model::Model, String> {
    let sources: Vec<Source> = files.iter().map(|(n, t)| Source::new(*n, *t)).collect();
    let a = assemble(&sources).map_err(|e| e.to_string())?;
    let model = load_value(&a.document).map_err(|e| a.locator.annotate(e).to_string())?;
    codegen::validate::validate(&model).map_err(|e| a.locator.annotate(e).to_string())?;
    Ok(model)
}

fn enum_value(m: &codegen::model::Model, shape: &str, member: &str) -> serde_json::Value {
    let members = m.shapes[shape].kind.members();
    let member = members.iter().find(|x| x.name == member).unwrap();
    member.traits["smithy.api#enumValue"].clone()
}

#[test]
fn enum_members_take_values_from_apply_and_mixins_or_their_names() {
    let m = validated(&[
        (
            "a.smithy",
            &format!("{V2}enum E {{\n    A\n    B\n}}\napply E$A @enumValue(\"a\")\n@mixin\nintEnum Base {{\n    ONE = 1\n    TWO = 2\n}}\nintEnum Mixed with [Base] {{\n    /// Docs\n    TWO\n    THREE = 3\n}}\n"),
        ),
        ("b.smithy", &format!("{V2}apply E$B @enumValue(\"b\")\nenum F {{ X }}\n")),
    ])
    .unwrap();
    assert_eq!(enum_value(&m, "ex#E", "A"), "a");
    assert_eq!(enum_value(&m, "ex#E", "B"), "b");
    assert_eq!(enum_value(&m, "ex#F", "X"), "X");
    assert_eq!(enum_value(&m, "ex#Mixed", "TWO"), 2);
    assert_eq!(enum_value(&m, "ex#Mixed", "THREE"), 3);
    // An intEnum member that gets no value is refused where it stands.
    let err = validated(&[("c.smithy", &format!("{V2}intEnum I {{\n    A\n}}\n"))]).unwrap_err();
    assert!(
        err.contains("intEnum members need") && err.contains("c.smithy:4:5"),
        "{err}"
    );
}

#[test]
fn apply_reaches_list_and_map_members_in_other_files_and_refuses_unknown_shapes() {
    let m = validated(&[
        (
            "a.smithy",
            &format!("{V2}list L {{ member: String }}\nmap M {{ key: String, value: String }}\n"),
        ),
        (
            "b.smithy",
            &format!("{V2}apply L$member @length(min: 1)\napply M$value @pattern(\"^a\")\n"),
        ),
    ])
    .unwrap();
    let Kind::List { member } = &m.shapes["ex#L"].kind else {
        panic!()
    };
    assert!(member.traits.contains_key("smithy.api#length"));
    let Kind::Map { value, .. } = &m.shapes["ex#M"].kind else {
        panic!()
    };
    assert!(value.traits.contains_key("smithy.api#pattern"));
    let err = validated(&[("c.smithy", &format!("{V2}\napply Nope @sensitive\n"))]).unwrap_err();
    assert!(
        err.contains("defines no shape `ex#Nope`") && err.contains("c.smithy:4:7"),
        "{err}"
    );
}

#[test]
fn a_shape_defined_again_the_same_way_is_one_shape() {
    let same = format!("{V2}@length(min: 1)\nstring Name\n");
    let m = validated(&[("a.smithy", &same), ("b.smithy", &same)]).unwrap();
    assert!(m.shapes["ex#Name"].has("smithy.api#length"));
    // Differently in one file: refused at the second definition.
    let err = validated(&[(
        "c.smithy",
        &format!("{V2}string Name\n@sensitive\nstring Name\n"),
    )])
    .unwrap_err();
    assert!(
        err.contains("defined more than once") && err.contains("c.smithy:5:8"),
        "{err}"
    );
}

#[test]
fn service_and_resource_bodies_take_quoted_keys() {
    let m = validated(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\nservice S {\n    \"version\": \"1\"\n    \"resources\": [R]\n}\nresource R {\n    \"identifiers\": { id: String }\n}\n",
    )])
    .unwrap();
    let Kind::Service(svc) = &m.shapes["ex#S"].kind else {
        panic!()
    };
    assert_eq!(svc.version.as_deref(), Some("1"));
}

#[test]
fn what_smithy_refuses_is_refused() {
    for (text, expected) in [
        (
            format!("{V2}enum E {{}}\n"),
            "an enum needs at least one member",
        ),
        (
            format!("{V2}@mixin\nintEnum I {{}}\n"),
            "an intEnum needs at least one member",
        ),
        (
            format!("{V2}@mixin\noperation O {{\n    input := {{}}\n}}\n"),
            "an operation that is a mixin cannot have an input",
        ),
        (
            format!("{V2}string Doc\n@Doc(\"x\")\nstring S\n"),
            "is a shape of the model, not a trait",
        ),
    ] {
        let err = validated(&[("x.smithy", &text)]).unwrap_err();
        assert!(
            err.contains(expected) && err.contains("x.smithy:"),
            "{text}: {err}"
        );
    }
}

#[test]
fn lists_and_maps_take_their_members_from_mixins() {
    let m = validated(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\n@mixin\nlist Base { member: String }\nlist L with [Base] {}\nlist Tight with [Base] {\n    @length(min: 1)\n    member: String\n}\n@mixin\nmap BaseMap { key: String, value: Integer }\nmap M with [BaseMap] {}\n",
    )])
    .unwrap();
    let Kind::List { member } = &m.shapes["ex#L"].kind else {
        panic!()
    };
    assert_eq!(member.target, "smithy.api#String");
    let Kind::List { member } = &m.shapes["ex#Tight"].kind else {
        panic!()
    };
    assert!(member.traits.contains_key("smithy.api#length"));
    let Kind::Map { key, value } = &m.shapes["ex#M"].kind else {
        panic!()
    };
    assert_eq!(
        (key.target.as_str(), value.target.as_str()),
        ("smithy.api#String", "smithy.api#Integer")
    );
    // Without a mixin to give it, a list still needs its member.
    let json = r#"{"smithy": "2.0", "shapes": {"ex#L": {"type": "list"}}}"#;
    let err = validated(&[("l.json", json)]).unwrap_err();
    assert!(err.contains("a list shape needs `member`"), "{err}");
}

#[test]
fn json_documents_need_a_known_version_and_objects_of_shapes() {
    for (text, expected) in [
        (
            r#"{"smithy": "999", "shapes": {}}"#,
            "Smithy IDL version `999` is not supported",
        ),
        (r#"{"shapes": {}}"#, "the model has no `smithy` version"),
        (
            r#"{"smithy": "2.0", "shapes": "foo"}"#,
            "`shapes` must be an object",
        ),
        (
            r#"{"smithy": "2.0", "metadata": []}"#,
            "`metadata` must be an object",
        ),
        ("[]", "a JSON AST model must be an object"),
    ] {
        let err = assemble(&[Source::new("m.json", text)])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(expected) && err.contains("m.json"),
            "{text}: {err}"
        );
    }
}
