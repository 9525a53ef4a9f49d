//! What the site's own hands put in pages: raw HTML in a hand-written article is its
//! author's, unless `[markdown] safe_html` asks for the sanitizer over every article;
//! names given to `gazette new` are text on the pages they reach.

mod common;

use common::{CONFIG, TestSite};

/// The article's body as its page shows it.
fn body(page: &str) -> &str {
    let start = page.find("<div class=\"body\">").expect("a body") + "<div class=\"body\">".len();
    let end = page[start..].find("\n  </div>").expect("the body's end") + start;
    &page[start..end]
}

const ARTICLE: &str = "Text <img src=\"https://cdn.example/x.png\" alt=\"x\" onerror=\"alert(1)\"> more.\n\n\
    <script>alert(2)</script>\n\n\
    [x](javascript:alert(3)) and `<b>code</b>`.\n\n\
    ## Sub {onclick=alert(4)}\n\n\
    <details><summary>More</summary>Hidden</details>";

#[test]
fn raw_html_is_the_authors_unless_safe_html_is_set() {
    let site = TestSite::new();
    site.article("hi", "title = \"Hi\"\ndate = 2024-01-01", ARTICLE);
    site.build();
    assert_eq!(
        body(&site.read("public/hi/index.html")),
        "\n<p>Text <img src=\"https://cdn.example/x.png\" alt=\"x\" onerror=\"alert(1)\"> more.</p>\n\
         <script>alert(2)</script>\n\
         <p><a href=\"javascript:alert(3)\">x</a> and <code>&lt;b&gt;code&lt;/b&gt;</code>.</p>\n\
         <h2 id=\"sub\" onclick=\"alert(4)\">Sub</h2>\n\
         <details><summary>More</summary>Hidden</details>\n"
    );

    site.write(
        "config.toml",
        format!("{CONFIG}[markdown]\nsafe_html = true\n"),
    );
    site.build();
    assert_eq!(
        body(&site.read("public/hi/index.html")),
        "\n<p>Text <img src=\"https://cdn.example/x.png\" alt=\"x\"> more.</p>\n\n\
         <p><a>x</a> and <code>&lt;b&gt;code&lt;/b&gt;</code>.</p>\n\
         <h2 id=\"sub\">Sub</h2>\n\
         <details><summary>More</summary>Hidden</details>\n"
    );
}

#[test]
fn a_new_writers_name_is_text_on_their_page() {
    let site = TestSite::new();
    site.run(&["new", "Story", "--author", "<script>alert(1)</script>"])
        .success();
    assert_eq!(
        site.read("content/authors/script-alert-1-script.md"),
        "+++\nname = \"<script>alert(1)</script>\"\n+++\n\\<script\\>alert(1)\\</script\\> writes for Test News.\n"
    );
    site.run(&["build", "--drafts"]).success();
    let page = site.read("public/authors/script-alert-1-script/index.html");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(
        page.contains(
            "<div class=\"bio\"><p>&lt;script&gt;alert(1)&lt;/script&gt; writes for Test News.</p>"
        ),
        "{page}"
    );
}
