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
    /// A candidate word-class table for the name tagger instead of the compiled-in
    /// assets/models/ner-clusters.tsv (for trying tables before committing one).
    #[arg(long, global = true)]
    clusters: Option<PathBuf>,
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
        /// Score one fixed half of the documents: a (odd: 1st, 3rd, …), b (even), or all.
        #[arg(long, default_value = "all")]
        half: String,
        /// The training file: also report recall on names with no word of a training name.
        #[arg(long)]
        train: Option<PathBuf>,
    },
    /// Time the name tagger: words/s (of thread CPU time) of `entities::find` (whole detector)
    /// and of the tagger alone over a CoNLL file's detokenised documents, one thread.
    BenchNer {
        file: PathBuf,
        #[arg(long)]
        model: Option<PathBuf>,
        /// Passes over the file (the best pass is reported, and the median).
        #[arg(long, default_value_t = 7)]
        repeat: usize,
    },
    /// Print the names `entities::find` gives for a text (with the built-in or another model).
    TagNer {
        text: String,
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
        /// Which half of the dev file to report on (a: choose settings; b: the final figure).
        #[arg(long, default_value = "a")]
        half: String,
        /// Decide in BILOU tags instead of BIO.
        #[arg(long)]
        bilou: bool,
        /// Feature groups, comma-separated: clusters, cluster-window, cluster-far, no-exact,
        /// no-far-words. The default (none) is the shipped model's; the word-class model
        /// measured in assets/models/ner.md is `clusters,cluster-window,cluster-far,no-exact`
        /// with `--dropout 0.1`.
        #[arg(long, default_value = "")]
        features: String,
        /// Dropout chance per feature and decision in training (the shipped model: 0).
        #[arg(long, default_value_t = 0.0)]
        dropout: f64,
    },
}

fn parse_features(list: &str) -> Result<u32> {
    use analysis::ner_model::features as f;
    let mut flags = 0;
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        flags |= match name {
            "clusters" => f::CLUSTERS,
            "cluster-window" => f::CLUSTER_WINDOW,
            "cluster-far" => f::CLUSTER_FAR,
            "no-exact" => f::NO_EXACT,
            "no-far-words" => f::NO_FAR_WORDS,
            other => anyhow::bail!("unknown feature group {other:?}"),
        };
    }
    Ok(flags)
}

fn load_model(path: Option<&Path>) -> Result<Option<analysis::ner_model::Model>> {
    match path {
        Some(path) => Ok(Some(
            analysis::ner_model::Model::from_bytes(&std::fs::read(path)?)
                .map_err(anyhow::Error::msg)?,
        )),
        None => Ok(None),
    }
}

fn main() {
    let cli = Cli::parse();
    if let Some(path) = &cli.clusters {
        match std::fs::read_to_string(path) {
            Ok(table) => {
                analysis::ner_model::use_cluster_table(Box::leak(table.into_boxed_str()));
            }
            Err(err) => {
                eprintln!("claimdesk-dev: reading {}: {err}", path.display());
                std::process::exit(2);
            }
        }
    }
    let code = match run(cli.command) {
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
        Command::EvalNer {
            file,
            model,
            half,
            train,
        } => eval_ner(&file, model.as_deref(), &half, train.as_deref()),
        Command::TagNer { text, model } => {
            let loaded = load_model(model.as_deref())?;
            let model = loaded.as_ref().or(analysis::ner_model::MODEL.as_ref());
            let known = analysis::KnownNames::default();
            for m in analysis::entities::find_with(&text, &known, model) {
                let name: String = text
                    .chars()
                    .skip(m.span.start)
                    .take(m.span.end - m.span.start)
                    .collect();
                println!("{:?}\t{name}", m.kind);
            }
            Ok(0)
        }
        Command::BenchNer {
            file,
            model,
            repeat,
        } => bench_ner(&file, model.as_deref(), repeat),
        Command::TrainNer {
            train,
            dev,
            out,
            epochs,
            bits,
            half,
            bilou,
            features,
            dropout,
        } => {
            let options = ner_train::TrainOptions {
                bits,
                epochs,
                scheme: if bilou {
                    analysis::ner_model::Scheme::Bilou
                } else {
                    analysis::ner_model::Scheme::Bio
                },
                features: parse_features(&features)?,
                dropout,
                ..Default::default()
            };
            train_ner(&train, dev.as_deref(), &half, &out, &options)
        }
    }
}

