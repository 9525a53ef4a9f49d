//! Editorial controls: the editor's menus, the standfirst and kicker, times in the site's
//! time zone, corrections, author profiles, the breaking-news banner and the head hook.

mod common;

use common::TestSite;

/// The text of `html` from the first `start` to the end of the first `end` after it.
fn between(html: &str, start: &str, end: &str) -> String {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {html}"));
    let rest = &html[from..];
    let to = rest[start.len()..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} after {start:?} in {html}"));
    rest[..start.len() + to + end.len()].to_string()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 7 % 256) as u8, (y * 5 % 256) as u8, 90])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Png)
        .unwrap();
    bytes.into_inner()
}

#[test]
fn the_standfirst_follows_the_headline_under_the_sections_kicker() {
    let site = TestSite::new();
    site.article(
        "reviews/phone",
        "title = \"The phone, reviewed\"\ndate = 2024-03-02T08:30:00Z\ndescription = \"Fast, bright & costly.\"\ntags = [\"Phones\"]",
        "Text.",
    )
    .article(
        "loose",
        "title = \"Loose\"\ndate = 2024-03-01T00:00:00Z\ntags = [\"Chips\", \"Phones\"]",
        "Text.",
    );
    site.build().success();
    let page = site.read("public/phone/index.html");
    assert_eq!(
        between(&page, "<header>\n    <p class=\"kicker\">", "</h1>\n"),
        "<header>\n    <p class=\"kicker\"><a href=\"https://example.org/reviews/\">Reviews</a></p>\n    \n    <h1>The phone, reviewed</h1>\n"
    );
    assert_eq!(
        between(&page, "<h1>", "</p>"),
        "<h1>The phone, reviewed</h1>\n    <p class=\"standfirst\">Fast, bright &amp; costly.</p>"
    );
    // Outside every section the first tag is the kicker; without a description, no
    // standfirst.
    let loose = site.read("public/loose/index.html");
    assert_eq!(
        between(&loose, "<p class=\"kicker\">", "</h1>"),
        "<p class=\"kicker\"><a href=\"https://example.org/tags/chips/\">Chips</a></p>\n    <h1>Loose</h1>"
    );
    assert!(!loose.contains("standfirst"), "{loose}");
    // A description that only repeats the body's opening (as imports cut it) is no
    // standfirst: the reader would read it twice.
    site.article(
        "imported",
        "title = \"Imported\"\ndate = 2024-03-03\ndescription = \"The fund will go to the largest online video…\"",
        "The fund will go to the largest online video company.\n\nMore.",
    );
    site.build().success();
    let imported = site.read("public/imported/index.html");
    assert_eq!(
        between(&imported, "<h1>", "<p class=\"byline\">"),
        "<h1>Imported</h1>\n    \n    \n    <p class=\"byline\">"
    );
    assert!(imported.contains(
        "<meta name=\"description\" content=\"The fund will go to the largest online video…\">"
    ));
}

#[test]
fn a_sites_head_partial_lands_in_the_head_of_every_page() {
    let site = TestSite::with_config(&format!("{}[search]\nenabled = true\n", common::CONFIG));
    site.article(
        "news/one",
        "title = \"One\"\ndate = 2024-01-01\nauthors = [\"Ann Lee\"]\ntags = [\"Chips\"]",
        "Text.",
    )
    .article("two", "title = \"Two\"\ndate = 2024-01-02", "Text.")
    .write(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\n+++\nUs.\n",
    );
    // The theme's own partial is empty: nothing lands.
    site.build().success();
    assert_eq!(
        between(&site.read("public/index.html"), "(JSON Feed)", "</head>"),
        "(JSON Feed)\" href=\"https://example.org/feed.json\">\n\n</head>"
    );
    let snippet = "<script defer data-domain=\"example.org\" src=\"https://plausible.io/js/script.js\"></script>\n";
    site.write("templates/partials/head.html", snippet);
    site.build().success();
    let pages: Vec<_> = site
        .tree("public")
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .filter(|(_, html)| html.contains("<link rel=\"stylesheet\""))
        .collect();
    for (path, html) in &pages {
        assert_eq!(
            html.matches(snippet).count(),
            1,
            "{}: {html}",
            path.display()
        );
        assert!(
            html.contains(&format!("{snippet}</head>")),
            "{}: {html}",
            path.display()
        );
    }
    let names: Vec<String> = pages.iter().map(|(p, _)| p.display().to_string()).collect();
    for page in [
        "index.html",
        "one/index.html",
        "about/index.html",
        "news/index.html",
        "authors/index.html",
        "authors/ann-lee/index.html",
        "tags/index.html",
        "tags/chips/index.html",
        "search/index.html",
        "404.html",
    ] {
        assert!(names.iter().any(|n| n == page), "{page} in {names:?}");
    }
}

