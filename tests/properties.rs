//! Property tests for the two places hostile or changed input meets the analyst's data: the
//! project loader and re-anchoring. Run longer with `PROPTEST_CASES=100000 cargo test --test properties`.

use std::collections::BTreeMap;
use std::path::Path;

use claimdesk_core::analysis::EntityKind;
use claimdesk_core::corpus::{Article, ArticleMeta};
use claimdesk_core::project::anchor::{Anchor, Reanchor, reanchor};
use claimdesk_core::project::{
    ArticleEntry, Capture, Claim, Entity, Evidence, EvidenceSource, FieldConflict, Mention, Origin,
    Project, Provenance, Rating, Signed, Stance, file,
};
use claimdesk_core::text::Span;
use proptest::prelude::*;

const VALID: &str = r#"(
    format_version: 2,
    name: "P",
    rating_scale: [(label:"True",value:2),(label:"False",value:1)],
    articles: {
        "a.txt": (path:"a.txt",hash:"x",meta:(title:"T")),
    },
    claims: {
        "01": (article:"a.txt",anchor:(start:3,end:9,quote:"Lavrov",prefix:"",suffix:""),claimant:Some("S"),verdict:Some("False"),note:"n\u{e9}",origin:Analyst),
    },
    entities: {
        "e1": (name:"Iran",kind:GPE,aliases:["Tehran"]),
    },
    mentions: {
        "m1": (entity:"e1",article:"a.txt",anchor:(start:0,end:4,quote:"Iran")),
    },
    evidence: {
    },
    dismissed: [],
)"#;

#[test]
fn the_reference_file_loads() {
    let p = file::from_ron_str(VALID, Path::new("v.ron")).unwrap();
    assert_eq!(p.claims.len(), 1);
}

/// The loader's two paths (the fast one for files in the layout Claimdesk writes, `ron` for
/// everything else) give the same project or the same error.
fn same_outcome(text: &str) -> Result<(), TestCaseError> {
    let path = Path::new("m.ron");
    match (
        file::from_ron_str(text, path),
        file::from_ron_str_slow(text, path),
    ) {
        (Ok(fast), Ok(slow)) => prop_assert_eq!(fast, slow),
        (Err(fast), Err(slow)) => prop_assert_eq!(fast.to_string(), slow.to_string()),
        (fast, slow) => prop_assert!(false, "fast {:?}, slow {:?}", fast, slow),
    }
    Ok(())
}

/// How project files were written before the fast writer: `ron::to_string` for every value.
fn reference_ron_string(project: &Project) -> String {
    fn map<V: serde::Serialize>(out: &mut String, name: &str, map: &BTreeMap<String, V>) {
        out.push_str(&format!("    {name}: {{\n"));
        for (key, value) in map {
            out.push_str(&format!(
                "        {}: {},\n",
                ron::to_string(key).unwrap(),
                ron::to_string(value).unwrap()
            ));
        }
        out.push_str("    },\n");
    }
    let mut out = String::from(
        "// Claimdesk project. One record per line, sorted by id, so that git merges cleanly.\n(\n",
    );
    out.push_str(&format!(
        "    format_version: {},\n",
        claimdesk_core::project::FORMAT_VERSION
    ));
    out.push_str(&format!(
        "    name: {},\n",
        ron::to_string(&project.name).unwrap()
    ));
    out.push_str("    rating_scale: [\n");
    for rating in &project.rating_scale {
        out.push_str(&format!("        {},\n", ron::to_string(rating).unwrap()));
    }
    out.push_str("    ],\n");
    out.push_str("    status_scale: [\n");
    for step in &project.status_scale {
        out.push_str(&format!("        {},\n", ron::to_string(step).unwrap()));
    }
    out.push_str("    ],\n");
    map(&mut out, "articles", &project.articles);
    map(&mut out, "claims", &project.claims);
    map(&mut out, "entities", &project.entities);
    map(&mut out, "mentions", &project.mentions);
    map(&mut out, "evidence", &project.evidence);
    out.push_str("    dismissed: [\n");
    for key in &project.dismissed {
        out.push_str(&format!("        {},\n", ron::to_string(key).unwrap()));
    }
    out.push_str("    ],\n");
    // Written only when there are any.
    if !project.conflicts.is_empty() {
        out.push_str("    conflicts: [\n");
        for conflict in &project.conflicts {
            out.push_str(&format!("        {},\n", ron::to_string(conflict).unwrap()));
        }
        out.push_str("    ],\n");
    }
    out.push_str(")\n");
    out
}

