//! Atom feeds (RFC 4287): every new agenda and minutes of the site or a
//! committee, and every step of a case.
//!
//! An entry stands for one state of a meeting or item: its agenda, its
//! minutes, its cancellation. Its id is a tag URI of the page and that state,
//! so when minutes replace an agenda, readers see a new entry. Dates come
//! from the meeting (its start, or midnight when no time is given), never
//! from the clock of the build.

use chrono::NaiveDateTime;

use super::xml::escape;
use crate::model::{Committee, Item, Meeting, MeetingStatus, OpenItem, SectionKind};
use crate::render::excerpt;
use crate::render::views::{closed_title, meeting_summary, status_label};
use crate::timezone::{LocalTime, MeetingTime};

use super::FeedSite;

/// Characters of a decision shown per item in a meeting's entry.
const DECISION_EXCERPT: usize = 300;

pub struct Feed {
    pub title: String,
    /// Absolute URL of the feed itself; also its id.
    pub self_url: String,
    /// The page the feed follows.
    pub page_url: String,
    pub entries: Vec<Entry>,
}

pub struct Entry {
    pub id: String,
    pub title: String,
    pub updated: LocalTime,
    pub url: String,
    /// `agenda`, `minutes` or `cancelled`, and its label.
    pub category: (&'static str, &'static str),
    pub summary: String,
    /// Safe HTML; relative links resolve against `url`.
    pub content_html: String,
}

