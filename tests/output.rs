//! The output folder's guarantees: one writer at a time, and a switch from the old site to
//! the new one that no reader and no kill can catch half-done.

mod common;

use common::TestSite;

/// A site of `n` articles whose every page carries `marker` (through the base layout).
fn marked_site(n: usize, marker: &str) -> TestSite {
    let site = TestSite::new();
    for i in 0..n {
        site.story(
            &format!("story-{i:03}"),
            &format!("Story {i}"),
            "2024-01-01",
        );
    }
    mark(&site, marker);
    site
}

fn mark(site: &TestSite, marker: &str) {
    site.write(
        "templates/404.html",
        format!(
            "{{% extends \"base.html\" %}}{{% block content %}}{marker}{{% endblock content %}}"
        ),
    );
    site.write(
        "templates/article.html",
        format!(
            "{{% extends \"base.html\" %}}{{% block content %}}{marker} {{{{ article.title }}}}{{% endblock content %}}"
        ),
    );
}

/// Which markers the output's article pages carry, and how many pages.
fn markers(site: &TestSite) -> (std::collections::BTreeSet<String>, usize) {
    let tree = site.tree("public");
    let pages: Vec<String> = tree
        .iter()
        .filter(|(p, _)| p.to_string_lossy().starts_with("story-"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    let found = pages
        .iter()
        .filter_map(|p| p.split_whitespace().find(|w| w.starts_with("marker-")))
        .map(|w| {
            w.trim_end_matches(|c: char| !c.is_alphanumeric())
                .to_string()
        })
        .collect();
    (found, pages.len())
}

/// The staging folders beside the site's output.
fn staging_folders(site: &TestSite) -> Vec<String> {
    std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".staging-"))
        .collect()
}

#[test]
fn a_second_build_into_a_busy_output_is_refused_naming_the_holder() {
    let site = TestSite::new();
    site.story("a", "A", "2024-01-01");
    let watch = site.spawn(&["watch"]);
    watch.wait_for_line("watching for changes");
    let stderr = site.run(&["build"]).failure();
    assert!(
        stderr.contains("public: another gazette is writing this output")
            && stderr.contains("gazette watch or serve, process"),
        "{stderr}"
    );
    // Another output of the same site is free.
    site.run(&["build", "--output", "elsewhere"]).success();
    drop(watch);
    site.build();
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one_never_a_mix() {
    let site = marked_site(300, "marker-one");
    site.build();
    assert_eq!(markers(&site).0.len(), 1);
    // Kills spread over a build's length (loading, rendering, staging, switching): one
    // build is timed first, only to spread them, never to judge anything.
    let started = std::time::Instant::now();
    site.run(&["build", "--no-cache"]).success();
    let length = started.elapsed().as_micros() as u64;
    let rounds = 12;
    for round in 0..rounds {
        let marker = format!("marker-{round}x");
        mark(&site, &marker);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["build", "--no-cache"])
            .current_dir(site.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let delay = length * (4 + round) / (4 + rounds);
        std::thread::sleep(std::time::Duration::from_micros(delay));
        let _ = child.kill();
        child.wait().unwrap();
        let (found, pages) = markers(&site);
        assert_eq!(pages, 300, "round {round}: every page is there");
        assert_eq!(
            found.len(),
            1,
            "round {round}: one site, not a mix: {found:?}"
        );
    }
    // The next build after the kills completes and clears their debris away.
    site.build();
    let (found, _) = markers(&site);
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["marker-11x"]);
    assert_eq!(staging_folders(&site), Vec::<String>::new());
}

#[test]
fn watch_stops_cleanly_on_a_signal() {
    let site = TestSite::new();
    site.story("a", "A", "2024-01-01");
    let watch = site.spawn(&["watch"]);
    watch.wait_for_line("watching for changes");
    let status = watch.terminate();
    assert!(status.success(), "{status:?}");
    // The lock is free, and nothing of the session is left beside the output.
    site.build();
    assert_eq!(staging_folders(&site), Vec::<String>::new());
}
