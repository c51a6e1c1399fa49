//! Any bytes as a saved web page (decoding, bounded parse, readability, metadata, clean-up).
#![no_main]
use claimdesk_core::corpus::{ImportLimits, import::parse_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_bytes("html", data, &ImportLimits::default());
});
