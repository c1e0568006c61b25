//! The rules engine's standard library and the AWS library functions, as plain Rust
//! functions over strings.
//!
//! The evaluator calls these; generated code and tests may call them directly. Each
//! follows the semantics of <https://smithy.io/2.0/additional-specs/rules-engine/standard-library.html>
//! and <https://smithy.io/2.0/aws/rules-engine/library-functions.html>.

/// The result of [`parse_url`]: the `URL` structure of the rules engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`, lower case, without `://`.
    pub scheme: String,
    /// The host and the port if one was written (`example.com:8443`, `[fe80::1]`), without
    /// any user information.
    pub authority: String,
    /// The path exactly as written (empty when there is none).
    pub path: String,
    /// The path, starting and ending with `/`.
    pub normalized_path: String,
    /// Whether the host is an IPv4 or IPv6 address.
    pub is_ip: bool,
}

/// The result of [`parse_arn`]: the `ARN` structure of the AWS library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    /// The partition (`aws`, `aws-cn`, ...).
    pub partition: String,
    /// The service namespace (`s3`, `dynamodb`, ...).
    pub service: String,
    /// The region; empty for resources that are not regional.
    pub region: String,
    /// The account id; empty for resources that belong to no account.
    pub account_id: String,
    /// The resource part, split on every `:` and `/`.
    pub resource_id: Vec<String>,
}

/// `uriEncode`: percent-encodes every byte of the UTF-8 text except the unreserved
/// characters of RFC 3986 (`A-Z a-z 0-9 - _ . ~`), with upper-case hex digits.
pub fn uri_encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len() + value.len() / 2);
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// `substring`: the ASCII characters `start..stop` of `input`, counted from the end when
/// `reverse` is true. `None` when `start >= stop`, when `input` is shorter than `stop`, or
/// when `input` contains a non-ASCII character.
pub fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<&str> {
    if start < 0 || start >= stop || !input.is_ascii() {
        return None;
    }
    let len = input.len();
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    if stop > len {
        return None;
    }
    if reverse {
        input.get(len - stop..len - start)
    } else {
        input.get(start..stop)
    }
}

/// Whether `label` is one RFC 1123 host label: 1 to 63 characters, ASCII letters, digits
/// and `-`, not starting with `-`.
fn is_host_label(label: &str) -> bool {
    let b = label.as_bytes();
    match b.first() {
        Some(first) if b.len() <= 63 && first.is_ascii_alphanumeric() => b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'-'),
        _ => false,
    }
}

/// `isValidHostLabel`: whether `value` is a valid RFC 1123 host label or, when
/// `allow_subdomains` is true, labels joined by `.` (no empty label, so no leading,
/// trailing or doubled dot).
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        value.split('.').all(is_host_label)
    } else {
        is_host_label(value)
    }
}

/// Whether `host` looks like an IP address: an IPv6 literal in brackets, or four dotted
/// decimal groups of one to three digits without a leading zero (the range is not
/// checked, as in the reference implementation).
pub fn is_ip_address(host: &str) -> bool {
    if host.len() >= 2 && host.starts_with('[') && host.ends_with(']') {
        return true;
    }
    let mut groups = 0;
    for group in host.split('.') {
        groups += 1;
        let b = group.as_bytes();
        let ok = match b.len() {
            1 => b[0].is_ascii_digit(),
            2 | 3 => b[0] != b'0' && b.iter().all(u8::is_ascii_digit),
            _ => false,
        };
        if !ok || groups > 4 {
            return false;
        }
    }
    groups == 4
}

/// `parseURL`: splits an `http` or `https` URL into its parts. `None` when the URL has a
/// query (`?`), another scheme, no host, or a port that is not a number.
pub fn parse_url(url: &str) -> Option<Url> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        "https"
    } else if scheme.eq_ignore_ascii_case("http") {
        "http"
    } else {
        return None;
    };
    if rest.contains('?') {
        return None;
    }
    // A fragment is not part of the endpoint.
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    // User information never belongs in the authority.
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']')?;
        let (host, after) = authority.split_at(close + 1);
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':')?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() || host.len() == 2 && host == "[]" {
        return None;
    }
    if let Some(port) = port {
        if port.is_empty() || port.len() > 5 || !port.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    if host
        .bytes()
        .any(|c| c.is_ascii_whitespace() || c.is_ascii_control() || c == b'\\')
    {
        return None;
    }
    Some(Url {
        scheme: scheme.to_string(),
        authority: authority.to_string(),
        path: path.to_string(),
        normalized_path: normalize_path(path),
        is_ip: is_ip_address(host),
    })
}

/// A path that starts and ends with `/` (`/` for an empty path).
fn normalize_path(path: &str) -> String {
    if path.trim().is_empty() {
        return "/".to_string();
    }
    let mut out = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        out.push('/');
    }
    out.push_str(path);
    if !path.ends_with('/') {
        out.push('/');
    }
    out
}

