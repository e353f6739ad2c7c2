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
//! Two of the archive's most common words need the same, whether a title
//! holds them both or not: their best shared documents lie deep in both
//! lists, far from the few whose metadata their shards hold, and in a
//! large archive both words' postings have tails of their own (36 and 85
//! KB for "ansat" and "godkend" at 100,000 items). A cold search of two
//! words from an item's text read 14 files and 124 KB there (median of
//! 200, `bench/search_requests.mjs`); 4 files and 32 KB with these pages.
//! So every pair of the [`COMMON_WORDS`] words in most documents gets a
//! page too, in all documents and in each committee.
//!
//! A committee's pages of two common words are not hashed into its
//! buckets but grouped by their first word (`q-<version>-c<n>-g<i>.bin`,
//! the word's place in the manifest's `common` list modulo the
//! committee's count of group files), since pages that share a word share
//! their best documents: hashed, a committee's common pages wrote each
//! document's metadata about 13 times and would have grown the index by
//! 41% (session 27, bench/results/search.md); grouped, by 14%.
//!
//! A negation typed beside a word ("ikke godkendt") is a search of two
//! words too, whose first page ranks the documents holding the negation
//! pair first (see `query.rs`). Such pages are worked out for every
//! negation pair of the index, from the two words' postings and the
//! pair's, and go into the file of the two words (their bucket, or in a
//! committee their group when both are common words), with the pair's key
//! beside theirs: "ikke godkendt" is the search most likely to meet two
//! of an archive's most common words.

use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::search::analyzer;
use crate::search::documents::{DocKind, SearchDoc};
use crate::search::export::{Bytes, INLINE_META, Level, Metas, gzip};
use crate::search::scoring::Posting;

/// Documents' metadata and pages (a page counts as one) per bucket, about:
/// files of a few KB, few of them where the shards hold most metadata.
const BUCKET_WEIGHT: usize = 88;
/// Pairs kept per view, the ones most documents share first: a bound on
/// what an archive with a large vocabulary spends on them.
const MAX_PAIRS: usize = 20_000;
/// Words whose every pair gets a page (see the module's note): at most
/// 8,128 pairs besides the titles'.
pub const COMMON_WORDS: usize = 128;
/// The same as [`BUCKET_WEIGHT`] for the files of a committee's groups:
/// one file is all a search reads, and its pages share documents.
const GROUP_WEIGHT: usize = 256;

/// The pair files, each view's bucket count (the global view first, then
/// each committee's; 0: none), and each committee's count of group files.
pub struct PairFiles {
    pub files: Vec<(String, Vec<u8>)>,
    pub buckets: Vec<usize>,
    pub groups: Vec<usize>,
}

/// One of the [`COMMON_WORDS`]: its list in each committee's documents
/// (none where none of them holds the word). Every document is in one
/// committee, so the first page in all documents is the best of the
/// committees' first pages and needs no walk of the long lists of its
/// own.
pub struct Common<'a> {
    pub word: &'a str,
    pub committees: Vec<Option<CommonWord>>,
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
#[derive(Default)]
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
    /// as the documents holding its pair, and for two common words.
    titles: usize,
}

impl Pair {
    fn words(&self) -> (&str, &str, &str) {
        (&self.a, &self.b, &self.negation)
    }
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

    /// The pairs of `common` words (in key order) that no title holds.
    fn common_pairs(&self, common: &[&str]) -> Vec<Pair> {
        let mut out = Vec::new();
        for (i, a) in common.iter().enumerate() {
            for b in &common[i + 1..] {
                let known = self
                    .pairs
                    .binary_search_by(|p| p.words().cmp(&(*a, *b, "")))
                    .is_ok();
                if !known {
                    out.push(Pair {
                        a: a.to_string(),
                        b: b.to_string(),
                        negation: String::new(),
                        titles: 0,
                    });
                }
            }
        }
        out
    }

