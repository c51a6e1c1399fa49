//! The check-worthiness model: features, the shipped weights, and the trainer.
//!
//! A logistic regression over
//! - hashed lower-cased word unigrams, bigrams and trigrams, with numbers replaced by shape
//!   tokens (`<year>`, `<money>`, `<num>`) so "1,400" and "200" look alike, plus word endings and
//!   names in context;
//! - hashed character 2–5-grams inside words (spelling variants, inflections, rare words);
//!   each hashed block is L2-normalised ([`FeatureSpec`] is stored in the model file);
//! - interpretable cue groups (a figure, money or a percentage, a date, a comparison, a cause,
//!   an attribution, a quote, a named actor, …) found by one [`RegexSet`] pass;
//! - length buckets.
//!
//! The trainer ([`train`]) lives here so that training and scoring share feature extraction
//! exactly; `claimdesk-dev train-claims` drives it and writes `assets/models/claims.bin`, which is
//! compiled into the binary. Reasons shown to the analyst come from the cue groups (and the most
//! telling words) that contributed most to the score.

use std::sync::LazyLock;

use regex::RegexSet;

/// Interpretable feature groups: (reason shown to the analyst, pattern).
///
/// The order is part of the model file format (cue weights are stored in this order).
pub const CUES: &[(&str, &str)] = &[
    (
        "a figure",
        r"\d|(?i)\b(?:hundreds?|thousands?|millions?|billions?|trillions?|dozens?|twice|half|double|triple|one-third|two-thirds|quarter)\b",
    ),
    (
        "money or a percentage",
        r"[$€£¥]\s?\d|%|(?i)\b(?:percent|per cent|percentage|dollars|cents|budget|deficit|debt|taxe?s?|spending|spent|cost|costs|funds?|funding|billion|trillion)\b",
    ),
    (
        "a date or period",
        r"(?i)\b(?:January|February|March|April|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.|(?:19|20)\d{2}s?|last (?:year|month|week|decade)|years? ago|since|decades?|century)\b",
    ),
    (
        "a comparison or trend",
        r"(?i)\b(?:more|less|fewer|higher|lower|larger|smaller|bigger|greater|better|worse|increased?|increases|increasing|decreased?|decreases|decreasing|doubled|tripled|rose|risen|fell|fallen|grew|grown|growth|dropped|declined?|cut|raised|lost|gained|most|least|largest|highest|lowest|biggest|record|than|compared|average)\b",
    ),
    (
        "a cause or consequence",
        r"(?i)\b(?:because|caused?|causes|led to|leads to|result(?:ed|s)? (?:in|of)|as a result|due to|responsible for|blamed?|linked to|thanks to|therefore|consequence)\b",
    ),
    (
        "an attribution or source",
        r"(?i)\b(?:said|says|told|stated|claimed|claims|according to|reported|reports?|announced|confirmed|denied|declared|accused|admitted|testified|study|survey|poll|statistics|data|estimates?|figures)\b",
    ),
    ("a quote", "[“”\"]"),
    (
        "a named actor",
        r"[^.?!\s]\s+(?:[A-Z][a-z]+|[A-Z]{2,}|[A-Z]\.[A-Z]\.)",
    ),
    (
        "a verifiable event or measure",
        r"(?i)\b(?:killed|died|dead|deaths?|injured|wounded|hostages?|attack(?:ed|s)?|invaded|arrested|sanctions?|voted|votes?|vote|passed|signed|vetoed|law|laws|bill|legislation|elected|appointed|created|jobs|unemployment|unemployed|economy|GDP|inflation|interest rates?|crime|murders?|troops|soldiers|weapons|nuclear|treaty|agreement|deal|insurance|medicare|medicaid|social security|employees|workers|income|wages|prices?|imports?|exports?|trade|oil|energy|students|schools|population|rate)\b",
    ),
    (
        "a categorical statement",
        r"(?i)\b(?:first|only|never|every|all|none|no one|nobody|ever|largest|entire|whole)\b",
    ),
    (
        "a past action or state",
        r"(?i)\b(?:was|were|had|did|has been|have been|has|went|took|made|gave|got|came|became)\b",
    ),
    ("phrased as a question", r"\?\s*[”\x22’']?\s*$"),
    (
        "a greeting or pleasantry",
        r"(?i)^\W*(?:thank|thanks|good (?:morning|evening|night|afternoon)|hello|welcome|okay|ok|well|yes|no|oh|sure|right|applause|laughter|crosstalk)\b",
    ),
    (
        "an opinion, wish or value",
        r"(?i)\b(?:I think|I believe|I feel|I hope|we hope|I'?m sure|in my opinion|I want|we want|I'?d like|would like|we must|we should|we need|we've got to|we have to|should|ought|must|believe|hope|wish|deserve|important|great|wonderful|terrible|beautiful|wrong|right thing|fair|proud|values?|love)\b",
    ),
    (
        "about the future",
        r"(?i)\b(?:will|won'?t|going to|gonna|plan to|intend to|I'?ll|we'?ll|future|tomorrow|next year)\b",
    ),
    (
        "speaking of oneself",
        r"\b(?:I|I'm|I've|I'd|I'll|me|my|myself)\b",
    ),
    ("addressing someone", r"(?i)\b(?:you|your|you're|you've)\b"),
    (
        "a vague or rhetorical phrase",
        r"(?i)\b(?:let me|let's|you know|I mean|of course|frankly|clearly|obviously|simply|the fact is|look,)\b",
    ),
];

