//! `gazette import` (and the import stage of `build`): scraped seeds in, clean content out.

mod common;

use common::{TestSite, content_file, strings};

const REAL_SEED: &str = include_str!("../seeds/000_d13dd533598298d2.txt");
const REAL_TARGET: &str = "content/xiaomi-teams-up-with-chinas-top-internet-tv-firm-on-smart-tv.md";

fn site_with_seed(name: &str, text: &str) -> TestSite {
    let site = TestSite::new();
    site.write(&format!("seeds/{name}"), text);
    site
}

/// Markdown → the text a reader sees (tags stripped, entities decoded).
fn visible_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut text = String::new();
    for event in pulldown_cmark::Parser::new(markdown) {
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => text.push('\n'),
            _ => {}
        }
    }
    text
}

/// Every line of the seed that is not chrome must be found in what the import produced.
fn assert_nothing_lost(site: &TestSite, seed: &str, chrome: &[&str]) {
    let mut produced = String::new();
    for entry in walkdir::WalkDir::new(site.path().join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let (fm, body) = content_file(&std::fs::read_to_string(entry.path()).unwrap());
            produced.push_str(&format!("{fm:?}\n"));
            produced.push_str(&toml::to_string(&fm).unwrap());
            produced.push_str(&visible_text(&body));
        }
    }
    for line in seed.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if chrome.contains(&line) {
            continue;
        }
        let line = line.replace(" (opens in new tab)", "");
        if let Some(names) = line.strip_prefix("By ") {
            for name in names.split(" and ").flat_map(|n| n.split(", ")) {
                assert!(produced.contains(name.trim()), "lost author {name:?}");
            }
            continue;
        }
        let essence = line
            .trim_start_matches("Read more: ")
            .trim_start_matches("Image Credit: ")
            .trim_start_matches(['•', '-', '–'])
            .trim();
        assert!(
            produced.contains(essence),
            "lost: {essence:?}\nin:\n{produced}"
        );
    }
}

#[test]
fn the_real_seed_imports_to_a_clean_article_and_author_profile() {
    let site = site_with_seed("000_d13dd533598298d2.txt", REAL_SEED);
    let run = site.run(&["import"]).success();
    assert_eq!(
        run.stdout().trim(),
        "imported 1, unchanged 0, kept 0 hand-edited"
    );
    let text = site.read(REAL_TARGET);
    let (fm, body) = content_file(&text);
    assert_eq!(
        fm["title"].as_str(),
        Some("Xiaomi teams up with China’s top Internet TV firm on smart TV")
    );
    assert_eq!(
        fm["authors"].as_array().unwrap()[0].as_str(),
        Some("Jamie Hinks")
    );
    // The credit is a field of its own (the image itself is not in the seed).
    assert_eq!(fm["image_credit"].as_str(), Some("Flickr (Thomas An)"));
    let extra = fm["extra"].as_table().unwrap();
    assert!(!extra.contains_key("image_credit"));
    assert_eq!(
        extra["seed"].as_str(),
        Some("seeds/000_d13dd533598298d2.txt")
    );
    let related: Vec<&str> = strings(&extra["related"]);
    assert_eq!(
        related,
        [
            "Xiaomi price drop suggests new flagship devices are coming soon",
            "Samsung vows to ‘fundamentally reform’ smartphones to stave off Xiaomi threat"
        ]
    );
    let tags: Vec<&str> = strings(&fm["tags"]);
    assert!(
        tags.contains(&"Xiaomi") && tags.contains(&"Youku Tudou"),
        "{tags:?}"
    );
    assert!(
        fm["description"]
            .as_str()
            .unwrap()
            .starts_with("Xiaomi’s expanding aspirations")
    );
    assert!(fm.contains_key("date"));

    let paragraphs = body.split("\n\n").filter(|p| !p.trim().is_empty()).count();
    assert_eq!(paragraphs, 8, "{body}");
    for chrome in [
        "Skip to main content",
        "opens in new tab",
        "Read more:",
        "Image Credit",
        "Jamie Hinks",
        "freelance writer",
    ] {
        assert!(!body.contains(chrome), "{chrome:?} left in the body");
    }
    let profile = site.read("content/authors/jamie-hinks.md");
    let (pfm, bio) = content_file(&profile);
    assert_eq!(pfm["name"].as_str(), Some("Jamie Hinks"));
    assert!(
        bio.contains("Jamie is a freelance writer") && bio.contains("Content Manager at Betbull.")
    );
    assert_nothing_lost(&site, REAL_SEED, &["Skip to main content"]);
}

