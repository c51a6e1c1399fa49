//! The statistical name tagger: a greedy left-to-right BIO tagger (averaged perceptron) over
//! hashed features, trained on CoNLL-2003 English train only (see `ner_train.rs` and
//! `claimdesk-dev train-ner`).
//!
//! Tags PER, ORG, LOC and MISC; `entities.rs` maps them to Claimdesk kinds. Features are word
//! forms (lower-cased), affixes, shapes, neighbours, gazetteer hits, document-level casing
//! evidence (is the word seen lower-case / title-case elsewhere in the text: this is what makes
//! ALL-CAPS headlines and lower-case captions work) and the labels the tagger gave the same word
//! earlier in the document, and word classes learnt from unlabelled news
//! (`assets/models/ner-clusters.tsv`, built by `scripts/ner/build_clusters.py`). Feature
//! strings are hashed into `2^bits` rows of one weight per tag; weights are quantised to i16
//! and the table is deflate-compressed in `assets/models/ner.bin`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use super::gazetteer::WORD_FLAGS;

/// Tags as the tagger reports them: O, then B/I for each type (BIO). A model may decide in the
/// finer BILOU scheme ([`Scheme::Bilou`]); [`tag_document`] still returns BIO tags.
pub const TAGS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];
/// Number of BIO tags.
pub const N_TAGS: usize = 9;
/// Largest tag set a model may score (BILOU: O + 4 types x B/I/L/U).
pub const MAX_TAGS: usize = 17;
/// Entity types in tag order (type index t ↔ tags 2t+1, 2t+2).
pub const TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// The tags a model decides between.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// O, B-X, I-X (9 tags).
    Bio,
    /// O, then per type B-X (begin), I-X (inside), L-X (last), U-X (a one-word name): 17 tags.
    Bilou,
}

impl Scheme {
    pub fn n_tags(self) -> usize {
        match self {
            Scheme::Bio => 9,
            Scheme::Bilou => 17,
        }
    }

    /// Entity type index of a tag in this scheme (`None` for O).
    #[inline]
    pub fn type_of(self, tag: u8) -> Option<u8> {
        match (tag, self) {
            (0, _) => None,
            (t, Scheme::Bio) => Some((t - 1) / 2),
            (t, Scheme::Bilou) => Some((t - 1) / 4),
        }
    }

    /// Whether `tag` may follow `prev` (I-X only after B-X or I-X; in BILOU also L-X, and B-X,
    /// I-X must be followed by I-X or L-X).
    #[inline]
    pub fn allowed(self, prev: u8, tag: u8) -> bool {
        match self {
            Scheme::Bio => allowed(prev, tag),
            Scheme::Bilou => {
                let open = prev != 0 && matches!((prev - 1) % 4, 0 | 1);
                if open {
                    tag != 0 && (tag - 1) / 4 == (prev - 1) / 4 && matches!((tag - 1) % 4, 1 | 2)
                } else {
                    tag == 0 || matches!((tag - 1) % 4, 0 | 3)
                }
            }
        }
    }

    /// The BIO tag of a tag in this scheme (L → I, U → B).
    #[inline]
    pub fn to_bio(self, tag: u8) -> u8 {
        match (self, self.type_of(tag)) {
            (_, None) => 0,
            (Scheme::Bio, _) => tag,
            (Scheme::Bilou, Some(t)) => match (tag - 1) % 4 {
                0 | 3 => 2 * t + 1,
                _ => 2 * t + 2,
            },
        }
    }

    /// A sentence's BIO tags in this scheme (for training on BIO-annotated data).
    pub fn from_bio(self, tags: &[u8]) -> Vec<u8> {
        match self {
            Scheme::Bio => tags.to_vec(),
            Scheme::Bilou => (0..tags.len())
                .map(|i| {
                    let tag = tags[i];
                    if tag == 0 {
                        return 0;
                    }
                    let t = (tag - 1) / 2;
                    let continues = tags.get(i + 1) == Some(&(2 * t + 2));
                    let base = 1 + 4 * t;
                    match (tag % 2 == 1, continues) {
                        (true, true) => base,
                        (false, true) => base + 1,
                        (false, false) => base + 2,
                        (true, false) => base + 3,
                    }
                })
                .collect(),
        }
    }
}

/// Feature groups a model may be trained with (recorded in its header, so training and use
/// agree). The base features are always on.
pub mod features {
    /// Word-class ids of the word at each granularity of the cluster table.
    pub const CLUSTERS: u32 = 1;
    /// Word classes of the neighbours (±1) and of the previous tag with the word's class.
    pub const CLUSTER_WINDOW: u32 = 2;
    /// Leave out the exact (case-sensitive) form of the word.
    pub const NO_EXACT: u32 = 4;
    /// Leave out the lower-cased form of the neighbours at ±2 and the p1/n1 word pair.
    pub const NO_FAR_WORDS: u32 = 8;
    /// Word classes at ±2 as well.
    pub const CLUSTER_FAR: u32 = 16;
}

/// Format 3 records the tag scheme, the feature groups, and the hashes of the gazetteer lists
/// and of the word-class table the model was trained with.
const MAGIC: &[u8; 8] = b"CDNER003";
const OLD_MAGICS: [&[u8; 8]; 2] = [b"CDNER001", b"CDNER002"];
/// Length of a hex hash (blake3) in the header.
const HASH_LEN: usize = 64;
/// Magic, bits, tag count, feature groups, two hashes.
const HEADER_LEN: usize = 8 + 4 + 4 + 4 + 2 * HASH_LEN;

/// A token of raw text: byte range and whether it starts a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub sent_start: bool,
}

const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Jr", "Sr", "Inc", "Co", "Corp", "Ltd", "Lt", "Col",
    "Capt", "Prof", "Sen", "Rep", "Gov", "vs", "Sgt", "Maj", "Adm", "No", "Mt", "Ft", "Jan", "Feb",
    "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Bros", "Cos", "Pte", "Rev",
];

