//! The check-worthiness model: scikit-learn's TF-IDF features re-implemented exactly, the
//! shipped weights, and the cue groups used to explain a score.
//!
//! The model is trained in Python (`scripts/claims/train_ngram.py`, scikit-learn) and written to
//! `assets/models/claims.bin` (format `CLM3`: magic, then zlib of a JSON header line and one
//! `term<TAB>idf<TAB>weight` line per vocabulary entry). Features, as `TfidfVectorizer` makes
//! them:
//! - word block: the lower-cased sentence's tokens (runs of two or more word characters, the
//!   `\b\w\w+\b` pattern), their 1-, 2- and 3-grams joined by a space;
//! - character block (`char_wb`): each whitespace-separated word of the lower-cased sentence,
//!   padded with a space on both sides, cut into 2–5-grams of code points;
//! - each in-vocabulary term counts `(1 + ln tf) · idf`, and each block is L2-normalised on its
//!   own; the score is `sigmoid(bias + Σ x·w)`, with Platt scaling folded into the weights.
//!
//! `assets/models/claims.expected.tsv` holds Python's scores for fixed sentences; a test checks
//! that this code gives the same. Known divergence: Python's `\w` excludes combining marks that
//! Rust counts as alphabetic (e.g. Devanagari vowel signs); English text is unaffected.
//!
//! The cue groups ([`CUES`]) do not feed the score: they name, for the analyst, the kinds of
//! wording that the weighted n-grams found (a figure, a date, an attribution …).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use regex::RegexSet;

/// Interpretable feature groups: (reason shown to the analyst, pattern). The first
/// [`FOR_CUES`] make a sentence more check-worthy, the rest less.
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

/// The cues before this index argue for checking a sentence; the rest against.
pub const FOR_CUES: usize = 11;

static CUE_SET: LazyLock<RegexSet> = LazyLock::new(|| {
    // Every sentence is matched against all cues at once, so the set's lazy DFA meets many
    // states: in the default 2 MB cache it was cleared and rebuilt over and over (3 µs a
    // sentence of news); 3 MB already holds what 1,808 BBC articles need (0.8 µs, +0.4 MB).
    crate::text::regex_set_with_cache(CUES.iter().map(|(_, p)| *p), 4 << 20)
        .expect("valid cue regexes")
});

/// Indices of the cue groups a sentence matches, in [`CUES`] order.
pub fn cues(sentence: &str) -> Vec<usize> {
    CUE_SET.matches(sentence).into_iter().collect()
}

/// FNV-1a: terms are looked up by a 64-bit hash built incrementally (a bigram's hash continues
/// from its first word's), so no n-gram string is ever allocated.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

fn fnv_char(h: u64, c: char) -> u64 {
    let mut buf = [0u8; 4];
    fnv(h, c.encode_utf8(&mut buf).as_bytes())
}

/// The keys are already hashes: pass them through.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv(self.0 ^ FNV_OFFSET, bytes);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type TermIndex = HashMap<u64, u32, BuildHasherDefault<PassThrough>>;

/// One TF-IDF block: term hash → row, and each row's idf and weight.
#[derive(Clone, Debug, Default)]
pub struct Block {
    index: TermIndex,
    /// (idf, weight) side by side: a row is read with one cache miss, not two.
    rows: Vec<(f64, f64)>,
}

/// `1 + ln tf` for the term counts a sentence has (almost always below this), computed once.
const TF_TABLE_LEN: usize = 64;

static TF_WEIGHTS: LazyLock<[f64; TF_TABLE_LEN]> = LazyLock::new(|| {
    let mut table = [0.0; TF_TABLE_LEN];
    for (count, slot) in table.iter_mut().enumerate().skip(1) {
        *slot = 1.0 + (count as f64).ln();
    }
    table
});

/// Sublinear term frequency, `1 + ln tf`, as scikit-learn computes it (the table holds the
/// very same values).
fn tf_weight(count: usize) -> f64 {
    match TF_WEIGHTS.get(count) {
        Some(&w) => w,
        None => 1.0 + (count as f64).ln(),
    }
}

impl Block {
    fn push(&mut self, term: &str, idf: f64, weight: f64) -> Result<(), String> {
        let row = self.rows.len() as u32;
        if self
            .index
            .insert(fnv(FNV_OFFSET, term.as_bytes()), row)
            .is_some()
        {
            return Err(format!(
                "two terms share a hash ({term:?}); change the hash"
            ));
        }
        self.rows.push((idf, weight));
        Ok(())
    }