/// `aws.parseArn`: splits `arn:partition:service:region:account-id:resource` into its
/// parts; the resource is split on every `:` and `/`. `None` unless the text starts with
/// `arn:`, has all six parts, and the partition, service and resource are not empty.
pub fn parse_arn(value: &str) -> Option<Arn> {
    let rest = value.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_string(),
        service: service.to_string(),
        region: region.to_string(),
        account_id: account_id.to_string(),
        resource_id: resource.split([':', '/']).map(str::to_string).collect(),
    })
}

/// `aws.isVirtualHostableS3Bucket`: whether `value` can be used as an S3 bucket in a host
/// name: 3 to 63 characters of lower-case letters, digits and `-` (and `.` when
/// `allow_subdomains` is true, with no `..`, `-.` or `.-`), starting and ending with a
/// letter or digit, and not shaped like an IP address.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    let b = value.as_bytes();
    let lower_or_digit = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    if !(3..=63).contains(&b.len()) || !lower_or_digit(first) || !lower_or_digit(last) {
        return false;
    }
    if !allow_subdomains {
        return b.iter().all(|&c| lower_or_digit(c) || c == b'-');
    }
    let mut prev = first;
    for &c in &b[1..] {
        let ok = match c {
            b'.' => prev != b'.' && prev != b'-',
            b'-' => prev != b'.',
            c => lower_or_digit(c),
        };
        if !ok {
            return false;
        }
        prev = c;
    }
    !is_ip_address(value)
}

