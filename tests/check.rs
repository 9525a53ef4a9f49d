//! `gazette check`: every kind of problem found with its file and line, a clean site
//! passing, and the output never touched.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use common::TestSite;

fn clean_site() -> TestSite {
    let site = TestSite::new();
    site.article(
        "one",
        "title = \"One\"\ndate = 2024-01-01\nauthors = [\"Ann Lee\"]\ntags = [\"Chips\"]",
        "## Details\n\nSee [two](../two/) and [its section](../two/#more), [here](#details).",
    );
    site.article(
        "two",
        "title = \"Two\"\ndate = 2024-01-02\nauthors = [\"Ann Lee\"]\ntags = [\"Chips\"]",
        "Intro.\n\n## More\n\nBack to [one](/one/) and [home](https://example.org/).",
    );
    site.write(
        "content/authors/ann-lee.md",
        "+++\nname = \"Ann Lee\"\n+++\nBio.\n",
    );
    site
}

#[test]
fn a_clean_site_passes_without_touching_the_output() {
    let site = clean_site();
    let run = site.run(&["check"]).success();
    assert!(run.stdout().contains("no problems"), "{}", run.stdout());
    assert_eq!(run.stdout().lines().count(), 1, "{}", run.stdout());
    assert!(!site.exists("public"), "check writes nothing");
}

#[test]
fn each_kind_of_problem_is_reported_where_to_fix_it() {
    let site = clean_site();
    site.article(
        "three",
        "title = \"Three\"\ndate = 2024-01-03\nauthors = [\"Bo Chen\"]\ntags = [\"Chipz\", \"Chips\"]",
        "Fine line.\n\nA [dead link](../nowhere/) here.\n\n![lost](missing.png)\n\n[No such part](../one/#nope) and [local](#gone).",
    );
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}\n<p>Try <a href=\"{{ site.base_url }}lost-page/\">x</a>\nor <a href=\"{{ site.base_url }}{{ site.language }}/\">y</a></p>{% endblock content %}",
    );
    let run = site.run(&["check"]);
    let out = run.stdout();
    let stderr = run.failure();
    for expected in [
        "content/three.md:9: link ../nowhere/ leads to no page of the site",
        "content/three.md:11: image or file missing.png leads to no page of the site",
        "content/three.md:13: ../one/#nope: there is no #nope on that page",
        "content/three.md:13: #gone: there is no #gone on that page",
        // Likely mistakes, not failures: a deploy never stops over them.
        "content/three.md: author \"Bo Chen\" has no profile; add authors/bo-chen.md with a `name` and a bio (warning)",
        "content/three.md:5: tag \"Chipz\" is used by this article only: a typo for \"Chips\"? (warning)",
        // The template line that spells the link out, after `{{ site.base_url }}`.
        "templates/404.html:2 (on /404.html): link https://example.org/lost-page/ leads to no page of the site",
        // Made of values alone: the page and its template.
        "/404.html (template 404.html): link https://example.org/en/ leads to no page of the site",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(stderr.contains("6 problems found"), "{stderr}");
    assert!(out.contains("6 problems, 2 warnings"), "{out}");
    assert!(!site.exists("public"));
}

#[test]
fn ordinary_tags_and_new_writers_never_fail_a_check() {
    let site = clean_site();
    site.article(
        "phones",
        "title = \"Phones\"\ndate = 2024-01-04\nauthors = [\"Ann Lee\", \"New Person\"]\ntags = [\"iPhone 16\", \"5G\"]",
        "Text.",
    );
    site.article(
        "more-phones",
        "title = \"More phones\"\ndate = 2024-01-05\nauthors = [\"Ann Lee\"]\ntags = [\"iPhone 16\", \"5G\"]",
        "Text.",
    );
    site.article(
        "newest",
        "title = \"Newest\"\ndate = 2024-01-06\nauthors = [\"Ann Lee\"]\ntags = [\"iPhone 17\", \"4G\"]",
        "Text.",
    );
    let run = site.run(&["check"]).success();
    let out = run.stdout();
    assert!(
        out.contains("a typo for \"iPhone 16\"? (warning)")
            && out.contains("\"New Person\" has no profile")
            && out.contains("no problems, 3 warnings"),
        "{out}"
    );
}

