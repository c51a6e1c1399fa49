//! Corpus import as a newsroom needs it: formats, encodings, furniture, metadata, duplicates and
//! hostile input. Fixtures are built here (or committed under tests/fixtures/import) — never taken
//! from ../shared.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use claimdesk_core::corpus::{
    Article, ImportEvent, ImportLimits, ImportReport, ImportStatus, import_file, import_paths,
    import_paths_streaming,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn sample_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/corpus")
}

fn import_dir(dir: &Path) -> (Vec<Article>, Vec<ImportReport>) {
    import_paths(&[dir.to_path_buf()], &ImportLimits::default(), |_, _| true)
}

fn row<'a>(reports: &'a [ImportReport], file: &str) -> &'a ImportReport {
    reports
        .iter()
        .find(|r| r.path.ends_with(file))
        .unwrap_or_else(|| panic!("no report row for {file}: {reports:#?}"))
}

fn reason(reports: &[ImportReport], file: &str) -> String {
    let r = row(reports, file);
    assert_eq!(
        r.status,
        ImportStatus::Skipped,
        "{file} should be skipped: {r:#?}"
    );
    r.reason.clone().unwrap_or_default()
}

// ---------------------------------------------------------------- sample corpus (plain text)

const FURNITURE_LINES: &[&str] = &[
    "Accessibility links",
    "Breaking News",
    "XS",
    "SM",
    "MD",
    "LG",
    "No votes yet.",
    "Please wait...",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Do you like this article?",
    "Captcha *",
    "Sourse: abcnews.go.com",
    "By Pishtaz |",
];

#[test]
fn sample_articles_keep_no_furniture_and_keep_it_in_the_removed_layer() {
    let (articles, reports) = import_dir(&sample_corpus());
    assert_eq!(articles.len(), 5, "{reports:#?}");
    let mut removed_lines: Vec<String> = Vec::new();
    for article in &articles {
        for line in article.text.lines() {
            assert!(
                !FURNITURE_LINES.contains(&line.trim()),
                "{}: furniture line left in kept text: {line:?}",
                article.id
            );
        }
        // A line immediately repeated (captions shown twice) is gone.
        let lines: Vec<&str> = article
            .text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        for pair in lines.windows(2) {
            assert_ne!(pair[0], pair[1], "{}: repeated line kept", article.id);
        }
        for block in &article.removed {
            assert!(block.at <= article.char_len());
            removed_lines.extend(block.text.lines().map(|l| l.trim().to_string()));
        }
    }
    for furniture in FURNITURE_LINES {
        assert!(
            removed_lines.iter().any(|l| l == furniture),
            "{furniture:?} is not in the removed layer"
        );
    }
    let a000 = articles.iter().find(|a| a.id.starts_with("000")).unwrap();
    assert!(
        a000.text
            .starts_with("Russia's Foreign Minister Paints Iran")
    );
    assert_eq!(
        a000.text
            .matches("A Hamas fighter takes part in a military parade")
            .count(),
        1
    );
    assert!(a000.removed.iter().any(
        |r| r.reason.contains("repeated line") && r.text.contains("A Hamas fighter takes part")
    ));
}

#[test]
fn sample_articles_yield_source_byline_date_and_title() {
    let (articles, reports) = import_dir(&sample_corpus());
    assert_eq!(articles.len(), 5);
    let r001 = row(&reports, "001_6076344b43b91c38.txt");
    assert_eq!(r001.source.as_deref(), Some("abcnews.go.com"));
    assert_eq!(
        r001.title.as_deref(),
        Some("Iran’s deputy FM met Hamas representatives in Moscow, Russian state media says")
    );
    let r003 = row(&reports, "003_e0f09e3576302cfd.txt");
    assert_eq!(r003.byline.as_deref(), Some("Pishtaz"));
    assert_eq!(
        r003.title.as_deref(),
        Some("For Hamas, Moscow and Tehran are open for business")
    );
    let r004 = row(&reports, "004_f0f083a2e182d3f1.txt");
    assert_eq!(r004.source.as_deref(), Some("The Cradle"));
    assert_eq!(r004.date.as_deref(), Some("2023-10-24"));
    for r in &reports {
        assert_eq!(r.status, ImportStatus::Ok);
        assert_eq!(r.format.as_deref(), Some("txt"));
        assert!(r.duplicate_of.is_none(), "{r:#?}");
    }
    // The metadata lines are furniture: removed with their own reason, and their values kept.
    let a001 = articles.iter().find(|a| a.id.starts_with("001")).unwrap();
    assert!(
        a001.removed
            .iter()
            .any(|r| r.reason == "metadata line" && r.text.contains("Sourse:"))
    );
}

// ---------------------------------------------------------------- HTML

#[test]
fn saved_news_page_keeps_the_story_and_reads_its_metadata() {
    let article = import_file(&fixture("news_page.html"), &ImportLimits::default()).unwrap();
    assert_eq!(article.format, "html");
    let text = &article.text;
    assert!(text.starts_with("Port strike halts grain exports for a third day\n\nDock workers at"));
    assert!(
        text.contains(
            "Dock workers at the country's largest grain terminal kept their strike going"
        )
    );
    assert!(text.contains("Farm groups warned that the stoppage could push storage costs"));
    assert!(
        text.contains("“We will stay out until the authority puts a real offer on the table,”")
    );
    for junk in [
        "dataLayer",
        "display:flex",
        "Subscribe today",
        "Share on Facebook",
        "First! This strike is a scandal",
        "Your email address",
        "All rights reserved",
        "Rail freight rates climb",
        "Business",
    ] {
        assert!(!text.contains(junk), "{junk:?} left in {text}");
    }
    assert_eq!(
        article.meta.title.as_deref(),
        Some("Port strike halts grain exports for a third day")
    );
    assert_eq!(article.meta.source.as_deref(), Some("Harbour Courier"));
    assert_eq!(
        article.meta.byline.as_deref(),
        Some("Maria Okafor, Tomás Reyes")
    );
    assert_eq!(article.meta.date.as_deref(), Some("2024-03-05"));
    assert_eq!(
        article.meta.url.as_deref(),
        Some("https://harbourcourier.example/news/2024/03/port-strike")
    );
    // Offsets are char offsets into the kept text.
    let start = text.find("Ana Lindqvist").unwrap();
    let char_start = article.char_of(start);
    assert_eq!(
        article.slice(claimdesk_core::text::Span::new(char_start, char_start + 13)),
        "Ana Lindqvist"
    );
}

