//! `cargo xtask test` and `cargo xtask bench`.

use crate::repo_root;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()))
}

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// Test totals across the runs of `cargo test`.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    ignored: u64,
}

/// Runs `cargo test`, echoing its output and adding up its `test result:` lines.
fn run_tests(cmd: &mut Command, what: &str, tally: &mut Tally) -> Result<(), String> {
    use std::io::{BufRead, BufReader, Write};
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(cmd, 0);
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    let watchdog = Watchdog::start(child.id(), TEST_TIME_LIMIT, what);
    if let Some(out) = child.stdout.take() {
        let stdout = std::io::stdout();
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            let _ = writeln!(stdout.lock(), "{line}");
            if let Some(rest) = line.trim().strip_prefix("test result: ") {
                for part in rest.split(';') {
                    let mut words = part.split_whitespace().rev();
                    let (Some(kind), Some(n)) = (words.next(), words.next()) else {
                        continue;
                    };
                    let n: u64 = n.parse().unwrap_or(0);
                    match kind {
                        "passed" => tally.passed += n,
                        "failed" => tally.failed += n,
                        "ignored" => tally.ignored += n,
                        _ => {}
                    }
                }
            }
        }
    }
    let status = child.wait().map_err(|e| format!("{what}: {e}"))?;
    if watchdog.stop() {
        return Err(format!(
            "{what} took longer than {} minutes and was stopped (a test hangs?)",
            TEST_TIME_LIMIT.as_secs() / 60
        ));
    }
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// How long one `cargo test` run may take before it is stopped.
const TEST_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(25 * 60);

