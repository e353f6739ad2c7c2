//! Checks that need the whole site: names that would publish two things at
//! one URL. Checks of single files happen while loading them.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Diagnostic, Diagnostics};
use crate::model::Site;

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
    problems
}
