//! What a citizen sees on each kind of page of a small site.

#[path = "support/fixture.rs"]
mod fixture;

use fixture::{Site, text};

#[test]
fn front_page_lists_upcoming_meetings_latest_minutes_and_committees() {
    let site = Site::standard();
    site.build_ok();
    let html = site.page("/");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"da\">"));
    let t = text(&html);
    assert!(t.contains("Kommende møder"), "{t}");
    assert!(t.contains("15. januar 2025 · Byrådet"), "{t}");
    assert!(t.contains("Seneste referater"));
    assert!(t.contains("20. marts 2024 · Byrådet"));
    // Committees in their configured order.
    let br = t.rfind("Byrådet").unwrap();
    let tu = t.rfind("Teknikudvalget").unwrap();
    assert!(br < tu);
    assert!(
        html.contains("href=\"/tilgaengelighed/\""),
        "footer links the accessibility statement"
    );
}

#[test]
fn committee_page_shows_description_members_and_meetings_by_year() {
    let site = Site::standard();
    site.build_ok();
    let html = site.page("/byraadet/");
    let t = text(&html);
    assert!(html.contains("Kommunens <strong>øverste</strong> myndighed."));
    assert!(t.contains("Anna Jensen (Borgmester)"));
    let y2025 = t.find("2025").unwrap();
    let y2024 = t.find("2024").unwrap();
    assert!(y2025 < y2024, "newest year first: {t}");
    let year = text(&site.page("/byraadet/2024/"));
    assert!(year.contains("20. marts 2024"));
    assert!(!year.contains("15. januar 2025"));
}

#[test]
fn meeting_page_shows_facts_absentees_and_agenda_with_closed_items_unlinked() {
    let site = Site::standard();
    site.build_ok();
    let t = text(&site.page("/teknik/2024-03-05/"));
    assert!(t.contains("Referat"), "{t}");
    assert!(t.contains("tirsdag 5. marts 2024"), "{t}");
    // Danish writes the time with a full stop, as "kl. 16.00" elsewhere.
    assert!(t.contains("Tidspunkt 16.00–18.00"), "{t}");
    assert!(t.contains("Mødelokale 2"));
    assert!(t.contains("Afbud Carl Berg"), "{t}");
    assert!(t.contains("Cykelsti langs Åvej"));
    let html = site.page("/byraadet/2024-03-20/");
    let t = text(&html);
    assert!(t.contains("Lukket punkt: Salg af ejendom"));
    assert!(t.contains("Byrådet godkendte salget."));
    assert!(
        !html.contains("02-lukket"),
        "a closed item has no link or slug"
    );
    let agenda = text(&site.page("/byraadet/2025-01-15/"));
    assert!(agenda.contains("Dagsorden"));
    // Minutes show each item's decision under its title; an agenda has none.
    let minutes = text(&site.page("/teknik/2024-03-05/"));
    assert!(
        minutes.contains(
            "Cykelsti langs Åvej Sagsnummer 24/277 Beslutning: Anbefales over for Byrådet."
        ),
        "{minutes}"
    );
    assert!(minutes.contains("Beslutning: Godkendt."), "{minutes}");
    assert!(!agenda.contains("Beslutning"), "{agenda}");
}

#[test]
fn item_page_shows_case_route_sections_decision_attachments_and_neighbours() {
    let site = Site::standard();
    site.build_ok();
    let html = site.page("/teknik/2024-03-05/01-cykelsti/");
    let t = text(&html);
    assert!(t.contains("Cykelsti langs Åvej"));
    assert!(html.contains("href=\"/sager/24-277/\""));
    assert!(t.contains("Sagsnummer 24/277"), "{t}");
    // The route links each committee's item of the case.
    assert!(
        html.contains("href=\"/byraadet/2024-03-20/01-cykelsti-aavej/\""),
        "{html}"
    );
    // The decision comes right after the recommendation.
    let rec = t.find("Indstilling").unwrap();
    let dec = t
        .find("Beslutning i Teknikudvalget den 05-03-2024")
        .unwrap();
    let pres = t.find("Sagsfremstilling").unwrap();
    assert!(pres < rec && rec < dec);
    assert!(html.contains("id=\"beslutning\""));
    assert!(t.contains("Kort over strækningen (PDF, 15 byte)"), "{t}");
    assert_eq!(
        site.output_files()["teknik/2024-03-05/kort.pdf"],
        b"%PDF-1.4\n%%EOF\n"
    );
    assert!(t.contains("Næste punkt 2. Vejbelysning i Nørreby"), "{t}");
    assert!(
        t.contains("Forside Teknikudvalget Referat 5. marts 2024"),
        "breadcrumbs: {t}"
    );
}

#[test]
fn an_attachment_without_extension_shows_just_its_size() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/03-bilag.md",
        "+++\ntitle = \"Bilag\"\nattachments = [ { title = \"Referat fra borgermøde\", file = \"referat\" } ]\n+++\nTekst.\n",
    );
    site.write_bytes("content/teknik/2024-03-05/referat", &[b'x'; 1000]);
    site.build_ok();
    let t = text(&site.page("/teknik/2024-03-05/03-bilag/"));
    assert!(t.contains("Referat fra borgermøde (1,0 kB)"), "{t}");
}

