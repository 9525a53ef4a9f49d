//! Markdown to HTML, done once per article at load time.
//!
//! Besides the HTML this pass derives everything else that needs the parsed text — the plain
//! text summary (the first paragraph, or everything before a `<!-- more -->` line, as in
//! Hugo and Zola), the word count, heading ids and the table of contents — so no later
//! stage parses Markdown again.
//! Fenced code is highlighted with CSS classes (`hl-…`), never inline styles, so themes
//! control the colours. With `[markdown] safe_html` the HTML goes through the sanitizer
//! here, once per article load, before anything reads it (images, links, pictures).
//! Shortcodes ([`super::shortcodes`]) are rendered here too, after the sanitizer: their
//! HTML is Gazette's (or the site's templates'), not the article's.
//! A raw HTML block opened by `<pre>`, `<script>`, `<style>` or `<textarea>` ends at its end
//! tag in any case, as CommonMark says ([`block_ends_lowercased`] works around
//! pulldown-cmark's lowercase-only search); whatever parses a body for the build's ids (the
//! importers) parses it the same way.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::shortcodes::{Expanded, ShortcodeError, Shortcodes, parse};
use crate::urls::slug::slugify;

/// What one Markdown document becomes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub html: String,
    /// The summary as plain text: what comes before a `<!-- more -->` line, else the first
    /// paragraph (empty when there is none).
    pub first_paragraph: String,
    pub word_count: usize,
    /// Every heading, in order: the table of contents.
    pub toc: Vec<Heading>,
    /// The version of the site's own shortcode templates when the body used shortcodes
    /// (0 otherwise): the HTML changes with them while the file does not.
    pub shortcodes: u64,
}

/// One heading of a document, for its table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`…
    pub level: u8,
    pub id: String,
    /// As plain text.
    pub text: String,
}

/// Whether an HTML event is the summary marker `<!-- more -->`.
fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders Markdown to HTML with heading ids and highlighted code, shortcodes left as
/// text: for author bios and the importers' checks of what text renders to.
pub fn render(markdown: &str) -> Rendered {
    Renderer::default().render_markdown(markdown, None)
}

/// The id each heading of `markdown` gets when it is rendered, in order: for the
/// importer, which keeps another platform's ids where they differ.
pub fn heading_ids(markdown: &str) -> Vec<String> {
    let markdown = block_ends_lowercased(markdown);
    let mut events: Vec<Event> = Parser::new_ext(&markdown, options()).collect();
    assign_heading_ids(&mut events)
        .into_iter()
        .map(|h| h.id)
        .collect()
}

/// The tags whose end, on a line of a raw HTML block they open, ends the block
/// (CommonMark's HTML blocks of type 1), as pulldown-cmark looks for them.
const BLOCK_END_TAGS: [&str; 4] = ["</pre>", "</style>", "</script>", "</textarea>"];

/// `markdown` with the end tag that closes each raw HTML block opened by `<pre>`,
/// `<script>`, `<style>` or `<textarea>` in lowercase, for pulldown-cmark to parse.
///
/// CommonMark ends such a block at the first line holding its end tag in any case, but
/// pulldown-cmark finds it in lowercase only: a `</PRE>` (as R Markdown writes them) left
/// the block open to the end of the document, its headings and Markdown shown as raw
/// text, with no ids. HTML does not care about the case, and only an end tag the parser
/// reads as inside such a block is changed (not one in a code block or a code span), so
/// the HTML means what it did. Changing case keeps every byte where it was: offsets into
/// the result are offsets into `markdown`. Text with no such tag in another case is
/// returned as it is, without a second parse, and borrowed when nothing changed.
pub fn block_ends_lowercased(markdown: &str) -> Cow<'_, str> {
    // Run on every body: memchr's vectorised search, as few instructions as a byte or less.
    let candidates = |text: &str| -> Vec<usize> {
        memchr::memmem::find_iter(text.as_bytes(), b"</")
            .filter(|&at| {
                BLOCK_END_TAGS.iter().any(|tag| {
                    text.get(at..at + tag.len())
                        .is_some_and(|found| found.eq_ignore_ascii_case(tag) && found != *tag)
                })
            })
            .collect()
    };
    if candidates(markdown).is_empty() {
        return Cow::Borrowed(markdown);
    }
    let mut text = markdown.to_string();
    // Each pass lowercases the first such tag inside a block the parser leaves open, then
    // parses again: the block now ends there, and what follows may be Markdown again.
    // A pass parses the whole text, so a body of thousands of such blocks (written to
    // stall a build) gets the first `MAX_PASSES` ended and the rest as pulldown-cmark
    // reads them, rather than a parse per block.
    const MAX_PASSES: usize = 64;
    for _ in 0..MAX_PASSES {
        let open = Parser::new_ext(&text, options())
            .into_offset_iter()
            .filter(|(event, _)| matches!(event, Event::Start(Tag::HtmlBlock)))
            .map(|(_, range)| range)
            .find_map(|range| {
                let at = candidates(&text[range.clone()]).into_iter().next()?;
                Some(range.start + at)
            });
        let Some(at) = open else {
            return if text == markdown {
                Cow::Borrowed(markdown)
            } else {
                Cow::Owned(text)
            };
        };
        let end = text[at..].find('>').map_or(text.len(), |p| at + p + 1);
        text[at..end].make_ascii_lowercase();
    }
    Cow::Owned(text)
}

