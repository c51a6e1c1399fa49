//! The window's flows, headless (egui_kittest), one module per file, built as one test binary
//! (sync_ui is its own: its `main` is also the merge driver).

#[path = "../../../tests/support/mod.rs"]
mod support;

mod team;
mod ui;
mod web;

/// With `autotests = false`, a flow file left out of the list above would never run.
#[test]
fn every_flow_file_is_a_module_here() {
    support::assert_every_test_file_is_a_module(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"),
        "gui",
        include_str!("gui.rs"),
        &["sync_ui"],
    );
}
