//! The build pipeline: load → check → render → search index → write.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{BuildError, Diagnostic};
use crate::model::Site;
use crate::output::manifest::Manifest;
use crate::output::{MARKER, NullOutput, Sink, StagedOutput};
use crate::render::theme::Theme;
use crate::site_index::SiteIndex;
use crate::stage::StageInput;

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
    /// Pages rendered; 0 when the build was skipped because nothing changed.
    pub pages: usize,
    /// Output files the site has, changed or not.
    pub files: usize,
    pub written: usize,
    pub removed: usize,
}

/// Progress lines on a terminal; nothing in CI or when piped.
pub struct Progress {
    on: bool,
    start: Instant,
    /// Set when newer changes make a long run pointless (`serve`).
    stop: Option<Arc<AtomicBool>>,
}

impl Progress {
    pub fn new() -> Self {
        Progress {
            on: std::io::stderr().is_terminal() || std::env::var_os("PROTOKOL_PROGRESS").is_some(),
            start: Instant::now(),
            stop: None,
        }
    }

    pub fn quiet() -> Self {
        Progress {
            on: false,
            start: Instant::now(),
            stop: None,
        }
    }

    /// Quiet, and [`should_stop`](Self::should_stop) once `stop` is set.
    pub fn stoppable(stop: Arc<AtomicBool>) -> Self {
        Progress {
            stop: Some(stop),
            ..Progress::quiet()
        }
    }

    /// Whether a long step should give up (and return
    /// [`BuildError::Interrupted`]) because newer changes wait.
    pub fn should_stop(&self) -> bool {
        self.stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
    }

    pub fn step(&self, what: &str) {
        if self.on {
            eprintln!("[{:>6.2}s] {what}", self.start.elapsed().as_secs_f64());
        }
    }
}

/// Counts files as they reach the sink, and shows the count on a terminal.
pub struct Counted<'a> {
    inner: &'a dyn Sink,
    progress: &'a Progress,
    total: usize,
    done: AtomicUsize,
}

impl<'a> Counted<'a> {
    /// Counts the `total` pages a stage is about to put into `inner`.
    pub fn new(inner: &'a dyn Sink, progress: &'a Progress, total: usize) -> Self {
        Counted {
            inner,
            progress,
            total,
            done: AtomicUsize::new(0),
        }
    }
}

impl Sink for Counted<'_> {
    fn put(&self, path: String, content: crate::output::Content) -> Result<(), BuildError> {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.progress.on && (n.is_multiple_of(5000) || n == self.total) {
            eprint!(
                "\r[{:>6.2}s] rendered {n} of {} pages",
                self.progress.start.elapsed().as_secs_f64(),
                self.total
            );
            if n == self.total {
                eprintln!();
            }
        }
        self.inner.put(path, content)
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}

