//! Regexes with bounded repetitions, behind a cheap gate.
//!
//! Why: a bounded repetition of a Unicode class (`[\p{L} .'\-]{0,40}`) compiles to one copy of
//! the class per count. The line-kind patterns ran to 13,000–24,000 NFA states each; building
//! them was half of `analyze`'s start-up and searching them (the lazy DFA kept rebuilding
//! states) a tenth of its time on news. The gate is the same pattern with every bound above one
//! lifted (`{0,40}` becomes `*`): its language contains the exact one, so a line the gate refuses
//! cannot match, and the gate is small and fast. Its Unicode classes are also widened to "the
//! class on ASCII, anything beyond" (still a superset), which keeps them small to build. Nearly every body line is refused by it; the
//! exact pattern is built the first time a line passes and decides, so the bounds still hold.

use std::sync::OnceLock;

use regex::{Captures, Match, Regex, RegexSet};
use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition,
};

use super::ascii_word_boundaries;

/// `pattern`'s gate: the pattern with every repetition's upper bound above one removed.
fn gate_pattern(pattern: &str) -> Result<String, regex::Error> {
    // `?` stays: it adds no copies, and keeping it keeps the gate as tight as it can be.
    rewritten(pattern, |max| max.filter(|&max| max <= 1), coarse)
}

/// `pattern` parsed, each repetition's upper bound passed through `max` and each Unicode class
/// through `class`, and printed again.
fn rewritten(
    pattern: &str,
    max: fn(Option<u32>) -> Option<u32>,
    class: fn(&ClassUnicode) -> ClassUnicode,
) -> Result<String, regex::Error> {
    let hir = regex_syntax::parse(pattern).map_err(|e| regex::Error::Syntax(e.to_string()))?;
    Ok(rewrite(&hir, max, class).to_string())
}

fn rewrite(
    hir: &Hir,
    max: fn(Option<u32>) -> Option<u32>,
    class: fn(&ClassUnicode) -> ClassUnicode,
) -> Hir {
    let again = |sub: &Hir| rewrite(sub, max, class);
    match hir.kind() {
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            min: rep.min,
            max: max(rep.max),
            greedy: rep.greedy,
            sub: Box::new(again(&rep.sub)),
        }),
        HirKind::Capture(cap) => Hir::capture(Capture {
            index: cap.index,
            name: cap.name.clone(),
            sub: Box::new(again(&cap.sub)),
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(again).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(again).collect()),
        HirKind::Class(Class::Unicode(unicode)) => Hir::class(Class::Unicode(class(unicode))),
        _ => hir.clone(),
    }
}

/// `class` exact on ASCII, with everything beyond ASCII let through: a superset, so the gate
/// stays sound, and as tight as before on English text. A Unicode class such as `\p{L}`
/// compiles to hundreds of UTF-8 states (the gates took ~15 ms to build); this to a few.
fn coarse(class: &ClassUnicode) -> ClassUnicode {
    let last_ascii = '\u{7f}';
    if class.ranges().iter().all(|r| r.end() <= last_ascii) {
        return class.clone();
    }
    let mut ranges: Vec<ClassUnicodeRange> = class
        .ranges()
        .iter()
        .filter(|r| r.start() <= last_ascii)
        .map(|r| ClassUnicodeRange::new(r.start(), r.end().min(last_ascii)))
        .collect();
    ranges.push(ClassUnicodeRange::new('\u{80}', char::MAX));
    ClassUnicode::new(ranges)
}

/// `pattern` for haystacks of ASCII alone: every class cut to its ASCII members. On such a
/// haystack it matches exactly where `pattern` does, with the same groups (what it drops could
/// never be used there), and it builds in a fraction of the time: a bounded repetition of a
/// Unicode class is one copy of the whole class per count (the photo-credit pattern took 19 ms
/// to build, ~4% of a run over 1,808 BBC articles for the few lines that pass their gates).
fn ascii_pattern(pattern: &str) -> Result<String, regex::Error> {
    rewritten(
        pattern,
        |max| max,
        |class| {
            let mut ascii = class.clone();
            ascii.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\u{7f}')]));
            ascii
        },
    )
}

