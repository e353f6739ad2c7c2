//! Debouncing: events are collected until they pause, then handed on as
//! one batch.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::filter::{changes_files, is_ignored};

/// The changes of one burst of events.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Changed paths (absolute), without noise.
    pub paths: BTreeSet<PathBuf>,
    /// Events were lost (the kernel's queue overflowed) or the watcher
    /// failed: anything may have changed.
    pub rescan: bool,
}

impl Batch {
    fn take(&mut self, event: notify::Result<notify::Event>, root: &Path) -> bool {
        match event {
            Err(_) => {
                self.rescan = true;
                true
            }
            Ok(e) if e.need_rescan() => {
                self.rescan = true;
                true
            }
            Ok(e) if !changes_files(&e.kind) => false,
            Ok(e) => {
                let mut relevant = false;
                for p in e.paths {
                    let rel = p.strip_prefix(root).unwrap_or(&p);
                    if !is_ignored(rel) {
                        self.paths.insert(p);
                        relevant = true;
                    }
                }
                relevant
            }
        }
    }
}

/// Whether `event` changes a file of the site (or asks for a rescan):
/// what a batch would take in.
pub fn changes_site(event: &notify::Result<notify::Event>, root: &Path) -> bool {
    match event {
        Err(_) => true,
        Ok(e) if e.need_rescan() => true,
        Ok(e) => {
            changes_files(&e.kind)
                && e.paths
                    .iter()
                    .any(|p| !is_ignored(p.strip_prefix(root).unwrap_or(p)))
        }
    }
}

/// Waits for a relevant event, then collects events until none has come
/// for `quiet` (or `max_wait` has passed since the first), and returns
/// them as one batch. `None` when the sender is gone.
pub fn next_batch(
    rx: &Receiver<notify::Result<notify::Event>>,
    root: &Path,
    quiet: Duration,
    max_wait: Duration,
) -> Option<Batch> {
    match wait_batch(rx, root, quiet, max_wait, None) {
        Waited::Batch(b) => Some(b),
        Waited::Idle | Waited::Closed => None,
    }
}

/// What [`wait_batch`] saw.
#[derive(Debug, PartialEq, Eq)]
pub enum Waited {
    Batch(Batch),
    /// No change came within the time given.
    Idle,
    /// The watcher is gone.
    Closed,
}

