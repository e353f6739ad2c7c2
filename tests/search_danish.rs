//! Search on a small Danish site written for it: inflections, æ/ø/å and
//! "aa", case numbers, negations, filters, and a closed item whose private
//! parts must be found nowhere. Each query runs through the CLI and through
//! the browser client's engine in node, which must agree.

#[path = "support/search.rs"]
mod support;

use std::path::Path;

use serde_json::Value;
use support::{Query, cli, client, contains_ci, files_inflated, paths, titles};

/// Private parts of the closed item: none may be published or found.
const CANARIES: &[&str] = &[
    "Kanarietitelzq",
    "Kanarietekstzq",
    "Kanariebilagzq",
    "kanariefilzq",
    "kanarieslugzq",
    "98/7654",
    "98-7654",
    "7654",
];

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn item(title: &str, case: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ncase = \"{case}\"\n+++\n\n{body}")
}

fn fixture(root: &Path) {
    write(
        root,
        "config.toml",
        "title = \"Testby Kommune\"\nbase_url = \"https://testby.example\"\nlanguage = \"da\"\n",
    );
    write(
        root,
        "content/teknik/committee.toml",
        "name = \"Teknik- og Miljøudvalget\"\nshort = \"TMU\"\norder = 1\n",
    );
    write(
        root,
        "content/byraadet/committee.toml",
        "name = \"Byrådet\"\nshort = \"BR\"\norder = 2\n",
    );
    let minutes = "status = \"minutes\"\n";
    write(root, "content/teknik/2024-03-05/meeting.toml", minutes);
    write(
        root,
        "content/teknik/2024-03-05/01-lokalplan-aarhusvej.md",
        &item(
            "Lokalplan for Aarhusvej",
            "24/277",
            "## Sagsfremstilling\nForslag til lokalplan for boliger ved Aarhusvej i Søndergade-kvarteret.\n\n\
             ## Indstilling\nForvaltningen indstiller, at forslaget sendes i høring.\n\n\
             ## Beslutning i Teknik- og Miljøudvalget den 05-03-2024\nGodkendt. Beslutningen blev truffet enstemmigt.\n",
        ),
    );
    write(
        root,
        "content/teknik/2024-03-05/02-vejbelysning.md",
        &item(
            "Vejbelysning på Sondergade",
            "24/301",
            "## Sagsfremstilling\nBelysningen skal skiftes inden for et år.\n\n\
             ## Beslutning i Teknik- og Miljøudvalget den 05-03-2024\nIkke godkendt.\n",
        ),
    );
    write(
        root,
        "content/teknik/2024-03-05/03-kanarieslugzq.md",
        "+++\ntitle = \"Salg af Kanarietitelzq\"\ncase = \"98/7654\"\nclosed = true\n\
         public_title = \"Lukket punkt: Salg af grund i Århus\"\n\
         public_decision = \"Udvalget godkendte salget til højestbydende.\"\n\
         attachments = [{ title = \"Kanariebilagzq\", file = \"kanariefilzq.pdf\" }]\n+++\n\n\
         ## Sagsfremstilling\nKanarietekstzq om køberen.\n",
    );
    write(
        root,
        "content/teknik/2024-03-05/kanariefilzq.pdf",
        "%PDF-1.4\n",
    );
    write(root, "content/teknik/2025-01-15/meeting.toml", minutes);
    write(
        root,
        "content/teknik/2025-01-15/01-cykelsti.md",
        &item(
            "Cykelsti langs Fjordvej",
            "25/12",
            "## Sagsfremstilling\nEn beslutning om cykelstien blev udskudt.\n\n\
             ## Beslutning i Teknik- og Miljøudvalget den 15-01-2025\nGodkendt.\n",
        ),
    );
    // Its attachments: a public one, found by its title, and one that is
    // not, found by nothing.
    write(
        root,
        "content/teknik/2025-01-15/02-stier.md",
        "+++\ntitle = \"Stiplan\"\nattachments = [ { title = \"Årsberetning for stinettet\", file = \"a.pdf\" }, { title = \"Internt notat Skovgaardzq\", file = \"n.pdf\", public = false } ]\n+++\n\nTekst.\n",
    );
    write(root, "content/teknik/2025-01-15/a.pdf", "%PDF-1.4\n");
    write(root, "content/teknik/2025-01-15/n.pdf", "%PDF-1.4\n");
    write(root, "content/byraadet/2024-04-10/meeting.toml", minutes);
    write(
        root,
        "content/byraadet/2024-04-10/01-lokalplan-endelig.md",
        &item(
            "Lokalplan for Aarhusvej – endelig vedtagelse",
            "24/277",
            "## Sagsfremstilling\nEfter høringen vedtages lokalplanen endeligt. Borgere i Århus har sendt høringssvar.\n\n\
             ## Beslutning i Byrådet den 10-04-2024\nVedtaget. Beslutningerne offentliggøres.\n",
        ),
    );
    write(
        root,
        "content/byraadet/2024-04-10/02-grundsalg.md",
        &item(
            "Grundsalg i Nordby",
            "24/400",
            "## Sagsfremstilling\nGrunden er på 12 ar og ligger i landzone.\n\n\
             ## Beslutning i Byrådet den 10-04-2024\nGodkendt.\n",
        ),
    );
    // "ikke" and "godkendt" apart, with "godkendt" in the title.
    write(
        root,
        "content/byraadet/2024-04-10/04-trafikplan.md",
        &item(
            "Trafikplan godkendt",
            "24/402",
            "## Sagsfremstilling\nPlanen omfatter ikke de mindste veje.\n\n\
             ## Beslutning i Byrådet den 10-04-2024\nGodkendt.\n",
        ),
    );
    // A word found only far down the text, after markup and entities.
    write(
        root,
        "content/byraadet/2024-04-10/05-klimatilpasning.md",
        &format!(
            "+++\ntitle = \"Klimatilpasning i Nordby\"\ncase = \"24/403\"\n\
             attachments = [{{ title = \"Skitseforslag: bassin/kile ved 'Engvej'\", file = \"skitse.pdf\" }}]\n+++\n\n{}",
            "## Sagsfremstilling\nForvaltningen har gennemgået de områder i Nordby, hvor der de seneste somre har stået vand \
             på veje og i kældre efter kraftige regnskyl. Gennemgangen omfatter både kloakken, vejbrøndene og de grønne arealer \
             langs åen, og den er lavet sammen med forsyningen.\n\n\
             - Vejen ved skolen hæves.\n\
             - Der graves et *regnvandsbassin* & en grøn kile ved <Engvej>. Arbejdet begynder til foråret.\n\n\
             ## Økonomi\nUdgiften på 2,1 mio. kr. afholdes af klimapuljen.\n\n\
             ## Beslutning i Byrådet den 10-04-2024\nGodkendt.\n",
        ),
    );
    write(root, "content/byraadet/2024-04-10/skitse.pdf", "%PDF-1.4\n");
    // A file name with characters that end a URL path.
    write(
        root,
        "content/byraadet/2024-04-10/03-bro #2?.md",
        &item(
            "Brofornyelse",
            "24/401",
            "## Beslutning i Byrådet den 10-04-2024\nBrokarzq udskiftes.\n",
        ),
    );
}