    fn reserve(&mut self, terms: usize) {
        self.index.reserve(terms);
        self.rows.reserve_exact(terms);
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// `(Σ x·w, ‖x‖)` over `rows` (sorted in place; repeats are term counts). Summed in row
    /// order, so a sentence's score does not depend on the order of its words' grams.
    fn dot_and_norm(&self, rows: &mut [u32]) -> (f64, f64) {
        rows.sort_unstable();
        let (mut dot, mut norm) = (0.0f64, 0.0f64);
        let mut i = 0;
        while i < rows.len() {
            let row = rows[i];
            let mut j = i + 1;
            while j < rows.len() && rows[j] == row {
                j += 1;
            }
            let (idf, weight) = self.rows[row as usize];
            let x = tf_weight(j - i) * idf;
            dot += x * weight;
            norm += x * x;
            i = j;
        }
        (dot, norm.sqrt())
    }
}

/// `Σ x·w / ‖x‖` of a block's [`Block::dot_and_norm`]: its share of the logit.
fn block_share((dot, norm): (f64, f64)) -> f64 {
    if norm > 0.0 { dot / norm } else { 0.0 }
}

/// Per-sentence scratch space, reused so scoring allocates nothing once warm.
#[derive(Debug, Default)]
pub struct Scratch {
    lower: String,
    word_rows: Vec<u32>,
    char_rows: Vec<u32>,
    /// Token byte ranges in `lower`.
    tokens: Vec<(usize, usize)>,
    /// Word-unigram rows with their token's range, for reasons.
    unigrams: Vec<(u32, usize, usize)>,
    padded: Vec<char>,
    /// (contribution, byte range) of each distinct unigram, for reasons.
    contributions: Vec<(f64, usize, usize)>,
    /// Character-gram rows per word type (the same words recur across sentences).
    char_cache: HashMap<Box<str>, Box<[u32]>, BuildHasherDefault<PassThrough>>,
}

/// Word types kept in [`Scratch`]'s cache before it starts afresh (bounded memory).
const CHAR_CACHE_WORDS: usize = 50_000;

/// How many words of each sign [`Model::logit`] names when asked to explain.
const EXPLAINED: usize = 5;

/// What one sentence scored, with the telling words.
#[derive(Clone, Debug, PartialEq)]
pub struct Scoring {
    /// The raw linear score (logit).
    pub logit: f64,
    /// Words whose unigram weight pushed the score most, with their contribution: the
    /// strongest positive ones first, then the strongest negative ones (a few of each).
    pub words: Vec<(String, f64)>,
}

/// The shipped linear model.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub bias: f64,
    pub word: Block,
    pub char: Block,
    /// The JSON header: training settings and the figures measured when it was written.
    pub info: String,
}

const MAGIC: &[u8; 4] = b"CLM3";

/// `\w` as Python's `re` has it for text: letters, digits and `_`.
fn is_word_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Whitespace as Python's `str.split()` has it (Unicode White_Space plus U+001C–U+001F).
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

