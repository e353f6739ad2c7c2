//! What templates see: small, flat, serialisable views of the model with
//! links and dates already made, so templates hold no logic.

use std::borrow::Cow;

use serde::Serialize;

use crate::config::Language;
use crate::model::{
    Attachment, ClosedItem, Committee, Item, Meeting, MeetingStatus, OpenItem, SectionKind,
};
use crate::render::dates;
use crate::render::i18n::{self, Strings};
use crate::site_index::{ItemRef, SiteIndex};

/// Turns site-relative paths into links from the site's root.
#[derive(Clone)]
pub struct Links {
    pub root: String,
    pub lang: Language,
    pub t: &'static Strings,
}

impl Links {
    /// A link to a site path. The path is percent-encoded: folder and file
    /// names may hold spaces, `#`, `?` or `%` ("Bilag #3.pdf"), which would
    /// otherwise end the path or start a fragment.
    pub fn url(&self, path: &str) -> String {
        let mut url = String::with_capacity(self.root.len() + path.len());
        url.push_str(&self.root);
        crate::urls::push_href_path(&mut url, path);
        url
    }
}

#[derive(Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct CommitteeView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub short: Option<&'a str>,
    pub url: String,
    pub description_html: &'a str,
}

impl<'a> CommitteeView<'a> {
    pub fn new(l: &Links, c: &'a Committee) -> Self {
        CommitteeView {
            slug: &c.slug,
            name: &c.name,
            short: c.short.as_deref(),
            url: l.url(&format!("{}/", c.slug)),
            description_html: &c.description_html,
        }
    }
}

#[derive(Serialize)]
pub struct MeetingView<'a> {
    pub committee_name: &'a str,
    pub committee_url: String,
    pub url: String,
    pub date_iso: String,
    pub date_long: String,
    /// How lists tell the meeting apart: its date, with the start time
    /// when the committee meets more than once that day.
    pub date_label: String,
    pub date_weekday: String,
    pub year: i32,
    pub start: Option<&'a str>,
    pub end: Option<&'a str>,
    /// "14.00–16.00" in Danish, "14:00–16:00" in English.
    pub time_label: Option<String>,
    pub location: Option<&'a str>,
    pub status: &'static str,
    pub status_label: &'static str,
    pub cancelled: bool,
    pub absent: &'a [String],
    pub note_html: Option<&'a str>,
    pub item_count: usize,
    /// "1 punkt", "8 punkter".
    pub item_count_label: String,
}

pub fn status_label(t: &Strings, s: MeetingStatus) -> &'static str {
    match s {
        MeetingStatus::Agenda => t.status_agenda,
        MeetingStatus::Minutes => t.status_minutes,
        MeetingStatus::Cancelled => t.status_cancelled,
    }
}

impl<'a> MeetingView<'a> {
    /// `shares_day`: the committee has another meeting on the same date.
    pub fn new(l: &Links, c: &'a Committee, m: &'a Meeting, shares_day: bool) -> Self {
        use chrono::Datelike;
        let date_long = dates::long(l.lang, m.date);
        let date_label = match m.start.as_deref() {
            Some(start) if shares_day => dates::long_with_time(l.lang, m.date, start),
            _ => date_long.clone(),
        };
        MeetingView {
            committee_name: &c.name,
            committee_url: l.url(&format!("{}/", c.slug)),
            url: l.url(&m.path()),
            date_iso: m.date.format("%Y-%m-%d").to_string(),
            date_long,
            date_label,
            date_weekday: dates::with_weekday(l.lang, m.date),
            year: m.date.year(),
            start: m.start.as_deref(),
            end: m.end.as_deref(),
            time_label: m
                .start
                .as_deref()
                .map(|s| dates::time_span(l.lang, s, m.end.as_deref())),
            location: m.location.as_deref(),
            status: m.status.as_str(),
            status_label: status_label(l.t, m.status),
            cancelled: m.status == MeetingStatus::Cancelled,
            absent: &m.absent,
            note_html: m.note_html.as_deref(),
            item_count: m.items.len(),
            item_count_label: i18n::count(m.items.len(), l.t.items_one, l.t.items),
        }
    }
}

/// One line of an agenda. A closed item has no link and no case number.
/// A decided item shows its decision: the minutes at a glance.
#[derive(Serialize)]
pub struct AgendaRow<'a> {
    pub number: u32,
    pub title: &'a str,
    /// The title is the item's own, not the interface's label for a
    /// closed item without a public title.
    pub content_title: bool,
    pub url: Option<String>,
    pub closed: bool,
    /// A closed item's title says so already ("Lukket punkt: …"): its
    /// badge need not be read out after it.
    pub title_says_closed: bool,
    pub case: Option<&'a str>,
    /// The public decision of a closed item; the start of an open item's.
    pub decision_text: Option<Cow<'a, str>>,
}

impl<'a> AgendaRow<'a> {
    pub fn new(l: &Links, m: &Meeting, item: &'a Item) -> Self {
        match item {
            Item::Open(o) => AgendaRow {
                number: o.number,
                title: &o.title,
                content_title: true,
                url: Some(l.url(&o.path(m))),
                closed: false,
                title_says_closed: false,
                case: o.case.as_ref().map(|c| c.as_str()),
                decision_text: o
                    .decision()
                    .map(|d| Cow::Owned(super::excerpt(&d.text, AGENDA_DECISION_CHARS))),
            },
            Item::Closed(c) => AgendaRow {
                number: c.number,
                title: closed_title(l.t, c),
                content_title: c.public_title.is_some(),
                url: None,
                closed: true,
                title_says_closed: closed_title(l.t, c)
                    .to_lowercase()
                    .starts_with(&l.t.closed_item.to_lowercase()),
                case: None,
                decision_text: c.public_decision.as_deref().map(Cow::Borrowed),
            },
        }
    }
}

