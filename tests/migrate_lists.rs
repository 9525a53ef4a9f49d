//! The old list URLs a Hugo, Zola or Jekyll site had besides its lists' own: the
//! `…/page/1/` redirects Hugo and Zola write for each paged list, the pages listing all
//! terms of a taxonomy (`/categories/`) and their feeds, jekyll-archives' category and tag
//! pages, and jekyll-paginate's pages. Each fixture is written from the platforms'
//! documentation; each test ends with a build, and every old URL answering.

mod common;

use common::TestSite;

/// The redirect page the import writes into `static/` for an old URL no Gazette list has.
fn static_redirect(to: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n\
         <link rel=\"canonical\" href=\"{to}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{to}\">{to}</a>.</p>\n</body>\n</html>\n"
    )
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

fn import(site: &TestSite, platform: &str) -> String {
    site.run(&["import", "--from", platform, "old"])
        .success()
        .stdout()
}

#[test]
fn hugo_first_pages_and_term_lists_answer() {
    let site = TestSite::new();
    site.write(
        "old/hugo.toml",
        "baseURL = \"https://old.example.org/\"\ntitle = \"Old\"\ntheme = \"paper\"\n",
    )
    // The theme's list template pages: Hugo wrote `…/page/1/` beside every list.
    .write(
        "old/themes/paper/layouts/_default/list.html",
        "{{ range (.Paginate .Pages).Pages }}{{ .Title }}{{ end }}\n",
    )
    .write(
        "old/content/posts/first.md",
        "---\ntitle: First\ndate: 2024-03-01\ntags: [Rust]\ncategories: [Web Dev]\n---\nHello.\n",
    );
    let out = import(&site, "hugo");
    assert!(out.contains("old URLs: 14 of 14 answer\n"), "{out}");
    assert!(
        site.read("config.toml").ends_with(
            "[home]\n\
             aliases = [\"/page/1/\"]\n\
             rss_aliases = [\"/index.xml\", \"/tags/index.xml\", \"/categories/index.xml\"]\n\n\
             [tags.rust]\n\
             aliases = [\"/tags/rust/page/1/\"]\n\
             rss_aliases = [\"/tags/rust/index.xml\"]\n\n\
             [tags.web-dev]\n\
             aliases = [\"/categories/web-dev/\", \"/categories/web-dev/page/1/\"]\n\
             rss_aliases = [\"/categories/web-dev/index.xml\"]\n"
        ),
        "{}",
        site.read("config.toml")
    );
    assert_eq!(
        site.read("content/posts/_index.md"),
        "+++\naliases = [\"/posts/page/1/\"]\nrss_aliases = [\"/posts/index.xml\"]\n+++\n"
    );
    // The list of all categories leads to Gazette's list of tags; /tags/ is Gazette's.
    assert_eq!(
        site.read("static/categories/index.html"),
        static_redirect("../tags/")
    );
    assert!(!site.exists("static/tags/index.html"));
    site.build();
    answers(
        &site,
        &[
            "/page/1/",
            "/posts/page/1/",
            "/tags/rust/page/1/",
            "/categories/web-dev/page/1/",
            "/categories/",
            "/tags/index.xml",
            "/categories/index.xml",
        ],
    );
    assert_eq!(
        site.read("public/_redirects"),
        "/page/1/ / 301\n\
         /index.xml /rss.xml 301\n\
         /tags/index.xml /rss.xml 301\n\
         /categories/index.xml /rss.xml 301\n\
         /posts/page/1/ /posts/ 301\n\
         /posts/index.xml /posts/rss.xml 301\n\
         /tags/rust/page/1/ /tags/rust/ 301\n\
         /tags/rust/index.xml /tags/rust/rss.xml 301\n\
         /categories/web-dev/ /tags/web-dev/ 301\n\
         /categories/web-dev/page/1/ /tags/web-dev/ 301\n\
         /categories/web-dev/index.xml /tags/web-dev/rss.xml 301\n"
    );
    // An old first page has no further pages of its own.
    assert!(!site.exists("public/posts/page/1/page/2/index.html"));
}

#[test]
fn hugo_lists_no_template_pages_have_no_first_page() {
    let site = TestSite::new();
    site.write("old/hugo.toml", "baseURL = \"https://old.example.org/\"\n")
        .write(
            "old/layouts/_default/list.html",
            "{{ range .Pages }}{{ .Title }}{{ end }}\n",
        )
        .write(
            "old/content/posts/first.md",
            "---\ntitle: First\ndate: 2024-03-01\n---\nHello.\n",
        );
    let out = import(&site, "hugo");
    assert!(out.contains("old URLs: 4 of 4 answer\n"), "{out}");
    assert_eq!(
        site.read("content/posts/_index.md"),
        "+++\nrss_aliases = [\"/posts/index.xml\"]\n+++\n"
    );
}