#[test]
fn case_page_lists_every_public_item_of_the_case_in_date_order() {
    let site = Site::standard();
    site.build_ok();
    let t = text(&site.page("/sager/24-277/"));
    let first = t.find("Teknikudvalget · 5. marts 2024").unwrap();
    let second = t.find("Byrådet · 20. marts 2024").unwrap();
    assert!(first < second, "{t}");
    assert!(t.contains("Anbefales over for Byrådet."));
    // Each entry's link names its meeting, for links read out on their own.
    let html = site.page("/sager/24-277/");
    for meeting in ["Teknikudvalget, 5. marts 2024", "Byrådet, 20. marts 2024"] {
        assert!(
            html.contains(&format!(
                "<span class=\"visually-hidden\"> – {meeting}</span></a></h2>"
            )),
            "{html}"
        );
    }
    assert!(
        !site.out().join("sager/24-512").exists(),
        "closed items make no case page"
    );
}

#[test]
fn a_meeting_folder_without_meeting_toml_is_a_meeting() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-09-10/01-fortov.md",
        "+++\ntitle = \"Nyt fortov\"\n+++\n\n## Beslutning\nGodkendt.\n",
    );
    site.build_ok();
    let t = text(&site.page("/teknik/2024-09-10/"));
    assert!(t.contains("10. september 2024"), "{t}");
    // Its items have decisions: minutes, as the contract's default says.
    assert!(t.contains("Referat"), "{t}");
    assert!(t.contains("1. Nyt fortov"), "{t}");
    assert!(text(&site.page("/teknik/2024-09-10/01-fortov/")).contains("Godkendt."));
}

#[test]
fn a_case_page_is_named_by_its_case_number_as_written() {
    let site = Site::standard();
    for (file, case) in [
        ("03-journal.md", "00.01.00-A00-1-24"),
        ("04-udvalg.md", "ØU/12"),
        ("05-aa.md", "Å/7"),
        // The same number with "Å" written as "A" and a combining ring.
        ("06-aa.md", "A\u{30a}/7"),
        // Not a hidden folder, which hosts and upload tools skip.
        ("07-punkt.md", ".7"),
    ] {
        site.write(
            &format!("content/teknik/2024-03-05/{file}"),
            &format!(
                "+++\ntitle = \"Sag {case}\"\ncase = \"{case}\"\n+++\n\n## Beslutning\nGodkendt.\n"
            ),
        );
    }
    site.build_ok();
    // Only `/` is written `-`; letters keep their case and æ, ø, å stay.
    let t = text(&site.page("/sager/00.01.00-A00-1-24/"));
    assert!(t.contains("Sag 00.01.00-A00-1-24"), "{t}");
    assert!(text(&site.page("/sager/ØU-12/")).contains("Sag ØU/12"));
    // One case, one page: both items on it.
    let entries = |page: &str| site.page(page).matches("<h2><a href=").count();
    assert_eq!(entries("/sager/ØU-12/"), 1);
    assert_eq!(entries("/sager/Å-7/"), 2);
    assert_eq!(entries("/sager/-7/"), 1);
    let item = site.page("/teknik/2024-03-05/04-udvalg/");
    assert!(item.contains("href=\"/sager/ØU-12/\""), "{item}");
    assert_eq!(broken_links(&site), Vec::<String>::new());
}

/// A case that goes from HU to ØU and back to HU, and on to BR, which has
/// not had it yet.
fn case_visiting_a_committee_twice() -> Site {
    let site = Site::new("title = \"Testby\"\nbase_url = \"https://x.example\"\n");
    for (slug, name, short, order) in [
        ("hu", "Hovedudvalget", "HU", 1),
        ("oeu", "Økonomiudvalget", "ØU", 2),
        ("br", "Byrådet", "BR", 3),
    ] {
        site.write(
            &format!("content/{slug}/committee.toml"),
            &format!("name = \"{name}\"\nshort = \"{short}\"\norder = {order}\n"),
        );
    }
    for (meeting, title) in [
        ("hu/2024-11-15", "Første behandling"),
        ("oeu/2024-11-20", "Økonomi"),
        ("hu/2024-12-01", "Anden behandling"),
    ] {
        site.write(
            &format!("content/{meeting}/meeting.toml"),
            "status = \"minutes\"\n",
        );
        site.write(
            &format!("content/{meeting}/01-frisaettelse.md"),
            &format!(
                "+++\ntitle = \"{title}\"\ncase = \"24/277\"\nroute = [\"HU\", \"ØU\", \"HU\", \"BR\"]\n+++\nTekst.\n"
            ),
        );
    }
    site
}

/// The route list of an item page.
fn route_of(html: &str) -> &str {
    let start = html.find("<ol class=\"route\">").expect("a route");
    &html[start..start + html[start..].find("</ol>").unwrap()]
}

#[test]
fn route_links_each_visit_to_a_committee_to_its_own_item() {
    let site = case_visiting_a_committee_twice();
    site.build_ok();
    let steps = |page: &str| -> Vec<String> {
        let html = site.page(page);
        route_of(&html)
            .split("<li>")
            .skip(1)
            .map(|li| {
                let href = li
                    .split("href=\"")
                    .nth(1)
                    .map_or("", |h| &h[..h.find('"').unwrap()]);
                let current = if li.contains("aria-current") {
                    " (current)"
                } else {
                    ""
                };
                format!("{}{current}", href)
            })
            .collect()
    };
    assert_eq!(
        steps("/hu/2024-11-15/01-frisaettelse/"),
        [
            "/hu/2024-11-15/01-frisaettelse/ (current)",
            "/oeu/2024-11-20/01-frisaettelse/",
            "/hu/2024-12-01/01-frisaettelse/",
            "/br/",
        ]
    );
    assert_eq!(
        steps("/oeu/2024-11-20/01-frisaettelse/"),
        [
            "/hu/2024-11-15/01-frisaettelse/",
            "/oeu/2024-11-20/01-frisaettelse/ (current)",
            "/hu/2024-12-01/01-frisaettelse/",
            "/br/",
        ]
    );
    assert_eq!(
        steps("/hu/2024-12-01/01-frisaettelse/"),
        [
            "/hu/2024-11-15/01-frisaettelse/",
            "/oeu/2024-11-20/01-frisaettelse/",
            "/hu/2024-12-01/01-frisaettelse/ (current)",
            "/br/",
        ]
    );
}

