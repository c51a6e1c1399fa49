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
    ExportData, Imported, ImportedArticle, ImportedClaim, ImportedEvidence, ImportedMention,
    ImportedSource, guid, normalise_with_map,
};
use super::visible_text;
use crate::analysis::EntityKind;
use crate::corpus::ArticleMeta;
use crate::text::Span;
use crate::workspace::Workspace;

pub const NAMESPACE: &str = "urn:QDA-XML:project:1.0";
pub const CODEBOOK_NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";
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

/// A code of the codebook: categories (`codable: false`) hold codes.
struct Code {
    guid: String,
    name: String,
    codable: bool,
    color: Option<&'static str>,
    description: Option<String>,
    /// What the name is qualified with if another code has the same name ("claimant").
    qualifier: String,
    children: Vec<Code>,
}

impl Code {
    fn new(guid: String, name: &str, codable: bool, qualifier: &str) -> Self {
        Code {
            guid,
            name: name.to_string(),
            codable,
            color: None,
            description: None,
            qualifier: qualifier.to_string(),
            children: Vec::new(),
        }
    }
    fn color(mut self, color: &'static str) -> Self {
        self.color = Some(color);
        self
    }
    fn describe(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }
    fn with(mut self, children: Vec<Code>) -> Self {
        self.children = children;
        self
    }

    fn write(&self, xml: &mut String, depth: usize) {
        let pad = "  ".repeat(depth);
        write!(
            xml,
            "{pad}<Code guid=\"{}\" name=\"{}\" isCodable=\"{}\"",
            self.guid,
            xml_escape(&self.name),
            self.codable
        )
        .ok();
        if let Some(color) = self.color {
            write!(xml, " color=\"{color}\"").ok();
        }
        xml.push_str(">\n");
        if let Some(d) = &self.description {
            writeln!(xml, "{pad}  <Description>{}</Description>", xml_escape(d)).ok();
        }
        for child in &self.children {
            child.write(xml, depth + 1);
        }
        writeln!(xml, "{pad}</Code>").ok();
    }
}

/// Makes every code name unique across the codebook (QualCoder, like other tools, keys codes by
/// name and keeps only the first of two with the same name): a later duplicate gets its
/// qualifier ("Sergey Lavrov (claimant)"), then a number. Codes are visited depth-first in
/// codebook order, so the categories, verdicts and registry entities keep their names.
fn make_names_unique(codes: &mut [Code]) {
    fn visit(code: &mut Code, seen: &mut std::collections::HashSet<String>) {
        let key = |n: &str| n.to_lowercase();
        if !seen.insert(key(&code.name)) {
            let mut name = format!("{} ({})", code.name, code.qualifier);
            let mut n = 2;
            while seen.contains(&key(&name)) {
                name = format!("{} ({} {n})", code.name, code.qualifier);
                n += 1;
            }
            seen.insert(key(&name));
            code.name = name;
        }
        for child in &mut code.children {
            visit(child, seen);
        }
    }
    let mut seen = std::collections::HashSet::new();
    // Registry entities and verdicts first: their names are the ones analysts search for.
    let order = ["Entity", "Verdict", "Claim", "Evidence", "Claimant"];
    let mut indexes: Vec<usize> = (0..codes.len()).collect();
    indexes.sort_by_key(|&i| {
        order
            .iter()
            .position(|o| *o == codes[i].name)
            .unwrap_or(order.len())
    });
    // Category names are fixed (the importer finds roles by them): reserve them first.
    for code in codes.iter() {
        seen.insert(code.name.to_lowercase());
    }
    for i in indexes {
        let code = &mut codes[i];
        for child in &mut code.children {
            visit(child, &mut seen);
        }
    }
}

const VERDICT_COLORS: [&str; 7] = [
    "#1E8E3E", "#5BB974", "#F9AB00", "#E37400", "#D93025", "#A50E0E", "#5F6368",
];

/// A selection to write: span, GUID, name, description, GUIDs of its codes.
type Selection = (Span, String, String, Option<String>, Vec<String>);

