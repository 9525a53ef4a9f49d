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
    // As soon as the first build reports, before the watcher is even made: a signal is
    // caught from the start, never fatal.
    watch.wait_for_line("pages rendered");
    let status = watch.terminate();
    assert!(status.success(), "{status:?}");
    // The lock is free, and nothing of the session is left beside the output.
    site.build();
    assert_eq!(staging_folders(&site), Vec::<String>::new());
}

/// A reader holding the output folder open sees one site in it, whatever moment a build
/// switches: two pages read through the same folder handle always carry the same marker.
/// (Linux: `/proc/self/fd` names a path relative to an open folder.)
#[cfg(target_os = "linux")]
#[test]
fn a_reader_of_the_output_never_sees_two_sites_at_once() {
    use std::os::fd::AsRawFd;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let site = marked_site(300, "marker-0x");
    site.build();
    let public = site.path().join("public");
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let (pairs, mixes) = (
        std::sync::Arc::new(AtomicUsize::new(0)),
        std::sync::Arc::new(AtomicUsize::new(0)),
    );
    let reader = {
        let (stop, pairs, mixes, public) =
            (stop.clone(), pairs.clone(), mixes.clone(), public.clone());
        std::thread::spawn(move || {
            let marker = |text: &str| {
                text.split_whitespace()
                    .find(|w| w.starts_with("marker-"))
                    .map(str::to_string)
            };
            while !stop.load(Ordering::Relaxed) {
                let Ok(folder) = std::fs::File::open(&public) else {
                    continue;
                };
                let at = |page: &str| {
                    let path = format!("/proc/self/fd/{}/{page}/index.html", folder.as_raw_fd());
                    std::fs::read_to_string(path).ok().and_then(|t| marker(&t))
                };
                if let (Some(first), Some(last)) = (at("story-000"), at("story-299")) {
                    pairs.fetch_add(1, Ordering::Relaxed);
                    if first != last {
                        mixes.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        })
    };
    for round in 1..=6 {
        mark(&site, &format!("marker-{round}x"));
        site.run(&["build", "--no-cache"]).success();
    }
    stop.store(true, Ordering::Relaxed);
    reader.join().unwrap();
    assert!(pairs.load(Ordering::Relaxed) > 100, "the reader read");
    assert_eq!(
        mixes.load(Ordering::Relaxed),
        0,
        "pages of two sites seen together"
    );
}

/// The output a clean build of the site writes, beside the site's own (`clean`).
fn clean_build(site: &TestSite) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    site.run(&["build", "--no-cache", "--output", "clean"])
        .success();
    site.tree("clean")
}

/// A build keeps the tree its commit replaced beside the output, as a spare copy, and the
/// next build brings only what differs up to date and switches that in: no folder made
/// nor file linked per page, no old tree deleted.
#[cfg(unix)]
#[test]
fn a_build_switches_in_the_spare_the_last_build_kept() {
    use std::os::unix::fs::MetadataExt;
    let site = TestSite::new();
    site.story("a", "A", "2024-01-01");
    site.story("b", "B", "2024-01-02");
    site.build();
    assert!(
        !site.exists(".public.gazette-spare"),
        "a fresh output has none"
    );
    let inode = |p: &str| std::fs::metadata(site.path().join(p)).unwrap().ino();
    site.story("a", "A edited", "2024-01-01");
    site.build();
    // The previous output: its page of `a` as it was, the others the output's own files.
    assert!(
        !site
            .read(".public.gazette-spare/a/index.html")
            .contains("A edited")
    );
    assert!(site.read("public/a/index.html").contains("A edited"));
    let spare_files = site.tree(".public.gazette-spare");
    let shared = spare_files
        .keys()
        .filter(|p| {
            let p = p.to_string_lossy();
            site.exists(&format!("public/{p}"))
                && inode(&format!(".public.gazette-spare/{p}")) == inode(&format!("public/{p}"))
        })
        .count();
    assert!(shared > 0 && shared < spare_files.len(), "{shared} shared");
    let spare = inode(".public.gazette-spare");
    site.story("a", "A edited again", "2024-01-01");
    site.story("c", "C", "2024-01-03");
    site.remove("content/b.md");
    let report = site.build().stdout();
    assert_eq!(inode("public"), spare, "the spare became the output");
    assert!(report.contains("removed"), "{report}");
    assert!(!site.exists("public/b/index.html"));
    assert_eq!(site.tree("public"), clean_build(&site));
    assert_eq!(staging_folders(&site), Vec::<String>::new());
}

/// A site of two stories, "a" and "b", built once.
fn two_stories_built() -> TestSite {
    let site = TestSite::new();
    site.story("a", "A", "2024-01-01");
    site.story("b", "B", "2024-01-02");
    site.build();
    site
}

/// Edits story "a" (a new title each round) and builds.
fn edit_a_and_build(site: &TestSite, round: &mut usize) {
    *round += 1;
    site.story("a", &format!("A {round}"), "2024-01-01");
    site.build();
}

/// The spare is trusted only as the build record left it, and the output too: a page
/// replaced by hand in either, or edited in place in the output (which edits the spare's
/// link to it as well), means the whole site is staged again, never a page carried over
/// from a tree that is not what the record says.
#[test]
fn a_spare_or_an_output_touched_by_hand_is_not_trusted() {
    let site = two_stories_built();
    let mut round = 0;
    let mut edit_a_and_build = || edit_a_and_build(&site, &mut round);
    edit_a_and_build();
    let spare_b = site.path().join(".public.gazette-spare/b/index.html");
    std::fs::remove_file(&spare_b).unwrap();
    std::fs::write(&spare_b, "replaced in the spare").unwrap();
    edit_a_and_build();
    assert_eq!(site.tree("public"), clean_build(&site));
    edit_a_and_build();
    {
        use std::io::Write;
        let mut page = std::fs::OpenOptions::new()
            .append(true)
            .open(site.path().join("public/b/index.html"))
            .unwrap();
        page.write_all(b"edited in place").unwrap();
    }
    edit_a_and_build();
    assert_eq!(site.tree("public"), clean_build(&site));
    std::fs::write(site.path().join("public/b/index.html"), "replaced by hand").unwrap();
    edit_a_and_build();
    assert_eq!(site.tree("public"), clean_build(&site));
}

/// The spare is not walked: a page removed from it by hand is seen all the same (its
/// twin in the output has no other link left) and the whole site staged; a file added to
/// it by hand may reach the output of the next build, never the one after (the record
/// of that output does not count it, so the output's walk sees it).
#[test]
fn a_spare_touched_by_hand_is_repaired() {
    let site = two_stories_built();
    let mut round = 0;
    let mut edit_a_and_build = || edit_a_and_build(&site, &mut round);
    edit_a_and_build();
    std::fs::remove_file(site.path().join(".public.gazette-spare/b/index.html")).unwrap();
    edit_a_and_build();
    assert_eq!(site.tree("public"), clean_build(&site));
    edit_a_and_build();
    std::fs::write(
        site.path().join(".public.gazette-spare/added.html"),
        "by hand",
    )
    .unwrap();
    edit_a_and_build();
    edit_a_and_build();
    assert_eq!(site.tree("public"), clean_build(&site));
}

/// A build killed while it brings the spare up to date leaves the old site or the new
/// one, and the spare it was changing is never trusted again.
#[test]
fn a_killed_build_over_the_spare_leaves_one_site() {
    let site = marked_site(200, "marker-one");
    site.build();
    mark(&site, "marker-two");
    site.build();
    assert!(site.exists(".public.gazette-spare"));
    let started = std::time::Instant::now();
    mark(&site, "marker-three");
    site.build();
    let length = started.elapsed().as_micros() as u64;
    let rounds = 8;
    for round in 0..rounds {
        mark(&site, &format!("marker-{round}y"));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
            .arg("build")
            .current_dir(site.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(
            length * (4 + round) / (4 + rounds),
        ));
        let _ = child.kill();
        child.wait().unwrap();
        let (found, pages) = markers(&site);
        assert_eq!(pages, 200, "round {round}: every page is there");
        assert_eq!(found.len(), 1, "round {round}: one site: {found:?}");
    }
    site.build();
    let (found, _) = markers(&site);
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["marker-7y"]);
    assert_eq!(site.tree("public"), clean_build(&site));
    assert_eq!(staging_folders(&site), Vec::<String>::new());
}
