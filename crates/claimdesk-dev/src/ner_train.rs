//! Training and evaluation of the name tagger on CoNLL-2003 files.
//!
//! Re-train (reads only the train file and the word-class table; the dev file is for the
//! report, on half A unless `--half` says otherwise):
//!
//! ```text
//! CARGO_TARGET_DIR=/work/targets/ner cargo run --release -p claimdesk-dev -- \
//!     train-ner ../shared/eval/ner/conll2003_train.txt --dev ../shared/eval/ner/conll2003_dev.txt \
//!     --out assets/models/ner.bin
//! ```
//!
//! then rebuild (the model is compiled in with `include_bytes!`). Evaluate with
//! `claimdesk-dev eval-ner ../shared/eval/ner/conll2003_dev.txt`: it runs the full
//! [`entities::find`](claimdesk_core::analysis::entities::find) pipeline on the detokenised documents and scores
//! exact spans with the mapping PERSON→PER, ORG→ORG, GPE/LOC→LOC (NORP/EVENT vs MISC reported
//! separately; dates and figures are not in CoNLL and are left out).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};

use claimdesk_core::analysis::ner_model::{
    self, Document, Learner, MAX_TAGS, Model, Scheme, Scorer,
};
use claimdesk_core::analysis::{EntityKind, KnownNames, entities};

/// One CoNLL document: sentences of (word, gold tag index).
#[derive(Clone, Debug, Default)]
pub struct ConllDoc {
    pub sentences: Vec<Vec<(String, u8)>>,
}

fn tag_index(tag: &str, prev: u8) -> u8 {
    if tag == "O" {
        return 0;
    }
    let (bio, ty) = tag.split_once('-').unwrap_or(("I", tag));
    let t = match ty {
        "PER" => 0,
        "ORG" => 1,
        "LOC" => 2,
        _ => 3,
    };
    let b = 2 * t + 1;
    // IOB1 → IOB2: an I- that does not continue the same type begins an entity.
    if bio == "B" || prev == 0 || prev.div_ceil(2) != t + 1 {
        b
    } else {
        b + 1
    }
}

/// Reads a CoNLL-2003 file (`token POS chunk NER`, blank lines between sentences).
pub fn read_conll(path: &Path) -> Result<Vec<ConllDoc>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut docs: Vec<ConllDoc> = Vec::new();
    let mut doc = ConllDoc::default();
    let mut sent: Vec<(String, u8)> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        let line = line.trim_end();
        if line.is_empty() {
            if !sent.is_empty() {
                doc.sentences.push(std::mem::take(&mut sent));
            }
            continue;
        }
        let mut parts = line.split_whitespace();
        let word = parts.next().unwrap_or("");
        if word == "-DOCSTART-" {
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        let tag = line.split_whitespace().next_back().unwrap_or("O");
        let prev = sent.last().map_or(0, |(_, t)| *t);
        sent.push((word.to_string(), tag_index(tag, prev)));
    }
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    Ok(docs.into_iter().flat_map(split_at_datelines).collect())
}

/// One of two fixed halves of a file's documents (as [`read_conll`] splits them): `a` holds the
/// 1st, 3rd, 5th … document, `b` the 2nd, 4th … Settings are chosen on half A; half B is
/// scored once at the end as the unseen estimate (see `assets/models/ner.md`).
pub fn half(docs: Vec<ConllDoc>, which: &str) -> Result<Vec<ConllDoc>> {
    let parity = match which {
        "a" | "A" => 0,
        "b" | "B" => 1,
        "all" => {
            return Ok(docs);
        }
        other => anyhow::bail!("unknown half {other:?} (a, b or all)"),
    };
    Ok(docs
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == parity)
        .map(|(_, d)| d)
        .collect())
}