#[test]
fn zola_first_pages_of_paged_lists_and_term_lists_answer() {
    let site = TestSite::new();
    site.write(
        "old/config.toml",
        "base_url = \"https://old.example.org\"\ntitle = \"Old\"\n\
         taxonomies = [{ name = \"tags\", paginate_by = 5 }, { name = \"categories\" }]\n",
    )
    .write("old/content/_index.md", "+++\npaginate_by = 5\n+++\n")
    .write(
        "old/content/blog/_index.md",
        "+++\ntitle = \"Blog\"\npaginate_by = 5\n+++\n",
    )
    // Paged at another path than Gazette's `page/N/`: its first page is not kept.
    .write(
        "old/content/notes/_index.md",
        "+++\ntitle = \"Notes\"\npaginate_by = 5\npaginate_path = \"p\"\n+++\n",
    )
    .write(
        "old/content/blog/2024-03-01-first.md",
        "+++\ntitle = \"First\"\n[taxonomies]\ntags = [\"Rust\"]\ncategories = [\"News\"]\n+++\nHello.\n",
    )
    .write(
        "old/content/notes/2024-03-02-note.md",
        "+++\ntitle = \"Note\"\n+++\nHello.\n",
    );
    let out = import(&site, "zola");
    assert!(out.contains("old URLs: 9 of 9 answer\n"), "{out}");
    assert!(
        site.read("config.toml").ends_with(
            "[home]\naliases = [\"/page/1/\"]\n\n\
             [tags.news]\naliases = [\"/categories/news/\"]\n\n\
             [tags.rust]\naliases = [\"/tags/rust/page/1/\"]\n"
        ),
        "{}",
        site.read("config.toml")
    );
    assert_eq!(
        site.read("content/blog/_index.md"),
        "+++\ntitle = \"Blog\"\naliases = [\"/blog/page/1/\"]\n\n[extra]\npaginate_by = 5\n+++\n"
    );
    assert_eq!(
        site.read("content/notes/_index.md"),
        "+++\ntitle = \"Notes\"\n\n[extra]\npaginate_by = 5\npaginate_path = \"p\"\n+++\n"
    );
    assert_eq!(
        site.read("static/categories/index.html"),
        static_redirect("../tags/")
    );
    site.build();
    answers(
        &site,
        &[
            "/page/1/",
            "/blog/page/1/",
            "/tags/rust/page/1/",
            "/categories/news/",
            "/categories/",
        ],
    );
}

#[test]
fn jekyll_archives_and_paginated_pages_answer() {
    let site = TestSite::new();
    site.write(
        "old/_config.yml",
        "title: Old\nplugins: [jekyll-archives, jekyll-paginate]\npaginate: 1\n\
         paginate_path: /blog/page:num/\n\
         jekyll-archives:\n  enabled: [categories, tags]\n  permalinks:\n    tag: /topics/:name/\n",
    )
    // The page jekyll-paginate paged: the index.html above paginate_path's folder.
    .write(
        "old/blog/index.html",
        "---\nlayout: default\n---\n{% for post in paginator.posts %}{{ post.title }}{% endfor %}\n",
    )
    .write(
        "old/_posts/2024-03-01-first.md",
        "---\ntitle: First\ncategories: Web Dev\ntags: [Rust Lang]\n---\nHello.\n",
    )
    .write(
        "old/_posts/2024-03-02-second.md",
        "---\ntitle: Second\ntags: [Rust Lang]\n---\nHello.\n",
    )
    .write(
        "old/_posts/2024-03-03-hidden.md",
        "---\ntitle: Hidden\nhidden: true\n---\nHello.\n",
    );
    let out = import(&site, "jekyll");
    assert!(out.contains("old URLs: 7 of 7 answer\n"), "{out}");
    assert!(
        site.read("config.toml").ends_with(
            "[home]\naliases = [\"/blog/\"]\n\n\
             [tags.dev]\naliases = [\"/category/dev/\"]\n\n\
             [tags.rust-lang]\naliases = [\"/topics/rust-lang/\"]\n\n\
             [tags.web]\naliases = [\"/category/web/\"]\n"
        ),
        "{}",
        site.read("config.toml")
    );
    // Two posts shown a page: page 2 at /blog/page2/, leading to the home page.
    assert_eq!(
        site.read("static/blog/page2/index.html"),
        static_redirect("../../")
    );
    assert!(!site.exists("static/blog/page3/index.html"));
    site.build();
    answers(
        &site,
        &[
            "/blog/",
            "/blog/page2/",
            "/category/web/",
            "/category/dev/",
            "/topics/rust-lang/",
        ],
    );
}
