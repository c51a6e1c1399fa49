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
    support::assert_every_test_file_is_a_module(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"),
        "integration",
        include_str!("integration.rs"),
        &[],
    );
}
