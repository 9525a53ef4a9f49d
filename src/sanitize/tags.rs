//! Raw HTML as it stands in Markdown, judged tag by tag: a piece may open an element
//! another piece closes, so nothing is closed or balanced; text keeps its bytes, and a
//! tag keeps its own when the sanitizer would keep it whole.
//!
//! Invariant: what is written is text with no `<` a browser reads as markup, tags exactly
//! as the sanitizer keeps them (verified by reading each with html5ever's tokenizer, and
//! by the sanitizer's output being exactly that one element), and closed frames.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{LazyLock, Mutex};

use html5ever::tokenizer::{TagKind, Token};

use super::count::tokens;
use super::{
    BUILDER, CONTENT_DROPPED, Removal, Removed, TAGS, attribute, clean, frame_attributes,
    start_tag_text,
};

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

/// The same attributes with the same values, in any order.
fn same_attributes(a: &[html5ever::Attribute], b: &[html5ever::Attribute]) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|x| b.iter().any(|y| x.name == y.name && x.value == y.value))
}
