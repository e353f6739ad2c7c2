//! The first page of every two-word search whose words share a title.
//!
//! The documents of a search of two words are those holding both, and its
//! first page are their best ten by the sum of the two words' scores. In a
//! large archive the browser needed much for it: the rest of the postings
//! of both words (common words keep only their best documents in their
//! shards) and a metadata bundle for each result, all over the archive (a
//! median of 9 files for a cold search of two words from one title at
//! 10,000 items, up to 14 at 100,000). So, for every pair of words that
//! share some title, the export works out that first page, in all
//! documents and within each committee: the result count, the ten best
//! with their two scores, and their metadata. A cold search of such two
//! words then reads the manifest, its two shards and one pair file.
//!
//! The pairs are hashed into files (`q-<version>-[c<n>-]<bucket>.bin`,
//! FNV-1a of `a \0 b`, the words' keys in order), so that no list of them
//! is needed: the manifest gives each view's number of buckets, and
//! `search.js` computes the same hash. Metadata that the two words'
//! shards hold already is left out.

use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::search::analyzer;
use crate::search::documents::{DocKind, SearchDoc};
use crate::search::export::{Bytes, INLINE_META, encode_meta, gzip};
use crate::search::scoring::Posting;

/// Documents' metadata and pages (a page counts as one) per bucket, about:
/// files of a few KB, few of them where the shards hold most metadata.
const BUCKET_WEIGHT: usize = 88;
/// Pairs kept per view, the ones most titles share first: a bound on
/// what an archive with a large vocabulary spends on them.
const MAX_PAIRS: usize = 20_000;

/// The pair files and each view's bucket count: the global view first,
/// then each committee's (0: none).
pub struct PairFiles {
    pub files: Vec<(String, Vec<u8>)>,
    pub buckets: Vec<usize>,
}