fn menu_site(menu: &str) -> TestSite {
    let site = TestSite::with_config(&format!("{}{menu}", common::CONFIG));
    site.article(
        "reviews/phone",
        "title = \"Phone\"\ndate = 2024-03-02T08:30:00Z",
        "Text.",
    )
    .write(
        "content/pages/about.md",
        "+++\ntitle = \"About us\"\n+++\nUs.\n",
    );
    site
}

#[test]
fn the_editors_menus_lead_the_masthead_and_the_footer() {
    let site = menu_site(
        "\n[[menu]]\nname = \"About\"\nurl = \"@/pages/about.md\"\nweight = 20\n\n[[menu]]\nname = \"Reviews\"\nurl = \"@/reviews/_index.md\"\nweight = 10\n\n[[menu]]\nname = \"Topics\"\nurl = \"/tags/\"\nweight = 20\n\n[[footer_menu]]\nname = \"Contact\"\nurl = \"mailto:desk@example.org\"\n\n[[footer_menu]]\nname = \"Phone\"\nurl = \"@/reviews/phone.md#verdict\"\n\n[[footer_menu]]\nname = \"Status\"\nurl = \"https://status.example.org/\"\n",
    );
    let err = site.run(&["build"]).failure();
    assert_eq!(
        err,
        "error: config.toml:21:7: `[[footer_menu]]` entry \"Contact\" has the `url` \"mailto:desk@example.org\": give an absolute URL (\"https://…\"), a path from the site's root (\"/about/\") or a content file (\"@/pages/about.md\")\n"
    );
    let config = site.read("config.toml").replace(
        "name = \"Contact\"\nurl = \"mailto:desk@example.org\"",
        "name = \"Contact\"\nurl = \"/pages/contact/\"",
    );
    site.write("config.toml", config);
    site.build().success();
    let home = site.read("public/index.html");
    // By weight, then as written.
    assert_eq!(
        between(&home, "<nav aria-label=\"Sections\">", "</nav>"),
        "<nav aria-label=\"Sections\">\n      <ul>\n        <li><a href=\"https://example.org/reviews/\">Reviews</a></li>\n        <li><a href=\"https://example.org/about/\">About</a></li>\n        <li><a href=\"https://example.org/tags/\">Topics</a></li>\n      </ul>\n    </nav>"
    );
    assert_eq!(
        between(&home, "<nav aria-label=\"Footer\">", "</nav>"),
        "<nav aria-label=\"Footer\">\n      <ul class=\"footer-menu\">\n        <li><a href=\"https://example.org/pages/contact/\">Contact</a></li>\n        <li><a href=\"https://example.org/phone/#verdict\">Phone</a></li>\n        <li><a href=\"https://status.example.org/\">Status</a></li>\n      </ul>\n    </nav>"
    );
    // Every page has them.
    let article = site.read("public/phone/index.html");
    assert!(article.contains("<li><a href=\"https://example.org/about/\">About</a></li>"));
    assert!(article.contains("<nav aria-label=\"Footer\">"));
}

