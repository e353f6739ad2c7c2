//! The closed-item canary over every output file, feeds, calendars, the
//! sitemap and the OParl export included: the private parts of a closed
//! item (title, body, headings, decision, case number, file-name slug,
//! attachment titles, names and bytes) and a non-public attachment of an
//! open item carry unique strings, and no byte of the output may hold one.

#[path = "support/feeds_site.rs"]
mod feeds_site;

use feeds_site::{CANARIES, CLOSED_PUBLIC_DECISION, CLOSED_PUBLIC_TITLE};

fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_private_part_of_a_closed_item_reaches_any_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = feeds_site::build_site(dir.path());

    // The canaries are in the input, so finding none in the output means something.
    let input: Vec<u8> = feeds_site::all_files(&dir.path().join("site"))
        .into_iter()
        .flat_map(|(path, bytes)| [path.into_bytes(), bytes].concat())
        .collect::<Vec<u8>>()
        .to_ascii_lowercase();
    for canary in CANARIES {
        assert!(contains(&input, canary), "the fixture lacks {canary}");
    }

    let files = feeds_site::all_files(&out);
    for kind in [
        "feed.atom",
        ".ics",
        "sitemap.xml",
        "robots.txt",
        "oparl/v1/",
        "index.html",
    ] {
        assert!(
            files.iter().any(|(p, _)| p.contains(kind)),
            "no {kind} output to check"
        );
    }
    let mut leaks = Vec::new();
    for (path, bytes) in &files {
        // Slugs are lower-cased in URLs; so compare in lower case.
        let lower = bytes.to_ascii_lowercase();
        let lower_path = path.to_ascii_lowercase();
        for canary in CANARIES {
            if contains(&lower, canary) || lower_path.contains(canary) {
                leaks.push(format!("{path}: {canary}"));
            }
        }
    }
    assert!(leaks.is_empty(), "closed-item leaks:\n{}", leaks.join("\n"));
}

#[test]
fn the_public_title_and_decision_of_a_closed_item_are_published() {
    let dir = tempfile::tempdir().unwrap();
    let out = feeds_site::build_site(dir.path());
    for path in [
        "feed.atom",
        "hovedudvalget/feed.atom",
        "hovedudvalget/2024-06-04/index.html",
        "oparl/v1/meeting/hovedudvalget/2024-06-04.json",
        "oparl/v1/agendaitem/hovedudvalget/2024-06-04/2.json",
    ] {
        let text = feeds_site::read(&out, path);
        assert!(
            text.contains(CLOSED_PUBLIC_TITLE),
            "{path} lacks the public title"
        );
        assert!(
            text.contains(CLOSED_PUBLIC_DECISION),
            "{path} lacks the public decision"
        );
    }
    // Calendars fold long lines; unfold before looking.
    let ics = feeds_site::read(&out, "kalender.ics").replace("\r\n ", "");
    assert!(ics.contains(&format!("2. {CLOSED_PUBLIC_TITLE}")));

    let item: serde_json::Value = serde_json::from_str(&feeds_site::read(
        &out,
        "oparl/v1/agendaitem/hovedudvalget/2024-06-04/2.json",
    ))
    .unwrap();
    assert_eq!(item["public"], false);
    assert_eq!(item["name"], CLOSED_PUBLIC_TITLE);
    assert_eq!(item["resolutionText"], CLOSED_PUBLIC_DECISION);
    // No case feed, paper or consultation for the closed item: its case
    // number is private. (Its number 2 has an agenda item, nothing more.)
    assert!(
        !out.join("oparl/v1/consultation/hovedudvalget/2024-06-04/2.json")
            .exists()
    );
    let files = feeds_site::all_files(&out);
    let file_objects = |prefix: &str| {
        files
            .iter()
            .filter(|(p, _)| {
                p.starts_with(&format!("oparl/v1/file/hovedudvalget/2024-06-04/{prefix}"))
            })
            .count()
    };
    assert_eq!(file_objects("2-"), 0, "File objects for the closed item");
    assert_eq!(file_objects("1-"), 1, "the open item's public attachment");

    // With the parsers at hand, read the meeting's feed entry as a reader does.
    if let Some(s) = feeds_site::python_summary(&out) {
        let entry = s["feeds"]["hovedudvalget/feed.atom"]["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| {
                e["link"]
                    .as_str()
                    .unwrap()
                    .ends_with("/hovedudvalget/2024-06-04/")
            })
            .expect("the meeting's entry")
            .clone();
        let content = entry["content"].as_str().unwrap();
        assert!(content.contains(CLOSED_PUBLIC_TITLE), "{content}");
        assert!(content.contains(CLOSED_PUBLIC_DECISION), "{content}");
    }
}
