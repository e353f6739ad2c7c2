//! The static search index: files a browser reads lazily, exported from
//! the tantivy index's term dictionaries and postings.
//!
//! Everything lives below the search page, in `soeg/indeks/` (`search/index/`
//! on an English site):
//!
//! - `manifest.json`: small, fetched fresh. Document count, committees with
//!   their document ranges, the first term of every shard, where the
//!   committees' and years' shards start, the years, the typeahead
//!   prefixes, and the version hash that names every other file.
//! - `t-<version>-<n>.bin`: term shards, consecutive ranges of the sorted
//!   terms. Per term: document frequency, its distinct scores (tantivy's
//!   BM25, precomputed) with how many documents have each, the documents
//!   grouped by score (best first), and the metadata of its top documents,
//!   so that a one-word search needs nothing else.
//! - `t-<version>-c<committee>-<n>.bin`, `t-<version>-y<year>-<n>.bin`: the
//!   same for the documents of one committee or one year only (words; case
//!   numbers are only in the global shards), so that a filtered search of
//!   one word needs nothing else either. See [`Views`].
//! - `p-<version>-[<view>-]<n>.bin`: the rest of a very common term's
//!   documents.
//! - `m-<version>-<n>.bin`: metadata of [`BUNDLE`] consecutive documents.
//! - `q-<version>-[c<committee>-]<n>.bin`: the first page (count, best
//!   documents, their metadata) of two-word searches, see [`pairs`].
//! - `y-<version>-<year>.bin`, `d-<version>.bin`: the documents of a year
//!   (for case numbers with a year filter), the documents with a decision.
//! - `s-<version>-<hex>.bin`: typeahead words by their first two letters.
//!
//! Binary files are gzip-compressed here, deterministically, and the
//! browser inflates them with `DecompressionStream`: a host sends them as
//! they are, compressed or not. The version is a hash of every file, so
//! all but the manifest can be cached forever. Nothing depends on tantivy's
//! segment names or doc ids: documents are numbered by [`documents`].
//!
//! [`documents`]: crate::search::documents

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::BuildError;
use crate::model::Site;
use crate::render::{ELLIPSIS, excerpt_cut, i18n};
use crate::search::analyzer;
use crate::search::documents::{SearchDoc, hex};
use crate::search::index::{SearchIndex, TEXT_FIELDS, tantivy_error};
use crate::search::pairs;
use crate::search::scoring::{Posting, QueryTerm, Scorer};

/// Version of the file formats; `search.js` refuses any other.
pub const FORMAT: u32 = 4;
/// Documents per metadata bundle.
pub const BUNDLE: usize = 32;
/// Metadata of this many top documents of a word sits in its shard.
pub const INLINE_META: usize = 10;
/// A term whose documents take more than this many bytes keeps only its
/// best ones in the shard (at least [`TIER0_POSTINGS`]); the rest go to a
/// file of its own, read for searches of several words or with filters.
const INLINE_POSTINGS_BYTES: usize = 24_000;
const TIER0_POSTINGS: usize = 600;
/// A shard is closed when its uncompressed size passes this.
const SHARD_BYTES: usize = 16_000;
/// The same for the shards of a year, which are cut where those of the
/// year with most text are: the typical year's would be small, and many.
const YEAR_SHARD_BYTES: usize = 2 * SHARD_BYTES;
/// Typeahead words kept per two-letter prefix, most frequent first.
const SUGGEST_WORDS: usize = 150;
/// Longest passage of a document kept for result snippets.
const PASSAGE_CHARS: usize = 220;

/// Where the index goes, below the search page: `soeg/indeks/`, or
/// `search/index/` on an English site.
pub fn index_dir(site: &Site) -> String {
    let lang = site.config.language;
    let sub = match lang {
        crate::config::Language::Danish => "indeks",
        crate::config::Language::English => "index",
    };
    format!("{}/{sub}/", i18n::search_dir(lang))
}

/// A little-endian, varint byte writer.
#[derive(Default)]
pub(super) struct Bytes(pub(super) Vec<u8>);

