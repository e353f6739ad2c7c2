//! Every kind of bad content gets `path:line: message`, all at once, and
//! leaves the published site as it was.

#[path = "support/fixture.rs"]
mod fixture;

use fixture::Site;

fn has(problems: &[String], expected: &str) {
    assert!(
        problems.iter().any(|p| p.contains(expected)),
        "expected a problem containing {expected:?}, got:\n{}",
        problems.join("\n")
    );
}

#[test]
fn malformed_toml_reports_its_line() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/03-x.md",
        "+++\ntitle = \"ok\"\ncase = \"24/1\n+++\nTekst\n",
    );
    let p = site.build_problems();
    has(&p, "content/teknik/2024-03-05/03-x.md:3:");
}

#[test]
fn unknown_keys_are_named() {
    let site = Site::standard();
    site.write(
        "config.toml",
        "title = \"x\"\ntheme = \"default\"\nlanguag = \"da\"\n",
    );
    has(
        &site.build_problems(),
        "config.toml:3: unknown field `languag`",
    );
    // An unknown table, once, on its header's line.
    let site = Site::standard();
    site.write("config.toml", "title = \"x\"\n\n[extra]\nfarve = \"blå\"\n");
    let p = site.build_problems();
    assert_eq!(p.len(), 1, "{p:?}");
    has(&p, "config.toml:3: unknown field `extra`");
    let site = Site::standard();
    site.write(
        "content/teknik/committee.toml",
        "name = \"Teknikudvalget\"\nshort = \"TU\"\nchair = \"x\"\n",
    );
    site.write(
        "content/teknik/2024-03-05/meeting.toml",
        "status = \"minutes\"\n\nroom = \"A\"\n",
    );
    site.write(
        "content/teknik/2024-03-05/02-vejbelysning.md",
        "+++\ntitle = \"x\"\nsecret = true\n+++\n",
    );
    let p = site.build_problems();
    has(&p, "content/teknik/committee.toml:3: unknown field `chair`");
    has(
        &p,
        "content/teknik/2024-03-05/meeting.toml:3: unknown field `room`",
    );
    has(
        &p,
        "content/teknik/2024-03-05/02-vejbelysning.md:3: unknown field `secret`",
    );
}

#[test]
fn missing_titles_and_names() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/02-vejbelysning.md",
        "+++\ncase = \"24/300\"\n+++\nTekst\n",
    );
    site.write("content/pages/om.md", "+++\n+++\nTekst\n");
    site.write("content/teknik/committee.toml", "short = \"TU\"\n");
    let p = site.build_problems();
    has(
        &p,
        "content/teknik/2024-03-05/02-vejbelysning.md:1: missing `title`",
    );
    has(&p, "content/pages/om.md:1: missing `title`");
    has(&p, "content/teknik/committee.toml:1: missing `name`");

    // An item's file with `.MD` is no item, nor silently passed over.
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/03-punkt.MD",
        "+++\ntitle = \"x\"\n+++\n",
    );
    has(
        &site.build_problems(),
        "content/teknik/2024-03-05/03-punkt.MD:1: an agenda item's file name ends in `.md`",
    );

    // An empty title is named on its line.
    let site = Site::standard();
    site.write("content/pages/om.md", "+++\n\ntitle = \" \"\n+++\nTekst\n");
    has(
        &site.build_problems(),
        "content/pages/om.md:3: missing `title`",
    );
}

#[test]
fn impossible_dates_and_times() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-02-30/meeting.toml",
        "status = \"agenda\"\n",
    );
    site.write(
        "content/teknik/2024-04-01/meeting.toml",
        "status = \"agenda\"\nstart = \"25:00\"\n",
    );
    site.write("content/teknik/marts/meeting.toml", "status = \"agenda\"\n");
    let p = site.build_problems();
    has(
        &p,
        "content/teknik/2024-02-30:1: \"2024-02-30\" is not a real date",
    );
    has(
        &p,
        "content/teknik/2024-04-01/meeting.toml:2: `start` must be a time as HH:MM",
    );
    has(
        &p,
        "content/teknik/marts:1: a meeting folder is named by its date",
    );
}

#[test]
fn duplicate_item_numbers() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/1-igen.md",
        "+++\ntitle = \"Igen\"\n+++\n",
    );
    has(
        &site.build_problems(),
        "item number 1 is used twice in this meeting",
    );
}

