//! Escaping for XML (Atom, sitemaps) and the HTML inside feed entries.

/// Escapes text for XML element content and attribute values, dropping
/// characters XML 1.0 does not allow at all (most C0 controls, U+FFFE/F),
/// which would make the whole document unreadable for a strict parser.
pub fn escape(s: &str) -> String {
    crate::escape::replace_chars(s, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        '\t' | '\n' | '\r' => None,
        c if allowed(c) => None,
        _ => Some(""),
    })
}

fn allowed(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape("a & b <c> \"d\" 'e'\u{1}\u{b}\tf\u{fffe}"),
            "a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39;\tf"
        );
        assert_eq!(escape("Ærø – Ø"), "Ærø – Ø");
    }
}
