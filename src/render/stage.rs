//! The rendering stages: HTML pages, and files copied as they are.

use std::collections::BTreeSet;

use crate::build::Counted;
use crate::error::BuildError;
use crate::output::Sink;
use crate::render::deps::Touched;
use crate::render::{Job, Renderer, attachment_files, copy_attachments, copy_files};
use crate::stage::{ModelChange, Stage, StageInput, Update};

/// Every HTML page: front page, committees, years, meetings, items, cases,
/// calendar, free-standing pages, search page, 404.
pub struct PagesStage;

impl Stage for PagesStage {
    fn name(&self) -> &'static str {
        "pages"
    }

    fn build(&mut self, input: &StageInput<'_>, sink: &dyn Sink) -> Result<usize, BuildError> {
        let renderer = Renderer::new(input.idx, input.theme)?;
        let jobs = renderer.all_jobs();
        input
            .progress
            .step(&format!("rendering {} pages", jobs.len()));
        renderer.render_jobs(&jobs, &Counted::new(sink, input.progress, jobs.len()))?;
        Ok(jobs.len())
    }

    fn update(&mut self, change: &ModelChange<'_>, sink: &dyn Sink) -> Result<Update, BuildError> {
        let touched = Touched::new(change);
        let new = Renderer::new(change.new.idx, change.new.theme)?;
        let jobs: Vec<Job> = touched.jobs(change.new).into_iter().collect();
        new.render_jobs(&jobs, sink)?;
        let written: BTreeSet<String> = jobs.iter().map(|j| new.output_path(j)).collect();
        // Pages of the old model that the change touched and that the new
        // model no longer has: a removed meeting, item, year or case.
        let old = Renderer::new(change.old.idx, change.old.theme)?;
        let removed = touched
            .jobs(change.old)
            .iter()
            .map(|j| old.output_path(j))
            .filter(|p| !written.contains(p))
            .collect();
        Ok(Update::Partial { removed })
    }

    fn updates_partially(&self) -> bool {
        true
    }
}

/// Static files of the theme and the site, and public attachments.
pub struct FilesStage;

impl Stage for FilesStage {
    fn name(&self) -> &'static str {
        "files"
    }

    fn build(&mut self, input: &StageInput<'_>, sink: &dyn Sink) -> Result<usize, BuildError> {
        copy_files(input.site, input.theme, sink)?;
        Ok(0)
    }

    fn update(&mut self, change: &ModelChange<'_>, sink: &dyn Sink) -> Result<Update, BuildError> {
        let files_in = |input: &StageInput<'_>| {
            change
                .meetings
                .iter()
                .filter_map(|k| input.meeting(k))
                .flat_map(|r| attachment_files(input.idx.meeting(r)))
                .collect::<Vec<_>>()
        };
        let new = files_in(change.new);
        let written: BTreeSet<String> = new.iter().map(|(p, _)| p.clone()).collect();
        copy_attachments(new, sink)?;
        let removed = files_in(change.old)
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| !written.contains(p))
            .collect();
        Ok(Update::Partial { removed })
    }

    fn updates_partially(&self) -> bool {
        true
    }
}
