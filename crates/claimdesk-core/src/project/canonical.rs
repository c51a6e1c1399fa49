//! The project file's layout, declared once and read and written with `ron`.
//!
//! A file is a RON struct: `format_version` first, then one field per [`Section`] of the
//! [`Schema`]. A value section is one line, a list has one element per line and a map one record
//! per line, sorted by id, so that git merges two analysts' edits line by line:
//!
//! ```text
//! (
//!     format_version: 1,
//!     name: "Lavrov",
//!     claims: {
//!         "01hf…": (article:"a.txt",anchor:(…),…),
//!     },
//! )
//! ```
//!
//! Values are what `ron` writes and reads, so a field added to a record with serde attributes is
//! saved and loaded with nothing to change here. `ron` alone is too slow for large projects
//! (figures in [`codec`]), so each value goes through [`codec`] first, which writes the bytes
//! `ron` writes and reads the same subset of RON back, and hands anything else to `ron`. Reading
//! has two paths over the same sections:
//!
//! - [`read`] first scans the lines for exactly this layout and parses the records of each map
//!   one line at a time, in parallel;
//! - anything else — a hand-edited file, a record over several lines, comments, and every broken
//!   file — is parsed by `ron` as a whole ([`read_whole`]), so that an error is reported at its
//!   line and column in the file.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{self, DeserializeOwned, Deserializer as _, MapAccess};

use super::{FORMAT_VERSION, Id, Project};

mod codec;

/// The first line of every file Claimdesk writes.
pub(super) const HEADER: &str =
    "// Claimdesk project. One record per line, sorted by id, so that git merges cleanly.\n";

/// A project nests four levels deep (file, map, record, anchor); deeper input is damaged or
/// hostile, and `ron` would otherwise recurse up to 128 levels on a thread's small stack.
pub(super) const MAX_DEPTH: usize = 16;

/// Errors a file can have, with positions in the whole file (1-based; columns count chars).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ReadError {
    Parse {
        line: usize,
        column: usize,
        message: String,
    },
    /// `format_version` is missing (0) or newer than [`Schema::version`].
    Version(u32),
    /// A map holds one id twice (a git conflict resolved by keeping both lines). `lines` are
    /// where each copy starts, when they can be told.
    Duplicate {
        record: &'static str,
        id: String,
        lines: Vec<usize>,
    },
}

/// What a project-like type `P` is stored as.
pub(super) struct Schema<P: 'static> {
    /// The format written, and the newest one read.
    pub version: u32,
    /// The value sections a file may leave out start from.
    pub blank: fn() -> P,
    /// In the order they are written.
    pub sections: &'static [&'static dyn Section<P>],
}

/// One top-level field of the file.
pub(super) trait Section<P>: Sync {
    fn name(&self) -> &'static str;
    /// Appends `    NAME: …,\n` to the last piece of `out`; large maps add pieces of their own.
    fn write(&self, from: &P, out: &mut Vec<String>) -> Result<(), ron::Error>;
    /// Reads the section from its lines in the canonical layout. `None` when they are not in
    /// it (the whole file is then read by `ron`).
    fn read_lines(&self, layout: Layout<'_>, into: &mut P) -> Option<Result<(), ReadError>>;
    /// Reads the section from its RON text, found by `ron` at `at` in the file.
    fn read_ron(
        &self,
        ron: &str,
        at: Place,
        options: &ron::Options,
        into: &mut P,
    ) -> Result<(), ReadError>;
}

/// How a section sits in the canonical layout.
pub(super) enum Layout<'a> {
    /// `    NAME: VALUE,`
    Value(Line<'a>),
    /// `    NAME: [` or `{`, the lines between, `    ],` or `},`.
    Block(&'a [Line<'a>]),
}

/// A line of the file without its indentation and trailing comma.
#[derive(Clone, Copy, Debug)]
pub(super) struct Line<'a> {
    pub text: &'a str,
    /// 1-based line number in the file.
    pub number: usize,
}

/// A position in the file (1-based line, 1-based char column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Place {
    pub line: usize,
    pub column: usize,
}

