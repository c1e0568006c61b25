//! Runs the `smithy.rules#endpointTests` of the AWS models in `shared/models` against
//! the endpoint rules engine, and checks the engine on small hand-written rule sets.

use smithy_runtime::endpoint::{
    resolve, resolve_with, rules::Rule, ErrorKind, ParamValue, Params, Partitions, RuleSet,
};
use smithy_runtime::json::Parser;
use smithy_runtime::Document;
use std::collections::HashMap;
use std::path::PathBuf;

/// `SMITHY_MODELS` when set (as `.ci/run` sets it), else `../shared/models` beside the
/// checkout.
fn models_dir() -> PathBuf {
    match std::env::var_os("SMITHY_MODELS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/models"),
    }
}

fn obj(d: &Document) -> Option<&HashMap<String, Document>> {
    match d {
        Document::Object(m) => Some(m),
        _ => None,
    }
}

fn str_of(d: Option<&Document>) -> Option<&str> {
    match d {
        Some(Document::String(s)) => Some(s),
        _ => None,
    }
}

/// The test case's `params` as endpoint parameters.
fn params_of(d: Option<&Document>) -> Result<Params, String> {
    let mut params = Params::new();
    let Some(map) = d.and_then(obj) else {
        return Ok(params);
    };
    for (name, value) in map {
        let value = match value {
            Document::String(s) => ParamValue::String(s.clone()),
            Document::Bool(b) => ParamValue::Bool(*b),
            Document::Array(items) => ParamValue::StringArray(
                items
                    .iter()
                    .map(|i| match i {
                        Document::String(s) => Ok(s.clone()),
                        other => Err(format!("param {name}: array element {other:?}")),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            other => return Err(format!("param {name}: unsupported value {other:?}")),
        };
        params.set(name.clone(), value);
    }
    Ok(params)
}

/// Checks one test case; `Err` says why it failed.
fn run_case(rules: &RuleSet, case: &HashMap<String, Document>) -> Result<(), String> {
    let params = params_of(case.get("params"))?;
    let expect = case
        .get("expect")
        .and_then(obj)
        .ok_or("no `expect` object")?;
    let got = resolve(rules, &params);
    if let Some(message) = str_of(expect.get("error")) {
        return match got {
            Err(e) if e.message() == message => Ok(()),
            Err(e) => Err(format!(
                "expected error {message:?}, got error {:?}",
                e.message()
            )),
            Ok(ep) => Err(format!(
                "expected error {message:?}, got endpoint {}",
                ep.url
            )),
        };
    }
    let want = expect
        .get("endpoint")
        .and_then(obj)
        .ok_or("`expect` has neither `error` nor `endpoint`")?;
    let ep = got.map_err(|e| format!("expected an endpoint, got error {:?}", e.message()))?;
    let want_url = str_of(want.get("url")).ok_or("expected endpoint has no url")?;
    if ep.url != want_url {
        return Err(format!("url: expected {want_url:?}, got {:?}", ep.url));
    }
    let want_headers: HashMap<String, Vec<String>> = match want.get("headers").and_then(obj) {
        Some(h) => h
            .iter()
            .map(|(k, v)| {
                let values = match v {
                    Document::Array(items) => items
                        .iter()
                        .filter_map(|i| str_of(Some(i)).map(str::to_string))
                        .collect(),
                    _ => Vec::new(),
                };
                (k.clone(), values)
            })
            .collect(),
        None => HashMap::new(),
    };
    let got_headers: HashMap<String, Vec<String>> = ep.headers.clone().into_iter().collect();
    if got_headers != want_headers {
        return Err(format!(
            "headers: expected {want_headers:?}, got {got_headers:?}"
        ));
    }
    let want_props = match want.get("properties") {
        Some(Document::Object(m)) => Document::Object(m.clone()),
        _ => Document::Object(HashMap::new()),
    };
    let got_props = Document::Object(ep.properties.clone().into_iter().collect());
    if got_props != want_props {
        return Err(format!(
            "properties: expected {want_props:?}, got {got_props:?}"
        ));
    }
    Ok(())
}

#[test]
fn aws_model_endpoint_tests() {
    let dir = models_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("endpoint tests skipped: no models at {}", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut total_failed = 0;
    let mut total_cases = 0;
    for file in files {
        let text = std::fs::read(&file).expect("read model");
        let mut parser = Parser::new(&text);
        let model = parser.document().expect("model is JSON");
        let shapes = obj(&model)
            .and_then(|m| m.get("shapes"))
            .and_then(obj)
            .expect("model has shapes");
        let mut services: Vec<(&String, &HashMap<String, Document>)> = shapes
            .iter()
            .filter_map(|(id, s)| obj(s).map(|s| (id, s)))
            .filter(|(_, s)| str_of(s.get("type")) == Some("service"))
            .collect();
        services.sort_by_key(|(id, _)| *id);
        for (id, service) in services {
            let traits = service.get("traits").and_then(obj);
            let Some(rule_set) = traits.and_then(|t| t.get("smithy.rules#endpointRuleSet")) else {
                println!("endpoint tests {id}: no endpointRuleSet");
                continue;
            };
            let name = traits
                .and_then(|t| t.get("aws.api#service"))
                .and_then(obj)
                .and_then(|s| str_of(s.get("sdkId")))
                .unwrap_or(id)
                .to_string();
            let rules = match RuleSet::from_document(rule_set) {
                Ok(r) => r,
                Err(e) => {
                    println!("endpoint tests {name}: rule set does not parse: {e}");
                    total_failed += 1;
                    continue;
                }
            };
            // The cases run on the rule set as a generated client reads it: written in
            // the compact form and read back, the same rule set.
            let compact = rules.to_compact();
            let rules = match RuleSet::from_compact(&compact) {
                Ok(back) if back == rules => back,
                Ok(_) => panic!("{name}: the compact form reads back as another rule set"),
                Err(e) => panic!("{name}: the compact form does not read back: {e}"),
            };
            let cases: &[Document] = match traits
                .and_then(|t| t.get("smithy.rules#endpointTests"))
                .and_then(obj)
                .and_then(|t| t.get("testCases"))
            {
                Some(Document::Array(c)) => c,
                _ => &[],
            };
            let (mut passed, mut failed) = (0, 0);
            let mut failures = Vec::new();
            for (i, case) in cases.iter().enumerate() {
                let Some(case) = obj(case) else { continue };
                match run_case(&rules, case) {
                    Ok(()) => passed += 1,
                    Err(why) => {
                        failed += 1;
                        let doc = str_of(case.get("documentation")).unwrap_or("");
                        failures.push(format!("  case {i} ({doc}): {why}"));
                    }
                }
            }
            println!("endpoint tests {name}: {passed} passed, {failed} failed");
            for f in &failures {
                println!("{f}");
            }
            total_failed += failed;
            total_cases += passed + failed;
        }
    }
    println!("endpoint tests: {total_cases} cases, {total_failed} failed");
    assert_eq!(total_failed, 0, "endpoint test cases failed (see above)");
}

const SMALL: &str = r#"{
    "version": "1.1",
    "parameters": {
        "Region": {"type": "String", "builtIn": "AWS::Region", "documentation": "region"},
        "UseFIPS": {"type": "Boolean", "required": true, "default": false, "documentation": "fips"},
        "Bucket": {"type": "String", "documentation": "bucket",
                   "deprecated": {"message": "use Key", "since": "2020-01-01"}},
        "Arns": {"type": "stringArray", "documentation": "arns"},
        "Mode": {"type": "string", "required": true, "documentation": "mode"}
    },
    "rules": [
        {"type": "error", "documentation": "a custom error",
         "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Mode"}, "fail"]}],
         "error": "failing in {Region} with {{braces}}"},
        {"type": "tree",
         "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Mode"}, "arn"]},
                        {"fn": "getAttr", "argv": [{"ref": "Arns"}, "[-1]"], "assign": "Last"},
                        {"fn": "aws.parseArn", "argv": [{"ref": "Last"}], "assign": "arn"}],
         "rules": [
            {"type": "endpoint",
             "conditions": [{"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[1]"], "assign": "table"}],
             "endpoint": {"url": "https://{arn#accountId}.{table}.example.com",
                          "headers": {"x-arn": ["{arn#service}", {"fn": "uriEncode", "argv": ["{Last}"]}]},
                          "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{arn#region}",
                                                          "disableDoubleEncoding": true, "weight": 2}],
                                         "meta": {"nested": ["a", "{arn#partition}"]}}}}
         ]},
        {"type": "tree",
         "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Mode"}, "url"]},
                        {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
                        {"fn": "parseURL", "argv": [{"ref": "Bucket"}], "assign": "url"}],
         "rules": [
            {"type": "endpoint",
             "conditions": [{"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "url"}, "isIp"]}, true]}],
             "endpoint": {"url": "{url#scheme}://{url#authority}{url#normalizedPath}ip"}},
            {"type": "endpoint",
             "conditions": [{"fn": "substring", "argv": ["{url#authority}", 0, 3, true], "assign": "tail"}],
             "endpoint": {"url": "https://{tail}.{url#authority}{url#path}"}}
         ]},
        {"type": "endpoint",
         "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Mode"}, "v11"]},
                        {"fn": "split", "argv": ["a--b--c", "--", 0], "assign": "parts"},
                        {"fn": "coalesce", "argv": [{"ref": "Bucket"}, {"fn": "getAttr", "argv": [{"ref": "parts"}, "[1]"]}], "assign": "name"},
                        {"fn": "ite", "argv": [{"ref": "UseFIPS"}, "-fips", ""], "assign": "suffix"}],
         "endpoint": {"url": "https://{name}{suffix}.example.com"}},
        {"type": "tree",
         "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Mode"}, "tree"]}],
         "rules": [
            {"type": "endpoint", "conditions": [{"fn": "not", "argv": [true]}], "endpoint": {"url": "https://never"}}
         ]},
        {"type": "tree",
         "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]},
                        {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
         "rules": [
            {"type": "error",
             "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]},
                            {"fn": "booleanEquals", "argv": [false, {"fn": "getAttr", "argv": [{"ref": "p"}, "supportsFIPS"]}]}],
             "error": "no FIPS in {p#name}"},
            {"type": "endpoint",
             "conditions": [{"fn": "isValidHostLabel", "argv": [{"ref": "Region"}, false]}],
             "endpoint": {"url": "https://svc.{Region}.{p#dnsSuffix}",
                          "properties": {"global": "{p#implicitGlobalRegion}"}}},
            {"type": "error", "conditions": [], "error": "bad region {Region}"}
         ]}
    ]
}"#;

