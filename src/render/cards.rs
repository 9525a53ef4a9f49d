//! Article cards: the theme's card template rendered once per article and render pass,
//! printed by every page that shows the article (as Hugo's `partialCached`).
//!
//! An article sits on a home page, its section's page and the pages of each of its tags
//! and authors: rendered there with an `{% include %}`, its card costs some six template
//! runs per build. A theme that has [`CARD_TEMPLATE`] and calls `card(item=…)` gets it
//! run once per article and printed from memory wherever it is called.
//!
//! Invariants: a card is rendered with `item` alone in its context, so it is the same on
//! every page and depends only on the article's value and the template (pages count the
//! template's version in their signatures). A page's cards are rendered before the page
//! (`Cards::prepare`), so `card()` only reads. Cards live as long as one render pass: the
//! next pass, with other values or another theme, starts empty; those of articles far
//! ahead of a sweep (`Shared::is_far`) live as long as one page.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

use super::{RenderError, Theme};
use crate::content::Site;

/// The template rendered once per article as its card.
pub const CARD_TEMPLATE: &str = "partials/story_card.html";

/// Where `card()` finds the cards of the pass under way (none between passes).
pub type Slot = Arc<RwLock<Option<Arc<Table>>>>;

/// Each article's URL (as its value's `url`) → its index in the site: made with the
/// shared values, once per site rather than per pass (a session's edit would otherwise
/// spend milliseconds on it).
pub type ArticleUrls = Arc<HashMap<String, usize>>;

/// Every article's URL, for [`Cards::new`].
pub fn article_urls(site: &Site) -> ArticleUrls {
    let base = site.config.base_url.as_str();
    let urls = site.articles.iter().map(|a| a.permalink.url(base));
    Arc::new(urls.enumerate().map(|(i, u)| (u, i)).collect())
}

/// The cards of one pass, by article.
pub struct Table {
    /// Article URL (as its value's `url`) → its index in the site.
    by_url: ArticleUrls,
    /// Parallel to the site's articles.
    cards: Vec<OnceLock<Value>>,
    /// How many cards were rendered (two threads may race to render one: both count).
    rendered: AtomicUsize,
}

thread_local! {
    /// The articles the page rendering on this thread shows (sorted): `card()` prints
    /// only theirs, so that whether a card prints never depends on which pages other
    /// threads rendered first.
    static SHOWN: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    /// The cards of the page rendering on this thread that are not kept in the table:
    /// those of articles far ahead of a sweep (see `Shared::is_far`), from
    /// `Cards::prepare` to `Cards::page_done`.
    static PASSING: RefCell<Vec<(usize, Value)>> = const { RefCell::new(Vec::new()) };
}

/// Registers `card(item=…)`, which prints an article's card from the pass's table.
pub fn register(tera: &mut Tera, slot: Slot) {
    tera.register_function("card", move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
        let item = kwargs.must_get::<Value>("item")?;
        let Some(url) = item.get_from_path("url").and_then(Value::as_str) else {
            return Err(tera::Error::message(
                "card(item=…) takes an article's value".to_string(),
            ));
        };
        let table = slot.read().expect("never poisoned: writers do not panic");
        let Some(table) = table.as_ref() else {
            return Err(tera::Error::message(format!(
                "card() prints {CARD_TEMPLATE}, which the theme does not have"
            )));
        };
        let shown = |i: &usize| SHOWN.with(|s| s.borrow().binary_search(i).is_ok());
        let card = table.by_url.get(url).filter(|i| shown(i)).and_then(|&i| {
            let passing = || PASSING.with_borrow(|p| p.iter().find(|(j, _)| *j == i).cloned());
            table.cards[i].get().cloned().or_else(|| passing().map(|(_, c)| c))
        });
        card.ok_or_else(|| {
            tera::Error::message(format!(
                "card(item=…) prints the cards of the articles a page lists (`paginator.items`, `front`, `related`, `previous`, `next`), not of {url}"
            ))
        })
    });
}

/// The cards of one render pass, each rendered when a page first needs it. Installed in
/// the theme's slot while it lives.
pub struct Cards {
    table: Option<Arc<Table>>,
    slot: Slot,
}

