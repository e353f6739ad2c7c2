//! Rendering the model into HTML pages with the theme's Tera templates.

pub mod collate;
pub mod dates;
pub mod deps;
pub mod i18n;
pub mod stage;
pub mod structured_data;
pub mod template_errors;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::error::{BuildError, Diagnostic};
use crate::feeds::links::FeedLinks;
use crate::model::{CaseNumber, Committee, Item, Meeting, MeetingStatus, Site};
use crate::output::{Content, Sink};
use crate::site_index::{ItemRef, MeetingRef, SiteIndex};
use crate::urls::SiteUrls;
use theme::Theme;
use views::*;

/// How many years of meetings a committee's own page lists in full; older
/// years are on the year pages.
const COMMITTEE_PAGE_YEARS: usize = 3;
const LATEST_MINUTES: usize = 10;
/// Room for a page as it renders: most are 4 to 6 KB.
const PAGE_BYTES: usize = 8 * 1024;
/// Most pages one rayon task renders. Left to itself, rayon cuts the jobs
/// into a few long runs, and a thread that finishes early (the search
/// export's, or one of two rendering threads) finds nothing left to take:
/// the last fifth of a 100k-item build rendered on one core. Short runs
/// keep both busy to the end (bench/results/build.md, session 27).
const JOBS_PER_TASK: usize = 256;

/// One page to render. Jobs are independent so they render in parallel.
///
/// `serve` re-renders only the jobs a change affects: when a page starts to
/// show more of the model, update [`deps`] to match (the random-edit test in
/// tests/incremental.rs catches a rule that is missing).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Job {
    Front,
    Committee(usize),
    Year(usize, i32),
    Meeting(MeetingRef),
    Item(ItemRef),
    Case(CaseNumber),
    Calendar,
    CalendarYear(i32),
    Page(usize),
    Search,
    NotFound,
}

pub struct Renderer<'a> {
    pub idx: &'a SiteIndex<'a>,
    pub theme: &'a Theme,
    links: Links,
    urls: SiteUrls,
    base: Context,
    /// Each meeting as pages show it, by committee and meeting: pages show
    /// a meeting many times (its items, its cases, lists), its dates
    /// formatted once.
    meetings: Vec<Vec<ShownMeeting<'a>>>,
    /// Committees' own [`CHROME`] templates, rendered: (committee slug,
    /// variable) → HTML.
    committee_chrome: BTreeMap<(&'a str, &'static str), String>,
}

/// The parts of every page that show only site-wide values: the variable
/// base.html shows each as, and its template. They are rendered once per
/// build, not once per page: their lookups were ~6% of a build's
/// instructions.
const CHROME: [(&str, &str); 2] = [
    ("site_header", "header.html"),
    ("site_footer", "footer.html"),
];

/// A meeting as pages show it: its view for the templates, and the Event
/// its items' JSON-LD is part of.
struct ShownMeeting<'a> {
    view: MeetingView<'a>,
    event: structured_data::PartOfEvent<'a>,
}

#[derive(Serialize)]
struct Crumb {
    title: String,
    url: String,
    /// The title is content (a committee's name), not interface text: it
    /// carries the content's language.
    content: bool,
}

impl Crumb {
    fn committee(l: &Links, c: &Committee) -> Crumb {
        Crumb {
            title: c.name.clone(),
            url: l.url(&format!("{}/", c.slug)),
            content: true,
        }
    }
}

