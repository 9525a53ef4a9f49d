//! WordPress's `wpautop` (wp-includes/formatting.php), step for step: how the classic
//! editor's text — paragraphs by blank lines, HTML in between — becomes the HTML WordPress
//! shows.
//!
//! The rules, in WordPress's order: blank lines make paragraphs; a block tag (`<ul>`,
//! `<li>`, `<h2>`, `<blockquote>`, `<table>`…) stands on its own, never in a paragraph;
//! a single line break left inside a paragraph is a `<br />`, never one next to a block
//! tag; `<pre>` (and `<script>`, `<style>`, `<svg>`, `<math>`) keep their text as written,
//! and so do line breaks inside a tag. WordPress compares tag names case-sensitively, as
//! here. Invariants: nothing of the text is lost (WordPress drops a stray `</pre>`; this
//! keeps it), and the output depends on the text alone.
//!
//! Posts written with the block editor are not run through it, as WordPress does not
//! (`has_blocks`): their HTML is complete.
//!
//! One addition: `<!--more-->` stands between paragraphs of its own, since Gazette's
//! summary marker is a line of its own (WordPress leaves it where it was written).

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// WordPress's `$allblocks`: tags that are blocks, never inside a paragraph.
const ALL_BLOCKS: &str = "(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)";

/// PCRE's `\s` without the `u` flag (as WordPress uses it): ASCII whitespace only, so a
/// no-break space is text.
const S: &str = r"(?-u:\s)";

/// Stands for a line break inside a tag while paragraphs are made.
const NEWLINE_IN_TAG: &str = " <!-- wpnl --> ";
/// Stands for a line break inside `<script>`, `<style>`, `<svg>`, `<math>`.
const PRESERVED_NEWLINE: &str = "<WPPreserveNewline />";

/// Compiles one of the fixed patterns below (`{S}` and `{B}` stand for [`S`] and
/// [`ALL_BLOCKS`]).
fn pattern(template: &str) -> Regex {
    Regex::new(&template.replace("{S}", S).replace("{B}", ALL_BLOCKS))
        .expect("the patterns are valid")
}

macro_rules! patterns {
    ($($name:ident = $template:expr;)*) => {
        $(static $name: LazyLock<Regex> = LazyLock::new(|| pattern($template));)*
    };
}

patterns! {
    DOUBLE_BR = r"<br{S}*/?>{S}*<br{S}*/?>";
    HR = r"\A<hr{S}*?/?>";
    BEFORE_OPTION = r"{S}*<option";
    AFTER_OPTION = r"</option>{S}*";
    OBJECT_OPEN = r"<object[^>]*>{S}*";
    OBJECT_CLOSE = r"{S}*</object>";
    PARAM_EMBED = r"{S}*</?(?:param|embed)[^>]*>{S}*";
    MEDIA_OPEN = r"[<\[](?:audio|video)[^>\]]*[>\]]{S}*";
    MEDIA_CLOSE = r"{S}*[<\[]/(?:audio|video)[>\]]";
    SOURCE_TRACK = r"{S}*<(?:source|track)[^>]*>{S}*";
    BEFORE_FIGCAPTION = r"{S}*<figcaption[^>]*>";
    AFTER_FIGCAPTION = r"</figcaption>{S}*";
    BLANK_LINES = r"\n\n\n+";
    PARAGRAPH_BREAK = r"\n{S}*\n";
    EMPTY_P = r"<p>{S}*</p>";
    UNCLOSED_P = r"<p>[^<]+</(?:div|address|form)>";
    WRAPPED_BLOCK_TAG = r"<p>{S}*</?{B}[^>]*>{S}*</p>";
    WRAPPED_LI = r"<p><li.+?</p>";
    WRAPPED_BLOCKQUOTE = r"(?i)<p><blockquote[^>]*>";
    P_BEFORE_BLOCK_TAG = r"<p>{S}*</?{B}[^>]*>";
    P_AFTER_BLOCK_TAG = r"</?{B}[^>]*>{S}*</p>";
    PRESERVED = r"<(script|style|svg|math)";
    BR_AFTER_BLOCK_TAG = r"</?{B}[^>]*>{S}*<br />";
    BR_BEFORE_BLOCK_TAG = r"<br />{S}*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>";
    MORE = r"[ \t]*<!--more-->[ \t]*";
    // `<br>`s followed by nothing but closing tags up to a block tag or the end.
    ENDING_BR = r"(?:<br{S}*/?>{S}*)+(?:</[A-Za-z][A-Za-z0-9]*>{S}*)*(?:</?{B}[{S}/>]|\z)";
}

