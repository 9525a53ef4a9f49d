//! The `images` stage, between `content` and `render`: finds the local images articles use
//! (lead images and `<img>`s in their bodies), reads each one's header, and plans its
//! variants — resized copies at the configured widths, in WebP and in the image's own
//! format — which `process` makes and keeps in a cache outside the output
//! (`.gazette-cache/images/`), keyed by the image's bytes and the settings.
//!
//! Architecture invariants:
//! - Planning reads headers only (and each file's bytes for its hash), so pages can render
//!   with every variant's URL and size while the variants are being made.
//! - A variant's name and cache key come from the source's bytes and the settings: equal
//!   inputs, equal names and bytes (the encoders are deterministic); a changed image gets
//!   new URLs, so no browser or CDN keeps a stale copy.
//! - An image is never made larger, and never decoded above `max_megapixels`.
//! - A damaged image (cut short, or with broken data) is an error naming where it is used,
//!   found when its variants are made (a GIF, which has none, when its header is read).
//! - The original is published from a copy in the cache named by its bytes' hash, so that
//!   the output links it as it links the variants (no image bytes copied by a build with
//!   a warm cache), while an edit in place of the source never reaches the output before
//!   a build: the copy is made only of bytes whose hash is its name.
//! - The output's image files are the cache's (hard links): a cache file is used only
//!   while the ledger (`ledger`) vouches for it, so one edited through the output, or in
//!   the cache, is made again rather than published.

mod call;
mod ledger;
mod process;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::config::ImagesConfig;
use crate::content::{Document, ImageRef, Site};
use crate::files::FileStamp;
use crate::files::{Contents, OutputFile, StaticSource};

pub use call::{ImageAnswer, ImageCall, call_key};
pub use process::Made;

/// Changes whenever the way variants are made does, so cached variants made otherwise are
/// not reused.
/// 2: WebP at libwebp's effort 0 (was 1).
const ENCODERS: u32 = 2;

#[derive(Debug, Error)]
pub enum ImageError {
    #[error("{place}: image {image:?}: no such file (a file beside the article, or below static/)")]
    Missing { place: String, image: String },
    #[error("{place}: image {image:?}: cannot read {}: {source}", file.display())]
    Unreadable {
        /// Where it is named: the article (with the line of its `image`), or the template.
        place: String,
        image: String,
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{place}: image {image:?}: {} is not an image Gazette can read (JPEG, PNG, WebP or GIF)", file.display())]
    Unsupported {
        /// Where it is named: the article (with the line of its `image`), or the template.
        place: String,
        image: String,
        file: PathBuf,
    },
    #[error("{place}: image {image:?}: {} is {width} × {height} pixels, more than the {limit} million `images.max_megapixels` allows", file.display())]
    TooLarge {
        /// Where it is named: the article (with the line of its `image`), or the template.
        place: String,
        image: String,
        file: PathBuf,
        width: u32,
        height: u32,
        limit: u32,
    },
    #[error("{place}: image {image:?}: {} is damaged: {message}", file.display())]
    Corrupt {
        /// Where it is named: the article (with the line of its `image`), or the template.
        place: String,
        image: String,
        file: PathBuf,
        message: String,
    },
    #[error("{place}: image(path=\"/{path}\"): no such file below static/ or beside an article")]
    TemplateMissing { place: String, path: String },
    #[error("{place}: image {image:?}: {} changed while the build read it; build again", file.display())]
    Changed {
        /// Where it is named: the article (with the line of its `image`), or the template.
        place: String,
        image: String,
        file: PathBuf,
    },
    #[error("{}: cannot write the processed image: {source}", path.display())]
    Cache {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A source image's format, as its bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    /// Shown as it is (it may be animated): no variants.
    Gif,
}

/// What a variant is encoded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Encoding {
    Jpeg,
    Png,
    Webp,
}

impl Encoding {
    pub fn extension(self) -> &'static str {
        match self {
            Encoding::Jpeg => "jpg",
            Encoding::Png => "png",
            Encoding::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Encoding::Jpeg => "image/jpeg",
            Encoding::Png => "image/png",
            Encoding::Webp => "image/webp",
        }
    }
}