/// Text of any kind: plain, any chars at all, or pieces of RON syntax.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,8}",
        prop::collection::vec(any::<char>(), 0..6).prop_map(String::from_iter),
        prop::sample::select(vec![
            "\"", "\\", "'", "\n", "\r\n", "\t", "\0", "e\u{301}", "\u{feff}", "\u{2028}",
            "r#\"x\"#", "// c", "/* c */", "    },", "None", "Some(x)", "\\u{41}", "é",
        ])
        .prop_map(String::from),
    ]
}

fn anchor() -> impl Strategy<Value = Anchor> {
    (0usize..1000, 0usize..50, text(), text(), text()).prop_map(
        |(start, len, quote, prefix, suffix)| Anchor {
            start,
            end: start + len,
            quote,
            prefix,
            suffix,
        },
    )
}

fn signed() -> impl Strategy<Value = Signed> {
    (text(), text()).prop_map(|(by, at)| Signed { by, at })
}

fn provenance() -> impl Strategy<Value = Provenance> {
    (prop::option::of(signed()), prop::option::of(signed()))
        .prop_map(|(created, changed)| Provenance { created, changed })
}

/// The editorial fields of a claim (format 2): status, assignee, reviewer, sign-off, who/when.
fn workflow() -> impl Strategy<
    Value = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<Signed>,
        Provenance,
    ),
> {
    (
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(signed()),
        provenance(),
    )
}

fn claim() -> impl Strategy<Value = Claim> {
    (
        text(),
        anchor(),
        prop::option::of(text()),
        prop::option::of(text()),
        text(),
        any::<bool>(),
        prop::collection::vec((text(), text(), text()), 0..2),
        workflow(),
    )
        .prop_map(
            |(
                article,
                anchor,
                claimant,
                verdict,
                note,
                suggested,
                conflicts,
                (status, assignee, reviewer, signed_off, provenance),
            )| Claim {
                article,
                anchor,
                claimant,
                verdict,
                note,
                origin: if suggested {
                    Origin::Suggestion
                } else {
                    Origin::Analyst
                },
                conflicts: conflicts
                    .into_iter()
                    .map(|(field, ours, theirs)| FieldConflict {
                        field,
                        ours,
                        theirs,
                    })
                    .collect(),
                status,
                assignee,
                reviewer,
                signed_off,
                provenance,
            },
        )
}

fn project() -> impl Strategy<Value = Project> {
    let article = (
        text(),
        text(),
        prop::collection::vec(prop::option::of(text()), 5),
        prop::option::of(text()),
        prop::option::of((prop::collection::vec(text(), 6), any::<u16>())),
    )
        .prop_map(|(path, hash, meta, corrected_text, capture)| ArticleEntry {
            path: format!("p{path}"),
            hash,
            meta: ArticleMeta {
                title: meta[0].clone(),
                source: meta[1].clone(),
                byline: meta[2].clone(),
                date: meta[3].clone(),
                url: meta[4].clone(),
            },
            corrected_text,
            capture: capture.map(|(fields, status)| Capture {
                url: fields[0].clone(),
                final_url: fields[1].clone(),
                retrieved_at: fields[2].clone(),
                status,
                content_type: fields[3].clone(),
                content_hash: fields[4].clone(),
                archive: fields[5].clone(),
            }),
        });
    let entity = (
        text(),
        prop::sample::select(EntityKind::ALL.to_vec()),
        prop::collection::vec(text(), 0..3),
        text(),
        provenance(),
    )
        .prop_map(|(name, kind, aliases, note, provenance)| Entity {
            name,
            kind,
            aliases,
            note,
            provenance,
        });
    let evidence = (
        prop::sample::select(Stance::ALL.to_vec()),
        prop_oneof![
            (text(), anchor())
                .prop_map(|(article, anchor)| EvidenceSource::Passage { article, anchor }),
            (text(), text()).prop_map(|(url, title)| EvidenceSource::Url { url, title }),
        ],
        text(),
        provenance(),
    );
    (
        (text(), prop::collection::vec(text(), 0..4)),
        prop::collection::vec((text(), any::<i32>()), 0..4),
        prop::collection::btree_map(text(), article, 0..3),
        prop::collection::btree_map(text(), claim(), 0..5),
        prop::collection::btree_map(text(), entity, 0..3),
        prop::collection::btree_map(text(), (text(), anchor(), provenance()), 0..3),
        prop::collection::btree_map(text(), evidence, 0..3),
        prop::collection::btree_set(text(), 0..3),
        prop::collection::vec((text(), text(), text()), 0..2),
    )
        .prop_map(
            |(
                (name, status_scale),
                scale,
                articles,
                claims,
                entities,
                mentions,
                evidence,
                dismissed,
                conflicts,
            )| {
                // References point at records that exist, as the loader requires.
                let entity = entities.keys().next().cloned();
                let claim = claims.keys().next().cloned();
                Project {
                    name,
                    rating_scale: scale
                        .into_iter()
                        .map(|(label, value)| Rating { label, value })
                        .collect(),
                    status_scale,
                    articles,
                    mentions: mentions
                        .into_iter()
                        .filter_map(|(id, (article, anchor, provenance))| {
                            let entity = entity.clone()?;
                            Some((
                                id,
                                Mention {
                                    entity,
                                    article,
                                    anchor,
                                    provenance,
                                },
                            ))
                        })
                        .collect(),
                    evidence: evidence
                        .into_iter()
                        .filter_map(|(id, (stance, source, note, provenance))| {
                            let claim = claim.clone()?;
                            Some((
                                id,
                                Evidence {
                                    claim,
                                    stance,
                                    source,
                                    note,
                                    provenance,
                                },
                            ))
                        })
                        .collect(),
                    claims,
                    entities,
                    dismissed,
                    conflicts: conflicts
                        .into_iter()
                        .map(|(field, ours, theirs)| FieldConflict {
                            field,
                            ours,
                            theirs,
                        })
                        .collect(),
                }
            },
        )
}

