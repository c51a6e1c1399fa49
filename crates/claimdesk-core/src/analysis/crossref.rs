//! Links across articles: the same quote or claim in several articles, the same event, and
//! figures about the same thing that disagree.
//!
//! - Same claim: sentences (or quoted passages) whose normalised word 3-shingles overlap strongly
//!   (Jaccard), in different articles.
//! - Same event: sentences in different articles naming the same calendar day and at least two
//!   of the same actors or places.
//! - Conflicting figures: figure mentions (a number with its qualifier, "more than 200") are typed
//!   by what they count (a measure: killed, injured, hostages, money …, else their head noun) and
//!   by whom or where (victims' nationality, "in <place>", the actors and places of the
//!   sentence). Mentions of the same measure whose subjects overlap, in different articles, with
//!   values that differ (but by less than an order of magnitude) form a conflict. A count of a
//!   qualified subgroup ("23 Thai nationals") is a different quantity from the whole and is never
//!   paired with it; a one-off amount ("during a 2006 visit") is not paired with a yearly one.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde::Serialize;

use super::{ArticleAnalysis, EntityKind, KnownNames};
use crate::corpus::{Article, ArticleId};
use crate::progress::Observer;
use crate::text::{CharIndex, Span};

/// A passage of one article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Passage {
    pub article: ArticleId,
    pub span: Span,
    pub text: String,
}

/// The same claim or quote in several articles.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SameClaim {
    /// Jaccard similarity of word 3-shingles, 0..1.
    pub similarity: f32,
    pub passages: Vec<Passage>,
}

/// The same event reported by several articles.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SameEvent {
    /// The day, e.g. "October 14".
    pub date: String,
    /// Actors and places the passages share (normalised keys).
    pub shared: Vec<String>,
    pub passages: Vec<Passage>,
}

/// One figure as stated in one passage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FigureMention {
    pub passage: Passage,
    /// The figure as written ("more than 200", "$100 million").
    pub figure: String,
    pub value: f64,
}

/// Figures about the same thing that disagree across articles.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FigureConflict {
    /// What is counted ("killed", "hostages", "money" …).
    pub measure: String,
    /// Who or where (normalised keys shared by the mentions).
    pub subject: Vec<String>,
    pub mentions: Vec<FigureMention>,
}

/// One name written more than one way across the articles: a spelling or transliteration
/// ("Sergei"/"Sergey Lavrov"), a surname alone, an acronym, a state title.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spellings {
    /// The form proposed as the entity's name.
    pub name: String,
    pub kind: EntityKind,
    /// Every form (titles and possessives stripped) with how often it is written so; the name
    /// first, then the most frequent.
    pub forms: Vec<(String, usize)>,
    /// Every mention as written, in article order.
    pub mentions: Vec<Passage>,
    /// How many articles mention it.
    pub articles: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CrossRefs {
    pub same_claims: Vec<SameClaim>,
    pub events: Vec<SameEvent>,
    pub conflicts: Vec<FigureConflict>,
    /// Names written more than one way, most widely mentioned first.
    pub spellings: Vec<Spellings>,
}

/// Links a set of analysed articles.
pub fn link(articles: &[(&ArticleId, &Article, &ArticleAnalysis)]) -> CrossRefs {
    let sentences: Vec<Sent> = articles
        .iter()
        .enumerate()
        .flat_map(|(a, (id, article, analysis))| sentences_of(a, id, article, analysis))
        .collect();
    CrossRefs {
        same_claims: same_claims(&sentences),
        events: same_events(&sentences),
        conflicts: conflicts(&sentences),
        spellings: spellings(articles),
    }
}

