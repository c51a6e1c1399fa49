//! `claimdesk-dev`: train and evaluate the detectors (developer tool, not shipped).
//!
//! `cargo run --release -p claimdesk-dev -- train-ner ../shared/eval/ner/conll2003_train.txt`

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use claimdesk_core::analysis;
use claimdesk_dev::{claim_eval, ner_train};
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "claimdesk-dev",
    about = "Train and evaluate Claimdesk's detectors."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Train the check-worthiness model from labelled data (developer tool).
    TrainClaims {
        /// Folder with claimbuster_train.json and clef2019_train.csv.
        #[arg(long, default_value = "../shared/eval/claims")]
        data: PathBuf,
        /// Where to write the model; omit to only print figures.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, default_value_t = 8)]
        epochs: usize,
        #[arg(long, default_value_t = 1e-5)]
        l2: f32,
        #[arg(long, default_value_t = 0.1)]
        lr: f32,
        #[arg(long, default_value_t = 1.0)]
        positive_weight: f32,
        /// Hinge loss (linear SVM) instead of logistic loss.
        #[arg(long)]
        hinge: bool,
        /// Bits of the feature hash space.
        #[arg(long, default_value_t = 20)]
        hash_bits: u32,
        /// Character n-grams inside words, from --char-min to --char-max bytes (0 = none).
        #[arg(long, default_value_t = 2)]
        char_min: u8,
        #[arg(long, default_value_t = 5)]
        char_max: u8,
        /// L2 norm of the word n-gram block and of the character n-gram block.
        #[arg(long, default_value_t = 2.0)]
        word_scale: f32,
        #[arg(long, default_value_t = 0.75)]
        char_scale: f32,
        /// Also train on the CLEF 2019 debates that are not held out.
        #[arg(long)]
        with_clef: bool,
    },
    /// Evaluate the bundled check-worthiness model on the held-out splits (developer tool).
    EvalClaims {
        #[arg(long, default_value = "../shared/eval/claims")]
        data: PathBuf,
    },
    /// Score entity detection on a CoNLL-2003 file (span F1 for PER/ORG/LOC).
    EvalNer {
        file: PathBuf,
        /// A model file to use instead of the built-in one.
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Train the name tagger on a CoNLL-2003 file and write the model (see ner_train.rs).
    TrainNer {
        train: PathBuf,
        /// Report scores on this file after training.
        #[arg(long)]
        dev: Option<PathBuf>,
        #[arg(long, default_value = "assets/models/ner.bin")]
        out: PathBuf,
        #[arg(long, default_value_t = 12)]
        epochs: usize,
        #[arg(long, default_value_t = 18)]
        bits: u32,
    },
}

fn main() {
    let code = match run(Cli::parse().command) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("claimdesk-dev: {err:#}");
            2
        }
    };
    std::process::exit(code);
}

fn run(command: Command) -> Result<i32> {
    match command {
        Command::TrainClaims {
            data,
            out,
            epochs,
            l2,
            lr,
            positive_weight,
            hinge,
            hash_bits,
            char_min,
            char_max,
            word_scale,
            char_scale,
            with_clef,
        } => train_claims(
            &data,
            out.as_deref(),
            &analysis::claim_model::TrainOptions {
                epochs,
                l2,
                learning_rate: lr,
                positive_weight,
                hinge,
                spec: analysis::claim_model::FeatureSpec {
                    hash_bits,
                    char_min,
                    char_max,
                    word_scale,
                    char_scale,
                },
                ..Default::default()
            },
            with_clef,
        ),
        Command::EvalClaims { data } => eval_claims(&data),
        Command::EvalNer { file, model } => eval_ner(&file, model.as_deref()),
        Command::TrainNer {
            train,
            dev,
            out,
            epochs,
            bits,
        } => train_ner(&train, dev.as_deref(), &out, epochs, bits),
    }
}

fn eval_ner(file: &Path, model: Option<&Path>) -> Result<i32> {
    use analysis::ner_model;
    let docs = ner_train::read_conll(file)?;
    let loaded = match model {
        Some(path) => {
            Some(ner_model::Model::from_bytes(&std::fs::read(path)?).map_err(anyhow::Error::msg)?)
        }
        None => None,
    };
    let model = loaded.as_ref().or(ner_model::MODEL.as_ref());
    let start = std::time::Instant::now();
    let report = ner_train::evaluate(&docs, model);
    println!("{}", report.render());
    println!(
        "words_per_s={:.0} (full entities::find, one thread)",
        report.words as f64 / start.elapsed().as_secs_f64()
    );
    Ok(0)
}

fn train_ner(
    train: &Path,
    dev: Option<&Path>,
    out: &Path,
    epochs: usize,
    bits: u32,
) -> Result<i32> {
    use analysis::ner_model;
    let docs = ner_train::read_conll(train)?;
    let options = ner_train::TrainOptions {
        bits,
        epochs,
        ..Default::default()
    };
    let weights = ner_train::train(&docs, &options, &mut |line| eprintln!("{line}"));
    let bytes = ner_model::Model::encode(bits, &weights);
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "wrote {} ({:.2} MB)",
        out.display(),
        bytes.len() as f64 / 1e6
    );
    if let Some(dev) = dev {
        let model = ner_model::Model::from_bytes(&bytes).map_err(anyhow::Error::msg)?;
        let report = ner_train::evaluate(&ner_train::read_conll(dev)?, Some(&model));
        println!("{}", report.render());
    }
    Ok(0)
}

fn train_claims(
    data: &Path,
    out: Option<&Path>,
    options: &analysis::claim_model::TrainOptions,
    with_clef: bool,
) -> Result<i32> {
    let (model, r) = claim_eval::train_and_report(data, options, with_clef)?;
    let folds: Vec<String> = r.cv_fold_f1.iter().map(|f| format!("{f:.3}")).collect();
    println!("options: {options:?} with_clef={with_clef}");
    println!(
        "cv5 (ClaimBuster train split): P={:.3} R={:.3} F1={:.3} folds=[{}] logit_threshold={:.3} calibration={:.3}",
        r.cv_prf.0,
        r.cv_prf.1,
        r.cv_prf.2,
        folds.join(" "),
        r.logit_threshold,
        r.calibration
    );
    println!(
        "held-out ClaimBuster (n={}, positives={}): P={:.3} R={:.3} F1={:.3}",
        r.held_out_n.0, r.held_out_n.1, r.held_out_prf.0, r.held_out_prf.1, r.held_out_prf.2
    );
    for (debate, ap) in &r.clef_ap {
        println!("  CLEF {debate}: AP={ap:.3}");
    }
    println!("held-out CLEF 2019 debates: MAP={:.3}", r.clef_map);
    if let Some(out) = out {
        let bytes = model.to_bytes();
        std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
        println!("wrote {} ({} bytes)", out.display(), bytes.len());
    }
    Ok(0)
}

fn eval_claims(data: &Path) -> Result<i32> {
    let ((p, r, f), map) = claim_eval::evaluate(&analysis::claim_model::SHIPPED, data)?;
    println!("held-out ClaimBuster: P={p:.3} R={r:.3} F1={f:.3}");
    println!("held-out CLEF 2019 debates: MAP={map:.3}");
    Ok(0)
}
