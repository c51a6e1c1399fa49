//! The bundled sample project: five articles (Oct 2023) about Russia, Iran and Hamas, with one
//! finished fact-check recorded (Sergey Lavrov's claim that Iran took "a responsible and
//! balanced stand", rated False, with a note and refuting passages from two other articles), so
//! a new user sees a worked example and its report at once.
//!
//! `projects/sample.ron` reads its articles from `../assets/corpus`, outside its folder, which
//! only the bundled copy is trusted to do ([`trusted_roots_for`]). [`copy_to`] writes a
//! self-contained copy (project and articles in one folder, relative paths) that opens wherever
//! it is moved, with no folder to allow.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::analysis::EntityKind;
use crate::project::{
    Anchor, Claim, Edit, Entity, Evidence, EvidenceSource, Mention, Origin, Stance, file, new_id,
};
use crate::text::Span;
use crate::workspace::Workspace;

/// The repository folder (where `assets/` and `projects/` live), found from the executable's
/// location, then from the build-time source folder.
pub fn root() -> PathBuf {
    let candidates = std::env::current_exe()
        .ok()
        .into_iter()
        .flat_map(|exe| exe.ancestors().map(PathBuf::from).collect::<Vec<_>>())
        .chain(std::iter::once(source_root()));
    for dir in candidates {
        if dir.join("projects/sample.ron").is_file() && dir.join("assets/corpus").is_dir() {
            return dir;
        }
    }
    source_root()
}

/// The repository folder this crate was built from (`crates/claimdesk-core/../..`).
fn source_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The sample project file.
pub fn project_path() -> PathBuf {
    root().join("projects/sample.ron")
}

/// The sample corpus folder (trusted: the sample project reads its articles from there).
pub fn corpus_dir() -> PathBuf {
    root().join("assets/corpus")
}

/// Folders a project may read besides its own: the bundled sample reads its articles from
/// `assets/`, beside `projects/`; any other project gets none.
pub fn trusted_roots_for(project: &Path) -> Vec<PathBuf> {
    let is_sample = project.canonicalize().ok() == project_path().canonicalize().ok()
        && project.canonicalize().is_ok();
    if is_sample {
        vec![corpus_dir()]
    } else {
        Vec::new()
    }
}

/// The fact-check article: "Russia's Foreign Minister Paints Iran a Responsible and Balanced…".
pub const FACT_CHECK_ARTICLE: &str = "000_164a3089b8e03eed.txt";
/// Iran's foreign minister in Qatar: "any possibility in the region is likely".
pub const IRAN_ARTICLE: &str = "002_422bb6ef6b69d9a6.txt";
/// "For Hamas, Moscow and Tehran are open for business": Iran's money to Hamas.
pub const MOSCOW_ARTICLE: &str = "003_e0f09e3576302cfd.txt";

/// The claim as the analyst selected it, with the article's own quotation marks.
pub const LAVROV_QUOTE: &str = "“With regard to Gaza, there is a serious risk of that crisis growing into a regional conflict… \
the Iranian authorities have taken a responsible and balanced stand and have called for preventing the conflict \
from spreading throughout the region, to neighboring states.\"";
pub const LAVROV_NOTE: &str = "Iran's foreign minister warned that week that “any possibility in the region is likely” \
if Israel's operations in Gaza continued, and Tehran funds Hamas with about $100 million a year (US State \
Department, 2020). Nothing in these reports shows Tehran calling for restraint.";
pub const IRAN_PASSAGE: &str = "any possibility in the region is likely";
pub const FUNDING_PASSAGE: &str = "Tehran funnels roughly $100 million a year to Palestinian militant groups, \
including Hamas, Islamic Jihad and the Popular Front for the Liberation of Palestine-General Command, per a 2020 \
US State Department report.";

/// The char span of `needle` in `article`, searched after the end of `after` when given.
fn find(ws: &Workspace, article: &str, needle: &str, after: Option<&str>) -> Result<Span> {
    let a = ws
        .article(article)
        .with_context(|| format!("the sample article {article} is not loaded"))?;
    let from = match after {
        Some(marker) => {
            a.text
                .find(marker)
                .with_context(|| format!("{marker:?} not found in {article}"))?
                + marker.len()
        }
        None => 0,
    };
    let byte = from
        + a.text[from..]
            .find(needle)
            .with_context(|| format!("{needle:?} not found in {article}"))?;
    let start = a.char_of(byte);
    Ok(Span::new(start, start + needle.chars().count()))
}

