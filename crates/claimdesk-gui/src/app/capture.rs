//! The app's side of web capture: the fetch on a worker thread, the article added in one
//! undoable edit when it lands, evidence links archived, and the project folder's archived
//! copies read so the inspector can show them. The dialog is in `capture_dialog`.

use claimdesk_capture::{FetchLimits, archive_link, archived_copies, capture_article};

use super::{ClaimdeskApp, Touched};
use crate::capture_dialog::CaptureAction;
use crate::jobs::{Job, Poll};

impl ClaimdeskApp {
    /// Whether a page is being fetched (tests wait on it).
    pub fn is_capturing(&self) -> bool {
        self.captures.article.is_some() || self.captures.archive.is_some()
    }

    pub(super) fn run_capture_action(&mut self, ctx: &egui::Context, action: CaptureAction) {
        match action {
            CaptureAction::AddUrl(url) => self.start_capture(ctx, url),
            CaptureAction::ArchiveLink(url) => self.start_archive(ctx, url),
            CaptureAction::Cancel => {
                if let Some((job, _)) = &self.captures.article {
                    job.cancel();
                }
            }
        }
    }

    /// Where captures go, or why there is nowhere (said as a notice and in the dialog).
    fn capture_folder(&mut self) -> Option<std::path::PathBuf> {
        let ws = self.ws.as_ref()?;
        let refused = if let Some(reason) = ws.read_only_reason() {
            Some(format!(
                "The project is read-only ({reason}); nothing was fetched"
            ))
        } else {
            claimdesk_capture::project_folder(ws)
                .err()
                .map(|e| e.to_string())
        };
        match refused {
            Some(why) => {
                self.captures.article_error = Some(why.clone());
                self.notices.warning(why);
                None
            }
            None => claimdesk_capture::project_folder(ws).ok(),
        }
    }

    fn start_capture(&mut self, ctx: &egui::Context, url: String) {
        if self.captures.article.is_some() {
            self.notices
                .warning("A page is being fetched already; wait or cancel it");
            return;
        }
        let Some(folder) = self.capture_folder() else {
            return;
        };
        let Some(ws) = &self.ws else {
            return;
        };
        let hashes: Vec<(String, String)> = ws
            .project()
            .articles
            .iter()
            .map(|(id, e)| (id.clone(), e.hash.clone()))
            .collect();
        self.captures.article_error = None;
        let asked = url.clone();
        let job = Job::spawn(
            "Fetching a page",
            Some(ctx),
            self.inline_work,
            move |worker| {
                capture_article(&folder, &url, &hashes, &FetchLimits::default(), worker)
                    .map_err(|e| e.to_string())
            },
        );
        self.captures.article = Some((job, asked));
        if self.inline_work {
            self.poll_captures(ctx);
        }
    }

    fn start_archive(&mut self, ctx: &egui::Context, url: String) {
        if self.captures.archive.is_some() {
            self.notices
                .warning("A link is being archived already; wait for it to finish");
            return;
        }
        let Some(folder) = self.capture_folder() else {
            return;
        };
        let target = url.clone();
        let job = Job::spawn(
            "Archiving a link",
            Some(ctx),
            self.inline_work,
            move |worker| {
                archive_link(&folder, &target, &FetchLimits::default(), worker)
                    .map_err(|e| e.to_string())
            },
        );
        self.captures.archive = Some((job, url));
        if self.inline_work {
            self.poll_captures(ctx);
        }
    }

    /// Takes in a page or an archived link that arrived; reads the project folder's archived
    /// copies when the workspace is new.
    pub(super) fn poll_captures(&mut self, ctx: &egui::Context) {
        if let Some((job, url)) = &mut self.captures.article {
            let url = url.clone();
            let outcome = match job.poll() {
                Poll::Running => None,
                Poll::Done(outcome) => Some(outcome),
                Poll::Lost => Some(Err(format!(
                    "fetching {url} stopped unexpectedly; nothing was kept"
                ))),
            };
            if let Some(outcome) = outcome {
                self.captures.article = None;
                let added = outcome.and_then(|captured| match &mut self.ws {
                    Some(ws) => captured.add_to(ws).map_err(|e| e.to_string()),
                    None => Err("the project was closed meanwhile; nothing was kept".into()),
                });
                match added {
                    Ok(added) => {
                        // One edit added it (its undo takes it out again).
                        let touched = Touched {
                            articles: true,
                            other: true,
                            anchors: true,
                            ..Touched::default()
                        };
                        self.after_change(&touched, None);
                        self.import_only = false;
                        self.captures.added += 1;
                        let copy = &added.capture;
                        self.captures
                            .archived
                            .insert(copy.final_url.clone(), copy.clone());
                        self.captures
                            .archived
                            .insert(copy.url.clone(), copy.clone());
                        self.notices.info(format!(
                            "Added “{}” from {} (HTTP {}, archived in {})",
                            added.title, copy.final_url, copy.status, copy.archive
                        ));
                        self.select_article(&added.article);
                        self.state.focus = None;
                    }
                    Err(err) => {
                        let message = format!("Could not add {url}: {err}");
                        self.captures.article_error = Some(message.clone());
                        self.notices.error(message);
                    }
                }
            }
        }
        if let Some((job, url)) = &mut self.captures.archive {
            let url = url.clone();
            let outcome = match job.poll() {
                Poll::Running => None,
                Poll::Done(outcome) => Some(outcome),
                Poll::Lost => Some(Err("archiving stopped unexpectedly".to_string())),
            };
            if let Some(outcome) = outcome {
                self.captures.archive = None;
                match outcome {
                    Ok(copy) => {
                        self.notices.info(format!(
                            "Archived {url}: retrieved {}, {}, in {}",
                            copy.retrieved_at, copy.content_hash, copy.archive
                        ));
                        self.captures.archived.insert(url, copy.clone());
                        self.captures.archived.insert(copy.final_url.clone(), copy);
                    }
                    Err(err) => self
                        .notices
                        .error(format!("Could not archive {url}: {err}")),
                }
            }
        }
        if let Some(job) = &mut self.captures.reading {
            match job.poll() {
                Poll::Running => {}
                Poll::Done(copies) => {
                    self.captures.reading = None;
                    // Copies made while reading stay; the folder's fill in the rest.
                    let made = std::mem::take(&mut self.captures.archived);
                    self.captures.set_archived(copies);
                    self.captures.archived.extend(made);
                }
                Poll::Lost => self.captures.reading = None,
            }
        }
        let workspace = self.state.revisions.workspace;
        if self.captures.read_for != Some(workspace) {
            self.captures.read_for = Some(workspace);
            self.captures.archived.clear();
            let folder = self
                .ws
                .as_ref()
                .and_then(|ws| claimdesk_capture::project_folder(ws).ok());
            if let Some(folder) =
                folder.filter(|f| f.join(claimdesk_capture::CAPTURES_DIR).is_dir())
            {
                // Reading the WARC files back means reading the bodies they keep: off the UI
                // thread.
                self.captures.reading = Some(Job::spawn(
                    "Reading archived copies",
                    Some(ctx),
                    self.inline_work,
                    move |_| archived_copies(&folder),
                ));
                if self.inline_work {
                    self.poll_captures(ctx);
                }
            }
        }
    }
}
