//! Search follows an edit at once in `serve` and `build --watch`: the
//! update writes the search delta beside the last full export, and the
//! browser client (search.js, run in node) merges it into its results,
//! before the full export runs once edits pause. After that run the
//! output is again exactly a clean build's.

#[path = "support/fixture.rs"]
mod fixture;
#[path = "support/search.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use protokol::build::{self, Progress};
use protokol::error::BuildError;
use protokol::incremental::target::Applied;
use protokol::incremental::{Engine, MemoryTarget, Target};
use protokol::output::{Content, MemoryOutput, Sink};
use serde_json::Value;
use support::{Query, client, paths, titles};

const MANIFEST: &str = "soeg/indeks/manifest.json";

/// The client's view of what `target` serves: its files written to a
/// folder, searched there.
struct Served {
    dir: tempfile::TempDir,
}

impl Served {
    fn of(files: &BTreeMap<String, Content>) -> Served {
        let dir = tempfile::tempdir().unwrap();
        support::write_files(dir.path(), files);
        Served { dir }
    }

    fn search(&self, node: &Path, queries: &[Query]) -> Vec<Value> {
        client(node, self.dir.path(), queries, 10)
    }

    fn one(&self, node: &Path, q: Query) -> Value {
        self.search(node, &[q]).remove(0)
    }
}

fn manifest(files: &BTreeMap<String, Content>) -> Value {
    let bytes = files[MANIFEST].clone().into_bytes().unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn full_build(root: &Path) -> BTreeMap<String, Content> {
    let opts = protokol::build::BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    };
    let site = build::load(&opts).unwrap();
    let out = MemoryOutput::default();
    build::render_site(&site, root, &out, &Progress::quiet()).unwrap();
    out.into_files()
}

fn assert_same_as_full_build(target: &MemoryTarget, root: &Path) {
    let full = full_build(root);
    let now = target.snapshot();
    let bytes = |m: &BTreeMap<String, Content>| -> BTreeMap<String, Vec<u8>> {
        m.iter()
            .map(|(k, v)| (k.clone(), v.clone().into_bytes().unwrap()))
            .collect()
    };
    let (full, now) = (bytes(&full), bytes(&now));
    let differ: Vec<&String> = full
        .keys()
        .chain(now.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|k| full.get(*k) != now.get(*k))
        .collect();
    assert!(differ.is_empty(), "differs from a full build: {differ:?}");
}

fn item(title: &str, case: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ncase = \"{case}\"\n+++\n\n{body}")
}

/// The queries whose results a visitor sees in the tests below.
fn queries() -> Vec<Query> {
    let q = Query::new;
    vec![
        q("vindmøller"),
        q("vindmøllerne kattegat"),
        q("vejbelysning"),
        q("budgetopfølgning"),
        q("nørreby"),
        q("havnebad"),
        q("godkendt"),
        q("cykelsti"),
        q("24/999"),
        q("24/277"),
        q("vindmøller").committee("teknik"),
        q("vindmøller").committee("byraadet"),
        q("vindmøller").year(2024),
        q("vindmøller").year(2025),
        q("vindmøller").decisions(),
        q("havnebad").year(2025),
        q("godkendt").committee("teknik").decisions(),
        q("lukket"),
    ]
}

