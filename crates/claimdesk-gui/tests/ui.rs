//! Headless UI tests (egui_kittest): widgets are found by their accessibility labels, the
//! reader is driven by pointer and keys as a hand would.

use crate::support;

use claimdesk_core::analysis::EntityKind;
use claimdesk_core::ops;
use claimdesk_core::text::Span;
use claimdesk_gui::{Action, ClaimdeskApp, Focus, Settings};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use support::{SampleCopy, find_span};

const FACT_CHECK: &str = "000_164a3089b8e03eed.txt";
const KHANI: &str = "001_6076344b43b91c38.txt";
const MOSCOW: &str = "003_e0f09e3576302cfd.txt";
const CRADLE: &str = "004_f0f083a2e182d3f1.txt";

fn harness(app: ClaimdeskApp) -> Harness<'static, ClaimdeskApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut ClaimdeskApp| app.frame_ui(ui), app)
}

/// A harness whose frames are 1/60 s apart, so clicks in a row make double and triple clicks.
fn quick_harness(app: ClaimdeskApp) -> Harness<'static, ClaimdeskApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(60)
        .build_ui_state(|ui, app: &mut ClaimdeskApp| app.frame_ui(ui), app)
}

/// The project as the app holds it now.
fn project<'a>(
    harness: &'a Harness<'static, ClaimdeskApp>,
) -> &'a claimdesk_core::project::Project {
    harness
        .state()
        .workspace()
        .expect("a project is open")
        .project()
}

fn app_on(sample: &SampleCopy) -> ClaimdeskApp {
    let mut app = ClaimdeskApp::new(Some(sample.open()), Settings::default());
    app.inline_work = true;
    app.native_dialogs = false;
    app
}

/// Does what a panel would, then lets the frames run.
fn act(harness: &mut Harness<'static, ClaimdeskApp>, action: Action) {
    harness.state_mut().act(action);
    harness.run();
}

/// The normalised text of an open article.
fn article_text(harness: &Harness<'static, ClaimdeskApp>, article_id: &str) -> String {
    harness
        .state()
        .workspace()
        .expect("a project is open")
        .article(article_id)
        .expect("the article is loaded")
        .text
        .clone()
}

fn slice(text: &str, span: Span) -> String {
    text.chars().skip(span.start).take(span.len()).collect()
}

/// The snapped selection's text, if any.
fn selected_text(harness: &Harness<'static, ClaimdeskApp>) -> Option<String> {
    let selection = harness.state().state().selection.clone()?;
    Some(slice(
        &article_text(harness, &selection.article),
        selection.snapped,
    ))
}

/// Selects `quote` in the reader as a search hit would and clicks "Mark as claim".
fn mark_in_reader(
    harness: &mut Harness<'static, ClaimdeskApp>,
    article_id: &str,
    quote: &str,
) -> Span {
    let span = find_span(&article_text(harness, article_id), quote, 0);
    act(
        harness,
        Action::SelectText {
            article: article_id.to_string(),
            span,
        },
    );
    harness.get_by_label("Mark as claim").click();
    harness.run();
    span
}

fn open_article(harness: &mut Harness<'static, ClaimdeskApp>, id: &str) {
    act(harness, Action::SelectArticle(id.to_string()));
}

/// Where the reader shows char `offset` of the open article (it must be scrolled into view).
fn pos_of(harness: &Harness<'static, ClaimdeskApp>, offset: usize) -> egui::Pos2 {
    harness
        .state()
        .reader_position_of(offset)
        .unwrap_or_else(|| panic!("char {offset} is not in view"))
}

/// Scrolls the reader to `offset` and lets it settle.
fn scroll_reader_to(harness: &mut Harness<'static, ClaimdeskApp>, article: &str, offset: usize) {
    act(
        harness,
        Action::ScrollTo {
            article: article.to_string(),
            offset,
        },
    );
}

/// A drag by hand: press, move in steps (checking `during` midway), release.
fn drag(
    harness: &mut Harness<'static, ClaimdeskApp>,
    from: egui::Pos2,
    to: egui::Pos2,
    mut during: impl FnMut(&mut Harness<'static, ClaimdeskApp>),
) {
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    for step in 1..=8 {
        harness.hover_at(from + (to - from) * (step as f32 / 8.0));
        harness.run();
    }
    during(harness);
    harness.drop_at(to);
    harness.run();
}

/// What a node says: a button's label, a text's value.
fn text_of(node: &egui_kittest::Node<'_>) -> String {
    let node = node.accesskit_node();
    node.label().or_else(|| node.value()).unwrap_or_default()
}

fn latest_notice(harness: &Harness<'static, ClaimdeskApp>) -> String {
    harness
        .state()
        .notices()
        .latest()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

#[test]
fn starts_on_the_sample_lists_five_articles_and_opens_one() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    for title in [
        "Russia's Foreign Minister Paints Iran a Responsible and Balanced Regional Peacekeeper",
        "Iran’s deputy FM met Hamas representatives in Moscow, Russian state media says",
        "For Hamas, Moscow and Tehran are open for business",
        "Russian FM calls for ‘collective’ Palestine action in meeting with Raisi",
    ] {
        assert!(
            harness.query_all_by_label(title).count() >= 1,
            "{title} listed"
        );
    }
    assert_eq!(project(&harness).articles.len(), 5);

    harness
        .get_by_label("For Hamas, Moscow and Tehran are open for business")
        .click();
    harness.run();
    assert_eq!(
        harness.state().state().selected_article.as_deref(),
        Some(MOSCOW)
    );
    let count = harness
        .query_all_by_label("For Hamas, Moscow and Tehran are open for business")
        .count();
    assert!(count >= 2, "title shown in list and reader, found {count}");
}

#[test]
fn mark_selection_as_claim_rate_with_keyboard_then_undo() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    mark_in_reader(&mut harness, FACT_CHECK, "That is false.");
    let (claim_id, claim) = {
        let project = project(&harness);
        let (id, claim) = project.claims.iter().next().expect("a claim was marked");
        (id.clone(), claim.clone())
    };
    assert_eq!(claim.anchor.quote, "That is false.");
    assert_eq!(
        harness.state().state().focus,
        Some(Focus::Claim(claim_id.clone()))
    );

    // Key 6 = the sixth step of the default scale, "False".
    harness.key_press(egui::Key::Num6);
    harness.run();
    let verdict = |h: &Harness<ClaimdeskApp>| {
        h.state().workspace().unwrap().project().claims[&claim_id]
            .verdict
            .clone()
    };
    assert_eq!(verdict(&harness).as_deref(), Some("False"));
    // Each verdict button shows its key.
    for label in ["1 True", "2 Mostly true", "6 False", "7 Unverifiable"] {
        harness.get_by_label(label);
    }

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(verdict(&harness), None, "undo cleared the verdict");
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run();
    assert_eq!(
        verdict(&harness).as_deref(),
        Some("False"),
        "redo restored it"
    );
}

