//! Hugo's configuration, read as Hugo reads it, and the settings of the language this
//! import brings.
//!
//! Hugo's settings may live in a root file (`hugo.toml|yaml|yml|json`, else
//! `config.toml|yaml|yml|json`: the first found) and in a configuration folder
//! (`config/_default/`, then `config/production/`, the environment `hugo` builds for),
//! whose files are merged on top of the root file's, each file's keys overwriting the same
//! keys recursively. In the folder, `hugo.*` and `config.*` hold root keys; any other file
//! is one root key (`params.toml` is `[params]`), and a language suffix puts it under that
//! language (`menus.en.toml` is `[languages.en.menus]`, `languages.fr.toml` is
//! `[languages.fr]`).
//!
//! Invariants: keys are compared lowercased, as Hugo compares them; a multilingual site
//! imports its default language (`defaultContentLanguage`, else `en`), whose own
//! settings (`[languages.en.permalinks]`…) override the root ones, and every page of
//! another language is counted and listed as skipped, never imported as a page of the
//! default one.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::files::{files_below, has_ext};
use crate::import::ImportError;
use crate::import::migrate::bounds::Bounds;
use crate::import::migrate::{Skip, values};

/// Root configuration files, in the order Hugo looks for them; it reads the first found.
const ROOT_FILES: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// The configuration folder's subfolders Hugo merges for `hugo` (a production build),
/// least specific first.
const CONFIG_DIRS: &[&str] = &["config/_default", "config/production"];

/// The file extensions of configuration files.
const CONFIG_EXTENSIONS: &[&str] = &["toml", "yaml", "yml", "json"];

/// What Hugo's settings say about the pages of the language imported.
#[derive(Debug, Clone)]
pub(in crate::import::migrate) struct Settings {
    /// The merged configuration, keys lowercased.
    pub config: Value,
    /// The folder of the imported language's content, below the site's folder.
    pub content_dir: PathBuf,
    pub static_dir: PathBuf,
    /// The imported language (`en`).
    pub language: String,
    /// Its URL prefix (`en`), when `defaultContentLanguageInSubdir` puts it in a folder.
    pub language_folder: Option<String>,
    /// The site's other languages, which are not imported.
    pub others: Vec<OtherLanguage>,
    /// Section → `permalinks` pattern for its pages.
    pub permalinks: BTreeMap<String, String>,
    pub ugly_urls: UglyUrls,
    /// Whether Hugo lowercases the paths it makes (`disablePathToLower` unset).
    pub lowercase_paths: bool,
    /// How Goldmark made heading ids; `None` when it made none (`autoHeadingID = false`).
    pub heading_ids: Option<HeadingIds>,
}

/// A language of the site that is not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::import::migrate) struct OtherLanguage {
    pub code: String,
    /// Its own content folder (`content/fr`), below the site's folder; `None` when its
    /// pages share the default language's and are told apart by name (`post.fr.md`).
    pub content_dir: Option<PathBuf>,
}

/// `uglyURLs`: for the whole site, or per section (`[uglyURLs] posts = true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::import::migrate) enum UglyUrls {
    All(bool),
    Sections(HashSet<String>),
}

impl UglyUrls {
    /// Whether pages of `section` end in `.html` rather than `/`.
    pub fn of(&self, section: &str) -> bool {
        match self {
            UglyUrls::All(ugly) => *ugly,
            UglyUrls::Sections(sections) => sections.contains(&section.to_lowercase()),
        }
    }
}

/// Goldmark's `autoHeadingIDType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::import::migrate) enum HeadingIds {
    /// GitHub's ids (the default): letters, digits and `_` kept, each space and `-` a
    /// hyphen, the rest dropped (`### 1.6.1 Definitions` → `161-definitions`).
    GitHub,
    /// The same with accents removed and other non-ASCII letters dropped.
    GitHubAscii,
    /// Blackfriday's (Hugo's engine before 0.60): runs of other characters one hyphen.
    Blackfriday,
}