/// True for a Reuters dateline sentence such as "LONDON 1996-08-30".
fn is_dateline(sentence: &[(String, u8)]) -> bool {
    sentence.len() <= 8
        && sentence.last().is_some_and(|(w, _)| {
            let b = w.as_bytes();
            b.len() == 10
                && b.iter().enumerate().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        *c == b'-'
                    } else {
                        c.is_ascii_digit()
                    }
                })
        })
}

/// Files without `-DOCSTART-` markers: a new article begins at the headline before each
/// dateline, so document-level features see one article at a time.
fn split_at_datelines(doc: ConllDoc) -> Vec<ConllDoc> {
    let mut out: Vec<ConllDoc> = Vec::new();
    let mut current = ConllDoc::default();
    let all = doc.sentences;
    let n = all.len();
    let mut flags = vec![false; n];
    for k in 1..n {
        if is_dateline(&all[k]) {
            flags[k - 1] = true;
        }
    }
    for (i, s) in all.into_iter().enumerate() {
        if flags[i] && !current.sentences.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.sentences.push(s);
    }
    if !current.sentences.is_empty() {
        out.push(current);
    }
    out
}

/// Averaged-perceptron weights during training.
struct Trainer {
    mask: usize,
    scheme: Scheme,
    n_tags: usize,
    features: u32,
    weights: Vec<f32>,
    /// Σ t·Δ for the lazy average.
    stamped: Vec<f64>,
    t: f64,
    /// Gold tags of the current document, in `scheme`.
    gold: Vec<Vec<u8>>,
    errors: usize,
    seen: usize,
    /// Chance that a feature is left out of one decision (and its update): dropout-like
    /// feature bagging, so no single memorising feature carries a decision alone.
    dropout: u32,
    /// Salt of the current decision for the dropout draw.
    salt: u64,
}

impl Trainer {
    #[inline]
    fn dropped(&self, feature: u32) -> bool {
        self.dropout != 0 && {
            let h = (u64::from(feature) ^ self.salt).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            ((h >> 40) as u32 % 1_000_000) < self.dropout
        }
    }
}

impl Scorer for Trainer {
    #[inline]
    fn add_row(&self, feature: u32, scores: &mut [f32; MAX_TAGS]) {
        if self.dropped(feature) {
            return;
        }
        let n = self.n_tags;
        let base = (feature as usize & self.mask) * n;
        for (s, w) in scores[..n].iter_mut().zip(&self.weights[base..base + n]) {
            *s += *w;
        }
    }
    fn scheme(&self) -> Scheme {
        self.scheme
    }
    fn features(&self) -> u32 {
        self.features
    }
}

impl Learner for Trainer {
    fn observe(&mut self, features: &[u32], predicted: u8, s: usize, i: usize) {
        self.t += 1.0;
        self.seen += 1;
        let gold = self.gold[s][i];
        if gold != predicted {
            self.errors += 1;
            for &f in features {
                if self.dropped(f) {
                    continue;
                }
                let base = (f as usize & self.mask) * self.n_tags;
                for (tag, delta) in [(gold, 1.0f32), (predicted, -1.0)] {
                    let k = base + tag as usize;
                    self.weights[k] += delta;
                    self.stamped[k] += self.t * f64::from(delta);
                }
            }
        }
        self.salt = self.salt.wrapping_add(0x2545_F491_4F6C_DD1D);
    }
}

/// A small deterministic generator (xorshift) for shuffling and augmentation.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 1_000_000) as f64 / 1_000_000.0 < p
    }
}

#[derive(Clone, Copy)]
enum Casing {
    Keep,
    Lower,
    Upper,
    /// Headline style: every word capitalised but the small ones.
    Title,
}

fn cased(word: &str, casing: Casing, first_in_sentence: bool) -> String {
    match casing {
        Casing::Keep => word.to_string(),
        Casing::Lower => word.to_lowercase(),
        Casing::Upper => word.to_uppercase(),
        Casing::Title => {
            let small = !first_in_sentence
                && ner_model::TITLE_CASE_SMALL_WORDS.contains(&word.to_lowercase().as_str());
            let mut chars = word.chars();
            match chars.next() {
                Some(c) if !small && c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
                _ => word.to_string(),
            }
        }
    }
}

