//! Entity suggestions: people, organisations, places, groups, dates and figures.
//!
//! Figures and dates come from patterns; names from runs of capitalised words, typed by context
//! (titles such as "Minister", organisation heads such as "Ministry", gazetteers of countries,
//! cities and nationalities). Names the analyst confirmed are always found again.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

use super::{EntityKind, EntityMention, KnownNames};
use crate::text::{CharIndex, Span};

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.|Feb\\.|Mar\\.|Apr\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.";
const NUMBER_WORDS: &str = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|hundreds|dozens?|thousands?|millions?";

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?:{MONTHS})\s+\d{{1,2}}(?:\s*(?:and|-|–)\s*\d{{1,2}})?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+(?:{MONTHS})(?:,?\s+\d{{4}})?|(?:{MONTHS})\s+\d{{4}}|(?:in|since|by|until|from|of)\s+(?:the\s+)?(?:19|20)\d{{2}}s?|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|(?:last|next|this|earlier this|later this)\s+(?:year|month|week|weekend)|(?:the\s+)?past\s+(?:few\s+)?(?:days|weeks|months|years))\b"
    ))
    .expect("valid date regex")
});
static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?:US|A|C)?[$€£¥]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|trillion|bn|m|k)\b)?|\b\d[\d,]*(?:\.\d+)?\s?(?:million|billion|trillion)?\s?(?:dollars|euros|pounds|rubles|roubles|rials|yuan|shekels)\b)")
        .expect("valid money regex")
});
static PERCENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b\d+(?:[.,]\d+)?\s?(?:%|per\s?cent|percent)").expect("valid percent regex")
});
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:(?:more than|less than|fewer than|at least|at most|about|around|roughly|approximately|nearly|almost|over|some|up to)\s+)?(?:\d[\d,]*(?:\.\d+)?(?:\s+(?:million|billion|thousand|hundred))?|(?:{NUMBER_WORDS}))(?:\s+(?:of\s+)?(?:[a-z-]+\s+){{0,2}}?(?:people|persons|civilians|hostages|soldiers|children|women|men|Israelis|Palestinians|citizens|nationals|rockets|missiles|drones|trucks|attacks|casualties|deaths|dead|injured|wounded|killed|fighters|troops|tonnes|tons|kilometers|kilometres|km|miles|barrels|votes|members|countries|officials|journalists|operatives|times))\b"
    ))
    .expect("valid quantity regex")
});
static CARDINAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?\b").expect("valid regex"));
static CAPITALISED_RUN: LazyLock<Regex> = LazyLock::new(|| {
    // A run of capitalised words, allowing lower-case connectors inside names ("bin", "al-",
    // "of the") and hyphenated or apostrophised parts ("Amir-Abdollahian", "Izz-al-Din").
    Regex::new(r"\b(?:[A-Z][\p{L}’'\-]*\.?|[A-Z]{2,})(?:\s+(?:(?:of|the|for|and|de|bin|ibn|al|al-|el|von|van|der|da)\s+)*(?:[A-Z][\p{L}’'\-]*\.?|[A-Z]{2,}|\d+))*")
        .expect("valid name regex")
});

