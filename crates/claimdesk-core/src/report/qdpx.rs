//! REFI-QDA project exchange (`.qdpx`): a zip holding `project.qde` (QDA-XML,
//! `urn:QDA-XML:project:1.0`) and `sources/` with each article as internal plain text.
//!
//! Mapping: articles → `TextSource` (`plainTextPath="internal://<guid>.txt"`); claims →
//! `PlainTextSelection` coded with the "Claim" code, with a code under the "Verdict" category
//! when rated and under "Claimant" when the claimant is known, the analyst's note as the
//! selection's `Description`; entity mentions → selections coded with `Entity/<TYPE>/<name>`;
//! evidence passages → selections coded `Evidence/<stance>`; the analyst → a `User`. GUIDs are
//! derived from record ids, so exporting twice gives the same file.
//!
//! Import accepts any `*.qde` in the archive, sources as `internal://` paths, relative paths
//! or inline `PlainTextContent`; CRLF and BOM are normalised and positions (Unicode scalar
//! counts) are mapped through the normalisation.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

use anyhow::{Context as _, Result, anyhow, bail};
use quick_xml::XmlVersion;
use quick_xml::events::Event;

use super::interchange::{
    ExportData, Imported, ImportedArticle, ImportedClaim, ImportedMention, guid, normalise_with_map,
};
use super::visible_text;
use crate::analysis::EntityKind;
use crate::corpus::ArticleMeta;
use crate::text::Span;
use crate::workspace::Workspace;

pub const NAMESPACE: &str = "urn:QDA-XML:project:1.0";
const USER_NAME: &str = "Claimdesk analyst";

