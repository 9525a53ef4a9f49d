//! The one HTML sanitizer: an allow-list (ammonia, configured once) of what Gazette's own
//! Markdown rendering and the importers' output need, and nothing that runs.
//!
//! Imported HTML always goes through it (the importer, once per post); hand-written
//! articles only with `[markdown] safe_html` (the content stage, once per article load).
//! Three ways in:
//! - [`clean`]: a whole fragment (a WordPress post, a Hugo `.html` file), with a count of
//!   what was removed ([`Removed`]) and the result as a tree for the Markdown converter.
//! - [`clean_html`]: the same decisions, uncounted (rendered articles with `safe_html`).
//! - [`clean_tags`]: raw HTML inside Markdown, tag by tag, keeping every byte that is safe
//!   and never closing or balancing anything (a `<div>` whose contents are Markdown
//!   blocks keeps its structure); each tag is judged by the same configuration.
//!
//! Invariants:
//! - Every decision about elements, attributes and URL schemes is ammonia's, from
//!   [`BUILDER`]; this module only adds what ammonia cannot say: which hosts an `<iframe>`
//!   may show ([`EMBED_HOSTS`], everything else removed whole, never left as an empty
//!   frame), the attributes every such frame gets ([`FRAME_ATTRIBUTES`]), and that a
//!   `data:` URL is an image's `src` or nothing.
//! - Nothing kept can run script: no `<script>`, no `on…` handler, no `javascript:`,
//!   `vbscript:` or (outside `<img src>`) `data:` URL, no element parsed as raw text but
//!   a sanitized `<iframe>`, no SVG or MathML (whose parsing rules are where sanitizers
//!   have been fooled).
//! - Counting never decides: [`Removed`] compares what went in with what came out, so a
//!   miscount can only misreport, never let anything through.
//! - Deterministic: the same input gives the same bytes and the same counts.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::sync::{LazyLock, Mutex};

use html5ever::tendril::TendrilSink;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{QualName, local_name, ns};
use markup5ever_rcdom::{Handle, NodeData, RcDom, SerializableHandle};

/// Hosts an `<iframe>` may show, each with the path its players live under. Anything
/// else is removed whole: a frame runs its page's script, so each host is trusted.
/// - YouTube (`www.youtube.com`) and its cookie-less twin (`www.youtube-nocookie.com`,
///   what Hugo's and Zola's `youtube` shortcodes become): the video player newsrooms embed
///   most, at `/embed/<id>`.
/// - Vimeo's player (`player.vimeo.com`, at `/video/<id>`): the other one Hugo and Zola
///   have shortcodes for.
pub const EMBED_HOSTS: &[(&str, &str)] = &[
    ("www.youtube.com", "/embed/"),
    ("www.youtube-nocookie.com", "/embed/"),
    ("player.vimeo.com", "/video/"),
];

/// What every kept `<iframe>` gets, whatever it had: a sandbox with only what the players
/// need (their own scripts and storage, a new tab for "watch on YouTube", casting), the
/// features they use, full screen, lazy loading, and the origin as referrer (YouTube
/// refuses to play without one).
pub const FRAME_ATTRIBUTES: &[(&str, &str)] = &[
    (
        "sandbox",
        "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation",
    ),
    (
        "allow",
        "autoplay; encrypted-media; fullscreen; picture-in-picture",
    ),
    ("allowfullscreen", ""),
    ("loading", "lazy"),
    ("referrerpolicy", "strict-origin-when-cross-origin"),
];

/// Style properties kept in `style` attributes (tables align their columns with them;
/// imported posts colour and size things): none moves an element out of its place or
/// loads anything.
const STYLE_PROPERTIES: &[&str] = &[
    "text-align",
    "vertical-align",
    "color",
    "background-color",
    "font-style",
    "font-weight",
    "text-decoration",
    "width",
    "height",
    "max-width",
];

/// The configured sanitizer, made once.
pub static BUILDER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(builder);