/// A source image, as its header describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// A hash of its bytes.
    pub hash: u64,
    /// As shown (EXIF orientation applied).
    pub width: u32,
    pub height: u32,
    pub format: Format,
}

/// One resized copy of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub encoding: Encoding,
    /// Below the site root, `/`-separated.
    pub url_path: String,
    pub cache_file: PathBuf,
}

/// A local image the site uses, with its variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub file: PathBuf,
    /// The original's path below the site root.
    pub url_path: String,
    pub probe: Probe,
    /// In the image's own format, narrowest first; then WebP, narrowest first. Empty for
    /// images shown as they are (GIF).
    pub variants: Vec<Variant>,
    /// Variants `image(...)` in templates asks for, besides `variants`.
    pub extra: Vec<Variant>,
    /// The cache's copy of the original, which the output links (named by its hash).
    pub original: PathBuf,
    /// Where it is first named, for messages.
    pub place: Place,
    /// As written there.
    pub written: String,
}

/// Where an image is named, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// An article's `image` (`file:line`), or a template's line.
    At(String),
    /// An article's text, whose line is looked up when a message needs it (the text is
    /// read only then).
    Text(PathBuf),
}

impl Place {
    /// The place of `written` (as the image is written there), as messages show it.
    pub fn describe(&self, written: &str) -> String {
        match self {
            Place::At(place) => place.clone(),
            Place::Text(file) => {
                let line = std::fs::read_to_string(file).ok().and_then(|text| {
                    text.lines()
                        .position(|line| line.contains(written))
                        .map(|i| i + 1)
                });
                match line {
                    Some(line) => format!("{}:{line}", file.display()),
                    None => file.display().to_string(),
                }
            }
        }
    }
}

impl Prepared {
    /// The variants in the image's own format (JPEG or PNG), narrowest first.
    pub fn own(&self) -> impl Iterator<Item = &Variant> {
        self.variants
            .iter()
            .filter(|v| v.encoding != Encoding::Webp || self.probe.format == Format::Webp)
    }

    /// The files the cache keeps of this image: its variants and the copy of the original.
    pub fn cache_files(&self) -> impl Iterator<Item = &Path> {
        self.variants
            .iter()
            .chain(&self.extra)
            .map(|v| v.cache_file.as_path())
            .chain([self.original.as_path()])
    }

    /// The WebP variants, narrowest first, when the image's own format is another.
    pub fn webp(&self) -> impl Iterator<Item = &Variant> {
        self.variants
            .iter()
            .filter(|v| v.encoding == Encoding::Webp && self.probe.format != Format::Webp)
    }
}

/// The images of a site, planned.
#[derive(Debug, Default)]
pub struct Images {
    /// By the original's path below the site root.
    pub by_path: BTreeMap<String, Prepared>,
    /// What each `image(...)` of the templates answers, by its key: a path below the site
    /// root, a width and a height.
    pub for_templates: BTreeMap<String, (String, u32, u32)>,
}

impl Images {
    /// The prepared image an article's `src` (as written in its body, or its lead image)
    /// names, if it is a local image of the site.
    pub fn lead(&self, article: &(impl Document + ?Sized)) -> Option<&Prepared> {
        let image = article.image()?;
        self.by_path.get(&lead_path(article, &image.source)?)
    }

    /// The prepared image of a path below the site root (an author's photo).
    pub fn at_path(&self, path: &str) -> Option<&Prepared> {
        self.by_path.get(path)
    }

    /// The prepared image `src` in article `article`'s body names.
    pub fn in_body(&self, article: &(impl Document + ?Sized), src: &str) -> Option<&Prepared> {
        self.by_path.get(&body_path(article, src)?)
    }