impl<'a> Renderer<'a> {
    pub fn new(idx: &'a SiteIndex<'a>, theme: &'a Theme) -> Result<Self, BuildError> {
        let site = idx.site;
        let lang = site.config.language;
        let t = i18n::strings(lang);
        let links = Links {
            root: site.config.root_path(),
            lang,
            t,
        };
        let mut base = Context::new();
        base.insert("t", t);
        base.insert("lang", lang.code());
        // Empty when the content is in the interface's language: the
        // templates then add no `lang` at all.
        base.insert(
            "content_lang",
            site.config.content_lang().unwrap_or_default(),
        );
        base.insert("root", &links.root);
        base.insert("site_title", &site.config.title);
        base.insert("base_url", &site.config.base_url);
        let outputs = site.config.outputs;
        // An empty URL tells the templates to leave the link out.
        let search_url = if outputs.search {
            links.url(&format!("{}/", i18n::search_dir(lang)))
        } else {
            String::new()
        };
        base.insert("search_url", &search_url);
        base.insert(
            "search_index_url",
            &links.url(&crate::search::export::index_dir(site)),
        );
        let client = i18n::search_client(lang);
        base.insert(
            "search_i18n",
            &serde_json::to_string(&client).unwrap_or_default(),
        );
        // The search box on every page only offers typeahead: it gets just
        // those strings, not the search page's whole set.
        base.insert(
            "search_box_i18n",
            &serde_json::json!({
                "suggestions": client.suggestions,
                "suggestions_one": client.suggestions_one,
                "suggestions_many": client.suggestions_many,
            })
            .to_string(),
        );
        base.insert(
            "calendar_url",
            &links.url(&format!("{}/", i18n::calendar_dir(lang))),
        );
        let accessibility = site
            .pages
            .iter()
            .find(|p| is_accessibility_statement(&p.slug))
            .map(|p| Link {
                title: p.title.clone(),
                url: links.url(&p.path()),
            });
        base.insert("accessibility", &accessibility);
        let footer_pages: Vec<Link> = site
            .pages
            .iter()
            .filter(|p| !is_accessibility_statement(&p.slug))
            .map(|p| Link {
                title: p.title.clone(),
                url: links.url(&p.path()),
            })
            .collect();
        base.insert("footer_pages", &footer_pages);
        let open_data_url = if outputs.oparl {
            links.url(&crate::oparl::paths::system())
        } else {
            String::new()
        };
        base.insert("open_data_url", &open_data_url);
        base.insert(
            "og_locale",
            match lang {
                crate::config::Language::Danish => "da_DK",
                crate::config::Language::English => "en_GB",
            },
        );
        let urls = SiteUrls::new(&site.config);
        let site_feed = FeedLinks {
            links: &links,
            urls: &urls,
            site_title: &site.config.title,
        }
        .site();
        if outputs.feeds {
            base.insert("site_feed_url", &site_feed.url);
            base.insert("feeds", &[site_feed]);
        } else {
            base.insert("site_feed_url", "");
            base.insert("feeds", &Vec::<()>::new());
        }
        let meetings = site
            .committees
            .iter()
            .map(|c| {
                let name = format!("{} {}", links.t.meeting_of, c.name);
                // A committee's meetings are in date order: those on one
                // day are neighbours.
                let same_day = |i: usize, j: Option<usize>| {
                    j.and_then(|j| c.meetings.get(j))
                        .is_some_and(|o| o.date == c.meetings[i].date)
                };
                c.meetings
                    .iter()
                    .enumerate()
                    .map(|(i, m)| ShownMeeting {
                        view: MeetingView::new(
                            &links,
                            c,
                            m,
                            same_day(i, i.checked_sub(1)) || same_day(i, Some(i + 1)),
                        ),
                        event: structured_data::part_of_event(&urls, name.clone(), c, m),
                    })
                    .collect()
            })
            .collect();
        let mut renderer = Renderer {
            idx,
            theme,
            links,
            urls,
            base,
            meetings,
            committee_chrome: BTreeMap::new(),
        };
        for (var, template) in CHROME {
            let html = renderer.tera_render_string(template, &renderer.base)?;
            renderer.base.insert(var, &html);
            for c in &site.committees {
                let own = theme.pick(Some(&c.slug), template);
                if own != template {
                    let html = renderer.tera_render_string(&own, &renderer.base)?;
                    renderer
                        .committee_chrome
                        .insert((c.slug.as_str(), var), html);
                }
            }
        }
        Ok(renderer)
    }

    /// Every page of the site.
    pub fn all_jobs(&self) -> Vec<Job> {
        all_jobs(self.idx)
    }

    /// Renders `jobs` in parallel into `sink`. All template errors are collected.
    pub fn render_jobs(&self, jobs: &[Job], sink: &dyn Sink) -> Result<(), BuildError> {
        let errors: Vec<BuildError> = jobs
            .par_iter()
            .with_max_len(JOBS_PER_TASK)
            .map_init(
                || ThreadContext::new(&self.base),
                |thread, job| {
                    let (path, html) =
                        match self.render_in(job, &mut PageContext::new(thread, &self.base)) {
                            Ok(x) => x,
                            Err(e) => return Some(e),
                        };
                    sink.put(path, Content::Bytes(html)).err()
                },
            )
            .flatten()
            .collect();
        merge_errors(errors)
    }

