//! Atom feeds, calendars, the sitemap and the pages' links to them, read
//! back with independent parsers (Python's feedparser and icalendar).

#[path = "support/feeds_site.rs"]
mod feeds_site;

use feeds_site::{BASE_URL, CLOSED_PUBLIC_DECISION, CLOSED_PUBLIC_TITLE};
use serde_json::Value;

fn entries<'a>(summary: &'a Value, feed: &str) -> &'a Vec<Value> {
    summary["feeds"][feed]["entries"]
        .as_array()
        .unwrap_or_else(|| panic!("no feed {feed}"))
}

fn events<'a>(summary: &'a Value, cal: &str) -> &'a Vec<Value> {
    summary["calendars"][cal]["events"]
        .as_array()
        .unwrap_or_else(|| panic!("no calendar {cal}"))
}

fn strs(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e[key].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn feeds_parse_and_follow_the_content() {
    let Some(s) = &feeds_site::built_once("feeds-formats").summary else {
        return;
    };

    // The site's feed: every meeting, newest first, dated by the meetings.
    let site = &s["feeds"]["feed.atom"];
    assert_eq!(
        site["title"],
        "Nye dagsordener og referater – Testby Kommune – dagsordener & referater"
    );
    assert_eq!(site["language"], "da");
    assert_eq!(site["updated"], "2024-12-01T00:00:00+01:00");
    let all = entries(s, "feed.atom");
    assert_eq!(
        strs(&site["entries"], "updated"),
        [
            "2024-12-01T00:00:00+01:00",
            "2024-11-15T14:00:00+01:00",
            "2024-10-27T10:00:00+01:00",
            "2024-09-10T16:00:00+02:00",
            "2024-06-04T09:30:00+02:00",
            "2024-03-31T12:00:00+02:00",
        ]
    );
    assert_eq!(
        strs(&site["entries"], "title"),
        [
            "Aflyst: Hovedudvalget, 1. december 2024",
            "Dagsorden: Hovedudvalget, 15. november 2024",
            "Referat: Teknik- og Miljøudvalget, 27. oktober 2024",
            "Referat: Børn & Unge-udvalget, 10. september 2024",
            "Referat: Hovedudvalget, 4. juni 2024",
            "Dagsorden: Teknik- og Miljøudvalget, 31. marts 2024",
        ]
    );
    let june = &all[4];
    assert_eq!(
        june["id"],
        "tag:referater.testby.dk,2024-06-04:arkiv/hovedudvalget/2024-06-04/minutes"
    );
    assert_eq!(
        june["link"],
        format!("{BASE_URL}/hovedudvalget/2024-06-04/")
    );
    assert_eq!(june["categories"], serde_json::json!(["minutes"]));
    let content = june["content"].as_str().unwrap();
    assert!(
        content.contains("Budget 2025 – første behandling"),
        "{content}"
    );
    assert!(content.contains("Godkendt &amp; sendt videre"), "{content}");
    assert!(content.contains(CLOSED_PUBLIC_TITLE), "{content}");
    assert!(content.contains(CLOSED_PUBLIC_DECISION), "{content}");
    assert!(
        content.contains(&format!(
            "href=\"{BASE_URL}/hovedudvalget/2024-06-04/01-budget-2025/\""
        )),
        "{content}"
    );
    let bu = entries(s, "børn-og-unge/feed.atom");
    assert_eq!(bu.len(), 1);
    assert_eq!(
        bu[0]["link"],
        format!("{BASE_URL}/b%C3%B8rn-og-unge/2024-09-10/")
    );
    assert!(entries(s, "kommunalbestyrelsen/feed.atom").is_empty());
    assert_eq!(entries(s, "hovedudvalget/feed.atom").len(), 3);

    // A case's feed: one entry per public item and state, newest first.
    let case = entries(s, "sager/24-277/feed.atom");
    assert_eq!(
        strs(&s["feeds"]["sager/24-277/feed.atom"]["entries"], "id"),
        [
            "tag:referater.testby.dk,2024-11-15:arkiv/hovedudvalget/2024-11-15/01-budget-2025-anden/agenda",
            "tag:referater.testby.dk,2024-09-10:arkiv/b%C3%B8rn-og-unge/2024-09-10/01-budget/minutes",
            "tag:referater.testby.dk,2024-06-04:arkiv/hovedudvalget/2024-06-04/01-budget-2025/minutes",
        ]
    );
    assert_eq!(
        case[0]["title"],
        "Dagsorden: Budget 2025 – anden behandling (Hovedudvalget, 15. november 2024)"
    );
    assert!(
        case[0]["content"]
            .as_str()
            .unwrap()
            .contains("budgettet vedtages")
    );
    assert!(case[1]["content"].as_str().unwrap().contains("Anbefales."));
    assert_eq!(
        s["feeds"]["sager/24-277/feed.atom"]["title"],
        "Sag 24/277 – Budget 2025 – anden behandling"
    );
    // Every case has its feed; the closed item's case has none.
    let feeds: Vec<&String> = s["feeds"].as_object().unwrap().keys().collect();
    assert_eq!(
        feeds.iter().filter(|f| f.starts_with("sager/")).count(),
        2 + feeds_site::BULK_CASES
    );
}

#[test]
fn calendars_parse_with_local_times_and_cancellations() {
    let Some(s) = &feeds_site::built_once("feeds-formats").summary else {
        return;
    };
    let all = events(s, "kalender.ics");
    assert_eq!(all.len(), 6);
    assert_eq!(
        s["calendars"]["kalender.ics"]["tzids"],
        serde_json::json!(["Europe/Copenhagen"])
    );
    let june = all
        .iter()
        .find(|e| e["uid"] == "hovedudvalget/2024-06-04@referater.testby.dk")
        .expect("the June meeting");
    assert_eq!(june["start"], "2024-06-04T09:30:00+02:00");
    assert_eq!(june["end"], "2024-06-04T11:00:00+02:00");
    assert_eq!(june["start_tzid"], "Europe/Copenhagen");
    assert_eq!(june["summary"], "Møde i Hovedudvalget");
    assert_eq!(june["status"], "CONFIRMED");
    assert_eq!(june["location"], "Mødelokale 1, Rådhuset; 1. sal");
    assert_eq!(june["url"], format!("{BASE_URL}/hovedudvalget/2024-06-04/"));
    assert_eq!(june["dtstamp"], "2024-06-04T00:00:00+00:00");
    assert_eq!(june["sequence"], 0);
    let description = june["description"].as_str().unwrap();
    assert!(
        description.contains(&format!("2. {CLOSED_PUBLIC_TITLE}")),
        "{description}"
    );
    assert!(
        description.contains("3. Orientering, spørgsmål; svar \\ status"),
        "{description}"
    );

    let november = all
        .iter()
        .find(|e| e["uid"] == "hovedudvalget/2024-11-15@referater.testby.dk")
        .unwrap();
    assert_eq!(november["start"], "2024-11-15T14:00:00+01:00");
    assert_eq!(november["end"], Value::Null);

    let cancelled = all
        .iter()
        .find(|e| e["uid"] == "hovedudvalget/2024-12-01-ekstra@referater.testby.dk")
        .unwrap();
    assert_eq!(cancelled["all_day"], true);
    assert_eq!(cancelled["start"], "2024-12-01");
    assert_eq!(cancelled["end"], "2024-12-02");
    assert_eq!(cancelled["status"], "CANCELLED");
    // Above the planned meeting's 0, so that an imported event is updated.
    assert_eq!(cancelled["sequence"], 1);
    assert_eq!(cancelled["summary"], "Aflyst: Møde i Hovedudvalget");

    let teknik: Vec<&str> = events(s, "teknik/kalender.ics")
        .iter()
        .map(|e| e["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        teknik,
        ["2024-03-31T12:00:00+02:00", "2024-10-27T10:00:00+01:00"]
    );
    assert_eq!(events(s, "hovedudvalget/kalender.ics").len(), 3);
    assert_eq!(
        s["calendars"]["børn-og-unge/kalender.ics"]["name"],
        "Møder – Børn & Unge-udvalget"
    );
    assert!(events(s, "kommunalbestyrelsen/kalender.ics").is_empty());
    // UIDs do not depend on which calendar an event is in.
    let bu = &events(s, "børn-og-unge/kalender.ics")[0];
    assert!(all.iter().any(|e| e == bu));
}

#[test]
fn sitemap_lists_every_page_and_pages_link_their_feeds() {
    let Some(s) = &feeds_site::built_once("feeds-formats").summary else {
        return;
    };
    let pages: Vec<String> = s["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.as_str())
        .filter_map(|f| f.strip_suffix("index.html"))
        .map(|p| format!("{BASE_URL}/{}", protokol::urls::encode_path(p)))
        .collect();
    let mut pages = pages;
    pages.sort();
    let sitemap: Vec<String> = s["sitemap"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap().to_string())
        .collect();
    assert_eq!(sitemap, pages);
    assert!(sitemap.contains(&format!(
        "{BASE_URL}/b%C3%B8rn-og-unge/2024-09-10/01-budget/"
    )));
    assert!(sitemap.contains(&format!("{BASE_URL}/sager/24-277/")));
    assert_eq!(
        s["robots"],
        format!("User-agent: *\nDisallow:\n\nSitemap: {BASE_URL}/sitemap.xml\n")
    );

    let links = |page: &str, kind: &str| -> Vec<String> {
        s["pages"][page][kind]
            .as_array()
            .unwrap_or_else(|| panic!("no page {page}"))
            .iter()
            .map(|h| h.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(links("index.html", "alternate"), ["/arkiv/feed.atom"]);
    let front = links("index.html", "visible");
    for want in [
        "/arkiv/feed.atom",
        "webcal://referater.testby.dk/arkiv/kalender.ics",
        "/arkiv/kalender.ics",
    ] {
        assert!(front.contains(&want.to_string()), "{front:?}");
    }
    let committee = links("børn-og-unge/index.html", "visible");
    for want in [
        "/arkiv/børn-og-unge/feed.atom",
        "webcal://referater.testby.dk/arkiv/b%C3%B8rn-og-unge/kalender.ics",
        "/arkiv/børn-og-unge/kalender.ics",
    ] {
        assert!(committee.contains(&want.to_string()), "{committee:?}");
    }
    assert!(
        links("sager/24-277/index.html", "visible")
            .contains(&"/arkiv/sager/24-277/feed.atom".to_string())
    );
    assert_eq!(
        links(
            "hovedudvalget/2024-06-04/01-budget-2025/index.html",
            "alternate"
        ),
        [
            "/arkiv/sager/24-277/feed.atom",
            "/arkiv/hovedudvalget/feed.atom",
            "/arkiv/feed.atom"
        ]
    );
}

/// The decoded `content` of `<meta {attr}="{name}" content="…">`.
fn meta(html: &str, attr: &str, name: &str) -> Option<String> {
    let tag = format!("<meta {attr}=\"{name}\" content=\"");
    let start = html.find(&tag)? + tag.len();
    let end = start + html[start..].find('"')?;
    Some(
        html[start..end]
            .replace("&#x2F;", "/")
            .replace("&#x27;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// The JSON-LD of a page, parsed.
fn json_ld(html: &str) -> Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD script")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses")
}

#[test]
fn meeting_and_item_pages_carry_schema_org_and_open_graph() {
    let out = &feeds_site::built_once("feeds-formats").out;

    let html = feeds_site::read(out, "hovedudvalget/2024-06-04/index.html");
    let ld = json_ld(&html);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Event");
    assert_eq!(ld["name"], "Møde i Hovedudvalget");
    assert_eq!(ld["startDate"], "2024-06-04T09:30:00+02:00");
    assert_eq!(ld["endDate"], "2024-06-04T11:00:00+02:00");
    assert_eq!(ld["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(ld["location"]["name"], "Mødelokale 1, Rådhuset; 1. sal");
    assert_eq!(ld["organizer"]["name"], "Hovedudvalget");
    assert_eq!(ld["organizer"]["url"], format!("{BASE_URL}/hovedudvalget/"));
    assert_eq!(
        meta(&html, "property", "og:url").unwrap(),
        format!("{BASE_URL}/hovedudvalget/2024-06-04/")
    );
    assert_eq!(meta(&html, "property", "og:type").unwrap(), "website");
    assert_eq!(
        meta(&html, "property", "og:title").unwrap(),
        "Referat 4. juni 2024 – Hovedudvalget"
    );
    assert_eq!(meta(&html, "property", "og:locale").unwrap(), "da_DK");
    assert_eq!(
        meta(&html, "name", "description").unwrap(),
        "Referat Hovedudvalget: tirsdag 4. juni 2024 · Tidspunkt 09.30–11.00 · Mødelokale 1, Rådhuset; 1. sal · 3 punkter"
    );

    let ld = json_ld(&feeds_site::read(
        out,
        "hovedudvalget/2024-12-01-ekstra/index.html",
    ));
    assert_eq!(ld["eventStatus"], "https://schema.org/EventCancelled");
    assert_eq!(ld["startDate"], "2024-12-01");
    assert!(ld.get("location").is_none());

    // `&` in a name stays out of the raw script text but parses back.
    let html = feeds_site::read(out, "børn-og-unge/2024-09-10/01-budget/index.html");
    let ld = json_ld(&html);
    assert_eq!(ld["@type"], "CreativeWork");
    assert_eq!(ld["name"], "Budget 2025 – børne- og ungeområdet");
    assert_eq!(ld["identifier"], "24/277");
    assert_eq!(ld["position"], 1);
    assert_eq!(ld["description"], "Anbefales.");
    assert_eq!(ld["isPartOf"]["@type"], "Event");
    assert_eq!(ld["isPartOf"]["organizer"]["name"], "Børn & Unge-udvalget");
    assert!(html.contains("Børn \\u0026 Unge-udvalget"));
    assert_eq!(meta(&html, "property", "og:type").unwrap(), "article");
    assert_eq!(
        meta(&html, "property", "og:description").unwrap(),
        "Anbefales."
    );
    assert_eq!(
        meta(&html, "property", "og:site_name").unwrap(),
        "Testby Kommune – dagsordener & referater"
    );
}

#[test]
fn two_builds_give_the_same_bytes() {
    // A second build, in another folder and at another time.
    let first = feeds_site::all_files(&feeds_site::built_once("feeds-formats").out);
    let b = tempfile::tempdir().unwrap();
    let second = feeds_site::all_files(&feeds_site::build_site(b.path()));
    assert_eq!(first.len(), second.len());
    for ((pa, ba), (pb, bb)) in first.iter().zip(&second) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between two builds");
    }
    assert!(first.iter().any(|(p, _)| p == "oparl/v1/system.json"));
    // A site in one language marks no part of its feeds or calendars with
    // another.
    for (p, bytes) in &first {
        if p.ends_with(".atom") || p.ends_with(".ics") {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains("lang=&quot;") && !text.contains("LANGUAGE="),
                "{p}"
            );
        }
    }
}

#[test]
fn the_sitemap_page_list_is_where_the_renderer_writes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    feeds_site::write_site(&root);
    let site = protokol::load::load_site(&root).unwrap();
    let idx = protokol::site_index::SiteIndex::new(&site);
    let theme = protokol::render::theme::Theme::load(&root, "default").unwrap();
    let renderer = protokol::render::Renderer::new(&idx, &theme).unwrap();
    let jobs = renderer.all_jobs();
    assert!(jobs.len() > 100);
    for job in &jobs {
        let (written, _) = renderer.render(job).unwrap();
        match protokol::render::page_folder(&idx, job) {
            Some(folder) => assert_eq!(written, format!("{folder}index.html"), "{job:?}"),
            None => assert_eq!(written, "404.html"),
        }
    }
}

#[test]
fn an_english_site_gets_english_feeds_and_calendar_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    feeds_site::write_site(&root);
    std::fs::write(
        root.join("config.toml"),
        format!("title = \"Testby Council\"\nbase_url = \"{BASE_URL}\"\nlanguage = \"en\"\n"),
    )
    .unwrap();
    let out = dir.path().join("public");
    let opts = protokol::build::BuildOptions {
        root,
        output: Some(out.clone()),
        base_url: None,
    };
    protokol::build::build(&opts, &protokol::build::Progress::quiet()).unwrap();
    assert!(!out.join("kalender.ics").exists());
    let ics = feeds_site::read(&out, "hovedudvalget/calendar.ics");
    assert!(
        ics.contains("SUMMARY:Meeting of Hovedudvalget\r\n"),
        "{ics}"
    );
    assert!(ics.contains("SUMMARY:Cancelled: Meeting of Hovedudvalget\r\n"));
    let feed = feeds_site::read(&out, "feed.atom");
    assert!(feed.contains("<title>New agendas and minutes – Testby Council</title>"));
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"));
    // The Danish minutes inside say so (in the HTML of the content, escaped
    // once more in the XML), the English labels do not.
    assert!(
        feed.contains("Decision: &lt;span lang=&quot;da&quot;&gt;Godkendt &amp;amp; sendt videre"),
        "{feed}"
    );
    assert!(feed.contains("lang=&quot;da&quot;&gt;Budget 2025 – første behandling&lt;/a&gt;"));
    let case_feed = feeds_site::read(&out, "sager/24-277/feed.atom");
    assert!(
        case_feed.contains("&lt;h2 lang=&quot;da&quot;&gt;Beslutning i Hovedudvalget den 04-06-2024&lt;/h2&gt;&lt;div lang=&quot;da&quot;&gt;"),
        "{case_feed}"
    );
    assert!(
        ics.contains("LOCATION;LANGUAGE=da:Mødelokale 1\\, Rådhuset\\; 1. sal\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains("CATEGORIES;LANGUAGE=da:Hovedudvalget\r\n"),
        "{ics}"
    );
    let front = feeds_site::read(&out, "index.html");
    assert!(front.contains("webcal://referater.testby.dk/arkiv/calendar.ics"));
    assert!(front.contains("Subscribe to the meeting calendar"));
    let meeting: serde_json::Value = serde_json::from_str(&feeds_site::read(
        &out,
        "oparl/v1/meeting/hovedudvalget/2024-06-04.json",
    ))
    .unwrap();
    assert_eq!(meeting["name"], "Meeting of Hovedudvalget, 4 June 2024");
    assert_eq!(meeting["meetingState"], "Minutes");
}

#[test]
fn committee_and_page_names_cannot_take_the_feed_and_sitemap_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    feeds_site::write_site(&root);
    std::fs::create_dir_all(root.join("content/feed.atom")).unwrap();
    std::fs::write(
        root.join("content/feed.atom/committee.toml"),
        "name = \"Feed\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/pages")).unwrap();
    std::fs::write(
        root.join("content/pages/sitemap-2.xml.md"),
        "+++\ntitle = \"Kort\"\n+++\nTekst.\n",
    )
    .unwrap();
    let opts = protokol::build::BuildOptions {
        root,
        output: Some(dir.path().join("public")),
        base_url: None,
    };
    let err = protokol::build::build(&opts, &protokol::build::Progress::quiet())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("\"feed.atom\" is used by the site itself"),
        "{err}"
    );
    assert!(
        err.contains("\"sitemap-2.xml\" is used by the site itself"),
        "{err}"
    );
    assert!(!dir.path().join("public").exists(), "nothing is written");
}
