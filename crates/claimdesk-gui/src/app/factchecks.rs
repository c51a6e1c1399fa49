//! The app's side of the fact-check library: starting the matching and import jobs, taking in
//! what they found, and attaching a match to a suggestion. The panels are in
//! `factcheck_panel`.

use std::path::PathBuf;
use std::sync::Arc;

use claimdesk_factchecks::Library;
use claimdesk_factchecks::project::{accept_and_attach_op, claims_to_match, match_claims_with};
use claimdesk_factchecks::{MatchIndex, library::FileReport};

use super::ClaimdeskApp;
use crate::context::Focus;
use crate::factcheck_panel::{
    FactCheckAction, MatchOutcome, MatchResults, Revision, import_summary, library_stamp,
};
use crate::jobs::{Job, Poll};

/// Runs while typing are at most this often (seconds).
const RERUN_EVERY: f64 = 2.0;

impl ClaimdeskApp {
    /// Uses the library at `path` instead of the user's own (tests, a team's shared file) and
    /// keeps matching on.
    pub fn set_factcheck_library(&mut self, path: PathBuf) {
        self.factchecks.library = Ok(path);
        self.factchecks.index = None;
        self.factchecks.results = None;
        self.factchecks.made_at = None;
        self.factchecks.auto = true;
    }

    /// The last matching run's results (tests).
    pub fn factcheck_results(&self) -> Option<&MatchResults> {
        self.factchecks.results.as_deref()
    }

    pub fn is_matching_factchecks(&self) -> bool {
        self.factchecks.is_matching() || self.factchecks.is_importing()
    }

    fn factcheck_revision(&self) -> Revision {
        let r = &self.state.revisions;
        (r.workspace, r.articles, r.claims)
    }

    pub(super) fn run_factcheck_action(&mut self, ctx: &egui::Context, action: FactCheckAction) {
        match action {
            FactCheckAction::Match => {
                self.factchecks.auto = true;
                self.start_matching(ctx);
                if let Some(why) = self.factchecks.error.clone()
                    && self.factchecks.job.is_none()
                {
                    self.notices.warning(why);
                }
            }
            FactCheckAction::AttachToSuggestion {
                article,
                span,
                factcheck,
            } => {
                let Some(id) =
                    self.plan_and_run(|ws| accept_and_attach_op(ws, &article, span, &factcheck))
                else {
                    return;
                };
                self.state.focus = Some(Focus::Claim(id));
                self.notices.info(format!(
                    "Accepted the suggestion as a claim and attached the fact-check by {} (one undo step)",
                    factcheck
                        .factcheck
                        .publisher
                        .as_deref()
                        .unwrap_or("a fact-checker")
                ));
            }
            FactCheckAction::Import(paths) => self.start_factcheck_import(ctx, paths),
        }
    }

    /// Matches every claim and suggestion of the project against the library on a worker
    /// thread, over a snapshot (the analyst keeps working; edits made meanwhile show at the
    /// next run). A run under way is stopped first.
    pub(super) fn start_matching(&mut self, ctx: &egui::Context) {
        let Some(ws) = &self.ws else {
            return;
        };
        let path = match &self.factchecks.library {
            Ok(path) => path.clone(),
            Err(why) => {
                self.factchecks.error = Some(why.clone());
                return;
            }
        };
        if !path.is_file() {
            self.factchecks.error = Some(format!(
                "No fact-check library at {} yet: File → Import fact-checks… makes it",
                path.display()
            ));
            return;
        }
        if let Some((old, _)) = self.factchecks.job.take() {
            old.cancel();
        }
        let at = self.factcheck_revision();
        let mut snapshot = ws.snapshot();
        let already: std::collections::HashSet<String> = ws
            .article_ids()
            .filter(|id| ws.cached_analysis(id).is_some())
            .cloned()
            .collect();
        let cached = self.factchecks.index.clone();
        self.factchecks.last_start = self.now;
        self.factchecks.error = None;
        let job = Job::spawn(
            "Checking the fact-check library",
            Some(ctx),
            self.inline_work,
            move |worker| {
                use claimdesk_core::progress::Observer as _;
                worker.progress(0, 0, "Finding the project's claims and suggestions");
                let claims = claims_to_match(&mut snapshot);
                let analysed = snapshot
                    .article_ids()
                    .filter(|id| !already.contains(*id))
                    .filter_map(|id| snapshot.cached_analysis(id).map(|a| (id.clone(), a)))
                    .collect();
                let library = Library::open(&path).map_err(|e| e.to_string())?;
                let stamp = library_stamp(&path);
                let index = match cached {
                    Some((at, index)) if at == stamp => index,
                    _ => {
                        worker.progress(0, 0, "Reading the fact-check library");
                        Arc::new(MatchIndex::build(&library).map_err(|e| e.to_string())?)
                    }
                };
                let library_size = library.len().map_err(|e| e.to_string())?;
                let Some(results) = match_claims_with(&index, &library, &claims, worker)
                    .map_err(|e| e.to_string())?
                else {
                    return Ok(None);
                };
                Ok(Some(MatchOutcome {
                    results: MatchResults::new(results, library_size),
                    index,
                    stamp,
                    analysed,
                }))
            },
        );
        self.factchecks.job = Some((job, at));
        if self.inline_work {
            self.poll_factchecks(ctx);
        }
    }

