//! The tantivy index of the search documents: the authority for analysis
//! and BM25 statistics, kept as a build cache in
//! `<site>/.protokol-cache/search/` and rebuilt only when the documents
//! change.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::tokenizer::{RawTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use crate::build::Progress;
use crate::error::BuildError;
use crate::search::analyzer::{self, DANISH, case_term};
use crate::search::documents::{DocKind, SearchDoc};

/// Bump when the schema, the analysis or the document rules change, so that
/// old caches are rebuilt.
pub const SCHEMA_VERSION: &str = "protokol-search-1";
const CASE_TOKENIZER: &str = "protokol_case";
const WRITER_MEMORY: usize = 256 * 1024 * 1024;
/// Indexing threads. Their number changes tantivy's segments and doc ids,
/// which nothing exported depends on (see the determinism test).
const WRITER_THREADS: usize = 2;

/// Where the cache lives inside a site folder.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".protokol-cache").join("search")
}

/// A text field of the index, in the fixed order scores are summed in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextField {
    pub name: &'static str,
    pub boost: f32,
    /// Holds exact case-number terms rather than Danish words.
    pub case: bool,
}

/// Title weighs most; a case number (on the case page twice over) more still.
pub const TEXT_FIELDS: [TextField; 7] = [
    TextField {
        name: "title",
        boost: 3.0,
        case: false,
    },
    TextField {
        name: "case",
        boost: 5.0,
        case: true,
    },
    TextField {
        name: "case_page",
        boost: 5.0,
        case: true,
    },
    TextField {
        name: "decision",
        boost: 1.5,
        case: false,
    },
    TextField {
        name: "recommendation",
        boost: 1.2,
        case: false,
    },
    TextField {
        name: "body",
        boost: 1.0,
        case: false,
    },
    TextField {
        name: "committee",
        boost: 0.5,
        case: false,
    },
];

/// The text of each of a document's [`TEXT_FIELDS`], `None` where it has
/// no value. The index and the search delta (which scores documents the
/// way the index would) both take them from here.
pub fn field_values<'a>(
    d: &'a SearchDoc,
    committee_names: &'a CommitteeNames,
) -> [Option<Cow<'a, str>>; 7] {
    let case = d.case.as_deref().map(case_term);
    [
        // A case page is found by its case number; its title repeats the
        // latest item's, which the item itself already brings up.
        (d.kind != DocKind::Case).then_some(Cow::Borrowed(d.title.as_str())),
        case.clone().map(Cow::Owned),
        case.filter(|_| d.kind == DocKind::Case).map(Cow::Owned),
        Some(Cow::Borrowed(d.decision.as_str())),
        Some(Cow::Borrowed(d.recommendation.as_str())),
        Some(Cow::Borrowed(d.body.as_str())),
        Some(Cow::Borrowed(committee_names[d.committee].as_str())),
    ]
}

/// Position of the decision field in [`TEXT_FIELDS`].
pub const DECISION_FIELD: usize = 3;

/// Position of the field that only case pages have in [`TEXT_FIELDS`].
pub const CASE_PAGE_FIELD: usize = 2;

#[derive(Clone)]
pub struct Fields {
    pub text: [Field; 7],
    /// The stable document number.
    pub doc: Field,
    pub kind: Field,
    pub url: Field,
    pub decision_anchor: Field,
    pub committee_idx: Field,
    pub date: Field,
    pub year: Field,
    pub status: Field,
    pub has_decision: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TEXT_FIELDS.map(|f| {
        let tokenizer = if f.case { CASE_TOKENIZER } else { DANISH };
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqs);
        // Not stored: results are shown from the documents themselves, and
        // compressing 100 MB of text into a doc store would double the time.
        b.add_text_field(
            f.name,
            TextOptions::default().set_indexing_options(indexing),
        )
    });
    let num = || NumericOptions::default().set_stored().set_fast();
    let fields = Fields {
        text,
        doc: b.add_u64_field("doc", num() | INDEXED),
        kind: b.add_u64_field("kind", num()),
        url: b.add_text_field("url", STORED),
        decision_anchor: b.add_u64_field("decision_anchor", num()),
        committee_idx: b.add_u64_field("committee_idx", num() | INDEXED),
        date: b.add_text_field("date", STRING | STORED),
        year: b.add_u64_field("year", num() | INDEXED),
        status: b.add_text_field("status", STRING | STORED),
        has_decision: b.add_u64_field("has_decision", num() | INDEXED),
    };
    (b.build(), fields)
}

fn register_tokenizers(index: &Index) {
    index.tokenizers().register(DANISH, analyzer::danish());
    // Case numbers arrive already normalized by `case_term`.
    index
        .tokenizers()
        .register(CASE_TOKENIZER, TextAnalyzer::from(RawTokenizer::default()));
}

/// An open index with its reader.
pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub num_docs: usize,
    /// Its folder.
    pub dir: PathBuf,
}

/// The committees' names as the committee field indexes them.
pub type CommitteeNames = Vec<String>;

