//! `committee.toml`.

use std::path::Path;

use serde::Deserialize;

use crate::error::Diagnostic;
use crate::load::{markdown, toml_file};
use crate::model::{Committee, Member};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommittee {
    name: Option<String>,
    short: Option<String>,
    #[serde(default)]
    description: String,
    /// Committees without an `order` come after those with one.
    #[serde(default = "unordered")]
    order: i64,
    #[serde(default)]
    members: Vec<RawMember>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMember {
    name: String,
    role: Option<String>,
}

fn unordered() -> i64 {
    i64::MAX
}

/// A committee without its meetings, which are loaded next.
pub fn parse(
    path: &Path,
    slug: &str,
    text: &str,
    site: &markdown::SiteBase,
) -> Result<Committee, Vec<Diagnostic>> {
    let (raw, mut problems) = toml_file::parse_all::<RawCommittee>(path, text, 1);
    let Some(raw) = raw else {
        return Err(problems);
    };
    let name = raw.name.unwrap_or_default();
    if name.trim().is_empty() && !toml_file::reported(&problems, "name") {
        let line = toml_file::line_of_key(text, "name", 1);
        problems.push(Diagnostic::new(
            path,
            line,
            "missing `name`: every committee needs one",
        ));
    }
    let desc_line = toml_file::line_of_key(text, "description", 1);
    // committee.toml is in content/<slug>/.
    let content = path.ancestors().nth(2).unwrap_or(path).to_path_buf();
    let links = site.links(format!("{slug}/"), content);
    let description = match markdown::render(path, &raw.description, desc_line, &links) {
        Ok(d) => d,
        Err(mut p) => {
            problems.append(&mut p);
            return Err(problems);
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Committee {
        slug: slug.to_string(),
        name: name.trim().to_string(),
        short: raw
            .short
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        description_html: description.html,
        description_text: description.text,
        order: raw.order,
        members: raw
            .members
            .into_iter()
            .map(|m| Member {
                name: m.name,
                role: m.role.filter(|r| !r.trim().is_empty()),
            })
            .collect(),
        meetings: Vec::new(),
    })
}

/// Stands in for a committee whose committee.toml is broken but reads as
/// TOML, with the names it gives, so that its meetings and the routes
/// naming it can still be checked; never published.
pub fn placeholder(slug: &str, text: &str) -> Option<Committee> {
    let table = text.parse::<toml::Table>().ok()?;
    let name = |key: &str| table.get(key).and_then(|v| v.as_str()).map(str::trim);
    let mut c = unnamed(slug);
    if let Some(n) = name("name").filter(|n| !n.is_empty()) {
        c.name = n.to_string();
    }
    c.short = name("short").filter(|s| !s.is_empty()).map(str::to_string);
    Some(c)
}

/// Stands in for a committee whose committee.toml cannot be read at all.
pub fn unnamed(slug: &str) -> Committee {
    Committee {
        slug: slug.to_string(),
        name: slug.to_string(),
        short: None,
        description_html: String::new(),
        description_text: String::new(),
        order: 0,
        members: Vec::new(),
        meetings: Vec::new(),
    }
}