/// FNV-1a (32 bits) of the two keys with a NUL between: `pairFile` in
/// search.js.
fn bucket(a: &str, b: &str, buckets: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for byte in a.bytes().chain([0]).chain(b.bytes()) {
        h = (h ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    h as usize % buckets
}

/// A document holding both words: its two scores (in key order) and
/// whether either word is in its decision.
#[derive(Clone, Copy)]
struct Hit {
    doc: u32,
    a: f32,
    b: f32,
    dec: bool,
}

impl Hit {
    /// As `intersect` in search.js adds them.
    fn score(&self) -> f64 {
        f64::from(self.a) + f64::from(self.b)
    }
}

/// One view's first page of a pair: the result count and the best hits.
struct Page {
    total: usize,
    hits: Vec<Hit>,
}

/// A pair's page in one view, and the documents of it whose metadata the
/// two words' shards lack.
struct Entry {
    pair: usize,
    page: Page,
    missing: Vec<u32>,
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
                // A search with a negation pair ranks beyond its two words.
                words.retain(|w| !analyzer::is_negation_pair(w));
                words.sort();
                words.dedup();
                words
            })
            .fold(
                FxHashMap::default,
                |mut counts: FxHashMap<(String, String), usize>, words| {
                    for (i, a) in words.iter().enumerate() {
                        for b in &words[i + 1..] {
                            *counts.entry((a.clone(), b.clone())).or_default() += 1;
                        }
                    }
                    counts
                },
            )
            .reduce(FxHashMap::default, |mut x, y| {
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
        // Per pair, its entry in each view where it has results.
        let entries: Vec<Vec<(usize, Entry)>> = pairs
            .par_iter()
            .enumerate()
            .map(|(p, (a, b, _))| {
                // Every title word is indexed; should one be missing, its
                // searches go without a pair file rather than the build fail.
                let (Some(pa), Some(pb)) = (postings.get(a), postings.get(b)) else {
                    return Vec::new();
                };
                let hits = both(pa, pb);
                let pages = first_pages(&hits, |d| docs[d as usize].committee, views);
                let mut out = Vec::new();
                for (view, page) in pages.into_iter().enumerate() {
                    if page.total == 0 {
                        continue;
                    }
                    let shards: BTreeSet<u32> =
                        inline(view, a).into_iter().chain(inline(view, b)).collect();
                    let missing = page
                        .hits
                        .iter()
                        .map(|h| h.doc)
                        .filter(|d| !shards.contains(d))
                        .collect();
                    out.push((
                        view,
                        Entry {
                            pair: p,
                            page,
                            missing,
                        },
                    ));
                }
                out
            })
            .collect();
        let mut per_view: Vec<Vec<Entry>> = (0..views).map(|_| Vec::new()).collect();
        for (view, entry) in entries.into_iter().flatten() {
            per_view[view].push(entry);
        }
        let mut files = Vec::new();
        let mut buckets = Vec::new();
        for (view, mut list) in per_view.into_iter().enumerate() {
            // Most shared first (then in key order), for the bound; then
            // back in key order, for the files.
            list.sort_by_key(|e| (std::cmp::Reverse(pairs[e.pair].2), e.pair));
            list.truncate(MAX_PAIRS);
            list.sort_by_key(|e| e.pair);
            let weight: usize = list.iter().map(|e| 1 + e.missing.len()).sum();
            let n = weight.div_ceil(BUCKET_WEIGHT);
            let mut of_bucket: Vec<Vec<&Entry>> = vec![Vec::new(); n];
            for entry in &list {
                let (a, b, _) = &pairs[entry.pair];
                of_bucket[bucket(a, b, n)].push(entry);
            }
            let name = if view == 0 {
                String::new()
            } else {
                format!("c{}-", view - 1)
            };
            files.par_extend(of_bucket.into_par_iter().enumerate().map(|(i, entries)| {
                let mut out = Bytes::default();
                out.var(entries.len() as u64);
                let mut meta = BTreeSet::new();
                for Entry {
                    pair,
                    page,
                    missing,
                } in entries
                {
                    let (a, b, _) = &pairs[*pair];
                    out.str(a);
                    out.str(b);
                    out.var(page.total as u64);
                    out.var(page.hits.len() as u64);
                    for h in &page.hits {
                        out.var(u64::from(h.doc) << 1 | u64::from(h.dec));
                        out.f32(h.a);
                        out.f32(h.b);
                    }
                    meta.extend(missing);
                }
                out.var(meta.len() as u64);
                for d in meta {
                    encode_meta(&mut out, &docs[d as usize], d);
                }
                (format!("q-{{v}}-{name}{i}.bin"), gzip(&out.0))
            }));
            buckets.push(n);
        }
        PairFiles { files, buckets }
    }
}

/// The documents holding both words, by document number. Walks the
/// shorter list and gallops through the longer: the words of titles are
/// the archive's most common, some in nearly every document.
fn both(a: &[Posting], b: &[Posting]) -> Vec<Hit> {
    let (short, long, flipped) = if a.len() <= b.len() {
        (a, b, false)
    } else {
        (b, a, true)
    };
    let mut out = Vec::new();
    let mut rest = long;
    for p in short {
        // The first posting at or after p.doc: doubling steps, then a
        // binary search within the last step.
        let mut step = 1;
        while step < rest.len() && rest[step].doc < p.doc {
            step *= 2;
        }
        let end = (step + 1).min(rest.len());
        rest = &rest[rest[..end].partition_point(|q| q.doc < p.doc)..];
        let Some(q) = rest.first().filter(|q| q.doc == p.doc) else {
            continue;
        };
        let (x, y) = if flipped { (q, p) } else { (p, q) };
        out.push(Hit {
            doc: p.doc,
            a: x.score,
            b: y.score,
            dec: p.in_decision || q.in_decision,
        });
    }
    out
}

/// Ranking order: score, then the higher document number (`rank` in
/// search.js).
fn ranks_before(x: &Hit, y: &Hit) -> bool {
    x.score()
        .total_cmp(&y.score())
        .then(x.doc.cmp(&y.doc))
        .is_gt()
}

/// The first page of results of each view (0 all, 1 + n committee n): the
/// best in ranking order, as many as a results page shows and a word's
/// shard entry has metadata for; and how many results each view has.
fn first_pages(hits: &[Hit], committee: impl Fn(u32) -> usize, views: usize) -> Vec<Page> {
    let mut pages: Vec<Page> = (0..views)
        .map(|_| Page {
            total: 0,
            hits: Vec::with_capacity(INLINE_META + 1),
        })
        .collect();
    for h in hits {
        for view in [0, 1 + committee(h.doc)] {
            let page = &mut pages[view];
            page.total += 1;
            // Kept sorted, best first: most hits rank below a full page.
            if page.hits.len() == INLINE_META && !ranks_before(h, &page.hits[INLINE_META - 1]) {
                continue;
            }
            let at = page.hits.partition_point(|x| ranks_before(x, h));
            page.hits.insert(at, *h);
            page.hits.truncate(INLINE_META);
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
    fn both_finds_common_documents_whichever_list_is_longer() {
        let list = |docs: &[u32], score| {
            docs.iter()
                .map(|&doc| Posting {
                    doc,
                    score,
                    in_decision: doc == 8,
                    case_page: false,
                })
                .collect::<Vec<_>>()
        };
        let a = list(&[2, 8, 40], 1.0);
        let b = list(&(0..100).filter(|d| d % 2 == 0).collect::<Vec<_>>(), 0.5);
        for hits in [both(&a, &b), both(&b, &a)] {
            let docs: Vec<u32> = hits.iter().map(|h| h.doc).collect();
            assert_eq!(docs, vec![2, 8, 40]);
            assert!(hits[1].dec && !hits[0].dec);
        }
        // Scores stay in key order: the first list's first.
        assert_eq!((both(&a, &b)[0].a, both(&b, &a)[0].a), (1.0, 0.5));
    }

    #[test]
    fn first_pages_rank_and_count_like_the_browser() {
        let hit = |doc, a| Hit {
            doc,
            a,
            b: 0.25,
            dec: false,
        };
        let hits = [hit(3, 1.0), hit(9, 0.5), hit(1, 2.0), hit(7, 1.0)];
        let pages = first_pages(&hits, |d| usize::from(d > 5), 3);
        let docs = |p: &Page| p.hits.iter().map(|h| h.doc).collect::<Vec<_>>();
        assert_eq!(docs(&pages[0]), vec![1, 7, 3, 9]);
        assert_eq!((docs(&pages[1]), pages[1].total), (vec![1, 3], 2));
        assert_eq!((docs(&pages[2]), pages[2].total), (vec![7, 9], 2));
    }
}
