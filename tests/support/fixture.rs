//! Small sites written to the content contract, in temporary folders.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use protokol::build::{self, BuildOptions, Progress};
use protokol::error::BuildError;

pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// An empty site with a config.toml.
    pub fn new(config: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("config.toml"), config).unwrap();
        fs::create_dir_all(dir.path().join("content")).unwrap();
        Site { dir }
    }

    /// A small Danish site: two committees, three meetings, open and closed items.
    pub fn standard() -> Site {
        let s = Site::new(
            "title = \"Testby Kommune\"\nbase_url = \"https://referater.testby.example\"\n",
        );
        s.write(
            "content/byraadet/committee.toml",
            "name = \"Byrådet\"\nshort = \"BR\"\norder = 1\ndescription = \"Kommunens **øverste** myndighed.\"\nmembers = [ { name = \"Anna Jensen\", role = \"Borgmester\" }, { name = \"Bo Holm\" } ]\n",
        );
        s.write(
            "content/teknik/committee.toml",
            "name = \"Teknikudvalget\"\nshort = \"TU\"\norder = 2\n",
        );
        s.write(
            "content/teknik/2024-03-05/meeting.toml",
            "start = \"16:00\"\nend = \"18:00\"\nlocation = \"Mødelokale 2\"\nstatus = \"minutes\"\nabsent = [\"Carl Berg\"]\n",
        );
        s.write(
            "content/teknik/2024-03-05/01-cykelsti.md",
            "+++\ntitle = \"Cykelsti langs Åvej\"\ncase = \"24/277\"\nroute = [\"TU\", \"BR\"]\nattachments = [ { title = \"Kort over strækningen\", file = \"kort.pdf\" } ]\n+++\n\n## Sagsfremstilling\nForvaltningen foreslår en cykelsti.\n\n## Indstilling\nForvaltningen indstiller, at sagen sendes videre.\n\n## Beslutning i Teknikudvalget den 05-03-2024\nAnbefales over for Byrådet.\n",
        );
        s.write_bytes("content/teknik/2024-03-05/kort.pdf", b"%PDF-1.4\n%%EOF\n");
        s.write(
            "content/teknik/2024-03-05/02-vejbelysning.md",
            "+++\ntitle = \"Vejbelysning i Nørreby\"\ncase = \"24/300\"\n+++\n\n## Sagsfremstilling\nLamperne skiftes.\n\n## Beslutning i Teknikudvalget den 05-03-2024\nGodkendt.\n",
        );
        s.write(
            "content/byraadet/2024-03-20/meeting.toml",
            "start = \"19:00\"\nlocation = \"Byrådssalen\"\nstatus = \"minutes\"\n",
        );
        s.write(
            "content/byraadet/2024-03-20/01-cykelsti-aavej.md",
            "+++\ntitle = \"Cykelsti langs Åvej – endelig godkendelse\"\ncase = \"24/277\"\nroute = [\"TU\", \"BR\"]\n+++\n\n## Indstilling\nTeknikudvalget anbefaler projektet.\n\n## Beslutning i Byrådet den 20-03-2024\nGodkendt.\n",
        );
        s.write(
            "content/byraadet/2024-03-20/02-lukket.md",
            "+++\ntitle = \"Salg af grunden Østergade 12\"\ncase = \"24/512\"\nclosed = true\npublic_title = \"Lukket punkt: Salg af ejendom\"\npublic_decision = \"Byrådet godkendte salget.\"\n+++\n\n## Sagsfremstilling\nKøberen er hemmelig.\n",
        );
        s.write(
            "content/byraadet/2025-01-15/meeting.toml",
            "start = \"19:00\"\nstatus = \"agenda\"\n",
        );
        s.write(
            "content/byraadet/2025-01-15/01-budget.md",
            "+++\ntitle = \"Budgetopfølgning\"\ncase = \"25/1\"\n+++\n\n## Indstilling\nAt budgettet tages til efterretning.\n",
        );
        s.write(
            "content/pages/tilgaengelighed.md",
            "+++\ntitle = \"Tilgængelighedserklæring\"\n+++\n\nVi arbejder for et tilgængeligt site.\n",
        );
        s
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.dir.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        let p = self.dir.path().join(rel);
        if p.is_dir() {
            fs::remove_dir_all(p).unwrap();
        } else {
            fs::remove_file(p).unwrap();
        }
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.dir.path().to_path_buf(),
            output: None,
            base_url: None,
        }
    }

    pub fn build(&self) -> Result<build::BuildReport, BuildError> {
        build::build(&self.options(), &Progress::quiet())
    }

    /// Builds and panics with the problems on failure.
    pub fn build_ok(&self) {
        if let Err(e) = self.build() {
            panic!("build failed:\n{e}");
        }
    }

    /// The build's problems, one `path:line: message` string each, paths relative to the site.
    pub fn build_problems(&self) -> Vec<String> {
        match self.build() {
            Ok(_) => panic!("the build should have failed"),
            Err(BuildError::Content(list)) => list
                .iter()
                .map(|d| {
                    let rel = d
                        .path
                        .strip_prefix(self.path())
                        .unwrap_or(&d.path)
                        .to_path_buf();
                    protokol::error::Diagnostic {
                        path: rel,
                        ..d.clone()
                    }
                    .to_string()
                })
                .collect(),
            Err(other) => vec![other.to_string()],
        }
    }

    /// A page of the output as text.
    pub fn page(&self, url_path: &str) -> String {
        let rel = url_path.trim_start_matches('/');
        let file = if rel.is_empty() || rel.ends_with('/') {
            self.out().join(rel).join("index.html")
        } else {
            self.out().join(rel)
        };
        fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    /// Every output file and its bytes.
    pub fn output_files(&self) -> BTreeMap<String, Vec<u8>> {
        read_tree(&self.out())
    }
}

pub fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !root.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, fs::read(e.path()).unwrap());
        }
    }
    out
}

/// The visible text of an HTML page, tags dropped and entities of `&`, `<`, `>` and quotes decoded.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