    /// A page's bytes, written straight into a buffer: no copies as it
    /// grows, and no check that they are UTF-8 (Tera writes only strings).
    fn tera_render(&self, template: &str, ctx: &Context) -> Result<Vec<u8>, BuildError> {
        let mut out = Vec::with_capacity(PAGE_BYTES);
        self.theme
            .tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| self.theme.error(&e))?;
        Ok(out)
    }

    fn tera_render_string(&self, template: &str, ctx: &Context) -> Result<String, BuildError> {
        self.theme
            .tera
            .render(template, ctx)
            .map_err(|e| self.theme.error(&e))
    }

    fn crumbs(&self, list: Vec<Crumb>) -> Vec<Crumb> {
        let mut out = vec![Crumb {
            title: self.links.t.front_page.to_string(),
            url: self.links.url(""),
            content: false,
        }];
        out.extend(list);
        out
    }

    /// Renders one page: its output path and HTML.
    pub fn render(&self, job: &Job) -> Result<(String, Vec<u8>), BuildError> {
        let mut thread = ThreadContext::new(&self.base);
        self.render_in(job, &mut PageContext::new(&mut thread, &self.base))
    }

    fn render_in(
        &self,
        job: &Job,
        ctx: &mut PageContext<'_>,
    ) -> Result<(String, Vec<u8>), BuildError> {
        let l = &self.links;
        let t = l.t;
        let idx = self.idx;
        let site = idx.site;
        let (path, template, committee): (String, &'static str, Option<&str>) = match job {
            Job::Front => {
                let upcoming: Vec<&MeetingView> = idx
                    .meetings_by_date
                    .iter()
                    .filter(|r| idx.meeting(**r).status == MeetingStatus::Agenda)
                    .map(|r| self.meeting_view(*r))
                    .collect();
                let latest: Vec<&MeetingView> = idx
                    .meetings_by_date
                    .iter()
                    .rev()
                    .filter(|r| idx.meeting(**r).status == MeetingStatus::Minutes)
                    .take(LATEST_MINUTES)
                    .map(|r| self.meeting_view(*r))
                    .collect();
                let committees: Vec<CommitteeView> = site
                    .committees
                    .iter()
                    .map(|c| CommitteeView::new(l, c))
                    .collect();
                ctx.insert("upcoming", &upcoming);
                ctx.insert("latest", &latest);
                ctx.insert("committees", &committees);
                ctx.insert("page_title", &site.config.title);
                ctx.insert(
                    "description",
                    &format!("{} – {}", t.site_description, site.config.title),
                );
                (String::new(), "index.html", None)
            }
            Job::Committee(ci) => {
                let c = idx.committee(*ci);
                let by_year = self.meetings_by_year(*ci, None);
                let all_years: Vec<Link> = by_year
                    .iter()
                    .map(|(y, _)| Link {
                        title: y.to_string(),
                        url: l.url(&format!("{}/{y}/", c.slug)),
                    })
                    .collect();
                let shown: Vec<_> = by_year.into_iter().take(COMMITTEE_PAGE_YEARS).collect();
                ctx.insert_kept("committee", MadeFrom::Committee(*ci), || {
                    CommitteeView::new(l, c)
                });
                ctx.insert("members", &c.members);
                ctx.insert(
                    "years",
                    &shown
                        .iter()
                        .map(|(y, m)| YearGroup {
                            year: *y,
                            meetings: m,
                        })
                        .collect::<Vec<_>>(),
                );
                ctx.insert("all_years", &all_years);
                ctx.insert("page_title", &c.name);
                let about = excerpt(c.description_text.trim(), 200);
                ctx.insert(
                    "description",
                    &if about.is_empty() {
                        format!("{} {}", t.committee_description, c.name)
                    } else {
                        about
                    },
                );
                ctx.insert("breadcrumbs", &self.crumbs(vec![]));
                (
                    format!("{}/", c.slug),
                    "committee.html",
                    Some(c.slug.as_str()),
                )
            }
            Job::Year(ci, year) => {
                let c = idx.committee(*ci);
                let by_year = self.meetings_by_year(*ci, Some(*year));
                let all_years: Vec<Link> = self
                    .meetings_by_year(*ci, None)
                    .iter()
                    .map(|(y, _)| Link {
                        title: y.to_string(),
                        url: l.url(&format!("{}/{y}/", c.slug)),
                    })
                    .collect();
                ctx.insert_kept("committee", MadeFrom::Committee(*ci), || {
                    CommitteeView::new(l, c)
                });
                ctx.insert("year", year);
                ctx.insert(
                    "meetings",
                    &by_year.first().map(|(_, m)| m).unwrap_or(&Vec::new()),
                );
                ctx.insert("all_years", &all_years);
                ctx.insert("page_title", &format!("{} {year} – {}", t.meetings, c.name));
                ctx.insert("breadcrumbs", &self.crumbs(vec![Crumb::committee(l, c)]));
                (
                    format!("{}/{year}/", c.slug),
                    "year.html",
                    Some(c.slug.as_str()),
                )
            }
            Job::Meeting(r) => {
                let c = idx.committee(r.committee);
                let m = idx.meeting(*r);
                let view = self.meeting_view(*r);
                let rows: Vec<AgendaRow> =
                    m.items.iter().map(|i| AgendaRow::new(l, m, i)).collect();
                let heading = if view.cancelled {
                    t.cancelled_meeting
                } else {
                    view.status_label
                };
                let page_title = format!("{heading} {} – {}", view.date_label, c.name);
                ctx.insert(
                    "description",
                    &format!(
                        "{} {}: {}",
                        view.status_label,
                        c.name,
                        meeting_summary(t, l.lang, m)
                    ),
                );
                ctx.insert(
                    "json_ld",
                    &structured_data::script_json(&structured_data::meeting_event(
                        &self.urls,
                        site.config.content_language,
                        &format!("{} {}", t.meeting_of, c.name),
                        c,
                        m,
                    )),
                );
                ctx.insert("page_title", &page_title);
                ctx.insert_kept("committee", MadeFrom::Committee(r.committee), || {
                    CommitteeView::new(l, c)
                });
                ctx.insert_kept("meeting", MadeFrom::Meeting(*r), || view);
                ctx.insert("items", &rows);
                ctx.insert("breadcrumbs", &self.crumbs(vec![Crumb::committee(l, c)]));
                (m.path(), "meeting.html", Some(c.slug.as_str()))
            }
            Job::Item(r) => {
                let (c, m, item) = idx.item(*r);
                let shown = self.shown_meeting(r.meeting_ref());
                let meeting_view = &shown.view;
                let open: Vec<_> = m.items.iter().filter_map(Item::as_open).collect();
                let pos = open
                    .iter()
                    .position(|o| o.number == item.number)
                    .unwrap_or(0);
                let neighbour = |o: Option<&&crate::model::OpenItem>| {
                    o.map(|o| Link {
                        title: format!("{}. {}", o.number, o.title),
                        url: l.url(&o.path(m)),
                    })
                };
                let prev = neighbour(pos.checked_sub(1).and_then(|p| open.get(p)));
                let next = neighbour(open.get(pos + 1));
                let case = item.case.as_ref().map(|k| {
                    let count = idx.cases.get(k).map_or(0, <[ItemRef]>::len);
                    CaseLink {
                        number: k.as_str().to_string(),
                        url: l.url(&k.path()),
                        items: count,
                    }
                });
                let attachments: Vec<AttachmentView> = item
                    .attachments
                    .iter()
                    .map(|a| AttachmentView::new(l, m, a))
                    .collect();
                let description = item
                    .decision()
                    .or_else(|| item.sections.first())
                    .map(|s| excerpt(&s.text, 200))
                    .unwrap_or_default();
                ctx.insert(
                    "page_title",
                    &format!("{} – {} {}", item.title, c.name, meeting_view.date_label),
                );
                ctx.insert(
                    "json_ld",
                    &structured_data::script_json(&structured_data::item_work(
                        &self.urls,
                        site.config.content_language,
                        &shown.event,
                        &description,
                        m,
                        item,
                    )),
                );
                ctx.insert("og_type", "article");
                ctx.insert("description", &description);
                ctx.insert_kept("committee", MadeFrom::Committee(r.committee), || {
                    CommitteeView::new(l, c)
                });
                ctx.insert_kept("meeting", MadeFrom::Meeting(r.meeting_ref()), || {
                    meeting_view
                });
                ctx.insert(
                    "item",
                    &ItemPage {
                        number: item.number,
                        title: &item.title,
                        case,
                        route: route(l, idx, *r, item),
                        sections: sections(item),
                        attachments,
                        has_decision: item.section(crate::model::SectionKind::Decision).is_some(),
                    },
                );
                ctx.insert("prev", &prev);
                ctx.insert("next", &next);
                ctx.insert(
                    "breadcrumbs",
                    &self.crumbs(vec![
                        Crumb::committee(l, c),
                        Crumb {
                            title: format!(
                                "{} {}",
                                meeting_view.status_label, meeting_view.date_label
                            ),
                            url: meeting_view.url.clone(),
                            content: false,
                        },
                    ]),
                );
                (item.path(m), "item.html", Some(c.slug.as_str()))
            }
            Job::Case(k) => {
                let refs = idx.cases.get(k).unwrap_or(&[]);
                let entries: Vec<CaseEntry> = refs
                    .iter()
                    .map(|r| {
                        let (_, m, o) = idx.item(*r);
                        let decision = o.decision();
                        CaseEntry {
                            title: &o.title,
                            url: l.url(&o.path(m)),
                            number: o.number,
                            meeting: self.meeting_view(r.meeting_ref()),
                            decision_heading: decision.and_then(|d| d.heading.as_deref()),
                            decision_html: decision.map(|d| d.html.as_str()),
                        }
                    })
                    .collect();
                let title = entries.last().map(|e| e.title).unwrap_or_default();
                ctx.insert("case_number", k.as_str());
                ctx.insert("case_title", title);
                ctx.insert(
                    "description",
                    &format!("{} {}: {title}", t.case, k.as_str()),
                );
                ctx.insert("entries", &entries);
                ctx.insert(
                    "page_title",
                    &format!("{} {} – {title}", t.case, k.as_str()),
                );
                ctx.insert("breadcrumbs", &self.crumbs(vec![]));
                (k.path(), "case.html", None)
            }
            Job::Calendar => {
                let mut years: BTreeMap<i32, usize> = BTreeMap::new();
                for r in &idx.meetings_by_date {
                    *years.entry(idx.meeting(*r).date.year()).or_default() += 1;
                }
                let years: Vec<YearCount> = years
                    .into_iter()
                    .rev()
                    .map(|(year, count)| YearCount {
                        year,
                        count,
                        count_label: i18n::count(count, t.meetings_one, t.meetings_many),
                        url: l.url(&format!("{}/{year}/", i18n::calendar_dir(l.lang))),
                    })
                    .collect();
                ctx.insert("years", &years);
                ctx.insert("page_title", t.calendar);
                ctx.insert("breadcrumbs", &self.crumbs(vec![]));
                (
                    format!("{}/", i18n::calendar_dir(l.lang)),
                    "calendar.html",
                    None,
                )
            }
            Job::CalendarYear(year) => {
                let mut months: BTreeMap<u32, Vec<&MeetingView>> = BTreeMap::new();
                for r in &idx.meetings_by_date {
                    let m = idx.meeting(*r);
                    if m.date.year() == *year {
                        months
                            .entry(m.date.month())
                            .or_default()
                            .push(self.meeting_view(*r));
                    }
                }
                let months: Vec<MonthGroup> = months
                    .into_iter()
                    .map(|(month, meetings)| MonthGroup {
                        name: dates::month_name(l.lang, month),
                        id: format!("m{month:02}"),
                        meetings,
                    })
                    .collect();
                ctx.insert("year", year);
                ctx.insert("months", &months);
                ctx.insert("page_title", &format!("{} {year}", t.calendar));
                ctx.insert(
                    "breadcrumbs",
                    &self.crumbs(vec![Crumb {
                        title: t.calendar.to_string(),
                        url: l.url(&format!("{}/", i18n::calendar_dir(l.lang))),
                        content: false,
                    }]),
                );
                (
                    format!("{}/{year}/", i18n::calendar_dir(l.lang)),
                    "calendar_year.html",
                    None,
                )
            }
            Job::Page(pi) => {
                let p = &site.pages[*pi];
                ctx.insert("page", p);
                ctx.insert("page_title", &p.title);
                ctx.insert("breadcrumbs", &self.crumbs(vec![]));
                (p.path(), "page.html", None)
            }
            Job::Search => {
                let committees: Vec<CommitteeView> = site
                    .committees
                    .iter()
                    .map(|c| CommitteeView::new(l, c))
                    .collect();
                let mut years: Vec<i32> = idx
                    .meetings_by_date
                    .iter()
                    .map(|r| idx.meeting(*r).date.year())
                    .collect();
                years.dedup();
                years.reverse();
                ctx.insert("committees", &committees);
                ctx.insert("years", &years);
                ctx.insert("page_title", t.search);
                ctx.insert("breadcrumbs", &self.crumbs(vec![]));
                (
                    format!("{}/", i18n::search_dir(l.lang)),
                    "search.html",
                    None,
                )
            }
            Job::NotFound => {
                ctx.insert("page_title", t.page_not_found);
                return Ok((
                    "404.html".to_string(),
                    self.tera_render("404.html", ctx.for_render())?,
                ));
            }
        };
        self.insert_feeds(job, ctx);
        ctx.insert("canonical", &self.urls.abs(&path));
        if let Some(slug) = committee
            && !self.committee_chrome.is_empty()
        {
            for (var, _) in CHROME {
                if let Some(html) = self.committee_chrome.get(&(slug, var)) {
                    ctx.insert(var, html);
                }
            }
        }
        let template = self.theme.pick(committee, template);
        let html = self.tera_render(&template, ctx.for_render())?;
        Ok((format!("{path}index.html"), html))
    }

    /// Feed links for the page's head and, on the pages people subscribe
    /// from, the visible subscription box.
    fn insert_feeds(&self, job: &Job, ctx: &mut PageContext<'_>) {
        let idx = self.idx;
        if !idx.site.config.outputs.feeds {
            ctx.insert("subscribe", &None::<()>);
            return;
        }
        let f = FeedLinks {
            links: &self.links,
            urls: &self.urls,
            site_title: &idx.site.config.title,
        };
        let mut feeds = Vec::new();
        let mut subscribe = None;
        match job {
            Job::Front | Job::Calendar => subscribe = Some(f.subscribe_site()),
            Job::Committee(ci) => {
                let c = idx.committee(*ci);
                feeds.push(f.committee(c));
                subscribe = Some(f.subscribe_committee(c));
            }
            Job::Year(ci, _) => feeds.push(f.committee(idx.committee(*ci))),
            Job::Meeting(r) => feeds.push(f.committee(idx.committee(r.committee))),
            Job::Item(r) => {
                let (c, _, item) = idx.item(*r);
                if let Some(k) = &item.case {
                    feeds.push(f.case(k));
                }
                feeds.push(f.committee(c));
            }
            Job::Case(k) => {
                feeds.push(f.case(k));
                subscribe = Some(f.subscribe_case(k));
            }
            Job::CalendarYear(_) | Job::Page(_) | Job::Search | Job::NotFound => {}
        }
        feeds.push(f.site());
        ctx.insert("feeds", &feeds);
        ctx.insert("subscribe", &subscribe);
    }

    /// The site-relative file a job writes, without rendering it.
    pub fn output_path(&self, job: &Job) -> String {
        match page_folder(self.idx, job) {
            Some(dir) => format!("{dir}index.html"),
            None => "404.html".to_string(),
        }
    }

    /// Meetings of a committee grouped by year, newest year and meeting first.
    fn meetings_by_year(&self, ci: usize, only: Option<i32>) -> Vec<(i32, Vec<&MeetingView<'a>>)> {
        let c = self.idx.committee(ci);
        let mut out: Vec<(i32, Vec<&MeetingView>)> = Vec::new();
        for (m, shown) in c.meetings.iter().zip(&self.meetings[ci]).rev() {
            let y = m.date.year();
            if only.is_some_and(|o| o != y) {
                continue;
            }
            match out.last_mut() {
                Some((year, list)) if *year == y => list.push(&shown.view),
                _ => out.push((y, vec![&shown.view])),
            }
        }
        out
    }

    fn shown_meeting(&self, r: MeetingRef) -> &ShownMeeting<'a> {
        &self.meetings[r.committee][r.meeting]
    }

    fn meeting_view(&self, r: MeetingRef) -> &MeetingView<'a> {
        &self.shown_meeting(r).view
    }
}

