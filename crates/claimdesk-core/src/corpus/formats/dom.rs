//! Parsing HTML into a DOM whose depth, size and parse time are bounded.
//!
//! html5ever builds any tree the markup asks for, and the crates that walk it afterwards
//! (`dom_query` selectors and text, `dom_smoothie` scoring) recurse once per level and scan the
//! ancestors of every node: 50,000 nested `<span>` overflowed the stack and aborted the process,
//! 10,000 nested `<div>` took 47 s. html5ever's tree builder itself scans its stack of open
//! elements for every start tag, so a deep page is quadratic before any walk starts.
//!
//! So, as browsers do (Blink flattens the DOM past 512 levels), nesting is bounded while parsing:
//! a filter between html5ever's tokenizer and its tree builder follows the open elements and drops
//! start and end *tags* (never text) past [`MAX_DEPTH`], which keeps the tree builder's stack, and
//! with it the parse, linear. Tree-building rules the filter does not follow exactly (the adoption
//! agency, foster parenting) can still nest a little deeper, so after parsing an iterative pass
//! flattens whatever lies below [`MAX_DEPTH`]. The filter also stops feeding tokens once the
//! deadline passes or the page holds more than [`MAX_NODES`] tags, so a parse always ends soon.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::Instant;

use dom_query::{Document, NodeRef};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{LocalName, local_name};

/// Deepest element nesting kept. Real pages stay far below (a few dozen levels); the text of
/// anything deeper is kept, its tags are not.
pub const MAX_DEPTH: usize = 256;

/// Most tags one page may hold (about 40 bytes of DOM each, so this bounds the DOM's memory at a
/// few hundred MB). A 20 MB news page has about 400,000.
pub const MAX_NODES: u64 = 4_000_000;

/// Why a page could not be parsed in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    Deadline,
    TooManyNodes,
}

/// A parsed page and what bounding it did.
pub struct Parsed {
    pub document: Document,
    /// Tags dropped or elements flattened because they were nested deeper than [`MAX_DEPTH`].
    pub flattened: bool,
    /// Elements in the final tree.
    pub elements: usize,
    /// Sum over elements of their depth: what walks that visit every node's ancestors cost.
    pub depth_sum: u64,
}