#[test]
fn route_steps_skip_closed_items_of_the_case() {
    let site = case_visiting_a_committee_twice();
    // A closed item of the same case in HU between the two visits: it is
    // no public item of the case, so no step may point at it.
    site.write(
        "content/hu/2024-11-25/meeting.toml",
        "status = \"minutes\"\n",
    );
    site.write(
        "content/hu/2024-11-25/01-hemmelig.md",
        "+++\ntitle = \"Hemmelig\"\ncase = \"24/277\"\nroute = [\"HU\", \"ØU\", \"HU\"]\nclosed = true\n+++\nTekst.\n",
    );
    site.build_ok();
    let html = site.page("/hu/2024-11-15/01-frisaettelse/");
    let route = route_of(&html);
    assert!(!route.contains("2024-11-25"), "{route}");
    assert!(route.contains("/hu/2024-12-01/01-frisaettelse/"), "{route}");
}

#[test]
fn calendar_lists_meetings_across_committees_by_month() {
    let site = Site::standard();
    site.build_ok();
    let t = text(&site.page("/kalender/2024/"));
    let tu = t.find("5. marts 2024 · Teknikudvalget").unwrap();
    let br = t.find("20. marts 2024 · Byrådet").unwrap();
    assert!(t.contains("marts 2024"));
    // A month heading starts with a capital, as any Danish heading does.
    assert!(t.contains("Marts 2024"), "{t}");
    assert!(tu < br);
    assert!(text(&site.page("/kalender/")).contains("2025"));
}

/// Hovedudvalget meets four times on 15 November 2024 (folder names in
/// another order than the times, one meeting without a start time) and
/// once the day after; Økonomiudvalget meets at 10:00 on the 15th.
fn meetings_on_one_day() -> Site {
    let site = Site::new("title = \"Testby\"\nbase_url = \"https://x.example\"\n");
    site.write(
        "content/hu/committee.toml",
        "name = \"Hovedudvalget\"\nshort = \"HU\"\norder = 1\n",
    );
    site.write(
        "content/oeu/committee.toml",
        "name = \"Økonomiudvalget\"\nshort = \"ØU\"\norder = 2\n",
    );
    for (meeting, start) in [
        ("hu/2024-11-15", "start = \"14:00\"\n"),
        ("hu/2024-11-15-ekstra", "start = \"18:00\"\n"),
        ("hu/2024-11-15-morgen", "start = \"08:00\"\n"),
        ("hu/2024-11-15-a", ""),
        ("hu/2024-11-16", "start = \"08:00\"\n"),
        ("oeu/2024-11-15", "start = \"10:00\"\n"),
    ] {
        site.write(
            &format!("content/{meeting}/meeting.toml"),
            &format!("{start}status = \"minutes\"\n"),
        );
        site.write(
            &format!("content/{meeting}/01-punkt.md"),
            "+++\ntitle = \"Punkt\"\ncase = \"24/277\"\n+++\nTekst.\n",
        );
    }
    site
}

