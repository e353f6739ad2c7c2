//! The browser client must search exactly as the build does. Over an
//! archive from /work/shared/tools/gen_corpus.py (override with
//! PROTOKOL_GEN_CORPUS):
//!
//! - its top 10 and result count equal the CLI's for a fixed set of
//!   queries (words, inflections, several words, case numbers, filters);
//! - its analysis (tokens, lower-casing, "aa", Danish stemming, negation
//!   pairs) equals the build's over the whole vocabulary of that archive
//!   and the demo site.
//!
//! The generator writes no negations, so the archive gets a few items
//! that say "ikke" beside a word, and some that hold the words apart.

#[path = "support/search.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use protokol::build::BuildOptions;
use protokol::search::cli::{Args, Session};
use serde_json::{Value, json};
use support::{Query, client, paths};
use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer};

fn gen_corpus() -> Option<PathBuf> {
    let p = std::env::var_os("PROTOKOL_GEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/tools/gen_corpus.py"));
    if p.is_file() {
        Some(p)
    } else {
        support::skip(&format!(
            "{} not found (set PROTOKOL_GEN_CORPUS)",
            p.display()
        ));
        None
    }
}

struct Archive {
    _dir: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
}

fn archive(items: usize) -> Option<Archive> {
    let script = gen_corpus()?;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("public");
    let status = std::process::Command::new("python3")
        .arg(&script)
        .args(["--out"])
        .arg(&root)
        .args(["--items", &items.to_string(), "--seed", "7"])
        .stdout(std::process::Stdio::null())
        .status();
    if !status.is_ok_and(|s| s.success()) {
        support::skip("python3 could not run gen_corpus.py");
        return None;
    }
    add_negations(&root);
    support::build(&root, &out);
    Some(Archive {
        _dir: dir,
        root,
        out,
    })
}

/// Items with "ikke" beside a word or apart from it, in the first meeting
/// of the first two committees (by folder name).
fn add_negations(root: &Path) {
    let mut committees: Vec<PathBuf> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("committee.toml").is_file())
        .collect();
    committees.sort();
    let texts = [
        ("Lokalplan for Grenaa ikke godkendt", "Ikke godkendt."),
        (
            "Takster",
            "Taksterne blev ikke godkendt, og sagen sendes tilbage.",
        ),
        (
            "Cykelsti ved Auning",
            "Godkendt, dog ikke for strækningen ved skolen.",
        ),
        ("Lokalplan godkendt", "Godkendt. Planen ændres ikke."),
        (
            "Budgetopfølgning",
            "Udvalget godkendte ikke budgetopfølgningen.",
        ),
    ];
    for (c, committee) in committees.iter().take(2).enumerate() {
        let mut meetings: Vec<PathBuf> = std::fs::read_dir(committee)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("meeting.toml").is_file())
            .collect();
        meetings.sort();
        for (i, (title, decision)) in texts.iter().enumerate() {
            let text = format!(
                "+++\ntitle = \"{title}\"\ncase = \"99/{c}{i}\"\n+++\n\n\
                 ## Sagsfremstilling\nSagen er ikke ny. Forvaltningen har godkendt oplægget.\n\n\
                 ## Beslutning\n{decision}\n"
            );
            std::fs::write(meetings[0].join(format!("9{i}-negation.md")), text).unwrap();
        }
    }
}

