//! Hostile and broken input: an import reads nothing outside its source (links out are
//! skipped and said), no input brings an import or a build down (deep nesting and alias
//! bombs, run under a memory limit), damaged images stop the build, and what is written
//! has the usual file modes. Every fixture is made here.

mod common;

use common::TestSite;

/// An image of `width` × `height` with a gradient (so it does not compress to nothing),
/// encoded as `format`.
fn encoded(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 7 % 256) as u8,
            (y * 5 % 256) as u8,
            ((x ^ y) % 256) as u8,
        ])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut bytes, format).unwrap();
    bytes.into_inner()
}

/// A lossy WebP (libwebp's, as cameras' and sites' are; `image` writes lossless ones).
fn lossy_webp(width: u32, height: u32) -> Vec<u8> {
    let rgb = image::load_from_memory(&encoded(width, height, image::ImageFormat::Png))
        .unwrap()
        .into_rgb8();
    webp::Encoder::from_rgb(&rgb, width, height)
        .encode(80.0)
        .to_vec()
}

/// The first third of `bytes`: a file cut short, as a failed upload leaves it.
fn cut(bytes: &[u8]) -> Vec<u8> {
    bytes[..bytes.len() / 3].to_vec()
}

/// Every file below the site's folder (links not followed) whose bytes hold `text`, by
/// its path there, in order.
fn files_holding(site: &TestSite, text: &str) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(site.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path())
                .is_ok_and(|bytes| bytes.windows(text.len()).any(|w| w == text.as_bytes()))
        })
        .map(|e| {
            e.path()
                .strip_prefix(site.path())
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    files.sort();
    files
}

/// The lines of an import's summary listing what it skipped: after `skipped: N`, before
/// the count of old URLs that answer.
fn skipped_lines(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .skip_while(|l| !l.starts_with("skipped: "))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect()
}

#[cfg(unix)]
mod links {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A secret beside the old site (outside its folder) that no import may copy.
    const SECRET: &str = "the machine's own secret";

    fn link(site: &TestSite, target: &str, at: &str) {
        let path = site.path().join(at);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        symlink(target, path).unwrap();
    }

    /// A path in the site as the summary says it (every link resolved).
    fn resolved(site: &TestSite, name: &str) -> String {
        site.path()
            .canonicalize()
            .unwrap()
            .join(name)
            .display()
            .to_string()
    }

    #[test]
    fn links_out_of_a_hugo_site_are_skipped_and_nothing_of_them_is_written() {
        let site = TestSite::new();
        site.write("secret.txt", SECRET)
            .write("outside/notes.txt", SECRET)
            .write("old/hugo.toml", "baseURL = \"https://old.example.com/\"\n")
            .write(
                "old/content/posts/a.md",
                "---\ntitle: A\ndate: 2020-01-01\n---\nText.\n",
            )
            .write(
                "old/content/posts/bundle/index.md",
                "---\ntitle: Bundle\ndate: 2020-01-02\n---\nWith a file.\n",
            )
            .write("old/content/posts/bundle/photo.txt", "a photo")
            .write(
                "old/drafts/shared.md",
                "---\ntitle: Shared\ndate: 2020-01-03\n---\nLinked in.\n",
            )
            .write("old/static/img/logo.txt", "logo");
        // Out: a file, a folder, a link to a link, `..` in a relative link, a content
        // file, a file of a bundle, a link to nothing.
        link(&site, "../../secret.txt", "old/static/leak.txt");
        link(&site, "../../outside", "old/static/outdir");
        link(&site, "leak.txt", "old/static/chain.txt");
        link(&site, "img/../../../secret.txt", "old/static/dots.txt");
        link(&site, "../../../secret.txt", "old/content/posts/leak.md");
        link(
            &site,
            "../../../../secret.txt",
            "old/content/posts/bundle/leak.txt",
        );
        link(&site, "missing.txt", "old/static/dangling.txt");
        // In: a folder, a file, a content file from elsewhere in the site.
        link(&site, "img", "old/static/pictures");
        link(&site, "img/logo.txt", "old/static/logo.txt");
        link(
            &site,
            "../../drafts/shared.md",
            "old/content/posts/shared.md",
        );

        let run = site.run(&["import", "--from", "hugo", "old"]).success();
        let out = run.stdout();
        let secret = resolved(&site, "secret.txt");
        let outside = secret.replace("secret.txt", "outside");
        assert_eq!(
            skipped_lines(&out),
            [
                "  old/static/chain.txt: a link to SECRET, outside the site folder",
                "  old/static/dangling.txt: a link to missing.txt, which does not exist",
                "  old/static/dots.txt: a link to SECRET, outside the site folder",
                "  old/static/leak.txt: a link to SECRET, outside the site folder",
                "  old/static/outdir: a link to OUTSIDE, outside the site folder",
                "  old/content/posts/bundle/leak.txt: a link to SECRET, outside the site folder",
                "  old/content/posts/leak.md: a link to SECRET, outside the site folder",
            ]
            .map(|l| l.replace("SECRET", &secret).replace("OUTSIDE", &outside)),
            "{out}"
        );
        assert!(
            out.starts_with("imported 3 articles (0 drafts, 0 scheduled): 3 written"),
            "{out}"
        );
        assert_eq!(
            site.tree("static").into_keys().collect::<Vec<_>>(),
            ["img/logo.txt", "logo.txt", "pictures/logo.txt"].map(std::path::PathBuf::from)
        );
        assert!(site.exists("content/posts/shared.md"));
        assert!(site.exists("content/posts/bundle/photo.txt"));
        assert_eq!(
            files_holding(&site, SECRET),
            ["outside/notes.txt", "secret.txt"]
        );
        // A second import says the same.
        let again = site.run(&["import", "--from", "hugo", "old"]).success();
        assert_eq!(skipped_lines(&again.stdout()), skipped_lines(&out));
        site.build();
        assert_eq!(
            files_holding(&site, SECRET),
            ["outside/notes.txt", "secret.txt"],
            "nothing published"
        );
    }

    #[test]
    fn links_out_of_zola_and_jekyll_sites_are_skipped_too() {
        let site = TestSite::new();
        site.write("secret.txt", SECRET)
            .write(
                "zola/config.toml",
                "base_url = \"https://old.example.com\"\n",
            )
            .write(
                "zola/content/blog/first.md",
                "+++\ntitle = \"First\"\ndate = 2020-01-01\n+++\nText.\n",
            )
            .write("jekyll/_config.yml", "title: Old\n")
            .write(
                "jekyll/_posts/2020-01-01-first.md",
                "---\ntitle: First\n---\nText.\n",
            )
            .write("jekyll/assets/logo.txt", "logo");
        link(&site, "../../../secret.txt", "zola/content/blog/leak.md");
        link(&site, "../../secret.txt", "zola/static/leak.txt");
        link(
            &site,
            "../../secret.txt",
            "jekyll/_posts/2020-01-02-leak.md",
        );
        link(&site, "../../secret.txt", "jekyll/assets/leak.txt");
        link(&site, "../secret.txt", "jekyll/leak.md");
        link(&site, "../../secret.txt", "jekyll/_data/authors.yml");
        // Jekyll follows links inside its site, as Jekyll itself does.
        link(&site, "logo.txt", "jekyll/assets/logo-link.txt");
        let secret = resolved(&site, "secret.txt");

        let zola = site.run(&["import", "--from", "zola", "zola"]).success();
        assert_eq!(
            skipped_lines(&zola.stdout()),
            [
                format!("  zola/static/leak.txt: a link to {secret}, outside the site folder"),
                format!("  zola/content/blog/leak.md: a link to {secret}, outside the site folder"),
            ]
        );
        let jekyll = site
            .run(&["import", "--from", "jekyll", "jekyll"])
            .success();
        assert_eq!(
            skipped_lines(&jekyll.stdout()),
            [
                format!(
                    "  jekyll/_posts/2020-01-02-leak.md: a link to {secret}, outside the site folder"
                ),
                format!("  jekyll/assets/leak.txt: a link to {secret}, outside the site folder"),
                format!("  jekyll/leak.md: a link to {secret}, outside the site folder"),
                format!("  jekyll/_data/authors.yml: a link to {secret}, outside the site folder"),
            ],
            "{}",
            jekyll.stdout()
        );
        assert_eq!(site.read("static/assets/logo-link.txt"), "logo");
        assert_eq!(files_holding(&site, SECRET), ["secret.txt"]);
    }

    #[test]
    fn links_out_of_the_wordpress_uploads_are_skipped() {
        let site = TestSite::new();
        let uploads = "old/uploads/2014/11";
        site.write("secret.txt", SECRET)
            .write("outside/photo.jpg", SECRET)
            .write(&format!("{uploads}/ok.jpg"), "a photo");
        link(
            &site,
            "../../../../secret.txt",
            &format!("{uploads}/link.jpg"),
        );
        link(&site, "../../../outside", "old/uploads/2014/dir");
        link(&site, "gone.jpg", &format!("{uploads}/dangling.jpg"));
        link(&site, "ok.jpg", &format!("{uploads}/same.jpg"));
        let url = |name: &str| format!("https://old.example.com/wp-content/uploads/2014/{name}");
        let body = [
            "11/link.jpg",
            "dir/photo.jpg",
            "11/dangling.jpg",
            "11/ok.jpg",
            "11/same.jpg",
        ]
        .map(|name| format!("<img src=\"{}\">", url(name)))
        .join(" ");
        site.write(
            "old/export.xml",
            format!(
                "<rss><channel><link>https://old.example.com</link>\
                 <item><title>Photo</title><wp:post_id>9</wp:post_id><wp:post_type>attachment</wp:post_type>\
                 <wp:attachment_url>{}</wp:attachment_url></item>\n\
                 <item><title>Post</title><link>https://old.example.com/post/</link>\
                 <content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>5</wp:post_id>\
                 <wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:post_name>post</wp:post_name>\
                 <wp:status>publish</wp:status><wp:post_type>post</wp:post_type>\
                 <wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>9</wp:meta_value></wp:postmeta>\
                 </item></channel></rss>",
                url("11/link.jpg")
            ),
        );
        let run = site
            .run(&[
                "import",
                "--from",
                "wordpress",
                "old/export.xml",
                "--uploads",
                "old/uploads",
            ])
            .success();
        let secret = resolved(&site, "secret.txt");
        let photo = secret.replace("secret.txt", "outside/photo.jpg");
        assert_eq!(
            skipped_lines(&run.stdout()),
            [
                format!(
                    "  old/uploads/2014/11/link.jpg: a link to {secret}, outside the --uploads folder; pages keep linking {}",
                    url("11/link.jpg")
                ),
                format!(
                    "  old/uploads/2014/dir/photo.jpg: leads to {photo}, outside the --uploads folder; pages keep linking {}",
                    url("dir/photo.jpg")
                ),
                format!(
                    "  old/uploads/2014/11/dangling.jpg: a link to gone.jpg, which does not exist; pages keep linking {}",
                    url("11/dangling.jpg")
                ),
            ]
        );
        let (fm, body) = common::content_file(&site.read("content/post.md"));
        assert_eq!(fm["image"].as_str(), Some(url("11/link.jpg").as_str()));
        assert_eq!(
            body.trim(),
            format!(
                "![]({}) ![]({}) ![]({}) ![](/wp-content/uploads/2014/11/ok.jpg) ![](/wp-content/uploads/2014/11/same.jpg)",
                url("11/link.jpg"),
                url("dir/photo.jpg"),
                url("11/dangling.jpg")
            )
        );
        assert_eq!(
            site.read("static/wp-content/uploads/2014/11/same.jpg"),
            "a photo"
        );
        assert_eq!(
            files_holding(&site, SECRET),
            ["outside/photo.jpg", "secret.txt"]
        );
    }

    #[test]
    fn a_link_loop_is_an_error_and_nothing_is_written() {
        let site = TestSite::new();
        site.write("old/hugo.toml", "title = \"Old\"\n").write(
            "old/content/a.md",
            "---\ntitle: A\ndate: 2020-01-01\n---\nText.\n",
        );
        link(&site, "..", "old/static/loop");
        let err = site.run(&["import", "--from", "hugo", "old"]).failure();
        assert_eq!(
            err,
            format!(
                "error: old/static/loop: a link to {}, a folder it lies in: a loop\n",
                resolved(&site, "old")
            )
        );
        assert!(!site.exists("content"));
    }
}

/// A WordPress export of posts with these bodies, one item a line from line 2.
fn export(bodies: &[String]) -> String {
    let items: Vec<String> = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| {
            format!(
                "<item><title>Post {i}</title><link>https://old.example.com/p{i}/</link>\
                 <content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>{i}</wp:post_id>\
                 <wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:post_name>p{i}</wp:post_name>\
                 <wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>"
            )
        })
        .collect();
    format!(
        "<rss><channel><link>https://old.example.com</link>\n{}\n</channel></rss>",
        items.join("\n")
    )
}