/// Escapes text for XML element content or attribute values. Control characters XML cannot
/// hold become visible codes; CR, LF and tab are written as character references so attribute
/// normalisation and end-of-line handling cannot change them.
pub fn xml_escape(text: &str) -> String {
    let text = visible_text(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

fn short(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 60 {
        format!("{}…", flat.chars().take(60).collect::<String>())
    } else {
        flat
    }
}

struct CodeTree {
    xml: String,
}

impl CodeTree {
    fn open(
        &mut self,
        depth: usize,
        guid: &str,
        name: &str,
        codable: bool,
        color: Option<&str>,
        description: Option<&str>,
    ) {
        let pad = "  ".repeat(depth);
        write!(
            self.xml,
            "{pad}<Code guid=\"{guid}\" name=\"{}\" isCodable=\"{codable}\"",
            xml_escape(name)
        )
        .ok();
        if let Some(color) = color {
            write!(self.xml, " color=\"{color}\"").ok();
        }
        self.xml.push_str(">\n");
        if let Some(d) = description {
            writeln!(
                self.xml,
                "{pad}  <Description>{}</Description>",
                xml_escape(d)
            )
            .ok();
        }
    }
    fn close(&mut self, depth: usize) {
        writeln!(self.xml, "{}</Code>", "  ".repeat(depth)).ok();
    }
    fn leaf(
        &mut self,
        depth: usize,
        guid: &str,
        name: &str,
        color: Option<&str>,
        description: Option<&str>,
    ) {
        self.open(depth, guid, name, true, color, description);
        self.close(depth);
    }
}

const VERDICT_COLORS: [&str; 7] = [
    "#1E8E3E", "#5BB974", "#F9AB00", "#E37400", "#D93025", "#A50E0E", "#5F6368",
];

/// A selection to write: span, GUID, name, description, GUIDs of its codes.
type Selection = (Span, String, String, Option<String>, Vec<String>);

/// The `project.qde` document.
pub fn project_qde(data: &ExportData) -> String {
    let user = guid("user", USER_NAME);
    let mut xml = String::with_capacity(64 * 1024);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    writeln!(
        xml,
        "<Project xmlns=\"{NAMESPACE}\" name=\"{}\" origin=\"Claimdesk {}\" creatingUserGUID=\"{user}\">",
        xml_escape(&data.name),
        env!("CARGO_PKG_VERSION")
    )
    .ok();
    writeln!(
        xml,
        "  <Users>\n    <User guid=\"{user}\" name=\"{USER_NAME}\"/>\n  </Users>"
    )
    .ok();

    // Code book.
    let mut codes = CodeTree { xml: String::new() };
    codes.leaf(
        3,
        &guid("code", "Claim"),
        "Claim",
        Some("#F9AB00"),
        Some("A checkable statement marked by the analyst."),
    );
    codes.open(
        3,
        &guid("code", "Verdict"),
        "Verdict",
        false,
        None,
        Some("The analyst's rating of a claim (Claimdesk rating scale)."),
    );
    for (i, rating) in data.rating_scale.iter().enumerate() {
        codes.leaf(
            4,
            &guid("verdict", &rating.label),
            &rating.label,
            Some(VERDICT_COLORS[i.min(VERDICT_COLORS.len() - 1)]),
            Some(&format!("rating value {}", rating.value)),
        );
    }
    codes.close(3);
    let claimants: std::collections::BTreeSet<&str> = data
        .claims
        .iter()
        .filter_map(|c| c.claimant.as_deref())
        .collect();
    if !claimants.is_empty() {
        codes.open(
            3,
            &guid("code", "Claimant"),
            "Claimant",
            false,
            None,
            Some("Who made the claim."),
        );
        for claimant in &claimants {
            codes.leaf(4, &guid("claimant", claimant), claimant, None, None);
        }
        codes.close(3);
    }
    if !data.evidence.is_empty() {
        codes.open(
            3,
            &guid("code", "Evidence"),
            "Evidence",
            false,
            None,
            Some("Passages used as evidence for a claim."),
        );
        for stance in crate::project::Stance::ALL {
            codes.leaf(
                4,
                &guid("stance", stance.label()),
                stance.label(),
                None,
                None,
            );
        }
        codes.close(3);
    }
    let mut by_kind: BTreeMap<&str, BTreeMap<&str, &crate::project::Entity>> = BTreeMap::new();
    for (id, entity, _, _) in &data.mentions {
        by_kind
            .entry(entity.kind.label())
            .or_default()
            .insert(id.as_str(), entity);
    }
    if !by_kind.is_empty() {
        codes.open(
            3,
            &guid("code", "Entity"),
            "Entity",
            false,
            None,
            Some("Registry entities, by type."),
        );
        for (kind, entities) in &by_kind {
            codes.open(4, &guid("entity-kind", kind), kind, false, None, None);
            for (id, entity) in entities {
                let mut description = String::new();
                if !entity.aliases.is_empty() {
                    write!(description, "Also written: {}", entity.aliases.join("; ")).ok();
                }
                if !entity.note.is_empty() {
                    if !description.is_empty() {
                        description.push('\n');
                    }
                    description.push_str(&entity.note);
                }
                codes.leaf(
                    5,
                    &guid("entity", id),
                    &entity.name,
                    None,
                    (!description.is_empty()).then_some(description.as_str()),
                );
            }
            codes.close(4);
        }
        codes.close(3);
    }
    writeln!(
        xml,
        "  <CodeBook>\n    <Codes>\n{}    </Codes>\n  </CodeBook>",
        codes.xml
    )
    .ok();

    // Sources.
    xml.push_str("  <Sources>\n");
    for (article, meta) in &data.articles {
        let source = guid("source", &article.id);
        writeln!(
            xml,
            "    <TextSource guid=\"{source}\" name=\"{}\" plainTextPath=\"internal://{source}.txt\" creatingUser=\"{user}\">",
            xml_escape(&article.id)
        )
        .ok();
        let description = super::citation(meta, &article.id)
            + &meta
                .url
                .as_deref()
                .map(|u| format!("\n{u}"))
                .unwrap_or_default();
        writeln!(
            xml,
            "      <Description>{}</Description>",
            xml_escape(&description)
        )
        .ok();
        // Selections in text order: claims, evidence, mentions.
        let mut selections: Vec<Selection> = Vec::new();
        for claim in data.claims.iter().filter(|c| c.article_id == article.id) {
            let mut codes = vec![guid("code", "Claim")];
            if let Some(v) = &claim.verdict {
                codes.push(guid("verdict", v));
            }
            if let Some(c) = &claim.claimant {
                codes.push(guid("claimant", c));
            }
            let note = (!claim.note.is_empty()).then(|| claim.note.clone());
            selections.push((
                claim.span,
                guid("claim", &claim.id),
                short(&claim.quote),
                note,
                codes,
            ));
        }
        for (claim, stance, _, span, note) in data.evidence.iter().filter(|e| e.2 == article.id) {
            let quote = data
                .claims
                .iter()
                .find(|c| &c.id == claim)
                .map(|c| short(&c.quote))
                .unwrap_or_default();
            let mut description = format!("Evidence ({}) for the claim “{quote}”", stance.label());
            if !note.is_empty() {
                write!(description, "\n{note}").ok();
            }
            let id = format!("{claim}:{}:{}:{}", article.id, span.start, span.end);
            selections.push((
                *span,
                guid("evidence", &id),
                format!("evidence: {quote}"),
                Some(description),
                vec![guid("stance", stance.label())],
            ));
        }
        for (entity, e, _, span) in data.mentions.iter().filter(|m| m.2 == article.id) {
            let id = format!("{entity}:{}:{}:{}", article.id, span.start, span.end);
            selections.push((
                *span,
                guid("mention", &id),
                e.name.clone(),
                None,
                vec![guid("entity", entity)],
            ));
        }
        selections.sort_by(|a, b| (a.0.start, a.0.end, &a.1).cmp(&(b.0.start, b.0.end, &b.1)));
        for (span, sel, name, description, codes) in selections {
            writeln!(
                xml,
                "      <PlainTextSelection guid=\"{sel}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\" creatingUser=\"{user}\">",
                xml_escape(&name),
                span.start,
                span.end
            )
            .ok();
            if let Some(d) = description {
                writeln!(xml, "        <Description>{}</Description>", xml_escape(&d)).ok();
            }
            for code in codes {
                writeln!(
                    xml,
                    "        <Coding guid=\"{}\" creatingUser=\"{user}\">\n          <CodeRef targetGUID=\"{code}\"/>\n        </Coding>",
                    guid("coding", &format!("{sel}:{code}"))
                )
                .ok();
            }
            xml.push_str("      </PlainTextSelection>\n");
        }
        xml.push_str("    </TextSource>\n");
    }
    xml.push_str("  </Sources>\n</Project>\n");
    xml
}

/// The `.qdpx` archive bytes.
pub fn export(ws: &mut Workspace) -> Result<Vec<u8>> {
    let data = ExportData::gather(ws);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    zip.start_file("project.qde", options)?;
    zip.write_all(project_qde(&data).as_bytes())?;
    for (article, _) in &data.articles {
        zip.start_file(
            format!("sources/{}.txt", guid("source", &article.id)),
            options,
        )?;
        zip.write_all(article.text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

// ----- import -----

/// A parsed XML element (namespaces dropped: QDA-XML has one).
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }
}

fn parse_xml(xml: &str) -> Result<Node> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Node> = vec![Node::default()];
    let element = |e: &quick_xml::events::BytesStart| -> Result<Node> {
        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        let mut attrs = BTreeMap::new();
        for attr in e.attributes() {
            let attr = attr?;
            let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
            attrs.insert(
                key,
                attr.normalized_value(XmlVersion::Implicit1_0)?.into_owned(),
            );
        }
        Ok(Node {
            name,
            attrs,
            ..Node::default()
        })
    };
    loop {
        match reader
            .read_event()
            .map_err(|e| anyhow!("XML error at byte {}: {e}", reader.buffer_position()))?
        {
            Event::Start(e) => stack.push(element(&e)?),
            Event::Empty(e) => {
                let node = element(&e)?;
                stack.last_mut().expect("root").children.push(node);
            }
            Event::End(_) => {
                let node = stack.pop().expect("balanced");
                stack
                    .last_mut()
                    .ok_or_else(|| anyhow!("unbalanced XML"))?
                    .children
                    .push(node);
            }
            Event::Text(t) => stack
                .last_mut()
                .expect("root")
                .text
                .push_str(&t.xml_content(XmlVersion::Implicit1_0)?),
            Event::CData(t) => stack.last_mut().expect("root").text.push_str(&t.decode()?),
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref()? {
                    Some(c) => c.to_string(),
                    None => match r.decode()?.as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => bail!("unknown XML entity &{other};"),
                    },
                };
                stack.last_mut().expect("root").text.push_str(&text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack.pop().ok_or_else(|| anyhow!("empty XML"))?;
    if !stack.is_empty() {
        bail!("XML ended inside an element");
    }
    root.children
        .pop()
        .ok_or_else(|| anyhow!("no root element"))
}

/// What a code means to Claimdesk.
#[derive(Clone, Debug)]
enum CodeRole {
    Claim,
    Verdict(String),
    Claimant(String),
    Entity(EntityKind, String),
    Other,
}

fn collect_codes(node: &Node, path: &mut Vec<String>, out: &mut BTreeMap<String, CodeRole>) {
    for code in node.all("Code") {
        let name = code.attr("name").unwrap_or_default().to_string();
        let role = match path
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [] if name == "Claim" => CodeRole::Claim,
            ["Verdict"] => CodeRole::Verdict(name.clone()),
            ["Claimant"] => CodeRole::Claimant(name.clone()),
            ["Entity", kind] => match EntityKind::from_label(kind) {
                Some(kind) => CodeRole::Entity(kind, name.clone()),
                None => CodeRole::Other,
            },
            _ => CodeRole::Other,
        };
        if let Some(guid) = code.attr("guid") {
            out.insert(
                guid.trim_matches(|c| c == '{' || c == '}').to_lowercase(),
                role,
            );
        }
        path.push(name);
        collect_codes(code, path, out);
        path.pop();
    }
}

fn clean_guid(g: &str) -> String {
    g.trim()
        .trim_matches(|c| c == '{' || c == '}')
        .to_lowercase()
}

/// Reads a `.qdpx` archive.
pub fn import(bytes: &[u8]) -> Result<Imported> {
    // The same guarded reader as article import: declared sizes and expansion ratio are checked
    // before inflating, so a hostile .qdpx cannot exhaust memory.
    let limits = crate::corpus::ImportLimits::default();
    let mut archive =
        crate::corpus::formats::archive::SafeZip::open(bytes, &limits, "REFI-QDA project")
            .map_err(anyhow::Error::msg)
            .context("not a readable .qdpx (zip) archive")?;
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for name in archive.names() {
        if name.ends_with('/') {
            continue;
        }
        if let Some(buf) = archive.read(&name).map_err(anyhow::Error::msg)? {
            files.insert(name.replace('\\', "/"), buf);
        }
    }
    let qde = files
        .iter()
        .find(|(name, _)| name.to_lowercase().ends_with(".qde"))
        .map(|(_, b)| b.clone())
        .ok_or_else(|| anyhow!("the archive has no .qde project file"))?;
    let find_file = |path: &str| -> Option<&Vec<u8>> {
        let path = path.trim_start_matches("./").replace('\\', "/");
        let wanted = path.to_lowercase();
        files
            .iter()
            .find(|(n, _)| {
                n.to_lowercase() == wanted || n.to_lowercase() == format!("sources/{wanted}")
            })
            .or_else(|| {
                // Fall back to the file name alone (tools differ on folder layout).
                let base = wanted.rsplit('/').next().unwrap_or(&wanted).to_string();
                files
                    .iter()
                    .find(|(n, _)| n.to_lowercase().rsplit('/').next() == Some(base.as_str()))
            })
            .map(|(_, b)| b)
    };
    import_qde(&decode(&qde), |path| find_file(path).map(|b| decode(b)))
}

fn decode(bytes: &[u8]) -> String {
    let (text, _, _) = encoding_rs::UTF_8.decode(bytes);
    text.into_owned()
}

/// Reads a `project.qde` document; `source` resolves a source path to its text.
pub fn import_qde(xml: &str, source: impl Fn(&str) -> Option<String>) -> Result<Imported> {
    let root = parse_xml(xml.strip_prefix('\u{FEFF}').unwrap_or(xml))?;
    if root.name != "Project" {
        bail!("not a REFI-QDA project: root element is <{}>", root.name);
    }
    let mut roles = BTreeMap::new();
    if let Some(codes) = root.child("CodeBook").and_then(|c| c.child("Codes")) {
        collect_codes(codes, &mut Vec::new(), &mut roles);
    }
    let mut imported = Imported {
        name: root.attr("name").map(str::to_string),
        ..Imported::default()
    };
    let Some(sources) = root.child("Sources") else {
        return Ok(imported);
    };
    for src in sources.all("TextSource") {
        let name = src
            .attr("name")
            .or(src.attr("guid"))
            .unwrap_or("source")
            .to_string();
        let raw = match (src.child("PlainTextContent"), src.attr("plainTextPath")) {
            (Some(content), _) => Some(content.text.clone()),
            (None, Some(path)) => {
                let path = path.strip_prefix("internal://").unwrap_or(path);
                let path = path.strip_prefix("relative://").unwrap_or(path);
                source(path)
            }
            (None, None) => None,
        };
        let Some(raw) = raw else {
            imported.warnings.push(format!(
                "source {name}: text not found in the archive; skipped"
            ));
            continue;
        };
        let (text, map) = normalise_with_map(&raw);
        let raw_len = map.len() - 1;
        let mut meta = ArticleMeta::default();
        if let Some(d) = src.child("Description") {
            // Claimdesk writes "Title — Source, date" then the URL; other tools write prose,
            // of which the first line serves as a title.
            let first = d.text.lines().next().unwrap_or_default().trim();
            let title = first.split_once(" — ").map_or(first, |(title, _)| title);
            if !title.is_empty() && title != name {
                meta.title = Some(title.chars().take(200).collect());
            }
            meta.url = d
                .text
                .lines()
                .nth(1)
                .filter(|l| l.starts_with("http"))
                .map(str::to_string);
        }
        for sel in src.all("PlainTextSelection") {
            let pos = |attr: &str| sel.attr(attr).and_then(|v| v.trim().parse::<usize>().ok());
            let (Some(start), Some(end)) = (pos("startPosition"), pos("endPosition")) else {
                imported
                    .warnings
                    .push(format!("{name}: a selection without positions; skipped"));
                continue;
            };
            if start > end || end > raw_len {
                imported.warnings.push(format!(
                    "{name}: selection {start}..{end} is outside the text; skipped"
                ));
                continue;
            }
            let span = Span::new(map[start], map[end]);
            let description = sel
                .child("Description")
                .map(|d| d.text.clone())
                .unwrap_or_default();
            let mut is_claim = false;
            let mut verdict = None;
            let mut claimant = None;
            let mut entity = None;
            for coding in sel.all("Coding") {
                let Some(target) = coding.child("CodeRef").and_then(|r| r.attr("targetGUID"))
                else {
                    continue;
                };
                match roles.get(&clean_guid(target)) {
                    Some(CodeRole::Claim) => is_claim = true,
                    Some(CodeRole::Verdict(v)) => verdict = Some(v.clone()),
                    Some(CodeRole::Claimant(c)) => claimant = Some(c.clone()),
                    Some(CodeRole::Entity(kind, n)) => entity = Some((*kind, n.clone())),
                    Some(CodeRole::Other) | None => {}
                }
            }
            if is_claim || verdict.is_some() {
                imported.claims.push(ImportedClaim {
                    article: name.clone(),
                    span,
                    claimant,
                    verdict,
                    note: description,
                });
            } else if let Some((kind, entity)) = entity {
                imported.mentions.push(ImportedMention {
                    article: name.clone(),
                    span,
                    entity,
                    kind,
                });
            }
        }
        imported.articles.push(ImportedArticle {
            id: name,
            text,
            meta,
        });
    }
    Ok(imported)
}
