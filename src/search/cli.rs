//! `protokol search QUERY`: the build's search from the terminal.

use std::io::Write;

use serde::Serialize;

use crate::build::{self, BuildOptions};
use crate::error::BuildError;
use crate::render::dates;
use crate::search::{Filters, prepare, result_url, search};
use crate::site_index::SiteIndex;

pub struct Args {
    pub query: String,
    pub committee: Option<String>,
    pub year: Option<i32>,
    pub decisions_only: bool,
    pub limit: usize,
    pub json: bool,
}

#[derive(Serialize)]
struct JsonResult<'a> {
    rank: usize,
    /// The stable document number, as the browser's index numbers it.
    doc: u32,
    score: f64,
    kind: &'static str,
    title: &'a str,
    /// Site-relative link (to the decision when a query word is in it).
    path: String,
    url: String,
    committee: &'a str,
    committee_slug: &'a str,
    date: String,
    in_decision: bool,
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    query: &'a str,
    terms: Vec<String>,
    total: usize,
    results: Vec<JsonResult<'a>>,
}

fn write_err(e: std::io::Error) -> BuildError {
    BuildError::Other(format!("cannot write the results: {e}"))
}

pub fn run(opts: &BuildOptions, args: &Args, out: &mut dyn Write) -> Result<(), BuildError> {
    let site = build::load(opts)?;
    let idx = SiteIndex::new(&site);
    let committee = match &args.committee {
        None => None,
        Some(name) => Some(idx.committee_by_name(name).ok_or_else(|| {
            let known: Vec<&str> = site.committees.iter().map(|c| c.slug.as_str()).collect();
            BuildError::Other(format!(
                "no committee called {name:?}; the committees are: {}",
                known.join(", ")
            ))
        })?),
    };
    let filters = Filters {
        committee,
        year: args.year,
        decisions_only: args.decisions_only,
    };
    let (docs, search_index, _) = prepare(&site, &idx, &opts.root)?;
    let (terms, found) = search(&docs, &search_index, &args.query, &filters)?;
    let base = &site.config.base_url;
    let results: Vec<JsonResult> = found
        .iter()
        .take(args.limit)
        .enumerate()
        .map(|(i, f)| {
            let c = &site.committees[f.doc.committee];
            let path = result_url(f.doc, f.in_decision);
            JsonResult {
                rank: i + 1,
                doc: f.number,
                score: f.score,
                kind: f.doc.kind.as_str(),
                title: &f.doc.title,
                url: format!("{base}/{path}"),
                path,
                committee: &c.name,
                committee_slug: &c.slug,
                date: f.doc.date.format("%Y-%m-%d").to_string(),
                in_decision: f.in_decision,
            }
        })
        .collect();
    if args.json {
        let output = JsonOutput {
            query: &args.query,
            terms: terms.iter().map(|t| t.key()).collect(),
            total: found.len(),
            results,
        };
        serde_json::to_writer_pretty(&mut *out, &output)
            .map_err(|e| BuildError::Other(format!("cannot write the results: {e}")))?;
        writeln!(out).map_err(write_err)?;
        return Ok(());
    }
    let shown = results.len();
    writeln!(
        out,
        "{} result{} for {:?}{}",
        found.len(),
        if found.len() == 1 { "" } else { "s" },
        args.query,
        if shown < found.len() {
            format!(" (the first {shown} shown; --limit shows more)")
        } else {
            String::new()
        }
    )
    .map_err(write_err)?;
    for (r, f) in results.iter().zip(&found) {
        let date = dates::long(site.config.language, f.doc.date);
        writeln!(out, "\n{:>3}. {}", r.rank, r.title).map_err(write_err)?;
        writeln!(out, "     {} · {date}", r.committee).map_err(write_err)?;
        writeln!(out, "     {}", r.url).map_err(write_err)?;
    }
    Ok(())
}
