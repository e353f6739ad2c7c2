//! Where the engine's files go: memory (`serve`, tests) or the output
//! folder (`build --watch`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use crate::error::BuildError;
use rayon::prelude::*;

use crate::build::BuildOptions;
use crate::incremental::packed::{Packed, Packer};
use crate::output::{Content, Sink, StagedOutput};

/// How many files an update changed on the target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Files that are new or have new bytes.
    pub written: usize,
    pub removed: usize,
}

/// Receives whole builds and partial updates. Nothing of a build or update
/// becomes visible unless all of it rendered.
pub trait Target {
    /// A full build: `write` puts every file of the site into the sink it
    /// is given; files it does not put are removed. When `write` fails the
    /// target stays as it was.
    fn replace_all(
        &mut self,
        write: &mut dyn FnMut(&dyn Sink) -> Result<(), BuildError>,
    ) -> Result<Applied, BuildError>;

    /// A partial update: new or changed files, and files to remove.
    fn apply(
        &mut self,
        files: BTreeMap<String, Content>,
        removed: &BTreeSet<String>,
    ) -> Result<Applied, BuildError>;
}

/// The site in memory, compressed (see [`packed`](super::packed)): a large
/// archive's files would take more memory than the whole model otherwise.
/// Clones share the files, so that a server can read them while the engine
/// updates them.
#[derive(Clone, Default)]
pub struct MemoryTarget {
    files: Arc<RwLock<BTreeMap<String, Stored>>>,
    packer: Arc<Packer>,
}

/// One file as kept in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stored {
    Packed(Packed),
    /// A file copied as it is (attachments, static files): read on request.
    Copy(PathBuf),
}

impl Stored {
    fn pack(packer: &Packer, path: &str, content: Content) -> Stored {
        match content {
            Content::Bytes(b) => Stored::Packed(packer.pack_owned(path, b)),
            Content::Copy(p) => Stored::Copy(p),
        }
    }

    fn unpack(&self) -> Content {
        match self {
            Stored::Packed(p) => Content::Bytes(p.unpack()),
            Stored::Copy(p) => Content::Copy(p.clone()),
        }
    }
}

impl MemoryTarget {
    pub fn new() -> Self {
        Self::default()
    }

    /// The file at a site-relative path.
    pub fn get(&self, path: &str) -> Option<Content> {
        let stored = self.read().get(path).cloned();
        stored.map(|s| s.unpack())
    }

    pub fn contains(&self, path: &str) -> bool {
        self.read().contains_key(path)
    }

    /// A copy of every file, for comparisons in tests.
    pub fn snapshot(&self) -> BTreeMap<String, Content> {
        self.read()
            .iter()
            .map(|(k, v)| (k.clone(), v.unpack()))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, Stored>> {
        self.files.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<String, Stored>> {
        self.files.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// Compresses files as they are rendered, in the rendering threads, so
/// that a full build never holds all pages uncompressed.
struct PackingSink<'a> {
    packer: &'a Packer,
    files: Mutex<BTreeMap<String, Stored>>,
}

impl Sink for PackingSink<'_> {
    fn put(&self, path: String, content: Content) -> Result<(), BuildError> {
        let stored = Stored::pack(self.packer, &path, content);
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if files.insert(path.clone(), stored).is_some() {
            return Err(crate::output::two_outputs(&path));
        }
        Ok(())
    }
}

impl Target for MemoryTarget {
    fn replace_all(
        &mut self,
        write: &mut dyn FnMut(&dyn Sink) -> Result<(), BuildError>,
    ) -> Result<Applied, BuildError> {
        let out = PackingSink {
            packer: &self.packer,
            files: Mutex::new(BTreeMap::new()),
        };
        write(&out)?;
        let new = out.files.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut files = self.write();
        let removed = files.keys().filter(|k| !new.contains_key(*k)).count();
        let written = new.iter().filter(|(k, v)| files.get(*k) != Some(v)).count();
        *files = new;
        Ok(Applied { written, removed })
    }

    fn apply(
        &mut self,
        new: BTreeMap<String, Content>,
        removed: &BTreeSet<String>,
    ) -> Result<Applied, BuildError> {
        let packed: Vec<(String, Stored)> = new
            .into_par_iter()
            .map(|(path, content)| {
                let stored = Stored::pack(&self.packer, &path, content);
                (path, stored)
            })
            .collect();
        let mut files = self.write();
        let mut applied = Applied::default();
        for path in removed {
            if files.remove(path).is_some() {
                applied.removed += 1;
            }
        }
        for (path, stored) in packed {
            if files.get(&path) != Some(&stored) {
                files.insert(path, stored);
                applied.written += 1;
            }
        }
        Ok(applied)
    }
}

/// The output folder on disk, written through [`StagedOutput`]: files are
/// staged first and moved in only when everything rendered.
pub struct DiskTarget {
    out: PathBuf,
    /// For the input fingerprint that full builds record (see `build`).
    opts: BuildOptions,
}

impl DiskTarget {
    pub fn new(out: PathBuf, opts: BuildOptions) -> Self {
        DiskTarget { out, opts }
    }
}

impl Target for DiskTarget {
    fn replace_all(
        &mut self,
        write: &mut dyn FnMut(&dyn Sink) -> Result<(), BuildError>,
    ) -> Result<Applied, BuildError> {
        // Taken before reading the inputs, as `build` does: a change made
        // while building makes the next `build` run again.
        let fingerprint = crate::build::input_fingerprint(&self.opts, &self.out);
        let staged = StagedOutput::new(&self.out)?;
        if let Err(e) = write(&staged) {
            staged.abort();
            return Err(e);
        }
        let (_, written, removed) = staged.commit(&fingerprint)?;
        Ok(Applied { written, removed })
    }

    fn apply(
        &mut self,
        files: BTreeMap<String, Content>,
        removed: &BTreeSet<String>,
    ) -> Result<Applied, BuildError> {
        let staged = StagedOutput::new(&self.out)?;
        for (path, content) in files {
            if let Err(e) = staged.put(path, content) {
                staged.abort();
                return Err(e);
            }
        }
        let (written, removed) = staged.commit_update(removed)?;
        Ok(Applied { written, removed })
    }
}

/// Passes files on and remembers their paths: the engine keeps the set of
/// files each stage wrote, to find files a stage no longer writes.
pub struct Recorder<'a> {
    inner: &'a dyn Sink,
    paths: Mutex<Vec<String>>,
}

impl<'a> Recorder<'a> {
    pub fn new(inner: &'a dyn Sink) -> Self {
        Recorder {
            inner,
            paths: Mutex::new(Vec::new()),
        }
    }

    pub fn into_paths(self) -> BTreeSet<String> {
        self.paths
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .collect()
    }
}

impl Sink for Recorder<'_> {
    fn put(&self, path: String, content: Content) -> Result<(), BuildError> {
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.clone());
        self.inner.put(path, content)
    }
}
