//! The incremental engine against clean full builds: random edits,
//! additions, renames and deletions of items and meetings, and after each
//! step the incrementally updated output must equal, byte for byte, what a
//! full build of the same content gives.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use protokol::build::{self, BuildOptions, Progress};
use protokol::incremental::{DiskTarget, Engine, MemoryTarget};
use protokol::output::{Content, MemoryOutput};

/// splitmix64: a small, seeded, reproducible generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[self.below(list.len())]
    }
}

const COMMITTEES: &[(&str, &str, &str)] = &[
    ("hovedudvalget", "Hovedudvalget", "HU"),
    ("oekonomiudvalget", "Økonomiudvalget", "ØU"),
    ("kommunalbestyrelsen", "Kommunalbestyrelsen", "KB"),
];
const CASES: &[&str] = &["24/101", "24/102", "24/103", "25/7", "25/8"];
const WORDS: &[&str] = &[
    "budget",
    "skole",
    "cykelsti",
    "lokalplan",
    "høring",
    "ældrepleje",
    "klima",
    "takster",
];

struct Fixture {
    root: PathBuf,
    rng: Rng,
    /// Counter for unique slugs and texts.
    serial: u32,
}

impl Fixture {
    fn content(&self) -> PathBuf {
        self.root.join("content")
    }

    fn words(&mut self, n: usize) -> String {
        self.serial += 1;
        let mut out: Vec<String> = (0..n).map(|_| self.rng.pick(WORDS).to_string()).collect();
        out.push(self.serial.to_string());
        out.join(" ")
    }

    fn write(&self, rel: &Path, text: &str) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn new_site(seed: u64) -> (tempfile::TempDir, Fixture) {
        let dir = tempfile::tempdir().unwrap();
        let mut f = Fixture {
            root: dir.path().to_path_buf(),
            rng: Rng(seed),
            serial: 0,
        };
        f.write(
            Path::new("config.toml"),
            "title = \"Testkommune\"\nbase_url = \"https://example.dk/referater\"\n",
        );
        f.write(
            Path::new("content/pages/tilgaengelighed.md"),
            "+++\ntitle = \"Tilgængelighedserklæring\"\n+++\nVi arbejder på det.\n",
        );
        for (i, (slug, name, short)) in COMMITTEES.iter().enumerate() {
            f.write(
                &Path::new("content").join(slug).join("committee.toml"),
                &format!(
                    "name = \"{name}\"\nshort = \"{short}\"\norder = {}\ndescription = \"Udvalget for {slug}.\"\n",
                    i * 10
                ),
            );
            for _ in 0..4 {
                f.add_meeting(slug);
            }
        }
        (dir, f)
    }

    fn committee_dirs(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = COMMITTEES
            .iter()
            .map(|(s, _, _)| self.content().join(s))
            .collect();
        v.sort();
        v
    }