/// Asserts that `html` links `hrefs` in this order.
fn links_in_order(html: &str, hrefs: &[&str]) {
    let at: Vec<usize> = hrefs
        .iter()
        .map(|h| {
            html.find(&format!("href=\"{h}\""))
                .unwrap_or_else(|| panic!("no link to {h}: {html}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{hrefs:?} at {at:?}");
}

#[test]
fn meetings_on_one_day_are_ordered_by_start_time_and_labelled_with_it() {
    let site = meetings_on_one_day();
    site.build_ok();
    let committee = site.page("/hu/");
    links_in_order(
        &committee,
        &[
            "/hu/2024-11-16/",
            "/hu/2024-11-15-a/",
            "/hu/2024-11-15-ekstra/",
            "/hu/2024-11-15/",
            "/hu/2024-11-15-morgen/",
        ],
    );
    let t = text(&committee);
    for label in [
        "15. november 2024 kl. 18.00",
        "15. november 2024 kl. 14.00",
        "15. november 2024 kl. 08.00",
    ] {
        assert_eq!(t.matches(label).count(), 1, "{label}: {t}");
    }
    assert!(
        !t.contains("16. november 2024 kl."),
        "a date of its own needs no time: {t}"
    );
    // Across committees too, and the other committee's only meeting that
    // day keeps its plain date.
    let calendar = site.page("/kalender/2024/");
    links_in_order(
        &calendar,
        &[
            "/hu/2024-11-15-morgen/",
            "/oeu/2024-11-15/",
            "/hu/2024-11-15/",
            "/hu/2024-11-15-ekstra/",
            "/hu/2024-11-15-a/",
            "/hu/2024-11-16/",
        ],
    );
    assert!(text(&calendar).contains("15. november 2024 · Økonomiudvalget"));
    links_in_order(
        &site.page("/"),
        &[
            "/hu/2024-11-16/",
            "/hu/2024-11-15-a/",
            "/hu/2024-11-15-ekstra/",
            "/hu/2024-11-15/",
            "/oeu/2024-11-15/",
            "/hu/2024-11-15-morgen/",
        ],
    );
    links_in_order(
        &site.page("/sager/24-277/"),
        &[
            "/hu/2024-11-15-morgen/01-punkt/",
            "/oeu/2024-11-15/01-punkt/",
            "/hu/2024-11-15/01-punkt/",
            "/hu/2024-11-15-ekstra/01-punkt/",
            "/hu/2024-11-15-a/01-punkt/",
            "/hu/2024-11-16/01-punkt/",
        ],
    );
    let item = text(&site.page("/hu/2024-11-15/01-punkt/"));
    assert!(
        item.contains("Forside Hovedudvalget Referat 15. november 2024 kl. 14.00"),
        "breadcrumbs: {item}"
    );
}

#[test]
fn meetings_on_one_day_in_english() {
    let site = meetings_on_one_day();
    site.write(
        "config.toml",
        "title = \"Testby\"\nbase_url = \"https://x.example\"\nlanguage = \"en\"\n",
    );
    site.build_ok();
    let t = text(&site.page("/hu/"));
    assert!(t.contains("15 November 2024, 14:00"), "{t}");
    assert!(t.contains("15 November 2024, 08:00"), "{t}");
}

#[test]
fn counts_of_one_are_singular() {
    let site = Site::standard();
    site.build_ok();
    let front = text(&site.page("/"));
    assert!(front.contains("Byrådet Dagsorden 1 punkt"), "{front}");
    assert!(!front.contains("1 punkter"), "{front}");
    assert!(front.contains("2 punkter"), "{front}");
    let calendar = text(&site.page("/kalender/"));
    assert!(calendar.contains("2025 (1 møde)"), "{calendar}");
    assert!(calendar.contains("2024 (2 møder)"), "{calendar}");
    // The one-line summary in the description (and the feeds).
    assert!(
        site.page("/byraadet/2025-01-15/")
            .contains("Tidspunkt 19.00 · 1 punkt\""),
        "description"
    );

    site.write(
        "config.toml",
        "title = \"Testby\"\nbase_url = \"https://x.example\"\nlanguage = \"en\"\n",
    );
    site.build_ok();
    let front = text(&site.page("/"));
    assert!(front.contains("Agenda 1 item"), "{front}");
    assert!(!front.contains("1 items"), "{front}");
    let calendar = text(&site.page("/calendar/"));
    assert!(calendar.contains("2025 (1 meeting)"), "{calendar}");
    assert!(calendar.contains("2024 (2 meetings)"), "{calendar}");
}

#[test]
fn free_pages_and_404() {
    let site = Site::standard();
    site.build_ok();
    assert!(
        text(&site.page("/tilgaengelighed/")).contains("Vi arbejder for et tilgængeligt site.")
    );
    assert!(text(&site.page("/404.html")).contains("Siden findes ikke"));
}

#[test]
fn english_interface() {
    let site = Site::standard();
    site.write(
        "config.toml",
        "title = \"Testby\"\nbase_url = \"https://x.example/minutes/\"\nlanguage = \"en\"\n",
    );
    site.build_ok();
    let html = site.page("/teknik/2024-03-05/");
    assert!(html.contains("<html lang=\"en\">"));
    let t = text(&html);
    assert!(t.contains("Minutes"), "{t}");
    assert!(t.contains("Tuesday 5 March 2024"), "{t}");
    assert!(t.contains("Absent Carl Berg"));
    // Links start at the base URL's path.
    assert!(html.contains("href=\"/minutes/teknik/\""), "{html}");
    assert!(site.out().join("search/index.html").exists());
    assert!(site.out().join("calendar/2024/index.html").exists());
}

/// The standard site with an English interface and `extra` config lines.
fn english_site(extra: &str) -> Site {
    let site = Site::standard();
    site.write(
        "config.toml",
        &format!("title = \"Testby Kommune\"\nlanguage = \"en\"\n{extra}"),
    );
    site.write(
        "content/byraadet/2024-03-20/03-lukket.md",
        "+++\ntitle = \"Personalesag\"\nclosed = true\n+++\n",
    );
    site.build_ok();
    site
}

/// The start tag of the element whose start tag holds `needle`.
fn tag_with<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in {html}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

fn html_pages(site: &Site) -> Vec<(String, String)> {
    site.output_files()
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

#[test]
fn danish_content_under_an_english_interface_says_its_language() {
    let site = english_site("");
    let da = "lang=\"da\"";

    // A table's scroll area is named in the words around it.
    site.write(
        "content/teknik/2024-03-05/03-tal.md",
        "+++\ntitle = \"Tal\"\n+++\n| a | b |\n| - | - |\n| 1 | 2 |\n",
    );
    site.build_ok();
    let html = site.page("/teknik/2024-03-05/03-tal/");
    assert!(
        html.contains("role=\"region\" aria-label=\"Tabel\""),
        "{html}"
    );
    site.remove("content/teknik/2024-03-05/03-tal.md");
    site.build_ok();

    let html = site.page("/teknik/2024-03-05/01-cykelsti/");
    assert!(html.contains("<html lang=\"en\">"));
    assert!(
        html.contains("<h1 lang=\"da\">Cykelsti langs Åvej</h1>"),
        "{html}"
    );
    // A section is content, its heading (written in the minutes) too.
    let decision = tag_with(&html, "id=\"beslutning\"");
    assert!(decision.contains(da), "{decision}");
    let after = &html[html.find(decision).unwrap()..];
    assert!(after.find("Anbefales over for Byrådet.").unwrap() < after.find("</section>").unwrap());
    assert!(tag_with(&html, ">Kort over strækningen<").contains(da));
    assert!(
        html.contains("<a href=\"/teknik/\" lang=\"da\">Teknikudvalget</a>"),
        "breadcrumb"
    );
    assert!(
        html.contains("<a class=\"site-title\" href=\"/\" lang=\"da\">Testby Kommune</a>"),
        "header"
    );
    assert!(html.contains("\"inLanguage\":\"da\""), "JSON-LD");
    // The interface's own words stay English.
    assert!(html.contains("<h2 id=\"bilag\">Attachments</h2>"), "{html}");
    assert!(html.contains("<dt>Case number</dt>"));
    assert!(html.contains("<span class=\"pager-label\">Next item</span> <span lang=\"da\">2. Vejbelysning i Nørreby</span>"));
    assert!(html.contains("<li><a href=\"/\">Home</a></li>"));
    assert!(html.contains("<span class=\"muted\">(PDF, 15 bytes)</span>"));

    let html = site.page("/byraadet/");
    assert!(html.contains("<h1 lang=\"da\">Byrådet</h1>"), "{html}");
    assert!(html.contains("<span class=\"muted\" lang=\"da\">(Borgmester)</span>"));
    assert!(html.contains("<li aria-current=\"page\"><span lang=\"da\">Byrådet</span></li>"));
    assert!(html.contains("<h2 id=\"medlemmer\">Members</h2>"));

    let html = site.page("/teknik/2024-03-05/");
    assert!(
        html.contains(
            "<a href=\"/teknik/2024-03-05/01-cykelsti/\" lang=\"da\">Cykelsti langs Åvej</a>"
        ),
        "{html}"
    );
    assert!(html.contains("<dd lang=\"da\">Mødelokale 2</dd>"));
    assert!(html.contains("<h2 id=\"dagsorden\">Agenda</h2>"));
    assert!(
        html.contains("<ul lang=\"da\"><li>Carl Berg</li></ul>"),
        "absentees"
    );
    assert!(
        html.contains("<li aria-current=\"page\">Minutes 5 March 2024 – <span lang=\"da\">Teknikudvalget</span></li>"),
        "{html}"
    );
    let html = site.page("/teknik/2024/");
    assert!(
        html.contains(
            "<li aria-current=\"page\">Meetings 2024 – <span lang=\"da\">Teknikudvalget</span></li>"
        ),
        "{html}"
    );
    let html = site.page("/teknik/");
    assert!(
        html.contains("type=\"application/atom+xml\">News feed (Atom) – <span lang=\"da\">Teknikudvalget</span></a>"),
        "{html}"
    );

    // A closed item's public title and decision are content, the label for
    // one without a public title is not.
    let html = site.page("/byraadet/2024-03-20/");
    assert!(
        html.contains(
            "<span class=\"closed-title\" lang=\"da\">Lukket punkt: Salg af ejendom</span>"
        ),
        "{html}"
    );
    assert!(html.contains("<span lang=\"da\">Byrådet godkendte salget.</span>"));
    assert!(
        html.contains("<span class=\"closed-title\">Closed item</span>"),
        "{html}"
    );

    let html = site.page("/sager/24-277/");
    assert!(html.contains("<h1>Case 24/277 <span class=\"subtitle\" lang=\"da\">Cykelsti langs Åvej – endelig godkendelse</span></h1>"), "{html}");
    assert!(html.contains(
        "<p class=\"decision-label\" lang=\"da\">Beslutning i Teknikudvalget den 05-03-2024</p>"
    ));
    assert!(html.contains("<p class=\"muted\"><span lang=\"da\">Teknikudvalget</span> · "));

    let html = site.page("/");
    assert!(html.contains("<h1 lang=\"da\">Testby Kommune</h1>"));
    assert!(
        html.contains("· <span lang=\"da\">Byrådet</span></a>"),
        "{html}"
    );
    let html = site.page("/search/");
    assert!(html.contains("<option value=\"teknik\" lang=\"da\">Teknikudvalget</option>"));
    assert!(tag_with(&html, "id=\"search-form\"").contains("data-content-lang=\"da\""));
    let html = site.page("/tilgaengelighed/");
    assert!(html.contains("<h1 lang=\"da\">Tilgængelighedserklæring</h1>"));
}

#[test]
fn a_site_in_one_language_names_it_once() {
    let site = Site::standard();
    site.build_ok();
    for (path, html) in html_pages(&site) {
        assert_eq!(html.matches("lang=\"").count(), 1, "{path}");
        assert!(html.contains("<html lang=\"da\">"), "{path}");
    }
    let site = english_site("content_language = \"en\"\n");
    for (path, html) in html_pages(&site) {
        assert_eq!(html.matches("lang=\"").count(), 1, "{path}");
        assert!(html.contains("<html lang=\"en\">"), "{path}");
    }
}

#[test]
fn content_is_escaped_and_raw_html_is_not_published() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/03-html.md",
        "+++\ntitle = \"<script>alert('t')</script> & co\"\n+++\n\n<img src=x onerror=alert(1)>\n\n## Sagsfremstilling\nTekst <b>fed</b> og <iframe src=\"https://evil.example\"></iframe>\n",
    );
    site.build_ok();
    for page in ["/teknik/2024-03-05/03-html/", "/teknik/2024-03-05/"] {
        let html = site.page(page);
        assert!(!html.contains("<script>alert"), "{page}: {html}");
        assert!(!html.contains("<img src=x"), "{page}");
        assert!(!html.contains("<iframe"), "{page}");
        assert!(!html.contains("<b>fed"), "{page}");
    }
    let t = text(&site.page("/teknik/2024-03-05/03-html/"));
    assert!(
        t.contains("<script>alert('t')</script> & co"),
        "shown as text: {t}"
    );
    assert!(
        t.contains("<iframe src=\"https://evil.example\"></iframe>"),
        "{t}"
    );
}

#[test]
fn same_input_gives_the_same_bytes() {
    let a = Site::standard();
    a.build_ok();
    let b = Site::standard();
    b.build_ok();
    assert_eq!(a.output_files(), b.output_files());
}

#[test]
fn site_templates_override_the_theme_and_a_committee_its_own_pages() {
    let site = Site::standard();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p>EGEN SIDE {{ page.title }}</p>{% endblock content %}",
    );
    site.write(
        "templates/teknik/meeting.html",
        "{% extends \"base.html\" %}{% block content %}<p>TEKNIK MØDE {{ meeting.date_long }}</p>{% endblock content %}",
    );
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build_ok();
    assert!(
        site.page("/tilgaengelighed/")
            .contains("EGEN SIDE Tilgængelighedserklæring")
    );
    assert!(
        site.page("/teknik/2024-03-05/")
            .contains("TEKNIK MØDE 5. marts 2024")
    );
    assert!(!site.page("/byraadet/2024-03-20/").contains("TEKNIK MØDE"));
    assert!(site.out().join("logo.svg").is_file());
}

#[test]
fn header_and_footer_overrides_reach_every_page_and_a_committee_its_own() {
    let site = Site::standard();
    site.write(
        "templates/header.html",
        "<header class=\"site-header\"><a href=\"{{ root }}\">EGET HOVED {{ site_title }}</a></header>",
    );
    site.write(
        "templates/teknik/footer.html",
        "<footer class=\"site-footer\">TEKNIK FOD {{ t.generated_by }}</footer>",
    );
    site.build_ok();
    for url in ["/", "/byraadet/2024-03-20/", "/teknik/2024-03-05/"] {
        let page = site.page(url);
        assert_eq!(page.matches("EGET HOVED").count(), 1, "{url}");
        assert!(
            !page.contains("skip-link"),
            "{url}: the theme's header is still there"
        );
    }
    assert!(site.page("/teknik/2024-03-05/").contains("TEKNIK FOD"));
    assert!(
        !site
            .page("/teknik/2024-03-05/")
            .contains("class=\"footer-links\"")
    );
    assert!(!site.page("/byraadet/2024-03-20/").contains("TEKNIK FOD"));
    assert!(
        site.page("/byraadet/2024-03-20/")
            .contains("class=\"footer-links\"")
    );
}

#[test]
fn a_header_that_uses_a_page_value_is_a_clear_error() {
    let site = Site::standard();
    site.write("templates/header.html", "<header>{{ page_title }}</header>");
    let problems = site.build_problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("templates/header.html"),
        "{problems:?}"
    );
    assert!(problems[0].contains("page_title"), "{problems:?}");
    assert!(!site.out().exists());
}

