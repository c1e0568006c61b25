//! Trait values are checked against the trait definitions: the official models and
//! the protocol-test models validate with no errors, and small broken models give
//! the expected error at the expected JSON path.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use codegen::{assemble, model, validate, Diagnostic, Error, Source};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("note: {} is absent; skipping", dir.display());
        None
    }
}

/// Assembles, loads and validates: the warnings, or the error.
fn check(sources: &[Source]) -> Result<Vec<Diagnostic>, Error> {
    let assembled = assemble::assemble(sources)?;
    let model = model::load_value(&assembled.document)?;
    validate::validate(&model)
}

fn smithy_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            smithy_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "smithy") {
            out.push(p);
        }
    }
}

fn read(paths: &[PathBuf]) -> Vec<Source> {
    paths
        .iter()
        .map(|p| Source::new(p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect()
}

#[test]
fn official_models_have_no_errors() {
    let Some(root) = shared() else { return };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("models"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    let mut failures = Vec::new();
    for p in &paths {
        let sources = read(std::slice::from_ref(p));
        let t = Instant::now();
        let result = check(&sources);
        let elapsed = t.elapsed();
        // The trait check alone, on the loaded model.
        let assembled = assemble::assemble(&sources).unwrap();
        let loaded = model::load_value(&assembled.document).unwrap();
        let t = Instant::now();
        let (mut problems, mut warnings) = (Vec::new(), Vec::new());
        codegen::traits::check(&loaded, &mut problems, &mut warnings);
        let traits_time = t.elapsed();
        match result {
            Ok(warnings) => {
                println!(
                    "ok   {} ({elapsed:?}; trait values {traits_time:?})",
                    p.display()
                );
                for w in warnings {
                    println!("     warning: {w}");
                }
            }
            Err(e) => failures.push(format!("{}: {e}", p.display())),
        }
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(failures.is_empty(), "{} models have errors", failures.len());
}

/// Each protocol-test folder with the shared files of its family.
fn protocol_groups(root: &Path) -> Vec<(String, Vec<PathBuf>)> {
    let mut groups = Vec::new();
    for family in ["aws", "smithy"] {
        let dir = root.join("smithy/protocol-tests").join(family);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut shared_files = Vec::new();
        let mut subdirs = Vec::new();
        for p in rd.filter_map(|e| e.ok().map(|e| e.path())) {
            if p.is_dir() {
                subdirs.push(p);
            } else if p.extension().is_some_and(|x| x == "smithy") {
                shared_files.push(p);
            }
        }
        // Smithy has the `smithy.framework` shapes on its classpath; the
        // server-validation tests name `smithy.framework#ValidationException`.
        shared_files.push(root.join("smithy/traits/smithy.framework.validation.smithy"));
        shared_files.sort();
        subdirs.sort();
        for d in subdirs {
            let mut files = shared_files.clone();
            smithy_files(&d, &mut files);
            let name = d.file_name().unwrap().to_string_lossy().into_owned();
            groups.push((format!("{family}/{name}"), files));
        }
    }
    groups
}

#[test]
fn protocol_test_models_have_no_errors() {
    let Some(root) = shared() else { return };
    let groups = protocol_groups(&root);
    assert!(!groups.is_empty());
    let mut failures = Vec::new();
    for (name, paths) in &groups {
        let t = Instant::now();
        match check(&read(paths)) {
            Ok(warnings) => {
                println!("ok   {name} ({:?})", t.elapsed());
                for w in warnings {
                    println!("     warning: {w}");
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(failures.is_empty(), "{} groups have errors", failures.len());
}

// ----- focused cases -----

fn idl(text: &str) -> Vec<Source> {
    vec![Source::new("test.smithy", text)]
}

fn json(text: &str) -> Vec<Source> {
    vec![Source::new("test.json", text)]
}

/// The errors of a model that must be invalid.
fn errors(sources: &[Source]) -> Vec<Diagnostic> {
    match check(sources) {
        Ok(w) => panic!("expected errors, got none (warnings: {w:?})"),
        Err(e) => {
            println!("{e}");
            e.diagnostics().to_vec()
        }
    }
}

/// The one diagnostic at `path`; its message must contain `text`.
fn at<'d>(ds: &'d [Diagnostic], path: &str, text: &str) -> &'d Diagnostic {
    let here: Vec<&Diagnostic> = ds.iter().filter(|d| d.path == path).collect();
    assert_eq!(
        here.len(),
        1,
        "expected one diagnostic at {path}, found {}: {ds:#?}",
        here.len()
    );
    assert!(
        here[0].message.contains(text),
        "at {path}: {:?} does not contain {text:?}",
        here[0].message
    );
    here[0]
}

const OP: &str = r#"$.shapes["ex#Op"].traits"#;

#[test]
fn wrong_value_kind() {
    let ds = errors(&json(
        r#"{"smithy": "2.0", "shapes": {
        "ex#Op": {"type": "operation", "traits": {
            "smithy.api#http": {"method": 5, "uri": "/x"},
            "smithy.api#readonly": "yes",
            "smithy.api#examples": [{"title": "t", "allowConstraintErrors": "no"}]
        }}}}"#,
    ));
    let d = at(
        &ds,
        &format!(r#"{OP}["smithy.api#http"].method"#),
        "expected a non-empty string, found 5",
    );
    assert_eq!(d.subject, "ex#Op @smithy.api#http");
    at(
        &ds,
        &format!(r#"{OP}["smithy.api#readonly"]"#),
        "expected an object (`{}` for an annotation trait), found \"yes\"",
    );
    at(
        &ds,
        &format!(r#"{OP}["smithy.api#examples"][0].allowConstraintErrors"#),
        "expected a boolean, found \"no\"",
    );
    assert_eq!(ds.len(), 3, "{ds:#?}");
}

#[test]
fn missing_required_member_and_range() {
    let ds = errors(&json(
        r#"{"smithy": "2.0", "shapes": {
        "ex#Op": {"type": "operation", "traits": {
            "smithy.api#http": {"method": "GET", "code": 1000},
            "smithy.api#longPoll": {}
        }}}}"#,
    ));
    at(
        &ds,
        &format!(r#"{OP}["smithy.api#http"]"#),
        "the required member `uri` is missing",
    );
    at(
        &ds,
        &format!(r#"{OP}["smithy.api#http"].code"#),
        "expected an integer from 100 to 999, found 1000",
    );
    at(
        &ds,
        &format!(r#"{OP}["smithy.api#longPoll"]"#),
        "the required member `timeoutMillis` is missing",
    );
}

#[test]
fn enum_values_are_checked() {
    let ds = errors(&json(
        r#"{"smithy": "2.0", "shapes": {
        "ex#S": {"type": "service", "traits": {
            "smithy.api#httpApiKeyAuth": {"name": "k", "in": "cookie"}
        }},
        "ex#Op": {"type": "operation", "traits": {
            "aws.protocols#httpChecksum": {"responseAlgorithms": ["CRC32", "CRC16"]}
        }}}}"#,
    ));
    at(
        &ds,
        r#"$.shapes["ex#S"].traits["smithy.api#httpApiKeyAuth"].in"#,
        r#"expected one of "header", "query", found "cookie""#,
    );
    at(
        &ds,
        &format!(r#"{OP}["aws.protocols#httpChecksum"].responseAlgorithms[1]"#),
        r#"found "CRC16""#,
    );
}

#[test]
fn unknown_members_are_warnings() {
    let warnings = check(&json(
        r#"{"smithy": "2.0", "shapes": {
        "ex#E": {"type": "structure", "members": {}, "traits": {
            "smithy.api#error": "client",
            "smithy.api#retryable": {"throttling": true, "backoff": 1}
        }},
        "ex#Op": {"type": "operation", "traits": {
            "smithy.api#paginated": {"inputToken": "a", "outputToken": "b", "maxResults": "c"}
        }}}}"#,
    ))
    .expect("unknown members are not errors");
    for w in &warnings {
        println!("warning: {w}");
    }
    at(
        &warnings,
        r#"$.shapes["ex#E"].traits["smithy.api#retryable"].backoff"#,
        "`backoff` is not a member",
    );
    // validate.rs warns about `@paginated` itself; once.
    at(
        &warnings,
        &format!(r#"{OP}["smithy.api#paginated"].maxResults"#),
        "not a property of the paginated trait",
    );
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
}

const BAD_TEST_CASES: &str = r#"$version: "2.0"
namespace ex

use smithy.test#httpRequestTests
use smithy.test#httpResponseTests
use aws.protocols#awsJson1_0

@httpRequestTests([
    {id: "Ok", protocol: awsJson1_0, method: "POST", uri: "/", params: {a: [1, {b: null}]}},
    {id: "NoUri", protocol: awsJson1_0, method: "POST", headers: {"X-A": "1"}},
    {id: "BadMethod", protocol: awsJson1_0, method: 5, uri: "/", headers: {"X-A": 1}, appliesTo: "both"}
])
@httpResponseTests([
    {id: "BadCode", protocol: awsJson1_0, code: 99}
])
operation Op {}
"#;

#[test]
fn protocol_test_cases_are_checked() {
    let ds = errors(&idl(BAD_TEST_CASES));
    let base = format!(r#"{OP}["smithy.test#httpRequestTests"]"#);
    at(
        &ds,
        &format!("{base}[1]"),
        "the required member `uri` is missing",
    );
    at(
        &ds,
        &format!("{base}[2].method"),
        "expected a non-empty string, found 5",
    );
    at(
        &ds,
        &format!(r#"{base}[2].headers["X-A"]"#),
        "expected a string, found 1",
    );
    at(
        &ds,
        &format!("{base}[2].appliesTo"),
        r#"expected one of "client", "server", found "both""#,
    );
    at(
        &ds,
        &format!(r#"{OP}["smithy.test#httpResponseTests"][0].code"#),
        "expected an integer from 100 to 599, found 99",
    );
    assert_eq!(ds.len(), 5, "{ds:#?}");
    // Errors in an IDL file are located in it.
    let err = check(&idl(
        "$version: \"2.0\"\nnamespace ex\n\n@http(method: \"GET\", uri: 1)\noperation Op {}\n",
    ))
    .unwrap_err();
    assert!(
        err.diagnostics()[0]
            .path
            .ends_with(r#"["smithy.api#http"].uri"#),
        "{err}"
    );
}

const BAD_WAITERS_AND_RULES: &str = r#"$version: "2.0"
namespace ex

use smithy.waiters#waitable
use smithy.rules#clientContextParams

@clientContextParams(Region: {type: "integer"})
service S { operations: [Op] }

@waitable(
    Done: {
        acceptors: [
            {state: "done", matcher: {success: true}}
            {state: "success", matcher: {success: true, errorType: "X"}}
            {state: "retry", matcher: {output: {path: "a", expected: "b", comparator: "equals"}}}
        ]
        minDelay: 0
    }
)
operation Op {}
"#;

#[test]
fn waiters_and_rules_are_checked() {
    let ds = errors(&idl(BAD_WAITERS_AND_RULES));
    let w = format!(r#"{OP}["smithy.waiters#waitable"].Done"#);
    at(&ds, &format!("{w}.acceptors[0].state"), r#"found "done""#);
    at(
        &ds,
        &format!("{w}.acceptors[1].matcher"),
        "expected exactly one member of a union, found 2",
    );
    at(
        &ds,
        &format!("{w}.acceptors[2].matcher.output.comparator"),
        r#"found "equals""#,
    );
    at(
        &ds,
        &format!("{w}.minDelay"),
        "expected an integer at least 1, found 0",
    );
    at(
        &ds,
        r#"$.shapes["ex#S"].traits["smithy.rules#clientContextParams"].Region.type"#,
        r#"expected one of "string", "boolean", found "integer""#,
    );
}

#[test]
fn user_defined_traits_are_checked_against_their_shapes() {
    let ds = errors(&idl(r#"$version: "2.0"
namespace ex

@trait(selector: "structure")
structure config {
    @required
    name: String
    size: Integer
    mode: Mode
    @length(min: 1)
    tags: Tags
}

enum Mode {
    FAST = "fast"
    SLOW = "slow"
}

list Tags { member: String }

@trait(selector: ":is(operation, service)")
string owner

@config(name: 1, size: "big", mode: "medium", tags: [], extra: true)
structure A {}

@config(size: 3000000000)
structure B {}

@owner("me")
structure C {}
"#));
    let a = r#"$.shapes["ex#A"].traits["ex#config"]"#;
    at(&ds, &format!("{a}.name"), "expected a string, found 1");
    at(
        &ds,
        &format!("{a}.size"),
        r#"expected an integer, found "big""#,
    );
    at(
        &ds,
        &format!("{a}.mode"),
        r#"expected one of "fast", "slow", found "medium""#,
    );
    at(
        &ds,
        &format!("{a}.tags"),
        "expected a list of at least 1 items, found 0",
    );
    let b = r#"$.shapes["ex#B"].traits["ex#config"]"#;
    at(&ds, b, "the required member `name` is missing");
    at(
        &ds,
        &format!("{b}.size"),
        "expected an integer from -2147483648 to 2147483647",
    );
    let d = at(
        &ds,
        r#"$.shapes["ex#C"].traits["ex#owner"]"#,
        "cannot be applied to the structure shape",
    );
    assert_eq!(d.subject, "ex#C @ex#owner");
    assert_eq!(ds.len(), 7, "{ds:#?}");
}

#[test]
fn traits_on_the_wrong_kind_of_shape() {
    let ds = errors(&json(
        r#"{"smithy": "2.0", "shapes": {
        "ex#A": {"type": "structure", "members": {
            "b": {"target": "smithy.api#String", "traits": {"smithy.api#timestampFormat": "date-time"}}
        }, "traits": {"smithy.api#required": {}}},
        "ex#S": {"type": "string", "traits": {"smithy.api#httpLabel": {}}},
        "ex#U": {"type": "union", "members": {
            "a": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}
        }},
        "ex#L": {"type": "list", "member": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}
        }}"#,
    ));
    let d = at(
        &ds,
        r#"$.shapes["ex#A"].traits["smithy.api#required"]"#,
        "the `smithy.api#required` trait cannot be applied to the structure shape; it applies to members of structure shapes",
    );
    assert_eq!(d.subject, "ex#A @smithy.api#required");
    at(
        &ds,
        r#"$.shapes["ex#S"].traits["smithy.api#httpLabel"]"#,
        "cannot be applied to the string shape",
    );
    at(
        &ds,
        r#"$.shapes["ex#U"].members.a.traits["smithy.api#required"]"#,
        "cannot be applied to a member of a union",
    );
    at(
        &ds,
        r#"$.shapes["ex#A"].members.b.traits["smithy.api#timestampFormat"]"#,
        "members targeting timestamp",
    );
    // validate.rs reports `@required` on a list member itself; once.
    at(
        &ds,
        r#"$.shapes["ex#L"].member.traits["smithy.api#required"]"#,
        "applies to structure members only",
    );
    assert_eq!(ds.len(), 5, "{ds:#?}");
}

#[test]
fn what_validate_reports_is_not_reported_twice() {
    let ds = errors(&json(
        r#"{"smithy": "2.0", "shapes": {
        "ex#S": {"type": "service", "traits": {
            "aws.auth#sigv4": {"name": 5, "region": "x"},
            "aws.api#service": {"sdkId": 1, "cloudFormationName": 2},
            "smithy.api#documentation": 3
        }},
        "ex#E": {"type": "structure", "members": {}, "traits": {
            "smithy.api#error": "caller",
            "aws.protocols#awsQueryError": {"httpResponseCode": 400}
        }}}}"#,
    ));
    let svc = r#"$.shapes["ex#S"].traits"#;
    at(
        &ds,
        &format!(r#"{svc}["aws.auth#sigv4"]"#),
        "non-empty string `name`",
    );
    at(
        &ds,
        &format!(r#"{svc}["aws.api#service"].sdkId"#),
        "must be a string",
    );
    at(
        &ds,
        &format!(r#"{svc}["aws.api#service"]"#),
        "`sdkId` is required",
    );
    at(
        &ds,
        &format!(r#"{svc}["aws.api#service"].cloudFormationName"#),
        "expected a string, found 2",
    );
    at(
        &ds,
        &format!(r#"{svc}["smithy.api#documentation"]"#),
        "must be a string",
    );
    at(
        &ds,
        r#"$.shapes["ex#E"].traits["smithy.api#error"]"#,
        "must be \"client\" or \"server\"",
    );
    at(
        &ds,
        r#"$.shapes["ex#E"].traits["aws.protocols#awsQueryError"]"#,
        "string `code`",
    );
    assert_eq!(ds.len(), 7, "{ds:#?}");
}

#[test]
fn many_definitions_are_known() {
    let n = codegen::traits::known_trait_count();
    println!("{n} known trait definitions");
    assert!(n >= 125, "{n}");
}

/// With Smithy's own trait definition files loaded too, every trait value is checked
/// against the model's shapes instead of our definitions: the same models still pass.
#[test]
fn protocol_tests_pass_against_the_official_definitions_too() {
    let Some(root) = shared() else { return };
    let mut defs = Vec::new();
    smithy_files(&root.join("smithy/traits"), &mut defs);
    // The prelude cannot be redefined; the framework file is in every group already.
    defs.retain(|p| {
        let name = p.file_name().unwrap().to_string_lossy();
        name != "prelude.smithy" && name != "smithy.framework.validation.smithy"
    });
    let mut failures = Vec::new();
    for (name, mut paths) in protocol_groups(&root) {
        paths.extend(defs.iter().cloned());
        match check(&read(&paths)) {
            Ok(warnings) => {
                println!("ok   {name}");
                for w in warnings {
                    println!("     warning: {w}");
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(failures.is_empty(), "{} groups have errors", failures.len());
}

/// Our definitions and Smithy's own files (loaded as model shapes) find the same
/// problems at the same places.
#[test]
fn our_definitions_agree_with_the_official_ones() {
    let Some(root) = shared() else { return };
    let mut defs = Vec::new();
    smithy_files(&root.join("smithy/traits"), &mut defs);
    defs.retain(|p| p.file_name().unwrap() != "prelude.smithy");
    for text in [BAD_TEST_CASES, BAD_WAITERS_AND_RULES] {
        let ours: Vec<String> = errors(&idl(text)).into_iter().map(|d| d.path).collect();
        let mut with_defs = read(&defs);
        with_defs.push(Source::new("test.smithy", text));
        let theirs: Vec<String> = errors(&with_defs).into_iter().map(|d| d.path).collect();
        assert_eq!(ours, theirs);
    }
}

/// Every trait that Smithy's definition files define has a definition here.
#[test]
fn every_shipped_trait_is_known() {
    let Some(root) = shared() else { return };
    let mut paths = Vec::new();
    smithy_files(&root.join("smithy/traits"), &mut paths);
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let docs = codegen::idl::load_files(&files, &Default::default()).unwrap();
    let mut traits = Vec::new();
    for d in &docs {
        for (id, shape) in d.value["shapes"].as_object().unwrap() {
            if shape["traits"].get("smithy.api#trait").is_some() {
                traits.push(id.clone());
            }
        }
    }
    let missing: Vec<&String> = traits
        .iter()
        .filter(|t| !codegen::traits::is_known_trait(t))
        .collect();
    println!("{} traits defined by the files", traits.len());
    assert!(missing.is_empty(), "no definition for {missing:?}");
    assert_eq!(traits.len(), codegen::traits::known_trait_count());
}

/// JSON's `-0` (which the JSON reader gives as the float -0.0) is an integer default
/// of every integer type; `-1.5` is none.
#[test]
fn negative_zero_is_an_integer_default() {
    let model = |default: &str| {
        json(&format!(
            r#"{{"smithy": "2.0", "shapes": {{
            "ex#S": {{"type": "structure", "members": {{
                "b": {{"target": "smithy.api#Byte", "traits": {{"smithy.api#default": {default}}}}},
                "i": {{"target": "smithy.api#Integer", "traits": {{"smithy.api#default": {default}}}}},
                "l": {{"target": "smithy.api#Long", "traits": {{"smithy.api#default": {default}}}}},
                "n": {{"target": "smithy.api#BigInteger", "traits": {{"smithy.api#default": {default}}}}}
            }}}}}}}}"#
        ))
    };
    check(&model("-0")).expect("-0 is a valid integer default");
    let ds = errors(&model("-1.5"));
    for m in ["b", "i", "l", "n"] {
        at(
            &ds,
            &format!(r#"$.shapes["ex#S"].members.{m}.traits["smithy.api#default"]"#),
            "-1.5 is not a valid default",
        );
    }
}
