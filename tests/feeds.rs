//! Syndication and discovery: feeds, sitemaps and page metadata, read back with the
//! parsers real consumers use (feed-rs for feeds, a strict XML parser, serde_json).

mod common;

use common::TestSite;

fn newsroom() -> TestSite {
    let site = TestSite::with_config(&format!("{}description = \"Tech news\"\n", common::CONFIG));
    site.article(
        "chips",
        "title = \"Chip shortage eases\"\ndate = 2024-03-01T09:00:00Z\nauthors = [\"Ann Lee\"]\ntags = [\"Chips\"]",
        "Supply is back.\n\n![A fab](fab.jpg) and [the report](/reports/q1/) and [elsewhere](https://other.org/x).",
    );
    site.article(
        "rust",
        "title = \"Rust in the kernel\"\ndate = 2024-03-03T10:30:00+02:00\nupdated = 2024-03-04T08:00:00Z\nauthors = [\"Ann Lee\", \"Bo Chen\"]\ntags = [\"Rust\", \"Linux\"]\ndescription = \"A described story.\"",
        "Body of the *Rust* story.",
    );
    site.article(
        "old",
        "title = \"An old story\"\ndate = 2023-12-25\ntags = [\"Chips\"]",
        "Old news.",
    );
    site.write(
        "content/authors/ann-lee.md",
        "+++\nname = \"Ann Lee\"\n+++\nAnn covers hardware.\n",
    );
    site
}

fn parse_feed(site: &TestSite, path: &str) -> feed_rs::model::Feed {
    let text = site.read(path);
    feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{path}: {e}\n{text}"))
}

fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect()
}

/// An entry's full HTML content.
fn content_html(entry: &feed_rs::model::Entry) -> String {
    let content = entry.content.as_ref().expect("the entry has full content");
    content.body.clone().expect("the content has a body")
}

/// The JSON-LD objects of a page, parsed.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| {
            let json = rest.split("</script>").next().unwrap();
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
        })
        .collect()
}

#[test]
fn site_feeds_carry_every_article_field_in_all_three_formats() {
    let site = newsroom();
    site.build();
    for path in ["public/atom.xml", "public/rss.xml", "public/feed.json"] {
        let feed = parse_feed(&site, path);
        assert_eq!(feed.title.as_ref().unwrap().content, "Test News", "{path}");
        assert_eq!(
            titles(&feed),
            ["Rust in the kernel", "Chip shortage eases", "An old story"],
            "{path}"
        );
        let rust = &feed.entries[0];
        assert_eq!(rust.links[0].href, "https://example.org/rust/", "{path}");
        assert_eq!(rust.id, "https://example.org/rust/", "{path}");
        assert_eq!(
            rust.published.unwrap().to_rfc3339(),
            "2024-03-03T08:30:00+00:00",
            "{path}"
        );
        let authors: Vec<&str> = rust
            .authors
            .iter()
            .map(|p| p.name.as_deref().unwrap())
            .collect();
        assert_eq!(authors, ["Ann Lee", "Bo Chen"], "{path}");
        let mut tags: Vec<String> = rust
            .categories
            .iter()
            .map(|c| c.label.clone().unwrap_or_else(|| c.term.clone()))
            .collect();
        tags.sort();
        assert_eq!(tags, ["Linux", "Rust"], "{path}");
        assert_eq!(
            rust.summary.as_ref().unwrap().content,
            "A described story.",
            "{path}"
        );
        let chips = &feed.entries[1];
        let html = chips
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_else(|| panic!("{path}: no full content"));
        assert!(html.contains("<p>Supply is back.</p>"), "{path}: {html}");
        assert!(
            html.contains("src=\"https://example.org/chips/fab.jpg\""),
            "{path}: relative image not absolute: {html}"
        );
        assert!(
            html.contains("href=\"https://example.org/reports/q1/\""),
            "{path}: {html}"
        );
        assert!(
            html.contains("href=\"https://other.org/x\""),
            "{path}: {html}"
        );
    }
    // Atom and JSON Feed also say when an entry was last changed.
    for path in ["public/atom.xml", "public/feed.json"] {
        let feed = parse_feed(&site, path);
        assert_eq!(
            feed.entries[0].updated.unwrap().to_rfc3339(),
            "2024-03-04T08:00:00+00:00",
            "{path}"
        );
    }
}

