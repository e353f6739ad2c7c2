//! A static OParl 1.1 export under `/oparl/v1/`: every object is a JSON file
//! whose URL is its `id`, and every external list is a chain of pages
//! linked by `links.next`. Entry point: `/oparl/v1/system.json`.
//!
//! | OParl | from |
//! | --- | --- |
//! | System, Body | the site (one body) |
//! | Organization | a committee |
//! | Person, Membership | a committee's `members` (one person per distinct name) |
//! | Meeting, Location | a meeting and its `location` |
//! | AgendaItem | an item (inside its Meeting without the `protokol:sections` full text); a closed item only as `public: false` with its public title and decision |
//! | Paper, Consultation | a case number: one consultation per public item, then planned ones for route committees not reached yet |
//! | File | a public attachment of an item (a file two items attach is two Files) |
//!
//! Like the pages, it is made from the public model only, so nothing of a
//! closed item but its number, public title and public decision exists here.

pub mod objects;
pub mod paths;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::BuildError;
use crate::incremental::packed::{Packed, Packer};
use crate::model::{CaseNumber, Committee, Item, Meeting, MeetingStatus, OpenItem};
use crate::output::recorder::Recorder;
use crate::output::{Content, Sink};
use crate::render::i18n::{self, Strings};
use crate::render::merge_errors;
use crate::render::views::{closed_title, status_label};
use crate::site_index::{MeetingRef, SiteIndex};
use crate::timezone::MeetingTime;
use crate::urls::SiteUrls;
use objects::kind;

/// Objects per list page, as the specification recommends.
pub const PAGE_SIZE: usize = 100;

/// How an object is handed to the sink: a path and its JSON.
type Put<'s> = dyn Fn(String, String) -> Result<(), BuildError> + Sync + 's;

/// The objects of the long external lists, kept from one build to the next
/// so that an [`update`] serializes only the meetings and cases it touches.
/// The JSON is kept compressed: on a 100,000-item archive it is 200 MB as
/// text, about a tenth of that packed, and an update unpacks only the list
/// pages it writes.
#[derive(Default)]
pub struct Lists {
    /// Meeting JSON in list order, that of [`SiteIndex::meetings_by_date`]:
    /// when, committee (by order), folder.
    meetings: BTreeMap<ListKey, Packed>,
    papers: BTreeMap<CaseNumber, Packed>,
    packer: Packer,
}

/// Names that give meetings and papers a compression dictionary each.
const MEETING_KIND: &str = "list.meeting";
const PAPER_KIND: &str = "list.paper";

impl Lists {
    fn pack(&self, kind: &str, json: &str) -> Packed {
        self.packer.pack(kind, json.as_bytes())
    }
}

/// The JSON of packed list objects.
fn unpack_all(objects: &[&Packed]) -> Vec<String> {
    objects
        .iter()
        .map(|p| String::from_utf8(p.unpack()).expect("packed from a String"))
        .collect()
}

/// A meeting's place in the list; unlike a [`MeetingRef`], the same in the
/// old and the new model of an update.
type ListKey = ((NaiveDate, u32), usize, String);

fn list_key(idx: &SiteIndex<'_>, r: MeetingRef) -> ListKey {
    let m = idx.meeting(r);
    (m.when(), r.committee, m.folder.clone())
}

/// Writes the whole export into `sink`.
pub fn render(idx: &SiteIndex<'_>, sink: &dyn Sink) -> Result<(), BuildError> {
    render_with(idx, sink, false).map(|_| ())
}

/// Writes the whole export and keeps what a later [`update`] needs.
pub fn render_keeping_lists(idx: &SiteIndex<'_>, sink: &dyn Sink) -> Result<Lists, BuildError> {
    render_with(idx, sink, true)
}