#[test]
fn a_stray_digit_with_no_claim_selected_changes_nothing_and_says_why() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    mark_in_reader(&mut harness, FACT_CHECK, "That is false.");
    act(&mut harness, Action::Focus(None));
    let before = project(&harness).clone();
    harness.key_press(egui::Key::Num3);
    harness.run();
    assert_eq!(project(&harness), &before, "nothing rated");
    assert!(
        latest_notice(&harness).starts_with("Select a claim to rate it"),
        "{}",
        latest_notice(&harness)
    );
    // Said where it can be seen: a toast.
    assert!(
        harness
            .query_all_by_label_contains("Select a claim to rate it")
            .next()
            .is_some()
    );
}

#[test]
fn notices_show_as_toasts_with_severity_and_stay_in_a_log() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    // Two things that cannot be done, one after the other: both are kept.
    harness.key_press(egui::Key::C);
    harness.run();
    harness.key_press(egui::Key::Num2);
    harness.run();
    assert!(
        harness.get_all_by_label("Warning").count() >= 1,
        "said as a warning"
    );
    let log: Vec<String> = harness
        .state()
        .notices()
        .log()
        .iter()
        .map(|n| n.text.clone())
        .collect();
    assert!(
        log.iter()
            .any(|t| t.starts_with("Select text in the article first"))
    );
    assert!(
        log.iter()
            .any(|t| t.starts_with("Select a claim to rate it"))
    );
    harness.get_by_label("Notices (2 new)").click();
    harness.run();
    harness.get_by_label_contains("notice(s) since the window opened");
    assert!(
        harness
            .query_all_by_label_contains("Select text in the article first")
            .count()
            >= 1,
        "the first message is in the log, not only the last"
    );
    // Escape closes the log.
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("notice(s) since the window opened")
            .is_none()
    );
}

#[test]
fn dragging_across_two_paragraphs_shows_the_snapped_text_without_moving_the_layout() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let text = article_text(&harness, FACT_CHECK);
    let first = find_span(&text, "Sergey Lavrov credited Iran", 0);
    let second = find_span(&text, "Speaking at a press conference", 0);
    scroll_reader_to(&mut harness, FACT_CHECK, first.start);
    // From the last letter of "Sergey" (a sliver: dropped) to the end of "Speaking", on the
    // next paragraph.
    let from = pos_of(&harness, first.start + 5) + egui::vec2(1.0, 0.0);
    let end = second.start + "Speaking".len();
    let to = pos_of(&harness, end) + egui::vec2(0.5, 0.0);
    let top_before = pos_of(&harness, first.start);
    let expected = Span::new(first.start + "Sergey ".len(), end);
    drag(&mut harness, from, to, |harness| {
        // While the button is held: the preview is up, it shows the snapped text, and the
        // text has not moved.
        let preview = text_of(&harness.get_by_label_contains("“Lavrov credited Iran"));
        assert!(preview.starts_with("Selecting "), "{preview}");
        assert!(preview.contains("Speaking"), "{preview}");
        assert_eq!(pos_of(harness, first.start), top_before, "the text moved");
        assert!(
            harness.state().state().selection.is_none(),
            "not yet committed"
        );
    });
    let selection = harness
        .state()
        .state()
        .selection
        .clone()
        .expect("the drag selected");
    assert_eq!(selection.snapped, expected);
    assert_eq!(pos_of(&harness, first.start), top_before, "nothing moved");
    let said = text_of(&harness.get_by_label_contains("“Lavrov credited Iran"));
    assert!(said.starts_with("Selected "), "{said}");
    // Marked as shown.
    harness.key_press(egui::Key::C);
    harness.run();
    let claim = project(&harness).claims.values().next().expect("marked");
    assert_eq!(claim.anchor.span(), expected);
}

#[test]
fn a_drag_touching_the_end_of_a_first_name_selects_the_surname_only() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    open_article(&mut harness, CRADLE);
    let text = article_text(&harness, CRADLE);
    let name = find_span(&text, "Sergei Lavrov", 0);
    scroll_reader_to(&mut harness, CRADLE, name.start);
    let from = pos_of(&harness, name.start + 5) + egui::vec2(1.0, 0.0);
    let to = pos_of(&harness, name.end) + egui::vec2(0.5, 0.0);
    drag(&mut harness, from, to, |harness| {
        harness.get_by_label_contains("Selecting 1 word(s): “Lavrov”");
    });
    assert_eq!(selected_text(&harness).as_deref(), Some("Lavrov"));
}

#[test]
fn double_click_selects_a_word_triple_click_a_sentence_shift_arrows_extend_by_word() {
    let sample = SampleCopy::new();
    let mut harness = quick_harness(app_on(&sample));
    harness.run();
    let text = article_text(&harness, FACT_CHECK);
    let credited = find_span(&text, "credited Iran with", 0);
    scroll_reader_to(&mut harness, FACT_CHECK, credited.start);
    let at = pos_of(&harness, credited.start + 3);
    let click = |harness: &mut Harness<'static, ClaimdeskApp>| {
        harness.drag_at(at);
        harness.step();
        harness.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed: false,
            modifiers: egui::Modifiers::NONE,
        });
        harness.step();
    };
    harness.hover_at(at);
    harness.run();
    click(&mut harness);
    click(&mut harness);
    harness.run();
    assert_eq!(selected_text(&harness).as_deref(), Some("credited"));

    // Shift+Right twice: two more words.
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowRight);
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowRight);
    harness.run();
    assert_eq!(
        selected_text(&harness).as_deref(),
        Some("credited Iran with")
    );
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowLeft);
    harness.run();
    assert_eq!(selected_text(&harness).as_deref(), Some("credited Iran"));

    // Three clicks: the sentence.
    harness.run_steps(30);
    click(&mut harness);
    click(&mut harness);
    click(&mut harness);
    harness.run();
    let sentence = selected_text(&harness).expect("a sentence is selected");
    assert!(
        sentence.starts_with("On October 19, Russian Foreign Minister")
            && sentence.ends_with("peace and stability."),
        "{sentence}"
    );
}

