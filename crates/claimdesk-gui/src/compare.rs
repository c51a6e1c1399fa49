//! Across articles: the same quotes, the same events and figures that disagree, and a compare
//! view that puts two passages side by side with the entities both articles share underlined.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use egui::RichText;
use egui::text::{LayoutJob, TextFormat};

use crate::article_view::quoted;
use crate::context::{Action, Actions, Compare, ViewCtx};
use crate::jobs::{Job, Poll};
use crate::theme;
use claimdesk_core::analysis::crossref::{CrossRefs, FigureMention, Passage, Spellings};
use claimdesk_core::project::registry::spelling_holders;
use claimdesk_core::text::Span;

/// (workspace, project) revisions: what a set of links was made from.
type Revision = (u64, u64);

/// The "Across articles" tab's own state: cross-article links, made in the background.
#[derive(Default)]
pub struct Across {
    links: Option<Arc<CrossRefs>>,
    /// The project revision (and workspace) the shown links were made from: a later edit
    /// makes them stale. Analyses arriving do not.
    made_at: Option<Revision>,
    running: Option<(Job<Option<CrossRefs>>, Revision)>,
    /// The analyst stopped the last run: wait for Refresh instead of starting again.
    stopped: bool,
    /// Counts, time so far and time left of the run under way (issue 19: never a bare spinner).
    clock: crate::link_progress::StageClock,
    /// Articles in the run under way.
    articles: usize,
    /// Seconds per article the last run's final step took, for the next one's estimate.
    linking_rate: Option<f64>,
    /// The last finished run: articles and seconds.
    linked_in: Option<(usize, f64)>,
}

impl Across {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    pub fn links(&self) -> Option<&CrossRefs> {
        self.links.as_deref()
    }

    /// Starts linking every loaded article on a background thread; articles already analysed
    /// (those the analyst opened) are not analysed again. A run already going is stopped.
    fn start(&mut self, cx: &ViewCtx, ctx: &egui::Context) {
        let Some(ws) = cx.ws else {
            return;
        };
        if let Some((old, _)) = self.running.take() {
            old.cancel();
        }
        let articles: Vec<_> = ws
            .loaded_articles()
            .map(|a| (a.clone(), ws.cached_analysis(&a.id)))
            .collect();
        let known = ws.known_names();
        let at = (cx.state.revisions.workspace, cx.state.revisions.project);
        self.clock = crate::link_progress::StageClock::start(cx.now);
        self.articles = articles.len();
        let job = Job::spawn(
            "cross-article links",
            Some(ctx),
            cx.inline_work,
            move |worker| claimdesk_core::analysis::crossref::link_all(&articles, &known, worker),
        );
        self.running = Some((job, at));
        self.stopped = false;
    }

    fn poll(&mut self, now: f64) {
        let Some((job, at)) = &mut self.running else {
            return;
        };
        self.clock.observe(&job.progress(), now);
        match job.poll() {
            Poll::Running => {}
            Poll::Done(Some(links)) => {
                if let Some(rate) = self.clock.linking_rate(now, self.articles) {
                    self.linking_rate = Some(rate);
                }
                self.linked_in = Some((self.articles, self.clock.elapsed(now)));
                self.links = Some(Arc::new(links));
                self.made_at = Some(*at);
                self.running = None;
            }
            Poll::Done(None) | Poll::Lost => {
                self.running = None;
                self.stopped = true;
            }
        }
    }

