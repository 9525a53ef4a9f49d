//! `gazette import --from jekyll`: Jekyll's own rules — collections and their permalinks,
//! front matter defaults, the site's time zone, Liquid, redirect pages and kramdown's
//! heading ids — each on a small site written here from Jekyll's documentation, with the
//! exact files the import writes and every old URL answering after `gazette build`.

mod common;

use common::TestSite;

/// A Gazette site with a Jekyll site in `old/`: `_config.yml` and the given files.
fn jekyll_site(config: &str, files: &[(&str, &str)]) -> TestSite {
    let site = TestSite::new();
    site.write("old/_config.yml", config);
    for (path, text) in files {
        site.write(&format!("old/{path}"), text);
    }
    site
}

fn import(site: &TestSite) -> common::Run {
    site.run(&["import", "--from", "jekyll", "old"]).success()
}

/// An imported file without its stamp line, which names the temporary folder.
fn imported(site: &TestSite, path: &str) -> String {
    site.read(path)
        .lines()
        .filter(|l| !l.starts_with("# Imported by gazette from "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Insists that each old URL answers in `public/`: a folder URL with its `index.html`,
/// any other with its file.
fn answers(site: &TestSite, urls: &[&str]) {
    for url in urls {
        let file = if url.ends_with('/') {
            format!("public{url}index.html")
        } else {
            format!("public{url}")
        };
        assert!(site.exists(&file), "{url} does not answer ({file} missing)");
    }
}

#[test]
fn the_posts_collection_permalink_and_scoped_defaults_decide_post_urls() {
    let site = jekyll_site(
        "title: Old\npermalink: pretty\ncollections:\n  posts:\n    permalink: /news/:year/:month/:day/:title/\n\
         defaults:\n  - scope:\n      path: \"\"\n      type: posts\n    values:\n      show_author: true\n\
         \x20 - scope:\n      path: _posts/events\n    values:\n      permalink: /events/:title/\n      layout: event\n",
        &[
            (
                "_posts/2014-11-24-hello.md",
                "---\ntitle: Hello\n---\nFirst.\n",
            ),
            (
                "_posts/events/2015-01-02-meetup.md",
                "---\ntitle: Meetup\n---\nSee [hello]({% post_url 2014-11-24-hello %}).\n",
            ),
            (
                "_posts/2015-02-03-recap.md",
                "---\ntitle: Recap\npermalink: /recap/:year/\n---\nAfter [the meetup]({% post_url events/2015-01-02-meetup %}#photos).\n",
            ),
        ],
    );
    let run = import(&site);
    assert_eq!(run.stderr(), "");
    assert_eq!(
        imported(&site, "content/hello.md"),
        "+++\ntitle = \"Hello\"\ndate = 2014-11-24\npath = \"/news/2014/11/24/hello/\"\n\n[extra]\nshow_author = true\n+++\n\nFirst.\n"
    );
    // The longer scope (`_posts/events`) gives its permalink; the shorter one still its
    // other values.
    assert_eq!(
        imported(&site, "content/meetup.md"),
        "+++\ntitle = \"Meetup\"\ndate = 2015-01-02\npath = \"/events/meetup/\"\n\n[extra]\nshow_author = true\n+++\n\nSee [hello](/news/2014/11/24/hello/).\n"
    );
    assert_eq!(
        imported(&site, "content/recap.md"),
        "+++\ntitle = \"Recap\"\ndate = 2015-02-03\npath = \"/recap/2015/\"\n\n[extra]\nshow_author = true\n+++\n\nAfter [the meetup](/events/meetup/#photos).\n"
    );
    site.build();
    answers(
        &site,
        &["/news/2014/11/24/hello/", "/events/meetup/", "/recap/2015/"],
    );
}

#[test]
fn the_sites_time_zone_decides_a_posts_day_and_date() {
    // Jekyll's own example: 02:12 in +02:00 is still the 5th in Los Angeles.
    let site = jekyll_site(
        "title: Old\ntimezone: America/Los_Angeles\n",
        &[
            (
                "_posts/2013-05-06-release.md",
                "---\ntitle: Release\ndate: 2013-05-06 02:12:52 +0200\n---\nOut.\n",
            ),
            (
                "_posts/2014-11-24-plain.md",
                "---\ntitle: Plain\n---\nText.\n",
            ),
        ],
    );
    import(&site);
    assert_eq!(
        imported(&site, "content/release.md"),
        "+++\ntitle = \"Release\"\ndate = 2013-05-05T17:12:52-07:00\naliases = [\"/2013/05/05/release.html\"]\n+++\n\nOut.\n"
    );
    // A date without a time is midnight where the site is.
    assert_eq!(
        imported(&site, "content/plain.md"),
        "+++\ntitle = \"Plain\"\ndate = 2014-11-24T00:00:00-08:00\naliases = [\"/2014/11/24/plain.html\"]\n+++\n\nText.\n"
    );
    site.build();
    answers(
        &site,
        &["/2013/05/05/release.html", "/2014/11/24/plain.html"],
    );

    let bad = jekyll_site("timezone: Europe/Atlantis\n", &[]);
    let err = bad.run(&["import", "--from", "jekyll", "old"]).failure();
    assert_eq!(
        err,
        "error: old/_config.yml: `timezone: Europe/Atlantis` is not a time zone's name (one of the IANA database, such as America/Los_Angeles)\n"
    );
    assert!(!bad.exists("content"), "nothing written");
}

#[test]
fn raw_blocks_are_kept_as_written() {
    let site = jekyll_site(
        "title: Old\nrepository: https://example.com/repo\n",
        &[(
            "_posts/2014-11-24-liquid.md",
            "---\ntitle: Liquid\n---\nWrite {% raw %}`{{ site.repository }}`{% endraw %} for {{ site.repository }}.\n\n\
             {% raw %}\n{% post_url 2014-11-24-liquid %} {% include x.html %}\n{% endraw %}\n\n\
             {% raw %}{% raw %}{% endraw %} shows a raw tag.\n",
        )],
    );
    let run = import(&site);
    assert_eq!(
        run.stderr(),
        "",
        "nothing inside raw is Liquid to keep or count"
    );
    assert_eq!(
        imported(&site, "content/liquid.md"),
        "+++\ntitle = \"Liquid\"\ndate = 2014-11-24\naliases = [\"/2014/11/24/liquid.html\"]\n+++\n\n\
         Write `{{ site.repository }}` for https://example.com/repo.\n\n\n\
         {% post_url 2014-11-24-liquid %} {% include x.html %}\n\n\n\
         {% raw %} shows a raw tag.\n"
    );
}

#[test]
fn site_values_of_the_config_and_data_files_are_substituted() {
    let site = jekyll_site(
        "title: Old News\nrepository: https://example.com/repo\nversion: 4.4\nteam:\n  lead:\n    name: Ada\nplugins: [jekyll-feed]\n",
        &[
            ("_data/ruby.yml", "min_version: \"2.7.0\"\n"),
            (
                "_posts/2014-11-24-links.md",
                "---\ntitle: Links\n---\nFixed [#1339]({{ site.repository }}/issues/1339) in {{ site.title }} {{site.version}}, led by {{ site.team.lead.name }} on Ruby {{ site.data.ruby.min_version }}.\n\n\
                 Plugins: {{ site.plugins }}; {{ site.missing }}; {{ \"{{\" }} prints marks.\n",
            ),
        ],
    );
    let run = import(&site);
    assert_eq!(
        run.stderr(),
        "warning: old/_posts/2014-11-24-links.md: Jekyll syntax kept as written (pages show it as text): {{ site.missing }}, {{ site.plugins }}\n"
    );
    assert_eq!(
        imported(&site, "content/links.md"),
        "+++\ntitle = \"Links\"\ndate = 2014-11-24\naliases = [\"/2014/11/24/links.html\"]\n+++\n\n\
         Fixed [#1339](https://example.com/repo/issues/1339) in Old News 4.4, led by Ada on Ruby 2.7.0.\n\n\
         Plugins: {{ site.plugins }}; {{ site.missing }}; {{ prints marks.\n"
    );
    site.build();
    let page = site.read("public/links/index.html");
    assert!(
        page.contains("<a href=\"https://example.com/repo/issues/1339\">#1339</a>"),
        "{page}"
    );
}

#[test]
fn link_tags_lead_to_a_documents_url() {
    let site = jekyll_site(
        "title: Old\ncollections:\n  docs:\n    output: true\n    permalink: /:collection/:path/\n",
        &[
            ("_docs/install.md", "---\ntitle: Install\n---\nSteps.\n"),
            ("assets/guide.pdf", "%PDF"),
            (
                "_posts/2014-11-24-news.md",
                "---\ntitle: News\n---\nRead [install]({% link _docs/install.md %}), [the guide]({% link assets/guide.pdf %}) and [gone]({% link _docs/gone.md %}).\n",
            ),
        ],
    );
    let run = import(&site);
    assert!(
        run.stderr()
            .contains("old/_posts/2014-11-24-news.md: Jekyll syntax kept as written (pages show it as text): {% link %}\n"),
        "{}",
        run.stderr()
    );
    let text = imported(&site, "content/news.md");
    assert!(
        text.ends_with("Read [install](/docs/install/), [the guide](/assets/guide.pdf) and [gone]({% link _docs/gone.md %}).\n"),
        "{text}"
    );
}

#[test]
fn collections_with_pages_become_sections_and_redirect_to_pages_redirect() {
    let site = jekyll_site(
        "title: Old\nurl: https://old.example.com\ncollections:\n  docs:\n    output: true\n    permalink: /:collection/:path/\n\
         \x20 tutorials:\n    output: true\n  notes:\n    output: false\n",
        &[
            (
                "_docs/install.md",
                "---\ntitle: Install\n---\n## 1.2 Get it\n\nSteps.\n",
            ),
            (
                "_docs/guide/index.md",
                "---\ntitle: The guide\n---\nStart.\n",
            ),
            ("_docs/guide/deep-dive.md", "---\n---\nDeep.\n"),
            ("_tutorials/first.md", "---\ntitle: First steps\n---\nGo.\n"),
            (
                "_notes/private.md",
                "---\ntitle: Private\n---\nNot published.\n",
            ),
            (
                "github.html",
                "---\npermalink: /github.html\nredirect_to: https://github.com/example/repo\n---\n",
            ),
            (
                "old-install.md",
                "---\npermalink: /setup/\nredirect_to: https://old.example.com/docs/install/\n---\n",
            ),
            ("feed.xml", "---\nlayout: none\n---\n<feed/>\n"),
            ("index.md", "---\nlayout: home\n---\n"),
        ],
    );
    // Jekyll dates a document without a date at build time; the import takes its file's
    // last change (with a warning), never 1970.
    for doc in [
        "_docs/install.md",
        "_docs/guide/index.md",
        "_docs/guide/deep-dive.md",
        "_tutorials/first.md",
    ] {
        site.touch(&format!("old/{doc}"), 1_700_000_000);
    }
    let out = import(&site).stdout();
    assert!(
        out.contains("imported 4 articles (0 drafts, 0 scheduled)")
            && out.contains("old/index.md: the home page: Gazette's home page is its theme's `index.html`")
            && out.contains("old/_notes: the collection notes, which has no pages of its own (`output` is not true in _config.yml)")
            && out.contains("old/feed.xml: a page the old site's templates make"),
        "{out}"
    );
    // A document without a title is titled from its file's name, as Jekyll titles it.
    assert_eq!(
        imported(&site, "content/docs/install.md"),
        "+++\ntitle = \"Install\"\ndate = 2023-11-14T22:13:20Z\npath = \"/docs/install/\"\naliases = [\"/setup/\"]\n+++\n\n## 1.2 Get it {#12-get-it}\n\nSteps.\n"
    );
    assert_eq!(
        imported(&site, "content/docs/guide/guide.md"),
        "+++\ntitle = \"The guide\"\ndate = 2023-11-14T22:13:20Z\npath = \"/docs/guide/index/\"\n+++\n\nStart.\n"
    );
    assert_eq!(
        imported(&site, "content/docs/guide/deep-dive.md"),
        "+++\ntitle = \"Deep Dive\"\ndate = 2023-11-14T22:13:20Z\npath = \"/docs/guide/deep-dive/\"\n+++\n\nDeep.\n"
    );
    // Without a permalink of its own a collection's URLs end as the site's style says
    // (`date`: `.html`).
    assert_eq!(
        imported(&site, "content/tutorials/first.md"),
        "+++\ntitle = \"First steps\"\ndate = 2023-11-14T22:13:20Z\naliases = [\"/tutorials/first.html\"]\n+++\n\nGo.\n"
    );
    // A redirect to another site is a redirect page of its own, as the old site had it.
    assert_eq!(
        site.read("static/github.html"),
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n\
         <link rel=\"canonical\" href=\"https://github.com/example/repo\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url=https://github.com/example/repo\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"https://github.com/example/repo\">https://github.com/example/repo</a>.</p>\n</body>\n</html>\n"
    );
    site.build();
    answers(
        &site,
        &[
            "/docs/install/",
            "/docs/guide/index/",
            "/docs/guide/deep-dive/",
            "/tutorials/first.html",
            "/github.html",
            "/setup/",
            "/docs/",
            "/tutorials/",
        ],
    );
    // A redirect to a page of the site is an alias of the article, with a real 301.
    assert!(
        site.read("public/_redirects")
            .contains("/setup/ /docs/install/ 301\n")
    );
    assert!(
        site.read("public/setup/index.html")
            .contains("url=https://example.org/docs/install/")
    );
    // The kept heading id lands.
    assert!(
        site.read("public/docs/install/index.html")
            .contains("<h2 id=\"12-get-it\">1.2 Get it</h2>")
    );
}

#[test]
fn a_dry_run_counts_author_profiles_as_the_import_writes_them() {
    let site = jekyll_site(
        "title: Old\n",
        &[
            (
                "_posts/2014-11-24-a.md",
                "---\ntitle: A\nauthor: Jane Doe\n---\nA.\n",
            ),
            (
                "_posts/2014-11-25-b.md",
                "---\ntitle: B\nauthor: jane doe\n---\nB.\n",
            ),
            (
                "_posts/2014-11-26-c.md",
                "---\ntitle: C\nauthor: Ann Lee\n---\nC.\n",
            ),
        ],
    );
    let dry = site
        .run(&["import", "--from", "jekyll", "old", "--dry-run"])
        .success()
        .stdout();
    assert!(
        dry.contains("; author profiles to write: 2;"),
        "names that fold to one slug make one profile: {dry}"
    );
    let real = import(&site).stdout();
    assert!(real.contains("; author profiles written: 2;"), "{real}");
    assert!(
        site.exists("content/authors/jane-doe.md") && site.exists("content/authors/ann-lee.md")
    );
}

#[test]
fn kramdowns_heading_ids_are_kept_where_gazettes_differ() {
    let site = jekyll_site(
        "title: Old\n",
        &[(
            "_posts/2014-11-24-changes.md",
            "---\ntitle: Changes\n---\nSee [defs](#161-definitions), [café](#café--bar), [again](#café--bar-1), [v1](#v1-0-0) and [words](#plain-words).\n\n\
             ## 1.6.1 Definitions\n\n## Café & Bar\n\n## Café & Bar\n\n## 1.0.0 / 2013-05-06\n{: #v1-0-0}\n\n## Plain words\n",
        )],
    );
    import(&site);
    assert_eq!(
        imported(&site, "content/changes.md"),
        "+++\ntitle = \"Changes\"\ndate = 2014-11-24\naliases = [\"/2014/11/24/changes.html\"]\n+++\n\n\
         See [defs](#161-definitions), [café](#café--bar), [again](#café--bar-1), [v1](#v1-0-0) and [words](#plain-words).\n\n\
         ## 1.6.1 Definitions {#161-definitions}\n\n## Café & Bar {#café--bar}\n\n## Café & Bar {#café--bar-1}\n\n\
         ## 1.0.0 / 2013-05-06 {#v1-0-0}\n\n## Plain words\n"
    );
    site.build();
    // Every old anchor lands: `check` finds each link's target on the page.
    site.run(&["check"]).success();
}

#[test]
fn folders_the_config_includes_are_read_as_jekyll_reads_them() {
    // `include` takes a `_` folder in (pages kept apart from the root, with their own
    // permalinks), and a name `exclude` lists back; a `_` folder it does not name is still
    // left out, and listed.
    let site = jekyll_site(
        "title: Old\ninclude: [_pages, /shared/]\nexclude: [shared, notes]\n",
        &[
            (
                "_pages/01_colophon.md",
                "---\ntitle: Colophon\npermalink: /colophon/\n---\nSet in type.\n",
            ),
            ("shared/logo.txt", "Kept.\n"),
            ("notes/todo.txt", "Left out.\n"),
            ("_scraps/draft.md", "---\ntitle: Scrap\n---\nNo.\n"),
        ],
    );
    let out = import(&site).stdout();
    assert!(
        out.contains("imported 1 article (0 drafts, 0 scheduled)")
            && out.contains("old/_scraps: a folder Jekyll does not publish")
            && !out.contains("old/_pages:"),
        "{out}"
    );
    assert_eq!(
        imported(&site, "content/pages/01-colophon.md"),
        "+++\ntitle = \"Colophon\"\npath = \"/colophon/\"\n+++\n\nSet in type.\n"
    );
    assert_eq!(site.read("static/shared/logo.txt"), "Kept.\n");
    assert!(!site.exists("static/notes/todo.txt"));
    site.build();
    answers(&site, &["/colophon/", "/shared/logo.txt"]);
}

#[test]
fn a_redirect_from_without_a_trailing_slash_is_the_html_file_jekyll_wrote() {
    // jekyll-redirect-from writes `/tanka` to `tanka.html`: not the folder `/tanka/`, which
    // here is a page of its own.
    let site = jekyll_site(
        "title: Old\nplugins: [jekyll-redirect-from]\n",
        &[
            (
                "_posts/2020-05-06-verse.md",
                "---\ntitle: Verse\npermalink: /verse/\nredirect_from: [/tanka, /poems/, /old/verse.html]\n---\nLines.\n",
            ),
            (
                "tanka.md",
                "---\ntitle: Tanka\npermalink: /tanka/\n---\nFive lines.\n",
            ),
        ],
    );
    let run = import(&site);
    assert_eq!(run.stderr(), "");
    assert!(
        run.stdout().contains("old URLs: 5 of 5 answer"),
        "{}",
        run.stdout()
    );
    assert_eq!(
        imported(&site, "content/verse.md"),
        "+++\ntitle = \"Verse\"\ndate = 2020-05-06\npath = \"/verse/\"\naliases = [\"/tanka.html\", \"/poems/\", \"/old/verse.html\"]\n+++\n\nLines.\n"
    );
    site.build();
    answers(
        &site,
        &[
            "/verse/",
            "/tanka.html",
            "/poems/",
            "/old/verse.html",
            "/tanka/",
        ],
    );
    assert!(site.read("public/tanka/index.html").contains("Five lines."));
}
