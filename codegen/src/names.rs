//! Rust names for model names: word splitting that knows AWS's acronyms, casing, and
//! keyword escaping. Every identifier the emitters write comes from here.

/// Words that are spelled with odd casing but are one word (`IPv6`, `MiB`, `TTL`).
const COMPLETE_WORDS: &[&str] = &["ipv4", "ipv6", "sigv4", "mib", "gib", "kib", "tib", "ttl"];

/// Splits a model name into words: `DBInstanceARNs` gives `DB`, `Instance`, `ARNs`.
pub fn split_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    // In a name that is all lowercase, letters after digits start a word (`s3key`,
    // `md5sum`); in any other they stay in it (`Status2xx`, `S3objectKey`).
    let all_lower = !name.chars().any(|c| c.is_ascii_uppercase());
    for segment in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = segment.chars().collect();
        let n = chars.len();
        let mut i = 0;
        while i < n {
            if let Some(len) = complete_word_at(&chars, i) {
                words.push(chars[i..i + len].iter().collect());
                i += len;
                continue;
            }
            let c = chars[i];
            let start = i;
            if c.is_ascii_uppercase() {
                let mut j = i;
                while j < n && chars[j].is_ascii_uppercase() {
                    j += 1;
                }
                let run = j - i;
                if j < n && chars[j].is_ascii_lowercase() {
                    let mut k = j;
                    while k < n && chars[k].is_ascii_lowercase() {
                        k += 1;
                    }
                    if run == 1 {
                        i = k;
                    } else if k - j == 1 && chars[j] == 's' {
                        // A plural acronym: `ARNs`, `IDs`.
                        i = k;
                    } else if k - j == 1
                        && chars[j] == 'v'
                        && chars.get(k).is_some_and(char::is_ascii_digit)
                    {
                        // A versioned acronym: `DBv2`.
                        i = k;
                    } else {
                        // `DBInstance`: the last capital starts the next word.
                        words.push(chars[start..j - 1].iter().collect());
                        i = j - 1;
                        continue;
                    }
                } else {
                    i = j;
                }
            } else if c.is_ascii_lowercase() {
                while i < n && chars[i].is_ascii_lowercase() {
                    i += 1;
                }
            } else {
                // Digits join the word before them (`Ec2`, `S3`, `Base64`).
                while i < n && chars[i].is_ascii_digit() {
                    i += 1;
                }
                if let Some(last) = words.last_mut() {
                    if start > 0 && chars[start - 1].is_ascii_alphanumeric() {
                        last.extend(&chars[start..i]);
                        i = digits_and_lowercase(&chars, i, last, all_lower);
                        continue;
                    }
                }
                // A word that starts with digits keeps the lowercase letters after them (`1m`).
                while i < n && chars[i].is_ascii_lowercase() {
                    i += 1;
                }
                words.push(chars[start..i].iter().collect());
                continue;
            }
            let mut word: String = chars[start..i].iter().collect();
            i = digits_and_lowercase(&chars, i, &mut word, all_lower);
            words.push(word);
        }
    }
    words
}

/// After a word's letters, digits stay in the word, and so do lowercase letters right
/// after digits, alternately (`Status2xx`, `M3u8`, `S3object`), as the official SDK
/// splits them, except in all-lowercase names. Returns where the word ends.
fn digits_and_lowercase(chars: &[char], mut i: usize, word: &mut String, all_lower: bool) -> usize {
    while i < chars.len() && chars[i].is_ascii_digit() {
        while i < chars.len() && chars[i].is_ascii_digit() {
            word.push(chars[i]);
            i += 1;
        }
        if all_lower {
            break;
        }
        while i < chars.len() && chars[i].is_ascii_lowercase() {
            word.push(chars[i]);
            i += 1;
        }
    }
    i
}