/// `VALID` as Claimdesk writes it.
fn canonical_valid() -> String {
    file::to_ron_string(&file::from_ron_str(VALID, Path::new("v.ron")).unwrap()).unwrap()
}

proptest! {
    #[test]
    fn projects_are_written_as_ron_writes_them_and_read_back_the_same_both_ways(project in project()) {
        let text = file::to_ron_string(&project).unwrap();
        prop_assert_eq!(&text, &reference_ron_string(&project));
        prop_assert_eq!(file::from_ron_str(&text, Path::new("p.ron")).unwrap(), project);
        same_outcome(&text)?;
    }

    #[test]
    fn mangled_canonical_files_load_the_same_both_ways(cut in 0usize..1000, flip in 0usize..1000, byte in any::<u8>(), junk in ".{0,40}") {
        let valid = canonical_valid();
        let mut bytes = valid.as_bytes().to_vec();
        bytes[flip % valid.len()] = byte;
        bytes.truncate(cut.max(1).min(valid.len()));
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        if cut % 2 == 0 {
            // Or junk inserted somewhere.
            let at = flip % valid.len();
            if !valid.is_char_boundary(at) {
                return Ok(());
            }
            text = valid.clone();
            text.insert_str(at, &junk);
        } else {
            text.push_str(&junk);
        }
        same_outcome(&text)?;
    }

    #[test]
    fn loader_never_panics_on_mangled_files(cut in 0usize..VALID.len(), flip in 0usize..VALID.len(), byte in any::<u8>(), junk in ".{0,40}") {
        let mut bytes = VALID.as_bytes().to_vec();
        bytes[flip] = byte;
        bytes.truncate(cut.max(1));
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        text.push_str(&junk);
        if let Ok(project) = file::from_ron_str(&text, Path::new("m.ron")) {
            for claim in project.claims.values() {
                prop_assert!(claim.anchor.start <= claim.anchor.end);
            }
            for mention in project.mentions.values() {
                prop_assert!(project.entities.contains_key(&mention.entity));
            }
        }
    }

    #[test]
    fn loader_never_panics_on_arbitrary_text(text in "\\PC{0,300}") {
        let _ = file::from_ron_str(&text, Path::new("r.ron"));
    }

    #[test]
    fn reanchoring_finds_untouched_quotes_and_never_panics(
        words in proptest::collection::vec("[A-Za-zé’]{1,8}", 8..60),
        pick in 0usize..1000,
        len in 1usize..5,
        insert_at in 0usize..1000,
        inserted in "[a-z ]{0,12}",
    ) {
        let text = words.join(" ");
        let old = Article::from_text("a.txt", &text);
        let first = pick % words.len();
        let last = (first + len).min(words.len());
        let start: usize = words[..first].iter().map(|w| w.chars().count() + 1).sum();
        let quote_len: usize = words[first..last].iter().map(|w| w.chars().count()).sum::<usize>() + (last - first - 1);
        let anchor = Anchor::new(&old, Span::new(start, start + quote_len));

        // Insert text somewhere outside the quote.
        let chars: Vec<char> = text.chars().collect();
        let at = insert_at % (chars.len() + 1);
        // Text inserted right at the quote's edge may join its first or last word (a "’a"
        // that becomes "’aa" is an edited quote), so only text clear of it must leave it alone.
        let outside = at < anchor.start || at > anchor.end;
        let mut new_text: String = chars[..at].iter().collect();
        new_text.push_str(&inserted);
        new_text.extend(&chars[at..]);
        let new = Article::from_text("a.txt", &new_text);
        match reanchor(&anchor, &new) {
            Reanchor::Held => prop_assert_eq!(new.slice(anchor.span()), anchor.quote.as_str()),
            Reanchor::Moved(moved) => {
                prop_assert_eq!(new.slice(moved.span()), moved.quote.as_str());
                if outside {
                    prop_assert_eq!(&moved.quote, &anchor.quote);
                }
            }
            Reanchor::Orphaned => {
                // Junk inserted into a short quote's context leaves too little to be sure it is
                // the same passage: an orphan, not a guess. With its context untouched an
                // untouched quote is always found.
                let clear_of_context = at + anchor.prefix.chars().count() < anchor.start
                    || at > anchor.end + anchor.suffix.chars().count();
                prop_assert!(
                    !(outside && clear_of_context),
                    "an untouched quote with untouched context was orphaned"
                );
            }
        }
    }
}

