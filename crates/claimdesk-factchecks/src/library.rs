//! The library on disk: one SQLite file shared by every project.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::import::{self, FactCheck};
use crate::terms;

/// Environment variable naming the library file (tests and scripts use it so that they never
/// touch the user's own library).
pub const LIBRARY_ENV: &str = "CLAIMDESK_FACTCHECK_LIBRARY";

const SCHEMA_VERSION: i64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("fact-check library {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("fact-check library {path}: {message}")]
    Other { path: PathBuf, message: String },
}

/// Where the library is: `$CLAIMDESK_FACTCHECK_LIBRARY` if set, else `factchecks.sqlite` in
/// the platform's data directory (`~/.local/share/claimdesk` on Linux).
pub fn default_path() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(LIBRARY_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    directories::ProjectDirs::from("org", "Claimdesk", "claimdesk")
        .map(|dirs| dirs.data_dir().join("factchecks.sqlite"))
        .ok_or_else(|| {
            format!("no home folder to keep the fact-check library in; set {LIBRARY_ENV} or pass --library")
        })
}

/// A fact-check as stored, with its row id and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredFactCheck {
    pub id: i64,
    #[serde(flatten)]
    pub factcheck: FactCheck,
    /// The file it was last imported from.
    pub source_file: String,
    /// When it was last imported (RFC 3339).
    pub imported_at: String,
}

/// What importing one file did, as printed by `claimdesk factchecks import --json`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FileReport {
    pub path: String,
    /// "ok" or "skipped" (nothing could be read from the file).
    pub status: &'static str,
    /// Why the file was skipped.
    pub reason: Option<String>,
    /// "json-ld", "html" or "fact-check-tools".
    pub format: Option<&'static str>,
    /// Reviews read from the file.
    pub reviews: usize,
    /// New to the library.
    pub added: usize,
    /// Already there (same URL), now updated from this file.
    pub updated: usize,
    /// Already there and identical.
    pub unchanged: usize,
    /// Reviews in the file that could not be used, each with why.
    pub problems: Vec<String>,
}

impl FileReport {
    fn skipped(path: &Path, reason: String) -> Self {
        Self {
            path: path.display().to_string(),
            status: "skipped",
            reason: Some(reason),
            format: None,
            reviews: 0,
            added: 0,
            updated: 0,
            unchanged: 0,
            problems: Vec::new(),
        }
    }
}

pub struct Library {
    connection: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library").field("path", &self.path).finish()
    }
}

const COLUMNS: &str = "id, url, claim, claimant, rating, rating_value, best_rating, worst_rating, publisher, date, language, title, source_file, imported_at";