fn render_with(idx: &SiteIndex<'_>, sink: &dyn Sink, keep: bool) -> Result<Lists, BuildError> {
    let ex = Export::new(idx);
    let put = |path: String, json: String| sink.put(path, Content::Bytes(json.into_bytes()));
    let mut lists = Lists::default();

    // A list page at a time, so that a build never holds every object.
    let total = idx.meetings_by_date.len();
    let meetings: Vec<Result<Vec<Packed>, BuildError>> = idx
        .meetings_by_date
        .par_chunks(PAGE_SIZE)
        .enumerate()
        .map(|(i, chunk)| {
            let json: Vec<String> = chunk
                .iter()
                .map(|r| ex.meeting(*r, &put))
                .collect::<Result<_, _>>()?;
            ex.list_page("meetings", i + 1, total, &json, &put)?;
            Ok(if keep {
                json.iter().map(|j| lists.pack(MEETING_KIND, j)).collect()
            } else {
                Vec::new()
            })
        })
        .collect();
    let mut errors = Vec::new();
    for (chunk, m) in idx.meetings_by_date.chunks(PAGE_SIZE).zip(meetings) {
        match m {
            Ok(json) => lists
                .meetings
                .extend(chunk.iter().map(|r| list_key(idx, *r)).zip(json)),
            Err(e) => errors.push(e),
        }
    }
    if total == 0 {
        ex.list_page("meetings", 1, 0, &[] as &[&str], &put)?;
    }

    let cases: Vec<&CaseNumber> = idx.cases.keys().collect();
    let papers: Vec<Result<Vec<Packed>, BuildError>> = cases
        .par_chunks(PAGE_SIZE)
        .enumerate()
        .map(|(i, chunk)| {
            let json: Vec<String> = chunk
                .iter()
                .map(|k| ex.paper(k, &put))
                .collect::<Result<_, _>>()?;
            ex.list_page("papers", i + 1, cases.len(), &json, &put)?;
            Ok(if keep {
                json.iter().map(|j| lists.pack(PAPER_KIND, j)).collect()
            } else {
                Vec::new()
            })
        })
        .collect();
    for (chunk, p) in cases.chunks(PAGE_SIZE).zip(papers) {
        match p {
            Ok(json) => lists
                .papers
                .extend(chunk.iter().map(|k| (*k).clone()).zip(json)),
            Err(e) => errors.push(e),
        }
    }
    if cases.is_empty() {
        ex.list_page("papers", 1, 0, &[] as &[&str], &put)?;
    }
    merge_errors(errors)?;

    let organizations: Vec<String> = idx
        .site
        .committees
        .iter()
        .map(|c| ex.organization(c, &put))
        .collect::<Result<_, _>>()?;
    ex.list("organizations", &organizations, &put)?;

    let persons: Vec<String> = ex
        .persons
        .iter()
        .map(|p| ex.person(p, &put))
        .collect::<Result<_, _>>()?;
    ex.list("persons", &persons, &put)?;

    for description in ex.locations.keys() {
        ex.location_file(description, &put)?;
    }

    let body = ex.body();
    put(paths::body(), body.clone())?;
    ex.list("bodies", &[body], &put)?;
    put(paths::system(), ex.system())?;
    Ok(lists)
}

