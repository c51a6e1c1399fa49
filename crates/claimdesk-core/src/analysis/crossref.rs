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
//!
//! A conflict is two figures for the same quantity, at the same time, from different sources:
//! the same figure reported on different dates (a rising toll) is a [`Timeline`]; two figures
//! of one sentence ("this quarter … a year earlier") are never compared; amounts in different
//! currencies never. Every flag carries its reasons (quantity, time, sources).
//!
//! Scale: identical sentences (a story syndicated to several outlets) are linked once through
//! a hash of their words; shingles are kept in one flat arena and candidate pairs come from a
//! sort, not a map of every shingle, so 10,000 articles link in seconds (`claimdesk bench
//! crossref`: 3.55 s, peak RSS 172 MB for 22 MB of text on 2 cores; the goal is 3× the text.
//! At the peak, by heaptrack: ~22 MB the articles, ~13 MB the sentence table, ~13 MB the
//! passages and their texts, ~6 MB the name mentions, 10–15 MB the regexes' lazy-DFA caches
//! (one per regex per thread), the models, and ~37 MB before any article is read).

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, mpsc};

use regex::Regex;
use serde::Serialize;

use super::{ArticleAnalysis, EntityKind, KnownNames};
use crate::corpus::{Article, ArticleId};
use crate::progress::Observer;
use crate::text::{CharIndex, Span};

/// A passage of one article.
///
/// The article id and the text are shared (`Arc<str>`): linking 10,000 articles yields hundreds
/// of thousands of passages, most of them naming one of a few thousand articles and many the
/// same sentence (a story syndicated to several outlets).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Passage {
    pub article: Arc<str>,
    pub span: Span,
    pub text: Arc<str>,
}

/// The same claim or quote in several articles.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SameClaim {
    /// Jaccard similarity of word 3-shingles, 0..1 (the weakest link of the group; 1 for
    /// sentences with the same words).
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
    /// When it was reported: the article's date, else the latest day the article names (ISO
    /// `2023-10-24`, or `10-15` without a year); `None` when the article gives no clue.
    pub date: Option<String>,
    /// How the date was found ("dateline", "latest day the article names").
    pub date_from: Option<String>,
    /// Who reports it: the speaker the sentence attributes it to, else the article's outlet.
    pub source: String,
}

/// Figures about the same thing that disagree across articles, at the same time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FigureConflict {
    /// What is counted ("killed", "hostages", "money" …).
    pub measure: String,
    /// Who or where (normalised keys shared by the mentions).
    pub subject: Vec<String>,
    pub mentions: Vec<FigureMention>,
    /// Why this is flagged: the quantity, the time and the sources.
    pub reasons: Vec<String>,
}

/// One quantity reported at different dates (a rising death toll): shown as a timeline, not a
/// conflict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Timeline {
    pub measure: String,
    pub subject: Vec<String>,
    /// Oldest first.
    pub points: Vec<FigureMention>,
    pub reasons: Vec<String>,
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
    /// Why the forms are grouped, one line per form after the name.
    pub reasons: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CrossRefs {
    pub same_claims: Vec<SameClaim>,
    pub events: Vec<SameEvent>,
    pub conflicts: Vec<FigureConflict>,
    /// Names written more than one way, most widely mentioned first.
    pub spellings: Vec<Spellings>,
    /// Quantities reported at several dates (not conflicts).
    pub timelines: Vec<Timeline>,
}

impl CrossRefs {
    /// Counts for a summary line.
    pub fn counts(&self) -> String {
        format!(
            "same_claims={} events={} conflicts={} timelines={} spellings={}",
            self.same_claims.len(),
            self.events.len(),
            self.conflicts.len(),
            self.timelines.len(),
            self.spellings.len()
        )
    }
}

/// Links a set of analysed articles.
pub fn link(articles: &[(&ArticleId, &Article, &ArticleAnalysis)]) -> CrossRefs {
    let mut linker = Linker::default();
    for (id, article, analysis) in articles {
        linker.add_analysed(id, article, analysis);
    }
    let texts: Vec<&Article> = articles.iter().map(|(_, a, _)| *a).collect();
    linker.finish(&texts)
}

/// Links every article, first reading those that come without an analysis ([`super::read`]:
/// sentences, entities, speakers; claims are not scored, as linking never reads scores). A big
/// corpus takes seconds, so progress is reported per article. What is read here is dropped as
/// soon as the linker has taken what it needs. `None` when `observer` cancels.
pub fn link_all(
    articles: &[(Arc<Article>, Option<Arc<ArticleAnalysis>>)],
    known: &KnownNames,
    observer: &dyn Observer,
) -> Option<CrossRefs> {
    let total = articles.len();
    let mut linker = Linker::default();
    // Articles without an analysis are read on every core by workers that live for the
    // whole run: each regex keeps one lazy-DFA cache per thread that used it, so threads spawned
    // afresh per batch left a new set of caches behind each time (about a third of the peak
    // memory on 2,000 articles, by massif). The linker takes the readings in article order, so
    // the result does not depend on the number of threads.
    let missing: Vec<usize> = (0..total).filter(|&i| articles[i].1.is_none()).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(8)
        .min(missing.len().max(1));
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let finished = std::thread::scope(|scope| {
        // Bounded, so analyses never pile up far ahead of the linker.
        let (results, received) = mpsc::sync_channel::<(usize, super::Reading)>(4 * threads);
        if !missing.is_empty() {
            for _ in 0..threads {
                let results = results.clone();
                let (missing, next, stop) = (&missing, &next, &stop);
                scope.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let Some(&i) = missing.get(next.fetch_add(1, Ordering::Relaxed)) else {
                            break;
                        };
                        // Linking reads sentences, names and speakers, never claim scores:
                        // nor does it pay for them (a quarter of the analysis, and the cue
                        // set's lazy-DFA cache, 4 MB a thread for as long as the process).
                        let reading = super::read(&articles[i].0, known);
                        if results.send((i, reading)).is_err() {
                            break;
                        }
                    }
                });
            }
        }
        drop(results);
        // Analyses that arrived before an earlier article's.
        let mut waiting: HashMap<usize, super::Reading> = HashMap::new();
        for (i, (article, cached)) in articles.iter().enumerate() {
            if observer.cancelled() {
                stop.store(true, Ordering::Relaxed);
                return false;
            }
            observer.progress(i, total, "Analysing articles");
            if let Some(analysis) = cached {
                linker.add_analysed(&article.id, article, analysis);
                continue;
            }
            let reading = loop {
                if let Some(reading) = waiting.remove(&i) {
                    break reading;
                }
                let (j, reading) = received
                    .recv()
                    .expect("a worker reads every article without an analysis");
                waiting.insert(j, reading);
            };
            linker.add(
                &article.id,
                article,
                &reading.sentences,
                &reading.entities,
                |k| reading.speakers.get(k).and_then(Option::as_deref),
            );
        }
        true
    });
    if !finished {
        return None;
    }
    // One step that cannot report its own progress (a total of 1 shows no count).
    observer.progress(0, 1, "Linking articles");
    if observer.cancelled() {
        return None;
    }
    let texts: Vec<&Article> = articles.iter().map(|(a, _)| a.as_ref()).collect();
    Some(linker.finish(&texts))
}