/// Whether `name` is one of [`ALL_BLOCKS`] (as it is spelt there: case-sensitive), without
/// a regex: this is asked of every tag of every post. (`block_names_are_wordpresss` holds
/// the two together.)
#[rustfmt::skip]
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "table" | "thead" | "tfoot" | "caption" | "col" | "colgroup" | "tbody" | "tr" | "td"
            | "th" | "div" | "dl" | "dd" | "dt" | "ul" | "ol" | "li" | "pre" | "form" | "map"
            | "area" | "blockquote" | "address" | "style" | "p" | "h1" | "h2" | "h3" | "h4"
            | "h5" | "h6" | "hr" | "fieldset" | "legend" | "section" | "article" | "aside"
            | "hgroup" | "header" | "footer" | "nav" | "figure" | "figcaption" | "details"
            | "menu" | "summary"
    )
}

/// PCRE's `\s` (see [`S`]).
fn is_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0B' | '\x0C' | '\r' | ' ')
}

fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

fn trim_start(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

fn trim_end(s: &str) -> &str {
    s.trim_end_matches(is_space)
}

/// Whether `content` was written with the block editor, which WordPress does not run
/// through `wpautop` (its `has_blocks`).
fn has_blocks(content: &str) -> bool {
    content.contains("<!-- wp:")
}

/// The HTML WordPress shows for a post's text, ready for the Markdown converter: the
/// block editor's as it is, the classic editor's through `wpautop`; with no line break
/// after a `<br />` (HTML shows none; Markdown would start the next line with a space),
/// and no `<br>` that ends a block (a browser shows nothing for it; Markdown, a stray
/// backslash).
pub fn shown(content: String) -> String {
    let html = if has_blocks(&content) {
        content
    } else {
        wpautop(&content, true)
    };
    replace_with(&ENDING_BR, html, |m, out| {
        let mut rest = m;
        while rest.starts_with("<br") {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            rest = trim_start(&rest[end..]);
        }
        out.push_str(rest);
    })
}

/// `wpautop($text)`, with line breaks (`$br = true`, as `the_content` runs it); with
/// `join_breaks`, no line break after a `<br />`.
fn wpautop(text: &str, join_breaks: bool) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    // Each step below is skipped where the text has nothing it could change: most
    // posts are plain paragraphs, and an export has thousands.
    let mut text = format!("{text}\n");
    if text.contains("<!--more-->") {
        text = replace(&MORE, text, "\n\n<!--more-->\n\n");
    }
    let (text, pre) = set_pre_aside(text);
    let mut text = replace_if(&DOUBLE_BR, text, "<br", "\n\n");
    text = separate_blocks(&text);
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    let mut text = newlines_in_tags(text);
    if text.contains("<option") {
        text = replace(&BEFORE_OPTION, text, "<option");
        text = replace(&AFTER_OPTION, text, "</option>");
    }
    if text.contains("</object>") {
        text = replace_with(&OBJECT_OPEN, text, |m, out| out.push_str(trim_end(m)));
        text = replace(&OBJECT_CLOSE, text, "</object>");
        text = replace_with(&PARAM_EMBED, text, |m, out| out.push_str(trim(m)));
    }
    if text.contains("<source") || text.contains("<track") {
        text = replace_with(&MEDIA_OPEN, text, |m, out| out.push_str(trim_end(m)));
        text = replace_with(&MEDIA_CLOSE, text, |m, out| out.push_str(trim_start(m)));
        text = replace_with(&SOURCE_TRACK, text, |m, out| out.push_str(trim(m)));
    }
    if text.contains("<figcaption") {
        text = replace_with(&BEFORE_FIGCAPTION, text, |m, out| {
            out.push_str(trim_start(m))
        });
        text = replace(&AFTER_FIGCAPTION, text, "</figcaption>");
    }
    let text = paragraphs(&replace_if(&BLANK_LINES, text, "\n\n\n", "\n\n"));
    let text = unwrap_blocks(text);
    let text = line_breaks(text, join_breaks);
    let mut text = text;
    if text.contains("<br />") {
        text = replace_with(&BR_AFTER_BLOCK_TAG, text, |m, out| {
            out.push_str(trim_end(&m[..m.len() - "<br />".len()]));
        });
        text = replace_with(&BR_BEFORE_BLOCK_TAG, text, |m, out| {
            out.push_str(&m["<br />".len()..]);
        });
    }
    // PHP's `$` also matches before a final line break.
    for (end, kept) in [("\n</p>\n", "</p>\n"), ("\n</p>", "</p>")] {
        if text.ends_with(end) {
            text.truncate(text.len() - end.len());
            text.push_str(kept);
            break;
        }
    }
    for (placeholder, element) in &pre {
        text = text.replace(placeholder, element);
    }
    if text.contains("<!-- wpnl -->") {
        text = text
            .replace(NEWLINE_IN_TAG, "\n")
            .replace("<!-- wpnl -->", "\n");
    }
    text
}