fn nested(levels: usize, open: &str, close: &str) -> String {
    format!("{}deep{}", open.repeat(levels), close.repeat(levels))
}

#[test]
fn html_nested_past_512_elements_is_refused_naming_the_post() {
    let site = TestSite::new();
    // At the limit, in what nests deepest per element read (tables, lists), several posts
    // at once: converted on the import's threads.
    let at_the_limit: Vec<String> = (0..4)
        .map(|i| match i % 2 {
            0 => nested(128, "<table><tr><td>", "</td></tr></table>"),
            _ => nested(256, "<ul><li>", "</li></ul>"),
        })
        .collect();
    site.write("old/export.xml", export(&at_the_limit));
    site.run(&["import", "--from", "wordpress", "old/export.xml"])
        .success();
    assert!(site.read("content/p3.md").contains("deep"));

    let site = TestSite::new();
    let bodies = [
        "<p>Fine.</p>".to_string(),
        format!("<p>Intro</p>\n\n{}", nested(513, "<div>", "</div>")),
    ];
    site.write("old/export.xml", export(&bodies));
    let err = site
        .run(&["import", "--from", "wordpress", "old/export.xml"])
        .failure();
    assert_eq!(
        err,
        "error: old/export.xml:3: post 1 \"Post 1\" (line 3 of its text): its HTML nests more than 512 elements deep, deeper than browsers show: flatten that markup\n"
    );
    assert!(!site.exists("content"));

    site.write("hugo/hugo.toml", "title = \"Old\"\n").write(
        "hugo/content/old.html",
        format!(
            "---\ntitle: Old\ndate: 2010-01-01\n---\n<p>Intro</p>\n{}",
            nested(20_000, "<div>\n", "</div>")
        ),
    );
    let err = site.run(&["import", "--from", "hugo", "hugo"]).failure();
    assert_eq!(
        err,
        "error: hugo/content/old.html:518: its HTML nests more than 512 elements deep, deeper than browsers show: flatten that markup\n"
    );
    assert!(!site.exists("content"));
}

