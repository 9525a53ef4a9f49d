//! `gazette build` on fixture sites: the pages a reader sees.

mod common;

use common::{TestSite, links};

fn three_articles() -> TestSite {
    let site = TestSite::new();
    site.article(
        "first",
        "title = \"First story\"\ndate = 2024-01-01\nauthors = [\"Ann Lee\"]\ntags = [\"Rust\"]",
        "The first paragraph.\n\nMore text here.",
    );
    site.article(
        "second",
        "title = \"Second story\"\ndate = 2024-01-02T10:00:00Z\nauthors = [\"Ann Lee\", \"Bo Chen\"]\ntags = [\"Rust\", \"Chips\"]\ndescription = \"A described story.\"",
        "## Heading\n\nBody.\n\n```rust\nfn main() {}\n```",
    );
    site.article(
        "third",
        "title = \"Third story\"\ndate = 2024-01-03\ntags = [\"Chips\"]",
        "Third body.",
    );
    site.write(
        "content/authors/ann-lee.md",
        "+++\nname = \"Ann Lee\"\n+++\nAnn writes about *systems*.\n",
    );
    site
}

#[test]
fn a_config_and_content_folder_is_a_complete_site() {
    let site = three_articles();
    site.build();
    for page in [
        "public/index.html",
        "public/first/index.html",
        "public/second/index.html",
        "public/third/index.html",
        "public/authors/index.html",
        "public/authors/ann-lee/index.html",
        "public/authors/bo-chen/index.html",
        "public/tags/index.html",
        "public/tags/rust/index.html",
        "public/tags/chips/index.html",
        "public/404.html",
        "public/robots.txt",
        "public/sitemap.xml",
        "public/style.css",
    ] {
        assert!(site.exists(page), "{page} is missing");
    }
}

#[test]
fn home_page_lists_newest_first_with_dates_authors_and_summaries() {
    let site = three_articles();
    site.build();
    let home = site.read("public/index.html");
    let third = home.find("Third story").unwrap();
    let second = home.find("Second story").unwrap();
    let first = home.find("First story").unwrap();
    assert!(third < second && second < first, "newest first");
    assert!(
        home.contains("A described story."),
        "description is the summary"
    );
    assert!(
        home.contains("The first paragraph."),
        "first paragraph is the summary"
    );
    assert!(home.contains("2 January 2024"));
    assert!(home.contains("href=\"https://example.org/authors/bo-chen/\""));
}

#[test]
fn article_page_links_authors_tags_and_neighbours() {
    let site = three_articles();
    site.build();
    let page = site.read("public/second/index.html");
    assert!(page.contains("<h1>Second story</h1>"));
    assert!(
        page.contains("<h2 id=\"heading\">Heading</h2>"),
        "heading ids"
    );
    assert!(page.contains("class=\"hl-"), "highlighted code");
    assert!(page.contains("min read"));
    let hrefs = links(&page);
    for href in [
        "https://example.org/authors/ann-lee/",
        "https://example.org/authors/bo-chen/",
        "https://example.org/tags/rust/",
        "https://example.org/tags/chips/",
        "https://example.org/first/",
        "https://example.org/third/",
    ] {
        assert!(
            hrefs.iter().any(|h| h == href),
            "{href} not linked from {hrefs:?}"
        );
    }
    let newest = site.read("public/third/index.html");
    assert!(newest.contains("rel=\"prev\" href=\"https://example.org/second/\""));
    assert!(
        !newest.contains("rel=\"next\""),
        "the newest article has no next"
    );
}

#[test]
fn author_and_tag_pages_show_bios_counts_and_articles() {
    let site = three_articles();
    let run = site.build();
    let ann = site.read("public/authors/ann-lee/index.html");
    assert!(ann.contains("Ann writes about <em>systems</em>."));
    assert!(
        ann.contains("First story") && ann.contains("Second story") && !ann.contains("Third story")
    );
    let authors = site.read("public/authors/index.html");
    assert!(authors.contains("Ann Lee</a> <span class=\"count\">2 articles"));
    assert!(authors.contains("Bo Chen</a> <span class=\"count\">1 article<"));
    assert!(
        run.stderr().contains("warning: ") && run.stderr().contains("\"Bo Chen\" has no profile")
    );
    let tags = site.read("public/tags/index.html");
    assert!(tags.contains("Chips</a> <span class=\"count\">2<"));
    let chips = site.read("public/tags/chips/index.html");
    assert!(
        chips.contains("Third story")
            && chips.contains("Second story")
            && !chips.contains("First story")
    );
}

#[test]
fn lists_are_paginated() {
    let site = TestSite::with_config(&format!("{}paginate_by = 10\n", common::CONFIG));
    for day in 1..=25 {
        site.article(
            &format!("story-{day:02}"),
            &format!("title = \"Story {day:02}\"\ndate = 2024-03-{day:02}\ntags = [\"All\"]\nauthors = [\"Ann Lee\"]"),
            "Text.",
        );
    }
    site.build();
    // The front page leads with the newest story; ten more are the first page of the
    // river of latest news, which the further pages continue.
    let page1 = site.read("public/index.html");
    assert!(
        page1.contains("Story 25") && page1.contains("Story 15") && !page1.contains("Story 14")
    );
    assert!(page1.contains("href=\"https://example.org/page/2/\""));
    let page2 = site.read("public/page/2/index.html");
    assert!(
        page2.contains("Story 14")
            && page2.contains("Story 05")
            && !page2.contains("Story 04")
            && !page2.contains("Story 15")
    );
    assert!(page2.contains("rel=\"prev\" href=\"https://example.org/\""));
    let page3 = site.read("public/page/3/index.html");
    assert!(page3.contains("Story 01") && !page3.contains("rel=\"next\""));
    assert!(!site.exists("public/page/4/index.html"));
    assert!(site.exists("public/tags/all/page/3/index.html"));
    assert!(site.exists("public/authors/ann-lee/page/3/index.html"));
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/page/3/</loc>"));
}

#[test]
fn base_url_with_a_path_prefix_is_used_for_every_link() {
    let site = three_articles();
    site.write(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org/news\"\n",
    );
    site.build();
    for page in [
        "public/index.html",
        "public/second/index.html",
        "public/tags/rust/index.html",
    ] {
        for href in links(&site.read(page)) {
            assert!(
                href.starts_with("https://example.org/news/") || href.starts_with('#'),
                "{page}: {href}"
            );
        }
    }
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://example.org/news/sitemap.xml")
    );
}

