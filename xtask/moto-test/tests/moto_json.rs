//! Clients generated from the official DynamoDB (awsJson1_0) and Secrets Manager
//! (awsJson1_1) models against moto: every kind of DynamoDB attribute value written and
//! read back exactly, a failed condition as its typed error with the old item, Query
//! and Scan through the paginator with the `LastEvaluatedKey` map as the token (and a
//! resume token made of it); secrets as text and as bytes, the idempotency token
//! filled in, listing through the paginator, dates, tags, the typed errors of missing
//! resources, deleting. `MOTO_SERVER` names the `moto_server` program; each test
//! starts a moto server of its own.

use moto_test::Moto;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, SystemTime};

const ACCOUNT: &str = "123456789012";

/// Bytes that are not UTF-8 (a lone continuation byte, `0xff`, a broken two-byte
/// sequence), with a NUL and a newline.
const NOT_UTF8: &[u8] = &[0x00, 0xff, 0xfe, 0x80, b'\n', 0xc3, 0x28, 0x7f, 0x01];

/// Asserts that `date` is there and within a minute of now.
fn assert_recent(what: &str, date: Option<impl Into<SystemTime>>) {
    let date: SystemTime = date.unwrap_or_else(|| panic!("{what}: no date")).into();
    let now = SystemTime::now();
    let off = now
        .duration_since(date)
        .unwrap_or_else(|ahead| ahead.duration());
    assert!(
        off < Duration::from_secs(60),
        "{what}: {date:?} is not within a minute of {now:?}"
    );
}

