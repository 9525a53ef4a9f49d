//! Articles' and pages' HTML: held in memory, or — once a site's HTML passes a budget —
//! written to a spill file as it is loaded and read back when a page shows it.
//!
//! A million articles carry gigabytes of HTML, each body read by the page that shows it
//! and a feed or two, at most a few times a build. Held, it made the build's memory grow
//! with the site's text; spilled, an article costs its metadata and a place in a file.
//!
//! Invariants: the text read back is the text spilled, byte for byte (positional writes and
//! reads of an unnamed file this process alone holds, regions reserved once and never
//! reused). Which bodies spill depends on the order threads load them in, never on what a
//! page shows: a build's output is the same whether a body was held or spilled. A body
//! that cannot be written to the spill file stays held (memory, not an error); one that
//! cannot be read back is an error the build reports, naming its file.

use std::borrow::Cow;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// How much HTML a load holds in memory before it spills the rest: 256 MiB, some 60,000
/// articles of a news site. Below it a build reads no body back from disk.
pub const HELD_HTML: usize = 256 << 20;

/// An article's or page's HTML. Held, it is a reference-counted template string (a Tera
/// value): the site, every page that shows it and a session's next build share one copy,
/// made at load time when the Markdown renderer's buffer is freed and reused. Spilled, it
/// is a place in the load's spill file.
#[derive(Debug, Clone)]
pub struct Html(Body);

#[derive(Debug, Clone)]
enum Body {
    Held(tera::Value),
    Spilled {
        file: Arc<SpillFile>,
        at: u64,
        len: usize,
    },
}

impl Html {
    /// HTML held in memory.
    pub fn new(html: &str) -> Html {
        Html(Body::Held(tera::Value::safe_string(html)))
    }

    /// The text: borrowed when held, read back when spilled.
    pub fn text(&self) -> io::Result<Cow<'_, str>> {
        match &self.0 {
            Body::Held(value) => Ok(Cow::Borrowed(value.as_str().unwrap_or_default())),
            Body::Spilled { file, at, len } => file.read(*at, *len).map(Cow::Owned),
        }
    }

    /// The template value of a held body (a cheap clone: the text is shared); a spilled
    /// one has none until its text is read back.
    pub fn held(&self) -> Option<tera::Value> {
        match &self.0 {
            Body::Held(value) => Some(value.clone()),
            Body::Spilled { .. } => None,
        }
    }

    /// Whether the text waits in a spill file.
    pub fn is_spilled(&self) -> bool {
        matches!(self.0, Body::Spilled { .. })
    }
}

/// Where one load puts the HTML past its budget: a file made when first needed, in the
/// folder given (the site's cache, so that a system whose temporary folder is memory does
/// not get the text back in memory), else the system's temporary folder.
#[derive(Debug)]
pub struct Spill {
    budget: usize,
    held: AtomicUsize,
    dir: Option<PathBuf>,
    file: OnceLock<Option<Arc<SpillFile>>>,
}

impl Spill {
    pub fn new(budget: usize, dir: Option<&Path>) -> Spill {
        Spill {
            budget,
            held: AtomicUsize::new(0),
            dir: dir.map(Path::to_path_buf),
            file: OnceLock::new(),
        }
    }

    /// `html` held while the load's held HTML stays within the budget, else spilled.
    pub fn keep(&self, html: Html) -> Html {
        let Body::Held(value) = &html.0 else {
            return html;
        };
        let text = value.as_str().unwrap_or_default();
        let held = self.held.fetch_add(text.len(), Ordering::Relaxed) + text.len();
        if held <= self.budget {
            return html;
        }
        self.held.fetch_sub(text.len(), Ordering::Relaxed);
        let Some(file) = self.file() else {
            return html;
        };
        match file.append(text.as_bytes()) {
            Ok(at) => Html(Body::Spilled {
                file: Arc::clone(file),
                at,
                len: text.len(),
            }),
            Err(_) => html,
        }
    }

