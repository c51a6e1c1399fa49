//! PDF report, drawn with `krilla` in pure Rust (no browser): A4 pages with the same content as
//! the HTML report — claims with verdict, quote, claimant, where and when, explanation and
//! evidence; conflicting figures; the entity index; each article with its claims in bold on a
//! yellow mark and evidence passages on blue.
//!
//! Text uses bundled fonts, embedded and subset, so the PDF reads the same everywhere: DejaVu
//! Sans (Latin, Greek, Cyrillic), with fallbacks chosen per character for what it lacks or
//! draws poorly: Noto Sans Arabic and Hebrew, a Noto Sans CJK subset (Chinese, Japanese,
//! Korean) and a Symbola subset (emoji, symbols); licences and sizes in `assets/fonts/README.md`.
//! Each run of one font is shaped with rustybuzz (krilla's shaper: Arabic joining, marks);
//! lines are reordered with the Unicode bidi algorithm, so Arabic and Hebrew read right to left
//! and paragraphs that start in those scripts are right-aligned. Article text is laid out by
//! simple greedy line breaking; bidi and control characters in the text itself are shown as
//! `[U+…]` codes (as in every export), so hostile text cannot reorder the page.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider as _;

use super::{Report, ReportArticle, ReportClaim, visible_text};

static REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");
static ARABIC: &[u8] = include_bytes!("../../../../assets/fonts/NotoSansArabic-Regular.ttf");
static ARABIC_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/NotoSansArabic-Bold.ttf");
static HEBREW: &[u8] = include_bytes!("../../../../assets/fonts/NotoSansHebrew-Regular.ttf");
static HEBREW_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/NotoSansHebrew-Bold.ttf");
static CJK: &[u8] = include_bytes!("../../../../assets/fonts/NotoSansCJK-Subset.otf");
static SYMBOLS: &[u8] = include_bytes!("../../../../assets/fonts/SymbolaEmoji.ttf");

/// The fonts of each weight, in the order they are tried for a character (after the script's
/// own font, see [`Fonts::face_for`]). CJK and symbols have no bold: their regular is used.
const REGULAR_FACES: [&[u8]; 5] = [REGULAR, ARABIC, HEBREW, CJK, SYMBOLS];
const BOLD_FACES: [&[u8]; 5] = [BOLD, ARABIC_BOLD, HEBREW_BOLD, CJK, SYMBOLS];
const ARABIC_FACE: usize = 1;
const HEBREW_FACE: usize = 2;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const INK: (u8, u8, u8) = (0x1d, 0x1d, 0x1f);
const MUTED: (u8, u8, u8) = (0x5f, 0x63, 0x68);
const CLAIM_MARK: (u8, u8, u8) = (0xff, 0xf3, 0xc4);
const EVIDENCE_MARK: (u8, u8, u8) = (0xe3, 0xf2, 0xfd);
const PALETTE: [(u8, u8, u8); 7] = [
    (0x1e, 0x8e, 0x3e),
    (0x5b, 0xb9, 0x74),
    (0xf9, 0xab, 0x00),
    (0xe3, 0x74, 0x00),
    (0xd9, 0x30, 0x25),
    (0xa5, 0x0e, 0x0e),
    (0x5f, 0x63, 0x68),
];

#[derive(Clone, Copy, PartialEq)]
struct Style {
    bold: bool,
    size: f32,
    color: (u8, u8, u8),
    mark: Option<(u8, u8, u8)>,
}

impl Style {
    fn body() -> Self {
        Style {
            bold: false,
            size: 10.0,
            color: INK,
            mark: None,
        }
    }
    fn bold(self) -> Self {
        Style { bold: true, ..self }
    }
    fn size(self, size: f32) -> Self {
        Style { size, ..self }
    }
    fn color(self, color: (u8, u8, u8)) -> Self {
        Style { color, ..self }
    }
    fn mark(self, mark: (u8, u8, u8)) -> Self {
        Style {
            mark: Some(mark),
            ..self
        }
    }
}

