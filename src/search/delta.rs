//! The search delta: what `serve` and `build --watch` publish at once after
//! an edit, so that search follows it long before the next full export.
//!
//! A full export takes seconds on a large archive, and one edited item
//! changes every file of it (the statistics behind the scores, and the
//! version hash in every name). So an update leaves the last full export
//! (the *base*) as it is and adds, in its manifest, the delta since then:
//!
//! - the numbers of the base's documents that were edited or removed;
//! - every new or edited document: its metadata, as the bundles hold it
//!   (numbered from the base's document count on), and each of its terms
//!   with its BM25 score, computed with the base's statistics (see
//!   [`FrozenStats`]), so that the browser ranks them among the shards'
//!   precomputed scores;
//! - the typeahead words of those documents.
//!
//! The delta is cumulative: each update writes it anew from every edit
//! since the base, and the next full export (once edits pause) replaces
//! the manifest and removes the delta. It is small, so it is inlined in
//! the manifest (which is fetched fresh) when its compressed bytes are
//! few; else it is a file named by its hash that the manifest names.
//!
//! Binary layout (varints as in the shards; gzip):
//!
//! ```text
//! base version (str), base document count
//! removed: count, then numbers ascending as gaps
//! documents: count, then per document
//!     metadata (as in the bundles; number = base count + position)
//!     terms: count, then per term (sorted): shared prefix with the
//!     previous key, the rest (str), score (f32), in decision (0/1)
//! typeahead words: count, then each (str), sorted
//! ```

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use base64::prelude::{BASE64_STANDARD, Engine as _};
use sha2::{Digest, Sha256};

use crate::error::BuildError;
use crate::model::Site;
use crate::output::{Content, Sink};
use crate::search::analyzer;
use crate::search::documents::{self, SearchDoc, hex};
use crate::search::export::{self, Bytes, Level, encode_meta, gzip, shared_prefix};
use crate::search::frozen::FrozenStats;
use crate::search::index::{CommitteeNames, SearchIndex, tantivy_error};
use crate::stage::ModelChange;

/// A delta whose compressed bytes are at most this many goes into the
/// manifest itself (as base64): no request more for the common case of
/// a few edited items.
pub const INLINE_BYTES: usize = 6_000;

/// What the delta needs of the full export it is relative to.
pub struct Base {
    /// The index folder, e.g. `soeg/indeks/`.
    dir: String,
    version: String,
    /// The export's manifest, as written.
    manifest: Vec<u8>,
    /// How many documents the export numbered.
    docs: u32,
    /// The number of each exported document, by a 64-bit hash of its URL
    /// (unique per document): a tenth of the memory of the URLs, which a
    /// large archive would hold twice while the next full run ends. Two
    /// of 200,000 URLs share a hash with a chance of about 1 in 10^9.
    numbers: HashMap<u64, u32>,
    stats: FrozenStats,
    committee_names: CommitteeNames,
}

impl Base {
    /// The base of an export: `files` as [`export::export`] wrote them for
    /// `docs`, and the index it was exported from.
    pub fn new(
        site: &Site,
        docs: &[SearchDoc],
        search_index: &SearchIndex,
        files: &[(String, Vec<u8>)],
    ) -> Result<Base, BuildError> {
        let dir = export::index_dir(site);
        let manifest_path = format!("{dir}manifest.json");
        let manifest = files
            .iter()
            .find(|(p, _)| *p == manifest_path)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| BuildError::Other("the search export has no manifest".into()))?;
        let version = serde_json::from_slice::<serde_json::Value>(&manifest)
            .ok()
            .and_then(|m| m["version"].as_str().map(str::to_string))
            .ok_or_else(|| BuildError::Other("the search manifest has no version".into()))?;
        let numbers = docs
            .iter()
            .enumerate()
            .map(|(n, d)| (url_key(&d.url), n as u32))
            .collect();
        // Opened anew rather than kept from the export, which has read
        // every page of the index: a fresh mapping holds in memory only
        // the few pages the delta's lookups touch (the whole index is
        // 113 MB at 100,000 items, and the next full run builds another
        // beside it).
        let err = |e| tantivy_error(&search_index.dir, e);
        let reopened = crate::search::index::open(&search_index.dir).map_err(err)?;
        let stats = FrozenStats::new(reopened.reader.searcher(), reopened.fields).map_err(err)?;
        Ok(Base {
            dir,
            version,
            manifest,
            docs: docs.len() as u32,
            numbers,
            stats,
            committee_names: crate::search::committee_names(site),
        })
    }
}

