//! The loop of `serve` and `build --watch`: wait for changes, rebuild.

use crate::build::Progress;
use crate::error::BuildError;
use crate::incremental::{Engine, Report, Target};
use crate::watch::{SiteWatcher, Waited};

/// Rebuilds after every batch of changes until watching fails for good.
/// `done` hears of every rebuild or failed attempt. Files changed while a
/// rebuild runs make the next batch, and so another rebuild.
pub fn rebuild_on_change(
    watcher: &mut SiteWatcher,
    engine: &mut Engine,
    target: &mut dyn Target,
    done: &mut dyn FnMut(&Engine, Result<Report, BuildError>),
) {
    // A deferred run that failed is tried again after the next change,
    // not over and over.
    let mut deferred_failed = false;
    loop {
        // Stages that only run in full (the search index) wait until the
        // edits pause, so that saving file after file keeps pages quick.
        // When they serve the edits already (the search delta), their full
        // run (seconds on a large archive, and nothing is rebuilt while it
        // runs) waits for a longer pause.
        let pause = if engine.deferred_are_provisional() {
            super::SETTLE
        } else {
            super::QUIET
        };
        let first = (engine.has_deferred() && !deferred_failed).then_some(pause);
        let batch = match watcher.wait(first) {
            Waited::Batch(b) => b,
            Waited::Closed => return,
            Waited::Idle => {
                // A save during the full run (seconds on a large archive)
                // stops it: the change is served first, the run comes again
                // at the next pause.
                let progress = Progress::stoppable(watcher.changed_flag());
                match engine.run_deferred_with(target, &progress) {
                    Ok(Some(report)) => done(engine, Ok(report)),
                    Ok(None) | Err(BuildError::Interrupted) => {}
                    Err(e) => {
                        deferred_failed = true;
                        done(engine, Err(e));
                    }
                }
                continue;
            }
        };
        deferred_failed = false;
        let result = if batch.rescan {
            engine.build_all(target).map(Some)
        } else {
            let paths: Vec<_> = batch.paths.into_iter().collect();
            engine.update_deferring(&paths, target)
        };
        match result {
            Ok(None) => {}
            Ok(Some(report)) => done(engine, Ok(report)),
            Err(e) => done(engine, Err(e)),
        }
    }
}

/// One line about a rebuild, for the terminal.
pub fn describe(report: &Report) -> String {
    let what = if report.full {
        "Rebuilt everything".to_string()
    } else if report.meetings == 0 {
        format!("Caught up ({})", report.rebuilt_stages.join(", "))
    } else {
        format!(
            "Rebuilt {} meeting folder{}",
            report.meetings,
            if report.meetings == 1 { "" } else { "s" }
        )
    };
    let mut line = format!(
        "{what}: {} files rendered, {} changed, {} removed in {} ms",
        report.rendered,
        report.written,
        report.removed,
        report.elapsed.as_millis()
    );
    if !report.phases.is_empty() {
        let phases: Vec<String> = report
            .phases
            .iter()
            .map(|(name, d)| format!("{name} {:.1}", d.as_secs_f64() * 1000.0))
            .collect();
        line.push_str(&format!(" [{} ms]", phases.join(", ")));
    }
    if !report.deferred_stages.is_empty() {
        line.push_str(&format!(
            "; next, when edits pause: {}",
            report.deferred_stages.join(", ")
        ));
    }
    if report.meetings > 0 && !report.rebuilt_stages.is_empty() {
        line.push_str(&format!(" (in full: {})", report.rebuilt_stages.join(", ")));
    }
    line
}
