//! What the generated code puts on the wire and reads back, through an in-process
//! transport that records requests and answers from a script.

use bytes::Bytes;
use futures_util::StreamExt as _;
use smithy_runtime::json::Parser;
use smithy_runtime::{Blob, DateTime, Document, Number, Operation, TransportError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Recorded = Arc<Mutex<Vec<http::Request<Bytes>>>>;

/// A configuration whose transport records requests and answers with `reply`.
fn config(
    reply: impl Fn(&http::Request<Bytes>) -> (u16, Vec<(&'static str, &'static str)>, String)
        + Send
        + Sync
        + 'static,
) -> (smithy_runtime::Config, Recorded) {
    let recorded: Recorded = Arc::default();
    let log = recorded.clone();
    let transport =
        move |req: http::Request<Bytes>| -> Result<http::Response<Bytes>, TransportError> {
            let (status, headers, body) = reply(&req);
            log.lock().unwrap().push(req);
            let mut r = http::Response::builder().status(status);
            for (k, v) in headers {
                r = r.header(k, v);
            }
            Ok(r.body(Bytes::from(body)).unwrap())
        };
    let config = smithy_runtime::Config::builder()
        .region("us-west-2")
        .credentials(smithy_runtime::Credentials::new("AKID", "SECRET", None))
        .retry_config(
            smithy_runtime::RetryConfig::standard()
                .with_initial_backoff(std::time::Duration::from_millis(1)),
        )
        .transport(transport)
        .build();
    (config, recorded)
}

/// A response with this body, as the generated parsers read it.
fn response(body: &[u8]) -> http::Response<Bytes> {
    http::Response::new(Bytes::copy_from_slice(body))
}

fn doc(bytes: &[u8]) -> Document {
    Parser::new(bytes).document().unwrap()
}

fn obj(d: &Document) -> &HashMap<String, Document> {
    match d {
        Document::Object(m) => m,
        other => panic!("not an object: {other:?}"),
    }
}

mod shapes {
    use super::*;
    use m_shapes::types::{Color, LegacyEnum, Level, PutThingInput, Thing, Value};

    fn thing() -> Thing {
        Thing::builder()
            .id("t-1")
            .ratio(f64::NAN)
            .weight(0.1)
            .small(-3)
            .short(300)
            .big(Number::parse("123456789012345678901234567890").unwrap())
            .exact(Number::parse("1.5e-3").unwrap())
            .data(Blob::new(b"hello".to_vec()))
            .created(DateTime::from_secs_and_nanos(1_700_000_037, 123_000_000))
            .updated(DateTime::from_secs(1_700_000_000))
            .expires(DateTime::from_secs(1_700_000_000))
            .extra(Document::Array(vec![
                Document::from(true),
                Document::Null,
                Document::from("x"),
            ]))
            .tags("k", "v")
            .labels("a")
            .labels("b")
            .holes(Some(1))
            .holes(None)
            .color(Color::DarkBlue)
            .level(Level::High)
            .legacy("m5.large")
            .child(
                Thing::builder()
                    .id("t-2")
                    .value(Value::Nothing)
                    .build()
                    .unwrap(),
            )
            .value(Value::L(vec![
                Value::S("s".into()),
                Value::Nested(Box::new(Value::N(7))),
            ]))
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn every_kind_of_shape_goes_out_as_awsjson_says() {
        let (config, recorded) = config(|_| (200, vec![], "{\"Id\":\"t-9\"}".into()));
        let client = m_shapes::Client::from_conf(config);
        let out = client
            .put_thing()
            .name("n")
            .owner("me")
            .thing(thing())
            .send()
            .await
            .unwrap();
        assert_eq!(out.id(), "t-9");
        let req = &recorded.lock().unwrap()[0];
        assert_eq!(req.headers()["x-amz-target"], "Shapes.PutThing");
        assert_eq!(req.headers()["content-type"], "application/x-amz-json-1.1");
        assert_eq!(
            req.uri().to_string(),
            "https://shapes.us-west-2.amazonaws.com/"
        );
        let body = doc(req.body());
        let top = obj(&body);
        assert_eq!(top["Name"], Document::from("n"));
        assert_eq!(
            top["Enabled"],
            Document::Bool(true),
            "a required member with a default is sent"
        );
        assert!(
            !top.contains_key("Count"),
            "an unset optional input member is not sent"
        );
        let token = match &top["ClientToken"] {
            Document::String(s) => s.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            token.len(),
            36,
            "an idempotency token is filled in: {token}"
        );
        let t = obj(&top["Thing"]);
        assert_eq!(t["Ratio"], Document::from("NaN"));
        assert_eq!(t["Weight"], Document::Number(Number::parse("0.1").unwrap()));
        assert_eq!(
            t["Big"],
            Document::Number(Number::parse("123456789012345678901234567890").unwrap())
        );
        assert_eq!(t["Data"], Document::from("aGVsbG8="));
        assert_eq!(
            t["Created"],
            Document::Number(Number::parse("1700000037.123").unwrap())
        );
        assert_eq!(t["Updated"], Document::from("2023-11-14T22:13:20Z"));
        assert_eq!(
            t["Expires"],
            Document::from("Tue, 14 Nov 2023 22:13:20 GMT")
        );
        assert_eq!(
            t["Holes"],
            Document::Array(vec![Document::from(1i64), Document::Null])
        );
        assert_eq!(t["Color"], Document::from("dark-blue"));
        assert_eq!(t["Level"], Document::from(10i64));
        assert_eq!(t["Legacy"], Document::from("m5.large"));
        assert_eq!(
            t["Size"],
            Document::from(0i64),
            "a default outside an input is sent"
        );
        assert_eq!(
            obj(&t["Child"])["Value"],
            Document::Object(HashMap::from([(
                "Nothing".to_string(),
                Document::Object(HashMap::new())
            )]))
        );
        let value = obj(&t["Value"]);
        assert_eq!(value.len(), 1, "a union sends exactly one member");
        let Document::Array(items) = &value["L"] else {
            panic!()
        };
        assert_eq!(
            items[1],
            Document::Object(HashMap::from([(
                "Nested".to_string(),
                Document::Object(HashMap::from([("N".to_string(), Document::from(7i64))]))
            )]))
        );
    }

    #[test]
    fn required_members_are_checked_before_sending() {
        let err = PutThingInput::builder().owner("me").build().unwrap_err();
        assert_eq!(
            err.to_string(),
            "`Name` of `PutThingInput` is required but was not set"
        );
        let err = PutThingInput::builder().name("n").build().unwrap_err();
        assert_eq!(
            err.to_string(),
            "`Owner` of `PutThingInput` is required but was not set",
            "@clientOptional stays checked"
        );
        let input = PutThingInput::builder()
            .name("n")
            .owner("me")
            .secret("hunter2")
            .build()
            .unwrap();
        let debug = format!("{input:?}");
        assert!(
            !debug.contains("hunter2") && debug.contains("Redacted"),
            "{debug}"
        );
    }

    #[test]
    fn responses_keep_unknown_values_and_fill_missing_required_members() {
        let body = br#"{
            "Size": null, "Unexpected": {"a": [1, 2]},
            "Created": 1.700000037123E9, "Updated": "2023-11-14T22:13:20.5Z", "Expires": "Tue, 14 Nov 2023 22:13:20 GMT",
            "Holes": [1, null, 3], "Color": "ultraviolet", "Level": 99, "Legacy": "x9.huge",
            "Tags": {"a": "1", "b": null},
            "Value": {"__type": "example.shapes#Value", "Brand": "new"},
            "Child": {"Id": "c", "Value": {"S": null, "N": 4}},
            "Data": "aGVsbG8=", "Ratio": "-Infinity", "Extra": {"k": [1.5, "s", false, null]}
        }"#;
        let t = m_shapes::operation::PutThing::parse(&response(body)).unwrap();
        assert_eq!(
            t.id(),
            "",
            "a required member the service left out gets its zero value"
        );
        assert_eq!(t.size(), 0);
        assert_eq!(
            t.created().unwrap(),
            DateTime::from_secs_and_nanos(1_700_000_037, 123_000_000)
        );
        assert_eq!(
            t.updated().unwrap(),
            DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000)
        );
        assert_eq!(t.expires().unwrap(), DateTime::from_secs(1_700_000_000));
        assert_eq!(t.holes(), &[Some(1), None, Some(3)]);
        assert!(matches!(t.color(), Some(Color::Unknown(v)) if v.as_str() == "ultraviolet"));
        assert!(matches!(t.level(), Some(Level::Unknown(v)) if v.value() == 99));
        assert!(matches!(t.legacy(), Some(LegacyEnum::Unknown(v)) if v.as_str() == "x9.huge"));
        assert_eq!(
            t.tags().unwrap().len(),
            1,
            "null map values are dropped from a dense map"
        );
        assert_eq!(
            t.value(),
            Some(&Value::Unknown),
            "__type is ignored; an unknown member is kept as Unknown"
        );
        assert_eq!(
            t.child().unwrap().value(),
            Some(&Value::N(4)),
            "null union members are ignored"
        );
        assert_eq!(t.data().unwrap().as_ref(), b"hello");
        assert_eq!(t.ratio(), Some(f64::NEG_INFINITY));
        assert!(matches!(t.extra(), Some(Document::Object(_))));
    }
}