fn queries() -> Vec<Query> {
    let q = Query::new;
    vec![
        q("lokalplan"),
        q("lokalplanen"),
        q("skolestruktur"),
        q("Grenaa"),
        q("grenå"),
        q("Allingåbro"),
        q("allingaabro"),
        q("Ørum"),
        q("budgetopfølgning"),
        q("godkendt"),
        q("godkendes"),
        q("beslutningen"),
        q("udvalget"),
        q("kommunaldirektøren præsenterede"),
        q("lokalplan grenaa"),
        q("cykelsti auning"),
        q("takster 2010"),
        q("boligsocial indsats"),
        q("kollektiv trafik vivild"),
        q("høring uger"),
        q("Godkendt med den bemærkning"),
        q("ældrepleje"),
        q("energirenovering rougsø"),
        q("10/25"),
        q("10-25"),
        q("10/1"),
        q("10/999999"),
        q("sag 10/25"),
        // With words, the case page matches by its case number alone.
        q("10/25 findesikke"),
        q("godkendt 10/25").committee("oekonomiudvalget"),
        // Negation pairs rank first, in either order, with filters too.
        q("ikke godkendt"),
        q("godkendt ikke"),
        q("blev ikke godkendt"),
        q("lokalplan ikke godkendt"),
        q("ikke godkendt").committee("boerne-og-familieudvalget"),
        q("ikke godkendt").year(2010),
        q("findesikke"),
        q("lokalplan").committee("miljoe-og-planudvalget"),
        q("lokalplan grenaa").committee("oekonomiudvalget"),
        q("udbud").year(2011),
        q("godkendt").committee("hovedudvalget").year(2010),
        q("strategi").decisions(),
        q("anlægsbevilling")
            .committee("kommunalbestyrelsen")
            .decisions(),
        q("taget til efterretning"),
        q("Økonomiudvalget rekruttering"),
        // Filters read the committee's or year's shards; a case number
        // only the global ones.
        q("kollektiv trafik").year(2011),
        q("lokalplan")
            .committee("miljoe-og-planudvalget")
            .year(2010),
        q("cykelsti").committee("teknik-og-trafikudvalget"),
        q("strategi").year(2010).decisions(),
        q("10/25").year(2010),
        q("10/25").committee("oekonomiudvalget"),
        q("lokalplan").year(1990),
    ]
}

fn args(q: &Query) -> Args {
    Args {
        query: q.q.clone(),
        committee: q.committee.clone(),
        year: q.year,
        decisions_only: q.decisions,
        limit: 10,
        json: true,
    }
}