#[test]
fn opening_another_article_drops_a_suggestion_and_a_selection_of_the_one_left() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    open_article(&mut harness, CRADLE);
    let span = harness
        .state()
        .workspace()
        .unwrap()
        .cached_analysis(CRADLE)
        .unwrap()
        .check_worthy()
        .next()
        .expect("a suggestion")
        .span;
    act(
        &mut harness,
        Action::Focus(Some(Focus::Suggestion {
            article: CRADLE.into(),
            span,
        })),
    );
    act(
        &mut harness,
        Action::SelectText {
            article: CRADLE.into(),
            span: Span::new(span.start, span.start + 6),
        },
    );
    harness.get_by_label("Accept as claim");
    open_article(&mut harness, FACT_CHECK);
    assert_eq!(harness.state().state().focus, None);
    assert_eq!(harness.state().state().selection, None);
    assert!(harness.query_by_label("Accept as claim").is_none());
    // A stray A now does nothing to the article left behind.
    harness.key_press(egui::Key::A);
    harness.run();
    assert!(project(&harness).claims.is_empty());
}

#[test]
fn undo_opens_what_it_changed_lights_it_up_and_says_what_it_was() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let span = mark_in_reader(&mut harness, FACT_CHECK, "That is false.");
    harness.key_press(egui::Key::Num6);
    harness.run();
    open_article(&mut harness, MOSCOW);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.step();
    let state = harness.state().state();
    assert_eq!(state.selected_article.as_deref(), Some(FACT_CHECK));
    let flash = state.flash.clone().expect("the change is lit up");
    assert_eq!((flash.article.as_str(), flash.span), (FACT_CHECK, span));
    let said = latest_notice(&harness);
    assert!(
        said.starts_with("Undid “rate claim False” in Russia's Foreign Minister"),
        "{said}"
    );
    harness.run();
    // Redo says so too.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    harness.run();
    assert!(latest_notice(&harness).starts_with("Redid “rate claim False”"));
}

#[test]
fn the_inspector_tabs_stay_put_between_articles_and_selections() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let tab_top = |h: &Harness<'static, ClaimdeskApp>| h.get_by_label("All claims").rect().top();
    let first = tab_top(&harness);
    mark_in_reader(&mut harness, FACT_CHECK, "That is false.");
    assert_eq!(
        tab_top(&harness),
        first,
        "a focused claim did not push the tabs"
    );
    for id in [MOSCOW, CRADLE, KHANI] {
        open_article(&mut harness, id);
        assert_eq!(tab_top(&harness), first, "{id}");
    }
}

#[test]
fn closing_asks_to_save_only_after_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(support::repo().join("assets/corpus")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let mut app = ClaimdeskApp::new(None, Settings::default());
    app.inline_work = true;
    let mut harness = harness(app);
    harness.run();
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .start_import(&ctx, vec![dir.path().to_path_buf()]);
    harness.run();
    assert_eq!(project(&harness).articles.len(), 5);
    assert!(
        !harness.state().has_unsaved_changes(),
        "a folder just opened has nothing of the analyst's to lose"
    );
    let first = harness.state().state().selected_article.clone().unwrap();
    mark_in_reader(&mut harness, &first, "the");
    assert!(harness.state().has_unsaved_changes());
}

#[test]
fn evidence_from_another_article_shows_in_its_margin_and_leads_back_to_the_claim() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    mark_in_reader(
        &mut harness,
        FACT_CHECK,
        "With regard to Gaza, there is a serious risk",
    );
    let claim_id = project(&harness).claims.keys().next().unwrap().clone();

    harness
        .get_by_label("For Hamas, Moscow and Tehran are open for business")
        .click();
    harness.run();
    let passage = "Moscow's door has remained open for Hamas officials";
    let span = find_span(&article_text(&harness, MOSCOW), passage, 0);
    act(
        &mut harness,
        Action::SelectText {
            article: MOSCOW.into(),
            span,
        },
    );
    assert_eq!(
        harness.state().state().focus,
        Some(Focus::Claim(claim_id.clone())),
        "the claim stays selected while another article is read"
    );
    harness.get_by_label("Add as evidence").click();
    harness.run();
    let evidence = project(&harness)
        .evidence
        .values()
        .next()
        .expect("evidence added");
    assert_eq!(evidence.claim, claim_id);

    act(&mut harness, Action::Focus(None));
    let mark = harness
        .query_all_by_label_contains("Evidence (refutes) for “With regard to Gaza")
        .next()
        .expect("a margin mark labelled with stance and claim");
    mark.click();
    harness.run();
    let state = harness.state().state();
    assert_eq!(state.focus, Some(Focus::Claim(claim_id)));
    assert_eq!(state.selected_article.as_deref(), Some(FACT_CHECK));
}

#[test]
fn accepting_a_suggestion_keeps_its_claimant() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    open_article(&mut harness, CRADLE);
    let suggestion = harness
        .state()
        .workspace()
        .unwrap()
        .cached_analysis(CRADLE)
        .expect("analysed")
        .claims
        .iter()
        .find(|c| c.text.contains("no one can reconcile Palestinians"))
        .cloned()
        .expect("Lavrov's quote is suggested");
    assert_eq!(suggestion.claimant.as_deref(), Some("Sergei Lavrov"));
    act(
        &mut harness,
        Action::Focus(Some(Focus::Suggestion {
            article: CRADLE.into(),
            span: suggestion.span,
        })),
    );
    harness.get_by_label("Accept as claim").click();
    harness.run();
    let claim = project(&harness).claims.values().next().expect("accepted");
    assert_eq!(claim.claimant.as_deref(), Some("Sergei Lavrov"));
}