#[test]
fn a_feed_is_dated_by_its_newest_article_never_by_the_clock() {
    let site = newsroom();
    site.build();
    let atom = parse_feed(&site, "public/atom.xml");
    assert_eq!(
        atom.updated.unwrap().to_rfc3339(),
        "2024-03-04T08:00:00+00:00"
    );
    assert!(
        site.read("public/rss.xml")
            .contains("<lastBuildDate>Mon, 04 Mar 2024 08:00:00 +0000</lastBuildDate>")
    );
    let bo = parse_feed(&site, "public/authors/bo-chen/atom.xml");
    assert_eq!(
        bo.updated.unwrap().to_rfc3339(),
        "2024-03-04T08:00:00+00:00"
    );
    let chips = parse_feed(&site, "public/tags/chips/atom.xml");
    assert_eq!(
        chips.updated.unwrap().to_rfc3339(),
        "2024-03-01T09:00:00+00:00"
    );
}

#[test]
fn every_author_and_tag_has_atom_and_rss_feeds_of_its_own_articles() {
    let site = newsroom();
    site.build();
    for (dir, expected) in [
        (
            "authors/ann-lee",
            vec!["Rust in the kernel", "Chip shortage eases"],
        ),
        ("authors/bo-chen", vec!["Rust in the kernel"]),
        ("tags/chips", vec!["Chip shortage eases", "An old story"]),
        ("tags/linux", vec!["Rust in the kernel"]),
    ] {
        for format in ["atom.xml", "rss.xml"] {
            let path = format!("public/{dir}/{format}");
            let feed = parse_feed(&site, &path);
            assert_eq!(titles(&feed), expected, "{path}");
            let own = format!("https://example.org/{dir}/");
            assert!(
                feed.links.iter().any(|l| l.href == own),
                "{path} does not link its page {own}: {:?}",
                feed.links
            );
        }
    }
    assert!(!site.exists("public/tags/chips/feed.json"));
}

/// Whether each entry of a feed carries the article's text (`content`), by entry title.
fn with_text(site: &TestSite, path: &str) -> Vec<(String, bool)> {
    let feed = parse_feed(site, path);
    let entries = feed.entries.iter();
    entries
        .map(|e| {
            (
                e.title.as_ref().unwrap().content.clone(),
                e.content.is_some(),
            )
        })
        .collect()
}

#[test]
fn author_and_tag_feeds_carry_summaries_and_the_site_and_sections_the_text() {
    let site = newsroom();
    site.article(
        "reviews/phone",
        "title = \"A phone reviewed\"\ndate = 2024-03-02\ntags = [\"Chips\"]",
        "The whole review.",
    );
    site.build();
    let full = |title: &str| vec![(title.to_string(), true)];
    assert_eq!(
        with_text(&site, "public/reviews/atom.xml"),
        full("A phone reviewed")
    );
    for format in ["atom.xml", "rss.xml"] {
        let path = format!("public/{format}");
        let expected: Vec<(String, bool)> = [
            "Rust in the kernel",
            "A phone reviewed",
            "Chip shortage eases",
            "An old story",
        ]
        .iter()
        .map(|t| (t.to_string(), true))
        .collect();
        assert_eq!(with_text(&site, &path), expected, "{path}");
        let path = format!("public/tags/linux/{format}");
        assert_eq!(
            with_text(&site, &path),
            [("Rust in the kernel".to_string(), false)],
            "{path}"
        );
        let path = format!("public/authors/bo-chen/{format}");
        assert_eq!(
            with_text(&site, &path),
            [("Rust in the kernel".to_string(), false)],
            "{path}"
        );
    }
    // A summary feed's entry is still whole but for the text: title, link, summary.
    let rss = site.read("public/tags/linux/rss.xml");
    let item = rss
        .split("<item>")
        .nth(1)
        .unwrap()
        .split("</item>")
        .next()
        .unwrap();
    assert_eq!(
        item,
        "\n      <title>Rust in the kernel</title>\n      \
         <link>https://example.org/rust/</link>\n      \
         <guid isPermaLink=\"true\">https://example.org/rust/</guid>\n      \
         <pubDate>Sun, 03 Mar 2024 08:30:00 +0000</pubDate>\n      \
         <dc:creator>Ann Lee</dc:creator>\n      <dc:creator>Bo Chen</dc:creator>\n      \
         <category domain=\"https://example.org/tags/\">Rust</category>\n      \
         <category domain=\"https://example.org/tags/\">Linux</category>\n      \
         <description>A described story.</description>\n    "
    );
    // The JSON feed is the site's: whole.
    let json: serde_json::Value = serde_json::from_str(&site.read("public/feed.json")).unwrap();
    assert_eq!(
        json["items"][0]["content_html"],
        "<p>Body of the <em>Rust</em> story.</p>\n"
    );
}

