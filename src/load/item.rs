//! Agenda item files: `<NN>-<slug>.md` with TOML front matter.

use std::path::{Component, Path};

use serde::Deserialize;

use crate::error::Diagnostic;
use crate::load::{markdown, toml_file};
use crate::model::{Attachment, CaseNumber, ClosedItem, Item, OpenItem};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    title: Option<String>,
    case: Option<String>,
    #[serde(default)]
    route: Vec<String>,
    #[serde(default)]
    closed: bool,
    #[serde(default)]
    attachments: Vec<RawAttachment>,
    public_title: Option<String>,
    public_decision: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttachment {
    title: String,
    file: String,
    #[serde(default = "yes")]
    public: bool,
}

fn yes() -> bool {
    true
}

/// TOML front matter between `+++` lines, and the Markdown after it.
pub struct FrontMatter<'a> {
    pub toml: &'a str,
    /// 1-based line of the first TOML line.
    pub toml_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

pub fn split_front_matter<'a>(path: &Path, text: &'a str) -> Result<FrontMatter<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(Diagnostic::new(
            path,
            1,
            "the file must start with front matter: a line `+++`, TOML such as `title = \"...\"`, and another `+++`",
        ));
    }
    let start = first.len();
    let mut offset = start;
    for (i, line) in lines.enumerate() {
        if line.trim_end() == "+++" {
            return Ok(FrontMatter {
                toml: &text[start..offset],
                toml_line: 2,
                body: &text[offset + line.len()..],
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(
        path,
        1,
        "front matter is not closed: no second `+++` line",
    ))
}

/// What the context of an item file knows, for checking it.
pub struct ItemContext<'a> {
    pub meeting_dir: &'a Path,
    pub content_dir: &'a Path,
    /// Is this the short name (or slug or name) of a committee?
    pub known_committee: &'a dyn Fn(&str) -> bool,
    /// Where the body's relative links lead from.
    pub links: &'a markdown::LinkBase,
}

/// Parses one item. `number` and `slug` come from the file name.
pub fn parse(
    path: &Path,
    text: &str,
    number: u32,
    slug: &str,
    ctx: &ItemContext<'_>,
) -> Result<Item, Vec<Diagnostic>> {
    let fm = split_front_matter(path, text).map_err(|d| vec![d])?;
    let (raw, toml_problems) = toml_file::parse_all::<RawItem>(path, fm.toml, fm.toml_line);
    let raw: RawItem = match raw {
        Some(raw) => raw,
        None => {
            let mut problems = toml_problems;
            // The body's own mistakes show in the same run.
            if let Err(mut more) =
                markdown::render_item_body(path, fm.body, fm.body_line, ctx.links)
            {
                problems.append(&mut more);
            }
            return Err(problems);
        }
    };
    let line_of = |key: &str| toml_file::line_of_key(fm.toml, key, fm.toml_line);
    let mut problems = toml_problems;

    let title = raw.title.clone().unwrap_or_default();
    if title.trim().is_empty() && !toml_file::reported(&problems, "title") {
        let line = if raw.title.is_some() {
            line_of("title")
        } else {
            1
        };
        problems.push(Diagnostic::new(
            path,
            line,
            "missing `title`: every item needs one",
        ));
    }
    for entry in &raw.route {
        if !(ctx.known_committee)(entry) {
            problems.push(Diagnostic::new(
                path,
                line_of("route"),
                format!("`route` names {entry:?}, which is no committee's short name"),
            ));
        }
    }
    if let Some(case) = &raw.case
        && !case.trim().is_empty()
        && !case.chars().any(char::is_alphanumeric)
    {
        problems.push(Diagnostic::new(
            path,
            line_of("case"),
            format!("case number {case:?} has no letter or digit: it cannot name its case page, /sager/…/"),
        ));
    }
    let mut attachments = Vec::new();
    for a in &raw.attachments {
        let line = toml_file::line_of_value(fm.toml, &a.file, fm.toml_line)
            .unwrap_or_else(|| line_of("attachments"));
        match check_attachment(ctx, &a.file) {
            Ok((source, size)) => {
                if a.public {
                    attachments.push(Attachment {
                        title: a.title.clone(),
                        // Its URL: `./bilag.pdf` and `bilag.pdf` are one file.
                        file: a
                            .file
                            .split(['/', '\\'])
                            .filter(|p| !p.is_empty() && *p != ".")
                            .collect::<Vec<_>>()
                            .join("/"),
                        source,
                        size,
                    });
                }
            }
            Err(message) => problems.push(Diagnostic::new(path, line, message)),
        }
    }
    let sections = match markdown::render_item_body(path, fm.body, fm.body_line, ctx.links) {
        Ok(s) => s,
        Err(mut p) => {
            problems.append(&mut p);
            Vec::new()
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }

    if raw.closed {
        // Everything but the public fields is dropped here, on purpose.
        return Ok(Item::Closed(ClosedItem {
            number,
            public_title: raw.public_title.filter(|t| !t.trim().is_empty()),
            public_decision: raw.public_decision.filter(|t| !t.trim().is_empty()),
        }));
    }
    Ok(Item::Open(OpenItem {
        number,
        slug: slug.to_string(),
        title: title.trim().to_string(),
        case: raw.case.as_deref().and_then(CaseNumber::new),
        route: raw.route,
        sections,
        attachments,
    }))
}

/// An attachment must be a file inside its meeting folder.
fn check_attachment(
    ctx: &ItemContext<'_>,
    file: &str,
) -> Result<(std::path::PathBuf, u64), String> {
    let rel = Path::new(file);
    if file.trim().is_empty() {
        return Err("attachment `file` is empty".into());
    }
    if rel.is_absolute() || file.starts_with('/') || file.starts_with('\\') {
        return Err(format!(
            "attachment {file:?} must be a path inside the meeting folder, not an absolute path"
        ));
    }
    if rel
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        || file.split(['/', '\\']).any(|part| part == "..")
    {
        return Err(format!("attachment {file:?} leaves the meeting folder"));
    }
    let source = find_normalized(ctx.meeting_dir, rel)
        .ok_or_else(|| format!("attachment file {file:?} does not exist in the meeting folder"))?;
    let meta = std::fs::metadata(&source).map_err(|e| format!("attachment {file:?}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("attachment {file:?} is not a file"));
    }
    // A link may point anywhere; what it points at must still be content:
    // below content/, or below the meeting folder where the loader finds
    // it (itself a link to a folder elsewhere).
    let real = source
        .canonicalize()
        .map_err(|e| format!("attachment {file:?}: {e}"))?;
    let inside = |dir: &Path| {
        dir.canonicalize()
            .map(|d| real.starts_with(d))
            .map_err(|e| format!("{}: {e}", dir.display()))
    };
    if !inside(ctx.content_dir)? && !inside(ctx.meeting_dir)? {
        return Err(format!(
            "attachment {file:?} is a link that leaves content/"
        ));
    }
    // Copied verbatim, an item's file would publish all of it, closed or
    // not. By name, as it is given and as a link resolves.
    if [source.as_path(), real.as_path()]
        .iter()
        .any(|p| is_content_file(p))
    {
        return Err(format!(
            "attachment {file:?} is a content file (an item's Markdown file, meeting.toml or committee.toml): it cannot be an attachment"
        ));
    }
    Ok((source, meta.len()))
}

/// Whether the loader reads a file of this name as content: an item
/// (`NN-*.md`), meeting.toml or committee.toml. Without regard to case,
/// which some file systems ignore.
fn is_content_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name == "meeting.toml"
        || name == "committee.toml"
        || name
            .strip_suffix(".md")
            .is_some_and(|stem| number_of(stem).is_some())
}

/// `dir/rel`, also when the name on disk is in another Unicode form than
/// in the front matter (macOS writes "æ" decomposed, editors composed).
fn find_normalized(dir: &Path, rel: &Path) -> Option<std::path::PathBuf> {
    let direct = dir.join(rel);
    if direct.exists() {
        return Some(direct);
    }
    let mut current = dir.to_path_buf();
    for part in rel.components() {
        let want = crate::load::nfc(&part.as_os_str().to_string_lossy());
        let found = std::fs::read_dir(&current)
            .ok()?
            .filter_map(Result::ok)
            .find(|e| crate::load::nfc(&e.file_name().to_string_lossy()) == want)?;
        current = found.path();
    }
    Some(current)
}

/// `01-frisaettelse` → 1. `None` when the name has no number prefix.
pub fn number_of(stem: &str) -> Option<u32> {
    let (digits, rest) = stem.split_at(
        stem.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(stem.len()),
    );
    if digits.is_empty() || !(rest.is_empty() || rest.starts_with('-')) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_come_from_the_file_name() {
        assert_eq!(number_of("01-frisaettelse"), Some(1));
        assert_eq!(number_of("12"), Some(12));
        assert_eq!(number_of("frisaettelse"), None);
        assert_eq!(number_of("1a-x"), None);
    }

    #[test]
    fn content_files_are_known_by_name() {
        for name in [
            "02-secret.md",
            "02.md",
            "meeting.toml",
            "Committee.TOML",
            "03-X.MD",
        ] {
            assert!(is_content_file(Path::new(name)), "{name}");
        }
        for name in [
            "bilag.pdf",
            "notat.md",
            "02-secret.md.pdf",
            "meeting.toml.txt",
        ] {
            assert!(!is_content_file(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn front_matter_lines_are_counted() {
        let fm = split_front_matter(Path::new("x"), "+++\ntitle = \"a\"\n+++\n## B\n").unwrap();
        assert_eq!(fm.toml, "title = \"a\"\n");
        assert_eq!(fm.body_line, 4);
        assert_eq!(fm.body, "## B\n");
        assert!(split_front_matter(Path::new("x"), "title = 1\n").is_err());
        assert!(split_front_matter(Path::new("x"), "+++\ntitle = 1\n").is_err());
    }
}
