//! Watching a site folder: notify events, filtered (editor temp files,
//! hidden files, reads) and debounced into batches of changed paths.
//!
//! The site root is watched on its own (not recursively), so that a
//! rename-on-save of config.toml is seen, and content/, themes/,
//! templates/ and static/ recursively: the output folder, `.git` and the
//! like are never watched at all.
//!
//! The loader follows links, so the watch does too. A recursive watch
//! follows linked folders, but a linked file lives in a folder that is not
//! watched: each gets a watch of its own, renewed when its path changes
//! (a save by rename replaces the file that watch was on).

pub mod debounce;
pub mod filter;
pub mod rebuild;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

pub use debounce::{Batch, Waited, changes_site, next_batch, wait_batch};

use crate::incremental::change::WATCHED_DIRS;

/// How long events must pause before a batch is rebuilt. Editors write a
/// file in several steps within a few milliseconds; a `git checkout`
/// writes thousands of files in a burst.
pub const QUIET: Duration = Duration::from_millis(60);

/// How long edits must pause before a stage that serves them with
/// provisional files (the search delta) runs in full.
pub const SETTLE: Duration = Duration::from_secs(1);

/// A burst that never pauses is still rebuilt after this long.
pub const MAX_WAIT: Duration = Duration::from_secs(5);

pub struct SiteWatcher {
    watcher: notify::RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    /// The site folder, absolute.
    root: PathBuf,
    /// Top-level folders under a recursive watch.
    watched: BTreeSet<PathBuf>,
    /// How long events must pause before a batch is handed on.
    quiet: Duration,
    /// Set by every event that changes a site file; cleared when
    /// [`wait`](Self::wait) starts. Long runs between waits stop on it.
    changed: Arc<AtomicBool>,
}

impl SiteWatcher {
    /// Starts watching the site folder `root` (made absolute here).
    pub fn new(root: &Path) -> notify::Result<SiteWatcher> {
        let root = std::fs::canonicalize(root)?;
        let (tx, rx) = channel();
        let changed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&changed);
        let events_root = root.clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if changes_site(&event, &events_root) {
                    flag.store(true, Ordering::Relaxed);
                }
                // The receiver is gone only when serving stops.
                let _ = tx.send(event);
            })?;
        watcher.watch(&root, RecursiveMode::NonRecursive)?;
        let mut w = SiteWatcher {
            watcher,
            rx,
            root,
            watched: BTreeSet::new(),
            quiet: QUIET,
            changed,
        };
        w.watch_folders();
        Ok(w)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Waits longer (or shorter) than [`QUIET`] for events to pause.
    pub fn set_quiet(&mut self, quiet: Duration) {
        self.quiet = quiet;
    }

    /// Waits for the next batch of changes; `None` when watching failed for good.
    pub fn next_batch(&mut self) -> Option<Batch> {
        match self.wait(None) {
            Waited::Batch(b) => Some(b),
            Waited::Idle | Waited::Closed => None,
        }
    }

    /// Waits for the next batch of changes, or (when `first` is given)
    /// until that long has passed without one.
    pub fn wait(&mut self, first: Option<Duration>) -> Waited {
        // Events from now on are the ones the next long run stops for;
        // earlier ones are in the channel and make this batch.
        self.changed.store(false, Ordering::Relaxed);
        let batch = match wait_batch(&self.rx, &self.root, self.quiet, MAX_WAIT, first) {
            Waited::Batch(b) => b,
            other => return other,
        };
        // A top-level folder that was created, removed or replaced needs
        // its watch (again).
        let top_changed = batch.rescan
            || WATCHED_DIRS
                .iter()
                .any(|d| batch.paths.contains(&self.root.join(d)));
        if top_changed {
            self.watch_folders();
        } else {
            // New links, links to new files, and folders moved in with
            // links inside.
            for path in &batch.paths {
                self.watch_links(path, true);
            }
        }
        Waited::Batch(batch)
    }

    /// Set whenever a site file changed since the last [`wait`](Self::wait)
    /// began: for [`Progress::stoppable`](crate::build::Progress::stoppable).
    pub fn changed_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.changed)
    }

    /// (Re)watches the links at or below `path`: linked files, and with
    /// `dirs` linked folders too (a recursive watch follows those it finds
    /// when it starts, not those made later).
    fn watch_links(&mut self, path: &Path, dirs: bool) {
        let links = walkdir::WalkDir::new(path)
            .follow_links(true)
            .into_iter()
            .flatten()
            .filter(|e| e.path_is_symlink());
        for link in links {
            let mode = if !link.file_type().is_dir() {
                RecursiveMode::NonRecursive
            } else if dirs {
                RecursiveMode::Recursive
            } else {
                continue;
            };
            // Gone again, or a broken link: nothing to watch.
            let _ = self.watcher.watch(link.path(), mode);
        }
    }

    /// (Re)watches the top-level folders that exist now, and the links in
    /// them.
    fn watch_folders(&mut self) {
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            if self.watched.remove(&path) {
                let _ = self.watcher.unwatch(&path);
            }
            if path.is_dir() && !self.watched.contains(&path) {
                match self.watcher.watch(&path, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(path.clone());
                    }
                    Err(e) => eprintln!("warning: cannot watch {}: {e}", path.display()),
                }
            }
            self.watch_links(&path, false);
        }
    }
}