#[test]
fn feed_full_text_chooses_the_feeds_that_carry_the_text() {
    let site = newsroom();
    site.write(
        "config.toml",
        format!("{}feed_full_text = [\"tag\"]\n", common::CONFIG),
    );
    site.build();
    assert_eq!(
        with_text(&site, "public/tags/linux/atom.xml"),
        [("Rust in the kernel".to_string(), true)]
    );
    for path in ["public/atom.xml", "public/authors/bo-chen/rss.xml"] {
        let texts = with_text(&site, path);
        assert!(texts.iter().all(|(_, text)| !text), "{path}: {texts:?}");
    }
    site.write(
        "config.toml",
        format!("{}feed_full_text = [\"site\", \"tags\"]\n", common::CONFIG),
    );
    let stderr = site.build_fails_keeping_output();
    assert_eq!(
        stderr,
        "error: config.toml:3:27: unknown variant `tags`, expected one of `site`, `section`, `author`, `tag`\n"
    );
}

#[test]
fn feed_limit_keeps_only_the_newest_articles() {
    let site = TestSite::with_config(&format!("{}feed_limit = 2\n", common::CONFIG));
    for day in 1..=5 {
        site.article(
            &format!("s{day}"),
            &format!("title = \"Story {day}\"\ndate = 2024-01-0{day}\ntags = [\"All\"]"),
            "Text.",
        );
    }
    site.build();
    for path in [
        "public/atom.xml",
        "public/rss.xml",
        "public/feed.json",
        "public/tags/all/rss.xml",
    ] {
        assert_eq!(
            titles(&parse_feed(&site, path)),
            ["Story 5", "Story 4"],
            "{path}"
        );
    }
}

#[test]
fn feeds_are_discoverable_and_linked_from_home_author_and_tag_pages() {
    let site = newsroom();
    site.build();
    for (page, feeds) in [
        ("public/index.html", "https://example.org/"),
        (
            "public/authors/ann-lee/index.html",
            "https://example.org/authors/ann-lee/",
        ),
        (
            "public/tags/rust/index.html",
            "https://example.org/tags/rust/",
        ),
    ] {
        let html = site.read(page);
        for (kind, file) in [
            ("application/atom+xml", "atom.xml"),
            ("application/rss+xml", "rss.xml"),
        ] {
            let url = format!("{feeds}{file}");
            assert!(
                html.contains(&format!("<link rel=\"alternate\" type=\"{kind}\""))
                    && html.contains(&format!("href=\"{url}\"")),
                "{page} does not announce {url}"
            );
            assert!(
                html.contains(&format!("<a href=\"{url}\" type=\"{kind}\">")),
                "{page} has no visible link to {url}"
            );
        }
    }
}

#[test]
fn article_pages_carry_canonical_open_graph_twitter_and_news_article_metadata() {
    let site = newsroom();
    site.build();
    let html = site.read("public/rust/index.html");
    for tag in [
        "<link rel=\"canonical\" href=\"https://example.org/rust/\">",
        "<meta name=\"description\" content=\"A described story.\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:title\" content=\"Rust in the kernel\">",
        "<meta property=\"og:url\" content=\"https://example.org/rust/\">",
        "<meta property=\"og:description\" content=\"A described story.\">",
        "<meta property=\"og:site_name\" content=\"Test News\">",
        // In the site's zone: UTC, as it sets none.
        "<meta property=\"article:published_time\" content=\"2024-03-03T08:30:00Z\">",
        "<meta property=\"article:modified_time\" content=\"2024-03-04T08:00:00Z\">",
        "<meta property=\"article:author\" content=\"https://example.org/authors/bo-chen/\">",
        "<meta property=\"article:tag\" content=\"Linux\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
    ] {
        assert!(html.contains(tag), "missing {tag}");
    }
    let ld = json_ld(&html);
    assert_eq!(ld.len(), 1);
    let article = &ld[0];
    assert_eq!(article["@context"], "https://schema.org");
    assert_eq!(article["@type"], "NewsArticle");
    assert_eq!(article["headline"], "Rust in the kernel");
    assert_eq!(article["datePublished"], "2024-03-03T08:30:00Z");
    assert_eq!(article["dateModified"], "2024-03-04T08:00:00Z");
    assert_eq!(article["author"][1]["@type"], "Person");
    assert_eq!(article["author"][1]["name"], "Bo Chen");
    assert_eq!(
        article["author"][1]["url"],
        "https://example.org/authors/bo-chen/"
    );
    assert_eq!(article["publisher"]["name"], "Test News");
    assert_eq!(
        article["mainEntityOfPage"]["@id"],
        "https://example.org/rust/"
    );

    // Without a byline, the publisher is the author.
    let old = &json_ld(&site.read("public/old/index.html"))[0];
    assert_eq!(old["author"][0]["@type"], "Organization");
    assert_eq!(old["author"][0]["name"], "Test News");
}

