//! Problems found in a site's files, reported as `path:line: message`.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one file. `line` is 1-based; 0 means the file as a
/// whole, which is shown as line 1: editors and CI logs match every
/// message by `path:line:`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    /// A problem with a file as a whole (missing, unreadable, badly named).
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(path, 0, message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = self.line.max(1);
        write!(f, "{}:{line}: {}", self.path.display(), self.message)
    }
}

/// Every problem a build found. A build stops before writing anything when
/// this is non-empty, so users see all their mistakes in one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sorted and deduplicated, so that parallel loading reports in a stable order.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort();
        self.0.dedup();
        self.0
    }

    /// `Ok(value)` when nothing was reported.
    pub fn into_result<T>(self, value: T) -> Result<T, BuildError> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(BuildError::Content(self.into_sorted()))
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// Why a build failed.
#[derive(Debug)]
pub enum BuildError {
    /// The content or theme has problems; each one names its file and line.
    Content(Vec<Diagnostic>),
    /// The machine failed us: a folder could not be written, and so on.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Something else that is not tied to one content file.
    Other(String),
    /// A run that [`Progress::should_stop`](crate::build::Progress) ended
    /// early, because newer changes came in.
    Interrupted,
    /// Moving the changed files into the output folder failed after some
    /// were moved: the folder is part old, part new until the next build.
    PartlyWritten(Box<BuildError>),
}

impl BuildError {
    pub fn io(path: &Path, error: std::io::Error) -> Self {
        BuildError::Io {
            path: path.to_path_buf(),
            error,
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Content(list) => {
                for d in list {
                    writeln!(f, "{d}")?;
                }
                let n = list.len();
                write!(f, "{n} problem{} found", if n == 1 { "" } else { "s" })
            }
            BuildError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            BuildError::Other(msg) => f.write_str(msg),
            BuildError::Interrupted => f.write_str("interrupted by newer changes"),
            BuildError::PartlyWritten(e) => write!(
                f,
                "{e}\nThe output folder was partly updated when this happened; the next build completes it."
            ),
        }
    }
}

impl std::error::Error for BuildError {}

/// 1-based line of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
