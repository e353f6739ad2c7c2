//! `protokol import`: exported minutes text → content files → a built site.
//!
//! The published example lives in ../shared/examples and is read from there
//! (the repository must not hold a copy). The odd cases are fixtures written
//! here: CRLF, BOM, colons, unknown headings, missing parts, closed items,
//! files that are no agenda items at all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use protokol::build::{self, BuildOptions, Progress};
use protokol::import::{self, ImportOptions, ImportReport, Outcome};

const EXAMPLE: &str = "published-item-hovedudvalget-2024-11-15.txt";

/// The published example, or `None` (with one loud line) when
/// ../shared is not there. Under CI it must be.
fn example() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("shared/examples")
        .join(EXAMPLE);
    if path.is_file() {
        return Some(path);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{} is missing, and CI=true", path.display());
    }
    eprintln!("SKIP: {} is missing", path.display());
    None
}

fn new_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "title = \"Test\"\nbase_url = \"https://example.dk\"\n",
    )
    .unwrap();
    dir
}

fn opts(root: &Path) -> ImportOptions {
    ImportOptions {
        root: root.to_path_buf(),
        ..Default::default()
    }
}

fn run(o: &ImportOptions, inputs: &[&Path]) -> ImportReport {
    let inputs: Vec<PathBuf> = inputs.iter().map(|p| p.to_path_buf()).collect();
    import::import(o, &inputs).unwrap()
}

