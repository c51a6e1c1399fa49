//! Duplicate and near-duplicate detection across an import.
//!
//! Exact duplicates share the hash of their kept text. Near-duplicates (the same story saved twice
//! with different furniture, syndicated copies with small edits) are found with MinHash over word
//! 5-gram shingles and locality-sensitive hashing: signatures of [`HASHES`] values are cut into
//! [`BANDS`] bands, and only articles that share a band bucket are compared — so 10,000 files cost
//! about 10,000 signature computations, not 50 million text comparisons. A candidate counts as a
//! near-duplicate when the estimated Jaccard similarity of the shingle sets is at least
//! [`NEAR_DUPLICATE_JACCARD`].

use std::collections::HashMap;

/// Estimated Jaccard similarity (word 5-grams) from which two articles count as the same story.
pub const NEAR_DUPLICATE_JACCARD: f64 = 0.9;
const SHINGLE_WORDS: usize = 5;
const HASHES: usize = 128;
const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;

/// MinHash signature of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature(Vec<u64>);

/// 64-bit mix (splitmix64 finaliser): cheap, well distributed, stable across runs and machines.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn word_hash(word: &str) -> u64 {
    // FNV-1a over the lower-cased word.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in word.chars().flat_map(char::to_lowercase) {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

impl Signature {
    /// Signature of `text`'s word 5-grams (words: runs of letters and digits, case-folded).
    pub fn of(text: &str) -> Option<Self> {
        let words: Vec<u64> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(word_hash)
            .collect();
        if words.is_empty() {
            return None;
        }
        let mut mins = vec![u64::MAX; HASHES];
        let width = SHINGLE_WORDS.min(words.len());
        for window in words.windows(width) {
            let shingle = window
                .iter()
                .fold(0u64, |acc, &w| mix(acc.rotate_left(17) ^ w));
            for (i, min) in mins.iter_mut().enumerate() {
                let h = mix(shingle ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
                if h < *min {
                    *min = h;
                }
            }
        }
        Some(Self(mins))
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / HASHES as f64
    }

    fn band_keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.0.chunks(ROWS).enumerate().map(|(band, rows)| {
            rows.iter()
                .fold(mix(band as u64 + 1), |acc, &r| mix(acc ^ r))
        })
    }
}

/// What an article duplicates, if anything.
#[derive(Clone, Debug, PartialEq)]
pub enum Duplicate {
    /// Same kept text as the article at this index.
    Exact(usize),
    /// Near-identical text (estimated Jaccard similarity given).
    Near(usize, f64),
}

/// Index of articles seen so far in an import, in import order (first seen is the original).
#[derive(Default)]
pub struct DuplicateIndex {
    by_hash: HashMap<String, usize>,
    buckets: HashMap<u64, Vec<usize>>,
    signatures: Vec<Option<Signature>>,
}

impl DuplicateIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks an article against the ones seen so far. Every article that is not an exact
    /// duplicate is registered under the next number (0, 1, 2 …), near-duplicates included, so a
    /// third copy still finds the family.
    pub fn check(&mut self, hash: &str, signature: Option<Signature>) -> Option<Duplicate> {
        if let Some(&original) = self.by_hash.get(hash) {
            return Some(Duplicate::Exact(original));
        }
        let id = self.signatures.len();
        let mut best: Option<(usize, f64)> = None;
        if let Some(sig) = &signature {
            for key in sig.band_keys() {
                let bucket = self.buckets.entry(key).or_default();
                for &candidate in bucket.iter() {
                    if best.is_some_and(|(b, _)| b == candidate) {
                        continue;
                    }
                    if let Some(other) = &self.signatures[candidate] {
                        let s = sig.similarity(other);
                        if s >= NEAR_DUPLICATE_JACCARD
                            && best.is_none_or(|(b, bs)| s > bs || (s == bs && candidate < b))
                        {
                            best = Some((candidate, s));
                        }
                    }
                }
                bucket.push(id);
            }
        }
        self.by_hash.insert(hash.to_string(), id);
        self.signatures.push(signature);
        best.map(|(original, s)| Duplicate::Near(original, s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(words: usize, seed: usize) -> String {
        (0..words)
            .map(|i| format!("w{}", mix((seed * 1_000_003 + i) as u64) % 5000))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn small_edits_are_near_duplicates_and_different_stories_are_not() {
        let original = story(600, 1);
        let mut edited: Vec<String> = original.split(' ').map(str::to_string).collect();
        edited[300] = "changed".into();
        let edited = edited.join(" ");
        let other = story(600, 2);
        let mut index = DuplicateIndex::new();
        assert_eq!(index.check("a", Signature::of(&original)), None);
        assert_eq!(index.check("c", Signature::of(&other)), None);
        match index.check("b", Signature::of(&edited)) {
            Some(Duplicate::Near(0, s)) => assert!(s >= NEAR_DUPLICATE_JACCARD),
            other => panic!("expected a near-duplicate of 0, got {other:?}"),
        }
        assert_eq!(
            index.check("a", Signature::of(&original)),
            Some(Duplicate::Exact(0))
        );
    }

    #[test]
    fn many_distinct_stories_raise_no_false_alarm() {
        let mut index = DuplicateIndex::new();
        for seed in 0..2000 {
            let text = story(300, seed + 10);
            let hash = seed.to_string();
            assert_eq!(
                index.check(&hash, Signature::of(&text)),
                None,
                "story {seed}"
            );
        }
    }
}
