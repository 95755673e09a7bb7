//! An INI reader with the rules of CPython's `configparser.ConfigParser` (the parser
//! `fileConfig` uses), keeping the line of every value for error messages.
//!
//! - `[section]` names are case-sensitive; option names are lowercased.
//! - `key = value` or `key: value` (the first `=` or `:` splits); whitespace around both is
//!   stripped.
//! - Whole-line comments start with `#` or `;`; there are no inline comments.
//! - A line indented deeper than its key continues the value (joined with `\n`); blank lines
//!   inside a value are kept, trailing ones dropped.
//! - `[DEFAULT]` (and the caller's defaults) supply values to every section.
//! - A repeated section or option is an error (`strict=True`).
//! - `%(name)s` interpolation, `%%` for `%`, up to 10 levels deep, when a value is read with
//!   [`Ini::get`]; [`Ini::get_raw`] reads it as written. An interpolated value is at most
//!   [`MAX_INTERPOLATED_VALUE`] bytes (CPython has no limit: ten levels of values that each
//!   refer to a few others expand to gigabytes).

use std::collections::BTreeMap;

use crate::limits::MAX_INTERPOLATED_VALUE;

/// Where a value came from: its line, 1-based (0 for the caller's defaults).
pub(crate) type Line = usize;

/// One section: option name (lowercased) → (value, line).
#[derive(Debug, Default, Clone)]
pub(crate) struct Section {
    pub(crate) line: Line,
    options: Vec<(String, String, Line)>,
}

impl Section {
    fn get(&self, key: &str) -> Option<(&str, Line)> {
        self.options
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, l)| (v.as_str(), *l))
    }
}

/// A parsed INI document.
#[derive(Debug, Default)]
pub(crate) struct Ini {
    defaults: Section,
    sections: BTreeMap<String, Section>,
}

/// A syntax error: the line and what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) line: Line,
    pub(crate) message: String,
}

/// An error reading a value: the line of the value and the reason.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ValueError {
    pub(crate) line: Line,
    pub(crate) message: String,
}