    /// A hash of the images an article shows: its page and every value made of it change
    /// with them.
    pub fn version_for(&self, article: &(impl Document + ?Sized)) -> u64 {
        // What a page shows of an image: where it is, its size, and its variants' names
        // (which carry its bytes' hash and the settings).
        let shown = |p: &Prepared| {
            let names: Vec<&str> = p.variants.iter().map(|v| v.url_path.as_str()).collect();
            crate::hash::named((&p.url_path, p.probe.width, p.probe.height, names))
        };
        let lead = self.lead(article).map(shown);
        let body: Vec<Option<u64>> = article
            .body_images()
            .iter()
            .map(|src| self.in_body(article, src).map(shown))
            .collect();
        crate::hash::named((lead, body))
    }

    /// What `image(...)` answers in templates (`{url, width, height}`, with `base` before the
    /// path), by call key.
    pub fn answers(&self, base: &str) -> HashMap<String, ImageAnswer> {
        self.for_templates
            .iter()
            .map(|(key, (path, width, height))| {
                let answer = ImageAnswer {
                    url: format!("{base}{path}"),
                    width: *width,
                    height: *height,
                };
                (key.clone(), answer)
            })
            .collect()
    }

    /// The variants as files of the site (the originals are bundle or static files, which
    /// `publish` points at the cache's copies).
    pub fn files(&self) -> Vec<OutputFile> {
        self.by_path
            .values()
            .flat_map(|p| p.variants.iter().chain(&p.extra))
            .map(|v| OutputFile {
                path: v.url_path.clone(),
                contents: Contents::Static(StaticSource::Made(v.cache_file.clone())),
            })
            .collect()
    }

    /// `file` as published: the original of a planned image comes from the cache's copy
    /// (see the module's invariants); every other file as it is.
    pub fn publish(&self, file: &mut OutputFile) {
        if let Contents::Static(StaticSource::File(source)) = &file.contents
            && let Some(p) = self.by_path.get(&file.path)
            && p.file == *source
        {
            file.contents = Contents::Static(StaticSource::Made(p.original.clone()));
        }
    }

    /// Makes every variant (and copy of an original) the cache lacks or its ledger does
    /// not vouch for, in parallel; `Made` counts the variants.
    pub fn process(&self, config: &ImagesConfig) -> Result<Made, ImageError> {
        process::make_missing(self, config)
    }

    /// Removes from `cache_dir` every file no planned variant uses.
    pub fn prune(&self, cache_dir: &Path) {
        let Ok(entries) = std::fs::read_dir(cache_dir) else {
            return;
        };
        let used: std::collections::HashSet<&Path> = self
            .by_path
            .values()
            .flat_map(Prepared::cache_files)
            .collect();
        for entry in entries.flatten() {
            let path = entry.path();
            if !used.contains(path.as_path()) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// Where an article's lead image is, below the site root.
fn lead_path(article: &(impl Document + ?Sized), source: &ImageRef) -> Option<String> {
    match source {
        ImageRef::Remote(_) => None,
        ImageRef::Site(path) => Some(path.clone()),
        ImageRef::Beside(file) => Some(format!("{}{file}", article.permalink().path())),
    }
}

/// Where a `src` in an article's body leads, below the site root: resolved against the
/// article's URL, as a browser would.
fn body_path(article: &(impl Document + ?Sized), src: &str) -> Option<String> {
    let page = url::Url::parse("http://site.invalid/")
        .ok()?
        .join(article.permalink().path())
        .ok()?;
    let url = page.join(src).ok()?;
    if url.host_str() != Some("site.invalid") {
        return None;
    }
    let path = percent_encoding::percent_decode_str(url.path().trim_start_matches('/'))
        .decode_utf8()
        .ok()?;
    Some(path.into_owned())
}

/// Plans the site's images, reusing what `memo` knows of files unchanged since (a watcher
/// plans again after every edit).
/// The memo is kept beside the variants (`probes` in the cache folder's parent), so a
/// build does not read and hash every image again: only files whose size or modification
/// time changed are read.
pub struct Planner {
    memo: HashMap<PathBuf, (SourceStamp, Probe)>,
    /// Whether the memo was read from the cache folder yet.
    read: bool,
}

impl Default for Planner {
    fn default() -> Self {
        Planner::new()
    }
}

/// A source image's stamp, as the memo keeps it: its size and modification time, and on
/// Unix its inode's change time, which no tool sets back — an edit that keeps the first
/// two (`touch -r`, a copy that keeps times) still gets its bytes read and hashed again,
/// so no file of the cache is named by bytes the image no longer has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SourceStamp {
    file: FileStamp,
    /// Nanoseconds since 1970; 0 where the platform does not say.
    changed: i128,
}

impl SourceStamp {
    fn of(meta: &std::fs::Metadata) -> Option<SourceStamp> {
        #[cfg(unix)]
        let changed = {
            use std::os::unix::fs::MetadataExt;
            i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec())
        };
        #[cfg(not(unix))]
        let changed = 0;
        Some(SourceStamp {
            file: FileStamp::of(meta)?,
            changed,
        })
    }
}

/// The memo's file, beside the folder of variants.
fn memo_file(cache_dir: &Path) -> PathBuf {
    cache_dir.with_file_name("image-probes")
}

impl Planner {
    pub fn new() -> Planner {
        Planner {
            memo: HashMap::new(),
            read: false,
        }
    }

