//! HTML of another platform → Markdown: WordPress's shortcodes, then `htmd` for the HTML
//! itself (WordPress's paragraphs-by-blank-lines are `wpautop`'s).
//!
//! Invariants: nothing of the text is lost but what the sanitizer removes (and counts):
//! what Markdown cannot say (an `<iframe>`, a `<video>`) stays as HTML, which the Markdown
//! renderer passes through; a shortcode this module does not know stays as written,
//! visibly, and is reported by name. Nothing in the Markdown runs script.

use std::rc::Rc;
use std::sync::LazyLock;

use htmd::element_handler::Handlers;
use htmd::options::{BrStyle, BulletListMarker, Options};
use htmd::{Element, HtmlToMarkdown};
use markup5ever_rcdom::{Node, NodeData};

use crate::sanitize::Removed;

/// Elements Markdown has no syntax for, kept as HTML.
const KEPT_AS_HTML: &[&str] = &[
    "iframe", "video", "audio", "source", "track", "embed", "object", "details", "summary", "sup",
    "sub",
];

/// Stands for `<!--more-->` while htmd (which drops comments) converts the rest.
const MORE: &str = "GAZETTEMOREMARKER";

static CONVERTER: LazyLock<HtmlToMarkdown> = LazyLock::new(|| {
    HtmlToMarkdown::builder()
        .options(Options {
            bullet_list_marker: BulletListMarker::Dash,
            // Trailing spaces are invisible and editors strip them.
            br_style: BrStyle::Backslash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Options::default()
        })
        .skip_tags(vec!["script", "style", "noscript"])
        // A figure's caption reads as the `[caption]` shortcode's does: in italics, under
        // the image.
        .add_handler(
            vec!["figcaption"],
            |handlers: &dyn Handlers, element: Element| {
                let text = handlers.walk_children(element.node).content;
                let text = text.trim();
                let markdown = if text.is_empty() {
                    String::new()
                } else {
                    format!("\n\n*{text}*\n\n")
                };
                Some(markdown.into())
            },
        )
        // `<pre>` without a `<code>` inside (WordPress's classic editor writes it so) is a
        // code block too: its text as written, not paragraphs.
        .add_handler(vec!["pre"], |handlers: &dyn Handlers, element: Element| {
            let children = element.node.children.borrow();
            let only_code = children.len() == 1
                && matches!(&children[0].data, NodeData::Element { name, .. } if &*name.local == "code");
            drop(children);
            if only_code {
                return handlers.fallback(element);
            }
            let mut text = String::new();
            text_of(element.node, &mut text);
            Some(fenced(text.trim_matches('\n')).into())
        })
        // A heading's id is what links to it name (`<h2 id="1-1-overview">`): kept as a
        // heading attribute, which the build reads.
        .add_handler(
            vec!["h1", "h2", "h3", "h4", "h5", "h6"],
            |handlers: &dyn Handlers, element: Element| {
                let id = element
                    .attrs
                    .iter()
                    .find(|a| &*a.name.local == "id")
                    .map(|a| a.value.trim().to_string());
                let heading = handlers.fallback(element)?;
                match id.filter(|id| super::headings::writable(id)) {
                    Some(id) => {
                        let text = heading.content.trim_end();
                        Some(format!("{text} {{#{id}}}\n\n").into())
                    }
                    None => Some(heading),
                }
            },
        )
        // An anchor (`<a id="usage" href="#usage">`, `<a name="top"></a>`) is where links
        // into the page land: kept as an empty element before the link's text.
        .add_handler(vec!["a"], |handlers: &dyn Handlers, element: Element| {
            let anchor = element
                .attrs
                .iter()
                .filter(|a| matches!(&*a.name.local, "id" | "name"))
                .map(|a| a.value.trim().to_string())
                .find(|v| !v.is_empty());
            let link = handlers.fallback(element)?;
            match anchor {
                Some(id) => Some(
                    format!(
                        "<a id=\"{}\"></a>{}",
                        html_escape::encode_double_quoted_attribute(&id),
                        link.content
                    )
                    .into(),
                ),
                None => Some(link),
            }
        })
        .add_handler(
            KEPT_AS_HTML.to_vec(),
            |handlers: &dyn Handlers, element: Element| Some(outer_html(handlers, &element).into()),
        )
        .build()
});

/// The text of a node and everything below it, as written.
fn text_of(node: &Rc<Node>, out: &mut String) {
    match &node.data {
        NodeData::Text { contents } => out.push_str(&contents.borrow()),
        // A line break in preformatted text is one.
        NodeData::Element { name, .. } if &*name.local == "br" => out.push('\n'),
        _ => {}
    }
    for child in node.children.borrow().iter() {
        text_of(child, out);
    }
}

