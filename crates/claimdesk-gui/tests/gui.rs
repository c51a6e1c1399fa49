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
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let listed = include_str!("gui.rs");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs") && !["gui", "sync_ui"].contains(&name) {
            assert!(
                listed.contains(&format!("\nmod {name};\n")),
                "tests/{name}.rs is not declared in tests/gui.rs: add `mod {name};`"
            );
        }
    }
}