#[test]
fn meetings_and_committees_sort_in_danish_order() {
    let site = Site::standard();
    site.write(
        "content/aeldre/committee.toml",
        "name = \"Ældrerådet\"\norder = 2\n",
    );
    site.write(
        "content/aa/committee.toml",
        "name = \"Arbejdsmarkedsudvalget\"\norder = 2\n",
    );
    site.write(
        "content/oe/committee.toml",
        "name = \"Zoneudvalget\"\norder = 2\n",
    );
    site.build_ok();
    let t = text(&site.page("/"));
    let a = t.find("Arbejdsmarkedsudvalget").unwrap();
    let z = t.find("Zoneudvalget").unwrap();
    let ae = t.find("Ældrerådet").unwrap();
    assert!(a < z && z < ae, "{t}");
}

#[test]
fn decomposed_unicode_file_names_publish_at_composed_urls() {
    let site = Site::standard();
    // "ö" and "å" decomposed, as macOS writes them.
    let nfd_item = "content/teknik/2024-03-05/03-gro\u{0308}n-pla\u{030a}n.md";
    site.write(
        nfd_item,
        "+++\ntitle = \"Grøn plan\"\nattachments = [ { title = \"Plan\", file = \"pla\u{030a}n.pdf\" }, { title = \"Bilag\", file = \"bilag-\u{00e6}.pdf\" } ]\n+++\nTekst.\n",
    );
    site.write_bytes("content/teknik/2024-03-05/pla\u{030a}n.pdf", b"%PDF");
    site.write_bytes("content/teknik/2024-03-05/bilag-a\u{0308}.pdf", b"%PDF");
    // The second file name is "æ" in the front matter but "ä" on disk: a real mismatch.
    let problems = site.build_problems();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("\"bilag-æ.pdf\" does not exist")),
        "{problems:?}"
    );
    site.write(
        nfd_item,
        "+++\ntitle = \"Grøn plan\"\nattachments = [ { title = \"Plan\", file = \"pl\u{00e5}n.pdf\" } ]\n+++\nTekst.\n",
    );
    site.build_ok();
    let html = site.page("/teknik/2024-03-05/03-gr\u{00f6}n-pl\u{00e5}n/");
    assert!(html.contains("Grøn plan"));
    assert!(
        html.contains("href=\"/teknik/2024-03-05/pl\u{00e5}n.pdf\""),
        "{html}"
    );
    assert!(
        site.output_files()
            .contains_key("teknik/2024-03-05/pl\u{00e5}n.pdf")
    );
}

