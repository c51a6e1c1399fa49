//! The core operations on the sample's real text, and the workspace as one source of truth:
//! any sequence of operations undone entirely gives back the starting project and articles,
//! and redone gives back the end state.

use crate::support;

use claimdesk_core::analysis::EntityKind;
use claimdesk_core::corpus::Article;
use claimdesk_core::ops::{self, ClaimChange, ClaimFields, EvidenceInput, OpError, Place, Scope};
use claimdesk_core::project::{Project, Stance};
use claimdesk_core::text::Span;
use claimdesk_core::workspace::Workspace;
use proptest::prelude::*;
use support::SampleCopy;

const LAVROV: &str = "000_164a3089b8e03eed.txt";
const IRAN: &str = "002_422bb6ef6b69d9a6.txt";
const MOSCOW: &str = "003_e0f09e3576302cfd.txt";

fn article(ws: &Workspace, id: &str) -> std::sync::Arc<Article> {
    ws.article(id).expect("loaded").clone()
}

#[test]
fn a_quote_found_twice_needs_its_occurrence_and_the_error_lists_both() {
    let sample = SampleCopy::new();
    let ws = sample.open();
    let text = article(&ws, LAVROV);
    let twice = "the Iranian authorities have taken a responsible and balanced stand";
    let err = ops::locate(&text, &Place::quote(twice)).unwrap_err();
    let OpError::AmbiguousQuote { places, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(places.len(), 2, "{err}");
    assert!(err.to_string().contains("--occurrence"), "{err}");
    let second = ops::locate(
        &text,
        &Place::Quote {
            quote: twice.into(),
            occurrence: Some(2),
        },
    )
    .unwrap();
    let first = ops::locate(
        &text,
        &Place::Quote {
            quote: twice.into(),
            occurrence: Some(1),
        },
    )
    .unwrap();
    assert!(first.start < second.start);
    assert_eq!(text.slice(second), twice);
    let err = ops::locate(
        &text,
        &Place::Quote {
            quote: twice.into(),
            occurrence: Some(3),
        },
    )
    .unwrap_err();
    assert!(
        matches!(err, OpError::NoSuchOccurrence { count: 2, .. }),
        "{err}"
    );
}

#[test]
fn a_quote_typed_with_straight_quotes_and_other_line_breaks_finds_the_typeset_text() {
    let sample = SampleCopy::new();
    let ws = sample.open();
    let text = article(&ws, MOSCOW);
    let typeset = "Moscow's door has remained open for Hamas officials";
    let exact = ops::locate(&text, &Place::quote(typeset)).unwrap();
    // Typed with a curly apostrophe and a line break instead of a space.
    let typed = "Moscow\u{2019}s door has\nremained   open for Hamas officials";
    assert_eq!(ops::locate(&text, &Place::quote(typed)).unwrap(), exact);
    let err = ops::locate(&text, &Place::quote("Moscow's door has remained shut")).unwrap_err();
    assert!(
        err.to_string().contains("first words are at"),
        "a near miss says where the start is: {err}"
    );
}

#[test]
fn marking_rating_and_citing_evidence_record_the_fact_check() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let text = article(&ws, LAVROV);
    let span = ops::locate(
        &text,
        &Place::quote("With regard to Gaza, there is a serious risk of that crisis growing"),
    )
    .unwrap();
    let claim = ws
        .run(ops::mark_claim(&ws, LAVROV, span, ClaimFields::default()).unwrap())
        .unwrap()
        .expect("a new claim id");
    let err = ops::set_claim(
        &ws,
        &claim,
        ClaimChange {
            verdict: Some(Some("Pants on fire".into())),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("Mostly false"),
        "lists the scale: {err}"
    );
    ws.run(
        ops::set_claim(
            &ws,
            &claim,
            ClaimChange {
                verdict: Some(Some("false".into())),
                claimant: Some(Some("Sergey Lavrov".into())),
                ..Default::default()
            },
        )
        .unwrap(),
    )
    .unwrap();
    for (id, quote) in [
        (IRAN, "any possibility in the region is likely"),
        (
            MOSCOW,
            "Moscow's door has remained open for Hamas officials",
        ),
    ] {
        let span = ops::locate(&article(&ws, id), &Place::quote(quote)).unwrap();
        let op = ops::add_evidence(
            &ws,
            &claim,
            EvidenceInput::Passage {
                article: id.into(),
                span,
            },
            Stance::Refutes,
            "",
        )
        .unwrap();
        ws.run(op).unwrap();
    }
    let recorded = &ws.project().claims[&claim];
    assert_eq!(recorded.verdict.as_deref(), Some("False"));
    assert_eq!(recorded.claimant.as_deref(), Some("Sergey Lavrov"));
    assert_eq!(ws.project().evidence_for(&claim).len(), 2);
    // Removing the claim takes its evidence with it, in one undo step.
    ws.run(ops::remove_claim(&ws, &claim).unwrap()).unwrap();
    assert!(ws.project().evidence.is_empty() && ws.project().claims.is_empty());
    ws.undo().unwrap();
    assert_eq!(ws.project().evidence_for(&claim).len(), 2);
}

#[test]
fn confirming_a_name_records_every_mention_in_the_article_or_the_corpus() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let text = article(&ws, LAVROV);
    let written = text.text.matches("Sergey Lavrov").count();
    assert!(written >= 2, "the fact-check names him {written} times");
    ws.run(
        ops::confirm_entity(
            &ws,
            LAVROV,
            "Sergey Lavrov",
            EntityKind::Person,
            Scope::Article,
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(ws.project().mentions.len(), written);
    // Confirming again in the same article finds nothing new.
    let again = ops::confirm_entity(
        &ws,
        LAVROV,
        "Sergey Lavrov",
        EntityKind::Person,
        Scope::Article,
    );
    assert!(matches!(again, Err(OpError::Nothing(_))));
    // The corpus scope adds the other articles' mentions to the same entity.
    let in_corpus: usize = ws
        .loaded_articles()
        .map(|a| a.text.matches("Sergey Lavrov").count())
        .sum();
    ws.run(
        ops::confirm_entity(
            &ws,
            LAVROV,
            "Sergey Lavrov",
            EntityKind::Person,
            Scope::Corpus,
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(ws.project().entities.len(), 1);
    assert_eq!(ws.project().mentions.len(), in_corpus);
}

#[test]
fn merging_keeps_the_chosen_name_and_moves_every_mention() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    for name in ["Sergey Lavrov", "Sergei Lavrov"] {
        let holder = ws
            .loaded_articles()
            .find(|a| a.text.contains(name))
            .expect("both spellings are in the corpus")
            .id
            .clone();
        ws.run(ops::confirm_entity(&ws, &holder, name, EntityKind::Person, Scope::Corpus).unwrap())
            .unwrap();
    }
    let mentions = ws.project().mentions.len();
    let keep = ops::entity_id(&ws, "Sergey Lavrov").unwrap();
    ws.run(ops::merge_entities(&ws, "Sergey Lavrov", &["Sergei Lavrov".into()]).unwrap())
        .unwrap();
    let project = ws.project();
    assert_eq!(project.entities.len(), 1);
    assert_eq!(project.entities[&keep].name, "Sergey Lavrov");
    assert_eq!(
        project.entities[&keep].aliases,
        vec!["Sergei Lavrov".to_string()]
    );
    assert_eq!(project.mentions.len(), mentions);
    assert!(project.mentions.values().all(|m| m.entity == keep));
}

#[test]
fn undoing_an_import_takes_the_articles_out_and_redo_brings_them_back() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let before: Vec<String> = ws.article_ids().cloned().collect();
    let extra = sample.dir.path().join("projects/extra.txt");
    std::fs::write(
        &extra,
        "The ministry said 12 people were hurt on Tuesday.\n",
    )
    .unwrap();
    let imported = claimdesk_core::corpus::import_file(&extra, &Default::default()).unwrap();
    assert_eq!(ws.add_articles(vec![imported]).unwrap(), 1);
    assert_eq!(ws.article_ids().count(), before.len() + 1);
    ws.undo().unwrap();
    assert_eq!(ws.article_ids().cloned().collect::<Vec<_>>(), before);
    ws.redo().unwrap();
    assert_eq!(ws.article_ids().count(), before.len() + 1);
    assert!(ws.article("extra.txt").is_some());
}

#[test]
fn orphans_follow_corrections_undo_and_reattachment() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let text = article(&ws, MOSCOW);
    let quote = "Moscow's door has remained open for Hamas officials";
    let span = ops::locate(&text, &Place::quote(quote)).unwrap();
    let claim = ws
        .run(ops::mark_claim(&ws, MOSCOW, span, ClaimFields::default()).unwrap())
        .unwrap()
        .unwrap();
    assert!(ws.orphans().is_empty());
    // The correction rewrites the whole sentence: the claim cannot be found again.
    let corrected = text
        .text
        .replace(quote, "The Kremlin keeps meeting Hamas officials");
    let (op, summary) = ops::correct_text(&ws, MOSCOW, &corrected).unwrap();
    assert_eq!(summary.orphaned, 1);
    ws.run(op).unwrap();
    assert!(ws.is_orphan(&claim));
    ws.undo().unwrap();
    assert!(
        !ws.is_orphan(&claim),
        "undoing the correction places it again"
    );
    ws.redo().unwrap();
    assert!(ws.is_orphan(&claim));
    let new_span = ops::locate(
        &article(&ws, MOSCOW),
        &Place::quote("The Kremlin keeps meeting Hamas officials"),
    )
    .unwrap();
    ws.run(ops::reattach(&ws, &claim, new_span).unwrap())
        .unwrap();
    assert!(ws.orphans().is_empty());
}

#[test]
fn a_sequence_is_all_or_nothing_and_one_undo_step() {
    use claimdesk_core::ops::request::{Line, parse_lines, plan_all};
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let lines: Vec<Line> = parse_lines(&format!(
        "{{\"op\":\"claim.add\",\"as\":\"c\",\"article\":\"{MOSCOW}\",\"quote\":\"Moscow's door has remained open for Hamas officials\"}}\n\
         # a comment line\n\
         {{\"op\":\"evidence.add\",\"claim\":\"$c\",\"article\":\"{IRAN}\",\"quote\":\"any possibility in the region is likely\",\"stance\":\"context\"}}\n\
         {{\"op\":\"claim.set\",\"claim\":\"$1\",\"verdict\":\"Misleading\"}}\n"
    ))
    .unwrap();
    let (op, created) = plan_all(&ws, &lines, "script").unwrap();
    assert!(created[0].is_some() && created[1].is_some() && created[2].is_none());
    ws.run(op).unwrap();
    assert_eq!(ws.project().claims.len(), 1);
    assert_eq!(ws.project().evidence.len(), 1);
    ws.undo().unwrap();
    assert!(ws.project().claims.is_empty() && ws.project().evidence.is_empty());
    // A failing third line leaves nothing behind, and says which line.
    let bad: Vec<Line> = parse_lines(&format!(
        "{{\"op\":\"claim.add\",\"as\":\"c\",\"article\":\"{MOSCOW}\",\"quote\":\"Moscow's door has remained open for Hamas officials\"}}\n\
         {{\"op\":\"claim.set\",\"claim\":\"$c\",\"verdict\":\"Pants on fire\"}}\n"
    ))
    .unwrap();
    let err = plan_all(&ws, &bad, "script").unwrap_err();
    assert!(err.to_string().contains("operation 2"), "{err}");
    assert!(ws.project().claims.is_empty());
}

// ----- undo-all / redo-all over random operation sequences -----

/// An operation drawn by the property test, as indices into what the workspace holds then.
#[derive(Clone, Debug)]
enum Step {
    MarkClaim {
        article: usize,
        sentence: usize,
    },
    Rate {
        claim: usize,
        verdict: usize,
    },
    Note {
        claim: usize,
    },
    Evidence {
        claim: usize,
        article: usize,
        sentence: usize,
    },
    RemoveClaim {
        claim: usize,
    },
    Confirm {
        article: usize,
        entity: usize,
        corpus: bool,
    },
    Merge,
    Correct {
        article: usize,
    },
    Accept {
        article: usize,
        suggestion: usize,
    },
    Dismiss {
        article: usize,
        suggestion: usize,
    },
    Import,
    Undo,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..5usize, 0..40usize)
            .prop_map(|(article, sentence)| Step::MarkClaim { article, sentence }),
        (0..8usize, 0..8usize).prop_map(|(claim, verdict)| Step::Rate { claim, verdict }),
        (0..8usize).prop_map(|claim| Step::Note { claim }),
        (0..8usize, 0..5usize, 0..40usize).prop_map(|(claim, article, sentence)| Step::Evidence {
            claim,
            article,
            sentence
        }),
        (0..8usize).prop_map(|claim| Step::RemoveClaim { claim }),
        (0..5usize, 0..6usize, any::<bool>()).prop_map(|(article, entity, corpus)| Step::Confirm {
            article,
            entity,
            corpus
        }),
        Just(Step::Merge),
        (0..5usize).prop_map(|article| Step::Correct { article }),
        (0..5usize, 0..10usize).prop_map(|(article, suggestion)| Step::Accept {
            article,
            suggestion
        }),
        (0..5usize, 0..10usize).prop_map(|(article, suggestion)| Step::Dismiss {
            article,
            suggestion
        }),
        Just(Step::Import),
        Just(Step::Undo),
    ]
}

