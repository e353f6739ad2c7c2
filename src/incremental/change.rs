//! What a changed path means for the site.

use std::collections::BTreeSet;
use std::path::{Component, Path};

use crate::load::{PAGES_DIR, meeting, nfc};
use crate::stage::MeetingKey;

/// Folders of the site root whose changes matter (besides config.toml).
pub const WATCHED_DIRS: &[&str] = &["content", "themes", "templates", "static"];

/// What has to be rebuilt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Everything: config, theme, templates, static files, committees or
    /// free-standing pages changed (they show on every page), or the
    /// change is one the engine cannot place.
    Full,
    /// Only these meeting folders changed (added, edited or removed).
    Meetings(BTreeSet<MeetingKey>),
}

impl Change {
    /// Both changes together.
    pub fn merge(self, other: Change) -> Change {
        match (self, other) {
            (Change::Meetings(mut a), Change::Meetings(b)) => {
                a.extend(b);
                Change::Meetings(a)
            }
            _ => Change::Full,
        }
    }

    /// The change that a set of paths (relative to the site root) makes;
    /// `None` when none of them belongs to the site.
    pub fn of_paths<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Option<Change> {
        paths.into_iter().filter_map(classify).reduce(Change::merge)
    }
}

/// What a change of `rel` (a path relative to the site root) means:
/// `None` for files that are not part of the site (the output folder,
/// notes beside config.toml, `.git`).
pub fn classify(rel: &Path) -> Option<Change> {
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(s) => parts.push(nfc(&s.to_string_lossy())),
            Component::CurDir => {}
            // An absolute or `..` path is not below the root: be safe.
            _ => return Some(Change::Full),
        }
    }
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    match parts.as_slice() {
        [] => Some(Change::Full),
        ["config.toml"] => Some(Change::Full),
        [dir, ..] if *dir != "content" && WATCHED_DIRS.contains(dir) => Some(Change::Full),
        ["content", committee, folder, ..]
            if *committee != PAGES_DIR
                && *folder != "committee.toml"
                && matches!(meeting::date_of_folder(folder), Some(Ok(_))) =>
        {
            Some(Change::Meetings(BTreeSet::from([MeetingKey {
                committee: committee.to_string(),
                folder: folder.to_string(),
            }])))
        }
        // content/ itself, a committee folder, committee.toml, pages, or
        // anything the loader would complain about: the full build sees
        // (and reports) it as `build` would.
        ["content", ..] => Some(Change::Full),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting(c: &str, f: &str) -> Option<Change> {
        Some(Change::Meetings(BTreeSet::from([MeetingKey {
            committee: c.into(),
            folder: f.into(),
        }])))
    }

    #[test]
    fn paths_are_classified() {
        let c = |p: &str| classify(Path::new(p));
        assert_eq!(c("config.toml"), Some(Change::Full));
        assert_eq!(c("templates/item.html"), Some(Change::Full));
        assert_eq!(c("themes/x/static/a.css"), Some(Change::Full));
        assert_eq!(c("static/logo.svg"), Some(Change::Full));
        assert_eq!(c("content"), Some(Change::Full));
        assert_eq!(c("content/hu"), Some(Change::Full));
        assert_eq!(c("content/hu/committee.toml"), Some(Change::Full));
        assert_eq!(c("content/pages/om.md"), Some(Change::Full));
        assert_eq!(c("content/pages/2024-01-01/x"), Some(Change::Full));
        assert_eq!(c("content/hu/notes"), Some(Change::Full));
        assert_eq!(c("content/hu/2024-02-30/01-a.md"), Some(Change::Full));
        assert_eq!(c("content/hu/2024-11-15"), meeting("hu", "2024-11-15"));
        assert_eq!(
            c("content/hu/2024-11-15-ekstra/01-a.md"),
            meeting("hu", "2024-11-15-ekstra")
        );
        assert_eq!(
            c("./content/hu/2024-11-15/bilag/a.pdf"),
            meeting("hu", "2024-11-15")
        );
        assert_eq!(c("public/index.html"), None);
        assert_eq!(c("README.md"), None);
        assert_eq!(c("../elsewhere"), Some(Change::Full));
    }

    #[test]
    fn decomposed_names_are_composed() {
        // "å" as a + combining ring, as macOS writes it.
        let nfd = "content/a\u{30a}rhus/2024-01-01/01-a.md";
        assert_eq!(
            classify(Path::new(nfd)),
            meeting("\u{e5}rhus", "2024-01-01")
        );
    }

    #[test]
    fn changes_merge() {
        let a = meeting("hu", "2024-01-01").unwrap();
        let b = meeting("hu", "2024-02-01").unwrap();
        let Change::Meetings(both) = a.clone().merge(b) else {
            panic!("two meetings merge into meetings");
        };
        assert_eq!(both.len(), 2);
        assert_eq!(a.merge(Change::Full), Change::Full);
        assert_eq!(
            Change::of_paths([Path::new("README.md"), Path::new(".git/x")]),
            None
        );
    }
}
