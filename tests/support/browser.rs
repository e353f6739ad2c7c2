//! Browser checks for integration tests: axe-core accessibility audits and
//! other node scripts in headless Chromium (tests/browser/*.mjs).
//!
//! Include it from an integration test with
//!
//! ```ignore
//! #[path = "support/browser.rs"]
//! mod browser;
//!
//! #[test]
//! fn meeting_page_is_accessible() {
//!     let Some(tools) = browser::browser_tools() else { return };
//!     let site = build_site_somewhere(); // a directory with the generated HTML
//!     if let Err(report) = tools.run_axe(&site, &["/", "/hovedudvalget/2025-03-04/"]) {
//!         panic!("{report}");
//!     }
//! }
//! ```
//!
//! Needs node, Chromium (`/usr/bin/chromium`, or `$CHROMIUM_PATH`) and
//! `npm ci --prefix tests/browser`. When something is missing the test is
//! skipped with one loud `SKIP:` line on stderr, except under CI=true, where
//! it panics: CI must never silently skip the browser checks.
//!
//! Only std: no crate dependencies.

#![allow(dead_code)]

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One browser at a time per test binary: the machines have 2 cores, and
/// several Chromiums side by side make timing-sensitive checks flaky.
static BROWSER_LOCK: Mutex<()> = Mutex::new(());

/// Default limit for one node script run; override with `BROWSER_TEST_TIMEOUT_SECS`.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// Everything needed to run the scripts in tests/browser.
#[derive(Debug, Clone)]
pub struct BrowserTools {
    /// The node executable.
    pub node: PathBuf,
    /// The Chromium executable the scripts launch.
    pub chromium: PathBuf,
    /// `<crate>/tests/browser`: the scripts and their `node_modules`.
    pub dir: PathBuf,
}

/// `<crate>/tests/browser`.
pub fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("browser")
}

/// Finds node, Chromium and `tests/browser/node_modules`.
///
/// Missing any of them: prints one `SKIP:` line to stderr and returns `None`,
/// or panics when the environment variable CI is "true".
pub fn browser_tools() -> Option<BrowserTools> {
    let dir = browser_dir();
    let node = PathBuf::from(std::env::var_os("NODE").unwrap_or_else(|| "node".into()));
    let chromium = PathBuf::from(
        std::env::var_os("CHROMIUM_PATH").unwrap_or_else(|| "/usr/bin/chromium".into()),
    );

    let mut missing = Vec::new();
    let node_runs = Command::new(&node)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !node_runs {
        missing.push(format!("node ({})", node.display()));
    }
    if !chromium.is_file() {
        missing.push(format!("chromium ({})", chromium.display()));
    }
    for module in ["playwright-core", "axe-core"] {
        let p = dir.join("node_modules").join(module).join("package.json");
        if !p.is_file() {
            missing.push(format!("tests/browser/node_modules/{module}"));
        }
    }

    if missing.is_empty() {
        return Some(BrowserTools {
            node,
            chromium,
            dir,
        });
    }

    let test = std::thread::current()
        .name()
        .unwrap_or("browser test")
        .to_string();
    let msg = format!(
        "{test}: browser tests need chromium and node_modules (run .ci/run or: \
         apt-get install chromium chromium-driver && npm ci --prefix tests/browser); \
         missing: {}",
        missing.join(", ")
    );
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true and browser tools are missing, refusing to skip: {msg}");
    }
    // Straight to the stderr handle: eprintln! would be swallowed by the test
    // harness's output capture for a passing test, and a skip must be seen.
    let _ = writeln!(std::io::stderr(), "SKIP: {msg}");
    None
}