#[test]
fn html_metadata_falls_back_to_open_graph_time_and_author_tags() {
    let dir = tempfile::tempdir().unwrap();
    let body: String = (1..=6)
        .map(|i| format!("<p>Paragraph {i} of a council report on the new bus lanes, which opened on Monday after two years of planning and consultation with residents.</p>"))
        .collect();
    let page = format!(
        "<html><head><title>Bus lanes open — City Gazette</title>\
         <meta property=\"og:site_name\" content=\"City Gazette\">\
         <meta name=\"author\" content=\"Lena Park\">\
         <link rel=\"canonical\" href=\"https://gazette.example/bus-lanes\"></head>\
         <body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article>\
         <p><time datetime=\"2023-11-02\">2 Nov</time></p>{body}</article></body></html>"
    );
    let path = dir.path().join("bus.htm");
    fs::write(&path, page).unwrap();
    let article = import_file(&path, &ImportLimits::default()).unwrap();
    assert_eq!(
        article.meta.title.as_deref(),
        Some("Bus lanes open — City Gazette")
    );
    assert_eq!(article.meta.source.as_deref(), Some("City Gazette"));
    assert_eq!(article.meta.byline.as_deref(), Some("Lena Park"));
    assert_eq!(article.meta.date.as_deref(), Some("2023-11-02"));
    assert_eq!(
        article.meta.url.as_deref(),
        Some("https://gazette.example/bus-lanes")
    );
    assert!(article.text.contains("Paragraph 6 of a council report"));
    assert!(!article.text.contains("Home"));
}

#[test]
fn windows_1252_html_uses_the_declared_charset() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><title>Caf\xe9 owners protest</title></head><body><article>".to_vec();
    for _ in 0..5 {
        bytes.extend_from_slice(b"<p>The caf\xe9 owners of the old town say the new \x93terrace tax\x94 will cost them \x80400 a month, which is more than most of them earn on a quiet day.</p>");
    }
    bytes.extend_from_slice(b"</article></body></html>");
    let path = dir.path().join("cafe.html");
    fs::write(&path, bytes).unwrap();
    let article = import_file(&path, &ImportLimits::default()).unwrap();
    assert!(
        article.encoding.starts_with("windows-1252"),
        "{}",
        article.encoding
    );
    assert!(article.text.contains("café owners"));
    assert!(article.text.contains("“terrace tax” will cost them €400"));
    assert_eq!(article.meta.title.as_deref(), Some("Café owners protest"));
}

#[test]
fn broken_html_still_imports_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.html");
    fs::write(
        &path,
        "<html><body><div><p>Unclosed paragraph about the flood defences that failed in the night\
         <p>Second <b>bold <i>nested</b> text</i> about the river level reaching 4.2 metres<div><table><tr><td>cell",
    )
    .unwrap();
    let article = import_file(&path, &ImportLimits::default()).unwrap();
    assert!(article.text.contains("flood defences that failed"));
    assert!(article.text.contains("river level reaching 4.2 metres"));
}

// ---------------------------------------------------------------- Markdown

#[test]
fn markdown_markup_is_stripped_and_front_matter_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("note.md");
    fs::write(
        &path,
        "---\ntitle: Water rates rise\nauthor: Sam Lee\ndate: 2024-01-15\nsource: Valley Post\n---\n\n\
         # Water rates rise by 9%\n\nThe **utility board** voted on [Monday](https://example.org/vote) to raise rates.\n\n\
         - first point\n- second point\n\n![a chart](chart.png)\n\nMore `text` here.\n",
    )
    .unwrap();
    let article = import_file(&path, &ImportLimits::default()).unwrap();
    assert_eq!(article.format, "md");
    assert_eq!(
        article.text,
        "Water rates rise by 9%\n\nThe utility board voted on Monday to raise rates.\n\nfirst point\nsecond point\n\nMore text here."
    );
    assert_eq!(article.meta.title.as_deref(), Some("Water rates rise"));
    assert_eq!(article.meta.byline.as_deref(), Some("Sam Lee"));
    assert_eq!(article.meta.date.as_deref(), Some("2024-01-15"));
    assert_eq!(article.meta.source.as_deref(), Some("Valley Post"));
}

// ---------------------------------------------------------------- encodings

#[test]
fn encodings_are_detected_decoded_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Zürich’s mayor said the “new” tram line costs 12 million francs.\r\nThe council will vote in März.\r\n";
    let latin: Vec<u8> = b"Les \xe9lus de Gen\xe8ve ont vot\xe9 le budget de l'h\xf4pital cantonal, a d\xe9clar\xe9 le pr\xe9sident du conseil d'\xc9tat.\n".to_vec();
    fs::write(dir.path().join("latin1.txt"), &latin).unwrap();
    let utf16le_bom: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    fs::write(dir.path().join("utf16le_bom.txt"), utf16le_bom).unwrap();
    let utf16be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    fs::write(dir.path().join("utf16be_nobom.txt"), utf16be).unwrap();
    let utf16le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    fs::write(dir.path().join("utf16le_nobom.txt"), utf16le).unwrap();
    fs::write(dir.path().join("utf8_bom.txt"), format!("\u{feff}{text}")).unwrap();

    let limits = ImportLimits::default();
    let latin = import_file(&dir.path().join("latin1.txt"), &limits).unwrap();
    assert!(
        latin.encoding.starts_with("windows-1252"),
        "{}",
        latin.encoding
    );
    assert!(
        latin
            .text
            .contains("Les élus de Genève ont voté le budget de l'hôpital")
    );

    let expected = "Zürich’s mayor said the “new” tram line costs 12 million francs.\nThe council will vote in März.";
    for (file, label) in [
        ("utf16le_bom.txt", "UTF-16LE (BOM removed)"),
        ("utf16be_nobom.txt", "UTF-16BE (detected, no BOM)"),
        ("utf16le_nobom.txt", "UTF-16LE (detected, no BOM)"),
        ("utf8_bom.txt", "UTF-8 (BOM removed)"),
    ] {
        let article = import_file(&dir.path().join(file), &limits).unwrap();
        assert_eq!(article.text, expected, "{file}");
        assert!(!article.text.contains('\r'));
        assert!(
            article.encoding.starts_with(label),
            "{file}: {}",
            article.encoding
        );
        assert!(
            article.encoding.contains("CRLF line ends → LF"),
            "{file}: {}",
            article.encoding
        );
    }
}

