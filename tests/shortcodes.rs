//! Shortcodes in article bodies, through whole builds: the exact HTML each built-in
//! gives, a site's and a theme's own templates, errors with their place, the facade's
//! text in feeds and the search index.

mod common;

use common::TestSite;

const SCRIPT: &str = "<script>if(!window.gazetteEmbeds){window.gazetteEmbeds=1;\
document.addEventListener(\"click\",function(e){\
var a=e.target.closest&&e.target.closest(\"a[data-embed]\");\
if(!a||e.button||e.ctrlKey||e.metaKey||e.shiftKey||e.altKey)return;\
e.preventDefault();var f=document.createElement(\"iframe\");\
f.src=a.getAttribute(\"data-embed\");f.title=a.textContent;\
f.setAttribute(\"allow\",\"autoplay; encrypted-media; fullscreen; picture-in-picture\");\
f.setAttribute(\"allowfullscreen\",\"\");\
f.setAttribute(\"sandbox\",\"allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation\");\
f.setAttribute(\"referrerpolicy\",\"strict-origin-when-cross-origin\");\
a.replaceWith(f)})}</script>\n";

/// The article's body as the page shows it.
fn body(site: &TestSite, slug: &str) -> String {
    let page = site.read(&format!("public/{slug}/index.html"));
    let start =
        page.find("<div class=\"body\">\n").expect("a body") + "<div class=\"body\">\n".len();
    let end = page[start..]
        .find("\n  </div>\n  <footer>")
        .expect("the body ends")
        + start;
    page[start..end].to_string()
}

#[test]
fn each_built_in_gives_its_html() {
    let site = TestSite::new();
    site.article(
        "embeds",
        "title = \"Embeds\"\ndate = 2024-05-01",
        "The talk:\n\n\
         {{ youtube(id=\"dQw4w9WgXcQ\", title=\"Keynote\") }}\n\n\
         {{ vimeo(id=\"76979871\") }}\n\n\
         {{ video(src=\"https://cdn.example.com/clip.mp4\", poster=\"/poster.jpg\") }}\n\n\
         {{ figure(src=\"https://cdn.example.com/a.jpg\", alt=\"A rocket\", caption=\"Lift-off\") }}\n\n\
         {% x(url=\"https://x.com/ann/status/1\", author=\"Ann\") %}\nWe have lift-off.\n{% end %}\n\n\
         {{ bluesky(url=\"https://bsky.app/profile/ann.bsky.social/post/3k\", text=\"Hello\") }}\n\n\
         {{ mastodon(url=\"https://mastodon.social/@ann/1\", text=\"Hi\", author=\"@ann@mastodon.social\") }}\n\n\
         {{ gist(user=\"ann\", id=\"9f3a\") }}\n\n\
         Shown as written: `{{ youtube(id=\"x\") }}` and {{/* youtube(id=\"x\") */}}.",
    );
    site.build();
    assert_eq!(
        body(&site, "embeds"),
        format!(
            "<p>The talk:</p>\n\
             <div class=\"embed embed-video\"><a class=\"embed-facade\" href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\" \
             data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\"><span class=\"embed-title\">Keynote</span> \
             <span class=\"embed-host\">YouTube</span></a></div>\n\
             <div class=\"embed embed-video\"><a class=\"embed-facade\" href=\"https://vimeo.com/76979871\" \
             data-embed=\"https://player.vimeo.com/video/76979871?autoplay=1\"><span class=\"embed-title\">Vimeo video</span> \
             <span class=\"embed-host\">Vimeo</span></a></div>\n\
             <figure class=\"embed embed-file\"><video controls preload=\"none\" src=\"https://cdn.example.com/clip.mp4\" \
             poster=\"/poster.jpg\"><a href=\"https://cdn.example.com/clip.mp4\">Download the video</a></video></figure>\n\
             <figure class=\"embed-figure\"><img src=\"https://cdn.example.com/a.jpg\" alt=\"A rocket\"><figcaption>Lift-off</figcaption></figure>\n\
             <blockquote class=\"embed-post\" cite=\"https://x.com/ann/status/1\"><p>We have lift-off.</p><footer>— Ann, \
             <a href=\"https://x.com/ann/status/1\">on X</a></footer></blockquote>\n\
             <blockquote class=\"embed-post\" cite=\"https://bsky.app/profile/ann.bsky.social/post/3k\"><p>Hello</p><footer>— \
             <a href=\"https://bsky.app/profile/ann.bsky.social/post/3k\">on Bluesky</a></footer></blockquote>\n\
             <blockquote class=\"embed-post\" cite=\"https://mastodon.social/@ann/1\"><p>Hi</p><footer>— @ann@mastodon.social, \
             <a href=\"https://mastodon.social/@ann/1\">on Mastodon</a></footer></blockquote>\n\
             <p><a class=\"embed-gist\" href=\"https://gist.github.com/ann/9f3a\">Gist ann/9f3a on GitHub</a></p>\n\
             <p>Shown as written: <code>{{{{ youtube(id=\"x\") }}}}</code> and {{{{ youtube(id=\"x\") }}}}.</p>\n\
             {SCRIPT}"
        )
    );
}

