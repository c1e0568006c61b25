//! Smithy's own IDL conformance material (`../shared/smithy`, see its README):
//!
//! - every `idl/valid/**/X.smithy` (+ `__shared.json`) loads to the same model as
//!   `X.json` (+ `__shared.json`);
//! - every `idl/invalid/**/*.smithy` is rejected with a line and column, never a panic;
//! - every protocol-test folder loads;
//! - the trait definition files parse, and `prelude_and_known_traits()` knows every
//!   shape they define.

use codegen::idl::{self, ExternalShape};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/smithy");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("note: {} is absent; skipping", dir.display());
        None
    }
}

fn files_with_ext(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_with_ext(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

/// serde_json (without arbitrary precision) rejects numbers beyond `f64`; the loader
/// keeps those as strings holding the literal, so quote them here too.
fn parse_json_lenient(text: &str) -> Value {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            out.push(c as char);
            if c == b'\\' && i + 1 < b.len() {
                out.push(b[i + 1] as char);
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_str = true;
            out.push('"');
            i += 1;
            continue;
        }
        if c == b'-' || c.is_ascii_digit() {
            let s = i;
            while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                i += 1;
            }
            let lit = &text[s..i];
            let is_float = lit.contains(['.', 'e', 'E']);
            if is_float && lit.parse::<f64>().is_ok_and(|f| f.is_infinite()) {
                out.push('"');
                out.push_str(&lit.replace('e', "E"));
                out.push('"');
            } else {
                out.push_str(lit);
            }
            continue;
        }
        // Keep multi-byte chars intact.
        let ch = text[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON: {e}"))
}

/// Sorts object keys recursively (for stable printing).
fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let sorted: BTreeMap<&String, Value> =
                m.iter().map(|(k, v)| (k, canonical(v))).collect();
            Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// Puts `apply` entries into their shapes, drops empty shape properties and prelude
/// shapes, and spells out the implied operation `Unit`s, so that two documents of the
/// same model compare equal.
fn normalize(doc: &Value) -> (BTreeMap<String, Value>, Value) {
    let mut doc = doc.clone();
    idl::upgrade_v1(&mut doc);
    let mut shapes: BTreeMap<String, Value> = BTreeMap::new();
    let mut applies: Vec<(String, Value)> = Vec::new();
    if let Some(Value::Object(m)) = doc.get("shapes") {
        for (id, s) in m {
            if id.starts_with("smithy.api#") {
                continue;
            }
            if s.get("type").and_then(Value::as_str) == Some("apply") {
                applies.push((id.clone(), s.get("traits").cloned().unwrap_or(Value::Null)));
            } else {
                shapes.insert(id.clone(), s.clone());
            }
        }
    }
    for (id, traits) in applies {
        let (root, member) = match id.split_once('$') {
            Some((r, m)) => (r.to_string(), Some(m.to_string())),
            None => (id.clone(), None),
        };
        let Some(shape) = shapes.get_mut(&root) else {
            continue;
        };
        let target = match &member {
            None => Some(shape),
            Some(m) => {
                if shape.get("members").and_then(|x| x.get(m)).is_some() {
                    shape.get_mut("members").and_then(|x| x.get_mut(m))
                } else {
                    shape.get_mut(m)
                }
            }
        };
        if let (Some(Value::Object(t)), Value::Object(tr)) = (target, traits) {
            let e = t
                .entry("traits")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(e) = e {
                e.extend(tr);
            }
        }
    }
    for s in shapes.values_mut() {
        let Value::Object(o) = s else { continue };
        let is_op = o.get("type").and_then(Value::as_str) == Some("operation");
        let has_mixins = o
            .get("mixins")
            .is_some_and(|m| m.as_array().is_some_and(|a| !a.is_empty()));
        if is_op && !has_mixins {
            for k in ["input", "output"] {
                o.entry(k)
                    .or_insert_with(|| serde_json::json!({"target": "smithy.api#Unit"}));
            }
        }
        o.retain(|_, v| match v {
            Value::Object(m) => !m.is_empty(),
            Value::Array(a) => !a.is_empty(),
            _ => true,
        });
        for key in ["members"] {
            if let Some(Value::Object(ms)) = o.get_mut(key) {
                for m in ms.values_mut() {
                    if let Value::Object(mo) = m {
                        mo.retain(|k, v| {
                            k != "traits" || v.as_object().is_some_and(|t| !t.is_empty())
                        });
                    }
                }
            }
        }
        *s = canonical(s);
    }
    let metadata = canonical(doc.get("metadata").unwrap_or(&Value::Object(Map::new())));
    (shapes, metadata)
}

fn external_from_json(doc: &Value) -> BTreeMap<String, ExternalShape> {
    let mut out = BTreeMap::new();
    let pairs = |v: Option<&Value>| -> Vec<(String, String)> {
        v.and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        let t = v.get("target").and_then(Value::as_str).unwrap_or("");
                        (k.clone(), t.to_string())
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(Value::Object(m)) = doc.get("shapes") {
        for (id, s) in m {
            let ext = ExternalShape {
                shape_type: s
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                members: pairs(s.get("members")),
                identifiers: pairs(s.get("identifiers")),
                properties: pairs(s.get("properties")),
                mixins: s
                    .get("mixins")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|m| {
                                m.get("target").and_then(Value::as_str).map(str::to_string)
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            out.insert(id.clone(), ext);
        }
    }
    out
}

fn short(p: &Path, root: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

#[test]
fn valid_suite_matches_json() {
    let Some(root) = shared() else { return };
    let valid = root.join("idl/valid");
    let shared_text = std::fs::read_to_string(valid.join("__shared.json")).unwrap();
    let shared_doc = parse_json_lenient(&shared_text);
    let external = external_from_json(&shared_doc);
    let mut known = idl::prelude_and_known_traits();
    known.extend(external.keys().cloned());
    let lookup = |id: &str| external.get(id).cloned();
    let (shared_shapes, _) = normalize(&shared_doc);

    let mut cases = Vec::new();
    files_with_ext(&valid, "smithy", &mut cases);
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in &cases {
        let name = short(case, &valid);
        let text = std::fs::read_to_string(case).unwrap();
        let expected_path = case.with_extension("json");
        let expected = parse_json_lenient(&std::fs::read_to_string(&expected_path).unwrap());
        let parsed = match idl::parse(&name, &text) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{name}: parse error:\n{e}"));
                continue;
            }
        };
        let docs = match idl::resolve(std::slice::from_ref(&parsed), &known, &lookup) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{name}: resolve error:\n{e}"));
                continue;
            }
        };
        // Compared as assembled with `__shared.json`, as a model is loaded: assembly
        // also gives enum members without a value their names.
        let assembled = match codegen::assemble::assemble(&[
            codegen::Source::new(name.clone(), text.clone()),
            codegen::Source::new("__shared.json", shared_text.clone()),
        ]) {
            Ok(a) => a,
            Err(e) => {
                failures.push(format!("{name}: assembly error:\n{e}"));
                continue;
            }
        };
        let (mut got, got_meta) = normalize(&assembled.document);
        let (want, want_meta) = normalize(&expected);
        // Shapes of __shared.json are part of both models.
        for id in shared_shapes.keys() {
            got.remove(id);
        }
        let mut diff = String::new();
        for id in want.keys().chain(got.keys()).collect::<BTreeSet<_>>() {
            match (want.get(id), got.get(id)) {
                (Some(w), Some(g)) if w == g => {}
                (w, g) => diff.push_str(&format!(
                    "  shape {id}:\n    expected: {}\n    got:      {}\n",
                    w.map_or("(none)".into(), |v| v.to_string()),
                    g.map_or("(none)".into(), |v| v.to_string())
                )),
            }
        }
        if got_meta != want_meta {
            diff.push_str(&format!(
                "  metadata:\n    expected: {want_meta}\n    got:      {got_meta}\n"
            ));
        }
        // Every shape has a span.
        for id in got.keys() {
            let path = format!("$.shapes[{}]", Value::String(id.clone()));
            if !docs[0].spans.contains_key(&path) {
                diff.push_str(&format!("  no span for {path}\n"));
            }
        }
        // The same file with CRLF line breaks loads to the same document.
        let crlf = text.replace('\n', "\r\n");
        match idl::parse(&name, &crlf).and_then(|p| idl::resolve(&[p], &known, &lookup)) {
            Ok(d) if d[0].value == docs[0].value => {}
            Ok(_) => diff.push_str("  differs with CRLF line breaks\n"),
            Err(e) => diff.push_str(&format!("  fails with CRLF line breaks: {e}\n")),
        }
        if diff.is_empty() {
            println!("ok   {name}");
        } else {
            failures.push(format!("{name}:\n{diff}"));
        }
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    println!(
        "valid: {} of {} pass",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{} valid cases failed", failures.len());
}

#[test]
fn invalid_suite_is_rejected() {
    let Some(root) = shared() else { return };
    let invalid = root.join("idl/invalid");
    let mut cases = Vec::new();
    files_with_ext(&invalid, "smithy", &mut cases);
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in &cases {
        let name = short(case, &invalid);
        let text = std::fs::read_to_string(case).unwrap();
        let theirs = text
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches('/')
            .trim();
        let files = vec![(name.clone(), text.clone())];
        let result = std::panic::catch_unwind(|| idl::load_files(&files, &BTreeSet::new()));
        match result {
            Err(_) => failures.push(format!("{name}: PANIC")),
            Ok(Ok(_)) => failures.push(format!("{name}: accepted (smithy: {theirs})")),
            Ok(Err(e)) => {
                println!(
                    "{name}\n  smithy: {theirs}\n  ours:   {}:{}: {}",
                    e.line, e.column, e.message
                );
                if e.line == 0 || e.column == 0 {
                    failures.push(format!("{name}: error without a position: {e}"));
                }
            }
        }
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    println!(
        "invalid: {} of {} rejected",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} invalid cases not rejected",
        failures.len()
    );
}

/// The protocol-test folders, each with the shared files it needs.
fn protocol_groups(root: &Path) -> Vec<(String, Vec<PathBuf>)> {
    let mut groups = Vec::new();
    for family in ["aws", "smithy"] {
        let dir = root.join("protocol-tests").join(family);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut shared_files: Vec<PathBuf> = Vec::new();
        let mut subdirs: Vec<PathBuf> = Vec::new();
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                subdirs.push(p);
            } else if p.extension().is_some_and(|x| x == "smithy") {
                shared_files.push(p);
            }
        }
        shared_files.sort();
        subdirs.sort();
        for d in subdirs {
            let mut files = shared_files.clone();
            files_with_ext(&d, "smithy", &mut files);
            let name = d
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            groups.push((format!("{family}/{name}"), files));
        }
    }
    groups
}

#[test]
fn protocol_tests_load() {
    let Some(root) = shared() else { return };
    let groups = protocol_groups(&root);
    assert!(!groups.is_empty());
    let mut failures = Vec::new();
    let mut total_bytes = 0;
    let start = Instant::now();
    for (name, paths) in &groups {
        let files: Vec<(String, String)> = paths
            .iter()
            .map(|p| (short(p, &root), std::fs::read_to_string(p).unwrap()))
            .collect();
        total_bytes += files.iter().map(|(_, t)| t.len()).sum::<usize>();
        let t = Instant::now();
        match idl::load_files(&files, &BTreeSet::new()) {
            Ok(docs) => {
                let shapes: usize = docs
                    .iter()
                    .map(|d| d.value["shapes"].as_object().map_or(0, |m| m.len()))
                    .sum();
                println!(
                    "ok   {name}: {} files, {shapes} shapes, {:?}",
                    files.len(),
                    t.elapsed()
                );
            }
            Err(e) => failures.push(format!("{name}:\n{e}")),
        }
    }
    println!(
        "{} groups, {total_bytes} bytes in {:?}",
        groups.len(),
        start.elapsed()
    );
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{} protocol-test groups failed",
        failures.len()
    );
}

#[test]
fn trait_definitions_parse_and_are_known() {
    let Some(root) = shared() else { return };
    let mut paths = Vec::new();
    files_with_ext(&root.join("traits"), "smithy", &mut paths);
    assert!(!paths.is_empty());
    let known = idl::prelude_and_known_traits();
    let mut parsed = Vec::new();
    let mut missing = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).unwrap();
        let f = idl::parse(&short(p, &root), &text).unwrap_or_else(|e| panic!("{e}"));
        for id in f.defined_shapes() {
            if !known.contains(&id) {
                missing.push(id);
            }
        }
        parsed.push(f);
    }
    if let Err(e) = idl::resolve(&parsed, &known, &|_| None) {
        panic!("trait files do not resolve:\n{e}");
    }
    assert!(
        missing.is_empty(),
        "not in prelude_and_known_traits(): {missing:?}"
    );
}

