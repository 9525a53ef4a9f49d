//! Authoring commands: `init` starts a site, `new` starts an article, and the command line
//! documents itself (completions, man page).

mod common;

use common::TestSite;

#[test]
fn init_makes_a_site_that_builds_and_refuses_a_non_empty_folder() {
    let place = TestSite::new();
    let run = place.run(&["init", "paper"]).success();
    assert!(run.stdout().contains("gazette serve"), "{}", run.stdout());
    for file in [
        "paper/config.toml",
        "paper/content/welcome.md",
        "paper/content/authors/the-editors.md",
        "paper/themes/broadsheet/templates/base.html",
        "paper/themes/broadsheet/static/style.css",
        "paper/.github/workflows/pages.yml",
        "paper/.gitignore",
    ] {
        assert!(place.exists(file), "{file}");
    }
    assert_eq!(
        place.read("paper/.github/workflows/pages.yml"),
        include_str!("../.github/workflows/pages.yml"),
        "new sites publish with the same workflow as this repository"
    );
    let built = place.run(&["build", "--root", "paper"]).success();
    assert!(built.stderr().is_empty(), "no warnings: {}", built.stderr());
    assert!(
        place
            .read("paper/public/welcome/index.html")
            .contains("Welcome to your newsroom")
    );
    // New sites have search: its page, its index, a box in every masthead.
    assert!(place.exists("paper/public/search/index.html"));
    assert!(
        place
            .read("paper/public/search/index.json")
            .contains("\"articles\":1")
    );
    assert!(
        place
            .read("paper/public/welcome/index.html")
            .contains("class=\"masthead-search\"")
    );

    // The copied theme is the one used: editing it changes the site.
    let base = place.read("paper/themes/broadsheet/templates/base.html");
    place.write(
        "paper/themes/broadsheet/templates/base.html",
        base.replace("Built with Gazette", "Printed by us"),
    );
    place.run(&["build", "--root", "paper"]).success();
    assert!(
        place
            .read("paper/public/index.html")
            .contains("Printed by us")
    );

    let refused = place.run(&["init", "paper"]).failure();
    assert!(
        refused.contains("not empty") && refused.contains("--force"),
        "{refused}"
    );

    // --force adds what is missing and keeps every existing file.
    place.write(
        "paper/config.toml",
        "title = \"Kept\"\nbase_url = \"https://k.org/\"\n",
    );
    place.remove("paper/content/welcome.md");
    let forced = place.run(&["init", "paper", "--force"]).success();
    assert!(
        forced.stderr().contains("config.toml: exists, kept"),
        "{}",
        forced.stderr()
    );
    assert!(place.read("paper/config.toml").contains("Kept"));
    assert!(place.exists("paper/content/welcome.md"));
}

#[test]
fn new_writes_a_draft_with_its_front_matter_and_never_overwrites() {
    let site = TestSite::new();
    let run = site
        .run(&[
            "new",
            "Chips & \"Dips\": a story",
            "--author",
            "Ann Lee",
            "--tag",
            "Chips",
            "--tag",
            "Food",
        ])
        .success();
    assert_eq!(run.stdout().trim(), "content/chips-dips-a-story.md");
    let text = site.read("content/chips-dips-a-story.md");
    let front: toml::Table = toml::from_str(text.split("+++").nth(1).unwrap()).unwrap();
    assert_eq!(front["title"].as_str(), Some("Chips & \"Dips\": a story"));
    assert_eq!(front["authors"], toml::Value::from(vec!["Ann Lee"]));
    assert_eq!(front["tags"], toml::Value::from(vec!["Chips", "Food"]));
    assert_eq!(front["draft"].as_bool(), Some(true));
    let date = front["date"].as_datetime().unwrap().to_string();
    let date = chrono::DateTime::parse_from_rfc3339(&date).unwrap();
    assert!((chrono::Utc::now() - date.to_utc()).num_seconds().abs() < 60);

    // A draft: left out of a build, shown with --drafts.
    site.build();
    assert!(!site.exists("public/chips-dips-a-story/index.html"));
    site.run(&["build", "--drafts"]).success();
    assert!(site.exists("public/chips-dips-a-story/index.html"));

    site.write("content/chips-dips-a-story.md", "mine");
    let refused = site.run(&["new", "Chips & Dips: a story"]).failure();
    assert!(refused.contains("already exists"), "{refused}");
    assert_eq!(site.read("content/chips-dips-a-story.md"), "mine");
    assert!(
        site.run(&["new", "???"])
            .failure()
            .contains("no letters or digits")
    );
}