    fn meetings(&self) -> Vec<PathBuf> {
        let mut v = Vec::new();
        for c in self.committee_dirs() {
            for e in fs::read_dir(&c).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    v.push(p);
                }
            }
        }
        v.sort();
        v
    }

    fn items(&self, meeting: &Path) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = fs::read_dir(meeting)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        v.sort();
        v
    }

    fn free_date(&mut self, committee: &Path) -> String {
        loop {
            let year = 2022 + self.rng.below(4);
            let month = 1 + self.rng.below(12);
            let day = 1 + self.rng.below(28);
            let mut name = format!("{year}-{month:02}-{day:02}");
            if self.rng.chance(15) {
                name.push_str("-ekstra");
            }
            // Often a second meeting on a day the committee already meets:
            // such meetings are told apart by their start times.
            let mut same_day: Vec<PathBuf> = fs::read_dir(committee)
                .into_iter()
                .flatten()
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_dir())
                .collect();
            same_day.sort();
            if !same_day.is_empty() && self.rng.chance(30) {
                let other = self.rng.pick(&same_day).file_name().unwrap();
                name = format!("{}-{}", &other.to_string_lossy()[..10], self.serial);
                self.serial += 1;
            }
            if !committee.join(&name).exists() {
                return name;
            }
        }
    }

    fn meeting_toml(&mut self) -> String {
        let status = *self
            .rng
            .pick(&["agenda", "minutes", "minutes", "cancelled"]);
        // Meetings on one day are ordered and labelled by start time.
        let start = *self
            .rng
            .pick(&["start = \"14:00\"\n", "start = \"09:00\"\n", ""]);
        let place = self.words(1);
        format!("{start}location = \"Mødelokale {place}\"\nstatus = \"{status}\"\n")
    }

    /// Writes a new meeting folder with a few items; returns its path.
    fn add_meeting(&mut self, committee: &str) -> PathBuf {
        let cdir = self.content().join(committee);
        let name = self.free_date(&cdir);
        let dir = cdir.join(&name);
        fs::create_dir_all(&dir).unwrap();
        let toml = self.meeting_toml();
        fs::write(dir.join("meeting.toml"), toml).unwrap();
        for n in 1..=(1 + self.rng.below(4)) {
            self.write_item(&dir, n as u32, None);
        }
        dir
    }

    /// Writes item number `n` of `meeting` (a new slug unless given).
    fn write_item(&mut self, meeting: &Path, n: u32, file: Option<&Path>) -> PathBuf {
        let path = match file {
            Some(f) => f.to_path_buf(),
            None => {
                let slug = self.words(1).replace(' ', "-").replace('ø', "oe");
                meeting.join(format!("{n:02}-{slug}.md"))
            }
        };
        let title = self.words(2);
        let mut fm = format!("title = \"Punkt om {title}\"\n");
        let closed = self.rng.chance(15);
        if self.rng.chance(70) {
            fm.push_str(&format!("case = \"{}\"\n", self.rng.pick(CASES)));
        }
        if self.rng.chance(50) {
            let a = self.rng.pick(COMMITTEES).2;
            let b = self.rng.pick(COMMITTEES).2;
            fm.push_str(&format!("route = [\"{a}\", \"{b}\"]\n"));
        }
        if closed {
            fm.push_str("closed = true\n");
            if self.rng.chance(50) {
                fm.push_str(&format!("public_title = \"Lukket: {}\"\n", self.words(1)));
            }
            if self.rng.chance(50) {
                fm.push_str(&format!(
                    "public_decision = \"Godkendt {}\"\n",
                    self.words(1)
                ));
            }
        }
        if self.rng.chance(40) {
            let k = self.rng.below(3);
            let file = format!("bilag-{k}.pdf");
            if !meeting.join(&file).exists() || self.rng.chance(30) {
                let bytes = format!("%PDF bilag {}", self.words(3));
                fs::write(meeting.join(&file), bytes).unwrap();
            }
            let public = if self.rng.chance(20) {
                ", public = false"
            } else {
                ""
            };
            fm.push_str(&format!(
                "attachments = [ {{ title = \"Bilag {k}\", file = \"{file}\"{public} }} ]\n"
            ));
        }
        let mut body = format!(
            "## Sagsfremstilling\n{}\n\n## Indstilling\nForvaltningen indstiller {}.\n",
            self.words(6),
            self.words(2)
        );
        if self.rng.chance(60) {
            body.push_str(&format!("\n## Beslutning\n{}\n", self.words(3)));
        }
        fs::write(&path, format!("+++\n{fm}+++\n{body}")).unwrap();
        path
    }

    fn free_number(&mut self, meeting: &Path) -> u32 {
        let used: Vec<u32> = self
            .items(meeting)
            .iter()
            .filter_map(|p| {
                let name = p.file_name()?.to_string_lossy().into_owned();
                name.split('-').next()?.parse().ok()
            })
            .collect();
        loop {
            let n = 1 + self.rng.below(12) as u32;
            if !used.contains(&n) {
                return n;
            }
        }
    }

    /// One random change; returns what it did and the paths an editor or
    /// `mv`/`rm` would make the file watcher report.
    fn random_step(&mut self) -> (String, Vec<PathBuf>) {
        let meetings = self.meetings();
        let meeting = self.rng.pick(&meetings).clone();
        let items = self.items(&meeting);
        match self.rng.below(12) {
            0..=2 if !items.is_empty() => {
                let item = self.rng.pick(&items).clone();
                let n = item.file_name().unwrap().to_string_lossy()[..2]
                    .parse()
                    .unwrap();
                self.write_item(&meeting, n, Some(&item));
                (format!("edit {}", item.display()), vec![item])
            }
            3 => {
                let n = self.free_number(&meeting);
                let item = self.write_item(&meeting, n, None);
                (format!("add {}", item.display()), vec![item])
            }
            4 if !items.is_empty() => {
                let item = self.rng.pick(&items).clone();
                fs::remove_file(&item).unwrap();
                (format!("delete {}", item.display()), vec![item])
            }
            5 if !items.is_empty() => {
                let item = self.rng.pick(&items).clone();
                let n = self.free_number(&meeting);
                let to = meeting.join(format!("{n:02}-flyttet-{}.md", self.serial));
                self.serial += 1;
                fs::rename(&item, &to).unwrap();
                (
                    format!("rename {} to {}", item.display(), to.display()),
                    vec![item, to],
                )
            }
            6 => {
                let (slug, _, _) = *self.rng.pick(COMMITTEES);
                let dir = self.add_meeting(slug);
                // Creating a folder and its files: the watcher sees them all.
                let mut paths = vec![dir.clone()];
                paths.extend(fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()));
                (format!("add meeting {}", dir.display()), paths)
            }
            7 if meetings.len() > 4 => {
                fs::remove_dir_all(&meeting).unwrap();
                (
                    format!("delete meeting {}", meeting.display()),
                    vec![meeting],
                )
            }
            8 => {
                // Renamed (a new date, perhaps another year) or moved to
                // another committee: the watcher sees only the folder.
                let cdir = self.rng.pick(&self.committee_dirs()).clone();
                let name = self.free_date(&cdir);
                let to = cdir.join(name);
                fs::rename(&meeting, &to).unwrap();
                (
                    format!("move meeting {} to {}", meeting.display(), to.display()),
                    vec![meeting, to],
                )
            }
            9 => {
                let toml = self.meeting_toml();
                let path = meeting.join("meeting.toml");
                fs::write(&path, toml).unwrap();
                (format!("edit {}", path.display()), vec![path])
            }
            10 => {
                // An attachment's bytes change; its size shows on the item page.
                let path = meeting.join("bilag-0.pdf");
                let bytes = format!("%PDF ny udgave {}", self.words(4));
                fs::write(&path, bytes).unwrap();
                (format!("edit {}", path.display()), vec![path])
            }
            _ => {
                if self.rng.chance(50) {
                    let path = self.content().join("pages").join("om.md");
                    let text = format!("+++\ntitle = \"Om {}\"\n+++\nTekst.\n", self.words(1));
                    fs::write(&path, text).unwrap();
                    (format!("edit {}", path.display()), vec![path])
                } else {
                    let (slug, name, short) = *self.rng.pick(COMMITTEES);
                    let path = self.content().join(slug).join("committee.toml");
                    let text = format!(
                        "name = \"{name}\"\nshort = \"{short}\"\ndescription = \"{}\"\n",
                        self.words(3)
                    );
                    fs::write(&path, text).unwrap();
                    (format!("edit {}", path.display()), vec![path])
                }
            }
        }
    }
}

