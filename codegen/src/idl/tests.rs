//! Loader behaviour the conformance suite does not cover.

use super::*;
use serde_json::{json, Value};

fn load(text: &str) -> Result<Vec<Document>, IdlError> {
    load_files(&[("t.smithy".into(), text.into())], &BTreeSet::new())
}

fn load_ok(text: &str) -> Document {
    match load(text) {
        Ok(mut d) => d.remove(0),
        Err(e) => panic!("{e}"),
    }
}

fn load_err(text: &str) -> IdlError {
    match load(text) {
        Ok(d) => panic!("accepted: {}", d[0].value),
        Err(e) => e,
    }
}

const V2: &str = "$version: \"2\"\nnamespace ns\n";

#[test]
fn resources_services_and_bindings() {
    let d = load_ok(&format!(
        "{V2}service S {{ version: \"2024\", operations: [Get], resources: [R], errors: [E], rename: {{ \"ns#E\": \"Oops\" }} }}\n\
         resource R {{\n    identifiers: {{ id: String }}\n    properties: {{ size: Integer }}\n    read: Get\n    collectionOperations: [Get]\n}}\n\
         @readonly\noperation Get {{\n    input := for R {{\n        @required\n        $id\n    }}\n    output := for R {{ $size }}\n    errors: [E]\n}}\n\
         @error(\"client\")\nstructure E {{}}\n"
    ));
    let s = &d.value["shapes"];
    assert_eq!(
        s["ns#S"],
        json!({"type": "service", "version": "2024", "operations": [{"target": "ns#Get"}],
               "resources": [{"target": "ns#R"}], "errors": [{"target": "ns#E"}],
               "rename": {"ns#E": "Oops"}})
    );
    assert_eq!(
        s["ns#R"]["identifiers"],
        json!({"id": {"target": "smithy.api#String"}})
    );
    assert_eq!(s["ns#R"]["read"], json!({"target": "ns#Get"}));
    assert_eq!(
        s["ns#GetInput"]["members"]["id"],
        json!({"target": "smithy.api#String", "traits": {"smithy.api#required": {}}})
    );
    assert_eq!(
        s["ns#GetOutput"]["members"]["size"]["target"],
        "smithy.api#Integer"
    );
    assert_eq!(s["ns#GetOutput"]["traits"]["smithy.api#output"], json!({}));
    assert!(d.spans.contains_key("$.shapes[\"ns#Get\"].input"));
    assert!(d.spans.contains_key("$.shapes[\"ns#S\"].operations"));
}

#[test]
fn elision_from_mixins_and_external_shapes() {
    let files = [(
        "a.smithy".to_string(),
        format!("{V2}use other#Base\nstructure S with [Base] {{ $name\n @required\n $age }}\nlist L with [other#ListMixin] {{ $member }}\napply other#Thing @sensitive\napply S$inherited @internal\n"),
    )];
    let parsed: Vec<ParsedFile> = files
        .iter()
        .map(|(n, t)| parse(n, t))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut known = prelude_and_known_traits();
    known.extend(["other#Base", "other#ListMixin", "other#Thing"].map(String::from));
    let external = |id: &str| match id {
        "other#Base" => Some(ExternalShape {
            shape_type: "structure".into(),
            members: vec![("name".into(), "smithy.api#String".into())],
            mixins: vec!["other#Older".into()],
            ..Default::default()
        }),
        "other#Older" => Some(ExternalShape {
            shape_type: "structure".into(),
            members: vec![
                ("age".into(), "smithy.api#Integer".into()),
                ("inherited".into(), "smithy.api#Integer".into()),
            ],
            ..Default::default()
        }),
        "other#ListMixin" => Some(ExternalShape {
            shape_type: "list".into(),
            members: vec![("member".into(), "smithy.api#Blob".into())],
            ..Default::default()
        }),
        _ => None,
    };
    let docs = resolve(&parsed, &known, &external).unwrap_or_else(|e| panic!("{e}"));
    let s = &docs[0].value["shapes"];
    assert_eq!(s["ns#S"]["members"]["name"]["target"], "smithy.api#String");
    assert_eq!(s["ns#S"]["members"]["age"]["target"], "smithy.api#Integer");
    assert_eq!(s["ns#L"]["member"]["target"], "smithy.api#Blob");
    assert_eq!(
        s["other#Thing"],
        json!({"type": "apply", "traits": {"smithy.api#sensitive": {}}})
    );
    assert_eq!(
        s["ns#S$inherited"],
        json!({"type": "apply", "traits": {"smithy.api#internal": {}}})
    );
    // Members keep source order.
    let names: Vec<&String> = s["ns#S"]["members"]
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(names, ["name", "age"]);
}

