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
    build::render_site(&site, root, None, &out, &Progress::quiet()).unwrap();
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
        // With words, a case page matches by its case number alone.
        q("vindmøller 24/999"),
        q("24/999 findesikke"),
        q("cykelsti 24/277"),
        q("vindmøller").committee("teknik"),
        q("vindmøller").committee("byraadet"),
        q("vindmøller").year(2024),
        q("vindmøller").year(2025),
        q("vindmøller").decisions(),
        q("havnebad").year(2025),
        q("godkendt").committee("teknik").decisions(),
        q("lukket"),
        // Negation pairs rank in the delta as in the export.
        q("ikke godkendt"),
        q("godkendt ikke"),
        q("ikke godkendt").committee("byraadet"),
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

    // A new item with a new case number, and an item whose text grows:
    // edits that only add text.
    let rel = "content/teknik/2024-03-05/03-vindmoeller.md";
    s.write(
        rel,
        &item(
            "Vindmøller ved Kattegat",
            "24/999",
            "## Sagsfremstilling\nTre vindmøller på havet.\n\n## Beslutning i Teknikudvalget den 05-03-2024\nIkke godkendt. Udvalget ønsker først en ny vurdering af støj, skyggekast og fuglelivet ved kysten, og sagen genoptages efter sommerferien, når vurderingen foreligger.\n",
        ),
    );
    let grown = "content/teknik/2024-03-05/02-vejbelysning.md";
    s.write(
        grown,
        "+++\ntitle = \"Vejbelysning i Nørreby\"\ncase = \"24/300\"\n+++\n\n## Sagsfremstilling\nLamperne skiftes. Også ved havnefronten, men ikke i år.\n\n## Beslutning i Teknikudvalget den 05-03-2024\nGodkendt.\n",
    );
    let report = engine
        .update_deferring(&[s.path().join(rel), s.path().join(grown)], &mut target)
        .unwrap()
        .unwrap();
    assert!(!report.full);
    assert_eq!(report.deferred_stages, vec!["search"]);
    assert!(engine.has_deferred());
    let files = target.snapshot();
    let m = manifest(&files);
    assert_eq!(m["version"], version, "the export itself is not redone");
    assert_eq!(
        m["delta"]["docs"], 3,
        "the items and the new case page: {m}"
    );
    assert_eq!(m["delta"]["removed"], 1, "the grown item");
    assert!(m["delta"]["inline"].is_string(), "small: in the manifest");
    let served = Served::of(&files);
    let r = served.one(&node, Query::new("vindmøller"));
    assert_eq!(titles(&r), vec!["Vindmøller ved Kattegat"]);
    assert_eq!(paths(&r), vec!["teknik/2024-03-05/03-vindmoeller/"]);
    assert_eq!(r["total"], 1);
    let snippet = r["results"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("[vindmøller]"), "{snippet}");
    // The grown item is found by its old words and its new ones, once.
    for word in ["vejbelysning", "havnefronten"] {
        let r = served.one(&node, Query::new(word));
        assert_eq!(titles(&r), vec!["Vejbelysning i Nørreby"], "{word}");
    }
    // The new case number is a case number, with its page first.
    let r = served.one(&node, Query::new("24/999"));
    assert_eq!(r["terms"], serde_json::json!(["#24-999"]));
    assert_eq!(
        paths(&r),
        vec!["sager/24-999/", "teknik/2024-03-05/03-vindmoeller/"]
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
    // "ikke godkendt" said so ranks above the two words apart, though
    // the short decision "Godkendt." scores higher.
    let r = served.one(&node, Query::new("ikke godkendt"));
    assert_eq!(
        titles(&r),
        vec!["Vindmøller ved Kattegat", "Vejbelysning i Nørreby"]
    );
    // Typeahead knows the new words.
    let r = served.one(&node, Query::new("x").suggest("vindm"));
    assert_eq!(r["suggestions"], serde_json::json!(["vindmøller"]));

    // A deleted item takes its text out of the site: the search is
    // exported anew with the pages, and the earlier edits are in it.
    let gone = s.path().join("content/byraadet/2025-01-15/01-budget.md");
    s.remove("content/byraadet/2025-01-15/01-budget.md");
    let report = engine
        .update_deferring(&[gone], &mut target)
        .unwrap()
        .unwrap();
    assert_eq!(report.rebuilt_stages, vec!["search"]);
    assert!(!engine.has_deferred());
    let files = target.snapshot();
    assert_ne!(manifest(&files)["version"], version);
    assert!(manifest(&files).get("delta").is_none());
    assert_same_as_full_build(&target, s.path());
    let version = manifest(&files)["version"].clone();

    // A new meeting with a new item: through a delta again.
    s.write(
        "content/byraadet/2025-02-01/meeting.toml",
        "status = \"agenda\"\n",
    );
    let new_item = s.path().join("content/byraadet/2025-02-01/01-havnebad.md");
    s.write(
        "content/byraadet/2025-02-01/01-havnebad.md",
        &item(
            "Havnebad ved Nordstranden",
            "25/40",
            "## Indstilling\nAt havnebadet åbner til sommer.\n",
        ),
    );
    engine.update_deferring(&[new_item], &mut target).unwrap();
    assert!(engine.has_deferred());
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
        titles(&served.one(&node, Query::new("havnebad"))),
        vec!["Havnebad ved Nordstranden"]
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

/// An edit that takes words out of an item (a shorter title, a sentence
/// deleted) cannot wait for the next full export: the export on the
/// target holds them, and a delta would only hide the old document in
/// results, not take its words out of the files or of typeahead. The
/// search is exported anew in the same update as the pages.
#[test]
fn an_edit_that_takes_words_out_exports_the_search_at_once() {
    let s = fixture::Site::standard();
    let mut engine = Engine::new(s.options());
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).unwrap();
    let rel = "content/teknik/2024-03-05/02-vejbelysning.md";
    let in_search = |target: &MemoryTarget, word: &str| {
        support::all_bytes_inflated(&target.snapshot())
            .iter()
            .any(|(p, b)| p.starts_with(support::INDEX_DIR) && support::contains_ci(b, word))
    };
    assert!(in_search(&target, "Nørreby") && in_search(&target, "Lamperne"));

    s.write(
        rel,
        "+++\ntitle = \"Vejbelysning\"\ncase = \"24/300\"\n+++\n\n## Sagsfremstilling\nNye pærer.\n\n## Beslutning i Teknikudvalget den 05-03-2024\nGodkendt.\n",
    );
    let report = engine
        .update_deferring(&[s.path().join(rel)], &mut target)
        .unwrap()
        .unwrap();
    assert!(!in_search(&target, "Nørreby"), "the old title's word");
    assert!(!in_search(&target, "Lamperne"), "the old text's word");
    assert!(in_search(&target, "Nye pærer"));
    assert_eq!(report.rebuilt_stages, vec!["search"], "{report:?}");
    assert!(!engine.has_deferred());
    assert_same_as_full_build(&target, s.path());

    let Some(node) = support::node() else { return };
    let served = Served::of(&target.snapshot());
    let r = served.one(&node, Query::new("nørreby").suggest("nør"));
    assert_eq!(r["total"], 0);
    assert_eq!(r["suggestions"], serde_json::json!([]));
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
    // New items: edits the delta serves.
    let edit = |rel: &str, title: &str, case: &str| -> PathBuf {
        s.write(rel, &item(title, case, "Tekst.\n"));
        s.path().join(rel)
    };
    let a = edit(
        "content/teknik/2024-03-05/03-vindmoeller.md",
        "Vindmøller",
        "24/301",
    );
    engine.update_deferring(&[a], &mut target).unwrap();
    // The full run exports, but its files never reach the target.
    target.fail = true;
    assert!(engine.run_deferred(&mut target).is_err());
    assert!(engine.has_deferred(), "the full run is still to do");
    // The next edit: the delta is still relative to the export served,
    // and holds both edits.
    let b = edit(
        "content/byraadet/2025-01-15/02-havnebad.md",
        "Havnebad",
        "25/2",
    );
    engine.update_deferring(&[b], &mut target).unwrap();
    let files = target.inner.snapshot();
    assert_eq!(manifest(&files)["version"], version);
    let served = Served::of(&files);
    for word in ["vindmøller", "havnebad", "vejbelysning", "budgetopfølgning"] {
        assert_eq!(served.one(&node, Query::new(word))["total"], 1, "{word}");
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
    let rel = "content/teknik/2024-03-05/03-vindmoeller.md";
    s.write(rel, &item("Vindmøller", "24/301", "Tekst.\n"));
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

    // Every 40th item file: its title and text grown with common words of
    // the archive, or copied under a new number without its case number.
    // Edits that take text out (a deletion) export anew at once, with no
    // delta to compare.
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
                let text = grow_title(&text, " om lokalplan og budgetopfølgning");
                std::fs::write(p, text).unwrap();
                changed.push(p.clone());
            }
            1 => {
                let text = format!("{text}\n\nLokalplan for kollektiv trafik i Grenaa.\n");
                std::fs::write(p, text).unwrap();
                changed.push(p.clone());
            }
            _ => {
                let copy = p.with_file_name(format!(
                    "99-kopi-{}",
                    p.file_name().unwrap().to_string_lossy()
                ));
                let text: String = text
                    .lines()
                    .filter(|l| !l.starts_with("case = "))
                    .map(|l| format!("{l}\n"))
                    .collect();
                std::fs::write(&copy, grow_title(&text, " godkendt kopi")).unwrap();
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

/// An item file with `more` at the end of its title.
fn grow_title(text: &str, more: &str) -> String {
    let start = text.find("title = \"").expect("a title") + "title = \"".len();
    let end = start + text[start..].find('"').expect("the title's end");
    format!("{}{more}{}", &text[..end], &text[end..])
}