/// The re-anchoring trial: anchors on real sentences and names, each kind of edit a person or a
/// site makes to an article, and where each anchored passage really went, to score re-anchoring
/// as placed, orphaned or wrong.
///
/// `cargo test --test properties reanchoring_trial -- --ignored --nocapture` runs it
/// over the sample corpus and the BBC articles in `../shared/news/bbc` and prints the figures;
/// the sample corpus alone runs in every `cargo test`.
mod trial {
    use std::collections::BTreeMap;
    use std::fmt;

    use claimdesk_core::analysis::{self, KnownNames};
    use claimdesk_core::corpus::Article;
    use claimdesk_core::project::anchor::{Anchor, Reanchor, reanchor};
    use claimdesk_core::text::Span;

    /// A small deterministic generator (SplitMix64), so every run makes the same edits.
    pub struct Rng(u64);

    impl Rng {
        pub fn new(seed: u64) -> Self {
            Self(seed ^ 0x9e37_79b9_7f4a_7c15)
        }

        pub fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        pub fn below(&mut self, n: usize) -> usize {
            if n == 0 {
                0
            } else {
                (self.next() % n as u64) as usize
            }
        }
    }

    /// One piece of the edited text: a run of the old text kept, or old text replaced.
    #[derive(Clone, Debug)]
    enum Piece {
        Keep(usize, usize),
        Replace { old: (usize, usize), new: String },
    }

    /// An edited text and where each old char went.
    pub struct Edited {
        pub text: String,
        pieces: Vec<Piece>,
    }

