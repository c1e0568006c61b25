//! Value types of the Smithy data model that Rust's standard library lacks.

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How a timestamp is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// Seconds since the Unix epoch as a JSON number, with millisecond precision.
    EpochSeconds,
    /// RFC 3339 (`1985-04-12T23:20:50.52Z`).
    DateTime,
    /// RFC 7231 IMF-fixdate (`Tue, 29 Apr 2014 18:30:38 GMT`).
    HttpDate,
}

impl fmt::Display for TimestampFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimestampFormat::EpochSeconds => "epoch-seconds",
            TimestampFormat::DateTime => "date-time",
            TimestampFormat::HttpDate => "http-date",
        })
    }
}

/// An instant in time, exact to the nanosecond: seconds since the Unix epoch and a
/// non-negative sub-second part.
///
/// Wire values are parsed exactly from their decimal text, so `1.700000037123E9`
/// is 1700000037 s and 123 ms, not a float's approximation of it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

const NANOS_PER_SEC: u32 = 1_000_000_000;

impl DateTime {
    /// The Unix epoch.
    pub const UNIX_EPOCH: DateTime = DateTime { secs: 0, nanos: 0 };

    /// Whole seconds since the epoch.
    pub fn from_secs(secs: i64) -> Self {
        DateTime { secs, nanos: 0 }
    }