// ---------------------------------------------------------------- DOCX, EPUB, PDF

fn zip_file(path: &Path, entries: &[(&str, &[u8])]) {
    zip_file_with(path, entries, zip::CompressionMethod::Deflated);
}

/// Repetitive test documents deflate far past the zip-bomb ratio; stored members are not refused.
fn zip_file_stored(path: &Path, entries: &[(&str, &[u8])]) {
    zip_file_with(path, entries, zip::CompressionMethod::Stored);
}

fn zip_file_with(path: &Path, entries: &[(&str, &[u8])], method: zip::CompressionMethod) {
    let file = fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
}

const DOCX_CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;

fn docx_document(paragraphs: &[&str]) -> String {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    )
}

#[test]
fn docx_body_and_core_properties_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memo.docx");
    let document = docx_document(&[
        "Ministry memo on fuel subsidies",
        "The ministry spent 4.1 billion on fuel subsidies in 2023, up from 2.7 billion.",
        "Officials said the cost &amp; the deficit would fall in 2024 &#8212; if prices held.",
    ])
    .replace(
        "</w:t></w:r></w:p><w:sectPr/>",
        "</w:t></w:r><w:r><w:delText>deleted words</w:delText><w:tab/><w:t>Tabbed.</w:t></w:r></w:p><w:sectPr/>",
    );
    let core = r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Fuel subsidy memo</dc:title><dc:creator>R. Haddad</dc:creator><dcterms:created>2024-02-11T09:00:00Z</dcterms:created></cp:coreProperties>"#;
    zip_file(
        &path,
        &[
            ("[Content_Types].xml", DOCX_CONTENT_TYPES.as_bytes()),
            ("word/document.xml", document.as_bytes()),
            ("docProps/core.xml", core.as_bytes()),
        ],
    );
    let article = import_file(&path, &ImportLimits::default()).unwrap();
    assert_eq!(article.format, "docx");
    assert_eq!(
        article.text,
        "Ministry memo on fuel subsidies\n\nThe ministry spent 4.1 billion on fuel subsidies in 2023, up from 2.7 billion.\n\nOfficials said the cost & the deficit would fall in 2024 — if prices held.\tTabbed."
    );
    assert_eq!(article.meta.title.as_deref(), Some("Fuel subsidy memo"));
    assert_eq!(article.meta.byline.as_deref(), Some("R. Haddad"));
    assert_eq!(article.meta.date.as_deref(), Some("2024-02-11"));
}

#[test]
fn epub_chapters_are_read_in_spine_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.epub");
    let container = r#"<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#;
    let opf = r#"<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Annual Press Freedom Report</dc:title><dc:creator>Media Watch</dc:creator><dc:date>2023-05-03</dc:date><dc:publisher>Media Watch Press</dc:publisher></metadata><manifest><item id="c2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/><item id="c1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/><item id="css" href="style.css" media-type="text/css"/></manifest><spine><itemref idref="c1"/><itemref idref="c2"/></spine></package>"#;
    let ch1 = r#"<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>One</title><style>p{margin:0}</style></head><body><h1>Chapter one</h1><p>Forty-two journalists were detained in 2022.</p></body></html>"#;
    let ch2 = r#"<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Two</title></head><body><nav><a href="ch1.xhtml">Back</a></nav><h1>Chapter two</h1><p>Most were released within a month.</p></body></html>"#;
    zip_file(
        &path,
        &[
            ("mimetype", b"application/epub+zip"),
            ("META-INF/container.xml", container.as_bytes()),
            ("OEBPS/content.opf", opf.as_bytes()),
            ("OEBPS/text/ch1.xhtml", ch1.as_bytes()),
            ("OEBPS/text/ch2.xhtml", ch2.as_bytes()),
            ("OEBPS/style.css", b"p{}"),
        ],
    );
    let article = import_file(&path, &ImportLimits::default()).unwrap();
    assert_eq!(article.format, "epub");
    assert_eq!(
        article.text,
        "Chapter one\n\nForty-two journalists were detained in 2022.\n\nChapter two\n\nMost were released within a month."
    );
    assert_eq!(
        article.meta.title.as_deref(),
        Some("Annual Press Freedom Report")
    );
    assert_eq!(article.meta.byline.as_deref(), Some("Media Watch"));
    assert_eq!(article.meta.source.as_deref(), Some("Media Watch Press"));
    assert_eq!(article.meta.date.as_deref(), Some("2023-05-03"));
}

