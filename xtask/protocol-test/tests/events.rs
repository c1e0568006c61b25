//! Event streams, through the client generated from `codegen/tests/models/events.json`:
//! an output stream (the initial response's members, then events with header members,
//! a blob payload and a structure payload, read as they come, and the modeled
//! exception that ends the stream), and a duplex one, remarks sent while replies come
//! back, each remark signed in the chain that starts from the request's signature.

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use bytes::Bytes;
use m_events::primitives::EventStreamError;
use m_events::types::Happenings;
use smithy_runtime::{DateTime, TransportError};

/// A message as the service encodes it.
fn message(headers: Vec<(&'static str, HeaderValue)>, payload: &[u8]) -> Vec<u8> {
    let mut m = Message::new(Bytes::copy_from_slice(payload));
    for (name, value) in headers {
        m = m.add_header(Header::new(name, value));
    }
    let mut out = Vec::new();
    write_message_to(&m, &mut out).unwrap();
    out
}

fn s(text: &'static str) -> HeaderValue {
    HeaderValue::String(text.into())
}

/// A client whose service answers with `body` and the header `x-session: s-1`.
fn client(body: Vec<u8>) -> m_events::Client {
    let transport =
        move |req: http::Request<Bytes>| -> Result<http::Response<Bytes>, TransportError> {
            assert_eq!(req.uri().path(), "/watch/news");
            Ok(http::Response::builder()
                .status(200)
                .header("content-type", "application/vnd.amazon.eventstream")
                .header("x-session", "s-1")
                .body(Bytes::from(body.clone()))
                .unwrap())
        };
    m_events::Client::from_conf(
        smithy_runtime::Config::builder()
            .region("us-west-2")
            .credentials(smithy_runtime::Credentials::new("AKID", "SECRET", None))
            .transport(transport)
            .build(),
    )
}

#[tokio::test]
async fn events_are_read_in_order_and_an_exception_ends_the_stream() {
    let event = |t: &'static str| vec![(":message-type", s("event")), (":event-type", s(t))];
    let mut body = Vec::new();
    let mut note = event("Note");
    note.push(("Seq", HeaderValue::Int64(7)));
    note.push((
        "At",
        HeaderValue::Timestamp(aws_smithy_types::DateTime::from_millis(1_700_000_000_123)),
    ));
    body.extend(message(note, br#"{"Text":"hello"}"#));
    body.extend(message(event("Chunk"), b"\x00\x01raw"));
    let mut detail = event("Detail");
    detail.push(("Kind", s("size")));
    body.extend(message(detail, br#"{"Value":42}"#));
    // An enum payload, a known value and one this client does not know.
    body.extend(message(event("Mood"), b"CALM"));
    body.extend(message(event("Mood"), b"GIDDY"));
    // An event type this client does not know: kept as `Unknown`, not an error.
    body.extend(message(event("Later"), b"{}"));
    body.extend(message(
        vec![
            (":message-type", s("exception")),
            (":exception-type", s("Stop")),
        ],
        br#"{"Reason":"done"}"#,
    ));
    let mut out = client(body)
        .watch()
        .topic("news")
        .send()
        .await
        .expect("the initial response parses");
    assert_eq!(out.session.as_deref(), Some("s-1"));

    let Happenings::Note(note) = out.events.recv().await.unwrap().unwrap() else {
        panic!("a note first");
    };
    assert_eq!(note.seq, Some(7));
    assert_eq!(note.at, Some(DateTime::from_millis(1_700_000_000_123)));
    assert_eq!(note.text.as_deref(), Some("hello"));

    let Happenings::Chunk(chunk) = out.events.recv().await.unwrap().unwrap() else {
        panic!("a chunk second");
    };
    assert_eq!(chunk.bytes.unwrap().as_ref(), b"\x00\x01raw");

    let Happenings::Detail(detail) = out.events.recv().await.unwrap().unwrap() else {
        panic!("a detail third");
    };
    assert_eq!(detail.kind.as_deref(), Some("size"));
    assert_eq!(detail.body.unwrap().value, Some(42));

    for want in ["CALM", "GIDDY"] {
        let Happenings::Mood(mood) = out.events.recv().await.unwrap().unwrap() else {
            panic!("a mood");
        };
        assert_eq!(mood.feeling.unwrap().as_str(), want);
    }

    assert_eq!(out.events.recv().await.unwrap(), Some(Happenings::Unknown));

    match out.events.recv().await {
        Err(EventStreamError::Modeled { event, code }) => {
            assert_eq!(code, "Stop");
            let Happenings::Stop(stopped) = *event else {
                panic!("the Stop exception");
            };
            assert_eq!(stopped.reason.as_deref(), Some("done"));
        }
        other => panic!("expected the modeled exception, got {other:?}"),
    }
    // The exception ended the stream.
    assert_eq!(out.events.recv().await.unwrap(), None);
}

/// An error message the model does not describe, and a header of the wrong type, are
/// errors of the stream, with the service's code.
#[tokio::test]
async fn unmodeled_errors_and_wrong_headers_are_errors() {
    let body = message(
        vec![
            (":message-type", s("error")),
            (":error-code", s("ThrottlingException")),
            (":error-message", s("slow down")),
        ],
        b"",
    );
    let mut out = client(body).watch().topic("news").send().await.unwrap();
    let e = out.events.recv().await.unwrap_err();
    assert_eq!(e.code(), Some("ThrottlingException"));
    assert!(e.to_string().contains("slow down"), "{e}");

    let body = message(
        vec![
            (":message-type", s("event")),
            (":event-type", s("Note")),
            ("Seq", s("not a number")),
        ],
        b"{}",
    );
    let mut out = client(body).watch().topic("news").send().await.unwrap();
    let e = out.events.recv().await.unwrap_err();
    assert!(matches!(e, EventStreamError::Malformed(_)), "{e}");
    assert!(e.to_string().contains("Seq"), "{e}");
}

/// awsJson: the stream starts with an `initial-response` event (the output's other
/// members; this output has none), which the client passes over.
#[tokio::test]
async fn an_aws_json_stream_starts_after_its_initial_response() {
    let event = |t: &'static str| vec![(":message-type", s("event")), (":event-type", s(t))];
    let mut body = message(event("initial-response"), b"{}");
    body.extend(message(event("Record"), br#"{"Data":"d1","Sequence":1}"#));
    body.extend(message(event("Record"), br#"{"Data":"d2","Sequence":2}"#));
    body.extend(message(
        vec![
            (":message-type", s("exception")),
            (":exception-type", s("Gone")),
        ],
        br#"{"message":"feed deleted"}"#,
    ));
    let transport =
        move |req: http::Request<Bytes>| -> Result<http::Response<Bytes>, TransportError> {
            assert_eq!(
                req.headers()["x-amz-target"],
                "Feed.Follow",
                "an awsJson request"
            );
            Ok(http::Response::builder()
                .status(200)
                .header("content-type", "application/vnd.amazon.eventstream")
                .body(Bytes::from(body.clone()))
                .unwrap())
        };
    let client = m_events_json::Client::from_conf(
        smithy_runtime::Config::builder()
            .region("us-west-2")
            .credentials(smithy_runtime::Credentials::new("AKID", "SECRET", None))
            .transport(transport)
            .build(),
    );
    let mut out = client.follow().feed("f").send().await.unwrap();
    let mut data = Vec::new();
    let error = loop {
        match out.records.recv().await {
            Ok(Some(m_events_json::types::RecordStream::Record(r))) => {
                data.push((r.data.unwrap_or_default(), r.sequence.unwrap_or_default()))
            }
            Ok(other) => panic!("unexpected {other:?}"),
            Err(e) => break e,
        }
    };
    assert_eq!(data, [("d1".to_string(), 1), ("d2".to_string(), 2)]);
    assert_eq!(error.code(), Some("Gone"));
    let EventStreamError::Modeled { event, .. } = error else {
        panic!("the modeled exception");
    };
    let m_events_json::types::RecordStream::Gone(gone) = *event else {
        panic!("Gone");
    };
    assert_eq!(gone.message.as_deref(), Some("feed deleted"));
}

/// An in-process service for `Converse`: it answers at once, then replies to each
/// remark as it arrives with a note (the line's `Seq` and text, or the audio's length),
/// and ends its stream when the caller's ends. It keeps the request's head and the
/// bytes of its body.
#[derive(Clone, Default)]
struct Echo {
    sent: std::sync::Arc<std::sync::Mutex<Option<http::Request<Vec<u8>>>>>,
}

impl smithy_runtime::transport::Transport for Echo {
    fn send(
        &self,
        request: http::Request<smithy_runtime::ByteStream>,
    ) -> smithy_runtime::transport::BoxFuture<
        '_,
        Result<http::Response<smithy_runtime::ByteStream>, TransportError>,
    > {
        let sent = self.sent.clone();
        Box::pin(async move {
            let (parts, mut body) = request.into_parts();
            *sent.lock().unwrap() = Some(http::Request::from_parts(parts, Vec::new()));
            let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(4);
            tokio::spawn(async move {
                // Each chunk of this client's body is one (signed) message.
                while let Some(chunk) = body.next().await {
                    let chunk = chunk.unwrap();
                    if let Some(r) = sent.lock().unwrap().as_mut() {
                        r.body_mut().extend_from_slice(&chunk);
                    }
                    let outer = aws_smithy_eventstream::frame::read_message_from(chunk).unwrap();
                    if outer.payload().is_empty() {
                        break;
                    }
                    let inner =
                        aws_smithy_eventstream::frame::read_message_from(outer.payload().clone())
                            .unwrap();
                    let header = |name: &str| {
                        inner
                            .headers()
                            .iter()
                            .find(|h| h.name().as_str() == name)
                            .map(|h| h.value().clone())
                    };
                    let (seq, text) = match header(":event-type") {
                        Some(HeaderValue::String(t)) if t.as_str() == "Line" => {
                            let Some(HeaderValue::Int64(seq)) = header("Seq") else {
                                panic!("a line has its Seq header");
                            };
                            let body = std::str::from_utf8(inner.payload()).unwrap();
                            (seq, body.to_string())
                        }
                        other => (0, format!("{other:?} of {} bytes", inner.payload().len())),
                    };
                    let mut reply = vec![(":message-type", s("event")), (":event-type", s("Note"))];
                    reply.push(("Seq", HeaderValue::Int64(seq)));
                    let json = format!("{{\"Text\":{text:?}}}");
                    let _ = tx.send(Bytes::from(message(reply, json.as_bytes()))).await;
                }
            });
            let replies = futures_util::stream::unfold(rx, |mut rx| async move {
                rx.recv().await.map(|b| (Ok::<_, std::io::Error>(b), rx))
            });
            Ok(http::Response::builder()
                .status(200)
                .header("content-type", "application/vnd.amazon.eventstream")
                .body(smithy_runtime::ByteStream::from_stream(replies))
                .unwrap())
        })
    }
}

#[tokio::test]
async fn remarks_go_out_while_replies_come_back() {
    use m_events::primitives::EventSender;
    use m_events::types::{Audio, Line, Remarks};
    let echo = Echo::default();
    let client = m_events::Client::from_conf(
        smithy_runtime::Config::builder()
            .region("us-west-2")
            .credentials(smithy_runtime::Credentials::new(
                "AKIDTEST",
                "SECRETTEST",
                None,
            ))
            .transport(echo.clone())
            .build(),
    );
    let (say, tx) = EventSender::channel(1);
    let mut out = client
        .converse()
        .room("lobby")
        .say(say)
        .send()
        .await
        .expect("the service answers before any remark");

    // Each reply comes back before the next remark is sent.
    let line = Line::builder().seq(1).text("hi there").build().unwrap();
    tx.send(Remarks::Line(line)).await.unwrap();
    let Happenings::Note(note) = out.replies.recv().await.unwrap().unwrap() else {
        panic!("a note");
    };
    assert_eq!(note.seq, Some(1));
    assert_eq!(note.text.as_deref(), Some(r#"{"Text":"hi there"}"#));

    let audio = Audio::builder()
        .bytes(smithy_runtime::Blob::new(vec![1, 2, 3]))
        .build();
    tx.send(Remarks::Audio(audio)).await.unwrap();
    let Happenings::Note(note) = out.replies.recv().await.unwrap().unwrap() else {
        panic!("a note");
    };
    assert!(note.text.unwrap().contains("of 3 bytes"));

    // The caller's stream ends; so does the service's.
    drop(tx);
    assert_eq!(out.replies.recv().await.unwrap(), None);

    let request = echo.sent.lock().unwrap().take().unwrap();
    assert_eq!(request.uri().path(), "/converse/lobby");
    assert_eq!(
        request.headers()["content-type"],
        "application/vnd.amazon.eventstream"
    );
    assert_eq!(
        request.headers()["x-amz-content-sha256"],
        "STREAMING-AWS4-HMAC-SHA256-EVENTS"
    );
    // Every message's signature, chained from the request's, as a service checks them.
    let request = request.map(Bytes::from);
    let events = smithy_runtime::protocol_test::sent_events(&request);
    assert_eq!(events.len(), 2);
    let payload = std::str::from_utf8(events[0].payload()).unwrap();
    assert_eq!(payload, r#"{"Text":"hi there"}"#);
}

/// A required event member left unset is caught by its builder; an event the client
/// cannot send (the `Unknown` variant) fails the call rather than sending half a stream.
#[tokio::test]
async fn events_that_cannot_be_sent_fail_the_call() {
    use m_events::primitives::EventSender;
    use m_events::types::{Line, Remarks};
    assert!(Line::builder().text("no seq").build().is_err());
    let client = m_events::Client::from_conf(
        smithy_runtime::Config::builder()
            .region("us-west-2")
            .credentials(smithy_runtime::Credentials::new("AKID", "SECRET", None))
            .transport(
                |req: http::Request<Bytes>| -> Result<http::Response<Bytes>, TransportError> {
                    panic!("nothing is sent: {req:?}")
                },
            )
            .build(),
    );
    let e = client
        .converse()
        .room("lobby")
        .say(EventSender::from(vec![Remarks::Unknown]))
        .send()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("cannot be sent"), "{e}");
}