/// Reads config.toml, applying command-line overrides.
/// A broken config.toml does not hide the content's problems: they are
/// checked with default settings and reported together.
pub fn load_config(opts: &BuildOptions) -> Result<Config, BuildError> {
    let mut config = match Config::load(&opts.root) {
        Ok(c) => c,
        Err(mut problems) => {
            if let Err(BuildError::Content(more)) =
                crate::load::load_site_with(&opts.root, Config::fallback())
            {
                problems.extend(more);
            }
            problems.sort();
            problems.dedup();
            return Err(BuildError::Content(problems));
        }
    };
    if let Some(url) = &opts.base_url {
        let text = format!("title = \"x\"\nbase_url = {}\n", toml_string(url));
        let parsed = Config::parse(Path::new("--base-url"), &text).map_err(|list| {
            BuildError::Content(
                list.into_iter()
                    .map(|d| Diagnostic::file("--base-url", d.message))
                    .collect(),
            )
        })?;
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
/// `scratch`: see [`StageInput::scratch`].
pub fn render_site(
    site: &Site,
    root: &Path,
    scratch: Option<&Path>,
    sink: &dyn Sink,
    progress: &Progress,
) -> Result<usize, BuildError> {
    let theme = Theme::load(root, &site.config.theme)?;
    let idx = SiteIndex::new(site);
    let input = StageInput {
        site,
        idx: &idx,
        theme: &theme,
        root,
        progress,
        scratch,
    };
    let mut stages = crate::stage::stages(site.config.outputs, false);
    let pages = crate::stage::side_by_side(&mut stages, |stage| stage.build(&input, sink))?;
    Ok(pages.iter().sum())
}

/// The output folder, absolute and with `.` and `..` worked out as
/// written: `missing/../content` is `content`, whether `missing` exists or
/// not. A folder of the site's sources, or one that holds them, is
/// refused: a build empties what it does not produce.
pub fn output_dir(opts: &BuildOptions, config: &Config) -> Result<PathBuf, BuildError> {
    let out = match &opts.output {
        Some(o) => o.clone(),
        None if config.output_dir.is_absolute() => config.output_dir.clone(),
        None => opts.root.join(&config.output_dir),
    };
    let out = crate::output::lexical_absolute(&out);
    // Compared as written and with links followed: `link-to-content/x` is
    // inside content/ too.
    let real_out = crate::output::resolved(&out);
    let root = crate::output::lexical_absolute(&opts.root);
    let overlap = |a: &Path, b: &Path| a.starts_with(b) || b.starts_with(a);
    for source in ["content", "templates", "themes", "static", "config.toml"] {
        let source = root.join(source);
        if overlap(&out, &source) || overlap(&real_out, &crate::output::resolved(&source)) {
            return Err(BuildError::Other(format!(
                "{}: refusing to write the site here: the output folder would hold or be inside {}, which the site is built from. Choose another output folder.",
                out.display(),
                source.display()
            )));
        }
    }
    Ok(out)
}

/// A fingerprint of everything a build reads: the site's files (by path,
/// size and modification time), the command-line overrides, and the
/// protokol binary itself. Equal fingerprints mean equal output.
pub fn input_fingerprint(opts: &BuildOptions, out: &Path) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut add = |s: &[u8]| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s);
    };
    add(env!("CARGO_PKG_VERSION").as_bytes());
    add(format!("{:?} {:?}", opts.base_url, out).as_bytes());
    // Taken before any input is read, so that a file saved during the
    // build is seen by the next one. Statting 100,000 files is worth
    // doing on every core.
    // A link is stamped with what it points at too: pointed elsewhere, it
    // reads other files, whatever their times.
    let stamp = |(p, link): &(PathBuf, bool)| -> Option<String> {
        let m = std::fs::metadata(p).ok()?;
        let mtime = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        let target = link.then(|| std::fs::read_link(p).ok()).flatten();
        Some(format!(
            "{} {} {:?} {:?}",
            p.display(),
            m.len(),
            mtime,
            target
        ))
    };
    let mut paths: Vec<(PathBuf, bool)> = std::env::current_exe()
        .into_iter()
        .map(|p| (p, false))
        .collect();
    paths.push((opts.root.join("config.toml"), false));
    // The loader follows links to committee and meeting folders (and
    // anywhere below): an edit behind one must change the fingerprint.
    let stamps: Vec<Option<String>> = crate::load::reading(|| {
        for dir in ["content", "templates", "themes", "static"] {
            paths.extend(walk_tree(&opts.root.join(dir)));
        }
        paths.par_iter().map(stamp).collect()
    });
    for s in stamps.iter().flatten() {
        add(s.as_bytes());
    }
    format!("{:032x}", h.digest128())
}

/// Every path below `dir` and whether it is a link, in a sorted walk's
/// order. Its folders are walked side by side: on a cold cache each
/// folder read is a wait on the disk.
fn walk_tree(dir: &Path) -> Vec<(PathBuf, bool)> {
    let walk = |p: &Path| {
        walkdir::WalkDir::new(p)
            .follow_links(true)
            .sort_by_file_name()
    };
    let entry = |e: walkdir::DirEntry| {
        let link = e.path_is_symlink();
        (e.into_path(), link)
    };
    let top: Vec<walkdir::DirEntry> = walk(dir).max_depth(1).into_iter().flatten().collect();
    top.into_par_iter()
        .map(|e| {
            let below = (e.depth() == 1 && e.file_type().is_dir()).then(|| e.path().to_path_buf());
            let mut paths = vec![entry(e)];
            if let Some(sub) = below {
                paths.extend(walk(&sub).min_depth(1).into_iter().flatten().map(entry));
            }
            paths
        })
        .collect::<Vec<_>>()
        .concat()
}

