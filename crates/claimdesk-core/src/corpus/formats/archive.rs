//! Reading members of zip containers (DOCX, EPUB) without trusting their declared sizes.
//!
//! Guards against zip bombs twice: before inflating, the declared uncompressed size and its ratio
//! to the compressed size are checked against [`ImportLimits`]; while inflating, reads are capped
//! at the remaining byte budget, so a member that lies about its size still cannot exhaust memory.

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use crate::corpus::ImportLimits;

/// Members smaller than this are never refused for their ratio (tiny XML compresses very well).
const RATIO_FLOOR_BYTES: u64 = 64 * 1024;

/// A zip archive in memory plus the budget of bytes it may still inflate.
pub struct SafeZip<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    limits: &'a ImportLimits,
    /// Bytes still allowed to be inflated from this archive (all members together).
    budget: u64,
    compressed_total: u64,
}

impl<'a> SafeZip<'a> {
    /// Opens an archive; `kind` names the format in messages ("DOCX", "EPUB").
    pub fn open(bytes: &'a [u8], limits: &'a ImportLimits, kind: &str) -> Result<Self, String> {
        if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
            return Err(format!(
                "this {kind} is an encrypted (password-protected) Office file or an old binary .doc; \
                 save an unprotected .docx copy and import that"
            ));
        }
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            format!("not a readable {kind} (the zip container is corrupt or truncated: {e})")
        })?;
        let budget = (limits.max_text_bytes as u64).saturating_mul(4);
        Ok(Self {
            archive,
            limits,
            budget,
            compressed_total: bytes.len() as u64,
        })
    }

    /// Names of all members, in archive order.
    pub fn names(&self) -> Vec<String> {
        self.archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect()
    }

    /// Reads a member fully, or `Ok(None)` when it does not exist.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let (declared, compressed, encrypted) = {
            let raw = self
                .archive
                .by_index_raw(index)
                .map_err(|e| format!("corrupt archive member {name}: {e}"))?;
            (raw.size(), raw.compressed_size(), raw.encrypted())
        };
        if encrypted {
            return Err(format!(
                "archive member {name} is password-protected; Claimdesk cannot read encrypted files"
            ));
        }
        if declared > self.budget {
            return Err(format!(
                "archive member {name} declares {declared} bytes uncompressed, over the limit of {} \
                 (possible zip bomb)",
                self.budget
            ));
        }
        if declared > RATIO_FLOOR_BYTES
            && declared / compressed.max(1) > self.limits.max_expansion_ratio
        {
            return Err(format!(
                "archive member {name} would expand {}× ({compressed} → {declared} bytes), over the \
                 {}× limit (possible zip bomb)",
                declared / compressed.max(1),
                self.limits.max_expansion_ratio
            ));
        }
        let file = match self.archive.by_index(index) {
            Ok(file) => file,
            Err(ZipError::UnsupportedArchive(msg)) => {
                return Err(format!("archive member {name} cannot be read: {msg}"));
            }
            Err(e) => return Err(format!("corrupt archive member {name}: {e}")),
        };
        // Never trust the declared size: read at most the budget (and the ratio cap) plus one byte.
        let ratio_cap = self
            .compressed_total
            .saturating_mul(self.limits.max_expansion_ratio)
            .max(RATIO_FLOOR_BYTES);
        let cap = self.budget.min(ratio_cap);
        let mut out = Vec::with_capacity(declared.min(cap) as usize);
        file.take(cap + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("corrupt archive member {name}: {e}"))?;
        if out.len() as u64 > cap {
            return Err(format!(
                "archive member {name} inflates past {cap} bytes although it declared {declared} \
                 (zip bomb or corrupt archive); stopped reading"
            ));
        }
        self.budget -= out.len() as u64;
        Ok(Some(out))
    }

    /// Reads a member as UTF-8 text (XML in these formats), or `Ok(None)` when it is missing.
    pub fn read_text(&mut self, name: &str) -> Result<Option<String>, String> {
        Ok(self
            .read(name)?
            .map(|bytes| match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            }))
    }
}
