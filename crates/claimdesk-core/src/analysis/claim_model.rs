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

use super::model_formats::{self, FNV_OFFSET, Term, fnv};

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
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Block {
    index: TermIndex,
    /// (idf, weight) side by side: a row is read with one cache miss, not two.
    rows: Vec<(f64, f64)>,
    /// The word block keeps its multi-word terms apart (see [`Phrases`]).
    phrases: Option<Phrases>,
}

/// Multi-word terms (bigrams, trigrams) in a table of their own, behind a Bloom filter.
/// Nine in ten of the word block's terms (50,616 of 57,054) are multi-word, yet seven in ten of
/// a text's bigrams (nineteen in twenty of its trigrams) are not in the model: the filter, 128 KB
/// for the shipped model, answers most of those lookups from cache instead of a miss in a
/// megabyte-sized table, and the unigrams' own table stays small.
#[derive(Clone, Debug, Default, PartialEq)]
struct Phrases {
    index: TermIndex,
    filter: Vec<u64>,
    /// `64 · filter.len() - 1`: filter length is a power of two.
    mask: u64,
}

impl Phrases {
    /// The filter's two bit positions for a term hash.
    fn bits(&self, h: u64) -> [u64; 2] {
        let a = h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
        let b = (h ^ (h >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 32;
        [a & self.mask, b & self.mask]
    }

    /// Builds the filter over the terms in `index`: about 20 bits a term, so about one lookup
    /// in a hundred of an absent term gets through to the table.
    fn seal(&mut self) {
        let bits = (self.index.len() * 20).next_power_of_two().max(64);
        self.filter = vec![0; bits / 64];
        self.mask = bits as u64 - 1;
        for &h in self.index.keys() {
            for bit in self.bits(h) {
                self.filter[(bit / 64) as usize] |= 1 << (bit % 64);
            }
        }
    }

    fn get(&self, h: u64) -> Option<u32> {
        let present = self
            .bits(h)
            .iter()
            .all(|&bit| self.filter[(bit / 64) as usize] & (1 << (bit % 64)) != 0);
        if present {
            self.index.get(&h).copied()
        } else {
            None
        }
    }
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
    /// A block that keeps its multi-word terms apart, as the word block does.
    fn with_phrases() -> Block {
        Block {
            phrases: Some(Phrases::default()),
            ..Block::default()
        }
    }

    #[cfg(test)]
    fn push(&mut self, term: &str, idf: f64, weight: f64) -> Result<(), String> {
        self.push_term(Term {
            hash: fnv(FNV_OFFSET, term.as_bytes()),
            idf,
            weight,
            phrase: term.contains(' '),
        })
    }

    fn push_term(&mut self, term: Term) -> Result<(), String> {
        let row = self.rows.len() as u32;
        let index = match &mut self.phrases {
            Some(phrases) if term.phrase => &mut phrases.index,
            _ => &mut self.index,
        };
        if index.insert(term.hash, row).is_some() {
            return Err(format!(
                "two terms of the claims model share a hash (row {row}); change the hash"
            ));
        }
        self.rows.push((term.idf, term.weight));
        Ok(())
    }

    fn reserve(&mut self, terms: usize) {
        match &mut self.phrases {
            // Most word terms are phrases: the unigram table grows as it needs.
            Some(phrases) => phrases.index.reserve(terms),
            None => self.index.reserve(terms),
        }
        self.rows.reserve_exact(terms);
    }

    /// Ends loading: builds the phrase filter.
    fn seal(&mut self) {
        if let Some(phrases) = &mut self.phrases {
            phrases.index.shrink_to_fit();
            phrases.seal();
        }
    }

    /// The row of a one-word term (every term of a block without phrases).
    fn term(&self, h: u64) -> Option<u32> {
        self.index.get(&h).copied()
    }

    /// The row of a multi-word term.
    fn phrase(&self, h: u64) -> Option<u32> {
        match &self.phrases {
            Some(phrases) => phrases.get(h),
            None => self.term(h),
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// `(Σ x·w, ‖x‖²)` of a sentence whose grams were summed word by word as if each occurred
    /// once (`linear`: `Σ idf·w` and `Σ idf²` over every occurrence), corrected for the grams
    /// that occur more than once: their `x` is `(1 + ln tf)·idf`, not `tf·idf`. `rows` lists
    /// the distinct grams and `counts` their counts, which are zeroed on the way. Only the
    /// repeated grams' rows are read; the result is within rounding of scikit-learn's sum.
    fn correct_repeats(
        &self,
        (mut dot, mut norm2): (f64, f64),
        rows: &[u32],
        counts: &mut [u32],
    ) -> (f64, f64) {
        for &row in rows {
            let count = std::mem::take(&mut counts[row as usize]);
            if count > 1 {
                let (idf, weight) = self.rows[row as usize];
                let x = tf_weight(count as usize) * idf;
                let linear = f64::from(count) * idf;
                dot += (x - linear) * weight;
                norm2 += x * x - linear * idf;
            }
        }
        (dot, norm2.max(0.0))
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
    /// The character block's distinct rows, in the order first met, with their counts in
    /// `char_counts` (indexed by row; zero again once a sentence is scored).
    char_rows: Vec<u32>,
    char_counts: Vec<u32>,
    /// Token byte ranges in `lower`.
    tokens: Vec<(usize, usize)>,
    /// Word-unigram rows with their token's range, for reasons.
    unigrams: Vec<(u32, usize, usize)>,
    /// Prefix hashes of a word's characters (see [`Model::char_grams`]).
    prefixes: Vec<[u64; 5]>,
    /// (contribution, byte range) of each distinct unigram, for reasons.
    contributions: Vec<(f64, usize, usize)>,
    /// Character grams per word type (the same words recur across sentences), by the word's
    /// hash. Hashed like the model's terms, whose lookups already trust a 64-bit hash.
    char_cache: HashMap<u64, CachedWord, BuildHasherDefault<PassThrough>>,
    char_cache_rows: Vec<u32>,
}

/// A word type's character grams: their rows (a range of `Scratch::char_cache_rows`) and
/// `Σ idf·w`, `Σ idf²` over them, what they add to a sentence where none of them repeats.
#[derive(Clone, Copy, Debug)]
struct CachedWord {
    from: u32,
    to: u32,
    dot: f64,
    norm2: f64,
}

/// Counts one occurrence of `row`, listing it in `rows` the first time.
#[inline]
fn count_row(rows: &mut Vec<u32>, counts: &mut [u32], row: u32) {
    let count = &mut counts[row as usize];
    if *count == 0 {
        rows.push(row);
    }
    *count += 1;
}

/// Word types, and their rows, kept in [`Scratch`]'s cache before it starts afresh (bounded
/// memory: under 3 MB a thread, whatever the words). 14,336 fills a 16,384-slot table: as fast
/// on 1,808 BBC articles as 50,000 words, for 7 MB less at peak.
const CHAR_CACHE_WORDS: usize = 14_336;
const CHAR_CACHE_ROWS: usize = 1 << 19;

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
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    pub bias: f64,
    pub word: Block,
    pub char: Block,
    /// The JSON header: training settings and the figures measured when it was written.
    pub info: String,
}

/// `\w` as Python's `re` has it for text: letters, digits and `_`.
fn is_word_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Whitespace as Python's `str.split()` has it (Unicode White_Space plus U+001C–U+001F).
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

impl Model {
    /// Reads a model as the trainer writes it (`CLM3`).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let (header, terms) = model_formats::read_claims(bytes)?;
        Model::from_terms(header, terms.into_iter())
    }

    /// Reads the build script's compiled form of a model (see `model_formats`).
    fn from_compiled(bytes: &[u8]) -> Result<Self, String> {
        let (header, terms) = model_formats::read_compiled_claims(bytes)?;
        Model::from_terms(header.to_string(), terms)
    }

    fn from_terms(
        info: String,
        terms: impl ExactSizeIterator<Item = Term>,
    ) -> Result<Self, String> {
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
        if terms.len() != words + chars {
            return Err("claims model is truncated".into());
        }
        let mut model = Model {
            bias,
            info,
            word: Block::with_phrases(),
            ..Model::default()
        };
        // Sized once: growing the tables rehashed them a dozen times on every start.
        model.word.reserve(words);
        model.char.reserve(chars);
        for (n, term) in terms.enumerate() {
            if n < words {
                model.word.push_term(term)?;
            } else {
                model.char.push_term(Term {
                    phrase: false,
                    ..term
                })?;
            }
        }
        model.word.seal();
        Ok(model)
    }

    /// Appends the character-block rows of one word (padded with a space each side, 2–5-grams
    /// as scikit-learn's `_char_wb_ngrams` loops) to `rows`.
    fn char_grams(
        &self,
        word: &str,
        prefixes: &mut Vec<[u64; 5]>,
        rows: &mut Vec<u32>,
    ) -> CachedWord {
        let from = rows.len() as u32;
        let (mut dot, mut norm2) = (0.0, 0.0);
        // The hash of every gram up to five long, from every offset: FNV runs left to right,
        // so a gram's hash extends the one a character shorter (a fifth of the hashing of
        // hashing each gram afresh). `prefixes[o][k]` hashes the `k + 1` characters from `o`.
        prefixes.clear();
        let padded = std::iter::once(' ')
            .chain(word.chars())
            .chain(std::iter::once(' '));
        for c in padded {
            prefixes.push([FNV_OFFSET; 5]);
            let newest = prefixes.len() - 1;
            for back in 0..5.min(prefixes.len()) {
                let o = newest - back;
                let previous = if back == 0 {
                    FNV_OFFSET
                } else {
                    prefixes[o][back - 1]
                };
                prefixes[o][back] = fnv_char(previous, c);
            }
        }
        let len = prefixes.len();
        for n in 2..=5 {
            let mut offset = 0;
            loop {
                let end = (offset + n).min(len);
                let h = prefixes[offset][end - offset - 1];
                if let Some(row) = self.char.term(h) {
                    rows.push(row);
                    let (idf, weight) = self.char.rows[row as usize];
                    dot += idf * weight;
                    norm2 += idf * idf;
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
        CachedWord {
            from,
            to: rows.len() as u32,
            dot,
            norm2,
        }
    }

    /// The probability of the sentence being check-worthy, as the Python side computes it.
    pub fn probability(&self, sentence: &str, scratch: &mut Scratch) -> f64 {
        sigmoid(self.logit(sentence, scratch, false).logit)
    }

    /// The logit, and when `explain` the words that moved it most.
    pub fn logit(&self, sentence: &str, s: &mut Scratch, explain: bool) -> Scoring {
        self.logit_explaining(sentence, s, |_| explain)
    }

    /// The logit, and the words that moved it most when `explain(logit)` holds (a caller
    /// that explains only high scores skips the work for the rest).
    pub fn logit_explaining(
        &self,
        sentence: &str,
        s: &mut Scratch,
        explain: impl FnOnce(f64) -> bool,
    ) -> Scoring {
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
                let row = if n == 0 {
                    self.word.term(h)
                } else {
                    self.word.phrase(h)
                };
                if let Some(row) = row {
                    s.word_rows.push(row);
                    if n == 0 {
                        s.unigrams.push((row, a, b));
                    }
                }
            }
        }

        // Character block: `char_wb`, exactly as scikit-learn loops.
        s.char_rows.clear();
        if s.char_counts.len() != self.char.len() {
            // Another model's scratch: its rows mean nothing here.
            s.char_counts = vec![0; self.char.len()];
            s.char_cache.clear();
            s.char_cache_rows.clear();
        }
        let mut linear = (0.0f64, 0.0f64);
        for word in lower.split(is_py_space).filter(|w| !w.is_empty()) {
            // A word's character grams depend on the word alone: cached per word type, with
            // what they add when none repeats (so most grams' rows are never read).
            let key = fnv(FNV_OFFSET, word.as_bytes());
            let cached = match s.char_cache.get(&key) {
                Some(&cached) => cached,
                None => {
                    if s.char_cache.len() >= CHAR_CACHE_WORDS
                        || s.char_cache_rows.len() >= CHAR_CACHE_ROWS
                    {
                        s.char_cache.clear();
                        s.char_cache_rows.clear();
                    }
                    let cached = self.char_grams(word, &mut s.prefixes, &mut s.char_cache_rows);
                    s.char_cache.insert(key, cached);
                    cached
                }
            };
            linear.0 += cached.dot;
            linear.1 += cached.norm2;
            for at in cached.from..cached.to {
                let row = s.char_cache_rows[at as usize];
                count_row(&mut s.char_rows, &mut s.char_counts, row);
            }
        }
        let (char_dot, char_norm2) =
            self.char
                .correct_repeats(linear, &s.char_rows, &mut s.char_counts);
        let char_share = block_share((char_dot, char_norm2.sqrt()));

        let word = self.word.dot_and_norm(&mut s.word_rows);
        let word_norm = word.1;
        let z = self.bias + block_share(word) + char_share;
        let mut words = Vec::new();
        if word_norm > 0.0 && explain(z) {
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

/// `assets/models/claims.bin`, compiled by the build script (no inflating, no parsing).
static SHIPPED_COMPILED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/claims.compiled"));

/// The model compiled into the binary.
pub static SHIPPED: LazyLock<Model> = LazyLock::new(|| {
    Model::from_compiled(SHIPPED_COMPILED).expect("the bundled claims model loads")
});

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
    fn the_compiled_model_is_the_shipped_file() {
        let from_file =
            Model::from_bytes(include_bytes!("../../../../assets/models/claims.bin")).unwrap();
        assert_eq!(*SHIPPED, from_file);
        assert!(from_file.word.len() > 10_000 && from_file.char.len() > 10_000);
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