/// Whether every word with letters is in capitals: CoNLL's headlines, whose true casing is
/// unknown, so they cannot be re-cased as Title Case.
fn all_caps(sentence: &[(String, u8)]) -> bool {
    sentence
        .iter()
        .all(|(w, _)| !w.chars().any(char::is_lowercase))
}

/// Options for [`train`].
#[derive(Clone, Debug)]
pub struct TrainOptions {
    pub bits: u32,
    pub epochs: usize,
    /// Chance that an extra all-lower-case copy of a document is trained on, per epoch.
    pub lower_docs: f64,
    /// Chance of an extra ALL-CAPS copy.
    pub upper_docs: f64,
    /// Chance that one sentence of an ordinary document is lower-cased (captions).
    pub lower_sentences: f64,
    /// Chance of an extra copy with every sentence in Title Case.
    pub title_docs: f64,
    /// Chance that one sentence of an ordinary document is put in Title Case (headlines).
    pub title_sentences: f64,
    pub seed: u64,
    pub scheme: Scheme,
    /// Feature groups ([`ner_model::features`]).
    pub features: u32,
    /// Dropout chance per feature and decision (0 = off).
    pub dropout: f64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            bits: 18,
            epochs: 12,
            lower_docs: 0.12,
            upper_docs: 0.06,
            lower_sentences: 0.03,
            title_docs: 0.12,
            title_sentences: 0.03,
            seed: 0x00C0_FFEE,
            scheme: Scheme::Bio,
            // The shipped model's (the word-class model of `assets/models/ner.md` is not shipped).
            features: 0,
            dropout: 0.0,
        }
    }
}

/// Trains on `docs`, reporting progress through `log`; returns the averaged weights.
pub fn train(docs: &[ConllDoc], options: &TrainOptions, log: &mut dyn FnMut(&str)) -> Vec<f32> {
    let rows = 1usize << options.bits;
    let n_tags = options.scheme.n_tags();
    let mut trainer = Trainer {
        mask: rows - 1,
        scheme: options.scheme,
        n_tags,
        features: options.features,
        weights: vec![0.0; rows * n_tags],
        stamped: vec![0.0; rows * n_tags],
        t: 0.0,
        gold: Vec::new(),
        errors: 0,
        seen: 0,
        dropout: (options.dropout * 1e6) as u32,
        salt: options.seed,
    };
    let mut rng = Rng(options.seed | 1);
    let mut order: Vec<usize> = (0..docs.len()).collect();
    for epoch in 0..options.epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        trainer.errors = 0;
        trainer.seen = 0;
        for &d in &order {
            let doc = &docs[d];
            let mut variants = vec![Casing::Keep];
            if rng.chance(options.lower_docs) {
                variants.push(Casing::Lower);
            }
            if rng.chance(options.upper_docs) {
                variants.push(Casing::Upper);
            }
            if rng.chance(options.title_docs) {
                variants.push(Casing::Title);
            }
            for casing in variants {
                let mut pick_sentence = |chance: f64| match casing {
                    Casing::Keep if rng.chance(chance * doc.sentences.len() as f64) => {
                        Some((rng.next() % doc.sentences.len() as u64) as usize)
                    }
                    _ => None,
                };
                let lower_sentence = pick_sentence(options.lower_sentences);
                let title_sentence = pick_sentence(options.title_sentences);
                let words: Vec<Vec<String>> = doc
                    .sentences
                    .iter()
                    .enumerate()
                    .map(|(s, sent)| {
                        let c = if lower_sentence == Some(s) {
                            Casing::Lower
                        } else if title_sentence == Some(s) {
                            Casing::Title
                        } else {
                            casing
                        };
                        let c = match c {
                            Casing::Title if all_caps(sent) => Casing::Keep,
                            c => c,
                        };
                        sent.iter()
                            .enumerate()
                            .map(|(i, (w, _))| cased(w, c, i == 0))
                            .collect()
                    })
                    .collect();
                let document = Document {
                    sentences: words
                        .iter()
                        .map(|s| s.iter().map(String::as_str).collect())
                        .collect(),
                };
                trainer.gold = doc
                    .sentences
                    .iter()
                    .map(|s| {
                        let bio: Vec<u8> = s.iter().map(|(_, t)| *t).collect();
                        options.scheme.from_bio(&bio)
                    })
                    .collect();
                ner_model::tag_document_with(&mut trainer, &document);
            }
        }
        log(&format!(
            "epoch {}: token error rate {:.4} over {} tokens",
            epoch + 1,
            trainer.errors as f64 / trainer.seen.max(1) as f64,
            trainer.seen
        ));
    }
    let t = trainer.t.max(1.0);
    trainer
        .weights
        .iter()
        .zip(&trainer.stamped)
        .map(|(&w, &s)| (f64::from(w) - s / t) as f32)
        .collect()
}