/// The two kinds of exact pattern a gate can stand before.
pub trait Engine: Sized {
    fn build(patterns: &[String]) -> Result<Self, regex::Error>;
    fn is_match(&self, haystack: &str) -> bool;
}

impl Engine for Regex {
    fn build(patterns: &[String]) -> Result<Self, regex::Error> {
        Regex::new(&patterns[0])
    }
    fn is_match(&self, haystack: &str) -> bool {
        Regex::is_match(self, haystack)
    }
}

impl Engine for RegexSet {
    fn build(patterns: &[String]) -> Result<Self, regex::Error> {
        RegexSet::new(patterns)
    }
    fn is_match(&self, haystack: &str) -> bool {
        RegexSet::is_match(self, haystack)
    }
}

/// Exact patterns, built on first use, behind their gate: [`GatedRegex`] for one pattern,
/// [`GatedRegexSet`] for a set asked only whether any matches.
pub struct Gated<E> {
    gate: E,
    patterns: Vec<String>,
    exact: OnceLock<E>,
    /// The patterns for ASCII haystacks ([`ascii_pattern`]), and their build.
    ascii_patterns: Vec<String>,
    exact_ascii: OnceLock<E>,
}

/// One pattern behind its gate.
pub type GatedRegex = Gated<Regex>;
/// A set of patterns behind one gate.
pub type GatedRegexSet = Gated<RegexSet>;

impl<E: Engine> Gated<E> {
    /// Checks the exact patterns' syntax now; their (costly) build waits for the first line
    /// that passes the gate. The tests build every one ([`Gated::exact`]).
    fn from_patterns<'a>(
        patterns: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, regex::Error> {
        let patterns: Vec<String> = patterns.into_iter().map(ascii_word_boundaries).collect();
        let gates = patterns
            .iter()
            .map(|p| gate_pattern(p))
            .collect::<Result<Vec<_>, _>>()?;
        let ascii_patterns = patterns
            .iter()
            .map(|p| ascii_pattern(p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            gate: E::build(&gates)?,
            patterns,
            exact: OnceLock::new(),
            ascii_patterns,
            exact_ascii: OnceLock::new(),
        })
    }

    /// The exact pattern(s).
    pub fn exact(&self) -> &E {
        self.exact.get_or_init(|| {
            // The syntax was checked in `from_patterns` and the size limit is covered by the
            // tests that build every gated pattern, so this cannot fail on any input text.
            E::build(&self.patterns).expect("gated pattern was checked when it was made")
        })
    }

    /// The exact pattern(s) for ASCII haystacks.
    pub fn exact_ascii(&self) -> &E {
        self.exact_ascii.get_or_init(|| {
            // Smaller than `exact`, from the same checked syntax: cannot fail either.
            E::build(&self.ascii_patterns).expect("gated pattern was checked when it was made")
        })
    }

    /// The exact pattern(s) when the gate lets `haystack` through, else none can match.
    fn passing(&self, haystack: &str) -> Option<&E> {
        self.gate.is_match(haystack).then(|| {
            if haystack.is_ascii() {
                self.exact_ascii()
            } else {
                self.exact()
            }
        })
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.passing(haystack).is_some_and(|e| e.is_match(haystack))
    }
}

impl Gated<Regex> {
    pub fn new(pattern: &str) -> Result<Self, regex::Error> {
        Self::from_patterns([pattern])
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.passing(haystack)?.find(haystack)
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        self.passing(haystack)?.captures(haystack)
    }
}

