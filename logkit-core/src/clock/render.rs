//! `strftime` as CPython 3.11 runs it on Linux: a port of glibc's `__strftime_internal` (wide
//! version, as CPython calls `wcsftime`) in the C locale, inside CPython's buffer loop.
//!
//! Widths count characters, as glibc's wide version does. glibc writes into a buffer of
//! `maxsize` characters and gives up (returning 0) when the result and its NUL do not fit;
//! CPython retries with 1024, 2048, … characters until the buffer is at least 256 times the
//! format's length, then returns whatever it got, so an over-long result is empty. That bound
//! is `maxsize` here, checked before any padding is written.

use super::BrokenDownTime;
use super::zone::Zone;

/// glibc ran out of room: the whole result is empty.
struct Full;

/// How `cpy` changes the case of copied text.
#[derive(Clone, Copy)]
enum Case {
    Keep,
    Upper,
    Lower,
}

/// Where output goes: a string, or nowhere while measuring a sub-format (glibc's NULL
/// buffer). `i` counts the characters produced, as glibc's `i`.
struct Out<'o> {
    buf: Option<&'o mut String>,
    i: usize,
    maxsize: usize,
}

impl Out<'_> {
    /// glibc's `add(n, …)` up to the copy: checks room for `n` characters padded to
    /// `width`, writes the padding (zeros with the `0` flag, spaces otherwise) and counts it
    /// all. The caller writes the `n` characters.
    fn reserve(&mut self, n: usize, width: i64, pad: u8) -> Result<(), Full> {
        let delta = width - n as i64;
        let padding = if delta > 0 { delta as usize } else { 0 };
        let incr = n + padding;
        if incr >= self.maxsize - self.i {
            return Err(Full);
        }
        if let Some(buf) = self.buf.as_deref_mut() {
            push_repeat(buf, if pad == b'0' { '0' } else { ' ' }, padding);
        }
        self.i += incr;
        Ok(())
    }

    /// glibc's `cpy(n, s)`: `text` padded to `width`, with its case changed.
    fn cpy(&mut self, text: &str, width: i64, pad: u8, case: Case) -> Result<(), Full> {
        let n = if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        };
        self.reserve(n, width, pad)?;
        if let Some(buf) = self.buf.as_deref_mut() {
            match case {
                Case::Keep => buf.push_str(text),
                Case::Upper => buf.extend(text.chars().map(to_upper)),
                Case::Lower => buf.extend(text.chars().map(to_lower)),
            }
        }
        Ok(())
    }

    /// glibc's `do_number_sign_and_padding` and the copy after it: `value` with at least
    /// `digits` characters, padded per the flag, then to `width`.
    fn number(&mut self, value: i64, digits: i64, mut width: i64, pad: u8) -> Result<(), Full> {
        let mut buf = [0u8; 21];
        let mut text = signed_decimal(&mut buf, value);
        if pad != b'-' {
            let padding = digits - text.len() as i64;
            if padding > 0 {
                let padding_len = padding as usize;
                if pad == b'_' {
                    if padding_len >= self.maxsize - self.i {
                        return Err(Full);
                    }
                    if let Some(out) = self.buf.as_deref_mut() {
                        push_repeat(out, ' ', padding_len);
                    }
                    self.i += padding_len;
                    width = if width > padding { width - padding } else { 0 };
                } else {
                    if digits as usize >= self.maxsize - self.i {
                        return Err(Full);
                    }
                    if let Some(rest) = text.strip_prefix('-') {
                        text = rest;
                        if let Some(out) = self.buf.as_deref_mut() {
                            out.push('-');
                        }
                        self.i += 1;
                    }
                    if let Some(out) = self.buf.as_deref_mut() {
                        push_repeat(out, '0', padding_len);
                    }
                    self.i += padding_len;
                    width = 0;
                }
            }
        }
        self.cpy(text, width, pad, Case::Keep)
    }
}