    /// The pair files, from every pair word's `postings` and the lists of
    /// the [`COMMON_WORDS`] (in key order); `inline(view, key)`: the
    /// documents whose metadata the shard entry of `key` in `view` (0
    /// global, 1 + n committee n) holds.
    pub fn export(
        &self,
        docs: &[SearchDoc],
        metas: &Metas,
        committees: usize,
        postings: &HashMap<String, Vec<Posting>>,
        common: &[Common],
        inline: &(dyn Fn(usize, &str) -> Vec<u32> + Sync),
    ) -> PairFiles {
        let views = 1 + committees;
        let index: FxHashMap<&str, usize> = common
            .iter()
            .enumerate()
            .map(|(i, c)| (c.word, i))
            .collect();
        let words: Vec<&str> = common.iter().map(|c| c.word).collect();
        let untitled = self.common_pairs(&words);
        let pairs: Vec<&Pair> = self.pairs.iter().chain(&untitled).collect();
        // A committee's pages of two common words go to the file of the
        // first word's group (see the module's note).
        let group_of = |pair: &Pair| Some((*index.get(&*pair.a)?, *index.get(&*pair.b)?));
        // Looked up for every document of every pair: a small array stays
        // in the cache where the documents would not.
        let committee_of: Vec<u32> = docs.iter().map(|d| d.committee as u32).collect();
        // Per pair, its entry in each view where it has results.
        let entries: Vec<Vec<(usize, Entry)>> = pairs
            .par_iter()
            .enumerate()
            .map(|(p, pair)| {
                let commons = group_of(pair).filter(|_| pair.negation.is_empty());
                let pages = if let Some((a, b)) = commons {
                    let (a, b) = (&common[a], &common[b]);
                    let committees: Vec<Page> = a
                        .committees
                        .iter()
                        .zip(&b.committees)
                        .map(|lists| match lists {
                            (Some(a), Some(b)) => common_page(a, b),
                            _ => Page::default(),
                        })
                        .collect();
                    let mut pages = vec![merge(&committees)];
                    pages.extend(committees);
                    pages
                } else {
                    // Every title word is indexed; should one be missing, its
                    // searches go without a pair file rather than the build fail.
                    let (Some(pa), Some(pb)) = (postings.get(&pair.a), postings.get(&pair.b))
                    else {
                        return Vec::new();
                    };
                    let mut hits = both(pa, pb);
                    if !pair.negation.is_empty() {
                        let Some(pn) = postings.get(&pair.negation) else {
                            return Vec::new();
                        };
                        add_negation(&mut hits, pn);
                    }
                    first_pages(&hits, |d| committee_of[d as usize] as usize, views)
                };
                let weight = if pair.negation.is_empty() {
                    pair.titles
                } else {
                    postings.get(&pair.negation).map_or(0, Vec::len)
                };
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
        let mut groups = Vec::new();
        for (view, list) in per_view.into_iter().enumerate() {
            // The pages of two common words are all kept; a committee's go
            // to their groups' files.
            let common_pair = |e: &Entry| group_of(pairs[e.pair]).is_some();
            let (mut list, kept): (Vec<Entry>, Vec<Entry>) =
                list.into_iter().partition(|e| !common_pair(e));
            // Most shared first (then in key order), for the bound; then
            // back in pair order, for the files.
            list.sort_by_key(|e| (std::cmp::Reverse(e.weight), e.pair));
            list.truncate(MAX_PAIRS);
            list.extend(kept);
            list.sort_by_key(|e| e.pair);
            let (grouped, list): (Vec<Entry>, Vec<Entry>) =
                list.into_iter().partition(|e| view > 0 && common_pair(e));
            let (name, level) = if view == 0 {
                (String::new(), Level::Shared)
            } else {
                (format!("c{}-", view - 1), Level::Views)
            };
            let n = files_for(&list, BUCKET_WEIGHT, usize::MAX);
            let mut of_file: Vec<Vec<&Entry>> = vec![Vec::new(); n];
            for entry in &list {
                let pair = pairs[entry.pair];
                of_file[bucket(&pair.a, &pair.b, n)].push(entry);
            }
            files.par_extend(of_file.into_par_iter().enumerate().map(|(i, entries)| {
                let bytes = pair_file(&entries, &pairs, metas);
                (format!("q-{{v}}-{name}{i}.bin"), gzip(&bytes, level))
            }));
            buckets.push(n);
            if view == 0 {
                continue;
            }
            let n = files_for(&grouped, GROUP_WEIGHT, words.len());
            let mut of_file: Vec<Vec<&Entry>> = vec![Vec::new(); n];
            for entry in &grouped {
                let (a, _) = group_of(pairs[entry.pair]).expect("grouped");
                of_file[a % n].push(entry);
            }
            files.par_extend(of_file.into_par_iter().enumerate().map(|(i, entries)| {
                let bytes = pair_file(&entries, &pairs, metas);
                (format!("q-{{v}}-{name}g{i}.bin"), gzip(&bytes, level))
            }));
            groups.push(n);
        }
        PairFiles {
            files,
            buckets,
            groups,
        }
    }
}

/// How many files `entries` go into, at about `weight` documents'
/// metadata and pages (a page counts as one) each, and at most `most`.
fn files_for(entries: &[Entry], weight: usize, most: usize) -> usize {
    let total: usize = entries.iter().map(|e| 1 + e.missing.len()).sum();
    total.div_ceil(weight).min(most)
}

/// A pair file of `entries`: their pages, then the metadata they miss.
fn pair_file(entries: &[&Entry], pairs: &[&Pair], metas: &Metas) -> Vec<u8> {
    let mut out = Bytes::default();
    out.var(entries.len() as u64);
    let mut meta: BTreeSet<u32> = BTreeSet::new();
    for Entry {
        pair,
        page,
        missing,
        ..
    } in entries
    {
        let pair = pairs[*pair];
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
        metas.write(&mut out, d);
    }
    out.0
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

/// A common word's postings arranged for [`common_page`], in half their
/// memory: which documents hold it (a bitset, with the count of set
/// bits before each of its words: a document's rank in the postings), the
/// score of each by rank (as the number of its score among the word's
/// distinct scores), and the documents best first.
pub struct CommonWord {
    /// The first document of the range the bitsets cover.
    base: u32,
    has: Vec<u64>,
    in_decision: Vec<u64>,
    before: Vec<u32>,
    /// The distinct scores, highest first.
    scores: Vec<f32>,
    /// Each document's score in `scores`, by rank.
    score_of: Vec<u16>,
    /// The documents, highest score first, and where each score's end.
    best: Vec<u32>,
    ends: Vec<u32>,
}

impl CommonWord {
    /// `postings` by document number, all within `docs` (all documents, or
    /// a committee's); none for no postings, or more distinct scores than
    /// a `u16` counts.
    pub fn new(postings: &[Posting], docs: std::ops::Range<u32>) -> Option<CommonWord> {
        if postings.is_empty() {
            return None;
        }
        let base = docs.start;
        let mut has = vec![0u64; docs.len().div_ceil(64)];
        let mut in_decision = has.clone();
        for p in postings {
            let at = p.doc - base;
            has[at as usize / 64] |= 1 << (at % 64);
            in_decision[at as usize / 64] |= u64::from(p.in_decision) << (at % 64);
        }
        let before = has
            .iter()
            .scan(0u32, |n, w| {
                let at = *n;
                *n += w.count_ones();
                Some(at)
            })
            .collect();
        let mut order: Vec<(f32, u32)> = postings.iter().map(|p| (p.score, p.doc)).collect();
        order.sort_by(|x, y| y.0.total_cmp(&x.0));
        let mut scores: Vec<f32> = Vec::new();
        let mut ends = Vec::new();
        for (i, (score, _)) in order.iter().enumerate() {
            if scores.last() != Some(score) {
                if i > 0 {
                    ends.push(i as u32);
                }
                scores.push(*score);
            }
        }
        ends.push(order.len() as u32);
        if scores.len() > usize::from(u16::MAX) + 1 {
            return None;
        }
        let score_of = postings
            .iter()
            .map(|p| scores.partition_point(|s| *s > p.score) as u16)
            .collect();
        Some(CommonWord {
            base,
            has,
            in_decision,
            before,
            scores,
            score_of,
            best: order.into_iter().map(|(_, doc)| doc).collect(),
            ends,
        })
    }

    fn has(&self, doc: u32) -> bool {
        let at = doc - self.base;
        self.has[at as usize / 64] >> (at % 64) & 1 == 1
    }

    fn in_decision(&self, doc: u32) -> bool {
        let at = doc - self.base;
        self.in_decision[at as usize / 64] >> (at % 64) & 1 == 1
    }

    /// The score of a document that [`has`](Self::has) the word.
    fn score(&self, doc: u32) -> f32 {
        let at = doc - self.base;
        let (w, b) = (at as usize / 64, at % 64);
        let rank = self.before[w] + (self.has[w] & ((1 << b) - 1)).count_ones();
        self.scores[usize::from(self.score_of[rank as usize])]
    }

    fn walk(&self) -> Walk<'_> {
        Walk {
            word: self,
            at: 0,
            group: 0,
        }
    }
}

/// A walk through a [`CommonWord`]'s documents, best first.
struct Walk<'w> {
    word: &'w CommonWord,
    at: usize,
    group: usize,
}

impl Walk<'_> {
    /// The next document's score and number.
    fn peek(&self) -> Option<(f32, u32)> {
        Some((self.word.scores[self.group], *self.word.best.get(self.at)?))
    }

