//! Turning a claim into the terms it is matched on.
//!
//! Words are lower-cased, stop words dropped and the rest stemmed (Snowball English), so
//! "received" and "receives" are one term. Figures are read as values, so that the ways one
//! amount is written meet: "$100 million", "100m dollars", "US$100,000,000" and "100 million
//! USD" all give the value term `n100000000` and the currency term `cusd`; "40%" and "40 per
//! cent" give `n40` and `cpct`. Negation ("not", "n't", "never", "no" …) is noted, not indexed:
//! "X did not …" and "X did …" share their words but are opposite claims.
//!
//! Terms are plain ASCII letters and digits, so SQLite's FTS5 tokenizer keeps each one whole and
//! the FTS index and the in-memory index agree.

use std::sync::LazyLock;

use regex::Regex;
use unicode_segmentation::UnicodeSegmentation;

/// Bump when [`analyse`] changes, so that stored terms are computed again.
pub const TERMS_VERSION: u32 = 1;

/// What a term stands for, for "why it matched".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermKind {
    Word,
    /// A word written with a capital inside a sentence (a name, most often).
    Name,
    Figure,
}

/// One term of a text, with the text it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// The normalised form matched on.
    pub key: String,
    /// As written (for figures, the whole expression: "$100 million").
    pub surface: String,
    pub kind: TermKind,
}

/// A text's terms and polarity.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analysed {
    /// In text order, repeats kept.
    pub terms: Vec<Term>,
    /// The text says something is not so ("not", "never", "n't", "no" …).
    pub negated: bool,
}

impl Analysed {
    /// The keys separated by spaces, as stored and indexed.
    pub fn keys(&self) -> String {
        let mut out = String::new();
        for term in &self.terms {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&term.key);
        }
        out
    }
}

const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "according",
    "after",
    "again",
    "against",
    "ago",
    "all",
    "almost",
    "alone",
    "also",
    "am",
    "an",
    "and",
    "any",
    "approximately",
    "are",
    "around",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "cent",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "every",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "least",
    "me",
    "more",
    "most",
    "mr",
    "mrs",
    "ms",
    "my",
    "myself",
    "nearly",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "percent",
    "reportedly",
    "roughly",
    "s",
    "said",
    "same",
    "says",
    "she",
    "should",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Words that make a statement negative. "n't" endings are caught separately.
/// ("nowhere" is left out: "nowhere near $27bn" compares, it does not deny.)
const NEGATORS: &[&str] = &[
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot",
];

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Number words up to a hundred, read as figures ("three" meets "3").
fn number_word(word: &str) -> Option<f64> {
    const UNITS: &[&str] = &[
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: &[&str] = &[
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = UNITS.iter().position(|u| *u == word) {
        return Some(i as f64);
    }
    if let Some(i) = TENS.iter().position(|t| *t == word) {
        return Some(20.0 + 10.0 * i as f64);
    }
    match word {
        "dozen" => Some(12.0),
        "hundred" => Some(100.0),
        _ => None,
    }
}

static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    // currency before, a number (digits or a number word), a scale, a currency or percent after.
    Regex::new(
        r"(?xi)
        (?P<pre>us\$|a\$|c\$|\$|£|€|¥|₹|\b(?:usd|gbp|eur)\s?)?
        (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?
            |\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a|hundreds\ of|tens\ of)\b)
        (?P<scale>\s?(?:thousand|million|billion|trillion)\b|(?:k|m|mn|bn|b|tn)\b)?
        (?P<post>\s?(?:%|per\s?cent\b|percent\b|(?:us\s)?dollars?\b|pounds?\b|euros?\b|usd\b|gbp\b|eur\b|rupees?\b|yen\b))?
        ",
    )
    .expect("a valid figure pattern")
});

fn currency(pre: &str, post: &str) -> Option<&'static str> {
    let pre = pre.trim().to_lowercase();
    let post = post.trim().to_lowercase();
    let of = |s: &str| -> Option<&'static str> {
        match s {
            "$" | "us$" | "usd" | "dollar" | "dollars" | "us dollar" | "us dollars" => Some("usd"),
            "a$" => Some("aud"),
            "c$" => Some("cad"),
            "£" | "gbp" | "pound" | "pounds" => Some("gbp"),
            "€" | "eur" | "euro" | "euros" => Some("eur"),
            "¥" | "yen" => Some("jpy"),
            "₹" | "rupee" | "rupees" => Some("inr"),
            "%" | "per cent" | "percent" | "percent." | "percent," | "per  cent" => Some("pct"),
            s if s.starts_with("per") && s.ends_with("cent") => Some("pct"),
            _ => None,
        }
    };
    of(&pre).or_else(|| of(&post))
}

