//! Unit tests of the HTTP binding primitives. Case ids in comments are those of the
//! official compliance suite (`aws/restJson1/*.smithy`, `aws/restXml/*.smithy`).

use super::*;

const T: i64 = 1_576_540_098; // 2019-12-16T23:48:18Z, the suite's favourite instant.

fn ts(format: TimestampFormat) -> Scalar<'static> {
    Scalar::Timestamp(DateTime::from_secs(T), format)
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    percent_encode_into(&mut out, s);
    out
}

fn enc_greedy(s: &str) -> String {
    let mut out = String::new();
    percent_encode_greedy_into(&mut out, s);
    out
}

fn text(v: Scalar<'_>) -> String {
    let mut out = String::new();
    v.write_to(&mut out);
    out
}

fn list(items: &[Scalar<'_>]) -> String {
    let mut out = String::new();
    write_header_list(&mut out, items.iter().copied());
    out
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.append(
            HeaderName::from_static(k),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    h
}

// --- percent-encoding ------------------------------------------------------

#[test]
fn encodes_everything_but_unreserved() {
    // RestJsonHttpRequestLabelEscaping / RestJsonQueryStringEscaping
    assert_eq!(
        enc(" %:/?#[]@!$&'()*+,;=😹"),
        "%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9"
    );
    assert_eq!(enc("AZaz09-._~"), "AZaz09-._~");
    assert_eq!(enc("a+b c"), "a%2Bb%20c");
    assert_eq!(enc("100%"), "100%25");
    assert_eq!(enc("%2F"), "%252F");
    assert_eq!(enc("\"<>\\^`{|}"), "%22%3C%3E%5C%5E%60%7B%7C%7D");
    assert_eq!(enc("é"), "%C3%A9");
    assert_eq!(enc("aé"), "a%C3%A9");
    assert_eq!(enc("éa"), "%C3%A9a");
    assert_eq!(enc("日本"), "%E6%97%A5%E6%9C%AC");
    assert_eq!(enc("\0\n\u{7f}"), "%00%0A%7F");
    assert_eq!(enc(""), "");
}

#[test]
fn greedy_encoding_keeps_slashes_only() {
    // RestJsonHttpRequestWithGreedyLabelInPath, S3EscapePathObjectKeyInUriLabel
    assert_eq!(enc_greedy("there/guy"), "there/guy");
    assert_eq!(enc_greedy("foo/bar/my key.txt"), "foo/bar/my%20key.txt");
    // S3PreservesLeadingDotSegmentInUriLabel, S3PreservesEmbeddedDotSegmentInUriLabel
    assert_eq!(enc_greedy("../key.txt"), "../key.txt");
    assert_eq!(enc_greedy("foo/../key.txt"), "foo/../key.txt");
    assert_eq!(enc_greedy("/a//b/"), "/a//b/");
    assert_eq!(
        enc_greedy(" %:/?#[]@!$&'()*+,;=😹"),
        "%20%25%3A/%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9"
    );
}

#[test]
fn output_parses_as_a_uri_for_any_text() {
    // Every byte value, and multi-byte characters: the result is always a valid path.
    let all: String = (0u32..0x800).filter_map(char::from_u32).collect();
    for greedy in [false, true] {
        let mut path = String::from("/");
        encode_into(&mut path, &all, greedy);
        assert!(path.parse::<http::Uri>().is_ok());
        assert!(path.bytes().all(|b| b.is_ascii_graphic()));
    }
}

// --- scalar text -----------------------------------------------------------

#[test]
fn scalar_text() {
    assert_eq!(text(Scalar::Str("a b")), "a b");
    assert_eq!(text(Scalar::Bool(true)), "true");
    assert_eq!(text(Scalar::Bool(false)), "false");
    assert_eq!(text(Scalar::Int(0)), "0");
    assert_eq!(text(Scalar::Int(i64::MIN)), "-9223372036854775808");
    assert_eq!(text(4.1f32.into()), "4.1"); // no widening noise
    assert_eq!(text(5.1f64.into()), "5.1");
    assert_eq!(text(1.1f32.into()), "1.1");
    assert_eq!(text(5.0f64.into()), "5");
    assert_eq!(text((-0.5f64).into()), "-0.5");
    assert_eq!(text(1e300f64.into()), "1e300");
    assert_eq!(text(f32::NAN.into()), "NaN");
    assert_eq!(text(f64::INFINITY.into()), "Infinity");
    assert_eq!(text(f32::NEG_INFINITY.into()), "-Infinity");
    assert_eq!(text(ts(TimestampFormat::DateTime)), "2019-12-16T23:48:18Z");
    assert_eq!(
        text(ts(TimestampFormat::HttpDate)),
        "Mon, 16 Dec 2019 23:48:18 GMT"
    );
    assert_eq!(text(ts(TimestampFormat::EpochSeconds)), "1576540098");
    let frac = DateTime::from_secs_and_nanos(T, 120_000_000);
    assert_eq!(
        text(Scalar::Timestamp(frac, TimestampFormat::DateTime)),
        "2019-12-16T23:48:18.12Z"
    );
    assert_eq!(
        text(Scalar::Timestamp(frac, TimestampFormat::EpochSeconds)),
        "1576540098.12"
    );
    let n = Number::parse("123456789012345678901234567890").unwrap();
    assert_eq!(text(Scalar::number(&n)), "123456789012345678901234567890");
    assert_eq!(text(7i8.into()), "7");
    assert_eq!(text((-7i16).into()), "-7");
    assert_eq!(text(7i32.into()), "7");
    let s = String::from("owned");
    assert_eq!(text((&s).into()), "owned");
}

// --- labels and URI patterns -----------------------------------------------

#[test]
fn uri_with_all_label_types() {
    // RestJsonInputWithHeadersAndAllParams (restXml: InputWithHeadersAndAllParams)
    let mut out = String::new();
    write_uri(
        &mut out,
        "/HttpRequestWithLabels/{string}/{short}/{integer}/{long}/{float}/{double}/{boolean}/{timestamp}",
        |name| match name {
            "string" => Some(Scalar::Str("string")),
            "short" => Some(1i16.into()),
            "integer" => Some(2i32.into()),
            "long" => Some(3i64.into()),
            "float" => Some(4.1f32.into()),
            "double" => Some(5.1f64.into()),
            "boolean" => Some(true.into()),
            "timestamp" => Some(ts(TimestampFormat::DateTime)),
            _ => None,
        },
    )
    .unwrap();
    assert_eq!(
        out,
        "/HttpRequestWithLabels/string/1/2/3/4.1/5.1/true/2019-12-16T23%3A48%3A18Z"
    );
}

#[test]
fn uri_label_escaping() {
    // RestJsonHttpRequestLabelEscaping (restXml: HttpRequestLabelEscaping)
    let mut out = String::new();
    write_uri(
        &mut out,
        "/HttpRequestWithLabels/{string}/{short}",
        |name| match name {
            "string" => Some(Scalar::Str(" %:/?#[]@!$&'()*+,;=😹")),
            _ => Some(Scalar::Int(1)),
        },
    )
    .unwrap();
    assert_eq!(
        out,
        "/HttpRequestWithLabels/%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9/1"
    );
}

#[test]
fn uri_label_timestamp_formats() {
    // RestJsonHttpRequestWithLabelsAndTimestampFormat
    let mut out = String::new();
    write_uri(
        &mut out,
        "/HttpRequestWithLabelsAndTimestampFormat/{memberEpochSeconds}/{memberHttpDate}/{memberDateTime}/{defaultFormat}/{targetEpochSeconds}/{targetHttpDate}/{targetDateTime}",
        |name| {
            Some(ts(match name {
                "memberEpochSeconds" | "targetEpochSeconds" => TimestampFormat::EpochSeconds,
                "memberHttpDate" | "targetHttpDate" => TimestampFormat::HttpDate,
                _ => TimestampFormat::DateTime,
            }))
        },
    )
    .unwrap();
    assert_eq!(
        out,
        "/HttpRequestWithLabelsAndTimestampFormat\
         /1576540098\
         /Mon%2C%2016%20Dec%202019%2023%3A48%3A18%20GMT\
         /2019-12-16T23%3A48%3A18Z\
         /2019-12-16T23%3A48%3A18Z\
         /1576540098\
         /Mon%2C%2016%20Dec%202019%2023%3A48%3A18%20GMT\
         /2019-12-16T23%3A48%3A18Z"
    );
}

#[test]
fn uri_greedy_and_normal_labels() {
    // RestJsonHttpRequestWithGreedyLabelInPath
    let mut out = String::new();
    write_uri(
        &mut out,
        "/HttpRequestWithGreedyLabelInPath/foo/{foo}/baz/{baz+}",
        |name| match name {
            "foo" => Some(Scalar::Str("hello/escape")),
            "baz" => Some(Scalar::Str("there/guy")),
            _ => None,
        },
    )
    .unwrap();
    assert_eq!(
        out,
        "/HttpRequestWithGreedyLabelInPath/foo/hello%2Fescape/baz/there/guy"
    );
}

#[test]
fn uri_float_labels() {
    // RestJsonSupportsNaNFloatLabels, RestJsonSupportsInfinityFloatLabels,
    // RestJsonSupportsNegativeInfinityFloatLabels
    for (f, d, want) in [
        (f32::NAN, f64::NAN, "/FloatHttpLabels/NaN/NaN"),
        (
            f32::INFINITY,
            f64::INFINITY,
            "/FloatHttpLabels/Infinity/Infinity",
        ),
        (
            f32::NEG_INFINITY,
            f64::NEG_INFINITY,
            "/FloatHttpLabels/-Infinity/-Infinity",
        ),
    ] {
        let mut out = String::new();
        write_uri(&mut out, "/FloatHttpLabels/{float}/{double}", |name| {
            Some(if name == "float" { f.into() } else { d.into() })
        })
        .unwrap();
        assert_eq!(out, want);
    }
}

#[test]
fn uri_literal_segments_are_verbatim() {
    // RestJsonToleratesRegexCharsInSegments
    let mut out = String::new();
    write_uri(&mut out, "/ReDosLiteral/{str}/(a+)+", |_| {
        Some(Scalar::Str("abc"))
    })
    .unwrap();
    assert_eq!(out, "/ReDosLiteral/abc/(a+)+");
}

#[test]
fn uri_keeps_literal_query() {
    // RestJsonConstantQueryString: the label `hello` and the literal key `hello`.
    let mut out = String::new();
    write_uri(
        &mut out,
        "/ConstantQueryString/{hello}?foo=bar&hello",
        |_| Some(Scalar::Str("hi")),
    )
    .unwrap();
    assert_eq!(out, "/ConstantQueryString/hi?foo=bar&hello");
    // S3EscapeObjectKeyInUriLabel (path-style): `/{Bucket}/{Key+}?tagging`
    let mut out = String::new();
    write_uri(&mut out, "/{Bucket}/{Key+}?tagging", |name| {
        Some(Scalar::Str(if name == "Bucket" {
            "mybucket"
        } else {
            "my key.txt"
        }))
    })
    .unwrap();
    assert_eq!(out, "/mybucket/my%20key.txt?tagging");
    // A label in what looks like the query part is not one: it is literal text.
    let mut out = String::new();
    write_uri(&mut out, "/a?b={c}", |_| None).unwrap();
    assert_eq!(out, "/a?b={c}");
}

#[test]
fn uri_appends_to_what_is_there() {
    // RestJsonHostWithPath: an endpoint path comes first.
    let mut out = String::from("/custom");
    write_uri(&mut out, "/HostWithPathOperation", |_| None).unwrap();
    assert_eq!(out, "/custom/HostWithPathOperation");
}

#[test]
fn uri_label_errors() {
    let mut out = String::new();
    let e = write_uri(&mut out, "/a/{Bar}", |_| Some(Scalar::Str(""))).unwrap_err();
    assert_eq!(e.member(), "Bar");
    assert!(e.message().contains("must not be empty"), "{e}");
    assert_eq!(
        e.to_string(),
        "member `Bar`: is bound to the URI path (@httpLabel) and must not be empty"
    );
    // An empty greedy label is an error too. (GlacierAccountId's "-" for an empty
    // account id is a Glacier customization for the generator's closure.)
    let e = write_uri(&mut out, "/a/{Key+}", |_| Some(Scalar::Str(""))).unwrap_err();
    assert_eq!(e.member(), "Key");
    let e = write_uri(&mut out, "/a/{Missing}/b", |_| None).unwrap_err();
    assert_eq!(e.member(), "Missing");
    assert!(e.message().contains("required"), "{e}");
    let b = e.into_build_error("FooInput");
    assert_eq!(b.member(), "Missing");
    assert_eq!(b.shape(), "FooInput");

    let mut out = String::new();
    write_label(&mut out, "x", Scalar::Str("a/b"), true).unwrap();
    write_label(&mut out, "x", Scalar::Str("a/b"), false).unwrap();
    assert_eq!(out, "a/ba%2Fb");
    assert!(write_label(&mut out, "x", Scalar::Str(""), true).is_err());
}

#[test]
fn uri_odd_patterns_do_not_panic() {
    for pattern in [
        "", "/", "{", "}", "/{", "/{a", "/}{", "/{}", "/{+}", "/{a}{b}", "?", "/?{a}", "/é/{a}",
        "{a}", "/{a+}{b}",
    ] {
        let mut out = String::new();
        let _ = write_uri(&mut out, pattern, |_| Some(Scalar::Str("v")));
    }
    let mut out = String::new();
    write_uri(&mut out, "/{a}{b}", |n| Some(Scalar::Str(n))).unwrap();
    assert_eq!(out, "/ab");
    let mut out = String::new();
    write_uri(&mut out, "/x/{open", |_| None).unwrap();
    assert_eq!(out, "/x/{open");
    let mut out = String::new();
    let e = write_uri(&mut out, "/{}", |_| Some(Scalar::Str(""))).unwrap_err();
    assert_eq!(e.member(), "");
}

// --- query string ----------------------------------------------------------

#[test]
fn query_all_types() {
    // RestJsonAllQueryStringTypes (and its map, which repeats every named key: the
    // named members win, so no pair is sent twice).
    let mut uri = String::from("/AllQueryStringTypesInput");
    let mut q = QueryWriter::new(&mut uri);
    q.push("String", "Hello there".into());
    q.push_list("StringList", ["a", "b", "c"].map(Scalar::Str));
    q.push_list("StringSet", ["a", "b", "c"].map(Scalar::Str));
    q.push("Byte", 1i8.into());
    q.push("Short", 2i16.into());
    q.push("Integer", 3i32.into());
    q.push_list("IntegerList", [1, 2, 3].map(Scalar::from));
    q.push_list("IntegerSet", [1, 2, 3].map(Scalar::from));
    q.push("Long", 4i64.into());
    q.push("Float", 1.1f32.into());
    q.push("Double", 1.1f64.into());
    q.push_list("DoubleList", [1.1, 2.1, 3.1].map(Scalar::Double));
    q.push("Boolean", true.into());
    q.push_list("BooleanList", [true, false, true].map(Scalar::Bool));
    let t = |s| Scalar::Timestamp(DateTime::from_secs(s), TimestampFormat::DateTime);
    q.push("Timestamp", t(1));
    q.push_list("TimestampList", [t(1), t(2), t(3)]);
    q.push("Enum", "Foo".into());
    q.push_list("EnumList", ["Foo", "Baz", "Bar"].map(Scalar::Str));
    q.push("IntegerEnum", 1.into());
    q.push_list("IntegerEnumList", [1, 2, 3].map(Scalar::from));
    q.push_param_list("String", ["Hello there"]);
    q.push_param_list("StringList", ["a", "b", "c"]);
    q.push_param_list("Timestamp", ["1970-01-01T00:00:01Z"]);
    q.push_param_list("IntegerEnumList", ["1", "2", "3"]);
    assert_eq!(
        uri,
        "/AllQueryStringTypesInput?String=Hello%20there\
         &StringList=a&StringList=b&StringList=c\
         &StringSet=a&StringSet=b&StringSet=c\
         &Byte=1&Short=2&Integer=3\
         &IntegerList=1&IntegerList=2&IntegerList=3\
         &IntegerSet=1&IntegerSet=2&IntegerSet=3\
         &Long=4&Float=1.1&Double=1.1\
         &DoubleList=1.1&DoubleList=2.1&DoubleList=3.1\
         &Boolean=true&BooleanList=true&BooleanList=false&BooleanList=true\
         &Timestamp=1970-01-01T00%3A00%3A01Z\
         &TimestampList=1970-01-01T00%3A00%3A01Z\
         &TimestampList=1970-01-01T00%3A00%3A02Z\
         &TimestampList=1970-01-01T00%3A00%3A03Z\
         &Enum=Foo&EnumList=Foo&EnumList=Baz&EnumList=Bar\
         &IntegerEnum=1&IntegerEnumList=1&IntegerEnumList=2&IntegerEnumList=3"
    );
}

#[test]
fn query_map_only() {
    // RestJsonQueryStringMap
    let mut uri = String::from("/AllQueryStringTypesInput");
    let mut q = QueryWriter::new(&mut uri);
    q.push_param_list("QueryParamsStringKeyA", ["Foo"]);
    q.push_param_list("QueryParamsStringKeyB", ["Bar"]);
    assert_eq!(
        uri,
        "/AllQueryStringTypesInput?QueryParamsStringKeyA=Foo&QueryParamsStringKeyB=Bar"
    );
    // HttpQueryParamsOnlyRequest
    let mut uri = String::from("/http-query-params-only");
    let mut q = QueryWriter::new(&mut uri);
    q.push_param("a", "b");
    q.push_param("c", "d");
    assert_eq!(uri, "/http-query-params-only?a=b&c=d");
    // HttpQueryParamsOnlyEmptyRequest
    let mut uri = String::from("/http-query-params-only");
    let _ = QueryWriter::new(&mut uri);
    assert_eq!(uri, "/http-query-params-only");
}

#[test]
fn query_escaping() {
    // RestJsonQueryStringEscaping: named and map both say `String`; sent once.
    let value = " %:/?#[]@!$&'()*+,;=😹";
    let mut uri = String::from("/AllQueryStringTypesInput");
    let mut q = QueryWriter::new(&mut uri);
    q.push("String", value.into());
    q.push_param_list("String", [value]);
    assert_eq!(
        uri,
        "/AllQueryStringTypesInput?String=%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9"
    );
    // Keys are encoded too.
    let mut uri = String::from("/");
    let mut q = QueryWriter::new(&mut uri);
    q.push_param("a b&c=d", "~+");
    assert_eq!(uri, "/?a%20b%26c%3Dd=~%2B");
}

#[test]
fn query_floats_zero_and_false() {
    // RestJsonSupportsNaNFloatQueryValues, RestJsonSupportsInfinityFloatQueryValues,
    // RestJsonSupportsNegativeInfinityFloatQueryValues
    for (f, d, want) in [
        (f32::NAN, f64::NAN, "/?Float=NaN&Double=NaN"),
        (
            f32::INFINITY,
            f64::INFINITY,
            "/?Float=Infinity&Double=Infinity",
        ),
        (
            f32::NEG_INFINITY,
            f64::NEG_INFINITY,
            "/?Float=-Infinity&Double=-Infinity",
        ),
    ] {
        let mut uri = String::from("/");
        let mut q = QueryWriter::new(&mut uri);
        q.push("Float", f.into());
        q.push("Double", d.into());
        q.push_param_list("Float", ["x"]);
        assert_eq!(uri, want);
    }
    // RestJsonZeroAndFalseQueryValues
    let mut uri = String::from("/");
    let mut q = QueryWriter::new(&mut uri);
    q.push("Integer", 0.into());
    q.push("Boolean", false.into());
    assert_eq!(uri, "/?Integer=0&Boolean=false");
}

#[test]
fn query_empty_values_and_lists() {
    // RestJsonSerializesEmptyQueryValue
    let mut uri = String::from("/OmitsNullSerializesEmptyString");
    let mut q = QueryWriter::new(&mut uri);
    q.push("Empty", "".into());
    assert_eq!(uri, "/OmitsNullSerializesEmptyString?Empty=");
    // RestJsonOmitsEmptyListQueryValues
    let mut uri = String::from("/OmitsSerializingEmptyLists");
    let mut q = QueryWriter::new(&mut uri);
    q.push_list("StringList", []);
    q.push_list("IntegerList", std::iter::empty());
    q.push_param_list("Map", Vec::<String>::new());
    assert_eq!(uri, "/OmitsSerializingEmptyLists");
    // An empty map value is `key=`.
    let mut uri = String::from("/");
    let mut q = QueryWriter::new(&mut uri);
    q.push_param("k", "");
    assert_eq!(uri, "/?k=");
}

#[test]
fn query_merges_with_literal_query() {
    // RestJsonConstantAndVariableQueryStringMissingOneValue
    let mut uri = String::new();
    write_uri(&mut uri, "/ConstantAndVariableQueryString?foo=bar", |_| {
        None
    })
    .unwrap();
    let mut q = QueryWriter::new(&mut uri);
    q.push("baz", "bam".into());
    assert_eq!(uri, "/ConstantAndVariableQueryString?foo=bar&baz=bam");
    // RestJsonConstantAndVariableQueryStringAllValues
    let mut uri = String::new();
    write_uri(&mut uri, "/ConstantAndVariableQueryString?foo=bar", |_| {
        None
    })
    .unwrap();
    let mut q = QueryWriter::new(&mut uri);
    q.push("baz", "bam".into());
    q.push("maybeSet", "yes".into());
    assert_eq!(
        uri,
        "/ConstantAndVariableQueryString?foo=bar&baz=bam&maybeSet=yes"
    );
    // A map entry does not repeat a literal key, valued or not (S3's `?list-type=2`,
    // `?tagging`).
    let mut uri = String::from("/b?list-type=2&tagging");
    let mut q = QueryWriter::new(&mut uri);
    q.push_param("list-type", "3");
    q.push_param("tagging", "x");
    q.push_param("prefix", "p");
    assert_eq!(uri, "/b?list-type=2&tagging&prefix=p");
    // A pattern ending in `?` or `&` needs no separator.
    for base in ["/a?", "/a?x&"] {
        let mut uri = String::from(base);
        let mut q = QueryWriter::new(&mut uri);
        q.push("k", "v".into());
        assert_eq!(uri, format!("{base}k=v"));
    }
}

#[test]
fn query_named_members_win_over_the_map() {
    // RestJsonQueryPrecedence
    let mut uri = String::from("/Precedence");
    let mut q = QueryWriter::new(&mut uri);
    q.push("bar", "named".into());
    q.push_param("bar", "fromMap");
    q.push_param("qux", "alsoFromMap");
    assert_eq!(uri, "/Precedence?bar=named&qux=alsoFromMap");
    // RestJsonQueryParamsStringListMap
    let mut uri = String::from("/StringListMap");
    let mut q = QueryWriter::new(&mut uri);
    q.push("corge", "named".into());
    q.push_param_list("baz", ["bar", "qux"]);
    q.push_param_list("corge", ["fromMap", "again"]);
    assert_eq!(uri, "/StringListMap?corge=named&baz=bar&baz=qux");
    // A skipped first entry leaves no stray `?`; an unset named member takes nothing.
    let mut uri = String::from("/p");
    let mut q = QueryWriter::new(&mut uri);
    q.push_list("bar", []);
    q.push_param("bar", "fromMap");
    assert_eq!(uri, "/p?bar=fromMap");
    let mut uri = String::from("/p?bar");
    let mut q = QueryWriter::new(&mut uri);
    q.push_param("bar", "fromMap");
    q.push_param("qux", "1");
    assert_eq!(uri, "/p?bar&qux=1");
    // Prefixes of a taken key are not taken.
    let mut uri = String::from("/p");
    let mut q = QueryWriter::new(&mut uri);
    q.push("barn", "1".into());
    q.push_param("bar", "2");
    q.push_param("barns", "3");
    assert_eq!(uri, "/p?barn=1&bar=2&barns=3");
}

#[test]
fn query_idempotency_token() {
    // RestJsonQueryIdempotencyTokenAutoFillIsSet
    let mut uri = String::from("/QueryIdempotencyTokenAutoFill");
    let mut q = QueryWriter::new(&mut uri);
    q.push("token", "00000000-0000-4000-8000-000000000000".into());
    assert_eq!(
        uri,
        "/QueryIdempotencyTokenAutoFill?token=00000000-0000-4000-8000-000000000000"
    );
}

// --- request headers -------------------------------------------------------

#[test]
fn header_lists() {
    // RestJsonInputAndOutputWithStringHeaders
    assert_eq!(list(&["a", "b", "c"].map(Scalar::Str)), "a, b, c");
    // RestJsonInputAndOutputWithQuotedStringHeaders
    assert_eq!(
        list(&["b,c", "\"def\"", "a"].map(Scalar::Str)),
        r#""b,c", "\"def\"", a"#
    );
    // RestJsonInputAndOutputWithNumericHeaders
    assert_eq!(list(&[1, 2, 3].map(Scalar::from)), "1, 2, 3");
    // RestJsonInputAndOutputWithBooleanHeaders
    assert_eq!(
        list(&[true, false, true].map(Scalar::Bool)),
        "true, false, true"
    );
    // RestJsonInputAndOutputWithTimestampHeaders: dates are not quoted.
    assert_eq!(
        list(&[ts(TimestampFormat::HttpDate), ts(TimestampFormat::HttpDate)]),
        "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT"
    );
    // RestJsonInputAndOutputWithEnumHeaders, RestJsonInputAndOutputWithIntEnumHeaders
    assert_eq!(
        list(&["Foo", "Bar", "Baz"].map(Scalar::Str)),
        "Foo, Bar, Baz"
    );
    // RestJsonNullAndEmptyHeaders: an empty list is an empty header value.
    assert_eq!(list(&[]), "");
    // Items that would not survive the round trip otherwise are quoted.
    assert_eq!(
        list(&["", " x", "y\t", "a\\b", "c\\\"d,"].map(Scalar::Str)),
        r#""", " x", "y	", a\b, "c\\\"d,""#
    );
    assert_eq!(list(&[f64::NAN, 1.5].map(Scalar::Double)), "NaN, 1.5");
}

#[test]
fn header_scalars() {
    // RestJsonInputAndOutputWithNumericHeaders, RestJsonInputAndOutputWithBooleanHeaders,
    // RestJsonSupportsNaNFloatHeaderInputs, RestJsonSupportsInfinityFloatHeaderInputs,
    // RestJsonSupportsNegativeInfinityFloatHeaderInputs
    assert_eq!(text(123i16.into()), "123");
    assert_eq!(text(1.1f32.into()), "1.1");
    assert_eq!(text(f32::NAN.into()), "NaN");
    assert_eq!(text(f64::INFINITY.into()), "Infinity");
    assert_eq!(text(f64::NEG_INFINITY.into()), "-Infinity");
    // RestJsonTimestampFormatHeaders
    assert_eq!(text(ts(TimestampFormat::EpochSeconds)), "1576540098");
    assert_eq!(
        text(ts(TimestampFormat::HttpDate)),
        "Mon, 16 Dec 2019 23:48:18 GMT"
    );
    assert_eq!(text(ts(TimestampFormat::DateTime)), "2019-12-16T23:48:18Z");
}

#[test]
fn media_type_headers_are_base64() {
    // MediaTypeHeaderInputBase64
    let mut out = String::new();
    write_base64(&mut out, "true");
    assert_eq!(out, "dHJ1ZQ==");
    // MediaTypeHeaderOutputBase64
    let h = headers(&[("x-json", "dHJ1ZQ==")]);
    assert_eq!(
        header_base64(&h, "X-Json", "json").unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(header_base64(&h, "X-Other", "json").unwrap(), None);
    let bad = headers(&[("x-json", "not base64!")]);
    assert_eq!(
        header_base64(&bad, "X-Json", "json").unwrap_err().member(),
        "json"
    );
    let not_utf8 = headers(&[("x-json", "/w==")]);
    assert!(header_base64(&not_utf8, "X-Json", "json").is_err());
}

#[test]
fn insert_headers() {
    let mut h = HeaderMap::new();
    insert_header(&mut h, "X-String", "headerString", "Hello".into()).unwrap();
    // RestJsonNullAndEmptyHeaders: empty values are sent.
    insert_header(&mut h, "X-B", "b", String::new()).unwrap();
    assert_eq!(h["x-string"], "Hello");
    assert_eq!(h["x-b"], "");
    // Beyond ASCII: refused, naming the member (a signer could not sign it anyway).
    let e = insert_header(&mut h, "X-Unicode", "u", "café".into()).unwrap_err();
    assert_eq!(e.member(), "u");
    assert!(e.to_string().contains("`é` is not ASCII"), "{e}");
    assert!(h.get("x-unicode").is_none());
    let e = insert_header(&mut h, "X-A", "a", "line\nbreak".into()).unwrap_err();
    assert_eq!(e.member(), "a");
    assert!(insert_header(&mut h, "X-A", "a", "nul\0".into()).is_err());
    assert!(insert_header(&mut h, "Bad Name", "a", "v".into()).is_err());
    assert!(insert_header(&mut h, "", "a", "v".into()).is_err());
    assert!(h.get("x-a").is_none());
    assert!(header_value("m", "tab\tok".into()).is_ok());
}

#[test]
fn insert_prefix_headers_after_specific_ones() {
    // RestJsonHttpPrefixHeadersArePresent
    let mut h = HeaderMap::new();
    insert_header(&mut h, "x-foo", "foo", "Foo".into()).unwrap();
    insert_prefix_headers(
        &mut h,
        "x-foo-",
        "fooMap",
        [("abc", "Abc value"), ("def", "Def value")],
    )
    .unwrap();
    assert_eq!(h.len(), 3);
    assert_eq!(h["x-foo"], "Foo");
    assert_eq!(h["x-foo-abc"], "Abc value");
    assert_eq!(h["x-foo-def"], "Def value");
    // RestJsonHttpPrefixHeadersAreNotPresent
    let mut h = HeaderMap::new();
    insert_prefix_headers(&mut h, "x-foo-", "fooMap", Vec::<(String, String)>::new()).unwrap();
    assert!(h.is_empty());
    // RestJsonHttpPrefixEmptyHeaders
    insert_prefix_headers(&mut h, "x-foo-", "fooMap", [("abc", "")]).unwrap();
    assert_eq!(h["x-foo-abc"], "");
    // RestJsonHttpEmptyPrefixHeadersRequestClient: the specific header wins.
    let mut h = HeaderMap::new();
    insert_header(&mut h, "hello", "specificHeader", "There".into()).unwrap();
    let map: HashMap<String, String> = [("x-foo", "Foo"), ("hello", "Hello")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    insert_prefix_headers(&mut h, "", "prefixHeaders", &map).unwrap();
    assert_eq!(h["x-foo"], "Foo");
    assert_eq!(h["hello"], "There");
    assert_eq!(h.len(), 2);
    // Bad keys and values are errors, not panics.
    let e = insert_prefix_headers(&mut h, "x-", "m", [("a b", "v")]).unwrap_err();
    assert_eq!(e.member(), "m");
    assert!(insert_prefix_headers(&mut h, "x-", "m", [("ok", "v\r\n")]).is_err());
}

// --- response headers ------------------------------------------------------

#[test]
fn read_scalar_headers() {
    // RestJsonInputAndOutputWithStringHeaders / ...NumericHeaders / ...BooleanHeaders
    // / ...EnumHeaders / ...IntEnumHeaders (responses)
    let h = headers(&[
        ("x-string", "Hello"),
        ("x-byte", "1"),
        ("x-short", "123"),
        ("x-integer", "123"),
        ("x-long", "123"),
        ("x-float", "1.1"),
        ("x-double", "1.1"),
        ("x-boolean1", "true"),
        ("x-boolean2", "false"),
        ("x-enum", "Foo"),
        ("x-integerenum", "1"),
    ]);
    assert_eq!(
        header::<String>(&h, "X-String", "s").unwrap().as_deref(),
        Some("Hello")
    );
    assert_eq!(header::<i8>(&h, "X-Byte", "b").unwrap(), Some(1));
    assert_eq!(header::<i16>(&h, "X-Short", "s").unwrap(), Some(123));
    assert_eq!(header::<i32>(&h, "X-Integer", "i").unwrap(), Some(123));
    assert_eq!(header::<i64>(&h, "X-Long", "l").unwrap(), Some(123));
    assert_eq!(header::<f32>(&h, "X-Float", "f").unwrap(), Some(1.1));
    assert_eq!(header::<f64>(&h, "X-Double", "d").unwrap(), Some(1.1));
    assert_eq!(header::<bool>(&h, "X-Boolean1", "t").unwrap(), Some(true));
    assert_eq!(header::<bool>(&h, "X-Boolean2", "f").unwrap(), Some(false));
    assert_eq!(
        header::<String>(&h, "X-Enum", "e").unwrap().as_deref(),
        Some("Foo")
    );
    assert_eq!(header::<i32>(&h, "X-IntegerEnum", "e").unwrap(), Some(1));
    assert_eq!(header::<i32>(&h, "X-Absent", "a").unwrap(), None);
    assert_eq!(
        header::<Number>(&h, "X-Long", "n")
            .unwrap()
            .map(|n| n.as_i64()),
        Some(Some(123))
    );
}

#[test]
fn read_non_finite_float_headers() {
    // RestJsonSupportsNaNFloatHeaderOutputs, RestJsonSupportsInfinityFloatHeaderOutputs,
    // RestJsonSupportsNegativeInfinityFloatHeaderOutputs
    let h = headers(&[("x-float", "NaN"), ("x-double", "NaN")]);
    assert!(header::<f32>(&h, "X-Float", "f").unwrap().unwrap().is_nan());
    assert!(header::<f64>(&h, "X-Double", "d")
        .unwrap()
        .unwrap()
        .is_nan());
    let h = headers(&[("x-float", "Infinity"), ("x-double", "-Infinity")]);
    assert_eq!(
        header::<f32>(&h, "X-Float", "f").unwrap(),
        Some(f32::INFINITY)
    );
    assert_eq!(
        header::<f64>(&h, "X-Double", "d").unwrap(),
        Some(f64::NEG_INFINITY)
    );
    for ok in ["1e3", "-0.5", "+2", ".5", "1.", " 7 "] {
        assert!(
            header::<f64>(&headers(&[("x", ok)]), "x", "m").is_ok(),
            "{ok}"
        );
    }
    // RestJsonHeaderDoubleMalformedValueRejected (server test; the same values) and
    // Rust's own spellings of the non-finite values.
    for bad in [
        "true",
        "2ABC",
        "0x42",
        "inf",
        "nan",
        "infinity",
        "-inf",
        "+Infinity",
        "",
        "1,2",
        "1_000",
        "--1",
    ] {
        let h = headers(&[("x-double", bad)]);
        assert!(header::<f64>(&h, "x-double", "d").is_err(), "{bad}");
        assert!(header::<f32>(&h, "x-double", "d").is_err(), "{bad}");
    }
}

#[test]
fn read_malformed_scalars() {
    // RestJsonHeaderBooleanStringCoercion (server test; the same values)
    for bad in [
        "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "1", "on", "On", "ON", "False", "FALSE",
        "n", "N", "no", "No", "NO", "0", "off", "Off", "OFF",
    ] {
        let h = headers(&[("booleaninheader", bad)]);
        let e = header::<bool>(&h, "booleanInHeader", "booleanInHeader").unwrap_err();
        assert_eq!(e.member(), "booleanInHeader");
        assert!(e.message().contains(bad), "{e}");
    }
    // RestJsonHeaderIntegerUnderflowOverflow, RestJsonHeaderIntegerMalformedValueRejected
    for bad in [
        "-9223372000000000000",
        "9223372000000000000",
        "123000000000000000000000",
        "true",
        "1.001",
        "2ABC",
        "0x42",
        "Infinity",
        "-Infinity",
        "NaN",
        "",
    ] {
        let h = headers(&[("integerinheader", bad)]);
        assert!(header::<i32>(&h, "integerInHeader", "i").is_err(), "{bad}");
    }
    let h = headers(&[("x", "128")]);
    assert!(header::<i8>(&h, "x", "b").is_err());
    let h = headers(&[("x", "32768")]);
    assert!(header::<i16>(&h, "x", "s").is_err());
    let h = headers(&[("x", "9223372036854775808")]);
    assert!(header::<i64>(&h, "x", "l").is_err());
    // A long value is shown cut short in the message.
    let long = "x".repeat(1000);
    let h = headers(&[("x", &long)]);
    let e = header::<i32>(&h, "x", "i").unwrap_err();
    assert!(e.message().len() < 200, "{e}");
}

#[test]
fn read_repeated_scalar_headers() {
    // Several lines of one header mean their values joined with `, `.
    let h = headers(&[("x-string", "a"), ("x-string", "b")]);
    assert_eq!(
        header::<String>(&h, "x-string", "s").unwrap().as_deref(),
        Some("a, b")
    );
    let h = headers(&[("x-int", "1"), ("x-int", "1")]);
    assert!(header::<i32>(&h, "x-int", "i").is_err());
}

#[test]
fn read_hostile_headers() {
    // Not UTF-8 (obs-text): an error, not a panic.
    let mut h = HeaderMap::new();
    h.insert("x-bin", HeaderValue::from_bytes(b"\xff\xfe").unwrap());
    assert!(header::<String>(&h, "x-bin", "m").is_err());
    assert!(header::<i32>(&h, "x-bin", "m").is_err());
    assert!(header_list::<String>(&h, "x-bin", "m").is_err());
    assert!(header_timestamp(&h, "x-bin", "m", TimestampFormat::HttpDate).is_err());
    assert!(header_timestamp_list(&h, "x-bin", "m", TimestampFormat::HttpDate).is_err());
    assert!(header_base64(&h, "x-bin", "m").is_err());
    assert!(prefix_headers(&h, "x-", "m").is_err());
    // UTF-8 beyond ASCII is fine (`HeaderValue::to_str` would refuse it).
    let mut h = HeaderMap::new();
    h.insert(
        "x-u",
        HeaderValue::from_bytes("é, \"日,本\"".as_bytes()).unwrap(),
    );
    assert_eq!(
        header::<String>(&h, "x-u", "m").unwrap().as_deref(),
        Some("é, \"日,本\"")
    );
    assert_eq!(
        header_list::<String>(&h, "x-u", "m").unwrap(),
        Some(vec!["é".to_owned(), "日,本".to_owned()])
    );
    // Names that are not header names just find nothing.
    let h = headers(&[("x", "1")]);
    assert_eq!(header::<i32>(&h, "bad name\n", "m").unwrap(), None);
    assert_eq!(header_list::<i32>(&h, "", "m").unwrap(), None);
}

#[test]
fn split_lists() {
    let split = |s| {
        split_header_list("m", s)
            .unwrap()
            .into_iter()
            .map(Cow::into_owned)
            .collect::<Vec<_>>()
    };
    // RestJsonInputAndOutputWithStringHeaders
    assert_eq!(split("a, b, c"), ["a", "b", "c"]);
    // RestJsonInputAndOutputWithQuotedStringHeaders
    assert_eq!(split(r#""b,c", "\"def\"", a"#), ["b,c", "\"def\"", "a"]);
    assert_eq!(split("a,b,,c,"), ["a", "b", "c"]);
    assert_eq!(split("  a  ,\tb\t"), ["a", "b"]);
    assert_eq!(split(r#""""#), [""]);
    assert_eq!(split(r#""", a, """#), ["", "a", ""]);
    assert_eq!(split(r#""a\\b""#), ["a\\b"]);
    assert_eq!(split(r#""\é""#), ["é"]);
    assert_eq!(split(r#"a"b, c"#), ["a\"b", "c"]); // a quote inside a token is text
    assert_eq!(split(r#"a\b"#), ["a\\b"]);
    assert_eq!(split(r#" "x" , "y" "#), ["x", "y"]);
    assert!(split("").is_empty());
    assert!(split(" , ,").is_empty());
    // Borrowed unless something was unescaped.
    let items = split_header_list("m", r#"a, "b", "c\"d""#).unwrap();
    assert!(matches!(items[0], Cow::Borrowed("a")));
    assert!(matches!(items[1], Cow::Borrowed("b")));
    assert!(matches!(items[2], Cow::Owned(_)));
    // Hostile: unclosed quotes, a dangling escape, text after a quoted string.
    for bad in [
        "\"",
        "\"abc",
        "a, \"b",
        "\"a\\",
        "\"a\\\"",
        "\"a\" b",
        "\"a\"\"b\"",
        "\"a\"x,",
    ] {
        let e = split_header_list("member", bad).unwrap_err();
        assert_eq!(e.member(), "member", "{bad}");
    }
}

#[test]
fn read_list_headers() {
    // RestJsonInputAndOutputWithStringHeaders / ...QuotedStringHeaders /
    // ...NumericHeaders / ...BooleanHeaders / ...EnumHeaders / ...IntEnumHeaders
    let h = headers(&[
        ("x-stringlist", r#""b,c", "\"def\"", a"#),
        ("x-stringset", "a, b, c"),
        ("x-integerlist", "1, 2, 3"),
        ("x-booleanlist", "true, false, true"),
        ("x-enumlist", "Foo, Bar, Baz"),
    ]);
    assert_eq!(
        header_list::<String>(&h, "X-StringList", "l").unwrap(),
        Some(vec!["b,c".into(), "\"def\"".into(), "a".into()])
    );
    assert_eq!(
        header_list::<String>(&h, "X-StringSet", "l").unwrap(),
        Some(vec!["a".into(), "b".into(), "c".into()])
    );
    assert_eq!(
        header_list::<i32>(&h, "X-IntegerList", "l").unwrap(),
        Some(vec![1, 2, 3])
    );
    assert_eq!(
        header_list::<bool>(&h, "X-BooleanList", "l").unwrap(),
        Some(vec![true, false, true])
    );
    assert_eq!(
        header_list::<String>(&h, "X-EnumList", "l").unwrap(),
        Some(vec!["Foo".into(), "Bar".into(), "Baz".into()])
    );
    assert_eq!(header_list::<i32>(&h, "X-Absent", "l").unwrap(), None);
    // RestJsonNullAndEmptyHeaders: an empty value is an empty list.
    let h = headers(&[("x-c", "")]);
    assert_eq!(
        header_list::<String>(&h, "X-C", "c").unwrap(),
        Some(Vec::new())
    );
    // Several lines make one list.
    let h = headers(&[("x-l", "1, 2"), ("x-l", "3")]);
    assert_eq!(
        header_list::<i64>(&h, "x-l", "l").unwrap(),
        Some(vec![1, 2, 3])
    );
    let h = headers(&[("x-l", "1, x")]);
    let e = header_list::<i64>(&h, "x-l", "l").unwrap_err();
    assert!(e.message().contains("`x`"), "{e}");
    let h = headers(&[("x-l", "NaN, Infinity, -Infinity, 1.5")]);
    let v = header_list::<f64>(&h, "x-l", "l").unwrap().unwrap();
    assert!(v[0].is_nan());
    assert_eq!(v[1..], [f64::INFINITY, f64::NEG_INFINITY, 1.5]);
}

#[test]
fn read_timestamp_headers() {
    // RestJsonTimestampFormatHeaders (response)
    let h = headers(&[
        ("x-memberepochseconds", "1576540098"),
        ("x-memberhttpdate", "Mon, 16 Dec 2019 23:48:18 GMT"),
        ("x-memberdatetime", "2019-12-16T23:48:18Z"),
    ]);
    let want = Some(DateTime::from_secs(T));
    let read = |name, format| header_timestamp(&h, name, "m", format).unwrap();
    assert_eq!(
        read("X-memberEpochSeconds", TimestampFormat::EpochSeconds),
        want
    );
    assert_eq!(read("X-memberHttpDate", TimestampFormat::HttpDate), want);
    assert_eq!(read("X-memberDateTime", TimestampFormat::DateTime), want);
    assert_eq!(read("X-absent", TimestampFormat::HttpDate), None);
    // RestJsonHeaderTimestampDefaultRejectsDateTime / ...RejectsEpochSeconds,
    // RestJsonHeaderTimestampEpochRejectsDateTime / ...RejectsHttpDate,
    // RestJsonHeaderTimestampDateTimeRejectsHttpDate / ...RejectsEpochSeconds
    for (value, format) in [
        ("1985-04-12T23:20:50.52Z", TimestampFormat::HttpDate),
        ("1515531081.1234", TimestampFormat::HttpDate),
        ("1985-04-12T23:20:50Z", TimestampFormat::EpochSeconds),
        (
            "Mon, 16 Dec 2019 23:48:18 GMT",
            TimestampFormat::EpochSeconds,
        ),
        ("Mon, 16 Dec 2019 23:48:18 GMT", TimestampFormat::DateTime),
        ("1515531081", TimestampFormat::DateTime),
    ] {
        let h = headers(&[("timestamp", value)]);
        let e = header_timestamp(&h, "timestamp", "timestamp", format).unwrap_err();
        assert_eq!(e.member(), "timestamp");
    }
}

#[test]
fn read_timestamp_list_headers() {
    // RestJsonInputAndOutputWithTimestampHeaders (response)
    let h = headers(&[(
        "x-timestamplist",
        "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT",
    )]);
    let t = DateTime::from_secs(T);
    assert_eq!(
        header_timestamp_list(&h, "X-TimestampList", "l", TimestampFormat::HttpDate).unwrap(),
        Some(vec![t, t])
    );
    // Quoted dates (as some servers send them) read the same.
    let h = headers(&[(
        "x-l",
        r#""Mon, 16 Dec 2019 23:48:18 GMT", Tue, 17 Dec 2019 23:48:18 GMT"#,
    )]);
    assert_eq!(
        header_timestamp_list(&h, "x-l", "l", TimestampFormat::HttpDate).unwrap(),
        Some(vec![t, DateTime::from_secs(T + 86_400)])
    );
    // Other formats split on every comma.
    let h = headers(&[("x-l", "2019-12-16T23:48:18Z, 2019-12-16T23:48:18.5Z")]);
    assert_eq!(
        header_timestamp_list(&h, "x-l", "l", TimestampFormat::DateTime).unwrap(),
        Some(vec![t, DateTime::from_secs_and_nanos(T, 500_000_000)])
    );
    let h = headers(&[("x-l", "1576540098, 1576540098.25")]);
    assert_eq!(
        header_timestamp_list(&h, "x-l", "l", TimestampFormat::EpochSeconds).unwrap(),
        Some(vec![t, DateTime::from_secs_and_nanos(T, 250_000_000)])
    );
    let h = headers(&[("x-l", "")]);
    assert_eq!(
        header_timestamp_list(&h, "x-l", "l", TimestampFormat::HttpDate).unwrap(),
        Some(Vec::new())
    );
    // Hostile: half a date, a date and garbage, garbage alone.
    for bad in [
        "Mon",
        "Mon, 16 Dec 2019 23:48:18 GMT, Mon",
        "Mon, 16 Dec 2019 23:48:18 GMT, x, y",
        "x, y",
        ",,Mon,,",
    ] {
        let h = headers(&[("x-l", bad)]);
        assert!(
            header_timestamp_list(&h, "x-l", "l", TimestampFormat::HttpDate).is_err(),
            "{bad}"
        );
    }
    let h = headers(&[("x-l", "Mon, 16 Dec 2019 23:48:18 GMT")]);
    assert!(header_timestamp_list(&h, "x-l", "l", TimestampFormat::DateTime).is_err());
}

#[test]
fn read_prefix_headers() {
    // RestJsonHttpPrefixHeadersArePresent (response)
    let h = headers(&[
        ("x-foo", "Foo"),
        ("x-foo-abc", "Abc value"),
        ("x-foo-def", "Def value"),
    ]);
    let map = prefix_headers(&h, "x-foo-", "fooMap").unwrap().unwrap();
    assert_eq!(map.len(), 2);
    assert_eq!(map["abc"], "Abc value");
    assert_eq!(map["def"], "Def value");
    // The model's prefix may have any case.
    assert_eq!(prefix_headers(&h, "X-Foo-", "fooMap").unwrap(), Some(map));
    assert_eq!(prefix_headers(&h, "x-bar-", "m").unwrap(), None);
    // HttpPrefixHeadersResponse, RestJsonHttpEmptyPrefixHeadersResponseClient: an
    // empty prefix takes every header, the specific ones too.
    let h = headers(&[("x-foo", "Foo"), ("hello", "There")]);
    let map = prefix_headers(&h, "", "prefixHeaders").unwrap().unwrap();
    assert_eq!(map.len(), 2);
    assert_eq!(map["x-foo"], "Foo");
    assert_eq!(map["hello"], "There");
    // Repeated headers are joined; empty values are kept; odd prefixes are harmless.
    let h = headers(&[("x-m-a", "1"), ("x-m-a", "2"), ("x-m-b", "")]);
    let map = prefix_headers(&h, "x-m-", "m").unwrap().unwrap();
    assert_eq!(map["a"], "1, 2");
    assert_eq!(map["b"], "");
    for prefix in ["é", "x-m-a-longer-than-any-name", "\u{0}"] {
        assert_eq!(prefix_headers(&h, prefix, "m").unwrap(), None);
    }
    let map = prefix_headers(&h, "x-m-a", "m").unwrap().unwrap();
    assert_eq!(map[""], "1, 2");
}

#[test]
fn errors_are_send_sync_errors() {
    fn check<E: std::error::Error + Send + Sync + 'static>() {}
    check::<BindingError>();
    let e = BindingError::new("m", format!("owned {}", 1));
    assert_eq!(e.to_string(), "member `m`: owned 1");
}