impl Gated<RegexSet> {
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Result<Self, regex::Error> {
        Self::from_patterns(patterns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_lifts_bounds_but_keeps_optional_parts_and_the_exact_bounds_still_decide() {
        let gated = GatedRegex::new(r"^(?:[\p{L}' ]{1,5},\s*)?\d{4}\b").expect("valid");
        assert!(gated.gate.as_str().contains('*') || gated.gate.as_str().contains('+'));
        assert!(gated.is_match("Paris, 2023"));
        assert!(gated.is_match("2023 was"));
        // Six letters before the comma: the gate lets it through, the exact bound refuses it.
        assert!(gated.gate.is_match("Moscow, 2023"));
        assert!(!gated.is_match("Moscow, 2023"));
        assert!(!gated.is_match("In 2023"));
        assert_eq!(gated.find("2023-10-26").map(|m| m.end()), Some(4));
        let caps = GatedRegex::new(r"^([\p{L}]{1,5}), (\d{4})$").expect("valid");
        assert_eq!(
            caps.captures("Paris, 2023").map(|c| c[2].to_string()),
            Some("2023".into())
        );
        assert!(caps.captures("Moscow, 2023").is_none());
    }

    #[test]
    fn a_gate_lets_any_non_ascii_letter_through_and_the_exact_pattern_decides() {
        let gated = GatedRegex::new(r"^\p{Lu}{2,}, \d{1,2}$").expect("valid");
        assert!(gated.gate.is_match("ÉÉ, 3"));
        assert!(
            gated.gate.is_match("€€, 3"),
            "the gate is coarse beyond ASCII"
        );
        assert!(!gated.gate.is_match("aa, 3"), "and exact on ASCII");
        assert!(gated.is_match("ÉÉ, 3"));
        assert!(!gated.is_match("€€, 3"));
        assert!(gated.is_match("MOSCOW, 26"));
    }

    #[test]
    fn a_set_matches_when_any_exact_pattern_does() {
        let set = GatedRegexSet::new([r"^By\s+\p{Lu}\p{L}{1,3}$", r"(?i)^source:\s*.{1,5}$"])
            .expect("valid");
        assert!(set.is_match("By Jane"));
        assert!(!set.is_match("By Janet"));
        assert!(set.is_match("Source: AFP"));
        assert!(!set.is_match("Source: Agence France-Presse"));
    }

    #[test]
    fn ascii_haystacks_meet_a_smaller_pattern_that_matches_the_same() {
        let patterns = [
            r"(?i)^[\p{L} .'\-]{0,40}(?:/\s*)?(?:getty images|reuters|afp)(?:\s*/\s*[\p{L} .'\-]{1,40})?\.?$",
            r"(?i)^(?:\p{Lu}[\p{L}'.\-]*\s+){0,3}(?:correspondent|editor)(?:,\s*([\p{L} ]{1,40}))?$",
            r"(?i)^(source|credit)\s*:\s*(\S.{0,20})$",
            r"^([\p{Lu}]{2,}), (\d{1,2})\b",
        ];
        let lines = [
            "Getty Images",
            "Jane Doe/AFP.",
            "AFP via Getty / Some Photographer",
            "BBC Moscow correspondent, Steve Rosenberg",
            "Europe editor",
            "Source: AFP and agencies",
            "SOURCE : a very long credit line well beyond twenty",
            "MOSCOW, 26 (Reuters)",
            "Moscow, 26",
            "",
            "Kelvin source: k",
        ];
        for pattern in patterns {
            let gated = GatedRegex::new(pattern).expect("valid");
            let (full, ascii) = (gated.exact(), gated.exact_ascii());
            for line in lines {
                assert_eq!(full.find(line), ascii.find(line), "{pattern} on {line:?}");
                let groups = |re: &Regex| {
                    re.captures(line)
                        .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect::<Vec<_>>())
                };
                assert_eq!(groups(full), groups(ascii), "{pattern} on {line:?}");
            }
        }
        // Beyond ASCII the full pattern decides: the long s folds to "s" under (?i).
        let source = GatedRegex::new(r"(?i)^source:\s*.{1,5}$").expect("valid");
        assert!(source.is_match("ſource: AFP"));
        assert!(!source.exact_ascii().is_match("ſource: AFP"));
    }

    #[test]
    fn a_bad_pattern_is_refused_when_made_not_when_used() {
        assert!(GatedRegex::new(r"(unclosed").is_err());
        assert!(GatedRegexSet::new([r"fine", r"[z-a]"]).is_err());
    }
}