/// A folder of the sample's articles, with `copies` exact copies of the first and a file
/// that is not text.
fn folder_with_duplicates(copies: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = support::repo().join("assets/corpus");
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    for i in 0..copies {
        std::fs::copy(
            corpus.join(FACT_CHECK),
            dir.path().join(format!("zz_copy_{i}.txt")),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join("image.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0binary",
    )
    .unwrap();
    dir
}

fn import(dir: &std::path::Path) -> Harness<'static, ClaimdeskApp> {
    let mut app = ClaimdeskApp::new(None, Settings::default());
    app.inline_work = true;
    app.native_dialogs = false;
    let mut harness = harness(app);
    harness.run();
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .start_import(&ctx, vec![dir.to_path_buf()]);
    harness.run();
    harness
}

#[test]
fn opening_a_folder_imports_in_the_background_and_counts_the_duplicates_it_folded() {
    let dir = folder_with_duplicates(3);
    let mut harness = import(dir.path());
    let state = harness.state();
    assert!(!state.is_importing(), "the import finished");
    let ws = state.workspace().unwrap();
    assert_eq!(ws.project().articles.len(), 5);
    assert!(state.state().selected_article.is_some());
    let said = latest_notice(&harness);
    assert!(said.contains("Import finished"), "{said}");
    assert!(
        said.contains("3 exact duplicate(s) folded") && said.contains("1 file(s) skipped"),
        "{said}"
    );
    harness.get_by_label_contains("3 exact duplicate file(s) folded on import");
    harness
        .get_by_label("Import report (3 folded, 1 skipped)")
        .click();
    harness.run();
    harness.get_by_label("duplicates (3)").click();
    harness.run();
    let folded = harness
        .query_all_by_label("exact duplicate, folded")
        .count();
    assert_eq!(folded, 3, "each duplicate listed");
    // A duplicate's path opens with the desktop's viewer.
    let path = text_of(
        &harness
            .query_all_by_label_contains("zz_copy_0.txt")
            .next()
            .expect("the duplicate's path"),
    );
    harness.get_by_label(&path).click();
    harness.run();
    // And the article it repeats opens in the reader.
    harness
        .query_all_by_label_contains(FACT_CHECK)
        .find(|n| text_of(n).ends_with(FACT_CHECK))
        .expect("the original's path")
        .click();
    harness.run();
    assert_eq!(
        harness.state().state().selected_article.as_deref(),
        Some(FACT_CHECK)
    );
}

/// The sample with two names confirmed as separate people, the entity registry open.
fn registry_with_two_people(
    sample: &SampleCopy,
    first: (&str, &str),
    second: (&str, &str),
) -> Harness<'static, ClaimdeskApp> {
    let mut harness = harness(app_on(sample));
    harness.run();
    for (article, name) in [first, second] {
        act(
            &mut harness,
            Action::ConfirmName {
                article: article.into(),
                name: name.into(),
                spellings: Vec::new(),
                kind: EntityKind::Person,
                scope: ops::Scope::Article,
            },
        );
    }
    assert_eq!(project(&harness).entities.len(), 2);
    harness.get_by_label("Entity registry").click();
    harness.run();
    harness
}

#[test]
fn merging_keeps_the_name_ticked_first_visibly_and_the_article_lists_one_row() {
    let sample = SampleCopy::new();
    // "Sergey Lavrov" in the fact-check and "Sergei Lavrov" in The Cradle.
    let mut harness = registry_with_two_people(
        &sample,
        (FACT_CHECK, "Sergey Lavrov"),
        (CRADLE, "Sergei Lavrov"),
    );
    harness
        .get_by_label("select Sergey Lavrov for merging")
        .click();
    harness.run();
    harness
        .get_by_label("select Sergei Lavrov for merging")
        .click();
    harness.run();
    // Said before it happens: which name stays.
    harness.get_by_label("keeps its name");
    harness
        .get_by_label("Merge 2 selected into “Sergey Lavrov”")
        .click();
    harness.run();
    let merged = project(&harness);
    assert_eq!(merged.entities.len(), 1);
    let entity = merged.entities.values().next().unwrap();
    assert_eq!(entity.name, "Sergey Lavrov");
    assert!(entity.aliases.contains(&"Sergei Lavrov".to_string()));
    // The Cradle's names list one row for him: "Lavrov" beside "Sergei Lavrov" included.
    harness.get_by_label("This article").click();
    open_article(&mut harness, CRADLE);
    let rows: Vec<String> = harness
        .query_all_by_label_contains("Lavrov (")
        .map(|n| text_of(&n))
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].starts_with("Sergey Lavrov ("), "{rows:?}");
    // One undo step brings both entities back.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(project(&harness).entities.len(), 2);
}

#[test]
fn merging_can_keep_the_other_name() {
    let sample = SampleCopy::new();
    let mut harness = registry_with_two_people(
        &sample,
        (FACT_CHECK, "Sergey Lavrov"),
        (CRADLE, "Sergei Lavrov"),
    );
    for name in ["Sergey Lavrov", "Sergei Lavrov"] {
        harness
            .get_by_label(&format!("select {name} for merging"))
            .click();
        harness.run();
    }
    harness.get_by_label("Keep the name").click();
    harness.run();
    harness
        .get_all_by_label("Sergei Lavrov")
        .last()
        .expect("the other name is offered")
        .click();
    harness.run();
    harness
        .get_by_label("Merge 2 selected into “Sergei Lavrov”")
        .click();
    harness.run();
    let merged = project(&harness);
    assert_eq!(merged.entities.len(), 1);
    assert_eq!(
        merged.entities.values().next().unwrap().name,
        "Sergei Lavrov"
    );
}

