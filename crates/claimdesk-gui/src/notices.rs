//! Messages for the analyst: one queue with a severity, shown as toasts for a few seconds and
//! kept in a log the analyst can open (View → Notices, or the status bar).
//!
//! Toasts are ordinary egui widgets in an [`egui::Area`], so screen readers (and the kittest
//! flows) read them like any label. egui-notify (0.24, which fits egui 0.37) was checked: it
//! paints toasts with a bare painter, so they have no accessibility nodes, and its level icons
//! use glyphs the bundled fonts lack.

use egui::RichText;

use super::theme;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "Info",
            Severity::Warning => "Warning",
            Severity::Error => "Error",
        }
    }

    fn color(self) -> egui::Color32 {
        match self {
            Severity::Info => theme::info_text(),
            Severity::Warning => theme::caution_text(),
            Severity::Error => theme::warning_text(),
        }
    }

    /// How long a toast stays up, in seconds (errors longer: they need reading).
    fn toast_seconds(self) -> f64 {
        match self {
            Severity::Info => 4.0,
            Severity::Warning => 8.0,
            Severity::Error => 15.0,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub severity: Severity,
    pub text: String,
    /// Seconds since the app started (egui's clock), for the log.
    pub at: f64,
}

/// The log of every notice, the toasts still up, and whether the log window is open.
#[derive(Default)]
pub struct Notices {
    log: Vec<Notice>,
    /// Index into `log` and the time the toast goes away.
    toasts: Vec<(usize, f64)>,
    now: f64,
    pub log_open: bool,
    /// Warnings and errors since the log was last opened, for the status bar.
    unseen: usize,
}

/// Toasts shown at once; older ones are still in the log.
const MAX_TOASTS: usize = 4;

impl Notices {
    pub fn push(&mut self, severity: Severity, text: impl Into<String>) {
        let text = text.into();
        // The same message twice in a row (a key held down) is one toast.
        if let Some(&(last, _)) = self.toasts.last()
            && self.log[last].text == text
            && self.log[last].severity == severity
        {
            self.toasts.pop();
        }
        self.log.push(Notice {
            severity,
            text,
            at: self.now,
        });
        if severity > Severity::Info && !self.log_open {
            self.unseen += 1;
        }
        self.toasts
            .push((self.log.len() - 1, self.now + severity.toast_seconds()));
        if self.toasts.len() > MAX_TOASTS {
            self.toasts.remove(0);
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.push(Severity::Info, text);
    }

    pub fn warning(&mut self, text: impl Into<String>) {
        self.push(Severity::Warning, text);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.push(Severity::Error, text);
    }

    /// Every notice, oldest first.
    pub fn log(&self) -> &[Notice] {
        &self.log
    }

    pub fn latest(&self) -> Option<&Notice> {
        self.log.last()
    }

    /// Toasts still up, oldest first.
    pub fn toasts(&self) -> impl Iterator<Item = &Notice> {
        self.toasts.iter().map(|(i, _)| &self.log[*i])
    }

    pub fn toggle_log(&mut self) {
        self.log_open = !self.log_open;
        if self.log_open {
            self.unseen = 0;
        }
    }

    /// Toasts in the bottom right corner, above the status bar, and the log window.
    pub fn ui(&mut self, ctx: &egui::Context) {
        self.now = ctx.input(|i| i.time);
        let now = self.now;
        self.toasts.retain(|(_, until)| *until > now);
        if let Some(next) = self.toasts.iter().map(|(_, until)| *until).reduce(f64::min) {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64((next - now).max(0.05)));
        }
        self.toasts_ui(ctx);
        self.log_ui(ctx);
    }

    fn toasts_ui(&mut self, ctx: &egui::Context) {
        if self.toasts.is_empty() {
            return;
        }
        let mut dismissed = None;
        let mut open_log = false;
        egui::Area::new(egui::Id::unique("notice toasts"))
            .order(egui::Order::Foreground)
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-12.0, -40.0))
            .interactable(true)
            .show(ctx, |ui| {
                ui.set_max_width(420.0);
                for (slot, (index, _)) in self.toasts.iter().enumerate() {
                    let notice = &self.log[*index];
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_max_width(400.0);
                        ui.horizontal(|ui| {
                            ui.label(
                                RichText::new(notice.severity.label())
                                    .strong()
                                    .color(notice.severity.color()),
                            );
                            ui.add(egui::Label::new(&notice.text).wrap());
                        });
                        ui.horizontal(|ui| {
                            if ui.small_button("Dismiss").clicked() {
                                dismissed = Some(slot);
                            }
                            if ui.small_button("All notices").clicked() {
                                open_log = true;
                            }
                        });
                    });
                }
            });
        if let Some(slot) = dismissed {
            self.toasts.remove(slot);
        }
        if open_log && !self.log_open {
            self.toggle_log();
        }
    }

    fn log_ui(&mut self, ctx: &egui::Context) {
        if !self.log_open {
            return;
        }
        let mut open = true;
        let mut clear = false;
        egui::Window::new("Notices")
            .open(&mut open)
            .default_size([520.0, 360.0])
            .collapsible(false)
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(format!(
                            "{} notice(s) since the window opened, newest first",
                            self.log.len()
                        ))
                        .small(),
                    );
                    clear = ui.small_button("Clear").clicked();
                });
                ui.separator();
                egui::ScrollArea::vertical()
                    .id_salt("notice log")
                    .show(ui, |ui| {
                        if self.log.is_empty() {
                            ui.label(RichText::new("Nothing yet.").weak());
                        }
                        for notice in self.log.iter().rev() {
                            ui.horizontal_wrapped(|ui| {
                                ui.label(RichText::new(clock(notice.at)).small().weak());
                                ui.label(
                                    RichText::new(notice.severity.label())
                                        .small()
                                        .strong()
                                        .color(notice.severity.color()),
                                );
                                ui.label(&notice.text);
                            });
                        }
                    });
            });
        if clear {
            self.log.clear();
            self.toasts.clear();
        }
        if !open {
            self.log_open = false;
        }
    }

    /// "Notices (2 new)" for the status bar.
    pub fn status_text(&self) -> String {
        match self.unseen {
            0 => "Notices".into(),
            n => format!("Notices ({n} new)"),
        }
    }
}

/// "mm:ss" since the window opened.
fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0) as u64;
    format!("{:02}:{:02}", total / 60, total % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_logged_with_severity_and_repeats_make_one_toast() {
        let mut notices = Notices::default();
        notices.info("Saved");
        notices.warning("Select a claim first");
        notices.warning("Select a claim first");
        notices.error("Not saved: disk full");
        assert_eq!(notices.log().len(), 4, "the log keeps everything");
        let toasts: Vec<&str> = notices.toasts().map(|n| n.text.as_str()).collect();
        assert_eq!(
            toasts,
            ["Saved", "Select a claim first", "Not saved: disk full"]
        );
        assert_eq!(notices.status_text(), "Notices (3 new)");
        notices.toggle_log();
        assert_eq!(notices.status_text(), "Notices");
        assert_eq!(notices.latest().unwrap().severity, Severity::Error);
    }
}
