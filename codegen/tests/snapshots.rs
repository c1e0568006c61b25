//! Snapshot tests: every emitter's output for a folder of small focused models, and
//! every error message for a folder of invalid ones.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use codegen::{generate, Layout, Options};

fn layout() -> Layout {
    Layout {
        runtime_path: "../../runtime".to_string(),
        workspace: false,
        test_deps: false,
    }
}

#[test]
fn emitted_code() {
    // With the models' own `smithy.test` cases, so that the test emitter is snapshotted too.
    let options = Options {
        protocol_tests: true,
        ..Options::default()
    };
    insta::glob!("models/*.json", |path| {
        let bytes = std::fs::read(path).unwrap();
        let out = generate(&bytes, &options, &layout())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        for (file, content) in &out.files {
            let name = format!("{stem}@{}", file.replace('/', "__"));
            insta::assert_snapshot!(name, content);
        }
        insta::assert_snapshot!(format!("{stem}@warnings"), out.warnings.join("\n"));
    });
}

#[test]
fn invalid_models_are_explained() {
    insta::glob!("invalid/*.json", |path| {
        let bytes = std::fs::read(path).unwrap();
        let err = generate(&bytes, &Options::default(), &layout())
            .expect_err("an invalid model must not generate");
        insta::assert_snapshot!(err.to_string());
    });
}

#[test]
fn generation_is_deterministic() {
    insta::glob!("models/*.json", |path| {
        let bytes = std::fs::read(path).unwrap();
        let a = generate(&bytes, &Options::default(), &layout()).unwrap();
        let b = generate(&bytes, &Options::default(), &layout()).unwrap();
        assert_eq!(a, b);
    });
}

#[test]
fn unknown_operations_are_named() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/models/errors.json"
    ))
    .unwrap();
    let options = Options {
        operations: Some(vec!["DoIt".into(), "Nope".into()]),
        ..Options::default()
    };
    let err = generate(&bytes, &options, &layout())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`Nope` is not an operation of `example.errors#Errors`; it has: DoIt"),
        "{err}"
    );
}

#[test]
fn selecting_operations_keeps_only_their_closure() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/models/paginate_service_defaults.json"
    ))
    .unwrap();
    let options = Options {
        operations: Some(vec!["GetFile".into()]),
        ..Options::default()
    };
    let out = generate(&bytes, &options, &layout()).unwrap();
    let types = &out.files["test-paginate-defaults/src/types.rs"];
    assert!(!types.contains("ListFilesInput"), "{types}");
    let client = &out.files["test-paginate-defaults/src/client.rs"];
    assert!(client.contains("pub fn get_file("));
    assert!(!client.contains("pub fn list_files("));
}

#[test]
fn hostile_input_never_panics() {
    // Truncations and byte flips of a valid model: each must give Ok or an error.
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/models/shapes.json"
    ))
    .unwrap();
    for cut in (0..bytes.len()).step_by(97) {
        let _ = generate(&bytes[..cut], &Options::default(), &layout());
    }
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..300 {
        let mut b = bytes.clone();
        for _ in 0..4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let i = (seed as usize) % b.len();
            b[i] = b"{}[]\":,#$ax0"[(seed >> 32) as usize % 12];
        }
        let _ = generate(&b, &Options::default(), &layout());
    }
}

