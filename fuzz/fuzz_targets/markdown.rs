//! Any bytes as a Markdown article (front matter, nesting, tables, footnotes).
#![no_main]
use claimdesk_core::corpus::{ImportLimits, import::parse_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_bytes("md", data, &ImportLimits::default());
});
