//! The `list_flow_operations` example, run as a program against the test server.
//! Hand-written; not generated.

use smithy_runtime::test_util::{example_program, Reply, TestServer};
use std::process::Output;

fn run(server: &TestServer, args: &[&str]) -> Option<Output> {
    let program = example_program("list_flow_operations", "--max-results")?;
    Some(server.run_example(&program, args))
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
