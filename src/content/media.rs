//! Files that come with articles: page bundles (an article as a folder,
//! `content/<slug>/index.md`, with its images and other files beside it) and the images an
//! article names (its lead `image`, and `<img>`s in its body).
//!
//! Invariant: a bundle's files are relative, `/`-separated paths inside its folder (never
//! `..`, never hidden files, never the `index.md`); an [`ImageRef`] never leaves the site.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use html5ever::local_name;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use thiserror::Error;

/// The file that makes a folder an article (a page bundle).
pub const BUNDLE_INDEX: &str = "index.md";

/// An article that is a folder: its `index.md` and the files beside it, published at the
/// article's URL.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Bundle {
    pub dir: PathBuf,
    /// Paths below `dir`, `/`-separated, sorted.
    pub files: Vec<String>,
}

impl Bundle {
    /// The bundle whose `index.md` is `index`: every file below its folder but the
    /// `index.md` and hidden ones.
    pub fn of(index: &Path) -> Bundle {
        let dir = index.parent().unwrap_or(Path::new("")).to_path_buf();
        let mut files = Vec::new();
        let walk = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk.flatten() {
            if !entry.file_type().is_file() && !entry.path().is_file() {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(&dir) else {
                continue;
            };
            let relative: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if relative.len() == 1 && relative[0].eq_ignore_ascii_case(BUNDLE_INDEX) {
                continue;
            }
            files.push(relative.join("/"));
        }
        Bundle { dir, files }
    }

    pub fn has(&self, file: &str) -> bool {
        self.files
            .binary_search_by(|f| f.as_str().cmp(file))
            .is_ok()
    }
}

/// Whether `path` is a bundle's `index.md`.
pub fn is_bundle_index(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case(BUNDLE_INDEX))
}

/// Where an image is, as an article names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ImageRef {
    /// An absolute `http(s)` URL: shown as it is, never processed.
    Remote(String),
    /// A path below the site root (`images/x.jpg` for `/images/x.jpg`): a file of
    /// `static/` or of some article's bundle.
    Site(String),
    /// A file of the article's own bundle (`hero.jpg`, `img/hero.jpg`).
    Beside(String),
}

/// An article's lead image.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct LeadImage {
    /// As written in `image`.
    pub written: String,
    /// The line of `image` in the article's file.
    pub line: usize,
    pub source: ImageRef,
    pub alt: Option<String>,
    pub caption: Option<String>,
}

/// Why an `image` value is refused: what was written (quoted first) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImageRefError {
    #[error("image {written:?} is not a valid URL: {reason}")]
    BadUrl {
        written: String,
        reason: url::ParseError,
    },
    #[error("`image` is empty")]
    Empty,
    #[error(
        "image {written:?}: only http(s) URLs, paths under static/ (/images/x.jpg) and files beside the article are images"
    )]
    NotAnImage { written: String },
    #[error(
        "image {written:?} leaves the site: name a file beside the article or a path under static/ without `..`"
    )]
    LeavesSite { written: String },
    #[error("image {written:?} is not in the article's folder {}", dir.display())]
    NotInFolder { written: String, dir: PathBuf },
    /// `path` is the file as written, without its leading `/`.
    #[error(
        "image {written:?} would be a file beside the article, which only an article that is a folder has (content/<slug>/index.md with the image in it); or give a path under static/ such as \"/images/{path}\""
    )]
    NoFolder { written: String, path: String },
}

/// Reads an `image` value, or says why it is refused.
pub fn image_ref(written: &str, bundle: Option<&Bundle>) -> Result<ImageRef, ImageRefError> {
    let text = written.trim();
    let lower = text.to_ascii_lowercase();
    let written = || written.to_string();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return url::Url::parse(text)
            .map(|_| ImageRef::Remote(text.to_string()))
            .map_err(|reason| ImageRefError::BadUrl {
                written: written(),
                reason,
            });
    }
    if text.is_empty() {
        return Err(ImageRefError::Empty);
    }
    if lower.contains(':') && !text.starts_with('/') {
        return Err(ImageRefError::NotAnImage { written: written() });
    }
    let path = text.trim_start_matches('/');
    let leaves = text.contains('\\')
        || path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..");
    if leaves {
        return Err(ImageRefError::LeavesSite { written: written() });
    }
    if text.starts_with('/') {
        return Ok(ImageRef::Site(path.to_string()));
    }
    match bundle {
        Some(bundle) if bundle.has(path) => Ok(ImageRef::Beside(path.to_string())),
        Some(bundle) => Err(ImageRefError::NotInFolder {
            written: written(),
            dir: bundle.dir.clone(),
        }),
        None => Err(ImageRefError::NoFolder {
            written: written(),
            path: path.to_string(),
        }),
    }
}

