//! Reading a WXR file into plain records: decoded by its declared encoding, parsed in one
//! streaming pass, errors at their line and column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesRef, BytesStart, Event};
use rayon::prelude::*;

use crate::hash::fnv1a;
use crate::import::ImportError;
use crate::location::Position;

/// An `<item>` as written: its simple fields by element name, and its lists.
#[derive(Debug, Default)]
pub(super) struct Item {
    pub(super) fields: HashMap<String, String>,
    /// (domain, nicename, name)
    pub(super) categories: Vec<(String, String, String)>,
    pub(super) meta: Vec<(String, String)>,
    pub(super) comments: usize,
    pub(super) line: usize,
    pub(super) hash: u64,
}

impl Item {
    pub(super) fn get(&self, key: &str) -> &str {
        self.fields.get(key).map_or("", |s| s.trim())
    }

    pub(super) fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }
}

#[derive(Debug, Default)]
pub(super) struct Channel {
    pub(super) fields: HashMap<String, String>,
    /// login → display name
    pub(super) authors: Vec<HashMap<String, String>>,
    pub(super) categories: Vec<HashMap<String, String>>,
    pub(super) items: Vec<Item>,
}

/// The export as UTF-8: WordPress writes UTF-8, but an older or edited export may declare
/// another encoding (ISO-8859-1, windows-1252), which is honoured.
pub(super) fn decode(bytes: Vec<u8>, file: &Path) -> Result<String, ImportError> {
    let declared = bytes
        .starts_with(b"<?xml")
        .then(|| {
            let end = bytes.iter().position(|&b| b == b'>')?;
            let decl = std::str::from_utf8(&bytes[..end]).ok()?;
            let at = decl.find("encoding")?;
            let rest = decl[at + "encoding".len()..]
                .trim_start()
                .strip_prefix('=')?
                .trim_start();
            let quote = rest.chars().next()?;
            let value = &rest[quote.len_utf8()..];
            Some(value[..value.find(quote)?].to_string())
        })
        .flatten();
    // A byte order mark outranks the declaration (UTF-16 exports have one).
    let bom = encoding_rs::Encoding::for_bom(&bytes).map(|(encoding, _)| encoding);
    let encoding = match (&declared, bom) {
        (_, Some(encoding)) => encoding,
        (Some(label), None) => {
            encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                ImportError::BadSource {
                    path: file.to_path_buf(),
                    reason: format!(
                        "the XML declaration names the encoding {label:?}, which is unknown"
                    ),
                }
            })?
        }
        (None, None) => encoding_rs::UTF_8,
    };
    if encoding == encoding_rs::UTF_8 {
        // The common case, without a copy.
        let mut bytes = bytes;
        if bytes.starts_with(b"\xef\xbb\xbf") {
            bytes.drain(..3);
        }
        return String::from_utf8(bytes).map_err(|e| ImportError::BadSource {
            path: file.to_path_buf(),
            reason: format!(
                "is not valid UTF-8 (byte {} is not part of a UTF-8 character; an export in another encoding must say so in its XML declaration)",
                e.utf8_error().valid_up_to()
            ),
        });
    }
    let (text, _, malformed) = encoding.decode(&bytes);
    if malformed {
        return Err(ImportError::BadSource {
            path: file.to_path_buf(),
            reason: format!(
                "is not valid {} (as its XML declaration says, or UTF-8 when it says nothing)",
                encoding.name()
            ),
        });
    }
    Ok(text.into_owned())
}

fn bad_xml(file: &Path, text: &str, offset: usize, reason: String) -> ImportError {
    let p = Position::of_offset(text, offset);
    ImportError::BadSource {
        path: PathBuf::from(format!("{}:{}:{}", file.display(), p.line, p.column)),
        reason: format!("not a well-formed WordPress export: {reason}"),
    }
}

/// One pass over the XML into records. Element names are compared as written
/// (`wp:post_id`): WordPress always writes these prefixes.
pub(super) fn parse(text: &str, file: &Path) -> Result<Channel, ImportError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut reading = Reading::new(text, file);
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| bad_xml(file, text, reader.error_position() as usize, e.to_string()))?;
        match event {
            Event::Start(start) => reading.start(&start, before)?,
            Event::Empty(start) => reading.empty(&start),
            Event::Text(t) => reading.buffer.push_str(&t.xml10_content()),
            Event::CData(t) => reading.buffer.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => reading.reference(&r, before)?,
            Event::End(_) => reading.end(reader.buffer_position() as usize),
            Event::Eof => return reading.finish(),
            _ => {}
        }
    }
}