/// YAML front matter (or a config) whose nine levels of nine aliases stand for 9⁹ copies.
fn alias_bomb(first: &str) -> String {
    let mut yaml = format!(
        "{first}a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    );
    for level in 1..9u8 {
        let (name, previous) = ((b'a' + level) as char, (b'a' + level - 1) as char);
        let aliases = vec![format!("*{previous}"); 9].join(",");
        yaml.push_str(&format!("{name}: &{name} [{aliases}]\n"));
    }
    yaml
}

#[cfg(target_os = "linux")]
mod limits {
    use super::*;
    use std::io::Read;
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    const MEMORY: u64 = 1 << 30;
    const TIME: Duration = Duration::from_secs(60);

    /// Runs gazette in the site with 1 GiB of address space and a minute: its exit code and
    /// stderr.
    fn limited(site: &TestSite, args: &[&str]) -> (Option<i32>, String) {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"));
        command
            .args(args)
            .current_dir(site.path())
            .env_remove("RUST_BACKTRACE")
            // Threads' stacks count in the address space: as many on any machine.
            .env("RAYON_NUM_THREADS", "2")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        // SAFETY: between fork and exec the child only calls setrlimit, which is
        // async-signal-safe, and allocates nothing.
        unsafe {
            command.pre_exec(|| {
                let limit = libc::rlimit {
                    rlim_cur: MEMORY,
                    rlim_max: MEMORY,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &limit) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
        let mut child = command.spawn().expect("run gazette");
        let mut stderr = child.stderr.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let deadline = Instant::now() + TIME;
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("gazette {args:?} ran past {TIME:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        (status.code(), reader.join().unwrap())
    }

    /// One hostile source for an import: what the test writes, and the exact error.
    struct Case {
        name: &'static str,
        files: Vec<(&'static str, String)>,
        args: &'static [&'static str],
        error: &'static str,
    }

    #[test]
    fn no_import_aborts_or_runs_away_on_deep_nesting_or_alias_bombs() {
        let divs = nested(20_000, "<div>", "</div>");
        let hugo = ("old/hugo.toml", "title = \"Old\"\n".to_string());
        let zola = (
            "old/config.toml",
            "base_url = \"https://old.example.com\"\n".to_string(),
        );
        let jekyll = ("old/_config.yml", "title: Old\n".to_string());
        let deep_yaml: String = (0..1000)
            .map(|i| format!("{}x:\n", " ".repeat(i)))
            .collect();
        let cases = [
            Case {
                name: "WordPress: a post of 20,000 nested <div>s",
                files: vec![("old/export.xml", export(std::slice::from_ref(&divs)))],
                args: &["import", "--from", "wordpress", "old/export.xml"],
                error: "error: old/export.xml:2: post 0 \"Post 0\" (line 1 of its text): its HTML nests more than 512 elements deep, deeper than browsers show: flatten that markup\n",
            },
            Case {
                name: "WordPress: an export nesting 100,000 elements",
                files: vec![(
                    "old/export.xml",
                    format!("<rss><channel>{}", "<x>".repeat(100_000)),
                )],
                args: &["import", "--from", "wordpress", "old/export.xml"],
                error: "error: old/export.xml:1:300015: not a well-formed WordPress export: the file ends inside <x>: the export is cut short\n",
            },
            Case {
                name: "WordPress: an entity bomb",
                files: vec![(
                    "old/export.xml",
                    format!(
                        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY a \"lol\">\n{}]>\n<rss><channel><title>&i;</title></channel></rss>",
                        (b'b'..=b'i')
                            .map(|c| format!(
                                "<!ENTITY {} \"{}\">\n",
                                c as char,
                                format!("&{};", (c - 1) as char).repeat(10)
                            ))
                            .collect::<String>()
                    ),
                )],
                args: &["import", "--from", "wordpress", "old/export.xml"],
                error: "error: old/export.xml:13:22: not a well-formed WordPress export: unknown entity &i;\n",
            },
            Case {
                name: "Hugo: an alias bomb in front matter",
                files: vec![
                    hugo.clone(),
                    (
                        "old/content/bomb.md",
                        format!("---\n{}---\nText.\n", alias_bomb("title: Bomb\n")),
                    ),
                ],
                args: &["import", "--from", "hugo", "old"],
                error: "error: old/content/bomb.md:8:14: its aliases (`*name`) copy more than 16 MiB: an alias bomb?\n",
            },
            Case {
                name: "Hugo: an alias bomb in the config",
                files: vec![("old/hugo.yaml", alias_bomb("title: Old\n"))],
                args: &["import", "--from", "hugo", "old"],
                error: "error: old/hugo.yaml:7:14: its aliases (`*name`) copy more than 16 MiB: an alias bomb?\n",
            },
            Case {
                name: "Hugo: YAML nesting 1,000 levels",
                files: vec![
                    hugo.clone(),
                    (
                        "old/content/deep.md",
                        format!("---\n{deep_yaml}---\nText.\n"),
                    ),
                ],
                args: &["import", "--from", "hugo", "old"],
                error: "error: old/content/deep.md:66:66: nests deeper than 64 levels\n",
            },
            Case {
                name: "Hugo: JSON nesting 100,000 levels",
                files: vec![
                    hugo.clone(),
                    (
                        "old/content/deep.md",
                        format!(
                            "{{\"x\": {}{}}}\nText.\n",
                            "[".repeat(100_000),
                            "]".repeat(100_000)
                        ),
                    ),
                ],
                args: &["import", "--from", "hugo", "old"],
                error: "error: old/content/deep.md:1:133: recursion limit exceeded at line 1 column 133\n",
            },
            Case {
                name: "Hugo: an HTML file of 20,000 nested <div>s",
                files: vec![
                    hugo.clone(),
                    (
                        "old/content/deep.html",
                        format!("---\ntitle: Deep\n---\n{divs}"),
                    ),
                ],
                args: &["import", "--from", "hugo", "old"],
                error: "error: old/content/deep.html:4: its HTML nests more than 512 elements deep, deeper than browsers show: flatten that markup\n",
            },
            Case {
                name: "Zola: TOML nesting 100,000 levels",
                files: vec![
                    zola.clone(),
                    (
                        "old/content/deep.md",
                        format!(
                            "+++\ntitle = \"Deep\"\nx = {}{}\n+++\nText.\n",
                            "[".repeat(100_000),
                            "]".repeat(100_000)
                        ),
                    ),
                ],
                args: &["import", "--from", "zola", "old"],
                error: "error: old/content/deep.md:3:85: cannot recurse further; max recursion depth met\n",
            },
            Case {
                name: "Zola: a config nesting 70 tables deep",
                files: vec![(
                    "old/config.toml",
                    format!("base_url = \"x\"\n[{}]\ny = 1\n", vec!["a"; 70].join(".")),
                )],
                args: &["import", "--from", "zola", "old"],
                error: "error: old/config.toml:1:1: nests deeper than 64 levels\n",
            },
            Case {
                name: "Jekyll: an alias bomb in the config",
                files: vec![("old/_config.yml", alias_bomb("title: Old\n"))],
                args: &["import", "--from", "jekyll", "old"],
                error: "error: old/_config.yml:7:14: its aliases (`*name`) copy more than 16 MiB: an alias bomb?\n",
            },
            Case {
                name: "Jekyll: an alias bomb in a post",
                files: vec![
                    jekyll.clone(),
                    (
                        "old/_posts/2020-01-01-bomb.md",
                        format!("---\n{}---\nText.\n", alias_bomb("")),
                    ),
                ],
                args: &["import", "--from", "jekyll", "old"],
                error: "error: old/_posts/2020-01-01-bomb.md:7:14: its aliases (`*name`) copy more than 16 MiB: an alias bomb?\n",
            },
            Case {
                name: "Jekyll: an HTML post of 20,000 nested <div>s",
                files: vec![
                    jekyll,
                    (
                        "old/_posts/2020-01-01-deep.html",
                        format!("---\ntitle: Deep\n---\n{divs}"),
                    ),
                ],
                args: &["import", "--from", "jekyll", "old"],
                error: "error: old/_posts/2020-01-01-deep.html:4: its HTML nests more than 512 elements deep, deeper than browsers show: flatten that markup\n",
            },
        ];
        for case in cases {
            let site = TestSite::new();
            for (path, text) in &case.files {
                site.write(path, text);
            }
            let (code, stderr) = limited(&site, case.args);
            for bad in ["panicked", "overflow", "memory allocation"] {
                assert!(!stderr.contains(bad), "{}: {stderr}", case.name);
            }
            assert_eq!(
                (code, stderr.as_str()),
                (Some(1), case.error),
                "{}",
                case.name
            );
            assert!(
                !site.exists("content") && !site.exists("static"),
                "{}: nothing written",
                case.name
            );
        }
    }

    #[test]
    fn no_build_or_check_aborts_or_runs_away_on_deep_nesting() {
        // With search, whose index reads every article's HTML too.
        let site = TestSite::with_config(&format!("{}[search]\nenabled = true\n", common::CONFIG));
        site.story("fine", "Fine", "2024-01-01");
        site.build();
        let before = site.tree("public");
        // Deep front matter is refused where it is.
        site.write(
            "content/deep.md",
            format!(
                "+++\ntitle = \"Deep\"\ndate = 2024-01-02\n[extra]\nx = {}{}\n+++\nText.\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
        );
        let (code, stderr) = limited(&site, &["build"]);
        assert_eq!(
            (code, stderr.as_str()),
            (
                Some(1),
                "error: content/deep.md:5:85: cannot recurse further; max recursion depth met\n"
            )
        );
        assert_eq!(site.tree("public"), before, "the previous output stays");
        site.write(
            "content/deep.md",
            format!(
                "+++\ntitle = \"Deep\"\ndate = 2024-01-02\n+++\n{}quoted\n\n{}\n\n{}x{}\n\n{}\n",
                ">".repeat(100_000),
                nested(20_000, "<div>", "</div>"),
                "[".repeat(50_000),
                "]".repeat(50_000),
                "- ".repeat(10_000),
            ),
        );
        // Deep Markdown and HTML are read without recursion (by the renderer, the image
        // and link scanners, the search index): built, and checked.
        for command in ["build", "check"] {
            let (code, stderr) = limited(&site, &[command]);
            for bad in ["panicked", "overflow", "memory allocation"] {
                assert!(!stderr.contains(bad), "{command}: {stderr}");
            }
            assert_eq!((code, stderr.as_str()), (Some(0), ""), "{command}");
        }
        assert!(site.read("public/deep/index.html").contains("quoted"));
    }
}

#[test]
fn images_cut_short_are_damaged_naming_the_articles_line_and_the_image() {
    let site = TestSite::new();
    site.write(
        "content/camera/index.md",
        "+++\ntitle = \"The camera\"\ndate = 2024-05-01\n+++\nText.\n",
    );
    site.build();
    let article = |front: &str, body: &str| {
        site.write(
            "content/camera/index.md",
            format!(
                "+++\ntitle = \"The camera\"\ndate = 2024-05-01\n{front}+++\nText.\n\n{body}\n"
            ),
        );
    };
    use image::ImageFormat::{Gif, Jpeg, Png, WebP};
    for (name, format, damage) in [
        ("cut.jpg", Jpeg, "Exhausted data in the image"),
        ("cut.png", Png, "unexpected end of file"),
        (
            "cut.webp",
            WebP,
            "Format error decoding WebP: Corrupt bitstream",
        ),
        (
            "cut-lossy.webp",
            WebP,
            "Format error decoding WebP: Corrupt bitstream",
        ),
        ("cut.gif", Gif, "Unexpected End of File"),
    ] {
        let whole = match name {
            "cut-lossy.webp" => lossy_webp(240, 160),
            _ => encoded(240, 160, format),
        };
        site.write(&format!("content/camera/{name}"), cut(&whole));
        let expected = |line: usize| {
            format!(
                "error: content/camera/index.md:{line}: image \"{name}\": content/camera/{name} is damaged: {damage}\n"
            )
        };
        article(&format!("image = \"{name}\"\nimage_alt = \"x\"\n"), "");
        assert_eq!(
            site.build_fails_keeping_output(),
            expected(4),
            "{name} leading"
        );
        article("", &format!("A photo:\n![x]({name})"));
        assert_eq!(
            site.build_fails_keeping_output(),
            expected(8),
            "{name} in the text"
        );
        std::fs::remove_file(site.path().join("content/camera").join(name)).unwrap();
    }
    // Whole, each builds.
    for (name, format) in [("whole.jpg", Jpeg), ("whole.png", Png), ("whole.gif", Gif)] {
        site.write(&format!("content/camera/{name}"), encoded(240, 160, format));
        article(&format!("image = \"{name}\"\nimage_alt = \"x\"\n"), "");
        site.build();
    }
}

/// Every file the importer writes, and the build's output, has the usual mode (0666 less
/// the umask; folders 0777 less it), as a web server running as another user needs: not a
/// temporary file's 0600.
#[cfg(unix)]
#[test]
fn imported_and_built_files_have_the_usual_modes() {
    use std::os::unix::fs::PermissionsExt;
    for umask in [0o022, 0o027] {
        let site = TestSite::new();
        let photo = "https://old.example.com/wp-content/uploads/2014/11/photo.jpg";
        site.write(
            "old/uploads/2014/11/photo.jpg",
            encoded(240, 160, image::ImageFormat::Jpeg),
        )
        .write(
            "old/export.xml",
            export(&[format!("<p>A photo.</p><img src=\"{photo}\" alt=\"x\">")]),
        );
        let gazette = |args: &[&str]| {
            let run = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("umask {umask:03o}; exec \"$0\" \"$@\""))
                .arg(env!("CARGO_BIN_EXE_gazette"))
                .args(args)
                .current_dir(site.path())
                .output()
                .unwrap();
            assert!(
                run.status.success(),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
        };
        gazette(&[
            "import",
            "--from",
            "wordpress",
            "old/export.xml",
            "--uploads",
            "old/uploads",
        ]);
        gazette(&["build"]);
        let mut seen = 0;
        for root in ["content", "static", "public"] {
            for entry in walkdir::WalkDir::new(site.path().join(root)) {
                let entry = entry.unwrap();
                let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
                let usual = if entry.file_type().is_dir() {
                    0o777
                } else {
                    0o666
                } & !umask;
                assert_eq!(
                    mode,
                    usual,
                    "{:o} for {} under umask {umask:03o}",
                    mode,
                    entry.path().display()
                );
                seen += 1;
            }
        }
        assert!(site.exists("static/wp-content/uploads/2014/11/photo.jpg"));
        let variants = site.tree("public/wp-content/uploads/2014/11");
        assert!(
            variants.len() > 2,
            "variants made and checked: {:?}",
            variants.keys()
        );
        assert!(seen > 30, "{seen}");
    }
}
