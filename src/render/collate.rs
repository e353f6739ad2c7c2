//! Danish alphabetical order: … x y z æ ø å, with "aa" as "å" and accents
//! sorted with their base letter. Byte order and most generators get this
//! wrong, and citizens notice.

use std::cmp::Ordering;

fn weight(c: char) -> u32 {
    match c {
        '0'..='9' => 100 + (c as u32 - '0' as u32),
        'a'..='z' => 200 + (c as u32 - 'a' as u32),
        'æ' | 'ä' => 226,
        'ø' | 'ö' => 227,
        'å' => 228,
        'á' | 'à' | 'â' => 200,
        'é' | 'è' | 'ê' | 'ë' => 204,
        'í' | 'ì' | 'î' | 'ï' => 208,
        'ó' | 'ò' | 'ô' => 214,
        'ú' | 'ù' | 'û' => 220,
        'ü' | 'ý' | 'ÿ' => 224,
        c if c.is_whitespace() || c.is_ascii_punctuation() => 10,
        c => 1000 + c as u32,
    }
}

/// The sort key of a string in Danish order.
pub fn key(s: &str) -> Vec<u32> {
    let lower: Vec<char> = s.to_lowercase().chars().collect();
    let mut out = Vec::with_capacity(lower.len());
    let mut i = 0;
    while i < lower.len() {
        if lower[i] == 'a' && lower.get(i + 1) == Some(&'a') {
            out.push(weight('å'));
            i += 2;
        } else {
            out.push(weight(lower[i]));
            i += 1;
        }
    }
    out
}

/// Compares two strings in Danish order; ties broken by the plain strings
/// so that sorting is total and stable.
pub fn cmp(a: &str, b: &str) -> Ordering {
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_letters_come_after_z() {
        let mut v = vec![
            "Åben",
            "Ørum",
            "Ærø",
            "Zebra",
            "Aarhus",
            "Auning",
            "Borgerservice",
            "ældre",
        ];
        v.sort_by(|a, b| cmp(a, b));
        assert_eq!(
            v,
            [
                "Auning",
                "Borgerservice",
                "Zebra",
                "ældre",
                "Ærø",
                "Ørum",
                "Åben",
                "Aarhus"
            ]
        );
    }
}