    /// The "Across articles" inspector tab.
    pub fn ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        self.poll(cx.now);
        let now = (cx.state.revisions.workspace, cx.state.revisions.project);
        // Links of another workspace are no links at all.
        if self.made_at.is_some_and(|(w, _)| w != now.0) {
            self.links = None;
            self.made_at = None;
        }
        if self.links.is_none() && !self.is_running() && !self.stopped {
            self.start(cx, ui.ctx());
            self.poll(cx.now);
        }
        // Links made before the latest edits: a small corpus is linked again at once (the old
        // links stay shown until the new arrive); a big one waits for Refresh.
        let stale = self.links.is_some() && self.made_at != Some(now);
        if stale
            && !self.is_running()
            && !self.stopped
            && cx
                .ws
                .is_some_and(|ws| ws.loaded_articles().count() <= RELINK_AT_ONCE)
        {
            self.start(cx, ui.ctx());
            self.poll(cx.now);
        }
        let stale = self.links.is_some() && self.made_at != Some(now);
        match &self.running {
            Some((job, _)) => {
                let progress = job.progress();
                if crate::jobs::progress_ui(ui, &progress, "Stop linking") {
                    job.cancel();
                }
                ui.label(
                    RichText::new(crate::link_progress::status(
                        &progress,
                        &self.clock,
                        cx.now,
                        self.articles,
                        self.linking_rate,
                    ))
                    .small(),
                );
            }
            None => {
                ui.horizontal_wrapped(|ui| {
                    if ui.button("Refresh").clicked() {
                        self.start(cx, ui.ctx());
                    }
                    if let Some((articles, seconds)) = self.linked_in {
                        ui.weak(format!(
                            "Linked {articles} articles in {}.",
                            crate::link_progress::duration(seconds)
                        ));
                    }
                    if self.stopped {
                        ui.weak("Stopped. Refresh links the articles again.");
                    } else if stale {
                        ui.weak("Made before your latest edits. Refresh brings them up to date.");
                    }
                });
            }
        }
        let Some(links) = self.links.clone() else {
            return;
        };
        let mut open: Option<(Passage, Passage)> = None;
        egui::ScrollArea::vertical()
            .id_salt("across")
            .show(ui, |ui| {
                ui.heading(format!("Figures that disagree ({})", links.conflicts.len()));
                for (i, conflict) in links.conflicts.iter().enumerate().take(MAX_GROUPS) {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        let subject = if conflict.subject.is_empty() {
                            String::new()
                        } else {
                            format!(" — {}", conflict.subject.join(", "))
                        };
                        ui.colored_label(
                            theme::warning_text(),
                            format!("{}{subject}", conflict.measure),
                        );
                        for mention in &conflict.mentions {
                            if passage_row(cx, ui, &mention.passage, &mention.figure) {
                                let other = conflict
                                    .mentions
                                    .iter()
                                    .find(|m| m.passage.article != mention.passage.article)
                                    .unwrap_or(mention);
                                open = Some((mention.passage.clone(), other.passage.clone()));
                            }
                        }
                        if conflict.mentions.len() >= 2
                            && ui
                                .button("Compare side by side")
                                .on_hover_text(format!("conflict {}", i + 1))
                                .clicked()
                        {
                            let (first, second) = most_different_pair(&conflict.mentions);
                            open = Some((first.passage.clone(), second.passage.clone()));
                        }
                    });
                }
                more_groups_note(ui, links.conflicts.len());
                ui.separator();
                spellings_ui(cx, ui, &links.spellings, actions);
                ui.separator();
                ui.heading(format!("Same quote or claim ({})", links.same_claims.len()));
                for same in links.same_claims.iter().take(MAX_GROUPS) {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        for passage in &same.passages {
                            passage_row(cx, ui, passage, "");
                        }
                        if same.passages.len() >= 2 && ui.button("Compare side by side").clicked() {
                            open = Some((same.passages[0].clone(), same.passages[1].clone()));
                        }
                    });
                }
                more_groups_note(ui, links.same_claims.len());
                ui.separator();
                ui.heading(format!("Same event ({})", links.events.len()));
                for event in links.events.iter().take(MAX_GROUPS) {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.label(
                            RichText::new(format!("{} — {}", event.date, event.shared.join(", ")))
                                .strong(),
                        );
                        for passage in &event.passages {
                            passage_row(cx, ui, passage, "");
                        }
                        if event.passages.len() >= 2 && ui.button("Compare side by side").clicked()
                        {
                            open = Some((event.passages[0].clone(), event.passages[1].clone()));
                        }
                    });
                }
                more_groups_note(ui, links.events.len());
            });
        if let Some((left, right)) = open {
            actions.push(Action::ComparePassages {
                left: Box::new(left),
                right: Box::new(right),
            });
        }
    }
}

