//! `gazette watch` driven like an editor would: edits, additions, renames, deletions,
//! atomic saves, bursts, broken templates — checking the output after each step.

mod common;

use common::{TestSite, wait_until};

fn watched_site() -> (TestSite, common::Running) {
    let site = TestSite::with_config(&format!("{}paginate_by = 2\n", common::CONFIG));
    site.story("one", "One", "2024-01-01");
    site.story("two", "Two", "2024-01-02");
    let watch = site.spawn(&["watch"]);
    watch.wait_for_line("watching for changes");
    (site, watch)
}

/// Waits until the output file `relative` satisfies `check`.
fn wait_for_output(site: &TestSite, relative: &str, check: impl Fn(Option<String>) -> bool) {
    let path = site.path().join(relative);
    assert!(
        wait_until(|| check(std::fs::read_to_string(&path).ok()).then_some(())).is_some(),
        "{relative} never reached the expected state"
    );
}

fn contains(text: &'static str) -> impl Fn(Option<String>) -> bool {
    move |page| page.is_some_and(|p| p.contains(text))
}

#[test]
fn edits_additions_renames_and_deletions_show_up_in_the_output() {
    let (site, watch) = watched_site();
    assert!(site.exists("public/one/index.html"));

    site.article(
        "one",
        "title = \"One, edited\"\ndate = 2024-01-01",
        "Fresh words.",
    );
    wait_for_output(&site, "public/one/index.html", contains("Fresh words."));
    wait_for_output(&site, "public/index.html", contains("One, edited"));
    let line = watch.wait_for_line("content/one.md changed");
    assert!(
        line.contains("pages rendered") && line.contains(" ms"),
        "{line}"
    );

    site.story("three", "Three", "2024-01-03");
    wait_for_output(&site, "public/three/index.html", contains("Three"));
    wait_for_output(&site, "public/index.html", contains("Three"));

    std::fs::rename(
        site.path().join("content/three.md"),
        site.path().join("content/third.md"),
    )
    .unwrap();
    wait_for_output(&site, "public/third/index.html", contains("Three"));
    wait_for_output(&site, "public/three/index.html", |p| p.is_none());

    site.remove("content/third.md");
    wait_for_output(&site, "public/third/index.html", |p| p.is_none());
    wait_for_output(&site, "public/index.html", |p| {
        p.is_some_and(|p| !p.contains("Three"))
    });
}

#[test]
fn a_broken_template_keeps_the_last_good_output_until_fixed() {
    let (site, watch) = watched_site();
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ article.nope }}{% endblock content %}",
    );
    let error = watch.wait_for_line("error:");
    assert!(error.contains("templates/article.html:2:"), "{error}");
    assert!(site.read("public/one/index.html").contains("<h1>One</h1>"));

    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}\n{% block content %}<p>Fixed {{ article.title }}</p>{% endblock content %}",
    );
    wait_for_output(&site, "public/one/index.html", contains("Fixed One"));
}

#[test]
fn atomic_saves_bursts_and_new_folders_are_handled_and_debris_ignored() {
    let (site, watch) = watched_site();
    let rebuilds = || watch.count(" changed: ");

    // An editor's atomic save: write a temp file, rename it over the article.
    site.write(
        "content/.one.md.tmp",
        "+++\ntitle = \"Saved atomically\"\ndate = 2024-01-01\n+++\nx\n",
    );
    std::fs::rename(
        site.path().join("content/.one.md.tmp"),
        site.path().join("content/one.md"),
    )
    .unwrap();
    wait_for_output(&site, "public/one/index.html", contains("Saved atomically"));
    // The line is printed just after the files are in place.
    watch.wait_for_count(" changed: ", 1);

    // Swap and backup files change nothing.
    let before = rebuilds();
    site.write("content/.two.md.swp", "swap");
    site.write("content/two.md~", "backup");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(rebuilds(), before, "{}", watch.stderr());

    // A burst (like a git checkout) is one rebuild, or very few.
    let before = rebuilds();
    for n in 0..200 {
        site.story(&format!("burst-{n}"), &format!("Burst {n}"), "2024-02-01");
    }
    wait_for_output(&site, "public/burst-199/index.html", contains("Burst 199"));
    std::thread::sleep(std::time::Duration::from_millis(300));
    let burst = rebuilds() - before;
    assert!(
        (1..=3).contains(&burst),
        "{burst} rebuilds for one burst:\n{}",
        watch.stderr()
    );
    assert!(site.exists("public/burst-0/index.html"));

    // A new folder of articles, then the folder removed whole.
    site.story("desk/inside", "Inside a folder", "2024-03-01");
    wait_for_output(
        &site,
        "public/inside/index.html",
        contains("Inside a folder"),
    );
    std::fs::remove_dir_all(site.path().join("content/desk")).unwrap();
    wait_for_output(&site, "public/inside/index.html", |p| p.is_none());
}

