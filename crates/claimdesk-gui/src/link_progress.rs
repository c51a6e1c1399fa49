//! What linking across articles says while it runs: the counts, the time so far and an
//! estimate of the time left — never a bare spinner. The core reports "Analysing articles"
//! with a count, then one "Linking articles" step it cannot count; that step's estimate comes
//! from the rate the last run in this window measured (seconds per article), and until there
//! is one the view says how long it has taken so far.

use claimdesk_core::progress::Snapshot;

/// The core's one uncounted step at the end of linking.
const LINKING_STAGE: &str = "Linking articles";

/// When the current stage began, and when the whole run did (egui time, seconds).
#[derive(Clone, Debug, Default)]
pub struct StageClock {
    stage: String,
    stage_since: f64,
    started: f64,
}

impl StageClock {
    pub fn start(now: f64) -> Self {
        Self {
            stage: String::new(),
            stage_since: now,
            started: now,
        }
    }

    /// Notes a stage change seen in `progress`.
    pub fn observe(&mut self, progress: &Snapshot, now: f64) {
        if progress.stage != self.stage {
            self.stage = progress.stage.clone();
            self.stage_since = now;
        }
    }

    pub fn in_stage(&self, now: f64) -> f64 {
        (now - self.stage_since).max(0.0)
    }

    pub fn elapsed(&self, now: f64) -> f64 {
        (now - self.started).max(0.0)
    }

    /// Seconds per article the final step took, when it is the step that just ended.
    pub fn linking_rate(&self, now: f64, articles: usize) -> Option<f64> {
        (self.stage == LINKING_STAGE && articles > 0).then(|| self.in_stage(now) / articles as f64)
    }
}

/// "12 s", "3 min 20 s".
pub fn duration(seconds: f64) -> String {
    let seconds = seconds.max(0.0).round() as u64;
    if seconds < 60 {
        format!("{seconds} s")
    } else {
        format!("{} min {} s", seconds / 60, seconds % 60)
    }
}

/// Time left for `done` of `total` steps taken in `elapsed` seconds, at the same pace; `None`
/// before the first step (no pace yet).
pub fn time_left(done: usize, total: usize, elapsed: f64) -> Option<f64> {
    (done > 0 && total >= done).then(|| elapsed / done as f64 * (total - done) as f64)
}

/// The status line under the progress bar. `articles` is how many are being linked,
/// `linking_rate` the seconds per article the final step took last time.
pub fn status(
    progress: &Snapshot,
    clock: &StageClock,
    now: f64,
    articles: usize,
    linking_rate: Option<f64>,
) -> String {
    let so_far = duration(clock.elapsed(now));
    if progress.stage == LINKING_STAGE {
        let in_stage = clock.in_stage(now);
        let estimate = match linking_rate {
            Some(rate) => {
                let left = (rate * articles as f64 - in_stage).max(0.0);
                format!("about {} left", duration(left.max(1.0)))
            }
            None => "no estimate for this step before its first run".to_string(),
        };
        return format!(
            "All {articles} articles analysed; linking them: {} in this step, {so_far} in all; {estimate}",
            duration(in_stage)
        );
    }
    if progress.total > 1 {
        let left = time_left(progress.done, progress.total, clock.in_stage(now));
        let estimate = match left {
            Some(left) => format!("about {} left for this step", duration(left.max(1.0))),
            None => "estimating…".to_string(),
        };
        return format!(
            "{} of {} articles analysed, {so_far} so far; {estimate}",
            progress.done, progress.total
        );
    }
    format!("{articles} articles; {so_far} so far")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(done: usize, total: usize, stage: &str) -> Snapshot {
        Snapshot {
            done,
            total,
            stage: stage.into(),
        }
    }

    #[test]
    fn analysing_shows_counts_and_the_time_left_at_the_pace_so_far() {
        let mut clock = StageClock::start(100.0);
        clock.observe(&snapshot(0, 1730, "Analysing articles"), 100.0);
        let text = status(
            &snapshot(0, 1730, "Analysing articles"),
            &clock,
            100.5,
            1730,
            None,
        );
        assert_eq!(text, "0 of 1730 articles analysed, 1 s so far; estimating…");
        let progress = snapshot(412, 1730, "Analysing articles");
        clock.observe(&progress, 101.0);
        // 412 in 20 s: 1318 more take 64 s.
        let text = status(&progress, &clock, 120.0, 1730, None);
        assert_eq!(
            text,
            "412 of 1730 articles analysed, 20 s so far; about 1 min 4 s left for this step"
        );
    }

    #[test]
    fn the_uncounted_linking_step_is_estimated_from_the_last_run() {
        let mut clock = StageClock::start(0.0);
        clock.observe(&snapshot(1729, 1730, "Analysing articles"), 0.0);
        let linking = snapshot(0, 1, LINKING_STAGE);
        clock.observe(&linking, 60.0);
        let first = status(&linking, &clock, 70.0, 1730, None);
        assert!(first.contains("All 1730 articles analysed"), "{first}");
        assert!(
            first.contains("10 s in this step, 1 min 10 s in all"),
            "{first}"
        );
        assert!(first.contains("no estimate"), "{first}");
        // That run's final step took 30 s: 1730 articles at that rate next time.
        let rate = clock.linking_rate(90.0, 1730).unwrap();
        let next = status(&linking, &clock, 70.0, 1730, Some(rate));
        assert!(next.ends_with("about 20 s left"), "{next}");
        assert_eq!(duration(3.0 * 60.0 + 20.4), "3 min 20 s");
        assert_eq!(time_left(0, 10, 5.0), None);
    }
}
