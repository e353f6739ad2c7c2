//! Tera's errors as `path:line: message`, like every other problem.
//!
//! Tera parses with positions but renders without them, so the line of a
//! render error is found again in the templates' text: the first tag that
//! uses the variable, filter, function, test or template that failed,
//! looked for first in the templates Tera names and those they extend.

use std::collections::BTreeMap;

use regex::Regex;
use tera::ErrorKind;

use crate::error::{BuildError, Diagnostic};

/// Every template's file (as shown to the user) and text, by its name.
pub struct TemplateSources(BTreeMap<String, (String, String)>);

impl TemplateSources {
    pub fn new(by_name: BTreeMap<String, (String, String)>) -> TemplateSources {
        TemplateSources(by_name)
    }

    /// Every template's name and text, for Tera.
    pub fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(n, (_, text))| (n.as_str(), text.as_str()))
    }

    /// `e` as a problem of the build.
    pub fn error(&self, e: &tera::Error) -> BuildError {
        BuildError::Content(vec![self.diagnostic(e)])
    }

    /// `e`, tied to the template file and line it most likely comes from.
    fn diagnostic(&self, e: &tera::Error) -> Diagnostic {
        let chain = chain(e);
        let outer = chain[0].as_str();
        let parsed = quoted_after(outer, "Failed to parse '");
        if let Some(name) = parsed
            && let Some(d) = self.parse_error(name, &chain[1..])
        {
            return d;
        }
        let (rendered, message) = match quoted_after(outer, "Failed to render '") {
            // Tera's outer message only names the page's template again.
            Some(name) if chain.len() > 1 => (Some(name), chain[1..].join(": ")),
            name => (name, chain.join(": ")),
        };
        // Nor which page was rendered: the same mistake in base.html is
        // then one problem, not one per page type.
        let message = match message.split_once(" while rendering '") {
            Some((before, after)) => {
                before.to_string() + after.split_once('\'').map_or("", |(_, rest)| rest)
            }
            None => message,
        };
        let subject = subject(e);
        // Where Tera says the error happened: the template it names, a
        // parent, or a macro's file.
        let mut first: Vec<&str> = Vec::new();
        first.extend(parsed);
        first.extend(subject.as_ref().and_then(|(named, _)| *named));
        if let Some(parent) = quoted_after(outer, "(error happened in '") {
            first.push(parent);
        }
        if let Some(m) = between(outer, "error while rendering macro `", "`")
            && let Some((_, name)) = m.split_once("::")
        {
            let definition = format!("macro {name}(");
            first.extend(
                self.0
                    .iter()
                    .filter(|(_, (_, text))| text.contains(&definition))
                    .map(|(n, _)| n.as_str()),
            );
        }
        first.extend(rendered);
        // Tera names a parent only for some errors in it; the page's own
        // parents come before the other templates.
        let mut i = 0;
        while let Some(name) = first.get(i) {
            if let Some(parent) = self.parent(name)
                && !first.contains(&parent)
            {
                first.push(parent);
            }
            i += 1;
        }
        let located = subject.and_then(|(_, pattern)| self.find(&first, &pattern));
        let (name, line) = match located {
            Some(found) => found,
            None => (first.first().copied().unwrap_or_default(), 0),
        };
        Diagnostic::new(self.file(name), line, message.replace('\n', " "))
    }

    /// A syntax error: pest's ` --> line:column` and `= expected …`; or
    /// a block or macro defined twice, at its second definition.
    fn parse_error(&self, name: &str, causes: &[String]) -> Option<Diagnostic> {
        let text = causes.join("\n");
        if let Some(d) = self.duplicate(name, &text) {
            return Some(d);
        }
        let (line, column) = between(&text, "--> ", "\n")?.trim().split_once(':')?;
        // `  = expected …`, indented as wide as the line number.
        let expected = text
            .lines()
            .find_map(|l| l.trim_start().strip_prefix("= "))
            .unwrap_or(&text);
        Some(Diagnostic::new(
            self.file(name),
            line.parse().ok()?,
            format!("column {column}: {}", expected.replace('\n', " ")),
        ))
    }

    /// "Block `x` is duplicated", "Macro `x` is duplicated": Tera gives
    /// no line, and the mistake is the second definition, not the first.
    fn duplicate(&self, name: &str, text: &str) -> Option<Diagnostic> {
        let (kind, rest) = text.split_once(" `")?;
        let (defined, tail) = rest.split_once('`')?;
        if tail.trim() != "is duplicated" {
            return None;
        }
        let tag = match kind.trim() {
            "Block" => format!(r"\{{%-?\s*block\s+{}\s*-?%\}}", regex::escape(defined)),
            "Macro" => format!(r"\{{%-?\s*macro\s+{}\s*\(", regex::escape(defined)),
            _ => return None,
        };
        let tag = Regex::new(&tag).ok()?;
        let (_, source) = self.0.get(name)?;
        // A definition in a comment is none: blanked, keeping its lines.
        let comments = Regex::new(r"(?s)\{#.*?#\}").ok()?;
        let source = comments.replace_all(source, |c: &regex::Captures| {
            "\n".repeat(c[0].matches('\n').count())
        });
        let line = source
            .lines()
            .enumerate()
            .flat_map(|(n, l)| tag.find_iter(l).map(move |_| n + 1))
            .nth(1)?;
        Some(Diagnostic::new(
            self.file(name),
            line,
            text.replace('\n', " "),
        ))
    }

    /// The first template of `first`, then of all, and the first line in
    /// it with a tag that `pattern` matches: a use outside `{% if %}`
    /// rather than a guard (an unknown variable there is only false).
    fn find<'a>(&'a self, first: &[&'a str], pattern: &Regex) -> Option<(&'a str, usize)> {
        let tag = Regex::new(r"\{\{.*?\}\}|\{%.*?%\}").expect("a valid pattern");
        let guard = Regex::new(r"^\{%-?\s*(el)?if\b").expect("a valid pattern");
        let uses = |line: &str, guards: bool| {
            tag.find_iter(line)
                .any(|t| pattern.is_match(t.as_str()) && guards == guard.is_match(t.as_str()))
        };
        let templates = || {
            first
                .iter()
                .copied()
                .chain(self.0.keys().map(String::as_str))
        };
        [false, true].into_iter().find_map(|guards| {
            templates().find_map(|name| {
                let (_, text) = self.0.get(name)?;
                let line = text.lines().position(|l| uses(l, guards))?;
                Some((name, line + 1))
            })
        })
    }

    /// The template that `name` extends, if any.
    fn parent(&self, name: &str) -> Option<&str> {
        let (_, text) = self.0.get(name)?;
        let extends = Regex::new(r#"\{%-?\s*extends\s+["']([^"']+)["']"#).expect("a valid pattern");
        let parent = extends.captures(text)?.get(1)?.as_str();
        self.0.get_key_value(parent).map(|(k, _)| k.as_str())
    }

    fn file(&self, name: &str) -> String {
        match self.0.get(name) {
            Some((file, _)) => file.clone(),
            None if name.is_empty() => "templates".to_string(),
            None => format!("templates/{name}"),
        }
    }
}

