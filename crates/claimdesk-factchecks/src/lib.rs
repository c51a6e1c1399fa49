//! "Has this been checked before?" A local library of published fact-checks, shared by every
//! project, and matching of a project's claims against it.
//!
//! - [`import`] reads schema.org ClaimReview JSON-LD in every shape it is published in (one
//!   object, an array, `@graph`, a `DataFeed`, nested in a page's JSON-LD, embedded in HTML) and
//!   the Google Fact Check Tools `claims:search` response.
//! - [`library`] keeps them in one SQLite file (by default in the user's data directory; see
//!   [`library::default_path`]), one row per review URL: importing a review again updates it.
//! - [`terms`] turns a claim into what it is matched on (stems, figures as values, polarity).
//! - [`matching`] finds, for each claim, the fact-checks of the same claim, with a score and why.
//! - [`project`] does it for an open project: every claim and claim suggestion, and makes the
//!   edit that attaches a match as evidence.
//!
//! # Why SQLite with FTS5
//!
//! The library is long-lived user data that several Claimdesk windows and the command line may
//! write at once, and that grows by imports of whole feeds. SQLite (through `rusqlite`, with the
//! library compiled in, so nothing is needed on the system) gives atomic imports (a file's
//! reviews land together or not at all), a unique index on the review URL for updating instead
//! of doubling, safe concurrent access (WAL, a busy timeout), a schema version that a newer file
//! is refused by, and FTS5 for `factchecks list --query` (BM25-ranked search of the claims,
//! claimants and publishers, kept in step by triggers). A search engine such as tantivy would
//! bring its own file layout and writer lock for what FTS5 already does at this size; plain JSON
//! files would need their own locking and rewrite the whole library on each import.
//!
//! # Why the matching index is in memory
//!
//! Matching a project is many queries at once (10,000 claims against 100,000 fact-checks must
//! take under 5 s). FTS5 ranks with BM25 but scores every row that contains any query term, one
//! SQL row at a time; `claimdesk bench factchecks` measures it against the in-memory index on
//! the same library (see its output for the figures). So matching reads the stored terms
//! once into an inverted index ([`matching::MatchIndex`]) and ranks candidates with the same
//! BM25 there, across cores; FTS5 and the index tokenise nothing themselves: both use the terms
//! [`terms::analyse`] stored at import, so they agree.

pub mod eval;
pub mod import;
pub mod library;
pub mod matching;
pub mod project;
pub mod terms;

pub use import::FactCheck;
pub use library::{FileReport, Library, LibraryError, StoredFactCheck};
pub use matching::{CHECKED_BEFORE, ClaimMatches, MATCH_THRESHOLD, Match, MatchIndex, Why};
pub use project::{ClaimKind, ClaimResult, FoundFactCheck, ProjectClaim};
