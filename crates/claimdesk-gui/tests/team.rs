//! The team's GUI on the sample (egui_kittest): who the analyst is (first-run dialog,
//! Preferences), the editorial workflow in the claim editor, the claims list's workflow
//! filters and the activity view. The sync itself is in `sync_ui.rs` (it needs git and a merge
//! driver).

use crate::support;

use claimdesk_core::command::Command;
use claimdesk_core::ops;
use claimdesk_core::project::{Id, Project, Stance};
use claimdesk_gui::{Action, ClaimdeskApp, Focus, InspectorTab, Settings};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use support::{SampleCopy, find_span};

const FACT_CHECK: &str = "000_164a3089b8e03eed.txt";
const KHANI: &str = "001_6076344b43b91c38.txt";

fn harness(app: ClaimdeskApp) -> Harness<'static, ClaimdeskApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(30)
        .build_ui_state(|ui, app: &mut ClaimdeskApp| app.frame_ui(ui), app)
}

/// The app on a copy of the sample, reading the user's settings from `settings`.
fn app_on(sample: &SampleCopy, settings: &std::path::Path) -> ClaimdeskApp {
    let mut app = ClaimdeskApp::new(Some(sample.open()), Settings::default());
    app.inline_work = true;
    app.native_dialogs = false;
    app.use_user_settings(Some(settings.to_path_buf()));
    app
}

/// An app whose analyst is already known (no first-run question).
fn app_as(sample: &SampleCopy, name: &str) -> (ClaimdeskApp, tempfile::TempDir) {
    let config = tempfile::tempdir().unwrap();
    let settings = config.path().join("settings.ron");
    claimdesk_core::settings::Settings {
        analyst: Some(claimdesk_core::settings::Analyst::new(name, "analyst@example.org").unwrap()),
    }
    .save_to(&settings)
    .unwrap();
    (app_on(sample, &settings), config)
}

fn act(harness: &mut Harness<'static, ClaimdeskApp>, action: Action) {
    harness.state_mut().act(action);
    harness.run();
}

fn project<'a>(harness: &'a Harness<'static, ClaimdeskApp>) -> &'a Project {
    harness.state().workspace().unwrap().project()
}

/// Marks `quote` of `article` as a claim through the core operation, as the reader would.
fn mark(harness: &mut Harness<'static, ClaimdeskApp>, article: &str, quote: &str) -> Id {
    let ws = harness.state().workspace().unwrap();
    let span = find_span(&ws.article(article).unwrap().text, quote, 0);
    let op = ops::mark_claim(ws, article, span, ops::ClaimFields::default()).unwrap();
    let before: Vec<Id> = project(harness).claims.keys().cloned().collect();
    act(
        harness,
        Action::Op {
            op: Box::new(op),
            done: None,
        },
    );
    project(harness)
        .claims
        .keys()
        .find(|id| !before.contains(id))
        .cloned()
        .expect("the claim was marked")
}

fn run_op(harness: &mut Harness<'static, ClaimdeskApp>, op: ops::Result<ops::Op>) {
    act(
        harness,
        Action::Op {
            op: Box::new(op.unwrap()),
            done: None,
        },
    );
}