#[test]
fn completions_and_a_man_page_come_from_the_command_line_definition() {
    let site = TestSite::new();
    let bash = site.run(&["completions", "bash"]).success().stdout();
    assert!(
        bash.contains("complete") && bash.contains("serve"),
        "{bash}"
    );
    assert!(
        site.run(&["completions", "zsh"])
            .success()
            .stdout()
            .contains("#compdef gazette")
    );
    let man = site.run(&["man"]).success().stdout();
    assert!(
        man.contains(".TH gazette") && man.contains("watch"),
        "{man}"
    );
    assert_eq!(
        site.run(&["completions", "nosh"]).output.status.code(),
        Some(1)
    );
}

#[test]
fn messages_are_plain_without_a_terminal_or_with_no_color() {
    let site = TestSite::with_config("title = \"T\"\n");
    for run in [
        site.run(&["build"]),
        site.command(&["build"]).env("NO_COLOR", "1").run(),
    ] {
        let stderr = run.failure();
        assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    }
}

#[test]
fn a_new_writer_gets_a_profile_and_reserved_titles_are_refused_up_front() {
    let site = TestSite::new();
    let run = site
        .run(&["new", "First story", "--author", "New Person"])
        .success();
    assert!(
        run.stderr()
            .contains("wrote content/authors/new-person.md, a profile for New Person"),
        "{}",
        run.stderr()
    );
    let profile = site.read("content/authors/new-person.md");
    assert!(profile.contains("name = \"New Person\""), "{profile}");
    // The first article by a new writer passes the check that gates a deploy.
    let checked = site.run(&["check", "--drafts"]).success();
    assert!(
        checked.stdout().contains("no problems"),
        "{}",
        checked.stdout()
    );
    assert!(
        !checked.stdout().contains("no profile"),
        "{}",
        checked.stdout()
    );
    // An existing profile is never touched.
    site.write(
        "content/authors/new-person.md",
        "+++\nname = \"New Person\"\n+++\nMine.\n",
    );
    site.run(&["new", "Second story", "--author", "New Person"])
        .success();
    assert!(site.read("content/authors/new-person.md").contains("Mine."));

    let refused = site.run(&["new", "Authors"]).failure();
    assert!(
        refused.contains("/authors/, which the site uses itself"),
        "{refused}"
    );
    assert!(!site.exists("content/authors.md"));
    site.build();
}

#[test]
fn output_piped_into_head_ends_quietly() {
    for args in [&["completions", "zsh"][..], &["man"][..]] {
        for _ in 0..5 {
            let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
                .args(args)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            // Read one line, then go, as `head -1` does.
            let mut first = String::new();
            std::io::BufRead::read_line(
                &mut std::io::BufReader::new(child.stdout.take().unwrap()),
                &mut first,
            )
            .unwrap();
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.is_empty(), "{args:?}: {stderr}");
            assert!(!first.is_empty());
        }
    }
}

