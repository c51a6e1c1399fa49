//! Any bytes as a PDF (lopdf's parser, pdf-extract's text layer, the info dictionary).
#![no_main]
use claimdesk_core::corpus::{ImportLimits, import::parse_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_bytes("pdf", data, &ImportLimits::default());
});
