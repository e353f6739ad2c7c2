//! Loading a site folder (`config.toml`, `content/`) into the [`crate::model`].
//!
//! Every file is checked as it is read; all problems are collected so that a
//! user sees every mistake in one run. Meetings load in parallel.

pub mod committee;
pub mod item;
pub mod markdown;
pub mod meeting;
pub mod page;
pub mod toml_file;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::error::{BuildError, Diagnostic, Diagnostics};
use crate::model::{Committee, Meeting, Site};

/// The folder of free-standing pages inside `content/`.
pub const PAGES_DIR: &str = "pages";

/// Reads a file that must be UTF-8 text.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::file(path, format!("cannot read file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let line = bytes_line(e.as_bytes(), e.utf8_error().valid_up_to());
        Diagnostic::new(
            path,
            line,
            "file is not valid UTF-8 text (save it as UTF-8)",
        )
    })
}

fn bytes_line(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

/// File names from macOS arrive decomposed (NFD); URLs use the composed form.
/// Most text is composed already, which a quick check tells without
/// normalizing it.
pub fn nfc(s: &str) -> String {
    match unicode_normalization::is_nfc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => s.to_string(),
        _ => s.nfc().collect(),
    }
}

/// Threads per core that read content: a file not in the page cache
/// (after a reboot, or a cache restored on a CI runner) is a wait on the
/// disk, during which a core with one thread idles. Loading 100k items
/// from a cold cache on 2 cores: ~5 s with 2 threads, ~3.7 s with 8
/// (bench/results/build.md); with a warm cache the same either way.
const READERS_PER_CORE: usize = 4;
/// Enough to keep any disk's queue full; a large machine needs no more.
const MAX_READERS: usize = 64;

/// Runs `f`, and the parallel iterators in it, on a pool sized for
/// reading files rather than for computing.
pub fn reading<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    let threads = (rayon::current_num_threads() * READERS_PER_CORE).min(MAX_READERS);
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// Sorted entries of a folder, skipping hidden ones.
pub fn list_dir(dir: &Path) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
    let mut out: Vec<(String, PathBuf)> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| (nfc(&e.file_name().to_string_lossy()), e.into_path()))
        .filter(|(name, _)| !is_hidden(name))
        .collect();
    out.sort();
    if out.is_empty() && !dir.is_dir() {
        return Err(Diagnostic::file(dir, "folder does not exist"));
    }
    Ok(out)
}

/// The names by which an item's `route` may name a committee: slug, name
/// and short name.
pub fn known_committees<'a>(committees: impl Iterator<Item = &'a Committee>) -> Vec<String> {
    committees
        .flat_map(|c| [Some(c.slug.clone()), Some(c.name.clone()), c.short.clone()])
        .flatten()
        .collect()
}

/// Loads and checks the whole site in `root`.
pub fn load_site(root: &Path) -> Result<Site, BuildError> {
    let config = Config::load(root).map_err(BuildError::Content)?;
    load_site_with(root, config)
}

