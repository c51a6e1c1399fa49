//! The crash journal: every applied edit, appended and synced as it happens.
//!
//! The project file is only rewritten on save; between saves each edit is one line of RON in
//! `NAME.ron.journal` next to it, flushed to disk before the edit counts as done. The first line
//! names the hash of the project file the edits apply to, so a journal is never replayed onto a
//! different version. A save truncates the journal. A torn last line (power cut mid-write) is
//! ignored; every complete line before it is recovered.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Edit;

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    journal_for: String,
}

pub fn journal_path(project: &Path) -> PathBuf {
    let mut name = project.file_name().unwrap_or_default().to_os_string();
    name.push(".journal");
    project.with_file_name(name)
}

/// An open journal for appending.
pub struct Journal {
    file: File,
    path: PathBuf,
    /// Sync each line to disk (off only in benchmarks that measure the rest).
    pub sync: bool,
}

impl Journal {
    /// Starts a journal for a project file whose content hash is `base_hash`, holding `pending`
    /// edits already. Written atomically, then opened for appending.
    pub fn create_with(project: &Path, base_hash: &str, pending: &[Edit]) -> std::io::Result<Self> {
        let path = journal_path(project);
        let mut text = ron::to_string(&Header {
            journal_for: base_hash.to_string(),
        })
        .map_err(std::io::Error::other)?;
        text.push('\n');
        for edit in pending {
            text.push_str(&ron::to_string(edit).map_err(std::io::Error::other)?);
            text.push('\n');
        }
        super::file::write_atomically(&path, text.as_bytes())?;
        let file = OpenOptions::new().append(true).open(&path)?;
        Ok(Self {
            file,
            path,
            sync: true,
        })
    }

    /// Appends one applied edit and syncs it.
    pub fn append(&mut self, edit: &Edit) -> std::io::Result<()> {
        let line = ron::to_string(edit).map_err(std::io::Error::other)?;
        // One write call per line keeps a torn write to the last line only.
        let mut buf = line.into_bytes();
        buf.push(b'\n');
        self.file.write_all(&buf)?;
        if self.sync {
            self.file.sync_data()?;
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// What a leftover journal held.
#[derive(Debug, Default)]
pub struct Recovered {
    pub edits: Vec<Edit>,
    /// The journal was written against another version of the project file.
    pub stale: bool,
    /// A torn or unreadable line was skipped (the last one, from a crash mid-write).
    pub torn_lines: usize,
}

/// Reads the journal next to `project`, if any, for a project file with hash `base_hash`.
pub fn recover(project: &Path, base_hash: &str) -> std::io::Result<Option<Recovered>> {
    let path = journal_path(project);
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut lines = BufReader::new(file).lines();
    let Some(Ok(first)) = lines.next() else {
        return Ok(None);
    };
    let Ok(header) = ron::from_str::<Header>(&first) else {
        return Ok(Some(Recovered {
            torn_lines: 1,
            ..Recovered::default()
        }));
    };
    let mut recovered = Recovered {
        stale: header.journal_for != base_hash,
        ..Recovered::default()
    };
    for line in lines {
        match line.ok().and_then(|l| ron::from_str::<Edit>(&l).ok()) {
            Some(edit) => recovered.edits.push(edit),
            None => recovered.torn_lines += 1,
        }
    }
    if recovered.edits.is_empty() && !recovered.stale {
        return Ok(None);
    }
    Ok(Some(recovered))
}

/// Moves a journal that cannot be applied aside (never deletes the analyst's work).
pub fn set_aside(project: &Path) -> std::io::Result<PathBuf> {
    let path = journal_path(project);
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let aside = path.with_extension(format!("journal.{stamp}.unapplied"));
    std::fs::rename(&path, &aside)?;
    Ok(aside)
}
