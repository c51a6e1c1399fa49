//! The whole scenario of issue #2 through the core API: open the sample, find Lavrov's quote,
//! mark it as his claim, rate it False, attach evidence from other articles, write a note, save,
//! reopen, export a report that holds it all.

use crate::support;

use claimdesk_core::analysis::EntityKind;
use claimdesk_core::project::{
    Anchor, Claim, Edit, Entity, Evidence, EvidenceSource, Origin, Stance, new_id,
};
use claimdesk_core::report::{self, ReportOptions};
use claimdesk_core::search;
use support::{SampleCopy, find_span};

const LAVROV_QUOTE: &str = "“With regard to Gaza, there is a serious risk of that crisis growing into a regional conflict… the Iranian authorities have taken a responsible and balanced stand and have called for preventing the conflict from spreading throughout the region, to neighboring states.\"";
const FACT_CHECK: &str = "000_164a3089b8e03eed.txt";

/// Adds the passage of `article` starting with `quote` as evidence refuting `claim`.
fn add_refuting_passage(
    ws: &mut claimdesk_core::workspace::Workspace,
    claim: &str,
    article: &str,
    quote: &str,
    note: &str,
) {
    let source = ws.article(article).unwrap().clone();
    let passage = find_span(&source.text, quote, 0);
    ws.apply(
        "add evidence",
        Edit::PutEvidence {
            id: new_id(),
            evidence: Evidence {
                provenance: Default::default(),
                claim: claim.to_string(),
                stance: Stance::Refutes,
                source: EvidenceSource::Passage {
                    article: source.id.clone(),
                    anchor: Anchor::new(&source, passage),
                },
                note: note.into(),
            },
        },
    )
    .unwrap();
}