#[test]
fn command_line_overrides_output_and_base_url() {
    let site = three_articles();
    site.run(&[
        "build",
        "--output",
        "elsewhere",
        "--base-url",
        "https://preview.example.net/x/",
    ])
    .success();
    assert!(!site.exists("public"));
    assert!(
        site.read("elsewhere/first/index.html")
            .contains("https://preview.example.net/x/tags/rust/")
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = three_articles();
    site.article(
        "draft",
        "title = \"Secret draft\"\ndate = 2024-05-01\ndraft = true",
        "Not yet.",
    );
    site.build();
    assert!(!site.exists("public/draft/index.html"));
    assert!(!site.read("public/index.html").contains("Secret draft"));
    site.run(&["build", "--drafts"]).success();
    assert!(site.read("public/index.html").contains("Secret draft"));
}

#[test]
fn site_templates_override_theme_templates_and_static_files_are_copied() {
    let site = three_articles();
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"custom\">{{ article.title | upper }}</p>{% endblock content %}",
    );
    site.write("static/img/logo.svg", "<svg></svg>");
    site.build();
    let page = site.read("public/first/index.html");
    assert!(page.contains("<p id=\"custom\">FIRST STORY</p>"), "{page}");
    assert!(
        page.contains("<!DOCTYPE html>"),
        "still extends the theme's base.html"
    );
    assert_eq!(site.read("public/img/logo.svg"), "<svg></svg>");
}

#[test]
fn a_theme_folder_replaces_the_built_in_theme() {
    let site = TestSite::with_config(&format!("{}theme = \"plain\"\n", common::CONFIG));
    site.story("one", "One", "2024-01-01");
    for name in [
        "index", "article", "author", "authors", "tag", "tags", "404",
    ] {
        site.write(
            &format!("themes/plain/templates/{name}.html"),
            format!("{name}:{{{{ site.title }}}}"),
        );
    }
    site.build();
    assert_eq!(site.read("public/one/index.html"), "article:Test News");
    assert!(
        !site.exists("public/style.css"),
        "the built-in theme's files stay out"
    );
    assert!(
        site.read("public/atom.xml").contains("<title>One</title>"),
        "a theme without feed templates gets the built-in ones"
    );
}

#[test]
fn builds_are_deterministic_and_deleted_articles_disappear() {
    let site = three_articles();
    site.build();
    let first = site.tree("public");
    site.build();
    assert_eq!(first, site.tree("public"), "same input, same bytes");
    site.remove("content/third.md");
    site.build();
    assert!(!site.exists("public/third/index.html"));
    assert!(!site.read("public/sitemap.xml").contains("/third/"));
}

#[test]
fn sitemap_and_robots() {
    let site = three_articles();
    site.build();
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://example.org/second/</loc>\n    <lastmod>2024-01-02T10:00:00Z</lastmod>"
    ));
    assert!(sitemap.contains("<loc>https://example.org/authors/ann-lee/</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/tags/</loc>"));
    // Home, three articles, the two indexes, two authors, two tags.
    assert_eq!(sitemap.matches("<url>").count(), 1 + 3 + 2 + 2 + 2);
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
}

#[test]
fn transliterated_slugs() {
    let site = TestSite::new();
    site.article(
        "Zürich 优酷",
        "title = \"Zürich\"\ndate = 2024-01-01\ntags = [\"Café Society\"]",
        "Text.",
    );
    site.build();
    assert!(site.exists("public/zurich-you-ku/index.html"));
    assert!(site.exists("public/tags/cafe-society/index.html"));
}

#[test]
fn help_and_usage_errors() {
    let site = TestSite::new();
    let help = site.run(&["build", "--help"]).success();
    assert!(help.stdout().contains("--base-url"));
    let bad = site.run(&["build", "--no-such-flag"]);
    assert_eq!(bad.output.status.code(), Some(1));
}

/// Modification times of every file below `relative`.
fn mtimes(site: &TestSite, relative: &str) -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
    walkdir::WalkDir::new(site.path().join(relative))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_rebuild_of_unchanged_content_writes_nothing() {
    let site = three_articles();
    site.build();
    let before = mtimes(&site, "public");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = site.build();
    assert!(run.stdout().contains("(0 written, "), "{}", run.stdout());
    assert_eq!(before, mtimes(&site, "public"), "no file was rewritten");
}

#[test]
fn a_rebuild_over_previous_output_equals_a_fresh_build() {
    let site = three_articles();
    site.write("static/notes/old.txt", "a static file that will go");
    site.write("static/rust", "a file where a folder will be needed");
    site.build();
    // Edit, add, delete, retag, restyle; a folder replaces a file and a file a folder.
    site.article(
        "first",
        "title = \"First story, revised\"\ndate = 2024-01-05\nauthors = [\"Cy Diaz\"]\ntags = [\"Rust\", \"New tag\"]",
        "Rewritten.",
    );
    site.story("fourth", "Fourth story", "2024-01-04");
    site.remove("content/third.md");
    std::fs::remove_dir_all(site.path().join("static/notes")).unwrap();
    site.remove("static/rust");
    site.write("static/notes", "now a file");
    site.article(
        "rust",
        "title = \"Rust\"\ndate = 2023-01-01",
        "Takes the folder.",
    );
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}Gone{% endblock content %}",
    );
    let run = site.build();
    assert!(!run.stdout().contains("(0 written, "), "{}", run.stdout());
    let updated = site.tree("public");

    site.run(&["build", "--output", "fresh"]).success();
    let fresh = site.tree("fresh");
    assert_eq!(
        updated.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>(),
        "same files"
    );
    assert!(updated == fresh, "same bytes in every file");
    assert!(!site.exists("public/third/index.html"));
    assert_eq!(site.read("public/notes"), "now a file");
}

#[test]
fn timings_name_each_stage() {
    let site = three_articles();
    let run = site.run(&["build", "--timings"]).success();
    for stage in [
        "import",
        "load content",
        "render and compare/write",
        "commit",
    ] {
        assert!(run.stderr().contains(stage), "{}", run.stderr());
    }
    assert!(
        !site.build().stderr().contains(" ms  "),
        "quiet without --timings"
    );
}