#[test]
fn dragging_one_name_onto_another_merges_it_into_that_entity() {
    let sample = SampleCopy::new();
    // Two articles spell Iran's deputy foreign minister differently.
    let mut harness = registry_with_two_people(
        &sample,
        (MOSCOW, "Ali Bagheri Kani"),
        (KHANI, "Bagheri Khani"),
    );
    let from = harness
        .get_by_label_contains("Bagheri Khani (")
        .rect()
        .center();
    let onto = harness
        .get_by_label_contains("Ali Bagheri Kani (")
        .rect()
        .center();
    drag(&mut harness, from, onto, |_| {});
    let merged = project(&harness);
    assert_eq!(merged.entities.len(), 1, "the dropped entity was merged");
    let entity = merged.entities.values().next().unwrap();
    assert_eq!(
        entity.name, "Ali Bagheri Kani",
        "the drop target keeps its name"
    );
    assert!(entity.aliases.iter().any(|a| a == "Bagheri Khani"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(project(&harness).entities.len(), 2, "one undo step");
}

#[test]
fn confirming_a_suggested_name_records_every_mention_the_row_counts() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    // The fact-check names "Sergey Lavrov" three times and "Lavrov" alone once more.
    let text = article_text(&harness, FACT_CHECK);
    let full = text.matches("Sergey Lavrov").count();
    harness.get_by_label_contains("Sergey Lavrov (");
    harness.get_by_label("Confirm Sergey Lavrov").click();
    harness.run();
    let registry = project(&harness);
    assert_eq!(registry.entities.len(), 1);
    let in_article = registry
        .mentions
        .values()
        .filter(|m| m.article == FACT_CHECK)
        .count();
    assert!(
        in_article > full,
        "the full name {full} times and the surname alone: {in_article}"
    );
    assert!(registry.mentions.values().all(|m| m.article == FACT_CHECK));
    // The row is now confirmed, with nothing left to confirm.
    assert!(harness.query_by_label("Confirm Sergey Lavrov").is_none());

    // The key: a selected name, N; Shift+N for every article.
    let hamas = find_span(&text, "Hamas", 0);
    act(
        &mut harness,
        Action::SelectText {
            article: FACT_CHECK.into(),
            span: hamas,
        },
    );
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::N);
    harness.run();
    let hamas_id = ops::entity_id(harness.state().workspace().unwrap(), "Hamas").unwrap();
    let articles: std::collections::BTreeSet<&str> = project(&harness)
        .mentions
        .values()
        .filter(|m| m.entity == hamas_id)
        .map(|m| m.article.as_str())
        .collect();
    assert!(articles.len() >= 4, "Hamas in every article: {articles:?}");
}

#[test]
fn the_claimant_field_offers_registry_names_and_the_entity_lists_its_claims() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    act(
        &mut harness,
        Action::ConfirmName {
            article: FACT_CHECK.into(),
            name: "Sergey Lavrov".into(),
            spellings: vec!["Lavrov".into()],
            kind: EntityKind::Person,
            scope: ops::Scope::Article,
        },
    );
    mark_in_reader(&mut harness, FACT_CHECK, "That is false.");
    harness.get_by_label("Claimant").click();
    harness.run();
    harness.get_by_label("Claimant").type_text("lav");
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Sergey Lavrov")
        .click();
    harness.run();
    let claim = project(&harness).claims.values().next().unwrap().clone();
    assert_eq!(claim.claimant.as_deref(), Some("Sergey Lavrov"));
    harness.get_by_label_contains("Linked to the registry: Sergey Lavrov");
    // The entity's page lists the claims it made.
    harness.get_by_label("Entity registry").click();
    harness.run();
    harness
        .query_all_by_label_contains("Sergey Lavrov (")
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::Button)
        .expect("the registry row")
        .click();
    harness.run();
    harness.get_by_label("Claims made (1)");
    assert!(
        harness
            .query_all_by_label_contains("That is false.")
            .next()
            .is_some()
    );
}

#[test]
fn a_merge_conflict_on_a_claim_is_resolved_with_keep_ours_or_use_theirs() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let span = find_span(&ws.article(FACT_CHECK).unwrap().text, "That is false.", 0);
    let op = ops::mark_claim(
        &ws,
        FACT_CHECK,
        span,
        ops::ClaimFields {
            verdict: Some("False".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let id = ws.run(op).unwrap().unwrap();
    // A merge left two verdicts (as `claimdesk merge` writes them).
    let mut claim = ws.project().claims[&id].clone();
    claim
        .conflicts
        .push(claimdesk_core::project::FieldConflict {
            field: "verdict".into(),
            ours: "False".into(),
            theirs: "Misleading".into(),
        });
    ws.apply(
        "merge",
        claimdesk_core::project::Edit::PutClaim {
            id: id.clone(),
            claim,
        },
    )
    .unwrap();
    let mut app = ClaimdeskApp::new(Some(ws), Settings::default());
    app.inline_work = true;
    app.native_dialogs = false;
    let mut harness = harness(app);
    harness.run();
    act(&mut harness, Action::Focus(Some(Focus::Claim(id.clone()))));
    harness.get_by_label_contains("Merge conflict on verdict");
    harness.get_by_label("Use theirs (verdict)").click();
    harness.run();
    let claim = &project(&harness).claims[&id];
    assert_eq!(claim.verdict.as_deref(), Some("Misleading"));
    assert!(claim.conflicts.is_empty());
    assert!(harness.query_by_label("Keep ours (verdict)").is_none());
}

/// How many names the compare view links across its two sides, from its note.
fn names_in_both_compared(harness: &Harness<'static, ClaimdeskApp>) -> usize {
    let note = harness
        .get_by_label_contains("entities named in both articles")
        .value()
        .unwrap_or_default();
    note.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a count leads the note: {note}"))
}

/// Scrolls the widget labelled `label` into view, as the analyst would, and clicks it.
fn scroll_and_click(harness: &mut Harness<'static, ClaimdeskApp>, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.run();
    harness.get_by_label(label).click();
    harness.run();
}

/// Opens the "Across articles" tab (linking runs inline in tests).
fn open_across_articles(harness: &mut Harness<'static, ClaimdeskApp>) {
    harness.get_by_label("Across articles").click();
    harness.run();
    assert!(harness.state().links().is_some(), "links made");
}

#[test]
fn compare_view_shows_the_conflicting_funding_figures_side_by_side() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    open_across_articles(&mut harness);
    harness
        .get_all_by_label("Compare side by side")
        .next()
        .expect("a conflict to compare")
        .click();
    harness.run();
    let compare = harness
        .state()
        .state()
        .compare
        .clone()
        .expect("compare view open");
    assert_ne!(compare.left.article, compare.right.article);
    let texts = [&*compare.left.text, &*compare.right.text];
    // The sample's first conflict is Iran's funding of Hamas; the comparison shows the two
    // articles' figures furthest apart, not two that agree.
    assert!(
        texts
            .iter()
            .any(|t| t.contains("approximately $100 million"))
            && texts.iter().any(|t| t.contains("around $150 million")),
        "{texts:?}"
    );
    assert!(names_in_both_compared(&harness) >= 3);
    harness.get_by_label("Close comparison").click();
    harness.run();
    assert!(harness.state().state().compare.is_none());
}

#[test]
fn links_are_stale_only_after_an_edit_not_after_reading() {
    // More articles than are linked again at once, so staleness shows.
    let sample: Vec<claimdesk_core::corpus::Article> = claimdesk_core::corpus::import_paths(
        &[claimdesk_core::sample::corpus_dir()],
        &claimdesk_core::corpus::ImportLimits::default(),
        |_, _| true,
    )
    .0;
    let articles = (0..60)
        .map(|i| {
            let from = &sample[i % sample.len()];
            let mut a = claimdesk_core::corpus::Article::from_text(
                &format!("{i:03}.txt"),
                &format!("{}\n\nCopy {i}.", from.text),
            );
            a.path = format!("{i:03}.txt").into();
            a
        })
        .collect();
    let ws = claimdesk_core::workspace::Workspace::from_articles(articles, None);
    let mut app = ClaimdeskApp::new(Some(ws), Settings::default());
    app.inline_work = true;
    let mut harness = harness(app);
    harness.run();
    open_across_articles(&mut harness);
    // Reading other articles analyses them: no edit, so the links are not out of date.
    for id in ["001.txt", "002.txt", "007.txt"] {
        open_article(&mut harness, id);
        assert!(
            harness
                .query_by_label_contains("Made before your latest edits")
                .is_none(),
            "after opening {id}"
        );
    }
    mark_in_reader(&mut harness, "007.txt", "Copy 7.");
    harness.get_by_label_contains("Made before your latest edits");
}

#[test]
fn search_finds_a_spelling_in_another_article_and_escape_closes_it() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.get_by_label("Search").type_text("bagheri khani");
    harness.run();
    let occurrences: usize = harness
        .state()
        .workspace()
        .unwrap()
        .loaded_articles()
        .map(|a| a.text.to_lowercase().matches("bagheri khani").count())
        .sum();
    assert!(occurrences >= 1);
    assert!(
        harness
            .query_by_label(&format!("{occurrences} result(s)"))
            .is_some(),
        "every match counted"
    );
    harness
        .query_all_by_label_contains("Bagheri Khani")
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::Button)
        .expect("each result row names its article and is clickable")
        .click();
    harness.run();
    assert_eq!(
        harness.state().state().selected_article.as_deref(),
        Some(KHANI)
    );
    assert_eq!(selected_text(&harness).as_deref(), Some("Bagheri Khani"));
    harness.get_by_label("Search").click();
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness.query_by_label("Search").is_none(),
        "Escape closed it"
    );
}

