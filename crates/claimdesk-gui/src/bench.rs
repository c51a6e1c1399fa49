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

pub fn frame() {
    let ws = big_workspace();
    let counts = ws.project().counts();
    let mut app = ClaimdeskApp::new(Some(ws), Settings::default());
    app.inline_work = true;
    let ctx = egui::Context::default();
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0));
    let mut frame_ms: Vec<f64> = Vec::new();
    // Frames right after an edit re-derive the article's rows and highlights; timed apart.
    let mut edit_frame_ms: Vec<f64> = Vec::new();
    let verdicts = ["False", "True"];
    let frames = 400;
    for i in 0..frames {
        let edited = i >= 5 && i % 50 == 0;
        if edited && let Some(ws) = app.ws.as_mut() {
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
                ws.run(op).ok();
            }
        }
        let mut input = egui::RawInput {
            screen_rect: Some(screen),
            time: Some(i as f64 / 60.0),
            ..Default::default()
        };
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
        let start = Instant::now();
        let output = ctx.run_ui(input, |ui| app.frame_ui(ui));
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        std::hint::black_box(primitives);
        // The first frames lay out the whole article once (cached after).
        let elapsed = start.elapsed().as_secs_f64() * 1000.0;
        if edited {
            edit_frame_ms.push(elapsed);
        } else if i >= 5 {
            frame_ms.push(elapsed);
        }
    }
    frame_ms.sort_by(f64::total_cmp);
    let median = frame_ms[frame_ms.len() / 2];
    let p95 = frame_ms[frame_ms.len() * 95 / 100];
    let worst = frame_ms.last().copied().unwrap_or(0.0);
    edit_frame_ms.sort_by(f64::total_cmp);
    let edit_median = edit_frame_ms[edit_frame_ms.len() / 2];
    println!(
        "frame: article_mb=1.0 highlights={} frames={} median_ms={median:.2} p95_ms={p95:.2} worst_ms={worst:.2} after_edit_median_ms={edit_median:.2}",
        counts.claims + counts.mentions,
        frame_ms.len()
    );
}