/// Splits raw text into word and punctuation tokens, close to the CoNLL/Penn conventions:
/// possessive 's is its own token, abbreviations ("U.S.", "Mr.") and numbers ("1,000", "3.5",
/// "1996-08-30") stay whole, hyphenated words stay whole.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut i = 0;
    let mut sent_start = true;
    let char_at = |i: usize| text[i..].chars().next();
    while i < bytes.len() {
        let c = match char_at(i) {
            Some(c) => c,
            None => break,
        };
        let clen = c.len_utf8();
        if c.is_whitespace() {
            if c == '\n' {
                sent_start = true;
            }
            i += clen;
            continue;
        }
        let start = i;
        if c.is_alphanumeric() {
            let mut j = i + clen;
            let mut has_dot = false;
            while let Some(d) = char_at(j) {
                if d.is_alphanumeric() {
                    j += d.len_utf8();
                    continue;
                }
                // A connector followed by an alphanumeric char continues the word.
                let next = char_at(j + d.len_utf8());
                let next_alnum = next.is_some_and(|n| n.is_alphanumeric());
                if !next_alnum {
                    break;
                }
                let prev = text[..j].chars().next_back().unwrap_or(' ');
                let next = next.unwrap_or(' ');
                let ok = match d {
                    '-' | '&' => true,
                    '\'' | '\u{2019}' => {
                        // Possessive 's / ’s splits off.
                        let possessive = (next == 's' || next == 'S')
                            && !char_at(j + d.len_utf8() + 1).is_some_and(|a| a.is_alphanumeric());
                        !possessive
                    }
                    '.' => {
                        let ok = (prev.is_ascii_digit() && next.is_ascii_digit())
                            // "Gazeta.ru", "amazon.com"
                            || (prev.is_lowercase() && next.is_lowercase())
                            || (prev.is_alphabetic() && next.is_alphabetic() && {
                                // "U.S", "U.N": single letters between dots.
                                let before_prev = text[..j - prev.len_utf8()].chars().next_back();
                                !before_prev.is_some_and(|b| b.is_alphanumeric())
                                    || has_dot
                            });
                        if ok && prev.is_uppercase() {
                            has_dot = true;
                        }
                        ok
                    }
                    ',' | ':' | '/' => prev.is_ascii_digit() && next.is_ascii_digit(),
                    _ => false,
                };
                if !ok {
                    break;
                }
                j += d.len_utf8();
            }
            // Trailing period of an abbreviation or initial.
            if bytes.get(j) == Some(&b'.') {
                let word = &text[start..j];
                let single_initial = word.chars().count() == 1 && c.is_uppercase();
                if has_dot || single_initial || ABBREVIATIONS.contains(&word) {
                    j += 1;
                }
            }
            tokens.push(Token {
                start,
                end: j,
                sent_start,
            });
            sent_start = false;
            i = j;
            continue;
        }
        // Possessive 's.
        if (c == '\'' || c == '\u{2019}')
            && matches!(char_at(i + clen), Some('s') | Some('S'))
            && !char_at(i + clen + 1).is_some_and(|a| a.is_alphanumeric())
            && text[..i]
                .chars()
                .next_back()
                .is_some_and(|p| p.is_alphanumeric())
        {
            tokens.push(Token {
                start,
                end: i + clen + 1,
                sent_start,
            });
            sent_start = false;
            i += clen + 1;
            continue;
        }
        tokens.push(Token {
            start,
            end: i + clen,
            sent_start,
        });
        let ends_sentence = matches!(c, '.' | '!' | '?');
        if ends_sentence {
            sent_start = true;
        } else if !matches!(c, '"' | '\u{201d}' | '\'' | '\u{2019}' | ')') {
            sent_start = false;
        }
        i += clen;
    }
    tokens
}

/// The trained weights.
pub struct Model {
    bits: u32,
    scheme: Scheme,
    features: u32,
    /// `rows * n_tags` quantised weights, little-endian `i16`s as stored: the shipped model's
    /// are read where the binary holds them (no 4.7 MB copy at start-up, nor in memory twice).
    weights: Cow<'static, [u8]>,
    /// Hex hash of the gazetteer lists it was trained with.
    gazetteer: String,
    /// Hex hash of the word-class table it was trained with.
    clusters: String,
}

#[cfg(test)]
static BUILTIN: &[u8] = include_bytes!("../../../../assets/models/ner.bin");
/// `assets/models/ner.bin` inflated by the build script, so no run inflates it.
static BUILTIN_RAW: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ner.raw"));

/// The word-class table (`scripts/ner/build_clusters.py`): lower-cased word, then its cluster id
/// at each granularity, tab-separated; `#` lines are comments.
static CLUSTER_TABLE: &str = include_str!("../../../../assets/models/ner-clusters.tsv");
/// Granularities (columns) in the cluster table.
pub const CLUSTER_LEVELS: usize = 4;

/// A candidate word-class table used instead of the compiled-in one (the developer tool trains
/// and scores with it before it is committed); set before any tagging.
static CLUSTER_OVERRIDE: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();

/// Uses `table` (same format as `assets/models/ner-clusters.tsv`) instead of the compiled-in
/// word classes for the rest of the process. Returns false when tagging has already used a
/// table (then nothing changes).
pub fn use_cluster_table(table: &'static str) -> bool {
    CLUSTER_OVERRIDE.set(table).is_ok()
}

fn cluster_table() -> &'static str {
    CLUSTER_OVERRIDE.get_or_init(|| CLUSTER_TABLE)
}

/// Hash (blake3, hex) of the word-class table in use (the compiled-in one unless the developer
/// tool chose another).
pub static CLUSTER_HASH: LazyLock<String> = LazyLock::new(|| {
    blake3::hash(cluster_table().as_bytes())
        .to_hex()
        .to_string()
});

/// The shipped model, decoded once on first use (`None` if the asset is missing or bad). A
/// model trained with other gazetteer lists or another word-class table is still used, with a
/// warning on stderr (once); the `shipped_model_matches_the_gazetteer` and
/// `shipped_model_matches_the_cluster_table` tests keep the shipped files in step.
pub static MODEL: LazyLock<Option<Model>> = LazyLock::new(|| {
    let model = Model::from_static(BUILTIN_RAW).ok()?;
    for warning in [model.gazetteer_mismatch(), model.clusters_mismatch()]
        .into_iter()
        .flatten()
    {
        eprintln!("claimdesk: warning: {warning}");
    }
    Some(model)
});