/// Renders many documents, from any number of threads, highlighting each distinct code
/// block once: syntax highlighting costs far more than the rest of Markdown rendering
/// (about 35 µs per line), and newsrooms repeat snippets (install commands, boilerplate).
/// Owned by one build (or one watch session), never global.
#[derive(Default)]
pub struct Renderer {
    /// (language, code) → highlighted HTML.
    highlighted: Mutex<HashMap<(String, String), String>>,
    /// Render nothing: for a load that needs only where each file's page is.
    skip: bool,
    /// Whether the HTML goes through the sanitizer (`[markdown] safe_html`).
    safe_html: bool,
    /// The site's shortcodes; `None` for the built-in ones alone.
    shortcodes: Option<Arc<Shortcodes>>,
}

impl Renderer {
    /// A renderer whose HTML goes through the sanitizer when `safe_html` is set.
    pub fn new(safe_html: bool) -> Renderer {
        Renderer {
            safe_html,
            ..Renderer::default()
        }
    }

    /// A renderer that renders nothing (every document empty), for loads that need only
    /// the site's URLs (an import measuring which old URLs answer).
    pub fn skipping() -> Renderer {
        Renderer {
            skip: true,
            ..Renderer::default()
        }
    }

    /// Sets whether the HTML goes through the sanitizer, keeping the highlighted code.
    pub fn set_safe_html(&mut self, safe_html: bool) {
        self.safe_html = safe_html;
    }

    /// Sets the shortcodes bodies may use (the site's and its theme's with the built-ins).
    pub fn set_shortcodes(&mut self, shortcodes: Arc<Shortcodes>) {
        self.shortcodes = Some(shortcodes);
    }

    /// Renders a body with its shortcodes; an error names the byte of the body where the
    /// shortcode that failed is.
    pub fn render(&self, markdown: &str) -> Result<Rendered, ShortcodeError> {
        if self.skip {
            return Ok(Rendered::default());
        }
        let Some(pieces) = parse::parse(markdown)? else {
            return Ok(self.render_markdown(markdown, None));
        };
        let built_in;
        let shortcodes = match &self.shortcodes {
            Some(own) => own,
            None => {
                built_in = Shortcodes::built_in();
                &built_in
            }
        };
        let expanded = Expanded::of(markdown, pieces, shortcodes)?;
        Ok(self.render_markdown(&expanded.markdown, Some(&expanded)))
    }

    /// Renders Markdown whose shortcodes, if any, are `expanded`'s markers.
    fn render_markdown(&self, markdown: &str, expanded: Option<&Expanded>) -> Rendered {
        let markdown = block_ends_lowercased(markdown);
        let mut events: Vec<Event> = Parser::new_ext(&markdown, options()).collect();
        let (first_paragraph, word_count) = match expanded {
            Some(expanded) => {
                events = lift_markers(events, expanded);
                // A shortcode's arguments are not the article's words.
                let stripped: Vec<Event> = events
                    .iter()
                    .map(|e| match e {
                        Event::Text(t) => {
                            Event::Text(CowStr::from(expanded.replace(t, |_| String::new())))
                        }
                        other => other.clone(),
                    })
                    .collect();
                text_facts(&stripped)
            }
            None => text_facts(&events),
        };
        let toc = assign_heading_ids(&mut events);
        let events = self.highlight_code(events);
        let mut html = String::with_capacity(markdown.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        if self.safe_html {
            html = crate::sanitize::clean_html(&html);
        }
        if let Some(expanded) = expanded {
            html = expanded.finish(&html);
        }
        Rendered {
            html,
            first_paragraph,
            word_count,
            toc,
            shortcodes: expanded.map_or(0, |e| e.version),
        }
    }

    fn highlight_code<'a>(&self, events: Vec<Event<'a>>) -> Vec<Event<'a>> {
        let mut out = Vec::with_capacity(events.len());
        let mut code: Option<(String, String)> = None; // (language, text)
        for event in events {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => {
                            info.split_whitespace().next().unwrap_or("").to_string()
                        }
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((lang, String::new()));
                }
                Event::Text(t) if code.is_some() => {
                    if let Some((_, text)) = code.as_mut() {
                        text.push_str(&t);
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some(key) = code.take() {
                        out.push(Event::Html(CowStr::from(self.code_block_html(key))));
                    }
                }
                other => out.push(other),
            }
        }
        out
    }

    fn code_block_html(&self, key: (String, String)) -> String {
        let lock = || {
            self.highlighted
                .lock()
                .expect("no thread panics while holding this lock")
        };
        if let Some(html) = lock().get(&key) {
            return html.clone();
        }
        // Highlight outside the lock, so threads never wait on each other's highlighting.
        let html = code_block_html(&key.0, &key.1);
        lock().insert(key, html.clone());
        html
    }
}

