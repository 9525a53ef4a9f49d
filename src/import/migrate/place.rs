//! Where each entry of a harvest goes, decided before anything is written: its content file
//! and its URLs, clear of each other and of what the site has already.
//!
//! Invariants:
//! - Files: an entry's earlier import is its file wherever it was moved (the stamp names
//!   the entry's origin); a file of the site's own (no stamp) is never its file, `--force`
//!   or not: the entry gets a suffixed name; no two entries share a file.
//! - URLs: the site an import leaves is one `gazette build` accepts, because every address
//!   is claimed in the build's own [`UrlTable`]: first the sections' list pages and what
//!   the site's other articles answer (they stay as they are), then the entries' pages in
//!   order of publication (earliest date, then source order; drafts last), then their old
//!   URLs as aliases, in the same order. A page whose URL is taken moves to a suffixed
//!   `path`; an old URL that is taken stays with what has it. Each is a warning naming both.
//! - Deterministic: suffixes are checksums of the entry's origin, so the same source and
//!   site give the same places on every run.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use super::{Entry, target_of};
use crate::config::Config;
use crate::content::urls::{Holder, PatternValues, UrlTable, pattern_permalink, permalink_in};
use crate::content::{self, Permalink, alias_path, path_permalink, query_alias};
use crate::import::owned::{self, Found};
use crate::import::{ImportError, ImportOptions, MAX_SUFFIXES, suffix_of};
use crate::urls::slug::{MAX_WRITTEN, slugify};

/// An entry, placed.
#[derive(Debug, Clone, Default)]
pub(super) struct Place {
    pub target: PathBuf,
    /// Its earlier import was edited by hand and stays (without `--force`): it claims no
    /// URL, its file's own count as the site's.
    pub kept: bool,
    /// Its `path`: its old URL, or a suffixed one when something else has that.
    pub path: Option<String>,
    /// Its old URLs that stay its own, as aliases.
    pub aliases: Vec<String>,
    /// How many of its old URLs it keeps.
    pub urls_kept: usize,
    /// Its page's path below the site root (`2014/11/24/x/`).
    pub page: String,
    /// Whether its page wanted its old URL (a folder), which is then never an alias.
    old_page: bool,
}

/// Who has an address.
#[derive(Debug, Clone)]
enum Who {
    /// A section: its list pages.
    Section,
    /// An article of the site that the import does not write (by index into `Standing`).
    Site(usize),
    /// An entry of the harvest.
    Entry(usize),
}

/// An article file of the site that stays as it is, with the URLs it answers.
#[derive(Debug)]
struct Standing {
    file: PathBuf,
    page: Permalink,
    aliases: Vec<String>,
    queries: Vec<String>,
    section: Option<String>,
}

/// Places every entry: files first, then URLs. `sections` are the folders of the section
/// indexes the harvest brings.
pub(super) fn place(
    content: &Path,
    config: &Config,
    entries: &mut [Entry],
    sections: &[String],
    options: ImportOptions,
    warnings: &mut Vec<String>,
) -> Result<Vec<Place>, ImportError> {
    let files = owned::article_files(content)?;
    let found = owned::survey(&files)?;
    let on_disk: HashMap<&Path, &Found> = files.iter().map(PathBuf::as_path).zip(&found).collect();
    let found_at = |path: &Path| -> Result<Found, ImportError> {
        match on_disk.get(path) {
            Some(found) => Ok((*found).clone()),
            None => owned::look_at(path),
        }
    };
    let targets = place_files(content, entries, &files, &found, &found_at, warnings)?;
    let mut places = Vec::with_capacity(entries.len());
    for target in targets {
        let kept =
            matches!(found_at(&target)?, Found::Imported(stamp) if !stamp.intact && !options.force);
        places.push(Place {
            target,
            kept,
            ..Place::default()
        });
    }
    let written: HashSet<&Path> = places
        .iter()
        .filter(|p| !p.kept)
        .map(|p| p.target.as_path())
        .collect();
    let others: Vec<&PathBuf> = files
        .iter()
        .filter(|f| !written.contains(f.as_path()))
        .collect();
    let standing = standing(content, config, &others, warnings);
    resolve_urls(
        content,
        config,
        entries,
        &mut places,
        &standing,
        sections,
        warnings,
    );
    Ok(places)
}