/// A rendering thread's Tera context, and the values it keeps in it from
/// one page to the next.
struct ThreadContext {
    ctx: Context,
    kept: Vec<Kept>,
}

impl ThreadContext {
    fn new(base: &Context) -> ThreadContext {
        ThreadContext {
            ctx: base.clone(),
            kept: Vec::new(),
        }
    }
}

/// A value left in a thread's context after its page, with what it was
/// made from: the next page is often of the same meeting, and need not
/// make it again.
struct Kept {
    key: &'static str,
    of: MadeFrom,
    used: bool,
}

/// What a kept value is made from.
#[derive(Clone, Copy, PartialEq)]
enum MadeFrom {
    Committee(usize),
    Meeting(MeetingRef),
}

/// A page's Tera context: the site-wide values every page shares, plus the
/// page's own. Each rendering thread keeps one context and this puts it
/// back as it was when the page is done, so the site-wide values (all the
/// interface strings among them) are not copied for every page.
struct PageContext<'c> {
    ctx: &'c mut Context,
    kept: &'c mut Vec<Kept>,
    base: &'c Context,
    added: Vec<&'static str>,
}

impl<'c> PageContext<'c> {
    fn new(thread: &'c mut ThreadContext, base: &'c Context) -> PageContext<'c> {
        PageContext {
            ctx: &mut thread.ctx,
            kept: &mut thread.kept,
            base,
            added: Vec::new(),
        }
    }

    fn insert<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        // The value is this page's own now, and goes with it.
        self.kept.retain(|k| k.key != key);
        self.ctx.insert(key, value);
        self.added.push(key);
    }

    /// Like [`insert`](Self::insert), for a value made from `of` alone:
    /// made only when the thread's context holds none made from `of`.
    fn insert_kept<T: serde::Serialize>(
        &mut self,
        key: &'static str,
        of: MadeFrom,
        value: impl FnOnce() -> T,
    ) {
        match self.kept.iter_mut().find(|k| k.key == key) {
            Some(k) if k.of == of => {
                k.used = true;
                return;
            }
            Some(k) => {
                k.of = of;
                k.used = true;
            }
            None => self.kept.push(Kept {
                key,
                of,
                used: true,
            }),
        }
        self.ctx.insert(key, &value());
    }

    /// The context to render the page with: without the values kept from
    /// earlier pages that this one did not ask for.
    fn for_render(&mut self) -> &Context {
        let (ctx, base) = (&mut *self.ctx, self.base);
        self.kept.retain(|k| {
            if !k.used {
                restore(ctx, base, k.key);
            }
            k.used
        });
        self.ctx
    }
}