/// Longest start of a decision an agenda line shows.
const AGENDA_DECISION_CHARS: usize = 200;

pub fn closed_title<'a>(t: &'static Strings, c: &'a ClosedItem) -> &'a str {
    c.public_title.as_deref().unwrap_or(t.closed_item)
}

#[derive(Serialize)]
pub struct SectionView<'a> {
    pub heading: Option<&'a str>,
    pub kind: SectionKind,
    pub html: &'a str,
    pub id: String,
}

#[derive(Serialize)]
pub struct AttachmentView<'a> {
    pub title: &'a str,
    pub url: String,
    /// `PDF`; empty for a file without an extension.
    pub file_type: String,
    pub size: String,
}

pub fn size_label(t: &Strings, lang: Language, bytes: u64) -> String {
    let decimal = |v: f64| {
        let s = format!("{v:.1}");
        if lang == Language::Danish {
            s.replace('.', ",")
        } else {
            s
        }
    };
    if bytes < 1000 {
        format!("{bytes} {}", t.bytes_b)
    } else if bytes < 1_000_000 {
        format!("{} {}", decimal(bytes as f64 / 1000.0), t.bytes_kb)
    } else {
        format!("{} {}", decimal(bytes as f64 / 1_000_000.0), t.bytes_mb)
    }
}

impl<'a> AttachmentView<'a> {
    pub fn new(l: &Links, m: &Meeting, a: &'a Attachment) -> Self {
        AttachmentView {
            title: &a.title,
            url: l.url(&format!("{}{}", m.path(), a.file)),
            file_type: a.file_type(),
            size: size_label(l.t, l.lang, a.size),
        }
    }
}

/// A step of a case's route: links to the case's item at that step when
/// there is one, else to the committee.
#[derive(Serialize)]
pub struct RouteStep {
    pub label: String,
    pub name: Option<String>,
    pub url: Option<String>,
    pub current: bool,
}

/// The route of the item at `this`. A case may come back to a committee,
/// so the n-th time the route names a committee stands for the case's n-th
/// public item there, by date; only the step that is this very item is
/// the current one.
pub fn route(l: &Links, idx: &SiteIndex<'_>, this: ItemRef, item: &OpenItem) -> Vec<RouteStep> {
    let case_items = item
        .case
        .as_ref()
        .and_then(|k| idx.cases.get(k))
        .unwrap_or(&[]);
    // The committee of each step so far; routes are a handful of steps.
    let mut named: Vec<usize> = Vec::with_capacity(item.route.len());
    item.route
        .iter()
        .map(|entry| {
            let Some(ci) = idx.committee_by_name(entry) else {
                return RouteStep {
                    label: entry.clone(),
                    name: None,
                    url: None,
                    current: false,
                };
            };
            let visit = named.iter().filter(|&&n| n == ci).count();
            named.push(ci);
            let hit = case_items
                .iter()
                .filter(|r| r.committee == ci)
                .nth(visit)
                .copied();
            let target = idx.committee(ci);
            let url = match hit {
                Some(r) => {
                    let (_, m, o) = idx.item(r);
                    l.url(&o.path(m))
                }
                None => l.url(&format!("{}/", target.slug)),
            };
            RouteStep {
                label: entry.clone(),
                name: Some(target.name.clone()),
                url: Some(url),
                current: hit == Some(this),
            }
        })
        .collect()
}

/// Sections in reading order, with the decisions (each committee's, in
/// the order written) moved right under the recommendation: what was
/// proposed, then what was decided.
pub fn sections<'a>(item: &'a OpenItem) -> Vec<SectionView<'a>> {
    let is_decision = |i: &usize| item.sections[*i].kind == SectionKind::Decision;
    let mut order: Vec<usize> = (0..item.sections.len()).collect();
    let rec = item
        .sections
        .iter()
        .position(|s| s.kind == SectionKind::Recommendation);
    if let Some(r) = rec {
        let decisions: Vec<usize> = order.iter().copied().filter(is_decision).collect();
        order.retain(|i| !is_decision(i));
        let at = order
            .iter()
            .position(|&i| i == r)
            .map_or(order.len(), |p| p + 1);
        order.splice(at..at, decisions);
    }
    let mut used = std::collections::HashSet::new();
    order
        .into_iter()
        .map(|i| {
            let s = &item.sections[i];
            let base = match s.kind {
                SectionKind::Decision => "beslutning".to_string(),
                SectionKind::Recommendation => "indstilling".to_string(),
                SectionKind::Presentation => "sagsfremstilling".to_string(),
                SectionKind::Economy => "oekonomi".to_string(),
                SectionKind::Other => format!("afsnit-{}", i + 1),
            };
            let mut id = base.clone();
            let mut n = 2;
            while !used.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            SectionView {
                heading: s.heading.as_deref(),
                kind: s.kind,
                html: &s.html,
                id,
            }
        })
        .collect()
}

/// "fredag 15. november 2024 · Tidspunkt 14.00–16.00 · Byrådssalen · 8 punkter":
/// a meeting in one line, for descriptions and feeds.
pub fn meeting_summary(t: &Strings, lang: Language, m: &Meeting) -> String {
    let mut parts = vec![dates::with_weekday(lang, m.date)];
    if let Some(s) = &m.start {
        parts.push(format!(
            "{} {}",
            t.time,
            dates::time_span(lang, s, m.end.as_deref())
        ));
    }
    if let Some(l) = &m.location {
        parts.push(l.clone());
    }
    if m.status == MeetingStatus::Cancelled {
        parts.push(t.status_cancelled.to_string());
    }
    parts.push(i18n::count(m.items.len(), t.items_one, t.items));
    parts.join(" · ")
}
