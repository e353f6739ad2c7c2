//! Where rendered files go: a staged folder on disk, memory, or nowhere.
//!
//! Rendering hands every file to a [`Sink`]. The disk sink stages changed
//! files beside the output folder and moves them in only when the whole
//! site has rendered, so a failed build leaves the published site as it was.

pub mod manifest;
pub mod recorder;
mod staged;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

pub use staged::{MARKER, StagedOutput};

use crate::error::BuildError;

/// The bytes of one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// A file copied as it is (attachments, static files).
    Copy(PathBuf),
}

impl Content {
    pub fn into_bytes(self) -> Result<Vec<u8>, BuildError> {
        match self {
            Content::Bytes(b) => Ok(b),
            Content::Copy(p) => std::fs::read(&p).map_err(|e| BuildError::io(&p, e)),
        }
    }
}

/// Receives output files by their site-relative path (`a/b/index.html`).
pub trait Sink: Sync {
    fn put(&self, path: String, content: Content) -> Result<(), BuildError>;
}

/// Keeps every file in memory: for `check`, `serve` and tests.
#[derive(Debug, Default)]
pub struct MemoryOutput {
    files: Mutex<BTreeMap<String, Content>>,
}

impl MemoryOutput {
    pub fn into_files(self) -> BTreeMap<String, Content> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemoryOutput {
    fn put(&self, path: String, content: Content) -> Result<(), BuildError> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if files.insert(path.clone(), content).is_some() {
            return Err(BuildError::Other(format!(
                "two outputs were written to {path}"
            )));
        }
        Ok(())
    }
}

/// Discards everything: `check` renders all pages to find errors only.
pub struct NullOutput;

impl Sink for NullOutput {
    fn put(&self, _: String, _: Content) -> Result<(), BuildError> {
        Ok(())
    }
}
