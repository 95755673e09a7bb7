//! Record times as CPython's `logging.Formatter.formatTime` sees them: a timestamp turned into
//! a broken-down time by `time.localtime` or `time.gmtime`, then rendered by `time.strftime`.
//!
//! Both halves reproduce CPython 3.11 on Linux (glibc) byte for byte:
//!
//! - [`Converter::convert`] follows glibc's `localtime()`: the zone comes from `TZ` (an IANA name,
//!   `:name`, an absolute path, or a POSIX rule such as `EST5EDT,M3.2.0,M11.1.0`; `TZDIR` is
//!   honoured) or else `/etc/localtime`, falling back to UTC. Zone files are parsed and queried
//!   with [`jiff`]; POSIX rules from `TZ` are evaluated as glibc does (including its leniency
//!   with malformed strings and its treatment of rule-less strings such as `CET-1CEST`). The
//!   zone is resolved once per process, as glibc does until `tzset` is called again.
//! - [`strftime`] is a port of glibc's `strftime` in the C locale (CPython never calls
//!   `setlocale(LC_TIME)`), with its flags (`_ - 0 ^ #`), field widths, `E`/`O` modifiers and
//!   treatment of unknown conversions, plus CPython's rule that a result too long for its
//!   buffer (256 times the format's length, rounded up to a power of two times 1024) is empty.
//!
//! [`format_default_asctime`] is the hot path: CPython's `default_time_format`
//! (`%Y-%m-%d %H:%M:%S`) written directly.
//!
//! Known differences from glibc, all in corners: leap seconds in `right/…` zone files are
//! ignored (jiff ignores them); abbreviations are cut to [`TzAbbrev::CAPACITY`] bytes; for a
//! rule-less POSIX `TZ` such as `CET-1CEST`, the zone is the one of glibc's first parse (see
//! `zone.rs`); `%s` of fields inside a DST gap or fold starts `mktime`'s search from offset 0,
//! where glibc starts from its previous call's result; `^`/`#` on non-ASCII text use Unicode's
//! one-to-one case mappings rather than the `LC_CTYPE` locale's.

mod fixed;
mod render;
mod zone;

#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::Deref;

pub use fixed::FixedClock;
pub(crate) use fixed::{now_nanos as fixed_now_nanos, origin as fixed_origin};

/// Which conversion `Formatter.converter` names: `time.localtime` (the default) or
/// `time.gmtime`.
///
/// # Examples
///
/// ```
/// use logkit::clock::Converter;
///
/// let tm = Converter::Utc.convert(86_400);
/// assert_eq!((tm.year, tm.month, tm.day), (1970, 1, 2));
/// assert_eq!(tm.zone.as_str(), "GMT");
/// assert_eq!(Converter::default(), Converter::Local);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Converter {
    /// `time.localtime`: the process's local time zone, as glibc resolves it.
    #[default]
    Local,
    /// `time.gmtime`: UTC, with the zone name `GMT` that glibc's `gmtime` reports.
    Utc,
}

impl Converter {
    /// Converts whole seconds since the epoch (CPython floors `record.created`) into a
    /// broken-down time.
    ///
    /// Local time follows the system's zone as glibc's `localtime()` would (see the
    /// [module documentation](self)); the zone is looked up once, on first use. Times whose
    /// year would not fit an `i32` are clamped to the nearest representable second.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::clock::Converter;
    ///
    /// let tm = Converter::Utc.convert(951_782_400);
    /// assert_eq!((tm.year, tm.month, tm.day, tm.yday), (2000, 2, 29, 60));
    /// assert_eq!(tm.weekday, 1); // Tuesday; Monday is 0, as in Python
    /// assert_eq!((tm.utc_offset, tm.is_dst), (0, false));
    ///
    /// // Local time: whatever zone this process runs in.
    /// let local = Converter::Local.convert(951_782_400);
    /// assert!(local.utc_offset.abs() < 26 * 3600);
    /// ```
    pub fn convert(self, secs: i64) -> BrokenDownTime {
        match self {
            Converter::Utc => BrokenDownTime::at(secs, 0, false, TzAbbrev::GMT),
            Converter::Local => zone::local().convert(secs),
        }
    }
}

