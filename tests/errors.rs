//! Bad input: a clear message naming the file (and position), exit 1, no panic, and the
//! previous output left exactly as it was.

mod common;

use common::TestSite;

/// A site that built once, so there is an output to protect.
fn built_site() -> TestSite {
    let site = TestSite::new();
    site.story("good", "Good", "2024-01-01");
    site.build();
    site
}

#[test]
fn malformed_front_matter_reports_path_line_and_column() {
    let site = built_site();
    site.write(
        "content/bad.md",
        "+++\ntitle = \"Bad\"\ndate = 2024-01-01\ntags = [\"a\",\n+++\nBody\n",
    );
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(err.contains("content/bad.md:4:13: unclosed array"), "{err}");
}

#[test]
fn missing_title() {
    let site = built_site();
    site.article("untitled", "date = 2024-01-01", "Body");
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(
        err.contains("content/untitled.md") && err.contains("title"),
        "{err}"
    );
}

#[test]
fn of_several_broken_files_the_first_in_order_is_reported_every_time() {
    let site = built_site();
    // Many broken files, so that threads finish them in varying order.
    for n in 10..60 {
        site.article(&format!("broken-{n}"), "date = 2024-01-01", "Body");
    }
    for _ in 0..5 {
        let err = site.build_fails_keeping_output();
        site.pin(&err);
        assert!(err.starts_with("error: content/broken-10.md"), "{err}");
    }
}

#[test]
fn missing_date() {
    let site = built_site();
    site.article("undated", "title = \"Undated\"", "Body");
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(
        err.contains("content/undated.md") && err.contains("date"),
        "{err}"
    );
}

#[test]
fn invalid_date() {
    let site = built_site();
    site.article("when", "title = \"When\"\ndate = \"next tuesday\"", "Body");
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(err.contains("content/when.md:3:8: invalid `date`"), "{err}");
}

#[test]
fn unknown_front_matter_key() {
    let site = built_site();
    site.article(
        "typo",
        "title = \"Typo\"\ndate = 2024-01-01\nauthor = \"Ann\"",
        "Body",
    );
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(
        err.contains("content/typo.md:4:1") && err.contains("author"),
        "{err}"
    );
}

#[test]
fn missing_front_matter() {
    let site = built_site();
    site.write("content/plain.md", "Just text.\n");
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(
        err.contains("content/plain.md:1:1: expected front matter"),
        "{err}"
    );
}

#[test]
fn non_utf8_content_file() {
    let site = built_site();
    site.write(
        "content/latin1.md",
        b"+++\ntitle = \"Caf\xe9\"\ndate = 2024-01-01\n+++\n".as_slice(),
    );
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(err.contains("content/latin1.md: not valid UTF-8"), "{err}");
}

#[test]
fn duplicate_permalink_names_both_files() {
    let site = built_site();
    site.article(
        "other",
        "title = \"Other\"\ndate = 2024-01-01\nslug = \"good\"",
        "Body",
    );
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(
        err.contains("content/good.md")
            && err.contains("content/other.md")
            && err.contains("/good/"),
        "{err}"
    );
}

#[test]
fn slug_leaving_the_output_folder() {
    let site = built_site();
    site.article(
        "escape",
        "title = \"Escape\"\ndate = 2024-01-01\nslug = \"../../etc\"",
        "Body",
    );
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(
        err.contains("content/escape.md:4:8") && err.contains("would leave the output folder"),
        "{err}"
    );
}

#[test]
fn reserved_slug() {
    let site = built_site();
    site.article("tags", "title = \"Tags\"\ndate = 2024-01-01", "Body");
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(
        err.contains("content/tags.md") && err.contains("used by the site itself"),
        "{err}"
    );
}

#[test]
fn unknown_theme() {
    let site = built_site();
    site.write(
        "config.toml",
        format!("{}theme = \"nope\"\n", common::CONFIG),
    );
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(err.contains("unknown theme `nope`"), "{err}");
}

#[test]
fn template_syntax_error_names_the_template_file_and_position() {
    let site = built_site();
    site.write("templates/article.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ article.title \n{% endblock content %}");
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(err.contains("templates/article.html:"), "{err}");
}

#[test]
fn undefined_variable_names_the_template_and_the_article() {
    let site = built_site();
    site.write(
        "templates/article.html",
        "<p>\n{{ article.no_such_field }}</p>",
    );
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(err.contains("templates/article.html:2:"), "{err}");
    assert!(err.contains("no_such_field"), "{err}");
    assert!(err.contains("while rendering content/good.md"), "{err}");
}