#[test]
fn the_demo_site_shows_the_imported_seed_and_its_author() {
    let site = site_with_seed("000_d13dd533598298d2.txt", REAL_SEED);
    site.build();
    let page =
        site.read("public/xiaomi-teams-up-with-chinas-top-internet-tv-firm-on-smart-tv/index.html");
    assert!(page.contains("$1 billion [£630 million]"));
    assert!(page.contains("Image credit: Flickr (Thomas An)"));
    let author = site.read("public/authors/jamie-hinks/index.html");
    assert!(author.contains("Jamie is a freelance writer") && author.contains("Xiaomi teams up"));
}

#[test]
fn variants_lose_nothing() {
    let seed = "Advertisement\nChipmaker Acme unveils Widget 3\nBy Priya Patel and Tom Ford\nPublished November 24, 2014\n\
                \nAcme showed the Widget 3 on Monday. Acme says it is faster.\n\nWhat changes\n\
                The chip uses less power than before, Acme said.\n• Faster cores\n• Lower power\n\
                Sign up to the newsletter\nGet our daily email!\nRead more: Acme’s last chip\n\
                “It is our best work,” said the CEO.\nImage Credit: Acme (opens in new tab)\n\
                Priya Patel\nPriya reports on chips and the companies that make them.\n\
                Tom Ford\nHe edits the hardware desk.\n";
    let site = site_with_seed("acme.txt", seed);
    site.run(&["import"]).success();
    let (fm, body) = content_file(&site.read("content/chipmaker-acme-unveils-widget-3.md"));
    let authors: Vec<&str> = strings(&fm["authors"]);
    assert_eq!(authors, ["Priya Patel", "Tom Ford"]);
    assert_eq!(fm["date"].to_string(), "2014-11-24");
    assert!(body.contains("## What changes\n"), "{body}");
    assert!(body.contains("- Faster cores\n- Lower power\n"), "{body}");
    assert!(!body.contains("newsletter") && !body.contains("daily email"));
    assert!(
        site.read("content/authors/tom-ford.md")
            .contains("He edits the hardware desk.")
    );
    assert_nothing_lost(
        &site,
        seed,
        &[
            "Advertisement",
            "Sign up to the newsletter",
            "Get our daily email!",
            "Published November 24, 2014",
        ],
    );
}

#[test]
fn hostile_seed_text_shows_as_written() {
    let seed = "Title with <b>tags</b> & *stars*\n\
                Body with <script>alert(1)</script> and <img src=x onerror=alert(1)>.\n\
                # not a heading, _not emphasis_, `not code`, [not](a link).\n";
    let site = site_with_seed("evil.txt", seed);
    site.build();
    let page = site.read("public/title-with-b-tags-b-stars/index.html");
    assert!(!page.contains("<script>alert") && !page.contains("<img src=x"));
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(
        page.contains("# not a heading, _not emphasis_, `not code`, [not](a link)."),
        "{page}"
    );
    assert!(
        page.contains("<h1>Title with &lt;b&gt;tags&lt;/b&gt; &amp; *stars*</h1>"),
        "{page}"
    );
}

#[test]
fn reimporting_is_idempotent() {
    let site = site_with_seed("000_d13dd533598298d2.txt", REAL_SEED);
    site.run(&["import"]).success();
    let before = site.tree("content");
    let run = site.run(&["import"]).success();
    assert_eq!(
        run.stdout().trim(),
        "imported 0, unchanged 1, kept 0 hand-edited"
    );
    assert_eq!(before, site.tree("content"));
}

#[test]
fn a_seed_without_a_date_keeps_its_first_import_date() {
    let site = site_with_seed("a.txt", "Undated story\nBody text.\n");
    site.run(&["import"]).success();
    let first = site.read("content/undated-story.md");
    // A changed seed (newer mtime) that was not edited by hand is re-imported, same date.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    site.write("seeds/a.txt", "Undated story\nBody text, revised.\n");
    site.run(&["import"]).success();
    let second = site.read("content/undated-story.md");
    assert!(second.contains("revised"));
    let date = |t: &str| {
        t.lines()
            .find(|l| l.starts_with("date = "))
            .unwrap()
            .to_string()
    };
    assert_eq!(date(&first), date(&second));
}