/// The content file of each entry: its place by folder and slug where that is its own
/// earlier import, else its earlier import wherever that was moved, else its place,
/// suffixed (slug and all) where an earlier entry or a file of the site's own has that.
fn place_files(
    content: &Path,
    entries: &mut [Entry],
    files: &[PathBuf],
    found: &[Found],
    found_at: &dyn Fn(&Path) -> Result<Found, ImportError>,
    warnings: &mut Vec<String>,
) -> Result<Vec<PathBuf>, ImportError> {
    let provenances: Vec<String> = entries.iter().map(|e| owned::shown(&e.origin)).collect();
    let mut origins: HashMap<&str, usize> = HashMap::new();
    for p in &provenances {
        *origins.entry(p).or_default() += 1;
    }
    let mut moved: HashMap<&str, &PathBuf> = HashMap::new();
    for (file, found) in files.iter().zip(found) {
        if let Found::Imported(stamp) = found
            && origins.get(stamp.provenance.as_str()) == Some(&1)
        {
            moved.entry(&stamp.provenance).or_insert(file);
        }
    }
    let mut taken: HashSet<PathBuf> = HashSet::new();
    let mut targets: Vec<Option<PathBuf>> = Vec::with_capacity(entries.len());
    for (entry, provenance) in entries.iter().zip(&provenances) {
        let at_home = target_of(content, entry);
        let own = matches!(found_at(&at_home)?, Found::Imported(s) if s.provenance == *provenance);
        let earlier = moved
            .get(provenance.as_str())
            // Where it still has the form it has now (a folder when it brings files).
            .filter(|f| is_bundle(content, f) != entry.files.is_empty())
            .map(|f| (*f).clone());
        let target = if own { Some(at_home) } else { earlier };
        targets.push(target.filter(|t| taken.insert(t.clone())));
    }
    for (entry, target) in entries.iter_mut().zip(&targets) {
        if let Some(target) = target {
            entry.slug = content::file_slug(target, is_bundle(content, target));
        }
    }
    for (entry, target) in entries.iter_mut().zip(&mut targets) {
        if target.is_some() {
            continue;
        }
        let slug = entry.slug.clone();
        let first = target_of(content, entry);
        let mut candidate = first.clone();
        let mut why = None;
        for n in 1..=MAX_SUFFIXES + 1 {
            let reason = if taken.contains(&candidate) {
                " as an earlier article is;"
            } else if found_at(&candidate)? == Found::Foreign {
                ", a file the importer did not write;"
            } else {
                break;
            };
            why.get_or_insert(reason);
            if n > MAX_SUFFIXES {
                return Err(ImportError::BadSource {
                    path: first,
                    reason: format!(
                        "{} and {MAX_SUFFIXES} suffixed names beside it are taken: rename them",
                        entry.origin
                    ),
                });
            }
            entry.slug = format!("{slug}-{}", suffix_of(entry.origin.as_bytes(), n));
            candidate = target_of(content, entry);
        }
        if let Some(why) = why {
            warnings.push(format!(
                "{}: would be {}{why} imported as {}",
                entry.origin,
                first.display(),
                candidate.display()
            ));
        }
        taken.insert(candidate.clone());
        *target = Some(candidate);
    }
    Ok(targets.into_iter().flatten().collect())
}

/// `page` with its last segment suffixed, kept short enough for a file name.
fn suffixed(page: &Permalink, suffix: &str) -> Permalink {
    let path = page.path().trim_end_matches('/');
    let (parent, last) = path.rsplit_once('/').unwrap_or(("", path));
    let room = MAX_WRITTEN - suffix.len() - 1;
    let mut cut = last.len().min(room);
    while !last.is_char_boundary(cut) {
        cut -= 1;
    }
    let last = format!("{}-{suffix}", &last[..cut]);
    Permalink::from_segments(
        parent
            .split('/')
            .filter(|s| !s.is_empty())
            .chain([last.as_str()]),
    )
}

