//! The worst bug this project can have: publishing anything of a closed
//! item beyond its number, public title and public decision. Canary strings
//! go into every private field; no byte of the output may contain them.

#[path = "support/fixture.rs"]
mod fixture;
#[path = "support/search.rs"]
mod support;

use fixture::{Site, text};

const CANARIES: &[&str] = &[
    "KanarieTitel",
    "KanarieBrodtekst",
    "KANARIE-77",
    "kanarieslug",
    "KanarieBilagTitel",
    "kanariefil",
    "KANARIEBYTES",
    "KanarieSkjultBilag",
    "kanarieskjult",
    "KANARIESKJULTBYTES",
    "KanarieIndstilling",
    "KanarieOekonomi",
];

fn canary_site() -> Site {
    let site = Site::standard();
    site.write_bytes(
        "content/teknik/2024-03-05/kanariefil.pdf",
        b"%PDF KANARIEBYTES",
    );
    site.write_bytes(
        "content/teknik/2024-03-05/kanarieskjult.pdf",
        b"%PDF KANARIESKJULTBYTES",
    );
    site.write(
        "content/teknik/2024-03-05/03-kanarieslug-grund.md",
        "+++\ntitle = \"KanarieTitel: salg af grund\"\ncase = \"KANARIE-77/1\"\nroute = [\"TU\", \"BR\"]\nclosed = true\npublic_title = \"Lukket punkt: Salg af areal\"\npublic_decision = \"Udvalget godkendte salget af arealet.\"\nattachments = [ { title = \"KanarieBilagTitel\", file = \"kanariefil.pdf\" } ]\n+++\n\n## Sagsfremstilling\nKanarieBrodtekst om køberen.\n\n## Økonomi\nKanarieOekonomi 2 mio. kr.\n\n## Indstilling\nKanarieIndstilling.\n\n## Beslutning i Teknikudvalget den 05-03-2024\nKanarieBrodtekst godkendt.\n",
    );
    // A closed item with neither public title nor decision.
    site.write(
        "content/byraadet/2024-03-20/03-kanarieslug-person.md",
        "+++\ntitle = \"KanarieTitel personsag\"\ncase = \"KANARIE-77/2\"\nclosed = true\n+++\nKanarieBrodtekst.\n",
    );
    // An open item's non-public attachment is private too.
    site.write(
        "content/teknik/2024-03-05/04-aaben.md",
        "+++\ntitle = \"Åbent punkt\"\nattachments = [ { title = \"KanarieSkjultBilag\", file = \"kanarieskjult.pdf\", public = false } ]\n+++\nTekst.\n",
    );
    site
}

#[test]
fn no_byte_of_the_output_holds_a_private_field_of_a_closed_item() {
    let site = canary_site();
    site.build_ok();
    let files = site.output_files();
    assert!(
        files.len() > 20,
        "the site was built: {} files",
        files.len()
    );
    // The walk covers every kind of output, not only pages.
    for kind in [
        "index.html",
        "feed.atom",
        "kalender.ics",
        "sitemap.xml",
        "robots.txt",
        "oparl/v1/agendaitem/",
        "oparl/v1/paper/",
        "oparl/v1/file/",
    ] {
        assert!(
            files.keys().any(|p| p.contains(kind)),
            "no {kind} in the output to check"
        );
    }
    for (path, bytes) in &files {
        let lower_path = path.to_lowercase();
        let lower = String::from_utf8_lossy(bytes).to_lowercase();
        for canary in CANARIES {
            let c = canary.to_lowercase();
            assert!(
                !lower_path.contains(&c),
                "{canary} leaked into the file name {path}"
            );
            assert!(!lower.contains(&c), "{canary} leaked into {path}");
        }
    }
}