/// Stops a process group that runs past its time limit, so a hanging test fails the
/// run instead of stalling CI.
struct Watchdog {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    fired: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Watchdog {
    fn start(pid: u32, limit: std::time::Duration, what: &str) -> Self {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        let done = Arc::new(AtomicBool::new(false));
        let fired = Arc::new(AtomicBool::new(false));
        let (d, f, what) = (done.clone(), fired.clone(), what.to_string());
        std::thread::spawn(move || {
            let start = Instant::now();
            while start.elapsed() < limit {
                if d.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
            if !d.load(Ordering::SeqCst) {
                f.store(true, Ordering::SeqCst);
                eprintln!("error: {what} is past its time limit; stopping it");
                let _ = Command::new("kill")
                    .arg("-9")
                    .arg(format!("-{pid}"))
                    .status();
            }
        });
        Watchdog { done, fired }
    }

    /// Ends the watch; whether the limit was hit.
    fn stop(self) -> bool {
        self.done.store(true, std::sync::atomic::Ordering::SeqCst);
        self.fired.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// `../shared/models` beside the checkout, if it is there.
fn shared_models() -> Option<PathBuf> {
    let dir = repo_root().parent()?.join("shared").join("models");
    dir.is_dir().then_some(dir)
}

const MOTO_OPERATIONS: &str =
    "CreateFirewall,DescribeFirewall,ListFirewalls,DescribeLoggingConfiguration,UpdateLoggingConfiguration";

/// The restJson1 clients `xtask/moto-test/tests/moto_rest.rs` drives: the model file in
/// `../shared/models`, the folder under `target/moto/gen/`, and the operations.
const MOTO_REST: &[(&str, &str, &str)] = &[
    (
        "efs-2015-02-01.json",
        "efs",
        "CreateFileSystem,DescribeFileSystems,DeleteFileSystem,TagResource,UntagResource,ListTagsForResource",
    ),
    (
        "eks-2017-11-01.json",
        "eks",
        "CreateCluster,DescribeCluster,ListClusters,DeleteCluster,CreateNodegroup,DescribeNodegroup,ListNodegroups,DeleteNodegroup",
    ),
    (
        "glacier-2012-06-01.json",
        "glacier",
        "CreateVault,DescribeVault,ListVaults,UploadArchive,InitiateJob,DescribeJob,GetJobOutput,DeleteArchive",
    ),
];

/// The awsJson clients `xtask/moto-test/tests/moto_json.rs` drives, as in `MOTO_REST`:
/// DynamoDB (awsJson1_0) and Secrets Manager (awsJson1_1).
const MOTO_JSON: &[(&str, &str, &str)] = &[
    (
        "dynamodb-2012-08-10.json",
        "dynamodb",
        "CreateTable,DescribeTable,DeleteTable,PutItem,GetItem,Query,Scan",
    ),
    (
        "secrets-manager-2017-10-17.json",
        "secrets-manager",
        "CreateSecret,GetSecretValue,DescribeSecret,ListSecrets,TagResource,UntagResource,DeleteSecret",
    ),
];

/// The protocol-test files grouped as they load: each protocol folder with the
/// shared files of its tree (`aws/*.smithy` or `smithy/*.smithy`).
fn protocol_groups(sources: &[codegen::Source]) -> Vec<Vec<codegen::Source>> {
    let mut shared: std::collections::BTreeMap<String, Vec<codegen::Source>> = Default::default();
    let mut folders: std::collections::BTreeMap<String, Vec<codegen::Source>> = Default::default();
    for s in sources {
        let path = std::path::Path::new(&s.name);
        let Some(parent) = path.parent() else {
            continue;
        };
        if parent
            .file_name()
            .is_some_and(|n| n == "aws" || n == "smithy")
        {
            shared
                .entry(parent.display().to_string())
                .or_default()
                .push(s.clone());
        } else {
            // `aws/awsJson1_1/services/x.smithy` belongs to `aws/awsJson1_1`.
            let mut folder = parent;
            while let Some(up) = folder.parent() {
                if up.file_name().is_some_and(|n| n == "aws" || n == "smithy") {
                    break;
                }
                folder = up;
            }
            folders
                .entry(folder.display().to_string())
                .or_default()
                .push(s.clone());
        }
    }
    folders
        .into_iter()
        .map(|(folder, mut files)| {
            let tree = std::path::Path::new(&folder)
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            files.extend(shared.get(&tree).cloned().unwrap_or_default());
            files
        })
        .collect()
}

/// The whole test suite; ends with a `summary: N passed, N failed` line.
pub fn test() -> Result<(), String> {
    let root = repo_root();
    let mut tally = Tally::default();
    // The example programs, which tests run as programs (`cargo test --all-targets`
    // builds examples as test harnesses only).
    run(
        cargo()
            .current_dir(&root)
            .args(["build", "--workspace", "--examples"]),
        "cargo build --examples",
    )?;
    let mut cmd = cargo();
    cmd.current_dir(&root)
        .args(["test", "--workspace", "--all-targets"]);
    if std::env::var_os("CI").is_some() {
        cmd.env("INSTA_UPDATE", "no");
    }
    let result = run_tests(&mut cmd, "cargo test", &mut tally)
        .and_then(|()| {
            let mut cmd = cargo();
            cmd.current_dir(&root)
                .args(["test", "--workspace", "--doc"]);
            run_tests(&mut cmd, "cargo test --doc", &mut tally)
        })
        // The runtime's optional parts: conversions to the `time` and `chrono` crates;
        // the official `aws-config` credentials chain (container credentials from a
        // local endpoint flow into signed calls); HTTP/2 in the default transport (a
        // body streamed both ways).
        .and_then(|()| {
            runtime_tests(
                &root,
                &["--lib", "--features", "time,chrono", "types::"],
                "cargo test --features time,chrono",
                &mut tally,
            )
        })
        .and_then(|()| {
            runtime_tests(
                &root,
                &[
                    "--features",
                    "test-util,aws-config",
                    "--test",
                    "credentials",
                ],
                "cargo test --features aws-config",
                &mut tally,
            )
        })
        .and_then(|()| {
            runtime_tests(
                &root,
                &["--features", "http2", "--test", "http2"],
                "cargo test --features http2",
                &mut tally,
            )
        })
        .and_then(|()| protocol_tests(&mut tally))
        .and_then(|()| compliance_suites(&mut tally))
        .and_then(|()| moto(&mut tally));
    println!(
        "summary: {} passed, {} failed, {} skipped",
        tally.passed, tally.failed, tally.ignored
    );
    result
}

/// Only the behaviour tests of the generated test models and the protocol compliance
/// suites (`cargo xtask protocol-test`).
pub fn protocol_test_only() -> Result<(), String> {
    let mut tally = Tally::default();
    protocol_tests(&mut tally)?;
    compliance_suites(&mut tally)
}

/// The protocols whose official compliance suites run, by their folder under
/// `../shared/smithy/protocol-tests/aws/`.
const SUITES: &[&str] = &["awsJson1_0", "awsJson1_1", "restJson1"];

/// Our own test models that carry `smithy.test` cases of their own.
const OWN_SUITE_MODELS: &[&str] = &["api_gateway", "auth", "defaults", "errors", "shapes"];

/// The cases known to fail, with the reason: `xtask/known-failures.txt`.
fn known_failures() -> Result<std::collections::BTreeMap<String, String>, String> {
    let path = repo_root().join("xtask").join("known-failures.txt");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(id, why)| (id.trim().to_string(), why.trim().to_string()))
        .collect())
}

/// `cargo test -p smithy-runtime` with `args` (features, targets), counted as `label`.
fn runtime_tests(
    root: &std::path::Path,
    args: &[&str],
    label: &str,
    tally: &mut Tally,
) -> Result<(), String> {
    let mut cmd = cargo();
    cmd.current_dir(root)
        .args(["test", "-p", "smithy-runtime"])
        .args(args);
    run_tests(&mut cmd, label, tally)
}

/// The Smithy protocol compliance suites (and our own models' `smithy.test` cases):
/// every supported service of each suite is generated with its tests into one
/// workspace, built once, then each suite's tests run and are counted.
fn compliance_suites(tally: &mut Tally) -> Result<(), String> {
    let root = repo_root();
    let out = root.join("target").join("protocol-test").join("suites");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let known = known_failures()?;
    let runtime = root.join("runtime");
    // Each suite: its name and the model files.
    let mut suites: Vec<(String, Vec<PathBuf>)> = Vec::new();
    let shared = root.parent().map(|p| {
        p.join("shared")
            .join("smithy")
            .join("protocol-tests")
            .join("aws")
    });
    match shared.filter(|p| p.is_dir()) {
        Some(aws) => {
            for s in SUITES {
                suites.push((
                    s.to_string(),
                    vec![aws.join(s), aws.join("shared-types.smithy"), aws.join("aws-config.smithy")],
                ));
            }
        }
        None => println!("protocol tests: ../shared/smithy/protocol-tests is not there; the official suites are skipped"),
    }
    for m in OWN_SUITE_MODELS {
        suites.push((
            format!("own:{m}"),
            vec![root
                .join("codegen")
                .join("tests")
                .join("models")
                .join(format!("{m}.json"))],
        ));
    }
    // (line prefix, suite, crate, test file)
    let mut members: Vec<(&str, String, String, &str)> = Vec::new();
    let mut exclude = Vec::new();
    for (suite, files) in &suites {
        let sources = crate::read_sources(files)?;
        let services =
            codegen::supported_services(&sources).map_err(|e| format!("{suite}: {e}"))?;
        for service in services {
            let crate_name = format!(
                "pt-{}-{}",
                codegen::names::crate_name(suite),
                codegen::names::crate_name(codegen::model::shape_name(&service))
            );
            let options = codegen::Options {
                service: Some(service.clone()),
                crate_name: Some(crate_name.clone()),
                protocol_tests: true,
                known_failures: known.clone(),
                ..codegen::Options::default()
            };
            let dir = out.join(&crate_name);
            let output = crate::generate(files, &options, &dir, &runtime, false, false)
                .map_err(|e| format!("{suite} {service}: {e}"))?;
            if !output
                .files
                .contains_key(&format!("{crate_name}/tests/protocol_tests.rs"))
            {
                continue;
            }
            crate::write(&dir, &output)?;
            members.push((
                "protocol tests",
                suite.clone(),
                crate_name.clone(),
                "protocol_tests",
            ));
            exclude.push(format!("\"{crate_name}/{crate_name}-paginators\""));
        }
    }
    // The endpoint rules tests of every official model, whatever its protocol, and of
    // our own endpoint test models: a client of no operations is enough to resolve
    // endpoints, and builds in seconds.
    let mut endpoint_models = Vec::new();
    for dir in [
        Some(root.join("codegen/tests/endpoints_only")),
        shared_models(),
    ]
    .into_iter()
    .flatten()
    {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        endpoint_models.extend(files);
    }
    let mut failed = Vec::new();
    for file in endpoint_models {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let crate_name = format!("et-{}", codegen::names::crate_name(&stem));
        let options = codegen::Options {
            crate_name: Some(crate_name.clone()),
            endpoint_tests: true,
            operations: Some(Vec::new()),
            ..codegen::Options::default()
        };
        let dir = out.join(&crate_name);
        // A model that cannot be generated fails its own line, not every suite.
        let output = match crate::generate(
            std::slice::from_ref(&file),
            &options,
            &dir,
            &runtime,
            false,
            false,
        ) {
            Ok(output) => output,
            Err(e) => {
                println!("endpoint tests {stem}: cannot be generated");
                tally.failed += 1;
                failed.push(format!("the endpoint tests of {}: {e}", file.display()));
                continue;
            }
        };
        if !output
            .files
            .contains_key(&format!("{crate_name}/tests/endpoint_tests.rs"))
        {
            continue;
        }
        let title = output
            .files
            .get(&format!("{crate_name}/Cargo.toml"))
            .and_then(|t| {
                t.lines()
                    .find_map(|l| l.strip_prefix("description = \"A client for "))
            })
            .and_then(|t| t.strip_suffix(", generated from its Smithy model\""))
            .unwrap_or(&stem)
            .to_string();
        crate::write(&dir, &output)?;
        members.push((
            "endpoint tests",
            title,
            crate_name.clone(),
            "endpoint_tests",
        ));
        exclude.push(format!("\"{crate_name}/{crate_name}-paginators\""));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\nexclude = [{}]\n",
        members
            .iter()
            .map(|(_, _, c, _)| format!("\"{c}/{c}\""))
            .collect::<Vec<_>>()
            .join(", "),
        exclude.join(", ")
    );
    std::fs::write(out.join("Cargo.toml"), manifest)
        .map_err(|e| format!("cannot write the suites' workspace: {e}"))?;
    // One build for every suite.
    run(
        cargo()
            .current_dir(&out)
            .args(["build", "--workspace", "--tests"])
            .env("CARGO_TARGET_DIR", root.join("target")),
        "building the protocol compliance suites",
    )?;
    // The suites' models reach every odd corner of the protocols: the code generated
    // from them is held to the bar of any generated crate, no clippy warning.
    run(
        cargo()
            .current_dir(&out)
            .args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--quiet",
                "--",
                "-D",
                "warnings",
            ])
            .env("CARGO_TARGET_DIR", root.join("target")),
        "clippy (warnings denied) on the crates generated for the compliance suites",
    )?;
    let mut by_suite: Vec<(&str, String, Tally)> = Vec::new();
    for (kind, suite, crate_name, test) in &members {
        let mut t = Tally::default();
        let mut cmd = cargo();
        cmd.current_dir(&out)
            .args(["test", "-p", crate_name, "--test", test])
            .env("CARGO_TARGET_DIR", root.join("target"));
        if let Err(e) = run_tests(&mut cmd, &format!("the {kind} of {suite}"), &mut t) {
            failed.push(e);
        }
        match by_suite
            .iter_mut()
            .find(|(k, s, _)| k == kind && s == suite)
        {
            Some((_, _, total)) => {
                total.passed += t.passed;
                total.failed += t.failed;
                total.ignored += t.ignored;
            }
            None => by_suite.push((kind, suite.clone(), t)),
        }
    }
    for (kind, suite, t) in &by_suite {
        if *kind == "endpoint tests" {
            println!("{kind} {suite}: {} passed, {} failed", t.passed, t.failed);
        } else {
            println!(
                "{kind} {suite}: {} passed, {} failed, {} skipped",
                t.passed, t.failed, t.ignored
            );
        }
        tally.passed += t.passed;
        tally.failed += t.failed;
        tally.ignored += t.ignored;
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("; "))
    }
}

