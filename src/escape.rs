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
        out.push_str(&s[plain..i]);
        out.push_str(entity);
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn an_empty_replacement_drops_the_character() {
        assert_eq!(
            replace_chars("a\u{0}bø", |c| (c == '\u{0}').then_some("")),
            "abø"
        );
    }
}
