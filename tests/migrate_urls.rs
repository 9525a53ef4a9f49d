//! The URLs around the posts of an imported site: the old site's feeds keep their
//! subscribers (a copy of the matching feed at each old feed URL), its category, tag,
//! author and section lists redirect to Gazette's, `gazette import` proves how many old
//! URLs answer, and `published.toml` keeps them answering on a fresh clone.

mod common;

use common::TestSite;

/// A WordPress export of `items` (each an `<item>` element) on https://old.example.com,
/// with one author and the categories news (phones below it) and reviews.
fn wxr(items: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Old Desk</title>
<link>https://old.example.com</link>
<wp:base_site_url>https://old.example.com</wp:base_site_url>
<wp:author><wp:author_login>jane.doe</wp:author_login><wp:author_display_name>Jane Doe</wp:author_display_name></wp:author>
<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>News</wp:cat_name></wp:category>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>phones</wp:category_nicename><wp:category_parent>news</wp:category_parent><wp:cat_name>Phones</wp:cat_name></wp:category>
<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>reviews</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Reviews</wp:cat_name></wp:category>
{items}
</channel>
</rss>
"#
    )
}

/// A published post or page of the export.
fn item(id: u32, kind: &str, name: &str, date: &str, link: &str, categories: &str) -> String {
    format!(
        r#"<item><title>{name}</title><link>https://old.example.com{link}</link><dc:creator>jane.doe</dc:creator>
<content:encoded><![CDATA[Text of {name}.]]></content:encoded><wp:post_id>{id}</wp:post_id>
<wp:post_date_gmt>{date}</wp:post_date_gmt><wp:post_name>{name}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>{kind}</wp:post_type>{categories}</item>"#
    )
}

/// Three posts: two in News (one below it in Phones, and in Reviews too), one tagged Rust.
fn three_posts() -> String {
    [
        item(
            1,
            "post",
            "first",
            "2024-03-01 09:00:00",
            "/2024/03/01/first/",
            r#"<category domain="category" nicename="news">News</category><category domain="post_tag" nicename="rust">Rust</category>"#,
        ),
        item(
            2,
            "post",
            "second",
            "2024-03-02 09:00:00",
            "/2024/03/02/second/",
            r#"<category domain="category" nicename="phones">Phones</category><category domain="category" nicename="reviews">Reviews</category>"#,
        ),
        item(
            3,
            "post",
            "third",
            "2024-03-03 09:00:00",
            "/2024/03/03/third/",
            r#"<category domain="category" nicename="news">News</category>"#,
        ),
    ]
    .concat()
}

/// A site paging its lists by two, with `export` at `old/export.xml`.
fn site_with(export: &str) -> TestSite {
    let site = TestSite::with_config(&format!("{}paginate_by = 2\n", common::CONFIG));
    site.write("old/export.xml", export);
    site
}

fn import(site: &TestSite, extra: &[&str]) -> common::Run {
    let mut args = vec!["import", "--from", "wordpress", "old/export.xml"];
    args.extend(extra);
    site.run(&args).success()
}

/// A page sending browsers to `url`, titled `title`, as the build writes one: its script
/// keeps the address's fragment, its refresh is for browsers without script.
fn redirect(title: &str, url: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<link rel=\"canonical\" href=\"{url}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <script>location.replace(\"{url}\" + location.hash)</script>\n\
         <noscript><meta http-equiv=\"refresh\" content=\"0; url={url}\"></noscript>\n\
         </head>\n<body>\n\
         <p>This page has moved to <a href=\"{url}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
}