/// The two mentions a comparison shows: from different articles, with the figures furthest
/// apart (a conflict also lists the mentions that agree with one side, and comparing two that
/// agree shows nothing). Needs at least two mentions.
fn most_different_pair(mentions: &[FigureMention]) -> (&FigureMention, &FigureMention) {
    let mut best = (&mentions[0], &mentions[1]);
    // A pair across articles beats any pair within one; then the wider gap.
    let mut best_key = (false, f64::NEG_INFINITY);
    for (i, a) in mentions.iter().enumerate() {
        for b in &mentions[i + 1..] {
            let key = (
                a.passage.article != b.passage.article,
                (a.value - b.value).abs(),
            );
            if (key.0 && !best_key.0) || (key.0 == best_key.0 && key.1 > best_key.1) {
                best_key = key;
                best = (a, b);
            }
        }
    }
    best
}

fn passage_row(cx: &ViewCtx, ui: &mut egui::Ui, passage: &Passage, label: &str) -> bool {
    let title = cx
        .ws
        .map(|ws| ws.title(&passage.article))
        .unwrap_or_default();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(label).strong());
        ui.label(RichText::new(title).small().weak());
    });
    ui.link(quoted(&passage.text, 140)).clicked()
}

/// Up to this many articles, links are made again after every edit (well under a second).
const RELINK_AT_ONCE: usize = 50;

/// Groups laid out per section: a big corpus links thousands, and laying them all out every
/// frame would stall the window.
const MAX_GROUPS: usize = 200;

fn more_groups_note(ui: &mut egui::Ui, total: usize) {
    if total > MAX_GROUPS {
        ui.label(
            RichText::new(format!(
                "…and {} more, not shown (the first {MAX_GROUPS} are the most widely found)",
                total - MAX_GROUPS
            ))
            .small()
            .weak(),
        );
    }
}

/// Names written more than one way, each one click from being a single registry entity.
fn spellings_ui(cx: &ViewCtx, ui: &mut egui::Ui, spellings: &[Spellings], actions: &mut Actions) {
    ui.heading(format!(
        "Names written more than one way ({})",
        spellings.len()
    ));
    ui.label(
        RichText::new(
            "Other spellings, a surname alone, an acronym. One click makes a single registry \
             entity with every spelling and every mention (one undo step).",
        )
        .small()
        .weak(),
    );
    let Some(ws) = cx.ws else {
        return;
    };
    let project = ws.project();
    for group in spellings.iter().take(MAX_GROUPS) {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(&group.name)
                        .strong()
                        .color(theme::entity_color(group.kind)),
                );
                ui.label(
                    RichText::new(format!(
                        "{} · {} mention(s) in {} article(s)",
                        group.kind.description(),
                        group.mentions.len(),
                        group.articles
                    ))
                    .small()
                    .weak(),
                );
            });
            let forms: Vec<String> = group
                .forms
                .iter()
                .map(|(form, count)| format!("{form} ×{count}"))
                .collect();
            ui.label(forms.join(" · "));

            let holders = spelling_holders(project, group);
            // One entity already carries every spelling: what is left is recording mentions
            // that are new since (a re-imported article, say).
            let settled = match holders.as_slice() {
                [(_, entity)] => group
                    .forms
                    .iter()
                    .all(|(form, _)| entity.surface_forms().any(|f| f.eq_ignore_ascii_case(form))),
                _ => false,
            };
            let button = match holders.as_slice() {
                [] => format!("Add “{}” to the registry", group.name),
                [(_, one)] if settled => format!("Record new mentions of “{}”", one.name),
                [(_, one)] => format!("Add these to “{}”", one.name),
                several => format!(
                    "Merge {} into one entity",
                    several
                        .iter()
                        .map(|(_, e)| e.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            ui.horizontal_wrapped(|ui| {
                if settled {
                    ui.label(RichText::new("One registry entity holds every spelling.").small());
                }
                if ui.button(button).clicked() {
                    actions.op(claimdesk_core::ops::adopt_spellings(ws, group));
                }
            });
            egui::CollapsingHeader::new(format!(
                "Mentions of {} ({})",
                group.name,
                group.mentions.len()
            ))
            .id_salt(("spelling mentions", &group.name, group.kind))
            .show(ui, |ui| {
                for mention in group.mentions.iter().take(MAX_GROUPS) {
                    let title = ws.title(&mention.article);
                    if ui
                        .link(format!("{}: {}", mention.text, title))
                        .on_hover_text("Open the article at this mention")
                        .clicked()
                    {
                        actions.push(Action::SelectText {
                            article: mention.article.to_string(),
                            span: mention.span,
                        });
                    }
                }
            });
        });
    }
    more_groups_note(ui, spellings.len());
}

