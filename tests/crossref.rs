//! Cross-article links on the real sample corpus.

use claimdesk_core::analysis::{self, ArticleAnalysis, KnownNames, crossref};
use claimdesk_core::corpus::{self, Article, ImportLimits};

fn linked() -> (Vec<Article>, crossref::CrossRefs) {
    let dir = claimdesk_core::sample::corpus_dir();
    let mut articles = corpus::import_paths(&[dir], &ImportLimits::default(), |_, _| true).0;
    articles.sort_by(|a, b| a.path.cmp(&b.path));
    let analyses: Vec<ArticleAnalysis> = articles
        .iter()
        .map(|a| analysis::analyze(a, &KnownNames::default()))
        .collect();
    let input: Vec<_> = articles
        .iter()
        .zip(&analyses)
        .map(|(a, an)| (&a.id, a, an))
        .collect();
    let links = crossref::link(&input);
    (articles, links)
}

fn figures(c: &crossref::FigureConflict) -> Vec<&str> {
    c.mentions.iter().map(|m| m.figure.as_str()).collect()
}

#[test]
#[ignore = "prints every link found in the sample corpus"]
fn dump() {
    let (_, links) = linked();
    for c in &links.conflicts {
        println!("CONFLICT {} {:?}", c.measure, c.subject);
        for m in &c.mentions {
            println!(
                "   {} [{}] {:?} {}",
                m.figure, m.passage.article, m.passage.span, m.passage.text
            );
        }
    }
    for e in &links.events {
        println!("EVENT {} {:?}", e.date, e.shared);
        for p in &e.passages {
            println!("   [{}] {}", p.article, p.text);
        }
    }
    for s in &links.same_claims {
        println!("SAME {:.2}", s.similarity);
        for p in &s.passages {
            println!("   [{}] {}", p.article, p.text);
        }
    }
}

#[test]
fn disagreeing_hostage_counts_are_flagged_with_both_sources() {
    let (articles, links) = linked();
    let c = links
        .conflicts
        .iter()
        .find(|c| c.measure == "hostages")
        .expect("a hostages conflict");
    let f = figures(c);
    assert!(f.iter().any(|x| x.contains("200")), "{f:?}");
    assert!(f.iter().any(|x| x.contains("150")), "{f:?}");
    // Subgroups ("23 Thai nationals", "eight Israeli-Russian hostages") are other quantities.
    assert!(
        !f.iter().any(|x| x.contains("23") || x.contains("eight")),
        "{f:?}"
    );
    // Spans point at the passages in their articles.
    for m in &c.mentions {
        let a = articles.iter().find(|a| a.id == m.passage.article).unwrap();
        assert_eq!(a.slice(m.passage.span), m.passage.text);
        assert!(m.passage.text.contains(&m.figure));
    }
    let sources: std::collections::BTreeSet<_> =
        c.mentions.iter().map(|m| &m.passage.article).collect();
    assert!(sources.len() >= 2);
}

#[test]
fn iran_funding_figures_disagree_but_a_one_off_payment_is_not_paired() {
    let (_, links) = linked();
    let money: Vec<_> = links
        .conflicts
        .iter()
        .filter(|c| c.measure == "money")
        .collect();
    assert_eq!(money.len(), 1, "{money:#?}");
    let f = figures(money[0]);
    for v in ["$100 million", "$70 million", "$150 million"] {
        assert!(f.iter().any(|x| x.contains(v)), "{v} missing from {f:?}");
    }
    assert!(!f.iter().any(|x| x.contains("22")), "{f:?}");
}

#[test]
fn gaza_death_tolls_disagree_and_israeli_toll_is_kept_apart() {
    let (_, links) = linked();
    let killed: Vec<_> = links
        .conflicts
        .iter()
        .filter(|c| c.measure == "killed")
        .collect();
    let gaza = killed
        .iter()
        .find(|c| figures(c).iter().any(|x| x.contains("2,750")))
        .expect("a Gaza death-toll conflict");
    let f = figures(gaza);
    assert!(f.iter().any(|x| x.contains("5,000")), "{f:?}");
    for c in &killed {
        let f = figures(c);
        let mixes = f.iter().any(|x| x.contains("1,400"))
            && f.iter()
                .any(|x| x.contains("2,750") || x.contains("5,000") || x.contains("58"));
        assert!(!mixes, "Israeli and Palestinian tolls paired: {f:?}");
    }
}

#[test]
fn the_october_14_qatar_meeting_is_one_event_in_two_articles() {
    let (_, links) = linked();
    let e = links
        .events
        .iter()
        .find(|e| e.date == "October 14" && e.shared.iter().any(|k| k == "qatar"))
        .expect("the Qatar meeting");
    assert!(e.shared.iter().any(|k| k.contains("haniyeh")), "{e:?}");
    let articles: std::collections::BTreeSet<_> =
        e.passages.iter().map(|p| p.article.as_str()).collect();
    assert!(
        articles.contains("000_164a3089b8e03eed.txt")
            && articles.contains("002_422bb6ef6b69d9a6.txt"),
        "{e:#?}"
    );
}

#[test]
fn the_same_quote_is_found_in_two_articles() {
    let (_, links) = linked();
    let same = links
        .same_claims
        .iter()
        .find(|s| {
            s.passages
                .iter()
                .all(|p| p.text.contains("opportunity to pitch itself"))
        })
        .expect("the Carnegie quote in two articles");
    assert_ne!(same.passages[0].article, same.passages[1].article);
    // Unrelated sentences are not linked.
    for s in &links.same_claims {
        assert!(s.similarity >= 0.5);
    }
}

#[test]
fn injured_counts_are_not_mixed_with_death_tolls() {
    let (_, links) = linked();
    for c in links.conflicts.iter().filter(|c| c.measure == "killed") {
        let f = figures(c);
        assert!(
            !f.iter()
                .any(|x| x.contains("1,250") || x.contains("9,700") || x.contains("3,500")),
            "{f:?}"
        );
    }
}

#[test]
fn the_october_26_moscow_talks_link_a_dated_and_a_weekday_report() {
    let (_, links) = linked();
    let e = links
        .events
        .iter()
        .find(|e| e.date == "October 26" && e.shared.iter().any(|k| k == "russia"))
        .expect("the Moscow talks");
    let articles: std::collections::BTreeSet<_> =
        e.passages.iter().map(|p| p.article.as_str()).collect();
    assert!(
        articles.contains("001_6076344b43b91c38.txt")
            && articles.contains("003_e0f09e3576302cfd.txt"),
        "{e:#?}"
    );
}
