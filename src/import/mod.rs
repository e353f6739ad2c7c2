//! `protokol import`: published minutes text → content files.
//!
//! A municipality moving to protokol has years of minutes in its old
//! system, exported as one text file per agenda item. [`parse`] reads such a
//! text into a typed item, [`write`] plans the committee, meeting and item
//! files it becomes and writes them, [`markdown`] turns it into an item
//! file. A file that cannot be understood is reported and skipped; the
//! others are imported.

pub mod decode;
pub mod markdown;
pub mod names;
pub mod parse;
pub mod write;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub use write::{Change, Outcome};

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The site folder; items go to `root/content`.
    pub root: PathBuf,
    /// Import into this committee folder instead of the one the decision
    /// heading names.
    pub committee: Option<String>,
    /// The meeting date, instead of the decision heading's.
    pub date: Option<NaiveDate>,
    /// Overwrite item files that were imported before and differ now.
    pub force: bool,
    /// Plan and report, write nothing.
    pub dry_run: bool,
}

/// What became of one source file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub source: PathBuf,
    /// `Err(reason)`: the file was skipped.
    pub outcome: Result<Outcome, String>,
    /// Things worth checking, e.g. attachments listed without a file.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub files: Vec<FileReport>,
    /// Files written (or, in a dry run, that would be).
    pub changes: Vec<Change>,
    /// Committees made or changed.
    pub notes: Vec<String>,
    pub dry_run: bool,
}

impl ImportReport {
    pub fn failed(&self) -> usize {
        self.files.iter().filter(|f| f.outcome.is_err()).count()
    }

    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.files
            .iter()
            .filter(|r| r.outcome.as_ref().is_ok_and(&f))
            .count()
    }

    /// Skipped files, one `path: reason` line each.
    pub fn failures(&self) -> String {
        let mut out = String::new();
        for f in &self.files {
            if let Err(reason) = &f.outcome {
                let _ = writeln!(out, "{}: {reason}", f.source.display());
            }
        }
        out
    }

    /// What happened, for the terminal. A dry run also shows the files'
    /// contents.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for f in &self.files {
            let src = f.source.display();
            let line = match &f.outcome {
                Ok(Outcome::Created { item }) => format!("{src} → {} (new)", item.display()),
                Ok(Outcome::Updated { item }) => format!("{src} → {} (updated)", item.display()),
                Ok(Outcome::Unchanged { item }) => {
                    format!("{src} → {} (unchanged)", item.display())
                }
                Ok(Outcome::Kept { item }) => format!(
                    "{src} → {} exists and differs: kept as it is (--force overwrites it)",
                    item.display()
                ),
                Ok(Outcome::Duplicate { item, of }) => format!(
                    "{src} → {} is the same item as {}: skipped",
                    item.display(),
                    of.display()
                ),
                Err(reason) => format!("{src}: skipped: {reason}"),
            };
            out.push_str(&line);
            out.push('\n');
            for n in &f.notes {
                let _ = writeln!(out, "  note: {n}");
            }
        }
        for n in &self.notes {
            let _ = writeln!(out, "{n}");
        }
        if self.dry_run {
            for c in &self.changes {
                let what = if c.new_file { "new" } else { "changed" };
                let _ = writeln!(out, "\n--- would write {} ({what})", c.path.display());
                match std::str::from_utf8(&c.bytes) {
                    Ok(text) if !text.contains('\0') => out.push_str(text),
                    _ => {
                        let _ = writeln!(out, "({} bytes)", c.bytes.len());
                    }
                }
            }
            out.push('\n');
        }
        let items = |n: usize| if n == 1 { "item" } else { "items" };
        let created = self.count(|o| matches!(o, Outcome::Created { .. }));
        let updated = self.count(|o| matches!(o, Outcome::Updated { .. }));
        let unchanged = self.count(|o| matches!(o, Outcome::Unchanged { .. }));
        let kept = self.count(|o| matches!(o, Outcome::Kept { .. }));
        let _ = write!(
            out,
            "{}{created} new {}, {updated} updated, {unchanged} unchanged, {kept} kept",
            if self.dry_run {
                "Dry run, nothing written: "
            } else {
                ""
            },
            items(created),
        );
        if self.failed() > 0 {
            let _ = write!(out, "; {} skipped file(s)", self.failed());
        }
        let _ = writeln!(
            out,
            "; {} file(s) {}written",
            self.changes.len(),
            if self.dry_run { "would be " } else { "" }
        );
        out
    }
}

/// Why an import could not start at all.
#[derive(Debug)]
pub struct ImportError(pub String);

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ImportError {}

