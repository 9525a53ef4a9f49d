//! Pages (`content/pages/`): at their own URL with their own template, in no list, feed,
//! search index or news sitemap; in `sitemap.xml`; linked, aliased, checked and refused
//! like articles where they are alike.

mod common;

use common::TestSite;

/// Two stories and three pages: one plain (linking a story and another page), one a folder
/// with a date and its own file, one a draft.
fn site_with_pages() -> TestSite {
    let site = TestSite::with_config(&format!(
        "{}feed_limit = 10\n[search]\nenabled = true\n",
        common::CONFIG
    ));
    site.article(
        "launch",
        "title = \"Launch\"\ndate = 2024-01-01T10:00:00Z\nauthors = [\"Ann Lee\"]\ntags = [\"Phones\"]",
        "The launch. More [about us](@/pages/about.md).",
    )
    .article(
        "review",
        "title = \"Review\"\ndate = 2024-01-02T10:00:00Z\nauthors = [\"Ann Lee\"]\ntags = [\"Phones\"]",
        "The review.",
    )
    .write(
        "content/pages/about.md",
        "+++\ntitle = \"About us\"\naliases = [\"/about-us.html\", \"/?page_id=2\"]\n+++\nWe cover phones: see [the launch](@/launch.md) and [the team](@/pages/team/index.md).\n",
    )
    .write(
        "content/pages/team/index.md",
        "+++\ntitle = \"The team\"\ndate = 2023-05-01\nupdated = 2024-02-01T08:00:00Z\n+++\nOur people, and [a card](card.txt).\n",
    )
    .write("content/pages/team/card.txt", "Ann Lee, editor")
    .write(
        "content/pages/jobs.md",
        "+++\ntitle = \"Jobs\"\ndraft = true\n+++\nNone yet.\n",
    );
    site
}

#[test]
fn a_page_has_its_url_and_template_and_no_news_list_shows_it() {
    let site = site_with_pages();
    let out = site.build().stdout();
    assert!(
        out.contains("built 2 articles"),
        "pages are no articles: {out}"
    );

    let about = site.read("public/about/index.html");
    assert!(about.contains("<h1>About us</h1>"), "{about}");
    assert!(
        about.contains(
            "<script type=\"application/ld+json\">{\"@context\": \"https://schema.org\", \"@type\": \"WebPage\", \"name\": \"About us\", \"description\": \"We cover phones: see the launch and the team.\", \"url\": \"https://example.org/about/\", \"isPartOf\": {\"@type\": \"WebSite\", \"name\": \"Test News\", \"url\": \"https://example.org/\"}}</script>"
        ),
        "{about}"
    );
    assert!(
        about.contains(
            "<p>We cover phones: see <a href=\"https://example.org/launch/\">the launch</a> and <a href=\"https://example.org/team/\">the team</a>.</p>"
        ),
        "@/ links lead to articles and pages: {about}"
    );
    for news in [
        "NewsArticle",
        "class=\"byline\"",
        "rel=\"prev\"",
        "rel=\"next\"",
        "Related",
        "<time",
    ] {
        assert!(!about.contains(news), "a page has no {news}: {about}");
    }
    assert_eq!(site.read("public/team/card.txt"), "Ann Lee, editor");
    assert!(
        site.read("public/team/index.html")
            .contains("dateModified\": \"2024-02-01T08:00:00Z\"")
    );
    assert!(!site.exists("public/jobs/index.html"), "a draft page");
    assert!(
        site.read("public/launch/index.html")
            .contains("<a href=\"https://example.org/about/\">about us</a>")
    );
    // The old URLs answer.
    assert!(
        site.read("public/about-us.html")
            .contains("https://example.org/about/")
    );
    assert!(
        site.read("public/_redirects")
            .contains("/about-us.html /about/ 301")
    );
    assert!(
        site.read("public/query-aliases.json")
            .contains("\"/?page_id=2\":\"https://example.org/about/\"")
    );

    // No list, feed, index or neighbour shows a page.
    for file in [
        "public/index.html",
        "public/atom.xml",
        "public/rss.xml",
        "public/feed.json",
        "public/news-sitemap.xml",
        "public/tags/phones/index.html",
        "public/authors/ann-lee/index.html",
        "public/authors/ann-lee/atom.xml",
        "public/launch/index.html",
        "public/review/index.html",
    ] {
        let text = site.read(file);
        assert!(
            !text.contains("About us") && !text.contains("The team"),
            "{file}: {text}"
        );
    }
    let search = site.tree("public/search");
    assert!(
        search
            .values()
            .all(|bytes| !String::from_utf8_lossy(bytes).contains("/about/")),
        "the search index leaves pages out"
    );
    // The sitemap has them, dated where they say.
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<url>\n    <loc>https://example.org/about/</loc>\n  </url>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains(
            "<loc>https://example.org/team/</loc>\n    <lastmod>2024-02-01T08:00:00Z</lastmod>"
        ),
        "{sitemap}"
    );

    // A preview shows the draft.
    site.run(&["build", "--drafts"]).success();
    assert!(
        site.read("public/jobs/index.html")
            .contains("<h1>Jobs</h1>")
    );
}

