//! Headless UI tests (egui_kittest): widgets are found by their accessibility labels.

#[path = "../../../tests/support/mod.rs"]
mod support;

use claimdesk_gui::{ClaimdeskApp, Focus, Settings};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use support::{SampleCopy, find_span};

fn harness(app: ClaimdeskApp) -> Harness<'static, ClaimdeskApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut ClaimdeskApp| app.frame_ui(ui), app)
}

/// The project as the app holds it now.
fn project<'a>(
    harness: &'a Harness<'static, ClaimdeskApp>,
) -> &'a claimdesk_core::project::Project {
    harness
        .state()
        .ws
        .as_ref()
        .expect("a project is open")
        .project()
}

fn app_on(sample: &SampleCopy) -> ClaimdeskApp {
    let mut app = ClaimdeskApp::new(Some(sample.open()), Settings::default());
    app.inline_work = true;
    app
}

/// The normalised text of an open article.
fn article_text(harness: &Harness<'static, ClaimdeskApp>, article_id: &str) -> String {
    harness
        .state()
        .ws
        .as_ref()
        .expect("a project is open")
        .article(article_id)
        .expect("the article is loaded")
        .text
        .clone()
}

/// Selects `quote` in the reader, as a mouse drag would, and clicks "Mark as claim".
fn mark_in_reader(
    harness: &mut Harness<'static, ClaimdeskApp>,
    article_id: &str,
    quote: &str,
) -> claimdesk_core::text::Span {
    let span = find_span(&article_text(harness, article_id), quote, 0);
    harness.state_mut().text_selection = Some((article_id.to_string(), span));
    harness.run();
    harness.get_by_label("Mark as claim").click();
    harness.run();
    span
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
    // The fifth (002) has no headline line; its title is its first sentence, shortened.
    assert_eq!(project(&harness).articles.len(), 5);

    harness
        .get_by_label("For Hamas, Moscow and Tehran are open for business")
        .click();
    harness.run();
    assert_eq!(
        harness.state().selected_article.as_deref(),
        Some("003_e0f09e3576302cfd.txt")
    );
    // The reader's heading now shows the title too (list entry + heading).
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
    let article_id = "000_164a3089b8e03eed.txt";
    mark_in_reader(&mut harness, article_id, "That is false.");
    let (claim_id, claim) = {
        let project = project(&harness);
        let (id, claim) = project.claims.iter().next().expect("a claim was marked");
        (id.clone(), claim.clone())
    };
    assert_eq!(claim.anchor.quote, "That is false.");
    assert_eq!(harness.state().focus, Some(Focus::Claim(claim_id.clone())));

    // Key 6 = the sixth step of the default scale, "False".
    harness.key_press(egui::Key::Num6);
    harness.run();
    let verdict = |h: &Harness<ClaimdeskApp>| {
        h.state().ws.as_ref().unwrap().project().claims[&claim_id]
            .verdict
            .clone()
    };
    assert_eq!(verdict(&harness).as_deref(), Some("False"));
    // The claim editor shows the verdict buttons by label.
    harness.get_by_label("Mostly true");

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
fn evidence_from_another_article_shows_in_its_margin_and_leads_back_to_the_claim() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let claim_article = "000_164a3089b8e03eed.txt".to_string();
    let evidence_article = "003_e0f09e3576302cfd.txt".to_string();
    mark_in_reader(
        &mut harness,
        &claim_article,
        "With regard to Gaza, there is a serious risk",
    );
    let claim_id = project(&harness).claims.keys().next().unwrap().clone();

    harness
        .get_by_label("For Hamas, Moscow and Tehran are open for business")
        .click();
    harness.run();
    let passage = "Moscow's door has remained open for Hamas officials";
    let span = find_span(&article_text(&harness, &evidence_article), passage, 0);
    // Scroll the reader to the passage, as a search hit would, so its margin is drawn.
    harness.state_mut().scroll_to = Some((evidence_article.clone(), span.start));
    harness.state_mut().text_selection = Some((evidence_article.clone(), span));
    harness.run();
    assert_eq!(
        harness.state().focus,
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

    // Inside the evidence article the passage gets a margin mark naming the claim it bears on
    // (its background alone could be hidden under a claim's).
    harness.state_mut().focus = None;
    harness.run();
    let mark = harness
        .query_all_by_label_contains("Evidence (refutes) for “With regard to Gaza")
        .next()
        .expect("a margin mark labelled with stance and claim");
    mark.click();
    harness.run();
    let state = harness.state();
    assert_eq!(state.focus, Some(Focus::Claim(claim_id)));
    assert_eq!(
        state.selected_article.as_deref(),
        Some(claim_article.as_str())
    );
}

#[test]
fn accepting_a_suggestion_keeps_its_claimant() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let article_id = "004_f0f083a2e182d3f1.txt";
    harness.state_mut().selected_article = Some(article_id.into());
    harness.run();
    let suggestion = {
        let state = harness.state();
        let ws = state.ws.as_ref().unwrap();
        ws.cached_analysis(article_id)
            .expect("analysed")
            .claims
            .iter()
            .find(|c| c.text.contains("no one can reconcile Palestinians"))
            .cloned()
            .expect("Lavrov's quote is suggested")
    };
    // Resolved to the full name the article introduced him with.
    assert_eq!(suggestion.claimant.as_deref(), Some("Sergei Lavrov"));
    harness.state_mut().focus = Some(Focus::Suggestion {
        article: article_id.into(),
        span: suggestion.span,
    });
    harness.run();
    harness.get_by_label("Accept as claim").click();
    harness.run();
    let project = project(&harness);
    let claim = project.claims.values().next().expect("accepted");
    assert_eq!(claim.claimant.as_deref(), Some("Sergei Lavrov"));
}