#[test]
fn closed_items_show_number_public_title_and_public_decision() {
    let site = canary_site();
    site.build_ok();
    let t = text(&site.page("/teknik/2024-03-05/"));
    assert!(t.contains("3. Lukket punkt: Salg af areal"), "{t}");
    assert!(t.contains("Udvalget godkendte salget af arealet."));
    let t = text(&site.page("/byraadet/2024-03-20/"));
    assert!(
        t.contains("3. Lukket punkt"),
        "the default public title: {t}"
    );
}

#[test]
fn feeds_calendars_and_oparl_show_only_the_public_parts() {
    let site = canary_site();
    site.build_ok();
    let out = site.out();
    let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
    for feed in ["feed.atom", "teknik/feed.atom"] {
        let xml = read(feed);
        assert!(xml.contains("Lukket punkt: Salg af areal"), "{feed}");
        assert!(
            xml.contains("Udvalget godkendte salget af arealet."),
            "{feed}"
        );
    }
    let ics = read("teknik/kalender.ics").replace("\r\n ", "");
    assert!(ics.contains("3. Lukket punkt: Salg af areal"), "{ics}");
    let item: serde_json::Value =
        serde_json::from_str(&read("oparl/v1/agendaitem/teknik/2024-03-05/3.json")).unwrap();
    assert_eq!(item["public"], false);
    assert_eq!(item["name"], "Lukket punkt: Salg af areal");
    assert_eq!(
        item["resolutionText"],
        "Udvalget godkendte salget af arealet."
    );
    let item: serde_json::Value =
        serde_json::from_str(&read("oparl/v1/agendaitem/byraadet/2024-03-20/3.json")).unwrap();
    assert_eq!(item["name"], "Lukket punkt");
    assert!(item.get("resolutionText").is_none());
    // The closed items' case numbers have no paper, consultation or feed.
    let files = site.output_files();
    assert!(
        !files
            .keys()
            .any(|p| p.contains("consultation/teknik/2024-03-05/3.json"))
    );
    assert!(
        !files
            .keys()
            .any(|p| p.contains("consultation/byraadet/2024-03-20/3.json"))
    );
}

#[test]
fn english_default_public_title() {
    let site = canary_site();
    site.write("config.toml", "title = \"T\"\nlanguage = \"en\"\n");
    site.build_ok();
    let t = text(&site.page("/byraadet/2024-03-20/"));
    assert!(t.contains("3. Closed item"), "{t}");
}

/// The same while `serve` or `build --watch` follow edits: an open item
/// is made closed (its private text and case number left in the file),
/// and a closed item full of canaries is added. Each reloads the whole
/// site (a link elsewhere may name the item's file: see
/// `closing_an_item_that_another_meeting_links_to_is_an_error`), and not
/// one byte of the pages or the search index holds a canary.
#[test]
fn no_byte_of_an_incremental_update_holds_a_private_field_of_a_closed_item() {
    use protokol::incremental::{Engine, MemoryTarget};

    let site = Site::standard();
    let mut engine = Engine::new(site.options());
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).unwrap();
    site.write(
        "content/teknik/2024-03-05/02-vejbelysning.md",
        "+++\ntitle = \"KanarieTitel vejbelysning\"\ncase = \"KANARIE-77/3\"\nclosed = true\npublic_title = \"Lukket punkt: Belysning\"\n+++\n\n## Sagsfremstilling\nKanarieBrodtekst om lamperne.\n\n## Indstilling\nKanarieIndstilling.\n",
    );
    let edited = site
        .path()
        .join("content/teknik/2024-03-05/02-vejbelysning.md");
    engine.update_deferring(&[edited], &mut target).unwrap();
    site.write(
        "content/teknik/2024-03-05/03-kanarieslug-grund.md",
        "+++\ntitle = \"KanarieTitel: salg af grund\"\ncase = \"KANARIE-77/1\"\nclosed = true\npublic_title = \"Lukket punkt: Salg af areal\"\npublic_decision = \"Udvalget godkendte salget af arealet.\"\n+++\n\n## Sagsfremstilling\nKanarieBrodtekst om køberen.\n\n## Økonomi\nKanarieOekonomi 2 mio. kr.\n\n## Indstilling\nKanarieIndstilling.\n\n## Beslutning i Teknikudvalget den 05-03-2024\nKanarieBrodtekst godkendt.\n",
    );
    let added = site
        .path()
        .join("content/teknik/2024-03-05/03-kanarieslug-grund.md");
    let report = engine
        .update_deferring(&[added], &mut target)
        .unwrap()
        .unwrap();
    assert!(report.full, "{report:?}");

    let files = support::all_bytes_inflated(&target.snapshot());
    assert!(
        files.iter().any(|(p, b)| p.starts_with(support::INDEX_DIR)
            && support::contains_ci(b, "Udvalget godkendte salget af arealet.")),
        "the added item's public decision in the export"
    );
    assert!(
        files.iter().any(|(p, b)| p.starts_with(support::INDEX_DIR)
            && !p.ends_with("#delta")
            && support::contains_ci(b, "Lukket punkt: Belysning")),
        "the closed item's public title in the export"
    );
    for (path, bytes) in &files {
        support::assert_no_canary(path, bytes, CANARIES, "after the update");
    }
}