    /// Seconds since the epoch and nanoseconds past that second (values of a billion
    /// or more carry into the seconds).
    pub fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        let carry = i64::from(nanos / NANOS_PER_SEC);
        DateTime {
            secs: secs.saturating_add(carry),
            nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// Milliseconds since the epoch.
    pub fn from_millis(millis: i64) -> Self {
        let secs = millis.div_euclid(1000);
        let ms = millis.rem_euclid(1000) as u32;
        DateTime {
            secs,
            nanos: ms * 1_000_000,
        }
    }

    /// Seconds since the epoch, rounded towards negative infinity.
    pub fn secs(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds past [`DateTime::secs`].
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Milliseconds since the epoch (sub-millisecond digits are dropped).
    pub fn to_millis(&self) -> i64 {
        self.secs
            .saturating_mul(1000)
            .saturating_add(i64::from(self.nanos / 1_000_000))
    }

    /// Seconds since the epoch as a float (inexact for large values).
    pub fn as_secs_f64(&self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    /// Parses epoch seconds written as a JSON number (`1700000037`, `1.700000037123E9`,
    /// `-1.5`) exactly. Digits past the nanosecond are dropped.
    pub fn from_epoch_seconds_str(text: &str) -> Option<Self> {
        match epoch_seconds_short(text.as_bytes()) {
            Some(t) => Some(t),
            None => Self::from_epoch_seconds_any(text),
        }
    }

    /// [`DateTime::from_epoch_seconds_str`] for any text.
    fn from_epoch_seconds_any(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let (neg, mut i) = match bytes.first() {
            Some(b'-') => (true, 1),
            Some(b'+') => (false, 1),
            _ => (false, 0),
        };
        // The digits as one integer (exact: extra digits past 36 are dropped, and
        // counted in the exponent), and the power of ten to scale it by.
        let mut mantissa: u128 = 0;
        let mut scale: i64 = 0;
        let mut digits = 0;
        let mut seen_digit = false;
        let mut in_fraction = false;
        while let Some(&c) = bytes.get(i) {
            match c {
                b'0'..=b'9' => {
                    seen_digit = true;
                    if digits < 36 {
                        mantissa = mantissa * 10 + u128::from(c - b'0');
                        if mantissa != 0 {
                            digits += 1;
                        }
                        if in_fraction {
                            scale -= 1;
                        }
                    } else if !in_fraction {
                        scale += 1;
                    }
                }
                b'.' if !in_fraction => in_fraction = true,
                b'e' | b'E' => break,
                _ => return None,
            }
            i += 1;
        }
        if !seen_digit {
            return None;
        }
        if i < bytes.len() {
            let exp: i64 = text[i + 1..].parse().ok()?;
            scale = scale.checked_add(exp)?;
        }
        let (secs, nanos): (u128, u128) = if mantissa == 0 {
            (0, 0)
        } else if scale >= 0 {
            if scale > 30 {
                return None;
            }
            (mantissa.checked_mul(10u128.pow(scale as u32))?, 0)
        } else {
            let d = u32::try_from(scale.unsigned_abs()).unwrap_or(u32::MAX);
            if d > 38 {
                (0, 0)
            } else {
                let div = 10u128.pow(d);
                let rem = mantissa % div;
                let nanos = if d >= 9 {
                    rem / 10u128.pow(d - 9)
                } else {
                    rem * 10u128.pow(9 - d)
                };
                (mantissa / div, nanos)
            }
        };
        let secs = i64::try_from(secs).ok()?;
        let nanos = nanos as u32;
        if neg && nanos != 0 {
            Some(DateTime {
                secs: -secs - 1,
                nanos: NANOS_PER_SEC - nanos,
            })
        } else if neg {
            Some(DateTime {
                secs: -secs,
                nanos: 0,
            })
        } else {
            Some(DateTime { secs, nanos })
        }
    }

    /// Epoch seconds with millisecond precision, as awsJson sends them: `1700000037`
    /// or `1700000037.123`.
    pub fn epoch_seconds_string(&self) -> String {
        let millis = i128::from(self.secs) * 1000 + i128::from(self.nanos / 1_000_000);
        let neg = millis < 0;
        let abs = millis.unsigned_abs();
        let (s, ms) = (abs / 1000, abs % 1000);
        let sign = if neg { "-" } else { "" };
        if ms == 0 {
            format!("{sign}{s}")
        } else {
            let frac = format!("{ms:03}");
            format!("{sign}{s}.{}", frac.trim_end_matches('0'))
        }
    }

    /// Parses a timestamp string in the given format.
    pub fn parse(s: &str, format: TimestampFormat) -> Option<Self> {
        match format {
            TimestampFormat::EpochSeconds => Self::from_epoch_seconds_str(s),
            TimestampFormat::DateTime => parse_rfc3339(s),
            TimestampFormat::HttpDate => parse_http_date(s),
        }
    }

    /// Formats in the given format (`epoch-seconds` as its decimal text).
    pub fn format(&self, format: TimestampFormat) -> String {
        match format {
            TimestampFormat::EpochSeconds => self.epoch_seconds_string(),
            TimestampFormat::DateTime => self.to_rfc3339(),
            TimestampFormat::HttpDate => self.to_http_date(),
        }
    }

    /// RFC 3339 in UTC, with as many fractional digits as needed (none for whole seconds).
    pub fn to_rfc3339(&self) -> String {
        let (y, mo, d, h, mi, s) = civil(self.secs);
        let mut out = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        out.push('Z');
        out
    }

    /// RFC 7231 IMF-fixdate.
    pub fn to_http_date(&self) -> String {
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        let (y, mo, d, h, mi, s) = civil(self.secs);
        let weekday = DAYS[self.secs.div_euclid(86_400).rem_euclid(7) as usize];
        format!(
            "{weekday}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} GMT",
            MONTHS[(mo - 1) as usize]
        )
    }
}

/// Powers of ten that fit a `u64`.
const POW10: [u64; 20] = {
    let mut p = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// The common shapes of epoch seconds (`1700000037`, `1.700000037123E9`, `-1.5`): an
/// optional `-`, digits, optionally `.` and digits, optionally an exponent of up to
/// four digits, at most 19 digits before the exponent in all. `None` for anything else
/// (including values out of range), which the general parser then decides.
#[inline]
fn epoch_seconds_short(b: &[u8]) -> Option<DateTime> {
    scan_epoch_seconds(b, 0)
        .filter(|(_, end)| *end == b.len())
        .map(|(t, _)| t)
}

/// Reads epoch seconds of the shape [`epoch_seconds_short`] takes from `b[start..]`:
/// the instant and where the number ends. `None` when the text there has another shape
/// (no digits, `1.`, `1e`, an exponent of five or more digits, more than 19 digits) or
/// the value is out of range. Shared by [`DateTime::from_epoch_seconds_str`] and the
/// JSON parser's one-pass timestamp read.
#[inline]
pub(crate) fn scan_epoch_seconds(b: &[u8], start: usize) -> Option<(DateTime, usize)> {
    let mut i = start;
    let neg = b.get(i) == Some(&b'-');
    if neg {
        i += 1;
    }
    let mut mantissa: u64 = 0;
    let mut digits = |i: &mut usize| {
        let from = *i;
        while let Some(&c) = b.get(*i) {
            let d = c.wrapping_sub(b'0');
            if d >= 10 {
                break;
            }
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
            *i += 1;
        }
        *i - from
    };
    let int = digits(&mut i);
    if int == 0 {
        return None;
    }
    let mut frac = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac = digits(&mut i);
        if frac == 0 {
            return None;
        }
    }
    // Up to 19 digits cannot have wrapped.
    if int + frac > 19 {
        return None;
    }
    let mut scale = -(frac as i32);
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let exp_neg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let exp_start = i;
        let mut exp: i32 = 0;
        while let Some(&c) = b.get(i) {
            let d = c.wrapping_sub(b'0');
            if d >= 10 {
                break;
            }
            if i - exp_start == 4 {
                return None;
            }
            exp = exp * 10 + i32::from(d);
            i += 1;
        }
        if i == exp_start {
            return None;
        }
        scale += if exp_neg { -exp } else { exp };
    }
    epoch_seconds_decimal(neg, mantissa, scale).map(|t| (t, i))
}

/// The instant `±mantissa × 10^scale` seconds, digits past the nanosecond dropped, as
/// [`DateTime::from_epoch_seconds_str`] reads it; `None` when that is out of range or
/// `scale` is outside `-19..=19` (which the general parser then decides).
#[inline]
pub(crate) fn epoch_seconds_decimal(neg: bool, mantissa: u64, scale: i32) -> Option<DateTime> {
    let (secs, nanos) = if mantissa == 0 {
        (0, 0)
    } else if scale >= 0 {
        let pow = *POW10.get(scale as usize)?;
        (mantissa.checked_mul(pow)?, 0)
    } else {
        let d = scale.unsigned_abs() as usize;
        let div = *POW10.get(d)?;
        // Milliseconds scaled by `E9` (`1.700000037123E9`) divide by a constant.
        let (secs, rem) = if d == 3 {
            (mantissa / 1000, mantissa % 1000)
        } else {
            (mantissa / div, mantissa % div)
        };
        let nanos = if d >= 9 {
            rem / POW10[d - 9]
        } else {
            rem * POW10[9 - d]
        };
        (secs, nanos as u32)
    };
    let secs = i64::try_from(secs).ok()?;
    Some(if neg && nanos != 0 {
        DateTime {
            secs: -secs - 1,
            nanos: NANOS_PER_SEC - nanos,
        }
    } else if neg {
        DateTime {
            secs: -secs,
            nanos: 0,
        }
    } else {
        DateTime { secs, nanos }
    })
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (rem / 3600) as u32,
        (rem % 3600 / 60) as u32,
        (rem % 60) as u32,
    )
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn from_parts(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: u32) -> Option<DateTime> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&mo)
        || d == 0
        || d > dim[(mo - 1) as usize]
        || h > 23
        || mi > 59
        || s > 60
    {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + s.min(59));
    Some(DateTime { secs, nanos })
}

