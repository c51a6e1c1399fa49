//! The bundled sample project: five articles (Oct 2023) about Russia, Iran and Hamas.

use std::path::PathBuf;

/// The repository folder (where `assets/` and `projects/` live), found from the executable's
/// location, then from the build-time source folder.
pub fn root() -> PathBuf {
    let candidates = std::env::current_exe()
        .ok()
        .into_iter()
        .flat_map(|exe| exe.ancestors().map(PathBuf::from).collect::<Vec<_>>())
        .chain(std::iter::once(source_root()));
    for dir in candidates {
        if dir.join("projects/sample.ron").is_file() && dir.join("assets/corpus").is_dir() {
            return dir;
        }
    }
    source_root()
}

/// The repository folder this crate was built from (`crates/claimdesk-core/../..`).
fn source_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The sample project file.
pub fn project_path() -> PathBuf {
    root().join("projects/sample.ron")
}

/// The sample corpus folder (trusted: the sample project reads its articles from there).
pub fn corpus_dir() -> PathBuf {
    root().join("assets/corpus")
}

/// Folders a project may read besides its own: the bundled sample reads its articles from
/// `assets/`, beside `projects/`; any other project gets none.
pub fn trusted_roots_for(project: &std::path::Path) -> Vec<PathBuf> {
    let is_sample = project.canonicalize().ok() == project_path().canonicalize().ok()
        && project.canonicalize().is_ok();
    if is_sample {
        vec![corpus_dir()]
    } else {
        Vec::new()
    }
}
