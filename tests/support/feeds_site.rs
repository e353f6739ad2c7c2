//! A small site for the feed, calendar, sitemap and OParl tests, built into
//! a temporary folder, and the Python checker that reads the result with
//! independent parsers (tests/feeds/check_outputs.py).
//!
//! The site holds what the outputs must get right: Danish letters in a
//! committee folder, `&`, `<`, `,`, `;` and `\` in text, summer and winter
//! time (also on the days it begins and ends), a meeting without a start time, a cancelled meeting, a committee
//! without meetings, one case through two committees with a route to a
//! third, an attachment shared by two items, a non-public attachment, more
//! than 100 cases (so OParl lists have a second page) and a closed item
//! whose private parts carry canary strings.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub const BASE_URL: &str = "https://referater.testby.dk/arkiv";

/// Strings only the private parts of the fixture hold. None may appear in
/// any byte of the output (compared in lower case: URLs lower-case slugs).
pub const CANARIES: &[&str] = &[
    "zqcanarytitle",
    "zqcanarybody",
    "zqcanaryheading",
    "zqcanarydecision",
    "zqcanarycase",
    "zqcanaryslug",
    "zqcanaryattach",
    "zqcanaryfile",
    "zqcanarybytes",
    "zqcanaryhidden",
];
pub const CLOSED_PUBLIC_TITLE: &str = "Lukket punkt: Salg af ejendom";
pub const CLOSED_PUBLIC_DECISION: &str = "Udvalget godkendte salget til højestbydende.";

/// Cases on the long agenda of the technical committee.
pub const BULK_CASES: usize = 120;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Writes the fixture site into `root`.
pub fn write_site(root: &Path) {
    write(
        root,
        "config.toml",
        &format!(
            "title = \"Testby Kommune – dagsordener & referater\"\nbase_url = \"{BASE_URL}\"\nlanguage = \"da\"\n"
        ),
    );
    write(
        root,
        "content/hovedudvalget/committee.toml",
        r#"name = "Hovedudvalget"
short = "HU"
description = "Det øverste MED-udvalg i Testby Kommune."
order = 10
members = [ { name = "Anna Jensen", role = "Formand" }, { name = "Bo Holm" }, { name = "Søren Ærø" } ]
"#,
    );
    write(
        root,
        "content/børn-og-unge/committee.toml",
        r#"name = "Børn & Unge-udvalget"
short = "BU"
order = 20
members = [ { name = "Anna Jensen", role = "Næstformand" }, { name = "Carla <Berg>" } ]
"#,
    );
    write(
        root,
        "content/kommunalbestyrelsen/committee.toml",
        "name = \"Kommunalbestyrelsen\"\nshort = \"KB\"\norder = 1\n",
    );
    write(
        root,
        "content/teknik/committee.toml",
        "name = \"Teknik- og Miljøudvalget\"\nshort = \"TMU\"\norder = 30\n",
    );

    // Summer time, minutes, a closed item and an item without headings.
    let m = "content/hovedudvalget/2024-06-04";
    write(
        root,
        &format!("{m}/meeting.toml"),
        r#"start = "09:30"
end = "11:00"
location = "Mødelokale 1, Rådhuset; 1. sal"
status = "minutes"
absent = ["Bo Holm"]
"#,
    );
    write(
        root,
        &format!("{m}/01-budget-2025.md"),
        r#"+++
title = "Budget 2025 – første behandling"
case = "24/277"
route = ["HU", "BU", "KB"]
attachments = [
  { title = "Budgetnotat", file = "budgetnotat.pdf" },
  { title = "zqcanaryhiddentitle", file = "zqcanaryhidden.pdf", public = false },
]
+++
## Sagsfremstilling
Forvaltningen har udarbejdet et budgetforslag.

## Indstilling
Direktionen indstiller, at udvalget sender forslaget videre.

## Beslutning i Hovedudvalget den 04-06-2024
Godkendt & sendt videre til Børn & Unge-udvalget.
"#,
    );
    write(
        root,
        &format!("{m}/budgetnotat.pdf"),
        "%PDF-1.4 budgetnotat\n",
    );
    write(
        root,
        &format!("{m}/zqcanaryhidden.pdf"),
        "%PDF-1.4 zqcanarybytes hidden\n",
    );
    write(
        root,
        &format!("{m}/02-zqcanaryslug-salg.md"),
        &format!(
            r#"+++
title = "zqcanarytitle Salg af grunden Østergade 12"
case = "98/ZQCANARYCASE"
route = ["HU"]
closed = true
public_title = "{CLOSED_PUBLIC_TITLE}"
public_decision = "{CLOSED_PUBLIC_DECISION}"
attachments = [ {{ title = "zqcanaryattach vurdering", file = "zqcanaryfile.pdf" }} ]
+++
## Sagsfremstilling
zqcanarybody Køber er et lokalt selskab.

## zqcanaryheading
Tekst.

## Beslutning
zqcanarydecision Godkendt.
"#
        ),
    );
    write(
        root,
        &format!("{m}/zqcanaryfile.pdf"),
        "%PDF-1.4 zqcanarybytes\n",
    );
    write(
        root,
        &format!("{m}/03-orientering.md"),
        r#"+++
title = "Orientering, spørgsmål; svar \\ status"
+++
Kort orientering uden overskrift.
"#,
    );

    // Winter time, an agenda without an end time.
    let m = "content/hovedudvalget/2024-11-15";
    write(
        root,
        &format!("{m}/meeting.toml"),
        "start = \"14:00\"\nlocation = \"Byrådssalen\"\nstatus = \"agenda\"\n",
    );
    write(
        root,
        &format!("{m}/01-budget-2025-anden.md"),
        r#"+++
title = "Budget 2025 – anden behandling"
case = "24/277"
route = ["HU", "BU", "KB"]
+++
## Indstilling
Direktionen indstiller, at budgettet vedtages.
"#,
    );

    // Cancelled, no time: an all-day event.
    write(
        root,
        "content/hovedudvalget/2024-12-01-ekstra/meeting.toml",
        "status = \"cancelled\"\nnote = \"Mødet er **aflyst**.\"\n",
    );

    // The case in a second committee; one attachment for two items.
    let m = "content/børn-og-unge/2024-09-10";
    write(
        root,
        &format!("{m}/meeting.toml"),
        "start = \"16:00\"\nend = \"18:00\"\nlocation = \"Skolen, Ørum\"\nstatus = \"minutes\"\n",
    );
    write(
        root,
        &format!("{m}/01-budget.md"),
        r#"+++
title = "Budget 2025 – børne- og ungeområdet"
case = "24/277"
route = ["HU", "BU", "KB"]
attachments = [ { title = "Oversigt over skoler", file = "bilag/oversigt.pdf" } ]
+++
## Beslutning
Anbefales.
"#,
    );
    write(
        root,
        &format!("{m}/02-skoler.md"),
        r#"+++
title = "Skolestruktur"
case = "24/300"
attachments = [ { title = "Oversigt", file = "bilag/oversigt.pdf" } ]
+++
## Sagsfremstilling
Drøftelse af skolestrukturen.
"#,
    );
    write(
        root,
        &format!("{m}/bilag/oversigt.pdf"),
        "%PDF-1.4 oversigt\n",
    );

    // On the days summer time begins and ends.
    write(
        root,
        "content/teknik/2024-03-31/meeting.toml",
        "start = \"12:00\"\nstatus = \"agenda\"\n",
    );
    // A long agenda: more cases than one OParl list page holds.
    let m = "content/teknik/2024-10-27";
    write(
        root,
        &format!("{m}/meeting.toml"),
        "start = \"10:00\"\nend = \"12:00\"\nlocation = \"Byrådssalen\"\nstatus = \"minutes\"\n",
    );
    for n in 1..=BULK_CASES {
        write(
            root,
            &format!("{m}/{n:03}-vejsag.md"),
            &format!(
                "+++\ntitle = \"Vejsag nr. {n}\"\ncase = \"23/{}\"\n+++\n## Beslutning\nGodkendt.\n",
                1000 + n
            ),
        );
    }
}