#[test]
fn search_follows_edits_before_the_full_export() {
    let Some(node) = support::node() else { return };
    let s = fixture::Site::standard();
    let mut engine = Engine::new(s.options());
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).unwrap();
    let version = manifest(&target.snapshot())["version"].clone();
    let before = Served::of(&target.snapshot());
    assert_eq!(
        titles(&before.one(&node, Query::new("vejbelysning"))),
        vec!["Vejbelysning i Nørreby"]
    );

    // An item gets a new title, text and case number.
    let path = s
        .path()
        .join("content/teknik/2024-03-05/02-vejbelysning.md");
    s.write(
        "content/teknik/2024-03-05/02-vejbelysning.md",
        &item(
            "Vindmøller ved Kattegat",
            "24/999",
            "## Sagsfremstilling\nTre vindmøller på havet.\n\n## Beslutning i Teknikudvalget den 05-03-2024\nGodkendt.\n",
        ),
    );
    let report = engine
        .update_deferring(&[path], &mut target)
        .unwrap()
        .unwrap();
    assert!(!report.full);
    assert_eq!(report.deferred_stages, vec!["search"]);
    assert!(engine.has_deferred());
    let files = target.snapshot();
    let m = manifest(&files);
    assert_eq!(m["version"], version, "the export itself is not redone");
    assert_eq!(m["delta"]["docs"], 2, "the item and its new case page: {m}");
    assert_eq!(m["delta"]["removed"], 2, "the item and its old case page");
    assert!(m["delta"]["inline"].is_string(), "small: in the manifest");
    let served = Served::of(&files);
    let r = served.one(&node, Query::new("vindmøller"));
    assert_eq!(titles(&r), vec!["Vindmøller ved Kattegat"]);
    assert_eq!(paths(&r), vec!["teknik/2024-03-05/02-vejbelysning/"]);
    assert_eq!(r["total"], 1);
    let snippet = r["results"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("[vindmøller]"), "{snippet}");
    assert_eq!(
        served.one(&node, Query::new("vejbelysning"))["total"],
        0,
        "the old title is found no more"
    );
    // The new case number is a case number, with its page first.
    let r = served.one(&node, Query::new("24/999"));
    assert_eq!(r["terms"], serde_json::json!(["#24-999"]));
    assert_eq!(
        paths(&r),
        vec!["sager/24-999/", "teknik/2024-03-05/02-vejbelysning/"]
    );
    // Filters apply to the edited document as to the others.
    for (q, total) in [
        (Query::new("vindmøller").committee("teknik"), 1),
        (Query::new("vindmøller").committee("byraadet"), 0),
        (Query::new("vindmøller").year(2024), 1),
        (Query::new("vindmøller").year(2025), 0),
        (Query::new("vindmøller").decisions(), 1),
    ] {
        assert_eq!(served.one(&node, q.clone())["total"], total, "{q:?}");
    }
    // Typeahead knows the new words.
    let r = served.one(&node, Query::new("x").suggest("vindm"));
    assert_eq!(r["suggestions"], serde_json::json!(["vindmøller"]));

    // A deleted item disappears; the earlier edit stays (the delta holds
    // every edit since the export).
    let gone = s.path().join("content/byraadet/2025-01-15/01-budget.md");
    s.remove("content/byraadet/2025-01-15/01-budget.md");
    engine.update_deferring(&[gone], &mut target).unwrap();
    // And a new meeting with a new item.
    s.write(
        "content/byraadet/2025-02-01/meeting.toml",
        "status = \"agenda\"\n",
    );
    let new_item = s.path().join("content/byraadet/2025-02-01/01-havnebad.md");
    s.write(
        "content/byraadet/2025-02-01/01-havnebad.md",
        &item(
            "Havnebad i Nørreby",
            "25/40",
            "## Indstilling\nAt havnebadet åbner til sommer.\n",
        ),
    );
    engine.update_deferring(&[new_item], &mut target).unwrap();
    let files = target.snapshot();
    assert_eq!(manifest(&files)["version"], version);
    let served = Served::of(&files);
    assert_eq!(
        served.one(&node, Query::new("budgetopfølgning"))["total"],
        0,
        "the deleted item is gone"
    );
    assert_eq!(
        titles(&served.one(&node, Query::new("vindmøller"))),
        vec!["Vindmøller ved Kattegat"]
    );
    assert_eq!(
        titles(&served.one(&node, Query::new("nørreby"))),
        vec!["Havnebad i Nørreby"]
    );
    assert_eq!(
        served.one(&node, Query::new("havnebad").year(2025))["total"],
        1
    );
    let with_delta = served.search(&node, &queries());

    // Once edits pause: the full export, and exactly a clean build's output.
    let report = engine.run_deferred(&mut target).unwrap().unwrap();
    assert_eq!(report.rebuilt_stages, vec!["search"]);
    let files = target.snapshot();
    assert!(manifest(&files).get("delta").is_none());
    assert!(!files.keys().any(|p| p.starts_with("soeg/indeks/x-")));
    assert_same_as_full_build(&target, s.path());
    // A visitor saw with the delta what the full export shows.
    let full = Served::of(&files).search(&node, &queries());
    for ((q, d), f) in queries().iter().zip(&with_delta).zip(&full) {
        assert_eq!(d["terms"], f["terms"], "{q:?}");
        assert_eq!(d["total"], f["total"], "{q:?}");
        assert_eq!(paths(d), paths(f), "{q:?}");
    }
}