/// `split` (rules engine 1.1): `value` split on `delimiter`. `limit` 0 splits at every
/// occurrence, `limit` n > 0 gives at most n parts. `None` for an empty delimiter or a
/// negative limit.
pub fn split<'v>(value: &'v str, delimiter: &str, limit: i64) -> Option<Vec<&'v str>> {
    if delimiter.is_empty() || limit < 0 {
        return None;
    }
    if limit == 0 {
        Some(value.split(delimiter).collect())
    } else {
        let limit = usize::try_from(limit).ok()?;
        Some(value.splitn(limit, delimiter).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encode_reserved_and_unicode() {
        assert_eq!(uri_encode("abcdefg"), "abcdefg");
        assert_eq!(uri_encode("abc:defg"), "abc%3Adefg");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(uri_encode("é"), "%C3%A9");
        assert_eq!(uri_encode("\u{1F639}"), "%F0%9F%98%B9");
        assert_eq!(uri_encode(""), "");
        assert_eq!(uri_encode("\n\u{7f}"), "%0A%7F");
    }

    #[test]
    fn substring_bounds_reverse_and_ascii() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcd", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, false), Some("bc"));
        assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 0, 4, true), None);
        assert_eq!(substring("", 0, 1, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("abc", 2, 1, false), None);
        assert_eq!(substring("abc", -1, 1, false), None);
        assert_eq!(substring("\u{fdfd}abcd", 0, 1, false), None);
        assert_eq!(substring("\u{7f}abcdef", 0, 4, false), Some("\u{7f}abc"));
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("3aws4", false));
        assert!(is_valid_host_label("A-b", false));
        assert!(!is_valid_host_label("part1.part2", false));
        assert!(is_valid_host_label("part1.part2", true));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("", true));
        assert!(!is_valid_host_label("part1 part2", true));
        assert!(!is_valid_host_label("part1.", true));
        assert!(!is_valid_host_label(".part1", true));
        assert!(!is_valid_host_label("part1..part2", true));
        assert!(!is_valid_host_label("part1.-part2", true));
        assert!(!is_valid_host_label("-abc", false));
        assert!(is_valid_host_label("abc-", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("under_score", false));
        assert!(!is_valid_host_label("ünï", false));
    }

    #[test]
    fn parse_url_parts() {
        let u = parse_url("https://example.com").unwrap();
        assert_eq!(
            (
                u.scheme.as_str(),
                u.authority.as_str(),
                u.path.as_str(),
                u.normalized_path.as_str(),
                u.is_ip
            ),
            ("https", "example.com", "", "/", false)
        );
        let u = parse_url("http://example.com:80/foo/bar").unwrap();
        assert_eq!(u.authority, "example.com:80");
        assert_eq!(u.path, "/foo/bar");
        assert_eq!(u.normalized_path, "/foo/bar/");
        let u = parse_url("https://authority.com/").unwrap();
        assert_eq!((u.path.as_str(), u.normalized_path.as_str()), ("/", "/"));
        let u = parse_url("https://127.0.0.1").unwrap();
        assert!(u.is_ip);
        let u = parse_url("http://192.168.1.1:1234/foo/").unwrap();
        assert!(u.is_ip);
        assert_eq!(u.authority, "192.168.1.1:1234");
        let u = parse_url("https://[fe80::1]").unwrap();
        assert_eq!(u.authority, "[fe80::1]");
        assert!(u.is_ip);
        let u = parse_url("https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443").unwrap();
        assert_eq!(u.authority, "[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443");
        assert!(u.is_ip);
        assert!(!parse_url("https://999.999.abc.blah").unwrap().is_ip);
        assert!(!parse_url("https://1.2.3.4.5").unwrap().is_ip);
        assert!(!parse_url("https://01.2.3.4").unwrap().is_ip);
        assert!(parse_url("http://99_ab-.com").is_some());
        let u = parse_url("https://user:pw@example.com/x").unwrap();
        assert_eq!(u.authority, "example.com");
        // Rejected: a query, other schemes, no host, bad ports.
        assert!(parse_url("https://example.com:8443?foo=bar&faz=baz").is_none());
        assert!(parse_url("https://example.com/path?query1=foo").is_none());
        assert!(parse_url("https://example.com/?").is_none());
        assert!(parse_url("acbd://example.com").is_none());
        assert!(parse_url("example.com").is_none());
        assert!(parse_url("https://").is_none());
        assert!(parse_url("https:///path").is_none());
        assert!(parse_url("http://abc.com:a/foo").is_none());
        assert!(parse_url("http://abc.com:/foo").is_none());
        assert!(parse_url("http://[::1]x/foo").is_none());
        assert!(parse_url("http://[::1/foo").is_none());
        assert_eq!(parse_url("HTTPS://a.b").unwrap().scheme, "https");
    }

    #[test]
    fn parse_arn_splits_resource() {
        let a = parse_arn("arn:aws:sns:us-west-2:012345678910:example-sns-topic-name").unwrap();
        assert_eq!(
            (a.partition.as_str(), a.service.as_str(), a.region.as_str()),
            ("aws", "sns", "us-west-2")
        );
        assert_eq!(a.account_id, "012345678910");
        assert_eq!(a.resource_id, ["example-sns-topic-name"]);
        let a = parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE").unwrap();
        assert_eq!(a.resource_id, ["vpc", "vpc-0e9801d129EXAMPLE"]);
        let a = parse_arn("arn:aws:iam::012345678910:user/johndoe").unwrap();
        assert_eq!(a.region, "");
        assert_eq!(a.resource_id, ["user", "johndoe"]);
        let a = parse_arn("arn:aws:s3:::bucket_name").unwrap();
        assert_eq!((a.region.as_str(), a.account_id.as_str()), ("", ""));
        assert_eq!(a.resource_id, ["bucket_name"]);
        let a = parse_arn("arn:aws:kinesis:us-east-1:123:stream/s/consumer/c:1525898737").unwrap();
        assert_eq!(
            a.resource_id,
            ["stream", "s", "consumer", "c", "1525898737"]
        );
        let a = parse_arn("arn:aws:s3:us-west-2:123:accesspoint:/").unwrap();
        assert_eq!(a.resource_id, ["accesspoint", "", ""]);
        assert!(parse_arn("11111111-2222-3333-4444-555555555555").is_none());
        assert!(parse_arn("arn:aws:s3:us-west-2:123").is_none());
        assert!(parse_arn("arn:aws:s3:us-west-2:123:").is_none());
        assert!(parse_arn("arn::s3:us-west-2:123:x").is_none());
        assert!(parse_arn("arn:aws::us-west-2:123:x").is_none());
        assert!(parse_arn("ARN:aws:s3:::x").is_none());
    }

    #[test]
    fn virtual_hostable_buckets() {
        assert!(is_virtual_hostable_s3_bucket("bucket-name", false));
        assert!(is_virtual_hostable_s3_bucket("abc", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
        assert!(!is_virtual_hostable_s3_bucket("Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket.name", false));
        assert!(is_virtual_hostable_s3_bucket("bucket.name", true));
        assert!(!is_virtual_hostable_s3_bucket("bucket..name", true));
        assert!(!is_virtual_hostable_s3_bucket("bucket-.name", true));
        assert!(!is_virtual_hostable_s3_bucket("bucket.-name", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.5.4", true));
        assert!(!is_virtual_hostable_s3_bucket("bucket_name", true));
    }

    #[test]
    fn split_limits() {
        assert_eq!(split("a--b--c", "--", 0).unwrap(), ["a", "b", "c"]);
        assert_eq!(split("a--b--c", "--", 2).unwrap(), ["a", "b--c"]);
        assert_eq!(split("a--b--c", "--", 1).unwrap(), ["a--b--c"]);
        assert_eq!(split("", "--", 0).unwrap(), [""]);
        assert_eq!(split("----", "--", 0).unwrap(), ["", "", ""]);
        assert_eq!(split("--b--", "--", 0).unwrap(), ["", "b", ""]);
        assert_eq!(split("abc", "x", 0).unwrap(), ["abc"]);
        assert!(split("abc", "", 0).is_none());
        assert!(split("abc", "b", -1).is_none());
    }
}
