//! TOML parsing that reports errors as `path:line: message`.

use std::path::Path;

use serde::de::{self, DeserializeOwned, Visitor};

use crate::error::{Diagnostic, line_of};

/// Parses `text` (which starts on line `first_line` of `path`) into `T`.
/// Unknown keys are rejected by `T`'s `deny_unknown_fields`.
///
/// serde stops at the first problem. So that a user sees every mistake in
/// one run, the line of a key with a problem (unknown, or a value of the
/// wrong type) is blanked and the text read again, and the unknown
/// top-level keys are all named.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
) -> Result<T, Vec<Diagnostic>> {
    match parse_all(path, text, first_line) {
        (Some(value), problems) if problems.is_empty() => Ok(value),
        (_, problems) => Err(problems),
    }
}

/// Like [`parse`], but also the value read once the lines with problems
/// were blanked, if it could be read: its other fields can still be
/// checked in the same run (a bad time beside an unknown key).
pub fn parse_all<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
) -> (Option<T>, Vec<Diagnostic>) {
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut current = std::borrow::Cow::Borrowed(text);
    // Keys whose lines were blanked: their "missing field" is no news.
    let mut blanked: Vec<String> = Vec::new();
    let mut value = None;
    loop {
        let e = match toml::from_str::<T>(&current) {
            Ok(v) => {
                value = Some(v);
                break;
            }
            Err(e) => e,
        };
        let line = e.span().map(|s| line_of(&current, s.start)).unwrap_or(1);
        let message = e.message().trim().replace('\n', " ");
        if blanked
            .iter()
            .any(|k| message == format!("missing field `{k}`"))
        {
            break;
        }
        let key = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next())
            .map(str::to_string)
            .or_else(|| key_of_line(&current, line));
        let message = match &key {
            Some(k) if !message.contains(&format!("`{k}`")) => explain(k, &message),
            _ => message,
        };
        problems.push(Diagnostic::new(path, line + first_line - 1, message));
        match key.and_then(|k| blank_key_line(&current, line, &k).map(|next| (k, next))) {
            Some((k, next)) => {
                blanked.push(k);
                current = next.into();
            }
            None => break,
        }
    }
    if problems.is_empty() {
        // Read at the first try: no key is unknown.
        return (value, problems);
    }
    let fields = fields_of::<T>();
    if let (Ok(table), false) = (text.parse::<toml::Table>(), fields.is_empty()) {
        for key in table.keys().filter(|k| !fields.contains(&k.as_str())) {
            let line = line_of_key(text, key, first_line);
            let named = format!("`{key}`");
            if !problems
                .iter()
                .any(|p| p.line == line && p.message.contains(&named))
            {
                let expected: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
                problems.push(Diagnostic::new(
                    path,
                    line,
                    format!(
                        "unknown field {named}, expected one of {}",
                        expected.join(", ")
                    ),
                ));
            }
        }
    }
    problems.sort();
    (value, problems)
}

/// Whether a problem of [`parse_all`] is about `key`'s value: a check of
/// the blanked key's absence would only say it again.
pub fn reported(problems: &[Diagnostic], key: &str) -> bool {
    let (about, starts) = (format!(", for `{key}`"), format!("`{key}` "));
    problems
        .iter()
        .any(|p| p.message.ends_with(&about) || p.message.starts_with(&starts))
}

/// The key of `line` (1-based) when it is `key = value`.
fn key_of_line(text: &str, line: usize) -> Option<String> {
    let (key, _) = text.lines().nth(line.checked_sub(1)?)?.split_once('=')?;
    let key = key.trim().trim_matches('"');
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    bare.then(|| key.to_string())
}

/// serde's message about the value of `key`, naming the key. TOML
/// reads an unquoted `09:00:00` or `2024-11-15` as a date or time, which
/// serde calls a "map": the fix is quotes.
fn explain(key: &str, message: &str) -> String {
    if message.starts_with("invalid type: map") && message.contains("expected a string") {
        format!(
            "`{key}` must be written in quotes, as in {key} = \"09:00\": unquoted, TOML reads a date or time"
        )
    } else {
        format!("{message}, for `{key}`")
    }
}

/// `text` with its `line` (1-based) left empty, when that line is a whole
/// `key = value` on its own: blanking part of a longer value would only
/// make a new error.
fn blank_key_line(text: &str, line: usize, key: &str) -> Option<String> {
    let target = text.lines().nth(line - 1)?;
    let starts_with_key = target
        .trim_start()
        .strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with('='));
    if !starts_with_key || target.parse::<toml::Table>().is_err() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            out.push_str(if l.ends_with('\n') { "\n" } else { "" });
        } else {
            out.push_str(l);
        }
    }
    Some(out)
}

/// The field names of a struct that derives `Deserialize`: serde hands
/// them to the deserializer, which this one keeps and then gives up.
fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Probe<'a>(&'a mut &'static [&'static str]);
    impl<'de> de::Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("probed"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

/// Finds the line of `key = ...` in a TOML text, for errors found after
/// parsing (an impossible date, a missing file). Falls back to line 1.
pub fn line_of_key(text: &str, key: &str, first_line: usize) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            // `key = …`, or a table's header: `[key]`, `[[key]]`, `[key.sub]`.
            let header = l.trim_start_matches('[').trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
                || (l.starts_with('[')
                    && header
                        .strip_prefix(key)
                        .is_some_and(|rest| rest.trim_start().starts_with([']', '.'])))
        })
        .map(|i| i + first_line)
        .unwrap_or(first_line)
}

/// The line on which the string `value` is first written, quoted as TOML
/// writes it (`"..\\x.pdf"` or `'..\x.pdf'`), for errors inside arrays
/// (one attachment of several).
pub fn line_of_value(text: &str, value: &str, first_line: usize) -> Option<usize> {
    let basic = format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""));
    let literal = format!("'{value}'");
    text.lines()
        .position(|l| l.contains(&basic) || l.contains(&literal))
        .map(|i| i + first_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Raw {
        title: String,
        closed: Option<bool>,
    }

    #[test]
    fn every_unknown_key_is_reported_beside_the_first_error() {
        let text = "title = \"x\"\nclosed = \"ja\"\nfoo = 1\nbar = 2\n";
        let problems = parse::<Raw>(Path::new("x.md"), text, 2).unwrap_err();
        let shown: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[0].starts_with("x.md:3: invalid type"), "{shown:?}");
        assert!(
            shown[1].starts_with("x.md:4: unknown field `foo`"),
            "{shown:?}"
        );
        assert!(
            shown[2].starts_with("x.md:5: unknown field `bar`"),
            "{shown:?}"
        );
    }

    #[test]
    fn an_unknown_key_is_reported_once() {
        let problems = parse::<Raw>(Path::new("x"), "title = \"x\"\nfoo = 1\n", 1).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 2);
    }
}