#[test]
fn attachments_must_exist_inside_the_meeting_folder() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/03-bilag.md",
        "+++\ntitle = \"Bilag\"\nattachments = [\n  { title = \"a\", file = \"../2024-03-06/x.pdf\" },\n  { title = \"b\", file = \"/etc/passwd\" },\n  { title = \"c\", file = \"mangler.pdf\" },\n  { title = \"d\", file = \"..\\\\x.pdf\" },\n  { title = \"e\", file = \"a..b.pdf\" },\n  { title = \"f\", file = \"\" },\n]\n+++\n",
    );
    site.write_bytes("content/teknik/2024-03-05/a..b.pdf", b"%PDF");
    let p = site.build_problems();
    has(
        &p,
        "03-bilag.md:4: attachment \"../2024-03-06/x.pdf\" leaves the meeting folder",
    );
    has(
        &p,
        "03-bilag.md:5: attachment \"/etc/passwd\" must be a path inside the meeting folder",
    );
    has(
        &p,
        "03-bilag.md:6: attachment file \"mangler.pdf\" does not exist",
    );
    has(
        &p,
        "03-bilag.md:7: attachment \"..\\\\x.pdf\" leaves the meeting folder",
    );
    has(&p, "03-bilag.md:9: attachment `file` is empty");
    assert_eq!(p.len(), 5, "two dots inside a name are no way out: {p:?}");
}

#[cfg(unix)]
#[test]
fn attachment_links_that_leave_content_are_refused() {
    let site = Site::standard();
    let outside = site.path().join("hemmelig.pdf");
    std::fs::write(&outside, b"secret").unwrap();
    std::os::unix::fs::symlink(
        &outside,
        site.path().join("content/teknik/2024-03-05/link.pdf"),
    )
    .unwrap();
    site.write(
        "content/teknik/2024-03-05/03-link.md",
        "+++\ntitle = \"Link\"\nattachments = [ { title = \"a\", file = \"link.pdf\" } ]\n+++\n",
    );
    has(
        &site.build_problems(),
        "03-link.md:3: attachment \"link.pdf\" is a link that leaves content/",
    );
}

/// Copied verbatim, an item's own file would publish a closed item whole.
#[test]
fn content_files_are_no_attachments() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/03-bilag.md",
        "+++\ntitle = \"Bilag\"\nattachments = [\n  { title = \"a\", file = \"02-vejbelysning.md\" },\n  { title = \"b\", file = \"meeting.toml\", public = false },\n]\n+++\n",
    );
    let p = site.build_problems();
    has(
        &p,
        "content/teknik/2024-03-05/03-bilag.md:4: attachment \"02-vejbelysning.md\" is a content file",
    );
    has(
        &p,
        "content/teknik/2024-03-05/03-bilag.md:5: attachment \"meeting.toml\" is a content file",
    );
}

/// Also through a link, within content/, to another meeting's closed item
/// or to a committee.toml.
#[cfg(unix)]
#[test]
fn links_to_content_files_are_no_attachments() {
    let site = Site::standard();
    let dir = site.path().join("content/teknik/2024-03-05");
    std::os::unix::fs::symlink(
        "../../byraadet/2024-03-20/02-lukket.md",
        dir.join("noter.pdf"),
    )
    .unwrap();
    std::os::unix::fs::symlink("../committee.toml", dir.join("udvalg.txt")).unwrap();
    site.write(
        "content/teknik/2024-03-05/03-bilag.md",
        "+++\ntitle = \"Bilag\"\nattachments = [\n  { title = \"a\", file = \"noter.pdf\" },\n  { title = \"b\", file = \"udvalg.txt\" },\n]\n+++\n",
    );
    let p = site.build_problems();
    has(
        &p,
        "03-bilag.md:4: attachment \"noter.pdf\" is a content file",
    );
    has(
        &p,
        "03-bilag.md:5: attachment \"udvalg.txt\" is a content file",
    );
    assert!(!site.out().join("teknik/2024-03-05/noter.pdf").exists());
}