fn bytes(site: &TestSite, path: &str) -> Vec<u8> {
    std::fs::read(site.path().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn wordpress_feeds_keep_their_subscribers_and_archives_redirect() {
    let site = site_with(&wxr(&three_posts()));
    let out = import(&site, &[]).stdout();
    assert!(
        out.contains("old URLs of lists and feeds kept: 13\n"),
        "{out}"
    );
    assert!(
        out.ends_with(
            "old URLs: 19 of 19 answer\nrecorded in published.toml: 19 (build and check keep them answering)\n"
        ),
        "{out}"
    );
    // Lists with a file of their own keep their old URLs in it; the home page and tags in
    // config.toml.
    assert_eq!(
        site.read("content/news/_index.md"),
        "+++\ntitle = \"News\"\naliases = [\"/category/news/\"]\nrss_aliases = [\"/category/news/feed/\"]\n+++\n"
    );
    assert_eq!(
        site.read("content/authors/jane-doe.md"),
        "+++\nname = \"Jane Doe\"\naliases = [\"/author/jane-doe/\"]\nrss_aliases = [\"/author/jane-doe/feed/\"]\n\n[extra]\nimported_from = \"export.xml\"\n+++\n\n\n"
    );
    assert_eq!(
        site.read("config.toml"),
        format!(
            "{}paginate_by = 2\n\n\
             # Old URLs of the home page and of tags (`gazette import --from` found them):\n\
             # `aliases` redirect to the list, `rss_aliases` and `atom_aliases` get a copy of its feed.\n\
             [home]\nrss_aliases = [\"/feed/\", \"/feed/rss2/\"]\natom_aliases = [\"/feed/atom/\"]\n\n\
             [tags.phones]\naliases = [\"/category/news/phones/\"]\nrss_aliases = [\"/category/news/phones/feed/\"]\n\n\
             [tags.reviews]\naliases = [\"/category/reviews/\"]\nrss_aliases = [\"/category/reviews/feed/\"]\n\n\
             [tags.rust]\naliases = [\"/tag/rust/\"]\nrss_aliases = [\"/tag/rust/feed/\"]\n",
            common::CONFIG
        )
    );

    site.build();
    // A feed reader asking for an old feed gets the feed itself, byte for byte.
    for (old, feed) in [
        ("public/feed/index.html", "public/rss.xml"),
        ("public/feed/rss2/index.html", "public/rss.xml"),
        ("public/feed/atom/index.html", "public/atom.xml"),
        (
            "public/category/news/feed/index.html",
            "public/news/rss.xml",
        ),
        (
            "public/category/news/phones/feed/index.html",
            "public/tags/phones/rss.xml",
        ),
        (
            "public/category/reviews/feed/index.html",
            "public/tags/reviews/rss.xml",
        ),
        (
            "public/tag/rust/feed/index.html",
            "public/tags/rust/rss.xml",
        ),
        (
            "public/author/jane-doe/feed/index.html",
            "public/authors/jane-doe/rss.xml",
        ),
    ] {
        assert_eq!(bytes(&site, old), bytes(&site, feed), "{old}");
    }
    let feed = feed_rs::parser::parse(&bytes(&site, "public/feed/index.html")[..]).unwrap();
    assert_eq!(feed.entries.len(), 3);
    // Old list pages (and their further pages) send browsers to Gazette's.
    assert_eq!(
        site.read("public/category/news/index.html"),
        redirect("News", "https://example.org/news/")
    );
    assert_eq!(
        site.read("public/category/news/page/2/index.html"),
        redirect("News", "https://example.org/news/page/2/")
    );
    assert_eq!(
        site.read("public/tag/rust/index.html"),
        redirect("Rust", "https://example.org/tags/rust/")
    );
    // Hosts that read `_redirects` answer each with a real 301.
    assert_eq!(
        site.read("public/_redirects"),
        "/feed/ /rss.xml 301\n\
         /feed/rss2/ /rss.xml 301\n\
         /feed/atom/ /atom.xml 301\n\
         /category/news/ /news/ 301\n\
         /category/news/page/2/ /news/page/2/ 301\n\
         /category/news/feed/ /news/rss.xml 301\n\
         /author/jane-doe/ /authors/jane-doe/ 301\n\
         /author/jane-doe/page/2/ /authors/jane-doe/page/2/ 301\n\
         /author/jane-doe/feed/ /authors/jane-doe/rss.xml 301\n\
         /category/news/phones/ /tags/phones/ 301\n\
         /category/news/phones/feed/ /tags/phones/rss.xml 301\n\
         /category/reviews/ /tags/reviews/ 301\n\
         /category/reviews/feed/ /tags/reviews/rss.xml 301\n\
         /tag/rust/ /tags/rust/ 301\n\
         /tag/rust/feed/ /tags/rust/rss.xml 301\n"
    );

    // A second import finds every file as it left it.
    let before = (site.tree("content"), site.read("config.toml"));
    let again = import(&site, &[]).stdout();
    assert!(again.ends_with("old URLs: 19 of 19 answer\n"), "{again}");
    assert_eq!(before, (site.tree("content"), site.read("config.toml")));
}

#[test]
fn the_import_names_each_old_url_that_does_not_answer_and_a_dry_run_says_the_same() {
    // A page at /tags/, which is Gazette's list of tags: its old URL cannot be kept.
    let items = [
        item(
            1,
            "post",
            "first",
            "2024-03-01 09:00:00",
            "/2024/03/01/first/",
            r#"<category domain="category" nicename="news">News</category>"#,
        ),
        item(5, "page", "tags", "2024-03-04 09:00:00", "/tags/", ""),
    ]
    .concat();
    let site = site_with(&wxr(&items));
    let dry = import(&site, &["--dry-run"]);
    assert_eq!(
        dry.stdout(),
        "would import 2 articles (0 drafts, 0 scheduled): 2 to write, 0 unchanged, 0 kept hand-edited\n\
         files: 0 to copy, 0 unchanged, 0 kept; URLs kept: 3; author profiles to write: 1; section indexes to write: 1\n\
         old URLs of lists and feeds kept: 7\n\
         site settings: the old site had title \"Old Desk\": config.toml was left alone (it has its own)\n\
         skipped: 0\n\
         old URLs: 10 of 11 answer\n  \
         export.xml (page 5): /tags/ answers with the tags page\n"
    );
    assert!(
        dry.stderr().contains(
            "export.xml (page 5): old URL \"/tags/\" not kept: \"/tags/\" is where the site keeps pages of its own"
        ),
        "{}",
        dry.stderr()
    );
    assert!(!site.exists("content"), "a dry run writes nothing");
    assert!(!site.exists("published.toml"));
    assert_eq!(
        site.read("config.toml"),
        format!("{}paginate_by = 2\n", common::CONFIG)
    );

    let out = import(&site, &[]).stdout();
    assert!(
        out.ends_with(
            "old URLs: 10 of 11 answer\n  \
             export.xml (page 5): /tags/ answers with the tags page\n\
             recorded in published.toml: 10 (build and check keep them answering)\n"
        ),
        "{out}"
    );
}

#[test]
fn a_fresh_clone_of_an_imported_site_fails_check_when_an_imported_url_is_gone() {
    let imported = site_with(&wxr(&three_posts()));
    import(&imported, &[]);
    imported.build();
    // What git has: sources and published.toml, but no output and no build record.
    let clone = TestSite::new();
    for (path, bytes) in imported.tree("content") {
        let relative = path.strip_prefix(imported.path()).unwrap_or(&path);
        clone.write(&format!("content/{}", relative.display()), bytes);
    }
    clone.write("config.toml", imported.read("config.toml"));
    clone.write("published.toml", imported.read("published.toml"));
    assert!(!clone.exists("public") && !clone.exists(".public.gazette-cache"));
    clone.run(&["check"]).success();

    // The article moves without an alias for its old URL.
    let file = "content/news/first.md";
    let text = clone.read(file);
    clone.write(
        file,
        text.replace(
            "path = \"/2024/03/01/first/\"",
            "path = \"/2024/03/01/first-take/\"",
        ),
    );
    let problems = clone.check_fails();
    let gone = "content/news/first.md: /2024/03/01/first/ was published and is gone; add \"/2024/03/01/first/\" to the `aliases` of the article that replaces it";
    assert_eq!(
        problems
            .lines()
            .filter(|l| !l.ends_with("(note)"))
            .collect::<Vec<_>>(),
        [
            gone,
            // Three stories two to a page: the front page features the lead, and the other
            // two fill its river, so the home page has one page.
            "checked 14 pages, 274 internal links, external links not checked (--external checks them): 1 problem"
        ]
    );
    let build = clone.build();
    assert!(
        build.stderr().contains(&format!("warning: {gone}\n")),
        "{}",
        build.stderr()
    );
    // Its old URL in `aliases` answers again.
    let moved = clone.read(file).replace(
        "aliases = [\"/?p=1\"]",
        "aliases = [\"/?p=1\", \"/2024/03/01/first/\"]",
    );
    clone.write(file, moved);
    clone.run(&["check"]).success();
}

#[test]
fn hugo_feeds_and_term_lists_answer_at_their_old_urls() {
    let site = TestSite::new();
    site.write(
        "old/hugo.toml",
        "baseURL = \"https://old.example.org/\"\ntitle = \"Old\"\n",
    )
    .write(
        "old/content/posts/first.md",
        "---\ntitle: First\ndate: 2024-03-01\ntags: [Rust]\ncategories: [Web Dev]\n---\nHello.\n",
    );
    let out = site
        .run(&["import", "--from", "hugo", "old"])
        .success()
        .stdout();
    assert!(out.contains("old URLs: 10 of 10 answer\n"), "{out}");
    // The home page's and the tag's feeds at Hugo's index.xml, the category's list (a tag
    // now); /tags/rust/ and /posts/ are Gazette's own URLs already. The feeds of the
    // lists of all tags and all categories are copies of the home page's.
    assert!(
        site.read("config.toml").ends_with(
            "[home]\nrss_aliases = [\"/index.xml\", \"/tags/index.xml\", \"/categories/index.xml\"]\n\n\
             [tags.rust]\nrss_aliases = [\"/tags/rust/index.xml\"]\n\n\
             [tags.web-dev]\naliases = [\"/categories/web-dev/\"]\nrss_aliases = [\"/categories/web-dev/index.xml\"]\n"
        ),
        "{}",
        site.read("config.toml")
    );
    assert_eq!(
        site.read("content/posts/_index.md"),
        "+++\nrss_aliases = [\"/posts/index.xml\"]\n+++\n",
        "a section without _index.md keeps its folder's title"
    );
    site.build();
    for (old, feed) in [
        ("public/index.xml", "public/rss.xml"),
        ("public/posts/index.xml", "public/posts/rss.xml"),
        ("public/tags/rust/index.xml", "public/tags/rust/rss.xml"),
        (
            "public/categories/web-dev/index.xml",
            "public/tags/web-dev/rss.xml",
        ),
    ] {
        assert_eq!(bytes(&site, old), bytes(&site, feed), "{old}");
    }
}

#[test]
fn zola_feeds_answer_where_gazette_has_them_and_jekyll_feed_gets_a_copy() {
    let zola = TestSite::new();
    zola.write(
        "old/config.toml",
        "base_url = \"https://old.example.org\"\ntitle = \"Old\"\ngenerate_feeds = true\n\
         taxonomies = [{ name = \"tags\", feed = true }, { name = \"categories\" }]\n",
    )
    .write(
        "old/content/blog/2024-03-01-first.md",
        "+++\ntitle = \"First\"\n[taxonomies]\ntags = [\"Rust\"]\ncategories = [\"News\"]\n+++\nHello.\n",
    );
    let out = zola
        .run(&["import", "--from", "zola", "old"])
        .success()
        .stdout();
    // /atom.xml, /blog/ and /tags/rust/atom.xml are Gazette's own: only the category
    // (a tag now) needs an alias.
    assert!(out.contains("old URLs: 6 of 6 answer\n"), "{out}");
    assert!(
        zola.read("config.toml")
            .ends_with("[tags.news]\naliases = [\"/categories/news/\"]\n"),
        "{}",
        zola.read("config.toml")
    );

    let jekyll = TestSite::new();
    jekyll
        .write("old/_config.yml", "title: Old\nplugins:\n  - jekyll-feed\n")
        .write(
            "old/_posts/2024-03-01-first.md",
            "---\ntitle: First\n---\nHello.\n",
        );
    let out = jekyll
        .run(&["import", "--from", "jekyll", "old"])
        .success()
        .stdout();
    // The post (at its .html URL, a redirect) and jekyll-feed's /feed.xml.
    assert!(out.contains("old URLs: 2 of 2 answer\n"), "{out}");
    jekyll.build();
    assert_eq!(
        bytes(&jekyll, "public/feed.xml"),
        bytes(&jekyll, "public/atom.xml")
    );
}

#[test]
fn a_section_below_a_section_leads_to_its_sections_list() {
    // Hugo and Zola give `events/past/` (a folder with an `_index.md` of its own) a list
    // page and a feed; Gazette lists the whole top-level section on one list.
    let hugo = TestSite::new();
    hugo.write("old/hugo.toml", "baseURL = \"https://old.example.org/\"\n")
        .write("old/content/events/_index.md", "---\ntitle: Events\n---\n")
        .write(
            "old/content/events/past/_index.md",
            "---\ntitle: Past Events\n---\n",
        )
        .write(
            "old/content/events/past/meetup.md",
            "---\ntitle: Meetup\ndate: 2024-03-01\n---\nHello.\n",
        )
        .write("old/content/drafts/_index.md", "---\ntitle: Drafts\n---\n")
        .write(
            "old/content/drafts/later/_index.md",
            "---\ntitle: Later\n---\n",
        );
    let out = hugo
        .run(&["import", "--from", "hugo", "old"])
        .success()
        .stdout();
    assert!(out.contains("old URLs: 6 of 6 answer\n"), "{out}");
    assert_eq!(
        hugo.read("content/events/_index.md"),
        "+++\ntitle = \"Events\"\naliases = [\"/events/past/\"]\nrss_aliases = [\"/events/index.xml\", \"/events/past/index.xml\"]\n+++\n"
    );
    hugo.build();
    assert!(hugo.exists("public/events/past/index.html"));
    assert_eq!(
        bytes(&hugo, "public/events/past/index.xml"),
        bytes(&hugo, "public/events/rss.xml")
    );
    // A section with no article has no list in Gazette: its folder below is not kept.
    assert!(!hugo.read("public/_redirects").contains("/drafts/"));

    let zola = TestSite::new();
    zola.write(
        "old/config.toml",
        "base_url = \"https://old.example.org\"\ngenerate_feeds = true\n",
    )
    .write("old/content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n")
    .write(
        "old/content/blog/2023/_index.md",
        "+++\ntitle = \"2023\"\ngenerate_feeds = true\n+++\n",
    )
    .write(
        "old/content/blog/2023/first.md",
        "+++\ntitle = \"First\"\ndate = 2023-03-01\n+++\nHello.\n",
    );
    let out = zola
        .run(&["import", "--from", "zola", "old"])
        .success()
        .stdout();
    assert!(out.contains("old URLs: 5 of 5 answer\n"), "{out}");
    zola.build();
    assert!(zola.exists("public/blog/2023/index.html"));
    assert_eq!(
        bytes(&zola, "public/blog/2023/atom.xml"),
        bytes(&zola, "public/blog/atom.xml")
    );
}

#[test]
fn old_urls_of_lists_are_checked_when_the_site_loads() {
    let site = TestSite::with_config(&format!(
        "{}\n[tags.gone]\naliases = [\"/tag/gone/\"]\n",
        common::CONFIG
    ));
    site.story("first", "First", "2024-03-01");
    assert_eq!(
        site.run(&["build"]).failure(),
        "error: config.toml:5:12: `[tags.gone]` gives old URLs of the tag `gone`, which no article has: tag an article with it, or remove the table\n"
    );

    let site = TestSite::new();
    site.story("first", "First", "2024-03-01").write(
        "content/news/_index.md",
        "+++\ntitle = \"News\"\nrss_aliases = [\"/?feed=rss2\"]\n+++\n",
    );
    assert_eq!(
        site.run(&["build"]).failure(),
        "error: content/news/_index.md:3:16: alias \"/?feed=rss2\" has a query (`?…`), which no file of a list can answer\n"
    );

    let site = TestSite::new();
    site.story("first", "First", "2024-03-01").write(
        "content/authors/jane.md",
        "+++\nname = \"Jane\"\naliases = [\"/first/\"]\n+++\n",
    );
    assert_eq!(
        site.run(&["build"]).failure(),
        "error: content/authors/jane.md: the alias /first/ is the page of content/first.md: remove it or choose another\n"
    );
}