/// Parses `html` with html5ever (scripting disabled, as `Document::from` does), bounded as the
/// module documentation says.
pub fn parse(html: &str, deadline: Option<Instant>) -> Result<Parsed, Stopped> {
    let builder = TreeBuilder::new(
        Document::default(),
        TreeBuilderOpts {
            scripting_enabled: false,
            ..TreeBuilderOpts::default()
        },
    );
    let guard = DepthGuard {
        inner: builder,
        open: RefCell::new(Vec::new()),
        dropped: RefCell::new(HashMap::new()),
        flattened: Cell::new(false),
        tags: Cell::new(0),
        deadline,
        stopped: Cell::new(None),
    };
    let tokenizer = Tokenizer::new(guard, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    // Other results only pause the tokenizer: for a script to run (there is none to run) or to
    // report a `<meta charset>` (the text is already decoded).
    while !matches!(tokenizer.feed(&input), html5ever::TokenizerResult::Done) {}
    tokenizer.end();
    let guard = tokenizer.sink;
    if let Some(stopped) = guard.stopped.get() {
        return Err(stopped);
    }
    let flattened = guard.flattened.get();
    let document = guard.inner.sink;
    let (elements, depth_sum, deeper) = flatten_below(&document.root(), MAX_DEPTH);
    Ok(Parsed {
        document,
        flattened: flattened || deeper,
        elements,
        depth_sum,
    })
}

/// Sits between the tokenizer and the tree builder and follows, approximately, the tree
/// builder's stack of open elements.
struct DepthGuard<Sink> {
    inner: Sink,
    /// Names of the elements believed open, outermost first; never longer than `MAX_DEPTH` + 1.
    open: RefCell<Vec<LocalName>>,
    /// Start tags dropped for depth, by name: their end tags are dropped too.
    dropped: RefCell<HashMap<LocalName, usize>>,
    flattened: Cell<bool>,
    tags: Cell<u64>,
    deadline: Option<Instant>,
    stopped: Cell<Option<Stopped>>,
}

impl<Sink: TokenSink> TokenSink for DepthGuard<Sink> {
    type Handle = Sink::Handle;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<Self::Handle> {
        if self.stopped.get().is_some() && !matches!(token, Token::EOFToken) {
            return TokenSinkResult::Continue;
        }
        if let Token::TagToken(tag) = &token {
            let tags = self.tags.get() + 1;
            self.tags.set(tags);
            if tags > MAX_NODES {
                self.stopped.set(Some(Stopped::TooManyNodes));
                return TokenSinkResult::Continue;
            }
            // Reading the clock costs ~20 ns; every 4096 tags keeps it out of the profile.
            if tags.is_multiple_of(4096) && self.deadline.is_some_and(|d| Instant::now() > d) {
                self.stopped.set(Some(Stopped::Deadline));
                return TokenSinkResult::Continue;
            }
            let admitted = match tag.kind {
                TagKind::StartTag => self.admit_start(tag),
                TagKind::EndTag => self.admit_end(tag),
            };
            if !admitted {
                return TokenSinkResult::Continue;
            }
        }
        self.inner.process_token(token, line_number)
    }

    fn end(&self) {
        self.inner.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

impl<Sink> DepthGuard<Sink> {
    fn admit_start(&self, tag: &Tag) -> bool {
        let name = &tag.name;
        if is_void(name) {
            return true;
        }
        let mut open = self.open.borrow_mut();
        // Elements whose end tag may be left out close an open one of their kind (a new `<p>`
        // or `<li>` ends the previous one), as the tree builder does, up to a scope boundary.
        if let Some(closes) = implicitly_closes(name) {
            for i in (0..open.len()).rev() {
                if closes.contains(&open[i]) {
                    open.truncate(i);
                    break;
                }
                if is_scope_boundary(&open[i]) {
                    break;
                }
            }
        }
        // Raw-text elements hold no child elements, and dropping `<script>` or `<style>` would
        // turn their code into visible text: they always pass.
        if open.len() >= MAX_DEPTH && !is_raw_text(name) {
            *self.dropped.borrow_mut().entry(name.clone()).or_insert(0) += 1;
            self.flattened.set(true);
            return false;
        }
        open.push(name.clone());
        true
    }

    fn admit_end(&self, tag: &Tag) -> bool {
        let name = &tag.name;
        if let Some(count) = self.dropped.borrow_mut().get_mut(name)
            && *count > 0
        {
            *count -= 1;
            return false;
        }
        // `</body>` and `</html>` leave the tree builder's elements open: nothing to pop.
        if matches!(*name, local_name!("body") | local_name!("html")) {
            return true;
        }
        let mut open = self.open.borrow_mut();
        let formatting = is_formatting(name);
        let mut block_above = false;
        for i in (0..open.len()).rev() {
            if open[i] == *name {
                // The adoption agency (`<b><div></b>`) keeps the blocks above a formatting
                // element open and adds a copy of it inside them: the stack does not shrink.
                if !block_above {
                    open.truncate(i);
                }
                break;
            }
            // The tree builder ignores an end tag whose element lies behind a scope boundary or
            // (for most tags) behind a "special" element such as a `<div>`; so does the count.
            if is_scope_boundary(&open[i]) {
                break;
            }
            if is_special(&open[i]) {
                if !formatting {
                    break;
                }
                block_above = true;
            }
        }
        true
    }
}

fn is_void(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("basefont")
            | local_name!("bgsound")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("frame")
            | local_name!("hr")
            | local_name!("image")
            | local_name!("img")
            | local_name!("input")
            | local_name!("keygen")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("param")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
    )
}

fn is_raw_text(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("textarea")
            | local_name!("title")
            | local_name!("xmp")
            | local_name!("iframe")
            | local_name!("noembed")
            | local_name!("noframes")
            | local_name!("noscript")
            | local_name!("plaintext")
    )
}

fn is_formatting(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("a")
            | local_name!("b")
            | local_name!("big")
            | local_name!("code")
            | local_name!("em")
            | local_name!("font")
            | local_name!("i")
            | local_name!("nobr")
            | local_name!("s")
            | local_name!("small")
            | local_name!("strike")
            | local_name!("strong")
            | local_name!("tt")
            | local_name!("u")
    )
}