    fn start_factcheck_import(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        let path = match &self.factchecks.library {
            Ok(path) => path.clone(),
            Err(why) => {
                self.notices
                    .error(format!("Cannot import fact-checks: {why}"));
                return;
            }
        };
        if self.factchecks.import.is_some() {
            self.notices
                .warning("Fact-checks are being imported already; wait for it to finish");
            return;
        }
        let job = Job::spawn(
            "Importing fact-checks",
            Some(ctx),
            self.inline_work,
            move |worker| {
                use claimdesk_core::progress::Observer as _;
                // A folder stands for the files directly in it.
                let files: Vec<PathBuf> = paths
                    .iter()
                    .flat_map(|p| match std::fs::read_dir(p) {
                        Ok(entries) if p.is_dir() => {
                            let mut files: Vec<PathBuf> = entries
                                .filter_map(Result::ok)
                                .map(|e| e.path())
                                .filter(|p| p.is_file())
                                .collect();
                            files.sort();
                            files
                        }
                        _ => vec![p.clone()],
                    })
                    .collect();
                if let Some(dir) = path.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                let mut library = match Library::open(&path) {
                    Ok(library) => library,
                    Err(err) => {
                        return files
                            .iter()
                            .map(|f| FileReport {
                                path: f.display().to_string(),
                                status: "skipped",
                                reason: Some(err.to_string()),
                                format: None,
                                reviews: 0,
                                added: 0,
                                updated: 0,
                                unchanged: 0,
                                problems: Vec::new(),
                            })
                            .collect();
                    }
                };
                let mut reports = Vec::new();
                for (i, file) in files.iter().enumerate() {
                    worker.progress(i, files.len(), "Importing fact-checks");
                    reports.push(library.import_file(file));
                }
                reports
            },
        );
        self.factchecks.import = Some(job);
        if self.inline_work {
            self.poll_factchecks(ctx);
        }
    }

    /// Takes in a finished run or import, and starts a run when the results are out of date.
    pub(super) fn poll_factchecks(&mut self, ctx: &egui::Context) {
        if let Some(job) = &mut self.factchecks.import {
            let reports = match job.poll() {
                Poll::Running => None,
                Poll::Done(reports) => Some(reports),
                Poll::Lost => Some(Vec::new()),
            };
            if let Some(reports) = reports {
                self.factchecks.import = None;
                if reports.is_empty() {
                    self.notices
                        .error("The fact-check import stopped unexpectedly");
                }
                for report in &reports {
                    if report.status == "ok" {
                        self.notices.info(format!(
                            "Fact-checks imported from {} — {}",
                            report.path,
                            import_summary(report)
                        ));
                    } else {
                        self.notices.warning(format!(
                            "Fact-checks: {} skipped — {}",
                            report.path,
                            report.reason.as_deref().unwrap_or("nothing could be read")
                        ));
                    }
                }
                let imported = reports.iter().any(|r| r.added + r.updated > 0);
                self.factchecks.last_import = reports;
                if imported {
                    // The library changed: look everything up again.
                    self.factchecks.index = None;
                    self.factchecks.auto = true;
                    self.factchecks.made_at = None;
                }
            }
        }
        if let Some((job, at)) = &mut self.factchecks.job {
            let at = *at;
            let outcome = match job.poll() {
                Poll::Running => None,
                Poll::Done(outcome) => Some(outcome),
                Poll::Lost => Some(Err("the lookup stopped unexpectedly".to_string())),
            };
            if let Some(outcome) = outcome {
                self.factchecks.job = None;
                match outcome {
                    Ok(Some(outcome)) => {
                        if let Some(ws) = &self.ws
                            && at.0 == self.state.revisions.workspace
                        {
                            for (id, analysis) in outcome.analysed {
                                if ws.cached_analysis(&id).is_none() {
                                    ws.insert_analysis(id, analysis);
                                }
                            }
                        }
                        let checked = outcome.results.checked_before();
                        let first = self.factchecks.results.is_none();
                        self.factchecks.index = Some((outcome.stamp, outcome.index));
                        self.factchecks.results = Some(Arc::new(outcome.results));
                        self.factchecks.made_at = Some(at);
                        if first && checked > 0 {
                            self.notices.info(format!(
                                "Checked before: {checked} claim(s) or suggestion(s) of this project match fact-checks in your library"
                            ));
                        }
                    }
                    Ok(None) => {}
                    Err(err) => {
                        self.notices
                            .error(format!("Could not check the fact-check library: {err}"));
                        self.factchecks.error = Some(err);
                        // Not again on its own: the analyst asks when the cause is fixed.
                        self.factchecks.auto = false;
                    }
                }
            }
        }
        // Results of another workspace are no results at all.
        if self
            .factchecks
            .made_at
            .is_some_and(|(w, _, _)| w != self.state.revisions.workspace)
        {
            self.factchecks.results = None;
            self.factchecks.made_at = None;
        }
        let now = self.factcheck_revision();
        if self.factchecks.auto
            && self.ws.is_some()
            && self.factchecks.job.is_none()
            && self.factchecks.import.is_none()
            && self.factchecks.made_at != Some(now)
            && (self.inline_work || self.now - self.factchecks.last_start >= RERUN_EVERY)
        {
            self.start_matching(ctx);
        } else if self.factchecks.auto && self.factchecks.made_at != Some(now) {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(RERUN_EVERY));
        }
    }
}
