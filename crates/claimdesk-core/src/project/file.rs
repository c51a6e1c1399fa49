//! Reading and writing project files (RON).
//!
//! The file is written for people and for git: a top-level `format_version`, then one record per
//! line in sorted maps, so two analysts' changes to different records merge without conflict.
//! Saves are atomic (temp file in the same folder, fsync, rename, fsync the folder): the file on
//! disk is always either the old or the new version. The previous version is kept in a rotating
//! backup folder.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{FORMAT_VERSION, Project, canonical};

/// How many previous versions of a project file are kept.
pub const BACKUPS_KEPT: usize = 10;

/// Project files larger than this are refused (a hostile or mistaken file must not exhaust memory).
pub const MAX_PROJECT_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ProjectFileError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path}:{line}:{column}: {message}. The file is not a valid Claimdesk project; fix it by hand or restore a backup from {backups}"
    )]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
        backups: String,
    },
    #[error(
        "{path} was made by a newer Claimdesk (format {found}). This version reads format {FORMAT_VERSION} and older: update Claimdesk to open it. The file was not changed"
    )]
    TooNew { path: PathBuf, found: u32 },
    #[error(
        "{path} is {size} bytes, more than any project should be ({MAX_PROJECT_BYTES} bytes); refusing to read it"
    )]
    TooLarge { path: PathBuf, size: u64 },
    #[error("{path} is not a Claimdesk project: {reason}")]
    Invalid { path: PathBuf, reason: String },
    #[error(
        "{path}: {record} {id} is in the file twice{}. These are two versions of one record (from a git conflict resolved by keeping both lines?): delete the line you do not want, or merge the two versions of the file with `claimdesk merge`. The file was not changed",
        lines_note(lines)
    )]
    DuplicateId {
        path: PathBuf,
        record: &'static str,
        id: String,
        /// Where each copy is, when known.
        lines: Vec<usize>,
    },
}

fn lines_note(lines: &[usize]) -> String {
    match lines {
        [] => String::new(),
        [one] => format!(" (line {one})"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(usize::to_string).collect();
            format!(" (lines {} and {last})", init.join(", "))
        }
    }
}

/// Serialises a project: `format_version`, then one record per line in sorted maps.
pub fn to_ron_string(project: &Project) -> Result<String, ron::Error> {
    Ok(canonical::write(&canonical::PROJECT, project)?.concat())
}

/// Parses project file text. `path` is only used in messages.
///
/// A file in the layout [`to_ron_string`] writes is read line by line (records in parallel);
/// anything else, including every broken file, is read by `ron` as a whole, so that errors carry
/// the line and column in the file.
pub fn from_ron_str(text: &str, path: &Path) -> Result<Project, ProjectFileError> {
    finish(canonical::read(&canonical::PROJECT, strip_bom(text)), path)
}

/// [`from_ron_str`] without the line-by-line path: `ron` parses the whole text.
#[doc(hidden)]
pub fn from_ron_str_slow(text: &str, path: &Path) -> Result<Project, ProjectFileError> {
    finish(
        canonical::read_whole(&canonical::PROJECT, strip_bom(text)),
        path,
    )
}

/// Editors on some systems start UTF-8 files with a byte-order mark; it is not part of the RON.
fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn finish(
    read: Result<Project, canonical::ReadError>,
    path: &Path,
) -> Result<Project, ProjectFileError> {
    // Format 1 lacks what format 2 added (the status scale, who/when, workflow fields): each reads
    // with its default, which is the whole migration. A later format chains migrations here.
    let project = read.map_err(|err| file_error(err, path))?;
    validate(&project, path)?;
    Ok(project)
}

fn file_error(err: canonical::ReadError, path: &Path) -> ProjectFileError {
    let path = path.to_path_buf();
    match err {
        canonical::ReadError::Parse {
            line,
            column,
            message,
        } => ProjectFileError::Parse {
            backups: backup_dir(&path).display().to_string(),
            path,
            line,
            column,
            message,
        },
        canonical::ReadError::Version(0) => ProjectFileError::Invalid {
            path,
            reason: "it has no format_version field (Claimdesk writes one in every project)".into(),
        },
        canonical::ReadError::Version(found) => ProjectFileError::TooNew { path, found },
        canonical::ReadError::Duplicate { record, id, lines } => ProjectFileError::DuplicateId {
            path,
            record,
            id,
            lines,
        },
    }
}

