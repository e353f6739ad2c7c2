//! Reloading some meeting folders into a copy of the model.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::{BuildError, Diagnostics};
use crate::load::{self, meeting};
use crate::model::{Meeting, Site};
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
    let Ok(top) = load::list_dir(&content) else {
        return Ok(Reload::NeedsFull);
    };
    let Some(top) = unique_names(top) else {
        return Ok(Reload::NeedsFull);
    };

    // Find each folder on disk; its name there may be decomposed (NFD).
    let mut listings: BTreeMap<&str, BTreeMap<String, PathBuf>> = BTreeMap::new();
    let mut found: Vec<(&MeetingKey, Option<PathBuf>)> = Vec::new();
    for key in keys {
        let committee = key.committee.as_str();
        if !site.committees.iter().any(|c| c.slug == committee) {
            return Ok(Reload::NeedsFull);
        }
        if !listings.contains_key(committee) {
            let Some(dir) = top.get(committee).filter(|d| d.is_dir()) else {
                return Ok(Reload::NeedsFull);
            };
            let Some(list) = load::list_dir(dir).ok().and_then(unique_names) else {
                return Ok(Reload::NeedsFull);
            };
            listings.insert(committee, list);
        }
        let path = listings[committee].get(&key.folder).cloned();
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
                        &known_committee,
                    )
                    .map(Some)
                }
            };
            (*key, result)
        })
        .collect();

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

/// Names (already NFC) to paths; `None` when two entries share a name once
/// composed, which only a full load reports properly.
fn unique_names(list: Vec<(String, PathBuf)>) -> Option<BTreeMap<String, PathBuf>> {
    let n = list.len();
    let map: BTreeMap<String, PathBuf> = list.into_iter().collect();
    (map.len() == n).then_some(map)
}

fn replace_meeting(site: &mut Site, key: &MeetingKey, meeting: Option<Meeting>) {
    let Some(c) = site.committees.iter_mut().find(|c| c.slug == key.committee) else {
        return;
    };
    c.meetings.retain(|m| m.folder != key.folder);
    if let Some(m) = meeting {
        c.meetings.push(Arc::new(m));
        // The order `load` gives: by date, then folder name.
        c.meetings
            .sort_by(|a, b| (a.date, &a.folder).cmp(&(b.date, &b.folder)));
    }
}
