//! The exported files of one index, kept in one file beside it, so that a
//! build whose documents did not change copies them instead of exporting
//! again.

use std::io::{Read, Write};
use std::path::Path;

const MAGIC: &[u8] = b"protokol search export 1\n";

pub fn write(path: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    // Side-by-side builds: whole files only. Streamed: the index may be
    // a hundred MB, which need not be copied in memory once more.
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    out.write_all(MAGIC)?;
    out.write_all(&(files.len() as u64).to_le_bytes())?;
    for (name, bytes) in files {
        out.write_all(&(name.len() as u64).to_le_bytes())?;
        out.write_all(name.as_bytes())?;
        out.write_all(&(bytes.len() as u64).to_le_bytes())?;
        out.write_all(bytes)?;
    }
    out.into_inner().map_err(|e| e.into_error())?;
    std::fs::rename(&tmp, path)
}

/// The files, or None when the pack is missing or damaged.
pub fn read(path: &Path) -> Option<Vec<(String, Vec<u8>)>> {
    let mut data = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .read_to_end(&mut data)
        .ok()?;
    let mut rest = data.strip_prefix(MAGIC)?;
    let mut take = |n: usize| -> Option<&[u8]> {
        if rest.len() < n {
            return None;
        }
        let (a, b) = rest.split_at(n);
        rest = b;
        Some(a)
    };
    let num = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default()) as usize;
    let count = num(take(8)?);
    let mut files = Vec::with_capacity(count.min(1 << 20));
    for _ in 0..count {
        let n = num(take(8)?);
        let name = String::from_utf8(take(n)?.to_vec()).ok()?;
        let n = num(take(8)?);
        files.push((name, take(n)?.to_vec()));
    }
    rest.is_empty().then_some(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("export.pack");
        let files = vec![
            ("a/b.bin".to_string(), vec![1, 2, 3]),
            ("m.json".into(), vec![]),
        ];
        write(&p, &files).unwrap();
        assert_eq!(read(&p).unwrap(), files);
        let mut bytes = std::fs::read(&p).unwrap();
        bytes.pop();
        std::fs::write(&p, bytes).unwrap();
        assert!(read(&p).is_none());
    }
}