impl Cards {
    /// Room for the cards of the articles at `urls` (see [`article_urls`]), if `theme`
    /// prints cards.
    pub fn new(theme: &Theme, urls: &ArticleUrls) -> Cards {
        let table = theme.prints_cards().then(|| {
            Arc::new(Table {
                cards: (0..urls.len()).map(|_| OnceLock::new()).collect(),
                by_url: urls.clone(),
                rendered: AtomicUsize::new(0),
            })
        });
        let slot = theme.card_slot();
        *slot.write().expect("never poisoned: writers do not panic") = table.clone();
        Cards { table, slot }
    }

    /// Renders the cards of `articles` not rendered yet, and lets `card()` print theirs
    /// alone on this thread: called before each page renders, so that `card()` only
    /// reads. The cards of articles `far` ahead of a sweep are kept for this page alone.
    pub fn prepare(
        &self,
        theme: &Theme,
        value: impl Fn(usize) -> Value,
        articles: &[usize],
        name: impl Fn(usize) -> String,
        far: impl Fn(usize) -> bool,
    ) -> Result<(), RenderError> {
        let Some(table) = &self.table else {
            return Ok(());
        };
        SHOWN.with(|shown| {
            let mut shown = shown.borrow_mut();
            shown.clear();
            shown.extend_from_slice(articles);
            shown.sort_unstable();
        });
        PASSING.with_borrow_mut(Vec::clear);
        for &i in articles {
            let in_passing = || PASSING.with_borrow(|p| p.iter().any(|(j, _)| *j == i));
            if table.cards[i].get().is_some() || (far(i) && in_passing()) {
                continue;
            }
            let mut context = Context::new();
            context.insert_value("item", value(i));
            let card = theme.tera.render(CARD_TEMPLATE, &context).map_err(|e| {
                let rendering = format!("the card of {}", name(i));
                let error = RenderError::template(&e, &theme.sources, Some(&rendering));
                theme.place_unplaced(error, CARD_TEMPLATE)
            })?;
            table.rendered.fetch_add(1, Ordering::Relaxed);
            let card = Value::safe_string(&card);
            if far(i) {
                PASSING.with_borrow_mut(|p| p.push((i, card)));
                continue;
            }
            // Another thread may have rendered the same card meanwhile: the same bytes.
            let _ = table.cards[i].set(card);
        }
        Ok(())
    }

    /// Lets go of the cards made for the page just rendered on this thread alone (see
    /// [`Cards::prepare`]).
    pub fn page_done(&self) {
        PASSING.with_borrow_mut(Vec::clear);
    }

    /// Forgets the cards of the articles before `key` for which `keep` says no, between
    /// two parts of a pass (see `Shared::forget_passed`, whose rule this follows): no
    /// page renders meanwhile, so the table is this pass's alone. A card needed again is
    /// rendered again.
    pub fn forget_passed(&mut self, key: usize, keep: impl Fn(usize) -> bool) {
        let Some(table) = self.table.as_mut() else {
            return;
        };
        // The slot's copy goes while the table is changed, and comes back after.
        *self
            .slot
            .write()
            .expect("never poisoned: writers do not panic") = None;
        if let Some(table) = Arc::get_mut(table) {
            let passed = key.saturating_sub(1).min(table.cards.len());
            for (i, card) in table.cards[..passed].iter_mut().enumerate() {
                if !keep(i) {
                    card.take();
                }
            }
        }
        *self
            .slot
            .write()
            .expect("never poisoned: writers do not panic") = Some(table.clone());
    }

    /// How many cards this pass rendered so far.
    pub fn rendered(&self) -> usize {
        self.table
            .as_ref()
            .map_or(0, |t| t.rendered.load(Ordering::Relaxed))
    }
}