impl Ini {
    /// Parses `text`, with `defaults` as if written in `[DEFAULT]` before the file.
    pub(crate) fn parse(text: &str, defaults: &[(String, String)]) -> Result<Ini, SyntaxError> {
        let mut ini = Ini::default();
        for (k, v) in defaults {
            ini.defaults.options.push((k.to_lowercase(), v.clone(), 0));
        }
        // The section being filled: None before the first header, Some(None) for DEFAULT.
        let mut current: Option<Option<String>> = None;
        let mut seen_sections: Vec<String> = Vec::new();
        // The option whose value continuation lines extend, and its key's indentation.
        let mut open: Option<(usize, Vec<String>)> = None;
        let mut key_indent = usize::MAX;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, raw_line) in text.lines().enumerate() {
            let line_no = index + 1;
            let stripped = raw_line.trim();
            let is_comment = stripped.starts_with('#') || stripped.starts_with(';');
            if stripped.is_empty() || is_comment {
                // configparser keeps blank lines inside a value (not comment lines).
                if !is_comment {
                    if let Some((_, lines)) = &mut open {
                        lines.push(String::new());
                    }
                }
                continue;
            }
            let indent = raw_line.len() - raw_line.trim_start().len();
            if open.is_some() && indent > key_indent {
                if let Some((_, lines)) = &mut open {
                    lines.push(stripped.to_owned());
                }
                continue;
            }
            ini.close_value(&current, &mut open);
            key_indent = indent;
            if let Some(name) = stripped
                .strip_prefix('[')
                .and_then(|s| s.rfind(']').map(|end| &s[..end]))
                .filter(|n| !n.is_empty())
            {
                if name == "DEFAULT" {
                    current = Some(None);
                    continue;
                }
                if seen_sections.iter().any(|s| s == name) {
                    return Err(SyntaxError {
                        line: line_no,
                        message: format!("section [{name}] already exists"),
                    });
                }
                seen_sections.push(name.to_owned());
                ini.sections
                    .entry(name.to_owned())
                    .or_insert_with(|| Section {
                        line: line_no,
                        options: Vec::new(),
                    });
                current = Some(Some(name.to_owned()));
                continue;
            }
            let Some(section) = &current else {
                return Err(SyntaxError {
                    line: line_no,
                    message: format!(
                        "{stripped:?} comes before any [section] header (file contains no \
                         section headers)"
                    ),
                });
            };
            let Some(split) = stripped.find(['=', ':']) else {
                return Err(SyntaxError {
                    line: line_no,
                    message: format!(
                        "{stripped:?} is not `key = value`, a [section] header or a comment"
                    ),
                });
            };
            let key = stripped[..split].trim_end().to_lowercase();
            if key.is_empty() {
                return Err(SyntaxError {
                    line: line_no,
                    message: format!("{stripped:?} has no option name before the '='"),
                });
            }
            let value = stripped[split + 1..].trim_start().to_owned();
            let target = ini.section_mut(section);
            if target.options.iter().any(|(k, _, l)| *k == key && *l != 0) {
                let where_ = section.as_deref().unwrap_or("DEFAULT");
                return Err(SyntaxError {
                    line: line_no,
                    message: format!("option '{key}' in section [{where_}] already exists"),
                });
            }
            target.options.retain(|(k, _, _)| *k != key);
            target.options.push((key, String::new(), line_no));
            open = Some((target.options.len() - 1, vec![value]));
        }
        ini.close_value(&current, &mut open);
        Ok(ini)
    }

    fn section_mut(&mut self, name: &Option<String>) -> &mut Section {
        match name {
            None => &mut self.defaults,
            Some(n) => self.sections.entry(n.clone()).or_default(),
        }
    }

    fn close_value(
        &mut self,
        current: &Option<Option<String>>,
        open: &mut Option<(usize, Vec<String>)>,
    ) {
        if let (Some(section), Some((index, lines))) = (current, open.take()) {
            let joined = lines.join("\n");
            self.section_mut(section).options[index].1 = joined.trim_end().to_owned();
        }
    }

    /// The line of `[section]`'s header.
    pub(crate) fn section_line(&self, section: &str) -> Option<Line> {
        self.sections.get(section).map(|s| s.line)
    }

    /// The value of `key` in `section`, or from the defaults, as written.
    pub(crate) fn get_raw(&self, section: &str, key: &str) -> Option<(&str, Line)> {
        self.sections
            .get(section)
            .and_then(|s| s.get(key))
            .or_else(|| self.defaults.get(key))
    }

    /// The value of `key` in `section` with `%(name)s` references replaced.
    pub(crate) fn get(
        &self,
        section: &str,
        key: &str,
    ) -> Option<Result<(String, Line), ValueError>> {
        let (raw, line) = self.get_raw(section, key)?;
        let mut out = String::new();
        Some(
            self.interpolate(section, key, raw, &mut out, 1)
                .map(|()| (out, line))
                .map_err(|message| ValueError { line, message }),
        )
    }

    fn interpolate(
        &self,
        section: &str,
        key: &str,
        mut rest: &str,
        out: &mut String,
        depth: usize,
    ) -> Result<(), String> {
        if depth > 10 {
            return Err(format!(
                "'{key}' in [{section}]: value references nest more than 10 levels deep \
                 (a reference loop?)"
            ));
        }
        while let Some(p) = rest.find('%') {
            out.push_str(&rest[..p]);
            rest = &rest[p..];
            if let Some(after) = rest.strip_prefix("%%") {
                out.push('%');
                rest = after;
            } else if let Some(after) = rest.strip_prefix("%(") {
                let reference = after
                    .find(')')
                    .filter(|&end| end > 0 && after[end + 1..].starts_with('s'));
                let Some(end) = reference else {
                    return Err(format!(
                        "bad interpolation variable reference {rest:?} (write `%(name)s`, or \
                         `%%` for a literal '%')"
                    ));
                };
                let name = after[..end].to_lowercase();
                rest = &after[end + 2..];
                let Some((value, _)) = self.get_raw(section, &name) else {
                    return Err(format!(
                        "'{key}' refers to '%({name})s', but there is no option '{name}' in \
                         [{section}] or [DEFAULT]"
                    ));
                };
                if value.contains('%') {
                    self.interpolate(section, &name, value, out, depth + 1)?;
                } else {
                    out.push_str(value);
                }
                if out.len() > MAX_INTERPOLATED_VALUE {
                    return Err(format!(
                        "'{key}' in [{section}]: the value grows beyond {MAX_INTERPOLATED_VALUE} \
                         bytes as its references are replaced (logkit's maximum)"
                    ));
                }
            } else {
                return Err(format!(
                    "'%' must be followed by '%' or '(', found: {rest:?} (write `%%` for a \
                     literal '%')"
                ));
            }
        }
        out.push_str(rest);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ini(text: &str) -> Ini {
        Ini::parse(text, &[]).unwrap()
    }

    #[test]
    fn keys_values_comments_and_continuations() {
        let i = ini(
            "# comment\n[s]\nKey = value \n; other\nb: x = y\nc=\n  more\n\n  lines\n\nd=1 ; not a comment\n",
        );
        assert_eq!(i.get_raw("s", "key"), Some(("value", 3)));
        assert_eq!(i.get_raw("s", "b"), Some(("x = y", 5)));
        assert_eq!(i.get_raw("s", "c"), Some(("\nmore\n\nlines", 6)));
        assert_eq!(i.get_raw("s", "d"), Some(("1 ; not a comment", 11)));
        assert_eq!(i.section_line("S"), None);
        assert_eq!(i.section_line("s"), Some(2));
    }

    #[test]
    fn defaults_and_interpolation() {
        let defaults = vec![("LogDir".to_owned(), "/var/log".to_owned())];
        let i = Ini::parse(
            "[DEFAULT]\nname=app\n[h]\nargs=('%(logdir)s/%(name)s.log', 'a')\npct=100%%\nfmt=%(asctime)s\nbad=50%.log\nloop=%(loop)s\n",
            &defaults,
        )
        .unwrap();
        assert_eq!(
            i.get("h", "args").unwrap().unwrap().0,
            "('/var/log/app.log', 'a')"
        );
        assert_eq!(i.get("h", "pct").unwrap().unwrap().0, "100%");
        assert_eq!(i.get_raw("h", "fmt").unwrap().0, "%(asctime)s");
        let e = i.get("h", "fmt").unwrap().unwrap_err();
        assert!(e.message.contains("no option 'asctime'"), "{e:?}");
        let e = i.get("h", "bad").unwrap().unwrap_err();
        assert!(e.message.contains("'%' must be followed by"), "{e:?}");
        assert_eq!(e.line, 7);
        let e = i.get("h", "loop").unwrap().unwrap_err();
        assert!(e.message.contains("more than 10 levels"), "{e:?}");
        assert_eq!(i.get_raw("other", "name"), Some(("app", 2)));
    }

    #[test]
    fn an_interpolated_value_cannot_grow_without_bound() {
        // Each level refers ten times to the one below: a gigabyte if nothing stopped it.
        let mut text = String::from("[DEFAULT]\na0=xxxxxxxxxx\n");
        for level in 1..=8 {
            let refs = format!("%(a{})s", level - 1).repeat(10);
            text.push_str(&format!("a{level}={refs}\n"));
        }
        text.push_str("[s]\nv=%(a8)s\nsmall=%(a4)s\n");
        let i = ini(&text);
        assert_eq!(i.get("s", "small").unwrap().unwrap().0.len(), 100_000);
        let e = i.get("s", "v").unwrap().unwrap_err();
        assert!(e.message.contains("grows beyond 1048576 bytes"), "{e:?}");
    }

    #[test]
    fn syntax_errors_name_the_line() {
        for (text, line, expect) in [
            ("key=1\n", 1, "before any [section]"),
            ("[a]\nx=1\n[a]\n", 3, "section [a] already exists"),
            (
                "[a]\nx=1\nX=2\n",
                3,
                "option 'x' in section [a] already exists",
            ),
            ("[a]\njust words\n", 2, "is not `key = value`"),
            ("[a]\n=1\n", 2, "no option name"),
        ] {
            let e = Ini::parse(text, &[]).unwrap_err();
            assert_eq!(e.line, line, "{text}");
            assert!(e.message.contains(expect), "{text}: {}", e.message);
        }
    }
}
