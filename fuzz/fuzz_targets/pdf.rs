//! Any bytes as a PDF (lopdf's parser, pdf-extract's text layer, the info dictionary).
//!
//! pdf-extract panics on many malformed files (`expect` on missing keys); the PDF reader catches
//! those on purpose and reports the file as corrupt. libFuzzer's panic hook would abort on them
//! first, so the hook is silenced: only a panic that escapes the importer is a crash.
#![no_main]
use claimdesk_core::corpus::{ImportLimits, import::parse_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let _ = parse_bytes("pdf", data, &ImportLimits::default());
});
