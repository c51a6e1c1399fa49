//! Claimdesk: a workbench for fact-checkers.
//!
//! The core — [`corpus`] (reading articles), [`analysis`] (suggestions), [`project`] (the
//! analyst's work and its file), [`report`] (exports) and [`workspace`] (a project being edited)
//! — never depends on egui; `cargo check --lib --no-default-features` proves it. The GUI in
//! `ui` is a thin view over [`workspace::Workspace`], and the command line in [`cli`] drives the
//! same core headless.

pub mod analysis;
pub mod bench;
pub mod cli;
pub mod command;
pub mod corpus;
pub mod progress;
pub mod project;
pub mod report;
pub mod sample;
pub mod search;
pub mod text;
pub mod workspace;

#[cfg(feature = "gui")]
pub mod ui;