#[test]
fn hand_edits_are_kept_and_force_overwrites() {
    let site = site_with_seed("a.txt", "A story\nOriginal body.\n");
    site.run(&["import"]).success();
    let edited = site
        .read("content/a-story.md")
        .replace("Original body.", "Edited by an editor.");
    site.write("content/a-story.md", &edited);

    let run = site.run(&["import"]).success();
    assert_eq!(
        run.stdout().trim(),
        "imported 0, unchanged 0, kept 1 hand-edited"
    );
    assert!(
        run.stderr().is_empty(),
        "an unchanged seed needs no warning: {}",
        run.stderr()
    );
    assert_eq!(site.read("content/a-story.md"), edited);

    site.write("seeds/a.txt", "A story\nNew body from the wire.\n");
    let run = site.run(&["import"]).success();
    assert!(
        run.stderr().contains("seeds/a.txt") && run.stderr().contains("content/a-story.md"),
        "{}",
        run.stderr()
    );
    assert_eq!(site.read("content/a-story.md"), edited);

    site.run(&["import", "--force"]).success();
    assert!(
        site.read("content/a-story.md")
            .contains("New body from the wire.")
    );
}

#[test]
fn author_profiles_are_shared_and_never_overwritten() {
    let site = TestSite::new();
    site.write(
        "seeds/a.txt",
        "First story\nBody one.\nAnn Lee\nAnn writes about chips.\n",
    );
    site.write(
        "seeds/b.txt",
        "Second story\nBody two.\nAnn Lee\nAnn covers phones now.\n",
    );
    site.run(&["import"]).success();
    let profile = site.read("content/authors/ann-lee.md");
    assert!(
        profile.contains("Ann writes about chips."),
        "the first seed's bio wins"
    );
    site.write(
        "content/authors/ann-lee.md",
        "+++\nname = \"Ann Lee\"\n+++\nMy own bio.\n",
    );
    site.write(
        "seeds/c.txt",
        "Third story\nBody three.\nAnn Lee\nAnn moved to a new job.\n",
    );
    site.run(&["import"]).success();
    assert_eq!(
        site.read("content/authors/ann-lee.md"),
        "+++\nname = \"Ann Lee\"\n+++\nMy own bio.\n"
    );
    site.build();
    let page = site.read("public/authors/ann-lee/index.html");
    assert!(
        page.contains("First story")
            && page.contains("Second story")
            && page.contains("Third story")
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let site = site_with_seed(
        "w.txt",
        "\u{feff}Windows story\r\n\r\nBy Ann Lee\r\nA paragraph.\r\n",
    );
    site.run(&["import"]).success();
    let (fm, body) = content_file(&site.read("content/windows-story.md"));
    assert_eq!(fm["title"].as_str(), Some("Windows story"));
    assert_eq!(body.trim(), "A paragraph.");
}

#[test]
fn bad_seeds_are_refused_by_name_and_nothing_is_written() {
    for (name, bytes, reason) in [
        ("empty.txt", b"  \n\t\n".as_slice(), "empty"),
        (
            "latin1.txt",
            b"Caf\xe9 story\nBody.\n".as_slice(),
            "not valid UTF-8",
        ),
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice(),
            "binary",
        ),
        (
            "chrome.txt",
            b"Skip to main content\nAdvertisement\n".as_slice(),
            "no title",
        ),
    ] {
        let site = TestSite::new();
        site.story("good", "Good", "2024-01-01");
        site.build();
        let before = site.tree("public");
        site.write(&format!("seeds/{name}"), bytes);
        let err = site.run(&["build"]).failure();
        assert!(
            err.contains(&format!("seeds/{name}")) && err.contains(reason),
            "{name}: {err}"
        );
        assert_eq!(
            before,
            site.tree("public"),
            "{name}: the previous public/ stays"
        );
        assert_eq!(
            site.tree("content").len(),
            1,
            "{name}: nothing written for it"
        );
        assert_eq!(site.run(&["import"]).failure(), err);
    }
}

