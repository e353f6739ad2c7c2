//! The disk sink: stage, then commit.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::manifest::{self, Manifest, Stamp};
use super::{Content, Sink};
use crate::error::BuildError;

/// Marks a folder as protokol's output; only such folders are cleaned.
pub const MARKER: &str = ".protokol-output";
const MARKER_TEXT: &[u8] = b"This folder is written by `protokol build`. Files in it are replaced or removed on every build.\n";

pub struct StagedOutput {
    out: PathBuf,
    staging: PathBuf,
    /// The last build's files, to skip unchanged ones without reading them.
    previous: Option<Manifest>,
    /// The output folder holds no files yet: nothing to compare with.
    empty: bool,
    /// Every path produced by this build: its hash and size, and whether it was staged (changed).
    produced: Mutex<BTreeMap<String, (Stamp, bool)>>,
    /// Folders of the output known to be real ones, reached through no
    /// link (see [`real_dir`](Self::real_dir)).
    real_dirs: Mutex<rustc_hash::FxHashMap<PathBuf, bool>>,
}

impl StagedOutput {
    /// Prepares to write into `out`, refusing a folder that holds files but
    /// was not written by protokol: emptying it could delete someone's work.
    pub fn new(out: &Path) -> Result<StagedOutput, BuildError> {
        StagedOutput::with_manifest(out, Manifest::load(out))
    }

    /// Like [`new`](Self::new), with the output's manifest already read.
    pub fn with_manifest(
        out: &Path,
        manifest: Option<Manifest>,
    ) -> Result<StagedOutput, BuildError> {
        // Checked and written as one folder, whatever `..` it is given with.
        let out = &super::lexical_absolute(out);
        let mut empty = true;
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
            empty = !has_files;
            if has_files && !out.join(MARKER).is_file() {
                return Err(not_ours(out));
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
        // A manifest is only trusted next to an output folder it describes.
        let previous = manifest.filter(|_| out.join(MARKER).is_file());
        Ok(StagedOutput {
            out: out.to_path_buf(),
            staging,
            previous,
            empty,
            produced: Mutex::new(BTreeMap::new()),
            real_dirs: Mutex::new(Default::default()),
        })
    }

    /// Whether `dir`, in the output folder, is a folder reached through no
    /// link. A file below a link is not the last build's, whatever its
    /// size: it is written again, and the link replaced by a folder.
    fn real_dir(&self, dir: &Path) -> bool {
        if dir == self.out {
            return true;
        }
        let known = self
            .real_dirs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(dir)
            .copied();
        if let Some(real) = known {
            return real;
        }
        let real = fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
            && dir.parent().is_some_and(|p| self.real_dir(p));
        self.real_dirs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf(), real);
        real
    }

    /// Whether the file at `target` is still as the last build wrote it,
    /// as far as `stamp` and the folders above it tell.
    fn as_written(&self, stamp: &Stamp, target: &Path) -> bool {
        stamp.on_disk(target) && target.parent().is_some_and(|p| self.real_dir(p))
    }

    /// Throws the staged files away; the output folder was never touched.
    pub fn abort(self) {
        self.remove_staging();
    }

    fn remove_staging(&self) {
        let _ = fs::remove_dir_all(&self.staging);
    }

