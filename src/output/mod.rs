//! Where rendered files go: a staged folder on disk, memory, or nowhere.
//!
//! Rendering hands every file to a [`Sink`]. The disk sink stages changed
//! files beside the output folder and moves them in only when the whole
//! site has rendered, so a failed build leaves the published site as it was.

pub mod manifest;
pub mod recorder;
mod staged;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rustc_hash::FxHashSet;
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
            return Err(two_outputs(&path));
        }
        Ok(())
    }
}

/// Discards everything but the paths: `check` renders all pages to find
/// the errors a build would meet, two files at one path among them.
#[derive(Default)]
pub struct NullOutput {
    paths: Mutex<BTreeSet<String>>,
}

impl NullOutput {
    /// The problem a build would meet moving the files into place.
    pub fn finish(self) -> Result<(), BuildError> {
        let paths = self.paths.into_inner().unwrap_or_else(|e| e.into_inner());
        check_paths(paths.iter().map(String::as_str))
    }
}

impl Sink for NullOutput {
    fn put(&self, path: String, _: Content) -> Result<(), BuildError> {
        let mut paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        if !paths.insert(path.clone()) {
            return Err(two_outputs(&path));
        }
        Ok(())
    }
}

/// `path` made absolute, its `.` and `..` worked out as written rather
/// than through the file system: the path stays the same folder whether
/// or not its parts exist yet (`missing/../content` would otherwise be no
/// folder now, and `content` once `missing` is made).
pub fn lexical_absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// [`lexical_absolute`], then with the links among the parts that exist
/// followed: where writing to `path` would really land.
pub fn resolved(path: &Path) -> PathBuf {
    let path = lexical_absolute(path);
    let mut existing = path.as_path();
    while !existing.exists() {
        match existing.parent() {
            Some(p) => existing = p,
            None => return path,
        }
    }
    match existing.canonicalize() {
        Ok(real) => real.join(path.strip_prefix(existing).unwrap_or(Path::new(""))),
        Err(_) => path,
    }
}

/// Two files were put at one path: two parts of the site claim one URL.
pub fn two_outputs(path: &str) -> BuildError {
    BuildError::Other(format!(
        "{path}: two parts of the site make this file (a page, a file in static/, an attachment or an index file): rename one of them"
    ))
}

/// Fails when one output file's path is a folder in another's
/// (`search.js` and `search.js/index.html`): moving both into place would
/// replace one with the other.
pub fn check_paths<'a>(paths: impl Iterator<Item = &'a str> + Clone) -> Result<(), BuildError> {
    // Every path is a plain one below the output folder: a `..` from
    // content that slipped past the checks would write elsewhere.
    if let Some(p) = paths.clone().find(|p| {
        p.split(['/', '\\'])
            .any(|s| s.is_empty() || s == "." || s == "..")
    }) {
        return Err(BuildError::Other(format!(
            "{p:?} is no plain path below the output folder: nothing was written"
        )));
    }
    let folders: FxHashSet<&str> = paths
        .clone()
        .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
        .collect();
    match paths.into_iter().find(|p| folders.contains(p)) {
        Some(p) => Err(BuildError::Other(format!(
            "{p} would be both a file and a folder of the site: rename the committee, page or static file named {:?}",
            p.rsplit('/').next().unwrap_or(p)
        ))),
        None => Ok(()),
    }
}