/// Number of dense (non-hashed) features: the cues plus length buckets.
const LENGTH_BUCKETS: usize = 4;
pub const DENSE: usize = CUES.len() + LENGTH_BUCKETS;
const LENGTH_REASONS: [&str; LENGTH_BUCKETS] = [
    "too short to state a fact",
    "a short sentence",
    "a sentence of typical length",
    "a long, detailed sentence",
];

static CUE_SET: LazyLock<RegexSet> =
    LazyLock::new(|| RegexSet::new(CUES.iter().map(|(_, p)| *p)).expect("valid cue regexes"));

/// One sentence's active features: hashed n-grams (index < 2^HASH_BITS, value) and dense cues.
#[derive(Clone, Debug, Default)]
pub struct Features {
    pub hashed: Vec<(u32, f32)>,
    /// Indices into the dense block (cues then length buckets); all have value 1.
    pub dense: Vec<u16>,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

fn mix(a: u64, b: u64) -> u64 {
    let mut x = a ^ b.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x
}

/// Token kinds used for shape tokens.
fn shape_hash(token: &str, money: bool) -> u64 {
    let year = token.len() == 4
        && token.bytes().all(|b| b.is_ascii_digit())
        && (token.starts_with("19") || token.starts_with("20"));
    let shape: &[u8] = if money {
        b"<money>"
    } else if year {
        b"<year>"
    } else {
        b"<num>"
    };
    fnv(FNV_OFFSET, shape)
}

/// One token as the model sees it.
#[derive(Clone, Copy)]
struct Token<'a> {
    /// The lower-cased word; `None` for numbers and `%`, which only count by their shape.
    word: Option<&'a str>,
    /// Hash of the lower-cased word, or of its shape for numbers.
    hash: u64,
    /// Hash of the word's last three letters (longer words only): a cheap stand-in for tense
    /// and part of speech ("-ed", "-ion", "-ing").
    suffix: Option<u64>,
    capitalised: bool,
}