fn frac_nanos(f: &str) -> Option<u32> {
    if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut n = 0u32;
    for (i, d) in f.bytes().take(9).enumerate() {
        n += u32::from(d - b'0') * 10u32.pow(8 - i as u32);
    }
    Some(n)
}

fn parse_rfc3339(s: &str) -> Option<DateTime> {
    let s = s.trim();
    if s.len() < 20 || !s.is_ascii() {
        return None;
    }
    let (date, rest) = s.split_at(10);
    let mut dp = date.split('-');
    let y: i64 = i64::from(num(dp.next()?)?);
    let mo = num(dp.next()?)?;
    let d = num(dp.next()?)?;
    if !matches!(rest.as_bytes()[0], b'T' | b't' | b' ') {
        return None;
    }
    let rest = &rest[1..];
    let (h, mi, sec) = (
        num(rest.get(0..2)?)?,
        num(rest.get(3..5)?)?,
        num(rest.get(6..8)?)?,
    );
    if rest.get(2..3)? != ":" || rest.get(5..6)? != ":" {
        return None;
    }
    let mut tail = &rest[8..];
    let mut nanos = 0;
    if let Some(f) = tail.strip_prefix('.') {
        let end = f.find(|c: char| !c.is_ascii_digit()).unwrap_or(f.len());
        nanos = frac_nanos(&f[..end])?;
        tail = &f[end..];
    }
    let offset: i64 = match tail {
        "Z" | "z" => 0,
        t if t.len() == 6 && (t.starts_with('+') || t.starts_with('-')) && &t[3..4] == ":" => {
            let oh = i64::from(num(&t[1..3])?);
            let om = i64::from(num(&t[4..6])?);
            let v = oh * 3600 + om * 60;
            if t.starts_with('-') {
                -v
            } else {
                v
            }
        }
        _ => return None,
    };
    let t = from_parts(y, mo, d, h, mi, sec, nanos)?;
    Some(DateTime {
        secs: t.secs - offset,
        nanos,
    })
}