#[test]
fn a_sites_own_shortcodes_come_before_the_themes_and_the_built_ins() {
    let site = TestSite::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\ntheme = \"plain\"\n",
    );
    site.minimal_theme("plain")
        .write(
            "themes/plain/templates/article.html",
            "<main>{{ article.content | safe }}</main>",
        )
        .write(
            "themes/plain/templates/shortcodes/note.html",
            "<aside>theme</aside>",
        )
        .write(
            "themes/plain/templates/shortcodes/pull.html",
            "<p class=\"pull\">{{ body }} ({{ by }}, {{ n + 1 }})</p>",
        )
        .write(
            "templates/shortcodes/note.html",
            "<aside class=\"{{ kind }}\">{{ body | safe }}</aside>",
        )
        .write("templates/shortcodes/youtube.html", "<p>own {{ id }}</p>");
    site.article(
        "own",
        "title = \"Own\"\ndate = 2024-05-01",
        "{% note(kind=\"warning\") %}\n<b>Careful</b>\n{% end %}\n\n\
         {% pull(by=\"<Ann>\", n=2) %}\nQuote\n{% end %}\n\n{{ youtube(id=\"not checked\") }}",
    );
    site.build();
    assert_eq!(
        site.read("public/own/index.html"),
        "<main><aside class=\"warning\"><b>Careful</b></aside>\n\
         <p class=\"pull\">Quote (&lt;Ann&gt;, 3)</p>\n<p>own not checked</p>\n</main>"
    );
}

#[test]
fn a_build_after_a_shortcode_template_changed_renders_its_articles_again() {
    let site = TestSite::new();
    site.write("templates/shortcodes/note.html", "<aside>First</aside>");
    site.article(
        "noted",
        "title = \"Noted\"\ndate = 2024-05-01",
        "{{ note() }}",
    );
    site.story("plain", "Plain", "2024-05-02");
    site.build();
    assert!(body(&site, "noted").starts_with("<aside>First</aside>"));
    site.write("templates/shortcodes/note.html", "<aside>Second</aside>");
    site.build();
    assert_eq!(body(&site, "noted"), "<aside>Second</aside>\n");
}

#[test]
fn a_bad_shortcode_names_its_file_line_and_column() {
    let site = TestSite::new();
    site.story("fine", "Fine", "2024-04-01").build();
    site.article(
        "bad",
        "title = \"Bad\"\ndate = 2024-05-01",
        "First line.\n\nSee {{ youtub(id=\"x\") }} here.",
    );
    let stderr = site.build_fails_keeping_output();
    assert_eq!(
        stderr,
        format!(
            "error: content/bad.md:7:5: unknown shortcode `youtub` (there are bluesky, figure, gist, mastodon, video, vimeo, x, youtube; \
             a site's own goes in templates/shortcodes/youtub.html)\n"
        )
    );
    site.article(
        "bad",
        "title = \"Bad\"\ndate = 2024-05-01",
        "Intro.\n\n{{ youtube(id=\"x\",\n  start=30) }}",
    );
    assert_eq!(
        site.build_fails_keeping_output(),
        format!(
            "error: content/bad.md:8:3: youtube() takes no argument `start` (it takes id, title)\n"
        )
    );
    site.article(
        "bad",
        "title = \"Bad\"\ndate = 2024-05-01",
        "{% x(url=\"https://x.com/a/status/1\") %}\nno end",
    );
    assert_eq!(
        site.build_fails_keeping_output(),
        format!(
            "error: content/bad.md:5:1: `{{% x(…) %}}` has no `{{% end %}}`: a shortcode with a body ends with one\n"
        )
    );
}

