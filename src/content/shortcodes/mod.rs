//! Shortcodes in article bodies (Zola's syntax, see [`parse`]): small templates that put
//! what Markdown cannot say — a video, a quoted post, a figure with its caption — into an
//! article, without third-party scripts.
//!
//! Lookup, first found wins: the site's `templates/shortcodes/NAME.html`, the theme's
//! `themes/THEME/templates/shortcodes/NAME.html`, then the built-in ones ([`builtin`]).
//! Own templates get each argument as a variable and `body` for the block form; they are
//! the site's code, trusted as its other templates are. Built-ins check their arguments.
//!
//! How a body is rendered: each shortcode becomes a marker (private-use characters absent
//! from the text) in the Markdown, the Markdown is rendered (and sanitized with
//! `[markdown] safe_html`), then each marker is replaced by its shortcode's HTML — a
//! marker alone in a paragraph, whose HTML starts with a block element (`<div>`,
//! `<figure>`…), by the HTML alone, not inside `<p>`. So the sanitizer never
//! sees Gazette's own output, and arguments reach the page only through the template's
//! escaping.
//!
//! Video facades: any shortcode HTML with an `<a data-embed="URL">` gets [`EMBED_SCRIPT`]
//! once at the end of the body, which on a click replaces the link with a frame of `URL`.
//! Without script the link leads to the video's page.

pub mod builtin;
pub mod parse;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use tera::{Context, Tera};
use thiserror::Error;

use parse::{Call, Piece, Value};

/// The folder of `templates/` holding shortcode templates.
pub const FOLDER: &str = "shortcodes";

/// A problem with one shortcode, at byte `at` of the Markdown it is in.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct ShortcodeError {
    pub at: usize,
    pub message: String,
}

impl ShortcodeError {
    pub fn at(at: usize, message: impl Into<String>) -> ShortcodeError {
        ShortcodeError {
            at,
            message: message.into(),
        }
    }
}

/// A shortcode template that cannot be read or parsed.
#[derive(Debug, Error)]
pub enum TemplatesError {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{place}: {message}")]
    Template { place: String, message: String },
}

/// Replaces a clicked video link (`a[data-embed]`) with the player it names, loaded only
/// then. One listener per page, however many bodies carry this.
pub const EMBED_SCRIPT: &str = concat!(
    "<script>if(!window.gazetteEmbeds){window.gazetteEmbeds=1;",
    "document.addEventListener(\"click\",function(e){",
    "var a=e.target.closest&&e.target.closest(\"a[data-embed]\");",
    "if(!a||e.button||e.ctrlKey||e.metaKey||e.shiftKey||e.altKey)return;",
    "e.preventDefault();var f=document.createElement(\"iframe\");",
    "f.src=a.getAttribute(\"data-embed\");f.title=a.textContent;",
    "f.setAttribute(\"allow\",\"autoplay; encrypted-media; fullscreen; picture-in-picture\");",
    "f.setAttribute(\"allowfullscreen\",\"\");",
    "f.setAttribute(\"sandbox\",\"allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation\");",
    "f.setAttribute(\"referrerpolicy\",\"strict-origin-when-cross-origin\");",
    "a.replaceWith(f)})}</script>\n"
);

/// The shortcodes one site can use: templates by name, with where each came from.
pub struct Shortcodes {
    tera: Tera,
    /// Name → the file of a site's or theme's own template (absent for built-ins).
    own: BTreeMap<String, String>,
    /// A hash of the own templates (0 without any): a body's HTML depends on it.
    pub version: u64,
}

static BUILT_IN: LazyLock<Arc<Shortcodes>> = LazyLock::new(|| {
    Arc::new(Shortcodes::with(BTreeMap::new()).expect("the built-in shortcodes parse"))
});

impl Shortcodes {
    /// The built-in shortcodes alone.
    pub fn built_in() -> Arc<Shortcodes> {
        BUILT_IN.clone()
    }