/// The edits that record the Lavrov fact-check in a workspace holding the sample's articles, as
/// an analyst would make them (new ids): the claim, two refuting passages, and the registry
/// entries for Sergey Lavrov and Iran with one mention each.
pub fn fact_check_edits(ws: &Workspace) -> Result<Vec<Edit>> {
    let anchor = |article: &str, span: Span| -> Result<Anchor> {
        let a = ws
            .article(article)
            .with_context(|| format!("the sample article {article} is not loaded"))?;
        Ok(Anchor::new(a, span))
    };
    // The quote appears twice (teaser and body); the claim is the body's, after "claimed:".
    let claim_span = find(
        ws,
        FACT_CHECK_ARTICLE,
        LAVROV_QUOTE,
        Some("Lavrov, claimed:"),
    )?;
    let claim_id = new_id();
    let lavrov = new_id();
    let iran = new_id();
    let passage = |article: &str, text: &str, note: &str| -> Result<Edit> {
        Ok(Edit::PutEvidence {
            id: new_id(),
            evidence: Evidence {
                provenance: Default::default(),
                claim: claim_id.clone(),
                stance: Stance::Refutes,
                source: EvidenceSource::Passage {
                    article: article.into(),
                    anchor: anchor(article, find(ws, article, text, None)?)?,
                },
                note: note.into(),
            },
        })
    };
    Ok(vec![
        Edit::PutClaim {
            id: claim_id.clone(),
            claim: Claim {
                status: None,
                assignee: None,
                reviewer: None,
                signed_off: None,
                provenance: Default::default(),
                article: FACT_CHECK_ARTICLE.into(),
                anchor: anchor(FACT_CHECK_ARTICLE, claim_span)?,
                claimant: Some("Sergey Lavrov".into()),
                verdict: Some("False".into()),
                note: LAVROV_NOTE.into(),
                origin: Origin::Analyst,
                conflicts: Vec::new(),
            },
        },
        passage(
            IRAN_ARTICLE,
            IRAN_PASSAGE,
            "Iran's foreign minister, after meeting Hamas's leader in Qatar, threatens escalation rather than restraint.",
        )?,
        passage(
            MOSCOW_ARTICLE,
            FUNDING_PASSAGE,
            "Tehran funds Hamas and other armed groups: not a balanced stand.",
        )?,
        Edit::PutEntity {
            id: lavrov.clone(),
            entity: Entity {
                provenance: Default::default(),
                name: "Sergey Lavrov".into(),
                kind: EntityKind::Person,
                aliases: vec!["Lavrov".into()],
                note: "Russian foreign minister".into(),
            },
        },
        Edit::PutEntity {
            id: iran.clone(),
            entity: Entity {
                provenance: Default::default(),
                name: "Iran".into(),
                kind: EntityKind::Gpe,
                aliases: Vec::new(),
                note: String::new(),
            },
        },
        Edit::PutMention {
            id: new_id(),
            mention: Mention {
                provenance: Default::default(),
                entity: lavrov,
                article: FACT_CHECK_ARTICLE.into(),
                anchor: anchor(
                    FACT_CHECK_ARTICLE,
                    find(
                        ws,
                        FACT_CHECK_ARTICLE,
                        "Lavrov",
                        Some("visit to North Korea, "),
                    )?,
                )?,
            },
        },
        Edit::PutMention {
            id: new_id(),
            mention: Mention {
                provenance: Default::default(),
                entity: iran,
                article: IRAN_ARTICLE.into(),
                anchor: anchor(
                    IRAN_ARTICLE,
                    find(ws, IRAN_ARTICLE, "Iran", Some("Islamic Republic of "))?,
                )?,
            },
        },
    ])
}

/// Writes a self-contained copy of the sample into `folder` (created): `sample.ron` and its
/// articles in `articles/`, stored with relative paths, so the copy opens wherever the folder is
/// moved, with no outside folder to allow. Returns the project file.
pub fn copy_to(folder: &Path) -> Result<PathBuf> {
    let project = folder.join("sample.ron");
    copy_to_project(&project)?;
    Ok(project)
}

/// Like [`copy_to`] with the project file at `project` and the articles in `articles/` beside
/// it. Refuses to replace an existing project, or an article file with other content.
pub fn copy_to_project(project: &Path) -> Result<()> {
    if project.exists() {
        bail!(
            "{} already exists; choose another name (Claimdesk never overwrites a project silently)",
            project.display()
        );
    }
    let source = project_path();
    let mut sample = file::load(&source)
        .with_context(|| format!("cannot read the bundled sample {}", source.display()))?;
    let folder = project.parent().unwrap_or(Path::new("."));
    let articles = folder.join("articles");
    std::fs::create_dir_all(&articles)
        .with_context(|| format!("cannot create {}", articles.display()))?;
    let source_dir = source.parent().unwrap_or(Path::new("."));
    for (id, entry) in sample.articles.iter_mut() {
        let from = source_dir.join(&entry.path);
        let name = from
            .file_name()
            .with_context(|| format!("the sample article {id} has no file name"))?
            .to_owned();
        let bytes = std::fs::read(&from)
            .with_context(|| format!("cannot read the sample article {}", from.display()))?;
        let to = articles.join(&name);
        match std::fs::read(&to) {
            Ok(existing) if existing == bytes => {}
            Ok(_) => bail!(
                "{} already exists with other content; choose an empty folder",
                to.display()
            ),
            Err(_) => file::write_atomically(&to, &bytes)
                .with_context(|| format!("cannot write {}", to.display()))?,
        }
        entry.path = format!("articles/{}", name.to_string_lossy());
    }
    file::save(&sample, project).with_context(|| format!("cannot write {}", project.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::OpenOptions;

    #[test]
    fn a_copy_moved_elsewhere_opens_with_its_articles_and_the_fact_check() {
        let dir = tempfile::tempdir().unwrap();
        let project = copy_to(&dir.path().join("first")).unwrap();
        assert!(project.ends_with("first/sample.ron"));
        // Moved after copying: nothing points back at the first folder or at assets/.
        let moved = dir.path().join("elsewhere/moved");
        std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
        std::fs::rename(dir.path().join("first"), &moved).unwrap();
        let ws = Workspace::open(&moved.join("sample.ron"), &OpenOptions::default()).unwrap();
        assert_eq!(ws.loaded_articles().count(), 5, "{:?}", ws.notices);
        assert!(ws.orphans().is_empty());
        let claim = ws.project().claims.values().next().expect("the fact-check");
        assert_eq!(claim.claimant.as_deref(), Some("Sergey Lavrov"));
        assert_eq!(claim.verdict.as_deref(), Some("False"));
        assert_eq!(ws.project().evidence.len(), 2);
        let text = std::fs::read_to_string(moved.join("sample.ron")).unwrap();
        assert!(!text.contains("assets"), "relative paths inside the folder");
        // A second copy into the same folder is refused, never overwritten.
        assert!(copy_to(&moved).is_err());
    }
}