fn eval_ner(file: &Path, model: Option<&Path>, half: &str, train: Option<&Path>) -> Result<i32> {
    use analysis::ner_model;
    let docs = ner_train::half(ner_train::read_conll(file)?, half)?;
    let loaded = load_model(model)?;
    let model = loaded.as_ref().or(ner_model::MODEL.as_ref());
    let seen = match train {
        Some(path) => Some(ner_train::name_words(&ner_train::read_conll(path)?)),
        None => None,
    };
    let start = std::time::Instant::now();
    let report = ner_train::evaluate_with(&docs, model, seen.as_ref());
    println!("half {half}: {}", report.render());
    println!(
        "words_per_s={:.0} (full entities::find, one thread)",
        report.words as f64 / start.elapsed().as_secs_f64()
    );
    Ok(0)
}

fn bench_ner(file: &Path, model: Option<&Path>, repeat: usize) -> Result<i32> {
    use analysis::ner_model;
    let docs = ner_train::read_conll(file)?;
    let loaded = load_model(model)?;
    let model = loaded
        .as_ref()
        .or(ner_model::MODEL.as_ref())
        .context("no NER model")?;
    let texts: Vec<String> = docs.iter().map(ner_train::doc_text).collect();
    let words: usize = docs
        .iter()
        .flat_map(|d| &d.sentences)
        .map(|s| s.len())
        .sum();
    let known = analysis::KnownNames::default();
    // Per pass: words per second of this thread's CPU time (Linux schedstat; the machine is
    // shared, so wall time also counts other processes), else of wall time.
    let time = |f: &mut dyn FnMut() -> usize| {
        let mut rates: Vec<f64> = (0..repeat.max(1))
            .map(|_| {
                let cpu = thread_cpu_ns();
                let start = std::time::Instant::now();
                std::hint::black_box(f());
                let wall = start.elapsed().as_secs_f64();
                let secs = match (cpu, thread_cpu_ns()) {
                    (Some(a), Some(b)) if b > a => (b - a) as f64 / 1e9,
                    _ => wall,
                };
                words as f64 / secs
            })
            .collect();
        rates.sort_by(f64::total_cmp);
        (rates[rates.len() - 1], rates[rates.len() / 2])
    };
    let (best, median) = time(&mut || {
        texts
            .iter()
            .map(|t| analysis::entities::find_with(t, &known, Some(model)).len())
            .sum()
    });
    println!(
        "entities::find: best {best:.0} words/s, median {median:.0} ({} docs, {words} words, {repeat} passes, one thread)",
        docs.len()
    );
    let documents: Vec<Vec<Vec<&str>>> = docs
        .iter()
        .map(|d| {
            d.sentences
                .iter()
                .map(|s| s.iter().map(|(w, _)| w.as_str()).collect())
                .collect()
        })
        .collect();
    let (best, median) = time(&mut || {
        documents
            .iter()
            .map(|d| {
                let doc = ner_model::Document {
                    sentences: d.clone(),
                };
                ner_model::tag_document(model, &doc).len()
            })
            .sum()
    });
    println!("tagger alone (tag_document): best {best:.0} words/s, median {median:.0}");
    Ok(0)
}

/// Nanoseconds this thread has run on a CPU (`/proc/thread-self/schedstat`, Linux).
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn train_ner(
    train: &Path,
    dev: Option<&Path>,
    half: &str,
    out: &Path,
    options: &ner_train::TrainOptions,
) -> Result<i32> {
    use analysis::ner_model;
    let docs_train = ner_train::read_conll(train)?;
    eprintln!("{options:?}");
    let weights = ner_train::train(&docs_train, options, &mut |line| eprintln!("{line}"));
    let bytes = ner_model::Model::encode(options.bits, options.scheme, options.features, &weights);
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "wrote {} ({:.2} MB)",
        out.display(),
        bytes.len() as f64 / 1e6
    );
    if let Some(dev) = dev {
        let model = ner_model::Model::from_bytes(&bytes).map_err(anyhow::Error::msg)?;
        let docs = ner_train::half(ner_train::read_conll(dev)?, half)?;
        let seen = ner_train::name_words(&docs_train);
        let report = ner_train::evaluate_with(&docs, Some(&model), Some(&seen));
        println!("half {half}: {}", report.render());
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
