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
    #[serde(default)]
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

/// A committee without its meetings, which are loaded next.
pub fn parse(path: &Path, slug: &str, text: &str) -> Result<Committee, Vec<Diagnostic>> {
    let raw: RawCommittee = toml_file::parse(path, text, 1).map_err(|d| vec![d])?;
    let name = raw.name.unwrap_or_default();
    if name.trim().is_empty() {
        let line = toml_file::line_of_key(text, "name", 1);
        return Err(vec![Diagnostic::new(
            path,
            line,
            "missing `name`: every committee needs one",
        )]);
    }
    let desc_line = toml_file::line_of_key(text, "description", 1);
    let description = markdown::render(path, &raw.description, desc_line)?;
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

/// Stands in for a committee whose committee.toml is broken, so that its
/// meetings can still be checked; never published.
pub fn placeholder(slug: &str) -> Committee {
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
