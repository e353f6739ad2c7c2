//! `protokol serve`: builds the site into memory, serves it on 127.0.0.1,
//! rebuilds what changed when files are saved, and reloads open pages.
//! Problems in the content are shown on every page as an overlay while the
//! last good site stays online.

pub mod http;
pub mod inject;
pub mod state;

use std::io::Write;
use std::sync::Arc;

use crate::build::{BuildOptions, Progress};
use crate::error::BuildError;
use crate::incremental::Engine;
use crate::serve::state::Shared;
use crate::watch::SiteWatcher;
use crate::watch::rebuild::{describe, rebuild_on_change};

/// Threads answering requests; event streams get threads of their own.
const WORKERS: usize = 4;

#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    pub site: BuildOptions,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in the default browser once it is built.
    pub open: bool,
}

pub fn serve(opts: ServeOptions, progress: &Progress) -> Result<(), BuildError> {
    // Only this machine: a dev server has no business on the network.
    let server = tiny_http::Server::http(("127.0.0.1", opts.port))
        .map_err(|e| BuildError::Other(format!("cannot listen on 127.0.0.1:{}: {e}", opts.port)))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or_else(|| BuildError::Other("the server has no IP address".into()))?;
    let url = format!("http://127.0.0.1:{port}/");

    let mut site = opts.site.clone();
    // Links on served pages lead to this server, not to the published site.
    if site.base_url.is_none() {
        site.base_url = Some(format!("http://127.0.0.1:{port}"));
    }
    let shared = Arc::new(Shared::default());
    let mut engine = Engine::new(site);
    let mut target = shared.files.clone();
    // Watch before the first build, so that a file saved while it runs (or
    // right after the server answers) is not missed.
    let mut watcher = SiteWatcher::new(engine.root())
        .map_err(|e| BuildError::Other(format!("cannot watch the site folder: {e}")))?;
    progress.step("building the site");
    match engine.build_all(&mut target) {
        Ok(report) => {
            let lang = engine.site().map(|s| s.config.language).unwrap_or_default();
            shared.built(lang, true);
            eprintln!("{}", describe(&report));
        }
        Err(e) => {
            eprintln!("{e}");
            shared.failed(e.to_string());
        }
    }
    release_memory();

    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                http::handle(&shared, request, port);
            }
        });
    }
    // Tests and scripts read this line for the address.
    println!("Serving at {url}");
    let _ = std::io::stdout().flush();
    if opts.open {
        open_browser(&url);
    }

    eprintln!(
        "Watching {} for changes (Ctrl-C stops)",
        watcher.root().display()
    );
    rebuild_on_change(
        &mut watcher,
        &mut engine,
        &mut target,
        &mut |engine, result| match result {
            Ok(report) => {
                let lang = engine.site().map(|s| s.config.language).unwrap_or_default();
                shared.built(lang, report.written + report.removed > 0);
                eprintln!("{}", describe(&report));
                if report.full || !report.rebuilt_stages.is_empty() {
                    release_memory();
                }
            }
            Err(e) => {
                eprintln!("{e}");
                shared.failed(e.to_string());
            }
        },
    );
    Err(BuildError::Other("watching the site folder stopped".into()))
}

/// Gives the memory a full build or search run freed back to the system.
/// The server runs for hours: without this the freed memory of the
/// rendering threads, which sit idle between builds, stays with the
/// process (on a 100,000-item archive, a third of its size).
fn release_memory() {
    // Each thread's heap is its own: ask every rendering thread.
    // SAFETY: mi_collect only returns the calling thread's free pages.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    unsafe { libmimalloc_sys::mi_collect(true) };
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("cannot open a browser ({program}: {e}); open {url} yourself");
    }
}
