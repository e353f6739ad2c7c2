//! Metadata of the best documents of two-word searches.
//!
//! The documents of a search of two words are those holding both, and its
//! first page are their best ten by the sum of the two words' scores:
//! documents all over the archive, whose metadata sat in as many bundles
//! (a median of 9 files for a cold search of two words from the same title
//! at 10,000 items). So, for every pair of words that share a title, the
//! export works out that first page, in all documents and within each
//! committee, and writes its metadata into a *pair file*: one more request
//! then answers any such search, and a cold search of two words reads the
//! manifest, two shards and one pair file.
//!
//! The pairs are hashed into files (`q-<version>-[c<n>-]<bucket>.bin`,
//! FNV-1a of `a \0 b`, the words' keys in order), so that no list of them
//! is needed: the manifest only gives each view's number of buckets, and
//! `search.js` computes the same hash. A bucket holds the metadata of its
//! pairs' documents, as a bundle does; documents whose metadata the two
//! words' shards hold already are left out, and so are pairs that need
//! nothing more.

use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use crate::search::analyzer;
use crate::search::documents::{DocKind, SearchDoc};
use crate::search::export::{Bytes, INLINE_META, encode_meta, gzip};
use crate::search::scoring::Posting;

/// Pairs of one view in a bucket, about: files of a few KB.
const PAIRS_PER_BUCKET: usize = 8;
/// Pairs kept per view, the ones most titles share first: a bound on
/// what an archive with a large vocabulary spends on them.
const MAX_PAIRS: usize = 20_000;

/// The pair files and each view's bucket count: the global view first,
/// then each committee's (0: none).
pub struct PairFiles {
    pub files: Vec<(String, Vec<u8>)>,
    pub buckets: Vec<usize>,
}

