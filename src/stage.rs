//! The stages that turn the loaded model into output files, and how each
//! follows a change of the model in `serve` and `build --watch`.
//!
//! `build` runs every stage's [`Stage::build`] into one sink. The
//! incremental engine ([`crate::incremental`]) runs them once the same way,
//! then, after each change of content, asks each stage for
//! [`Stage::update`]: the stage writes the files the change affects and names
//! the files it no longer produces. A stage that cannot (yet) do that
//! answers [`Update::Rebuild`]; the engine then runs its `build` again and
//! compares with what it wrote before, which is correct but slower.

use std::collections::BTreeSet;
use std::path::Path;

use crate::build::Progress;
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
}

impl StageInput<'_> {
    /// Where the meeting folder `key` sits in this model, if it exists.
    pub fn meeting(&self, key: &MeetingKey) -> Option<MeetingRef> {
        let ci = self.committee(&key.committee)?;
        let mi = self.site.committees[ci]
            .meetings
            .iter()
            .position(|m| m.folder == key.folder)?;
        Some(MeetingRef {
            committee: ci,
            meeting: mi,
        })
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
    /// The stage cannot update partially: run [`Stage::build`] again.
    Rebuild,
}

pub trait Stage {
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
}

/// Every stage, in the order they run.
pub fn stages() -> Vec<Box<dyn Stage>> {
    vec![
        Box::new(crate::render::stage::PagesStage),
        Box::new(crate::render::stage::FilesStage),
    ]
}
