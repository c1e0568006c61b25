//! The library behind `cargo xtask`: the project's own commands.
//!
//! - `cargo xtask codegen` regenerates `generated/` from `model/`.
//! - `cargo xtask codegen --check` writes nothing and fails if `generated/` is stale.
//! - `cargo xtask codegen --model FILE [--operations A,B] [--service ID] --out DIR`
//!   generates the crates of any model into DIR.

mod tasks;
mod vs_sdk;

use codegen::{Layout, Options, Output};
use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

/// Folders inside a generated crate that people write, not the generator.
const HAND_WRITTEN: &[&str] = &["examples", "tests", "benches"];

/// The repository root.
pub fn repo_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(Path::to_path_buf).unwrap_or(here)
}

pub(crate) const USAGE: &str = "usage:
  cargo xtask test
      run the whole test suite: the workspace's tests, then the client generated from
      the official Network Firewall model against moto (when ../shared/models and
      python3 are there; moto is installed into target/moto-venv)
  cargo xtask bench
      print benchmark figures as `name value unit` lines
  cargo xtask bench --codegen DIR
      time code generation of every model in DIR (.json or .smithy, one model a file):
      in process and as one `xtask codegen` process a model, each and all together
  cargo xtask bench --vs-sdk
      the generated client and the official aws-sdk-networkfirewall side by side, on the
      same in-process bytes, in interleaved rounds: `name ours sdk unit ratio` lines
      (builds the official SDK: minutes)
  cargo xtask codegen [--check]
      regenerate generated/ from model/ (--check: write nothing, fail if stale)
  cargo xtask codegen --model PATH [--model PATH ...] [--operations A,B] [--service ID] [--crate-name NAME] [--protocol-tests] [--endpoint-tests] --out DIR [--check]
      generate the client and paginator crates of any Smithy model into DIR: each PATH is
      a .smithy (IDL) or .json (AST) file or a folder of them, merged into one model;
      --protocol-tests also writes the model's smithy.test cases as tests,
      --endpoint-tests its smithy.rules#endpointTests cases
  cargo xtask codegen --model PATH [--model PATH ...] [--service ID] [--crate-name NAME] --endpoints-only --out DIR [--check]
      a client of no operations, for a service of any protocol: it resolves the service's
      endpoints, and its tests are the model's smithy.rules#endpointTests cases
  cargo xtask ast PATH...
      print the JSON AST of the merged model (as `smithy ast` does)";

struct Args {
    check: bool,
    model: Vec<PathBuf>,
    out: Option<PathBuf>,
    options: Options,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("codegen") => {}
        Some("-h" | "--help") | None => return Err(USAGE.to_string()),
        Some(other) => return Err(format!("unknown command `{other}`\n{USAGE}")),
    }
    let mut a = Args {
        check: false,
        model: Vec::new(),
        out: None,
        options: Options::default(),
    };
    let mut endpoints_only = false;
    while let Some(arg) = it.next() {
        let mut value = |name: &str| match it.next() {
            Some(v) if !v.is_empty() => Ok(v.clone()),
            Some(_) => Err(format!("`{name}` needs a value, not an empty one\n{USAGE}")),
            None => Err(format!("`{name}` needs a value\n{USAGE}")),
        };
        match arg.as_str() {
            "--check" => a.check = true,
            "--model" => a.model.push(PathBuf::from(value("--model")?)),
            "--protocol-tests" => a.options.protocol_tests = true,
            "--endpoint-tests" => a.options.endpoint_tests = true,
            "--endpoints-only" => endpoints_only = true,
            "--out" => a.out = Some(PathBuf::from(value("--out")?)),
            "--service" => a.options.service = Some(value("--service")?),
            "--crate-name" => a.options.crate_name = Some(value("--crate-name")?),
            "--operations" => {
                let ops: Vec<String> = value("--operations")?
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                if ops.is_empty() {
                    return Err("`--operations` needs at least one operation name".into());
                }
                a.options.operations = Some(ops);
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if endpoints_only {
        if a.options.operations.is_some() || a.options.protocol_tests {
            return Err(format!(
                "`--endpoints-only` generates no operations: it goes without `--operations` and `--protocol-tests`\n{USAGE}"
            ));
        }
        a.options.operations = Some(Vec::new());
        a.options.endpoint_tests = true;
    }
    if a.model.is_empty() == a.out.is_some() {
        return Err(format!("`--model` and `--out` go together\n{USAGE}"));
    }
    Ok(a)
}

/// Runs `cargo xtask` with these arguments.
pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("test") if args.len() == 1 => return crate::tasks::test(),
        Some("bench") if args.len() == 1 => return crate::tasks::bench(),
        Some("bench") if args.len() == 2 && args[1] == "--vs-sdk" => {
            return crate::vs_sdk::vs_sdk()
        }
        Some("bench") if args.len() == 3 && args[1] == "--codegen" => {
            return crate::tasks::bench_codegen(Path::new(&args[2]))
        }
        Some("protocol-test") if args.len() == 1 => return crate::tasks::protocol_test_only(),
        Some("ast") => return ast(&args[1..]),
        _ => {}
    }
    let a = parse_args(args)?;
    let root = repo_root();
    let (models, out_dir, workspace) = match (a.model.is_empty(), &a.out) {
        (false, Some(o)) => (a.model.clone(), o.clone(), true),
        _ => (
            model_files(&root.join("model"))?,
            root.join("generated"),
            false,
        ),
    };
    let runtime = root.join("runtime");
    let output = generate(
        &models,
        &a.options,
        &out_dir,
        &runtime,
        workspace,
        a.model.is_empty(),
    )?;
    for w in &output.warnings {
        eprintln!("warning: {w}");
    }
    let fix = if !a.model.is_empty() {
        "rerun the same command without --check".to_string()
    } else {
        "run `cargo xtask codegen`".to_string()
    };
    if a.check {
        let problems = compare(&out_dir, &output)?;
        if problems.is_empty() {
            eprintln!(
                "{} is up to date ({} files)",
                out_dir.display(),
                output.files.len()
            );
            return Ok(());
        }
        let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        return Err(format!(
            "{} is stale:\n{}\n{fix} to regenerate it",
            out_dir.display(),
            list.join("\n")
        ));
    }
    let changed = write(&out_dir, &output)?;
    eprintln!(
        "generated {} files into {}{}",
        output.files.len(),
        out_dir.display(),
        if changed == 0 { " (no changes)" } else { "" }
    );
    Ok(())
}

