//! Shared test helpers: a copy of the sample project in a temp dir, so tests never touch the repo.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use claimdesk_core::workspace::{OpenOptions, Workspace};

pub fn repo() -> PathBuf {
    claimdesk_core::sample::root()
}

/// Copies `projects/sample.ron` and `assets/corpus/` into a fresh temp dir with the same layout.
pub struct SampleCopy {
    pub dir: tempfile::TempDir,
}

impl SampleCopy {
    /// The sample's articles with no records: tests that mark, rate and merge start from a blank
    /// project, as a user starting their own check would.
    pub fn new() -> Self {
        let copy = Self::with_fact_check();
        let path = copy.project();
        let mut project = claimdesk_core::project::file::load(&path).unwrap();
        project.claims.clear();
        project.evidence.clear();
        project.entities.clear();
        project.mentions.clear();
        std::fs::write(
            &path,
            claimdesk_core::project::file::to_ron_string(&project).unwrap(),
        )
        .unwrap();
        copy
    }

    /// The sample as shipped, with the Lavrov fact-check recorded.
    pub fn with_fact_check() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("projects")).unwrap();
        std::fs::create_dir_all(dir.path().join("assets/corpus")).unwrap();
        std::fs::copy(
            repo().join("projects/sample.ron"),
            dir.path().join("projects/sample.ron"),
        )
        .unwrap();
        for entry in std::fs::read_dir(repo().join("assets/corpus")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(
                entry.path(),
                dir.path().join("assets/corpus").join(entry.file_name()),
            )
            .unwrap();
        }
        Self { dir }
    }

    pub fn project(&self) -> PathBuf {
        self.dir.path().join("projects/sample.ron")
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir.path().join("assets/corpus")
    }

    pub fn options(&self) -> OpenOptions {
        OpenOptions {
            trusted_roots: vec![self.corpus()],
            read_only: false,
        }
    }

    pub fn open(&self) -> Workspace {
        Workspace::open(&self.project(), &self.options()).expect("sample opens")
    }
}

/// Char span of the first occurrence of `needle` in `text` at or after char offset `from`.
pub fn find_span(text: &str, needle: &str, from: usize) -> claimdesk_core::text::Span {
    let from_byte = text.char_indices().nth(from).map_or(text.len(), |(b, _)| b);
    let byte = text[from_byte..]
        .find(needle)
        .map(|b| b + from_byte)
        .unwrap_or_else(|| panic!("{needle:?} not found"));
    let start = text[..byte].chars().count();
    claimdesk_core::text::Span::new(start, start + needle.chars().count())
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// An empty project holding one article entry, `a.txt`, for tests that build records by hand.
pub fn one_article_project() -> claimdesk_core::project::Project {
    let mut project = claimdesk_core::project::Project::default();
    project.articles.insert(
        "a.txt".into(),
        claimdesk_core::project::ArticleEntry {
            path: "a.txt".into(),
            hash: String::new(),
            meta: Default::default(),
            corrected_text: None,
            capture: None,
        },
    );
    project
}

/// Fails when a `.rs` file in `tests_dir` is not declared as `mod NAME;` in `root` (the source
/// of the test binary's root file, `root_name`), except the files in `standalone`: with
/// `autotests = false` such a file would never run.
pub fn assert_every_test_file_is_a_module(
    tests_dir: &Path,
    root_name: &str,
    root: &str,
    standalone: &[&str],
) {
    for entry in std::fs::read_dir(tests_dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs")
            && name != root_name
            && !standalone.contains(&name)
        {
            assert!(
                root.contains(&format!("\nmod {name};\n")),
                "tests/{name}.rs is not declared in tests/{root_name}.rs: add `mod {name};`"
            );
        }
    }
}