fn full_build(root: &Path) -> BTreeMap<String, Content> {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    };
    let site = build::load(&opts).expect("the fixture site is valid");
    let out = MemoryOutput::default();
    build::render_site(&site, root, None, &out, &Progress::quiet()).expect("the fixture renders");
    out.into_files()
}

/// Paths whose bytes differ between two outputs, with how.
fn differences(
    incremental: &BTreeMap<String, Content>,
    full: &BTreeMap<String, Content>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, content) in full {
        match incremental.get(path) {
            None => out.push(format!("missing: {path}")),
            Some(c) if c.clone().into_bytes().ok() != content.clone().into_bytes().ok() => {
                out.push(format!("different: {path}"))
            }
            Some(_) => {}
        }
    }
    for path in incremental.keys() {
        if !full.contains_key(path) {
            out.push(format!("stale (should be gone): {path}"));
        }
    }
    out
}

fn assert_same(step: &str, target: &MemoryTarget, root: &Path) {
    let diffs = differences(&target.snapshot(), &full_build(root));
    assert!(
        diffs.is_empty(),
        "after {step}: the incremental output differs from a full build:\n{}",
        diffs.join("\n")
    );
}

fn run_random_edits(seed: u64, steps: usize) {
    let (_dir, mut f) = Fixture::new_site(seed);
    let opts = BuildOptions {
        root: f.root.clone(),
        ..BuildOptions::default()
    };
    let mut engine = Engine::new(opts);
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).expect("first build");
    assert_same("the first build", &target, &f.root);
    let mut incremental_steps = 0;
    for step in 0..steps {
        let (what, paths) = f.random_step();
        let what = format!("step {step} (seed {seed}): {what}");
        let report = engine
            .update(&paths, &mut target)
            .unwrap_or_else(|e| panic!("{what}: {e}"))
            .unwrap_or_else(|| panic!("{what}: the change was not noticed"));
        if !report.full {
            incremental_steps += 1;
        }
        assert_same(&what, &target, &f.root);
    }
    // The point is the incremental path: most steps must take it.
    assert!(
        incremental_steps * 2 > steps,
        "only {incremental_steps} of {steps} steps were incremental"
    );
}