fn small() -> RuleSet {
    RuleSet::from_json(SMALL).expect("small rule set parses")
}

#[test]
fn parameters_are_described() {
    let rules = small();
    assert_eq!(rules.version(), "1.1");
    let region = rules.parameter_for_built_in("AWS::Region").unwrap();
    assert_eq!(region.name(), "Region");
    assert!(!region.required());
    let fips = rules.parameter("UseFIPS").unwrap();
    assert_eq!(fips.default(), Some(&ParamValue::Bool(false)));
    let bucket = rules.parameter("Bucket").unwrap();
    assert_eq!(
        bucket.deprecated().unwrap().since.as_deref(),
        Some("2020-01-01")
    );
    assert_eq!(rules.rules().len(), 6);
    assert!(matches!(rules.rules()[0], Rule::Error { .. }));
}

#[test]
fn required_defaults_and_types() {
    let rules = small();
    let e = resolve(&rules, &Params::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MissingParameter);
    assert!(e.message().contains("Mode"), "{e}");
    let e = resolve(&rules, &Params::new().with("Mode", true)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidParameter);
    assert!(e.to_string().contains("must be a string"), "{e}");
    // Defaults fill in; unknown names are ignored.
    let p = Params::new()
        .with("Mode", "x")
        .with("Region", "us-west-2")
        .with("Other", "ignored");
    let ep = resolve(&rules, &p).unwrap();
    assert_eq!(ep.url, "https://svc.us-west-2.amazonaws.com");
    assert_eq!(
        ep.property("global"),
        Some(&Document::String("us-east-1".into()))
    );
    assert!(ep.headers.is_empty());
}

