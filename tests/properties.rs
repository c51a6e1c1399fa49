//! Property tests for the two places hostile or changed input meets the analyst's data: the
//! project loader and re-anchoring. Run longer with `PROPTEST_CASES=100000 cargo test --test properties`.

use std::path::Path;

use claimdesk::corpus::Article;
use claimdesk::project::anchor::{Anchor, Reanchor, reanchor};
use claimdesk::project::file;
use claimdesk::text::Span;
use proptest::prelude::*;

const VALID: &str = r#"(
    format_version: 1,
    name: "P",
    rating_scale: [(label:"True",value:2),(label:"False",value:1)],
    articles: {
        "a.txt": (path:"a.txt",hash:"x",meta:(title:"T")),
    },
    claims: {
        "01": (article:"a.txt",anchor:(start:3,end:9,quote:"Lavrov",prefix:"",suffix:""),claimant:Some("S"),verdict:Some("False"),note:"n\u{e9}",origin:Analyst),
    },
    entities: {
        "e1": (name:"Iran",kind:GPE,aliases:["Tehran"]),
    },
    mentions: {
        "m1": (entity:"e1",article:"a.txt",anchor:(start:0,end:4,quote:"Iran")),
    },
    evidence: {
    },
    dismissed: [],
)"#;

#[test]
fn the_reference_file_loads() {
    let p = file::from_ron_str(VALID, Path::new("v.ron")).unwrap();
    assert_eq!(p.claims.len(), 1);
}

proptest! {
    #[test]
    fn loader_never_panics_on_mangled_files(cut in 0usize..VALID.len(), flip in 0usize..VALID.len(), byte in any::<u8>(), junk in ".{0,40}") {
        let mut bytes = VALID.as_bytes().to_vec();
        bytes[flip] = byte;
        bytes.truncate(cut.max(1));
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        text.push_str(&junk);
        if let Ok(project) = file::from_ron_str(&text, Path::new("m.ron")) {
            for claim in project.claims.values() {
                prop_assert!(claim.anchor.start <= claim.anchor.end);
            }
            for mention in project.mentions.values() {
                prop_assert!(project.entities.contains_key(&mention.entity));
            }
        }
    }

    #[test]
    fn loader_never_panics_on_arbitrary_text(text in "\\PC{0,300}") {
        let _ = file::from_ron_str(&text, Path::new("r.ron"));
    }

    #[test]
    fn reanchoring_finds_untouched_quotes_and_never_panics(
        words in proptest::collection::vec("[A-Za-zé’]{1,8}", 8..60),
        pick in 0usize..1000,
        len in 1usize..5,
        insert_at in 0usize..1000,
        inserted in "[a-z ]{0,12}",
    ) {
        let text = words.join(" ");
        let old = Article::from_text("a.txt", &text);
        let first = pick % words.len();
        let last = (first + len).min(words.len());
        let start: usize = words[..first].iter().map(|w| w.chars().count() + 1).sum();
        let quote_len: usize = words[first..last].iter().map(|w| w.chars().count()).sum::<usize>() + (last - first - 1);
        let anchor = Anchor::new(&old, Span::new(start, start + quote_len));

        // Insert text somewhere outside the quote.
        let chars: Vec<char> = text.chars().collect();
        let at = insert_at % (chars.len() + 1);
        let outside = at <= anchor.start || at >= anchor.end;
        let mut new_text: String = chars[..at].iter().collect();
        new_text.push_str(&inserted);
        new_text.extend(&chars[at..]);
        let new = Article::from_text("a.txt", &new_text);
        match reanchor(&anchor, &new) {
            Reanchor::Held => prop_assert_eq!(new.slice(anchor.span()), anchor.quote.as_str()),
            Reanchor::Moved(moved) => {
                prop_assert_eq!(new.slice(moved.span()), moved.quote.as_str());
                if outside {
                    prop_assert_eq!(&moved.quote, &anchor.quote);
                }
            }
            Reanchor::Orphaned => prop_assert!(!outside, "an untouched quote was orphaned"),
        }
    }
}
