//! Bytes of an exported text file → normalised text.
//!
//! Old minutes systems export in whatever their Windows server liked:
//! UTF-8 with or without a BOM, UTF-16 with a BOM ("Unicode" in Notepad), or
//! Windows-1252. Line endings are CRLF, LF or CR; PDF-to-text tools put a
//! form feed at each page break.

use unicode_normalization::UnicodeNormalization;

/// Decoded text, with `\n` line endings, NFC, and no BOM.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// Set when the file was not UTF-8 (or UTF-16 with a BOM).
    pub note: Option<String>,
}

/// Why a file is not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if bytes.is_empty() {
        return Err("the file is empty".into());
    }
    let (text, note) = if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(format!(
                "the file starts with a {} byte order mark but is not {} text",
                enc.name(),
                enc.name()
            ));
        }
        (text.into_owned(), None)
    } else if looks_binary(bytes) {
        return Err("not a text file (it holds binary data)".into());
    } else {
        match std::str::from_utf8(bytes) {
            Ok(t) => (t.to_string(), None),
            Err(_) => {
                let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                (
                    text.into_owned(),
                    Some("not UTF-8: read as Windows-1252 (check æ, ø and å)".to_string()),
                )
            }
        }
    };
    let text = normalise(&text);
    if text.trim().is_empty() {
        return Err("the file holds no text".into());
    }
    Ok(Decoded { text, note })
}

/// NUL bytes, or control bytes that no text export contains.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .take(64 * 1024)
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
}

/// `\r\n` and `\r` become `\n`, a form feed (page break) a blank line,
/// tabs and no-break spaces plain spaces; text is composed (NFC) so that
/// names compare equal however they were typed.
fn normalise(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.replace('\u{c}', "\n\n");
    let text: String = text
        .chars()
        .map(|c| match c {
            '\t' | '\u{a0}' | '\u{202f}' => ' ',
            c => c,
        })
        .filter(|&c| !matches!(c, '\u{feff}' | '\u{200b}' | '\u{ad}'))
        .collect();
    text.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_crlf_are_removed() {
        let d = decode("\u{feff}Titel\r\n\r\nTekst\rMere".as_bytes()).unwrap();
        assert_eq!(d.text, "Titel\n\nTekst\nMere");
        assert!(d.note.is_none());
    }

    #[test]
    fn utf16_with_bom_is_read() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "Økonomi\r\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().text, "Økonomi\n");
    }

    #[test]
    fn windows_1252_is_read_with_a_note() {
        // "Afbud: Søren Ærø" in Windows-1252.
        let bytes = b"Afbud: S\xf8ren \xc6r\xf8";
        let d = decode(bytes).unwrap();
        assert_eq!(d.text, "Afbud: Søren Ærø");
        assert!(d.note.unwrap().contains("Windows-1252"));
    }

    #[test]
    fn decomposed_letters_are_composed() {
        let d = decode("A\u{30a}rhus".as_bytes()).unwrap();
        assert_eq!(d.text, "Århus");
    }

    #[test]
    fn empty_and_binary_files_are_refused() {
        assert_eq!(decode(b"").unwrap_err(), "the file is empty");
        assert_eq!(decode(b" \r\n\n").unwrap_err(), "the file holds no text");
        assert!(
            decode(b"%PDF-1.7\n\x00\x01\x02")
                .unwrap_err()
                .contains("binary")
        );
    }

    #[test]
    fn a_form_feed_is_a_page_break() {
        assert_eq!(decode(b"inden\x0cfor").unwrap().text, "inden\n\nfor");
    }
}