/// A broken-down time: C's `struct tm`, Python's `time.struct_time`.
///
/// Fields hold calendar values (month 1–12, day 1–31, day of the year 1–366), with the week
/// starting on Monday (0) as in Python. [`strftime`] accepts out-of-range values without
/// panicking, printing `?` for names it cannot look up, as glibc does.
///
/// # Examples
///
/// ```
/// use logkit::clock::{BrokenDownTime, Converter, TzAbbrev};
///
/// let tm = Converter::Utc.convert(0);
/// assert_eq!(
///     tm,
///     BrokenDownTime {
///         year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0,
///         weekday: 3, yday: 1, is_dst: false, utc_offset: 0, zone: TzAbbrev::new("GMT"),
///     }
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BrokenDownTime {
    /// The year, such as 2024 (`tm_year + 1900`); may be zero or negative.
    pub year: i32,
    /// The month, 1–12.
    pub month: u8,
    /// The day of the month, 1–31.
    pub day: u8,
    /// The hour, 0–23.
    pub hour: u8,
    /// The minute, 0–59.
    pub minute: u8,
    /// The second, 0–59 (60 only for a leap second, which conversions never produce).
    pub second: u8,
    /// The day of the week, 0 = Monday … 6 = Sunday (Python's `tm_wday`).
    pub weekday: u8,
    /// The day of the year, 1–366 (Python's `tm_yday`).
    pub yday: u16,
    /// Whether daylight saving time is in effect (`tm_isdst`).
    pub is_dst: bool,
    /// The offset from UTC in seconds, east positive (`tm_gmtoff`).
    pub utc_offset: i32,
    /// The time zone abbreviation, such as `CET` (`tm_zone`).
    pub zone: TzAbbrev,
}

/// Seconds in a day.
const DAY: i64 = 86_400;

/// The earliest and latest seconds whose broken-down year fits an `i32`, with a day of margin
/// so that adding a UTC offset stays in range.
const MIN_SECS: i64 = days_from_civil(i32::MIN as i64, 1, 1) * DAY + 2 * DAY;
const MAX_SECS: i64 = days_from_civil(i32::MAX as i64, 12, 31) * DAY - 2 * DAY;

impl BrokenDownTime {
    /// The broken-down time of `secs` seen at `utc_offset` seconds east of UTC.
    pub(crate) fn at(secs: i64, utc_offset: i32, is_dst: bool, zone: TzAbbrev) -> Self {
        let local = secs.clamp(MIN_SECS, MAX_SECS) + i64::from(utc_offset);
        let days = local.div_euclid(DAY);
        let rem = local.rem_euclid(DAY);
        let (year, month, day) = civil_from_days(days);
        let yday = days - days_from_civil(year, 1, 1) + 1;
        BrokenDownTime {
            year: year as i32,
            month,
            day,
            hour: (rem / 3600) as u8,
            minute: (rem / 60 % 60) as u8,
            second: (rem % 60) as u8,
            // 1970-01-01 was a Thursday (3 with Monday as 0).
            weekday: (days + 3).rem_euclid(7) as u8,
            yday: yday as u16,
            is_dst,
            utc_offset,
            zone,
        }
    }

    /// C's `tm_wday`: 0 = Sunday. Out-of-range weekdays stay out of range.
    pub(crate) fn c_wday(&self) -> i64 {
        if self.weekday <= 6 {
            (i64::from(self.weekday) + 1) % 7
        } else {
            i64::from(self.weekday) + 1
        }
    }

    /// The fields read as if they were UTC, in seconds since the epoch (what `timegm` would
    /// return). Month and day need not be in range.
    pub(crate) fn local_seconds(&self) -> i64 {
        let month0 = i64::from(self.month) - 1;
        let year = i64::from(self.year) + month0.div_euclid(12);
        let days =
            days_from_civil(year, month0.rem_euclid(12) as u8 + 1, 1) + i64::from(self.day) - 1;
        days * DAY
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) const fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day counted from 1970-01-01.
pub(crate) const fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

/// A time zone abbreviation such as `UTC`, `CET` or `+0530`, stored inline (no heap).
///
/// Holds up to [`TzAbbrev::CAPACITY`] bytes; longer names (possible only with unusual `TZ`
/// values) are cut at a character boundary.
///
/// # Examples
///
/// ```
/// use logkit::clock::TzAbbrev;
///
/// let cet = TzAbbrev::new("CET");
/// assert_eq!(cet.as_str(), "CET");
/// assert_eq!(&*cet, "CET");
/// assert_eq!(cet.to_string(), "CET");
/// assert!(TzAbbrev::default().is_empty());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TzAbbrev {
    len: u8,
    bytes: [u8; TzAbbrev::CAPACITY],
}

impl TzAbbrev {
    /// The most bytes an abbreviation keeps.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::clock::TzAbbrev;
    ///
    /// let long = "<ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789>";
    /// assert_eq!(TzAbbrev::new(long).len(), TzAbbrev::CAPACITY);
    /// ```
    pub const CAPACITY: usize = 31;

    /// `GMT`, the zone glibc's `gmtime` reports.
    pub(crate) const GMT: TzAbbrev = TzAbbrev::new("GMT");
    /// `UTC`, glibc's zone when nothing else is configured.
    pub(crate) const UTC: TzAbbrev = TzAbbrev::new("UTC");