/// [`next_batch`], but giving up when no relevant event comes within
/// `first` (when given).
pub fn wait_batch(
    rx: &Receiver<notify::Result<notify::Event>>,
    root: &Path,
    quiet: Duration,
    max_wait: Duration,
    first: Option<Duration>,
) -> Waited {
    let mut batch = Batch::default();
    let deadline = first.map(|f| Instant::now() + f);
    loop {
        let event = match deadline {
            None => match rx.recv() {
                Ok(e) => e,
                Err(_) => return Waited::Closed,
            },
            Some(d) => match rx.recv_timeout(d.saturating_duration_since(Instant::now())) {
                Ok(e) => e,
                Err(RecvTimeoutError::Timeout) => return Waited::Idle,
                Err(RecvTimeoutError::Disconnected) => return Waited::Closed,
            },
        };
        if batch.take(event, root) {
            break;
        }
    }
    let first = Instant::now();
    let mut last = first;
    loop {
        let now = Instant::now();
        let wait = quiet
            .saturating_sub(now - last)
            .min(max_wait.saturating_sub(now - first));
        if wait.is_zero() {
            return Waited::Batch(batch);
        }
        match rx.recv_timeout(wait) {
            Ok(event) => {
                if batch.take(event, root) {
                    last = Instant::now();
                }
            }
            Err(RecvTimeoutError::Timeout) => return Waited::Batch(batch),
            // Hand on what came before the end.
            Err(RecvTimeoutError::Disconnected) => return Waited::Batch(batch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::EventKind;
    use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RenameMode};
    use std::sync::mpsc::channel;
    use std::thread;

    fn event(kind: EventKind, path: &str) -> notify::Result<notify::Event> {
        Ok(notify::Event::new(kind).add_path(PathBuf::from(path)))
    }

    const QUIET: Duration = Duration::from_millis(50);
    const MAX: Duration = Duration::from_secs(5);

    #[test]
    fn a_burst_is_one_batch() {
        let (tx, rx) = channel();
        let sender = thread::spawn(move || {
            for i in 0..5000 {
                let path = format!("/site/content/hu/2024-01-01/{i:04}-a.md");
                tx.send(event(EventKind::Create(CreateKind::File), &path))
                    .unwrap();
                if i % 1000 == 0 {
                    thread::sleep(Duration::from_millis(5));
                }
            }
            tx
        });
        // A generous pause, so that a busy machine does not split the burst.
        let quiet = Duration::from_millis(300);
        let batch = next_batch(&rx, Path::new("/site"), quiet, MAX).unwrap();
        let tx = sender.join().unwrap();
        assert_eq!(batch.paths.len(), 5000);
        assert!(!batch.rescan);
        // Nothing is left over for a second rebuild.
        drop(tx);
        assert_eq!(next_batch(&rx, Path::new("/site"), QUIET, MAX), None);
    }

    #[test]
    fn noise_neither_starts_nor_joins_a_batch() {
        let (tx, rx) = channel();
        let root = "/site";
        tx.send(event(
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            "/site/content/hu/2024-01-01/01-a.md",
        ))
        .unwrap();
        tx.send(event(
            EventKind::Create(CreateKind::File),
            "/site/content/hu/2024-01-01/.01-a.md.swp",
        ))
        .unwrap();
        tx.send(event(
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            "/site/config.toml",
        ))
        .unwrap();
        tx.send(event(
            EventKind::Create(CreateKind::File),
            "/site/content/hu/2024-01-01/4913",
        ))
        .unwrap();
        let batch = next_batch(&rx, Path::new(root), QUIET, MAX).unwrap();
        assert_eq!(
            batch.paths,
            BTreeSet::from([PathBuf::from("/site/config.toml")])
        );
    }

    #[test]
    fn changes_after_a_pause_are_the_next_batch() {
        let (tx, rx) = channel();
        let sender = thread::spawn(move || {
            tx.send(event(EventKind::Any, "/site/content/a/2024-01-01/01-a.md"))
                .unwrap();
            thread::sleep(Duration::from_millis(400));
            tx.send(event(EventKind::Any, "/site/content/a/2024-01-02/01-a.md"))
                .unwrap();
        });
        let first = next_batch(&rx, Path::new("/site"), QUIET, MAX).unwrap();
        let second = next_batch(&rx, Path::new("/site"), QUIET, MAX).unwrap();
        sender.join().unwrap();
        assert_eq!(first.paths.len(), 1);
        assert_eq!(second.paths.len(), 1);
        assert_ne!(first, second);
    }

    #[test]
    fn waiting_can_give_up() {
        let (tx, rx) = channel();
        // Noise only: still idle.
        tx.send(event(
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            "/site/content/hu/2024-01-01/01-a.md",
        ))
        .unwrap();
        let short = Some(Duration::from_millis(100));
        assert_eq!(
            wait_batch(&rx, Path::new("/site"), QUIET, MAX, short),
            Waited::Idle
        );
        tx.send(event(EventKind::Any, "/site/config.toml")).unwrap();
        assert!(matches!(
            wait_batch(&rx, Path::new("/site"), QUIET, MAX, short),
            Waited::Batch(_)
        ));
        drop(tx);
        assert_eq!(
            wait_batch(&rx, Path::new("/site"), QUIET, MAX, short),
            Waited::Closed
        );
    }

    #[test]
    fn lost_events_ask_for_a_rescan() {
        let (tx, rx) = channel();
        tx.send(Ok(
            notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan)
        ))
        .unwrap();
        let batch = next_batch(&rx, Path::new("/site"), QUIET, MAX).unwrap();
        assert!(batch.rescan);
    }
}