#[test]
fn error_rules_fill_templates() {
    let rules = small();
    let p = Params::new().with("Mode", "fail").with("Region", "r1");
    let e = resolve(&rules, &p).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Rule);
    assert_eq!(e.message(), "failing in r1 with {braces}");
    assert_eq!(e.to_string(), "failing in r1 with {braces}");
    let p = Params::new().with("Mode", "x").with("Region", "bad region");
    assert_eq!(
        resolve(&rules, &p).unwrap_err().message(),
        "bad region bad region"
    );
}

#[test]
fn exhausted_rules_are_errors() {
    let rules = small();
    let e = resolve(&rules, &Params::new().with("Mode", "tree")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoMatch);
    let e = resolve(&rules, &Params::new().with("Mode", "x")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoMatch);
}

#[test]
fn arns_headers_and_properties() {
    let rules = small();
    let arns: &[&str] = &[
        "not an arn",
        "arn:aws:dynamodb:us-east-1:123456789012:table/my table",
    ];
    let p = Params::new().with("Mode", "arn").with("Arns", arns);
    let ep = resolve(&rules, &p).unwrap();
    assert_eq!(ep.url, "https://123456789012.my table.example.com");
    assert_eq!(
        ep.header("x-arn").unwrap(),
        [
            "dynamodb",
            "arn%3Aaws%3Adynamodb%3Aus-east-1%3A123456789012%3Atable%2Fmy%20table"
        ]
    );
    let mut scheme = HashMap::new();
    scheme.insert("name".to_string(), Document::from("sigv4"));
    scheme.insert("signingRegion".to_string(), Document::from("us-east-1"));
    scheme.insert("disableDoubleEncoding".to_string(), Document::from(true));
    scheme.insert("weight".to_string(), Document::from(2));
    assert_eq!(
        *ep.property("authSchemes").unwrap(),
        Document::Array(vec![Document::Object(scheme)])
    );
    let mut meta = HashMap::new();
    meta.insert(
        "nested".to_string(),
        Document::Array(vec!["a".into(), "aws".into()]),
    );
    assert_eq!(*ep.property("meta").unwrap(), Document::Object(meta));
    // Sorted by name, each once, whatever the rule set's order.
    let names: Vec<&str> = ep.properties.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["authSchemes", "meta"]);
    assert_eq!(ep.header("x-missing"), None);
    assert_eq!(ep.property("missing"), None);
    // Not an ARN: the tree's conditions fail and later rules run.
    let p = Params::new()
        .with("Mode", "arn")
        .with("Arns", vec!["nope".to_string()]);
    assert_eq!(resolve(&rules, &p).unwrap_err().kind(), ErrorKind::NoMatch);
}