#[test]
fn every_front_matter_problem_is_reported_with_its_position() {
    let site = clean_site();
    site.write(
        "content/bad.md",
        "+++\ntitle = \"Bad\"\ndate = someday\n+++\n",
    );
    site.write(
        "content/worse.md",
        "+++\ntitle = \"Worse\"\ndate = 2024-01-01\ncolour = \"red\"\n+++\n",
    );
    site.write("content/none.md", "No front matter at all.\n");
    let run = site.run(&["check"]);
    let out = run.stdout();
    let stderr = run.failure();
    assert!(out.contains("content/bad.md:3:8: "), "{out}");
    assert!(out.contains("content/worse.md:4:1: "), "{out}");
    assert!(
        out.contains("content/none.md:1:1: expected front matter"),
        "{out}"
    );
    assert!(out.contains("before links are checked"), "{out}");
    assert!(stderr.contains("3 files do not load"), "{stderr}");
}

/// A tiny web server answering 200 on /ok and 404 elsewhere; counts requests.
fn web_server() -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut first = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let _ = reader.read_line(&mut first);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let status = if first.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (port, hits)
}

#[test]
fn external_links_are_requested_only_when_asked() {
    let site = clean_site();
    let (port, hits) = web_server();
    site.article(
        "links",
        "title = \"Links\"\ndate = 2024-01-04",
        &format!("[up](http://127.0.0.1:{port}/ok) and\n[down](http://127.0.0.1:{port}/gone)"),
    );
    let quiet = site.run(&["check"]).success();
    assert!(
        quiet.stdout().contains("external links not checked"),
        "{}",
        quiet.stdout()
    );
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 0);

    let run = site.run(&["check", "--external"]);
    let out = run.stdout();
    let stderr = run.failure();
    assert!(
        out.contains(&format!(
            "content/links.md:6: external link http://127.0.0.1:{port}/gone answers HTTP 404"
        )),
        "{out}"
    );
    assert!(!out.contains("/ok"), "{out}");
    assert!(out.contains("2 external links (1 failing)"), "{out}");
    assert!(stderr.contains("1 problem found"), "{stderr}");
}

#[test]
fn every_internal_link_resolves_under_a_project_pages_base_url() {
    let site = clean_site();
    site.write(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://user.github.io/repo/\"\n",
    );
    // Under /repo/, a site-root link (`/one/`) is the site's page, as built.
    let run = site.run(&["check"]).success();
    assert!(run.stdout().contains("no problems"), "{}", run.stdout());
    // Relative links work too.
    site.article(
        "two",
        "title = \"Two\"\ndate = 2024-01-02\nauthors = [\"Ann Lee\"]\ntags = [\"Chips\"]",
        "Intro.\n\n## More\n\nBack to [one](../one/).",
    );
    let run = site.run(&["check"]).success();
    assert!(run.stdout().contains("no problems"), "{}", run.stdout());
    let links: usize = run
        .stdout()
        .split("pages, ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        links > 50,
        "every page's links, assets and feeds are checked: {links}"
    );
}

#[test]
fn site_root_links_work_under_a_path_prefix_and_check_sees_the_site_as_built() {
    let site = clean_site();
    // `[one](/one/)` in an article means the site's page, wherever the site is served.
    let run = site
        .run(&["check", "--base-url", "https://user.github.io/news/"])
        .success();
    assert!(run.stdout().contains("no problems"), "{}", run.stdout());
    site.run(&["build", "--base-url", "https://user.github.io/news/"])
        .success();
    let two = site.read("public/two/index.html");
    assert!(two.contains("href=\"/news/one/\""), "{two}");
    // Without a prefix the page is as written.
    site.build();
    assert!(
        site.read("public/two/index.html")
            .contains("href=\"/one/\"")
    );
}