#[test]
fn opening_a_folder_imports_in_the_background_with_a_report() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(support::repo().join("assets/corpus")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    std::fs::write(
        dir.path().join("image.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0binary",
    )
    .unwrap();
    let mut app = ClaimdeskApp::new(None, Settings::default());
    app.inline_work = true;
    let mut harness = harness(app);
    harness.run();
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .start_import(&ctx, vec![dir.path().to_path_buf()]);
    for _ in 0..500 {
        harness.step();
        if harness.state().importing.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run();
    let state = harness.state();
    assert!(state.importing.is_none(), "the import finished");
    let ws = state.ws.as_ref().unwrap();
    assert_eq!(ws.project().articles.len(), 5);
    let skipped: Vec<_> = ws
        .import_report
        .iter()
        .filter(|r| r.reason.is_some())
        .collect();
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0].path.ends_with("image.txt"));
    assert!(
        state.selected_article.is_some(),
        "the first article is open"
    );
    assert!(state.status.last().unwrap().contains("Import finished"));
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
        harness.state_mut().confirm_entity(
            article,
            name,
            claimdesk_core::analysis::EntityKind::Person,
            claimdesk_core::ops::Scope::Article,
        );
    }
    assert_eq!(project(&harness).entities.len(), 2);
    harness.get_by_label("Entity registry").click();
    harness.run();
    harness
}

#[test]
fn merging_two_spellings_in_the_registry_makes_one_entity() {
    let sample = SampleCopy::new();
    // "Sergey Lavrov" in the fact-check and "Sergei Lavrov" in The Cradle.
    let mut harness = registry_with_two_people(
        &sample,
        ("000_164a3089b8e03eed.txt", "Sergey Lavrov"),
        ("004_f0f083a2e182d3f1.txt", "Sergei Lavrov"),
    );
    harness
        .get_by_label("select Sergey Lavrov for merging")
        .click();
    harness.run();
    harness
        .get_by_label("select Sergei Lavrov for merging")
        .click();
    harness.run();
    harness.get_by_label("Merge 2 selected").click();
    harness.run();
    let merged = project(&harness);
    assert_eq!(merged.entities.len(), 1);
    let entity = merged.entities.values().next().unwrap();
    assert_eq!(
        entity.name, "Sergey Lavrov",
        "the first one ticked keeps its name"
    );
    let forms: Vec<&str> = entity.surface_forms().collect();
    assert!(
        forms.contains(&"Sergey Lavrov") && forms.contains(&"Sergei Lavrov"),
        "{forms:?}"
    );
    assert!(
        merged.mentions.len() >= 2
            && merged
                .mentions
                .values()
                .all(|m| merged.entities.contains_key(&m.entity))
    );
    // One undo step brings both entities back.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(project(&harness).entities.len(), 2);
}