#[test]
fn spans_point_at_definitions() {
    let text = "$version: \"2.0\"\nmetadata \"a.b\" = 1\nnamespace ns\n\n/// Doc\n@input\nstructure Foo {\n    @required\n    bar: String = \"x\"\n}\n\nlist L { member: Foo }\napply Foo$bar @sensitive\n";
    let docs = idl::load_files(&[("m.smithy".into(), text.into())], &BTreeSet::new()).unwrap();
    let spans = &docs[0].spans;
    let at = |p: &str| spans.get(p).map(|s| (s.line, s.column));
    assert_eq!(at("$.metadata[\"a.b\"]"), Some((2, 10)));
    assert_eq!(at("$.shapes[\"ns#Foo\"]"), Some((7, 11)));
    assert_eq!(
        at("$.shapes[\"ns#Foo\"].traits[\"smithy.api#documentation\"]"),
        Some((5, 1))
    );
    assert_eq!(
        at("$.shapes[\"ns#Foo\"].traits[\"smithy.api#input\"]"),
        Some((6, 1))
    );
    assert_eq!(at("$.shapes[\"ns#Foo\"].members.bar"), Some((9, 5)));
    assert_eq!(
        at("$.shapes[\"ns#Foo\"].members.bar.traits[\"smithy.api#required\"]"),
        Some((8, 5))
    );
    assert_eq!(
        at("$.shapes[\"ns#Foo\"].members.bar.traits[\"smithy.api#default\"]"),
        Some((9, 19))
    );
    assert_eq!(
        at("$.shapes[\"ns#Foo\"].members.bar.traits[\"smithy.api#sensitive\"]"),
        Some((13, 15))
    );
    assert_eq!(at("$.shapes[\"ns#L\"].member"), Some((12, 10)));
    let v = &docs[0].value;
    assert_eq!(
        v["shapes"]["ns#Foo"]["members"]["bar"]["traits"]["smithy.api#default"],
        "x"
    );
    assert_eq!(v["metadata"]["a.b"], 1);
}

#[test]
fn errors_display_like_rustc() {
    let text = "$version: \"2.0\"\nnamespace ns\nstructure Foo {\n    bar: String = \"x\" baz\n}\n";
    let e = idl::load_files(
        &[("model/foo.smithy".into(), text.into())],
        &BTreeSet::new(),
    )
    .unwrap_err();
    assert_eq!((e.line, e.column), (4, 23));
    let shown = e.to_string();
    assert!(shown.starts_with("error: "), "{shown}");
    assert!(shown.contains(" --> model/foo.smithy:4:23"), "{shown}");
    assert!(
        shown.ends_with("4 |     bar: String = \"x\" baz\n  |                       ^"),
        "{shown}"
    );
}
