//! How deep some HTML nests, found before anything builds a tree of it.
//!
//! Libraries that read HTML into a tree (htmd, turning imported HTML into Markdown) walk it
//! recursively, a few kilobytes of stack per level: 20,000 nested `<div>`s overflowed the
//! stack, and a parser's own work grows with the depth (each tag looks down the open
//! elements), so 100,000 took it 48 seconds. [`check_html_depth`] refuses HTML nesting
//! deeper than [`MAX_HTML_DEPTH`], in time linear in its length.
//!
//! Invariant: HTML this module passes builds, in html5ever (which htmd and ammonia use), a
//! tree at most [`MAX_HTML_DEPTH`] elements deep below `body`. A linear scan
//! ([`scan`]) counts open elements so that its count is never below the parser's depth
//! (tested against html5ever on random markup); where it cannot be sure (SVG, MathML,
//! `select`, `template`, `frameset`, which change what tags mean) or counts past the
//! limit, the parser is asked itself, with a sink that keeps no tree and stops reading
//! once the depth passes the limit.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, QualName, local_name, ns};

/// How deep HTML may nest, in elements below `body`. Browsers' parsers stop nesting at 512
/// (deeper elements become siblings: Chromium's and WebKit's
/// `maximumHTMLParserDOMTreeDepth`), so deeper markup is shown as written nowhere.
pub const MAX_HTML_DEPTH: usize = 512;

/// Past this many by the scan's count, HTML is too deep without asking the parser (whose
/// depth is at most the count, and whose work grows with it).
const SURELY_TOO_DEEP: usize = 4 * MAX_HTML_DEPTH;

/// HTML that nests too deep: the 1-based line (of the HTML) where its nesting passes
/// [`MAX_HTML_DEPTH`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
}

impl std::fmt::Display for TooDeep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "its HTML nests more than {MAX_HTML_DEPTH} elements deep, deeper than browsers show: flatten that markup"
        )
    }
}

/// Refuses HTML nesting deeper than [`MAX_HTML_DEPTH`] elements.
pub fn check_html_depth(html: &str) -> Result<(), TooDeep> {
    match scan(html) {
        Scan::Within => Ok(()),
        Scan::Past { at, count } if count > SURELY_TOO_DEEP => Err(TooDeep {
            line: 1 + html.as_bytes()[..at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count(),
        }),
        Scan::Past { .. } | Scan::Unsure => parsed_depth(html),
    }
}

/// What the scan found.
#[derive(Debug, PartialEq, Eq)]
enum Scan {
    /// At most [`MAX_HTML_DEPTH`] by a count never below the parser's depth.
    Within,
    /// The count passed the limit at byte `at`, and reached `count` (where it stopped,
    /// past [`SURELY_TOO_DEEP`]).
    Past { at: usize, count: usize },
    /// Markup whose depth the scan cannot bound (SVG, MathML, `select`, `template`).
    Unsure,
}

fn scan(html: &str) -> Scan {
    let counted = count(html, SURELY_TOO_DEEP);
    match counted.past {
        _ if counted.unsure => Scan::Unsure,
        Some(at) => Scan::Past {
            at,
            count: counted.deepest,
        },
        None => Scan::Within,
    }
}

/// The count over some HTML.
struct Counted {
    /// Where the count first passed [`MAX_HTML_DEPTH`].
    past: Option<usize>,
    /// The highest count, up to where the scan stopped.
    deepest: usize,
    /// Whether it stopped at markup it cannot count.
    unsure: bool,
}

/// Elements without contents or end tag (in HTML).
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "basefont", "bgsound", "frame", "image",
];

/// Elements in which tags mean other things (SVG, MathML), or few mean anything (a
/// `select`), or whose contents live elsewhere (`template`), or that replace the body.
const UNSURE: &[&str] = &["svg", "math", "select", "template", "frameset"];

/// Start tags that close an open `p` element (it may not hold them). Not `table`, which
/// does not in the quirks mode a fragment without a doctype is parsed in.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "dd",
    "dt",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "summary",
    "ul",
    "xmp",
    "plaintext",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// How a start tag's contents are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Contents {
    Markup,
    /// Text up to the element's end tag (`style`, `textarea`…).
    Text,
    /// Text up to `</script>`, with the script data's escapes.
    Script,
    /// Text to the end (`plaintext`).
    Rest,
}

