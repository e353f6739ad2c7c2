//! What the last successful build wrote: a hash per output file and a
//! fingerprint of its inputs. It lives beside the output folder (never in
//! it, so it is not published) and lets a rebuild skip unchanged files
//! without reading them back, or skip the whole build when no input changed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::BuildError;

pub type Hash = u128;

pub fn hash(bytes: &[u8]) -> Hash {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

#[derive(Debug, Default)]
pub struct Manifest {
    /// Fingerprint of the inputs that produced these files.
    pub fingerprint: String,
    pub files: BTreeMap<String, Hash>,
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
                let (h, path) = line.split_once(' ')?;
                Some((path.to_string(), Hash::from_str_radix(h, 16).ok()?))
            })
            .collect::<Option<BTreeMap<_, _>>>()?;
        Some(Manifest { fingerprint, files })
    }

    pub fn save(&self, out: &Path) -> Result<(), BuildError> {
        save(
            out,
            &self.fingerprint,
            self.files.iter().map(|(p, h)| (p, *h)),
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
    files: impl Iterator<Item = (&'a String, Hash)>,
) -> Result<(), BuildError> {
    use std::fmt::Write;
    let mut text = format!("fingerprint {fingerprint}\n");
    for (path, h) in files {
        let _ = writeln!(text, "{h:032x} {path}");
    }
    let target = path_for(out);
    let tmp = target.with_extension("tmp");
    fs::write(&tmp, text).map_err(|e| BuildError::io(&tmp, e))?;
    fs::rename(&tmp, &target).map_err(|e| BuildError::io(&target, e))
}
