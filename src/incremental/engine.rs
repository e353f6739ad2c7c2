//! The incremental engine: a full build first, then updates for changed
//! paths.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build::{self, BuildOptions, Progress};
use crate::error::BuildError;
use crate::incremental::change::Change;
use crate::incremental::reload::{Reload, reload_meetings};
use crate::incremental::target::{Recorder, Target};
use crate::model::Site;
use crate::output::{Content, MemoryOutput};
use crate::render::theme::Theme;
use crate::site_index::SiteIndex;
use crate::stage::{self, MeetingKey, ModelChange, Stage, StageInput, Update};

/// What one build or update did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// A full build (start, or config/theme/committee/page changes).
    pub full: bool,
    /// Meeting folders reloaded (for an update).
    pub meetings: usize,
    /// Files rendered or copied.
    pub rendered: usize,
    /// Of those, files that are new or changed on the target.
    pub written: usize,
    pub removed: usize,
    /// Stages that could not update partially and ran in full.
    pub rebuilt_stages: Vec<&'static str>,
    /// Stages whose full run was left for [`Engine::run_deferred`]: they
    /// cannot update partially, or wrote provisional files for now.
    pub deferred_stages: Vec<&'static str>,
    pub elapsed: Duration,
    /// Where an update's time went: reloading meetings, indexing, each
    /// stage, handing the files to the target.
    pub phases: Vec<(&'static str, Duration)>,
}

self_cell::self_cell!(
    /// A model with its lookups, kept together so that an update builds
    /// the lookups of the new model only.
    struct IndexedSite {
        owner: Site,
        #[covariant]
        dependent: SiteIndex,
    }
);

/// The last good build: its model, theme, stages and their files.
struct Built {
    site: IndexedSite,
    theme: Theme,
    stages: Vec<Box<dyn Stage>>,
    /// The files each stage wrote, in the order of `stages`.
    /// `None` for stages that always update partially: they name their own
    /// removed files, and on a large archive the lists take real memory.
    files: Vec<Option<BTreeSet<String>>>,
    /// Stages (by position) whose files are not yet what their `build`
    /// writes for the model: their full run was put off.
    deferred: BTreeSet<usize>,
    /// Those of them that still follow each change with provisional
    /// files ([`Update::Provisional`]); the others are behind.
    provisional: BTreeSet<usize>,
}

pub struct Engine {
    opts: BuildOptions,
    /// `opts.root` made absolute, to place changed paths.
    root: PathBuf,
    /// Paths below these are never part of the site (the output folder).
    ignored: Vec<PathBuf>,
    built: Option<Built>,
    /// Changes not yet applied because loading or rendering failed; they
    /// are retried with the next change.
    pending: Option<Change>,
}

impl Engine {
    pub fn new(opts: BuildOptions) -> Engine {
        let root = std::fs::canonicalize(&opts.root).unwrap_or_else(|_| opts.root.clone());
        Engine {
            opts,
            root,
            ignored: Vec::new(),
            built: None,
            pending: None,
        }
    }

    /// Changes below `dir` are not changes of the site (an output folder
    /// inside the site folder).
    pub fn ignore(&mut self, dir: &Path) {
        // It may not exist yet (before the first build).
        let dir = std::fs::canonicalize(dir)
            .or_else(|_| std::path::absolute(dir))
            .unwrap_or_else(|_| dir.to_path_buf());
        self.ignored.push(dir);
    }

    /// The site folder, absolute.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The model of the last good build.
    pub fn site(&self) -> Option<&Site> {
        self.built.as_ref().map(|b| b.site.borrow_owner())
    }

    /// Builds everything into `target`.
    pub fn build_all(&mut self, target: &mut dyn Target) -> Result<Report, BuildError> {
        self.pending = Some(Change::Full);
        self.run(target)
    }

    /// Rebuilds what changes of `paths` (absolute, or relative to the site
    /// folder) affect. `Ok(None)`: none of them is part of the site. On an
    /// error the target keeps the last good site, and the change is tried
    /// again with the next one.
    pub fn update(
        &mut self,
        paths: &[PathBuf],
        target: &mut dyn Target,
    ) -> Result<Option<Report>, BuildError> {
        let Some(mut report) = self.update_deferring(paths, target)? else {
            return Ok(None);
        };
        if let Some(later) = self.run_deferred(target)? {
            report.rebuilt_stages.extend(later.rebuilt_stages);
            report.deferred_stages.clear();
            report.rendered += later.rendered;
            report.written += later.written;
            report.removed += later.removed;
            report.phases.extend(later.phases);
            report.elapsed += later.elapsed;
        }
        Ok(Some(report))
    }