fn parse_http_date(s: &str) -> Option<DateTime> {
    // IMF-fixdate: `Tue, 29 Apr 2014 18:30:38 GMT`, optionally with fractional seconds.
    let s = s.trim();
    let (_, rest) = s.split_once(", ")?;
    let mut parts = rest.split(' ');
    let d = num(parts.next()?)?;
    let mon = parts.next()?;
    let mo = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(mon))? as u32 + 1;
    let y = i64::from(num(parts.next()?)?);
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    let (hms, frac) = match time.split_once('.') {
        Some((a, b)) => (a, frac_nanos(b)?),
        None => (time, 0),
    };
    let mut t = hms.split(':');
    let (h, mi, sec) = (num(t.next()?)?, num(t.next()?)?, num(t.next()?)?);
    if t.next().is_some() {
        return None;
    }
    from_parts(y, mo, d, h, mi, sec, frac)
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime::from_secs_and_nanos(
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                d.subsec_nanos(),
            ),
            Err(e) => {
                let d = e.duration();
                let secs = -i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() == 0 {
                    DateTime::from_secs(secs)
                } else {
                    DateTime {
                        secs: secs - 1,
                        nanos: NANOS_PER_SEC - d.subsec_nanos(),
                    }
                }
            }
        }
    }
}

impl DateTime {
    /// As a `SystemTime`, or `None` if the platform's `SystemTime` cannot hold it.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        if self.secs >= 0 {
            UNIX_EPOCH.checked_add(Duration::new(self.secs.unsigned_abs(), self.nanos))
        } else {
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(self.secs.unsigned_abs()))?
                .checked_add(Duration::from_nanos(u64::from(self.nanos)))
        }
    }
}

impl From<DateTime> for SystemTime {
    /// Converts exactly; an instant the platform's `SystemTime` cannot hold (hundreds
    /// of billions of years away) becomes the Unix epoch. See [`DateTime::to_system_time`].
    fn from(t: DateTime) -> Self {
        t.to_system_time().unwrap_or(UNIX_EPOCH)
    }
}

#[cfg(feature = "time")]
impl From<DateTime> for time::OffsetDateTime {
    fn from(t: DateTime) -> Self {
        let n = i128::from(t.secs) * 1_000_000_000 + i128::from(t.nanos);
        time::OffsetDateTime::from_unix_timestamp_nanos(n)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
    }
}

#[cfg(feature = "time")]
impl From<time::OffsetDateTime> for DateTime {
    fn from(t: time::OffsetDateTime) -> Self {
        DateTime::from_secs_and_nanos(t.unix_timestamp(), t.nanosecond())
    }
}

