//! Files kept compressed in memory: zstd with one dictionary per file type.
//!
//! The pages of a site share most of their bytes (header, navigation,
//! footer), so a dictionary made of one page of a type compresses the
//! others about three times better than compressing each on its own; on a
//! 100,000-item archive this is the difference between fitting in memory
//! and not. Files that are compressed already (the search index's gzip
//! files) are kept as they are: zstd would only copy them.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};

use zstd::bulk::{Compressor, Decompressor};

/// Fast, and with a dictionary close to what slower levels reach alone.
const LEVEL: i32 = 1;
/// Files smaller than this are packed without a dictionary, and do not
/// become one.
const DICT_MIN: usize = 1024;
/// The most of a file that a dictionary takes.
const DICT_MAX: usize = 64 * 1024;

/// A dictionary, with compression contexts to reuse: loading a dictionary
/// into a new context costs about as much as compressing a page.
pub struct Dict {
    raw: Vec<u8>,
    compressors: Mutex<Vec<Compressor<'static>>>,
    decompressors: Mutex<Vec<Decompressor<'static>>>,
}

impl std::fmt::Debug for Dict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Dict({} bytes)", self.raw.len())
    }
}

/// Compressed bytes and what unpacks them.
#[derive(Debug, Clone)]
pub struct Packed {
    dict: Option<Arc<Dict>>,
    size: usize,
    data: Box<[u8]>,
    /// `data` is the file itself (it was compressed already).
    raw: bool,
}

impl PartialEq for Packed {
    /// Same bytes packed with the same dictionary: compression is
    /// deterministic, so this is "same content" (with the same dictionary).
    fn eq(&self, other: &Self) -> bool {
        let same_dict = match (&self.dict, &other.dict) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        same_dict && self.raw == other.raw && self.size == other.size && self.data == other.data
    }
}

impl Eq for Packed {}

/// Packs and unpacks; the dictionaries live as long as the packer (and
/// every packed file holds on to its own).
#[derive(Default)]
pub struct Packer {
    /// By file extension. A dictionary once chosen stays.
    dicts: RwLock<BTreeMap<String, Arc<Dict>>>,
    /// Contexts for files without a dictionary.
    plain: Mutex<Vec<Compressor<'static>>>,
}

impl Packer {
    /// Compresses the bytes of the file at `path`.
    pub fn pack(&self, path: &str, bytes: &[u8]) -> Packed {
        if is_compressed(bytes) {
            return Packed::raw(bytes.into());
        }
        self.compress(path, bytes)
    }

    /// [`pack`](Self::pack), keeping bytes that are compressed already
    /// without copying them.
    pub fn pack_owned(&self, path: &str, bytes: Vec<u8>) -> Packed {
        if is_compressed(&bytes) {
            return Packed::raw(bytes.into_boxed_slice());
        }
        self.compress(path, &bytes)
    }

    fn compress(&self, path: &str, bytes: &[u8]) -> Packed {
        let dict = (bytes.len() >= DICT_MIN).then(|| self.dict_for(path, bytes));
        let pool = match &dict {
            Some(d) => &d.compressors,
            None => &self.plain,
        };
        let mut c = pool
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_else(|| new_compressor(dict.as_deref()));
        let data = c
            .compress(bytes)
            .expect("zstd compresses any bytes into a growing buffer");
        pool.lock().unwrap_or_else(|e| e.into_inner()).push(c);
        Packed {
            dict,
            size: bytes.len(),
            data: data.into_boxed_slice(),
            raw: false,
        }
    }

    fn dict_for(&self, path: &str, bytes: &[u8]) -> Arc<Dict> {
        let ext = extension(path);
        if let Some(d) = self
            .dicts
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(ext)
        {
            return Arc::clone(d);
        }
        let mut dicts = self.dicts.write().unwrap_or_else(|e| e.into_inner());
        Arc::clone(dicts.entry(ext.to_string()).or_insert_with(|| {
            Arc::new(Dict {
                raw: bytes[..bytes.len().min(DICT_MAX)].to_vec(),
                compressors: Mutex::new(Vec::new()),
                decompressors: Mutex::new(Vec::new()),
            })
        }))
    }
}

/// gzip (the search index's files): zstd would not make them smaller.
fn is_compressed(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

impl Packed {
    fn raw(data: Box<[u8]>) -> Packed {
        Packed {
            dict: None,
            size: data.len(),
            data,
            raw: true,
        }
    }

    pub fn unpack(&self) -> Vec<u8> {
        if self.raw {
            return self.data.to_vec();
        }
        let mut d = match &self.dict {
            Some(dict) => dict
                .decompressors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .pop()
                .unwrap_or_else(|| {
                    Decompressor::with_dictionary(&dict.raw).expect("a raw dictionary loads")
                }),
            None => Decompressor::new().expect("zstd makes a context"),
        };
        let bytes = d
            .decompress(&self.data, self.size)
            .expect("packed data is zstd made by Packer::pack");
        if let Some(dict) = &self.dict {
            dict.decompressors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(d);
        }
        bytes
    }

    /// Bytes held for this file.
    pub fn packed_len(&self) -> usize {
        self.data.len()
    }
}

fn new_compressor(dict: Option<&Dict>) -> Compressor<'static> {
    match dict {
        Some(d) => Compressor::with_dictionary(LEVEL, &d.raw),
        None => Compressor::new(LEVEL),
    }
    .expect("zstd makes a context")
}

fn extension(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or("", |(_, e)| e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize) -> Vec<u8> {
        let boilerplate = "<header><nav>Forside Mødekalender Søg</nav></header>".repeat(40);
        format!(
            "<html>{boilerplate}<main>Punkt {n}: budget {}</main></html>",
            n * 7
        )
        .into_bytes()
    }

    #[test]
    fn round_trips_with_and_without_a_dictionary() {
        let p = Packer::default();
        for n in 0..20 {
            let bytes = page(n);
            let packed = p.pack(&format!("a/{n}/index.html"), &bytes);
            assert_eq!(packed.unpack(), bytes);
        }
        let small = b"User-agent: *\n".to_vec();
        assert_eq!(p.pack("robots.txt", &small).unpack(), small);
        assert_eq!(p.pack("empty", b"").unpack(), b"");
        let gz = vec![0x1f, 0x8b, 8, 0, 1, 2, 3];
        assert_eq!(p.pack("t-1.bin", &gz).unpack(), gz);
        assert_eq!(p.pack_owned("t-1.bin", gz.clone()).packed_len(), gz.len());
        assert_eq!(p.pack_owned("t-1.bin", gz.clone()), p.pack("t-1.bin", &gz));
    }

    #[test]
    fn the_dictionary_shrinks_pages_and_equal_pages_pack_equal() {
        let p = Packer::default();
        let first = p.pack("0/index.html", &page(0));
        let alone = zstd::bulk::compress(&page(1), LEVEL).unwrap().len();
        let second = p.pack("1/index.html", &page(1));
        assert!(
            second.packed_len() * 2 < alone,
            "{} vs {alone}",
            second.packed_len()
        );
        assert_eq!(p.pack("x/index.html", &page(1)), second);
        assert_ne!(first, second);
    }
}