pub fn load_site_with(root: &Path, config: Config) -> Result<Site, BuildError> {
    let content = root.join("content");
    let mut problems = Diagnostics::default();
    // The site's URL root (content's relative links are made absolute)
    // and interface language.
    let base = markdown::SiteBase::of(&config);
    if let Some(d) = crate::render::theme::missing(root, &config.theme) {
        problems.push(d);
    }
    let entries = list_dir(&content).map_err(|d| BuildError::Content(vec![d]))?;

    // Committees first: items name them in their routes.
    let mut committees: Vec<(PathBuf, Committee)> = Vec::new();
    let mut broken: Vec<(PathBuf, Committee)> = Vec::new();
    let mut pages_dir = None;
    let mut names_unknown = false;
    for (name, path) in entries {
        if !path.is_dir() {
            continue;
        }
        if name == PAGES_DIR {
            pages_dir = Some(path);
            continue;
        }
        let toml = path.join("committee.toml");
        if !toml.is_file() {
            problems.push(Diagnostic::file(
                &path,
                "folder has no committee.toml: every folder in content/ is a committee (or `pages`)",
            ));
            continue;
        }
        let text = read_text(&toml).map_err(|d| problems.push(d)).ok();
        match text
            .as_deref()
            .map(|t| committee::parse(&toml, &name, t, &base))
        {
            Some(Ok(c)) => {
                // Routes name committees by short name: two alike would
                // send one committee's steps to the other.
                let first = c
                    .short
                    .as_ref()
                    .and_then(|s| committees.iter().find(|(_, o)| o.short.as_ref() == Some(s)));
                if let Some((_, other)) = first {
                    problems.push(Diagnostic::new(
                        &toml,
                        toml_file::line_of_key(text.as_deref().unwrap_or(""), "short", 1),
                        format!(
                            "the short name {:?} is already that of content/{}/committee.toml; every committee needs its own",
                            c.short.as_deref().unwrap_or_default(),
                            other.slug
                        ),
                    ));
                }
                committees.push((path, c));
            }
            parsed => {
                if let Some(Err(list)) = parsed {
                    list.into_iter().for_each(|d| problems.push(d));
                }
                // Its meetings are still checked, so all problems show in
                // one run, against the names it has if its TOML reads.
                let placeholder = text
                    .as_deref()
                    .and_then(|t| committee::placeholder(&name, t));
                names_unknown |= placeholder.is_none();
                let placeholder = placeholder.unwrap_or_else(|| committee::unnamed(&name));
                broken.push((path, placeholder));
            }
        }
    }
    let n_good = committees.len();
    committees.extend(broken);

    let known = known_committees(committees.iter().map(|(_, c)| c));
    // With a committee.toml unreadable, its short name is unknown:
    // checking routes would only add false alarms.
    let known_committee = |s: &str| names_unknown || known.iter().any(|k| k == s.trim());

    // Every meeting folder of every committee, then load them in parallel.
    let mut meeting_dirs = Vec::new();
    for (ci, (dir, _)) in committees.iter().enumerate() {
        let list = match list_dir(dir) {
            Ok(l) => l,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        for (name, path) in list {
            if name == "committee.toml" {
                continue;
            }
            if !path.is_dir() {
                problems.push(Diagnostic::file(
                    &path,
                    "unexpected file: a committee folder holds committee.toml and meeting folders",
                ));
                continue;
            }
            match meeting::date_of_folder(&name) {
                Some(Ok(date)) => meeting_dirs.push((ci, name, path, date)),
                Some(Err(msg)) => problems.push(Diagnostic::file(&path, msg)),
                None => problems.push(Diagnostic::file(
                    &path,
                    "a meeting folder is named by its date, YYYY-MM-DD, optionally followed by -suffix",
                )),
            }
        }
    }
    let loaded: Vec<_> = reading(|| {
        meeting_dirs
            .par_iter()
            .map(|(ci, name, path, date)| {
                let slug = &committees[*ci].1.slug;
                (
                    *ci,
                    meeting::load(path, slug, name, *date, &content, &base, &known_committee),
                )
            })
            .collect()
    });
    for (ci, result) in loaded {
        match result {
            Ok(m) => committees[ci].1.meetings.push(Arc::new(m)),
            Err(list) => list.into_iter().for_each(|d| problems.push(d)),
        }
    }

    let pages = match pages_dir {
        Some(dir) => match page::load_all(&dir, &base) {
            Ok(p) => p,
            Err(list) => {
                list.into_iter().for_each(|d| problems.push(d));
                Vec::new()
            }
        },
        None => Vec::new(),
    };

    committees.truncate(n_good);
    let mut committees: Vec<Committee> = committees.into_iter().map(|(_, c)| c).collect();
    for c in &mut committees {
        c.meetings.sort_by(|a, b| Meeting::order(a, b));
    }
    committees.sort_by(|a, b| {
        a.order
            .cmp(&b.order)
            .then_with(|| crate::render::collate::cmp(&a.name, &b.name))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let site = Site {
        config,
        committees,
        pages,
    };
    problems.extend(crate::check::check_site(&site, &content));
    problems.into_result(site)
}
