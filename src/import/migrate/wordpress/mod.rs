//! WordPress: a WXR export (`Tools → Export`, an RSS file with WordPress's own elements)
//! → [`Harvest`].
//!
//! A UTF-8 export is streamed (another encoding is decoded whole first) and parsed in one
//! pass (quick-xml) into plain records; records become entries in parallel, each post's
//! HTML dropped once it is Markdown. Memory: the file is never held whole, nor a post's
//! HTML beside its Markdown for long; the records (the posts' HTML) and then the entries
//! (their Markdown) are, as placing needs every post's metadata before any is written.
//! Posts and pages are imported, their attachments are their files, and every other kind
//! of item is skipped with its reason.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use rayon::prelude::*;

mod archives;
mod files;
mod wxr;

use files::{Files, Upload};
use wxr::{Channel, Item, read_channel};

use super::bounds::Bounds;
use super::embeds;
use super::html::{self, Shortcode};
use super::wpautop;
use super::{
    Entry, Harvest, LeadImage, Profile, SectionInfo, Skip, counted, decoded_path, slug_of, unique,
};
use crate::import::ImportError;

pub fn read(file: &Path, uploads: Option<&Path>) -> Result<Harvest, ImportError> {
    // Exports run to hundreds of megabytes: streamed into records, never held whole.
    let channel = read_channel(file)?;
    check_nesting(&channel, file)?;
    if let Some(dir) = uploads
        && !dir.is_dir()
    {
        return Err(ImportError::BadSource {
            path: dir.to_path_buf(),
            reason: "--uploads must be a folder: the `wp-content/uploads` folder of the site"
                .into(),
        });
    }
    let label = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let uploads = match uploads {
        Some(dir) => Some((dir, Bounds::new(dir, "the --uploads folder")?)),
        None => None,
    };
    Ok(harvest(channel, uploads, label))
}

/// Refuses an export with a post whose HTML nests deeper than anything reading it into a
/// tree can take ([`crate::nesting`]), before any of it is read so.
fn check_nesting(channel: &Channel, file: &Path) -> Result<(), ImportError> {
    let posts: Vec<&Item> = channel
        .items
        .iter()
        .filter(|i| i.get("wp:post_type") != "attachment")
        .collect();
    crate::parallel::try_map(&posts, |item| {
        // As written (not trimmed), so its lines are the text's.
        let html = item
            .fields
            .get("content:encoded")
            .map_or("", String::as_str);
        crate::nesting::check_html_depth(html).map_err(|deep| ImportError::BadSource {
            path: PathBuf::from(format!("{}:{}", file.display(), item.line)),
            reason: format!(
                "{} {} {:?} (line {} of its text): {deep}",
                item.get("wp:post_type"),
                item.get("wp:post_id"),
                crate::text::html_text(item.get("title")),
                deep.line
            ),
        })
    })?;
    Ok(())
}

/// The site's address without a trailing slash (`https://example.com/blog`).
fn site_base(channel: &Channel) -> String {
    ["wp:base_blog_url", "link", "wp:base_site_url"]
        .iter()
        .filter_map(|k| channel.fields.get(*k))
        .map(|s| s.trim().trim_end_matches('/').to_string())
        .find(|s| !s.is_empty())
        .unwrap_or_default()
}

/// The old URL's path below the site, percent-decoded, when it is a permalink (not `?p=`).
fn old_path(link: &str, base: &str) -> Option<String> {
    let link = link.trim();
    let url = url::Url::parse(link).ok()?;
    if url.query().is_some() {
        return None;
    }
    let base_path = url::Url::parse(base)
        .ok()
        .map(|b| b.path().trim_end_matches('/').to_string())
        .unwrap_or_default();
    let path = url.path();
    if !base_path.is_empty() && !path.starts_with(&base_path) {
        return decoded_path(path);
    }
    let rest = &path[base_path.len()..];
    if rest.is_empty() || rest == "/" {
        return None;
    }
    decoded_path(rest)
}

