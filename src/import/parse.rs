//! Reading one seed: from scraped text to the parts of an article.
//!
//! The order of the rules matters and is the documented order (docs/import.md): chrome
//! goes first, then the title, the byline and dateline near the top, "Read more" and
//! "Image Credit" lines anywhere, trailing author blocks, and what remains is the body.

use chrono::NaiveDateTime;

use super::chrome;
use super::dateline::{is_name, parse_byline, parse_dateline};

/// How many lines under the title may hold the byline and dateline.
const HEADER_LINES: usize = 3;

/// A seed's article, before it is written as Markdown.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SeedArticle {
    pub title: String,
    pub date: Option<NaiveDateTime>,
    /// Bylined and trailing authors, in order, without repeats.
    pub authors: Vec<String>,
    /// Trailing author blocks: (name, bio).
    pub bios: Vec<(String, String)>,
    pub related: Vec<String>,
    pub image_credit: Option<String>,
    pub body: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(String),
    Heading(String),
    List(Vec<String>),
}

impl SeedArticle {
    /// The body's text for tagging: a line per paragraph, heading or list item.
    pub fn body_text(&self) -> String {
        let mut text = String::new();
        for block in &self.body {
            let lines = match block {
                Block::Paragraph(t) | Block::Heading(t) => std::slice::from_ref(t),
                Block::List(items) => items.as_slice(),
            };
            for line in lines {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(line);
            }
        }
        text
    }

    pub fn first_paragraph(&self) -> Option<&str> {
        self.body.iter().find_map(|b| match b {
            Block::Paragraph(t) => Some(t.as_str()),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    Empty,
    NoTitle,
}

/// Lines of the seed with chrome removed, trimmed, blank lines dropped.
fn content_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut skip_next = false;
    for raw in text.lines() {
        let line = chrome::strip_fragments(
            raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'),
        );
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if skip_next {
            skip_next = false;
            continue;
        }
        if chrome::starts_chrome_block(line) {
            skip_next = true;
            continue;
        }
        if chrome::is_chrome_line(line) {
            continue;
        }
        lines.push(line.to_string());
    }
    lines
}

/// Parses a seed's text (already decoded, any line endings).
pub fn parse(text: &str) -> Result<SeedArticle, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let mut lines = content_lines(text);
    if lines.is_empty() {
        return Err(ParseError::NoTitle);
    }
    let title = lines.remove(0);
    if !title.chars().any(char::is_alphanumeric) {
        return Err(ParseError::NoTitle);
    }
    let mut article = SeedArticle {
        title,
        ..SeedArticle::default()
    };

    // Byline and dateline: only among the first lines under the title.
    let mut i = 0;
    while i < lines.len().min(HEADER_LINES) {
        if let Some(names) = parse_byline(&lines[i]) {
            push_unique(&mut article.authors, names);
            lines.remove(i);
        } else if article.date.is_none()
            && let Some(date) = parse_dateline(&lines[i])
        {
            article.date = Some(date);
            lines.remove(i);
        } else {
            i += 1;
        }
    }

    lines.retain(|line| {
        if let Some(title) = strip_label(line, "read more") {
            article.related.push(title.to_string());
            false
        } else if let Some(credit) = strip_label(line, "image credit") {
            article.image_credit = Some(credit.to_string());
            false
        } else {
            true
        }
    });

    // Trailing author blocks, last first.
    let mut bios = Vec::new();
    while lines.len() >= 2 {
        let (name, bio) = (&lines[lines.len() - 2], &lines[lines.len() - 1]);
        if !(is_name(name, 2, 4) && speaks_of(bio, name)) {
            break;
        }
        bios.insert(0, (name.clone(), bio.clone()));
        lines.truncate(lines.len() - 2);
    }
    push_unique(
        &mut article.authors,
        bios.iter().map(|(n, _)| n.clone()).collect(),
    );
    article.bios = bios;
    article.body = blocks(&lines);
    Ok(article)
}

fn push_unique(list: &mut Vec<String>, names: Vec<String>) {
    for n in names {
        if !list.contains(&n) {
            list.push(n);
        }
    }
}

/// "Read more: T" → "T" (label matched case-insensitively, colon required).
fn strip_label<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let head = line.get(..label.len())?;
    if !head.eq_ignore_ascii_case(label) {
        return None;
    }
    let rest = line[label.len()..].trim_start().strip_prefix(':')?.trim();
    (!rest.is_empty()).then_some(rest)
}

