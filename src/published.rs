//! Published URLs never break. The build record keeps every article URL the site has
//! published (with the file that had it); a URL that is gone, which no article and no
//! alias answers any more, is a warning in `build` and a problem in `check`, naming the URL
//! and the file that used to have it, until an alias takes it in.
//!
//! Invariant: a gone URL stays in the record (and so in every warning and check) until
//! something answers it again; a build never forgets it on its own.

use std::collections::BTreeMap;

use crate::content::Site;

/// The URLs (paths below the site root, `old-story/` or `2014/11/24/x.html`) a site
/// answers for its articles, each with the file that has it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published(BTreeMap<String, String>);

/// A URL that was published and is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gone {
    pub path: String,
    /// The file that had it.
    pub source: String,
}

impl std::fmt::Display for Gone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: /{} was published and is gone; add \"/{}\" to the `aliases` of the article that replaces it",
            self.source, self.path, self.path
        )
    }
}

impl Published {
    /// What `site` answers: its articles' URLs and their aliases. Drafts (in a preview
    /// built with `--drafts`) were never published.
    pub fn of(site: &Site) -> Published {
        let mut urls = BTreeMap::new();
        for article in site.articles.iter().filter(|a| !a.draft) {
            let source = article.source.display().to_string();
            urls.insert(article.permalink.path().to_string(), source.clone());
            for alias in &article.aliases {
                let path = alias.strip_suffix("index.html").unwrap_or(alias);
                urls.insert(path.to_string(), source.clone());
            }
        }
        Published(urls)
    }

    pub fn from_record(entries: &[(String, String)]) -> Published {
        Published(entries.iter().cloned().collect())
    }

    pub fn to_record(&self) -> Vec<(String, String)> {
        self.0.iter().map(|(p, s)| (p.clone(), s.clone())).collect()
    }

    /// What `self` published and `now` no longer answers.
    pub fn gone(&self, now: &Published) -> Vec<Gone> {
        self.0
            .iter()
            .filter(|(path, _)| !now.0.contains_key(*path))
            .map(|(path, source)| Gone {
                path: path.clone(),
                source: source.clone(),
            })
            .collect()
    }

    /// `now`, and what of `self` is gone: what the next build must still answer for.
    pub fn carried_into(&self, now: Published) -> Published {
        let mut urls = now.0;
        for (path, source) in &self.0 {
            urls.entry(path.clone()).or_insert_with(|| source.clone());
        }
        Published(urls)
    }
}