/// The site's articles that the import does not write, with their URLs, as the build
/// reads them. One that cannot be read is a warning: the build will say what is wrong.
fn standing(
    content: &Path,
    config: &Config,
    files: &[&PathBuf],
    warnings: &mut Vec<String>,
) -> Vec<Standing> {
    let markdown = content::markdown::Renderer::default();
    let loaded: Vec<Result<Option<Standing>, String>> = files
        .par_iter()
        .map(
            |file| match content::load_file(file, content, &markdown, config.timezone) {
                Ok(content::Loaded::Article(a)) => Ok(Some(Standing {
                    file: (*file).clone(),
                    page: permalink_in(&config.pattern, &a),
                    aliases: a.aliases.clone(),
                    queries: a.query_aliases.clone(),
                    section: a.section.as_ref().map(|l| l.slug.clone()),
                })),
                // A page is at its own `path` or `/<slug>/`, whatever the pattern says, and
                // belongs to no section.
                Ok(content::Loaded::Page(p)) => Ok(Some(Standing {
                    file: (*file).clone(),
                    page: p.path.clone().unwrap_or_else(|| p.permalink.clone()),
                    aliases: p.aliases.clone(),
                    queries: p.query_aliases.clone(),
                    section: None,
                })),
                Ok(_) => Ok(None),
                Err(e) => Err(format!(
                    "{e} (the import's URLs are not checked against this file)"
                )),
            },
        )
        .collect();
    let mut standing = Vec::new();
    for result in loaded {
        match result {
            Ok(s) => standing.extend(s),
            Err(warning) => warnings.push(warning),
        }
    }
    standing
}

/// Whether the article at `target` is a folder, as the loader sees it (a `content/index.md`
/// is not).
fn is_bundle(content: &Path, target: &Path) -> bool {
    content::media::is_bundle_index(target) && target.parent() != Some(content)
}

/// Where an article is below `content/`, `/`-separated, as the loader places it: its
/// file (`pages/about.md`), or for a bundle its folder (`2014/trip`).
fn content_place(content: &Path, target: &Path) -> String {
    let rel: Vec<String> = target
        .strip_prefix(content)
        .unwrap_or(target)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let path = rel.join("/");
    if is_bundle(content, target) {
        path.rsplit_once('/').map_or("", |(dir, _)| dir).to_string()
    } else {
        path
    }
}

/// What an entry's page is before any claim: its old URL where that is a folder Gazette
/// can publish at, else where the site's pattern puts it.
fn wanted_page(content: &Path, config: &Config, entry: &Entry, target: &Path) -> (Permalink, bool) {
    if let Some(own) = entry
        .url
        .as_deref()
        .filter(|u| u.ends_with('/'))
        .and_then(|u| path_permalink(u).ok())
    {
        return (own, true);
    }
    let place = content_place(content, target);
    let slug = content::file_slug(target, is_bundle(content, target));
    if content::page::is_page_path(&place) {
        return (Permalink::from_segments([slug.as_str()]), false);
    }
    let section = content::section::link_of(&place).map(|l| l.slug);
    let author = entry
        .authors
        .iter()
        .map(|a| slugify(a.trim()))
        .find(|s| !s.is_empty());
    let date = entry
        .date
        .unwrap_or_else(|| DateTime::<Utc>::UNIX_EPOCH.fixed_offset());
    let values = PatternValues {
        slug: &slug,
        date: &date,
        section: section.as_deref(),
        author: author.as_deref(),
    };
    (pattern_permalink(&config.pattern, values), false)
}

/// Claims every address in the build's table, in the order the module's doc gives, and
/// records in `places` what each entry keeps.
fn resolve_urls(
    content: &Path,
    config: &Config,
    entries: &[Entry],
    places: &mut [Place],
    standing: &[Standing],
    sections: &[String],
    warnings: &mut Vec<String>,
) {
    let mut resolver = Resolver {
        content,
        config,
        entries,
        standing,
        table: UrlTable::with_capacity(standing.len() + entries.len()),
        warnings,
    };
    resolver.claim_site(places, sections);
    let mut order: Vec<usize> = (0..entries.len()).filter(|&i| !places[i].kept).collect();
    let epoch = DateTime::<Utc>::UNIX_EPOCH.fixed_offset();
    order.sort_by_key(|&i| (entries[i].draft, entries[i].date.unwrap_or(epoch), i));
    for &i in &order {
        resolver.claim_page(i, &mut places[i]);
    }
    for &i in &order {
        resolver.claim_aliases(i, &mut places[i]);
    }
}

/// The table being filled, and what it needs to name claimants in warnings.
struct Resolver<'a> {
    content: &'a Path,
    config: &'a Config,
    entries: &'a [Entry],
    standing: &'a [Standing],
    table: UrlTable<'static, Who>,
    warnings: &'a mut Vec<String>,
}