/// Makes every file of the site look as if written a minute ago, so the build cache,
/// which ignores inputs younger than a couple of seconds, may record them.
fn settle(site: &TestSite) {
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for entry in walkdir::WalkDir::new(site.path()) {
        let entry = entry.unwrap();
        // Not the output, nor the spare copy kept beside it, whose files are the output's.
        let built = ["public", ".public.gazette-spare"]
            .iter()
            .any(|o| entry.path().starts_with(site.path().join(o)));
        if entry.file_type().is_file() && !built {
            std::fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
    }
}

#[test]
fn an_unchanged_site_is_not_rebuilt_but_any_change_is_seen() {
    let site = three_articles();
    settle(&site);
    site.build();
    let built = site.tree("public");
    let run = site.build();
    assert!(run.stdout().contains("is up to date"), "{}", run.stdout());
    assert!(
        run.stderr().contains("bo-chen.md"),
        "warnings are repeated: {}",
        run.stderr()
    );
    assert_eq!(built, site.tree("public"));

    // Output touched by hand: a full build puts it back.
    site.remove("public/first/index.html");
    site.write("public/stray.html", "stray");
    let run = site.build();
    assert!(!run.stdout().contains("is up to date"), "{}", run.stdout());
    assert_eq!(built, site.tree("public"));

    // An input changed, or an option: rebuilt.
    site.story("fourth", "Fourth story", "2024-01-04");
    settle(&site);
    assert!(!site.build().stdout().contains("is up to date"));
    assert!(site.exists("public/fourth/index.html"));
    assert!(site.build().stdout().contains("is up to date"));
    let run = site
        .run(&["build", "--base-url", "https://preview.example.org/"])
        .success();
    assert!(!run.stdout().contains("is up to date"), "{}", run.stdout());
    assert!(
        site.read("public/index.html")
            .contains("https://preview.example.org/fourth/")
    );
}

/// The line of `--timings` counting what the content cache gave.
fn content_cache_line(run: &common::Run) -> String {
    let stderr = run.stderr();
    let line = stderr
        .lines()
        .find(|l| l.starts_with("articles and pages: "));
    line.unwrap_or_else(|| panic!("no content cache line in {stderr}"))
        .to_string()
}

/// The line of `--timings` counting the articles whose template value was built.
fn values_line(run: &common::Run) -> String {
    let stderr = run.stderr();
    let line = stderr.lines().find(|l| l.starts_with("template values: "));
    line.unwrap_or_else(|| panic!("no template values line in {stderr}"))
        .to_string()
}

#[test]
fn a_build_after_an_edit_builds_the_values_of_the_articles_its_pages_show() {
    let config = format!("{}paginate_by = 2\nfeed_limit = 2\n", common::CONFIG);
    let site = TestSite::with_config(&config);
    for day in 1..=8 {
        site.article(
            &format!("s{day}"),
            &format!("title = \"Story {day}\"\ndate = 2024-01-0{day}\ntags = [\"Tag {day}\"]"),
            "Text.",
        );
    }
    settle(&site);
    let run = site.run(&["build", "--timings"]).success();
    assert_eq!(values_line(&run), "template values: 8 of 8 articles");
    site.article(
        "s1",
        "title = \"Story 1\"\ndate = 2024-01-01\ntags = [\"Tag 1\"]",
        "Text, corrected.",
    );
    site.touch("content/s1.md", 1_700_000_000);
    let run = site.run(&["build", "--timings"]).success();
    // The oldest story's page, its tag's page and feed and the last home page show it;
    // the next story's page links it (and so renders again, showing the story after).
    assert_eq!(values_line(&run), "template values: 3 of 8 articles");
    assert!(site.read("public/s1/index.html").contains("corrected"));
    site.run(&["build", "--output", "fresh"]).success();
    assert!(
        site.tree("public") == site.tree("fresh"),
        "the same bytes as a fresh build"
    );
}

#[test]
fn a_build_after_an_edit_parses_only_the_edited_file() {
    let site = three_articles();
    settle(&site);
    let run = site.run(&["build", "--timings"]).success();
    assert_eq!(
        content_cache_line(&run),
        "articles and pages: 0 from the content cache, 3 parsed"
    );
    site.article(
        "third",
        "title = \"Third story\"\ndate = 2024-01-03\ntags = [\"Chips\"]",
        "Third body, corrected.",
    );
    // Settled alone: the others keep their stamps.
    site.touch("content/third.md", 1_700_000_000);
    let run = site.run(&["build", "--timings"]).success();
    assert_eq!(
        content_cache_line(&run),
        "articles and pages: 2 from the content cache, 1 parsed"
    );
    assert!(site.read("public/third/index.html").contains("corrected"));
    let run = site.run(&["build", "--timings", "--no-cache"]).success();
    assert_eq!(
        content_cache_line(&run),
        "articles and pages: 0 from the content cache, 3 parsed"
    );
    site.run(&["build", "--output", "fresh"]).success();
    assert!(
        site.tree("public") == site.tree("fresh"),
        "the same bytes as a fresh build"
    );
}

/// The number of pages a build's summary line says it rendered.
fn pages_rendered(stdout: &str) -> usize {
    let (before, _) = stdout
        .split_once(" pages rendered)")
        .unwrap_or_else(|| panic!("no page count in {stdout}"));
    before.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn a_rebuild_renders_only_the_pages_an_edit_touches() {
    let site = three_articles();
    let first = site.build();
    let all = pages_rendered(&first.stdout());
    assert!(all > 20, "{}", first.stdout());

    // An input changed but no page's inputs did: nothing is rendered, nothing written.
    site.write("config.toml", site.read("config.toml"));
    let run = site.build();
    assert_eq!(pages_rendered(&run.stdout()), 0, "{}", run.stdout());
    assert!(run.stdout().contains("(0 written, "), "{}", run.stdout());
    // Unless asked to ignore the cache: then every page, though none differs.
    let run = site.run(&["build", "--no-cache"]).success();
    assert_eq!(pages_rendered(&run.stdout()), all, "{}", run.stdout());
    assert!(run.stdout().contains("(0 written, "), "{}", run.stdout());

    // One article's body: its page and the pages listing it, not the others.
    site.article(
        "third",
        "title = \"Third story\"\ndate = 2024-01-03\ntags = [\"Chips\"]",
        "Third body, corrected.",
    );
    let run = site.build();
    let rendered = pages_rendered(&run.stdout());
    assert!(0 < rendered && rendered < all / 2, "{}", run.stdout());
    assert!(site.read("public/third/index.html").contains("corrected"));
    assert!(site.read("public/atom.xml").contains("corrected"));

    site.run(&["build", "--output", "fresh"]).success();
    assert!(
        site.tree("public") == site.tree("fresh"),
        "the same bytes as a fresh build"
    );
}

#[test]
fn a_new_article_leaves_the_pages_that_do_not_show_it_alone() {
    let site = three_articles();
    // Her feeds are empty, so dated by the site's newest article: they change too.
    site.write(
        "content/authors/dee-idle.md",
        "+++\nname = \"Dee Idle\"\n+++\nNo stories yet.\n",
    );
    let all = pages_rendered(&site.build().stdout());
    site.story("fourth", "Fourth story", "2024-01-04");
    let run = site.build();
    // Its page, its neighbour's, the lists and feeds; not the first two stories' pages
    // (every page, were the site's article count part of each page's signature).
    let rendered = pages_rendered(&run.stdout());
    assert!(rendered < all, "{rendered} of {all}");
    site.run(&["build", "--output", "fresh"]).success();
    assert!(site.tree("public") == site.tree("fresh"));

    // A template that shows the site's counts is rendered again whenever they change.
    site.write("templates/404.html", "{{ site.article_count }} articles");
    site.build();
    assert_eq!(site.read("public/404.html"), "4 articles");
    site.story("fifth", "Fifth story", "2024-01-05");
    site.build();
    assert_eq!(site.read("public/404.html"), "5 articles");
}

#[test]
fn pages_changed_by_hand_in_the_output_are_rendered_again() {
    let site = three_articles();
    site.build();
    let built = site.tree("public");
    site.write("public/first/index.html", "edited by hand");
    site.story("fourth", "Fourth story", "2024-01-04");
    site.remove("content/fourth.md");
    let run = site.build();
    assert!(pages_rendered(&run.stdout()) > 20, "{}", run.stdout());
    assert_eq!(built, site.tree("public"));
}

/// Makes every folder of the output look as if last changed a minute ago.
fn settle_output(site: &TestSite) {
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for entry in walkdir::WalkDir::new(site.path().join("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_dir() {
            std::fs::File::open(entry.path())
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
    }
}

#[test]
fn files_added_to_the_output_go_even_when_its_layout_was_recorded() {
    let site = three_articles();
    settle(&site);
    site.build();
    settle_output(&site);
    // An edit: a full build, which records the output's (settled) folders.
    site.story("first", "First story, edited", "2024-01-01");
    settle(&site);
    site.build();
    let record = site.read(".public.gazette-cache");
    assert!(!record.contains("layout none"), "{record}");
    let built = site.tree("public");
    // Inputs touched but the same output: nothing written, and the layout kept.
    settle(&site);
    let run = site.build();
    assert!(run.stdout().contains("0 written"), "{}", run.stdout());
    // The spare kept beside the output is now the output the build replaced, which
    // differs from it nowhere: its lines change, the output's do not.
    let but_inputs = |record: &str| {
        record
            .lines()
            .filter(|l| {
                !["inputs ", "spare ", "differs "]
                    .iter()
                    .any(|k| l.starts_with(k))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        but_inputs(&site.read(".public.gazette-cache")),
        but_inputs(&record)
    );

    // Something added beside the site's files, in folders the last build wrote into and
    // in one it did not, deep and at the top, then another edit: the recorded layout no
    // longer matches, so the build looks for stale files.
    site.write("public/first/stray.html", "stray");
    site.write("public/third/stray.html", "stray");
    site.write("public/extra/deeper/stray.txt", "stray");
    site.story("first", "First story, edited again", "2024-01-01");
    settle(&site);
    let run = site.build();
    assert!(run.stdout().contains("3 removed"), "{}", run.stdout());
    assert!(!site.exists("public/first/stray.html"));
    assert!(!site.exists("public/third/stray.html"));
    assert!(!site.exists("public/extra"));
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        site.tree("public").keys().collect::<Vec<_>>()
    );
}

#[test]
fn scheduled_articles_wait_for_their_date_unless_future() {
    let site = TestSite::new();
    site.story("past", "Past", "2024-01-01");
    site.story("soon", "Soon", "2030-06-01T09:00:00Z");
    // SOURCE_DATE_EPOCH sets the reference time: 2030-01-01T00:00:00Z.
    let run = site
        .command(&["build"])
        .env("SOURCE_DATE_EPOCH", "1893456000")
        .run()
        .success();
    assert!(
        run.stdout().contains("left out 1 scheduled"),
        "{}",
        run.stdout()
    );
    assert!(!site.exists("public/soon/index.html"));
    assert!(!site.read("public/atom.xml").contains("Soon"));

    let later = site
        .command(&["build"])
        .env("SOURCE_DATE_EPOCH", "1924992000") // 2031
        .run()
        .success();
    assert!(!later.stdout().contains("scheduled"), "{}", later.stdout());
    assert!(site.exists("public/soon/index.html"));

    site.command(&["build", "--future"])
        .env("SOURCE_DATE_EPOCH", "1893456000")
        .run()
        .success();
    assert!(site.exists("public/soon/index.html"));

    // By the clock, 2030 is still to come.
    site.build();
    assert!(!site.exists("public/soon/index.html"));

    let bad = site
        .command(&["build"])
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .run()
        .failure();
    assert!(bad.contains("SOURCE_DATE_EPOCH"), "{bad}");
}

#[test]
fn a_pin_holds_until_its_end_by_the_reference_time() {
    let site = TestSite::new();
    site.story("plain", "Plain", "2024-01-02");
    site.article(
        "pinned",
        "title = \"Pinned\"\ndate = 2024-01-01\npinned = true\npinned_until = 2030-06-01T09:00:00Z",
        "Text.",
    );
    site.write("templates/index.html", "{{ front.lead.slug }}");
    let lead = |epoch: Option<&str>, args: &[&str]| {
        let mut command = site.command(args);
        if let Some(epoch) = epoch {
            command = command.env("SOURCE_DATE_EPOCH", epoch);
        }
        command.run().success();
        site.read("public/index.html")
    };
    assert_eq!(lead(Some("1893456000"), &["build"]), "pinned"); // 2030-01-01
    assert_eq!(lead(Some("1924992000"), &["build"]), "plain"); // 2031
    // A preview of everything (`--future`) keeps every pin.
    assert_eq!(lead(Some("1924992000"), &["build", "--future"]), "pinned");
    // By the clock the pin holds, and the build is out of date when it ends: never
    // skipped by the build cache (as a site without the pin's end is).
    settle(&site);
    assert_eq!(lead(None, &["build"]), "pinned");
    let again = site.build();
    assert!(
        !again.stdout().contains("is up to date"),
        "{}",
        again.stdout()
    );
    site.article(
        "pinned",
        "title = \"Pinned\"\ndate = 2024-01-01\npinned = true",
        "Text.",
    );
    settle(&site);
    site.build();
    assert!(site.build().stdout().contains("is up to date"));
}

#[test]
fn builds_with_the_same_source_date_epoch_are_reproducible() {
    let site = three_articles();
    site.story("later", "Later", "2025-06-01");
    let build = |out: &str| {
        site.command(&["build", "--output", out])
            .env("SOURCE_DATE_EPOCH", "1735689600") // 2025-01-01
            .run()
            .success();
        site.tree(out)
    };
    let first = build("one");
    assert_eq!(first, build("two"));
    assert!(!first.keys().any(|p| p.starts_with("later")));
}

#[test]
fn articles_link_each_other_by_file_with_at_slash() {
    let site = TestSite::new();
    site.article(
        "one",
        "title = \"One\"\ndate = 2024-01-01",
        "See [two](@/desk/two.md), [its part](@/desk/two.md#part) and [nothing](@/nope.md).",
    );
    site.article(
        "desk/two",
        "title = \"Two\"\ndate = 2024-01-02\nslug = \"second\"",
        "## Part\n\nText.",
    );
    site.build();
    let one = site.read("public/one/index.html");
    assert!(
        one.contains("href=\"https://example.org/second/\""),
        "{one}"
    );
    assert!(
        one.contains("href=\"https://example.org/second/#part\""),
        "{one}"
    );
    assert!(
        one.contains("href=\"@/nope.md\""),
        "unresolved links stay as written"
    );
    let report = site.run(&["check"]);
    assert!(
        report
            .stdout()
            .contains("content/one.md:5: link @/nope.md leads to no page"),
        "{}",
        report.stdout()
    );
}

#[test]
fn staging_folders_of_killed_builds_are_cleared_away() {
    let site = three_articles();
    // No process has this id: pid_max is at most 2^22.
    site.write(".public.staging-4194305/first/index.html", "half-written");
    // This test's own id: a build still running, as far as the next build can tell.
    let running = format!(".public.staging-{}", std::process::id());
    site.write(&format!("{running}/index.html"), "being written");
    site.build();
    assert!(!site.exists(".public.staging-4194305"));
    assert!(site.exists(&running), "a running build's folder stays");
    assert!(site.exists("public/first/index.html"));
}

#[test]
fn a_changed_component_re_renders_the_pages_that_call_it() {
    let site = three_articles();
    let component = |body: &str| {
        format!(
            "{{% component notice(text) %}}<p class=\"notice\">{body}</p>{{% endcomponent notice %}}"
        )
    };
    site.write("templates/components.html", component("{{ text }}"));
    site.write("templates/404.html", "{{ <notice text=\"Gone\"/> }}");
    site.build();
    assert_eq!(site.read("public/404.html"), "<p class=\"notice\">Gone</p>");
    // Nothing names components.html: the page depends on it through the component alone.
    site.write("templates/components.html", component("{{ text }}!"));
    site.build();
    assert_eq!(
        site.read("public/404.html"),
        "<p class=\"notice\">Gone!</p>"
    );
}

#[test]
fn linked_and_upper_case_markdown_files_are_articles_and_what_is_left_out_is_said() {
    let site = TestSite::new();
    site.write(
        "content/shout.MD",
        "+++\ntitle = \"Shout\"\ndate = 2024-01-01\n+++\nLoud.\n",
    );
    site.write(
        "drafts/linked.md",
        "+++\ntitle = \"Linked\"\ndate = 2024-01-02\n+++\nFrom elsewhere.\n",
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            site.path().join("drafts/linked.md"),
            site.path().join("content/linked.md"),
        )
        .unwrap();
        std::os::unix::fs::symlink(
            site.path().join("nowhere.md"),
            site.path().join("content/broken.md"),
        )
        .unwrap();
    }
    let run = site.build();
    assert!(site.read("public/shout/index.html").contains("Loud."));
    #[cfg(unix)]
    {
        assert!(
            site.read("public/linked/index.html")
                .contains("From elsewhere.")
        );
        assert!(
            run.stderr().contains("content/broken.md: left out"),
            "{}",
            run.stderr()
        );
    }
}

#[test]
fn warnings_of_one_kind_are_counted_on_one_line_unless_verbose() {
    let site = TestSite::new();
    for i in 0..10 {
        site.article(
            &format!("story-{i}"),
            &format!("title = \"Story {i}\"\ndate = 2024-01-01\nauthors = [\"Writer {i}\"]"),
            "Text.",
        );
    }
    let stderr = site.build().stderr();
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(warnings.len(), 4, "{stderr}");
    assert!(
        warnings[3].starts_with("warning: 7 more like this (content/story-3.md, content/story-4.md, content/story-5.md and 4 others): author \"…\" has no profile"),
        "{stderr}"
    );
    let verbose = site.run(&["build", "--verbose"]).success().stderr();
    assert_eq!(
        verbose
            .lines()
            .filter(|l| l.contains("has no profile"))
            .count(),
        10,
        "{verbose}"
    );
}

#[test]
fn more_marks_the_summary_and_long_articles_get_their_contents() {
    let site = TestSite::new();
    let section = |n: usize| format!("## Part {n}\n\n{}\n\n", "word ".repeat(200));
    site.article(
        "long",
        "title = \"Long\"\ndate = 2024-01-02",
        &format!(
            "First paragraph.\n\nSecond one, still the summary.\n\n<!-- more -->\n\nAfter the cut.\n\n{}{}{}",
            section(1),
            section(2),
            section(3)
        ),
    );
    site.article(
        "short",
        "title = \"Short\"\ndate = 2024-01-01",
        "## Only\n\nA few words.",
    );
    site.build();
    let home = site.read("public/index.html");
    assert!(
        home.contains("First paragraph. Second one, still the summary."),
        "{home}"
    );
    assert!(!home.contains("After the cut."), "{home}");
    let long = site.read("public/long/index.html");
    assert!(
        long.contains("<nav class=\"toc\" aria-label=\"Contents\">"),
        "{long}"
    );
    assert!(long.contains("<a href=\"#part-2\">Part 2</a>"), "{long}");
    assert!(long.contains("id=\"part-2\""), "{long}");
    assert!(
        !site
            .read("public/short/index.html")
            .contains("class=\"toc\"")
    );
}

#[test]
fn the_front_page_leads_with_the_newest_story_and_pages_are_numbered() {
    let site = TestSite::with_config(&format!(
        "{}paginate_by = 2\n\n[extra]\nlogo = \"https://example.org/logo.png\"\n",
        common::CONFIG
    ));
    for day in 1..=14 {
        let tags = if day % 2 == 0 {
            "[\"Chips\", \"Rare\"]"
        } else {
            "[\"Chips\"]"
        };
        site.article(
            &format!("story-{day:02}"),
            &format!("title = \"Story {day}\"\ndate = 2024-01-{day:02}\ntags = {tags}"),
            "Text.",
        );
    }
    site.build();
    let home = site.read("public/index.html");
    let lead = home.split("<article class=\"lead-story\">").nth(1).unwrap();
    assert!(
        lead.split("</article>")
            .next()
            .unwrap()
            .contains("Story 14"),
        "{home}"
    );
    // Page 4 of 7: the first, the last, and two either side, each a link.
    let page = site.read("public/page/4/index.html");
    for n in 1..=7 {
        assert!(page.contains(&format!(">{n}</a></li>")), "{n}: {page}");
    }
    assert!(page.contains("aria-current=\"page\" href=\"https://example.org/page/4/\""));
    let last = site.read("public/page/7/index.html");
    assert!(last.contains("<li class=\"gap\">…</li>"), "{last}");
    // Topics, most used first; every page has a description, a favicon and Open Graph.
    let tags = site.read("public/tags/index.html");
    assert!(tags.find(">Chips<").unwrap() < tags.find(">Rare<").unwrap());
    let tag = site.read("public/tags/rare/index.html");
    assert!(
        tag.contains("<meta name=\"description\" content=\"Articles about Rare in Test News.\">")
    );
    assert!(tag.contains("<meta property=\"og:title\" content=\"Rare · Test News\">"));
    assert!(tag.contains("href=\"https://example.org/favicon.ico\""));
    assert!(site.exists("public/favicon.ico"));
    let article = site.read("public/story-01/index.html");
    assert!(article.contains(
        "\"logo\": {\"@type\": \"ImageObject\", \"url\": \"https://example.org/logo.png\"}"
    ));
    assert_eq!(
        article.matches("property=\"og:type\"").count(),
        1,
        "{article}"
    );
}

#[test]
fn read_more_lines_lead_to_the_articles_they_name_and_related_ones_share_tags() {
    let site = TestSite::new();
    site.article(
        "chips",
        "title = \"Chips get faster\"\ndate = 2024-01-01\ntags = [\"Chips\", \"Fabs\"]",
        "Text.",
    );
    site.article(
        "fabs",
        "title = \"A new fab\"\ndate = 2024-01-02\ntags = [\"Fabs\"]",
        "Text.",
    );
    site.article(
        "phones",
        "title = \"Phones\"\ndate = 2024-01-03\ntags = [\"Phones\"]",
        "Text.",
    );
    site.article(
        "news",
        "title = \"News\"\ndate = 2024-01-04\ntags = [\"Chips\", \"Fabs\"]\n\n[extra]\nrelated = [\"Chips Get Faster\", \"A story from elsewhere\"]",
        "Text.",
    );
    site.build();
    let page = site.read("public/news/index.html");
    let read_more = page.split("aria-label=\"Read more\"").nth(1).unwrap();
    assert!(
        read_more.contains("<li><a href=\"https://example.org/chips/\">Chips Get Faster</a></li>"),
        "{page}"
    );
    assert!(
        read_more.contains("<li>A story from elsewhere</li>"),
        "{page}"
    );
    let related = page.split("aria-label=\"Related stories\"").nth(1).unwrap();
    let related = related.split("</aside>").next().unwrap();
    // Two shared tags first, then one; none from other topics.
    assert!(related.find("Chips get faster").unwrap() < related.find("A new fab").unwrap());
    assert!(!related.contains("Phones"), "{related}");
}

#[test]
fn aliases_keep_old_urls_answering_with_redirect_pages_and_a_redirects_file() {
    let site = three_articles();
    site.build();
    assert!(!site.exists("public/_redirects"), "no aliases, no file");
    let before = site.tree("public");
    site.article(
        "moved",
        "title = \"Moved & kept\"\ndate = 2024-01-04\naliases = [\"/2014/11/24/old-story.html\", \"/old/path/\", \"/legacy\"]",
        "Text.",
    );
    site.build();
    for alias in [
        "2014/11/24/old-story.html",
        "old/path/index.html",
        "legacy/index.html",
    ] {
        let page = site.read(&format!("public/{alias}"));
        assert!(
            page.contains(
                "<meta http-equiv=\"refresh\" content=\"0; url=https://example.org/moved/\">"
            ) && page.contains("<link rel=\"canonical\" href=\"https://example.org/moved/\">")
                && page.contains("<meta name=\"robots\" content=\"noindex\">")
                && page.contains("<a href=\"https://example.org/moved/\">Moved &amp; kept</a>"),
            "{alias}: {page}"
        );
    }
    assert_eq!(
        site.read("public/_redirects"),
        "/2014/11/24/old-story.html /moved/ 301\n/old/path/ /moved/ 301\n/legacy/ /moved/ 301\n"
    );
    // Redirect pages are not pages of the site: not in the sitemap.
    assert!(!site.read("public/sitemap.xml").contains("old/path"));
    site.run(&["check"]).success();
    // Without the article, the site is what it was.
    site.remove("content/moved.md");
    site.build();
    assert_eq!(site.tree("public"), before);
}

/// A build over an output still as its record says carries every redirect page of an
/// alias over by its recorded signature, opening none of them (a site with 100,000 old
/// URLs has as many); one edited by hand is not trusted, and is written again.
#[test]
fn alias_pages_are_carried_over_unopened_and_rewritten_when_edited_by_hand() {
    use gazette::pipeline::{self, BuildOptions};
    let site = three_articles();
    site.article(
        "moved",
        "title = \"Moved\"\ndate = 2024-01-04\naliases = [\"/old/one/\", \"/old/two/\", \"/2014/three.html\"]",
        "Text.",
    );
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..Default::default()
    };
    let first = pipeline::build(&options).unwrap();
    assert_eq!(first.written.compared, 0, "nothing to compare with");
    let built = site.tree("public");
    // The inputs changed, no file's bytes: twice, the second over the spare the first
    // kept. Nothing is rendered, and no file of the output is opened.
    for round in 0..2 {
        site.write("config.toml", site.read("config.toml"));
        let again = pipeline::build(&options).unwrap();
        assert!(!again.cached);
        assert_eq!(
            (
                again.rendered,
                again.written.written,
                again.written.compared
            ),
            (0, 0, 0),
            "round {round}"
        );
        assert_eq!(again.written.unchanged, first.files, "round {round}");
        assert_eq!(site.tree("public"), built, "round {round}");
    }
    site.write("public/old/two/index.html", "edited by hand");
    let restored = pipeline::build(&options).unwrap();
    assert_eq!(restored.written.written, 1);
    assert_eq!(site.tree("public"), built);
}

#[test]
fn aliases_with_a_query_go_into_one_map_that_the_pages_script_reads() {
    let site = three_articles();
    site.build();
    assert!(
        !site
            .read("public/index.html")
            .contains("query-aliases.json")
    );
    site.article(
        "moved",
        "title = \"Moved\"\ndate = 2024-01-04\naliases = [\"/?p=12\", \"/index.php?page_id=7\", \"/old/\"]",
        "Text.",
    );
    site.build();
    let map: serde_json::Value =
        serde_json::from_str(&site.read("public/query-aliases.json")).unwrap();
    assert_eq!(
        map,
        serde_json::json!({
            "/?p=12": "https://example.org/moved/",
            "/index.php?page_id=7": "https://example.org/moved/",
        })
    );
    assert!(
        site.exists("public/old/index.html"),
        "plain aliases as before"
    );
    assert!(!site.exists("public/index.php"), "a query alias is no file");
    for page in [
        "public/index.html",
        "public/404.html",
        "public/moved/index.html",
    ] {
        let html = site.read(page);
        assert!(
            html.contains("keys = [\"p\",\"page_id\"]")
                && html.contains("fetch(\"https://example.org/query-aliases.json\")"),
            "{page}: {html}"
        );
    }
    assert!(!site.read("public/_redirects").contains('?'));
    site.run(&["check"]).success();
}

#[test]
fn permalink_patterns_and_a_path_of_its_own_place_articles() {
    let site = TestSite::with_config(&format!(
        "{}permalink = \"/:year/:month/:day/:slug/\"\n",
        common::CONFIG
    ));
    site.article(
        "launch",
        "title = \"Launch\"\ndate = 2014-11-24T09:30:00Z",
        "Text.",
    );
    site.article(
        "kept",
        "title = \"Kept\"\ndate = 2014-11-25\npath = \"/2014/11/25/the-old-name.html/\"",
        "Text.",
    );
    site.build();
    assert!(
        site.read("public/2014/11/24/launch/index.html")
            .contains("Launch")
    );
    assert!(site.exists("public/2014/11/25/the-old-name.html/index.html"));
    let home = site.read("public/index.html");
    assert!(
        home.contains("href=\"https://example.org/2014/11/24/launch/\""),
        "{home}"
    );
    assert!(
        site.read("public/sitemap.xml")
            .contains("https://example.org/2014/11/24/launch/")
    );
    assert!(
        site.read("public/atom.xml")
            .contains("https://example.org/2014/11/24/launch/")
    );
    site.run(&["check"]).success();

    // :section is the article's folder below content/ (left out at the top level),
    // :author its first author.
    let site = TestSite::with_config(&format!(
        "{}permalink = \"/:section/:author/:slug/\"\n",
        common::CONFIG
    ));
    site.write(
        "content/reviews/phone.md",
        "+++\ntitle = \"Phone\"\ndate = 2024-01-01\nauthors = [\"Ann Lee\"]\n+++\nText.\n",
    );
    site.article("top", "title = \"Top\"\ndate = 2024-01-02", "Text.");
    site.build();
    assert!(site.exists("public/reviews/ann-lee/phone/index.html"));
    assert!(site.exists("public/top/index.html"));
}

/// A site with a described section (`reviews/`, four articles over two list pages), a
/// folder without `_index.md` (`desk/`) and an article at the top.
fn sectioned_site() -> TestSite {
    let site = TestSite::with_config(&format!("{}paginate_by = 3\n", common::CONFIG));
    site.write(
        "content/reviews/_index.md",
        "+++\ntitle = \"Hands-on Reviews\"\ndescription = \"Devices, tested.\"\nweight = -1\n[extra]\nicon = \"star\"\n+++\nEvery device is tested for **two weeks**. See [topics](/tags/).\n",
    );
    for day in 1..=4 {
        site.write(
            &format!("content/reviews/phone-{day}.md"),
            format!("+++\ntitle = \"Phone {day}\"\ndate = 2024-03-0{day}\n+++\nText.\n"),
        );
    }
    site.write(
        "content/desk/ai-policy/memo.md",
        "+++\ntitle = \"Memo\"\ndate = 2024-03-05\n+++\nText.\n",
    );
    site.story("top", "Top", "2024-03-06");
    site
}

#[test]
fn a_top_level_folder_is_a_section_with_its_list_feeds_and_sitemap_entries() {
    let site = sectioned_site();
    site.build();
    // The list, newest first, paginated at the section's URL, with the intro on page 1.
    let list = site.read("public/reviews/index.html");
    assert!(
        list.contains("<title>Hands-on Reviews · Test News</title>"),
        "{list}"
    );
    assert!(list.contains("<meta name=\"description\" content=\"Devices, tested.\">"));
    assert!(list.contains("Every device is tested for <strong>two weeks</strong>"));
    let order: Vec<usize> = ["Phone 4", "Phone 3", "Phone 2"]
        .iter()
        .map(|t| list.find(t).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{list}");
    assert!(!list.contains("Phone 1") && !list.contains(">Memo<") && !list.contains(">Top<"));
    let second = site.read("public/reviews/page/2/index.html");
    assert!(
        second.contains("Phone 1") && !second.contains("two weeks"),
        "{second}"
    );
    // Feeds of its own.
    let atom = site.read("public/reviews/atom.xml");
    assert!(
        atom.contains("<title>Hands-on Reviews · Test News</title>"),
        "{atom}"
    );
    assert_eq!(atom.matches("<entry>").count(), 4);
    let rss = site.read("public/reviews/rss.xml");
    assert!(
        rss.contains("<description>Devices, tested.</description>"),
        "{rss}"
    );
    assert_eq!(rss.matches("<item>").count(), 4);
    // In the sitemap, both list pages.
    let sitemap = site.read("public/sitemap.xml");
    for url in [
        "https://example.org/reviews/",
        "https://example.org/reviews/page/2/",
        "https://example.org/desk/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url}");
    }
    // A folder without `_index.md` is a section too, titled after the folder; below it,
    // deeper folders belong to it.
    let desk = site.read("public/desk/index.html");
    assert!(desk.contains("<h1 class=\"section-title\">Desk</h1>") && desk.contains("Memo"));
    site.run(&["check"]).success();
}

#[test]
fn sections_are_in_navigation_and_articles_know_theirs() {
    let site = sectioned_site();
    site.build();
    let home = site.read("public/index.html");
    let nav = home.split("aria-label=\"Sections\"").nth(1).unwrap();
    let nav = nav.split("</nav>").next().unwrap();
    // By weight, then title.
    let reviews = nav
        .find("<a href=\"https://example.org/reviews/\">Hands-on Reviews</a>")
        .unwrap();
    let desk = nav
        .find("<a href=\"https://example.org/desk/\">Desk</a>")
        .unwrap();
    assert!(reviews < desk, "{nav}");
    // The section as the kicker, breadcrumbs as JSON-LD, and `articleSection`.
    let page = site.read("public/phone-2/index.html");
    assert!(
        page.contains(
            "<p class=\"kicker\"><a href=\"https://example.org/reviews/\">Hands-on Reviews</a></p>"
        ),
        "{page}"
    );
    assert!(page.contains("\"@type\": \"BreadcrumbList\""));
    assert!(page.contains("\"articleSection\": \"Hands-on Reviews\""));
    assert!(page.contains("<meta property=\"article:section\" content=\"Hands-on Reviews\">"));
    // An article outside every section has none of it.
    let top = site.read("public/top/index.html");
    assert!(
        !top.contains("Breadcrumb") && !top.contains("articleSection"),
        "{top}"
    );
}

#[test]
fn a_section_under_a_path_prefix_links_inside_it() {
    let site = sectioned_site();
    site.write(
        "config.toml",
        "title = \"Test News\"\nbase_url = \"https://user.github.io/news/\"\n",
    );
    site.build();
    let list = site.read("public/reviews/index.html");
    assert!(
        list.contains("<a href=\"/news/tags/\">topics</a>"),
        "{list}"
    );
    assert!(list.contains("href=\"https://user.github.io/news/reviews/atom.xml\""));
    site.run(&["check"]).success();
}

#[test]
fn a_site_without_folders_has_no_sections() {
    let site = three_articles();
    site.build();
    let home = site.read("public/index.html");
    let nav = home.split("aria-label=\"Sections\"").nth(1).unwrap();
    let nav = nav.split("</nav>").next().unwrap();
    assert_eq!(
        nav.matches("<li>").count(),
        3,
        "Latest, Authors, Topics: {nav}"
    );
}

/// What a build says counts in words that agree with the count ("1 article", "1 scheduled
/// article"), and a site without seeds hears nothing about importing them.
#[test]
fn a_build_says_what_it_did_in_the_singular_for_one() {
    let site = TestSite::new();
    site.story("now", "Now", "2024-01-01");
    site.story("later", "Later", "2999-01-01");
    let out = site.build().stdout();
    // The time a build took is the one thing that varies.
    let (before, after) = out.split_once(" in ").unwrap();
    let after = after.split_once(" ms ").unwrap().1;
    assert_eq!(
        format!("{before} in … ms {after}"),
        "left out 1 scheduled article dated after the reference time (--future includes them)\n\
         built 1 article, 13 files into public in … ms (13 written, 0 unchanged, 0 removed; 8 pages rendered)\n"
    );
    // With seeds, their line is there.
    site.write("seeds/a.txt", "Undated story\nBody text.\n");
    let out = site.build().stdout();
    assert!(
        out.starts_with("import: imported 1, unchanged 0, kept 0 hand-edited\n"),
        "{out}"
    );
}

/// `gazette digest` tells a scheduled deploy whether the built site differs from the one
/// last deployed: the same for the same files, changed when a scheduled article came due,
/// changed when nothing was deployed yet, and an error naming the folder when there is no
/// built site.
#[test]
fn digest_tells_whether_the_site_differs_from_the_one_deployed() {
    let site = TestSite::new();
    site.story("now", "Now", "2024-01-01");
    site.story("later", "Later", "2024-06-01");
    let build_at = |epoch: &str| {
        site.command(&["build"])
            .env("SOURCE_DATE_EPOCH", epoch)
            .run()
            .success();
    };
    // 2024-03-01: "Later" is scheduled.
    build_at("1709251200");
    let out = site.run(&["digest"]).success().stdout();
    let digest = out
        .strip_prefix("digest=")
        .and_then(|d| d.strip_suffix('\n'))
        .unwrap()
        .to_string();
    assert!(
        digest.len() == 16 && digest.chars().all(|c| c.is_ascii_hexdigit()),
        "{out}"
    );
    let since = |site: &TestSite| {
        site.run(&[
            "digest",
            "--output",
            "public",
            "--since",
            ".gazette-deployed",
        ])
        .success()
        .stdout()
    };
    assert_eq!(since(&site), format!("digest={digest}\nchanged=true\n"));
    site.write(".gazette-deployed", format!("{digest}\n"));
    assert_eq!(since(&site), format!("digest={digest}\nchanged=false\n"));
    // A fresh build of the same sources at the same time: the same site.
    std::fs::remove_dir_all(site.path().join("public")).unwrap();
    build_at("1709251200");
    assert_eq!(since(&site), format!("digest={digest}\nchanged=false\n"));
    // "Later" comes due.
    build_at("1719792000");
    let out = since(&site);
    assert!(out.ends_with("\nchanged=true\n"), "{out}");
    assert_ne!(out, format!("digest={digest}\nchanged=true\n"));

    let err = site.run(&["digest", "--output", "nowhere"]).failure();
    assert_eq!(
        err,
        "error: nowhere: no built site here: run gazette build first\n"
    );
}

#[test]
fn a_site_whose_html_spills_to_disk_builds_the_same_bytes_making_each_value_once() {
    let config = format!("{}paginate_by = 4\nfeed_limit = 3\n", common::CONFIG);
    let site = TestSite::with_config(&config);
    // Each story has a topic of its own; every tenth shares one with the others, so
    // that those four are each other's related stories, shown by pages anywhere.
    for n in 1..=40 {
        let shared = if n % 10 == 0 { ", \"Chips\"" } else { "" };
        site.article(
            &format!("s{n:02}"),
            &format!(
                "title = \"Story {n}\"\ndate = 2024-01-{:02}T{:02}:00:00Z\ntags = [\"Topic {n}\"{shared}]\nauthors = [\"Writer {}\"]",
                1 + n % 28,
                n % 24,
                n % 3
            ),
            &format!("Body of story {n}, with [a link](https://example.com/{n})."),
        );
    }
    let held = site
        .run(&["build", "--timings", "--output", "held"])
        .success();
    assert_eq!(values_line(&held), "template values: 40 of 40 articles");
    assert!(!held.stderr().contains("spilled"), "{}", held.stderr());
    let spilled = site
        .run(&[
            "build",
            "--timings",
            "--output",
            "spilled",
            "--held-html",
            "0",
        ])
        .success();
    let stderr = spilled.stderr();
    let spill_line = stderr.lines().find(|l| l.starts_with("article HTML: "));
    assert_eq!(
        spill_line,
        Some("article HTML: 40 of 40 spilled to disk past --held-html")
    );
    // Each value kept made once (no page needs one the sweep let go), never all at
    // once; an author's stories span the site, so the authors' pages and feeds, rendered
    // at their newest story, make the values of the far ones for themselves alone.
    assert_eq!(
        values_line(&spilled),
        "template values: 40 of 40 articles, at most 13 held at once (and 17 made for one page alone, far ahead)"
    );
    assert!(
        site.tree("held") == site.tree("spilled"),
        "the same bytes whether the HTML was held or spilled"
    );
}