/// Calls `f` with each token (lower-cased word, or a shape for numbers).
fn for_each_token(sentence: &str, mut f: impl FnMut(Token<'_>)) {
    let mut buf = String::with_capacity(32);
    let mut prev_char = ' ';
    let mut token_prev = ' ';
    let mut capitalised = false;
    let mut chars = sentence.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            if buf.is_empty() {
                token_prev = prev_char;
                capitalised = c.is_uppercase();
            }
            for l in c.to_lowercase() {
                buf.push(l);
            }
        } else if (c == '\'' || c == '’' || c == '.' || c == ',')
            && !buf.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
            && (c == '\'' || c == '’' || buf.as_bytes()[buf.len() - 1].is_ascii_digit())
        {
            // Keep "don't", "1,400" and "2.5" together.
            buf.push(if c == '’' { '\'' } else { c });
        } else {
            if !buf.is_empty() {
                emit(&buf, token_prev, capitalised, &mut f);
                buf.clear();
            }
            if c == '%' {
                f(Token {
                    word: None,
                    hash: fnv(FNV_OFFSET, b"percent"),
                    suffix: None,
                    capitalised: false,
                });
            }
        }
        prev_char = c;
    }
    if !buf.is_empty() {
        emit(&buf, token_prev, capitalised, &mut f);
    }
}

fn emit(token: &str, before: char, capitalised: bool, f: &mut impl FnMut(Token<'_>)) {
    if token.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        f(Token {
            word: None,
            hash: shape_hash(token, matches!(before, '$' | '€' | '£' | '¥')),
            suffix: None,
            capitalised: false,
        });
    } else {
        let suffix = (token.len() > 4 && token.is_ascii())
            .then(|| fnv(FNV_OFFSET ^ 0x5f5f, &token.as_bytes()[token.len() - 3..]));
        f(Token {
            word: Some(token),
            hash: fnv(FNV_OFFSET, token.as_bytes()),
            suffix,
            capitalised,
        });
    }
}

const UNIGRAM_SEED: u64 = 0x1234_5678;
const BIGRAM_SEED: u64 = 0x8765_4321;
const TRIGRAM_SEED: u64 = 0x2468_ace0;
const SUFFIX_SEED: u64 = 0x1357_9bdf;
const CHAR_SEED: u64 = 0x0c4a_5eed;

/// Which hashed features a model uses; stored in the model file so that scoring always extracts
/// exactly what the model was trained on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FeatureSpec {
    /// Bits of the hash space (the model has `2^hash_bits` hashed weights).
    pub hash_bits: u32,
    /// Character n-grams inside words (the word padded with a space on both sides, like
    /// scikit-learn's `char_wb`), from `char_min` to `char_max` bytes; `char_max = 0` turns them off.
    pub char_min: u8,
    pub char_max: u8,
    /// Total weight of the word block (uni/bi/trigrams, suffixes, names in context); each
    /// feature gets `word_scale / sqrt(count)`, so the block has L2 norm `word_scale`.
    pub word_scale: f32,
    /// The same for the character n-gram block.
    pub char_scale: f32,
}

impl Default for FeatureSpec {
    fn default() -> Self {
        Self {
            hash_bits: 20,
            char_min: 2,
            char_max: 5,
            word_scale: 2.0,
            char_scale: 0.75,
        }
    }
}

impl FeatureSpec {
    pub fn hash_size(&self) -> usize {
        1 << self.hash_bits
    }
}