    /// [`update`](Self::update), but stages that can only run in full (the
    /// search index) are put off until [`run_deferred`](Self::run_deferred):
    /// the pages are served at once, and the slow stage runs once the edits
    /// pause (once for a whole series of saves).
    pub fn update_deferring(
        &mut self,
        paths: &[PathBuf],
        target: &mut dyn Target,
    ) -> Result<Option<Report>, BuildError> {
        let rel: Vec<&Path> = paths.iter().filter_map(|p| self.relative(p)).collect();
        let Some(change) = Change::of_paths(rel) else {
            return Ok(None);
        };
        self.pending = Some(match self.pending.take() {
            Some(p) => p.merge(change),
            None => change,
        });
        self.run(target).map(Some)
    }

    /// Whether a change failed and waits to be tried again.
    pub fn has_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Whether some stage's files are behind the model.
    pub fn has_deferred(&self) -> bool {
        self.built.as_ref().is_some_and(|b| !b.deferred.is_empty())
    }

    /// Whether every stage whose full run was put off serves the changes
    /// already with provisional files: then the full run can wait for a
    /// longer pause.
    pub fn deferred_are_provisional(&self) -> bool {
        self.built
            .as_ref()
            .is_some_and(|b| b.deferred.iter().all(|i| b.provisional.contains(i)))
    }

    /// Runs the stages put off by [`update_deferring`](Self::update_deferring)
    /// in full, and hands their changed files to `target`. `Ok(None)` when
    /// none was put off.
    pub fn run_deferred(&mut self, target: &mut dyn Target) -> Result<Option<Report>, BuildError> {
        self.run_deferred_with(target, &Progress::quiet())
    }

    /// [`run_deferred`](Self::run_deferred), given up with
    /// [`BuildError::Interrupted`] as soon as `progress` should stop. Nothing
    /// reaches the target then, and the stages stay put off (their
    /// provisional files, such as the search delta, still serve).
    pub fn run_deferred_with(
        &mut self,
        target: &mut dyn Target,
        progress: &Progress,
    ) -> Result<Option<Report>, BuildError> {
        let start = Instant::now();
        let Some(built) = self.built.as_mut().filter(|b| !b.deferred.is_empty()) else {
            return Ok(None);
        };
        let input = StageInput {
            site: built.site.borrow_owner(),
            idx: built.site.borrow_dependent(),
            theme: &built.theme,
            root: &self.opts.root,
            progress,
            scratch: None,
        };
        let mut batch = BTreeMap::new();
        let mut removed = BTreeSet::new();
        let mut sets = Vec::new();
        let mut report = Report::default();
        for &i in &built.deferred {
            let stage_start = Instant::now();
            let before = built.files[i]
                .as_ref()
                .expect("only stages with file lists wait");
            let (files, gone) = rebuild_stage(&mut *built.stages[i], &input, before)?;
            report.rebuilt_stages.push(built.stages[i].name());
            report
                .phases
                .push((built.stages[i].name(), stage_start.elapsed()));
            sets.push((i, files.keys().cloned().collect::<BTreeSet<String>>()));
            removed.extend(gone);
            batch.extend(files);
        }
        report.rendered = batch.len();
        let apply_start = Instant::now();
        // On failure the stages' provisional files stay on the target, and
        // stay what their updates build on (no `build_applied`).
        let applied = target.apply(batch, &removed)?;
        report.phases.push(("apply", apply_start.elapsed()));
        for (i, set) in sets {
            built.files[i] = Some(set);
            built.stages[i].build_applied();
        }
        built.deferred.clear();
        built.provisional.clear();
        report.written = applied.written;
        report.removed = applied.removed;
        report.elapsed = start.elapsed();
        Ok(Some(report))
    }