#[test]
fn a_menu_link_to_content_the_site_does_not_publish_names_its_place() {
    let site = menu_site(
        "\n[[menu]]\nname = \"About\"\nurl = \"@/pages/about.md\"\n\n[[menu]]\nname = \"Team\"\nurl = \"@/pages/team.md\"\n",
    );
    assert_eq!(
        site.run(&["build"]).failure(),
        "error: config.toml:10:7: menu entry \"Team\" links to @/pages/team.md, which is no published article, page or section of the content folder\n"
    );
    // A draft is not published either.
    site.write(
        "content/pages/team.md",
        "+++\ntitle = \"Team\"\ndraft = true\n+++\nUs.\n",
    );
    assert!(
        site.run(&["build"])
            .failure()
            .starts_with("error: config.toml:10:7: menu entry \"Team\" links to @/pages/team.md")
    );
}

#[test]
fn without_a_menu_the_masthead_lists_sections_by_weight_then_title() {
    let site = menu_site("");
    site.story("desk/one", "One", "2024-01-01").write(
        "content/desk/_index.md",
        "+++\ntitle = \"Desk\"\nweight = -1\n+++\n",
    );
    site.build().success();
    let home = site.read("public/index.html");
    // `reviews` has no `_index.md`: weight 0, after Desk's -1.
    assert_eq!(
        between(&home, "<nav aria-label=\"Sections\">", "</nav>"),
        "<nav aria-label=\"Sections\">\n      <ul>\n        <li><a href=\"https://example.org/\">Latest</a></li>\n        <li><a href=\"https://example.org/desk/\">Desk</a></li>\n        <li><a href=\"https://example.org/reviews/\">Reviews</a></li>\n        <li><a href=\"https://example.org/authors/\">Authors</a></li>\n        <li><a href=\"https://example.org/tags/\">Topics</a></li>\n      </ul>\n    </nav>"
    );
    assert!(!home.contains("aria-label=\"Footer\""));
}

#[test]
fn bylines_show_the_time_in_the_sites_zone_in_pages_and_feeds() {
    let site = TestSite::with_config(&format!("{}timezone = \"Europe/Berlin\"\n", common::CONFIG));
    site.article(
        "winter",
        "title = \"Winter\"\ndate = 2024-03-02T08:30:00Z\nupdated = 2024-03-02T17:05:00+01:00",
        "Text.",
    )
    // Without an offset, a time is the site's wall-clock time; a date is its midnight.
    .article(
        "summer",
        "title = \"Summer\"\ndate = 2024-07-01 10:00",
        "Text.",
    )
    .article(
        "undated",
        "title = \"Day only\"\ndate = 2024-01-05",
        "Text.",
    );
    site.build().success();
    let winter = site.read("public/winter/index.html");
    assert_eq!(
        between(&winter, "<time datetime=", "</time>"),
        "<time datetime=\"2024-03-02T09:30:00+01:00\">2 March 2024, 09:30 CET</time>"
    );
    assert_eq!(
        between(&winter, "<p class=\"updated\">", "</p>"),
        "<p class=\"updated\">Updated <time datetime=\"2024-03-02T17:05:00+01:00\">2 March 2024, 17:05 CET</time></p>"
    );
    assert_eq!(
        between(
            &site.read("public/summer/index.html"),
            "<time datetime=",
            "</time>"
        ),
        "<time datetime=\"2024-07-01T10:00:00+02:00\">1 July 2024, 10:00 CEST</time>"
    );
    assert_eq!(
        between(
            &site.read("public/undated/index.html"),
            "<time datetime=",
            "</time>"
        ),
        "<time datetime=\"2024-01-05T00:00:00+01:00\">5 January 2024</time>"
    );
    let rss = site.read("public/rss.xml");
    assert!(
        rss.contains("<pubDate>Sat, 02 Mar 2024 09:30:00 +0100</pubDate>"),
        "{rss}"
    );
    assert!(
        rss.contains("<pubDate>Mon, 01 Jul 2024 10:00:00 +0200</pubDate>"),
        "{rss}"
    );
    let atom = site.read("public/atom.xml");
    assert!(
        atom.contains("<published>2024-03-02T09:30:00+01:00</published>"),
        "{atom}"
    );
}