/// The compare view: replaces the reader while open. It reads analyses only from the cache
/// (the app analyses both sides in the background) and never analyses while drawing.
pub fn compare_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
    let (Some(compare), Some(ws)) = (cx.state.compare.clone(), cx.ws) else {
        return;
    };
    let (Some(left), Some(right)) = (
        ws.article(&compare.left.article).cloned(),
        ws.article(&compare.right.article).cloned(),
    ) else {
        actions.push(Action::CloseCompare);
        return;
    };
    let left_analysis = ws.cached_analysis(&left.id);
    let right_analysis = ws.cached_analysis(&right.id);
    let missing: Vec<String> = [(&left, &left_analysis), (&right, &right_analysis)]
        .into_iter()
        .filter(|(a, analysis)| analysis.is_none() && !cx.is_analysing(&a.id))
        .map(|(a, _)| a.id.clone())
        .collect();
    if !missing.is_empty() {
        actions.push(Action::Analyse(missing));
    }
    let analysing = left_analysis.is_none() || right_analysis.is_none();
    let key_of = name_keys(ws.project(), [&left_analysis, &right_analysis]);
    let key = |text: &str| {
        let lower = text.to_lowercase();
        key_of.get(&lower).cloned().unwrap_or(lower)
    };
    // Entities named in both articles, however each spells them, are linked by a shared,
    // stronger underline.
    let names = |a: &Option<Arc<claimdesk_core::analysis::ArticleAnalysis>>| -> HashSet<String> {
        a.iter()
            .flat_map(|a| {
                a.entities
                    .iter()
                    .filter(|e| !e.kind.is_figure())
                    .map(|e| key(&e.text))
            })
            .collect()
    };
    let shared: HashSet<String> = names(&left_analysis)
        .intersection(&names(&right_analysis))
        .cloned()
        .collect();
    let mut close = false;
    let mut hovered_now: Option<String> = None;
    // How often one side names the entity, with its spellings there when they differ from
    // the name ("2 (Bagheri Khani)").
    let count = |a: &Option<Arc<claimdesk_core::analysis::ArticleAnalysis>>, name: &str| {
        let mut spellings: Vec<&str> = Vec::new();
        let mut count = 0;
        for e in a.iter().flat_map(|a| a.entities.iter()) {
            if key(&e.text) == name {
                count += 1;
                if !spellings.contains(&e.text.as_str()) {
                    spellings.push(&e.text);
                }
            }
        }
        if spellings.iter().all(|s| s.eq_ignore_ascii_case(name)) {
            count.to_string()
        } else {
            format!("{count} ({})", spellings.join(", "))
        }
    };
    // The name as one of the articles writes it, for the note.
    let written = |name: &str| {
        [&left_analysis, &right_analysis]
            .into_iter()
            .flatten()
            .flat_map(|a| a.entities.iter())
            .find(|e| e.text.eq_ignore_ascii_case(name))
            .map_or_else(|| name.to_string(), |e| e.text.clone())
    };
    egui::CentralPanel::default_margins().show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.heading("Compare");
            if ui.button("Close comparison").clicked() {
                close = true;
            }
            let note = if analysing {
                "Analysing both articles…".to_string()
            } else {
                format!(
                    "{} entities named in both articles are underlined in bold",
                    shared.len()
                )
            };
            ui.label(RichText::new(note).small().weak());
        });
        // Hovering a shared name says where its twins are (they light up on both sides).
        let twin_note = match &compare.hovered {
            Some(name) => format!(
                "“{}”: {} here on the left, {} on the right",
                written(name),
                count(&left_analysis, name),
                count(&right_analysis, name)
            ),
            None => "Point at a bold-underlined name to light up its twin on the other side".into(),
        };
        ui.label(RichText::new(twin_note).small());
        ui.columns(2, |columns| {
            let sides = [
                (&left, &left_analysis, &compare.left, "left"),
                (&right, &right_analysis, &compare.right, "right"),
            ];
            for (ui, (article, analysis, passage, side)) in columns.iter_mut().zip(sides) {
                // Left-aligned, as the text below: a justified title stretches its gaps.
                ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                    ui.label(RichText::new(ws.title(&article.id)).strong());
                });
                egui::ScrollArea::vertical()
                    .id_salt(("compare", side))
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        // Left-aligned: the columns' justified layout would stretch word gaps.
                        ui.set_max_width(ui.available_width());
                        let hovered = ui
                            .with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                                side_ui(
                                    ui,
                                    article,
                                    analysis.as_deref(),
                                    passage.span,
                                    &Links {
                                        shared: &shared,
                                        key_of: &key_of,
                                        hovered: compare.hovered.as_deref(),
                                    },
                                    !compare.scrolled,
                                )
                            })
                            .inner;
                        hovered_now = hovered_now.take().or(hovered);
                    });
            }
        });
    });
    if close {
        actions.push(Action::CloseCompare);
    } else if !compare.scrolled || compare.hovered != hovered_now {
        actions.push(Action::UpdateCompare(Box::new(Compare {
            scrolled: true,
            hovered: hovered_now,
            ..compare
        })));
    }
}