impl Resolver<'_> {
    /// What the site answers whatever the import does: its sections' list pages (counting
    /// every article a list will show, drafts too: a list may only grow into a page more)
    /// and its other articles' pages and aliases (if two of those clash already, the build
    /// says so).
    fn claim_site(&mut self, places: &[Place], sections: &[String]) {
        let mut listed: BTreeMap<String, usize> = BTreeMap::new();
        for folder in sections.iter().chain(&section_folders(self.content)) {
            let slug = slugify(folder);
            if !slug.is_empty() {
                listed.entry(slug).or_default();
            }
        }
        let entries_in = places
            .iter()
            .filter(|p| !p.kept)
            .map(|p| content_place(self.content, &p.target))
            .filter(|place| !content::page::is_page_path(place))
            .filter_map(|place| content::section::link_of(&place))
            .map(|link| link.slug);
        for slug in self
            .standing
            .iter()
            .filter_map(|s| s.section.clone())
            .chain(entries_in)
        {
            *listed.entry(slug).or_default() += 1;
        }
        for (slug, count) in &listed {
            let list = Permalink::from_segments([slug.as_str()]);
            for n in 1..=count.div_ceil(self.config.paginate_by).max(1) {
                let _ = self
                    .table
                    .page(list.page(n).path().to_string(), Who::Section);
            }
        }
        for (i, s) in self.standing.iter().enumerate() {
            let _ = self.table.page(s.page.path().to_string(), Who::Site(i));
        }
        for (i, s) in self.standing.iter().enumerate() {
            for query in &s.queries {
                let _ = self.table.query(query.clone(), Who::Site(i));
            }
            for alias in &s.aliases {
                let _ = self.table.alias(alias.clone(), Who::Site(i));
            }
        }
    }

    /// Claims entry `i`'s page: its old URL, else its URL by the pattern, else (taken) a
    /// URL elsewhere, with a warning.
    fn claim_page(&mut self, i: usize, place: &mut Place) {
        let entry = &self.entries[i];
        let (wanted, old) = wanted_page(self.content, self.config, entry, &place.target);
        let page = match self.table.page(wanted.path().to_string(), Who::Entry(i)) {
            Ok(()) => wanted.clone(),
            Err(holder) => {
                let moved = self.page_elsewhere(i, place, &wanted, &holder);
                let warning = format!(
                    "{}: its {}URL /{} is {}; the article is at /{}",
                    entry.origin,
                    if old { "old " } else { "" },
                    wanted.path(),
                    self.holder(&holder, true),
                    moved.path()
                );
                self.warnings.push(warning);
                moved
            }
        };
        if old && page == wanted {
            place.path = entry.url.clone();
            place.urls_kept += 1;
        } else if page != wanted {
            place.path = Some(format!("/{}", page.path()));
        }
        place.old_page = old;
        place.page = page.path().to_string();
    }

    /// Where entry `i`'s page goes when its URL is taken: an old page at a section's URL
    /// to below its folder (`/pages/reviews/` for the page "Reviews" beside the section
    /// Reviews), any other to the URL with the entry's suffix; the first of those free.
    fn page_elsewhere(
        &mut self,
        i: usize,
        place: &Place,
        wanted: &Permalink,
        holder: &Holder<Who>,
    ) -> Permalink {
        let entry = &self.entries[i];
        let place_path = content_place(self.content, &place.target);
        let folder = place_path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let mut candidates: Vec<Permalink> = Vec::new();
        if matches!(holder, Holder::Page(Who::Section)) && !folder.is_empty() {
            let slug = wanted.path().trim_end_matches('/').rsplit('/').next();
            if let Ok(below) = path_permalink(&format!("/{folder}/{}/", slug.unwrap_or(""))) {
                candidates.push(below);
            }
        }
        let base = candidates
            .first()
            .cloned()
            .unwrap_or_else(|| wanted.clone());
        candidates.extend(
            (1..=MAX_SUFFIXES).map(|n| suffixed(&base, &suffix_of(entry.origin.as_bytes(), n))),
        );
        candidates
            .into_iter()
            .find(|c| self.table.page(c.path().to_string(), Who::Entry(i)).is_ok())
            .unwrap_or_else(|| wanted.clone())
    }

    /// Claims entry `i`'s other old URLs as aliases; one that is taken or that no alias can
    /// be is a warning.
    fn claim_aliases(&mut self, i: usize, place: &mut Place) {
        let entry = &self.entries[i];
        // An old URL that is a folder was the page's to take (or lose), never an alias.
        let url = entry.url.as_ref().filter(|_| !place.old_page);
        let mut seen: HashSet<&str> = HashSet::new();
        for url in url.into_iter().chain(&entry.aliases) {
            if !seen.insert(url) || (place.old_page && entry.url.as_ref() == Some(url)) {
                continue;
            }
            let claimed = if url.contains('?') {
                query_alias(url).map(|q| self.table.query(q, Who::Entry(i)))
            } else {
                alias_path(url).map(|file| self.table.alias(file, Who::Entry(i)))
            };
            let warning = match claimed {
                Ok(Ok(())) => {
                    place.aliases.push(url.clone());
                    place.urls_kept += 1;
                    continue;
                }
                // Its own page answers it already.
                Ok(Err(Holder::Page(Who::Entry(j)))) if j == i => continue,
                Ok(Err(Holder::Own)) => format!(
                    "{}: old URL {url:?} not kept: {url:?} is where the site keeps pages of its own",
                    entry.origin
                ),
                Ok(Err(holder)) => format!(
                    "{}: its old URL {url} is {}: not an alias of this article",
                    entry.origin,
                    self.holder(&holder, false)
                ),
                Err(why) => format!("{}: old URL {url:?} not kept: {why}", entry.origin),
            };
            self.warnings.push(warning);
        }
    }

    /// What holds an address another entry's page (`for_page`) or alias wanted.
    fn holder(&self, holder: &Holder<Who>, for_page: bool) -> String {
        match holder {
            Holder::Page(Who::Section) | Holder::Alias(Who::Section) => {
                "now the section's list page".into()
            }
            Holder::Page(Who::Site(i)) => {
                format!("the page of {}", self.standing[*i].file.display())
            }
            Holder::Alias(Who::Site(i)) => {
                format!("an alias of {}", self.standing[*i].file.display())
            }
            // Entries' pages take their addresses before any alias does.
            Holder::Page(Who::Entry(j)) if for_page => {
                format!("{}'s too, published first", self.entries[*j].origin)
            }
            Holder::Page(Who::Entry(j)) => format!("the page of {}", self.entries[*j].origin),
            Holder::Alias(Who::Entry(j)) => format!(
                "an old URL of {} too, published first",
                self.entries[*j].origin
            ),
            Holder::Own => "a page of the site's own".into(),
        }
    }
}

