//! Colours and highlight styles: the only place the UI builds colours.

use egui::{Color32, Stroke};

use claimdesk_core::analysis::EntityKind;
use claimdesk_core::project::Stance;

/// Colour of a verdict by its position on the scale (0 = best). Custom scales get the same
/// green-to-red progression; the last step (Unverifiable) is grey.
pub fn verdict_color(position: usize, scale_len: usize) -> Color32 {
    const PALETTE: [Color32; 7] = [
        Color32::from_rgb(0x1e, 0x8e, 0x3e),
        Color32::from_rgb(0x5b, 0xb9, 0x74),
        Color32::from_rgb(0xf9, 0xab, 0x00),
        Color32::from_rgb(0xe3, 0x74, 0x00),
        Color32::from_rgb(0xd9, 0x30, 0x25),
        Color32::from_rgb(0xa5, 0x0e, 0x0e),
        Color32::from_rgb(0x80, 0x86, 0x8b),
    ];
    if scale_len == 0 {
        return PALETTE[6];
    }
    if position + 1 == scale_len && scale_len >= 3 {
        return PALETTE[6];
    }
    let steps = (scale_len.max(2) - 1).max(1) as f32;
    let idx = ((position as f32 / steps) * 5.0).round() as usize;
    PALETTE[idx.min(5)]
}

/// Background for a claim with this verdict colour (translucent, readable in both themes).
pub fn claim_background(color: Option<Color32>, dark: bool, selected: bool) -> Color32 {
    let base = color.unwrap_or(if dark {
        Color32::from_rgb(0x9a, 0x8a, 0x3a)
    } else {
        Color32::from_rgb(0xf5, 0xd7, 0x5a)
    });
    let alpha = match (selected, dark) {
        (true, _) => 150,
        (false, true) => 80,
        (false, false) => 70,
    };
    Color32::from_rgba_unmultiplied(base.r(), base.g(), base.b(), alpha)
}

/// Faint background for an unaccepted suggestion.
pub fn suggestion_background(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(0x70, 0x70, 0x90, 40)
    } else {
        Color32::from_rgba_unmultiplied(0x60, 0x60, 0xa0, 28)
    }
}

pub fn evidence_background(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(0x42, 0x8b, 0xd6, 70)
    } else {
        Color32::from_rgba_unmultiplied(0x42, 0x8b, 0xd6, 50)
    }
}

/// The reader's margin mark for evidence: green supports, red refutes, grey gives context.
pub fn stance_color(stance: Stance) -> Color32 {
    match stance {
        Stance::Supports => Color32::from_rgb(0x2e, 0x9e, 0x4f),
        Stance::Refutes => Color32::from_rgb(0xd2, 0x3c, 0x3c),
        Stance::Context => Color32::from_rgb(0x8a, 0x8f, 0x98),
    }
}

pub fn selection_outline() -> Color32 {
    Color32::from_rgb(0x42, 0x8b, 0xd6)
}

pub fn entity_color(kind: EntityKind) -> Color32 {
    match kind {
        EntityKind::Person => Color32::from_rgb(0xab, 0x47, 0xbc),
        EntityKind::Org => Color32::from_rgb(0x1e, 0x88, 0xe5),
        EntityKind::Gpe | EntityKind::Loc => Color32::from_rgb(0x43, 0xa0, 0x47),
        EntityKind::Norp | EntityKind::Event => Color32::from_rgb(0x8d, 0x6e, 0x63),
        EntityKind::Date => Color32::from_rgb(0x00, 0x89, 0x7b),
        EntityKind::Money | EntityKind::Quantity | EntityKind::Percent | EntityKind::Cardinal => {
            Color32::from_rgb(0xf4, 0x51, 0x1e)
        }
    }
}

/// Underline for an entity mention: solid and thicker when confirmed in the registry.
pub fn entity_underline(kind: EntityKind, confirmed: bool) -> Stroke {
    let color = entity_color(kind);
    if confirmed {
        Stroke::new(2.0, color)
    } else {
        Stroke::new(1.0, color.gamma_multiply(0.8))
    }
}

pub fn warning_text() -> Color32 {
    Color32::from_rgb(0xd9, 0x30, 0x25)
}

pub fn removed_text() -> Color32 {
    Color32::from_rgb(0x90, 0x90, 0x90)
}

/// What an undo or redo changed, lit up and fading in four steps (4 brightest).
pub fn flash(strength: u8) -> Color32 {
    let alpha = 40 + 40 * u32::from(strength.min(4));
    Color32::from_rgba_unmultiplied(0xff, 0xc1, 0x07, alpha as u8)
}

/// Notices: the word "Info", "Warning" or "Error" in these colours.
pub fn info_text() -> Color32 {
    Color32::from_rgb(0x42, 0x8b, 0xd6)
}

pub fn caution_text() -> Color32 {
    Color32::from_rgb(0xe3, 0x74, 0x00)
}
