//! Times the build's search step on a site, apart from the pages:
//! collecting the documents, building the tantivy index from scratch, and
//! exporting the static index. Used by bench/search.sh.
//!
//!   cargo run --release --example search_bench -- <site folder> [<write the index here>]
//!
//! Prints one line of JSON.

use std::path::Path;
use std::time::Instant;

// As in the protokol binary: the times are the build's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn dir_size(dir: &Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut files = 0;
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
            files += 1;
        }
    }
    (bytes, files)
}

fn main() {
    protokol::build::no_huge_pages();
    let root = std::env::args()
        .nth(1)
        .expect("usage: search_bench <site folder>");
    let root = Path::new(&root);
    let site = protokol::load::load_site(root).expect("the site loads");
    let idx = protokol::site_index::SiteIndex::new(&site);
    let names = protokol::search::committee_names(&site);

    let t = Instant::now();
    let docs = protokol::search::documents::collect(&site, &idx);
    let collect_s = t.elapsed().as_secs_f64();

    let tmp = tempfile::tempdir().expect("temp dir");
    let t = Instant::now();
    let index = protokol::search::index::build(tmp.path(), &docs, &names, 2, 256 << 20, &|| false)
        .expect("the index builds");
    let index_s = t.elapsed().as_secs_f64();
    let (tantivy_bytes, _) = dir_size(tmp.path());

    let t = Instant::now();
    let files = protokol::search::export::export(&site, &docs, &index, &|| false).expect("export");
    let export_s = t.elapsed().as_secs_f64();
    let export_bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    // Optionally write the files out, to search them with the client.
    if let Some(out) = std::env::args().nth(2) {
        for (path, bytes) in &files {
            let p = Path::new(&out).join(path);
            std::fs::create_dir_all(p.parent().expect("a folder")).expect("mkdir");
            std::fs::write(p, bytes).expect("write");
        }
    }
    let manifest = files
        .iter()
        .find(|(p, _)| p.ends_with("manifest.json"))
        .map_or(0, |(_, b)| b.len());
    println!(
        "{{\"docs\": {}, \"collect_s\": {collect_s:.3}, \"index_s\": {index_s:.3}, \"export_s\": {export_s:.3}, \
         \"tantivy_bytes\": {tantivy_bytes}, \"export_bytes\": {export_bytes}, \"export_files\": {}, \"manifest_bytes\": {manifest}}}",
        docs.len(),
        files.len()
    );
}
