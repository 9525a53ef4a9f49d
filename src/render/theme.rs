//! Themes: Tera templates plus static files, resolved in layers.
//!
//! Layers, later ones winning by file name: the default theme compiled into the binary (only
//! when the site uses it), the theme folder `themes/<theme>/`, then the site's own
//! `templates/` and `static/`. Invariant: a loaded [`Theme`] has parsed every template, so
//! syntax errors surface before any page is rendered; and it remembers which file each
//! template came from, so errors name real paths.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tera::Tera;

use super::RenderError;
use super::pages::PAGE_TEMPLATES;
use crate::config::DEFAULT_THEME;
use crate::files::StaticSource;
use crate::paths::SitePaths;

/// The default theme's templates, compiled in so that a site needs no `themes/` folder.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/broadsheet/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/broadsheet/templates/index.html"),
    ),
    (
        "article.html",
        include_str!("../../themes/broadsheet/templates/article.html"),
    ),
    (
        "author.html",
        include_str!("../../themes/broadsheet/templates/author.html"),
    ),
    (
        "authors.html",
        include_str!("../../themes/broadsheet/templates/authors.html"),
    ),
    (
        "tag.html",
        include_str!("../../themes/broadsheet/templates/tag.html"),
    ),
    (
        "section.html",
        include_str!("../../themes/broadsheet/templates/section.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/broadsheet/templates/page.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/broadsheet/templates/search.html"),
    ),
    (
        "tags.html",
        include_str!("../../themes/broadsheet/templates/tags.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/broadsheet/templates/404.html"),
    ),
    (
        "atom.xml",
        include_str!("../../themes/broadsheet/templates/atom.xml"),
    ),
    (
        "rss.xml",
        include_str!("../../themes/broadsheet/templates/rss.xml"),
    ),
    (
        "feed.json",
        include_str!("../../themes/broadsheet/templates/feed.json"),
    ),
    (
        "partials/article_list.html",
        include_str!("../../themes/broadsheet/templates/partials/article_list.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../../themes/broadsheet/templates/partials/pagination.html"),
    ),
    (
        "partials/byline.html",
        include_str!("../../themes/broadsheet/templates/partials/byline.html"),
    ),
    (
        "partials/story_card.html",
        include_str!("../../themes/broadsheet/templates/partials/story_card.html"),
    ),
    (
        "partials/head.html",
        include_str!("../../themes/broadsheet/templates/partials/head.html"),
    ),
];

/// Templates every theme has, falling back to the built-in ones.
const FEED_TEMPLATES: &[&str] = &["atom.xml", "rss.xml", "feed.json"];

/// The default theme's static files.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "favicon.ico",
        include_bytes!("../../themes/broadsheet/static/favicon.ico"),
    ),
    (
        "style.css",
        include_bytes!("../../themes/broadsheet/static/style.css"),
    ),
];

pub struct Theme {
    pub tera: Tera,
    /// Template name → version of the template with everything it uses (see `versions`).
    pub versions: BTreeMap<String, u64>,
    /// Templates that, with everything they use, cannot show the site's counts (see
    /// [`shows_site_counts`]).
    blind_to_site_counts: BTreeSet<String>,
    /// See [`Theme::uses_content_xml`].
    content_xml: bool,
    /// See [`Theme::prints_cards`].
    cards: bool,
    /// Where `card()` reads the cards of the render pass under way.
    card_slot: super::cards::Slot,
    /// Template name → the file it was read from (or a description of the built-in one).
    pub sources: BTreeMap<String, String>,
    /// Template name → its text (for `check`, which points at the line a link is on).
    pub texts: BTreeMap<String, String>,
    /// Output path (relative, `/`-separated) → where to copy it from.
    pub static_files: BTreeMap<String, StaticSource>,
    /// Every `image(...)` the templates make, read when the theme loads.
    pub image_calls: Vec<crate::images::ImageCall>,
    /// What `image(...)` answers, set once the images are planned.
    image_answers: super::image_fn::Answers,
}