#[test]
fn lavrov_fact_check_survives_save_reopen_and_export() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    assert_eq!(ws.project().articles.len(), 5);

    let article = ws
        .article(FACT_CHECK)
        .expect("fact-check article loads")
        .clone();
    // The quote appears twice (teaser and body); take the body one, after "Lavrov, claimed:".
    let claimed = find_span(&article.text, "Lavrov, claimed:", 0);
    let span = find_span(&article.text, LAVROV_QUOTE, claimed.end);
    let claim_id = new_id();
    ws.apply(
        "mark claim",
        Edit::PutClaim {
            id: claim_id.clone(),
            claim: Claim { status: None, assignee: None, reviewer: None, signed_off: None, provenance: Default::default(),
                article: FACT_CHECK.into(),
                anchor: Anchor::new(&article, span),
                claimant: Some("Sergey Lavrov".into()),
                verdict: Some("False".into()),
                note: "Iran's support for Hamas is the main source of instability; Iranian officials hailed the October 7 attack.".into(),
                origin: Origin::Analyst,
                conflicts: Vec::new(),
            },
        },
    )
    .unwrap();

    add_refuting_passage(
        &mut ws,
        &claim_id,
        "003_e0f09e3576302cfd.txt",
        "Moscow's door has remained open for Hamas officials",
        "Russia hosts Hamas leaders.",
    );
    add_refuting_passage(
        &mut ws,
        &claim_id,
        "002_422bb6ef6b69d9a6.txt",
        "any possibility in the region is likely",
        "Iran's foreign minister threatens escalation.",
    );
    assert!(ws.is_dirty());
    ws.save().unwrap();
    assert!(!ws.is_dirty());
    drop(ws);

    let mut reopened = sample.open();
    let claim = &reopened.project().claims[&claim_id];
    assert_eq!(claim.claimant.as_deref(), Some("Sergey Lavrov"));
    assert_eq!(claim.verdict.as_deref(), Some("False"));
    assert_eq!(claim.anchor.quote, LAVROV_QUOTE);
    assert_eq!(reopened.project().evidence_for(&claim_id).len(), 2);
    assert!(reopened.orphans().is_empty());

    let html = report::html::render(&report::build(&reopened, &ReportOptions::full()));
    assert!(
        html.contains("With regard to Gaza, there is a serious risk"),
        "quote in report"
    );
    assert!(html.contains("Sergey Lavrov"));
    assert!(html.contains("<span class=\"verdict\">False</span>"));
    assert!(html.contains("Moscow&#39;s door has remained open for Hamas officials"));
    assert!(html.contains("Iran&#39;s support for Hamas is the main source of instability"));
    // The evidence cites its article by title and source.
    assert!(html.contains("For Hamas, Moscow and Tehran are open for business"));
    // No code: the one script element is the ClaimReview JSON-LD (data browsers never run).
    assert!(
        !html
            .replace("<script type=\"application/ld+json\">", "")
            .contains("<script")
    );

    // The search box finds the claim again by verdict and by claimant, and the minister under
    // both spellings once the registry knows they are one person.
    reopened
        .apply(
            "confirm entity",
            Edit::PutEntity {
                id: new_id(),
                entity: Entity {
                    provenance: Default::default(),
                    name: "Sergey Lavrov".into(),
                    kind: EntityKind::Person,
                    aliases: vec!["Sergei Lavrov".into()],
                    note: String::new(),
                },
            },
        )
        .unwrap();
    let articles: Vec<_> = reopened.loaded_articles().cloned().collect();
    let found = |query: &str| match search::plan(reopened.project(), &articles, query, false) {
        search::Plan::Found(result) => result,
        search::Plan::Scan { pattern, regex } => {
            search::search(&articles, &pattern, regex).unwrap()
        }
    };
    for query in ["verdict:false", "Verdict: FALSE", "claimant:lavrov"] {
        let result = found(query);
        assert_eq!(result.total, 1, "{query}");
        assert_eq!(result.hits[0].article, FACT_CHECK);
        assert_eq!(result.hits[0].matched, LAVROV_QUOTE, "{query}");
        assert!(
            result.hits[0]
                .before
                .trim_end()
                .ends_with("Lavrov, claimed:"),
            "{query}: {:?}",
            result.hits[0].before
        );
    }
    assert_eq!(found("verdict:mostly").total, 0);
    assert_eq!(found("verdict:unrated").total, 0);
    assert_eq!(found("claimant:zakharova").total, 0);
    let lavrov = found("entity:lavrov");
    let mut spellings: Vec<(&str, &str)> = lavrov
        .hits
        .iter()
        .map(|h| (h.article.as_str(), h.matched.as_str()))
        .collect();
    spellings.dedup();
    assert_eq!(
        spellings,
        [
            (FACT_CHECK, "Sergey Lavrov"),
            ("003_e0f09e3576302cfd.txt", "Sergey Lavrov"),
            ("004_f0f083a2e182d3f1.txt", "Sergei Lavrov"),
        ]
    );
    // A name the registry does not know is searched as written, as a whole word.
    assert_eq!(found("entity:Zakharova").total, 1);
    assert_eq!(found("entity:Zakharov").total, 0);
    // Without a field prefix, a colon is just text.
    assert_eq!(
        search::Query::parse("Note: Russia"),
        search::Query::Text("Note: Russia")
    );
}

#[test]
fn second_open_is_read_only_while_the_first_holds_the_lock() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let article = ws.article(FACT_CHECK).unwrap().clone();
    let span = find_span(&article.text, "That is false.", 0);
    let id = new_id();
    ws.apply(
        "mark claim",
        Edit::PutClaim {
            id: id.clone(),
            claim: Claim {
                status: None,
                assignee: None,
                reviewer: None,
                signed_off: None,
                provenance: Default::default(),
                article: FACT_CHECK.into(),
                anchor: Anchor::new(&article, span),
                claimant: None,
                verdict: Some("Misleading".into()),
                note: "typed before the crash".into(),
                origin: Origin::Analyst,
                conflicts: Vec::new(),
            },
        },
    )
    .unwrap();
    // A crash: the workspace is gone without saving (forget skips every destructor).
    std::mem::forget(ws);
    let saved = std::fs::read_to_string(sample.project()).unwrap();
    assert!(
        !saved.contains("typed before the crash"),
        "nothing was saved"
    );

    let recovered = claimdesk_core::workspace::Workspace::open(
        &sample.project(),
        &claimdesk_core::workspace::OpenOptions {
            read_only: false,
            ..sample.options()
        },
    );
    // The forgotten workspace still holds the lock in this process: the second open is
    // read-only and says who holds it, without replaying anything.
    let recovered = recovered.unwrap();
    assert!(
        recovered
            .read_only_reason()
            .unwrap()
            .contains("another Claimdesk")
    );
    drop(recovered);
}