/// How the contents of the element named `lower` (in lower case) are read. A `noscript`'s
/// are text to a parser that runs scripts, as htmd's and ammonia's do.
fn contents_of(lower: &str) -> Contents {
    match lower {
        "script" => Contents::Script,
        "plaintext" => Contents::Rest,
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" | "textarea" | "title" => {
            Contents::Text
        }
        _ => Contents::Markup,
    }
}

fn is_one_of(name: &str, names: &[&str]) -> bool {
    names.iter().any(|n| name.eq_ignore_ascii_case(n))
}

/// The count: elements open in HTML's body, tokenized as the HTML tokenizer does (comments,
/// bogus comments, quoted attribute values, text elements and script data end where it
/// ends them), and closed only where the parser surely closes the same element — by its
/// own end tag while it is the innermost open one, or by a start tag that closes the
/// innermost element whatever surrounds it (a `p` before a block, an `li` before the
/// next, a cell or row before the next, a heading before a heading). Any other end tag is
/// ignored (the parser may close more, never less), every other start tag opens an
/// element, and the `tbody` and `tr` the parser adds around a table's cells are counted.
/// So where the count and the parser differ, the count is deeper. It stops once it passes
/// `stop`.
fn count(html: &str, stop: usize) -> Counted {
    let bytes = html.as_bytes();
    let mut open: Vec<&str> = Vec::new();
    let mut counted = Counted {
        past: None,
        deepest: 0,
        unsure: false,
    };
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let after = &bytes[start + 1..];
        match after.first() {
            Some(b'!') if after.starts_with(b"!--") => {
                at = comment_end(bytes, start + 4);
                continue;
            }
            Some(b'!' | b'?') => {
                at = bogus_end(bytes, start + 1);
                continue;
            }
            Some(b'/') => match after.get(1) {
                Some(b'>') => {
                    at = start + 3;
                    continue;
                }
                Some(c) if c.is_ascii_alphabetic() => {}
                Some(_) => {
                    at = bogus_end(bytes, start + 2);
                    continue;
                }
                None => break,
            },
            Some(c) if c.is_ascii_alphabetic() => {}
            _ => {
                at = start + 1;
                continue;
            }
        }
        let closing = after[0] == b'/';
        let name_start = start + if closing { 2 } else { 1 };
        let name_end = name_start
            + bytes[name_start..]
                .iter()
                .take_while(|&&b| !is_space(b) && b != b'/' && b != b'>')
                .count();
        let name = &html[name_start..name_end];
        // A tag cut off by the end is no element.
        let Some(end) = tag_end(bytes, name_end) else {
            break;
        };
        at = end;
        if closing {
            if open
                .last()
                .is_some_and(|top| top.eq_ignore_ascii_case(name))
            {
                open.pop();
            }
            continue;
        }
        // Lower-cased without allocating: no name the scan knows is longer than 16 bytes.
        let mut buffer = [0u8; 16];
        let lower = match buffer.get_mut(..name.len()) {
            Some(lower) => {
                lower.copy_from_slice(name.as_bytes());
                lower.make_ascii_lowercase();
                std::str::from_utf8(lower).unwrap_or("")
            }
            None => "",
        };
        if UNSURE.contains(&lower) {
            counted.unsure = true;
            break;
        }
        close_implied(lower, &mut open);
        let implied = implied_parents(lower, open.last().copied().unwrap_or(""));
        open.extend_from_slice(implied);
        // This element opens below the open ones.
        let depth = open.len() + 1;
        if depth > MAX_HTML_DEPTH && counted.past.is_none() {
            counted.past = Some(start);
        }
        counted.deepest = counted.deepest.max(depth);
        if depth > stop {
            break;
        }
        if VOID.contains(&lower) {
            continue;
        }
        open.push(name);
        at = match contents_of(lower) {
            Contents::Markup => continue,
            Contents::Text => text_end(bytes, at, name),
            Contents::Script => script_end(bytes, at),
            Contents::Rest => bytes.len(),
        };
    }
    counted
}