/// Groups every name mention by the entity it may stand for ([`super::aliases::propose`]) and
/// keeps the groups written more than one way.
fn spellings(articles: &[(&ArticleId, &Article, &ArticleAnalysis)]) -> Vec<Spellings> {
    let mentions: Vec<(usize, &super::EntityMention)> = articles
        .iter()
        .enumerate()
        .flat_map(|(a, (_, _, analysis))| analysis.entities.iter().map(move |m| (a, m)))
        .collect();
    let input: Vec<(&str, EntityKind)> = mentions
        .iter()
        .map(|(_, m)| (m.text.as_str(), m.kind))
        .collect();
    let mut out: Vec<Spellings> = super::aliases::propose(&input)
        .into_iter()
        .filter(|group| !group.aliases.is_empty())
        .map(|group| {
            let mut forms: Vec<(String, usize)> =
                group.forms().map(|form| (form.to_string(), 0)).collect();
            let mut in_articles = BTreeSet::new();
            let mut passages = Vec::with_capacity(group.mentions.len());
            for &i in &group.mentions {
                let (a, mention) = mentions[i];
                let form = super::aliases::normalise_surface(&mention.text, mention.kind);
                if let Some(slot) = forms.iter_mut().find(|(f, _)| *f == form) {
                    slot.1 += 1;
                }
                in_articles.insert(a);
                passages.push(Passage {
                    article: articles[a].0.clone(),
                    span: mention.span,
                    text: mention.text.clone(),
                });
            }
            // The name stays first; the other forms by frequency.
            forms[1..].sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
            Spellings {
                name: group.canonical,
                kind: group.kind,
                forms,
                mentions: passages,
                articles: in_articles.len(),
            }
        })
        .collect();
    out.sort_by(|x, y| {
        (y.articles, y.mentions.len())
            .cmp(&(x.articles, x.mentions.len()))
            .then_with(|| x.name.cmp(&y.name))
    });
    out
}

/// Links every article, first analysing those that come without an analysis (a big corpus
/// takes seconds, so progress is reported per article). `None` when `observer` cancels.
pub fn link_all(
    articles: &[(Arc<Article>, Option<Arc<ArticleAnalysis>>)],
    known: &KnownNames,
    observer: &dyn Observer,
) -> Option<CrossRefs> {
    let total = articles.len();
    let mut analyses = Vec::with_capacity(total);
    for (done, (article, cached)) in articles.iter().enumerate() {
        if observer.cancelled() {
            return None;
        }
        observer.progress(done, total, "Analysing articles");
        analyses.push(match cached {
            Some(analysis) => analysis.clone(),
            None => Arc::new(super::analyze(article, known)),
        });
    }
    // One step that cannot report its own progress (a total of 1 shows no count).
    observer.progress(0, 1, "Linking articles");
    if observer.cancelled() {
        return None;
    }
    let input: Vec<_> = articles
        .iter()
        .zip(&analyses)
        .map(|((article, _), analysis)| (&article.id, article.as_ref(), analysis.as_ref()))
        .collect();
    Some(link(&input))
}

/// A sentence prepared for linking.
struct Sent {
    article: usize,
    id: ArticleId,
    span: Span,
    text: String,
    shingles: BTreeSet<u64>,
    /// Normalised actor and place keys.
    keys: BTreeSet<String>,
    /// Place keys only, with the word before each (to tell "in Gaza" from "near Gaza").
    places: Vec<(String, String, usize)>,
    /// Keys of the previous sentence in the same paragraph (context for bare figures).
    previous_places: Vec<String>,
}

impl Sent {
    fn passage(&self) -> Passage {
        Passage {
            article: self.id.clone(),
            span: self.span,
            text: self.text.clone(),
        }
    }
}

fn sentences_of(
    a: usize,
    id: &ArticleId,
    article: &Article,
    analysis: &ArticleAnalysis,
) -> Vec<Sent> {
    let index = CharIndex::new(&article.text);
    let mut out: Vec<Sent> = Vec::new();
    let mut seen = BTreeSet::new();
    for span in &analysis.sentences {
        let text = index.slice(&article.text, *span).to_string();
        // Captions are often repeated verbatim inside one article; keep the first.
        if !seen.insert(text.clone()) {
            continue;
        }
        let mut keys = BTreeSet::new();
        let mut places = Vec::new();
        for e in analysis
            .entities
            .iter()
            .filter(|e| span.start <= e.span.start && e.span.end <= span.end)
        {
            if !matches!(
                e.kind,
                EntityKind::Person
                    | EntityKind::Org
                    | EntityKind::Gpe
                    | EntityKind::Loc
                    | EntityKind::Norp
            ) {
                continue;
            }
            let key = normalise_name(&e.text);
            if key.is_empty() {
                continue;
            }
            let local = e.span.start - span.start;
            if matches!(e.kind, EntityKind::Gpe | EntityKind::Loc | EntityKind::Norp) {
                let before: String = text.chars().take(local).collect();
                let word = before
                    .split_whitespace()
                    .rev()
                    .find(|w| !w.eq_ignore_ascii_case("the"))
                    .unwrap_or("")
                    .to_lowercase();
                places.push((key.clone(), word, local));
            }
            keys.insert(key);
        }
        let previous_places = out
            .last()
            .filter(|p| {
                // Same paragraph: no line break between the two sentences.
                let between = index.slice(&article.text, Span::new(p.span.end, span.start));
                !between.contains('\n')
            })
            .map(|p| p.places.iter().map(|x| x.0.clone()).collect())
            .unwrap_or_default();
        out.push(Sent {
            article: a,
            id: id.clone(),
            span: *span,
            shingles: shingles(&text),
            text,
            keys,
            places,
            previous_places,
        });
    }
    out
}