#[test]
fn author_pages_carry_profile_page_json_ld() {
    let site = newsroom();
    site.build();
    let ld = json_ld(&site.read("public/authors/ann-lee/index.html"));
    assert_eq!(ld[0]["@type"], "ProfilePage");
    assert_eq!(ld[0]["mainEntity"]["@type"], "Person");
    assert_eq!(ld[0]["mainEntity"]["name"], "Ann Lee");
    assert_eq!(
        ld[0]["mainEntity"]["url"],
        "https://example.org/authors/ann-lee/"
    );
}

#[test]
fn news_sitemap_lists_articles_of_the_two_days_before_the_newest() {
    let site = newsroom();
    site.build();
    let xml = site.read("public/news-sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let news = "http://www.google.com/schemas/sitemap-news/0.9";
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((news, "title")))
        .map(|n| n.text().unwrap())
        .collect();
    // "An old story" is months older than the newest article.
    assert_eq!(titles, ["Rust in the kernel", "Chip shortage eases"]);
    for field in ["name", "language", "publication_date"] {
        assert_eq!(
            doc.descendants()
                .filter(|n| n.has_tag_name((news, field)))
                .count(),
            2,
            "{field}"
        );
    }
    assert!(xml.contains("<news:name>Test News</news:name>"));
    assert!(
        xml.contains("<news:publication_date>2024-03-03T10:30:00+02:00</news:publication_date>")
    );
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://example.org/news-sitemap.xml")
    );
}

#[test]
fn hostile_titles_names_and_tags_give_well_formed_xml_and_json() {
    let site = TestSite::with_config(
        "title = \"Bits & <Bytes> \\\"Daily\\\"\"\nbase_url = \"https://example.org/\"\n",
    );
    site.article(
        "hostile",
        "title = \"Q&A: <script>alert('x')</script> \\\"quoted\\\" 🚀 עברית\\u0007\\u001b end\"\ndate = 2024-01-01\nauthors = [\"O'Brien & <Sons>\\u0000\"]\ntags = [\"C&C++\", \"\\\"Quotes\\\"\", \"مرحبا\"]\ndescription = \"Less < more & \\u0008 so on\"",
        "Body with a bell \u{7} and <b>raw</b> & ampersand.",
    );
    site.build();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(site.path().join("public")) {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = path.to_string_lossy();
        if name.ends_with(".xml") {
            let text = std::fs::read_to_string(path).unwrap();
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
            checked += 1;
        } else if name.ends_with(".json") {
            let text = std::fs::read_to_string(path).unwrap();
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
            checked += 1;
        }
        if name.ends_with(".html") {
            for ld in json_ld(&std::fs::read_to_string(path).unwrap()) {
                assert!(ld.is_object());
            }
        }
    }
    assert!(checked >= 10, "only {checked} XML/JSON files");

    for path in ["public/atom.xml", "public/rss.xml", "public/feed.json"] {
        let feed = parse_feed(&site, path);
        assert_eq!(
            feed.entries[0].title.as_ref().unwrap().content,
            "Q&A: <script>alert('x')</script> \"quoted\" 🚀 עברית end",
            "{path}: control characters dropped, everything else kept"
        );
        assert_eq!(
            feed.entries[0].authors[0].name.as_deref(),
            Some("O'Brien & <Sons>"),
            "{path}"
        );
    }
    let article = site.read("public/hostile/index.html");
    assert!(!article.contains('\u{7}') && !article.contains('\u{1b}'));
    let ld = &json_ld(&article)[0];
    assert_eq!(
        ld["headline"],
        "Q&A: <script>alert('x')</script> \"quoted\" 🚀 עברית end"
    );
    assert_eq!(ld["publisher"]["name"], "Bits & <Bytes> \"Daily\"");
}