    fn advance(&mut self) {
        self.at += 1;
        if self.at == self.word.ends[self.group] as usize && self.group + 1 < self.word.scores.len()
        {
            self.group += 1;
        }
    }
}

/// The first page of two common words in one committee's documents: what
/// [`first_pages`] makes of [`both`], without walking the long lists
/// whole. The count is that of the bitsets' common bits; the best
/// documents come from reading both lists best first and looking each
/// document up in the other (Fagin's threshold algorithm): a document not
/// read yet scores at most the sum of the two next scores, so once the
/// page's last hit scores more, the page is final.
fn common_page(a: &CommonWord, b: &CommonWord) -> Page {
    debug_assert_eq!(a.base, b.base, "lists of one committee");
    let total: usize = a
        .has
        .iter()
        .zip(&b.has)
        .map(|(x, y)| (x & y).count_ones() as usize)
        .sum();
    let mut hits: Vec<Hit> = Vec::with_capacity(INLINE_META + 1);
    let full = |hits: &[Hit], bound: f64| {
        hits.len() == INLINE_META && hits[INLINE_META - 1].score() > bound
    };
    let (mut wa, mut wb) = (a.walk(), b.walk());
    while let (Some((sa, da)), Some((sb, db))) = (wa.peek(), wb.peek()) {
        // Every document holding both found, or none left could rank.
        if hits.len() == total || full(&hits, sum(sa, sb)) {
            break;
        }
        let from_a = sa >= sb;
        let (doc, score, other) = if from_a {
            wa.advance();
            (da, sa, b)
        } else {
            wb.advance();
            (db, sb, a)
        };
        // Mostly the other list lacks the document, or its best score
        // could not lift it onto the page: its bitset or best score says
        // so without a look at its scores. The walk gave this list's
        // score; the other's is a lookup with a cache miss or two, the
        // bulk of this function's time.
        if !other.has(doc)
            || full(&hits, sum(score, other.scores[0]))
            || hits.iter().any(|h| h.doc == doc)
        {
            continue;
        }
        let (score_a, score_b) = if from_a {
            (score, b.score(doc))
        } else {
            (a.score(doc), score)
        };
        let h = Hit {
            doc,
            a: score_a,
            b: score_b,
            negation: 0.0,
            dec: a.in_decision(doc) || b.in_decision(doc),
        };
        if hits.len() == INLINE_META && !ranks_before(&h, &hits[INLINE_META - 1]) {
            continue;
        }
        let at = hits.partition_point(|x| ranks_before(x, &h));
        hits.insert(at, h);
        hits.truncate(INLINE_META);
    }
    Page { total, hits }
}