impl Theme {
    /// Loads the theme named in the config, with the site's overrides on top.
    pub fn load(paths: &SitePaths, theme: &str) -> Result<Theme, RenderError> {
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        let theme_dir = paths.theme.clone();
        let builtin = |name: &str, text: &str| {
            (
                format!("<built-in {DEFAULT_THEME} theme>/templates/{name}"),
                text.to_string(),
            )
        };
        if theme == DEFAULT_THEME {
            for (name, text) in DEFAULT_TEMPLATES {
                templates.insert(name.to_string(), builtin(name, text));
            }
            for (name, bytes) in DEFAULT_STATIC {
                static_files.insert(name.to_string(), StaticSource::Embedded(bytes));
            }
        } else if !theme_dir.is_dir() {
            return Err(RenderError::UnknownTheme {
                theme: theme.to_string(),
                looked_in: theme_dir,
            });
        } else {
            // Feeds are standard formats rather than design: a theme that has no feed
            // templates gets the built-in ones, as Hugo's and Zola's themes do.
            for (name, text) in DEFAULT_TEMPLATES {
                if FEED_TEMPLATES.contains(name) {
                    templates.insert(name.to_string(), builtin(name, text));
                }
            }
        }
        read_templates(&theme_dir.join("templates"), &mut templates)?;
        read_static(&theme_dir.join("static"), &mut static_files)?;
        read_templates(&paths.templates, &mut templates)?;
        read_static(&paths.static_files, &mut static_files)?;
        // Checked here rather than when a page first needs one: the user learns every
        // missing template at once, and a theme that suits today's content does not break
        // the day the site gets its first tag page.
        let missing: Vec<String> = PAGE_TEMPLATES
            .iter()
            .filter(|name| !templates.contains_key(**name))
            .map(|name| name.to_string())
            .collect();
        if !missing.is_empty() {
            return Err(RenderError::MissingTemplates {
                theme: theme.to_string(),
                dir: paths.theme.join("templates"),
                missing,
            });
        }

        let mut tera = Tera::new();
        // Feeds and sitemaps are XML: escape them too.
        tera.autoescape_on([".html", ".xml"]);
        super::filters::register(&mut tera);
        let mut image_calls = Vec::new();
        for (source, text) in templates.values() {
            image_calls.extend(super::image_fn::calls_in(source, text)?);
        }
        let image_answers = super::image_fn::Answers::default();
        super::image_fn::register(&mut tera, image_answers.clone());
        let card_slot = super::cards::Slot::default();
        super::cards::register(&mut tera, card_slot.clone());
        let sources: BTreeMap<String, String> = templates
            .iter()
            .map(|(name, (source, _))| (name.clone(), source.clone()))
            .collect();
        tera.add_raw_templates(templates.iter().map(|(name, (_, text))| (name, text)))
            .map_err(|e| RenderError::template(&e, &sources, None))?;
        let (versions, blind_to_site_counts) = versions(&templates);
        Ok(Theme {
            versions,
            blind_to_site_counts,
            content_xml: templates
                .values()
                .any(|(_, text)| text.contains("content_xml")),
            cards: templates.contains_key(super::cards::CARD_TEMPLATE)
                && templates.values().any(|(_, text)| text.contains("card(")),
            card_slot,
            tera,
            sources,
            texts: templates
                .into_iter()
                .map(|(name, (_, text))| (name, text))
                .collect(),
            static_files,
            image_calls,
            image_answers,
        })
    }
}

impl Theme {
    /// Sets what `image(...)` answers (the planned variants' `{url, width, height}`, by
    /// [`crate::images::ImageCall::key`]).
    pub fn answer_images(
        &self,
        answers: std::collections::HashMap<String, crate::images::ImageAnswer>,
    ) {
        let values = answers
            .into_iter()
            .map(|(key, answer)| (key, super::image_fn::value(&answer)))
            .collect();
        *self
            .image_answers
            .write()
            .expect("never poisoned: writers do not panic") = values;
    }

