//! Where feeds and calendars are published, and the links pages show to
//! them. Writers and templates both take paths from here, so a link can
//! never point beside its file.

use serde::Serialize;

use crate::config::Language;
use crate::model::{CaseNumber, Committee};
use crate::render::i18n::{self, Strings};
use crate::render::views::Links;
use crate::urls::SiteUrls;

/// Every new agenda and minutes of the site.
pub const SITE_FEED: &str = "feed.atom";
const FEED_FILE: &str = "feed.atom";

pub fn committee_feed(c: &Committee) -> String {
    format!("{}/{FEED_FILE}", c.slug)
}

pub fn case_feed(k: &CaseNumber) -> String {
    format!("{}{FEED_FILE}", k.path())
}

/// `kalender.ics` (or `calendar.ics` on an English site), beside the
/// calendar pages' folder of the same name.
pub fn site_calendar(lang: Language) -> String {
    format!("{}.ics", i18n::calendar_dir(lang))
}

pub fn committee_calendar(c: &Committee, lang: Language) -> String {
    format!("{}/{}.ics", c.slug, i18n::calendar_dir(lang))
}

/// `<link rel="alternate" type="application/atom+xml">` in a page's head.
#[derive(Debug, Serialize)]
pub struct FeedLink {
    pub title: String,
    pub url: String,
}

/// The visible subscription box of a page.
#[derive(Debug, Serialize)]
pub struct Subscribe {
    pub intro: &'static str,
    /// The committee the links are for, shown after each label: content,
    /// in the minutes' language.
    pub name: Option<String>,
    pub feed_label: String,
    pub feed_url: String,
    pub calendar: Option<CalendarLink>,
}

#[derive(Debug, Serialize)]
pub struct CalendarLink {
    pub label: String,
    /// `webcal://…`: calendar apps subscribe (and keep updating) from it.
    pub webcal: String,
    /// The same file over http(s), for apps that want a URL pasted or a file.
    pub url: String,
}

/// Builds page links to feeds and calendars.
pub struct FeedLinks<'a> {
    pub links: &'a Links,
    pub urls: &'a SiteUrls,
    pub site_title: &'a str,
}

impl FeedLinks<'_> {
    fn t(&self) -> &'static Strings {
        self.links.t
    }

    pub fn site(&self) -> FeedLink {
        FeedLink {
            title: format!("{} – {}", self.t().feed_title, self.site_title),
            url: self.links.url(SITE_FEED),
        }
    }

    pub fn committee(&self, c: &Committee) -> FeedLink {
        FeedLink {
            title: format!("{} – {}", self.t().feed_title, c.name),
            url: self.links.url(&committee_feed(c)),
        }
    }

    pub fn case(&self, k: &CaseNumber) -> FeedLink {
        FeedLink {
            title: format!("{} {}", self.t().case, k.as_str()),
            url: self.links.url(&case_feed(k)),
        }
    }

    pub fn subscribe_site(&self) -> Subscribe {
        let cal = site_calendar(self.links.lang);
        Subscribe {
            intro: self.t().subscribe_intro,
            name: None,
            feed_label: self.t().subscribe_feed.to_string(),
            feed_url: self.links.url(SITE_FEED),
            calendar: Some(CalendarLink {
                label: self.t().subscribe_calendar.to_string(),
                webcal: self.urls.webcal(&cal),
                url: self.links.url(&cal),
            }),
        }
    }

    pub fn subscribe_committee(&self, c: &Committee) -> Subscribe {
        let cal = committee_calendar(c, self.links.lang);
        // Named, so that they differ from the site-wide links in the footer.
        Subscribe {
            intro: self.t().subscribe_intro,
            name: Some(c.name.clone()),
            feed_label: self.t().subscribe_feed.to_string(),
            feed_url: self.links.url(&committee_feed(c)),
            calendar: Some(CalendarLink {
                label: self.t().subscribe_calendar.to_string(),
                webcal: self.urls.webcal(&cal),
                url: self.links.url(&cal),
            }),
        }
    }

    pub fn subscribe_case(&self, k: &CaseNumber) -> Subscribe {
        Subscribe {
            intro: self.t().subscribe_case_intro,
            name: None,
            feed_label: format!("{} {} (Atom)", self.t().subscribe_case, k.as_str()),
            feed_url: self.links.url(&case_feed(k)),
            calendar: None,
        }
    }
}
