//! Planning the content files for imported items, then writing them.
//!
//! A [`Workspace`] reads what `content/` already holds (committees, the
//! meetings it touches, their items), plans each imported item against it
//! (committee, meeting folder, number, route, attachments), and keeps every
//! new file content in memory. Only [`Workspace::finish`] touches the disk,
//! and it writes only files whose bytes change, so importing the same text
//! twice writes nothing the second time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use toml_edit::{Array, DocumentMut, Value, value};

use crate::import::markdown::{AttachmentRef, ItemFile, PublicParts};
use crate::import::names::{name_key, slug};
use crate::import::parse::{ImportedItem, is_abbreviation};
use crate::load::{PAGES_DIR, nfc};

/// What happened to one imported item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new item file (paths relative to the site folder).
    Created { item: PathBuf },
    /// An existing item file rewritten (`--force`).
    Updated { item: PathBuf },
    /// Imported before; nothing would change.
    Unchanged { item: PathBuf },
    /// Imported before, but the file now differs (edited since, or the
    /// source changed): kept as it is without `--force`.
    Kept { item: PathBuf },
    /// Another file of this run is the same item.
    Duplicate { item: PathBuf, of: PathBuf },
}

/// One file that `finish` writes (or would write, in a dry run).
#[derive(Debug, Clone)]
pub struct Change {
    /// Relative to the site folder.
    pub path: PathBuf,
    pub new_file: bool,
    pub bytes: Vec<u8>,
}

struct Committee {
    slug: String,
    /// `None` when committee.toml cannot be read: then it is never changed.
    doc: Option<DocumentMut>,
    /// The file's text as it is on disk.
    disk: Option<String>,
    /// On disk, or to be written.
    materialized: bool,
    /// Set when the committee came from a route entry alone.
    placeholder_for: Option<String>,
    /// A placeholder adopted by a committee named in a decision heading.
    rename_to: Option<String>,
    /// New, or changed by the import: committee.toml is (re)written.
    dirty: bool,
}

impl Committee {
    fn get(&self, key: &str) -> Option<String> {
        let s = self.doc.as_ref()?.get(key)?.as_str()?.trim().to_string();
        (!s.is_empty()).then_some(s)
    }
    fn name(&self) -> Option<String> {
        self.get("name")
    }
    fn short(&self) -> Option<String> {
        self.get("short")
    }
    /// A placeholder has its short name for a name, until someone edits it.
    fn is_placeholder(&self) -> bool {
        self.short().is_some() && self.short() == self.name()
    }
}

struct KnownItem {
    number: u32,
    file: String,
    title: Option<String>,
    case: Option<String>,
    /// The file says `closed = true`; what it says may be published.
    closed: Option<PublicParts>,
    /// Set for items planned in this run: the text file they came from.
    source: Option<PathBuf>,
}

struct Meeting {
    doc: DocumentMut,
    disk: Option<String>,
    items: Vec<KnownItem>,
}

pub struct Workspace {
    root: PathBuf,
    force: bool,
    committees: Vec<Committee>,
    /// Keyed by `content/<committee>/<folder>`.
    meetings: BTreeMap<PathBuf, Meeting>,
    /// New bytes of files, by path relative to the site folder.
    pending: BTreeMap<PathBuf, Vec<u8>>,
    /// Attachment files found next to each source folder.
    folder_files: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// Folder names in each committee folder, read once: an import only
    /// ever adds plain `YYYY-MM-DD` folders, which `folders_on` always lists.
    committee_folders: BTreeMap<String, Vec<String>>,
    /// Things the user should check, such as new placeholder committees.
    pub notes: Vec<String>,
    /// Notes on the item last planned, such as attachments without a file.
    pub item_notes: Vec<String>,
}

/// Where an imported item goes, and what it says.
pub struct ItemRequest<'a> {
    pub source: &'a Path,
    pub item: &'a ImportedItem,
    pub committee: Option<&'a str>,
    pub date: Option<NaiveDate>,
    /// The agenda number the source's file name gives, if any.
    pub number_hint: Option<u32>,
}

fn content_rel() -> PathBuf {
    PathBuf::from("content")
}

