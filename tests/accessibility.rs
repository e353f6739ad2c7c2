//! WCAG 2.1 AA on every page type of the demo site, checked by axe-core in
//! headless Chromium, at desktop width and without horizontal scrolling at
//! 320 px.

#[path = "support/browser.rs"]
mod browser;

use std::path::Path;

use protokol::build::{self, BuildOptions, Progress};

/// Builds the repository's demo site into a temporary folder.
fn build_demo() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let opts = BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        output: Some(out.path().join("public")),
        base_url: None,
    };
    if let Err(e) = build::build(&opts, &Progress::quiet()) {
        panic!("the demo site does not build:\n{e}");
    }
    out
}

/// One page of each kind, found in the built demo site.
fn page_of_each_type(public: &Path) -> Vec<String> {
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
    let cal_year = first_dir(&public.join("kalender"), &|_| true);
    vec![
        "/".into(),
        format!("/{committee}/"),
        format!("/{committee}/{year}/"),
        format!("/{committee}/{meeting}/"),
        format!("/{committee}/{meeting}/{item}/"),
        format!("/sager/{case}/"),
        "/kalender/".into(),
        format!("/kalender/{cal_year}/"),
        "/tilgaengelighed/".into(),
        "/soeg/".into(),
        "/404.html".into(),
        // A meeting with closed items, an upcoming agenda, a cancelled meeting.
        "/oekonomiudvalget/2025-06-11/".into(),
        "/kommunalbestyrelsen/2026-12-10/".into(),
        "/boerne-og-skoleudvalget/2025-08-26/".into(),
    ]
}

#[test]
fn every_page_type_of_the_demo_site_passes_axe() {
    let Some(tools) = browser::browser_tools() else {
        return;
    };
    let out = build_demo();
    let public = out.path().join("public");
    let pages = page_of_each_type(&public);
    let paths: Vec<&str> = pages.iter().map(String::as_str).collect();
    if let Err(report) = tools.run_axe(&public, &paths) {
        panic!("accessibility problems:\n{report}");
    }
}