/// One font: its bytes parsed for coverage (skrifa) and shaping (rustybuzz).
struct Face {
    charmap: skrifa::charmap::Charmap<'static>,
    shaper: rustybuzz::Face<'static>,
    upem: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Self {
        let font = skrifa::FontRef::new(data).expect("bundled font parses");
        Face {
            charmap: font.charmap(),
            shaper: rustybuzz::Face::from_slice(data, 0).expect("bundled font parses"),
            upem: f32::from(
                font.metrics(
                    skrifa::instance::Size::unscaled(),
                    skrifa::instance::LocationRef::default(),
                )
                .units_per_em
                .max(1),
            ),
        }
    }

    fn has(&self, c: char) -> bool {
        self.charmap.map(c).is_some()
    }
}

/// The bundled fonts: coverage, fallback and measuring by shaping.
struct Fonts {
    regular: Vec<Face>,
    bold: Vec<Face>,
}

/// A piece of text in one font and direction: byte range, face index, right to left.
type Segment = (std::ops::Range<usize>, usize, bool);

impl Fonts {
    fn new() -> Self {
        Fonts {
            regular: REGULAR_FACES.into_iter().map(Face::new).collect(),
            bold: BOLD_FACES.into_iter().map(Face::new).collect(),
        }
    }

    fn faces(&self, bold: bool) -> &[Face] {
        if bold { &self.bold } else { &self.regular }
    }

    /// The face for `c`: Arabic and Hebrew letters in their own fonts (DejaVu's Arabic has
    /// no full joining), anything else in the first font that has it.
    fn face_for(&self, c: char, bold: bool) -> usize {
        let faces = self.faces(bold);
        let preferred = match c {
            '\u{0600}'..='\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{08A0}'..='\u{08FF}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}' => Some(ARABIC_FACE),
            '\u{0590}'..='\u{05FF}' | '\u{FB1D}'..='\u{FB4F}' => Some(HEBREW_FACE),
            _ => None,
        };
        if let Some(i) = preferred.filter(|&i| faces[i].has(c)) {
            return i;
        }
        faces.iter().position(|f| f.has(c)).unwrap_or(0)
    }

    /// `text` cut where the font changes; marks, joiners and variation selectors stay with
    /// the character before them.
    fn font_runs(&self, text: &str, bold: bool) -> Vec<(std::ops::Range<usize>, usize)> {
        let mut runs: Vec<(std::ops::Range<usize>, usize)> = Vec::new();
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            let joins_previous = matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}')
                || is_combining_mark(c);
            let face = self.face_for(c, bold);
            // A space stays in the run before it when that font has one (a CJK subset may
            // not: its missing-glyph box is a whole em wide).
            let space_fits = c == ' '
                && runs
                    .last()
                    .is_some_and(|(_, f)| self.faces(bold)[*f].has(' '));
            match runs.last_mut() {
                Some((range, f)) if *f == face || joins_previous || space_fits => range.end = end,
                _ => runs.push((i..end, face)),
            }
        }
        runs
    }

    /// Width of `text` set in `face`, shaped.
    fn shaped_width(&self, text: &str, face: usize, style: Style, rtl: bool) -> f32 {
        let face = &self.faces(style.bold)[face];
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(if rtl {
            rustybuzz::Direction::RightToLeft
        } else {
            rustybuzz::Direction::LeftToRight
        });
        let output = rustybuzz::shape(&face.shaper, &[], buffer);
        let units: i32 = output.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * style.size / face.upem
    }

    fn width(&self, text: &str, style: Style) -> f32 {
        self.font_runs(text, style.bold)
            .into_iter()
            .map(|(range, face)| self.shaped_width(&text[range], face, style, false))
            .sum()
    }

    /// A line's pieces in visual order, each cut into font runs: (piece index, segment).
    /// Returns them with the line's base direction (true: right to left).
    fn visual_line(&self, pieces: &[(String, Style, f32)]) -> (Vec<(usize, Segment)>, bool) {
        let text: String = pieces.iter().map(|(t, _, _)| t.as_str()).collect();
        let mut starts = Vec::with_capacity(pieces.len());
        let mut at = 0;
        for (t, _, _) in pieces {
            starts.push(at);
            at += t.len();
        }
        let info = unicode_bidi::BidiInfo::new(&text, None);
        let Some(para) = info.paragraphs.first() else {
            return (Vec::new(), false);
        };
        let (levels, runs) = info.visual_runs(para, para.range.clone());
        let mut out = Vec::new();
        for run in runs {
            let rtl = levels[run.start].is_rtl();
            let mut cuts: Vec<(usize, Segment)> = Vec::new();
            for (p, (piece, style, _)) in pieces.iter().enumerate() {
                let (ps, pe) = (starts[p], starts[p] + piece.len());
                let (s, e) = (ps.max(run.start), pe.min(run.end));
                if s >= e {
                    continue;
                }
                for (range, face) in self.font_runs(&text[s..e], style.bold) {
                    cuts.push((p, (s - ps + range.start..s - ps + range.end, face, rtl)));
                }
            }
            if rtl {
                cuts.reverse();
            }
            out.extend(cuts);
        }
        (out, para.level.is_rtl())
    }
}

