//! The local time zone as glibc's `tzset`/`localtime` resolve and apply it.
//!
//! Resolution follows glibc's `tzset_internal`: `TZ` unset means `/etc/localtime`; `TZ=""`
//! means `Universal`; a leading `:` is dropped; the value is first tried as a zone file
//! (relative names under `TZDIR`, else `/usr/share/zoneinfo`), then parsed as a POSIX rule
//! with glibc's leniency (`TZ=Foo` is UTC named `Foo`; a rule-less `CET-1CEST` borrows the
//! transitions of the `posixrules` file, with glibc's arithmetic). With no `TZ` and no
//! `/etc/localtime`, the zone is UTC named `UTC`.
//!
//! Zone files are parsed and queried with jiff. POSIX rules are evaluated here as glibc's
//! `__tz_compute` does, because glibc's results differ from a strict reading in corners
//! (years up to 1970 use 1970's start; rules are chosen by the UTC year).

use std::sync::OnceLock;

use super::{BrokenDownTime, DAY, TzAbbrev, civil_from_days};

/// The zone's state at one instant: what `localtime` puts in `tm_gmtoff`, `tm_isdst` and
/// `tm_zone`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Info {
    pub(crate) offset: i32,
    pub(crate) is_dst: bool,
    pub(crate) abbrev: TzAbbrev,
}

/// A resolved time zone.
#[derive(Debug)]
pub(crate) struct Zone {
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// One offset forever (UTC fallbacks and POSIX strings without DST).
    Fixed(Info),
    /// A POSIX rule from `TZ`, evaluated as glibc does.
    Posix(Posix),
    /// A zone file, read by jiff.
    Tzif(jiff::tz::TimeZone),
    /// A rule-less POSIX string with DST, on top of the `posixrules` file's transitions.
    Borrowed(Borrowed),
}

/// The process's local zone, resolved on first use.
pub(crate) fn local() -> &'static Zone {
    static LOCAL: OnceLock<Zone> = OnceLock::new();
    LOCAL.get_or_init(Zone::from_env)
}

const TZDEFAULT: &str = "/etc/localtime";
const TZDIR: &str = "/usr/share/zoneinfo";

impl Zone {
    /// Resolves the zone from the `TZ` and `TZDIR` environment variables.
    #[cfg(unix)]
    fn from_env() -> Zone {
        let var = |name| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
        Zone::resolve(var("TZ").as_deref(), var("TZDIR").as_deref())
    }

    /// Outside Unix there is no glibc to follow: use jiff's idea of the system zone.
    #[cfg(not(unix))]
    fn from_env() -> Zone {
        Zone {
            kind: Kind::Tzif(jiff::tz::TimeZone::system()),
        }
    }

    /// Resolves a zone as glibc does for `TZ=tz` (`None`: unset) and `TZDIR=tzdir`.
    pub(crate) fn resolve(tz: Option<&str>, tzdir: Option<&str>) -> Zone {
        let tz = match tz {
            Some("") => Some("Universal"),
            Some(tz) => Some(tz.strip_prefix(':').unwrap_or(tz)),
            None => None,
        };
        let name = tz.unwrap_or(TZDEFAULT);
        if let Some(tz) = read_tzif(name, tzdir) {
            return Zone {
                kind: Kind::Tzif(tz),
            };
        }
        if name.is_empty() || name == TZDEFAULT {
            return Zone::fixed(0, TzAbbrev::UTC);
        }
        parse_tz(name.as_bytes(), tzdir, true)
    }

    /// A zone from a jiff time zone (tests build zones without touching `TZ`).
    #[cfg(test)]
    pub(crate) fn from_jiff(tz: jiff::tz::TimeZone) -> Zone {
        Zone {
            kind: Kind::Tzif(tz),
        }
    }

    /// UTC named `UTC`.
    #[cfg(test)]
    pub(crate) fn utc() -> Zone {
        Zone::fixed(0, TzAbbrev::UTC)
    }

    fn fixed(offset: i32, abbrev: TzAbbrev) -> Zone {
        Zone {
            kind: Kind::Fixed(Info {
                offset,
                is_dst: false,
                abbrev,
            }),
        }
    }

