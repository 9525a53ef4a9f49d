//! In-page anchors that keep landing: where the old platform gave a heading another id
//! than Gazette's rule gives it, the imported Markdown names the old id explicitly
//! (`## Definitions {#161-definitions}`, heading attributes, which the build reads), so a
//! link to `page#161-definitions` still finds its heading.
//!
//! Invariants: a heading is given an id only where Gazette's would differ from the old
//! platform's, so the text changes no more than it must; after [`keep_ids`], Gazette's id
//! of every heading it could write is the old platform's (checked against the build's own
//! rule, [`crate::content::markdown::heading_ids`], not a copy of it); a heading whose id
//! the attribute syntax cannot hold (one with spaces or braces) is counted, never written.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::content::markdown::{block_ends_lowercased, heading_ids, options};

/// A heading of the imported Markdown as the old platform saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Its last line of text as written (`Using [Rust](https://…) *fast*`), without the
    /// `#` marks or an attribute block: what Hugo makes ids of.
    pub line: String,
    /// Its text as a reader sees it (text and code, no markup): what Zola makes ids of.
    pub text: String,
}

/// How a platform made heading ids.
pub struct Rule<'a> {
    /// The id of a heading, before a repeated one is numbered; `None`: it had none.
    pub id: &'a dyn Fn(&Heading) -> Option<String>,
    /// Whether ids written in the text (`{#id}`) are taken before any is made (Zola),
    /// or where they stand in the text (Hugo's Goldmark).
    pub written_first: bool,
}

/// A heading found in the Markdown, with where to write its id.
struct Found {
    heading: Heading,
    written: Option<String>,
    /// Whether it has an attribute block already (`{.class}`), which a second cannot
    /// follow.
    has_attributes: bool,
    /// What ` {#id}` replaces: the end of its last line of text, and a closing `##`
    /// sequence after it (an attribute block must end the line).
    insert_at: Range<usize>,
}

/// `markdown` with each heading's old id written where Gazette's differs, and how many
/// headings keep an old id Gazette could not write.
pub fn keep_ids(markdown: &str, rule: &Rule) -> (String, usize) {
    let found = headings(markdown);
    if found.is_empty() {
        return (markdown.to_string(), 0);
    }
    let old = old_ids(&found, rule);
    let mut writes: Vec<(usize, String)> = Vec::new();
    let mut lost;
    // Writing one id can move Gazette's numbering of a later heading (`x`, `x-1`), so
    // compare again until they agree; each round writes at least one id, or stops.
    loop {
        let text = with_writes(markdown, &found, &writes);
        let ids = heading_ids(&text);
        if ids.len() != found.len() {
            // The ids changed the Markdown's structure; keep it as it was.
            return (markdown.to_string(), old.iter().flatten().count());
        }
        let mut wrote = false;
        lost = 0;
        for (i, (f, (old, new))) in found.iter().zip(old.iter().zip(&ids)).enumerate() {
            let Some(old) = old else { continue };
            if old == new || writes.iter().any(|(at, _)| *at == i) {
                continue;
            }
            if f.written.is_some() || f.has_attributes || !writable(old) {
                lost += 1;
                continue;
            }
            writes.push((i, old.clone()));
            wrote = true;
        }
        if !wrote {
            return (text, lost);
        }
    }
}

/// `markdown` with ` {#id}` added to the headings `writes` names (by index).
fn with_writes(markdown: &str, found: &[Found], writes: &[(usize, String)]) -> String {
    let mut at: Vec<(Range<usize>, &str)> = writes
        .iter()
        .map(|(i, id)| (found[*i].insert_at.clone(), id.as_str()))
        .collect();
    at.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(markdown.len() + writes.len() * 24);
    let mut copied = 0;
    for (range, id) in at {
        out.push_str(&markdown[copied..range.start]);
        out.push_str(" {#");
        out.push_str(id);
        out.push('}');
        copied = range.end;
    }
    out.push_str(&markdown[copied..]);
    out
}

/// Whether the attribute syntax can hold `id`: no ASCII white space, no braces.
pub(super) fn writable(id: &str) -> bool {
    !id.is_empty() && !id.contains(|c: char| c.is_ascii_whitespace() || c == '{' || c == '}')
}

