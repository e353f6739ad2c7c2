//! Queries: how words typed by a visitor become terms, and how documents
//! are matched and ranked. `search.js` implements the same rules; the
//! parity tests hold the two together.
//!
//! - The query is split at white space. A word that looks like a case
//!   number ("24/277", "24-277") and names a case of the index is one exact
//!   case term; any other word goes through the Danish analyzer and may
//!   give several terms ("24/999" gives "24" and "999").
//! - Every term must match (AND), but for one exception: with case
//!   numbers and words, the case page of the case numbers matches too (it
//!   holds no words but its committee's name), so that "budget 24/277"
//!   still finds the case as "24/277" does.
//! - A negation typed beside a word ("ikke godkendt") is also the term
//!   of the two (see `analyzer::NegationPairs`). No match needs it, but
//!   the matches that hold more of these pairs rank first: what the
//!   visitor typed, not just its words.
//! - A document's score is the sum of its per-term scores, added in the
//!   terms' sorted order, then the negation pairs' in theirs; equal scores
//!   put the higher document number (the newer meeting) first.

use std::cmp::Ordering;

use crate::search::analyzer::{self, case_term, looks_like_case};
use crate::search::scoring::{Posting, QueryTerm, Scorer};

/// What a query asks for: terms each match needs, and negation pairs
/// ("ikk godkend") that rank the matches holding them first. Each list
/// sorted, without repeats.
#[derive(Debug)]
pub struct Query {
    pub terms: Vec<QueryTerm>,
    pub negations: Vec<QueryTerm>,
}

impl Query {
    /// The dictionary keys of the query, needed terms first.
    pub fn keys(&self) -> Vec<String> {
        self.terms
            .iter()
            .chain(&self.negations)
            .map(QueryTerm::key)
            .collect()
    }
}

/// Parses a query.
pub fn parse(query: &str, case_exists: impl Fn(&str) -> bool) -> Query {
    let mut danish = analyzer::danish();
    let query = analyzer::nfc(query);
    let mut terms = Vec::new();
    for word in query.split_whitespace() {
        if looks_like_case(word) {
            let t = case_term(word);
            if case_exists(&t) {
                terms.push(QueryTerm::Case(t));
                continue;
            }
        }
        terms.extend(
            analyzer::terms(&mut danish, word)
                .into_iter()
                .filter(|t| !analyzer::is_negation_pair(t))
                .map(QueryTerm::Word),
        );
    }
    terms.sort();
    terms.dedup();
    // The pairs of the whole query: also those across the white space
    // between its words.
    let mut negations: Vec<QueryTerm> = analyzer::terms(&mut danish, &query)
        .into_iter()
        .filter(|t| analyzer::is_negation_pair(t))
        .map(QueryTerm::Word)
        .collect();
    negations.sort();
    negations.dedup();
    Query { terms, negations }
}

/// A matching document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f64,
    /// A query term is in the document's decision.
    pub in_decision: bool,
    /// How many of the query's negation pairs the document holds.
    pub negations: u32,
}

/// Ranking order: negation pairs held, score, then the higher document
/// number.
pub fn rank(a: &Hit, b: &Hit) -> Ordering {
    b.negations.cmp(&a.negations).then(
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(Ordering::Equal)
            .then(b.doc.cmp(&a.doc)),
    )
}

/// Documents holding every term (each list sorted by document), scored.
pub fn intersect(lists: &[Vec<Posting>]) -> Vec<Hit> {
    let Some((first, rest)) = lists.split_first() else {
        return Vec::new();
    };
    let mut hits: Vec<Hit> = first
        .iter()
        .map(|p| Hit {
            doc: p.doc,
            score: f64::from(p.score),
            in_decision: p.in_decision,
            negations: 0,
        })
        .collect();
    for list in rest {
        let mut out = Vec::with_capacity(hits.len().min(list.len()));
        let mut j = 0;
        for h in hits {
            while j < list.len() && list[j].doc < h.doc {
                j += 1;
            }
            if j < list.len() && list[j].doc == h.doc {
                out.push(Hit {
                    doc: h.doc,
                    score: h.score + f64::from(list[j].score),
                    in_decision: h.in_decision || list[j].in_decision,
                    negations: 0,
                });
            }
        }
        hits = out;
    }
    hits
}

/// All documents matching `query` and `keep`, best first.
pub fn run(
    scorer: &Scorer<'_>,
    query: &Query,
    keep: impl Fn(u32) -> bool,
) -> tantivy::Result<Vec<Hit>> {
    let terms = &query.terms;
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut lists = Vec::new();
    for t in terms {
        lists.push(scorer.postings(t)?);
    }
    let mut hits = intersect(&lists);
    let cases = terms
        .iter()
        .filter(|t| matches!(t, QueryTerm::Case(_)))
        .count();
    if cases > 0 && cases < terms.len() {
        // Case terms sort first: their lists lead.
        for page in case_pages(&lists[..cases]) {
            if !hits.iter().any(|h| h.doc == page.doc) {
                hits.push(page);
            }
        }
    }
    for pair in &query.negations {
        let list = scorer.postings(pair)?;
        for h in &mut hits {
            if let Ok(i) = list.binary_search_by_key(&h.doc, |p| p.doc) {
                h.score += f64::from(list[i].score);
                h.negations += 1;
            }
        }
    }
    hits.retain(|h| keep(h.doc));
    hits.sort_by(rank);
    Ok(hits)
}

/// The documents that are the case page in every one of `lists`, scored
/// as [`intersect`] scores: these lists' scores added in their order.
fn case_pages(lists: &[Vec<Posting>]) -> Vec<Hit> {
    let pages: Vec<Vec<Posting>> = lists
        .iter()
        .map(|l| l.iter().filter(|p| p.case_page).copied().collect())
        .collect();
    intersect(&pages)
}