    /// Where an old span is in the edited text.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Truth {
        At(Span),
        /// Its text was deleted.
        Deleted,
        /// Partly deleted or split by a move: no single right answer, not scored.
        Unclear,
    }

    impl Edited {
        fn from_pieces(old: &[char], pieces: Vec<Piece>) -> Self {
            let mut text = String::new();
            for piece in &pieces {
                match piece {
                    Piece::Keep(a, b) => text.extend(&old[*a..*b]),
                    Piece::Replace { new, .. } => text.push_str(new),
                }
            }
            Self { text, pieces }
        }

        /// Non-overlapping replacements of old char ranges, in any order.
        fn replacing(old: &[char], mut edits: Vec<((usize, usize), String)>) -> Self {
            edits.sort_by_key(|((a, b), _)| (*a, *b));
            let mut pieces = Vec::new();
            let mut at = 0;
            for ((a, b), new) in edits {
                if a < at {
                    continue; // overlaps the previous edit
                }
                if a > at {
                    pieces.push(Piece::Keep(at, a));
                }
                pieces.push(Piece::Replace { old: (a, b), new });
                at = b;
            }
            if at < old.len() {
                pieces.push(Piece::Keep(at, old.len()));
            }
            Self::from_pieces(old, pieces)
        }

        pub fn truth(&self, span: Span) -> Truth {
            let (s, e) = (span.start, span.end);
            let mut new_at = 0;
            let mut touched: Vec<(usize, usize, usize, bool)> = Vec::new(); // piece, new start, new end, deleted
            for (index, piece) in self.pieces.iter().enumerate() {
                match piece {
                    Piece::Keep(a, b) => {
                        let (from, to) = (s.max(*a), e.min(*b));
                        if from < to {
                            touched.push((index, new_at + from - a, new_at + to - a, false));
                        }
                        new_at += b - a;
                    }
                    Piece::Replace { old: (a, b), new } => {
                        let len = new.chars().count();
                        let inside = if a == b {
                            s < *a && *a < e
                        } else {
                            s < *b && *a < e
                        };
                        if inside {
                            touched.push((index, new_at, new_at + len, len == 0));
                        }
                        new_at += len;
                    }
                }
            }
            if touched.is_empty() {
                return Truth::Unclear;
            }
            if touched.iter().all(|t| t.3) {
                return Truth::Deleted;
            }
            let consecutive = touched.windows(2).all(|w| w[1].0 == w[0].0 + 1);
            if !consecutive || touched.iter().any(|t| t.3) {
                return Truth::Unclear;
            }
            Truth::At(Span::new(touched[0].1, touched[touched.len() - 1].2))
        }
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub enum Kind {
        TypoFixes,
        ParagraphAtTop,
        SentenceDeleted,
        QuotesDashesWhitespace,
        Rewrapped,
        ParagraphsSwapped,
    }

    impl Kind {
        pub const ALL: [Kind; 6] = [
            Kind::TypoFixes,
            Kind::ParagraphAtTop,
            Kind::SentenceDeleted,
            Kind::QuotesDashesWhitespace,
            Kind::Rewrapped,
            Kind::ParagraphsSwapped,
        ];
    }

    fn words(chars: &[char]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_alphabetic() {
                let start = i;
                while i < chars.len() && chars[i].is_alphabetic() {
                    i += 1;
                }
                out.push((start, i));
            } else {
                i += 1;
            }
        }
        out
    }

    /// Lines with text, as paragraphs.
    fn paragraphs(chars: &[char]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 0..=chars.len() {
            if i == chars.len() || chars[i] == '\n' {
                if chars[start..i].iter().any(|c| !c.is_whitespace()) {
                    out.push((start, i));
                }
                start = i + 1;
            }
        }
        out
    }

    /// Applies one kind of edit to `old`. `other` is another article's text (for a paragraph
    /// from elsewhere); `sentences` and `names` are where the anchors are.
    pub fn edit(
        kind: Kind,
        old: &str,
        other: &str,
        sentences: &[Span],
        names: &[Span],
        rng: &mut Rng,
    ) -> Edited {
        let chars: Vec<char> = old.chars().collect();
        let text = |a: usize, b: usize| -> String { chars[a..b].iter().collect() };
        match kind {
            Kind::TypoFixes => {
                // Three words changed as a typo fix changes them: a letter swapped, dropped,
                // doubled or replaced; one of them in a name when there is one.
                let words: Vec<(usize, usize)> = words(&chars)
                    .into_iter()
                    .filter(|(a, b)| b - a >= 4)
                    .collect();
                let mut picks: Vec<(usize, usize)> = (0..3)
                    .filter_map(|_| words.get(rng.below(words.len())).copied())
                    .collect();
                if let Some(name) = names.get(rng.below(names.len()))
                    && let Some(&w) = words
                        .iter()
                        .find(|(a, b)| *a >= name.start && *b <= name.end)
                {
                    picks.push(w);
                }
                let edits = picks
                    .into_iter()
                    .map(|(a, b)| {
                        let mut w: Vec<char> = chars[a..b].to_vec();
                        let i = 1 + rng.below(w.len() - 2);
                        match rng.below(4) {
                            0 => w.swap(i, i + 1),
                            1 => {
                                w.remove(i);
                            }
                            2 => w.insert(i, w[i]),
                            _ => w[i] = if w[i] == 'e' { 'a' } else { 'e' },
                        }
                        ((a, b), w.into_iter().collect())
                    })
                    .collect();
                Edited::replacing(&chars, edits)
            }
            Kind::ParagraphAtTop => {
                // Half the time another article's paragraph, half a summary repeating one of
                // this article's own sentences (so that sentence is there twice).
                let inserted = if rng.below(2) == 0 {
                    let other: Vec<char> = other.chars().collect();
                    let paragraph = paragraphs(&other)
                        .into_iter()
                        .find(|(a, b)| b - a > 80)
                        .map_or_else(
                            || "An editor's note.".to_string(),
                            |(a, b)| other[a..b].iter().collect(),
                        );
                    format!("{paragraph}\n\n")
                } else {
                    let sentence = sentences
                        .get(rng.below(sentences.len()))
                        .map_or_else(String::new, |s| text(s.start, s.end));
                    format!("In brief: {sentence}\n\n")
                };
                Edited::replacing(&chars, vec![((0, 0), inserted)])
            }
            Kind::SentenceDeleted => {
                // Preferably a sentence with a name in it, so that its mentions are deleted too.
                let with_names: Vec<&Span> = sentences
                    .iter()
                    .filter(|s| names.iter().any(|n| n.start >= s.start && n.end <= s.end))
                    .collect();
                let pool: Vec<&Span> = if with_names.is_empty() {
                    sentences.iter().collect()
                } else {
                    with_names
                };
                let Some(sentence) = pool.get(rng.below(pool.len())) else {
                    return Edited::replacing(&chars, Vec::new());
                };
                // With the spaces after it (the line break stays).
                let mut end = sentence.end;
                while end < chars.len() && chars[end] == ' ' {
                    end += 1;
                }
                Edited::replacing(&chars, vec![((sentence.start, end), String::new())])
            }
            Kind::QuotesDashesWhitespace => {
                let curly = chars.iter().any(|c| "‘’“”–—".contains(*c));
                let mut edits = Vec::new();
                let mut open = true;
                let mut i = 0;
                while i < chars.len() {
                    let c = chars[i];
                    let replacement = if curly {
                        match c {
                            '‘' | '’' => Some("'".to_string()),
                            '“' | '”' => Some("\"".to_string()),
                            '–' | '—' => Some("-".to_string()),
                            _ => None,
                        }
                    } else {
                        match c {
                            '\'' => Some("’".to_string()),
                            '"' => {
                                open = !open;
                                Some(if open { "”" } else { "“" }.to_string())
                            }
                            '-' if i > 0 && chars[i - 1] == ' ' => Some("–".to_string()),
                            _ => None,
                        }
                    };
                    if let Some(r) = replacement {
                        edits.push(((i, i + 1), r));
                    } else if c == '\n' {
                        // Paragraphs apart by a blank line, or one blank line fewer.
                        let mut j = i;
                        while j < chars.len() && chars[j] == '\n' {
                            j += 1;
                        }
                        let new = if j - i == 1 { "\n\n" } else { "\n" };
                        edits.push(((i, j), new.to_string()));
                        i = j;
                        continue;
                    } else if c == ' ' && i > 0 && chars[i - 1] == '.' && rng.below(3) == 0 {
                        edits.push(((i, i + 1), "  ".to_string()));
                    }
                    i += 1;
                }
                Edited::replacing(&chars, edits)
            }
            Kind::Rewrapped => {
                // Hard line breaks at 72 columns, as a mail client or an editor wraps.
                let mut edits = Vec::new();
                let mut column = 0;
                let mut last_space = None;
                for (i, &c) in chars.iter().enumerate() {
                    if c == '\n' {
                        column = 0;
                        last_space = None;
                        continue;
                    }
                    if c == ' ' {
                        last_space = Some(i);
                    }
                    column += 1;
                    if column > 72
                        && let Some(space) = last_space.take()
                    {
                        edits.push(((space, space + 1), "\n".to_string()));
                        column = i - space;
                    }
                }
                Edited::replacing(&chars, edits)
            }
            Kind::ParagraphsSwapped => {
                let paragraphs = paragraphs(&chars);
                if paragraphs.len() < 2 {
                    return Edited::replacing(&chars, Vec::new());
                }
                let i = rng.below(paragraphs.len() - 1);
                let ((a1, b1), (a2, b2)) = (paragraphs[i], paragraphs[i + 1]);
                let pieces = vec![
                    Piece::Keep(0, a1),
                    Piece::Keep(a2, b2),
                    Piece::Keep(b1, a2),
                    Piece::Keep(a1, b1),
                    Piece::Keep(b2, chars.len()),
                ]
                .into_iter()
                .filter(|p| !matches!(p, Piece::Keep(a, b) if a == b))
                .collect();
                Edited::from_pieces(&chars, pieces)
            }
        }
    }

    /// What happened to one anchor.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub enum Outcome {
        /// Placed on its passage.
        Placed,
        /// Orphaned, and its passage was deleted: right.
        OrphanedDeleted,
        /// Orphaned though its passage is still there.
        Lost,
        /// Placed on other text.
        Wrong,
        /// Placed though its passage was deleted.
        WrongDeleted,
        Unscored,
    }

    /// The text as the quote comparison sees it: curly and straight quotes, dashes and runs of
    /// whitespace folded.
    pub fn folded(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            let c = match c {
                '‘' | '’' => '\'',
                '“' | '”' => '"',
                '–' | '—' => '-',
                c if c.is_whitespace() => ' ',
                c => c,
            };
            if !(c == ' ' && out.ends_with(' ')) {
                out.push(c);
            }
        }
        out
    }

    pub fn score(
        anchor: &Anchor,
        kind: Kind,
        edited: &Edited,
        new: &Article,
    ) -> (Outcome, Option<Span>) {
        let placed = match reanchor(anchor, new) {
            Reanchor::Held => Some(anchor.span()),
            Reanchor::Moved(moved) => Some(moved.span()),
            Reanchor::Orphaned => None,
        };
        // Only a typo fix changes the words: after any other edit a placed span reads as its
        // quote.
        if kind != Kind::TypoFixes
            && let Some(span) = placed
            && folded(new.slice(span)) != folded(&anchor.quote)
        {
            return (Outcome::Wrong, placed);
        }
        let outcome = match (edited.truth(anchor.span()), placed) {
            (Truth::Unclear, _) => Outcome::Unscored,
            (Truth::At(_), None) => Outcome::Lost,
            (Truth::At(truth), Some(span)) => {
                if span == truth
                    || new.slice(span).trim() == new.slice(truth).trim() && span.overlaps(&truth)
                {
                    Outcome::Placed
                } else {
                    Outcome::Wrong
                }
            }
            (Truth::Deleted, None) => Outcome::OrphanedDeleted,
            (Truth::Deleted, Some(_)) => Outcome::WrongDeleted,
        };
        (outcome, placed)
    }

    #[derive(Default)]
    pub struct Tally {
        pub by_kind: BTreeMap<Kind, BTreeMap<Outcome, usize>>,
        /// A few wrong placements, to read.
        pub examples: Vec<String>,
    }

    impl Tally {
        fn total(&self, outcome: Outcome) -> usize {
            self.by_kind
                .values()
                .map(|m| m.get(&outcome).copied().unwrap_or(0))
                .sum()
        }

        pub fn wrong(&self) -> usize {
            self.total(Outcome::Wrong) + self.total(Outcome::WrongDeleted)
        }

        /// Placed among the anchors whose passage is still there.
        pub fn placed_share(&self) -> f64 {
            let placed = self.total(Outcome::Placed);
            let there = placed + self.total(Outcome::Lost) + self.total(Outcome::Wrong);
            placed as f64 / there.max(1) as f64
        }

        pub fn cases(&self) -> usize {
            self.by_kind.values().flat_map(|m| m.values()).sum()
        }
    }

    impl fmt::Display for Tally {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            writeln!(
                f,
                "{:<24} {:>7} {:>7} {:>8} {:>6} {:>6} {:>9} {:>8}",
                "edit", "cases", "placed", "orphaned", "lost", "wrong", "wrong-del", "unscored"
            )?;
            for (kind, m) in &self.by_kind {
                let get = |o| m.get(&o).copied().unwrap_or(0);
                writeln!(
                    f,
                    "{:<24} {:>7} {:>7} {:>8} {:>6} {:>6} {:>9} {:>8}",
                    format!("{kind:?}"),
                    m.values().sum::<usize>(),
                    get(Outcome::Placed),
                    get(Outcome::OrphanedDeleted),
                    get(Outcome::Lost),
                    get(Outcome::Wrong),
                    get(Outcome::WrongDeleted),
                    get(Outcome::Unscored),
                )?;
            }
            write!(
                f,
                "cases={} wrong={} ({:.2}%) placed={:.2}% of anchors whose passage is still there",
                self.cases(),
                self.wrong(),
                100.0 * self.wrong() as f64 / self.cases().max(1) as f64,
                100.0 * self.placed_share()
            )
        }
    }

    /// Anchors on every sentence and every name the analysers find in `article`.
    pub fn anchors(article: &Article) -> (Vec<Span>, Vec<Span>) {
        let analysis = analysis::analyze(article, &KnownNames::default());
        let sentences: Vec<Span> = analysis
            .sentences
            .iter()
            .copied()
            .filter(|s| s.len() >= 20)
            .collect();
        let names: Vec<Span> = analysis
            .entities
            .iter()
            .map(|e| e.span)
            .filter(|s| s.len() >= 3)
            .collect();
        (sentences, names)
    }

    /// Runs every kind of edit over `articles` (each edited with seed `seed + index`).
    pub fn run(articles: &[Article], seed: u64) -> Tally {
        let mut tally = Tally::default();
        for (index, old) in articles.iter().enumerate() {
            let other = &articles[(index + 1) % articles.len()].text;
            let (sentences, names) = anchors(old);
            let anchors: Vec<Anchor> = sentences
                .iter()
                .chain(&names)
                .map(|span| Anchor::new(old, *span))
                .collect();
            for kind in Kind::ALL {
                let mut rng = Rng::new(seed.wrapping_add(index as u64 * 7919 + kind as u64));
                let edited = edit(kind, &old.text, other, &sentences, &names, &mut rng);
                let new = Article::from_text(&old.id, &edited.text);
                if new.text != edited.text {
                    continue; // normalisation changed it: the truth would be off
                }
                for anchor in &anchors {
                    let (outcome, placed) = score(anchor, kind, &edited, &new);
                    *tally
                        .by_kind
                        .entry(kind)
                        .or_default()
                        .entry(outcome)
                        .or_default() += 1;
                    let show = match outcome {
                        Outcome::Wrong | Outcome::WrongDeleted => tally.examples.len() < 40,
                        Outcome::Lost => {
                            std::env::var_os("TRIAL_SHOW_LOST").is_some()
                                && tally.examples.len() < 60
                                && (index + kind as usize).is_multiple_of(7)
                        }
                        _ => false,
                    };
                    if show {
                        let around = |span: Span| {
                            let before = Span::new(span.start.saturating_sub(30), span.start);
                            let after = Span::new(span.end, (span.end + 30).min(new.char_len()));
                            format!(
                                "{:?}[{:?}]{:?}",
                                new.slice(before),
                                new.slice(span),
                                new.slice(after)
                            )
                        };
                        let truth = match edited.truth(anchor.span()) {
                            Truth::At(span) => around(span),
                            other => format!("{other:?}"),
                        };
                        tally.examples.push(format!(
                            "{kind:?} {}: {:?}[{:?}]{:?}\n      placed {}\n      truth  {truth}",
                            old.id,
                            anchor.prefix,
                            anchor.quote,
                            anchor.suffix,
                            placed.map_or("-".to_string(), around),
                        ));
                    }
                }
            }
        }
        tally
    }
}