/// FNV-1a (32 bits) of the two keys with a NUL between: `pairBucket` in
/// search.js.
pub fn bucket(a: &str, b: &str, buckets: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for byte in a.bytes().chain([0]).chain(b.bytes()) {
        h = (h ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    h as usize % buckets
}

/// Every pair of distinct words (keys, in order) that some indexed title
/// holds, with how many titles hold it; in key order.
pub struct TitlePairs {
    pairs: Vec<(String, String, usize)>,
    words: HashSet<String>,
}

impl TitlePairs {
    pub fn new(docs: &[SearchDoc]) -> TitlePairs {
        let counts = docs
            .par_iter()
            .filter(|d| d.kind != DocKind::Case)
            .map_init(analyzer::danish, |danish, d| {
                let mut words = analyzer::terms(danish, &d.title);
                words.sort();
                words.dedup();
                words
            })
            .fold(
                HashMap::new,
                |mut counts: HashMap<(String, String), usize>, words| {
                    for (i, a) in words.iter().enumerate() {
                        for b in &words[i + 1..] {
                            *counts.entry((a.clone(), b.clone())).or_default() += 1;
                        }
                    }
                    counts
                },
            )
            .reduce(HashMap::new, |mut x, y| {
                for (k, n) in y {
                    *x.entry(k).or_default() += n;
                }
                x
            });
        let mut pairs: Vec<(String, String, usize)> =
            counts.into_iter().map(|((a, b), n)| (a, b, n)).collect();
        pairs.sort();
        let words = pairs
            .iter()
            .flat_map(|(a, b, _)| [a.clone(), b.clone()])
            .collect();
        TitlePairs { pairs, words }
    }

    /// The word is in some pair: [`export`](Self::export) needs its postings.
    pub fn has_word(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// The pair files, from every pair word's `postings`; `inline(view,
    /// key)`: the documents whose metadata the shard entry of `key` in
    /// `view` (0 global, 1 + n committee n) holds.
    pub fn export(
        &self,
        docs: &[SearchDoc],
        committees: usize,
        postings: &HashMap<String, Vec<Posting>>,
        inline: &(dyn Fn(usize, &str) -> Vec<u32> + Sync),
    ) -> PairFiles {
        let views = 1 + committees;
        let pairs = &self.pairs;
        // Per pair, the documents each view must add: (view, pair, docs).
        let needed: Vec<Vec<(usize, usize, Vec<u32>)>> = pairs
            .par_iter()
            .enumerate()
            .map(|(p, (a, b, _))| {
                let hits = both(&postings[a], &postings[b]);
                let pages = first_pages(&hits, |d| docs[d as usize].committee, views);
                let mut out = Vec::new();
                for (view, top) in pages.into_iter().enumerate() {
                    let shards: BTreeSet<u32> =
                        inline(view, a).into_iter().chain(inline(view, b)).collect();
                    let missing: Vec<u32> =
                        top.into_iter().filter(|d| !shards.contains(d)).collect();
                    if !missing.is_empty() {
                        out.push((view, p, missing));
                    }
                }
                out
            })
            .collect();
        let mut per_view: Vec<Vec<(usize, Vec<u32>)>> = vec![Vec::new(); views];
        for (view, p, missing) in needed.into_iter().flatten() {
            per_view[view].push((p, missing));
        }
        let mut files = Vec::new();
        let mut buckets = Vec::new();
        for (view, mut list) in per_view.into_iter().enumerate() {
            // Most shared first (then in key order), for the bound.
            list.sort_by_key(|(p, _)| (std::cmp::Reverse(pairs[*p].2), *p));
            list.truncate(MAX_PAIRS);
            let n = list.len().div_ceil(PAIRS_PER_BUCKET);
            let mut of_bucket: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
            for (p, missing) in &list {
                let (a, b, _) = &pairs[*p];
                of_bucket[bucket(a, b, n)].extend(missing);
            }
            let name = if view == 0 {
                String::new()
            } else {
                format!("c{}-", view - 1)
            };
            files.par_extend(of_bucket.into_par_iter().enumerate().map(|(i, set)| {
                let mut out = Bytes::default();
                out.var(set.len() as u64);
                for d in set {
                    encode_meta(&mut out, &docs[d as usize], d);
                }
                (format!("q-{{v}}-{name}{i}.bin"), gzip(&out.0))
            }));
            buckets.push(n);
        }
        PairFiles { files, buckets }
    }
}

/// The documents holding both words, with the sum of their scores in key
/// order, as `intersect` in search.js adds them: (score, doc).
fn both(a: &[Posting], b: &[Posting]) -> Vec<(f64, u32)> {
    let mut out = Vec::new();
    let mut j = 0;
    for p in a {
        while j < b.len() && b[j].doc < p.doc {
            j += 1;
        }
        if j < b.len() && b[j].doc == p.doc {
            out.push((f64::from(p.score) + f64::from(b[j].score), p.doc));
        }
    }
    out
}

/// The first page of results of each view (0 all, 1 + n committee n): the
/// best by score, then by the higher document number (`rank` in
/// search.js); as many as a results page shows and a word's shard entry
/// has metadata for.
fn first_pages(
    hits: &[(f64, u32)],
    committee: impl Fn(u32) -> usize,
    views: usize,
) -> Vec<Vec<u32>> {
    let mut ranked = hits.to_vec();
    ranked.sort_by(|x, y| y.0.total_cmp(&x.0).then(y.1.cmp(&x.1)));
    let mut pages = vec![Vec::new(); views];
    let mut full = 0;
    for (_, d) in ranked {
        for view in [0, 1 + committee(d)] {
            if pages[view].len() < INLINE_META {
                pages[view].push(d);
                full += usize::from(pages[view].len() == INLINE_META);
            }
        }
        if full == views {
            break;
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_is_fnv1a_of_both_keys() {
        // FNV-1a 32 of "a\0b", as Python computes it from the definition.
        assert_eq!(bucket("a", "b", usize::MAX), 0x10f3_abd2);
        assert_ne!(bucket("ab", "c", 97), bucket("a", "bc", 97));
        assert!(bucket("ørum", "å", 7) < 7);
    }

    #[test]
    fn first_pages_rank_like_the_browser() {
        let hits = [(1.0, 3), (2.0, 1), (1.0, 7), (0.5, 9)];
        let pages = first_pages(&hits, |d| usize::from(d > 5), 3);
        assert_eq!(pages, vec![vec![1, 7, 3, 9], vec![1, 3], vec![7, 9]]);
    }
}