impl Place {
    /// Where `inner`, a slice of `text`, starts in it.
    fn of(text: &str, inner: &str) -> Place {
        let offset = (inner.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let before = text.get(..offset).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Place {
            line: 1 + memchr::memchr_iter(b'\n', before.as_bytes()).count(),
            column: 1 + before[line_start..].chars().count(),
        }
    }

    /// A `ron` position inside text that starts here.
    fn plus(self, inner: ron::error::Position) -> Place {
        if inner.line <= 1 {
            Place {
                line: self.line,
                column: self.column + inner.col.saturating_sub(1),
            }
        } else {
            Place {
                line: self.line + inner.line - 1,
                column: inner.col,
            }
        }
    }
}

/// The options every value is read with: implicit `Some` lets people hand-edit optional fields
/// as `title: "T"`.
pub(super) fn options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_DEPTH)
}

fn parse_error(err: &ron::error::SpannedError, at: Place) -> ReadError {
    let place = at.plus(err.span.start);
    ReadError::Parse {
        line: place.line,
        column: place.column,
        message: describe(&err.code),
    }
}

/// `ron`'s message, except where it speaks to the programmer rather than the file's owner.
fn describe(code: &ron::Error) -> String {
    match code {
        ron::Error::ExceededRecursionLimit => format!(
            "brackets are nested more than {MAX_DEPTH} deep here; a project nests at most four \
             levels, so this part of the file is damaged or was not written by Claimdesk"
        ),
        other => other.to_string(),
    }
}

/// `text` as one value of type `T`, with errors placed in the file.
fn value<T: DeserializeOwned>(
    text: &str,
    at: Place,
    options: &ron::Options,
) -> Result<T, ReadError> {
    options.from_str(text).map_err(|e| parse_error(&e, at))
}

// ---------------------------------------------------------------------------------------------
// Sections

/// A field written on one line: `    name: "Lavrov",`.
pub(super) struct Value<P, T: 'static> {
    pub name: &'static str,
    pub get: fn(&P) -> &T,
    pub get_mut: fn(&mut P) -> &mut T,
}

impl<P, T: Serialize + DeserializeOwned> Section<P> for Value<P, T> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn write(&self, from: &P, out: &mut Vec<String>) -> Result<(), ron::Error> {
        let out = last(out);
        out.push_str("    ");
        out.push_str(self.name);
        out.push_str(": ");
        codec::write_value(out, (self.get)(from))?;
        out.push_str(",\n");
        Ok(())
    }

    fn read_lines(&self, layout: Layout<'_>, into: &mut P) -> Option<Result<(), ReadError>> {
        let Layout::Value(line) = layout else {
            return None;
        };
        let parsed: T = codec::read_value(line.text)
            .or_else(|| value(line.text, Place::default(), &options()).ok())?;
        *(self.get_mut)(into) = parsed;
        Some(Ok(()))
    }

    fn read_ron(
        &self,
        ron: &str,
        at: Place,
        options: &ron::Options,
        into: &mut P,
    ) -> Result<(), ReadError> {
        *(self.get_mut)(into) = value(ron, at, options)?;
        Ok(())
    }
}

/// A sequence written one element per line; `C` is a `Vec` or a set of `T`.
pub(super) struct List<P, C: 'static, T> {
    pub name: &'static str,
    pub get: fn(&P) -> &C,
    pub get_mut: fn(&mut P) -> &mut C,
    pub item: PhantomData<fn() -> T>,
}

impl<P, C, T> Section<P> for List<P, C, T>
where
    C: FromIterator<T> + DeserializeOwned + Sync,
    for<'c> &'c C: IntoIterator<Item = &'c T>,
    T: Serialize + DeserializeOwned,
{
    fn name(&self) -> &'static str {
        self.name
    }

    fn write(&self, from: &P, out: &mut Vec<String>) -> Result<(), ron::Error> {
        let out = last(out);
        out.push_str("    ");
        out.push_str(self.name);
        out.push_str(": [\n");
        for item in (self.get)(from) {
            out.push_str("        ");
            codec::write_value(out, item)?;
            out.push_str(",\n");
        }
        out.push_str("    ],\n");
        Ok(())
    }

    fn read_lines(&self, layout: Layout<'_>, into: &mut P) -> Option<Result<(), ReadError>> {
        let Layout::Block(lines) = layout else {
            return None;
        };
        let options = options();
        let items = lines
            .iter()
            .map(|line| {
                codec::read_value(line.text)
                    .or_else(|| value::<T>(line.text, Place::default(), &options).ok())
            })
            .collect::<Option<C>>()?;
        *(self.get_mut)(into) = items;
        Some(Ok(()))
    }

    fn read_ron(
        &self,
        ron: &str,
        at: Place,
        options: &ron::Options,
        into: &mut P,
    ) -> Result<(), ReadError> {
        *(self.get_mut)(into) = value(ron, at, options)?;
        Ok(())
    }
}