/// A one-page PDF built with lopdf (re-exported by pdf-extract); `lines` empty = no text layer.
fn write_pdf(path: &Path, lines: &[&str], title: Option<&str>) {
    use pdf_extract::content::{Content, Operation};
    use pdf_extract::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut operations = vec![
        Operation::new("q", vec![]),
        Operation::new("re", vec![50.into(), 50.into(), 100.into(), 100.into()]),
        Operation::new("f", vec![]),
        Operation::new("Q", vec![]),
    ];
    for (i, line) in lines.iter().enumerate() {
        operations.push(Operation::new("BT", vec![]));
        operations.push(Operation::new("Tf", vec!["F1".into(), 12.into()]));
        operations.push(Operation::new(
            "Td",
            vec![72.into(), (720 - 20 * i as i64).into()],
        ));
        operations.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
        operations.push(Operation::new("ET", vec![]));
    }
    let content = Content { operations };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    if let Some(title) = title {
        let info_id = doc.add_object(dictionary! {
            "Title" => Object::string_literal(title),
            "Author" => Object::string_literal("Press Office"),
            "CreationDate" => Object::string_literal("D:20231024093000Z"),
        });
        doc.trailer.set("Info", info_id);
    }
    doc.compress();
    doc.save(path).unwrap();
}

#[test]
fn a_pdf_that_takes_too_long_is_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("slow.pdf");
    write_pdf(&path, &["A perfectly ordinary line of text."], None);
    // No time at all: the reader cannot finish, as a runaway parse would not.
    let limits = ImportLimits {
        time_limit: std::time::Duration::ZERO,
        ..ImportLimits::default()
    };
    let err = import_file(&path, &limits).unwrap_err().to_string();
    assert!(err.contains("took longer than"), "{err}");
    assert!(import_file(&path, &ImportLimits::default()).is_ok());
}

#[test]
fn every_format_is_bounded_by_the_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::copy(fixture("news_page.html"), d.join("page.html")).unwrap();
    fs::write(
        d.join("notes.md"),
        "# Notes\n\nThe council met on Monday.\n",
    )
    .unwrap();
    fs::copy(
        sample_corpus().join("004_f0f083a2e182d3f1.txt"),
        d.join("story.txt"),
    )
    .unwrap();
    zip_file(
        &d.join("memo.docx"),
        &[(
            "word/document.xml",
            docx_document(&["The council met on Monday."]).as_bytes(),
        )],
    );
    let no_time = ImportLimits {
        time_limit: std::time::Duration::ZERO,
        ..ImportLimits::default()
    };
    for file in ["page.html", "notes.md", "story.txt", "memo.docx"] {
        let err = import_file(&d.join(file), &no_time)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("took longer than 0 s") && err.contains("time limit"),
            "{file}: {err}"
        );
        assert!(
            import_file(&d.join(file), &ImportLimits::default()).is_ok(),
            "{file}"
        );
    }
}