/// A meeting folder may be a link to a folder elsewhere: its attachments
/// are where the loader finds it, but links and `../` still may not leave.
#[cfg(unix)]
#[test]
fn attachments_of_a_linked_meeting_folder_stay_inside_it() {
    let site = Site::standard();
    site.write("linked/2024-03-06/meeting.toml", "status = \"agenda\"\n");
    site.write_bytes("linked/2024-03-06/plan.pdf", b"%PDF plan");
    site.write(
        "linked/2024-03-06/01-plan.md",
        "+++\ntitle = \"Plan\"\nattachments = [ { title = \"Plan\", file = \"plan.pdf\" } ]\n+++\n",
    );
    std::os::unix::fs::symlink(
        site.path().join("linked/2024-03-06"),
        site.path().join("content/teknik/2024-03-06"),
    )
    .unwrap();
    site.build_ok();
    assert_eq!(
        std::fs::read(site.out().join("teknik/2024-03-06/plan.pdf")).unwrap(),
        b"%PDF plan"
    );

    site.write_bytes("linked/hemmelig.pdf", b"secret");
    std::os::unix::fs::symlink(
        "../hemmelig.pdf",
        site.path().join("linked/2024-03-06/link.pdf"),
    )
    .unwrap();
    site.write(
        "linked/2024-03-06/02-ud.md",
        "+++\ntitle = \"Ud\"\nattachments = [\n  { title = \"a\", file = \"link.pdf\" },\n  { title = \"b\", file = \"../hemmelig.pdf\" },\n]\n+++\n",
    );
    let p = site.build_problems();
    has(
        &p,
        "content/teknik/2024-03-06/02-ud.md:4: attachment \"link.pdf\" is a link that leaves content/",
    );
    has(
        &p,
        "content/teknik/2024-03-06/02-ud.md:5: attachment \"../hemmelig.pdf\" leaves the meeting folder",
    );
}

#[test]
fn route_entries_must_name_committees() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/03-rute.md",
        "+++\ntitle = \"Rute\"\nroute = [\"TU\", \"XYZ\"]\n+++\n",
    );
    has(
        &site.build_problems(),
        "03-rute.md:3: `route` names \"XYZ\", which is no committee's short name",
    );
}

#[test]
fn two_committees_may_not_share_a_short_name() {
    let site = Site::standard();
    // Folders load in name order: "trafik" comes after "teknik".
    site.write(
        "content/trafik/committee.toml",
        "name = \"Trafikudvalget\"\norder = 3\nshort = \"TU\"\n",
    );
    let p = site.build_problems();
    assert_eq!(p.len(), 1, "{p:?}");
    has(
        &p,
        "content/trafik/committee.toml:3: the short name \"TU\" is already that of content/teknik/committee.toml",
    );
}

#[test]
fn files_must_be_utf8() {
    let site = Site::standard();
    site.write_bytes(
        "content/teknik/2024-03-05/03-latin1.md",
        b"+++\ntitle = \"K\xf8benhavn\"\n+++\n",
    );
    has(
        &site.build_problems(),
        "03-latin1.md:2: file is not valid UTF-8",
    );
}

#[test]
fn script_links_in_markdown_are_refused() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/03-js.md",
        "+++\ntitle = \"JS\"\n+++\n\n## Sagsfremstilling\n\nSe [her](javascript:alert(1)).\n",
    );
    has(
        &site.build_problems(),
        "03-js.md:7: link to \"javascript:alert(1)\" is not allowed",
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/03-a.md",
        "+++\ntitle = \"\"\n+++\n",
    );
    site.write(
        "content/byraadet/2024-03-20/03-b.md",
        "+++\ntitle = \"B\"\nroute = [\"NOPE\"]\n+++\n",
    );
    site.write("content/pages/c.md", "ingen front matter\n");
    let p = site.build_problems();
    assert!(p.len() >= 3, "{p:?}");
}

#[test]
fn a_failed_build_leaves_the_published_site_byte_for_byte() {
    let site = Site::standard();
    site.build_ok();
    let before = site.output_files();
    site.write(
        "content/teknik/2024-03-05/02-vejbelysning.md",
        "+++\ntitle = \"Ny titel\"\n+++\n",
    );
    site.write(
        "content/teknik/2024-03-05/03-fejl.md",
        "+++\ntitle = 1\n+++\n",
    );
    assert!(!site.build_problems().is_empty());
    assert_eq!(site.output_files(), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_command_line_exits_non_zero_with_the_problems() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/03-fejl.md",
        "+++\ntitle = 1\n+++\n",
    );
    for cmd in ["build", "check"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_protokol"))
            .args([cmd, "--root"])
            .arg(site.path())
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("03-fejl.md:2: invalid type"), "{err}");
    }
    assert!(
        !site.out().exists(),
        "check and a failed build write nothing"
    );
}

