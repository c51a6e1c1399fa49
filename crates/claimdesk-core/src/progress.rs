//! Progress and cancellation for long work (export, linking across articles). The core reports
//! through [`Observer`] and never knows whether a window, a terminal or nobody is watching.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Progress of running work, and the way to stop it.
pub trait Observer {
    /// `done` of `total` steps of the stage `what` are finished.
    fn progress(&self, done: usize, total: usize, what: &str);
    /// Checked between steps; true stops the work before it writes or returns anything.
    fn cancelled(&self) -> bool;
}

/// For callers that neither show progress nor cancel (the command line, tests).
pub struct Quiet;

impl Observer for Quiet {
    fn progress(&self, _: usize, _: usize, _: &str) {}
    fn cancelled(&self) -> bool {
        false
    }
}

/// Where a worker stands, as last reported.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub done: usize,
    pub total: usize,
    pub stage: String,
}

impl Snapshot {
    /// 0..=1; 0 while the total is unknown.
    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            (self.done as f32 / self.total as f32).min(1.0)
        }
    }

    /// "Analysing articles (412 / 1730)", or the stage alone for a step without a count.
    pub fn label(&self) -> String {
        if self.total > 1 {
            format!("{} ({} / {})", self.stage, self.done, self.total)
        } else {
            self.stage.clone()
        }
    }
}

/// Shared between a worker (which reports through it as an [`Observer`]) and a view (which
/// reads [`Shared::snapshot`] and may [`Shared::cancel`]); hold it in an `Arc`.
#[derive(Debug, Default)]
pub struct Shared {
    cancel: AtomicBool,
    state: Mutex<Snapshot>,
}

impl Shared {
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> Snapshot {
        // A worker that panicked mid-report leaves a poisoned lock; its last figures still stand.
        match self.state.lock() {
            Ok(state) => state.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

impl Observer for Shared {
    fn progress(&self, done: usize, total: usize, what: &str) {
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        *state = Snapshot {
            done,
            total,
            stage: what.to_string(),
        };
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Observers for unit tests of long work.
#[cfg(test)]
pub mod testing {
    use super::Observer;
    use std::cell::{Cell, RefCell};

    /// Records every report and cancels after `steps` of them.
    pub struct CancelAfter {
        pub steps: Cell<usize>,
        pub seen: RefCell<Vec<String>>,
    }

    impl CancelAfter {
        pub fn new(steps: usize) -> Self {
            Self {
                steps: Cell::new(steps),
                seen: RefCell::default(),
            }
        }
    }

    impl Observer for CancelAfter {
        fn progress(&self, done: usize, total: usize, what: &str) {
            self.seen
                .borrow_mut()
                .push(format!("{what} {done}/{total}"));
            self.steps.set(self.steps.get().saturating_sub(1));
        }
        fn cancelled(&self) -> bool {
            self.steps.get() == 0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_progress_reads_what_the_worker_reported_and_carries_the_cancel() {
        let shared = std::sync::Arc::new(Shared::default());
        let worker = shared.clone();
        std::thread::spawn(move || worker.progress(3, 8, "Analysing articles"))
            .join()
            .unwrap();
        let now = shared.snapshot();
        assert_eq!(now.label(), "Analysing articles (3 / 8)");
        assert_eq!(now.fraction(), 0.375);
        assert!(!shared.cancelled());
        shared.cancel();
        assert!(shared.cancelled());
        let one_step = Snapshot {
            done: 0,
            total: 1,
            stage: "Writing PDF".into(),
        };
        assert_eq!(one_step.label(), "Writing PDF");
        assert_eq!(Snapshot::default().fraction(), 0.0);
    }
}
