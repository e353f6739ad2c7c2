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
    let mut first: BTreeMap<String, (&str, std::path::PathBuf)> = BTreeMap::new();
    for c in &site.committees {
        for m in &c.meetings {
            for item in m.items.iter().filter_map(|i| i.as_open()) {
                let Some(case) = &item.case else { continue };
                let path = content
                    .join(&c.slug)
                    .join(&m.folder)
                    .join(format!("{}.md", item.slug));
                match first.get(&case.slug()) {
                    Some((other, _)) if *other == case.as_str() => {}
                    Some((other, other_path)) => {
                        let line = std::fs::read_to_string(&path)
                            .map(|t| crate::load::toml_file::line_of_key(&t, "case", 1))
                            .unwrap_or(1);
                        problems.push(Diagnostic::new(
                            &path,
                            line,
                            format!(
                                "case number {:?} and {other:?} (in {}) would share the page /{}: write the case number the same way in both",
                                case.as_str(),
                                other_path.display(),
                                case.path()
                            ),
                        ));
                    }
                    None => {
                        first.insert(case.slug(), (case.as_str(), path));
                    }
                }
            }
        }
    }
}