    /// Stores `name`, cut to at most [`TzAbbrev::CAPACITY`] bytes at a character boundary.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::clock::TzAbbrev;
    ///
    /// assert_eq!(TzAbbrev::new("EST").as_str(), "EST");
    /// assert_eq!(TzAbbrev::new(&"X".repeat(40)).len(), TzAbbrev::CAPACITY);
    /// ```
    pub const fn new(name: &str) -> TzAbbrev {
        let src = name.as_bytes();
        let mut len = if src.len() > Self::CAPACITY {
            Self::CAPACITY
        } else {
            src.len()
        };
        // Back off continuation bytes so that the cut falls on a character boundary.
        while len < src.len() && len > 0 && (src[len] & 0xC0) == 0x80 {
            len -= 1;
        }
        let mut bytes = [0; Self::CAPACITY];
        let mut i = 0;
        while i < len {
            bytes[i] = src[i];
            i += 1;
        }
        TzAbbrev {
            len: len as u8,
            bytes,
        }
    }

    /// The abbreviation as a string slice.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::clock::TzAbbrev;
    ///
    /// assert_eq!(TzAbbrev::new("CEST").as_str(), "CEST");
    /// ```
    pub fn as_str(&self) -> &str {
        // Always valid: built from a `&str` cut at a character boundary.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl Deref for TzAbbrev {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for TzAbbrev {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for TzAbbrev {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for TzAbbrev {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for TzAbbrev {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for TzAbbrev {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Appends `strftime(fmt, tm)` as CPython 3.11's `time.strftime` computes it on Linux: glibc's
/// `strftime` in the C locale.
///
/// Every glibc conversion is supported, with the flags `_` (pad with spaces), `-` (no padding),
/// `0` (pad with zeros), `^` (upper case) and `#` (swap case), a field width (`%10Y`), and the
/// `E`/`O` modifiers (no effect in the C locale). Unknown conversions and a trailing `%` are
/// copied through (`%Q` stays `%Q`). `%s` is `mktime(tm)` in the process's local zone, and
/// `%z`/`%Z` come from `tm.utc_offset`/`tm.zone`. As in CPython, a result that does not fit
/// its buffer (longer than 256 characters per format character, rounded up to a power of two
/// times 1024) comes out empty. A NUL character ends the format (CPython raises `ValueError`
/// instead).
///
/// # Examples
///
/// ```
/// use logkit::clock::{strftime, Converter};
///
/// let tm = Converter::Utc.convert(1_700_000_000);
/// let mut out = String::new();
/// strftime(&mut out, "%Y-%m-%dT%H:%M:%S %Z|%a %b %e|%-d/%_m|%^A|%G-W%V-%u|%Q", &tm);
/// assert_eq!(out, "2023-11-14T22:13:20 GMT|Tue Nov 14|14/11|TUESDAY|2023-W46-2|%Q");
/// ```
pub fn strftime(out: &mut String, fmt: &str, tm: &BrokenDownTime) {
    render::strftime(out, fmt, tm, &zone::local);
}

/// Appends `tm` as `YYYY-mm-dd HH:MM:SS`: CPython's `default_time_format`, the `asctime` of a
/// formatter without `datefmt` (the caller appends `,mmm`).
///
/// Writes the digits directly; the result equals `strftime("%Y-%m-%d %H:%M:%S")`, including
/// for years outside 1000–9999 (`%Y` is not padded).
///
/// # Examples
///
/// ```
/// use logkit::clock::{format_default_asctime, Converter};
///
/// let mut out = String::new();
/// format_default_asctime(&mut out, &Converter::Utc.convert(1_700_000_000));
/// assert_eq!(out, "2023-11-14 22:13:20");
/// ```
pub fn format_default_asctime(out: &mut String, tm: &BrokenDownTime) {
    if (1000..=9999).contains(&tm.year) {
        let y = tm.year as u32;
        let digits = [y / 1000, y / 100 % 10, y / 10 % 10, y % 10];
        for d in digits {
            out.push(char::from(b'0' + d as u8));
        }
    } else {
        push_decimal(out, i64::from(tm.year));
    }
    out.push('-');
    push_2(out, tm.month);
    out.push('-');
    push_2(out, tm.day);
    out.push(' ');
    push_2(out, tm.hour);
    out.push(':');
    push_2(out, tm.minute);
    out.push(':');
    push_2(out, tm.second);
}

/// Appends `n` with at least two digits (`%02d`).
fn push_2(out: &mut String, n: u8) {
    if n >= 100 {
        push_decimal(out, i64::from(n));
    } else {
        out.push(char::from(b'0' + n / 10));
        out.push(char::from(b'0' + n % 10));
    }
}

/// Appends `n` in decimal.
fn push_decimal(out: &mut String, n: i64) {
    let mut buf = [0u8; 20];
    let digits = render::decimal(&mut buf, n.unsigned_abs());
    if n < 0 {
        out.push('-');
    }
    out.push_str(digits);
}
