//! Writing the output folder: refuse what is not ours, write only what
//! changed, remove what is no longer produced.

#[path = "support/fixture.rs"]
mod fixture;

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use fixture::Site;

#[test]
fn a_folder_that_is_not_a_previous_output_is_refused_not_emptied() {
    let site = Site::standard();
    site.write("public/vigtigt.txt", "ikke slet mig");
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("refusing to write here"), "{err}");
    assert_eq!(
        std::fs::read_to_string(site.out().join("vigtigt.txt")).unwrap(),
        "ikke slet mig"
    );
    assert_eq!(site.output_files().len(), 1);
}

#[test]
fn the_sources_are_never_the_output_however_the_path_is_written() {
    let site = Site::standard();
    let sources = fixture::read_tree(site.path());
    for out in [
        "missing/../content",
        "./missing/more/../../content/",
        "content/public",
        "templates",
        "missing/../themes/x",
        ".",
        "..",
    ] {
        let mut opts = site.options();
        opts.output = Some(site.path().join(out));
        let err = protokol::build::build(&opts, &protokol::build::Progress::quiet())
            .unwrap_err()
            .to_string();
        assert!(err.contains("refusing to write"), "{out}: {err}");
        // The same through config.toml's output_dir.
        site.write(
            "config.toml",
            &format!(
                "title = \"Testby\"\nbase_url = \"https://x.example\"\noutput_dir = \"{out}\"\n"
            ),
        );
        let err = site.build().unwrap_err().to_string();
        assert!(err.contains("refusing to write"), "{out}: {err}");
        site.write(
            "config.toml",
            "title = \"Testby Kommune\"\nbase_url = \"https://referater.testby.example\"\n",
        );
    }
    let mut after = fixture::read_tree(site.path());
    after.retain(|p, _| !p.starts_with("missing"));
    assert_eq!(after, sources, "no source file changed");

    // Nor through a link to a folder of the sources.
    #[cfg(unix)]
    {
        let links = tempfile::tempdir().unwrap();
        let link = links.path().join("lnk");
        std::os::unix::fs::symlink(site.path().join("content"), &link).unwrap();
        for out in [link.join("x"), link.clone()] {
            let mut opts = site.options();
            opts.output = Some(out.clone());
            let err = protokol::build::build(&opts, &protokol::build::Progress::quiet())
                .unwrap_err()
                .to_string();
            assert!(err.contains("refusing to write"), "{out:?}: {err}");
        }
        assert_eq!(fixture::read_tree(site.path()), sources);
    }
}

#[test]
fn removed_content_disappears_and_unchanged_files_are_not_rewritten() {
    let site = Site::standard();
    site.build_ok();
    let item = site
        .out()
        .join("teknik/2024-03-05/02-vejbelysning/index.html");
    let untouched = site.out().join("tilgaengelighed/index.html");
    let old = SystemTime::now() - Duration::from_secs(3600);
    for f in [&item, &untouched] {
        std::fs::File::options()
            .write(true)
            .open(f)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    site.remove("content/teknik/2024-03-05/02-vejbelysning.md");
    let report = site.build().unwrap();
    assert!(!item.exists());
    assert!(!item.parent().unwrap().exists(), "empty folders go too");
    assert!(report.removed >= 1);
    assert_eq!(
        std::fs::metadata(&untouched).unwrap().modified().unwrap(),
        old
    );
    // A second build with nothing changed writes nothing.
    let again = site.build().unwrap();
    assert_eq!((again.written, again.removed), (0, 0));
}

#[test]
fn files_deleted_or_edited_in_the_output_are_written_again() {
    let site = Site::standard();
    site.build_ok();
    let built = site.output_files();
    let page = site.out().join("teknik/index.html");
    let pdf = site.out().join("teknik/2024-03-05/kort.pdf");
    let front = site.out().join("index.html");

    // Nothing changed in the content: the output is still made whole.
    fs::remove_file(&page).unwrap();
    fs::write(&front, "rod").unwrap();
    fs::remove_file(&pdf).unwrap();
    let report = site.build().unwrap();
    assert_eq!(report.written, 3, "{report:?}");
    assert!(site.output_files() == built);

    // With an edit, too: the damaged files are written beside it.
    fs::write(&front, "rod").unwrap();
    fs::remove_file(&pdf).unwrap();
    site.write(
        "content/pages/tilgaengelighed.md",
        "+++\ntitle = \"Tilgængelighedserklæring\"\n+++\n\nNy tekst.\n",
    );
    site.build_ok();
    assert!(fs::read(&front).unwrap() == built["index.html"]);
    assert!(fs::read(&pdf).unwrap() == built["teknik/2024-03-05/kort.pdf"]);

    // Untouched, the next build does nothing.
    let again = site.build().unwrap();
    assert_eq!((again.pages, again.written), (0, 0));
}

#[test]
fn output_and_base_url_can_be_given_on_the_command_line() {
    let site = Site::standard();
    let out = site.path().join("andet");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_protokol"))
        .args([
            "build",
            "--base-url",
            "https://eksempel.example/arkiv/",
            "--root",
        ])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("href=\"/arkiv/teknik/\""), "{html}");
    assert!(!site.out().exists());
}