impl Drop for Cards {
    fn drop(&mut self) {
        if let Ok(mut slot) = self.slot.write() {
            *slot = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::SitePaths;

    fn article(title: &str, url: &str) -> Value {
        let mut map = tera::Map::new();
        map.insert("title".into(), Value::from(title));
        map.insert("url".into(), Value::from(url));
        Value::from(map)
    }

    #[test]
    fn each_card_is_rendered_once_per_pass_and_only_read_by_card() {
        let site = tempfile::tempdir().unwrap();
        let templates = site.path().join("templates");
        std::fs::create_dir_all(templates.join("partials")).unwrap();
        std::fs::write(
            templates.join("partials/story_card.html"),
            "<b>{{ item.title }}</b>",
        )
        .unwrap();
        std::fs::write(templates.join("probe.html"), "[{{ card(item=item) }}]").unwrap();
        let paths = SitePaths::with_defaults(site.path());
        let theme = Theme::load(&paths, crate::config::DEFAULT_THEME).unwrap();
        assert!(theme.prints_cards());
        let values = [
            article("A & B", "https://x.org/a/"),
            article("C", "https://x.org/c/"),
            article("E", "https://x.org/e/"),
            article("G", "https://x.org/g/"),
        ];
        let probe = |item: &Value| {
            let mut context = Context::new();
            context.insert_value("item", item.clone());
            theme.tera.render("probe.html", &context)
        };
        let urls = values.iter().enumerate().map(|(i, v)| {
            let url = v.get_from_path("url").and_then(Value::as_str).unwrap();
            (url.to_string(), i)
        });
        let cards = Cards::new(&theme, &Arc::new(urls.collect()));
        let name = |i: usize| format!("article {i}");
        let frame =
            "\n --> probe.html:1:5\n  |\n1 | [{{ card(item=item) }}]\n  |     ^^^^^^^^^^^^^^^";
        cards
            .prepare(&theme, |i| values[i].clone(), &[1, 0], name, |_| false)
            .unwrap();
        cards
            .prepare(&theme, |i| values[i].clone(), &[0, 1, 0], name, |_| false)
            .unwrap();
        assert_eq!(cards.rendered(), 2);
        assert_eq!(probe(&values[0]).unwrap(), "[<b>A &amp; B</b>]");
        // A card rendered for another page is not this page's to print.
        cards
            .prepare(&theme, |i| values[i].clone(), &[1], name, |_| false)
            .unwrap();
        assert_eq!(cards.rendered(), 2);
        let not_shown = format!(
            "error: card(item=…) prints the cards of the articles a page lists (`paginator.items`, `front`, `related`, `previous`, `next`), not of https://x.org/a/{frame}"
        );
        assert_eq!(probe(&values[0]).unwrap_err().to_string(), not_shown);
        assert_eq!(probe(&values[1]).unwrap(), "[<b>C</b>]");
        let stranger = article("D", "https://x.org/d/");
        assert_eq!(
            probe(&stranger).unwrap_err().to_string(),
            format!(
                "error: card(item=…) prints the cards of the articles a page lists (`paginator.items`, `front`, `related`, `previous`, `next`), not of https://x.org/d/{frame}"
            )
        );
        // The card of an article far ahead is printed by the page it was rendered for
        // alone, and rendered again for the next; one kept is printed from the table.
        let far = |i: usize| i != 1;
        cards
            .prepare(&theme, |i| values[i].clone(), &[1, 2], name, far)
            .unwrap();
        assert_eq!(cards.rendered(), 3);
        assert_eq!(probe(&values[2]).unwrap(), "[<b>E</b>]");
        // Two far cards on one page, one listed twice: each printed as its own, once made.
        let again = |i: usize| match i {
            2 => article("E, again", "https://x.org/e/"),
            3 => article("G, again", "https://x.org/g/"),
            _ => values[i].clone(),
        };
        cards
            .prepare(&theme, again, &[3, 2, 3], name, |i| i >= 2)
            .unwrap();
        assert_eq!(cards.rendered(), 5);
        assert_eq!(probe(&values[2]).unwrap(), "[<b>E, again</b>]");
        assert_eq!(probe(&values[3]).unwrap(), "[<b>G, again</b>]");
        cards.page_done();
        assert_eq!(
            probe(&values[2]).unwrap_err().to_string(),
            not_shown.replace("https://x.org/a/", "https://x.org/e/")
        );
        let renamed = [
            values[0].clone(),
            values[1].clone(),
            article("E, renamed", "https://x.org/e/"),
        ];
        cards
            .prepare(&theme, |i| renamed[i].clone(), &[2, 1], name, far)
            .unwrap();
        assert_eq!(cards.rendered(), 6, "a card kept is not rendered again");
        assert_eq!(probe(&values[2]).unwrap(), "[<b>E, renamed</b>]");
        assert_eq!(probe(&values[1]).unwrap(), "[<b>C</b>]");
        cards
            .prepare(&theme, |i| values[i].clone(), &[1], name, far)
            .unwrap();
        let not_shown_e = not_shown.replace("https://x.org/a/", "https://x.org/e/");
        assert_eq!(probe(&values[2]).unwrap_err().to_string(), not_shown_e);
        // Between passes there are no cards to print.
        drop(cards);
        assert_eq!(
            probe(&values[0]).unwrap_err().to_string(),
            format!(
                "error: card() prints partials/story_card.html, which the theme does not have{frame}"
            )
        );
    }
}