fn read_u32(raw: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([raw[at], raw[at + 1], raw[at + 2], raw[at + 3]])
}

impl Model {
    /// Reads a model file (deflate of [`Model::from_raw`]'s bytes).
    pub fn from_bytes(compressed: &[u8]) -> Result<Model, String> {
        Model::from_raw(&super::model_formats::inflate_ner(compressed)?)
    }

    /// Reads a model's inflated bytes (the build script inflates the shipped one).
    pub fn from_raw(raw: &[u8]) -> Result<Model, String> {
        Model::read(raw, |body| Cow::Owned(body.to_vec()))
    }

    /// [`Model::from_raw`] for bytes that live as long as the program: the weights are read
    /// in place.
    fn from_static(raw: &'static [u8]) -> Result<Model, String> {
        Model::read(raw, |_| Cow::Borrowed(&raw[HEADER_LEN..]))
    }

    fn read<'a>(
        raw: &'a [u8],
        weights: impl FnOnce(&'a [u8]) -> Cow<'static, [u8]>,
    ) -> Result<Model, String> {
        if raw.len() >= 8 && OLD_MAGICS.iter().any(|m| &raw[..8] == *m) {
            return Err(
                "an NER model of an older format (it does not record its tag scheme, features and word classes); retrain it".into(),
            );
        }
        if raw.len() < HEADER_LEN || &raw[..8] != MAGIC {
            return Err("not a Claimdesk NER model".into());
        }
        let bits = read_u32(raw, 8);
        let scheme = match read_u32(raw, 12) {
            9 => Scheme::Bio,
            17 => Scheme::Bilou,
            n => return Err(format!("unknown tag count {n}")),
        };
        let features = read_u32(raw, 16);
        let gazetteer = String::from_utf8_lossy(&raw[20..20 + HASH_LEN]).into_owned();
        let clusters = String::from_utf8_lossy(&raw[20 + HASH_LEN..20 + 2 * HASH_LEN]).into_owned();
        let body = &raw[HEADER_LEN..];
        if bits > 24 || body.len() != (1usize << bits) * scheme.n_tags() * 2 {
            return Err("model size does not match its header".into());
        }
        let weights = weights(body);
        Ok(Model {
            bits,
            scheme,
            features,
            weights,
            gazetteer,
            clusters,
        })
    }

    /// Quantises float weights (`2^bits` rows of `scheme.n_tags()`) and serialises them
    /// (compressed), recording the feature groups and the hashes of the gazetteer lists and
    /// word-class table compiled into this build (the ones the weights were trained with).
    pub fn encode(bits: u32, scheme: Scheme, features: u32, weights: &[f32]) -> Vec<u8> {
        use std::io::Write as _;
        assert_eq!(weights.len(), (1usize << bits) * scheme.n_tags());
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs())).max(1e-6);
        let scale = 32767.0 / max;
        let mut raw = Vec::with_capacity(HEADER_LEN + weights.len() * 2);
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&bits.to_le_bytes());
        raw.extend_from_slice(&(scheme.n_tags() as u32).to_le_bytes());
        raw.extend_from_slice(&features.to_le_bytes());
        raw.extend_from_slice(super::gazetteer::HASH.as_bytes());
        raw.extend_from_slice(CLUSTER_HASH.as_bytes());
        for w in weights {
            let q = (w * scale).round().clamp(-32767.0, 32767.0) as i16;
            raw.extend_from_slice(&q.to_le_bytes());
        }
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&raw).expect("in-memory write");
        enc.finish().expect("in-memory write")
    }

    /// Hash of the gazetteer lists the model was trained with.
    pub fn gazetteer_hash(&self) -> &str {
        &self.gazetteer
    }

    /// Hash of the word-class table the model was trained with.
    pub fn clusters_hash(&self) -> &str {
        &self.clusters
    }

    /// A warning when the compiled-in gazetteer is not the one the model was trained with (its
    /// list features then mean something else, and names are found less well).
    pub fn gazetteer_mismatch(&self) -> Option<String> {
        (self.gazetteer != *super::gazetteer::HASH).then(|| {
            format!(
                "the name tagger was trained with other gazetteer lists (hash {}…) than assets/gazetteer/ holds ({}…); retrain it with `claimdesk-dev train-ner`",
                &self.gazetteer[..12.min(self.gazetteer.len())],
                &super::gazetteer::HASH[..12]
            )
        })
    }

    /// A warning when the compiled-in word-class table is not the one the model was trained
    /// with (its cluster ids then name other classes).
    pub fn clusters_mismatch(&self) -> Option<String> {
        (self.features & (features::CLUSTERS | features::CLUSTER_WINDOW) != 0
            && self.clusters != *CLUSTER_HASH)
            .then(|| {
                format!(
                    "the name tagger was trained with another word-class table (hash {}…) than assets/models/ner-clusters.tsv ({}…); retrain it with `claimdesk-dev train-ner`",
                    &self.clusters[..12.min(self.clusters.len())],
                    &CLUSTER_HASH[..12]
                )
            })
    }

    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// Where `feature`'s row of `n_tags` weights (two bytes each) starts in `weights`.
    #[inline]
    fn row_start(&self, feature: u32, n_tags: usize) -> usize {
        (feature as usize & ((1 << self.bits) - 1)) * n_tags * 2
    }
}

/// Weights a tagger scores with: the shipped quantised model, or float weights in training.
pub trait Scorer {
    /// Adds the weights of one feature row to the first `scheme().n_tags()` scores.
    fn add_row(&self, feature: u32, scores: &mut [f32; MAX_TAGS]);
    /// Asks for a feature's row to be brought into cache ahead of [`Scorer::add_row`].
    #[inline]
    fn prefetch(&self, _feature: u32) {}
    fn scheme(&self) -> Scheme;
    /// Feature groups ([`features`]).
    fn features(&self) -> u32;
}