#[test]
fn relative_links_in_content_lead_to_the_published_files() {
    let site = Site::new("title = \"Testby\"\nbase_url = \"https://testby.example/referater/\"\n");
    let standard = Site::standard();
    for entry in walkdir::WalkDir::new(standard.path().join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(standard.path()).unwrap();
            site.write_bytes(rel.to_str().unwrap(), &std::fs::read(entry.path()).unwrap());
        }
    }
    site.write(
        "content/teknik/2024-03-05/02-vejbelysning.md",
        "+++\ntitle = \"Vejbelysning\"\ncase = \"24/300\"\n+++\n\n## Beslutning\nSe [kortet](kort.pdf), [cykelstien](01-cykelsti.md), [Byrådets møde](../../byraadet/2024-03-20/) og [sagen](/sager/24-277/).\n",
    );
    site.build_ok();
    let expected = [
        "href=\"/referater/teknik/2024-03-05/kort.pdf\"",
        "href=\"/referater/teknik/2024-03-05/01-cykelsti/\"",
        "href=\"/referater/byraadet/2024-03-20/\"",
        "href=\"/referater/sager/24-277/\"",
    ];
    // The item page and the case page show the same decision.
    for page in ["/teknik/2024-03-05/02-vejbelysning/", "/sager/24-300/"] {
        let html = site.page(page);
        for link in expected {
            assert!(html.contains(link), "{page} lacks {link}");
        }
    }
    for target in [
        "teknik/2024-03-05/kort.pdf",
        "teknik/2024-03-05/01-cykelsti/index.html",
        "byraadet/2024-03-20/index.html",
        "sager/24-277/index.html",
    ] {
        assert!(site.out().join(target).is_file(), "{target}");
    }
}