    /// `localtime(secs)`.
    pub(crate) fn convert(&self, secs: i64) -> BrokenDownTime {
        let info = self.info(secs);
        BrokenDownTime::at(secs, info.offset, info.is_dst, info.abbrev)
    }

    /// The offset, DST flag and abbreviation in effect at `secs`.
    pub(crate) fn info(&self, secs: i64) -> Info {
        match &self.kind {
            Kind::Fixed(info) => *info,
            Kind::Posix(posix) => posix.info(secs),
            Kind::Tzif(tz) => {
                let info = tz.to_offset_info(jiff_timestamp(secs));
                Info {
                    offset: info.offset().seconds(),
                    is_dst: info.dst().is_dst(),
                    abbrev: TzAbbrev::new(info.abbreviation()),
                }
            }
            Kind::Borrowed(b) => b.info(secs),
        }
    }

    /// glibc's `mktime(tm)` in this zone, as `strftime("%s")` uses it: the requested fields
    /// and `tm_isdst` hint; `tm_gmtoff` and `tm_zone` are ignored. Returns -1 on failure, as
    /// glibc does.
    ///
    /// glibc starts from the offset its previous `mktime` call found; this starts from 0,
    /// as a fresh process does. The two differ only for fields that fall in a gap or fold.
    pub(crate) fn mktime(&self, tm: &BrokenDownTime) -> i64 {
        let isdst = tm.is_dst;
        let sec_requested = i64::from(tm.second);
        let sec = sec_requested.min(59);
        let target = tm.local_seconds() - sec_requested + sec;
        // Offset guess 0: the first probe reads the fields as UTC.
        let (mut t, mut t1, mut t2) = (target, target, target);
        let mut remaining_probes = 6;
        let mut info;
        loop {
            info = self.info(t);
            let dt = target - (t + i64::from(info.offset));
            if dt == 0 {
                break;
            }
            if t == t1 && t != t2 && isdst != info.is_dst {
                // Oscillating around a gap: take this probe, whose DST flag differs from
                // the request.
                return t + sec_requested - sec;
            }
            remaining_probes -= 1;
            if remaining_probes == 0 {
                return -1;
            }
            t1 = t2;
            t2 = t;
            t += dt;
        }
        if info.is_dst != isdst {
            // A match with the wrong DST flag: borrow the offset of the nearest time with
            // the requested flag, probing both ways; failing that, assume DST is one hour.
            const STRIDE: i64 = 601_200;
            const DELTA_BOUND: i64 = 457_243_209 / 2 + STRIDE;
            let mut delta = STRIDE;
            while delta < DELTA_BOUND {
                for ot in [t - delta, t + delta] {
                    let other = self.info(ot);
                    if other.is_dst == isdst {
                        let gt = ot + (target - (ot + i64::from(other.offset)));
                        return gt + sec_requested - sec;
                    }
                }
                delta += STRIDE;
            }
            let dst_difference = i64::from(!isdst) - i64::from(!info.is_dst);
            return t + 3600 * dst_difference + sec_requested - sec;
        }
        t + sec_requested - sec
    }
}

/// A jiff timestamp for `secs`, moved into jiff's range: later times by whole 400-year cycles
/// (the calendar, hence every POSIX rule, repeats), earlier ones to jiff's minimum (before
/// any transition either way).
fn jiff_timestamp(secs: i64) -> jiff::Timestamp {
    const CYCLE: i64 = 146_097 * DAY;
    let min = jiff::Timestamp::MIN.as_second();
    let max = jiff::Timestamp::MAX.as_second();
    let secs = if secs > max {
        secs - ((secs - max - 1) / CYCLE + 1) * CYCLE
    } else {
        secs.max(min)
    };
    jiff::Timestamp::from_second(secs).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// The path glibc's `__tzfile_read` opens for `name`.
fn tzfile_path(name: &str, tzdir: Option<&str>) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    if name.starts_with('/') {
        return Some(name.to_owned());
    }
    let dir = tzdir.filter(|d| !d.is_empty()).unwrap_or(TZDIR);
    Some(format!("{dir}/{name}"))
}

