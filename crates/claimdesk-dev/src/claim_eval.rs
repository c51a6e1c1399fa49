//! Evaluation of the shipped check-worthiness model (`claimdesk-dev eval-claims` and the
//! quality test), with the Rust scorer the app uses.
//!
//! The model is trained in Python (`scripts/claims/train_ngram.py`); its held-out split is the
//! one that script defines, recorded as ClaimBuster `sentence_id`s in
//! `assets/models/claims.heldout-ids.txt` (ids only; the data stays in `../shared/eval`).

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context as _, Result};
use serde::Deserialize;

use claimdesk_core::analysis::claims;

/// Held-out sentence ids, written by the trainer.
const HELD_OUT_IDS: &str = include_str!("../../../assets/models/claims.heldout-ids.txt");

#[derive(Deserialize)]
struct CbRow {
    sentence_id: u64,
    label: u8,
    text: String,
}

/// Figures on the held-out split.
#[derive(Clone, Debug)]
pub struct HeldOut {
    pub n: usize,
    pub positives: usize,
    /// P, R, F1 on the natural class balance.
    pub natural: (f64, f64, f64),
    /// P, R, F1 with each class weighted to half (the expectation over balanced resamples).
    pub balanced: (f64, f64, f64),
    pub words: usize,
    pub seconds: f64,
}

/// Scores the held-out ClaimBuster sentences with `claims::score` (what `score-claims` prints).
pub fn evaluate(dir: &Path) -> Result<HeldOut> {
    let path = dir.join("claimbuster_train.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let rows: Vec<CbRow> = serde_json::from_str(&text)
        .with_context(|| format!("{} is not ClaimBuster JSON", path.display()))?;
    let ids: HashSet<u64> = HELD_OUT_IDS
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect();
    let held: Vec<&CbRow> = rows
        .iter()
        .filter(|r| ids.contains(&r.sentence_id))
        .collect();
    let start = std::time::Instant::now();
    let scored: Vec<(bool, bool)> = held
        .iter()
        .map(|r| {
            (
                claims::score(r.text.trim()).score >= claims::THRESHOLD,
                r.label == 1,
            )
        })
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    let count =
        |pred: bool, gold: bool| scored.iter().filter(|s| **s == (pred, gold)).count() as f64;
    let (tp, fp, fneg, tn) = (
        count(true, true),
        count(true, false),
        count(false, true),
        count(false, false),
    );
    let prf = |tp: f64, fp: f64, fneg: f64| {
        let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
        let r = if tp + fneg > 0.0 {
            tp / (tp + fneg)
        } else {
            0.0
        };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    };
    let positives = (tp + fneg) as usize;
    let negatives = (fp + tn).max(1.0);
    // Balanced: negatives re-weighted to the positives' total.
    let w = (tp + fneg) / negatives;
    Ok(HeldOut {
        n: held.len(),
        positives,
        natural: prf(tp, fp, fneg),
        balanced: prf(tp, fp * w, fneg),
        words: held.iter().map(|r| r.text.split_whitespace().count()).sum(),
        seconds,
    })
}
