//! Jekyll's own rules, read once from `_config.yml` ([`Rules`]) and applied to each page as
//! Jekyll applies them: front matter `defaults` (the most specific scope wins), the site's
//! `timezone` (a post's date is taken into it before `:year/:month/:day` are made),
//! collections and their `permalink`s, URL templates and their placeholders
//! (`Jekyll::URL`, `Jekyll::Drops::UrlDrop`), and the heading ids kramdown gives.
//!
//! Invariants: a page's values here are the ones Jekyll's own build would use — the
//! rules are transcribed from Jekyll 4's and kramdown's source, and where this module
//! cannot know a value (a date-less document's build time) it gives none rather than a
//! guess. The only files read here are the site's data files ([`site_data`]).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde_json::{Map, Value};

use super::{Kind, Source};
use crate::import::ImportError;
use crate::import::migrate::{Harvest, Redirect, values};

/// What `_config.yml` says about how the site was made.
#[derive(Debug)]
pub(in crate::import::migrate) struct Rules {
    /// The `permalink` setting as written: a style (`date`, `pretty`…) or a template. Pages
    /// and collections without a template of their own take their ending from it.
    style: String,
    /// Every collection, `posts` first (Jekyll always has it).
    collections: Vec<Collection>,
    defaults: Vec<Defaults>,
    zone: Option<Tz>,
    ids: HeadingIds,
    /// The whole configuration, for `{{ site.KEY }}`.
    config: Value,
    /// The data files (`_data/<name>.yml`), for `{{ site.data.<name>.KEY }}`.
    data: Map<String, Value>,
}

/// A collection of `_config.yml`: its documents are in `_<label>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::import::migrate) struct Collection {
    pub label: String,
    /// Whether Jekyll writes a page for each document (always, for posts).
    pub output: bool,
    /// The collection's URL template.
    template: String,
}

/// One entry of `defaults`: values for the pages its scope takes in.
#[derive(Debug)]
struct Defaults {
    /// A path prefix (or glob) below the site's folder; empty takes in every page.
    path: String,
    /// `posts`, `pages`, `drafts` or a collection's label; `None` takes in every type.
    kind: Option<String>,
    values: Map<String, Value>,
}

/// How kramdown, Jekyll's Markdown converter, gave headings their ids.
#[derive(Debug, Clone, PartialEq, Eq)]
enum HeadingIds {
    /// The GFM parser (Jekyll's default `input: GFM`).
    Gfm { prefix: String },
    /// kramdown's own parser and id rule (`input: kramdown`, or GFM with
    /// `transliterated_header_ids`, which hands ids back to kramdown's rule).
    Kramdown {
        prefix: String,
        transliterate: bool,
        /// Whether the id is made from the heading's text without its Markdown syntax
        /// (`auto_id_stripping`, always on with GFM).
        stripped: bool,
    },
    /// No automatic ids (`auto_ids: false`), or another converter than kramdown: Gazette's
    /// own ids are as good as any.
    Unknown,
}

impl Rules {
    /// Reads the rules from the parsed `_config.yml` at `file` and the site's data files.
    pub(super) fn read(
        config: &Value,
        file: &std::path::Path,
        data: Map<String, Value>,
    ) -> Result<Rules, ImportError> {
        let style = values::text(config.get("permalink")).unwrap_or_else(|| "date".into());
        let zone = match values::text(config.get("timezone")) {
            None => None,
            Some(name) => Some(name.parse::<Tz>().map_err(|_| ImportError::BadSource {
                path: file.to_path_buf(),
                reason: format!(
                    "`timezone: {name}` is not a time zone's name (one of the IANA database, such as America/Los_Angeles)"
                ),
            })?),
        };
        Ok(Rules {
            collections: collections(config, &style),
            defaults: defaults(config),
            zone,
            ids: heading_ids_rule(config),
            config: config.clone(),
            data,
            style,
        })
    }

    /// The collection whose folder is `folder` (`_docs`), posts included.
    pub(super) fn collection(&self, folder: &str) -> Option<&Collection> {
        let label = folder.strip_prefix('_')?;
        self.collections.iter().find(|c| c.label == label)
    }

    /// A page's front matter with the `defaults` that apply to it merged in, as Jekyll
    /// merges them: sets in order, a more specific scope over a less specific one, the
    /// page's own values over all; `categories` are joined, not replaced.
    pub(super) fn with_defaults(&self, relative: &str, kind: &str, front: Value) -> Value {
        let mut merged = Map::new();
        let mut winner: Option<&Defaults> = None;
        for set in self.defaults.iter().filter(|d| d.applies(relative, kind)) {
            if winner.is_none_or(|old| set.outranks(old)) {
                deep_merge(&mut merged, &set.values);
                winner = Some(set);
            } else {
                let mut under = set.values.clone();
                deep_merge(&mut under, &merged);
                merged = under;
            }
        }
        let Value::Object(front) = front else {
            return Value::Object(merged);
        };
        let categories = union_of_lists(merged.get("categories"), front.get("categories"));
        deep_merge(&mut merged, &front);
        if let Some(categories) = categories {
            merged.insert("categories".into(), categories);
        }
        Value::Object(merged)
    }

    /// A page's front matter as Jekyll sees it: with its `defaults` merged in and, for a
    /// post or a document without one, the title Jekyll gives it from its file's name.
    pub(super) fn front_matter(&self, relative: &str, source: &Source, front: Value) -> Value {
        let kind = match source.kind {
            Kind::Post | Kind::Draft => "posts",
            Kind::Document => source
                .dirs
                .first()
                .and_then(|d| d.strip_prefix('_'))
                .unwrap_or(""),
            _ => "pages",
        };
        let mut merged = self.with_defaults(relative, kind, front);
        if matches!(source.kind, Kind::Post | Kind::Draft | Kind::Document)
            && values::text(merged.get("title")).is_none()
            && let Value::Object(map) = &mut merged
        {
            let stem = source.stem.as_str();
            let slug = dated_stem(stem).map_or(stem, |(_, rest)| rest);
            map.insert(
                "title".into(),
                Value::String(titleize(slug.trim_end_matches('.'))),
            );
        }
        merged
    }

