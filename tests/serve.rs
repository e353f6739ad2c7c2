//! `protokol serve` end to end: the binary serves a site on 127.0.0.1,
//! follows edits, deletions and broken files, and tells open pages to
//! reload.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/search.rs"]
mod search_support;

// Generous: CI runs test binaries side by side on two cores.
const TIMEOUT: Duration = Duration::from_secs(90);

/// Kills the server when the test ends, also when it fails.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_protokol"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("protokol serve starts");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("Serving at http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .trim_end_matches('/');
    Server {
        child,
        addr: url.parse().expect("an address"),
    }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
    bytes: Vec<u8>,
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(raw.len(), |i| i + 4);
    let bytes = raw[split..].to_vec();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
        bytes,
    }
}

/// The served search index: its version, and the titles of its documents
/// as results show them (from the metadata bundles, which are gzip).
fn search_index(addr: SocketAddr) -> (String, usize, String) {
    let manifest = get(addr, "/soeg/indeks/manifest.json");
    assert_eq!(manifest.status, 200, "a search manifest");
    let m: serde_json::Value = serde_json::from_str(&manifest.body).expect("manifest JSON");
    let version = m["version"].as_str().expect("a version").to_string();
    let docs = m["docs"].as_u64().expect("docs") as usize;
    let bundle = m["bundle"].as_u64().expect("bundle") as usize;
    let mut text = String::new();
    for b in 0..docs.div_ceil(bundle) {
        let r = get(addr, &format!("/soeg/indeks/m-{version}-{b}.bin"));
        assert_eq!(r.status, 200, "metadata bundle {b}");
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&r.bytes[..])
            .read_to_end(&mut plain)
            .expect("gzip");
        text.push_str(&String::from_utf8_lossy(&plain));
    }
    (version, docs, text)
}