#[cfg(feature = "chrono")]
impl From<DateTime> for chrono::DateTime<chrono::Utc> {
    fn from(t: DateTime) -> Self {
        chrono::DateTime::from_timestamp(t.secs, t.nanos).unwrap_or_default()
    }
}

#[cfg(feature = "chrono")]
impl From<chrono::DateTime<chrono::Utc>> for DateTime {
    fn from(t: chrono::DateTime<chrono::Utc>) -> Self {
        DateTime::from_secs_and_nanos(t.timestamp(), t.timestamp_subsec_nanos())
    }
}

/// Binary data.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(v: Vec<u8>) -> Self {
        Blob(v)
    }
}

impl From<&[u8]> for Blob {
    fn from(v: &[u8]) -> Self {
        Blob(v.to_vec())
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

/// A number kept as its exact decimal text (for `bigInteger`, `bigDecimal` and
/// numbers inside documents).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number(String);

impl Number {
    /// From JSON number text; the caller vouches it is one.
    pub(crate) fn from_text(s: &str) -> Self {
        Number(s.to_string())
    }

    /// Parses decimal text (`-12`, `3.5e10`); `None` if it is not a JSON number.
    pub fn parse(s: &str) -> Option<Self> {
        let mut p = crate::json::Parser::new(s.as_bytes());
        let n = p.big_number().ok()?;
        p.finish().ok()?;
        Some(n)
    }

    /// The exact text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As an `i64`, if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    /// As an `f64` (possibly rounded).
    pub fn as_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Self {
        Number(v.to_string())
    }
}

impl From<u64> for Number {
    fn from(v: u64) -> Self {
        Number(v.to_string())
    }
}

impl From<i32> for Number {
    fn from(v: i32) -> Self {
        Number(v.to_string())
    }
}

/// An untyped JSON-like value (`document` shapes).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Document {
    /// `null`.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// A list of documents.
    Array(Vec<Document>),
    /// A map of documents.
    Object(HashMap<String, Document>),
}

/// The keys of a document object in byte order: where the output must not depend
/// on the map's hashing. (One function, so that one sort is compiled for them all.)
pub(crate) fn sorted_keys(map: &HashMap<String, Document>) -> Vec<&String> {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_unstable();
    keys
}

/// The value named `name` in a list of named values (each name once): the lists that
/// stand for small maps here (endpoint parameters, headers and properties, profile
/// sections and keys).
pub(crate) fn by_name<'a, V>(list: &'a [(String, V)], name: &str) -> Option<&'a V> {
    list.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

/// Sets the value named `name` in such a list: in place of an earlier one, else last.
pub(crate) fn set_by_name<V>(list: &mut Vec<(String, V)>, name: String, value: V) {
    match list.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value,
        None => list.push((name, value)),
    }
}

impl From<&str> for Document {
    fn from(s: &str) -> Self {
        Document::String(s.to_string())
    }
}

impl From<String> for Document {
    fn from(s: String) -> Self {
        Document::String(s)
    }
}

impl From<bool> for Document {
    fn from(b: bool) -> Self {
        Document::Bool(b)
    }
}