/// Behaviour tests of code generated from the focused test models.
fn protocol_tests(tally: &mut Tally) -> Result<(), String> {
    let root = repo_root();
    generate_test_model_crates()?;
    let mut cmd = cargo();
    cmd.current_dir(&root)
        .args([
            "test",
            "--manifest-path",
            "xtask/protocol-test/Cargo.toml",
            "--test",
            "protocol",
            "--test",
            "streaming",
            "--test",
            "download_memory",
            "--test",
            "discovery",
            "--test",
            "events",
            "--test",
            "waiters",
        ])
        .env("CARGO_TARGET_DIR", root.join("target"));
    run_tests(&mut cmd, "the protocol tests", tally)
}

/// Generates the crates of the focused test models that `xtask/protocol-test` uses,
/// into `target/protocol-test/gen`.
fn generate_test_model_crates() -> Result<(), String> {
    let root = repo_root();
    let models: Vec<PathBuf> = [
        "shapes",
        "errors",
        "paginate_service_defaults",
        "paginate_map_tokens",
        "paginate_no_items",
        "streaming",
        "discovery",
        "events",
        "events_json",
        "waiters",
    ]
    .iter()
    .map(|m| {
        root.join("codegen")
            .join("tests")
            .join("models")
            .join(format!("{m}.json"))
    })
    .collect();
    let out = root.join("target").join("protocol-test").join("gen");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    crate::generate_workspace(&models, &out)?;
    // The crates are used from the test crate's workspace, not their own.
    let _ = std::fs::remove_file(out.join("Cargo.toml"));
    Ok(())
}