/// Names found in both articles, and the one under the pointer.
struct Links<'a> {
    /// Keys (see [`name_keys`]) of names found in both articles.
    shared: &'a HashSet<String>,
    key_of: &'a HashMap<String, String>,
    hovered: Option<&'a str>,
}

impl Links<'_> {
    fn key(&self, text: &str) -> String {
        let lower = text.to_lowercase();
        self.key_of.get(&lower).cloned().unwrap_or(lower)
    }
}

/// One key per entity for the names of two articles, so that "Bagheri Kani" on one side and
/// "Bagheri Khani" on the other are linked: lower-cased spelling → lower-cased name, from the
/// registry first, then from how the two articles' names group by spelling. A spelling not
/// listed is its own key.
fn name_keys(
    project: &claimdesk_core::project::Project,
    analyses: [&Option<Arc<claimdesk_core::analysis::ArticleAnalysis>>; 2],
) -> HashMap<String, String> {
    let mentions: Vec<(&str, claimdesk_core::analysis::EntityKind)> = analyses
        .into_iter()
        .flatten()
        .flat_map(|a| a.entities.iter())
        .filter(|e| !e.kind.is_figure())
        .map(|e| (e.text.as_str(), e.kind))
        .collect();
    let mut keys = HashMap::new();
    for group in claimdesk_core::analysis::aliases::propose(&mentions) {
        for &i in &group.mentions {
            keys.insert(mentions[i].0.to_lowercase(), group.canonical.to_lowercase());
        }
    }
    for entity in project.entities.values() {
        for form in entity.surface_forms() {
            keys.insert(form.to_lowercase(), entity.name.to_lowercase());
        }
    }
    keys
}

