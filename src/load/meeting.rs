//! Meeting folders: `<YYYY-MM-DD>[-<suffix>]/meeting.toml` and their items.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::Diagnostic;
use crate::load::item::{self, ItemContext};
use crate::load::{markdown, nfc, read_text, toml_file};
use crate::model::{Item, Meeting, MeetingStatus, SectionKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeeting {
    start: Option<String>,
    end: Option<String>,
    location: Option<String>,
    status: Option<MeetingStatus>,
    #[serde(default)]
    absent: Vec<String>,
    note: Option<String>,
}

impl<'de> Deserialize<'de> for MeetingStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "agenda" => Ok(MeetingStatus::Agenda),
            "minutes" => Ok(MeetingStatus::Minutes),
            "cancelled" => Ok(MeetingStatus::Cancelled),
            other => Err(serde::de::Error::custom(format!(
                "unknown status {other:?}: expected \"agenda\", \"minutes\" or \"cancelled\""
            ))),
        }
    }
}

/// The date of a meeting folder name, `2024-11-15` or `2024-11-15-ekstra`.
/// `None` when the name does not look like a date at all; an error when it
/// does but the date is impossible.
pub fn date_of_folder(name: &str) -> Option<Result<NaiveDate, String>> {
    let b = name.as_bytes();
    let looks_like_date = b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && (b.len() == 10 || (b[10] == b'-' && b.len() > 11));
    if !looks_like_date {
        return None;
    }
    Some(
        NaiveDate::parse_from_str(&name[..10], "%Y-%m-%d")
            .map_err(|_| format!("{:?} is not a real date", &name[..10])),
    )
}

fn check_time(
    path: &Path,
    text: &str,
    key: &str,
    value: &Option<String>,
    problems: &mut Vec<Diagnostic>,
) {
    if let Some(v) = value {
        let ok = chrono::NaiveTime::parse_from_str(v, "%H:%M").is_ok() && v.len() == 5;
        if !ok {
            problems.push(Diagnostic::new(
                path,
                toml_file::line_of_key(text, key, 1),
                format!("`{key}` must be a time as HH:MM, such as \"14:00\", not {v:?}"),
            ));
        }
    }
}