/// Demonyms, capitals and variants mapped to one key per country or territory.
const ALIASES: &[(&str, &str)] = &[
    ("israeli", "israel"),
    ("israelis", "israel"),
    ("palestinian", "palestine"),
    ("palestinians", "palestine"),
    ("gaza strip", "gaza"),
    ("iranian", "iran"),
    ("iranians", "iran"),
    ("tehran", "iran"),
    ("islamic republic", "iran"),
    ("islamic republic of iran", "iran"),
    ("russian", "russia"),
    ("russians", "russia"),
    ("moscow", "russia"),
    ("kremlin", "russia"),
    ("american", "united states"),
    ("americans", "united states"),
    ("u.s.", "united states"),
    ("us", "united states"),
    ("usa", "united states"),
    ("washington", "united states"),
    ("qatari", "qatar"),
    ("doha", "qatar"),
    ("thai", "thailand"),
    ("syrian", "syria"),
    ("damascus", "syria"),
    ("lebanese", "lebanon"),
    ("beirut", "lebanon"),
    ("egyptian", "egypt"),
    ("cairo", "egypt"),
    ("ukrainian", "ukraine"),
    ("kyiv", "ukraine"),
    ("chinese", "china"),
    ("beijing", "china"),
    ("british", "united kingdom"),
    ("uk", "united kingdom"),
    ("london", "united kingdom"),
    ("hamas'", "hamas"),
];

/// Which territories a people lives in (victims "Palestinians" match "in Gaza").
const PEOPLE_PLACES: &[(&str, &[&str])] = &[("palestine", &["gaza", "west bank"])];

fn normalise_name(name: &str) -> String {
    let mut s = name.trim().to_lowercase();
    for prefix in ["the "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.to_string();
        }
    }
    for suffix in ["’s", "'s", "’", "'"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.to_string();
        }
    }
    ALIASES
        .iter()
        .find(|(from, _)| *from == s)
        .map_or(s, |(_, to)| (*to).to_string())
}

/// Places a key stands for (itself, plus the territories of a people).
fn expand(key: &str) -> Vec<String> {
    let mut out = vec![key.to_string()];
    if let Some((_, places)) = PEOPLE_PLACES.iter().find(|(k, _)| *k == key) {
        out.extend(places.iter().map(|p| (*p).to_string()));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Same claim or quote

fn norm_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn shingles(text: &str) -> BTreeSet<u64> {
    let words = norm_words(text);
    words
        .windows(3)
        .map(|w| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in w.join(" ").bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
            h
        })
        .collect()
}

fn jaccard(a: &BTreeSet<u64>, b: &BTreeSet<u64>) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count();
    inter as f32 / (a.len() + b.len() - inter) as f32
}

/// Containment: the share of the smaller set found in the larger (a quote inside a longer
/// sentence).
fn containment(a: &BTreeSet<u64>, b: &BTreeSet<u64>) -> f32 {
    let small = a.len().min(b.len());
    if small < 6 {
        return 0.0;
    }
    a.intersection(b).count() as f32 / small as f32
}

