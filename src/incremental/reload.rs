//! Reloading some meeting folders into a copy of the model.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::{BuildError, Diagnostics};
use crate::load::{self, meeting};
use crate::model::{ClosedItem, Item, Meeting, Site};
use crate::stage::MeetingKey;

/// The result of reloading meeting folders.
#[derive(Debug)]
pub enum Reload {
    /// The model with the folders reloaded.
    Site(Site),
    /// The change reaches beyond meeting folders (a committee folder went
    /// away, a file stands where a meeting folder was): load everything.
    NeedsFull,
}

/// Loads the meeting folders `keys` of the site in `root` again and returns
/// `site` with them replaced, added or (when gone) removed. `site` itself is
/// not changed. Problems in the folders are reported as `build` reports them.
pub fn reload_meetings(
    root: &Path,
    site: &Site,
    keys: &BTreeSet<MeetingKey>,
) -> Result<Reload, BuildError> {
    let content = root.join("content");
    let mut found: Vec<(&MeetingKey, Option<PathBuf>)> = Vec::new();
    let mut folders = FolderFinder::new(&content);
    for key in keys {
        if !site.committees.iter().any(|c| c.slug == key.committee) {
            return Ok(Reload::NeedsFull);
        }
        let Some(dir) = folders.committee(&key.committee) else {
            return Ok(Reload::NeedsFull);
        };
        let Some(path) = folders.meeting(&dir, &key.folder) else {
            return Ok(Reload::NeedsFull);
        };
        if path.as_ref().is_some_and(|p| !p.is_dir()) {
            return Ok(Reload::NeedsFull);
        }
        found.push((key, path));
    }

    let known = load::known_committees(site.committees.iter());
    let known_committee = |s: &str| known.iter().any(|k| k == s.trim());
    let loaded: Vec<(&MeetingKey, Result<Option<Meeting>, Vec<_>>)> = found
        .par_iter()
        .map(|(key, path)| {
            let result = match path {
                None => Ok(None),
                Some(dir) => {
                    let Some(Ok(date)) = meeting::date_of_folder(&key.folder) else {
                        unreachable!("keys are made for meeting folder names only")
                    };
                    meeting::load(
                        dir,
                        &key.committee,
                        &key.folder,
                        date,
                        &content,
                        &crate::load::markdown::SiteBase::of(&site.config),
                        &known_committee,
                    )
                    .map(Some)
                }
            };
            (*key, result)
        })
        .collect();

    // A link elsewhere that names an item closed now is an error that only
    // a load of everything finds: its page would otherwise keep the
    // closed item's private file name.
    if loaded.iter().any(|(key, result)| match result {
        Ok(Some(m)) => closes_an_item(old_meeting(site, key), m),
        _ => false,
    }) {
        return Ok(Reload::NeedsFull);
    }
    let mut problems = Diagnostics::default();
    let mut new = site.clone();
    for (key, result) in loaded {
        match result {
            Ok(m) => replace_meeting(&mut new, key, m),
            Err(list) => list.into_iter().for_each(|d| problems.push(d)),
        }
    }
    problems.extend(crate::check::check_site(&new, &content));
    problems.into_result(Reload::Site(new))
}

/// Finds folders on disk by their composed (NFC) names, as the loader
/// names them.
struct FolderFinder<'a> {
    content: &'a Path,
    listings: BTreeMap<PathBuf, Option<BTreeMap<String, PathBuf>>>,
}

impl<'a> FolderFinder<'a> {
    fn new(content: &'a Path) -> Self {
        FolderFinder {
            content,
            listings: BTreeMap::new(),
        }
    }

    /// The folder of a committee; `None` when it is gone (or ambiguous).
    fn committee(&mut self, name: &str) -> Option<PathBuf> {
        let content = self.content.to_path_buf();
        self.child(&content, name)?.filter(|d| d.is_dir())
    }

    /// `Some(None)` when the meeting folder is gone; `None` when the
    /// folder cannot be told apart from another one.
    fn meeting(&mut self, committee: &Path, name: &str) -> Option<Option<PathBuf>> {
        self.child(committee, name)
    }

    /// The entry `name` of `dir`: `Some(None)` when there is none, `None`
    /// when two entries have that name once composed.
    fn child(&mut self, dir: &Path, name: &str) -> Option<Option<PathBuf>> {
        // An ASCII name has one spelling only: no need to list the folder
        // (a committee folder of a large archive holds a thousand meetings).
        if name.is_ascii() {
            let path = dir.join(name);
            return Some(path.symlink_metadata().is_ok().then_some(path));
        }
        let listing = self
            .listings
            .entry(dir.to_path_buf())
            .or_insert_with(|| load::list_dir(dir).ok().and_then(unique_names));
        let listing = listing.as_ref()?;
        Some(listing.get(name).cloned())
    }
}

/// Names (already NFC) to paths; `None` when two entries share a name once
/// composed, which only a full load reports properly.
fn unique_names(list: Vec<(String, PathBuf)>) -> Option<BTreeMap<String, PathBuf>> {
    let n = list.len();
    let map: BTreeMap<String, PathBuf> = list.into_iter().collect();
    (map.len() == n).then_some(map)
}

fn old_meeting<'s>(site: &'s Site, key: &MeetingKey) -> Option<&'s Meeting> {
    let c = site.committees.iter().find(|c| c.slug == key.committee)?;
    c.meetings
        .iter()
        .find(|m| m.folder == key.folder)
        .map(|m| &**m)
}

/// Whether `new` has a closed item that `old` did not have as it is.
fn closes_an_item(old: Option<&Meeting>, new: &Meeting) -> bool {
    let closed = |m: &Meeting| -> Vec<ClosedItem> {
        m.items
            .iter()
            .filter_map(|i| match i {
                Item::Closed(c) => Some(c.clone()),
                Item::Open(_) => None,
            })
            .collect()
    };
    let before = old.map(closed).unwrap_or_default();
    closed(new).iter().any(|c| !before.contains(c))
}

fn replace_meeting(site: &mut Site, key: &MeetingKey, meeting: Option<Meeting>) {
    let Some(c) = site.committees.iter_mut().find(|c| c.slug == key.committee) else {
        return;
    };
    c.meetings.retain(|m| m.folder != key.folder);
    if let Some(m) = meeting {
        c.meetings.push(Arc::new(m));
        // The order `load` gives.
        c.meetings.sort_by(|a, b| Meeting::order(a, b));
    }
}
