//! TOML parsing that reports errors as `path:line: message`.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, line_of};

/// Parses `text` (which starts on line `first_line` of `path`) into `T`.
/// Unknown keys are rejected by `T`'s `deny_unknown_fields`.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        let message = e.message().trim().replace('\n', " ");
        Diagnostic::new(path, line + first_line - 1, message)
    })
}

/// Finds the line of `key = ...` in a TOML text, for errors found after
/// parsing (an impossible date, a missing file). Falls back to line 1.
pub fn line_of_key(text: &str, key: &str, first_line: usize) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + first_line)
        .unwrap_or(first_line)
}

/// Finds the line on which `needle` first appears after `key = `, for
/// errors inside arrays (one attachment of several).
pub fn line_of_value(text: &str, needle: &str, first_line: usize) -> Option<usize> {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + first_line)
}