#[test]
fn tag_allow_and_deny_lists_from_config() {
    let config = format!(
        "{}[import]\ntags_allow = [\"Android\"]\ntags_deny = [\"Google\"]\n",
        common::CONFIG
    );
    let site = TestSite::with_config(&config);
    site.write(
        "seeds/g.txt",
        "Google ships Android update\nGoogle said Android is ready. Google again.\n",
    );
    site.run(&["import"]).success();
    let (fm, _) = content_file(&site.read("content/google-ships-android-update.md"));
    let tags: Vec<&str> = strings(&fm["tags"]);
    assert_eq!(tags, ["Android"]);
}

#[test]
fn a_seed_file_name_is_data_never_front_matter_or_html() {
    let name = "evil\n+++\n<img src=x onerror=alert(1)>\ntitle = \"Owned\"\n.txt";
    let site = site_with_seed(
        name,
        "Chips get faster\n\nA foundry said its new process is faster than the last one.\n",
    );
    site.build();
    let file = site.read("content/chips-get-faster.md");
    let (front_matter, _) = content_file(&file);
    assert_eq!(front_matter["title"].as_str(), Some("Chips get faster"));
    let stamp = file.lines().nth(1).unwrap();
    assert!(stamp.contains("evil\\u{a}+++\\u{a}<img"), "{stamp}");
    let page = site.read("public/chips-get-faster/index.html");
    assert!(!page.contains("<img src=x"), "{page}");
    // The stamp still reads back: a second import changes nothing.
    let run = site.run(&["import"]).success();
    assert!(
        run.stdout().contains("imported 0, unchanged 1"),
        "{}",
        run.stdout()
    );
}

#[test]
fn long_headlines_get_slugs_cut_at_a_word_boundary() {
    let long = "Regulators question the chipmaker ".repeat(10);
    let cjk = "小米与中国顶级互联网电视公司合作".repeat(7);
    let site = TestSite::new();
    site.write("seeds/a.txt", format!("{long}\n\nThe body of the story.\n"));
    site.write("seeds/b.txt", format!("{cjk}\n\nThe body of the story.\n"));
    site.build();
    let names: Vec<String> = std::fs::read_dir(site.path().join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    for name in &names {
        let slug = name.strip_suffix(".md").unwrap();
        assert!(slug.len() <= 100 && !slug.ends_with('-'), "{slug}");
        assert!(site.exists(&format!("public/{slug}/index.html")), "{slug}");
    }
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("regulators-question-the-chipmaker-"))
    );
}

#[test]
fn seeds_with_one_headline_each_get_a_page_with_a_stable_slug() {
    let site = TestSite::new();
    let text = "Phone sales fall\n\nSales fell in the third quarter, analysts said.\n";
    site.write("seeds/a.txt", text);
    site.write("seeds/b.txt", text.replace("analysts", "retailers"));
    let run = site.build();
    assert!(site.exists("content/phone-sales-fall.md"));
    let later: Vec<String> = std::fs::read_dir(site.path().join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("phone-sales-fall-"))
        .collect();
    assert_eq!(later.len(), 1, "{later:?}");
    assert!(
        run.stderr()
            .contains("seeds/b.txt: has the headline of seeds/a.txt; imported as"),
        "{}",
        run.stderr()
    );
    let slug = later[0].strip_suffix(".md").unwrap();
    assert!(
        site.read(&format!("public/{slug}/index.html"))
            .contains("retailers")
    );
    // Stable: re-imports, and a new seed sorting first, leave both where they are.
    site.write("seeds/0.txt", "Another story\n\nSomething else happened.\n");
    let run = site.run(&["import"]).success();
    assert!(
        run.stdout().contains("imported 1, unchanged 2"),
        "{}",
        run.stdout()
    );
    assert!(site.exists(&format!("content/{slug}.md")));
}

#[test]
fn the_demo_story_carries_its_own_date_not_the_seeds_copy_time() {
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(REAL_TARGET);
    let (fm, _) = content_file(&std::fs::read_to_string(demo).unwrap());
    assert!(
        fm["date"].to_string().starts_with("2014-11-24"),
        "{}",
        fm["date"]
    );
}

#[test]
fn a_dry_run_says_what_an_import_would_do_and_writes_nothing() {
    let site = site_with_seed("000_real.txt", REAL_SEED);
    let out = site.run(&["import", "--dry-run"]).success().stdout();
    assert!(
        out.starts_with("(dry run: nothing written) imported 1, unchanged 0"),
        "{out}"
    );
    assert!(!site.exists("content"), "no article, no profile, no folder");
    site.run(&["import"]).success();
    let again = site.run(&["import", "--dry-run"]).success().stdout();
    assert!(again.contains("imported 0, unchanged 1"), "{again}");
}

