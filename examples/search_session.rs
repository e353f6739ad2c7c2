//! Answers many `protokol search --json` queries from one open index, for
//! tests/search/fuzz/fuzz.py. stdin: JSON lines {q, committee, year,
//! decisions}; stdout: one JSON answer per line (limit 20).
//!
//!   search_session <site folder>
use protokol::build::BuildOptions;
use protokol::search::cli::{Args, Session};
use std::io::{BufRead, Write};

fn main() {
    let root = std::env::args().nth(1).expect("root");
    let session = Session::open(&BuildOptions {
        root: root.into(),
        ..Default::default()
    })
    .unwrap();
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        let args = Args {
            query: v["q"].as_str().unwrap().to_string(),
            committee: v["committee"].as_str().map(String::from),
            year: v["year"].as_i64().map(|y| y as i32),
            decisions_only: v["decisions"].as_bool().unwrap_or(false),
            limit: 20,
            json: true,
        };
        let o = match session.query(&args) {
            Ok(o) => serde_json::to_value(o).unwrap(),
            Err(e) => serde_json::json!({"error": e.to_string()}),
        };
        writeln!(out, "{o}").unwrap();
    }
}
