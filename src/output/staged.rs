//! The disk sink: stage, then commit.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Content, Sink};
use crate::error::BuildError;

/// Marks a folder as protokol's output; only such folders are cleaned.
pub const MARKER: &str = ".protokol-output";
const MARKER_TEXT: &[u8] = b"This folder is written by `protokol build`. Files in it are replaced or removed on every build.\n";

pub struct StagedOutput {
    out: PathBuf,
    staging: PathBuf,
    /// Every path produced by this build, and whether it was staged (changed).
    produced: Mutex<BTreeSet<(String, bool)>>,
}

impl StagedOutput {
    /// Prepares to write into `out`, refusing a folder that holds files but
    /// was not written by protokol: emptying it could delete someone's work.
    pub fn new(out: &Path) -> Result<StagedOutput, BuildError> {
        if out.exists() {
            if !out.is_dir() {
                return Err(BuildError::Other(format!(
                    "{}: the output path is a file, not a folder",
                    out.display()
                )));
            }
            let has_files = fs::read_dir(out)
                .map_err(|e| BuildError::io(out, e))?
                .next()
                .is_some();
            if has_files && !out.join(MARKER).is_file() {
                return Err(BuildError::Other(format!(
                    "{}: refusing to write here: the folder is not empty and was not written by protokol (it has no {MARKER} file). Choose an empty or new output folder.",
                    out.display()
                )));
            }
        }
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let staging = parent.join(format!(".{name}.protokol-staging"));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| BuildError::io(&staging, e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| BuildError::io(&staging, e))?;
        Ok(StagedOutput {
            out: out.to_path_buf(),
            staging,
            produced: Mutex::new(BTreeSet::new()),
        })
    }

    /// Throws the staged files away; the output folder was never touched.
    pub fn abort(self) {
        let _ = fs::remove_dir_all(&self.staging);
    }

    /// Moves staged files into place and removes files no longer produced.
    /// Returns (files written, files removed).
    pub fn commit(self) -> Result<(usize, usize), BuildError> {
        let produced = self.move_staged()?;
        let keep: BTreeSet<&str> = produced.iter().map(|(p, _)| p.as_str()).collect();
        let written = produced.iter().filter(|(_, staged)| *staged).count();
        let removed = remove_stale(&self.out, &keep)?;
        let _ = fs::remove_dir_all(&self.staging);
        Ok((written, removed))
    }

    /// Moves staged files into place like [`commit`](Self::commit), but
    /// removes only the files named in `removed` (site-relative paths that
    /// an incremental rebuild no longer produces); all other files stay.
    /// Returns (files written, files removed).
    pub fn commit_update(self, removed: &BTreeSet<String>) -> Result<(usize, usize), BuildError> {
        let produced = self.move_staged()?;
        let written = produced.iter().filter(|(_, staged)| *staged).count();
        let mut count = 0;
        let mut dirs = BTreeSet::new();
        for path in removed {
            // Only plain relative paths: never anything outside the output.
            let rel = Path::new(path);
            let still_produced = produced.contains(&(path.clone(), true))
                || produced.contains(&(path.clone(), false));
            if path == MARKER
                || still_produced
                || !rel
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)))
            {
                continue;
            }
            let target = self.out.join(rel);
            if target.is_file() {
                fs::remove_file(&target).map_err(|e| BuildError::io(&target, e))?;
                count += 1;
            }
            dirs.extend(target.ancestors().skip(1).map(Path::to_path_buf));
        }
        // Deepest first, so that emptied parents go too; never the output itself.
        let mut dirs: Vec<PathBuf> = dirs
            .into_iter()
            .filter(|d| d.starts_with(&self.out) && *d != self.out)
            .collect();
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for d in dirs {
            let _ = fs::remove_dir(&d); // fails, as it should, when not empty
        }
        let _ = fs::remove_dir_all(&self.staging);
        Ok((written, count))
    }

    /// Moves the staged (changed) files into the output folder and returns
    /// every produced path with whether it was staged.
    fn move_staged(&self) -> Result<BTreeSet<(String, bool)>, BuildError> {
        let produced =
            std::mem::take(&mut *self.produced.lock().unwrap_or_else(|e| e.into_inner()));
        fs::create_dir_all(&self.out).map_err(|e| BuildError::io(&self.out, e))?;
        let marker = self.out.join(MARKER);
        if fs::read(&marker).ok().as_deref() != Some(MARKER_TEXT) {
            fs::write(&marker, MARKER_TEXT).map_err(|e| BuildError::io(&marker, e))?;
        }
        for (path, staged) in &produced {
            if !staged {
                continue;
            }
            let target = self.out.join(path);
            // A folder where a file must go (or the reverse) from an older build.
            if target.is_dir() {
                fs::remove_dir_all(&target).map_err(|e| BuildError::io(&target, e))?;
            }
            if let Some(dir) = target.parent() {
                ensure_dir(dir)?;
            }
            let from = self.staging.join(path);
            fs::rename(&from, &target).map_err(|e| BuildError::io(&target, e))?;
        }
        Ok(produced)
    }
}

/// Creates `dir`, replacing a file that stands in the way.
fn ensure_dir(dir: &Path) -> Result<(), BuildError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut p = dir.to_path_buf();
    loop {
        if p.is_file() {
            fs::remove_file(&p).map_err(|e| BuildError::io(&p, e))?;
            break;
        }
        if !p.pop() {
            break;
        }
    }
    fs::create_dir_all(dir).map_err(|e| BuildError::io(dir, e))
}

fn remove_stale(out: &Path, keep: &BTreeSet<&str>) -> Result<usize, BuildError> {
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(out).min_depth(1) {
        let entry = entry.map_err(|e| BuildError::Other(e.to_string()))?;
        let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else if rel != MARKER && !keep.contains(rel.as_str()) {
            fs::remove_file(entry.path()).map_err(|e| BuildError::io(entry.path(), e))?;
            removed += 1;
        }
    }
    // Deepest first, so that emptied parents go too.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        let _ = fs::remove_dir(&d); // fails, as it should, when not empty
    }
    Ok(removed)
}

impl Sink for StagedOutput {
    fn put(&self, path: String, content: Content) -> Result<(), BuildError> {
        let target = self.out.join(&path);
        let bytes = content.read().map_err(|e| match &content {
            Content::Copy(p) => BuildError::io(p, e),
            Content::Bytes(_) => BuildError::io(&target, e),
        })?;
        let unchanged = fs::read(&target).is_ok_and(|old| old == bytes);
        if !unchanged {
            let staged = self.staging.join(&path);
            if let Some(dir) = staged.parent() {
                fs::create_dir_all(dir).map_err(|e| BuildError::io(dir, e))?;
            }
            let mut f = fs::File::create(&staged).map_err(|e| BuildError::io(&staged, e))?;
            f.write_all(&bytes)
                .map_err(|e| BuildError::io(&staged, e))?;
        }
        let mut produced = self.produced.lock().unwrap_or_else(|e| e.into_inner());
        if !produced.insert((path.clone(), !unchanged)) {
            return Err(BuildError::Other(format!(
                "two outputs were written to {path}"
            )));
        }
        Ok(())
    }
}