/// Precision/recall counts for one type.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, other: &Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

/// Span-level scores per CoNLL type, plus the PER+ORG+LOC micro average.
#[derive(Clone, Debug, Default)]
pub struct EvalReport {
    pub per_type: HashMap<&'static str, Counts>,
    /// PER/ORG/LOC gold names none of whose words is part of any name in the training file
    /// (tp and fn only: recall on unseen names), when the training names were given.
    pub unseen: Option<Counts>,
    pub words: usize,
    pub documents: usize,
}

impl EvalReport {
    pub fn get(&self, ty: &str) -> Counts {
        self.per_type.get(ty).copied().unwrap_or_default()
    }

    /// Micro-averaged over PER, ORG and LOC.
    pub fn overall(&self) -> Counts {
        let mut all = Counts::default();
        for ty in ["PER", "ORG", "LOC"] {
            all.add(&self.get(ty));
        }
        all
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "mapping: PERSON->PER ORG->ORG GPE/LOC->LOC; NORP/EVENT->MISC reported apart; dates/figures left out"
        );
        for ty in ["PER", "ORG", "LOC", "MISC"] {
            let c = self.get(ty);
            let _ = writeln!(
                out,
                "{ty:<8} P={:.3} R={:.3} F1={:.3} (tp={} fp={} fn={})",
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp,
                c.fp,
                c.fn_
            );
        }
        if let Some(c) = self.unseen {
            let _ = writeln!(
                out,
                "unseen   R={:.3} (tp={} fn={}: PER/ORG/LOC names with no word of a training name)",
                c.recall(),
                c.tp,
                c.fn_
            );
        }
        let c = self.overall();
        let _ = write!(
            out,
            "overall  P={:.3} R={:.3} F1={:.3} (PER+ORG+LOC, {} docs, {} words)",
            c.precision(),
            c.recall(),
            c.f1(),
            self.documents,
            self.words
        );
        out
    }
}

fn conll_type(kind: EntityKind) -> Option<&'static str> {
    match kind {
        EntityKind::Person => Some("PER"),
        EntityKind::Org => Some("ORG"),
        EntityKind::Gpe | EntityKind::Loc => Some("LOC"),
        EntityKind::Norp | EntityKind::Event => Some("MISC"),
        _ => None,
    }
}

/// A document as plain text: words joined by spaces, a sentence per line (as [`evaluate`]
/// feeds it to the detector).
pub fn doc_text(doc: &ConllDoc) -> String {
    let mut text = String::new();
    for sent in &doc.sentences {
        for (k, (word, _)) in sent.iter().enumerate() {
            if k > 0 {
                text.push(' ');
            }
            text.push_str(word);
        }
        text.push('\n');
    }
    text
}

