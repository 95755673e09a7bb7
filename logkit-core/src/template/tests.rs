//! Table-driven cases for the parser: the contract shared by the macros and the runtime.

use super::*;

fn record(src: &str) -> Result<Template<'_>, Error> {
    parse(src, Mode::Record(Style::Percent))
}

fn percent(t: &Template<'_>, i: usize) -> (Key<'static>, PercentSpec)
where
{
    let f = t.fields().nth(i).expect("field");
    let Spec::Percent(s) = f.spec else {
        panic!("not percent")
    };
    let key = match f.key {
        Key::Next => Key::Next,
        Key::Name(n) => Key::Name(Box::leak(n.to_owned().into_boxed_str())),
        Key::Path(..) => unreachable!(),
    };
    (key, s)
}

#[test]
fn seed_template_has_four_fields_and_three_separators() {
    let t = record("%(asctime)s - %(name)s - %(levelname)s - %(message)s").unwrap();
    let names: Vec<_> = t.fields().map(|f| f.key.name().unwrap()).collect();
    assert_eq!(names, ["asctime", "name", "levelname", "message"]);
    assert_eq!(t.pieces.len(), 7);
    assert!(t.uses("asctime"));
}

#[test]
fn flags_width_precision_and_length_modifiers() {
    let t = parse("%-08.3ld|%+ #x|%*.*f|%.s", Mode::Message).unwrap();
    let (_, a) = percent(&t, 0);
    assert!(a.flags.left && a.flags.zero && !a.flags.plus);
    assert_eq!(
        (a.width, a.precision, a.conv),
        (Count::Is(8), Count::Is(3), PercentConv::Decimal)
    );
    let (_, b) = percent(&t, 1);
    assert!(b.flags.plus && b.flags.space && b.flags.alternate);
    assert_eq!(b.conv, PercentConv::HexLower);
    let (_, c) = percent(&t, 2);
    assert_eq!((c.width, c.precision), (Count::Star, Count::Star));
    let (_, d) = percent(&t, 3);
    assert_eq!(d.precision, Count::Is(0));
}

#[test]
fn percent_escapes_split_into_literal_pieces() {
    let t = parse("100%% done %s", Mode::Message).unwrap();
    assert_eq!(
        t.pieces[..3],
        [
            Piece::Literal("100"),
            Piece::Literal("%"),
            Piece::Literal(" done ")
        ]
    );
}

#[test]
fn nested_parentheses_in_keys_follow_python() {
    let t = record("%(a(b)c)s").unwrap();
    assert_eq!(t.fields().next().unwrap().key, Key::Name("a(b)c"));
}

#[test]
fn every_conversion_character_is_accepted() {
    for c in "diuoxXeEfFgGcsra".chars() {
        let src = format!("%{c}");
        assert!(parse(&src, Mode::Message).is_ok(), "{src}");
    }
}

#[test]
fn percent_errors_quote_the_fragment() {
    let cases: &[(&str, Mode, ErrorKind, &str)] = &[
        (
            "took %q ms",
            Mode::Message,
            ErrorKind::UnsupportedConversion('q'),
            "%q",
        ),
        ("50%", Mode::Message, ErrorKind::IncompleteFormat, "%"),
        ("%(name", Mode::Message, ErrorKind::IncompleteKey, "%(name"),
        (
            "%lld",
            Mode::Message,
            ErrorKind::UnsupportedConversion('l'),
            "%ll",
        ),
        ("%s %(a)s", Mode::Message, ErrorKind::MixedKeys, "%(a)s"),
        ("%(a)*d", Mode::Message, ErrorKind::MixedKeys, "%(a)*d"),
        (
            "%(asctime)s %s",
            Mode::Record(Style::Percent),
            ErrorKind::PositionalInRecord,
            "%s",
        ),
        (
            "%(levelname)*s",
            Mode::Record(Style::Percent),
            ErrorKind::StarInRecord,
            "%(levelname)*s",
        ),
        (
            "%(x)5%",
            Mode::Record(Style::Percent),
            ErrorKind::UnsupportedConversion('%'),
            "%(x)5%",
        ),
        (
            "%é",
            Mode::Message,
            ErrorKind::UnsupportedConversion('é'),
            "%é",
        ),
    ];
    for (src, mode, kind, frag) in cases {
        let err = parse(src, *mode).unwrap_err();
        assert_eq!(&err.kind, kind, "{src}");
        assert_eq!(err.fragment, *frag, "{src}");
        assert!(err.to_string().contains(&format!("`{frag}`")), "{err}");
    }
}