/// An `<item>` being read, and the offset its bytes start at.
struct OpenItem {
    item: Item,
    start: usize,
}

/// Lines counted as the reader moves on, not from the start each time: exports run to
/// 100 MB.
struct Lines {
    /// The offset counted up to, and the line it is on.
    from: usize,
    line: usize,
}

impl Lines {
    fn at(&mut self, text: &str, offset: usize) -> usize {
        let offset = offset.max(self.from).min(text.len());
        self.line += memchr_count(&text.as_bytes()[self.from..offset]);
        self.from = offset;
        self.line
    }
}

/// The parser's state between events: the open elements, the text read since the last
/// one, and the record being filled.
struct Reading<'t> {
    text: &'t str,
    file: &'t Path,
    channel: Channel,
    stack: Vec<String>,
    buffer: String,
    item: Option<OpenItem>,
    /// A `<wp:author>` or `<wp:category>` of the channel.
    record: HashMap<String, String>,
    /// The open `<category>`'s (domain, nicename).
    category_attrs: (String, String),
    /// The open `<wp:postmeta>`'s (key, value).
    meta: (String, String),
    saw_rss: bool,
    /// Each item's bytes, hashed once the reading is done, in parallel (the reading is
    /// the import's one serial step).
    spans: Vec<(usize, usize)>,
    lines: Lines,
}

impl<'t> Reading<'t> {
    fn new(text: &'t str, file: &'t Path) -> Self {
        Reading {
            text,
            file,
            channel: Channel::default(),
            stack: Vec::new(),
            buffer: String::new(),
            item: None,
            record: HashMap::new(),
            category_attrs: (String::new(), String::new()),
            meta: (String::new(), String::new()),
            saw_rss: false,
            spans: Vec::new(),
            lines: Lines { from: 0, line: 1 },
        }
    }

    fn start(&mut self, start: &BytesStart, before: usize) -> Result<(), ImportError> {
        let name = start.name().as_ref().to_string();
        self.buffer.clear();
        if self.stack.is_empty() {
            if name != "rss" {
                return Err(bad_xml(
                    self.file,
                    self.text,
                    before,
                    format!(
                        "the root element is <{name}>, not <rss>: export the site with Tools → Export in WordPress"
                    ),
                ));
            }
            self.saw_rss = true;
        }
        match (self.stack.len(), name.as_str()) {
            (2, "item") => {
                self.item = Some(OpenItem {
                    item: Item {
                        line: self.lines.at(self.text, before),
                        ..Item::default()
                    },
                    start: before,
                })
            }
            (2, "wp:author" | "wp:category") => self.record.clear(),
            (3, "category") if self.item.is_some() => self.category_attrs = category_attrs(start),
            _ => {}
        }
        self.stack.push(name);
        Ok(())
    }

    fn empty(&mut self, start: &BytesStart) {
        let name = start.name().as_ref().to_string();
        if let Some(open) = self.item.as_mut()
            && self.stack.len() == 3
        {
            open.item.fields.insert(name, String::new());
        }
    }

    /// A character or entity reference in text: XML's, else HTML's named entities (which
    /// exports hold), else an error.
    fn reference(&mut self, r: &BytesRef, before: usize) -> Result<(), ImportError> {
        match r.resolve_char_ref() {
            Ok(Some(c)) => self.buffer.push(c),
            _ => {
                let entity = format!("&{};", &**r);
                let decoded = html_escape::decode_html_entities(&entity);
                if decoded == entity {
                    return Err(bad_xml(
                        self.file,
                        self.text,
                        before,
                        format!("unknown entity {entity}"),
                    ));
                }
                self.buffer.push_str(&decoded);
            }
        }
        Ok(())
    }

