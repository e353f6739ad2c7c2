//! Absolute URLs of published files, for places that are read outside the
//! site (feeds, calendars, the sitemap, structured data, OParl): they need
//! the full `base_url` and a strictly ASCII, percent-encoded path, because
//! folder names may hold æ, ø, å or spaces.

use crate::config::Config;

/// Percent-encodes a site-relative path, keeping `/` and RFC 3986's
/// unreserved characters.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `%C3%B8` → `ø`; `None` when the bytes are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// A site-relative path as it goes into a link on the site's own pages:
/// the ASCII characters that would end the path, start a query or a
/// fragment, or break the attribute ("Bilag #3.pdf", "100%.pdf") are
/// percent-encoded; letters beyond ASCII stay as they are, since browsers
/// encode them as UTF-8 themselves and the page source stays readable.
pub fn href_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    push_href_path(&mut out, path);
    out
}

/// [`href_path`] appended to `out`. Every link of every page comes here,
/// so it copies the runs between characters to encode whole; they are all
/// ASCII and never part of a multi-byte character.
pub fn push_href_path(out: &mut String, path: &str) {
    let mut plain = 0;
    for (i, b) in path.bytes().enumerate() {
        if matches!(
            b,
            0..=b' '
                | 0x7f
                | b'"'
                | b'#'
                | b'%'
                | b'<'
                | b'>'
                | b'?'
                | b'['
                | b'\\'
                | b']'
                | b'^'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
        ) {
            out.push_str(&path[plain..i]);
            out.push_str(&format!("%{b:02X}"));
            plain = i + 1;
        }
    }
    out.push_str(&path[plain..]);
}

/// Builds absolute URLs from the site's base URL.
#[derive(Debug, Clone)]
pub struct SiteUrls {
    /// Without a trailing slash.
    base: String,
}

impl SiteUrls {
    pub fn new(config: &Config) -> SiteUrls {
        SiteUrls {
            base: config.base_url.trim_end_matches('/').to_string(),
        }
    }

    /// `path` is site-relative, as the sink gets it (`hovedudvalget/2024-11-15/`).
    pub fn abs(&self, path: &str) -> String {
        format!("{}/{}", self.base, encode_path(path))
    }

    /// The same URL with the `webcal://` scheme that calendar apps register
    /// for, so that a click subscribes instead of downloading once.
    pub fn webcal(&self, path: &str) -> String {
        let abs = self.abs(path);
        match abs.split_once("://") {
            Some((_, rest)) => format!("webcal://{rest}"),
            None => abs,
        }
    }

    /// The host name, for tag URIs and calendar UIDs.
    pub fn host(&self) -> &str {
        let rest = self.base.split_once("://").map_or("", |(_, r)| r);
        let authority = rest.split('/').next().unwrap_or("");
        let host = authority.rsplit('@').next().unwrap_or(authority);
        host.split(':').next().unwrap_or(host)
    }

    /// The path part of the base URL without slashes at the ends: `referater`
    /// for `https://x.dk/referater`, empty for a site at the host's root.
    pub fn base_path(&self) -> &str {
        let rest = self.base.split_once("://").map_or("", |(_, r)| r);
        rest.find('/').map_or("", |i| rest[i..].trim_matches('/'))
    }

    /// A tag URI (RFC 4151) naming `what` at a site path: stable across
    /// rebuilds and independent of the interface language. `date` is the
    /// day the thing is about (a meeting's date).
    pub fn tag(&self, date: chrono::NaiveDate, path: &str, what: &str) -> String {
        let prefix = match self.base_path() {
            "" => String::new(),
            p => format!("{p}/"),
        };
        format!(
            "tag:{},{}:{}{}{}",
            self.host(),
            date.format("%Y-%m-%d"),
            encode_path(&prefix),
            encode_path(path),
            what
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn urls(base: &str) -> SiteUrls {
        let c = Config::parse(
            Path::new("c"),
            &format!("title = \"x\"\nbase_url = \"{base}\"\n"),
        )
        .unwrap();
        SiteUrls::new(&c)
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(
            encode_path("børn og unge/2024-01-02/"),
            "b%C3%B8rn%20og%20unge/2024-01-02/"
        );
        assert_eq!(encode_path("a&b<c>\"'#?"), "a%26b%3Cc%3E%22%27%23%3F");
        let u = urls("https://a.dk/referater/");
        assert_eq!(u.abs(""), "https://a.dk/referater/");
        assert_eq!(u.abs("æ/"), "https://a.dk/referater/%C3%A6/");
        assert_eq!(
            u.webcal("kalender.ics"),
            "webcal://a.dk/referater/kalender.ics"
        );
    }

    #[test]
    fn links_encode_only_what_breaks_them() {
        assert_eq!(
            href_path("børn og unge/Bilag #3 (100%).pdf"),
            "børn%20og%20unge/Bilag%20%233%20(100%25).pdf"
        );
        assert_eq!(href_path("a?b\"c<d>e\\f"), "a%3Fb%22c%3Cd%3Ee%5Cf");
        assert_eq!(href_path("24-277/a&b=c@d:e/"), "24-277/a&b=c@d:e/");
    }

    #[test]
    fn tag_uris() {
        let d = chrono::NaiveDate::from_ymd_opt(2024, 11, 15).unwrap();
        assert_eq!(
            urls("https://user@a.dk:8443/ref").tag(d, "hu/2024-11-15/", "minutes"),
            "tag:a.dk,2024-11-15:ref/hu/2024-11-15/minutes"
        );
        assert_eq!(
            urls("http://localhost").tag(d, "hu/", "x"),
            "tag:localhost,2024-11-15:hu/x"
        );
    }
}
