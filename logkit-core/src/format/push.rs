//! Appending short strings without a call to `memcpy`.
//!
//! A record's line is built from many short pieces: the logger's name, the level's name, a
//! message's literal text and arguments. `String::push_str` copies each with a call to the C
//! library's `memcpy`, whose call and size dispatch cost more than the copy of a few bytes.
//! [`push_text`] copies up to 32 bytes with two overlapping loads and stores instead.
//!
//! Integers are written the same way, straight into the line ([`push_u64`], [`push_i64`]):
//! digits rendered into a buffer on the stack and copied from there are read back by wider
//! loads than the stores that wrote them, which the CPU cannot forward and waits for.

/// Appends `text` to `out`, as `out.push_str(text)`; strings of up to 32 bytes are copied
/// inline.
///
/// # Examples
///
/// ```
/// use logkit::format::push_text;
///
/// let mut out = String::from("level=");
/// push_text(&mut out, "INFO");
/// push_text(&mut out, " and a string longer than sixteen bytes");
/// assert_eq!(out, "level=INFO and a string longer than sixteen bytes");
/// ```
#[inline(always)]
pub fn push_text(out: &mut String, text: &str) {
    let n = text.len();
    if n > 32 {
        out.push_str(text);
        return;
    }
    out.reserve(n);
    copy_short(out, text);
}

/// Copies `text` (at most 32 bytes) into `out`'s spare capacity, which holds at least
/// `text.len()` bytes.
#[inline(always)]
#[allow(unsafe_code)]
fn copy_short(out: &mut String, text: &str) {
    let n = text.len();
    debug_assert!(n <= 32 && out.capacity() - out.len() >= n);
    // SAFETY: the caller reserved `n` bytes of spare capacity, which `copy_upto_32` writes
    // from its start; the bytes written are a copy of `text`, valid UTF-8 appended to valid
    // UTF-8, so `out` stays valid once its length covers them.
    unsafe {
        let v = out.as_mut_vec();
        let len = v.len();
        copy_upto_32(v.as_mut_ptr().add(len), text.as_bytes());
        v.set_len(len + n);
    }
}

/// Two decimal digits for each number below 100: `"00"`, `"01"`, … `"99"`.
const DIGIT_PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// The number of decimal digits of `n` (1 for 0), from its bit length and one comparison.
#[inline(always)]
fn decimal_len(n: u64) -> usize {
    const POWERS: [u64; 20] = {
        let mut p = [1_u64; 20];
        let mut i = 1;
        while i < 20 {
            p[i] = p[i - 1] * 10;
            i += 1;
        }
        p
    };
    // log10(2) ≈ 1233 / 4096: a guess of the digits below `n`'s bit length, at most one short.
    // 0 has the digits of 1.
    let n = n | 1;
    let bits = 64 - n.leading_zeros() as usize;
    let guess = (bits * 1233) >> 12;
    guess + usize::from(n >= POWERS[guess])
}

/// Appends `n` in decimal, as `out.push_str(&n.to_string())`, writing the digits straight
/// into `out` (no intermediate buffer).
///
/// # Examples
///
/// ```
/// use logkit::format::push_u64;
///
/// let mut out = String::from("took ");
/// push_u64(&mut out, 1_234_567);
/// assert_eq!(out, "took 1234567");
/// ```
#[inline]
#[allow(unsafe_code, clippy::cast_possible_truncation)]
pub fn push_u64(out: &mut String, n: u64) {
    let len = decimal_len(n);
    out.reserve(len);
    // SAFETY: `len` bytes of spare capacity were reserved; the digits are written backwards
    // from their end, `len` of them in all (`decimal_len` counts exactly the digits the loops
    // below write), every pair read from inside `DIGIT_PAIRS` (indices below 200); ASCII
    // digits keep `out` valid UTF-8 once its length covers them.
    unsafe {
        let v = out.as_mut_vec();
        let start = v.len();
        let base = v.as_mut_ptr().add(start);
        let pairs = DIGIT_PAIRS.as_ptr();
        let mut end = len;
        let mut n = n;
        while n >= 10_000 {
            let four = (n % 10_000) as usize;
            n /= 10_000;
            end -= 4;
            std::ptr::copy_nonoverlapping(pairs.add(four / 100 * 2), base.add(end), 2);
            std::ptr::copy_nonoverlapping(pairs.add(four % 100 * 2), base.add(end + 2), 2);
        }
        let mut n = n as usize;
        if n >= 100 {
            end -= 2;
            std::ptr::copy_nonoverlapping(pairs.add(n % 100 * 2), base.add(end), 2);
            n /= 100;
        }
        if n >= 10 {
            end -= 2;
            std::ptr::copy_nonoverlapping(pairs.add(n * 2), base.add(end), 2);
        } else {
            end -= 1;
            *base.add(end) = b'0' + n as u8;
        }
        debug_assert_eq!(end, 0);
        v.set_len(start + len);
    }
}

/// Appends `n` in decimal (with a `-` when negative), as `out.push_str(&n.to_string())`;
/// see [`push_u64`].
///
/// # Examples
///
/// ```
/// use logkit::format::push_i64;
///
/// let mut out = String::new();
/// push_i64(&mut out, -42);
/// assert_eq!(out, "-42");
/// ```
#[inline]
pub fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

