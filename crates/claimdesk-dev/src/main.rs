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
    /// Evaluate the bundled check-worthiness model on its held-out split (the model is trained
    /// by `scripts/claims/train_ngram.py`).
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

fn eval_claims(data: &Path) -> Result<i32> {
    let r = claim_eval::evaluate(data)?;
    let (p, rc, f) = r.natural;
    let (bp, br, bf) = r.balanced;
    println!(
        "held-out ClaimBuster (n={}, {} positive, {:.0}%): P={p:.3} R={rc:.3} F1={f:.3}",
        r.n,
        r.positives,
        100.0 * r.positives as f64 / r.n.max(1) as f64
    );
    println!(
        "held-out ClaimBuster, balanced (classes weighted to half each): P={bp:.3} R={br:.3} F1={bf:.3}"
    );
    println!(
        "scoring speed: {:.0} words/s (claims::score with reasons, one thread)",
        r.words as f64 / r.seconds.max(1e-9)
    );
    Ok(0)
}