/// Where a content file belongs, by its name: the imported language (named without the
/// language suffix: `post.en.md` is `post`), or another language.
#[derive(Debug, PartialEq, Eq)]
pub(in crate::import::migrate) enum FileLanguage<'a> {
    Imported { stem: String },
    Other(&'a str),
}

impl Settings {
    /// Reads every configuration file of the Hugo site at `root`, merged as Hugo merges
    /// them; refused naming every file looked for when there is none.
    pub fn load(root: &Path, bounds: &Bounds) -> Result<Settings, ImportError> {
        let mut config = Value::Object(Map::new());
        let mut found = false;
        if let Some(file) = ROOT_FILES
            .iter()
            .map(|f| root.join(f))
            .find(|p| p.is_file())
        {
            if let Err(outside) = bounds.resolve(&file) {
                return Err(ImportError::BadSource {
                    reason: bounds.reason(&file, &outside),
                    path: file,
                });
            }
            merge(&mut config, lowercase_keys(values::config(&file)?));
            found = true;
        }
        for dir in CONFIG_DIRS {
            let dir = root.join(dir);
            // A configuration file is read or the import refused: one that leads out of
            // the site is not skipped as a page would be, since it changes every URL.
            let mut out = Vec::new();
            let files = files_below(&dir, bounds, &mut out)?;
            if let Some(skip) = out.first() {
                return Err(ImportError::BadSource {
                    path: dir,
                    reason: format!("{}: {}", skip.origin, skip.reason),
                });
            }
            for file in files {
                if has_ext(&file, CONFIG_EXTENSIONS) {
                    merge(&mut config, config_dir_file(&file)?);
                    found = true;
                }
            }
        }
        if !found {
            return Err(ImportError::BadSource {
                path: root.to_path_buf(),
                reason: format!(
                    "has no Hugo configuration: looked for {} and the folders {}/: is it a Hugo site?",
                    ROOT_FILES.join(", "),
                    CONFIG_DIRS.join("/, ")
                ),
            });
        }
        Ok(Settings::of(config))
    }

    /// The settings of the default language, from the merged configuration.
    fn of(config: Value) -> Settings {
        let text = |v: &Value, key: &str| values::text(v.get(key));
        let language = text(&config, "defaultcontentlanguage")
            .unwrap_or_else(|| "en".into())
            .to_lowercase();
        let languages = config.get("languages").and_then(Value::as_object);
        let own = languages.and_then(|l| l.get(&language));
        // The language's own settings override the root ones.
        let mut effective = config.clone();
        if let Some(own) = own {
            merge(&mut effective, own.clone());
        }
        let root_content = text(&config, "contentdir").unwrap_or_else(|| "content".into());
        let content_dir =
            PathBuf::from(text(&effective, "contentdir").unwrap_or(root_content.clone()));
        let others = languages
            .into_iter()
            .flatten()
            // A disabled language's pages are not the default one's either.
            .filter(|(code, _)| **code != language)
            .map(|(code, l)| OtherLanguage {
                code: code.clone(),
                content_dir: Some(PathBuf::from(
                    text(l, "contentdir").unwrap_or_else(|| root_content.clone()),
                ))
                .filter(|dir| *dir != content_dir),
            })
            .collect();
        let permalinks = permalinks(effective.get("permalinks"));
        let ugly_urls = match effective.get("uglyurls") {
            Some(Value::Object(sections)) => UglyUrls::Sections(
                sections
                    .iter()
                    .filter(|(_, v)| is_true(v))
                    .map(|(k, _)| k.to_lowercase())
                    .collect(),
            ),
            Some(v) => UglyUrls::All(is_true(v)),
            None => UglyUrls::All(false),
        };
        let parser = effective
            .get("markup")
            .and_then(|m| m.get("goldmark"))
            .and_then(|g| g.get("parser"));
        let auto_ids = parser
            .and_then(|p| p.get("autoheadingid"))
            .is_none_or(is_true);
        let id_type = parser
            .and_then(|p| text(p, "autoidtype").or_else(|| text(p, "autoheadingidtype")))
            .unwrap_or_default();
        let heading_ids = auto_ids.then_some(match id_type.to_lowercase().as_str() {
            "github-ascii" => HeadingIds::GitHubAscii,
            "blackfriday" => HeadingIds::Blackfriday,
            _ => HeadingIds::GitHub,
        });
        let in_subdir = effective
            .get("defaultcontentlanguageinsubdir")
            .is_some_and(is_true);
        Settings {
            static_dir: PathBuf::from(
                text(&effective, "staticdir").unwrap_or_else(|| "static".into()),
            ),
            lowercase_paths: !effective.get("disablepathtolower").is_some_and(is_true),
            language_folder: in_subdir.then(|| language.clone()),
            content_dir,
            language,
            others,
            permalinks,
            ugly_urls,
            heading_ids,
            config: effective,
        }
    }