fn same_claims(sentences: &[Sent]) -> Vec<SameClaim> {
    let mut out = Vec::new();
    // Inverted index from shingle to sentences keeps this near-linear on big corpora.
    let mut by_shingle: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, s) in sentences.iter().enumerate() {
        for &h in &s.shingles {
            by_shingle.entry(h).or_default().push(i);
        }
    }
    for (i, s) in sentences.iter().enumerate() {
        let mut candidates: BTreeSet<usize> = BTreeSet::new();
        for h in &s.shingles {
            for &j in &by_shingle[h] {
                if j > i && sentences[j].article != s.article {
                    candidates.insert(j);
                }
            }
        }
        for j in candidates {
            let t = &sentences[j];
            let sim =
                jaccard(&s.shingles, &t.shingles).max(containment(&s.shingles, &t.shingles) * 0.9);
            if sim >= 0.5 {
                out.push(SameClaim {
                    similarity: sim,
                    passages: vec![s.passage(), t.passage()],
                });
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Same event

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

static DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)\s+(\d{1,2})\b|\b(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|November|December)\b")
        .expect("valid day regex")
});

/// Calendar days named in a sentence, as (month 1..12, day).
fn days(text: &str) -> Vec<(usize, u32)> {
    DAY.captures_iter(text)
        .filter_map(|c| {
            let (month, day) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
                (Some(m), Some(d), _, _) => (m.as_str(), d.as_str()),
                (_, _, Some(d), Some(m)) => (m.as_str(), d.as_str()),
                _ => return None,
            };
            let m = month.to_lowercase();
            let m = m.trim_end_matches('.');
            let month = MONTHS.iter().position(|name| name.starts_with(m))? + 1;
            let day: u32 = day.parse().ok()?;
            (1..=31).contains(&day).then_some((month, day))
        })
        .collect()
}

fn same_events(sentences: &[Sent]) -> Vec<SameEvent> {
    let mut by_day: HashMap<(usize, u32), Vec<usize>> = HashMap::new();
    for (i, s) in sentences.iter().enumerate() {
        for d in days(&s.text) {
            let v = by_day.entry(d).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        }
    }
    // Sentences that name only a weekday ("held talks Thursday") may report a dated event of
    // another article; they join it on stronger evidence (three shared actors or places).
    let weekday_only: Vec<usize> = sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| s.keys.len() >= 3 && WEEKDAY.is_match(&s.text) && days(&s.text).is_empty())
        .map(|(i, _)| i)
        .collect();
    let mut days_named: Vec<_> = by_day.keys().copied().collect();
    days_named.sort();
    let mut out = Vec::new();
    for day in days_named {
        let dated = by_day[&day].len();
        let members: Vec<usize> = by_day[&day].iter().chain(&weekday_only).copied().collect();
        // Sentences of different articles naming the day and two shared actors or places are
        // linked; each connected group is one event.
        let mut group: Vec<usize> = (0..members.len()).collect();
        let root = |g: &Vec<usize>, mut x: usize| {
            while g[x] != x {
                x = g[x];
            }
            x
        };
        let mut linked = vec![false; members.len()];
        for x in 0..dated {
            for y in x + 1..members.len() {
                let (s, t) = (&sentences[members[x]], &sentences[members[y]]);
                let needed = if y < dated { 2 } else { 3 };
                if s.article != t.article && s.keys.intersection(&t.keys).count() >= needed {
                    let (rx, ry) = (root(&group, x), root(&group, y));
                    group[rx] = ry;
                    linked[x] = true;
                    linked[y] = true;
                }
            }
        }
        let mut components: Vec<(usize, Vec<usize>)> = Vec::new();
        for x in (0..members.len()).filter(|&x| linked[x]) {
            let r = root(&group, x);
            match components.iter_mut().find(|c| c.0 == r) {
                Some(c) => c.1.push(members[x]),
                None => components.push((r, vec![members[x]])),
            }
        }
        for (_, idx) in components {
            // Keys named in at least two of the articles.
            let mut count: HashMap<&String, BTreeSet<usize>> = HashMap::new();
            for &i in &idx {
                for k in &sentences[i].keys {
                    count.entry(k).or_default().insert(sentences[i].article);
                }
            }
            let mut shared: Vec<String> = count
                .into_iter()
                .filter(|(_, arts)| arts.len() >= 2)
                .map(|(k, _)| k.clone())
                .collect();
            shared.sort();
            out.push(SameEvent {
                date: format!("{} {}", capitalise(MONTHS[day.0 - 1]), day.1),
                shared,
                passages: idx.iter().map(|&i| sentences[i].passage()).collect(),
            });
        }
    }
    out
}

