//! The one scan over the attributes of rendered HTML's tags, shared by the stages that look
//! for URLs in it (content finds the files a body names, render rewrites links, check
//! reports them).
//!
//! A leaf. Only what is inside a tag is looked at: text, including code samples that
//! mention `href=`, never is, because in rendered HTML a literal `<` in text is escaped.

/// Calls `f(name, value, byte range of the value)` for every quoted attribute inside a
/// tag of `html`, in order. Text between tags is never looked at.
pub fn for_each_attribute(html: &str, mut f: impl FnMut(&str, &str, std::ops::Range<usize>)) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(start) = html[i..].find('<').map(|p| p + i) {
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

/// The attribute name in `name=` right before the quote at `quote`, if any.
fn attribute_before(html: &str, tag_start: usize, quote: usize) -> Option<&str> {
    let before = html[tag_start..quote].trim_end();
    let before = before.strip_suffix('=')?.trim_end();
    let name_start = before
        .rfind(|c: char| c.is_whitespace())
        .map_or(0, |p| p + 1);
    (name_start > 0).then(|| &before[name_start..])
}