/// A page that draws form X1; X1 draws X1 again, through its own resources or, when it has none,
/// through the page's (which it inherits).
fn write_self_drawing_pdf(path: &Path, form_has_resources: bool) {
    use pdf_extract::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let form_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut form_dict = dictionary! {
        "Type" => "XObject", "Subtype" => "Form",
        "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()],
    };
    if form_has_resources {
        form_dict.set(
            "Resources",
            dictionary! { "XObject" => dictionary! { "X1" => form_id }, "Font" => dictionary! { "F1" => font_id } },
        );
    }
    doc.objects.insert(
        form_id,
        Object::Stream(Stream::new(
            form_dict,
            b"/X1 Do BT /F1 12 Tf (loop) Tj ET".to_vec(),
        )),
    );
    let content = b"/X1 Do BT /F1 12 Tf 72 720 Td (The council met on Monday.) Tj ET".to_vec();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "Resources" => dictionary! { "XObject" => dictionary! { "X1" => form_id }, "Font" => dictionary! { "F1" => font_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.save(path).unwrap();
}

#[test]
fn a_pdf_form_that_draws_itself_is_refused_not_a_crash() {
    // pdf-extract recursed into such a form until the stack overflowed: the process aborted.
    let dir = tempfile::tempdir().unwrap();
    write_self_drawing_pdf(&dir.path().join("own.pdf"), true);
    write_self_drawing_pdf(&dir.path().join("inherited.pdf"), false);
    write_pdf(
        &dir.path().join("fine.pdf"),
        &["A line that reads fine."],
        None,
    );
    let dir_path = dir.path().to_path_buf();
    let (articles, reports) = within(60, move || import_dir(&dir_path));
    assert_eq!(articles.len(), 1, "{reports:#?}");
    for file in ["own.pdf", "inherited.pdf"] {
        let reason = reason(&reports, file);
        assert!(reason.contains("draws itself"), "{file}: {reason}");
    }
}

#[test]
fn a_pdf_whose_page_tree_loops_is_refused_at_once() {
    // Found by the pdf fuzz target: the page names itself as its parent, and pdf-extract followed
    // Parent links for ever (the import skipped it only after the 30 s limit, its thread spinning on).
    let path = fixture("page_tree_loop.pdf");
    let err = within(20, move || import_file(&path, &ImportLimits::default()))
        .unwrap_err()
        .to_string();
    assert!(err.contains("page tree loops"), "{err}");
}

#[test]
fn pdf_text_layer_and_info_dictionary_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("statement.pdf");
    write_pdf(
        &path,
        &[
            "Statement on the harbour dredging contract",
            "The contract was awarded for 18 million euros in May.",
        ],
        Some("Dredging statement"),
    );
    let article = import_file(&path, &ImportLimits::default()).unwrap();
    assert_eq!(article.format, "pdf");
    assert!(
        article
            .text
            .contains("Statement on the harbour dredging contract"),
        "{:?}",
        article.text
    );
    assert!(
        article
            .text
            .contains("awarded for 18 million euros in May."),
        "{:?}",
        article.text
    );
    assert_eq!(article.meta.title.as_deref(), Some("Dredging statement"));
    assert_eq!(article.meta.byline.as_deref(), Some("Press Office"));
    assert_eq!(article.meta.date.as_deref(), Some("2023-10-24"));
}

// ---------------------------------------------------------------- hostile input

/// A zip member of `size` zero bytes: deflates about 1000×.
fn zip_bomb(path: &Path, size: usize) {
    let zeros = vec![0u8; size];
    zip_file(
        path,
        &[
            ("[Content_Types].xml", DOCX_CONTENT_TYPES.as_bytes()),
            ("word/document.xml", &zeros),
        ],
    );
}

#[test]
fn hostile_files_get_a_clear_reason_and_the_rest_still_imports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::copy(
        sample_corpus().join("004_f0f083a2e182d3f1.txt"),
        d.join("good.txt"),
    )
    .unwrap();
    fs::copy(fixture("news_page.html"), d.join("good.html")).unwrap();
    // Binary data behind a text extension.
    fs::write(
        d.join("binary.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0",
    )
    .unwrap();
    fs::write(
        d.join("noise.txt"),
        (0..4096u32)
            .map(|i| (i * 7 % 31) as u8 + 1)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    fs::write(d.join("empty.txt"), b"").unwrap();
    fs::write(d.join("blank.md"), b"  \n\n \r\n").unwrap();
    // 200 MB, sparse: nothing is written.
    fs::File::create(d.join("huge.txt"))
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    write_pdf(&d.join("scan.pdf"), &[], None);
    fs::write(
        d.join("fake.pdf"),
        b"just some text that claims to be a PDF",
    )
    .unwrap();
    fs::write(
        d.join("corrupt.docx"),
        b"PK\x03\x04this is not really a zip archive at all",
    )
    .unwrap();
    // Office encrypts a password-protected .docx into an OLE compound file.
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.extend_from_slice(&[0u8; 504]);
    fs::write(d.join("protected.docx"), ole).unwrap();
    zip_bomb(&d.join("bomb.docx"), 30 * 1024 * 1024);
    zip_file(&d.join("notword.docx"), &[("hello.txt", b"hi")]);
    zip_file(
        &d.join("broken.epub"),
        &[("mimetype", b"application/epub+zip")],
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.join("loop_a.txt"), d.join("loop_b.txt")).unwrap();
        std::os::unix::fs::symlink(d.join("loop_b.txt"), d.join("loop_a.txt")).unwrap();
        fs::create_dir(d.join("sub")).unwrap();
        std::os::unix::fs::symlink(d, d.join("sub/back_to_top")).unwrap();
    }

    let (articles, reports) = import_dir(d);
    let ok: Vec<&str> = reports
        .iter()
        .filter(|r| r.status == ImportStatus::Ok)
        .map(|r| r.path.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(ok, ["good.html", "good.txt"], "{reports:#?}");
    assert_eq!(articles.len(), 2);

    assert!(reason(&reports, "binary.txt").contains("a PNG image"));
    assert!(reason(&reports, "noise.txt").contains("not text"));
    assert!(reason(&reports, "empty.txt").contains("is empty"));
    assert!(reason(&reports, "blank.md").contains("is empty"));
    let huge = reason(&reports, "huge.txt");
    assert!(
        huge.contains("209715200 bytes") && huge.contains("limit"),
        "{huge}"
    );
    assert!(reason(&reports, "scan.pdf").contains("no text layer"));
    assert!(reason(&reports, "fake.pdf").contains("not a PDF"));
    assert!(reason(&reports, "corrupt.docx").contains("corrupt"));
    assert!(reason(&reports, "protected.docx").contains("password-protected"));
    assert!(reason(&reports, "bomb.docx").contains("zip bomb"));
    assert!(reason(&reports, "notword.docx").contains("no word/document.xml"));
    assert!(reason(&reports, "broken.epub").contains("container.xml"));
    #[cfg(unix)]
    {
        assert!(reason(&reports, "loop_a.txt").contains("symbolic link loop"));
        assert!(reason(&reports, "back_to_top").contains("symbolic link loop"));
    }
}

/// Runs `work` on a thread and fails the test, instead of hanging it, if it does not finish.
fn within<T: Send + 'static>(seconds: u64, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(work());
    });
    receive
        .recv_timeout(std::time::Duration::from_secs(seconds))
        .unwrap_or_else(|_| panic!("did not finish within {seconds} s (blocked or runaway)"))
}

#[test]
fn deeply_nested_html_imports_and_never_takes_the_folder_down() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::copy(
        sample_corpus().join("004_f0f083a2e182d3f1.txt"),
        d.join("a_good.txt"),
    )
    .unwrap();
    // 50,000 nested spans overflowed the stack (the process aborted, losing every row);
    // 100,000 nested divs never finished (quadratic).
    let spans = format!(
        "<html><body><h1>Deep spans</h1><p>The port reopened on Monday after the strike.</p>{}The deepest words.{}</body></html>",
        "<span>".repeat(50_000),
        "</span>".repeat(50_000)
    );
    fs::write(d.join("b_spans.html"), spans).unwrap();
    let divs = format!(
        "<html><body><p>The port reopened on Monday after the strike.</p>{}Inside every div.{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    fs::write(d.join("c_divs.html"), divs).unwrap();
    // The same inside an EPUB chapter, and unclosed formatting tags as old forum pages have.
    let container = r#"<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#;
    let opf = r#"<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Deep book</dc:title></metadata><manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/></spine></package>"#;
    let chapter = format!(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>Chapter text.</p>{}Deep in the book.{}</body></html>",
        "<blockquote>".repeat(50_000),
        "</blockquote>".repeat(50_000)
    );
    zip_file_stored(
        &d.join("d_deep.epub"),
        &[
            ("mimetype", b"application/epub+zip"),
            ("META-INF/container.xml", container.as_bytes()),
            ("content.opf", opf.as_bytes()),
            ("c1.xhtml", chapter.as_bytes()),
        ],
    );
    fs::write(
        d.join("e_fonts.html"),
        format!(
            "<p>Forum archive.</p>{}",
            "<font color=red>reply ".repeat(50_000)
        ),
    )
    .unwrap();
    let dir_path = d.to_path_buf();
    let (articles, reports) = within(120, move || import_dir(&dir_path));
    let ok: Vec<&str> = reports
        .iter()
        .filter(|r| r.status == ImportStatus::Ok)
        .map(|r| r.path.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        ok,
        [
            "a_good.txt",
            "b_spans.html",
            "c_divs.html",
            "d_deep.epub",
            "e_fonts.html"
        ],
        "{reports:#?}"
    );
    let text = |id: &str| &articles.iter().find(|a| a.id == id).unwrap().text;
    assert!(text("b_spans.html").contains("The deepest words."));
    assert!(text("c_divs.html").contains("Inside every div."));
    assert!(text("d_deep.epub").contains("Deep in the book."));
    assert_eq!(text("e_fonts.html").matches("reply").count(), 50_000);
    for file in ["b_spans.html", "c_divs.html", "d_deep.epub", "e_fonts.html"] {
        let encoding = row(&reports, file).encoding.clone().unwrap();
        assert!(encoding.contains("flattened"), "{file}: {encoding}");
    }
    // An ordinary page says nothing of the kind.
    let page = import_file(&fixture("news_page.html"), &ImportLimits::default()).unwrap();
    assert!(!page.encoding.contains("flattened"), "{}", page.encoding);
}

