//! The stages that turn the loaded model into output files, and how each
//! follows a change of the model in `serve` and `build --watch`.
//!
//! `build` runs every stage's [`Stage::build`] into one sink. The
//! incremental engine ([`crate::incremental`]) runs them once the same way,
//! then, after each change of content, asks each stage for
//! [`Stage::update`]: the stage writes the files the change affects and names
//! the files it no longer produces. A stage that cannot (yet) do that
//! answers [`Update::Rebuild`]; the engine then runs its `build` again and
//! compares with what it wrote before, which is correct but slower. A
//! stage in between answers [`Update::Provisional`]: files that serve the
//! change now, and its `build` later. [`Update::RebuildNow`] asks for the
//! `build` within the update itself.

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;

use crate::build::Progress;
use crate::config::Outputs;
use crate::error::BuildError;
use crate::model::Site;
use crate::output::Sink;
use crate::render::theme::Theme;
use crate::site_index::{MeetingRef, SiteIndex};

/// Everything a stage reads: the model, its lookups and the theme.
pub struct StageInput<'a> {
    pub site: &'a Site,
    pub idx: &'a SiteIndex<'a>,
    pub theme: &'a Theme,
    /// The site folder, holding config.toml and content/.
    pub root: &'a Path,
    /// Progress lines on a terminal (quiet in `serve`).
    pub progress: &'a Progress,
    /// Where new cache files go: `None` for the site's `.protokol-cache/`;
    /// `check` gives a temporary folder, so that it writes nothing into
    /// the site (it still reads a cache that is up to date).
    pub scratch: Option<&'a Path>,
}

impl StageInput<'_> {
    /// Where the meeting folder `key` sits in this model, if it exists.
    pub fn meeting(&self, key: &MeetingKey) -> Option<MeetingRef> {
        self.idx.meeting_by_folder(&key.committee, &key.folder)
    }

    /// The index of the committee whose folder is `slug`.
    pub fn committee(&self, slug: &str) -> Option<usize> {
        self.site.committees.iter().position(|c| c.slug == slug)
    }
}

/// A meeting folder, `content/<committee>/<folder>/`, by its names: stable
/// across versions of the model, unlike indexes into it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MeetingKey {
    pub committee: String,
    pub folder: String,
}

/// Two versions of the model that differ only in some meeting folders: added,
/// edited or removed ones. Committees, pages, config and theme are the same
/// (a change to those rebuilds everything).
pub struct ModelChange<'a> {
    pub old: &'a StageInput<'a>,
    pub new: &'a StageInput<'a>,
    pub meetings: &'a BTreeSet<MeetingKey>,
}

/// What a stage did with a [`ModelChange`].
#[derive(Debug)]
pub enum Update {
    /// The stage wrote every file the change affects; these files (site
    /// relative paths) it no longer produces.
    Partial { removed: Vec<String> },
    /// Partial now, full later: the stage wrote files that serve the
    /// change at once but differ from what `build` would write (the search
    /// delta beside the last full export), and no longer produces
    /// `removed`. Its `build` still runs once edits pause and replaces
    /// them; until then every further change comes to `update` as well.
    Provisional { removed: Vec<String> },
    /// The stage cannot update partially: run [`Stage::build`] again.
    Rebuild,
    /// Run [`Stage::build`] again within this update, before anything of
    /// it reaches the target: the stage's files there hold text the change
    /// took out of the site (a closed or deleted item, a shortened text),
    /// and must not outlive the pages that showed it for a moment.
    RebuildNow,
}

pub trait Stage: Send {
    /// A short name for progress lines and reports.
    fn name(&self) -> &'static str;

