//! Reading a WXR file into plain records: decoded by its declared encoding, parsed in one
//! streaming pass, errors at their line and column.
//!
//! Invariants: a UTF-8 export is read in pieces ([`Tally`]), never whole, and gives the
//! records, hashes, lines and errors that reading it whole gives: each item's hash is
//! over its bytes as written, a UTF-8 fault outranks an XML one, and positions are found
//! in the whole text, read again only when there is a fault to place.

use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesRef, BytesStart, Event};

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

/// How much of the file's start is looked at for its encoding before it is streamed.
const HEAD: usize = 64 << 10;

/// Reads the export at `file` into records. A UTF-8 export (WordPress writes UTF-8) is
/// streamed: at no time is more of the file held than the reader's buffer and the item
/// being read. An export in another encoding is read whole and decoded first. Errors are
/// those of reading the file whole: a UTF-8 fault outranks any XML error, and an XML
/// error names its line and column (found by reading the file again, as errors are rare).
pub(super) fn read_channel(file: &Path) -> Result<Channel, ImportError> {
    let cannot_read = |source| ImportError::Read {
        path: file.to_path_buf(),
        source,
    };
    let mut stream = std::fs::File::open(file).map_err(cannot_read)?;
    let mut head = Vec::with_capacity(HEAD);
    (&mut stream)
        .take(HEAD as u64)
        .read_to_end(&mut head)
        .map_err(cannot_read)?;
    // A declaration longer than the head (never seen) is read with the whole file.
    let declared_in_head = !head.starts_with(b"<?xml") || head.contains(&b'>') || head.len() < HEAD;
    if !declared_in_head || encoding_of(&head, file)? != encoding_rs::UTF_8 {
        let mut bytes = head;
        stream.read_to_end(&mut bytes).map_err(cannot_read)?;
        let text = decode(bytes, file)?;
        return parse(&text, file);
    }
    if head.starts_with(b"\xef\xbb\xbf") {
        head.drain(..3);
    }
    let mut tally = Tally::new(head, stream);
    let parsed = parse_from(&mut tally);
    if let Some(source) = tally.failed.take() {
        return Err(cannot_read(source));
    }
    match parsed {
        Ok(channel) if tally.utf8.valid() => Ok(channel),
        // The fault, as reading the file whole reports it.
        failed => {
            let bytes = std::fs::read(file).map_err(cannot_read)?;
            let text = decode(bytes, file)?;
            match failed {
                Err(bad) => Err(bad.at(file, &text)),
                Ok(_) => parse(&text, file),
            }
        }
    }
}

/// The encoding of an export starting with `bytes`: its byte order mark's, else its XML
/// declaration's, else UTF-8.
fn encoding_of(bytes: &[u8], file: &Path) -> Result<&'static encoding_rs::Encoding, ImportError> {
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
    let bom = encoding_rs::Encoding::for_bom(bytes).map(|(encoding, _)| encoding);
    Ok(match (&declared, bom) {
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
    })
}

