//! Turns the shipped models into ready-to-read forms (see `src/analysis/model_formats.rs`).

#[allow(dead_code)]
#[path = "src/analysis/model_formats.rs"]
mod model_formats;

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    let models = manifest.join("../../assets/models");
    println!("cargo::rerun-if-changed=src/analysis/model_formats.rs");
    for name in ["claims.bin", "ner.bin"] {
        println!("cargo::rerun-if-changed=../../assets/models/{name}");
    }
    let read = |name: &str| {
        std::fs::read(models.join(name)).unwrap_or_else(|e| {
            panic!("cannot read assets/models/{name}: {e}; restore it with `git checkout`")
        })
    };
    let (header, terms) = model_formats::read_claims(&read("claims.bin"))
        .unwrap_or_else(|e| panic!("assets/models/claims.bin: {e}"));
    write(
        &out.join("claims.compiled"),
        &model_formats::compile_claims(&header, &terms),
    );
    let ner = model_formats::inflate_ner(&read("ner.bin"))
        .unwrap_or_else(|e| panic!("assets/models/ner.bin: {e}"));
    write(&out.join("ner.raw"), &ner);
}

fn write(path: &std::path::Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
