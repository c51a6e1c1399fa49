//! Training and evaluation protocol for the check-worthiness model (`claimdesk-dev train-claims`,
//! `claimdesk-dev eval-claims`, and the eval test).
//!
//! Data (never committed) lives in `../shared/eval/claims/`:
//! - ClaimBuster: a stratified 80/20 split with a fixed seed; the model is trained on the 80% only,
//!   the threshold is chosen by 5-fold cross-validation on that 80% (F1-optimal), and the 20% is
//!   only ever used to report figures;
//! - CLEF CheckThat! 2019: whole debates are held out ([`CLEF_HELD_OUT`]) and scored by MAP.

use std::path::Path;

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;

use claimdesk_core::analysis::claim_model::{
    self, FeatureSpec, Features, Model, TrainOptions, average_precision, best_threshold, extract,
    prf,
};

/// Seed of the ClaimBuster split and of training.
pub const SEED: u64 = 42;
/// CLEF 2019 debates kept out of training, for reporting MAP.
pub const CLEF_HELD_OUT: &[&str] = &[
    "20160414_9dem.tsv",
    "20170216_trump_press.tsv",
    "20170601_paris_climate_n.tsv",
    "20181112_trump_pelosi.tsv",
];

/// One labelled sentence.
#[derive(Clone, Debug)]
pub struct Example {
    pub text: String,
    pub label: bool,
    /// Debate file (CLEF) or "" (ClaimBuster).
    pub group: String,
}

#[derive(Deserialize)]
struct CbRow {
    label: u8,
    text: String,
}

pub fn load_claimbuster(path: &Path) -> Result<Vec<Example>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let rows: Vec<CbRow> = serde_json::from_str(&text)?;
    Ok(rows
        .into_iter()
        .map(|r| Example {
            text: r.text,
            label: r.label == 1,
            group: String::new(),
        })
        .collect())
}

/// Splits one CSV record set (RFC 4180 quoting) into rows of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else {
            match c {
                '"' => quoted = true,
                ',' => row.push(std::mem::take(&mut field)),
                '\r' => {}
                '\n' => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                c => field.push(c),
            }
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

pub fn load_clef(path: &Path) -> Result<Vec<Example>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let rows = parse_csv(&text);
    let Some(header) = rows.first() else {
        bail!("{} is empty", path.display())
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(t), Some(l), Some(f)) = (col("text"), col("label"), col("file_name")) else {
        bail!(
            "{}: expected text, label and file_name columns",
            path.display()
        )
    };
    Ok(rows[1..]
        .iter()
        .filter(|r| r.len() > t.max(l).max(f))
        .map(|r| Example {
            text: r[t].clone(),
            label: r[l].trim() == "1",
            group: r[f].clone(),
        })
        .collect())
}

/// Stratified split: (train, held-out) with `held_out_share` of each class held out.
pub fn stratified_split(
    data: &[Example],
    held_out_share: f64,
    seed: u64,
) -> (Vec<Example>, Vec<Example>) {
    let mut rng = claim_model::Rng::new(seed);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for class in [true, false] {
        let mut idx: Vec<usize> = (0..data.len())
            .filter(|&i| data[i].label == class)
            .collect();
        rng.shuffle(&mut idx);
        let cut = (idx.len() as f64 * held_out_share).round() as usize;
        for (k, &i) in idx.iter().enumerate() {
            if k < cut {
                test.push(data[i].clone());
            } else {
                train.push(data[i].clone());
            }
        }
    }
    (train, test)
}

pub fn featurise(spec: &FeatureSpec, data: &[Example]) -> Vec<(Features, bool)> {
    data.iter()
        .map(|e| {
            let mut f = Features::default();
            extract(spec, &e.text, &mut f);
            (f, e.label)
        })
        .collect()
}

/// The factor `a` minimising the log loss of `sigmoid(a * (z - threshold))` over scored examples.
fn calibrate(scores: &[(f32, bool)], threshold: f32) -> f32 {
    let loss = |a: f64| -> f64 {
        scores
            .iter()
            .map(|&(z, y)| {
                let m = a * f64::from(z - threshold) * if y { 1.0 } else { -1.0 };
                // log(1 + e^-m), stable for both signs.
                (-m).max(0.0) + (-m.abs()).exp().ln_1p()
            })
            .sum()
    };
    // The loss is convex in `a`: golden-section search on a generous bracket.
    let (mut lo, mut hi) = (0.01f64, 20.0f64);
    let g = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..80 {
        let (m1, m2) = (hi - g * (hi - lo), lo + g * (hi - lo));
        if loss(m1) < loss(m2) {
            hi = m2;
        } else {
            lo = m1;
        }
    }
    ((lo + hi) / 2.0) as f32
}

/// Everything `train-claims` reports.
#[derive(Clone, Debug)]
pub struct Report {
    pub cv_fold_f1: Vec<f64>,
    /// Pooled out-of-fold precision, recall, F1 at the chosen threshold.
    pub cv_prf: (f64, f64, f64),
    /// Chosen logit threshold (shifted into the bias of the shipped model so that score 0.5 is it).
    pub logit_threshold: f32,
    /// Factor applied to the shifted logit so that scores are calibrated probabilities.
    pub calibration: f32,
    pub held_out_prf: (f64, f64, f64),
    pub held_out_n: (usize, usize),
    /// MAP over held-out CLEF debates, and per debate.
    pub clef_map: f64,
    pub clef_ap: Vec<(String, f64)>,
}

/// The data the shipped model is trained on: the ClaimBuster training split plus the CLEF
/// debates that are not held out.
pub struct Splits {
    pub cb_train: Vec<Example>,
    pub cb_test: Vec<Example>,
    pub clef_train: Vec<Example>,
    pub clef_test: Vec<Example>,
}