fn trial_articles(with_bbc: bool) -> Vec<Article> {
    use claimdesk_core::corpus::{self, ImportLimits};
    let mut paths = vec![claimdesk_core::sample::corpus_dir()];
    let bbc = claimdesk_core::sample::root().join("../shared/news/bbc");
    if with_bbc && bbc.is_dir() {
        paths.push(bbc);
    }
    let mut articles = corpus::import_paths(&paths, &ImportLimits::default(), |_, _| true).0;
    articles.retain(|a| a.char_len() > 200 && !a.id.to_lowercase().ends_with("readme.txt"));
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    articles
}

proptest! {
    // Each case edits every sample article six ways (about 5,000 anchors, 0.6 s optimised).
    // A seed does not shrink to a simpler one: report the failing seed as it is.
    #![proptest_config(ProptestConfig { cases: 4, max_shrink_iters: 0, ..ProptestConfig::default() })]

    #[test]
    fn reanchoring_after_random_realistic_edits_is_never_wrong(seed in any::<u64>()) {
        let tally = trial::run(&trial_articles(false), seed);
        prop_assert_eq!(tally.wrong(), 0, "{}\n{}", tally, tally.examples.join("\n"));
        prop_assert!(tally.placed_share() >= 0.97, "{}", tally);
    }
}