    /// Reads the memo a previous build left (lines of path, size, modification time,
    /// change time, hash, width, height, format; anything unreadable is skipped).
    fn read_memo(&mut self, cache_dir: &Path) {
        self.read = true;
        let Ok(text) = std::fs::read_to_string(memo_file(cache_dir)) else {
            return;
        };
        for line in text.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            let [path, len, modified, changed, hash, width, height, format] = fields[..] else {
                continue;
            };
            let format = match format {
                "jpeg" => Format::Jpeg,
                "png" => Format::Png,
                "webp" => Format::Webp,
                "gif" => Format::Gif,
                _ => continue,
            };
            let (Ok(len), Ok(modified), Ok(changed), Ok(hash), Ok(width), Ok(height)) = (
                len.parse(),
                modified.parse(),
                changed.parse(),
                u64::from_str_radix(hash, 16),
                width.parse(),
                height.parse(),
            ) else {
                continue;
            };
            self.memo.insert(
                PathBuf::from(path),
                (
                    SourceStamp {
                        file: FileStamp { len, modified },
                        changed,
                    },
                    Probe {
                        hash,
                        width,
                        height,
                        format,
                    },
                ),
            );
        }
    }

    /// Writes the memo for the next build (failing quietly: it only saves time).
    fn write_memo(&self, cache_dir: &Path) {
        let mut entries: Vec<String> = self
            .memo
            .iter()
            .filter_map(|(path, (stamp, probe))| {
                let path = path.to_str().filter(|p| !p.contains(['\t', '\n']))?;
                let format = match probe.format {
                    Format::Jpeg => "jpeg",
                    Format::Png => "png",
                    Format::Webp => "webp",
                    Format::Gif => "gif",
                };
                Some(format!(
                    "{path}\t{}\t{}\t{}\t{:016x}\t{}\t{}\t{format}\n",
                    stamp.file.len,
                    stamp.file.modified,
                    stamp.changed,
                    probe.hash,
                    probe.width,
                    probe.height
                ))
            })
            .collect();
        entries.sort_unstable();
        let file = memo_file(cache_dir);
        if let Some(dir) = file.parent()
            && std::fs::create_dir_all(dir).is_ok()
        {
            let _ = crate::files::write_whole(&file, entries.concat().as_bytes());
        }
    }

