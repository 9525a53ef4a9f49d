//! YAML flow collections written across lines as Hugo's own sites write them, for the
//! YAML parser Gazette uses. The YAML spec wants every line of a `[…]` or `{…}` that sits
//! in a block mapping indented deeper than its key; yaml-rust2 holds to it, while the
//! parsers of the platforms we import from (Go's, Ruby's, PyYAML) do not, and real front
//! matter relies on that (hugoDocs: `aliases: [` … `]` with the `]` at column 1).
//!
//! [`indent_flow_lines`] indents such lines one space deeper than the line that opened
//! the collection. Invariant: used only as a second try, after the parser refused the text
//! as written; it adds spaces at the start of lines inside a flow collection and nothing
//! else, which changes no value (a flow scalar's line breaks fold, and the leading white
//! space of its lines goes with them).

/// `yaml` with each line inside a flow collection indented deeper than the line that
/// opened it; `None` when no line needed it.
pub fn indent_flow_lines(yaml: &str) -> Option<String> {
    let mut out = String::with_capacity(yaml.len() + 16);
    let mut scan = Scan::default();
    let mut opened_at = 0;
    let mut changed = false;
    for line in yaml.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let start = if scan.depth > 0 {
            let blank = line.trim().is_empty();
            if indent <= opened_at && !blank {
                out.extend(std::iter::repeat_n(' ', opened_at + 1 - indent));
                changed = true;
            }
            Some(0)
        } else {
            opened_at = indent;
            flow_start(line)
        };
        if let Some(start) = start {
            scan.line(&line[start..]);
        }
        out.push_str(line);
    }
    changed.then_some(out)
}

/// Where a flow collection starts in a line of block context: a value (after `key: ` or
/// `- `) that begins with `[` or `{`.
fn flow_start(line: &str) -> Option<usize> {
    let mut rest = line.trim_start_matches(' ');
    while let Some(item) = rest.strip_prefix("- ") {
        rest = item.trim_start_matches(' ');
    }
    if !rest.starts_with(['[', '{']) {
        let colon = rest.find(": ")?;
        let key = &rest[..colon];
        if key.contains(['#', '[', '{']) {
            return None;
        }
        rest = rest[colon + 1..].trim_start_matches(' ');
    }
    rest.starts_with(['[', '{'])
        .then(|| line.len() - rest.len())
}

/// The state of a scan through flow collections: how deep, and inside which quote.
#[derive(Default)]
struct Scan {
    depth: usize,
    quote: Option<char>,
}

impl Scan {
    /// Scans `text` (inside a flow collection, or starting one) to its line's end, or to
    /// where the outermost collection closes.
    fn line(&mut self, text: &str) {
        // What came before the current character, spaces aside: a quote opens a scalar
        // only where a scalar can start.
        let mut before = ' ';
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (self.quote, c) {
                (Some('"'), '\\') => {
                    chars.next();
                }
                (Some('\''), '\'') if chars.peek() == Some(&'\'') => {
                    chars.next();
                }
                (Some(q), c) if c == q => self.quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if matches!(before, ' ' | '[' | '{' | ',' | ':') => {
                    self.quote = Some(c);
                }
                (None, '#') if before == ' ' => return,
                (None, '[' | '{') => self.depth += 1,
                (None, ']' | '}') => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
            if !c.is_whitespace() {
                before = c;
            } else {
                before = ' ';
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::indent_flow_lines as indent;

    #[test]
    fn lines_of_a_flow_collection_go_deeper_than_its_key() {
        assert_eq!(
            indent("params:\n  aliases: [\n    /a/,\n/b/\n]\ntitle: x\n").as_deref(),
            Some("params:\n  aliases: [\n    /a/,\n   /b/\n   ]\ntitle: x\n")
        );
        assert_eq!(
            indent("tags: {a: 1,\nb: [2,\n3]}\n- [x,\ny]\n").as_deref(),
            Some("tags: {a: 1,\n b: [2,\n 3]}\n- [x,\n y]\n")
        );
    }

    #[test]
    fn quotes_comments_and_plain_text_are_not_collections() {
        // Brackets in quotes, after a comment's `#`, or inside a plain scalar.
        assert_eq!(indent("a: [\"]\", 'it''s ]',\n  b]\nc: x\n"), None);
        assert_eq!(indent("a: x # [\nb: y\n"), None);
        assert_eq!(indent("title: Arrays [and\nb: y\n"), None);
        assert_eq!(
            indent("a: [it's,\nb]\nc: d\n").as_deref(),
            Some("a: [it's,\n b]\nc: d\n")
        );
    }
}
