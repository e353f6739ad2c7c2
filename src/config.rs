//! `config.toml`: the site's settings.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Diagnostic;
use crate::load::toml_file;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum Language {
    #[default]
    #[serde(rename = "da")]
    Danish,
    #[serde(rename = "en")]
    English,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Danish => "da",
            Language::English => "en",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    /// Required, but checked after parsing: serde's "missing field" has
    /// no line, and would be pinned on whatever key line 1 holds.
    title: Option<String>,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    language: Language,
    #[serde(default)]
    content_language: Language,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    output_dir: Option<String>,
    #[serde(default)]
    outputs: Outputs,
}

/// `[outputs]`: the parts of the site besides its pages, each on by
/// default. A host that caps file counts, or a build that only needs the
/// pages, turns some off; the pages then leave out their links to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Outputs {
    /// The static search index, the search page and the search box.
    pub search: bool,
    /// Atom feeds and iCalendar calendars (the sitemap is always written).
    pub feeds: bool,
    /// The OParl 1.1 export under `/oparl/v1/`.
    pub oparl: bool,
}

impl Default for Outputs {
    fn default() -> Outputs {
        Outputs {
            search: true,
            feeds: true,
            oparl: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Absolute base URL without a trailing slash, e.g. `https://example.dk/referater`.
    pub base_url: String,
    /// The language of the interface.
    pub language: Language,
    /// The language the minutes are written in: a Danish municipality's
    /// stay Danish under an English interface.
    pub content_language: Language,
    pub theme: String,
    pub output_dir: PathBuf,
    pub outputs: Outputs,
}

impl Config {
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join("config.toml");
        let text = crate::load::read_text(&path).map_err(|d| vec![d])?;
        Self::parse(&path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = toml_file::parse(path, text, 1)?;
        let missing = raw.title.is_none();
        let Some(title) = raw.title.filter(|t| !t.trim().is_empty()) else {
            let line = toml_file::line_of_key(text, "title", 1);
            let message = if missing {
                "missing `title`: the site needs one, as in title = \"Testby Kommune\""
            } else {
                "`title` must not be empty"
            };
            return Err(vec![Diagnostic::new(path, line, message)]);
        };
        let base_url = raw
            .base_url
            .unwrap_or_else(|| "http://localhost".to_string());
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            let line = toml_file::line_of_key(text, "base_url", 1);
            return Err(vec![Diagnostic::new(
                path,
                line,
                format!("`base_url` must start with https:// or http://, not {base_url:?}"),
            )]);
        }
        Ok(Config {
            title,
            base_url: base_url.trim_end_matches('/').to_string(),
            language: raw.language,
            content_language: raw.content_language,
            theme: raw.theme.unwrap_or_else(|| "default".to_string()),
            output_dir: PathBuf::from(raw.output_dir.unwrap_or_else(|| "public".to_string())),
            outputs: raw.outputs,
        })
    }

    /// Settings to check a site's content with while its config.toml is
    /// broken, so that one run still reports every problem.
    pub fn fallback() -> Config {
        Config {
            title: String::new(),
            base_url: "http://localhost".into(),
            language: Language::default(),
            content_language: Language::default(),
            theme: "default".into(),
            output_dir: PathBuf::from("public"),
            outputs: Outputs::default(),
        }
    }

    /// The `lang` of the elements that show content: none when the
    /// content is in the interface's language, as the page says already.
    pub fn content_lang(&self) -> Option<&'static str> {
        (self.content_language != self.language).then(|| self.content_language.code())
    }

    /// The path part of the base URL with slashes on both ends (`/` or
    /// `/referater/`): links on pages start with it, so that a site served
    /// from a sub-folder works.
    pub fn root_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, r)| r);
        match after_scheme.find('/') {
            Some(i) => format!("{}/", &after_scheme[i..].trim_end_matches('/')),
            None => "/".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_reported_with_its_line() {
        let err = Config::parse(
            Path::new("config.toml"),
            "title = \"x\"\n\ncolour = \"red\"\n",
        )
        .unwrap_err();
        assert_eq!(err[0].line, 3);
        assert!(err[0].message.contains("colour"), "{}", err[0].message);
    }

    #[test]
    fn a_missing_title_is_named_once() {
        let err = Config::parse(
            Path::new("config.toml"),
            "base_url = \"https://a.dk\"\nlanguage = \"da\"\n",
        )
        .unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert_eq!(err[0].line, 1);
        assert!(err[0].message.starts_with("missing `title`"), "{err:?}");
        assert!(!err[0].message.contains("base_url"), "{err:?}");
        let err = Config::parse(
            Path::new("c"),
            "base_url = \"https://a.dk\"\ntitle = \" \"\n",
        )
        .unwrap_err();
        assert_eq!(
            (err[0].line, err[0].message.as_str()),
            (2, "`title` must not be empty")
        );
    }

    #[test]
    fn outputs_default_on_and_reject_unknown_keys() {
        let c = Config::parse(Path::new("c"), "title = \"x\"\n").unwrap();
        assert_eq!(c.outputs, Outputs::default());
        let c = Config::parse(Path::new("c"), "title = \"x\"\n[outputs]\noparl = false\n").unwrap();
        assert!(!c.outputs.oparl && c.outputs.search && c.outputs.feeds);
        let err =
            Config::parse(Path::new("c"), "title = \"x\"\n[outputs]\npdf = true\n").unwrap_err();
        assert!(err[0].message.contains("pdf"), "{}", err[0].message);
    }

    #[test]
    fn root_path_follows_base_url() {
        let c = Config::parse(
            Path::new("c"),
            "title = \"x\"\nbase_url = \"https://a.dk/referater/\"\n",
        )
        .unwrap();
        assert_eq!(c.root_path(), "/referater/");
        assert_eq!(c.base_url, "https://a.dk/referater");
        let c = Config::parse(
            Path::new("c"),
            "title = \"x\"\nbase_url = \"https://a.dk\"\n",
        )
        .unwrap();
        assert_eq!(c.root_path(), "/");
    }
}
