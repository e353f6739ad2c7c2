//! Helpers for the search tests: building a site with the real binary,
//! running `protokol search`, and running the browser client's engine
//! (themes/default/static/search.js) in node over the built index.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

pub const INDEX_DIR: &str = "soeg/indeks/";

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn protokol() -> Command {
    Command::new(env!("CARGO_BIN_EXE_protokol"))
}

/// A test that needs something the machine lacks: one loud line, or a
/// panic under CI=true, where nothing may be skipped.
pub fn skip(reason: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("search test")
        .to_string();
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true and {test} cannot run: {reason}");
    }
    let _ = writeln!(std::io::stderr(), "SKIP: {test}: {reason}");
}

/// `protokol build --root <root> -o <out>`; panics with its output on failure.
pub fn build(root: &Path, out: &Path) {
    let o = protokol()
        .args(["build", "--root"])
        .arg(root)
        .arg("-o")
        .arg(out)
        .output()
        .expect("run protokol build");
    assert!(
        o.status.success(),
        "protokol build failed:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[derive(Debug, Clone, Default)]
pub struct Query {
    pub q: String,
    pub committee: Option<String>,
    pub year: Option<i32>,
    pub decisions: bool,
    /// Also ask for typeahead words for this prefix.
    pub suggest: Option<String>,
}

impl Query {
    pub fn new(q: &str) -> Query {
        Query {
            q: q.to_string(),
            ..Default::default()
        }
    }

    pub fn committee(mut self, c: &str) -> Query {
        self.committee = Some(c.to_string());
        self
    }

    pub fn year(mut self, y: i32) -> Query {
        self.year = Some(y);
        self
    }

    pub fn decisions(mut self) -> Query {
        self.decisions = true;
        self
    }

    pub fn suggest(mut self, prefix: &str) -> Query {
        self.suggest = Some(prefix.to_string());
        self
    }

    fn to_json(&self) -> Value {
        json!({"q": self.q, "committee": self.committee, "year": self.year, "decisions": self.decisions, "suggest": self.suggest})
    }
}

/// `protokol search --json` with the real binary.
pub fn cli(root: &Path, q: &Query, limit: usize) -> Value {
    let mut cmd = protokol();
    cmd.args(["search", "--json", "--limit", &limit.to_string(), "--root"])
        .arg(root);
    if let Some(c) = &q.committee {
        cmd.args(["--committee", c]);
    }
    if let Some(y) = q.year {
        cmd.args(["--year", &y.to_string()]);
    }
    if q.decisions {
        cmd.arg("--decisions");
    }
    // Last, after `--`: a query may start with `-`.
    cmd.arg("--").arg(&q.q);
    let o = cmd.output().expect("run protokol search");
    assert!(
        o.status.success(),
        "protokol search {:?} failed:\n{}",
        q.q,
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("protokol search --json prints JSON")
}

/// The node executable, or None after a SKIP line.
pub fn node() -> Option<PathBuf> {
    let node = PathBuf::from(std::env::var_os("NODE").unwrap_or_else(|| "node".into()));
    let ok = Command::new(&node)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Some(node)
    } else {
        skip("node is not installed (the browser client's tests run it)");
        None
    }
}

/// Runs `node tests/search/<script> <args>` and returns its stdout.
pub fn run_node(node: &Path, script: &str, args: &[&std::ffi::OsStr]) -> String {
    let o = Command::new(node)
        .arg(crate_dir().join("tests").join("search").join(script))
        .args(args)
        .output()
        .expect("run node");
    assert!(
        o.status.success(),
        "node {script} failed:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("utf-8 output")
}

/// The browser client's results (tests/search/query.mjs), one per query.
pub fn client(node: &Path, site_out: &Path, queries: &[Query], limit: usize) -> Vec<Value> {
    client_at(node, site_out, INDEX_DIR, queries, limit)
}

/// Like [`client`], for an index elsewhere (an English site's `search/index/`).
pub fn client_at(
    node: &Path,
    site_out: &Path,
    index_dir: &str,
    queries: &[Query],
    limit: usize,
) -> Vec<Value> {
    run_query_mjs(node, site_out, index_dir, queries, limit, false)
}

/// Like [`client`], then with snippets from the results' pages where the
/// search page would fetch them (`page_reads` lists those pages).
pub fn client_deep(node: &Path, site_out: &Path, queries: &[Query], limit: usize) -> Vec<Value> {
    run_query_mjs(node, site_out, INDEX_DIR, queries, limit, true)
}

fn run_query_mjs(
    node: &Path,
    site_out: &Path,
    index_dir: &str,
    queries: &[Query],
    limit: usize,
    deep: bool,
) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("temp dir");
    let req = dir.path().join("queries.json");
    let body = json!({
        "index": index_dir,
        "limit": limit,
        "deep": deep,
        "queries": queries.iter().map(Query::to_json).collect::<Vec<_>>(),
    });
    std::fs::write(&req, body.to_string()).expect("write queries");
    let out = run_node(node, "query.mjs", &[site_out.as_os_str(), req.as_os_str()]);
    serde_json::from_str::<Vec<Value>>(&out).expect("query.mjs prints JSON")
}

/// The paths of a result list (CLI `results` or client `results`).
pub fn paths(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| r["path"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Every file below `dir`, gzip files (the index's `.bin`) inflated.
pub fn files_inflated(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).expect("read file");
            let bytes = inflated(bytes);
            out.push((p, bytes));
        }
    }
    out.sort();
    out
}

pub fn contains_ci(haystack: &[u8], needle: &str) -> bool {
    let h = String::from_utf8_lossy(haystack).to_lowercase();
    h.contains(&needle.to_lowercase())
}

/// Panics when one of `canaries` is in the file's name or bytes, in any
/// case; `when` tells after what.
pub fn assert_no_canary(path: &str, bytes: &[u8], canaries: &[&str], when: &str) {
    for canary in canaries {
        assert!(
            !path.to_lowercase().contains(&canary.to_lowercase()),
            "{canary} in the file name {path} {when}"
        );
        assert!(!contains_ci(bytes, canary), "{canary} in {path} {when}");
    }
}

/// Writes files by site-relative path below `dir` (an output folder for
/// the client to read), as an in-memory target holds them.
pub fn write_files(
    dir: &Path,
    files: &std::collections::BTreeMap<String, protokol::output::Content>,
) {
    for (path, content) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("create dir");
        let bytes = content.clone().into_bytes().expect("readable content");
        std::fs::write(p, bytes).expect("write file");
    }
}

/// The search delta inlined in a manifest, inflated; None without one.
pub fn inline_delta(manifest: &[u8]) -> Option<Vec<u8>> {
    let m: Value = serde_json::from_slice(manifest).expect("manifest JSON");
    let text = m["delta"]["inline"].as_str()?;
    let gz = base64_decode(text);
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut plain)
        .expect("the inline delta inflates");
    Some(plain)
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let mut out = Vec::new();
    for chunk in text.as_bytes().chunks(4) {
        let data: Vec<u8> = chunk.iter().copied().filter(|c| *c != b'=').collect();
        let mut n = 0u32;
        for (i, c) in data.iter().enumerate() {
            n |= value(*c) << (18 - 6 * i);
        }
        for i in 0..data.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// Every file of an output (paths and bytes), gzip files inflated, and
/// the manifest's inline search delta as one more file
/// (`<manifest>#delta`): all the bytes a visitor can get.
pub fn all_bytes_inflated(
    files: &std::collections::BTreeMap<String, protokol::output::Content>,
) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (path, content) in files {
        let bytes = content.clone().into_bytes().expect("readable content");
        if path.ends_with("manifest.json")
            && let Some(delta) = inline_delta(&bytes)
        {
            out.push((format!("{path}#delta"), delta));
        }
        let bytes = inflated(bytes);
        out.push((path.clone(), bytes));
    }
    out
}

/// `bytes`, inflated when they are gzip.
fn inflated(bytes: Vec<u8>) -> Vec<u8> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return bytes;
    }
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_end(&mut plain)
        .expect("gzip file inflates");
    plain
}

/// The titles of a client answer's results, in order.
pub fn titles(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["title"].as_str().expect("title").to_string())
        .collect()
}