#[test]
fn urls() {
    let rules = small();
    let run = |bucket: &str| {
        let p = Params::new().with("Mode", "url").with("Bucket", bucket);
        resolve(&rules, &p).map(|e| e.url)
    };
    assert_eq!(
        run("http://10.0.0.1:8080/a").unwrap(),
        "http://10.0.0.1:8080/a/ip"
    );
    assert_eq!(
        run("https://example.com/p").unwrap(),
        "https://com.example.com/p"
    );
    // A query string is not a URL the rules accept.
    assert!(run("https://example.com/p?x=1").is_err());
}

#[test]
fn rules_1_1_functions() {
    let rules = small();
    let p = Params::new().with("Mode", "v11");
    assert_eq!(resolve(&rules, &p).unwrap().url, "https://b.example.com");
    let p = Params::new()
        .with("Mode", "v11")
        .with("Bucket", "mine")
        .with("UseFIPS", true);
    assert_eq!(
        resolve(&rules, &p).unwrap().url,
        "https://mine-fips.example.com"
    );
}

#[test]
fn partitions_by_region_and_custom_tables() {
    let rules = small();
    let run = |region: &str, fips: bool| {
        let p = Params::new()
            .with("Mode", "x")
            .with("Region", region)
            .with("UseFIPS", fips);
        resolve(&rules, &p)
    };
    assert_eq!(
        run("cn-north-1", false).unwrap().url,
        "https://svc.cn-north-1.amazonaws.com.cn"
    );
    // Unknown regions: by pattern, then the `aws` partition.
    assert_eq!(
        run("us-isob-west-9", false).unwrap().url,
        "https://svc.us-isob-west-9.sc2s.sgov.gov"
    );
    assert_eq!(
        run("local", false).unwrap().url,
        "https://svc.local.amazonaws.com"
    );
    // A custom table.
    let mut custom = Partitions::aws().clone();
    let mut partitions: Vec<_> = custom.partitions().to_vec();
    partitions[0].outputs.supports_fips = false;
    partitions[0].outputs.dns_suffix = "example.org".into();
    custom = Partitions::new(partitions);
    let p = Params::new()
        .with("Mode", "x")
        .with("Region", "us-east-1")
        .with("UseFIPS", true);
    assert_eq!(
        resolve_with(&rules, &p, &custom).unwrap_err().message(),
        "no FIPS in aws"
    );
    let p = Params::new().with("Mode", "x").with("Region", "us-east-1");
    assert_eq!(
        resolve_with(&rules, &p, &custom).unwrap().url,
        "https://svc.us-east-1.example.org"
    );
}