/// A hint to bring `value`'s cache line in. The shipped tagger's rows are scattered over a
/// 4.7 MB table, more than a core's cache, and each token reads ~25 of them: the next token's
/// rows are asked for while the current one is scored.
#[inline]
#[allow(unsafe_code)]
fn prefetch_read<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never reads memory into the program nor faults, and the pointer comes
    // from a live reference.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            (value as *const T).cast::<i8>(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

#[inline]
fn add_fixed<const N: usize>(row: &[u8], scores: &mut [f32; MAX_TAGS]) {
    let row: &[[u8; 2]; N] = row.as_chunks::<2>().0.try_into().expect("row length");
    for (s, w) in scores[..N].iter_mut().zip(row) {
        *s += f32::from(i16::from_le_bytes(*w));
    }
}

impl Scorer for Model {
    #[inline]
    fn add_row(&self, feature: u32, scores: &mut [f32; MAX_TAGS]) {
        match self.scheme {
            Scheme::Bio => {
                let base = self.row_start(feature, 9);
                add_fixed::<9>(&self.weights[base..base + 18], scores);
            }
            Scheme::Bilou => {
                let base = self.row_start(feature, 17);
                add_fixed::<17>(&self.weights[base..base + 34], scores);
            }
        }
    }

    #[inline]
    fn prefetch(&self, feature: u32) {
        prefetch_read(&self.weights[self.row_start(feature, self.scheme.n_tags())]);
    }

    fn scheme(&self) -> Scheme {
        self.scheme
    }

    fn features(&self) -> u32 {
        self.features
    }
}

// ---------------------------------------------------------------------------------------------
// Features

const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
fn mix(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(K)
}

#[inline]
fn hash_str(seed: u64, s: &str) -> u64 {
    let mut h = mix(0xcbf2_9ce4_8422_2325, seed);
    for chunk in s.as_bytes().chunks(8) {
        let mut buf = [0u8; 8];
        buf[..chunk.len()].copy_from_slice(chunk);
        h = mix(h, u64::from_le_bytes(buf));
    }
    mix(h, s.len() as u64)
}

/// Per-token facts computed once.
#[derive(Clone, Debug, Default)]
struct TokenInfo {
    lower: u64,
    exact: u64,
    shape: u64,
    prefixes: [u64; 4],
    suffixes: [u64; 4],
    /// 0 lower-case, 1 title-case, 2 all caps, 3 no letters / mixed.
    case: u8,
    gaz: u16,
    /// Word-class id + 1 at each granularity (0: word not in the table).
    clusters: [u16; CLUSTER_LEVELS],
    len: u8,
    has_digit: bool,
    has_hyphen: bool,
    has_dot: bool,
}

/// Normalised form used for word features: lower-case, digits → 0, curly quotes → straight.
pub fn norm_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    norm_word_into(word, &mut out);
    out
}

fn norm_word_into(word: &str, out: &mut String) {
    out.clear();
    out.extend(word.chars().flat_map(char::to_lowercase).map(|c| match c {
        '0'..='9' => '0',
        '\u{2019}' | '\u{2018}' | '`' => '\'',
        '\u{201c}' | '\u{201d}' => '"',
        '\u{2013}' | '\u{2014}' => '-',
        c => c,
    }));
}

/// A hasher for keys that are already hashes (`hash_str` values).
#[derive(Default, Clone, Copy)]
struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, u64::from(b));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

type HashedMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<PreHashed>>;

/// What is known about a word type before tagging: gazetteer flags and word classes.
#[derive(Clone, Copy, Default)]
struct Lexeme {
    gaz: u16,
    clusters: [u16; CLUSTER_LEVELS],
}

/// Normalised word (as its `lower` hash) → gazetteer flags and word classes: one lookup per
/// token, no allocation.
static LEXICON: LazyLock<HashedMap<Lexeme>> = LazyLock::new(|| {
    let mut map: HashedMap<Lexeme> = HashedMap::default();
    for (word, &flags) in WORD_FLAGS.iter() {
        map.entry(hash_str(1, &norm_word(word))).or_default().gaz |= flags;
    }
    for line in cluster_table().lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let mut parts = line.split('\t');
        let Some(word) = parts.next() else { continue };
        let mut clusters = [0u16; CLUSTER_LEVELS];
        for (c, id) in clusters.iter_mut().zip(parts) {
            *c = id.parse::<u16>().map_or(0, |id| id.saturating_add(1));
        }
        map.entry(hash_str(1, word)).or_default().clusters = clusters;
    }
    map
});

/// The word-class ids (+1; 0 where the word is not in the table) of a word, any case.
pub fn word_classes(word: &str) -> [u16; CLUSTER_LEVELS] {
    LEXICON
        .get(&hash_str(1, &norm_word(word)))
        .map_or([0; CLUSTER_LEVELS], |l| l.clusters)
}

#[cfg(test)]
fn shape(word: &str) -> String {
    let mut out = String::new();
    shape_into(word, &mut out);
    out
}

fn shape_into(word: &str, out: &mut String) {
    out.clear();
    let mut last = '\0';
    let mut run = 0;
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if s == last {
            run += 1;
            if run >= 2 {
                continue;
            }
        } else {
            run = 0;
        }
        last = s;
        out.push(s);
    }
}

fn case_of(word: &str) -> u8 {
    let mut upper = 0;
    let mut lower = 0;
    let mut first_upper = false;
    for (i, c) in word.chars().enumerate() {
        if c.is_uppercase() {
            upper += 1;
            if i == 0 {
                first_upper = true;
            }
        } else if c.is_lowercase() {
            lower += 1;
        }
    }
    match (upper, lower) {
        (0, l) if l > 0 => 0,
        (u, 0) if u > 0 => 2,
        (_, l) if first_upper && l > 0 => 1,
        _ => 3,
    }
}

/// Scratch strings reused across tokens.
#[derive(Default)]
struct Scratch {
    lower: String,
    shape: String,
}

#[cfg(test)]
fn token_info(word: &str) -> TokenInfo {
    token_info_with(word, &mut Scratch::default())
}

