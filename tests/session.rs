//! Incremental rebuilds (the engine of `watch` and `serve`) against clean full builds:
//! after every step of a long pseudo-random sequence of edits, additions, renames and
//! deletions of articles, profiles, templates and static files, the incrementally updated
//! output (search index included: the sites have search on) must equal a fresh build of
//! the same sources, byte for byte.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::TestSite;
use gazette::engine::{Changes, Engine};
use gazette::pipeline::{self, BuildOptions, Holder};

/// A small deterministic generator (xorshift), so failures replay.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const AUTHORS: &[&str] = &["Ann Lee", "Bo Chen", "Cy Diaz", "Di Eve"];
const TAGS: &[&str] = &["Rust", "Chips", "Cloud", "AI", "Phones", "Policy"];
/// Where an article's file goes: the top of the content folder, or a section's folder.
const FOLDERS: &[&str] = &["", "", "reviews/", "desk/"];
/// The site's permalink patterns the sequence switches between.
const PATTERNS: &[&str] = &[
    "",
    "permalink = \"/:section/:slug/\"\n",
    "permalink = \"/:year/:month/:slug/\"\n",
];

fn article_text(rng: &mut Rng, title: &str) -> String {
    let day = 1 + rng.below(28);
    let authors: BTreeSet<&str> = (0..rng.below(3)).map(|_| rng.pick(AUTHORS)).collect();
    let tags: BTreeSet<&str> = (0..rng.below(4)).map(|_| rng.pick(TAGS)).collect();
    let quoted = |set: BTreeSet<&str>| {
        set.iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let draft = rng.below(10) == 0;
    // Pinned now and then, which moves it to the top of the home and section pages (its
    // pin's end, past or not, never ends it in a session publishing everything).
    let pinned = match rng.below(8) {
        0 => "pinned = true\n".to_string(),
        1 => format!(
            "pinned = true\npinned_until = 2024-0{}-01\n",
            1 + rng.below(5)
        ),
        _ => String::new(),
    };
    // Old URLs now and then (random enough never to collide).
    let aliases = match rng.below(6) {
        0 => format!("aliases = [\"/was/{}/\"]\n", rng.next() % 1_000_000),
        _ => String::new(),
    };
    // "Read more" lines naming other stories, which lead to them while they have that title.
    let read_more = match rng.below(3) {
        0 => String::new(),
        _ => format!(
            "\n[extra]\nrelated = [\"Story {}\", \"Edited {}\"]\n",
            rng.below(12),
            rng.below(100)
        ),
    };
    // Now and then a breaking story, whose banner is on every page.
    let breaking = match rng.below(8) {
        0 => "breaking = true\n",
        1 => "breaking = true\nbreaking_until = 2999-01-01\n",
        _ => "",
    };
    format!(
        "+++\ntitle = \"{title}\"\ndate = 2024-02-{day:02}T{:02}:00:00Z\nauthors = [{}]\ntags = [{}]\ndraft = {draft}\n{breaking}{pinned}{aliases}{read_more}+++\nParagraph {} about {title}.\n\n## Section\n\nMore [text](other/) here.\n",
        rng.below(24),
        quoted(authors),
        quoted(tags),
        rng.next() % 1000,
    )
}

/// A session building `site` into its `public/`, as `gazette watch` would.
fn session_over(site: &TestSite) -> Engine {
    Engine::new(BuildOptions {
        root: site.path().to_path_buf(),
        output: Some(site.path().join("public")),
        holder: Holder::Session,
        ..Default::default()
    })
}

/// A session building `site` into `output`: named on the command line when it is
/// `public`, else where config.toml puts it.
fn session_in(site: &TestSite, output: &str) -> Engine {
    if output == "public" {
        return session_over(site);
    }
    Engine::new(BuildOptions {
        root: site.path().to_path_buf(),
        holder: Holder::Session,
        ..Default::default()
    })
}

fn build_fresh(site: &TestSite) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let _ = std::fs::remove_dir_all(site.path().join("fresh"));
    pipeline::build(&BuildOptions {
        root: site.path().to_path_buf(),
        output: Some(site.path().join("fresh")),
        ..Default::default()
    })
    .expect("a full build of the same sources");
    site.tree("fresh")
}

