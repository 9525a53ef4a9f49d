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
//! `count` tells what was removed; `tags` is [`clean_tags`].
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
use std::collections::HashSet;
use std::sync::LazyLock;

use html5ever::tendril::TendrilSink;
use html5ever::{QualName, local_name, ns};
use markup5ever_rcdom::{Handle, NodeData, RcDom, SerializableHandle};

mod count;
mod tags;

pub use count::{Removal, Removed};
pub use tags::{Edit, TagEdits, apply, clean_tags};

/// Hosts an `<iframe>` may show, each with the path its players live under. Anything
/// else is removed whole: a frame runs its page's script, so each host is trusted.
/// - YouTube (`www.youtube.com`) and its cookie-less twin (`www.youtube-nocookie.com`,
///   the player Gazette's `youtube` shortcode loads on a click): the video player
///   newsrooms embed most, at `/embed/<id>`.
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
    let before = count::start_tags(html);
    let cleaned = BUILDER.clean(html).to_string();
    let dom = parse_fragment(&cleaned);
    // Ammonia's output spells every frame `<iframe`; without one there is nothing to do.
    if cleaned.contains("<iframe") {
        settle_frames(&fragment_root(&dom));
    }
    let after = count::elements(&fragment_root(&dom));
    Cleaned {
        removed: count::compare(before, after),
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

fn attribute<'a>(attrs: &'a [html5ever::Attribute], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
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