/// A category as the export's channel lists it (by its `nicename`).
struct Category {
    name: String,
    /// The parent's `nicename`, empty at the top.
    parent: String,
    description: String,
    term_id: String,
}

/// Post types that are WordPress's machinery rather than content.
fn machinery(post_type: &str) -> Option<&'static str> {
    Some(match post_type {
        "nav_menu_item" => "a menu item (menus belong to the theme's templates)",
        "revision" => "an old revision",
        "wp_block" => "a reusable block (its text is in the posts that use it)",
        "wp_template"
        | "wp_template_part"
        | "wp_global_styles"
        | "wp_navigation"
        | "custom_css"
        | "customize_changeset"
        | "oembed_cache"
        | "user_request"
        | "wp_font_family"
        | "wp_font_face" => "theme or editor settings",
        _ => return None,
    })
}

/// The authors' logins and the names pages show for them.
type AuthorNames = HashMap<String, String>;

/// The categories by `nicename`.
type Categories = HashMap<String, Category>;

/// An attachment's item, whose file the site keeps under its old URL where it is at hand.
struct Attachment {
    id: String,
    url: String,
    line: usize,
}

/// What the site's entries use: the sections (top folders) and authors in the order they
/// first appear, and links in `--uploads` leading out of it, once each however many posts
/// use them.
#[derive(Default)]
struct Used {
    sections: Vec<String>,
    authors: Vec<String>,
    refused: Vec<Skip>,
}

impl Used {
    fn refuse(&mut self, skip: Skip) {
        if !self.refused.contains(&skip) {
            self.refused.push(skip);
        }
    }
}

fn harvest(mut channel: Channel, uploads: Option<(&Path, Bounds)>, label: String) -> Harvest {
    let given_uploads = uploads.is_some();
    let names = author_names(&channel);
    let categories = categories_of(&channel);
    let (files, attachments) = files_of(&channel, uploads);
    let mut harvest = Harvest {
        label: label.clone(),
        site: site_settings(&channel),
        ..Harvest::default()
    };
    let origin = |item: &Item| {
        let id = item.get("wp:post_id");
        format!("{label} ({} {id})", item.get("wp:post_type"))
    };
    let results: Vec<Result<Made, Skip>> = channel
        .items
        .par_iter_mut()
        .filter(|i| i.get("wp:post_type") != "attachment")
        .map(|item| {
            let made = entry(item, &files, &names, &categories, origin(item));
            // Its HTML is done with once it is Markdown: the export's posts and their
            // Markdown are never all held at once.
            item.fields.remove("content:encoded");
            made
        })
        .collect();
    let mut used = gather(&channel, results, &mut harvest);
    keep_attachments(attachments, &files, given_uploads, &mut harvest, &mut used);
    harvest.lists = archives::lists(&channel, &categories, &names, &harvest.entries, &label);
    harvest.statics.sort();
    harvest.statics.dedup();
    harvest.profiles = used
        .authors
        .into_iter()
        .map(|name| Profile { name, bio: None })
        .collect();
    harvest.sections = sections(used.sections, &categories);
    harvest
}

/// Each author's login and the name pages show: the display name, else the first and last
/// names, else the login.
fn author_names(channel: &Channel) -> AuthorNames {
    channel
        .authors
        .iter()
        .filter_map(|a| {
            let login = a.get("wp:author_login")?.trim().to_string();
            let display = a
                .get("wp:author_display_name")
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .or_else(|| {
                    let first = a.get("wp:author_first_name").map_or("", |s| s.trim());
                    let last = a.get("wp:author_last_name").map_or("", |s| s.trim());
                    let full = format!("{first} {last}").trim().to_string();
                    (!full.is_empty()).then_some(full)
                })
                .unwrap_or_else(|| login.clone());
            Some((login, display))
        })
        .collect()
}