/// ammonia's defaults (text, links, lists, tables, quotes, code, figures, `details`,
/// `abbr`, `mark`, `sup`/`sub`…) and what Gazette's Markdown and the importers add.
fn builder() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags([
        "address", "audio", "big", "iframe", "picture", "section", "source", "tfoot", "track",
        "video",
    ])
    .add_clean_content_tags(["noscript", "template"])
    // Heading ids (links to sections), classes (highlighted code, footnotes), tables'
    // alignment.
    .add_generic_attributes(["class", "id", "dir", "role", "style"])
    .add_generic_attribute_prefixes(["aria-"])
    .add_tag_attributes("a", ["target", "rel", "name", "download"])
    .add_tag_attributes(
        "img",
        [
            "srcset",
            "sizes",
            "loading",
            "decoding",
            "fetchpriority",
            "border",
        ],
    )
    .add_tag_attributes(
        "video",
        [
            "src",
            "poster",
            "controls",
            "width",
            "height",
            "preload",
            "loop",
            "muted",
            "playsinline",
            "autoplay",
        ],
    )
    .add_tag_attributes(
        "audio",
        ["src", "controls", "preload", "loop", "muted", "autoplay"],
    )
    .add_tag_attributes(
        "source",
        ["src", "srcset", "sizes", "media", "type", "width", "height"],
    )
    .add_tag_attributes("track", ["src", "kind", "srclang", "label", "default"])
    .add_tag_attributes(
        "iframe",
        [
            "src",
            "width",
            "height",
            "frameborder",
            "allow",
            "allowfullscreen",
            "loading",
            "referrerpolicy",
            "sandbox",
        ],
    )
    .add_tag_attributes("details", ["open"])
    .add_tag_attributes("ol", ["reversed", "type"])
    .add_tag_attributes("li", ["value"])
    .add_tag_attributes("time", ["datetime"])
    .add_tag_attributes("table", ["border", "cellpadding", "cellspacing", "width"])
    .add_tag_attributes("td", ["width", "valign"])
    .add_tag_attributes("th", ["width", "valign"])
    .add_tag_attributes("tr", ["valign"])
    .add_tag_attributes("col", ["width"])
    .add_tag_attributes("colgroup", ["width"])
    // `data:` only passes ammonia's scheme check so that the filter can keep it where it
    // is an image's picture.
    .add_url_schemes(["data"])
    .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
    // Comments are inert, and `<!-- more -->` marks where a summary ends.
    .strip_comments(false)
    // Links keep what they say (browsers no longer give a new tab its opener).
    .link_rel(None)
    .attribute_filter(|element, attribute, value| {
        let keep = match url::Url::parse(value) {
            Ok(url) if url.scheme() == "data" && is_url_attribute(attribute) => {
                data_allowed(element, attribute, &url)
            }
            _ => true,
        };
        keep.then_some(Cow::Borrowed(value))
    });
    b
}

/// A `data:` URL is kept only as an image's picture (an image runs no script; a link,
/// frame or video to one could show a page of the URL's own making).
fn data_allowed(element: &str, attribute: &str, url: &url::Url) -> bool {
    element == "img"
        && attribute == "src"
        && url
            .path()
            .get(..6)
            .is_some_and(|mime| mime.eq_ignore_ascii_case("image/"))
}

/// Attributes whose value a browser follows as a URL.
fn is_url_attribute(attribute: &str) -> bool {
    matches!(
        attribute,
        "href" | "src" | "poster" | "action" | "formaction" | "data" | "xlink:href" | "background"
    )
}

/// The schemes a URL may have, as configured.
static SCHEMES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| BUILDER.clone_url_schemes());

/// Elements kept, as configured.
static TAGS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| BUILDER.clone_tags());

/// Elements removed with everything in them, as configured.
static CONTENT_DROPPED: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| BUILDER.clone_clean_content_tags());

/// Whether `url` may stand in `element`'s `attribute` (a Markdown link is an `a`'s
/// `href`, a Markdown image an `img`'s `src`): the check ammonia makes of every URL it
/// keeps — the scheme among the configured ones, or a relative URL — and the filter's
/// rule for `data:`. (`url_checks_agree_with_the_sanitizer` holds the two together.)
pub fn url_allowed(element: &str, attribute: &str, url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(parsed) => {
            SCHEMES.contains(parsed.scheme())
                && (parsed.scheme() != "data" || data_allowed(element, attribute, &parsed))
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => BUILDER.is_url_relative_pass_through(),
        Err(_) => false,
    }
}