#[test]
fn evaluation_errors_are_reported_not_panics() {
    let text = r#"{"version": "1.0", "parameters": {
        "A": {"type": "string", "documentation": "a"},
        "B": {"type": "boolean", "documentation": "b"}},
      "rules": [
        {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "B"}, true]}],
         "endpoint": {"url": "https://{A}"}},
        {"type": "endpoint", "conditions": [{"fn": "stringEquals", "argv": [{"ref": "B"}, "x"]}],
         "endpoint": {"url": "https://x"}}
      ]}"#;
    let rules = RuleSet::from_json(text).unwrap();
    let e = resolve(&rules, &Params::new().with("B", true)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Evaluation);
    assert!(e.message().contains("`A`"), "{e}");
    let e = resolve(&rules, &Params::new().with("B", false)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Evaluation);
    assert!(e.message().contains("must be a string"), "{e}");
    let e = resolve(&rules, &Params::new()).unwrap_err();
    assert!(e.message().contains("not set"), "{e}");
}

#[test]
fn rule_sets_are_shareable_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<RuleSet>();
    assert_send_sync::<Partitions>();
    assert_send_sync::<Params>();
}

/// Times parsing and resolving with the DynamoDB rule set and its test parameters.
/// Run with `cargo test --release -p smithy-runtime --test endpoint_rules -- --ignored --nocapture`.
#[test]
#[ignore = "timing, not a check"]
fn resolve_timing() {
    let path = models_dir().join("dynamodb-2012-08-10.json");
    let Ok(text) = std::fs::read(&path) else {
        println!("timing skipped: no {}", path.display());
        return;
    };
    let model = Parser::new(&text).document().expect("model is JSON");
    let service = obj(&model)
        .and_then(|m| m.get("shapes"))
        .and_then(obj)
        .and_then(|s| {
            s.values()
                .find(|s| obj(s).and_then(|s| str_of(s.get("type"))) == Some("service"))
        })
        .and_then(obj)
        .and_then(|s| s.get("traits"))
        .and_then(obj)
        .expect("service traits");
    let rule_set = &service["smithy.rules#endpointRuleSet"];
    let start = std::time::Instant::now();
    let n = 200;
    for _ in 0..n {
        RuleSet::from_document(rule_set).expect("parses");
    }
    println!(
        "parse (from document): {:?} per rule set",
        start.elapsed() / n
    );
    let rules = RuleSet::from_document(rule_set).expect("parses");
    let cases: Vec<Params> = match &service["smithy.rules#endpointTests"] {
        Document::Object(t) => match t.get("testCases") {
            Some(Document::Array(c)) => c
                .iter()
                .filter_map(|c| obj(c).and_then(|c| params_of(c.get("params")).ok()))
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let typical = Params::new()
        .with("Region", "us-east-1")
        .with("UseFIPS", false)
        .with("UseDualStack", false);
    let rounds = 20_000u32;
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(resolve(&rules, std::hint::black_box(&typical)).is_ok());
    }
    println!("resolve us-east-1: {:?} per call", start.elapsed() / rounds);
    let rounds = 200u32;
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        for p in &cases {
            std::hint::black_box(resolve(&rules, p).is_ok());
        }
    }
    let calls = rounds * u32::try_from(cases.len()).unwrap_or(1);
    println!(
        "resolve, all {} DynamoDB test cases: {:?} per call",
        cases.len(),
        start.elapsed() / calls
    );
}