/// Opens the cached index built from exactly `fingerprint`, otherwise
/// builds it anew from `docs`. Returns the index and whether it was built.
///
/// Each fingerprint has its own folder, written under a temporary name and
/// renamed into place, so builds running side by side on one site (tests,
/// `serve` beside `build`) never see half an index. With `scratch`, a new
/// index is built there and the site's cache is left as it was.
pub fn open_or_build(
    root: &Path,
    scratch: Option<&Path>,
    docs: &[SearchDoc],
    committee_names: &CommitteeNames,
    fingerprint: &str,
    progress: &Progress,
) -> Result<(SearchIndex, bool), BuildError> {
    let name = format!("index-{}", &fingerprint[..fingerprint.len().min(24)]);
    let cached = cache_dir(root).join(&name);
    if cached.is_dir()
        && let Ok(idx) = open(&cached)
        && idx.num_docs == docs.len()
    {
        return Ok((idx, false));
    }
    let dir = scratch.map_or_else(|| cache_dir(root), Path::to_path_buf);
    let index_dir = dir.join(&name);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = dir.join(format!(".tmp-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| BuildError::io(&tmp, e))?;
    let stop = || progress.should_stop();
    let built = build(
        &tmp,
        docs,
        committee_names,
        WRITER_THREADS,
        WRITER_MEMORY,
        &stop,
    )
    .map_err(|e| match stop() {
        true => BuildError::Interrupted,
        false => tantivy_error(&tmp, e),
    });
    let built = match built {
        Ok(idx) => idx,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    drop(built);
    if open(&index_dir).is_ok() {
        // Another build of the same documents got there first.
        let _ = std::fs::remove_dir_all(&tmp);
    } else {
        let _ = std::fs::remove_dir_all(&index_dir);
        if let Err(e) = std::fs::rename(&tmp, &index_dir) {
            let _ = std::fs::remove_dir_all(&tmp);
            if !index_dir.is_dir() {
                return Err(BuildError::io(&index_dir, e));
            }
        }
    }
    // Older indexes of this site are of no more use.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with("index-") && n != name {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let idx = open(&index_dir).map_err(|e| tantivy_error(&index_dir, e))?;
    Ok((idx, true))
}

/// The index folder of the current documents, if any was built.
pub fn current_dir(root: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(cache_dir(root))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("index-"))
        })
        .collect();
    found.sort();
    found.pop()
}

pub fn tantivy_error(dir: &Path, e: tantivy::TantivyError) -> BuildError {
    BuildError::Other(format!("{}: search index: {e}", dir.display()))
}

/// Opens an existing index folder.
pub fn open(index_dir: &Path) -> tantivy::Result<SearchIndex> {
    let index = Index::open_in_dir(index_dir)?;
    let (expected, fields) = schema();
    if index.schema() != expected {
        return Err(tantivy::TantivyError::SchemaError(
            "the cached index has another schema".into(),
        ));
    }
    register_tokenizers(&index);
    with_reader(index, fields, index_dir)
}

/// `index` as a [`SearchIndex`], with a reader that sees what is committed.
fn with_reader(index: Index, fields: Fields, dir: &Path) -> tantivy::Result<SearchIndex> {
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let num_docs = reader.searcher().num_docs() as usize;
    Ok(SearchIndex {
        index,
        reader,
        fields,
        num_docs,
        dir: dir.to_path_buf(),
    })
}

/// Builds an index of `docs` in the empty folder `index_dir`.
pub fn build(
    index_dir: &Path,
    docs: &[SearchDoc],
    committee_names: &CommitteeNames,
    threads: usize,
    memory: usize,
    stop: &dyn Fn() -> bool,
) -> tantivy::Result<SearchIndex> {
    let (schema, f) = schema();
    let index = Index::create_in_dir(index_dir, schema)?;
    register_tokenizers(&index);
    // Nothing depends on tantivy's own doc ids or segments: the stable
    // document number is the `doc` field, and BM25 statistics are sums over
    // all segments (nothing is ever deleted: the index is built anew).
    let mut writer: IndexWriter = index.writer_with_num_threads(threads.max(1), memory)?;
    for (n, d) in docs.iter().enumerate() {
        if n % 1024 == 0 && stop() {
            return Err(tantivy::TantivyError::InternalError("interrupted".into()));
        }
        let mut td = TantivyDocument::default();
        for (field, value) in f.text.iter().zip(field_values(d, committee_names)) {
            if let Some(value) = value {
                td.add_text(*field, value);
            }
        }
        td.add_u64(f.doc, n as u64);
        td.add_u64(f.kind, u64::from(d.kind.code()));
        td.add_text(f.url, &d.url);
        td.add_u64(f.decision_anchor, u64::from(d.decision_anchor));
        td.add_u64(f.committee_idx, d.committee as u64);
        td.add_text(f.date, d.date.format("%Y-%m-%d").to_string());
        td.add_u64(f.year, d.year().max(0) as u64);
        td.add_text(f.status, d.status);
        td.add_u64(f.has_decision, u64::from(d.has_decision));
        writer.add_document(td)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    with_reader(index, f, index_dir)
}