#[test]
fn a_service_of_any_protocol_gets_a_client_that_resolves_its_endpoints() {
    // Endpoint rules do not depend on the protocol: a client of no operations, for the
    // model's endpoint tests, is generated for a protocol the generator does not speak.
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/endpoints_only/rest_xml_rules.json"
    ))
    .unwrap();
    let err = generate(&bytes, &Options::default(), &layout())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "uses the protocol `aws.protocols#restXml`, which this generator does not support yet"
        ),
        "{err}"
    );
    let options = Options {
        operations: Some(Vec::new()),
        endpoint_tests: true,
        ..Options::default()
    };
    let out = generate(&bytes, &options, &layout()).unwrap();
    let lib = &out.files["xml-rules/src/lib.rs"];
    assert!(lib.contains("It has no operations"), "{lib}");
    let client = &out.files["xml-rules/src/client.rs"];
    assert!(client.contains("endpoint_rules: Some("), "{client}");
    assert!(!client.contains("fn get_thing("), "{client}");
    let tests = &out.files["xml-rules/tests/endpoint_tests.rs"];
    assert_eq!(tests.matches("#[test]").count(), 5, "{tests}");
    let manifest = &out.files["xml-rules/Cargo.toml"];
    assert!(
        !manifest.contains("aws-json") && !manifest.contains("rest-json"),
        "{manifest}"
    );
}

#[test]
fn a_blob_default_that_is_not_base64_is_its_own_bytes_with_a_warning() {
    // Smithy warns about such a default and loads the model.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/models/defaults.json"
    ))
    .unwrap();
    let text = text.replacen(
        "\"smithy.api#default\": \"YWJj\"",
        "\"smithy.api#default\": \"{}\"",
        1,
    );
    assert!(text.contains("\"{}\""));
    let out = generate(text.as_bytes(), &Options::default(), &layout()).unwrap();
    let types = &out.files["defaults/src/types.rs"];
    assert!(
        types.contains(r#"crate::runtime::Blob::new(b"{}")"#),
        "{types}"
    );
    assert!(
        out.warnings.iter().any(|w| w.contains("is not base64")),
        "{:?}",
        out.warnings
    );
}

/// A rename of a shape the service does not reach does nothing, and says so.
#[test]
fn a_rename_outside_the_service_is_a_warning() {
    let model = br#"{"smithy": "2.0", "shapes": {
        "ex#S": {"type": "service", "version": "1", "traits": {"aws.protocols#awsJson1_0": {}},
            "operations": [{"target": "ex#Op"}],
            "rename": {"ex#Orphan": "Lonely", "ex#Thing": "Item"}},
        "ex#Op": {"type": "operation", "input": {"target": "ex#In"}},
        "ex#In": {"type": "structure", "members": {"thing": {"target": "ex#Thing"}}},
        "ex#Thing": {"type": "structure", "members": {}},
        "ex#Orphan": {"type": "structure", "members": {}}
    }}"#;
    let out = generate(model, &Options::default(), &layout()).unwrap();
    let warned: Vec<&String> = out
        .warnings
        .iter()
        .filter(|w| w.contains("the rename does nothing"))
        .collect();
    assert_eq!(warned.len(), 1, "{:?}", out.warnings);
    assert!(warned[0].contains("ex#Orphan"), "{warned:?}");
    // The rename the service reaches is applied.
    assert!(out.files.values().any(|f| f.contains("pub struct Item")));
}

/// A waiter that reads the output of an operation without one can only
/// find nothing: Smithy warns and generates it, and so do we.
#[test]
fn a_waiter_on_a_missing_output_is_a_warning() {
    let model = br#"{"smithy": "2.0", "shapes": {
        "ex#S": {"type": "service", "version": "1", "traits": {"aws.protocols#awsJson1_0": {}},
            "operations": [{"target": "ex#Nothing"}]},
        "ex#Nothing": {"type": "operation", "traits": {"smithy.waiters#waitable": {
            "NoOutput": {"acceptors": [{"state": "success",
                "matcher": {"output": {"path": "a", "expected": "x", "comparator": "stringEquals"}}}]}}}}
    }}"#;
    let out = generate(model, &Options::default(), &layout()).unwrap();
    let warned: Vec<&String> = out
        .warnings
        .iter()
        .filter(|w| w.contains("`NoOutput` reads the output of an operation that has none"))
        .collect();
    assert_eq!(warned.len(), 1, "{:?}", out.warnings);
    assert!(out
        .files
        .values()
        .any(|f| f.contains("fn wait_until_no_output")));
}