    /// The built-ins with the theme's and then the site's own on top (`site_templates`
    /// and `theme_templates` are `templates/` folders; either may be missing).
    pub fn load(
        site_templates: &Path,
        theme_templates: &Path,
    ) -> Result<Arc<Shortcodes>, TemplatesError> {
        let mut own = BTreeMap::new();
        for dir in [theme_templates, site_templates] {
            read_dir(&dir.join(FOLDER), &mut own)?;
        }
        if own.is_empty() {
            return Ok(Shortcodes::built_in());
        }
        Shortcodes::with(own).map(Arc::new)
    }

    /// The shortcodes a site's bodies may use: its own `templates/` over its theme's.
    /// `build`, `watch` and `check` all ask this, so they agree on what is known.
    pub fn of_site(paths: &crate::paths::SitePaths) -> Result<Arc<Shortcodes>, TemplatesError> {
        Shortcodes::load(&paths.templates, &paths.theme.join("templates"))
    }

    /// The built-ins and `own` (name → (file, text)), own ones winning.
    fn with(own: BTreeMap<String, (String, String)>) -> Result<Shortcodes, TemplatesError> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html"]);
        let mut texts: BTreeMap<String, &str> = builtin::TEMPLATES
            .iter()
            .map(|(name, text)| (name.to_string(), *text))
            .collect();
        for (name, (_, text)) in &own {
            texts.insert(name.clone(), text);
        }
        for (name, text) in &texts {
            tera.add_raw_template(&format!("{name}.html"), text)
                .map_err(|e| {
                    let place = own.get(name).map_or(name.clone(), |(file, _)| file.clone());
                    TemplatesError::Template {
                        place,
                        message: tera_message(&e),
                    }
                })?;
        }
        let version = if own.is_empty() {
            0
        } else {
            crate::hash::named(&own)
        };
        Ok(Shortcodes {
            tera,
            own: own
                .into_iter()
                .map(|(name, (file, _))| (name, file))
                .collect(),
            version,
        })
    }

    /// The HTML of one call.
    pub fn render(&self, call: &Call) -> Result<String, ShortcodeError> {
        let template = format!("{}.html", call.name);
        let context = match self.own.get(&call.name) {
            Some(_) => own_context(call),
            None if builtin::TEMPLATES.iter().any(|(n, _)| *n == call.name) => {
                builtin::context(call)?
            }
            None => return Err(self.unknown(call)),
        };
        self.tera
            .render(&template, &context)
            .map(|html| html.trim().to_string())
            .map_err(|e| {
                let file = self.own.get(&call.name).map_or("built-in", String::as_str);
                ShortcodeError::at(
                    call.at,
                    format!(
                        "the shortcode `{}` ({file}) failed: {}",
                        call.name,
                        tera_message(&e)
                    ),
                )
            })
    }

    fn unknown(&self, call: &Call) -> ShortcodeError {
        let mut names: Vec<&str> = builtin::TEMPLATES.iter().map(|(n, _)| *n).collect();
        names.extend(self.own.keys().map(String::as_str));
        names.sort_unstable();
        names.dedup();
        ShortcodeError::at(
            call.at,
            format!(
                "unknown shortcode `{}` (there are {}; a site's own goes in templates/shortcodes/{}.html)",
                call.name,
                names.join(", "),
                call.name
            ),
        )
    }
}

/// A site's template gets every argument as it is, and `body`.
fn own_context(call: &Call) -> Context {
    let mut c = Context::new();
    for arg in &call.args {
        match &arg.value {
            Value::Str(s) => c.insert(arg.key.clone(), s),
            Value::Int(n) => c.insert(arg.key.clone(), n),
            Value::Float(f) => c.insert(arg.key.clone(), f),
            Value::Bool(b) => c.insert(arg.key.clone(), b),
        }
    }
    if let Some(body) = &call.body {
        c.insert("body", body);
    }
    c
}