    /// The language a content file is in, by the suffix of its name (`post.fr.md`,
    /// `index.fr.md`): a suffix that is not one of the site's languages is part of the
    /// name, as in Hugo.
    pub fn language_of(&self, file: &Path) -> FileLanguage<'_> {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some((name, suffix)) = stem.rsplit_once('.') {
            let suffix = suffix.to_lowercase();
            if suffix == self.language {
                return FileLanguage::Imported { stem: name.into() };
            }
            if let Some(other) = self.others.iter().find(|o| o.code == suffix) {
                return FileLanguage::Other(&other.code);
            }
        }
        FileLanguage::Imported { stem }
    }

    /// The content folders of the other languages that have their own, with their codes.
    pub fn other_content_dirs(&self, root: &Path) -> Vec<(PathBuf, &str)> {
        self.others
            .iter()
            .filter_map(|o| Some((root.join(o.content_dir.as_ref()?), o.code.as_str())))
            .collect()
    }
}

impl Settings {
    /// The imported language's content files, each with its name without the language
    /// suffix (`post.en.md` → `post`); every page of another language — in its own
    /// content folder, or named with its suffix (`post.fr.md`) — counted, and listed in
    /// `skipped` with one line per language.
    pub fn apart_from_other_languages(
        &self,
        root: &Path,
        bounds: &Bounds,
        files: Vec<PathBuf>,
        skipped: &mut Vec<Skip>,
    ) -> Result<Vec<(PathBuf, String)>, ImportError> {
        let content = root.join(&self.content_dir);
        let mut by_folder: BTreeMap<&str, (PathBuf, usize)> = BTreeMap::new();
        for (dir, code) in self.other_content_dirs(root) {
            // A folder inside the imported one is counted as its files are walked; one
            // around it (`content` around `content/en`) without the imported pages.
            let pages = if dir.starts_with(&content) {
                0
            } else {
                files_below(&dir, bounds, &mut Vec::new())?
                    .iter()
                    .filter(|f| is_page(f) && !f.starts_with(&content))
                    .count()
            };
            by_folder.insert(code, (dir, pages));
        }
        let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
        let mut kept = Vec::with_capacity(files.len());
        for file in files {
            if let Some((_, (_, pages))) = by_folder
                .iter_mut()
                .find(|(_, (dir, _))| dir.starts_with(&content) && file.starts_with(dir))
            {
                *pages += usize::from(is_page(&file));
                continue;
            }
            match self.language_of(&file) {
                FileLanguage::Imported { stem } => kept.push((file, stem)),
                FileLanguage::Other(code) => {
                    *by_name.entry(code).or_default() += usize::from(is_page(&file));
                }
            }
        }
        let not_imported = |code: &str, pages: usize| {
            format!(
                "the site in the language {code:?}: {} not imported (a Gazette site has one language; this import brings the default one, {:?})",
                crate::text::count(pages, "page", "pages"),
                self.language
            )
        };
        for (code, (dir, pages)) in by_folder {
            skipped.push(Skip {
                origin: dir.display().to_string(),
                reason: not_imported(code, pages),
            });
        }
        for (code, pages) in by_name {
            skipped.push(Skip {
                origin: format!("{} (*.{code}.md)", content.display()),
                reason: not_imported(code, pages),
            });
        }
        Ok(kept)
    }
}