#[test]
fn reanchoring_after_real_edits_of_the_sample_corpus_is_never_wrong() {
    let tally = trial::run(&trial_articles(false), 1);
    println!("{tally}");
    for example in &tally.examples {
        println!("  {example}");
    }
    assert_eq!(tally.wrong(), 0, "{tally}");
    assert!(tally.placed_share() >= 0.97, "{tally}");
}

/// The whole trial; prints the figures (`TRIAL_SEED=N` for other edits than seed 1's).
#[test]
#[ignore = "reads ../shared/news/bbc (about 10 s): run with -- --ignored --nocapture"]
fn reanchoring_trial() {
    let sample = claimdesk_core::sample::corpus_dir();
    // The sample corpus and every fourth BBC article.
    let articles: Vec<Article> = trial_articles(true)
        .into_iter()
        .enumerate()
        .filter(|(i, a)| a.path.starts_with(&sample) || i % 4 == 0)
        .map(|(_, a)| a)
        .collect();
    let seed = std::env::var("TRIAL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let start = std::time::Instant::now();
    let tally = trial::run(&articles, seed);
    println!(
        "articles={} seconds={:.1}",
        articles.len(),
        start.elapsed().as_secs_f64()
    );
    println!("{tally}");
    for example in &tally.examples {
        println!("  {example}");
    }
}