/// The codebook's codes (top level).
fn codebook(data: &ExportData) -> Vec<Code> {
    let mut codes = vec![
        Code::new(guid("code", "Claim"), "Claim", true, "code")
            .color("#F9AB00")
            .describe("A checkable statement marked by the analyst."),
        Code::new(guid("code", "Verdict"), "Verdict", false, "category")
            .describe("The analyst's rating of a claim (Claimdesk rating scale).")
            .with(
                data.rating_scale
                    .iter()
                    .enumerate()
                    .map(|(i, rating)| {
                        Code::new(
                            guid("verdict", &rating.label),
                            &rating.label,
                            true,
                            "verdict",
                        )
                        .color(VERDICT_COLORS[i.min(VERDICT_COLORS.len() - 1)])
                        .describe(format!("rating value {}", rating.value))
                    })
                    .collect(),
            ),
    ];
    let claimants: std::collections::BTreeSet<&str> = data
        .claims
        .iter()
        .filter_map(|c| c.claimant.as_deref())
        .collect();
    if !claimants.is_empty() {
        codes.push(
            Code::new(guid("code", "Claimant"), "Claimant", false, "category")
                .describe("Who made the claim.")
                .with(
                    claimants
                        .iter()
                        .map(|c| Code::new(guid("claimant", c), c, true, "claimant"))
                        .collect(),
                ),
        );
    }
    let has_evidence =
        !data.evidence.is_empty() || data.claims.iter().any(|c| !c.evidence.is_empty());
    if has_evidence {
        codes.push(
            Code::new(guid("code", "Evidence"), "Evidence", false, "category")
                .describe("Passages used as evidence for a claim; each says which claim.")
                .with(
                    crate::project::Stance::ALL
                        .iter()
                        .map(|stance| {
                            Code::new(
                                guid("stance", stance.label()),
                                stance.label(),
                                true,
                                "evidence",
                            )
                        })
                        .collect(),
                ),
        );
    }
    let mut by_kind: BTreeMap<&str, BTreeMap<&str, &crate::project::Entity>> = BTreeMap::new();
    for (id, entity, _, _) in &data.mentions {
        by_kind
            .entry(entity.kind.label())
            .or_default()
            .insert(id.as_str(), entity);
    }
    if !by_kind.is_empty() {
        let kinds = by_kind
            .iter()
            .map(|(kind, entities)| {
                Code::new(guid("entity-kind", kind), kind, false, "type").with(
                    entities
                        .iter()
                        .map(|(id, entity)| {
                            let mut description = String::new();
                            if !entity.aliases.is_empty() {
                                write!(description, "Also written: {}", entity.aliases.join("; "))
                                    .ok();
                            }
                            if !entity.note.is_empty() {
                                if !description.is_empty() {
                                    description.push('\n');
                                }
                                description.push_str(&entity.note);
                            }
                            let code = Code::new(guid("entity", id), &entity.name, true, kind);
                            if description.is_empty() {
                                code
                            } else {
                                code.describe(description)
                            }
                        })
                        .collect(),
                )
            })
            .collect();
        codes.push(
            Code::new(guid("code", "Entity"), "Entity", false, "category")
                .describe("Registry entities, by type.")
                .with(kinds),
        );
    }
    make_names_unique(&mut codes);
    codes
}

/// The standalone codebook (`.qdc`, `urn:QDA-XML:codebook:1.0`), for tools that import a
/// coding scheme without a project.
pub fn codebook_qdc(data: &ExportData) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    writeln!(
        xml,
        "<CodeBook xmlns=\"{CODEBOOK_NAMESPACE}\" origin=\"Claimdesk {}\">\n  <Codes>",
        env!("CARGO_PKG_VERSION")
    )
    .ok();
    for code in codebook(data) {
        code.write(&mut xml, 2);
    }
    xml.push_str("  </Codes>\n</CodeBook>\n");
    xml
}

/// "the claim at SOURCE [start, end]": how an evidence selection names its claim, by the
/// claim's source name and positions, which survive other tools' round trips (GUIDs do not).
fn claim_reference(article: &str, span: Span) -> String {
    format!("the claim at {article} [{}, {}]", span.start, span.end)
}