/// Reads `name` as a zone file, as glibc's `__tzfile_read` would find it.
fn read_tzif(name: &str, tzdir: Option<&str>) -> Option<jiff::tz::TimeZone> {
    let path = tzfile_path(name, tzdir)?;
    let data = std::fs::read(path).ok()?;
    jiff::tz::TimeZone::tzif(name, &data).ok()
}

// ---------------------------------------------------------------------------------------------
// POSIX rules, as glibc's tzset.c parses and evaluates them.

/// How a rule names its day: `Jn` (1–365, never counting February 29), `n` (0–365) or
/// `Mm.n.d`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum RuleKind {
    #[default]
    J0,
    J1,
    M,
}

/// One of glibc's `tz_rules`: a zone name and offset, and when that part of the year starts.
/// The default is glibc's cleared state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Rule {
    name: TzAbbrev,
    offset: i32,
    kind: RuleKind,
    m: u16,
    n: u16,
    d: u16,
    secs: i32,
}

/// glibc's `tz_rules`: standard time, then daylight saving time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Posix {
    rules: [Rule; 2],
}

/// `__mon_yday`: days before each month, for common and leap years.
const MON_YDAY: [[i64; 13]; 2] = [
    [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365],
    [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366],
];

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

impl Posix {
    /// `__tz_compute`: the rules are computed for the UTC year of `secs`.
    fn info(&self, secs: i64) -> Info {
        let (year, _, _) = civil_from_days(secs.div_euclid(DAY));
        let c0 = self.rules[0].change(year);
        let c1 = self.rules[1].change(year);
        let is_dst = if c0 > c1 {
            secs < c1 || secs >= c0
        } else {
            secs >= c0 && secs < c1
        };
        let rule = &self.rules[usize::from(is_dst)];
        Info {
            offset: rule.offset,
            is_dst,
            abbrev: rule.name,
        }
    }
}

impl Rule {
    /// `compute_change`: when this rule takes effect in `year`. Like glibc, years up to 1970
    /// count from 1970-01-01.
    fn change(&self, year: i64) -> i64 {
        let mut t = if year > 1970 {
            ((year - 1970) * 365 + ((year - 1) / 4 - 1970 / 4) - ((year - 1) / 100 - 1970 / 100)
                + ((year - 1) / 400 - 1970 / 400))
                * DAY
        } else {
            0
        };
        let d = i64::from(self.d);
        match self.kind {
            RuleKind::J1 => {
                t += (d - 1) * DAY;
                if d >= 60 && is_leap(year) {
                    t += DAY;
                }
            }
            RuleKind::J0 => t += d * DAY,
            RuleKind::M => {
                // glibc indexes `__mon_yday[leap][m]` and the entry before it without a range
                // check; a month outside 1–12 (left by a failed parse) reads 0 here.
                let row = usize::from(is_leap(year));
                let flat = |i: i64| -> i64 {
                    if (0..26).contains(&(row as i64 * 13 + i)) {
                        let j = (row as i64 * 13 + i) as usize;
                        MON_YDAY[j / 13][j % 13]
                    } else {
                        0
                    }
                };
                let m = i64::from(self.m);
                let before = flat(m - 1);
                let month_days = flat(m) - before;
                t += before * DAY;
                // Zeller's congruence for the weekday of the month's first day (C division).
                let m1 = (m + 9) % 12 + 1;
                let yy0 = if m <= 2 { year - 1 } else { year };
                let yy1 = yy0 / 100;
                let yy2 = yy0 % 100;
                let mut dow = ((26 * m1 - 2) / 10 + 1 + yy2 + yy2 / 4 + yy1 / 4 - 2 * yy1) % 7;
                if dow < 0 {
                    dow += 7;
                }
                let mut day = d - dow;
                if day < 0 {
                    day += 7;
                }
                for _ in 1..self.n {
                    if day + 7 >= month_days {
                        break;
                    }
                    day += 7;
                }
                t += day * DAY;
            }
        }
        t - i64::from(self.offset) + i64::from(self.secs)
    }
}