/// Draws one side; returns the shared name under the pointer, if any.
fn side_ui(
    ui: &mut egui::Ui,
    article: &claimdesk_core::corpus::Article,
    analysis: Option<&claimdesk_core::analysis::ArticleAnalysis>,
    passage: Span,
    links: &Links,
    scroll: bool,
) -> Option<String> {
    let dark = ui.visuals().dark_mode;
    let base = TextFormat {
        font_id: egui::FontId::proportional(14.5),
        color: ui.visuals().text_color(),
        ..Default::default()
    };
    let mut hovered = None;
    let mut offset = 0usize;
    for line in article.text.split('\n') {
        let len = line.chars().count();
        let span = Span::new(offset, offset + len);
        offset += len + 1;
        if line.trim().is_empty() {
            ui.add_space(4.0);
            continue;
        }
        let mut cuts = vec![
            span.start,
            span.end,
            passage.start.clamp(span.start, span.end),
            passage.end.clamp(span.start, span.end),
        ];
        let entities: Vec<_> = analysis
            .map(|a| {
                a.entities
                    .iter()
                    .filter(|e| e.span.overlaps(&span))
                    .collect()
            })
            .unwrap_or_default();
        for e in &entities {
            cuts.push(e.span.start.clamp(span.start, span.end));
            cuts.push(e.span.end.clamp(span.start, span.end));
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut job = LayoutJob::default();
        for pair in cuts.windows(2) {
            let piece = Span::new(pair[0], pair[1]);
            if piece.is_empty() {
                continue;
            }
            let mut format = base.clone();
            if passage.start <= piece.start && piece.end <= passage.end {
                format.background = theme::claim_background(None, dark, true);
            }
            if let Some(e) = entities
                .iter()
                .find(|e| e.span.start <= piece.start && piece.end <= e.span.end)
            {
                let name = links.key(&e.text);
                let linked = links.shared.contains(&name);
                format.underline = theme::entity_underline(e.kind, linked);
                if links.hovered == Some(name.as_str()) {
                    format.background = theme::evidence_background(dark);
                }
            }
            job.append(article.slice(piece), 0.0, format);
        }
        let (pos, galley, response) = egui::Label::new(job).layout_in_ui(ui);
        if let Some(pointer) = response.hover_pos() {
            let at = span.start + galley.cursor_from_pos(pointer - pos).index.0;
            hovered = hovered.or_else(|| {
                entities
                    .iter()
                    .find(|e| e.span.start <= at && at < e.span.end)
                    .map(|e| links.key(&e.text))
                    .filter(|name| links.shared.contains(name))
            });
        }
        ui.painter().galley(pos, galley, ui.visuals().text_color());
        if scroll && span.contains(passage.start) {
            response.scroll_to_me(Some(egui::Align::Center));
        }
    }
    hovered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compared_articles_link_a_name_across_its_spellings() {
        let ws = claimdesk_core::workspace::Workspace::import(
            &[claimdesk_core::sample::corpus_dir()],
            &claimdesk_core::corpus::ImportLimits::default(),
        );
        // "Bagheri Khani" in one article, "Ali Bagheri Kani" in the other.
        let left = ws.analysis("001_6076344b43b91c38.txt");
        let right = ws.analysis("003_e0f09e3576302cfd.txt");
        let keys = name_keys(ws.project(), [&left, &right]);
        assert_eq!(
            keys.get("bagheri khani").map(String::as_str),
            Some("ali bagheri kani")
        );
        assert_eq!(
            keys.get("ali bagheri kani").map(String::as_str),
            Some("ali bagheri kani")
        );
        let links = Links {
            shared: &HashSet::new(),
            key_of: &keys,
            hovered: None,
        };
        assert_eq!(links.key("Bagheri Khani"), links.key("Ali Bagheri Kani"));
        assert_eq!(links.key("Nowhere Else"), "nowhere else");
    }
}