/// Every file below `out` (but protokol's marker), as the output map.
fn read_output(out: &Path) -> BTreeMap<String, Content> {
    let mut files = BTreeMap::new();
    let mut dirs = vec![out.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel != protokol::output::MARKER {
                files.insert(rel, Content::Bytes(fs::read(&path).unwrap()));
            }
        }
    }
    files
}

#[test]
fn random_edits_on_disk_match_full_builds() {
    let (_dir, mut f) = Fixture::new_site(11);
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("public");
    let opts = BuildOptions {
        root: f.root.clone(),
        output: Some(out.clone()),
        ..BuildOptions::default()
    };
    let mut engine = Engine::new(opts.clone());
    let mut target = DiskTarget::new(out.clone(), opts.clone());
    engine.build_all(&mut target).expect("first build");
    for step in 0..15 {
        let (what, paths) = f.random_step();
        let what = format!("step {step}: {what}");
        engine
            .update(&paths, &mut target)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let diffs = differences(&read_output(&out), &full_build(&f.root));
        assert!(
            diffs.is_empty(),
            "after {what}: the output folder differs from a full build:\n{}",
            diffs.join("\n")
        );
    }
    build::build(&opts, &Progress::quiet()).unwrap();
    let diffs = differences(&read_output(&out), &full_build(&f.root));
    assert!(diffs.is_empty(), "after build: {}", diffs.join("\n"));
}

#[test]
fn build_after_watching_trusts_an_accurate_manifest() {
    let (_dir, mut f) = Fixture::new_site(12);
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("public");
    let opts = BuildOptions {
        root: f.root.clone(),
        output: Some(out.clone()),
        ..BuildOptions::default()
    };
    let mut engine = Engine::new(opts.clone());
    let mut target = DiskTarget::new(out.clone(), opts.clone());
    engine.build_all(&mut target).unwrap();
    // An open item, edited while watching, then put back while not:
    // `build` skips files whose hash the manifest knows, so the manifest
    // must know the edited page.
    let meeting = f.meetings()[0].clone();
    let item = f.items(&meeting)[0].clone();
    let n = item.file_name().unwrap().to_string_lossy()[..2]
        .parse()
        .unwrap();
    let open = "+++\ntitle = \"Åbent punkt\"\n+++\nTekst.\n";
    fs::write(&item, open).unwrap();
    engine
        .update(std::slice::from_ref(&item), &mut target)
        .unwrap();
    let page = out.join(
        item.strip_prefix(f.content())
            .unwrap()
            .with_extension("")
            .join("index.html"),
    );
    assert!(fs::read_to_string(&page).unwrap().contains("Åbent punkt"));
    f.write_item(&meeting, n, Some(&item));
    engine
        .update(std::slice::from_ref(&item), &mut target)
        .unwrap();
    fs::write(&item, open).unwrap();
    build::build(&opts, &Progress::quiet()).unwrap();
    assert!(fs::read_to_string(&page).unwrap().contains("Åbent punkt"));
    let diffs = differences(&read_output(&out), &full_build(&f.root));
    assert!(diffs.is_empty(), "after build: {}", diffs.join("\n"));
}