/// Runs `steps` random changes through one engine over a site whose content and output
/// live in `content` and `output` (set in its config.toml unless they are the defaults),
/// comparing the output with a fresh build after each.
fn random_changes_match_full_builds(content: &str, output: &str, steps: usize, seed: u64) {
    let folders = if content == "content" {
        String::new()
    } else {
        format!("content_dir = \"{content}\"\noutput_dir = \"{output}\"\n")
    };
    let config = |pattern: &str| {
        format!(
            "{}paginate_by = 3\nfeed_limit = 4\n{folders}{pattern}\n[search]\nenabled = true\n\n[home]\naliases = [\"/blog/\"]\nrss_aliases = [\"/feed/\"]\n",
            common::CONFIG
        )
    };
    let site = TestSite::with_config(&config(""));
    let mut rng = Rng(seed);
    // Files below the content folder, without `.md`: `story-3` or `reviews/story-4`.
    let mut slugs: Vec<String> = Vec::new();
    for n in 0..12 {
        let slug = format!("{}story-{n}", rng.pick(FOLDERS));
        site.write(
            &format!("{content}/{slug}.md"),
            article_text(&mut rng, &format!("Story {n}")),
        );
        slugs.push(slug);
    }
    site.write(
        &format!("{content}/authors/ann-lee.md"),
        "+++\nname = \"Ann Lee\"\n+++\nAnn's bio.\n",
    );
    let mut session = session_in(&site, output);
    let first = session.update(&Changes::default()).unwrap();
    assert!(first.full);
    assert_eq!(site.tree(output), build_fresh(&site));

    let mut next_id = 12;
    let mut partial_rebuilds = 0;
    for step in 0..steps {
        let mut changes = Changes::default();
        let path_of = |slug: &str| site.path().join(format!("{content}/{slug}.md"));
        let what = match rng.below(16) {
            0..=2 if !slugs.is_empty() => {
                let slug = slugs[rng.below(slugs.len())].clone();
                let title = format!("Edited {}", rng.next() % 100);
                site.write(
                    &format!("{content}/{slug}.md"),
                    article_text(&mut rng, &title),
                );
                changes.content.insert(path_of(&slug));
                format!("edit {slug}")
            }
            9 if !slugs.is_empty() => {
                // Body and title only: the article keeps its place everywhere.
                let slug = slugs[rng.below(slugs.len())].clone();
                let path = format!("{content}/{slug}.md");
                let text = site.read(&path);
                let (front, _) = text.rsplit_once("+++\n").unwrap();
                let front = if rng.below(2) == 0 {
                    front.replacen("title = \"", "title = \"Re: ", 1)
                } else {
                    front.to_string()
                };
                site.write(
                    &path,
                    format!("{front}+++\nNew body {}.\n", rng.next() % 1000),
                );
                changes.content.insert(path_of(&slug));
                format!("body of {slug}")
            }
            3 => {
                let slug = format!("{}story-{next_id}", rng.pick(FOLDERS));
                next_id += 1;
                site.write(
                    &format!("{content}/{slug}.md"),
                    article_text(&mut rng, &format!("New {slug}")),
                );
                changes.content.insert(path_of(&slug));
                slugs.push(slug.clone());
                format!("add {slug}")
            }
            4 if slugs.len() > 2 => {
                let slug = slugs.remove(rng.below(slugs.len()));
                site.remove(&format!("{content}/{slug}.md"));
                changes.content.insert(path_of(&slug));
                format!("delete {slug}")
            }
            5 if !slugs.is_empty() => {
                let i = rng.below(slugs.len());
                // Now and then into or out of a section.
                let new = format!("{}story-{next_id}", rng.pick(FOLDERS));
                let old = std::mem::replace(&mut slugs[i], new);
                next_id += 1;
                std::fs::create_dir_all(path_of(&slugs[i]).parent().unwrap()).unwrap();
                std::fs::rename(path_of(&old), path_of(&slugs[i])).unwrap();
                changes.content.insert(path_of(&old));
                changes.content.insert(path_of(&slugs[i]));
                format!("rename {old} to {}", slugs[i])
            }
            6 => {
                let name = rng.pick(AUTHORS);
                let file = format!(
                    "{content}/authors/{}.md",
                    name.to_lowercase().replace(' ', "-")
                );
                if site.exists(&file) && rng.below(2) == 0 {
                    site.remove(&file);
                } else {
                    // Now and then with old URLs of the author's page and feed.
                    let slug = name.to_lowercase().replace(' ', "-");
                    let aliases = match rng.below(2) {
                        0 => format!(
                            "aliases = [\"/author/{slug}/\"]\natom_aliases = [\"/author/{slug}/feed/\"]\n"
                        ),
                        _ => String::new(),
                    };
                    site.write(
                        &file,
                        format!(
                            "+++\nname = \"{name}\"\n{aliases}+++\nBio {}.\n",
                            rng.next() % 100
                        ),
                    );
                }
                changes.content.insert(site.path().join(&file));
                format!("profile {file}")
            }
            7 => {
                if site.exists("templates/article.html") && rng.below(2) == 0 {
                    site.remove("templates/article.html");
                } else {
                    site.write(
                        "templates/article.html",
                        format!(
                            "{{% extends \"base.html\" %}}{{% block content %}}<h1>{{{{ article.title }}}}</h1>v{}{{% endblock content %}}",
                            rng.next() % 100
                        ),
                    );
                }
                changes.theme = true;
                "template".to_string()
            }
            8 => {
                if site.exists("static/extra.css") && rng.below(2) == 0 {
                    site.remove("static/extra.css");
                } else {
                    site.write(
                        "static/extra.css",
                        format!("a {{ color: #{:03x} }}", rng.next() % 4096),
                    );
                }
                changes.theme = true;
                "static file".to_string()
            }
            10 => {
                site.write(
                    "templates/partials/byline.html",
                    format!(
                        "<p class=\"byline\">{{{{ item.date_display }}}} {}</p>",
                        rng.next() % 100
                    ),
                );
                changes.theme = true;
                "partial template".to_string()
            }
            11 => {
                let folder = rng.pick(&["reviews", "desk"]);
                let file = format!("{content}/{folder}/_index.md");
                if site.exists(&file) && rng.below(2) == 0 {
                    site.remove(&file);
                } else {
                    site.write(
                        &file,
                        format!(
                            "+++\ntitle = \"Desk {}\"\nweight = {}\n{}+++\nAbout [this](/tags/).\n",
                            rng.next() % 100,
                            rng.below(3),
                            // Now and then with old URLs of the section's list and feed.
                            match rng.below(2) {
                                0 => format!(
                                    "aliases = [\"/category/{folder}/\"]\nrss_aliases = [\"/category/{folder}/feed/\"]\n"
                                ),
                                _ => String::new(),
                            }
                        ),
                    );
                }
                changes.content.insert(site.path().join(&file));
                format!("section index {file}")
            }
            12 => {
                let pattern = rng.pick(PATTERNS);
                site.write("config.toml", config(pattern));
                changes.config = true;
                format!("pattern {pattern:?}")
            }
            13 => {
                // An article that is a folder, its lead image replaced by one of another
                // size (or the article made, or its image dropped).
                let index = format!("{content}/pics/index.md");
                let hero = format!("{content}/pics/hero.png");
                let width = 8 + rng.below(40) as u32;
                let picture =
                    image::RgbImage::from_fn(width, 10, |x, _| image::Rgb([x as u8, 1, 2]));
                let mut bytes = std::io::Cursor::new(Vec::new());
                picture
                    .write_to(&mut bytes, image::ImageFormat::Png)
                    .unwrap();
                site.write(&hero, bytes.into_inner());
                changes.content_other.insert(site.path().join(&hero));
                if !site.exists(&index) || rng.below(3) == 0 {
                    let image = if rng.below(3) == 0 {
                        String::new()
                    } else {
                        "image = \"hero.png\"\nimage_alt = \"Pics\"\n".to_string()
                    };
                    site.write(
                        &index,
                        format!("+++\ntitle = \"Pics\"\ndate = 2024-02-0{}T12:00:00Z\n{image}+++\nInline ![a](hero.png).\n", 1 + rng.below(9)),
                    );
                    changes.content.insert(site.path().join(&index));
                }
                format!("image {width} px")
            }
            14 => {
                // A page: added, edited (its date, own path, alias, draft state and links
                // to articles and pages changing), or deleted.
                let n = rng.below(4);
                let file = format!("{content}/pages/page-{n}.md");
                if site.exists(&file) && rng.below(3) == 0 {
                    site.remove(&file);
                } else {
                    let mut front = format!("title = \"Page {n} v{}\"\n", rng.next() % 100);
                    if rng.below(2) == 0 {
                        front.push_str(&format!("date = 2024-03-0{}\n", 1 + rng.below(9)));
                    }
                    if rng.below(3) == 0 {
                        front.push_str(&format!("path = \"/info/page-{n}/\"\n"));
                    }
                    if rng.below(3) == 0 {
                        front.push_str(&format!("aliases = [\"/old-page-{n}.html\"]\n"));
                    }
                    if rng.below(5) == 0 {
                        front.push_str("draft = true\n");
                    }
                    let article = slugs.first().map_or("x".to_string(), |s| s.clone());
                    site.write(
                        &file,
                        format!(
                            "+++\n{front}+++\nSee [a story](@/{article}.md) and [page 0](@/pages/page-0.md).\n"
                        ),
                    );
                }
                changes.content.insert(site.path().join(&file));
                format!("page {file}")
            }
            _ => "nothing".to_string(),
        };
        let report = session
            .update(&changes)
            .unwrap_or_else(|e| panic!("step {step} ({what}): {e}"));
        if !report.full && report.rendered < 40 {
            partial_rebuilds += 1;
        }
        let incremental = site.tree(output);
        let fresh = build_fresh(&site);
        assert_eq!(
            incremental.keys().collect::<Vec<_>>(),
            fresh.keys().collect::<Vec<_>>(),
            "step {step} ({what}): same files"
        );
        for (path, bytes) in &fresh {
            assert!(
                incremental[path] == *bytes,
                "step {step} ({what}): {} differs:\n--- incremental\n{}\n--- fresh\n{}",
                path.display(),
                String::from_utf8_lossy(&incremental[path]),
                String::from_utf8_lossy(bytes)
            );
        }
    }
    assert!(
        partial_rebuilds > 30,
        "most rebuilds render a few pages, not the whole site ({partial_rebuilds})"
    );
}

