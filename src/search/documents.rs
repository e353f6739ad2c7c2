//! What search sees of the site: one document per public open item, per
//! closed item (its public title and public decision, nothing else) and per
//! case page, in a stable order that numbers them.
//!
//! Closed items are built from [`ClosedItem`](crate::model::ClosedItem),
//! which holds no private field at all, so nothing private can reach the
//! index from here.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::model::{CaseNumber, Item, Meeting, SectionKind, Site};
use crate::render::i18n;
use crate::search::analyzer::nfc;
use crate::site_index::{ItemRef, MeetingRef, SiteIndex};
use crate::urls::href_path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DocKind {
    Item,
    Closed,
    Case,
}

impl DocKind {
    pub fn code(self) -> u8 {
        match self {
            DocKind::Item => 0,
            DocKind::Closed => 1,
            DocKind::Case => 2,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Item => "item",
            DocKind::Closed => "closed",
            DocKind::Case => "case",
        }
    }
}

/// One search document. Texts are in Unicode NFC.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    pub kind: DocKind,
    /// Site-relative link, percent-encoded as the pages link it (see
    /// [`href_path`]), e.g. `hu/2024-11-15/01-frisaettelse/` or, for a
    /// closed item, its place on the meeting page `hu/2024-11-15/#punkt-3`.
    pub url: String,
    /// `url + "#beslutning"` leads to the decision (item pages only).
    pub decision_anchor: bool,
    pub title: String,
    /// The case number as written, for items and case pages.
    pub case: Option<String>,
    pub decision: String,
    pub recommendation: String,
    /// Everything else of an item: presentation, economy, other sections.
    pub body: String,
    /// Index into `site.committees`.
    pub committee: usize,
    pub date: NaiveDate,
    /// `agenda`, `minutes` or `cancelled`: the meeting's status.
    pub status: &'static str,
    pub has_decision: bool,
    /// Orders documents of the same meeting: agenda number, case pages last.
    number: u32,
    folder: String,
    /// The title the document is ordered by (a case page: its latest item's).
    sort_title: String,
}

impl SearchDoc {
    pub fn year(&self) -> i32 {
        self.date.year()
    }
}

/// Every public search document of the site, in document-number order.
pub fn collect(site: &Site, idx: &SiteIndex<'_>) -> Vec<SearchDoc> {
    let t = i18n::strings(site.config.language);
    let meetings: Vec<(usize, &Meeting)> = site
        .committees
        .iter()
        .enumerate()
        .flat_map(|(ci, c)| c.meetings.iter().map(move |m| (ci, m.as_ref())))
        .collect();
    let mut docs: Vec<SearchDoc> = meetings
        .par_iter()
        .flat_map_iter(|(ci, m)| m.items.iter().map(|item| item_doc(t, *ci, m, item)))
        .collect();
    for (case, refs) in idx.cases.iter() {
        docs.extend(case_doc(t, idx, case, refs));
    }
    order(&mut docs);
    docs
}

/// The documents of some meetings (in no particular order), and the case
/// numbers of their items: the documents an edit of those meetings can
/// change are these and the pages of those cases.
pub fn of_meetings(
    site: &Site,
    meetings: impl Iterator<Item = MeetingRef>,
) -> (Vec<SearchDoc>, BTreeSet<CaseNumber>) {
    let t = i18n::strings(site.config.language);
    let mut docs = Vec::new();
    let mut cases = BTreeSet::new();
    for r in meetings {
        let m = &site.committees[r.committee].meetings[r.meeting];
        for item in &m.items {
            if let Item::Open(o) = item {
                cases.extend(o.case.iter().cloned());
            }
            docs.push(item_doc(t, r.committee, m, item));
        }
    }
    (docs, cases)
}

/// The documents of the case pages of `cases` that exist in this model.
pub fn of_cases(site: &Site, idx: &SiteIndex<'_>, cases: &BTreeSet<CaseNumber>) -> Vec<SearchDoc> {
    let t = i18n::strings(site.config.language);
    cases
        .iter()
        .filter_map(|c| idx.cases.get_key_value(c))
        .filter_map(|(case, refs)| case_doc(t, idx, case, refs))
        .collect()
}

/// A case page: found by its case number, shown with its latest item.
fn case_doc(
    t: &'static i18n::Strings,
    idx: &SiteIndex<'_>,
    case: &CaseNumber,
    refs: &[ItemRef],
) -> Option<SearchDoc> {
    let last = refs.last()?;
    let (_, m, o) = idx.item(*last);
    let has_decision = o.section(SectionKind::Decision).is_some();
    Some(SearchDoc {
        kind: DocKind::Case,
        url: href_path(&case.path()),
        decision_anchor: false,
        title: nfc(&format!("{} {}: {}", t.case, case.as_str(), o.title)),
        case: Some(nfc(case.as_str())),
        decision: String::new(),
        recommendation: String::new(),
        body: String::new(),
        committee: last.committee,
        date: m.date,
        status: m.status.as_str(),
        has_decision,
        number: o.number,
        folder: m.folder.clone(),
        sort_title: nfc(&o.title),
    })
}

