//! Edits on the entity registry: merge, split, and adopting a name's spellings found across
//! the corpus. Each is one [`Edit::Batch`], so one undo step, whichever view asked for it.

use super::{Anchor, Edit, Entity, Id, Mention, Project, new_id};
use crate::analysis::crossref::Spellings;
use crate::corpus::Article;
use crate::text::SpanSet;

/// The edit merging `others` into `target`: mentions move, names become aliases, one undo step.
pub fn merge_entities_edit(project: &Project, target: &str, others: &[Id]) -> Option<Edit> {
    let mut merged = project.entities.get(target)?.clone();
    let mut edits = Vec::new();
    merge_into(project, target, &mut merged, others, &mut edits);
    edits.insert(
        0,
        Edit::PutEntity {
            id: target.to_string(),
            entity: merged,
        },
    );
    Some(Edit::Batch(edits))
}

/// Folds `others` into `merged` (the entity stored as `target`): their names become aliases,
/// notes are appended, and `edits` gains the moves of their mentions and their removal.
fn merge_into(
    project: &Project,
    target: &str,
    merged: &mut Entity,
    others: &[Id],
    edits: &mut Vec<Edit>,
) {
    for other in others.iter().filter(|o| o.as_str() != target) {
        let Some(entity) = project.entities.get(other) else {
            continue;
        };
        for form in entity.surface_forms() {
            if !merged.surface_forms().any(|f| f.eq_ignore_ascii_case(form)) {
                merged.aliases.push(form.to_string());
            }
        }
        if !entity.note.is_empty() {
            if !merged.note.is_empty() {
                merged.note.push('\n');
            }
            merged.note.push_str(&entity.note);
        }
        for (mid, mention) in project.mentions.iter().filter(|(_, m)| &m.entity == other) {
            let mut moved = mention.clone();
            moved.entity = target.to_string();
            edits.push(Edit::PutMention {
                id: mid.clone(),
                mention: moved,
            });
        }
        edits.push(Edit::RemoveEntity { id: other.clone() });
    }
}

/// The edit splitting `alias` off `entity` into a new entity with the mentions spelled so.
pub fn split_alias_edit(project: &Project, entity_id: &str, alias: &str) -> Option<Edit> {
    let entity = project.entities.get(entity_id)?;
    let mut kept = entity.clone();
    kept.aliases.retain(|a| a != alias);
    let new = new_id();
    let mut edits = vec![
        Edit::PutEntity {
            id: entity_id.to_string(),
            entity: kept,
        },
        Edit::PutEntity {
            id: new.clone(),
            entity: Entity {
                provenance: Default::default(),
                name: alias.to_string(),
                kind: entity.kind,
                aliases: Vec::new(),
                note: String::new(),
            },
        },
    ];
    for (mid, mention) in project
        .mentions
        .iter()
        .filter(|(_, m)| m.entity == entity_id)
    {
        if mention.anchor.quote.eq_ignore_ascii_case(alias) {
            let mut moved = mention.clone();
            moved.entity = new.clone();
            edits.push(Edit::PutMention {
                id: mid.clone(),
                mention: moved,
            });
        }
    }
    Some(Edit::Batch(edits))
}

/// The registry entities that already carry one of `group`'s spellings, the one that would keep
/// its record first: the one named like the group, else the fullest name ("Sergei Lavrov"
/// over "Lavrov").
pub fn spelling_holders<'p>(project: &'p Project, group: &Spellings) -> Vec<(&'p Id, &'p Entity)> {
    let mut holders: Vec<(&Id, &Entity)> = Vec::new();
    for (form, _) in &group.forms {
        if let Some((id, entity)) = project.entity_named(form)
            && !holders.iter().any(|(held, _)| *held == id)
        {
            holders.push((id, entity));
        }
    }
    holders.sort_by_key(|(_, entity)| {
        (
            !entity.name.eq_ignore_ascii_case(&group.name),
            std::cmp::Reverse(entity.name.split_whitespace().count()),
        )
    });
    holders
}

