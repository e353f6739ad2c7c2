//! Templates and static files: the built-in default theme, a theme folder
//! of the site, and the site's own `templates/` and `static/` on top.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::error::{BuildError, Diagnostic};
use crate::output::Content;
use crate::render::template_errors::TemplateSources;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $name)))),*]
    };
}

/// The default theme, built into the binary so that a site needs only
/// config.toml and content/.
const DEFAULT_THEME: &[(&str, &[u8])] = embedded!(
    "templates/base.html",
    "templates/header.html",
    "templates/footer.html",
    "templates/macros.html",
    "templates/index.html",
    "templates/committee.html",
    "templates/year.html",
    "templates/meeting.html",
    "templates/item.html",
    "templates/case.html",
    "templates/calendar.html",
    "templates/calendar_year.html",
    "templates/page.html",
    "templates/404.html",
    "templates/search.html",
    "static/protokol.css",
    "static/search.js",
);

pub struct Theme {
    pub tera: Tera,
    /// The templates' files and texts, for errors that name their line.
    sources: TemplateSources,
    /// Committees' own templates (`<committee>/<name>`): looked up for
    /// every page, so kept apart from the theme's.
    committee_templates: BTreeSet<String>,
    /// Files copied to the output root, by their path there.
    pub static_files: BTreeMap<String, Content>,
}

enum Source {
    Builtin(&'static [u8]),
    File(PathBuf),
}

impl Theme {
    pub fn load(root: &Path, theme: &str) -> Result<Theme, BuildError> {
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut statics: BTreeMap<String, Source> = BTreeMap::new();
        let mut problems = Vec::new();

        for (name, bytes) in DEFAULT_THEME {
            if let Some(t) = name.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(bytes).into_owned();
                templates.insert(
                    t.to_string(),
                    (format!("(built-in theme) templates/{t}"), text),
                );
            } else if let Some(s) = name.strip_prefix("static/") {
                statics.insert(s.to_string(), Source::Builtin(bytes));
            }
        }
        let theme_dir = root.join("themes").join(theme);
        if theme_dir.is_dir() {
            read_dir_into(&theme_dir.join("templates"), &mut templates, &mut problems);
            collect_files(&theme_dir.join("static"), &mut statics);
        } else if let Some(d) = missing(root, theme) {
            return Err(BuildError::Content(vec![d]));
        }
        read_dir_into(&root.join("templates"), &mut templates, &mut problems);
        collect_files(&root.join("static"), &mut statics);
        if !problems.is_empty() {
            return Err(BuildError::Content(problems));
        }

        let mut tera = Tera::default();
        // Tera's own escaper also turns `/` into `&#x2F;`, which bloats
        // every URL.
        tera.set_escape_fns(crate::escape::html, crate::escape::html_into);
        let sources = TemplateSources::new(templates);
        tera.add_raw_templates(sources.texts())
            .map_err(|e| sources.error(&e))?;
        let static_files = statics
            .into_iter()
            .map(|(k, v)| {
                let content = match v {
                    Source::Builtin(b) => Content::Bytes(b.to_vec()),
                    Source::File(p) => Content::Copy(p),
                };
                (k, content)
            })
            .collect();
        let committee_templates = tera
            .get_template_names()
            .filter(|n| n.contains('/'))
            .map(str::to_string)
            .collect();
        Ok(Theme {
            tera,
            sources,
            committee_templates,
            static_files,
        })
    }

    /// A render error as `path:line: message`.
    pub fn error(&self, e: &tera::Error) -> BuildError {
        self.sources.error(e)
    }

    /// The template to use for `name`, preferring a committee's own override
    /// (`templates/<committee>/<name>`).
    pub fn pick(&self, committee: Option<&str>, name: &'static str) -> String {
        if let Some(slug) = committee
            && !self.committee_templates.is_empty()
        {
            let own = format!("{slug}/{name}");
            if self.committee_templates.contains(&own) {
                return own;
            }
        }
        name.to_string()
    }
}

/// The problem with config.toml's `theme` when it names no theme folder.
pub fn missing(root: &Path, theme: &str) -> Option<Diagnostic> {
    let theme_dir = root.join("themes").join(theme);
    if theme == "default" || theme_dir.is_dir() {
        return None;
    }
    let config = root.join("config.toml");
    let line = std::fs::read_to_string(&config)
        .map(|text| crate::load::toml_file::line_of_key(&text, "theme", 1))
        .unwrap_or(1);
    Some(Diagnostic::new(
        config,
        line,
        format!(
            "theme {theme:?} not found: there is no folder {}",
            theme_dir.display()
        ),
    ))
}

/// Files below `dir` by their `/`-separated relative name, hidden ones skipped.
fn files_below(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let name = rel.to_string_lossy().replace('\\', "/");
            (!name.split('/').any(|p| p.starts_with('.'))).then(|| (name, e.into_path()))
        })
        .collect()
}

fn read_dir_into(
    dir: &Path,
    into: &mut BTreeMap<String, (String, String)>,
    problems: &mut Vec<Diagnostic>,
) {
    for (name, path) in files_below(dir) {
        match crate::load::read_text(&path) {
            Ok(text) => {
                into.insert(name, (path.display().to_string(), text));
            }
            Err(d) => problems.push(d),
        }
    }
}

fn collect_files(dir: &Path, into: &mut BTreeMap<String, Source>) {
    for (name, path) in files_below(dir) {
        into.insert(name, Source::File(path));
    }
}
