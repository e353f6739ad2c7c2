//! Files for subscribers and machines: Atom feeds, iCalendar calendars,
//! the sitemap and robots.txt.
//!
//! Everything here is made from the public model (closed items are only
//! their number, public title and public decision there) and from content
//! dates only, so two builds of the same content give the same bytes.
//!
//! | file | what |
//! | --- | --- |
//! | `feed.atom` | the newest agendas, minutes and cancellations of the site |
//! | `<committee>/feed.atom` | the same for one committee |
//! | `sager/<case>/feed.atom` | every public item of one case |
//! | `kalender.ics` (`calendar.ics` in English) | every meeting |
//! | `<committee>/kalender.ics` | a committee's meetings |
//! | `sitemap.xml` (+ `sitemap-N.xml`) | every page |
//! | `robots.txt` | points at the sitemap, unless the site has its own |

pub mod atom;
pub mod ical;
pub mod links;
pub mod sitemap;
pub mod xml;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use crate::config::Language;
use crate::error::BuildError;
use crate::model::{CaseNumber, Committee, Meeting};
use crate::output::{Content, Sink};
use crate::render::i18n::{self, Strings};
use crate::render::merge_errors;
use crate::render::theme::Theme;
use crate::site_index::SiteIndex;
use crate::urls::SiteUrls;

/// Entries in the site's and each committee's feed: the newest meetings.
pub const FEED_ENTRIES: usize = 50;

/// What every feed and calendar writer needs.
pub struct FeedSite<'a> {
    pub idx: &'a SiteIndex<'a>,
    pub urls: SiteUrls,
    pub t: &'static Strings,
    pub lang: Language,
    /// The language of the minutes where it is not the interface's
    /// (`Config::content_lang`): marked on what is content.
    pub content_lang: Option<&'static str>,
    pub site_title: &'a str,
}

impl<'a> FeedSite<'a> {
    pub fn new(idx: &'a SiteIndex<'a>) -> Self {
        let config = &idx.site.config;
        FeedSite {
            idx,
            urls: SiteUrls::new(config),
            t: i18n::strings(config.language),
            lang: config.language,
            content_lang: config.content_lang(),
            site_title: &config.title,
        }
    }
}

/// One output file of this stage; each renders on its own, in parallel.
enum Job<'a> {
    SiteFeed,
    CommitteeFeed(usize),
    CaseFeed(&'a CaseNumber),
    SiteCalendar,
    CommitteeCalendar(usize),
}

/// A meeting folder by its names, `(committee folder, meeting folder)`:
/// what `serve` knows of a change.
pub type MeetingKey = (String, String);

/// Whether to write robots.txt: not when the site ships its own.
pub fn robots_wanted(theme: &Theme) -> bool {
    !theme.static_files.contains_key(sitemap::ROBOTS)
}

/// Every meeting's calendar event ([`ical::event_text`]), by committee and
/// meeting folder: the site's calendar and the committee's list the same
/// event. `serve` keeps them, so that an update renders the events of the
/// changed meetings only and joins the rest (on a 100,000-item archive the
/// site's calendar is 8 MB, and rendering it was most of an update).
#[derive(Default)]
pub struct Events {
    by_committee: HashMap<String, HashMap<String, String>>,
}

impl Events {
    /// The event of every meeting of the site.
    fn of_site(site: &FeedSite<'_>) -> Events {
        let idx = site.idx;
        let rendered: Vec<(usize, &str, String)> = idx
            .meetings_by_date
            .par_iter()
            .map(|r| {
                let m = idx.meeting(*r);
                let text = ical::event_text(site, idx.committee(r.committee), m);
                (r.committee, m.folder.as_str(), text)
            })
            .collect();
        let mut events = Events::default();
        for (ci, folder, text) in rendered {
            events
                .by_committee
                .entry(idx.committee(ci).slug.clone())
                .or_default()
                .insert(folder.to_string(), text);
        }
        events
    }