/// `text` as a fenced code block, its fence longer than any run of backticks in it.
fn fenced(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest.max(2) + 1);
    format!("\n\n{fence}\n{text}\n{fence}\n\n")
}

/// The element as HTML again, with its (already converted) content.
fn outer_html(handlers: &dyn Handlers, element: &Element) -> String {
    let mut html = format!("<{}", element.tag);
    for attr in element.attrs {
        html.push_str(&format!(
            " {}=\"{}\"",
            &*attr.name.local,
            html_escape::encode_double_quoted_attribute(&*attr.value)
        ));
    }
    html.push('>');
    if !matches!(element.tag, "source" | "track" | "embed") {
        html.push_str(handlers.walk_children(element.node).content.trim());
        html.push_str(&format!("</{}>", element.tag));
    }
    // Block-level HTML in Markdown must stand on lines of its own.
    if matches!(element.tag, "sup" | "sub" | "source" | "track") {
        html
    } else {
        format!("\n\n{html}\n\n")
    }
}

/// Converts HTML to Markdown with nothing in it that runs: the HTML goes through the
/// sanitizer (`<script>`, handlers, `javascript:` URLs… removed and counted), and the
/// Markdown htmd makes of it is checked as every imported text is, since htmd writes some
/// text as syntax (a heading's trailing `{…}`, an image's alt text).
pub fn to_markdown(html: &str) -> (String, Removed) {
    let mut html = super::lazy::unwrap_noscript_images(html);
    // Most posts have no marker: no copy of their text for it.
    let more = html.contains("<!--more-->");
    if more {
        html = html
            .replace("<!--more-->", &format!("<p>{MORE}</p>"))
            .into();
    }
    let cleaned = crate::sanitize::clean(&html);
    let mut markdown = CONVERTER.tree_to_markdown(&cleaned.document());
    if more {
        markdown = markdown.replace(MORE, "<!--more-->");
    }
    let (markdown, made) = super::safe_markdown::sanitize(&tidy(&markdown));
    let mut removed = cleaned.removed;
    removed.merge(made);
    // The HTML's text is text, also where it reads as one of Gazette's shortcodes.
    let markdown = crate::content::shortcodes::parse::as_text(&markdown).into_owned();
    (markdown, removed)
}

/// Trailing spaces dropped (a hard break is written with a backslash) and runs of blank
/// lines made one.
fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut blank = 0;
    for line in markdown.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

/// One shortcode found in text: `[name attrs]` or `[name attrs]content[/name]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode<'a> {
    pub name: &'a str,
    pub attrs: Vec<(String, String)>,
    /// The unnamed attributes (`[embed https://…]`).
    pub positional: Vec<String>,
    pub content: Option<&'a str>,
}

impl Shortcode<'_> {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
}

