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
/// use logkit_core::format::push_text;
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
    let src = text.as_ptr();
    let n = text.len();
    debug_assert!(n <= 32 && out.capacity() - out.len() >= n);
    // SAFETY: every read is inside `text` (`n` bytes at `src`: the loads of 16, 8, 4 or 1 bytes
    // start at 0 or end at `n`, and are taken only when `n` is at least their size), every
    // write is inside `out`'s spare capacity (the same offsets, and the caller reserved `n`
    // bytes), unaligned accesses are used throughout, and the bytes written are a copy of
    // `text`, valid UTF-8 appended to valid UTF-8, so `out` stays valid once its length
    // covers them.
    unsafe {
        let v = out.as_mut_vec();
        let len = v.len();
        let dst = v.as_mut_ptr().add(len);
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
        v.set_len(len + n);
    }
}

#[cfg(test)]
mod tests {
    use super::push_text;

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
}