/// Where the tree builder stops looking for an element "in scope".
fn is_scope_boundary(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("applet")
            | local_name!("caption")
            | local_name!("html")
            | local_name!("table")
            | local_name!("td")
            | local_name!("th")
            | local_name!("marquee")
            | local_name!("object")
            | local_name!("template")
            | local_name!("foreignObject")
            | local_name!("desc")
    )
}

/// The HTML standard's "special" category, less the scope boundaries (checked before).
fn is_special(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("address")
            | local_name!("article")
            | local_name!("aside")
            | local_name!("blockquote")
            | local_name!("body")
            | local_name!("center")
            | local_name!("dd")
            | local_name!("details")
            | local_name!("dir")
            | local_name!("div")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("fieldset")
            | local_name!("figcaption")
            | local_name!("figure")
            | local_name!("footer")
            | local_name!("form")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("header")
            | local_name!("hgroup")
            | local_name!("li")
            | local_name!("listing")
            | local_name!("main")
            | local_name!("menu")
            | local_name!("nav")
            | local_name!("ol")
            | local_name!("p")
            | local_name!("pre")
            | local_name!("section")
            | local_name!("select")
            | local_name!("summary")
            | local_name!("tbody")
            | local_name!("tfoot")
            | local_name!("thead")
            | local_name!("tr")
            | local_name!("ul")
    )
}

/// Open elements of these names that a start tag of `name` closes. (`<a>` and `<nobr>` run the
/// adoption agency, which may keep blocks open, and a nested `<form>` is ignored: they are
/// counted as opening, which can only overstate the depth.)
fn implicitly_closes(name: &LocalName) -> Option<&'static [LocalName]> {
    use std::sync::LazyLock;
    static P: LazyLock<[LocalName; 1]> = LazyLock::new(|| [local_name!("p")]);
    static LI: LazyLock<[LocalName; 1]> = LazyLock::new(|| [local_name!("li")]);
    static DD_DT: LazyLock<[LocalName; 2]> =
        LazyLock::new(|| [local_name!("dd"), local_name!("dt")]);
    static CELL: LazyLock<[LocalName; 2]> =
        LazyLock::new(|| [local_name!("td"), local_name!("th")]);
    static TR: LazyLock<[LocalName; 1]> = LazyLock::new(|| [local_name!("tr")]);
    static OPTION: LazyLock<[LocalName; 1]> = LazyLock::new(|| [local_name!("option")]);
    static BUTTON: LazyLock<[LocalName; 1]> = LazyLock::new(|| [local_name!("button")]);
    let set: &'static [LocalName] = match *name {
        local_name!("p") => &*P,
        local_name!("li") => &*LI,
        local_name!("dd") | local_name!("dt") => &*DD_DT,
        local_name!("td") | local_name!("th") => &*CELL,
        local_name!("tr") => &*TR,
        local_name!("option") => &*OPTION,
        local_name!("button") => &*BUTTON,
        _ => return None,
    };
    Some(set)
}

/// Elements whose content is never text: removed, not unwrapped, when found too deep.
fn never_text(node: &NodeRef<'_>) -> bool {
    node.qual_name_ref().is_some_and(|name| {
        matches!(
            name.local,
            local_name!("script")
                | local_name!("style")
                | local_name!("template")
                | local_name!("noscript")
                | local_name!("svg")
                | local_name!("math")
        )
    })
}