#[test]
fn times_are_utc_unless_the_site_sets_a_zone_and_a_bad_zone_is_named() {
    let site = TestSite::new();
    site.article(
        "winter",
        "title = \"Winter\"\ndate = 2024-03-02T09:30:00+01:00",
        "Text.",
    );
    site.build().success();
    assert_eq!(
        between(
            &site.read("public/winter/index.html"),
            "<time datetime=",
            "</time>"
        ),
        "<time datetime=\"2024-03-02T08:30:00Z\">2 March 2024, 08:30 UTC</time>"
    );
    site.write(
        "config.toml",
        format!("{}timezone = \"Mars/Olympus_Mons\"\n", common::CONFIG),
    );
    assert_eq!(
        site.run(&["build"]).failure(),
        "error: config.toml:3:12: `timezone` \"Mars/Olympus_Mons\" is not a time zone: use an IANA name such as \"Europe/London\", \"America/New_York\" or \"UTC\"\n"
    );
}

#[test]
fn corrections_show_at_the_foot_in_json_ld_and_move_the_update() {
    let site = TestSite::new();
    site.article(
        "chip",
        "title = \"Chip\"\ndate = 2024-03-01T09:00:00Z\nupdated = 2024-03-01T12:00:00Z\n\n[[corrections]]\ndate = 2024-03-03T10:15:00Z\ntext = \"The chip has 12 cores, not 10.\"\n\n[[corrections]]\ndate = 2024-03-02\ntext = \"We misspelt the CEO's name.\"",
        "Text.",
    );
    site.build().success();
    let page = site.read("public/chip/index.html");
    assert_eq!(
        between(&page, "<aside class=\"corrections\"", "</aside>"),
        "<aside class=\"corrections\" aria-label=\"Corrections\">\n      <h2>Corrections</h2>\n      <ul><li><time datetime=\"2024-03-02T00:00:00Z\">2 March 2024</time>: We misspelt the CEO&#39;s name.</li><li><time datetime=\"2024-03-03T10:15:00Z\">3 March 2024, 10:15 UTC</time>: The chip has 12 cores, not 10.</li></ul>\n    </aside>"
    );
    // "Updated" and dateModified follow the latest correction, later than `updated`.
    assert_eq!(
        between(&page, "<p class=\"updated\">", "</p>"),
        "<p class=\"updated\">Updated <time datetime=\"2024-03-03T10:15:00Z\">3 March 2024, 10:15 UTC</time></p>"
    );
    assert!(
        page.contains("\"dateModified\": \"2024-03-03T10:15:00Z\", \"correction\": [{\"@type\": \"CorrectionComment\", \"datePublished\": \"2024-03-02T00:00:00Z\", \"text\": \"We misspelt the CEO's name.\"}, {\"@type\": \"CorrectionComment\", \"datePublished\": \"2024-03-03T10:15:00Z\", \"text\": \"The chip has 12 cores, not 10.\"}], "),
        "{page}"
    );
    assert!(
        site.read("public/atom.xml")
            .contains("<updated>2024-03-03T10:15:00Z</updated>")
    );
}

#[test]
fn a_bad_correction_is_named_with_its_place() {
    let site = TestSite::new();
    site.article(
        "chip",
        "title = \"Chip\"\ndate = 2024-03-01\n\n[[corrections]]\ndate = 2024-03-02\ntext = \"  \"",
        "Text.",
    );
    let file = std::path::Path::new("content/chip.md");
    assert_eq!(
        site.run(&["build"]).failure(),
        format!(
            "error: {}:7:8: a correction's `text` must say what was corrected\n",
            file.display()
        )
    );
    site.article(
        "chip",
        "title = \"Chip\"\ndate = 2024-03-01\n\n[[corrections]]\ndate = 2024-03-02\nnote = \"x\"",
        "Text.",
    );
    let err = site.run(&["build"]).failure();
    assert!(
        err.starts_with(&format!(
            "error: {}:7:1: unknown field `note`, expected `date` or `text`",
            file.display()
        )),
        "{err}"
    );
}