#[test]
fn an_unknown_content_language_is_named_with_its_line() {
    let site = Site::standard();
    site.write(
        "config.toml",
        "title = \"x\"\nlanguage = \"en\"\ncontent_language = \"fr\"\n",
    );
    has(
        &site.build_problems(),
        "config.toml:3: unknown variant `fr`",
    );
}

#[test]
fn a_broken_config_does_not_hide_the_contents_problems() {
    let site = Site::standard();
    site.write(
        "config.toml",
        "title = \"x\"\ntheme = \"default\"\nfarve = \"rød\"\n",
    );
    site.write(
        "content/teknik/2024-03-05/03-x.md",
        "+++\ncase = \"24/1\"\n+++\n",
    );
    let p = site.build_problems();
    has(&p, "config.toml:3: unknown field `farve`");
    has(&p, "content/teknik/2024-03-05/03-x.md:1: missing `title`");

    let site = Site::standard();
    site.write("config.toml", "title = \"x\"\n\ntheme = \"mangler\"\n");
    site.write(
        "content/teknik/2024-03-05/03-x.md",
        "+++\ncase = \"24/1\"\n+++\n",
    );
    let p = site.build_problems();
    has(&p, "config.toml:3: theme \"mangler\" not found");
    has(&p, "content/teknik/2024-03-05/03-x.md:1: missing `title`");
}

#[test]
fn every_mistake_in_one_item_is_reported() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/03-x.md",
        "+++\ntitle = \"x\"\nfarve = 1\nclosed = \"ja\"\n+++\nSe [her](javascript:alert(1)).\n",
    );
    let p = site.build_problems();
    has(&p, "03-x.md:3: unknown field `farve`");
    has(&p, "03-x.md:4: invalid type");
    has(
        &p,
        "03-x.md:6: link to \"javascript:alert(1)\" is not allowed",
    );
}

#[test]
fn a_broken_item_does_not_hide_a_duplicate_number_or_a_bad_route() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/01-igen.md",
        "+++\ncase = \"24/9\"\n+++\n",
    );
    // A committee.toml with a mistake still names its committee for routes.
    site.write(
        "content/teknik/committee.toml",
        "name = \"Teknikudvalget\"\nshort = \"TU\"\nformand = \"x\"\n",
    );
    site.write(
        "content/byraadet/2024-03-20/03-rute.md",
        "+++\ntitle = \"Rute\"\nroute = [\"TU\", \"XX\"]\n+++\n",
    );
    let p = site.build_problems();
    has(
        &p,
        "01-igen.md:1: item number 1 is used twice in this meeting: also by 01-cykelsti.md",
    );
    has(&p, "01-igen.md:1: missing `title`");
    has(
        &p,
        "content/teknik/committee.toml:3: unknown field `formand`",
    );
    has(&p, "03-rute.md:3: `route` names \"XX\"");
    assert!(
        !p.iter().any(|l| l.contains("names \"TU\"")),
        "TU is known from the broken committee.toml: {p:?}"
    );
}

#[test]
fn a_case_number_without_letters_or_digits_is_an_error() {
    let site = Site::standard();
    for (n, case) in ["..", ".", "/", "–"].iter().enumerate() {
        site.write(
            &format!("content/byraadet/2025-01-15/0{}-sag.md", n + 2),
            &format!("+++\ntitle = \"Sag\"\ncase = \"{case}\"\n+++\n"),
        );
    }
    let p = site.build_problems();
    assert_eq!(p.len(), 4, "{p:?}");
    has(
        &p,
        "content/byraadet/2025-01-15/02-sag.md:3: case number \"..\" has no letter or digit",
    );
    assert!(!site.out().exists(), "nothing was written");
}