/// The error's message and its causes', outermost first.
fn chain(e: &tera::Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        out.push(c.to_string());
        cause = c.source();
    }
    out
}

/// What failed, as the template's text names it, and the template the
/// error names, if any: from the outermost error that says (a filter call
/// rather than the argument inside it).
fn subject(e: &tera::Error) -> Option<(Option<&str>, Regex)> {
    let quoted = |name: &str| format!(r#"["']{}["']"#, regex::escape(name));
    let mut error: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = error {
        if let Some(e) = err.downcast_ref::<tera::Error>() {
            let found = match &e.kind {
                ErrorKind::CallFilter(f) | ErrorKind::FilterNotFound(f) => {
                    Some((None, format!(r"\|\s*{}\b", regex::escape(f))))
                }
                ErrorKind::CallFunction(f) | ErrorKind::FunctionNotFound(f) => {
                    Some((None, format!(r"\b{}\s*\(", regex::escape(f))))
                }
                ErrorKind::CallTest(t) | ErrorKind::TestNotFound(t) => {
                    Some((None, format!(r"\bis\s+(not\s+)?{}\b", regex::escape(t))))
                }
                // An include names its templates as `[a.html, b.html]`.
                ErrorKind::TemplateNotFound(t) => {
                    let t = t.trim_start_matches('[').trim_end_matches(']');
                    Some((None, quoted(t.split(", ").next().unwrap_or(t))))
                }
                ErrorKind::MissingParent { current, parent } => {
                    Some((Some(current.as_str()), quoted(parent)))
                }
                ErrorKind::CircularExtend { tpl, .. } => {
                    Some((Some(tpl.as_str()), r"\{%-?\s*extends\b".to_string()))
                }
                // "Template `a.html` loads macros from `b.html` which isn't
                // present in Tera"
                ErrorKind::Msg(m) if m.contains("loads macros from") => {
                    let mut names = m.split('`').skip(1).step_by(2);
                    let (Some(from), Some(missing)) = (names.next(), names.next()) else {
                        return None;
                    };
                    Some((Some(from), quoted(missing)))
                }
                // "Variable `meeting.titel` not found in context …"; not
                // Tera's "Failed to render …" around it.
                ErrorKind::Msg(m) if !m.starts_with("Failed to ") => between(m, "`", "`")
                    .filter(|v| !v.is_empty())
                    .map(|v| (None, format!(r"(^|[^\w.]){}($|[^\w])", regex::escape(v)))),
                _ => None,
            };
            if let Some((named, pattern)) = found {
                return Some((named, Regex::new(&pattern).ok()?));
            }
        }
        error = err.source();
    }
    None
}

/// The text between `start` and the next `end` in `s`.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let (_, rest) = s.split_once(start)?;
    Some(rest.split_once(end)?.0)
}

/// The name quoted with `'` right after `start`.
fn quoted_after<'a>(s: &'a str, start: &str) -> Option<&'a str> {
    between(s, start, "'")
}
