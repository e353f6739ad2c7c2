//! What the server shares with the rebuild loop: the files, and the state
//! of the last build (its number and its problems).

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::config::Language;
use crate::incremental::MemoryTarget;

#[derive(Debug, Clone, Default)]
pub struct Status {
    /// Goes up with every finished build or failed attempt; open pages
    /// reload when it differs from the one they were served with.
    pub generation: u64,
    /// The problems of the last attempt, as `build` prints them.
    pub errors: Option<String>,
    /// Whether any build has succeeded yet.
    pub has_site: bool,
    /// The interface language of the last good config.
    pub language: Language,
}

#[derive(Default)]
pub struct Shared {
    pub files: MemoryTarget,
    status: Mutex<Status>,
    changed: Condvar,
}

impl Shared {
    pub fn status(&self) -> Status {
        self.lock().clone()
    }

    fn lock(&self) -> MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A build succeeded; `changed` says whether any file changed.
    pub fn built(&self, language: Language, changed: bool) {
        let mut s = self.lock();
        if changed || s.errors.is_some() || !s.has_site {
            s.generation += 1;
        }
        s.errors = None;
        s.has_site = true;
        s.language = language;
        drop(s);
        self.changed.notify_all();
    }

    /// A build failed with these problems.
    pub fn failed(&self, errors: String) {
        let mut s = self.lock();
        if s.errors.as_deref() != Some(errors.as_str()) {
            s.generation += 1;
            s.errors = Some(errors);
        }
        drop(s);
        self.changed.notify_all();
    }

    /// Waits until the generation differs from `seen`, at most `timeout`.
    pub fn wait_for_change(&self, seen: u64, timeout: Duration) -> u64 {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.generation == seen)
            .unwrap_or_else(|e| e.into_inner());
        guard.generation
    }
}