    /// Whether pages of `template` may show `site.article_count`, `author_count` or
    /// `tag_count`: unless shown otherwise, they may.
    pub fn may_show_site_counts(&self, template: &str) -> bool {
        !self.blind_to_site_counts.contains(template)
    }

    /// Whether any template may use feed items' `content_xml` (the HTML escaped for XML
    /// text): it costs a second, longer copy of every fed article's HTML, so it is made only
    /// for themes that name it (the built-in one uses `content_cdata`). A text check, which
    /// errs towards making it.
    pub fn uses_content_xml(&self) -> bool {
        self.content_xml
    }

    /// Whether pages' cards are rendered ahead (see `render::cards`): the theme has the
    /// card template and some template calls `card(` (a theme whose lists include the
    /// card template instead would get each card rendered twice). A text check, which
    /// errs towards rendering them.
    pub fn prints_cards(&self) -> bool {
        self.cards
    }

    /// The slot `card()` reads (see `render::cards::Cards`).
    pub fn card_slot(&self) -> super::cards::Slot {
        self.card_slot.clone()
    }
}

/// Whether a template's text may show the site's counts: it names one as
/// `site.<count>`, dumps the whole context, or uses `site` other than as
/// `site.<attribute>` (`{{ site | json }}`, `site["tag_count"]`, `{% set s = site %}`…) —
/// which includes the word "site" in plain text. Only errs towards yes.
fn shows_site_counts(text: &str) -> bool {
    const COUNTS: [&str; 3] = ["article_count", "author_count", "tag_count"];
    if text.contains("__tera_context") {
        return true;
    }
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = text.as_bytes();
    text.match_indices("site").any(|(at, _)| {
        let end = at + "site".len();
        if at.checked_sub(1).is_some_and(|i| word(bytes[i]))
            || bytes.get(end).is_some_and(|&b| word(b))
        {
            return false; // part of another word, such as `website` or `site_name`
        }
        if bytes.get(end) != Some(&b'.') {
            return true;
        }
        let attribute = &text[end + 1..];
        let length = attribute.bytes().take_while(|&b| word(b)).count();
        COUNTS.contains(&&attribute[..length])
    })
}

/// Each template's version: a hash of its text and of the texts of every template it
/// extends, includes or calls a component of, directly or not — so a page whose
/// template's version did not change renders the same. References are found by looking
/// for other templates' names in quotes and for calls of the components they define,
/// which may see a dependency that is not one (harmless: one more page is re-rendered)
/// but never misses one written as a string literal. Also the templates that, with all
/// they use, cannot show the site's counts.
fn versions(
    templates: &BTreeMap<String, (String, String)>,
) -> (BTreeMap<String, u64>, BTreeSet<String>) {
    use std::hash::{Hash, Hasher};
    // Tera 2's components are global: a template that calls one depends on the template
    // that defines it, without ever naming that file.
    let components: BTreeMap<&str, Vec<&str>> = templates
        .iter()
        .map(|(name, (_, text))| (name.as_str(), components_defined(text)))
        .collect();
    let direct: BTreeMap<&str, Vec<&str>> = templates
        .iter()
        .map(|(name, (_, text))| {
            let uses = templates
                .keys()
                .filter(|other| {
                    *other != name
                        && (text.contains(&format!("\"{other}\""))
                            || text.contains(&format!("'{other}'"))
                            || components[other.as_str()]
                                .iter()
                                .any(|component| calls_component(text, component)))
                })
                .map(String::as_str)
                .collect();
            (name.as_str(), uses)
        })
        .collect();
    let mut blind = BTreeSet::new();
    let versions = templates
        .keys()
        .map(|name| {
            let mut closure = BTreeSet::from([name.as_str()]);
            let mut todo = vec![name.as_str()];
            while let Some(t) = todo.pop() {
                for &used in &direct[t] {
                    if closure.insert(used) {
                        todo.push(used);
                    }
                }
            }
            if !closure.iter().any(|t| shows_site_counts(&templates[*t].1)) {
                blind.insert(name.clone());
            }
            let mut h = crate::hash::hasher();
            for t in closure {
                (t, &templates[t].1).hash(&mut h);
            }
            (name.clone(), h.finish())
        })
        .collect();
    (versions, blind)
}