/// White space as the tokenizer sees it (carriage returns are line feeds to it).
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Where a comment whose text starts at `from` (after `<!--`) ends: `<!-->` and `<!--->`
/// at once, else after the first `-->` or `--!>`.
fn comment_end(bytes: &[u8], from: usize) -> usize {
    let rest = &bytes[from.min(bytes.len())..];
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    (0..rest.len())
        .find_map(|i| {
            if rest[i..].starts_with(b"-->") {
                Some(from + i + 3)
            } else if rest[i..].starts_with(b"--!>") {
                Some(from + i + 4)
            } else {
                None
            }
        })
        .unwrap_or(bytes.len())
}

/// Where a bogus comment (`<!…>`, `<?…>`, `</3…>`, a doctype) ends: after the first `>`.
fn bogus_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'>')
        .map_or(bytes.len(), |i| from + i + 1)
}

/// Where a tag whose name ends at `from` ends (one past its `>`), as the tokenizer reads
/// attributes: a quote opens a value only after `=`. `None` when the input ends first.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    #[derive(Clone, Copy)]
    enum State {
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Quoted(u8),
        AfterQuoted,
        Unquoted,
        SelfClosing,
    }
    let mut state = State::BeforeName;
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        state = match (state, b) {
            (State::Quoted(q), b) if b == q => State::AfterQuoted,
            (State::Quoted(q), _) => State::Quoted(q),
            (_, b'>') => return Some(i + 1),
            (State::Unquoted, b) if is_space(b) => State::BeforeName,
            (State::Unquoted, _) => State::Unquoted,
            (State::BeforeValue, b'"' | b'\'') => State::Quoted(b),
            (State::BeforeValue, b) if is_space(b) => State::BeforeValue,
            (State::BeforeValue, _) => State::Unquoted,
            (State::Name | State::AfterName, b'=') => State::BeforeValue,
            (_, b'/') => State::SelfClosing,
            (_, b) if is_space(b) => match state {
                State::Name | State::AfterName => State::AfterName,
                _ => State::BeforeName,
            },
            _ => State::Name,
        };
        i += 1;
    }
    None
}

/// Where the text of a `style`, `textarea`… element starting at `from` ends: at its end
/// tag (`</name` followed by white space, `/` or `>`, in any case), or the end.
fn text_end(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(found) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + found;
        if end_tag_named(bytes, start, name) {
            return start;
        }
        at = start + 1;
    }
    bytes.len()
}

/// Whether `</name` followed by white space, `/` or `>` starts at `at`.
fn end_tag_named(bytes: &[u8], at: usize, name: &str) -> bool {
    let rest = &bytes[at..];
    rest.starts_with(b"</")
        && rest.len() > 2 + name.len()
        && rest[2..2 + name.len()].eq_ignore_ascii_case(name.as_bytes())
        && matches!(
            rest[2 + name.len()],
            b'/' | b'>' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' '
        )
}

