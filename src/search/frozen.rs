//! BM25 scores for documents that are not in the index, weighed with the
//! statistics of an index that is: the search delta ([`super::delta`])
//! ships such scores beside the exported shards, whose scores were
//! computed with those same statistics, so the browser can add and
//! compare them.
//!
//! A document already in the index gets here exactly the score
//! [`Scorer::postings`](super::scoring::Scorer::postings) gives it (the
//! tests hold the two together): the same analysis, field lengths,
//! weights and order of additions.

use std::collections::{BTreeMap, HashMap};

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::Bm25Weight;
use tantivy::{Searcher, Term};

use crate::search::analyzer;
use crate::search::documents::SearchDoc;
use crate::search::index::{
    CASE_PAGE_FIELD, CommitteeNames, DECISION_FIELD, Fields, TEXT_FIELDS, field_values,
};
use crate::search::scoring::collection_stats;

/// The statistics of one index, as its export used them.
pub struct FrozenStats {
    searcher: Searcher,
    fields: Fields,
    num_docs: u64,
    average_fieldnorm: Vec<f32>,
}

/// A term of a document with its score: the export's key (`#` + term for
/// case numbers), the sum of its fields' boosted scores, whether it is in
/// the decision, and whether the document is the case page of this case
/// number.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredTerm {
    pub key: String,
    pub score: f32,
    pub in_decision: bool,
    pub case_page: bool,
}

/// The tokens of one field of one document: each term with how often.
type FieldTerms = Vec<(String, u32)>;

impl FrozenStats {
    pub fn new(searcher: Searcher, fields: Fields) -> tantivy::Result<FrozenStats> {
        let (num_docs, average_fieldnorm) = collection_stats(&searcher, &fields)?;
        Ok(FrozenStats {
            searcher,
            fields,
            num_docs,
            average_fieldnorm,
        })
    }

    pub fn num_docs(&self) -> u64 {
        self.num_docs
    }

    /// How many indexed documents hold `text` in text field `fi`.
    fn doc_freq(&self, fi: usize, text: &str) -> tantivy::Result<u64> {
        self.searcher
            .doc_freq(&Term::from_field_text(self.fields.text[fi], text))
    }

    /// The scored terms of each of `docs`, sorted by key.
    ///
    /// A term the index does not hold in a field gets as its document
    /// frequency the number of `docs` holding it there: what an index of
    /// the same documents plus these would count (none of the indexed
    /// documents holds it), so these documents rank among themselves as
    /// a full export would rank them. A term the index holds keeps the
    /// index's frequency, as the shards' scores do. `cache` keeps
    /// frequencies looked up before (they never change for one index).
    pub fn score(
        &self,
        docs: &[&SearchDoc],
        committee_names: &CommitteeNames,
        cache: &mut HashMap<(usize, String), u64>,
    ) -> tantivy::Result<Vec<Vec<ScoredTerm>>> {
        let mut danish = analyzer::danish();
        let tokens: Vec<Vec<(usize, u32, FieldTerms)>> = docs
            .iter()
            .map(|d| field_terms(&mut danish, d, committee_names))
            .collect();
        let mut new_terms: HashMap<(usize, &str), u64> = HashMap::new();
        for doc in &tokens {
            for (fi, _, terms) in doc {
                for (t, _) in terms {
                    *new_terms.entry((*fi, t.as_str())).or_default() += 1;
                }
            }
        }
        let mut out = Vec::with_capacity(docs.len());
        for doc in &tokens {
            let mut by_key: BTreeMap<String, ScoredTerm> = BTreeMap::new();
            // Fields in schema order: the scores are added in f32 in the
            // order `Scorer::postings` adds them.
            for (fi, num_tokens, terms) in doc {
                let field = TEXT_FIELDS[*fi];
                let fieldnorm_id = FieldNormReader::fieldnorm_to_id(*num_tokens);
                for (text, tf) in terms {
                    let key = (*fi, text.clone());
                    let indexed = match cache.get(&key) {
                        Some(df) => *df,
                        None => {
                            let df = self.doc_freq(*fi, text)?;
                            cache.insert(key, df);
                            df
                        }
                    };
                    let df = if indexed > 0 {
                        indexed
                    } else {
                        new_terms[&(*fi, text.as_str())]
                    };
                    // tantivy asserts df <= N; only an index smaller than
                    // the delta could break that.
                    let weight = Bm25Weight::for_one_term_without_explain(
                        df,
                        self.num_docs.max(df),
                        self.average_fieldnorm[*fi],
                    );
                    let score = weight.score(fieldnorm_id, *tf) * field.boost;
                    let key = if field.case {
                        format!("#{text}")
                    } else {
                        text.clone()
                    };
                    let entry = by_key.entry(key.clone()).or_insert(ScoredTerm {
                        key,
                        score: 0.0,
                        in_decision: false,
                        case_page: false,
                    });
                    entry.score += score;
                    entry.in_decision |= *fi == DECISION_FIELD;
                    entry.case_page |= *fi == CASE_PAGE_FIELD;
                }
            }
            out.push(by_key.into_values().collect());
        }
        Ok(out)
    }
}

