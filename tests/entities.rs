//! Entity detection on real text: the sample corpus, held-out news sentences, casing variants,
//! confirmed names, alias grouping, and (when the shared data is present) CoNLL-2003 dev F1.

use claimdesk_core::analysis::aliases;
use claimdesk_core::analysis::entities::find;

use claimdesk_core::analysis::{EntityKind, EntityMention, KnownNames};
use claimdesk_core::text::CharIndex;

fn corpus() -> Vec<(String, String)> {
    let dir = claimdesk_core::sample::corpus_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("sample corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text =
                claimdesk_core::text::normalise(&std::fs::read_to_string(&p).expect("readable"));
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect()
}

fn found(text: &str) -> Vec<(String, &'static str)> {
    find(text, &KnownNames::default())
        .into_iter()
        .map(|m| (m.text, m.kind.label()))
        .collect()
}

fn assert_has(found: &[(String, &'static str)], expected: &[(&str, &str)]) {
    for (text, kind) in expected {
        assert!(
            found.iter().any(|(t, k)| t == text && k == kind),
            "missing ({text:?}, {kind}) in {found:?}"
        );
    }
}

fn assert_well_formed(text: &str, mentions: &[EntityMention]) {
    let index = CharIndex::new(text);
    for pair in mentions.windows(2) {
        assert!(
            pair[0].span.end <= pair[1].span.start,
            "sorted, non-overlapping: {pair:?}"
        );
    }
    for m in mentions {
        assert_eq!(
            index.slice(text, m.span),
            m.text,
            "char span matches its text"
        );
    }
}

#[test]
fn sample_corpus_names_people_places_groups_and_organisations() {
    let articles = corpus();
    assert_eq!(articles.len(), 5);
    let mut all = Vec::new();
    for (_, text) in &articles {
        let mentions = find(text, &KnownNames::default());
        assert_well_formed(text, &mentions);
        all.extend(mentions.into_iter().map(|m| (m.text, m.kind.label())));
    }
    assert_has(
        &all,
        &[
            ("Sergey Lavrov", "PERSON"),
            ("Sergei Lavrov", "PERSON"),
            ("Lavrov", "PERSON"),
            ("Hossein Amir-Abdollahian", "PERSON"),
            ("Ali Bagheri Kani", "PERSON"),
            ("Ali Khamenei", "PERSON"),
            ("Ebrahim Raisi", "PERSON"),
            ("Hamas", "ORG"),
            ("Hezbollah", "ORG"),
            ("IRGC", "ORG"),
            // CoNLL convention: the nationality apart from the institution.
            ("Foreign Ministry", "ORG"),
            ("Russian", "NORP"),
            ("Moscow", "GPE"),
            ("Tehran", "GPE"),
            ("Iran", "GPE"),
            ("Islamic Republic of Iran", "GPE"),
            ("Gaza Strip", "LOC"),
            ("Middle East", "LOC"),
            ("Iranian", "NORP"),
            ("Israeli", "NORP"),
        ],
    );
    // Frequent names are found nearly every time they occur.
    let hamas_found = all
        .iter()
        .filter(|(t, k)| t == "Hamas" && *k == "ORG")
        .count();
    let hamas_text: usize = articles
        .iter()
        .map(|(_, t)| t.matches("Hamas").count() - t.matches("Hamas-").count())
        .sum();
    assert!(
        hamas_found * 10 >= hamas_text * 9,
        "Hamas found {hamas_found} of {hamas_text}"
    );
    // No person is a lone function word or punctuation.
    assert!(
        !all.iter()
            .any(|(t, k)| *k == "PERSON" && !t.chars().next().unwrap().is_uppercase()),
        "a lower-case person in {all:?}"
    );
}

#[test]
fn held_out_news_sentences() {
    let text = "German Chancellor Olaf Scholz met French President Emmanuel Macron in Berlin on Tuesday. \
                The European Central Bank kept rates unchanged, and shares in Siemens rose 3.5% in Frankfurt. \
                Kenyan runner Eliud Kipchoge will race in the Boston Marathon in April, organisers said.";
    let f = found(text);
    assert_has(
        &f,
        &[
            ("Olaf Scholz", "PERSON"),
            ("Emmanuel Macron", "PERSON"),
            ("Berlin", "GPE"),
            ("European Central Bank", "ORG"),
            ("Siemens", "ORG"),
            ("Frankfurt", "GPE"),
            ("Eliud Kipchoge", "PERSON"),
            ("German", "NORP"),
            ("Kenyan", "NORP"),
            ("3.5%", "PERCENT"),
            ("Tuesday", "DATE"),
        ],
    );
    assert!(
        !f.iter()
            .any(|(t, _)| t == "Chancellor Olaf Scholz" || t == "The European Central Bank")
    );
}

#[test]
fn headline_caps_and_lower_case_captions() {
    // An ALL-CAPS headline above an ordinary article.
    let text = "RUSSIA'S LAVROV MEETS HAMAS DELEGATION IN MOSCOW\n\
                Russian Foreign Minister Sergey Lavrov met a Hamas delegation in Moscow on Thursday.";
    let f = found(text);
    assert_has(
        &f,
        &[
            ("LAVROV", "PERSON"),
            ("HAMAS", "ORG"),
            ("MOSCOW", "GPE"),
            ("Sergey Lavrov", "PERSON"),
        ],
    );
    // A lower-case caption.
    let caption = "photo: sergey lavrov speaks to reporters in moscow after talks with hamas";
    let f = found(caption);
    assert_has(&f, &[("sergey lavrov", "PERSON"), ("moscow", "GPE")]);
    // Ordinary lower-case words in an ordinary sentence are not names.
    let plain = "The trucks carried steel and radio equipment across the border at night.";
    assert!(
        found(plain)
            .iter()
            .all(|(_, k)| *k != "PERSON" && *k != "ORG"),
        "{:?}",
        found(plain)
    );
}

#[test]
fn confirmed_names_are_found_in_any_reasonable_casing() {
    let known = KnownNames {
        names: vec![
            ("Abu Marzouk".into(), EntityKind::Person),
            ("Quds Force".into(), EntityKind::Org),
            ("US".into(), EntityKind::Gpe),
        ],
    };
    let text = "abu said that Abu Marzouk agreed. ABU MARZOUK LANDS IN MOSCOW. the quds force denied it; let us see.";
    let mentions = find(text, &known);
    assert_well_formed(text, &mentions);
    let has = |t: &str, k: EntityKind| mentions.iter().any(|m| m.text == t && m.kind == k);
    assert!(has("Abu Marzouk", EntityKind::Person));
    assert!(has("ABU MARZOUK", EntityKind::Person));
    assert!(has("quds force", EntityKind::Org));
    assert!(
        !mentions.iter().any(|m| m.text == "us"),
        "an acronym does not match a word: {mentions:?}"
    );
}

#[test]
fn empty_and_odd_text() {
    for text in ["", "\n\n", "’s", "l’été à Téhéran — «Hamas» 中文"] {
        let mentions = find(text, &KnownNames::default());
        assert_well_formed(text, &mentions);
    }
}

#[test]
fn figures_and_dates_in_non_ascii_text() {
    let text = "On October 19 — «at least 150 hostages» — Tehran paid $100 million, up 12 per cent since 2019.";
    let mentions = find(text, &KnownNames::default());
    assert_well_formed(text, &mentions);
    let f: Vec<_> = mentions
        .into_iter()
        .map(|m| (m.text, m.kind.label()))
        .collect();
    assert_has(
        &f,
        &[
            ("October 19", "DATE"),
            ("at least 150 hostages", "QUANTITY"),
            ("Tehran", "GPE"),
            ("$100 million", "MONEY"),
            ("12 per cent", "PERCENT"),
        ],
    );
}

#[test]
fn corpus_aliases_form_one_entity_each() {
    let mut mentions: Vec<(String, EntityKind)> = Vec::new();
    for (_, text) in corpus() {
        mentions.extend(
            find(&text, &KnownNames::default())
                .into_iter()
                .map(|m| (m.text, m.kind)),
        );
    }
    let groups = aliases::propose(&mentions);
    let group = |form: &str| {
        groups
            .iter()
            .find(|g| g.has_form(form))
            .unwrap_or_else(|| panic!("no group with {form:?}"))
    };
    let lavrov = group("Sergey Lavrov");
    assert_eq!(lavrov.canonical, "Sergey Lavrov");
    assert!(
        lavrov.has_form("Sergei Lavrov") && lavrov.has_form("Lavrov"),
        "{lavrov:?}"
    );
    let amir = group("Hossein Amir-Abdollahian");
    assert!(
        amir.has_form("Hossein Amirabdollahian") && amir.has_form("Amir-Abdollahian"),
        "{amir:?}"
    );
    let kani = group("Ali Bagheri Kani");
    assert!(kani.has_form("Bagheri Khani"), "{kani:?}");
    let iran = group("Iran");
    assert_eq!(iran.kind, EntityKind::Gpe);
    assert!(iran.has_form("Islamic Republic of Iran"), "{iran:?}");
    assert!(!iran.has_form("Tehran") && iran.related.contains(&"Tehran".to_string()));
    // Different people sharing a first name stay apart.
    let khamenei = group("Ali Khamenei");
    assert!(!khamenei.has_form("Ali Bagheri Kani") && !khamenei.has_form("Ali Bahadori Jahromi"));
    assert!(!kani.has_form("Ali Bahadori Jahromi"));
    // Every mention lands in exactly one group.
    let total: usize = groups.iter().map(|g| g.mentions.len()).sum();
    let names = mentions
        .iter()
        .filter(|(_, k)| !k.is_figure() && *k != EntityKind::Date)
        .count();
    assert_eq!(total, names);
}