/// The first page of the union of the pages' documents, where no
/// document is in two of them (the committees' pages of a pair).
fn merge(pages: &[Page]) -> Page {
    let mut hits: Vec<Hit> = pages.iter().flat_map(|p| p.hits.iter().copied()).collect();
    hits.sort_by(|x, y| ranks_before(y, x).cmp(&ranks_before(x, y)));
    hits.truncate(INLINE_META);
    Page {
        total: pages.iter().map(|p| p.total).sum(),
        hits,
    }
}

/// Two scores added as [`Hit::score`] adds them.
fn sum(a: f32, b: f32) -> f64 {
    f64::from(a) + f64::from(b)
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
    fn committees_common_pages_make_the_first_pages_of_all_hits() {
        // Lists with many equal scores, so that ties at the page's end
        // are decided by document number, as in `first_pages`.
        let mut seed = 7u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for round in 0..40 {
            let docs = 500 + round * 10;
            let mut list = |density: u32| -> Vec<Posting> {
                let mut out = Vec::new();
                for doc in 0..docs as u32 {
                    if next() % 100 < density {
                        out.push(Posting {
                            doc,
                            score: (next() % 12) as f32 * 0.25,
                            in_decision: next() % 5 == 0,
                            case_page: false,
                        });
                    }
                }
                out
            };
            let (a, b) = (list(60), list(round as u32 % 30 + 1));
            // Three committees, the first two of 100 documents.
            let committee = |doc: u32| (doc / 100).min(2) as usize;
            let want = first_pages(&both(&a, &b), committee, 4);
            let bounds = [0, 100, 200, docs as u32];
            let pages: Vec<Page> = (0..3)
                .map(|c| {
                    let range = bounds[c]..bounds[c + 1];
                    let run = |list: &[Posting]| -> Vec<Posting> {
                        list.iter()
                            .filter(|p| range.contains(&p.doc))
                            .copied()
                            .collect()
                    };
                    let word = |list: &[Posting]| CommonWord::new(&run(list), range.clone());
                    match (word(&a), word(&b)) {
                        (Some(a), Some(b)) => common_page(&a, &b),
                        _ => Page::default(),
                    }
                })
                .collect();
            let page = |p: &Page| {
                let hits: Vec<_> = p.hits.iter().map(|h| (h.doc, h.a, h.b, h.dec)).collect();
                (p.total, hits)
            };
            assert_eq!(page(&merge(&pages)), page(&want[0]), "round {round}");
            for c in 0..3 {
                assert_eq!(page(&pages[c]), page(&want[1 + c]), "round {round}, {c}");
            }
        }
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