fn complete_word_at(chars: &[char], i: usize) -> Option<usize> {
    for w in COMPLETE_WORDS {
        let len = w.len();
        if i + len > chars.len() {
            continue;
        }
        let same = chars[i..i + len]
            .iter()
            .zip(w.chars())
            .all(|(c, w)| c.eq_ignore_ascii_case(&w));
        if !same {
            continue;
        }
        // The word must end at a boundary: not followed by a lowercase letter.
        if chars.get(i + len).is_some_and(|c| c.is_ascii_lowercase()) {
            continue;
        }
        // And `Ttl` inside `Subtitle` is no word: it must start a word.
        if i > 0 && chars[i - 1].is_ascii_lowercase() && chars[i].is_ascii_lowercase() {
            continue;
        }
        return Some(len);
    }
    None
}

/// `snake_case` of a model name, not yet escaped.
pub fn snake_case(name: &str) -> String {
    let words = split_words(name);
    let mut out = words
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if out.is_empty() {
        out.push_str("value");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// `CamelCase` of a model name, not yet escaped.
pub fn camel_case(name: &str) -> String {
    let mut out = String::new();
    for w in split_words(name) {
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.is_empty() {
        out.push_str("Value");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// Every Rust keyword, strict, reserved and weak-but-troublesome.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "union",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

/// Whether `s` is a Rust keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// A field, function or module identifier (snake_case, escaped), as source text.
/// `type` gives `r#type`; `self`, `crate` and `super` give `self_`, `crate_`, `super_`.
pub fn field_ident(name: &str) -> String {
    escape(snake_case(name))
}

/// Escapes a snake_case identifier that may be a keyword.
pub fn escape(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if is_keyword(&s) {
        format!("r#{s}")
    } else {
        s
    }
}

/// A type or variant identifier (CamelCase). `Self` gives `SelfValue`.
pub fn type_ident(name: &str) -> String {
    let c = camel_case(name);
    if c == "Self" {
        "SelfValue".to_string()
    } else {
        c
    }
}

/// The name of a field without a raw prefix, for building other names from it
/// (`set_type`, not `set_r#type`).
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// A crate (package) name from a service's sdkId or name: `Network Firewall` gives
/// `network-firewall`.
pub fn crate_name(sdk_id: &str) -> String {
    let cleaned: String = sdk_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    let name = cleaned.split_whitespace().collect::<Vec<_>>().join("-");
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("service-{name}")
    } else {
        name
    }
}

/// The longest package name crates.io takes; the paginator crate's name is 11 longer.
pub const MAX_PACKAGE_NAME: usize = 64;

/// What keeps `name` from being a Cargo package name (and a directory, and, with `-`
/// as `_`, a Rust identifier), if anything.
pub fn package_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_string());
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some("a package name starts with an ASCII letter".to_string());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Some(format!(
            "a package name has only ASCII letters, digits, `-` and `_`, not {c:?}"
        ));
    }
    (name.len() > MAX_PACKAGE_NAME).then(|| {
        format!(
            "it is {} characters long, and crates.io takes at most {MAX_PACKAGE_NAME}",
            name.len()
        )
    })
}

/// Package names a generated crate cannot take: Rust keywords, the crates of the
/// sysroot, and what the generated crates depend on.
const TAKEN_PACKAGE_NAMES: &[&str] = &[
    "abstract",
    "alloc",
    "as",
    "async",
    "await",
    "become",
    "box",
    "break",
    "bytes",
    "const",
    "continue",
    "core",
    "crate",
    "do",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "final",
    "fn",
    "for",
    "futures-core",
    "futures-util",
    "gen",
    "http",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "macro",
    "match",
    "mod",
    "move",
    "mut",
    "override",
    "priv",
    "proc-macro",
    "proptest",
    "pub",
    "ref",
    "return",
    "self",
    "smithy-runtime",
    "static",
    "std",
    "struct",
    "super",
    "test",
    "tokio",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "unsafe",
    "unsized",
    "use",
    "virtual",
    "where",
    "while",
    "yield",
];

/// The package name of a service's client crate: its [`crate_name`], with `-client`
/// after a name it cannot take (`Core` gives `core-client`).
pub fn package_name(sdk_id: &str) -> String {
    let name = crate_name(sdk_id);
    if is_taken_package_name(&name) {
        format!("{name}-client")
    } else {
        name
    }
}

/// Whether `name` is a package name a generated crate cannot take.
pub fn is_taken_package_name(name: &str) -> bool {
    TAKEN_PACKAGE_NAMES.contains(&name.replace('_', "-").as_str())
}

/// Gives each of several wanted names a distinct name, by one rule used wherever
/// model names meet in one Rust namespace (enum variants, union variants, fields,
/// builder methods). Smithy accepts models whose names only collide once turned into
/// Rust (`UNKNOWN` beside `unknown_value`, `Name` beside `SetName`), so collisions are
/// resolved, never reported:
///
/// 1. `family` turns a name into every identifier it takes (a member `x` takes `x`,
///    `set_x` and `get_x` on a builder). In model order, a name keeps its natural
///    form when none of its family is `reserved` or taken by a name kept before it.
/// 2. Every other name, in model order, takes `{name}{suffix}`, else
///    `{name}{suffix}2`, `{name}{suffix}3`, ..., the first whose family is free.
///
/// So the first of two colliding names keeps the natural name, a name displaced by a
/// reserved one never displaces a natural one, and the result depends only on the
/// names and their order.
pub fn assign_unique(
    wanted: &[String],
    reserved: &[&str],
    suffix: &str,
    family: impl Fn(&str) -> Vec<String>,
) -> Vec<String> {
    use std::collections::BTreeSet;
    let mut used: BTreeSet<String> = reserved.iter().map(|s| s.to_string()).collect();
    let mut out: Vec<Option<String>> = vec![None; wanted.len()];
    for (i, w) in wanted.iter().enumerate() {
        let fam = family(w);
        if fam.iter().all(|n| !used.contains(n)) {
            used.extend(fam);
            out[i] = Some(w.clone());
        }
    }
    for (i, w) in wanted.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        let mut n = 1;
        loop {
            let candidate = if n == 1 {
                format!("{w}{suffix}")
            } else {
                format!("{w}{suffix}{n}")
            };
            let fam = family(&candidate);
            if fam.iter().all(|x| !used.contains(x)) {
                used.extend(fam);
                out[i] = Some(candidate);
                break;
            }
            n += 1;
        }
    }
    out.into_iter().map(Option::unwrap_or_default).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_are_what_cargo_and_crates_io_take() {
        for ok in [
            "a",
            "network-firewall",
            "s3_control",
            "x1",
            &"a".repeat(MAX_PACKAGE_NAME),
        ] {
            assert_eq!(package_name_problem(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("", "it is empty"),
            ("1abc", "starts with an ASCII letter"),
            ("-a", "starts with an ASCII letter"),
            ("a.b", "not '.'"),
            ("has space", "not ' '"),
            ("../../evil", "starts with an ASCII letter"),
            ("née", "not 'é'"),
        ] {
            let problem = package_name_problem(bad).unwrap_or_default();
            assert!(problem.contains(why), "{bad}: {problem}");
        }
        let long = "a".repeat(MAX_PACKAGE_NAME + 1);
        assert_eq!(
            package_name_problem(&long).as_deref(),
            Some("it is 65 characters long, and crates.io takes at most 64")
        );
    }

    #[test]
    fn acronyms_split_the_way_aws_users_expect() {
        let cases = [
            ("FirewallArn", "firewall_arn"),
            ("FirewallARN", "firewall_arn"),
            ("NotificationARNs", "notification_arns"),
            ("DBInstanceIdentifier", "db_instance_identifier"),
            ("DBInstance", "db_instance"),
            ("IPv6Address", "ipv6_address"),
            ("Ipv6CidrBlock", "ipv6_cidr_block"),
            ("EnableIPv4", "enable_ipv4"),
            ("TTL", "ttl"),
            ("TimeToLive", "time_to_live"),
            ("DefaultTTL", "default_ttl"),
            ("SizeInMiB", "size_in_mib"),
            ("ListFlowOperations", "list_flow_operations"),
            ("MaxResults", "max_results"),
            ("S3Bucket", "s3_bucket"),
            ("Ec2InstanceId", "ec2_instance_id"),
            ("KMSKeyId", "kms_key_id"),
            ("HTTPSettings", "http_settings"),
            ("SSEDescription", "sse_description"),
            ("ResourceIDs", "resource_ids"),
            ("already_snake", "already_snake"),
            ("camelCase", "camel_case"),
            ("FLOW_FLUSH", "flow_flush"),
            ("us-east-1", "us_east_1"),
            ("Base64Encoded", "base64_encoded"),
            ("SigV4Auth", "sigv4_auth"),
            ("Subtitle", "subtitle"),
        ];
        for (input, expected) in cases {
            assert_eq!(snake_case(input), expected, "snake_case({input})");
        }
    }

    #[test]
    fn camel_case_follows_the_same_words() {
        let cases = [
            ("FLOW_FLUSH", "FlowFlush"),
            ("COMPLETED_WITH_ERRORS", "CompletedWithErrors"),
            ("DBInstance", "DbInstance"),
            ("IPv6", "Ipv6"),
            ("ListFlowOperationsRequest", "ListFlowOperationsRequest"),
            ("m5.large", "M5Large"),
            ("1m", "V1m"),
            ("us-east-1", "UsEast1"),
        ];
        for (input, expected) in cases {
            assert_eq!(camel_case(input), expected, "camel_case({input})");
        }
    }

    #[test]
    fn every_keyword_is_escaped() {
        for kw in KEYWORDS {
            let escaped = escape(kw.to_string());
            assert_ne!(&escaped, kw);
            if NOT_RAW.contains(kw) {
                assert_eq!(escaped, format!("{kw}_"));
            } else {
                assert_eq!(escaped, format!("r#{kw}"));
            }
            // Every escaped form must be something syn accepts as an identifier.
            assert!(
                syn::parse_str::<syn::Ident>(&escaped).is_ok(),
                "{escaped} is not an identifier"
            );
        }
        assert_eq!(field_ident("Type"), "r#type");
        assert_eq!(field_ident("Self"), "self_");
        assert_eq!(field_ident("crate"), "crate_");
        assert_eq!(field_ident("Super"), "super_");
        assert_eq!(type_ident("Self"), "SelfValue");
        assert_eq!(type_ident("self"), "SelfValue");
        assert_eq!(unraw("r#type"), "type");
    }

    #[test]
    fn leading_digits_and_empty_names_become_identifiers() {
        assert_eq!(snake_case("2FA"), "_2_fa");
        assert_eq!(camel_case("2FA"), "V2Fa");
        assert_eq!(snake_case("1m"), "_1m");
        assert_eq!(snake_case("--"), "value");
        assert_eq!(camel_case(""), "Value");
    }

    #[test]
    fn colliding_names_are_resolved_by_one_rule() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let one = |n: &str| vec![n.to_string()];
        // `UNKNOWN` is displaced by the catch-all; `unknown_value` keeps its name.
        assert_eq!(
            assign_unique(&v(&["Unknown", "UnknownValue"]), &["Unknown"], "Value", one),
            v(&["UnknownValue2", "UnknownValue"])
        );
        assert_eq!(
            assign_unique(&v(&["UnknownValue", "Unknown"]), &["Unknown"], "Value", one),
            v(&["UnknownValue", "UnknownValue2"])
        );
        // The first of two equal names keeps it.
        assert_eq!(
            assign_unique(&v(&["AB", "AB", "AB"]), &[], "Value", one),
            v(&["AB", "ABValue", "ABValue2"])
        );
        // Families: `name` takes `set_name`, which is what `SetName` wants.
        let builder = |n: &str| vec![n.to_string(), format!("set_{n}"), format!("get_{n}")];
        assert_eq!(
            assign_unique(&v(&["name", "set_name"]), &["build"], "_value", builder),
            v(&["name", "set_name_value"])
        );
        assert_eq!(
            assign_unique(&v(&["set_name", "name"]), &["build"], "_value", builder),
            v(&["set_name", "name_value"])
        );
        assert_eq!(
            assign_unique(&v(&["build"]), &["build"], "_value", builder),
            v(&["build_value"])
        );
    }

    #[test]
    fn digits_and_versions_split_as_the_official_sdk_does() {
        let cases = [
            ("Status2xx", "status2xx"),
            ("M3u8Settings", "m3u8_settings"),
            ("DynamoDBv2Action", "dynamo_dbv2_action"),
            ("IBMDb2Settings", "ibm_db2_settings"),
            ("OAuth2Credentials", "o_auth2_credentials"),
            ("s3key", "s3_key"),
            ("S3objectKey", "s3object_key"),
            ("HTTPCode4XXCount", "http_code4_xx_count"),
        ];
        for (input, expected) in cases {
            assert_eq!(snake_case(input), expected, "snake_case({input})");
        }
    }

    #[test]
    fn package_names_avoid_keywords_sysroot_crates_and_dependencies() {
        assert_eq!(package_name("Network Firewall"), "network-firewall");
        assert_eq!(package_name("Core"), "core-client");
        assert_eq!(package_name("Std"), "std-client");
        assert_eq!(package_name("Proc Macro"), "proc-macro-client");
        assert_eq!(package_name("Self"), "self-client");
        assert_eq!(package_name("Tokio"), "tokio-client");
        assert_eq!(package_name("Smithy Runtime"), "smithy-runtime-client");
        assert_eq!(package_name("Core Services"), "core-services");
        assert!(is_taken_package_name("proc_macro"));
    }

    #[test]
    fn crate_names_come_from_the_sdk_id() {
        assert_eq!(crate_name("Network Firewall"), "network-firewall");
        assert_eq!(crate_name("DynamoDB"), "dynamodb");
        assert_eq!(crate_name("Secrets Manager"), "secrets-manager");
        assert_eq!(crate_name("Backup Gateway"), "backup-gateway");
    }
}

/// The names derived from a type's or an operation's Rust name (its builder, codec
/// functions, error enum, fluent builder, paginator, accessors), decided here only.
/// Lowering stores them in the IR; emitters use the stored names, and these functions
/// where they only have a type's name.
///
/// They cannot collide: type names are unique (and operation names too), each module
/// of the generated crate gets one kind of derived name per prefix or suffix
/// (`types::builders` only builders, `error` only error enums, `client::fluent` only
/// request builders), and in `codec`, where several kinds meet, the prefixes are
/// followed by a CamelCase name, so `error_struct_X` can never be `error_Y`. The
/// per-member and per-variant names (`set_x`, `get_x`, `is_x`) are made unique by
/// [`assign_unique`] in lowering.
pub mod derived {
    use super::{snake_case, unraw};

    /// A structure's builder: `XBuilder`.
    pub fn builder(ty: &str) -> String {
        format!("{ty}Builder")
    }
    /// A type's serializer in `codec`: `ser_X`.
    pub fn ser_fn(ty: &str) -> String {
        format!("ser_{ty}")
    }
    /// A type's deserializer in `codec`: `de_X`.
    pub fn de_fn(ty: &str) -> String {
        format!("de_{ty}")
    }
    /// A structure's zero value in `codec` (client error correction): `zero_X`.
    pub fn zero_fn(ty: &str) -> String {
        format!("zero_{ty}")
    }
    /// An error structure's parser in `codec`: `error_struct_X`.
    pub fn error_struct_fn(ty: &str) -> String {
        format!("error_struct_{ty}")
    }
    /// An operation's error enum: `XError`.
    pub fn error_enum(op: &str) -> String {
        format!("{op}Error")
    }
    /// An operation's error parser in `codec`: `error_X`.
    pub fn error_fn(op: &str) -> String {
        format!("error_{op}")
    }
    /// An operation's request builder: `XFluentBuilder`.
    pub fn fluent_builder(op: &str) -> String {
        format!("{op}FluentBuilder")
    }
    /// An operation's paginator: `XPaginator`.
    pub fn paginator(op: &str) -> String {
        format!("{op}Paginator")
    }
    /// A member's `Option` setter: `set_x`.
    pub fn set_fn(setter: &str) -> String {
        format!("set_{}", unraw(setter))
    }
    /// A member's getter on a builder: `get_x`.
    pub fn get_fn(setter: &str) -> String {
        format!("get_{}", unraw(setter))
    }
    /// A variant's test: `is_x`.
    pub fn is_fn(variant: &str) -> String {
        format!("is_{}", snake_case(variant))
    }
}