/// The byte at `i`, or NUL past the end (C strings).
fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// `sscanf("%hu")` at `s[i..]`: optional white space and sign, then digits. Returns the value
/// (reduced as C's conversion to `unsigned short` does) and the bytes consumed.
fn scan_hu(s: &[u8], i: usize) -> Option<(u16, usize)> {
    let mut j = i;
    while matches!(at(s, j), b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        j += 1;
    }
    let negative = at(s, j) == b'-';
    if matches!(at(s, j), b'-' | b'+') {
        j += 1;
    }
    let start = j;
    let mut value: u64 = 0;
    let mut overflow = false;
    while at(s, j).is_ascii_digit() {
        match value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(at(s, j) - b'0')))
        {
            Some(v) => value = v,
            None => overflow = true,
        }
        j += 1;
    }
    if j == start {
        return None;
    }
    let value = if overflow {
        u64::MAX
    } else if negative {
        value.wrapping_neg()
    } else {
        value
    };
    Some((value as u16, j - i))
}

/// `sscanf("%hu%n:%hu%n:%hu%n")`: up to three numbers separated by colons. Returns how many
/// were read, the values (defaults kept for those not read) and the bytes consumed.
fn scan_hms(s: &[u8], i: usize, mut hms: [u16; 3]) -> (usize, [u16; 3], usize) {
    let mut consumed = 0;
    let mut read = 0;
    while read < 3 {
        let pos = if read == 0 {
            i
        } else if at(s, i + consumed) == b':' {
            i + consumed + 1
        } else {
            break;
        };
        let Some((v, n)) = scan_hu(s, pos) else { break };
        hms[read] = v;
        consumed = pos + n - i;
        read += 1;
    }
    (read, hms, consumed)
}

/// glibc's `parse_tzname`: three or more letters, or `<…>` around three or more letters,
/// digits and signs.
fn parse_tzname(s: &[u8], pos: &mut usize, rule: &mut Rule) -> bool {
    let start = *pos;
    let mut p = start;
    while at(s, p).is_ascii_alphabetic() {
        p += 1;
    }
    let (name_start, name_end, after) = if p - start >= 3 {
        (start, p, p)
    } else {
        if at(s, start) != b'<' {
            return false;
        }
        let name_start = start + 1;
        p = name_start;
        while at(s, p).is_ascii_alphanumeric() || matches!(at(s, p), b'+' | b'-') {
            p += 1;
        }
        if at(s, p) != b'>' || p - name_start < 3 {
            return false;
        }
        (name_start, p, p + 1)
    };
    // The bytes are ASCII, so this cannot fail.
    rule.name = TzAbbrev::new(std::str::from_utf8(&s[name_start..name_end]).unwrap_or(""));
    *pos = after;
    true
}

/// glibc's `compute_offset`: clamps each field.
fn compute_offset(hh: u16, mm: u16, ss: u16) -> i32 {
    i32::from(ss.min(59)) + i32::from(mm.min(59)) * 60 + i32::from(hh.min(24)) * 3600
}

/// glibc's `parse_offset` for `rules[which]`; DST defaults to an hour ahead of standard time.
fn parse_offset(s: &[u8], pos: &mut usize, which: usize, rules: &mut [Rule; 2]) -> bool {
    let mut p = *pos;
    let c = at(s, p);
    if which == 0 && (c == 0 || (c != b'+' && c != b'-' && !c.is_ascii_digit())) {
        return false;
    }
    let sign = if c == b'-' || c == b'+' {
        p += 1;
        if c == b'-' { 1 } else { -1 }
    } else {
        -1
    };
    *pos = p;
    let (read, [hh, mm, ss], consumed) = scan_hms(s, p, [0, 0, 0]);
    if read > 0 {
        rules[which].offset = sign * compute_offset(hh, mm, ss);
    } else if which == 0 {
        rules[0].offset = 0;
        return false;
    } else {
        rules[1].offset = rules[0].offset + 3600;
    }
    *pos = p + consumed;
    true
}

