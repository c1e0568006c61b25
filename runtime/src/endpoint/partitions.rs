//! AWS partitions, for the `aws.partition` function.
//!
//! The built-in table ([`Partitions::aws`]) holds the facts AWS publishes about its
//! partitions (the `partitions.json` that the SDKs ship), written as a Rust table. It
//! follows AWS's data of September 2025, before the ISO partitions were switched to
//! support dual-stack: the `smithy.rules#endpointTests` in the 2025 models expect
//! `supportsDualStack` to be false there. A client that needs other data passes its own
//! [`Partitions`] to [`resolve_with`](super::resolve_with).

#[cfg(feature = "endpoint-json")]
use crate::types::Document;
use std::borrow::Cow;
use std::sync::OnceLock;

#[cfg(feature = "endpoint-json")]
fn is_plain(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

#[cfg(feature = "endpoint-json")]
fn field<'d>(doc: &'d Document, key: &str) -> Option<&'d Document> {
    match doc {
        Document::Object(m) => m.get(key),
        _ => None,
    }
}

#[cfg(feature = "endpoint-json")]
fn text_field(doc: &Document, key: &str) -> Option<String> {
    match field(doc, key) {
        Some(Document::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// What `aws.partition` returns for a partition (the `Partition` structure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionOutputs {
    /// The partition's name (`aws`, `aws-cn`, ...).
    pub name: Cow<'static, str>,
    /// The default DNS suffix (`amazonaws.com`).
    pub dns_suffix: Cow<'static, str>,
    /// The DNS suffix of dual-stack endpoints (`api.aws`).
    pub dual_stack_dns_suffix: Cow<'static, str>,
    /// Whether the partition has FIPS endpoints.
    pub supports_fips: bool,
    /// Whether the partition has dual-stack endpoints.
    pub supports_dual_stack: bool,
    /// The region that global (non-regional) services sign for.
    pub implicit_global_region: Cow<'static, str>,
}

/// Which region names belong to a partition when they are not listed: the pattern
/// `^(p1|p2|...)-\w+-\d+$` of `partitions.json`, given by its prefixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionPattern {
    prefixes: Vec<Cow<'static, str>>,
}

impl RegionPattern {
    /// The pattern `^(prefix1|prefix2|...)-\w+-\d+$`: a prefix, `-`, one or more word
    /// characters (ASCII letters, digits, `_`), `-`, and one or more digits.
    pub fn with_prefixes<I, S>(prefixes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<Cow<'static, str>>,
    {
        RegionPattern {
            prefixes: prefixes.into_iter().map(Into::into).collect(),
        }
    }

    /// The prefixes of a `partitions.json` pattern such as `^(us|eu)\-\w+\-\d+$` or
    /// `^eusc\-(de)\-\w+\-\d+$`; `None` for any other shape of pattern. (With the
    /// `endpoint-json` feature.)
    #[cfg(feature = "endpoint-json")]
    pub fn from_regex(regex: &str) -> Option<Self> {
        let body = regex.strip_prefix('^')?;
        let head = [r"\-\w+\-\d+$", r"-\w+-\d+$"]
            .iter()
            .find_map(|tail| body.strip_suffix(tail))?;
        // The head: literal characters (`\-` for `-`) and at most one `(a|b|...)` group.
        let mut prefixes = vec![String::new()];
        let mut chars = head.chars();
        let mut groups = 0;
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    let e = chars.next()?;
                    if e.is_ascii_alphanumeric() {
                        return None;
                    }
                    prefixes.iter_mut().for_each(|p| p.push(e));
                }
                '(' => {
                    groups += 1;
                    let mut group = String::new();
                    loop {
                        match chars.next()? {
                            ')' => break,
                            '\\' => match chars.next()? {
                                e if e.is_ascii_alphanumeric() => return None,
                                e => group.push(e),
                            },
                            c => group.push(c),
                        }
                    }
                    let options: Vec<&str> = group.split('|').collect();
                    if groups > 1 || options.iter().any(|o| !is_plain(o)) {
                        return None;
                    }
                    prefixes = prefixes
                        .iter()
                        .flat_map(|p| options.iter().map(move |o| format!("{p}{o}")))
                        .collect();
                }
                c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => {
                    prefixes.iter_mut().for_each(|p| p.push(c));
                }
                _ => return None,
            }
        }
        if prefixes.iter().any(String::is_empty) {
            return None;
        }
        Some(RegionPattern::with_prefixes(prefixes))
    }

    /// Whether `region` matches.
    pub fn matches(&self, region: &str) -> bool {
        self.prefixes.iter().any(|p| {
            let Some(rest) = region
                .strip_prefix(p.as_ref())
                .and_then(|r| r.strip_prefix('-'))
            else {
                return false;
            };
            let Some((word, digits)) = rest.split_once('-') else {
                return false;
            };
            !word.is_empty()
                && word.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
                && !digits.is_empty()
                && digits.bytes().all(|c| c.is_ascii_digit())
        })
    }
}