impl BrowserTools {
    /// Path of a script in tests/browser (`name` may also be absolute).
    pub fn script(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Runs `node axe.mjs <site_dir> <paths>...`: axe-core WCAG 2.0/2.1 A+AA
    /// rules, a 320px reflow check, console errors and failed requests.
    ///
    /// `paths` are URL paths such as `"/"` or `"/hovedudvalget/2025-03-04/"`.
    /// Returns `Err(report)` with the readable report when anything failed, or
    /// when the harness itself could not run.
    pub fn run_axe(&self, site_dir: &Path, paths: &[&str]) -> Result<(), String> {
        self.run_axe_with(site_dir, paths, &[])
    }

    /// Like [`run_axe`](Self::run_axe) with extra axe.mjs options, e.g.
    /// `["--color-scheme=both"]` or `["--disable=region"]`.
    pub fn run_axe_with(
        &self,
        site_dir: &Path,
        paths: &[&str],
        options: &[&str],
    ) -> Result<(), String> {
        if paths.is_empty() {
            return Err("run_axe: no url paths given".to_string());
        }
        let mut args: Vec<&OsStr> = options.iter().map(OsStr::new).collect();
        args.push(site_dir.as_os_str());
        args.extend(paths.iter().map(OsStr::new));
        let out = self.run_node(Path::new("axe.mjs"), &args);
        if out.status.success() {
            return Ok(());
        }
        Err(failure_report(
            &format!("axe check of {} failed", site_dir.display()),
            &out,
        ))
    }

    /// Full-page PNG screenshot of one page, for a human to look at.
    pub fn screenshot(
        &self,
        site_dir: &Path,
        path: &str,
        out_png: &Path,
        width: u32,
    ) -> Result<(), String> {
        let width = width.to_string();
        let args = [
            site_dir.as_os_str(),
            OsStr::new(path),
            out_png.as_os_str(),
            OsStr::new(&width),
        ];
        let out = self.run_node(Path::new("screenshot.mjs"), &args);
        if out.status.success() {
            Ok(())
        } else {
            Err(failure_report(
                &format!("screenshot of {path} failed"),
                &out,
            ))
        }
    }

    /// Runs `node <script> <args>...`; a relative `script` is taken relative
    /// to tests/browser. Waits for any other browser run of this test binary
    /// first, and kills the script after `BROWSER_TEST_TIMEOUT_SECS` (default
    /// 600 s), noting that in its stderr.
    pub fn run_node(&self, script: &Path, args: &[&OsStr]) -> Output {
        let _guard = BROWSER_LOCK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut cmd = Command::new(&self.node);
        cmd.arg(self.dir.join(script))
            .args(args)
            .env("CHROMIUM_PATH", &self.chromium)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let timeout = std::env::var("BROWSER_TEST_TIMEOUT_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .map_or(DEFAULT_TIMEOUT, Duration::from_secs);
        run_with_timeout(cmd, timeout)
    }
}

fn failure_report(headline: &str, out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The last stdout line is the machine-readable JSON; keep the message readable.
    let readable: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.trim_start().starts_with('{'))
        .collect();
    let mut report = format!("{headline} ({}):\n", describe_status(out.status));
    report.push_str(&readable.join("\n"));
    if !stderr.trim().is_empty() {
        report.push_str("\n--- stderr ---\n");
        report.push_str(stderr.trim_end());
    }
    report
}

fn describe_status(status: ExitStatus) -> String {
    match status.code() {
        Some(1) => "exit 1: checks failed".to_string(),
        Some(2) => "exit 2: usage or harness error".to_string(),
        Some(c) => format!("exit {c}"),
        None => format!("{status}"),
    }
}

fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Output {
    let program: OsString = cmd.get_program().to_os_string();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Output {
                status: failed_status(),
                stdout: Vec::new(),
                stderr: format!("could not start {}: {e}", Path::new(&program).display())
                    .into_bytes(),
            };
        }
    };
    // Drain both pipes on threads so a chatty script cannot block on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out_thread = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err_thread = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );

    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().unwrap_or_else(|_| failed_status());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(_) => break failed_status(),
        }
    };
    let stdout = out_thread.join().unwrap_or_default();
    let mut stderr = err_thread.join().unwrap_or_default();
    if timed_out {
        stderr.extend_from_slice(
            format!(
                "\nkilled after {} s (BROWSER_TEST_TIMEOUT_SECS)\n",
                timeout.as_secs()
            )
            .as_bytes(),
        );
    }
    Output {
        status,
        stdout,
        stderr,
    }
}

/// A non-success `ExitStatus` (exit code 1) for when the script could not run.
#[cfg(unix)]
fn failed_status() -> ExitStatus {
    use std::os::unix::process::ExitStatusExt;
    ExitStatus::from_raw(1 << 8)
}

#[cfg(windows)]
fn failed_status() -> ExitStatus {
    use std::os::windows::process::ExitStatusExt;
    ExitStatus::from_raw(1)
}
