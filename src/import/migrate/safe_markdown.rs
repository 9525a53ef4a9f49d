//! Imported Markdown made safe, the rest of it kept byte for byte: raw HTML (blocks and
//! inline tags) goes through the sanitizer tag by tag (`sanitize::clean_tags`), a link or
//! image whose URL the sanitizer would not keep becomes its text, and a heading's
//! attribute block (`# Title {onclick=…}`, which the renderer writes as attributes) that
//! it would not keep becomes text.
//!
//! Everything is found with the renderer the build uses, with its options
//! (`content::markdown::options`), so what is checked is what will be rendered.
//!
//! Invariant: the result, parsed again, needs no change. A change can uncover something
//! (a link's text is raw HTML), so the text is checked again until nothing changes; if
//! that takes more than [`PASSES`] rounds the whole text is kept as plain text, which
//! renders as exactly its characters.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use crate::import::emit;
use crate::sanitize::{self, Edit, Removal, Removed};

/// Rounds of checking before giving up on the Markdown (real text needs one or two).
const PASSES: usize = 8;

/// The Markdown with nothing in it that would run, and what was removed.
pub(super) fn sanitize(markdown: &str) -> (String, Removed) {
    let mut text = markdown.to_string();
    let mut removed = Removed::default();
    for _ in 0..PASSES {
        let (edits, found) = edits(&text);
        if edits.is_empty() {
            return (text, removed);
        }
        removed.merge(found);
        text = sanitize::apply(&text, &edits);
    }
    removed.add(Removal::Markup);
    let plain: Vec<String> = markdown.lines().map(emit::escape).collect();
    (plain.join("\n"), removed)
}

/// The changes one reading of `text` calls for (outermost first, none overlapping), and
/// what they remove.
fn edits(text: &str) -> (Vec<Edit>, Removed) {
    let parser = Parser::new_ext(text, crate::content::markdown::options());
    let mut found: Vec<(Edit, Removed)> = Vec::new();
    // A link definition renders nothing, but one that could only ever be a dangerous
    // link is not left for an editor to use.
    for (_, definition) in parser.reference_definitions().iter() {
        let dest = definition.dest.as_ref();
        if !sanitize::url_allowed("a", "href", dest) && !sanitize::url_allowed("img", "src", dest) {
            found.push((
                Edit {
                    range: definition.span.clone(),
                    with: String::new(),
                },
                Removed::default(),
            ));
        }
    }
    let mut events = parser.into_offset_iter().peekable();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                let mut lines = Vec::new();
                for (event, range) in events.by_ref() {
                    match event {
                        Event::Html(html) => lines.push((range, html)),
                        Event::End(TagEnd::HtmlBlock) => break,
                        _ => {}
                    }
                }
                found.extend(html_block(text, range, &lines));
            }
            Event::Html(html) => found.extend(html_block(text, range.clone(), &[(range, html)])),
            Event::InlineHtml(html) => {
                let cleaned = sanitize::clean_tags(&html);
                let mut end = range.end;
                if let Some(open) = &cleaned.open {
                    // Its contents run on through the paragraph to its end tag, and go.
                    while let Some((event, range)) = events.next_if(|(e, _)| is_inline(e)) {
                        end = range.end;
                        if matches!(&event, Event::InlineHtml(h) if closes(h, open)) {
                            break;
                        }
                    }
                }
                if !cleaned.edits.is_empty() {
                    found.push((
                        Edit {
                            range: range.start..end,
                            with: cleaned.apply(&html),
                        },
                        cleaned.removed,
                    ));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let url = if link_type == LinkType::Email {
                    CowStr::from(format!("mailto:{dest_url}"))
                } else {
                    dest_url
                };
                if !sanitize::url_allowed("a", "href", &url) {
                    found.push(keep_text(text, range, &url, &mut events));
                }
            }
            Event::Start(Tag::Image { dest_url, .. })
                if !sanitize::url_allowed("img", "src", &dest_url) =>
            {
                found.push(keep_text(text, range, &dest_url, &mut events));
            }
            Event::Start(Tag::Heading { level, attrs, .. }) if !attrs.is_empty() => {
                found.extend(heading_attributes(text, range, level as u8, &attrs));
            }
            _ => {}
        }
    }
    // A change that writes what is there already is none (a frame written as every frame
    // is, its end tag in the next piece).
    found.retain(|(edit, _)| text[edit.range.clone()] != edit.with);
    found.sort_by_key(|(edit, _)| (edit.range.start, std::cmp::Reverse(edit.range.end)));
    let mut edits: Vec<Edit> = Vec::new();
    let mut removed = Removed::default();
    for (edit, count) in found {
        // Inside a change already made (a link's text that is kept): the next round
        // reads what it became.
        if edits
            .last()
            .is_some_and(|last| edit.range.start < last.range.end)
        {
            continue;
        }
        edits.push(edit);
        removed.merge(count);
    }
    (edits, removed)
}

