//! The search page of the built demo site in headless Chromium, under a
//! strict Content-Security-Policy: real queries give the CLI's results,
//! the count is announced, filters and the query live in the URL, "show
//! more" and typeahead work by keyboard, and axe finds no WCAG problem.

#[path = "support/browser.rs"]
mod browser;
#[path = "support/search.rs"]
mod support;

use serde_json::{Value, json};
use support::Query;

/// The browser tools and the repository with the demo site, or a SKIP line
/// for what is missing.
fn browser_and_demo() -> Option<(browser::BrowserTools, std::path::PathBuf)> {
    let tools = browser::browser_tools()?;
    let root = support::crate_dir();
    if !root.join("content").is_dir() {
        support::skip("the demo site (content/) is not in this checkout");
        return None;
    }
    Some((tools, root))
}

/// Runs tests/search/browser.mjs over the site in `out` with `spec` and
/// returns what it saw, after checking that no page logged an error, broke
/// the Content-Security-Policy or failed a request.
fn drive(
    tools: &browser::BrowserTools,
    dir: &std::path::Path,
    out: &std::path::Path,
    spec: &Value,
) -> Value {
    let spec_file = dir.join("spec.json");
    std::fs::write(&spec_file, spec.to_string()).unwrap();
    let script = support::crate_dir().join("tests/search/browser.mjs");
    let o = tools.run_node(&script, &[out.as_os_str(), spec_file.as_os_str()]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "browser.mjs failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let seen: Value = serde_json::from_str(stdout.trim()).expect("browser.mjs prints JSON");
    assert_eq!(seen["errors"], json!([]), "{seen}");
    assert_eq!(seen["failed"], json!([]), "{seen}");
    seen
}

/// The page's results are the CLI's, in its order. A result whose snippet
/// came from its page leads to the section of the snippet, which the CLI
/// does not know; a link to the decision is the CLI's.
fn assert_same_results(hrefs: &[String], want: &[String], what: &str) {
    let page_of = |h: &String| h.split('#').next().unwrap().to_string();
    assert_eq!(
        hrefs.iter().map(page_of).collect::<Vec<_>>(),
        want.iter().map(page_of).collect::<Vec<_>>(),
        "results of {what}"
    );
    for (h, w) in hrefs.iter().zip(want) {
        if w.contains('#') {
            assert_eq!(h, w, "results of {what}");
        }
    }
}

#[test]
fn search_page_works_in_chromium_under_a_strict_csp() {
    let Some((tools, root)) = browser_and_demo() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    support::build(&root, &out);

    let searches = [
        "/soeg/?q=skolestruktur",
        "/soeg/?q=24%2F3310",
        "/soeg/?q=trafiksikkerhedsplan&udvalg=teknik-og-miljoeudvalget",
        "/soeg/?q=ikke+godkendt",
        "/soeg/?q=budget&aar=2026",
        "/soeg/?q=findesikkeqq",
        "/soeg/?q=solceller",
    ];
    let spec = json!({
        "searches": searches,
        "more": "/soeg/?q=kommunen",
        "typeahead": {"path": "/", "input": "#site-search", "text": "skolest"},
        "submit": {"path": "/soeg/", "q": "lokalplan", "committee": "teknik-og-miljoeudvalget"},
        "filter": {"path": "/soeg/?q=budget", "year": "2026"},
        "axe": "/soeg/?q=budget",
    });
    let seen = drive(&tools, dir.path(), &out, &spec);

    let cli = |q: Query| support::cli(&root, &q, 10);
    let expect = [
        cli(Query::new("skolestruktur")),
        cli(Query::new("24/3310")),
        cli(Query::new("trafiksikkerhedsplan").committee("teknik-og-miljoeudvalget")),
        cli(Query::new("ikke godkendt")),
        cli(Query::new("budget").year(2026)),
        cli(Query::new("findesikkeqq")),
        cli(Query::new("solceller")),
    ];
    for (i, (page, want)) in seen["searches"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&expect)
        .enumerate()
    {
        assert_eq!(page["state"], "done", "{page}");
        assert_eq!(page["statusRole"], "status");
        assert_eq!(page["statusLive"], "polite");
        let hrefs: Vec<String> = page["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["href"].as_str().unwrap().to_string())
            .collect();
        let want_hrefs: Vec<String> = support::paths(want)
            .into_iter()
            .map(|p| format!("/{p}"))
            .collect();
        assert_same_results(&hrefs, &want_hrefs, searches[i]);
        let total = want["total"].as_u64().unwrap();
        let status = page["status"].as_str().unwrap();
        if total == 0 {
            assert!(
                status.starts_with("Ingen resultater for »findesikkeqq«"),
                "{status}"
            );
        } else {
            assert!(
                status.starts_with(&format!("{total} resultat")),
                "status {status:?} for {total} results"
            );
        }
    }
    let s = &seen["searches"];
    // Real results, with the query words marked.
    assert!(s[0]["results"].as_array().unwrap().len() >= 5);
    assert_eq!(s[0]["results"][0]["title"], "Fremtidens skolestruktur");
    assert!(
        s[0]["results"][0]["marks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m
                .as_str()
                .unwrap()
                .to_lowercase()
                .starts_with("skolestruktur"))
    );
    // "solceller" is only far down the items' text: the snippets come
    // from their pages and show it; the second is in the section on the
    // economy, and its result leads there.
    assert!(
        s[6]["results"][1]["href"]
            .as_str()
            .unwrap()
            .ends_with("/03-tillaegsbevilling-til-taget-paa-fjordhallen/#oekonomi")
    );
    for r in s[6]["results"].as_array().unwrap() {
        assert!(r["snippet"].as_str().unwrap().contains("solceller"), "{r}");
        assert!(
            r["marks"].as_array().unwrap().contains(&json!("solceller")),
            "{r}"
        );
    }
    // The case number lists the case page first.
    assert_eq!(s[1]["results"][0]["href"], "/sager/24-3310/");
    // Filters from the URL are shown in the form.
    assert_eq!(s[2]["form"]["udvalg"], "teknik-og-miljoeudvalget");
    assert_eq!(s[4]["form"]["aar"], "2026");
    // A match in the decision links to it.
    assert!(
        s[3]["results"][0]["href"]
            .as_str()
            .unwrap()
            .ends_with("#beslutning")
    );
    // "ikke godkendt": the three decisions that say so come first.
    let mut said: Vec<&str> = s[3]["results"].as_array().unwrap()[..3]
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    said.sort();
    assert_eq!(
        said,
        [
            "Ansøgning om dispensation fra lokalplan 57 – carport på Lindevej",
            "Borgerforslag om gratis parkering i bymidten",
            "Budget 2026-2029 – anden behandling",
        ]
    );

    // More results on demand; focus moves to the first new one.
    let more = &seen["more"];
    assert_eq!(more["before"], 10);
    assert!(more["after"].as_u64().unwrap() > 10, "{more}");
    assert_eq!(more["focused"], more["eleventh"]["href"]);
    assert!(
        more["status"].as_str().unwrap().starts_with("Viser "),
        "{more}"
    );

    // Typeahead: a combobox with the archive's words, keyboard-operable.
    let ta = &seen["typeahead"];
    assert_eq!(ta["role"], "combobox");
    assert_eq!(ta["expanded"], "true");
    let options: Vec<&str> = ta["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    assert!(options.contains(&"skolestruktur"), "{options:?}");
    assert!(options.iter().all(|o| o.starts_with("skolest")));
    assert_eq!(ta["active"]["selected"], "true");
    assert_eq!(ta["expandedBefore"], "true");
    // Enter on the chosen word searches for it, like Enter in any search box.
    let word = ta["active"]["text"].as_str().unwrap();
    assert_eq!(ta["value"], word);
    assert_eq!(ta["searched"]["url"], format!("/soeg/?q={word}"));
    let want = support::paths(&cli(Query::new(word)));
    assert!(!want.is_empty());
    assert_eq!(
        ta["searched"]["results"].as_array().unwrap().len(),
        want.len(),
        "{ta}"
    );

    // Submitting puts the query and filter in the URL (shareable), and the
    // back button restores the previous search.
    let sub = &seen["submit"];
    assert_eq!(
        sub["url"],
        "/soeg/?q=lokalplan&udvalg=teknik-og-miljoeudvalget"
    );
    let want = cli(Query::new("lokalplan").committee("teknik-og-miljoeudvalget"));
    assert_eq!(
        sub["results"].as_array().unwrap().len(),
        support::paths(&want).len()
    );
    assert!(!support::paths(&want).is_empty());
    assert_eq!(sub["back"]["url"], "/soeg/");
    assert_eq!(sub["back"]["form"]["q"], "");

    // Changing a filter after a search searches again, and says so in the URL.
    let filtered = &seen["filter"];
    assert_eq!(filtered["url"], "/soeg/?q=budget&aar=2026");
    let hrefs: Vec<String> = filtered["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["href"].as_str().unwrap().to_string())
        .collect();
    let want: Vec<String> = support::paths(&cli(Query::new("budget").year(2026)))
        .into_iter()
        .map(|p| format!("/{p}"))
        .collect();
    assert!(!want.is_empty());
    assert_same_results(&hrefs, &want, "the filtered search");

    assert_eq!(seen["axe"], json!([]), "axe violations on the results page");
}

/// The demo site with an English interface: the minutes stay Danish, so
/// results and suggestions from them say so (WCAG 3.1.2), and a case
/// page's title only from where the interface's "Case 24/3310: " ends.
#[test]
fn an_english_interface_marks_the_danish_results_and_suggestions() {
    let Some((tools, root)) = browser_and_demo() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::os::unix::fs::symlink(root.join("content"), site.join("content")).unwrap();
    let config = std::fs::read_to_string(root.join("config.toml"))
        .unwrap()
        .replace("language = \"da\"", "language = \"en\"");
    assert!(config.contains("language = \"en\""), "{config}");
    std::fs::write(site.join("config.toml"), config).unwrap();
    let out = dir.path().join("public");
    support::build(&site, &out);

    let spec = json!({
        "searches": ["/search/?q=skolestruktur", "/search/?q=24%2F3310"],
        "typeahead": {"path": "/", "input": "#site-search", "text": "skolest"},
    });
    let seen = drive(&tools, dir.path(), &out, &spec);

    let item = &seen["searches"][0]["results"][0];
    assert_eq!(item["title"], "Fremtidens skolestruktur", "{item}");
    assert_eq!(
        item["lang"],
        json!({"title": "da", "titlePart": null, "committee": "da", "snippet": "da"}),
        "{item}"
    );
    let case = &seen["searches"][1]["results"][0];
    assert_eq!(case["href"], "/sager/24-3310/", "{case}");
    let title = case["title"].as_str().unwrap();
    let own = title.strip_prefix("Case 24/3310: ").expect(title);
    assert_eq!(case["lang"]["title"], Value::Null, "{case}");
    assert_eq!(case["lang"]["titlePart"], own, "{case}");
    assert_eq!(case["lang"]["committee"], "da", "{case}");

    let ta = &seen["typeahead"];
    assert!(!ta["options"].as_array().unwrap().is_empty(), "{ta}");
    assert!(
        ta["optionLangs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l == "da"),
        "{ta}"
    );
}