fn token_info_with(word: &str, scratch: &mut Scratch) -> TokenInfo {
    norm_word_into(word, &mut scratch.lower);
    shape_into(word, &mut scratch.shape);
    let lower = scratch.lower.as_str();
    let char_count = lower.chars().count();
    let mut prefixes = [0u64; 4];
    let mut suffixes = [0u64; 4];
    // Affixes of 1–4 chars, only for words longer than the affix (no allocation).
    let mut heads = lower.char_indices().map(|(b, _)| b).skip(1);
    let mut tails = lower.char_indices().rev().map(|(b, _)| b);
    for n in 1..=4.min(char_count.saturating_sub(1)) {
        if let (Some(h), Some(t)) = (heads.next(), tails.next()) {
            prefixes[n - 1] = hash_str(100 + n as u64, &lower[..h]);
            suffixes[n - 1] = hash_str(200 + n as u64, &lower[t..]);
        }
    }
    let lower_hash = hash_str(1, lower);
    let lex = LEXICON.get(&lower_hash).copied().unwrap_or_default();
    TokenInfo {
        lower: lower_hash,
        exact: hash_str(9, word),
        shape: hash_str(2, &scratch.shape),
        prefixes,
        suffixes,
        case: case_of(word),
        gaz: lex.gaz,
        clusters: lex.clusters,
        len: char_count.min(12) as u8,
        has_digit: word.bytes().any(|c| c.is_ascii_digit()),
        has_hyphen: word.contains('-'),
        has_dot: word.contains('.'),
    }
}

/// Document-level casing evidence for one lower-cased word.
#[derive(Clone, Copy, Default)]
struct DocCase {
    lower_seen: bool,
    title_seen: bool,
}

/// A document prepared for tagging: sentences of words.
pub struct Document<'a> {
    pub sentences: Vec<Vec<&'a str>>,
}

/// What the tagger needs about a whole document.
struct DocContext {
    infos: Vec<Vec<TokenInfo>>,
    cases: Vec<Vec<DocCase>>,
    /// Per sentence: 0 ordinary casing, 1 ALL CAPS (headline), 2 all lower-case (caption),
    /// 3 Title Case (headline): in 1–3 a capital letter says nothing about names.
    sentence_case: Vec<u8>,
}

/// Words that Title Case headlines leave in lower case ("Minister Paints Iran a Responsible and
/// Balanced …"); any other lower-case word means the line is ordinary prose.
pub const TITLE_CASE_SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "on", "at", "to", "by", "of",
    "in", "up", "as", "vs", "via", "per", "from", "with", "into", "over", "off", "out", "than",
    "is", "'s",
];

static SMALL_WORD_HASHES: LazyLock<Vec<u64>> = LazyLock::new(|| {
    TITLE_CASE_SMALL_WORDS
        .iter()
        .map(|w| hash_str(1, &norm_word(w)))
        .collect()
});

/// 0 ordinary, 1 ALL CAPS, 2 all lower-case, 3 Title Case: see [`DocContext::sentence_case`].
fn sentence_casing(sentence: &[TokenInfo]) -> u8 {
    let lettered = sentence.iter().filter(|t| t.case != 3).count();
    if lettered >= 3 && sentence.iter().all(|t| t.case == 2 || t.case == 3) {
        1
    } else if lettered >= 1 && sentence.iter().all(|t| t.case == 0 || t.case == 3) {
        2
    } else if lettered >= 4
        && sentence.iter().filter(|t| t.case == 1).count() >= 3
        && sentence
            .iter()
            .all(|t| t.case != 0 || SMALL_WORD_HASHES.contains(&t.lower))
    {
        3
    } else {
        0
    }
}

/// Word forms whose facts a thread keeps across documents before it starts afresh (3.7 MB at most).
const KNOWN_WORDS: usize = 14_336;

thread_local! {
    /// Facts about a word form depend on the form alone, so they are computed once per thread,
    /// not once per document: half of an article's words are its first use of the form.
    static KNOWN: std::cell::RefCell<(HashedMap<TokenInfo>, Scratch)> = Default::default();
}

fn doc_context(doc: &Document) -> DocContext {
    let infos: Vec<Vec<TokenInfo>> = KNOWN.with_borrow_mut(|(known, scratch)| {
        doc.sentences
            .iter()
            .map(|s| {
                s.iter()
                    .map(|w| {
                        if known.len() >= KNOWN_WORDS {
                            known.clear();
                        }
                        known
                            .entry(hash_str(9, w))
                            .or_insert_with(|| token_info_with(w, scratch))
                            .clone()
                    })
                    .collect()
            })
            .collect()
    });
    let sentence_case: Vec<u8> = infos.iter().map(|s| sentence_casing(s)).collect();
    let mut seen: HashedMap<DocCase> = HashedMap::default();
    for (s, sent) in infos.iter().enumerate() {
        if sentence_case[s] != 0 {
            continue;
        }
        for (i, t) in sent.iter().enumerate() {
            match t.case {
                0 => seen.entry(t.lower).or_default().lower_seen = true,
                1 if i > 0 => seen.entry(t.lower).or_default().title_seen = true,
                _ => {}
            }
        }
    }
    let cases = infos
        .iter()
        .map(|s| {
            s.iter()
                .map(|t| seen.get(&t.lower).copied().unwrap_or_default())
                .collect()
        })
        .collect();
    DocContext {
        infos,
        cases,
        sentence_case,
    }
}

const PAD: TokenInfo = TokenInfo {
    lower: 0x1111,
    exact: 0x3333,
    shape: 0x2222,
    prefixes: [0; 4],
    suffixes: [0; 4],
    case: 4,
    gaz: 0,
    clusters: [0xffff; CLUSTER_LEVELS],
    len: 0,
    has_digit: false,
    has_hyphen: false,
    has_dot: false,
};

#[inline]
fn feat(template: u64, value: u64) -> u32 {
    (mix(mix(0x5151, template), value) >> 32) as u32
}

/// Features of token `i` that do not depend on earlier tags.
fn static_features(ctx: &DocContext, flags: u32, s: usize, i: usize, out: &mut Vec<u32>) {
    word_features(&ctx.infos[s][i], ctx.cases[s][i], flags, out);
    context_features(ctx, flags, s, i, out);
}