static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
        .expect("valid weekday regex")
});

fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Conflicting figures

static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b(more than|less than|fewer than|at least|at most|about|around|roughly|approximately|nearly|almost|over|some|up to|an estimated)\s+)?([$€£]\s?)?\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?)(\s+(?:million|billion|trillion|thousand|hundred)|(?:bn|tn|mn|m|k)\b)?\b")
        .expect("valid figure regex")
});

/// A one-off amount: "during a 2006 visit", "in 2019".
static ONCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:during|in)\s+(?:a\s+|the\s+)?((?:19|20)\d{2})\b").expect("valid regex")
});

/// Measures: what a figure counts, from a word near it.
const MEASURES: &[(&str, &[&str])] = &[
    (
        "killed",
        &[
            "killed",
            "killing",
            "dead",
            "deaths",
            "died",
            "death toll",
            "lives",
        ],
    ),
    ("injured", &["injured", "wounded", "injuring", "wounding"]),
    (
        "hostages",
        &["hostage", "hostages", "abducted", "kidnapped", "captives"],
    ),
    ("arrested", &["arrested", "detained", "prisoners"]),
    ("displaced", &["displaced", "evacuated", "refugees"]),
];

const ANNUAL: &[&str] = &[
    "annually",
    "a year",
    "per year",
    "each year",
    "every year",
    "yearly",
    "per annum",
];

/// Words after a number that are not its head noun.
const FILLER: &[&str] = &[
    "of", "the", "them", "were", "was", "are", "have", "had", "been", "people", "more", "and",
];

#[derive(Clone, Debug)]
struct Figure {
    sentence: usize,
    figure: String,
    value: f64,
    measure: String,
    subject: BTreeSet<String>,
    /// A qualified subgroup ("Thai nationals", "Israeli-Russian hostages").
    subgroup: Option<String>,
    /// Yearly (true), one-off (false) or unknown (None), for money.
    annual: Option<bool>,
    once_year: Option<String>,
    /// For money: the currency as written ("$", "£", "A$"); amounts in different currencies
    /// (often one amount converted: "$900m (£479m)") are never compared.
    currency: Option<String>,
}

fn word_value(w: &str) -> Option<f64> {
    let words = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    words
        .iter()
        .position(|x| x.eq_ignore_ascii_case(w))
        .map(|v| v as f64)
}