/// The channel's categories by `nicename` (those without one are no category to file by).
fn categories_of(channel: &Channel) -> Categories {
    channel
        .categories
        .iter()
        .filter_map(|c| {
            let field = |k: &str| c.get(k).map_or(String::new(), |s| s.trim().to_string());
            let nicename = field("wp:category_nicename");
            (!nicename.is_empty()).then(|| {
                let category = Category {
                    name: crate::text::html_text(&field("wp:cat_name")),
                    parent: field("wp:category_parent"),
                    description: crate::text::html_text(&field("wp:category_description")),
                    term_id: field("wp:term_id"),
                };
                (nicename, category)
            })
        })
        .collect()
}

/// What posts need to know of the site's files, and the attachment items in order.
fn files_of<'a>(
    channel: &Channel,
    uploads: Option<(&'a Path, Bounds)>,
) -> (Files<'a>, Vec<Attachment>) {
    let base = site_base(channel);
    let host = url::Url::parse(&base)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    let mut files = Files {
        base,
        host,
        uploads,
        attachments: HashMap::new(),
        children: HashMap::new(),
    };
    let mut attachments = Vec::new();
    for item in channel
        .items
        .iter()
        .filter(|i| i.get("wp:post_type") == "attachment")
    {
        let id = item.get("wp:post_id").to_string();
        let url = item.get("wp:attachment_url").to_string();
        let alt = item.meta("_wp_attachment_image_alt").map(str::to_string);
        let caption =
            Some(crate::text::html_text(item.get("excerpt:encoded"))).filter(|c| !c.is_empty());
        files
            .attachments
            .insert(id.clone(), (url.clone(), alt, caption));
        let parent = item.get("wp:post_parent");
        if !parent.is_empty() && parent != "0" {
            files
                .children
                .entry(parent.to_string())
                .or_default()
                .push(id.clone());
        }
        attachments.push(Attachment {
            id,
            url,
            line: item.line,
        });
    }
    (files, attachments)
}

/// The old site's title, description and language, as text.
fn site_settings(channel: &Channel) -> super::settings::SiteSettings {
    let setting = |key: &str| {
        channel
            .fields
            .get(key)
            .map(|text| crate::text::html_text(text))
            .filter(|text| !text.is_empty())
    };
    super::settings::SiteSettings {
        title: setting("title"),
        description: setting("description"),
        language: setting("language"),
    }
}

/// The entries made (and items skipped) into the harvest, in the export's order; what they
/// use; and one skip for all the comments, which a static site has no place for.
fn gather(channel: &Channel, results: Vec<Result<Made, Skip>>, harvest: &mut Harvest) -> Used {
    let mut used = Used::default();
    let mut comments = 0;
    for (item, result) in channel
        .items
        .iter()
        .filter(|i| i.get("wp:post_type") != "attachment")
        .zip(results)
    {
        comments += item.comments;
        match result {
            Ok(made) => {
                let entry = made.entry;
                for skip in made.links_out {
                    used.refuse(skip);
                }
                let section = entry.folder.split('/').next().unwrap_or("").to_string();
                if !section.is_empty() && !entry.is_page() && !used.sections.contains(&section) {
                    used.sections.push(section);
                }
                for a in &entry.authors {
                    if !used.authors.contains(a) {
                        used.authors.push(a.clone());
                    }
                }
                harvest.statics.extend(made.files);
                harvest.warnings.extend(made.warnings);
                harvest.entries.push(entry);
            }
            Err(skip) => harvest.skipped.push(skip),
        }
    }
    if comments > 0 {
        harvest.skipped.push(Skip {
            origin: harvest.label.clone(),
            reason: format!(
                "{}: a static site has none (keep them with a comment service, or export them from WordPress separately)",
                crate::text::count(comments, "comment", "comments")
            ),
        });
    }
    used
}