/// The names of the components a template defines (`{% component name(…) %}`).
impl Theme {
    /// Gives a rendering error Tera reported without a place one: a component that calls
    /// itself (Tera only says its depth limit was reached) is named at its definition,
    /// anything else at the page's template.
    pub fn place_unplaced(&self, error: RenderError, template: &str) -> RenderError {
        let RenderError::Template {
            location,
            message,
            rendering,
        } = error
        else {
            return error;
        };
        if location != UNPLACED {
            return RenderError::Template {
                location,
                message,
                rendering,
            };
        }
        let source = |name: &str| self.sources.get(name).cloned().unwrap_or_default();
        let recursive = self.texts.iter().find_map(|(name, text)| {
            let (line, component) = self_calling_component(text)?;
            Some((format!("{}:{line}", source(name)), component))
        });
        let (location, message) = match recursive {
            Some((location, component)) if message.contains("recursion") => (
                location,
                format!("the component `{component}` calls itself without end ({message})"),
            ),
            _ => (source(template), message),
        };
        RenderError::Template {
            location,
            message,
            rendering,
        }
    }
}

/// The location [`RenderError::template`] gives an error Tera did not place.
pub const UNPLACED: &str = "template";

/// The first component of `text` whose definition calls the component itself: its line
/// and name.
fn self_calling_component(text: &str) -> Option<(usize, &str)> {
    components_defined(text).into_iter().find_map(|name| {
        let start = text.find(&format!("component {name}"))?;
        let body = &text[start..];
        let end = body.find("endcomponent").unwrap_or(body.len());
        calls_component(&body[..end], name).then(|| (text[..start].matches('\n').count() + 1, name))
    })
}

fn components_defined(text: &str) -> Vec<&str> {
    text.match_indices("{%")
        .filter_map(|(at, _)| {
            let rest = text[at + 2..].trim_start_matches('-').trim_start();
            let rest = rest.strip_prefix("component")?;
            let rest = rest.strip_prefix(char::is_whitespace)?.trim_start();
            let length = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            (length > 0).then(|| &rest[..length])
        })
        .collect()
}

/// Whether a template may call `component` (`<name …/>`, `<name>`): errs towards yes
/// (an HTML tag of the same name counts too).
fn calls_component(text: &str, component: &str) -> bool {
    let call = format!("<{component}");
    text.match_indices(&call).any(|(at, _)| {
        text[at + call.len()..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || c == '/' || c == '>')
    })
}

fn files_below(dir: &Path) -> Result<Vec<(String, PathBuf)>, RenderError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| RenderError::Read {
            path: e.path().unwrap_or(dir).to_path_buf(),
            source: e.into(),
        })?;
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(dir)
            .expect("walkdir yields paths below its root")
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        files.push((relative, entry.into_path()));
    }
    Ok(files)
}

fn read_templates(
    dir: &Path,
    templates: &mut BTreeMap<String, (String, String)>,
) -> Result<(), RenderError> {
    for (name, path) in files_below(dir)? {
        let bytes = std::fs::read(&path).map_err(|source| RenderError::Read {
            path: path.clone(),
            source,
        })?;
        let text =
            String::from_utf8(bytes).map_err(|_| RenderError::NotUtf8 { path: path.clone() })?;
        templates.insert(name, (path.display().to_string(), text));
    }
    Ok(())
}