static COUNTRIES: &[&str] = &[
    "Afghanistan",
    "Algeria",
    "Argentina",
    "Armenia",
    "Australia",
    "Austria",
    "Azerbaijan",
    "Bahrain",
    "Bangladesh",
    "Belarus",
    "Belgium",
    "Brazil",
    "Britain",
    "Bulgaria",
    "Canada",
    "Chile",
    "China",
    "Colombia",
    "Cuba",
    "Cyprus",
    "Czech Republic",
    "Denmark",
    "Egypt",
    "England",
    "Estonia",
    "Ethiopia",
    "Finland",
    "France",
    "Georgia",
    "Germany",
    "Greece",
    "Hungary",
    "India",
    "Indonesia",
    "Iran",
    "Iraq",
    "Ireland",
    "Israel",
    "Italy",
    "Japan",
    "Jordan",
    "Kazakhstan",
    "Kenya",
    "Kosovo",
    "Kuwait",
    "Latvia",
    "Lebanon",
    "Libya",
    "Lithuania",
    "Malaysia",
    "Mexico",
    "Moldova",
    "Morocco",
    "Netherlands",
    "New Zealand",
    "Nigeria",
    "North Korea",
    "Norway",
    "Oman",
    "Pakistan",
    "Palestine",
    "Panama",
    "Peru",
    "Philippines",
    "Poland",
    "Portugal",
    "Qatar",
    "Romania",
    "Russia",
    "Saudi Arabia",
    "Scotland",
    "Serbia",
    "Singapore",
    "Somalia",
    "South Africa",
    "South Korea",
    "Spain",
    "Sudan",
    "Sweden",
    "Switzerland",
    "Syria",
    "Taiwan",
    "Thailand",
    "Tunisia",
    "Turkey",
    "Turkiye",
    "Ukraine",
    "United Arab Emirates",
    "United Kingdom",
    "United States",
    "Uzbekistan",
    "Venezuela",
    "Vietnam",
    "Wales",
    "Yemen",
    "U.S.",
    "US",
    "USA",
    "UK",
    "U.K.",
    "UAE",
    "Gaza",
    "West Bank",
    "Crimea",
    "Nagorno-Karabakh",
    "Islamic Republic of Iran",
    "Soviet Union",
];
static CITIES: &[&str] = &[
    "Moscow",
    "Tehran",
    "Washington",
    "Kyiv",
    "Kiev",
    "Jerusalem",
    "Tel Aviv",
    "Beirut",
    "Damascus",
    "Baghdad",
    "Cairo",
    "Doha",
    "Riyadh",
    "Ankara",
    "Istanbul",
    "Beijing",
    "London",
    "Paris",
    "Berlin",
    "Brussels",
    "New York",
    "Geneva",
    "Vienna",
    "Rome",
    "Madrid",
    "Tokyo",
    "Delhi",
    "New Delhi",
    "Pyongyang",
    "Seoul",
    "Kabul",
    "Islamabad",
    "Dubai",
    "Abu Dhabi",
    "Amman",
    "Rafah",
    "Khan Younis",
    "Gaza City",
    "Nahariya",
    "Shlomi",
    "Haifa",
    "St Petersburg",
    "Minsk",
    "Baku",
    "Yerevan",
    "Tbilisi",
    "Los Angeles",
    "Chicago",
    "Sydney",
    "Toronto",
    "Mumbai",
    "Shanghai",
    "Hong Kong",
    "Manchester",
    "Edinburgh",
    "Dublin",
    "Brussels",
    "Warsaw",
    "Prague",
    "Budapest",
    "Athens",
    "Lisbon",
];
static LOCATIONS: &[&str] = &[
    "Middle East",
    "Mideast",
    "Gulf",
    "Persian Gulf",
    "Red Sea",
    "Mediterranean",
    "Black Sea",
    "Gaza Strip",
    "Blue Line",
    "South Caucasus",
    "Caucasus",
    "Europe",
    "Asia",
    "Africa",
    "Latin America",
    "North America",
    "Balkans",
    "Sinai",
    "Golan Heights",
    "Levant",
    "Arctic",
];
static NATIONALITIES: &[&str] = &[
    "American",
    "Americans",
    "Arab",
    "Arabs",
    "Armenian",
    "Azeri",
    "British",
    "Chinese",
    "Egyptian",
    "European",
    "French",
    "German",
    "Indian",
    "Iranian",
    "Iranians",
    "Iraqi",
    "Israeli",
    "Israelis",
    "Japanese",
    "Jewish",
    "Jews",
    "Lebanese",
    "Muslim",
    "Muslims",
    "Palestinian",
    "Palestinians",
    "Qatari",
    "Russian",
    "Russians",
    "Saudi",
    "Shia",
    "Shiite",
    "Sunni",
    "Syrian",
    "Thai",
    "Turkish",
    "Ukrainian",
    "Ukrainians",
    "Western",
    "Christian",
    "Christians",
    "Kurdish",
    "Kurds",
    "Yemeni",
    "Zionist",
    "Soviet",
    "Islamic",
    "Catholic",
    "Democrat",
    "Democrats",
    "Republican",
    "Republicans",
];
/// Last words that make a capitalised run an organisation.
static ORG_HEADS: &[&str] = &[
    "Ministry",
    "Council",
    "Agency",
    "Party",
    "News",
    "Times",
    "Post",
    "Journal",
    "University",
    "Brigades",
    "Endowment",
    "Foundation",
    "Union",
    "Corps",
    "Force",
    "Forces",
    "Embassy",
    "Bank",
    "Institute",
    "Committee",
    "Commission",
    "Department",
    "Office",
    "Organization",
    "Organisation",
    "Association",
    "Group",
    "Company",
    "Corporation",
    "Inc",
    "Ltd",
    "Parliament",
    "Assembly",
    "Congress",
    "Senate",
    "Army",
    "Navy",
    "Guard",
    "Guards",
    "Court",
    "Board",
    "Authority",
    "Federation",
    "Network",
    "Service",
    "Press",
    "Telegraph",
    "Guardian",
    "Reuters",
    "Majlis",
    "Kremlin",
    "Pentagon",
    "Hamas",
    "Hezbollah",
    "Jihad",
    "Front",
    "Movement",
    "Alliance",
    "League",
    "Club",
    "School",
    "College",
    "Hospital",
    "Airlines",
    "Airport",
    "Project",
    "Program",
    "Programme",
];
static KNOWN_ORGS: &[&str] = &[
    "Hamas",
    "Hezbollah",
    "Islamic Jihad",
    "IRGC",
    "Quds Force",
    "Kremlin",
    "Pentagon",
    "White House",
    "United Nations",
    "UN",
    "U.N.",
    "NATO",
    "EU",
    "European Union",
    "Reuters",
    "AFP",
    "AP",
    "Associated Press",
    "BBC",
    "CNN",
    "ABC",
    "CBS",
    "NBC",
    "Fox News",
    "TASS",
    "IRNA",
    "RIA Novosti",
    "Al Jazeera",
    "Telegram",
    "Twitter",
    "Facebook",
    "Google",
    "Apple",
    "Microsoft",
    "Amazon",
    "Security Council",
    "UN Security Council",
    "U.N. Security Council",
    "State Department",
    "Foreign Ministry",
    "Telegraph",
    "Gazeta.ru",
    "IMF",
    "World Bank",
    "WHO",
    "OPEC",
    "Taliban",
    "ISIS",
    "Islamic State",
    "al-Qaeda",
    "Al-Qaeda",
    "FBI",
    "CIA",
    "MI6",
    "Mossad",
    "IDF",
    "INSTC",
];
/// Words that, just before a name, mark it as a person.
static PERSON_CUES: &[&str] = &[
    "President",
    "Minister",
    "minister",
    "Secretary",
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "leader",
    "Leader",
    "General",
    "Gen.",
    "Ayatollah",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Prof.",
    "Sen.",
    "Rep.",
    "Gov.",
    "King",
    "Queen",
    "Prince",
    "Sheikh",
    "Emir",
    "chief",
    "Chief",
    "envoy",
    "adviser",
    "advisor",
    "Ambassador",
    "ambassador",
    "analyst",
    "expert",
    "commander",
    "Commander",
    "member",
    "representative",
    "official",
    "journalist",
    "Pope",
    "Chancellor",
    "Premier",
    "Director",
    "director",
    "CEO",
    "founder",
    "colleague",
    "coach",
    "manager",
    "star",
    "singer",
    "actor",
    "actress",
    "striker",
    "player",
    "captain",
    "judge",
    "Judge",
    "Justice",
];
/// Capitalised titles that end a run before a person's name.
static TITLE_WORDS: &[&str] = &[
    "President",
    "Minister",
    "Secretary",
    "Leader",
    "General",
    "Gen.",
    "Ayatollah",
    "Spokesman",
    "Spokeswoman",
    "Ambassador",
    "Emir",
    "King",
    "Queen",
    "Prince",
    "Sheikh",
    "Chancellor",
    "Premier",
    "Commander",
    "Director",
    "Chief",
    "Envoy",
    "Representative",
    "Senator",
    "Governor",
    "Mayor",
    "Judge",
    "Pope",
    "Colonel",
    "Captain",
    "Admiral",
    "Adviser",
    "Advisor",
    "Speaker",
    "Chairman",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Prof.",
    "Sen.",
    "Rep.",
    "Gov.",
    "Lt.",
    "Col.",
    "Capt.",
];
/// Common given names make an unknown two-word run a person even without a title.
static GIVEN_NAMES: &[&str] = &[
    "Ali",
    "Mohammed",
    "Mohammad",
    "Muhammad",
    "Ahmed",
    "Ahmad",
    "Hossein",
    "Hassan",
    "Ismail",
    "Ebrahim",
    "Ibrahim",
    "Moussa",
    "Musa",
    "Sergey",
    "Sergei",
    "Vladimir",
    "Dmitry",
    "Maria",
    "Mikhail",
    "Antony",
    "Joe",
    "Jake",
    "John",
    "James",
    "David",
    "Michael",
    "Robert",
    "William",
    "Richard",
    "Thomas",
    "Mark",
    "Paul",
    "Peter",
    "George",
    "Donald",
    "Barack",
    "Hillary",
    "Tony",
    "Gordon",
    "Boris",
    "Emmanuel",
    "Angela",
    "Olaf",
    "Benjamin",
    "Yair",
    "Volodymyr",
    "Recep",
    "Xi",
    "Kim",
    "Nathan",
    "Nasser",
    "Rahim",
    "Izzat",
    "Qassem",
    "Mohsen",
    "Ziad",
    "Lior",
    "Anatoly",
    "Tamim",
    "Areepen",
    "Issam",
    "Ismail",
    "Abdullah",
    "Omar",
    "Yusuf",
    "Jane",
    "Mary",
    "Elizabeth",
    "Sarah",
    "Anna",
    "Laura",
    "Emma",
    "Chris",
    "Steve",
    "Andrew",
    "Alex",
    "Daniel",
    "Brian",
    "Kevin",
];
/// Capitalised words that start sentences or headlines and are not names on their own.
static STOP_WORDS: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "For",
    "But",
    "And",
    "Or",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "During",
    "Since",
    "As",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Here",
    "His",
    "Her",
    "Their",
    "Our",
    "My",
    "Its",
    "Yet",
    "So",
    "However",
    "Meanwhile",
    "Despite",
    "According",
    "Also",
    "Even",
    "Likewise",
    "Some",
    "Many",
    "Most",
    "Prior",
    "Speaking",
    "Today",
    "Security",
    "With",
    "From",
    "By",
    "To",
    "Of",
    "Not",
    "No",
    "Do",
    "Did",
    "Is",
    "Was",
    "Are",
    "Were",
    "Have",
    "Has",
    "Had",
    "What",
    "Who",
    "Why",
    "How",
    "Where",
    "Which",
    "Last",
    "Next",
    "Other",
    "Both",
    "All",
    "Each",
    "Every",
    "Such",
    "Then",
    "Thursday",
    "Friday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Saturday",
    "Sunday",
    "Claim",
    "False",
    "True",
    "Additional",
    "Iran’s",
    "Read",
    "More",
    "Image",
    "Photo",
    "Video",
    "Captcha",
    "Just",
    "Will",
    "Would",
    "Could",
    "Should",
    "May",
    "Can",
    "One",
    "Two",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
];

