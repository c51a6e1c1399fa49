//! Undo and redo over edits, global across articles.
//!
//! Each revision keeps the forward edit and its inverse. Consecutive edits with the same
//! coalesce key (typing a note) merge into one revision until [`History::seal`] — the rerun rule
//! of not making undo points while the user is still interacting, without a clock.

use super::Edit;

/// Revisions kept; older ones are dropped (the journal and saves still hold the data).
const MAX_REVISIONS: usize = 1000;

#[derive(Clone, Debug)]
pub struct Revision {
    pub label: String,
    pub forward: Edit,
    pub inverse: Edit,
    pub coalesce: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Revision>,
    redo: Vec<Revision>,
    sealed: bool,
}

impl History {
    /// Records an applied edit.
    pub fn push(&mut self, revision: Revision) {
        self.redo.clear();
        if !self.sealed
            && let (Some(top), Some(key)) = (self.undo.last_mut(), &revision.coalesce)
            && top.coalesce.as_ref() == Some(key)
        {
            // Keep the oldest inverse; the newest forward.
            top.forward = revision.forward;
            top.label = revision.label;
            return;
        }
        self.sealed = false;
        self.undo.push(revision);
        if self.undo.len() > MAX_REVISIONS {
            self.undo.remove(0);
        }
    }

    /// Ends coalescing: the next edit starts a new revision.
    pub fn seal(&mut self) {
        self.sealed = true;
    }

    pub fn take_undo(&mut self) -> Option<Revision> {
        self.sealed = true;
        self.undo.pop()
    }

    pub fn take_redo(&mut self) -> Option<Revision> {
        self.sealed = true;
        self.redo.pop()
    }

    pub fn push_redo(&mut self, revision: Revision) {
        self.redo.push(revision);
    }

    /// Puts a redone revision back without clearing the redo stack.
    pub fn push_undone(&mut self, revision: Revision) {
        self.undo.push(revision);
    }

    /// The forward edits of the last `count` revisions, oldest first.
    pub fn recent_forwards(&self, count: usize) -> Vec<Edit> {
        let skip = self.undo.len().saturating_sub(count);
        self.undo[skip..]
            .iter()
            .map(|r| r.forward.clone())
            .collect()
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|r| r.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|r| r.label.as_str())
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}