/// Combining marks (general category M), which belong to the character before them.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05BD}'
        | '\u{05BF}' | '\u{05C1}'..='\u{05C2}' | '\u{05C4}'..='\u{05C5}' | '\u{05C7}'
        | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E4}' | '\u{06E7}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{3099}'..='\u{309A}' | '\u{FE20}'..='\u{FE2F}'
        | '\u{1F3FB}'..='\u{1F3FF}')
}

/// A positioned run of text on a page, in one font and direction.
struct Run {
    x: f32,
    y: f32,
    text: String,
    style: Style,
    face: usize,
    rtl: bool,
}

enum Item {
    Text(Run),
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: (u8, u8, u8),
    },
}

/// Greedy flow layout into pages of items.
struct Layout {
    metrics: Fonts,
    pages: Vec<Vec<Item>>,
    y: f32,
    /// Set while drawing footers, which sit below the bottom margin.
    no_page_breaks: bool,
}

impl Layout {
    fn new() -> Self {
        Layout {
            metrics: Fonts::new(),
            pages: vec![Vec::new()],
            y: MARGIN,
            no_page_breaks: false,
        }
    }

    /// "Title · page N of M" at the foot of every page, set like body text (fallback fonts,
    /// bidi).
    fn footers(&mut self, title: &str) {
        let style = Style::body().size(7.5).color(MUTED);
        let pages = std::mem::take(&mut self.pages);
        let count = pages.len();
        self.no_page_breaks = true;
        let mut done = Vec::with_capacity(count);
        for (n, mut items) in pages.into_iter().enumerate() {
            self.pages = vec![Vec::new()];
            self.y = PAGE_H - MARGIN / 2.0 - style.size * 1.4 * 0.78;
            self.paragraph(
                &[(format!("{title} · page {} of {count}", n + 1), style)],
                0.0,
            );
            items.extend(self.pages.pop().unwrap_or_default());
            done.push(items);
        }
        self.no_page_breaks = false;
        self.pages = done;
    }

    fn new_page(&mut self) {
        if !self.pages.last().is_some_and(Vec::is_empty) {
            self.pages.push(Vec::new());
        }
        self.y = MARGIN;
    }

    fn ensure(&mut self, height: f32) {
        if !self.no_page_breaks && self.y + height > PAGE_H - MARGIN {
            self.new_page();
        }
    }

    fn space(&mut self, height: f32) {
        self.y += height;
    }