/// Follows a change of some meeting folders (added, edited or removed;
/// committees, pages, config and theme the same) for `serve`: writes every
/// object the change affects, brings `lists` (from the last [`render`] or
/// update) up to date, and returns the files no longer produced. The result
/// equals a full [`render`] of `new`.
pub fn update(
    lists: &mut Lists,
    old: &SiteIndex<'_>,
    new: &SiteIndex<'_>,
    meetings: &BTreeSet<crate::feeds::MeetingKey>,
    sink: &dyn Sink,
) -> Result<Vec<String>, BuildError> {
    let ex_old = Export::new(old);
    let ex_new = Export::new(new);
    let written = Recorder::new(sink);
    let before = Recorder::paths_only();
    let put = |path: String, json: String| written.put(path, Content::Bytes(json.into_bytes()));
    let put_old = |path: String, _: String| before.put(path, Content::Bytes(Vec::new()));
    let old_lengths = (lists.meetings.len(), lists.papers.len());
    // Keys taken out of and put into the lists: when they are the same,
    // only the list pages holding them change.
    let (mut meetings_out, mut meetings_in) = (BTreeSet::new(), BTreeSet::new());
    let (mut papers_out, mut papers_in) = (BTreeSet::new(), BTreeSet::new());

    let mut locations: BTreeSet<&str> = BTreeSet::new();
    for (committee, folder) in meetings {
        if let Some(r) = old.meeting_by_folder(committee, folder) {
            ex_old.meeting(r, &put_old)?;
            lists.meetings.remove(&list_key(old, r));
            meetings_out.insert(list_key(old, r));
            locations.extend(old.meeting(r).location.as_deref());
        }
        if let Some(r) = new.meeting_by_folder(committee, folder) {
            let json = lists.pack(MEETING_KIND, &ex_new.meeting(r, &put)?);
            lists.meetings.insert(list_key(new, r), json);
            meetings_in.insert(list_key(new, r));
            locations.extend(new.meeting(r).location.as_deref());
        }
    }
    let mut cases = crate::feeds::cases_in(old, meetings);
    cases.extend(crate::feeds::cases_in(new, meetings));
    for k in &cases {
        if old.cases.contains_key(k) {
            ex_old.paper(k, &put_old)?;
            lists.papers.remove(k);
            papers_out.insert(k.clone());
        }
        if new.cases.contains_key(k) {
            let json = lists.pack(PAPER_KIND, &ex_new.paper(k, &put)?);
            lists.papers.insert(k.clone(), json);
            papers_in.insert(k.clone());
        }
    }
    for l in locations {
        if ex_old.locations.contains_key(l) {
            ex_old.location_file(l, &put_old)?;
        }
        if ex_new.locations.contains_key(l) {
            ex_new.location_file(l, &put)?;
        }
    }
    // A list whose keys stay the same keeps its pages but those holding a
    // changed object (a 100,000-item archive has hundreds of list pages);
    // otherwise objects move between pages and every page is written.
    let dirty = |keys_out_eq_in: bool, ranks: BTreeSet<usize>| {
        keys_out_eq_in.then(|| ranks.into_iter().map(|r| r / PAGE_SIZE + 1).collect())
    };
    let meeting_pages: Option<BTreeSet<usize>> = dirty(
        meetings_out == meetings_in,
        rank_of(lists.meetings.keys(), &meetings_in),
    );
    let paper_pages: Option<BTreeSet<usize>> = dirty(
        papers_out == papers_in,
        rank_of(lists.papers.keys(), &papers_in),
    );
    if meeting_pages.is_none() {
        for page in 1..=pages(old_lengths.0) {
            put_old(paths::list("meetings", page), String::new())?;
        }
    }
    if paper_pages.is_none() {
        for page in 1..=pages(old_lengths.1) {
            put_old(paths::list("papers", page), String::new())?;
        }
    }
    let meetings: Vec<&Packed> = lists.meetings.values().collect();
    ex_new.list_pages("meetings", &meetings, meeting_pages.as_ref(), &put)?;
    let papers: Vec<&Packed> = lists.papers.values().collect();
    ex_new.list_pages("papers", &papers, paper_pages.as_ref(), &put)?;

    let written = written.into_paths();
    Ok(before
        .into_paths()
        .into_iter()
        .filter(|p| !written.contains(p))
        .collect())
}

/// The positions in `keys` (in order) of the keys in `wanted`.
fn rank_of<'k, K: Ord + 'k>(
    keys: impl Iterator<Item = &'k K>,
    wanted: &BTreeSet<K>,
) -> BTreeSet<usize> {
    if wanted.is_empty() {
        return BTreeSet::new();
    }
    keys.enumerate()
        .filter(|(_, k)| wanted.contains(k))
        .map(|(i, _)| i)
        .collect()
}

/// Pages of a list of `n` objects (an empty list is one empty page).
fn pages(n: usize) -> usize {
    n.div_ceil(PAGE_SIZE).max(1)
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("OParl objects serialize")
}

/// A person: one per distinct member name across committees.
struct PersonRec<'a> {
    key: String,
    name: &'a str,
    memberships: Vec<MembershipRec<'a>>,
}

struct MembershipRec<'a> {
    committee: &'a Committee,
    /// Unique in its committee: the person's key, numbered when the same
    /// name is listed twice.
    key: String,
    role: Option<&'a str>,
}

struct Export<'a> {
    idx: &'a SiteIndex<'a>,
    urls: SiteUrls,
    t: &'static Strings,
    lang: crate::config::Language,
    persons: Vec<PersonRec<'a>>,
    /// Location text → (file key, meetings there, oldest first).
    locations: BTreeMap<&'a str, (String, Vec<MeetingRef>)>,
}

impl<'a> Export<'a> {
    fn new(idx: &'a SiteIndex<'a>) -> Self {
        let config = &idx.site.config;
        let mut locations: BTreeMap<&str, (String, Vec<MeetingRef>)> = BTreeMap::new();
        for r in &idx.meetings_by_date {
            if let Some(l) = idx.meeting(*r).location.as_deref() {
                locations
                    .entry(l)
                    .or_insert_with(|| (short_hash(l), Vec::new()))
                    .1
                    .push(*r);
            }
        }
        Export {
            idx,
            urls: SiteUrls::new(config),
            t: i18n::strings(config.language),
            lang: config.language,
            persons: persons(&idx.site.committees),
            locations,
        }
    }