impl Model {
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        if bytes.get(..4) != Some(MAGIC.as_slice()) {
            return Err("not a Claimdesk claims model (or an older format; retrain it)".into());
        }
        let mut raw = String::new();
        std::io::Read::read_to_string(&mut flate2::read::ZlibDecoder::new(&bytes[4..]), &mut raw)
            .map_err(|e| format!("claims model is corrupt: {e}"))?;
        let mut at = 0;
        let mut lines = memchr::memchr_iter(b'\n', raw.as_bytes())
            .chain(std::iter::once(raw.len()))
            .map(|end| {
                let line = &raw[at..end];
                at = (end + 1).min(raw.len());
                line
            });
        let info = lines.next().unwrap_or_default().to_string();
        let header: serde_json::Value =
            serde_json::from_str(&info).map_err(|e| format!("claims model header: {e}"))?;
        let field = |name: &str| {
            header[name]
                .as_f64()
                .ok_or_else(|| format!("claims model header lacks {name}"))
        };
        if header["format"].as_u64() != Some(3)
            || header["word_ngram"] != serde_json::json!([1, 3])
            || header["char_ngram"] != serde_json::json!([2, 5])
        {
            return Err("claims model uses other features than this build scores; retrain".into());
        }
        let bias = field("bias")?;
        let words = field("word_terms")? as usize;
        let chars = field("char_terms")? as usize;
        let mut model = Model {
            bias,
            info,
            ..Model::default()
        };
        // Sized once: growing the tables rehashed them a dozen times on every start. A header
        // cannot claim more terms than the text has lines.
        let most = raw.len() / 4;
        model.word.reserve(words.min(most));
        model.char.reserve(chars.min(most));
        for (n, line) in lines.filter(|l| !l.is_empty()).enumerate() {
            // Split by memchr: the model's ~100,000 lines are read on every start.
            let mut tabs = memchr::memchr_iter(b'\t', line.as_bytes());
            let (Some(a), Some(b)) = (tabs.next(), tabs.next()) else {
                return Err(format!(
                    "claims model line {}: not term, idf, weight",
                    n + 2
                ));
            };
            let end = tabs.next().unwrap_or(line.len());
            let (term, idf, weight) = (&line[..a], &line[a + 1..b], &line[b + 1..end]);
            let parse = |s: &str| {
                s.parse::<f64>()
                    .map_err(|e| format!("claims model line {}: {e}", n + 2))
            };
            let block = if n < words {
                &mut model.word
            } else {
                &mut model.char
            };
            block.push(term, parse(idf)?, parse(weight)?)?;
        }
        if model.word.len() != words || model.char.len() != chars {
            return Err("claims model is truncated".into());
        }
        Ok(model)
    }

    /// The probability of the sentence being check-worthy, as the Python side computes it.
    pub fn probability(&self, sentence: &str, scratch: &mut Scratch) -> f64 {
        sigmoid(self.logit(sentence, scratch, false).logit)
    }

    /// The logit, and when `explain` the words that moved it most.
    pub fn logit(&self, sentence: &str, s: &mut Scratch, explain: bool) -> Scoring {
        s.lower.clear();
        if sentence.contains(['Σ', 'ς', 'σ']) {
            // Final sigma depends on context: only the whole-string mapping gets it right.
            s.lower.push_str(&sentence.to_lowercase());
        } else if sentence.is_ascii() {
            // The same as the char-by-char mapping below, for the common case, without it.
            s.lower.push_str(sentence);
            s.lower.make_ascii_lowercase();
        } else {
            s.lower
                .extend(sentence.chars().flat_map(char::to_lowercase));
        }
        let lower = s.lower.as_str();

        // Word block: maximal runs of word characters, two or more long.
        s.tokens.clear();
        let mut start = None;
        let mut count = 0usize;
        for (at, c) in lower.char_indices() {
            if is_word_char(c) {
                if start.is_none() {
                    start = Some(at);
                    count = 0;
                }
                count += 1;
            } else if let Some(st) = start.take()
                && count >= 2
            {
                s.tokens.push((st, at));
            }
        }
        if let Some(st) = start
            && count >= 2
        {
            s.tokens.push((st, lower.len()));
        }
        s.word_rows.clear();
        s.unigrams.clear();
        let bytes = lower.as_bytes();
        for i in 0..s.tokens.len() {
            let mut h = FNV_OFFSET;
            for n in 0..3 {
                let Some(&(a, b)) = s.tokens.get(i + n) else {
                    break;
                };
                if n > 0 {
                    h = fnv(h, b" ");
                }
                h = fnv(h, &bytes[a..b]);
                if let Some(&row) = self.word.index.get(&h) {
                    s.word_rows.push(row);
                    if n == 0 && explain {
                        s.unigrams.push((row, a, b));
                    }
                }
            }
        }

        // Character block: `char_wb`, exactly as scikit-learn loops.
        s.char_rows.clear();
        for word in lower.split(is_py_space).filter(|w| !w.is_empty()) {
            // A word's character grams depend on the word alone: cached per word type.
            if let Some(rows) = s.char_cache.get(word) {
                s.char_rows.extend_from_slice(rows);
                continue;
            }
            let before = s.char_rows.len();
            s.padded.clear();
            s.padded.push(' ');
            s.padded.extend(word.chars());
            s.padded.push(' ');
            let len = s.padded.len();
            for n in 2..=5 {
                let mut offset = 0;
                loop {
                    let end = (offset + n).min(len);
                    let h = s.padded[offset..end]
                        .iter()
                        .fold(FNV_OFFSET, |h, &c| fnv_char(h, c));
                    if let Some(&row) = self.char.index.get(&h) {
                        s.char_rows.push(row);
                    }
                    if offset + n < len {
                        offset += 1;
                    } else {
                        break;
                    }
                }
                if offset == 0 {
                    break; // a word shorter than n counts once
                }
            }
            if s.char_cache.len() >= CHAR_CACHE_WORDS {
                s.char_cache.clear();
            }
            let rows = s.char_rows[before..].to_vec().into_boxed_slice();
            s.char_cache.insert(word.into(), rows);
        }

        let word = self.word.dot_and_norm(&mut s.word_rows);
        let word_norm = word.1;
        let z =
            self.bias + block_share(word) + block_share(self.char.dot_and_norm(&mut s.char_rows));
        let mut words = Vec::new();
        if explain && word_norm > 0.0 {
            // One entry per distinct unigram; term counts from the sorted rows (linear in the
            // sentence, whatever its length).
            s.unigrams.sort_unstable_by_key(|u| u.0);
            s.unigrams.dedup_by_key(|u| u.0);
            let rows = &s.word_rows;
            s.contributions.clear();
            for &(row, a, b) in &s.unigrams {
                let tf = rows.partition_point(|&r| r <= row) - rows.partition_point(|&r| r < row);
                let (idf, weight) = self.word.rows[row as usize];
                let x = tf_weight(tf) * idf / word_norm;
                s.contributions.push((x * weight, a, b));
            }
            s.contributions.sort_by(|x, y| {
                (y.0 > 0.0)
                    .cmp(&(x.0 > 0.0))
                    .then(y.0.abs().total_cmp(&x.0.abs()))
            });
            // Only the strongest few of each sign are ever shown: allocate those alone.
            let positives = s.contributions.iter().filter(|c| c.0 > 0.0).count();
            let (pos, neg) = s.contributions.split_at(positives);
            for &(c, a, b) in pos.iter().take(EXPLAINED).chain(neg.iter().take(EXPLAINED)) {
                words.push((lower[a..b].to_string(), c));
            }
        }
        Scoring { logit: z, words }
    }
}

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