#[test]
fn committees_without_an_order_come_after_those_with_one() {
    let site = Site::standard();
    site.write("content/aaa/committee.toml", "name = \"Affaldsrådet\"\n");
    site.build_ok();
    let front = site.page("/");
    let list = &front[front.find("id=\"udvalg\"").unwrap()..];
    let pos = |name: &str| list.find(name).unwrap_or_else(|| panic!("{name}"));
    assert!(pos("Byrådet") < pos("Teknikudvalget"));
    assert!(pos("Teknikudvalget") < pos("Affaldsrådet"));
}

#[test]
fn an_item_with_several_committees_decisions_shows_them_all_and_its_own_on_the_case_page() {
    let site = Site::standard();
    site.write(
        "content/byraadet/2024-03-20/03-to-beslutninger.md",
        "+++\ntitle = \"Ny skolestruktur\"\ncase = \"24/400\"\n+++\n\n## Sagsfremstilling\nFremstillingen.\n\n## Indstilling\nIndstillingen.\n\n## Høring\nHøringssvarene.\n\n## Beslutning i Teknikudvalget den 05-03-2024\nAnbefalet af udvalget.\n\n## Beslutning i Byrådet den 20-03-2024\nVedtaget af Byrådet.\n",
    );
    site.build_ok();
    let page = site.page("/byraadet/2024-03-20/03-to-beslutninger/");
    let item = &page[page.find("<main").unwrap()..];
    let pos = |s: &str| item.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(pos("Indstillingen.") < pos("Anbefalet af udvalget."));
    assert!(pos("Anbefalet af udvalget.") < pos("Vedtaget af Byrådet."));
    assert!(pos("Vedtaget af Byrådet.") < pos("Høringssvarene."));
    // The case page shows the decision of the item's own meeting.
    let case = site.page("/sager/24-400/");
    assert!(case.contains("Vedtaget af Byrådet."));
    assert!(!case.contains("Anbefalet af udvalget."));
}

#[test]
fn an_attachment_written_with_a_leading_dot_slash_has_a_clean_url() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/02-vejbelysning.md",
        "+++\ntitle = \"Vejbelysning\"\nattachments = [ { title = \"Kort\", file = \"./kort.pdf\" } ]\n+++\n",
    );
    site.build_ok();
    let html = site.page("/teknik/2024-03-05/02-vejbelysning/");
    assert!(
        html.contains("href=\"/teknik/2024-03-05/kort.pdf\""),
        "{html}"
    );
    assert!(!html.contains("/./"));
}

/// Every `href` and `src` on the site's own pages that points into the site,
/// percent-decoded as a host does, names a published file.
fn broken_links(site: &Site) -> Vec<String> {
    let files = site.output_files();
    let mut broken = Vec::new();
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for attr in ["href=\"/", "src=\"/"] {
            for (i, _) in html.match_indices(attr) {
                let rest = &html[i + attr.len()..];
                let url = &rest[..rest.find('"').unwrap()];
                let url = url.split(['#', '?']).next().unwrap().replace("&amp;", "&");
                let mut target = percent_decode(&url);
                if target.is_empty() || target.ends_with('/') {
                    target.push_str("index.html");
                }
                if !files.contains_key(&target) {
                    broken.push(format!("{path}: {url}"));
                }
            }
        }
    }
    broken
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn names_with_url_characters_are_linked_percent_encoded() {
    let site = Site::standard();
    site.write_bytes(
        "content/teknik/2024-03-05/Bilag #3 (100%).pdf",
        b"%PDF-1.4\n%%EOF\n",
    );
    site.write(
        "content/teknik/2024-03-05/03-vej #2?.md",
        "+++\ntitle = \"Vej nummer to\"\ncase = \"24/301 A\"\nattachments = [ { title = \"Bilag tre\", file = \"Bilag #3 (100%).pdf\" } ]\n+++\n\n## Beslutning\nGodkendt.\n",
    );
    site.build_ok();
    let meeting = site.page("/teknik/2024-03-05/");
    assert!(
        meeting.contains("href=\"/teknik/2024-03-05/03-vej%20%232%3F/\""),
        "{meeting}"
    );
    let item = site.page("/teknik/2024-03-05/03-vej #2?/");
    assert!(
        item.contains("href=\"/teknik/2024-03-05/Bilag%20%233%20(100%25).pdf\""),
        "{item}"
    );
    // The case number as written, `/` as `-`; a space is no part of a URL.
    assert!(item.contains("href=\"/sager/24-301-A/\""), "{item}");
    assert!(
        site.out()
            .join("teknik/2024-03-05/Bilag #3 (100%).pdf")
            .is_file()
    );
    assert_eq!(broken_links(&site), Vec::<String>::new());
}

