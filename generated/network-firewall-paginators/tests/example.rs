//! The paginated `list_flow_operations` example, run as a program against the test
//! server: a listing stopped by `--max-items`, then resumed. Hand-written; not generated.

use smithy_runtime::json::Parser;
use smithy_runtime::test_util::{example_program, Reply, TestServer};
use smithy_runtime::Document;
use std::process::Output;

fn run(server: &TestServer, args: &[&str]) -> Option<Output> {
    let program = example_program("list_flow_operations", "--page-size")?;
    Some(server.run_example(&program, args))
}

/// 23 items, pages of `MaxResults` (10 by default), token `t<offset>`.
async fn listing() -> TestServer {
    TestServer::start(
        |r| {
            let Ok(Document::Object(m)) = Parser::new(&r.body).document() else {
                return Reply::json(400, "{}");
            };
            let size = match m.get("MaxResults") {
                Some(Document::Number(n)) => n.as_i64().unwrap_or(10) as usize,
                _ => 10,
            };
            let start = match m.get("NextToken") {
                Some(Document::String(t)) => t[1..].parse().unwrap_or(0),
                _ => 0,
            };
            let end = (start + size).min(23);
            let items: Vec<String> = (start..end)
                .map(|i| format!(r#"{{"FlowOperationId":"op-{i:02}","FlowOperationType":"FLOW_CAPTURE","FlowOperationStatus":"IN_PROGRESS","FlowRequestTimestamp":{}}}"#, 1_700_000_000 + i))
                .collect();
            let next = if end < 23 { format!(r#","NextToken":"t{end}""#) } else { String::new() };
            Reply::json(200, format!(r#"{{"FlowOperations":[{}]{next}}}"#, items.join(",")))
        },
        "network-firewall",
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_every_item_and_resumes_exactly_where_max_items_stopped() {
    let server = listing().await;
    let Some(full) = run(
        &server,
        &["--firewall-arn", "arn:aws:fw", "--page-size", "4"],
    ) else {
        return;
    };
    assert!(
        full.status.success(),
        "{}",
        String::from_utf8_lossy(&full.stderr)
    );
    let full = String::from_utf8_lossy(&full.stdout).into_owned();
    let lines: Vec<&str> = full.lines().collect();
    assert_eq!(lines.len(), 23);
    assert_eq!(
        lines[0],
        "op-00 FLOW_CAPTURE IN_PROGRESS 2023-11-14T22:13:20Z"
    );

    let first = run(
        &server,
        &[
            "--firewall-arn",
            "arn:aws:fw",
            "--page-size",
            "4",
            "--max-items",
            "10",
        ],
    )
    .unwrap();
    let first = String::from_utf8_lossy(&first.stdout).into_owned();
    let (items, resume) = first.rsplit_once("resume: ").expect("a resume line");
    let rest = run(
        &server,
        &[
            "--firewall-arn",
            "arn:aws:fw",
            "--page-size",
            "4",
            "--starting-token",
            resume.trim(),
        ],
    )
    .unwrap();
    assert!(rest.status.success());
    let resumed = format!("{items}{}", String::from_utf8_lossy(&rest.stdout));
    assert_eq!(
        resumed, full,
        "the resumed listing equals the full one, item by item"
    );
}