#[test]
fn a_published_url_that_is_gone_warns_in_build_and_fails_check_until_an_alias_answers() {
    let site = TestSite::new();
    site.story("old-name", "A story", "2024-01-01");
    site.build();
    // Renamed: its URL /old-name/ would break.
    std::fs::rename(
        site.path().join("content/old-name.md"),
        site.path().join("content/new-name.md"),
    )
    .unwrap();
    let warned = site.build().stderr();
    let message = "content/old-name.md: /old-name/ was published and is gone; add \"/old-name/\" to the `aliases` of the article that replaces it";
    assert!(warned.contains(&format!("warning: {message}")), "{warned}");
    let out = site.check_fails();
    assert!(out.contains(message), "{out}");
    // Not forgotten by later builds, even ones that ignore the cache.
    assert!(site.build().stderr().contains(message));
    assert!(
        site.run(&["build", "--no-cache"])
            .success()
            .stderr()
            .contains(message)
    );
    // An alias answers it: no warning, and check passes.
    site.article(
        "new-name",
        "title = \"A story\"\ndate = 2024-01-01\naliases = [\"/old-name/\"]",
        "Some text.",
    );
    assert!(!site.build().stderr().contains("was published"));
    site.run(&["check"]).success();
    assert!(
        site.read("public/old-name/index.html")
            .contains("url=https://example.org/new-name/")
    );
}

#[test]
fn a_draft_seen_in_a_preview_build_was_never_published() {
    let site = TestSite::new();
    site.story("one", "One", "2024-01-01");
    site.article(
        "wip",
        "title = \"Work in progress\"\ndate = 2024-01-02\ndraft = true",
        "Text.",
    );
    site.run(&["build", "--drafts"]).success();
    assert!(!site.build().stderr().contains("was published"));
    site.run(&["check"]).success();
}

#[test]
fn scheduled_articles_seen_in_a_future_preview_were_never_published() {
    let site = TestSite::new();
    site.story("one", "One", "2024-01-01");
    site.story("later", "Later", "2999-01-01");
    site.run(&["build", "--future"]).success();
    assert!(site.exists("public/later/index.html"));
    assert!(!site.build().stderr().contains("was published"));
    site.run(&["check"]).success();
}

#[test]
fn without_a_build_record_the_previous_sitemap_tells_what_was_published() {
    let site = TestSite::new();
    site.story("old-name", "A story", "2024-01-01");
    site.story("other", "Other", "2024-01-02");
    site.build();
    // As in a CI job that restored the output but not the record beside it.
    std::fs::remove_file(site.path().join(".public.gazette-cache")).unwrap();
    std::fs::rename(
        site.path().join("content/old-name.md"),
        site.path().join("content/new-name.md"),
    )
    .unwrap();
    let out = site.check_fails();
    let message = "sitemap.xml: /old-name/ was published and is gone";
    assert!(out.contains(message), "{out}");
    let warned = site.build().stderr();
    assert!(warned.contains(message), "{warned}");
    // Kept in the new record from then on.
    assert!(site.build().stderr().contains(message));
}

#[test]
fn a_section_that_goes_away_is_a_published_url_gone() {
    let site = TestSite::new();
    site.write(
        "content/reviews/_index.md",
        "+++\ntitle = \"Reviews\"\n+++\n",
    );
    site.story("reviews/phone", "Phone", "2024-01-01");
    site.build();
    std::fs::remove_dir_all(site.path().join("content/reviews")).unwrap();
    site.story("phone", "Phone", "2024-01-01");
    let warned = site.build().stderr();
    assert!(
        warned.contains("content/reviews/_index.md: /reviews/ was published and is gone"),
        "{warned}"
    );
    site.article(
        "phone",
        "title = \"Phone\"\ndate = 2024-01-01\naliases = [\"/reviews/\"]",
        "Text.",
    );
    assert!(!site.build().stderr().contains("was published"));
}

#[test]
fn a_section_a_preview_showed_only_for_its_drafts_was_never_published() {
    let site = TestSite::new();
    site.story("one", "One", "2024-01-01");
    site.article(
        "desk/wip",
        "title = \"Work in progress\"\ndate = 2024-01-02\ndraft = true",
        "Text.",
    );
    site.run(&["build", "--drafts"]).success();
    assert!(site.exists("public/desk/index.html"));
    let built = site.build();
    assert!(
        !built.stderr().contains("was published"),
        "{}",
        built.stderr()
    );
    site.run(&["check"]).success();
}