/// The export as UTF-8: WordPress writes UTF-8, but an older or edited export may declare
/// another encoding (ISO-8859-1, windows-1252), which is honoured.
pub(super) fn decode(bytes: Vec<u8>, file: &Path) -> Result<String, ImportError> {
    let encoding = encoding_of(&bytes, file)?;
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

/// An XML fault at a byte offset of the text (`usize::MAX`: its end), placed at its line
/// and column once the text is at hand.
#[derive(Debug)]
pub(super) struct Bad {
    offset: usize,
    reason: String,
}

impl Bad {
    fn at(self, file: &Path, text: &str) -> ImportError {
        let p = Position::of_offset(text, self.offset);
        ImportError::BadSource {
            path: PathBuf::from(format!("{}:{}:{}", file.display(), p.line, p.column)),
            reason: format!("not a well-formed WordPress export: {}", self.reason),
        }
    }
}

/// One pass over the XML text into records. Element names are compared as written
/// (`wp:post_id`): WordPress always writes these prefixes.
pub(super) fn parse(text: &str, file: &Path) -> Result<Channel, ImportError> {
    let mut tally = Tally::new(Vec::new(), text.as_bytes());
    parse_from(&mut tally).map_err(|bad| bad.at(file, text))
}

/// One pass over the bytes `tally` hands out into records. Items' bytes are hashed on
/// another thread as the reading goes on (the reading is the import's one serial step),
/// a few items behind at most.
fn parse_from<R: Read>(tally: &mut Tally<R>) -> Result<Channel, Bad> {
    std::thread::scope(|scope| {
        let (items, raw) = std::sync::mpsc::sync_channel::<Vec<u8>>(64);
        let hasher = std::thread::Builder::new()
            .name("wxr-hash".into())
            .spawn_scoped(scope, move || {
                raw.iter()
                    .map(|bytes| crate::hash::fnv1a(&bytes))
                    .collect::<Vec<u64>>()
            });
        let (mut hashes, sent) = match hasher {
            Ok(hasher) => {
                // A hasher gone (it panicked) leaves hashes missing: zero, as unknown.
                let read = read_events(tally, |bytes| {
                    let _ = items.send(bytes);
                });
                drop(items);
                (hasher.join().unwrap_or_default(), read)
            }
            // No thread to be had: hashed here.
            Err(_) => {
                let mut hashes = Vec::new();
                let read = read_events(tally, |bytes| {
                    hashes.push(crate::hash::fnv1a(&bytes));
                });
                (hashes, read)
            }
        };
        let mut channel = sent?;
        hashes.resize(channel.items.len(), 0);
        for (item, hash) in channel.items.iter_mut().zip(hashes) {
            item.hash = hash;
        }
        Ok(channel)
    })
}

/// The XML events into records; each item's bytes as written go to `hash` as it closes.
fn read_events<R: Read>(
    tally: &mut Tally<R>,
    mut hash: impl FnMut(Vec<u8>),
) -> Result<Channel, Bad> {
    let mut reader = quick_xml::Reader::from_reader(tally);
    let mut reading = Reading::new();
    let mut buf = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        let line = reader.get_mut().start_event();
        buf.clear();
        let event = reader.read_event_into(&mut buf).map_err(|e| Bad {
            offset: reader.error_position() as usize,
            reason: e.to_string(),
        })?;
        match event {
            Event::Start(start) => {
                let item = reading.start(&start, before, line)?;
                if item {
                    reader.get_mut().start_item();
                }
            }
            Event::Empty(start) => reading.empty(&start),
            Event::Text(t) => reading.buffer.push_str(&t.xml10_content()),
            Event::CData(t) => reading.buffer.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => reading.reference(&r, before)?,
            // Every end is taken by `reading` (the guard); an item's bytes are then hashed.
            Event::End(_) if reading.end() => hash(reader.get_mut().end_item()),
            Event::Eof => return reading.finish(),
            _ => {}
        }
    }
}

/// The bytes of the export as the XML reader takes them, counted on the way: the lines
/// before each event, each item's hash (the importer's stamp) over its bytes as written,
/// and whether all of it is UTF-8.
struct Tally<R> {
    source: R,
    buf: Vec<u8>,
    at: usize,
    /// Lines ended before the current event.
    newlines: usize,
    /// The bytes of the current event, until it is known to open an item.
    event: Vec<u8>,
    /// The open item's bytes so far.
    item: Option<Vec<u8>>,
    utf8: Utf8,
    /// The first read that failed (the XML reader sees it as the end of the file).
    failed: Option<std::io::Error>,
}

/// How big a piece of the file the reader holds.
const CHUNK: usize = 64 << 10;

impl<R: Read> Tally<R> {
    /// Hands out `head` (already read), then the rest of `source`.
    fn new(head: Vec<u8>, source: R) -> Self {
        Tally {
            source,
            buf: head,
            at: 0,
            newlines: 0,
            event: Vec::new(),
            item: None,
            utf8: Utf8::default(),
            failed: None,
        }
    }

    /// An event is about to be read: its line (1-based).
    fn start_event(&mut self) -> usize {
        self.event.clear();
        self.newlines + 1
    }

    /// The event just read opened an item: its bytes so far are the item's first.
    fn start_item(&mut self) {
        self.item = Some(std::mem::take(&mut self.event));
    }

    /// The item ended with the event just read: its bytes.
    fn end_item(&mut self) -> Vec<u8> {
        self.item.take().unwrap_or_default()
    }
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Tally<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.at == self.buf.len() && self.failed.is_none() {
            self.buf.resize(CHUNK, 0);
            self.at = 0;
            match self.source.read(&mut self.buf) {
                Ok(n) => self.buf.truncate(n),
                Err(e) => {
                    self.buf.clear();
                    self.failed = Some(e);
                }
            }
        }
        Ok(&self.buf[self.at..])
    }

    fn consume(&mut self, n: usize) {
        let bytes = &self.buf[self.at..self.at + n];
        self.newlines += bytes.iter().filter(|&&b| b == b'\n').count();
        self.utf8.take(bytes);
        match &mut self.item {
            Some(item) => item.extend_from_slice(bytes),
            None => self.event.extend_from_slice(bytes),
        }
        self.at += n;
    }
}