/// Where a script's text starting at `from` ends, through the script data's escapes: after
/// `<!--`, a `<script>` starts a part where `</script>` does not end it, until `-->`.
fn script_end(bytes: &[u8], from: usize) -> usize {
    #[derive(PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let opens_script = |at: usize| {
        let rest = &bytes[at..];
        rest.len() > 7
            && rest[1..7].eq_ignore_ascii_case(b"script")
            && matches!(
                rest[7],
                b'/' | b'>' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' '
            )
    };
    let mut state = State::Data;
    let mut i = from;
    while i < bytes.len() {
        let rest = &bytes[i..];
        match state {
            State::Data if rest.starts_with(b"<!--") => {
                state = State::Escaped;
                // `<!--` leaves its two dashes for a `-->` to end on.
                i += 2;
                continue;
            }
            State::Data | State::Escaped if end_tag_named(bytes, i, "script") => return i,
            State::Escaped if rest[0] == b'<' && opens_script(i) => {
                state = State::DoubleEscaped;
                i += 7;
                continue;
            }
            State::DoubleEscaped if end_tag_named(bytes, i, "script") => {
                state = State::Escaped;
                i += 8;
                continue;
            }
            State::Escaped | State::DoubleEscaped if rest.starts_with(b"-->") => {
                state = State::Data;
                i += 3;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Closes the innermost element where the start tag `lower` (in lower case) surely
/// closes it.
fn close_implied(lower: &str, open: &mut Vec<&str>) {
    let top_is =
        |open: &Vec<&str>, names: &[&str]| open.last().is_some_and(|n| is_one_of(n, names));
    if top_is(open, &["p"]) && CLOSES_P.contains(&lower) {
        open.pop();
    }
    let closed: &[&[&str]] = match lower {
        "li" => &[&["li"]],
        "dt" | "dd" => &[&["dt", "dd"]],
        "td" | "th" => &[&["td", "th"]],
        "tr" => &[&["td", "th"], &["tr"]],
        "tbody" | "thead" | "tfoot" => &[&["td", "th"], &["tr"], &["tbody", "thead", "tfoot"]],
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => &[HEADINGS],
        _ => &[],
    };
    for names in closed {
        if top_is(open, names) {
            open.pop();
        }
    }
}

/// The elements the parser adds between the innermost element `parent` and a table part
/// `lower` (in lower case: `<table><td>` gets a `tbody` and a `tr`).
fn implied_parents(lower: &str, parent: &str) -> &'static [&'static str] {
    let in_section = is_one_of(parent, &["tbody", "thead", "tfoot"]);
    match lower {
        "td" | "th" if parent.eq_ignore_ascii_case("tr") => &[],
        "td" | "th" if in_section => &["tr"],
        "td" | "th" => &["tbody", "tr"],
        "tr" if in_section => &[],
        "tr" => &["tbody"],
        "col" if !parent.eq_ignore_ascii_case("colgroup") => &["colgroup"],
        _ => &[],
    }
}

/// How much HTML the parser reads between looks at the depth: past the limit, the depth
/// can grow by at most one element per tag of it before reading stops.
const CHUNK: usize = 16 * 1024;

/// The parser's own answer: html5ever reads the HTML into [`Depths`], which keeps no tree,
/// only each node's parent and the height below it; reading stops at the first chunk after
/// the depth passed the limit.
fn parsed_depth(html: &str) -> Result<(), TooDeep> {
    let depths = Depths::default();
    let mut parser = html5ever::parse_document(&depths, Default::default());
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..cut]));
        rest = &rest[cut..];
        if let Some(line) = depths.too_deep.get() {
            return Err(TooDeep { line });
        }
    }
    parser.finish();
    match depths.too_deep.get() {
        Some(line) => Err(TooDeep { line }),
        None => Ok(()),
    }
}

/// A node as [`Depths`] keeps it.
struct Node {
    /// An element (rather than the document, a comment, a template's contents): what
    /// counts in depths.
    element: bool,
    name: QualName,
    parent: Option<usize>,
    children: Vec<usize>,
    /// The most levels below it (0 for a leaf).
    height: usize,
    annotation_integration: bool,
    template_contents: Option<usize>,
}

/// A tree sink that keeps the shape of the tree and nothing of its contents, and notes
/// the line where an element is first placed more than [`MAX_HTML_DEPTH`] below `body`.
#[derive(Default)]
struct Depths {
    nodes: RefCell<Vec<Node>>,
    line: Cell<usize>,
    too_deep: Cell<Option<usize>>,
}

/// Node 0 is the document: `html` is at depth 1, `body` 2, the elements below.
const BELOW_BODY: usize = 2;

