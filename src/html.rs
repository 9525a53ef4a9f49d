//! The one scan over the attributes of rendered HTML's tags, shared by the stages that look
//! for URLs in it (content finds the files a body names, render rewrites links, check
//! reports them).
//!
//! A leaf. Only what is inside a tag is looked at: text, including code samples that
//! mention `href=`, never is, because in rendered HTML a literal `<` in text is escaped.
//! Where a tag starts and ends follows HTML's tokenizer as far as attributes depend on it:
//! a comment (`<!-- … -->`), a doctype or other `<!…>`/`<?…>` markup has no attributes and
//! its quotes open nothing (a comment saying "the post's title" must not hide the tags
//! after it), and a `<` not followed by a letter or `/` is text.

/// Calls `f(name, value, byte range of the value)` for every quoted attribute inside a
/// tag of `html`, in order. Text between tags is never looked at.
pub fn for_each_attribute(html: &str, mut f: impl FnMut(&str, &str, std::ops::Range<usize>)) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(start) = html[i..].find('<').map(|p| p + i) {
        match bytes.get(start + 1) {
            Some(b'!' | b'?') => {
                i = markup_declaration_end(html, start);
                continue;
            }
            Some(b) if b.is_ascii_alphabetic() || *b == b'/' => {}
            // `a < b`, `<3`: text, as a browser reads it.
            _ => {
                i = start + 1;
                continue;
            }
        }
        // Inside a tag until its closing `>`; quoted values may contain `>`.
        let mut j = start + 1;
        while j < bytes.len() && bytes[j] != b'>' {
            if bytes[j] == b'"' || bytes[j] == b'\'' {
                let quote = bytes[j];
                let value_start = j + 1;
                let value_end = html[value_start..]
                    .find(quote as char)
                    .map_or(bytes.len(), |p| p + value_start);
                if let Some(name) = attribute_before(html, start, j) {
                    f(name, &html[value_start..value_end], value_start..value_end);
                }
                j = value_end + 1;
            } else {
                j += 1;
            }
        }
        i = j.min(bytes.len());
    }
}

/// Where the comment, doctype or processing instruction starting at `start` (a `<!` or
/// `<?`) ends: after its `-->` (or `--!>`, or the `<!-->` and `<!--->` HTML takes for empty
/// comments), else after its first `>`; the end of `html` when it is not closed.
fn markup_declaration_end(html: &str, start: usize) -> usize {
    let rest = &html[start..];
    let Some(comment) = rest.strip_prefix("<!--") else {
        return rest.find('>').map_or(html.len(), |p| start + p + 1);
    };
    let body = start + 4;
    if comment.starts_with('>') {
        return body + 1;
    }
    if comment.starts_with("->") {
        return body + 2;
    }
    let close = [("-->", 3), ("--!>", 4)]
        .iter()
        .filter_map(|(end, len)| comment.find(end).map(|p| body + p + len))
        .min();
    close.unwrap_or(html.len())
}

/// The attribute name in `name=` right before the quote at `quote`, if any.
fn attribute_before(html: &str, tag_start: usize, quote: usize) -> Option<&str> {
    let before = html[tag_start..quote].trim_end();
    let before = before.strip_suffix('=')?.trim_end();
    let name_start = before
        .rfind(|c: char| c.is_whitespace())
        .map_or(0, |p| p + 1);
    (name_start > 0).then(|| &before[name_start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(html: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for_each_attribute(html, |name, value, range| {
            assert_eq!(&html[range], value);
            found.push((name.to_string(), value.to_string()));
        });
        found
    }

    fn pair(name: &str, value: &str) -> (String, String) {
        (name.to_string(), value.to_string())
    }

    #[test]
    fn quotes_in_a_comment_open_no_value() {
        let html = "<!--\nNote: the writer's draft\n--><h2 id=\"first\">A</h2>\n\
                    <p>it's <a href='/b/'>here</a></p><h2 id=\"second\">B</h2>";
        assert_eq!(
            attributes(html),
            [
                pair("id", "first"),
                pair("href", "/b/"),
                pair("id", "second")
            ]
        );
    }

    #[test]
    fn a_comment_holds_no_attributes() {
        let html = "<!-- <a href=\"/old/\"> --><!--><a href=\"/1/\"><!---><a href=\"/2/\">\
                    <!-- x --!><a href=\"/3/\"><!DOCTYPE html><?xml version=\"1.0\"?>\
                    <img src=\"/4.png\"><!-- never closed <a href=\"/5/\">";
        assert_eq!(
            attributes(html),
            [
                pair("href", "/1/"),
                pair("href", "/2/"),
                pair("href", "/3/"),
                pair("src", "/4.png")
            ]
        );
    }

    #[test]
    fn a_lone_less_than_sign_is_text() {
        let html = "<p>1 < 2 isn't news</p><a href=\"/c/\">c</a><3 '<a href=\"/d/\">";
        assert_eq!(attributes(html), [pair("href", "/c/"), pair("href", "/d/")]);
    }
}
