//! Sentences, check-worthiness and attribution on the real sample corpus.

use claimdesk_core::analysis::{self, ArticleAnalysis, KnownNames, claims};
use claimdesk_core::corpus::{self, Article, ImportLimits};

fn corpus() -> Vec<Article> {
    let dir = claimdesk_core::sample::corpus_dir();
    let mut articles = corpus::import_paths(&[dir], &ImportLimits::default(), |_, _| true).0;
    articles.sort_by(|a, b| a.path.cmp(&b.path));
    articles
}

fn article(prefix: &str) -> Article {
    corpus()
        .into_iter()
        .find(|a| {
            a.path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(prefix)
        })
        .expect("sample article")
}

fn sentences(a: &Article) -> Vec<String> {
    analysis::sentences::split(&a.text)
        .into_iter()
        .map(|s| a.slice(s).to_string())
        .collect()
}

fn analysed(prefix: &str) -> (Article, ArticleAnalysis) {
    let a = article(prefix);
    let an = analysis::analyze(&a, &KnownNames::default());
    (a, an)
}

#[test]
#[ignore = "prints every sentence, score and claimant of the sample corpus"]
fn dump() {
    for a in corpus() {
        let an = analysis::analyze(&a, &KnownNames::default());
        println!("== {}", a.path.display());
        for c in &an.claims {
            println!(
                "{:.2} [{}] {:?} {:?}",
                c.score,
                c.claimant.as_deref().unwrap_or("-"),
                c.text,
                c.reasons
            );
        }
    }
}

fn claimant_of<'a>(an: &'a ArticleAnalysis, starts: &str) -> Option<&'a str> {
    an.claims
        .iter()
        .find(|c| c.text.starts_with(starts))
        .unwrap_or_else(|| panic!("no sentence starts with {starts:?}"))
        .claimant
        .as_deref()
}

#[test]
fn sample_sentences_keep_abbreviations_quotes_and_headlines() {
    let a = article("000_");
    let s = sentences(&a);
    // Headline without final punctuation ends at the line break.
    assert!(s.iter().any(|x| x == "Russia's Foreign Minister Paints Iran a Responsible and Balanced Regional Peacekeeper"), "{s:#?}");
    // "U.S." inside a sentence does not end it.
    assert!(
        s.iter().any(|x| x
            == "The U.S. however maintains there is no evidence of Iran’s direct involvement."),
        "{s:#?}"
    );
    assert!(
        s.iter().any(|x| x.starts_with(
            "U.S. Secretary of State Antony Blinken told ABC’s “This Week” show on October 8"
        )),
        "{s:#?}"
    );
    // An ellipsis followed by lower case stays inside the quoted sentence.
    assert!(
        s.iter().any(
            |x| x.starts_with("“With regard to Gaza, there is a serious risk")
                && x.ends_with("neighboring states.\"")
        ),
        "{s:#?}"
    );
    // Closing quote stays with its sentence; the attribution after it is not split off.
    assert!(
        s.iter()
            .any(|x| x.starts_with("“But as I stand here today") && x.ends_with("on October 24.")),
        "{s:#?}"
    );
    let d = sentences(&article("003_"));
    assert!(
        d.iter().any(
            |x| x.starts_with("Even after the October 7 terrorist attack")
                && x.ends_with("ties with Hamas.")
        ),
        "{d:#?}"
    );
}

#[test]
fn abbreviations_and_acronyms_at_sentence_end() {
    let text = "Aid came from the U.S. The U.N. said no. Then Gen. Smith left on Oct. 7 for No. 10 Downing St. at 9 a.m. on Monday.";
    let got: Vec<String> = analysis::sentences::split(text)
        .into_iter()
        .map(|s| text.chars().skip(s.start).take(s.len()).collect())
        .collect();
    assert_eq!(
        got,
        vec![
            "Aid came from the U.S.",
            "The U.N. said no.",
            "Then Gen. Smith left on Oct. 7 for No. 10 Downing St. at 9 a.m. on Monday."
        ]
    );
}