#[test]
fn a_meeting_folder_with_neither_settings_nor_items_is_an_error() {
    let site = Site::standard();
    // Left over, or made ahead of time: nothing to publish.
    site.write_bytes("content/teknik/2024-09-01/.keep", b"");
    // Settings under another name would be dropped in silence (and read
    // on a file system that ignores case).
    site.write(
        "content/teknik/2024-09-10/Meeting.toml",
        "status = \"cancelled\"\n",
    );
    site.write(
        "content/teknik/2024-09-10/01-fortov.md",
        "+++\ntitle = \"Fortov\"\n+++\n",
    );
    let p = site.build_problems();
    has(
        &p,
        "content/teknik/2024-09-01:1: a meeting folder holds meeting.toml or at least one agenda item",
    );
    has(
        &p,
        "content/teknik/2024-09-10/Meeting.toml:1: a meeting's settings are read from a file named exactly `meeting.toml`",
    );
    assert_eq!(p.len(), 2, "{p:?}");
}

#[test]
fn case_numbers_that_share_a_page_are_an_error() {
    let site = Site::standard();
    site.write(
        "content/byraadet/2025-01-15/02-samme.md",
        "+++\ntitle = \"Samme sag\"\n\ncase = \"24-277\"\n+++\n",
    );
    let p = site.build_problems();
    has(
        &p,
        "content/byraadet/2025-01-15/02-samme.md:4: case number \"24-277\" and \"24/277\"",
    );
    has(&p, "would share the page /sager/24-277/");
    // Pages keep the number's letter case; some file systems do not.
    site.write(
        "content/byraadet/2025-01-15/02-samme.md",
        "+++\ntitle = \"Samme sag\"\ncase = \"24/277\"\n+++\n",
    );
    site.write(
        "content/byraadet/2025-01-15/03-store.md",
        "+++\ntitle = \"Store bogstaver\"\ncase = \"K-24/99\"\n+++\n",
    );
    site.write(
        "content/byraadet/2025-01-15/04-smaa.md",
        "+++\ntitle = \"Små bogstaver\"\ncase = \"k-24/99\"\n+++\n",
    );
    let p = site.build_problems();
    assert_eq!(p.len(), 1, "{p:?}");
    has(&p, "case number \"k-24/99\" and \"K-24/99\"");
}

#[test]
fn an_end_before_the_start_is_an_error() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/meeting.toml",
        "start = \"16:00\"\nend = \"15:00\"\nstatus = \"minutes\"\n",
    );
    has(
        &site.build_problems(),
        "content/teknik/2024-03-05/meeting.toml:2: `end` (15:00) is before `start` (16:00)",
    );
}

#[test]
fn check_finds_what_would_collide_in_the_output() {
    let check = |site: &Site| {
        protokol::build::check(&site.options(), &protokol::build::Progress::quiet())
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    // A static file where a page goes.
    let site = Site::standard();
    site.write("static/teknik/index.html", "<p>min egen</p>");
    let err = check(&site).unwrap_err();
    assert!(
        err.contains("teknik/index.html: two parts of the site make this file"),
        "{err}"
    );
    assert!(site.build().is_err());

    // A static file whose name is a folder of the site.
    let site = Site::standard();
    site.write("static/sager", "ikke en mappe");
    let err = check(&site).unwrap_err();
    assert!(
        err.contains("sager would be both a file and a folder"),
        "{err}"
    );
    site.build().unwrap_err();
    assert!(!site.out().exists());

    // A page named like the theme's script.
    let site = Site::standard();
    site.write("content/pages/search.js.md", "+++\ntitle = \"x\"\n+++\n");
    has(
        &site.build_problems(),
        "content/pages/search.js.md:1: the page name \"search.js\" is used by the site itself",
    );
}

#[test]
fn a_link_to_a_closed_items_file_is_an_error() {
    let site = Site::standard();
    site.write(
        "content/byraadet/2024-03-20/03-henvisning.md",
        "+++\ntitle = \"Henvisning\"\n+++\n\nSe [punkt 1](01-cykelsti-aavej.md).\n\nSe også [punktet](02-lukket.md).\n",
    );
    site.write(
        "content/teknik/2024-03-05/03-henvisning.md",
        "+++\ntitle = \"Henvisning\"\n+++\n\n[Byrådet](../../byraadet/2024-03-20/02-lukket.md#x)\n",
    );
    let p = site.build_problems();
    has(
        &p,
        "content/byraadet/2024-03-20/03-henvisning.md:7: link to \"02-lukket.md\", a closed item",
    );
    has(
        &p,
        "content/teknik/2024-03-05/03-henvisning.md:5: link to \"../../byraadet/2024-03-20/02-lukket.md#x\", a closed item",
    );
    assert_eq!(p.len(), 2, "a link to an open item is fine: {p:?}");

    // However the link writes the closed item's file or page, it is caught.
    let site = Site::standard();
    let forms = [
        "02-%6Cukket.md",
        "02-lukket.MD",
        "02-lukket/",
        "02-lukket",
        "./02-lukket/index.html",
        "<02-lukket.md >",
    ];
    let body: String = forms.iter().map(|f| format!("[x]({f})\n\n")).collect();
    site.write(
        "content/byraadet/2024-03-20/03-henvisning.md",
        &format!("+++\ntitle = \"Henvisning\"\n+++\n\n{body}"),
    );
    let p = site.build_problems();
    assert_eq!(p.len(), forms.len(), "{p:?}");
    for (i, problem) in p.iter().enumerate() {
        assert!(
            problem.starts_with(&format!(
                "content/byraadet/2024-03-20/03-henvisning.md:{}: link to",
                5 + 2 * i
            )) && problem.contains("a closed item"),
            "{problem}"
        );
    }
}

#[test]
fn every_mistake_in_one_toml_file_is_reported() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/meeting.toml",
        "status = \"referat\"\nstart = 09:00:00\nabsent = \"Anna Jensen\"\nlocation = \"Rådhuset\"\n",
    );
    site.write(
        "config.toml",
        "title = \"Testby\"\nlanguage = 5\nbase_url = \"https://x.example\"\n",
    );
    let p = site.build_problems();
    has(&p, "config.toml:2:");
    has(&p, "for `language`");
    let meeting = "content/teknik/2024-03-05/meeting.toml";
    has(&p, &format!("{meeting}:1: unknown status \"referat\""));
    has(
        &p,
        &format!("{meeting}:2: `start` must be written in quotes, as in start = \"09:00\""),
    );
    has(&p, &format!("{meeting}:3: invalid type"));
    has(&p, "for `absent`");
}