    /// Lays out a paragraph of styled pieces, wrapping at spaces (and inside over-long words).
    fn paragraph(&mut self, pieces: &[(String, Style)], indent: f32) {
        let left = MARGIN + indent;
        let width = PAGE_W - MARGIN - left;
        // Split into words keeping the trailing space with the word; newlines break lines.
        let mut words: Vec<(String, Style, bool)> = Vec::new();
        for (text, style) in pieces {
            let text = visible_text(text).replace('\t', "    ").replace('\r', "");
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    words.push((String::new(), *style, true));
                }
                let mut word = String::new();
                for c in line.chars() {
                    word.push(c);
                    if c == ' ' {
                        words.push((std::mem::take(&mut word), *style, false));
                    }
                }
                if !word.is_empty() {
                    words.push((word, *style, false));
                }
            }
        }
        let line_height = pieces.iter().map(|(_, s)| s.size).fold(0.0, f32::max) * 1.4;
        let mut line: Vec<(String, Style, f32)> = Vec::new();
        let mut x = 0.0;
        let flush = |layout: &mut Layout, line: &mut Vec<(String, Style, f32)>| {
            layout.ensure(line_height);
            let baseline = layout.y + line_height * 0.78;
            let (segments, rtl_line) = layout.metrics.visual_line(line);
            let shaped: Vec<(usize, Segment, f32)> = segments
                .into_iter()
                .map(|(p, (range, face, rtl))| {
                    let (text, style, _) = &line[p];
                    let w = layout
                        .metrics
                        .shaped_width(&text[range.clone()], face, *style, rtl);
                    (p, (range, face, rtl), w)
                })
                .collect();
            let total: f32 = shaped.iter().map(|(_, _, w)| w).sum();
            // A right-to-left paragraph is set against the right margin.
            let mut x = if rtl_line {
                (PAGE_W - MARGIN - total).max(left)
            } else {
                left
            };
            for (p, (range, face, rtl), w) in shaped {
                let (text, style, _) = &line[p];
                let page = layout.pages.last_mut().expect("a page");
                if let Some(mark) = style.mark {
                    page.push(Item::Rect {
                        x,
                        y: layout.y + 1.0,
                        w,
                        h: line_height - 1.0,
                        color: mark,
                    });
                }
                page.push(Item::Text(Run {
                    x,
                    y: baseline,
                    text: text[range].to_string(),
                    style: *style,
                    face,
                    rtl,
                }));
                x += w;
            }
            line.clear();
            layout.y += line_height;
        };
        for (word, style, newline) in words {
            if newline {
                flush(self, &mut line);
                x = 0.0;
                continue;
            }
            let mut w = self.metrics.width(&word, style);
            let trimmed_w = self.metrics.width(word.trim_end(), style);
            if x + trimmed_w > width && !line.is_empty() {
                flush(self, &mut line);
                x = 0.0;
            }
            let mut word = word;
            // A word longer than the line: cut it.
            while self.metrics.width(word.trim_end(), style) > width {
                let mut cut = String::new();
                for c in word.chars() {
                    if self.metrics.width(&format!("{cut}{c}"), style) > width && !cut.is_empty() {
                        break;
                    }
                    cut.push(c);
                }
                word = word[cut.len()..].to_string();
                let cw = self.metrics.width(&cut, style);
                line.push((cut, style, cw));
                flush(self, &mut line);
                w = self.metrics.width(&word, style);
            }
            if word.is_empty() {
                continue;
            }
            // Merge with the previous run of the same style.
            match line.last_mut() {
                Some((text, s, lw)) if *s == style => {
                    text.push_str(&word);
                    *lw += w;
                }
                _ => line.push((word, style, w)),
            }
            x += w;
        }
        if !line.is_empty() {
            flush(self, &mut line);
        }
    }

    fn text(&mut self, text: &str, style: Style) {
        self.paragraph(&[(text.to_string(), style)], 0.0);
    }

    fn badge(&mut self, text: &str, color: (u8, u8, u8)) {
        let style = Style::body().bold().size(8.5).color((255, 255, 255));
        let text = visible_text(text).to_uppercase();
        let w = self.metrics.width(&text, style) + 8.0;
        self.ensure(16.0);
        let page = self.pages.last_mut().expect("a page");
        page.push(Item::Rect {
            x: MARGIN,
            y: self.y,
            w,
            h: 14.0,
            color,
        });
        let mut x = MARGIN + 4.0;
        for (range, face) in self.metrics.font_runs(&text, style.bold) {
            let piece = text[range].to_string();
            let advance = self.metrics.shaped_width(&piece, face, style, false);
            page.push(Item::Text(Run {
                x,
                y: self.y + 10.3,
                text: piece,
                style,
                face,
                rtl: false,
            }));
            x += advance;
        }
        self.y += 18.0;
    }

    fn rule(&mut self) {
        self.ensure(8.0);
        let page = self.pages.last_mut().expect("a page");
        page.push(Item::Rect {
            x: MARGIN,
            y: self.y + 3.0,
            w: PAGE_W - 2.0 * MARGIN,
            h: 0.6,
            color: (0xd9, 0xd9, 0xde),
        });
        self.y += 8.0;
    }
}

fn verdict_color(report: &Report, verdict: Option<&str>) -> (u8, u8, u8) {
    verdict
        .and_then(|v| report.rating_scale.iter().position(|(l, _)| l == v))
        .map_or(MUTED, |i| PALETTE[i.min(PALETTE.len() - 1)])
}

