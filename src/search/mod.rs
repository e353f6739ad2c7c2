//! Search: a tantivy index of the public documents at build time, and a
//! static index exported from it that `search.js` reads in the browser.
//!
//! - [`documents`]: what is searchable (closed items: public title and
//!   public decision only).
//! - [`analyzer`]: Danish analysis, shared with the browser.
//! - [`index`]: the tantivy index, a build cache under `.protokol-cache/`.
//! - [`scoring`], [`query`]: BM25 scores from tantivy, matching and ranking.
//! - [`export`]: the static files under `<output>/soeg/indeks/`.
//! - [`delta`], [`frozen`]: between two full exports (`serve`, `build
//!   --watch`), the edited documents scored with the last export's
//!   statistics, published with its manifest.
//! - [`cli`]: `protokol search`.

pub mod analyzer;
pub mod cli;
pub mod delta;
pub mod documents;
pub mod export;
pub mod frozen;
pub mod index;
mod pack;
mod pairs;
pub mod query;
pub mod scoring;

use std::path::Path;

use crate::build::Progress;
use crate::error::BuildError;
use crate::model::Site;
use crate::output::{Content, Sink};
use crate::site_index::SiteIndex;
use documents::SearchDoc;
use index::SearchIndex;
use scoring::Scorer;

/// What the search step did.
#[derive(Debug, Clone, Default)]
pub struct SearchReport {
    pub documents: usize,
    pub files: usize,
    pub bytes: u64,
    /// The tantivy index was rebuilt (the documents changed).
    pub reindexed: bool,
    /// The exported files came from the cache (nothing searchable changed).
    pub reused_export: bool,
}

/// The committee field's text of each committee: its name and short name.
pub fn committee_names(site: &Site) -> Vec<String> {
    site.committees
        .iter()
        .map(|c| match &c.short {
            Some(s) => format!("{} {}", c.name, s),
            None => c.name.clone(),
        })
        .map(|s| analyzer::nfc(&s))
        .collect()
}

/// The documents and the (cached or new) tantivy index of `site`. A new
/// index goes into `scratch` when given, else into the site's cache.
pub fn prepare(
    site: &Site,
    idx: &SiteIndex<'_>,
    root: &Path,
    scratch: Option<&Path>,
    progress: &Progress,
) -> Result<(Vec<SearchDoc>, SearchIndex, bool), BuildError> {
    let docs = documents::collect(site, idx);
    let fp = documents::fingerprint(site, &docs, &cache_key());
    let (search_index, rebuilt) =
        index::open_or_build(root, scratch, &docs, &committee_names(site), &fp, progress)?;
    Ok((docs, search_index, rebuilt))
}

/// The build's search step: index (or reuse the cache), then export the
/// static index into `sink`. The build runs it beside page rendering.
/// With `keep_base`, also what a [`delta::Delta`] relative to this export
/// needs. `scratch`: as for [`prepare`]; the export is then not cached.
pub fn build(
    site: &Site,
    idx: &SiteIndex<'_>,
    root: &Path,
    scratch: Option<&Path>,
    sink: &dyn Sink,
    progress: &Progress,
    keep_base: bool,
) -> Result<(SearchReport, Option<delta::Base>), BuildError> {
    progress.step("indexing for search");
    let (mut docs, search_index, reindexed) = prepare(site, idx, root, scratch, progress)?;
    // Indexed: the rest needs only the start of each body.
    export::keep_passages(&mut docs);
    let pack = search_index.dir.join("export.pack");
    let cached = if reindexed { None } else { pack::read(&pack) };
    let reused_export = cached.is_some();
    let files = match cached {
        Some(files) => files,
        None => {
            progress.step(&format!(
                "exporting the search index ({} documents)",
                docs.len()
            ));
            let files = export::export(site, &docs, &search_index, &|| progress.should_stop())?;
            // A cache: failing to keep it costs time next build, nothing else.
            if scratch.is_none() {
                let _ = pack::write(&pack, &files);
            }
            files
        }
    };
    let report = SearchReport {
        documents: docs.len(),
        files: files.len(),
        bytes: files.iter().map(|(_, b)| b.len() as u64).sum(),
        reindexed,
        reused_export,
    };
    let base = if keep_base {
        Some(delta::Base::new(site, &docs, &search_index, &files)?)
    } else {
        None
    };
    for (path, bytes) in files {
        sink.put(path, Content::Bytes(bytes))?;
    }
    Ok((report, base))
}

/// What the cached index and export depend on besides the documents: the
/// format, and the protokol binary itself (size and time stamp), so that a
/// new protokol never reuses an old one's files.
fn cache_key() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    format!("{} {} {exe}", index::SCHEMA_VERSION, export::FORMAT)
}

/// Filters of a search, as the URL and the CLI give them.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub committee: Option<usize>,
    pub year: Option<i32>,
    pub decisions_only: bool,
}

impl Filters {
    pub fn keep(&self, d: &SearchDoc) -> bool {
        self.committee.is_none_or(|c| c == d.committee)
            && self.year.is_none_or(|y| y == d.year())
            && (!self.decisions_only || d.has_decision)
    }
}

/// One result of [`search`].
#[derive(Debug, Clone)]
pub struct Found<'a> {
    pub doc: &'a SearchDoc,
    pub number: u32,
    pub score: f64,
    pub in_decision: bool,
}

/// Searches the tantivy index: every match, best first.
pub fn search<'a>(
    docs: &'a [SearchDoc],
    search_index: &SearchIndex,
    query_text: &str,
    filters: &Filters,
) -> Result<(query::Query, Vec<Found<'a>>), BuildError> {
    let searcher = search_index.reader.searcher();
    let err = |e| index::tantivy_error(Path::new(".protokol-cache/search"), e);
    let scorer = Scorer::new(&searcher, &search_index.fields).map_err(err)?;
    let case_field = search_index.fields.text[1];
    let query = query::parse(query_text, |t| {
        searcher
            .doc_freq(&tantivy::Term::from_field_text(case_field, t))
            .is_ok_and(|n| n > 0)
    });
    let hits = query::run(&scorer, &query, |d| {
        docs.get(d as usize).is_some_and(|doc| filters.keep(doc))
    })
    .map_err(err)?;
    let found = hits
        .into_iter()
        .map(|h| Found {
            doc: &docs[h.doc as usize],
            number: h.doc,
            score: h.score,
            in_decision: h.in_decision,
        })
        .collect();
    Ok((query, found))
}

/// The link of a result: to the decision when a query term is in it.
pub fn result_url(doc: &SearchDoc, in_decision: bool) -> String {
    if in_decision && doc.decision_anchor {
        format!("{}#beslutning", doc.url)
    } else {
        doc.url.clone()
    }
}