struct Site {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    out: std::path::PathBuf,
}

fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("public");
    fixture(&root);
    support::build(&root, &out);
    Site {
        _dir: dir,
        root,
        out,
    }
}

/// The CLI's answer, checked against the browser client's when node is
/// there: same count, same results in the same order.
fn both(s: &Site, node: Option<&Path>, q: Query) -> Value {
    let c = cli(&s.root, &q, 10);
    if let Some(node) = node {
        let b = &client(node, &s.out, std::slice::from_ref(&q), 10)[0];
        assert_eq!(b["total"], c["total"], "count for {:?}", q);
        assert_eq!(paths(b), paths(&c), "results for {:?}", q);
        assert_eq!(b["terms"], c["terms"], "terms of {:?}", q);
    }
    c
}

#[test]
fn danish_search_finds_what_citizens_type() {
    let s = site();
    let node = support::node();
    let node = node.as_deref();

    // Inflections find each other.
    for q in [
        "beslutning",
        "beslutningen",
        "beslutninger",
        "beslutningerne",
    ] {
        let r = both(&s, node, Query::new(q));
        let t = titles(&r);
        assert!(
            t.contains(&"Cykelsti langs Fjordvej".to_string()),
            "{q}: {t:?}"
        );
        assert!(
            t.contains(&"Lokalplan for Aarhusvej".to_string()),
            "{q}: {t:?}"
        );
        assert!(
            t.contains(&"Lokalplan for Aarhusvej – endelig vedtagelse".to_string()),
            "{q}: {t:?}"
        );
    }

    // Public attachments are found by their titles, others not at all.
    assert_eq!(
        titles(&both(&s, node, Query::new("årsberetning"))),
        vec!["Stiplan"]
    );
    assert_eq!(both(&s, node, Query::new("skovgaardzq"))["total"], 0);

    // "aa" finds "å" and the reverse; the closed item's public title is searchable.
    let aarhus = titles(&both(&s, node, Query::new("Aarhus")));
    let aarhus2 = titles(&both(&s, node, Query::new("Århus")));
    assert_eq!(aarhus, aarhus2);
    assert!(aarhus.contains(&"Lukket punkt: Salg af grund i Århus".to_string()));
    assert!(aarhus.contains(&"Lokalplan for Aarhusvej – endelig vedtagelse".to_string()));

    // æ, ø, å are letters of their own.
    assert_eq!(
        titles(&both(&s, node, Query::new("søndergade"))),
        vec!["Lokalplan for Aarhusvej"]
    );
    assert_eq!(
        titles(&both(&s, node, Query::new("sondergade"))),
        vec!["Vejbelysning på Sondergade"]
    );
    assert_eq!(
        titles(&both(&s, node, Query::new("år"))),
        vec!["Vejbelysning på Sondergade"]
    );
    assert_eq!(
        titles(&both(&s, node, Query::new("ar"))),
        vec!["Grundsalg i Nordby"]
    );

    // A case number lists its case page first, however it is written.
    for q in ["24/277", "24-277"] {
        let r = both(&s, node, Query::new(q));
        assert_eq!(r["total"], 3, "{q}: {r}");
        assert_eq!(r["results"][0]["path"], "sager/24-277/", "{q}");
        assert_eq!(r["results"][0]["kind"], "case");
        assert!(
            r["results"][0]["title"]
                .as_str()
                .unwrap()
                .starts_with("Sag 24/277: ")
        );
    }

    // With other words, the case page is found by its case number alone,
    // beside (ranked by score) the case's items that hold the words.
    let r = both(&s, node, Query::new("vedtagelse 24/277"));
    assert_eq!(
        paths(&r),
        vec![
            "byraadet/2024-04-10/01-lokalplan-endelig/#beslutning",
            "sager/24-277/"
        ],
        "{r}"
    );
    let r = both(&s, node, Query::new("24/277 findesikkeqq"));
    assert_eq!(paths(&r), vec!["sager/24-277/"], "{r}");
    let r = both(
        &s,
        node,
        Query::new("24/277 vedtagelse").committee("teknik"),
    );
    assert_eq!(paths(&r), Vec::<String>::new(), "{r}");

    // "ikke godkendt" keeps its "ikke", and the decision that says so
    // comes before the item that holds both words apart, in either order
    // and with other words, though that item scores higher.
    let godkendt = both(&s, node, Query::new("godkendt"));
    assert!(godkendt["total"].as_u64().unwrap() >= 4, "{godkendt}");
    for (q, total) in [
        ("ikke godkendt", 2),
        ("godkendt ikke", 2),
        ("ikke-godkendte", 2),
        ("Sondergade IKKE godkendt", 1),
    ] {
        let r = both(&s, node, Query::new(q));
        assert_eq!(titles(&r)[0], "Vejbelysning på Sondergade", "{q}: {r}");
        // The pair ranks; it is no word a result needs.
        assert_eq!(r["total"], total, "{q}: {r}");
    }
    let ikke = both(&s, node, Query::new("ikke godkendt"));
    assert_eq!(
        titles(&ikke),
        vec!["Vejbelysning på Sondergade", "Trafikplan godkendt"]
    );
    let scores: Vec<f64> = ikke["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores[1] > scores[0],
        "the pair ranks, not the score: {ikke}"
    );

    // A decision match links to the decision.
    let r = both(&s, node, Query::new("enstemmigt"));
    assert_eq!(
        r["results"][0]["path"],
        "teknik/2024-03-05/01-lokalplan-aarhusvej/#beslutning"
    );

    // Its link is percent-encoded where the name would break it.
    assert_eq!(
        both(&s, node, Query::new("brokarzq"))["results"][0]["path"],
        "byraadet/2024-04-10/03-bro%20%232%3F/#beslutning"
    );

    // Filters.
    let all = both(&s, node, Query::new("lokalplan"));
    assert_eq!(all["total"], 2);
    let byraad = both(&s, node, Query::new("lokalplan").committee("byraadet"));
    assert_eq!(
        titles(&byraad),
        vec!["Lokalplan for Aarhusvej – endelig vedtagelse"]
    );
    assert_eq!(
        titles(&both(&s, node, Query::new("godkendt").year(2025))),
        vec!["Cykelsti langs Fjordvej"]
    );
    let decided = both(&s, node, Query::new("lokalplan").decisions());
    assert_eq!(decided["total"], 2);
    assert_eq!(
        both(&s, node, Query::new("lokalplan").year(2023))["total"],
        0
    );
}

