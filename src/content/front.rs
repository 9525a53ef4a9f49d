//! The home page's running order, decided once when the site is assembled: which stories
//! are pinned at the build's reference time, the lead, the tier of top stories, a block
//! per home section, and the river of everything else, page by page; and each section's
//! list with its pinned stories on top.
//!
//! Invariants: every article is on exactly one of the home pages — featured on the first
//! (lead, tier or a section block) or in the river — so no story shows twice on the
//! first page and none is skipped; pinned stories come first, newest first, on the home
//! page and on their section's first pages; all of it is a pure function of the site and
//! the reference time (a pin's expiry is a time the engine wakes at, as a scheduled
//! article's), and costs one pass over the articles, never one per section.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset};

use super::{Article, ContentError, Section};
use crate::config::Config;
use crate::location::Located;

/// How many top stories the tier under the lead holds.
pub const TIER: usize = 4;
/// How many of its newest stories a home section's block holds.
pub const BLOCK: usize = 4;

/// The home page's running order (indices into `Site::articles`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Front {
    /// Articles pinned at the reference time, newest first.
    pub pinned: Vec<usize>,
    /// The lead: the newest pinned story, else the newest with an image, else the newest.
    pub lead: Option<usize>,
    /// The other pinned stories, then the newest with an image, up to [`TIER`].
    pub tier: Vec<usize>,
    /// A block per home section that has stories left, in the configured order.
    pub blocks: Vec<Block>,
    /// Every article not featured above: pinned ones first, then newest first.
    pub river: Vec<usize>,
    /// The list of each section with a pinned story (pinned first), by section index;
    /// other sections list their articles as they are.
    section_lists: Vec<(usize, Vec<usize>)>,
}

/// One home section's block on the front page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Index into `Site::sections`.
    pub section: usize,
    /// Its newest stories not featured above, up to [`BLOCK`].
    pub articles: Vec<usize>,
}

/// When a pin ends: the articles pinned at `now` (all pinned ones when there is no
/// reference time, a `--future` preview), newest first, and the first moment one of them
/// stops being so.
pub fn pins(
    articles: &[Article],
    now: Option<DateTime<FixedOffset>>,
) -> (Vec<usize>, Option<DateTime<FixedOffset>>) {
    let holds = |a: &Article| match (a.pinned_until, now) {
        (Some(until), Some(now)) => until > now,
        _ => true,
    };
    let pinned: Vec<usize> = (0..articles.len())
        .filter(|&i| articles[i].pinned && holds(&articles[i]))
        .collect();
    let ends = now.and_then(|_| {
        pinned
            .iter()
            .filter_map(|&i| articles[i].pinned_until)
            .min()
    });
    (pinned, ends)
}

impl Front {
    /// The running order of an assembled site's `articles` (newest first) and `sections`,
    /// with the stories `pinned` (see [`pins`]) and the home sections `order` (indices
    /// into `sections`, see [`home_sections`]).
    pub fn of(
        articles: &[Article],
        sections: &[Section],
        pinned: Vec<usize>,
        order: &[usize],
    ) -> Front {
        let mut used = vec![false; articles.len()];
        // Pinned stories are placed first (lead, tier, then the river's top), so no block
        // takes one.
        for &i in &pinned {
            used[i] = true;
        }
        let with_image = |i: &usize| articles[*i].image.is_some();
        let lead = pinned
            .first()
            .copied()
            .or_else(|| (0..articles.len()).find(with_image))
            .or((!articles.is_empty()).then_some(0));
        if let Some(lead) = lead {
            used[lead] = true;
        }
        let mut tier: Vec<usize> = pinned.iter().skip(1).take(TIER).copied().collect();
        let fill = TIER - tier.len();
        let newest = (0..articles.len()).filter(|i| !used[*i] && with_image(i));
        tier.extend(newest.take(fill));
        for &i in &tier {
            used[i] = true;
        }
        // Each block looks at its own section's list, skipping what is featured: at most
        // as many looks as stories featured before it, never the whole site.
        let mut blocks = Vec::new();
        for &s in order {
            let chosen: Vec<usize> = sections[s]
                .articles
                .iter()
                .copied()
                .filter(|&i| !used[i])
                .take(BLOCK)
                .collect();
            for &i in &chosen {
                used[i] = true;
            }
            if !chosen.is_empty() {
                blocks.push(Block {
                    section: s,
                    articles: chosen,
                });
            }
        }
        let placed = |i: &usize| Some(*i) == lead || tier.contains(i);
        let mut river: Vec<usize> = pinned.iter().copied().filter(|i| !placed(i)).collect();
        river.extend((0..articles.len()).filter(|&i| !used[i]));
        let section_lists = pinned_lists(articles, sections, &pinned);
        Front {
            pinned,
            lead,
            tier,
            blocks,
            river,
            section_lists,
        }
    }