    /// Every local image `site` uses, found among its bundles' files and `static_files`
    /// (output path → file), probed, with its variants planned into `cache_dir`. A lead
    /// image that is missing, and any used image that cannot be read, is an error naming
    /// the article.
    pub fn plan(
        &mut self,
        site: &Site,
        static_files: &BTreeMap<String, StaticSource>,
        calls: &[ImageCall],
        cache_dir: &Path,
    ) -> Result<Images, ImageError> {
        let mut wanted: BTreeMap<String, (PathBuf, Place, &str)> = BTreeMap::new();
        if calls.is_empty()
            && site.authors.iter().all(|a| a.image.is_none())
            && site
                .documents()
                .all(|a| a.image().is_none() && a.body_images().is_empty())
        {
            return Ok(Images::default());
        }
        if !self.read {
            self.read_memo(cache_dir);
        }
        let bundle_files: HashMap<String, PathBuf> = site
            .documents()
            .filter_map(|a| a.bundle().map(|b| (a, b)))
            .flat_map(|(a, b)| {
                b.files
                    .iter()
                    .map(move |f| (format!("{}{f}", a.permalink().path()), b.dir.join(f)))
            })
            .collect();
        let file_of = |path: &str| -> Option<PathBuf> {
            bundle_files
                .get(path)
                .cloned()
                .or_else(|| match static_files.get(path) {
                    Some(StaticSource::File(file)) => Some(file.clone()),
                    _ => None,
                })
        };
        for article in site.documents() {
            if let Some(image) = article.image()
                && let Some(path) = lead_path(article, &image.source)
            {
                let place = Place::At(format!("{}:{}", article.source().display(), image.line));
                let Some(file) = file_of(&path) else {
                    return Err(ImageError::Missing {
                        place: place.describe(&image.written),
                        image: image.written.clone(),
                    });
                };
                wanted.entry(path).or_insert((file, place, &image.written));
            }
            for src in article.body_images() {
                // A body image that is not there is a broken link, which `check` reports.
                if let Some(path) = body_path(article, src)
                    && let Some(file) = file_of(&path)
                {
                    wanted.entry(path).or_insert_with(|| {
                        (file, Place::Text(article.source().to_path_buf()), src)
                    });
                }
            }
        }
        // Authors' photos under `static/`, named by their profile's line.
        for author in &site.authors {
            if let (Some(image), Some(profile)) = (&author.image, &author.profile)
                && let ImageRef::Site(path) = &image.source
            {
                let place = Place::At(format!("{}:{}", profile.display(), image.line));
                let Some(file) = file_of(path) else {
                    return Err(ImageError::Missing {
                        place: place.describe(&image.written),
                        image: image.written.clone(),
                    });
                };
                wanted
                    .entry(path.clone())
                    .or_insert((file, place, &image.written));
            }
        }
        for call in calls {
            let Some(file) = file_of(&call.path) else {
                return Err(ImageError::TemplateMissing {
                    place: call.place.clone(),
                    path: call.path.clone(),
                });
            };
            wanted.entry(call.path.clone()).or_insert((
                file,
                Place::At(call.place.clone()),
                &call.path,
            ));
        }
        let config = &site.config.images;
        let entries: Vec<(String, (PathBuf, Place, &str))> = wanted.into_iter().collect();
        let probed = self.prepare_each(&entries, config, cache_dir)?;
        let mut images = Images::default();
        let before = std::mem::take(&mut self.memo);
        for (stamp, prepared) in probed {
            if let Some(stamp) = stamp {
                self.memo
                    .insert(prepared.file.clone(), (stamp, prepared.probe.clone()));
            }
            images.by_path.insert(prepared.url_path.clone(), prepared);
        }
        if self.memo != before {
            self.write_memo(cache_dir);
        }
        for call in calls {
            let prepared = images
                .by_path
                .get_mut(&call.path)
                .expect("every call's image was planned above");
            let answer = template_variant(prepared, call, config, cache_dir);
            images.for_templates.insert(call.key(), answer);
        }
        Ok(images)
    }