#[test]
fn browser_client_top_ten_equals_cli_top_ten() {
    let Some(a) = archive(1500) else { return };
    let Some(node) = support::node() else { return };
    let qs = queries();
    assert!(qs.len() >= 30);
    let session = Session::open(&BuildOptions {
        root: a.root.clone(),
        ..Default::default()
    })
    .unwrap();
    let cli: Vec<Value> = qs
        .iter()
        .map(|q| serde_json::to_value(session.query(&args(q)).unwrap()).unwrap())
        .collect();
    // The binary prints what the session computes.
    for i in [0, 14, 23, 31, 34] {
        let bin = support::cli(&a.root, &qs[i], 10);
        assert_eq!(bin["total"], cli[i]["total"], "{:?}", qs[i]);
        assert_eq!(paths(&bin), paths(&cli[i]), "{:?}", qs[i]);
    }
    let browser = client(&node, &a.out, &qs, 10);
    let mut with_results = 0;
    let mut many = 0;
    for ((q, c), b) in qs.iter().zip(&cli).zip(&browser) {
        assert_eq!(b["terms"], c["terms"], "terms of {q:?}");
        assert_eq!(b["total"], c["total"], "count of {q:?}");
        assert_eq!(paths(b), paths(c), "top 10 of {q:?}");
        let docs = |v: &Value| -> Vec<Value> {
            v["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["doc"].clone())
                .collect()
        };
        assert_eq!(docs(b), docs(c), "document numbers of {q:?}");
        let total = c["total"].as_u64().unwrap();
        with_results += usize::from(total > 0);
        many += usize::from(total > 10);
    }
    // The set means something: most queries find things, many a lot.
    assert!(with_results >= 30, "{with_results} queries found anything");
    assert!(many >= 15, "{many} queries found more than 10");
    // What "ikke godkendt" says comes first: the six items whose title or
    // decision says it ("godkendte ikke" too), before those that hold the
    // two words apart, though some of those score higher.
    let i = qs.iter().position(|q| q.q == "ikke godkendt").unwrap();
    let results = cli[i]["results"].as_array().unwrap();
    let title = |r: &Value| r["title"].as_str().unwrap().to_string();
    let said = [
        "Lokalplan for Grenaa ikke godkendt",
        "Takster",
        "Budgetopfølgning",
    ];
    assert_eq!(results.len(), 10, "{}", cli[i]);
    assert!(
        results[..6]
            .iter()
            .all(|r| said.contains(&title(r).as_str())),
        "{}",
        cli[i]
    );
    assert!(
        results[6..]
            .iter()
            .all(|r| !said.contains(&title(r).as_str())),
        "{}",
        cli[i]
    );
    assert!(
        results[6]["score"].as_f64() > results[5]["score"].as_f64(),
        "{}",
        cli[i]
    );
    // The case number query lists its case page first.
    assert_eq!(cli[23]["results"][0]["path"], "sager/10-25/");
    assert_eq!(paths(&cli[23]), paths(&cli[24]));
    // Searching the same words again uses the same index: no rebuild.
    let again = Session::open(&BuildOptions {
        root: a.root.clone(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(
        serde_json::to_value(again.query(&args(&qs[0])).unwrap()).unwrap(),
        cli[0]
    );
}

/// A 1,500-item archive, node, and the archive's model and search
/// documents.
fn archive_with_docs() -> Option<(
    Archive,
    PathBuf,
    protokol::model::Site,
    Vec<protokol::search::documents::SearchDoc>,
)> {
    let a = archive(1500)?;
    let node = support::node()?;
    let site = protokol::load::load_site(&a.root).unwrap();
    let idx = protokol::site_index::SiteIndex::new(&site);
    let docs = protokol::search::documents::collect(&site, &idx);
    Some((a, node, site, docs))
}

/// A cold search of two words that share a title reads the manifest, the
/// two words' shards and one pair file, however far apart its best
/// documents lie, and decodes neither word's postings (in a large archive
/// that spares the rest of a common word's postings); and it finds what
/// the CLI finds.
#[test]
fn two_word_searches_read_four_files_at_most() {
    let Some((a, node, site, docs)) = archive_with_docs() else {
        return;
    };
    let mut qs = Vec::new();
    for d in docs.iter().step_by(37) {
        let words: Vec<&str> = d
            .title
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 4)
            .collect();
        if d.kind == protokol::search::documents::DocKind::Case || words.len() < 2 {
            continue;
        }
        let q = format!("{} {}", words[0], words[words.len() - 1]);
        qs.push(Query::new(&q));
        qs.push(Query::new(&q).committee(&site.committees[d.committee].slug));
    }
    assert!(qs.len() >= 40, "{} queries", qs.len());
    let session = Session::open(&BuildOptions {
        root: a.root.clone(),
        ..Default::default()
    })
    .unwrap();
    let browser = client(&node, &a.out, &qs, 10);
    let mut paired = 0;
    for (q, b) in qs.iter().zip(&browser) {
        let files = read_from_pages(q, b, &session);
        paired += usize::from(files.iter().any(|f| f.starts_with("q-")));
    }
    // Their best documents are spread: most need the pair file.
    assert!(
        paired * 2 >= qs.len(),
        "{paired} of {} read a pair file",
        qs.len()
    );
}

/// So does a cold search of two of the archive's most common words,
/// whether a title holds them both or not, in all documents or in a
/// committee: their best shared documents lie deep in both lists, and
/// without a pair file the browser read a metadata bundle for most of
/// them.
#[test]
fn searches_of_two_common_words_read_four_files_at_most() {
    let Some((a, node, site, docs)) = archive_with_docs() else {
        return;
    };
    // The words of five letters or more in most texts, as typed.
    let mut df: std::collections::BTreeMap<String, usize> = Default::default();
    let words = |text: &str| -> BTreeSet<String> {
        text.split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 5)
            .map(str::to_lowercase)
            .collect()
    };
    for d in &docs {
        for w in words(&format!("{} {} {}", d.decision, d.recommendation, d.body)) {
            *df.entry(w).or_default() += 1;
        }
    }
    let mut common: Vec<(&String, &usize)> = df.iter().collect();
    common.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
    let common: Vec<&str> = common.iter().take(8).map(|(w, _)| w.as_str()).collect();
    let titles: Vec<BTreeSet<String>> = docs.iter().map(|d| words(&d.title)).collect();
    let texts: Vec<BTreeSet<String>> = docs
        .iter()
        .map(|d| words(&format!("{} {} {}", d.decision, d.recommendation, d.body)))
        .collect();
    let mut qs = Vec::new();
    let mut untitled = 0;
    let mut committees = BTreeSet::new();
    for (i, x) in common.iter().enumerate() {
        for (j, y) in common[i + 1..].iter().enumerate() {
            let q = format!("{x} {y}");
            qs.push(Query::new(&q));
            untitled += usize::from(!titles.iter().any(|t| t.contains(*x) && t.contains(*y)));
            // Within the committee of a document holding both, from all
            // over the list of those that do (numbered by committee).
            let holding: Vec<usize> = (0..docs.len())
                .filter(|&d| texts[d].contains(*x) && texts[d].contains(*y))
                .collect();
            let d = holding[holding.len() * ((i * 3 + j) % 10) / 10];
            let slug = &site.committees[docs[d].committee].slug;
            committees.insert(slug.clone());
            qs.push(Query::new(&q).committee(slug));
        }
    }
    assert!(committees.len() >= 3, "{committees:?}");
    // Most such pairs share no title: the title pairs' files lack them.
    assert!(
        untitled * 4 >= qs.len(),
        "{untitled} of {} share no title",
        qs.len()
    );
    read_from_pair_files(&a, &node, &qs);
}

/// Runs the cold searches `qs` in the browser client: each must read a
/// pair file, as [`read_from_pages`] checks.
fn read_from_pair_files(a: &Archive, node: &Path, qs: &[Query]) {
    let session = Session::open(&BuildOptions {
        root: a.root.clone(),
        ..Default::default()
    })
    .unwrap();
    let browser = client(node, &a.out, qs, 10);
    for (q, b) in qs.iter().zip(&browser) {
        let files = read_from_pages(q, b, &session);
        assert!(
            files.iter().any(|f| f.starts_with("q-")),
            "{q:?} read {files:?}"
        );
    }
}

/// The names of the files the cold search `q` read (`b`: the browser
/// client's answer), after checking that they are at most four (manifest,
/// shards, pair file), neither a metadata bundle nor the rest of a word's
/// postings, that no postings were decoded, and that the answer is the
/// CLI's.
fn read_from_pages(q: &Query, b: &Value, session: &Session) -> Vec<String> {
    let files: Vec<String> = b["reads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["file"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(files.len() <= 4, "{q:?} read {files:?}");
    assert!(
        !files
            .iter()
            .any(|f| f.starts_with("m-") || f.starts_with("p-")),
        "{q:?} read {files:?}"
    );
    // The pair file's page stands in for both words' postings.
    assert_eq!(b["posting_lists"], 0, "{q:?} decoded postings");
    let c = serde_json::to_value(session.query(&args(q)).unwrap()).unwrap();
    assert_eq!(b["total"], c["total"], "count of {q:?}");
    assert_eq!(paths(b), paths(&c), "top 10 of {q:?}");
    assert_eq!(b["terms"], c["terms"], "terms of {q:?}");
    files
}

/// A negation typed beside a word is a search of two common words (in a
/// real archive "ikke" is in most texts): its first page, negation pairs
/// ranked first, comes from a pair file too.
#[test]
fn negation_searches_read_four_files_at_most() {
    let Some(a) = archive(1500) else { return };
    let Some(node) = support::node() else { return };
    let qs = [
        Query::new("ikke godkendt"),
        Query::new("godkendt ikke"),
        Query::new("Ikke godkendt").committee("boerne-og-familieudvalget"),
        Query::new("ikke godkendte"),
    ];
    read_from_pair_files(&a, &node, &qs);
}

/// Texts mixing negations, words and separators of every kind, the same
/// on every run: where the negation-pair rule could read a gap or a
/// neighbour differently in the two implementations.
fn negation_texts(n: usize) -> Vec<String> {
    let words = [
        "ikke",
        "IKKE",
        "Ikke",
        "ej",
        "EJ",
        "godkendt",
        "godkendte",
        "Århus",
        "aa",
        "24/277",
        "x",
        "ikkes",
        "ejer",
        "İkke",
    ];
    let gaps = [
        " ", "  ", "\u{a0}", "\u{2003}", "\n", "\t", ", ", ". ", "-", "—", "\u{200b}", "",
    ];
    let mut seed: u32 = 7;
    let mut next = |k: usize| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 16) as usize % k
    };
    (0..n)
        .map(|_| {
            let mut t = String::new();
            for _ in 0..2 + next(6) {
                t.push_str(words[next(words.len())]);
                t.push_str(gaps[next(gaps.len())]);
            }
            t
        })
        .collect()
}

/// Words of the archive and the demo site, with variants that reach every
/// rule of the Danish stemmer.
fn vocabulary(roots: &[&Path]) -> (BTreeSet<String>, Vec<String>) {
    let mut words = BTreeSet::new();
    let mut texts = Vec::new();
    for root in roots {
        let site = protokol::load::load_site(root).unwrap();
        let idx = protokol::site_index::SiteIndex::new(&site);
        let docs = protokol::search::documents::collect(&site, &idx);
        words.extend(protokol::search::export::surface_words(&docs).into_keys());
        for d in &docs {
            for t in [&d.title, &d.decision, &d.recommendation, &d.body] {
                if !t.is_empty() {
                    texts.push(t.clone());
                }
            }
        }
    }
    let suffixes = [
        "", "e", "en", "er", "ene", "erne", "ens", "ernes", "et", "ets", "hed", "heden", "heds",
        "erede", "ende", "endes", "s", "es", "ig", "lig", "elig", "els", "løst", "igst", "gt",
        "dt", "kt", "gd", "'", "'s", "bb", "tt",
    ];
    let base: Vec<String> = words.iter().take(4000).cloned().collect();
    for w in base {
        for s in suffixes {
            words.insert(format!("{w}{s}"));
        }
    }
    (words, texts)
}

#[test]
fn browser_analysis_equals_the_build_over_the_whole_vocabulary() {
    let Some(a) = archive(300) else { return };
    let Some(node) = support::node() else { return };
    let demo = support::crate_dir();
    let mut roots: Vec<&Path> = vec![&a.root];
    if demo.join("content").is_dir() {
        roots.push(&demo);
    }
    let (words, texts) = vocabulary(&roots);
    assert!(words.len() > 2000, "{} words", words.len());
    let mut texts = texts;
    texts.extend(
        [
            "Aarhus ÅRHUS aarhus Haandbog",
            "ikke godkendt",
            // Negation pairs: white space of every kind, or none.
            "IKKE\u{a0}godkendt, godkendte\tikke ej\nvedtaget ikke  ikke",
            "ikke\u{2003}godkendt ikke—godkendt ikke.godkendt ej-vedtaget",
            "blev ikke godkendt ikke 24/277 ikke x\u{200b}y",
            "A\u{30a}rhus",
            "İstanbul ΣΊΣΥΦΟΣ",
            "x".repeat(39).as_str(),
            "x".repeat(40).as_str(),
            "ø".repeat(20).as_str(),
            "24/277 24-277 2024-11-15",
            "e-mail: a@b.dk, 1.234,50 kr.",
            "½ ² ⅷ ٣",
            "naïve façade",
            "ﬁnans",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 emoji",
        ]
        .map(String::from),
    );
    texts.extend(negation_texts(400));
    let cases: Vec<String> = [
        "24/277",
        "24-277",
        "24 / 277",
        "2024",
        "lokal-plan",
        "A.12/B",
        "Ⅻ-1",
        "٣/4",
        "24/277.",
        "/24/",
        "24/ÆØ",
    ]
    .map(String::from)
    .to_vec();

    let mut stemmer = TextAnalyzer::builder(RawTokenizer::default())
        .filter(Stemmer::new(Language::Danish))
        .build();
    let mut danish = protokol::search::analyzer::danish();
    let words: Vec<String> = words.into_iter().collect();
    let rust_stems: Vec<String> = words
        .iter()
        .map(|w| {
            let mut out = protokol::search::analyzer::terms(&mut stemmer, w);
            out.pop().unwrap_or_default()
        })
        .collect();
    let rust_texts: Vec<Vec<String>> = texts
        .iter()
        .map(|t| protokol::search::analyzer::terms(&mut danish, t))
        .collect();
    // The negation texts do pair words: this compares the rule too.
    let paired = rust_texts
        .iter()
        .filter(|t| t.iter().any(|term| term.contains(' ')))
        .count();
    assert!(paired > 200, "{paired} texts with negation pairs");
    let rust_cases: Vec<Value> = cases
        .iter()
        .map(|c| {
            json!([
                protokol::search::analyzer::case_term(c),
                protokol::search::analyzer::looks_like_case(c)
            ])
        })
        .collect();

    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input.json");
    std::fs::write(
        &input,
        json!({"words": words, "texts": texts, "cases": cases}).to_string(),
    )
    .unwrap();
    let out: Value = serde_json::from_str(&support::run_node(
        &node,
        "analyze.mjs",
        &[input.as_os_str()],
    ))
    .unwrap();
    let js_stems: Vec<String> = serde_json::from_value(out["stems"].clone()).unwrap();
    let mismatches: Vec<_> = words
        .iter()
        .zip(rust_stems.iter().zip(&js_stems))
        .filter(|(_, (r, j))| r != j)
        .take(20)
        .collect();
    assert!(
        mismatches.is_empty(),
        "stems differ (word, (rust, js)) in {} words, e.g. {mismatches:?}",
        words.len()
    );
    // The stemmer does change words: this compares something.
    let changed = words
        .iter()
        .zip(&rust_stems)
        .filter(|(w, s)| w != s)
        .count();
    assert!(
        changed > words.len() / 3,
        "{changed} of {} stemmed",
        words.len()
    );
    let js_texts: Vec<Vec<String>> = serde_json::from_value(out["texts"].clone()).unwrap();
    for ((t, r), j) in texts.iter().zip(&rust_texts).zip(&js_texts) {
        assert_eq!(r, j, "analysis of {t:?}");
    }
    assert_eq!(out["cases"], Value::Array(rust_cases));
}

#[test]
fn export_does_not_depend_on_tantivy_segments_or_runs() {
    let Some(a) = archive(400) else { return };
    let site = protokol::load::load_site(&a.root).unwrap();
    let idx = protokol::site_index::SiteIndex::new(&site);
    let docs = protokol::search::documents::collect(&site, &idx);
    let names = protokol::search::committee_names(&site);
    let dir = tempfile::tempdir().unwrap();
    let export_with = |threads: usize| {
        let d = dir.path().join(format!("t{threads}"));
        std::fs::create_dir_all(&d).unwrap();
        let index = protokol::search::index::build(&d, &docs, &names, threads, 64 << 20, &|| false)
            .unwrap();
        let segments = index.reader.searcher().segment_readers().len();
        let files = protokol::search::export::export(&site, &docs, &index, &|| false).unwrap();
        (segments, files)
    };
    let (one_segment, a_files) = export_with(1);
    let (segments, b_files) = export_with(2);
    // Two indexing threads give two segments and other doc ids...
    assert_eq!(one_segment, 1);
    assert!(segments > 1, "{segments} segments");
    // ...and not one byte of the export differs.
    assert_eq!(a_files.len(), b_files.len());
    for ((pa, ba), (pb, bb)) in a_files.iter().zip(&b_files) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs");
    }
    // A clean build writes the same files as the build before it.
    let again = tempfile::tempdir().unwrap();
    std::fs::remove_dir_all(protokol::search::index::cache_dir(&a.root)).unwrap();
    support::build(&a.root, again.path());
    let first = support::files_inflated(&a.out.join("soeg/indeks"));
    let second = support::files_inflated(&again.path().join("soeg/indeks"));
    assert_eq!(first.len(), second.len());
    for ((pa, ba), (pb, bb)) in first.iter().zip(&second) {
        assert_eq!(pa.file_name(), pb.file_name());
        assert!(ba == bb, "{} differs", pa.display());
    }
}