impl Bytes {
    pub(super) fn var(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    pub(super) fn f32(&mut self, v: f32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub(super) fn str(&mut self, s: &str) {
        self.var(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// How hard [`gzip`] works, by who reads the file: every search may read
/// the shared files, only a filtered one a committee's or year's views.
#[derive(Clone, Copy)]
pub(super) enum Level {
    /// libdeflate's level 6: at 100,000 items that exports in 4.3 s where
    /// zlib's best level took 5.9 s, and into fewer bytes (95.7 MB, not
    /// 96.8 MB).
    Shared = 0,
    /// Level 1: the views are 61% of the index before compression; this
    /// saves about a third of the build's compression time, for 2 to 7%
    /// more bytes in a filtered search (bench/results/build.md, session 24).
    Views = 1,
}

impl Level {
    fn libdeflate(self) -> i32 {
        match self {
            Level::Shared => 6,
            Level::Views => 1,
        }
    }
}

/// Deterministic gzip (no time stamp, no name), by libdeflate.
pub(super) fn gzip(data: &[u8], level: Level) -> Vec<u8> {
    thread_local! {
        // In the order of `Level`'s values.
        static COMPRESSORS: std::cell::RefCell<[libdeflater::Compressor; 2]> =
            std::cell::RefCell::new([Level::Shared, Level::Views].map(|l| {
                libdeflater::Compressor::new(
                    libdeflater::CompressionLvl::new(l.libdeflate()).expect("a valid level"),
                )
            }));
    }
    COMPRESSORS.with_borrow_mut(|c| {
        let c = &mut c[level as usize];
        let mut out = vec![0; c.gzip_compress_bound(data.len())];
        let n = c
            .gzip_compress(data, &mut out)
            .expect("the bound is large enough");
        // The index is kept in memory: give back the rest of the bound.
        out.truncate(n);
        out.shrink_to_fit();
        out
    })
}

/// The one bit a posting carries to the browser: a word can be in the
/// decision, a case number can name the document's own case page, never
/// both (case numbers have fields of their own).
pub fn flag(in_decision: bool, case_page: bool) -> bool {
    in_decision || case_page
}

/// A term's documents in impact order: grouped by (score, flag), best
/// score first; each group's documents newest (highest) first, which is
/// the ranking order of a one-word search. The flag (see [`flag`]) is the
/// decision for a word and the case page for a case number.
struct Groups {
    /// (score, flag, documents in descending order)
    groups: Vec<(f32, bool, Vec<u32>)>,
}

impl Groups {
    fn new(postings: &[Posting]) -> Groups {
        // One sort puts every group together, best first, newest first
        // within. Scores are positive, so their bit patterns sort like
        // them; score, decision and document pack into one u64 key.
        let mut keys: Vec<u64> = postings
            .iter()
            .map(|p| {
                debug_assert!(p.doc < 1 << 31);
                u64::from(p.score.to_bits()) << 32
                    | u64::from(flag(p.in_decision, p.case_page)) << 31
                    | u64::from(p.doc)
            })
            .collect();
        keys.sort_unstable_by(|a, b| b.cmp(a));
        let mut groups: Vec<(f32, bool, Vec<u32>)> = Vec::new();
        let mut last = None;
        for key in keys {
            let group = key >> 31;
            let doc = (key & ((1 << 31) - 1)) as u32;
            match groups.last_mut() {
                Some((_, _, docs)) if last == Some(group) => docs.push(doc),
                _ => {
                    let dec = group & 1 == 1;
                    groups.push((f32::from_bits((group >> 1) as u32), dec, vec![doc]));
                }
            }
            last = Some(group);
        }
        Groups { groups }
    }

    /// The best `n` documents in ranking order (score, then higher number).
    fn top(&self, n: usize) -> Vec<u32> {
        let mut out: Vec<(f32, u32)> = Vec::new();
        for (score, _, docs) in &self.groups {
            if out.len() >= n && out.last().is_some_and(|l| l.0 > *score) {
                break;
            }
            out.extend(docs.iter().map(|d| (*score, *d)));
        }
        out.sort_by(|a, b| {
            b.0.partial_cmp(&a.0)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.1.cmp(&a.1))
        });
        out.truncate(n);
        out.into_iter().map(|(_, d)| d).collect()
    }
}

fn encode_docs(out: &mut Bytes, docs: &[u32]) {
    let mut prev: Option<u32> = None;
    for &d in docs {
        match prev {
            None => out.var(u64::from(d)),
            Some(p) => out.var(u64::from(p - d)),
        }
        prev = Some(d);
    }
}

/// One exported term.
struct TermExport {
    key: String,
    df: usize,
    /// (score, in decision, documents) of each group, best first.
    groups: Vec<(f32, bool, usize)>,
    /// Groups whose documents are in the shard; the rest are in the tail.
    inline_groups: usize,
    postings: Vec<u8>,
    tail: Option<Vec<u8>>,
    meta_docs: Vec<u32>,
}

fn export_term(key: String, postings: &[Posting], with_meta: bool) -> TermExport {
    let groups = Groups::new(postings);
    let mut all = Bytes::default();
    let mut cuts = Vec::new();
    for (_, _, docs) in &groups.groups {
        encode_docs(&mut all, docs);
        cuts.push(all.len());
    }
    let mut inline_groups = groups.groups.len();
    let mut tail = None;
    if all.len() > INLINE_POSTINGS_BYTES {
        // Whole groups: equal scores are never split, so the browser can
        // rank what it has without the tail.
        let mut n = 0;
        let mut count = 0;
        let g = &groups.groups;
        while n < g.len() && (count < TIER0_POSTINGS || g[n].0 == g[n - 1].0) {
            count += g[n].2.len();
            n += 1;
        }
        let at = if n == 0 { 0 } else { cuts[n - 1] };
        let rest = all.0.split_off(at);
        if !rest.is_empty() {
            inline_groups = n;
            tail = Some(rest);
        }
    }
    let mut meta_docs = if with_meta {
        groups.top(INLINE_META)
    } else {
        Vec::new()
    };
    // Every view's terms are held until their shards are cut: no spare
    // capacity (`top` reuses a buffer of whole score groups).
    meta_docs.shrink_to_fit();
    all.0.shrink_to_fit();
    TermExport {
        key,
        df: postings.len(),
        groups: groups
            .groups
            .iter()
            .map(|(score, dec, docs)| (*score, *dec, docs.len()))
            .collect(),
        inline_groups,
        postings: all.0,
        tail,
        meta_docs,
    }
}

/// The document sets that have term shards of their own: all documents,
/// each committee's, each year's. A search filtered by committee or year
/// reads its words from the committee's or year's shards (the year's when
/// both are given: fewer documents), which hold the metadata of each
/// word's best documents there: one file per word, where the global
/// shards' best documents mostly lie outside the filter and need a
/// metadata bundle each (7 to 12 requests for a cold search at 100,000
/// items, before). The price: every word's best documents' metadata once
/// more per view: at 100,000 items over 50 years, about four times the
/// index on disk (97 MB) and three times the export time (5 s, not 1.6 s).
struct Views {
    /// Name of each view as in file names: "" (all), "c<n>-", "y<year>-".
    names: Vec<String>,
    /// Kind of each view: 0 all, 1 a committee, 2 a year. Views of a kind
    /// share where their shards start.
    kinds: Vec<usize>,
    /// Per document: its committee's view and its year's view.
    of_doc: Vec<(usize, usize)>,
}

impl Views {
    fn new(committees: usize, docs: &[SearchDoc]) -> Views {
        let years: Vec<i32> = docs
            .iter()
            .map(SearchDoc::year)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut names = vec![String::new()];
        names.extend((0..committees).map(|c| format!("c{c}-")));
        names.extend(years.iter().map(|y| format!("y{y}-")));
        let mut kinds = vec![0];
        kinds.extend((0..committees).map(|_| 1));
        kinds.extend(years.iter().map(|_| 2));
        let of_doc = docs
            .iter()
            .map(|d| {
                let y = years
                    .binary_search(&d.year())
                    .expect("a year of the documents");
                (1 + d.committee, 1 + committees + y)
            })
            .collect();
        Views {
            names,
            kinds,
            of_doc,
        }
    }

    /// The term in every view of the given kinds that holds it: (view,
    /// its export there). Case numbers only in the global view: the
    /// browser looks them up there anyway, to know whether a word is a
    /// case number.
    fn export(
        &self,
        term: &QueryTerm,
        postings: &[Posting],
        kinds: &[usize],
    ) -> Vec<(usize, TermExport)> {
        let word = matches!(term, QueryTerm::Word(_));
        let mut out = Vec::new();
        if kinds.contains(&0) {
            out.push((0, export_term(term.key(), postings, word)));
        }
        if !word {
            return out;
        }
        // Each pass reads every term's postings; only its kinds' views
        // are split off.
        let (committees, years) = (kinds.contains(&1), kinds.contains(&2));
        let mut split: Vec<Vec<Posting>> = vec![Vec::new(); self.names.len()];
        for p in postings {
            let (c, y) = self.of_doc[p.doc as usize];
            if committees {
                split[c].push(*p);
            }
            if years {
                split[y].push(*p);
            }
        }
        for (v, list) in split.iter().enumerate().skip(1) {
            if !list.is_empty() {
                out.push((v, export_term(term.key(), list, true)));
            }
        }
        out
    }
}

/// The metadata of one document, as results show it.
pub(super) fn encode_meta(out: &mut Bytes, d: &SearchDoc, number: u32) {
    let status = match d.status {
        "agenda" => 0,
        "minutes" => 1,
        _ => 2,
    };
    let flags = u64::from(d.kind.code())
        | u64::from(d.decision_anchor) << 2
        | u64::from(d.has_decision) << 3
        | status << 4;
    out.var(u64::from(number));
    out.var(flags);
    out.var(d.committee as u64);
    out.var(days(d.date));
    out.str(&d.title);
    out.str(&d.url);
    out.str(d.case.as_deref().unwrap_or_default());
    for text in [&d.decision, &d.recommendation, &d.body] {
        write_passage(out, text);
    }
}

/// Every document's metadata, encoded once: a large archive's export
/// writes each document's many times over (in the shards of its words'
/// top documents, in views, pair pages and bundles), and encoding it cut
/// three passages each time.
pub(super) struct Metas {
    bytes: Vec<u8>,
    /// Where each document's starts in `bytes`, and where the last ends.
    starts: Vec<usize>,
}

impl Metas {
    /// In one buffer, with no slack: about 300 bytes per document.
    pub(super) fn new(docs: &[SearchDoc]) -> Metas {
        let mut out = Bytes::default();
        let mut starts = Vec::with_capacity(docs.len() + 1);
        starts.push(0);
        for (n, d) in docs.iter().enumerate() {
            encode_meta(&mut out, d, n as u32);
            starts.push(out.len());
        }
        out.0.shrink_to_fit();
        Metas {
            bytes: out.0,
            starts,
        }
    }

    /// Writes document `n`'s metadata as [`encode_meta`] does.
    pub(super) fn write(&self, out: &mut Bytes, n: u32) {
        let n = n as usize;
        out.bytes(&self.bytes[self.starts[n]..self.starts[n + 1]]);
    }
}

/// Writes `text`'s passage as [`Bytes::str`] would, without making it a
/// String first.
fn write_passage(out: &mut Bytes, text: &str) {
    let (cut, shortened) = excerpt_cut(text.trim(), PASSAGE_CHARS);
    let ellipsis = if shortened { ELLIPSIS } else { "" };
    out.var((cut.len() + ellipsis.len()) as u64);
    out.bytes(cut.as_bytes());
    out.bytes(ellipsis.as_bytes());
}

#[cfg(test)]
fn passage(text: &str) -> String {
    crate::render::excerpt(text.trim(), PASSAGE_CHARS)
}

/// Shortens each document's body to what its [`passage`] reads (once it is
/// indexed, the export needs no more of it): the passage stays the same.
/// Decisions and recommendations stay whole: typeahead takes its words
/// from them.
pub fn keep_passages(docs: &mut [SearchDoc]) {
    for d in docs {
        shorten_for_passage(&mut d.body);
    }
}

fn shorten_for_passage(body: &mut String) {
    let text = body.trim();
    let Some((cut, last)) = text.char_indices().nth(PASSAGE_CHARS) else {
        if text.len() < body.len() {
            *body = text.to_string();
        }
        return;
    };
    // The first PASSAGE_CHARS characters and one more that is not space:
    // still too long, so the passage is cut at the same place.
    let mut short = String::with_capacity(cut + 4);
    short.push_str(&text[..cut]);
    short.push(if last.is_whitespace() { '.' } else { last });
    *body = short;
}

fn days(date: NaiveDate) -> u64 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date"))
        .num_days()
        .max(0) as u64
}

#[derive(Serialize)]
struct Manifest<'a> {
    format: u32,
    version: &'a str,
    docs: usize,
    bundle: usize,
    /// slug, name, first document, end (exclusive)
    committees: Vec<(&'a str, &'a str, usize, usize)>,
    years: Vec<i32>,
    /// The first term of every global shard.
    shards: Vec<&'a str>,
    /// Where the shards of every committee ("c") and every year ("y")
    /// start: at which global shard, as gaps from the previous start.
    views: BTreeMap<&'a str, Vec<usize>>,
    /// Pair buckets ([`pairs`]) of all documents, then of each committee.
    pairs: Vec<usize>,
    /// The common words, in key order, and each committee's number of
    /// files of their pairs' pages ([`pairs`]).
    common: Vec<&'a str>,
    groups: Vec<usize>,
    suggest: Vec<String>,
}

/// The static index of `docs`: every file by its site-relative path.
pub fn export(
    site: &Site,
    docs: &[SearchDoc],
    search_index: &SearchIndex,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
    let dir = index_dir(site);
    let searcher = search_index.reader.searcher();
    let err = |e| tantivy_error(std::path::Path::new(".protokol-cache/search"), e);
    let scorer = Scorer::new(&searcher, &search_index.fields).map_err(err)?;

    // Every term of every text field: the vocabulary the browser can meet.
    let mut vocab: BTreeSet<QueryTerm> = BTreeSet::new();
    for (fi, f) in TEXT_FIELDS.iter().enumerate() {
        for seg in searcher.segment_readers() {
            let inverted = seg
                .inverted_index(search_index.fields.text[fi])
                .map_err(err)?;
            let mut stream = inverted
                .terms()
                .stream()
                .map_err(|e| err(tantivy::TantivyError::from(e)))?;
            while stream.advance() {
                let text = String::from_utf8_lossy(stream.key()).into_owned();
                vocab.insert(if f.case {
                    QueryTerm::Case(text)
                } else {
                    QueryTerm::Word(text)
                });
            }
        }
    }
    let vocab: Vec<QueryTerm> = vocab.into_iter().collect();
    let views = Views::new(site.committees.len(), docs);
    let metas = Metas::new(docs);
    // The words (and negation pairs) of the pair pages ([`pairs`]) keep
    // their postings from the first pass, which reads every term's anyway.
    let pair_pages = pairs::PairPages::new(
        docs,
        vocab.iter().filter_map(|t| match t {
            QueryTerm::Word(w) => Some(w.as_str()),
            QueryTerm::Case(_) => None,
        }),
    );
    let kept = std::sync::Mutex::new(HashMap::new());
    // Each view's terms, in term order, for views of some kinds.
    let export_views = |kinds: &[usize]| -> Result<Vec<Vec<TermExport>>, BuildError> {
        // Stopping skips the remaining terms; the result is then dropped.
        let exported: Vec<Vec<(usize, TermExport)>> = vocab
            .par_iter()
            .map(|t| {
                if stop() {
                    return Ok(Vec::new());
                }
                let postings = scorer.postings(t)?;
                let out = views.export(t, &postings, kinds);
                if let QueryTerm::Word(w) = t
                    && kinds.contains(&0)
                    && pair_pages.has_word(w)
                {
                    kept.lock()
                        .expect("no panic holds it")
                        .insert(w.clone(), postings);
                }
                Ok(out)
            })
            .collect::<tantivy::Result<Vec<_>>>()
            .map_err(err)?;
        if stop() {
            return Err(BuildError::Interrupted);
        }
        let mut terms: Vec<Vec<TermExport>> = views.names.iter().map(|_| Vec::new()).collect();
        for (v, t) in exported.into_iter().flatten() {
            terms[v].push(t);
        }
        Ok(terms)
    };

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    // Two passes over the postings: the year views are the largest, and
    // holding every view's terms at once costs more memory than reading
    // the postings twice costs time. Each pass is written and dropped
    // before the next one, and before the rest is made.
    let terms = export_views(&[0, 1])?;
    let global = cut_shards(&terms[0]);
    let first_keys: Vec<String> = global
        .iter()
        .map(|r| terms[0][r.start].key.clone())
        .collect();
    let first_key_refs: Vec<&str> = first_keys.iter().map(String::as_str).collect();
    write_shards(&metas, &terms[0], &global, "", Level::Shared, &mut files);
    let mut view_starts = BTreeMap::new();
    let committee_starts = write_view_shards(
        &metas,
        &views,
        &terms,
        1,
        SHARD_BYTES,
        &first_key_refs,
        &mut files,
    );
    view_starts.insert("c", committee_starts);
    let postings = std::mem::take(&mut *kept.lock().expect("no panic holds it"));
    // The postings of common words that no pair kept are read again
    // rather than all words' kept.
    let ranges = committee_ranges(site, docs);
    let common: Vec<pairs::Common> = common_words(&terms[0])
        .into_par_iter()
        .map(|w| {
            let read;
            let list = match postings.get(w) {
                Some(list) => list,
                None => {
                    read = scorer.postings(&QueryTerm::Word(w.to_string()))?;
                    &read
                }
            };
            // Documents are numbered by committee: each one's postings are
            // a run of the list. A word some committee's list cannot hold
            // (more distinct scores than it counts) is left out.
            let mut committees = Vec::with_capacity(ranges.len());
            for r in &ranges {
                let from = list.partition_point(|p| (p.doc as usize) < r.start);
                let to = list.partition_point(|p| (p.doc as usize) < r.end);
                let run = &list[from..to];
                let lists = pairs::CommonWord::new(run, r.start as u32..r.end as u32);
                if lists.is_none() && !run.is_empty() {
                    return Ok(None);
                }
                committees.push(lists);
            }
            Ok(Some(pairs::Common {
                word: w,
                committees,
            }))
        })
        .collect::<tantivy::Result<Vec<_>>>()
        .map_err(err)?
        .into_iter()
        .flatten()
        .collect();
    let pairs = pair_pages.export(
        docs,
        &metas,
        site.committees.len(),
        &postings,
        &common,
        &|view, key| {
            let list = &terms[view];
            list.binary_search_by(|t| t.key.as_str().cmp(key))
                .map(|i| list[i].meta_docs.clone())
                .unwrap_or_default()
        },
    );
    let common_keys: Vec<String> = common.iter().map(|c| c.word.to_string()).collect();
    drop((postings, common));
    files.extend(pairs.files);
    drop(terms);
    let terms = export_views(&[2])?;
    let year_starts = write_view_shards(
        &metas,
        &views,
        &terms,
        2,
        YEAR_SHARD_BYTES,
        &first_key_refs,
        &mut files,
    );
    view_starts.insert("y", year_starts);
    drop(terms);
    let bundles: Vec<(String, Vec<u8>)> = (0..docs.len().div_ceil(BUNDLE))
        .into_par_iter()
        .map(|b| {
            let mut out = Bytes::default();
            let range = b * BUNDLE..((b + 1) * BUNDLE).min(docs.len());
            out.var(range.len() as u64);
            for n in range {
                metas.write(&mut out, n as u32);
            }
            (format!("m-{{v}}-{b}.bin"), gzip(&out.0, Level::Shared))
        })
        .collect();
    files.extend(bundles);
    let years = write_filters(docs, &mut files);
    let suggest = write_suggest(docs, &mut files);

    let mut h = Sha256::new();
    for (name, bytes) in &files {
        h.update(name.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    let version = hex(&h.finalize())[..16].to_string();

    let committees = site
        .committees
        .iter()
        .zip(&ranges)
        .map(|(c, r)| (c.slug.as_str(), c.name.as_str(), r.start, r.end))
        .collect();
    let manifest = Manifest {
        format: FORMAT,
        version: &version,
        docs: docs.len(),
        bundle: BUNDLE,
        committees,
        years,
        shards: first_keys.iter().map(String::as_str).collect(),
        views: view_starts,
        pairs: pairs.buckets,
        common: common_keys.iter().map(String::as_str).collect(),
        groups: pairs.groups,
        suggest,
    };
    let manifest_json = serde_json::to_vec(&manifest)
        .map_err(|e| BuildError::Other(format!("search manifest: {e}")))?;

    let mut out: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(name, bytes)| (format!("{dir}{}", name.replace("{v}", &version)), bytes))
        .collect();
    out.push((format!("{dir}manifest.json"), manifest_json));
    Ok(out)
}

/// Each committee's documents: they are numbered by committee.
fn committee_ranges(site: &Site, docs: &[SearchDoc]) -> Vec<std::ops::Range<usize>> {
    let mut start = 0;
    let ranges = (0..site.committees.len())
        .map(|ci| {
            let end = start
                + docs[start..]
                    .iter()
                    .take_while(|d| d.committee == ci)
                    .count();
            let range = start..end;
            start = end;
            range
        })
        .collect();
    // The committees' pair pages make up those of all documents.
    assert_eq!(start, docs.len(), "search documents numbered by committee");
    ranges
}

/// The words of [`pairs::COMMON_WORDS`], in key order: those in most
/// documents, in more than [`INLINE_META`] (a pair with a rarer word finds
/// its results' metadata in that word's shard).
fn common_words(terms: &[TermExport]) -> Vec<&str> {
    let mut common: Vec<&TermExport> = terms
        .iter()
        .filter(|t| {
            t.df > INLINE_META && !t.key.starts_with('#') && !analyzer::is_negation_pair(&t.key)
        })
        .collect();
    common.sort_by(|x, y| y.df.cmp(&x.df).then_with(|| x.key.cmp(&y.key)));
    common.truncate(pairs::COMMON_WORDS);
    let mut words: Vec<&str> = common.iter().map(|t| t.key.as_str()).collect();
    words.sort_unstable();
    words
}

/// About how many bytes a term adds to a shard (before compression),
/// given the documents whose metadata the shard already holds.
fn term_size(t: &TermExport, meta: &BTreeSet<u32>) -> usize {
    let new_meta = t.meta_docs.iter().filter(|d| !meta.contains(d)).count();
    t.postings.len() + 8 * t.groups.len() + 300 * new_meta + t.key.len()
}

/// Cuts the sorted terms into shards of about SHARD_BYTES.
fn cut_shards(terms: &[TermExport]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < terms.len() {
        let mut end = start;
        let mut size = 0;
        let mut meta: BTreeSet<u32> = BTreeSet::new();
        while end < terms.len() && (end == start || size < SHARD_BYTES) {
            let t = &terms[end];
            let est = term_size(t, &meta);
            if end > start && size + est > SHARD_BYTES * 3 / 2 {
                break;
            }
            size += est;
            meta.extend(t.meta_docs.iter().copied());
            end += 1;
        }
        ranges.push(start..end);
        start = end;
    }
    ranges
}

/// Cuts the terms of the views of one kind (committees, years) into
/// shards, all at the same places and only where a global shard starts:
/// the browser finds a word's global shard from the manifest's first
/// terms, and from it the view's shard with the starts (global shard
/// numbers, the first always 0) that the manifest lists once per kind.
/// Returns the starts and each view's shards (some may be empty).
fn cut_view_shards(
    views: &[&[TermExport]],
    first_keys: &[&str],
    target: usize,
) -> (Vec<usize>, Vec<Vec<std::ops::Range<usize>>>) {
    let global_of =
        |t: &TermExport| first_keys.partition_point(|k| *k <= t.key.as_str()).max(1) - 1;
    // The size of each global shard's terms in the largest view.
    let mut size = vec![0usize; first_keys.len()];
    for terms in views {
        let mut of_view = vec![0usize; first_keys.len()];
        let mut meta: BTreeSet<u32> = BTreeSet::new();
        let mut last = usize::MAX;
        for t in *terms {
            let g = global_of(t);
            if g != last {
                meta.clear();
                last = g;
            }
            of_view[g] += term_size(t, &meta);
            meta.extend(t.meta_docs.iter().copied());
        }
        for (s, v) in size.iter_mut().zip(of_view) {
            *s = (*s).max(v);
        }
    }
    let mut starts = Vec::new();
    let mut g = 0;
    while g < size.len() {
        starts.push(g);
        let mut sum = size[g];
        g += 1;
        while g < size.len() && sum < target && sum + size[g] <= target * 3 / 2 {
            sum += size[g];
            g += 1;
        }
    }
    if starts.is_empty() {
        starts.push(0);
    }
    let ranges = views
        .iter()
        .map(|terms| {
            let mut bounds: Vec<usize> = starts
                .iter()
                .map(|s| terms.partition_point(|t| global_of(t) < *s))
                .collect();
            bounds.push(terms.len());
            bounds.windows(2).map(|w| w[0]..w[1]).collect()
        })
        .collect();
    (starts, ranges)
}

/// Writes the shards of the views of one kind (1 committees, 2 years);
/// returns where they start, as gaps: small numbers make a small manifest.
fn write_view_shards(
    metas: &Metas,
    views: &Views,
    terms: &[Vec<TermExport>],
    kind: usize,
    target: usize,
    first_keys: &[&str],
    files: &mut Vec<(String, Vec<u8>)>,
) -> Vec<usize> {
    let of_kind: Vec<usize> = (0..views.names.len())
        .filter(|v| views.kinds[*v] == kind)
        .collect();
    let lists: Vec<&[TermExport]> = of_kind.iter().map(|v| &terms[*v][..]).collect();
    let (starts, ranges) = cut_view_shards(&lists, first_keys, target);
    for (v, ranges) in of_kind.iter().zip(&ranges) {
        write_shards(
            metas,
            &terms[*v],
            ranges,
            &views.names[*v],
            Level::Views,
            files,
        );
    }
    starts
        .iter()
        .scan(0, |prev, s| {
            let gap = s - *prev;
            *prev = *s;
            Some(gap)
        })
        .collect()
}

/// Writes the shards `ranges` of one view's `terms`, and their tails.
fn write_shards(
    metas: &Metas,
    terms: &[TermExport],
    ranges: &[std::ops::Range<usize>],
    view: &str,
    level: Level,
    files: &mut Vec<(String, Vec<u8>)>,
) {
    // Number the tails in term order...
    let mut tail_of = vec![0usize; terms.len()];
    let mut tails = 0;
    for (i, t) in terms.iter().enumerate() {
        if t.tail.is_some() {
            tails += 1;
            tail_of[i] = tails;
        }
    }
    // ...and encode and compress the shards side by side.
    let written: Vec<Vec<(String, Vec<u8>)>> = ranges
        .par_iter()
        .enumerate()
        .map(|(n, range)| {
            let mut out = Vec::new();
            let shard = &terms[range.clone()];
            let meta: BTreeSet<u32> = shard
                .iter()
                .flat_map(|t| t.meta_docs.iter().copied())
                .collect();
            // Term headers, then postings, then metadata: like data
            // together compresses better.
            let mut head = Bytes::default();
            let mut body = Bytes::default();
            head.var(shard.len() as u64);
            let mut prev = "";
            for (i, t) in range.clone().zip(shard) {
                let shared = shared_prefix(prev, &t.key);
                head.var(shared as u64);
                head.str(&t.key[shared..]);
                prev = &t.key;
                head.var(t.df as u64);
                head.var(t.groups.len() as u64);
                for (score, dec, size) in &t.groups {
                    head.f32(*score);
                    head.var((*size as u64) << 1 | u64::from(*dec));
                }
                head.var(t.inline_groups as u64);
                head.var(t.postings.len() as u64);
                body.bytes(&t.postings);
                head.var(tail_of[i] as u64);
                if let Some(tail) = &t.tail {
                    out.push((
                        format!("p-{{v}}-{view}{}.bin", tail_of[i] - 1),
                        gzip(tail, level),
                    ));
                }
                head.var(t.meta_docs.len() as u64);
                for d in &t.meta_docs {
                    head.var(u64::from(*d));
                }
            }
            head.var(meta.len() as u64);
            for d in &meta {
                metas.write(&mut body, *d);
            }
            let mut all = head;
            all.bytes(&body.0);
            out.push((format!("t-{{v}}-{view}{n}.bin"), gzip(&all.0, level)));
            out
        })
        .collect();
    files.extend(written.into_iter().flatten());
}

/// How many leading bytes `key` shares with `prev`: sorted keys are
/// written as that count and the rest.
pub(super) fn shared_prefix(prev: &str, key: &str) -> usize {
    let shared = prev
        .bytes()
        .zip(key.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    // Never split a UTF-8 character between shared and new bytes.
    (0..=shared)
        .rev()
        .find(|&i| key.is_char_boundary(i))
        .unwrap_or(0)
}

/// A sorted document list as gaps.
fn doc_set(docs: impl Iterator<Item = u32>) -> Vec<u8> {
    let mut out = Bytes::default();
    let list: Vec<u32> = docs.collect();
    out.var(list.len() as u64);
    let mut prev = 0u32;
    for (i, d) in list.iter().enumerate() {
        out.var(u64::from(if i == 0 { *d } else { d - prev }));
        prev = *d;
    }
    gzip(&out.0, Level::Shared)
}

/// Year and decision filters; returns the years. (A search filtered by
/// year reads the year's shards; the year's file serves case numbers,
/// which only the global shards hold.)
fn write_filters(docs: &[SearchDoc], files: &mut Vec<(String, Vec<u8>)>) -> Vec<i32> {
    let years: BTreeSet<i32> = docs.iter().map(SearchDoc::year).collect();
    for y in &years {
        let set = doc_set(
            docs.iter()
                .enumerate()
                .filter(|(_, d)| d.year() == *y)
                .map(|(n, _)| n as u32),
        );
        files.push((format!("y-{{v}}-{y}.bin"), set));
    }
    let set = doc_set(
        docs.iter()
            .enumerate()
            .filter(|(_, d)| d.has_decision)
            .map(|(n, _)| n as u32),
    );
    files.push(("d-{v}.bin".to_string(), set));
    years.into_iter().collect()
}

/// The words of `d` typeahead may offer: the surface forms (as `surface`
/// gives them) of its title, decision and recommendation that hold a letter.
pub(super) fn typeahead_words(
    surface: &mut tantivy::tokenizer::TextAnalyzer,
    d: &SearchDoc,
) -> Vec<String> {
    [&d.title, &d.decision, &d.recommendation]
        .into_iter()
        .flat_map(|text| analyzer::terms(surface, text))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect()
}

/// The words of the documents' titles, decisions and recommendations as a
/// visitor would type them (lower-cased, "aa" as "å"), with how often they
/// occur: the vocabulary typeahead offers. Numbers are left out; so are
/// words found only in the long presentations, which would triple the
/// work for words few people type.
pub fn surface_words(docs: &[SearchDoc]) -> BTreeMap<String, u64> {
    let counts = docs
        .par_chunks(512)
        .map(|chunk| {
            let mut surface = analyzer::surface();
            let mut counts: FxHashMap<String, u64> = FxHashMap::default();
            for d in chunk {
                for w in typeahead_words(&mut surface, d) {
                    *counts.entry(w).or_default() += 1;
                }
            }
            counts
        })
        .reduce(FxHashMap::default, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_default() += v;
            }
            a
        });
    counts.into_iter().collect()
}

/// Typeahead files by the first two letters; returns the prefixes.
fn write_suggest(docs: &[SearchDoc], files: &mut Vec<(String, Vec<u8>)>) -> Vec<String> {
    let words = surface_words(docs);
    let mut by_prefix: BTreeMap<String, Vec<(u64, &str)>> = BTreeMap::new();
    for (w, n) in &words {
        if w.chars().count() < 3 {
            continue;
        }
        let prefix: String = w.chars().take(2).collect();
        by_prefix.entry(prefix).or_default().push((*n, w));
    }
    let mut prefixes = Vec::new();
    for (prefix, mut list) in by_prefix {
        list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        list.truncate(SUGGEST_WORDS);
        let mut out = Bytes::default();
        out.var(list.len() as u64);
        for (_, w) in list {
            out.str(w);
        }
        files.push((
            format!("s-{{v}}-{}.bin", hex(prefix.as_bytes())),
            gzip(&out.0, Level::Shared),
        ));
        prefixes.push(prefix);
    }
    prefixes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_deterministic() {
        for level in [Level::Shared, Level::Views] {
            let once = gzip(b"lokalplan lokalplan", level);
            assert_eq!(once, gzip(b"lokalplan lokalplan", level));
            assert_eq!(&once[..2], &[0x1f, 0x8b]);
        }
    }

    #[test]
    fn shortened_bodies_keep_their_passage() {
        let long = "Lokalplanen for Åvej æøå ".repeat(30);
        let mut cases = vec![
            String::new(),
            "  kort tekst  ".to_string(),
            long.clone(),
            format!("  {long}"),
            "x".repeat(PASSAGE_CHARS),
            "x".repeat(PASSAGE_CHARS + 1),
            format!("{} y", "x".repeat(PASSAGE_CHARS - 1)),
            format!("{}  \n y", "ø".repeat(PASSAGE_CHARS)),
        ];
        for n in PASSAGE_CHARS - 3..PASSAGE_CHARS + 3 {
            cases.push(format!("{} {}", "å".repeat(n), "ord ".repeat(5)));
        }
        for text in cases {
            let mut short = text.clone();
            shorten_for_passage(&mut short);
            assert_eq!(passage(&short), passage(&text), "{text:?}");
            let (mut written, mut expected) = (Bytes::default(), Bytes::default());
            write_passage(&mut written, &text);
            expected.str(&passage(&text));
            assert_eq!(written.0, expected.0, "{text:?}");
            assert!(short.chars().count() <= PASSAGE_CHARS + 1);
        }
    }

    #[test]
    fn groups_rank_by_score_then_newest() {
        let p = |doc, score| Posting {
            doc,
            score,
            in_decision: false,
            case_page: false,
        };
        let g = Groups::new(&[p(1, 2.0), p(2, 3.0), p(3, 2.0), p(4, 1.0)]);
        assert_eq!(g.top(3), vec![2, 3, 1]);
        assert_eq!(g.groups.len(), 3);
    }

    fn term(key: &str, bytes: usize) -> TermExport {
        TermExport {
            key: key.to_string(),
            df: 1,
            groups: Vec::new(),
            inline_groups: 0,
            postings: vec![0; bytes],
            tail: None,
            meta_docs: Vec::new(),
        }
    }

    #[test]
    fn view_shards_start_where_global_shards_do() {
        let first_keys = ["a", "c", "e", "g"];
        let big = SHARD_BYTES;
        // One view with text under every global shard, one with little.
        let v1 = [term("a", big), term("d", big), term("e", 10), term("h", 10)];
        let v2 = [term("b", 10), term("f", 10)];
        let (starts, ranges) = cut_view_shards(&[&v1, &v2], &first_keys, SHARD_BYTES);
        // Cut where the larger view needs it, the same for both.
        assert_eq!(starts, vec![0, 1, 2]);
        assert_eq!(ranges[0], vec![0..1, 1..2, 2..4]);
        assert_eq!(ranges[1], vec![0..1, 1..1, 1..2]);
    }
}