/// A target whose next `apply` fails, as a full disk would.
struct Failing {
    inner: MemoryTarget,
    fail: bool,
}

impl Target for Failing {
    fn replace_all(
        &mut self,
        write: &mut dyn FnMut(&dyn Sink) -> Result<(), BuildError>,
    ) -> Result<Applied, BuildError> {
        self.inner.replace_all(write)
    }

    fn apply(
        &mut self,
        files: BTreeMap<String, Content>,
        removed: &BTreeSet<String>,
    ) -> Result<Applied, BuildError> {
        if std::mem::take(&mut self.fail) {
            return Err(BuildError::Other("disk full".into()));
        }
        self.inner.apply(files, removed)
    }
}

#[test]
fn a_full_export_that_never_arrived_is_not_what_the_delta_builds_on() {
    let Some(node) = support::node() else { return };
    let s = fixture::Site::standard();
    let mut engine = Engine::new(s.options());
    let mut target = Failing {
        inner: MemoryTarget::new(),
        fail: false,
    };
    engine.build_all(&mut target).unwrap();
    let version = manifest(&target.inner.snapshot())["version"].clone();
    let edit = |rel: &str, title: &str| -> PathBuf {
        s.write(rel, &item(title, "24/300", "Tekst.\n"));
        s.path().join(rel)
    };
    let a = edit("content/teknik/2024-03-05/02-vejbelysning.md", "Vindmøller");
    engine.update_deferring(&[a], &mut target).unwrap();
    // The full run exports, but its files never reach the target.
    target.fail = true;
    assert!(engine.run_deferred(&mut target).is_err());
    assert!(engine.has_deferred(), "the full run is still to do");
    // The next edit: the delta is still relative to the export served,
    // and holds both edits.
    let b = edit("content/byraadet/2025-01-15/01-budget.md", "Havnebad");
    engine.update_deferring(&[b], &mut target).unwrap();
    let files = target.inner.snapshot();
    assert_eq!(manifest(&files)["version"], version);
    let served = Served::of(&files);
    for word in ["vindmøller", "havnebad"] {
        assert_eq!(served.one(&node, Query::new(word))["total"], 1, "{word}");
    }
    for word in ["vejbelysning", "budgetopfølgning"] {
        assert_eq!(served.one(&node, Query::new(word))["total"], 0, "{word}");
    }
    engine.run_deferred(&mut target).unwrap().unwrap();
    assert_same_as_full_build(&target.inner, s.path());
}

/// A save while the full export runs stops it: nothing of it is served,
/// the delta keeps serving, and the export runs again later.
#[test]
fn a_full_export_stopped_by_a_newer_save_leaves_the_delta_serving() {
    let Some(node) = support::node() else { return };
    let s = fixture::Site::standard();
    let mut engine = Engine::new(s.options());
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).unwrap();
    let rel = "content/teknik/2024-03-05/02-vejbelysning.md";
    s.write(rel, &item("Vindmøller", "24/300", "Tekst.\n"));
    engine
        .update_deferring(&[s.path().join(rel)], &mut target)
        .unwrap();
    let with_delta = target.snapshot();

    let saved = Arc::new(AtomicBool::new(true));
    let stopped = engine.run_deferred_with(&mut target, &Progress::stoppable(saved));
    assert!(
        matches!(stopped, Err(BuildError::Interrupted)),
        "{stopped:?}"
    );
    assert!(engine.has_deferred(), "the full run is still to do");
    assert_eq!(
        target.snapshot(),
        with_delta,
        "nothing of the stopped run is served"
    );
    let served = Served::of(&target.snapshot());
    assert_eq!(served.one(&node, Query::new("vindmøller"))["total"], 1);

    let unstopped = Progress::stoppable(Arc::new(AtomicBool::new(false)));
    engine
        .run_deferred_with(&mut target, &unstopped)
        .unwrap()
        .unwrap();
    assert_same_as_full_build(&target, s.path());
}

