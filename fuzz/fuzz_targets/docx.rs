//! DOCX: odd first byte, the input is the whole file (zip container fuzzing); even, the rest is
//! `word/document.xml` (and `docProps/core.xml` after a NUL) inside a valid zip, so the XML
//! readers get explored, not only the zip checks.
#![no_main]
use std::io::Write;

use claimdesk_core::corpus::{ImportLimits, import::parse_bytes};
use libfuzzer_sys::fuzz_target;

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut out);
    for (name, data) in entries {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap();
    out.into_inner()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let limits = ImportLimits::default();
    if mode & 1 == 1 {
        let _ = parse_bytes("docx", rest, &limits);
        return;
    }
    let (document, core) = match rest.iter().position(|&b| b == 0) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &b""[..]),
    };
    let file = zip(&[("word/document.xml", document), ("docProps/core.xml", core)]);
    let _ = parse_bytes("docx", &file, &limits);
});