/// The features that depend only on the word itself (and on the document's casing evidence
/// for it, which is the same for every occurrence): one sum of their weights serves every
/// occurrence of the word in a document (see [`tag_document_with`]).
fn word_features(t: &TokenInfo, dc: DocCase, flags: u32, out: &mut Vec<u32>) {
    out.push(feat(0, 0));
    out.push(feat(1, t.lower));
    out.push(feat(2, t.shape));
    for n in 0..4 {
        if t.prefixes[n] != 0 {
            out.push(feat(3, t.prefixes[n]));
            out.push(feat(4, t.suffixes[n]));
        }
    }
    out.push(feat(
        18,
        t.len as u64
            | (t.has_digit as u64) << 8
            | (t.has_hyphen as u64) << 9
            | (t.has_dot as u64) << 10,
    ));
    out.push(feat(
        20,
        mix(t.lower, dc.lower_seen as u64 | (dc.title_seen as u64) << 1),
    ));
    // Gazetteers.
    if t.gaz != 0 {
        out.push(feat(21, t.gaz as u64));
        for bit in 0..11 {
            if t.gaz & (1 << bit) != 0 {
                out.push(feat(22, bit | (t.case as u64) << 8));
            }
        }
    }
    if flags & features::NO_EXACT == 0 {
        out.push(feat(27, t.exact));
    }
    // Word classes from unlabelled news (`ner-clusters.tsv`): what an unseen name's word is
    // like. Conditioned on casing where a class alone is ambiguous (a capitalised word of a
    // class of mostly lower-case words). Nothing for a word missing from the table: the table
    // counts CoNLL train's words too, so "missing" would learn "a rare train word", which is
    // mostly a name, and read "Paints" in a Title Case headline as one.
    if flags & features::CLUSTERS != 0 && t.clusters[0] != 0 {
        for (k, &c) in t.clusters.iter().enumerate() {
            out.push(feat(40 + k as u64, c as u64));
        }
        out.push(feat(44, mix(t.clusters[2] as u64, t.case as u64)));
    }
}

/// The features of token `i` that look at its neighbours, its position or its sentence.
fn context_features(ctx: &DocContext, flags: u32, s: usize, i: usize, out: &mut Vec<u32>) {
    let sent = &ctx.infos[s];
    let get = |j: isize| -> &TokenInfo {
        if j < 0 || j as usize >= sent.len() {
            &PAD
        } else {
            &sent[j as usize]
        }
    };
    let ii = i as isize;
    let t = &sent[i];
    let (p1, p2, n1, n2) = (get(ii - 1), get(ii - 2), get(ii + 1), get(ii + 2));
    let caps = u64::from(ctx.sentence_case[s]);
    let dc = ctx.cases[s][i];
    let first = i == 0;
    out.push(feat(5, p1.lower));
    out.push(feat(6, n1.lower));
    let far_words = flags & features::NO_FAR_WORDS == 0;
    if far_words {
        out.push(feat(7, p2.lower));
        out.push(feat(8, n2.lower));
    }
    out.push(feat(9, p1.shape));
    out.push(feat(10, n1.shape));
    out.push(feat(11, mix(p1.shape, t.shape)));
    out.push(feat(12, mix(t.shape, n1.shape)));
    out.push(feat(13, mix(p1.lower, t.lower)));
    out.push(feat(14, mix(t.lower, n1.lower)));
    out.push(feat(15, mix(p1.lower, t.shape)));
    out.push(feat(16, mix(t.shape, n1.lower)));
    out.push(feat(17, mix(t.case as u64, first as u64 | caps << 1)));
    // Document casing evidence, conditioned on where the token stands.
    let position = first as u64 | caps << 1 | (t.case as u64) << 3;
    out.push(feat(
        19,
        dc.lower_seen as u64 | (dc.title_seen as u64) << 1 | position << 2,
    ));
    if p1.gaz != 0 {
        out.push(feat(23, p1.gaz as u64));
    }
    if n1.gaz != 0 {
        out.push(feat(24, n1.gaz as u64));
    }
    out.push(feat(
        25,
        mix(p1.case as u64, mix(t.case as u64, n1.case as u64)),
    ));
    if caps != 0 {
        out.push(feat(26, mix(t.lower, caps)));
    }
    if first {
        out.push(feat(28, t.lower));
    }
    if far_words {
        out.push(feat(29, mix(p1.lower, n1.lower)));
    }
    if flags & features::CLUSTER_WINDOW != 0 {
        out.push(feat(45, p1.clusters[2] as u64));
        out.push(feat(46, n1.clusters[2] as u64));
        out.push(feat(47, mix(p1.clusters[1] as u64, t.clusters[1] as u64)));
        out.push(feat(48, mix(t.clusters[1] as u64, n1.clusters[1] as u64)));
    }
    if flags & features::CLUSTER_FAR != 0 {
        out.push(feat(49, p2.clusters[1] as u64));
        out.push(feat(50, n2.clusters[1] as u64));
    }
}

/// Features that depend on the two previous tags and on earlier labels of the word.
fn dynamic_features(
    t: &TokenInfo,
    flags: u32,
    prev: u8,
    prev2: u8,
    history: Option<u8>,
    out: &mut Vec<u32>,
) {
    out.push(feat(30, prev as u64));
    out.push(feat(31, prev as u64 | (prev2 as u64) << 8));
    out.push(feat(32, mix(prev as u64, t.lower)));
    out.push(feat(33, mix(prev as u64, t.shape)));
    if let Some(h) = history {
        out.push(feat(34, h as u64 | (t.case as u64) << 8));
    }
    if flags & features::CLUSTER_WINDOW != 0 {
        out.push(feat(35, mix(prev as u64, t.clusters[2] as u64)));
    }
}

/// Whether tag `tag` may follow `prev` (I-X only after B-X or I-X).
#[inline]
pub fn allowed(prev: u8, tag: u8) -> bool {
    tag == 0 || tag % 2 == 1 || (prev != 0 && prev.div_ceil(2) == tag.div_ceil(2))
}

/// Per-document memory of labels given to each word.
#[derive(Default)]
struct History {
    counts: HashedMap<[u16; 4]>,
}

impl History {
    fn get(&self, word: u64) -> Option<u8> {
        let c = self.counts.get(&word)?;
        let (best, n) = c.iter().enumerate().max_by_key(|(_, n)| **n)?;
        (*n > 0).then_some(best as u8)
    }

