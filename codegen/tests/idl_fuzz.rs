//! The IDL loader never panics and never hangs, whatever the input: arbitrary bytes,
//! token soup, and valid files with random bytes deleted, inserted or replaced.

use codegen::idl;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Small valid files of our own, used when `../shared` is absent.
const SEEDS: &[&str] = &[
    "$version: \"2.0\"\nmetadata m = [1, -2.5e3, {a: \"b\"}, null, true]\nnamespace ex\n\nuse smithy.api#String\n\n/// Docs\n@mixin\nstructure M {\n    @required id: String = \"x\"\n}\n\nstructure S with [M] { $id, other: Integer }\n\nlist L { member: S }\nmap Mp { key: String, value: L }\nenum E { A = \"a\"\n B }\nintEnum I {\n A = 1\n B = 2\n}\n",
    "$version: \"2\"\nnamespace ex\nresource R { identifiers: { id: String }, properties: { p: Integer }, read: Get }\n@readonly\noperation Get {\n    input := for R { @required $id }\n    output := with [O] { $p }\n    errors: [Err]\n}\n@mixin\nstructure O { p: Integer }\n@error(\"client\")\nstructure Err {}\nservice Svc { version: \"1\", operations: [Get], rename: { \"ex#Err\": \"Oops\" } }\napply Get @documentation(\"\"\"\n    text\n    block\n    \"\"\")\napply Err { @sensitive @tags([\"a\"]) }\n",
    "namespace v1\nset S { member: String }\nstructure T { @box a: PrimitiveInteger, b: Integer }\n@documentation(T)\nstring U\n",
];

fn corpus() -> &'static [String] {
    static CORPUS: OnceLock<Vec<String>> = OnceLock::new();
    CORPUS.get_or_init(read_corpus)
}

fn read_corpus() -> Vec<String> {
    let mut out: Vec<String> = SEEDS.iter().map(|s| s.to_string()).collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/smithy/idl/valid");
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "smithy") {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    out.push(t);
                }
            }
        }
    }
    out.sort();
    out
}

/// Parses and resolves; panics (failing the test) only if the loader panics or is slow.
fn load(text: &str) {
    let start = Instant::now();
    let files = vec![("fuzz.smithy".to_string(), text.to_string())];
    match idl::load_files(&files, &BTreeSet::new()) {
        Ok(docs) => assert_eq!(docs.len(), 1),
        Err(e) => {
            assert!(
                e.line >= 1 && e.column >= 1,
                "error without a position: {e:?}"
            );
            let _ = e.to_string();
        }
    }
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "slow input ({:?}): {text:?}",
        start.elapsed()
    );
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Replace(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..8).prop_map(|(at, n)| Edit::Delete(at, n)),
        (
            any::<usize>(),
            prop::collection::vec(interesting_byte(), 1..6)
        )
            .prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<usize>(), interesting_byte()).prop_map(|(at, b)| Edit::Replace(at, b)),
    ]
}

fn interesting_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => prop::sample::select(b"{}[]():=@$#.,\"\\/\n \t-0123456789eEa_ZuU".to_vec()),
        1 => any::<u8>(),
    ]
}

const TOKENS: &[&str] = &[
    "$version",
    ":",
    "\"2.0\"",
    "\"1.0\"",
    "metadata",
    "namespace",
    "ns.a",
    "use",
    "ns.b#X",
    "apply",
    "structure",
    "union",
    "list",
    "set",
    "map",
    "enum",
    "intEnum",
    "service",
    "resource",
    "operation",
    "string",
    "integer",
    "with",
    "for",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    "@",
    "$",
    "#",
    "=",
    ":=",
    "input",
    "output",
    "errors",
    "member",
    "key",
    "value",
    "Foo",
    "Bar",
    "String",
    "\"s\"",
    "\"\"\"\n  t\n  \"\"\"",
    "1",
    "-2.5",
    "true",
    "null",
    "///doc",
    "// c",
    "\n",
    " ",
    ",",
    "identifiers",
    "properties",
    "mixin",
    "trait",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        load(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup(tokens in prop::collection::vec(prop::sample::select(TOKENS.to_vec()), 0..80)) {
        load(&tokens.join(" "));
        load(&tokens.concat());
    }

    #[test]
    fn mutated_valid_files(pick in any::<prop::sample::Index>(), edits in prop::collection::vec(edit(), 1..6)) {
        let corpus = corpus();
        let mut bytes = pick.get(corpus).clone().into_bytes();
        for e in edits {
            let len = bytes.len();
            match e {
                Edit::Delete(at, n) if len > 0 => {
                    let at = at % len;
                    let end = (at + n).min(len);
                    bytes.drain(at..end);
                }
                Edit::Insert(at, b) => {
                    let at = at % (len + 1);
                    bytes.splice(at..at, b);
                }
                Edit::Replace(at, b) if len > 0 => bytes[at % len] = b,
                _ => {}
            }
        }
        load(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn the_seeds_load() {
    for s in SEEDS {
        let files = vec![("seed.smithy".to_string(), s.to_string())];
        if let Err(e) = idl::load_files(&files, &BTreeSet::new()) {
            panic!("{e}");
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for open in ["[", "{a: ", "[{a: "] {
        let text = format!("metadata m = {}\n", open.repeat(100_000));
        let files = vec![("deep.smithy".to_string(), text)];
        let e = idl::load_files(&files, &BTreeSet::new()).unwrap_err();
        assert!(e.message.contains("nested"), "{e}");
    }
    // Within the limit is fine.
    let text = format!("metadata m = {}{}\n", "[".repeat(60), "]".repeat(60));
    assert!(idl::load_files(&[("ok.smithy".into(), text)], &BTreeSet::new()).is_ok());
}

#[test]
fn mixin_cycles_are_rejected() {
    let text = "$version: \"2\"\nnamespace ns\n@mixin\nstructure A with [B] { $x }\n@mixin\nstructure B with [A, C] {}\n@mixin\nstructure C with [A, B] {}\n";
    let files = vec![("cycle.smithy".to_string(), text.to_string())];
    let e = idl::load_files(&files, &BTreeSet::new()).unwrap_err();
    assert!(e.message.contains("cycle"), "{e}");
}
