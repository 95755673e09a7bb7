//! Widths and precisions up to [`MAX_FIELD_WIDTH`]: the output at the maximum is exact, and
//! padding costs time linear in the width (one move of the padded text, not one per chunk of
//! padding).

use super::super::*;
use crate::limits::MAX_FIELD_WIDTH;
use crate::template::{Align, Flags, PercentConv};

const MAX: usize = MAX_FIELD_WIDTH;

fn printf(conv: PercentConv, width: usize, precision: Option<usize>, flags: Flags) -> Printf {
    Printf {
        flags,
        width,
        precision,
        conv,
    }
}

#[test]
fn right_aligned_padding_is_linear() {
    // Text, numbers and a value written in place, right-aligned at the maximum width after
    // text already in the buffer, come out exact; `insert_fill` moves what follows the
    // insertion point once (see the next test for the short case, which moves it in place).
    let none = Flags::default();
    for _ in 0..20 {
        let mut out = String::from("head|");
        text(&mut out, "tail", &printf(PercentConv::Str, MAX, None, none));
        assert_eq!(out.len(), 5 + MAX);
        assert!(out[5..MAX + 1].bytes().all(|b| b == b' '));
        assert!(out.ends_with(" tail"));

        let mut out = String::from("head|");
        let zero = Flags {
            zero: true,
            ..Flags::default()
        };
        int(
            &mut out,
            -42,
            &printf(PercentConv::Decimal, MAX, None, zero),
        )
        .unwrap();
        assert_eq!(out.len(), 5 + MAX);
        assert!(out[5..].starts_with("-000"));
        assert!(out.ends_with("0042"));

        // A long value written first, then padded in place: the value moves once.
        let mut out = String::from("head|");
        let value = "v".repeat(MAX / 2);
        out.push_str(&value);
        pad_in_place(&mut out, 5, &printf(PercentConv::Str, MAX, None, none));
        assert_eq!(out.len(), 5 + MAX);
        assert!(out.ends_with(&value));
        assert!(out[5..5 + MAX - value.len()].bytes().all(|b| b == b' '));
    }
}

#[test]
fn short_padding_is_inserted_without_a_copy_of_the_text() {
    // Up to 64 characters go in with one `insert_str`; `out` keeps its allocation.
    let mut out = String::with_capacity(128);
    out.push_str("ab");
    let before = out.as_ptr();
    insert_fill(&mut out, 1, SPACES, 64);
    assert_eq!(out.len(), 66);
    assert_eq!(out.as_ptr(), before);
    assert_eq!(&out[..2], "a ");
    assert!(out.ends_with(" b"));
}

#[test]
fn centred_brace_padding_at_the_maximum_is_exact() {
    let spec = FormatSpec {
        fill: Some('é'),
        align: Some(Align::Center),
        width: MAX,
        ..FormatSpec::default()
    };
    let mut out = String::new();
    format_str(&mut out, "x", &spec).unwrap();
    assert_eq!(out.chars().count(), MAX);
    assert_eq!(out.len(), 2 * (MAX - 1) + 1);
}

#[test]
fn a_fixed_precision_beyond_what_rust_formats_is_exact_then_zeros() {
    // Rust's `format!` refuses precisions above 65,535 (a panic); digits past the 1074th
    // after the point are zeros for every double, written as such.
    let none = Flags::default();
    let mut out = String::new();
    float(
        &mut out,
        0.1,
        &printf(PercentConv::FixedLower, 0, Some(MAX), none),
    )
    .unwrap();
    // CPython: '%.65535f' % 0.1
    assert_eq!(out.len(), 2 + MAX);
    assert!(out.starts_with("0.1000000000000000055511151231257827021181583404541015625000"));
    assert!(out[60..].bytes().all(|b| b == b'0'));

    let mut out = String::new();
    let huge = printf(PercentConv::FixedLower, 0, Some(200_000), none);
    float(&mut out, 5e-324, &huge).unwrap();
    assert_eq!(out.len(), 2 + 200_000);
    // CPython: ('%.2000f' % 5e-324).rstrip('0') ends with the 1074th digit, a 5.
    assert_eq!(out.trim_end_matches('0').len(), 1076);
    assert!(out.trim_end_matches('0').ends_with("65625"));
}