#[test]
fn annotation_traits_follow_the_trait_type() {
    let d = load_ok(&format!(
        "{V2}@trait\nlist myList {{ member: String }}\n@trait\nstructure myStruct {{}}\n@myList @myStruct @tags @references @deprecated()\nstring S\n"
    ));
    assert_eq!(
        d.value["shapes"]["ns#S"]["traits"],
        json!({"ns#myList": [], "ns#myStruct": {}, "smithy.api#tags": [],
               "smithy.api#references": [], "smithy.api#deprecated": {}})
    );
}

#[test]
fn doc_comments_are_the_documentation_trait_and_apply_merges() {
    // A `///` comment is the documentation trait written another way (the spec's
    // "syntactic sugar"): the same text twice is one trait, two texts conflict.
    let d = load_ok(&format!(
        "{V2}/// same\n@documentation(\"same\")\n@tags([\"a\"])\nstring S\napply S @tags([\"b\"])\napply S {{ @tags([\"c\"]) }}\n"
    ));
    let t = &d.value["shapes"]["ns#S"]["traits"];
    assert_eq!(t["smithy.api#documentation"], "same");
    let e = load_err(&format!(
        "{V2}/// comment\n@documentation(\"explicit\")\nstring S\n"
    ));
    assert!(e.message.contains("conflicting") && e.line == 4, "{e}");
    assert_eq!(t["smithy.api#tags"], json!(["a", "b", "c"]));
    let e = load_err(&format!(
        "{V2}@since(\"1\")\nstring S\napply S @since(\"2\")\n"
    ));
    assert!(e.message.contains("conflicting"), "{e}");
}

#[test]
fn node_values() {
    let d = load_ok(
        "metadata a = [1, -1, 1.5, 1e2, 18446744073709551615, -9223372036854775808, \"\\u00e9\\uD83D\\uDE00\\n\\/\"]\n\
         metadata b = \"\"\"\n    x\n      y\n    \"\"\"\n\
         metadata c = {\"k\": null, k2: false}\n",
    );
    let m = &d.value["metadata"];
    assert_eq!(
        m["a"],
        json!([
            1,
            -1,
            1.5,
            100.0,
            18446744073709551615u64,
            i64::MIN,
            "é😀\n/"
        ])
    );
    assert_eq!(m["b"], "x\n  y\n");
    assert_eq!(m["c"], json!({"k": null, "k2": false}));
    assert!(d.spans.contains_key("$.metadata.a"));
}

#[test]
fn unresolved_shape_ids_in_values() {
    // IDL 2.0: an error.
    let e = load_err(&format!("{V2}@documentation(Nope)\nstring S\n"));
    assert!(e.message.contains("Nope"), "{e}");
    assert_eq!((e.line, e.column), (3, 16));
    // IDL 1.0: the string as written.
    let d = load_ok("namespace ns\n@documentation(Nope)\nstring S\n");
    assert_eq!(
        d.value["shapes"]["ns#S"]["traits"]["smithy.api#documentation"],
        "Nope"
    );
    // Known ids, members included, resolve.
    let d = load_ok(&format!(
        "{V2}structure T {{ a: String }}\n@documentation(T$a)\nstring S\n"
    ));
    assert_eq!(
        d.value["shapes"]["ns#S"]["traits"]["smithy.api#documentation"],
        "ns#T$a"
    );
}

#[test]
fn idl_1_upgrade() {
    let d = load_ok(
        "namespace ns\nset S { member: String }\ninteger I\n@box\ninteger J\nstructure T { a: I, b: J, c: PrimitiveLong }\n",
    );
    let s = &d.value["shapes"];
    assert_eq!(d.value["smithy"], "2.0");
    assert_eq!(s["ns#S"]["type"], "list");
    assert_eq!(s["ns#S"]["traits"]["smithy.api#uniqueItems"], json!({}));
    assert_eq!(s["ns#I"]["traits"]["smithy.api#default"], 0);
    assert_eq!(s["ns#T"]["members"]["a"]["traits"]["smithy.api#default"], 0);
    assert!(s["ns#T"]["members"]["b"].get("traits").is_none());
    assert_eq!(s["ns#T"]["members"]["c"]["traits"]["smithy.api#default"], 0);
}