    /// Follows a change of the meeting folders `meetings` to `site`.
    fn update(&mut self, site: &FeedSite<'_>, meetings: &BTreeSet<MeetingKey>) {
        for (c, f) in meetings {
            if let Some(folders) = self.by_committee.get_mut(c) {
                folders.remove(f);
            }
            if let Some(r) = site.idx.meeting_by_folder(c, f) {
                let text =
                    ical::event_text(site, site.idx.committee(r.committee), site.idx.meeting(r));
                self.by_committee
                    .entry(c.clone())
                    .or_default()
                    .insert(f.clone(), text);
            }
        }
    }

    /// The event of meeting `m` of committee `c` (rendered, should it be
    /// missing).
    fn get<'s>(&'s self, site: &FeedSite<'_>, c: &Committee, m: &Meeting) -> Cow<'s, str> {
        match self
            .by_committee
            .get(&c.slug)
            .and_then(|f| f.get(&m.folder))
        {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(ical::event_text(site, c, m)),
        }
    }
}

/// Writes every feed, calendar, the sitemap and (when `robots`) robots.txt.
pub fn render(
    idx: &SiteIndex<'_>,
    feeds: bool,
    robots: bool,
    sink: &dyn Sink,
) -> Result<(), BuildError> {
    render_keeping(idx, feeds, robots, sink).map(|_| ())
}

/// [`render`], keeping what [`update_keeping`] needs.
pub fn render_keeping(
    idx: &SiteIndex<'_>,
    feeds: bool,
    robots: bool,
    sink: &dyn Sink,
) -> Result<Events, BuildError> {
    let site = FeedSite::new(idx);
    let mut events = Events::default();
    if feeds {
        events = Events::of_site(&site);
        let mut jobs = vec![Job::SiteFeed, Job::SiteCalendar];
        for ci in 0..idx.site.committees.len() {
            jobs.push(Job::CommitteeFeed(ci));
            jobs.push(Job::CommitteeCalendar(ci));
        }
        jobs.extend(idx.cases.keys().map(Job::CaseFeed));
        run(&site, &jobs, &events, sink)?;
    }
    write_sitemap(&site, &crate::render::page_folders(idx), sink)?;
    if robots {
        sink.put(
            sitemap::ROBOTS.to_string(),
            Content::Bytes(sitemap::robots(&site.urls).into_bytes()),
        )?;
    }
    Ok(events)
}

/// Follows a change of some meeting folders (added, edited or removed;
/// committees, pages, config and theme the same) for `serve`: writes every
/// file of this stage the change affects into `sink`, and returns the files
/// it no longer produces. The result equals a full [`render`] of `new`.
pub fn update(
    old: &SiteIndex<'_>,
    new: &SiteIndex<'_>,
    meetings: &BTreeSet<MeetingKey>,
    sink: &dyn Sink,
) -> Result<Vec<String>, BuildError> {
    let mut events = Events::of_site(&FeedSite::new(old));
    update_keeping(&mut events, old, new, meetings, true, true, sink)
}

/// [`update`] with the events kept by [`render_keeping`] (or the last
/// update), which it brings up to date; feeds and calendars only when
/// `feeds` (the site's `[outputs]`), and the sitemap only when
/// `pages_changed`: it lists every page of the site and nothing else, so
/// when the change adds or removes no page it stays as it is (and on a
/// 100,000-item archive it is the slowest part of an update).
pub fn update_keeping(
    events: &mut Events,
    old: &SiteIndex<'_>,
    new: &SiteIndex<'_>,
    meetings: &BTreeSet<MeetingKey>,
    feeds: bool,
    pages_changed: bool,
    sink: &dyn Sink,
) -> Result<Vec<String>, BuildError> {
    let site = FeedSite::new(new);
    let mut removed = Vec::new();
    if feeds {
        events.update(&site, meetings);
        removed = update_feeds(&site, old, new, meetings, events, sink)?;
    }
    if !pages_changed {
        return Ok(removed);
    }
    let old_site = FeedSite::new(old);
    let before: BTreeSet<String> = sitemap::files(
        &old_site.urls,
        &crate::render::page_folders(old),
        sitemap::MAX_URLS,
    )
    .into_iter()
    .map(|(path, _)| path)
    .collect();
    let after = write_sitemap(&site, &crate::render::page_folders(new), sink)?;
    removed.extend(before.into_iter().filter(|p| !after.contains(p)));
    Ok(removed)
}