#[test]
fn deeply_nested_markdown_and_docx_import() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("quotes.md"),
        format!(
            "# Deep quotes\n\n{} The innermost quote.\n\nThe paragraph after.\n",
            ">".repeat(50_000)
        ),
    )
    .unwrap();
    fs::write(
        d.join("lists.md"),
        format!(
            "# Deep lists\n\n{}the innermost item\n\nAfter.\n",
            "- ".repeat(50_000)
        ),
    )
    .unwrap();
    fs::write(
        d.join("brackets.md"),
        format!(
            "# Brackets\n\n{}x{} and {}emphasis{}\n",
            "[".repeat(50_000),
            "]".repeat(50_000),
            "*".repeat(50_000),
            "*".repeat(50_000)
        ),
    )
    .unwrap();
    // Tables inside table cells, 20,000 deep, and 100,000 nested runs.
    let nested_tables = format!(
        "{}<w:p><w:r><w:t>Innermost cell.</w:t></w:r></w:p>{}",
        "<w:tbl><w:tr><w:tc>".repeat(20_000),
        "</w:tc></w:tr></w:tbl>".repeat(20_000)
    );
    let nested_runs = format!(
        "<w:p>{}<w:t>Deep run.</w:t>{}</w:p>",
        "<w:r>".repeat(100_000),
        "</w:r>".repeat(100_000)
    );
    let document = docx_document(&["Top paragraph."]).replace(
        "<w:sectPr/>",
        &format!("{nested_tables}{nested_runs}<w:sectPr/>"),
    );
    zip_file_stored(
        &d.join("tables.docx"),
        &[("word/document.xml", document.as_bytes())],
    );
    let dir_path = d.to_path_buf();
    let (articles, reports) = within(120, move || import_dir(&dir_path));
    assert_eq!(articles.len(), 4, "{reports:#?}");
    let text = |id: &str| &articles.iter().find(|a| a.id == id).unwrap().text;
    assert!(text("quotes.md").contains("The innermost quote."));
    assert!(text("quotes.md").contains("The paragraph after."));
    assert!(text("lists.md").contains("the innermost item"));
    assert!(text("brackets.md").contains("emphasis"));
    assert!(text("tables.docx").contains("Innermost cell."));
    assert!(text("tables.docx").contains("Deep run."));
}

#[test]
fn dates_with_multi_byte_characters_do_not_skip_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("dash.md"),
        "---\ntitle: Port strike ends\ndate: 2023-10–20\n---\n\nThe port reopened on Monday.\n",
    )
    .unwrap();
    fs::write(
        d.join("russian.html"),
        "<html><head><meta property=\"article:published_time\" content=\"24 октября 2023\"></head>\
         <body><h1>Забастовка в порту</h1><p>Порт возобновил работу в понедельник.</p></body></html>",
    )
    .unwrap();
    let (articles, reports) = import_dir(d);
    assert_eq!(articles.len(), 2, "{reports:#?}");
    assert_eq!(
        row(&reports, "dash.md").title.as_deref(),
        Some("Port strike ends")
    );
}

#[cfg(unix)]
#[test]
fn fifos_sockets_devices_and_links_to_them_get_a_reason_and_never_block() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::copy(
        sample_corpus().join("004_f0f083a2e182d3f1.txt"),
        d.join("good.txt"),
    )
    .unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(d.join("fifo.txt"))
        .status()
        .unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink(d.join("fifo.txt"), d.join("link_to_fifo.md")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.txt")).unwrap();
    std::os::unix::fs::symlink("/dev/null", d.join("null.html")).unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(d.join("socket.txt")).unwrap();

    let dir_path = d.to_path_buf();
    let (articles, reports) = within(60, move || import_dir(&dir_path));
    assert_eq!(articles.len(), 1, "{reports:#?}");
    assert_eq!(reports.len(), 6, "{reports:#?}");
    for (file, kind) in [
        ("fifo.txt", "a FIFO (named pipe)"),
        ("link_to_fifo.md", "a FIFO (named pipe)"),
        ("zero.txt", "a character device"),
        ("null.html", "a character device"),
        ("socket.txt", "a socket"),
    ] {
        let reason = reason(&reports, file);
        assert!(
            reason.contains(&format!("not a regular file: {kind}")),
            "{file}: {reason}"
        );
    }
    // Named one by one too, and through the CLI, which must say why and not hang.
    let fifo = d.join("fifo.txt");
    let err = within(30, move || import_file(&fifo, &ImportLimits::default()))
        .unwrap_err()
        .to_string();
    assert!(err.contains("a FIFO (named pipe)"), "{err}");
    let fifo = d.join("fifo.txt");
    let output = within(60, move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .args(["analyze", fifo.to_str().unwrap()])
            .output()
            .unwrap()
    });
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("a FIFO (named pipe)"), "{stderr}");
}