/// Every attachment's file, where it is at hand, keeps its old URL too; the links refused
/// follow the skips.
fn keep_attachments(
    attachments: Vec<Attachment>,
    files: &Files,
    given_uploads: bool,
    harvest: &mut Harvest,
    used: &mut Used,
) {
    let label = &harvest.label;
    let mut not_at_hand = 0;
    for Attachment { id, url, line } in attachments {
        match files.local(&url) {
            Some(Upload::Here(path, file)) => harvest.statics.push((file, path)),
            Some(Upload::Refused(skip)) => used.refuse(skip),
            None if given_uploads => harvest.skipped.push(Skip {
                origin: format!("{label}:{line} (attachment {id})"),
                reason: format!("its file is not in --uploads; pages keep linking {url}"),
            }),
            None => not_at_hand += 1,
        }
    }
    harvest.skipped.append(&mut used.refused);
    if not_at_hand > 0 {
        harvest.warnings.push(format!(
            "{label}: {} not copied (no --uploads folder given): pages link them on the old site",
            crate::text::count(not_at_hand, "attachment is", "attachments are")
        ));
    }
}

/// The sections entries were filed in, titled and described by their categories.
fn sections(folders: Vec<String>, categories: &Categories) -> Vec<SectionInfo> {
    folders
        .into_iter()
        .map(|folder| {
            let (title, description) = categories
                .iter()
                .find(|(nicename, _)| crate::urls::slug::slugify(nicename) == folder)
                .map(|(_, c)| (c.name.clone(), c.description.clone()))
                .unwrap_or_else(|| (folder.clone(), String::new()));
            SectionInfo {
                folder,
                title: crate::text::html_text(&title),
                description: Some(crate::text::html_text(&description)).filter(|d| !d.is_empty()),
                intro: String::new(),
                weight: None,
                extra: toml::Table::new(),
            }
        })
        .collect()
}