impl From<i64> for Document {
    fn from(n: i64) -> Self {
        Document::Number(Number::from(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_parse_exactly() {
        let t = DateTime::from_epoch_seconds_str("1.700000037123E9").unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_037, 123_000_000));
        assert_eq!(t.epoch_seconds_string(), "1700000037.123");
        let t = DateTime::from_epoch_seconds_str("1700000000").unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_000, 0));
        assert_eq!(t.epoch_seconds_string(), "1700000000");
        let t = DateTime::from_epoch_seconds_str("1.7E9").unwrap();
        assert_eq!(t.secs(), 1_700_000_000);
        let t = DateTime::from_epoch_seconds_str("-1.5").unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(t.epoch_seconds_string(), "-1.5");
        let t = DateTime::from_epoch_seconds_str("0.001").unwrap();
        assert_eq!(t.subsec_nanos(), 1_000_000);
        let t = DateTime::from_epoch_seconds_str("123456789E-3").unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (123_456, 789_000_000));
        let t = DateTime::from_epoch_seconds_str("0.5e1").unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (5, 0));
        assert!(DateTime::from_epoch_seconds_str("1e400").is_none());
        assert_eq!(
            DateTime::from_epoch_seconds_str("1e-9223372036854775808"),
            Some(DateTime::UNIX_EPOCH)
        );
        assert!(DateTime::from_epoch_seconds_str("1e99999999999999999999").is_none());
        let far = DateTime::from_epoch_seconds_str("-9223372036854775807").unwrap();
        let _ = far.to_rfc3339();
        let _ = far.to_http_date();
        let _: SystemTime = far.into();
        assert!(DateTime::from_epoch_seconds_str("abc").is_none());
        assert!(DateTime::from_epoch_seconds_str("").is_none());
    }

    #[test]
    fn the_short_epoch_path_agrees_with_the_general_one() {
        let mut rng = fastrand::Rng::with_seed(7);
        let digits = |rng: &mut fastrand::Rng, s: &mut String, n: usize| {
            for _ in 0..n {
                s.push(char::from(b'0' + rng.u8(0..10)));
            }
        };
        let mut short = 0;
        for _ in 0..100_000 {
            let mut s = String::new();
            if rng.bool() {
                s.push('-');
            }
            let n = rng.usize(1..21);
            digits(&mut rng, &mut s, n);
            if rng.bool() {
                s.push('.');
                let n = rng.usize(0..21);
                digits(&mut rng, &mut s, n);
            }
            if rng.bool() {
                s.push(if rng.bool() { 'e' } else { 'E' });
                match rng.u8(0..3) {
                    0 => s.push('-'),
                    1 => s.push('+'),
                    _ => {}
                }
                let n = rng.usize(0..6);
                digits(&mut rng, &mut s, n);
            }
            if let Some(t) = epoch_seconds_short(s.as_bytes()) {
                short += 1;
                assert_eq!(Some(t), DateTime::from_epoch_seconds_any(&s), "{s}");
            }
        }
        assert!(short > 20_000, "{short}");
    }

    #[test]
    fn rfc3339_and_http_dates_round_trip() {
        let t = DateTime::parse("2023-11-14T22:13:57.123Z", TimestampFormat::DateTime).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_037, 123_000_000));
        assert_eq!(t.to_rfc3339(), "2023-11-14T22:13:57.123Z");
        let o =
            DateTime::parse("2023-11-15T00:13:57.123+02:00", TimestampFormat::DateTime).unwrap();
        assert_eq!(o, t);
        let h = DateTime::from_secs(1_700_000_037);
        assert_eq!(h.to_http_date(), "Tue, 14 Nov 2023 22:13:57 GMT");
        assert_eq!(
            DateTime::parse(&h.to_http_date(), TimestampFormat::HttpDate),
            Some(h)
        );
        assert!(DateTime::parse("2023-02-30T00:00:00Z", TimestampFormat::DateTime).is_none());
        assert_eq!(DateTime::from_secs(-1).to_rfc3339(), "1969-12-31T23:59:59Z");
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_crate_conversions_keep_nanos() {
        let t = DateTime::from_secs_and_nanos(1_700_000_037, 123_000_000);
        let o: time::OffsetDateTime = t.into();
        assert_eq!(
            (o.unix_timestamp(), o.nanosecond()),
            (1_700_000_037, 123_000_000)
        );
        assert_eq!(DateTime::from(o), t);
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_conversions_keep_nanos() {
        let t = DateTime::from_secs_and_nanos(-5, 7);
        let c: chrono::DateTime<chrono::Utc> = t.into();
        assert_eq!((c.timestamp(), c.timestamp_subsec_nanos()), (-5, 7));
        assert_eq!(DateTime::from(c), t);
    }

    #[test]
    fn system_time_conversions_keep_nanos() {
        let t = DateTime::from_secs_and_nanos(1_700_000_037, 123_000_000);
        let st: SystemTime = t.into();
        assert_eq!(DateTime::from(st), t);
        let before = DateTime::from_secs_and_nanos(-10, 5);
        let st: SystemTime = before.into();
        assert_eq!(DateTime::from(st), before);
    }
}