#[test]
fn missing_template_in_a_theme() {
    let site = built_site();
    site.write(
        "config.toml",
        format!("{}theme = \"thin\"\n", common::CONFIG),
    );
    site.write("themes/thin/templates/index.html", "home");
    site.write("templates/404.html", "the site's own 404 page counts");
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(
        err.starts_with(
            "error: themes/thin/templates: the theme `thin` lacks the page templates \
             article.html, author.html, authors.html, tag.html, tags.html ("
        ),
        "{err}"
    );
}

#[test]
fn a_template_including_a_missing_one_names_it() {
    let site = built_site();
    site.write(
        "templates/article.html",
        "{% include \"partials/nowhere.html\" %}",
    );
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(
        err.starts_with(
            "error: templates/article.html:1:12: Unknown template `partials/nowhere.html`"
        ),
        "{err}"
    );
}

#[test]
fn config_errors() {
    let site = built_site();
    site.write(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\npaginate = 5\n",
    );
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(
        err.contains("config.toml:3:1") && err.contains("paginate"),
        "{err}"
    );
    site.write("config.toml", "title = \"T\"\n");
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(
        err.contains("config.toml") && err.contains("base_url"),
        "{err}"
    );
    site.write("config.toml", "title = \"T\"\nbase_url = \"example.org\"\n");
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert!(
        err.contains("config.toml") && err.contains("absolute"),
        "{err}"
    );
}

#[test]
fn no_config_at_all() {
    let site = TestSite::new();
    site.remove("config.toml");
    let err = site.run(&["build"]).failure();
    site.pin(&err);
    assert!(err.contains("config.toml"), "{err}");
}

#[test]
fn output_over_the_sources_is_refused() {
    let site = built_site();
    let before = site.tree("content");
    for output in ["content", "content/sub", "."] {
        let err = site.run(&["build", "--output", output]).failure();
        site.pin(&err);
        assert!(
            err.contains("refusing to use this folder as output"),
            "{output}: {err}"
        );
    }
    assert_eq!(
        before,
        site.tree("content"),
        "hand-written content survives"
    );
}

#[test]
fn an_output_folder_that_is_a_source_folder_is_refused_whatever_its_name() {
    let site = TestSite::with_config(&format!(
        "{}content_dir = \"articles\"\noutput_dir = \"articles\"\n",
        common::CONFIG
    ));
    site.write(
        "articles/hello.md",
        "+++\ntitle = \"Hello\"\ndate = 2024-01-01\n+++\nHi.\n",
    );
    for _ in 0..2 {
        let stderr = site.run(&["build"]).failure();
        site.pin(&stderr);
        assert!(
            stderr.contains("refusing to use this folder as output")
                && stderr.contains("content folder"),
            "{stderr}"
        );
    }
    assert!(site.exists("articles/hello.md"), "the source survives");

    // Inside a source, or holding one, is refused alike; so is --output.
    let site = TestSite::with_config(&format!(
        "{}seeds_dir = \"raw\"\noutput_dir = \"raw/site\"\n",
        common::CONFIG
    ));
    let stderr = site.run(&["build"]).failure();
    site.pin(&stderr);
    assert!(stderr.contains("seeds folder"), "{stderr}");
    let site = TestSite::new();
    site.story("a", "A", "2024-01-01");
    let stderr = site.run(&["build", "--output", "content/x"]).failure();
    site.pin(&stderr);
    assert!(stderr.contains("content folder"), "{stderr}");
    assert!(site.exists("content/a.md"));
}

#[test]
fn a_slug_too_long_for_a_file_name_names_the_article() {
    let site = built_site();
    site.article(
        "long",
        &format!(
            "title = \"Long\"\ndate = 2024-01-02\nslug = \"{}\"",
            "a".repeat(250)
        ),
        "Text.",
    );
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("content/long.md:4:") && stderr.contains("at most 200"),
        "{stderr}"
    );
    assert!(!stderr.contains("staging"), "{stderr}");
}

#[test]
fn dates_outside_the_years_1_to_9999_are_refused() {
    for date in ["\"-0001-01-01\"", "\"+262142-12-31\""] {
        let site = built_site();
        site.article("odd", &format!("title = \"Odd\"\ndate = {date}"), "Text.");
        let stderr = site.build_fails_keeping_output();
        site.pin(&stderr);
        assert!(
            stderr.contains("content/odd.md:3:") && stderr.contains("years 1 to 9999"),
            "{date}: {stderr}"
        );
    }
}

