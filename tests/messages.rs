//! Every user-reachable message that no other test pins, checked whole: one table of cases
//! (files written on a site that built once, the command, the exit code), each case's
//! stdout and stderr compared with `tests/golden/messages/<case>.txt`
//! (see `tests/common/golden.rs`; `GAZETTE_BLESS=1` rewrites them after a reviewed change).

mod common;

use common::TestSite;
use common::golden::assert_golden;

struct Case {
    name: &'static str,
    files: Vec<(String, Vec<u8>)>,
    args: &'static [&'static str],
    exit: i32,
}

fn case(
    name: &'static str,
    files: &[(&'static str, &str)],
    args: &'static [&'static str],
    exit: i32,
) -> Case {
    Case {
        name,
        files: files
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
            .collect(),
        args,
        exit,
    }
}

fn article(body: &str) -> String {
    format!("+++\ntitle = \"Pic\"\ndate = 2024-01-02\n+++\n{body}\n")
}

fn cases() -> Vec<Case> {
    let config = |extra: &str| format!("{}{extra}", common::CONFIG);
    vec![
        case(
            "config_unknown_key",
            &[("config.toml", &config("titel = \"x\"\n"))],
            &["build"],
            1,
        ),
        case(
            "config_not_toml",
            &[("config.toml", "title = \"T\nbase_url = 1\n")],
            &["build"],
            1,
        ),
        case(
            "config_wrong_type",
            &[("config.toml", &config("paginate_by = \"ten\"\n"))],
            &["build"],
            1,
        ),
        case(
            "front_matter_unclosed",
            &[("content/open.md", "+++\ntitle = \"Open\"\n")],
            &["build"],
            1,
        ),
        case(
            "front_matter_wrong_type",
            &[(
                "content/typed.md",
                "+++\ntitle = 5\ndate = 2024-01-01\n+++\nx\n",
            )],
            &["build"],
            1,
        ),
        case(
            "tags_not_a_list",
            &[(
                "content/tagged.md",
                "+++\ntitle = \"T\"\ndate = 2024-01-01\ntags = \"rust\"\n+++\nx\n",
            )],
            &["build"],
            1,
        ),
        case(
            "image_missing",
            &[(
                "content/pic.md",
                "+++\ntitle = \"Pic\"\ndate = 2024-01-02\nimage = \"nope.jpg\"\n+++\nx\n",
            )],
            &["build"],
            1,
        ),
        case(
            "image_not_an_image",
            &[
                ("content/pic.md", &article("![a](/x.png)")),
                ("static/x.png", "text, not pixels"),
            ],
            &["build"],
            1,
        ),
        Case {
            name: "image_damaged",
            files: vec![
                (
                    "content/pic.md".into(),
                    article("![a](/x.png)").into_bytes(),
                ),
                ("static/x.png".into(), common::damaged_png(20, 10)),
            ],
            args: &["build"],
            exit: 1,
        },
        case(
            "template_unknown_filter",
            &[(
                "templates/article.html",
                "<p>\n{{ article.title | nope }}</p>",
            )],
            &["build"],
            1,
        ),
        case(
            "output_inside_content",
            &[],
            &["build", "--output", "content/public"],
            1,
        ),
        case("new_reserved_title", &[], &["new", "Tags"], 1),
        case("new_existing_file", &[], &["new", "Good"], 1),
        case(
            "mv_taken_slug",
            &[("content/other.md", &article("x"))],
            &["mv", "other", "good"],
            1,
        ),
        case("mv_malformed_slug", &[], &["mv", "good", "Not A Slug"], 1),
        case("mv_reserved_slug", &[], &["mv", "good", "tags"], 1),
        case(
            "mv_unknown_article",
            &[],
            &["mv", "nowhere", "elsewhere"],
            1,
        ),
        case("init_non_empty_folder", &[], &["init", "content"], 1),
        case(
            "import_empty_seed",
            &[("seeds/empty.txt", "")],
            &["import"],
            1,
        ),
        Case {
            name: "import_seed_not_utf8",
            files: vec![(
                "seeds/latin1.txt".into(),
                b"Caf\xe9 news\n\nBody.\n".to_vec(),
            )],
            args: &["import"],
            exit: 1,
        },
        case(
            "import_missing_wordpress_file",
            &[],
            &["import", "--from", "wordpress", "nowhere.xml"],
            1,
        ),
        case(
            "import_unknown_kind",
            &[],
            &["import", "--from", "blogger", "x"],
            1,
        ),
        case(
            "check_broken_link",
            &[("content/linking.md", &article("[x](/nowhere/)"))],
            &["check"],
            1,
        ),
        case("unknown_command", &[], &["publish"], 1),
        case(
            "image_missing_under_static",
            &[(
                "content/pic.md",
                "+++\ntitle = \"Pic\"\ndate = 2024-01-02\nimage = \"/images/nope.jpg\"\n+++\nx\n",
            )],
            &["build"],
            1,
        ),
        Case {
            name: "theme_without_search_template",
            files: thin_theme("[search]\nenabled = true\n", &[]),
            args: &["build"],
            exit: 1,
        },
        Case {
            name: "theme_without_page_template",
            files: thin_theme(
                "",
                &[(
                    "content/pages/about.md",
                    "+++\ntitle = \"About\"\n+++\nUs.\n",
                )],
            ),
            args: &["build"],
            exit: 1,
        },
        case(
            "shortcode_unknown",
            &[("content/coded.md", &article("{{ nope(x=1) }}"))],
            &["build"],
            1,
        ),
        case(
            "shortcode_template_syntax",
            &[
                ("templates/shortcodes/box.html", "<div>{{ body </div>"),
                ("content/coded.md", &article("{{ box() }}")),
            ],
            &["build"],
            1,
        ),
        Case {
            name: "template_not_utf8",
            files: vec![("templates/article.html".into(), b"<p>Caf\xe9</p>".to_vec())],
            args: &["build"],
            exit: 1,
        },
        case(
            "published_not_toml",
            &[("published.toml", "urls = [\n")],
            &["build"],
            1,
        ),
        case(
            "import_missing_hugo_folder",
            &[],
            &["import", "--from", "hugo", "nowhere"],
            1,
        ),
        case(
            "check_warnings",
            &[
                (
                    "content/a.md",
                    "+++\ntitle = \"A\"\ndate = 2024-01-02\nauthors = [\"Zed Nobody\"]\ntags = [\"Elections\"]\n+++\nx\n",
                ),
                (
                    "content/b.md",
                    "+++\ntitle = \"B\"\ndate = 2024-01-03\ntags = [\"Electons\", \"Elections\"]\n+++\nx\n",
                ),
            ],
            &["check"],
            0,
        ),
    ]
}

/// Files of a site using a theme that has only the seven page templates every theme needs,
/// with `config_extra` added to the configuration, and `more` files.
fn thin_theme(config_extra: &str, more: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = [
        "index", "article", "author", "authors", "tag", "tags", "404",
    ]
    .iter()
    .map(|page| {
        (
            format!("themes/thin/templates/{page}.html"),
            b"<p>{{ page_url }}</p>".to_vec(),
        )
    })
    .collect();
    files.push((
        "config.toml".into(),
        format!("{}theme = \"thin\"\n{config_extra}", common::CONFIG).into_bytes(),
    ));
    files.extend(
        more.iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())),
    );
    files
}

#[test]
fn every_message_is_as_pinned() {
    let mut failures = Vec::new();
    for case in cases() {
        let site = TestSite::new();
        site.story("good", "Good", "2024-01-01");
        site.build();
        for (path, bytes) in &case.files {
            site.write(path, bytes);
        }
        let run = site
            .command(case.args)
            .env("SOURCE_DATE_EPOCH", "1893456000")
            .run();
        let transcript = format!(
            "$ gazette {}\nexit {:?}\n--- stdout\n{}--- stderr\n{}",
            case.args.join(" "),
            run.output.status.code(),
            site.normalize(&run.stdout()),
            site.normalize(&run.stderr()),
        );
        assert!(
            !transcript.contains("panicked"),
            "{}: {transcript}",
            case.name
        );
        if run.output.status.code() != Some(case.exit) {
            failures.push(format!(
                "{}: exit {:?}, not {}",
                case.name,
                run.output.status.code(),
                case.exit
            ));
        }
        if let Err(e) = std::panic::catch_unwind(|| {
            assert_golden(&format!("messages/{}.txt", case.name), &transcript)
        }) {
            failures.push(format!(
                "{}: {}",
                case.name,
                e.downcast_ref::<String>().cloned().unwrap_or_default()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