/// Extracts the features of one sentence into `out` (cleared first; reused to avoid allocations).
pub fn extract(spec: &FeatureSpec, sentence: &str, out: &mut Features) {
    out.hashed.clear();
    out.dense.clear();
    let start = fnv(FNV_OFFSET, b"<s>");
    let (mut prev, mut prev2) = (start, start);
    let cap_hash = fnv(FNV_OFFSET, b"<Cap>");
    let mut words = 0usize;
    let mask = spec.hash_size() - 1;
    let slot = |h: u64| (h as usize & mask) as u32;
    let mut chars: Vec<u32> = Vec::new();
    let mut padded: Vec<u8> = Vec::with_capacity(32);
    for_each_token(sentence, |t| {
        let h = t.hash;
        out.hashed.push((slot(mix(h, UNIGRAM_SEED)), 1.0));
        out.hashed.push((slot(mix(mix(prev, h), BIGRAM_SEED)), 1.0));
        out.hashed
            .push((slot(mix(mix(mix(prev2, prev), h), TRIGRAM_SEED)), 1.0));
        if let Some(s) = t.suffix {
            out.hashed.push((slot(mix(s, SUFFIX_SEED)), 1.0));
        }
        if t.capitalised && words > 0 {
            // A name inside the sentence, and what surrounds it ("<Cap> said").
            out.hashed
                .push((slot(mix(mix(prev, cap_hash), BIGRAM_SEED)), 1.0));
        }
        if let Some(word) = t.word.filter(|_| spec.char_max > 0) {
            padded.clear();
            padded.push(b' ');
            padded.extend_from_slice(word.as_bytes());
            padded.push(b' ');
            let (lo, hi) = (
                usize::from(spec.char_min.max(1)),
                usize::from(spec.char_max),
            );
            for n in lo..=hi.min(padded.len()) {
                for gram in padded.windows(n) {
                    chars.push(slot(mix(fnv(FNV_OFFSET, gram), CHAR_SEED)));
                }
            }
        }
        words += 1;
        prev2 = prev;
        prev = if t.capitalised && words > 1 {
            cap_hash
        } else {
            h
        };
    });
    // Each block has a fixed L2 norm, so long sentences do not dominate through sheer count.
    if !out.hashed.is_empty() {
        let v = spec.word_scale / (out.hashed.len() as f32).sqrt();
        for (_, x) in &mut out.hashed {
            *x = v;
        }
    }
    if !chars.is_empty() {
        let v = spec.char_scale / (chars.len() as f32).sqrt();
        out.hashed.extend(chars.iter().map(|&i| (i, v)));
    }
    for i in CUE_SET.matches(sentence).iter() {
        out.dense.push(i as u16);
    }
    let bucket = match words {
        0..=4 => 0,
        5..=9 => 1,
        10..=24 => 2,
        _ => 3,
    };
    out.dense.push((CUES.len() + bucket) as u16);
}

/// Human reason for a dense feature.
pub fn dense_reason(i: usize) -> &'static str {
    if i < CUES.len() {
        CUES[i].0
    } else {
        LENGTH_REASONS[i - CUES.len()]
    }
}

/// Linear model weights.
#[derive(Clone, Debug)]
pub struct Model {
    pub spec: FeatureSpec,
    pub bias: f32,
    pub dense: Vec<f32>,
    pub hashed: Vec<f32>,
}

const MAGIC: &[u8; 4] = b"CLM2";

impl Model {
    pub fn zeros(spec: FeatureSpec) -> Self {
        Self {
            spec,
            bias: 0.0,
            dense: vec![0.0; DENSE],
            hashed: vec![0.0; spec.hash_size()],
        }
    }

    /// Extracts a sentence's features the way this model was trained.
    pub fn features(&self, sentence: &str, out: &mut Features) {
        extract(&self.spec, sentence, out);
    }

    /// The raw linear score (logit).
    pub fn logit(&self, f: &Features) -> f32 {
        let mut z = self.bias;
        for &(i, v) in &f.hashed {
            z += self.hashed[i as usize] * v;
        }
        for &i in &f.dense {
            z += self.dense[i as usize];
        }
        z
    }

