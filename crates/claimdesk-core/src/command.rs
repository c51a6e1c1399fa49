//! Every user-invocable command, in one list that builds the menus, the keyboard shortcuts and
//! the command palette. No egui types here: the UI maps [`Shortcut`] to its own key type.

/// A keyboard shortcut, described without any UI toolkit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shortcut {
    /// Ctrl on Linux/Windows, Cmd on macOS.
    pub command: bool,
    pub shift: bool,
    /// A key name: a letter "A"–"Z", a digit "0"–"9", or "Enter", "Escape", "F2", "Plus", "Minus".
    pub key: &'static str,
}

const fn key(key: &'static str) -> Shortcut {
    Shortcut {
        command: false,
        shift: false,
        key,
    }
}
const fn ctrl(key: &'static str) -> Shortcut {
    Shortcut {
        command: true,
        shift: false,
        key,
    }
}
const fn shift(key: &'static str) -> Shortcut {
    Shortcut {
        command: false,
        shift: true,
        key,
    }
}
const fn ctrl_shift(key: &'static str) -> Shortcut {
    Shortcut {
        command: true,
        shift: true,
        key,
    }
}

impl Shortcut {
    /// "Ctrl+Shift+Z" style text for menus and the palette.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        if self.command {
            out.push_str("Ctrl+");
        }
        if self.shift {
            out.push_str("Shift+");
        }
        out.push_str(match self.key {
            "Plus" => "+",
            "Minus" => "-",
            other => other,
        });
        out
    }

    /// Plain-key shortcuts must not fire while the user types in a text field.
    pub fn is_plain_key(&self) -> bool {
        !self.command
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    OpenProject,
    OpenFolder,
    Save,
    SaveAs,
    ExportReport,
    Quit,
    Undo,
    Redo,
    /// Escape: closes search or the notices, else lets go of the selection or the focus.
    Cancel,
    /// Opens the open article's text for correcting a typo.
    CorrectText,
    MarkClaim,
    MarkEntity,
    AddEvidence,
    /// Confirms the suggested name under the selection (every mention in the article).
    ConfirmName,
    /// The same, in every article.
    ConfirmNameEverywhere,
    NextClaim,
    PrevClaim,
    NextArticle,
    PrevArticle,
    /// Puts the cursor in the article list's filter.
    FilterArticles,
    ShowArticleTab,
    ShowAllClaims,
    ShowRegistry,
    ShowAcross,
    ShowOrphans,
    ShowImportReport,
    ShowNotices,
    /// Compares the open article with the next one in the list.
    CompareWithNext,
    CloseComparison,
    SetVerdict(u8),
    ClearVerdict,
    AcceptSuggestion,
    DismissSuggestion,
    Search,
    CommandPalette,
    ToggleSuggestions,
    ToggleRemoved,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    ThemeDark,
    ThemeLight,
    ThemeSystem,
}

/// The menu a command lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    Claim,
    Go,
    View,
}

impl Menu {
    /// All menus, in menu bar order.
    pub const ALL: [Menu; 5] = [Menu::File, Menu::Edit, Menu::Claim, Menu::Go, Menu::View];

    pub fn title(self) -> &'static str {
        match self {
            Menu::File => "File",
            Menu::Edit => "Edit",
            Menu::Claim => "Claim",
            Menu::Go => "Go",
            Menu::View => "View",
        }
    }
}

impl Command {
    /// All commands, in menu order.
    pub fn all() -> Vec<Command> {
        let mut all = vec![
            Command::OpenProject,
            Command::OpenFolder,
            Command::Save,
            Command::SaveAs,
            Command::ExportReport,
            Command::Quit,
            Command::Undo,
            Command::Redo,
            Command::Search,
            Command::CommandPalette,
            Command::Cancel,
            Command::CorrectText,
            Command::MarkClaim,
            Command::MarkEntity,
            Command::AddEvidence,
            Command::ConfirmName,
            Command::ConfirmNameEverywhere,
            Command::AcceptSuggestion,
            Command::DismissSuggestion,
        ];
        all.extend((1..=7).map(Command::SetVerdict));
        all.extend([
            Command::ClearVerdict,
            Command::NextClaim,
            Command::PrevClaim,
            Command::NextArticle,
            Command::PrevArticle,
            Command::FilterArticles,
            Command::ShowArticleTab,
            Command::ShowAllClaims,
            Command::ShowRegistry,
            Command::ShowAcross,
            Command::ShowOrphans,
            Command::ShowImportReport,
            Command::CompareWithNext,
            Command::CloseComparison,
            Command::ShowNotices,
            Command::ToggleSuggestions,
            Command::ToggleRemoved,
            Command::ZoomIn,
            Command::ZoomOut,
            Command::ZoomReset,
            Command::ThemeDark,
            Command::ThemeLight,
            Command::ThemeSystem,
        ]);
        all
    }