fn scale(word: &str) -> f64 {
    match word.trim().to_lowercase().as_str() {
        "thousand" | "k" => 1e3,
        "million" | "m" | "mn" => 1e6,
        "billion" | "bn" | "b" => 1e9,
        "trillion" | "tn" => 1e12,
        _ => 1.0,
    }
}

/// A figure value as a term: `n` and the value, a `p` for the decimal point ("n1p5").
fn value_key(value: f64) -> String {
    let rounded = (value * 1000.0).round() / 1000.0;
    let text = if rounded.fract() == 0.0 && rounded.abs() < 1e18 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    };
    format!("n{}", text.replace('.', "p").replace('-', "m"))
}

/// A figure found in a text.
#[derive(Clone, Debug, PartialEq)]
struct Figure {
    start: usize,
    end: usize,
    value: f64,
    currency: Option<&'static str>,
}

fn figures(text: &str) -> Vec<Figure> {
    let mut found = Vec::new();
    for caps in FIGURE.captures_iter(text) {
        let whole = caps.get(0).expect("group 0");
        let num = caps.name("num").map_or("", |m| m.as_str());
        let pre = caps.name("pre").map_or("", |m| m.as_str());
        let post = caps.name("post").map_or("", |m| m.as_str());
        let scale_word = caps.name("scale").map_or("", |m| m.as_str());
        let lower = num.to_lowercase();
        let is_word = lower.chars().next().is_some_and(|c| c.is_alphabetic());
        let base = if is_word {
            match lower.as_str() {
                // "a million", "hundreds of millions" need a scale to be a figure at all.
                "a" => 1.0,
                "hundreds of" => 100.0,
                "tens of" => 10.0,
                other => match number_word(other) {
                    Some(v) => v,
                    None => continue,
                },
            }
        } else {
            match num.replace(',', "").parse::<f64>() {
                Ok(v) => v,
                Err(_) => continue,
            }
        };
        if is_word
            && matches!(lower.as_str(), "a" | "hundreds of" | "tens of")
            && scale_word.is_empty()
        {
            continue;
        }
        // A lone "m" or "b" after a word number is a letter, not a scale ("one m").
        let currency = currency(pre, post);
        let value = base * scale(scale_word);
        // Years stay years: "2020" is a year unless money or a scale is attached.
        found.push(Figure {
            start: whole.start(),
            end: whole.end(),
            value,
            currency,
        });
    }
    found
}

fn stemmer() -> &'static rust_stemmers::Stemmer {
    static STEMMER: LazyLock<rust_stemmers::Stemmer> =
        LazyLock::new(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English));
    &STEMMER
}

/// Folds a word to ASCII letters and digits for its key: accents dropped, other letters kept as
/// their lower-case code points written out (so non-Latin words still match each other).
fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
            'ç' | 'č' | 'ć' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
            'ñ' | 'ń' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
            'ý' | 'ÿ' => 'y',
            'š' | 'ś' => 's',
            'ž' | 'ź' | 'ż' => 'z',
            'ł' => 'l',
            other => other,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!("u{:x}", c as u32));
        }
    }
    out
}