#[test]
fn check_follows_links_in_pages_to_their_line() {
    let site = site_with_pages();
    site.write(
        "content/pages/contact.md",
        "+++\ntitle = \"Contact\"\n+++\nWrite to us.\n\nOr read [this](/nowhere/).\n",
    );
    let problems = site.check_fails();
    assert!(
        problems
            .contains("content/pages/contact.md:6: link /nowhere/ leads to no page of the site"),
        "{problems}"
    );
}

#[test]
fn what_only_news_has_is_refused_on_a_page_at_its_line() {
    let site = TestSite::new();
    site.story("good", "Good", "2024-01-01");
    site.build();
    site.write(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\ntags = [\"Us\"]\n+++\nText.\n",
    );
    assert_eq!(
        site.build_fails_keeping_output().trim_end(),
        "error: content/pages/about.md:3:8: a page (in content/pages/) has no `tags`: pages are in no list; keep it under [extra], or move the file out of content/pages/ to make it an article"
    );
    site.write(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\n+++\nText.\n",
    )
    .write("content/pages/_index.md", "+++\ntitle = \"Pages\"\n+++\n");
    assert_eq!(
        site.build_fails_keeping_output().trim_end(),
        "error: content/pages/_index.md: content/pages/ holds pages, which are no section (no list, no feed): remove `_index.md`, or name the folder otherwise to make a section"
    );
    site.remove("content/pages/_index.md");
    site.write(
        "content/pages/good.md",
        "+++\ntitle = \"Good\"\n+++\nSame URL.\n",
    );
    assert_eq!(
        site.build_fails_keeping_output().trim_end(),
        "error: content/good.md and content/pages/good.md both want the URL /good/: give one of them another `slug`"
    );
    site.remove("content/pages/good.md");
    site.story("undated", "Undated", "2024-01-01");
    site.article("undated", "title = \"Undated\"", "Text.");
    assert_eq!(
        site.build_fails_keeping_output().trim_end(),
        "error: content/undated.md: missing `date`: an article needs one (a page, in content/pages/, does not)"
    );
}

#[test]
fn a_theme_without_a_page_template_is_refused_only_once_the_site_has_a_page() {
    let site = TestSite::with_config(&format!("{}theme = \"plain\"\n", common::CONFIG));
    site.minimal_theme("plain");
    site.story("good", "Good", "2024-01-01");
    site.build();
    site.write(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\n+++\nText.\n",
    );
    let stderr = site.build_fails_keeping_output();
    assert_eq!(
        stderr.trim_end(),
        "error: content/pages/about.md: the site has pages (content/pages/), and the theme `plain` has no page.html to render them with: add themes/plain/templates/page.html (`gazette init` writes the built-in theme's to copy)"
    );
    site.write(
        "themes/plain/templates/page.html",
        "<h1>{{ page.title }}</h1>{{ page.content | safe }}",
    );
    site.build();
    assert_eq!(
        site.read("public/about/index.html"),
        "<h1>About</h1><p>Text.</p>\n"
    );
}

#[test]
fn a_published_page_that_goes_is_told_and_fails_check() {
    let site = TestSite::new();
    site.story("good", "Good", "2024-01-01").write(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\n+++\nText.\n",
    );
    site.build();
    site.remove("content/pages/about.md");
    let stderr = site.build().stderr();
    assert!(
        stderr.contains("content/pages/about.md: /about/ was published and is gone; add \"/about/\" to the `aliases` of the article that replaces it"),
        "{stderr}"
    );
    assert!(
        site.check_fails()
            .contains("/about/ was published and is gone")
    );
}