#[cfg(target_os = "linux")]
#[test]
fn proc_files_that_claim_zero_bytes_are_read_and_capped() {
    let dir = tempfile::tempdir().unwrap();
    // /proc files report size 0 but have content; reading must not trust the size.
    std::os::unix::fs::symlink("/proc/self/status", dir.path().join("status.txt")).unwrap();
    let path = dir.path().join("status.txt");
    let article = within(30, move || import_file(&path, &ImportLimits::default())).unwrap();
    assert!(article.text.contains("Name:"), "{}", article.text);
    // A file larger than the limit is cut off at the limit whatever its size said.
    let path = dir.path().join("status.txt");
    let tiny = ImportLimits {
        max_file_bytes: 64,
        ..ImportLimits::default()
    };
    let err = import_file(&path, &tiny).unwrap_err().to_string();
    assert!(err.contains("over the 64-byte limit"), "{err}");
}

#[test]
fn zip_members_that_inflate_past_the_budget_are_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.docx");
    // Varied text, so it compresses like a real document (well under the expansion ratio).
    let paragraphs: String = (0..3000u64)
        .map(|i| {
            let n = i.wrapping_mul(2_654_435_761) % 1_000_003;
            format!("<w:p><w:r><w:t>Item {i}: the council paid {n} for contract {:x} on day {}.</w:t></w:r></w:p>", n * 31, n % 365)
        })
        .collect();
    let document = docx_document(&[]).replace("<w:sectPr/>", &paragraphs);
    zip_file(&path, &[("word/document.xml", document.as_bytes())]);
    let limits = ImportLimits {
        max_text_bytes: 20_000,
        ..ImportLimits::default()
    };
    let err = import_file(&path, &limits).unwrap_err().to_string();
    assert!(
        err.contains("over the limit") || err.contains("inflates past"),
        "{err}"
    );
    // With the default limits the same file reads fine.
    assert!(import_file(&path, &ImportLimits::default()).is_ok());
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.txt");
    fs::write(&path, "A perfectly good article that nobody may read.").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reads, so there is no failure to observe.
        eprintln!("skipped: running with privileges that ignore file permissions");
        return;
    }
    let (articles, reports) = import_dir(dir.path());
    assert!(articles.is_empty());
    assert!(reason(&reports, "secret.txt").contains("permission denied"));
}

// ---------------------------------------------------------------- duplicates

#[test]
fn exact_and_near_duplicates_are_reported_not_imported_twice_silently() {
    let dir = tempfile::tempdir().unwrap();
    let original = fs::read_to_string(sample_corpus().join("001_6076344b43b91c38.txt")).unwrap();
    fs::write(dir.path().join("a_original.txt"), &original).unwrap();
    // Same story saved again, with different furniture around it: same kept text.
    fs::write(
        dir.path().join("b_saved_again.txt"),
        format!("Accessibility links\n\n{original}\n\nDo you like this article?\n"),
    )
    .unwrap();
    // Syndicated copy: a few words changed and a credit line added.
    let syndicated = original
        .replace(
            "Russian and Iranian media said Friday",
            "Russian and Iranian media reported on Friday",
        )
        .replace(
            "At least 19 Russian citizens",
            "At least nineteen Russian citizens",
        );
    fs::write(
        dir.path().join("c_syndicated.txt"),
        format!("{syndicated}\n\nOriginally published by: AP\n"),
    )
    .unwrap();
    fs::copy(
        sample_corpus().join("004_f0f083a2e182d3f1.txt"),
        dir.path().join("d_other.txt"),
    )
    .unwrap();

    let (articles, reports) = import_dir(dir.path());
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a_original.txt", "c_syndicated.txt", "d_other.txt"]);
    let original_path = row(&reports, "a_original.txt").path.clone();
    let again = row(&reports, "b_saved_again.txt");
    assert_eq!(again.duplicate_of.as_ref(), Some(&original_path));
    assert_eq!(again.duplicate_kind.as_deref(), Some("exact"));
    let near = row(&reports, "c_syndicated.txt");
    assert_eq!(near.duplicate_of.as_ref(), Some(&original_path));
    assert_eq!(near.duplicate_kind.as_deref(), Some("near"));
    assert!(near.similarity.unwrap() >= 0.9);
    assert!(row(&reports, "d_other.txt").duplicate_of.is_none());
}

// ---------------------------------------------------------------- big folders, streaming

#[test]
fn streaming_delivers_in_order_and_can_be_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..60 {
        let sub = dir.path().join(format!("batch{}", i % 3));
        fs::create_dir_all(&sub).unwrap();
        fs::write(
            sub.join(format!("story{i:03}.txt")),
            format!("Story number {i} headline here\n\nCouncil {i} approved budget line {} for the year, officials said.", i * 37),
        )
        .unwrap();
    }
    let mut seen = Vec::new();
    let mut started = None;
    let finished = import_paths_streaming(
        &[dir.path().to_path_buf()],
        &ImportLimits::default(),
        |event| {
            match event {
                ImportEvent::Started { total } => started = Some(total),
                ImportEvent::File {
                    done,
                    total,
                    report,
                    article,
                } => {
                    assert_eq!(done, seen.len() + 1);
                    assert_eq!(total, 60);
                    assert!(article.is_some(), "{report:#?}");
                    seen.push(report.path);
                }
            }
            true
        },
    );
    assert!(finished);
    assert_eq!(started, Some(60));
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "events must come in sorted path order");

    let mut delivered = 0;
    let finished = import_paths_streaming(
        &[dir.path().to_path_buf()],
        &ImportLimits::default(),
        |event| {
            if let ImportEvent::File { .. } = event {
                delivered += 1;
                return delivered < 5;
            }
            true
        },
    );
    assert!(!finished);
    assert_eq!(delivered, 5);

    // import_paths honours the same cancel through its progress callback.
    let (articles, _) = import_paths(
        &[dir.path().to_path_buf()],
        &ImportLimits::default(),
        |done, _| done < 10,
    );
    assert_eq!(articles.len(), 10);
}

