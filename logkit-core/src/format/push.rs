//! Appending short strings without a call to `memcpy`.
//!
//! A record's line is built from many short pieces: the logger's name, the level's name, a
//! message's literal text and arguments. `String::push_str` copies each with a call to the C
//! library's `memcpy`, whose call and size dispatch cost more than the copy of a few bytes.
//! [`push_text`] copies up to 32 bytes with two overlapping loads and stores instead.

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
    use super::{copy_upto_32, push_text};

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