/// Walks the tree without recursion; elements deeper than `limit` are unwrapped (their children
/// take their place) so no node ends up deeper than `limit`. Returns the element count, the sum
/// of their depths and whether anything was flattened. Each node moves at most once: O(nodes).
fn flatten_below(root: &NodeRef<'_>, limit: usize) -> (usize, u64, bool) {
    let mut elements = 0usize;
    let mut depth_sum = 0u64;
    let mut flattened = false;
    let mut stack: Vec<(NodeRef<'_>, usize)> = vec![(*root, 0)];
    while let Some((node, depth)) = stack.pop() {
        let mut child = node.first_child();
        while let Some(current) = child {
            let next = current.next_sibling();
            if !current.is_element() {
                child = next;
                continue;
            }
            if depth + 1 > limit {
                flattened = true;
                let first = current.first_child();
                if let Some(first) = &first
                    && !never_text(&current)
                {
                    current.insert_siblings_before(first);
                }
                current.remove_from_parent();
                // The moved children come next, at this same depth.
                child = if never_text(&current) {
                    next
                } else {
                    first.or(next)
                };
                continue;
            }
            elements += 1;
            depth_sum += (depth + 1) as u64;
            stack.push((current, depth + 1));
            child = next;
        }
    }
    (elements, depth_sum, flattened)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_of_deepest(document: &Document) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(document.root(), 0usize)];
        while let Some((node, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            let mut child = node.first_child();
            while let Some(c) = child {
                child = c.next_sibling();
                stack.push((c, depth + 1));
            }
        }
        deepest
    }

    #[test]
    fn deep_nesting_is_bounded_and_keeps_every_word_in_order() {
        for tag in ["span", "div", "b", "font", "blockquote", "table"] {
            let n = 20_000;
            let html = format!(
                "<p>Before.</p>{}deep words{}<p>After.</p>",
                format!("<{tag}>x ").repeat(n),
                format!("</{tag}>").repeat(n)
            );
            let parsed = parse(&html, None).unwrap();
            assert!(parsed.flattened, "{tag}");
            assert!(
                depth_of_deepest(&parsed.document) <= MAX_DEPTH + 8,
                "{tag}: {}",
                depth_of_deepest(&parsed.document)
            );
            let text = parsed.document.root().text();
            assert_eq!(text.matches("x ").count(), n, "{tag}");
            assert!(text.contains("Before."), "{tag}");
            assert!(
                text.ends_with("deep wordsAfter.") || text.contains("After."),
                "{tag}"
            );
        }
    }

    #[test]
    fn ordinary_pages_are_parsed_as_html5ever_parses_them() {
        let html = "<html><head><meta charset=\"utf-8\"><title>T</title>\
            <script>var a = '<div>';</script></head><body><ul><li>one<li>two</ul><p>para <b>bold <i>both</b> italic</i><p>next\
            <table><tr><td>cell<td>cell 2</table></body></html>";
        let bounded = parse(html, None).unwrap();
        assert!(!bounded.flattened);
        let plain = Document::from(html);
        assert_eq!(bounded.document.html(), plain.html());
        let page = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/import/news_page.html"
        ))
        .unwrap();
        let bounded = parse(&page, None).unwrap();
        assert!(!bounded.flattened);
        assert!(bounded.elements > 50, "{}", bounded.elements);
        assert_eq!(
            bounded.document.html(),
            Document::from(page.as_str()).html()
        );
    }

    #[test]
    fn misnested_formatting_cannot_nest_without_bound() {
        // The adoption agency re-opens formatting elements inside blocks; the tags do not say so.
        for pattern in [
            "<b><div></b>",
            "<a><div></a>",
            "<span><div></span>",
            "<div><object></div>",
            "<i><b></i></b>",
            "<b><p></b>",
        ] {
            let html = format!("{}text", pattern.repeat(20_000));
            let parsed = parse(&html, None).unwrap();
            assert!(
                depth_of_deepest(&parsed.document) <= MAX_DEPTH + 8,
                "{pattern}: {}",
                depth_of_deepest(&parsed.document)
            );
            assert!(parsed.document.root().text().contains("text"), "{pattern}");
        }
    }

    #[test]
    fn a_deadline_in_the_past_stops_the_parse() {
        let html = "<p>word</p>".repeat(10_000);
        let past = Instant::now() - std::time::Duration::from_secs(1);
        assert_eq!(parse(&html, Some(past)).err(), Some(Stopped::Deadline));
    }
}