// ---------------------------------------------------------------- CLI contract

#[test]
fn cli_import_json_prints_one_object_per_file_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        sample_corpus().join("003_e0f09e3576302cfd.txt"),
        dir.path().join("a.txt"),
    )
    .unwrap();
    fs::copy(
        sample_corpus().join("003_e0f09e3576302cfd.txt"),
        dir.path().join("b_copy.txt"),
    )
    .unwrap();
    fs::copy(fixture("news_page.html"), dir.path().join("c.html")).unwrap();
    fs::write(dir.path().join("d.txt"), b"").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .args(["import", dir.path().to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rows.len(), 4);
    for row in &rows {
        for key in [
            "path",
            "status",
            "reason",
            "format",
            "encoding",
            "title",
            "source",
            "byline",
            "date",
            "duplicate_of",
        ] {
            assert!(row.get(key).is_some(), "missing {key} in {row}");
        }
    }
    assert_eq!(rows[0]["status"], "ok");
    assert!(rows[0]["reason"].is_null());
    assert_eq!(rows[0]["format"], "txt");
    assert_eq!(rows[0]["byline"], "Pishtaz");
    assert!(rows[0]["duplicate_of"].is_null());
    assert_eq!(rows[1]["duplicate_of"], rows[0]["path"]);
    assert_eq!(rows[2]["format"], "html");
    assert_eq!(rows[2]["source"], "Harbour Courier");
    assert_eq!(rows[2]["date"], "2024-03-05");
    assert_eq!(rows[3]["status"], "skipped");
    assert!(rows[3]["reason"].as_str().unwrap().contains("empty"));
}

#[test]
fn cli_analyze_accepts_other_formats() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("news_page.html"), dir.path().join("page.html")).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .args(["analyze", dir.path().to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let items: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["format"], "html");
    assert!(items[0]["text"].as_str().unwrap().contains("Dock workers"));
}

// ---------------------------------------------------------------- never panics (property tests)

/// A short, always-on version of the fuzz targets in fuzz/ (run those for minutes with
/// scripts/fuzz-importers): markup-shaped random input for every importer must come back as an
/// article or a per-file error, never a panic, with an article's text free of markup it hid.
mod never_panics {
    use super::*;
    use claimdesk_core::corpus::import::parse_bytes;
    use proptest::prelude::*;

    fn fragment() -> impl Strategy<Value = String> {
        let tag = prop::sample::select(vec![
            "p",
            "div",
            "span",
            "b",
            "i",
            "a",
            "table",
            "tr",
            "td",
            "li",
            "ul",
            "script",
            "style",
            "svg",
            "math",
            "template",
            "h1",
            "blockquote",
            "font",
            "form",
            "select",
            "w:p",
            "w:r",
            "w:t",
            "w:tbl",
            "br",
            "img",
        ]);
        prop_oneof![
            tag.clone().prop_map(|t| format!("<{t}>")),
            tag.clone().prop_map(|t| format!("</{t}>")),
            (tag, "[a-z]{1,6}", "[^\"<>]{0,8}").prop_map(|(t, k, v)| format!("<{t} {k}=\"{v}\">")),
            "\\PC{0,12}",
            prop::sample::select(vec![
                "&amp;",
                "&#8217;",
                "&bogus;",
                "&#x110000;",
                "<!--",
                "-->",
                "<![CDATA[",
                "]]>",
                "<?xml version=\"1.0\"?>",
                "---\n",
                "> ",
                "- ",
                "* ",
                "# ",
                "[",
                "](",
                ")",
                "|",
                "\n\n",
                "\r\n",
                "—",
                "–",
                "октября",
                "2023-10–20",
                "\u{feff}",
                "\0",
            ])
            .prop_map(String::from),
        ]
    }

    fn markup() -> impl Strategy<Value = String> {
        (prop::collection::vec(fragment(), 0..60), 0usize..400).prop_map(|(parts, repeat)| {
            // A run of one fragment repeated: deep nesting and long runs come up often.
            let mut text = parts.concat();
            if let Some(first) = parts.first() {
                text.push_str(&first.repeat(repeat));
            }
            text
        })
    }

    fn zip_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, data) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    fn check(format: &str, bytes: &[u8]) {
        if let Ok(article) = parse_bytes(format, bytes, &ImportLimits::default()) {
            assert!(!article.text.trim().is_empty(), "{format}: empty article");
            assert_eq!(article.char_len(), article.text.chars().count());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn html_markdown_and_text(input in markup()) {
            for format in ["html", "md", "txt"] {
                check(format, input.as_bytes());
            }
        }

        #[test]
        fn docx_and_epub(input in markup(), meta in markup()) {
            check("docx", &zip_bytes(&[
                ("word/document.xml", format!("<w:document><w:body>{input}</w:body></w:document>").as_bytes()),
                ("docProps/core.xml", meta.as_bytes()),
            ]));
            let container = r#"<container><rootfiles><rootfile full-path="c.opf"/></rootfiles></container>"#;
            let opf = format!(r#"<package><metadata>{meta}</metadata><manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="a"/></spine></package>"#);
            check("epub", &zip_bytes(&[
                ("META-INF/container.xml", container.as_bytes()),
                ("c.opf", opf.as_bytes()),
                ("a.xhtml", input.as_bytes()),
            ]));
        }

        #[test]
        fn pdf_with_damaged_bytes(cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12), truncate in any::<prop::sample::Index>()) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("a.pdf");
            write_pdf(&path, &["A line of text in the PDF.", "Another line."], Some("Title"));
            let mut bytes = fs::read(&path).unwrap();
            for (at, value) in cuts {
                let i = at.index(bytes.len());
                bytes[i] = value;
            }
            bytes.truncate(truncate.index(bytes.len()) + 1);
            check("pdf", &bytes);
        }
    }
}
