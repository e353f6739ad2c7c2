//! `serve` rebuilds feeds, calendars, the sitemap and the OParl export
//! incrementally: after edits to some meeting folders, `feeds::update` and
//! `oparl::update` applied to the previous output must give exactly what a
//! clean full build of the edited site gives, byte for byte, with no file
//! left over. Scripted edits cover the tricky cases (a case that vanishes, a
//! list that loses a page, a location no meeting uses any more, edits
//! outside and inside the site feed's window of newest meetings), then
//! seeded random edits. Updates run as `serve` runs them, with the
//! calendar events kept from the last build or update, and without.

#[path = "support/feeds_site.rs"]
mod feeds_site;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use protokol::feeds::MeetingKey;
use protokol::output::{Content, MemoryOutput};
use protokol::site_index::SiteIndex;

type Files = BTreeMap<String, Content>;

fn full(idx: &SiteIndex<'_>) -> (Files, protokol::oparl::Lists, protokol::feeds::Events) {
    let out = MemoryOutput::default();
    let events = protokol::feeds::render_keeping(idx, true, true, &out).unwrap();
    let lists = protokol::oparl::render_keeping_lists(idx, &out).unwrap();
    (out.into_files(), lists, events)
}

/// Meetings of the Kommunalbestyrelse in 2030, newer than all others: more
/// than the site's feed shows.
const NEW_MEETINGS: usize = protokol::feeds::FEED_ENTRIES + 5;

/// The folder of new meeting `n`: a day of 2030, later for a larger `n`.
fn new_meeting(n: usize) -> String {
    format!("2030-{:02}-{:02}", n / 28 + 1, n % 28 + 1)
}

fn key(committee: &str, folder: &str) -> MeetingKey {
    (committee.to_string(), folder.to_string())
}

