//! Names: URL slugs from Danish titles, name comparison, and the order in
//! which a folder's files are imported.

use std::cmp::Ordering;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A URL-safe slug: lowercase ASCII, `æ`→`ae`, `ø`→`oe`, `å`→`aa`, other
/// accents dropped, everything else `-`. At most `max` bytes, cut at a `-`.
pub fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.nfc().flat_map(|c| c.to_lowercase()) {
        match c {
            'æ' | 'ä' => out.push_str("ae"),
            'ø' | 'ö' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            c => {
                // é → e, and so on; anything else separates words.
                let base: String = c.nfd().filter(|&d| !is_combining_mark(d)).collect();
                if base.len() == 1 && base.chars().all(|b| b.is_ascii_alphanumeric()) {
                    out.push_str(&base);
                } else {
                    out.push('-');
                }
            }
        }
    }
    let mut slug = String::with_capacity(out.len());
    for part in out.split('-').filter(|p| !p.is_empty()) {
        if !slug.is_empty() && slug.len() + 1 + part.len() > max {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(part);
    }
    slug.truncate(max);
    slug
}

/// A key under which two spellings of one name are equal: case, spacing,
/// composed or decomposed letters, and the old spelling `aa` for `å`.
pub fn name_key(s: &str) -> String {
    let lower: String = s.nfc().flat_map(|c| c.to_lowercase()).collect();
    lower
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("aa", "å")
}

/// Compares file names so that `2 x.txt` comes before `10 x.txt`: exports
/// number their items without leading zeros.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    // `2` and `02` are equal by value; the plain order then keeps it total.
    natural_only(a, b).then_with(|| a.cmp(b))
}

fn natural_only(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.is_empty(), b.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let da = a.len() - a.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let db = b.len() - b.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let ord = if da > 0 && db > 0 {
            let (na, nb) = (
                a[..da].trim_start_matches('0'),
                b[..db].trim_start_matches('0'),
            );
            let o = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
            a = &a[da..];
            b = &b[db..];
            o
        } else {
            let ca = a.chars().next().unwrap();
            let cb = b.chars().next().unwrap();
            a = &a[ca.len_utf8()..];
            b = &b[cb.len_utf8()..];
            ca.cmp(&cb)
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_spell_danish_letters_out() {
        assert_eq!(
            slug("Frisættelse og professionelt aktørskab", 60),
            "frisaettelse-og-professionelt-aktoerskab"
        );
        assert_eq!(
            slug("Børne- og Ungdomsudvalget", 60),
            "boerne-og-ungdomsudvalget"
        );
        assert_eq!(
            slug("Årsregnskab 2024 – café", 60),
            "aarsregnskab-2024-cafe"
        );
        assert_eq!(slug("  !!  ", 60), "");
        assert_eq!(slug("Lang titel med mange ord", 14), "lang-titel-med");
        assert_eq!(slug("Abcdefghijklmnop", 5), "abcde");
    }

    #[test]
    fn names_compare_without_case_or_old_spelling() {
        assert_eq!(name_key("HovedUdvalget "), name_key("hovedudvalget"));
        assert_eq!(name_key("Aarhus  Byråd"), name_key("århus byråd"));
        assert_eq!(name_key("ØKONOMIUDVALGET"), name_key("Økonomiudvalget"));
        assert_ne!(name_key("Hovedudvalget"), name_key("Økonomiudvalget"));
    }

    #[test]
    fn numbers_in_file_names_sort_by_value() {
        let mut v = vec!["10 b.txt", "2 a.txt", "1 c.txt", "02 d.txt", "a.txt"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["1 c.txt", "2 a.txt", "02 d.txt", "10 b.txt", "a.txt"]);
    }
}
