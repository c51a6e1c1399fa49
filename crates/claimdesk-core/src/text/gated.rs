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
    let hir = regex_syntax::parse(pattern).map_err(|e| regex::Error::Syntax(e.to_string()))?;
    Ok(unbounded(&hir).to_string())
}

fn unbounded(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            min: rep.min,
            // `?` stays: it adds no copies, and keeping it keeps the gate as tight as it can be.
            max: rep.max.filter(|&max| max <= 1),
            greedy: rep.greedy,
            sub: Box::new(unbounded(&rep.sub)),
        }),
        HirKind::Capture(cap) => Hir::capture(Capture {
            index: cap.index,
            name: cap.name.clone(),
            sub: Box::new(unbounded(&cap.sub)),
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(unbounded).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(unbounded).collect()),
        HirKind::Class(Class::Unicode(class)) => Hir::class(Class::Unicode(coarse(class))),
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

/// One exact pattern, built on first use, behind its gate.
pub struct GatedRegex {
    gate: Regex,
    pattern: String,
    exact: OnceLock<Regex>,
}

impl GatedRegex {
    /// Checks the exact pattern's syntax now; its (costly) build waits for the first line that
    /// passes the gate. The tests build every one ([`GatedRegex::exact`]).
    pub fn new(pattern: &str) -> Result<Self, regex::Error> {
        let pattern = ascii_word_boundaries(pattern);
        Ok(Self {
            gate: Regex::new(&gate_pattern(&pattern)?)?,
            pattern,
            exact: OnceLock::new(),
        })
    }

    /// The exact regex.
    pub fn exact(&self) -> &Regex {
        self.exact.get_or_init(|| {
            // The syntax was checked in `new` and the size limit is covered by the tests that
            // build every gated pattern, so this cannot fail on any input text.
            Regex::new(&self.pattern).expect("gated pattern was checked when it was made")
        })
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.gate.is_match(haystack) && self.exact().is_match(haystack)
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        if self.gate.is_match(haystack) {
            self.exact().find(haystack)
        } else {
            None
        }
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        if self.gate.is_match(haystack) {
            self.exact().captures(haystack)
        } else {
            None
        }
    }
}

/// [`GatedRegex`] for a set of patterns asked only whether any matches.
pub struct GatedRegexSet {
    gate: RegexSet,
    patterns: Vec<String>,
    exact: OnceLock<RegexSet>,
}

impl GatedRegexSet {
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Result<Self, regex::Error> {
        let patterns: Vec<String> = patterns.into_iter().map(ascii_word_boundaries).collect();
        let gates = patterns
            .iter()
            .map(|p| gate_pattern(p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            gate: RegexSet::new(gates)?,
            patterns,
            exact: OnceLock::new(),
        })
    }

    pub fn exact(&self) -> &RegexSet {
        self.exact.get_or_init(|| {
            RegexSet::new(&self.patterns).expect("gated patterns were checked when they were made")
        })
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.gate.is_match(haystack) && self.exact().is_match(haystack)
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
    fn a_bad_pattern_is_refused_when_made_not_when_used() {
        assert!(GatedRegex::new(r"(unclosed").is_err());
        assert!(GatedRegexSet::new([r"fine", r"[z-a]"]).is_err());
    }
}