/// The old platform's id of each heading, repeats numbered `-1`, `-2`… as it numbers them.
fn old_ids(found: &[Found], rule: &Rule) -> Vec<Option<String>> {
    let mut taken: HashSet<String> = HashSet::new();
    if rule.written_first {
        taken.extend(found.iter().filter_map(|f| f.written.clone()));
    }
    found
        .iter()
        .map(|f| {
            if let Some(written) = &f.written {
                taken.insert(written.clone());
                return Some(written.clone());
            }
            let base = (rule.id)(&f.heading)?;
            let mut id = base.clone();
            let mut n = 1;
            while taken.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            taken.insert(id.clone());
            Some(id)
        })
        .collect()
}

/// Every heading of `markdown`, in order.
fn headings(markdown: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut current: Option<(Range<usize>, Found)> = None;
    let mut quote_depth = 0usize;
    // Parsed as the build parses it; the offsets are the same in both texts.
    let parsed = block_ends_lowercased(markdown);
    for (event, range) in Parser::new_ext(&parsed, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) => {
                let (line, insert_at) = last_line(markdown, range.clone(), quote_depth);
                current = Some((
                    range,
                    Found {
                        heading: Heading {
                            line,
                            text: String::new(),
                        },
                        written: id.map(|i| i.to_string()),
                        has_attributes: !classes.is_empty() || !attrs.is_empty(),
                        insert_at,
                    },
                ));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, f)) = current.as_mut() {
                    f.heading.text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((_, f)) = current.take() {
                    found.push(f);
                }
            }
            _ => {}
        }
    }
    found
}

/// A heading's last line of text, as written, and the bytes an attribute block would
/// replace (none after its text; a closing `##` sequence).
fn last_line(markdown: &str, range: Range<usize>, quote_depth: usize) -> (String, Range<usize>) {
    let source = &markdown[range.clone()];
    let atx = source.trim_start().starts_with('#');
    // A setext heading's last line of text is the one above its underline.
    let lines: Vec<(usize, &str)> = source
        .split_inclusive('\n')
        .scan(range.start, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line))
        })
        .collect();
    let (start, line) = if atx || lines.len() < 2 {
        lines[0]
    } else {
        lines[lines.len() - 2]
    };
    let line = line.trim_end_matches(['\n', '\r']);
    let mut text = line;
    let mut lead = 0;
    if atx {
        let trimmed = text.trim_start().trim_start_matches('#');
        lead = text.len() - trimmed.len();
        text = trimmed;
    } else if start != range.start {
        // Later lines of a setext heading in a block quote carry its `>` marks.
        for _ in 0..quote_depth {
            let trimmed = text.trim_start();
            let trimmed = trimmed.strip_prefix('>').unwrap_or(trimmed);
            lead += text.len() - trimmed.len();
            text = trimmed;
        }
    }
    let line_end = text.trim_end().len();
    let mut end = line_end;
    if atx {
        // A closing sequence: `#`s after white space (or alone).
        let body = text[..end].trim_end_matches('#');
        if body.len() < end && (body.is_empty() || body.ends_with([' ', '\t'])) {
            end = body.trim_end().len();
        }
    }
    let at = start + lead;
    (text[..end].trim().to_string(), at + end..at + line_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_line(h: &Heading) -> Option<String> {
        Some(h.line.to_lowercase().replace(' ', "_"))
    }

    #[test]
    fn old_ids_are_written_only_where_gazettes_differ() {
        let rule = Rule {
            id: &by_line,
            written_first: false,
        };
        let markdown =
            "# Plain\n\n## Two Words ##\n\nSetext `code`\n---\n\n> ## In quote\n\n## Own {#mine}\n";
        let (text, lost) = keep_ids(markdown, &rule);
        assert_eq!(
            text,
            "# Plain\n\n## Two Words {#two_words}\n\nSetext `code` {#setext_`code`}\n---\n\n> ## In quote {#in_quote}\n\n## Own {#mine}\n"
        );
        assert_eq!(lost, 0);
        let ids = heading_ids(&text);
        assert_eq!(
            ids,
            ["plain", "two_words", "setext_`code`", "in_quote", "mine"]
        );
    }

    /// pulldown-cmark ends a `<PRE>` block only at a lowercase `</pre>`; the build reads
    /// the headings after an upper-case one ([`block_ends_lowercased`]), so must this.
    #[test]
    fn headings_after_an_upper_case_end_tag_keep_their_ids() {
        let rule = Rule {
            id: &by_line,
            written_first: false,
        };
        let markdown = "<PRE><CODE>out</CODE></PRE>\n\n## Two Words\n";
        let (text, lost) = keep_ids(markdown, &rule);
        assert_eq!(
            text,
            "<PRE><CODE>out</CODE></PRE>\n\n## Two Words {#two_words}\n"
        );
        assert_eq!(lost, 0);
    }
}
