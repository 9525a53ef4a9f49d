//! `gazette import --from hugo|zola` on the patterns real sites use: Hugo's configuration
//! folder and languages, per-section ugly URLs, front matter of every shape, heading ids
//! that in-page links name, posts dated only by their path, and scripts beside an
//! article. Each fixture is written from the platforms' documentation; each test ends
//! with a build, and every old URL answering.

mod common;

use common::TestSite;

/// An imported file without its stamp line (which names hashes of the source).
fn imported(site: &TestSite, path: &str) -> String {
    let text = site.read(path);
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let stamp = lines.next().unwrap_or_default();
    assert!(stamp.starts_with("# Imported by gazette from "), "{text}");
    let rest: Vec<&str> = lines.collect();
    format!("{first}\n{}\n", rest.join("\n"))
}

/// Asserts that each old URL answers in `public/`: a folder URL with its `index.html`,
/// any other with its file.
fn answers(site: &TestSite, urls: &[&str]) {
    for url in urls {
        let file = if url.ends_with('/') {
            format!("public{url}index.html")
        } else {
            format!("public{url}")
        };
        assert!(site.exists(&file), "{url} does not answer ({file})");
    }
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::DynamicImage::new_rgb8(width, height)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

#[test]
fn hugo_config_folder_is_read_and_other_languages_are_listed_as_skipped() {
    let site = TestSite::new();
    site.write(
        "old/config/_default/hugo.toml",
        "baseURL = \"https://old.example.org/\"\ndefaultContentLanguage = \"en\"\n",
    )
    .write(
        "old/config/_default/languages.toml",
        "[en]\ncontentDir = \"content/en\"\nweight = 1\n[fr]\ncontentDir = \"content/fr\"\nweight = 2\n",
    )
    .write("old/config/_default/params.toml", "description = \"Old\"\n")
    .write(
        "old/config/_default/menus.en.toml",
        "[[main]]\nname = \"Posts\"\nurl = \"/posts/\"\n",
    )
    .write(
        "old/config/_default/permalinks.toml",
        "posts = \"/:year/:slug/\"\n",
    )
    // `hugo` builds for production: its folder overrides the defaults.
    .write(
        "old/config/production/permalinks.yaml",
        "posts: /:year/:month/:slug/\n",
    )
    .write("old/content/en/posts/_index.md", "---\ntitle: Posts\n---\n")
    .write(
        "old/content/en/posts/first.md",
        "---\ntitle: First\ndate: 2024-03-05\nslug: first-one\n---\nHello.\n",
    )
    .write(
        "old/content/fr/posts/premier.md",
        "---\ntitle: Premier\ndate: 2024-03-05\n---\nBonjour.\n",
    )
    .write(
        "old/content/fr/posts/second.md",
        "---\ntitle: Second\ndate: 2024-03-06\n---\nEncore.\n",
    )
    .write("old/content/fr/_index.md", "---\ntitle: Accueil\n---\n");
    let run = site.run(&["import", "--from", "hugo", "old"]).success();
    assert_eq!(
        run.stdout(),
        "imported 1 article (0 drafts, 0 scheduled): 1 written, 0 unchanged, 0 kept hand-edited\n\
         files: 0 copied, 0 unchanged, 0 kept; URLs kept: 1; author profiles written: 0; section indexes written: 1\n\
         old URLs of lists and feeds kept: 2\n\
         skipped: 1\n  \
         old/content/fr: the site in the language \"fr\": 2 pages not imported (a Gazette site has one language; this import brings the default one, \"en\")\n\
         old URLs: 4 of 4 answer\n\
         recorded in published.toml: 3 (build and check keep them answering)\n"
    );
    assert_eq!(
        imported(&site, "content/posts/first-one.md"),
        "+++\ntitle = \"First\"\ndate = 2024-03-05\npath = \"/2024/03/first-one/\"\n+++\n\nHello.\n"
    );
    site.build();
    answers(&site, &["/2024/03/first-one/", "/posts/"]);
}

#[test]
fn hugo_languages_told_apart_by_file_name() {
    let site = TestSite::new();
    site.write(
        "old/config.yaml",
        "baseURL: https://old.example.org/\ndefaultContentLanguage: de\ndefaultContentLanguageInSubdir: true\nlanguages:\n  de:\n    weight: 1\n  en:\n    weight: 2\n  fr:\n    disabled: true\n",
    )
    .write(
        "old/content/posts/hallo.md",
        "---\ntitle: Hallo\ndate: 2024-01-01\n---\nText.\n",
    )
    .write(
        "old/content/posts/hallo.en.md",
        "---\ntitle: Hello\ndate: 2024-01-01\n---\nText.\n",
    )
    .write(
        "old/content/posts/hallo.fr.md",
        "---\ntitle: Bonjour\ndate: 2024-01-01\n---\nTexte.\n",
    )
    .write(
        "old/content/posts/reise/index.de.md",
        "---\ntitle: Reise\ndate: 2024-02-01\nimages: [bild.png]\n---\nUnterwegs.\n",
    )
    .write(
        "old/content/posts/reise/index.en.md",
        "---\ntitle: Trip\ndate: 2024-02-01\n---\nOn the road.\n",
    )
    .write("old/content/posts/reise/bild.png", png(8, 8))
    .write(
        "old/content/posts/v1.5.md",
        "---\ntitle: Version 1.5\ndate: 2024-03-01\n---\nNeu.\n",
    )
    .write(
        "old/content/ueber.de.md",
        "---\ntitle: Über uns\ndate: 2020-01-01\n---\nWir.\n",
    );
    let out = site
        .run(&["import", "--from", "hugo", "old"])
        .success()
        .stdout();
    assert_eq!(
        out,
        "imported 4 articles (0 drafts, 0 scheduled): 4 written, 0 unchanged, 0 kept hand-edited\n\
         files: 1 copied, 0 unchanged, 0 kept; URLs kept: 4; author profiles written: 0; section indexes written: 0\n\
         old URLs of lists and feeds kept: 2\n\
         skipped: 2\n  \
         old/content (*.en.md): the site in the language \"en\": 2 pages not imported (a Gazette site has one language; this import brings the default one, \"de\")\n  \
         old/content (*.fr.md): the site in the language \"fr\": 1 page not imported (a Gazette site has one language; this import brings the default one, \"de\")\n\
         old URLs: 7 of 7 answer\n\
         recorded in published.toml: 6 (build and check keep them answering)\n"
    );
    let path = |file: &str| {
        let text = imported(&site, file);
        text.lines()
            .find_map(|l| l.strip_prefix("path = ").map(str::to_string))
            .unwrap_or_default()
    };
    assert_eq!(path("content/posts/hallo.md"), "\"/de/posts/hallo/\"");
    assert_eq!(path("content/posts/reise/index.md"), "\"/de/posts/reise/\"");
    assert_eq!(
        path("content/posts/v1-5.md"),
        "\"/de/posts/v1.5/\"",
        "`.5` is no language"
    );
    assert_eq!(path("content/ueber.md"), "\"/de/ueber/\"");
    assert!(site.exists("content/posts/reise/bild.png"));
    site.build();
    answers(
        &site,
        &[
            "/de/posts/hallo/",
            "/de/posts/reise/",
            "/de/posts/v1.5/",
            "/de/ueber/",
        ],
    );
}

#[test]
fn hugo_ugly_urls_per_section_and_permalinks_decide_urls() {
    let site = TestSite::new();
    site.write(
        "old/hugo.toml",
        "baseURL = \"https://old.example.org/\"\n[uglyURLs]\npost = true\n[permalinks]\npost = \"/:year/:month/:day/:slug/\"\n[permalinks.page]\nnews = \"/news/:year/:filename\"\n",
    )
    .write(
        "old/content/post/2014-11-18-launch.md",
        "---\ntitle: We launch\ndate: 2014-11-18T10:00:00Z\nslug: launch\n---\nText.\n",
    )
    .write(
        "old/content/post/plain.md",
        "---\ntitle: Plain Title\ndate: 2015-01-02\n---\nText.\n",
    )
    .write(
        "old/content/news/Item.md",
        "---\ntitle: An item\ndate: 2016-02-03\n---\nText.\n",
    )
    .write(
        "old/content/about.md",
        "---\ntitle: About\ndate: 2010-01-01\n---\nUs.\n",
    );
    site.run(&["import", "--from", "hugo", "old"]).success();
    let urls = |file: &str| {
        let text = imported(&site, file);
        text.lines()
            .filter(|l| l.starts_with("path = ") || l.starts_with("aliases = "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        urls("content/post/launch.md"),
        "aliases = [\"/2014/11/18/launch.html\"]"
    );
    assert_eq!(
        urls("content/post/plain.md"),
        "aliases = [\"/2015/01/02/plain-title.html\"]",
        "no slug: the title, as Hugo urlizes it"
    );
    assert_eq!(
        urls("content/news/item.md"),
        "path = \"/news/2016/item/\"",
        "a pattern without a final slash is a folder all the same"
    );
    assert_eq!(urls("content/about.md"), "path = \"/about/\"");
    site.build();
    answers(
        &site,
        &[
            "/2014/11/18/launch.html",
            "/2015/01/02/plain-title.html",
            "/news/2016/item/",
            "/about/",
        ],
    );
    assert!(
        site.read("public/2014/11/18/launch.html")
            .contains("url=https://example.org/launch/")
    );
}

#[test]
fn front_matter_of_every_shape_goes_under_extra() {
    let site = TestSite::new();
    site.write("old/hugo.toml", "baseURL = \"https://old.example.org/\"\n")
        .write(
            "old/content/menu-page.md",
            "---\ntitle: Menu page\ndate: 2020-01-02\nweight: 3\nmenu:\n  main:\n    weight: 10\n    parent: About\nresources:\n  - src: a.jpg\n    title: A\n    params:\n      credit: Jo\n  - src: b.jpg\nnothing: null\nmixed: [1, null, two]\ntoc: true\n---\nText.\n",
        )
        .write(
            "old/content/toml-page.md",
            "+++\ntitle = \"TOML page\"\ndate = 2020-01-03\n[expiry]\nat = 2021-05-06T07:08:09Z\n[[cascade]]\n[cascade.build]\nlist = \"never\"\n+++\nText.\n",
        );
    site.run(&["import", "--from", "hugo", "old"]).success();
    assert_eq!(
        imported(&site, "content/menu-page.md"),
        "+++\ntitle = \"Menu page\"\ndate = 2020-01-02\npath = \"/menu-page/\"\n\n\
         [extra]\nmixed = [1, \"two\"]\ntoc = true\n\n\
         [extra.menu.main]\nparent = \"About\"\nweight = 10\n\n\
         [[extra.resources]]\nsrc = \"a.jpg\"\ntitle = \"A\"\n\n\
         [extra.resources.params]\ncredit = \"Jo\"\n\n\
         [[extra.resources]]\nsrc = \"b.jpg\"\n+++\n\nText.\n"
    );
    assert_eq!(
        imported(&site, "content/toml-page.md"),
        "+++\ntitle = \"TOML page\"\ndate = 2020-01-03\npath = \"/toml-page/\"\n\n\
         [[extra.cascade]]\n\n[extra.cascade.build]\nlist = \"never\"\n\n\
         [extra.expiry]\nat = \"2021-05-06T07:08:09Z\"\n+++\n\nText.\n"
    );
    site.build();
    answers(&site, &["/menu-page/", "/toml-page/"]);
}

#[test]
fn hugo_heading_ids_are_kept_where_gazettes_differ() {
    let site = TestSite::new();
    site.write(
        "old/hugo.toml",
        "baseURL = \"https://old.example.org/\"\n[permalinks]\nposts = \"/:year/:slug/\"\n",
    )
    .write(
        "old/content/posts/spec.md",
        "---\ntitle: Spec\ndate: 2024-01-02\n---\n\
         ### 1.6.1 Definitions\n\n## What's new?\n\n## What's new?\n\n## A-1\n\n## A\n\n## A ##\n\n\
         ## Custom {#mine}\n\n## Using [Rust](https://www.rust-lang.org/) *fast*\n\n\
         Setext heading\n--------------\n\n## Plain words\n",
    )
    .write(
        "old/content/posts/doc.html",
        "---\ntitle: Document\ndate: 2024-01-03\n---\n<h2 id=\"1.1-overview\">1.1 Overview</h2><p>Text.</p><h2><a id=\"usage\" href=\"#usage\">Usage</a></h2><p>More.</p>\n",
    )
    .write(
        "old/content/posts/links.md",
        "---\ntitle: Links\ndate: 2024-01-04\n---\n\
         [Definitions]({{< ref \"posts/spec.md#161-definitions\" >}}), \
         [third A]({{< ref \"spec.md#a-2\" >}}), \
         [Rust]({{< ref \"spec.md#using-rusthttpswwwrust-langorg-fast\" >}}), \
         [overview]({{< ref \"doc.html#1.1-overview\" >}}), \
         [usage]({{< ref \"doc.html#usage\" >}}).\n",
    );
    site.run(&["import", "--from", "hugo", "old"]).success();
    let spec = imported(&site, "content/posts/spec.md");
    assert_eq!(
        spec.split_once("+++\n\n").unwrap().1,
        "### 1.6.1 Definitions {#161-definitions}\n\n## What's new?\n\n## What's new?\n\n## A-1\n\n## A\n\n## A {#a-2}\n\n\
         ## Custom {#mine}\n\n## Using [Rust](https://www.rust-lang.org/) *fast* {#using-rusthttpswwwrust-langorg-fast}\n\n\
         Setext heading\n--------------\n\n## Plain words\n"
    );
    assert_eq!(
        imported(&site, "content/posts/doc.md")
            .split_once("+++\n\n")
            .unwrap()
            .1,
        "## 1.1 Overview {#1.1-overview}\n\nText.\n\n## <a id=\"usage\"></a>[Usage](#usage)\n\nMore.\n"
    );
    site.build();
    // Without a `slug`, Hugo's `:slug` is the title's.
    answers(&site, &["/2024/spec/", "/2024/document/", "/2024/links/"]);
    // Every `#anchor` of the old site lands: `check` finds each on its page.
    site.run(&["check"]).success();
    let page = site.read("public/2024/spec/index.html");
    for id in [
        "161-definitions",
        "whats-new",
        "whats-new-1",
        "a-1",
        "a",
        "a-2",
        "mine",
        "using-rusthttpswwwrust-langorg-fast",
        "setext-heading",
        "plain-words",
    ] {
        assert!(page.contains(&format!(" id=\"{id}\"")), "{id} in {page}");
    }
}

#[test]
fn hugo_heading_ids_follow_the_configured_kind() {
    let site = TestSite::new();
    site.write(
        "old/config/_default/hugo.toml",
        "baseURL = \"https://old.example.org/\"\n",
    )
    // A file of the configuration folder is the root key it is named after.
    .write(
        "old/config/_default/markup.toml",
        "[goldmark.parser]\nautoHeadingIDType = \"blackfriday\"\n",
    )
    .write(
        "old/content/a.md",
        "---\ntitle: A\ndate: 2024-01-02\n---\n## Let's try this, shall we?\n\n### 1.6.1 Definitions\n",
    )
    .write(
        "old/content/b.md",
        "---\ntitle: B\ndate: 2024-01-03\n---\n[try]({{< ref \"a.md#let-s-try-this-shall-we\" >}}), [defs]({{< ref \"a.md#1-6-1-definitions\" >}})\n",
    );
    site.run(&["import", "--from", "hugo", "old"]).success();
    assert_eq!(
        imported(&site, "content/a.md")
            .split_once("+++\n\n")
            .unwrap()
            .1,
        "## Let's try this, shall we? {#let-s-try-this-shall-we}\n\n### 1.6.1 Definitions\n"
    );
    site.build();
    site.run(&["check"]).success();
}

#[test]
fn zola_heading_ids_are_kept_where_gazettes_differ() {
    let site = TestSite::new();
    site.write("old/config.toml", "base_url = \"https://old.example.org\"\n")
        .write("old/content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n")
        .write(
            "old/content/blog/2024-01-02-notes.md",
            "+++\ntitle = \"Notes\"\n+++\n## What’s new in 1.0?\n\n## Hello\n\n## Hello\n\n## Own {#hello-1}\n\n## Café au lait\n",
        )
        .write(
            "old/content/blog/links.md",
            "+++\ntitle = \"Links\"\ndate = 2024-01-03\n+++\n[new](@/blog/2024-01-02-notes.md#what-s-new-in-1-0), [second hello](@/blog/2024-01-02-notes.md#hello-2), [own](@/blog/2024-01-02-notes.md#hello-1), [café](@/blog/2024-01-02-notes.md#cafe-au-lait)\n",
        );
    site.run(&["import", "--from", "zola", "old"]).success();
    assert_eq!(
        imported(&site, "content/blog/notes.md")
            .split_once("+++\n\n")
            .unwrap()
            .1,
        "## What’s new in 1.0? {#what-s-new-in-1-0}\n\n## Hello\n\n## Hello {#hello-2}\n\n## Own {#hello-1}\n\n## Café au lait\n"
    );
    site.build();
    answers(&site, &["/blog/notes/", "/blog/links/"]);
    site.run(&["check"]).success();
}

/// Sets a file's modification time (seconds since the epoch).

#[test]
fn posts_without_a_date_are_dated_by_their_path() {
    let site = TestSite::new();
    site.write(
        "old/config.toml",
        "base_url = \"https://old.example.org\"\n",
    )
    .write(
        "old/content/launch.md",
        "+++\ntitle = \"Launch\"\npath = \"2025/06/26/launch\"\n+++\nText.\n",
    )
    .write(
        "old/content/2024-03-04_named.md",
        "+++\ntitle = \"Named\"\n+++\nZola's own rule: not counted.\n",
    )
    .write(
        "old/content/releases/2023/05/07/notes.md",
        "+++\ntitle = \"Release notes\"\n+++\nText.\n",
    )
    .write(
        "old/content/undated.md",
        "+++\ntitle = \"Undated\"\n+++\nText.\n",
    );
    // 2021-04-05T06:07:08Z
    site.touch("old/content/undated.md", 1_617_602_828);
    let run = site.run(&["import", "--from", "zola", "old"]).success();
    assert_eq!(
        run.stdout(),
        "imported 4 articles (0 drafts, 0 scheduled): 4 written, 0 unchanged, 0 kept hand-edited\n\
         files: 0 copied, 0 unchanged, 0 kept; URLs kept: 4; author profiles written: 0; section indexes written: 0\n\
         dated by their URL or file name (no date in the source): 2\n\
         skipped: 0\n\
         old URLs: 5 of 5 answer\n\
         recorded in published.toml: 4 (build and check keep them answering)\n"
    );
    assert_eq!(
        run.stderr(),
        "warning: old/content/undated.md: has no date, nor one in its URL or file name: dated 2021-04-05T06:07:08Z by its file's modification time (set `date` in the imported file)\n"
    );
    let date = |file: &str| {
        imported(&site, file)
            .lines()
            .find_map(|l| l.strip_prefix("date = ").map(str::to_string))
            .unwrap_or_default()
    };
    assert_eq!(date("content/launch.md"), "2025-06-26");
    assert_eq!(date("content/named.md"), "2024-03-04");
    assert_eq!(date("content/releases/2023/05/07/notes.md"), "2023-05-07");
    assert_eq!(date("content/undated.md"), "2021-04-05T06:07:08Z");
    // A re-import keeps the dates it gave (the modification time may be another now).
    site.touch("old/content/undated.md", 1_700_000_000);
    let again = site
        .run(&["import", "--from", "zola", "old"])
        .success()
        .stdout();
    assert!(
        again.starts_with("imported 4 articles (0 drafts, 0 scheduled): 0 written, 4 unchanged"),
        "{again}"
    );
    site.build();
    answers(
        &site,
        &[
            "/2025/06/26/launch/",
            "/named/",
            "/releases/2023/05/07/notes/",
            "/undated/",
        ],
    );
}

#[test]
fn hugo_and_wordpress_posts_without_a_date_are_dated_by_their_path() {
    let site = TestSite::new();
    site.write("old/hugo.toml", "baseURL = \"https://old.example.org/\"\n")
        .write(
            "old/content/posts/2023/05/07/note.md",
            "---\ntitle: Note\n---\nText.\n",
        )
        .write(
            "old/content/posts/later.md",
            "---\ntitle: Later\nlastmod: 2022-02-02\n---\nHugo dates it by its last change.\n",
        );
    let out = site
        .run(&["import", "--from", "hugo", "old"])
        .success()
        .stdout();
    assert!(
        out.contains("\ndated by their URL or file name (no date in the source): 1\n"),
        "{out}"
    );
    assert!(imported(&site, "content/posts/2023/05/07/note.md").contains("\ndate = 2023-05-07\n"));
    assert!(imported(&site, "content/posts/later.md").contains("\ndate = 2022-02-02\n"));

    site.write(
        "old/export.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n<title>Old</title>\n<link>https://old.example.com</link>\n<wp:base_site_url>https://old.example.com</wp:base_site_url>\n\
         <item><title>Undated</title><link>https://old.example.com/2013/04/05/undated-post/</link>\
         <content:encoded><![CDATA[<p>Text.</p>]]></content:encoded><wp:post_id>5</wp:post_id>\
         <wp:post_date><![CDATA[0000-00-00 00:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>\
         <wp:post_name><![CDATA[undated-post]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type></item>\n\
         </channel>\n</rss>\n",
    );
    let out = site
        .run(&["import", "--from", "wordpress", "old/export.xml"])
        .success()
        .stdout();
    assert!(
        out.contains("\ndated by their URL or file name (no date in the source): 1\n"),
        "{out}"
    );
    assert!(imported(&site, "content/undated-post.md").contains("\ndate = 2013-04-05\n"));
    site.build();
    answers(
        &site,
        &[
            "/posts/2023/05/07/note/",
            "/posts/later/",
            "/2013/04/05/undated-post/",
        ],
    );
}

#[test]
fn a_script_beside_an_article_is_not_taken_for_an_image() {
    // Written by hand (an import would leave the script out: imported HTML is sanitized),
    // so the build's own reading of the body is what is tested.
    let site = TestSite::new();
    site.write(
        "content/survey/index.md",
        "+++\ntitle = \"Survey\"\ndate = 2024-02-19\npath = \"2024/02/19/survey\"\n+++\nResults.\n\n<noscript><img src=\"chart.png\" alt=\"Chart\"></noscript>\n<script src=\"charts.js\"></script>\n\n<!-- <img src=\"draft.png\"> -->\n",
    )
    .write("content/survey/charts.js", "draw();\n")
    .write("content/survey/chart.png", png(40, 20));
    site.build();
    answers(
        &site,
        &[
            "/2024/02/19/survey/",
            "/2024/02/19/survey/charts.js",
            "/2024/02/19/survey/chart.png",
        ],
    );
    let page = site.read("public/2024/02/19/survey/index.html");
    assert!(
        page.contains("<script src=\"charts.js\"></script>"),
        "{page}"
    );
    // The image inside <noscript> is an image of the page: made into variants like any.
    assert!(
        page.contains("<noscript><picture><source type=\"image/webp\" srcset=\"https://example.org/2024/02/19/survey/chart-40.3dcb5584.webp 40w\" sizes=\"(min-width: 46rem) 43.5rem, 100vw\"><img src=\"https://example.org/2024/02/19/survey/chart-40.6ec4c9b3.png\" srcset=\"https://example.org/2024/02/19/survey/chart-40.6ec4c9b3.png 40w\" sizes=\"(min-width: 46rem) 43.5rem, 100vw\" width=\"40\" height=\"20\" alt=\"Chart\" loading=\"lazy\" decoding=\"async\"></picture></noscript>"),
        "{page}"
    );
}

/// The body of an imported article: what follows its front matter.
fn body_of(site: &TestSite, path: &str) -> String {
    let text = site.read(path);
    let after = text.splitn(3, "+++\n").nth(2).unwrap_or_default();
    after.to_string()
}

#[test]
fn hugo_and_zola_embeds_become_gazettes_shortcodes_and_build() {
    let hugo = TestSite::new();
    hugo.write("old/hugo.toml", "baseURL = \"https://old.example.com/\"\n")
        .write("old/static/a.png", png(8, 8))
        .write(
            "old/content/posts/embeds.md",
            "+++\ntitle = \"Embeds\"\ndate = 2024-01-02\n+++\n\
             {{< youtube id=\"dQw4w9WgXcQ\" title=\"A talk\" >}}\n\n\
             {{< vimeo 76979871 >}}\n\n\
             {{< tweet user=\"jack\" id=\"20\" >}}\n\n\
             {{< figure src=\"/a.png\" title=\"Its title\" >}}\n",
        );
    hugo.run(&["import", "--from", "hugo", "old"]).success();
    assert_eq!(
        body_of(&hugo, "content/posts/embeds.md"),
        "\n{{ youtube(id=\"dQw4w9WgXcQ\", title=\"A talk\") }}\n\n\
         {{ vimeo(id=\"76979871\") }}\n\n\
         {{ x(url=\"https://x.com/jack/status/20\", author=\"@jack\") }}\n\n\
         {{ figure(src=\"/a.png\", alt=\"Its title\") }}\n"
    );
    hugo.build();
    let page = hugo.read("public/posts/embeds/index.html");
    for html in [
        "<span class=\"embed-title\">A talk</span>",
        "data-embed=\"https://player.vimeo.com/video/76979871?autoplay=1\"",
        "<p><a class=\"embed-post-link\" href=\"https://x.com/jack/status/20\">A post by @jack on X</a></p>",
        "<figure class=\"embed-figure\">",
    ] {
        assert!(page.contains(html), "{html} in {page}");
    }

    let zola = TestSite::new();
    zola.write(
        "old/config.toml",
        "base_url = \"https://old.example.com\"\n",
    )
    .write(
        "old/content/post.md",
        "+++\ntitle = \"Zola\"\ndate = 2024-01-02\n+++\n\
             {{ youtube(id=\"dQw4w9WgXcQ\", autoplay=true, class=\"wide\") }}\n\n\
             {{ gist(url=\"https://gist.github.com/ann/9f3a\") }}\n\n\
             {{/* youtube(id=\"shown\") */}}\n\n\
             {% quote(author=\"Ann\") %}\nWords\n{% end %}\n",
    );
    let run = zola.run(&["import", "--from", "zola", "old"]).success();
    assert_eq!(
        run.stderr(),
        "warning: old/content/post.md: Zola syntax kept as written (pages show it as text): {% quote() %}\n"
    );
    assert_eq!(
        body_of(&zola, "content/post.md"),
        "\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\n\
         {{ gist(url=\"https://gist.github.com/ann/9f3a\") }}\n\n\
         {{/* youtube(id=\"shown\") */}}\n\n\
         {%/* quote(author=\"Ann\") */%}\nWords\n{%/* end */%}\n"
    );
    zola.build();
    let page = zola.read("public/post/index.html");
    for html in [
        "data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\"",
        "<p><a class=\"embed-gist\" href=\"https://gist.github.com/ann/9f3a\">Gist ann/9f3a on GitHub</a></p>",
        "<p>{{ youtube(id=\"shown\") }}</p>",
        "<p>{% quote(author=\"Ann\") %}\nWords\n{% end %}</p>",
    ] {
        assert!(page.contains(html), "{html} in {page}");
    }
}

/// A configuration file is read whole or the import refused: one that is a link leading
/// out of the site (its root file, or one of its configuration folder) is an error naming
/// it and where it leads, and nothing is imported.
#[cfg(unix)]
#[test]
fn a_hugo_config_file_linked_from_outside_the_site_is_refused() {
    let outside = TestSite::new();
    outside.write("secret.toml", "baseURL = \"https://elsewhere.example/\"\n");
    let secret = outside.path().join("secret.toml").canonicalize().unwrap();
    let post = "---\ntitle: Post\ndate: 2024-01-01\n---\nText.\n";

    let site = TestSite::new();
    site.write("old/content/posts/post.md", post);
    std::os::unix::fs::symlink(&secret, site.path().join("old/hugo.toml")).unwrap();
    let err = site.run(&["import", "--from", "hugo", "old"]).failure();
    assert_eq!(
        err,
        format!(
            "error: old/hugo.toml: a link to {}, outside the site folder\n",
            secret.display()
        )
    );
    assert!(!site.exists("content/posts"));

    let site = TestSite::new();
    site.write("old/hugo.toml", "baseURL = \"https://old.example.org/\"\n")
        .write("old/config/_default/menus.toml", "")
        .write("old/content/posts/post.md", post);
    std::os::unix::fs::symlink(&secret, site.path().join("old/config/_default/params.toml"))
        .unwrap();
    let err = site.run(&["import", "--from", "hugo", "old"]).failure();
    assert_eq!(
        err,
        format!(
            "error: old/config/_default: old/config/_default/params.toml: a link to {}, outside the site folder\n",
            secret.display()
        )
    );
    assert!(!site.exists("content/posts"));
}

/// Flow lists written across lines with their lines (and closing `]`) at column 1, as
/// hugoDocs writes `aliases`, parse as Hugo's own YAML parser reads them.
#[test]
fn yaml_flow_lists_closed_at_column_one_parse_as_hugo_reads_them() {
    let site = TestSite::new();
    site.write("old/hugo.toml", "baseURL = \"https://old.example.org/\"\n")
        .write(
            "old/content/apply.md",
            "---\ntitle: Apply\ndate: 2020-01-02\naliases: [\n  /functions/apply/,\n  /old/apply/\n]\nparams:\n  keywords: [one,\ntwo\n]\n---\nText.\n",
        );
    site.run(&["import", "--from", "hugo", "old"]).success();
    assert_eq!(
        imported(&site, "content/apply.md"),
        "+++\ntitle = \"Apply\"\ndate = 2020-01-02\npath = \"/apply/\"\naliases = [\"/functions/apply/\", \"/old/apply/\"]\n\n\
         [extra.params]\nkeywords = [\"one\", \"two\"]\n+++\n\nText.\n"
    );
    site.build();
    answers(&site, &["/apply/", "/functions/apply/", "/old/apply/"]);
}

#[test]
fn html_without_front_matter_is_a_file_to_copy_not_a_page() {
    // Hugo publishes an HTML file of content/ without front matter as it is, at its path,
    // and a bundle's page comes from its index file with front matter; Zola's pages are
    // Markdown only.
    let hugo = TestSite::new();
    hugo.write("old/hugo.toml", "baseURL = \"https://old.example.org/\"\n")
        .write(
            "old/content/posts/report/index.md",
            "---\ntitle: Report\ndate: 2024-03-01\n---\nSee the chart.\n",
        )
        .write(
            "old/content/posts/report/index.html",
            "<!DOCTYPE html><html><body><p>A tool's whole page.</p></body></html>\n",
        )
        .write(
            "old/content/verify/site-check.html",
            "<!DOCTYPE html>\n<html><body>check-token</body></html>\n",
        )
        .write(
            "old/content/posts/notes.html",
            "---\ntitle: Notes\ndate: 2024-03-02\n---\n<p>Written in HTML.</p>\n",
        );
    let out = hugo
        .run(&["import", "--from", "hugo", "old"])
        .success()
        .stdout();
    assert!(
        out.contains("imported 2 articles (0 drafts, 0 scheduled)")
            && out.contains("files: 1 copied")
            && out.contains(
                "  old/content/posts/report/index.html: a second index file of its folder: the first, in name order, makes the page; this one is published nowhere\n"
            ),
        "{out}"
    );
    assert_eq!(
        body_of(&hugo, "content/posts/report.md"),
        "\nSee the chart.\n"
    );
    assert!(!hugo.exists("content/posts/report"));
    assert_eq!(
        hugo.read("static/verify/site-check.html"),
        "<!DOCTYPE html>\n<html><body>check-token</body></html>\n"
    );
    assert_eq!(
        body_of(&hugo, "content/posts/notes.md"),
        "\nWritten in HTML.\n"
    );
    hugo.build();
    answers(
        &hugo,
        &["/posts/report/", "/posts/notes/", "/verify/site-check.html"],
    );

    let zola = TestSite::new();
    zola.write(
        "old/config.toml",
        "base_url = \"https://old.example.org\"\n",
    )
    .write(
        "old/content/blog/first.md",
        "+++\ntitle = \"First\"\ndate = 2024-03-01\n+++\nHello.\n",
    )
    .write("old/content/blog/demo.html", "<p>A demo page.</p>\n");
    let out = zola
        .run(&["import", "--from", "zola", "old"])
        .success()
        .stdout();
    assert!(out.contains("imported 1 article ("), "{out}");
    assert_eq!(zola.read("static/blog/demo.html"), "<p>A demo page.</p>\n");
}

#[test]
fn front_matter_after_blank_lines_is_read_as_hugo_and_zola_read_it() {
    let hugo = TestSite::new();
    hugo.write("old/hugo.toml", "baseURL = \"https://old.example.org/\"\n")
        .write(
            "old/content/posts/lead.md",
            "\n\n---\ntitle: Lead\ndate: 2024-03-01\n---\nBody.\n",
        );
    let run = hugo.run(&["import", "--from", "hugo", "old"]).success();
    assert_eq!(run.stderr(), "");
    assert_eq!(
        imported(&hugo, "content/posts/lead.md"),
        "+++\ntitle = \"Lead\"\ndate = 2024-03-01\npath = \"/posts/lead/\"\n+++\n\nBody.\n"
    );
    // A bad value there is named at its line of the file, blank lines counted (the YAML
    // reader sees the list left open where the front matter ends).
    hugo.write(
        "old/content/posts/lead.md",
        "\n\n---\ntitle: [Lead\n---\nBody.\n",
    );
    let err = hugo.run(&["import", "--from", "hugo", "old"]).failure();
    assert!(
        err.contains("lead.md:5:1: while parsing a flow sequence"),
        "{err}"
    );
}
