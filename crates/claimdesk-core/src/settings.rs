//! The analyst's own settings, kept per user (not per project): who they are, for the "who and
//! when" on every record and for the commits a sync makes.
//!
//! Stored as RON in `settings.ron` under the user's config folder (`$XDG_CONFIG_HOME/claimdesk`
//! or `~/.config/claimdesk` on Linux, `~/Library/Application Support/org.Claimdesk.claimdesk`
//! on macOS, `%APPDATA%\Claimdesk\claimdesk\config` on Windows); `CLAIMDESK_CONFIG_DIR`
//! overrides the folder (tests, portable installs). Written atomically. `claimdesk config --name … --email …` sets it; the
//! GUI asks on first run when [`Settings::analyst`] is `None` and saves with [`Settings::save`].

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Who is working: recorded on the records they create and change, and as a sync's commit
/// author.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analyst {
    pub name: String,
    #[serde(default)]
    pub email: String,
}

impl Analyst {
    /// A name (trimmed, not empty) and an e-mail (trimmed; may be empty, else must look like
    /// one). The error says what is wrong.
    pub fn new(name: &str, email: &str) -> Result<Self, String> {
        let name = name.trim();
        let email = email.trim();
        if name.is_empty() {
            return Err("the analyst's name cannot be empty".into());
        }
        if name.contains(['<', '>', '\n']) {
            return Err(format!(
                "“{name}” cannot be a name (no <, > or line breaks)"
            ));
        }
        if !email.is_empty()
            && (!email.contains('@')
                || email.contains(char::is_whitespace)
                || email.contains(['<', '>']))
        {
            return Err(format!("“{email}” is not an e-mail address"));
        }
        Ok(Self {
            name: name.to_string(),
            email: email.to_string(),
        })
    }
}

impl std::fmt::Display for Analyst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.email.is_empty() {
            f.write_str(&self.name)
        } else {
            write!(f, "{} <{}>", self.name, self.email)
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// `None` until the analyst said who they are (the GUI's first-run prompt).
    #[serde(default)]
    pub analyst: Option<Analyst>,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(
        "cannot find a folder for Claimdesk's settings (no home folder); set CLAIMDESK_CONFIG_DIR"
    )]
    NoFolder,
    #[error("cannot read the settings {path}: {message}; fix or delete the file")]
    Read { path: PathBuf, message: String },
    #[error("cannot write the settings {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The folder holding Claimdesk's settings.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CLAIMDESK_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    // The same application name as the fact-check library's data folder.
    directories::ProjectDirs::from("org", "Claimdesk", "claimdesk")
        .map(|d| d.config_dir().to_path_buf())
}

/// Where the settings file is.
pub fn settings_path() -> Option<PathBuf> {
    config_dir().map(|d| d.join("settings.ron"))
}

impl Settings {
    /// The user's settings; defaults when there is no file yet.
    pub fn load() -> Result<Self, SettingsError> {
        Self::load_from(&settings_path().ok_or(SettingsError::NoFolder)?)
    }

    pub fn load_from(path: &Path) -> Result<Self, SettingsError> {
        match std::fs::read_to_string(path) {
            Ok(text) => ron::from_str(&text).map_err(|e| SettingsError::Read {
                path: path.to_path_buf(),
                message: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(SettingsError::Read {
                path: path.to_path_buf(),
                message: e.to_string(),
            }),
        }
    }

    /// Saves the settings (atomically), creating the folder. Returns where.
    pub fn save(&self) -> Result<PathBuf, SettingsError> {
        let path = settings_path().ok_or(SettingsError::NoFolder)?;
        self.save_to(&path)?;
        Ok(path)
    }

    pub fn save_to(&self, path: &Path) -> Result<(), SettingsError> {
        let write_err = |source| SettingsError::Write {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(write_err)?;
        }
        let mut text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(|e| write_err(std::io::Error::other(e)))?;
        text.push('\n');
        crate::project::file::write_atomically(path, text.as_bytes()).map_err(write_err)
    }
}

/// The analyst of this user's settings, if set (an unreadable settings file counts as unset).
pub fn current_analyst() -> Option<Analyst> {
    Settings::load().ok().and_then(|s| s.analyst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_refuse_bad_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/settings.ron");
        assert_eq!(Settings::load_from(&path).unwrap(), Settings::default());
        let settings = Settings {
            analyst: Some(Analyst::new(" Dana Reyes ", "dana@example.org").unwrap()),
        };
        settings.save_to(&path).unwrap();
        assert_eq!(Settings::load_from(&path).unwrap(), settings);
        assert_eq!(
            settings.analyst.unwrap().to_string(),
            "Dana Reyes <dana@example.org>"
        );
        assert!(Analyst::new("  ", "").unwrap_err().contains("empty"));
        assert!(
            Analyst::new("Dana", "not mail")
                .unwrap_err()
                .contains("e-mail")
        );
        std::fs::write(&path, "(analyst: Some(").unwrap();
        assert!(
            Settings::load_from(&path)
                .unwrap_err()
                .to_string()
                .contains("fix or delete")
        );
    }
}