fn read_static(dir: &Path, files: &mut BTreeMap<String, StaticSource>) -> Result<(), RenderError> {
    for (name, path) in files_below(dir)? {
        files.insert(name, StaticSource::File(path));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compiled-in theme must be the theme folder, file for file.
    #[test]
    fn embedded_theme_matches_the_theme_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes")
            .join(DEFAULT_THEME);
        let on_disk: Vec<String> = files_below(&dir.join("templates"))
            .unwrap()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        let mut embedded: Vec<String> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
        let statics: Vec<String> = files_below(&dir.join("static"))
            .unwrap()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        let embedded_static: Vec<String> =
            DEFAULT_STATIC.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(statics, embedded_static);
    }

    #[test]
    fn templates_that_may_show_the_site_counts_are_told_apart() {
        for shows in [
            "{{ site.article_count }}",
            "{{ site | json }}",
            "{% set s = site %}{{ s.title }}",
            "{{ site[\"tag_count\"] }}",
            "{{ __tera_context }}",
            "About this site",
            "{{ site }}",
        ] {
            assert!(shows_site_counts(shows), "{shows}");
        }
        for blind in [
            "{{ site.title }} {{ site.base_url }}",
            "<meta property=\"og:site_name\" content=\"{{ site.title }}\">",
            "{{ website }} {{ sites }}",
            "",
        ] {
            assert!(!shows_site_counts(blind), "{blind}");
        }
    }

    #[test]
    fn a_template_shows_the_site_counts_if_anything_it_uses_does() {
        let templates = BTreeMap::from(
            [
                ("base.html", "{{ site.tag_count }}"),
                ("page.html", "{% extends \"base.html\" %}"),
                ("plain.html", "{{ site.title }}"),
            ]
            .map(|(name, text)| (name.to_string(), (name.to_string(), text.to_string()))),
        );
        let (_, blind) = versions(&templates);
        assert_eq!(blind, BTreeSet::from(["plain.html".to_string()]));
    }

    #[test]
    fn a_template_calling_a_component_depends_on_the_template_defining_it() {
        let theme = |card: &str| {
            let templates = BTreeMap::from(
                [
                    (
                        "components.html",
                        format!(
                            "{{%- component ui.card(title) %}}{card}{{% endcomponent ui.card %}}"
                        ),
                    ),
                    ("page.html", "{{ <ui.card title=\"x\"/> }}".to_string()),
                    ("other.html", "<ui.cards> <ui.car>".to_string()),
                ]
                .map(|(name, text)| (name.to_string(), (name.to_string(), text))),
            );
            versions(&templates).0
        };
        let (before, after) = (theme("{{ title }}"), theme("<b>{{ title }}</b>"));
        assert_ne!(before["page.html"], after["page.html"]);
        assert_eq!(before["other.html"], after["other.html"]);
        assert_eq!(
            components_defined("{% component a(x) %}{%component b.c() %}"),
            ["a", "b.c"]
        );
    }

    #[test]
    fn the_built_in_pages_do_not_show_the_site_counts() {
        let empty = tempfile::tempdir().unwrap();
        let theme = Theme::load(&SitePaths::with_defaults(empty.path()), DEFAULT_THEME).unwrap();
        for template in crate::render::pages::PAGE_TEMPLATES {
            assert!(!theme.may_show_site_counts(template), "{template}");
        }
    }

    #[test]
    fn the_built_in_feeds_need_no_escaped_copy_of_the_html() {
        let empty = tempfile::tempdir().unwrap();
        assert!(
            !Theme::load(&SitePaths::with_defaults(empty.path()), DEFAULT_THEME)
                .unwrap()
                .uses_content_xml()
        );
        std::fs::create_dir(empty.path().join("templates")).unwrap();
        std::fs::write(
            empty.path().join("templates/rss.xml"),
            "{% for item in items %}{{ item.content_xml }}{% endfor %}",
        )
        .unwrap();
        assert!(
            Theme::load(&SitePaths::with_defaults(empty.path()), DEFAULT_THEME)
                .unwrap()
                .uses_content_xml()
        );
    }

    #[test]
    fn default_theme_loads_without_a_themes_folder() {
        let empty = tempfile::tempdir().unwrap();
        let theme = Theme::load(&SitePaths::with_defaults(empty.path()), DEFAULT_THEME).unwrap();
        assert!(theme.tera.contains_template("article.html"));
        assert!(theme.static_files.contains_key("style.css"));
    }
}