/// A sentence as the linker keeps it: where it is, and compact keys.
struct Sent {
    article: u32,
    span: Span,
    /// Byte range in the article text.
    bytes: (u32, u32),
    /// Hash of the sentence's words: sentences with the same words share it.
    words_hash: u64,
    /// Interned actor and place keys, sorted: a range of [`Linker::key_arena`] (one flat
    /// arena, not a vector per sentence: a 10,000-article corpus has ~200,000 sentences).
    keys: (u32, u32),
    /// Days named ((month, day)): a range of [`Linker::day_arena`].
    days: (u32, u32),
    /// A weekday named without a date.
    weekday_only: bool,
    /// The speaker the analysis attributes the sentence to.
    claimant: Option<u32>,
}

/// When an article was written, as far as it tells.
#[derive(Clone, Debug, PartialEq)]
struct ArticleTime {
    year: Option<i32>,
    month: u8,
    day: u8,
    from: &'static str,
}

impl ArticleTime {
    fn label(&self) -> String {
        match self.year {
            Some(y) => format!("{y:04}-{:02}-{:02}", self.month, self.day),
            None => format!("{:02}-{:02}", self.month, self.day),
        }
    }

    /// Days apart, when comparable (a missing year is taken as the other's).
    fn days_apart(&self, other: &ArticleTime) -> i64 {
        let y = |t: &ArticleTime, o: &ArticleTime| t.year.or(o.year).unwrap_or(2000);
        let day_number = |year: i32, month: u8, day: u8| {
            chrono::NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))
                .map_or(0, |d| i64::from(chrono::Datelike::num_days_from_ce(&d)))
        };
        (day_number(y(self, other), self.month, self.day)
            - day_number(y(other, self), other.month, other.day))
        .abs()
    }
}

struct ArticleInfo {
    id: Arc<str>,
    time: Option<ArticleTime>,
    outlet: String,
}

/// Accumulates what linking needs, article by article, without keeping the analyses.
#[derive(Default)]
struct Linker {
    articles: Vec<ArticleInfo>,
    sentences: Vec<Sent>,
    key_arena: Vec<u32>,
    day_arena: Vec<(u8, u8)>,
    figures: Vec<Figure>,
    keys: Interner,
    claimants: Interner,
    /// Name mentions for spellings.
    mentions: Vec<NameMention>,
    /// Sentence texts already handed out (see [`Linker::shared_text`]).
    texts: std::cell::RefCell<std::collections::HashSet<Arc<str>>>,
    forms: Interner,
}

/// One name mention, compact (there are ~50 per article).
#[derive(Clone, Copy)]
struct NameMention {
    article: u32,
    start: u32,
    end: u32,
    form: u32,
    kind: EntityKind,
}

#[derive(Default)]
/// One shared copy of each distinct name, handed out by number.
struct Interner {
    ids: HashMap<Arc<str>, u32>,
    names: Vec<Arc<str>>,
}

impl Interner {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        let shared: Arc<str> = Arc::from(name);
        self.ids.insert(shared.clone(), id);
        self.names.push(shared);
        id
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// The name itself, for a passage that quotes it.
    fn shared(&self, id: u32) -> Arc<str> {
        self.names[id as usize].clone()
    }
}

/// The latest calendar day an article names, as a stand-in for its date.
fn article_time(article: &Article) -> Option<ArticleTime> {
    if let Some(date) = article.meta.date.as_deref()
        && let Ok(d) = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
    {
        return Some(ArticleTime {
            year: Some(chrono::Datelike::year(&d)),
            month: chrono::Datelike::month(&d) as u8,
            day: chrono::Datelike::day(&d) as u8,
            from: "the article's date",
        });
    }
    days(&article.text)
        .into_iter()
        .max()
        .map(|(month, day)| ArticleTime {
            year: None,
            month: month as u8,
            day: day as u8,
            from: "the latest day the article names",
        })
}

impl Linker {
    /// [`Linker::add`] for an article the app has already analysed.
    fn add_analysed(&mut self, id: &ArticleId, article: &Article, analysis: &ArticleAnalysis) {
        self.add(id, article, &analysis.sentences, &analysis.entities, |k| {
            analysis
                .claims
                .get(k)
                .filter(|c| c.span == analysis.sentences[k])
                .and_then(|c| c.claimant.as_deref())
        });
    }