/// A problem serde stops at does not hide the checks after reading.
#[test]
fn an_unknown_key_does_not_hide_the_other_checks() {
    let site = Site::standard();
    site.write(
        "content/teknik/2024-03-05/meeting.toml",
        "farve = \"blå\"\nstart = \"25:00\"\n",
    );
    site.write(
        "content/teknik/committee.toml",
        "farve = \"rød\"\nshort = \"TU\"\n",
    );
    site.write(
        "content/teknik/2024-03-05/02-vejbelysning.md",
        "+++\nfarve = \"grøn\"\ncase = \"24/300\"\n+++\nTekst\n",
    );
    let p = site.build_problems();
    has(
        &p,
        "content/teknik/2024-03-05/meeting.toml:1: unknown field `farve`",
    );
    has(&p, "content/teknik/2024-03-05/meeting.toml:2:");
    has(&p, "content/teknik/committee.toml:1: unknown field `farve`");
    has(&p, "content/teknik/committee.toml:1: missing `name`");
    has(
        &p,
        "content/teknik/2024-03-05/02-vejbelysning.md:2: unknown field `farve`",
    );
    has(
        &p,
        "content/teknik/2024-03-05/02-vejbelysning.md:1: missing `title`",
    );
    // A value of the wrong type is not reported again as missing.
    let site = Site::standard();
    site.write(
        "content/teknik/committee.toml",
        "name = 5\nshort = \"TU\"\n",
    );
    let p = site.build_problems();
    assert_eq!(p.len(), 1, "{p:?}");
    has(
        &p,
        "content/teknik/committee.toml:1: invalid type: integer `5`, expected a string, for `name`",
    );
}