    pub fn menu(self) -> Menu {
        use Command::*;
        match self {
            OpenProject | OpenFolder | Save | SaveAs | ExportReport | Quit => Menu::File,
            Undo | Redo | Search | CommandPalette | Cancel | CorrectText => Menu::Edit,
            MarkClaim
            | MarkEntity
            | AddEvidence
            | ConfirmName
            | ConfirmNameEverywhere
            | AcceptSuggestion
            | DismissSuggestion
            | SetVerdict(_)
            | ClearVerdict => Menu::Claim,
            NextClaim | PrevClaim | NextArticle | PrevArticle | FilterArticles => Menu::Go,
            ShowArticleTab | ShowAllClaims | ShowRegistry | ShowAcross | ShowOrphans
            | ShowImportReport | CompareWithNext | CloseComparison | ShowNotices
            | ToggleSuggestions | ToggleRemoved | ZoomIn | ZoomOut | ZoomReset | ThemeDark
            | ThemeLight | ThemeSystem => Menu::View,
        }
    }

    /// Menu text; `verdicts` names the scale's labels for `SetVerdict(n)`.
    pub fn title(self, verdicts: &[String]) -> String {
        use Command::*;
        match self {
            OpenProject => "Open project…".into(),
            OpenFolder => "Open folder of articles…".into(),
            Save => "Save".into(),
            SaveAs => "Save as…".into(),
            ExportReport => "Export…".into(),
            Quit => "Quit".into(),
            Undo => "Undo".into(),
            Redo => "Redo".into(),
            Search => "Search…".into(),
            CommandPalette => "Command palette…".into(),
            Cancel => "Close search / clear selection".into(),
            CorrectText => "Correct the article's text…".into(),
            MarkClaim => "Mark selection as claim".into(),
            MarkEntity => "Mark selection as entity".into(),
            AddEvidence => "Add selection as evidence".into(),
            ConfirmName => "Confirm selected name (this article)".into(),
            ConfirmNameEverywhere => "Confirm selected name in every article".into(),
            AcceptSuggestion => "Accept suggestion".into(),
            DismissSuggestion => "Dismiss suggestion".into(),
            SetVerdict(n) => format!(
                "Verdict: {}",
                verdicts
                    .get(usize::from(n).saturating_sub(1))
                    .map_or("—", String::as_str)
            ),
            ClearVerdict => "Clear verdict".into(),
            NextClaim => "Next claim".into(),
            PrevClaim => "Previous claim".into(),
            NextArticle => "Next article".into(),
            PrevArticle => "Previous article".into(),
            FilterArticles => "Filter the article list".into(),
            ShowArticleTab => "This article (claims, suggestions, names)".into(),
            ShowAllClaims => "All claims".into(),
            ShowRegistry => "Entity registry".into(),
            ShowAcross => "Across articles".into(),
            ShowOrphans => "Orphaned annotations".into(),
            ShowImportReport => "Import report".into(),
            ShowNotices => "Notices (message log)".into(),
            CompareWithNext => "Compare with the next article".into(),
            CloseComparison => "Close comparison".into(),
            ToggleSuggestions => "Show suggestions".into(),
            ToggleRemoved => "Show removed boilerplate".into(),
            ZoomIn => "Zoom in".into(),
            ZoomOut => "Zoom out".into(),
            ZoomReset => "Reset zoom".into(),
            ThemeDark => "Dark theme".into(),
            ThemeLight => "Light theme".into(),
            ThemeSystem => "System theme".into(),
        }
    }

    pub fn shortcut(self) -> Option<Shortcut> {
        use Command::*;
        Some(match self {
            OpenProject => ctrl("O"),
            OpenFolder => ctrl_shift("O"),
            Save => ctrl("S"),
            SaveAs => ctrl_shift("S"),
            ExportReport => ctrl("E"),
            Quit => ctrl("Q"),
            Undo => ctrl("Z"),
            Redo => ctrl_shift("Z"),
            Search => ctrl("F"),
            CommandPalette => ctrl_shift("P"),
            Cancel => key("Escape"),
            CorrectText => return None,
            MarkClaim => key("C"),
            MarkEntity => key("E"),
            AddEvidence => key("V"),
            ConfirmName => key("N"),
            ConfirmNameEverywhere => shift("N"),
            AcceptSuggestion => key("A"),
            DismissSuggestion => key("D"),
            SetVerdict(1) => key("1"),
            SetVerdict(2) => key("2"),
            SetVerdict(3) => key("3"),
            SetVerdict(4) => key("4"),
            SetVerdict(5) => key("5"),
            SetVerdict(6) => key("6"),
            SetVerdict(7) => key("7"),
            SetVerdict(_) => return None,
            ClearVerdict => key("0"),
            NextClaim => key("J"),
            PrevClaim => key("K"),
            NextArticle => ctrl("J"),
            PrevArticle => ctrl("K"),
            FilterArticles => ctrl("L"),
            ShowArticleTab | ShowAllClaims | ShowRegistry | ShowAcross | ShowOrphans
            | ShowImportReport | ShowNotices | CompareWithNext | CloseComparison => return None,
            ToggleSuggestions => ctrl_shift("G"),
            ToggleRemoved => ctrl_shift("B"),
            ZoomIn => ctrl("Plus"),
            ZoomOut => ctrl("Minus"),
            ZoomReset => ctrl("0"),
            ThemeDark | ThemeLight | ThemeSystem => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for command in Command::all() {
            if let Some(s) = command.shortcut() {
                assert!(
                    seen.insert(s.describe()),
                    "duplicate shortcut {}",
                    s.describe()
                );
            }
        }
    }
}