#[test]
fn an_author_profile_shows_photo_role_and_links() {
    let site = TestSite::new();
    site.write("static/images/ann.png", png(600, 600)).write(
        "content/authors/ann-lee.md",
        "+++\nname = \"Ann Lee\"\nrole = \"Chips reporter\"\nimage = \"/images/ann.png\"\n\n[links]\nsite = \"https://ann.example/\"\nmastodon = \"https://mastodon.social/@ann\"\ngithub = \"https://github.com/ann\"\n\n[extra]\npronouns = \"she/her\"\n+++\nAnn covers chips.\n",
    );
    site.article(
        "chip",
        "title = \"Chip\"\ndate = 2024-03-01\nauthors = [\"Ann Lee\"]",
        "Text.",
    );
    site.build().success();
    let page = site.read("public/authors/ann-lee/index.html");
    let photo = between(&page, "<img class=\"profile-photo\" src=\"", "\"");
    let url = photo
        .trim_start_matches("<img class=\"profile-photo\" src=\"")
        .trim_end_matches('"')
        .to_string();
    let file = url.strip_prefix("https://example.org/").unwrap();
    assert!(site.exists(&format!("public/{file}")), "{file}");
    assert_eq!(
        between(&page, "<header class=\"profile\">", "</header>"),
        format!(
            "<header class=\"profile\">\n  <img class=\"profile-photo\" src=\"{url}\" width=\"480\" height=\"480\" alt=\"Ann Lee\">\n  <h1 class=\"section-title\">Ann Lee</h1>\n  <p class=\"role\">Chips reporter</p>\n  <div class=\"bio\"><p>Ann covers chips.</p>\n</div>\n  <ul class=\"profile-links\"><li><a href=\"https://ann.example/\" rel=\"me\">Website</a></li><li><a href=\"https://mastodon.social/@ann\" rel=\"me\">Mastodon</a></li><li><a href=\"https://github.com/ann\" rel=\"me\">GitHub</a></li></ul>\n  <p class=\"count\">1 article</p>\n</header>"
        )
    );
    assert!(page.contains(&format!("\"url\": \"https://example.org/authors/ann-lee/\", \"jobTitle\": \"Chips reporter\", \"image\": \"{url}\", \"sameAs\": [\"https://ann.example/\", \"https://mastodon.social/@ann\", \"https://github.com/ann\"]}}}}</script>")), "{page}");
    // The article's byline has the photo; lists' bylines do not.
    let article = site.read("public/chip/index.html");
    assert!(
        article.contains(&format!("<p class=\"byline\"><img class=\"byline-photo\" src=\"{url}\" width=\"40\" height=\"40\" alt=\"\" decoding=\"async\">\n  <time")),
        "{article}"
    );
    assert!(!site.read("public/index.html").contains("byline-photo"));
}

#[test]
fn a_bad_author_link_or_photo_is_named_with_its_place() {
    let site = TestSite::new();
    let profile = std::path::Path::new("content/authors/ann-lee.md");
    site.write(
        "content/authors/ann-lee.md",
        "+++\nname = \"Ann Lee\"\n\n[links]\nmastodon = \"https://mastodon.social/@ann\"\nfacebok = \"https://facebook.com/ann\"\n+++\n",
    );
    let err = site.run(&["build"]).failure();
    assert!(
        err.starts_with(&format!(
            "error: {}:6:1: unknown field `facebok`, expected one of",
            profile.display()
        )),
        "{err}"
    );
    site.write(
        "content/authors/ann-lee.md",
        "+++\nname = \"Ann Lee\"\n\n[links]\nx = \"@ann\"\n+++\n",
    );
    assert_eq!(
        site.run(&["build"]).failure(),
        format!(
            "error: {}:5:5: `links.x` must be an http(s) URL such as \"https://example.org/\", not \"@ann\"\n",
            profile.display()
        )
    );
    site.write(
        "content/authors/ann-lee.md",
        "+++\nname = \"Ann Lee\"\nimage = \"/images/nobody.png\"\n+++\n",
    );
    assert_eq!(
        site.run(&["build"]).failure(),
        format!(
            "error: {}:3: image \"/images/nobody.png\": no such file (a file beside the article, or below static/)\n",
            profile.display()
        )
    );
}