/// Every mode of `SMALL`, so that evaluation walks each of its rules.
fn small_params() -> Vec<Params> {
    let arns: &[&str] = &["arn:aws:dynamodb:us-east-1:123456789012:table/t"];
    ["fail", "arn", "url", "v11", "tree", "region"]
        .iter()
        .map(|mode| {
            Params::new()
                .with("Mode", *mode)
                .with("Region", "us-west-2")
                .with("Bucket", "https://example.com/a")
                .with("Arns", arns)
        })
        .collect()
}

#[test]
fn the_compact_form_reads_back_and_resolves_alike() {
    let rules = small();
    let compact = rules.to_compact();
    assert!(compact.starts_with("R1"), "{compact}");
    let back = RuleSet::from_compact(&compact).unwrap();
    assert_eq!(back, rules);
    for p in small_params() {
        assert_eq!(resolve(&back, &p), resolve(&rules, &p));
    }
    // Text in documentation survives as it is: colons, digits, quotes, non-ASCII.
    let odd = SMALL.replace("\"region\"", "\"12:34; \\\"é\\\" -\"");
    let rules = RuleSet::from_json(&odd).unwrap();
    assert_eq!(RuleSet::from_compact(&rules.to_compact()).unwrap(), rules);
}

#[test]
fn broken_compact_forms_are_refused_with_where_never_a_panic() {
    let compact = small().to_compact();
    // Every truncation is refused.
    for end in 0..compact.len() {
        if let Some(prefix) = compact.get(..end) {
            let e = RuleSet::from_compact(prefix).expect_err("a truncated rule set is refused");
            assert!(
                e.to_string().contains("not a compact rule set (byte "),
                "{e}"
            );
        }
    }
    // Any one byte changed: refused, or read as some other rule set that evaluates
    // to a result or an error (never a panic).
    let params = small_params();
    for at in 0..compact.len() {
        if !compact.is_char_boundary(at) || !compact.is_char_boundary(at + 1) {
            continue;
        }
        for b in [
            "0", "9", ";", ":", "-", "s", "r", "c", "T", "E", "a", "g", "n", "x",
        ] {
            let mut text = compact.clone();
            text.replace_range(at..at + 1, b);
            if let Ok(rules) = RuleSet::from_compact(&text) {
                for p in &params {
                    let _ = resolve(&rules, p);
                }
            }
        }
    }
    // What evaluation relies on is checked as the text is read.
    let refused = |text: &str, why: &str| {
        let e = RuleSet::from_compact(text).expect_err(text);
        assert!(e.to_string().contains(why), "{text}: {e}");
    };
    refused("", "does not start with");
    refused("{\"version\":\"1.0\"}", "does not start with");
    // One slot, and a reference to a second.
    refused("R13:1.01;0;1;E0;r1:A1;0;0;-", "past the rule set's slots");
    // `not` takes one argument.
    refused(
        "R13:1.01;0;1;X1;c3:not2;tf-sx1:e-",
        "wrong number of arguments",
    );
    refused("R13:1.01;0;1;X1;c4:nope0;-sx1:e-", "unknown function");
    refused("R13:1.00;0;0;junk", "text after the rule set");
    refused("R13:1.00;0;99999999999999999999999;", "out of range");
    refused("R13:1.00;0;5;", "more items than bytes left");
    // A parameter whose default is of another type.
    refused("R13:1.01;1;1:Ab-0s1:x--0;", "another type");
    // Nesting beyond the limit: trees in trees.
    let deep = format!("R13:1.00;0;{}", "1;T0;".repeat(100_000));
    refused(&deep, "nested too deep");
    let deep_expr = format!("R13:1.00;0;1;X0;{}", "a1;".repeat(100_000));
    refused(&deep_expr, "nested too deep");
    // Within the limit it reads: an error rule, then `rules` never matches.
    let ok = "R13:1.00;0;1;X0;s1;x2:ok-";
    let rules = RuleSet::from_compact(ok).unwrap();
    assert_eq!(resolve(&rules, &Params::new()).unwrap_err().message(), "ok");
}