fn figures_of(i: usize, s: &Sent) -> Vec<Figure> {
    let text = &s.text;
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    for c in FIGURE.captures_iter(text) {
        let whole = c.get(0).expect("match");
        let number = c.get(3).expect("number").as_str();
        let money = c.get(2).is_some();
        let currency = c.get(2).map(|symbol| {
            // Letters stuck to the symbol name another dollar: "A$8.4bn", "HK$", but "US$" is "$".
            let letters: String = text[..symbol.start()]
                .chars()
                .rev()
                .take_while(char::is_ascii_uppercase)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let symbol = symbol.as_str().trim();
            match letters.as_str() {
                "" | "US" => symbol.to_string(),
                other => format!("{other}{symbol}"),
            }
        });
        let scale_word = c.get(4).map(|m| m.as_str().trim().to_lowercase());
        // Written short ("$9.3bn", "£600m"); without a currency "5,000m" is a distance.
        if !money && matches!(scale_word.as_deref(), Some("m" | "mn" | "k")) {
            continue;
        }
        let scale = scale_word.map_or(1.0, |word| match word.as_str() {
            "million" | "m" | "mn" => 1e6,
            "billion" | "bn" => 1e9,
            "trillion" | "tn" => 1e12,
            "thousand" | "k" => 1e3,
            _ => 1e2,
        });
        let Some(base) = number
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .or_else(|| word_value(number))
        else {
            continue; // "dozens", "hundreds": too vague to compare
        };
        // Years, days of the month and ages are not counts.
        let before = &lower[..whole.start()];
        let after = &lower[whole.end()..];
        let is_year = !money && (1900.0..=2100.0).contains(&base) && !number.contains(',');
        let is_month = |w: &str| {
            let w = w.trim_end_matches('.');
            w.len() >= 3 && MONTHS.iter().any(|m| m.starts_with(w))
        };
        let is_day = !money
            && base <= 31.0
            && (before.split_whitespace().next_back().is_some_and(is_month)
                || after.split_whitespace().next().is_some_and(is_month));
        if is_year || is_day {
            continue;
        }
        // "$900m (£479m)", "1.55bn euros ($2bn; £1.1bn)": a conversion of the amount before
        // the bracket, not a figure of its own.
        if money
            && let Some(open) = before.rfind('(')
            && !before[open..].contains(')')
            && before[..open]
                .trim_end()
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        {
            let head = before[..open].trim_end();
            let amount_before = head.ends_with(|c: char| c.is_ascii_digit())
                || [
                    "m", "bn", "tn", "million", "billion", "euros", "dollars", "pounds", "yen",
                ]
                .iter()
                .any(|unit| head.ends_with(unit));
            if amount_before {
                continue;
            }
        }
        let value = base * scale;
        // Clause window: to the next clause break after, a few words before.
        let after_clause: String = after
            .split(['.', ';', '—', '–', '('])
            .next()
            .unwrap_or("")
            .chars()
            .take(90)
            .collect();
        let before_words: Vec<&str> = before.split_whitespace().rev().take(8).collect();
        let after_words: Vec<&str> = after_clause
            .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
            .filter(|w| !w.is_empty())
            .collect();
        let measure = if money {
            Some("money".to_string())
        } else {
            // The word right after the number says what it counts ("58 people were killed and
            // more than 1,250 were injured"); else a verb just before it ("killing at least 1,400").
            let clean = |w: &&str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
            let after_hit = after_words.iter().take(4).find_map(|w| {
                MEASURES
                    .iter()
                    .find(|(_, words)| words.contains(w))
                    .map(|(m, _)| *m)
            });
            let before_hit = || {
                before_words.iter().take(5).find_map(|w| {
                    let w = clean(w);
                    MEASURES
                        .iter()
                        .find(|(_, words)| words.contains(&w.as_str()))
                        .map(|(m, _)| *m)
                })
            };
            after_hit.or_else(before_hit).map(str::to_string)
        };
        let Some(measure) = measure else { continue };
        // Head noun (first word after the number that is not filler) and a subgroup qualifier.
        let mut subgroup = None;
        let mut head_people: Option<String> = None;
        let original_after: Vec<&str> = text[whole.end()..]
            .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
            .filter(|w| !w.is_empty())
            .take(3)
            .collect();
        if let Some(first) = original_after.first() {
            let key = normalise_name(first);
            let capital = first.chars().next().is_some_and(char::is_uppercase);
            let next_is_noun = original_after.get(1).is_some_and(|w| {
                w.chars().next().is_some_and(char::is_lowercase) && !FILLER.contains(w)
            });
            if capital && next_is_noun {
                // "23 Thai nationals", "eight Israeli-Russian hostages": a qualified subgroup.
                subgroup = Some(key);
            } else if capital {
                // "1,400 Israelis", "5,000 Palestinians": who was counted.
                head_people = Some(key);
            }
        }
        // Subject: who was counted, else "in <place>", else the sentence's places (not those
        // after "near", "from", "to"), else the previous sentence's places.
        let local = |byte: usize| text[..byte].chars().count();
        let fig_at = local(whole.start());
        let mut subject: BTreeSet<String> = BTreeSet::new();
        if let Some(h) = &head_people {
            subject.extend(expand(h));
        } else if let Some(p) = s
            .places
            .iter()
            .filter(|(_, w, at)| w == "in" && at.abs_diff(fig_at) <= 80)
            .min_by_key(|(_, _, at)| at.abs_diff(fig_at))
        {
            subject.insert(p.0.clone());
        } else {
            for (key, word, _) in &s.places {
                if !["near", "from", "to", "toward", "towards", "against", "into"]
                    .contains(&word.as_str())
                {
                    subject.extend(expand(key));
                }
            }
            if subject.is_empty() {
                subject.extend(s.previous_places.iter().flat_map(|k| expand(k)));
            }
        }
        if measure == "money" {
            // Money is about its actors (who gives, who gets).
            subject = s.keys.iter().cloned().collect();
        }
        let annual = if ANNUAL.iter().any(|a| after_clause.contains(a)) {
            Some(true)
        } else {
            None
        };
        let once_year = if annual.is_none() {
            ONCE.captures(&after_clause).map(|c| c[1].to_string())
        } else {
            None
        };
        out.push(Figure {
            sentence: i,
            figure: whole.as_str().trim().to_string(),
            value,
            measure,
            subject,
            subgroup,
            annual,
            once_year,
            currency,
        });
    }
    out
}