/// The terms and polarity of `text`.
pub fn analyse(text: &str) -> Analysed {
    let figures = figures(text);
    let mut terms = Vec::new();
    let mut negated = false;
    let mut next_figure = 0;
    let mut sentence_start = true;
    for (offset, word) in text.split_word_bound_indices() {
        while next_figure < figures.len() && figures[next_figure].end <= offset {
            next_figure += 1;
        }
        if let Some(figure) = figures.get(next_figure)
            && offset >= figure.start
        {
            if offset == figure.start {
                let surface = text[figure.start..figure.end].trim().to_string();
                terms.push(Term {
                    key: value_key(figure.value),
                    surface: surface.clone(),
                    kind: TermKind::Figure,
                });
                if let Some(currency) = figure.currency {
                    terms.push(Term {
                        key: format!("c{currency}"),
                        surface,
                        kind: TermKind::Figure,
                    });
                }
                sentence_start = false;
            }
            continue;
        }
        let first = word.chars().next().unwrap_or(' ');
        if matches!(word, "." | "!" | "?" | ":" | ";" | "\n") {
            sentence_start = true;
            continue;
        }
        if !first.is_alphanumeric() {
            continue;
        }
        let lower = word.to_lowercase();
        // "didn't" is one word to the segmenter; "n't" makes it negative.
        let (lower, nt) = match lower
            .strip_suffix("n't")
            .or_else(|| lower.strip_suffix("n’t"))
        {
            Some(stem) => (stem.to_string(), true),
            None => (lower, false),
        };
        let lower = lower
            .strip_suffix("'s")
            .or_else(|| lower.strip_suffix("’s"))
            .map(str::to_string)
            .unwrap_or(lower);
        // Stacked negators stay negative ("does not, and never did"), but "without" after a
        // negator cancels it: "Hamas wouldn't be Hamas without Iran's support" says Iran
        // supports Hamas. Alone, "without" denies nothing ("Iran funds Hamas without saying so").
        if nt || NEGATORS.contains(&lower.as_str()) {
            negated = true;
            sentence_start = false;
            continue;
        }
        if negated && lower == "without" {
            negated = false;
            continue;
        }
        let capital = first.is_uppercase() && !sentence_start;
        sentence_start = false;
        if is_stop_word(&lower) || lower == "ca" || lower == "wo" {
            continue;
        }
        let folded = fold(&lower);
        if folded.is_empty() {
            continue;
        }
        let key = if folded.chars().all(|c| c.is_ascii_alphabetic()) {
            stemmer().stem(&folded).into_owned()
        } else {
            folded
        };
        terms.push(Term {
            key,
            surface: word.to_string(),
            kind: if capital {
                TermKind::Name
            } else {
                TermKind::Word
            },
        });
    }
    Analysed { terms, negated }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        analyse(text).terms.into_iter().map(|t| t.key).collect()
    }

    #[test]
    fn stop_words_are_sorted_for_the_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn one_amount_written_several_ways_gives_the_same_terms() {
        let expected = vec!["n100000000".to_string(), "cusd".to_string()];
        for written in [
            "$100 million",
            "100m dollars",
            "US$100,000,000",
            "100 million USD",
            "$100m",
            "100 million dollars",
        ] {
            assert_eq!(keys(written), expected, "{written}");
        }
        assert_eq!(keys("£1.2bn"), keys("1.2 billion pounds"));
        assert_eq!(keys("40%"), keys("40 per cent"));
        assert_eq!(keys("40 percent"), vec!["n40", "cpct"]);
        assert_eq!(keys("three hostages"), keys("3 hostages"));
        assert_eq!(keys("1,400 people"), keys("1400 people"));
        // "a" alone is no figure; "a million" is.
        assert_eq!(keys("a man"), vec!["man"]);
        assert_eq!(keys("a million"), vec!["n1000000"]);
    }

    #[test]
    fn words_are_stemmed_and_negation_is_noted_not_indexed() {
        let plain = analyse("Iran received money from Russia.");
        let negative = analyse("Iran didn't receive money from Russia.");
        assert!(!plain.negated);
        assert!(negative.negated);
        assert_eq!(plain.keys(), negative.keys());
        assert!(analyse("Iran has never funded Hamas").negated);
        assert!(analyse("There is no evidence Iran funded Hamas").negated);
        assert!(!analyse("Iran's funding of Hamas").negated);
        assert!(
            !analyse("Hamas wouldn’t be Hamas without the support it has had from Iran").negated,
            "a double negation affirms"
        );
        assert!(!analyse("Iran funds Hamas without saying so").negated);
        assert!(analyse("Iran does not, and never did, give Hamas money").negated);
        assert!(!analyse("Baikal paid $9.37bn, nowhere near the $27bn owed").negated);
        assert_eq!(keys("Iran's"), vec!["iran"]);
    }

    #[test]
    fn capitalised_words_inside_a_sentence_are_names() {
        let analysed = analyse("The minister met Sergey Lavrov in Moscow. Talks went well.");
        let names: Vec<&str> = analysed
            .terms
            .iter()
            .filter(|t| t.kind == TermKind::Name)
            .map(|t| t.surface.as_str())
            .collect();
        assert_eq!(names, vec!["Sergey", "Lavrov", "Moscow"]);
    }

    #[test]
    fn keys_are_ascii_letters_and_digits() {
        for text in [
            "Zürich’s mayor said 5,000 refugees — “too many” — came in 2015.",
            "Путин заявил, что 40% ...",
            "東京 2020",
        ] {
            for term in analyse(text).terms {
                assert!(
                    term.key.chars().all(|c| c.is_ascii_alphanumeric()),
                    "{}",
                    term.key
                );
            }
        }
    }
}