/// Links in the text to another entry by an old URL with a query (`/?p=12`, as WordPress
/// made links between posts) lead to that entry's page itself: no detour through the home
/// page's script, and `gazette check` sees them.
pub(super) fn link_short(entries: &mut [Entry], places: &[Place]) {
    let pages: HashMap<&str, String> = places
        .iter()
        .filter(|p| !p.kept)
        .flat_map(|p| {
            p.aliases
                .iter()
                .filter(|a| a.contains('?'))
                .map(|a| (a.as_str(), format!("/{}", p.page)))
        })
        .collect();
    if pages.is_empty() {
        return;
    }
    for entry in entries.iter_mut().filter(|e| e.body.contains("](/?")) {
        let mut body = String::with_capacity(entry.body.len());
        let mut rest = entry.body.as_str();
        while let Some(at) = rest.find("](/?") {
            body.push_str(&rest[..at + 2]);
            let link = &rest[at + 2..];
            let end = link.find([')', '#', ' ']).unwrap_or(link.len());
            match pages.get(&link[..end]) {
                Some(page) => body.push_str(page),
                None => body.push_str(&link[..end]),
            }
            rest = &link[end..];
        }
        body.push_str(rest);
        entry.body = body;
    }
}

/// The top-level folders of `content/` that have an `_index.md`: sections whatever else
/// they hold.
fn section_folders(content: &Path) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(content) else {
        return Vec::new();
    };
    let mut folders: Vec<String> = dir
        .flatten()
        .filter(|e| e.file_name() != crate::content::AUTHORS_DIR)
        .filter(|e| e.path().join(crate::content::section::INDEX_FILE).is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    folders
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suffixed_url_keeps_its_folders_and_fits_a_file_name() {
        let page = path_permalink("/2014/11/24/launch/").unwrap();
        assert_eq!(
            suffixed(&page, &suffix_of(b"export.xml (post 31)", 1)).path(),
            "2014/11/24/launch-59dd7d/"
        );
        assert_eq!(
            suffixed(&page, &suffix_of(b"export.xml (post 31)", 2)).path(),
            "2014/11/24/launch-59dd7d-2/"
        );
        let long = path_permalink(&format!("/x/{}/", "a".repeat(MAX_WRITTEN))).unwrap();
        let last = suffixed(&long, "59dd7d")
            .path()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        assert_eq!(last.len(), MAX_WRITTEN);
        assert!(path_permalink(&format!("/x/{last}/")).is_ok());
    }
}
