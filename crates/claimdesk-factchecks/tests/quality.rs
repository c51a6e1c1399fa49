//! Matching quality on the labelled claim ↔ fact-check pairs (`tests/data/pairs.tsv`) among the
//! BBC articles' sentences as distractors. Prints the figures; the floors sit a little under what
//! was measured, so that a change that makes matching worse fails here.

use claimdesk_factchecks::eval;

#[test]
fn labelled_pairs_are_found_and_negations_are_not() {
    let repo = claimdesk_core::sample::root();
    if !eval::bbc_dir(&repo).is_dir() {
        eprintln!("note: ../shared/news/bbc is missing; matching quality not measured");
        return;
    }
    let quality = eval::evaluate(&repo, None, 300).unwrap();
    eprintln!(
        "factchecks quality: pairs={} paraphrases={} negations={} library={} precision_at_1={:.3} recall_at_5={:.3} checked_before={:.3} negations_rejected={:.3} unrelated={} unrelated_checked_before={:.3} debate_claims={} debate_checked_before={:.3}",
        quality.pairs,
        quality.paraphrases,
        quality.negations,
        quality.library,
        quality.precision_at_1,
        quality.recall_at_5,
        quality.checked_before,
        quality.negations_rejected,
        quality.unrelated,
        quality.unrelated_checked_before,
        quality.debate_claims,
        quality.debate_checked_before
    );
    for (claim, factcheck, first) in &quality.misses {
        eprintln!("missed: {claim}\n   fact-check: {factcheck}\n   first: {first:?}");
    }
    assert_eq!(quality.pairs, 76, "every labelled pair is read");
    // Measured: precision@1 0.938, recall@5 0.985, every negation rejected, 1.5% of 1,000
    // debate claims "checked before" (a 300-claim sample here). Three of the four misses at
    // rank 1 are beaten by a BBC sentence telling the same story (the set repeats stories).
    assert!(quality.precision_at_1 >= 0.9, "{quality:?}");
    assert!(quality.recall_at_5 >= 0.95, "{quality:?}");
    assert_eq!(quality.negations_rejected, 1.0, "{quality:?}");
    if quality.debate_claims > 0 {
        assert!(quality.debate_checked_before <= 0.03, "{quality:?}");
    }
}
