//! What the last successful build wrote: a hash and size per output file
//! and a fingerprint of its inputs. It lives beside the output folder
//! (never in it, so it is not published) and lets a rebuild skip unchanged
//! files without reading them back, or skip the whole build when no input
//! changed and the output is still as it was written.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::BuildError;

pub type Hash = u128;

pub fn hash(bytes: &[u8]) -> Hash {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// What a build wrote to one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub hash: Hash,
    pub size: u64,
}

impl Stamp {
    /// Whether the file at `path` still looks as written: there, and of
    /// its size. A file deleted or edited in the output folder by hand is
    /// written again rather than trusted.
    pub fn on_disk(&self, path: &Path) -> bool {
        fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == self.size)
    }
}

#[derive(Debug, Default)]
pub struct Manifest {
    /// Fingerprint of the inputs that produced these files.
    pub fingerprint: String,
    pub files: BTreeMap<String, Stamp>,
}

/// `public` → `.public.protokol-manifest` in the same parent folder.
pub fn path_for(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.protokol-manifest"))
}

impl Manifest {
    pub fn load(out: &Path) -> Option<Manifest> {
        let text = fs::read_to_string(path_for(out)).ok()?;
        let mut lines = text.lines();
        let fingerprint = lines.next()?.strip_prefix("fingerprint ")?.to_string();
        // Collected rather than inserted one by one: the lines are sorted,
        // and a map built from a sorted list compares no keys.
        let files = lines
            .map(|line| {
                let (hash, rest) = line.split_once(' ')?;
                let (size, path) = rest.split_once(' ')?;
                let stamp = Stamp {
                    hash: Hash::from_str_radix(hash, 16).ok()?,
                    size: size.parse().ok()?,
                };
                Some((path.to_string(), stamp))
            })
            .collect::<Option<BTreeMap<_, _>>>()?;
        Some(Manifest { fingerprint, files })
    }

    /// Whether every file of the manifest is still in `out` as written
    /// (see [`Stamp::on_disk`]). Files added by hand are not looked for:
    /// they go at the next build that writes anything.
    pub fn intact(&self, out: &Path) -> bool {
        use rayon::prelude::*;
        self.files
            .par_iter()
            .all(|(path, s)| s.on_disk(&out.join(path)))
    }

    pub fn save(&self, out: &Path) -> Result<(), BuildError> {
        save(
            out,
            &self.fingerprint,
            self.files.iter().map(|(p, s)| (p, *s)),
        )
    }

    /// Forgets the last build, so that the next one compares files on disk.
    pub fn remove(out: &Path) {
        let _ = fs::remove_file(path_for(out));
    }
}

/// Writes a manifest of `files` (in path order) for the output folder `out`.
pub fn save<'a>(
    out: &Path,
    fingerprint: &str,
    files: impl Iterator<Item = (&'a String, Stamp)>,
) -> Result<(), BuildError> {
    use std::fmt::Write;
    let mut text = format!("fingerprint {fingerprint}\n");
    for (path, s) in files {
        let _ = writeln!(text, "{:032x} {} {path}", s.hash, s.size);
    }
    let target = path_for(out);
    let tmp = target.with_extension("tmp");
    fs::write(&tmp, text).map_err(|e| BuildError::io(&tmp, e))?;
    fs::rename(&tmp, &target).map_err(|e| BuildError::io(&target, e))
}