    fn relative<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        if path.is_relative() {
            return Some(path);
        }
        if self.ignored.iter().any(|d| path.starts_with(d)) {
            return None;
        }
        // Paths as the watcher gives them (below the real, resolved root),
        // or as the caller wrote the root (through a symbolic link).
        path.strip_prefix(&self.root)
            .or_else(|_| path.strip_prefix(&self.opts.root))
            .ok()
    }

    fn run(&mut self, target: &mut dyn Target) -> Result<Report, BuildError> {
        let start = Instant::now();
        let Some(change) = self.pending.clone() else {
            return Ok(Report::default());
        };
        let result = match (&change, self.built.is_some()) {
            (Change::Meetings(keys), true) => match self.incremental(keys, target) {
                Ok(Some(report)) => Ok(report),
                Ok(None) => self.full(target),
                Err(e) => Err(e),
            },
            _ => self.full(target),
        };
        match result {
            Ok(mut report) => {
                self.pending = None;
                report.elapsed = start.elapsed();
                Ok(report)
            }
            Err(e) => Err(e),
        }
    }

    fn full(&mut self, target: &mut dyn Target) -> Result<Report, BuildError> {
        let site = build::load(&self.opts)?;
        let theme = Theme::load(&self.opts.root, &site.config.theme)?;
        let site = IndexedSite::new(site, |s| SiteIndex::new(s));
        let mut stages = stage::stages(site.borrow_owner().config.outputs, true);
        let mut files = Vec::new();
        let mut rendered = 0;
        let applied = {
            let input = StageInput {
                site: site.borrow_owner(),
                idx: site.borrow_dependent(),
                theme: &theme,
                root: &self.opts.root,
                progress: &Progress::quiet(),
                scratch: None,
            };
            target.replace_all(&mut |sink| {
                let recorded = stage::side_by_side(&mut stages, |stage| {
                    let rec = Recorder::new(sink);
                    stage.build(&input, &rec)?;
                    Ok(rec.into_paths())
                })?;
                rendered = recorded.iter().map(BTreeSet::len).sum();
                files = stages
                    .iter()
                    .zip(recorded)
                    .map(|(stage, paths)| (!stage.updates_partially()).then_some(paths))
                    .collect();
                Ok(())
            })?
        };
        for stage in stages.iter_mut() {
            stage.build_applied();
        }
        self.built = Some(Built {
            site,
            theme,
            stages,
            files,
            deferred: BTreeSet::new(),
            provisional: BTreeSet::new(),
        });
        Ok(Report {
            full: true,
            rendered,
            written: applied.written,
            removed: applied.removed,
            ..Report::default()
        })
    }

    /// `Ok(None)` when the change needs a full build after all.
    fn incremental(
        &mut self,
        keys: &BTreeSet<MeetingKey>,
        target: &mut dyn Target,
    ) -> Result<Option<Report>, BuildError> {
        let built = self
            .built
            .as_mut()
            .expect("incremental updates follow a build");
        let mut phases = Vec::new();
        let start = Instant::now();
        let new_site = match reload_meetings(&self.opts.root, built.site.borrow_owner(), keys)? {
            Reload::Site(s) => s,
            Reload::NeedsFull => return Ok(None),
        };
        phases.push(("reload", start.elapsed()));
        let start = Instant::now();
        let new_site = IndexedSite::new(new_site, |s| SiteIndex::new(s));
        phases.push(("index", start.elapsed()));
        // From here on stages may have changed their own state: if the
        // update fails now, the next one starts over with a full build.
        let updated =
            update_stages(built, &new_site, keys, &self.opts.root, &mut phases).and_then(|u| {
                if u.needs_full {
                    return Ok(None);
                }
                let start = Instant::now();
                let rendered = u.files.len();
                let applied = target.apply(u.files, &u.removed)?;
                phases.push(("apply", start.elapsed()));
                Ok(Some((applied, rendered, u.sets)))
            });
        let (applied, rendered, sets) = match updated {
            Ok(Some(x)) => x,
            // A stage broke its promise to update partially: start over.
            Ok(None) => return Ok(None),
            Err(e) => {
                self.built = None;
                return Err(e);
            }
        };
        let built = self.built.as_mut().expect("still built");
        built.site = new_site;
        let mut deferred_stages = Vec::new();
        let mut rebuilt_stages = Vec::new();
        for (i, change) in sets.into_iter().enumerate() {
            match change {
                FileSetChange::Partial {
                    written,
                    removed,
                    provisional,
                } => {
                    if let Some(files) = built.files[i].as_mut() {
                        for p in &removed {
                            files.remove(p);
                        }
                        files.extend(written);
                    }
                    if provisional {
                        built.deferred.insert(i);
                        built.provisional.insert(i);
                        deferred_stages.push(built.stages[i].name());
                    }
                }
                FileSetChange::Deferred => {
                    built.deferred.insert(i);
                    built.provisional.remove(&i);
                    deferred_stages.push(built.stages[i].name());
                }
                FileSetChange::Rebuilt { files } => {
                    built.files[i] = Some(files);
                    built.stages[i].build_applied();
                    built.deferred.remove(&i);
                    built.provisional.remove(&i);
                    rebuilt_stages.push(built.stages[i].name());
                }
            }
        }
        Ok(Some(Report {
            full: false,
            meetings: keys.len(),
            rendered,
            written: applied.written,
            removed: applied.removed,
            rebuilt_stages,
            deferred_stages,
            elapsed: Duration::ZERO,
            phases,
        }))
    }
}