#[test]
fn search_by_verdict_lists_rated_claims_and_follows_new_ratings() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let marked = mark_in_reader(&mut harness, FACT_CHECK, "That is false.");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.get_by_label("Search").type_text("verdict:false");
    harness.run();
    assert!(
        harness.query_by_label("0 result(s)").is_some(),
        "nothing rated yet"
    );
    // Rating the claim (button 6 False) updates the open search without retyping.
    harness.get_by_label("6 False").click();
    harness.run();
    assert!(harness.query_by_label("1 result(s)").is_some());
    harness
        .query_all_by_label_contains("That is false.")
        .find(|n| {
            n.accesskit_node()
                .label()
                .is_some_and(|l| l.contains("Russia's Foreign Minister"))
        })
        .expect("the rated claim is a result row")
        .click();
    harness.run();
    let selection = harness.state().state().selection.clone().unwrap();
    assert_eq!(selection.article, FACT_CHECK);
    assert_eq!(selection.snapped, marked);
}

#[test]
fn export_dialog_writes_markdown_and_browse_without_a_file_dialog_says_so() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let span = find_span(
        &ws.article(FACT_CHECK).unwrap().text,
        "the Iranian authorities have taken a responsible and balanced stand",
        0,
    );
    let op = ops::mark_claim(
        &ws,
        FACT_CHECK,
        span,
        ops::ClaimFields {
            claimant: Some("Sergey Lavrov".into()),
            verdict: Some("False".into()),
            note: None,
        },
    )
    .unwrap();
    ws.run(op).unwrap();
    let mut app = ClaimdeskApp::new(Some(ws), Settings::default());
    app.inline_work = true;
    app.native_dialogs = false;
    let mut harness = harness(app);
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    harness.get_by_label("Markdown report").click();
    harness.run();
    // No file dialog here: Browse… says so and the field stays usable.
    harness.get_by_label("Browse…").click();
    harness.run();
    harness.get_by_label_contains("No file dialog can open here");
    let out = sample.dir.path().join("out").join("report.md");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_label("Save to")
        .type_text(&out.display().to_string());
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Export")
        .click();
    harness.run();
    let markdown = std::fs::read_to_string(&out).expect("the export was written");
    assert!(markdown.contains("Sergey Lavrov"), "{markdown}");
    assert!(markdown.contains("False"));
    assert!(
        harness
            .state()
            .notices()
            .log()
            .iter()
            .any(|n| n.text.starts_with("Export: wrote")),
    );
    assert!(
        harness.query_by_label("Markdown report").is_none(),
        "closed"
    );
}

#[test]
fn escape_closes_the_palette_and_the_export_dialog_and_the_palette_lists_every_view() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::P,
    );
    harness.run();
    let count = claimdesk_core::command::Command::all().len();
    harness.get_by_label_contains(&format!("{count} of {count} commands"));
    for view in [
        "Entity registry",
        "Across articles",
        "Compare with the next article",
        "Orphaned annotations",
        "Import report",
        "Notices (message log)",
        "All claims",
    ] {
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.run();
        harness.get_by_label("Command").type_text(view);
        harness.run();
        assert!(
            harness
                .query_by_label_contains(&format!("View: {view}"))
                .is_some(),
            "{view} is in the palette"
        );
    }
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_label("Command").type_text("Entity registry");
    harness.run();
    harness
        .get_by_label_contains("View: Entity registry")
        .click();
    harness.run();
    assert_eq!(
        harness.state().state().tab,
        claimdesk_gui::InspectorTab::Entities
    );
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::P,
    );
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("View: Entity registry")
            .is_none()
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    harness.get_by_label("Markdown report");
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Markdown report").is_none());
}

#[test]
fn at_150_percent_nothing_is_clipped_and_every_menu_has_its_glyphs() {
    let sample = SampleCopy::new();
    let mut app = app_on(&sample);
    app.settings.zoom = 1.5;
    // The harness panics on a glyph the fonts lack: opening every menu checks them all.
    let mut harness = harness(app);
    harness.run();
    for menu in claimdesk_core::command::Menu::ALL {
        harness.get_by_label(menu.title()).click();
        harness.run();
        harness.key_press(egui::Key::Escape);
        harness.run();
    }
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    let close = harness.get_by_label("Close").rect();
    let inspector_left = harness.get_by_label("This article").rect().left();
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0));
    assert!(
        close.right() <= inspector_left && screen.contains_rect(close),
        "the search bar's Close button is whole: {close:?}, inspector at {inspector_left}"
    );
}