impl Drop for PageContext<'_> {
    fn drop(&mut self) {
        for key in self.added.drain(..) {
            restore(self.ctx, self.base, key);
        }
        for k in self.kept.iter_mut() {
            k.used = false;
        }
    }
}

/// Puts `key` back in `ctx` as it is in `base`.
fn restore(ctx: &mut Context, base: &Context, key: &str) {
    match base.get(key) {
        Some(v) => ctx.insert(key, v),
        None => {
            ctx.remove(key);
        }
    }
}

/// Every page of the site.
pub fn all_jobs(idx: &SiteIndex<'_>) -> Vec<Job> {
    let site = idx.site;
    let mut jobs = vec![Job::Front, Job::Calendar, Job::NotFound];
    if site.config.outputs.search {
        jobs.push(Job::Search);
    }
    for (ci, c) in site.committees.iter().enumerate() {
        jobs.push(Job::Committee(ci));
        let mut years: Vec<i32> = c.meetings.iter().map(|m| m.date.year()).collect();
        years.dedup();
        jobs.extend(years.into_iter().map(|y| Job::Year(ci, y)));
        for (mi, m) in c.meetings.iter().enumerate() {
            jobs.push(Job::Meeting(MeetingRef {
                committee: ci,
                meeting: mi,
            }));
            for (ii, item) in m.items.iter().enumerate() {
                if matches!(item, Item::Open(_)) {
                    jobs.push(Job::Item(ItemRef {
                        committee: ci,
                        meeting: mi,
                        item: ii,
                    }));
                }
            }
        }
    }
    jobs.extend(idx.cases.keys().cloned().map(Job::Case));
    let mut years: Vec<i32> = idx
        .meetings_by_date
        .iter()
        .map(|r| idx.meeting(*r).date.year())
        .collect();
    years.dedup();
    jobs.extend(years.into_iter().map(Job::CalendarYear));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs
}

