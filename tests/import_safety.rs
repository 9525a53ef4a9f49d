//! Imports are safe: nothing an imported post carries runs on the built site. Each
//! platform's HTML and Markdown come through with their script, handlers, `javascript:`
//! links and foreign frames left out (the rest byte for byte), shortcodes' parameters stay
//! text, and each article's removals are one warning naming its file and its source.

mod common;

use common::{TestSite, content_file};

/// A WordPress export of `posts` — (id, title, slug, HTML) — dated a day apart.
fn export(posts: &[(u32, &str, &str, &str)]) -> String {
    let items: String = posts
        .iter()
        .enumerate()
        .map(|(day, (id, title, slug, html))| {
            format!(
                "<item><title>{title}</title><link>https://old.example.com/{slug}/</link>\
                 <dc:creator>ann</dc:creator><content:encoded><![CDATA[{html}]]></content:encoded>\
                 <wp:post_id>{id}</wp:post_id><wp:post_date_gmt>2024-01-{:02} 10:00:00</wp:post_date_gmt>\
                 <wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>\
                 <wp:post_type>post</wp:post_type></item>\n",
                day + 1
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n\
         <channel><title>Old</title><link>https://old.example.com</link>\n\
         <wp:base_site_url>https://old.example.com</wp:base_site_url>\n{items}</channel></rss>\n"
    )
}

/// The Markdown body of an imported article.
fn body(site: &TestSite, path: &str) -> String {
    content_file(&site.read(path)).1
}

/// The attributes every kept player frame gets.
const FRAME: &str = "sandbox=\"allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation\" allow=\"autoplay; encrypted-media; fullscreen; picture-in-picture\"";

#[test]
fn wordpress_posts_lose_what_would_run_and_the_warning_says_what() {
    let site = TestSite::new();
    site.write(
        "old/export.xml",
        export(&[
            (
                12,
                "Toggle",
                "toggle",
                "<details open ontoggle=alert(1)><summary>More</summary>Hidden</details>\n\n\
                 <video src=x onerror=alert(2)></video>\n\n\
                 <iframe src=\"javascript:alert(3)\"></iframe>\n\n\
                 Read <a href=\"javascript:alert(4)\">this</a>, <a href=\" JaVa&#x53;cript:alert(5)\">that</a> \
                 and [x](javascript:alert(6)).<script>alert(7)</script>\n\n\
                 <iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" frameborder=\"0\" allowfullscreen></iframe>\n\n\
                 <h2>Next {onclick=alert(8)}</h2>",
            ),
            (13, "Clean", "clean", "Just <strong>text</strong>."),
            // A shortcode's attribute is text: what looks like markup in it shows.
            (
                14,
                "Caption",
                "caption",
                "[caption caption=\"&lt;script&gt;alert(9)&lt;/script&gt; Cap\"]<img src=\"/a.jpg\" alt=\"A\">[/caption]",
            ),
        ]),
    );
    let run = site
        .run(&["import", "--from", "wordpress", "old/export.xml"])
        .success();
    assert_eq!(
        run.stderr(),
        "warning: content/toggle.md: the sanitizer left out \"<script>, <iframe>, onclick, onerror, ontoggle, javascript: URL ×2\" (from \"export.xml (post 12)\", titled \"Toggle\")\n"
    );
    assert_eq!(
        body(&site, "content/toggle.md"),
        format!(
            "\n<details open=\"\"><summary>More</summary>\n\nHidden</details>\n\n\
             <video src=\"x\"></video>\n\n\
             Read this, that and \\[x\\](javascript:alert(6)).\n\n\
             <iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" frameborder=\"0\" {FRAME} \
             allowfullscreen=\"\" loading=\"lazy\" referrerpolicy=\"strict-origin-when-cross-origin\"></iframe>\n\n\
             ## Next &#123;onclick=alert(8)}}\n"
        )
    );
    assert_eq!(body(&site, "content/clean.md"), "\nJust **text**.\n");
    assert_eq!(
        body(&site, "content/caption.md"),
        "\n![A](/a.jpg)\n\n*\\<script>alert(9)\\</script> Cap*\n"
    );
    // The same export again: the same files, nothing written, the same warning.
    let again = site
        .run(&["import", "--from", "wordpress", "old/export.xml"])
        .success();
    assert!(
        again
            .stdout()
            .starts_with("imported 3 articles (0 drafts, 0 scheduled): 0 written, 3 unchanged")
    );
    assert_eq!(again.stderr(), run.stderr());
}

#[test]
fn a_shortcode_parameter_never_becomes_markup() {
    let site = TestSite::new();
    site.write("old/hugo.toml", "baseURL = \"https://old.example.com/\"\n")
        .write(
            "old/content/posts/embeds.md",
            "+++\ntitle = \"Embeds\"\ndate = 2024-01-02\n+++\n\
             {{< gist \"u\\\"><script>alert(1)</script>\" \"1\" >}}\n\n\
             {{< gist jane 42 >}}\n\n\
             {{< youtube \"x\\\"><script>alert(2)</script>\" >}}\n\n\
             {{< youtube dQw4w9WgXcQ >}}\n\n\
             {{< vimeo \"1 onload=alert(3)\" >}}\n\n\
             {{< tweet user=\"a<b\" id=\"1\" >}}\n\n\
             {{< figure src=\"/a b(1).png\" alt=\"A ] [x](javascript:alert(4))\" caption=\"<script>alert(5)</script>\" >}}\n\n\
             {{< highlight \"go onclick=x\" >}}\n```\n<script>\n{{< /highlight >}}\n",
        );
    let run = site.run(&["import", "--from", "hugo", "old"]).success();
    assert_eq!(
        run.stderr(),
        "warning: old/content/posts/embeds.md: Hugo syntax kept as written (pages show it as text): \
         {{< gist >}} with parameters it does not take, {{< tweet >}} with parameters it does not take, \
         {{< vimeo >}} with parameters it does not take, {{< youtube >}} with parameters it does not take\n"
    );
    assert_eq!(
        body(&site, "content/posts/embeds.md"),
        format!(
            "\n\\{{\\{{\\< gist \"u\\\\\"\\>\\<script\\>alert(1)\\</script\\>\" \"1\" \\>\\}}\\}}\n\n\
             {{{{ gist(user=\"jane\", id=\"42\") }}}}\n\n\
             \\{{\\{{\\< youtube \"x\\\\\"\\>\\<script\\>alert(2)\\</script\\>\" \\>\\}}\\}}\n\n\
             {{{{ youtube(id=\"dQw4w9WgXcQ\") }}}}\n\n\
             \\{{\\{{\\< vimeo \"1 onload=alert(3)\" \\>\\}}\\}}\n\n\
             \\{{\\{{\\< tweet user=\"a\\<b\" id=\"1\" \\>\\}}\\}}\n\n\
             ![A \\] \\[x\\](javascript:alert(4))](/a%20b%281%29.png)\n\n\
             *\\<script\\>alert(5)\\</script\\>*\n\n\
             ````\n```\n<script>\n````\n"
        )
    );
    // What each of them shows: its text, exactly.
    site.build();
    let page = site.read("public/posts/embeds/index.html");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(
        page.contains(
            "<p>{{&lt; gist \"u\\\"&gt;&lt;script&gt;alert(1)&lt;/script&gt;\" \"1\" &gt;}}</p>"
        ),
        "{page}"
    );
}

#[test]
fn zola_and_jekyll_expansions_are_checked_too() {
    let zola = TestSite::new();
    zola.write(
        "old/config.toml",
        "base_url = \"https://old.example.com\"\n",
    )
    .write(
        "old/content/post.md",
        "+++\ntitle = \"Zola\"\ndate = 2024-01-02\n+++\n\
             {{ youtube(id=\"x\\\" onload=\\\"alert(1)\") }}\n\n\
             {{ gist(url=\"javascript:alert(2)//gist.github.com/x\") }}\n\n\
             {{ vimeo(id=\"123\") }}\n",
    );
    let run = zola.run(&["import", "--from", "zola", "old"]).success();
    assert_eq!(
        run.stderr(),
        "warning: old/content/post.md: Zola syntax kept as written (pages show it as text): \
         {{ gist() }} with parameters it does not take, {{ youtube() }} with parameters it does not take\n"
    );
    assert_eq!(
        body(&zola, "content/post.md"),
        format!(
            "\n\\{{\\{{ youtube(id=\"x\\\\\" onload=\\\\\"alert(1)\") \\}}\\}}\n\n\
             \\{{\\{{ gist(url=\"javascript:alert(2)//gist.github.com/x\") \\}}\\}}\n\n\
             {{{{ vimeo(id=\"123\") }}}}\n"
        )
    );

    let jekyll = TestSite::new();
    jekyll
        .write("old/_config.yml", "url: https://old.example.com\n")
        .write(
            "old/_posts/2024-01-02-hello.md",
            "---\ntitle: Hello\n---\n\
             <img src=\"{{ 'a.png\" onerror=\"alert(1)' | relative_url }}\">\n\n\
             [next]({% link x) [y](javascript:alert(2) %})\n\n\
             {% highlight \"ruby onclick\" %}\n```\nputs 1\n{% endhighlight %}\n",
        )
        .write(
            "old/_posts/2024-01-03-later.html",
            "---\ntitle: Later\n---\n<p>Hi<script>alert(3)</script></p>\n<p><a href=\"javascript:alert(4)\">there</a></p>\n",
        );
    let run = jekyll.run(&["import", "--from", "jekyll", "old"]).success();
    // A `{% link %}` to no file of the site is kept as written (and so is the address in
    // it, which no Markdown link holds: it is text).
    assert_eq!(
        run.stderr(),
        "warning: old/_posts/2024-01-02-hello.md: Jekyll syntax kept as written (pages show it as text): {% link %}\n\
         warning: content/later.md: the sanitizer left out \"<script>, javascript: URL\" (from \"old/_posts/2024-01-03-later.html\", titled \"Later\")\n"
    );
    assert_eq!(
        body(&jekyll, "content/hello.md"),
        "\n<img src=\"/a.png%22%20onerror=%22alert%281%29\">\n\n\
         [next]({% link x) [y](javascript:alert(2) %})\n\n\
         ````\n```\nputs 1\n````\n"
    );
    assert_eq!(body(&jekyll, "content/later.md"), "\nHi\n\nthere\n");
}

#[test]
fn raw_html_in_markdown_is_made_safe_and_the_rest_kept_byte_for_byte() {
    let site = TestSite::new();
    site.write("old/hugo.toml", "baseURL = \"https://old.example.com/\"\n")
        .write(
            "old/content/posts/first.md",
            "+++\ntitle = \"First\"\ndate = 2024-01-02\n+++\n\
             <div class=\"note\" onclick=\"alert(1)\">\n\n\
             Some **Markdown** with <img src=\"x.png\" onerror=\"alert(2)\"> inline.\n\n\
             </div>\n\n\
             A [link](javascript:alert(3)), <JAVASCRIPT:alert(4)>, [a ref][r] and [fine](https://example.com/ \"T\").\n\n\
             [r]: vbscript:msgbox(5)\n\n\
             > <span onmouseover=\"alert(6)\">quoted</span> <script>alert(7)</script>\n\n\
             # Heading {#top onclick=alert(8)}\n\n\
             <!-- more -->\n",
        )
        .write(
            "old/content/posts/other.html",
            "---\ntitle: Other\ndate: 2024-01-03\n---\n\
             <p>Hi <svg onload=\"alert(9)\"><circle r=\"1\"/></svg> there.</p>\n\
             <iframe src=\"https://evil.example/frame\"></iframe>\n\
             <p><form action=\"javascript:alert(10)\"><input type=\"submit\"></form></p>\n",
        )
        .write(
            "old/content/news/_index.md",
            "+++\ntitle = \"News\"\n+++\nIntro <script>alert(11)</script>.\n",
        )
        .write(
            "old/content/news/n.md",
            "+++\ntitle = \"N\"\ndate = 2024-01-04\n+++\nFine *text* <kbd>x</kbd>.\n",
        );
    let run = site.run(&["import", "--from", "hugo", "old"]).success();
    assert_eq!(
        run.stderr(),
        "warning: old/content/news/_index.md: the sanitizer left out \"<script>\"\n\
         warning: content/posts/first.md: the sanitizer left out \"<script>, onclick ×2, onerror, onmouseover, javascript: URL ×2, vbscript: URL\" (from \"old/content/posts/first.md\", titled \"First\")\n\
         warning: content/posts/other.md: the sanitizer left out \"<circle>, <form>, <input>, <svg>, <iframe> from evil.example\" (from \"old/content/posts/other.html\", titled \"Other\")\n"
    );
    assert_eq!(
        body(&site, "content/posts/first.md"),
        "\n<div class=\"note\">\n\n\
         Some **Markdown** with <img src=\"x.png\"> inline.\n\n\
         </div>\n\n\
         A link, JAVASCRIPT:alert(4), a ref and [fine](https://example.com/ \"T\").\n\n\n\n\
         > <span>quoted</span> \n\n\
         # Heading &#123;#top onclick=alert(8)} {#heading-123top-onclickalert8}\n\n\
         <!-- more -->\n"
    );
    assert_eq!(body(&site, "content/posts/other.md"), "\nHi there.\n");
    assert_eq!(
        site.read("content/news/_index.md"),
        "+++\ntitle = \"News\"\nrss_aliases = [\"/news/index.xml\"]\n+++\n\nIntro .\n"
    );
    assert_eq!(
        body(&site, "content/news/n.md"),
        "\nFine *text* <kbd>x</kbd>.\n"
    );
}