/// One edit of the content: what it does, and the meeting folders it touches.
type Edit = Box<dyn Fn(&Path) -> BTreeSet<MeetingKey>>;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join("content").join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn scripted() -> Vec<(&'static str, Edit)> {
    vec![
        (
            "retitle an item of a case",
            Box::new(|root: &Path| {
                let p = root.join("content/hovedudvalget/2024-06-04/01-budget-2025.md");
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, text.replace("første behandling", "1. behandling")).unwrap();
                BTreeSet::from([key("hovedudvalget", "2024-06-04")])
            }),
        ),
        (
            "a new meeting with a new case, a known case and a new place",
            Box::new(|root: &Path| {
                write(
                    root,
                    "børn-og-unge/2025-01-14/meeting.toml",
                    "start = \"15:00\"\nlocation = \"Nyt sted\"\nstatus = \"agenda\"\n",
                );
                write(
                    root,
                    "børn-og-unge/2025-01-14/01-ny.md",
                    "+++\ntitle = \"Ny sag\"\ncase = \"25/9\"\nroute = [\"BU\", \"KB\"]\n+++\n## Indstilling\nGodkendes.\n",
                );
                write(
                    root,
                    "børn-og-unge/2025-01-14/02-budget.md",
                    "+++\ntitle = \"Budget 2025 – opfølgning\"\ncase = \"24/277\"\n+++\nTekst.\n",
                );
                BTreeSet::from([key("børn-og-unge", "2025-01-14")])
            }),
        ),
        (
            "minutes replace an agenda",
            Box::new(|root: &Path| {
                write(
                    root,
                    "hovedudvalget/2024-11-15/meeting.toml",
                    "start = \"14:00\"\nend = \"15:30\"\nlocation = \"Byrådssalen\"\nstatus = \"minutes\"\n",
                );
                let p = root.join("content/hovedudvalget/2024-11-15/01-budget-2025-anden.md");
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, format!("{text}\n## Beslutning\nVedtaget.\n")).unwrap();
                BTreeSet::from([key("hovedudvalget", "2024-11-15")])
            }),
        ),
        (
            "a meeting is deleted: its only case and its place vanish",
            Box::new(|root: &Path| {
                std::fs::remove_dir_all(root.join("content/børn-og-unge/2024-09-10")).unwrap();
                BTreeSet::from([key("børn-og-unge", "2024-09-10")])
            }),
        ),
        (
            "most of a long agenda goes: the paper list loses its second page",
            Box::new(|root: &Path| {
                for n in 20..=feeds_site::BULK_CASES {
                    std::fs::remove_file(
                        root.join(format!("content/teknik/2024-10-27/{n:03}-vejsag.md")),
                    )
                    .unwrap();
                }
                BTreeSet::from([key("teknik", "2024-10-27")])
            }),
        ),
        (
            "two meetings at once; a closed item's public title changes",
            Box::new(|root: &Path| {
                let p = root.join("content/hovedudvalget/2024-06-04/02-zqcanaryslug-salg.md");
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, text.replace("Salg af ejendom", "Salg af grund")).unwrap();
                write(
                    root,
                    "teknik/2024-03-31/meeting.toml",
                    "start = \"12:00\"\nstatus = \"cancelled\"\n",
                );
                BTreeSet::from([
                    key("hovedudvalget", "2024-06-04"),
                    key("teknik", "2024-03-31"),
                ])
            }),
        ),
        (
            "many new meetings push the others out of the site feed",
            Box::new(|root: &Path| {
                let mut keys = BTreeSet::new();
                for n in 0..NEW_MEETINGS {
                    let folder = new_meeting(n);
                    write(
                        root,
                        &format!("kommunalbestyrelsen/{folder}/meeting.toml"),
                        &format!("start = \"{:02}:00\"\nstatus = \"agenda\"\n", n % 24),
                    );
                    write(
                        root,
                        &format!("kommunalbestyrelsen/{folder}/01-punkt.md"),
                        &format!("+++\ntitle = \"Punkt {n}\"\n+++\n## Indstilling\nGodkendes.\n"),
                    );
                    keys.insert(key("kommunalbestyrelsen", &folder));
                }
                keys
            }),
        ),
        (
            "an edit outside the site feed's window",
            Box::new(|root: &Path| {
                let p = root.join("content/hovedudvalget/2024-06-04/01-budget-2025.md");
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, text.replace("Budget 2025", "Budget 2025 (rettet)")).unwrap();
                BTreeSet::from([key("hovedudvalget", "2024-06-04")])
            }),
        ),
        (
            "an edit inside the site feed's window",
            Box::new(|root: &Path| {
                let last = new_meeting(NEW_MEETINGS - 1);
                let p = root.join(format!("content/kommunalbestyrelsen/{last}/01-punkt.md"));
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, text.replace("title = \"", "title = \"Nyt: ")).unwrap();
                BTreeSet::from([key("kommunalbestyrelsen", &last)])
            }),
        ),
        (
            "a meeting leaves the site feed's window",
            Box::new(|root: &Path| {
                let folder = new_meeting(NEW_MEETINGS - 2);
                std::fs::remove_dir_all(root.join("content/kommunalbestyrelsen").join(&folder))
                    .unwrap();
                BTreeSet::from([key("kommunalbestyrelsen", &folder)])
            }),
        ),
    ]
}

/// A small deterministic generator, so a failure repeats.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// A random edit of a random meeting: add, retitle or drop an item, or
/// change the meeting's status or place.
fn random_edit(root: &Path, rng: &mut Lcg) -> BTreeSet<MeetingKey> {
    let mut meetings = Vec::new();
    for c in ["hovedudvalget", "børn-og-unge", "teknik"] {
        for e in std::fs::read_dir(root.join("content").join(c)).unwrap() {
            let e = e.unwrap();
            if e.path().is_dir() {
                meetings.push((c.to_string(), e.file_name().to_string_lossy().into_owned()));
            }
        }
    }
    meetings.sort();
    let (c, f) = meetings[rng.below(meetings.len())].clone();
    let dir = root.join("content").join(&c).join(&f);
    let mut items: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    items.sort();
    let cases = ["24/277", "24/300", "25/9", "23/1005", "26/1"];
    let places = [
        "Byrådssalen",
        "Nyt sted",
        "Skolen, Ørum",
        "Rådhuset; 2. sal",
    ];
    match rng.below(5) {
        0 => {
            let n = 90 + rng.below(9);
            std::fs::write(
                dir.join(format!("{n}-tilfoejet.md")),
                format!(
                    "+++\ntitle = \"Tilføjet punkt {n}\"\ncase = \"{}\"\n+++\n## Beslutning\nGodkendt {n}.\n",
                    cases[rng.below(cases.len())]
                ),
            )
            .unwrap();
        }
        1 if !items.is_empty() => {
            let p = &items[rng.below(items.len())];
            let text = std::fs::read_to_string(p).unwrap();
            std::fs::write(p, text.replacen("title = \"", "title = \"Ændret: ", 1)).unwrap();
        }
        2 if !items.is_empty() => std::fs::remove_file(&items[rng.below(items.len())]).unwrap(),
        3 => {
            let status = ["agenda", "minutes", "cancelled"][rng.below(3)];
            std::fs::write(
                dir.join("meeting.toml"),
                format!("start = \"10:00\"\nstatus = \"{status}\"\n"),
            )
            .unwrap();
        }
        _ => std::fs::write(
            dir.join("meeting.toml"),
            format!(
                "start = \"09:00\"\nend = \"10:00\"\nlocation = \"{}\"\nstatus = \"minutes\"\n",
                places[rng.below(places.len())]
            ),
        )
        .unwrap(),
    }
    BTreeSet::from([(c, f)])
}