/// One partition: its id, known regions, region pattern and outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// The partition id (`aws`); `aws.partition` reports it as `name`.
    pub id: Cow<'static, str>,
    /// Regions known to be in this partition (including `aws-global` style names).
    pub regions: Vec<Cow<'static, str>>,
    /// Regions not listed anywhere belong to the first partition whose pattern matches.
    pub region_pattern: RegionPattern,
    /// What `aws.partition` returns.
    pub outputs: PartitionOutputs,
}

/// An ordered set of partitions. Lookup: an exact region name first, then the first
/// matching pattern, then the partition with id `aws`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partitions {
    partitions: Vec<Partition>,
}

/// The built-in data: (id, pattern prefixes, regions, dnsSuffix, dualStackDnsSuffix,
/// supportsFIPS, supportsDualStack, implicitGlobalRegion). The id is also the name.
/// The isolated partitions have no dual-stack endpoints: their dual-stack suffix is
/// their DNS suffix, as the endpoint tests of the official models expect.
type Row = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
    &'static str,
    bool,
    bool,
    &'static str,
);

const AWS_PARTITIONS: &[Row] = &[
    (
        "aws",
        &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
        &[
            "aws-global",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
        ],
        "amazonaws.com",
        "api.aws",
        true,
        true,
        "us-east-1",
    ),
    (
        "aws-us-gov",
        &["us-gov"],
        &["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
        "amazonaws.com",
        "api.aws",
        true,
        true,
        "us-gov-west-1",
    ),
    (
        "aws-cn",
        &["cn"],
        &["aws-cn-global", "cn-north-1", "cn-northwest-1"],
        "amazonaws.com.cn",
        "api.amazonwebservices.com.cn",
        true,
        true,
        "cn-northwest-1",
    ),
    (
        "aws-iso",
        &["us-iso"],
        &["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
        "c2s.ic.gov",
        "c2s.ic.gov",
        true,
        false,
        "us-iso-east-1",
    ),
    (
        "aws-iso-b",
        &["us-isob"],
        &["aws-iso-b-global", "us-isob-east-1"],
        "sc2s.sgov.gov",
        "sc2s.sgov.gov",
        true,
        false,
        "us-isob-east-1",
    ),
    (
        "aws-iso-e",
        &["eu-isoe"],
        &[],
        "cloud.adc-e.uk",
        "cloud.adc-e.uk",
        true,
        false,
        "eu-isoe-west-1",
    ),
    (
        "aws-iso-f",
        &["us-isof"],
        &["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"],
        "csp.hci.ic.gov",
        "csp.hci.ic.gov",
        true,
        false,
        "us-isof-south-1",
    ),
    (
        "aws-eusc",
        &["eusc-de"],
        &["eusc-de-east-1"],
        "amazonaws.eu",
        "api.amazonwebservices.eu",
        true,
        true,
        "eusc-de-east-1",
    ),
];

impl Partitions {
    /// A set of partitions, searched in this order.
    pub fn new(partitions: Vec<Partition>) -> Self {
        Partitions { partitions }
    }

    /// The built-in AWS partitions (built once, then shared).
    pub fn aws() -> &'static Partitions {
        static AWS: OnceLock<Partitions> = OnceLock::new();
        AWS.get_or_init(|| {
            Partitions::new(
                AWS_PARTITIONS
                    .iter()
                    .map(
                        |&(id, prefixes, regions, dns, dual, fips, dual_ok, global)| Partition {
                            id: Cow::Borrowed(id),
                            regions: regions.iter().map(|r| Cow::Borrowed(*r)).collect(),
                            region_pattern: RegionPattern::with_prefixes(prefixes.iter().copied()),
                            outputs: PartitionOutputs {
                                name: Cow::Borrowed(id),
                                dns_suffix: Cow::Borrowed(dns),
                                dual_stack_dns_suffix: Cow::Borrowed(dual),
                                supports_fips: fips,
                                supports_dual_stack: dual_ok,
                                implicit_global_region: Cow::Borrowed(global),
                            },
                        },
                    )
                    .collect(),
            )
        })
    }

    /// Reads partition data in the form of AWS's `partitions.json`:
    /// `{"partitions": [{"id", "regionRegex", "regions": {name: {...}}, "outputs": {...}}]}`.
    ///
    /// `regionRegex` must have the shape AWS uses, `^(p1|p2)\-\w+\-\d+$` (prefixes may
    /// contain escaped `-` and one group of alternatives); other patterns are refused, as
    /// this crate carries no regular expression engine. (With the `endpoint-json`
    /// feature.)
    #[cfg(feature = "endpoint-json")]
    pub fn from_json(text: &str) -> Result<Partitions, String> {
        let mut p = crate::json::Parser::new(text.as_bytes());
        let doc = p
            .document()
            .and_then(|d| p.finish().map(|()| d))
            .map_err(|e| format!("partitions: not valid JSON: {e}"))?;
        let list = match field(&doc, "partitions") {
            Some(Document::Array(list)) => list,
            _ => return Err("partitions: expected an array `partitions`".to_string()),
        };
        let mut partitions = Vec::with_capacity(list.len());
        for (i, d) in list.iter().enumerate() {
            let at = |what: &str| format!("partitions[{i}]: {what}");
            let id = text_field(d, "id").ok_or_else(|| at("missing string `id`"))?;
            let regex =
                text_field(d, "regionRegex").ok_or_else(|| at("missing string `regionRegex`"))?;
            let region_pattern = RegionPattern::from_regex(&regex).ok_or_else(|| {
                at(&format!(
                    "unsupported regionRegex `{regex}` (expected `^(a|b)\\-\\w+\\-\\d+$`)"
                ))
            })?;
            let regions = match field(d, "regions") {
                Some(Document::Object(m)) => crate::types::sorted_keys(m)
                    .into_iter()
                    .map(|k| Cow::Owned(k.clone()))
                    .collect(),
                None => Vec::new(),
                Some(_) => return Err(at("`regions` must be an object")),
            };
            let outputs = field(d, "outputs").ok_or_else(|| at("missing `outputs`"))?;
            let out_text = |key: &str| {
                text_field(outputs, key)
                    .map(Cow::Owned)
                    .ok_or_else(|| at(&format!("missing string `outputs.{key}`")))
            };
            let out_bool = |key: &str| match field(outputs, key) {
                Some(Document::Bool(b)) => Ok(*b),
                _ => Err(at(&format!("missing boolean `outputs.{key}`"))),
            };
            partitions.push(Partition {
                id: Cow::Owned(id.clone()),
                regions,
                region_pattern,
                outputs: PartitionOutputs {
                    name: match text_field(outputs, "name") {
                        Some(n) => Cow::Owned(n),
                        None => Cow::Owned(id),
                    },
                    dns_suffix: out_text("dnsSuffix")?,
                    dual_stack_dns_suffix: out_text("dualStackDnsSuffix")?,
                    supports_fips: out_bool("supportsFIPS")?,
                    supports_dual_stack: out_bool("supportsDualStack")?,
                    implicit_global_region: out_text("implicitGlobalRegion")?,
                },
            });
        }
        Ok(Partitions::new(partitions))
    }

    /// The partitions, in search order.
    pub fn partitions(&self) -> &[Partition] {
        &self.partitions
    }

    /// The partition of `region`: the one that lists it, else the first whose pattern
    /// matches, else `aws` (`None` only if there is no `aws` partition).
    pub fn find(&self, region: &str) -> Option<&Partition> {
        self.find_index(region).and_then(|i| self.partitions.get(i))
    }

    /// Where in [`partitions`](Self::partitions) the partition of `region` is.
    pub(crate) fn find_index(&self, region: &str) -> Option<usize> {
        let ps = &self.partitions;
        ps.iter()
            .position(|p| p.regions.iter().any(|r| r == region))
            .or_else(|| ps.iter().position(|p| p.region_pattern.matches(region)))
            .or_else(|| ps.iter().position(|p| p.id == "aws"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(region: &str) -> &'static str {
        match Partitions::aws().find(region) {
            Some(p) => match &p.id {
                Cow::Borrowed(s) => s,
                Cow::Owned(_) => "owned",
            },
            None => "none",
        }
    }

    #[test]
    fn known_regions() {
        assert_eq!(name("us-east-1"), "aws");
        assert_eq!(name("aws-global"), "aws");
        assert_eq!(name("cn-north-1"), "aws-cn");
        assert_eq!(name("us-gov-west-1"), "aws-us-gov");
        assert_eq!(name("us-iso-east-1"), "aws-iso");
        assert_eq!(name("us-isob-east-1"), "aws-iso-b");
        assert_eq!(name("us-isof-south-1"), "aws-iso-f");
        assert_eq!(name("eusc-de-east-1"), "aws-eusc");
    }

    #[test]
    fn unknown_regions_by_pattern_then_aws() {
        assert_eq!(name("us-west-3"), "aws");
        assert_eq!(name("ap-newzone-9"), "aws");
        assert_eq!(name("cn-south-7"), "aws-cn");
        assert_eq!(name("us-gov-central-2"), "aws-us-gov");
        assert_eq!(name("us-iso-central-5"), "aws-iso");
        assert_eq!(name("us-isob-west-1"), "aws-iso-b");
        assert_eq!(name("eu-isoe-west-1"), "aws-iso-e");
        assert_eq!(name("us-isof-north-1"), "aws-iso-f");
        assert_eq!(name("eusc-de-west-2"), "aws-eusc");
        // No pattern matches: the `aws` partition.
        assert_eq!(name("local"), "aws");
        assert_eq!(name("mars-east-1"), "aws");
        assert_eq!(name("us-east-1-fips"), "aws");
        assert_eq!(name("eusc-fr-east-1"), "aws");
        assert_eq!(name(""), "aws");
        let p = Partitions::aws().find("us-iso-central-5").unwrap();
        assert_eq!(p.outputs.dns_suffix, "c2s.ic.gov");
        assert!(!p.outputs.supports_dual_stack);
        // The rules of services that are dual-stack only (Aurora DSQL, Billing, ...)
        // name `dualStackDnsSuffix` in every partition; their tests expect the DNS
        // suffix in the isolated ones.
        for region in [
            "us-iso-east-1",
            "us-isob-east-1",
            "eu-isoe-west-1",
            "us-isof-south-1",
        ] {
            let p = Partitions::aws().find(region).unwrap();
            assert_eq!(
                p.outputs.dual_stack_dns_suffix, p.outputs.dns_suffix,
                "{region}"
            );
        }
    }

    #[test]
    #[cfg(feature = "endpoint-json")]
    fn patterns_from_regexes() {
        let p = RegionPattern::from_regex(r"^(us|eu|ap)\-\w+\-\d+$").unwrap();
        assert_eq!(p, RegionPattern::with_prefixes(["us", "eu", "ap"]));
        let p = RegionPattern::from_regex(r"^us\-gov\-\w+\-\d+$").unwrap();
        assert_eq!(p, RegionPattern::with_prefixes(["us-gov"]));
        let p = RegionPattern::from_regex(r"^eusc\-(de)\-\w+\-\d+$").unwrap();
        assert_eq!(p, RegionPattern::with_prefixes(["eusc-de"]));
        let p = RegionPattern::from_regex(r"^(us|eu|ap|sa|ca|me|af)-\w+-\d+$").unwrap();
        assert!(p.matches("af-south-1"));
        for bad in [
            r"(us)\-\w+\-\d+$",
            r"^(us)\-\w+\-\d$",
            r"^(u.s)\-\w+\-\d+$",
            r"^(us)(eu)\-\w+\-\d+$",
            r"^[a-z]+\-\w+\-\d+$",
            r"^\d\-\w+\-\d+$",
            r"^()\-\w+\-\d+$",
            r"^(us\-\w+\-\d+$",
        ] {
            assert!(RegionPattern::from_regex(bad).is_none(), "{bad}");
        }
    }

    #[test]
    #[cfg(feature = "endpoint-json")]
    fn partitions_from_json() {
        let text = r#"{"version": "1.1", "partitions": [
            {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
             "regions": {"us-east-1": {"description": "N. Virginia"}, "aws-global": {}},
             "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                         "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "us-east-1"}},
            {"id": "aws-x", "regionRegex": "^x\\-(a|b)\\-\\w+\\-\\d+$",
             "outputs": {"dnsSuffix": "x.example", "dualStackDnsSuffix": "dual.x.example",
                         "supportsFIPS": false, "supportsDualStack": false, "implicitGlobalRegion": "x-a-east-1"}}
        ]}"#;
        let ps = Partitions::from_json(text).unwrap();
        assert_eq!(ps.partitions().len(), 2);
        let x = ps.find("x-b-north-3").unwrap();
        assert_eq!(x.outputs.name, "aws-x");
        assert_eq!(x.outputs.dns_suffix, "x.example");
        assert_eq!(ps.find("aws-global").unwrap().id, "aws");
        assert_eq!(ps.find("x-c-north-3").unwrap().id, "aws");
        let bad = [
            ("[]", "expected an array"),
            (
                r#"{"partitions": [{"regionRegex": "^a-\\w+-\\d+$"}]}"#,
                "`id`",
            ),
            (
                r#"{"partitions": [{"id": "a", "regionRegex": ".*"}]}"#,
                "unsupported regionRegex",
            ),
            (
                r#"{"partitions": [{"id": "a", "regionRegex": "^a-\\w+-\\d+$", "outputs": {}}]}"#,
                "outputs.dnsSuffix",
            ),
        ];
        for (text, why) in bad {
            let e = Partitions::from_json(text).unwrap_err();
            assert!(e.contains(why), "{text}: {e}");
        }
    }

    #[test]
    fn patterns() {
        let p = RegionPattern::with_prefixes(["us", "eu"]);
        assert!(p.matches("us-east-1"));
        assert!(p.matches("eu-w_1-22"));
        assert!(!p.matches("us-east-"));
        assert!(!p.matches("us--1"));
        assert!(!p.matches("us-gov-west-1"));
        assert!(!p.matches("useast-1"));
        assert!(!p.matches("us-east-1a"));
        let empty = Partitions::new(Vec::new());
        assert!(empty.find("us-east-1").is_none());
    }
}
