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
    for t in &links.timelines {
        println!("TIMELINE {}", t.reasons.join(" | "));
    }
    for c in &links.conflicts {
        println!("WHY {}", c.reasons.join(" | "));
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
fn hostage_counts_reported_on_different_days_form_a_timeline_with_their_dates() {
    let (articles, links) = linked();
    assert!(
        !links.conflicts.iter().any(|c| c.measure == "hostages"),
        "150 (mid-October) and 200 (late October) are a rising count, not a conflict: {:#?}",
        links.conflicts
    );
    let t = links
        .timelines
        .iter()
        .find(|t| t.measure == "hostages")
        .expect("a hostages timeline");
    let f: Vec<&str> = t.points.iter().map(|p| p.figure.as_str()).collect();
    assert!(f[0].contains("150"), "oldest first: {f:?}");
    assert!(f.iter().any(|x| x.contains("200")), "{f:?}");
    // Subgroups ("23 Thai nationals", "eight Israeli-Russian hostages") are other quantities.
    assert!(
        !f.iter().any(|x| x.contains("23") || x.contains("eight")),
        "{f:?}"
    );
    for p in &t.points {
        let a = articles
            .iter()
            .find(|a| *a.id == *p.passage.article)
            .unwrap();
        assert_eq!(a.slice(p.passage.span), &*p.passage.text);
        assert!(p.passage.text.contains(&p.figure));
        assert!(p.date.is_some(), "{p:?}");
    }
    assert!(
        t.reasons.iter().any(|r| r.contains("not a conflict")),
        "{:?}",
        t.reasons
    );
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
    assert!(
        money[0]
            .reasons
            .iter()
            .any(|r| r == "same period: yearly amounts"),
        "{:?}",
        money[0].reasons
    );
    let f = figures(money[0]);
    for v in ["$100 million", "$70 million", "$150 million"] {
        assert!(f.iter().any(|x| x.contains(v)), "{v} missing from {f:?}");
    }
    assert!(!f.iter().any(|x| x.contains("22")), "{f:?}");
}

#[test]
fn the_gaza_toll_reported_on_two_dates_is_a_timeline_and_the_israeli_toll_is_kept_apart() {
    let (_, links) = linked();
    // 2,750 (an article whose latest day is October 15) then over 5,000 (The Cradle, dated
    // October 24, 2023): the toll rose; it is not a conflict.
    let all = |f: &crossref::FigureMention| f.figure.clone();
    for c in &links.conflicts {
        let f: Vec<String> = c.mentions.iter().map(all).collect();
        assert!(
            !(f.iter().any(|x| x.contains("2,750")) && f.iter().any(|x| x.contains("5,000"))),
            "the toll's two dates flagged as a conflict: {f:?}"
        );
    }
    let gaza = links
        .timelines
        .iter()
        .find(|t| t.points.iter().any(|p| p.figure.contains("2,750")))
        .expect("the Gaza toll's timeline");
    assert_eq!(gaza.measure, "killed");
    let points: Vec<(&str, Option<&str>)> = gaza
        .points
        .iter()
        .map(|p| (p.figure.as_str(), p.date.as_deref()))
        .collect();
    assert_eq!(
        points,
        [
            ("about 2,750", Some("10-15")),
            ("over 5,000", Some("2023-10-24"))
        ]
    );
    for t in links.timelines.iter().filter(|t| t.measure == "killed") {
        let f: Vec<&str> = t.points.iter().map(|p| p.figure.as_str()).collect();
        let mixes = f.iter().any(|x| x.contains("1,400"))
            && f.iter()
                .any(|x| x.contains("2,750") || x.contains("5,000") || x.contains("58"));
        assert!(!mixes, "Israeli and Palestinian tolls paired: {f:?}");
    }
}

#[test]
fn every_conflict_says_why() {
    let (_, links) = linked();
    assert!(!links.conflicts.is_empty());
    for c in &links.conflicts {
        assert!(
            c.reasons.iter().any(|r| r.starts_with("same quantity")),
            "{c:#?}"
        );
        assert!(
            c.reasons
                .iter()
                .any(|r| r.starts_with("same time") || r.starts_with("same period")),
            "{c:#?}"
        );
        assert!(
            c.reasons.iter().any(|r| r.starts_with("different sources")),
            "{c:#?}"
        );
    }
}

/// Two figures of one sentence (this quarter, a year earlier) are different quantities: the
/// sentence reported again by another outlet must not pair one with the other.
#[test]
fn two_figures_of_one_sentence_are_never_compared() {
    let texts = [
        (
            "a.txt",
            "Acme Motors said its profit was $5bn in the third quarter, up from $3bn a year earlier.\n",
        ),
        (
            "b.txt",
            "Acme Motors said on Tuesday its profit was $5bn in the third quarter, compared with $3bn a year earlier, beating forecasts.\n",
        ),
    ];
    let articles: Vec<Article> = texts
        .iter()
        .map(|(id, t)| Article::from_text(id, t))
        .collect();
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
    assert!(links.conflicts.is_empty(), "{:#?}", links.conflicts);
    assert!(links.timelines.is_empty(), "{:#?}", links.timelines);
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
    let articles: std::collections::BTreeSet<_> = e.passages.iter().map(|p| &*p.article).collect();
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
    let articles: std::collections::BTreeSet<_> = e.passages.iter().map(|p| &*p.article).collect();
    assert!(
        articles.contains("001_6076344b43b91c38.txt")
            && articles.contains("003_e0f09e3576302cfd.txt"),
        "{e:#?}"
    );
}