/// A date of the export: `YYYY-MM-DD HH:MM:SS`, zero when unset.
fn wp_date(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    if text.is_empty() || text.starts_with("0000") {
        return None;
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").ok()
}

fn utc(d: NaiveDateTime) -> DateTime<FixedOffset> {
    d.and_utc().fixed_offset()
}

/// An entry, the files it uses (for `static/`), its warnings, and links in `--uploads` it
/// names that lead out of it.
struct Made {
    entry: Entry,
    files: Vec<(PathBuf, String)>,
    warnings: Vec<String>,
    links_out: Vec<Skip>,
}

/// Where a post is filed: its section folder (empty for none), its tags, and its other
/// taxonomies' terms (kept for templates).
struct Filing {
    folder: String,
    tags: Vec<String>,
    extra: toml::Table,
}

/// A post's body as Markdown, with the files it uses and the links it names leading out of
/// `--uploads`.
struct Body {
    markdown: String,
    unsafe_html: crate::sanitize::Removed,
    files: Vec<(PathBuf, String)>,
    links_out: Vec<Skip>,
}

fn entry(
    item: &Item,
    files: &Files,
    names: &AuthorNames,
    categories: &Categories,
    origin: String,
) -> Result<Made, Skip> {
    let post_type = item.get("wp:post_type");
    let title = crate::text::html_text(item.get("title"));
    let mut warnings = Vec::new();
    let draft = admit(item, &origin, &mut warnings)?;
    let id = item.get("wp:post_id").to_string();
    let date = wp_date(item.get("wp:post_date_gmt"))
        .map(utc)
        .or_else(|| wp_date(item.get("wp:post_date")).map(utc))
        .or_else(|| DateTime::parse_from_rfc2822(item.get("pubDate")).ok());
    let updated = wp_date(item.get("wp:post_modified_gmt")).map(utc);
    let fallback = format!("{post_type}-{id}");
    let slug = slug_of(Some(item.get("wp:post_name")), &title, &fallback);
    let Filing {
        folder,
        tags,
        mut extra,
    } = filing(item, categories);
    let authors = authors(item, names);
    let mut body = body(item, files, &origin, &mut warnings);
    let image = lead_image(item, files, &mut body, &origin, &mut warnings);
    let description =
        Some(crate::text::html_text(item.get("excerpt:encoded"))).filter(|d| !d.is_empty());
    let url = old_path(item.get("link"), &files.base).filter(|_| !draft);
    keep_fields(item, &id, &mut extra);
    let entry = Entry {
        origin,
        source_hash: item.hash,
        folder,
        slug,
        title,
        date,
        updated,
        draft,
        pinned: item.get("wp:is_sticky") == "1",
        authors,
        tags: unique(tags),
        description,
        image,
        url,
        aliases: short_link(post_type, &id, draft),
        body: body.markdown,
        unsafe_html: body.unsafe_html,
        files: Vec::new(),
        extra,
        file: None,
    };
    Ok(Made {
        entry,
        files: body.files,
        warnings,
        links_out: body.links_out,
    })
}

/// Whether an item is imported, and as a draft: posts and pages are, published or not;
/// WordPress's machinery, other post types, the trash and auto-drafts are skipped.
fn admit(item: &Item, origin: &str, warnings: &mut Vec<String>) -> Result<bool, Skip> {
    let skip = |reason: String| Skip {
        origin: origin.to_string(),
        reason,
    };
    let post_type = item.get("wp:post_type");
    let status = item.get("wp:status");
    if let Some(why) = machinery(post_type) {
        return Err(skip(why.to_string()));
    }
    if !matches!(post_type, "post" | "page") {
        return Err(skip(format!(
            "of the post type {post_type:?}, which a plugin or theme defines: only posts and pages are imported"
        )));
    }
    let protected = !item.get("wp:post_password").is_empty();
    let draft = protected
        || match status {
            "publish" | "future" => false,
            "draft" | "pending" | "private" => true,
            "trash" => return Err(skip("in the trash".into())),
            "auto-draft" => {
                return Err(skip("an auto-draft WordPress made, never written".into()));
            }
            other => return Err(skip(format!("has the unknown status {other:?}"))),
        };
    if status == "private" {
        warnings.push(format!(
            "{origin}: private in WordPress: imported as a draft"
        ));
    }
    if protected {
        warnings.push(format!(
            "{origin}: password-protected in WordPress: imported as a draft (a static page cannot ask for a password)"
        ));
    }
    Ok(draft)
}

/// Sections from categories: the top-level ancestor of the first category — or of the
/// primary one, where Yoast SEO records it (news sites mostly run it). Pages are filed in
/// `pages`; a reserved folder is none.
fn filing(item: &Item, categories: &Categories) -> Filing {
    let post_type = item.get("wp:post_type");
    let primary = item.meta("_yoast_wpseo_primary_category").and_then(|id| {
        categories
            .iter()
            .find(|(_, c)| c.term_id == id)
            .map(|(nicename, _)| nicename.as_str())
    });
    let mut ordered: Vec<&(String, String, String)> = item.categories.iter().collect();
    ordered.sort_by_key(|(domain, nicename, _)| {
        !(domain == "category" && Some(nicename.as_str()) == primary)
    });
    let mut filing = Filing {
        folder: String::new(),
        tags: Vec::new(),
        extra: toml::Table::new(),
    };
    for (domain, nicename, name) in ordered {
        let name = crate::text::html_text(name);
        match domain.as_str() {
            "category"
                if filing.folder.is_empty()
                    && post_type == "post"
                    && nicename != "uncategorized" =>
            {
                let top = top_category(nicename, categories);
                filing.folder = crate::urls::slug::slugify(&top);
                let top_name = categories.get(&top).map(|c| c.name.clone());
                if top_name.as_deref() != Some(name.as_str()) {
                    filing.tags.push(name);
                }
            }
            "category" if nicename == "uncategorized" => {}
            "category" | "post_tag" => filing.tags.push(name),
            other => {
                let key = crate::urls::slug::slugify(other).replace('-', "_");
                let list = filing
                    .extra
                    .entry(key)
                    .or_insert_with(|| toml::Value::Array(Vec::new()));
                if let toml::Value::Array(values) = list {
                    values.push(toml::Value::String(name));
                }
            }
        }
    }
    if post_type == "page" {
        filing.folder = "pages".into();
    }
    if filing.folder.is_empty() || crate::urls::is_reserved_slug(&filing.folder) {
        filing.folder.clear();
    }
    filing
}

/// A category's top-level ancestor (16 levels up at most: a loop of parents ends).
fn top_category(nicename: &str, categories: &Categories) -> String {
    let mut top = nicename.to_string();
    for _ in 0..16 {
        match categories.get(&top).map(|c| c.parent.clone()) {
            Some(parent) if !parent.is_empty() => top = parent,
            _ => break,
        }
    }
    top
}

/// The post's author by the name pages show (the login when the channel lists none).
fn authors(item: &Item, names: &AuthorNames) -> Vec<String> {
    [item.get("dc:creator")]
        .into_iter()
        .filter(|l| !l.is_empty())
        .map(|login| {
            names
                .get(login)
                .cloned()
                .unwrap_or_else(|| login.to_string())
        })
        .collect()
}

/// The body: shortcodes first (they hold HTML), then paragraphs, then Markdown.
fn body(item: &Item, files: &Files, origin: &str, warnings: &mut Vec<String>) -> Body {
    let mut unknown = Vec::new();
    // Embeds become Gazette's shortcodes, which wait as markers until the HTML is Markdown.
    let mut waiting = embeds::Waiting::for_html(item.get("content:encoded"));
    let content = html::shortcodes(item.get("content:encoded"), |code| {
        let made = match code.name {
            "embed" => embed(code, &mut waiting),
            _ => shortcode(code, item, files),
        };
        if made.is_none() {
            unknown.push(code.name.to_string());
        }
        made
    });
    let content = waiting.bare_addresses(&content);
    let (content, used, links_out) = files.localize(&content);
    let (markdown, unsafe_html) = html::to_markdown(&wpautop::shown(content));
    let markdown = waiting.put_back(&markdown);
    if !unknown.is_empty() {
        warnings.push(format!(
            "{origin}: shortcodes kept as written, which pages show as text: {}",
            counted(&unknown)
        ));
    }
    Body {
        markdown,
        unsafe_html,
        files: used,
        links_out,
    }
}

/// The featured image, its file among those the body uses where it is at hand.
fn lead_image(
    item: &Item,
    files: &Files,
    body: &mut Body,
    origin: &str,
    warnings: &mut Vec<String>,
) -> Option<LeadImage> {
    let thumb = item.meta("_thumbnail_id")?;
    let image = files.attachments.get(thumb).map(|(url, alt, caption)| {
        let src = match files.local(url) {
            Some(Upload::Here(path, file)) => {
                body.files.push((file, path.clone()));
                format!("/{path}")
            }
            Some(Upload::Refused(skip)) => {
                body.links_out.push(skip);
                url.clone()
            }
            None => url.clone(),
        };
        LeadImage {
            src,
            alt: alt.clone(),
            caption: caption.clone(),
        }
    });
    if image.is_none() {
        warnings.push(format!(
            "{origin}: its featured image (attachment {thumb}) is not in the export"
        ));
    }
    image
}

/// The post's id, and its custom fields: WordPress's own start with `_` (`_edit_lock`);
/// the others are the site's, kept for templates.
fn keep_fields(item: &Item, id: &str, extra: &mut toml::Table) {
    if !id.is_empty() {
        extra.insert(
            "wordpress_id".into(),
            toml::Value::Integer(id.parse().unwrap_or(0)),
        );
    }
    for (key, value) in &item.meta {
        if !key.starts_with('_') && !key.is_empty() && !extra.contains_key(key) {
            extra.insert(key.clone(), toml::Value::String(value.clone()));
        }
    }
}

/// WordPress's short link, which it answers for every post and page.
fn short_link(post_type: &str, id: &str, draft: bool) -> Vec<String> {
    if draft || id.is_empty() {
        Vec::new()
    } else if post_type == "page" {
        vec![format!("/?page_id={id}")]
    } else {
        vec![format!("/?p={id}")]
    }
}

/// `[embed]URL[/embed]`: Gazette's shortcode for a video or a post, else a link.
fn embed(code: &Shortcode, waiting: &mut embeds::Waiting) -> Option<String> {
    let url = code
        .content
        .map(str::trim)
        .or(code.attr("src"))
        .or(code.positional.first().map(String::as_str))?;
    Some(match embeds::of_url(url) {
        Some(shortcode) => waiting.hold(shortcode),
        None => format!(
            "\n\n<p><a href=\"{0}\">{0}</a></p>\n\n",
            html_escape::encode_double_quoted_attribute(url)
        ),
    })
}

/// The HTML a known shortcode stands for; `None` keeps it as written.
fn shortcode(code: &Shortcode, item: &Item, files: &Files) -> Option<String> {
    let escape = |s: &str| html_escape::encode_double_quoted_attribute(s).into_owned();
    match code.name {
        // [caption]<img …> The caption[/caption]: the image, and its caption under it.
        "caption" | "wp_caption" => {
            let content = code.content?;
            let (image, text) = match content.rfind('>') {
                Some(end) => (&content[..=end], &content[end + 1..]),
                None => ("", content),
            };
            // The attribute is text (its entities already decoded); the content is HTML.
            let caption = code
                .attr("caption")
                .map(|c| html_escape::encode_text(c).into_owned())
                .unwrap_or_else(|| text.trim().to_string());
            Some(format!(
                "\n\n<p>{}</p>\n\n<p><em>{}</em></p>\n\n",
                image.trim(),
                caption
            ))
        }
        "gallery" => {
            let ids: Vec<String> = match code.attr("ids").or(code.attr("include")) {
                Some(ids) => ids.split(',').map(|s| s.trim().to_string()).collect(),
                None => files
                    .children
                    .get(item.get("wp:post_id"))
                    .cloned()
                    .unwrap_or_default(),
            };
            let images: Vec<String> = ids
                .iter()
                .filter_map(|id| files.attachments.get(id))
                .map(|(url, alt, caption)| {
                    let alt = alt.clone().or_else(|| caption.clone()).unwrap_or_default();
                    format!(
                        "<p><img src=\"{}\" alt=\"{}\"></p>",
                        escape(url),
                        escape(&alt)
                    )
                })
                .collect();
            if images.is_empty() {
                return None;
            }
            Some(format!("\n\n{}\n\n", images.join("\n\n")))
        }
        "video" | "audio" => {
            let src = code.attr("src").or_else(|| {
                ["mp4", "m4v", "webm", "ogv", "mp3", "ogg", "wav", "m4a"]
                    .iter()
                    .find_map(|k| code.attr(k))
            })?;
            Some(format!(
                "\n\n<{0} controls src=\"{1}\"></{0}>\n\n",
                code.name,
                escape(src)
            ))
        }
        "code" | "sourcecode" | "source" => {
            let content = code.content?;
            let language = code.attr("lang").or(code.attr("language")).unwrap_or("");
            let class = if language.is_empty() {
                String::new()
            } else {
                format!(" class=\"language-{}\"", escape(language))
            };
            let text = html_escape::decode_html_entities(content.trim_matches('\n'));
            Some(format!(
                "\n\n<pre><code{class}>{}</code></pre>\n\n",
                html_escape::encode_text(&text)
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_paths_are_below_the_site() {
        assert_eq!(
            old_path("https://ex.com/blog/2014/11/hello/", "https://ex.com/blog").as_deref(),
            Some("/2014/11/hello/")
        );
        assert_eq!(old_path("https://ex.com/?p=12", "https://ex.com"), None);
        assert_eq!(
            old_path("https://ex.com/caf%C3%A9/", "https://ex.com").as_deref(),
            Some("/café/")
        );
    }
}
