//! Escaping text for the formats the site is written in: one pass that
//! copies the runs between the characters to replace whole, since every
//! value of every page, feed and export goes through here.

/// `s` with each character for which `replace` gives a replacement
/// replaced by it (an empty one drops the character).
pub fn replace_chars(s: &str, replace: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut plain = 0;
    for (i, c) in s.char_indices() {
        if let Some(replacement) = replace(c) {
            out.push_str(&s[plain..i]);
            out.push_str(replacement);
            plain = i + c.len_utf8();
        }
    }
    out.push_str(&s[plain..]);
    out
}

/// Text for HTML element content and quoted attribute values. Tera calls
/// this for every value on every page, so it works on bytes: the five
/// special characters are ASCII and never part of a multi-byte one.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    html_pieces(s, |piece| out.push_str(piece));
    out
}

/// [`html`] written into `out`: how Tera writes `{{ value }}`, with no
/// string made for it first.
pub fn html_into(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    html_pieces(s, |piece| {
        if result.is_ok() {
            result = out.write_all(piece.as_bytes());
        }
    });
    result
}

/// The pieces of `s` escaped for HTML, in order: runs of plain text and
/// entities.
fn html_pieces<'s>(s: &'s str, mut piece: impl FnMut(&'s str)) {
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        if plain < i {
            piece(&s[plain..i]);
        }
        piece(entity);
        plain = i + 1;
    }
    if plain < s.len() {
        piece(&s[plain..]);
    }
}

/// JSON text made safe between `<script>` tags: `<`, `>` and `&` (which
/// could close the element or start markup) and U+2028, U+2029 (line ends
/// to older JavaScript) as `\u` escapes, which JSON reads as the same
/// characters. Every meeting and item page has such a block, so this works
/// on bytes like [`html`]; U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
pub fn json_in_script(s: &str) -> String {
    let bytes = s.as_bytes();
    // Most hold none of them: three vectorised scans tell.
    if memchr::memchr3(b'<', b'>', b'&', bytes).is_none()
        && memchr::memmem::find(bytes, "\u{2028}".as_bytes()).is_none()
        && memchr::memmem::find(bytes, "\u{2029}".as_bytes()).is_none()
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut plain = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let (replacement, len) = match b {
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0xE2 if bytes[i + 1..].starts_with(&[0x80, 0xA8]) => ("\\u2028", 3),
            0xE2 if bytes[i + 1..].starts_with(&[0x80, 0xA9]) => ("\\u2029", 3),
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        out.push_str(replacement);
        plain = i + len;
    }
    out.push_str(&s[plain..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_script_escapes_what_could_end_the_script() {
        let s = "Æble </script> & \u{2028}ø\u{2029} \u{2027}\u{202a} – ok";
        let expected = replace_chars(s, |c| match c {
            '<' => Some("\\u003c"),
            '>' => Some("\\u003e"),
            '&' => Some("\\u0026"),
            '\u{2028}' => Some("\\u2028"),
            '\u{2029}' => Some("\\u2029"),
            _ => None,
        });
        assert_eq!(json_in_script(s), expected);
        assert_eq!(json_in_script(""), "");
        assert_eq!(json_in_script("\u{2029}"), "\\u2029");
        // Each alone, and none.
        assert_eq!(json_in_script("a\u{2028}"), "a\\u2028");
        assert_eq!(json_in_script("a>"), "a\\u003e");
        assert_eq!(json_in_script("Møde – \u{2027}"), "Møde – \u{2027}");
    }

    #[test]
    fn html_escapes_the_five_special_characters_and_keeps_the_rest() {
        assert_eq!(
            html(r#"Æbler & <b>"pærer"</b> 'ø'"#),
            "Æbler &amp; &lt;b&gt;&quot;pærer&quot;&lt;/b&gt; &#39;ø&#39;"
        );
        assert_eq!(html(""), "");
        assert_eq!(html("åben"), "åben");
        assert_eq!(html("<"), "&lt;");
        assert_eq!(html("O'Brien \"x\""), "O&#39;Brien &quot;x&quot;");
    }

    #[test]
    fn html_into_writes_what_html_returns() {
        for s in [
            "",
            "<",
            "a&b",
            "Æbler & <b>\"pærer\"</b> 'ø'",
            "&&",
            "plain text",
        ] {
            let mut out = Vec::new();
            html_into(s, &mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), html(s), "{s:?}");
        }
    }

    #[test]
    fn an_empty_replacement_drops_the_character() {
        assert_eq!(
            replace_chars("a\u{0}bø", |c| (c == '\u{0}').then_some("")),
            "abø"
        );
    }
}