struct Gazetteer {
    matcher: AhoCorasick,
    kinds: Vec<EntityKind>,
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut names: Vec<(&str, EntityKind)> = Vec::new();
    names.extend(COUNTRIES.iter().map(|n| (*n, EntityKind::Gpe)));
    names.extend(CITIES.iter().map(|n| (*n, EntityKind::Gpe)));
    names.extend(LOCATIONS.iter().map(|n| (*n, EntityKind::Loc)));
    names.extend(NATIONALITIES.iter().map(|n| (*n, EntityKind::Norp)));
    names.extend(KNOWN_ORGS.iter().map(|n| (*n, EntityKind::Org)));
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(names.iter().map(|(n, _)| *n))
        .expect("gazetteer builds");
    Gazetteer {
        matcher,
        kinds: names.into_iter().map(|(_, k)| k).collect(),
    }
});

fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(|c| c.is_alphanumeric())
        && !after.is_some_and(|c| c.is_alphanumeric() || c == '-')
}

/// Finds entity mentions in `text`; spans are char offsets, sorted, non-overlapping.
pub fn find(text: &str, known: &KnownNames) -> Vec<EntityMention> {
    // Byte ranges first; converted to chars at the end.
    let mut found: Vec<(usize, usize, EntityKind, u8)> = Vec::new();
    // Priority: analyst-confirmed 0, patterns 1, gazetteer 2, capitalised runs 3.
    if !known.names.is_empty() {
        let patterns: Vec<&str> = known.names.iter().map(|(n, _)| n.as_str()).collect();
        if let Ok(matcher) = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
        {
            for m in matcher.find_iter(text) {
                if is_word_boundary(text, m.start(), m.end()) {
                    found.push((m.start(), m.end(), known.names[m.pattern().as_usize()].1, 0));
                }
            }
        }
    }
    for (regex, kind) in [
        (&*MONEY, EntityKind::Money),
        (&*PERCENT, EntityKind::Percent),
        (&*DATE, EntityKind::Date),
        (&*QUANTITY, EntityKind::Quantity),
    ] {
        for m in regex.find_iter(text) {
            found.push((m.start(), m.end(), kind, 1));
        }
    }
    for m in CARDINAL.find_iter(text) {
        found.push((m.start(), m.end(), EntityKind::Cardinal, 4));
    }
    for m in GAZETTEER.matcher.find_iter(text) {
        if is_word_boundary(text, m.start(), m.end()) {
            found.push((
                m.start(),
                m.end(),
                GAZETTEER.kinds[m.pattern().as_usize()],
                2,
            ));
        }
    }
    for m in CAPITALISED_RUN.find_iter(text) {
        if let Some((start, end, kind)) = classify_run(text, m.start(), m.end()) {
            found.push((start, end, kind, 3));
        }
    }
    resolve_overlaps(text, found)
}

