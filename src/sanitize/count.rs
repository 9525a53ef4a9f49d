//! What the sanitizer removed, told by comparing the start tags written (html5ever's
//! tokenizer, as a browser reads them) with the elements kept; and the tokenizer itself,
//! which `tags` uses to read one tag.
//!
//! Invariant: counting only reports; nothing here decides what is kept.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use markup5ever_rcdom::{Handle, NodeData};

use super::{FRAME_ATTRIBUTES, SCHEMES, is_url_attribute};

/// One kind of thing the sanitizer removed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Removal {
    /// An element (`script`), and with it whatever of it could run.
    Element(String),
    /// An `<iframe>` from a host that is not an allowed player, by its host (empty when
    /// it had no web address).
    Frame(String),
    /// An event handler attribute (`onerror`).
    Handler(String),
    /// A URL of a scheme that is not allowed there (`javascript`).
    Scheme(String),
    /// Any other attribute (`srcdoc`; all `data-…` ones as `data-*`).
    Attribute(String),
    /// Markup that would not come out safe however often it was cleaned, kept as plain
    /// text.
    Markup,
}

impl fmt::Display for Removal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Removal::Element(name) => write!(f, "<{name}>"),
            Removal::Frame(host) if host.is_empty() => f.write_str("<iframe>"),
            Removal::Frame(host) => write!(f, "<iframe> from {host}"),
            Removal::Handler(name) | Removal::Attribute(name) => f.write_str(name),
            Removal::Scheme(scheme) => write!(f, "{scheme}: URL"),
            Removal::Markup => f.write_str("markup that would not come out safe (kept as text)"),
        }
    }
}

impl Removal {
    /// What removing `attribute="value"` from an element it was on takes away.
    pub(super) fn of_attribute(attribute: &str, value: &str) -> Removal {
        let attribute = attribute.to_ascii_lowercase();
        if attribute.starts_with("on") {
            return Removal::Handler(attribute);
        }
        if is_url_attribute(&attribute)
            && let Ok(url) = url::Url::parse(value)
            && (url.scheme() == "data" || !SCHEMES.contains(url.scheme()))
        {
            return Removal::Scheme(url.scheme().to_string());
        }
        if attribute.starts_with("data-") {
            return Removal::Attribute("data-*".into());
        }
        Removal::Attribute(attribute)
    }

    /// An `<iframe>` with `src`, removed.
    pub(super) fn of_frame(src: Option<&str>) -> Removal {
        let host = src
            .and_then(|s| url::Url::parse(s).ok())
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        Removal::Frame(host)
    }
}

/// What the sanitizer removed from one text, counted by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed(BTreeMap<Removal, usize>);

impl Removed {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn add(&mut self, removal: Removal) {
        *self.0.entry(removal).or_default() += 1;
    }

    pub fn merge(&mut self, other: Removed) {
        for (removal, count) in other.0 {
            *self.0.entry(removal).or_default() += count;
        }
    }

    /// Each kind with its count, elements first, then frames, handlers, URLs, attributes.
    pub fn counts(&self) -> impl Iterator<Item = (&Removal, usize)> {
        self.0.iter().map(|(r, c)| (r, *c))
    }
}

/// `<script> ×2, <iframe> from evil.example, onerror, javascript: URL ×3`.
impl fmt::Display for Removed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (removal, count)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{removal}")?;
            if *count > 1 {
                write!(f, " ×{count}")?;
            }
        }
        Ok(())
    }
}

/// An element as counted: its name and attributes.
type Counted = (String, Vec<(String, String)>);

/// The start tags of `html`, as a browser's tokenizer reads them.
pub(super) fn start_tags(html: &str) -> Vec<Counted> {
    tokenize(html, false)
        .into_iter()
        .filter_map(|t| match t {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => Some((
                tag.name.to_string(),
                tag.attrs
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect(),
            )),
            _ => None,
        })
        .collect()
}

/// The elements of a tree, in document order.
pub(super) fn elements(root: &Handle) -> Vec<Counted> {
    let mut found = Vec::new();
    let mut stack: Vec<Handle> = root.children.borrow().iter().rev().cloned().collect();
    while let Some(node) = stack.pop() {
        if let NodeData::Element { name, attrs, .. } = &node.data {
            found.push((
                name.local.to_string(),
                attrs
                    .borrow()
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect(),
            ));
        }
        stack.extend(node.children.borrow().iter().rev().cloned());
    }
    found
}

