//! The paginators against an HTTP server on 127.0.0.1: many pages, empty pages,
//! page size, max items and resume, repeated and cycling tokens, errors mid-way,
//! throttling. Hand-written; not generated.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures_util::StreamExt;
use network_firewall::Client;
use network_firewall_paginators::IntoPaginator;
use smithy_runtime::json::Parser;
use smithy_runtime::paginate::PaginationError;
use smithy_runtime::test_util::{RecordedRequest, Reply, TestServer};
use smithy_runtime::Document;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const SIGNING: &str = "network-firewall";
const ARN: &str = "arn:aws:network-firewall:us-east-1:123456789012:firewall/f";

fn member(r: &RecordedRequest, name: &str) -> Option<Document> {
    let Document::Object(m) = Parser::new(&r.body).document().unwrap() else {
        panic!("not an object")
    };
    m.get(name).cloned()
}

fn token(r: &RecordedRequest) -> Option<String> {
    match member(r, "NextToken") {
        Some(Document::String(s)) => Some(s),
        _ => None,
    }
}

fn page(ids: impl IntoIterator<Item = usize>, next: Option<&str>) -> Reply {
    let items: Vec<String> = ids
        .into_iter()
        .map(|i| format!(r#"{{"FlowOperationId":"op-{i:04}","FlowOperationType":"FLOW_FLUSH","FlowRequestTimestamp":1700000000,"FlowOperationStatus":"COMPLETED"}}"#))
        .collect();
    let next = next
        .map(|t| format!(r#","NextToken":"{t}""#))
        .unwrap_or_default();
    Reply::json(
        200,
        format!(r#"{{"FlowOperations":[{}]{next}}}"#, items.join(",")),
    )
}

/// A server over `total` items: pages of `MaxResults` (10 by default), token `t<offset>`.
async fn listing(total: usize) -> TestServer {
    TestServer::start(
        move |r| {
            let size = match member(r, "MaxResults") {
                Some(Document::Number(n)) => n.as_i64().unwrap() as usize,
                _ => 10,
            };
            let start: usize = token(r).map(|t| t[1..].parse().unwrap()).unwrap_or(0);
            let end = (start + size).min(total);
            let next = (end < total).then(|| format!("t{end}"));
            page(start..end, next.as_deref())
        },
        SIGNING,
    )
    .await
}

fn client(server: &TestServer) -> Client {
    Client::from_conf(server.config())
}

async fn ids(
    items: network_firewall_paginators::Items<network_firewall::operation::ListFlowOperations>,
) -> Vec<String> {
    items
        .map(|i| i.unwrap().flow_operation_id().unwrap().to_string())
        .collect()
        .await
}

fn expected(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("op-{i:04}")).collect()
}

#[tokio::test]
async fn many_pages_in_order_with_the_page_size_sent() {
    let server = listing(95).await;
    let items = client(&server)
        .list_flow_operations()
        .firewall_arn(ARN)
        .into_paginator()
        .page_size(10)
        .items();
    assert_eq!(ids(items).await, expected(0..95));
    let requests = server.requests();
    assert_eq!(requests.len(), 10);
    assert_eq!(token(&requests[0]), None);
    assert_eq!(token(&requests[3]).as_deref(), Some("t30"));
    assert!(requests
        .iter()
        .all(|r| member(r, "MaxResults") == Some(Document::from(10i64))));
    assert!(requests.iter().all(|r| r.signature_valid.is_ok()));

    let pages: Vec<_> = client(&server)
        .list_flow_operations()
        .firewall_arn(ARN)
        .into_paginator()
        .page_size(40)
        .pages()
        .collect()
        .await;
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.as_ref().unwrap().flow_operations().len())
        .collect();
    assert_eq!(sizes, vec![40, 40, 15]);
}

#[tokio::test]
async fn empty_pages_that_carry_a_token_do_not_end_the_listing() {
    let server = TestServer::scripted(
        vec![
            page(0..2, Some("a")),
            page(0..0, Some("b")),
            page(0..0, Some("c")),
            page(2..3, Some("")),
            page(9..10, None),
        ],
        SIGNING,
    )
    .await;
    let got = ids(client(&server)
        .list_flow_operations()
        .firewall_arn(ARN)
        .into_paginator()
        .items())
    .await;
    assert_eq!(got, expected(0..3), "an empty token ends the listing");
    assert_eq!(server.requests().len(), 4);
}

async fn resumed(total: usize, page_size: i32, max: usize) {
    let server = listing(total).await;
    let c = client(&server);
    let mut first = c
        .list_flow_operations()
        .firewall_arn(ARN)
        .into_paginator()
        .page_size(page_size)
        .max_items(max)
        .items();
    let mut got = Vec::new();
    while let Some(item) = first.next().await {
        got.push(item.unwrap().flow_operation_id().unwrap().to_string());
    }
    assert_eq!(got, expected(0..max.min(total)));
    let Some(resume) = first.resume_token().map(str::to_string) else {
        assert!(
            max >= total,
            "no resume token only when the listing is complete"
        );
        return;
    };
    let rest = ids(c
        .list_flow_operations()
        .firewall_arn(ARN)
        .into_paginator()
        .page_size(page_size)
        .starting_token(resume)
        .items())
    .await;
    got.extend(rest);
    assert_eq!(got, expected(0..total), "no item lost or repeated");
}

#[tokio::test]
async fn max_items_then_resume_mid_page_on_a_boundary_and_at_the_end() {
    resumed(25, 10, 15).await;
    resumed(25, 10, 20).await;
    resumed(25, 10, 1).await;
    resumed(25, 7, 24).await;
    resumed(25, 10, 25).await;
    resumed(25, 10, 100).await;
}

#[tokio::test]
async fn chained_resumes_walk_the_whole_listing() {
    let server = listing(47).await;
    let c = client(&server);
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut p = c
            .list_flow_operations()
            .firewall_arn(ARN)
            .into_paginator()
            .page_size(6)
            .max_items(5);
        if let Some(t) = &token {
            p = p.starting_token(t.clone());
        }
        let mut items = p.items();
        while let Some(i) = items.next().await {
            all.push(i.unwrap().flow_operation_id().unwrap().to_string());
        }
        token = items.resume_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(all, expected(0..47));
}

#[tokio::test]
async fn the_token_just_sent_coming_back_ends_the_listing_quietly() {
    // How tailing operations (CloudWatch Logs' GetLogEvents) mark the end.
    let server = TestServer::start(
        |r| match token(r).as_deref() {
            None => page(0..2, Some("A")),
            Some("A") => page(2..4, Some("A")),
            _ => page(90..99, None),
        },
        SIGNING,
    )
    .await;
    let mut items = client(&server)
        .list_flow_operations()
        .firewall_arn(ARN)
        .into_paginator()
        .items();
    let mut got = Vec::new();
    while let Some(i) = items.next().await {
        got.push(
            i.expect("no error")
                .flow_operation_id()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(got, expected(0..4));
    assert_eq!(server.requests().len(), 2);
    assert_eq!(items.resume_token(), None);
}

#[tokio::test]
async fn the_starting_token_coming_back_ends_with_an_error() {
    // The starting token counts as sent.
    let server = TestServer::scripted(vec![page(0..1, Some("S"))], SIGNING).await;
    let results: Vec<_> = client(&server)
        .list_flow_operations()
        .firewall_arn(ARN)
        .into_paginator()
        .starting_token("S")
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(matches!(
        results[1],
        Err(PaginationError::RepeatedToken { .. })
    ));
}

#[tokio::test]
async fn a_cycle_of_tokens_is_caught() {
    let server = TestServer::start(
        |r| match token(r).as_deref() {
            None => page(0..1, Some("A")),
            Some("A") => page(1..2, Some("B")),
            Some("B") => page(2..3, Some("A")),
            _ => page(50..51, None),
        },
        SIGNING,
    )
    .await;
    let results: Vec<_> = client(&server)
        .list_flow_operations()
        .firewall_arn(ARN)
        .into_paginator()
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 4);
    assert!(results[..3].iter().all(Result::is_ok));
    assert!(matches!(
        results[3],
        Err(PaginationError::RepeatedToken { .. })
    ));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn keep_polling_sends_repeated_tokens_again() {
    // A tailing stream: the token stays the same while new items arrive.
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let server = TestServer::start(
        move |r| {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            match token(r).as_deref() {
                None => page(0..2, Some("A")),
                _ => page(1 + n..2 + n, Some("A")),
            }
        },
        SIGNING,
    )
    .await;
    let got = ids(client(&server)
        .list_flow_operations()
        .firewall_arn(ARN)
        .into_paginator()
        .stop_on_duplicate_token(false)
        .max_items(6)
        .items())
    .await;
    assert_eq!(
        got,
        expected(0..6),
        "the same token is sent again and again"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn an_error_on_page_two_comes_after_page_one_then_the_stream_ends() {
    let server = TestServer::scripted(
        vec![
            page(0..3, Some("p2")),
            Reply::json(
                400,
                r#"{"__type":"InvalidRequestException","message":"bad token"}"#,
            ),
            page(7..8, None),
        ],
        SIGNING,
    )
    .await;
    let results: Vec<_> = client(&server)
        .list_flow_operations()
        .firewall_arn(ARN)
        .into_paginator()
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 4);
    assert!(results[..3].iter().all(Result::is_ok));
    let Err(PaginationError::Call(e)) = &results[3] else {
        panic!("{:?}", results[3])
    };
    assert!(e.as_service_error().unwrap().is_invalid_request_exception());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn throttling_is_retried_by_the_client_before_the_paginator_sees_it() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let server = TestServer::start(
        move |r| {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            match (n, token(r).as_deref()) {
                (1, _) => Reply::json(400, r#"{"__type":"ThrottlingException"}"#),
                (_, None) => page(0..2, Some("t2")),
                (_, Some(_)) => page(2..4, None),
            }
        },
        SIGNING,
    )
    .await;
    let got = ids(client(&server)
        .list_flow_operations()
        .firewall_arn(ARN)
        .into_paginator()
        .items())
    .await;
    assert_eq!(got, expected(0..4));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn bad_input_and_bad_starting_tokens_are_errors_not_requests() {
    let server = listing(5).await;
    let results: Vec<_> = client(&server)
        .list_flow_operations()
        .into_paginator()
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert!(results[0]
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("`FirewallArn` of `ListFlowOperationsRequest` is required"));
    let results: Vec<_> = client(&server)
        .list_flow_operations()
        .firewall_arn(ARN)
        .into_paginator()
        .starting_token("r1.@@@")
        .items()
        .collect()
        .await;
    assert!(matches!(
        results[..],
        [Err(PaginationError::InvalidStartingToken { .. })]
    ));
    assert!(server.requests().is_empty());

    // A token the service sent works as a starting token too.
    let got = ids(client(&server)
        .list_flow_operations()
        .firewall_arn(ARN)
        .into_paginator()
        .page_size(2)
        .starting_token("t3")
        .items())
    .await;
    assert_eq!(got, expected(3..5));
}