    /// Moves staged files into place and removes files no longer produced.
    /// Returns (files produced, files written, files removed).
    pub fn commit(self, fingerprint: &str) -> Result<(usize, usize, usize), BuildError> {
        let produced =
            std::mem::take(&mut *self.produced.lock().unwrap_or_else(|e| e.into_inner()));
        if let Err(e) = super::check_paths(produced.keys().map(String::as_str)) {
            self.abort();
            return Err(e);
        }
        // A first build moves the whole staged tree in with one rename:
        // renaming file by file costs minutes on a 100k-item archive.
        let fresh = !has_entries(&self.out);
        if fresh {
            let marker = self.staging.join(MARKER);
            fs::write(&marker, MARKER_TEXT).map_err(|e| BuildError::io(&marker, e))?;
            if self.out.exists() {
                fs::remove_dir(&self.out).map_err(|e| BuildError::io(&self.out, e))?;
            }
            fs::rename(&self.staging, &self.out).map_err(|e| BuildError::io(&self.out, e))?;
            save_manifest(&self.out, fingerprint, &produced)?;
            return Ok((produced.len(), produced.len(), 0));
        }
        self.open_for_moves()?;
        let partly = |e| BuildError::PartlyWritten(Box::new(e));
        let mut written = 0;
        let keep: BTreeSet<&str> = produced.keys().map(String::as_str).collect();
        for (path, (_, staged)) in &produced {
            if *staged {
                self.move_into_place(path).map_err(partly)?;
                written += 1;
            }
        }
        let removed = remove_stale(&self.out, &keep).map_err(partly)?;
        self.remove_staging();
        save_manifest(&self.out, fingerprint, &produced)?;
        Ok((produced.len(), written, removed))
    }

    /// Moves staged files into place like [`commit`](Self::commit), but
    /// removes only the files named in `removed` (site-relative paths that
    /// an incremental rebuild no longer produces); all other files stay.
    /// The manifest, if there is one, is kept accurate but without a
    /// fingerprint: the next `build` renders everything again and writes
    /// only what differs. Returns (files written, files removed).
    pub fn commit_update(self, removed: &BTreeSet<String>) -> Result<(usize, usize), BuildError> {
        let produced =
            std::mem::take(&mut *self.produced.lock().unwrap_or_else(|e| e.into_inner()));
        // The whole site after the update, as a build would check it: an
        // attachment named like a page's folder must not replace the page.
        let site: BTreeSet<&str> = self
            .previous
            .iter()
            .flat_map(|m| m.files.keys())
            .chain(produced.keys())
            .map(String::as_str)
            .filter(|p| !removed.contains(*p) || produced.contains_key(*p))
            .collect();
        if let Err(e) = super::check_paths(site.iter().copied()) {
            self.abort();
            return Err(e);
        }
        self.open_for_moves()?;
        let mut written = 0;
        for (path, (_, staged)) in &produced {
            if *staged {
                self.move_into_place(path)
                    .map_err(|e| BuildError::PartlyWritten(Box::new(e)))?;
                written += 1;
            }
        }
        let mut count = 0;
        let mut dirs = BTreeSet::new();
        let folded = std::cell::OnceCell::new();
        for path in removed {
            // Only plain relative paths: never anything outside the output.
            let rel = Path::new(path);
            let plain = rel
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            if path == MARKER || produced.contains_key(path) || !plain {
                continue;
            }
            let target = self.out.join(rel);
            // The new file under its old spelling (see `remove_stale`,
            // which also respells it).
            let folded = folded.get_or_init(|| case_folded(produced.keys().map(String::as_str)));
            if target.is_file() && kept_as(&self.out, path, folded).is_none() {
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
        self.remove_staging();
        if let Some(mut manifest) = self.previous {
            for (path, (stamp, _)) in &produced {
                manifest.files.insert(path.clone(), *stamp);
            }
            for path in removed {
                manifest.files.remove(path);
            }
            manifest.fingerprint = String::new();
            manifest.save(&self.out)?;
        }
        Ok((written, count))
    }

    /// Moves one staged file into the output folder.
    fn move_into_place(&self, path: &str) -> Result<(), BuildError> {
        let target = self.out.join(path);
        // A link inside the output folder is never followed: writing or
        // deleting through it would reach files elsewhere. Every file
        // below it was staged (see `real_dir`), so it goes as a whole.
        let mut at = self.out.clone();
        for part in Path::new(path).components() {
            at.push(part);
            if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
                fs::remove_file(&at).map_err(|e| BuildError::io(&at, e))?;
                break;
            }
        }
        // A folder where a file must go (or the reverse) from an older build.
        if fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
            fs::remove_dir_all(&target).map_err(|e| BuildError::io(&target, e))?;
        }
        if let Some(dir) = target.parent() {
            ensure_dir(dir)?;
        }
        let from = self.staging.join(path);
        fs::rename(&from, &target).map_err(|e| BuildError::io(&target, e))
    }

