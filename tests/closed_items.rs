//! The worst bug this project can have: publishing anything of a closed
//! item beyond its number, public title and public decision. Canary strings
//! go into every private field; no byte of the output may contain them.

#[path = "support/fixture.rs"]
mod fixture;

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