    /// Writes every file of the stage. Returns how many HTML pages it wrote.
    fn build(&mut self, input: &StageInput<'_>, sink: &dyn Sink) -> Result<usize, BuildError>;

    /// Writes the files that `change` affects, as `build` on `change.new`
    /// would write them. The default asks for a full run of `build`.
    fn update(&mut self, change: &ModelChange<'_>, sink: &dyn Sink) -> Result<Update, BuildError> {
        let _ = (change, sink);
        Ok(Update::Rebuild)
    }

    /// The files of the last [`build`](Self::build) reached the target.
    /// A stage whose updates build on its last full output (the search
    /// delta) moves on to the new output here rather than in `build`: a
    /// build whose files never arrived (the target failed, or the run was
    /// given up) must not become what the next update builds on.
    fn build_applied(&mut self) {}

    /// True when [`update`](Self::update) never answers
    /// [`Update::Rebuild`]: the engine then keeps no list of the stage's
    /// files (it would only need one to find the files a full run no
    /// longer writes).
    fn updates_partially(&self) -> bool {
        false
    }
}

/// Every stage the site's `[outputs]` ask for. They write different
/// files: `build` runs them side by side, updates run them in this order.
/// `for_updates`: the stages will be asked for [`Stage::update`]s, so they
/// may keep what those need (which a one-off build should not hold in
/// memory). A change of config.toml rebuilds everything, with new stages.
pub fn stages(outputs: Outputs, for_updates: bool) -> Vec<Box<dyn Stage>> {
    let mut stages: Vec<Box<dyn Stage>> = vec![
        Box::new(crate::render::stage::PagesStage),
        Box::new(crate::render::stage::FilesStage),
        Box::new(FeedsStage {
            feeds: outputs.feeds,
            keep_events: for_updates,
            events: None,
        }),
    ];
    if outputs.oparl {
        stages.push(Box::new(OparlStage {
            keep_lists: for_updates,
            lists: None,
        }));
    }
    if outputs.search {
        stages.push(Box::new(SearchStage {
            for_updates,
            built: None,
            delta: None,
        }));
    }
    stages
}

/// Runs `run` on every stage side by side; returns what each gave, in the
/// order of `stages`, or every stage's problems together. The stages write
/// different files, and all but the pages have long serial parts (the
/// sitemap, the attachments, the search export): side by side, they keep
/// every core busy while the pages render. The last stage starts first:
/// the search, a chain of steps that each wait for the one before
/// (documents, tantivy, export), then begins at once rather than after the
/// OParl export, and the pages fill the cores around it
/// (bench/results/build.md, session 28).
pub fn side_by_side<T: Send>(
    stages: &mut [Box<dyn Stage>],
    run: impl Fn(&mut dyn Stage) -> Result<T, BuildError> + Sync,
) -> Result<Vec<T>, BuildError> {
    let mut results: Vec<Result<T, BuildError>> = stages
        .par_iter_mut()
        .rev()
        .map(|stage| run(stage.as_mut()))
        .collect();
    results.reverse();
    let mut done = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(t) => done.push(t),
            Err(e) => errors.push(e),
        }
    }
    crate::render::merge_errors(errors)?;
    Ok(done)
}

/// Atom feeds, iCalendar files, the sitemap and robots.txt ([`crate::feeds`]).
pub struct FeedsStage {
    /// Feeds and calendars wanted; the sitemap and robots.txt always are.
    feeds: bool,
    keep_events: bool,
    /// The calendars' events, for updates.
    events: Option<crate::feeds::Events>,
}

impl Stage for FeedsStage {
    fn name(&self) -> &'static str {
        "feeds"
    }

    fn build(&mut self, input: &StageInput<'_>, sink: &dyn Sink) -> Result<usize, BuildError> {
        input.progress.step("writing feeds, calendars and sitemap");
        let robots = crate::feeds::robots_wanted(input.theme);
        if self.keep_events {
            let events = crate::feeds::render_keeping(input.idx, self.feeds, robots, sink)?;
            self.events = Some(events);
        } else {
            crate::feeds::render(input.idx, self.feeds, robots, sink)?;
        }
        Ok(0)
    }

    fn update(&mut self, change: &ModelChange<'_>, sink: &dyn Sink) -> Result<Update, BuildError> {
        let Some(events) = self.events.as_mut() else {
            return Ok(Update::Rebuild);
        };
        let removed = crate::feeds::update_keeping(
            events,
            change.old.idx,
            change.new.idx,
            &feed_keys(change),
            self.feeds,
            crate::render::deps::pages_changed(change),
            sink,
        )?;
        Ok(Update::Partial { removed })
    }

    /// Once built for updates, it keeps what they need.
    fn updates_partially(&self) -> bool {
        self.keep_events
    }
}