/// What removing the link or image address `url` (a Markdown link's) takes away.
pub fn url_removal(url: &str) -> Removal {
    Removal::of_attribute("href", url)
}

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
    fn of_attribute(attribute: &str, value: &str) -> Removal {
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
    fn of_frame(src: Option<&str>) -> Removal {
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

/// A fragment of HTML, sanitized: the tree a browser builds of the safe HTML, and what
/// was removed to make it.
pub struct Cleaned {
    pub removed: Removed,
    dom: RcDom,
}

impl Cleaned {
    /// The tree's document node (holding an `html` element that holds the fragment).
    pub fn document(&self) -> Handle {
        self.dom.document.clone()
    }

    /// The root of the fragment's tree (an `html` element holding its nodes).
    pub fn root(&self) -> Handle {
        fragment_root(&self.dom)
    }

    pub fn html(&self) -> String {
        serialize(&self.root())
    }
}

/// Sanitizes a fragment of HTML and counts what was removed.
pub fn clean(html: &str) -> Cleaned {
    let before = start_tags(html);
    let dom = parse_fragment(&BUILDER.clean(html).to_string());
    settle_frames(&fragment_root(&dom));
    let after = elements(&fragment_root(&dom));
    Cleaned {
        removed: compare(before, after),
        dom,
    }
}

/// Sanitizes a fragment of HTML, nothing counted.
pub fn clean_html(html: &str) -> String {
    let cleaned = BUILDER.clean(html).to_string();
    // Ammonia's output spells every frame `<iframe`; without one there is nothing to do.
    if !cleaned.contains("<iframe") {
        return cleaned;
    }
    let dom = parse_fragment(&cleaned);
    let root = fragment_root(&dom);
    settle_frames(&root);
    serialize(&root)
}

/// A change [`clean_tags`] makes: the bytes `range` of its input become `with`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub with: String,
}

/// What [`clean_tags`] makes of a piece of HTML.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TagEdits {
    /// In order, not overlapping; none when the piece is safe as it is.
    pub edits: Vec<Edit>,
    pub removed: Removed,
    /// An element removed with its contents (`script`), or a frame, whose end is not in
    /// the piece: what follows, up to its end tag, belongs to it (and is never shown).
    pub open: Option<String>,
}

impl TagEdits {
    /// The piece with the edits made.
    pub fn apply(&self, piece: &str) -> String {
        apply(piece, &self.edits)
    }
}

/// Applies non-overlapping, ordered edits to `text`.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.with);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Sanitizes raw HTML as it stands in Markdown — a piece that may open an element another
/// piece closes — tag by tag: text is kept as it is; each tag as written when the
/// sanitizer keeps it whole, else as the sanitizer writes it, or not at all; elements
/// removed with their contents (`<script>`) are removed up to their end tag.
pub fn clean_tags(html: &str) -> TagEdits {
    let mut result = TagEdits::default();
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let Some(kind) = Piece::at(&html[start..]) else {
            at = start + 1;
            continue;
        };
        let end = kind.end(html, start);
        at = end;
        let piece = &html[start..end];
        let tokens = tokens(piece);
        let edit = |with: String| Edit {
            range: start..end,
            with,
        };
        match (kind, tokens.as_slice()) {
            (Piece::StartTag, [Token::TagToken(tag)]) if tag.kind == TagKind::StartTag => {
                let (verdict, removed) = start_tag(piece, tag);
                result.removed.merge(removed);
                match verdict {
                    Verdict::Keep => {}
                    Verdict::Write(with) => result.edits.push(edit(with)),
                    Verdict::Remove(removal) => {
                        result.removed.add(removal);
                        let name = &*tag.name;
                        if !(CONTENT_DROPPED.contains(name) || name == "iframe") {
                            result.edits.push(edit(String::new()));
                            continue;
                        }
                        // Removed with everything in it, up to its end tag.
                        let close = end_of_element(html, end, name);
                        result.edits.push(Edit {
                            range: start..close.unwrap_or(html.len()),
                            with: String::new(),
                        });
                        match close {
                            Some(close) => at = close,
                            None => {
                                result.open = Some(name.to_string());
                                return result;
                            }
                        }
                    }
                    Verdict::Frame(written) => {
                        // A frame shows nothing of what is written inside it, and is
                        // closed where it stands, never left to swallow what follows.
                        let tag = written.unwrap_or_else(|| piece.to_string());
                        let close = end_of_element(html, end, "iframe");
                        let stop = close.unwrap_or(html.len());
                        let with = format!("{tag}</iframe>");
                        if with != html[start..stop] {
                            result.edits.push(Edit {
                                range: start..stop,
                                with,
                            });
                        }
                        match close {
                            Some(close) => at = close,
                            None => {
                                result.open = Some("iframe".into());
                                return result;
                            }
                        }
                    }
                }
            }
            (Piece::EndTag, [Token::TagToken(tag)]) if tag.kind == TagKind::EndTag => {
                if !TAGS.contains(&*tag.name) {
                    result.edits.push(edit(String::new()));
                }
            }
            (Piece::Comment | Piece::Other, [Token::CommentToken(_)]) => {
                if BUILDER.will_strip_comments() {
                    result.edits.push(edit(String::new()));
                }
            }
            (Piece::Other, [Token::DoctypeToken(_)]) => result.edits.push(edit(String::new())),
            // Not one token as it looked: the sanitizer makes what it can of it.
            _ => {
                let cleaned = clean(piece);
                let with = cleaned.html();
                if with != piece {
                    result.edits.push(edit(with));
                }
                result.removed.merge(cleaned.removed);
            }
        }
    }
    result
}

