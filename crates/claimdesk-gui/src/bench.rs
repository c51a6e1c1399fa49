//! `claimdesk bench frame`: the whole UI, headless, on a 1 MB article with 10,000 highlights,
//! while scrolling and hovering. Prints CPU milliseconds per frame (egui pass + tessellation).

use std::time::Instant;

use claimdesk_core::analysis::EntityKind;
use claimdesk_core::corpus::Article;
use claimdesk_core::ops;
use claimdesk_core::text::Span;
use claimdesk_core::workspace::Workspace;

use super::{ClaimdeskApp, Settings};

/// Builds the article (the sample corpus repeated to ~1 MB) and a workspace with 10,000
/// highlights: 2,000 rated claims and 8,000 entity mentions.
fn big_workspace() -> Workspace {
    let sample: Vec<Article> = claimdesk_core::corpus::import_paths(
        &[claimdesk_core::sample::corpus_dir()],
        &claimdesk_core::corpus::ImportLimits::default(),
        |_, _| true,
    )
    .0;
    let mut text = String::new();
    while text.len() < 1_000_000 {
        for article in &sample {
            text.push_str(&article.text);
            text.push_str("\n\n");
        }
    }
    let mut article = Article::from_text("big.txt", &text);
    article.path = std::path::PathBuf::from("big.txt");
    let analysis = claimdesk_core::analysis::analyze(&article, &Default::default());
    let mut ws = Workspace::from_articles(vec![article.clone()], None);
    let verdicts: Vec<String> = ws
        .project()
        .rating_scale
        .iter()
        .map(|r| r.label.clone())
        .collect();
    // Built through the same operations the analyst uses, as one undo step.
    let mut data = ops::Sequence::new(&ws);
    for (i, sentence) in analysis.sentences.iter().step_by(2).take(2000).enumerate() {
        let fields = ops::ClaimFields {
            verdict: Some(verdicts[i % verdicts.len()].clone()),
            claimant: Some("bench".into()),
            note: None,
        };
        if let Ok(op) = ops::mark_claim(data.workspace(), "big.txt", *sentence, fields) {
            data.push(op).ok();
        }
    }
    let spans: Vec<Span> = analysis
        .entities
        .iter()
        .take(8000)
        .map(|m| m.span)
        .collect();
    if let Ok(op) = ops::mark_entity(
        data.workspace(),
        "big.txt",
        &spans,
        EntityKind::Org,
        Some("bench"),
    ) {
        data.push(op).ok();
    }
    ws.run(data.finish("bench data")).ok();
    ws
}

/// One frame of the whole UI, timed (egui pass + tessellation), in milliseconds.
fn timed_frame(ctx: &egui::Context, app: &mut ClaimdeskApp, input: egui::RawInput) -> f64 {
    let start = Instant::now();
    let output = ctx.run_ui(input, |ui| app.frame_ui(ui));
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    std::hint::black_box(primitives);
    start.elapsed().as_secs_f64() * 1000.0
}

fn input_at(frame: usize) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1400.0, 900.0),
        )),
        time: Some(frame as f64 / 60.0),
        ..Default::default()
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

pub fn frame() {
    let ws = big_workspace();
    let counts = ws.project().counts();
    let mut app = ClaimdeskApp::new(Some(ws), Settings::default());
    app.inline_work = true;
    app.native_dialogs = false;
    let ctx = egui::Context::default();
    let mut frame_ms: Vec<f64> = Vec::new();
    // An edit goes in as the analyst's does, as an action: the frame that applies it takes the
    // change into the article view, and the next one draws it. Both are timed apart.
    let mut apply_frame_ms: Vec<f64> = Vec::new();
    let mut edit_frame_ms: Vec<f64> = Vec::new();
    let verdicts = ["False", "True"];
    let frames = 400;
    for i in 0..frames {
        let edited = i >= 5 && i % 50 == 0;
        if edited && let Some(ws) = app.workspace() {
            let id = ws
                .project()
                .claims
                .keys()
                .next()
                .cloned()
                .expect("the bench project has claims");
            let change = ops::ClaimChange {
                verdict: Some(Some(verdicts[(i / 50) % 2].to_string())),
                ..Default::default()
            };
            if let Ok(op) = ops::set_claim(ws, &id, change) {
                app.act(crate::Action::Op {
                    op: Box::new(op),
                    done: None,
                });
            }
        }
        let mut input = input_at(i);
        // Hover across the text, and scroll down steadily (a wheel notch every other frame).
        let pos = egui::pos2(
            300.0 + (i % 40) as f32 * 10.0,
            250.0 + (i % 25) as f32 * 18.0,
        );
        input.events.push(egui::Event::PointerMoved(pos));
        if i % 2 == 0 {
            input.events.push(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, -120.0),
                phase: egui::TouchPhase::Move,
                modifiers: egui::Modifiers::NONE,
                source: egui::MouseWheelSource::Wheel,
            });
        }
        let elapsed = timed_frame(&ctx, &mut app, input);
        let after_edit = i > 5 && (i - 1) % 50 == 0;
        // The first frames lay out the whole article once (cached after).
        if edited {
            apply_frame_ms.push(elapsed);
        } else if after_edit {
            edit_frame_ms.push(elapsed);
        } else if i >= 5 {
            frame_ms.push(elapsed);
        }
    }
    let p95 = {
        frame_ms.sort_by(f64::total_cmp);
        frame_ms[frame_ms.len() * 95 / 100]
    };
    let worst = frame_ms.last().copied().unwrap_or(0.0);
    let quiet = median(&mut frame_ms);
    let edit_median = median(&mut edit_frame_ms);
    let apply_median = median(&mut apply_frame_ms);
    let list = filtered_list_frames();
    println!(
        "frame: article_mb=1.0 highlights={} frames={} median_ms={quiet:.2} p95_ms={p95:.2} worst_ms={worst:.2} after_edit_median_ms={edit_median:.2} edit_apply_median_ms={apply_median:.2} list_articles={} list_filter_median_ms={:.2} list_filter_worst_ms={:.2}",
        counts.claims + counts.mentions,
        frame_ms.len(),
        list.articles,
        list.median,
        list.worst,
    );
}