/// glibc's `parse_rule`: a date (`Jn`, `n` or `Mm.n.d`, or nothing for the US default) and
/// an optional `/time`. Fields are updated as far as parsing gets, as in glibc.
fn parse_rule(s: &[u8], pos: &mut usize, which: usize, rule: &mut Rule) -> bool {
    let mut p = *pos;
    if at(s, p) == b',' {
        p += 1;
    }
    let c = at(s, p);
    if c == b'J' || c.is_ascii_digit() {
        rule.kind = if c == b'J' {
            RuleKind::J1
        } else {
            RuleKind::J0
        };
        if c == b'J' {
            p += 1;
            if !at(s, p).is_ascii_digit() {
                return false;
            }
        }
        let start = p;
        let mut d: u64 = 0;
        while at(s, p).is_ascii_digit() {
            d = d
                .saturating_mul(10)
                .saturating_add(u64::from(at(s, p) - b'0'));
            p += 1;
        }
        if p == start || d > 365 || (rule.kind == RuleKind::J1 && d == 0) {
            return false;
        }
        rule.d = d as u16;
    } else if c == b'M' {
        rule.kind = RuleKind::M;
        // sscanf("M%hu.%hu.%hu%n"), storing each number as it is read.
        let mut q = p + 1;
        let mut read = 0;
        for field in 0..3 {
            if field > 0 {
                if at(s, q) != b'.' {
                    break;
                }
                q += 1;
            }
            let Some((v, n)) = scan_hu(s, q) else { break };
            match field {
                0 => rule.m = v,
                1 => rule.n = v,
                _ => rule.d = v,
            }
            q += n;
            read += 1;
        }
        if read != 3 || !(1..=12).contains(&rule.m) || !(1..=5).contains(&rule.n) || rule.d > 6 {
            return false;
        }
        p = q;
    } else if c == 0 {
        // The US rules of 2007: M3.2.0 and M11.1.0.
        rule.kind = RuleKind::M;
        (rule.m, rule.n, rule.d) = if which == 0 { (3, 2, 0) } else { (11, 1, 0) };
    } else {
        return false;
    }
    match at(s, p) {
        0 | b',' => rule.secs = 2 * 3600,
        b'/' => {
            p += 1;
            if at(s, p) == 0 {
                return false;
            }
            let negative = at(s, p) == b'-';
            if negative {
                p += 1;
            }
            let (_, [hh, mm, ss], consumed) = scan_hms(s, p, [2, 0, 0]);
            p += consumed;
            let secs = i32::from(hh) * 3600 + i32::from(mm) * 60 + i32::from(ss);
            rule.secs = if negative { -secs } else { secs };
        }
        _ => return false,
    }
    *pos = p;
    true
}

/// glibc's `__tzset_parse_tz` (for a `TZ` value that is not a zone file). With
/// `default_rules`, a DST name without rules borrows the `posixrules` file's transitions.
fn parse_tz(s: &[u8], tzdir: Option<&str>, default_rules: bool) -> Zone {
    let mut posix = Posix::default();
    let rules = &mut posix.rules;
    let mut pos = 0;
    if parse_tzname(s, &mut pos, &mut rules[0]) && parse_offset(s, &mut pos, 0, rules) {
        if at(s, pos) != 0 {
            if parse_tzname(s, &mut pos, &mut rules[1]) {
                parse_offset(s, &mut pos, 1, rules);
                let rest = &s[pos.min(s.len())..];
                if default_rules && (rest.is_empty() || rest == b",") {
                    if let Some(b) = Borrowed::load(tzdir, &rules[0], &rules[1]) {
                        return Zone {
                            kind: Kind::Borrowed(b),
                        };
                    }
                }
            }
            let (r0, r1) = rules.split_at_mut(1);
            if parse_rule(s, &mut pos, 0, &mut r0[0]) {
                parse_rule(s, &mut pos, 1, &mut r1[0]);
            }
        } else {
            rules[1].name = rules[0].name;
            rules[1].offset = rules[0].offset;
        }
    }
    let [std, dst] = &posix.rules;
    let cleared = |r: &Rule| (r.kind, r.m, r.n, r.d, r.secs) == (RuleKind::J0, 0, 0, 0, 0);
    if cleared(std) && cleared(dst) && std.offset == dst.offset {
        // Both changes fall on the same instant, so DST is never in effect.
        return Zone::fixed(std.offset, std.name);
    }
    Zone {
        kind: Kind::Posix(posix),
    }
}

// ---------------------------------------------------------------------------------------------
// `posixrules`: glibc's `__tzfile_default`.

