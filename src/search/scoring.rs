//! Scores straight from tantivy's postings: for one term, every document
//! that holds it, with tantivy's BM25 score per field, boosted and summed
//! in the fixed field order.
//!
//! The CLI ranks with these scores and the export ships them, so the
//! browser ranks exactly as the terminal does. A term's score is an `f32`
//! (fields added in schema order); a query adds its terms' scores in `f64`
//! in the terms' sorted order, which JavaScript's numbers repeat bit for bit.

use tantivy::columnar::Column;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Searcher, TERMINATED, Term};

use crate::search::index::{CASE_PAGE_FIELD, DECISION_FIELD, Fields, TEXT_FIELDS};

/// One document holding a term.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Posting {
    /// Stable document number.
    pub doc: u32,
    /// The sum of the fields' boosted BM25 scores, added in field order in
    /// `f32` as tantivy adds them; the export ships it as an `f32`.
    pub score: f32,
    /// The term is in the document's decision.
    pub in_decision: bool,
    /// The term is a case number and the document its case page.
    pub case_page: bool,
}

/// A term of a query or of the index: a Danish word or an exact case number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QueryTerm {
    /// Sorts first: the export writes case terms as `#` + term.
    Case(String),
    Word(String),
}

impl QueryTerm {
    /// The key of the term in the exported dictionary.
    pub fn key(&self) -> String {
        match self {
            QueryTerm::Case(t) => format!("#{t}"),
            QueryTerm::Word(t) => t.clone(),
        }
    }
}

struct SegmentData {
    /// Each tantivy doc id's document number, read out of its fast field
    /// once: the postings of every term look it up.
    docs: Vec<u32>,
    fieldnorms: Vec<Option<FieldNormReader>>,
}

/// The collection-wide statistics BM25 weighs a term with: the number of
/// documents and each text field's average length in tokens.
pub fn collection_stats(searcher: &Searcher, fields: &Fields) -> tantivy::Result<(u64, Vec<f32>)> {
    let num_docs: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.max_doc()))
        .sum();
    let mut average_fieldnorm = Vec::new();
    for f in fields.text {
        let mut tokens = 0u64;
        for s in searcher.segment_readers() {
            tokens += s.inverted_index(f)?.total_num_tokens();
        }
        // As tantivy's `Bm25Weight::for_terms` computes it.
        average_fieldnorm.push(tokens as f32 / num_docs.max(1) as f32);
    }
    Ok((num_docs, average_fieldnorm))
}

/// Computes postings with scores for any term of the index.
pub struct Scorer<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    num_docs: u64,
    average_fieldnorm: Vec<f32>,
    segments: Vec<SegmentData>,
}

impl<'a> Scorer<'a> {
    pub fn new(searcher: &'a Searcher, fields: &'a Fields) -> tantivy::Result<Scorer<'a>> {
        let (num_docs, average_fieldnorm) = collection_stats(searcher, fields)?;
        let mut segments = Vec::new();
        for s in searcher.segment_readers() {
            let column: Column<u64> = s.fast_fields().u64("doc")?;
            let docs = (0..s.max_doc())
                .map(|d| column.first(d).unwrap_or_default() as u32)
                .collect();
            let fieldnorms = fields
                .text
                .iter()
                .map(|f| s.fieldnorms_readers().get_field(*f))
                .collect::<tantivy::Result<Vec<_>>>()?;
            segments.push(SegmentData { docs, fieldnorms });
        }
        Ok(Scorer {
            searcher,
            fields,
            num_docs,
            average_fieldnorm,
            segments,
        })
    }

    pub fn num_docs(&self) -> u64 {
        self.num_docs
    }

    /// Every document holding `term`, by document number.
    pub fn postings(&self, term: &QueryTerm) -> tantivy::Result<Vec<Posting>> {
        let (text, case) = match term {
            QueryTerm::Word(t) => (t.as_str(), false),
            QueryTerm::Case(t) => (t.as_str(), true),
        };
        // (doc, field position, boosted score)
        let mut parts: Vec<(u32, usize, f32)> = Vec::new();
        for (fi, tf) in TEXT_FIELDS.iter().enumerate() {
            if tf.case != case {
                continue;
            }
            let field = self.fields.text[fi];
            let t = Term::from_field_text(field, text);
            let df = self.searcher.doc_freq(&t)?;
            if df == 0 {
                continue;
            }
            let weight = Bm25Weight::for_one_term_without_explain(
                df,
                self.num_docs,
                self.average_fieldnorm[fi],
            );
            for (reader, seg) in self.searcher.segment_readers().iter().zip(&self.segments) {
                let inverted = reader.inverted_index(field)?;
                let Some(mut postings) =
                    inverted.read_postings(&t, IndexRecordOption::WithFreqs)?
                else {
                    continue;
                };
                let mut d = postings.doc();
                while d != TERMINATED {
                    let fieldnorm_id = seg.fieldnorms[fi].as_ref().map_or(0, |r| r.fieldnorm_id(d));
                    // What tantivy's TermScorer inside a BoostQuery returns.
                    let score = weight.score(fieldnorm_id, postings.term_freq()) * tf.boost;
                    let doc = seg.docs[d as usize];
                    parts.push((doc, fi, score));
                    d = postings.advance();
                }
            }
        }
        // Field order within a document is kept: the sort is stable and
        // fields were visited in order. (Each field's documents come in
        // sorted runs, which this sort merges; an unstable sort by
        // document and field took twice the instructions.)
        parts.sort_by_key(|p| p.0);
        let mut out: Vec<Posting> = Vec::new();
        for (doc, fi, score) in parts {
            match out.last_mut() {
                Some(p) if p.doc == doc => {
                    p.score += score;
                    p.in_decision |= fi == DECISION_FIELD;
                    p.case_page |= fi == CASE_PAGE_FIELD;
                }
                _ => out.push(Posting {
                    doc,
                    score,
                    in_decision: fi == DECISION_FIELD,
                    case_page: fi == CASE_PAGE_FIELD,
                }),
            }
        }
        Ok(out)
    }
}