#[test]
fn an_article_written_during_the_session_and_dated_now_is_published() {
    let (site, _watch) = watched_site();
    let path = site.run(&["new", "Breaking news"]).success().stdout();
    let path = path.trim();
    let text = site.read(path).replace("draft = true", "draft = false");
    site.write(path, text);
    wait_for_output(
        &site,
        "public/breaking-news/index.html",
        contains("Breaking news"),
    );
}

#[test]
fn a_scheduled_article_is_published_when_it_comes_due() {
    let (site, watch) = watched_site();
    let due = chrono::Utc::now() + chrono::Duration::seconds(4);
    site.article(
        "later",
        &format!(
            "title = \"Embargoed\"\ndate = {}",
            due.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
        "Not before its time.",
    );
    watch.wait_for_line("content/later.md changed");
    assert!(
        !site.exists("public/later/index.html"),
        "scheduled, so left out for now"
    );
    // Nothing else changes: the watcher publishes it by itself when it is due.
    wait_for_output(&site, "public/later/index.html", contains("Embargoed"));
    assert!(
        chrono::Utc::now().timestamp() >= due.timestamp(),
        "not before"
    );
    watch.wait_for_line("a scheduled article came due");
}

/// The story the home page leads with: the link of the lead story's headline.
fn lead_of(page: &str) -> Option<String> {
    let lead = page.split("<article class=\"lead-story\">").nth(1)?;
    let heading = lead.split("<h2><a href=\"").nth(1)?;
    heading.split('"').next().map(str::to_string)
}

#[test]
fn a_pin_ends_when_its_time_comes() {
    let (site, watch) = watched_site();
    let until = chrono::Utc::now() + chrono::Duration::seconds(4);
    site.article(
        "one",
        &format!(
            "title = \"One\"\ndate = 2024-01-01\npinned = true\npinned_until = {}",
            until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
        "Pinned for now.",
    );
    watch.wait_for_line("content/one.md changed");
    let home = site.read("public/index.html");
    assert_eq!(
        lead_of(&home).as_deref(),
        Some("https://example.org/one/"),
        "pinned, the older story leads"
    );
    // Nothing else changes: the watcher rebuilds by itself when the pin ends.
    wait_for_output(&site, "public/index.html", |page| {
        page.and_then(|p| lead_of(&p)).as_deref() == Some("https://example.org/two/")
    });
    assert!(
        chrono::Utc::now().timestamp() >= until.timestamp(),
        "not before"
    );
    watch.wait_for_line("a pin ended");
}

#[test]
fn configured_folders_are_watched() {
    let site = TestSite::with_config(&format!(
        "{}content_dir = \"articles\"\nseeds_dir = \"raw\"\noutput_dir = \"site\"\n",
        common::CONFIG
    ));
    site.write(
        "articles/one.md",
        "+++\ntitle = \"One\"\ndate = 2024-01-01\n+++\nFirst words.\n",
    );
    let watch = site.spawn(&["watch"]);
    watch.wait_for_line("watching for changes");
    assert!(site.exists("site/one/index.html"));
    site.write(
        "articles/one.md",
        "+++\ntitle = \"One\"\ndate = 2024-01-01\n+++\nSecond words.\n",
    );
    wait_for_output(&site, "site/one/index.html", contains("Second words."));
    site.write(
        "raw/story.txt",
        "A seed headline about chips\n\nChips are getting faster every year, says everyone.\n",
    );
    wait_for_output(
        &site,
        "site/a-seed-headline-about-chips/index.html",
        contains("Chips"),
    );
    drop(watch);
}

#[test]
fn a_shortcode_template_edited_renders_its_articles_again() {
    let (site, _watch) = watched_site();
    site.write(
        "templates/shortcodes/note.html",
        "<aside>First {{ body }}</aside>",
    );
    site.article(
        "noted",
        "title = \"Noted\"\ndate = 2024-01-03",
        "{% note() %}\nsaid\n{% end %}",
    );
    wait_for_output(
        &site,
        "public/noted/index.html",
        contains("<aside>First said</aside>"),
    );
    site.write(
        "templates/shortcodes/note.html",
        "<aside>Second {{ body }}</aside>",
    );
    wait_for_output(
        &site,
        "public/noted/index.html",
        contains("<aside>Second said</aside>"),
    );
}