fn read_text(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// A TOML string literal.
fn toml_str(s: &str) -> String {
    Value::from(s).to_string().trim().to_string()
}

impl Workspace {
    /// Reads the committees in `root/content`.
    pub fn open(root: &Path, force: bool) -> Result<Workspace, String> {
        let mut committees = Vec::new();
        let content = root.join("content");
        if content.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(&content)
                .map_err(|e| format!("{}: {e}", content.display()))?
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .map(|e| nfc(&e.file_name().to_string_lossy()))
                .filter(|n| !n.starts_with('.') && n != PAGES_DIR)
                .collect();
            entries.sort();
            for slug in entries {
                let disk = read_text(&content.join(&slug).join("committee.toml"));
                let doc = disk.as_deref().and_then(|t| t.parse::<DocumentMut>().ok());
                committees.push(Committee {
                    slug,
                    materialized: disk.is_some(),
                    doc,
                    disk,
                    placeholder_for: None,
                    rename_to: None,
                    dirty: false,
                });
            }
        }
        Ok(Workspace {
            root: root.to_path_buf(),
            force,
            committees,
            meetings: BTreeMap::new(),
            pending: BTreeMap::new(),
            folder_files: BTreeMap::new(),
            committee_folders: BTreeMap::new(),
            notes: Vec::new(),
            item_notes: Vec::new(),
        })
    }

    fn by_short(&self, short: &str) -> Option<usize> {
        let k = name_key(short);
        self.committees
            .iter()
            .position(|c| c.short().is_some_and(|s| name_key(&s) == k))
    }

    fn by_name(&self, name: &str) -> Option<usize> {
        let k = name_key(name);
        self.committees.iter().position(|c| {
            c.name().is_some_and(|n| name_key(&n) == k)
                || c.rename_to.as_deref().is_some_and(|n| name_key(n) == k)
        })
    }

    fn by_slug(&self, s: &str) -> Option<usize> {
        self.committees.iter().position(|c| c.slug == s)
    }

    /// A folder name for a new committee that no other committee, page
    /// folder or generated folder uses.
    fn free_slug(&self, wanted: &str) -> String {
        let base = if wanted.is_empty() { "udvalg" } else { wanted };
        let taken = |s: &str| {
            self.by_slug(s).is_some() || s == PAGES_DIR || crate::check::RESERVED.contains(&s)
        };
        let mut candidate = base.to_string();
        let mut n = 2;
        while taken(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        candidate
    }

    fn new_committee(&mut self, name: &str, short: Option<&str>, slug_wanted: &str) -> usize {
        let slug = self.free_slug(slug_wanted);
        let mut text = format!("name = {}\n", toml_str(name));
        if let Some(s) = short {
            text.push_str(&format!("short = {}\n", toml_str(s)));
        }
        self.committees.push(Committee {
            slug,
            doc: Some(text.parse().expect("generated TOML parses")),
            disk: None,
            materialized: false,
            placeholder_for: None,
            rename_to: None,
            dirty: true,
        });
        self.committees.len() - 1
    }

    /// Before any item is planned: a committee for every decision heading
    /// that names no known committee, with the short name its items' routes
    /// give it. Routes of earlier files can then name committees of later
    /// ones. Nothing is written for a committee no imported item uses.
    ///
    /// A closed item's route is private: it teaches no committee anything.
    /// Open items come first, so that a closed one finds the committees
    /// they name, as it would in a run without it.
    pub fn register_committees(&mut self, items: &[&ImportedItem]) {
        let open = items.iter().copied().filter(|i| !i.closed);
        let closed = items.iter().copied().filter(|i| i.closed);
        for item in open.chain(closed) {
            let Some(name) = item.decision.as_ref().and_then(|d| d.committee.as_deref()) else {
                continue;
            };
            let known = self.by_name(name).or_else(|| self.by_short(name));
            let short = infer_short(name, public_route(item));
            match known {
                Some(i) => {
                    if self.committees[i].short().is_none()
                        && !self.committees[i].materialized
                        && let Some(s) = short
                        && self.by_short(&s).is_none()
                        && let Some(doc) = &mut self.committees[i].doc
                    {
                        // Only a committee planned in this run, not yet written.
                        doc["short"] = value(s);
                    }
                }
                None => {
                    // A placeholder made for this short name in an earlier
                    // run becomes this committee.
                    if let Some(s) = &short
                        && let Some(p) = self.by_short(s)
                    {
                        if self.committees[p].is_placeholder() {
                            self.committees[p].rename_to = Some(name.to_string());
                            continue;
                        }
                        self.new_committee(name, None, &slug(name, 60));
                        continue;
                    }
                    self.new_committee(name, short.as_deref(), &slug(name, 60));
                }
            }
        }
        // "ØK, KB" in an Økonomiudvalget item names Kommunalbestyrelsen too,
        // if it comes in this run: its files may name it in full.
        for item in items.iter().copied() {
            for entry in public_route(item) {
                if self.by_name(entry).is_some() {
                    continue;
                }
                if let Some(i) = self.abbreviated_by(entry)
                    && !self.committees[i].materialized
                    && let Some(doc) = &mut self.committees[i].doc
                {
                    doc["short"] = value(entry.as_str());
                }
            }
        }
    }

    /// The one committee without a short name that `entry` abbreviates
    /// ("KB" → Kommunalbestyrelsen), when no committee has it as its short.
    fn abbreviated_by(&self, entry: &str) -> Option<usize> {
        if self.by_short(entry).is_some() {
            return None;
        }
        let hits: Vec<usize> = (0..self.committees.len())
            .filter(|&i| {
                let c = &self.committees[i];
                c.short().is_none()
                    && c.rename_to
                        .clone()
                        .or_else(|| c.name())
                        .is_some_and(|n| abbreviates(entry, &n))
            })
            .collect();
        match hits[..] {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The committee an item goes to.
    fn committee_for(&mut self, req: &ItemRequest<'_>) -> Result<usize, String> {
        let decision_name = req
            .item
            .decision
            .as_ref()
            .and_then(|d| d.committee.as_deref());
        if let Some(s) = req.committee {
            let name = decision_name.unwrap_or(s).to_string();
            let Some(i) = self.by_slug(s) else {
                return Ok(self.new_committee(&name, None, s));
            };
            let c = &mut self.committees[i];
            if c.doc.is_none() {
                if c.disk.is_some() {
                    return Err(format!(
                        "content/{s}/committee.toml cannot be read as TOML; fix it first"
                    ));
                }
                // A folder without committee.toml: give it one.
                c.doc = Some(format!("name = {}\n", toml_str(&name)).parse().unwrap());
                c.dirty = true;
            }
            return Ok(i);
        }
        let Some(name) = decision_name else {
            return Err(
                "cannot tell the committee: no heading \"Beslutning i <udvalg> den DD-MM-YYYY\"; give --committee".into(),
            );
        };
        self.by_name(name)
            .or_else(|| self.by_short(name))
            .ok_or_else(|| format!("no committee named {name:?}"))
    }

    fn meeting(&mut self, dir: &Path) -> Result<&mut Meeting, String> {
        if !self.meetings.contains_key(dir) {
            let abs = self.root.join(dir);
            let toml = abs.join("meeting.toml");
            let disk = read_text(&toml);
            let doc = match &disk {
                Some(t) => t.parse::<DocumentMut>().map_err(|e| {
                    format!(
                        "{}: cannot be read as TOML ({}); fix it first",
                        dir.join("meeting.toml").display(),
                        e.message().trim()
                    )
                })?,
                None => DocumentMut::new(),
            };
            let mut items = Vec::new();
            if let Ok(rd) = std::fs::read_dir(&abs) {
                for e in rd.filter_map(Result::ok) {
                    let file = nfc(&e.file_name().to_string_lossy());
                    let Some(stem) = file.strip_suffix(".md") else {
                        continue;
                    };
                    let Some(number) = crate::load::item::number_of(stem) else {
                        continue;
                    };
                    let (title, case, closed) = read_item_keys(&abs.join(&file));
                    items.push(KnownItem {
                        number,
                        file,
                        title,
                        case,
                        closed,
                        source: None,
                    });
                }
            }
            items.sort_by(|a, b| a.file.cmp(&b.file));
            self.meetings
                .insert(dir.to_path_buf(), Meeting { doc, disk, items });
        }
        Ok(self.meetings.get_mut(dir).expect("inserted above"))
    }

    /// Meeting folders of a committee on a date: `2024-11-15` and
    /// `2024-11-15-<suffix>`.
    fn folders_on(&mut self, committee: &str, date: NaiveDate) -> Vec<String> {
        let dir = self.root.join("content").join(committee);
        let all = self
            .committee_folders
            .entry(committee.to_string())
            .or_insert_with(|| {
                let mut names: Vec<String> = std::fs::read_dir(&dir)
                    .map(|rd| {
                        rd.filter_map(Result::ok)
                            .filter(|e| e.path().is_dir())
                            .map(|e| nfc(&e.file_name().to_string_lossy()))
                            .collect()
                    })
                    .unwrap_or_default();
                names.sort();
                names
            });
        let day = date.format("%Y-%m-%d").to_string();
        let suffixed = format!("{day}-");
        let mut out = vec![day.clone()];
        out.extend(
            all.iter()
                .filter(|n| n.len() > suffixed.len() && n.starts_with(&suffixed))
                .cloned(),
        );
        out
    }

    /// Plans one item. Nothing is changed when it fails.
    pub fn import_item(&mut self, req: &ItemRequest<'_>) -> Result<Outcome, String> {
        let item = req.item;
        self.item_notes.clear();
        let date = req
            .date
            .or_else(|| item.decision.as_ref().and_then(|d| d.date))
            .ok_or(
                "no meeting date: no dated heading \"Beslutning i <udvalg> den DD-MM-YYYY\"; give --date",
            )?;
        let ci = self.committee_for(req)?;
        let committee_slug = self.committees[ci].slug.clone();

        // The meeting folder that already holds this item, else the day's.
        let mut found = None;
        for folder in self.folders_on(&committee_slug, date) {
            let dir = content_rel().join(&committee_slug).join(&folder);
            let m = self.meeting(&dir)?;
            if let Some(i) = find_same(&m.items, item) {
                found = Some((dir, i));
                break;
            }
        }
        let dir = match &found {
            Some((d, _)) => d.clone(),
            None => content_rel()
                .join(&committee_slug)
                .join(date.format("%Y-%m-%d").to_string()),
        };
        self.meeting(&dir)?;
        let meeting = &self.meetings[&dir];
        // A file someone closed by hand stays closed, whatever the export
        // says: the import then treats the item as closed throughout.
        let kept_closed = found
            .as_ref()
            .and_then(|(_, i)| meeting.items[*i].closed.clone());
        let closed_item;
        let item = match &kept_closed {
            Some(_) if !item.closed => {
                self.item_notes.push(
                    "the item file says `closed = true`: kept closed, with its public_title and public_decision".into(),
                );
                closed_item = ImportedItem {
                    closed: true,
                    ..item.clone()
                };
                &closed_item
            }
            _ => {
                if item.closed && kept_closed.is_none() {
                    self.item_notes.push(
                        "closed item: published only as \"Lukket punkt\" until you set public_title (if it is not closed after all, remove `closed = true`)".into(),
                    );
                }
                item
            }
        };
        let (number, file) = match &found {
            Some((_, i)) => {
                let known = &meeting.items[*i];
                if let Some(other) = &known.source {
                    return Ok(Outcome::Duplicate {
                        item: dir.join(&known.file),
                        of: other.clone(),
                    });
                }
                (known.number, known.file.clone())
            }
            None => {
                let used = |n: u32| meeting.items.iter().any(|i| i.number == n);
                let number = match req.number_hint {
                    Some(n) if n > 0 && !used(n) => n,
                    _ => meeting.items.iter().map(|i| i.number).max().unwrap_or(0) + 1,
                };
                let name = if item.closed {
                    // The title of a closed item is private: not even its
                    // file name repeats it.
                    "lukket-punkt".to_string()
                } else {
                    let s = slug(&item.title, 60);
                    if s.is_empty() { "punkt".to_string() } else { s }
                };
                (number, format!("{number:02}-{name}.md"))
            }
        };

        // The export closes an item published as open.
        let closes_open_file = found.is_some() && item.closed && kept_closed.is_none();
        let route = self.plan_route(ci, item);
        for entry in &route.dropped {
            self.item_notes.push(format!(
                "closed item: the route entry {entry:?} names no committee of the site, and a closed item's route makes none; left out of `route`"
            ));
        }
        let (attachments, copies, unfiled) =
            self.plan_attachments(req, item.closed, &dir, number)?;
        let text = ItemFile {
            item,
            route: &route.entries,
            attachments: &attachments,
            unfiled: &unfiled,
            public: &kept_closed.unwrap_or_default(),
        }
        .render();
        let item_rel = dir.join(&file);

        if found.is_some() {
            let same = self.disk_equals(&item_rel, text.as_bytes())
                && copies.iter().all(|(p, b)| self.disk_equals(p, b));
            if same {
                return Ok(Outcome::Unchanged { item: item_rel });
            }
            if !self.force {
                // Kept as it is, the item would stay published in full.
                if closes_open_file {
                    return Err(format!(
                        "the export now marks the item closed, but {} is published as an open item: it was left as it is. Close it by hand (`closed = true`, with `public_title` and `public_decision`), or import again with --force",
                        item_rel.display()
                    ));
                }
                return Ok(Outcome::Kept { item: item_rel });
            }
        } else if !self.force {
            // A new item's number is free, but a stray file of the same
            // name as one of its attachments is still someone's file.
            for (p, b) in &copies {
                if self.root.join(p).exists() && !self.disk_equals(p, b) {
                    return Err(format!(
                        "{} exists and is another file; --force overwrites it",
                        p.display()
                    ));
                }
            }
        }
        let decided = item.decision.as_ref().is_some_and(|d| d.decided);
        // Who was away from a closed item is private too; names that are
        // also in the meeting's open items come in with those.
        let absent: &[String] = if item.closed { &[] } else { &item.absent };
        if item.closed && !item.absent.is_empty() {
            self.item_notes.push(format!(
                "closed item: its {} \"Afbud\" name(s) are not added to meeting.toml",
                item.absent.len()
            ));
        }
        let meeting = &self.meetings[&dir];
        let mut meeting_doc = meeting.doc.clone();
        merge_meeting(&mut meeting_doc, meeting.disk.is_none(), decided, absent)?;

        // Everything is known: apply it.
        let outcome = if found.is_some() {
            Outcome::Updated {
                item: item_rel.clone(),
            }
        } else {
            Outcome::Created {
                item: item_rel.clone(),
            }
        };
        if let Some(new_name) = self.committees[ci].rename_to.take()
            && let Some(doc) = &mut self.committees[ci].doc
        {
            // The placeholder's note asking for a name has done its job.
            if let Some(mut key) = doc.as_table_mut().key_mut("name") {
                key.leaf_decor_mut().set_prefix("");
            }
            doc["name"] = value(new_name.as_str());
            self.committees[ci].dirty = true;
            self.notes.push(format!(
                "content/{}/committee.toml: the placeholder committee is {new_name:?}",
                self.committees[ci].slug
            ));
        }
        for (i, s) in route.shorts {
            let c = &mut self.committees[i];
            if c.short().is_none()
                && let Some(doc) = &mut c.doc
            {
                doc["short"] = value(s.as_str());
                c.dirty = true;
                if c.disk.is_some() {
                    self.notes.push(format!(
                        "content/{}/committee.toml: added short = {s:?}, as the routes call it",
                        c.slug
                    ));
                }
            }
        }
        self.materialize(ci);
        for entry in &route.placeholders {
            let i = self.new_committee(entry, Some(entry), &slug(entry, 60));
            self.committees[i].placeholder_for = Some(entry.clone());
            self.materialize(i);
        }
        for &i in &route.used {
            self.materialize(i);
        }
        let meeting = self.meetings.get_mut(&dir).expect("loaded above");
        let before = meeting.doc.to_string();
        meeting.doc = meeting_doc;
        let meeting_text = meeting.doc.to_string();
        if meeting.disk.is_none() || meeting_text != before {
            self.pending
                .insert(dir.join("meeting.toml"), meeting_text.into_bytes());
        }
        if found.is_none() {
            meeting.items.push(KnownItem {
                number,
                file,
                title: Some(item.title.clone()),
                case: item.case.clone(),
                closed: item.closed.then(PublicParts::default),
                source: Some(req.source.to_path_buf()),
            });
        } else if let Some((_, i)) = &found {
            meeting.items[*i].source = Some(req.source.to_path_buf());
        }
        self.pending.insert(item_rel, text.into_bytes());
        for (p, b) in copies {
            self.pending.insert(p, b);
        }
        Ok(outcome)
    }

    fn materialize(&mut self, i: usize) {
        let c = &mut self.committees[i];
        if c.materialized {
            return;
        }
        c.materialized = true;
        let path = format!("content/{}/committee.toml", c.slug);
        match &c.placeholder_for {
            Some(entry) => self.notes.push(format!(
                "{path}: new placeholder committee for the route entry {entry:?}: give it its full name"
            )),
            None => {
                let short = c.short().map(|s| format!(", short name {s:?}"));
                self.notes.push(format!(
                    "{path}: new committee {:?}{}",
                    c.name().unwrap_or_default(),
                    short.unwrap_or_default()
                ))
            }
        }
    }

    fn disk_equals(&self, rel: &Path, bytes: &[u8]) -> bool {
        std::fs::read(self.root.join(rel)).is_ok_and(|b| b == bytes)
    }

    /// Route entries as the site knows them. An entry that names no
    /// committee gets a placeholder committee, so the route survives the
    /// import and the build; the report asks for its full name.
    ///
    /// A closed item's route is private, so it changes no committee: its
    /// entries name committees that are written already (or the item's
    /// own), as they are; the others are dropped.
    fn plan_route(&self, own: usize, item: &ImportedItem) -> RoutePlan {
        let mut plan = RoutePlan {
            entries: Vec::new(),
            placeholders: Vec::new(),
            used: Vec::new(),
            shorts: Vec::new(),
            dropped: Vec::new(),
        };
        if item.closed {
            for entry in &item.route {
                let hit = self.by_short(entry).or_else(|| self.by_name(entry));
                let label = hit
                    .filter(|&i| i == own || self.committees[i].materialized)
                    .and_then(|i| self.committees[i].short().or(self.committees[i].name()));
                match label {
                    Some(l) if !plan.entries.contains(&l) => plan.entries.push(l),
                    Some(_) => {}
                    None => plan.dropped.push(entry.clone()),
                }
            }
            return plan;
        }
        let own_name = self.committees[own]
            .rename_to
            .clone()
            .or_else(|| self.committees[own].name())
            .unwrap_or_default();
        let own_short = self.committees[own]
            .short()
            .or_else(|| infer_short(&own_name, &item.route).filter(|s| self.by_short(s).is_none()));
        for entry in &item.route {
            let key = name_key(entry);
            let hit = self
                .by_short(entry)
                .map(|i| (i, self.committees[i].short()))
                .or_else(|| {
                    self.by_name(entry)
                        .map(|i| (i, self.committees[i].short().or(self.committees[i].name())))
                });
            let resolved = match hit {
                Some((i, label)) => {
                    plan.used.push(i);
                    label.unwrap_or_else(|| entry.clone())
                }
                None if own_short.as_deref().is_some_and(|s| name_key(s) == key)
                    || abbreviates(entry, &own_name) && own_short.is_some() =>
                {
                    let s = own_short.clone().unwrap();
                    plan.shorts.push((own, s.clone()));
                    s
                }
                None if let Some(i) = self.abbreviated_by(entry) => {
                    plan.shorts.push((i, entry.clone()));
                    plan.used.push(i);
                    entry.clone()
                }
                None => {
                    if !plan.placeholders.contains(entry) {
                        plan.placeholders.push(entry.clone());
                    }
                    entry.clone()
                }
            };
            if !plan.entries.contains(&resolved) {
                plan.entries.push(resolved);
            }
        }
        plan
    }

    /// "Bilag" titles → files next to the source whose name is the title
    /// (any extension but .txt), copied into the meeting folder; the others
    /// are listed as text.
    #[allow(clippy::type_complexity)]
    fn plan_attachments(
        &mut self,
        req: &ItemRequest<'_>,
        closed: bool,
        dir: &Path,
        number: u32,
    ) -> Result<(Vec<AttachmentRef>, Vec<(PathBuf, Vec<u8>)>, Vec<String>), String> {
        let mut refs = Vec::new();
        let mut copies = Vec::new();
        let mut unfiled = Vec::new();
        if req.item.attachments.is_empty() {
            return Ok((refs, copies, unfiled));
        }
        let folder = req
            .source
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let files = self
            .folder_files
            .entry(folder.clone())
            .or_insert_with(|| attachment_candidates(&folder))
            .clone();
        for (k, title) in req.item.attachments.iter().enumerate() {
            let key = name_key(title);
            let hit = files.iter().find(|p| {
                let name = nfc(&p.file_name().unwrap_or_default().to_string_lossy());
                let stem = nfc(&p.file_stem().unwrap_or_default().to_string_lossy());
                name_key(&name) == key || name_key(&stem) == key
            });
            let Some(path) = hit else {
                self.item_notes.push(format!(
                    "bilag {title:?}: no file of that name beside the text; listed under \"Bilag\" as text"
                ));
                unfiled.push(title.clone());
                continue;
            };
            let ext = path
                .extension()
                .map(|e| slug(&e.to_string_lossy(), 10))
                .filter(|e| !e.is_empty())
                .map(|e| format!(".{e}"))
                .unwrap_or_default();
            let stem = if closed {
                format!("bilag-{}", k + 1)
            } else {
                let s = slug(&path.file_stem().unwrap_or_default().to_string_lossy(), 50);
                if s.is_empty() {
                    format!("bilag-{}", k + 1)
                } else {
                    s
                }
            };
            let name = format!("{number:02}-{stem}{ext}");
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            refs.push(AttachmentRef {
                title: title.clone(),
                file: name.clone(),
            });
            copies.push((dir.join(name), bytes));
        }
        Ok((refs, copies, unfiled))
    }

    /// Committee files to write, then everything planned; only files whose
    /// bytes change. In a dry run nothing is written.
    pub fn finish(mut self, dry_run: bool) -> Result<Vec<Change>, String> {
        for c in &self.committees {
            if let (true, true, Some(doc)) = (c.materialized, c.dirty, &c.doc) {
                let text = match (&c.placeholder_for, &c.disk) {
                    (Some(entry), None) => format!(
                        "# Made by `protokol import`: a route (\"Sagsgang\") names {}, and no\n# committee had that short name. Give the committee its full name.\n{doc}",
                        toml_str(entry)
                    ),
                    _ => doc.to_string(),
                };
                if c.disk.as_deref() != Some(text.as_str()) {
                    self.pending.insert(
                        content_rel().join(&c.slug).join("committee.toml"),
                        text.into_bytes(),
                    );
                }
            }
        }
        let mut changes = Vec::new();
        for (path, bytes) in self.pending {
            let abs = self.root.join(&path);
            let old = std::fs::read(&abs).ok();
            if old.as_deref() == Some(bytes.as_slice()) {
                continue;
            }
            if !dry_run {
                write_file(&abs, &bytes)?;
            }
            changes.push(Change {
                path,
                new_file: old.is_none(),
                bytes,
            });
        }
        Ok(changes)
    }
}

struct RoutePlan {
    entries: Vec<String>,
    /// Entries that need a placeholder committee.
    placeholders: Vec<String>,
    /// Committees the route names (made real if they are only planned).
    used: Vec<usize>,
    /// Short names learnt from this route: the item's own committee's, or
    /// another committee's that the entry alone abbreviates.
    shorts: Vec<(usize, String)>,
    /// A closed item's entries that name no committee written already.
    dropped: Vec<String>,
}

/// The route entries that may shape the site's committees: none of a
/// closed item's.
fn public_route(item: &ImportedItem) -> &[String] {
    if item.closed { &[] } else { &item.route }
}

/// "HU" abbreviates "Hovedudvalget": its letters appear in order, starting
/// with the name's first letter.
pub fn abbreviates(short: &str, name: &str) -> bool {
    if !is_abbreviation(short) {
        return false;
    }
    let name: Vec<char> = name_key(name).chars().collect();
    let short: Vec<char> = short.chars().flat_map(char::to_lowercase).collect();
    if name.first() != short.first() {
        return false;
    }
    let mut pos = 0;
    for c in short {
        match name[pos..].iter().position(|&n| n == c) {
            Some(p) => pos += p + 1,
            None => return false,
        }
    }
    true
}

/// The short name a route gives the committee `name`: the one entry that
/// abbreviates it.
fn infer_short(name: &str, route: &[String]) -> Option<String> {
    let hits: Vec<&String> = route.iter().filter(|e| abbreviates(e, name)).collect();
    match hits[..] {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The item in a meeting that an imported item is: the one with its case
/// number (and title, if several share it), or without a case number, the
/// one with its title.
fn find_same(items: &[KnownItem], item: &ImportedItem) -> Option<usize> {
    let title = name_key(&item.title);
    let same_title = |k: &KnownItem| k.title.as_deref().is_some_and(|t| name_key(t) == title);
    match &item.case {
        Some(case) => {
            let with_case: Vec<usize> = (0..items.len())
                .filter(|&i| items[i].case.as_deref().map(str::trim) == Some(case.trim()))
                .collect();
            match with_case[..] {
                [one] => Some(one),
                // A closed item's case may have been deleted by hand: its
                // title still finds it, rather than a second, open copy.
                [] => items
                    .iter()
                    .position(|k| k.case.is_none() && k.closed.is_some() && same_title(k)),
                _ => with_case.into_iter().find(|&i| same_title(&items[i])),
            }
        }
        None => items.iter().position(|k| k.case.is_none() && same_title(k)),
    }
}

/// `title`, `case` and closedness of an item file, leniently: a file that
/// does not parse is still a number that is taken.
fn read_item_keys(path: &Path) -> (Option<String>, Option<String>, Option<PublicParts>) {
    let Some(text) = read_text(path) else {
        return (None, None, None);
    };
    let Ok(fm) = crate::load::item::split_front_matter(path, &text) else {
        return (None, None, None);
    };
    let Ok(table) = fm.toml.parse::<toml::Table>() else {
        return (None, None, None);
    };
    let get = |k: &str| table.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let closed = table.get("closed").and_then(|v| v.as_bool()) == Some(true);
    let public = closed.then(|| PublicParts {
        public_title: get("public_title"),
        public_decision: get("public_decision"),
    });
    (get("title"), get("case"), public)
}

fn attachment_candidates(folder: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .filter(|p| {
                    let name = p.file_name().unwrap_or_default().to_string_lossy();
                    let txt = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt"));
                    !name.starts_with('.') && !txt
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Absentees join the meeting's list (each once, in order); a meeting
/// with an agenda gets minutes when a decision arrives. Nothing else in
/// meeting.toml changes.
fn merge_meeting(
    doc: &mut DocumentMut,
    is_new: bool,
    decided: bool,
    absent: &[String],
) -> Result<(), String> {
    if is_new && doc.get("status").is_none() {
        doc["status"] = value(if decided { "minutes" } else { "agenda" });
    } else if decided && doc.get("status").and_then(|s| s.as_str()) == Some("agenda") {
        let v = doc["status"].as_value_mut().expect("a string");
        let decor = v.decor().clone();
        *v = Value::from("minutes");
        *v.decor_mut() = decor;
    }
    if absent.is_empty() {
        return Ok(());
    }
    if doc.get("absent").is_none() {
        let mut list = Array::new();
        for a in absent {
            let mut v = Value::from(a.as_str());
            v.decor_mut().set_prefix("\n  ");
            list.push_formatted(v);
        }
        list.set_trailing_comma(true);
        list.set_trailing("\n");
        doc["absent"] = value(list);
        return Ok(());
    }
    let list = doc["absent"]
        .as_array_mut()
        .ok_or("meeting.toml: `absent` is not a list of names; fix it first")?;
    let present: Vec<String> = list
        .iter()
        .filter_map(|v| v.as_str())
        .map(name_key)
        .collect();
    let prefix = list
        .iter()
        .last()
        .and_then(|v| v.decor().prefix())
        .and_then(|p| p.as_str())
        .filter(|p| p.contains('\n'))
        .map(str::to_string);
    for a in absent {
        if present.contains(&name_key(a)) {
            continue;
        }
        let mut v = Value::from(a.as_str());
        if let Some(p) = &prefix {
            v.decor_mut().set_prefix(p.as_str());
            list.push_formatted(v);
        } else {
            list.push(v);
        }
    }
    Ok(())
}

/// Writes through a temporary file, so a file is never half written.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().expect("files are inside content/");
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.import-tmp"));
    std::fs::write(&tmp, bytes).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations() {
        assert!(abbreviates("HU", "Hovedudvalget"));
        assert!(abbreviates("ØK", "Økonomiudvalget"));
        assert!(abbreviates("KB", "Kommunalbestyrelsen"));
        assert!(abbreviates("BUU", "Børne- og Ungdomsudvalget"));
        assert!(!abbreviates("ØK", "Kommunalbestyrelsen"));
        assert!(!abbreviates("KFU", "Kommunalbestyrelsen"));
        assert!(!abbreviates("Hovedudvalget", "Hovedudvalget"));
        assert_eq!(
            infer_short("Hovedudvalget", &["HU".into()]).as_deref(),
            Some("HU")
        );
        assert_eq!(
            infer_short("Kommunalbestyrelsen", &["ØK".into(), "KB".into()]).as_deref(),
            Some("KB")
        );
        assert_eq!(infer_short("Byrådet", &["ØK".into()]), None);
    }

    #[test]
    fn absentees_merge_into_an_existing_meeting_file() {
        let mut doc: DocumentMut = "# Mødet\nstart = \"14:00\" # fast tid\nstatus = \"agenda\"\nabsent = [\n  \"Anna\",\n]\nlocation = \"Rådhuset\"\n"
            .parse()
            .unwrap();
        merge_meeting(&mut doc, false, true, &["anna".into(), "Bo Holm".into()]).unwrap();
        assert_eq!(
            doc.to_string(),
            "# Mødet\nstart = \"14:00\" # fast tid\nstatus = \"minutes\"\nabsent = [\n  \"Anna\",\n  \"Bo Holm\",\n]\nlocation = \"Rådhuset\"\n"
        );
        let mut doc = DocumentMut::new();
        merge_meeting(&mut doc, true, false, &["Anna".into()]).unwrap();
        assert_eq!(
            doc.to_string(),
            "status = \"agenda\"\nabsent = [\n  \"Anna\",\n]\n"
        );
        let mut doc: DocumentMut = "status = \"cancelled\"\nabsent = \"Anna\"\n"
            .parse()
            .unwrap();
        assert!(merge_meeting(&mut doc, false, true, &["Bo".into()]).is_err());
    }
}