#[test]
fn template_mistakes_name_their_file_and_line() {
    let site = Site::standard();
    site.build_ok();
    let published = site.output_files();
    let meeting = |body: &str| {
        format!(
            "{{% extends \"base.html\" %}}\n{{% block content %}}\n<p>Møde</p>\n{body}\n{{% endblock %}}\n"
        )
    };
    let cases = [
        // A syntax error: Tera's own line and column.
        (
            "templates/meeting.html",
            meeting("<h1>{{ meeting.place </h1>"),
            "templates/meeting.html:4: column 23: expected an expression",
        ),
        // Render errors carry no line in Tera: found again in the text.
        (
            "templates/meeting.html",
            meeting("<h1>{{ meeting.titel }}</h1>"),
            "templates/meeting.html:4: Variable `meeting.titel` not found",
        ),
        (
            "templates/meeting.html",
            meeting("{{ \"x\" }}\n{{ \"x\" | upper }} {{ \"x\" | no_such_filter }}"),
            "templates/meeting.html:5: Filter 'no_such_filter' not found",
        ),
        (
            "templates/meeting.html",
            meeting("{% include \"missing.html\" %}"),
            "templates/meeting.html:4: Template '[missing.html]' not found",
        ),
        // Found when the templates load: the line that names the file.
        (
            "templates/meeting.html",
            "{% extends \"base.html\" %}\n{% import \"makroer.html\" as m %}\n".to_string(),
            "templates/meeting.html:2: Template `meeting.html` loads macros from `makroer.html`",
        ),
        // In a template every page shares: one problem, at its line.
        (
            "templates/header.html",
            "<header>\n<p>{{ root }}</p>\n<p>{{ no_such_value }}</p>\n</header>\n".to_string(),
            "templates/header.html:3: Variable `no_such_value` not found",
        ),
    ];
    // The default base.html with a value no page has, after the blocks
    // the pages fill (Tera then names no template), on its line 28.
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/templates/base.html"
    ))
    .unwrap();
    let mut lines: Vec<&str> = base.lines().collect();
    lines.insert(27, "<p title=\"no_such_value\">{{ no_such_value }}</p>");
    let cases = cases.into_iter().chain([
        (
            "templates/base.html",
            lines.join("\n"),
            "templates/base.html:28: Variable `no_such_value` not found in context",
        ),
        // pest's note is indented as wide as the line number.
        (
            "templates/meeting.html",
            meeting(&format!("{}<h1>{{{{ meeting.place </h1>", "\n".repeat(8))),
            "templates/meeting.html:12: column 23: expected an expression",
        ),
        // An unknown value in a condition is only false: the use after it.
        (
            "templates/meeting.html",
            meeting("{% if meeting.room %}x{% endif %}\n{{ meeting.room | upper }}"),
            "templates/meeting.html:5: Variable `meeting.room` not found",
        ),
        // Defined twice: Tera gives no line; the second definition is the mistake.
        (
            "templates/meeting.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<p>Møde</p>\n{% endblock %}\n{%- block  content -%}\n<p>igen</p>\n{% endblock %}\n".to_string(),
            "templates/meeting.html:5: Block `content` is duplicated",
        ),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% macro link() %}a{% endmacro link %}\n{% macro link() %}b{% endmacro link %}\n{% block content %}{% endblock %}\n".to_string(),
            "templates/page.html:3: Macro `link` is duplicated",
        ),
        // A definition in a comment is none.
        (
            "templates/meeting.html",
            "{% extends \"base.html\" %}\n{# før:\n{% block content %}{% endblock %} #}\n{% block content %}\n<p>Møde</p>\n{% endblock %}\n{% block content %}{% endblock %}\n".to_string(),
            "templates/meeting.html:7: Block `content` is duplicated",
        ),
        // A loop that other templates extend into: an error, not a crash.
        (
            "templates/base.html",
            format!("{{% extends \"meeting.html\" %}}\n{base}"),
            "templates/base.html:1: Circular extend detected",
        ),
    ]);
    for (file, text, expected) in cases {
        site.write(file, &text);
        let p = site.build_problems();
        has(&p, expected);
        assert_eq!(p.len(), 1, "one mistake, one problem: {p:?}");
        assert!(!p[0].contains('\n'), "one line: {p:?}");
        assert_eq!(site.output_files(), published, "{file}: the site changed");
        site.remove(file);
    }
}

#[test]
fn an_item_without_a_number_in_its_name_is_an_error() {
    let site = Site::standard();
    // Front matter tells a misnamed item from a Markdown attachment.
    site.write(
        "content/teknik/2024-03-05/budget.md",
        "\u{feff}+++\ntitle = \"Budget\"\n+++\n",
    );
    let p = site.build_problems();
    assert_eq!(p.len(), 1, "{p:?}");
    has(
        &p,
        "content/teknik/2024-03-05/budget.md:1: an agenda item's file name must start with its number",
    );
}

#[test]
fn a_missing_site_title_is_named_once() {
    let site = Site::standard();
    site.write("config.toml", "base_url = \"https://x.example\"\n");
    let p = site.build_problems();
    assert_eq!(p.len(), 1, "{p:?}");
    has(&p, "config.toml:1: missing `title`");
}