/// While `serve` or `build --watch` follow edits, an item that another
/// meeting links to is closed. Only that meeting's folder changed, but
/// the link elsewhere now names a closed item's private file: the update
/// fails as a build would, and the last good site stays.
#[test]
fn closing_an_item_that_another_meeting_links_to_is_an_error() {
    use protokol::incremental::{Engine, MemoryTarget};

    let site = Site::standard();
    site.write(
        "content/byraadet/2025-01-15/02-henvisning.md",
        "+++\ntitle = \"Henvisning\"\n+++\n\nSe [vejbelysningen](/teknik/2024-03-05/02-vejbelysning.md).\n",
    );
    let mut engine = Engine::new(site.options());
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).unwrap();
    let before = target.snapshot();
    let rel = "content/teknik/2024-03-05/02-vejbelysning.md";
    site.write(
        rel,
        "+++\ntitle = \"Vejbelysning i Nørreby\"\nclosed = true\n+++\n\nPrivat.\n",
    );
    let err = engine
        .update_deferring(&[site.path().join(rel)], &mut target)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("content/byraadet/2025-01-15/02-henvisning.md:5: link to")
            && err.contains("a closed item"),
        "{err}"
    );
    assert!(target.snapshot() == before, "the last good site stays");
}

/// An open item whose private words are in the last full search export
/// is closed while `serve` or `build --watch` follow edits. The first
/// rebuild takes them out of the search index too, not later once edits
/// pause: a server stopped (or a visitor served) right after it would
/// otherwise keep the old export, whose files hold them, and typeahead
/// would still offer them.
#[test]
fn closing_an_item_takes_its_words_out_of_search_in_the_same_rebuild() {
    use protokol::incremental::{Engine, MemoryTarget};
    use support::Query;

    let site = Site::standard();
    let rel = "content/teknik/2024-03-05/03-kanarieslug-vej.md";
    let open = "+++\ntitle = \"KanarieTitel vejlukning\"\ncase = \"KANARIE-77/4\"\n+++\n\n## Sagsfremstilling\nKanarieBrodtekst om vejen.\n\n## Indstilling\nKanarieIndstilling.\n\n## Beslutning i Teknikudvalget den 05-03-2024\nKanarieBrodtekst godkendt.\n";
    site.write(rel, open);
    let mut engine = Engine::new(site.options());
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).unwrap();
    let found = |files: &[(String, Vec<u8>)], word: &str| {
        files
            .iter()
            .any(|(p, b)| p.starts_with(support::INDEX_DIR) && support::contains_ci(b, word))
    };
    let before = support::all_bytes_inflated(&target.snapshot());
    assert!(
        found(&before, "KanarieTitel") && found(&before, "KanarieBrodtekst"),
        "the open item is in the search index"
    );

    // Closed, its private text and case number left in the file.
    site.write(
        rel,
        &open.replace(
            "case = \"KANARIE-77/4\"\n",
            "case = \"KANARIE-77/4\"\nclosed = true\npublic_title = \"Lukket punkt: Vejarbejde\"\n",
        ),
    );
    let report = engine
        .update_deferring(&[site.path().join(rel)], &mut target)
        .unwrap()
        .unwrap();
    let snapshot = target.snapshot();
    let files = support::all_bytes_inflated(&snapshot);
    assert!(
        found(&files, "Lukket punkt: Vejarbejde"),
        "the public title"
    );
    for (path, bytes) in &files {
        support::assert_no_canary(path, bytes, CANARIES, "after the update");
    }
    assert!(report.full, "{report:?}");
    assert!(!engine.has_deferred(), "nothing is left for later");

    // What a visitor's browser makes of the served index.
    let Some(node) = support::node() else { return };
    let served = tempfile::tempdir().unwrap();
    support::write_files(served.path(), &snapshot);
    let queries = [
        Query::new("kanarietitel").suggest("kanarie"),
        Query::new("kanariebrodtekst").suggest("kan"),
        Query::new("vejarbejde").suggest("vejar"),
    ];
    let r = support::client(&node, served.path(), &queries, 10);
    for (q, r) in queries.iter().zip(&r) {
        let words = r["suggestions"].as_array().expect("suggestions");
        assert!(
            !words
                .iter()
                .any(|w| w.as_str().unwrap().contains("kanarie")),
            "typeahead offers a closed item's word for {:?}: {words:?}",
            q.suggest
        );
    }
    assert_eq!(r[0]["total"], 0);
    assert_eq!(r[1]["total"], 0);
    assert_eq!(support::titles(&r[2]), vec!["Lukket punkt: Vejarbejde"]);
    assert_eq!(r[2]["suggestions"], serde_json::json!(["vejarbejde"]));
}