#[test]
fn a_site_without_a_base_url_builds_with_a_note() {
    let build = |site: &Site| {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_protokol"))
            .args(["build", "--root"])
            .arg(site.path())
            .output()
            .unwrap();
        assert!(run.status.success());
        String::from_utf8(run.stderr).unwrap()
    };
    let site = Site::standard();
    assert!(!build(&site).contains("base_url"));
    site.write("config.toml", "title = \"Testby Kommune\"\n");
    let stderr = build(&site);
    assert!(stderr.contains("config.toml sets no base_url"), "{stderr}");
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>http://localhost/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn rebuilds_see_edits_and_a_deleted_output_folder() {
    let site = Site::standard();
    site.build_ok();
    site.write(
        "content/teknik/2024-03-05/02-vejbelysning.md",
        "+++\ntitle = \"Ny vejbelysning i Nørreby\"\n+++\nTekst.\n",
    );
    let report = site.build().unwrap();
    assert!(report.written >= 1);
    assert!(
        site.page("/teknik/2024-03-05/02-vejbelysning/")
            .contains("Ny vejbelysning i Nørreby")
    );
    assert!(
        site.page("/teknik/2024-03-05/")
            .contains("Ny vejbelysning i Nørreby")
    );
    let before = site.output_files();
    std::fs::remove_dir_all(site.out()).unwrap();
    site.build_ok();
    assert_eq!(site.output_files(), before);
}

/// Every file of the output, by its site-relative path.
fn output_files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (rel.replace('\\', "/"), fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn outputs_turned_off_are_neither_written_nor_linked() {
    let site = Site::standard();
    site.build_ok();
    let all = output_files(&site.out());
    let has = |files: &[(String, Vec<u8>)], p: &str| files.iter().any(|(f, _)| f.starts_with(p));
    assert!(has(&all, "soeg/indeks/manifest.json") && has(&all, "oparl/v1/"));
    assert!(has(&all, "feed.atom") && has(&all, "kalender.ics"));

    let config = fs::read_to_string(site.path().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &format!("{config}\n[outputs]\nsearch = false\nfeeds = false\noparl = false\n"),
    );
    site.build_ok();
    let pages = output_files(&site.out());
    for (path, bytes) in &pages {
        for gone in ["soeg/", "oparl/", "feed.atom", ".ics", "search.js"] {
            assert!(!path.contains(gone), "{path} is still written");
        }
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            for link in [
                "/soeg/",
                "search.js",
                "/oparl/",
                "feed.atom",
                ".ics",
                "webcal:",
            ] {
                assert!(!html.contains(link), "{path} still links {link}");
            }
        }
    }
    // The pages themselves are all still there, and so is the sitemap.
    assert!(has(&pages, "sitemap.xml") && has(&pages, "byraadet/2024-03-20/index.html"));
    let html_count =
        |files: &[(String, Vec<u8>)]| files.iter().filter(|(p, _)| p.ends_with(".html")).count();
    assert_eq!(
        html_count(&pages),
        html_count(&all) - 1,
        "all but the search page"
    );
}

#[test]
fn a_closed_item_without_a_public_title_is_named_once_in_feeds() {
    let site = Site::standard();
    site.write(
        "content/byraadet/2024-03-20/03-lukket.md",
        "+++\ntitle = \"Hemmelig\"\nclosed = true\n+++\n",
    );
    site.build_ok();
    let feed = fs::read_to_string(site.out().join("byraadet/feed.atom")).unwrap();
    assert!(feed.contains("Lukket punkt"), "{feed}");
    assert!(!feed.contains("Lukket punkt (Lukket punkt)"), "{feed}");
    assert!(feed.contains("Lukket punkt: Salg af ejendom (Lukket punkt)"));
}