/// Cross-record checks a hand-edited or hostile file may fail.
fn validate(project: &Project, path: &Path) -> Result<(), ProjectFileError> {
    let invalid = |reason: String| ProjectFileError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    for (id, claim) in &project.claims {
        if claim.anchor.start > claim.anchor.end {
            return Err(invalid(format!("claim {id} has start after end")));
        }
    }
    for (id, mention) in &project.mentions {
        if !project.entities.contains_key(&mention.entity) {
            return Err(invalid(format!(
                "mention {id} refers to entity {}, which is not in the file",
                mention.entity
            )));
        }
    }
    for (id, evidence) in &project.evidence {
        if !project.claims.contains_key(&evidence.claim) {
            return Err(invalid(format!(
                "evidence {id} refers to claim {}, which is not in the file",
                evidence.claim
            )));
        }
    }
    for (id, entry) in &project.articles {
        if entry.path.is_empty() {
            return Err(invalid(format!("article {id} has an empty path")));
        }
    }
    Ok(())
}

/// Reads a project file.
pub fn load(path: &Path) -> Result<Project, ProjectFileError> {
    let (project, _) = load_with_hash(path)?;
    Ok(project)
}

/// Reads a project file and returns the hash of its bytes (to notice later changes on disk).
pub fn load_with_hash(path: &Path) -> Result<(Project, String), ProjectFileError> {
    let read_err = |source| ProjectFileError::Read {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > MAX_PROJECT_BYTES {
        return Err(ProjectFileError::TooLarge {
            path: path.to_path_buf(),
            size,
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    // Hash on another thread while this one checks and parses the text.
    let (project, hash) = std::thread::scope(|scope| {
        let hasher = std::thread::Builder::new()
            .spawn_scoped(scope, || hash_hex(&bytes))
            .ok();
        let project = match std::str::from_utf8(&bytes) {
            Ok(text) => from_ron_str(text, path),
            Err(e) => Err(ProjectFileError::Invalid {
                path: path.to_path_buf(),
                reason: format!(
                    "it is not UTF-8 text (invalid byte at offset {})",
                    e.valid_up_to()
                ),
            }),
        };
        let hash = hasher
            .and_then(|h| h.join().ok())
            .unwrap_or_else(|| hash_hex(&bytes));
        (project, hash)
    });
    Ok((project?, hash))
}

fn hash_hex(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// Writes `project` to `path` atomically, keeping the previous file as a backup. Returns the
/// hash of the bytes written.
pub fn save(project: &Project, path: &Path) -> Result<String, ProjectFileError> {
    let write_err = |source| ProjectFileError::Write {
        path: path.to_path_buf(),
        source,
    };
    let pieces = canonical::write(&canonical::PROJECT, project)
        .map_err(|e| write_err(std::io::Error::other(e)))?;
    let hash_pieces = || {
        let mut hasher = blake3::Hasher::new();
        for piece in &pieces {
            hasher.update(piece.as_bytes());
        }
        hasher.finalize().to_hex().to_string()
    };
    let backup = if path.exists() {
        Some(backup(path).map_err(write_err)?)
    } else {
        None
    };
    // Hash on another thread while this one writes and syncs.
    let (written, hash) = std::thread::scope(|scope| {
        let hasher = std::thread::Builder::new()
            .spawn_scoped(scope, hash_pieces)
            .ok();
        let written = write_pieces_atomically(path, &pieces);
        let hash = hasher
            .and_then(|h| h.join().ok())
            .unwrap_or_else(hash_pieces);
        (written, hash)
    });
    if let Err(err) = written {
        // The file was not replaced. A hard-linked backup would still share it: drop the link
        // so that editing the file in place cannot change the backup.
        if let Some(Backup {
            path: link,
            linked: true,
        }) = backup
        {
            std::fs::remove_file(link).ok();
        }
        return Err(write_err(err));
    }
    prune_backups(path);
    Ok(hash)
}

/// Temp file in the target's folder, fsync, rename over the target, fsync the folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_pieces_atomically(path, &[bytes])
}

/// [`write_atomically`] for bytes in pieces.
fn write_pieces_atomically(path: &Path, pieces: &[impl AsRef<[u8]>]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".claimdesk-save-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    for piece in pieces {
        tmp.write_all(piece.as_ref())?;
    }
    // Temp files are created private (0600); keep the permissions the file had, else the
    // usual 0644, so a save does not lock other readers out.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(&dir) {
        d.sync_all().ok();
    }
    Ok(())
}

/// Folder of rotating backups for a project file: `.claimdesk-backups/` beside it.
pub fn backup_dir(path: &Path) -> PathBuf {
    path.parent()
        .unwrap_or(Path::new("."))
        .join(".claimdesk-backups")
}

/// Backups of `path`, newest first.
pub fn backups(path: &Path) -> Vec<PathBuf> {
    let stem = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let mut found: Vec<PathBuf> = std::fs::read_dir(backup_dir(path))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&format!("{stem}.")))
        })
        .collect();
    found.sort();
    found.reverse();
    found
}