#[test]
fn more_tags_or_authors_than_the_limits_name_the_article() {
    let list = |n: usize, word: &str| {
        (0..n)
            .map(|i| format!("\"{word} {i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let site = built_site();
    site.article(
        "tagged",
        &format!(
            "title = \"Tagged\"\ndate = 2024-01-02\ntags = [{}]",
            list(2000, "tag")
        ),
        "Text.",
    );
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("content/tagged.md:4:8: 2000 tags; an article may have at most 100"),
        "{stderr}"
    );
    site.article(
        "tagged",
        &format!(
            "title = \"Tagged\"\ndate = 2024-01-02\nauthors = [{}]",
            list(4000, "Writer")
        ),
        "Text.",
    );
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("4000 authors; an article may have at most 50"),
        "{stderr}"
    );

    // At the limits, a build goes through.
    site.article(
        "tagged",
        &format!(
            "title = \"Tagged\"\ndate = 2024-01-02\nauthors = [{}]\ntags = [{}]",
            list(50, "Writer"),
            list(100, "tag")
        ),
        "Text.",
    );
    site.build();
    assert!(site.exists("public/tags/tag-99/index.html"));
}

#[test]
fn a_component_calling_itself_is_named_at_its_definition() {
    let site = built_site();
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}\n{% component looping(n) %}{{ n }}{{<looping n={n}/>}}{% endcomponent looping %}\n{% block content %}{{<looping n={1}/>}}{% endblock content %}\n",
    );
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("templates/article.html:2: the component `looping` calls itself"),
        "{stderr}"
    );
    assert!(
        stderr.contains("while rendering content/good.md"),
        "{stderr}"
    );
}

#[test]
fn an_alias_taken_by_a_page_or_another_alias_names_both_and_odd_ones_name_the_line() {
    let site = built_site();
    site.article(
        "moved",
        "title = \"Moved\"\ndate = 2024-01-02\naliases = [\"/good/\"]",
        "Text.",
    );
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("content/moved.md: the alias /good/ is the page of content/good.md"),
        "{stderr}"
    );
    site.article(
        "moved",
        "title = \"Moved\"\ndate = 2024-01-02\naliases = [\"/tags/\"]",
        "Text.",
    );
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(stderr.contains("is a page of the site's own"), "{stderr}");
    site.article(
        "moved",
        "title = \"Moved\"\ndate = 2024-01-02\naliases = [\"/was/\"]",
        "Text.",
    );
    site.article(
        "also",
        "title = \"Also\"\ndate = 2024-01-03\naliases = [\"/was\"]",
        "Text.",
    );
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("the alias /was/ is an alias of content/"),
        "{stderr}"
    );
    site.remove("content/also.md");
    site.article(
        "moved",
        "title = \"Moved\"\ndate = 2024-01-02\naliases = [\"/old#part\"]",
        "Text.",
    );
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("content/moved.md:4:12: alias \"/old#part\" has a fragment"),
        "{stderr}"
    );
    site.article(
        "moved",
        "title = \"Moved\"\ndate = 2024-01-02\naliases = [\"/?p=1 2\"]",
        "Text.",
    );
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("content/moved.md:4:12: alias \"/?p=1 2\" must have a query"),
        "{stderr}"
    );
    // Two articles cannot answer one old query link.
    site.article(
        "moved",
        "title = \"Moved\"\ndate = 2024-01-02\naliases = [\"/?p=123\"]",
        "Text.",
    );
    site.article(
        "also",
        "title = \"Also\"\ndate = 2024-01-03\naliases = [\"/?p=123\"]",
        "Text.",
    );
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("the alias /?p=123 is an alias of content/"),
        "{stderr}"
    );
}

#[test]
fn an_alias_that_is_not_a_path_of_the_site_is_refused_saying_why() {
    let site = built_site();
    for (alias, why) in [
        (
            "javascript:alert(1)",
            "is a `javascript:` URL: an alias is a path of this site, starting with `/`",
        ),
        (
            "https://old.example/x",
            "is a `https:` URL: an alias is a path of this site, starting with `/`",
        ),
        (
            "//old.example/x",
            "names another host (`//…`): an alias is a path of this site, starting with a single `/`",
        ),
        (
            "old/",
            "does not start with `/`: an alias is a path of this site from its root, such as \"/old/\"",
        ),
        (
            "/old page/",
            "has a space: an alias is one path, without spaces",
        ),
        (
            "?p=12",
            "does not start with `/`: an alias is a path of this site from its root, such as \"/?p=12\"",
        ),
    ] {
        site.article(
            "moved",
            &format!("title = \"Moved\"\ndate = 2024-01-02\naliases = [{alias:?}]"),
            "Text.",
        );
        assert_eq!(
            site.build_fails_keeping_output(),
            format!("error: content/moved.md:4:12: alias {alias:?} {why}\n"),
        );
        assert!(!site.exists("public/alert(1)") && !site.exists("public/javascript:alert(1)"));
    }
}