/// Reads [`claim_reference`] back from an evidence description: (stance, source, start, end,
/// the rest as the note).
fn parse_evidence_description(
    text: &str,
) -> Option<(crate::project::Stance, String, usize, usize, String)> {
    let first = text.lines().next()?;
    let rest = first.strip_prefix("Evidence (")?;
    let (stance, rest) = rest.split_once(") for the claim at ")?;
    let stance = super::interchange::stance_named(stance)?;
    let open = rest.rfind(" [")?;
    let source = rest[..open].to_string();
    let (positions, _) = rest[open + 2..].split_once(']')?;
    let (start, end) = positions.split_once(',')?;
    let note = text.lines().skip(1).collect::<Vec<_>>().join("\n");
    Some((
        stance,
        source,
        start.trim().parse().ok()?,
        end.trim().parse().ok()?,
        note,
    ))
}

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
    let mut codes = String::new();
    for code in codebook(data) {
        code.write(&mut codes, 3);
    }
    writeln!(
        xml,
        "  <CodeBook>\n    <Codes>\n{codes}    </Codes>\n  </CodeBook>"
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
            // URL evidence has no passage to code: it rides in the claim's description, one
            // line each after the note.
            let mut description = claim.note.clone();
            for e in claim.evidence.iter().filter(|e| e.article_id.is_none()) {
                if !description.is_empty() {
                    description.push('\n');
                }
                let title = e.meta.title.as_deref().unwrap_or_default();
                description.push_str(&super::interchange::url_evidence_line(
                    &e.stance,
                    e.url.as_deref().unwrap_or_default(),
                    title,
                    &e.note,
                ));
            }
            selections.push((
                claim.span,
                guid("claim", &claim.id),
                short(&claim.quote),
                (!description.is_empty()).then_some(description),
                codes,
            ));
        }
        for (claim, stance, _, span, note) in data.evidence.iter().filter(|e| e.2 == article.id) {
            let Some(claimed) = data.claims.iter().find(|c| &c.id == claim) else {
                continue;
            };
            let mut description = format!(
                "Evidence ({}) for {}: “{}”",
                stance.label(),
                claim_reference(&claimed.article_id, claimed.span),
                short(&claimed.quote)
            );
            if !note.is_empty() {
                write!(description, "\n{note}").ok();
            }
            let id = format!("{claim}:{}:{}:{}", article.id, span.start, span.end);
            selections.push((
                *span,
                guid("evidence", &id),
                format!("evidence: {}", short(&claimed.quote)),
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
pub fn export(ws: &Workspace) -> Result<Vec<u8>> {
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
    Evidence(crate::project::Stance),
    Other,
}

/// A code's name without the qualifier [`make_names_unique`] added ("X (claimant)" → "X").
fn unqualified(name: &str, qualifier: &str) -> String {
    let suffix = format!(" ({qualifier})");
    if let Some(base) = name.strip_suffix(&suffix) {
        return base.to_string();
    }
    // "X (claimant 2)"
    if let Some(open) = name.rfind(&format!(" ({qualifier} "))
        && name.ends_with(')')
        && name[open + qualifier.len() + 3..name.len() - 1]
            .chars()
            .all(|c| c.is_ascii_digit())
    {
        return name[..open].to_string();
    }
    name.to_string()
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
            ["Verdict"] => CodeRole::Verdict(unqualified(&name, "verdict")),
            ["Claimant"] => CodeRole::Claimant(unqualified(&name, "claimant")),
            ["Evidence"] => match super::interchange::stance_named(&unqualified(&name, "evidence"))
            {
                Some(stance) => CodeRole::Evidence(stance),
                None => CodeRole::Other,
            },
            ["Entity", kind] => match EntityKind::from_label(kind) {
                Some(kind) => CodeRole::Entity(kind, unqualified(&name, kind.label())),
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
    // Evidence names its claim by source and raw positions: resolved once every source's
    // position map is known.
    let mut pending_evidence: Vec<(String, usize, usize, ImportedEvidence)> = Vec::new();
    let mut maps: BTreeMap<String, Vec<usize>> = BTreeMap::new();
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
        // Tools that keep one code per selection (QualCoder) write a claim's Claim, Verdict
        // and Claimant codes as three selections of the same span: merge them back.
        let mut merged: BTreeMap<(usize, usize), (Vec<String>, Vec<CodeRole>)> = BTreeMap::new();
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
            let entry = merged.entry((start, end)).or_default();
            if let Some(d) = sel.child("Description")
                && !d.text.trim().is_empty()
                && !entry.0.contains(&d.text)
            {
                entry.0.push(d.text.clone());
            }
            for coding in sel.all("Coding") {
                let Some(target) = coding.child("CodeRef").and_then(|r| r.attr("targetGUID"))
                else {
                    continue;
                };
                if let Some(role) = roles.get(&clean_guid(target)) {
                    entry.1.push(role.clone());
                }
            }
        }
        for ((start, end), (descriptions, codes)) in merged {
            let span = Span::new(map[start], map[end]);
            let mut is_claim = false;
            let mut verdict = None;
            let mut claimant = None;
            let mut evidence_stance = None;
            let mut entities = Vec::new();
            for role in codes {
                match role {
                    CodeRole::Claim => is_claim = true,
                    CodeRole::Verdict(v) => verdict = Some(v),
                    CodeRole::Claimant(c) => claimant = Some(c),
                    CodeRole::Evidence(stance) => evidence_stance = Some(stance),
                    CodeRole::Entity(kind, n) => {
                        if !entities.contains(&(kind, n.clone())) {
                            entities.push((kind, n));
                        }
                    }
                    CodeRole::Other => {}
                }
            }
            if is_claim || verdict.is_some() {
                // The note, then one line per URL evidence (see the export).
                let mut note_lines = Vec::new();
                let claim_text = descriptions
                    .iter()
                    .filter(|d| parse_evidence_description(d).is_none())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n");
                for line in claim_text.split('\n') {
                    match super::interchange::parse_url_evidence_line(line) {
                        Some((stance, url, title, note)) => {
                            imported.evidence.push(ImportedEvidence {
                                claim_article: name.clone(),
                                claim_span: span,
                                stance,
                                source: ImportedSource::Url { url, title },
                                note,
                            })
                        }
                        None => note_lines.push(line),
                    }
                }
                imported.claims.push(ImportedClaim {
                    article: name.clone(),
                    span,
                    claimant,
                    verdict,
                    note: note_lines.join("\n"),
                });
            }
            if let Some(stance) = evidence_stance {
                match descriptions.iter().find_map(|d| parse_evidence_description(d)) {
                    Some((_, claim_source, claim_start, claim_end, note)) => {
                        pending_evidence.push((
                            claim_source,
                            claim_start,
                            claim_end,
                            ImportedEvidence {
                                claim_article: String::new(),
                                claim_span: Span::new(0, 0),
                                stance,
                                source: ImportedSource::Passage {
                                    article: name.clone(),
                                    span,
                                },
                                note,
                            },
                        ));
                    }
                    None => imported.warnings.push(format!(
                        "{name}: evidence at {start}..{end} does not say which claim it is for; skipped"
                    )),
                }
            }
            for (kind, entity) in entities {
                imported.mentions.push(ImportedMention {
                    article: name.clone(),
                    span,
                    entity,
                    kind,
                });
            }
        }
        maps.insert(name.clone(), map);
        imported.articles.push(ImportedArticle {
            id: name,
            text,
            meta,
        });
    }
    for (source, start, end, mut evidence) in pending_evidence {
        match maps.get(&source) {
            Some(map) if start <= end && end < map.len() => {
                evidence.claim_article = source;
                evidence.claim_span = Span::new(map[start], map[end]);
                imported.evidence.push(evidence);
            }
            _ => imported.warnings.push(format!(
                "evidence for a claim at {start}..{end} in {source}, which is not in the project; skipped"
            )),
        }
    }
    Ok(imported)
}