    fn id(&self, path: &str) -> String {
        self.urls.abs(path)
    }

    fn list_url(&self, name: &str) -> String {
        self.id(&paths::list(name, 1))
    }

    fn system(&self) -> String {
        let config = &self.idx.site.config;
        to_json(&objects::System {
            id: self.id(&paths::system()),
            kind: kind("System"),
            oparl_version: objects::OPARL_VERSION,
            body: self.list_url("bodies"),
            name: config.title.clone(),
            website: self.urls.abs(""),
            web: self.urls.abs(""),
        })
    }

    fn body(&self) -> String {
        let config = &self.idx.site.config;
        to_json(&objects::Body {
            id: self.id(&paths::body()),
            kind: kind("Body"),
            system: self.id(&paths::system()),
            name: config.title.clone(),
            website: self.urls.abs(""),
            organization: self.list_url("organizations"),
            person: self.list_url("persons"),
            meeting: self.list_url("meetings"),
            paper: self.list_url("papers"),
            legislative_term: Vec::new(),
            web: self.urls.abs(""),
        })
    }

    /// Writes the pages of an external list of already serialized objects.
    /// Writes the pages of an external list of serialized objects.
    fn list<S: AsRef<str>>(
        &self,
        name: &str,
        objects: &[S],
        put: &Put<'_>,
    ) -> Result<(), BuildError> {
        let chunks: Vec<&[S]> = objects.chunks(PAGE_SIZE).collect();
        if chunks.is_empty() {
            return self.list_page(name, 1, 0, &[] as &[&str], put);
        }
        for (i, chunk) in chunks.into_iter().enumerate() {
            self.list_page(name, i + 1, objects.len(), chunk, put)?;
        }
        Ok(())
    }