#[test]
fn closed_items_leak_nothing_into_search() {
    let s = site();
    // Nothing private in any byte of the output, index files inflated.
    let files = files_inflated(&s.out);
    assert!(files.iter().any(|(p, _)| p.ends_with("manifest.json")));
    assert!(files.len() > 10);
    for (path, bytes) in &files {
        for c in CANARIES {
            assert!(!contains_ci(bytes, c), "{c} leaked into {}", path.display());
        }
    }
    // Nor in the tantivy index kept as a build cache.
    let index = protokol::search::index::open(
        &protokol::search::index::current_dir(&s.root).expect("the build left its search index"),
    )
    .expect("the search index opens");
    let searcher = index.reader.searcher();
    for seg in searcher.segment_readers() {
        for f in index.fields.text {
            let inverted = seg.inverted_index(f).unwrap();
            let mut terms = inverted.terms().stream().unwrap();
            while terms.advance() {
                let term = String::from_utf8_lossy(terms.key()).to_lowercase();
                assert!(
                    !term.contains("kanarie") && !term.contains("7654"),
                    "private term {term:?} in the tantivy index"
                );
            }
        }
    }
    for (path, bytes) in files_inflated(&protokol::search::index::cache_dir(&s.root)) {
        for c in CANARIES {
            assert!(!contains_ci(&bytes, c), "{c} in {}", path.display());
        }
    }

    // Neither the CLI nor the browser client finds a canary...
    let node = support::node();
    let mut queries: Vec<Query> = CANARIES.iter().map(|c| Query::new(c)).collect();
    queries.push(Query::new("Salg af Kanarietitelzq"));
    for q in &queries {
        assert_eq!(cli(&s.root, q, 10)["total"], 0, "CLI found {:?}", q.q);
    }
    if let Some(node) = &node {
        for r in client(node, &s.out, &queries, 10) {
            assert_eq!(r["total"], 0, "browser client found {}", r["q"]);
        }
    }
    // ...while the public title and public decision are found, and lead to
    // the item's line on the meeting page.
    for q in ["Salg af grund", "højestbydende"] {
        let r = cli(&s.root, &Query::new(q), 10);
        assert_eq!(r["total"], 1, "{q}: {r}");
        assert_eq!(r["results"][0]["kind"], "closed");
        assert_eq!(r["results"][0]["path"], "teknik/2024-03-05/#punkt-3");
        if let Some(node) = &node {
            let b = &client(node, &s.out, &[Query::new(q)], 10)[0];
            assert_eq!(paths(b), vec!["teknik/2024-03-05/#punkt-3".to_string()]);
            assert!(
                b["results"][0]["snippet"]
                    .as_str()
                    .unwrap()
                    .contains("højestbydende")
            );
        }
    }
    let meeting = std::fs::read_to_string(s.out.join("teknik/2024-03-05/index.html")).unwrap();
    assert!(meeting.contains("id=\"punkt-3\""));
}