/// A list written only when it has items (a file without it reads as empty), so that files
/// without any stay as they were.
pub(super) struct IfAny<P: 'static, S> {
    pub list: S,
    pub is_empty: fn(&P) -> bool,
}

impl<P, S: Section<P>> Section<P> for IfAny<P, S> {
    fn name(&self) -> &'static str {
        self.list.name()
    }

    fn write(&self, from: &P, out: &mut Vec<String>) -> Result<(), ron::Error> {
        if (self.is_empty)(from) {
            return Ok(());
        }
        self.list.write(from, out)
    }

    fn read_lines(&self, layout: Layout<'_>, into: &mut P) -> Option<Result<(), ReadError>> {
        self.list.read_lines(layout, into)
    }

    fn read_ron(
        &self,
        ron: &str,
        at: Place,
        options: &ron::Options,
        into: &mut P,
    ) -> Result<(), ReadError> {
        self.list.read_ron(ron, at, options, into)
    }
}

/// Records by id, one per line: `        "01hf…": (…),`.
pub(super) struct Map<P, V: 'static> {
    pub name: &'static str,
    /// What one record is called in messages ("claim").
    pub record: &'static str,
    pub get: fn(&P) -> &BTreeMap<Id, V>,
    pub get_mut: fn(&mut P) -> &mut BTreeMap<Id, V>,
}

impl<P, V: Serialize + DeserializeOwned + Send + Sync> Section<P> for Map<P, V> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn write(&self, from: &P, out: &mut Vec<String>) -> Result<(), ron::Error> {
        let map = (self.get)(from);
        let head = last(out);
        head.push_str("    ");
        head.push_str(self.name);
        head.push_str(": {\n");
        if map.len() < 2 * MIN_CHUNK {
            for (key, value) in map {
                write_record(head, key, value)?;
            }
        } else {
            // Large maps: chunks written in parallel become pieces of their own, so that they
            // need not be copied together.
            let entries: Vec<(&Id, &V)> = map.iter().collect();
            let chunks = in_chunks(&entries, |chunk| {
                let mut text = String::new();
                for (i, (key, value)) in chunk.iter().enumerate() {
                    write_record(&mut text, key, *value)?;
                    if i == 0 {
                        // Records are alike: size the chunk after the first one.
                        let estimate = text.len().saturating_mul(chunk.len()) / 8 * 9;
                        text.reserve(estimate.min(256 << 20));
                    }
                }
                Ok::<_, ron::Error>(text)
            });
            for chunk in chunks {
                out.push(chunk?);
            }
            out.push(String::new());
        }
        last(out).push_str("    },\n");
        Ok(())
    }

    fn read_lines(&self, layout: Layout<'_>, into: &mut P) -> Option<Result<(), ReadError>> {
        let Layout::Block(lines) = layout else {
            return None;
        };
        let chunks = in_chunks(lines, |chunk| {
            let options = options();
            chunk
                .iter()
                .map(|line| {
                    let (key, value) = codec::read_record::<V>(line.text)
                        .or_else(|| record::<V>(line.text, &options))?;
                    Some((key, line.number, value))
                })
                .collect::<Option<Vec<_>>>()
        });
        let chunks = chunks.into_iter().collect::<Option<Vec<_>>>()?;
        Some(self.collect(chunks).map(|map| *(self.get_mut)(into) = map))
    }

    fn read_ron(
        &self,
        ron: &str,
        at: Place,
        options: &ron::Options,
        into: &mut P,
    ) -> Result<(), ReadError> {
        let Entries(entries) = value::<Entries<V>>(ron, at, options)?;
        // `ron` does not say where each entry was: find the lines of the ids that repeat.
        let records = entries
            .into_iter()
            .map(|(key, value)| (key, 0, value))
            .collect();
        let map = self.collect(vec![records]).map_err(|err| match err {
            ReadError::Duplicate { record, id, .. } => ReadError::Duplicate {
                lines: key_lines(ron, at, &id),
                record,
                id,
            },
            other => other,
        })?;
        *(self.get_mut)(into) = map;
        Ok(())
    }
}

