//! Lookups derived from the model that several stages need: the items of
//! each case, committees by short name, meetings by year.

use std::collections::HashMap;

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

impl ItemRef {
    /// The meeting the item is on.
    pub fn meeting_ref(self) -> MeetingRef {
        MeetingRef {
            committee: self.committee,
            meeting: self.meeting,
        }
    }
}

pub struct SiteIndex<'a> {
    pub site: &'a Site,
    /// Public items of each case, oldest meeting first.
    pub cases: Cases<'a>,
    by_name: HashMap<&'a str, usize>,
    /// All meetings, oldest first: by [`Meeting::when`], then committee
    /// order, then each committee's own order.
    pub meetings_by_date: Vec<MeetingRef>,
}

impl<'a> SiteIndex<'a> {
    pub fn new(site: &'a Site) -> SiteIndex<'a> {
        let mut by_name = HashMap::new();
        let mut meetings_by_date = Vec::new();
        for (ci, c) in site.committees.iter().enumerate() {
            by_name.insert(c.slug.as_str(), ci);
            by_name.insert(c.name.as_str(), ci);
            meetings_by_date.extend((0..c.meetings.len()).map(|mi| MeetingRef {
                committee: ci,
                meeting: mi,
            }));
        }
        // Short names win over names and slugs when they clash.
        for (ci, c) in site.committees.iter().enumerate() {
            if let Some(s) = &c.short {
                by_name.insert(s.as_str(), ci);
            }
        }
        // Each committee's meetings are in their order already, so the
        // index breaks ties as the folder name would, without a string.
        meetings_by_date.sort_by_key(|r| {
            let m = &site.committees[r.committee].meetings[r.meeting];
            (m.when(), r.committee, r.meeting)
        });

        // Each case's items, oldest meeting first. `serve` builds this index
        // on every change, so rather than inserting item by item into the
        // map, items are sorted once by (case, meeting rank, item), with
        // the case number's first bytes inline: comparing them needs no
        // visit to the string itself.
        let mut rank: Vec<Vec<u32>> = site
            .committees
            .iter()
            .map(|c| vec![0; c.meetings.len()])
            .collect();
        for (i, r) in meetings_by_date.iter().enumerate() {
            rank[r.committee][r.meeting] = i as u32;
        }
        let items = site
            .committees
            .iter()
            .flat_map(|c| c.meetings.iter())
            .map(|m| m.items.len())
            .sum();
        let mut with_case: Vec<(u128, &CaseNumber, u32, ItemRef)> = Vec::with_capacity(items);
        for (ci, c) in site.committees.iter().enumerate() {
            for (mi, m) in c.meetings.iter().enumerate() {
                for (ii, item) in m.items.iter().enumerate() {
                    if let Some(case) = item.as_open().and_then(|o| o.case.as_ref()) {
                        let r = ItemRef {
                            committee: ci,
                            meeting: mi,
                            item: ii,
                        };
                        with_case.push((prefix_key(case.as_str()), case, rank[ci][mi], r));
                    }
                }
            }
        }
        with_case.sort_unstable_by(|a, b| {
            (a.0.cmp(&b.0))
                .then_with(|| a.1.cmp(b.1))
                .then_with(|| (a.2, a.3.item).cmp(&(b.2, b.3.item)))
        });
        let mut cases = Cases::default();
        for run in with_case.chunk_by(|a, b| a.1 == b.1) {
            cases.keys.push((run[0].0, run[0].1));
            cases.starts.push(cases.refs.len());
            cases.refs.extend(run.iter().map(|x| x.3));
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

/// The first 16 bytes of `s`, zero-padded, as a number that orders like
/// the bytes (ties need a full comparison).
fn prefix_key(s: &str) -> u128 {
    let mut buf = [0u8; 16];
    let n = s.len().min(16);
    buf[..n].copy_from_slice(&s.as_bytes()[..n]);
    u128::from_be_bytes(buf)
}

/// Case numbers, sorted, each with its public items oldest first. Kept
/// flat (three vectors, whatever the number of cases): `serve` builds the
/// index on every change, and a map with a vector per case took most of
/// that time on a large archive.
#[derive(Debug, Default, Clone)]
pub struct Cases<'a> {
    /// Each case number with its [`prefix_key`]: a lookup compares
    /// numbers, not strings elsewhere in memory (every item page looks
    /// its case up, among tens of thousands).
    keys: Vec<(u128, &'a CaseNumber)>,
    /// Where each case's items start in `refs`.
    starts: Vec<usize>,
    refs: Vec<ItemRef>,
}

impl<'a> Cases<'a> {
    /// The items of a case, oldest first.
    pub fn get(&self, case: &CaseNumber) -> Option<&[ItemRef]> {
        self.get_key_value(case).map(|(_, refs)| refs)
    }

    /// The case number as the index holds it, with its items.
    pub fn get_key_value(&self, case: &CaseNumber) -> Option<(&'a CaseNumber, &[ItemRef])> {
        let prefix = prefix_key(case.as_str());
        let i = self
            .keys
            .binary_search_by(|(p, k)| p.cmp(&prefix).then_with(|| (*k).cmp(case)))
            .ok()?;
        Some((self.keys[i].1, self.items_at(i)))
    }

    pub fn contains_key(&self, case: &CaseNumber) -> bool {
        self.get(case).is_some()
    }

    fn items_at(&self, i: usize) -> &[ItemRef] {
        let end = self.starts.get(i + 1).copied().unwrap_or(self.refs.len());
        &self.refs[self.starts[i]..end]
    }

    /// Case numbers in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &'a CaseNumber> + '_ {
        self.keys.iter().map(|(_, k)| *k)
    }

    /// Cases in order, with their items.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&'a CaseNumber, &[ItemRef])> + '_ {
        (0..self.keys.len()).map(|i| (self.keys[i].1, self.items_at(i)))
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &[ItemRef]> + '_ {
        (0..self.keys.len()).map(|i| self.items_at(i))
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Item, Meeting, MeetingStatus, OpenItem};
    use chrono::NaiveDate;
    use std::sync::Arc;

    fn item(number: u32, case: &str) -> Item {
        Item::Open(OpenItem {
            number,
            slug: format!("{number:02}-x"),
            title: "x".into(),
            case: CaseNumber::new(case),
            route: vec![],
            sections: vec![],
            attachments: vec![],
        })
    }

    fn meeting(committee: &str, date: &str, items: Vec<Item>) -> Arc<Meeting> {
        Arc::new(Meeting {
            committee: committee.into(),
            folder: date.into(),
            date: NaiveDate::parse_from_str(&date[..10], "%Y-%m-%d").unwrap(),
            start: None,
            end: None,
            location: None,
            status: MeetingStatus::Minutes,
            absent: vec![],
            note_html: None,
            items,
        })
    }

    #[test]
    fn cases_list_their_items_oldest_first_across_committees() {
        let config =
            crate::config::Config::parse(std::path::Path::new("c"), "title = \"x\"\n").unwrap();
        let mut site = Site {
            config,
            committees: vec![],
            pages: vec![],
        };
        let mut a = crate::load::committee::unnamed("a");
        a.meetings = vec![
            meeting("a", "2024-01-10", vec![item(1, "24/1"), item(2, "24/2")]),
            meeting("a", "2024-03-01", vec![item(1, "24/1")]),
        ];
        let mut b = crate::load::committee::unnamed("b");
        b.meetings = vec![meeting(
            "b",
            "2024-02-01",
            vec![item(1, "24/1"), item(2, "24/1"), item(3, "9/9")],
        )];
        site.committees = vec![a, b];
        let idx = SiteIndex::new(&site);
        let case = CaseNumber::new("24/1").unwrap();
        let refs: Vec<(usize, usize, usize)> = idx
            .cases
            .get(&case)
            .unwrap()
            .iter()
            .map(|r| (r.committee, r.meeting, r.item))
            .collect();
        assert_eq!(refs, vec![(0, 0, 0), (1, 0, 0), (1, 0, 1), (0, 1, 0)]);
        let keys: Vec<&str> = idx.cases.keys().map(|k| k.as_str()).collect();
        assert_eq!(keys, vec!["24/1", "24/2", "9/9"]);
        assert_eq!(idx.cases.len(), 3);
        assert!(idx.cases.get(&CaseNumber::new("1/1").unwrap()).is_none());
        let (k, refs) = idx
            .cases
            .get_key_value(&CaseNumber::new("9/9").unwrap())
            .unwrap();
        assert_eq!((k.as_str(), refs.len()), ("9/9", 1));
    }
}