pub fn load(
    dir: &Path,
    committee: &str,
    folder: &str,
    date: NaiveDate,
    content_dir: &Path,
    site: &markdown::SiteBase,
    known_committee: &dyn Fn(&str) -> bool,
) -> Result<Meeting, Vec<Diagnostic>> {
    let links = site.links(format!("{committee}/{folder}/"), content_dir.to_path_buf());
    let mut problems = Vec::new();
    let toml_path = dir.join("meeting.toml");
    // Every key of meeting.toml is optional, so the file is too: a dated
    // folder of items is a meeting without it.
    let missing = matches!(
        toml_path.symlink_metadata(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound
    );
    let text = if missing {
        Ok(String::new())
    } else {
        read_text(&toml_path)
    };
    let raw = match text {
        Ok(text) => match toml_file::parse_all::<RawMeeting>(&toml_path, &text, 1) {
            (Some(raw), mut list) => {
                problems.append(&mut list);
                check_time(&toml_path, &text, "start", &raw.start, &mut problems);
                check_time(&toml_path, &text, "end", &raw.end, &mut problems);
                // Compared as text: both are HH:MM once checked.
                if let (Some(start), Some(end)) = (&raw.start, &raw.end)
                    && problems.is_empty()
                    && end < start
                {
                    problems.push(Diagnostic::new(
                        &toml_path,
                        toml_file::line_of_key(&text, "end", 1),
                        format!("`end` ({end}) is before `start` ({start})"),
                    ));
                }
                let note = match &raw.note {
                    Some(n) => match markdown::render(
                        &toml_path,
                        n,
                        toml_file::line_of_key(&text, "note", 1),
                        &links,
                    ) {
                        Ok(r) => Some(r.html),
                        Err(mut p) => {
                            problems.append(&mut p);
                            None
                        }
                    },
                    None => None,
                };
                Some((raw, note))
            }
            (None, mut list) => {
                problems.append(&mut list);
                None
            }
        },
        Err(d) => {
            problems.push(d);
            None
        }
    };

    let ctx = ItemContext {
        meeting_dir: dir,
        content_dir,
        known_committee,
        links: &links,
    };
    let mut items: BTreeMap<u32, Item> = BTreeMap::new();
    let mut numbers: BTreeMap<u32, String> = BTreeMap::new();
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).collect(),
        Err(e) => {
            return Err(vec![Diagnostic::file(
                dir,
                format!("cannot read folder: {e}"),
            )]);
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = nfc(&entry.file_name().to_string_lossy());
        // Without the file, one named almost so (`Meeting.toml`,
        // `meeting.toml.txt`) was meant to be it: its status, time and
        // place would otherwise be dropped in silence (and read on a file
        // system that ignores case, but not on one that does not).
        if missing && name.to_lowercase().starts_with("meeting.toml") {
            problems.push(Diagnostic::file(
                &path,
                "a meeting's settings are read from a file named exactly `meeting.toml`",
            ));
            continue;
        }
        let Some(stem) = name.strip_suffix(".md") else {
            // `03-budget.MD` reads as an item to its writer: not skipped
            // in silence as an attachment would be.
            let lower = name.to_lowercase();
            if let Some(stem) = lower.strip_suffix(".md")
                && item::number_of(stem).is_some()
            {
                problems.push(Diagnostic::file(
                    &path,
                    "an agenda item's file name ends in `.md`, in lower case",
                ));
            }
            continue; // attachments and meeting.toml
        };
        // The folder listing says what each entry is: no stat per item,
        // but for a link, which is followed.
        let is_file = match entry.file_type() {
            Ok(t) if !t.is_symlink() => t.is_file(),
            _ => path.is_file(),
        };
        if name.starts_with('.') || !is_file {
            continue;
        }
        let Some(number) = item::number_of(stem) else {
            // Any other file is an attachment, Markdown too (`notat.md`);
            // one with an item's front matter is an item named wrongly,
            // which would otherwise be left out in silence.
            if starts_with_front_matter(&path) {
                problems.push(Diagnostic::file(
                    &path,
                    "an agenda item's file name must start with its number, as in `01-budget.md`",
                ));
            }
            continue;
        };
        // Checked before the file is read, so that a broken item does not
        // hide that its number is taken.
        let taken = numbers.contains_key(&number);
        match numbers.get(&number) {
            Some(other) => problems.push(Diagnostic::new(
                &path,
                1,
                format!("item number {number} is used twice in this meeting: also by {other}.md"),
            )),
            None => {
                numbers.insert(number, stem.to_string());
            }
        }
        let text = match read_text(&path) {
            Ok(t) => t,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        match item::parse(&path, &text, number, stem, &ctx) {
            Ok(item) if !taken => {
                items.insert(number, item);
            }
            Ok(_) => {}
            Err(mut p) => problems.append(&mut p),
        }
    }

    // A leftover or not yet filled folder is no meeting to publish.
    if missing && numbers.is_empty() && problems.is_empty() {
        problems.push(Diagnostic::file(
            dir,
            "a meeting folder holds meeting.toml or at least one agenda item (`01-….md`)",
        ));
    }
    let Some((raw, note_html)) = raw else {
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let items: Vec<Item> = items.into_values().collect();
    // Without a status, a meeting whose items carry decisions has minutes.
    let status = raw.status.unwrap_or_else(|| {
        let decided = items
            .iter()
            .filter_map(Item::as_open)
            .any(|i| i.section(SectionKind::Decision).is_some());
        if decided {
            MeetingStatus::Minutes
        } else {
            MeetingStatus::Agenda
        }
    });
    Ok(Meeting {
        committee: committee.to_string(),
        folder: folder.to_string(),
        date,
        start: raw.start,
        end: raw.end,
        location: raw.location.filter(|l| !l.trim().is_empty()),
        status,
        absent: raw
            .absent
            .into_iter()
            .filter(|a| !a.trim().is_empty())
            .collect(),
        note_html,
        items,
    })
}

/// Whether a file's first line is `+++`, as an item's is.
fn starts_with_front_matter(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    head.strip_prefix(b"+++")
        .is_some_and(|rest| rest.first().is_none_or(|b| b.is_ascii_whitespace()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_dates() {
        assert_eq!(
            date_of_folder("2024-11-15").unwrap().unwrap(),
            NaiveDate::from_ymd_opt(2024, 11, 15).unwrap()
        );
        assert!(date_of_folder("2024-11-15-ekstra").unwrap().is_ok());
        assert!(date_of_folder("2024-02-30").unwrap().is_err());
        assert!(date_of_folder("2024-11-15-").is_none());
        assert!(date_of_folder("bilag").is_none());
    }
}
