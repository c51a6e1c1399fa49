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
    out.push_str("    ],\n)\n");
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
        let outside = at <= anchor.start || at >= anchor.end;
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
            Reanchor::Orphaned => prop_assert!(!outside, "an untouched quote was orphaned"),
        }
    }
}
