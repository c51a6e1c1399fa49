//! Every integration test of the binary and the core, one module per file, built as one test
//! binary: seventeen binaries meant seventeen compilations of the same generic code and seventeen
//! links per CI run.

mod support;

mod archive;
mod claims;
mod cli;
mod crash;
mod crossref;
mod entities;
mod exports;
mod factchecks;
mod import;
mod merge;
mod operations;
mod project_file;
mod properties;
mod sandbox;
mod scenario;
mod sync;
mod workflow;

/// With `autotests = false`, a test file left out of the list above would never run.
#[test]
fn every_test_file_is_a_module_here() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let listed = include_str!("integration.rs");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs") && name != "integration" {
            assert!(
                listed.contains(&format!("\nmod {name};\n")),
                "tests/{name}.rs is not declared in tests/integration.rs: add `mod {name};`"
            );
        }
    }
}
