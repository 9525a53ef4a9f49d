//! Search: the `[search]` switch, the page and index it adds, which articles the index
//! holds, and how builds reuse it. (A real browser searching the index is in browser.rs.)

mod common;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::TestSite;

fn with_search(extra: &str) -> TestSite {
    TestSite::with_config(&format!(
        "{}{extra}[search]\nenabled = true\n",
        common::CONFIG
    ))
}

fn json(site: &TestSite, relative: &str) -> serde_json::Value {
    serde_json::from_str(&site.read(relative)).unwrap()
}

/// The folders of the index's parts, as `search/index.json` lists them.
fn parts(site: &TestSite) -> Vec<String> {
    json(site, "public/search/index.json")["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["dir"].as_str().unwrap().to_string())
        .collect()
}

/// Every fragment of the index: what each result would show.
fn fragments(site: &TestSite) -> Vec<serde_json::Value> {
    let mut found = Vec::new();
    for dir in parts(site) {
        for entry in std::fs::read_dir(site.path().join("public/search").join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            if name.starts_with('f') {
                // A few articles' fragments to a file.
                let group: Vec<serde_json::Value> =
                    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
                found.extend(group);
            }
        }
    }
    found
}

/// Each file below `dir` with its modification time: a file carried over (linked) keeps
/// it, one written again gets a new one.
fn stamps(dir: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut found: Vec<(PathBuf, SystemTime)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let modified = e.metadata().unwrap().modified().unwrap();
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), modified)
        })
        .collect();
    found.sort();
    found
}

#[test]
fn search_is_off_unless_the_configuration_turns_it_on() {
    let site = TestSite::new();
    site.story("one", "One", "2024-01-01");
    // A theme of its own without search.html is fine while search is off.
    site.write(
        "templates/index.html",
        "{% if site.search %}search{% else %}none{% endif %}",
    );
    site.build();
    assert!(!site.exists("public/search"));
    assert_eq!(site.read("public/index.html"), "none");
    assert!(
        !site
            .read("public/one/index.html")
            .contains("role=\"search\"")
    );
}

#[test]
fn search_adds_a_page_a_masthead_box_the_client_and_an_index_of_published_articles() {
    let site = with_search("");
    site.article(
        "one",
        "title = \"Quokkas arrive\"\ndate = 2024-01-01\nauthors = [\"Ada Byte\"]\ntags = [\"Zoo\"]\ndescription = \"Small and happy.\"",
        "Keepers *welcomed* them.",
    );
    site.story("two", "Two", "2024-01-02");
    site.article(
        "draft",
        "title = \"Unfinished\"\ndate = 2024-01-03\ndraft = true",
        "Secret plans.",
    );
    site.article("later", "title = \"Later\"\ndate = 2999-01-01", "Not yet.");
    site.build();

    let page = site.read("public/search/index.html");
    assert!(page.contains("data-index=\"https://example.org/search/index.json\""));
    assert!(
        page.contains("<noscript>"),
        "says what happens without JavaScript"
    );
    let script = page
        .split("<script src=\"https://example.org/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the page loads the client");
    assert!(
        site.read(&format!("public/{script}"))
            .contains("search-ready")
    );
    // Every page's masthead searches.
    let article = site.read("public/one/index.html");
    assert!(article.contains(
        "<form class=\"masthead-search\" role=\"search\" action=\"https://example.org/search/\">"
    ));

    let index = json(&site, "public/search/index.json");
    assert_eq!(index["articles"], 2);
    assert_eq!(index["language"], "en");
    assert_eq!(index["stemmed"], true);
    let mut shown = fragments(&site);
    shown.sort_by_key(|f| f["url"].as_str().unwrap().to_string());
    assert_eq!(
        shown.len(),
        2,
        "neither the draft nor the scheduled article"
    );
    let one = &shown[0];
    assert_eq!(one["url"], "one/");
    assert_eq!(one["title"], "Quokkas arrive");
    assert_eq!(one["authors"], serde_json::json!(["Ada Byte"]));
    assert_eq!(one["tags"], serde_json::json!(["Zoo"]));
    assert_eq!(one["date"], "2024-01-01");
    assert_eq!(one["description"], "Small and happy.");
    assert_eq!(one["text"], "Keepers welcomed them.");
    // The sitemap lists content, not the search page.
    assert!(!site.read("public/sitemap.xml").contains("/search/"));
}

#[test]
fn a_theme_without_a_search_page_is_refused_once_search_is_on() {
    let site = TestSite::new();
    site.story("one", "One", "2024-01-01");
    site.minimal_theme("plain");
    site.write(
        "config.toml",
        format!("{}theme = \"plain\"\n", common::CONFIG),
    );
    site.build();
    site.write(
        "config.toml",
        format!(
            "{}theme = \"plain\"\n[search]\nenabled = true\n",
            common::CONFIG
        ),
    );
    let stderr = site.build_fails_keeping_output();
    assert!(
        stderr.contains("config.toml: search is on")
            && stderr.contains("themes/plain/templates/search.html"),
        "{stderr}"
    );
}

#[test]
fn an_article_may_not_take_the_search_pages_url() {
    let site = with_search("");
    site.story("search", "Search", "2024-01-01");
    let stderr = site.run(&["build"]).failure();
    assert!(stderr.contains("content/search.md"), "{stderr}");
}