/// What `<` starts, as a browser's tokenizer sees it in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    StartTag,
    EndTag,
    Comment,
    /// `<!…>`, `<?…>`, `</…>` not followed by a letter: a doctype or a bogus comment.
    Other,
}

impl Piece {
    fn at(text: &str) -> Option<Piece> {
        let bytes = text.as_bytes();
        match (bytes.get(1), bytes.get(2)) {
            (Some(c), _) if c.is_ascii_alphabetic() => Some(Piece::StartTag),
            (Some(b'/'), Some(c)) if c.is_ascii_alphabetic() => Some(Piece::EndTag),
            _ if text.starts_with("<!--") => Some(Piece::Comment),
            (Some(b'!' | b'?' | b'/'), _) => Some(Piece::Other),
            _ => None,
        }
    }

    /// Where the piece starting at `start` ends (the end of `html` when it never does).
    fn end(self, html: &str, start: usize) -> usize {
        let found = match self {
            Piece::StartTag | Piece::EndTag => crate::text::html_tag_end(html, start),
            Piece::Comment => html[start + 4..].find("-->").map(|e| start + 4 + e + 3),
            Piece::Other => html[start..].find('>').map(|e| start + e + 1),
        };
        found.unwrap_or(html.len())
    }
}

/// Where the element `name` whose start tag ends at `from` ends: past its end tag.
fn end_of_element(html: &str, from: usize, name: &str) -> Option<usize> {
    let closing = format!("</{name}");
    let mut at = from;
    loop {
        let found = find_ignoring_case(&html[at..], &closing)? + at;
        let after = found + closing.len();
        // `</scripts>` does not end a script; `</script>`, `</script >` and `</script/>` do.
        if html[after..]
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_whitespace() || c == '/' || c == '>')
        {
            return Some(crate::text::html_tag_end(html, found).unwrap_or(html.len()));
        }
        at = after;
    }
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The sanitizer's judgement of one start tag.
enum Verdict {
    /// Safe exactly as written.
    Keep,
    /// Kept as the sanitizer writes it.
    Write(String),
    /// Removed.
    Remove(Removal),
    /// An `<iframe>` of an allowed player: as written when it has exactly a frame's
    /// attributes already, else as every frame is written.
    Frame(Option<String>),
}

/// Verdicts on start tags seen before, by their text: the same few tags (`<sup>`,
/// `<div class="note">`) come back in post after post.
static VERDICTS: LazyLock<Mutex<HashMap<String, Judged>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// A start tag as the sanitizer wrote it, or `None` when it removed the element.
type Judged = Option<String>;

/// How many verdicts are remembered, at most (a few kilobytes of tags).
const VERDICTS_KEPT: usize = 4096;