#[test]
fn a_broken_shortcode_template_names_its_file() {
    let site = TestSite::new();
    site.story("one", "One", "2024-05-01").build();
    site.write("templates/shortcodes/note.html", "{% if %}");
    assert_eq!(
        site.build_fails_keeping_output(),
        "error: templates/shortcodes/note.html:1:7: Found `%}` but expected one of: integer, float, \
         string, bool, ident, `-`, `not`, `<`, `{`, `[` or `(`\n"
    );
}

#[test]
fn feeds_show_the_facade_as_a_link_and_search_skips_the_arguments() {
    let site = TestSite::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[search]\nenabled = true\n",
    );
    site.article(
        "talk",
        "title = \"Talk\"\ndate = 2024-05-01",
        "Watch it.\n\n{{ youtube(id=\"zzqqxxid\", title=\"The keynote\") }}",
    );
    site.build();
    let feed = site.read("public/atom.xml");
    assert!(
        feed.contains(
            "<a class=\"embed-facade\" href=\"https://www.youtube.com/watch?v=zzqqxxid\" \
             data-embed=\"https://www.youtube-nocookie.com/embed/zzqqxxid?autoplay=1\">"
        ),
        "{feed}"
    );
    assert!(!feed.contains("<script"), "{feed}");
    let index: Vec<String> = std::fs::read_dir(site.path().join("public"))
        .unwrap()
        .flatten()
        .flat_map(|e| walk(&e.path()))
        .filter(|p| p.contains("search") && (p.ends_with(".json") || p.ends_with(".js")))
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    let index = index.join("\n");
    assert!(index.contains("keynote"), "the facade's title is text");
    assert!(!index.contains("zzqqxxid"), "no argument noise");
    assert!(!index.contains("gazetteEmbeds"), "no script");
}

fn walk(path: &std::path::Path) -> Vec<String> {
    if path.is_dir() {
        std::fs::read_dir(path)
            .unwrap()
            .flatten()
            .flat_map(|e| walk(&e.path()))
            .collect()
    } else {
        vec![path.display().to_string()]
    }
}

/// `check` renders bodies with the same shortcodes as `build`: the site's own and its
/// theme's are known there too (they were "unknown" to it, and the shipped workflow runs
/// `check` before every build), and an unknown one is still a problem at its place.
#[test]
fn check_knows_the_sites_and_the_themes_own_shortcodes() {
    let site = TestSite::new();
    site.write(
        "templates/shortcodes/note.html",
        "<aside>{{ body }}</aside>",
    )
    .write(
        "themes/broadsheet/templates/shortcodes/pull.html",
        "<p class=\"pull\">{{ text }}</p>",
    );
    site.article(
        "own",
        "title = \"Own\"\ndate = 2024-05-01",
        "{% note() %}\nCareful\n{% end %}\n\n{{ pull(text=\"Quote\") }}",
    );
    site.build();
    let run = site.run(&["check"]).success();
    assert_eq!(
        run.stdout().lines().last().unwrap_or_default(),
        "checked 5 pages, 75 internal links, external links not checked (--external checks them): no problems"
    );
    site.article(
        "own",
        "title = \"Own\"\ndate = 2024-05-01",
        "{% note() %}\nCareful\n{% end %}\n\n{{ aside(text=\"Quote\") }}",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.output.status.code(), Some(1));
    assert_eq!(
        format!("{}{}", run.stdout(), run.stderr()),
        "content/own.md:9:1: unknown shortcode `aside` (there are bluesky, figure, gist, mastodon, \
         note, pull, video, vimeo, x, youtube; a site's own goes in templates/shortcodes/aside.html)\n\
         content files that do not load stop the check before links are checked: fix them first\n\
         error: 1 file does not load\n"
    );
}