    fn file(&self) -> Option<&Arc<SpillFile>> {
        self.file
            .get_or_init(|| {
                let made = match &self.dir {
                    Some(dir) => std::fs::create_dir_all(dir)
                        .and_then(|()| tempfile::tempfile_in(dir))
                        .or_else(|_| tempfile::tempfile()),
                    None => tempfile::tempfile(),
                };
                let file = made.ok()?;
                Some(Arc::new(SpillFile {
                    file,
                    end: AtomicU64::new(0),
                }))
            })
            .as_ref()
    }
}

/// An unnamed file (removed when the last body in it is dropped) written and read at
/// given places only, so threads never share a cursor.
#[derive(Debug)]
struct SpillFile {
    file: File,
    end: AtomicU64,
}

impl SpillFile {
    /// Writes `bytes` at a place reserved for them alone; returns the place.
    fn append(&self, bytes: &[u8]) -> io::Result<u64> {
        let at = self.end.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        write_all_at(&self.file, bytes, at)?;
        Ok(at)
    }

    fn read(&self, at: u64, len: usize) -> io::Result<String> {
        let mut bytes = vec![0; len];
        read_exact_at(&self.file, &mut bytes, at)?;
        String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

#[cfg(unix)]
fn write_all_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_exact_at(file: &File, bytes: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(windows)]
fn write_all_at(file: &File, mut bytes: &[u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        match file.seek_write(bytes, at)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => (bytes, at) = (&bytes[n..], at + n as u64),
        }
    }
    Ok(())
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut bytes: &mut [u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        match file.seek_read(bytes, at)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => (bytes, at) = (&mut bytes[n..], at + n as u64),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &Html) -> String {
        html.text().unwrap().into_owned()
    }

    #[test]
    fn html_past_the_budget_is_spilled_and_read_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(11, Some(&dir.path().join("cache")));
        let held = spill.keep(Html::new("<p>held</p>"));
        let bodies = ["<p>first é</p>", "<p>third</p>\n"];
        let spilled: Vec<Html> = bodies.iter().map(|b| spill.keep(Html::new(b))).collect();
        // Within the budget still: an empty body costs nothing held.
        let empty = spill.keep(Html::new(""));
        assert!(!held.is_spilled() && !empty.is_spilled());
        assert_eq!(text(&held), "<p>held</p>");
        assert!(spilled.iter().all(Html::is_spilled));
        let read: Vec<String> = spilled.iter().rev().map(text).collect();
        assert_eq!(read, ["<p>third</p>\n", "<p>first é</p>"]);
        let value = held.held().unwrap();
        assert_eq!(value.as_str(), Some("<p>held</p>"));
        assert!(value.is_safe(), "HTML is printed as it is");
        assert!(
            spilled[0].held().is_none(),
            "no value without reading it back"
        );
        // The file has no name: nothing is left in the folder.
        let left = std::fs::read_dir(dir.path().join("cache")).unwrap().count();
        assert_eq!(left, 0);
    }

    #[test]
    fn a_body_that_cannot_be_read_back_is_an_error_not_text() {
        let spill = Spill::new(0, None);
        let Html(Body::Spilled { file, .. }) = spill.keep(Html::new("<p>short</p>")) else {
            panic!("spilled past a budget of 0");
        };
        let past_the_end = Html(Body::Spilled {
            file,
            at: 4,
            len: 100,
        });
        let error = past_the_end.text().unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn bodies_spilled_from_many_threads_read_back_whole() {
        let spill = Spill::new(0, None);
        let bodies: Vec<String> = (0..200)
            .map(|i| format!("<p>{}</p>", "x".repeat(i)))
            .collect();
        let spilled: Vec<Html> = std::thread::scope(|s| {
            let handles: Vec<_> = bodies
                .chunks(50)
                .map(|chunk| {
                    let spill = &spill;
                    s.spawn(move || {
                        let kept = chunk.iter().map(|b| spill.keep(Html::new(b)));
                        kept.collect::<Vec<Html>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect::<Vec<Html>>()
        });
        let read: Vec<String> = spilled.iter().map(text).collect();
        assert_eq!(read, bodies);
    }
}
