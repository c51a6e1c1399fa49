//! One type for work done off the UI thread — analysis, import, export, search, linking — with
//! progress, cancel, updates that arrive while it runs (an import's articles) and one result.
//!
//! The worker reports through [`Worker`] (a [`progress::Observer`]); the view polls
//! [`Job::poll`] once per frame and never blocks. Tests and benchmarks run the work inline
//! (`inline = true`) so a frame sees its result at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use claimdesk_core::progress::{self, Observer as _};

/// What the worker closure gets: progress and cancel (as the core's observer) and a way to
/// hand over partial results.
pub struct Worker<U> {
    progress: Arc<progress::Shared>,
    cancel: Arc<AtomicBool>,
    updates: mpsc::Sender<U>,
    repaint: Option<egui::Context>,
}

impl<U> Worker<U> {
    /// Hands over a partial result (an imported article); the view takes it next frame.
    pub fn send(&self, update: U) {
        self.updates.send(update).ok();
        if let Some(ctx) = &self.repaint {
            ctx.request_repaint();
        }
    }

    /// The cancel flag, for core functions that take one directly (search).
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }
}

impl<U> progress::Observer for Worker<U> {
    fn progress(&self, done: usize, total: usize, what: &str) {
        self.progress.progress(done, total, what);
        if let Some(ctx) = &self.repaint {
            ctx.request_repaint();
        }
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// A running (or finished) piece of background work.
pub struct Job<T, U = ()> {
    progress: Arc<progress::Shared>,
    cancel: Arc<AtomicBool>,
    updates: mpsc::Receiver<U>,
    result: mpsc::Receiver<T>,
    finished: bool,
}

/// What a poll found.
pub enum Poll<T> {
    Running,
    Done(T),
    /// The worker ended without a result (it panicked, or could not start).
    Lost,
}

impl<T: Send + 'static, U: Send + 'static> Job<T, U> {
    /// Starts `work` on a named thread (or right here when `inline`).
    pub fn spawn(
        label: impl Into<String>,
        ctx: Option<&egui::Context>,
        inline: bool,
        work: impl FnOnce(&Worker<U>) -> T + Send + 'static,
    ) -> Self {
        let label = label.into();
        let progress = Arc::new(progress::Shared::default());
        progress.progress(0, 0, &label);
        let cancel = Arc::new(AtomicBool::new(false));
        let (update_tx, updates) = mpsc::channel();
        let (result_tx, result) = mpsc::channel();
        let worker = Worker {
            progress: progress.clone(),
            cancel: cancel.clone(),
            updates: update_tx,
            repaint: ctx.cloned(),
        };
        let run = move || {
            let outcome = work(&worker);
            result_tx.send(outcome).ok();
            if let Some(ctx) = &worker.repaint {
                ctx.request_repaint();
            }
        };
        if inline {
            run();
        } else if let Err(err) = std::thread::Builder::new().name(label.clone()).spawn(run) {
            // The closure (and its sender) is gone: the first poll reports the job lost.
            progress.progress(0, 0, &format!("could not start: {err}"));
        }
        Self {
            progress,
            cancel,
            updates,
            result,
            finished: false,
        }
    }
}

impl<T, U> Job<T, U> {
    pub fn progress(&self) -> progress::Snapshot {
        self.progress.snapshot()
    }

    /// Asks the worker to stop at its next check.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Partial results that arrived since the last call.
    pub fn take_updates(&self) -> Vec<U> {
        self.updates.try_iter().collect()
    }

    /// The result once it is there (once).
    pub fn poll(&mut self) -> Poll<T> {
        if self.finished {
            return Poll::Lost;
        }
        match self.result.try_recv() {
            Ok(result) => {
                self.finished = true;
                Poll::Done(result)
            }
            Err(mpsc::TryRecvError::Empty) => Poll::Running,
            Err(mpsc::TryRecvError::Disconnected) => {
                self.finished = true;
                Poll::Lost
            }
        }
    }
}

/// A progress bar for a job, with a button that asks it to stop. Returns whether the button
/// was pressed (the caller cancels, or sends the action that does).
pub fn progress_ui(ui: &mut egui::Ui, now: &progress::Snapshot, cancel_label: &str) -> bool {
    ui.horizontal_wrapped(|ui| {
        // Animate only a step without a count, where the bar alone would look stuck.
        ui.add(
            egui::ProgressBar::new(now.fraction())
                .desired_width(ui.available_width().min(320.0))
                .text(now.label())
                .animate(now.total <= 1),
        );
        let pressed = ui.button(cancel_label).clicked();
        // Workers report without a context of their own for every step; poll while it runs.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(50));
        pressed
    })
    .inner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_delivers_updates_then_its_result_and_stops_when_cancelled() {
        let mut job: Job<usize, usize> = Job::spawn("count", None, false, |worker| {
            let mut sent = 0;
            for i in 0..1000 {
                if worker.cancelled() {
                    break;
                }
                worker.progress(i, 1000, "counting");
                worker.send(i);
                sent += 1;
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            sent
        });
        job.cancel();
        let sent = loop {
            match job.poll() {
                Poll::Done(sent) => break sent,
                Poll::Running => std::thread::yield_now(),
                Poll::Lost => panic!("the worker ended without a result"),
            }
        };
        assert!(sent < 1000, "the cancel reached the worker");
        assert_eq!(job.take_updates().len(), sent);
        assert!(
            matches!(job.poll(), Poll::Lost),
            "a result is handed over once"
        );

        let mut inline: Job<&str> = Job::spawn("inline", None, true, |_| "done");
        assert!(matches!(inline.poll(), Poll::Done("done")));
    }
}