fn claim_block(layout: &mut Layout, report: &Report, claim: &ReportClaim) {
    layout.ensure(90.0);
    let verdict = match (&claim.verdict, claim.suggested) {
        (Some(v), _) => v.clone(),
        (None, true) => "Suggested claim (not rated)".into(),
        (None, false) => "Not rated".into(),
    };
    layout.badge(&verdict, verdict_color(report, claim.verdict.as_deref()));
    layout.text(
        &format!("“{}”", super::bare_quote(&claim.quote)),
        Style::body().size(12.5).bold(),
    );
    layout.space(2.0);
    let muted = Style::body().size(8.5).color(MUTED);
    let mut where_when = super::where_published(&claim.article, &claim.article_id);
    if let Some(url) = &claim.article.url {
        where_when.push_str(&format!(" · {url}"));
    }
    layout.paragraph(
        &[
            ("Claimant: ".into(), muted.bold()),
            (
                claim
                    .claimant
                    .clone()
                    .unwrap_or_else(|| "Unknown claimant".into()),
                muted,
            ),
            (" · Appeared in: ".into(), muted.bold()),
            (where_when, muted),
        ],
        0.0,
    );
    layout.space(3.0);
    let context = Style::body().size(9.0).color(MUTED);
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    layout.paragraph(
        &[
            (format!("…{} ", flat(&claim.context_before)), context),
            (flat(&claim.quote), context.color(INK).mark(CLAIM_MARK)),
            (format!(" {}…", flat(&claim.context_after)), context),
        ],
        0.0,
    );
    if !claim.note.trim().is_empty() {
        layout.space(4.0);
        layout.text("Our explanation", Style::body().bold().size(10.5));
        layout.text(&claim.note, Style::body());
    }
    if !claim.evidence.is_empty() {
        layout.space(4.0);
        layout.text("Evidence", Style::body().bold().size(10.5));
        for e in &claim.evidence {
            let mut pieces = vec![(
                format!("{} ", e.stance.to_uppercase()),
                Style::body().bold().size(8.5),
            )];
            if !e.quote.is_empty() {
                pieces.push((format!("“{}” ", super::bare_quote(&e.quote)), Style::body()));
            }
            let fallback = e.article_id.as_deref().unwrap_or(&e.citation);
            let mut cite = format!("— {}", super::where_published(&e.meta, fallback));
            if let Some(url) = &e.url {
                cite.push_str(&format!(" {url}"));
            }
            pieces.push((cite, Style::body().size(8.5).color(MUTED)));
            if !e.note.trim().is_empty() {
                pieces.push((format!("\n{}", e.note), Style::body().size(9.0)));
            }
            layout.paragraph(&pieces, 12.0);
            layout.space(2.0);
        }
    }
    layout.space(6.0);
    layout.rule();
}

