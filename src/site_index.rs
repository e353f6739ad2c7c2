//! Lookups derived from the model that several stages need: the items of
//! each case, committees by short name, meetings by year.

use std::collections::{BTreeMap, HashMap};

use crate::model::{CaseNumber, Committee, Meeting, OpenItem, Site};

/// Where an item sits: committee, meeting and item index into the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemRef {
    pub committee: usize,
    pub meeting: usize,
    pub item: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MeetingRef {
    pub committee: usize,
    pub meeting: usize,
}

pub struct SiteIndex<'a> {
    pub site: &'a Site,
    /// Public items of each case, oldest meeting first.
    pub cases: BTreeMap<CaseNumber, Vec<ItemRef>>,
    by_name: HashMap<&'a str, usize>,
    /// All meetings, oldest first (then committee order, then folder).
    pub meetings_by_date: Vec<MeetingRef>,
}

impl<'a> SiteIndex<'a> {
    pub fn new(site: &'a Site) -> SiteIndex<'a> {
        let mut cases: BTreeMap<CaseNumber, Vec<ItemRef>> = BTreeMap::new();
        let mut by_name = HashMap::new();
        let mut meetings_by_date = Vec::new();
        for (ci, c) in site.committees.iter().enumerate() {
            by_name.insert(c.slug.as_str(), ci);
            by_name.insert(c.name.as_str(), ci);
            for (mi, m) in c.meetings.iter().enumerate() {
                meetings_by_date.push(MeetingRef {
                    committee: ci,
                    meeting: mi,
                });
                for (ii, item) in m.items.iter().enumerate() {
                    if let Some(case) = item.as_open().and_then(|o| o.case.clone()) {
                        cases.entry(case).or_default().push(ItemRef {
                            committee: ci,
                            meeting: mi,
                            item: ii,
                        });
                    }
                }
            }
        }
        // Short names win over names and slugs when they clash.
        for (ci, c) in site.committees.iter().enumerate() {
            if let Some(s) = &c.short {
                by_name.insert(s.as_str(), ci);
            }
        }
        let date_key = |r: &MeetingRef| {
            let m = &site.committees[r.committee].meetings[r.meeting];
            (m.date, r.committee, m.folder.clone())
        };
        meetings_by_date.sort_by_key(date_key);
        for refs in cases.values_mut() {
            refs.sort_by_key(|r| {
                let m = &site.committees[r.committee].meetings[r.meeting];
                (m.date, r.committee, m.folder.clone(), r.item)
            });
        }
        SiteIndex {
            site,
            cases,
            by_name,
            meetings_by_date,
        }
    }

    pub fn committee(&self, i: usize) -> &'a Committee {
        &self.site.committees[i]
    }

    pub fn meeting(&self, r: MeetingRef) -> &'a Meeting {
        &self.site.committees[r.committee].meetings[r.meeting]
    }

    /// The open item behind a reference (references are made to open items only).
    pub fn item(&self, r: ItemRef) -> (&'a Committee, &'a Meeting, &'a OpenItem) {
        let c = &self.site.committees[r.committee];
        let m = &c.meetings[r.meeting];
        let item = m.items[r.item]
            .as_open()
            .expect("item references point at open items");
        (c, m, item)
    }

    /// A meeting by its folder names, which stay the same across versions
    /// of the model (indexes do not).
    pub fn meeting_by_folder(&self, committee: &str, folder: &str) -> Option<MeetingRef> {
        let ci = self
            .site
            .committees
            .iter()
            .position(|c| c.slug == committee)?;
        let mi = self.site.committees[ci]
            .meetings
            .iter()
            .position(|m| m.folder == folder)?;
        Some(MeetingRef {
            committee: ci,
            meeting: mi,
        })
    }

    /// The committee a route entry names (short name, name or slug).
    pub fn committee_by_name(&self, name: &str) -> Option<usize> {
        self.by_name.get(name.trim()).copied()
    }
}
