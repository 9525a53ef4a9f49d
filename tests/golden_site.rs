//! The fixture site built with a fixed `SOURCE_DATE_EPOCH`, every output file checked whole
//! against `tests/golden/site/` and the list of files pinned in `tests/golden/site.list`
//! (see `tests/common/golden.rs`; `GAZETTE_BLESS=1` rewrites them after a reviewed change).

mod common;

use common::TestSite;
use common::golden::{assert_golden, diff};

/// 2030-01-01T00:00:00Z: the build's reference time, so nothing depends on the clock.
const EPOCH: &str = "1893456000";

/// tests/build.rs's three articles and a profile, with search on and an old URL, so that
/// every kind of output file (pages, lists, feeds, sitemap, robots, redirects, search) is made.
fn fixture() -> TestSite {
    let site = TestSite::with_config(&format!("{}\n[search]\nenabled = true\n", common::CONFIG));
    site.article(
        "first",
        "title = \"First story\"\ndate = 2024-01-01\nauthors = [\"Ann Lee\"]\ntags = [\"Rust\"]\naliases = [\"/old/first/\"]",
        "The first paragraph.\n\nMore text here.",
    );
    site.article(
        "second",
        "title = \"Second story\"\ndate = 2024-01-02T10:00:00Z\nauthors = [\"Ann Lee\", \"Bo Chen\"]\ntags = [\"Rust\", \"Chips\"]\ndescription = \"A described story.\"",
        "## Heading\n\nBody.\n\n```rust\nfn main() {}\n```",
    );
    site.article(
        "third",
        "title = \"Third story\"\ndate = 2024-01-03\ntags = [\"Chips\"]",
        "Third body.",
    );
    site.write(
        "content/authors/ann-lee.md",
        "+++\nname = \"Ann Lee\"\n+++\nAnn writes about *systems*.\n",
    );
    site.command(&["build"])
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .run()
        .success();
    site
}

/// FNV-1a, to pin the bytes of a file that is not text in the listing.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn every_output_file_of_the_fixture_site_is_as_pinned() {
    let site = fixture();
    let tree = site.tree("public");
    let mut listing = String::new();
    for (path, bytes) in &tree {
        let name = path.to_str().unwrap().replace('\\', "/");
        // The stylesheet and scripts are the theme's and the search's own files, copied:
        // their bytes are pinned by hash, not kept a second time as goldens.
        let copied = name.ends_with(".css") || name.ends_with(".js");
        match std::str::from_utf8(bytes).ok().filter(|_| !copied) {
            Some(text) => {
                listing.push_str(&format!("{name} {}\n", bytes.len()));
                assert_golden(&format!("site/{name}"), text);
            }
            None => listing.push_str(&format!("{name} {} fnv {:016x}\n", bytes.len(), fnv(bytes))),
        }
    }
    assert_golden("site.list", &listing);
}

#[test]
fn two_builds_of_the_fixture_in_different_folders_are_byte_identical() {
    // A difference here is a finding (a clock, a random order, a temp path in the output):
    // the golden files must not mask it.
    let (one, two) = (fixture().tree("public"), fixture().tree("public"));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(
            bytes == &two[path],
            "{} differs between builds",
            path.display()
        );
    }
}

#[test]
fn golden_diffs_show_changed_lines_with_three_lines_of_context() {
    let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
    let new = "a\nb\nc\nd\nE\nf\ng\nh\ni";
    assert_eq!(
        diff(old, new),
        "   …\n b\n c\n d\n-e\n+E\n f\n g\n h\n-i\n+i (no newline at end)\n"
    );
}

#[test]
fn blessing_is_refused_under_ci() {
    // The refusal is checked in a child run of this very test binary, so that this process's
    // environment stays as it was for the other tests.
    if std::env::var_os("GAZETTE_BLESS_PROBE").is_some() {
        assert_golden("never-written", "x");
        return;
    }
    let run = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "blessing_is_refused_under_ci", "--nocapture"])
        .env("GAZETTE_BLESS_PROBE", "1")
        .env("GAZETTE_BLESS", "1")
        .env("CI", "true")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{stderr}");
    assert!(
        stderr.contains("GAZETTE_BLESS=1 is refused under CI=true"),
        "{stderr}"
    );
    assert!(!common::golden::path("never-written").exists());
}