#[test]
fn a_width_beyond_the_maximum_is_an_error_quoting_the_field() {
    let max = crate::limits::MAX_FIELD_WIDTH;
    let percent = Mode::Record(Style::Percent);
    let brace = Mode::Record(Style::Brace);
    let cases: Vec<(String, Mode, String)> = vec![
        (
            "%(message)9999999999s".into(),
            percent,
            "%(message)9999999999s".into(),
        ),
        (
            format!("%(asctime)s %(message).{}s", max + 1),
            percent,
            format!("%(message).{}s", max + 1),
        ),
        (
            "took %99999999999999999999999d ms".into(),
            Mode::Message,
            "%99999999999999999999999d".into(),
        ),
        // Each within the maximum, not together.
        (
            "%(name)40000s %(levelname)-30000s".into(),
            percent,
            "%(levelname)-30000s".into(),
        ),
        (
            "{message:>99999999999999999999}".into(),
            brace,
            "{message:>99999999999999999999}".into(),
        ),
        (
            format!("{{levelname:.{max}}} {{message:1}}"),
            brace,
            "{message:1}".into(),
        ),
    ];
    for (src, mode, frag) in &cases {
        let err = parse(src, *mode).unwrap_err();
        assert_eq!(err.kind, ErrorKind::WidthTooLarge, "{src}");
        assert_eq!(&err.fragment, frag, "{src}");
        let text = err.to_string();
        assert!(text.contains(&format!("`{frag}`")), "{text}");
        assert!(text.contains("at most 65535"), "{text}");
    }
    // The maximum itself is accepted, in every style.
    assert!(parse(&format!("%(message){max}s"), percent).is_ok());
    assert!(parse(&format!("%{max}d"), Mode::Message).is_ok());
    assert!(parse(&format!("{{message:>{max}}}"), brace).is_ok());
    // A `*` width is resolved (and checked) when the message is merged.
    assert!(parse("%*d", Mode::Message).is_ok());
}

#[test]
fn brace_fields_specs_and_escapes() {
    let t = parse(
        "{{{levelname:*^10}}} {message!r} {created:,.3f} {args[0]}",
        Mode::Record(Style::Brace),
    )
    .unwrap();
    let fields: Vec<_> = t.fields().collect();
    let Spec::Brace(s) = fields[0].spec else {
        panic!()
    };
    assert_eq!(
        (s.fill, s.align, s.width),
        (Some('*'), Some(Align::Center), Count::Is(10))
    );
    let Spec::Brace(s) = fields[1].spec else {
        panic!()
    };
    assert_eq!(s.conversion, Some(BraceConversion::Repr));
    let Spec::Brace(s) = fields[2].spec else {
        panic!()
    };
    assert_eq!(
        (s.grouping, s.precision, s.ty),
        (Some(','), Count::Is(3), Some('f'))
    );
    assert_eq!(fields[3].key, Key::Path("args", "[0]"));
    assert_eq!(t.pieces[0], Piece::Literal("{"));
}

#[test]
fn brace_nested_width_names_a_value() {
    let t = parse("{message:{width}}", Mode::Record(Style::Brace)).unwrap();
    let Spec::Brace(s) = t.fields().next().unwrap().spec else {
        panic!()
    };
    assert_eq!(s.width, Count::Named("width"));
}

#[test]
fn brace_errors_follow_python_validation() {
    let cases: &[(&str, ErrorKind)] = &[
        ("{name-thing}", ErrorKind::InvalidFieldName),
        ("{message!Z}", ErrorKind::InvalidBraceConversion('Z')),
        ("{message!rx}", ErrorKind::ExpectedColon),
        ("{created:.2ff}", ErrorKind::BadSpecifier),
        ("{levelno:X}", ErrorKind::BadSpecifier),
        ("{message", ErrorKind::UnclosedBrace),
        ("message}", ErrorKind::SingleClosingBrace),
        ("plain text", ErrorKind::NoFields(Style::Brace)),
        ("{}", ErrorKind::InvalidFieldName),
        ("{0}", ErrorKind::InvalidFieldName),
    ];
    for (src, kind) in cases {
        let err = parse(src, Mode::Record(Style::Brace)).unwrap_err();
        assert_eq!(&err.kind, kind, "{src}");
    }
}

#[test]
fn dollar_names_braced_names_and_escapes() {
    let t = parse("$$${levelname}:$message-x", Mode::Record(Style::Dollar)).unwrap();
    let names: Vec<_> = t.fields().map(|f| f.key.name().unwrap()).collect();
    assert_eq!(names, ["levelname", "message"]);
    assert_eq!(t.pieces[0], Piece::Literal("$"));
    assert_eq!(t.pieces.last(), Some(&Piece::Literal("-x")));
    for bad in ["$", "cost: $5 $message", "${1}", "${name"] {
        assert_eq!(
            parse(bad, Mode::Record(Style::Dollar)).unwrap_err().kind,
            ErrorKind::BareDollar,
            "{bad}"
        );
    }
    assert_eq!(
        parse("$$", Mode::Record(Style::Dollar)).unwrap_err().kind,
        ErrorKind::NoFields(Style::Dollar)
    );
    assert_eq!(
        parse("plain %% text", Mode::Record(Style::Percent))
            .unwrap_err()
            .kind,
        ErrorKind::NoFields(Style::Percent)
    );
    let lax = parse_with("100%% plain", Mode::Record(Style::Percent), false).unwrap();
    assert_eq!(lax.fields().count(), 0);
}

#[test]
fn attributes_round_trip_and_suggest() {
    for a in Attr::ALL {
        assert_eq!(Attr::from_name(a.name()), Some(a));
    }
    assert_eq!(Attr::closest("asctme"), Some(Attr::Asctime));
    assert_eq!(Attr::closest("levelName"), Some(Attr::LevelName));
    assert_eq!(Attr::closest("zzzzzzzz"), None);
}