impl Depths {
    fn add(&self, name: QualName, flags: &ElementFlags) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        if nodes.is_empty() {
            nodes.push(Node::new(QualName::new(None, ns!(), local_name!(""))));
        }
        let mut node = Node::new(name);
        node.annotation_integration = flags.mathml_annotation_xml_integration_point;
        nodes.push(node);
        nodes.len() - 1
    }

    fn add_element(&self, name: QualName, flags: &ElementFlags) -> usize {
        let node = self.add(name, flags);
        self.nodes.borrow_mut()[node].element = true;
        node
    }

    /// Puts `child` (with what is below it) under `parent`.
    fn place(&self, parent: usize, child: usize) {
        if self.too_deep.get().is_some() {
            return;
        }
        let mut nodes = self.nodes.borrow_mut();
        if let Some(old) = nodes[child].parent.take() {
            nodes[old].children.retain(|&c| c != child);
        }
        nodes[child].parent = Some(parent);
        nodes[parent].children.push(child);
        if !nodes[child].element {
            return;
        }
        // Its depth, by its ancestors (at most the limit and a chunk of them).
        let mut depth = 1;
        let mut up = parent;
        while let Some(p) = nodes[up].parent {
            depth += 1;
            up = p;
        }
        if depth + nodes[child].height > MAX_HTML_DEPTH + BELOW_BODY {
            self.too_deep.set(Some(self.line.get().max(1)));
            return;
        }
        // The heights above it.
        let mut height = nodes[child].height + 1;
        let mut up = Some(parent);
        while let Some(p) = up {
            if nodes[p].height >= height {
                break;
            }
            nodes[p].height = height;
            height += 1;
            up = nodes[p].parent;
        }
    }

    fn parent_of(&self, node: usize) -> Option<usize> {
        self.nodes.borrow()[node].parent
    }
}

impl Node {
    fn new(name: QualName) -> Node {
        Node {
            element: false,
            name,
            parent: None,
            children: Vec::new(),
            height: 0,
            annotation_integration: false,
            template_contents: None,
        }
    }
}

impl TreeSink for &Depths {
    type Handle = usize;
    type Output = ();
    type ElemName<'a>
        = Ref<'a, QualName>
    where
        Self: 'a;

    fn finish(self) {}

    fn parse_error(&self, _message: Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        if nodes.is_empty() {
            nodes.push(Node::new(QualName::new(None, ns!(), local_name!(""))));
        }
        0
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Ref<'a, QualName> {
        Ref::map(self.nodes.borrow(), |nodes| &nodes[*target].name)
    }

    fn create_element(&self, name: QualName, _attrs: Vec<Attribute>, flags: ElementFlags) -> usize {
        let node = self.add_element(name, &flags);
        if flags.template {
            // A template's contents are a tree of their own (as deep as a document's).
            let contents = self.add(QualName::new(None, ns!(), local_name!("")), &flags);
            self.nodes.borrow_mut()[node].template_contents = Some(contents);
        }
        node
    }