    /// Takes what linking needs of one article: its sentences, its entities (sorted by
    /// position) and the speaker of sentence `k`.
    fn add<'a>(
        &mut self,
        id: &ArticleId,
        article: &Article,
        sentences: &[Span],
        entities: &[super::EntityMention],
        speaker: impl Fn(usize) -> Option<&'a str>,
    ) {
        let a = self.articles.len() as u32;
        self.articles.push(ArticleInfo {
            id: Arc::from(id.as_str()),
            time: article_time(article),
            outlet: article
                .meta
                .source
                .clone()
                .unwrap_or_else(|| id.to_string()),
        });
        for m in entities {
            if matches!(
                m.kind,
                EntityKind::Person
                    | EntityKind::Org
                    | EntityKind::Gpe
                    | EntityKind::Loc
                    | EntityKind::Norp
                    | EntityKind::Event
            ) {
                let form = self.forms.id(&m.text);
                self.mentions.push(NameMention {
                    article: a,
                    start: m.span.start as u32,
                    end: m.span.end as u32,
                    form,
                    kind: m.kind,
                });
            }
        }
        let index = CharIndex::new(&article.text);
        let mut seen: BTreeSet<u64> = BTreeSet::new();
        // Entities are sorted by position: walk them with the sentences.
        let mut e0 = 0usize;
        let mut previous: Option<(Span, Vec<String>)> = None;
        for (k, span) in sentences.iter().enumerate() {
            let start = index.byte_of(&article.text, span.start);
            let end = index.byte_of(&article.text, span.end);
            let text = &article.text[start..end];
            let words_hash = words_hash(text);
            // Captions are often repeated verbatim inside one article; keep the first.
            if !seen.insert(words_hash) {
                continue;
            }
            while e0 < entities.len() && entities[e0].span.start < span.start {
                e0 += 1;
            }
            let mut keys = BTreeSet::new();
            let mut places = Vec::new();
            for e in entities[e0..]
                .iter()
                .take_while(|e| e.span.start < span.end)
                .filter(|e| e.span.end <= span.end)
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
            let previous_places = previous
                .as_ref()
                .filter(|(p, _)| {
                    // Same paragraph: no line break between the two sentences.
                    !index
                        .slice(&article.text, Span::new(p.end, span.start))
                        .contains('\n')
                })
                .map(|(_, places)| places.clone())
                .unwrap_or_default();
            let claimant = speaker(k).map(|c| self.claimants.id(c));
            let draft = Draft {
                text,
                keys: &keys,
                places: &places,
                previous_places: &previous_places,
            };
            let sentence = self.sentences.len();
            let found = figures_of(sentence, &draft);
            // Two figures of the same quantity in one sentence are figures at different times
            // or of different groups ("$5bn this quarter, up from $3bn a year earlier"): which
            // is which is not known, so neither is compared with anything.
            for f in &found {
                let twins = found
                    .iter()
                    .filter(|g| g.measure == f.measure && g.currency == f.currency)
                    .count();
                self.figures.push(Figure {
                    shares_sentence: twins > 1,
                    ..f.clone()
                });
            }
            let sentence_days = days(text);
            previous = Some((*span, places.into_iter().map(|p| p.0).collect()));
            let key_start = self.key_arena.len();
            for k in &keys {
                let id = self.keys.id(k);
                self.key_arena.push(id);
            }
            self.key_arena[key_start..].sort_unstable();
            let day_start = self.day_arena.len();
            self.day_arena
                .extend(sentence_days.iter().map(|&(m, d)| (m as u8, d as u8)));
            self.sentences.push(Sent {
                article: a,
                span: *span,
                bytes: (start as u32, end as u32),
                words_hash,
                weekday_only: sentence_days.is_empty() && WEEKDAY.is_match(text),
                days: (day_start as u32, self.day_arena.len() as u32),
                keys: (key_start as u32, self.key_arena.len() as u32),
                claimant,
            });
        }
    }

    fn keys_of(&self, s: &Sent) -> &[u32] {
        &self.key_arena[s.keys.0 as usize..s.keys.1 as usize]
    }

    fn days_of(&self, s: &Sent) -> &[(u8, u8)] {
        &self.day_arena[s.days.0 as usize..s.days.1 as usize]
    }

    fn text<'a>(&self, articles: &[&'a Article], s: &Sent) -> &'a str {
        &articles[s.article as usize].text[s.bytes.0 as usize..s.bytes.1 as usize]
    }

    fn passage(&self, articles: &[&Article], i: usize) -> Passage {
        let s = &self.sentences[i];
        Passage {
            article: self.articles[s.article as usize].id.clone(),
            span: s.span,
            text: self.shared_text(self.text(articles, s)),
        }
    }

    /// One allocation per distinct sentence text, however many passages quote it.
    fn shared_text(&self, text: &str) -> Arc<str> {
        let mut pool = self.texts.borrow_mut();
        if let Some(shared) = pool.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(text);
        pool.insert(shared.clone());
        shared
    }

    fn finish(mut self, articles: &[&Article]) -> CrossRefs {
        // The vectors grew by doubling; the results are built beside them.
        self.sentences.shrink_to_fit();
        self.mentions.shrink_to_fit();
        self.figures.shrink_to_fit();
        self.key_arena.shrink_to_fit();
        self.day_arena.shrink_to_fit();
        // Spellings first: grouping every name mention is the largest transient (~17 MB on
        // 10,000 articles), and done before the other results exist it does not add to them.
        let spellings = self.spellings(articles);
        let same_claims = self.same_claims(articles);
        let events = self.same_events(articles);
        let (conflicts, timelines) = self.conflicts(articles);
        CrossRefs {
            same_claims,
            events,
            conflicts,
            spellings,
            timelines,
        }
    }
}

/// The working text of a sentence while its figures are read.
struct Draft<'a> {
    text: &'a str,
    keys: &'a BTreeSet<String>,
    places: &'a [(String, String, usize)],
    previous_places: &'a [String],
}

fn words_hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        for c in w.chars().flat_map(char::to_lowercase) {
            let mut buf = [0u8; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h ^= 0x20;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Union-find over indices.
struct Groups(Vec<u32>);

impl Groups {
    fn new(n: usize) -> Self {
        Groups((0..n as u32).collect())
    }
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] as usize != r {
            r = self.0[r] as usize;
        }
        let mut x = x;
        while self.0[x] as usize != r {
            let next = self.0[x] as usize;
            self.0[x] = r as u32;
            x = next;
        }
        r
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb) as u32;
        }
    }
}

