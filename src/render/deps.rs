//! Which pages show which meetings: the rules by which `serve` and
//! `build --watch` re-render only the pages that a change of some meeting
//! folders affects.
//!
//! A meeting shows up on its own page and its items' pages (agenda,
//! neighbours' previous/next links), on its committee's page and year page,
//! on the front page (upcoming, latest minutes), the calendar and its year
//! page, and the search page (its list of years). When its committee meets
//! again that day, the day's meetings show their start times, so a change
//! touches those meetings too. Through its items' case
//! numbers it shows up on the pages of those cases and on every item of
//! those cases (the case's item count, and route links that point at the
//! case's items in each committee). These rules must follow what the
//! renderer reads; tests/incremental.rs compares them with full builds
//! after random edits.

use std::collections::BTreeSet;

use chrono::Datelike;

use crate::model::{CaseNumber, Committee, Item, Site};
use crate::render::Job;
use crate::site_index::{ItemRef, MeetingRef};
use crate::stage::{MeetingKey, ModelChange, StageInput};

/// What a change of meeting folders touches, by names that mean the same
/// thing in the old and the new model.
#[derive(Debug, Default)]
pub struct Touched {
    meetings: BTreeSet<MeetingKey>,
    committees: BTreeSet<String>,
    /// Committee year pages: (committee slug, year).
    years: BTreeSet<(String, i32)>,
    calendar_years: BTreeSet<i32>,
    cases: BTreeSet<CaseNumber>,
    /// Committees that gained or lost a year: every year page of theirs
    /// lists all years.
    all_years_of: BTreeSet<String>,
}

impl Touched {
    pub fn new(change: &ModelChange<'_>) -> Touched {
        let mut t = Touched {
            meetings: change.meetings.clone(),
            ..Touched::default()
        };
        // A meeting's label has its start time when its committee meets
        // again that day, so a change shows on the day's other meetings.
        for key in change.meetings {
            for input in [change.old, change.new] {
                let Some(r) = input.meeting(key) else {
                    continue;
                };
                let date = input.idx.meeting(r).date;
                t.meetings.extend(
                    input
                        .idx
                        .committee(r.committee)
                        .meetings
                        .iter()
                        .filter(|m| m.date == date)
                        .map(|m| MeetingKey {
                            committee: key.committee.clone(),
                            folder: m.folder.clone(),
                        }),
                );
            }
        }
        for key in &t.meetings.clone() {
            t.committees.insert(key.committee.clone());
            for input in [change.old, change.new] {
                let Some(r) = input.meeting(key) else {
                    continue;
                };
                let m = input.idx.meeting(r);
                t.years.insert((key.committee.clone(), m.date.year()));
                t.calendar_years.insert(m.date.year());
                t.cases.extend(
                    m.items
                        .iter()
                        .filter_map(Item::as_open)
                        .filter_map(|i| i.case.clone()),
                );
            }
        }
        for slug in &t.committees {
            let years_in = |input: &StageInput<'_>| {
                input
                    .committee(slug)
                    .map(|ci| years_of(&input.site.committees[ci]))
            };
            if years_in(change.old) != years_in(change.new) {
                t.all_years_of.insert(slug.clone());
            }
        }
        t
    }

    /// The pages of `input`'s model that the change touches. Every job
    /// returned exists in that model (it is one of `Renderer::all_jobs`).
    pub fn jobs(&self, input: &StageInput<'_>) -> BTreeSet<Job> {
        let site = input.site;
        let idx = input.idx;
        let mut jobs = BTreeSet::from([Job::Front, Job::Calendar]);
        if site.config.outputs.search {
            jobs.insert(Job::Search);
        }
        for slug in &self.committees {
            let Some(ci) = input.committee(slug) else {
                continue;
            };
            jobs.insert(Job::Committee(ci));
            if self.all_years_of.contains(slug) {
                jobs.extend(
                    years_of(&site.committees[ci])
                        .into_iter()
                        .map(|y| Job::Year(ci, y)),
                );
            }
        }
        for (slug, year) in &self.years {
            if let Some(ci) = input.committee(slug)
                && years_of(&site.committees[ci]).contains(year)
            {
                jobs.insert(Job::Year(ci, *year));
            }
        }
        for year in &self.calendar_years {
            if has_meeting_in(site, *year) {
                jobs.insert(Job::CalendarYear(*year));
            }
        }
        for key in &self.meetings {
            if let Some(r) = input.meeting(key) {
                jobs.insert(Job::Meeting(r));
                jobs.extend(open_items(site, r).map(Job::Item));
            }
        }
        for case in &self.cases {
            if let Some(refs) = idx.cases.get(case) {
                jobs.insert(Job::Case(case.clone()));
                jobs.extend(refs.iter().copied().map(Job::Item));
            }
        }
        jobs
    }
}

/// Whether a change adds or removes pages (the sitemap lists them all):
/// only pages the change touches can come or go.
pub fn pages_changed(change: &ModelChange<'_>) -> bool {
    let touched = Touched::new(change);
    let folders = |input: &StageInput<'_>| -> BTreeSet<String> {
        touched
            .jobs(input)
            .iter()
            .filter_map(|j| crate::render::page_folder(input.idx, j))
            .collect()
    };
    folders(change.old) != folders(change.new)
}

fn years_of(c: &Committee) -> BTreeSet<i32> {
    c.meetings.iter().map(|m| m.date.year()).collect()
}

fn has_meeting_in(site: &Site, year: i32) -> bool {
    site.committees
        .iter()
        .any(|c| c.meetings.iter().any(|m| m.date.year() == year))
}

fn open_items(site: &Site, r: MeetingRef) -> impl Iterator<Item = ItemRef> + '_ {
    let m = &site.committees[r.committee].meetings[r.meeting];
    m.items
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i, Item::Open(_)))
        .map(move |(ii, _)| ItemRef {
            committee: r.committee,
            meeting: r.meeting,
            item: ii,
        })
}