    /// A post's or a document's date and name from its file's name (`2014-11-24-hello`),
    /// the date at midnight in the site's zone; a page's name is its file's.
    pub(super) fn dated_name<'a>(
        &self,
        source: &'a Source,
    ) -> (Option<DateTime<FixedOffset>>, &'a str) {
        let stem = source.stem.as_str();
        if !matches!(source.kind, Kind::Post | Kind::Draft | Kind::Document) {
            return (None, stem);
        }
        match dated_stem(stem) {
            Some((date, rest)) => (date.and_then(|d| self.local(d.and_hms_opt(0, 0, 0)?)), rest),
            None => (None, stem),
        }
    }

    /// A date of the site's front matter in the site's time zone: one with an offset
    /// converted into it, one without read as its local time (Jekyll's `Time.parse` under
    /// `TZ`). Without a `timezone`, UTC stands for the machine's zone Jekyll would use.
    pub(super) fn date(&self, text: &str) -> Option<DateTime<FixedOffset>> {
        let text = text.trim();
        if let Ok(date) = DateTime::parse_from_rfc3339(text) {
            return Some(self.in_zone(date));
        }
        let (naive, offset) = lenient_date(text)?;
        match offset {
            Some(offset) => naive
                .and_local_timezone(offset)
                .single()
                .map(|d| self.in_zone(d)),
            None => self.local(naive),
        }
    }

    /// `naive` as a time of the site's zone (the later reading in a repeated hour, the
    /// moment after a skipped one, as Ruby's `Time.local` does).
    pub(super) fn local(&self, naive: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
        let Some(zone) = self.zone else {
            return Some(naive.and_utc().fixed_offset());
        };
        match zone.from_local_datetime(&naive) {
            chrono::LocalResult::Single(d) => Some(d.fixed_offset()),
            chrono::LocalResult::Ambiguous(_, later) => Some(later.fixed_offset()),
            chrono::LocalResult::None => zone
                .from_local_datetime(&(naive + chrono::Duration::hours(1)))
                .earliest()
                .map(|d| d.fixed_offset()),
        }
    }

    /// The same moment in the site's zone.
    pub(super) fn in_zone(&self, date: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        match self.zone {
            Some(zone) => date.with_timezone(&zone).fixed_offset(),
            None => date,
        }
    }

    /// `{{ site.a.b }}`: a string or number of `_config.yml` (or, `site.data.…`, of a
    /// data file) as Liquid prints it.
    pub(super) fn site_value(&self, path: &str) -> Option<String> {
        let (mut value, path) = match path.strip_prefix("data.") {
            Some(rest) => {
                let (file, rest) = rest.split_once('.')?;
                (self.data.get(file)?, rest)
            }
            None => (&self.config, path),
        };
        for key in path.split('.') {
            value = value.get(key)?;
        }
        match value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// The URL Jekyll gave a page, as the file it wrote answers it: `None` when it cannot
    /// be known (a template naming a date the page does not have).
    pub(super) fn url(
        &self,
        source: &Source,
        relative: &str,
        fm: &Value,
        date: Option<DateTime<FixedOffset>>,
    ) -> Option<String> {
        let permalink = values::text(fm.get("permalink"));
        let ext = ".html";
        let url = match source.kind {
            Kind::Page | Kind::HtmlPage => {
                let template = permalink.unwrap_or_else(|| {
                    if source.stem == "index" {
                        "/:path/".into()
                    } else {
                        with_suffix("/:path/:basename", &self.style)
                    }
                });
                let basename = source.stem.trim_end_matches('.');
                page_url(&template, &source.dirs.join("/"), basename, ext)
            }
            _ => {
                let folder = match source.kind {
                    Kind::Document => source.dirs.first().map(String::as_str).unwrap_or(""),
                    _ => "_posts",
                };
                let collection = self.collection(folder)?;
                let template = permalink.unwrap_or_else(|| collection.template.clone());
                let drop = UrlDrop {
                    collection: &collection.label,
                    relative,
                    folder,
                    source,
                    fm,
                    date,
                };
                expand(&template, &|key| drop.get(key))?
            }
        };
        let url = sanitize_url(&url);
        // Jekyll writes `/x/` as `/x/index.html`, any other URL as a file with the output's
        // extension: `/docs/x` is the file `/docs/x.html`, which is what answers.
        Some(if url.ends_with('/') || url.ends_with(ext) {
            url
        } else {
            format!("{url}{ext}")
        })
    }

    /// Redirects whose target is an imported article's old URL become aliases of that
    /// article (the build writes their pages and `_redirects` lines); the others (to
    /// another site, or a page not imported) stay redirect pages of their own.
    pub(super) fn place_redirects(&self, redirects: Vec<Redirect>, harvest: &mut Harvest) {
        for redirect in redirects {
            let target = self.site_path(&redirect.to);
            let article = target.as_deref().and_then(|path| {
                harvest
                    .entries
                    .iter_mut()
                    .find(|e| e.url.as_deref() == Some(path) || e.aliases.iter().any(|a| a == path))
            });
            match article {
                Some(article) => {
                    if article.url.as_deref() != Some(redirect.from.as_str())
                        && !article.aliases.contains(&redirect.from)
                    {
                        article.aliases.push(redirect.from);
                    }
                }
                None => harvest.redirects.push(redirect),
            }
        }
    }

    /// A link's site path (percent-escapes decoded) when it leads into the old site: `/x`,
    /// or the site's `url` and `baseurl` followed by a path.
    fn site_path(&self, link: &str) -> Option<String> {
        let path = if link.starts_with('/') && !link.starts_with("//") {
            link.to_string()
        } else {
            let url = values::text(self.config.get("url"))?;
            let base = values::text(self.config.get("baseurl")).unwrap_or_default();
            let own = format!("{}/{}", url.trim_end_matches('/'), base.trim_matches('/'));
            let rest = link.strip_prefix(own.trim_end_matches('/'))?;
            match rest {
                "" => "/".to_string(),
                _ if rest.starts_with('/') => rest.to_string(),
                _ => return None,
            }
        };
        crate::import::migrate::decoded_path(&path)
    }

    /// `body` with an explicit `{#id}` on each heading whose id under kramdown differs
    /// from the one Gazette would give it, so the old `#anchors` still land.
    pub(super) fn keep_heading_ids(&self, body: &str) -> String {
        if self.ids == HeadingIds::Unknown {
            return body.to_string();
        }
        let headings = headings(body);
        let mut old_ids = Vec::with_capacity(headings.len());
        let mut counts = std::collections::HashMap::new();
        for heading in &headings {
            old_ids.push(heading.explicit.clone().or_else(|| {
                let id = self.ids.make(heading, body, &mut counts);
                Some(id).filter(|id| !id.is_empty())
            }));
        }
        // Writing an id changes how Gazette numbers the repeats of another, so write until
        // every heading has its old id (at most once per heading).
        // A heading with an attribute list has its id (and classes) written whatever, and
        // so has one whose braces must stay text.
        let mut written: Vec<bool> = headings
            .iter()
            .map(|h| h.ial.is_some() || h.braces_are_text)
            .collect();
        let mut text = body.to_string();
        for _ in 0..=headings.len() {
            text = with_ids(body, &headings, &old_ids, &written);
            let ids = crate::content::markdown::heading_ids(&text);
            if ids.len() != headings.len() {
                // Not the same headings (cannot happen with the same parser): leave them.
                return body.to_string();
            }
            let mut changed = false;
            for (i, id) in ids.iter().enumerate() {
                if let Some(old) = &old_ids[i]
                    && old != id
                    && !written[i]
                {
                    written[i] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        text
    }
}

/// The site's data files — YAML or JSON in `_data/`, by name (`ruby.yml` is `ruby`) — for
/// `{{ site.data.… }}`; a broken one is refused, as Jekyll refuses it. A link that leads out
/// of the site is not read (`_data/authors.yml`, the one that makes profiles, is listed as
/// skipped where the authors are read).
pub(super) fn site_data(
    root: &std::path::Path,
    bounds: &super::super::bounds::Bounds,
) -> Result<Map<String, Value>, ImportError> {
    let mut data = Map::new();
    for file in super::files::files_below(&root.join("_data"), bounds, &mut Vec::new())? {
        let in_data = file.parent() == Some(root.join("_data").as_path());
        if in_data && super::files::has_ext(&file, &["yml", "yaml", "json"]) {
            let name = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            data.insert(name, values::config(&file)?);
        }
    }
    Ok(data)
}

/// A date as Ruby's `Time.parse` reads Jekyll's front matter: a `YYYY-MM-DD` date, then,
/// anywhere after it, a time (`HH:MM[:SS[.fff]]`) and an offset (`+0100`, `-08:00`, `Z`,
/// `UTC`); words it does not know (a stray year) are passed over.
fn lenient_date(text: &str) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    let (day, rest) = match text.split_once([' ', 'T', '\t']) {
        Some((day, rest)) => (day, rest),
        None => (text, ""),
    };
    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    let mut time = chrono::NaiveTime::MIN;
    let mut offset = None;
    let mut seen_time = false;
    for word in rest.split_whitespace() {
        let (clock, zone) = match word.find(['+', '-', 'Z']) {
            Some(at) if word[..at].contains(':') => (&word[..at], &word[at..]),
            Some(0) => ("", word),
            _ if word.contains(':') => (word, ""),
            _ => ("", word),
        };
        if !clock.is_empty() && !seen_time {
            for format in ["%H:%M:%S%.f", "%H:%M"] {
                if let Ok(t) = chrono::NaiveTime::parse_from_str(clock, format) {
                    time = t;
                    seen_time = true;
                    break;
                }
            }
        }
        if offset.is_none() {
            offset = match zone {
                "Z" | "UTC" | "GMT" => FixedOffset::east_opt(0),
                _ => parse_offset(zone),
            };
        }
    }
    Some((day.and_time(time), offset))
}

/// `+0100`, `-08:00`, `+05`: an offset from UTC.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
    if !(digits.len() == 2 || digits.len() == 4) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits.get(2..).map_or(Some(0), |m| m.parse().ok())?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// `collections` of `_config.yml` (a map, or a list of labels), `posts` first with its
/// template from `collections.posts.permalink`, else from the `permalink` style.
fn collections(config: &Value, style: &str) -> Vec<Collection> {
    let mut list = vec![Collection {
        label: "posts".into(),
        output: true,
        template: post_template(style),
    }];
    match config.get("collections") {
        Some(Value::Object(map)) => {
            for (label, settings) in map {
                let template = values::text(settings.get("permalink"));
                if label == "posts" {
                    if let Some(template) = template {
                        list[0].template = template;
                    }
                    continue;
                }
                list.push(Collection {
                    label: label.clone(),
                    output: settings.get("output").and_then(Value::as_bool) == Some(true),
                    template: template.unwrap_or_else(|| with_suffix("/:collection/:path", style)),
                });
            }
        }
        Some(Value::Array(labels)) => {
            for label in labels.iter().filter_map(|l| values::text(Some(l))) {
                if label != "posts" {
                    list.push(Collection {
                        label,
                        output: false,
                        template: with_suffix("/:collection/:path", style),
                    });
                }
            }
        }
        _ => {}
    }
    list
}

/// The posts' template for a `permalink` style name, or the template itself.
fn post_template(style: &str) -> String {
    match style {
        "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
        "pretty" => "/:categories/:year/:month/:day/:title/".into(),
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext".into(),
        "none" => "/:categories/:title:output_ext".into(),
        template => template.into(),
    }
}

/// Jekyll's `add_permalink_suffix`: the ending a style gives templates of pages and
/// collections.
fn with_suffix(template: &str, style: &str) -> String {
    match style {
        "pretty" => format!("{template}/"),
        "date" | "ordinal" | "none" => format!("{template}:output_ext"),
        _ if style.ends_with('/') => format!("{template}/"),
        _ if style.ends_with(":output_ext") => format!("{template}:output_ext"),
        _ => template.to_string(),
    }
}

fn defaults(config: &Value) -> Vec<Defaults> {
    let Some(Value::Array(sets)) = config.get("defaults") else {
        return Vec::new();
    };
    sets.iter()
        .filter_map(|set| {
            let values = set.get("values")?.as_object()?.clone();
            let scope = set.get("scope");
            let path = scope
                .and_then(|s| s.get("path"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let kind = scope
                .and_then(|s| values::text(s.get("type")))
                .map(|t| match t.as_str() {
                    "post" => "posts".into(),
                    "page" => "pages".into(),
                    "draft" => "drafts".into(),
                    _ => t,
                });
            Some(Defaults {
                path: sanitize_scope(&path),
                kind,
                values,
            })
        })
        .collect()
}

/// A scope's path without its leading `/` (and, written so, its trailing one).
fn sanitize_scope(path: &str) -> String {
    match path.strip_prefix('/') {
        Some(rest) => rest.trim_end_matches('/').to_string(),
        None => path.to_string(),
    }
}

impl Defaults {
    fn applies(&self, relative: &str, kind: &str) -> bool {
        self.kind.as_deref().is_none_or(|k| k == kind)
            && (self.path.is_empty()
                || if self.path.contains('*') {
                    // A glob names existing paths; the page is in scope when one of them
                    // begins its path.
                    let segments: Vec<&str> = relative.split('/').collect();
                    (1..=segments.len()).any(|n| glob(&self.path, &segments[..n].join("/")))
                } else {
                    relative.starts_with(&self.path)
                })
    }

    /// Jekyll's `has_precedence?`: a longer path wins; of equal ones, one with a type.
    fn outranks(&self, old: &Defaults) -> bool {
        if self.path.len() != old.path.len() {
            self.path.len() >= old.path.len()
        } else {
            self.kind.is_some() || old.kind.is_none()
        }
    }
}

/// Whether `path` matches the glob `pattern` (`*` and `?` within a segment, `**` any
/// number of segments), as Ruby's `Dir.glob` matches names.
pub(super) fn glob(pattern: &str, path: &str) -> bool {
    fn segments(pattern: &[&str], path: &[&str]) -> bool {
        match (pattern.first(), path.first()) {
            (None, None) => true,
            (Some(&"**"), _) => {
                segments(&pattern[1..], path) || (!path.is_empty() && segments(pattern, &path[1..]))
            }
            (Some(p), Some(s)) => {
                name(p.as_bytes(), s.as_bytes()) && segments(&pattern[1..], &path[1..])
            }
            _ => false,
        }
    }
    fn name(pattern: &[u8], text: &[u8]) -> bool {
        match (pattern.first(), text.first()) {
            (None, None) => true,
            (Some(b'*'), _) => {
                name(&pattern[1..], text) || (!text.is_empty() && name(pattern, &text[1..]))
            }
            (Some(b'?'), Some(_)) => name(&pattern[1..], &text[1..]),
            (Some(p), Some(t)) => p == t && name(&pattern[1..], &text[1..]),
            _ => false,
        }
    }
    let pattern: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let path: Vec<&str> = path.split('/').collect();
    segments(&pattern, &path)
}

/// Jekyll's `deep_merge_hashes!`: maps merged key by key, anything else replaced.
fn deep_merge(target: &mut Map<String, Value>, over: &Map<String, Value>) {
    for (key, value) in over {
        match (target.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(more)) => deep_merge(inner, more),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Two `categories` values joined (a string is a space-separated list), when both are
/// there: Jekyll adds a page's categories to its defaults' rather than replacing them.
fn union_of_lists(first: Option<&Value>, second: Option<&Value>) -> Option<Value> {
    let (first, second) = (first?, second?);
    let mut all = values::list(Some(first), true);
    for c in values::list(Some(second), true) {
        if !all.contains(&c) {
            all.push(c);
        }
    }
    Some(Value::Array(all.into_iter().map(Value::String).collect()))
}

/// A page's URL from its template, by Jekyll's `generate_url_from_hash`: only `:path`,
/// `:basename` and `:output_ext` are placeholders of pages.
fn page_url(template: &str, path: &str, basename: &str, ext: &str) -> String {
    let mut url = template.to_string();
    for (key, value) in [("path", path), ("basename", basename), ("output_ext", ext)] {
        if !url.contains(':') {
            break;
        }
        url = url.replace(&format!(":{key}"), value);
    }
    url
}

/// The placeholders of a document's URL (`Jekyll::Drops::UrlDrop`).
struct UrlDrop<'a> {
    collection: &'a str,
    /// The file's path below the site's folder.
    relative: &'a str,
    /// The collection's folder (`_posts`, `_docs`).
    folder: &'a str,
    source: &'a Source,
    fm: &'a Value,
    date: Option<DateTime<FixedOffset>>,
}

impl UrlDrop<'_> {
    /// The value of `key`; `None` for a key Jekyll does not know (its build stops there)
    /// or a date the document does not have.
    fn get(&self, key: &str) -> Option<String> {
        let slug = values::text(self.fm.get("slug"));
        // A document's slug is its file name's, less a leading date (`populate_title`).
        let name_slug = || {
            let stem = self.source.stem.as_str();
            dated_stem(stem)
                .map_or(stem, |(_, rest)| rest)
                .trim_end_matches('.')
                .to_string()
        };
        let date = || self.date;
        Some(match key {
            "collection" => self.collection.to_string(),
            "path" => {
                let without_ext = self
                    .relative
                    .rsplit_once('.')
                    .map_or(self.relative, |(stem, _)| stem);
                without_ext
                    .replacen(self.folder, "", 1)
                    .trim_end_matches('.')
                    .to_string()
            }
            "name" => slugify(&self.source.stem, Mode::Default),
            "title" => slugify(&slug.unwrap_or_else(name_slug), Mode::PrettyCased),
            "slug" => slugify(&slug.unwrap_or_else(name_slug), Mode::Default),
            "categories" => self.categories(|c| c.to_lowercase()),
            "slugified_categories" => self.categories(|c| slugify(c, Mode::Default)),
            "output_ext" => ".html".into(),
            "year" => date()?.format("%Y").to_string(),
            "month" => date()?.format("%m").to_string(),
            "day" => date()?.format("%d").to_string(),
            "hour" => date()?.format("%H").to_string(),
            "minute" => date()?.format("%M").to_string(),
            "second" => date()?.format("%S").to_string(),
            "i_day" => date()?.day().to_string(),
            "i_month" => date()?.month().to_string(),
            "short_month" => date()?.format("%b").to_string(),
            "long_month" => date()?.format("%B").to_string(),
            "short_year" => date()?.format("%y").to_string(),
            "w_year" => date()?.iso_week().year().to_string(),
            "week" => format!("{:02}", date()?.iso_week().week()),
            "w_day" => date()?.weekday().number_from_monday().to_string(),
            "short_day" => date()?.format("%a").to_string(),
            "long_day" => date()?.format("%A").to_string(),
            "y_day" => format!("{:03}", date()?.ordinal()),
            _ => return None,
        })
    }

    /// The document's categories — the folders above its `_posts` first, then its front
    /// matter's — once each, made URL segments by `each`.
    fn categories(&self, each: impl Fn(&str) -> String) -> String {
        let mut all: Vec<String> = Vec::new();
        let from_path = if self.source.kind == Kind::Document {
            &[][..]
        } else {
            &self.source.dirs[..]
        };
        for c in from_path
            .iter()
            .cloned()
            .chain(values::list(self.fm.get("categories"), true))
            .chain(values::list(self.fm.get("category"), false))
            .map(|c| each(&c))
        {
            if !all.contains(&c) {
                all.push(c);
            }
        }
        all.join("/")
    }
}

/// A URL template with its `:placeholders` replaced (`generate_url_from_drop`): a key
/// ending in `_` may be the key without it (`/:month_:day`).
fn expand(template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        if len == 0 {
            out.push(':');
            rest = after;
            continue;
        }
        let key = &after[..len];
        let (value, used) = match lookup(key) {
            Some(v) => (v, len),
            None if key.ends_with('_') => (lookup(&key[..len - 1])?, len - 1),
            None => return None,
        };
        out.push_str(&value);
        rest = &after[used..];
    }
    out.push_str(rest);
    Some(out)
}

/// Jekyll's `sanitize_url`: a leading `/`, no `..` or `./`, no repeated `/`.
fn sanitize_url(url: &str) -> String {
    let url = format!("/{url}").replace("..", "/").replace("./", "");
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Mode {
    Default,
    PrettyCased,
}

/// Jekyll's `Utils.slugify` in its default mode, as plugins call it (jekyll-archives'
/// `:name`).
pub(super) fn slug(text: &str) -> String {
    slugify(text, Mode::Default)
}

/// Jekyll's `Utils.slugify` in the modes URLs use: runs of other characters than letters,
/// marks and digits (and, `pretty`, `._~!$&'()+,;=@`) become one `-`, a leading and a
/// trailing `-` go, lowercased unless cased.
fn slugify(text: &str, mode: Mode) -> String {
    let kept = |c: char| {
        c.is_alphanumeric() || (matches!(mode, Mode::PrettyCased) && "._~!$&'()+,;=@".contains(c))
    };
    let mut slug = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        if kept(c) {
            slug.push(c);
            in_run = false;
        } else if !in_run {
            slug.push('-');
            in_run = true;
        }
    }
    let slug = slug.strip_prefix('-').unwrap_or(&slug);
    let slug = slug.strip_suffix('-').unwrap_or(slug);
    match mode {
        Mode::Default => slug.to_lowercase(),
        Mode::PrettyCased => slug.to_string(),
    }
}

/// Jekyll's `DATE_FILENAME_MATCHER` on a file's stem: `2014-11-24-hello` → its date (when
/// the year has four digits, as dates are read) and `hello`.
pub(super) fn dated_stem(stem: &str) -> Option<(Option<NaiveDate>, &str)> {
    let mut parts = stem.splitn(4, '-');
    let mut number = |lengths: std::ops::RangeInclusive<usize>| {
        parts
            .next()
            .filter(|p| lengths.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (year, month, day) = (number(2..=4)?, number(1..=2)?, number(1..=2)?);
    let rest = parts.next()?;
    let four_digits = stem.find('-') == Some(4);
    let date = four_digits
        .then(|| NaiveDate::from_ymd_opt(year as i32, month, day))
        .flatten();
    Some((date, rest))
}

/// Jekyll's `titleize_slug`: the title a post or document without one shows.
pub(super) fn titleize(slug: &str) -> String {
    slug.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// The slug of a page Jekyll names `index` (a folder's page): Gazette's `index.md` is an
/// article with files, so the page takes its folder's name, else its title.
pub(super) fn index_slug<'a>(source: &'a Source, title: &'a str) -> Option<&'a str> {
    if source.stem != "index" {
        return None;
    }
    let below = if source.kind == Kind::Document {
        source.dirs.get(1..).unwrap_or_default()
    } else {
        &source.dirs[..]
    };
    Some(match below.last() {
        Some(folder) => folder.as_str(),
        None if !title.trim().is_empty() => title,
        None => "home",
    })
}

fn heading_ids_rule(config: &Value) -> HeadingIds {
    let converter = values::text(config.get("markdown")).unwrap_or_else(|| "kramdown".into());
    let kramdown = config.get("kramdown");
    let option = |key: &str| kramdown.and_then(|k| k.get(key));
    if !converter.eq_ignore_ascii_case("kramdown")
        || option("auto_ids").and_then(Value::as_bool) == Some(false)
    {
        return HeadingIds::Unknown;
    }
    let prefix = values::text(option("auto_id_prefix")).unwrap_or_default();
    let input = values::text(option("input")).unwrap_or_else(|| "GFM".into());
    let transliterate = option("transliterated_header_ids").and_then(Value::as_bool) == Some(true);
    let gfm = input.eq_ignore_ascii_case("gfm");
    if gfm && !transliterate {
        HeadingIds::Gfm { prefix }
    } else {
        HeadingIds::Kramdown {
            prefix,
            transliterate,
            stripped: gfm || option("auto_id_stripping").and_then(Value::as_bool) == Some(true),
        }
    }
}

/// One heading of a Markdown text, as both kramdown and Gazette see it.
#[derive(Debug)]
struct Heading {
    /// Its source, the whole heading (marks, text and underline).
    range: std::ops::Range<usize>,
    /// Its text without Markdown syntax: (text, whether typography applies — not to code).
    parts: Vec<(String, bool)>,
    /// An id written in the source (`{#id}`, or kramdown's attribute list).
    explicit: Option<String>,
    setext: bool,
    /// kramdown's attribute list on the line after the heading (`{: #id .class}`), which
    /// Gazette would show as text: its line and its classes.
    ial: Option<(std::ops::Range<usize>, Vec<String>)>,
    /// Whether the heading ends in braces that Gazette reads as attributes and kramdown
    /// as text (`## getset(key) {block}`): written attributes must end it.
    braces_are_text: bool,
}

fn headings(body: &str) -> Vec<Heading> {
    let mut list: Vec<Heading> = Vec::new();
    let mut current: Option<Heading> = None;
    let mut in_image = 0usize;
    for (event, range) in
        Parser::new_ext(body, crate::content::markdown::options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                let setext = !body[range.clone()].trim_start().starts_with('#');
                current = Some(Heading {
                    range,
                    parts: Vec::new(),
                    explicit: id.map(|id| id.to_string()),
                    setext,
                    ial: None,
                    braces_are_text: false,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(mut heading) = current.take() {
                    if let Some(braces) = braces_kramdown_reads_as_text(body, &heading) {
                        // kramdown's text has them; Gazette took them for attributes.
                        heading.explicit = None;
                        heading.parts.push((format!(" {braces}"), true));
                        heading.braces_are_text = true;
                    }
                    if let Some(list) = attribute_list(body, heading.range.end) {
                        heading.explicit = heading.explicit.or(list.id);
                        heading.ial = Some((list.line, list.classes));
                    }
                    list.push(heading);
                }
            }
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(text) if in_image == 0 => {
                if let Some(h) = current.as_mut() {
                    match h.parts.last_mut() {
                        Some((last, true)) => last.push_str(&text),
                        _ => h.parts.push((text.to_string(), true)),
                    }
                }
            }
            Event::Code(code) if in_image == 0 => {
                if let Some(h) = current.as_mut() {
                    h.parts.push((code.to_string(), false));
                }
            }
            _ => {}
        }
    }
    list
}

/// The braces ending a heading's line when kramdown reads them as text: anything but
/// its header id (`{#id}` after a space), which Gazette would read as attributes.
fn braces_kramdown_reads_as_text<'a>(body: &'a str, heading: &Heading) -> Option<&'a str> {
    let line = &body[heading.range.start..text_end(body, heading)];
    let open = line.rfind('{')?;
    let braces = &line[open..];
    if !braces.ends_with('}') || braces[1..braces.len() - 1].contains(['{', '}']) {
        return None;
    }
    let is_header_id = braces
        .strip_prefix("{#")
        .and_then(|b| b.strip_suffix('}'))
        .is_some_and(|id| {
            id.starts_with(|c: char| c.is_alphabetic() || c == '_' || c == ':')
                && id
                    .chars()
                    .all(|c| c.is_alphanumeric() || "_:-.".contains(c))
        })
        && line[..open].ends_with([' ', '\t']);
    (!is_header_id).then_some(braces)
}

/// kramdown's block attribute list (`{: #id .class}`).
struct AttributeList {
    /// Its line, with its line break.
    line: std::ops::Range<usize>,
    id: Option<String>,
    classes: Vec<String>,
}

/// kramdown's block attribute list on the line that starts at or after `from` (a
/// heading's end).
fn attribute_list(body: &str, from: usize) -> Option<AttributeList> {
    let start = if from == 0 || body[..from].ends_with('\n') {
        from
    } else {
        from + body[from..].find('\n')? + 1
    };
    let end = body[start..]
        .find('\n')
        .map_or(body.len(), |i| start + i + 1);
    let inner = body[start..end]
        .trim()
        .strip_prefix("{:")?
        .strip_suffix('}')?;
    let (mut id, mut classes) = (None, Vec::new());
    for word in inner.split_whitespace() {
        if let Some(name) = word.strip_prefix('#') {
            id = Some(name.to_string());
        } else if let Some(class) = word.strip_prefix('.') {
            classes.push(class.to_string());
        }
    }
    Some(AttributeList {
        line: start..end,
        id,
        classes,
    })
}

impl HeadingIds {
    /// The id kramdown made for `heading`; `counts` holds the ids made so far in the
    /// document (kramdown numbers repeats).
    fn make(
        &self,
        heading: &Heading,
        body: &str,
        counts: &mut std::collections::HashMap<String, usize>,
    ) -> String {
        match self {
            HeadingIds::Unknown => String::new(),
            HeadingIds::Gfm { prefix } => {
                // kramdown-parser-gfm's `generate_gfm_header_id`, on the text as its
                // typography made it (`--` and `---` are dashes, which go).
                let text = typography(&heading.parts).to_lowercase();
                let mut id: String = text
                    .chars()
                    .filter(|c| is_word(*c) || matches!(c, '-' | ' ' | '\t'))
                    .map(|c| if c == ' ' || c == '\t' { '-' } else { c })
                    .collect();
                let seen = counts.entry(id.clone()).or_insert(0);
                if *seen > 0 {
                    id = format!("{id}-{seen}");
                }
                *seen += 1;
                format!("{prefix}{id}")
            }
            HeadingIds::Kramdown {
                prefix,
                transliterate,
                stripped,
            } => {
                let raw = if *stripped {
                    typography(&heading.parts)
                } else {
                    raw_heading_text(&body[heading.range.clone()], heading.setext)
                };
                let raw = if *transliterate {
                    deunicode::deunicode(&raw)
                } else {
                    raw
                };
                // kramdown's `basic_generate_id`: from the first ASCII letter on, ASCII
                // letters, digits, spaces and `-`; spaces become `-`; lowercase.
                let from_letter = raw.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
                let mut id: String = from_letter
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
                    .map(|c| {
                        if c == ' ' {
                            '-'
                        } else {
                            c.to_ascii_lowercase()
                        }
                    })
                    .collect();
                if id.is_empty() {
                    id = "section".into();
                }
                match counts.get_mut(&id) {
                    Some(n) => {
                        *n += 1;
                        id = format!("{id}-{n}");
                    }
                    None => {
                        counts.insert(id.clone(), 0);
                    }
                }
                format!("{prefix}{id}")
            }
        }
    }
}

/// Ruby's `\p{Word}`: letters, marks, numbers and connector punctuation (`_`).
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || ('\u{0300}'..='\u{036f}').contains(&c)
}

/// The heading's text as kramdown's typography leaves it: a run of hyphens is dashes
/// (`---` an em dash, `--` an en dash, read left to right), which are not word
/// characters; one hyphen left over stays. Code keeps its hyphens.
fn typography(parts: &[(String, bool)]) -> String {
    let mut out = String::new();
    for (text, typographic) in parts {
        if !typographic {
            out.push_str(text);
            continue;
        }
        let mut run = 0usize;
        for c in text.chars().chain(std::iter::once('\0')) {
            if c == '-' {
                run += 1;
                continue;
            }
            if run % 3 == 1 {
                out.push('-');
            }
            // The dashes themselves: a character the id leaves out.
            if run >= 2 {
                out.push('\u{2013}');
            }
            run = 0;
            if c != '\0' {
                out.push(c);
            }
        }
    }
    out
}

/// A heading's source text as kramdown's own parser keeps it (`raw_text`): the line
/// without its `#` marks, closing `#`s and `{#id}`, or a setext heading's text lines.
fn raw_heading_text(source: &str, setext: bool) -> String {
    let text = if setext {
        let trimmed = source.trim_end();
        trimmed.rsplit_once('\n').map_or(trimmed, |(text, _)| text)
    } else {
        let line = source.lines().next().unwrap_or("");
        let line = line.trim_start().trim_start_matches('#');
        let line = line.trim_end();
        let without_closing = line.trim_end_matches('#');
        if without_closing.len() < line.len()
            && (without_closing.is_empty() || without_closing.ends_with([' ', '\t']))
        {
            without_closing
        } else {
            line
        }
    };
    text.trim().to_string()
}

/// `body` with ` {#id .class}` written on each heading marked in `written`, and the
/// attribute lines of kramdown's that it replaces left out.
fn with_ids(body: &str, headings: &[Heading], ids: &[Option<String>], written: &[bool]) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    let mut at = 0;
    for ((heading, id), &write) in headings.iter().zip(ids).zip(written) {
        let id = id.as_deref().filter(|_| write);
        if id.is_none() && heading.ial.is_none() {
            continue;
        }
        let end = text_end(body, heading);
        out.push_str(&body[at..end]);
        let attributes: Vec<String> = id
            .map(|id| format!("#{id}"))
            .into_iter()
            .chain(
                heading
                    .ial
                    .iter()
                    .flat_map(|(_, c)| c.iter().map(|c| format!(".{c}"))),
            )
            .collect();
        if !attributes.is_empty() {
            out.push_str(&format!(" {{{}}}", attributes.join(" ")));
        }
        at = end;
        // An ATX heading's closing `#`s are left out: the attributes must end the line.
        if !heading.setext {
            at = body[at..heading.range.end]
                .find('\n')
                .map_or(heading.range.end, |i| at + i);
        }
        if let Some((line, _)) = &heading.ial {
            out.push_str(&body[at..line.start]);
            at = line.end;
        }
    }
    out.push_str(&body[at..]);
    out
}

/// Where the text of a heading's line ends: before an ATX heading's closing `#`s and
/// trailing spaces, or at the end of a setext heading's last text line.
fn text_end(body: &str, heading: &Heading) -> usize {
    let source = &body[heading.range.clone()];
    let line = if heading.setext {
        let trimmed = source.trim_end();
        trimmed.rsplit_once('\n').map_or(trimmed, |(text, _)| text)
    } else {
        source.split('\n').next().unwrap_or("")
    };
    let line = line.trim_end();
    let mut end = line.len();
    if !heading.setext {
        let without = line.trim_end_matches('#');
        if without.len() < line.len() && without.ends_with([' ', '\t']) {
            end = without.trim_end().len();
        }
    }
    heading.range.start + end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(config: &str) -> Rules {
        let config = values::parse(
            values::Format::Yaml,
            config,
            1,
            std::path::Path::new("_config.yml"),
        )
        .unwrap();
        Rules::read(&config, std::path::Path::new("_config.yml"), Map::new()).unwrap()
    }

    #[test]
    fn gfm_ids_keep_digits_and_letters_and_drop_punctuation() {
        let r = rules("title: x\n");
        let body = "## 1.6.1 Definitions\n\n## Café & Bar\n\n## What's new?\n\n## Café & Bar\n\n## A -- B --- C - D\n\n## `a--b` code\n\n## Plain words\n";
        assert_eq!(
            r.keep_heading_ids(body),
            "## 1.6.1 Definitions {#161-definitions}\n\n## Café & Bar {#café--bar}\n\n## What's new?\n\n## Café & Bar {#café--bar-1}\n\n## A -- B --- C - D {#a--b--c---d}\n\n## `a--b` code {#a--b-code}\n\n## Plain words\n"
        );
    }

    #[test]
    fn kramdown_ids_start_at_a_letter_and_keep_ascii() {
        let r = rules("kramdown:\n  input: kramdown\n");
        let body = "# 2. Install *it*\n\n# Café\n\n# 42\n\nSetext one\n----------\n\n# Same\n\n# Same #\n\n# 3 Things #\n";
        assert_eq!(
            r.keep_heading_ids(body),
            "# 2. Install *it* {#install-it}\n\n# Café {#caf}\n\n# 42 {#section}\n\nSetext one\n----------\n\n# Same\n\n# Same #\n\n# 3 Things {#things}\n"
        );
    }

    #[test]
    fn repeats_are_numbered_as_kramdown_numbers_them() {
        let r = rules("title: x\n");
        // Both number repeats alike: nothing to write.
        let body = "## X!\n\n## X?\n";
        assert_eq!(r.keep_heading_ids(body), body);
        // GFM: `a--b`, `a-b`; Gazette: `a-b`, `a-b-1`.
        let body = "## A & B\n\n## A B\n";
        let kept = r.keep_heading_ids(body);
        assert_eq!(kept, "## A & B {#a--b}\n\n## A B {#a-b}\n");
        // GFM: `a-b`, `a--b`, `a-b-1`, `x`; Gazette: `a-b`, `a-b-1`, `a-b-2`, `x`.
        let body = "## A B\n\n## A & B\n\n## A B\n\n## X\n";
        let kept = r.keep_heading_ids(body);
        assert_eq!(
            crate::content::markdown::heading_ids(&kept),
            ["a-b", "a--b", "a-b-1", "x"]
        );
        assert_eq!(
            kept,
            "## A B\n\n## A & B {#a--b}\n\n## A B {#a-b-1}\n\n## X\n"
        );
    }

    #[test]
    fn attribute_lists_after_headings_become_heading_attributes() {
        let r = rules("title: x\n");
        let body = "## 1.0.0 / 2013-05-06\n{: #v1-0-0}\n\nText.\n\n### Major\n{: #major-v1 .no_toc}\n\n## Plain {#own}\n\n## Only a class\n{: .wide}\n";
        let kept = r.keep_heading_ids(body);
        assert_eq!(
            kept,
            "## 1.0.0 / 2013-05-06 {#v1-0-0}\n\nText.\n\n### Major {#major-v1 .no_toc}\n\n## Plain {#own}\n\n## Only a class {#only-a-class .wide}\n"
        );
        assert_eq!(
            crate::content::markdown::heading_ids(&kept),
            ["v1-0-0", "major-v1", "own", "only-a-class"]
        );
    }

    #[test]
    fn braces_kramdown_reads_as_text_stay_text() {
        let r = rules("title: x\n");
        let body = "## getset(key) {block}\n\n## Kept {#mine}\n\n## Odd {.wide}\n";
        let kept = r.keep_heading_ids(body);
        assert_eq!(
            kept,
            "## getset(key) {block} {#getsetkey-block}\n\n## Kept {#mine}\n\n## Odd {.wide} {#odd-wide}\n"
        );
        assert_eq!(
            crate::content::markdown::heading_ids(&kept),
            ["getsetkey-block", "mine", "odd-wide"]
        );
    }

    /// Headings, attribute lists and braces cut short or run together are text, never a
    /// panic, under either id rule.
    #[test]
    fn odd_headings_never_panic() {
        let pieces = [
            "#", "## ", "\n", "{", "}", "{:", "{#", "#a}", " .c}", "=", "-", "---", "é", "`", "[",
            "](", ")", "!", " ", "x", "1", "\t", "> ", "* ", "<b>",
        ];
        let rules = [rules("title: x\n"), rules("kramdown:\n  input: kramdown\n")];
        for text in crate::import::migrate::jumbled(&pieces, 2000, 16) {
            for r in &rules {
                let _ = r.keep_heading_ids(&text);
            }
        }
    }

    #[test]
    fn other_converters_and_no_auto_ids_leave_headings_alone() {
        for config in [
            "markdown: CommonMarkGhPages\n",
            "kramdown:\n  auto_ids: false\n",
        ] {
            let body = "## 1. One\n";
            assert_eq!(rules(config).keep_heading_ids(body), body);
        }
    }

    #[test]
    fn defaults_take_the_most_specific_scope() {
        let r = rules(
            "defaults:\n- scope: {path: ''}\n  values: {layout: a, image: /i.png}\n- scope: {path: _posts, type: posts}\n  values: {layout: b, categories: [x]}\n- scope: {path: _posts}\n  values: {layout: c}\n- scope: {path: '_docs/*/deep'}\n  values: {layout: d}\n",
        );
        let fm = serde_json::json!({"title": "T", "categories": "y"});
        let merged = r.with_defaults("_posts/2014-01-01-a.md", "posts", fm);
        assert_eq!(
            merged,
            serde_json::json!({"layout": "b", "image": "/i.png", "categories": ["x", "y"], "title": "T"})
        );
        let page = r.with_defaults("about.md", "pages", serde_json::json!({"layout": "own"}));
        assert_eq!(
            page,
            serde_json::json!({"layout": "own", "image": "/i.png"})
        );
        let deep = r.with_defaults("_docs/a/deep/x.md", "docs", serde_json::json!({}));
        assert_eq!(deep["layout"], "d");
    }

    #[test]
    fn dates_are_taken_into_the_sites_zone() {
        let r = rules("timezone: America/Los_Angeles\n");
        let d = |s: &str| r.date(s).unwrap().to_rfc3339();
        assert_eq!(d("2013-05-06 02:12:52 +0200"), "2013-05-05T17:12:52-07:00");
        assert_eq!(d("2013-05-06"), "2013-05-06T00:00:00-07:00");
        assert_eq!(d("2013-12-06 10:00"), "2013-12-06T10:00:00-08:00");
        // A stray word between time and offset, which Ruby passes over.
        assert_eq!(
            d("2023-01-29 18:30:22 2023 -0800"),
            "2023-01-29T18:30:22-08:00"
        );
        assert_eq!(d("2014-11-24T15:05:00Z"), "2014-11-24T07:05:00-08:00");
        assert_eq!(
            d("2014-11-24 15:05:00.5 +01:00"),
            "2014-11-24T06:05:00.500-08:00"
        );
        assert!(r.date("yesterday").is_none());
        let utc = rules("title: x\n");
        assert_eq!(
            utc.date("2013-05-06 02:12:52 +0200").unwrap().to_rfc3339(),
            "2013-05-06T02:12:52+02:00"
        );
    }

    #[test]
    fn a_bad_time_zone_is_refused_naming_the_config() {
        let config = serde_json::json!({"timezone": "Mars/Olympus"});
        let err = Rules::read(&config, std::path::Path::new("old/_config.yml"), Map::new())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "old/_config.yml: `timezone: Mars/Olympus` is not a time zone's name (one of the IANA database, such as America/Los_Angeles)"
        );
    }

    #[test]
    fn slugify_and_titleize_as_jekyll() {
        assert_eq!(slugify("Hello, World!", Mode::Default), "hello-world");
        assert_eq!(
            slugify("Ünïcode 2.0 (beta)", Mode::PrettyCased),
            "Ünïcode-2.0-(beta)"
        );
        assert_eq!(titleize("hello-wORLD"), "Hello World");
    }

    #[test]
    fn globs_match_within_and_across_segments() {
        assert!(glob("_posts/*/x", "_posts/a/x"));
        assert!(glob("**/x", "a/b/x"));
        assert!(!glob("_posts/*", "_drafts/a"));
        assert!(glob("a?c", "abc"));
    }

    #[test]
    fn url_templates_expand_and_sanitize() {
        let lookup = |k: &str| match k {
            "month" => Some("05".to_string()),
            "day" => Some("06".to_string()),
            "categories" => Some(String::new()),
            _ => None,
        };
        assert_eq!(
            expand("/:categories/:month_:day/", &lookup).as_deref(),
            Some("//05_06/")
        );
        assert_eq!(sanitize_url("//05_06/"), "/05_06/");
        assert_eq!(expand("/:unknown/", &lookup), None);
        assert_eq!(
            page_url("/:path/:basename:output_ext", "", "about", ".html"),
            "//about.html"
        );
    }
}
