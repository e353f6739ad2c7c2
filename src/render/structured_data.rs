//! schema.org JSON-LD for meeting and item pages, so that search engines
//! and other tools can read a meeting as an Event.

use serde_json::{Value, json};

use crate::config::Language;
use crate::model::{Committee, Meeting, MeetingStatus, OpenItem};
use crate::timezone::MeetingTime;
use crate::urls::SiteUrls;

/// JSON made safe to put between `<script>` tags: no `<`, `>` or `&` can
/// close the element or start markup, whatever the content holds.
pub fn script_json(v: &Value) -> String {
    let s = serde_json::to_string(v).expect("JSON values serialize");
    crate::escape::replace_chars(&s, |c| match c {
        '<' => Some("\\u003c"),
        '>' => Some("\\u003e"),
        '&' => Some("\\u0026"),
        '\u{2028}' => Some("\\u2028"),
        '\u{2029}' => Some("\\u2029"),
        _ => None,
    })
}

fn start_end(m: &Meeting) -> (String, Option<String>) {
    let time = MeetingTime::of(m);
    match time.start {
        Some(s) => (s.rfc3339(), time.end.map(|e| e.rfc3339())),
        // schema.org takes a Date for all-day events.
        None => (m.date.format("%Y-%m-%d").to_string(), None),
    }
}

fn organizer(urls: &SiteUrls, c: &Committee) -> Value {
    json!({
        "@type": "Organization",
        "name": c.name,
        "url": urls.abs(&format!("{}/", c.slug)),
    })
}

/// The meeting as a schema.org Event; `name` is the page's heading text.
pub fn meeting_event(
    urls: &SiteUrls,
    lang: Language,
    name: &str,
    c: &Committee,
    m: &Meeting,
) -> Value {
    let (start, end) = start_end(m);
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": name,
        "startDate": start,
        "eventStatus": match m.status {
            MeetingStatus::Cancelled => "https://schema.org/EventCancelled",
            _ => "https://schema.org/EventScheduled",
        },
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "organizer": organizer(urls, c),
        "url": urls.abs(&m.path()),
        "inLanguage": lang.code(),
    });
    if let Some(end) = end {
        v["endDate"] = json!(end);
    }
    if let Some(l) = &m.location {
        v["location"] = json!({ "@type": "Place", "name": l, "address": l });
    }
    v
}

/// An agenda item as a CreativeWork that is part of its meeting's Event.
pub fn item_work(
    urls: &SiteUrls,
    lang: Language,
    meeting_name: &str,
    description: &str,
    c: &Committee,
    m: &Meeting,
    item: &OpenItem,
) -> Value {
    let (start, _) = start_end(m);
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": item.title,
        "url": urls.abs(&item.path(m)),
        "position": item.number,
        "inLanguage": lang.code(),
        // The meeting's page has the whole Event; name it only.
        "isPartOf": {
            "@type": "Event",
            "name": meeting_name,
            "startDate": start,
            "organizer": organizer(urls, c),
            "url": urls.abs(&m.path()),
        },
    });
    if let Some(k) = &item.case {
        v["identifier"] = json!(k.as_str());
    }
    if !description.is_empty() {
        v["description"] = json!(description);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let v =
            json!({ "name": "Æble </script><script>alert(1)</script> & <!-- \u{2028}ø\u{2029}" });
        let s = script_json(&v);
        assert!(!s.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{s}");
        assert!(s.contains("Æble") && s.contains("\\u2028ø\\u2029"), "{s}");
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