/// Whether `s` reads as a UUID: 8-4-4-4-12 lowercase hex digits.
fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamodb_against_moto() {
    use dynamodb::error::{DescribeTableError, GetItemError, PutItemError};
    use dynamodb::primitives::Blob;
    use dynamodb::types::{
        AttributeDefinition, AttributeValue as V, BillingMode, KeySchemaElement, KeyType,
        ReturnValue, ReturnValuesOnConditionCheckFailure, ScalarAttributeType, TableStatus,
    };
    use dynamodb_paginators::IntoPaginator as _;

    type Item = HashMap<String, V>;
    /// The members of sets sorted (DynamoDB keeps no order in a set), at every depth.
    fn canonical(v: &V) -> V {
        match v {
            V::Ss(s) | V::Ns(s) => {
                let mut s = s.clone();
                s.sort();
                if v.is_ss() {
                    V::Ss(s)
                } else {
                    V::Ns(s)
                }
            }
            V::Bs(b) => {
                let mut b = b.clone();
                b.sort_by(|x, y| x.as_ref().cmp(y.as_ref()));
                V::Bs(b)
            }
            V::L(l) => V::L(l.iter().map(canonical).collect()),
            V::M(m) => V::M(canonical_item(m)),
            other => other.clone(),
        }
    }
    fn canonical_item(item: &Item) -> Item {
        item.iter()
            .map(|(k, v)| (k.clone(), canonical(v)))
            .collect()
    }
    let s = |text: &str| V::S(text.to_string());
    let n = |text: &str| V::N(text.to_string());
    let key = |pk: &str, sk: u32| -> Item {
        [
            ("pk".to_string(), s(pk)),
            ("sk".to_string(), n(&sk.to_string())),
        ]
        .into()
    };

    let moto = Moto::start();
    let client = moto_test::client_for!(dynamodb, moto);

    // A table keyed by a string (`pk`) and a number (`sk`).
    let created = client
        .create_table()
        .table_name("things")
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("sk")
                .attribute_type(ScalarAttributeType::N)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("sk")
                .key_type(KeyType::Range)
                .build()
                .unwrap(),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
    let table = created.table_description().expect("the created table");
    assert_eq!(table.table_name(), Some("things"));

    // The model's `TableExists` waiter: DescribeTable until the status is ACTIVE
    // (moto makes it so at once), its last output the table.
    let table = client
        .describe_table()
        .table_name("things")
        .wait_until_table_exists(Duration::from_secs(60))
        .await
        .expect("the table exists")
        .expect("the output that matched")
        .table()
        .expect("a table description")
        .clone();
    assert_eq!(table.table_status(), Some(&TableStatus::Active));
    let schema: Vec<(&str, &KeyType)> = table
        .key_schema()
        .iter()
        .map(|k| (k.attribute_name(), k.key_type()))
        .collect();
    assert_eq!(schema, [("pk", &KeyType::Hash), ("sk", &KeyType::Range)]);
    let attributes: BTreeMap<&str, &ScalarAttributeType> = table
        .attribute_definitions()
        .iter()
        .map(|a| (a.attribute_name(), a.attribute_type()))
        .collect();
    assert_eq!(
        attributes,
        [
            ("pk", &ScalarAttributeType::S),
            ("sk", &ScalarAttributeType::N)
        ]
        .into()
    );
    assert_eq!(
        table.table_arn(),
        Some(format!("arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/things").as_str())
    );
    assert_eq!(table.item_count(), Some(0));
    // An epoch-seconds timestamp with a fraction, on the wire.
    assert_recent("CreationDateTime", table.creation_date_time());

    // One item with every kind of attribute value.
    let nested: Item = [
        ("name", s("Joe")),
        ("age", n("35")),
        ("pets", V::Ss(vec!["cat".into(), "dog".into()])),
        (
            "inner",
            V::M(
                [(
                    "deep".to_string(),
                    V::L(vec![V::B(Blob::new(NOT_UTF8)), n("0.5"), V::Bool(true)]),
                )]
                .into(),
            ),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let mut item: Item = [
        ("text", s("héllo, \"wörld\"\n\t\\ \u{1f980} \u{0}")),
        ("empty", s("")),
        ("pi", n("3.14159")),
        ("negative", n("-42")),
        // 38 digits, DynamoDB's precision: no i64 nor f64 holds it.
        ("huge", n("12345678901234567890123456789012345678")),
        ("bytes", V::B(Blob::new(NOT_UTF8))),
        ("no bytes", V::B(Blob::new(Vec::new()))),
        ("yes", V::Bool(true)),
        ("no", V::Bool(false)),
        ("nothing", V::Null(true)),
        (
            "list",
            V::L(vec![
                s("a"),
                n("2"),
                V::Bool(false),
                V::Null(true),
                V::L(Vec::new()),
                V::M(HashMap::new()),
            ]),
        ),
        ("map", V::M(nested.clone())),
        (
            "strings",
            V::Ss(vec!["giraffe".into(), "hippo".into(), "zebra".into()]),
        ),
        (
            "numbers",
            V::Ns(vec!["42.2".into(), "-19".into(), "7.5".into()]),
        ),
        (
            "blobs",
            V::Bs(vec![
                Blob::new(NOT_UTF8),
                Blob::new(vec![0xff, 0x00]),
                Blob::new(b"plain".to_vec()),
            ]),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    item.extend(key("kinds", 1));
    let put = client
        .put_item()
        .table_name("things")
        .set_item(Some(item.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(put.attributes(), None, "no ReturnValues, no attributes");

    // Read back: every value exactly as written (sets compared as sets).
    let got = client
        .get_item()
        .table_name("things")
        .set_key(Some(key("kinds", 1)))
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    let read = got.item().expect("the item");
    assert_eq!(canonical_item(read), canonical_item(&item));
    match &read["bytes"] {
        V::B(b) => assert_eq!(b.as_ref(), NOT_UTF8),
        other => panic!("bytes came back as {other:?}"),
    }
    assert_eq!(read["no bytes"], V::B(Blob::new(Vec::new())));
    assert_eq!(
        read["huge"],
        n("12345678901234567890123456789012345678"),
        "numbers are text, kept digit for digit"
    );
    assert_eq!(read["nothing"], V::Null(true));
    assert_eq!(read["map"], V::M(nested.clone()));
    let V::M(map) = &read["map"] else {
        unreachable!()
    };
    assert_eq!(
        map["inner"],
        V::M(
            [(
                "deep".to_string(),
                V::L(vec![V::B(Blob::new(NOT_UTF8)), n("0.5"), V::Bool(true)])
            )]
            .into()
        )
    );
    let blobs: BTreeSet<Vec<u8>> = match &read["blobs"] {
        V::Bs(b) => b.iter().map(|b| b.as_ref().to_vec()).collect(),
        other => panic!("blobs came back as {other:?}"),
    };
    assert_eq!(
        blobs,
        [NOT_UTF8.to_vec(), vec![0xff, 0x00], b"plain".to_vec()].into()
    );

    // A key that is not there: no item, no error.
    let none = client
        .get_item()
        .table_name("things")
        .set_key(Some(key("kinds", 2)))
        .send()
        .await
        .unwrap();
    assert_eq!(none.item(), None);

    // A condition that fails: the modeled error, its message, and the item as it is
    // (`ReturnValuesOnConditionCheckFailure`); the item is left alone.
    let mut replacement = key("kinds", 1);
    replacement.insert("text".into(), s("replaced"));
    let err = client
        .put_item()
        .table_name("things")
        .set_item(Some(replacement.clone()))
        .condition_expression("attribute_not_exists(pk)")
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .send()
        .await
        .unwrap_err();
    match err.into_service_error() {
        PutItemError::ConditionalCheckFailedException(e) => {
            assert_eq!(e.message(), Some("The conditional request failed"));
            assert_eq!(e.meta().code(), Some("ConditionalCheckFailedException"));
            assert_eq!(e.meta().status(), 400);
            let old = e.item().expect("the item as it is");
            assert_eq!(canonical_item(old), canonical_item(&item));
        }
        other => panic!("expected ConditionalCheckFailedException, got {other:?}"),
    }
    let unchanged = client
        .get_item()
        .table_name("things")
        .set_key(Some(key("kinds", 1)))
        .projection_expression("#t, pi")
        .expression_attribute_names("#t", "text")
        .send()
        .await
        .unwrap();
    let unchanged = unchanged.item().unwrap();
    assert_eq!(unchanged.len(), 2, "{unchanged:?}");
    assert_eq!(unchanged["text"], item["text"]);
    assert_eq!(unchanged["pi"], n("3.14159"));

    // A condition that holds (names and values as placeholders): the item replaced,
    // the old one returned.
    let replaced = client
        .put_item()
        .table_name("things")
        .set_item(Some(replacement.clone()))
        .condition_expression("#t = :old AND yes = :yes")
        .expression_attribute_names("#t", "text")
        .expression_attribute_values(":old", item["text"].clone())
        .expression_attribute_values(":yes", V::Bool(true))
        .return_values(ReturnValue::AllOld)
        .send()
        .await
        .unwrap();
    assert_eq!(
        replaced.attributes().map(canonical_item),
        Some(canonical_item(&item))
    );
    let now = client
        .get_item()
        .table_name("things")
        .set_key(Some(key("kinds", 1)))
        .send()
        .await
        .unwrap();
    assert_eq!(now.item(), Some(&replacement));
    // Back as it was, for the scan below.
    client
        .put_item()
        .table_name("things")
        .set_item(Some(item.clone()))
        .send()
        .await
        .unwrap();

    // A table that is not there: the modeled error (`__type` carries a namespace).
    let err = client
        .get_item()
        .table_name("no-such-table")
        .set_key(Some(key("kinds", 1)))
        .send()
        .await
        .unwrap_err();
    match err.into_service_error() {
        GetItemError::ResourceNotFoundException(e) => {
            assert_eq!(e.message(), Some("Requested resource not found"));
            assert_eq!(e.meta().code(), Some("ResourceNotFoundException"));
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }

    // 25 items under one partition key, queried through the paginator seven at a time
    // (`Limit`); the token is the `LastEvaluatedKey` map, the key of a page's last item.
    for i in 0..25u32 {
        let mut row = key("series", i);
        row.insert("square".into(), n(&(i * i).to_string()));
        row.insert("label".into(), s(&format!("row {i:02}")));
        client
            .put_item()
            .table_name("things")
            .set_item(Some(row))
            .send()
            .await
            .unwrap_or_else(|e| panic!("PutItem series {i}: {e}"));
    }
    let query = || {
        client
            .query()
            .table_name("things")
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s("series"))
    };
    let pages: Vec<_> = query()
        .into_paginator()
        .page_size(7)
        .pages()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.items().len()).collect();
    assert_eq!(sizes, vec![7, 7, 7, 4]);
    let mut sk = 0u32;
    for (i, page) in pages.iter().enumerate() {
        assert_eq!(page.count(), page.items().len() as i32);
        for row in page.items() {
            assert_eq!(row["sk"], n(&sk.to_string()), "in key order");
            assert_eq!(row["square"], n(&(sk * sk).to_string()));
            assert_eq!(row["label"], s(&format!("row {sk:02}")));
            sk += 1;
        }
        if i + 1 < pages.len() {
            assert_eq!(page.last_evaluated_key(), Some(&key("series", sk - 1)));
        } else {
            assert_eq!(page.last_evaluated_key(), None, "the last page");
        }
    }
    assert_eq!(sk, 25);

    // Ten items, then the rest from the resume token (a page's map token and how many
    // of its items were handed out): each item exactly once, in order.
    let mut first = query().into_paginator().page_size(7).max_items(10).items();
    let mut sks = Vec::new();
    while let Some(row) = first.next().await {
        sks.push(row.unwrap()["sk"].clone());
    }
    assert_eq!(sks.len(), 10);
    let resume = first.resume_token().expect("a resume token").to_string();
    let rest: Vec<Item> = query()
        .into_paginator()
        .page_size(7)
        .starting_token(resume)
        .items()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    sks.extend(rest.into_iter().map(|row| row["sk"].clone()));
    let expected: Vec<V> = (0..25).map(|i| n(&i.to_string())).collect();
    assert_eq!(sks, expected);

    // The whole table scanned five at a time: 26 items in six pages, each once; the
    // item with every kind of value comes back whole through Scan too.
    let pages: Vec<_> = client
        .scan()
        .table_name("things")
        .into_paginator()
        .page_size(5)
        .pages()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.items().len()).collect();
    assert_eq!(sizes, vec![5, 5, 5, 5, 5, 1]);
    for page in &pages[..pages.len() - 1] {
        let last = page.items().last().unwrap();
        let expected: Item = ["pk", "sk"]
            .map(|k| (k.to_string(), last[k].clone()))
            .into();
        assert_eq!(page.last_evaluated_key(), Some(&expected));
    }
    let scanned: Vec<Item> = client
        .scan()
        .table_name("things")
        .into_paginator()
        .page_size(5)
        .items()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(scanned.len(), 26);
    let keys: BTreeSet<(String, String)> = scanned
        .iter()
        .map(|row| match (&row["pk"], &row["sk"]) {
            (V::S(pk), V::N(sk)) => (pk.clone(), sk.clone()),
            other => panic!("a key of the wrong types: {other:?}"),
        })
        .collect();
    assert_eq!(keys.len(), 26, "every item exactly once");
    let kinds = scanned
        .iter()
        .find(|row| row["pk"] == s("kinds"))
        .expect("the item with every kind of value");
    assert_eq!(canonical_item(kinds), canonical_item(&item));

    // Deleted: describing it is the typed error.
    let deleted = client
        .delete_table()
        .table_name("things")
        .send()
        .await
        .unwrap();
    // (AWS answers with the status DELETING, moto with ACTIVE: the status is not
    // checked.)
    assert_eq!(
        deleted.table_description().and_then(|t| t.table_name()),
        Some("things")
    );
    let err = client
        .describe_table()
        .table_name("things")
        .send()
        .await
        .unwrap_err();
    match err.into_service_error() {
        DescribeTableError::ResourceNotFoundException(_) => {}
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
    // `TableNotExists` succeeds on that error: no output to hand back.
    let gone = client
        .describe_table()
        .table_name("things")
        .wait_until_table_not_exists(Duration::from_secs(60))
        .await
        .expect("the table is gone");
    assert!(gone.is_none());
    drop(moto);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_manager_against_moto() {
    use secrets_manager::error::{
        CreateSecretError, DeleteSecretError, DescribeSecretError, GetSecretValueError,
    };
    use secrets_manager::primitives::Blob;
    use secrets_manager::types::{CreateSecretRequest, Tag};
    use secrets_manager_paginators::IntoPaginator as _;

    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build();
    let tags_of = |tags: &[Tag]| -> BTreeMap<String, String> {
        tags.iter()
            .map(|t| {
                (
                    t.key.clone().unwrap_or_default(),
                    t.value.clone().unwrap_or_default(),
                )
            })
            .collect()
    };

    // `ClientRequestToken` is an idempotency token: left unset, building the input
    // fills in a fresh random (version 4) UUID.
    let tokens: Vec<String> = (0..2)
        .map(|_| {
            let input = CreateSecretRequest::builder().name("x").build().unwrap();
            input.client_request_token.expect("a token filled in")
        })
        .collect();
    for token in &tokens {
        assert!(is_uuid(token), "{token}");
        assert_eq!(&token[14..15], "4", "a version 4 UUID: {token}");
    }
    assert_ne!(tokens[0], tokens[1]);

    let moto = Moto::start();
    let client = moto_test::client_for!(secrets_manager, moto);
    let arn_prefix = format!("arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:");

    // A secret as text, without a ClientRequestToken: the version is the token the
    // client made up.
    let text = "{\"user\":\"admin\",\"password\":\"p@ss wörd \\\"quoted\\\"\"}\n\u{1f511}";
    let created = client
        .create_secret()
        .name("app/db")
        .description("the database")
        .secret_string(text)
        .tags(tag("team", "storage"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.name(), Some("app/db"));
    let arn = created.arn().expect("an ARN").to_string();
    assert!(arn.starts_with(&format!("{arn_prefix}app/db-")), "{arn}");
    let version = created.version_id().expect("a version").to_string();
    assert!(is_uuid(&version), "{version}");

    // The same name again, again without a token: a new token, so a new version of a
    // secret that exists, refused with the modeled error. (moto names the secret only
    // when the request carries a token; without one it says "A resource with the ID
    // you requested already exists.": the message shows the token went out.)
    let err = client
        .create_secret()
        .name("app/db")
        .secret_string("something else")
        .send()
        .await
        .unwrap_err();
    match err.into_service_error() {
        CreateSecretError::ResourceExistsException(e) => {
            assert_eq!(
                e.message(),
                Some("The operation failed because the secret app/db already exists.")
            );
        }
        other => panic!("expected ResourceExistsException, got {other:?}"),
    }
    // With the first call's token and value: a retry of it, answered as the first.
    let retried = client
        .create_secret()
        .name("app/db")
        .client_request_token(&version)
        .secret_string(text)
        .send()
        .await
        .unwrap();
    assert_eq!(retried.arn(), Some(arn.as_str()));
    assert_eq!(retried.version_id(), Some(version.as_str()));

    // A secret as bytes (all 256 of them, not UTF-8), with a token of our own.
    let bytes: Vec<u8> = (0..=255u8).rev().chain(NOT_UTF8.iter().copied()).collect();
    assert!(std::str::from_utf8(&bytes).is_err());
    let own_token = "00000000-1111-4222-8333-444444444444";
    let binary = client
        .create_secret()
        .name("app/key")
        .client_request_token(own_token)
        .secret_binary(Blob::new(bytes.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(binary.version_id(), Some(own_token));
    let binary_arn = binary.arn().unwrap().to_string();

    // Read back exactly: the text as text, the bytes as bytes.
    let value = client
        .get_secret_value()
        .secret_id("app/db")
        .send()
        .await
        .unwrap();
    assert_eq!(value.secret_string(), Some(text));
    assert_eq!(value.secret_binary(), None);
    assert_eq!(value.arn(), Some(arn.as_str()));
    assert_eq!(value.name(), Some("app/db"));
    assert_eq!(value.version_id(), Some(version.as_str()));
    assert_eq!(value.version_stages(), ["AWSCURRENT"]);
    assert_recent("GetSecretValue CreatedDate", value.created_date());
    let value = client
        .get_secret_value()
        .secret_id(&binary_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(value.secret_string(), None);
    let secret = value.secret_binary().expect("the bytes");
    assert_eq!(secret.as_ref(), &bytes[..]);
    assert_eq!(value.version_id(), Some(own_token));

    // Described: dates, the version and its stage, tags.
    let described = client
        .describe_secret()
        .secret_id("app/db")
        .send()
        .await
        .unwrap();
    assert_eq!(described.arn(), Some(arn.as_str()));
    assert_eq!(described.description(), Some("the database"));
    assert_recent("CreatedDate", described.created_date());
    assert_recent("LastChangedDate", described.last_changed_date());
    assert_eq!(described.deleted_date(), None);
    let stages = described.version_ids_to_stages().expect("the versions");
    assert_eq!(
        stages,
        &HashMap::from([(version.clone(), vec!["AWSCURRENT".to_string()])])
    );
    assert_eq!(
        tags_of(described.tags()),
        BTreeMap::from([("team".to_string(), "storage".to_string())])
    );

    // Tags added, then one taken off.
    client
        .tag_resource()
        .secret_id("app/db")
        .tags(tag("env", "prod"))
        .tags(tag("cost center", "42/a&b"))
        .send()
        .await
        .unwrap();
    let tagged = client
        .describe_secret()
        .secret_id(&arn)
        .send()
        .await
        .unwrap();
    let expected: BTreeMap<String, String> = [
        ("team", "storage"),
        ("env", "prod"),
        ("cost center", "42/a&b"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(tags_of(tagged.tags()), expected);
    client
        .untag_resource()
        .secret_id("app/db")
        .tag_keys("team")
        .tag_keys("cost center")
        .send()
        .await
        .unwrap();
    let untagged = client
        .describe_secret()
        .secret_id("app/db")
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags_of(untagged.tags()),
        BTreeMap::from([("env".to_string(), "prod".to_string())])
    );

    // 15 more, then all 17 listed through the paginator five to a page
    // (`MaxResults` / `NextToken`; the model names no items, so pages only).
    let mut names: BTreeSet<String> = ["app/db", "app/key"].map(String::from).into();
    for i in 0..15 {
        let name = format!("bulk/secret-{i:02}");
        client
            .create_secret()
            .name(&name)
            .secret_string(format!("value {i}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateSecret {name}: {e}"));
        names.insert(name);
    }
    let pages: Vec<_> = client
        .list_secrets()
        .into_paginator()
        .page_size(5)
        .pages()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.secret_list().len()).collect();
    assert_eq!(sizes, vec![5, 5, 5, 2]);
    let listed: Vec<_> = pages.iter().flat_map(|p| p.secret_list()).collect();
    let listed_names: BTreeSet<String> = listed
        .iter()
        .map(|s| s.name().unwrap().to_string())
        .collect();
    assert_eq!(listed.len(), 17);
    assert_eq!(listed_names, names, "every secret exactly once");
    let entry = listed.iter().find(|s| s.name() == Some("app/db")).unwrap();
    assert_eq!(entry.arn(), Some(arn.as_str()));
    assert_recent("SecretListEntry CreatedDate", entry.created_date());
    assert_eq!(
        tags_of(entry.tags()),
        BTreeMap::from([("env".to_string(), "prod".to_string())])
    );

    // A secret that is not there: the modeled error.
    let err = client
        .get_secret_value()
        .secret_id("no/such/secret")
        .send()
        .await
        .unwrap_err();
    match err.into_service_error() {
        GetSecretValueError::ResourceNotFoundException(e) => {
            assert_eq!(
                e.message(),
                Some("Secrets Manager can't find the specified secret.")
            );
            assert_eq!(e.meta().code(), Some("ResourceNotFoundException"));
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
    let err = client
        .describe_secret()
        .secret_id("no/such/secret")
        .send()
        .await
        .unwrap_err();
    match err.into_service_error() {
        DescribeSecretError::ResourceNotFoundException(_) => {}
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
    // Deleting one that is not there, with a recovery window, is the error too.
    let err = client
        .delete_secret()
        .secret_id("no/such/secret")
        .recovery_window_in_days(7)
        .send()
        .await
        .unwrap_err();
    match err.into_service_error() {
        DeleteSecretError::ResourceNotFoundException(_) => {}
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }

    // Deleted without a recovery window: gone. (AWS finishes such a deletion
    // asynchronously, in seconds; moto at once.)
    let deleted = client
        .delete_secret()
        .secret_id("app/key")
        .force_delete_without_recovery(true)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.arn(), Some(binary_arn.as_str()));
    assert_eq!(deleted.name(), Some("app/key"));
    assert_recent("DeletionDate", deleted.deletion_date());
    let err = client
        .get_secret_value()
        .secret_id("app/key")
        .send()
        .await
        .unwrap_err();
    let service_error = err.as_service_error().unwrap_or_else(|| panic!("{err}"));
    assert!(
        service_error.is_resource_not_found_exception(),
        "{service_error:?}"
    );
    let left: usize = client
        .list_secrets()
        .into_paginator()
        .page_size(5)
        .pages()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap()
        .iter()
        .map(|p| p.secret_list().len())
        .sum();
    assert_eq!(left, 16);
    drop(moto);
}