/// The feeds and calendars a change of some meeting folders affects: the
/// site's calendar, the committees' of those meetings, the cases of their
/// items, and the site's and those committees' feeds when a changed
/// meeting is (or was) among their newest [`FEED_ENTRIES`].
fn update_feeds(
    site: &FeedSite<'_>,
    old: &SiteIndex<'_>,
    new: &SiteIndex<'_>,
    meetings: &BTreeSet<MeetingKey>,
    events: &Events,
    sink: &dyn Sink,
) -> Result<Vec<String>, BuildError> {
    // The site's calendar shows every meeting.
    let mut jobs = vec![Job::SiteCalendar];
    let newest = |idx: &SiteIndex<'_>| {
        idx.meetings_by_date
            .iter()
            .rev()
            .take(FEED_ENTRIES)
            .any(|r| changed(meetings, idx.committee(r.committee), idx.meeting(*r)))
    };
    if newest(old) || newest(new) {
        jobs.push(Job::SiteFeed);
    }
    let committees: BTreeSet<&str> = meetings.iter().map(|(c, _)| c.as_str()).collect();
    for (ci, c) in new.site.committees.iter().enumerate() {
        if committees.contains(c.slug.as_str()) {
            let newest = |c: &Committee| {
                c.meetings
                    .iter()
                    .rev()
                    .take(FEED_ENTRIES)
                    .any(|m| changed(meetings, c, m))
            };
            let old_c = old.site.committees.iter().find(|o| o.slug == c.slug);
            if newest(c) || old_c.is_some_and(newest) {
                jobs.push(Job::CommitteeFeed(ci));
            }
            jobs.push(Job::CommitteeCalendar(ci));
        }
    }
    let mut cases = cases_in(old, meetings);
    cases.extend(cases_in(new, meetings));
    let mut removed = Vec::new();
    for k in &cases {
        match new.cases.get_key_value(k) {
            Some((k, _)) => jobs.push(Job::CaseFeed(k)),
            None => removed.push(links::case_feed(k)),
        }
    }
    run(site, &jobs, events, sink)?;
    Ok(removed)
}

/// Whether meeting `m` of committee `c` is in a changed folder.
fn changed(meetings: &BTreeSet<MeetingKey>, c: &Committee, m: &Meeting) -> bool {
    meetings
        .iter()
        .any(|(mc, mf)| *mc == c.slug && *mf == m.folder)
}

/// The case numbers of the open items of some meetings.
pub fn cases_in(idx: &SiteIndex<'_>, meetings: &BTreeSet<MeetingKey>) -> BTreeSet<CaseNumber> {
    meetings
        .iter()
        .filter_map(|(c, f)| idx.meeting_by_folder(c, f))
        .flat_map(|r| idx.meeting(r).items.iter())
        .filter_map(|i| i.as_open().and_then(|o| o.case.clone()))
        .collect()
}

fn run(site: &FeedSite, jobs: &[Job], events: &Events, sink: &dyn Sink) -> Result<(), BuildError> {
    let errors: Vec<BuildError> = jobs
        .par_iter()
        .filter_map(|job| {
            let (path, text) = render_job(site, job, events);
            sink.put(path, Content::Bytes(text.into_bytes())).err()
        })
        .collect();
    merge_errors(errors)
}