/// The changes an HTML block needs: its `lines` (as the renderer reads them, without the
/// quote or list marks around them) are one piece of HTML.
fn html_block(
    text: &str,
    block: Range<usize>,
    lines: &[(Range<usize>, CowStr)],
) -> Vec<(Edit, Removed)> {
    let html: String = lines.iter().map(|(_, l)| l.as_ref()).collect();
    let cleaned = sanitize::clean_tags(&html);
    if cleaned.edits.is_empty() {
        return Vec::new();
    }
    // Each line as it is in the text (a tab in a list's indentation can make the
    // renderer's line differ): then each change goes where its bytes are.
    if lines
        .iter()
        .all(|(range, line)| &text[range.clone()] == line.as_ref())
    {
        let mut starts = Vec::with_capacity(lines.len());
        let mut at = 0;
        for (range, line) in lines {
            starts.push((at, range.start));
            at += line.len();
        }
        let place = |offset: usize, end: bool| {
            let i = starts
                .iter()
                .rposition(|(s, _)| if end { *s < offset } else { *s <= offset })
                .unwrap_or(0);
            starts[i].1 + offset - starts[i].0
        };
        let mut changes: Vec<(Edit, Removed)> = cleaned
            .edits
            .iter()
            .map(|edit| {
                let range = place(edit.range.start, false)..place(edit.range.end, true);
                (
                    Edit {
                        range,
                        with: edit.with.clone(),
                    },
                    Removed::default(),
                )
            })
            .collect();
        changes[0].1 = cleaned.removed;
        return changes;
    }
    vec![(
        Edit {
            range: block,
            with: cleaned.apply(&html),
        },
        cleaned.removed,
    )]
}

/// Events that stand inside a paragraph.
fn is_inline(event: &Event) -> bool {
    match event {
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::InlineMath(_) => true,
        _ => false,
    }
}

/// Whether an inline tag is the end tag of `name`.
fn closes(html: &str, name: &str) -> bool {
    html.get(..2 + name.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(&format!("</{name}")))
}