#[test]
fn only_the_strongest_suggestions_are_shaded_and_the_slider_is_remembered() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let listed = text_of(&harness.get_by_label_contains("Suggested ("));
    let count: usize = listed
        .trim_start_matches("Suggested (")
        .split(')')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count");
    assert!(count > 8, "the fact-check has many suggestions: {count}");
    harness.get_by_label(&format!(
        "8 of {count} shaded in the text (in bold here); all are listed"
    ));
    let settings = Settings {
        shade_strongest: 3,
        ..harness.state().settings.clone()
    };
    act(&mut harness, Action::Settings(Box::new(settings)));
    harness.get_by_label(&format!(
        "3 of {count} shaded in the text (in bold here); all are listed"
    ));
    // Remembered between runs: saved with the other settings and read back.
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    let again: Settings = eframe::get_value(&storage, "claimdesk.settings").expect("saved");
    assert_eq!(again.shade_strongest, 3);
}

/// eframe's storage, in memory.
#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn bulk_accept_of_an_articles_suggestions_is_one_undo_step() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let claims = |h: &Harness<'static, ClaimdeskApp>| project(h).claims.len();
    let button = harness
        .query_all_by_label_contains("Accept all ")
        .next()
        .expect("a bulk accept button")
        .accesskit_node()
        .label()
        .unwrap_or_default();
    let count: usize = button
        .trim_start_matches("Accept all ")
        .parse()
        .expect("the button says how many");
    assert!(count >= 5);
    harness.get_by_label(&button).click();
    harness.run();
    assert_eq!(claims(&harness), count);
    assert!(
        harness
            .query_by_label("Suggested (0) — automatic")
            .is_some()
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(claims(&harness), 0);
    harness
        .get_by_label(&format!("Dismiss all {count}"))
        .click();
    harness.run();
    assert_eq!(project(&harness).dismissed.len(), count);
}

#[test]
fn a_name_spelled_several_ways_becomes_one_registry_entity_in_one_click() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    assert!(project(&harness).entities.is_empty());
    open_across_articles(&mut harness);
    scroll_and_click(&mut harness, "Add “Sergey Lavrov” to the registry");
    let (entity, mentions) = {
        let project = project(&harness);
        assert_eq!(project.entities.len(), 1);
        let (id, entity) = project.entities.iter().next().unwrap();
        let mentions: Vec<_> = project
            .mentions
            .values()
            .filter(|m| &m.entity == id)
            .cloned()
            .collect();
        (entity.clone(), mentions)
    };
    assert_eq!(entity.name, "Sergey Lavrov");
    assert!(entity.aliases.contains(&"Sergei Lavrov".to_string()));
    assert!(entity.aliases.contains(&"Lavrov".to_string()));
    let articles: std::collections::BTreeSet<_> = mentions.iter().map(|m| &m.article).collect();
    assert!(articles.len() >= 3, "mentions in {articles:?}");

    harness.get_by_label("One registry entity holds every spelling.");
    scroll_and_click(&mut harness, "Record new mentions of “Sergey Lavrov”");
    assert_eq!(project(&harness).mentions.len(), mentions.len());

    let header = harness
        .get_by_label_contains("Mentions of Sergey Lavrov")
        .accesskit_node()
        .label()
        .unwrap_or_default();
    scroll_and_click(&mut harness, &header);
    let link = harness
        .query_all_by_label_contains("Sergei Lavrov: ")
        .next()
        .expect("a link to a mention spelled Sergei")
        .accesskit_node()
        .label()
        .unwrap_or_default();
    scroll_and_click(&mut harness, &link);
    assert_eq!(selected_text(&harness).as_deref(), Some("Sergei Lavrov"));

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert!(project(&harness).entities.is_empty());
    assert!(project(&harness).mentions.is_empty());
}

#[test]
fn an_articles_entity_list_puts_a_surname_under_the_full_name() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    assert_eq!(
        harness.state().state().selected_article.as_deref(),
        Some(FACT_CHECK)
    );
    harness.get_by_label("Sergey Lavrov (3)");
    harness.get_by_label("also Lavrov");
    assert!(harness.query_by_label("Lavrov (1)").is_none());
}

#[test]
fn any_two_articles_can_be_compared_from_the_article_list() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let open = harness.state().state().selected_article.clone().unwrap();
    harness
        .get_by_label("For Hamas, Moscow and Tehran are open for business")
        .click_secondary();
    harness.run();
    harness
        .get_by_label("Compare with the open article")
        .click();
    harness.run();
    let compare = harness
        .state()
        .state()
        .compare
        .clone()
        .expect("compare view open");
    assert_eq!(&*compare.left.article, open.as_str());
    assert_eq!(&*compare.right.article, MOSCOW);
    assert!(names_in_both_compared(&harness) >= 3);
}