impl<P, V> Map<P, V> {
    /// Records (id, line, value), in chunks, into a map; an id that occurs twice is refused.
    fn collect(&self, chunks: Vec<Vec<(Id, usize, V)>>) -> Result<BTreeMap<Id, V>, ReadError> {
        let mut records = chunks.iter().flatten();
        let sorted = records.next().is_none_or(|first| {
            records
                .try_fold(first, |a, b| (a.0 < b.0).then_some(b))
                .is_some()
        });
        // The writer sorts, so this is the usual case: `BTreeMap` builds from sorted, unique
        // keys in bulk, straight from the chunks.
        if sorted {
            return Ok(chunks
                .into_iter()
                .flatten()
                .map(|(k, _, v)| (k, v))
                .collect());
        }
        // A hand-resolved git conflict may leave records out of order, or one id twice.
        let mut records: Vec<(Id, usize, V)> = chunks.into_iter().flatten().collect();
        records.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        if let Some(pair) = records.windows(2).find(|w| w[0].0 == w[1].0) {
            let id = pair[0].0.clone();
            let lines = records
                .iter()
                .filter(|r| r.0 == id && r.1 > 0)
                .map(|r| r.1)
                .collect();
            return Err(ReadError::Duplicate {
                record: self.record,
                id,
                lines,
            });
        }
        Ok(records.into_iter().map(|(k, _, v)| (k, v)).collect())
    }
}

/// `"KEY": VALUE` as a key and a value.
fn record<V: DeserializeOwned>(text: &str, options: &ron::Options) -> Option<(Id, V)> {
    let mut de = ron::Deserializer::from_str_with_options(text, options).ok()?;
    let key: Id = serde::Deserialize::deserialize(&mut de).ok()?;
    let rest = de.remainder().strip_prefix(": ")?;
    let value = options.from_str(rest).ok()?;
    Some((key, value))
}

fn write_record<V: Serialize>(out: &mut String, key: &str, value: &V) -> Result<(), ron::Error> {
    out.push_str("        ");
    codec::write_value(out, key)?;
    out.push_str(": ");
    codec::write_value(out, value)?;
    out.push_str(",\n");
    Ok(())
}

/// The lines in `ron` (at `at` in the file) where `id` is a map key.
fn key_lines(ron: &str, at: Place, id: &str) -> Vec<usize> {
    let Ok(quoted) = ron::to_string(id) else {
        return Vec::new();
    };
    ron.match_indices(&quoted)
        .filter(|(i, _)| ron[i + quoted.len()..].trim_start().starts_with(':'))
        .map(|(i, _)| at.line + memchr::memchr_iter(b'\n', &ron.as_bytes()[..i]).count())
        .collect()
}

/// A map's entries in the order written, repeats kept (a `BTreeMap` would keep the last).
struct Entries<V>(Vec<(Id, V)>);

impl<'de, V: DeserializeOwned> serde::Deserialize<'de> for Entries<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<V>(PhantomData<V>);
        impl<'de, V: DeserializeOwned> de::Visitor<'de> for Visit<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of records by id")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visit(PhantomData))
    }
}

fn last(pieces: &mut Vec<String>) -> &mut String {
    if pieces.is_empty() {
        pieces.push(String::new());
    }
    let end = pieces.len() - 1;
    &mut pieces[end]
}

// ---------------------------------------------------------------------------------------------
// Writing