#[test]
fn check_writes_nothing_into_the_site() {
    let site = Site::standard();
    // The paths whose bytes differ from `before`, or that are new or gone.
    let changed = |before: &std::collections::BTreeMap<String, Vec<u8>>| {
        let after = fixture::read_tree(site.path());
        let mut paths: Vec<String> = after
            .iter()
            .filter(|(p, b)| before.get(*p) != Some(*b))
            .chain(before.iter().filter(|(p, _)| !after.contains_key(*p)))
            .map(|(p, _)| p.clone())
            .collect();
        paths.sort();
        paths
    };
    let check = || {
        protokol::build::check(&site.options(), &protokol::build::Progress::quiet())
            .expect("the site checks")
    };
    let before = fixture::read_tree(site.path());
    check();
    assert_eq!(
        changed(&before),
        Vec::<String>::new(),
        "check wrote into the site"
    );
    // After a build, check reads the search cache and still leaves it be.
    site.build_ok();
    let built = fixture::read_tree(site.path());
    check();
    assert_eq!(
        changed(&built),
        Vec::<String>::new(),
        "check wrote into the site"
    );
}

#[test]
fn unchanged_attachments_are_not_read_again() {
    let site = Site::standard();
    site.build_ok();
    let rel = "content/teknik/2024-03-05/kort.pdf";
    let source = site.path().join(rel);
    let copy = site.out().join("teknik/2024-03-05/kort.pdf");
    let time = |p: &std::path::Path| fs::metadata(p).unwrap().modified().unwrap();
    // The source saved with `bytes`, its time then set to `t`.
    let save = |bytes: &[u8], t: SystemTime| {
        site.write_bytes(rel, bytes);
        let f = fs::File::options().write(true).open(&source).unwrap();
        f.set_modified(t).unwrap();
    };
    // Copies carry their source's time, as `cp -p` and rsync do.
    assert_eq!(time(&copy), time(&source));

    // Other bytes of the same size under the same time: by rsync's quick
    // check the copy is still current, so a rebuild does not read it.
    let was = time(&source);
    save(b"%PDF-1.4\n%%XXX\n", was);
    site.write(
        "content/pages/om.md",
        "+++\ntitle = \"Om siden\"\n+++\n\nNy side.\n",
    );
    let report = site.build().unwrap();
    assert!(report.written >= 1, "the new page is written");
    assert_eq!(fs::read(&copy).unwrap(), b"%PDF-1.4\n%%EOF\n");

    // A new time (any save) makes the build read the source: new bytes
    // are copied...
    let later = was + Duration::from_secs(60);
    save(b"%PDF-1.4\n%%XXX\n", later);
    site.build_ok();
    assert_eq!(fs::read(&copy).unwrap(), b"%PDF-1.4\n%%XXX\n");
    assert_eq!(time(&copy), later);
    // ...the same bytes are not written again (a fresh checkout gives every
    // file a new time; an upload by time must not send them all again).
    save(b"%PDF-1.4\n%%XXX\n", later + Duration::from_secs(60));
    site.build_ok();
    assert_eq!(time(&copy), later);
    // So is another size, whatever the time.
    save(b"%PDF-1.4\n", later);
    site.build_ok();
    assert_eq!(fs::read(&copy).unwrap(), b"%PDF-1.4\n");
}

/// While `build --watch` follows edits: an attachment named like an item
/// page's folder is refused, as a build refuses it, and the page stays.
#[test]
fn watch_refuses_a_file_where_a_page_folder_is() {
    use protokol::incremental::{DiskTarget, Engine};

    let site = Site::standard();
    let mut opts = site.options();
    opts.output = Some(site.out());
    let mut engine = Engine::new(opts.clone());
    let mut target = DiskTarget::new(site.out(), opts);
    engine.build_all(&mut target).unwrap();
    let page = site
        .out()
        .join("teknik/2024-03-05/02-vejbelysning/index.html");
    let before = fs::read(&page).unwrap();

    site.write_bytes("content/teknik/2024-03-05/02-vejbelysning", b"%PDF");
    let item = "content/teknik/2024-03-05/01-cykelsti.md";
    site.write(
        item,
        "+++\ntitle = \"Cykelsti langs Åvej\"\ncase = \"24/277\"\nattachments = [ { title = \"Kort\", file = \"02-vejbelysning\" } ]\n+++\n\nTekst.\n",
    );
    let err = engine
        .update(&[site.path().join(item)], &mut target)
        .unwrap_err()
        .to_string();
    assert!(err.contains("would be both a file and a folder"), "{err}");
    assert_eq!(fs::read(&page).unwrap(), before);
}