    /// Writes page `page` (1-based) of a list of `total` objects.
    fn list_page<S: AsRef<str>>(
        &self,
        name: &str,
        page: usize,
        total: usize,
        objects: &[S],
        put: &Put<'_>,
    ) -> Result<(), BuildError> {
        let total_pages = pages(total);
        let url = |p: usize| serde_json::Value::String(self.id(&paths::list(name, p)));
        let mut links = serde_json::Map::new();
        links.insert("first".into(), url(1));
        if page > 1 {
            links.insert("prev".into(), url(page - 1));
        }
        links.insert("self".into(), url(page));
        if page < total_pages {
            links.insert("next".into(), url(page + 1));
        }
        links.insert("last".into(), url(total_pages));
        let pagination = serde_json::json!({
            "totalElements": total,
            "elementsPerPage": PAGE_SIZE,
            "currentPage": page,
            "totalPages": total_pages,
        });
        let mut json = String::with_capacity(
            objects.iter().map(|o| o.as_ref().len() + 1).sum::<usize>() + 1024,
        );
        json.push_str("{\"data\":[");
        for (i, o) in objects.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push_str(o.as_ref());
        }
        json.push_str(&format!(
            "],\"pagination\":{},\"links\":{}}}",
            pagination,
            serde_json::Value::Object(links)
        ));
        put(paths::list(name, page), json)
    }

    /// Writes the pages `only` (1-based; all when `None`) of a list.
    fn list_pages(
        &self,
        name: &str,
        objects: &[&Packed],
        only: Option<&BTreeSet<usize>>,
        put: &Put<'_>,
    ) -> Result<(), BuildError> {
        let Some(only) = only else {
            if objects.is_empty() {
                return self.list_page(name, 1, 0, &[] as &[&str], put);
            }
            return objects
                .par_chunks(PAGE_SIZE)
                .enumerate()
                .try_for_each(|(i, chunk)| {
                    self.list_page(name, i + 1, objects.len(), &unpack_all(chunk), put)
                });
        };
        for &page in only {
            let start = (page - 1) * PAGE_SIZE;
            let chunk = &objects[start..(start + PAGE_SIZE).min(objects.len())];
            self.list_page(name, page, objects.len(), &unpack_all(chunk), put)?;
        }
        Ok(())
    }

    /// A location with every meeting held there.
    fn location_file(&self, description: &str, put: &Put<'_>) -> Result<(), BuildError> {
        let Some((key, refs)) = self.locations.get(description) else {
            return Ok(());
        };
        let location = objects::Location {
            meetings: refs
                .iter()
                .map(|r| self.id(&paths::meeting(self.idx.meeting(*r))))
                .collect(),
            ..self.location(description, key)
        };
        put(paths::location(key), to_json(&location))
    }

    fn organization(&self, c: &Committee, put: &Put<'_>) -> Result<String, BuildError> {
        let memberships: Vec<String> = self
            .persons
            .iter()
            .flat_map(|p| p.memberships.iter().map(move |m| (p, m)))
            .filter(|(_, m)| m.committee.slug == c.slug)
            .map(|(p, m)| {
                let id = self.id(&paths::membership(c, &m.key));
                let standalone = objects::Membership {
                    person: Some(self.id(&paths::person(&p.key))),
                    ..self.membership(m)
                };
                put(paths::membership(c, &m.key), to_json(&standalone)).map(|_| id)
            })
            .collect::<Result<_, _>>()?;
        let org = to_json(&objects::Organization {
            id: self.id(&paths::organization(c)),
            kind: kind("Organization"),
            body: self.id(&paths::body()),
            name: c.name.clone(),
            short_name: c.short.clone(),
            organization_type: "Gremium",
            classification: self.t.committee,
            membership: memberships,
            web: self.urls.abs(&format!("{}/", c.slug)),
            description: c.description_text.trim().to_string(),
        });
        put(paths::organization(c), org.clone())?;
        Ok(org)
    }

    /// A membership as a person embeds it (without the person).
    fn membership(&self, m: &MembershipRec) -> objects::Membership {
        objects::Membership {
            id: self.id(&paths::membership(m.committee, &m.key)),
            kind: kind("Membership"),
            person: None,
            organization: self.id(&paths::organization(m.committee)),
            role: m.role.map(str::to_string),
        }
    }

    fn person(&self, p: &PersonRec, put: &Put<'_>) -> Result<String, BuildError> {
        let json = to_json(&objects::Person {
            id: self.id(&paths::person(&p.key)),
            kind: kind("Person"),
            body: self.id(&paths::body()),
            name: p.name.to_string(),
            membership: p.memberships.iter().map(|m| self.membership(m)).collect(),
        });
        put(paths::person(&p.key), json.clone())?;
        Ok(json)
    }

    fn location(&self, description: &str, key: &str) -> objects::Location {
        objects::Location {
            id: self.id(&paths::location(key)),
            kind: kind("Location"),
            description: description.to_string(),
            meetings: Vec::new(),
        }
    }

    /// The attachments of an item as it embeds them; a file listed twice
    /// is one File, with its first title.
    fn files(&self, m: &Meeting, o: &OpenItem) -> Vec<objects::File> {
        let mut out: Vec<objects::File> = Vec::new();
        for a in &o.attachments {
            let f = self.file(m, o.number, a);
            if !out.iter().any(|x| x.id == f.id) {
                out.push(f);
            }
        }
        out
    }

    fn file(&self, m: &Meeting, number: u32, a: &crate::model::Attachment) -> objects::File {
        let url = self.urls.abs(&format!("{}{}", m.path(), a.file));
        objects::File {
            id: self.id(&paths::file(m, number, &a.file)),
            kind: kind("File"),
            name: a.title.clone(),
            file_name: a.file.rsplit('/').next().unwrap_or(&a.file).to_string(),
            mime_type: objects::mime_type(&a.file),
            date: m.date.format("%Y-%m-%d").to_string(),
            size: a.size,
            access_url: url.clone(),
            download_url: url,
            meeting: Vec::new(),
            agenda_item: Vec::new(),
            paper: Vec::new(),
            file_path: a.file.clone(),
        }
    }

    fn open_item<'m>(&self, m: &Meeting, o: &'m OpenItem, order: u32) -> objects::AgendaItem<'m> {
        objects::AgendaItem {
            id: self.id(&paths::agenda_item(m, o.number)),
            kind: kind("AgendaItem"),
            meeting: None,
            number: o.number.to_string(),
            order,
            name: &o.title,
            public: true,
            consultation: o
                .case
                .as_ref()
                .map(|_| self.id(&paths::consultation(m, o.number))),
            resolution_text: o.decision().map(|d| d.text.as_str()),
            auxiliary_file: self.files(m, o),
            web: self.urls.abs(&o.path(m)),
            sections: o
                .sections
                .iter()
                .map(|s| objects::Section {
                    kind: s.kind,
                    heading: s.heading.as_deref(),
                    text: &s.text,
                })
                .collect(),
        }
    }

    /// A consultation: the case of `o` on the agenda of meeting `m`.
    fn consultation(
        &self,
        c: &Committee,
        m: &Meeting,
        o: &OpenItem,
        case: &CaseNumber,
        standalone: bool,
    ) -> objects::Consultation {
        objects::Consultation {
            id: self.id(&paths::consultation(m, o.number)),
            kind: kind("Consultation"),
            paper: standalone.then(|| self.id(&paths::paper(case))),
            agenda_item: Some(self.id(&paths::agenda_item(m, o.number))),
            meeting: Some(self.id(&paths::meeting(m))),
            organization: vec![self.id(&paths::organization(c))],
            planned: false,
        }
    }

    /// Writes a meeting, its agenda items, consultations and files; returns
    /// the meeting's JSON for the lists.
    fn meeting(&self, r: MeetingRef, put: &Put<'_>) -> Result<String, BuildError> {
        let c = self.idx.committee(r.committee);
        let m = self.idx.meeting(r);
        let meeting_id = self.id(&paths::meeting(m));
        let mut items = Vec::with_capacity(m.items.len());
        for (pos, item) in m.items.iter().enumerate() {
            let order = pos as u32 + 1;
            let ai = match item {
                Item::Open(o) => {
                    let ai = self.open_item(m, o, order);
                    if let Some(case) = &o.case {
                        let cons = self.consultation(c, m, o, case, true);
                        put(paths::consultation(m, o.number), to_json(&cons))?;
                    }
                    let paper: Vec<String> =
                        o.case.iter().map(|k| self.id(&paths::paper(k))).collect();
                    for f in &ai.auxiliary_file {
                        let standalone = objects::File {
                            meeting: vec![meeting_id.clone()],
                            agenda_item: vec![ai.id.clone()],
                            paper: paper.clone(),
                            ..f.clone()
                        };
                        put(paths::file(m, o.number, &f.file_path), to_json(&standalone))?;
                    }
                    ai
                }
                Item::Closed(ci) => objects::AgendaItem {
                    id: self.id(&paths::agenda_item(m, ci.number)),
                    kind: kind("AgendaItem"),
                    meeting: None,
                    number: ci.number.to_string(),
                    order,
                    name: closed_title(self.t, ci),
                    public: false,
                    consultation: None,
                    resolution_text: ci.public_decision.as_deref(),
                    auxiliary_file: Vec::new(),
                    web: self.urls.abs(&m.path()),
                    sections: Vec::new(),
                },
            };
            let standalone = objects::AgendaItem {
                meeting: Some(meeting_id.clone()),
                ..ai.clone()
            };
            put(paths::agenda_item(m, item.number()), to_json(&standalone))?;
            items.push(objects::AgendaItem {
                sections: Vec::new(),
                ..ai
            });
        }
        let time = MeetingTime::of(m);
        let location = m
            .location
            .as_deref()
            .and_then(|l| self.locations.get(l).map(|(key, _)| self.location(l, key)));
        let json = to_json(&objects::Meeting {
            id: meeting_id,
            kind: kind("Meeting"),
            name: format!(
                "{} {}, {}",
                self.t.meeting_of,
                c.name,
                crate::render::dates::long(self.lang, m.date)
            ),
            meeting_state: status_label(self.t, m.status),
            cancelled: m.status == MeetingStatus::Cancelled,
            start: time.start_or_midnight().rfc3339(),
            end: time.end.map(|e| e.rfc3339()),
            location,
            organization: vec![self.id(&paths::organization(c))],
            agenda_item: items,
            web: self.urls.abs(&m.path()),
            date: m.date.format("%Y-%m-%d").to_string(),
            all_day: time.start.is_none(),
            status: m.status.as_str(),
            absent: &m.absent,
            note_html: m.note_html.as_deref(),
        });
        put(paths::meeting(m), json.clone())?;
        Ok(json)
    }

    /// Writes a case's paper and its planned consultations; returns the
    /// paper's JSON for the list.
    fn paper(&self, k: &CaseNumber, put: &Put<'_>) -> Result<String, BuildError> {
        let idx = self.idx;
        let refs = idx.cases.get(k).unwrap_or(&[]);
        let paper_id = self.id(&paths::paper(k));
        let mut consultations = Vec::new();
        let mut files: Vec<objects::File> = Vec::new();
        for r in refs {
            let (c, m, o) = idx.item(*r);
            consultations.push(self.consultation(c, m, o, k, false));
            files.extend(self.files(m, o));
        }
        let newest = refs.last().map(|r| idx.item(*r));
        let route: Vec<String> = newest.map(|(_, _, o)| o.route.clone()).unwrap_or_default();
        // Route committees the case has not reached yet, in route order.
        let mut planned: Vec<usize> = Vec::new();
        for step in &route {
            if let Some(ci) = idx.committee_by_name(step)
                && !refs.iter().any(|r| r.committee == ci)
                && !planned.contains(&ci)
            {
                planned.push(ci);
            }
        }
        for ci in planned {
            let c = idx.committee(ci);
            let cons = objects::Consultation {
                id: self.id(&paths::planned_consultation(k, c)),
                kind: kind("Consultation"),
                paper: None,
                agenda_item: None,
                meeting: None,
                organization: vec![self.id(&paths::organization(c))],
                planned: true,
            };
            let standalone = objects::Consultation {
                paper: Some(paper_id.clone()),
                ..cons.clone()
            };
            put(paths::planned_consultation(k, c), to_json(&standalone))?;
            consultations.push(cons);
        }
        let first_date = refs
            .first()
            .map(|r| idx.meeting(r.meeting_ref()))
            .map(|m| m.date.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let json = to_json(&objects::Paper {
            id: paper_id,
            kind: kind("Paper"),
            body: self.id(&paths::body()),
            name: newest.map(|(_, _, o)| o.title.clone()).unwrap_or_default(),
            reference: k.as_str().to_string(),
            date: first_date,
            auxiliary_file: files,
            consultation: consultations,
            web: self.urls.abs(&k.path()),
            route,
        });
        put(paths::paper(k), json.clone())?;
        Ok(json)
    }
}

