//! `gazette import --from wordpress|hugo|zola|jekyll SOURCE`: another site's archive in,
//! articles with their fields, files and every old URL out.

mod common;

use common::{TestSite, content_file, strings};

const WXR: &str = include_str!("fixtures/migrate/wordpress.xml");

/// A page's text as a reader sees it: tags dropped, entities decoded, whitespace one space.
fn page_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A site with the fixture export and the uploads its attachments name.
fn wordpress_site() -> TestSite {
    let site = TestSite::new();
    site.write("old/export.xml", WXR)
        .write("old/uploads/2014/11/hero.jpg", jpeg(1200, 800))
        .write("old/uploads/2014/11/chart.png", png(300, 200));
    site
}

fn encoded(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::DynamicImage::new_rgb8(width, height)
        .write_to(&mut std::io::Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encoded(width, height, image::ImageFormat::Jpeg)
}

fn png(width: u32, height: u32) -> Vec<u8> {
    encoded(width, height, image::ImageFormat::Png)
}

fn import_wordpress(site: &TestSite) -> common::Run {
    site.run(&[
        "import",
        "--from",
        "wordpress",
        "old/export.xml",
        "--uploads",
        "old/uploads",
    ])
    .success()
}

#[test]
fn wordpress_posts_come_across_with_their_fields() {
    let site = wordpress_site();
    let run = import_wordpress(&site);
    let out = run.stdout();
    assert!(
        out.contains("imported 7 articles (2 drafts, 1 scheduled): 7 written"),
        "{out}"
    );
    assert!(out.contains("files: 2 copied"), "{out}");
    assert!(out.contains("URLs kept: 8"), "{out}");
    assert!(out.contains("skipped: 4"), "{out}");
    for reason in [
        "(nav_menu_item 17): a menu item",
        "(post 18): in the trash",
        "(product 19): of the post type \"product\"",
        "2 comments",
    ] {
        assert!(out.contains(reason), "{reason} in {out}");
    }
    let err = run.stderr();
    assert!(
        err.contains("(post 11): shortcodes kept as written, which pages show as text: poll"),
        "{err}"
    );
    assert!(
        err.contains("(page 20): its old URL /reviews/ is now the section's list page"),
        "{err}"
    );

    // The first category's top-level ancestor is the section; the rest are tags.
    let (fm, body) = content_file(&site.read("content/reviews/xiaomi-tv.md"));
    assert_eq!(
        fm["title"].as_str(),
        Some("Xiaomi teams up with Youku & Tudou on “smart” TV")
    );
    assert_eq!(
        fm["date"].to_string(),
        "2014-11-24T15:05:00Z",
        "the GMT date"
    );
    assert_eq!(fm["updated"].to_string(), "2014-11-25T09:00:00Z");
    assert_eq!(fm["path"].as_str(), Some("/2014/11/24/xiaomi-tv/"));
    assert_eq!(
        fm["description"].as_str(),
        Some("Xiaomi and Youku join forces.")
    );
    assert_eq!(strings(&fm["authors"]), ["Priya Patel"]);
    assert_eq!(strings(&fm["tags"]), ["Phones", "Xiaomi", "Youku Tudou"]);
    assert_eq!(
        fm["image"].as_str(),
        Some("/wp-content/uploads/2014/11/hero.jpg")
    );
    assert_eq!(fm["image_alt"].as_str(), Some("Xiaomi's smart TV"));
    assert_eq!(fm["image_caption"].as_str(), Some("The Mi TV 2 on show"));
    assert_eq!(fm["extra"]["wordpress_id"].as_integer(), Some(11));
    assert_eq!(
        fm["pinned"].as_bool(),
        Some(true),
        "a sticky post is pinned"
    );
    assert!(fm["extra"].get("sticky").is_none());
    assert_eq!(
        fm["extra"]["source_url"].as_str(),
        Some("https://news.example.net/xiaomi"),
        "the site's custom fields are kept, WordPress's own (_edit_lock) are not"
    );
    assert!(fm["extra"].get("_edit_lock").is_none());
    assert_eq!(
        strings(&fm["aliases"]),
        ["/?p=11"],
        "WordPress's short link"
    );
    // The classic editor's line breaks: `<br>`s inside paragraphs only (`wpautop`).
    assert!(
        body.trim_start().starts_with(
            "Xiaomi's expanding aspirations in the **smart TV** market got a boost.\\\n\
             Second line of the first paragraph.\n\n\
             ## What it means\n\n\
             In short:\n\n\
             - More content\n\
             - Lower prices\n\n\
             > We are very excited,\\\n\
             > said a spokesperson.\n\n"
        ),
        "{body:?}"
    );
    for markdown in [
        "| Model",
        "```python",
        "<!--more-->",
        "![The TV](/wp-content/uploads/2014/11/hero.jpg)",
        "*The Mi TV 2 at launch*",
        "[earlier story](/2014/11/20/earlier/)",
    ] {
        assert!(body.contains(markdown), "{markdown} in {body}");
    }
    let (section, _) = content_file(
        &format!("{}\n", site.read("content/reviews/_index.md").trim_end())
            .replace("+++\n\n", "+++\n"),
    );
    assert_eq!(section["title"].as_str(), Some("Reviews"));
    assert_eq!(
        section["description"].as_str(),
        Some("Hands-on with new devices")
    );

    let (draft, _) = content_file(&site.read("content/unfinished-thoughts.md"));
    assert_eq!(draft["draft"].as_bool(), Some(true));
    assert_eq!(
        draft["date"].to_string(),
        "2014-12-01T09:00:00Z",
        "a draft has no GMT date: its local one"
    );
    assert!(
        draft.get("path").is_none()
            && draft.get("aliases").is_none()
            && draft.get("tags").is_none(),
        "a draft was never public: no URL to keep; Uncategorized is no tag"
    );
    let (protected, _) = content_file(&site.read("content/members-only.md"));
    assert_eq!(
        protected["draft"].as_bool(),
        Some(true),
        "a static page asks no password"
    );
    assert!(protected.get("path").is_none() && protected.get("aliases").is_none());
    assert!(
        err.contains("(post 21): password-protected in WordPress: imported as a draft"),
        "{err}"
    );
    let (scheduled, _) = content_file(&site.read("content/coming-next-year.md"));
    assert_eq!(scheduled["date"].to_string(), "2999-01-01T09:00:00Z");
    assert!(scheduled.get("draft").is_none());
    let (page, _) = content_file(&site.read("content/pages/about.md"));
    assert_eq!(page["path"].as_str(), Some("/about/"));
    assert_eq!(strings(&page["aliases"]), ["/?page_id=16"]);
    // A page: its date kept, its byline under [extra] (a page is in no author's list).
    assert_eq!(page["date"].to_string(), "2010-01-01");
    assert!(page.get("authors").is_none());
    assert_eq!(strings(&page["extra"]["authors"]), ["Priya Patel"]);
    assert!(
        !site.exists("content/pages/_index.md"),
        "pages are no section: nothing describes them"
    );
    let (reviews, _) = content_file(&site.read("content/pages/reviews.md"));
    assert_eq!(
        reviews["path"].as_str(),
        Some("/pages/reviews/"),
        "/reviews/ is the section's now"
    );
    // Yoast's primary category, not the first listed, is the section.
    let (cafe, cafe_body) = content_file(&site.read("content/business/cafe-zurich.md"));
    assert_eq!(strings(&cafe["tags"]), ["Reviews"]);
    assert!(
        cafe_body.contains("[the TV story](/2014/11/24/xiaomi-tv/) and [a lost one](/?p=99)"),
        "a short link to a post leads to its URL: {cafe_body}"
    );
    assert_eq!(
        strings(&cafe["aliases"]),
        ["/2014/11/20/café-zürich/", "/?p=13"],
        "a URL Gazette cannot publish at redirects"
    );
    assert_eq!(
        strings(&cafe["authors"]),
        ["Jamie Hinks"],
        "first and last name when no display name"
    );

    assert!(
        site.read("content/authors/priya-patel.md")
            .contains("name = \"Priya Patel\"")
    );
    assert!(site.exists("content/authors/jamie-hinks.md"));
    assert_eq!(
        std::fs::read(
            site.path()
                .join("static/wp-content/uploads/2014/11/hero.jpg")
        )
        .unwrap(),
        jpeg(1200, 800)
    );
    assert!(site.exists("static/wp-content/uploads/2014/11/chart.png"));
}

#[test]
fn the_old_sites_title_description_and_language_replace_inits_placeholders() {
    let place = TestSite::new();
    place.run(&["init", "paper"]).success();
    place.write("paper/old/export.xml", WXR);
    let import = |extra: &[&str]| {
        let mut args = vec!["import", "--root", "paper", "--from", "wordpress"];
        args.extend_from_slice(extra);
        args.push("paper/old/export.xml");
        place.run(&args).success().stdout()
    };
    let dry = import(&["--dry-run"]);
    let line = "site settings: title \"Old Tech Desk\", description \"News & reviews\", language \"en-US\" into config.toml";
    assert!(dry.contains(&format!("\n{line}\nskipped:")), "{dry}");
    let init_config = place.read("paper/config.toml");
    assert!(
        init_config.starts_with("title = \"My Newsroom\"\n"),
        "nothing written dry"
    );

    assert!(import(&[]).contains(&format!("\n{line}\n")));
    assert_eq!(
        place.read("paper/config.toml"),
        init_config
            .replace("My Newsroom", "Old Tech Desk")
            .replace("Technology news.", "News & reviews")
            .replace("language = \"en\"", "language = \"en-US\"")
            + "\n# Old URLs of the home page and of tags (`gazette import --from` found them):\n\
               # `aliases` redirect to the list, `rss_aliases` and `atom_aliases` get a copy of its feed.\n\
               [home]\n\
               rss_aliases = [\"/feed/\", \"/feed/rss2/\"]\n\
               atom_aliases = [\"/feed/atom/\"]\n\
               \n\
               [tags.phones]\n\
               aliases = [\"/category/reviews/phones/\"]\n\
               rss_aliases = [\"/category/reviews/phones/feed/\"]\n\
               \n\
               [tags.xiaomi]\n\
               aliases = [\"/tag/xiaomi/\"]\n\
               rss_aliases = [\"/tag/xiaomi/feed/\"]\n\
               \n\
               [tags.youku-tudou]\n\
               aliases = [\"/tag/youku/\"]\n\
               rss_aliases = [\"/tag/youku/feed/\"]\n",
        "the rest of the file as init wrote it, and the old site's tag lists"
    );
    place.run(&["build", "--root", "paper"]).success();
    assert!(
        place
            .read("paper/public/index.html")
            .contains("<title>Old Tech Desk</title>")
    );

    // An editor's own title is theirs: the old one is told, not written.
    place.write(
        "paper/config.toml",
        init_config.replace("My Newsroom", "The Ledger"),
    );
    let out = import(&["--force"]);
    assert!(
        out.contains("\nsite settings: description \"News & reviews\", language \"en-US\" into config.toml; the old site had title \"Old Tech Desk\": config.toml was left alone (it has its own)\n"),
        "{out}"
    );
    assert!(
        place
            .read("paper/config.toml")
            .starts_with("title = \"The Ledger\"\n")
    );
}

#[test]
fn the_home_pages_old_urls_join_a_home_table_that_only_chooses_sections() {
    let site = wordpress_site();
    let config = format!("{}[home]\nsections = []\n", common::CONFIG);
    site.write("config.toml", &config);
    import_wordpress(&site);
    let written = site.read("config.toml");
    assert!(
        written.contains(
            "\n[home]\nsections = []\nrss_aliases = [\"/feed/\", \"/feed/rss2/\"]\natom_aliases = [\"/feed/atom/\"]\n\n"
        ),
        "{written}"
    );
    assert_eq!(written.matches("[home]").count(), 1, "{written}");
    site.build();
    assert!(site.exists("public/feed/rss2/index.html"));

    // A `[home]` naming old URLs of its own is left as written.
    let own = format!("{}[home]\naliases = [\"/blog/\"]\n", common::CONFIG);
    site.write("config.toml", &own);
    site.run(&[
        "import",
        "--from",
        "wordpress",
        "old/export.xml",
        "--uploads",
        "old/uploads",
        "--force",
    ])
    .success();
    assert!(
        site.read("config.toml")
            .contains("[home]\naliases = [\"/blog/\"]\n")
    );
    assert!(!site.read("config.toml").contains("/feed/atom/"));
}

#[test]
fn wordpress_pages_keep_their_text_and_old_urls_answer() {
    let site = wordpress_site();
    import_wordpress(&site);
    site.build();
    let page = site.read("public/2014/11/24/xiaomi-tv/index.html");
    // Compared without whitespace: highlighted code is split into spans.
    let text: String = page_text(&page).split_whitespace().collect();
    // The source's text, in its order, whatever became of the markup around it.
    let mut at = 0;
    for fragment in [
        "Xiaomi's expanding aspirations in the smart TV market got a boost.",
        "Second line of the first paragraph.",
        "What it means",
        "More content",
        "Lower prices",
        "We are very excited, said a spokesperson.",
        "The Mi TV 2 at launch",
        "Model Price",
        "Mi TV 2 $640",
        "YouTube video YouTube",
        "print(\"a < b & c\")",
        "[poll id=\"7\"]",
        "Read the earlier story .",
    ] {
        let fragment: String = fragment.split_whitespace().collect();
        let found = text[at..]
            .find(&fragment)
            .unwrap_or_else(|| panic!("{fragment:?} after byte {at} of {text}"));
        at += found + fragment.len();
    }
    for html in [
        "<h2",
        "<li>More content</li>",
        "<blockquote>",
        "<table>",
        "<em>The Mi TV 2 at launch</em>",
        "href=\"/2014/11/20/earlier/\"",
        "<a class=\"embed-facade\" href=\"https://www.youtube.com/watch?v=abc123\" \
         data-embed=\"https://www.youtube-nocookie.com/embed/abc123?autoplay=1\">",
    ] {
        assert!(page.contains(html), "{html} in {page}");
    }
    assert!(
        page.contains("<picture"),
        "body images from the uploads get variants: {page}"
    );
    assert!(page_text(&site.read("public/about/index.html")).contains("We cover technology."));
    let alias = site.read("public/2014/11/20/café-zürich/index.html");
    assert!(
        alias.contains("url=https://example.org/cafe-zurich/"),
        "{alias}"
    );
    assert!(
        site.exists("public/wp-content/uploads/2014/11/hero.jpg"),
        "the old image URLs answer too"
    );
    assert!(
        !site.exists("public/coming-next-year/index.html"),
        "scheduled stays scheduled"
    );
    assert!(
        !site.exists("public/unfinished-thoughts/index.html"),
        "a draft stays a draft"
    );
    assert!(
        site.read("public/reviews/index.html")
            .contains("Xiaomi teams up")
    );
    let map: serde_json::Value =
        serde_json::from_str(&site.read("public/query-aliases.json")).unwrap();
    assert_eq!(map["/?p=11"], "https://example.org/2014/11/24/xiaomi-tv/");
    assert_eq!(map["/?page_id=16"], "https://example.org/about/");
}

#[test]
fn reimporting_changes_nothing_and_never_overwrites_a_hand_edit() {
    let site = wordpress_site();
    import_wordpress(&site);
    let before = site.tree("content");
    let again = import_wordpress(&site).stdout();
    assert!(
        again.contains("0 written, 7 unchanged, 0 kept hand-edited"),
        "{again}"
    );
    assert!(again.contains("files: 0 copied, 2 unchanged"), "{again}");
    assert_eq!(before, site.tree("content"));

    let edited = site
        .read("content/business/cafe-zurich.md")
        .replace("Where the coders meet.", "Where the coders meet, edited.");
    site.write("content/business/cafe-zurich.md", &edited);
    site.write(
        "old/export.xml",
        WXR.replace("Where the coders meet.", "Where coders meet now."),
    );
    let run = import_wordpress(&site);
    assert!(
        run.stdout().contains("1 kept hand-edited"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stderr()
            .contains("content/business/cafe-zurich.md was edited by hand: kept the edited file"),
        "{}",
        run.stderr()
    );
    assert_eq!(site.read("content/business/cafe-zurich.md"), edited);

    site.run(&["import", "--from", "wordpress", "old/export.xml", "--force"])
        .success();
    assert!(
        site.read("content/business/cafe-zurich.md")
            .contains("Where coders meet now.")
    );
}

#[test]
fn a_dry_run_reports_and_writes_nothing() {
    let site = wordpress_site();
    let out = site
        .run(&[
            "import",
            "--from",
            "wordpress",
            "old/export.xml",
            "--uploads",
            "old/uploads",
            "--dry-run",
        ])
        .success()
        .stdout();
    assert!(
        out.contains("would import 7 articles (2 drafts, 1 scheduled): 7 to write"),
        "{out}"
    );
    assert!(out.contains("files: 2 to copy"), "{out}");
    assert!(!site.exists("content"));
    assert!(!site.exists("static"));
}

#[test]
fn without_uploads_images_stay_at_their_old_urls() {
    let site = wordpress_site();
    let run = site
        .run(&["import", "--from", "wordpress", "old/export.xml"])
        .success();
    assert!(
        run.stderr()
            .contains("2 attachments are not copied (no --uploads folder given)"),
        "{}",
        run.stderr()
    );
    let (fm, body) = content_file(&site.read("content/reviews/xiaomi-tv.md"));
    assert_eq!(
        fm["image"].as_str(),
        Some("https://old.example.com/wp-content/uploads/2014/11/hero.jpg")
    );
    assert!(
        body.contains("(https://old.example.com/wp-content/uploads/2014/11/chart.png)"),
        "{body}"
    );
    site.build();
}

#[test]
fn other_encodings_are_read_as_declared() {
    let site = TestSite::new();
    let latin1: Vec<u8> = WXR
        .replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"")
        .replace(['“', '”'], "\"")
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1"))
        .collect();
    site.write("old/export.xml", latin1);
    site.run(&["import", "--from", "wordpress", "old/export.xml"])
        .success();
    let (fm, _) = content_file(&site.read("content/business/cafe-zurich.md"));
    assert_eq!(fm["title"].as_str(), Some("Café culture in Zürich"));
}

#[test]
fn broken_exports_are_refused_naming_line_and_column() {
    let site = TestSite::new();
    site.write(
        "content/kept.md",
        "+++\ntitle = \"Kept\"\ndate = 2024-01-01\n+++\nMine.\n",
    );
    for (xml, expected) in [
        (
            "<rss><channel>\n<item><title>x</titel></item></channel></rss>",
            "old/export.xml:2:",
        ),
        (
            "<rss><channel>\n<item><title>x</title>",
            "ends inside <item>",
        ),
        ("<feed></feed>", "the root element is <feed>, not <rss>"),
        (
            "<rss><channel><item><title>&nbsp;&bogus;</title></item></channel></rss>",
            "unknown entity &bogus;",
        ),
        (
            "<?xml version=\"1.0\" encoding=\"klingon\"?><rss/>",
            "names the encoding \"klingon\"",
        ),
    ] {
        site.write("old/export.xml", xml);
        let err = site
            .run(&["import", "--from", "wordpress", "old/export.xml"])
            .failure();
        assert!(err.contains("old/export.xml"), "{err}");
        assert!(err.contains(expected), "{expected} in {err}");
        assert_eq!(site.tree("content").len(), 1, "nothing written");
    }
    site.write("old/export.xml", b"<rss>caf\xe9</rss>".as_slice());
    let err = site
        .run(&["import", "--from", "wordpress", "old/export.xml"])
        .failure();
    assert!(err.contains("is not valid UTF-8"), "{err}");
    let err = site
        .run(&["import", "--from", "wordpress", "old/missing.xml"])
        .failure();
    assert!(err.contains("old/missing.xml: cannot read"), "{err}");
    let err = site
        .run(&[
            "import",
            "--from",
            "hugo",
            "old/export.xml",
            "--uploads",
            "x",
        ])
        .failure();
    assert!(err.contains("--uploads is for WordPress"), "{err}");
}

/// A Hugo site: TOML, YAML and JSON front matter, a section with `permalinks`, a page
/// bundle, aliases, `url`, shortcodes and a `ref`.
fn hugo_site(site: &TestSite) {
    site.write("old/hugo.toml", "baseURL = \"https://old.example.com/\"\ntitle = \"Old\"\n[permalinks]\nposts = \"/:year/:month/:slug/\"\n")
        .write("old/content/posts/_index.md", "+++\ntitle = \"All posts\"\ndescription = \"Everything we wrote\"\nweight = 2\n[params]\nicon = \"pen\"\n+++\nThe archive.\n")
        .write("old/content/posts/first.md", "+++\ntitle = \"First Post\"\ndate = 2014-11-24T10:00:00+01:00\nslug = \"first-post\"\ntags = [\"Rust\"]\ncategories = [\"News\"]\naliases = [\"/old/first/\", \"renamed\"]\ndescription = \"The first one\"\nauthor = \"Jane Doe\"\nseries = \"Intro\"\n+++\nHello {{< figure src=\"/images/a.png\" alt=\"An A\" caption=\"The letter\" >}}\n\n{{< youtube abc123 >}}\n\nSee {{< ref \"posts/second/index.md\" >}} and {{< gist jane 42 >}}.\n\n{{< unknown thing >}}\n\n{{< highlight go >}}\nfunc main() {}\n{{< /highlight >}}\n")
        .write("old/content/posts/second/index.md", "---\ntitle: Second\ndate: 2014-12-01\ndraft: true\nimages: [cover.png]\ntags: [Go]\n---\nA bundle.\n")
        .write("old/content/posts/second/cover.png", png(64, 64))
        .write("old/content/about.md", "{\n  \"title\": \"About\",\n  \"date\": \"2010-01-01\",\n  \"url\": \"/about-us/\",\n  \"image\": \"/images/logo.svg\"\n}\nWho we are. ![Logo](/images/logo.svg)\n")
        .write("old/static/images/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .write("old/content/posts/legacy.html", "---\ntitle: Legacy\ndate: 2013-05-01\n---\n<p>Old <em>HTML</em> post.</p><ul><li>kept</li></ul>\n")
        .write("old/content/page/colophon.md", "---\ntitle: Colophon\ndate: 2010-01-02\n---\nSet in type.\n")
        .write("old/content/posts/notes.adoc", "= Notes\n\nIn AsciiDoc.\n")
        .write("old/static/images/a.png", png(32, 32));
}

#[test]
fn hugo_sites_come_across_with_bundles_sections_and_their_urls() {
    let site = TestSite::new();
    hugo_site(&site);
    let run = site.run(&["import", "--from", "hugo", "old"]).success();
    let out = run.stdout();
    assert!(
        out.contains("imported 5 articles (1 draft, 0 scheduled): 5 written"),
        "{out}"
    );
    // Two images, the bundle's cover, and the redirect page of the list of all
    // categories (`/categories/` → `/tags/`).
    assert!(out.contains("files: 4 copied"), "{out}");
    assert!(
        out.contains("notes.adoc: content in a format other than Markdown"),
        "{out}"
    );
    assert!(
        run.stderr()
            .contains("\"/page/colophon/\" is where the site keeps pages of its own"),
        "{}",
        run.stderr()
    );
    let (legacy, body) = content_file(&site.read("content/posts/legacy.md"));
    assert_eq!(legacy["path"].as_str(), Some("/2013/05/legacy/"));
    assert!(
        body.contains("Old *HTML* post.\n\n- kept"),
        "HTML content becomes Markdown: {body}"
    );
    assert!(
        site.exists("content/pages/colophon.md"),
        "Hugo's page/ is Gazette's pagination"
    );
    assert!(
        run.stderr().contains(
            "first.md: Hugo syntax kept as written (pages show it as text): {{< unknown >}}"
        ),
        "{}",
        run.stderr()
    );

    let (fm, body) = content_file(&site.read("content/posts/first-post.md"));
    assert_eq!(
        fm["path"].as_str(),
        Some("/2014/11/first-post/"),
        "from hugo.toml's permalinks"
    );
    assert_eq!(fm["date"].to_string(), "2014-11-24T10:00:00+01:00");
    assert_eq!(strings(&fm["aliases"]), ["/old/first/", "/2014/11/renamed"]);
    assert_eq!(strings(&fm["tags"]), ["Rust", "News"]);
    assert_eq!(strings(&fm["authors"]), ["Jane Doe"]);
    assert_eq!(fm["description"].as_str(), Some("The first one"));
    assert_eq!(
        fm["extra"]["series"].as_str(),
        Some("Intro"),
        "unknown keys kept for templates"
    );
    for markdown in [
        "Hello \n\n{{ figure(src=\"/images/a.png\", alt=\"An A\", caption=\"The letter\") }}",
        "{{ youtube(id=\"abc123\") }}",
        "See /2014/12/second/ and {{ gist(user=\"jane\", id=\"42\") }}.",
        "{{< unknown thing >}}",
        "```go\nfunc main() {}\n```",
    ] {
        assert!(body.contains(markdown), "{markdown} in {body}");
    }
    let (second, _) = content_file(&site.read("content/posts/second/index.md"));
    assert_eq!(second["draft"].as_bool(), Some(true));
    assert_eq!(
        second["image"].as_str(),
        Some("cover.png"),
        "a file of the bundle"
    );
    assert!(site.exists("content/posts/second/cover.png"));
    let (about, _) = content_file(&site.read("content/about.md"));
    assert_eq!(about["path"].as_str(), Some("/about-us/"));
    assert!(about.get("image").is_none(), "an SVG cannot lead");
    assert_eq!(about["extra"]["image"].as_str(), Some("/images/logo.svg"));
    assert!(
        run.stderr()
            .contains("its lead image \"/images/logo.svg\" is not JPEG, PNG, WebP or GIF"),
        "{}",
        run.stderr()
    );
    assert!(site.exists("static/images/a.png"));
    let (index, intro) = content_file(&site.read("content/posts/_index.md"));
    assert_eq!(index["title"].as_str(), Some("All posts"));
    assert_eq!(intro.trim(), "The archive.");
    assert_eq!(index["weight"].as_integer(), Some(2));
    assert_eq!(index["extra"]["params"]["icon"].as_str(), Some("pen"));

    site.run(&["build", "--drafts"]).success();
    assert!(
        site.read("public/2014/11/first-post/index.html")
            .contains("First Post")
    );
    assert!(
        site.read("public/old/first/index.html")
            .contains("url=https://example.org/2014/11/first-post/")
    );
    assert!(site.exists("public/2014/11/renamed/index.html"));
    assert!(site.exists("public/about-us/index.html"));
    assert!(site.exists("public/2014/12/second/index.html"));
    assert!(
        site.read("public/posts/index.html")
            .contains("The archive.")
    );

    let before = site.tree("content");
    let again = site
        .run(&["import", "--from", "hugo", "old"])
        .success()
        .stdout();
    assert!(again.contains("0 written, 5 unchanged"), "{again}");
    assert!(again.contains("files: 0 copied, 4 unchanged"), "{again}");
    assert_eq!(before, site.tree("content"));
}

#[test]
fn zola_sites_take_dates_from_file_names_and_keep_internal_links() {
    let site = TestSite::new();
    site.write("old/config.toml", "base_url = \"https://old.example.com\"\n")
        .write("old/content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n")
        .write("old/content/blog/2024-01-02-hello.md", "+++\ntitle = \"Hello\"\naliases = [\"/hi/\"]\n[taxonomies]\ntags = [\"rust\"]\n[extra]\nmood = \"happy\"\n+++\nSee [the other](@/blog/other/index.md#top).\n\n{{ youtube(id=\"xyz\") }}\n\n{% note() %}\nA note\n{% end %}\n")
        .write("old/content/blog/other/index.md", "+++\ntitle = \"Other\"\ndate = 2024-02-01\npath = \"custom/other\"\n+++\n# Top\n![pic](pic.png)\n\n[Back](@/blog/2024-01-02-hello.md)\n")
        .write("old/content/blog/other/pic.png", png(16, 16))
        .write("old/content/blog/2024-03-04_third.md", "+++\ntitle = \"Third\"\n+++\nText.\n");
    let run = site.run(&["import", "--from", "zola", "old"]).success();
    let (third, _) = content_file(&site.read("content/blog/third.md"));
    assert_eq!(third["date"].to_string(), "2024-03-04");
    assert_eq!(third["path"].as_str(), Some("/blog/third/"));
    assert!(
        run.stdout().contains("imported 3 articles"),
        "{}",
        run.stdout()
    );
    assert!(run.stderr().contains("{% note() %}"), "{}", run.stderr());
    let (fm, body) = content_file(&site.read("content/blog/hello.md"));
    assert_eq!(fm["date"].to_string(), "2024-01-02", "from the file name");
    assert_eq!(fm["path"].as_str(), Some("/blog/hello/"));
    assert_eq!(strings(&fm["aliases"]), ["/hi/"]);
    assert_eq!(strings(&fm["tags"]), ["rust"]);
    assert_eq!(fm["extra"]["mood"].as_str(), Some("happy"));
    assert!(
        body.contains("[the other](@/blog/other/index.md#top)"),
        "{body}"
    );
    assert!(
        body.contains("{{ youtube(id=\"xyz\") }}\n\n{%/* note() */%}\nA note\n{%/* end */%}"),
        "Gazette's own youtube, the site's own shortcode as text: {body}"
    );
    let (other, other_body) = content_file(&site.read("content/blog/other/index.md"));
    assert!(
        other_body.contains("[Back](@/blog/hello.md)"),
        "a link to a file the import renamed follows it: {other_body}"
    );
    assert_eq!(other["path"].as_str(), Some("/custom/other/"));
    assert!(site.exists("content/blog/other/pic.png"));

    site.build();
    let hello = site.read("public/blog/hello/index.html");
    assert!(
        hello.contains("href=\"https://example.org/custom/other/#top\""),
        "{hello}"
    );
    assert!(site.exists("public/hi/index.html"));
    assert!(
        site.read("public/custom/other/index.html")
            .contains("href=\"https://example.org/blog/hello/\"")
    );
}

#[test]
fn jekyll_sites_keep_their_html_urls_as_redirects() {
    let site = TestSite::new();
    site.write("old/_config.yml", "title: Old\nexclude: [notes]\n")
        .write("old/_posts/2014-11-24-hello-world.md", "---\nlayout: post\ntitle: \"Hello, World\"\ncategories: [News, Tech]\ntags: launch big\nauthor: jdoe\nredirect_from: /old-hello/\nimage: /assets/x.png\n---\nRead [the next one]({% post_url 2014-11-25-second %}).\n\n![x]({{ site.baseurl }}/assets/x.png)\n\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n\n{% include note.html %}\n")
        .write("old/_posts/2014-11-25-second.markdown", "---\ntitle: Second\ndate: 2014-11-25 08:30:00 +0100\n---\nMore.\n")
        .write("old/_drafts/wip.md", "---\ntitle: Work in progress\n---\nSoon.\n")
        .write("old/reviews/_posts/2014-12-01-phone.md", "---\ntitle: Phone\n---\nGood.\n")
        .write("old/_docs/intro.md", "---\ntitle: Intro\n---\nA collection.\n")
        .write("old/_layouts/default.html", "{{ content }}")
        .write("old/about.md", "---\ntitle: About\npermalink: /about/\n---\nWho we are.\n")
        .write("old/index.html", "---\nlayout: home\n---\n{% for post in site.posts %}{% endfor %}\n")
        .write("old/assets/x.png", png(8, 8))
        .write("old/notes/todo.txt", "not published")
        .write("old/_data/authors.yml", "jdoe:\n  name: John Doe\n  bio: Writes about chips.\n");
    let run = site.run(&["import", "--from", "jekyll", "old"]).success();
    let out = run.stdout();
    assert!(
        out.contains("imported 5 articles (1 draft, 0 scheduled)"),
        "{out}"
    );
    assert!(
        out.contains("index.html: a page the old site's templates make")
            && out.contains("_docs: a folder Jekyll does not publish")
            && !out.contains("_layouts"),
        "{out}"
    );
    assert!(run.stderr().contains("{% include %}"), "{}", run.stderr());

    let (fm, body) = content_file(&site.read("content/hello-world.md"));
    assert_eq!(fm["title"].as_str(), Some("Hello, World"));
    assert_eq!(fm["date"].to_string(), "2014-11-24");
    assert_eq!(
        strings(&fm["aliases"]),
        ["/news/tech/2014/11/24/hello-world.html", "/old-hello/"]
    );
    assert_eq!(strings(&fm["tags"]), ["launch", "big", "News", "Tech"]);
    assert_eq!(strings(&fm["authors"]), ["John Doe"]);
    assert_eq!(fm["image"].as_str(), Some("/assets/x.png"));
    assert!(
        body.contains("[the next one](/2014/11/25/second.html)"),
        "{body}"
    );
    assert!(body.contains("![x](/assets/x.png)"), "{body}");
    assert!(body.contains("```ruby\nputs 1\n```"), "{body}");
    let (second, _) = content_file(&site.read("content/second.md"));
    assert_eq!(second["date"].to_string(), "2014-11-25T08:30:00+01:00");
    let (draft, _) = content_file(&site.read("content/wip.md"));
    assert_eq!(draft["draft"].as_bool(), Some(true));
    let (about, _) = content_file(&site.read("content/pages/about.md"));
    assert_eq!(about["path"].as_str(), Some("/about/"));
    assert!(
        about.get("date").is_none(),
        "a Jekyll page has none, and gets none"
    );
    assert!(
        !run.stderr().contains("about.md: has no date"),
        "{}",
        run.stderr()
    );
    assert!(
        site.read("content/authors/john-doe.md")
            .contains("Writes about chips.")
    );
    assert!(site.exists("static/assets/x.png"));
    assert!(
        !site.exists("static/notes/todo.txt"),
        "excluded in _config.yml"
    );

    site.build();
    let alias = site.read("public/news/tech/2014/11/24/hello-world.html");
    assert!(
        alias.contains("url=https://example.org/hello-world/"),
        "{alias}"
    );
    assert!(site.exists("public/2014/11/25/second.html"));
    assert!(site.exists("public/about/index.html"));
    // A post in `reviews/_posts/` is in the category, and the section, "reviews".
    assert!(site.exists("content/reviews/phone.md"));
    assert!(site.exists("public/reviews/2014/12/01/phone.html"));
}

#[test]
fn bad_front_matter_in_a_site_is_refused_with_its_position() {
    let site = TestSite::new();
    site.write("old/_config.yml", "title: Old\n")
        .write(
            "old/_posts/2014-11-24-ok.md",
            "---\ntitle: Fine\n---\nText.\n",
        )
        .write(
            "old/_posts/2014-11-25-bad.md",
            "---\ntitle: Broken\ntags: [a\n---\nText.\n",
        );
    let err = site.run(&["import", "--from", "jekyll", "old"]).failure();
    assert!(err.contains("old/_posts/2014-11-25-bad.md:4:"), "{err}");
    assert!(!site.exists("content"), "nothing written");
    let err = site.run(&["import", "--from", "hugo", "old"]).failure();
    assert_eq!(
        err,
        "error: old: has no Hugo configuration: looked for hugo.toml, hugo.yaml, hugo.yml, hugo.json, config.toml, config.yaml, config.yml, config.json and the folders config/_default/, config/production/: is it a Hugo site?\n"
    );
}

/// A WordPress export from `https://old.example.com` holding `items` (see [`item`]).
fn export(items: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel><title>Old</title><link>https://old.example.com</link><wp:base_site_url>https://old.example.com</wp:base_site_url><wp:base_blog_url>https://old.example.com</wp:base_blog_url>\n{}\n</channel></rss>\n",
        items.join("\n")
    )
}

/// A published post (or page) of an export: its ID, slug, permalink below the old site,
/// GMT date and title; its text links the post with ID 40 by its short link.
fn item(id: u32, kind: &str, slug: &str, link: &str, date: &str, title: &str) -> String {
    format!(
        "<item><title>{title}</title><link>https://old.example.com{link}</link><dc:creator>priya</dc:creator><content:encoded><![CDATA[Text of {title}. See <a href=\"https://old.example.com/?p=40\">the gadget</a>.]]></content:encoded><wp:post_id>{id}</wp:post_id><wp:post_date_gmt>{date}</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status><wp:post_type>{kind}</wp:post_type></item>"
    )
}

/// The `<h1>` of an output page.
fn heading(site: &TestSite, page: &str) -> String {
    let html = site.read(page);
    let start = html.find("<h1>").expect("a heading") + 4;
    html[start..start + html[start..].find("</h1>").unwrap()].to_string()
}

#[test]
fn posts_sharing_a_url_import_into_a_site_that_builds_and_every_old_url_answers() {
    let site = TestSite::new();
    site.write(
        "old/export.xml",
        export(&[
            // Listed first, published second: the URL goes to the one published first.
            item(
                31,
                "post",
                "launch-2",
                "/2014/11/24/launch/",
                "2014-11-25 09:00:00",
                "Launch, again",
            ),
            item(
                30,
                "post",
                "launch",
                "/2014/11/24/launch/",
                "2014-11-24 09:00:00",
                "Launch",
            ),
            // Two posts of one ID (exports merged by hand), so one `?p=`.
            item(
                40,
                "post",
                "gadget",
                "/2014/12/01/gadget/",
                "2014-12-01 09:00:00",
                "Gadget",
            ),
            item(
                40,
                "post",
                "gadget-review",
                "/2014/12/02/gadget-review/",
                "2014-12-02 09:00:00",
                "Gadget review",
            ),
            // A page and a post at one path.
            item(
                50,
                "post",
                "about",
                "/about/",
                "2015-01-01 09:00:00",
                "About us",
            ),
            item(
                51,
                "page",
                "about",
                "/about/",
                "2010-01-01 09:00:00",
                "About",
            ),
        ]),
    );
    let run = site
        .run(&["import", "--from", "wordpress", "old/export.xml"])
        .success();
    assert_eq!(
        run.stdout(),
        "imported 6 articles (0 drafts, 0 scheduled): 6 written, 0 unchanged, 0 kept hand-edited\n\
         files: 0 copied, 0 unchanged, 0 kept; URLs kept: 9; author profiles written: 1; section indexes written: 0\n\
         old URLs of lists and feeds kept: 3\n\
         site settings: the old site had title \"Old\": config.toml was left alone (it has its own)\n\
         skipped: 0\n\
         old URLs: 12 of 15 answer\n  \
         export.xml (post 31): /2014/11/24/launch/ answers with the page of content/launch.md\n  \
         export.xml (post 40): /?p=40 answers with the page of content/gadget.md\n  \
         export.xml (post 50): /about/ answers with the page of content/pages/about.md\n\
         recorded in published.toml: 12 (build and check keep them answering)\n"
    );
    assert_eq!(
        run.stderr(),
        "warning: export.xml (post 31): its old URL /2014/11/24/launch/ is export.xml (post 30)'s too, published first; the article is at /2014/11/24/launch-59dd7d/\n\
         warning: export.xml (post 50): its old URL /about/ is export.xml (page 51)'s too, published first; the article is at /about-28ff32/\n\
         warning: export.xml (post 40): its old URL /?p=40 is an old URL of export.xml (post 40) too, published first: not an alias of this article\n"
    );
    let (again, _) = content_file(&site.read("content/launch-2.md"));
    assert_eq!(again["path"].as_str(), Some("/2014/11/24/launch-59dd7d/"));
    assert_eq!(strings(&again["aliases"]), ["/?p=31"]);
    let (review, _) = content_file(&site.read("content/gadget-review.md"));
    assert!(review.get("aliases").is_none(), "{review:?}");

    site.build();
    for (page, title) in [
        ("public/2014/11/24/launch/index.html", "Launch"),
        (
            "public/2014/11/24/launch-59dd7d/index.html",
            "Launch, again",
        ),
        ("public/2014/12/01/gadget/index.html", "Gadget"),
        (
            "public/2014/12/02/gadget-review/index.html",
            "Gadget review",
        ),
        ("public/about/index.html", "About"),
        ("public/about-28ff32/index.html", "About us"),
    ] {
        assert_eq!(heading(&site, page), title, "{page}");
    }
    assert_eq!(
        site.read("public/query-aliases.json"),
        "{\"/?p=30\":\"https://example.org/2014/11/24/launch/\",\"/?p=31\":\"https://example.org/2014/11/24/launch-59dd7d/\",\"/?p=40\":\"https://example.org/2014/12/01/gadget/\",\"/?p=50\":\"https://example.org/about-28ff32/\",\"/?page_id=51\":\"https://example.org/about/\"}"
    );
    // A link by short link leads where the short link does.
    assert!(
        site.read("public/2014/12/02/gadget-review/index.html")
            .contains("<a href=\"/2014/12/01/gadget/\">the gadget</a>")
    );

    // Again: the same places, nothing written.
    let before = site.tree("content");
    let again = site
        .run(&["import", "--from", "wordpress", "old/export.xml"])
        .success();
    assert!(
        again.stdout().starts_with(
            "imported 6 articles (0 drafts, 0 scheduled): 0 written, 6 unchanged, 0 kept hand-edited\n"
        ),
        "{}",
        again.stdout()
    );
    assert_eq!(site.tree("content"), before);
}

#[test]
fn a_hugo_alias_that_is_another_pages_url_stays_with_that_page() {
    let site = TestSite::new();
    site.write("old/hugo.toml", "baseURL = \"https://old.example.com/\"\ntitle = \"Old\"\n")
        .write(
            "old/content/posts/first.md",
            "---\ntitle: First\ndate: 2014-01-01\naliases: [\"/kept/\", \"/about/\", \"javascript:alert(1)\"]\n---\nFirst.\n",
        )
        .write(
            "old/content/about.md",
            "---\ntitle: About\ndate: 2015-01-01\n---\nAbout.\n",
        )
        .write(
            "old/content/posts/later.md",
            "---\ntitle: Later\ndate: 2016-01-01\nurl: /about/\n---\nLater.\n",
        );
    let run = site.run(&["import", "--from", "hugo", "old"]).success();
    assert_eq!(
        run.stdout(),
        "imported 3 articles (0 drafts, 0 scheduled): 3 written, 0 unchanged, 0 kept hand-edited\n\
         files: 0 copied, 0 unchanged, 0 kept; URLs kept: 3; author profiles written: 0; section indexes written: 0\n\
         old URLs of lists and feeds kept: 2\n\
         skipped: 0\n\
         old URLs: 6 of 9 answer\n  \
         old/content/posts/first.md: /about/ answers with the page of content/about.md\n  \
         old/content/posts/first.md: javascript:alert(1) does not answer\n  \
         old/content/posts/later.md: /about/ answers with the page of content/about.md\n\
         recorded in published.toml: 5 (build and check keep them answering)\n"
    );
    assert_eq!(
        run.stderr(),
        "warning: old/content/posts/later.md: its old URL /about/ is old/content/about.md's too, published first; the article is at /about-7d0b94/\n\
         warning: old/content/posts/first.md: its old URL /about/ is the page of old/content/about.md: not an alias of this article\n\
         warning: old/content/posts/first.md: old URL \"javascript:alert(1)\" not kept: alias \"javascript:alert(1)\" is a `javascript:` URL: an alias is a path of this site, starting with `/`\n"
    );
    let (first, _) = content_file(&site.read("content/posts/first.md"));
    assert_eq!(strings(&first["aliases"]), ["/kept/"]);
    site.build();
    assert_eq!(heading(&site, "public/about/index.html"), "About");
    assert_eq!(heading(&site, "public/about-7d0b94/index.html"), "Later");
    assert_eq!(heading(&site, "public/posts/first/index.html"), "First");
    assert!(
        site.read("public/kept/index.html")
            .contains("url=https://example.org/posts/first/")
    );
}

#[test]
fn an_article_meeting_a_file_of_the_sites_own_gets_a_name_and_url_of_its_own_even_with_force() {
    let site = TestSite::new();
    let own = "+++\ntitle = \"Welcome\"\ndate = 2024-01-01\n+++\nOur own welcome.\n";
    site.write("content/welcome.md", own).write(
        "old/export.xml",
        export(&[item(
            60,
            "post",
            "welcome",
            "/welcome/",
            "2016-01-01 09:00:00",
            "Welcome",
        )]),
    );
    for force in [false, true] {
        let mut args = vec!["import", "--from", "wordpress", "old/export.xml"];
        if force {
            args.push("--force");
        }
        let run = site.run(&args).success();
        let written = if force { (0, 1) } else { (1, 0) };
        assert_eq!(
            run.stdout(),
            format!(
                "imported 1 article (0 drafts, 0 scheduled): {} written, {} unchanged, 0 kept hand-edited\n\
                 files: 0 copied, 0 unchanged, 0 kept; URLs kept: 1; author profiles written: {}; section indexes written: 0\n\
                 old URLs of lists and feeds kept: 3\n\
                 site settings: the old site had title \"Old\": config.toml was left alone (it has its own)\n\
                 skipped: 0\n\
                 old URLs: 4 of 5 answer\n  \
                 export.xml (post 60): /welcome/ answers with the page of content/welcome.md\n{}",
                written.0,
                written.1,
                written.0,
                // Only the first import has URLs to add to the list.
                if force {
                    ""
                } else {
                    "recorded in published.toml: 4 (build and check keep them answering)\n"
                }
            )
        );
        // The first import says where the article went; later ones find it there.
        let moved = if force {
            ""
        } else {
            "warning: export.xml (post 60): would be content/welcome.md, a file the importer did not write; imported as content/welcome-29ec07.md\n"
        };
        assert_eq!(
            run.stderr(),
            format!(
                "{moved}warning: export.xml (post 60): its old URL /welcome/ is the page of content/welcome.md; the article is at /welcome-29ec07/\n"
            )
        );
        assert_eq!(site.read("content/welcome.md"), own, "the site's own file");
    }
    let (imported, _) = content_file(&site.read("content/welcome-29ec07.md"));
    assert_eq!(imported["path"].as_str(), Some("/welcome-29ec07/"));
    site.build();
    assert!(
        site.read("public/welcome/index.html")
            .contains("Our own welcome.")
    );
    assert!(
        site.read("public/welcome-29ec07/index.html")
            .contains("Text of Welcome.")
    );
}

#[test]
fn wordpress_embeds_become_shortcodes_and_braces_in_text_stay_text() {
    let site = TestSite::new();
    let content = "Watch:\n\n[embed]https://youtu.be/dQw4w9WgXcQ[/embed]\n\n\
                   https://vimeo.com/76979871\n\n\
                   https://twitter.com/jack/status/20\n\n\
                   [embed]https://example.com/page[/embed]\n\n\
                   Say {{ youtube(id=\"zz\") }} and {% end %} in text.";
    site.write(
        "old/export.xml",
        export(&[item(
            70,
            "post",
            "embeds",
            "/embeds/",
            "2016-01-01 09:00:00",
            "Embeds",
        )
        .replace(
            "Text of Embeds. See <a href=\"https://old.example.com/?p=40\">the gadget</a>.",
            content,
        )]),
    );
    site.run(&["import", "--from", "wordpress", "old/export.xml"])
        .success();
    let (_, body) = content_file(&site.read("content/embeds.md"));
    assert_eq!(
        body,
        "\nWatch:\n\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\n{{ vimeo(id=\"76979871\") }}\n\n\
         {{ x(url=\"https://x.com/jack/status/20\", author=\"@jack\") }}\n\n\
         [https://example.com/page](https://example.com/page)\n\n\
         Say \\{{ youtube(id=\"zz\") }} and \\{% end %} in text.\n"
    );
    site.build();
    let page = site.read("public/embeds/index.html");
    for html in [
        "data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\"",
        "data-embed=\"https://player.vimeo.com/video/76979871?autoplay=1\"",
        "<p><a class=\"embed-post-link\" href=\"https://x.com/jack/status/20\">A post by @jack on X</a></p>",
        "<p>Say {{ youtube(id=\"zz\") }} and {% end %} in text.</p>",
    ] {
        assert!(page.contains(html), "{html} in {page}");
    }
}

/// The lazy-load pattern of WordPress plugins (a placeholder waiting for a script, the real
/// image in `<noscript>`) comes across as what a reader without script sees: the real
/// image, once, with no placeholder and no `<noscript>`.
#[test]
fn a_lazy_loaded_image_comes_across_as_its_real_image() {
    let site = TestSite::new();
    let lazy = "<p>Before.</p>\n<p><img class=\"lazyload\" data-src=\"https://cdn.example.net/real.jpg\" src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" alt=\"The launch\">\n<noscript><img src=\"https://cdn.example.net/real.jpg\" alt=\"The launch\"></noscript></p>\n<p>After.</p>";
    site.write(
        "old/export.xml",
        export(&[format!(
            "<item><title>Lazy</title><link>https://old.example.com/lazy/</link><dc:creator>priya</dc:creator><content:encoded><![CDATA[{lazy}]]></content:encoded><wp:post_id>7</wp:post_id><wp:post_date_gmt>2024-01-01 09:00:00</wp:post_date_gmt><wp:post_name>lazy</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>"
        )]),
    );
    site.run(&["import", "--from", "wordpress", "old/export.xml"])
        .success();
    let (_, body) = content_file(&site.read("content/lazy.md"));
    assert_eq!(
        body,
        "\nBefore.\n\n![The launch](https://cdn.example.net/real.jpg)\n\nAfter.\n"
    );
    site.build();
}