/// The folder a page is published in (its file is `<folder>index.html`), as
/// [`Renderer::render`] writes it; `None` for the 404 page, which is no
/// page of the site. The sitemap lists these (a test holds the two equal).
pub fn page_folder(idx: &SiteIndex<'_>, job: &Job) -> Option<String> {
    let site = idx.site;
    let lang = site.config.language;
    Some(match job {
        Job::Front => String::new(),
        Job::Committee(ci) => format!("{}/", idx.committee(*ci).slug),
        Job::Year(ci, year) => format!("{}/{year}/", idx.committee(*ci).slug),
        Job::Meeting(r) => idx.meeting(*r).path(),
        Job::Item(r) => {
            let (_, m, item) = idx.item(*r);
            item.path(m)
        }
        Job::Case(k) => k.path(),
        Job::Calendar => format!("{}/", i18n::calendar_dir(lang)),
        Job::CalendarYear(year) => format!("{}/{year}/", i18n::calendar_dir(lang)),
        Job::Page(pi) => site.pages[*pi].path(),
        Job::Search => format!("{}/", i18n::search_dir(lang)),
        Job::NotFound => return None,
    })
}

/// The folders of every page, sorted.
pub fn page_folders(idx: &SiteIndex<'_>) -> Vec<String> {
    let mut pages: Vec<String> = all_jobs(idx)
        .iter()
        .filter_map(|j| page_folder(idx, j))
        .collect();
    pages.sort();
    pages
}

