//! Checks that need the whole site: names that would publish two things at
//! one URL. Checks of single files happen while loading them.

use std::collections::BTreeMap;
use std::path::Path;

use rustc_hash::FxHashMap;

use crate::error::{Diagnostic, Diagnostics};
use crate::model::{CaseNumber, Site};

/// Top-level URL folders the generator itself publishes.
pub const RESERVED: &[&str] = &[
    "sager",
    "soeg",
    "search",
    "kalender",
    "calendar",
    "oparl",
    "feeds",
    "static",
    "sitemap.xml",
    "robots.txt",
    "feed.atom",
    "kalender.ics",
    "calendar.ics",
    "404.html",
    "index.html",
    // The default theme's static files.
    "protokol.css",
    "search.js",
];

/// Whether the site itself publishes something at this top-level name.
pub fn is_reserved(name: &str) -> bool {
    RESERVED.contains(&name)
        // The parts of a sitemap split above 50,000 URLs.
        || (name.starts_with("sitemap-") && name.ends_with(".xml"))
}

pub fn check_site(site: &Site, content: &Path) -> Diagnostics {
    let mut problems = Diagnostics::default();
    let mut taken: BTreeMap<&str, &str> = BTreeMap::new();
    for c in &site.committees {
        if is_reserved(&c.slug) {
            problems.push(Diagnostic::file(
                content.join(&c.slug),
                format!(
                    "the folder name {:?} is used by the site itself; rename the committee folder",
                    c.slug
                ),
            ));
        }
        taken.insert(&c.slug, "committee");
    }
    for p in &site.pages {
        let path = content
            .join(crate::load::PAGES_DIR)
            .join(format!("{}.md", p.slug));
        if is_reserved(&p.slug) {
            problems.push(Diagnostic::file(
                &path,
                format!(
                    "the page name {:?} is used by the site itself; rename the file",
                    p.slug
                ),
            ));
        } else if taken.contains_key(p.slug.as_str()) {
            problems.push(Diagnostic::file(
                &path,
                format!(
                    "the page {:?} has the same URL as the committee folder content/{}/",
                    p.slug, p.slug
                ),
            ));
        }
    }
    check_case_pages(site, content, &mut problems);
    problems
}

/// Case numbers written differently (`24/277`, `24-277`, `24 277`) share
/// one case page URL: the page would show one of them at random.
fn check_case_pages(site: &Site, content: &Path, problems: &mut Diagnostics) {
    // Each way a case number is written, where it is first written so;
    // nearly all are written one way only, so only those are made slugs.
    let mut spellings: FxHashMap<&str, usize> = FxHashMap::default();
    let mut firsts: Vec<(&CaseNumber, &str, &str, &str)> = Vec::new();
    for c in &site.committees {
        for m in &c.meetings {
            for item in m.items.iter().filter_map(|i| i.as_open()) {
                let Some(case) = &item.case else { continue };
                spellings.entry(case.as_str()).or_insert_with(|| {
                    firsts.push((case, &c.slug, &m.folder, &item.slug));
                    firsts.len() - 1
                });
            }
        }
    }
    let file = |(_, committee, folder, slug): &(&CaseNumber, &str, &str, &str)| {
        content
            .join(committee)
            .join(folder)
            .join(format!("{slug}.md"))
    };
    let mut pages: FxHashMap<String, usize> = FxHashMap::default();
    for (i, first) in firsts.iter().enumerate() {
        let case = first.0;
        // Without regard to case, which some file systems ignore.
        let page = case.slug().to_lowercase();
        let Some(&other) = pages.get(&page) else {
            pages.insert(page, i);
            continue;
        };
        let path = file(first);
        let line = std::fs::read_to_string(&path)
            .map(|t| crate::load::toml_file::line_of_key(&t, "case", 1))
            .unwrap_or(1);
        problems.push(Diagnostic::new(
            &path,
            line,
            format!(
                "case number {:?} and {:?} (in {}) would share the page /{}: write the case number the same way in both",
                case.as_str(),
                firsts[other].0.as_str(),
                file(&firsts[other]).display(),
                case.path()
            ),
        ));
    }
}