    /// The hash of a file copied from `source` (an attachment, a static
    /// file) when `target` is still that copy by rsync's quick check: the
    /// source's size and modification time, which copies are given. An
    /// archive's attachments may be gigabytes that a rebuild then need not
    /// read. Without the last build's manifest, the copy is read instead.
    fn copied_before(&self, path: &str, source: &Path, target: &Path) -> Option<Stamp> {
        let from = fs::metadata(source).ok()?;
        let to = fs::symlink_metadata(target).ok()?;
        let same = to.is_file()
            && from.len() == to.len()
            && from.modified().ok()? == to.modified().ok()?
            && target.parent().is_some_and(|p| self.real_dir(p));
        if !same {
            return None;
        }
        match &self.previous {
            Some(m) => m.files.get(path).copied().filter(|s| s.size == to.len()),
            None => copy_hashing(target, None).ok(),
        }
    }

    fn record(&self, path: String, stamp: Stamp, staged: bool) -> Result<(), BuildError> {
        let mut produced = self.produced.lock().unwrap_or_else(|e| e.into_inner());
        if produced.insert(path.clone(), (stamp, staged)).is_some() {
            return Err(crate::output::two_outputs(&path));
        }
        Ok(())
    }

    /// Makes sure, right before the first move, that the output folder is
    /// ours and marked so (checked in `new` too; but a folder found empty
    /// then may have filled since, and what is not ours is never emptied),
    /// and removes its manifest: from the first move on, the folder is no
    /// longer the last build's, and a build after a failure here compares
    /// the files themselves and completes the folder.
    fn open_for_moves(&self) -> Result<(), BuildError> {
        let marker = self.out.join(MARKER);
        if !marker.is_file() && has_entries(&self.out) {
            self.remove_staging();
            return Err(not_ours(&self.out));
        }
        fs::create_dir_all(&self.out).map_err(|e| BuildError::io(&self.out, e))?;
        if fs::read(&marker).ok().as_deref() != Some(MARKER_TEXT) {
            fs::write(&marker, MARKER_TEXT).map_err(|e| BuildError::io(&marker, e))?;
        }
        Manifest::remove(&self.out);
        Ok(())
    }

    /// Where a changed file goes until the commit, its folder made.
    fn staged_path(&self, path: &str) -> Result<PathBuf, BuildError> {
        let staged = self.staging.join(path);
        if let Some(dir) = staged.parent() {
            fs::create_dir_all(dir).map_err(|e| BuildError::io(dir, e))?;
        }
        Ok(staged)
    }
}

fn has_entries(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
}

fn not_ours(out: &Path) -> BuildError {
    BuildError::Other(format!(
        "{}: refusing to write here: the folder is not empty and was not written by protokol (it has no {MARKER} file). Choose an empty or new output folder.",
        out.display()
    ))
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

/// Kept paths by their lower-case spelling; made only when a build has a
/// file to remove, which most have not.
fn case_folded<'k>(kept: impl Iterator<Item = &'k str>) -> rustc_hash::FxHashMap<String, &'k str> {
    kept.map(|p| (p.to_lowercase(), p)).collect()
}

/// The kept path that the file at `rel` (not kept itself) is, on a file
/// system that ignores case: a path renamed only in case was moved into
/// the old spelling's folder. `None` where case is kept apart.
fn kept_as<'k>(
    out: &Path,
    rel: &str,
    folded: &rustc_hash::FxHashMap<String, &'k str>,
) -> Option<&'k str> {
    folded
        .get(&rel.to_lowercase())
        .copied()
        .filter(|k| same_file::is_same_file(out.join(rel), out.join(k)).unwrap_or(false))
}