/// A rule-less POSIX zone on top of `posixrules`, as glibc's `__tzfile_default` builds it:
/// the file's transitions, shifted by glibc's correction (which adds the difference of offsets
/// where subtracting would keep wall-clock times) and reduced to the user's two types; after
/// the last transition the file's own footer rule applies, names and all.
///
/// This is the zone of glibc's first parse of `TZ`, the one `localtime` keeps using. Anything
/// that makes glibc parse `TZ` again (`time.tzset()`, or `mktime`, hence `%s`) starts from
/// different corrections, so such a process sees the DST-to-standard transitions move.
#[derive(Debug)]
struct Borrowed {
    transitions: Vec<i64>,
    is_dst: Vec<bool>,
    types: [Info; 2],
    footer: Option<Posix>,
}

impl Borrowed {
    fn load(tzdir: Option<&str>, std: &Rule, dst: &Rule) -> Option<Borrowed> {
        let path = tzfile_path("posixrules", tzdir)?;
        let data = std::fs::read(path).ok()?;
        let file = RawTzif::parse(&data)?;
        if file.types.len() < 2 {
            return None;
        }
        // The offsets the corrections start from. glibc 2.36 (with the release-branch fix for
        // bug 29951) sets `rule_stdoff` to the last standard offset transitioned to, but no
        // longer sets `rule_dstoff` when reading a file: it keeps its static value, which in
        // a process that parses `TZ` once is 0.
        let (rule_stdoff, rule_dstoff) = if file.idxs.is_empty() {
            (file.types[0].offset, file.types[0].offset)
        } else {
            let last_std = file
                .idxs
                .iter()
                .rev()
                .map(|&i| &file.types[usize::from(i)])
                .find(|t| !t.is_dst);
            (last_std.map_or(0, |t| t.offset), 0)
        };
        let mut transitions = file.transitions;
        let mut is_dst = Vec::with_capacity(transitions.len());
        let mut prev_dst = false;
        for (t, &i) in transitions.iter_mut().zip(&file.idxs) {
            let typ = &file.types[usize::from(i)];
            if typ.is_ut {
                // In UT already: no correction.
            } else if prev_dst && !typ.is_std {
                *t = t.saturating_add(i64::from(dst.offset) - i64::from(rule_dstoff));
            } else {
                *t = t.saturating_add(i64::from(std.offset) - i64::from(rule_stdoff));
            }
            prev_dst = typ.is_dst;
            is_dst.push(typ.is_dst);
        }
        let footer = file
            .footer
            .and_then(|f| match parse_tz(&f, None, false).kind {
                Kind::Posix(p) => Some(p),
                Kind::Fixed(info) => {
                    let rule = Rule {
                        name: info.abbrev,
                        offset: info.offset,
                        ..Rule::default()
                    };
                    Some(Posix { rules: [rule; 2] })
                }
                _ => None,
            });
        Some(Borrowed {
            transitions,
            is_dst,
            types: [
                Info {
                    offset: std.offset,
                    is_dst: false,
                    abbrev: std.name,
                },
                Info {
                    offset: dst.offset,
                    is_dst: true,
                    abbrev: dst.name,
                },
            ],
            footer,
        })
    }

    /// `__tzfile_compute` on the rewritten data.
    fn info(&self, secs: i64) -> Info {
        let Some(&last) = self.transitions.last() else {
            return self.types[0];
        };
        if secs < self.transitions[0] {
            return self.types[0];
        }
        if secs >= last {
            if let Some(footer) = &self.footer {
                return footer.info(secs);
            }
            return self.types[usize::from(self.is_dst[self.is_dst.len() - 1])];
        }
        let i = self.transitions.partition_point(|&t| t <= secs);
        self.types[usize::from(self.is_dst[i - 1])]
    }
}

/// The parts of a TZif file that `__tzfile_default` uses.
struct RawTzif {
    transitions: Vec<i64>,
    idxs: Vec<u8>,
    types: Vec<RawType>,
    footer: Option<Vec<u8>>,
}

struct RawType {
    offset: i32,
    is_dst: bool,
    is_std: bool,
    is_ut: bool,
}