#[test]
fn dragging_one_name_onto_another_merges_it_into_that_entity() {
    let sample = SampleCopy::new();
    // Two articles spell Iran's deputy foreign minister differently.
    let mut harness = registry_with_two_people(
        &sample,
        ("003_e0f09e3576302cfd.txt", "Ali Bagheri Kani"),
        ("001_6076344b43b91c38.txt", "Bagheri Khani"),
    );
    let from = harness
        .get_by_label_contains("Bagheri Khani (")
        .rect()
        .center();
    let onto = harness
        .get_by_label_contains("Ali Bagheri Kani (")
        .rect()
        .center();
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    // Move in steps, as a hand does, so egui sees a drag rather than a click.
    for step in 1..=8 {
        harness.hover_at(from + (onto - from) * (step as f32 / 8.0));
        harness.run();
    }
    harness.drop_at(onto);
    harness.run();

    let merged = project(&harness);
    assert_eq!(merged.entities.len(), 1, "the dropped entity was merged");
    let entity = merged.entities.values().next().unwrap();
    assert_eq!(
        entity.name, "Ali Bagheri Kani",
        "the drop target keeps its name"
    );
    assert!(entity.aliases.iter().any(|a| a == "Bagheri Khani"));
    assert!(
        merged
            .mentions
            .values()
            .all(|m| merged.entities.contains_key(&m.entity))
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(project(&harness).entities.len(), 2, "one undo step");
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
    settle(harness);
}

/// Runs frames until cross-article linking, which runs on a thread and starts again after
/// edits while the tab is open, has finished.
fn settle(harness: &mut Harness<'static, ClaimdeskApp>) {
    let mut quiet_frames = 0;
    // Generous: a debug build on a busy CI machine analyses the sample slowly.
    for _ in 0..3000 {
        harness.step();
        if harness.state().cross.is_running() {
            quiet_frames = 0;
            std::thread::sleep(std::time::Duration::from_millis(10));
        } else {
            quiet_frames += 1;
            if quiet_frames == 5 {
                return;
            }
        }
    }
    panic!("cross-article linking did not settle in 3000 frames");
}

/// Opens the "Across articles" tab and waits for the links.
fn open_across_articles(harness: &mut Harness<'static, ClaimdeskApp>) {
    harness.get_by_label("Across articles").click();
    settle(harness);
    assert!(harness.state().cross.links.is_some(), "links made");
}

#[test]
fn compare_view_shows_conflicting_hostage_counts_side_by_side() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    open_across_articles(&mut harness);
    harness
        .get_all_by_label("Compare side by side")
        .next()
        .expect("a conflict to compare")
        .click();
    settle(&mut harness);
    let compare = harness.state().compare.clone().expect("compare view open");
    assert_ne!(compare.left.article, compare.right.article);
    let texts = [compare.left.text.as_str(), compare.right.text.as_str()];
    assert!(
        texts.iter().any(|t| t.contains("more than 200"))
            && texts.iter().any(|t| t.contains("At least 150")),
        "{texts:?}"
    );
    // Names in both articles (Hamas, Israel …) are linked across the two sides.
    assert!(names_in_both_compared(&harness) >= 3);
    harness.get_by_label("Close comparison").click();
    harness.run();
    assert!(harness.state().compare.is_none());
}

#[test]
fn search_finds_a_spelling_in_another_article_and_opens_it_there() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let start = harness.state().selected_article.clone();
    assert_ne!(start.as_deref(), Some("001_6076344b43b91c38.txt"));

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.get_by_label("Search").click();
    harness.run();
    // Only one article spells the deputy minister "Khani".
    harness.get_by_label("Search").type_text("bagheri khani");
    harness.run();
    let occurrences: usize = harness
        .state()
        .ws
        .as_ref()
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
        .next()
        .expect("each result row names its article and is clickable")
        .click();
    harness.run();
    let state = harness.state();
    assert_eq!(
        state.selected_article.as_deref(),
        Some("001_6076344b43b91c38.txt")
    );
    // The reader took the scroll request (to the match) when it drew the article.
    assert_eq!(state.scroll_to, None);
    // The match is selected, ready to add as evidence.
    let (article, span) = state.text_selection.clone().expect("the match is selected");
    let text = &state.ws.as_ref().unwrap().article(&article).unwrap().text;
    let selected: String = text.chars().skip(span.start).take(span.len()).collect();
    assert_eq!(selected, "Bagheri Khani");
}

#[test]
fn search_by_verdict_lists_rated_claims_and_follows_new_ratings() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let article_id = "000_164a3089b8e03eed.txt";
    let marked = mark_in_reader(&mut harness, article_id, "That is false.");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.get_by_label("Search").type_text("verdict:false");
    harness.run();
    assert!(
        harness.query_by_label("0 result(s)").is_some(),
        "nothing rated yet"
    );

    // Rating the claim (key 6 = False) updates the open search without retyping.
    harness.state_mut().focus = Some(Focus::Claim(
        project(&harness).claims.keys().next().unwrap().clone(),
    ));
    // Escape leaves the search field, so the key rates instead of typing.
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press(egui::Key::Num6);
    harness.run();
    harness.run();
    assert!(harness.query_by_label("1 result(s)").is_some());
    harness
        .query_all_by_label_contains("That is false.")
        .last()
        .expect("the rated claim is a result row")
        .click();
    harness.run();
    let (article, span) = harness.state().text_selection.clone().unwrap();
    assert_eq!(article, article_id);
    assert_eq!(span, marked);
}