/// Imports text files, and the `.txt` files in folders (recursively, in
/// natural order: `2 x.txt` before `10 x.txt`).
pub fn import(opts: &ImportOptions, inputs: &[PathBuf]) -> Result<ImportReport, ImportError> {
    if let Some(slug) = &opts.committee {
        check_committee_slug(slug)?;
    }
    let mut report = ImportReport {
        dry_run: opts.dry_run,
        ..Default::default()
    };
    let content = opts.root.join("content");
    let mut parsed = Vec::new();
    for source in collect_inputs(inputs, &content) {
        let (source, read) = match source {
            Ok(p) => {
                let r = std::fs::read(&p).map_err(|e| format!("cannot read: {e}"));
                (p, r)
            }
            Err((p, reason)) => (p, Err(reason)),
        };
        let mut notes = Vec::new();
        let item = read.and_then(|bytes| decode::decode(&bytes)).and_then(|d| {
            notes.extend(d.note);
            parse::parse(&d.text)
        });
        parsed.push((source, item, notes));
    }

    let mut ws = write::Workspace::open(&opts.root, opts.force).map_err(ImportError)?;
    if opts.committee.is_none() {
        let items: Vec<_> = parsed
            .iter()
            .filter_map(|(_, i, _)| i.as_ref().ok())
            .collect();
        ws.register_committees(&items);
    }
    for (source, item, mut notes) in parsed {
        let outcome = item.and_then(|item| {
            let req = write::ItemRequest {
                source: &source,
                item: &item,
                committee: opts.committee.as_deref(),
                date: opts.date,
                number_hint: number_hint(&source),
            };
            let outcome = ws.import_item(&req)?;
            if matches!(outcome, Outcome::Created { .. } | Outcome::Updated { .. }) {
                notes.append(&mut ws.item_notes);
            }
            Ok(outcome)
        });
        report.files.push(FileReport {
            source,
            outcome,
            notes,
        });
    }
    report.notes = std::mem::take(&mut ws.notes);
    report.changes = ws.finish(opts.dry_run).map_err(ImportError)?;
    Ok(report)
}

/// A committee folder name as the content contract and URLs need it.
fn check_committee_slug(slug: &str) -> Result<(), ImportError> {
    let ok = !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-');
    if !ok {
        return Err(ImportError(format!(
            "--committee {slug:?}: a committee folder name is lower-case letters a-z, digits and '-', such as \"hovedudvalget\""
        )));
    }
    if slug == crate::load::PAGES_DIR || crate::check::RESERVED.contains(&slug) {
        return Err(ImportError(format!(
            "--committee {slug:?}: that folder name is used by the site itself"
        )));
    }
    Ok(())
}

type Source = Result<PathBuf, (PathBuf, String)>;

fn collect_inputs(inputs: &[PathBuf], content: &Path) -> Vec<Source> {
    let content = content.canonicalize().ok();
    let mut out = Vec::new();
    for input in inputs {
        if input.is_file() {
            out.push(Ok(input.clone()));
            continue;
        }
        if !input.is_dir() {
            out.push(Err((input.clone(), "no such file or folder".to_string())));
            continue;
        }
        let mut files: Vec<(String, PathBuf)> = walkdir::WalkDir::new(input)
            .into_iter()
            .filter_entry(|e| {
                let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
                // The site's own content is output, not input.
                let own = content.is_some()
                    && e.path().canonicalize().ok().as_deref() == content.as_deref();
                !hidden && !own
            })
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter(|e| {
                e.path()
                    .extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("txt"))
            })
            .map(|e| {
                let rel = e.path().strip_prefix(input).unwrap_or(e.path());
                (crate::load::nfc(&rel.to_string_lossy()), e.into_path())
            })
            .collect();
        files.sort_by(|a, b| names::natural_cmp(&a.0, &b.0));
        out.extend(files.into_iter().map(|(_, p)| Ok(p)));
    }
    out
}

/// The agenda number in an export's file name: `03-frisaettelse.txt`,
/// `3 Frisættelse.txt`. A date (`15-11-2024 ...`) is no number.
pub fn number_hint(path: &Path) -> Option<u32> {
    let stem = path.file_stem()?.to_string_lossy();
    let digits = stem.len() - stem.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = &stem[digits..];
    let after = rest.trim_start_matches([' ', '-', '_', '.']);
    let separated = after.len() < rest.len() || rest.is_empty();
    let then_digit = after.starts_with(|c: char| c.is_ascii_digit());
    if !separated || then_digit {
        return None;
    }
    stem[..digits].parse().ok().filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agenda_numbers_in_file_names() {
        let n = |s: &str| number_hint(Path::new(s));
        assert_eq!(n("03-frisaettelse.txt"), Some(3));
        assert_eq!(n("3 Frisættelse.txt"), Some(3));
        assert_eq!(n("12. Budget.txt"), Some(12));
        assert_eq!(n("7.txt"), Some(7));
        assert_eq!(n("15-11-2024 Frisættelse.txt"), None);
        assert_eq!(n("2024-11-15.txt"), None);
        assert_eq!(n("frisaettelse.txt"), None);
        assert_eq!(n("3a.txt"), None);
        assert_eq!(n("0 x.txt"), None);
    }

    #[test]
    fn committee_slugs_are_checked() {
        assert!(check_committee_slug("hovedudvalget").is_ok());
        assert!(check_committee_slug("udvalg-2").is_ok());
        assert!(check_committee_slug("Hovedudvalget").is_err());
        assert!(check_committee_slug("../x").is_err());
        assert!(check_committee_slug("sager").is_err());
        assert!(check_committee_slug("pages").is_err());
        assert!(check_committee_slug("").is_err());
    }
}