/// `protokol build`: everything renders first; only then are changed files
/// moved into the output folder and stale ones removed. When no input
/// changed since the last build into the same folder, and its files are
/// all there at the sizes written, nothing is done.
pub fn build(opts: &BuildOptions, progress: &Progress) -> Result<BuildReport, BuildError> {
    let config = load_config(opts)?;
    let out = output_dir(opts, &config)?;
    let fingerprint = input_fingerprint(opts, &out);
    let last = Manifest::load(&out);
    if let Some(last) = &last
        && last.fingerprint == fingerprint
        && out.join(MARKER).is_file()
        && last.intact(&out)
    {
        progress.step("nothing changed since the last build");
        return Ok(BuildReport {
            files: last.files.len(),
            ..Default::default()
        });
    }
    progress.step("loading content");
    let site = crate::load::load_site_with(&opts.root, config)?;
    let staged = StagedOutput::with_manifest(&out, last)?;
    let pages = match render_site(&site, &opts.root, None, &staged, progress) {
        Ok(n) => n,
        Err(e) => {
            staged.abort();
            return Err(e);
        }
    };
    // Freeing the model of a large archive takes a core a tenth of a
    // second: done beside the commit rather than after it.
    std::thread::spawn(move || drop(site));
    progress.step("writing changed files");
    let (files, written, removed) = staged.commit(&fingerprint)?;
    Ok(BuildReport {
        pages,
        files,
        written,
        removed,
    })
}

/// `protokol check`: loads and renders everything, writes nothing.
pub fn check(opts: &BuildOptions, progress: &Progress) -> Result<BuildReport, BuildError> {
    progress.step("loading content");
    let site = load(opts)?;
    let sink = NullOutput::default();
    // Removed on return: `check` leaves the site as it found it.
    let scratch = tempfile::tempdir().map_err(|e| BuildError::io(&std::env::temp_dir(), e))?;
    let pages = render_site(&site, &opts.root, Some(scratch.path()), &sink, progress)?;
    sink.finish()?;
    Ok(BuildReport {
        pages,
        ..Default::default()
    })
}

/// mimalloc asks for transparent huge pages on its arenas, and the kernel
/// then zeroes a whole 2 MB page at the first touch of each: at 100k items
/// that cost a build ~1 s of CPU (6% of it) for pages the heap barely
/// fills. Small pages measured faster (bench/results/build.md). For the
/// process's start, before the heap grows.
#[cfg(target_os = "linux")]
pub fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE only sets a flag on this process; it
    // reads no memory of ours.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
pub fn no_huge_pages() {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fingerprint must see every file the loader reads, links
    /// followed, in a stable order, however the walk is split.
    #[cfg(unix)]
    #[test]
    fn the_walk_in_parallel_lists_what_a_sorted_walk_does() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        for f in [
            "b/2024-01-02/01-a.md",
            "b/2024-01-02/02-b.md",
            "b/committee.toml",
            "a/2023-05-06/01-c.md",
            "a/committee.toml",
            "pages/om.md",
            "z.txt",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, f).unwrap();
        }
        let outside = dir.path().join("elsewhere/2022-01-01");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("01-d.md"), "d").unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), root.join("c")).unwrap();

        let sorted: Vec<(PathBuf, bool)> = walkdir::WalkDir::new(&root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .map(|e| (e.path().to_path_buf(), e.path_is_symlink()))
            .collect();
        let parallel = walk_tree(&root);
        assert_eq!(parallel, sorted);
        assert!(parallel.contains(&(root.join("c"), true)));
        assert!(parallel.contains(&(root.join("c/2022-01-01/01-d.md"), false)));
        assert_eq!(parallel.len(), 16);
    }
}