fn build_site(root: &Path) {
    let o = BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    };
    if let Err(e) = build::build(&o, &Progress::quiet()) {
        panic!("build failed:\n{e}");
    }
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// What a reader sees of a page: its text without tags, entities decoded,
/// white space collapsed.
fn visible(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    decode(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Character references decoded (`&#x2F;` → `/`), tags kept.
fn decode(html: &str) -> String {
    html.replace("&#x2F;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The texts of a page's level-2 headings.
fn h2s(html: &str) -> Vec<String> {
    html.split("<h2")
        .skip(1)
        .filter_map(|rest| rest.split_once('>'))
        .filter_map(|(_, rest)| rest.split_once("</h2>"))
        .map(|(inner, _)| visible(inner))
        .collect()
}

fn page(root: &Path, url_path: &str) -> String {
    read(root, &format!("public/{url_path}index.html"))
}

/// The outcome of every file, panicking on a skipped one.
fn outcome_paths(report: &ImportReport) -> Vec<Outcome> {
    report
        .files
        .iter()
        .map(|f| match &f.outcome {
            Ok(o) => o.clone(),
            Err(e) => panic!("{}: {e}", f.source.display()),
        })
        .collect()
}

#[test]
fn the_published_example_becomes_an_item_page() {
    let Some(example) = example() else { return };
    let site = new_site();
    let root = site.path();
    let report = run(&opts(root), &[&example]);
    let item_file =
        "content/hovedudvalget/2024-11-15/01-frisaettelse-og-professionelt-aktoerskab.md";
    assert_eq!(
        outcome_paths(&report),
        [Outcome::Created {
            item: PathBuf::from(item_file)
        }]
    );
    // A new committee, named by the decision heading, short name by the route.
    assert_eq!(
        read(root, "content/hovedudvalget/committee.toml"),
        "name = \"Hovedudvalget\"\nshort = \"HU\"\n"
    );
    let meeting = read(root, "content/hovedudvalget/2024-11-15/meeting.toml");
    assert!(meeting.starts_with("status = \"minutes\"\n"), "{meeting}");
    let md = read(root, item_file);
    assert!(md.starts_with("+++\ntitle = \"Frisættelse og professionelt aktørskab\"\ncase = \"24/277\"\nroute = [\"HU\"]\n+++\n"), "{md}");
    assert!(!md.contains("Afbud") && !md.contains("Bilag"), "{md}");

    build_site(root);
    let html = page(
        root,
        "hovedudvalget/2024-11-15/01-frisaettelse-og-professionelt-aktoerskab/",
    );
    let text = visible(&html);
    assert!(
        html.contains("<h1>Frisættelse og professionelt aktørskab</h1>"),
        "{html}"
    );
    assert!(text.contains("Sagsnummer 24/277"), "{text}");
    assert!(text.contains("Sagsgang HU"), "{text}");
    for heading in [
        "Sagsfremstilling",
        "Sammenhæng til andre politikker/strategier og fagområder",
        "Indstilling",
        "Beslutning i Hovedudvalget den 15-11-2024",
        "Afbud",
    ] {
        assert!(
            h2s(&html).contains(&heading.to_string()),
            "no heading {heading}: {:?}",
            h2s(&html)
        );
    }
    // Lists stay lists.
    assert!(
        html.contains("<li>Tema på Fælles lederdag i juni</li>"),
        "{html}"
    );
    assert!(
        html.contains("<ol>\n<li>Hvordan forstår vi begreberne"),
        "{html}"
    );
    // The decision, with the sentence a page break cut in two made whole.
    assert!(text.contains("Beslutning i Hovedudvalget den 15-11-2024 Kommunaldirektør Jonas Kroustrup præsenterede"), "{text}");
    assert!(
        html.contains("træffer beslutninger inden for et bestemt område eller ramme."),
        "{html}"
    );
    assert!(text.contains("arbejdsmiljødagen."), "{text}");
    // Absentees: on the item page and on the meeting page.
    for name in [
        "Kim Bruun Nielsen (Fællesforvaltningsdirektør)",
        "Mette Koudal (Børne- og familiechef)",
        "Anne-Marie Bentzen (Sundhed- og omsorgschef)",
        "Lisette Jørgensen",
        "Henrik Fuglsang",
    ] {
        assert!(
            html.contains(&format!("<li>{name}</li>")),
            "{name} not on the item page"
        );
        let m = page(root, "hovedudvalget/2024-11-15/");
        assert!(
            m.contains(&format!("<li>{name}</li>")),
            "{name} not on the meeting page"
        );
    }
    let meeting_page = visible(&page(root, "hovedudvalget/2024-11-15/"));
    assert!(meeting_page.contains("Referat"), "{meeting_page}");

    // Importing again changes nothing, to the byte.
    let before = snapshot(&root.join("content"));
    let again = run(&opts(root), &[&example]);
    assert_eq!(
        outcome_paths(&again),
        [Outcome::Unchanged {
            item: PathBuf::from(item_file)
        }]
    );
    assert!(again.changes.is_empty());
    assert_eq!(snapshot(&root.join("content")), before);
}

/// A fixture with what real exports do: BOM, CRLF, blank lines in
/// threes, colons after headings, a heading protokol does not know, a page
/// break inside a sentence and inside a list item, Markdown-like characters.
const ODD: &str = "\u{feff}\r\n\r\nAnlæg af cykelsti på Stationsvej\r\n24/301 Åben Sag\r\n\r\n\r\n\r\nSagsgang:\r\n\r\nTMU, ØK\r\n\r\nSagsfremstilling:\r\n\r\nForvaltningen har projekteret en cykelsti *langs* Stationsvej <b>mellem</b> skolen og\r\n\r\n\r\nhallen. Projektet koster 2 mio. kr.\r\n\r\n• Etape 1: skolen\r\n• Etape 2: hallen og\r\n\r\np-pladsen\r\n\r\nTrafiksikkerhed\r\n\r\nStrækningen har haft tre uheld på fem år. Cykelstien adskiller trafikken.\r\n\r\nØkonomi:\r\n\r\nAnlægget finansieres af puljen til trafiksikkerhed.\r\n\r\nIndstilling:\r\n\r\nForvaltningen indstiller, at projektet godkendes.\r\n\r\nBeslutning i Teknik- og Miljøudvalget den 02-12-2024:\r\n\r\nGodkendt.\r\n\r\nAfbud:\r\n\r\nAnna Jensen, Bo Holm (V) og Carl Berg\r\n\r\nBilag:\r\n\r\nOversigtskort\r\nTidsplan for anlægget\r\n";

#[test]
fn odd_exports_import_and_build() {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(src.path().join("cykelsti.txt"), ODD).unwrap();
    std::fs::write(src.path().join("Oversigtskort.pdf"), b"%PDF-1.4 kort").unwrap();
    let site = new_site();
    let root = site.path();
    let report = run(&opts(root), &[src.path()]);
    let item =
        "content/teknik-og-miljoeudvalget/2024-12-02/01-anlaeg-af-cykelsti-paa-stationsvej.md";
    assert_eq!(
        outcome_paths(&report),
        [Outcome::Created {
            item: PathBuf::from(item)
        }]
    );
    // "ØK" names no committee: a placeholder keeps the route, and the
    // report asks for its name.
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("content/oek/committee.toml") && n.contains("placeholder")),
        "{:?}",
        report.notes
    );
    let placeholder = read(root, "content/oek/committee.toml");
    assert!(
        placeholder.contains("name = \"ØK\"\nshort = \"ØK\"\n"),
        "{placeholder}"
    );
    assert_eq!(
        read(root, "content/teknik-og-miljoeudvalget/committee.toml"),
        "name = \"Teknik- og Miljøudvalget\"\nshort = \"TMU\"\n"
    );
    let md = read(root, item);
    assert!(
        md.contains(
            "attachments = [\n  { title = \"Oversigtskort\", file = \"01-oversigtskort.pdf\" },\n]"
        ),
        "{md}"
    );
    assert!(md.contains("## Trafiksikkerhed\n"), "{md}");
    assert!(
        md.contains("\\*langs\\* Stationsvej \\<b>mellem\\</b> skolen og hallen."),
        "{md}"
    );
    assert_eq!(
        std::fs::read(
            root.join("content/teknik-og-miljoeudvalget/2024-12-02/01-oversigtskort.pdf")
        )
        .unwrap(),
        b"%PDF-1.4 kort"
    );
    assert_eq!(
        report.files[0].notes,
        [
            "bilag \"Tidsplan for anlægget\": no file of that name beside the text; listed under \"Bilag\" as text"
        ]
    );

    build_site(root);
    let html = page(
        root,
        "teknik-og-miljoeudvalget/2024-12-02/01-anlaeg-af-cykelsti-paa-stationsvej/",
    );
    let text = visible(&html);
    assert!(text.contains("Sagsnummer 24/301"), "{text}");
    // A linked short name is read out with the committee's name.
    assert!(
        text.contains("Sagsgang TMU (Teknik- og Miljøudvalget) ØK"),
        "{text}"
    );
    for heading in [
        "Sagsfremstilling",
        "Trafiksikkerhed",
        "Økonomi",
        "Indstilling",
        "Beslutning i Teknik- og Miljøudvalget den 02-12-2024",
        "Bilag",
        "Afbud",
    ] {
        assert!(
            h2s(&html).contains(&heading.to_string()),
            "no heading {heading}: {:?}",
            h2s(&html)
        );
    }
    // Characters are text, not markup.
    assert!(
        text.contains("en cykelsti *langs* Stationsvej <b>mellem</b> skolen og hallen."),
        "{text}"
    );
    assert!(
        html.contains("<li>Etape 2: hallen og p-pladsen</li>"),
        "{html}"
    );
    assert!(
        text.contains("Beslutning i Teknik- og Miljøudvalget den 02-12-2024 Godkendt."),
        "{text}"
    );
    assert!(html.contains("<li>Tidsplan for anlægget</li>"), "{html}");
    assert!(
        decode(&html)
            .contains("href=\"/teknik-og-miljoeudvalget/2024-12-02/01-oversigtskort.pdf\""),
        "{html}"
    );
    for name in ["Anna Jensen", "Bo Holm (V)", "Carl Berg"] {
        assert!(html.contains(&format!("<li>{name}</li>")), "{name}: {html}");
    }
    assert!(
        root.join("public/teknik-og-miljoeudvalget/2024-12-02/01-oversigtskort.pdf")
            .is_file()
    );

    // And once more: nothing changes.
    let before = snapshot(&root.join("content"));
    let again = run(&opts(root), &[src.path()]);
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    assert_eq!(snapshot(&root.join("content")), before);
}

const AGENDA_ONLY: &str = "Budget 2026 – 1. behandling\n\nIndstilling\n\nDirektionen indstiller, at budgetforslaget oversendes til 2. behandling.\n";

#[test]
fn missing_parts_need_the_options_and_give_an_agenda() {
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("budget.txt");
    std::fs::write(&file, AGENDA_ONLY).unwrap();
    let site = new_site();
    let root = site.path();

    let report = run(&opts(root), &[&file]);
    assert_eq!(report.failed(), 1);
    assert!(
        report.failures().contains("budget.txt: no meeting date"),
        "{}",
        report.failures()
    );
    assert!(!root.join("content").exists());

    let mut o = opts(root);
    o.date = Some(chrono::NaiveDate::from_ymd_opt(2025, 9, 10).unwrap());
    let report = run(&o, &[&file]);
    assert!(
        report.failures().contains("cannot tell the committee"),
        "{}",
        report.failures()
    );

    o.committee = Some("oekonomiudvalget".into());
    let report = run(&o, &[&file]);
    assert_eq!(report.failed(), 0, "{}", report.failures());
    assert_eq!(
        read(root, "content/oekonomiudvalget/2025-09-10/meeting.toml"),
        "status = \"agenda\"\n"
    );
    // No name to be had: the folder name stands in, for the web team to edit.
    assert_eq!(
        read(root, "content/oekonomiudvalget/committee.toml"),
        "name = \"oekonomiudvalget\"\n"
    );
    let md = read(
        root,
        "content/oekonomiudvalget/2025-09-10/01-budget-2026-1-behandling.md",
    );
    assert_eq!(
        md,
        "+++\ntitle = \"Budget 2026 – 1. behandling\"\n+++\n\n## Indstilling\n\nDirektionen indstiller, at budgetforslaget oversendes til 2. behandling.\n"
    );
    build_site(root);
    let text = visible(&page(
        root,
        "oekonomiudvalget/2025-09-10/01-budget-2026-1-behandling/",
    ));
    assert!(text.contains("Punktet er endnu ikke behandlet."), "{text}");
}

const CLOSED: &str = "Salg af grunden Østergade 12\n\n24/512 Lukket Sag\n\nSagsgang\n\nØK\n\nSagsfremstilling\n\nKøber er Hemmeligholdt Ejendomme ApS, som byder 4,2 mio. kr.\n\nIndstilling\n\nAt grunden sælges.\n\nBeslutning i Økonomiudvalget den 02-12-2024\n\nGodkendt, salget gennemføres.\n\nBilag:\n\nKøbstilbud\n";

const OPEN_OEK: &str = "Regnskab 2024\n\n25/12 Åben Sag\n\nSagsgang\n\nØK, KB\n\nSagsfremstilling\n\nRegnskabet viser et overskud.\n\nBeslutning i Økonomiudvalget den 02-12-2024\n\nAnbefales.\n";

#[test]
fn closed_items_stay_closed() {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(src.path().join("1 regnskab.txt"), OPEN_OEK).unwrap();
    std::fs::write(src.path().join("2 salg.txt"), CLOSED).unwrap();
    std::fs::write(src.path().join("Købstilbud.pdf"), b"hemmeligt tilbud").unwrap();
    let site = new_site();
    let root = site.path();
    let report = run(&opts(root), &[src.path()]);
    let closed = "content/oekonomiudvalget/2024-12-02/02-lukket-punkt.md";
    assert_eq!(
        outcome_paths(&report),
        [
            Outcome::Created {
                item: "content/oekonomiudvalget/2024-12-02/01-regnskab-2024.md".into()
            },
            Outcome::Created {
                item: closed.into()
            },
        ]
    );
    let md = read(root, closed);
    assert!(md.starts_with("+++\ntitle = \"Salg af grunden Østergade 12\"\ncase = \"24/512\"\nroute = [\"ØK\"]\nclosed = true\nattachments = [\n  { title = \"Købstilbud\", file = \"02-bilag-1.pdf\" },\n]\n+++\n"), "{md}");
    assert!(!md.contains("public_title"), "{md}");
    assert!(
        md.contains("## Sagsfremstilling\n\nKøber er Hemmeligholdt"),
        "{md}"
    );

    build_site(root);
    let agenda = visible(&page(root, "oekonomiudvalget/2024-12-02/"));
    assert!(agenda.contains("Lukket punkt"), "{agenda}");
    // Nothing private anywhere in the published site.
    for (path, bytes) in snapshot(&root.join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in [
            "Østergade",
            "Hemmeligholdt",
            "24/512",
            "24-512",
            "lukket-punkt",
            "bilag-1",
            "Købstilbud",
            "hemmeligt tilbud",
            "Godkendt, salget",
        ] {
            assert!(
                !text.contains(secret),
                "{secret:?} published in {}",
                path.display()
            );
        }
    }
}

#[test]
fn files_that_are_no_items_are_reported_and_the_rest_imports() {
    let Some(example) = example() else { return };
    let src = tempfile::tempdir().unwrap();
    let s = src.path();
    std::fs::copy(&example, s.join("01 frisaettelse.txt")).unwrap();
    std::fs::write(s.join("02 tom.txt"), "").unwrap();
    std::fs::write(
        s.join("03 billede.txt"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    )
    .unwrap();
    std::fs::write(
        s.join("04 noter.txt"),
        "Husk at bestille kaffe til mødet\n\nOg kage.\n",
    )
    .unwrap();
    std::fs::write(s.join("05 uden titel.txt"), "Sagsfremstilling\n\nTekst.\n").unwrap();
    std::fs::write(s.join("10 regnskab.txt"), OPEN_OEK).unwrap();
    std::fs::write(s.join("noter.md"), "not a .txt file, not read").unwrap();
    let site = new_site();
    let root = site.path();

    let report = run(&opts(root), &[s]);
    let failures = report.failures();
    let name = |n: &str| s.join(n).display().to_string();
    assert_eq!(
        failures,
        format!(
            "{}: the file is empty\n{}: not a text file (it holds binary data)\n{}: not an exported agenda item: found no case line (such as \"24/277 Åben Sag\") and no known heading (such as \"Sagsfremstilling\" or \"Beslutning\")\n{}: no title: the text starts with the heading \"Sagsfremstilling\", not with the item's title\n",
            name("02 tom.txt"),
            name("03 billede.txt"),
            name("04 noter.txt"),
            name("05 uden titel.txt"),
        )
    );
    let created: Vec<_> = report
        .files
        .iter()
        .filter_map(|f| match &f.outcome {
            Ok(Outcome::Created { item }) => Some(item.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        created,
        [
            PathBuf::from(
                "content/hovedudvalget/2024-11-15/01-frisaettelse-og-professionelt-aktoerskab.md"
            ),
            // The file name's number is kept: 10, not 1.
            PathBuf::from("content/oekonomiudvalget/2024-12-02/10-regnskab-2024.md"),
        ]
    );
    build_site(root);

    // The command line: skipped files on stderr, exit status 1.
    let site2 = new_site();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_protokol"))
        .args(["import", "--root"])
        .arg(site2.path())
        .arg(s)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("02 tom.txt: the file is empty"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("2 new items"), "{stdout}");
    assert!(
        site2
            .path()
            .join("content/oekonomiudvalget/2024-12-02/10-regnskab-2024.md")
            .is_file()
    );
}

/// `OPEN_OEK` exported into a folder and imported into a new site: the
/// export's folder, its file, the site and the item file made.
fn imported_oek() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    tempfile::TempDir,
    std::path::PathBuf,
) {
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("regnskab.txt");
    std::fs::write(&file, OPEN_OEK).unwrap();
    let site = new_site();
    run(&opts(site.path()), &[&file]);
    let item = site
        .path()
        .join("content/oekonomiudvalget/2024-12-02/01-regnskab-2024.md");
    (src, file, site, item)
}

#[test]
fn edited_items_are_kept_unless_forced() {
    let (_src, file, site, item) = imported_oek();
    let root = site.path();
    let original = std::fs::read_to_string(&item).unwrap();
    let edited = original.replace("et overskud", "et pænt overskud");
    std::fs::write(&item, &edited).unwrap();

    let report = run(&opts(root), &[&file]);
    assert_eq!(
        outcome_paths(&report),
        [Outcome::Kept {
            item: "content/oekonomiudvalget/2024-12-02/01-regnskab-2024.md".into()
        }]
    );
    assert!(report.changes.is_empty());
    assert_eq!(std::fs::read_to_string(&item).unwrap(), edited);
    assert!(
        report.summary().contains("--force overwrites it"),
        "{}",
        report.summary()
    );

    let mut o = opts(root);
    o.force = true;
    let report = run(&o, &[&file]);
    assert_eq!(
        outcome_paths(&report),
        [Outcome::Updated {
            item: "content/oekonomiudvalget/2024-12-02/01-regnskab-2024.md".into()
        }]
    );
    assert_eq!(std::fs::read_to_string(&item).unwrap(), original);
}

#[test]
fn an_export_that_closes_a_published_item_is_not_passed_over() {
    let (_src, file, site, item) = imported_oek();
    let root = site.path();
    let open = std::fs::read_to_string(&item).unwrap();

    // The same item exported again, now closed.
    let closed = OPEN_OEK.replace("Åben Sag", "Lukket Sag");
    assert_ne!(closed, OPEN_OEK);
    std::fs::write(&file, closed).unwrap();
    let report = run(&opts(root), &[&file]);
    assert_eq!(report.failed(), 1, "{}", report.summary());
    assert!(
        report
            .failures()
            .contains("the export now marks the item closed"),
        "{}",
        report.failures()
    );
    assert_eq!(std::fs::read_to_string(&item).unwrap(), open);

    let mut o = opts(root);
    o.force = true;
    let report = run(&o, &[&file]);
    assert_eq!(report.failed(), 0, "{}", report.summary());
    // The file keeps its name; a closed item's slug is published nowhere.
    assert!(
        std::fs::read_to_string(&item)
            .unwrap()
            .contains("closed = true")
    );
}

#[test]
fn dry_run_writes_nothing_and_shows_everything() {
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("regnskab.txt");
    std::fs::write(&file, OPEN_OEK).unwrap();
    let site = new_site();
    let root = site.path();
    let before = snapshot(root);
    let mut o = opts(root);
    o.dry_run = true;
    let report = run(&o, &[&file]);
    assert_eq!(snapshot(root), before);
    let paths: Vec<_> = report.changes.iter().map(|c| c.path.clone()).collect();
    assert_eq!(
        paths,
        [
            PathBuf::from("content/kb/committee.toml"),
            PathBuf::from("content/oekonomiudvalget/2024-12-02/01-regnskab-2024.md"),
            PathBuf::from("content/oekonomiudvalget/2024-12-02/meeting.toml"),
            PathBuf::from("content/oekonomiudvalget/committee.toml"),
        ]
    );
    let summary = report.summary();
    assert!(summary.contains("--- would write content/oekonomiudvalget/2024-12-02/01-regnskab-2024.md (new)\n+++\ntitle = \"Regnskab 2024\""), "{summary}");
    assert!(summary.contains("Dry run, nothing written"), "{summary}");

    // The real run writes exactly what the dry run showed.
    let real = run(&opts(root), &[&file]);
    for c in &report.changes {
        assert_eq!(
            std::fs::read(root.join(&c.path)).unwrap(),
            c.bytes,
            "{}",
            c.path.display()
        );
    }
    assert_eq!(real.changes.len(), report.changes.len());
}

#[test]
fn an_existing_meeting_keeps_its_fields_and_gains_absentees() {
    let site = new_site();
    let root = site.path();
    let meeting_dir = root.join("content/hu/2024-11-15");
    std::fs::create_dir_all(&meeting_dir).unwrap();
    std::fs::write(
        root.join("content/hu/committee.toml"),
        "name = \"HovedUdvalget\" # MED\nshort = \"HU\"\norder = 3\n",
    )
    .unwrap();
    let meeting = "# Ordinært møde\nstart = \"14:00\"\nlocation = \"Byrådssalen\" # flyttet\nstatus = \"agenda\"\nabsent = [\"Mette Koudal (Børne- og familiechef)\", \"Ole Olsen\"]\n";
    std::fs::write(meeting_dir.join("meeting.toml"), meeting).unwrap();
    std::fs::write(
        meeting_dir.join("01-godkendelse.md"),
        "+++\ntitle = \"Godkendelse af dagsorden\"\n+++\n",
    )
    .unwrap();
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("item.txt");
    std::fs::write(
        &file,
        "Frisættelse\n\n24/277 Åben Sag\n\nSagsgang\n\nHU\n\nBeslutning i Hovedudvalget den 15-11-2024\n\nDrøftet.\n\nAfbud:\n\nMette Koudal (Børne- og familiechef)\n\nLisette Jørgensen\n",
    )
    .unwrap();
    let report = run(&opts(root), &[&file]);
    // The committee is found by its name, whatever its case; number 2 is next.
    assert_eq!(
        outcome_paths(&report),
        [Outcome::Created {
            item: "content/hu/2024-11-15/02-frisaettelse.md".into()
        }]
    );
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    assert_eq!(
        std::fs::read_to_string(meeting_dir.join("meeting.toml")).unwrap(),
        "# Ordinært møde\nstart = \"14:00\"\nlocation = \"Byrådssalen\" # flyttet\nstatus = \"minutes\"\nabsent = [\"Mette Koudal (Børne- og familiechef)\", \"Ole Olsen\", \"Lisette Jørgensen\"]\n"
    );
    assert_eq!(
        read(root, "content/hu/committee.toml"),
        "name = \"HovedUdvalget\" # MED\nshort = \"HU\"\norder = 3\n"
    );
    build_site(root);
    let text = visible(&page(root, "hu/2024-11-15/"));
    assert!(
        text.contains("Afbud Mette Koudal (Børne- og familiechef) Ole Olsen Lisette Jørgensen"),
        "{text}"
    );
}

#[test]
fn a_placeholder_committee_gets_its_name_from_a_later_import() {
    let site = new_site();
    let root = site.path();
    let src = tempfile::tempdir().unwrap();
    let oek = src.path().join("oek.txt");
    std::fs::write(&oek, OPEN_OEK).unwrap();
    run(&opts(root), &[&oek]);
    assert!(read(root, "content/kb/committee.toml").contains("name = \"KB\"\nshort = \"KB\"\n"));

    let kb = src.path().join("kb.txt");
    std::fs::write(
        &kb,
        OPEN_OEK.replace(
            "Beslutning i Økonomiudvalget den 02-12-2024\n\nAnbefales.",
            "Beslutning i Kommunalbestyrelsen den 16-12-2024\n\nGodkendt.",
        ),
    )
    .unwrap();
    let report = run(&opts(root), &[&kb]);
    assert_eq!(
        outcome_paths(&report),
        [Outcome::Created {
            item: "content/kb/2024-12-16/01-regnskab-2024.md".into()
        }]
    );
    assert_eq!(
        read(root, "content/kb/committee.toml"),
        "name = \"Kommunalbestyrelsen\"\nshort = \"KB\"\n"
    );
    build_site(root);
    // The case's route now links both committees' items.
    let html = page(root, "kb/2024-12-16/01-regnskab-2024/");
    for (name, short) in [("Økonomiudvalget", "ØK"), ("Kommunalbestyrelsen", "KB")] {
        assert!(
            html.contains(&format!(
                "<abbr title=\"{name}\">{short}</abbr><span class=\"visually-hidden\"> ({name})</span></a>"
            )),
            "{html}"
        );
    }
}

#[test]
fn short_names_are_learnt_across_the_files_of_one_run() {
    let src = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(src.path().join("kb")).unwrap();
    std::fs::create_dir_all(src.path().join("oek")).unwrap();
    // Read first: names the committees in full, learns no short name.
    std::fs::write(
        src.path().join("kb/1.txt"),
        "Regnskab 2024\n\n25/12 Åben Sag\n\nSagsgang\n\nØkonomiudvalget, Kommunalbestyrelsen\n\nBeslutning i Økonomiudvalget den 02-12-2024\n\nAnbefales.\n\nBeslutning i Kommunalbestyrelsen den 16-12-2024\n\nGodkendt.\n",
    )
    .unwrap();
    std::fs::write(src.path().join("oek/1.txt"), OPEN_OEK).unwrap();
    let site = new_site();
    let root = site.path();
    let report = run(&opts(root), &[src.path()]);
    assert_eq!(report.failed(), 0, "{}", report.failures());
    assert_eq!(
        report.notes,
        [
            "content/kommunalbestyrelsen/committee.toml: new committee \"Kommunalbestyrelsen\", short name \"KB\"",
            "content/oekonomiudvalget/committee.toml: new committee \"Økonomiudvalget\", short name \"ØK\"",
        ]
    );
    assert!(!root.join("content/kb").exists());
    for item in [
        "content/kommunalbestyrelsen/2024-12-16/01-regnskab-2024.md",
        "content/oekonomiudvalget/2024-12-02/01-regnskab-2024.md",
    ] {
        assert!(
            read(root, item).contains("route = [\"ØK\", \"KB\"]"),
            "{item}"
        );
    }
    build_site(root);
    let text = visible(&page(root, "sager/25-12/"));
    assert!(
        text.contains("Økonomiudvalget") && text.contains("Kommunalbestyrelsen"),
        "{text}"
    );
}

/// Fails when any of `secrets` is in any byte of the built site.
fn assert_unpublished(root: &Path, secrets: &[&str]) {
    for (path, bytes) in snapshot(&root.join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{secret:?} published in {}",
                path.display()
            );
        }
    }
}

/// A closed item's text after its header lines: a route, private text, a
/// decision.
const CLOSED_BODY: &str = "Sagsgang\n\nØK\n\nSagsfremstilling\n\nKøber er Hemmeligholdt Ejendomme ApS.\n\nBeslutning i Økonomiudvalget den 02-12-2024\n\nGodkendt, salget gennemføres.\n";

#[test]
fn closed_markers_in_any_layout_close_the_item() {
    // Layouts that were imported as open and published in full.
    let heads = [
        "Salg af grunden Østergade 1\n\nSagsnr.: 24/513\n\nLukket sag",
        "Salg af grunden Østergade 2\n\nSag: 24/516 - Lukket sag",
        "Salg af grunden Østergade 3\n\n24/514 Lukket",
        "Salg af grunden Østergade 4\n\n24/515 Lukkede punkter",
        "Lukket punkt: Salg af grunden Østergade 5\n\n24/518 Åben sag",
        "Salg af grunden Østergade 6\n\n24/517 Åben sag\n\nLukket punkt",
        "Salg af grunden Østergade 7\nSagsnr. 24/519\nLUKKET SAG",
    ];
    let src = tempfile::tempdir().unwrap();
    for (n, head) in heads.iter().enumerate() {
        let text = format!("{head}\n\n{CLOSED_BODY}");
        std::fs::write(src.path().join(format!("{} salg.txt", n + 1)), text).unwrap();
    }
    std::fs::write(src.path().join("8 regnskab.txt"), OPEN_OEK).unwrap();
    let site = new_site();
    let root = site.path();
    let report = run(&opts(root), &[src.path()]);
    let dir = "content/oekonomiudvalget/2024-12-02";
    let mut expected: Vec<Outcome> = (1..=7)
        .map(|n| Outcome::Created {
            item: format!("{dir}/0{n}-lukket-punkt.md").into(),
        })
        .collect();
    expected.push(Outcome::Created {
        item: format!("{dir}/08-regnskab-2024.md").into(),
    });
    assert_eq!(outcome_paths(&report), expected);
    for (n, case) in [(1, "24/513"), (2, "24/516"), (3, "24/514"), (7, "24/519")] {
        let md = read(root, &format!("{dir}/0{n}-lukket-punkt.md"));
        assert!(md.contains(&format!("case = \"{case}\"\n")), "{md}");
        assert!(md.contains("closed = true\n"), "{md}");
    }
    for n in 4..=6 {
        let md = read(root, &format!("{dir}/0{n}-lukket-punkt.md"));
        assert!(md.contains("closed = true\n"), "{md}");
    }
    assert!(!read(root, &format!("{dir}/08-regnskab-2024.md")).contains("closed"));

    build_site(root);
    let agenda = visible(&page(root, "oekonomiudvalget/2024-12-02/"));
    assert_eq!(agenda.matches("Lukket punkt").count(), 7, "{agenda}");
    assert!(agenda.contains("Regnskab 2024"), "{agenda}");
    assert_unpublished(
        root,
        &[
            "Østergade",
            "oestergade",
            "Hemmeligholdt",
            "Godkendt, salget",
            "lukket-punkt",
            "24/513",
            "24/514",
            "24/515",
            "24/516",
            "24/517",
            "24/518",
            "24/519",
            "24-51",
        ],
    );
}

#[test]
fn force_keeps_a_closed_item_file_closed() {
    let src = tempfile::tempdir().unwrap();
    // Exported as open; the web team closes it by hand.
    let open = "Salg af grunden Østergade 12\n\n24/520 Åben Sag\n\nSagsfremstilling\n\nKøber er Hemmeligholdt Ejendomme ApS.\n\nBeslutning i Økonomiudvalget den 02-12-2024\n\nGodkendt, salget gennemføres.\n";
    std::fs::write(src.path().join("1 salg.txt"), open).unwrap();
    std::fs::write(src.path().join("2 salg.txt"), CLOSED).unwrap();
    let site = new_site();
    let root = site.path();
    run(&opts(root), &[src.path()]);
    let dir = "content/oekonomiudvalget/2024-12-02";
    let first = root.join(dir).join("01-salg-af-grunden-oestergade-12.md");
    let md = std::fs::read_to_string(&first).unwrap();
    // Closed by hand, the case number deleted as well.
    let closed_by_hand = md.replace(
        "case = \"24/520\"\n",
        "closed = true\npublic_title = \"Salg af ejendom\"\npublic_decision = \"Salget blev godkendt.\"\n",
    );
    assert_ne!(closed_by_hand, md);
    std::fs::write(&first, &closed_by_hand).unwrap();
    let second = root.join(dir).join("02-lukket-punkt.md");
    let md = std::fs::read_to_string(&second).unwrap();
    std::fs::write(
        &second,
        md.replace(
            "closed = true\n",
            "closed = true\npublic_title = \"Ejendomssalg\"\n",
        ),
    )
    .unwrap();

    let mut o = opts(root);
    o.force = true;
    let report = run(&o, &[src.path()]);
    assert_eq!(
        outcome_paths(&report),
        [
            Outcome::Updated {
                item: format!("{dir}/01-salg-af-grunden-oestergade-12.md").into()
            },
            // Its public_title stands where the import puts it: nothing to do.
            Outcome::Unchanged {
                item: format!("{dir}/02-lukket-punkt.md").into()
            },
        ]
    );
    assert!(
        report.files[0]
            .notes
            .iter()
            .any(|n| n.contains("kept closed")),
        "{:?}",
        report.files[0].notes
    );
    let md = std::fs::read_to_string(&first).unwrap();
    assert!(md.starts_with("+++\ntitle = \"Salg af grunden Østergade 12\"\ncase = \"24/520\"\nclosed = true\npublic_title = \"Salg af ejendom\"\npublic_decision = \"Salget blev godkendt.\"\n+++\n"), "{md}");
    let md = std::fs::read_to_string(&second).unwrap();
    assert!(
        md.contains("closed = true\npublic_title = \"Ejendomssalg\"\n"),
        "{md}"
    );
    // Imported again, nothing changes.
    let again = run(&o, &[src.path()]);
    assert!(again.changes.is_empty(), "{}", again.summary());

    build_site(root);
    let agenda = visible(&page(root, "oekonomiudvalget/2024-12-02/"));
    assert!(agenda.contains("Salg af ejendom"), "{agenda}");
    assert!(agenda.contains("Salget blev godkendt."), "{agenda}");
    assert!(agenda.contains("Ejendomssalg"), "{agenda}");
    assert_unpublished(
        root,
        &[
            "Østergade",
            "oestergade",
            "Hemmeligholdt",
            "Godkendt, salget",
            "24/520",
            "24-520",
            "24/512",
        ],
    );
}

#[test]
fn a_closed_items_absentees_stay_out_of_the_meeting() {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(
        src.path().join("1 regnskab.txt"),
        format!("{OPEN_OEK}\nAfbud:\n\nAnna Jensen\n"),
    )
    .unwrap();
    std::fs::write(
        src.path().join("2 salg.txt"),
        format!("{CLOSED}\nAfbud:\n\nAnna Jensen, Vibeke Hemmelighed (Ekstern rådgiver)\n"),
    )
    .unwrap();
    let site = new_site();
    let root = site.path();
    let report = run(&opts(root), &[src.path()]);
    assert_eq!(report.failed(), 0, "{}", report.failures());
    assert_eq!(
        read(root, "content/oekonomiudvalget/2024-12-02/meeting.toml"),
        "status = \"minutes\"\nabsent = [\n  \"Anna Jensen\",\n]\n"
    );
    build_site(root);
    let meeting = visible(&page(root, "oekonomiudvalget/2024-12-02/"));
    assert!(meeting.contains("Afbud Anna Jensen"), "{meeting}");
    assert_unpublished(root, &["Vibeke", "Hemmelighed", "Ekstern rådgiver"]);
}

#[test]
fn a_closed_items_route_makes_no_committee() {
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("salg.txt");
    std::fs::write(
        &file,
        CLOSED.replace("\n\nØK\n\n", "\n\nØK, KB, Teknikudvalget\n\n"),
    )
    .unwrap();
    let site = new_site();
    let root = site.path();
    let report = run(&opts(root), &[&file]);
    assert_eq!(report.failed(), 0, "{}", report.failures());
    // Only the committee the item is on; no short name learnt from the route.
    assert_eq!(
        report.notes,
        ["content/oekonomiudvalget/committee.toml: new committee \"Økonomiudvalget\""]
    );
    let committees: Vec<_> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(committees, ["oekonomiudvalget"]);
    assert_eq!(
        read(root, "content/oekonomiudvalget/committee.toml"),
        "name = \"Økonomiudvalget\"\n"
    );
    let md = read(
        root,
        "content/oekonomiudvalget/2024-12-02/01-lukket-punkt.md",
    );
    assert!(!md.contains("route"), "{md}");
    assert!(
        report.files[0]
            .notes
            .iter()
            .any(|n| n.contains("\"KB\"") && n.contains("left out of `route`")),
        "{:?}",
        report.files[0].notes
    );
    build_site(root);
    assert!(!root.join("public/kb").exists());
    assert_unpublished(root, &["Teknikudvalget", "Østergade", "Hemmeligholdt"]);

    // A committee that exists keeps the entry that names it, and nothing
    // else is made.
    let site = new_site();
    let root = site.path();
    std::fs::create_dir_all(root.join("content/oek")).unwrap();
    std::fs::write(
        root.join("content/oek/committee.toml"),
        "name = \"Økonomiudvalget\"\nshort = \"ØK\"\n",
    )
    .unwrap();
    let report = run(&opts(root), &[&file]);
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    let md = read(root, "content/oek/2024-12-02/01-lukket-punkt.md");
    assert!(md.contains("route = [\"ØK\"]\nclosed = true\n"), "{md}");
    assert!(!root.join("content/kb").exists());
    build_site(root);
}