    /// Each wanted image (path below the site root → file, where it is named, as written
    /// there) probed — from the memo when its file is unchanged — with its files planned.
    fn prepare_each(
        &self,
        entries: &[(String, (PathBuf, Place, &str))],
        config: &ImagesConfig,
        cache_dir: &Path,
    ) -> Result<Vec<(Option<SourceStamp>, Prepared)>, ImageError> {
        let memo = &self.memo;
        crate::parallel::try_map(entries, |(path, (file, place, written))| {
            let stamp = std::fs::metadata(file)
                .ok()
                .and_then(|m| SourceStamp::of(&m));
            let known = stamp.and_then(|s| {
                memo.get(file)
                    .filter(|(old, _)| *old == s)
                    .map(|(_, p)| p.clone())
            });
            let named = Named {
                file,
                place,
                written,
            };
            let max_megapixels = config.max_megapixels;
            let probe = match known {
                Some(probe) => {
                    named.check_size(&probe, max_megapixels)?;
                    probe
                }
                None => named.probe(max_megapixels)?,
            };
            let variants = variants_of(path, &probe, config, cache_dir);
            let original = original_in(cache_dir, &probe);
            Ok((
                stamp,
                Prepared {
                    file: file.clone(),
                    url_path: path.clone(),
                    probe,
                    variants,
                    extra: Vec::new(),
                    original,
                    place: place.clone(),
                    written: written.to_string(),
                },
            ))
        })
    }
}

/// An image as planning meets it: its file, and where it is named (as written there).
struct Named<'a> {
    file: &'a PathBuf,
    place: &'a Place,
    written: &'a str,
}

impl Named<'_> {
    /// An error of this image's.
    fn error(&self, kind: impl FnOnce(String, String, PathBuf) -> ImageError) -> ImageError {
        kind(
            self.place.describe(self.written),
            self.written.to_string(),
            self.file.clone(),
        )
    }

    /// Reads the file's header (a GIF's blocks too: it is never decoded, being published
    /// as it is), refusing one of more than `max_megapixels` million pixels.
    fn probe(&self, max_megapixels: u32) -> Result<Probe, ImageError> {
        let bytes = std::fs::read(self.file).map_err(|source| {
            self.error(|place, image, file| ImageError::Unreadable {
                place,
                image,
                file,
                source,
            })
        })?;
        let probe = process::probe(&bytes).ok_or_else(|| {
            self.error(|place, image, file| ImageError::Unsupported { place, image, file })
        })?;
        self.check_size(&probe, max_megapixels)?;
        if probe.format == Format::Gif {
            process::gif_is_whole(&bytes).map_err(|damage| {
                self.error(|place, image, file| ImageError::Corrupt {
                    place,
                    image,
                    file,
                    message: damage.to_string(),
                })
            })?;
        }
        Ok(probe)
    }

    /// Refuses an image of more than `max_megapixels` million pixels.
    fn check_size(&self, probe: &Probe, max_megapixels: u32) -> Result<(), ImageError> {
        let pixels = u64::from(probe.width) * u64::from(probe.height);
        if pixels > u64::from(max_megapixels) * 1_000_000 {
            return Err(self.error(|place, image, file| ImageError::TooLarge {
                place,
                image,
                file,
                width: probe.width,
                height: probe.height,
                limit: max_megapixels,
            }));
        }
        Ok(())
    }
}

/// The variant `call` asks of `p` (added to its `extra` unless it has it), as the path,
/// width and height `image(...)` answers; the original itself for a GIF in its own format.
fn template_variant(
    p: &mut Prepared,
    call: &ImageCall,
    config: &ImagesConfig,
    cache_dir: &Path,
) -> (String, u32, u32) {
    let encoding = match (call.format.as_deref(), p.probe.format) {
        (Some("webp"), _) => Encoding::Webp,
        (Some("jpg"), _) => Encoding::Jpeg,
        (Some("png"), _) => Encoding::Png,
        (_, Format::Jpeg) => Encoding::Jpeg,
        (_, Format::Png) => Encoding::Png,
        (_, Format::Webp) => Encoding::Webp,
        (_, Format::Gif) => return (p.url_path.clone(), p.probe.width, p.probe.height),
    };
    let width = call.width.unwrap_or(p.probe.width).min(p.probe.width);
    let variant = variant(&p.url_path, &p.probe, width, encoding, config, cache_dir);
    let answer = (variant.url_path.clone(), variant.width, variant.height);
    let known = p
        .variants
        .iter()
        .chain(&p.extra)
        .any(|v| v.url_path == variant.url_path);
    if !known {
        p.extra.push(variant);
    }
    answer
}