/// Like `run_random_edits`, but the search waits as in `serve`: after
/// each step everything but the search index equals a full build, and
/// after every few steps, once the search ran in full, all of it does.
#[test]
fn random_edits_with_the_search_deferred_match_full_builds() {
    let (_dir, mut f) = Fixture::new_site(31);
    let mut engine = Engine::new(BuildOptions {
        root: f.root.clone(),
        ..BuildOptions::default()
    });
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).expect("first build");
    for step in 0..24 {
        let (what, paths) = f.random_step();
        let what = format!("step {step} (deferring): {what}");
        engine
            .update_deferring(&paths, &mut target)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let mut now = target.snapshot();
        let mut full = full_build(&f.root);
        now.retain(|p, _| !p.starts_with("soeg/indeks/"));
        full.retain(|p, _| !p.starts_with("soeg/indeks/"));
        let diffs = differences(&now, &full);
        assert!(diffs.is_empty(), "after {what}:\n{}", diffs.join("\n"));
        if step % 5 == 4 {
            engine.run_deferred(&mut target).unwrap();
            assert_same(&what, &target, &f.root);
        }
    }
}

#[test]
fn random_edits_match_full_builds() {
    for seed in [1, 2] {
        run_random_edits(seed, 25);
    }
}

#[test]
fn broken_content_keeps_the_last_good_site_until_fixed() {
    let (_dir, f) = Fixture::new_site(9);
    let mut engine = Engine::new(BuildOptions {
        root: f.root.clone(),
        ..BuildOptions::default()
    });
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).unwrap();
    let good = target.snapshot();

    let meeting = f.meetings()[0].clone();
    let item = f.items(&meeting)[0].clone();
    let text = fs::read_to_string(&item).unwrap();
    fs::write(&item, text.replacen("title = ", "title = = ", 1)).unwrap();
    let err = engine
        .update(std::slice::from_ref(&item), &mut target)
        .expect_err("a broken item is an error")
        .to_string();
    assert!(
        err.contains(&format!("{}:2:", item.display())),
        "the error names the file and line: {err}"
    );
    assert!(differences(&target.snapshot(), &good).is_empty());

    // Another meeting changes while the item is broken: still the last
    // good site, and the error stays.
    let other = f.meetings()[5].clone();
    let toml = other.join("meeting.toml");
    fs::write(&toml, "location = \"Et andet sted\"\n").unwrap();
    assert!(engine.update(&[toml], &mut target).is_err());
    assert!(differences(&target.snapshot(), &good).is_empty());

    // Fixed: both changes appear, exactly as a full build has them.
    fs::write(&item, &text).unwrap();
    let report = engine.update(&[item], &mut target).unwrap().unwrap();
    assert!(!report.full, "fixing a meeting is an incremental update");
    assert!(report.meetings >= 2, "the failed change is retried too");
    assert_same("the fix", &target, &f.root);
}