/// Runs the full detector on each document (words joined by spaces, a sentence per line) and
/// scores exact char spans against the gold annotation.
pub fn evaluate(docs: &[ConllDoc], model: Option<&Model>) -> EvalReport {
    evaluate_with(docs, model, None)
}

/// The words of every name in `docs` (what "seen in training" means for the unseen recall).
pub fn name_words(docs: &[ConllDoc]) -> std::collections::HashSet<String> {
    docs.iter()
        .flat_map(|d| &d.sentences)
        .flatten()
        .filter(|(_, t)| *t != 0)
        .map(|(w, _)| w.clone())
        .collect()
}

/// [`evaluate`], plus recall on names none of whose words is in `seen` (see [`name_words`]).
pub fn evaluate_with(
    docs: &[ConllDoc],
    model: Option<&Model>,
    seen: Option<&std::collections::HashSet<String>>,
) -> EvalReport {
    let mut report = EvalReport {
        unseen: seen.map(|_| Counts::default()),
        ..Default::default()
    };
    let known = KnownNames::default();
    for doc in docs {
        let mut text = String::new();
        let mut gold: Vec<(usize, usize, &'static str)> = Vec::new();
        let mut unseen_gold: Vec<(usize, usize)> = Vec::new();
        let mut chars = 0usize;
        for sent in &doc.sentences {
            let mut offsets = Vec::with_capacity(sent.len());
            for (k, (word, _)) in sent.iter().enumerate() {
                if k > 0 {
                    text.push(' ');
                    chars += 1;
                }
                let start = chars;
                text.push_str(word);
                chars += word.chars().count();
                offsets.push((start, chars));
            }
            text.push('\n');
            chars += 1;
            let tags: Vec<u8> = sent.iter().map(|(_, t)| *t).collect();
            for (a, b, ty) in ner_model::spans(&tags) {
                if let Some(seen) = seen
                    && ty < 3
                    && sent[a..b].iter().all(|(w, _)| !seen.contains(w))
                {
                    unseen_gold.push((offsets[a].0, offsets[b - 1].1));
                }
                gold.push((
                    offsets[a].0,
                    offsets[b - 1].1,
                    ner_model::TYPES[ty as usize],
                ));
            }
            report.words += sent.len();
        }
        report.documents += 1;
        let found = entities::find_with(&text, &known, model);
        let predicted: Vec<(usize, usize, &'static str)> = found
            .iter()
            .filter_map(|m| conll_type(m.kind).map(|t| (m.span.start, m.span.end, t)))
            .collect();
        let dump = std::env::var_os("CLAIMDESK_NER_ERRORS").is_some();
        let slice = |a: usize, b: usize| text.chars().skip(a).take(b - a).collect::<String>();
        for p in &predicted {
            if dump && !gold.contains(p) {
                let g = gold.iter().find(|g| g.0 < p.1 && p.0 < g.1);
                eprintln!(
                    "FP {} {:?} gold={:?}",
                    p.2,
                    slice(p.0, p.1),
                    g.map(|g| (g.2, slice(g.0, g.1)))
                );
            }
            let c = report.per_type.entry(p.2).or_default();
            if gold.contains(p) {
                c.tp += 1;
            } else {
                c.fp += 1;
            }
        }
        if let Some(u) = report.unseen.as_mut() {
            for &(a, b) in &unseen_gold {
                let g = gold.iter().find(|g| (g.0, g.1) == (a, b));
                if g.is_some_and(|g| predicted.contains(g)) {
                    u.tp += 1;
                } else {
                    u.fn_ += 1;
                }
            }
        }
        for g in &gold {
            if !predicted.contains(g) {
                if dump && !predicted.iter().any(|p| p.0 < g.1 && g.0 < p.1) {
                    eprintln!("FN {} {:?}", g.2, slice(g.0, g.1));
                }
                report.per_type.entry(g.2).or_default().fn_ += 1;
            }
        }
    }
    report
}