#[test]
fn claimants_on_the_sample_corpus() {
    let (_, an) = analysed("000_");
    // "Lavrov, claimed:" then a quotation paragraph: the quote is Lavrov's, full name.
    assert_eq!(
        claimant_of(&an, "Speaking at a press conference"),
        Some("Sergey Lavrov")
    );
    assert_eq!(
        claimant_of(&an, "“With regard to Gaza, there is a serious risk"),
        Some("Sergey Lavrov")
    );
    assert_eq!(
        claimant_of(&an, "“But as I stand here today"),
        Some("Jake Sullivan")
    );
    let blinken =
        claimant_of(&an, "U.S. Secretary of State Antony Blinken told ABC’s").unwrap_or("");
    assert!(blinken.ends_with("Antony Blinken"), "{blinken}");
    // The quotation paragraph after Blinken's introduction is his, sentence after sentence.
    assert!(
        claimant_of(&an, "In fact, Hamas wouldn’t be Hamas")
            .unwrap_or("")
            .ends_with("Antony Blinken")
    );
    // Narration without a speaker has none.
    assert_eq!(claimant_of(&an, "That is false."), None);
}

#[test]
fn check_worthy_sentences_in_the_sample_corpus() {
    let (_, an) = analysed("002_");
    let score = |starts: &str| {
        an.claims
            .iter()
            .find(|c| c.text.starts_with(starts))
            .unwrap_or_else(|| panic!("no sentence {starts:?}"))
    };
    let toll = score("Meanwhile, about 2,750 people were killed");
    assert!(toll.score >= claims::THRESHOLD, "{toll:?}");
    assert!(toll.reasons.iter().any(|r| r == "a figure"), "{toll:?}");
    let funding = score("Nathan Sales, a counterterrorism expert");
    assert!(funding.score >= claims::THRESHOLD, "{funding:?}");
    assert!(
        funding
            .reasons
            .iter()
            .any(|r| r == "money or a percentage" || r == "a figure")
    );
}

#[test]
fn held_out_style_sentences() {
    let claim = [
        "Unemployment has risen to 9 percent since the president took office.",
        "We spent $2 trillion on the war in Iraq.",
        "My opponent voted against the defense bill three times.",
        "Crime in this city fell by 20 percent last year.",
    ];
    let other = [
        "Thank you, and good evening.",
        "I want to be a president for all Americans.",
        "What would you do about it?",
        "Let me say this to the American people: we will get through this together.",
    ];
    for s in claim {
        let got = claims::score(s);
        assert!(got.score >= claims::THRESHOLD, "{s}: {got:?}");
        assert!(!got.reasons.is_empty());
    }
    for s in other {
        let got = claims::score(s);
        assert!(got.score < claims::THRESHOLD, "{s}: {got:?}");
    }
    assert_eq!(claims::score("").score, 0.0);
}

#[test]
fn score_claims_prints_one_line_per_input_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sentences.txt");
    std::fs::write(
        &path,
        "Thank you very much.\n\nHamas fighters killed at least 1,400 people and took more than 200 hostages.\r\n   \nI think we should work together.\nSergey Lavrov\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .arg("score-claims")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The last line (a bare name) scores near the cut: label and printed score must agree.
    assert_eq!(lines.len(), 6, "{text}");
    for line in &lines {
        let (digits, label) = line.split_once('\t').unwrap();
        assert_eq!(digits.len(), 4, "two decimals: {line}");
        let score: f32 = digits.parse().unwrap();
        assert!((0.0..=1.0).contains(&score));
        assert_eq!(
            label,
            if score >= claims::THRESHOLD {
                "claim"
            } else {
                "other"
            }
        );
    }
    assert!(lines[2].ends_with("\tclaim"), "{text}");
    assert_eq!(lines[1], "0.00\tother");
    assert_eq!(lines[3], "0.00\tother");
}