/// A paragraph holding one shortcode's marker alone, whose HTML is a block (a `<div>`, a
/// `<figure>`), becomes the bare marker, so the HTML stands in its place rather than
/// inside a `<p>`.
fn lift_markers<'a>(events: Vec<Event<'a>>, expanded: &Expanded) -> Vec<Event<'a>> {
    let mut out: Vec<Event<'a>> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let (
            Event::Start(Tag::Paragraph),
            Some(Event::Text(t)),
            Some(Event::End(TagEnd::Paragraph)),
        ) = (&events[i], events.get(i + 1), events.get(i + 2))
            && expanded.is_block(t)
        {
            out.push(Event::Html(CowStr::from(format!("{}\n", t.trim()))));
            i += 3;
            continue;
        }
        out.push(events[i].clone());
        i += 1;
    }
    out
}

fn text_facts(events: &[Event]) -> (String, usize) {
    let mut first = String::new();
    let mut in_first = false;
    let mut first_done = false;
    let mut words = 0;
    // With a `<!-- more -->` line, the summary is all the text before it.
    let marker = events
        .iter()
        .position(|e| matches!(e, Event::Html(h) | Event::InlineHtml(h) if is_more_marker(h)));
    if let Some(marker) = marker {
        let mut before = String::new();
        for event in &events[..marker] {
            match event {
                Event::Text(t) | Event::Code(t) => before.push_str(t),
                Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                    before.push(' ')
                }
                _ => {}
            }
        }
        first = before.split_whitespace().collect::<Vec<_>>().join(" ");
        first_done = true;
    }
    for event in events {
        match event {
            Event::Start(Tag::Paragraph) if !first_done => in_first = true,
            Event::End(TagEnd::Paragraph) if in_first => {
                in_first = false;
                first_done = true;
            }
            Event::Text(t) | Event::Code(t) => {
                words += count_words(t);
                if in_first {
                    first.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak if in_first => first.push(' '),
            _ => {}
        }
    }
    (first.trim().to_string(), words)
}

/// Words separated by ASCII whitespace. This runs over every article's whole text, so it
/// counts word starts (a non-space byte after a space) branch-free, summed in bytes per
/// chunk of 255 pairs, which the compiler vectorizes.
fn count_words(text: &str) -> usize {
    fn space(b: u8) -> bool {
        (b == b' ') | (b == b'\t') | (b == b'\n') | (b == b'\r') | (b == 0x0c)
    }
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    let (before, after) = (&bytes[..bytes.len() - 1], &bytes[1..]);
    let starts: usize = before
        .chunks(255)
        .zip(after.chunks(255))
        .map(|(before, after)| {
            let chunk: u8 = before
                .iter()
                .zip(after)
                .map(|(&a, &b)| u8::from(space(a) & !space(b)))
                .sum();
            usize::from(chunk)
        })
        .sum();
    starts + usize::from(!space(first))
}

/// Gives every heading without an explicit `{#id}` an id made from its text, unique
/// within the document, so readers can link to sections; returns every heading.
///
/// The rule, which links depend on (so it must not change): the heading's text, made a
/// slug as URLs are (lowercase ASCII words joined by hyphens, other scripts
/// transliterated), `section` when that is empty; a repeated one gets `-1`, `-2`… in order.
fn assign_heading_ids(events: &mut [Event]) -> Vec<Heading> {
    let mut used: HashMap<String, usize> = HashMap::new();
    for e in events.iter() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            used.insert(id.to_string(), 1);
        }
    }
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = match slugify(&text) {
                s if s.is_empty() => "section".to_string(),
                s => s,
            };
            let n = used.entry(base.clone()).or_insert(0);
            let id = if *n == 0 { base } else { format!("{base}-{n}") };
            *n += 1;
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
            i = j;
        }
        i += 1;
    }
    let mut toc = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            level,
            id: Some(id),
            ..
        }) = &events[i]
        {
            let mut text = String::new();
            i += 1;
            while i < events.len() && !matches!(events[i], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[i] {
                    text.push_str(t);
                }
                i += 1;
            }
            toc.push(Heading {
                level: *level as u8,
                id: id.to_string(),
                text,
            });
        }
        i += 1;
    }
    toc
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn code_block_html(lang: &str, code: &str) -> String {
    let escaped_lang = html_escape(lang);
    let syntax = (!lang.is_empty())
        .then(|| syntaxes().find_syntax_by_token(lang))
        .flatten();
    let Some(syntax) = syntax else {
        return if lang.is_empty() {
            format!("<pre><code>{}</code></pre>\n", html_escape(code))
        } else {
            format!(
                "<pre><code class=\"language-{escaped_lang}\">{}</code></pre>\n",
                html_escape(code)
            )
        };
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        syntaxes(),
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre><code class=\"language-{escaped_lang}\">{}</code></pre>\n",
                html_escape(code)
            );
        }
    }
    format!(
        "<pre class=\"highlight\"><code class=\"language-{escaped_lang}\">{}</code></pre>\n",
        generator.finalize()
    )
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_extensions() {
        let r = render("a | b\n--|--\n1 | 2\n\n~~old~~ text[^1]\n\n[^1]: note\n");
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("<del>old</del>"), "{}", r.html);
        assert!(r.html.contains("footnote"), "{}", r.html);
    }

    #[test]
    fn a_more_line_cuts_the_summary_and_headings_make_the_contents() {
        let r = render("One.\n\nTwo.\n\n<!--  MORE -->\n\nThree.\n\n## A `b`\n\n### C {#own}\n");
        assert_eq!(r.first_paragraph, "One. Two.");
        let toc: Vec<(u8, &str, &str)> = r
            .toc
            .iter()
            .map(|h| (h.level, h.id.as_str(), h.text.as_str()))
            .collect();
        assert_eq!(toc, [(2, "a-b", "A b"), (3, "own", "C")]);
        assert!(!is_more_marker("<!-- more than this -->"));
        assert_eq!(render("Only.\n\nMore.").first_paragraph, "Only.");
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render("## Hello World\n\n## Hello World\n\n## Custom {#mine}\n");
        assert!(r.html.contains("<h2 id=\"hello-world\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"hello-world-1\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"mine\">"), "{}", r.html);
    }

    #[test]
    fn an_upper_case_end_tag_ends_its_html_block() {
        let markdown = "<PRE class=\"out\"><CODE>x &lt; 1</CODE></PRE>\n\n## Fresh start\n\n\
                        `</STYLE>` stays\n\n<Script>\nlet a = 1;\n</SCRIPT>\n\n## Two\n";
        let r = render(markdown);
        assert_eq!(
            r.html,
            "<PRE class=\"out\"><CODE>x &lt; 1</CODE></pre>\n\
             <h2 id=\"fresh-start\">Fresh start</h2>\n\
             <p><code>&lt;/STYLE&gt;</code> stays</p>\n\
             <Script>\nlet a = 1;\n</script>\n\
             <h2 id=\"two\">Two</h2>\n"
        );
        assert_eq!(heading_ids(markdown), ["fresh-start", "two"]);
        let plain = "<pre>x</pre>\n\n`</PRE>`\n";
        assert!(matches!(block_ends_lowercased(plain), Cow::Borrowed(_)));
    }

    #[test]
    fn only_the_first_64_upper_case_end_tags_are_each_parsed_for() {
        let markdown: String = (0..70)
            .map(|n| format!("<pre>x</PRE>\n\n# H{n}\n\n"))
            .collect();
        let ids: Vec<String> = (0..64).map(|n| format!("h{n}")).collect();
        assert_eq!(heading_ids(&markdown), ids);
    }

    #[test]
    fn code_is_highlighted_with_classes_not_styles() {
        let r = render("```rust\nfn main() {}\n```\n");
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        assert!(!r.html.contains("style="), "{}", r.html);
        let plain = render("```nosuchlang\n<b>\n```\n");
        assert!(plain.html.contains("&lt;b&gt;"), "{}", plain.html);
    }

    #[test]
    fn a_renderer_highlights_a_repeated_block_once_with_the_same_result() {
        let renderer = Renderer::default();
        let doc = "```rust\nlet x = 1;\n```\n";
        let first = renderer.render(doc).unwrap();
        assert_eq!(renderer.render(doc).unwrap(), first);
        assert_eq!(render(doc), first);
        assert_eq!(renderer.highlighted.lock().unwrap().len(), 1);
    }

    #[test]
    fn words_are_counted_between_whitespace() {
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("  one\ttwo\n three  "), 3);
        assert_eq!(count_words("naïve café — ok"), 4);
    }

    #[test]
    fn first_paragraph_and_words() {
        let r = render("# Title\n\nOne *two*\nthree.\n\nFour five.\n");
        assert_eq!(r.first_paragraph, "One two three.");
        assert_eq!(r.word_count, 6);
    }
}