fn article_block(layout: &mut Layout, article: &ReportArticle) {
    layout.new_page();
    let title = article
        .meta
        .title
        .clone()
        .unwrap_or_else(|| article.id.clone());
    layout.text(&title, Style::body().bold().size(14.0));
    let meta: Vec<String> = [
        article.meta.source.as_deref(),
        article.meta.byline.as_deref().map(str::trim),
        article.meta.date.as_deref(),
        article.meta.url.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(str::to_string)
    .collect();
    if !meta.is_empty() {
        layout.text(&meta.join(" · "), Style::body().size(8.5).color(MUTED));
    }
    layout.space(6.0);
    if let Some(reason) = &article.missing {
        layout.text(
            &format!("Article text unavailable: {reason}"),
            Style::body().color(PALETTE[5]),
        );
        return;
    }
    // Claims (bold on yellow) and evidence (blue).
    let pieces: Vec<(String, Style)> = article
        .claim_and_evidence_runs()
        .into_iter()
        .map(|(text, highlight)| {
            let style = match highlight {
                None => Style::body(),
                Some(h) if h.kind == "claim" => Style::body().bold().mark(CLAIM_MARK),
                Some(_) => Style::body().mark(EVIDENCE_MARK),
            };
            (text.to_string(), style)
        })
        .collect();
    layout.paragraph(&pieces, 0.0);
}

fn lay_out(report: &Report) -> Layout {
    let mut layout = Layout::new();
    layout.text(&report.title, Style::body().bold().size(20.0));
    let rated = report.claims.iter().filter(|c| c.verdict.is_some()).count();
    layout.text(
        &format!(
            "Fact-check report · {} claim(s), {} rated · {} article(s). Made with Claimdesk.",
            report.claims.len(),
            rated,
            report.articles.len()
        ),
        Style::body().size(8.5).color(MUTED),
    );
    layout.space(10.0);
    layout.text("Claims", Style::body().bold().size(15.0));
    layout.space(4.0);
    if report.claims.is_empty() {
        layout.text("No claims recorded.", Style::body().color(MUTED));
    }
    for claim in &report.claims {
        claim_block(&mut layout, report, claim);
    }
    if !report.conflicts.is_empty() {
        layout.space(8.0);
        layout.text("Conflicting figures", Style::body().bold().size(15.0));
        for conflict in &report.conflicts {
            layout.text(&conflict.subject, Style::body().bold());
            for (title, figure) in &conflict.statements {
                layout.paragraph(
                    &[
                        (format!("• {title}: "), Style::body().color(MUTED)),
                        (figure.clone(), Style::body()),
                    ],
                    12.0,
                );
            }
            if !conflict.note.trim().is_empty() {
                layout.text(&conflict.note, Style::body());
            }
            layout.space(4.0);
        }
    }
    if !report.entities.is_empty() {
        layout.space(8.0);
        layout.ensure(60.0);
        layout.text("Entity index", Style::body().bold().size(15.0));
        for entity in &report.entities {
            let mentions: Vec<String> = entity
                .mentions
                .iter()
                .map(|(t, n)| format!("{t} ({n})"))
                .collect();
            let mut pieces = vec![
                (entity.name.clone(), Style::body().bold()),
                (
                    format!("  {}", entity.kind),
                    Style::body().size(8.5).color(MUTED),
                ),
            ];
            if !entity.aliases.is_empty() {
                pieces.push((
                    format!(" · also written: {}", entity.aliases.join(", ")),
                    Style::body().size(9.0),
                ));
            }
            if !mentions.is_empty() {
                pieces.push((
                    format!(" · {}", mentions.join("; ")),
                    Style::body().size(9.0).color(MUTED),
                ));
            }
            layout.paragraph(&pieces, 0.0);
        }
    }
    for article in &report.articles {
        article_block(&mut layout, article);
    }
    layout
}

/// Renders the report as PDF bytes.
pub fn render(report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut layout = lay_out(report);
    let load = |faces: &[&'static [u8]]| -> anyhow::Result<Vec<Font>> {
        faces
            .iter()
            .map(|data| {
                Font::new((*data).into(), 0)
                    .ok_or_else(|| anyhow::anyhow!("bundled font unreadable"))
            })
            .collect()
    };
    let regular = load(&REGULAR_FACES)?;
    let bold = load(&BOLD_FACES)?;
    layout.footers(&visible_text(&report.title));
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(visible_text(&report.title))
            .creator(format!("Claimdesk {}", env!("CARGO_PKG_VERSION")))
            .language("en".into()),
    );
    for items in &layout.pages {
        let settings =
            PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| anyhow::anyhow!("page size"))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let fill = |color: (u8, u8, u8)| Fill {
            paint: rgb::Color::new(color.0, color.1, color.2).into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        };
        for item in items {
            match item {
                Item::Rect { x, y, w, h, color } => {
                    let mut builder = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(*x, *y, w.max(0.1), h.max(0.1)) {
                        builder.push_rect(rect);
                        if let Some(path) = builder.finish() {
                            surface.set_fill(Some(fill(*color)));
                            surface.draw_path(&path);
                        }
                    }
                }
                Item::Text(run) => {
                    surface.set_fill(Some(fill(run.style.color)));
                    let fonts = if run.style.bold { &bold } else { &regular };
                    surface.draw_text(
                        Point::from_xy(run.x, run.y),
                        fonts[run.face].clone(),
                        run.style.size,
                        &run.text,
                        false,
                        if run.rtl {
                            TextDirection::RightToLeft
                        } else {
                            TextDirection::LeftToRight
                        },
                    );
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| anyhow::anyhow!("PDF: {e:?}"))
}