#[test]
fn results_link_inside_a_path_prefix() {
    let site = TestSite::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/news/\"\n[search]\nenabled = true\n",
    );
    site.story("one", "One", "2024-01-01");
    site.build();
    let page = site.read("public/search/index.html");
    assert!(page.contains("data-index=\"https://example.org/news/search/index.json\""));
    assert!(page.contains("data-root=\"https://example.org/news/\""));
    assert!(page.contains("action=\"https://example.org/news/search/\""));
    // Fragments are relative to the root the page gives, so the client resolves them
    // inside the prefix (browser.rs follows one).
    assert_eq!(fragments(&site)[0]["url"], "one/");
}

#[test]
fn the_same_content_gives_the_same_index_bytes() {
    let site = with_search("");
    for n in 0..5 {
        site.article(
            &format!("s{n}"),
            &format!(
                "title = \"Story {n}\"\ndate = 2024-01-0{}\ntags = [\"T{n}\"]",
                n + 1
            ),
            &format!("Words of story {n}: chips, markets and launches."),
        );
    }
    site.build();
    let first = site.tree("public/search");
    std::fs::remove_dir_all(site.path().join(".gazette-cache")).unwrap();
    site.run(&["build", "--output", "again"]).success();
    assert_eq!(first, site.tree("again/search"));
}

#[test]
fn a_build_where_no_article_changed_keeps_the_index_files_as_they_are() {
    let site = with_search("");
    site.story("one", "One", "2024-01-01");
    site.story("two", "Two", "2024-01-02");
    site.build();
    let before = stamps(&site.path().join("public/search"));
    let cached = stamps(&site.path().join(".gazette-cache/search"));
    // A template edit re-renders pages; no article's searchable text changed.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}Gone.{% endblock content %}",
    );
    let built = site.build().stdout();
    assert!(built.contains("1 page rendered"), "{built}");
    let after = stamps(&site.path().join("public/search"));
    let parts_before: Vec<_> = before
        .iter()
        .filter(|(p, _)| p.components().count() == 2)
        .collect();
    let parts_after: Vec<_> = after
        .iter()
        .filter(|(p, _)| p.components().count() == 2)
        .collect();
    assert!(!parts_before.is_empty());
    assert_eq!(parts_before, parts_after, "the same files, carried over");
    // A part's table is written when the part is made (its pack is touched when used).
    let tables = |list: Vec<(PathBuf, SystemTime)>| -> Vec<(PathBuf, SystemTime)> {
        list.into_iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == "toc"))
            .collect()
    };
    assert_eq!(
        tables(cached),
        tables(stamps(&site.path().join(".gazette-cache/search"))),
        "the index was not made again"
    );
}

#[test]
fn an_edited_article_remakes_only_its_part_of_the_index() {
    // Six hundred articles make two parts (of about five hundred).
    let site = with_search("");
    for n in 0..600 {
        site.write(
            &format!("content/a{n}.md"),
            format!(
                "+++\ntitle = \"Article {n}\"\ndate = 2020-01-01T00:{:02}:{:02}Z\n+++\nBody {n}.\n",
                n / 60,
                n % 60
            ),
        );
    }
    site.build();
    let before = parts(&site);
    assert_eq!(before.len(), 2, "{before:?}");
    let stamps_before = stamps(&site.path().join("public/search"));
    let cached_before = stamps(&site.path().join(".gazette-cache/search"));

    site.write(
        "content/a7.md",
        "+++\ntitle = \"Article 7\"\ndate = 2020-01-01T00:00:07Z\n+++\nBody 7, with a zeppelin.\n",
    );
    site.build();
    let after = parts(&site);
    let kept: Vec<&String> = after.iter().filter(|p| before.contains(p)).collect();
    assert_eq!(kept.len(), 1, "one part kept: {before:?} → {after:?}");
    assert_eq!(after.len(), 2);
    let in_kept = |list: &[(PathBuf, SystemTime)]| -> Vec<(PathBuf, SystemTime)> {
        list.iter()
            .filter(|(p, _)| p.starts_with(kept[0]))
            .cloned()
            .collect()
    };
    let stamps_after = stamps(&site.path().join("public/search"));
    assert_eq!(in_kept(&stamps_before), in_kept(&stamps_after));
    // A part's table is written when the part is made (its pack is touched when used).
    let table = |list: Vec<(PathBuf, SystemTime)>| {
        list.into_iter()
            .find(|(p, _)| p.to_str() == Some(&format!("{}.toc", kept[0])))
    };
    assert_eq!(
        table(cached_before),
        table(stamps(&site.path().join(".gazette-cache/search"))),
        "the unchanged part was not made again"
    );
    assert!(
        fragments(&site)
            .iter()
            .any(|f| f["text"] == "Body 7, with a zeppelin.")
    );
    // The cache holds what the index uses and the part it replaced (kept for a while, in
    // case another build or a `serve` still uses it), nothing more.
    let mut cached: Vec<String> = std::fs::read_dir(site.path().join(".gazette-cache/search"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cached.sort();
    let mut expected: Vec<String> = after
        .iter()
        .chain(before.iter().filter(|p| !after.contains(p)))
        .flat_map(|p| [format!("{p}.pack"), format!("{p}.toc")])
        .collect();
    expected.sort();
    assert_eq!(cached, expected);
}

#[test]
fn a_damaged_cache_is_made_again_not_trusted() {
    let site = with_search("");
    site.story("one", "One", "2024-01-01");
    site.build();
    let index = site.tree("public/search");
    let cache = site.path().join(".gazette-cache/search");
    for entry in std::fs::read_dir(&cache).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pack") {
            std::fs::write(&path, b"short").unwrap();
        }
    }
    site.run(&["build", "--no-cache"]).success();
    assert_eq!(index, site.tree("public/search"));
}