/// UTF-8 checked piece by piece, a character cut between pieces carried over.
#[derive(Default)]
struct Utf8 {
    carried: Vec<u8>,
    bad: bool,
}

impl Utf8 {
    fn take(&mut self, mut bytes: &[u8]) {
        if self.bad {
            return;
        }
        if !self.carried.is_empty() {
            while !bytes.is_empty() && self.carried.len() < 4 {
                self.carried.push(bytes[0]);
                bytes = &bytes[1..];
                match std::str::from_utf8(&self.carried) {
                    Ok(_) => break,
                    Err(e) if e.error_len().is_some() => {
                        self.bad = true;
                        return;
                    }
                    Err(_) => {}
                }
            }
            if std::str::from_utf8(&self.carried).is_err() {
                // Still cut short, the piece ended, or four bytes are no character.
                self.bad = self.carried.len() == 4;
                return;
            }
            self.carried.clear();
        }
        if let Err(e) = std::str::from_utf8(bytes) {
            if e.error_len().is_some() {
                self.bad = true;
            } else {
                self.carried.extend_from_slice(&bytes[e.valid_up_to()..]);
            }
        }
    }

    /// Whether everything taken was UTF-8 (an end cut short is not).
    fn valid(&self) -> bool {
        !self.bad && self.carried.is_empty()
    }
}

/// The parser's state between events: the open elements, the text read since the last
/// one, and the record being filled.
struct Reading {
    channel: Channel,
    stack: Vec<String>,
    buffer: String,
    item: Option<Item>,
    /// A `<wp:author>` or `<wp:category>` of the channel.
    record: HashMap<String, String>,
    /// The open `<category>`'s (domain, nicename).
    category_attrs: (String, String),
    /// The open `<wp:postmeta>`'s (key, value).
    meta: (String, String),
    saw_rss: bool,
}

impl Reading {
    fn new() -> Self {
        Reading {
            channel: Channel::default(),
            stack: Vec::new(),
            buffer: String::new(),
            item: None,
            record: HashMap::new(),
            category_attrs: (String::new(), String::new()),
            meta: (String::new(), String::new()),
            saw_rss: false,
        }
    }

    /// An element opened at `before`, on `line`; whether it is an item.
    fn start(&mut self, start: &BytesStart, before: usize, line: usize) -> Result<bool, Bad> {
        let name = start.name().as_ref().to_string();
        self.buffer.clear();
        if self.stack.is_empty() {
            if name != "rss" {
                return Err(Bad {
                    offset: before,
                    reason: format!(
                        "the root element is <{name}>, not <rss>: export the site with Tools → Export in WordPress"
                    ),
                });
            }
            self.saw_rss = true;
        }
        let mut item = false;
        match (self.stack.len(), name.as_str()) {
            (2, "item") => {
                self.item = Some(Item {
                    line,
                    ..Item::default()
                });
                item = true;
            }
            (2, "wp:author" | "wp:category") => self.record.clear(),
            (3, "category") if self.item.is_some() => self.category_attrs = category_attrs(start),
            _ => {}
        }
        self.stack.push(name);
        Ok(item)
    }

    fn empty(&mut self, start: &BytesStart) {
        let name = start.name().as_ref().to_string();
        if let Some(item) = self.item.as_mut()
            && self.stack.len() == 3
        {
            item.fields.insert(name, String::new());
        }
    }

    /// A character or entity reference in text: XML's, else HTML's named entities (which
    /// exports hold), else an error.
    fn reference(&mut self, r: &BytesRef, before: usize) -> Result<(), Bad> {
        match r.resolve_char_ref() {
            Ok(Some(c)) => self.buffer.push(c),
            _ => {
                let entity = format!("&{};", &**r);
                let decoded = html_escape::decode_html_entities(&entity);
                if decoded == entity {
                    return Err(Bad {
                        offset: before,
                        reason: format!("unknown entity {entity}"),
                    });
                }
                self.buffer.push_str(&decoded);
            }
        }
        Ok(())
    }

