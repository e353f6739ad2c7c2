//! Free-standing pages: `content/pages/<slug>.md`.

use std::path::Path;

use serde::Deserialize;

use crate::error::Diagnostic;
use crate::load::item::split_front_matter;
use crate::load::{markdown, nfc, read_text, toml_file};
use crate::model::Page;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: Option<String>,
}

pub fn load_all(dir: &Path, site: &markdown::SiteBase) -> Result<Vec<Page>, Vec<Diagnostic>> {
    // Pages are published at the site's root.
    let links = site.links(String::new(), dir.parent().unwrap_or(dir).to_path_buf());
    let mut pages = Vec::new();
    let mut problems = Vec::new();
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .collect();
    files.sort();
    for path in files {
        let name = nfc(&path.file_name().unwrap_or_default().to_string_lossy());
        if name.starts_with('.') {
            continue;
        }
        let Some(slug) = name.strip_suffix(".md") else {
            problems.push(Diagnostic::file(
                &path,
                "content/pages/ holds only Markdown pages (<slug>.md)",
            ));
            continue;
        };
        match read_text(&path)
            .map_err(|d| vec![d])
            .and_then(|t| parse(&path, slug, &t, &links))
        {
            Ok(p) => pages.push(p),
            Err(mut list) => problems.append(&mut list),
        }
    }
    if problems.is_empty() {
        Ok(pages)
    } else {
        Err(problems)
    }
}

fn parse(
    path: &Path,
    slug: &str,
    text: &str,
    links: &markdown::LinkBase,
) -> Result<Page, Vec<Diagnostic>> {
    let fm = split_front_matter(path, text).map_err(|d| vec![d])?;
    let raw: RawPage = toml_file::parse(path, fm.toml, fm.toml_line)?;
    let line = match raw.title {
        Some(_) => toml_file::line_of_key(fm.toml, "title", fm.toml_line),
        None => 1,
    };
    let title = raw.title.unwrap_or_default();
    if title.trim().is_empty() {
        return Err(vec![Diagnostic::new(
            path,
            line,
            "missing `title`: every page needs one",
        )]);
    }
    let body = markdown::render(path, fm.body, fm.body_line, links)?;
    Ok(Page {
        slug: slug.to_string(),
        title: title.trim().to_string(),
        html: body.html,
        text: body.text,
    })
}