mod errors {
    use super::*;
    use m_errors::error::DoItError;

    #[tokio::test]
    async fn query_compatible_codes_service_errors_and_retryable_errors() {
        let (config, recorded) = config(|req| {
            let n = req
                .headers()
                .get("amz-sdk-request")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            if n.starts_with("attempt=1") {
                (
                    500,
                    vec![],
                    r#"{"__type":"Busy","Message":"busy now"}"#.into(),
                )
            } else {
                (
                    400,
                    vec![("x-amzn-query-error", "AWS.NotFound;Sender")],
                    r#"{"__type":"com.example#NotFound","message":"gone","ResourceId":"r-1"}"#
                        .into(),
                )
            }
        });
        let client = m_errors::Client::from_conf(config);
        let err = client.do_it().send().await.unwrap_err();
        let requests = recorded.lock().unwrap();
        assert_eq!(requests.len(), 2, "the @retryable error was retried");
        assert_eq!(requests[0].headers()["x-amzn-query-mode"], "true");
        let DoItError::NotFound(e) = err.into_service_error() else {
            panic!()
        };
        assert_eq!((e.message(), e.resource_id()), (Some("gone"), Some("r-1")));
        assert_eq!(e.meta().code(), Some("AWS.NotFound"));
    }

    /// In the adaptive retry mode a throttled client waits for its rate limiter before
    /// it retries (two seconds here: the bucket fills at half a token a second when the
    /// client has no measured rate yet); in the standard mode only the backoff.
    #[tokio::test(start_paused = true)]
    async fn the_adaptive_mode_holds_a_throttled_client_back() {
        for (mode, at_least, below) in [
            (smithy_runtime::RetryMode::Adaptive, 1.9, 2.5),
            (smithy_runtime::RetryMode::Standard, 0.0, 0.5),
        ] {
            let (config, recorded) = config(|req| {
                if req.headers()["amz-sdk-request"]
                    .to_str()
                    .unwrap()
                    .starts_with("attempt=1")
                {
                    (429, vec![], r#"{"__type":"ThrottlingException"}"#.into())
                } else {
                    (200, vec![], "{}".into())
                }
            });
            let retry = config.retry_config().clone().with_mode(mode);
            let client =
                m_errors::Client::from_conf(config.to_builder().retry_config(retry).build());
            let start = tokio::time::Instant::now();
            client.do_it().send().await.expect("the retry succeeds");
            let waited = start.elapsed().as_secs_f64();
            assert_eq!(recorded.lock().unwrap().len(), 2);
            assert!(
                waited >= at_least && waited < below,
                "{mode:?}: waited {waited} s"
            );
        }
    }

    #[test]
    fn service_level_errors_and_odd_names_have_variants() {
        let meta = |code: &str| {
            smithy_runtime::ErrorMetadata::new(Some(code.into()), Some("m".into()), 500, None)
        };
        let e = m_errors::operation::DoIt::parse_error(
            meta("ServiceFault"),
            &response(br#"{"Code": 5}"#),
        );
        let DoItError::ServiceFault(f) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(
            f.code,
            Some(5),
            "a member named like an error method stays a public field"
        );
        assert_eq!(e.message(), Some("m"));
        let e = m_errors::operation::DoIt::parse_error(meta("Unhandled"), &response(b"{}"));
        assert!(
            e.is_unhandled_error(),
            "a modeled error named Unhandled gets its own variant: {e:?}"
        );
        let e = m_errors::operation::DoIt::parse_error(meta("Busy"), &response(b"{}"));
        let DoItError::Busy(b) = &e else { panic!() };
        assert_eq!(
            b.message(),
            Some(""),
            "a required message the service left out is empty"
        );
        let e = m_errors::operation::DoIt::parse_error(meta("NotFound"), &response(b"<html>"));
        assert!(
            matches!(e, DoItError::Unhandled(_)),
            "an error body of the wrong shape keeps the metadata"
        );
        assert_eq!(e.code(), Some("NotFound"));
    }

    #[tokio::test]
    async fn host_prefixes_come_from_host_labels() {
        let (config, recorded) = config(|_| (200, vec![], String::new()));
        let client = m_errors::Client::from_conf(config);
        client.fetch().shard("shard-7").send().await.unwrap();
        let (uri, host) = {
            let requests = recorded.lock().unwrap();
            (
                requests[0].uri().clone(),
                requests[0].headers()["host"].clone(),
            )
        };
        assert_eq!(
            uri.host(),
            Some("data-shard-7.test-errors.us-west-2.amazonaws.com")
        );
        assert_eq!(host, "data-shard-7.test-errors.us-west-2.amazonaws.com");
        let err = client.fetch().shard("bad/label").send().await.unwrap_err();
        assert!(
            err.to_string().contains("cannot be part of a host name"),
            "{err}"
        );
        assert_eq!(
            recorded.lock().unwrap().len(),
            1,
            "nothing sent for a bad label"
        );
    }
}

mod pagination {
    use super::*;
    use m_paginate_map_tokens::types::Cell;

    fn start_key(body: &[u8]) -> Option<i64> {
        let d = doc(body);
        let key = obj(&d).get("StartKey")?.clone();
        let Document::Object(k) = key else { panic!() };
        let Document::Object(cell) = &k["pk"] else {
            panic!()
        };
        match &cell["N"] {
            Document::String(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// 10 rows in pages of 3; the map token names the next row.
    fn scan_reply(req: &http::Request<Bytes>) -> (u16, Vec<(&'static str, &'static str)>, String) {
        let start = start_key(req.body()).unwrap_or(0);
        let end = (start + 3).min(10);
        let rows: Vec<String> = (start..end).map(|i| format!("\"row{i:02}\":{i}")).collect();
        let last = if end < 10 {
            format!(r#","LastKey":{{"pk":{{"N":"{end}"}}}}"#)
        } else {
            String::new()
        };
        (
            200,
            vec![],
            format!(r#"{{"Rows":{{{}}}{last}}}"#, rows.join(",")),
        )
    }

    #[tokio::test]
    async fn map_tokens_and_map_items_with_resume() {
        let (config, recorded) = config(scan_reply);
        use m_paginate_map_tokens_paginators::IntoPaginator as _;
        let client = m_paginate_map_tokens::Client::from_conf(config);
        let all: Vec<(String, i32)> = client
            .scan_table()
            .table_name("t")
            .into_paginator()
            .items()
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(all.len(), 10);
        assert_eq!(all[4], ("row04".to_string(), 4));
        assert_eq!(recorded.lock().unwrap().len(), 4);

        let mut first = client
            .scan_table()
            .table_name("t")
            .into_paginator()
            .page_size(3)
            .max_items(4)
            .items();
        let mut got = Vec::new();
        while let Some(i) = first.next().await {
            got.push(i.unwrap());
        }
        let resume = first.resume_token().unwrap().to_string();
        // A budget of no items hands the same place on, skip count and all.
        let mut none = client
            .scan_table()
            .table_name("t")
            .into_paginator()
            .starting_token(resume.clone())
            .max_items(0)
            .items();
        assert!(none.next().await.is_none());
        let resume = none.resume_token().unwrap().to_string();
        let rest: Vec<(String, i32)> = client
            .scan_table()
            .table_name("t")
            .into_paginator()
            .starting_token(resume)
            .items()
            .map(Result::unwrap)
            .collect()
            .await;
        got.extend(rest);
        assert_eq!(
            got, all,
            "resumed mid-page with a map token: nothing lost or repeated"
        );
        let limits: Vec<Document> = recorded
            .lock()
            .unwrap()
            .iter()
            .filter_map(|r| obj(&doc(r.body())).get("Limit").cloned())
            .collect();
        assert!(limits.iter().all(|l| *l == Document::from(3i64)));
        let _ = Cell::S(String::new());
    }

    #[tokio::test]
    async fn an_unknown_union_value_is_refused_before_sending() {
        // A value read from a response that this client cannot name is not sent as
        // `{}`: the call fails to build.
        let (config, recorded) = config(scan_reply);
        let client = m_paginate_map_tokens::Client::from_conf(config);
        let err = client
            .scan_table()
            .table_name("t")
            .start_key("pk", Cell::Unknown)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                m_paginate_map_tokens::runtime::SdkError::Construction { .. }
            ),
            "{err:?}"
        );
        let text = format!("{err} {:?}", std::error::Error::source(&err));
        assert!(
            text.contains("`Unknown` of `Cell`") && text.contains("cannot be sent"),
            "{text}"
        );
        assert!(recorded.lock().unwrap().is_empty(), "nothing was sent");
    }

    #[tokio::test]
    async fn nested_output_tokens_and_long_page_sizes() {
        let (files_config, recorded) = config(|req| {
            let d = doc(req.body());
            let marker = match obj(&d).get("Marker") {
                Some(Document::String(s)) => s.clone(),
                _ => String::new(),
            };
            let body = match marker.as_str() {
                "" => r#"{"Result":{"Files":["a","b"],"NextMarker":"m2"}}"#,
                "m2" => r#"{"Result":{"Files":["c"],"NextMarker":""}}"#,
                _ => r#"{"Result":{}}"#,
            };
            (200, vec![], body.to_string())
        });
        use m_paginate_service_defaults_paginators::IntoPaginator as _;
        let client = m_paginate_service_defaults::Client::from_conf(files_config);
        let files: Vec<String> = client
            .list_files()
            .into_paginator()
            .page_size(5_000_000_000i64)
            .items()
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(files, vec!["a", "b", "c"]);
        {
            let requests = recorded.lock().unwrap();
            assert_eq!(
                obj(&doc(requests[0].body()))["Limit"],
                Document::from(5_000_000_000i64)
            );
        }
        let (no_items, _) = config(|req| {
            let d = doc(req.body());
            let body = match obj(&d).get("Token") {
                None => r#"{"Token":"t1","Count":1}"#,
                Some(_) => r#"{"Count":2}"#,
            };
            (200, vec![], body.to_string())
        });
        use m_paginate_no_items_paginators::IntoPaginator as _;
        let client = m_paginate_no_items::Client::from_conf(no_items);
        let counts: Vec<Option<i32>> = client
            .list_no_items()
            .into_paginator()
            .pages()
            .map(|p| p.unwrap().count())
            .collect()
            .await;
        assert_eq!(counts, vec![Some(1), Some(2)]);
    }
}