/// Builds the fixture into `<dir>/public`; returns the output folder.
pub fn build_site(dir: &Path) -> PathBuf {
    build_site_at(dir, None)
}

/// The same, published at another base URL (`http://localhost` for a
/// browser that serves the folder at its root).
pub fn build_site_at(dir: &Path, base_url: Option<&str>) -> PathBuf {
    let root = dir.join("site");
    write_site(&root);
    let out = dir.join("public");
    let opts = protokol::build::BuildOptions {
        root,
        output: Some(out.clone()),
        base_url: base_url.map(str::to_string),
    };
    if let Err(e) = protokol::build::build(&opts, &protokol::build::Progress::quiet()) {
        panic!("the fixture site does not build:\n{e}");
    }
    out
}

/// The fixture, built once per test binary into the target's folder for
/// test files, and what the Python checker saw in it (`None` when skipped).
pub struct Built {
    pub out: PathBuf,
    pub summary: Option<serde_json::Value>,
}

pub fn built_once(name: &str) -> &'static Built {
    static BUILT: std::sync::OnceLock<Built> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        let out = build_site(&dir);
        let summary = python_summary(&out);
        Built { out, summary }
    })
}

/// Every file of an output folder: site-relative path and bytes, sorted.
pub fn all_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

pub fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A missing tool: one loud line, or a failure under CI, where everything
/// the tests need is installed by .ci/run.
pub fn skip(reason: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{reason} (CI=true: .ci/run must install it)");
    }
    eprintln!("SKIP: {reason}");
}

/// The official OParl 1.1 JSON schemas (shared/oparl/schema beside the repository).
pub fn schema_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("OPARL_SCHEMA_DIR").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/oparl/schema")),
        Some(PathBuf::from("/work/shared/oparl/schema")),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("Meeting.json").is_file());
    if found.is_none() {
        skip(
            "the OParl schemas are missing (set OPARL_SCHEMA_DIR or put them in ../shared/oparl/schema)",
        );
    }
    found
}

/// Runs tests/feeds/check_outputs.py on an output folder and returns what
/// the parsers saw; `None` (after a SKIP line) without python3, its modules
/// or the schemas.
pub fn python_summary(out: &Path) -> Option<serde_json::Value> {
    let schemas = schema_dir()?;
    let modules = Command::new("python3")
        .args(["-c", "import feedparser, icalendar, jsonschema"])
        .output();
    if !modules.is_ok_and(|o| o.status.success()) {
        skip("python3 with feedparser, icalendar and jsonschema is not installed");
        return None;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/feeds/check_outputs.py");
    let run = Command::new("python3")
        .arg(&script)
        .arg(out)
        .arg(BASE_URL)
        .arg(&schemas)
        .output()
        .expect("python3 runs");
    assert!(
        run.status.success(),
        "check_outputs.py failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&run.stdout).expect("check_outputs.py prints JSON");
    let problems = summary["problems"].as_array().expect("a problem list");
    assert!(
        problems.is_empty(),
        "the parsers found {} problems:\n{}",
        problems.len(),
        problems
            .iter()
            .map(|p| p.as_str().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    );
    Some(summary)
}
