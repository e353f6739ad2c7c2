//! The site as loaded from `content/`: committees, meetings, items, pages.
//!
//! This is already the *public* model. A closed item is loaded into a
//! [`ClosedItem`], which has no field for its private title, body, case
//! number, route, attachments or file name: the loader drops them after
//! checking them, so no renderer, search index, feed or export can publish
//! them by mistake.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Config;

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Sorted by `order`, then by name in Danish order.
    pub committees: Vec<Committee>,
    /// Free-standing pages from `content/pages/`, sorted by slug.
    pub pages: Vec<Page>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Committee {
    pub slug: String,
    pub name: String,
    pub short: Option<String>,
    pub description_html: String,
    pub description_text: String,
    pub order: i64,
    pub members: Vec<Member>,
    /// Oldest first, in [`Meeting::order`]. Shared, so that
    /// `serve` can keep the previous model beside a new one without copying
    /// every meeting.
    pub meetings: Vec<Arc<Meeting>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub name: String,
    pub role: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MeetingStatus {
    Agenda,
    Minutes,
    Cancelled,
}

impl MeetingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Agenda => "agenda",
            MeetingStatus::Minutes => "minutes",
            MeetingStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Meeting {
    pub committee: String,
    /// The folder name, `2024-11-15` or `2024-11-15-ekstra`; unique in its committee.
    pub folder: String,
    pub date: NaiveDate,
    /// `HH:MM` local time.
    pub start: Option<String>,
    pub end: Option<String>,
    pub location: Option<String>,
    pub status: MeetingStatus,
    pub absent: Vec<String>,
    pub note_html: Option<String>,
    /// By agenda number.
    pub items: Vec<Item>,
}

impl Meeting {
    /// When the meeting is, as lists order meetings: by date, then start
    /// time, with meetings without one after those with one that day.
    pub fn when(&self) -> (NaiveDate, u32) {
        // Sorting calls this often, so no parsing: loading checked that a
        // start is `HH:MM`, whose digits as bytes order like the time.
        let start = match self.start.as_deref().map(str::as_bytes) {
            Some(&[h1, h2, b':', m1, m2]) => u32::from_be_bytes([h1, h2, m1, m2]),
            _ => u32::MAX,
        };
        (self.date, start)
    }

    /// The order of a committee's meetings, oldest first: by [`Meeting::when`],
    /// then by folder name, which is unique in a committee.
    pub fn order(a: &Meeting, b: &Meeting) -> std::cmp::Ordering {
        (a.when(), &a.folder).cmp(&(b.when(), &b.folder))
    }

    /// Site-relative folder of the meeting's page, e.g. `hovedudvalget/2024-11-15/`.
    pub fn path(&self) -> String {
        format!("{}/{}/", self.committee, self.folder)
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Item {
    Open(OpenItem),
    Closed(ClosedItem),
}

impl Item {
    pub fn number(&self) -> u32 {
        match self {
            Item::Open(i) => i.number,
            Item::Closed(i) => i.number,
        }
    }

    pub fn as_open(&self) -> Option<&OpenItem> {
        match self {
            Item::Open(i) => Some(i),
            Item::Closed(_) => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenItem {
    pub number: u32,
    /// The file name without `.md`, e.g. `01-frisaettelse`: the item's URL segment.
    pub slug: String,
    pub title: String,
    pub case: Option<CaseNumber>,
    /// Committee short names, as written.
    pub route: Vec<String>,
    pub sections: Vec<Section>,
    /// Public attachments only; `public = false` ones are dropped at loading.
    pub attachments: Vec<Attachment>,
}

impl OpenItem {
    pub fn path(&self, meeting: &Meeting) -> String {
        format!("{}{}/", meeting.path(), self.slug)
    }

    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// The decision of the item's own meeting. An item may carry the
    /// decisions of the committees its case passed before ("Beslutning i
    /// Økonomiudvalget", then "Beslutning i Kommunalbestyrelsen"): the
    /// last one is this meeting's.
    pub fn decision(&self) -> Option<&Section> {
        self.sections
            .iter()
            .rev()
            .find(|s| s.kind == SectionKind::Decision)
    }
}

/// What may be published of a closed item, and nothing more.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosedItem {
    pub number: u32,
    /// `public_title`; `None` means the interface's "Lukket punkt".
    pub public_title: Option<String>,
    pub public_decision: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    Presentation,
    Economy,
    Recommendation,
    Decision,
    Other,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// `None` for text before the first level-2 heading.
    pub heading: Option<String>,
    pub kind: SectionKind,
    /// Safe HTML: raw HTML in the source is escaped, links are checked.
    pub html: String,
    /// Plain text, for search and descriptions.
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub title: String,
    /// Relative to the meeting folder, with `/` separators; also its URL below the meeting.
    pub file: String,
    #[serde(skip)]
    pub source: PathBuf,
    pub size: u64,
}

impl Attachment {
    /// Upper-case file extension (`PDF`), shown next to the link.
    pub fn file_type(&self) -> String {
        std::path::Path::new(&self.file)
            .extension()
            .map(|e| e.to_string_lossy().to_uppercase())
            .unwrap_or_default()
    }
}

/// A case number such as `24/277`: links items across meetings and committees.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CaseNumber(String);

impl CaseNumber {
    /// In Unicode NFC, as file names are: "ØU/12" typed decomposed is the
    /// same case, on the same page.
    pub fn new(s: &str) -> Option<CaseNumber> {
        let s = s.trim();
        (!s.is_empty()).then(|| CaseNumber(crate::load::nfc(s)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// URL segment: the case number with `/` written `-`, as the content
    /// contract has it (`24/277` is `24-277`, `00.01.00-A00-1-24` stays
    /// as it is). So that no number needs escaping or names another
    /// folder, anything but letters, digits, `.`, `_` and `-` (a space,
    /// `#`, `?`, `\`) is written `-` too, and so is a leading `.` (hosts
    /// and upload tools skip hidden folders). Letter case is kept: numbers
    /// that differ only in it are refused (`check`), as on a file system
    /// that ignores case they would share one folder.
    pub fn slug(&self) -> String {
        self.0
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if c.is_alphanumeric() || (c == '.' && i > 0) || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect()
    }

    /// Site-relative folder of the case page.
    pub fn path(&self) -> String {
        format!("sager/{}/", self.slug())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub html: String,
    pub text: String,
}

impl Page {
    pub fn path(&self) -> String {
        format!("{}/", self.slug)
    }
}