/// The site's own root files (the sitemap's parts too, which a site makes once it passes
/// 50,000 URLs) are no article's: not as its `path` (a folder where the file is) nor as an
/// alias.
#[test]
fn the_sites_own_files_are_no_articles_path_or_alias() {
    let site = built_site();
    for (path, column) in [
        ("/sitemap.xml/", 8),
        ("/sitemap-2.xml/x/", 8),
        ("/robots.txt", 8),
    ] {
        site.article(
            "moved",
            &format!("title = \"Moved\"\ndate = 2024-01-02\npath = {path:?}"),
            "Text.",
        );
        assert_eq!(
            site.build_fails_keeping_output(),
            format!(
                "error: content/moved.md:4:{column}: path {path:?} is a file of the site's own\n"
            ),
        );
    }
    for alias in ["/sitemap-1.xml", "/sitemap-12.xml", "/sitemap.xml/old/"] {
        site.article(
            "moved",
            &format!("title = \"Moved\"\ndate = 2024-01-02\naliases = [{alias:?}]"),
            "Text.",
        );
        assert_eq!(
            site.build_fails_keeping_output(),
            format!(
                "error: content/moved.md: the alias {alias} is a page of the site's own: remove it or choose another\n"
            ),
        );
    }
    // A name that only looks like a part stays free.
    site.article(
        "moved",
        "title = \"Moved\"\ndate = 2024-01-02\naliases = [\"/sitemap-old.xml\"]",
        "Text.",
    );
    site.build();
    assert!(site.exists("public/sitemap-old.xml"));
}

#[test]
fn a_body_image_or_link_leaving_the_site_names_the_file_and_line() {
    let site = built_site();
    site.write("static/etc/passwd", "not a secret");
    for (body, expected) in [
        (
            "Text.\n\n![x](../../etc/passwd)",
            "error: content/good.md:7:6: \"../../etc/passwd\" leaves the site: from the article's URL /good/ it goes up past the site's root; link a path from the root (/images/x.jpg) or one that stays inside\n",
        ),
        (
            "See [the file](../../../etc/passwd).",
            "error: content/good.md:5:16: \"../../../etc/passwd\" leaves the site: from the article's URL /good/ it goes up past the site's root; link a path from the root (/images/x.jpg) or one that stays inside\n",
        ),
        (
            "Raw: <img src=\"/images/../../x.svg\">",
            "error: content/good.md:5:16: \"/images/../../x.svg\" leaves the site: from the article's URL /good/ it goes up past the site's root; link a path from the root (/images/x.jpg) or one that stays inside\n",
        ),
    ] {
        site.article("good", "title = \"Good\"\ndate = 2024-01-01", body);
        assert_eq!(site.build_fails_keeping_output(), expected, "{body}");
    }
    // Up to the root, and no further, stays inside.
    site.article(
        "good",
        "title = \"Good\"\ndate = 2024-01-01",
        "See [the file](../etc/passwd).",
    );
    site.build();
}

#[test]
fn permalink_patterns_that_could_collide_or_collide_are_refused() {
    for (pattern, expected) in [
        (
            "/:year/:month/",
            "config.toml:3:13: `permalink` \"/:year/:month/\" has no :slug",
        ),
        ("/:yr/:slug/", "unknown token :yr"),
        ("/tags/:slug/", "which the site uses for its own pages"),
        (":slug", "must start and end with `/`"),
    ] {
        let site = built_site();
        site.write(
            "config.toml",
            format!("{}permalink = \"{pattern}\"\n", common::CONFIG),
        );
        let stderr = site.build_fails_keeping_output();
        site.pin(&stderr);
        assert!(stderr.contains(expected), "{pattern}: {stderr}");
    }
    let site = built_site();
    site.write(
        "config.toml",
        format!("{}permalink = \"/:author/:slug/\"\n", common::CONFIG),
    );
    site.write(
        "content/desk/good.md",
        "+++\ntitle = \"Good too\"\ndate = 2024-01-02\n+++\nText.\n",
    );
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("content/desk/good.md and content/good.md both want the URL /good/")
            || stderr.contains("content/good.md and content/desk/good.md both want the URL /good/"),
        "{stderr}"
    );
    site.remove("content/desk/good.md");
    site.article(
        "odd",
        "title = \"Odd\"\ndate = 2024-01-02\npath = \"/../up/\"",
        "Text.",
    );
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("content/odd.md:4:8: path \"/../up/\""),
        "{stderr}"
    );
}