impl RawTzif {
    /// Parses TZif data as glibc's `__tzfile_read` does (the 64-bit body when present).
    fn parse(data: &[u8]) -> Option<RawTzif> {
        let mut r = Reader { data, pos: 0 };
        let mut header = r.header()?;
        let mut width = 4;
        if header.version != 0 {
            // Counts are 32-bit; the sum cannot overflow a 64-bit `usize`, and saturates
            // (then fails to skip) elsewhere.
            r.skip(
                header
                    .timecnt
                    .saturating_mul(5)
                    .saturating_add(header.typecnt.saturating_mul(6))
                    .saturating_add(header.charcnt)
                    .saturating_add(header.leapcnt.saturating_mul(8))
                    .saturating_add(header.isstdcnt)
                    .saturating_add(header.isutcnt),
            )?;
            header = r.header()?;
            width = 8;
        }
        if header.isstdcnt > header.typecnt || header.isutcnt > header.typecnt {
            return None;
        }
        // A count is only believed as far as the data goes: no allocation larger than the file.
        let mut transitions = Vec::with_capacity(header.timecnt.min(r.remaining() / width));
        for _ in 0..header.timecnt {
            let b = r.take(width)?;
            transitions.push(if width == 4 {
                i64::from(i32::from_be_bytes(b.try_into().ok()?))
            } else {
                i64::from_be_bytes(b.try_into().ok()?)
            });
        }
        let idxs = r.take(header.timecnt)?.to_vec();
        if idxs.iter().any(|&i| usize::from(i) >= header.typecnt) {
            return None;
        }
        let mut types = Vec::with_capacity(header.typecnt.min(r.remaining() / 6));
        for _ in 0..header.typecnt {
            let b = r.take(6)?;
            if b[4] > 1 || usize::from(b[5]) > header.charcnt {
                return None;
            }
            types.push(RawType {
                offset: i32::from_be_bytes([b[0], b[1], b[2], b[3]]),
                is_dst: b[4] == 1,
                is_std: false,
                is_ut: false,
            });
        }
        r.skip(header.charcnt)?;
        r.skip(header.leapcnt * (width + 4))?;
        for t in types.iter_mut().take(header.isstdcnt) {
            t.is_std = r.take(1)?[0] != 0;
        }
        for t in types.iter_mut().take(header.isutcnt) {
            t.is_ut = r.take(1)?[0] != 0;
        }
        let footer = if width == 8 {
            let rest = &data[r.pos..];
            match rest.split_first() {
                Some((b'\n', body)) if body.len() > 1 => {
                    Some(body[..body.len() - 1].to_vec()).filter(|f| !f.is_empty())
                }
                _ => None,
            }
        } else {
            None
        };
        Some(RawTzif {
            transitions,
            idxs,
            types,
            footer,
        })
    }
}

struct Header {
    version: u8,
    isutcnt: usize,
    isstdcnt: usize,
    leapcnt: usize,
    timecnt: usize,
    typecnt: usize,
    charcnt: usize,
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let b = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(b)
    }

    fn skip(&mut self, n: usize) -> Option<()> {
        self.take(n).map(|_| ())
    }

    /// The bytes not read yet.
    fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    fn header(&mut self) -> Option<Header> {
        let b = self.take(44)?;
        if &b[..4] != b"TZif" {
            return None;
        }
        let count = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
        Some(Header {
            version: b[4],
            isutcnt: count(20),
            isstdcnt: count(24),
            leapcnt: count(28),
            timecnt: count(32),
            typecnt: count(36),
            charcnt: count(40),
        })
    }
}

#[cfg(test)]
mod tzif_tests {
    use super::RawTzif;

    /// A TZif header (version 0) with the given counts.
    fn header(timecnt: u32, typecnt: u32) -> Vec<u8> {
        let mut h = b"TZif".to_vec();
        h.resize(20, 0);
        for count in [0, 0, 0, timecnt, typecnt, 0] {
            h.extend_from_slice(&count.to_be_bytes());
        }
        h
    }

    #[test]
    fn counts_beyond_the_data_are_refused_without_allocating_them() {
        // 4 billion transitions announced, none present: no 32 GiB vector, just no zone.
        assert!(RawTzif::parse(&header(u32::MAX, 1)).is_none());
        assert!(RawTzif::parse(&header(0, u32::MAX)).is_none());
        let mut v1 = header(u32::MAX, u32::MAX);
        v1[4] = b'2';
        assert!(RawTzif::parse(&v1).is_none());
    }
}
