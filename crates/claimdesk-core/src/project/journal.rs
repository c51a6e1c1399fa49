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
    let Some(read) = read(&journal_path(project))? else {
        return Ok(None);
    };
    let Some(journal_for) = read.journal_for else {
        return Ok(Some(Recovered {
            torn_lines: 1,
            ..Recovered::default()
        }));
    };
    let recovered = Recovered {
        stale: journal_for != base_hash,
        torn_lines: read.unreadable.len(),
        edits: read.edits,
    };
    if recovered.edits.is_empty() && !recovered.stale {
        return Ok(None);
    }
    Ok(Some(recovered))
}

/// A journal file as it is on disk.
#[derive(Debug, Default)]
pub struct JournalFile {
    /// Hash of the project file the edits were made against (`None`: the header is unreadable).
    pub journal_for: Option<String>,
    pub edits: Vec<Edit>,
    /// Lines that are not an edit (torn by a crash, or damaged), as they are.
    pub unreadable: Vec<String>,
}

/// Reads any journal file (`None` if it does not exist or is empty).
pub fn read(path: &Path) -> std::io::Result<Option<JournalFile>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut lines = BufReader::new(file).lines();
    let Some(Ok(first)) = lines.next() else {
        return Ok(None);
    };
    let mut read = JournalFile {
        journal_for: ron::from_str::<Header>(&first).ok().map(|h| h.journal_for),
        ..JournalFile::default()
    };
    for line in lines {
        let line = line?;
        match ron::from_str::<Edit>(&line) {
            Ok(edit) => read.edits.push(edit),
            Err(_) if line.trim().is_empty() => {}
            Err(_) => read.unreadable.push(line),
        }
    }
    Ok(Some(read))
}

/// Rewrites a set-aside journal to hold only `journal.edits` and its unreadable lines
/// (atomically: the old file stays whole until the new one is in place).
pub fn rewrite(path: &Path, journal: &JournalFile) -> std::io::Result<()> {
    let mut text = ron::to_string(&Header {
        journal_for: journal.journal_for.clone().unwrap_or_default(),
    })
    .map_err(std::io::Error::other)?;
    text.push('\n');
    for edit in &journal.edits {
        text.push_str(&ron::to_string(edit).map_err(std::io::Error::other)?);
        text.push('\n');
    }
    for line in &journal.unreadable {
        text.push_str(line);
        text.push('\n');
    }
    super::file::write_atomically(path, text.as_bytes())
}

/// Journals set aside next to `project` (`NAME.ron.journal.<stamp>.unapplied`), oldest first.
pub fn set_aside_journals(project: &Path) -> Vec<PathBuf> {
    let live = journal_path(project);
    let (Some(dir), Some(name)) = (live.parent(), live.file_name()) else {
        return Vec::new();
    };
    let prefix = format!("{}.", name.to_string_lossy());
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".unapplied")
        })
        .map(|entry| dir.join(entry.file_name()))
        .collect();
    found.sort();
    found
}

/// Moves a journal that cannot be applied aside (never deletes the analyst's work).
pub fn set_aside(project: &Path) -> std::io::Result<PathBuf> {
    let path = journal_path(project);
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let mut aside = path.with_extension(format!("journal.{stamp}.unapplied"));
    // Two set aside within a second must not overwrite each other.
    let mut n = 1;
    while aside.exists() {
        aside = path.with_extension(format!("journal.{stamp}-{n}.unapplied"));
        n += 1;
    }
    std::fs::rename(&path, &aside)?;
    Ok(aside)
}