    /// How many home pages the river fills (at least one).
    pub fn page_count(&self, per_page: usize) -> usize {
        self.river.len().div_ceil(per_page).max(1)
    }

    /// The river's part on home page `number` (1-based).
    pub fn river_page(&self, number: usize, per_page: usize) -> &[usize] {
        self.river.chunks(per_page).nth(number - 1).unwrap_or(&[])
    }

    /// Every story home page `number` shows, in the home page's order (pinned first, then
    /// newest first): on the first, what it features and its part of the river; on the
    /// others, their part of the river. What a theme that lists the page's stories in one
    /// list (`paginator.items`) shows, so that none is left out.
    pub fn page(&self, number: usize, per_page: usize) -> Vec<usize> {
        let river = self.river_page(number, per_page);
        if number > 1 {
            return river.to_vec();
        }
        let mut all: Vec<usize> = self
            .lead
            .into_iter()
            .chain(self.tier.iter().copied())
            .collect();
        all.extend(self.blocks.iter().flat_map(|b| b.articles.iter().copied()));
        all.extend_from_slice(river);
        all.sort_by_key(|&i| (!is_pinned(&self.pinned, i), i));
        all
    }

    /// Section `s`'s list for its pages: its pinned stories first.
    pub fn section_list<'a>(&'a self, sections: &'a [Section], s: usize) -> &'a [usize] {
        match self.section_lists.binary_search_by_key(&s, |(k, _)| *k) {
            Ok(at) => &self.section_lists[at].1,
            Err(_) => &sections[s].articles,
        }
    }
}

/// Whether article `i` is among `pinned` (sorted, as articles are: newest first).
fn is_pinned(pinned: &[usize], i: usize) -> bool {
    pinned.binary_search(&i).is_ok()
}

/// Each section holding a pinned story, with its list pinned first.
fn pinned_lists(
    articles: &[Article],
    sections: &[Section],
    pinned: &[usize],
) -> Vec<(usize, Vec<usize>)> {
    let mut with_pins: Vec<usize> = pinned
        .iter()
        .filter_map(|&i| articles[i].section.as_ref().and_then(|l| l.index))
        .collect();
    with_pins.sort_unstable();
    with_pins.dedup();
    with_pins
        .into_iter()
        .map(|s| {
            let list = &sections[s].articles;
            let (mut first, rest): (Vec<usize>, Vec<usize>) =
                list.iter().partition(|&&i| is_pinned(pinned, i));
            first.extend(rest);
            (s, first)
        })
        .collect()
}

/// The sections the front page gives a block, in order: `[home] sections` as written
/// (a slug that is a folder of drafts or scheduled stories only has no block yet), else
/// every section in navigation order — by weight, then title, then slug. `known` holds the
/// section slugs of every article, published or not.
pub fn home_sections(
    config: &Config,
    sections: &[Section],
    known: &HashSet<String>,
) -> Result<Vec<usize>, ContentError> {
    let by_slug = |slug: &str| {
        sections
            .binary_search_by(|s| s.slug.as_str().cmp(slug))
            .ok()
    };
    let Some(written) = &config.home_sections else {
        let mut order: Vec<usize> = (0..sections.len()).collect();
        order.sort_by(|&a, &b| {
            let key = |s: &Section| (s.weight(), s.title.clone(), s.slug.clone());
            key(&sections[a]).cmp(&key(&sections[b]))
        });
        return Ok(order);
    };
    let mut order = Vec::with_capacity(written.len());
    for Located { text, location } in written {
        let invalid = |message: String| ContentError::Invalid {
            location: location.clone(),
            message,
        };
        match by_slug(text) {
            Some(s) if order.contains(&s) => {
                return Err(invalid(format!(
                    "`[home] sections` names the section {text:?} twice"
                )));
            }
            Some(s) => order.push(s),
            None if known.contains(text.as_str()) => {}
            None => {
                let mut names: Vec<&str> = sections.iter().map(|s| s.slug.as_str()).collect();
                names.sort_unstable();
                let have = if names.is_empty() {
                    "the site has none".to_string()
                } else {
                    format!("the site has {}", names.join(", "))
                };
                return Err(invalid(format!(
                    "`[home] sections` names {text:?}, which is no section (a top-level folder of the content, by its URL slug): {have}"
                )));
            }
        }
    }
    Ok(order)
}