/// The local images of an article's HTML that Gazette processes: each `<img src>` that is
/// not a URL of its own (`http:`, `data:`, `//host/…`) nor in a format shown as it is
/// ([`SHOWN_AS_IS`]), character references decoded, once each.
///
/// The HTML is read as a browser reads it (html5ever's tokenizer): only an `<img>` element
/// is an image. A `src` of any other element (`<script src>`, a video's `<source>`), and an
/// `<img>` written inside a comment or inside the raw text of `<script>`, `<style>`,
/// `<textarea>` and the like, are not. An `<img>` inside `<noscript>` is an image of the
/// page: readers without JavaScript, feed readers and search engines see it, so its file
/// is processed like any other. A `<source srcset>` of a `<picture>` written by hand
/// names images the author already made in their sizes: shown as they are.
pub fn body_images(html: &str) -> Vec<String> {
    // Most articles have no image at all: nothing to read.
    if !html.contains("<img") {
        return Vec::new();
    }
    let sources = if has_raw_text_or_comments(html) {
        img_sources(html)
    } else {
        // Tokenizing a whole body costs some 16 times a scan of its tags (about 100 µs
        // for 9 KB): where nothing can hide an `<img>` — no comment, no raw text — each
        // tag is found by a scan, and only the `<img>` tags are tokenized.
        img_tags(html).flat_map(img_sources).collect()
    };
    let mut images: Vec<String> = Vec::new();
    for src in sources {
        if is_local(&src) && !shown_as_is(&src) && !images.contains(&src) {
            images.push(src);
        }
    }
    images
}

/// Whether some markup of `html` makes its text other than tags and text: a comment, a
/// doctype or bogus comment (`<!`, `<?`, `</` not closing a tag), or an element whose
/// content is raw text (`<script>`, `<style>`, `<textarea>`…) or foreign (`<svg>`).
fn has_raw_text_or_comments(html: &str) -> bool {
    html.match_indices('<').any(|(at, _)| {
        let rest = &html.as_bytes()[at + 1..];
        match rest.first() {
            Some(b'!' | b'?') => true,
            Some(b'/') => !rest.get(1).is_some_and(u8::is_ascii_alphabetic),
            _ => {
                let name: Vec<u8> = rest
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .map(u8::to_ascii_lowercase)
                    .collect();
                RAW_TEXT.iter().any(|raw| raw.as_bytes() == name)
            }
        }
    })
}

/// Elements whose content the tokenizer does not read as tags: raw text and RCDATA
/// (the tree builder switches to them), and foreign content.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
    "svg",
    "math",
];

/// The `<img …>` tags of HTML that has no comment or raw text, found tag by tag (so an
/// `<img` inside another tag's attribute is none).
fn img_tags(html: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(at) = html[from..].find('<').map(|i| i + from) {
            let rest = &html.as_bytes()[at + 1..];
            let starts_tag = rest.first().is_some_and(u8::is_ascii_alphabetic)
                || (rest.first() == Some(&b'/')
                    && rest.get(1).is_some_and(u8::is_ascii_alphabetic));
            if !starts_tag {
                from = at + 1;
                continue;
            }
            let end = tag_end(html, at)?;
            from = end;
            let name_end = rest
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            if rest[..name_end].eq_ignore_ascii_case(b"img") {
                return Some(&html[at..end]);
            }
        }
        None
    })
}

/// The end (one past `>`) of the tag starting at `start`, as the tokenizer ends it: at the
/// first `>` outside a quoted attribute value — and a quote opens one only where a value
/// begins (`=` after an attribute's name), not inside a name or an unquoted value.
fn tag_end(html: &str, start: usize) -> Option<usize> {
    #[derive(PartialEq)]
    enum At {
        TagName,
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Unquoted,
    }
    let bytes = html.as_bytes();
    let mut at = At::TagName;
    let mut i = start + 1;
    while i < bytes.len() {
        let b = bytes[i];
        let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
        if b == b'>' {
            return Some(i + 1);
        }
        at = match at {
            At::BeforeValue if b == b'"' || b == b'\'' => {
                i += 1 + bytes[i + 1..].iter().position(|&c| c == b)?;
                At::BeforeName
            }
            At::BeforeValue if space => At::BeforeValue,
            At::BeforeValue => At::Unquoted,
            At::Name | At::AfterName if b == b'=' => At::BeforeValue,
            At::Name if space => At::AfterName,
            At::AfterName if space => At::AfterName,
            At::Unquoted if !space => At::Unquoted,
            _ if space || b == b'/' => At::BeforeName,
            At::TagName => At::TagName,
            // Any other byte — `=` where no name precedes it, a quote — is part of a name.
            _ => At::Name,
        };
        i += 1;
    }
    None
}