#[test]
fn sections_that_cannot_be_are_refused_naming_the_file() {
    // A section's list and an article with the same URL.
    let site = built_site();
    site.story("reviews", "Reviews, the article", "2024-01-02");
    site.write(
        "content/reviews/_index.md",
        "+++\ntitle = \"Reviews\"\n+++\n",
    );
    site.story("reviews/phone", "Phone", "2024-01-03");
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains(
            "content/reviews/_index.md and content/reviews.md both want the URL /reviews/"
        ),
        "{stderr}"
    );
    site.remove("content/reviews.md");
    // `_index.md` deeper than a top-level folder, or at the top.
    for misplaced in ["content/reviews/2024/_index.md", "content/_index.md"] {
        site.write(misplaced, "+++\ntitle = \"Deep\"\n+++\n");
        let stderr = site.build_fails_keeping_output();
        site.pin(&stderr);
        assert!(
            stderr.contains(&format!("{misplaced}: `_index.md` describes a section")),
            "{stderr}"
        );
        site.remove(misplaced);
    }
    // A folder whose section would take a URL of the site's own.
    site.story("tags/mine", "Mine", "2024-01-04");
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("content/tags: the folder makes a section at /tags/"),
        "{stderr}"
    );
    site.remove("content/tags/mine.md");
    // Unknown keys, with their line.
    site.write(
        "content/reviews/_index.md",
        "+++\ntitle = \"R\"\nsort_by = \"date\"\n+++\n",
    );
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("content/reviews/_index.md:3:1: unknown field `sort_by`"),
        "{stderr}"
    );
}

#[test]
fn a_theme_without_a_section_template_is_refused_only_once_the_site_has_a_section() {
    let site = TestSite::with_config(&format!("{}theme = \"plain\"\n", common::CONFIG));
    site.minimal_theme("plain");
    site.story("good", "Good", "2024-01-01");
    site.build();
    site.story("reviews/phone", "Phone", "2024-01-02");
    let stderr = site.build_fails_keeping_output();
    site.pin(&stderr);
    assert!(
        stderr.contains("content/reviews: the site has the section `reviews`, and the theme `plain` has no section.html"),
        "{stderr}"
    );
    site.write(
        "themes/plain/templates/section.html",
        "<h1>{{ section.title }}</h1>",
    );
    site.build();
    assert_eq!(site.read("public/reviews/index.html"), "<h1>Reviews</h1>");
}

#[test]
fn pinned_until_without_pinned_is_refused_at_its_line() {
    let site = built_site();
    site.article(
        "lead",
        "title = \"Lead\"\ndate = 2024-01-02\npinned_until = 2024-02-01",
        "Body",
    );
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert_eq!(
        err.trim_end(),
        "error: content/lead.md:4:16: `pinned_until` says when pinning ends: set `pinned = true` too"
    );
}

#[test]
fn a_home_section_that_is_no_section_is_refused_at_its_line() {
    let site = built_site();
    site.story("news/one", "One", "2024-01-01");
    site.story("reviews/two", "Two", "2024-01-02");
    site.write(
        "config.toml",
        format!(
            "{}[home]\nsections = [\"news\", \"revews\"]\n",
            common::CONFIG
        ),
    );
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert_eq!(
        err.trim_end(),
        "error: config.toml:4:21: `[home] sections` names \"revews\", which is no section (a top-level folder of the content, by its URL slug): the site has news, reviews"
    );
    // A folder of drafts only is a section to come: named rightly, it has no block yet.
    site.article(
        "later/three",
        "title = \"Three\"\ndate = 2024-01-03\ndraft = true",
        "Text.",
    );
    site.write(
        "config.toml",
        format!(
            "{}[home]\nsections = [\"later\", \"news\", \"news\"]\n",
            common::CONFIG
        ),
    );
    let err = site.build_fails_keeping_output();
    site.pin(&err);
    assert_eq!(
        err.trim_end(),
        "error: config.toml:4:30: `[home] sections` names the section \"news\" twice"
    );
    site.write(
        "config.toml",
        format!(
            "{}[home]\nsections = [\"later\", \"news\"]\n",
            common::CONFIG
        ),
    );
    site.build();
}