fn remove_stale(out: &Path, keep: &BTreeSet<&str>) -> Result<usize, BuildError> {
    let mut removed = 0;
    let mut dirs = Vec::new();
    // On a file system that ignores case, a file whose path changed only
    // in case (`sager/K-1/` for `sager/k-1/`) was moved into the old
    // spelling's folder: the file found there is the new one. It is
    // given the new spelling, not removed.
    let folded = std::cell::OnceCell::new();
    let mut respell = Vec::new();
    // Links are not followed: one left here (to a folder the site does not
    // make) goes itself, and nothing behind it.
    for entry in walkdir::WalkDir::new(out).min_depth(1) {
        let entry = entry.map_err(|e| BuildError::Other(e.to_string()))?;
        let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else if rel != MARKER && !keep.contains(rel.as_str()) {
            let folded = folded.get_or_init(|| case_folded(keep.iter().copied()));
            if let Some(want) = kept_as(out, &rel, folded) {
                respell.push((rel, want.to_string()));
                continue;
            }
            fs::remove_file(entry.path()).map_err(|e| BuildError::io(entry.path(), e))?;
            removed += 1;
        }
    }
    for (old, new) in &respell {
        let mut at = out.to_path_buf();
        for (o, n) in old.split('/').zip(new.split('/')) {
            // A folder's second file finds it renamed: a no-op then.
            if o != n {
                match fs::rename(at.join(o), at.join(n)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(BuildError::io(&at.join(n), e));
                    }
                    _ => {}
                }
            }
            at.push(n);
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
        let bytes = match content {
            Content::Bytes(bytes) => bytes,
            Content::Copy(source) => {
                if let Some(h) = self.copied_before(&path, &source, &target) {
                    return self.record(path, h, false);
                }
                // A new time alone (a fresh checkout gives every file one)
                // leaves the copy as it is: read, but not written again.
                let old = match &self.previous {
                    Some(m) => m
                        .files
                        .get(&path)
                        .copied()
                        .filter(|s| self.as_written(s, &target)),
                    None if self.empty => None,
                    None => copy_hashing(&target, None).ok(),
                };
                if let Some(old) = old
                    && copy_hashing(&source, None)? == old
                {
                    return self.record(path, old, false);
                }
                // Streamed: one large attachment need not be in memory.
                let staged = self.staged_path(&path)?;
                let h = copy_hashing(&source, Some(&staged))?;
                return self.record(path, h, true);
            }
        };
        let stamp = Stamp {
            hash: manifest::hash(&bytes),
            size: bytes.len() as u64,
        };
        let unchanged = match &self.previous {
            Some(m) => m.files.get(&path) == Some(&stamp) && self.as_written(&stamp, &target),
            None if self.empty => false,
            None => fs::read(&target).is_ok_and(|old| old == bytes),
        };
        if !unchanged {
            let staged = self.staged_path(&path)?;
            let mut f = fs::File::create(&staged).map_err(|e| BuildError::io(&staged, e))?;
            f.write_all(&bytes)
                .map_err(|e| BuildError::io(&staged, e))?;
        }
        self.record(path, stamp, !unchanged)
    }
}

/// The manifest's hash of the file at `from`, read in pieces; with `to`,
/// the pieces are written there too, into a new file of default
/// permissions (a private source's mode is not published) that gets the
/// source's modification time. That time is taken before the reading: a
/// source saved meanwhile is newer than its copy, and read again next time.
fn copy_hashing(from: &Path, to: Option<&Path>) -> Result<Stamp, BuildError> {
    let read_err = |e| BuildError::io(from, e);
    let mut input = fs::File::open(from).map_err(read_err)?;
    let meta = input.metadata().map_err(read_err)?;
    let mut output = match to {
        Some(to) => Some((fs::File::create(to).map_err(|e| BuildError::io(to, e))?, to)),
        None => None,
    };
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    // Most attachments are small: no megabyte to clear for each.
    let mut buf = vec![0; meta.len().clamp(4096, 1 << 20) as usize];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_err(e)),
        };
        hasher.update(&buf[..n]);
        if let Some((out, to)) = &mut output {
            out.write_all(&buf[..n])
                .map_err(|e| BuildError::io(to, e))?;
        }
    }
    if let Some((out, to)) = output {
        let time = meta.modified().map_err(read_err)?;
        out.set_modified(time).map_err(|e| BuildError::io(to, e))?;
    }
    Ok(Stamp {
        hash: hasher.digest128(),
        size: meta.len(),
    })
}