/// The `.smithy` and `.json` files of a model folder, sorted.
pub fn model_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let files = codegen::assemble::collect_files(&[dir.to_path_buf()])
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    if files.is_empty() {
        return Err(format!("no .smithy or .json model in {}", dir.display()));
    }
    Ok(files)
}

/// Reads the model files (`.smithy` and `.json`, merged into one model).
pub fn read_sources(models: &[PathBuf]) -> Result<Vec<codegen::Source>, String> {
    let files = codegen::assemble::collect_files(models)
        .map_err(|e| format!("cannot read the model files: {e}"))?;
    if files.is_empty() {
        return Err("no .smithy or .json model file given".to_string());
    }
    files
        .iter()
        .map(|path| {
            let bytes =
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                let bytes = e.as_bytes();
                let at = e.utf8_error().valid_up_to();
                let before = &bytes[..at];
                let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                // Both the line and the column count characters, not bytes.
                let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
                format!(
                    "{}:{line}:{column}: the file is not UTF-8 text (byte 0x{:02X} there), and a model must be",
                    path.display(),
                    bytes[at]
                )
            })?;
            Ok(codegen::Source::new(path.display().to_string(), text))
        })
        .collect()
}

/// Reads the model files and generates.
pub fn generate(
    models: &[PathBuf],
    options: &Options,
    out_dir: &Path,
    runtime: &Path,
    workspace: bool,
    test_deps: bool,
) -> Result<Output, String> {
    let sources = read_sources(models)?;
    let runtime_path = relative_path(&out_dir.join("crate"), runtime);
    let layout = Layout {
        runtime_path,
        workspace,
        test_deps,
    };
    codegen::generate_sources(&sources, options, &layout).map_err(|e| e.to_string())
}

/// `cargo xtask ast FILE...`: the JSON AST of the merged model, as `smithy ast` prints it.
fn ast(paths: &[String]) -> Result<(), String> {
    if paths.is_empty() {
        return Err(format!(
            "`ast` needs at least one model file or folder\n{USAGE}"
        ));
    }
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let sources = read_sources(&paths)?;
    let assembled = codegen::assemble::assemble(&sources).map_err(|e| e.to_string())?;
    // Validated as `smithy ast` validates: an invalid model prints no AST.
    let located = |e: codegen::Error| assembled.locator.annotate(e).to_string();
    let model = codegen::model::load_value(&assembled.document).map_err(located)?;
    codegen::validate::validate(&model).map_err(located)?;
    let text = codegen::assemble::to_json_ast(&assembled);
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        // A reader that stops early (`| head`) is no error of ours.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the AST: {e}"))
        }
        _ => Ok(()),
    }
}

fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `to` relative to `from` (both made absolute), with `/` separators.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let from = absolute(from);
    let to = absolute(to);
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    if common <= 1 {
        return to.display().to_string();
    }
    let mut parts: Vec<String> = vec!["..".to_string(); f.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Whether a file under the output directory belongs to the generator.
///
/// `generated/` belongs to the generator as a whole (a crate folder that is no longer
/// generated is extra); a folder given with `--out` may hold other things, so there only
/// the crate folders and the top `Cargo.toml` are the generator's.
fn is_managed(rel: &str, crates: &BTreeSet<String>, whole_folder: bool) -> bool {
    let mut parts = rel.split('/');
    let first = parts.next().unwrap_or_default();
    match parts.next() {
        None => rel == "Cargo.toml",
        Some(second) if crates.contains(first) => !HAND_WRITTEN.contains(&second),
        Some(_) => whole_folder,
    }
}

fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name();
        if name == "target" || name.to_string_lossy().starts_with('.') {
            continue;
        }
        if p.is_dir() {
            walk(&p, base, out);
        } else if let Ok(rel) = p.strip_prefix(base) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Files under the output directory that the generator owns but would not write.
fn extra_files(out_dir: &Path, output: &Output) -> Vec<String> {
    let whole_folder = !output.files.contains_key("Cargo.toml");
    let crates: BTreeSet<String> = output
        .files
        .keys()
        .filter_map(|k| k.split_once('/').map(|(c, _)| c.to_string()))
        .collect();
    let mut on_disk = Vec::new();
    walk(out_dir, out_dir, &mut on_disk);
    on_disk.sort();
    on_disk
        .into_iter()
        .filter(|rel| !output.files.contains_key(rel) && is_managed(rel, &crates, whole_folder))
        .collect()
}

/// Every difference between what is on disk and what would be written.
pub fn compare(out_dir: &Path, output: &Output) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    for (rel, content) in &output.files {
        match std::fs::read_to_string(out_dir.join(rel)) {
            Ok(existing) if &existing == content => {}
            Ok(_) => problems.push(format!("stale: {rel}")),
            Err(_) => problems.push(format!("missing: {rel}")),
        }
    }
    problems.extend(
        extra_files(out_dir, output)
            .into_iter()
            .map(|rel| format!("extra: {rel}")),
    );
    Ok(problems)
}

