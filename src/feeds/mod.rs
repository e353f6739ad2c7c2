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

use rayon::prelude::*;

use crate::config::Language;
use crate::error::BuildError;
use crate::output::{Content, Sink};
use crate::render::i18n::{self, Strings};
use crate::render::merge_errors;
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
            site_title: &config.title,
        }
    }
}

/// One output file of this stage; each renders on its own, in parallel.
enum Job<'a> {
    SiteFeed,
    CommitteeFeed(usize),
    CaseFeed(&'a crate::model::CaseNumber),
    SiteCalendar,
    CommitteeCalendar(usize),
}

/// Writes every feed, calendar and the sitemap. `pages` are the folders of
/// the pages written (from [`sitemap::PageRecorder`]); `robots` is false
/// when the site ships its own robots.txt.
pub fn render(
    idx: &SiteIndex<'_>,
    pages: &[String],
    robots: bool,
    sink: &dyn Sink,
) -> Result<(), BuildError> {
    let site = FeedSite::new(idx);
    let mut jobs = vec![Job::SiteFeed, Job::SiteCalendar];
    for ci in 0..idx.site.committees.len() {
        jobs.push(Job::CommitteeFeed(ci));
        jobs.push(Job::CommitteeCalendar(ci));
    }
    jobs.extend(idx.cases.keys().map(Job::CaseFeed));
    let errors: Vec<BuildError> = jobs
        .par_iter()
        .filter_map(|job| {
            let (path, text) = render_job(&site, job);
            sink.put(path, Content::Bytes(text.into_bytes())).err()
        })
        .collect();
    merge_errors(errors)?;
    for (path, text) in sitemap::files(&site.urls, pages, sitemap::MAX_URLS) {
        sink.put(path, Content::Bytes(text.into_bytes()))?;
    }
    if robots {
        sink.put(
            sitemap::ROBOTS.to_string(),
            Content::Bytes(sitemap::robots(&site.urls).into_bytes()),
        )?;
    }
    Ok(())
}

fn render_job(site: &FeedSite, job: &Job) -> (String, String) {
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
            let refs = idx.cases.get(*k).map(Vec::as_slice).unwrap_or(&[]);
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
            let meetings = idx
                .meetings_by_date
                .iter()
                .map(|r| (idx.committee(r.committee), idx.meeting(*r)));
            let name = format!("{} – {}", t.meetings, site.site_title);
            let page = site
                .urls
                .abs(&format!("{}/", i18n::calendar_dir(site.lang)));
            (path, ical::write(site, &name, &page, meetings))
        }
        Job::CommitteeCalendar(ci) => {
            let c = idx.committee(*ci);
            let path = links::committee_calendar(c, site.lang);
            let name = format!("{} – {}", t.meetings, c.name);
            let page = site.urls.abs(&format!("{}/", c.slug));
            (
                path,
                ical::write(site, &name, &page, c.meetings.iter().map(|m| (c, m))),
            )
        }
    }
}