/// Tera's message with its place, on one line.
fn tera_message(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads every `NAME.html` of `dir` (none when it does not exist) into `into`.
fn read_dir(
    dir: &Path,
    into: &mut BTreeMap<String, (String, String)>,
) -> Result<(), TemplatesError> {
    let read_error = |path: &Path, source| TemplatesError::Read {
        path: path.to_path_buf(),
        source,
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(read_error(dir, e)),
    };
    for entry in entries {
        let path = entry.map_err(|e| read_error(dir, e))?.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".html"))
        else {
            continue;
        };
        if name.starts_with('.') || !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| read_error(&path, e))?;
        into.insert(name.to_string(), (path.display().to_string(), text));
    }
    Ok(())
}

/// Elements that make a block of their own: HTML starting with one replaces the paragraph
/// its shortcode is alone in; other HTML (a link) stays in that paragraph.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "iframe",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
    "video",
    "audio",
    "script",
    "style",
];

fn starts_block(html: &str) -> bool {
    let Some(tag) = html.strip_prefix('<') else {
        return false;
    };
    let name: String = tag
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCKS.contains(&name.as_str())
}

/// A body with its shortcodes rendered and put in the Markdown as markers.
pub struct Expanded {
    /// The Markdown with a marker where each shortcode was.
    pub markdown: String,
    /// Each shortcode's HTML, by its number in the markers.
    pub html: Vec<String>,
    /// The character around each marker's number (one absent from the source).
    mark: char,
    /// The version of the shortcodes that made the HTML ([`Shortcodes::version`]).
    pub version: u64,
}

impl Expanded {
    /// Renders every call of `pieces` (of `source`) and puts markers in their place.
    pub fn of(
        source: &str,
        pieces: Vec<Piece>,
        shortcodes: &Shortcodes,
    ) -> Result<Expanded, ShortcodeError> {
        // Private use characters: a text using every one of them is not a news story.
        let mark = ('\u{E000}'..='\u{F8FF}')
            .find(|c| !source.contains(*c))
            .unwrap_or('\u{F8FF}');
        let mut markdown = String::with_capacity(source.len());
        let mut html = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Text(text) => markdown.push_str(&text),
                Piece::Call(call) => {
                    markdown.push(mark);
                    markdown.push_str(&html.len().to_string());
                    markdown.push(mark);
                    html.push(shortcodes.render(&call)?);
                }
            }
        }
        Ok(Expanded {
            markdown,
            html,
            mark,
            version: shortcodes.version,
        })
    }

    /// Whether `text` is one marker and nothing else (a shortcode alone in a paragraph)
    /// whose HTML starts with a block element, so it can stand for the paragraph.
    pub fn is_block(&self, text: &str) -> bool {
        let inner = text
            .trim()
            .strip_prefix(self.mark)
            .and_then(|t| t.strip_suffix(self.mark));
        let html = inner
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| self.html.get(n));
        html.is_some_and(|h| starts_block(h))
    }

    /// `text` with every marker replaced by what `each` gives for its shortcode's number.
    pub fn replace(&self, text: &str, each: impl Fn(usize) -> String) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(self.mark) {
            out.push_str(&rest[..at]);
            let after = &rest[at + self.mark.len_utf8()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let number = after[..digits]
                .parse::<usize>()
                .ok()
                .filter(|n| *n < self.html.len());
            match (number, after[digits..].strip_prefix(self.mark)) {
                (Some(n), Some(next)) => {
                    out.push_str(&each(n));
                    rest = next;
                }
                _ => {
                    out.push(self.mark);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The rendered body with each marker replaced by its shortcode's HTML, and the
    /// facade script once when a shortcode made a video facade.
    pub fn finish(&self, html: &str) -> String {
        let mut out = self.replace(html, |n| self.html[n].clone());
        if self.html.iter().any(|h| h.contains("data-embed=")) {
            out.push_str(EMBED_SCRIPT);
        }
        out
    }
}

#[cfg(test)]
mod tests;
