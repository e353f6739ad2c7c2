//! Which changed paths are noise: editors' temp, swap, lock and backup
//! files, hidden files, and file reads.

use std::path::{Component, Path};

use notify::EventKind;
use notify::event::{AccessKind, AccessMode};

/// Is `name` a file an editor or the system makes beside the real one?
pub fn is_editor_file(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "~",            // backups (vim, emacs, gedit)
        ".swp",         // vim swap files (also hidden, but not always)
        ".swx",         // vim
        ".swo",         // vim
        ".tmp",         // many editors' safe-write temp files
        ".temp",        //
        ".crswap",      // Chromium-based editors
        "___jb_tmp___", // JetBrains safe write
        "___jb_old___", // JetBrains safe write
        ".kate-swp",    // Kate
    ];
    name.starts_with('.') // hidden: .#lock (emacs), .DS_Store, .x.swp, .git
        || name == "4913" // vim checks it may write in a folder with this file
        || (name.starts_with('#') && name.ends_with('#')) // emacs auto-save
        || name == "Thumbs.db"
        || SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Is a changed path (relative to the site root) noise? A path is noise
/// when any part of it is hidden or an editor's file.
pub fn is_ignored(rel: &Path) -> bool {
    rel.components().any(|c| match c {
        Component::Normal(name) => is_editor_file(&name.to_string_lossy()),
        _ => false,
    })
}

/// Does an event of this kind change anything? Reads do not: the loader's
/// own reads of content files would otherwise trigger rebuilds forever.
pub fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind, RenameMode};

    #[test]
    fn editor_files_are_ignored() {
        for junk in [
            "content/hu/2024-01-01/.01-a.md.swp",
            "content/hu/2024-01-01/.01-a.md.swx",
            "content/hu/2024-01-01/01-a.md~",
            "content/hu/2024-01-01/.#01-a.md",
            "content/hu/2024-01-01/#01-a.md#",
            "content/hu/2024-01-01/4913",
            "content/hu/2024-01-01/01-a.md.tmp",
            "content/hu/.DS_Store",
            "content/hu/2024-01-01/01-a.md___jb_tmp___",
            "config.toml.swp",
            ".git/index",
            "content/.hidden/x.md",
        ] {
            assert!(is_ignored(Path::new(junk)), "{junk} must be ignored");
        }
        for real in [
            "config.toml",
            "content/hu/2024-01-01/01-a.md",
            "content/hu/2024-01-01/bilag.pdf",
            "content/hu/committee.toml",
            "templates/item.html",
            "static/logo-4913.svg",
        ] {
            assert!(!is_ignored(Path::new(real)), "{real} must not be ignored");
        }
    }

    #[test]
    fn reads_are_not_changes() {
        assert!(!changes_files(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_files(&EventKind::Create(CreateKind::File)));
        assert!(changes_files(&EventKind::Modify(ModifyKind::Name(
            RenameMode::To
        ))));
        assert!(changes_files(&EventKind::Remove(
            notify::event::RemoveKind::Any
        )));
    }
}