/// Writes every file (only those that changed) and removes generated files that
/// should no longer exist; how many files it wrote or removed. All of it or none: the
/// files are staged beside their destinations first, then each destination's old
/// file is set aside while the new one takes its place, and a failure anywhere puts
/// the old files back and removes what was staged and the folders made for it.
pub fn write(out_dir: &Path, output: &Output) -> Result<usize, String> {
    let mut made_dirs = Vec::new();
    let result = write_staged(out_dir, output, &mut made_dirs);
    if result.is_err() {
        // Only the folders made here, deepest first, and only if they are empty.
        for dir in made_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

fn write_staged(
    out_dir: &Path,
    output: &Output,
    made_dirs: &mut Vec<PathBuf>,
) -> Result<usize, String> {
    // The folders first, one at a time, remembering those made here.
    let parents: BTreeSet<PathBuf> = output
        .files
        .keys()
        .filter_map(|rel| out_dir.join(rel).parent().map(Path::to_path_buf))
        .collect();
    for parent in parents {
        // (A relative path's last ancestor is the empty path: the current folder.)
        let mut missing: Vec<&Path> = parent
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
            .collect();
        while let Some(dir) = missing.pop() {
            std::fs::create_dir(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            made_dirs.push(dir.to_path_buf());
        }
        if !parent.is_dir() {
            return Err(format!(
                "cannot write into {}: it is not a folder",
                parent.display()
            ));
        }
    }
    // What is to go, found before anything is staged (a staged file is no stray).
    let removed: Vec<PathBuf> = extra_files(out_dir, output)
        .into_iter()
        .map(|rel| out_dir.join(rel))
        .collect();
    // Then every file, staged on two threads, the biggest first, each taking the next.
    let mut files: Vec<(&String, &String)> = output.files.iter().collect();
    files.sort_by_key(|(_, content)| std::cmp::Reverse(content.len()));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let stage = || {
        let mut staged = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some((rel, content)) = files.get(i) else {
                return (staged, None);
            };
            match stage_file(out_dir, rel, content) {
                Ok(Some(paths)) => staged.push(paths),
                Ok(None) => {}
                Err(e) => return (staged, Some(e)),
            }
        }
    };
    let (mut staged, error) = std::thread::scope(|scope| {
        let other = scope.spawn(stage);
        let (mut staged, mut error) = stage();
        match other.join() {
            Ok((more, e)) => {
                staged.extend(more);
                error = error.or(e);
            }
            Err(_) => error = Some("a thread writing the files panicked".to_string()),
        }
        (staged, error)
    });
    if let Some(e) = error {
        for (t, _) in &staged {
            let _ = std::fs::remove_file(t);
        }
        return Err(e);
    }
    staged.sort();
    let changed = staged.len() + removed.len();
    // Each step can be undone: (the destination, where its old file was set aside).
    let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let mut commit = || -> Result<(), String> {
        for (tmp, dest) in &staged {
            let aside = set_aside(dest)?;
            done.push((dest.clone(), aside));
            std::fs::rename(tmp, dest)
                .map_err(|e| format!("cannot write {}: {e}", dest.display()))?;
        }
        for path in &removed {
            let aside = set_aside(path)?;
            done.push((path.clone(), aside));
        }
        Ok(())
    };
    if let Err(e) = commit() {
        for (dest, aside) in done.iter().rev() {
            match aside {
                Some(old) => {
                    let _ = std::fs::rename(old, dest);
                }
                None => {
                    let _ = std::fs::remove_file(dest);
                }
            }
        }
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    for (_, aside) in done {
        if let Some(old) = aside {
            let _ = std::fs::remove_file(old);
        }
    }
    Ok(changed)
}

/// `path` with `suffix` added to its file name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Moves the file at `path`, if there is one, to a name beside it, and returns that
/// name.
fn set_aside(path: &Path) -> Result<Option<PathBuf>, String> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(None);
    }
    let aside = beside(path, ".xtask-old");
    std::fs::rename(path, &aside).map_err(|e| format!("cannot replace {}: {e}", path.display()))?;
    Ok(Some(aside))
}

/// Writes `content` to a temporary file beside `rel`'s destination, unless the
/// destination already holds it: (temporary, destination), or `None`.
fn stage_file(
    out_dir: &Path,
    rel: &str,
    content: &str,
) -> Result<Option<(PathBuf, PathBuf)>, String> {
    let dest = out_dir.join(rel);
    if dest.is_dir() {
        return Err(format!(
            "cannot write {}: a folder is there",
            dest.display()
        ));
    }
    if std::fs::read(&dest).is_ok_and(|e| e == content.as_bytes()) {
        return Ok(None);
    }
    let tmp = beside(&dest, ".xtask-tmp");
    if let Err(e) = std::fs::write(&tmp, content) {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", tmp.display()));
    }
    Ok(Some((tmp, dest)))
}

/// Generates the crates of several models side by side in `dir`, under one workspace
/// (`Cargo.toml` at `dir`), each model's crates named after its file.
pub fn generate_workspace(models: &[PathBuf], dir: &Path) -> Result<Vec<String>, String> {
    let runtime = repo_root().join("runtime");
    let mut members = Vec::new();
    let mut warnings = Vec::new();
    for model in models {
        let stem = model
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = format!("m-{}", codegen::names::crate_name(&stem));
        let options = Options {
            crate_name: Some(name.clone()),
            ..Options::default()
        };
        let out_dir = dir.join(&name);
        let output = generate(
            std::slice::from_ref(model),
            &options,
            &out_dir,
            &runtime,
            false,
            false,
        )?;
        warnings.extend(
            output
                .warnings
                .iter()
                .map(|w| format!("{}: {w}", model.display())),
        );
        write(&out_dir, &output)?;
        members.push(format!("\"{name}/{name}\""));
        members.push(format!("\"{name}/{name}-paginators\""));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)
        .map_err(|e| format!("cannot write the workspace: {e}"))?;
    Ok(warnings)
}

/// Runs clippy (warnings denied) and rustdoc (warnings denied) over a workspace of
/// generated crates, with its own target directory under the repository's.
pub fn check_builds(dir: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let target = repo_root().join("target").join("generated-check");
    let manifest = dir.join("Cargo.toml");
    let runs: [(&str, &[&str]); 2] = [
        (
            "clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--quiet",
                // Every crate's problems at once, not only the first failing crate's.
                "--keep-going",
                "--",
                "-D",
                "warnings",
            ],
        ),
        (
            "doc",
            &["doc", "--workspace", "--no-deps", "--quiet", "--keep-going"],
        ),
    ];
    for (what, args) in runs {
        let status = std::process::Command::new(&cargo)
            .args(args.iter().take(1))
            .arg("--manifest-path")
            .arg(&manifest)
            .args(args.iter().skip(1))
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTDOCFLAGS", "-D warnings")
            .env_remove("RUSTFLAGS")
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("cargo {what} failed on {}", manifest.display()));
        }
    }
    Ok(())
}