/// The file for `from`, in pieces to be written one after the other.
pub(super) fn write<P>(schema: &Schema<P>, from: &P) -> Result<Vec<String>, ron::Error> {
    let mut pieces = vec![format!(
        "{HEADER}(\n    format_version: {},\n",
        schema.version
    )];
    for section in schema.sections {
        section.write(from, &mut pieces)?;
    }
    last(&mut pieces).push_str(")\n");
    Ok(pieces)
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Reads a file (without a byte-order mark): the canonical layout line by line, anything else
/// through [`read_whole`].
pub(super) fn read<P>(schema: &Schema<P>, text: &str) -> Result<P, ReadError> {
    match read_lines(schema, text) {
        Some(result) => result,
        None => read_whole(schema, text),
    }
}

/// The canonical layout: header comments, `(`, `    format_version: N,`, each section at most
/// once in any order, `)`. `None` when the text is not in it or a line does not parse alone.
fn read_lines<P>(schema: &Schema<P>, text: &str) -> Option<Result<P, ReadError>> {
    let mut lines = lines(text).enumerate().map(|(i, text)| Line {
        text,
        number: i + 1,
    });
    let mut line = lines.next()?;
    while line.text.is_empty() || line.text.starts_with("//") {
        line = lines.next()?;
    }
    if line.text != "(" {
        return None;
    }
    let version = lines
        .next()?
        .text
        .strip_prefix("    format_version: ")?
        .strip_suffix(',')?;
    let version: u32 = codec::read_value(version)?;
    if version > schema.version || version == 0 {
        return Some(Err(ReadError::Version(version)));
    }
    let all: Vec<Line> = lines.collect();
    let mut rest = &all[..];
    let mut project = (schema.blank)();
    let mut seen = vec![false; schema.sections.len()];
    loop {
        let (first, after) = rest.split_first()?;
        if first.text == ")" {
            return after
                .iter()
                .all(|l| l.text.is_empty())
                .then_some(Ok(project));
        }
        let (name, value) = first.text.strip_prefix("    ")?.split_once(": ")?;
        let index = schema.sections.iter().position(|s| s.name() == name)?;
        if std::mem::replace(&mut seen[index], true) {
            return None;
        }
        let close = match value {
            "[" => "    ],",
            "{" => "    },",
            _ => {
                let line = Line {
                    text: value.strip_suffix(',')?,
                    number: first.number,
                };
                if let Err(err) =
                    schema.sections[index].read_lines(Layout::Value(line), &mut project)?
                {
                    return Some(Err(err));
                }
                rest = after;
                continue;
            }
        };
        let end = after.iter().position(|l| l.text == close)?;
        let body: Vec<Line> = after[..end]
            .iter()
            .map(|l| {
                Some(Line {
                    text: l.text.strip_prefix("        ")?.strip_suffix(',')?,
                    number: l.number,
                })
            })
            .collect::<Option<_>>()?;
        if let Err(err) = schema.sections[index].read_lines(Layout::Block(&body), &mut project)? {
            return Some(Err(err));
        }
        rest = &after[end + 1..];
    }
}

/// The lines of `text` as `str::split('\n')` gives them, without a `\r` at the end.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
}

/// Any RON text: `ron` reads the top-level struct, keeping each field's text, then each section
/// reads its own, so that every error has its place in the file.
pub(super) fn read_whole<P>(schema: &Schema<P>, text: &str) -> Result<P, ReadError> {
    let at_start = Place { line: 1, column: 1 };
    let mut de = ron::Deserializer::from_str_with_options(text, &options())
        .map_err(|e| parse_error(&e, at_start))?;
    let fields = Fields::deserialize(&mut de)
        .and_then(|fields| de.end().map(|()| fields))
        .map_err(|e| parse_error(&de.span_error(e), at_start))?;
    // Extensions the file enables at its top (`#![enable(…)]`) hold for every section.
    let options = options().with_default_extension(de.extensions());
    let version = match fields.get("format_version") {
        Some(ron) => value::<u32>(ron, Place::of(text, ron), &options)?,
        None => 0,
    };
    if version > schema.version || version == 0 {
        return Err(ReadError::Version(version));
    }
    let mut project = (schema.blank)();
    for (name, ron) in &fields.0 {
        // Fields of no section (from a hand edit) are ignored, as serde does.
        if let Some(section) = schema.sections.iter().find(|s| s.name() == name) {
            section.read_ron(ron, Place::of(text, ron), &options, &mut project)?;
        }
    }
    Ok(project)
}

/// The top-level struct's fields, each as its RON text (a slice of the file).
struct Fields<'a>(Vec<(String, &'a str)>);

impl<'a> Fields<'a> {
    fn get(&self, name: &str) -> Option<&'a str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, ron)| *ron)
    }

    fn deserialize(de: &mut ron::Deserializer<'a>) -> ron::Result<Self> {
        struct Visit;
        impl<'a> de::Visitor<'a> for Visit {
            type Value = Fields<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Claimdesk project: `(format_version: 1, …)`")
            }
            fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<Fields<'a>, A::Error> {
                let mut fields: Vec<(String, &'a str)> = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    let raw: &'a ron::value::RawValue = map.next_value()?;
                    if fields.iter().any(|(n, _)| *n == name) {
                        return Err(de::Error::custom(format_args!(
                            "the field `{name}` is given twice"
                        )));
                    }
                    fields.push((name, raw.get_ron()));
                }
                Ok(Fields(fields))
            }
        }
        de.deserialize_struct("Project", &[], Visit)
    }
}

impl Default for Place {
    fn default() -> Self {
        Place { line: 1, column: 1 }
    }
}