#[test]
fn an_english_site_searches_at_search_and_an_empty_one_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("public");
    fixture(&root);
    write(
        &root,
        "config.toml",
        "title = \"Testby\"\nbase_url = \"https://testby.example/minutes\"\nlanguage = \"en\"\n",
    );
    support::build(&root, &out);
    assert!(out.join("search/index/manifest.json").is_file());
    assert!(!out.join("soeg").exists());
    let page = std::fs::read_to_string(out.join("search/index.html")).unwrap();
    assert!(
        page.contains("data-search-index=\"/minutes/search/index/\""),
        "{page}"
    );
    let r = cli(&root, &Query::new("24/277"), 10);
    assert_eq!(
        r["results"][0]["title"],
        "Case 24/277: Lokalplan for Aarhusvej – endelig vedtagelse"
    );
    if let Some(node) = support::node() {
        let b = &support::client_at(&node, &out, "search/index/", &[Query::new("24/277")], 10)[0];
        assert_eq!(paths(b), paths(&r));
        assert_eq!(b["total"], 3);
    }

    // No meetings at all: an index with nothing in it, and no error.
    let empty = dir.path().join("empty");
    let empty_out = dir.path().join("empty-public");
    write(&empty, "config.toml", "title = \"Tom\"\n");
    std::fs::create_dir_all(empty.join("content")).unwrap();
    support::build(&empty, &empty_out);
    assert_eq!(cli(&empty, &Query::new("budget"), 10)["total"], 0);
    if let Some(node) = support::node() {
        assert_eq!(
            client(&node, &empty_out, &[Query::new("budget")], 10)[0]["total"],
            0
        );
    }
}