#[test]
fn a_fragment_with_non_ascii_letters_finds_its_heading() {
    let site = clean_site();
    site.article(
        "three",
        "title = \"Three\"\ndate = 2024-01-03\nauthors = [\"Ann Lee\"]\ntags = [\"Chips\"]",
        "## Café {#café}\n\nSee [the café](#café), [escaped](#caf%C3%A9) and [not](#cafe).",
    );
    let run = site.run(&["check"]);
    let out = run.stdout();
    run.failure();
    // The links are written percent-encoded, as a browser decodes them: only `#cafe` is
    // missing.
    assert_eq!(
        out,
        "content/three.md:9: #cafe: there is no #cafe on that page\n\
         checked 9 pages, 180 internal links, external links not checked (--external checks them): 1 problem\n"
    );
}

/// Tags used once are common on a young site (each story brings its own): one note lists
/// them all, rather than a line each burying the warnings.
#[test]
fn tags_used_once_are_one_note() {
    let site = clean_site();
    site.article(
        "three",
        "title = \"Three\"\ndate = 2024-01-03\nauthors = [\"Ann Lee\"]\ntags = [\"Rust\", \"AI\"]",
        "Text.",
    );
    site.article(
        "four",
        "title = \"Four\"\ndate = 2024-01-04\nauthors = [\"Ann Lee\"]\ntags = [\"Linux\"]",
        "Text.",
    );
    let out = site.run(&["check"]).success().stdout();
    assert_eq!(
        out,
        "tags: 3 used by one article only: \"AI\", \"Linux\", \"Rust\" (note)\n\
         checked 13 pages, 249 internal links, external links not checked (--external checks them): no problems\n"
    );
    // One alone keeps its place.
    site.remove("content/four.md");
    site.article(
        "three",
        "title = \"Three\"\ndate = 2024-01-03\nauthors = [\"Ann Lee\"]\ntags = [\"Rust\"]",
        "Text.",
    );
    let out = site.run(&["check"]).success().stdout();
    assert!(
        out.starts_with("content/three.md:5: tag \"Rust\" is used by this article only (note)\n"),
        "{out}"
    );
}

/// A comment in an article's HTML holding an apostrophe ("the writer's") once opened a
/// quoted value in check's scan that ran over the headings after it, so the table of
/// contents' links to them were reported missing.
#[test]
fn headings_after_a_comment_with_a_quote_are_found() {
    let site = clean_site();
    let words = "Plain words fill the section. ".repeat(40);
    site.article(
        "three",
        "title = \"Three\"\ndate = 2024-01-03\nauthors = [\"Ann Lee\"]\ntags = [\"Chips\"]",
        &format!(
            "<!--\nTo do: check the writer's spelling\n-->\n\n## Dawn\n\n{words}\n\n\
             ## Noon\n\n{words}\n\n## Dusk\n\n{words}\n\nBack to [noon](#noon), not [night](#night)."
        ),
    );
    let run = site.run(&["check"]);
    let out = run.stdout();
    run.failure();
    assert_eq!(
        out,
        "content/three.md:23: #night: there is no #night on that page\n\
         checked 9 pages, 182 internal links, external links not checked (--external checks them): 1 problem\n"
    );
}

/// A text fragment names words, not an id: browsers take `:~:` and what follows off the
/// fragment and scroll to the text; only an id before it must exist.
#[test]
fn text_fragments_are_not_missing_anchors() {
    let site = clean_site();
    site.article(
        "three",
        "title = \"Three\"\ndate = 2024-01-03\nauthors = [\"Ann Lee\"]\ntags = [\"Chips\"]",
        "## Notes\n\nSee [the words](#:~:text=Plain%20words), [there](../two/#:~:text=Intro), \
         [in notes](#notes:~:text=See), [up](#top), [lost](#gone:~:text=See) \
         and [away](https://example.com/a/#:~:text=word).",
    );
    let run = site.run(&["check"]);
    let out = run.stdout();
    run.failure();
    assert_eq!(
        out,
        "content/three.md:9: #gone:~:text=See: there is no #gone on that page\n\
         checked 9 pages, 182 internal links, external links not checked (--external checks them): 1 problem\n"
    );
}
