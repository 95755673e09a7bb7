//! Reading the Python literals of an INI file's `args=` and `kwargs=` (and
//! [`ConfigValue::from_python`]) without a Python interpreter.
//!
//! CPython `eval`s these in the `logging` namespace. logkit reads the forms configuration
//! files use: strings (with escapes, raw and adjacent-concatenated), integers (`0x1F`,
//! `1_000`), floats, `True`/`False`/`None`, tuples, lists, dictionaries, dotted names
//! (`sys.stdout`, `handlers.SysLogHandler.LOG_USER`) and integer/float arithmetic with
//! `+ - * / // %` (as in `10*1024*1024`). Anything else (a call, a comprehension) is an error
//! that says what is supported.
//!
//! The reader recurses once per level of nesting (a bracket, a parenthesis, a unary sign), at
//! most [`MAX_CONFIG_DEPTH`] levels: deeper text is an error, not a stack overflow.

use super::ConfigValue;
use crate::error::{Error, ErrorKind};
use crate::limits::MAX_CONFIG_DEPTH;

impl ConfigValue {
    /// Reads a Python literal: `('app.log', 'a')`, `{'encoding': 'utf-8'}`, `sys.stdout`.
    ///
    /// # Errors
    ///
    /// Text that is not one of the supported literal forms, with the position and what
    /// was expected; values nested deeper than
    /// [`MAX_CONFIG_DEPTH`].
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::config::ConfigValue;
    ///
    /// let v = ConfigValue::from_python("(sys.stdout,)")?;
    /// assert_eq!(v, ConfigValue::Tuple(vec![ConfigValue::Name("sys.stdout".into())]));
    /// assert!(ConfigValue::from_python("open('x')").is_err());
    /// # Ok::<(), logkit::Error>(())
    /// ```
    pub fn from_python(text: &str) -> Result<ConfigValue, Error> {
        let mut p = Parser {
            src: text,
            pos: 0,
            depth: 0,
        };
        p.skip_ws();
        if p.at_end() {
            return Err(p.error("expected a value, found nothing"));
        }
        let v = p.expr()?;
        p.skip_ws();
        // A top-level `a, b` is a tuple, as in Python.
        let v = if p.peek() == Some(',') {
            let mut items = vec![v];
            while p.eat(',') {
                p.skip_ws();
                if p.at_end() {
                    break;
                }
                items.push(p.expr()?);
                p.skip_ws();
            }
            ConfigValue::Tuple(items)
        } else {
            v
        };
        if !p.at_end() {
            return Err(p.unexpected());
        }
        Ok(v)
    }
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    /// Levels of nesting entered and not left.
    depth: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn skip_ws(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                // A backslash at the end of a line joins lines.
                Some('\\') if self.rest()[1..].starts_with('\n') => self.pos += 2,
                _ => break,
            }
        }
    }

    fn error(&self, what: &str) -> Error {
        self.error_at(self.pos, what)
    }

    /// An error at byte `pos` of the literal, which the message quotes (its beginning, if it
    /// is long).
    fn error_at(&self, pos: usize, what: &str) -> Error {
        const QUOTED: usize = 100;
        let column = self.src.get(..pos).unwrap_or(self.src).chars().count() + 1;
        let quoted = match self.src.char_indices().nth(QUOTED) {
            None => format!("{:?}", self.src),
            Some((end, _)) => format!(
                "{:?}… ({} characters)",
                &self.src[..end],
                self.src.chars().count()
            ),
        };
        Error::new(
            ErrorKind::Config,
            format!("{what} at column {column} of the Python literal {quoted}"),
        )
    }

    /// Runs `f` one level of nesting deeper, refusing to go past [`MAX_CONFIG_DEPTH`].
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, Error>) -> Result<T, Error> {
        if self.depth >= MAX_CONFIG_DEPTH {
            return Err(self.error(&format!(
                "values nest deeper than {MAX_CONFIG_DEPTH} levels (logkit's maximum)"
            )));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    fn unexpected(&self) -> Error {
        match self.peek() {
            None => self.error("unexpected end"),
            Some(c) => self.error(&format!(
                "unexpected {c:?} (logkit reads strings, numbers, tuples, lists, dicts, \
                 True/False/None, names such as sys.stdout, and + - * / // % of numbers; \
                 not calls or other expressions)"
            )),
        }
    }

    /// `term (('+'|'-') term)*`
    fn expr(&mut self) -> Result<ConfigValue, Error> {
        let mut left = self.term()?;
        loop {
            self.skip_ws();
            let Some(op @ ('+' | '-')) = self.peek() else {
                return Ok(left);
            };
            let at = self.pos;
            self.bump();
            self.skip_ws();
            let right = self.term()?;
            left = self.arith(at, op.to_string().as_str(), left, right)?;
        }
    }

    /// `unary (('*'|'/'|'//'|'%') unary)*`
    fn term(&mut self) -> Result<ConfigValue, Error> {
        let mut left = self.unary()?;
        loop {
            self.skip_ws();
            let op = if self.rest().starts_with("//") {
                "//"
            } else {
                match self.peek() {
                    Some('*') if !self.rest().starts_with("**") => "*",
                    Some('/') => "/",
                    Some('%') => "%",
                    _ => return Ok(left),
                }
            };
            let at = self.pos;
            self.pos += op.len();
            self.skip_ws();
            let right = self.unary()?;
            left = self.arith(at, op, left, right)?;
        }
    }

    fn unary(&mut self) -> Result<ConfigValue, Error> {
        self.skip_ws();
        if self.eat('-') {
            let at = self.pos;
            return match self.nested(Self::unary)? {
                ConfigValue::Int(i) => i
                    .checked_neg()
                    .map(ConfigValue::Int)
                    .ok_or_else(|| self.error("integer out of range")),
                ConfigValue::Float(f) => Ok(ConfigValue::Float(-f)),
                ConfigValue::Bool(b) => Ok(ConfigValue::Int(-i64::from(b))),
                other => Err(self.error_at(
                    at,
                    &format!("bad operand type for unary -: '{}'", other.type_name()),
                )),
            };
        }
        if self.eat('+') {
            return self.nested(Self::unary);
        }
        self.atom()
    }

    fn arith(
        &self,
        at: usize,
        op: &str,
        left: ConfigValue,
        right: ConfigValue,
    ) -> Result<ConfigValue, Error> {
        use ConfigValue::{Float, Int, Str};
        let overflow = || self.error_at(at, "integer out of range");
        let zero = || self.error_at(at, "division by zero");
        Ok(match (op, left, right) {
            ("+", Str(a), Str(b)) => Str(a + &b),
            ("+", Int(a), Int(b)) => Int(a.checked_add(b).ok_or_else(overflow)?),
            ("-", Int(a), Int(b)) => Int(a.checked_sub(b).ok_or_else(overflow)?),
            ("*", Int(a), Int(b)) => Int(a.checked_mul(b).ok_or_else(overflow)?),
            ("//", Int(_), Int(0)) | ("%", Int(_), Int(0)) | ("/", Int(_), Int(0)) => {
                return Err(zero());
            }
            ("//", Int(a), Int(b)) => Int(i64::try_from(floor_div(a, b)).map_err(|_| overflow())?),
            ("%", Int(a), Int(b)) => {
                let (a, b) = (i128::from(a), i128::from(b));
                Int(i64::try_from(a - b * floor_div_wide(a, b)).map_err(|_| overflow())?)
            }
            (op, a @ (Int(_) | Float(_)), b @ (Int(_) | Float(_))) => {
                let (x, y) = (as_f64(&a), as_f64(&b));
                if y == 0.0 && matches!(op, "/" | "//" | "%") {
                    return Err(zero());
                }
                Float(match op {
                    "+" => x + y,
                    "-" => x - y,
                    "*" => x * y,
                    "/" => x / y,
                    "//" => (x / y).floor(),
                    _ => x - y * (x / y).floor(),
                })
            }
            (op, a, b) => {
                return Err(self.error_at(
                    at,
                    &format!(
                        "unsupported operand types for {op}: '{}' and '{}'",
                        a.type_name(),
                        b.type_name()
                    ),
                ));
            }
        })
    }

    fn atom(&mut self) -> Result<ConfigValue, Error> {
        self.skip_ws();
        let Some(c) = self.peek() else {
            return Err(self.error("expected a value, found the end"));
        };
        match c {
            '(' => self.nested(|p| {
                p.bump();
                let (mut items, trailing_comma) = p.items(')')?;
                match items.pop() {
                    Some(only) if items.is_empty() && !trailing_comma => Ok(only),
                    last => {
                        items.extend(last);
                        Ok(ConfigValue::Tuple(items))
                    }
                }
            }),
            '[' => self.nested(|p| {
                p.bump();
                Ok(ConfigValue::List(p.items(']')?.0))
            }),
            '{' => self.nested(|p| {
                p.bump();
                p.dict()
            }),
            '\'' | '"' => self.strings(),
            '0'..='9' | '.' => self.number(),
            c if c.is_alphabetic() || c == '_' => {
                // String prefixes: r'', u'', R''.
                let ident_end = self
                    .rest()
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(self.rest().len());
                let ident = &self.rest()[..ident_end];
                let after = self.rest()[ident_end..].chars().next();
                if matches!(after, Some('\'' | '"'))
                    && matches!(ident.to_ascii_lowercase().as_str(), "r" | "u")
                {
                    return self.strings();
                }
                self.name()
            }
            _ => Err(self.unexpected()),
        }
    }

    /// Comma-separated values up to `close`; whether a comma ended the list.
    fn items(&mut self, close: char) -> Result<(Vec<ConfigValue>, bool), Error> {
        let mut items = Vec::new();
        let mut trailing = false;
        loop {
            self.skip_ws();
            if self.eat(close) {
                return Ok((items, trailing));
            }
            items.push(self.expr()?);
            self.skip_ws();
            trailing = self.eat(',');
            if !trailing {
                self.skip_ws();
                if self.eat(close) {
                    return Ok((items, false));
                }
                return Err(self.expected(&format!("',' or '{close}'")));
            }
        }
    }

    fn expected(&self, what: &str) -> Error {
        match self.peek() {
            None => self.error(&format!("expected {what}, found the end")),
            Some(c) => self.error(&format!("expected {what}, found {c:?}")),
        }
    }

    fn dict(&mut self) -> Result<ConfigValue, Error> {
        let mut items: Vec<(String, ConfigValue)> = Vec::new();
        loop {
            self.skip_ws();
            if self.eat('}') {
                return Ok(ConfigValue::Dict(items));
            }
            let key_at = self.pos;
            let key = match self.expr()? {
                ConfigValue::Str(s) => s,
                other => {
                    return Err(self.error_at(
                        key_at,
                        &format!("dictionary keys must be strings, not {}", other.type_name()),
                    ));
                }
            };
            self.skip_ws();
            if !self.eat(':') {
                return Err(self.expected("':'"));
            }
            let value = self.expr()?;
            // A repeated key keeps the last value, in the first key's place (as Python).
            match items.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => items.push((key, value)),
            }
            self.skip_ws();
            if !self.eat(',') {
                self.skip_ws();
                if self.eat('}') {
                    return Ok(ConfigValue::Dict(items));
                }
                return Err(self.expected("',' or '}'"));
            }
        }
    }

    fn name(&mut self) -> Result<ConfigValue, Error> {
        let start = self.pos;
        loop {
            while matches!(self.peek(), Some(c) if c.is_alphanumeric() || c == '_') {
                self.bump();
            }
            let dotted = self.rest().starts_with('.')
                && matches!(self.rest()[1..].chars().next(), Some(c) if c.is_alphabetic() || c == '_');
            if !dotted {
                break;
            }
            self.bump();
        }
        let name = &self.src[start..self.pos];
        let value = match name {
            "True" => ConfigValue::Bool(true),
            "False" => ConfigValue::Bool(false),
            "None" => ConfigValue::None,
            _ => ConfigValue::Name(name.to_owned()),
        };
        self.skip_ws();
        if matches!(self.peek(), Some('(' | '[')) {
            return Err(self.error(&format!(
                "`{name}{}…` is not a literal: logkit does not call functions or index \
                 values in configuration (write the value itself)",
                self.peek().unwrap_or('(')
            )));
        }
        Ok(value)
    }

    fn number(&mut self) -> Result<ConfigValue, Error> {
        let start = self.pos;
        let rest = self.rest();
        let lower = rest.get(..2).map(str::to_ascii_lowercase);
        let radix = match lower.as_deref() {
            Some("0x") => 16,
            Some("0o") => 8,
            Some("0b") => 2,
            _ => 10,
        };
        if radix != 10 {
            self.pos += 2;
            let digits_start = self.pos;
            while matches!(self.peek(), Some(c) if c.is_digit(radix) || c == '_') {
                self.bump();
            }
            let digits: String = self.src[digits_start..self.pos].replace('_', "");
            return i64::from_str_radix(&digits, radix)
                .map(ConfigValue::Int)
                .map_err(|_| self.error_at(start, "invalid integer"));
        }
        let mut is_float = false;
        while let Some(c) = self.peek() {
            match c {
                '0'..='9' | '_' => {}
                '.' => is_float = true,
                'e' | 'E' => {
                    is_float = true;
                    self.bump();
                    if matches!(self.peek(), Some('+' | '-')) {
                        self.bump();
                    }
                    continue;
                }
                _ => break,
            }
            self.bump();
        }
        let text: String = self.src[start..self.pos].replace('_', "");
        let bad = || self.error_at(start, &format!("invalid number {text:?}"));
        if is_float {
            text.parse::<f64>()
                .map(ConfigValue::Float)
                .map_err(|_| bad())
        } else {
            text.parse::<i64>().map(ConfigValue::Int).map_err(|_| bad())
        }
    }

    /// One or more adjacent string literals, concatenated.
    fn strings(&mut self) -> Result<ConfigValue, Error> {
        let mut out = String::new();
        loop {
            self.skip_ws();
            let mut raw = false;
            while let Some(c @ ('r' | 'R' | 'u' | 'U')) = self.peek() {
                if !matches!(
                    self.rest()[1..].chars().next(),
                    Some('\'' | '"' | 'r' | 'R' | 'u' | 'U')
                ) {
                    break;
                }
                raw |= c.eq_ignore_ascii_case(&'r');
                self.bump();
            }
            match self.peek() {
                Some(q @ ('\'' | '"')) => self.string(q, raw, &mut out)?,
                _ => return Ok(ConfigValue::Str(out)),
            }
        }
    }

    fn string(&mut self, quote: char, raw: bool, out: &mut String) -> Result<(), Error> {
        let start = self.pos;
        let triple: String = std::iter::repeat_n(quote, 3).collect();
        let is_triple = self.rest().starts_with(&triple);
        self.pos += if is_triple { 3 } else { 1 };
        loop {
            if is_triple && self.rest().starts_with(&triple) {
                self.pos += 3;
                return Ok(());
            }
            let Some(c) = self.bump() else {
                return Err(self.error_at(start, "unterminated string"));
            };
            match c {
                c if c == quote && !is_triple => return Ok(()),
                '\n' if !is_triple => {
                    return Err(self.error_at(start, "unterminated string"));
                }
                '\\' if raw => {
                    out.push('\\');
                    if let Some(n) = self.bump() {
                        out.push(n);
                    }
                }
                '\\' => self.escape(out)?,
                c => out.push(c),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), Error> {
        let at = self.pos - 1;
        let Some(c) = self.bump() else {
            return Err(self.error("unterminated string"));
        };
        let hex = |p: &mut Self, n: usize| -> Result<char, Error> {
            let digits = p.rest().get(..n).unwrap_or("");
            let v = u32::from_str_radix(digits, 16)
                .ok()
                .filter(|_| digits.len() == n)
                .and_then(char::from_u32)
                .ok_or_else(|| p.error_at(at, "invalid \\x, \\u or \\U escape"))?;
            p.pos += n;
            Ok(v)
        };
        match c {
            '\n' => {}
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            'x' => out.push(hex(self, 2)?),
            'u' => out.push(hex(self, 4)?),
            'U' => out.push(hex(self, 8)?),
            '0'..='7' => {
                let mut v = c.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match self.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            self.bump();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            // Python keeps unknown escapes as written.
            other => {
                out.push('\\');
                out.push(other);
            }
        }
        Ok(())
    }
}

/// Python's `a // b` (the floor of the quotient) for `b != 0`, exact for every pair of
/// `i64`s (`i64::MIN // -1` is 2^63, beyond `i64`: the caller checks).
fn floor_div(a: i64, b: i64) -> i128 {
    floor_div_wide(i128::from(a), i128::from(b))
}

/// [`floor_div`] on values that fit an `i64`.
fn floor_div_wide(a: i128, b: i128) -> i128 {
    a.div_euclid(b) - i128::from(a.rem_euclid(b) != 0 && b < 0)
}

fn as_f64(v: &ConfigValue) -> f64 {
    match v {
        ConfigValue::Int(i) => *i as f64,
        ConfigValue::Float(f) => *f,
        _ => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::ConfigValue::{self, *};

    fn py(s: &str) -> ConfigValue {
        ConfigValue::from_python(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn s(v: &str) -> ConfigValue {
        Str(v.into())
    }

    #[test]
    fn reads_the_forms_of_logging_ini_files() {
        assert_eq!(py("()"), Tuple(vec![]));
        assert_eq!(py("(sys.stdout,)"), Tuple(vec![Name("sys.stdout".into())]));
        assert_eq!(py("(sys.stderr)"), Name("sys.stderr".into()));
        assert_eq!(
            py("('python.log', 'w')"),
            Tuple(vec![s("python.log"), s("w")])
        );
        assert_eq!(
            py("(('localhost', 514), handlers.SysLogHandler.LOG_USER)"),
            Tuple(vec![
                Tuple(vec![s("localhost"), Int(514)]),
                Name("handlers.SysLogHandler.LOG_USER".into())
            ])
        );
        assert_eq!(
            py("{'encoding': 'utf-8', \"delay\": True, 'n': None}"),
            Dict(vec![
                ("encoding".into(), s("utf-8")),
                ("delay".into(), Bool(true)),
                ("n".into(), None),
            ])
        );
        assert_eq!(py("['a', 'b',]"), List(vec![s("a"), s("b")]));
        assert_eq!(py("'a', 1"), Tuple(vec![s("a"), Int(1)]));
    }

    #[test]
    fn numbers_and_arithmetic() {
        assert_eq!(py("10*1024*1024"), Int(10_485_760));
        assert_eq!(py("1_000 + 2 - 3"), Int(999));
        assert_eq!(py("-7 // 2"), Int(-4));
        assert_eq!(py("-7 % 3"), Int(2));
        assert_eq!(py("7 / 2"), Float(3.5));
        assert_eq!(py("0x1F"), Int(31));
        assert_eq!(py("1.5e3"), Float(1500.0));
        assert_eq!(py(".5"), Float(0.5));
        assert_eq!(py("2 * (3 + 4)"), Int(14));
        assert_eq!(py("'ab' + 'c'"), s("abc"));
    }

    #[test]
    fn strings_with_escapes_prefixes_and_concatenation() {
        assert_eq!(py(r"'a\tb\n\x41\u00e9\101'"), s("a\tb\nA\u{e9}A"));
        assert_eq!(py(r"r'C:\logs\app.log'"), s(r"C:\logs\app.log"));
        assert_eq!(py(r"'it\'s' ' here'"), s("it's here"));
        assert_eq!(py(r"'\d'"), s(r"\d"));
        assert_eq!(py("'''tri'ple'''"), s("tri'ple"));
        assert_eq!(py("'é'"), s("é"));
    }

    #[test]
    fn refuses_what_it_cannot_read_and_says_where() {
        for (text, expect) in [
            ("open('x')", "does not call functions"),
            ("('a',", "expected a value"),
            ("('a' 'b'", "expected ',' or ')'"),
            ("'abc", "unterminated string"),
            ("{1: 2}", "keys must be strings"),
            ("{'a' 1}", "expected ':'"),
            ("1 / 0", "division by zero"),
            ("'a' * 2", "unsupported operand types"),
            ("", "expected a value"),
            ("(1) 2", "unexpected '2'"),
            ("lambda: 1", "unexpected ':'"),
            ("99999999999999999999", "invalid number"),
        ] {
            let err = ConfigValue::from_python(text).unwrap_err().to_string();
            assert!(err.contains(expect), "{text}: {err}");
            assert!(err.contains("column"), "{text}: {err}");
        }
    }

    #[test]
    fn nesting_is_bounded_even_on_a_small_stack() {
        let max = crate::limits::MAX_CONFIG_DEPTH;
        let nest =
            |open: &str, close: &str, n: usize| format!("{}1{}", open.repeat(n), close.repeat(n));
        let texts = [
            (nest("[", "]", max), true),
            (nest("(", ",)", max), true),
            (nest("{'k': ", "}", max), true),
            (nest("-", "", max), true),
            (nest("[", "]", max + 1), false),
            (nest("(", ")", 10_000), false),
            (nest("{'k': ", "}", 10_000), false),
            (nest("-+", "", 10_000), false),
        ];
        // A 256 KiB stack: the depth limit, not the stack, stops the reader.
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                for (text, ok) in &texts {
                    let got = ConfigValue::from_python(text);
                    assert_eq!(got.is_ok(), *ok, "{}…", &text[..20]);
                    if let Err(e) = got {
                        let e = e.to_string();
                        assert!(e.contains(&format!("nest deeper than {max} levels")), "{e}");
                        // The message quotes the beginning of a long literal, not all of it.
                        assert!(e.len() < 400, "{e}");
                    }
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn integer_arithmetic_never_overflows() {
        assert_eq!(py("-9223372036854775807 - 1"), Int(i64::MIN));
        assert_eq!(py("9223372036854775807 % -2"), Int(-1));
        assert_eq!(py("-9223372036854775807 // 2"), Int(-4611686018427387904));
        for text in [
            "(-9223372036854775807 - 1) // -1",
            "(-9223372036854775807 - 1) * -1",
            "-(-9223372036854775807 - 1)",
            "9223372036854775807 + 1",
        ] {
            let e = ConfigValue::from_python(text).unwrap_err().to_string();
            assert!(e.contains("integer out of range"), "{text}: {e}");
        }
        assert_eq!(py("(-9223372036854775807 - 1) % -1"), Int(0));
    }

    #[test]
    fn display_is_python_repr() {
        for text in [
            "('a', 1, 2.5, None, True)",
            "(1,)",
            "{'k': [1, 'x']}",
            "sys.stdout",
        ] {
            assert_eq!(py(text).to_string(), text);
        }
    }
}