/// A link inside the output folder is never written through: a rebuild
/// replaces it with a folder of the site's own files, and what it pointed
/// at stays as it was.
#[cfg(unix)]
#[test]
fn links_in_the_output_are_replaced_not_followed() {
    // `folder` moved to `to` (a copy), a link left in its place; what the
    // copy holds.
    let behind_link = |folder: &Path, to: &Path| {
        let copied = std::process::Command::new("cp")
            .arg("-r")
            .arg(folder)
            .arg(to)
            .status()
            .unwrap();
        assert!(copied.success());
        fs::remove_dir_all(folder).unwrap();
        std::os::unix::fs::symlink(to, folder).unwrap();
        fixture::read_tree(to)
    };
    let is_link = |p: &Path| fs::symlink_metadata(p).unwrap().file_type().is_symlink();
    let site = Site::standard();
    site.build_ok();
    let built = site.output_files();
    let elsewhere = tempfile::tempdir().unwrap();

    // A copy of the folder as it was: a case page below it changes.
    let sager = site.out().join("sager");
    let copy = elsewhere.path().join("sager");
    let theirs = behind_link(&sager, &copy);
    site.write(
        "content/teknik/2024-03-05/02-vejbelysning.md",
        "+++\ntitle = \"Vejbelysning i Nørreby og Søby\"\ncase = \"24/300\"\n+++\n\nLamperne skiftes.\n",
    );
    site.build_ok();
    assert!(!is_link(&sager));
    assert_eq!(
        fixture::read_tree(&copy),
        theirs,
        "nothing written through the link"
    );
    site.write(
        "content/teknik/2024-03-05/02-vejbelysning.md",
        "+++\ntitle = \"Vejbelysning i Nørreby\"\ncase = \"24/300\"\n+++\n\n## Sagsfremstilling\nLamperne skiftes.\n\n## Beslutning i Teknikudvalget den 05-03-2024\nGodkendt.\n",
    );
    site.build_ok();
    assert!(site.output_files() == built);

    // A copy that lacks a file, and nothing changed in the content: the
    // file is written beside the copy, not into the folder linked to.
    fs::remove_dir_all(&copy).unwrap();
    let theirs = behind_link(&sager, &copy);
    fs::remove_file(copy.join("24-277/index.html")).unwrap();
    site.build_ok();
    assert!(!is_link(&sager));
    assert!(site.output_files() == built);
    assert_eq!(fixture::read_tree(&copy).len(), theirs.len() - 1);

    // A link below which nothing is written this time: made real too.
    let teknik = site.out().join("teknik");
    let copy = elsewhere.path().join("teknik");
    let theirs = behind_link(&teknik, &copy);
    site.write(
        "content/pages/tilgaengelighed.md",
        "+++\ntitle = \"Tilgængelighedserklæring\"\n+++\n\nNy tekst.\n",
    );
    site.build_ok();
    assert!(!is_link(&teknik));
    assert_eq!(fixture::read_tree(&copy), theirs);
    assert!(fixture::read_tree(&teknik) == theirs);

    // A link that loops back up: removed, not followed.
    let up = site.out().join("sager/up");
    std::os::unix::fs::symlink("..", &up).unwrap();
    site.write(
        "content/pages/tilgaengelighed.md",
        "+++\ntitle = \"Tilgængelighedserklæring\"\n+++\n\nNyere tekst.\n",
    );
    site.build_ok();
    assert!(fs::symlink_metadata(&up).is_err());
}

/// Files added to the output folder by hand go at the next build that
/// writes anything.
#[test]
fn files_added_to_the_output_are_removed() {
    let site = Site::standard();
    site.build_ok();
    site.write("public/fremmed.html", "<p>ikke vores</p>");
    site.write("public/sager/x/index.html", "<p>heller ikke</p>");
    let edit = |s: &Site| {
        s.write(
            "content/pages/tilgaengelighed.md",
            "+++\ntitle = \"Tilgængelighedserklæring\"\n+++\n\nNy tekst.\n",
        )
    };
    edit(&site);
    site.build_ok();
    let fresh = Site::standard();
    edit(&fresh);
    fresh.build_ok();
    assert!(site.output_files() == fresh.output_files());
}
