//! Article cards printed by `card(item=…)`: the same bytes as the card template included
//! in place (the golden site pins broadsheet's lists whole), re-rendered when the card
//! template changes, and errors in it named like any template's.

mod common;

use common::TestSite;

fn site() -> TestSite {
    let site = TestSite::new();
    site.article(
        "chips",
        "title = \"Chips & salsa\"\ndate = 2024-03-01\ntags = [\"Food\"]",
        "Text.",
    );
    site.article(
        "rust",
        "title = \"Rust\"\ndate = 2024-03-02\ntags = [\"Food\"]",
        "Text.",
    );
    site
}

/// The `<ol class="stories">` list of a list page.
fn stories(html: &str) -> String {
    let list = html.split("<ol class=\"stories\">").nth(1).unwrap();
    list.split("</ol>").next().unwrap().to_string()
}

#[test]
fn a_changed_card_template_re_renders_every_list_that_prints_it() {
    let site = site();
    site.build();
    site.write(
        "templates/partials/story_card.html",
        "<p>{{ item.title }} · {{ item.date_display }}</p>",
    );
    site.build();
    let expected = "\n  \n  <li><p>Rust · 2 March 2024</p></li>\n  \n  <li><p>Chips &amp; salsa · 1 March 2024</p></li>\n  \n";
    assert_eq!(stories(&site.read("public/tags/food/index.html")), expected);
    let home = site.read("public/index.html");
    assert!(
        home.contains("<li><p>Chips &amp; salsa · 1 March 2024</p></li>"),
        "{home}"
    );
}

#[test]
fn an_error_in_the_card_template_names_its_line_and_the_article() {
    let site = site();
    site.build();
    site.write(
        "templates/partials/story_card.html",
        "<p>{{ item.title }}</p>\n{{ item.nope }}\n",
    );
    let stderr = site.build_fails_keeping_output();
    // Pages render in parallel: the first card to fail is either article's.
    let message = |file: &str| {
        format!(
            "error: templates/partials/story_card.html:2:9: Field `nope` is not defined. Available fields: authors, breaking, content, corrections, date, date_display, description, draft, extra, image, image_credit, last_modified, path, pinned, pinned_until, reading_time, section, slug, standfirst, summary, tags, time_display, title, updated, updated_display, updated_time_display, url, word_count\n  while rendering the card of {file}\n"
        )
    };
    assert!(
        stderr == message("content/rust.md") || stderr == message("content/chips.md"),
        "{stderr}"
    );
}