/// The `src` of every `<img>` element of `html`, read by html5ever's tokenizer.
fn img_sources(html: &str) -> Vec<String> {
    let tokenizer = Tokenizer::new(ImageSink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.sources.take()
}

/// Collects `<img src>` values, switching the tokenizer into raw text where the HTML
/// standard does (the tree builder's job, which a scan for images does not need whole).
#[derive(Default)]
struct ImageSink {
    sources: RefCell<Vec<String>>,
}

impl TokenSink for ImageSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        // `<script/>` still opens raw text: HTML ignores the slash on elements not void.
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        match &*tag.name {
            "img" => {
                let src = tag
                    .attrs
                    .iter()
                    .find(|a| a.name.local == local_name!("src"));
                if let Some(src) = src {
                    self.sources.borrow_mut().push(src.value.trim().to_string());
                }
                TokenSinkResult::Continue
            }
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Image formats a page shows as they are, with no variants: vector images, and formats
/// browsers show that Gazette's encoders do not read. (A lead image must still be one
/// Gazette reads: feeds and link previews need its size.)
const SHOWN_AS_IS: &[&str] = &[
    "svg", "svgz", "avif", "bmp", "ico", "tif", "tiff", "heic", "heif", "jxl",
];

fn shown_as_is(src: &str) -> bool {
    let path = src.split(['?', '#']).next().unwrap_or(src);
    path.rsplit_once('.')
        .filter(|(_, ext)| !ext.contains('/'))
        .is_some_and(|(_, ext)| SHOWN_AS_IS.iter().any(|s| ext.eq_ignore_ascii_case(s)))
}

/// The paths an article's HTML links or shows (`href`, `src`, `poster`, `cite`) that go
/// up a folder (`../`) or more, as written, once each. Whether one leaves the site depends
/// on the article's URL, so they are kept to be checked against it ([`leaves_site`]);
/// most articles have none, and only those that have a `..` at all are scanned.
pub fn climbing_paths(html: &str) -> Vec<String> {
    let mut paths: Vec<String> = Vec::new();
    if !may_climb(html) {
        return paths;
    }
    crate::html::for_each_attribute(html, |name, value, _| {
        if ["href", "src", "poster", "cite"]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n))
            && is_local(value)
            && segments(value).any(|s| dots(s) == 2)
            && !paths.iter().any(|p| p == value)
        {
            paths.push(value.to_string());
        }
    });
    paths
}

/// Whether `html` may hold a `..` segment: a `..` beside a separator or a quote (prose's
/// ellipses are not), or a `%2e`. Most articles have none, and are not scanned further.
fn may_climb(html: &str) -> bool {
    let bytes = html.as_bytes();
    let edge = |b: Option<&u8>| matches!(b, Some(b'/' | b'\\' | b'"' | b'\'' | b'='));
    // One pass over the dots and percents (three string searches were a twentieth of
    // loading a site); it checks overlapping `...` too, so it errs towards scanning.
    memchr::memchr2_iter(b'.', b'%', bytes).any(|at| match bytes[at] {
        b'.' => {
            bytes.get(at + 1) == Some(&b'.')
                && (edge(at.checked_sub(1).and_then(|i| bytes.get(i))) || edge(bytes.get(at + 2)))
        }
        _ => bytes.get(at + 1) == Some(&b'2') && matches!(bytes.get(at + 2), Some(b'e' | b'E')),
    })
}

/// Whether `src`, on the page at `page` (a permalink's path, `2014/11/story/`), leads
/// above the site's root: up (`../`) more often than the page is deep, or up at all from
/// a path from the root (`/images/../../x.jpg`). A browser would quietly stop at the
/// root; the README promises such paths stop the build, as they do for lead images.
pub fn leaves_site(page: &str, src: &str) -> bool {
    if !is_local(src) {
        return false;
    }
    let from_root = src.starts_with(['/', '\\']);
    let mut depth = if from_root {
        0
    } else {
        page.split('/').filter(|s| !s.is_empty()).count()
    };
    let mut segments = segments(src).skip(usize::from(from_root)).peekable();
    while let Some(segment) = segments.next() {
        match dots(segment) {
            2 if depth == 0 => return true,
            2 => depth -= 1,
            1 => {}
            _ if segment.is_empty() || segments.peek().is_none() => {}
            _ => depth += 1,
        }
    }
    false
}