/// The variants of the image at `path` (below the site root): one per configured width
/// below its own (and one at its own width when a configured width reaches it), in its own
/// format and in WebP.
fn variants_of(path: &str, probe: &Probe, config: &ImagesConfig, cache_dir: &Path) -> Vec<Variant> {
    let own = match probe.format {
        Format::Jpeg => Encoding::Jpeg,
        Format::Png => Encoding::Png,
        Format::Webp => Encoding::Webp,
        Format::Gif => return Vec::new(),
    };
    let mut widths: Vec<u32> = config.widths.iter().map(|&w| w.min(probe.width)).collect();
    widths.dedup();
    let mut encodings = vec![own];
    if own != Encoding::Webp {
        encodings.push(Encoding::Webp);
    }
    let mut variants = Vec::new();
    for encoding in encodings {
        for &width in &widths {
            variants.push(variant(path, probe, width, encoding, config, cache_dir));
        }
    }
    variants
}

/// The cache's copy of an image's original: named by its bytes' hash alone (the bytes
/// are copied as they are), in a namespace of its own beside the variants.
fn original_in(cache_dir: &Path, probe: &Probe) -> PathBuf {
    cache_dir.join(format!("{:016x}.original", probe.hash))
}

/// The variant of the image at `path` `width` pixels wide in `encoding`.
fn variant(
    path: &str,
    probe: &Probe,
    width: u32,
    encoding: Encoding,
    config: &ImagesConfig,
    cache_dir: &Path,
) -> Variant {
    // Rounded as the resize rounds it; at least one pixel.
    let height = ((u64::from(probe.height) * u64::from(width) + u64::from(probe.width) / 2)
        / u64::from(probe.width))
    .max(1) as u32;
    let key = crate::hash::named((
        ENCODERS,
        probe.hash,
        width,
        height,
        encoding,
        config.quality,
    ));
    let ext = encoding.extension();
    let (stem, _) = path.rsplit_once('.').unwrap_or((path, ""));
    Variant {
        width,
        height,
        encoding,
        url_path: format!("{stem}-{width}.{:08x}.{ext}", key as u32),
        cache_file: cache_dir.join(format!("{key:016x}.{ext}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(width: u32, height: u32, format: Format) -> Probe {
        Probe {
            hash: 7,
            width,
            height,
            format,
        }
    }

    #[test]
    fn variants_are_never_larger_than_the_image() {
        let config = ImagesConfig::default();
        let v = variants_of(
            "a/hero.jpg",
            &probe(1200, 800, Format::Jpeg),
            &config,
            Path::new("c"),
        );
        let sizes: Vec<(u32, u32, Encoding)> =
            v.iter().map(|v| (v.width, v.height, v.encoding)).collect();
        assert_eq!(
            sizes,
            [
                (480, 320, Encoding::Jpeg),
                (960, 640, Encoding::Jpeg),
                (1200, 800, Encoding::Jpeg),
                (480, 320, Encoding::Webp),
                (960, 640, Encoding::Webp),
                (1200, 800, Encoding::Webp),
            ]
        );
        assert!(v[0].url_path.starts_with("a/hero-480.") && v[0].url_path.ends_with(".jpg"));
        // A small image: one variant per format, at its own size.
        let small = variants_of(
            "x.png",
            &probe(300, 100, Format::Png),
            &config,
            Path::new("c"),
        );
        assert_eq!(small.len(), 2);
        assert!(
            variants_of(
                "x.gif",
                &probe(300, 100, Format::Gif),
                &config,
                Path::new("c")
            )
            .is_empty()
        );
        // Other bytes, other names.
        let mut other = probe(1200, 800, Format::Jpeg);
        other.hash = 8;
        let w = variants_of("a/hero.jpg", &other, &config, Path::new("c"));
        assert_ne!(v[0].url_path, w[0].url_path);
    }
}