/// Whether a file is a page of content (Markdown or HTML; a section's `_index` is not).
fn is_page(file: &Path) -> bool {
    has_ext(file, &["md", "markdown", "html", "htm"])
        && !file
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("_index"))
}

/// One file of the configuration folder as the root keys it sets.
fn config_dir_file(file: &Path) -> Result<Value, ImportError> {
    let value = lowercase_keys(values::config(file)?);
    let name = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name == "hugo" || name == "config" {
        return Ok(value);
    }
    let (key, language) = match name.rsplit_once('.') {
        Some((key, language)) => (key.to_string(), Some(language.to_string())),
        None => (name, None),
    };
    // A file may wrap its keys in its own name (`params.toml` holding `[params]`).
    let value = match value {
        Value::Object(mut map) if map.len() == 1 && map.contains_key(&key) => {
            map.remove(&key).unwrap_or_default()
        }
        other => other,
    };
    let path: Vec<String> = match language {
        Some(language) => {
            let mut path = vec!["languages".to_string(), language];
            match key.as_str() {
                "menu" | "menus" => path.push("menus".into()),
                "params" => path.push("params".into()),
                _ => {}
            }
            path
        }
        None => vec![key],
    };
    Ok(path.into_iter().rev().fold(value, |inner, key| {
        let mut map = Map::new();
        map.insert(key, inner);
        Value::Object(map)
    }))
}

/// `from` merged into `into`: tables key by key, recursively; any other value replaced.
fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                match into.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        into.insert(key, value);
                    }
                }
            }
        }
        (into, from) => *into = from,
    }
}

fn lowercase_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k.to_lowercase(), lowercase_keys(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(lowercase_keys).collect()),
        other => other,
    }
}