static SHIPPED_BYTES: &[u8] = include_bytes!("../../../../assets/models/claims.bin");

/// The model compiled into the binary.
pub static SHIPPED: LazyLock<Model> =
    LazyLock::new(|| Model::from_bytes(SHIPPED_BYTES).expect("the bundled claims model loads"));

/// Precision, recall and F1 of `scores` at `threshold`.
pub fn prf(scores: &[(f32, bool)], threshold: f32) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    for &(s, y) in scores {
        match (s >= threshold, y) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fneg += 1,
            _ => {}
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fneg).max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// Average precision of a ranking (scores, labels).
pub fn average_precision(scores: &[(f32, bool)]) -> f64 {
    let mut sorted = scores.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = sorted.iter().filter(|s| s.1).count();
    if positives == 0 {
        return 0.0;
    }
    let (mut hits, mut sum) = (0usize, 0.0f64);
    for (k, s) in sorted.iter().enumerate() {
        if s.1 {
            hits += 1;
            sum += hits as f64 / (k + 1) as f64;
        }
    }
    sum / positives as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('t') => out.push('\t'),
                    Some('n') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The Python trainer wrote its own scores for fixed sentences next to the model; the Rust
    /// features must give the same numbers.
    #[test]
    fn scores_equal_the_python_trainers() {
        let expected = include_str!("../../../../assets/models/claims.expected.tsv");
        let mut scratch = Scratch::default();
        let mut compared = 0;
        for line in expected.lines().filter(|l| !l.starts_with('#')) {
            let (score, sentence) = line.split_once('\t').expect("score<TAB>sentence");
            let want: f64 = score.parse().expect("a number");
            let sentence = unescape(sentence);
            let got = SHIPPED.probability(&sentence, &mut scratch);
            assert!(
                (got - want).abs() < 1e-9,
                "{sentence:?}: Rust {got} vs Python {want}"
            );
            compared += 1;
        }
        assert!(compared >= 150, "only {compared} sentences compared");
    }

    #[test]
    fn char_grams_follow_scikit_learns_loop() {
        // " a " gives " a", "a " (n=2) and " a " (n=3, then the loop stops): the same count as
        // scikit-learn's `_char_wb_ngrams`.
        let mut model = Model::default();
        for (i, g) in [" a", "a ", " a ", " a  "].iter().enumerate() {
            model.char.push(g, 1.0, i as f64 + 1.0).unwrap();
        }
        let mut s = Scratch::default();
        model.logit("A", &mut s, false);
        let mut rows = s.char_rows.clone();
        rows.sort();
        assert_eq!(rows, [0, 1, 2]);
    }
}