/// A link or image (at `range`) whose URL is not allowed, as its text; its events are
/// passed over.
fn keep_text<'a>(
    text: &str,
    range: Range<usize>,
    url: &str,
    events: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> (Edit, Removed) {
    let mut inner: Option<Range<usize>> = None;
    let mut depth = 0;
    for (event, r) in events.by_ref() {
        match event {
            Event::End(TagEnd::Link | TagEnd::Image) if depth == 0 => break,
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        inner = Some(inner.map_or(r.clone(), |i| i.start.min(r.start)..i.end.max(r.end)));
    }
    let mut removed = Removed::default();
    removed.add(sanitize::url_removal(url));
    let with = inner.map_or(String::new(), |i| text[i].to_string());
    (Edit { range, with }, removed)
}

/// A heading's attribute block the sanitizer would not keep as it is, made text: its `{`
/// written as a character reference, which the renderer does not read as one.
fn heading_attributes(
    text: &str,
    range: Range<usize>,
    level: u8,
    attrs: &[(CowStr, Option<CowStr>)],
) -> Option<(Edit, Removed)> {
    let mut tag = format!("<h{level}");
    for (name, value) in attrs {
        tag.push_str(&format!(
            " {}=\"{}\"",
            name,
            html_escape::encode_double_quoted_attribute(value.as_deref().unwrap_or(""))
        ));
    }
    tag.push('>');
    let cleaned = sanitize::clean_tags(&tag);
    if cleaned.edits.is_empty() {
        return None;
    }
    // The block ends the heading's text: its first line (`# Title {…}`), or the last
    // before the underline (`Title {…}` over `===`).
    let source = &text[range.clone()];
    let atx = source.trim_start().starts_with('#');
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        lines.push((at, line));
        at += line.len();
    }
    let (offset, line) = if atx {
        lines.first()
    } else {
        lines.iter().rev().nth(1).or(lines.first())
    }
    .copied()?;
    let brace = line.rfind('{')?;
    let at = range.start + offset + brace;
    Some((
        Edit {
            range: at..at + 1,
            with: "&#123;".into(),
        },
        cleaned.removed,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(markdown: &str) -> (String, String) {
        let (text, removed) = sanitize(markdown);
        (text, removed.to_string())
    }

    #[test]
    fn safe_markdown_is_kept_byte_for_byte() {
        let markdown = "# Title {#own .wide}\n\nText with *emphasis*, a [link](https://example.com/ \"T\"), \
            an ![image](/a.png), <https://auto.example/>, <a@b.example> and `<script>` in code.\n\n\
            <div class=\"note\">\n\nSome **Markdown** inside.\n\n</div>\n\n\
            > <span class=x>quoted</span>\n\n\
            - <sup>1</sup> item\n\n\
            ```html\n<script>alert(1)</script>\n```\n\n\
            <!-- more -->\n\n[ref][r]\n\n[r]: https://example.com/r\n";
        assert_eq!(safe(markdown), (markdown.to_string(), String::new()));
    }

    #[test]
    fn raw_html_is_made_safe_and_the_rest_kept() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "A <span onclick=\"x()\">s</span> b.\n",
                "A <span>s</span> b.\n",
                "onclick",
            ),
            ("A <script>alert(1)</script> b.\n", "A  b.\n", "<script>"),
            (
                "<div class=\"note\" onmouseover=\"x()\">\n\nSome **Markdown**.\n\n</div>\n",
                "<div class=\"note\">\n\nSome **Markdown**.\n\n</div>\n",
                "onmouseover",
            ),
            (
                "<script>\nalert(1)\n</script>\n\nAfter.\n",
                "\n\nAfter.\n",
                "<script>",
            ),
            (
                "> <div\n> onclick=x>\n> quoted\n",
                "> <div>\n> quoted\n",
                "onclick",
            ),
            (
                "- <img src=x\n  onerror=alert(1)>\n",
                "- <img src=\"x\">\n",
                "onerror",
            ),
            (
                "<details open ontoggle=alert(1)><summary>S</summary>\n\nText\n\n</details>\n",
                "<details open=\"\"><summary>S</summary>\n\nText\n\n</details>\n",
                "ontoggle",
            ),
            (
                "<iframe src=\"https://evil.example/\"></iframe>\n\nText\n",
                "\n\nText\n",
                "<iframe> from evil.example",
            ),
            // A tweet as Twitter's embed code writes it: the quote stays, its script goes.
            (
                "<blockquote class=\"twitter-tweet\" data-lang=\"en\"><p lang=\"en\" dir=\"ltr\">Hi</p>&mdash; A (@a) \
                 <a href=\"https://twitter.com/a/status/1?ref_src=twsrc%5Etfw\">May 1, 2024</a></blockquote> \
                 <script async src=\"https://platform.twitter.com/widgets.js\" charset=\"utf-8\"></script>\n\nAfter.\n",
                "<blockquote class=\"twitter-tweet\"><p lang=\"en\" dir=\"ltr\">Hi</p>&mdash; A (@a) \
                 <a href=\"https://twitter.com/a/status/1?ref_src=twsrc%5Etfw\">May 1, 2024</a></blockquote> \n\nAfter.\n",
                "<script>, data-*",
            ),
        ];
        for (markdown, out, removed) in cases {
            assert_eq!(
                safe(markdown),
                (out.to_string(), removed.to_string()),
                "{markdown}"
            );
        }
    }

    #[test]
    fn a_frame_inline_is_closed_where_it_stands() {
        let frame = sanitize::embed("https://www.youtube.com/embed/x", "Clip").unwrap();
        for (markdown, out) in [
            (
                "Watch <iframe src=\"https://www.youtube.com/embed/x\" title=\"Clip\">fallback</iframe> now.\n".to_string(),
                format!("Watch {frame} now.\n"),
            ),
            (
                "Watch <iframe src=\"https://www.youtube.com/embed/x\" title=\"Clip\"> now.\n\nNext.\n".to_string(),
                format!("Watch {frame}\n\nNext.\n"),
            ),
            (format!("Watch {frame} now.\n"), format!("Watch {frame} now.\n")),
        ] {
            assert_eq!(safe(&markdown), (out, String::new()), "{markdown}");
        }
    }

    #[test]
    fn dangerous_links_keep_their_text() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "[click *me*](javascript:alert(1)) now\n",
                "click *me* now\n",
                "javascript: URL",
            ),
            ("[x](jav&#x61;script:alert(1))\n", "x\n", "javascript: URL"),
            ("[x](<JaVaScRiPt:alert(1)>)\n", "x\n", "javascript: URL"),
            (
                "<javascript:alert(1)>\n",
                "javascript:alert(1)\n",
                "javascript: URL",
            ),
            ("[x](data:text/html,hi)\n", "x\n", "data: URL"),
            ("![pic](javascript:alert(1))\n", "pic\n", "javascript: URL"),
            (
                "![dot](data:image/png;base64,AA)\n",
                "![dot](data:image/png;base64,AA)\n",
                "",
            ),
            (
                "[t][r]\n\n[r]: javascript:alert(1)\n",
                "t\n\n\n",
                "javascript: URL",
            ),
            (
                "[<img src=x onerror=alert(1)>](javascript:alert(2))\n",
                "<img src=\"x\">\n",
                "onerror, javascript: URL",
            ),
            (
                "<[](javascript:alert(1))img src=x onerror=alert(2)>\n",
                "<img src=\"x\">\n",
                "onerror, javascript: URL",
            ),
        ];
        for (markdown, out, removed) in cases {
            assert_eq!(
                safe(markdown),
                (out.to_string(), removed.to_string()),
                "{markdown}"
            );
        }
    }

    #[test]
    fn a_heading_attribute_block_with_a_handler_becomes_text() {
        assert_eq!(
            safe("# Title {#id onclick=alert(1)}\n\nT {onmouseover=x}\n==\n"),
            (
                "# Title &#123;#id onclick=alert(1)}\n\nT &#123;onmouseover=x}\n==\n".into(),
                "onclick, onmouseover".into()
            )
        );
        let html = crate::content::markdown::render("# Title &#123;#id onclick=alert(1)}\n").html;
        assert_eq!(
            html,
            "<h1 id=\"title-id-onclick-alert-1\">Title {#id onclick=alert(1)}</h1>\n"
        );
    }

    #[test]
    fn markdown_that_does_not_settle_is_kept_as_plain_text() {
        // Each round unwraps one link, uncovering the next.
        let line = format!("{}x{}", "[".repeat(10), "](javascript:a)".repeat(10));
        let (text, removed) = safe(&format!("{line}\n"));
        assert_eq!(text, emit::escape(&line));
        assert_eq!(
            removed,
            "javascript: URL ×8, markup that would not come out safe (kept as text)"
        );
        let html = crate::content::markdown::render(&text).html;
        assert_eq!(html, format!("<p>{line}</p>\n"));
    }

    /// Whatever pieces of Markdown and HTML come together, the result is settled (made
    /// safe again, it stays as it is) and renders to HTML the sanitizer has nothing to
    /// remove from; and nothing panics.
    #[test]
    fn jumbled_markdown_comes_out_safe_and_settled() {
        let pieces = [
            "<",
            ">",
            "</",
            "<!--",
            "-->",
            "<?",
            "<!",
            "<script>",
            "</script>",
            "<script",
            "<div",
            "<div>",
            "</div>",
            " onclick=x",
            " href=",
            "javascript:x",
            "\"",
            "'",
            "`",
            "```",
            "[",
            "]",
            "](",
            ")",
            "![",
            "{",
            "}",
            "{#a ",
            "# ",
            "> ",
            "- ",
            "\n",
            "\n\n",
            "\t",
            "    ",
            "&#x61;",
            "é",
            "<iframe src=https://www.youtube.com/embed/x>",
            "</iframe>",
            "<img src=x onerror=y>",
            "<svg>",
            "<style>",
            "*",
            "_",
            "|",
            "---",
            "[r]: ",
            "<a:b>",
            "<https://ok.example/>",
            "\\",
            "&",
            "=",
            " ",
        ];
        for text in crate::import::migrate::jumbled(&pieces, 3000, 16) {
            let (safe, _) = sanitize(&text);
            assert_eq!(
                sanitize(&safe),
                (safe.clone(), Removed::default()),
                "{text:?}"
            );
            let html = crate::content::markdown::render(&safe).html;
            let cleaned = sanitize::clean(&html);
            assert!(
                cleaned.removed.is_empty(),
                "{text:?}\n→ {safe:?}\n→ {html:?}\nremoves {}",
                cleaned.removed
            );
        }
    }
}