/// The edit that makes one registry entity of a name written several ways. The first of
/// [`spelling_holders`] takes every form as an alias and absorbs the others; with none, a new
/// entity is made. Each mention not yet recorded becomes one, unless the analyst recorded
/// another there or its text has changed since the links were made. `None` when there is
/// nothing left to do.
pub fn adopt_spellings_edit<'a>(
    project: &Project,
    group: &Spellings,
    article: impl Fn(&str) -> Option<&'a Article>,
) -> Option<Edit> {
    let holders: Vec<Id> = spelling_holders(project, group)
        .into_iter()
        .map(|(id, _)| id.clone())
        .collect();
    let (target, original) = match holders.first() {
        Some(id) => (id.clone(), project.entities.get(id).cloned()),
        None => (new_id(), None),
    };
    let mut entity = original.clone().unwrap_or_else(|| Entity {
        provenance: Default::default(),
        name: group.name.clone(),
        kind: group.kind,
        aliases: Vec::new(),
        note: String::new(),
    });
    let mut edits = Vec::new();
    merge_into(project, &target, &mut entity, &holders, &mut edits);
    for (form, _) in &group.forms {
        if !entity.surface_forms().any(|f| f.eq_ignore_ascii_case(form)) {
            entity.aliases.push(form.clone());
        }
    }

    let mut recorded: std::collections::HashMap<&str, SpanSet> = Default::default();
    for mention in &group.mentions {
        let Some(text) = article(&mention.article) else {
            continue;
        };
        if mention.span.end > text.char_len() || text.slice(mention.span) != &*mention.text {
            continue;
        }
        let taken = recorded.entry(&*mention.article).or_insert_with(|| {
            SpanSet::new(
                project
                    .mentions_in(&mention.article)
                    .iter()
                    .map(|(_, m)| m.anchor.span())
                    .collect(),
            )
        });
        if taken.overlaps_any(&mention.span) {
            continue;
        }
        edits.push(Edit::PutMention {
            id: new_id(),
            mention: Mention {
                provenance: Default::default(),
                entity: target.clone(),
                article: mention.article.to_string(),
                anchor: Anchor::new(text, mention.span),
            },
        });
    }
    if edits.is_empty() && original.as_ref() == Some(&entity) {
        return None;
    }
    edits.insert(0, Edit::PutEntity { id: target, entity });
    Some(Edit::Batch(edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{EntityKind, KnownNames, crossref};
    use crate::progress::Quiet;
    use std::sync::Arc;

    /// The sample's articles, and an empty project that lists them.
    fn sample() -> (Project, Vec<Arc<Article>>) {
        let ws = crate::workspace::Workspace::import(
            &[crate::sample::corpus_dir()],
            &crate::corpus::ImportLimits::default(),
        );
        let articles = ws.loaded_articles().cloned().collect();
        (ws.project().clone(), articles)
    }

    fn lavrov(articles: &[Arc<Article>]) -> Spellings {
        let input: Vec<_> = articles.iter().map(|a| (a.clone(), None)).collect();
        crossref::link_all(&input, &KnownNames::default(), &Quiet)
            .unwrap()
            .spellings
            .into_iter()
            .find(|g| g.name == "Sergey Lavrov")
            .expect("the sample spells Lavrov several ways")
    }

    fn person(name: &str) -> Entity {
        Entity {
            provenance: Default::default(),
            name: name.into(),
            kind: EntityKind::Person,
            aliases: Vec::new(),
            note: String::new(),
        }
    }

    #[test]
    fn adopting_spellings_makes_one_entity_with_every_mention_once() {
        let (mut project, articles) = sample();
        let group = lavrov(&articles);
        let find = |id: &str| articles.iter().find(|a| a.id == id).map(|a| a.as_ref());
        project
            .apply(adopt_spellings_edit(&project, &group, find).unwrap())
            .unwrap();

        assert_eq!(project.entities.len(), 1);
        let (id, entity) = project.entities.iter().next().unwrap();
        assert_eq!(entity.name, "Sergey Lavrov");
        assert!(entity.aliases.contains(&"Sergei Lavrov".to_string()));
        assert!(entity.aliases.contains(&"Lavrov".to_string()));
        assert_eq!(project.mentions.len(), group.mentions.len());
        for mention in project.mentions.values() {
            assert_eq!(&mention.entity, id);
            assert!(mention.anchor.quote.contains("Lavrov"), "{mention:?}");
        }
        assert!(
            adopt_spellings_edit(&project, &group, find).is_none(),
            "a second time there is nothing to do"
        );
    }

    #[test]
    fn adopting_keeps_the_analysts_entities_and_mentions() {
        let (mut project, articles) = sample();
        let group = lavrov(&articles);
        let find = |id: &str| articles.iter().find(|a| a.id == id).map(|a| a.as_ref());
        // The analyst already has "Sergei Lavrov" (with a note and one mention) and "Lavrov".
        let mut sergei = person("Sergei Lavrov");
        sergei.note = "Russia's foreign minister".into();
        project.entities.insert("01s".into(), sergei);
        project.entities.insert("01l".into(), person("Lavrov"));
        let first = &group.mentions[0];
        let article = find(&first.article).unwrap();
        project.mentions.insert(
            "01m".into(),
            Mention {
                provenance: Default::default(),
                entity: "01l".into(),
                article: first.article.to_string(),
                anchor: Anchor::new(article, first.span),
            },
        );

        project
            .apply(adopt_spellings_edit(&project, &group, find).unwrap())
            .unwrap();
        assert_eq!(project.entities.len(), 1, "{:?}", project.entities);
        let kept = &project.entities["01s"];
        assert_eq!(kept.name, "Sergei Lavrov", "the analyst's name stays");
        assert_eq!(kept.note, "Russia's foreign minister");
        assert!(kept.aliases.contains(&"Sergey Lavrov".to_string()));
        assert_eq!(
            project.mentions["01m"].entity, "01s",
            "recorded mention moved"
        );
        assert_eq!(
            project.mentions.len(),
            group.mentions.len(),
            "no second mention where one was recorded"
        );
    }

    #[test]
    fn a_mention_whose_text_changed_is_not_recorded() {
        let (mut project, articles) = sample();
        let group = lavrov(&articles);
        let changed_id = group.mentions[0].article.clone();
        let changed = articles.iter().find(|a| *a.id == *changed_id).unwrap();
        let mut edited = changed.as_ref().clone();
        edited.set_text(changed.text.replace("Lavrov", "Lavrow"));
        let find = |id: &str| {
            if *id == *changed_id {
                Some(&edited)
            } else {
                articles.iter().find(|a| a.id == id).map(|a| a.as_ref())
            }
        };
        project
            .apply(adopt_spellings_edit(&project, &group, find).unwrap())
            .unwrap();
        let stale = group
            .mentions
            .iter()
            .filter(|m| m.article == changed_id)
            .count();
        assert!(stale > 0);
        assert_eq!(project.mentions.len(), group.mentions.len() - stale);
        assert!(project.mentions.values().all(|m| *m.article != *changed_id));
    }
}