#[test]
fn a_seed_meeting_a_file_of_the_sites_own_gets_a_name_of_its_own_even_with_force() {
    let own = "+++\ntitle = \"Welcome\"\ndate = 2024-01-01\n+++\nOur own welcome.\n";
    let site = site_with_seed("b.txt", "Welcome\n\nNov 24, 2014\n\nSeeded welcome.\n");
    site.write("content/welcome.md", own);
    for (args, summary) in [
        (
            &["import"][..],
            "imported 1, unchanged 0, kept 0 hand-edited\n",
        ),
        (
            &["import"][..],
            "imported 0, unchanged 1, kept 0 hand-edited\n",
        ),
        (
            &["import", "--force"][..],
            "imported 0, unchanged 1, kept 0 hand-edited\n",
        ),
    ] {
        let run = site.run(args).success();
        assert_eq!(run.stdout(), summary, "{args:?}");
        assert_eq!(
            run.stderr(),
            "warning: seeds/b.txt: would be content/welcome.md, a file the importer did not write; imported as content/welcome-7a2d23.md\n"
        );
        assert_eq!(site.read("content/welcome.md"), own, "{args:?}");
    }
    let (fm, _) = content_file(&site.read("content/welcome-7a2d23.md"));
    assert_eq!(fm["extra"]["seed"].as_str(), Some("seeds/b.txt"));
    site.build();
    assert!(
        site.read("public/welcome/index.html")
            .contains("Our own welcome.")
    );
    assert!(
        site.read("public/welcome-7a2d23/index.html")
            .contains("Seeded welcome.")
    );
}

#[test]
fn a_seed_article_moved_into_a_section_is_found_there_and_left_there() {
    let site = site_with_seed(
        "a.txt",
        "Big launch today\n\nNov 24, 2014\n\nThe company launched.\n",
    );
    site.build();
    let text = site.read("content/big-launch-today.md");
    site.write("content/reviews/big-launch-today.md", &text);
    site.remove("content/big-launch-today.md");
    let run = site.build();
    assert_eq!(
        run.stderr(),
        "",
        "nothing imported again at the old place, no URL taken twice"
    );
    assert!(!site.exists("content/big-launch-today.md"));
    assert_eq!(site.read("content/reviews/big-launch-today.md"), text);
    assert!(site.exists("public/reviews/index.html"));
    assert!(site.exists("public/big-launch-today/index.html"));

    // A changed seed updates it where it is.
    site.write(
        "seeds/a.txt",
        "Big launch today\n\nNov 24, 2014\n\nThe company launched, again.\n",
    );
    let run = site.run(&["import"]).success();
    assert_eq!(
        run.stdout(),
        "imported 1, unchanged 0, kept 0 hand-edited\n"
    );
    assert!(!site.exists("content/big-launch-today.md"));
    let updated = site.read("content/reviews/big-launch-today.md");
    assert!(
        updated.contains("The company launched, again."),
        "{updated}"
    );

    // Moved again and edited, its stamp line gone: its `extra.seed` still says whose it
    // is, and the edit is kept.
    let edited = updated
        .lines()
        .filter(|l| !l.starts_with("# Imported by gazette"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("launched, again.", "launched, edited.");
    site.write("content/reviews/2014/launch.md", &edited);
    site.remove("content/reviews/big-launch-today.md");
    site.write(
        "seeds/a.txt",
        "Big launch today\n\nNov 24, 2014\n\nThe company launched, once more.\n",
    );
    let run = site.run(&["import"]).success();
    assert_eq!(
        run.stdout(),
        "imported 0, unchanged 0, kept 1 hand-edited\n"
    );
    assert_eq!(
        run.stderr(),
        "warning: seeds/a.txt changed, but content/reviews/2014/launch.md was edited by hand: kept the edited file (import --force overwrites it)\n"
    );
    assert_eq!(site.read("content/reviews/2014/launch.md"), edited);
    assert!(!site.exists("content/big-launch-today.md"));
    site.build();
    assert!(
        site.read("public/launch/index.html")
            .contains("launched, edited.")
    );
}