/// Copies `src` (at most 32 bytes) to `dst` with at most two overlapping loads and stores of
/// 16, 8, 4 or 1 bytes, where `copy_nonoverlapping` of a length known only at run time
/// would call `memcpy`.
///
/// # Safety
///
/// `src.len() <= 32`, and `dst` is valid for writes of `src.len()` bytes that do not overlap
/// `src`.
#[inline(always)]
#[allow(unsafe_code)]
pub(crate) unsafe fn copy_upto_32(dst: *mut u8, src: &[u8]) {
    let n = src.len();
    let src = src.as_ptr();
    debug_assert!(n <= 32);
    // SAFETY: every read is inside `src` (`n` bytes: the loads of 16, 8, 4 or 1 bytes start
    // at 0 or end at `n`, and are taken only when `n` is at least their size), every write is
    // at the same offsets inside the `n` bytes at `dst` (the caller's promise), and unaligned
    // accesses are used throughout.
    unsafe {
        if n >= 16 {
            let head = src.cast::<u128>().read_unaligned();
            let tail = src.add(n - 16).cast::<u128>().read_unaligned();
            dst.cast::<u128>().write_unaligned(head);
            dst.add(n - 16).cast::<u128>().write_unaligned(tail);
        } else if n >= 8 {
            let head = src.cast::<u64>().read_unaligned();
            let tail = src.add(n - 8).cast::<u64>().read_unaligned();
            dst.cast::<u64>().write_unaligned(head);
            dst.add(n - 8).cast::<u64>().write_unaligned(tail);
        } else if n >= 4 {
            let head = src.cast::<u32>().read_unaligned();
            let tail = src.add(n - 4).cast::<u32>().read_unaligned();
            dst.cast::<u32>().write_unaligned(head);
            dst.add(n - 4).cast::<u32>().write_unaligned(tail);
        } else if n > 0 {
            // 1 to 3 bytes: first, middle and last (some the same byte).
            *dst = *src;
            *dst.add(n / 2) = *src.add(n / 2);
            *dst.add(n - 1) = *src.add(n - 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{copy_upto_32, decimal_len, push_i64, push_text, push_u64};

    #[test]
    fn integers_are_written_as_to_string_writes_them() {
        let mut values: Vec<u64> = vec![0, u64::MAX, u64::MAX - 1];
        let mut power = 1_u64;
        loop {
            values.extend([power - 1, power, power + 1, power / 2 * 3]);
            match power.checked_mul(10) {
                Some(p) => power = p,
                None => break,
            }
        }
        for n in values {
            assert_eq!(decimal_len(n), n.to_string().len(), "{n}");
            // Appended at the end of text already there, into exactly the room reserved
            // (Miri sees any write past it), and into a buffer with room to spare.
            let mut exact = String::from("x");
            exact.shrink_to_fit();
            push_u64(&mut exact, n);
            assert_eq!(exact, format!("x{n}"));
            let mut roomy = String::with_capacity(64);
            push_u64(&mut roomy, n);
            assert_eq!(roomy, n.to_string());
            for i in [n as i64, (n as i64).wrapping_neg()] {
                let mut signed = String::new();
                push_i64(&mut signed, i);
                assert_eq!(signed, i.to_string());
            }
        }
        let mut min = String::new();
        push_i64(&mut min, i64::MIN);
        assert_eq!(min, i64::MIN.to_string());
    }

    #[test]
    fn every_length_appends_exactly_the_text() {
        let source = "abcdefghijklmnopqrstuvwxyzé✓0123456789ABCDEFGHIJ";
        for start in 0..source.len() {
            for end in start..=source.len() {
                let (Some(text), Some(prefix)) = (source.get(start..end), source.get(..start))
                else {
                    continue;
                };
                let mut out = String::from(prefix);
                out.shrink_to_fit();
                push_text(&mut out, text);
                assert_eq!(out, format!("{prefix}{text}"), "{start}..{end}");
            }
        }
    }

    #[test]
    fn copy_upto_32_copies_every_length_within_exact_bounds() {
        for n in 0..=32 {
            // Source and destination allocations of exactly `n` bytes: a read or write past
            // either is out of bounds.
            let source: Box<[u8]> = (1..=n).map(|b| b as u8).collect();
            let mut exact = vec![0_u8; n].into_boxed_slice();
            // SAFETY: `exact` is `n` writable bytes that do not overlap `source`; `n <= 32`.
            #[allow(unsafe_code)]
            unsafe {
                copy_upto_32(exact.as_mut_ptr(), &source);
            }
            assert_eq!(exact, source, "{n}");
            // At every alignment, inside a larger buffer whose other bytes stay as they were.
            for offset in 0..16 {
                let mut wide = [0xee_u8; 64];
                // SAFETY: `offset + n <= 48` bytes of `wide`, which does not overlap `source`.
                #[allow(unsafe_code)]
                unsafe {
                    copy_upto_32(wide.as_mut_ptr().add(offset), &source);
                }
                assert!(wide[..offset].iter().all(|&b| b == 0xee), "{n} at {offset}");
                assert_eq!(&wide[offset..offset + n], &source[..], "{n} at {offset}");
                assert!(
                    wide[offset + n..].iter().all(|&b| b == 0xee),
                    "{n} at {offset}"
                );
            }
        }
    }

    #[test]
    fn push_text_fills_spare_capacity_exactly() {
        for n in 0..=33 {
            let text: String = "é✓abcdefghijklmnopqrstuvwxyz"
                .chars()
                .cycle()
                .take(n)
                .collect();
            let mut out = String::with_capacity(0);
            push_text(&mut out, &text);
            assert_eq!(out, text);
            // Full: the copy goes to a fresh allocation of just the room needed.
            let mut full = String::from("ab");
            full.shrink_to_fit();
            push_text(&mut full, &text);
            assert_eq!(full, format!("ab{text}"));
        }
    }
}