#[test]
fn a_heading_inside_a_quote_or_list_stays_in_its_section() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/03-citat.md",
        "+++\ntitle = \"Citat\"\n+++\n\n## Sagsfremstilling\nBorgeren skrev:\n\n> ## Beslutning i brevet\n> Jeg er imod.\n\n* Punkt\n\n  ## Indstilling i listen\n  Mere.\n\n## Beslutning i Teknikudvalget den 05-03-2024\nTaget til efterretning.\n",
    );
    site.build_ok();
    let html = site.page("/teknik/2024-03-05/03-citat/");
    let article = &html[html.find("<article").unwrap()..html.find("</article>").unwrap()];
    for tag in ["blockquote", "ul", "li", "section", "div"] {
        assert_eq!(
            article.matches(&format!("<{tag}")).count(),
            article.matches(&format!("</{tag}>")).count(),
            "<{tag}> unbalanced: {article}"
        );
    }
    assert_eq!(
        article
            .matches("class=\"section section-decision\"")
            .count(),
        1,
        "{article}"
    );
    assert!(
        article.contains("<blockquote>\n<h2>Beslutning i brevet</h2>"),
        "{article}"
    );
    // The agenda shows the item's own decision, not the quoted one.
    let meeting = text(&site.page("/teknik/2024-03-05/"));
    assert!(meeting.contains("Taget til efterretning."), "{meeting}");
}

#[test]
fn a_markdown_file_without_a_number_is_an_attachment() {
    let site = Site::standard();
    site.write("content/teknik/2024-03-05/notat.md", "# Notat\n\nTekst.\n");
    site.write(
        "content/teknik/2024-03-05/ikke-brugt.md",
        "Ikke et punkt.\n",
    );
    site.write(
        "content/teknik/2024-03-05/03-notat.md",
        "+++\ntitle = \"Med notat\"\nattachments = [ { title = \"Notat om vejen\", file = \"notat.md\" } ]\n+++\nSe [notatet](notat.md) og [punkt 1](01-cykelsti.md).\n",
    );
    site.build_ok();
    let item = site.page("/teknik/2024-03-05/03-notat/");
    // Listed and linked from the text alike: the file, not a page.
    assert_eq!(
        item.matches("href=\"/teknik/2024-03-05/notat.md\"").count(),
        2,
        "{item}"
    );
    assert!(
        item.contains("href=\"/teknik/2024-03-05/01-cykelsti/\""),
        "{item}"
    );
    assert_eq!(
        std::fs::read_to_string(site.out().join("teknik/2024-03-05/notat.md")).unwrap(),
        "# Notat\n\nTekst.\n"
    );
    assert!(!site.out().join("teknik/2024-03-05/ikke-brugt.md").exists());
    assert!(!site.out().join("teknik/2024-03-05/notat").exists());
}

#[test]
fn a_cancelled_meeting_is_headed_as_a_cancelled_meeting() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-04-02/meeting.toml",
        "status = \"cancelled\"\nnote = \"Mødet er aflyst.\"\n",
    );
    site.build_ok();
    let html = site.page("/teknik/2024-04-02/");
    assert!(
        html.contains("<h1>Aflyst møde <span class=\"subtitle\">Teknikudvalget, tirsdag 2. april 2024</span></h1>"),
        "{html}"
    );
    assert!(
        html.contains("<title>Aflyst møde 2. april 2024 – Teknikudvalget – Testby Kommune</title>")
    );
    // Lists keep the short status beside the date.
    let t = text(&site.page("/teknik/"));
    assert!(t.contains("2. april 2024 Aflyst"), "{t}");
}

#[test]
fn a_closed_items_badge_is_read_out_only_where_its_title_does_not_say_closed() {
    let site = Site::standard();
    site.write(
        "content/byraadet/2024-03-20/03-grund.md",
        "+++\ntitle = \"Køb af grund\"\nclosed = true\npublic_title = \"Erhvervelse af areal\"\n+++\n",
    );
    site.build_ok();
    let html = site.page("/byraadet/2024-03-20/");
    assert!(html.contains(
        "<span class=\"closed-title\">Lukket punkt: Salg af ejendom</span> <span class=\"badge badge-closed\" aria-hidden=\"true\">Lukket</span>"
    ), "{html}");
    assert!(html.contains(
        "<span class=\"closed-title\">Erhvervelse af areal</span> <span class=\"badge badge-closed\">Lukket</span>"
    ), "{html}");
}