#[test]
fn feed_and_sitemap_urls_follow_a_base_url_with_a_path_prefix() {
    let site = newsroom();
    site.run(&["build", "--base-url", "https://user.github.io/repo"])
        .success();
    let atom = parse_feed(&site, "public/atom.xml");
    assert!(
        atom.links
            .iter()
            .any(|l| l.href == "https://user.github.io/repo/atom.xml")
    );
    assert_eq!(atom.entries[0].id, "https://user.github.io/repo/rust/");
    // The site's feed carries the text (a tag's carries summaries).
    let rss = parse_feed(&site, "public/rss.xml");
    let html = content_html(&rss.entries[1]);
    assert!(
        html.contains("src=\"https://user.github.io/repo/chips/fab.jpg\""),
        "{html}"
    );
    // A site-root link written in an article means the site's root, under its prefix, as
    // in every link the theme writes.
    assert!(
        html.contains("href=\"https://user.github.io/repo/reports/q1/\""),
        "{html}"
    );
    let json: serde_json::Value = serde_json::from_str(&site.read("public/feed.json")).unwrap();
    assert_eq!(json["feed_url"], "https://user.github.io/repo/feed.json");
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    for file in ["sitemap.xml", "news-sitemap.xml"] {
        let xml = site.read(&format!("public/{file}"));
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let locs: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .map(|n| n.text().unwrap())
            .collect();
        assert!(!locs.is_empty());
        assert!(
            locs.iter()
                .all(|l| l.starts_with("https://user.github.io/repo/")),
            "{file}: {locs:?}"
        );
    }
}

#[test]
fn html_holding_the_end_of_a_cdata_section_survives_in_feeds() {
    let site = newsroom();
    site.article(
        "raw",
        "title = \"Raw HTML\"\ndate = 2024-04-01",
        "Before <span data-x=\"a]]>b\">inline]]></span> after.\n\n<div>block ]]> end</div>",
    );
    site.build();
    for path in ["public/atom.xml", "public/rss.xml", "public/feed.json"] {
        let text = site.read(path);
        if path.ends_with(".xml") {
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}\n{text}"));
        }
        let feed = parse_feed(&site, path);
        let html = content_html(&feed.entries[0]);
        assert!(
            html.contains("<span data-x=\"a]]>b\">inline]]&gt;</span>")
                && html.contains("<div>block ]]> end</div>"),
            "{path}: {html}"
        );
    }
}

#[test]
fn a_theme_may_still_use_the_escaped_content_xml() {
    let site = newsroom();
    site.write(
        "templates/atom.xml",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{{ feed.title }}</title><id>{{ feed.atom_url }}</id><updated>{{ feed.updated }}</updated>{% for item in items %}<entry><title>{{ item.title }}</title><id>{{ item.url }}</id><updated>{{ item.last_modified }}</updated><content type=\"html\">{{ item.content_xml }}</content></entry>{% endfor %}</feed>\n",
    );
    site.build();
    let atom = site.read("public/atom.xml");
    assert!(
        atom.contains("&lt;p&gt;Supply is back.&lt;/p&gt;"),
        "{atom}"
    );
    let feed = parse_feed(&site, "public/atom.xml");
    let html = content_html(&feed.entries[1]);
    assert!(html.contains("<p>Supply is back.</p>"), "{html}");
}

#[test]
fn a_site_can_override_a_feed_template() {
    let site = newsroom();
    site.write(
        "templates/rss.xml",
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Custom {{ feed.title }}</title><link>{{ feed.page_url }}</link><description>d</description>{% for item in items %}<item><title>{{ item.title }}</title></item>{% endfor %}</channel></rss>\n",
    );
    site.build();
    let rss = parse_feed(&site, "public/tags/rust/rss.xml");
    assert_eq!(
        rss.title.as_ref().unwrap().content,
        "Custom Rust · Test News"
    );
    assert_eq!(titles(&rss), ["Rust in the kernel"]);
}

/// An apostrophe in a comment ("the writer's") once opened a quoted value in the scan of
/// the HTML, so the links after it stayed relative in feeds, where they lead nowhere.
#[test]
fn links_after_a_comment_with_a_quote_are_absolute_in_feeds() {
    let site = newsroom();
    site.article(
        "notes",
        "title = \"Notes\"\ndate = 2024-04-01",
        "<!-- the writer's note -->\n\nSee [the report](../chips/) and ![a fab](fab.jpg).",
    );
    site.build();
    let feed = parse_feed(&site, "public/atom.xml");
    assert_eq!(
        content_html(&feed.entries[0]),
        "<!-- the writer's note -->\n<p>See <a href=\"https://example.org/chips/\">the report</a> \
         and <img src=\"https://example.org/notes/fab.jpg\" alt=\"a fab\" />.</p>"
    );
}