fn is_true(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// Section → pattern for pages, from both forms: `[permalinks] posts = "…"` and
/// `[permalinks.page] posts = "…"` (which wins).
fn permalinks(config: Option<&Value>) -> BTreeMap<String, String> {
    let mut patterns = BTreeMap::new();
    let Some(Value::Object(map)) = config else {
        return patterns;
    };
    for (section, pattern) in map {
        if let Some(pattern) = values::text(Some(pattern)) {
            patterns.insert(section.to_lowercase(), pattern);
        }
    }
    if let Some(Value::Object(pages)) = map.get("page") {
        for (section, pattern) in pages {
            if let Some(pattern) = values::text(Some(pattern)) {
                patterns.insert(section.to_lowercase(), pattern);
            }
        }
    }
    patterns
}

/// A heading's id as Hugo's Goldmark made it from `line`, the heading's last source line
/// (Markdown as written: `## Using [Rust](https://…)` keeps the link's address). Empty
/// when nothing is left, which Goldmark names `heading`.
pub(in crate::import::migrate) fn heading_id(line: &str, kind: HeadingIds) -> String {
    let line = line.trim();
    let mut id = String::with_capacity(line.len());
    match kind {
        HeadingIds::Blackfriday => {
            let mut dash = false;
            for c in line.chars() {
                if c.is_alphanumeric() {
                    if dash && !id.is_empty() {
                        id.push('-');
                    }
                    dash = false;
                    id.extend(c.to_lowercase());
                } else {
                    dash = true;
                }
            }
        }
        HeadingIds::GitHub | HeadingIds::GitHubAscii => {
            for c in line.chars() {
                let c = match kind {
                    HeadingIds::GitHubAscii => match without_accent(c) {
                        Some(c) => c,
                        None => continue,
                    },
                    _ => c,
                };
                if c == ' ' || c == '-' {
                    id.push('-');
                } else if c == '_' || c.is_alphanumeric() {
                    id.extend(c.to_lowercase());
                }
            }
        }
    }
    if id.is_empty() {
        id.push_str("heading");
    }
    id
}

/// `c` as GitHub-ASCII ids keep it: ASCII as it is, a Latin letter with an accent as the
/// letter (`é` → `e`), anything else dropped.
fn without_accent(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    // Hugo removes accents by decomposing (NFD) and dropping the marks; for the Latin
    // letters with accents that is the one ASCII letter transliteration gives.
    let ascii = deunicode::deunicode_char(c)?;
    let mut chars = ascii.chars();
    match (chars.next(), chars.next()) {
        (Some(letter), None) if letter.is_ascii_alphabetic() && c.is_alphabetic() => Some(letter),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_as_goldmark_makes_them() {
        let github = |s: &str| heading_id(s, HeadingIds::GitHub);
        assert_eq!(github("1.6.1 Definitions"), "161-definitions");
        assert_eq!(github("Many   spaces  here"), "many---spaces--here");
        assert_eq!(
            github("Special !\"#$%&(parens)=?´* chars"),
            "special-parens-chars"
        );
        assert_eq!(github("God is good: 神真美好"), "god-is-good-神真美好");
        assert_eq!(
            github("Under_score Trailing hyphen-"),
            "under_score-trailing-hyphen-"
        );
        assert_eq!(github("Nonbreaking\u{a0}Space"), "nonbreakingspace");
        assert_eq!(github("!!!"), "heading");
        assert_eq!(
            github("Using [Rust](https://www.rust-lang.org/) *fast*"),
            "using-rusthttpswwwrust-langorg-fast"
        );
        let ascii = |s: &str| heading_id(s, HeadingIds::GitHubAscii);
        assert_eq!(ascii("god is神真美好 good"), "god-is-good");
        assert_eq!(ascii("Resumé"), "resume");
        let blackfriday = |s: &str| heading_id(s, HeadingIds::Blackfriday);
        assert_eq!(
            blackfriday("Let's try this, shall we?"),
            "let-s-try-this-shall-we"
        );
        assert_eq!(blackfriday("1.6.1 Definitions"), "1-6-1-definitions");
    }

    #[test]
    fn config_folder_files_land_under_their_keys() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("hugo.toml", "title = \"Root\"\nuglyURLs = false\n");
        write(
            "config/_default/hugo.toml",
            "defaultContentLanguage = \"fr\"\n[permalinks]\nposts = \"/:year/:slug/\"\n",
        );
        write("config/_default/params.toml", "[params]\ncolor = \"red\"\n");
        write(
            "config/_default/menus.fr.yaml",
            "main:\n  - name: Accueil\n",
        );
        write(
            "config/_default/languages.fr.toml",
            "contentDir = \"content/fr\"\n",
        );
        write(
            "config/_default/languages.de.toml",
            "contentDir = \"content/de\"\n",
        );
        write("config/production/hugo.toml", "[uglyURLs]\nPosts = true\n");
        let bounds = Bounds::new(dir.path(), "the site folder").unwrap();
        let settings = Settings::load(dir.path(), &bounds).unwrap();
        assert_eq!(settings.config["title"], "Root");
        assert_eq!(settings.config["params"]["color"], "red");
        assert_eq!(
            settings.config["languages"]["fr"]["menus"]["main"][0]["name"],
            "Accueil"
        );
        assert_eq!(settings.language, "fr");
        assert_eq!(settings.content_dir, PathBuf::from("content/fr"));
        assert_eq!(
            settings.others,
            [OtherLanguage {
                code: "de".into(),
                content_dir: Some(PathBuf::from("content/de"))
            }]
        );
        assert_eq!(settings.permalinks["posts"], "/:year/:slug/");
        assert!(settings.ugly_urls.of("posts") && !settings.ugly_urls.of("news"));
        assert_eq!(
            settings.language_of(Path::new("a/post.fr.md")),
            FileLanguage::Imported {
                stem: "post".into()
            }
        );
        assert_eq!(
            settings.language_of(Path::new("a/post.DE.md")),
            FileLanguage::Other("de")
        );
        assert_eq!(
            settings.language_of(Path::new("a/v1.2.md")),
            FileLanguage::Imported {
                stem: "v1.2".into()
            }
        );
    }
}