/// Newest first; ties by id, so the order never depends on the input order.
pub fn sort_entries(entries: &mut [Entry]) {
    entries.sort_by(|a, b| {
        b.updated
            .utc()
            .cmp(&a.updated.utc())
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// The state a feed entry stands for; the part of the id that changes
/// when the minutes replace the agenda.
fn state(status: MeetingStatus) -> &'static str {
    status.as_str()
}

/// One entry for a meeting's agenda, minutes or cancellation.
pub fn meeting_entry(site: &FeedSite, c: &Committee, m: &Meeting) -> Entry {
    let t = site.t;
    let url = site.urls.abs(&m.path());
    let label = status_label(t, m.status);
    let time = MeetingTime::of(m);
    let date = crate::render::dates::long(site.lang, m.date);
    let lang = lang_attr(site);
    let content = |html: &str| in_content_lang(site, "span", html);
    let mut html = String::new();
    html.push_str("<p>");
    html.push_str(&escape(&facts_line(site, m)));
    html.push_str("</p>");
    if !m.items.is_empty() {
        html.push_str("<ol>");
        for item in &m.items {
            html.push_str(&format!("<li value=\"{}\">", item.number()));
            match item {
                Item::Open(o) => {
                    html.push_str(&format!(
                        "<a href=\"{}\"{lang}>{}</a>",
                        escape(&site.urls.abs(&o.path(m))),
                        escape(&o.title)
                    ));
                    if let Some(d) = o.decision() {
                        html.push_str(&format!(
                            "<br>{}: {}",
                            escape(t.decision),
                            content(&escape(&excerpt(&d.text, DECISION_EXCERPT)))
                        ));
                    }
                }
                Item::Closed(ci) => {
                    // Without a public title the label is the title already.
                    match &ci.public_title {
                        Some(title) => html.push_str(&format!(
                            "{} ({})",
                            content(&escape(title)),
                            escape(t.closed_item)
                        )),
                        None => html.push_str(&escape(closed_title(t, ci))),
                    }
                    if let Some(d) = &ci.public_decision {
                        html.push_str(&format!(
                            "<br>{}: {}",
                            escape(t.public_decision),
                            content(&escape(d))
                        ));
                    }
                }
            }
            html.push_str("</li>");
        }
        html.push_str("</ol>");
    }
    Entry {
        id: site.urls.tag(m.date, &m.path(), state(m.status)),
        title: format!("{label}: {}, {date}", c.name),
        updated: time.start_or_midnight(),
        url,
        category: (m.status.as_str(), label),
        summary: facts_line(site, m),
        content_html: html,
    }
}

/// One entry for an item of a case, in the state of its meeting.
pub fn case_item_entry(site: &FeedSite, c: &Committee, m: &Meeting, item: &OpenItem) -> Entry {
    let t = site.t;
    let label = status_label(t, m.status);
    let url = site.urls.abs(&item.path(m));
    let date = crate::render::dates::long(site.lang, m.date);
    let mut html = format!(
        "<p>{}</p>",
        escape(&format!(
            "{} {}, {date} · {} {} · {label}",
            t.meeting, c.name, t.item, item.number
        ))
    );
    let mut summary = format!("{}, {date}: {label}", c.name);
    let lang = lang_attr(site);
    if let Some(d) = item.decision() {
        // A heading of the minutes' own is in their language.
        let heading = match &d.heading {
            Some(h) => format!("<h2{lang}>{}</h2>", escape(h)),
            None => format!("<h2>{}</h2>", escape(t.decision)),
        };
        html.push_str(&heading);
        html.push_str(&in_content_lang(site, "div", &d.html));
        summary = format!(
            "{summary}. {}: {}",
            t.decision,
            excerpt(&d.text, DECISION_EXCERPT)
        );
    } else if let Some(r) = item.section(SectionKind::Recommendation) {
        // Before the decision, what is proposed is the news.
        if let Some(h) = &r.heading {
            html.push_str(&format!("<h2{lang}>{}</h2>", escape(h)));
        }
        html.push_str(&in_content_lang(site, "div", &r.html));
    }
    Entry {
        id: site.urls.tag(m.date, &item.path(m), state(m.status)),
        title: format!("{label}: {} ({}, {date})", item.title, c.name),
        updated: MeetingTime::of(m).start_or_midnight(),
        url,
        category: (m.status.as_str(), label),
        summary,
        content_html: html,
    }
}

/// ` lang="da"` where the minutes' language is not the interface's.
fn lang_attr(site: &FeedSite) -> String {
    site.content_lang
        .map(|l| format!(" lang=\"{l}\""))
        .unwrap_or_default()
}

/// Content HTML, in a `tag` that gives the minutes' language when the
/// interface's is another.
fn in_content_lang(site: &FeedSite, tag: &str, html: &str) -> String {
    match site.content_lang {
        Some(l) => format!("<{tag} lang=\"{l}\">{html}</{tag}>"),
        None => html.to_string(),
    }
}

fn facts_line(site: &FeedSite, m: &Meeting) -> String {
    meeting_summary(site.t, site.lang, m)
}

/// The feed as an Atom document.
pub fn write(site: &FeedSite, feed: &Feed) -> String {
    let mut x = String::with_capacity(4096 + feed.entries.len() * 2048);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        site.lang.code()
    ));
    x.push_str(&format!("  <id>{}</id>\n", escape(&feed.self_url)));
    x.push_str(&format!("  <title>{}</title>\n", escape(&feed.title)));
    x.push_str(&format!(
        "  <updated>{}</updated>\n",
        feed_updated(&feed.entries)
    ));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&feed.self_url)
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&feed.page_url)
    ));
    x.push_str(&format!(
        "  <author><name>{}</name><uri>{}</uri></author>\n",
        escape(site.site_title),
        escape(&site.urls.abs(""))
    ));
    x.push_str("  <generator>protokol</generator>\n");
    for e in &feed.entries {
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <id>{}</id>\n", escape(&e.id)));
        x.push_str(&format!("    <title>{}</title>\n", escape(&e.title)));
        x.push_str(&format!("    <updated>{}</updated>\n", e.updated.rfc3339()));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&e.url)
        ));
        x.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            e.category.0,
            escape(e.category.1)
        ));
        x.push_str(&format!("    <summary>{}</summary>\n", escape(&e.summary)));
        x.push_str(&format!(
            "    <content type=\"html\" xml:base=\"{}\">{}</content>\n",
            escape(&e.url),
            escape(&e.content_html)
        ));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// The newest entry's date; a feed without entries gets the Unix epoch, a
/// fixed date rather than the build's time.
fn feed_updated(entries: &[Entry]) -> String {
    entries
        .iter()
        .max_by_key(|e| e.updated.utc())
        .map(|e| e.updated.rfc3339())
        .unwrap_or_else(|| {
            let epoch = NaiveDateTime::default();
            format!("{}Z", epoch.format("%Y-%m-%dT%H:%M:%S"))
        })
}