/// The edits since a base, and the delta file on the target.
pub struct Delta {
    base: Base,
    /// Every document an edit touched, by URL: as the base has it and as
    /// it is now (`None`: not there). Unchanged ones are left out.
    touched: BTreeMap<String, (Option<SearchDoc>, Option<SearchDoc>)>,
    /// Document frequencies looked up in the base's index.
    doc_freqs: HashMap<(usize, String), u64>,
    /// The delta file written last, if the delta was not inlined.
    file: Option<String>,
}

impl Delta {
    pub fn new(base: Base) -> Delta {
        Delta {
            base,
            touched: BTreeMap::new(),
            doc_freqs: HashMap::new(),
            file: None,
        }
    }

    /// Takes in a change of the model. Every change since the base must
    /// come here, in order: the first time a document is touched, its
    /// version before the change is the base's.
    pub fn record(&mut self, change: &ModelChange<'_>) {
        let (old, new) = (change.old, change.new);
        let (mut was, mut cases) = documents::of_meetings(
            old.site,
            change.meetings.iter().filter_map(|k| old.meeting(k)),
        );
        let (mut now, new_cases) = documents::of_meetings(
            new.site,
            change.meetings.iter().filter_map(|k| new.meeting(k)),
        );
        cases.extend(new_cases);
        was.extend(documents::of_cases(old.site, old.idx, &cases));
        now.extend(documents::of_cases(new.site, new.idx, &cases));
        let by_url = |docs: Vec<SearchDoc>| -> BTreeMap<String, SearchDoc> {
            docs.into_iter().map(|d| (d.url.clone(), d)).collect()
        };
        let (mut was, mut now) = (by_url(was), by_url(now));
        let urls: BTreeSet<String> = was.keys().chain(now.keys()).cloned().collect();
        for url in urls {
            let now = now.remove(&url);
            match self.touched.entry(url) {
                Entry::Occupied(mut e) => {
                    e.get_mut().1 = now;
                    // Put back as it was: nothing to publish.
                    if e.get().0 == e.get().1 {
                        e.remove();
                    }
                }
                Entry::Vacant(e) => {
                    let was = was.remove(e.key());
                    if was != now {
                        e.insert((was, now));
                    }
                }
            }
        }
    }

    /// Whether the edits took text out of a document of the base: it was
    /// removed, or some text of it is no longer in it (a closed item's
    /// private fields, a shortened title). The base's files still hold
    /// that text, and a delta can only hide the document in results, not
    /// unpublish its words: the base must be exported anew. Edits that
    /// only add text keep every word of the base public, so the delta
    /// serves them.
    pub fn withdraws_text(&self) -> bool {
        self.touched.values().any(|entry| match entry {
            (Some(was), Some(now)) => !keeps_text(was, now),
            (Some(_), None) => true,
            (None, _) => false,
        })
    }

    /// Writes the manifest with the delta (or, with nothing edited, as
    /// the base has it) and the delta file if it is not inlined. Returns
    /// the files written before that are gone now.
    pub fn write(&mut self, sink: &dyn Sink) -> Result<Vec<String>, BuildError> {
        let encoded = if self.touched.is_empty() {
            None
        } else {
            Some(gzip(&self.encode()?, Level::Shared))
        };
        let mut manifest = self.base.manifest.clone();
        let mut file = None;
        if let Some(bytes) = encoded {
            let (key, value) = if bytes.len() <= INLINE_BYTES {
                ("inline", BASE64_STANDARD.encode(&bytes))
            } else {
                let name = format!("x-{}.bin", &hex(&Sha256::digest(&bytes))[..16]);
                file = Some((format!("{}{name}", self.base.dir), bytes));
                ("file", name)
            };
            let (docs, removed) = self.counts();
            // The base's manifest stays as it is, byte for byte, with one
            // more key: the browser reads the base as it always does.
            let delta = serde_json::json!({ "docs": docs, "removed": removed, key: value });
            if manifest.pop() != Some(b'}') {
                return Err(BuildError::Other(
                    "the search manifest is not a JSON object".into(),
                ));
            }
            manifest.extend_from_slice(b",\"delta\":");
            manifest.extend_from_slice(delta.to_string().as_bytes());
            manifest.push(b'}');
        }
        let base = &self.base;
        sink.put(
            format!("{}manifest.json", base.dir),
            Content::Bytes(manifest),
        )?;
        let path = file.as_ref().map(|(p, _)| p.clone());
        let gone = match (&self.file, &path) {
            (Some(old), new) if new.as_ref() != Some(old) => vec![old.clone()],
            _ => Vec::new(),
        };
        if let Some((p, bytes)) = file {
            sink.put(p, Content::Bytes(bytes))?;
        }
        self.file = path;
        Ok(gone)
    }