/// Appends `strftime(fmt, tm)` to `out`; `%s` asks `zone` for the zone of `mktime`.
pub(crate) fn strftime<'z>(
    out: &mut String,
    fmt: &str,
    tm: &BrokenDownTime,
    zone: &dyn Fn() -> &'z Zone,
) {
    // A C string ends at its NUL.
    let fmt = fmt.split('\0').next().unwrap_or_default();
    // CPython's buffer sizes: 1024, 2048, … up to the first one of at least 256 × len(fmt).
    let fmtlen = fmt.chars().count();
    let mut maxsize: usize = 1024;
    while maxsize < fmtlen.saturating_mul(256) {
        maxsize = maxsize.saturating_mul(2);
    }
    let start = out.len();
    let mut o = Out {
        buf: Some(&mut *out),
        i: 0,
        maxsize,
    };
    let ctx = Ctx { tm, zone };
    if render(&mut o, fmt, &ctx).is_err() {
        out.truncate(start);
    }
}

/// What the conversions read: the broken-down time, and the zone for `%s`.
struct Ctx<'a, 'z> {
    tm: &'a BrokenDownTime,
    zone: &'a dyn Fn() -> &'z Zone,
}

const ABDAY: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const DAY: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const ABMON: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MON: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The byte at `i`, or NUL at the end.
fn at(s: &str, i: usize) -> u8 {
    s.as_bytes().get(i).copied().unwrap_or(0)
}

/// The number of days from the first day of the first ISO week of this year to the year day
/// `yday` (0-based) with week day `wday` (0 = Sunday); may be negative.
fn iso_week_days(yday: i64, wday: i64) -> i64 {
    const BIG_ENOUGH_MULTIPLE_OF_7: i64 = (366 / 7 + 2) * 7;
    yday - (yday - wday + 4 + BIG_ENOUGH_MULTIPLE_OF_7) % 7 + 4 - 1
}