fn python() -> Option<String> {
    ["python3", "python"]
        .into_iter()
        .map(str::to_string)
        .find(|p| {
            Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Installs moto into a virtual environment under target/, once.
fn moto_server(python: &str) -> Result<PathBuf, String> {
    let venv = repo_root().join("target").join("moto-venv");
    let bin = venv.join(if cfg!(windows) { "Scripts" } else { "bin" });
    let server = bin.join("moto_server");
    if server.exists() {
        return Ok(server);
    }
    eprintln!("installing moto into {}", venv.display());
    run(
        Command::new(python).args(["-m", "venv"]).arg(&venv),
        "python3 -m venv",
    )?;
    run(
        Command::new(bin.join("python")).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "moto[server]>=5.1,<6",
        ]),
        "pip install moto[server]",
    )?;
    if server.exists() {
        Ok(server)
    } else {
        Err(format!(
            "moto was installed but {} is missing",
            server.display()
        ))
    }
}

/// The clients generated from the official models, against moto: Network Firewall
/// (awsJson1_0, `tests/moto.rs`), EFS, EKS and Glacier (restJson1, `tests/moto_rest.rs`;
/// Glacier's archives are streamed up from a file and down as they arrive), DynamoDB
/// and Secrets Manager (awsJson1_0 and awsJson1_1, `tests/moto_json.rs`).
fn moto(tally: &mut Tally) -> Result<(), String> {
    let Some(models) = shared_models() else {
        eprintln!("skipping the moto test: ../shared/models is not there");
        return Ok(());
    };
    let Some(python) = python() else {
        eprintln!("skipping the moto test: no python3 on this machine");
        return Ok(());
    };
    let root = repo_root();
    let server = moto_server(&python)?;
    let model = models.join("network-firewall-2020-11-12.json");
    let out = root.join("target").join("moto").join("gen");
    crate::run(&[
        "codegen".to_string(),
        "--model".to_string(),
        model.display().to_string(),
        "--operations".to_string(),
        MOTO_OPERATIONS.to_string(),
        "--out".to_string(),
        out.display().to_string(),
    ])?;
    for (file, dir, operations) in MOTO_REST.iter().chain(MOTO_JSON) {
        crate::run(&[
            "codegen".to_string(),
            "--model".to_string(),
            models.join(file).display().to_string(),
            "--operations".to_string(),
            operations.to_string(),
            "--out".to_string(),
            out.join(dir).display().to_string(),
        ])?;
    }
    let mut cmd = cargo();
    cmd.current_dir(&root)
        .args([
            "test",
            "--manifest-path",
            "xtask/moto-test/Cargo.toml",
            "--test",
            "moto",
            "--test",
            "moto_rest",
            "--test",
            "moto_json",
        ])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("MOTO_SERVER", &server);
    run_tests(&mut cmd, "the moto test", tally)
}

fn timed(what: &str, f: impl FnOnce() -> Result<(), String>) -> Result<f64, String> {
    let start = Instant::now();
    f().map_err(|e| format!("{what}: {e}"))?;
    Ok(start.elapsed().as_secs_f64())
}

/// Code generation of every model in `dir` (its `.json` and `.smithy` files, those of
/// its sub-folders too, one model each, as [`crate::model_files`] lists them), one
/// `codegen_<model> ms` line a model and the sum: in process, best of three; and one
/// run of this very binary a model (`codegen --model M --out DIR`, as a
/// user runs it), whose wall times add up to `codegen_all_models_processes`. A model
/// the generator cannot generate (a protocol it does not speak) is reported and left
/// out of the sums.
pub fn bench_codegen(dir: &Path) -> Result<(), String> {
    let files = crate::model_files(dir)?;
    let scratch = repo_root().join("target").join("bench").join("codegen");
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let layout = codegen::Layout {
        runtime_path: "../runtime".into(),
        workspace: true,
        test_deps: false,
    };
    let (mut total, mut total_process, mut bytes, mut done) = (0.0, 0.0, 0, 0);
    for file in &files {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().replace(['-', '.'], "_"))
            .unwrap_or_default();
        let sources = crate::read_sources(std::slice::from_ref(file))?;
        let mut best = f64::MAX;
        let mut failed = None;
        for _ in 0..3 {
            match timed("codegen", || {
                codegen::generate_sources(&sources, &codegen::Options::default(), &layout)
                    .map(drop)
                    .map_err(|e| e.to_string())
            }) {
                Ok(t) => best = best.min(t),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        if let Some(e) = failed {
            let first = e.lines().next().unwrap_or_default().to_string();
            println!("codegen_{stem} skipped ({first})");
            continue;
        }
        let out = scratch.join(&stem);
        let start = Instant::now();
        run(
            Command::new(&exe)
                .arg("codegen")
                .arg("--model")
                .arg(file)
                .arg("--out")
                .arg(&out)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null()),
            "xtask codegen",
        )?;
        let process = start.elapsed().as_secs_f64();
        let _ = std::fs::remove_dir_all(&out);
        total += best;
        total_process += process;
        bytes += sources.iter().map(|s| s.text.len()).sum::<usize>();
        done += 1;
        println!(
            "codegen_{stem} {:.1} ms (in process, best of 3; {:.1} ms as a process)",
            best * 1000.0,
            process * 1000.0
        );
    }
    println!(
        "codegen_all_models {:.1} ms ({done} models, {:.1} MB, in process)",
        total * 1000.0,
        bytes as f64 / 1e6
    );
    println!(
        "codegen_all_models_processes {:.1} ms (one `xtask codegen` process a model)",
        total_process * 1000.0
    );
    Ok(())
}

/// Benchmark figures, one `name value unit` line each.
pub fn bench() -> Result<(), String> {
    let root = repo_root();
    // The call path and the paginator.
    run(
        cargo().current_dir(&root).args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "network-firewall-paginators",
            "--example",
            "bench",
        ]),
        "the call-path benchmark",
    )?;
    // restJson1: a call with every kind of binding, and streamed downloads.
    generate_test_model_crates()?;
    run(
        cargo()
            .current_dir(&root)
            .args([
                "run",
                "--quiet",
                "--release",
                "--manifest-path",
                "xtask/protocol-test/Cargo.toml",
                "--example",
                "rest_bench",
            ])
            .env("CARGO_TARGET_DIR", root.join("target")),
        "the restJson1 benchmark",
    )?;
    // Loading every protocol-test model of Smithy's compliance suites (IDL).
    if let Some(dir) = root
        .parent()
        .map(|p| p.join("shared").join("smithy").join("protocol-tests"))
        .filter(|p| p.is_dir())
    {
        let sources = crate::read_sources(&[dir])?;
        let bytes: usize = sources.iter().map(|s| s.text.len()).sum();
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t = timed("loading the protocol-test models", || {
                // One model per protocol folder would be how users load them; one
                // assembly of all files measures the same parsing and resolution.
                let mut ok = 0;
                for group in protocol_groups(&sources) {
                    codegen::assemble::assemble(&group).map_err(|e| e.to_string())?;
                    ok += 1;
                }
                if ok == 0 {
                    return Err("no protocol-test model".to_string());
                }
                Ok(())
            })?;
            best = best.min(t);
        }
        println!(
            "idl_assemble_protocol_test_models {:.1} ms ({} models, each with its shared files)",
            best * 1000.0,
            protocol_groups(&sources).len()
        );
        // The loader itself: every file parsed and resolved at once.
        let files: Vec<(String, String)> = sources
            .iter()
            .map(|s| (s.name.clone(), s.text.clone()))
            .collect();
        let known = std::collections::BTreeSet::new();
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t = timed("loading the protocol-test files", || {
                codegen::idl::load_files(&files, &known)
                    .map(drop)
                    .map_err(|e| e.to_string())
            })?;
            best = best.min(t);
        }
        println!(
            "idl_load_protocol_tests {:.1} ms ({:.2} MB of IDL, {} files)",
            best * 1000.0,
            bytes as f64 / 1e6,
            sources.len()
        );
    }
    let Some(models) = shared_models() else {
        eprintln!("skipping the code generation benchmarks: ../shared/models is not there");
        return Ok(());
    };
    bench_codegen(&models)?;
    let scratch = root.join("target").join("bench");
    // A clean release build of the whole official Network Firewall service, TLS off.
    let out = scratch.join("network-firewall");
    let _ = std::fs::remove_dir_all(&out);
    let model = models.join("network-firewall-2020-11-12.json");
    let generate = timed("cargo xtask codegen", || {
        crate::run(&[
            "codegen".to_string(),
            "--model".to_string(),
            model.display().to_string(),
            "--out".to_string(),
            out.display().to_string(),
        ])
    })?;
    println!("xtask_codegen_network_firewall {:.2} s", generate);
    let target = scratch.join("target");
    let _ = std::fs::remove_dir_all(&target);
    // Fetch first, so the build time counts compiling only.
    run(
        cargo()
            .args(["fetch", "--manifest-path"])
            .arg(out.join("Cargo.toml")),
        "cargo fetch",
    )?;
    let release_build = || {
        run(
            cargo()
                .args([
                    "build",
                    "--quiet",
                    "--release",
                    "--no-default-features",
                    "-p",
                    "network-firewall",
                    "--manifest-path",
                ])
                .arg(out.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", &target),
            "cargo build --release",
        )
    };
    let build = timed("cargo build", release_build)?;
    println!("build_release_network_firewall_no_tls {build:.1} s");
    let lib = out.join("network-firewall").join("src").join("lib.rs");
    touch(&lib)?;
    let crate_only = timed("cargo build", release_build)?;
    println!("build_release_network_firewall_crate_only {crate_only:.1} s");
    Ok(())
}

fn touch(path: &Path) -> Result<(), String> {
    let text = std::fs::read(path).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| e.to_string())
}