    /// New or edited documents, and removed base documents.
    fn counts(&self) -> (usize, usize) {
        let docs = self.touched.values().filter(|(_, n)| n.is_some()).count();
        let removed = self.touched.values().filter(|(b, _)| b.is_some()).count();
        (docs, removed)
    }

    fn encode(&mut self) -> Result<Vec<u8>, BuildError> {
        let base = &self.base;
        let first = base.docs;
        let mut removed: Vec<u32> = self
            .touched
            .values()
            .filter_map(|(was, _)| was.as_ref())
            .filter_map(|d| base.numbers.get(&url_key(&d.url)).copied())
            .collect();
        removed.sort_unstable();
        let docs: Vec<&SearchDoc> = self
            .touched
            .values()
            .filter_map(|(_, now)| now.as_ref())
            .collect();
        let scored = base
            .stats
            .score(&docs, &base.committee_names, &mut self.doc_freqs)
            .map_err(|e| BuildError::Other(format!("search delta: {e}")))?;

        let mut out = Bytes::default();
        out.str(&base.version);
        out.var(u64::from(first));
        out.var(removed.len() as u64);
        let mut prev = 0;
        for n in &removed {
            out.var(u64::from(n - prev));
            prev = *n;
        }
        out.var(docs.len() as u64);
        for (i, (d, terms)) in docs.iter().zip(&scored).enumerate() {
            encode_meta(&mut out, d, first + i as u32);
            out.var(terms.len() as u64);
            let mut prev = "";
            for t in terms {
                let shared = shared_prefix(prev, &t.key);
                out.var(shared as u64);
                out.str(&t.key[shared..]);
                out.f32(t.score);
                out.var(u64::from(super::export::flag(t.in_decision, t.case_page)));
                prev = &t.key;
            }
        }
        let words = suggest_words(&docs);
        out.var(words.len() as u64);
        for w in &words {
            out.str(w);
        }
        Ok(out.0)
    }
}

/// Whether `now` still holds every text of `was`, each in its own field
/// and as whole words: what the base exported of `was` (its words,
/// passages and typeahead words) is then still public.
fn keeps_text(was: &SearchDoc, now: &SearchDoc) -> bool {
    was.kind == now.kind
        && (was.case.is_none() || was.case == now.case)
        && [
            (&was.title, &now.title),
            (&was.decision, &now.decision),
            (&was.recommendation, &now.recommendation),
            (&was.body, &now.body),
        ]
        .into_iter()
        .all(|(was, now)| holds_words(now, was))
}

/// Whether `part` occurs in `text` without its first or last word being
/// a piece of a longer word there ("plan" is not kept by "planlægning").
fn holds_words(text: &str, part: &str) -> bool {
    let glued = |outer: Option<char>, edge: Option<char>| {
        outer.is_some_and(char::is_alphanumeric) && edge.is_some_and(char::is_alphanumeric)
    };
    part.is_empty()
        || text.match_indices(part).any(|(at, _)| {
            !glued(text[..at].chars().next_back(), part.chars().next())
                && !glued(
                    text[at + part.len()..].chars().next(),
                    part.chars().next_back(),
                )
        })
}

fn url_key(url: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(url.as_bytes())
}

/// The words typeahead offers from these documents, as the typeahead
/// files hold them (see `export::write_suggest`).
fn suggest_words(docs: &[&SearchDoc]) -> BTreeSet<String> {
    let mut surface = analyzer::surface();
    docs.iter()
        .flat_map(|d| export::typeahead_words(&mut surface, d))
        .filter(|w| w.chars().count() >= 3)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::holds_words;

    #[test]
    fn text_is_kept_only_as_whole_words() {
        assert!(holds_words(
            "Lamperne skiftes. Også ved havnen.",
            "Lamperne skiftes."
        ));
        assert!(holds_words(
            "Ny: Vejbelysning i Nørreby",
            "Vejbelysning i Nørreby"
        ));
        assert!(holds_words("alt", ""));
        assert!(holds_words("(Plan) og mere", "(Plan)"));
        // Shortened, or only a piece of a longer word now.
        assert!(!holds_words("Vejbelysning", "Vejbelysning i Nørreby"));
        assert!(!holds_words("Planlægning", "Plan"));
        assert!(!holds_words("Byplan", "plan"));
        assert!(!holds_words("", "Tekst"));
        // A later occurrence can keep it when the first does not.
        assert!(holds_words("Planer og plan", "plan"));
    }
}