/// The sanitizer's judgement of the start tag `piece`, read as `tag`, and the attributes
/// it removed from an element it keeps.
fn start_tag(piece: &str, tag: &html5ever::tokenizer::Tag) -> (Verdict, Removed) {
    let name = &*tag.name;
    let mut removed = Removed::default();
    let gone = || {
        if name == "iframe" {
            Removal::of_frame(attribute(&tag.attrs, "src"))
        } else {
            Removal::Element(name.to_string())
        }
    };
    let kept = match sanitized_start_tag(piece, name).map(|written| {
        let attrs = match tokens(&written).as_slice() {
            [Token::TagToken(t)] => Some(t.attrs.clone()),
            _ => None,
        };
        (written, attrs)
    }) {
        Some((written, Some(attrs))) => (written, attrs),
        _ => return (Verdict::Remove(gone()), removed),
    };
    let (written, attrs) = kept;
    if name == "iframe" {
        let Some(settled) = frame_attributes(&attrs) else {
            return (Verdict::Remove(gone()), removed);
        };
        count_removed(&tag.attrs, &settled, &mut removed);
        let tag_text =
            (!same_attributes(&tag.attrs, &settled)).then(|| start_tag_text("iframe", &settled));
        return (Verdict::Frame(tag_text), removed);
    }
    count_removed(&tag.attrs, &attrs, &mut removed);
    if same_attributes(&tag.attrs, &attrs) {
        (Verdict::Keep, removed)
    } else {
        (Verdict::Write(written), removed)
    }
}

/// Counts the attributes of `written` that `kept` lacks.
fn count_removed(
    written: &[html5ever::Attribute],
    kept: &[html5ever::Attribute],
    removed: &mut Removed,
) {
    for attr in written {
        if !kept.iter().any(|k| k.name == attr.name) {
            removed.add(Removal::of_attribute(&attr.name.local, &attr.value));
        }
    }
}

/// The start tag `piece` of element `name` as the sanitizer writes it, or `None` when it
/// removes the element. The tag is cleaned where its element may stand (a `<td>` in a
/// row of a table), and only a sanitizer's output of exactly that one element counts.
fn sanitized_start_tag(piece: &str, name: &str) -> Judged {
    if let Some(known) = VERDICTS
        .lock()
        .expect("no thread panics holding this lock")
        .get(piece)
    {
        return known.clone();
    }
    let (open, close) = context(name);
    let out = BUILDER.clean(&format!("{open}{piece}")).to_string();
    let judged = out
        .strip_prefix(open)
        .and_then(|rest| rest.strip_suffix(close))
        .filter(|rest| {
            rest.strip_prefix('<')
                .and_then(|r| r.strip_prefix(name))
                .is_some_and(|r| r.starts_with([' ', '>']))
        })
        .and_then(|rest| {
            let end = crate::text::html_tag_end(rest, 0)?;
            let after = &rest[end..];
            (after.is_empty() || after == format!("</{name}>")).then(|| rest[..end].to_string())
        });
    let mut verdicts = VERDICTS.lock().expect("no thread panics holding this lock");
    if verdicts.len() >= VERDICTS_KEPT {
        verdicts.clear();
    }
    verdicts.insert(piece.to_string(), judged.clone());
    judged
}

/// What an element needs around it to be parsed as itself (table parts outside a table
/// are dropped by the parser), as ammonia writes it back.
fn context(name: &str) -> (&'static str, &'static str) {
    match name {
        "caption" | "colgroup" | "thead" | "tbody" | "tfoot" => ("<table>", "</table>"),
        "col" => ("<table><colgroup>", "</colgroup></table>"),
        "tr" => ("<table><tbody>", "</tbody></table>"),
        "td" | "th" => ("<table><tbody><tr>", "</tr></tbody></table>"),
        _ => ("", ""),
    }
}

fn attribute<'a>(attrs: &'a [html5ever::Attribute], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

/// The same attributes with the same values, in any order.
fn same_attributes(a: &[html5ever::Attribute], b: &[html5ever::Attribute]) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|x| b.iter().any(|y| x.name == y.name && x.value == y.value))
}