    /// An element closed: its text goes to the record it belongs to. Whether it is an
    /// item.
    fn end(&mut self) -> bool {
        let name = self.stack.pop().unwrap_or_default();
        let value = std::mem::take(&mut self.buffer);
        match (self.stack.len(), self.item.as_mut()) {
            (2, Some(_)) if name == "item" => {
                let item = self.item.take().expect("in an item");
                self.channel.items.push(item);
                return true;
            }
            (3, Some(item)) => match name.as_str() {
                "category" => {
                    let (domain, nicename) = std::mem::take(&mut self.category_attrs);
                    item.categories.push((domain, nicename, value));
                }
                "wp:postmeta" => item.meta.push(std::mem::take(&mut self.meta)),
                "wp:comment" => item.comments += 1,
                _ => {
                    item.fields.insert(name, value);
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
        false
    }

    /// The end of the file: the channel, unless the file is cut short or holds no export.
    fn finish(self) -> Result<Channel, Bad> {
        if let Some(open) = self.stack.last() {
            return Err(Bad {
                offset: usize::MAX,
                reason: format!("the file ends inside <{open}>: the export is cut short"),
            });
        }
        if !self.saw_rss {
            return Err(Bad {
                offset: 0,
                reason: "the file holds no <rss> element".into(),
            });
        }
        Ok(self.channel)
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

    /// An export of `items` posts whose text (`é`, `€`, `𝄞`) falls across the reader's
    /// pieces at every byte of a character somewhere.
    fn big_export(items: usize) -> String {
        let mut text = String::from("\u{feff}<?xml version=\"1.0\"?>\n<rss><channel>\n");
        for i in 0..items {
            let filler = "café € 𝄞 ".repeat(i % 97 + 3);
            text.push_str(&format!(
                "<item>\n<title>Post {i} &amp; é</title>\n<content:encoded><![CDATA[<p>{filler}</p>\n<p>{i}</p>]]></content:encoded>\n</item>\n"
            ));
        }
        text.push_str("</channel></rss>\n");
        text
    }

    fn written(text: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.xml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    /// Streamed in pieces, each item's line and hash (over its bytes as written) are those
    /// of the text read whole.
    #[test]
    fn a_streamed_export_gives_the_records_of_the_whole_text() {
        let text = big_export(600);
        assert!(text.len() > 4 * CHUNK, "{}", text.len());
        let (_dir, path) = written(text.as_bytes());
        let channel = read_channel(&path).unwrap();
        let body = &text["\u{feff}".len()..];
        let starts: Vec<usize> = body.match_indices("<item>").map(|(at, _)| at).collect();
        assert_eq!(channel.items.len(), 600);
        for (i, (item, start)) in channel.items.iter().zip(starts).enumerate() {
            let end = start + body[start..].find("</item>").unwrap() + "</item>".len();
            assert_eq!(item.hash, crate::hash::fnv1a(&body.as_bytes()[start..end]));
            assert_eq!(item.line, body[..start].matches('\n').count() + 1);
            assert_eq!(item.get("title"), format!("Post {i} & é"));
            assert!(item.get("content:encoded").contains("café € 𝄞"));
        }
    }

    /// Faults past the first piece read are told as reading the file whole tells them.
    #[test]
    fn faults_in_a_streamed_export_are_told_as_before() {
        let text = big_export(300);
        let mut bytes = text.clone().into_bytes();
        let at = text.rfind("<p>").unwrap() + 1;
        bytes[at] = 0xff;
        let (_dir, path) = written(&bytes);
        let err = read_channel(&path).unwrap_err().to_string();
        assert!(
            err.ends_with(&format!("is not valid UTF-8 (byte {} is not part of a UTF-8 character; an export in another encoding must say so in its XML declaration)", at - 3)),
            "{err}"
        );
        let broken = text.replace("<title>Post 250 ", "<title>Post 250 <");
        let (_dir, path) = written(broken.as_bytes());
        let err = read_channel(&path).unwrap_err().to_string();
        // As the reader of the whole text (before streaming) told it.
        assert_eq!(
            err.rsplit_once("x.xml:").unwrap().1,
            "1257:1: not a well-formed WordPress export: ill-formed document: expected `</&amp;>`, but `</item>` was found"
        );
    }

    #[test]
    fn utf8_is_checked_across_pieces() {
        let text = "aé€𝄞z".as_bytes();
        for cut in 0..=text.len() {
            let mut utf8 = Utf8::default();
            utf8.take(&text[..cut]);
            utf8.take(&text[cut..]);
            assert!(utf8.valid(), "cut at {cut}");
        }
        let mut cut_short = Utf8::default();
        cut_short.take(&text[..4]);
        assert!(!cut_short.valid());
        let mut bad = Utf8::default();
        bad.take(b"ab\xe2\x82");
        bad.take(b"zz");
        assert!(!bad.valid());
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
