//! The build pipeline: load → check → render → search index → write.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::Config;
use crate::error::{BuildError, Diagnostic};
use crate::model::Site;
use crate::output::{NullOutput, Sink, StagedOutput};
use crate::render::Renderer;
use crate::render::theme::Theme;
use crate::site_index::SiteIndex;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder, holding config.toml and content/.
    pub root: PathBuf,
    /// Overrides `output_dir` from config.toml.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from config.toml.
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub written: usize,
    pub removed: usize,
}

/// Progress lines on a terminal; nothing in CI or when piped.
pub struct Progress {
    on: bool,
    start: Instant,
}

impl Progress {
    pub fn new() -> Self {
        Progress {
            on: std::io::stderr().is_terminal(),
            start: Instant::now(),
        }
    }

    pub fn quiet() -> Self {
        Progress {
            on: false,
            start: Instant::now(),
        }
    }

    pub fn step(&self, what: &str) {
        if self.on {
            eprintln!("[{:>6.2}s] {what}", self.start.elapsed().as_secs_f64());
        }
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}

/// Reads config.toml, applying command-line overrides.
pub fn load_config(opts: &BuildOptions) -> Result<Config, BuildError> {
    let mut config = Config::load(&opts.root).map_err(|d| BuildError::Content(vec![d]))?;
    if let Some(url) = &opts.base_url {
        let text = format!("title = \"x\"\nbase_url = {}\n", toml_string(url));
        let parsed = Config::parse(Path::new("--base-url"), &text)
            .map_err(|d| BuildError::Content(vec![Diagnostic::file("--base-url", d.message)]))?;
        config.base_url = parsed.base_url;
    }
    Ok(config)
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Loads and checks the site.
pub fn load(opts: &BuildOptions) -> Result<Site, BuildError> {
    let config = load_config(opts)?;
    crate::load::load_site_with(&opts.root, config)
}

/// Renders every output file of `site` into `sink`. Returns the page count.
pub fn render_site(
    site: &Site,
    root: &Path,
    sink: &dyn Sink,
    progress: &Progress,
) -> Result<usize, BuildError> {
    let theme = Theme::load(root, &site.config.theme)?;
    let idx = SiteIndex::new(site);
    let renderer = Renderer::new(&idx, &theme);
    let jobs = renderer.all_jobs();
    progress.step(&format!("rendering {} pages", jobs.len()));
    renderer.render_jobs(&jobs, sink)?;
    crate::render::copy_files(site, &theme, sink)?;
    crate::search::build(site, &idx, root, sink, progress)?;
    Ok(jobs.len())
}

pub fn output_dir(opts: &BuildOptions, config: &Config) -> PathBuf {
    match &opts.output {
        Some(o) => o.clone(),
        None if config.output_dir.is_absolute() => config.output_dir.clone(),
        None => opts.root.join(&config.output_dir),
    }
}

/// `protokol build`: everything renders first; only then are changed files
/// moved into the output folder and stale ones removed.
pub fn build(opts: &BuildOptions, progress: &Progress) -> Result<BuildReport, BuildError> {
    progress.step("loading content");
    let site = load(opts)?;
    let out = output_dir(opts, &site.config);
    let staged = StagedOutput::new(&out)?;
    let pages = match render_site(&site, &opts.root, &staged, progress) {
        Ok(n) => n,
        Err(e) => {
            staged.abort();
            return Err(e);
        }
    };
    progress.step("writing changed files");
    let (written, removed) = staged.commit()?;
    Ok(BuildReport {
        pages,
        written,
        removed,
    })
}

/// `protokol check`: loads and renders everything, writes nothing.
pub fn check(opts: &BuildOptions, progress: &Progress) -> Result<BuildReport, BuildError> {
    progress.step("loading content");
    let site = load(opts)?;
    let pages = render_site(&site, &opts.root, &NullOutput, progress)?;
    Ok(BuildReport {
        pages,
        ..Default::default()
    })
}