fn is_accessibility_statement(slug: &str) -> bool {
    matches!(
        slug,
        "tilgaengelighed"
            | "tilgaengelighedserklaering"
            | "tilgængelighed"
            | "tilgængelighedserklæring"
            | "accessibility"
    )
}

/// The first `max` characters of `text`, cut at a word.
pub fn excerpt(text: &str, max: usize) -> String {
    match excerpt_cut(text, max) {
        (whole, false) => whole.to_string(),
        (cut, true) => format!("{cut}{ELLIPSIS}"),
    }
}

/// Where the `n`th character (from 0) of `text` starts, if it has one.
/// Characters start at every byte but UTF-8's continuation bytes, so the
/// `n`th starts at `n` plus the continuation bytes before it: counted in
/// runs rather than character by character, since the search export cuts
/// passages of every document many times over.
fn char_start(text: &str, n: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let continuation = |b: &&u8| (**b as i8) < -0x40;
    let (mut end, mut counted, mut continuations) = (n, 0, 0);
    while counted < end {
        continuations += bytes.get(counted..end)?.iter().filter(continuation).count();
        counted = end;
        end = n + continuations;
    }
    // `end` ends a character's first byte or more of it: the next start.
    while bytes.get(end).is_some_and(|b| continuation(&b)) {
        end += 1;
    }
    (end < bytes.len()).then_some(end)
}

/// What follows a cut [`excerpt`].
pub const ELLIPSIS: &str = " …";

/// The part of `text` that [`excerpt`] keeps, and whether it was cut (and
/// so is shown followed by [`ELLIPSIS`]). Borrows, so that the search
/// export can write excerpts of every document without allocating.
pub fn excerpt_cut(text: &str, max: usize) -> (&str, bool) {
    // At most `max` bytes is at most `max` characters: most decisions.
    if text.len() <= max {
        return (text, false);
    }
    match char_start(text, max) {
        None => (text, false),
        Some(end) => {
            let cut = &text[..end];
            (cut.rsplit_once(' ').map_or(cut, |(a, _)| a), true)
        }
    }
}

pub fn merge_errors(errors: Vec<BuildError>) -> Result<(), BuildError> {
    let mut content: Vec<Diagnostic> = Vec::new();
    for e in errors {
        match e {
            BuildError::Content(list) => content.extend(list),
            other => return Err(other),
        }
    }
    if content.is_empty() {
        Ok(())
    } else {
        content.sort();
        content.dedup();
        Err(BuildError::Content(content))
    }
}

#[derive(Serialize)]
struct YearGroup<'a, 'b> {
    year: i32,
    meetings: &'b [&'b MeetingView<'a>],
}

#[derive(Serialize)]
struct YearCount {
    year: i32,
    count: usize,
    /// "1 møde", "12 møder".
    count_label: String,
    url: String,
}

#[derive(Serialize)]
struct MonthGroup<'a> {
    name: &'static str,
    id: String,
    meetings: Vec<&'a MeetingView<'a>>,
}

#[derive(Serialize)]
struct CaseLink {
    number: String,
    url: String,
    items: usize,
}

#[derive(Serialize)]
struct ItemPage<'a> {
    number: u32,
    title: &'a str,
    case: Option<CaseLink>,
    route: Vec<RouteStep>,
    sections: Vec<SectionView<'a>>,
    attachments: Vec<AttachmentView<'a>>,
    has_decision: bool,
}