/// How far ahead an element is looked for among those of its name the sanitizer kept:
/// the parser adds some (an implied `<p>`) that were never written.
const LOOKAHEAD: usize = 8;

/// What is in `before` (the start tags written) and not in `after` (the elements kept):
/// elements of a name are matched in order, an element written to the one kept from it —
/// the same attributes, or fewer and none changed.
pub(super) fn compare(before: Vec<Counted>, after: Vec<Counted>) -> Removed {
    let mut kept: HashMap<&str, Vec<&[(String, String)]>> = HashMap::new();
    for (name, attrs) in &after {
        kept.entry(name.as_str()).or_default().push(attrs);
    }
    let mut next: HashMap<&str, usize> = HashMap::new();
    let mut removed = Removed::default();
    for (name, attrs) in &before {
        let candidates = kept.get(name.as_str()).map_or(&[][..], Vec::as_slice);
        let from = next.get(name.as_str()).copied().unwrap_or(0);
        let window =
            &candidates[from.min(candidates.len())..(from + LOOKAHEAD).min(candidates.len())];
        let found = window
            .iter()
            .position(|k| k.len() == attrs.len() && made_from(attrs, k))
            .or_else(|| window.iter().position(|k| made_from(attrs, k)));
        match found {
            Some(i) => {
                next.insert(name.as_str(), from + i + 1);
                for (attr, value) in attrs {
                    if !window[i].iter().any(|(k, _)| k == attr) {
                        removed.add(Removal::of_attribute(attr, value));
                    }
                }
            }
            None if name == "iframe" => removed.add(Removal::of_frame(
                attrs
                    .iter()
                    .find(|(a, _)| a == "src")
                    .map(|(_, v)| v.as_str()),
            )),
            None => removed.add(Removal::Element(name.clone())),
        }
    }
    removed
}

/// Whether `kept` can be what the sanitizer made of an element written with `written`:
/// each attribute it has was written with that value (a `style` may have lost some of
/// its properties; a frame's own attributes are set whatever was written).
fn made_from(written: &[(String, String)], kept: &[(String, String)]) -> bool {
    kept.iter().all(|(name, value)| {
        FRAME_ATTRIBUTES.iter().any(|(n, _)| n == name)
            || written
                .iter()
                .any(|(n, v)| n == name && (v == value || name == "style"))
    })
}

/// The tokens of `html` as a browser's tokenizer reads them in a page's body (the text of
/// a `<script>` or `<style>` is text), parse errors left out.
pub(super) fn tokens(html: &str) -> Vec<Token> {
    tokenize(html, true)
}

/// The tokens of `html` ([`tokens`]), or only its start tags.
fn tokenize(html: &str, all: bool) -> Vec<Token> {
    let sink = Collect {
        all,
        ..Collect::default()
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html.into());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.tokens.take()
}

#[derive(Default)]
struct Collect {
    /// Every token, or only start tags (what is counted of a whole post).
    all: bool,
    tokens: RefCell<Vec<Token>>,
    /// How many `<svg>` and `<math>` are open: inside them `<style>` is not raw text.
    foreign: Cell<usize>,
}

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut result = TokenSinkResult::Continue;
        match &token {
            Token::ParseError(_) | Token::EOFToken => return result,
            Token::TagToken(tag) => {
                let foreign = matches!(&*tag.name, "svg" | "math");
                match tag.kind {
                    TagKind::StartTag if foreign && !tag.self_closing => {
                        self.foreign.set(self.foreign.get() + 1);
                    }
                    TagKind::StartTag if self.foreign.get() == 0 => result = raw_state(&tag.name),
                    TagKind::EndTag if foreign => {
                        self.foreign.set(self.foreign.get().saturating_sub(1));
                    }
                    _ => {}
                }
            }
            _ if !self.all => return result,
            _ => {}
        }
        if self.all || matches!(&token, Token::TagToken(t) if t.kind == TagKind::StartTag) {
            self.tokens.borrow_mut().push(token);
        }
        result
    }
}

/// The state a browser's tokenizer goes into after the start tag `name`.
fn raw_state(name: &str) -> TokenSinkResult<()> {
    match name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => TokenSinkResult::Continue,
    }
}
