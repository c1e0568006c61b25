//! The `list_flow_operations` example, run as a program against the test server.
//! Hand-written; not generated.

use awsjson_runtime::test_util::{Reply, TestServer, ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY};
use std::path::PathBuf;
use std::process::{Command, Output};

/// The example's binary, which `cargo test` builds beside the test binaries.
fn example() -> Option<PathBuf> {
    // Both crates have an example of this name, and cargo builds both into one folder
    // (`list_flow_operations-<hash>`): take the one whose usage names our flag.
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?.join("examples");
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            name.starts_with("list_flow_operations") && p.extension().map_or(true, |e| e == "exe")
        })
        .collect();
    candidates.sort();
    candidates.into_iter().find(|p| {
        Command::new(p)
            .env_clear()
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stderr).contains("--max-results"))
    })
}

fn run(server: &TestServer, args: &[&str]) -> Option<Output> {
    let bin = example()?;
    Some(
        Command::new(bin)
            .args(args)
            .env_clear()
            .env("AWS_REGION", REGION)
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
            .env("AWS_SESSION_TOKEN", "session-token")
            .env("AWS_ENDPOINT_URL", server.endpoint())
            .env("AWS_MAX_ATTEMPTS", "1")
            .output()
            .expect("the example runs"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_one_line_per_operation_then_the_next_token() {
    let server = TestServer::scripted(
        vec![Reply::json(
            200,
            r#"{"FlowOperations":[{"FlowOperationId":"op-1","FlowOperationType":"FLOW_FLUSH","FlowOperationStatus":"COMPLETED","FlowRequestTimestamp":1.700000037123E9},{"FlowOperationId":"op-2"}],"NextToken":"next/1="}"#,
        )],
        "network-firewall",
    )
    .await;
    let Some(out) = run(
        &server,
        &[
            "--firewall-arn",
            "arn:aws:fw",
            "--max-results",
            "2",
            "--next-token",
            "t0",
        ],
    ) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the example binary must be built (cargo test --all-targets) in CI"
        );
        eprintln!("the example binary is not built: skipping");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "op-1 FLOW_FLUSH COMPLETED 2023-11-14T22:13:57.123Z\nop-2 - - -\nnext_token: next/1=\n"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    requests[0].signature_valid.clone().unwrap();
    assert_eq!(
        requests[0].body_text(),
        r#"{"FirewallArn":"arn:aws:fw","NextToken":"t0","MaxResults":2}"#
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_go_to_stderr_with_a_non_zero_exit() {
    let server = TestServer::scripted(
        vec![Reply::json(
            400,
            r#"{"__type":"ResourceNotFoundException","Message":"no firewall"}"#,
        )],
        "network-firewall",
    )
    .await;
    let Some(out) = run(&server, &["--firewall-arn", "arn:aws:fw"]) else {
        return;
    };
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ResourceNotFoundException") && err.contains("no firewall"),
        "{err}"
    );

    let Some(out) = run(&server, &["--max-results", "x"]) else {
        return;
    };
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage:"));
}
