//! iCalendar files (RFC 5545) of meetings, for subscription in calendar apps.
//!
//! Times are local (`TZID=Europe/Copenhagen`, with a VTIMEZONE stating the
//! EU summer-time rule); a meeting without a start time is an all-day event.
//! `UID` is the meeting's path at the site's host, and `DTSTAMP` the
//! meeting's day: both follow from the content alone, so rebuilding changes
//! no byte. `SEQUENCE` is 1 for a cancelled meeting, else 0. Lines end in
//! CRLF and are folded at 75 octets.

use super::FeedSite;
use crate::model::{Committee, Item, Meeting, MeetingStatus};
use crate::render::views::closed_title;
use crate::timezone::{LocalTime, MeetingTime, TZID};
use crate::urls::encode_path;

const MAX_OCTETS: usize = 75;

/// Writes content lines: escaped, folded, CRLF-terminated.
#[derive(Default)]
pub struct Lines {
    out: String,
}

impl Lines {
    /// A property whose value is written as given (dates, URIs, keywords).
    pub fn raw(&mut self, name: &str, value: &str) {
        self.fold(&format!("{name}:{value}"));
    }

    /// A TEXT property: `\`, `;`, `,` and newlines are escaped.
    pub fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape_text(value));
    }

    fn fold(&mut self, line: &str) {
        let mut room = MAX_OCTETS;
        let mut used = 0;
        for c in line.chars() {
            let len = c.len_utf8();
            if used + len > room {
                // A continuation line starts with one space, which counts.
                self.out.push_str("\r\n ");
                room = MAX_OCTETS - 1;
                used = 0;
            }
            self.out.push(c);
            used += len;
        }
        self.out.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// RFC 5545 §3.3.11. Control characters other than tab are not allowed in
/// TEXT and are dropped; CR LF and lone CR become one line break.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The calendar: `name` is shown by apps; `page_url` is where it lives on the site.
pub fn write<'a>(
    site: &FeedSite,
    name: &str,
    page_url: &str,
    meetings: impl Iterator<Item = (&'a Committee, &'a Meeting)>,
) -> String {
    let events: Vec<String> = meetings.map(|(c, m)| event_text(site, c, m)).collect();
    join(site, name, page_url, events.iter().map(String::as_str))
}

/// One meeting's event, as every calendar that lists the meeting writes it.
pub fn event_text(site: &FeedSite, c: &Committee, m: &Meeting) -> String {
    let mut l = Lines::default();
    event(site, &mut l, c, m);
    l.finish()
}

/// The calendar of events made by [`event_text`], in this order.
pub fn join<'e>(
    site: &FeedSite,
    name: &str,
    page_url: &str,
    events: impl Iterator<Item = &'e str> + Clone,
) -> String {
    let size: usize = events.clone().map(str::len).sum();
    let mut l = Lines {
        out: String::with_capacity(size + 2048),
    };
    l.raw("BEGIN", "VCALENDAR");
    l.raw("VERSION", "2.0");
    l.raw(
        "PRODID",
        &format!(
            "-//protokol//protokol {}//{}",
            env!("CARGO_PKG_VERSION"),
            site.lang.code().to_uppercase()
        ),
    );
    l.raw("CALSCALE", "GREGORIAN");
    l.raw("METHOD", "PUBLISH");
    // RFC 7986 names, and the older X- names many apps still read.
    l.text("NAME", name);
    l.text("X-WR-CALNAME", name);
    l.raw("X-WR-TIMEZONE", TZID);
    l.raw("URL", page_url);
    l.raw("REFRESH-INTERVAL;VALUE=DURATION", "PT6H");
    l.raw("X-PUBLISHED-TTL", "PT6H");
    vtimezone(&mut l);
    for e in events {
        l.out.push_str(e);
    }
    l.raw("END", "VCALENDAR");
    l.finish()
}