/// Each match of `pattern` replaced by what `keep` writes for it, copying the text only
/// where there is one. (Taking a group out of a match by hand spares the regex engine
/// resolving groups, which cost most of the time.)
fn replace_with(pattern: &Regex, text: String, keep: impl Fn(&str, &mut String)) -> String {
    let mut matches = pattern.find_iter(&text).peekable();
    if matches.peek().is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for m in matches {
        out.push_str(&text[copied..m.start()]);
        keep(m.as_str(), &mut out);
        copied = m.end();
    }
    out.push_str(&text[copied..]);
    out
}

/// `replace_all`, copying the text only where the pattern matches.
fn replace(pattern: &Regex, text: String, with: &str) -> String {
    match pattern.replace_all(&text, with) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(changed) => changed,
    }
}

/// [`replace`], where the text holds `needle` (which every match holds).
fn replace_if(pattern: &Regex, text: String, needle: &str, with: &str) -> String {
    if text.contains(needle) {
        replace(pattern, text, with)
    } else {
        text
    }
}

/// A blank line before each block tag's opening, and after each one's closing and each
/// `<hr>` — WordPress's three `preg_replace`s in one pass (they insert line breaks only,
/// so no match of one changes another's).
fn separate_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut copied = 0;
    let mut from = 0;
    while let Some(open) = text[from..].find('<').map(|i| from + i) {
        from = open + 1;
        let rest = &text[open + 1..];
        let closing = rest.starts_with('/');
        let name_start = usize::from(closing);
        let name_len = rest[name_start..]
            .find(|c: char| is_space(c) || c == '/' || c == '>')
            .unwrap_or(rest.len() - name_start);
        let name = &rest[name_start..name_start + name_len];
        let after = rest[name_start + name_len..].chars().next();
        if name.is_empty() || after.is_none() || !is_block(name) {
            continue;
        }
        if closing {
            if after == Some('>') {
                let end = open + 2 + name_len + 1;
                out.push_str(&text[copied..end]);
                out.push_str("\n\n");
                copied = end;
                from = end;
            }
            continue;
        }
        out.push_str(&text[copied..open]);
        out.push_str("\n\n");
        copied = open;
        if name == "hr"
            && let Some(hr) = HR.find(&text[open..])
        {
            let end = open + hr.end();
            out.push_str(&text[copied..end]);
            out.push_str("\n\n");
            copied = end;
            from = end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Each `<pre>…</pre>` replaced by a placeholder (returned with the element it stands
/// for), so that nothing inside is touched.
fn set_pre_aside(text: String) -> (String, Vec<(String, String)>) {
    let mut pre = Vec::new();
    if !text.contains("<pre") {
        return (text, pre);
    }
    let mut parts: Vec<&str> = text.split("</pre>").collect();
    let last = parts.pop().unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    for part in parts {
        match part.find("<pre") {
            Some(start) => {
                let placeholder = format!("<pre wp-pre-tag-{}></pre>", pre.len());
                pre.push((placeholder.clone(), format!("{}</pre>", &part[start..])));
                out.push_str(&part[..start]);
                out.push_str(&placeholder);
            }
            // A `</pre>` without its `<pre>`: WordPress drops it, which loses text.
            None => {
                out.push_str(part);
                out.push_str("</pre>");
            }
        }
    }
    out.push_str(last);
    (out, pre)
}

/// Line breaks inside tags and comments made placeholders (WordPress's
/// `wp_replace_in_html_tags` over `wp_html_split`'s elements).
fn newlines_in_tags(text: String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let element = &rest[open..];
        let len = if element.starts_with("<!--") {
            element.find("-->").map_or(element.len(), |end| end + 3)
        } else if element.starts_with("<![CDATA[") {
            element.find("]]>").map_or(element.len(), |end| end + 3)
        } else {
            element.find('>').map_or(element.len(), |end| end + 1)
        };
        let tag = &element[..len];
        if tag.contains('\n') {
            out.push_str(&tag.replace('\n', NEWLINE_IN_TAG));
        } else {
            out.push_str(tag);
        }
        rest = &element[len..];
    }
    out.push_str(rest);
    out
}

/// Every run between blank lines wrapped in `<p>`, one per line.
fn paragraphs(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for chunk in PARAGRAPH_BREAK.split(text).filter(|c| !c.is_empty()) {
        out.push_str("<p>");
        out.push_str(chunk.trim_matches('\n'));
        out.push_str("</p>\n");
    }
    out
}

/// Paragraph tags taken off block tags they wrap, precede or follow.
fn unwrap_blocks(text: String) -> String {
    let mut text = replace(&EMPTY_P, text, "");
    // Its `[^<]+` reads every paragraph through: only where it can match.
    if ["</div>", "</address>", "</form>"]
        .iter()
        .any(|close| text.contains(close))
    {
        text = replace_with(&UNCLOSED_P, text, |m, out| {
            let close = m.rfind("</").expect("the pattern ends in a closing tag");
            out.push_str(&m[..close]);
            out.push_str("</p>");
            out.push_str(&m[close..]);
        });
    }
    let text = replace_with(&WRAPPED_BLOCK_TAG, text, |m, out| {
        out.push_str(trim(&m["<p>".len()..m.len() - "</p>".len()]));
    });
    let mut text = text;
    if text.contains("<p><li") {
        text = replace_with(&WRAPPED_LI, text, |m, out| {
            out.push_str(&m["<p>".len()..m.len() - "</p>".len()]);
        });
    }
    let mut text = replace_with(&WRAPPED_BLOCKQUOTE, text, |m, out| {
        out.push_str(&m["<p>".len()..]);
        out.push_str("<p>");
    });
    if text.contains("</blockquote></p>") {
        text = text.replace("</blockquote></p>", "</p></blockquote>");
    }
    let text = replace_with(&P_BEFORE_BLOCK_TAG, text, |m, out| {
        out.push_str(trim_start(&m["<p>".len()..]));
    });
    replace_with(&P_AFTER_BLOCK_TAG, text, |m, out| {
        out.push_str(trim_end(&m[..m.len() - "</p>".len()]));
    })
}

/// Each line break left, but inside `<script>`, `<style>`, `<svg>` and `<math>`, made a
/// `<br />` unless one ends the line already; with `join`, the line break after each
/// `<br />` is dropped (those inside tags, `<pre>` and the elements above are set aside).
fn line_breaks(text: String, join: bool) -> String {
    let mut text = preserve_newlines(text);
    if text.contains("<br>") || text.contains("<br/>") {
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />");
    }
    // `(?<!<br />)\s*\n` → `<br />\n`: each run of whitespace up to its last line break
    // (what `\s*\n` matches). Where a run follows a `<br />`, PCRE's look-behind fails
    // and it tries again one character on, which keeps that character.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut at = 0;
    while let Some(newline) = text[at..].find('\n').map(|i| at + i) {
        let start = at
            + bytes[at..newline]
                .iter()
                .rposition(|&b| !is_space(char::from(b)))
                .map_or(0, |i| i + 1);
        let run_end = newline
            + bytes[newline..]
                .iter()
                .position(|&b| !is_space(char::from(b)))
                .unwrap_or(bytes.len() - newline);
        let end = newline
            + 1
            + bytes[newline..run_end]
                .iter()
                .rposition(|&b| b == b'\n')
                .unwrap_or(0);
        out.push_str(&text[at..start]);
        // With `join`, no line break is written after a `<br />` (rather than dropped
        // by another pass over the text: every post comes through here).
        let mut from = start;
        if text[..start].ends_with("<br />") {
            if end - start == 1 {
                if !join {
                    out.push('\n');
                }
                at = end;
                continue;
            }
            // The character is ASCII whitespace: one byte.
            if !(join && bytes[from] == b'\n') {
                out.push_str(&text[from..from + 1]);
            }
            from += 1;
        }
        debug_assert!(from < end);
        out.push_str(if join { "<br />" } else { "<br />\n" });
        at = end;
    }
    out.push_str(&text[at..]);
    if out.contains(PRESERVED_NEWLINE) {
        out = out.replace(PRESERVED_NEWLINE, "\n");
    }
    out
}

/// Line breaks inside `<script>`, `<style>`, `<svg>` and `<math>` (to the first closing tag
/// of the same name) made placeholders.
fn preserve_newlines(text: String) -> String {
    if !PRESERVED.is_match(&text) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(open) = PRESERVED.captures_at(&text, at) {
        let (whole, name) = element_of(&open);
        let Some(end) = text[whole.end()..]
            .find(&format!("</{name}>"))
            .map(|i| whole.end() + i + name.len() + 3)
        else {
            break;
        };
        out.push_str(&text[at..whole.start()]);
        out.push_str(&text[whole.start()..end].replace('\n', PRESERVED_NEWLINE));
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

fn element_of<'t>(captures: &Captures<'t>) -> (regex::Match<'t>, &'t str) {
    let whole = captures.get(0).expect("a match has its whole");
    let name = captures.get(1).map_or("", |m| m.as_str());
    (whole, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::migrate::html::to_markdown;

    /// WordPress's `wpautop` exactly (as checked against it).
    fn autop(text: &str) -> String {
        wpautop(text, false)
    }

    /// The Markdown the importer writes for classic-editor text.
    fn md(text: &str) -> String {
        to_markdown(&shown(text.to_string())).0
    }

    #[test]
    fn blank_lines_are_paragraphs_and_single_breaks_br() {
        assert_eq!(
            autop("First line\nsecond line\n\nNext"),
            "<p>First line<br />\nsecond line</p>\n<p>Next</p>\n"
        );
        assert_eq!(
            md("First line\nsecond line\n\nNext"),
            "First line\\\nsecond line\n\nNext"
        );
        assert_eq!(autop("  \n \n"), "");
    }

    #[test]
    fn lists_have_no_breaks_around_their_items() {
        let text = "Check:\n<ul>\n\t<li>one</li>\n\t<li>two\n<ol>\n\t<li>nested</li>\n</ol>\n</li>\n</ul>\nAfter";
        assert_eq!(
            autop(text),
            "<p>Check:</p>\n<ul>\n<li>one</li>\n<li>two\n<ol>\n<li>nested</li>\n</ol>\n</li>\n</ul>\n<p>After</p>\n"
        );
        assert_eq!(md(text), "Check:\n\n- one\n- two\n  1. nested\n\nAfter");
    }

    #[test]
    fn block_names_are_wordpresss() {
        let pattern = pattern(r"\A{B}\z");
        let names = ALL_BLOCKS
            .trim_start_matches("(?:")
            .trim_end_matches(')')
            .split('|')
            .flat_map(|n| match n {
                "h[1-6]" => (1..=6).map(|i| format!("h{i}")).collect(),
                n => vec![n.to_string()],
            });
        for name in names.chain(["span", "P", "b", "header1", "h7", ""].map(String::from)) {
            assert_eq!(is_block(&name), pattern.is_match(&name), "{name}");
        }
    }

    #[test]
    fn headings_and_blockquotes_stand_alone() {
        let text = "Headings\n<h1>One</h1>\n<h2>Two</h2>\nText under\nthem\n<blockquote>Quoted\nline</blockquote>\nEnd";
        assert_eq!(
            md(text),
            "Headings\n\n# One\n\n## Two\n\nText under\\\nthem\n\n> Quoted\\\n> line\n\nEnd"
        );
    }

    #[test]
    fn tables_keep_their_cells() {
        let text = "<table>\n<tr>\n<th>A</th>\n<th>B</th>\n</tr>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</table>";
        assert_eq!(
            autop(text),
            "<table>\n<tr>\n<th>A</th>\n<th>B</th>\n</tr>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</table>\n"
        );
        assert_eq!(md(text), "| A | B |\n| - | - |\n| 1 | 2 |");
    }

    #[test]
    fn pre_is_kept_as_written() {
        let text = "Code:\n<pre>line one\n\nline two</pre>\nAfter\nit";
        assert_eq!(
            autop(text),
            "<p>Code:</p>\n<pre>line one\n\nline two</pre>\n<p>After<br />\nit</p>\n"
        );
        assert_eq!(
            md(text),
            "Code:\n\n```\nline one\n\nline two\n```\n\nAfter\\\nit"
        );
        // A closing tag without its opening one is kept.
        assert_eq!(autop("a</pre>b"), "<p>a</pre>\n<p>b</p>\n");
    }

    #[test]
    fn shortcodes_on_their_own_line_are_paragraphs() {
        assert_eq!(
            md("Before\n\n[poll id=\"7\"]\n\nAfter"),
            "Before\n\n\\[poll id=\"7\"\\]\n\nAfter"
        );
    }

    #[test]
    fn the_more_marker_stands_between_paragraphs() {
        assert_eq!(
            autop("Lead line\n<!--more-->\nRest"),
            "<p>Lead line</p>\n<p><!--more--></p>\n<p>Rest</p>\n"
        );
        assert_eq!(
            md("Lead line <!--more-->\nRest"),
            "Lead line\n\n<!--more-->\n\nRest"
        );
    }

    #[test]
    fn line_breaks_inside_tags_and_scripts_stay() {
        assert_eq!(
            autop("<a\nhref=\"/x/\">link</a> and\n<script>a();\nb();</script>"),
            "<p><a\nhref=\"/x/\">link</a> and<br />\n<script>a();\nb();</script></p>\n"
        );
        // A break after a `<br />` gets no second one; one after a space does (as in
        // WordPress).
        assert_eq!(
            autop("a<br />\nb<br> \nc"),
            "<p>a<br />\nb<br /> <br />\nc</p>\n"
        );
    }

    #[test]
    fn block_editor_text_is_shown_as_it_is() {
        let blocks = "<!-- wp:quote -->\n<blockquote><p>Q</p>\n<cite>Who</cite></blockquote>\n<!-- /wp:quote -->";
        assert_eq!(shown(blocks.to_string()), blocks);
        assert_eq!(md(blocks), "> Q\n>\n> Who");
    }

    #[test]
    fn a_break_that_ends_a_block_is_dropped() {
        let html = "<blockquote><p>Q</p><cite>Who<br></cite></blockquote>\n<table><tr><td>Cell<br /></td><td><br><br></td></tr></table><p>a<br><b>b</b><br>\n</p>\n<p>End<br>";
        assert_eq!(
            shown(format!("<!-- wp:x -->{html}")),
            "<!-- wp:x --><blockquote><p>Q</p><cite>Who</cite></blockquote>\n<table><tr><td>Cell</td><td></td></tr></table><p>a<br><b>b</b></p>\n<p>End"
        );
    }
}