    fn record(&mut self, infos: &[TokenInfo], tags: &[u8], scheme: Scheme) {
        for (t, &tag) in infos.iter().zip(tags) {
            if let Some(ty) = scheme.type_of(tag)
                && t.case != 0
            {
                self.counts.entry(t.lower).or_default()[ty as usize] += 1;
            }
        }
    }
}

/// What the trainer plugs into the tagger: scoring plus a hook on every decision.
pub trait Learner: Scorer {
    /// Whether the weights change during tagging (then a word's feature sum may not be
    /// reused for its next occurrence).
    const LEARNS: bool = true;
    /// Called after predicting token `i` of sentence `s`, with that token's features.
    fn observe(&mut self, features: &[u32], predicted: u8, s: usize, i: usize);
}

struct Inference<'a, S>(&'a S);

impl<S: Scorer> Scorer for Inference<'_, S> {
    #[inline]
    fn add_row(&self, feature: u32, scores: &mut [f32; MAX_TAGS]) {
        self.0.add_row(feature, scores);
    }
    #[inline]
    fn prefetch(&self, feature: u32) {
        self.0.prefetch(feature);
    }
    fn scheme(&self) -> Scheme {
        self.0.scheme()
    }
    fn features(&self) -> u32 {
        self.0.features()
    }
}

impl<S: Scorer> Learner for Inference<'_, S> {
    const LEARNS: bool = false;
    #[inline]
    fn observe(&mut self, _: &[u32], _: u8, _: usize, _: usize) {}
}

/// Tags a whole document; returns one tag index per word, per sentence.
pub fn tag_document<S: Scorer>(scorer: &S, doc: &Document) -> Vec<Vec<u8>> {
    tag_document_with(&mut Inference(scorer), doc)
}

#[inline]
fn best_tag(scheme: Scheme, prev: u8, scores: &[f32]) -> u8 {
    let mut best = 0u8;
    let mut best_score = f32::NEG_INFINITY;
    for (tag, &score) in scores.iter().enumerate() {
        if scheme.allowed(prev, tag as u8) && score > best_score {
            best_score = score;
            best = tag as u8;
        }
    }
    best
}

/// Tags a document, reporting every decision to `learner` (the trainer updates its weights).
/// Decisions are in the learner's [`Scheme`]; the tags returned are BIO.
pub fn tag_document_with<L: Learner>(learner: &mut L, doc: &Document) -> Vec<Vec<u8>> {
    let ctx = doc_context(doc);
    let scheme = learner.scheme();
    let flags = learner.features();
    let n_tags = scheme.n_tags();
    let mut history = History::default();
    let mut all: Vec<Vec<u8>> = Vec::with_capacity(doc.sentences.len());
    let mut features: Vec<u32> = Vec::with_capacity(64);
    // In use (not training): the summed weights of each word's own features, per exact form,
    // so a repeated word costs only its context and tag features.
    let mut word_scores: HashedMap<[f32; MAX_TAGS]> = HashedMap::default();
    // In use, the next token's context features: computed, and their rows prefetched, while
    // the current token is scored.
    let mut ahead: Vec<u32> = Vec::with_capacity(64);
    for (s, sent) in ctx.infos.iter().enumerate() {
        let mut tags = Vec::with_capacity(sent.len());
        let (mut prev, mut prev2) = (0u8, 0u8);
        if !L::LEARNS && !sent.is_empty() {
            ahead.clear();
            context_features(&ctx, flags, s, 0, &mut ahead);
        }
        for (i, info) in sent.iter().enumerate() {
            features.clear();
            let mut scores = if L::LEARNS {
                static_features(&ctx, flags, s, i, &mut features);
                [0f32; MAX_TAGS]
            } else {
                let key = info.exact;
                *word_scores.entry(key).or_insert_with(|| {
                    let mut own = [0f32; MAX_TAGS];
                    word_features(info, ctx.cases[s][i], flags, &mut features);
                    for &f in &features {
                        learner.add_row(f, &mut own);
                    }
                    features.clear();
                    own
                })
            };
            if !L::LEARNS {
                features.extend_from_slice(&ahead);
                ahead.clear();
                if i + 1 < sent.len() {
                    context_features(&ctx, flags, s, i + 1, &mut ahead);
                    for &f in &ahead {
                        learner.prefetch(f);
                    }
                }
            }
            dynamic_features(
                info,
                flags,
                prev,
                prev2,
                history.get(info.lower),
                &mut features,
            );
            for &f in &features {
                learner.add_row(f, &mut scores);
            }
            let best = best_tag(scheme, prev, &scores[..n_tags]);
            learner.observe(&features, best, s, i);
            tags.push(best);
            prev2 = prev;
            prev = best;
        }
        history.record(sent, &tags, scheme);
        if scheme != Scheme::Bio {
            for t in tags.iter_mut() {
                *t = scheme.to_bio(*t);
            }
        }
        all.push(tags);
    }
    all
}

