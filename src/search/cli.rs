//! `protokol search QUERY`: the build's search from the terminal.

use std::io::Write;

use serde::Serialize;

use crate::build::{self, BuildOptions, Progress};
use crate::error::BuildError;
use crate::model::Site;
use crate::render::dates;
use crate::search::documents::SearchDoc;
use crate::search::index::SearchIndex;
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

#[derive(Debug, Serialize)]
pub struct Hit {
    pub rank: usize,
    /// The stable document number, as the browser's index numbers it.
    pub doc: u32,
    pub score: f64,
    pub kind: &'static str,
    pub title: String,
    /// Site-relative link (to the decision when a query word is in it).
    pub path: String,
    pub url: String,
    pub committee: String,
    pub committee_slug: String,
    pub date: String,
    pub in_decision: bool,
}

/// What `--json` prints.
#[derive(Debug, Serialize)]
pub struct Output {
    pub query: String,
    pub terms: Vec<String>,
    pub total: usize,
    pub results: Vec<Hit>,
}

/// A loaded site with its search index, for one query or many.
pub struct Session {
    site: Site,
    docs: Vec<SearchDoc>,
    index: SearchIndex,
}

impl Session {
    /// Loads the site and opens its index (rebuilding it if the content
    /// changed since the last build).
    pub fn open(opts: &BuildOptions) -> Result<Session, BuildError> {
        let site = build::load(opts)?;
        let idx = SiteIndex::new(&site);
        let (docs, index, _) = prepare(&site, &idx, &opts.root, None, &Progress::quiet())?;
        drop(idx);
        Ok(Session { site, docs, index })
    }

    pub fn query(&self, args: &Args) -> Result<Output, BuildError> {
        let idx = SiteIndex::new(&self.site);
        let committee = match &args.committee {
            None => None,
            Some(name) => Some(
                idx.committee_by_name(name)
                    .or_else(|| {
                        // Typed at a terminal: "øu" means ØU.
                        let want = name.trim().to_lowercase();
                        self.site.committees.iter().position(|c| {
                            [Some(&c.slug), Some(&c.name), c.short.as_ref()]
                                .into_iter()
                                .flatten()
                                .any(|n| n.to_lowercase() == want)
                        })
                    })
                    .ok_or_else(|| {
                        let known: Vec<&str> = self
                            .site
                            .committees
                            .iter()
                            .map(|c| c.slug.as_str())
                            .collect();
                        BuildError::Other(format!(
                            "no committee called {name:?}; the committees are: {}",
                            known.join(", ")
                        ))
                    })?,
            ),
        };
        let filters = Filters {
            committee,
            year: args.year,
            decisions_only: args.decisions_only,
        };
        let (query, found) = search(&self.docs, &self.index, &args.query, &filters)?;
        let base = &self.site.config.base_url;
        let results = found
            .iter()
            .take(args.limit)
            .enumerate()
            .map(|(i, f)| {
                let c = &self.site.committees[f.doc.committee];
                let path = result_url(f.doc, f.in_decision);
                Hit {
                    rank: i + 1,
                    doc: f.number,
                    score: f.score,
                    kind: f.doc.kind.as_str(),
                    title: f.doc.title.clone(),
                    url: format!("{base}/{path}"),
                    path,
                    committee: c.name.clone(),
                    committee_slug: c.slug.clone(),
                    date: f.doc.date.format("%Y-%m-%d").to_string(),
                    in_decision: f.in_decision,
                }
            })
            .collect();
        Ok(Output {
            query: args.query.clone(),
            terms: query.keys(),
            total: found.len(),
            results,
        })
    }
}

/// Runs one search and prints it, as text or JSON.
pub fn run(opts: &BuildOptions, args: &Args, out: &mut dyn Write) -> Result<(), BuildError> {
    let session = Session::open(opts)?;
    let output = session.query(args)?;
    match print(&session, args, &output, out) {
        // `protokol search … | head` is fine.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(BuildError::Other(format!("cannot write the results: {e}"))),
        Ok(()) => Ok(()),
    }
}

fn print(
    session: &Session,
    args: &Args,
    output: &Output,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if args.json {
        serde_json::to_writer_pretty(&mut *out, output)?;
        return writeln!(out);
    }
    let shown = output.results.len();
    let more = if shown < output.total {
        format!(" (the first {shown} shown; --limit shows more)")
    } else {
        String::new()
    };
    writeln!(
        out,
        "{} result{} for {:?}{more}",
        output.total,
        if output.total == 1 { "" } else { "s" },
        args.query,
    )?;
    for r in &output.results {
        let date = chrono::NaiveDate::parse_from_str(&r.date, "%Y-%m-%d")
            .map(|d| dates::long(session.site.config.language, d))
            .unwrap_or_else(|_| r.date.clone());
        writeln!(out, "\n{:>3}. {}", r.rank, printable(&r.title))?;
        writeln!(out, "     {} · {date}", printable(&r.committee))?;
        writeln!(out, "     {}", printable(&r.url))?;
    }
    Ok(())
}

/// Content's control characters shown as `�`: an escape sequence in a
/// title would otherwise act on the terminal.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_do_not_reach_the_terminal() {
        assert_eq!(
            super::printable("T1 \u{1b}[31mRED\n"),
            "T1 \u{fffd}[31mRED\u{fffd}"
        );
        assert_eq!(super::printable("Åvej 24/277"), "Åvej 24/277");
    }
}