#[test]
fn incremental_rebuilds_equal_full_builds_after_random_changes() {
    random_changes_match_full_builds("content", "public", 160, 0x9E37_79B9_7F4A_7C15);
}

#[test]
fn the_same_holds_with_configured_folders() {
    random_changes_match_full_builds("articles", "site", 60, 0x2545_F491_4F6C_DD1D);
}

#[test]
fn the_front_page_follows_pins_and_counts_in_a_session() {
    let site = TestSite::with_config(&format!("{}paginate_by = 3\n", common::CONFIG));
    for day in 1..=5 {
        site.story(
            &format!("s{day}"),
            &format!("Story {day}"),
            &format!("2024-01-0{day}"),
        );
    }
    site.write(
        "templates/index.html",
        "{{ paginator.total_items }} {% if front.lead %}{{ front.lead.slug }}{% endif %}:{% for a in front.river %} {{ a.slug }}{% endfor %}",
    );
    let mut session = session_over(&site);
    session.update(&Changes::default()).unwrap();
    assert_eq!(site.read("public/index.html"), "5 s5: s4 s3 s2");
    let changed = |files: &[&str]| Changes {
        content: files.iter().map(|f| site.path().join(f)).collect(),
        ..Default::default()
    };
    // An older story joins the last page of the river, which keeps its number of pages:
    // the first page shows only the count's change.
    site.story("s0", "Story 0", "2023-12-31");
    session.update(&changed(&["content/s0.md"])).unwrap();
    assert_eq!(site.read("public/index.html"), "6 s5: s4 s3 s2");
    // Pinned in an edit that keeps everything else, a story leads.
    site.article(
        "s2",
        "title = \"Story 2\"\ndate = 2024-01-02\npinned = true",
        "Some text.",
    );
    session.update(&changed(&["content/s2.md"])).unwrap();
    assert_eq!(site.read("public/index.html"), "6 s2: s5 s4 s3");
    assert_eq!(site.tree("public"), build_fresh(&site));
}