/// Entity spans `(first word, end word exclusive, type index)` of a BIO tag sequence.
pub fn spans(tags: &[u8]) -> Vec<(usize, usize, u8)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, u8)> = None;
    for (i, &tag) in tags.iter().enumerate() {
        let ty = if tag == 0 { None } else { Some((tag - 1) / 2) };
        let begins = tag % 2 == 1;
        match (current, ty) {
            (Some((start, cty)), Some(t)) if !begins && cty == t => {
                let _ = start;
            }
            _ => {
                if let Some((start, cty)) = current.take() {
                    out.push((start, i, cty));
                }
                if let Some(t) = ty {
                    current = Some((i, t));
                }
            }
        }
    }
    if let Some((start, cty)) = current {
        out.push((start, tags.len(), cty));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    #[test]
    fn sentences_are_classed_by_casing() {
        let class = |text: &str| {
            let infos: Vec<TokenInfo> = words(text).into_iter().map(token_info).collect();
            sentence_casing(&infos)
        };
        assert_eq!(class("Lavrov met Hamas leaders in Moscow on Thursday."), 0);
        assert_eq!(class("LAVROV MEETS HAMAS IN MOSCOW"), 1);
        assert_eq!(class("lavrov meets hamas in moscow"), 2);
        assert_eq!(
            class("Russia’s Minister Paints Iran a Responsible and Balanced Peacekeeper"),
            3
        );
        // Names alone are not a headline: too few words to tell.
        assert_eq!(class("Sergey Lavrov, Moscow."), 0);
    }

    #[test]
    fn tokenizer_follows_conll_conventions() {
        assert_eq!(
            words("Iran’s U.S. envoy, Mr. Smith, paid $1,000.50 on 1996-08-30."),
            vec![
                "Iran",
                "’s",
                "U.S.",
                "envoy",
                ",",
                "Mr.",
                "Smith",
                ",",
                "paid",
                "$",
                "1,000.50",
                "on",
                "1996-08-30",
                "."
            ]
        );
        assert_eq!(
            words("Amir-Abdollahian's talks"),
            vec!["Amir-Abdollahian", "'s", "talks"]
        );
        let toks = tokenize("He left. She came\nNew line");
        let starts: Vec<bool> = toks.iter().map(|t| t.sent_start).collect();
        assert_eq!(starts, vec![true, false, false, true, false, true, false]);
    }

    #[test]
    fn tokenizer_survives_odd_text() {
        for text in [
            "",
            " \n\t ",
            "l’été d’Amir’s café",
            "’s 's ' ’",
            "a.b.c. U.S.A. 1.2.3 x-ray -- —…",
            "e\u{301}\u{301} ß ǅ 𝔘.𝔖. 中文 العربية",
        ] {
            for t in tokenize(text) {
                assert!(
                    t.start < t.end
                        && text.is_char_boundary(t.start)
                        && text.is_char_boundary(t.end)
                );
            }
        }
        assert_eq!(words("l’été"), vec!["l’été"]);
    }

    #[test]
    fn the_inflated_model_is_the_shipped_file() {
        let from_file = Model::from_bytes(BUILTIN).unwrap();
        let model = MODEL.as_ref().expect("the shipped NER model loads");
        assert_eq!(model.weights, from_file.weights);
        assert_eq!(
            (model.bits, model.scheme, model.features),
            (from_file.bits, from_file.scheme, from_file.features)
        );
        assert_eq!(
            model.weights.len(),
            (1 << model.bits) * model.scheme.n_tags() * 2
        );
        // Read in place from the binary, not copied.
        assert!(matches!(model.weights, Cow::Borrowed(_)));
    }

    #[test]
    fn shipped_model_matches_the_gazetteer() {
        let model = MODEL.as_ref().expect("the shipped NER model loads");
        assert_eq!(model.gazetteer_mismatch(), None);
        // A model recording other lists is told apart.
        let mut other = Model::from_bytes(BUILTIN).unwrap();
        other.gazetteer = "0".repeat(HASH_LEN);
        assert!(other.gazetteer_mismatch().unwrap().contains("retrain"));
    }

    #[test]
    fn shipped_model_matches_the_cluster_table() {
        // Every model records the table compiled in when it was trained.
        let model = MODEL.as_ref().expect("the shipped NER model loads");
        assert_eq!(model.clusters_hash(), CLUSTER_HASH.as_str());
        assert_eq!(model.clusters_mismatch(), None);
        // A word-class model recording another table is told apart.
        let mut other = Model::from_bytes(BUILTIN).unwrap();
        other.features |= features::CLUSTERS;
        other.clusters = "0".repeat(HASH_LEN);
        assert!(other.clusters_mismatch().unwrap().contains("retrain"));
    }

    #[test]
    fn word_classes_group_like_words() {
        // Unlabelled news put capitals with capitals and weekdays with weekdays.
        let class = |w: &str| word_classes(w)[3];
        assert_ne!(class("Berlin"), 0);
        assert_eq!(class("Berlin"), class("Lisbon"));
        assert_eq!(class("monday"), class("Thursday"));
        assert_ne!(class("Berlin"), class("Thursday"));
        assert_eq!(word_classes("xqzzyv"), [0; CLUSTER_LEVELS]);
    }

    #[test]
    fn bilou_round_trips_to_bio() {
        let bio = [1u8, 2, 2, 0, 3, 5, 6, 0, 7];
        let bilou = Scheme::Bilou.from_bio(&bio);
        // B-PER I-PER L-PER O U-ORG B-LOC L-LOC O U-MISC
        assert_eq!(bilou, vec![1, 2, 3, 0, 8, 9, 11, 0, 16]);
        let back: Vec<u8> = bilou.iter().map(|&t| Scheme::Bilou.to_bio(t)).collect();
        assert_eq!(back, bio);
        for w in bilou.windows(2) {
            assert!(Scheme::Bilou.allowed(w[0], w[1]), "{w:?}");
        }
        assert!(!Scheme::Bilou.allowed(1, 0));
        assert!(!Scheme::Bilou.allowed(0, 2));
        assert!(!Scheme::Bilou.allowed(3, 2));
        assert_eq!(Scheme::Bio.from_bio(&bio), bio.to_vec());
    }

    #[test]
    fn bio_spans() {
        assert_eq!(
            spans(&[1, 2, 0, 5, 3, 4, 2]),
            vec![(0, 2, 0), (3, 4, 2), (4, 6, 1), (6, 7, 0)]
        );
        assert!(!allowed(0, 2));
        assert!(allowed(1, 2));
        assert!(!allowed(3, 2));
    }

    #[test]
    fn affix_features_hash_the_affix_strings() {
        let t = token_info("Lavrov’s");
        assert_eq!(t.prefixes[1], hash_str(102, "la"));
        assert_eq!(t.suffixes[3], hash_str(204, "ov's"));
        let us = token_info("US");
        assert_eq!(us.prefixes, [hash_str(101, "u"), 0, 0, 0]);
        assert_eq!(us.suffixes[0], hash_str(201, "s"));
        assert_eq!(token_info("a").prefixes, [0; 4]);
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("Lavrov"), "Xxx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("1996-08-30"), "dd-dd-dd");
        assert_eq!(norm_word("Iran’S"), "iran's");
    }
}