/// `protokol search --root ROOT ARGS…`: its standard output.
fn search_command(root: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_protokol"))
        .args(["search", "--root"])
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_command_line_takes_a_committee_in_any_case() {
    let s = site();
    let run = |committee: &str| {
        search_command(&s.root, &["lokalplan", "--json", "--committee", committee])
    };
    let exact = run("TMU");
    assert!(exact.contains("Aarhusvej"), "{exact}");
    for typed in ["tmu", "teknik- og miljøudvalget", "TEKNIK"] {
        assert_eq!(run(typed), exact, "{typed}");
    }
}

#[test]
fn snippets_show_words_found_far_down_the_page() {
    let Some(node) = support::node() else {
        return;
    };
    let s = site();
    let queries = [
        Query::new("regnvandsbassinet"),
        Query::new("Årsberetning"),
        Query::new("klimatilpasning"),
        Query::new("grundsalg landzone"),
        Query::new("Salg af grund"),
        Query::new("klimapuljen"),
        Query::new("skitseforslag"),
    ];
    let r = support::client_deep(&node, &s.out, &queries, 10);
    let pages = |i: usize| -> Vec<String> {
        r[i]["page_reads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["file"].as_str().unwrap().to_string())
            .collect()
    };
    // The stored snippet (the decision, "Godkendt.") does not show the
    // word; the sentence of the page that holds it does, its markup gone
    // and its entities read as text.
    assert_eq!(paths(&r[0]), ["byraadet/2024-04-10/05-klimatilpasning/"]);
    assert_eq!(
        r[0]["results"][0]["snippet"],
        "Der graves et [regnvandsbassin] & en grøn kile ved <Engvej>. Arbejdet begynder til foråret."
    );
    assert_eq!(pages(0), ["byraadet/2024-04-10/05-klimatilpasning/"]);
    // The titles of public attachments follow the body in the stored
    // passage: no page needed.
    assert_eq!(
        r[1]["results"][0]["snippet"],
        "Tekst.\n[Årsberetning] for stinettet"
    );
    assert_eq!(pages(1), Vec::<String>::new());
    // Words the title or stored snippet show fetch no page.
    assert_eq!(r[2]["results"][0]["snippet"], "Godkendt.");
    assert_eq!(pages(2), Vec::<String>::new());
    // The title shows "grundsalg", the stored body "landzone".
    assert!(
        r[3]["results"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("[landzone]")
    );
    assert_eq!(pages(3), Vec::<String>::new());
    // A closed item has no page to fetch.
    assert_eq!(r[4]["results"][0]["kind"], "closed");
    assert_eq!(pages(4), Vec::<String>::new());
    // A snippet from a later section: the result leads there, as it leads
    // to the decision when a word matched in it.
    assert_eq!(
        paths(&r[5]),
        ["byraadet/2024-04-10/05-klimatilpasning/#oekonomi"]
    );
    assert_eq!(
        r[5]["results"][0]["snippet"],
        "Udgiften på 2,1 mio. kr. afholdes af [klimapuljen]."
    );
    // An attachment's title, read back from the page's escapes.
    assert_eq!(
        paths(&r[6]),
        ["byraadet/2024-04-10/05-klimatilpasning/#bilag"]
    );
    assert_eq!(
        r[6]["results"][0]["snippet"],
        "[Skitseforslag]: bassin/kile ved 'Engvej'"
    );
}

#[test]
fn the_command_line_takes_words_without_quotes() {
    let s = site();
    let run = |args: &[&str]| {
        serde_json::from_str::<serde_json::Value>(&search_command(&s.root, args)).unwrap()
    };
    let quoted = run(&["lokalplan aarhusvej", "--json"]);
    assert!(quoted["total"].as_u64().unwrap() > 0, "{quoted}");
    assert_eq!(run(&["lokalplan", "aarhusvej", "--json"]), quoted);
    assert_eq!(run(&["--json", "lokalplan", "aarhusvej"]), quoted);
    // A query that starts with `-`, after `--` as usual.
    let dashed = run(&["--json", "--", "-lokalplan", "aarhusvej"]);
    assert_eq!(dashed["terms"], quoted["terms"]);
    assert_eq!(dashed["total"], quoted["total"]);
}