/// A home section and a tag's old URLs named by drafts alone are named rightly in a
/// session too: taking the site apart for an edit (a pin, which reorders the front page)
/// keeps what the drafts left out of it name, and a deleted draft takes its names away.
#[test]
fn what_drafts_alone_name_stays_named_when_the_site_is_assembled_again() {
    let site = TestSite::with_config(&format!(
        "{}[home]\nsections = [\"news\", \"drafty\"]\n[tags.rare]\naliases = [\"/old-rare/\"]\n",
        common::CONFIG
    ));
    site.write(
        "content/news/n1.md",
        "+++\ntitle = \"One\"\ndate = 2024-01-01\n+++\nText.\n",
    )
    .write(
        "content/news/n2.md",
        "+++\ntitle = \"Two\"\ndate = 2024-01-02\n+++\nText.\n",
    )
    .write(
        "content/drafty/d.md",
        "+++\ntitle = \"Draft\"\ndate = 2024-01-03\ndraft = true\ntags = [\"Rare\"]\n+++\nText.\n",
    );
    let mut session = session_over(&site);
    session.update(&Changes::default()).unwrap();
    let changed = |file: &str| Changes {
        content: [site.path().join(file)].into(),
        ..Default::default()
    };
    site.write(
        "content/news/n1.md",
        "+++\ntitle = \"One\"\ndate = 2024-01-01\npinned = true\n+++\nText.\n",
    );
    session.update(&changed("content/news/n1.md")).unwrap();
    assert_eq!(site.tree("public"), build_fresh(&site));
    // Without the draft, its tag is no tag of the site, as a fresh build says too.
    site.remove("content/drafty/d.md");
    let error = session
        .update(&changed("content/drafty/d.md"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        format!(
            "{}: `[tags.rare]` gives old URLs of the tag `rare`, which no article has: \
             tag an article with it, or remove the table",
            site.path().join("config.toml:6:12").display()
        )
    );
}

#[test]
fn an_edit_re_renders_only_the_pages_that_show_the_article() {
    let site = TestSite::with_config(&format!("{}paginate_by = 2\n", common::CONFIG));
    for day in 1..=9 {
        site.article(
            &format!("s{day}"),
            &format!(
                "title = \"Story {day}\"\ndate = 2024-01-0{day}\ntags = [\"{}\"]",
                if day % 2 == 0 { "Even" } else { "Odd" }
            ),
            "Text.",
        );
    }
    let mut session = session_over(&site);
    session.update(&Changes::default()).unwrap();
    site.article(
        "s5",
        "title = \"Story 5\"\ndate = 2024-01-05\ntags = [\"Odd\"]",
        "New text.",
    );
    let report = session
        .update(&Changes {
            content: [site.path().join("content/s5.md")].into(),
            ..Default::default()
        })
        .unwrap();
    // s5's page, its neighbours s4 and s6, home page 3, tag "Odd" page 2, the site's
    // and the tag's three feeds (Atom, RSS; JSON for the site), and the four articles
    // that list it as related (s1, s3, s7 and s9 share its tag).
    assert_eq!(report.rendered, 14, "{report:?}");
    assert!(!report.full);
    assert!(site.read("public/s5/index.html").contains("New text."));
}

#[test]
fn a_session_edit_counts_only_the_edited_article_into_the_search_index() {
    let site = TestSite::with_config(&format!("{}[search]\nenabled = true\n", common::CONFIG));
    for day in 1..=9 {
        site.article(
            &format!("s{day}"),
            &format!("title = \"Story {day}\"\ndate = 2024-01-0{day}"),
            "Text of the story.",
        );
    }
    let mut session = session_over(&site);
    session.update(&Changes::default()).unwrap();
    let mut edit = |text: &str| {
        site.article("s5", "title = \"Story 5\"\ndate = 2024-01-05", text);
        session
            .update(&Changes {
                content: [site.path().join("content/s5.md")].into(),
                ..Default::default()
            })
            .unwrap()
            .search_counted
    };
    // The first edit makes the part (all nine articles) and keeps its tables; the next
    // ones count the edited article alone.
    assert_eq!(edit("A zeppelin story."), 9);
    assert_eq!(edit("A quasar story."), 1);
    assert_eq!(edit("A walrus story."), 1);
    let served = site.tree("public");
    let fresh = build_fresh(&site);
    let search = |tree: &std::collections::BTreeMap<PathBuf, Vec<u8>>| {
        tree.iter()
            .filter(|(p, _)| p.starts_with("search"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(search(&served), search(&fresh));
    assert!(!search(&fresh).is_empty());
}

#[test]
fn a_broken_file_fails_the_rebuild_keeps_the_output_and_recovers_when_fixed() {
    let site = TestSite::new();
    site.story("one", "One", "2024-01-01");
    let mut session = session_over(&site);
    session.update(&Changes::default()).unwrap();
    let good = site.tree("public");
    let one = site.path().join("content/one.md");

    site.write("content/one.md", "+++\ntitle = \"One\"\ndate = nope\n+++\n");
    site.story("two", "Two", "2024-01-02");
    let changes = Changes {
        content: [one.clone(), site.path().join("content/two.md")].into(),
        ..Default::default()
    };
    let err = session.update(&changes).unwrap_err().to_string();
    assert!(err.contains("one.md:3:"), "{err}");
    assert_eq!(good, site.tree("public"), "nothing written");

    // Fixing one.md alone also brings in two.md, whose change is still pending.
    site.story("one", "One fixed", "2024-01-01");
    session
        .update(&Changes {
            content: [one].into(),
            ..Default::default()
        })
        .unwrap();
    assert!(site.read("public/one/index.html").contains("One fixed"));
    assert!(site.exists("public/two/index.html"));

    site.write("templates/article.html", "{% if %}");
    let err = session
        .update(&Changes {
            theme: true,
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("templates/article.html:1:"), "{err}");
    site.remove("templates/article.html");
    session
        .update(&Changes {
            theme: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(site.tree("public"), build_fresh(&site));
}

#[test]
fn an_edit_in_place_that_leads_out_of_the_site_fails_the_update() {
    let site = TestSite::new();
    site.story("one", "One", "2024-01-01");
    let mut session = session_over(&site);
    session.update(&Changes::default()).unwrap();
    let good = site.tree("public");
    let one = site.path().join("content/one.md");
    let edit = |body: &str| {
        site.article("one", "title = \"One\"\ndate = 2024-01-01", body);
        Changes {
            content: [one.clone()].into(),
            ..Default::default()
        }
    };
    let err = session
        .update(&edit("![x](../../secret.png)"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "{}:5:6: \"../../secret.png\" leaves the site: from the article's URL /one/ it goes up past the site's root; link a path from the root (/images/x.jpg) or one that stays inside",
            one.display()
        )
    );
    assert_eq!(good, site.tree("public"), "nothing written");
    session.update(&edit("![x](../secret.png)")).unwrap();
    assert_eq!(site.tree("public"), build_fresh(&site));
}

#[test]
fn a_moved_article_updates_the_articles_that_link_to_it_by_file() {
    let site = TestSite::new();
    site.article(
        "one",
        "title = \"One\"\ndate = 2024-01-01",
        "Read [two](@/two.md).",
    );
    site.article("two", "title = \"Two\"\ndate = 2024-01-02", "Text.");
    let mut session = session_over(&site);
    session.update(&Changes::default()).unwrap();
    assert!(
        site.read("public/one/index.html")
            .contains("https://example.org/two/")
    );
    site.article(
        "two",
        "title = \"Two\"\ndate = 2024-01-02\nslug = \"moved\"",
        "Text.",
    );
    session
        .update(&Changes {
            content: [site.path().join("content/two.md")].into(),
            ..Default::default()
        })
        .unwrap();
    assert!(
        site.read("public/one/index.html")
            .contains("https://example.org/moved/")
    );
    assert_eq!(site.tree("public"), build_fresh(&site));
    // An edit in place of the linking article keeps the link resolved.
    site.article(
        "one",
        "title = \"One\"\ndate = 2024-01-01",
        "Still [two](@/two.md).",
    );
    session
        .update(&Changes {
            content: [site.path().join("content/one.md")].into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(site.tree("public"), build_fresh(&site));
}

#[test]
fn a_feed_template_taking_up_the_escaped_html_gets_it_at_the_next_rebuild() {
    let site = TestSite::new();
    site.article(
        "one",
        "title = \"One\"\ndate = 2024-01-01",
        "<b>Bold</b> text.",
    );
    let mut session = session_over(&site);
    session.update(&Changes::default()).unwrap();
    let theme_changed = Changes {
        theme: true,
        ..Default::default()
    };
    // Feed items made for a theme without `content_xml` lack it: they must not be reused.
    site.write(
        "templates/rss.xml",
        "<rss>{% for item in items %}<x>{{ item.content_xml }}</x>{% endfor %}</rss>",
    );
    session.update(&theme_changed).unwrap();
    assert!(
        site.read("public/rss.xml")
            .contains("&lt;b&gt;Bold&lt;/b&gt;")
    );
    assert_eq!(site.tree("public"), build_fresh(&site));
    site.remove("templates/rss.xml");
    session.update(&theme_changed).unwrap();
    assert_eq!(site.tree("public"), build_fresh(&site));
}

#[test]
fn only_a_folder_the_site_reads_from_going_away_reloads_everything() {
    let site = TestSite::new();
    site.article("top", "title = \"Top\"\ndate = 2024-01-01", "Top.");
    site.write(
        "content/desk/inside.md",
        "+++\ntitle = \"Inside\"\ndate = 2024-01-02\n+++\nInside.\n",
    );
    let mut session = session_over(&site);
    session.update(&Changes::default()).unwrap();
    let other = |relative: &str| Changes {
        content_other: [site.path().join(relative)].into(),
        ..Default::default()
    };
    // An editor's temporary file is not a folder of the site's.
    let report = session
        .update(&other("content/top.md___jb_tmp___"))
        .unwrap();
    assert!(!report.full, "{report:?}");
    std::fs::remove_dir_all(site.path().join("content/desk")).unwrap();
    let report = session.update(&other("content/desk")).unwrap();
    assert!(report.full, "{report:?}");
    assert!(!site.exists("public/inside/index.html"));
    assert_eq!(site.tree("public"), build_fresh(&site));
}

/// A session over two stories whose first is rewritten with each of `front_matter` (extra
/// lines) in turn: after every update the output equals a fresh build. Returns both.
fn each_rewrite_of_one_equals_a_fresh_build(front_matter: &[&str]) -> (TestSite, Engine) {
    let site = TestSite::new();
    site.story("one", "One", "2024-01-01");
    site.story("two", "Two", "2024-01-02");
    let mut session = session_over(&site);
    session.update(&Changes::default()).unwrap();
    let one = site.path().join("content/one.md");
    for lines in front_matter {
        site.article(
            "one",
            &format!("title = \"One\"\ndate = 2024-01-01\n{lines}"),
            "Some text.",
        );
        session
            .update(&Changes {
                content: [one.clone()].into(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(site.tree("public"), build_fresh(&site), "{lines}");
    }
    (site, session)
}

#[test]
fn a_new_or_changed_alias_is_followed_incrementally() {
    each_rewrite_of_one_equals_a_fresh_build(&[
        "aliases = [\"/was/one/\"]",
        "aliases = [\"/was/uno/\", \"/old.html\"]",
        // An alias with a query puts the lookup script in every page, and takes it out.
        "aliases = [\"/?p=12\"]",
        "aliases = [\"/?p=12\", \"/?page_id=3\"]",
        "aliases = []",
    ]);
}

#[test]
fn a_changed_path_or_permalink_pattern_is_followed_incrementally() {
    let (site, mut session) = each_rewrite_of_one_equals_a_fresh_build(&[
        "path = \"/desk/first/\"",
        "path = \"/desk/again/\"",
        "",
    ]);
    site.write(
        "config.toml",
        format!("{}permalink = \"/:year/:slug/\"\n", common::CONFIG),
    );
    session
        .update(&Changes {
            config: true,
            ..Default::default()
        })
        .unwrap();
    assert!(site.exists("public/2024/two/index.html"));
    assert_eq!(site.tree("public"), build_fresh(&site));
}

#[test]
fn a_replaced_image_is_processed_again_and_its_pages_follow() {
    let site = TestSite::new();
    let picture = |width: u32| {
        let image = image::RgbImage::from_fn(width, 100, |x, _| image::Rgb([x as u8, 0, 0]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
        bytes.into_inner()
    };
    site.write("content/shot/hero.png", picture(600));
    site.write(
        "content/shot/index.md",
        "+++\ntitle = \"Shot\"\ndate = 2024-01-01\nimage = \"hero.png\"\nimage_alt = \"A shot\"\n+++\nText ![inline](hero.png).\n",
    );
    site.story("other", "Other", "2024-01-02");
    let mut session = session_over(&site);
    session.update(&Changes::default()).unwrap();
    assert!(
        site.read("public/shot/index.html")
            .contains("width=\"600\"")
    );
    // The image alone changes (as a watcher reports a file that is not Markdown).
    site.write("content/shot/hero.png", picture(300));
    let update = session
        .update(&Changes {
            content_other: [site.path().join("content/shot/hero.png")].into(),
            ..Default::default()
        })
        .unwrap();
    assert!(!update.full && update.images_made == 2, "{update:?}");
    let page = site.read("public/shot/index.html");
    assert!(
        page.contains("width=\"300\"") && !page.contains("width=\"600\""),
        "{page}"
    );
    assert_eq!(site.tree("public"), build_fresh(&site));
    // A new file beside the article is published at the next update, like the others.
    site.write("content/shot/data.csv", "a,b\n");
    session
        .update(&Changes {
            content_other: [site.path().join("content/shot/data.csv")].into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(site.read("public/shot/data.csv"), "a,b\n");
    assert_eq!(site.tree("public"), build_fresh(&site));
}

#[test]
fn an_image_that_cannot_be_made_fails_every_update_until_it_is_fixed() {
    let site = TestSite::new();
    site.write("content/shot/hero.png", common::damaged_png(40, 20));
    site.write(
        "content/shot/index.md",
        "+++\ntitle = \"Shot\"\ndate = 2024-01-01\nimage = \"hero.png\"\nimage_alt = \"A shot\"\n+++\nText.\n",
    );
    let mut session = session_over(&site);
    let first = session.update(&Changes::default()).unwrap_err().to_string();
    assert!(first.contains("hero.png is damaged"), "{first}");
    // An edit elsewhere does not publish the site without the variants.
    site.article(
        "shot/index",
        "title = \"Shot\"\ndate = 2024-01-01\nimage = \"hero.png\"\nimage_alt = \"A shot\"",
        "New text.",
    );
    let again = session
        .update(&Changes {
            content: [site.path().join("content/shot/index.md")].into(),
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
    assert!(again.contains("hero.png is damaged"), "{again}");
    let picture = image::RgbImage::from_fn(40, 20, |x, _| image::Rgb([x as u8, 9, 9]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Png)
        .unwrap();
    site.write("content/shot/hero.png", bytes.into_inner());
    session
        .update(&Changes {
            content_other: [site.path().join("content/shot/hero.png")].into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(site.tree("public"), build_fresh(&site));
}

#[test]
fn a_breaking_banner_follows_edits_incrementally() {
    let (site, mut session) = each_rewrite_of_one_equals_a_fresh_build(&[
        "breaking = true",
        "breaking = true\n[[corrections]]\ndate = 2024-01-03\ntext = \"Fixed.\"",
        "breaking = true\nbreaking_until = 2999-01-01",
        "breaking = false",
    ]);
    // A breaking story's new title is in every page's banner.
    let one = site.path().join("content/one.md");
    for title in ["One", "One, updated"] {
        site.article(
            "one",
            &format!("title = \"{title}\"\ndate = 2024-01-01\nbreaking = true"),
            "Some text.",
        );
        session
            .update(&Changes {
                content: [one.clone()].into(),
                ..Default::default()
            })
            .unwrap();
        assert!(
            site.read("public/two/index.html")
                .contains(&format!(">{title}</a></p></div>"))
        );
        assert_eq!(site.tree("public"), build_fresh(&site), "{title}");
    }
}

#[test]
fn a_breaking_banner_comes_down_in_a_session_when_it_ends() {
    let site = TestSite::new();
    let until = chrono::Utc::now() + chrono::Duration::seconds(3);
    site.article(
        "quake",
        &format!(
            "title = \"Quake\"\ndate = 2024-01-01\nbreaking = true\nbreaking_until = {}",
            until.format("%Y-%m-%dT%H:%M:%SZ")
        ),
        "Text.",
    );
    site.story("calm", "Calm", "2024-01-02");
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        output: Some(site.path().join("public")),
        holder: Holder::Session,
        reference: pipeline::Reference::Clock,
        ..Default::default()
    };
    let mut session = Engine::new(options.clone());
    session.update(&Changes::default()).unwrap();
    assert!(
        site.read("public/calm/index.html")
            .contains("class=\"breaking\"")
    );
    let due = session
        .next_due()
        .expect("the banner's end is when the site changes");
    let wait = due
        .duration_since(std::time::SystemTime::now())
        .unwrap_or_default();
    assert!(wait <= std::time::Duration::from_secs(4), "{wait:?}");
    std::thread::sleep(wait + std::time::Duration::from_millis(200));
    session
        .update(&Changes {
            due: true,
            ..Default::default()
        })
        .unwrap();
    assert!(
        !site
            .read("public/calm/index.html")
            .contains("class=\"breaking\"")
    );
    assert_eq!(session.next_due(), None);
    drop(session);
    let _ = std::fs::remove_dir_all(site.path().join("fresh"));
    pipeline::build(&BuildOptions {
        output: Some(site.path().join("fresh")),
        holder: Holder::Build,
        ..options
    })
    .unwrap();
    assert_eq!(site.tree("public"), site.tree("fresh"));
}

/// A build skipped because nothing changed reports the scheduled articles the build it
/// repeats left out (it reported none: the count was not in the build record).
#[test]
fn a_skipped_build_reports_the_scheduled_articles_left_out() {
    let site = TestSite::new();
    site.story("past", "Past", "2024-01-01");
    site.story("soon", "Soon", "2030-06-01T09:00:00Z");
    // As if written a minute ago: the build cache ignores inputs younger than that.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for entry in walkdir::WalkDir::new(site.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            std::fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
    }
    // 2030-01-01T00:00:00Z, as SOURCE_DATE_EPOCH=1893456000 sets it.
    let reference = chrono::DateTime::from_timestamp(1_893_456_000, 0).unwrap();
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        reference: pipeline::Reference::Fixed(reference.fixed_offset()),
        ..Default::default()
    };
    let first = pipeline::build(&options).unwrap();
    assert!(!first.cached);
    assert_eq!((first.articles, first.scheduled), (1, 1));
    let again = pipeline::build(&options).unwrap();
    assert!(again.cached, "nothing changed: the build is skipped");
    assert_eq!((again.articles, again.scheduled), (1, 1));
}
