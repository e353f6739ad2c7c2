//! WCAG 2.1 AA on every page type of the demo site, checked by axe-core in
//! headless Chromium, at desktop width and without horizontal scrolling at
//! 320 px.

#[path = "support/browser.rs"]
mod browser;

use std::path::Path;

use protokol::build::{self, BuildOptions, Progress};

/// Builds the repository's demo site into a temporary folder: as it is,
/// or with `config` changed by `edit` (the content is linked, not copied).
fn build_demo(edit: Option<fn(String) -> String>) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = match edit {
        None => repo.to_path_buf(),
        Some(edit) => {
            let site = out.path().join("site");
            std::fs::create_dir_all(&site).unwrap();
            std::os::unix::fs::symlink(repo.join("content"), site.join("content")).unwrap();
            let config = std::fs::read_to_string(repo.join("config.toml")).unwrap();
            std::fs::write(site.join("config.toml"), edit(config)).unwrap();
            site
        }
    };
    let opts = BuildOptions {
        root,
        output: Some(out.path().join("public")),
        base_url: None,
    };
    if let Err(e) = build::build(&opts, &Progress::quiet()) {
        panic!("the demo site does not build:\n{e}");
    }
    out
}

/// One page of each kind, found in the built demo site; `calendar` and
/// `search` are the interface language's folder names.
fn page_of_each_type(public: &Path, calendar: &str, search: &str) -> Vec<String> {
    let first_dir = |dir: &Path, pred: &dyn Fn(&str) -> bool| -> String {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| pred(n) && dir.join(n).is_dir())
            .collect();
        names.sort();
        names
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("nothing in {}", dir.display()))
    };
    let committee = "kommunalbestyrelsen";
    let cdir = public.join(committee);
    let meeting = first_dir(&cdir, &|n| n.len() >= 10 && n.as_bytes()[4] == b'-');
    let year = first_dir(&cdir, &|n| n.len() == 4);
    let item = first_dir(&cdir.join(&meeting), &|_| true);
    let case = first_dir(&public.join("sager"), &|_| true);
    let cal_year = first_dir(&public.join(calendar), &|_| true);
    vec![
        "/".into(),
        format!("/{committee}/"),
        format!("/{committee}/{year}/"),
        format!("/{committee}/{meeting}/"),
        format!("/{committee}/{meeting}/{item}/"),
        format!("/sager/{case}/"),
        format!("/{calendar}/"),
        format!("/{calendar}/{cal_year}/"),
        "/tilgaengelighed/".into(),
        format!("/{search}/"),
        "/404.html".into(),
        // A meeting with closed items, an upcoming agenda, a cancelled meeting.
        "/oekonomiudvalget/2025-06-11/".into(),
        "/kommunalbestyrelsen/2026-12-10/".into(),
        "/boerne-og-skoleudvalget/2025-08-26/".into(),
        // A table wider than a phone: its own scroll area, which the
        // keyboard reaches; the page itself does not scroll sideways.
        "/oekonomiudvalget/2026-11-18/01-budgetopfoelgning-pr-30-september-2026/".into(),
    ]
}

#[test]
fn every_page_type_of_the_demo_site_passes_axe() {
    let Some(tools) = browser::browser_tools() else {
        return;
    };
    let out = build_demo(None);
    let public = out.path().join("public");
    let pages = page_of_each_type(&public, "kalender", "soeg");
    let paths: Vec<&str> = pages.iter().map(String::as_str).collect();
    if let Err(report) = tools.run_axe(&public, &paths) {
        panic!("accessibility problems:\n{report}");
    }
}

/// The English interface over the Danish minutes: the parts in Danish say
/// so with `lang` (axe checks that each value is valid), and the rest holds.
#[test]
fn every_page_type_of_the_demo_site_in_english_passes_axe() {
    let Some(tools) = browser::browser_tools() else {
        return;
    };
    let out = build_demo(Some(|c| {
        c.replace("language = \"da\"", "language = \"en\"")
    }));
    let public = out.path().join("public");
    let pages = page_of_each_type(&public, "calendar", "search");
    let item = std::fs::read_to_string(public.join(&pages[4][1..]).join("index.html")).unwrap();
    assert!(item.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(item.contains("<h1 lang=\"da\">"), "{item}");
    let paths: Vec<&str> = pages.iter().map(String::as_str).collect();
    if let Err(report) = tools.run_axe(&public, &paths) {
        panic!("accessibility problems:\n{report}");
    }
}