fn is_leap(year: i64) -> i64 {
    i64::from(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
}

/// `__strftime_internal`.
fn render(o: &mut Out<'_>, fmt: &str, ctx: &Ctx<'_, '_>) -> Result<(), Full> {
    let tm = ctx.tm;
    let tm_year = i64::from(tm.year) - 1900;
    let tm_mon = i64::from(tm.month) - 1;
    let tm_yday = i64::from(tm.yday) - 1;
    let tm_wday = tm.c_wday();
    let tm_hour = i64::from(tm.hour);
    let hour12 = match tm_hour {
        0 => 12,
        h if h > 12 => h - 12,
        h => h,
    };
    let bytes = fmt.as_bytes();
    let mut f = 0;
    while f < bytes.len() {
        if bytes[f] != b'%' {
            // Copy the literal run up to the next '%'.
            let end = fmt[f..].find('%').map_or(fmt.len(), |n| f + n);
            o.cpy(&fmt[f..end], -1, 0, Case::Keep)?;
            f = end;
            continue;
        }

        let mut pad = 0u8;
        let mut to_uppcase = false;
        let mut to_lowcase = false;
        let mut change_case = false;
        let mut width: i64 = -1;

        // Flags.
        f += 1;
        loop {
            match at(fmt, f) {
                c @ (b'_' | b'-' | b'0') => pad = c,
                b'^' => to_uppcase = true,
                b'#' => change_case = true,
                _ => break,
            }
            f += 1;
        }
        // Field width, saturating at INT_MAX as glibc does.
        if at(fmt, f).is_ascii_digit() {
            width = 0;
            while at(fmt, f).is_ascii_digit() {
                let d = i64::from(at(fmt, f) - b'0');
                let max = i64::from(i32::MAX);
                width = if width > max / 10 || (width == max / 10 && d > max % 10) {
                    max
                } else {
                    width * 10 + d
                };
                f += 1;
            }
        }
        // Modifier.
        let modifier = match at(fmt, f) {
            c @ (b'E' | b'O') => {
                f += 1;
                c
            }
            _ => 0,
        };
        // The conversion: a whole character, or the end of the format.
        let conv = fmt[f..].chars().next();
        let f_end = f + conv.map_or(0, char::len_utf8);
        let case = |to_uppcase: bool, to_lowcase: bool| {
            if to_lowcase {
                Case::Lower
            } else if to_uppcase {
                Case::Upper
            } else {
                Case::Keep
            }
        };

        enum Action {
            Number(i64, i64),
            SpacePadded(i64, i64),
            Text(&'static str),
            Sub(&'static str),
            Bad,
        }
        let action = match conv.unwrap_or('\0') {
            '%' if modifier == 0 => Action::Text("%"),
            'a' | 'A' if modifier != 0 => Action::Bad,
            c @ ('a' | 'A') => {
                if change_case {
                    to_uppcase = true;
                    to_lowcase = false;
                }
                let names = if c == 'a' { &ABDAY } else { &DAY };
                Action::Text(
                    usize::try_from(tm_wday)
                        .ok()
                        .and_then(|i| names.get(i))
                        .copied()
                        .unwrap_or("?"),
                )
            }
            c @ ('b' | 'h' | 'B') => {
                // `%b` switches case before checking the modifier, `%B` after.
                if c != 'B' && change_case {
                    to_uppcase = true;
                    to_lowcase = false;
                }
                if modifier == b'E' {
                    Action::Bad
                } else {
                    if c == 'B' && change_case {
                        to_uppcase = true;
                        to_lowcase = false;
                    }
                    // `%Ob`/`%OB` (alternative month names) equal the plain ones in C.
                    let names = if c == 'B' { &MON } else { &ABMON };
                    Action::Text(
                        usize::try_from(tm_mon)
                            .ok()
                            .and_then(|i| names.get(i))
                            .copied()
                            .unwrap_or("?"),
                    )
                }
            }
            'c' if modifier == b'O' => Action::Bad,
            'c' => Action::Sub("%a %b %e %H:%M:%S %Y"),
            'C' => {
                let year = tm_year + 1900;
                Action::Number(1, year / 100 - i64::from(year % 100 < 0))
            }
            'x' if modifier == b'O' => Action::Bad,
            'x' => Action::Sub("%m/%d/%y"),
            'D' if modifier != 0 => Action::Bad,
            'D' => Action::Sub("%m/%d/%y"),
            'd' | 'e' | 'H' | 'I' | 'k' | 'l' | 'j' | 'M' | 'm' | 'S' | 'U' | 'V' | 'g' | 'G'
            | 'W' | 'w'
                if modifier == b'E' =>
            {
                Action::Bad
            }
            'd' => Action::Number(2, i64::from(tm.day)),
            'e' => Action::SpacePadded(2, i64::from(tm.day)),
            'F' if modifier != 0 => Action::Bad,
            'F' => Action::Sub("%Y-%m-%d"),
            'H' => Action::Number(2, tm_hour),
            'I' => Action::Number(2, hour12),
            'k' => Action::SpacePadded(2, tm_hour),
            'l' => Action::SpacePadded(2, hour12),
            'j' => Action::Number(3, 1 + tm_yday),
            'M' => Action::Number(2, i64::from(tm.minute)),
            'm' => Action::Number(2, tm_mon + 1),
            'n' => Action::Text("\n"),
            c @ ('p' | 'P') => {
                if c == 'P' {
                    to_lowcase = true;
                }
                if change_case {
                    to_uppcase = false;
                    to_lowcase = true;
                }
                Action::Text(if tm_hour > 11 { "PM" } else { "AM" })
            }
            'R' => Action::Sub("%H:%M"),
            'r' => Action::Sub("%I:%M:%S %p"),
            'S' => Action::Number(2, i64::from(tm.second)),
            's' => {
                let t = (ctx.zone)().mktime(tm);
                o.number(t, 1, width, pad)?;
                f = f_end;
                continue;
            }
            'X' if modifier == b'O' => Action::Bad,
            'X' | 'T' => Action::Sub("%H:%M:%S"),
            't' => Action::Text("\t"),
            'u' => Action::Number(1, (tm_wday - 1 + 7) % 7 + 1),
            'U' => Action::Number(2, (tm_yday - tm_wday + 7) / 7),
            c @ ('V' | 'g' | 'G') => {
                let mut year = tm_year + 1900;
                let mut days = iso_week_days(tm_yday, tm_wday);
                if days < 0 {
                    // The ISO week belongs to the previous year.
                    year -= 1;
                    days = iso_week_days(tm_yday + (365 + is_leap(year)), tm_wday);
                } else {
                    let d = iso_week_days(tm_yday - (365 + is_leap(year)), tm_wday);
                    if d >= 0 {
                        // The ISO week belongs to the next year.
                        year += 1;
                        days = d;
                    }
                }
                match c {
                    'g' => Action::Number(2, (year % 100 + 100) % 100),
                    'G' => Action::Number(1, year),
                    _ => Action::Number(2, days / 7 + 1),
                }
            }
            'W' => Action::Number(2, (tm_yday - (tm_wday - 1 + 7) % 7 + 7) / 7),
            'w' => Action::Number(1, tm_wday),
            'Y' if modifier == b'O' => Action::Bad,
            'Y' => Action::Number(1, tm_year + 1900),
            'y' => Action::Number(2, (tm_year % 100 + 100) % 100),
            'Z' => {
                if change_case {
                    to_uppcase = false;
                    to_lowcase = true;
                }
                o.cpy(tm.zone.as_str(), width, pad, case(to_uppcase, to_lowcase))?;
                f = f_end;
                continue;
            }
            'z' => {
                let mut diff = i64::from(tm.utc_offset);
                let sign = if diff < 0 {
                    diff = -diff;
                    "-"
                } else {
                    "+"
                };
                o.cpy(sign, width, pad, Case::Keep)?;
                diff /= 60;
                Action::Number(4, (diff / 60) * 100 + diff % 60)
            }
            _ => Action::Bad,
        };

        match action {
            Action::Number(d, value) => o.number(value, d.max(width), width, pad)?,
            Action::SpacePadded(d, value) => {
                // Force the `_` flag unless overridden by `0` or `-`.
                let pad = if pad != b'0' && pad != b'-' {
                    b'_'
                } else {
                    pad
                };
                o.number(value, d.max(width), width, pad)?;
            }
            Action::Text(text) => o.cpy(text, width, pad, case(to_uppcase, to_lowcase))?,
            Action::Sub(sub) => {
                let mut measure = Out {
                    buf: None,
                    i: 0,
                    maxsize: usize::MAX,
                };
                render(&mut measure, sub, ctx)?;
                let start = o.buf.as_deref().map_or(0, String::len);
                o.reserve(measure.i, width, pad)?;
                let mut inner = Out {
                    buf: o.buf.as_deref_mut(),
                    i: 0,
                    maxsize: usize::MAX,
                };
                render(&mut inner, sub, ctx)?;
                if to_uppcase {
                    if let Some(buf) = o.buf.as_deref_mut() {
                        buf[start..].make_ascii_uppercase();
                    }
                }
            }
            Action::Bad => {
                // Copy the directive from its (last) '%' through the conversion character.
                // At the end of the format, `f_end` is the end: a trailing "%", "%-", "%5"…
                let from = fmt[..f_end].rfind('%').unwrap_or(0);
                o.cpy(&fmt[from..f_end], width, pad, case(to_uppcase, to_lowcase))?;
            }
        }
        f = f_end;
    }
    Ok(())
}

/// Appends `n` copies of the ASCII character `c`.
fn push_repeat(out: &mut String, c: char, n: usize) {
    for _ in 0..n {
        out.push(c);
    }
}

/// `towupper` of one character, keeping those without a one-character upper case.
fn to_upper(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// `towlower` of one character, keeping those without a one-character lower case.
fn to_lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Writes `n` in decimal at the end of `buf`, returning the digits.
pub(crate) fn decimal(buf: &mut [u8; 20], mut n: u64) -> &str {
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[start..]).unwrap_or_default()
}

/// Writes `n` in decimal, with a leading `-` when negative, at the end of `buf`.
fn signed_decimal(buf: &mut [u8; 21], n: i64) -> &str {
    let mut digits = [0u8; 20];
    let len = decimal(&mut digits, n.unsigned_abs()).len();
    let end = buf.len();
    let start = end - len - usize::from(n < 0);
    buf[end - len..].copy_from_slice(&digits[20 - len..]);
    if n < 0 {
        buf[start] = b'-';
    }
    std::str::from_utf8(&buf[start..]).unwrap_or_default()
}