/// Replaces what the field labelled `label` holds with `text`, typed.
fn type_into(harness: &mut Harness<'static, ClaimdeskApp>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

/// Clicks the entry `label` of an open drop-down (not a label that says the same).
fn choose(harness: &mut Harness<'static, ClaimdeskApp>, label: &str) {
    harness
        .get_all_by_label(label)
        .find(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
        .unwrap_or_else(|| panic!("no entry {label}"))
        .click();
    harness.run();
}

#[test]
fn first_run_asks_who_is_working_saves_it_and_edits_are_signed_with_it() {
    let sample = SampleCopy::new();
    let config = tempfile::tempdir().unwrap();
    let settings = config.path().join("claimdesk/settings.ron");
    let mut harness = harness(app_on(&sample, &settings));
    harness.run();
    harness.get_by_label("Who is working?");
    type_into(&mut harness, "Your name", "Lee Park");
    type_into(&mut harness, "E-mail", "lee at example");
    harness.get_by_label_contains("is not an e-mail address");
    assert!(
        !settings.exists(),
        "nothing is saved while the address is wrong"
    );
    type_into(&mut harness, "E-mail", "lee@example.org");
    harness.get_by_label("Save").click();
    harness.run();
    assert!(harness.query_by_label("Who is working?").is_none());
    let saved = claimdesk_core::settings::Settings::load_from(&settings).unwrap();
    assert_eq!(
        saved.analyst.as_ref().map(ToString::to_string).as_deref(),
        Some("Lee Park <lee@example.org>")
    );
    let id = mark(&mut harness, FACT_CHECK, "That is false.");
    let claim = &project(&harness).claims[&id];
    assert_eq!(
        claim.provenance.created.as_ref().map(|s| s.by.as_str()),
        Some("Lee Park <lee@example.org>"),
        "the workspace signs the new claim with the analyst of the settings"
    );

    // A second start reads the name back and asks nothing; Preferences changes it.
    let mut again = self::harness(app_on(&sample_two(), &settings));
    again.run();
    assert!(again.query_by_label("Who is working?").is_none());
    again.state_mut().act(Action::Command(Command::Preferences));
    again.run();
    again.get_by_label("Preferences");
    let name = again.get_by_label("Your name");
    assert_eq!(name.accesskit_node().value().as_deref(), Some("Lee Park"));

    type_into(&mut again, "Your name", "Lee K. Park");
    again.get_by_label("Save").click();
    again.run();
    assert_eq!(
        again
            .state()
            .workspace()
            .unwrap()
            .analyst()
            .map(|a| a.name.as_str()),
        Some("Lee K. Park")
    );
    let saved = claimdesk_core::settings::Settings::load_from(&settings).unwrap();
    assert_eq!(saved.analyst.unwrap().name, "Lee K. Park");
}

/// Another copy of the sample (the first one's lock is held by the first window).
fn sample_two() -> SampleCopy {
    SampleCopy::new()
}

#[test]
fn not_now_puts_the_question_off_and_a_sign_off_then_says_to_say_who_you_are() {
    let sample = SampleCopy::new();
    let config = tempfile::tempdir().unwrap();
    let mut harness = harness(app_on(&sample, &config.path().join("settings.ron")));
    harness.run();
    harness.get_by_label("Not now").click();
    harness.run();
    assert!(harness.query_by_label("Who is working?").is_none());
    let id = mark(&mut harness, FACT_CHECK, "That is false.");
    act(&mut harness, Action::Focus(Some(Focus::Claim(id.clone()))));
    // Below the fact-check matches in the editor: scrolled into view first, as a hand would.
    harness.get_by_label("Sign off").scroll_to_me();
    harness.run();
    harness.get_by_label("Sign off").click();
    harness.run();
    harness.get_by_label_contains("Refused: a sign-off records who gave it: say who you are first");
    assert!(project(&harness).claims[&id].signed_off.is_none());
    harness.get_by_label("Say who you are…").click();
    harness.run();
    harness.get_by_label("Preferences");
}

#[test]
fn the_claim_editor_moves_a_claim_through_the_workflow_and_refuses_to_publish_it_bare() {
    let sample = SampleCopy::new();
    let (app, _config) = app_as(&sample, "Lee Park");
    let mut harness = harness(app);
    harness.run();
    let id = mark(&mut harness, FACT_CHECK, "That is false.");
    act(&mut harness, Action::Focus(Some(Focus::Claim(id.clone()))));
    harness.get_by_label_contains("created by Lee Park");
    harness.get_by_label_contains(
        "To be “published” it needs a verdict and at least one evidence item.",
    );

    // Publishing a claim with no verdict and no evidence is refused, and the refusal stays.
    harness.get_by_label("Status: published").click();
    harness.run();
    let refusal = "Refused: cannot publish this claim";
    harness.get_by_label_contains(&format!(
        "{refusal}: it needs a verdict and at least one evidence item first"
    ));
    assert_eq!(
        project(&harness).status_of(&project(&harness).claims[&id]),
        "to check"
    );

    harness.get_by_label("Status: in review").click();
    harness.run();
    assert_eq!(
        project(&harness).claims[&id].status.as_deref(),
        Some("in review")
    );
    assert!(
        harness.query_by_label_contains(refusal).is_none(),
        "a change that went through clears the refusal"
    );

    // The reviewer is offered from the known names (the analyst); the assignee typed.
    harness.get_by_label("Reviewer").click();
    harness.run();
    harness.get_by_label("Lee Park").click();
    harness.run();
    assert_eq!(
        project(&harness).claims[&id].reviewer.as_deref(),
        Some("Lee Park")
    );
    harness.get_by_label("Assignee").click();
    harness.run();
    type_into(&mut harness, "Assignee: another name", "Dana Reyes");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(
        project(&harness).claims[&id].assignee.as_deref(),
        Some("Dana Reyes")
    );

    // Below the fact-check matches in the editor: scrolled into view first, as a hand would.
    harness.get_by_label("Sign off").scroll_to_me();
    harness.run();
    harness.get_by_label("Sign off").click();
    harness.run();
    let signed = project(&harness).claims[&id].signed_off.clone().unwrap();
    assert_eq!(signed.name(), "Lee Park");
    harness.get_by_label_contains("Signed off by Lee Park");

    // With a verdict and evidence it publishes.
    let ws = harness.state().workspace().unwrap();
    let verdict = ops::set_claim(
        ws,
        &id,
        ops::ClaimChange {
            verdict: Some(Some("False".into())),
            ..Default::default()
        },
    );
    run_op(&mut harness, verdict);
    harness.get_by_label("Status: published").click();
    harness.run();
    harness.get_by_label_contains(
        "Refused: cannot publish this claim: it needs at least one evidence item first",
    );
    let ws = harness.state().workspace().unwrap();
    let text = &ws.article(KHANI).unwrap().text;
    let evidence = ops::add_evidence(
        ws,
        &id,
        ops::EvidenceInput::Passage {
            article: KHANI.into(),
            span: find_span(
                text,
                "A senior Iranian envoy met with Hamas representatives",
                0,
            ),
        },
        Stance::Supports,
        "",
    );
    run_op(&mut harness, evidence);
    harness.get_by_label("Status: published").click();
    harness.run();
    assert!(project(&harness).is_published(&project(&harness).claims[&id]));
}

#[test]
fn all_claims_filters_by_status_assignee_and_reviewer() {
    let sample = SampleCopy::new();
    let (app, _config) = app_as(&sample, "Lee Park");
    let mut harness = harness(app);
    harness.run();
    let first = mark(&mut harness, FACT_CHECK, "That is false.");
    let second = mark(
        &mut harness,
        KHANI,
        "A senior Iranian envoy met with Hamas representatives in Moscow",
    );
    let third = mark(&mut harness, KHANI, "Russian and Iranian media said Friday");
    let ws = harness.state().workspace().unwrap();
    let op = ops::set_status(ws, &first, "in-review");
    run_op(&mut harness, op);
    let ws = harness.state().workspace().unwrap();
    let op = ops::assign(
        ws,
        &first,
        Some(Some("Dana Reyes".into())),
        Some(Some("Lee Park".into())),
    );
    run_op(&mut harness, op);
    let ws = harness.state().workspace().unwrap();
    let op = ops::assign(ws, &second, Some(Some("Ana Costa".into())), None);
    run_op(&mut harness, op);

    act(&mut harness, Action::ShowTab(InspectorTab::AllClaims));
    harness.get_by_label("3 claim(s)");
    harness.get_by_label("status").click();
    harness.run();
    choose(&mut harness, "in review");
    harness.get_by_label("1 claim(s)");
    assert!(harness.query_by_label_contains("“That is false.").is_some());
    assert!(
        harness
            .query_by_label_contains("“A senior Iranian envoy")
            .is_none()
    );

    harness.get_by_label("status").click();
    harness.run();
    choose(&mut harness, "to check");
    harness.get_by_label("2 claim(s)");
    harness.get_by_label("assignee").click();
    harness.run();
    choose(&mut harness, "nobody");
    harness.get_by_label("1 claim(s)");
    assert!(
        harness
            .query_by_label_contains("“Russian and Iranian media")
            .is_some()
    );
    let _ = third;

    harness.get_by_label("status").click();
    harness.run();
    choose(&mut harness, "any");
    harness.get_by_label("assignee").click();
    harness.run();
    choose(&mut harness, "any");
    harness.get_by_label("reviewer").click();
    harness.run();
    choose(&mut harness, "Lee Park");
    harness.get_by_label("1 claim(s)");
    assert!(harness.query_by_label_contains("“That is false.").is_some());
}

#[test]
fn the_activity_view_lists_who_did_what_newest_first_and_a_row_opens_its_claim() {
    let sample = SampleCopy::new();
    let (app, _config) = app_as(&sample, "Lee Park");
    let mut harness = harness(app);
    harness.run();
    let first = mark(&mut harness, FACT_CHECK, "That is false.");
    let second = mark(
        &mut harness,
        KHANI,
        "A senior Iranian envoy met with Hamas representatives in Moscow",
    );
    // Records are signed to the second: a change in the same second as the creation is the
    // same moment.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let ws = harness.state().workspace().unwrap();
    let op = ops::set_status(ws, &first, "in progress");
    run_op(&mut harness, op);
    act(&mut harness, Action::Command(Command::ShowActivity));
    assert_eq!(harness.state().state().tab, InspectorTab::Activity);
    let rows = harness.state().activity_rows().to_vec();
    assert!(rows.len() >= 3, "{rows:?}");
    assert!(
        rows.iter().all(|r| r.unsaved),
        "nothing saved yet: {rows:?}"
    );
    assert!(
        rows.iter()
            .all(|r| r.who.as_deref() == Some("Lee Park <analyst@example.org>")),
        "{rows:?}"
    );
    assert_eq!(
        rows[0].claim.as_ref(),
        Some(&first),
        "the newest is the status change"
    );
    harness.get_by_label_contains("Lee Park changed claim");
    // The row about the second claim opens it.
    let row = rows
        .iter()
        .find(|r| r.claim.as_ref() == Some(&second))
        .unwrap()
        .line();
    harness.get_by_label(&row).click();
    harness.run();
    assert_eq!(
        harness.state().state().focus,
        Some(Focus::Claim(second.clone()))
    );
    assert_eq!(
        harness.state().state().selected_article.as_deref(),
        Some(KHANI)
    );

    // Saved, the rows come from the records, no longer unsaved.
    act(&mut harness, Action::Command(Command::Save));
    harness.run();
    let rows = harness.state().activity_rows();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| !r.unsaved), "{rows:?}");

    // A change to a saved claim is one unsaved row; its creation stays a saved one.
    let ws = harness.state().workspace().unwrap();
    let op = ops::set_status(ws, &second, "in review");
    run_op(&mut harness, op);
    let about_second: Vec<_> = harness
        .state()
        .activity_rows()
        .iter()
        .filter(|r| r.claim.as_ref() == Some(&second))
        .map(|r| (r.action, r.unsaved))
        .collect();
    use claimdesk_core::activity::Action as Did;
    assert_eq!(
        about_second,
        [(Did::Changed, true), (Did::Created, false)],
        "{:?}",
        harness.state().activity_rows()
    );
}