/// Types a capitalised run by its context, or drops it.
fn classify_run(text: &str, start: usize, end: usize) -> Option<(usize, usize, EntityKind)> {
    let mut run = &text[start..end];
    let mut start = start;
    // Drop leading stop words ("The Iranian regime" → "Iranian"), and trailing possessives.
    loop {
        let first = run.split_whitespace().next()?;
        if STOP_WORDS.contains(&first) {
            let skip = run.find(first)? + first.len();
            let rest = &run[skip..];
            let trimmed = rest.trim_start();
            start += skip + (rest.len() - trimmed.len());
            run = trimmed;
        } else {
            break;
        }
    }
    let run = run.trim_end_matches(['.', '\'', '’', '-']);
    let run = run
        .strip_suffix("’s")
        .or_else(|| run.strip_suffix("'s"))
        .unwrap_or(run);
    if run.is_empty() {
        return None;
    }
    // "Russian Foreign Minister Sergey Lavrov": the person is what follows the last title word.
    let (start, run) = match run
        .match_indices(|c: char| c.is_whitespace())
        .map(|(i, _)| i)
        .filter(|&i| {
            let word = run[..i].rsplit(char::is_whitespace).next().unwrap_or("");
            TITLE_WORDS.contains(&word)
        })
        .next_back()
    {
        Some(i) if i + 1 < run.len() => {
            let rest = run[i..].trim_start();
            (start + (run.len() - rest.len()), rest)
        }
        _ => (start, run),
    };
    let end = start + run.len();
    let words: Vec<&str> = run.split_whitespace().collect();
    let last = *words.last()?;
    let first = *words.first()?;
    let before = text[..start].trim_end();
    let previous_word = before
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    let sentence_initial = before.is_empty() || before.ends_with(['.', '!', '?', '\n', '“', '"']);
    let kind = if ORG_HEADS.contains(&last) || KNOWN_ORGS.contains(&run) {
        EntityKind::Org
    } else if words.len() >= 2
        && COUNTRIES.contains(&first)
        && ORG_HEADS.iter().any(|h| run.contains(h))
    {
        EntityKind::Org
    } else if PERSON_CUES.contains(&previous_word)
        || TITLE_WORDS.contains(&previous_word)
        || GIVEN_NAMES.contains(&first)
        || (words.len() >= 2 && words.len() <= 4 && words.iter().all(|w| looks_like_name_part(w)))
    {
        EntityKind::Person
    } else if words.len() == 1 && !sentence_initial && run.chars().count() > 2 {
        // A lone capitalised word mid-sentence is usually a name; call it a person only with
        // a cue, otherwise an organisation if it is all capitals (an acronym).
        if run.chars().all(|c| c.is_uppercase() || c == '.') {
            EntityKind::Org
        } else if followed_by_speech_verb(&text[end..]) {
            EntityKind::Person
        } else {
            return None;
        }
    } else {
        return None;
    };
    Some((start, end, kind))
}