/// The OParl export ([`crate::oparl`]).
pub struct OparlStage {
    keep_lists: bool,
    /// What an update needs from the last build or update.
    lists: Option<crate::oparl::Lists>,
}

impl Stage for OparlStage {
    fn name(&self) -> &'static str {
        "oparl"
    }

    fn build(&mut self, input: &StageInput<'_>, sink: &dyn Sink) -> Result<usize, BuildError> {
        input.progress.step("writing the OParl export");
        if self.keep_lists {
            self.lists = Some(crate::oparl::render_keeping_lists(input.idx, sink)?);
        } else {
            crate::oparl::render(input.idx, sink)?;
        }
        Ok(0)
    }

    fn update(&mut self, change: &ModelChange<'_>, sink: &dyn Sink) -> Result<Update, BuildError> {
        let Some(lists) = self.lists.as_mut() else {
            return Ok(Update::Rebuild);
        };
        let removed = crate::oparl::update(
            lists,
            change.old.idx,
            change.new.idx,
            &feed_keys(change),
            sink,
        )?;
        Ok(Update::Partial { removed })
    }

    /// Once built for updates, it keeps what they need.
    fn updates_partially(&self) -> bool {
        self.keep_lists
    }
}

/// The changed meeting folders as the feeds and OParl modules name them.
fn feed_keys(change: &ModelChange<'_>) -> BTreeSet<crate::feeds::MeetingKey> {
    change
        .meetings
        .iter()
        .map(|k| (k.committee.clone(), k.folder.clone()))
        .collect()
}

/// The search index ([`crate::search`]): tantivy at build time, exported
/// to static files for the browser. Its index and export are cached by the
/// searchable documents' fingerprint, so a change that touches no
/// searchable text reuses them; any other change exports anew.
///
/// An export takes seconds on a large archive, so an update writes the
/// search delta ([`crate::search::delta`]) relative to the last export on
/// the target instead, and the export runs once edits pause. That is only
/// safe while every text the export holds is still public: a change that
/// takes text out of an exported document (closes, deletes or shortens an
/// item) exports anew within the update, so that pages and search change
/// together.
pub struct SearchStage {
    /// Keep what updates need (`serve`, `build --watch`).
    for_updates: bool,
    /// The last build's export, until it reaches the target.
    built: Option<crate::search::delta::Base>,
    /// The edits since the export on the target.
    delta: Option<crate::search::delta::Delta>,
}

impl Stage for SearchStage {
    fn name(&self) -> &'static str {
        "search"
    }

    fn build(&mut self, input: &StageInput<'_>, sink: &dyn Sink) -> Result<usize, BuildError> {
        self.built = None;
        let (_, base) = crate::search::build(
            input.site,
            input.idx,
            input.root,
            input.scratch,
            sink,
            input.progress,
            self.for_updates,
        )?;
        self.built = base;
        Ok(0)
    }

    fn build_applied(&mut self) {
        if let Some(base) = self.built.take() {
            self.delta = Some(crate::search::delta::Delta::new(base));
        }
    }

    fn update(&mut self, change: &ModelChange<'_>, sink: &dyn Sink) -> Result<Update, BuildError> {
        // Without a delta nothing tells what the export on the target
        // still holds: only a new one is safe.
        let Some(delta) = self.delta.as_mut() else {
            return Ok(Update::RebuildNow);
        };
        delta.record(change);
        if delta.withdraws_text() {
            return Ok(Update::RebuildNow);
        }
        let removed = delta.write(sink)?;
        Ok(Update::Provisional { removed })
    }
}
