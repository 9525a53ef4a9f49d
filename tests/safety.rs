//! Hostile and broken input: an import reads nothing outside its source (links out are
//! skipped and said), no input brings an import or a build down (deep nesting and alias
//! bombs, run under a memory limit), damaged images stop the build, and what is written
//! has the usual file modes. Every fixture is made here.

mod common;

use common::TestSite;

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