/// People from the committees' member lists: one per distinct name, sorted
/// by key, with their memberships in committee order.
fn persons(committees: &[Committee]) -> Vec<PersonRec<'_>> {
    let mut by_name: BTreeMap<&str, Vec<(&Committee, Option<&str>)>> = BTreeMap::new();
    for c in committees {
        for m in &c.members {
            let name = m.name.trim();
            if !name.is_empty() {
                by_name
                    .entry(name)
                    .or_default()
                    .push((c, m.role.as_deref()));
            }
        }
    }
    let mut by_slug: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for name in by_name.keys() {
        by_slug.entry(slugify(name)).or_default().push(name);
    }
    let mut out: Vec<PersonRec> = Vec::new();
    for (slug, names) in &by_slug {
        for name in names {
            // Names that only differ in what a URL cannot show get a hash
            // of the exact name, so that neither depends on the other.
            let key = if names.len() > 1 {
                format!("{slug}-{}", &short_hash(name)[..8])
            } else {
                slug.clone()
            };
            let mut memberships: Vec<MembershipRec> = Vec::new();
            for (c, role) in &by_name[name] {
                let taken = memberships
                    .iter()
                    .filter(|m| m.committee.slug == c.slug)
                    .count();
                let mkey = if taken == 0 {
                    key.clone()
                } else {
                    format!("{key}-{}", taken + 1)
                };
                memberships.push(MembershipRec {
                    committee: c,
                    key: mkey,
                    role: *role,
                });
            }
            out.push(PersonRec {
                key,
                name,
                memberships,
            });
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

/// A URL segment from a name: `Søren Ærø` → `soeren-aeroe`.
fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'æ' | 'ä' => out.push_str("ae"),
            'ø' | 'ö' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            'ü' => out.push_str("ue"),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'á' | 'à' | 'â' => out.push('a'),
            'í' | 'ì' | 'ï' => out.push('i'),
            'ó' | 'ò' | 'ô' => out.push('o'),
            'ú' | 'ù' => out.push('u'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {
                if !out.ends_with('-') {
                    out.push('-');
                }
            }
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "person".to_string()
    } else {
        out
    }
}

/// 16 hex digits of SHA-256: a stable file name for free text.
fn short_hash(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_slugs() {
        assert_eq!(slugify("Søren Ærø"), "soeren-aeroe");
        assert_eq!(slugify("  Anne-Marie  Ågård "), "anne-marie-aagaard");
        assert_eq!(slugify("李"), "person");
    }
}