fn row_to_stored(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredFactCheck> {
    Ok(StoredFactCheck {
        id: row.get(0)?,
        factcheck: FactCheck {
            url: row.get(1)?,
            claim: row.get(2)?,
            claimant: row.get(3)?,
            rating: row.get(4)?,
            rating_value: row.get(5)?,
            best_rating: row.get(6)?,
            worst_rating: row.get(7)?,
            publisher: row.get(8)?,
            date: row.get(9)?,
            language: row.get(10)?,
            title: row.get(11)?,
        },
        source_file: row.get(12)?,
        imported_at: row.get(13)?,
    })
}

impl Library {
    /// Opens the library at `path`, creating it (and its folder) if needed.
    pub fn open(path: &Path) -> Result<Self, LibraryError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|err| LibraryError::Other {
                path: path.to_path_buf(),
                message: format!("cannot create the folder {}: {err}", parent.display()),
            })?;
        }
        let connection = Connection::open(path).map_err(|source| LibraryError::Sqlite {
            path: path.to_path_buf(),
            source,
        })?;
        let mut library = Self {
            connection,
            path: path.to_path_buf(),
        };
        library.set_up()?;
        Ok(library)
    }

    /// An empty library in memory (benchmarks, tests).
    pub fn in_memory() -> Result<Self, LibraryError> {
        let connection = Connection::open_in_memory().map_err(|source| LibraryError::Sqlite {
            path: PathBuf::from(":memory:"),
            source,
        })?;
        let mut library = Self {
            connection,
            path: PathBuf::from(":memory:"),
        };
        library.set_up()?;
        Ok(library)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql_error(&self, source: rusqlite::Error) -> LibraryError {
        LibraryError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn set_up(&mut self) -> Result<(), LibraryError> {
        // Another Claimdesk importing at the same time waits instead of failing.
        self.connection
            .busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| self.sql_error(e))?;
        let version: i64 = self
            .connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| self.sql_error(e))?;
        if version > SCHEMA_VERSION {
            return Err(LibraryError::Other {
                path: self.path.clone(),
                message: format!(
                    "made by a newer Claimdesk (schema {version}, this one reads {SCHEMA_VERSION}); left unchanged"
                ),
            });
        }
        self.connection
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 CREATE TABLE IF NOT EXISTS factchecks (
                    id INTEGER PRIMARY KEY,
                    url TEXT NOT NULL UNIQUE,
                    claim TEXT NOT NULL,
                    claimant TEXT,
                    rating TEXT,
                    rating_value REAL,
                    best_rating REAL,
                    worst_rating REAL,
                    publisher TEXT,
                    date TEXT,
                    language TEXT,
                    title TEXT,
                    source_file TEXT NOT NULL,
                    imported_at TEXT NOT NULL,
                    terms TEXT NOT NULL,
                    negated INTEGER NOT NULL DEFAULT 0,
                    who TEXT NOT NULL DEFAULT ''
                 );
                 CREATE VIRTUAL TABLE IF NOT EXISTS factcheck_index USING fts5(
                    terms, who, content = 'factchecks', content_rowid = 'id'
                 );
                 CREATE TRIGGER IF NOT EXISTS factchecks_added AFTER INSERT ON factchecks BEGIN
                    INSERT INTO factcheck_index(rowid, terms, who) VALUES (new.id, new.terms, new.who);
                 END;
                 CREATE TRIGGER IF NOT EXISTS factchecks_removed AFTER DELETE ON factchecks BEGIN
                    INSERT INTO factcheck_index(factcheck_index, rowid, terms, who)
                        VALUES ('delete', old.id, old.terms, old.who);
                 END;
                 CREATE TRIGGER IF NOT EXISTS factchecks_changed AFTER UPDATE ON factchecks BEGIN
                    INSERT INTO factcheck_index(factcheck_index, rowid, terms, who)
                        VALUES ('delete', old.id, old.terms, old.who);
                    INSERT INTO factcheck_index(rowid, terms, who) VALUES (new.id, new.terms, new.who);
                 END;
                 CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
            )
            .map_err(|e| self.sql_error(e))?;
        self.connection
            .pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(|e| self.sql_error(e))?;
        let stored_terms: Option<String> = self
            .connection
            .query_row(
                "SELECT value FROM settings WHERE key = 'terms_version'",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        if stored_terms.as_deref() != Some(&terms::TERMS_VERSION.to_string()) {
            self.recompute_terms()?;
        }
        Ok(())
    }

    /// After the term rules changed, every stored fact-check's terms are made again.
    fn recompute_terms(&mut self) -> Result<(), LibraryError> {
        let path = self.path.clone();
        let err = |source| LibraryError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.connection.transaction().map_err(err)?;
        {
            let mut read = tx
                .prepare("SELECT id, claim, claimant, publisher FROM factchecks")
                .map_err(err)?;
            let rows: Vec<(i64, String, Option<String>, Option<String>)> = read
                .query_map([], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .map_err(err)?
                .collect::<Result<_, _>>()
                .map_err(err)?;
            let mut write = tx
                .prepare("UPDATE factchecks SET terms = ?2, negated = ?3, who = ?4 WHERE id = ?1")
                .map_err(err)?;
            for (id, claim, claimant, publisher) in rows {
                let analysed = terms::analyse(&claim);
                write
                    .execute(params![
                        id,
                        analysed.keys(),
                        analysed.negated,
                        who_terms(claimant.as_deref(), publisher.as_deref())
                    ])
                    .map_err(err)?;
            }
            tx.execute(
                "INSERT OR REPLACE INTO settings(key, value) VALUES ('terms_version', ?1)",
                [terms::TERMS_VERSION.to_string()],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Imports files; one report per file, in order. A bad file is reported and the rest still
    /// import; each file's reviews are written in one transaction (all or none).
    pub fn import_files(&mut self, paths: &[PathBuf]) -> Vec<FileReport> {
        paths.iter().map(|path| self.import_file(path)).collect()
    }

    pub fn import_file(&mut self, path: &Path) -> FileReport {
        let bytes = match read_limited(path) {
            Ok(bytes) => bytes,
            Err(reason) => return FileReport::skipped(path, reason),
        };
        let parsed = match import::parse(&bytes) {
            Ok(parsed) => parsed,
            Err(reason) => return FileReport::skipped(path, reason),
        };
        let source = path.display().to_string();
        match self.upsert(&parsed.reviews, &source) {
            Ok((added, updated, unchanged)) => FileReport {
                path: source,
                status: "ok",
                reason: None,
                format: Some(parsed.format),
                reviews: parsed.reviews.len(),
                added,
                updated,
                unchanged,
                problems: parsed.problems,
            },
            Err(err) => FileReport::skipped(path, format!("not imported: {err}")),
        }
    }

    /// Adds or updates fact-checks by URL in one transaction: (added, updated, unchanged).
    pub fn upsert(
        &mut self,
        reviews: &[FactCheck],
        source_file: &str,
    ) -> Result<(usize, usize, usize), LibraryError> {
        let path = self.path.clone();
        let err = |source| LibraryError::Sqlite {
            path: path.clone(),
            source,
        };
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let tx = self.connection.transaction().map_err(err)?;
        let (mut added, mut updated, mut unchanged) = (0, 0, 0);
        {
            let mut find = tx
                .prepare_cached(&format!("SELECT {COLUMNS} FROM factchecks WHERE url = ?1"))
                .map_err(err)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO factchecks (url, claim, claimant, rating, rating_value, best_rating, worst_rating, publisher, date, language, title, source_file, imported_at, terms, negated, who)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                     ON CONFLICT(url) DO UPDATE SET claim = excluded.claim, claimant = excluded.claimant,
                        rating = excluded.rating, rating_value = excluded.rating_value,
                        best_rating = excluded.best_rating, worst_rating = excluded.worst_rating,
                        publisher = excluded.publisher, date = excluded.date, language = excluded.language,
                        title = excluded.title, source_file = excluded.source_file,
                        imported_at = excluded.imported_at, terms = excluded.terms,
                        negated = excluded.negated, who = excluded.who",
                )
                .map_err(err)?;
            for review in reviews {
                let url = review.url.trim();
                let existing = find
                    .query_row([url], row_to_stored)
                    .optional()
                    .map_err(err)?;
                let review = FactCheck {
                    url: url.to_string(),
                    ..review.clone()
                };
                match existing {
                    Some(old) if old.factcheck == review => {
                        unchanged += 1;
                        continue;
                    }
                    Some(_) => updated += 1,
                    None => added += 1,
                }
                let analysed = terms::analyse(&review.claim);
                insert
                    .execute(params![
                        review.url,
                        review.claim,
                        review.claimant,
                        review.rating,
                        review.rating_value,
                        review.best_rating,
                        review.worst_rating,
                        review.publisher,
                        review.date,
                        review.language,
                        review.title,
                        source_file,
                        now,
                        analysed.keys(),
                        analysed.negated,
                        who_terms(review.claimant.as_deref(), review.publisher.as_deref()),
                    ])
                    .map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        Ok((added, updated, unchanged))
    }

    pub fn len(&self) -> Result<usize, LibraryError> {
        self.connection
            .query_row("SELECT COUNT(*) FROM factchecks", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| n as usize)
            .map_err(|e| self.sql_error(e))
    }

    pub fn is_empty(&self) -> Result<bool, LibraryError> {
        Ok(self.len()? == 0)
    }

    /// Fact-checks whose claim, claimant or publisher has every word of `query` (stemmed as
    /// matching stems them), best first by FTS5's BM25; all of them, newest first, without a
    /// query. At most `limit`.
    pub fn list(
        &self,
        query: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredFactCheck>, LibraryError> {
        let limit = limit.min(i64::MAX as usize) as i64;
        let keys: Vec<String> = query
            .map(|q| {
                terms::analyse(q)
                    .terms
                    .into_iter()
                    .map(|t| format!("\"{}\"", t.key))
                    .collect()
            })
            .unwrap_or_default();
        if query.is_some() && keys.is_empty() {
            return Ok(Vec::new());
        }
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("f.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let result = if keys.is_empty() {
            let mut statement = self
                .connection
                .prepare(&format!(
                    "SELECT {columns} FROM factchecks f ORDER BY f.date DESC, f.id DESC LIMIT ?1"
                ))
                .map_err(|e| self.sql_error(e))?;
            statement
                .query_map([limit], row_to_stored)
                .and_then(|rows| rows.collect())
        } else {
            let mut statement = self
                .connection
                .prepare(&format!(
                    "SELECT {columns} FROM factcheck_index JOIN factchecks f ON f.id = factcheck_index.rowid
                     WHERE factcheck_index MATCH ?1 ORDER BY rank LIMIT ?2"
                ))
                .map_err(|e| self.sql_error(e))?;
            statement
                .query_map(params![keys.join(" AND "), limit], row_to_stored)
                .and_then(|rows| rows.collect())
        };
        result.map_err(|e| self.sql_error(e))
    }

    /// One fact-check by row id.
    pub fn get(&self, id: i64) -> Result<Option<StoredFactCheck>, LibraryError> {
        self.connection
            .query_row(
                &format!("SELECT {COLUMNS} FROM factchecks WHERE id = ?1"),
                [id],
                row_to_stored,
            )
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    /// Every fact-check's id, stored terms and polarity, for building the match index.
    pub(crate) fn all_terms(
        &self,
        mut each: impl FnMut(i64, &str, bool),
    ) -> Result<(), LibraryError> {
        let mut statement = self
            .connection
            .prepare("SELECT id, terms, negated FROM factchecks ORDER BY id")
            .map_err(|e| self.sql_error(e))?;
        let mut rows = statement.query([]).map_err(|e| self.sql_error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            let id: i64 = row.get(0).map_err(|e| self.sql_error(e))?;
            let terms = row.get_ref(1).map_err(|e| self.sql_error(e))?;
            let terms = terms.as_str().unwrap_or("");
            let negated: bool = row.get(2).map_err(|e| self.sql_error(e))?;
            each(id, terms, negated);
        }
        Ok(())
    }

    /// The FTS5 BM25 candidates for one claim: at most `limit` row ids, best first. Used to
    /// compare with the in-memory index (`bench factchecks`); matching uses the index.
    pub fn fts_candidates(&self, claim: &str, limit: usize) -> Result<Vec<i64>, LibraryError> {
        let analysed = terms::analyse(claim);
        let mut keys: Vec<String> = analysed
            .terms
            .iter()
            .map(|t| format!("\"{}\"", t.key))
            .collect();
        keys.sort();
        keys.dedup();
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT rowid FROM factcheck_index WHERE factcheck_index MATCH ?1 ORDER BY rank LIMIT ?2",
            )
            .map_err(|e| self.sql_error(e))?;
        statement
            .query_map(
                params![format!("terms: ({})", keys.join(" OR ")), limit as i64],
                |row| row.get(0),
            )
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql_error(e))
    }
}

/// Claimant and publisher words, for `list --query`.
fn who_terms(claimant: Option<&str>, publisher: Option<&str>) -> String {
    let text = [claimant.unwrap_or(""), publisher.unwrap_or("")].join(" ");
    terms::analyse(&text).keys()
}

fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let metadata = std::fs::metadata(path).map_err(|err| format!("cannot read it: {err}"))?;
    if metadata.is_dir() {
        return Err("is a folder; give the fact-check files in it".into());
    }
    if !metadata.is_file() {
        return Err("not a regular file (device, pipe or socket); not read".into());
    }
    if metadata.len() > import::MAX_FILE_BYTES {
        return Err(format!(
            "{} bytes, over the {}-byte limit for one fact-check file; split it",
            metadata.len(),
            import::MAX_FILE_BYTES
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| {
            file.take(import::MAX_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|err| format!("cannot read it: {err}"))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(url: &str, claim: &str) -> FactCheck {
        FactCheck {
            url: url.into(),
            claim: claim.into(),
            claimant: Some("Sergey Lavrov".into()),
            rating: Some("False".into()),
            publisher: Some("Polygraph.info".into()),
            ..FactCheck::default()
        }
    }

    #[test]
    fn the_same_url_is_updated_not_doubled_and_the_index_follows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib/factchecks.sqlite");
        let mut library = Library::open(&path).unwrap();
        let first = review(
            "https://f.example/1",
            "Iran funds Hamas with $100 million a year",
        );
        assert_eq!(
            library
                .upsert(
                    &[
                        first.clone(),
                        review("https://f.example/2", "Moscow hosted Hamas")
                    ],
                    "a.json"
                )
                .unwrap(),
            (2, 0, 0)
        );
        assert_eq!(
            library
                .upsert(std::slice::from_ref(&first), "a.json")
                .unwrap(),
            (0, 0, 1)
        );
        let changed = FactCheck {
            claim: "Russia sends drones to Iran".into(),
            ..first
        };
        assert_eq!(library.upsert(&[changed], "b.json").unwrap(), (0, 1, 0));
        drop(library);
        let library = Library::open(&path).unwrap();
        assert_eq!(library.len().unwrap(), 2);
        // The index has the new claim and not the old one.
        let hits = library.list(Some("drones"), 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].source_file, "b.json");
        assert!(library.list(Some("Hamas million"), 10).unwrap().is_empty());
        assert_eq!(
            library.list(Some("hosting"), 10).unwrap().len(),
            1,
            "stemmed"
        );
        assert_eq!(
            library.list(Some("lavrov"), 10).unwrap().len(),
            2,
            "claimant"
        );
        assert_eq!(library.list(None, 10).unwrap().len(), 2);
        assert_eq!(library.list(Some("the"), 10).unwrap().len(), 0);
    }

    #[test]
    fn a_library_from_a_newer_claimdesk_is_refused_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.sqlite");
        drop(Library::open(&path).unwrap());
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = Library::open(&path).unwrap_err().to_string();
        assert!(err.contains("newer Claimdesk"), "{err}");
    }
}