struct ListFigures {
    articles: usize,
    median: f64,
    worst: f64,
}

/// A project of 10,000 short articles (the sample's, each a new copy with its own title and
/// date) while the analyst types a filter into the article list, key by key, and sorts it.
fn filtered_list_frames() -> ListFigures {
    let sample: Vec<Article> = claimdesk_core::corpus::import_paths(
        &[claimdesk_core::sample::corpus_dir()],
        &claimdesk_core::corpus::ImportLimits::default(),
        |_, _| true,
    )
    .0;
    let articles: Vec<Article> = (0..10_000)
        .map(|i| {
            let from = &sample[i % sample.len()];
            let body: String = from.text.chars().take(1500).collect();
            let title = format!("{} (copy {i})", from.meta.title.clone().unwrap_or_default());
            let mut article = Article::from_text(&format!("{i:05}.txt"), &body);
            article.meta.title = Some(title);
            article.meta.source = Some(["BBC", "Reuters", "AP", "The Cradle"][i % 4].into());
            article.meta.date = Some(format!("2023-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
            article.path = std::path::PathBuf::from(format!("{i:05}.txt"));
            article
        })
        .collect();
    let ws = Workspace::from_articles(articles, None);
    let count = ws.project().articles.len();
    let mut app = ClaimdeskApp::new(Some(ws), Settings::default());
    app.inline_work = true;
    app.native_dialogs = false;
    let ctx = egui::Context::default();
    let mut frame = 0;
    let mut run =
        |app: &mut ClaimdeskApp, events: Vec<egui::Event>, _modifiers: egui::Modifiers| {
            let mut input = input_at(frame);
            input.events = events;
            frame += 1;
            timed_frame(&ctx, app, input)
        };
    for _ in 0..5 {
        run(&mut app, Vec::new(), egui::Modifiers::NONE);
    }
    // Ctrl+L puts the cursor in the filter.
    let key = |key, pressed, modifiers| egui::Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers,
    };
    run(
        &mut app,
        vec![
            key(egui::Key::L, true, egui::Modifiers::COMMAND),
            key(egui::Key::L, false, egui::Modifiers::COMMAND),
        ],
        egui::Modifiers::COMMAND,
    );
    run(&mut app, Vec::new(), egui::Modifiers::NONE);
    let mut times = Vec::new();
    for round in 0..4 {
        for c in "moscow copy 1".chars() {
            times.push(run(
                &mut app,
                vec![egui::Event::Text(c.to_string())],
                egui::Modifiers::NONE,
            ));
            times.push(run(&mut app, Vec::new(), egui::Modifiers::NONE));
        }
        for _ in 0.."moscow copy 1".len() {
            times.push(run(
                &mut app,
                vec![
                    key(egui::Key::Backspace, true, egui::Modifiers::NONE),
                    key(egui::Key::Backspace, false, egui::Modifiers::NONE),
                ],
                egui::Modifiers::NONE,
            ));
        }
        let _ = round;
    }
    let worst = times.iter().copied().fold(0.0, f64::max);
    ListFigures {
        articles: count,
        median: median(&mut times),
        worst,
    }
}