    /// Serialises: magic, then deflate of (hash bits, dense count, char_min, char_max, two zero
    /// bytes, word_scale, char_scale, bias, dense weights, a scale, hashed weights quantised to
    /// i16 as `w = q * scale`). All little-endian; unused hash slots are zero and compress away.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::with_capacity(32 + DENSE * 4 + self.hashed.len() * 2);
        raw.extend_from_slice(&self.spec.hash_bits.to_le_bytes());
        raw.extend_from_slice(&(DENSE as u32).to_le_bytes());
        raw.extend_from_slice(&[self.spec.char_min, self.spec.char_max, 0, 0]);
        raw.extend_from_slice(&self.spec.word_scale.to_le_bytes());
        raw.extend_from_slice(&self.spec.char_scale.to_le_bytes());
        raw.extend_from_slice(&self.bias.to_le_bytes());
        for w in &self.dense {
            raw.extend_from_slice(&w.to_le_bytes());
        }
        let max = self
            .hashed
            .iter()
            .fold(0f32, |m, w| m.max(w.abs()))
            .max(1e-6);
        let scale = max / f32::from(i16::MAX);
        raw.extend_from_slice(&scale.to_le_bytes());
        for w in &self.hashed {
            let q = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
            raw.extend_from_slice(&q.to_le_bytes());
        }
        let mut enc =
            flate2::write::DeflateEncoder::new(MAGIC.to_vec(), flate2::Compression::best());
        std::io::Write::write_all(&mut enc, &raw).expect("writing to memory");
        enc.finish().expect("writing to memory")
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        if bytes.get(..4) != Some(MAGIC.as_slice()) {
            return Err("not a Claimdesk claims model (or an older format; retrain it)".into());
        }
        let mut raw = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::DeflateDecoder::new(&bytes[4..]),
            &mut raw,
        )
        .map_err(|e| format!("claims model is corrupt: {e}"))?;
        let mut pos = 0usize;
        let mut take = |n: usize| -> Result<&[u8], String> {
            let s = raw.get(pos..pos + n).ok_or("model file is truncated")?;
            pos += n;
            Ok(s)
        };
        let u32_at = |s: &[u8]| u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let f32_at = |s: &[u8]| f32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let hash_bits = u32_at(take(4)?);
        if !(10..=24).contains(&hash_bits) || u32_at(take(4)?) as usize != DENSE {
            return Err("model was trained with other features; retrain it".into());
        }
        let chars = take(4)?;
        let (char_min, char_max) = (chars[0], chars[1]);
        let word_scale = f32_at(take(4)?);
        let char_scale = f32_at(take(4)?);
        let spec = FeatureSpec {
            hash_bits,
            char_min,
            char_max,
            word_scale,
            char_scale,
        };
        let bias = f32_at(take(4)?);
        let mut dense = Vec::with_capacity(DENSE);
        for _ in 0..DENSE {
            dense.push(f32_at(take(4)?));
        }
        let scale = f32_at(take(4)?);
        let q = take(spec.hash_size() * 2)?;
        let hashed = q
            .chunks_exact(2)
            .map(|c| f32::from(i16::from_le_bytes([c[0], c[1]])) * scale)
            .collect();
        Ok(Self {
            spec,
            bias,
            dense,
            hashed,
        })
    }
}

static SHIPPED_BYTES: &[u8] = include_bytes!("../../../../assets/models/claims.bin");

/// The model compiled into the binary.
pub static SHIPPED: LazyLock<Model> =
    LazyLock::new(|| Model::from_bytes(SHIPPED_BYTES).expect("the bundled claims model loads"));

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    pub epochs: usize,
    pub l2: f32,
    pub learning_rate: f32,
    pub seed: u64,
    /// Weight of positive examples (class imbalance).
    pub positive_weight: f32,
    /// Hinge loss (a linear SVM) instead of the logistic loss.
    pub hinge: bool,
    pub spec: FeatureSpec,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            epochs: 8,
            l2: 1e-5,
            learning_rate: 0.1,
            seed: 42,
            positive_weight: 1.0,
            hinge: false,
            spec: FeatureSpec::default(),
        }
    }
}