/// Replaces each WordPress shortcode in `text` by what `map` makes of it; `None` keeps
/// it as written (and the caller counts it). `[[name]]` is WordPress's escape for a
/// literal `[name]`.
pub fn shortcodes(text: &str, mut map: impl FnMut(&Shortcode) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let at = &rest[open..];
        if let Some(inner) = at.strip_prefix("[[")
            && let Some(end) = inner.find("]]")
            && is_name(inner[..end].split_whitespace().next().unwrap_or(""))
        {
            out.push('[');
            out.push_str(&inner[..end]);
            out.push(']');
            rest = &inner[end + 2..];
            continue;
        }
        match parse_shortcode(at) {
            Some((code, len)) => {
                match map(&code) {
                    Some(replacement) => out.push_str(&replacement),
                    None => out.push_str(&at[..len]),
                }
                rest = &at[len..];
            }
            None => {
                out.push('[');
                rest = &at[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// A shortcode at the start of `text` and its length in bytes.
fn parse_shortcode(text: &str) -> Option<(Shortcode<'_>, usize)> {
    let body = text.strip_prefix('[')?;
    let name_end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(body.len());
    let name = &body[..name_end];
    if !is_name(name) {
        return None;
    }
    let after = &body[name_end..];
    if !(after.starts_with(']') || after.starts_with(' ') || after.starts_with("/]")) {
        return None;
    }
    let close = tag_end(after)?;
    let inside = after[..close].trim().trim_end_matches('/').trim();
    if inside.contains('\n') && !inside.contains('=') {
        return None;
    }
    let (attrs, positional) = attributes(inside);
    let mut len = 1 + name_end + close + 1;
    let mut content = None;
    let closing = format!("[/{name}]");
    if !after[..close].trim_end().ends_with('/')
        && let Some(end) = text[len..].find(&closing)
    {
        // Only when no other opening of the same name comes first (nesting is rare and
        // WordPress itself does not handle it either).
        let between = &text[len..len + end];
        if !between.contains(&format!("[{name} ")) && !between.contains(&format!("[{name}]")) {
            content = Some(between);
            len += end + closing.len();
        }
    }
    // A bare `[word]` with neither attributes nor a closing tag is text ("[sic]").
    if content.is_none() && attrs.is_empty() && positional.is_empty() {
        return None;
    }
    Some((
        Shortcode {
            name,
            attrs,
            positional,
            content,
        },
        len,
    ))
}

/// Where the opening tag's `]` is, quotes respected.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, ']') => return Some(i),
            (None, '[') => return None,
            _ => {}
        }
    }
    None
}

/// `key="value" key='value' key=value positional` → pairs and positionals: the arguments
/// of WordPress's shortcodes, and of Hugo's and Zola's too.
pub(super) fn attributes(text: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut attrs = Vec::new();
    let mut positional = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = &rest[..key_end];
        let after = rest[key_end..].trim_start();
        if let Some(value_part) = after.strip_prefix('=') {
            let value_part = value_part.trim_start();
            let (value, remaining) = match value_part.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &value_part[1..];
                    let end = inner.find(q).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = value_part
                        .find(char::is_whitespace)
                        .unwrap_or(value_part.len());
                    (&value_part[..end], &value_part[end..])
                }
            };
            attrs.push((
                key.to_string(),
                html_escape::decode_html_entities(value).into_owned(),
            ));
            rest = remaining.trim_start().trim_start_matches(',').trim_start();
        } else {
            let (word, remaining) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &rest[1..];
                    let end = inner.find(q).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                }
                _ => (key, &rest[key_end..]),
            };
            positional.push(word.to_string());
            rest = remaining.trim_start().trim_start_matches(',').trim_start();
        }
    }
    (attrs, positional)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        to_markdown(html).0
    }

    #[test]
    fn html_becomes_markdown() {
        assert_eq!(
            md("<h2>Title</h2><p>One <strong>bold</strong> <a href=\"/x/\">link</a>.</p>"),
            "## Title\n\nOne **bold** [link](/x/)."
        );
        assert_eq!(md("<ul><li>a</li><li>b</li></ul>"), "- a\n- b");
        assert_eq!(md("<ol><li>a</li><li>b</li></ol>"), "1. a\n2. b");
        assert_eq!(md("<blockquote><p>Said.</p></blockquote>"), "> Said.");
        assert_eq!(
            md("<pre><code class=\"language-rust\">fn main() {}\n</code></pre>"),
            "```rust\nfn main() {}\n```"
        );
        assert_eq!(
            md("<pre>a &lt; b\n\n  <b>c</b>``<br>d</pre>"),
            "```\na < b\n\n  c``\nd\n```"
        );
        assert_eq!(
            md("<p><img src=\"/a.jpg\" alt=\"An A\"></p>"),
            "![An A](/a.jpg)"
        );
        assert_eq!(
            md(
                "<figure><img src=\"/a.jpg\" alt=\"A\"><figcaption>The caption</figcaption></figure>"
            ),
            "![A](/a.jpg)\n\n*The caption*"
        );
        let table = md(
            "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
        );
        assert!(table.contains("| A") && table.contains("| 1"), "{table}");
    }

    #[test]
    fn a_headings_id_is_kept_as_a_heading_attribute() {
        let markdown = md(
            "<h1 id=\"1.-introduction\" tabindex=\"-1\">1. INTRODUCTION</h1><p>Text.</p><h2 id=\"a b\">Spaced</h2><h3>Plain</h3>",
        );
        assert_eq!(
            markdown,
            "# 1\\. INTRODUCTION {#1.-introduction}\n\nText.\n\n## Spaced\n\n### Plain"
        );
        assert_eq!(
            crate::content::markdown::heading_ids(&markdown),
            ["1.-introduction", "spaced", "plain"]
        );
        assert_eq!(
            md("<h2><a id=\"usage\" href=\"#usage\">Usage</a></h2><p><a name=\"top\"></a>Top.</p>"),
            "## <a id=\"usage\"></a>[Usage](#usage)\n\n<a id=\"top\"></a>Top."
        );
    }

    /// The text a reader sees of some HTML: tags dropped, entities decoded, whitespace one.
    fn seen(html: &str) -> String {
        crate::text::html_text(html)
            .replace(" ,", ",")
            .replace(" .", ".")
    }

    #[test]
    fn the_markdown_renders_to_the_text_of_the_html() {
        for html in [
            "<p>Plain text, with <strong>bold</strong>, <em>em</em> and <a href=\"/x/\" title=\"T\">a link</a>.</p>",
            "<p>Stars * and _underscores_ in snake_case_names, #hash, 1. not a list, [brackets](x) and a \\ backslash.</p>",
            "<p>Entities: &amp; &lt;tag&gt; &quot;q&quot; &copy; &#8217; and `ticks`.</p>",
            "<h2>A heading</h2><p>Under it.</p><hr><p>After a rule.</p>",
            "<ul><li>One<ul><li>Nested</li></ul></li><li>Two</li></ul><ol><li>First</li><li>Second</li></ol>",
            "<blockquote><p>Quoted one.</p><p>Quoted two.</p></blockquote>",
            "<pre><code>if a &lt; b &amp;&amp; c &gt; d { x = \"&amp;amp;\"; }</code></pre>",
            "<table><tr><th>H1</th><th>H2</th></tr><tr><td>a | b</td><td>c</td></tr></table>",
            "<p>Line one<br>line two</p>",
        ] {
            let markdown = md(html);
            let rendered = crate::content::markdown::render(&markdown).html;
            assert_eq!(
                seen(&rendered),
                seen(html),
                "{html}\n→ {markdown}\n→ {rendered}"
            );
        }
    }

    #[test]
    fn what_markdown_cannot_say_stays_html() {
        // A player's frame, sandboxed as every kept frame is.
        assert_eq!(
            md(
                "<p>Watch:</p><iframe src=\"https://www.youtube.com/embed/x\" width=\"560\"></iframe>"
            ),
            "Watch:\n\n<iframe src=\"https://www.youtube.com/embed/x\" width=\"560\" \
             sandbox=\"allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation\" \
             allow=\"autoplay; encrypted-media; fullscreen; picture-in-picture\" allowfullscreen=\"\" \
             loading=\"lazy\" referrerpolicy=\"strict-origin-when-cross-origin\"></iframe>"
        );
        let (out, removed) = to_markdown("<p>A</p><script>alert(1)</script><p>B</p>");
        assert_eq!(
            (out.as_str(), removed.to_string().as_str()),
            ("A\n\nB", "<script>")
        );
        assert_eq!(
            md("<p>One</p><!--more--><p>Two</p>"),
            "One\n\n<!--more-->\n\nTwo"
        );
    }

    #[test]
    fn arguments_read_as_each_platform_writes_them() {
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        // WordPress: spaces between, values quoted or not (`ids=1,2` is one value).
        assert_eq!(
            attributes("ids=1,2 size='large' id=\"x y\""),
            (
                vec![pair("ids", "1,2"), pair("size", "large"), pair("id", "x y")],
                vec![]
            )
        );
        // Zola: commas between, and a quoted value may hold one.
        assert_eq!(
            attributes("url=\"a,b\", id=\"c\""),
            (vec![pair("url", "a,b"), pair("id", "c")], vec![])
        );
        // Hugo: positionals; a bracket in a caption is text.
        assert_eq!(
            attributes("jane 42 caption=\"a [b] c\""),
            (
                vec![pair("caption", "a [b] c")],
                vec!["jane".to_string(), "42".to_string()]
            )
        );
    }

    #[test]
    fn shortcodes_are_found_with_their_attributes_and_content() {
        let mut seen = Vec::new();
        let out = shortcodes(
            "A [caption id=\"x\" width='300']<img src=a.jpg> Cap[/caption] B [gallery ids=\"1,2\"] [sic] [[embed]] [foo bar]",
            |code| {
                seen.push((
                    code.name.to_string(),
                    code.attrs.clone(),
                    code.content.map(str::to_string),
                ));
                (code.name != "foo").then(|| format!("<{}>", code.name))
            },
        );
        assert_eq!(out, "A <caption> B <gallery> [sic] [embed] [foo bar]");
        assert_eq!(
            seen[0].1,
            [
                ("id".to_string(), "x".to_string()),
                ("width".to_string(), "300".to_string())
            ]
        );
        assert_eq!(seen[0].2.as_deref(), Some("<img src=a.jpg> Cap"));
        assert_eq!(seen[1].2, None);
        assert_eq!(seen.len(), 3);
    }
}