/// Whether a bio paragraph is about the named person: it starts with their first name
/// (or full name), or with He/She/They.
fn speaks_of(bio: &str, name: &str) -> bool {
    let first_word = bio
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(|c: char| !c.is_alphanumeric());
    let first_word = first_word
        .strip_suffix("’s")
        .or_else(|| first_word.strip_suffix("'s"))
        .unwrap_or(first_word);
    let first_name = name.split_whitespace().next().unwrap_or("");
    (first_word == first_name || ["He", "She", "They"].contains(&first_word))
        && bio.split_whitespace().count() >= 4
}

const BULLETS: &[&str] = &["• ", "- ", "* ", "– "];

fn list_item(line: &str) -> Option<&str> {
    BULLETS
        .iter()
        .find_map(|b| line.strip_prefix(b))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// A short line without final punctuation that introduces a paragraph is a subheading.
fn is_subheading(line: &str, next: Option<&str>) -> bool {
    let Some(next) = next else { return false };
    // Length first: most lines are long paragraphs, and counting words reads all of one.
    line.len() <= 70 * 4
        && line.chars().count() <= 70
        && (1..=10).contains(&line.split_whitespace().count())
        && line
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && !line.ends_with([
            '.', '!', '?', ':', ';', ',', '"', '”', '’', '\'', ')', '…', ']',
        ])
        && list_item(line).is_none()
        && list_item(next).is_none()
        && next.chars().count() > line.chars().count()
        && next.ends_with(['.', '!', '?', '"', '”', '’', ')', '…'])
}

fn blocks(lines: &[String]) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(item) = list_item(line) {
            if let Some(Block::List(items)) = blocks.last_mut() {
                items.push(item.to_string());
            } else {
                blocks.push(Block::List(vec![item.to_string()]));
            }
        } else if is_subheading(line, lines.get(i + 1).map(String::as_str)) {
            blocks.push(Block::Heading(line.clone()));
        } else {
            blocks.push(Block::Paragraph(line.clone()));
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_title_byline_dateline() {
        let a = parse(
            "Skip to main content\n\nAdvertisement\nBig news today\nBy Priya Patel\nPublished November 24, 2014\n\nFirst paragraph here.\n",
        )
        .unwrap();
        assert_eq!(a.title, "Big news today");
        assert_eq!(a.authors, ["Priya Patel"]);
        assert_eq!(a.date.unwrap().to_string(), "2014-11-24 00:00:00");
        assert_eq!(a.body, [Block::Paragraph("First paragraph here.".into())]);
    }

    #[test]
    fn newsletter_blocks_go_with_their_next_line() {
        let a =
            parse("Title\nSign up to the newsletter\nGet the best tech news daily!\nBody text.\n")
                .unwrap();
        assert_eq!(a.body, [Block::Paragraph("Body text.".into())]);
    }

    #[test]
    fn read_more_and_image_credit() {
        let a = parse(
            "Title\nOne.\nRead more: Other story\nTwo.\nRead more: Third story\nImage Credit: Flickr (Thomas An (opens in new tab))\n",
        )
        .unwrap();
        assert_eq!(a.related, ["Other story", "Third story"]);
        assert_eq!(a.image_credit.as_deref(), Some("Flickr (Thomas An)"));
        assert_eq!(a.body.len(), 2);
    }

    #[test]
    fn trailing_author_blocks() {
        let a = parse(
            "Title\nBody.\nAnn Lee\nAnn covers chips for the site.\nBo Chen\nHe writes about phones and apps.\n",
        )
        .unwrap();
        assert_eq!(a.authors, ["Ann Lee", "Bo Chen"]);
        assert_eq!(
            a.bios[1],
            ("Bo Chen".into(), "He writes about phones and apps.".into())
        );
        assert_eq!(a.body, [Block::Paragraph("Body.".into())]);
    }

    #[test]
    fn a_closing_sentence_is_not_an_author_block() {
        let a = parse("Title\nBody.\nThe End\nIt was a good year for everyone.\n").unwrap();
        assert!(a.authors.is_empty());
        assert_eq!(a.body.len(), 3);
    }

    #[test]
    fn lists_and_subheadings() {
        let a = parse(
            "Title\nWhat it means\nThe deal is large and matters.\n• one\n- two\n– three\nAfter.\n",
        )
        .unwrap();
        assert_eq!(
            a.body,
            [
                Block::Heading("What it means".into()),
                Block::Paragraph("The deal is large and matters.".into()),
                Block::List(vec!["one".into(), "two".into(), "three".into()]),
                Block::Paragraph("After.".into()),
            ]
        );
    }

    #[test]
    fn empty_and_titleless_seeds_are_errors() {
        assert_eq!(parse(" \n\t\n"), Err(ParseError::Empty));
        assert_eq!(
            parse("Skip to main content\nAdvertisement\n"),
            Err(ParseError::NoTitle)
        );
        assert_eq!(parse("***\n"), Err(ParseError::NoTitle));
    }
}