    fn create_comment(&self, _text: StrTendril) -> usize {
        self.add(
            QualName::new(None, ns!(), local_name!("")),
            &ElementFlags::default(),
        )
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.add(
            QualName::new(None, ns!(), local_name!("")),
            &ElementFlags::default(),
        )
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        if let NodeOrText::AppendNode(child) = child {
            self.place(*parent, child);
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &usize,
        prev_element: &usize,
        child: NodeOrText<usize>,
    ) {
        match self.parent_of(*element) {
            Some(parent) => self.append(&parent, child),
            None => self.append(prev_element, child),
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &usize) -> usize {
        self.nodes.borrow()[*target]
            .template_contents
            .unwrap_or(*target)
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &usize, new_node: NodeOrText<usize>) {
        if let Some(parent) = self.parent_of(*sibling) {
            self.append(&parent, new_node);
        }
    }

    fn add_attrs_if_missing(&self, _target: &usize, _attrs: Vec<Attribute>) {}

    fn remove_from_parent(&self, target: &usize) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(old) = nodes[*target].parent.take() {
            nodes[old].children.retain(|c| c != target);
        }
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let children = std::mem::take(&mut self.nodes.borrow_mut()[*node].children);
        for child in children {
            self.nodes.borrow_mut()[child].parent = None;
            self.place(*new_parent, child);
        }
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &usize) -> bool {
        self.nodes.borrow()[*handle].annotation_integration
    }

    fn set_current_line(&self, line: u64) {
        self.line.set(usize::try_from(line).unwrap_or(usize::MAX));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_nesting_past_the_limit_is_refused_with_its_line() {
        let nested =
            |n: usize, open: &str, close: &str| format!("{}x{}", open.repeat(n), close.repeat(n));
        assert_eq!(check_html_depth(&nested(512, "<div>", "</div>")), Ok(()));
        let deep = format!("<p>a</p>\n{}", nested(513, "<div class=\"a>b\">", "</div>"));
        assert_eq!(check_html_depth(&deep), Err(TooDeep { line: 2 }));
        assert_eq!(
            check_html_depth(&"<div>\n".repeat(100_000)),
            Err(TooDeep { line: 513 })
        );
        assert_eq!(
            TooDeep { line: 7 }.to_string(),
            "its HTML nests more than 512 elements deep, deeper than browsers show: flatten that markup"
        );
    }

    #[test]
    fn what_the_parser_closes_or_never_opens_does_not_nest() {
        for flat in [
            "<p>para".repeat(3000),
            format!("<ul>{}</ul>", "<li>item".repeat(3000)),
            format!("<dl>{}</dl>", "<dt>term<dd>def".repeat(3000)),
            format!("<table>{}</table>", "<tr><td>a<td>b".repeat(3000)),
            "<h2>a<h3>b".repeat(3000),
            "<br><img src=x><hr><input>".repeat(3000),
            format!("<script>{}</script>", "<div>".repeat(3000)),
            format!("<!--{}-->", "<div>".repeat(3000)),
            "a < b and <3 and </ and <!x>".repeat(3000),
        ] {
            assert_eq!(scan(&flat), Scan::Within, "{}", &flat[..40]);
            assert_eq!(check_html_depth(&flat), Ok(()));
        }
        // Sloppy markup the count takes for deeper than it is: the parser says.
        for sloppy in [
            "<p><b>bold</p>".repeat(500),
            "<a href=x>link".repeat(1000),
            format!("<svg>{}</svg>", "<path d=\"M0\"/><g/>".repeat(3000)),
            format!("<svg><style>{}", "<div><style>".repeat(1000)),
        ] {
            assert_ne!(scan(&sloppy), Scan::Within, "{}", &sloppy[..40]);
            assert_eq!(check_html_depth(&sloppy), Ok(()), "{}", &sloppy[..40]);
        }
    }

    #[test]
    fn what_the_parser_nests_is_counted_however_it_is_written() {
        for deep in [
            "<div/>".repeat(600),
            "<table><tr><td>".repeat(130),
            format!("<svg>{}", "<g>".repeat(600)),
            format!("<svg><foreignObject>{}", "<div/>".repeat(600)),
            // Formatting elements the parser opens again in the next paragraph.
            format!(
                "<p>{}</p><p>{}",
                (0..300).map(|i| format!("<b id={i}>")).collect::<String>(),
                (0..300).map(|i| format!("<i id={i}>")).collect::<String>()
            ),
            // Tokenizer corners where a sloppier scan would skip what the parser reads.
            "<div \"><div>".repeat(600),
            format!("<!--!><title>-->{}", "<div>".repeat(600)),
            format!("<!-- --!>{}-->", "<div>".repeat(600)),
            format!("</3 <title>{}", "<div>".repeat(600)),
            format!(
                "<script><!--<script></script><title></script>{}",
                "<div>".repeat(600)
            ),
            format!("<title></titles>{}</title>{}", "<x>", "<div>".repeat(600)),
        ] {
            assert!(check_html_depth(&deep).is_err(), "{}", &deep[..40]);
        }
    }

    /// The depth html5ever builds (through htmd, as the importer reads HTML) is never more
    /// than the scan's count: on shapes where the parser adds or reopens elements, and on
    /// random markup of pieces the parser treats specially.
    #[test]
    fn the_count_is_never_below_the_parsers_depth() {
        for shape in [
            "<table><td>x".repeat(50),
            "<table><tr>x".repeat(50),
            "<table><tbody><td>x".repeat(50),
            "<table><col><td>x".repeat(50),
            "<p><b>x</p><h2>y<h2>z".repeat(50),
            "<div><b>x</div><li>y<li>z".repeat(50),
            "<ul><li><i>x</ul><dd>y<dt>z".repeat(50),
        ] {
            let (count, depth) = (count_of(&shape), parser_depth(&shape));
            assert!(depth <= count, "{depth} > {count} for {}", &shape[..40]);
        }
        // Start tags come up more often than the rest, so the markup nests.
        let starts = [
            "<div>",
            "<p>",
            "<b>",
            "<b class=x>",
            "<i>",
            "<em>",
            "<font color=red>",
            "<font color=blue>",
            "<a href=y>",
            "<ul>",
            "<li>",
            "<dl>",
            "<dt>",
            "<dd>",
            "<table>",
            "<tr>",
            "<td>",
            "<th>",
            "<tbody>",
            "<caption>",
            "<col>",
            "<colgroup>",
            "<style>",
            "<title>",
            "<script>",
            "<textarea>",
            "<noscript>",
            "<h1>",
            "<h2>",
            "<option>",
            "<blockquote>",
            "<pre>",
            "<button>",
            "<form>",
            "<nobr>",
            "<object>",
            "<iframe>",
            "<xmp>",
            "<body>",
            "<html>",
            "<head>",
            "<image>",
            "<div/>",
            "<p/>",
        ];
        let others = [
            "</div>",
            "</p>",
            "</b>",
            "</i>",
            "</font>",
            "</a>",
            "</ul>",
            "</li>",
            "</dl>",
            "</table>",
            "</tr>",
            "</td>",
            "</style>",
            "</title>",
            "</script>",
            "</noscript>",
            "<!--",
            "-->",
            "--!>",
            "</h2>",
            "<br>",
            "<img src=x>",
            "</blockquote>",
            "</iframe>",
            "</body>",
            "</object>",
            "</button>",
            "<!x>",
            "<?x>",
            "</3>",
            "\"",
            "'",
            "=",
            "x",
            " ",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..250 {
            let html: String = (0..400)
                .map(|_| {
                    let pieces: &[&str] = if next() % 3 == 0 { &others } else { &starts };
                    pieces[(next() % pieces.len() as u64) as usize]
                })
                .collect();
            let (count, depth) = (count_of(&html), parser_depth(&html));
            assert!(depth <= count, "{depth} > {count} for {html}");
        }
    }

    /// The parser's answer, from a sink that keeps no tree, is the depth of the tree htmd
    /// builds, on random markup around the limit (SVG, MathML and the rest included).
    #[test]
    fn the_parsers_answer_is_the_depth_of_its_tree() {
        let pieces = [
            "<div>",
            "<div>",
            "<div>",
            "</div>",
            "<p>",
            "</p>",
            "<b>",
            "</b>",
            "<b id=1>",
            "<i>",
            "</i>",
            "<table>",
            "<tr>",
            "<td>",
            "</td>",
            "</table>",
            "<svg>",
            "</svg>",
            "<g>",
            "<g/>",
            "<foreignObject>",
            "<math>",
            "<mi>",
            "<annotation-xml>",
            "<annotation-xml encoding=text/html>",
            "<select>",
            "<option>",
            "</select>",
            "<template>",
            "</template>",
            "<ul>",
            "<li>",
            "<h1>",
            "<h2>",
            "<style>",
            "</style>",
            "<title>",
            "</title>",
            "<a href=x>",
            "</a>",
            "<object>",
            "x",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut deeper = 0;
        for around in [440, 480, 500, 510] {
            for _ in 0..10 {
                let html = "<div>".repeat(around)
                    + &(0..600)
                        .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                        .collect::<String>();
                let depth = parser_depth(&html);
                deeper += usize::from(depth > MAX_HTML_DEPTH);
                assert_eq!(
                    parsed_depth(&html).is_err(),
                    depth > MAX_HTML_DEPTH,
                    "{depth} for {html}"
                );
            }
        }
        assert!((10..30).contains(&deeper), "{deeper} of 40 too deep");
    }

    /// The depth of the elements html5ever builds below `body`, as htmd parses.
    fn parser_depth(html: &str) -> usize {
        let tree = htmd::HtmlToMarkdown::new().html_to_tree(html).unwrap();
        let mut deepest = 0;
        // The tree is kept whole while walked: a node dropped takes its subtree along.
        let mut stack = vec![(tree.clone(), 0usize)];
        while let Some((node, depth)) = stack.pop() {
            if matches!(node.data, markup5ever_rcdom::NodeData::Element { .. }) {
                deepest = deepest.max(depth);
            }
            for child in node.children.borrow().iter() {
                stack.push((child.clone(), depth + 1));
            }
        }
        // Below `html` and `body`.
        deepest.saturating_sub(2)
    }

    /// The scan's highest count for `html`.
    fn count_of(html: &str) -> usize {
        let counted = count(html, usize::MAX);
        assert!(!counted.unsure);
        counted.deepest
    }
}