/// Over a generated archive: after edits, deletions and additions, the
/// client with the delta finds exactly the documents a full export finds,
/// and ranks them about as it does: scores use the last export's
/// statistics until the next full export.
#[test]
fn results_with_the_delta_match_a_full_export_on_an_archive() {
    let Some(node) = support::node() else { return };
    let script = PathBuf::from(
        std::env::var_os("PROTOKOL_GEN_CORPUS")
            .unwrap_or_else(|| "/work/shared/tools/gen_corpus.py".into()),
    );
    if !script.is_file() {
        support::skip(&format!("{} not found", script.display()));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let ok = std::process::Command::new("python3")
        .arg(&script)
        .arg("--out")
        .arg(&root)
        .args(["--items", "600", "--seed", "3"])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        support::skip("python3 could not run gen_corpus.py");
        return;
    }
    let opts = protokol::build::BuildOptions {
        root: root.clone(),
        ..Default::default()
    };
    let mut engine = Engine::new(opts);
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).unwrap();

    // Every 40th item file: edited (a new title with common words of the
    // archive), deleted, or copied under a new number.
    let mut items: Vec<PathBuf> = Vec::new();
    let mut stack = vec![root.join("content")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md")
                && !p.starts_with(root.join("content/pages"))
            {
                items.push(p);
            }
        }
    }
    items.sort();
    let mut changed = Vec::new();
    for (i, p) in items.iter().step_by(40).enumerate() {
        let text = std::fs::read_to_string(p).unwrap();
        match i % 3 {
            0 => {
                let text =
                    text.replacen("title = \"", "title = \"Lokalplan og budgetopfølgning: ", 1);
                std::fs::write(p, text).unwrap();
                changed.push(p.clone());
            }
            1 => {
                std::fs::remove_file(p).unwrap();
                changed.push(p.clone());
            }
            _ => {
                let copy = p.with_file_name(format!(
                    "99-kopi-{}",
                    p.file_name().unwrap().to_string_lossy()
                ));
                std::fs::write(
                    &copy,
                    text.replacen("title = \"", "title = \"Godkendt kopi ", 1),
                )
                .unwrap();
                changed.push(copy);
            }
        }
        // Some one at a time, the rest together.
        if i % 2 == 0 {
            engine
                .update_deferring(&std::mem::take(&mut changed), &mut target)
                .unwrap();
        }
    }
    engine.update_deferring(&changed, &mut target).unwrap();
    // This many documents do not fit in the manifest: a file it names.
    let files = target.snapshot();
    let file = manifest(&files)["delta"]["file"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(files.contains_key(&format!("soeg/indeks/{file}")));
    let q = Query::new;
    let queries = vec![
        q("lokalplan"),
        q("budgetopfølgning"),
        q("lokalplan budgetopfølgning"),
        q("godkendt"),
        q("godkendt kopi"),
        q("kopi"),
        q("udvalget"),
        q("grenaa"),
        q("10/25"),
        q("lokalplan").committee("miljoe-og-planudvalget"),
        q("godkendt").year(2010),
        q("lokalplan").year(2010).decisions(),
        q("strategi").decisions(),
        q("kollektiv trafik"),
    ];
    let with_delta = Served::of(&target.snapshot()).search(&node, &queries);
    engine.run_deferred(&mut target).unwrap().unwrap();
    assert_same_as_full_build(&target, &root);
    let full = Served::of(&target.snapshot()).search(&node, &queries);
    let mut same_order = 0;
    for ((q, d), f) in queries.iter().zip(&with_delta).zip(&full) {
        assert_eq!(d["terms"], f["terms"], "{q:?}");
        assert_eq!(d["total"], f["total"], "{q:?}");
        let (dp, fp) = (paths(d), paths(f));
        if f["total"].as_u64().unwrap() <= 10 {
            let set = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
            assert_eq!(set(&dp), set(&fp), "{q:?}");
        }
        let common = dp.iter().filter(|p| fp.contains(p)).count();
        assert!(
            common + 2 >= fp.len(),
            "{q:?}: top 10 with the delta {dp:?}, after the full export {fp:?}"
        );
        same_order += usize::from(dp == fp);
    }
    // The rest differ in ties (equal scores, ranked by document number,
    // which the full export assigns anew) and where the edits moved a
    // word's statistics.
    assert!(
        same_order * 2 >= queries.len(),
        "{same_order} of {} queries ranked exactly alike",
        queries.len()
    );
}