#[test]
fn journal_replays_edits_when_the_project_was_not_saved() {
    let sample = SampleCopy::new();
    let id = new_id();
    {
        let mut ws = sample.open();
        let article = ws.article(FACT_CHECK).unwrap().clone();
        let span = find_span(&article.text, "That is false.", 0);
        ws.apply(
            "mark claim",
            Edit::PutClaim {
                id: id.clone(),
                claim: Claim {
                    status: None,
                    assignee: None,
                    reviewer: None,
                    signed_off: None,
                    provenance: Default::default(),
                    article: FACT_CHECK.into(),
                    anchor: Anchor::new(&article, span),
                    claimant: None,
                    verdict: None,
                    note: String::new(),
                    origin: Origin::Analyst,
                    conflicts: Vec::new(),
                },
            },
        )
        .unwrap();
        let mut claim = ws.project().claims[&id].clone();
        claim.verdict = Some("True".into());
        ws.apply(
            "rate",
            Edit::PutClaim {
                id: id.clone(),
                claim,
            },
        )
        .unwrap();
        ws.undo().unwrap();
        // Dropped without saving, like a killed process (the lock goes with the process).
    }
    let ws = sample.open();
    let claim = ws
        .project()
        .claims
        .get(&id)
        .expect("claim recovered from the journal");
    assert_eq!(claim.verdict, None, "the undo was journalled too");
    assert!(
        ws.notices
            .iter()
            .any(|n| n.contains("Recovered 3 unsaved edit")),
        "{:?}",
        ws.notices
    );
    assert!(ws.is_dirty());
}

/// Writes the finished scenario into `$CLAIMDESK_DEMO_DIR` (for screenshots and demos):
/// `CLAIMDESK_DEMO_DIR=/tmp/demo cargo test --test scenario -- --ignored write_demo`.
#[test]
#[ignore = "writes a demo project; run by hand"]
fn write_demo_project() {
    let Ok(dir) = std::env::var("CLAIMDESK_DEMO_DIR") else {
        return;
    };
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let article = ws.article(FACT_CHECK).unwrap().clone();
    let claimed = find_span(&article.text, "Lavrov, claimed:", 0);
    let span = find_span(&article.text, LAVROV_QUOTE, claimed.end);
    let id = new_id();
    let mut claim = Claim::at(&article, span);
    claim.claimant = Some("Sergey Lavrov".into());
    claim.verdict = Some("False".into());
    claim.note = "Iran's support for Hamas is the main source of instability in the region; Iranian officials celebrated the October 7 attack.".into();
    ws.apply(
        "mark",
        Edit::PutClaim {
            id: id.clone(),
            claim,
        },
    )
    .unwrap();
    add_refuting_passage(
        &mut ws,
        &id,
        "003_e0f09e3576302cfd.txt",
        "Moscow's door has remained open for Hamas officials",
        "Russia hosts Hamas leaders.",
    );
    ws.save().unwrap();
    drop(ws);
    let target = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(target.join("projects")).unwrap();
    std::fs::create_dir_all(target.join("assets/corpus")).unwrap();
    std::fs::copy(sample.project(), target.join("projects/sample.ron")).unwrap();
    for entry in std::fs::read_dir(sample.corpus()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            target.join("assets/corpus").join(entry.file_name()),
        )
        .unwrap();
    }
}