fn comparable(a: &Figure, b: &Figure) -> bool {
    if a.measure != b.measure || a.subgroup != b.subgroup || a.currency != b.currency {
        return false;
    }
    if a.once_year != b.once_year && (a.once_year.is_some() || b.once_year.is_some()) {
        return false;
    }
    if a.annual.is_some() && b.annual.is_some() && a.annual != b.annual {
        return false;
    }
    let shared = a.subject.intersection(&b.subject).count();
    let needed = if a.measure == "money" { 2 } else { 1 };
    if shared < needed {
        return false;
    }
    // Figures an order of magnitude apart are about different things.
    let (lo, hi) = if a.value < b.value {
        (a.value, b.value)
    } else {
        (b.value, a.value)
    };
    lo > 0.0 && hi / lo <= 5.0
}

fn differ(a: &Figure, b: &Figure) -> bool {
    (a.value - b.value).abs() > 0.05 * a.value.max(b.value)
}

fn conflicts(sentences: &[Sent]) -> Vec<FigureConflict> {
    let figures: Vec<Figure> = sentences
        .iter()
        .enumerate()
        .flat_map(|(i, s)| figures_of(i, s))
        .collect();
    // Union of comparable pairs from different articles whose values differ; a group then also
    // takes in every comparable mention (agreeing ones show which sources side with which).
    let n = figures.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        p[x] = r;
        r
    }
    let mut conflicting = vec![false; n];
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&figures[i], &figures[j]);
            let art = |f: &Figure| sentences[f.sentence].article;
            if comparable(a, b) {
                if art(a) != art(b) && differ(a, b) {
                    conflicting[i] = true;
                    conflicting[j] = true;
                }
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                parent[ri] = rj;
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut out: Vec<FigureConflict> = groups
        .into_values()
        .filter(|g| g.iter().any(|&i| conflicting[i]))
        .map(|g| {
            let mut subject: Option<BTreeSet<String>> = None;
            for &i in &g {
                subject = Some(match subject {
                    None => figures[i].subject.clone(),
                    Some(s) => {
                        let inter: BTreeSet<String> =
                            s.intersection(&figures[i].subject).cloned().collect();
                        if inter.is_empty() { s } else { inter }
                    }
                });
            }
            FigureConflict {
                measure: figures[g[0]].measure.clone(),
                subject: subject.unwrap_or_default().into_iter().collect(),
                mentions: g
                    .iter()
                    .map(|&i| FigureMention {
                        passage: sentences[figures[i].sentence].passage(),
                        figure: figures[i].figure.clone(),
                        value: figures[i].value,
                    })
                    .collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (
            &a.mentions[0].passage.article,
            a.mentions[0].passage.span.start,
        )
            .cmp(&(
                &b.mentions[0].passage.article,
                b.mentions[0].passage.span.start,
            ))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_names_normalise() {
        assert_eq!(
            days("On Oct. 14 and on 26 October they met."),
            vec![(10, 14), (10, 26)]
        );
        assert_eq!(normalise_name("Israelis"), "israel");
        assert_eq!(normalise_name("the Gaza Strip"), "gaza");
    }

    #[test]
    fn figures_written_short_keep_their_scale() {
        let article = Article::from_text(
            "a.txt",
            "Rosneft bought Yugansk from Yukos for $9.3bn against a £27.5bn tax bill, \
             and Menatep sought $28bn. Fiat got 1.55bn euros ($2bn; £1.1bn) and Yukos a \
             $900m (£479m) loan. Dibaba ran the 5,000m in Moscow.",
        );
        let analysis = super::super::analyze(&article, &KnownNames::default());
        let id: ArticleId = "a.txt".into();
        let figures: Vec<(String, f64)> = sentences_of(0, &id, &article, &analysis)
            .iter()
            .enumerate()
            .flat_map(|(i, s)| figures_of(i, s))
            .map(|f| (f.figure, f.value))
            .collect();
        // The bracketed conversions are left out.
        let expected = [
            ("$9.3bn", 9.3e9),
            ("£27.5bn", 27.5e9),
            ("$28bn", 28e9),
            ("$900m", 9e8),
        ];
        let currencies: Vec<Option<String>> = sentences_of(0, &id, &article, &analysis)
            .iter()
            .enumerate()
            .flat_map(|(i, s)| figures_of(i, s))
            .map(|f| f.currency)
            .collect();
        assert_eq!(
            currencies,
            [
                Some("$".into()),
                Some("£".into()),
                Some("$".into()),
                Some("$".into())
            ]
        );
        assert_eq!(figures.len(), expected.len(), "{figures:?}");
        for ((figure, value), (want, want_value)) in figures.iter().zip(expected) {
            assert_eq!(figure, want);
            assert!((value - want_value).abs() < 1.0, "{figure}: {value}");
        }
    }

    #[test]
    fn linking_everything_reports_each_article_reuses_analyses_and_can_be_stopped() {
        use crate::progress::testing::CancelAfter;
        let mut articles: Vec<Arc<Article>> = crate::corpus::import_paths(
            &[crate::sample::corpus_dir()],
            &crate::corpus::ImportLimits::default(),
            |_, _| true,
        )
        .0
        .into_iter()
        .map(Arc::new)
        .collect();
        articles.sort_by(|a, b| a.path.cmp(&b.path));
        let known = KnownNames::default();
        // The first article comes analysed, as the open one does in the app.
        let first = Arc::new(super::super::analyze(&articles[0], &known));
        let input: Vec<_> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.clone(), (i == 0).then(|| first.clone())))
            .collect();

        let watch = CancelAfter::new(usize::MAX);
        let links = link_all(&input, &known, &watch).expect("not cancelled");
        assert_eq!(
            *watch.seen.borrow(),
            [
                "Analysing articles 0/5",
                "Analysing articles 1/5",
                "Analysing articles 2/5",
                "Analysing articles 3/5",
                "Analysing articles 4/5",
                "Linking articles 0/1",
            ]
        );
        let analyses: Vec<_> = articles
            .iter()
            .map(|a| super::super::analyze(a, &known))
            .collect();
        let direct: Vec<_> = articles
            .iter()
            .zip(&analyses)
            .map(|(a, an)| (&a.id, a.as_ref(), an))
            .collect();
        let direct = link(&direct);
        assert_eq!(links, direct);
        assert!(
            links
                .conflicts
                .iter()
                .any(|c| c.measure.contains("hostage")),
            "the sample's hostage counts disagree: {:?}",
            links
                .conflicts
                .iter()
                .map(|c| &c.measure)
                .collect::<Vec<_>>()
        );

        let lavrov = links
            .spellings
            .iter()
            .find(|g| g.name == "Sergey Lavrov")
            .expect("Lavrov's spellings are grouped");
        let forms: Vec<&str> = lavrov.forms.iter().map(|(f, _)| f.as_str()).collect();
        assert!(
            forms.contains(&"Sergei Lavrov") && forms.contains(&"Lavrov"),
            "{forms:?}"
        );
        assert_eq!(
            lavrov.forms.iter().map(|(_, n)| n).sum::<usize>(),
            lavrov.mentions.len(),
            "every mention counted under one form"
        );
        assert!(lavrov.articles >= 3, "{} articles", lavrov.articles);
        for mention in &lavrov.mentions {
            let article = articles.iter().find(|a| a.id == mention.article).unwrap();
            let written: String = article
                .text
                .chars()
                .skip(mention.span.start)
                .take(mention.span.len())
                .collect();
            assert_eq!(written, mention.text);
        }

        let stop = CancelAfter::new(2);
        assert!(link_all(&input, &known, &stop).is_none());
        assert_eq!(
            stop.seen.borrow().len(),
            2,
            "stopped before the third article"
        );
    }
}