pub fn load_splits(dir: &Path) -> Result<Splits> {
    let cb = load_claimbuster(&dir.join("claimbuster_train.json"))?;
    let (cb_train, cb_test) = stratified_split(&cb, 0.2, SEED);
    let clef_path = dir.join("clef2019_train.csv");
    let clef = if clef_path.is_file() {
        load_clef(&clef_path)?
    } else {
        Vec::new()
    };
    let (clef_test, clef_train) = clef
        .into_iter()
        .partition(|e| CLEF_HELD_OUT.contains(&e.group.as_str()));
    Ok(Splits {
        cb_train,
        cb_test,
        clef_train,
        clef_test,
    })
}

/// Training rows: ClaimBuster train split, plus CLEF training debates when `with_clef`.
fn training_rows(splits: &Splits, with_clef: bool) -> Vec<Example> {
    let mut rows = splits.cb_train.clone();
    if with_clef {
        rows.extend(splits.clef_train.iter().cloned());
    }
    rows
}

pub fn clef_map(model: &Model, shift: f32, data: &[Example]) -> (f64, Vec<(String, f64)>) {
    let mut groups: Vec<String> = data.iter().map(|e| e.group.clone()).collect();
    groups.sort();
    groups.dedup();
    let mut f = Features::default();
    let per: Vec<(String, f64)> = groups
        .into_iter()
        .map(|g| {
            let scores: Vec<(f32, bool)> = data
                .iter()
                .filter(|e| e.group == g)
                .map(|e| {
                    model.features(&e.text, &mut f);
                    (model.logit(&f) - shift, e.label)
                })
                .collect();
            let ap = average_precision(&scores);
            (g, ap)
        })
        .collect();
    let map = per.iter().map(|p| p.1).sum::<f64>() / per.len().max(1) as f64;
    (map, per)
}

/// Runs the whole protocol and returns the model to ship (bias shifted by the threshold).
pub fn train_and_report(
    dir: &Path,
    options: &TrainOptions,
    with_clef: bool,
) -> Result<(Model, Report)> {
    let splits = load_splits(dir)?;
    let rows = training_rows(&splits, with_clef);
    // Cross-validation on the training rows only; threshold from the ClaimBuster rows' pooled
    // out-of-fold scores (the F1 task), folds stratified by label.
    let folds = 5;
    let mut rng = claim_model::Rng::new(SEED ^ 0xf01d);
    let mut fold_of = vec![0usize; rows.len()];
    for class in [true, false] {
        let mut idx: Vec<usize> = (0..rows.len())
            .filter(|&i| rows[i].label == class)
            .collect();
        rng.shuffle(&mut idx);
        for (k, &i) in idx.iter().enumerate() {
            fold_of[i] = k % folds;
        }
    }
    let feats = featurise(&options.spec, &rows);
    let mut oof = vec![(0f32, false); rows.len()];
    for fold in 0..folds {
        let train: Vec<(Features, bool)> = feats
            .iter()
            .zip(&fold_of)
            .filter(|(_, f)| **f != fold)
            .map(|(x, _)| x.clone())
            .collect();
        let model = claim_model::train(&train, options);
        for (i, (x, y)) in feats.iter().enumerate() {
            if fold_of[i] == fold {
                oof[i] = (model.logit(x), *y);
            }
        }
    }
    let is_cb = |i: usize| rows[i].group.is_empty();
    let cb_oof: Vec<(f32, bool)> = (0..rows.len())
        .filter(|&i| is_cb(i))
        .map(|i| oof[i])
        .collect();
    let (threshold, _) = best_threshold(&cb_oof);
    let cv_prf = prf(&cb_oof, threshold);
    let cv_fold_f1 = (0..folds)
        .map(|fold| {
            let s: Vec<(f32, bool)> = (0..rows.len())
                .filter(|&i| is_cb(i) && fold_of[i] == fold)
                .map(|i| oof[i])
                .collect();
            prf(&s, threshold).2
        })
        .collect();

    // Calibration: one factor on the shifted logit so that the score reads as a probability
    // (fitted on the same out-of-fold scores; it keeps the cut at 0.5 and the ranking).
    let calibration = calibrate(&cb_oof, threshold);
    let mut model = claim_model::train(&feats, options);
    model.bias -= threshold;
    model.bias *= calibration;
    model.dense.iter_mut().for_each(|w| *w *= calibration);
    model.hashed.iter_mut().for_each(|w| *w *= calibration);
    let test = featurise(&model.spec, &splits.cb_test);
    let held: Vec<(f32, bool)> = test.iter().map(|(x, y)| (model.logit(x), *y)).collect();
    let held_out_prf = prf(&held, 0.0);
    let (clef_map, clef_ap) = clef_map(&model, 0.0, &splits.clef_test);
    let report = Report {
        cv_fold_f1,
        cv_prf,
        logit_threshold: threshold,
        calibration,
        held_out_prf,
        held_out_n: (
            splits.cb_test.len(),
            splits.cb_test.iter().filter(|e| e.label).count(),
        ),
        clef_map,
        clef_ap,
    };
    Ok((model, report))
}

/// Scores the held-out ClaimBuster split and CLEF debates with a model (the shipped one by
/// default): ((P, R, F1), MAP).
pub fn evaluate(model: &Model, dir: &Path) -> Result<((f64, f64, f64), f64)> {
    let splits = load_splits(dir)?;
    let test = featurise(&model.spec, &splits.cb_test);
    let held: Vec<(f32, bool)> = test.iter().map(|(x, y)| (model.logit(x), *y)).collect();
    let (map, _) = clef_map(model, 0.0, &splits.clef_test);
    Ok((prf(&held, 0.0), map))
}
