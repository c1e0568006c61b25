//! Snake-case names match the official AWS SDK for Rust's, over the whole table of
//! names it produces across AWS models (`../shared/smithy-rs/snake-case-names.csv`).

use std::path::PathBuf;

#[test]
fn snake_case_matches_the_official_sdk_table() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/smithy-rs/snake-case-names.csv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is not there", path.display());
        return;
    };
    let mut total = 0;
    let mut wrong = Vec::new();
    for line in text.lines() {
        let Some((name, expected)) = line.split_once(',') else {
            continue;
        };
        total += 1;
        let ours = codegen::names::snake_case(name);
        if ours != expected {
            wrong.push(format!("{name}: ours `{ours}`, official `{expected}`"));
        }
    }
    assert!(total > 60_000, "the table has {total} names");
    assert!(
        wrong.is_empty(),
        "{} of {total} names differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
