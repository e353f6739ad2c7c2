//! A sink that notes the paths written through it.

use std::collections::BTreeSet;
use std::sync::Mutex;

use super::{Content, Sink};
use crate::error::BuildError;

/// Passes files on to another sink, or drops them, and keeps their paths:
/// an update learns which files an old version of the model produced by
/// rendering it into a recorder that drops everything.
pub struct Recorder<'a> {
    inner: Option<&'a dyn Sink>,
    paths: Mutex<BTreeSet<String>>,
}

impl<'a> Recorder<'a> {
    pub fn new(inner: &'a dyn Sink) -> Self {
        Recorder {
            inner: Some(inner),
            paths: Mutex::new(BTreeSet::new()),
        }
    }

    /// Records paths only.
    pub fn paths_only() -> Self {
        Recorder {
            inner: None,
            paths: Mutex::new(BTreeSet::new()),
        }
    }

    pub fn into_paths(self) -> BTreeSet<String> {
        self.paths.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Recorder<'_> {
    fn put(&self, path: String, content: Content) -> Result<(), BuildError> {
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.clone());
        match self.inner {
            Some(sink) => sink.put(path, content),
            None => Ok(()),
        }
    }
}