/// Writes the sitemap of `pages`; returns the paths of its files.
fn write_sitemap(
    site: &FeedSite,
    pages: &[String],
    sink: &dyn Sink,
) -> Result<BTreeSet<String>, BuildError> {
    let mut paths = BTreeSet::new();
    for (path, text) in sitemap::files(&site.urls, pages, sitemap::MAX_URLS) {
        paths.insert(path.clone());
        sink.put(path, Content::Bytes(text.into_bytes()))?;
    }
    Ok(paths)
}

fn render_job(site: &FeedSite, job: &Job, events: &Events) -> (String, String) {
    let idx = site.idx;
    let t = site.t;
    match job {
        Job::SiteFeed => {
            let mut entries: Vec<atom::Entry> = idx
                .meetings_by_date
                .iter()
                .rev()
                .take(FEED_ENTRIES)
                .map(|r| atom::meeting_entry(site, idx.committee(r.committee), idx.meeting(*r)))
                .collect();
            atom::sort_entries(&mut entries);
            let feed = atom::Feed {
                title: format!("{} – {}", t.feed_title, site.site_title),
                self_url: site.urls.abs(links::SITE_FEED),
                page_url: site.urls.abs(""),
                entries,
            };
            (links::SITE_FEED.to_string(), atom::write(site, &feed))
        }
        Job::CommitteeFeed(ci) => {
            let c = idx.committee(*ci);
            let mut entries: Vec<atom::Entry> = c
                .meetings
                .iter()
                .rev()
                .take(FEED_ENTRIES)
                .map(|m| atom::meeting_entry(site, c, m))
                .collect();
            atom::sort_entries(&mut entries);
            let path = links::committee_feed(c);
            let feed = atom::Feed {
                title: format!("{} – {}", t.feed_title, c.name),
                self_url: site.urls.abs(&path),
                page_url: site.urls.abs(&format!("{}/", c.slug)),
                entries,
            };
            (path, atom::write(site, &feed))
        }
        Job::CaseFeed(k) => {
            let refs = idx.cases.get(k).unwrap_or(&[]);
            let mut entries: Vec<atom::Entry> = refs
                .iter()
                .map(|r| {
                    let (c, m, item) = idx.item(*r);
                    atom::case_item_entry(site, c, m, item)
                })
                .collect();
            atom::sort_entries(&mut entries);
            // The case's newest title, as its page shows it.
            let title = refs
                .last()
                .map(|r| idx.item(*r).2.title.as_str())
                .unwrap_or_default();
            let path = links::case_feed(k);
            let feed = atom::Feed {
                title: format!("{} {} – {title}", t.case, k.as_str()),
                self_url: site.urls.abs(&path),
                page_url: site.urls.abs(&k.path()),
                entries,
            };
            (path, atom::write(site, &feed))
        }
        Job::SiteCalendar => {
            let path = links::site_calendar(site.lang);
            let meetings: Vec<Cow<str>> = idx
                .meetings_by_date
                .iter()
                .map(|r| events.get(site, idx.committee(r.committee), idx.meeting(*r)))
                .collect();
            let name = format!("{} – {}", t.meetings, site.site_title);
            let page = site
                .urls
                .abs(&format!("{}/", i18n::calendar_dir(site.lang)));
            let events = meetings.iter().map(|e| e.as_ref());
            (path, ical::join(site, &name, &page, events))
        }
        Job::CommitteeCalendar(ci) => {
            let c = idx.committee(*ci);
            let path = links::committee_calendar(c, site.lang);
            let name = format!("{} – {}", t.meetings, c.name);
            let page = site.urls.abs(&format!("{}/", c.slug));
            let meetings: Vec<Cow<str>> =
                c.meetings.iter().map(|m| events.get(site, c, m)).collect();
            let events = meetings.iter().map(|e| e.as_ref());
            (path, ical::join(site, &name, &page, events))
        }
    }
}