#[derive(Serialize)]
struct CaseEntry<'a> {
    title: &'a str,
    url: String,
    number: u32,
    meeting: &'a MeetingView<'a>,
    decision_heading: Option<&'a str>,
    decision_html: Option<&'a str>,
}

/// Attachments and static files, copied as they are.
pub fn copy_files(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<(), BuildError> {
    for (path, content) in &theme.static_files {
        // The search client is dead weight on a site without search.
        if path == "search.js" && !site.config.outputs.search {
            continue;
        }
        sink.put(path.clone(), content.clone())?;
    }
    let files: Vec<(String, PathBuf)> = site
        .committees
        .iter()
        .flat_map(|c| c.meetings.iter())
        .flat_map(|m| attachment_files(m))
        .collect();
    copy_attachments(files, sink)
}

/// The public attachments of a meeting: output path and source file. One
/// file may be attached to several items of a meeting; it is listed once.
pub fn attachment_files(m: &Meeting) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    for item in m.items.iter().filter_map(Item::as_open) {
        for a in &item.attachments {
            files.push((format!("{}{}", m.path(), a.file), a.source.clone()));
        }
    }
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    files
}

/// Copies attachments (from [`attachment_files`]) into `sink` in parallel.
pub fn copy_attachments(files: Vec<(String, PathBuf)>, sink: &dyn Sink) -> Result<(), BuildError> {
    let errors: Vec<BuildError> = files
        .into_par_iter()
        .filter_map(|(path, source)| sink.put(path, Content::Copy(source)).err())
        .collect();
    merge_errors(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page sees the site-wide values and its own, never a value kept
    /// from an earlier page of the same thread that it did not ask for.
    #[test]
    fn a_page_sees_only_its_own_values_whatever_the_thread_rendered_before() {
        let mut base = Context::new();
        base.insert("site_title", "Kommunen");
        let meeting = |n: usize| {
            MadeFrom::Meeting(MeetingRef {
                committee: 0,
                meeting: n,
            })
        };
        let keys = |ctx: &Context| {
            let mut keys: Vec<String> = ["site_title", "meeting", "committee"]
                .into_iter()
                .filter(|k| ctx.contains_key(k))
                .map(|k| format!("{k}={}", ctx.get(k).unwrap()))
                .collect();
            keys.sort();
            keys.join(" ")
        };
        let mut thread = ThreadContext::new(&base);
        let mut made = 0;
        let mut page = |asks: &[(&'static str, MadeFrom, &str)], own: Option<&str>| {
            let mut ctx = PageContext::new(&mut thread, &base);
            for (key, of, value) in asks {
                ctx.insert_kept(key, *of, || {
                    made += 1;
                    value.to_string()
                });
            }
            if let Some(committee) = own {
                ctx.insert("committee", committee);
            }
            keys(ctx.for_render())
        };
        assert_eq!(
            page(&[("meeting", meeting(1), "m1")], None),
            r#"meeting="m1" site_title="Kommunen""#
        );
        // The same meeting: kept, not made again.
        assert_eq!(
            page(&[("meeting", meeting(1), "m1")], None),
            r#"meeting="m1" site_title="Kommunen""#
        );
        // Another meeting: made.
        assert_eq!(
            page(&[("meeting", meeting(2), "m2")], None),
            r#"meeting="m2" site_title="Kommunen""#
        );
        // A page that asks for no meeting sees none.
        assert_eq!(page(&[], None), r#"site_title="Kommunen""#);
        assert_eq!(
            page(&[("committee", MadeFrom::Committee(0), "c0")], None),
            r#"committee="c0" site_title="Kommunen""#
        );
        // A page's own value replaces the kept one, and goes with the page.
        assert_eq!(
            page(&[], Some("own")),
            r#"committee="own" site_title="Kommunen""#
        );
        assert_eq!(page(&[], None), r#"site_title="Kommunen""#);
        assert_eq!(
            page(&[("committee", MadeFrom::Committee(0), "c0")], None),
            r#"committee="c0" site_title="Kommunen""#
        );
        assert_eq!(made, 4);
    }

    #[test]
    fn excerpts_cut_where_counting_characters_cuts() {
        let reference = |text: &str, max: usize| match text.char_indices().nth(max) {
            None => text.to_string(),
            Some((end, _)) => {
                let cut = &text[..end];
                format!("{} …", cut.rsplit_once(' ').map_or(cut, |(a, _)| a))
            }
        };
        let texts: [&str; 7] = [
            "",
            "kort",
            "Byrådet godkendte indstillingen",
            "æøå æøå æøå æøå",
            "€uro 𝄞 noder og ord",
            "ordudenmellemrum",
            &format!("{} ord 𝄞{}", "æ".repeat(300), "a€".repeat(40)),
        ];
        for text in texts {
            for max in 0..text.len() + 2 {
                assert_eq!(excerpt(text, max), reference(text, max), "{text:?} {max}");
            }
        }
    }
}