#[test]
fn the_search_box_finds_claims_by_status_and_assignee_and_follows_changes() {
    let sample = SampleCopy::new();
    let (app, _config) = app_as(&sample, "Lee Park");
    let mut harness = harness(app);
    harness.run();
    let first = mark(&mut harness, FACT_CHECK, "That is false.");
    mark(
        &mut harness,
        KHANI,
        "A senior Iranian envoy met with Hamas representatives in Moscow",
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.get_by_label("Search").type_text("status:in-review");
    harness.run();
    harness.get_by_label("0 result(s)");
    // Moving the claim in the editor updates the open search.
    act(
        &mut harness,
        Action::Focus(Some(Focus::Claim(first.clone()))),
    );
    harness.get_by_label("Status: in review").click();
    harness.run();
    harness.get_by_label("1 result(s)");

    harness.get_by_label("Search").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_label("Search").type_text("assignee:none");
    harness.run();
    harness.get_by_label("2 result(s)");
}

/// The status scale is the project's and editable in the window, like the rating scale: the new
/// steps show on every claim at once, a scale with one step is refused with the reason, and undo
/// brings the old scale back.
#[test]
fn the_status_scale_is_edited_in_the_claim_editor_and_undone() {
    let sample = SampleCopy::new();
    let (app, _config) = app_as(&sample, "Lee Park");
    let mut harness = harness(app);
    harness.run();
    let id = mark(&mut harness, FACT_CHECK, "That is false.");
    act(&mut harness, Action::Focus(Some(Focus::Claim(id.clone()))));
    let before = project(&harness).status_scale.clone();
    let steps = "Steps, first to last (the last publishes):";

    harness.get_by_label("Edit steps…").scroll_to_me();
    harness.run();
    harness.get_by_label("Edit steps…").click();
    harness.run();
    type_into(&mut harness, steps, "draft");
    harness.get_by_label("Apply steps").click();
    harness.run();
    assert_eq!(
        project(&harness).status_scale,
        before,
        "one step is refused"
    );
    harness.get_by_label_contains("Refused: a status scale needs at least two steps");

    harness.get_by_label("Edit steps…").click();
    harness.run();
    type_into(
        &mut harness,
        steps,
        "to check, fact-checked, edited, published",
    );
    harness.get_by_label("Apply steps").click();
    harness.run();
    assert_eq!(
        project(&harness).status_scale,
        ["to check", "fact-checked", "edited", "published"]
    );
    harness.get_by_label("Status: fact-checked");

    act(&mut harness, Action::Command(Command::Undo));
    assert_eq!(project(&harness).status_scale, before);
}