/// Europe/Copenhagen under the EU rule, as `crate::timezone` computes it.
fn vtimezone(l: &mut Lines) {
    l.raw("BEGIN", "VTIMEZONE");
    l.raw("TZID", TZID);
    l.raw("X-LIC-LOCATION", TZID);
    l.raw("BEGIN", "DAYLIGHT");
    l.raw("TZOFFSETFROM", "+0100");
    l.raw("TZOFFSETTO", "+0200");
    l.raw("TZNAME", "CEST");
    l.raw("DTSTART", "19700329T020000");
    l.raw("RRULE", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU");
    l.raw("END", "DAYLIGHT");
    l.raw("BEGIN", "STANDARD");
    l.raw("TZOFFSETFROM", "+0200");
    l.raw("TZOFFSETTO", "+0100");
    l.raw("TZNAME", "CET");
    l.raw("DTSTART", "19701025T030000");
    l.raw("RRULE", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU");
    l.raw("END", "STANDARD");
    l.raw("END", "VTIMEZONE");
}

fn local(t: &LocalTime) -> String {
    t.local.format("%Y%m%dT%H%M%S").to_string()
}

fn event(site: &FeedSite, l: &mut Lines, c: &Committee, m: &Meeting) {
    let t = site.t;
    let url = site.urls.abs(&m.path());
    let time = MeetingTime::of(m);
    l.raw("BEGIN", "VEVENT");
    l.text(
        "UID",
        &format!(
            "{}@{}",
            encode_path(m.path().trim_end_matches('/')),
            site.urls.host()
        ),
    );
    l.raw("DTSTAMP", &format!("{}T000000Z", m.date.format("%Y%m%d")));
    // A calendar that imported the file, not subscribed to it, takes an
    // event with the same UID as news only with a higher SEQUENCE. The
    // content holds no history, but it orders one change: a meeting is
    // cancelled after it was planned, and that is the change nobody may miss.
    let sequence = u8::from(m.status == MeetingStatus::Cancelled);
    l.raw("SEQUENCE", &sequence.to_string());
    match time.start {
        Some(start) => {
            l.raw(&format!("DTSTART;TZID={TZID}"), &local(&start));
            if let Some(end) = time.end {
                l.raw(&format!("DTEND;TZID={TZID}"), &local(&end));
            }
        }
        None => {
            let next = m.date.succ_opt().unwrap_or(m.date);
            l.raw("DTSTART;VALUE=DATE", &m.date.format("%Y%m%d").to_string());
            l.raw("DTEND;VALUE=DATE", &next.format("%Y%m%d").to_string());
        }
    }
    let summary = format!("{} {}", t.meeting_of, c.name);
    match m.status {
        MeetingStatus::Cancelled => {
            l.text("SUMMARY", &format!("{}: {summary}", t.status_cancelled));
            l.raw("STATUS", "CANCELLED");
        }
        _ => {
            l.text("SUMMARY", &summary);
            l.raw("STATUS", "CONFIRMED");
        }
    }
    // Place and committee name are the minutes' words (RFC 5545 LANGUAGE).
    let content = |name: &str| match site.content_lang {
        Some(lang) => format!("{name};LANGUAGE={lang}"),
        None => name.to_string(),
    };
    if let Some(loc) = &m.location {
        l.text(&content("LOCATION"), loc);
    }
    l.raw("URL", &url);
    l.text(&content("CATEGORIES"), &c.name);
    let mut description = format!("{}: {url}", crate::render::views::status_label(t, m.status));
    if !m.items.is_empty() {
        description.push_str("\n\n");
        for item in &m.items {
            let title = match item {
                Item::Open(o) => o.title.as_str(),
                Item::Closed(ci) => closed_title(t, ci),
            };
            description.push_str(&format!("{}. {title}\n", item.number()));
        }
    }
    l.text("DESCRIPTION", description.trim_end());
    l.raw("END", "VEVENT");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("a,b;c\\d\r\ne\nf\u{7}g\rh"),
            "a\\,b\\;c\\\\d\\ne\\nfg\\nh"
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut l = Lines::default();
        let value = "æøå".repeat(60);
        l.text("SUMMARY", &value);
        let out = l.finish();
        assert!(out.ends_with("\r\n"));
        let lines: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 1);
        for (i, line) in lines.iter().enumerate() {
            assert!(line.len() <= 75, "line {i} has {} octets", line.len());
            assert_eq!(i > 0, line.starts_with(' '));
        }
        let unfolded: String = lines
            .iter()
            .enumerate()
            .map(|(i, s)| if i == 0 { *s } else { &s[1..] })
            .collect();
        assert_eq!(unfolded, format!("SUMMARY:{value}"));
    }
}