/// The segments of a URL's path (before its query or fragment), split as browsers do:
/// at `/` and, in web URLs, at `\`.
fn segments(src: &str) -> impl Iterator<Item = &str> {
    let path = src.split(['?', '#']).next().unwrap_or("");
    path.split(['/', '\\'])
}

/// 1 for a `.` segment, 2 for `..`, spelled as browsers read them (`%2e` is a dot), else 0.
fn dots(segment: &str) -> usize {
    match segment.to_ascii_lowercase().as_str() {
        "." | "%2e" => 1,
        ".." | ".%2e" | "%2e." | "%2e%2e" => 2,
        _ => 0,
    }
}

/// Whether `src` names a file of the site rather than another site's.
fn is_local(src: &str) -> bool {
    let has_scheme = src
        .split_once(':')
        .is_some_and(|(scheme, _)| !scheme.contains('/'));
    !src.is_empty() && !has_scheme && !src.starts_with("//") && !src.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> Bundle {
        Bundle {
            dir: PathBuf::from("content/story"),
            files: vec!["hero.jpg".into(), "img/b.png".into()],
        }
    }

    #[test]
    fn image_refs_are_urls_site_paths_or_files_beside_the_article() {
        let b = bundle();
        assert_eq!(
            image_ref("https://cdn.example/x.jpg", None),
            Ok(ImageRef::Remote("https://cdn.example/x.jpg".into()))
        );
        assert_eq!(
            image_ref("/images/x.jpg", None),
            Ok(ImageRef::Site("images/x.jpg".into()))
        );
        assert_eq!(
            image_ref("img/b.png", Some(&b)),
            Ok(ImageRef::Beside("img/b.png".into()))
        );
        for (bad, why) in [
            ("../secret.jpg", "leaves the site"),
            ("/images/../../x.jpg", "leaves the site"),
            ("data:image/png;base64,xx", "only http(s) URLs"),
            ("missing.jpg", "is not in the article's folder"),
        ] {
            let message = image_ref(bad, Some(&b)).unwrap_err().to_string();
            assert!(message.contains(why), "{bad}: {message}");
        }
        assert!(
            image_ref("hero.jpg", None)
                .unwrap_err()
                .to_string()
                .contains("content/<slug>/index.md")
        );
    }

    /// The full text of every refusal of an `image` value.
    #[test]
    fn image_ref_errors_print_what_was_written_then_why() {
        let b = bundle();
        let printed = |written: &str, bundle| image_ref(written, bundle).unwrap_err().to_string();
        assert_eq!(
            printed("https://exa mple.org/x.jpg", None),
            "image \"https://exa mple.org/x.jpg\" is not a valid URL: invalid international domain name"
        );
        assert_eq!(printed("  ", None), "`image` is empty");
        assert_eq!(
            printed("data:x", None),
            "image \"data:x\": only http(s) URLs, paths under static/ (/images/x.jpg) and files beside the article are images"
        );
        assert_eq!(
            printed("../x.jpg", None),
            "image \"../x.jpg\" leaves the site: name a file beside the article or a path under static/ without `..`"
        );
        assert_eq!(
            printed("gone.jpg", Some(&b)),
            format!(
                "image \"gone.jpg\" is not in the article's folder {}",
                b.dir.display()
            )
        );
        assert_eq!(
            printed("hero.jpg", None),
            "image \"hero.jpg\" would be a file beside the article, which only an article that is a folder has (content/<slug>/index.md with the image in it); or give a path under static/ such as \"/images/hero.jpg\""
        );
    }

    #[test]
    fn paths_that_climb_above_the_root_leave_the_site() {
        let html = r#"<p><img src="../../etc/passwd"><a href="../other/">x</a><a href="https://x.org/../../a">y</a><img src="/a/%2E%2e/../b.png"><a href="../other/">again</a><img src="hero.jpg"></p>"#;
        let paths = climbing_paths(html);
        assert_eq!(
            paths,
            ["../../etc/passwd", "../other/", "/a/%2E%2e/../b.png"]
        );
        assert!(climbing_paths("<p><a href=\"/x/\">no dots</a>...</p>").is_empty());
        assert!(!may_climb("<p>Wait... and then.. more</p>"));
        for html in [
            "<a href=\"..\">",
            "<a href='../x'>",
            "<img src=/a/..>",
            "<a href=\"%2E%2e/\">",
        ] {
            assert!(may_climb(html), "{html}");
        }
        for (page, src, leaves) in [
            ("story/", "../../etc/passwd", true),
            ("story/", "../other/", false),
            ("story/", "../../other/", true),
            ("2014/11/24/story/", "../../../../img.jpg", false),
            ("2014/11/24/story/", "../../../../../img.jpg", true),
            ("story/", "./a/../../b.jpg", false),
            ("story/", "a/b/../../../../c.jpg", true),
            ("story/", "/a/%2E%2e/../b.png", true),
            ("story/", "..\\..\\x.jpg", true),
            ("story/", "https://x.org/../../a", false),
            ("story/", "#..", false),
            ("story/", "../x.jpg?../../..", false),
        ] {
            assert_eq!(leaves_site(page, src), leaves, "{src} on {page}");
        }
    }

    #[test]
    fn vector_and_unread_formats_are_shown_as_they_are() {
        let html = r#"<img src="/logo.svg"><img src="chart.AVIF?v=2"><img src="/a.jpg"><img src="/dir.svg/x.png">"#;
        assert_eq!(body_images(html), ["/a.jpg", "/dir.svg/x.png"]);
    }

    #[test]
    fn only_img_elements_are_images_and_raw_text_is_text() {
        let html = concat!(
            "<noscript><img src=\"chart.png\" alt=\"Chart\"></noscript>\n",
            "<script src=\"charts.js\"></script>\n",
            "<script>document.write('<img src=\"in-script.png\">');</script>\n",
            "<!-- <img src=\"commented.png\"> -->\n",
            "<style>.x { content: '<img src=\"in-style.png\">'; }</style>\n",
            "<textarea><img src=\"in-textarea.png\"></textarea>\n",
            "<video><source src=\"clip.mp4\" type=\"video/mp4\"></video>\n",
            "<picture><source srcset=\"wide.webp\"><img src=\"narrow.jpg\"></picture>\n",
            "<p>Text that says &lt;img src=\"escaped.png\"&gt; and <code>&lt;img src=x&gt;</code></p>\n",
            "<iframe src=\"player.html\"></iframe><IMG SRC=\"upper.png\"><script/><img src=\"after-self-closed-script.png\"></script>",
        );
        assert_eq!(body_images(html), ["chart.png", "narrow.jpg", "upper.png"]);
        assert_eq!(
            body_images("<p><img src=\"a&amp;b.png\"> <img src=plain.png></p>"),
            ["a&b.png", "plain.png"],
            "values as the browser reads them"
        );
    }

    /// Where nothing hides an `<img>`, finding the tags by a scan gives what tokenizing
    /// the whole body gives, whatever the markup around them.
    #[test]
    fn scanning_tags_agrees_with_the_tokenizer() {
        let pieces = [
            "<img src=\"a.png\">",
            "<IMG SRC=b.png alt=x>",
            "<img alt='q\"' src='c&amp;d.png'/>",
            "<img src=e.png",
            "<a title=\"<img src=in-title.png>\" href=x>",
            "<a b\"c=d>",
            "<p class=x>",
            "</p>",
            "< img src=f.png>",
            "text",
            "&lt;img src=g.png&gt;",
            "=",
            "\"",
            "'",
            ">",
            "<",
            " ",
            "\n",
            "<img",
            " src=h.png",
            " src=\"i.png\"",
            "<div data-x=\">\">",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut pick = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            pieces[(state % pieces.len() as u64) as usize]
        };
        let mut compared = 0;
        for _ in 0..4000 {
            let html: String = (0..10).map(|_| pick()).collect();
            if has_raw_text_or_comments(&html) {
                continue;
            }
            let scanned: Vec<String> = img_tags(&html).flat_map(img_sources).collect();
            assert_eq!(scanned, img_sources(&html), "{html:?}");
            compared += 1;
        }
        assert!(compared > 3000, "{compared}");
    }

    #[test]
    fn body_images_are_the_local_ones() {
        let html = r#"<p><img src="hero.jpg" alt="a"><img src="https://x.org/a.png"><img src="/images/b.png"><img src="data:image/png;base64,AA"><img src="hero.jpg"></p>"#;
        assert_eq!(body_images(html), ["hero.jpg", "/images/b.png"]);
    }
}