/// `build` skips the work when no input changed. A committee folder may be
/// a link to a folder outside content/; closing an item in there is a
/// change like any other, and the item's private text must go.
#[cfg(unix)]
#[test]
fn closing_an_item_behind_a_linked_committee_folder_rebuilds() {
    let site = Site::standard();
    site.write(
        "linked/hu/committee.toml",
        "name = \"Husudvalget\"\nshort = \"HU\"\n",
    );
    site.write("linked/hu/2025-01-10/meeting.toml", "status = \"agenda\"\n");
    let item = "linked/hu/2025-01-10/01-kanarieslug.md";
    site.write(
        item,
        "+++\ntitle = \"KanarieTitel husleje\"\ncase = \"KANARIE-77/4\"\nclosed = false\npublic_title = \"Lukket punkt: Husleje\"\n+++\n\n## Sagsfremstilling\nKanarieBrodtekst om lejeren.\n",
    );
    std::os::unix::fs::symlink(
        site.path().join("linked/hu"),
        site.path().join("content/hu"),
    )
    .unwrap();
    site.build_ok();
    let before = support::files_inflated(&site.out());
    assert!(
        before
            .iter()
            .any(|(_, b)| support::contains_ci(b, "KanarieTitel")),
        "the open item is published first"
    );

    let source = std::fs::read_to_string(site.path().join(item)).unwrap();
    site.write(item, &source.replace("closed = false", "closed = true"));
    site.build_ok();
    let t = text(&site.page("/hu/2025-01-10/"));
    assert!(t.contains("1. Lukket punkt: Husleje"), "{t}");
    // The search index's files are gzip: read inflated.
    for (path, bytes) in &support::files_inflated(&site.out()) {
        let path = path.to_string_lossy();
        support::assert_no_canary(&path, bytes, CANARIES, "after the rebuild");
    }
}