/// A site with a breaking story, built at 2030-01-01T00:00:00Z.
fn breaking_site(until: &str) -> (TestSite, String) {
    let site = TestSite::new();
    site.article(
        "quake",
        &format!(
            "title = \"Quake hits the fab\"\ndate = 2029-12-31T20:00:00Z\nbreaking = true\n{until}"
        ),
        "Text.",
    )
    .story("calm", "Calm", "2029-12-01");
    let run = site
        .command(&["build"])
        .env("SOURCE_DATE_EPOCH", "1893456000")
        .run();
    (site, run.stderr())
}

const BANNER: &str = "<aside class=\"breaking\" aria-label=\"Breaking news\">\n  <div class=\"wrap\"><p><strong>Breaking</strong> <a href=\"https://example.org/quake/\">Quake hits the fab</a></p></div>\n</aside>\n<main id=\"main\" class=\"wrap\">";

#[test]
fn a_breaking_story_is_announced_on_every_page_until_it_ends() {
    let (site, _) = breaking_site("");
    for page in [
        "index.html",
        "quake/index.html",
        "calm/index.html",
        "tags/index.html",
        "404.html",
    ] {
        let html = site.read(&format!("public/{page}"));
        assert_eq!(html.matches(BANNER).count(), 1, "{page}: {html}");
    }
    let (site, _) = breaking_site("breaking_until = 2030-01-01T06:00:00Z");
    assert!(site.read("public/calm/index.html").contains(BANNER));
    // Ended before the build's reference time: no banner.
    let (site, _) = breaking_site("breaking_until = 2029-12-31T23:00:00Z");
    for page in ["index.html", "quake/index.html", "calm/index.html"] {
        let html = site.read(&format!("public/{page}"));
        assert!(!html.contains("class=\"breaking\""), "{page}: {html}");
    }
}

#[test]
fn breaking_until_needs_breaking_and_pages_are_never_breaking() {
    let site = TestSite::new();
    site.article(
        "quake",
        "title = \"Quake\"\ndate = 2024-01-01\nbreaking_until = 2024-01-02",
        "Text.",
    );
    assert_eq!(
        site.run(&["build"]).failure(),
        format!(
            "error: {}:4:18: `breaking_until` says when the breaking-news banner ends: set `breaking = true` too\n",
            "content/quake.md"
        )
    );
    site.remove("content/quake.md");
    site.write(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\nbreaking = true\n+++\nUs.\n",
    );
    assert_eq!(
        site.run(&["build"]).failure(),
        "error: content/pages/about.md:3:12: a page (in content/pages/) cannot be `breaking`: \
         pages are in no list\n"
    );
    site.write(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\npinned = true\nbreaking = false\n+++\nUs.\n",
    );
    assert_eq!(
        site.run(&["build"]).failure(),
        "error: content/pages/about.md:3:10: a page (in content/pages/) cannot be `pinned`: \
         pages are in no list\n"
    );
}

#[test]
fn a_build_by_the_clock_with_a_banner_that_ends_is_not_skipped_once_it_has_ended() {
    let site = TestSite::new();
    let until = chrono::Utc::now() + chrono::Duration::seconds(3);
    site.article(
        "quake",
        &format!(
            "title = \"Quake\"\ndate = 2024-01-01\nbreaking = true\nbreaking_until = {}",
            until.format("%Y-%m-%dT%H:%M:%SZ")
        ),
        "Text.",
    )
    .story("calm", "Calm", "2024-01-02");
    site.build().success();
    assert!(
        site.read("public/calm/index.html")
            .contains("class=\"breaking\"")
    );
    // Nothing changed but the time: the build record must not stand for the output.
    let left = until - chrono::Utc::now();
    std::thread::sleep(left.to_std().unwrap_or_default() + std::time::Duration::from_millis(300));
    let again = site.build().stdout();
    assert!(again.starts_with("built 2 articles, "), "{again}");
    assert!(
        !site
            .read("public/calm/index.html")
            .contains("class=\"breaking\"")
    );
    // Without a banner that ends, an unchanged site's build is skipped again.
    let cached = site.build().stdout();
    assert!(cached.contains("is up to date: 2 articles"), "{cached}");
}
