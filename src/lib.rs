//! protokol publishes a municipality's committee minutes as a static website.
//!
//! The pipeline, one module per stage: [`load`] reads `content/` into the
//! [`model`] (checking each file as it goes), [`check`] validates what needs
//! the whole site, [`render`] turns it into pages with the theme, and
//! [`feeds`] and [`oparl`] publish the same model for feed readers,
//! calendars, crawlers and other systems, and [`output`] writes the result.
//! [`build`] runs the stages in order.
//!
//! The output stages share one interface, [`stage::Stage`], so that
//! `serve` and `build --watch` can update them after a change: [`watch`]
//! turns file events into batches of changed paths, and the
//! [`incremental`] engine reloads the changed meeting folders and asks each
//! stage for the files they affect. [`serve`] serves the result from memory.

pub mod build;
pub mod check;
pub mod config;
pub mod error;
pub mod escape;
pub mod feeds;
pub mod import;
pub mod incremental;
pub mod load;
pub mod model;
pub mod oparl;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod site_index;
pub mod stage;
pub mod timezone;
pub mod urls;
pub mod watch;
