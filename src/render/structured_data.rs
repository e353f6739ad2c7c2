//! schema.org JSON-LD for meeting and item pages, so that search engines
//! and other tools can read a meeting as an Event.

use serde::Serialize;
use serde_json::{Value, json};

use crate::config::Language;
use crate::model::{Committee, Meeting, MeetingStatus, OpenItem};
use crate::timezone::MeetingTime;
use crate::urls::SiteUrls;

/// JSON made safe to put between `<script>` tags: no `<`, `>` or `&` can
/// close the element or start markup, whatever the content holds.
pub fn script_json<T: Serialize + ?Sized>(v: &T) -> String {
    let s = serde_json::to_string(v).expect("JSON values serialize");
    crate::escape::json_in_script(&s)
}

fn start_end(m: &Meeting) -> (String, Option<String>) {
    let time = MeetingTime::of(m);
    match time.start {
        Some(s) => (s.rfc3339(), time.end.map(|e| e.rfc3339())),
        // schema.org takes a Date for all-day events.
        None => (m.date.format("%Y-%m-%d").to_string(), None),
    }
}

fn organizer<'a>(urls: &SiteUrls, c: &'a Committee) -> Organization<'a> {
    Organization {
        kind: "Organization",
        name: &c.name,
        url: urls.abs(&format!("{}/", c.slug)),
    }
}

/// The meeting as a schema.org Event; `name` is the page's heading text.
/// `content_language` is the language the meeting is held and minuted in,
/// whatever the interface's.
pub fn meeting_event(
    urls: &SiteUrls,
    content_language: Language,
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
        "inLanguage": content_language.code(),
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
/// A struct, not a `json!` map: every item page has one, and building the
/// map cost more than the rest of the JSON. Fields in the order of the
/// keys, as a map would write them.
#[derive(Serialize)]
pub struct ItemWork<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<&'a str>,
    #[serde(rename = "inLanguage")]
    in_language: &'static str,
    /// The meeting's page has the whole Event; name it only.
    #[serde(rename = "isPartOf")]
    is_part_of: &'a PartOfEvent<'a>,
    name: &'a str,
    position: u32,
    url: String,
}

/// A meeting as its items name it: the same on each of its items' pages,
/// so it is made once per meeting (see [`part_of_event`]).
#[derive(Serialize)]
pub struct PartOfEvent<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    organizer: Organization<'a>,
    #[serde(rename = "startDate")]
    start_date: String,
    url: String,
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

/// The meeting as [`item_work`] needs it; `name` is the meeting's name.
pub fn part_of_event<'a>(
    urls: &SiteUrls,
    name: String,
    c: &'a Committee,
    m: &Meeting,
) -> PartOfEvent<'a> {
    PartOfEvent {
        kind: "Event",
        name,
        organizer: organizer(urls, c),
        start_date: start_end(m).0,
        url: urls.abs(&m.path()),
    }
}

/// `content_language`: the language of the item's title and text.
pub fn item_work<'a>(
    urls: &SiteUrls,
    content_language: Language,
    is_part_of: &'a PartOfEvent<'a>,
    description: &'a str,
    m: &Meeting,
    item: &'a OpenItem,
) -> ItemWork<'a> {
    ItemWork {
        context: "https://schema.org",
        kind: "CreativeWork",
        description,
        identifier: item.case.as_ref().map(|k| k.as_str()),
        in_language: content_language.code(),
        is_part_of,
        name: &item.title,
        position: item.number,
        url: urls.abs(&item.path(m)),
    }
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