/// A start tag with `attrs`, written as the sanitizer writes them.
fn start_tag_text(name: &str, attrs: &[html5ever::Attribute]) -> String {
    let mut tag = format!("<{name}");
    for attr in attrs {
        tag.push(' ');
        tag.push_str(&attr.name.local);
        if !attr.value.is_empty() {
            tag.push_str("=\"");
            tag.push_str(&html_escape::encode_double_quoted_attribute(&*attr.value));
            tag.push('"');
        }
    }
    tag.push('>');
    tag
}

/// Whether `src` is a player of an allowed embed host, over HTTPS.
pub fn embed_allowed(src: &str) -> bool {
    url::Url::parse(src).is_ok_and(|url| {
        url.scheme() == "https"
            && url.port().is_none()
            && url.username().is_empty()
            && EMBED_HOSTS
                .iter()
                .any(|(host, path)| url.host_str() == Some(host) && url.path().starts_with(path))
    })
}

/// A kept frame's attributes — what the sanitizer kept, with [`FRAME_ATTRIBUTES`] in
/// place of its own — or `None` when it shows no allowed player.
fn frame_attributes(kept: &[html5ever::Attribute]) -> Option<Vec<html5ever::Attribute>> {
    let src = attribute(kept, "src")?;
    if !embed_allowed(src) {
        return None;
    }
    let mut attrs: Vec<html5ever::Attribute> = kept
        .iter()
        .filter(|a| !FRAME_ATTRIBUTES.iter().any(|(n, _)| *n == &*a.name.local))
        .cloned()
        .collect();
    attrs.extend(
        FRAME_ATTRIBUTES
            .iter()
            .map(|(name, value)| html5ever::Attribute {
                name: QualName::new(None, ns!(), (*name).into()),
                value: (*value).into(),
            }),
    );
    Some(attrs)
}

/// An allowed player's `<iframe>`, written as the sanitizer writes every frame, or
/// `None` when `src` is not one: what the importers make of a video shortcode.
pub fn embed(src: &str, title: &str) -> Option<String> {
    let attr = |name: &str, value: &str| html5ever::Attribute {
        name: QualName::new(None, ns!(), name.into()),
        value: value.into(),
    };
    let attrs = frame_attributes(&[attr("src", src), attr("title", title)])?;
    Some(format!("{}</iframe>", start_tag_text("iframe", &attrs)))
}

/// Gives every frame in the tree its attributes, or removes it whole when it shows no
/// allowed player (an empty frame would still be a box on the page).
fn settle_frames(root: &Handle) {
    let mut stack = vec![root.clone()];
    while let Some(node) = stack.pop() {
        let children: Vec<Handle> = node.children.borrow().clone();
        for child in children {
            if let NodeData::Element { name, attrs, .. } = &child.data
                && name.local == local_name!("iframe")
            {
                let settled = frame_attributes(&attrs.borrow());
                match settled {
                    Some(settled) => {
                        *attrs.borrow_mut() = settled;
                        child.children.borrow_mut().clear();
                    }
                    None => node
                        .children
                        .borrow_mut()
                        .retain(|c| !std::rc::Rc::ptr_eq(c, &child)),
                }
            } else {
                stack.push(child);
            }
        }
    }
}

/// An element as counted: its name and attributes.
type Counted = (String, Vec<(String, String)>);

/// The start tags of `html`, as a browser's tokenizer reads them.
fn start_tags(html: &str) -> Vec<Counted> {
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
fn elements(root: &Handle) -> Vec<Counted> {
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
fn compare(before: Vec<Counted>, after: Vec<Counted>) -> Removed {
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
fn tokens(html: &str) -> Vec<Token> {
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

/// Parses a fragment as ammonia does: as the contents of a `<div>`.
fn parse_fragment(html: &str) -> RcDom {
    html5ever::driver::parse_fragment(
        RcDom::default(),
        Default::default(),
        QualName::new(None, ns!(html), local_name!("div")),
        Vec::new(),
        false,
    )
    .one(html)
}

fn fragment_root(dom: &RcDom) -> Handle {
    dom.document.children.borrow()[0].clone()
}

/// The children of `root` as HTML.
fn serialize(root: &Handle) -> String {
    let mut out = Vec::new();
    let handle: SerializableHandle = root.clone().into();
    html5ever::serialize::serialize(&mut out, &handle, Default::default())
        .expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the serializer writes UTF-8")
}

#[cfg(test)]
mod tests;