/// 10,000 short articles with sources and dates, a few with claims.
fn big_list() -> ClaimdeskApp {
    let articles: Vec<claimdesk_core::corpus::Article> = (0..10_000)
        .map(|i| {
            let mut a = claimdesk_core::corpus::Article::from_text(
                &format!("{i:05}.txt"),
                &format!("Story number {i}.\n\nThe minister said it was {i} percent."),
            );
            a.meta.title = Some(format!(
                "Story {i:05} {}",
                ["about Moscow", "about Gaza"][i % 2]
            ));
            a.meta.source = Some(["BBC", "Reuters", "AP"][i % 3].into());
            a.meta.date = Some(format!("2023-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
            a.path = format!("{i:05}.txt").into();
            a
        })
        .collect();
    let mut ws = claimdesk_core::workspace::Workspace::from_articles(articles, None);
    for (i, id) in ["04242.txt", "07777.txt"].into_iter().enumerate() {
        let text = ws.article(id).unwrap().text.clone();
        let span = find_span(&text, "The minister said", 0);
        let fields = ops::ClaimFields {
            verdict: (i == 0).then(|| "False".to_string()),
            ..Default::default()
        };
        let op = ops::mark_claim(&ws, id, span, fields).unwrap();
        ws.run(op).unwrap();
    }
    let mut app = ClaimdeskApp::new(Some(ws), Settings::default());
    app.inline_work = true;
    app.native_dialogs = false;
    app
}

#[test]
fn ten_thousand_articles_filter_by_title_source_date_and_claims_and_sort() {
    let mut harness = harness(big_list());
    harness.run();
    harness.get_by_label("10000 articles");
    // Source and date on every row; counts where there are claims.
    assert!(
        harness
            .query_all_by_label_contains("Story 00000 about Moscow")
            .count()
            >= 1
    );
    harness.get_by_label("Title").click();
    harness.run();
    harness.get_by_label("Title").type_text("gaza 0424");
    harness.run();
    let title = |i: usize| format!("Story {i:05} {}", ["about Moscow", "about Gaza"][i % 2]);
    let matching = (0..10_000)
        .filter(|&i| title(i).to_lowercase().contains("gaza") && title(i).contains("0424"))
        .count();
    harness.get_by_label(&format!("Showing {matching} of 10000 articles"));
    harness.get_by_label("Story 04243 about Gaza");
    // Has claims.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Title").type_text("story");
    harness.run();
    harness.get_by_label("claims").click();
    harness.run();
    harness.get_by_label("with claims").click();
    harness.run();
    harness.get_by_label("Showing 2 of 10000 articles");
    harness.get_by_label_contains("Story 04242");
    harness.get_by_label_contains("Story 07777");
    // The open article is kept in view when it changes from elsewhere.
    act(&mut harness, Action::SelectArticle("07777.txt".into()));
    harness.get_by_label("Clear filter").click();
    harness.run();
    harness.run();
    assert!(
        harness
            .query_all_by_label(&title(7777))
            .any(|n| n.accesskit_node().role() == egui::accesskit::Role::Button),
        "the open article's row is in view after the filter is cleared"
    );
    // Source and sort: the AP's latest first.
    harness.get_by_label("source").click();
    harness.run();
    harness.get_by_label_contains("AP (").click();
    harness.run();
    harness.get_by_label("Showing 3333 of 10000 articles");
    harness.get_by_label("sort by").click();
    harness.run();
    harness.get_by_label("date").click();
    harness.run();
    harness.get_by_label("descending").click();
    harness.run();
    // The rows in view: all the AP's, newest first.
    let rows: Vec<String> = harness
        .query_all_by_role(egui::accesskit::Role::Button)
        .map(|n| text_of(&n))
        .filter(|l| l.starts_with("Story ") && l.len() >= 11)
        .map(|l| format!("{}.txt", &l["Story ".len()..11]))
        .collect();
    assert!(rows.len() >= 5, "{rows:?}");
    let ws = harness.state().workspace().unwrap();
    let dates: Vec<String> = rows
        .iter()
        .map(|id| {
            assert_eq!(ws.meta(id).source.as_deref(), Some("AP"), "{id}");
            ws.meta(id).date.unwrap()
        })
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
}

/// Unsaved edits a crash set aside because another program rewrote the project meanwhile are
/// offered back when the project opens: re-applied on top of the new file (as undo steps), the
/// other program's change kept, and nothing offered again afterwards.
#[test]
fn edits_set_aside_by_a_crash_are_offered_back_and_reapplied_on_top() {
    let sample = SampleCopy::with_fact_check();
    let path = sample.project();
    let claim = {
        let mut ws = sample.open();
        let claim = ws.project().claims.keys().next().unwrap().clone();
        let op = claimdesk_core::ops::set_claim(
            &ws,
            &claim,
            claimdesk_core::ops::ClaimChange {
                note: Some("Written just before the crash".into()),
                ..Default::default()
            },
        )
        .unwrap();
        ws.run(op).unwrap();
        // The crash: the journal stays, unsaved, as the process dies.
        let journal = path.with_extension("ron.journal");
        let unsaved = std::fs::read(&journal).unwrap();
        drop(ws);
        std::fs::write(&journal, unsaved).unwrap();
        claim
    };
    // Meanwhile a git pull renames the project.
    let mut pulled = claimdesk_core::project::file::load(&path).unwrap();
    pulled.name = "Pulled from the team".into();
    claimdesk_core::project::file::save(&pulled, &path).unwrap();

    let mut harness = harness(app_on(&sample));
    harness.run();
    harness.get_by_label("Unsaved edits from before the project changed");
    assert_ne!(
        project(&harness).claims[&claim].note,
        "Written just before the crash",
        "nothing is applied unasked"
    );
    harness.get_by_label("Re-apply what still applies").click();
    harness.run();
    assert_eq!(
        project(&harness).claims[&claim].note,
        "Written just before the crash"
    );
    assert_eq!(project(&harness).name, "Pulled from the team");
    assert!(harness.state().has_unsaved_changes());
    harness.get_by_label("Nothing is left to re-apply.");
    assert!(claimdesk_core::workspace::stranded_journals(&path).is_empty());
    harness.get_by_label("Close").click();
    harness.run();
    assert!(
        harness
            .query_by_label("Unsaved edits from before the project changed")
            .is_none()
    );
}

/// A merge that kept a decision about the project itself (both sides renamed it) shows it
/// above every tab with both values; "Use theirs" settles it as one undo step.
#[test]
fn a_project_level_merge_conflict_is_shown_and_settled_in_the_window() {
    let sample = SampleCopy::new();
    let path = sample.project();
    let mut merged = claimdesk_core::project::file::load(&path).unwrap();
    merged.name = "Ana's name".into();
    merged
        .conflicts
        .push(claimdesk_core::project::FieldConflict {
            field: "name".into(),
            ours: "Ana's name".into(),
            theirs: "Dana's name".into(),
        });
    claimdesk_core::project::file::save(&merged, &path).unwrap();

    let mut harness = harness(app_on(&sample));
    harness.run();
    harness.get_by_label("The merge kept 1 decision(s) about the project for you");
    harness.get_by_label("name: ours “Ana's name”, theirs “Dana's name”");
    harness.get_by_label("Use theirs (project name)").click();
    harness.run();
    assert_eq!(project(&harness).name, "Dana's name");
    assert!(project(&harness).conflicts.is_empty());
    assert!(
        harness
            .query_by_label("The merge kept 1 decision(s) about the project for you")
            .is_none()
    );
    act(
        &mut harness,
        Action::Command(claimdesk_core::command::Command::Undo),
    );
    assert_eq!(project(&harness).name, "Ana's name");
    assert_eq!(
        project(&harness).conflicts.len(),
        1,
        "undo brings the decision back"
    );
}