/// What the analyst sees: the project and every article's id and text.
fn state(ws: &Workspace) -> (Project, Vec<(String, String)>) {
    (
        ws.project().clone(),
        ws.loaded_articles()
            .map(|a| (a.id.clone(), a.text.clone()))
            .collect(),
    )
}

fn nth<T: Clone>(items: &[T], n: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[n % items.len()].clone())
}

/// Plans and runs one step; returns whether it made an undo step.
fn run_step(ws: &mut Workspace, step: &Step, dir: &std::path::Path, imports: &mut usize) -> bool {
    let articles: Vec<String> = ws.loaded_articles().map(|a| a.id.clone()).collect();
    let claims: Vec<String> = ws.project().claims.keys().cloned().collect();
    let sentence = |ws: &Workspace, article: &str, n: usize| -> Option<Span> {
        let analysis = ws.analysis(article)?;
        nth(&analysis.sentences, n)
    };
    let op = match step {
        Step::MarkClaim {
            article,
            sentence: s,
        } => {
            let Some(a) = nth(&articles, *article) else {
                return false;
            };
            let Some(span) = sentence(ws, &a, *s) else {
                return false;
            };
            ops::mark_claim(ws, &a, span, ClaimFields::default())
        }
        Step::Rate { claim, verdict } => {
            let Some(c) = nth(&claims, *claim) else {
                return false;
            };
            let labels: Vec<String> = ws
                .project()
                .rating_scale
                .iter()
                .map(|r| r.label.clone())
                .collect();
            ops::set_claim(
                ws,
                &c,
                ClaimChange {
                    verdict: Some(nth(&labels, *verdict)),
                    ..Default::default()
                },
            )
        }
        Step::Note { claim } => {
            let Some(c) = nth(&claims, *claim) else {
                return false;
            };
            ops::set_claim(
                ws,
                &c,
                ClaimChange {
                    note: Some(format!("checked {c}")),
                    ..Default::default()
                },
            )
        }
        Step::Evidence {
            claim,
            article,
            sentence: s,
        } => {
            let Some(c) = nth(&claims, *claim) else {
                return false;
            };
            let Some(a) = nth(&articles, *article) else {
                return false;
            };
            let Some(span) = sentence(ws, &a, *s) else {
                return false;
            };
            ops::add_evidence(
                ws,
                &c,
                EvidenceInput::Passage { article: a, span },
                Stance::Refutes,
                "",
            )
        }
        Step::RemoveClaim { claim } => {
            let Some(c) = nth(&claims, *claim) else {
                return false;
            };
            ops::remove_claim(ws, &c)
        }
        Step::Confirm {
            article,
            entity,
            corpus,
        } => {
            let Some(a) = nth(&articles, *article) else {
                return false;
            };
            let Some(found) = ws.analysis(&a).and_then(|an| nth(&an.entities, *entity)) else {
                return false;
            };
            let scope = if *corpus {
                Scope::Corpus
            } else {
                Scope::Article
            };
            ops::confirm_entity(ws, &a, &found.text, found.kind, scope)
        }
        Step::Merge => {
            let ids: Vec<String> = ws.project().entities.keys().cloned().collect();
            if ids.len() < 2 {
                return false;
            }
            ops::merge_entities(ws, &ids[0], &ids[1..2])
        }
        Step::Correct { article } => {
            let Some(a) = nth(&articles, *article) else {
                return false;
            };
            let text = ws.article(&a).unwrap().text.replacen("the", "The", 1);
            ops::correct_text(ws, &a, &text).map(|(op, _)| op)
        }
        Step::Accept {
            article,
            suggestion,
        }
        | Step::Dismiss {
            article,
            suggestion,
        } => {
            let Some(a) = nth(&articles, *article) else {
                return false;
            };
            let Ok(open) = ops::open_suggestions(ws, &a) else {
                return false;
            };
            let Some(s) = nth(&open, *suggestion) else {
                return false;
            };
            let span = Span::new(s.start, s.end);
            if matches!(step, Step::Accept { .. }) {
                ops::accept_suggestion(ws, &a, span)
            } else {
                ops::dismiss_suggestion(ws, &a, span)
            }
        }
        Step::Import => {
            *imports += 1;
            let path = dir.join(format!("projects/imported-{imports}.txt"));
            std::fs::write(
                &path,
                format!("Report {imports}: the council said {imports}0 homes were rebuilt.\n"),
            )
            .unwrap();
            let article = claimdesk_core::corpus::import_file(&path, &Default::default()).unwrap();
            return ws.add_articles(vec![article]).unwrap() > 0;
        }
        Step::Undo => return false,
    };
    match op {
        Ok(op) => ws.run(op).is_ok(),
        Err(_) => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn undo_all_gives_back_the_start_and_redo_all_the_end(steps in prop::collection::vec(step(), 1..14)) {
        let sample = SampleCopy::new();
        let mut ws = sample.open();
        let start = state(&ws);
        let mut imports = 0;
        let mut depth = 0usize;
        for step in &steps {
            if matches!(step, Step::Undo) {
                if ws.undo().unwrap().is_some() {
                    depth -= 1;
                }
                continue;
            }
            if run_step(&mut ws, step, sample.dir.path(), &mut imports) {
                depth += 1;
            }
            // Typing coalesces into one undo step; here every step is its own.
            ws.seal();
        }
        let end = state(&ws);
        for _ in 0..depth {
            prop_assert!(ws.undo().unwrap().is_some());
        }
        prop_assert!(ws.undo().unwrap().is_none(), "nothing left to undo");
        let undone = state(&ws);
        prop_assert_eq!(&undone.0, &start.0, "undo-all gives back the starting project");
        prop_assert_eq!(&undone.1, &start.1, "undo-all gives back the starting articles");
        prop_assert!(ws.orphans().is_empty());
        for _ in 0..depth {
            prop_assert!(ws.redo().unwrap().is_some());
        }
        let redone = state(&ws);
        prop_assert_eq!(&redone.0, &end.0, "redo-all gives back the end project");
        prop_assert_eq!(&redone.1, &end.1, "redo-all gives back the end articles");
    }
}