#[test]
fn export_dialog_writes_markdown_with_the_rated_claim() {
    let sample = SampleCopy::new();
    let mut app = app_on(&sample);
    let article = "000_164a3089b8e03eed.txt";
    {
        let ws = app.ws.as_mut().unwrap();
        let text = ws.article(article).unwrap().text.clone();
        let span = find_span(
            &text,
            "the Iranian authorities have taken a responsible and balanced stand",
            0,
        );
        let mut claim = claimdesk_core::project::Claim::at(ws.article(article).unwrap(), span);
        claim.claimant = Some("Sergey Lavrov".into());
        claim.verdict = Some("False".into());
        ws.apply(
            "mark",
            claimdesk_core::project::Edit::PutClaim {
                id: claimdesk_core::project::new_id(),
                claim,
            },
        )
        .unwrap();
    }
    let mut harness = harness(app);
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    harness.get_by_label("Markdown report").click();
    harness.run();
    let out = sample.dir.path().join("out").join("report.md");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    harness.get_by_label("Save to").click();
    harness.run();
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
            .status
            .iter()
            .any(|s| s.starts_with("Export: wrote")),
        "{:?}",
        harness.state().status
    );
}

#[test]
fn bulk_accept_of_an_articles_suggestions_is_one_undo_step() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let claims =
        |h: &Harness<'static, ClaimdeskApp>| h.state().ws.as_ref().unwrap().project().claims.len();
    assert_eq!(claims(&harness), 0);
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
    assert!(
        count >= 5,
        "the fact-check has several suggestions: {count}"
    );
    harness.get_by_label(&button).click();
    harness.run();
    assert_eq!(claims(&harness), count);
    // Every accepted claim came from a suggestion and the list is now empty.
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
    assert!(
        entity.aliases.contains(&"Sergei Lavrov".to_string()),
        "{entity:?}"
    );
    assert!(entity.aliases.contains(&"Lavrov".to_string()), "{entity:?}");
    let articles: std::collections::BTreeSet<_> = mentions.iter().map(|m| &m.article).collect();
    assert!(articles.len() >= 3, "mentions in {articles:?}");
    assert!(mentions.iter().any(|m| m.anchor.quote == "Sergei Lavrov"));

    // Done once: the group says so, and asking again records nothing new.
    harness.get_by_label("One registry entity holds every spelling.");
    scroll_and_click(&mut harness, "Record new mentions of “Sergey Lavrov”");
    assert_eq!(project(&harness).mentions.len(), mentions.len());

    // A mention link opens its article with the name selected.
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
    let state = harness.state();
    let (article, span) = state
        .text_selection
        .clone()
        .expect("the mention is selected");
    assert_eq!(state.selected_article.as_ref(), Some(&article));
    assert_eq!(
        article_text(&harness, &article)
            .chars()
            .skip(span.start)
            .take(span.len())
            .collect::<String>(),
        "Sergei Lavrov"
    );

    // One undo step takes it all back.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut harness);
    assert!(project(&harness).entities.is_empty());
    assert!(project(&harness).mentions.is_empty());
}

#[test]
fn an_articles_entity_list_puts_a_surname_under_the_full_name() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    assert_eq!(
        harness.state().selected_article.as_deref(),
        Some("000_164a3089b8e03eed.txt")
    );
    // The fact-check names "Sergey Lavrov" twice and "Lavrov" once: one row, three mentions.
    harness.get_by_label("Sergey Lavrov (3)");
    harness.get_by_label("also Lavrov");
    assert!(harness.query_by_label("Lavrov (1)").is_none());
}

#[test]
fn any_two_articles_can_be_compared_from_the_article_list() {
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let open = harness
        .state()
        .selected_article
        .clone()
        .expect("an article is open");
    harness
        .get_by_label("For Hamas, Moscow and Tehran are open for business")
        .click_secondary();
    harness.run();
    harness
        .get_by_label("Compare with the open article")
        .click();
    harness.run();
    let compare = harness.state().compare.clone().expect("compare view open");
    assert_eq!(compare.left.article, open);
    assert_eq!(compare.right.article, "003_e0f09e3576302cfd.txt");
    assert!(names_in_both_compared(&harness) >= 3);
}
