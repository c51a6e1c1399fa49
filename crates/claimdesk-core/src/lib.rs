//! Claimdesk's core: a workbench for fact-checkers, without a window or a command line.
//!
//! [`corpus`] reads articles, [`analysis`] suggests claims and entities, [`project`] holds the
//! analyst's work and its file, [`workspace`] is a project being edited (undo, journal, lock),
//! [`report`] exports it. Nothing here depends on egui or clap: the GUI (`claimdesk-gui`) and the
//! CLI (the `claimdesk` binary) are thin front ends over the same functions.

pub mod activity;
pub mod analysis;
pub mod archive;
pub mod command;
pub mod corpus;
pub mod ops;
pub mod progress;
pub mod project;
pub mod report;
pub mod sample;
pub mod search;
pub mod settings;
pub mod sync;
pub mod text;
pub mod workspace;