/// How a stage's set of files changes with an update.
enum FileSetChange {
    Partial {
        written: BTreeSet<String>,
        removed: Vec<String>,
        /// Files written for now; the full run is left for
        /// [`Engine::run_deferred`].
        provisional: bool,
    },
    /// Left for [`Engine::run_deferred`].
    Deferred,
    /// The stage ran in full within the update: these are all its files.
    Rebuilt { files: BTreeSet<String> },
}

/// What the stages wrote for a change: the files, the paths to remove,
/// and how each stage's set of files changes.
struct StageUpdates {
    files: BTreeMap<String, Content>,
    removed: BTreeSet<String>,
    sets: Vec<FileSetChange>,
    /// A stage without a file list asked to run in full.
    needs_full: bool,
}

fn update_stages(
    built: &mut Built,
    new_site: &IndexedSite,
    keys: &BTreeSet<MeetingKey>,
    root: &Path,
    phases: &mut Vec<(&'static str, Duration)>,
) -> Result<StageUpdates, BuildError> {
    let quiet = Progress::quiet();
    let old = StageInput {
        site: built.site.borrow_owner(),
        idx: built.site.borrow_dependent(),
        theme: &built.theme,
        root,
        progress: &quiet,
        scratch: None,
    };
    let new = StageInput {
        site: new_site.borrow_owner(),
        idx: new_site.borrow_dependent(),
        theme: &built.theme,
        root,
        progress: &quiet,
        scratch: None,
    };
    let change = ModelChange {
        old: &old,
        new: &new,
        meetings: keys,
    };

    let batch = MemoryOutput::default();
    let mut removed = BTreeSet::new();
    let mut sets = Vec::new();
    let mut needs_full = false;
    for (i, stage) in built.stages.iter_mut().enumerate() {
        if built.deferred.contains(&i) && !built.provisional.contains(&i) {
            // Already behind: its next full run catches up with this too.
            sets.push(FileSetChange::Deferred);
            continue;
        }
        let start = Instant::now();
        let rec = Recorder::new(&batch);
        let set = match stage.update(&change, &rec)? {
            Update::Partial { removed: gone } => {
                removed.extend(gone.iter().cloned());
                FileSetChange::Partial {
                    written: rec.into_paths(),
                    removed: gone,
                    provisional: false,
                }
            }
            // Run in full by `run_deferred`, once edits pause; the files
            // for now are tracked like partial ones, so that the full run
            // removes what it does not write again.
            Update::Provisional { removed: gone } => {
                needs_full |= built.files[i].is_none();
                removed.extend(gone.iter().cloned());
                FileSetChange::Partial {
                    written: rec.into_paths(),
                    removed: gone,
                    provisional: true,
                }
            }
            // Run in full by `run_deferred`, once edits pause.
            Update::Rebuild => {
                needs_full |= built.files[i].is_none();
                FileSetChange::Deferred
            }
            // Run in full now, into the same batch as the pages: the
            // target never serves the one without the other.
            Update::RebuildNow => match built.files[i].as_ref() {
                Some(before) => {
                    stage.build(&new, &rec)?;
                    let written = rec.into_paths();
                    removed.extend(before.iter().filter(|p| !written.contains(*p)).cloned());
                    FileSetChange::Rebuilt { files: written }
                }
                None => {
                    needs_full = true;
                    FileSetChange::Deferred
                }
            },
        };
        phases.push((stage.name(), start.elapsed()));
        sets.push(set);
    }
    Ok(StageUpdates {
        files: batch.into_files(),
        removed,
        sets,
        needs_full,
    })
}

/// Runs a stage in full: its files, and those of `before` it no longer writes.
fn rebuild_stage(
    stage: &mut dyn Stage,
    input: &StageInput<'_>,
    before: &BTreeSet<String>,
) -> Result<(BTreeMap<String, Content>, Vec<String>), BuildError> {
    let out = MemoryOutput::default();
    stage.build(input, &out)?;
    let out = out.into_files();
    let gone = before
        .iter()
        .filter(|p| !out.contains_key(*p))
        .cloned()
        .collect();
    Ok((out, gone))
}