// ---------------------------------------------------------------------------------------------
// Parallel chunks

/// Records below this many per thread are not worth a thread.
const MIN_CHUNK: usize = 2048;

fn threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8)
    })
}

/// `f` over contiguous chunks of `items`, on up to [`threads`] threads; results in order. A
/// thread that cannot be started runs its chunk on the calling thread.
fn in_chunks<T: Sync, R: Send>(items: &[T], f: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let n = threads().min(items.len() / MIN_CHUNK).max(1);
    if n == 1 {
        return vec![f(items)];
    }
    let size = items.len().div_ceil(n);
    let f = &f;
    std::thread::scope(|scope| {
        let mut chunks = items.chunks(size);
        let first = chunks.next().unwrap_or_default();
        let spawned: Vec<_> = chunks
            .map(|chunk| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || f(chunk))
                    .map_err(|_| chunk)
            })
            .collect();
        let mut results = vec![f(first)];
        for handle in spawned {
            results.push(match handle {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(chunk) => f(chunk),
            });
        }
        results
    })
}

// ---------------------------------------------------------------------------------------------
// The project

/// Format 2 (and 1, which lacks `status_scale`): what a [`Project`] is stored as. Add a section here (and nowhere else) to store a
/// new top-level field; a new field of a record needs nothing here.
pub(super) static PROJECT: Schema<Project> = Schema {
    version: FORMAT_VERSION,
    blank: || Project {
        name: String::new(),
        ..Project::default()
    },
    sections: &[
        &Value {
            name: "name",
            get: |p: &Project| &p.name,
            get_mut: |p: &mut Project| &mut p.name,
        },
        &List {
            name: "rating_scale",
            get: |p: &Project| &p.rating_scale,
            get_mut: |p: &mut Project| &mut p.rating_scale,
            item: PhantomData,
        },
        // Format 2. A format 1 file has none and reads with the default scale (the blank
        // project's), which is all its migration needs: records read their new fields with
        // their serde defaults.
        &List {
            name: "status_scale",
            get: |p: &Project| &p.status_scale,
            get_mut: |p: &mut Project| &mut p.status_scale,
            item: PhantomData,
        },
        &Map {
            name: "articles",
            record: "article",
            get: |p: &Project| &p.articles,
            get_mut: |p: &mut Project| &mut p.articles,
        },
        &Map {
            name: "claims",
            record: "claim",
            get: |p: &Project| &p.claims,
            get_mut: |p: &mut Project| &mut p.claims,
        },
        &Map {
            name: "entities",
            record: "entity",
            get: |p: &Project| &p.entities,
            get_mut: |p: &mut Project| &mut p.entities,
        },
        &Map {
            name: "mentions",
            record: "mention",
            get: |p: &Project| &p.mentions,
            get_mut: |p: &mut Project| &mut p.mentions,
        },
        &Map {
            name: "evidence",
            record: "evidence",
            get: |p: &Project| &p.evidence,
            get_mut: |p: &mut Project| &mut p.evidence,
        },
        &List {
            name: "dismissed",
            get: |p: &Project| &p.dismissed,
            get_mut: |p: &mut Project| &mut p.dismissed,
            item: PhantomData,
        },
        &IfAny {
            list: List {
                name: "conflicts",
                get: |p: &Project| &p.conflicts,
                get_mut: |p: &mut Project| &mut p.conflicts,
                item: PhantomData,
            },
            is_empty: |p: &Project| p.conflicts.is_empty(),
        },
    ],
};

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};

    use super::*;

    /// A record as an older version wrote it.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct NoteV1 {
        text: String,
    }

    /// The same record after someone added fields with serde attributes only, of types the old
    /// hand-written reader did not handle (a float, a map, a tuple, a char).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct NoteV2 {
        text: String,
        #[serde(default)]
        weight: Option<f64>,
        #[serde(default)]
        tags: BTreeMap<String, (u8, char)>,
    }

    #[derive(Clone, Debug, PartialEq)]
    struct Book<N> {
        title: String,
        notes: BTreeMap<Id, N>,
    }

    fn blank<N>() -> Book<N> {
        Book {
            title: String::new(),
            notes: BTreeMap::new(),
        }
    }

    static V1: Schema<Book<NoteV1>> = Schema {
        version: 1,
        blank,
        sections: &[
            &Value {
                name: "title",
                get: |b: &Book<NoteV1>| &b.title,
                get_mut: |b: &mut Book<NoteV1>| &mut b.title,
            },
            &Map {
                name: "notes",
                record: "note",
                get: |b: &Book<NoteV1>| &b.notes,
                get_mut: |b: &mut Book<NoteV1>| &mut b.notes,
            },
        ],
    };

    static V2: Schema<Book<NoteV2>> = Schema {
        version: 1,
        blank,
        sections: &[
            &Value {
                name: "title",
                get: |b: &Book<NoteV2>| &b.title,
                get_mut: |b: &mut Book<NoteV2>| &mut b.title,
            },
            &Map {
                name: "notes",
                record: "note",
                get: |b: &Book<NoteV2>| &b.notes,
                get_mut: |b: &mut Book<NoteV2>| &mut b.notes,
            },
        ],
    };

    fn text<P>(schema: &Schema<P>, value: &P) -> String {
        write(schema, value).unwrap().concat()
    }

    #[test]
    fn a_field_added_to_a_record_is_written_one_record_per_line_and_read_both_ways() {
        let mut book = blank::<NoteV2>();
        book.title = "T \"quoted\"\nline".into();
        for i in 0..3 {
            book.notes.insert(
                format!("n{i}"),
                NoteV2 {
                    text: format!("note {i}, with “quotes” and \\ and é\u{301}"),
                    weight: (i > 0).then_some(0.25 * f64::from(i)),
                    tags: BTreeMap::from([("k".to_string(), (i as u8, 'é'))]),
                },
            );
        }
        let written = text(&V2, &book);
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines[0], HEADER.trim_end());
        assert_eq!(lines[2], "    format_version: 1,");
        assert_eq!(lines.len(), 10, "{written}");
        for (i, (id, note)) in book.notes.iter().enumerate() {
            assert_eq!(
                lines[5 + i],
                format!(
                    "        {}: {},",
                    ron::to_string(id).unwrap(),
                    ron::to_string(note).unwrap()
                )
            );
        }
        assert_eq!(read_lines(&V2, &written), Some(Ok(book.clone())));
        assert_eq!(read_whole(&V2, &written), Ok(book));

        // A file written before the field existed still loads, with the field's default.
        let mut old = blank::<NoteV1>();
        old.notes.insert("n0".into(), NoteV1 { text: "old".into() });
        let old_text = text(&V1, &old);
        let upgraded = read(&V2, &old_text).unwrap();
        assert_eq!(upgraded.notes["n0"].text, "old");
        assert_eq!(upgraded.notes["n0"].weight, None);
        assert!(read_lines(&V2, &old_text).is_some(), "read line by line");
    }

    fn claim(i: usize) -> crate::project::Claim {
        let text = [
            "plain",
            "quote \" and \\ and \n",
            "café – “curly” …",
            "e\u{301} \u{2028}",
        ][i % 4];
        crate::project::Claim {
            article: "a.txt".into(),
            anchor: crate::project::Anchor {
                start: i,
                end: i + 5,
                quote: text.into(),
                prefix: format!("{i}"),
                suffix: String::new(),
            },
            claimant: i.is_multiple_of(3).then(|| text.to_string()),
            verdict: Some("False".into()),
            note: text.into(),
            origin: crate::project::Origin::Analyst,
            conflicts: Vec::new(),
            status: None,
            assignee: i.is_multiple_of(2).then(|| text.to_string()),
            reviewer: None,
            signed_off: None,
            provenance: Default::default(),
        }
    }

    #[test]
    fn large_maps_are_written_as_ron_writes_each_record_and_read_back_in_parallel_chunks() {
        let mut project = Project::default();
        for i in 0..(3 * MIN_CHUNK + 7) {
            project.claims.insert(format!("{i:08}"), claim(i));
        }
        let written = write(&PROJECT, &project).unwrap();
        assert!(
            written.len() > 2,
            "the claims were written in parallel pieces"
        );
        let text = written.concat();
        let mut reference = String::new();
        for (key, value) in &project.claims {
            reference.push_str(&format!(
                "        {}: {},\n",
                ron::to_string(key).unwrap(),
                ron::to_string(value).unwrap()
            ));
        }
        assert!(text.contains(&format!("    claims: {{\n{reference}    }},\n")));
        assert_eq!(read_lines(&PROJECT, &text), Some(Ok(project.clone())));
        assert_eq!(read_whole(&PROJECT, &text), Ok(project));
    }
}
