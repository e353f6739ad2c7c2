//! protokol publishes a municipality's committee minutes as a static website.
//!
//! The pipeline, one module per stage: [`load`] reads `content/` into the
//! [`model`] (checking each file as it goes), [`check`] validates what needs
//! the whole site, [`render`] turns it into pages with the theme, and
//! [`output`] writes the result. [`build`] runs the stages in order.

pub mod build;
pub mod check;
pub mod config;
pub mod error;
pub mod load;
pub mod model;
pub mod output;
pub mod render;
pub mod search;
pub mod site_index;