fn save_manifest(
    out: &Path,
    fingerprint: &str,
    produced: &BTreeMap<String, (Stamp, bool)>,
) -> Result<(), BuildError> {
    manifest::save(out, fingerprint, produced.iter().map(|(p, (s, _))| (p, *s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path whose case changed: on a file system that keeps case apart
    /// (this one), the old spelling is another, stale file and goes. (On
    /// one that ignores case, the same file is respelled instead; no such
    /// file system can be mounted here to test it.)
    #[test]
    #[cfg(target_os = "linux")]
    fn a_path_renamed_in_case_only_leaves_no_stale_copy() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        for (p, text) in [
            ("sager/K-1/index.html", "old"),
            ("sager/k-1/index.html", "new"),
        ] {
            fs::create_dir_all(out.join(p).parent().unwrap()).unwrap();
            fs::write(out.join(p), text).unwrap();
        }
        let keep = BTreeSet::from(["sager/k-1/index.html"]);
        assert_eq!(remove_stale(out, &keep).unwrap(), 1);
        assert!(!out.join("sager/K-1").exists());
        assert_eq!(
            fs::read_to_string(out.join("sager/k-1/index.html")).unwrap(),
            "new"
        );
    }

    /// A commit that fails after moving some files says the folder is
    /// part old, part new, and forgets the manifest, so that the next
    /// build compares the files themselves and completes the folder.
    #[test]
    fn a_commit_that_fails_midway_is_completed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let put_all = |s: &StagedOutput, text: &str| {
            for p in ["a/index.html", "b/index.html"] {
                s.put(p.into(), Content::Bytes(text.into())).unwrap();
            }
        };
        let first = StagedOutput::new(&out).unwrap();
        put_all(&first, "old");
        first.commit("one").unwrap();

        let second = StagedOutput::new(&out).unwrap();
        put_all(&second, "new");
        // The disk fails the second move.
        fs::remove_file(second.staging.join("b/index.html")).unwrap();
        let err = second.commit("two").unwrap_err();
        assert!(matches!(err, BuildError::PartlyWritten(_)), "{err}");
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        assert_eq!(fs::read_to_string(out.join("b/index.html")).unwrap(), "old");
        assert!(Manifest::load(&out).is_none());

        let third = StagedOutput::new(&out).unwrap();
        put_all(&third, "new");
        third.commit("two").unwrap();
        for p in ["a/index.html", "b/index.html"] {
            assert_eq!(fs::read_to_string(out.join(p)).unwrap(), "new");
        }
    }

    #[test]
    fn a_streamed_copy_hashes_as_the_manifest_does() {
        let dir = tempfile::tempdir().unwrap();
        // Empty, small, and over the largest piece (several reads).
        for len in [0usize, 125, (1 << 20) * 2 + 17] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let from = dir.path().join("a.pdf");
            let to = dir.path().join("b.pdf");
            fs::write(&from, &bytes).unwrap();
            let stamp = Stamp {
                hash: manifest::hash(&bytes),
                size: len as u64,
            };
            assert_eq!(copy_hashing(&from, Some(&to)).unwrap(), stamp);
            assert_eq!(fs::read(&to).unwrap(), bytes);
            assert_eq!(copy_hashing(&from, None).unwrap(), stamp);
        }
    }
}