/// A tiny deterministic PRNG (splitmix64) so training is reproducible without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// Trains a logistic regression (or a linear SVM) with AdaGrad and L2 on (features, label) pairs;
/// the features must have been extracted with `options.spec`.
pub fn train(data: &[(Features, bool)], options: &TrainOptions) -> Model {
    let mut model = Model::zeros(options.spec);
    let mut g2_hashed = vec![1e-6f32; options.spec.hash_size()];
    let mut g2_dense = [1e-6f32; DENSE];
    let mut g2_bias = 1e-6f32;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = Rng::new(options.seed);
    let lr = options.learning_rate;
    // The shipped weights are the average of the weights after each epoch (steadier than the last).
    let mut average = Model::zeros(options.spec);
    for _ in 0..options.epochs {
        rng.shuffle(&mut order);
        for &k in &order {
            let (f, y) = &data[k];
            let z = model.logit(f);
            let weight = if *y { options.positive_weight } else { 1.0 };
            let sign = if *y { 1.0 } else { -1.0 };
            let g = if options.hinge {
                if sign * z < 1.0 { -sign * weight } else { 0.0 }
            } else {
                (sigmoid(z) - if *y { 1.0 } else { 0.0 }) * weight
            };
            for &(i, v) in &f.hashed {
                let i = i as usize;
                let grad = g * v + options.l2 * model.hashed[i];
                g2_hashed[i] += grad * grad;
                model.hashed[i] -= lr * grad / g2_hashed[i].sqrt();
            }
            for &i in &f.dense {
                let i = i as usize;
                let grad = g + options.l2 * model.dense[i];
                g2_dense[i] += grad * grad;
                model.dense[i] -= lr * grad / g2_dense[i].sqrt();
            }
            g2_bias += g * g;
            model.bias -= lr * g / g2_bias.sqrt();
        }
        average.bias += model.bias;
        average
            .dense
            .iter_mut()
            .zip(&model.dense)
            .for_each(|(a, w)| *a += w);
        average
            .hashed
            .iter_mut()
            .zip(&model.hashed)
            .for_each(|(a, w)| *a += w);
    }
    let n = options.epochs.max(1) as f32;
    average.bias /= n;
    average.dense.iter_mut().for_each(|a| *a /= n);
    average.hashed.iter_mut().for_each(|a| *a /= n);
    average
}

/// Precision, recall and F1 of the positive class at `threshold`.
pub fn prf(scores: &[(f32, bool)], threshold: f32) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fn_) = (0f64, 0f64, 0f64);
    for &(s, y) in scores {
        match (s >= threshold, y) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fn_ += 1.0,
            _ => {}
        }
    }
    let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// The threshold (on the logit) that maximises F1 of the positive class.
pub fn best_threshold(scores: &[(f32, bool)]) -> (f32, f64) {
    let mut sorted: Vec<(f32, bool)> = scores.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = sorted.iter().filter(|s| s.1).count() as f64;
    let (mut tp, mut fp) = (0f64, 0f64);
    let mut best = (f32::INFINITY, 0.0);
    for (k, &(s, y)) in sorted.iter().enumerate() {
        if y {
            tp += 1.0;
        } else {
            fp += 1.0;
        }
        // Only cut between distinct scores.
        if sorted.get(k + 1).is_some_and(|n| n.0 == s) {
            continue;
        }
        let p = tp / (tp + fp);
        let r = tp / positives.max(1.0);
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        if f > best.1 {
            let next = sorted.get(k + 1).map_or(s - 1.0, |n| n.0);
            best = ((s + next) / 2.0, f);
        }
    }
    best
}

/// Average precision of a ranking (scores with labels).
pub fn average_precision(scores: &[(f32, bool)]) -> f64 {
    let mut sorted: Vec<(f32, bool)> = scores.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = sorted.iter().filter(|s| s.1).count();
    if positives == 0 {
        return 0.0;
    }
    let mut hits = 0f64;
    let mut sum = 0f64;
    for (k, &(_, y)) in sorted.iter().enumerate() {
        if y {
            hits += 1.0;
            sum += hits / (k as f64 + 1.0);
        }
    }
    sum / positives as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_shapes_and_model_round_trips() {
        let mut a = Features::default();
        let mut b = Features::default();
        let spec = FeatureSpec::default();
        extract(&spec, "They killed 1,400 people in 2023.", &mut a);
        extract(&spec, "They killed 200 people in 1999.", &mut b);
        assert_eq!(a.hashed, b.hashed);
        assert!(a.dense.contains(&0), "a figure fires: {:?}", a.dense);
        let mut model = Model::zeros(spec);
        model.hashed[7] = 0.5;
        model.dense[1] = -1.25;
        let back = Model::from_bytes(&model.to_bytes()).unwrap();
        assert!((back.hashed[7] - 0.5).abs() < 1e-4);
        assert_eq!(back.dense[1], -1.25);
        assert_eq!(back.spec, spec);
    }
}