#[test]
fn updates_equal_full_builds_after_edits() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    feeds_site::write_site(&root);
    let mut site = protokol::load::load_site(&root).unwrap();
    let (mut files, mut lists, mut events) = full(&SiteIndex::new(&site));

    let mut rng = Lcg(20241115);
    let mut edits: Vec<(String, Edit)> = scripted()
        .into_iter()
        .map(|(what, e)| (what.to_string(), e))
        .collect();
    for n in 0..12 {
        edits.push((
            format!("random edit {n}"),
            Box::new(|_: &Path| BTreeSet::new()),
        ));
    }
    for (what, edit) in edits {
        let touched = if what.starts_with("random") {
            random_edit(&root, &mut rng)
        } else {
            edit(&root)
        };
        let edited = protokol::load::load_site(&root).unwrap_or_else(|e| panic!("{what}: {e}"));
        let old = SiteIndex::new(&site);
        let new = SiteIndex::new(&edited);
        let (want, _, _) = full(&new);

        let out = MemoryOutput::default();
        let mut removed =
            protokol::feeds::update_keeping(&mut events, &old, &new, &touched, true, true, &out)
                .unwrap();
        // Without kept events: the same files.
        let fresh = MemoryOutput::default();
        let fresh_removed = protokol::feeds::update(&old, &new, &touched, &fresh).unwrap();
        assert_eq!(fresh_removed, removed, "{what}: removed files differ");
        let fresh = fresh.into_files();
        removed.extend(protokol::oparl::update(&mut lists, &old, &new, &touched, &out).unwrap());
        let written = out.into_files();
        assert!(!written.is_empty(), "{what}: nothing written");
        for (path, content) in &fresh {
            assert!(
                written.get(path) == Some(content),
                "{what}: {path} differs with kept events"
            );
        }
        if what.contains("outside the site feed") {
            assert!(
                !written.contains_key("feed.atom"),
                "{what}: feed.atom written"
            );
            assert!(written.contains_key("kalender.ics"), "{what}: no calendar");
        }
        if what.contains("inside the site feed") || what.contains("leaves the site feed") {
            assert!(
                written.contains_key("feed.atom"),
                "{what}: feed.atom not written"
            );
        }
        for path in &removed {
            assert!(
                files.remove(path).is_some(),
                "{what}: removes {path}, which was not there"
            );
            assert!(
                !written.contains_key(path),
                "{what}: writes and removes {path}"
            );
        }
        files.extend(written);

        let got: Vec<&String> = files.keys().collect();
        let expected: Vec<&String> = want.keys().collect();
        let extra: Vec<_> = got.iter().filter(|p| !want.contains_key(**p)).collect();
        let missing: Vec<_> = expected
            .iter()
            .filter(|p| !files.contains_key(**p))
            .collect();
        assert!(
            extra.is_empty() && missing.is_empty(),
            "{what}: left over {extra:?}, missing {missing:?}"
        );
        for (path, content) in &want {
            assert!(
                files[path] == *content,
                "{what}: {path} differs from a full build"
            );
        }
        drop((old, new));
        site = edited;
    }
}