#[test]
fn unrelated_and_editor_paths_change_nothing() {
    let (_dir, f) = Fixture::new_site(4);
    let mut engine = Engine::new(BuildOptions {
        root: f.root.clone(),
        ..BuildOptions::default()
    });
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).unwrap();
    let readme = f.root.join("README.md");
    fs::write(&readme, "notes").unwrap();
    let public = f.root.join("public/index.html");
    assert!(
        engine
            .update(&[readme, public], &mut target)
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_template_change_rebuilds_everything() {
    let (_dir, f) = Fixture::new_site(5);
    let mut engine = Engine::new(BuildOptions {
        root: f.root.clone(),
        ..BuildOptions::default()
    });
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).unwrap();
    let tpl = f.root.join("templates/404.html");
    f.write(
        Path::new("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Væk</h1>{% endblock content %}",
    );
    let report = engine.update(&[tpl], &mut target).unwrap().unwrap();
    assert!(report.full);
    let page = target.get("404.html").unwrap().into_bytes().unwrap();
    assert!(String::from_utf8(page).unwrap().contains("<h1>Væk</h1>"));
    assert_same("a template change", &target, &f.root);
}

#[test]
fn long_lists_rewrite_only_their_changed_pages_correctly() {
    // More than two pages (of 100) of OParl meetings and papers, so that an
    // edit changes a page in the middle of the lists.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    };
    write("config.toml", "title = \"Lang\"\n");
    write(
        "content/hu/committee.toml",
        "name = \"Hovedudvalget\"\nshort = \"HU\"\n",
    );
    let day = |i: usize| {
        chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(i as u64 * 3)
    };
    for i in 0..230 {
        write(
            &format!("content/hu/{}/meeting.toml", day(i)),
            "status = \"minutes\"\n",
        );
        write(
            &format!("content/hu/{}/01-punkt.md", day(i)),
            &format!("+++\ntitle = \"Punkt {i}\"\ncase = \"20/{i}\"\n+++\nTekst.\n"),
        );
    }
    let mut engine = Engine::new(BuildOptions {
        root: root.clone(),
        ..BuildOptions::default()
    });
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).unwrap();
    for i in [150, 7, 229] {
        let item = root.join(format!("content/hu/{}/01-punkt.md", day(i)));
        fs::write(
            &item,
            format!("+++\ntitle = \"Punkt {i} rettet\"\ncase = \"20/{i}\"\n+++\nNy tekst.\n"),
        )
        .unwrap();
        let report = engine.update(&[item], &mut target).unwrap().unwrap();
        assert!(!report.full);
        assert_same(&format!("editing meeting {i}"), &target, &root);
    }
    // The same, when the lists lose a meeting and a paper.
    let gone = root.join(format!("content/hu/{}", day(120)));
    fs::remove_dir_all(&gone).unwrap();
    engine.update(&[gone], &mut target).unwrap().unwrap();
    assert_same("removing meeting 120", &target, &root);
}

#[test]
fn the_search_index_catches_up_when_edits_pause() {
    let (_dir, mut f) = Fixture::new_site(21);
    let mut engine = Engine::new(BuildOptions {
        root: f.root.clone(),
        ..BuildOptions::default()
    });
    let mut target = MemoryTarget::new();
    engine.build_all(&mut target).unwrap();
    let manifest = "soeg/indeks/manifest.json";
    let before = target
        .get(manifest)
        .expect("a search manifest")
        .into_bytes()
        .unwrap();

    // An open item gets a new title: its page at once, and the search
    // through a delta beside the last export; the export itself later.
    let meeting = f.meetings()[0].clone();
    let n = f.free_number(&meeting);
    let item = meeting.join(format!("{n:02}-nyt.md"));
    fs::write(
        &item,
        "+++\ntitle = \"Vindmøller ved Kattegat\"\n+++\nTekst.\n",
    )
    .unwrap();
    let report = engine
        .update_deferring(std::slice::from_ref(&item), &mut target)
        .unwrap()
        .unwrap();
    assert_eq!(report.deferred_stages, vec!["search"]);
    assert!(engine.has_deferred());
    let page = item.strip_prefix(f.content()).unwrap().with_extension("");
    let page = format!("{}/index.html", page.display());
    let html = target
        .get(&page)
        .expect("the new page")
        .into_bytes()
        .unwrap();
    assert!(
        String::from_utf8(html)
            .unwrap()
            .contains("Vindmøller ved Kattegat")
    );
    let json = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap();
    let now = json(&target.get(manifest).unwrap().into_bytes().unwrap());
    assert_eq!(now["version"], json(&before)["version"]);
    assert_eq!(now["delta"]["docs"], 1, "{now}");

    // A second edit before the pause: still one search run afterwards.
    f.write_item(&meeting, n, Some(&item));
    engine
        .update_deferring(std::slice::from_ref(&item), &mut target)
        .unwrap();
    let report = engine
        .run_deferred(&mut target)
        .unwrap()
        .expect("search ran");
    assert_eq!(report.rebuilt_stages, vec!["search"]);
    assert!(!engine.has_deferred());
    assert!(engine.run_deferred(&mut target).unwrap().is_none());
    assert_ne!(target.get(manifest).unwrap().into_bytes().unwrap(), before);
    assert_same("the search catching up", &target, &f.root);
}