#[test]
fn multi_file_resolution_and_conflicts() {
    let files = vec![
        (
            "a.smithy".to_string(),
            format!("{V2}structure A {{ b: B }}\n"),
        ),
        (
            "b.smithy".to_string(),
            "$version: \"2\"\nnamespace ns\nstring B\napply A @sensitive\n".to_string(),
        ),
    ];
    let docs = load_files(&files, &BTreeSet::new()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        docs[0].value["shapes"]["ns#A"]["members"]["b"]["target"],
        "ns#B"
    );
    assert_eq!(docs[1].value["shapes"]["ns#A"]["type"], "apply");
    // A shape defined again the same way is one shape, as in Smithy (files that
    // define it differently are compared when the model is assembled).
    let dup = vec![
        ("a.smithy".to_string(), format!("{V2}string X\n")),
        ("b.smithy".to_string(), format!("{V2}string X\n")),
    ];
    let docs = load_files(&dup, &BTreeSet::new()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(docs[0].value["shapes"], docs[1].value["shapes"]);
    let d = load_ok(&format!(
        "{V2}@length(min: 1)\nstring X\n@length(min: 1)\nstring X\n"
    ));
    assert_eq!(d.value["shapes"].as_object().map(|o| o.len()), Some(1));
}

#[test]
fn dangling_targets_stay_in_the_namespace() {
    let d = load_ok(&format!("{V2}structure A {{ b: Missing }}\n"));
    assert_eq!(
        d.value["shapes"]["ns#A"]["members"]["b"]["target"],
        "ns#Missing"
    );
}

#[test]
fn syntax_errors_have_positions() {
    let cases: &[(&str, (u32, u32))] = &[
        ("$version: \"3\"\n", (1, 11)),
        (
            "$version: \"2\"\nnamespace ns\nstructure A { a: String = }\n",
            (3, 27),
        ),
        ("namespace ns\nstring A\n@sensitive\nstring A\n", (4, 8)),
        ("namespace ns\n@foo(a: 1, a: 2)\nstring A\n", (2, 12)),
        (
            "$version: \"2\"\nnamespace ns\nintEnum E {\n    A = 2147483648\n}\n",
            (4, 9),
        ),
        (
            "$version: \"2\"\nnamespace ns\nset S { member: String }\n",
            (3, 1),
        ),
        (
            "$version: \"2\"\nnamespace ns\nstructure S with [] {}\n",
            (3, 19),
        ),
        ("namespace ns\n@documentation(\"\\'\")\nstring S\n", (2, 16)),
        (
            "namespace ns\nstructure S {\n    @default(1)\n    a: Integer\n}\n",
            (3, 5),
        ),
        ("namespace ns\napply smithy.api#String @sensitive\n", (2, 7)),
        ("namespace ns\noperation O { input: [] }\n", (2, 22)),
        (
            "namespace ns\nstructure S { a: String, a: String }\n",
            (2, 26),
        ),
    ];
    for (text, pos) in cases {
        let e = load_err(text);
        assert_eq!((e.line, e.column), *pos, "{text:?}: {e}");
    }
}

#[test]
fn crlf_and_bom() {
    let text = "\u{feff}$version: \"2\"\r\nnamespace ns\r\n/// Doc\r\n/// more\r\nstring S\r\n@documentation(\"\"\"\r\n    a\r\n    b\r\n    \"\"\")\r\nstring T\r\n";
    let d = load_ok(text);
    let s = &d.value["shapes"];
    assert_eq!(s["ns#S"]["traits"]["smithy.api#documentation"], "Doc\nmore");
    assert_eq!(s["ns#T"]["traits"]["smithy.api#documentation"], "a\nb\n");
}

#[test]
fn parsed_file_accessors() {
    let p = parse(
        "x.smithy",
        "$version: \"2\"\nnamespace a.b\noperation O { input := {} }\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.namespace(), Some("a.b"));
    assert_eq!(p.defined_shapes(), ["a.b#O", "a.b#OInput"]);
    assert!(p.is_v2());
    assert_eq!(p.file_name(), "x.smithy");
    let v: Value = serde_json::to_value(p.defined_shapes()).unwrap_or_default();
    assert_eq!(v, json!(["a.b#O", "a.b#OInput"]));
}