    /// An element closed at `end`: its text goes to the record it belongs to.
    fn end(&mut self, end: usize) {
        let name = self.stack.pop().unwrap_or_default();
        let value = std::mem::take(&mut self.buffer);
        match (self.stack.len(), self.item.as_mut()) {
            (2, Some(_)) if name == "item" => {
                let OpenItem { item, start } = self.item.take().expect("in an item");
                self.spans.push((start, end.min(self.text.len())));
                self.channel.items.push(item);
            }
            (3, Some(open)) => match name.as_str() {
                "category" => {
                    let (domain, nicename) = std::mem::take(&mut self.category_attrs);
                    open.item.categories.push((domain, nicename, value));
                }
                "wp:postmeta" => open.item.meta.push(std::mem::take(&mut self.meta)),
                "wp:comment" => open.item.comments += 1,
                _ => {
                    open.item.fields.insert(name, value);
                }
            },
            (4, Some(_)) if self.stack[3] == "wp:postmeta" => match name.as_str() {
                "wp:meta_key" => self.meta.0 = value,
                "wp:meta_value" => self.meta.1 = value,
                _ => {}
            },
            (2, None) => match name.as_str() {
                "wp:author" => self.channel.authors.push(std::mem::take(&mut self.record)),
                "wp:category" => self
                    .channel
                    .categories
                    .push(std::mem::take(&mut self.record)),
                _ => {
                    self.channel.fields.insert(name, value);
                }
            },
            (3, None) if matches!(self.stack[2].as_str(), "wp:author" | "wp:category") => {
                self.record.insert(name, value);
            }
            _ => {}
        }
    }

    /// The end of the file: the channel, its items hashed, unless the file is cut short
    /// or holds no export.
    fn finish(self) -> Result<Channel, ImportError> {
        let Reading {
            text,
            file,
            mut channel,
            stack,
            saw_rss,
            spans,
            ..
        } = self;
        if let Some(open) = stack.last() {
            return Err(bad_xml(
                file,
                text,
                text.len(),
                format!("the file ends inside <{open}>: the export is cut short"),
            ));
        }
        if !saw_rss {
            return Err(bad_xml(
                file,
                text,
                0,
                "the file holds no <rss> element".into(),
            ));
        }
        channel
            .items
            .par_iter_mut()
            .zip(spans)
            .for_each(|(item, (start, end))| {
                item.hash = fnv1a(&text.as_bytes()[start..end]);
            });
        Ok(channel)
    }
}

/// A `<category>`'s domain and nicename.
fn category_attrs(start: &BytesStart) -> (String, String) {
    let mut domain = String::new();
    let mut nicename = String::new();
    for attr in start.attributes().flatten() {
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_default();
        match attr.key.as_ref() {
            "domain" => domain = value,
            "nicename" => nicename = value,
            _ => {}
        }
    }
    (domain, nicename)
}

fn memchr_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cut-short and jumbled exports are errors or records, never a panic.
    #[test]
    fn jumbled_exports_never_panic() {
        let pieces = [
            "<rss>",
            "</rss>",
            "<channel>",
            "</channel>",
            "<item>",
            "</item>",
            "<wp:postmeta>",
            "</wp:postmeta>",
            "<wp:meta_key>",
            "</wp:meta_key>",
            "<category domain=\"x\">",
            "</category>",
            "<wp:comment>",
            "</wp:comment>",
            "<![CDATA[é]]>",
            "&amp;",
            "&#8217;",
            "&bogus;",
            "<title/>",
            "text",
            "<wp:author>",
            "</wp:author>",
            "<?xml version=\"1.0\" encoding=\"“x”\"?>",
        ];
        for text in crate::import::migrate::jumbled(&pieces, 3000, 14) {
            let _ = decode(text.clone().into_bytes(), Path::new("x.xml"));
            let _ = parse(&text, Path::new("x.xml"));
        }
    }

    #[test]
    fn declared_encodings_are_honoured() {
        let latin = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>caf\xe9</rss>";
        assert!(
            decode(latin.to_vec(), Path::new("x.xml"))
                .unwrap()
                .contains("café")
        );
        let err = decode(b"<rss>caf\xe9</rss>".to_vec(), Path::new("x.xml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("not valid UTF-8"), "{err}");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss>café</rss>"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert!(
            decode(utf16, Path::new("x.xml"))
                .unwrap()
                .ends_with("<rss>café</rss>")
        );
    }

    #[test]
    fn broken_xml_names_line_and_column() {
        let err = parse(
            "<rss><channel>\n<item><title>x</titel></item></channel></rss>",
            Path::new("e.xml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("e.xml:2:"), "{err}");
        let cut = parse("<rss><channel>\n<item><title>x</title>", Path::new("e.xml"))
            .unwrap_err()
            .to_string();
        assert!(cut.contains("ends inside <item>"), "{cut}");
    }
}