impl Linker {
    /// Groups every name mention by the entity it may stand for ([`super::aliases::propose`])
    /// and keeps the groups written more than one way.
    fn spellings(&self, articles: &[&Article]) -> Vec<Spellings> {
        // One entry per mention (the most frequent form names the group), as borrowed text.
        let input: Vec<(&str, EntityKind)> = self
            .mentions
            .iter()
            .map(|m| (self.forms.name(m.form), m.kind))
            .collect();
        let mut out: Vec<Spellings> = super::aliases::propose(&input)
            .into_iter()
            .filter(|group| !group.aliases.is_empty())
            .map(|group| {
                let mut forms: Vec<(String, usize)> =
                    group.forms().map(|form| (form.to_string(), 0)).collect();
                let mut in_articles = BTreeSet::new();
                let mut all: Vec<usize> = group.mentions.clone();
                all.sort_unstable();
                let mut passages = Vec::with_capacity(all.len());
                for m in all {
                    let m = self.mentions[m];
                    let text = self.forms.name(m.form);
                    let normal = super::aliases::normalise_surface(text, m.kind);
                    if let Some(slot) = forms.iter_mut().find(|(f, _)| *f == normal) {
                        slot.1 += 1;
                    }
                    in_articles.insert(m.article);
                    passages.push(Passage {
                        article: self.articles[m.article as usize].id.clone(),
                        span: Span::new(m.start as usize, m.end as usize),
                        // The form as written: already one shared copy in the interner.
                        text: self.forms.shared(m.form),
                    });
                }
                let _ = articles;
                // The name stays first; the other forms by frequency.
                forms[1..].sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
                let reasons = forms[1..]
                    .iter()
                    .map(|(f, _)| {
                        format!(
                            "“{f}”: {}",
                            super::aliases::why_grouped(&group.canonical, f)
                        )
                    })
                    .collect();
                Spellings {
                    name: group.canonical,
                    kind: group.kind,
                    forms,
                    mentions: passages,
                    articles: in_articles.len(),
                    reasons,
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

fn shingles(text: &str, out: &mut Vec<u32>) {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let start = out.len();
    for w in words.windows(3) {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in w.join(" ").bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        out.push((h ^ (h >> 32)) as u32);
    }
    out[start..].sort_unstable();
    let mut kept = start;
    for i in start..out.len() {
        if i == start || out[i] != out[kept - 1] {
            out[kept] = out[i];
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// Shingles shared by more sentences than this are common phrases ("said on Monday that"):
/// they still count in the similarity, but do not propose candidates.
const MAX_SHINGLE_BUCKET: usize = 64;

impl Linker {
    fn same_claims(&self, articles: &[&Article]) -> Vec<SameClaim> {
        let n = self.sentences.len();
        let mut groups = Groups::new(n);
        // Sentences with the same words: one representative each.
        let mut by_words: HashMap<u64, usize> = HashMap::new();
        let mut reps: Vec<usize> = Vec::new();
        for (i, s) in self.sentences.iter().enumerate() {
            match by_words.entry(s.words_hash) {
                std::collections::hash_map::Entry::Occupied(first) => groups.union(*first.get(), i),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(i);
                    reps.push(i);
                }
            }
        }
        drop(by_words);
        // Shingles of the representatives in one arena.
        let mut arena: Vec<u32> = Vec::new();
        let mut offsets: Vec<(u32, u32)> = Vec::with_capacity(reps.len());
        for &i in &reps {
            let start = arena.len();
            shingles(self.text(articles, &self.sentences[i]), &mut arena);
            offsets.push((start as u32, arena.len() as u32));
        }
        let mut postings: Vec<(u32, u32)> = Vec::with_capacity(arena.len());
        for (r, &(a, b)) in offsets.iter().enumerate() {
            postings.extend(arena[a as usize..b as usize].iter().map(|&h| (h, r as u32)));
        }
        postings.sort_unstable();
        // Shared-shingle counts of candidate pairs.
        let mut shared: HashMap<(u32, u32), u16> = HashMap::new();
        let mut k = 0;
        while k < postings.len() {
            let mut j = k + 1;
            while j < postings.len() && postings[j].0 == postings[k].0 {
                j += 1;
            }
            if j - k <= MAX_SHINGLE_BUCKET {
                for x in k..j {
                    for y in x + 1..j {
                        let (p, q) = (postings[x].1, postings[y].1);
                        let c = shared.entry((p.min(q), p.max(q))).or_insert(0);
                        *c = c.saturating_add(1);
                    }
                }
            }
            k = j;
        }
        drop(postings);
        let mut weakest: HashMap<usize, f32> = HashMap::new();
        for ((p, q), inter) in shared {
            let (p, q) = (p as usize, q as usize);
            let len = |r: usize| (offsets[r].1 - offsets[r].0) as usize;
            let (lp, lq) = (len(p), len(q));
            let inter = usize::from(inter);
            let jaccard = inter as f32 / (lp + lq - inter) as f32;
            let small = lp.min(lq);
            // Containment: a quote inside a longer sentence.
            let contained = if small < 6 {
                0.0
            } else {
                inter as f32 / small as f32
            };
            let sim = jaccard.max(contained * 0.9);
            if sim >= 0.5 {
                let (a, b) = (reps[p], reps[q]);
                groups.union(a, b);
                let root = groups.find(a);
                let w = weakest.entry(root).or_insert(1.0);
                *w = w.min(sim);
            }
        }
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        for i in 0..n {
            let root = groups.find(i);
            members.entry(root).or_default().push(i);
        }
        // Similarities were recorded under the root at the time: re-key to the final roots.
        let mut sims: HashMap<usize, f32> = HashMap::new();
        for (root, w) in weakest {
            let r = groups.find(root);
            let e = sims.entry(r).or_insert(1.0);
            *e = e.min(w);
        }
        let mut out: Vec<(usize, SameClaim)> = members
            .into_iter()
            .filter(|(_, m)| {
                let first = self.sentences[m[0]].article;
                m.iter().any(|&i| self.sentences[i].article != first)
            })
            .map(|(root, m)| {
                (
                    m[0],
                    SameClaim {
                        similarity: sims.get(&root).copied().unwrap_or(1.0),
                        passages: m.iter().map(|&i| self.passage(articles, i)).collect(),
                    },
                )
            })
            .collect();
        out.sort_by_key(|(first, _)| *first);
        out.into_iter().map(|(_, c)| c).collect()
    }
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
    crate::text::regex(r"(?i)\b(Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)\s+(\d{1,2})\b|\b(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|November|December)\b")
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

impl Linker {
    fn same_events(&self, articles: &[&Article]) -> Vec<SameEvent> {
        let sentences = &self.sentences;
        let mut by_day: HashMap<(u8, u8), Vec<usize>> = HashMap::new();
        for (i, s) in sentences.iter().enumerate() {
            for &d in self.days_of(s) {
                let v = by_day.entry(d).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
        }
        // Sentences that name only a weekday ("held talks Thursday") may report a dated event of
        // another article; they join it on stronger evidence (three shared actors or places).
        // They are found through their keys, so a big corpus does not pair every day with all.
        let mut weekday_by_key: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, s) in sentences.iter().enumerate() {
            if s.weekday_only && self.keys_of(s).len() >= 3 {
                for &k in self.keys_of(s) {
                    weekday_by_key.entry(k).or_default().push(i);
                }
            }
        }
        let shared_keys = |a: &Sent, b: &Sent| {
            let (a, b) = (self.keys_of(a), self.keys_of(b));
            let (mut x, mut y, mut n) = (0, 0, 0);
            while x < a.len() && y < b.len() {
                match a[x].cmp(&b[y]) {
                    std::cmp::Ordering::Less => x += 1,
                    std::cmp::Ordering::Greater => y += 1,
                    std::cmp::Ordering::Equal => {
                        n += 1;
                        x += 1;
                        y += 1;
                    }
                }
            }
            n
        };
        let mut days_named: Vec<_> = by_day.keys().copied().collect();
        days_named.sort();
        let mut out = Vec::new();
        for day in days_named {
            let dated = &by_day[&day];
            // Sentences of different articles naming the day and two shared actors or places
            // are linked; each connected group is one event.
            let mut members: Vec<usize> = dated.clone();
            let mut position: HashMap<usize, usize> =
                dated.iter().enumerate().map(|(x, &i)| (i, x)).collect();
            let mut links: Vec<(usize, usize)> = Vec::new();
            for x in 0..dated.len() {
                let s = &sentences[dated[x]];
                if self.keys_of(s).len() < 2 {
                    continue;
                }
                for y in x + 1..dated.len() {
                    let t = &sentences[dated[y]];
                    if s.article != t.article && shared_keys(s, t) >= 2 {
                        links.push((x, y));
                    }
                }
                let mut tried: BTreeSet<usize> = BTreeSet::new();
                for k in self.keys_of(s) {
                    for &w in weekday_by_key.get(k).into_iter().flatten() {
                        if sentences[w].article != s.article
                            && tried.insert(w)
                            && shared_keys(s, &sentences[w]) >= 3
                        {
                            let y = *position.entry(w).or_insert_with(|| {
                                members.push(w);
                                members.len() - 1
                            });
                            links.push((x, y));
                        }
                    }
                }
            }
            if links.is_empty() {
                continue;
            }
            let mut groups = Groups::new(members.len());
            let mut linked = vec![false; members.len()];
            for &(x, y) in &links {
                groups.union(x, y);
                linked[x] = true;
                linked[y] = true;
            }
            let mut components: Vec<(usize, Vec<usize>)> = Vec::new();
            for x in (0..members.len()).filter(|&x| linked[x]) {
                let r = groups.find(x);
                match components.iter_mut().find(|c| c.0 == r) {
                    Some(c) => c.1.push(members[x]),
                    None => components.push((r, vec![members[x]])),
                }
            }
            for (_, mut idx) in components {
                idx.sort_unstable();
                // Keys named in at least two of the articles.
                let mut count: HashMap<u32, BTreeSet<u32>> = HashMap::new();
                for &i in &idx {
                    for &k in self.keys_of(&sentences[i]) {
                        count.entry(k).or_default().insert(sentences[i].article);
                    }
                }
                let mut shared: Vec<String> = count
                    .into_iter()
                    .filter(|(_, arts)| arts.len() >= 2)
                    .map(|(k, _)| self.keys.name(k).to_string())
                    .collect();
                shared.sort();
                out.push(SameEvent {
                    date: format!("{} {}", capitalise(MONTHS[usize::from(day.0) - 1]), day.1),
                    shared,
                    passages: idx.iter().map(|&i| self.passage(articles, i)).collect(),
                });
            }
        }
        out
    }
}

static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::regex(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
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
    crate::text::regex(r"(?i)(?:\b(more than|less than|fewer than|at least|at most|about|around|roughly|approximately|nearly|almost|over|some|up to|an estimated)\s+)?([$€£]\s?)?\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?)(\s+(?:million|billion|trillion|thousand|hundred)|(?:bn|tn|mn|m|k)\b)?\b")
        .expect("valid figure regex")
});

/// A one-off amount: "during a 2006 visit", "in 2019".
static ONCE: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::regex(r"\b(?:during|in)\s+(?:a\s+|the\s+)?((?:19|20)\d{2})\b")
        .expect("valid regex")
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
    /// Another figure of the same quantity stands in the same sentence (see `Linker::add`):
    /// this one is compared with nothing.
    shares_sentence: bool,
    /// For money: what the amount is (a loan, a price, takings …) from a word near it; an
    /// amount that does not say is compared with nothing.
    money_kind: Option<&'static str>,
    /// "more than 200" is a lower bound, "up to 50" an upper one: a value on the right side
    /// of a bound does not contradict it.
    bound: Bound,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Bound {
    Exact,
    AtLeast,
    AtMost,
    About,
}

impl Bound {
    fn of(qualifier: Option<&str>) -> Bound {
        match qualifier.map(str::to_lowercase).as_deref() {
            None => Bound::Exact,
            Some("more than" | "at least" | "over") => Bound::AtLeast,
            Some("less than" | "fewer than" | "at most" | "up to") => Bound::AtMost,
            Some(_) => Bound::About,
        }
    }

    /// Whether `other` can be true together with `value` under this bound.
    fn admits(self, value: f64, other: f64) -> bool {
        match self {
            Bound::Exact => false,
            Bound::AtLeast => other >= value,
            Bound::AtMost => other <= value,
            Bound::About => (other - value).abs() <= 0.1 * value.max(other),
        }
    }
}

/// Kinds of amount, each with the words that name it near a figure ("a $5bn loan", "fined
/// £2m", "takings of $40m"). Amounts of different kinds are never compared: under one company
/// a tax bill, a loan and a sale price are different quantities.
const MONEY_KINDS: &[(&str, &[&str])] = &[
    (
        "takings or sales",
        &[
            "takings", "box", "grossed", "gross", "revenue", "revenues", "sales", "turnover",
        ],
    ),
    (
        "profit or loss",
        &["profit", "profits", "loss", "losses", "earnings"],
    ),
    (
        "a bid or offer",
        &["bid", "bids", "offer", "offers", "takeover", "bidding"],
    ),
    (
        "a loan",
        &[
            "loan",
            "loans",
            "lend",
            "lent",
            "lending",
            "borrow",
            "borrowed",
            "borrowing",
        ],
    ),
    ("a debt", &["debt", "debts", "owes", "owed", "owing"]),
    ("a tax", &["tax", "taxes", "levy", "duty", "duties"]),
    (
        "a fine or damages",
        &[
            "fine",
            "fined",
            "fines",
            "penalty",
            "penalties",
            "damages",
            "compensation",
            "settlement",
            "sued",
            "suing",
        ],
    ),
    (
        "a salary",
        &["salary", "salaries", "wage", "wages", "bonus", "bonuses"],
    ),
    (
        "a budget or spending",
        &[
            "budget",
            "budgets",
            "spending",
            "spend",
            "spent",
            "spends",
            "investment",
            "invest",
            "invested",
            "investing",
        ],
    ),
    (
        "money raised",
        &["raise", "raised", "raising", "fundraising"],
    ),
    (
        "funding or aid",
        &[
            "fund",
            "funds",
            "funding",
            "funded",
            "funnel",
            "funnels",
            "funnelled",
            "funneled",
            "allocate",
            "allocates",
            "allocated",
            "receive",
            "receives",
            "received",
            "aid",
            "assistance",
            "grant",
            "grants",
            "donated",
            "donation",
            "donations",
            "provide",
            "provides",
            "provided",
            "transfer",
            "transfers",
            "transferred",
            "finance",
            "financed",
            "financing",
            "subsidy",
            "subsidies",
        ],
    ),
    (
        "a price or value",
        &[
            "price",
            "prices",
            "priced",
            "cost",
            "costs",
            "costing",
            "worth",
            "valued",
            "value",
            "valuation",
            "fee",
            "fees",
        ],
    ),
];

/// The kind of amount the words around a figure name: the nearest after it, then before it.
fn money_kind(after_words: &[&str], before_words: &[&str]) -> Option<&'static str> {
    let kind_of = |w: &str| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        MONEY_KINDS
            .iter()
            .find(|(_, words)| words.contains(&w.as_str()))
            .map(|(kind, _)| *kind)
    };
    after_words
        .iter()
        .take(6)
        .find_map(|w| kind_of(w))
        .or_else(|| before_words.iter().take(6).find_map(|w| kind_of(w)))
}

/// An age, not a count: "Smith, 45, was killed", "aged 45", "a 45-year-old".
fn is_age(before: &str, after: &str) -> bool {
    let after = after.trim_start();
    let before = before.trim_end();
    after.starts_with("-year")
        || after.starts_with("year-old")
        || after.starts_with("years old")
        || before.ends_with("aged")
        || (before.ends_with(',')
            && after.starts_with(',')
            && before[..before.len() - 1]
                .split_whitespace()
                .next_back()
                .is_some_and(|w| w.len() > 1))
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

fn figures_of(i: usize, s: &Draft<'_>) -> Vec<Figure> {
    let text = s.text;
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
        if is_year || is_day || (!money && is_age(before, after)) {
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
            for (key, word, _) in s.places {
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
            shares_sentence: false,
            money_kind: if money {
                money_kind(&after_words, &before_words)
            } else {
                None
            },
            bound: Bound::of(c.get(1).map(|q| q.as_str())),
        });
    }
    out
}

fn comparable(a: &Figure, b: &Figure) -> bool {
    if a.measure != b.measure || a.subgroup != b.subgroup || a.currency != b.currency {
        return false;
    }
    if a.measure == "money" && (a.money_kind.is_none() || a.money_kind != b.money_kind) {
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

/// How two comparable figures of different articles relate.
#[derive(Clone, Copy, PartialEq)]
enum Relation {
    /// The same statement (the same sentence in two articles, or equal values).
    Agree,
    /// Different values at the same (or an unknown) time from different sources.
    Conflict,
    /// Different values reported at dates two or more days apart.
    Timeline,
    /// When either was true is not known (no date in the article, no period in its words):
    /// neither a conflict nor a timeline can be claimed.
    Unknown,
}

/// Measure, currency, subgroup and one subject key: figures that can be compared share all four.
type BucketKey<'a> = (&'a str, Option<&'a str>, Option<&'a str>, &'a str);

impl Linker {
    fn time_of(&self, f: &Figure) -> Option<&ArticleTime> {
        self.articles[self.sentences[f.sentence].article as usize]
            .time
            .as_ref()
    }

    fn source_of(&self, f: &Figure) -> String {
        let s = &self.sentences[f.sentence];
        match s.claimant {
            Some(c) => format!(
                "{} (in {})",
                self.claimants.name(c),
                self.articles[s.article as usize].outlet
            ),
            None => self.articles[s.article as usize].outlet.clone(),
        }
    }

    fn relation(&self, a: &Figure, b: &Figure) -> Relation {
        let (sa, sb) = (&self.sentences[a.sentence], &self.sentences[b.sentence]);
        if sa.words_hash == sb.words_hash || !differ(a, b) {
            return Relation::Agree;
        }
        // An amount of money may be dated by its own words ("annually", "in 2019"), which
        // `comparable` already matched; anything else by the day it was reported on.
        let own_period = |f: &Figure| f.annual.is_some() || f.once_year.is_some();
        let by_report_day = a.measure != "money" || !(own_period(a) || own_period(b));
        if by_report_day {
            match (self.time_of(a), self.time_of(b)) {
                // Running counts change with the day (a rising toll); so do prices.
                (Some(ta), Some(tb)) if ta.days_apart(tb) >= 2 => return Relation::Timeline,
                (Some(_), Some(_)) => {}
                // Undated figures (the weekend's takings, a count "so far") may be of
                // different days: claiming they disagree would be a guess.
                _ => return Relation::Unknown,
            }
        }
        // "more than 200" and "230" can both be true.
        if a.bound.admits(a.value, b.value) || b.bound.admits(b.value, a.value) {
            return Relation::Agree;
        }
        if sa.claimant.is_some() && sa.claimant == sb.claimant {
            // One source giving two figures is an update or a correction, not a disagreement.
            return Relation::Timeline;
        }
        Relation::Conflict
    }

    fn mention(&self, articles: &[&Article], f: &Figure) -> FigureMention {
        let time = self.time_of(f);
        FigureMention {
            passage: self.passage(articles, f.sentence),
            figure: f.figure.clone(),
            value: f.value,
            date: time.map(ArticleTime::label),
            date_from: time.map(|t| t.from.to_string()),
            source: self.source_of(f),
        }
    }

    fn conflicts(&self, articles: &[&Article]) -> (Vec<FigureConflict>, Vec<Timeline>) {
        let figures = &self.figures;
        let n = figures.len();
        // Candidates share the measure, the currency, the subgroup and a subject key; within
        // such a bucket only values within 5× of each other can be comparable.
        let mut buckets: HashMap<BucketKey<'_>, Vec<usize>> = HashMap::new();
        for (i, f) in figures
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.shares_sentence)
        {
            for key in &f.subject {
                buckets
                    .entry((
                        f.measure.as_str(),
                        f.currency.as_deref(),
                        f.subgroup.as_deref(),
                        key.as_str(),
                    ))
                    .or_default()
                    .push(i);
            }
        }
        let mut groups = Groups::new(n);
        let mut relations: Vec<(usize, usize, Relation)> = Vec::new();
        let mut seen_pairs: std::collections::HashSet<(u32, u32)> = Default::default();
        for bucket in buckets.values_mut() {
            bucket.sort_by(|&x, &y| figures[x].value.total_cmp(&figures[y].value));
            for (k, &i) in bucket.iter().enumerate() {
                for &j in &bucket[k + 1..] {
                    if figures[j].value > 5.0 * figures[i].value {
                        break;
                    }
                    let (a, b) = (&figures[i], &figures[j]);
                    let (sa, sb) = (&self.sentences[a.sentence], &self.sentences[b.sentence]);
                    if sa.article == sb.article
                        || !seen_pairs.insert((i.min(j) as u32, i.max(j) as u32))
                    {
                        continue;
                    }
                    if comparable(a, b) {
                        let relation = self.relation(a, b);
                        if relation != Relation::Unknown {
                            groups.union(i, j);
                            relations.push((i, j, relation));
                        }
                    }
                }
            }
        }
        drop(seen_pairs);
        let mut by_group: HashMap<usize, Vec<(usize, usize, Relation)>> = HashMap::new();
        for r in relations {
            let root = groups.find(r.0);
            by_group.entry(root).or_default().push(r);
        }
        let mut conflicts = Vec::new();
        let mut timelines = Vec::new();
        let mut roots: Vec<usize> = by_group.keys().copied().collect();
        roots.sort_unstable();
        for root in roots {
            let pairs = &by_group[&root];
            let members = |keep: &dyn Fn(Relation) -> bool| -> Vec<usize> {
                let set: BTreeSet<usize> = pairs
                    .iter()
                    .filter(|p| keep(p.2))
                    .flat_map(|p| [p.0, p.1])
                    .collect();
                set.into_iter().collect()
            };
            let subject = |idx: &[usize]| -> Vec<String> {
                let mut common: Option<BTreeSet<String>> = None;
                for &i in idx {
                    common = Some(match common {
                        None => figures[i].subject.clone(),
                        Some(s) => {
                            let inter: BTreeSet<String> =
                                s.intersection(&figures[i].subject).cloned().collect();
                            if inter.is_empty() { s } else { inter }
                        }
                    });
                }
                common.unwrap_or_default().into_iter().collect()
            };
            let conflicting = members(&|r| r == Relation::Conflict);
            if !conflicting.is_empty() {
                // Agreeing mentions of the conflicting ones show who sides with whom.
                let mut idx: BTreeSet<usize> = conflicting.iter().copied().collect();
                for p in pairs.iter().filter(|p| p.2 == Relation::Agree) {
                    if idx.contains(&p.0) || idx.contains(&p.1) {
                        idx.insert(p.0);
                        idx.insert(p.1);
                    }
                }
                let idx: Vec<usize> = idx.into_iter().collect();
                let mentions: Vec<FigureMention> = idx
                    .iter()
                    .map(|&i| self.mention(articles, &figures[i]))
                    .collect();
                let subject = subject(&idx);
                let reasons = conflict_reasons(&figures[idx[0]], &subject, &mentions);
                conflicts.push(FigureConflict {
                    measure: figures[idx[0]].measure.clone(),
                    subject,
                    mentions,
                    reasons,
                });
            }
            let dated = members(&|r| r == Relation::Timeline);
            if !dated.is_empty() {
                let mut points: Vec<FigureMention> = dated
                    .iter()
                    .map(|&i| self.mention(articles, &figures[i]))
                    .collect();
                points.sort_by(|a, b| a.date.cmp(&b.date).then(a.value.total_cmp(&b.value)));
                let subject = subject(&dated);
                let measure = figures[dated[0]].measure.clone();
                let steps: Vec<String> = points
                    .iter()
                    .map(|p| {
                        format!(
                            "{} on {} ({}, {})",
                            p.figure,
                            p.date.as_deref().unwrap_or("an undated day"),
                            p.date_from.as_deref().unwrap_or("no date"),
                            p.source
                        )
                    })
                    .collect();
                timelines.push(Timeline {
                    reasons: vec![
                        format!(
                            "quantity: {measure}{}{}",
                            figures[dated[0]]
                                .money_kind
                                .map_or(String::new(), |k| format!(" ({k})")),
                            subject_note(&subject)
                        ),
                        format!("reported at different times: {}", steps.join(" → ")),
                        "a change over time (or one source's update), not a conflict".to_string(),
                    ],
                    measure,
                    subject,
                    points,
                });
            }
        }
        let first = |m: &FigureMention| (m.passage.article.clone(), m.passage.span.start);
        conflicts.sort_by_key(|c| first(&c.mentions[0]));
        timelines.sort_by_key(|t| first(&t.points[0]));
        (conflicts, timelines)
    }
}

fn subject_note(subject: &[String]) -> String {
    if subject.is_empty() {
        String::new()
    } else {
        format!(" ({})", subject.join(", "))
    }
}

/// Why a conflict is flagged: the quantity, the time, the sources.
fn conflict_reasons(first: &Figure, subject: &[String], mentions: &[FigureMention]) -> Vec<String> {
    let measure = match first.money_kind {
        Some(kind) => format!("{} ({kind})", first.measure),
        None => first.measure.clone(),
    };
    let mut reasons = vec![format!("same quantity: {measure}{}", subject_note(subject))];
    let dates: BTreeSet<Option<&str>> = mentions.iter().map(|m| m.date.as_deref()).collect();
    reasons.push(if first.measure == "money" {
        // Amounts are dated by their own words, not by the day they were reported.
        match (&first.once_year, first.annual) {
            (Some(year), _) => format!("same period: in {year}"),
            (None, Some(true)) => "same period: yearly amounts".to_string(),
            _ => "same period, as far as known: none of them names one".to_string(),
        }
    } else if dates.iter().all(Option::is_none) {
        "same time, as far as known: no article gives a date".to_string()
    } else if dates.iter().any(Option::is_none) {
        let known: Vec<&str> = dates.iter().flatten().copied().collect();
        format!(
            "same time, as far as known: only some articles are dated ({})",
            known.join(", ")
        )
    } else {
        let known: Vec<&str> = dates.iter().flatten().copied().collect();
        format!("same time: reported within a day ({})", known.join(", "))
    });
    let sources: Vec<String> = mentions
        .iter()
        .map(|m| format!("{} says {}", m.source, m.figure))
        .collect();
    reasons.push(format!("different sources: {}", sources.join("; ")));
    reasons
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

    /// Links articles given as (name, dated?, text).
    fn link_texts(texts: &[(&str, Option<&str>, &str)]) -> CrossRefs {
        let articles: Vec<Article> = texts
            .iter()
            .map(|(id, date, text)| {
                let mut a = Article::from_text(id, text);
                a.meta.date = date.map(str::to_string);
                a
            })
            .collect();
        let analyses: Vec<ArticleAnalysis> = articles
            .iter()
            .map(|a| super::super::analyze(a, &KnownNames::default()))
            .collect();
        let input: Vec<_> = articles
            .iter()
            .zip(&analyses)
            .map(|(a, an)| (&a.id, a, an))
            .collect();
        link(&input)
    }

    /// Labelled BBC flags (docs/label-eval.md): weekend takings and tolls "so far" in undated
    /// articles were called conflicts; when each was true is not known, so neither is flagged.
    #[test]
    fn undated_figures_are_neither_conflicts_nor_timelines() {
        let text_a = "The film took $12m at the US box office in Los Angeles, according to Exhibitor Relations.\n";
        let text_b = "The film took $19m at the US box office in Los Angeles, according to Exhibitor Relations figures.\n";
        let undated = link_texts(&[("a.txt", None, text_a), ("b.txt", None, text_b)]);
        assert!(undated.conflicts.is_empty(), "{:#?}", undated.conflicts);
        assert!(undated.timelines.is_empty(), "{:#?}", undated.timelines);
        // The same two reports dated the same day do disagree.
        let day = Some("2005-01-10");
        let dated = link_texts(&[("a.txt", day, text_a), ("b.txt", day, text_b)]);
        assert_eq!(dated.conflicts.len(), 1, "{:#?}", dated.conflicts);
        assert!(
            dated.conflicts[0].reasons[0].contains("takings or sales"),
            "{:?}",
            dated.conflicts[0].reasons
        );
    }

    /// Under one company a tax bill, a loan and a sale price are different quantities.
    #[test]
    fn amounts_of_different_kinds_are_not_compared() {
        let day = Some("2004-12-20");
        let links = link_texts(&[
            (
                "a.txt",
                day,
                "Yukos said Russia wants a $27bn tax bill paid by the oil firm Yukos in Moscow.\n",
            ),
            (
                "b.txt",
                day,
                "Russia gave the oil firm Yukos a $9bn loan in Moscow, the bank said.\n",
            ),
        ]);
        assert!(links.conflicts.is_empty(), "{:#?}", links.conflicts);
        assert!(links.timelines.is_empty(), "{:#?}", links.timelines);
        // Two tax bills of the same day are compared (the control).
        let bills = link_texts(&[
            (
                "a.txt",
                day,
                "Russia wants a $27bn tax bill paid by the oil firm Yukos in Moscow.\n",
            ),
            (
                "b.txt",
                day,
                "Russia now demands a $10bn tax bill paid by the oil firm Yukos in Moscow.\n",
            ),
        ]);
        assert_eq!(bills.conflicts.len(), 1, "{bills:#?}");
        // An amount that does not say what it is compares with nothing.
        let bare = Figure {
            sentence: 0,
            figure: "$5m".into(),
            value: 5e6,
            measure: "money".into(),
            subject: BTreeSet::from(["a".to_string(), "b".to_string()]),
            subgroup: None,
            annual: None,
            once_year: None,
            currency: Some("$".into()),
            shares_sentence: false,
            money_kind: None,
            bound: Bound::Exact,
        };
        assert!(!comparable(
            &bare,
            &Figure {
                value: 6e6,
                ..bare.clone()
            }
        ));
        let loan = Figure {
            money_kind: Some("a loan"),
            ..bare.clone()
        };
        assert!(comparable(
            &loan,
            &Figure {
                value: 6e6,
                ..loan.clone()
            }
        ));
    }

    #[test]
    fn a_value_inside_a_stated_bound_agrees_with_it_and_ages_are_not_counts() {
        let day = Some("2023-10-20");
        let links = link_texts(&[
            (
                "a.txt",
                day,
                "More than 30 people were killed in the attack in Kabul, police said.\n",
            ),
            (
                "b.txt",
                day,
                "Officials said 35 people were killed in the attack in Kabul on Friday.\n",
            ),
        ]);
        assert!(links.conflicts.is_empty(), "{:#?}", links.conflicts);
        // Below the bound it does disagree (the control: the pair is compared at all).
        let below = link_texts(&[
            (
                "a.txt",
                day,
                "More than 30 people were killed in the attack in Kabul, police said.\n",
            ),
            (
                "c.txt",
                day,
                "Officials said 22 people were killed in the attack in Kabul on Friday.\n",
            ),
        ]);
        assert_eq!(below.conflicts.len(), 1, "{:#?}", below.conflicts);
        assert!(Bound::AtLeast.admits(30.0, 35.0));
        assert!(!Bound::AtLeast.admits(30.0, 25.0));
        assert!(Bound::AtMost.admits(50.0, 40.0));
        assert!(!Bound::Exact.admits(30.0, 35.0));
        // "Smith, 45, was killed": an age.
        assert!(is_age("police said john smith,", ", was killed"));
        assert!(is_age("a", "-year-old man was killed"));
        assert!(!is_age("at least", " people were killed"));
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
        let mut linker = Linker::default();
        linker.add_analysed(&id, &article, &analysis);
        let figures: Vec<(String, f64)> = linker
            .figures
            .iter()
            .map(|f| (f.figure.clone(), f.value))
            .collect();
        // The bracketed conversions are left out.
        let expected = [
            ("$9.3bn", 9.3e9),
            ("£27.5bn", 27.5e9),
            ("$28bn", 28e9),
            ("$900m", 9e8),
        ];
        let currencies: Vec<Option<String>> =
            linker.figures.iter().map(|f| f.currency.clone()).collect();
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
            links.timelines.iter().any(|t| t.measure == "hostages"),
            "the sample's hostage counts rise over time: {:?}",
            links.timelines
        );
        assert!(
            links.conflicts.iter().any(|c| c.measure == "money"),
            "the sample's figures of Iran's funding of Hamas disagree: {:?}",
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
            let article = articles.iter().find(|a| *a.id == *mention.article).unwrap();
            let written: String = article
                .text
                .chars()
                .skip(mention.span.start)
                .take(mention.span.len())
                .collect();
            assert_eq!(written, &*mention.text);
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