/// Puts `backup` in place of a project file that cannot be read, keeping the unreadable file
/// beside it as `NAME.unreadable-TIMESTAMP`. Returns where the unreadable file went.
pub fn restore_backup(path: &Path, backup: &Path) -> std::io::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".unreadable-{stamp}"));
    let aside = path.with_file_name(name);
    if path.exists() {
        std::fs::rename(path, &aside)?;
    }
    let bytes = std::fs::read(backup)?;
    write_atomically(path, &bytes)?;
    Ok(aside)
}

/// A backup just made of a project file.
struct Backup {
    path: PathBuf,
    /// A hard link to the file (not a copy).
    linked: bool,
}

/// Keeps the current version of `path` in the backup folder. The save that follows replaces
/// `path` by renaming a new file over it, so a hard link to the current file is a complete,
/// independent backup once the save is done, without copying the bytes; a copy is made where
/// links are not possible (other systems and file systems, symlinks, files with more links).
fn backup(path: &Path) -> std::io::Result<Backup> {
    let dir = backup_dir(path);
    std::fs::create_dir_all(&dir)?;
    let stem = path.file_name().unwrap_or_default().to_string_lossy();
    // Sortable timestamp with nanoseconds: saves in the same second keep distinct backups.
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.9fZ");
    let target = dir.join(format!("{stem}.{stamp}.bak"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let meta = std::fs::symlink_metadata(path)?;
        if meta.file_type().is_file()
            && meta.nlink() == 1
            && std::fs::hard_link(path, &target).is_ok()
        {
            return Ok(Backup {
                path: target,
                linked: true,
            });
        }
    }
    std::fs::copy(path, &target)?;
    Ok(Backup {
        path: target,
        linked: false,
    })
}

/// Removes all but the newest [`BACKUPS_KEPT`] backups of `path`.
fn prune_backups(path: &Path) {
    for old in backups(path).into_iter().skip(BACKUPS_KEPT) {
        std::fs::remove_file(old).ok();
    }
}

/// `path` relative to `base` with `/` separators, when it lies below `base`'s folder or can be
/// reached with `..`; absolute otherwise.
/// The absolute, canonical path of a project file (symlinks resolved, its folder made real).
///
/// Every decision about which files a project may read is made against this path's folder, so
/// it must never be relative or empty: a bare `evil.ron` has the parent `""`, against which any
/// path "starts with" the root. A file that does not exist yet (a new project) keeps its name
/// under its folder's canonical path.
pub fn resolve_project_path(path: &Path) -> std::io::Result<PathBuf> {
    if let Ok(real) = path.canonicalize() {
        return Ok(real);
    }
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} does not name a file", path.display()),
        )
    })?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Ok(folder.canonicalize()?.join(name))
}

pub fn relative_path(path: &Path, base_dir: &Path) -> String {
    let path_abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let base_abs = std::path::absolute(base_dir).unwrap_or_else(|_| base_dir.to_path_buf());
    let path_parts: Vec<_> = path_abs.components().collect();
    let base_parts: Vec<_> = base_abs.components().collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return path_abs.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".to_string(); base_parts.len() - common];
    parts.extend(
        path_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_format_is_refused_and_parse_errors_have_positions() {
        let path = Path::new("p.ron");
        let err = from_ron_str("(format_version: 99)", path).unwrap_err();
        assert!(
            err.to_string()
                .contains("made by a newer Claimdesk (format 99)"),
            "{err}"
        );
        let err = from_ron_str(
            "(\n  format_version: 1,\n  claims: {\n    \"x\": (article: 5,\n",
            path,
        )
        .unwrap_err();
        match err {
            ProjectFileError::Parse { line, .. } => assert!(line >= 4, "line {line}"),
            other => panic!("expected a parse error, got {other}"),
        }
    }

    #[test]
    fn relative_paths_use_dot_dot_and_slashes() {
        assert_eq!(
            relative_path(Path::new("/a/b/assets/x.txt"), Path::new("/a/b/projects")),
            "../assets/x.txt"
        );
        assert_eq!(
            relative_path(Path::new("/a/b/x.txt"), Path::new("/a/b")),
            "x.txt"
        );
    }
}