/// Polls the search index until `ok` holds for it.
fn wait_for_search(
    addr: SocketAddr,
    what: &str,
    ok: impl Fn(&(String, usize, String)) -> bool,
) -> (String, usize, String) {
    let start = Instant::now();
    loop {
        let index = search_index(addr);
        if ok(&index) {
            return index;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "the search index: {what} did not happen within {TIMEOUT:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The browser client (search.js, in node) searching the served site
/// again and again, as a visitor would, until every query shows what it
/// should (tests/search/served.mjs).
struct Searching {
    child: Child,
    _spec: tempfile::TempDir,
}

/// Starts searching: per query, a title some result must show and one
/// that no result may show. None (after a SKIP line) without node.
fn start_searching(addr: SocketAddr, queries: &[(&str, &str, &str)]) -> Option<Searching> {
    let node = search_support::node()?;
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.json");
    let queries: Vec<serde_json::Value> = queries
        .iter()
        .map(|(q, has, lacks)| serde_json::json!({"q": q, "has": has, "lacks": lacks}))
        .collect();
    let body = serde_json::json!({"timeout_ms": TIMEOUT.as_millis() as u64, "queries": queries});
    fs::write(&spec, body.to_string()).unwrap();
    let child = Command::new(node)
        .arg(search_support::crate_dir().join("tests/search/served.mjs"))
        .arg(format!("http://{addr}/"))
        .arg(&spec)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    Some(Searching { child, _spec: dir })
}

impl Searching {
    /// The first search that showed what it should: `{ms, version,
    /// delta, results}`.
    fn seen(self) -> serde_json::Value {
        let out = self.child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "the search client did not see it: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON from served.mjs")
    }
}

/// Polls `path` until `ok` holds for the reply; panics with the last one.
fn wait_for(addr: SocketAddr, path: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
    let start = Instant::now();
    loop {
        let reply = get(addr, path);
        if ok(&reply) {
            return reply;
        }
        if start.elapsed() > TIMEOUT {
            panic!(
                "{path}: {what} did not happen within {TIMEOUT:?}; last reply {}:\n{}",
                reply.status, reply.body
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn item(title: &str, case: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ncase = \"{case}\"\nroute = [\"HU\"]\n+++\n## Sagsfremstilling\nTekst om {title}.\n\n## Beslutning\nGodkendt.\n"
    )
}

fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    write(
        &root.join("config.toml"),
        "title = \"Testkommune\"\nbase_url = \"https://example.dk\"\n",
    );
    write(
        &root.join("content/hovedudvalget/committee.toml"),
        "name = \"Hovedudvalget\"\nshort = \"HU\"\n",
    );
    let m = root.join("content/hovedudvalget/2024-11-15");
    write(
        &m.join("meeting.toml"),
        "start = \"14:00\"\nstatus = \"minutes\"\n",
    );
    write(
        &m.join("01-budget.md"),
        &item("Budget 2025", "24/1").replace(
            "route = ",
            "attachments = [{ title = \"Budgetbilag\", file = \"budget.pdf\" }]\nroute = ",
        ),
    );
    // Larger than one read: served streamed, whole.
    fs::write(m.join("budget.pdf"), attachment_bytes()).unwrap();
    write(
        &m.join("02-cykelsti.md"),
        &item("Cykelsti i Auning", "24/2"),
    );
    (dir, root)
}

fn attachment_bytes() -> Vec<u8> {
    (0..3_000_000u32).map(|i| (i % 251) as u8).collect()
}

/// An address of this machine other than loopback, if it has one.
fn other_local_ip() -> Option<IpAddr> {
    let s = UdpSocket::bind("0.0.0.0:0").ok()?;
    // No packet is sent: connecting a UDP socket only picks a route.
    s.connect("192.0.2.1:9").ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[test]
fn serve_follows_edits_errors_and_deletions() {
    let (_dir, root) = site();
    let server = start(&root);
    let addr = server.addr;
    assert!(addr.ip().is_loopback(), "serve listens on {addr}");
    if let Some(ip) = other_local_ip() {
        let outside = SocketAddr::new(ip, addr.port());
        assert!(
            TcpStream::connect_timeout(&outside, Duration::from_secs(2)).is_err(),
            "serve must not be reachable on {outside}"
        );
    }

    let page = "/hovedudvalget/2024-11-15/01-budget/";
    let first = get(addr, page);
    assert_eq!(first.status, 200);
    assert!(
        first.body.contains("<h1>Budget 2025</h1>"),
        "{}",
        first.body
    );
    assert!(first.head.contains("text/html"));
    // The live-reload script is in served pages, before </body>.
    let script = first.body.find("data-protokol-serve").expect("script");
    assert!(script < first.body.rfind("</body>").unwrap());
    assert!(!first.body.contains("protokol-serve-error"));

    // Attachments come as they are, with their length.
    let pdf = get(addr, "/hovedudvalget/2024-11-15/budget.pdf");
    assert_eq!(pdf.status, 200);
    assert!(pdf.head.contains("application/pdf"), "{}", pdf.head);
    assert!(pdf.head.contains("Content-Length: 3000000"), "{}", pdf.head);
    assert!(pdf.bytes == attachment_bytes());

    // Folders without their slash redirect; unknown paths get the 404 page.
    let redirect = get(addr, "/hovedudvalget");
    assert_eq!(redirect.status, 301);
    assert!(redirect.head.contains("Location: /hovedudvalget/"));
    let missing = get(addr, "/findes-ikke/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html"), "the site's 404 page");

    // Open pages hear of every build on the event stream.
    let mut events = TcpStream::connect(addr).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        events,
        "GET /__protokol/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(events);
    let mut next_build = move || -> String {
        let mut line = String::new();
        loop {
            line.clear();
            events.read_line(&mut line).expect("an event");
            if let Some(g) = line.strip_prefix("data: ") {
                return g.trim().to_string();
            }
        }
    };
    let generation = next_build();
    let (version, docs, titles) = search_index(addr);
    assert!(titles.contains("Budget 2025"), "the search finds the item");

    // An edit shows up on the item page and on its meeting page...
    let searching = start_searching(
        addr,
        &[
            ("regnskab", "Regnskab 2025 og 2026", ""),
            ("budget", "", "Budget 2025"),
        ],
    );
    let item_path = root.join("content/hovedudvalget/2024-11-15/01-budget.md");
    write(&item_path, &item("Regnskab 2025 og 2026", "24/1"));
    wait_for(addr, page, "the new title", |r| {
        r.body.contains("<h1>Regnskab 2025 og 2026</h1>")
    });
    wait_for(addr, "/hovedudvalget/2024-11-15/", "the new title", |r| {
        r.body.contains("Regnskab 2025 og 2026")
    });
    assert_ne!(next_build(), generation, "a build event after the edit");
    // ...and in search at once: the client finds the new title and not the
    // old one. The old title is no longer public, so the search is
    // exported anew in the same rebuild as the pages (not left to a delta
    // beside the old export, whose files would still hold the old title).
    if let Some(searching) = searching {
        let seen = searching.seen();
        assert_ne!(seen["version"], version.as_str(), "{seen}");
        assert_eq!(seen["delta"], false, "{seen}");
    }
    let (_, _, titles) = wait_for_search(addr, "the new title", |(v, n, t)| {
        *v != version && *n == docs && t.contains("Regnskab 2025 og 2026")
    });
    assert!(
        !titles.contains("Budget 2025"),
        "the old title is gone: {titles}"
    );

    // A broken file: the overlay names it with its line; the last good
    // page stays.
    write(
        &item_path,
        "+++\ntitle = \"Budget\"\ncolour = \"red\"\n+++\nTekst.\n",
    );
    let broken = wait_for(addr, page, "the error overlay", |r| {
        r.body.contains("protokol-serve-error")
    });
    let location = format!("{}:3:", item_path.display());
    assert!(broken.body.contains(&location), "{}", broken.body);
    assert!(broken.body.contains("colour"));
    assert!(broken.body.contains("<h1>Regnskab 2025 og 2026</h1>"));
    let front = get(addr, "/");
    assert!(
        front.body.contains(&location),
        "the overlay is on every page"
    );

    // Fixed: the overlay goes, the fixed content is there.
    write(&item_path, &item("Budget rettet", "24/1"));
    wait_for(addr, page, "the overlay to go", |r| {
        !r.body.contains("protokol-serve-error") && r.body.contains("<h1>Budget rettet</h1>")
    });

    // A deleted item disappears, and with it its case page.
    let searching = start_searching(addr, &[("rettet", "", "Budget rettet")]);
    fs::remove_file(&item_path).unwrap();
    wait_for(addr, page, "the item to disappear", |r| r.status == 404);
    assert_eq!(get(addr, "/sager/24-1/").status, 404);
    assert_eq!(get(addr, "/sager/24-2/").status, 200);
    if let Some(searching) = searching {
        searching.seen();
    }
    wait_for_search(addr, "the item to go", |(_, n, t)| {
        *n < docs && !t.contains("Budget rettet")
    });

    // A renamed meeting folder moves its pages.
    fs::rename(
        root.join("content/hovedudvalget/2024-11-15"),
        root.join("content/hovedudvalget/2024-11-22"),
    )
    .unwrap();
    wait_for(
        addr,
        "/hovedudvalget/2024-11-22/02-cykelsti/",
        "the moved item",
        |r| r.status == 200,
    );
    assert_eq!(get(addr, "/hovedudvalget/2024-11-15/").status, 404);
}

#[test]
fn build_output_has_no_serve_additions() {
    let (_dir, root) = site();
    let out = root.join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_protokol"))
        .args(["build", "--root"])
        .arg(&root)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let page =
        fs::read_to_string(out.join("hovedudvalget/2024-11-15/01-budget/index.html")).unwrap();
    assert!(page.contains("Budget 2025"));
    assert!(!page.contains("data-protokol-serve"));
    assert!(!page.contains("__protokol"));
}

#[test]
fn a_site_that_never_built_shows_its_problems() {
    let (_dir, root) = site();
    let item_path = root.join("content/hovedudvalget/2024-11-15/02-cykelsti.md");
    write(&item_path, "no front matter\n");
    let server = start(&root);
    let reply = get(server.addr, "/");
    assert_eq!(reply.status, 503);
    assert!(reply.body.contains(&format!("{}:1:", item_path.display())));
    write(&item_path, &item("Cykelsti", "24/2"));
    wait_for(server.addr, "/", "the site", |r| {
        r.status == 200 && r.body.contains("Testkommune")
    });
}

#[test]
fn build_watch_updates_the_output_folder() {
    let (_dir, root) = site();
    let out = root.join("public");
    let (child, lines) = watch(&root);
    std::thread::spawn(move || lines.for_each(drop));
    let page = out.join("hovedudvalget/2024-11-15/01-budget/index.html");
    assert!(fs::read_to_string(&page).unwrap().contains("Budget 2025"));

    let wait_file = |what: &str, ok: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !ok() {
            assert!(start.elapsed() < TIMEOUT, "{what} did not happen");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let item_path = root.join("content/hovedudvalget/2024-11-15/01-budget.md");
    write(&item_path, &item("Budget på disk", "24/1"));
    wait_file("the new title on disk", &|| {
        fs::read_to_string(&page).is_ok_and(|p| p.contains("Budget på disk"))
    });
    assert!(
        !fs::read_to_string(&page)
            .unwrap()
            .contains("data-protokol-serve")
    );

    // Broken: the output keeps the last good page.
    write(&item_path, "+++\ntitle = = 1\n+++\n");
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        fs::read_to_string(&page)
            .unwrap()
            .contains("Budget på disk")
    );

    // Deleted: the page goes, its case page too.
    fs::remove_file(&item_path).unwrap();
    // Files are removed one by one: wait for both before looking further.
    let case_page = out.join("sager/24-1/index.html");
    wait_file("the page and its case page to be removed", &|| {
        !page.exists() && !case_page.exists()
    });
    assert!(out.join("sager/24-2/index.html").exists());
    drop(child);
}

/// The red team's case: `build --watch` follows an open item full of
/// private words being closed, and is stopped (SIGTERM, as Ctrl-C or a
/// service manager would) right after it reports the rebuild. The search
/// index is not left for later: no byte of the output folder, search
/// files inflated, holds a private word, and typeahead offers none.
#[test]
fn build_watch_stopped_right_after_closing_an_item_leaves_nothing_of_it() {
    const CANARIES: &[&str] = &[
        "KanarieTitel",
        "KanarieBrodtekst",
        "KanarieBeslutning",
        "KANARIE-77",
        "kanarie-77",
        "kanarieslug",
    ];
    let (_dir, root) = site();
    let out = root.join("public");
    let item_path = root.join("content/hovedudvalget/2024-11-15/03-kanarieslug.md");
    let open = "+++\ntitle = \"KanarieTitel vejlukning\"\ncase = \"KANARIE-77/4\"\n+++\n## Sagsfremstilling\nKanarieBrodtekst om vejen.\n\n## Beslutning\nKanarieBeslutning godkendt.\n";
    write(&item_path, open);
    let (mut child, mut lines) = watch(&root);
    let inflated_output = || -> Vec<(String, Vec<u8>)> {
        let files = walkdir::WalkDir::new(&out)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&out).unwrap().to_string_lossy();
                let bytes = fs::read(e.path()).unwrap();
                (
                    rel.replace('\\', "/"),
                    protokol::output::Content::Bytes(bytes),
                )
            })
            .collect();
        search_support::all_bytes_inflated(&files)
    };
    let in_search = |files: &[(String, Vec<u8>)], word: &str| {
        files.iter().any(|(p, b)| {
            p.starts_with(search_support::INDEX_DIR) && search_support::contains_ci(b, word)
        })
    };
    assert!(
        in_search(&inflated_output(), "KanarieBrodtekst"),
        "the open item is searchable"
    );

    // Closed, its private text left in the file; stopped as soon as the
    // rebuild is reported.
    write(
        &item_path,
        &open.replace(
            "+++\n## Sags",
            "closed = true\npublic_title = \"Lukket punkt: Vejarbejde\"\n+++\n## Sags",
        ),
    );
    let reported = lines
        .by_ref()
        .map(|l| l.unwrap())
        .find(|l| l.starts_with("Rebuilt"))
        .expect("a rebuild is reported");
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(
        unsafe { libc::kill(child.child.id() as libc::pid_t, libc::SIGTERM) },
        0
    );
    let status = child.child.wait().unwrap();
    assert!(!status.success(), "stopped by the signal");

    let files = inflated_output();
    assert!(
        !out.join("hovedudvalget/2024-11-15/03-kanarieslug/index.html")
            .exists(),
        "the item page is gone: {reported}"
    );
    assert!(
        in_search(&files, "Lukket punkt: Vejarbejde"),
        "the public title is searchable: {reported}"
    );
    for (path, bytes) in &files {
        search_support::assert_no_canary(path, bytes, CANARIES, &format!("after: {reported}"));
    }
    let Some(node) = search_support::node() else {
        return;
    };
    let q = search_support::Query::new("kanarietitel").suggest("kanarie");
    let r = search_support::client(&node, &out, &[q], 10).remove(0);
    assert_eq!(r["total"], 0, "{r}");
    assert_eq!(r["suggestions"], serde_json::json!([]), "{r}");
}

struct Watching {
    child: Child,
}

/// Starts `protokol build --watch` and returns once its first build is
/// done, with the rest of what it prints.
fn watch(
    root: &Path,
) -> (
    Watching,
    std::io::Lines<BufReader<std::process::ChildStderr>>,
) {
    let child = Command::new(env!("CARGO_BIN_EXE_protokol"))
        .args(["build", "--watch", "--root"])
        .arg(root)
        .stderr(Stdio::piped())
        .spawn()
        .expect("protokol build --watch starts");
    let mut child = Watching { child };
    let stderr = child.child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    for line in lines.by_ref() {
        if line.unwrap().starts_with("Watching") {
            break;
        }
    }
    (child, lines)
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