/// Per text field that has a value: its position, its length in tokens
/// (tantivy's field norm) and its distinct terms with their frequencies.
fn field_terms(
    danish: &mut tantivy::tokenizer::TextAnalyzer,
    d: &SearchDoc,
    committee_names: &CommitteeNames,
) -> Vec<(usize, u32, FieldTerms)> {
    let mut out = Vec::new();
    for (fi, value) in field_values(d, committee_names).into_iter().enumerate() {
        let Some(value) = value else { continue };
        // Case fields are indexed with the raw tokenizer: one token.
        let tokens = if TEXT_FIELDS[fi].case {
            vec![value.into_owned()]
        } else {
            analyzer::terms(danish, &value)
        };
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for t in &tokens {
            *counts.entry(t.clone()).or_default() += 1;
        }
        out.push((fi, tokens.len() as u32, counts.into_iter().collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::scoring::{QueryTerm, Scorer};

    /// Every document of the demo site, scored as if it were new, gets
    /// exactly the scores the index gives it.
    #[test]
    fn indexed_documents_score_as_the_index_scores_them() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::load::load_site(root).unwrap();
        let idx = crate::site_index::SiteIndex::new(&site);
        let docs = crate::search::documents::collect(&site, &idx);
        let names = crate::search::committee_names(&site);
        let dir = tempfile::tempdir().unwrap();
        let index =
            crate::search::index::build(dir.path(), &docs, &names, 1, 32 << 20, &|| false).unwrap();
        let searcher = index.reader.searcher();
        let scorer = Scorer::new(&searcher, &index.fields).unwrap();
        let frozen = FrozenStats::new(searcher.clone(), index.fields.clone()).unwrap();
        let all: Vec<&SearchDoc> = docs.iter().collect();
        let scored = frozen.score(&all, &names, &mut HashMap::new()).unwrap();
        let mut compared = 0;
        for (n, terms) in scored.iter().enumerate() {
            for t in terms {
                let term = match t.key.strip_prefix('#') {
                    Some(c) => QueryTerm::Case(c.to_string()),
                    None => QueryTerm::Word(t.key.clone()),
                };
                let postings = scorer.postings(&term).unwrap();
                let p = postings
                    .iter()
                    .find(|p| p.doc == n as u32)
                    .unwrap_or_else(|| panic!("doc {n} holds {}", t.key));
                assert_eq!(p.score.to_bits(), t.score.to_bits(), "{} in {n}", t.key);
                assert_eq!(p.in_decision, t.in_decision, "{} in {n}", t.key);
                assert_eq!(p.case_page, t.case_page, "{} in {n}", t.key);
                compared += 1;
            }
        }
        assert!(compared > 1000, "{compared} terms compared");
    }
}