/// The README's quick start, line by line as written, with `gazette` installed into a
/// temporary folder on PATH the way its `cargo install` line installs it.
#[cfg(unix)]
#[test]
fn the_quick_start_works_as_written() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = readme
        .split("## Quick start")
        .nth(1)
        .and_then(|s| s.split("```sh\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("a sh block under Quick start");
    let lines: Vec<&str> = block
        .lines()
        .map(|l| l.split(" #").next().unwrap().trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert!(lines[0].starts_with("cargo install"), "{lines:?}");
    let temp = tempfile::tempdir().unwrap();
    let bin = temp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_gazette"), bin.join("gazette")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // The clone the quick start runs in.
    let clone = temp.path().join("gazette");
    std::fs::create_dir(&clone).unwrap();
    let sh = |line: &str| {
        let mut command = std::process::Command::new("sh");
        command
            .args(["-c", line])
            .current_dir(&clone)
            .env("PATH", &path)
            .env_remove("SOURCE_DATE_EPOCH");
        command
    };
    let init = sh(lines[1]).output().unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let said = String::from_utf8_lossy(&init.stdout);
    assert!(
        said.contains("next: cd ../my-newsroom && gazette serve"),
        "{said}"
    );

    // In a process group of its own, so that stopping the shell stops the server it ran.
    let mut serve = {
        use std::os::unix::process::CommandExt;
        sh(lines[2])
            .stderr(std::process::Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap()
    };
    let stderr = serve.stderr.take().unwrap();
    let mut first_lines = String::new();
    for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)).map_while(Result::ok) {
        first_lines.push_str(&line);
        first_lines.push('\n');
        if line.contains("serving the site at") || line.starts_with("error:") {
            break;
        }
    }
    let _ = std::process::Command::new("kill")
        .args(["-TERM", "--", &format!("-{}", serve.id())])
        .status();
    let _ = serve.wait();
    if first_lines.contains("another server uses this port") {
        eprintln!("port 1111 is busy here: the serve line was not run to the end");
        return;
    }
    assert!(
        first_lines.contains("serving the site at http://127.0.0.1:1111/"),
        "{first_lines}"
    );
    assert!(temp.path().join("my-newsroom/config.toml").exists());
}

#[test]
fn a_title_with_line_breaks_stays_a_title() {
    let site = TestSite::new();
    let run = site.run(&["new", "Breaking\n+++\ndraft = false"]).success();
    let path = run.stdout().trim().to_string();
    let front: toml::Table =
        toml::from_str(site.read(&path).split("+++\n").nth(1).unwrap()).unwrap();
    assert_eq!(
        front["title"].as_str(),
        Some("Breaking\n+++\ndraft = false")
    );
    assert_eq!(front["draft"].as_bool(), Some(true));
    site.run(&["build", "--drafts"]).success();
}

#[test]
fn mv_gives_a_new_slug_and_keeps_the_old_url_answering() {
    let site = TestSite::new();
    site.article(
        "old-name",
        "title = \"A story\" # kept as written\ndate = 2024-01-01\n\n[extra]\nnote = 1",
        "The body.",
    );
    site.build();
    let out = site
        .run(&["mv", "content/old-name.md", "new-name"])
        .success()
        .stdout();
    assert!(
        out.contains("content/old-name.md → content/new-name.md; /old-name/ now redirects"),
        "{out}"
    );
    assert!(!site.exists("content/old-name.md"));
    assert_eq!(
        site.read("content/new-name.md"),
        "+++\ntitle = \"A story\" # kept as written\ndate = 2024-01-01\naliases = [\"/old-name/\"]\n\n[extra]\nnote = 1\n+++\nThe body.\n"
    );
    // The next build has the new URL, a redirect at the old one and nothing to warn of.
    let built = site.build();
    assert!(
        !built.stderr().contains("was published"),
        "{}",
        built.stderr()
    );
    assert!(site.exists("public/new-name/index.html"));
    assert!(
        site.read("public/old-name/index.html")
            .contains("url=https://example.org/new-name/")
    );
    // A slug set in the file changes there, by slug too; the aliases gather.
    site.run(&["mv", "new-name", "newer-name"]).success();
    assert!(site.exists("content/newer-name.md"));
    site.article(
        "set",
        "title = \"Set\"\ndate = 2024-01-02\nslug = \"first\"",
        "Text.",
    );
    site.build();
    site.run(&["mv", "first", "second"]).success();
    let text = site.read("content/set.md");
    assert!(
        text.contains("slug = \"second\"") && text.contains("aliases = [\"/first/\"]"),
        "{text}"
    );
    site.build();
    site.run(&["check"]).success();
}

#[test]
fn mv_refuses_what_would_break_and_leaves_the_files_as_they_were() {
    let site = TestSite::new();
    site.story("one", "One", "2024-01-01");
    site.story("two", "Two", "2024-01-02");
    site.article(
        "draft",
        "title = \"Draft\"\ndate = 2024-01-03\ndraft = true",
        "Text.",
    );
    let before = site.tree("content");
    for (args, expected) in [
        (&["mv", "one", "two"][..], "content/two.md already exists"),
        (
            &["mv", "one", "Not A Slug"],
            "error: \"Not A Slug\" is not a slug: use lowercase letters, digits and hyphens, such as \"not-a-slug\"",
        ),
        (
            &["mv", "one", "tags"],
            "the slug `tags` is used by the site itself",
        ),
        (&["mv", "nobody", "x"], "no article has the slug `nobody`"),
        (
            &["mv", "content/none.md", "x"],
            "content/none.md: no article of the site is in this file",
        ),
    ] {
        let stderr = site.run(args).failure();
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    // No suggestion of nothing, nor of a slug the site keeps for itself.
    assert_eq!(
        site.run(&["mv", "one", "!!!"]).failure(),
        "error: \"!!!\" is not a slug and has no letters or digits to make one of: use lowercase letters, digits and hyphens\n"
    );
    assert_eq!(
        site.run(&["mv", "one", "Tags"]).failure(),
        "error: \"Tags\" is not a slug, and `tags` is used by the site itself: use lowercase letters, digits and hyphens\n"
    );
    assert_eq!(site.tree("content"), before);
    // A URL the site has already (an article with its own `path`) puts everything back.
    site.article(
        "taken",
        "title = \"Taken\"\ndate = 2024-01-04\npath = \"/three/\"",
        "Text.",
    );
    let before_taken = site.tree("content");
    let stderr = site.run(&["mv", "one", "three"]).failure();
    assert!(stderr.contains("both want the URL /three/"), "{stderr}");
    assert_eq!(site.tree("content"), before_taken);
    site.remove("content/taken.md");
    assert_eq!(site.tree("content"), before);
    // A draft was never published: no alias.
    site.run(&["mv", "draft", "draft-two"]).success();
    assert!(!site.read("content/draft-two.md").contains("aliases"));
}

#[test]
fn mv_renames_the_folder_of_an_article_that_is_one() {
    let site = TestSite::new();
    site.write(
        "content/old-shot/index.md",
        "+++\ntitle = \"Shot\"\ndate = 2024-01-01\n+++\nSee [the data](data.csv).\n",
    );
    site.write("content/old-shot/data.csv", "a,b\n");
    site.build();
    let out = site.run(&["mv", "old-shot", "new-shot"]).success().stdout();
    assert!(out.contains("content/old-shot → content/new-shot"), "{out}");
    assert!(
        site.read("content/new-shot/index.md")
            .contains("aliases = [\"/old-shot/\"]")
    );
    site.build();
    assert_eq!(site.read("public/new-shot/data.csv"), "a,b\n");
    assert!(
        site.read("public/old-shot/index.html")
            .contains("url=https://example.org/new-shot/")
    );
}

#[test]
fn new_puts_an_article_in_a_section_or_makes_it_a_folder() {
    let site = TestSite::new();
    let run = site
        .run(&["new", "Phone review", "--section", "Reviews", "--folder"])
        .success();
    assert_eq!(run.stdout().trim(), "content/reviews/phone-review/index.md");
    site.write("content/reviews/phone-review/data.csv", "a\n");
    site.run(&["build", "--drafts"]).success();
    assert!(
        site.read("public/reviews/index.html")
            .contains("Phone review")
    );
    assert_eq!(site.read("public/phone-review/data.csv"), "a\n");
    let refused = site.run(&["new", "X", "--section", "tags"]).failure();
    assert!(refused.contains("--section \"tags\""), "{refused}");
}

#[test]
fn pinned_stories_tell_templates_so() {
    let site = TestSite::new();
    site.article(
        "lead",
        "title = \"Lead\"\ndate = 2024-01-02\npinned = true\npinned_until = 2024-02-01T12:00:00Z",
        "Body",
    )
    .article("pinned", "title = \"Pinned\"\ndate = 2024-01-03\npinned = true", "Body")
    .story("plain", "Plain", "2024-01-04")
    .write(
        "templates/article.html",
        "{{ article.slug }}: {{ article.pinned }} {% if article.pinned_until %}{{ article.pinned_until }}{% else %}-{% endif %}",
    );
    site.build();
    for (slug, shown) in [
        ("lead", "lead: true 2024-02-01T12:00:00Z"),
        ("pinned", "pinned: true -"),
        ("plain", "plain: false -"),
    ] {
        assert_eq!(site.read(&format!("public/{slug}/index.html")), shown);
    }
    // The home page leads with the story pinned now: `Lead`'s pin ended on 1 February
    // 2024, by the build's clock, so it takes its place by date.
    let home = site.read("public/index.html");
    let at = |title: &str| home.find(&format!(">{title}<")).unwrap();
    assert!(at("Pinned") < at("Plain") && at("Plain") < at("Lead"));
}

/// A site to run a front page on: two sections, stories with and without (remote) lead
/// images, pins that hold, one that ended and one with an end to come.
fn newsroom(home: &str) -> TestSite {
    let site = TestSite::with_config(&format!(
        "{}paginate_by = 2
{home}",
        common::CONFIG
    ));
    let image = "image = \"https://example.org/i.jpg\"\nimage_alt = \"A picture\"\n";
    for (slug, date, more) in [
        ("news/n1", "2024-01-10", image),
        ("news/n2", "2024-01-09", ""),
        ("news/n3", "2024-01-08", image),
        ("reviews/r1", "2024-01-07", image),
        ("reviews/r2", "2024-01-06", ""),
        ("t1", "2024-01-05", image),
        ("t2", "2024-01-04", "pinned = true\n"),
        (
            "t3",
            "2024-01-03",
            "pinned = true\npinned_until = 2024-01-20\n",
        ),
        (
            "news/n4",
            "2024-01-02",
            "pinned = true\npinned_until = 2999-01-01\nimage = \"https://example.org/i.jpg\"\nimage_alt = \"A\"\n",
        ),
        ("t4", "2024-01-01", image),
        ("t5", "2023-12-31", ""),
        ("reviews/r3", "2023-12-30", image),
        ("reviews/r4", "2023-12-29", ""),
        ("reviews/r5", "2023-12-28", ""),
        ("reviews/r6", "2023-12-27", ""),
    ] {
        let title = slug.rsplit('/').next().unwrap();
        site.article(
            slug,
            &format!("title = \"{title}\"\ndate = {date}\n{more}"),
            "Text.",
        );
    }
    site.write(
        "templates/index.html",
        "{{ paginator.number }}/{{ paginator.total_pages }} of {{ paginator.total_items }}\n\
         lead: {% if front.lead %}{{ front.lead.slug }}{% else %}-{% endif %}\n\
         tier:{% for a in front.tier %} {{ a.slug }}{% endfor %}\n\
         {% for b in front.sections %}{{ b.section.title }}:{% for a in b.articles %} {{ a.slug }}{% endfor %}\n{% endfor %}\
         river:{% for a in front.river %} {{ a.slug }}{% endfor %}\n\
         items:{% for a in paginator.items %} {{ a.slug }}{% endfor %}\n",
    );
    site.write(
        "templates/section.html",
        "{{ section.slug }} {{ paginator.number }}:{% for a in paginator.items %} {{ a.slug }}{% endfor %}",
    );
    site
}

#[test]
fn the_front_page_runs_in_the_editors_order() {
    let site = newsroom("[home]\nsections = [\"reviews\", \"news\"]\n");
    site.build();
    // Pinned now: t2 and n4 (t3's pin ended). The newest pinned leads, the other opens
    // the tier, filled with the newest stories with an image; each home section's block
    // has its newest stories not featured above; the river has everything else, and
    // every story is on one home page once.
    assert_eq!(
        site.read("public/index.html"),
        "1/3 of 15\n\
         lead: t2\n\
         tier: n4 n1 n3 r1\n\
         Reviews: r2 r3 r4 r5\n\
         News: n2\n\
         river: t1 t3\n\
         items: t2 n4 n1 n2 n3 r1 r2 t1 t3 r3 r4 r5\n"
    );
    assert_eq!(
        site.read("public/page/2/index.html"),
        "2/3 of 15\nlead: -\ntier:\nriver: t4 t5\nitems: t4 t5\n"
    );
    assert_eq!(
        site.read("public/page/3/index.html"),
        "3/3 of 15\nlead: -\ntier:\nriver: r6\nitems: r6\n"
    );
    assert!(!site.exists("public/page/4/index.html"));
    // A section's pinned stories head its pages; feeds keep the order by date.
    assert_eq!(site.read("public/news/index.html"), "news 1: n4 n1");
    assert_eq!(site.read("public/news/page/2/index.html"), "news 2: n2 n3");
    assert_eq!(site.read("public/reviews/index.html"), "reviews 1: r1 r2");
    let feed = site.read("public/news/atom.xml");
    let at = |slug: &str| feed.find(&format!("/{slug}/")).unwrap();
    assert!(at("n1") < at("n2") && at("n3") < at("n4"));
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/page/3/</loc>"));
    assert!(!sitemap.contains("<loc>https://example.org/page/4/</loc>"));
}

#[test]
fn home_sections_default_to_every_section_by_weight_and_can_be_none() {
    let site = newsroom("");
    site.write("content/reviews/_index.md", "+++\nweight = -1\n+++\n");
    site.build();
    let home = site.read("public/index.html");
    let blocks: Vec<&str> = home.lines().filter(|l| l.starts_with(['N', 'R'])).collect();
    assert_eq!(blocks, ["Reviews: r2 r3 r4 r5", "News: n2"]);
    site.remove("content/reviews/_index.md");
    site.build();
    let home = site.read("public/index.html");
    let blocks: Vec<&str> = home.lines().filter(|l| l.starts_with(['N', 'R'])).collect();
    assert_eq!(blocks, ["News: n2", "Reviews: r2 r3 r4 r5"]);

    let site = newsroom("[home]\nsections = []\n");
    site.build();
    assert_eq!(
        site.read("public/index.html"),
        "1/5 of 15\n\
         lead: t2\n\
         tier: n4 n1 n3 r1\n\
         river: n2 r2\n\
         items: t2 n4 n1 n2 n3 r1 r2\n"
    );
}

/// The stories a broadsheet page's headlines link to, in order.
fn headlines(page: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = page;
    while let Some((at, length)) = ["<h2><a href=\"", "<h3><a href=\""]
        .iter()
        .filter_map(|p| rest.find(p).map(|i| (i, p.len())))
        .min()
    {
        rest = &rest[at + length..];
        let url = rest.split('"').next().unwrap();
        let slug = url
            .trim_start_matches("https://example.org/")
            .trim_end_matches('/');
        found.push(slug.to_string());
    }
    found
}

#[test]
fn broadsheets_front_page_shows_each_story_once_in_its_places() {
    let site = newsroom("[home]\nsections = [\"reviews\", \"news\"]\n");
    site.remove("templates/index.html");
    site.remove("templates/section.html");
    site.build();
    let home = site.read("public/index.html");
    // The lead, the tier, the Reviews and News blocks, then the river.
    assert_eq!(
        headlines(&home),
        [
            "t2", "n4", "n1", "n3", "r1", "r2", "r3", "r4", "r5", "n2", "t1", "t3"
        ]
    );
    assert_eq!(home.matches("<article class=\"lead-story\">").count(), 1);
    assert!(home.contains(
        "<h2 id=\"block-reviews\"><a href=\"https://example.org/reviews/\">Reviews</a></h2>"
    ));
    assert!(
        home.contains("<h2 id=\"block-news\"><a href=\"https://example.org/news/\">News</a></h2>")
    );
    let page2 = site.read("public/page/2/index.html");
    assert_eq!(headlines(&page2), ["t4", "t5"]);
    assert!(!page2.contains("lead-story") && !page2.contains("class=\"tier\""));
    assert!(
        page2.contains("<h1 class=\"section-title\" id=\"river-title\">Latest news, page 2</h1>")
    );
}

/// `mv` keeps an old URL only where a build published it: an article written since the
/// last build has no readers at its old URL, so it gets no alias.
#[test]
fn mv_adds_no_alias_for_a_url_no_build_published() {
    let site = TestSite::new();
    site.story("first", "First", "2024-01-01");
    site.build();
    site.story("fresh", "Fresh", "2024-01-02");
    let out = site.run(&["mv", "fresh", "renamed"]).success().stdout();
    assert_eq!(
        out,
        "content/fresh.md → content/renamed.md; it was not published yet, so no alias was needed\n"
    );
    assert_eq!(
        site.read("content/renamed.md"),
        "+++\ntitle = \"Fresh\"\ndate = 2024-01-02\n+++\nSome text.\n"
    );
    // Once built, it was.
    site.build();
    let out = site.run(&["mv", "renamed", "final"]).success().stdout();
    assert_eq!(
        out,
        "content/renamed.md → content/final.md; /renamed/ now redirects to the new URL (added to `aliases`)\n"
    );
}
