//! Built-in name lists shared by the rule layer and the tagger's features.
//!
//! General world knowledge (countries, capitals and large cities, US states, nationalities,
//! common given names, organisation heads); nothing here is derived from the evaluation data.
//! The lists are data files in `assets/gazetteer/` (one entry a line, `#` starts a comment),
//! compiled in. The name tagger was trained with these lists as features, so its model file
//! records [`struct@HASH`], the hash of all of them; [`super::ner_model`] warns when they differ.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The list files, in the order they are hashed.
pub const FILES: &[(&str, &str)] = &[
    (
        "countries.txt",
        include_str!("../../../../assets/gazetteer/countries.txt"),
    ),
    (
        "cities.txt",
        include_str!("../../../../assets/gazetteer/cities.txt"),
    ),
    (
        "locations.txt",
        include_str!("../../../../assets/gazetteer/locations.txt"),
    ),
    (
        "loc-heads.txt",
        include_str!("../../../../assets/gazetteer/loc-heads.txt"),
    ),
    (
        "nationalities.txt",
        include_str!("../../../../assets/gazetteer/nationalities.txt"),
    ),
    (
        "event-heads.txt",
        include_str!("../../../../assets/gazetteer/event-heads.txt"),
    ),
    (
        "org-heads.txt",
        include_str!("../../../../assets/gazetteer/org-heads.txt"),
    ),
    (
        "known-orgs.txt",
        include_str!("../../../../assets/gazetteer/known-orgs.txt"),
    ),
    (
        "person-cues.txt",
        include_str!("../../../../assets/gazetteer/person-cues.txt"),
    ),
    (
        "title-words.txt",
        include_str!("../../../../assets/gazetteer/title-words.txt"),
    ),
    (
        "given-names.txt",
        include_str!("../../../../assets/gazetteer/given-names.txt"),
    ),
];

/// The entries of one list file: trimmed lines, blank lines and `#` comments left out.
fn entries(name: &str) -> Vec<&'static str> {
    let (_, text) = FILES
        .iter()
        .find(|(file, _)| *file == name)
        .expect("a bundled gazetteer file");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// A list read once from its file.
pub type List = LazyLock<Vec<&'static str>>;

/// Countries and territories (and their common short forms).
pub static COUNTRIES: List = LazyLock::new(|| entries("countries.txt"));
/// Capitals, large cities, US states and large provinces.
pub static CITIES: List = LazyLock::new(|| entries("cities.txt"));
/// Natural and supra-national locations ("Middle East", "Red Sea").
pub static LOCATIONS: List = LazyLock::new(|| entries("locations.txt"));
/// Last words that make a place a natural location rather than a political one.
pub static LOC_HEADS: List = LazyLock::new(|| entries("loc-heads.txt"));
/// Nationalities, religions and political-group words.
pub static NATIONALITIES: List = LazyLock::new(|| entries("nationalities.txt"));
/// Words that end an event name.
pub static EVENT_HEADS: List = LazyLock::new(|| entries("event-heads.txt"));
/// Last words that make a capitalised run an organisation.
pub static ORG_HEADS: List = LazyLock::new(|| entries("org-heads.txt"));
/// Organisations known by name.
pub static KNOWN_ORGS: List = LazyLock::new(|| entries("known-orgs.txt"));
/// Words that, just before a name, mark it as a person.
pub static PERSON_CUES: List = LazyLock::new(|| entries("person-cues.txt"));
/// Capitalised titles that end a run before a person's name.
pub static TITLE_WORDS: List = LazyLock::new(|| entries("title-words.txt"));
/// Common given names (many origins).
pub static GIVEN_NAMES: List = LazyLock::new(|| entries("given-names.txt"));

/// Hash (blake3, hex) of every list file's name and entries, in [`FILES`] order; comments and
/// blank lines do not change it.
pub static HASH: LazyLock<String> = LazyLock::new(|| {
    let mut hasher = blake3::Hasher::new();
    for (name, _) in FILES {
        hasher.update(name.as_bytes());
        hasher.update(b"\0");
        for entry in entries(name) {
            hasher.update(entry.as_bytes());
            hasher.update(b"\n");
        }
    }
    hasher.finalize().to_hex().to_string()
});

/// Token flags used as tagger features.
pub const G_COUNTRY: u16 = 1;
pub const G_CITY: u16 = 2;
pub const G_LOCATION: u16 = 4;
pub const G_NATIONALITY: u16 = 8;
pub const G_ORG: u16 = 16;
pub const G_ORG_HEAD: u16 = 32;
pub const G_TITLE: u16 = 64;
pub const G_GIVEN: u16 = 128;
pub const G_LOC_HEAD: u16 = 256;
pub const G_EVENT_HEAD: u16 = 512;
pub const G_SINGLE: u16 = 1024;

/// Lower-cased word → flags of the lists it belongs to (as a whole entry, `G_SINGLE`, or as
/// part of a multi-word entry).
pub static WORD_FLAGS: LazyLock<HashMap<String, u16>> = LazyLock::new(|| {
    let mut map: HashMap<String, u16> = HashMap::new();
    let lists: [(&[&str], u16); 10] = [
        (&COUNTRIES[..], G_COUNTRY),
        (&CITIES[..], G_CITY),
        (&LOCATIONS[..], G_LOCATION),
        (&NATIONALITIES[..], G_NATIONALITY),
        (&KNOWN_ORGS[..], G_ORG),
        (&ORG_HEADS[..], G_ORG_HEAD),
        (&TITLE_WORDS[..], G_TITLE),
        (&GIVEN_NAMES[..], G_GIVEN),
        (&LOC_HEADS[..], G_LOC_HEAD),
        (&EVENT_HEADS[..], G_EVENT_HEAD),
    ];
    for (list, flag) in lists {
        for entry in list {
            let words: Vec<&str> = entry.split_whitespace().collect();
            for w in &words {
                *map.entry(w.to_lowercase()).or_default() |= flag;
            }
            if words.len() == 1 {
                *map.entry(words[0].to_lowercase()).or_default() |= G_SINGLE;
            }
        }
    }
    map
});

/// True when `name` (any case) is a known country, state or city.
pub fn is_political_place(name: &str) -> bool {
    static SET: LazyLock<std::collections::HashSet<String>> = LazyLock::new(|| {
        COUNTRIES
            .iter()
            .chain(CITIES.iter())
            .map(|s| s.to_lowercase())
            .collect()
    });
    SET.contains(&name.to_lowercase())
}

/// True when `name` is a known natural or supra-national location, or ends in a
/// geographic head ("Sea", "River" …).
pub fn is_natural_location(name: &str) -> bool {
    let lower = name.to_lowercase();
    LOCATIONS.iter().any(|l| l.to_lowercase() == lower)
        || name
            .split_whitespace()
            .next_back()
            .is_some_and(|last| LOC_HEADS.iter().any(|h| h.eq_ignore_ascii_case(last)))
}

/// True when `word` is a nationality, religion or political-group word.
pub fn is_nationality(word: &str) -> bool {
    NATIONALITIES.iter().any(|n| n.eq_ignore_ascii_case(word))
}
