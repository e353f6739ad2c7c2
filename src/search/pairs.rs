//! The first page of every two-word search whose words share a title, or
//! are a negation and a word beside it.
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
//!
//! A negation typed beside a word ("ikke godkendt") is a search of two
//! words too, whose first page ranks the documents holding the negation
//! pair first (see `query.rs`). Such pages are worked out for every
//! negation pair of the index, from the two words' postings and the
//! pair's, and go into the bucket of the two words, with the pair's key
//! beside theirs: "ikke godkendt" is the search most likely to meet two
//! of an archive's most common words.

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
/// Pairs kept per view, the ones most documents share first: a bound on
/// what an archive with a large vocabulary spends on them.
const MAX_PAIRS: usize = 20_000;

/// The pair files and each view's bucket count: the global view first,
/// then each committee's (0: none).
pub struct PairFiles {
    pub files: Vec<(String, Vec<u8>)>,
    pub buckets: Vec<usize>,
}

/// FNV-1a (32 bits) of the two words' keys with a NUL between: `pairFile`
/// in search.js.
fn bucket(a: &str, b: &str, buckets: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for byte in a.bytes().chain([0]).chain(b.bytes()) {
        h = (h ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    h as usize % buckets
}

/// A document holding both words: its two scores (in key order), the
/// negation pair's score (0 where it does not hold it, or the page is not
/// a negation's) and whether either word is in its decision.
#[derive(Clone, Copy)]
struct Hit {
    doc: u32,
    a: f32,
    b: f32,
    negation: f32,
    dec: bool,
}

impl Hit {
    /// As `match` in search.js adds them: the words', then the pair's.
    fn score(&self) -> f64 {
        f64::from(self.a) + f64::from(self.b) + f64::from(self.negation)
    }

    fn negations(&self) -> u32 {
        u32::from(self.negation > 0.0)
    }
}

/// One view's first page of a pair: the result count and the best hits.
struct Page {
    total: usize,
    hits: Vec<Hit>,
}

/// A pair's page in one view, the documents of it whose metadata the two
/// words' shards lack, and how much the pair weighs for [`MAX_PAIRS`].
struct Entry {
    pair: usize,
    page: Page,
    missing: Vec<u32>,
    weight: usize,
}

/// Two words (keys, in order) whose search gets pages.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Pair {
    a: String,
    b: String,
    /// The negation pair's key, for a negation and its word; "" for two
    /// words of a title.
    negation: String,
    /// Titles holding both words; 0 for a negation, which weighs as many
    /// as the documents holding its pair.
    titles: usize,
}

/// Every pair of distinct words (keys, in order) that some indexed title
/// holds, and every negation pair of the index; in key order.
pub struct PairPages {
    pairs: Vec<Pair>,
    words: HashSet<String>,
}

impl PairPages {
    /// The pairs of `docs`' titles, and those of the negation pairs among
    /// `terms` (the index's vocabulary).
    pub fn new<'a>(docs: &[SearchDoc], terms: impl Iterator<Item = &'a str>) -> PairPages {
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
        let mut pairs: Vec<Pair> = counts
            .into_iter()
            .map(|((a, b), titles)| Pair {
                a,
                b,
                negation: String::new(),
                titles,
            })
            .collect();
        for term in terms.filter(|t| analyzer::is_negation_pair(t)) {
            let Some((negation, word)) = term.split_once(' ') else {
                continue;
            };
            let (a, b) = if negation <= word {
                (negation, word)
            } else {
                (word, negation)
            };
            pairs.push(Pair {
                a: a.to_string(),
                b: b.to_string(),
                negation: term.to_string(),
                titles: 0,
            });
        }
        pairs.sort();
        let words = pairs
            .iter()
            .flat_map(|p| [&p.a, &p.b, &p.negation])
            .filter(|w| !w.is_empty())
            .cloned()
            .collect();
        PairPages { pairs, words }
    }

    /// The word (or negation pair) is in some pair: [`export`](Self::export)
    /// needs its postings.
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
            .map(|(p, pair)| {
                // Every title word is indexed; should one be missing, its
                // searches go without a pair file rather than the build fail.
                let (Some(pa), Some(pb)) = (postings.get(&pair.a), postings.get(&pair.b)) else {
                    return Vec::new();
                };
                let mut hits = both(pa, pb);
                let mut weight = pair.titles;
                if !pair.negation.is_empty() {
                    let Some(pn) = postings.get(&pair.negation) else {
                        return Vec::new();
                    };
                    add_negation(&mut hits, pn);
                    weight = pn.len();
                }
                let pages = first_pages(&hits, |d| docs[d as usize].committee, views);
                let mut out = Vec::new();
                for (view, page) in pages.into_iter().enumerate() {
                    if page.total == 0 {
                        continue;
                    }
                    // Not the negation pair's: the browser reads its shard
                    // only when there is no page.
                    let shards: BTreeSet<u32> = inline(view, &pair.a)
                        .into_iter()
                        .chain(inline(view, &pair.b))
                        .collect();
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
                            weight,
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
            list.sort_by_key(|e| (std::cmp::Reverse(e.weight), e.pair));
            list.truncate(MAX_PAIRS);
            list.sort_by_key(|e| e.pair);
            let weight: usize = list.iter().map(|e| 1 + e.missing.len()).sum();
            let n = weight.div_ceil(BUCKET_WEIGHT);
            let mut of_bucket: Vec<Vec<&Entry>> = vec![Vec::new(); n];
            for entry in &list {
                let pair = &pairs[entry.pair];
                of_bucket[bucket(&pair.a, &pair.b, n)].push(entry);
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
                    ..
                } in entries
                {
                    let pair = &pairs[*pair];
                    out.str(&pair.a);
                    out.str(&pair.b);
                    out.str(&pair.negation);
                    out.var(page.total as u64);
                    out.var(page.hits.len() as u64);
                    for h in &page.hits {
                        out.var(u64::from(h.doc) << 1 | u64::from(h.dec));
                        out.f32(h.a);
                        out.f32(h.b);
                        if !pair.negation.is_empty() {
                            out.f32(h.negation);
                        }
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
            negation: 0.0,
            dec: p.in_decision || q.in_decision,
        });
    }
    out
}

/// The negation pair's scores, for the hits that hold it (the documents
/// holding the pair hold both its words).
fn add_negation(hits: &mut [Hit], pair: &[Posting]) {
    let mut rest = pair;
    for h in hits {
        rest = &rest[rest.partition_point(|p| p.doc < h.doc)..];
        if let Some(p) = rest.first().filter(|p| p.doc == h.doc) {
            h.negation = p.score;
        }
    }
}

/// Ranking order: negation pair held, score, then the higher document
/// number (`rank` in search.js).
fn ranks_before(x: &Hit, y: &Hit) -> bool {
    x.negations()
        .cmp(&y.negations())
        .then(x.score().total_cmp(&y.score()))
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
    fn negation_pages_rank_the_documents_holding_the_pair_first() {
        let list = |docs: &[(u32, f32)]| {
            docs.iter()
                .map(|&(doc, score)| Posting {
                    doc,
                    score,
                    in_decision: false,
                    case_page: false,
                })
                .collect::<Vec<_>>()
        };
        let word = list(&[(1, 3.0), (2, 1.0), (3, 1.0), (4, 2.0)]);
        let negation = list(&[(2, 0.5), (3, 0.25), (9, 1.0)]);
        let mut hits = both(&word, &word);
        add_negation(&mut hits, &negation);
        let pages = first_pages(&hits, |_| 0, 2);
        let docs: Vec<u32> = pages[0].hits.iter().map(|h| h.doc).collect();
        assert_eq!(docs, vec![2, 3, 1, 4]);
        assert_eq!(pages[0].total, 4);
        assert_eq!(pages[0].hits[0].score(), 2.5);
    }

    #[test]
    fn first_pages_rank_and_count_like_the_browser() {
        let hit = |doc, a| Hit {
            doc,
            a,
            b: 0.25,
            negation: 0.0,
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
