//! Incremental rebuilds for `serve` and `build --watch`.
//!
//! Changed paths are [classified](change) into the meeting folders they
//! belong to, or into "everything" (config, theme, templates, static files,
//! committees, free-standing pages). The [`Engine`] reloads only the
//! changed meeting folders into a copy of the model (meetings are shared,
//! so the copy is cheap), asks every [stage](crate::stage) for the files the
//! change affects, and hands them with the list of files no longer produced
//! to a [`Target`](target::Target): memory for `serve`, the output folder
//! for `build --watch`. The last good model and output stay untouched until
//! a change has loaded and rendered without problems.

pub mod change;
pub mod engine;
pub mod packed;
pub mod reload;
pub mod target;

pub use change::Change;
pub use engine::{Engine, Report};
pub use target::{DiskTarget, MemoryTarget, Target};