fn looks_like_name_part(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.clone().any(char::is_lowercase)
        && !STOP_WORDS.contains(&word)
        && !NATIONALITIES.contains(&word)
        && !COUNTRIES.contains(&word)
        && !CITIES.contains(&word)
        && !ORG_HEADS.contains(&word)
        && !PERSON_CUES.contains(&word)
}

fn followed_by_speech_verb(after: &str) -> bool {
    let next = after
        .trim_start_matches([',', ' '])
        .split_whitespace()
        .next()
        .unwrap_or("");
    matches!(
        next,
        "said" | "says" | "told" | "added" | "noted" | "claimed" | "stated" | "wrote" | "argued"
    )
}

/// Keeps the best of overlapping candidates (priority, then longer), sorted by position.
fn resolve_overlaps(
    text: &str,
    mut found: Vec<(usize, usize, EntityKind, u8)>,
) -> Vec<EntityMention> {
    found.sort_by_key(|&(start, end, _, priority)| {
        (priority, std::cmp::Reverse(end - start), start)
    });
    let mut taken: Vec<(usize, usize, EntityKind)> = Vec::new();
    for (start, end, kind, _) in found {
        if start >= end {
            continue;
        }
        if taken.iter().all(|&(s, e, _)| end <= s || start >= e) {
            taken.push((start, end, kind));
        }
    }
    taken.sort_by_key(|&(s, _, _)| s);
    let index = CharIndex::new(text);
    let mut cache: HashMap<usize, usize> = HashMap::new();
    let mut to_char = |byte: usize| {
        *cache
            .entry(byte)
            .or_insert_with(|| index.char_of(text, byte))
    };
    taken
        .into_iter()
        .map(|(start, end, kind)| EntityMention {
            span: Span::new(to_char(start), to_char(end)),
            text: text[start..end].to_string(),
            kind,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, &'static str)> {
        find(text, &KnownNames::default())
            .into_iter()
            .map(|m| (m.text, m.kind.label()))
            .collect()
    }

    #[test]
    fn finds_people_places_groups_and_figures() {
        let found = kinds(
            "On October 19, Russian Foreign Minister Sergey Lavrov met Hamas in Moscow. Tehran allocates approximately $100 million annually, and at least 150 hostages were taken.",
        );
        for expected in [
            ("October 19", "DATE"),
            ("Russian", "NORP"),
            ("Sergey Lavrov", "PERSON"),
            ("Hamas", "ORG"),
            ("Moscow", "GPE"),
            ("Tehran", "GPE"),
            ("$100 million", "MONEY"),
            ("at least 150 hostages", "QUANTITY"),
        ] {
            assert!(
                found.contains(&(expected.0.to_string(), expected.1)),
                "missing {expected:?} in {found:?}"
            );
        }
    }

    #[test]
    fn confirmed_names_are_found_again() {
        let known = KnownNames {
            names: vec![("Abu Marzouk".into(), EntityKind::Person)],
        };
        let found = find("abu said that Abu Marzouk agreed.", &known);
        assert!(
            found
                .iter()
                .any(|m| m.text == "Abu Marzouk" && m.kind == EntityKind::Person)
        );
    }
}