/// Numbers the documents: by committee, so that a committee filter is one
/// range of numbers; then by the words of the title (numbers left out)
/// from the rarest to the most common, so that documents about the same
/// thing sit side by side, and among them those that share a second word
/// too ("Lokalplan for Grenaa" beside "Forslag til lokalplan i Grenaa");
/// then shortest title and text first, as BM25 favours short fields. The
/// best results of a search of several words within a committee then
/// share a few metadata bundles instead of needing a download each.
fn order(docs: &mut Vec<SearchDoc>) {
    let words: Vec<Vec<String>> = docs
        .par_iter()
        .map_init(crate::search::analyzer::danish, |danish, d| {
            let mut w = crate::search::analyzer::terms(danish, &d.sort_title);
            w.retain(|t| {
                !t.chars().any(char::is_numeric) && !crate::search::analyzer::is_negation_pair(t)
            });
            w.sort();
            w.dedup();
            w
        })
        .collect();
    let mut df: FxHashMap<&str, usize> = FxHashMap::default();
    for w in &words {
        for t in w {
            *df.entry(t.as_str()).or_default() += 1;
        }
    }
    let words_of = |t: &str| t.split_whitespace().count();
    // (title words rarest first with their frequencies, (title length,
    // text length), doc)
    type Keyed<'a> = (Vec<(usize, &'a str)>, (usize, usize), SearchDoc);
    let mut keyed: Vec<Keyed> = words
        .par_iter()
        .zip(std::mem::take(docs))
        .map(|(w, d)| {
            let mut subject: Vec<(usize, &str)> =
                w.iter().map(|t| (df[t.as_str()], t.as_str())).collect();
            subject.sort_unstable();
            let text = words_of(&d.decision) + words_of(&d.recommendation) + words_of(&d.body);
            (subject, (words_of(&d.sort_title), text), d)
        })
        .collect();
    keyed.par_sort_by(|(ka, la, a), (kb, lb, b)| {
        (a.committee, ka, la, a.date, &a.folder, a.number, a.kind).cmp(&(
            b.committee,
            kb,
            lb,
            b.date,
            &b.folder,
            b.number,
            b.kind,
        ))
    });
    docs.extend(keyed.into_iter().map(|(_, _, d)| d));
}

fn item_doc(t: &'static i18n::Strings, committee: usize, m: &Meeting, item: &Item) -> SearchDoc {
    match item {
        Item::Open(o) => {
            let text_of = |kind: SectionKind| {
                o.sections
                    .iter()
                    .filter(|s| s.kind == kind)
                    .map(|s| s.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            // The public attachments' titles too: citizens look for "the
            // annual report", which is an attachment of the item.
            let body = o
                .sections
                .iter()
                .filter(|s| !matches!(s.kind, SectionKind::Decision | SectionKind::Recommendation))
                .map(|s| s.text.as_str())
                .chain(o.attachments.iter().map(|a| a.title.as_str()))
                .collect::<Vec<_>>()
                .join("\n");
            let has_decision = o.section(SectionKind::Decision).is_some();
            SearchDoc {
                kind: DocKind::Item,
                url: href_path(&o.path(m)),
                decision_anchor: has_decision,
                title: nfc(&o.title),
                case: o.case.as_ref().map(|c| nfc(c.as_str())),
                decision: nfc(&text_of(SectionKind::Decision)),
                recommendation: nfc(&text_of(SectionKind::Recommendation)),
                body: nfc(&body),
                committee,
                date: m.date,
                status: m.status.as_str(),
                has_decision,
                number: o.number,
                folder: m.folder.clone(),
                sort_title: nfc(&o.title),
            }
        }
        // Only what the model keeps of a closed item: its number (for the
        // anchor on the meeting page), public title and public decision.
        Item::Closed(c) => SearchDoc {
            kind: DocKind::Closed,
            url: format!("{}#{}", href_path(&m.path()), closed_anchor(c.number)),
            decision_anchor: false,
            title: nfc(crate::render::views::closed_title(t, c)),
            case: None,
            decision: nfc(c.public_decision.as_deref().unwrap_or_default()),
            recommendation: String::new(),
            body: String::new(),
            committee,
            date: m.date,
            status: m.status.as_str(),
            has_decision: c.public_decision.is_some(),
            number: c.number,
            folder: m.folder.clone(),
            sort_title: nfc(crate::render::views::closed_title(t, c)),
        },
    }
}

/// The id of an agenda line on the meeting page (`punkt-3`).
pub fn closed_anchor(number: u32) -> String {
    format!("punkt-{number}")
}

/// A fingerprint of everything the index is built from: when it matches the
/// cached index's, the cache is used as it is.
pub fn fingerprint(site: &Site, docs: &[SearchDoc], cache_key: &str) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut field = |s: &str| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    field(cache_key);
    field(site.config.language.code());
    for c in &site.committees {
        field(&c.slug);
        field(&c.name);
        field(c.short.as_deref().unwrap_or_default());
    }
    for d in docs {
        field(d.kind.as_str());
        field(&d.url);
        field(if d.decision_anchor { "1" } else { "0" });
        field(&d.title);
        field(d.case.as_deref().unwrap_or("\u{0}"));
        field(&d.decision);
        field(&d.recommendation);
        field(&d.body);
        field(&d.committee.to_string());
        field(&d.date.to_string());
        field(d.status);
        field(if d.has_decision { "1" } else { "0" });
    }
    format!("{:032x}", h.digest128())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
