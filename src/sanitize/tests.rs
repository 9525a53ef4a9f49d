use super::*;

/// The sanitized HTML and what was counted as removed.
fn cleaned(html: &str) -> (String, String) {
    let cleaned = clean(html);
    (cleaned.html(), cleaned.removed.to_string())
}

const SANDBOX: &str = "sandbox=\"allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation\" allow=\"autoplay; encrypted-media; fullscreen; picture-in-picture\"";

#[test]
fn each_kind_of_removal_is_gone_and_counted() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "<p>a<script>alert(1)</script>b</p>",
            "<p>ab</p>",
            "<script>",
        ),
        (
            "<img src=\"x.png\" onerror=\"alert(1)\">",
            "<img src=\"x.png\">",
            "onerror",
        ),
        (
            "<IMG SRC=x.png OnError=alert(1)>",
            "<img src=\"x.png\">",
            "onerror",
        ),
        (
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a>x</a>",
            "javascript: URL",
        ),
        (
            "<a href=\"jav&#x61;script:alert(1)\">x</a>",
            "<a>x</a>",
            "javascript: URL",
        ),
        (
            "<a href=\" JaVa\tScRiPt:alert(1)\">x</a>",
            "<a>x</a>",
            "javascript: URL",
        ),
        (
            "<a href=\"vbscript:msgbox(1)\">x</a>",
            "<a>x</a>",
            "vbscript: URL",
        ),
        (
            "<a href=\"data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;\">x</a>",
            "<a>x</a>",
            "data: URL",
        ),
        (
            "<details open ontoggle=\"alert(1)\"><summary>S</summary>T</details>",
            "<details open=\"\"><summary>S</summary>T</details>",
            "ontoggle",
        ),
        (
            "<video src=\"x.mp4\" onerror=\"alert(1)\" controls></video>",
            "<video src=\"x.mp4\" controls=\"\"></video>",
            "onerror",
        ),
        (
            "<p>a</p><iframe src=\"javascript:alert(1)\"></iframe>",
            "<p>a</p>",
            "<iframe>",
        ),
        (
            "<iframe src=\"https://evil.example/x\" width=\"5\"></iframe>",
            "",
            "<iframe> from evil.example",
        ),
        (
            "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
            "",
            "<iframe>",
        ),
        (
            "<svg onload=\"alert(1)\"><circle r=\"1\"></circle></svg>",
            "",
            "<circle>, <svg>",
        ),
        (
            "<form action=\"javascript:alert(1)\"><input type=\"submit\" formaction=\"javascript:alert(2)\"></form>",
            "",
            "<form>, <input>",
        ),
        (
            "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\"><base href=\"javascript:alert(2)//\">",
            "",
            "<base>, <meta>",
        ),
        (
            "<object data=\"javascript:alert(1)\"></object><embed src=\"javascript:alert(2)\">",
            "",
            "<embed>, <object>",
        ),
        (
            "<style>p{}</style><link rel=\"stylesheet\" href=\"x.css\"><noscript><p>n</p></noscript>",
            "",
            "<link>, <noscript>, <style>",
        ),
        (
            "<a href=\"https://ok.example/\" onclick=\"x()\" data-track=\"1\" target=\"_blank\">ok</a>",
            "<a href=\"https://ok.example/\" target=\"_blank\">ok</a>",
            "onclick, data-*",
        ),
        ("<body onload=\"alert(1)\"><p>t</p>", "<p>t</p>", "<body>"),
        (
            "<img src=x onerror=alert(1)><img src=y onerror=alert(2)><a href=javascript:a()>1</a><a href=javascript:b()>2</a><script>c()</script>",
            "<img src=\"x\"><img src=\"y\"><a>1</a><a>2</a>",
            "<script>, onerror ×2, javascript: URL ×2",
        ),
    ];
    for (html, out, removed) in cases {
        assert_eq!(
            cleaned(html),
            (out.to_string(), removed.to_string()),
            "{html}"
        );
    }
}

#[test]
fn what_gazette_and_the_importers_write_is_kept_as_it_is() {
    for html in [
        "<h2 id=\"a-b\">A b</h2>",
        "<pre class=\"highlight\"><code class=\"language-rust\"><span class=\"hl-source hl-rust\">fn</span></code></pre>",
        "<p>x<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p><div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup><p>n</p></div>",
        "<table><thead><tr><th style=\"text-align:left\">A</th></tr></thead><tbody><tr><td style=\"text-align:right\">1</td></tr></tbody></table>",
        "<figure><img src=\"/a.jpg\" alt=\"A\" width=\"300\" height=\"200\" srcset=\"/a-480.jpg 480w\" sizes=\"100vw\" loading=\"lazy\"><figcaption>Cap</figcaption></figure>",
        "<picture><source srcset=\"/a.webp\" type=\"image/webp\"><img src=\"/a.jpg\" alt=\"\"></picture>",
        "<details open=\"\"><summary>More</summary><p>x</p></details>",
        "<video controls=\"\" src=\"/v.mp4\" poster=\"/p.jpg\"></video><audio controls=\"\" src=\"/a.mp3\"></audio>",
        "<p><abbr title=\"Hypertext\">HTML</abbr> <mark>m</mark> <sub>2</sub> <kbd>k</kbd> <del>d</del> <s>s</s></p>",
        "<p><a href=\"@/news/other.md#x\">internal</a> <a href=\"/x/\">site</a> <a href=\"mailto:a@b.example\">mail</a></p>",
        "<!-- more --><p>After.</p>",
        "<img src=\"data:image/png;base64,AAAA\" alt=\"dot\">",
    ] {
        assert_eq!(cleaned(html), (html.to_string(), String::new()));
    }
    // A style keeps only properties that neither move nor load anything.
    assert_eq!(
        cleaned("<th style=\"text-align: left; position: fixed; background: url(x)\">A</th>").0,
        "A"
    );
    assert_eq!(
        cleaned("<p style=\"text-align: left; position: fixed; background: url(x)\">A</p>").0,
        "<p style=\"text-align:left\">A</p>"
    );
}

#[test]
fn mutation_tricks_come_out_inert() {
    for (html, out) in [
        (
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
            "",
        ),
        (
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></p></noscript>",
            "<img src=\"x\">\"&gt;<p></p>",
        ),
        (
            "<svg><style><img src=x onerror=alert(1)></style></svg>",
            "<img src=\"x\">",
        ),
        (
            "<!--> <img src=x onerror=alert(1)> -->",
            "<!----> <img src=\"x\"> --&gt;",
        ),
    ] {
        let (got, _) = cleaned(html);
        assert_eq!(got, out, "{html}");
    }
}

#[test]
fn a_player_keeps_its_frame_with_the_sandbox() {
    let (html, removed) = cleaned(
        "<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" frameborder=\"0\" allowfullscreen onload=\"x()\" sandbox=\"allow-top-navigation\">fallback</iframe>",
    );
    assert_eq!(
        html,
        format!(
            "<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" frameborder=\"0\" {SANDBOX} allowfullscreen=\"\" loading=\"lazy\" referrerpolicy=\"strict-origin-when-cross-origin\"></iframe>"
        )
    );
    assert_eq!(removed, "onload");
    assert_eq!(
        embed("https://player.vimeo.com/video/123", "Vimeo video").as_deref(),
        Some(
            format!(
                "<iframe src=\"https://player.vimeo.com/video/123\" title=\"Vimeo video\" {SANDBOX} allowfullscreen loading=\"lazy\" referrerpolicy=\"strict-origin-when-cross-origin\"></iframe>"
            )
            .as_str()
        )
    );
    for (src, allowed) in [
        ("https://www.youtube-nocookie.com/embed/abc", true),
        ("https://www.youtube.com/watch?v=abc", false),
        ("http://www.youtube.com/embed/abc", false),
        ("https://www.youtube.com.evil.example/embed/abc", false),
        ("https://user@www.youtube.com/embed/abc", false),
        ("https://player.vimeo.com/video/1", true),
        ("https://vimeo.com/1", false),
        ("javascript:alert(1)", false),
    ] {
        assert_eq!(embed_allowed(src), allowed, "{src}");
    }
    assert_eq!(embed("https://evil.example/embed/x", "x"), None);
}

#[test]
fn removals_read_in_one_order() {
    let mut removed = Removed::default();
    for removal in [
        Removal::Scheme("javascript".into()),
        Removal::Attribute("srcdoc".into()),
        Removal::Handler("onerror".into()),
        Removal::Element("script".into()),
        Removal::Frame("evil.example".into()),
        Removal::Element("script".into()),
        Removal::Frame(String::new()),
        Removal::Scheme("javascript".into()),
        Removal::Scheme("javascript".into()),
    ] {
        removed.add(removal);
    }
    assert_eq!(
        removed.to_string(),
        "<script> ×2, <iframe>, <iframe> from evil.example, onerror, javascript: URL ×3, srcdoc"
    );
}

#[test]
fn url_checks_agree_with_the_sanitizer() {
    for url in [
        "https://example.com/a",
        "http://example.com/",
        "/x/",
        "x.html",
        "#top",
        "@/news/x.md",
        "//cdn.example/x",
        "mailto:a@b.example",
        "tel:+1",
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:x",
        "data:text/html,x",
        "data:image/png;base64,AA",
        "data:image/svg+xml,<svg/>",
        "http://[bad",
        "ftp://files.example/",
    ] {
        for (element, attribute) in [("a", "href"), ("img", "src")] {
            let html = format!(
                "<{element} {attribute}=\"{}\">",
                html_escape::encode_double_quoted_attribute(url)
            );
            let kept = BUILDER.clean(&html).to_string().contains(attribute);
            assert_eq!(url_allowed(element, attribute, url), kept, "{html}");
        }
    }
}

/// `html` with `clean_tags`'s edits made, what was removed, and what is left open.
fn tags(html: &str) -> (String, String, Option<String>) {
    let edits = clean_tags(html);
    (
        edits.apply(html),
        edits.removed.to_string(),
        edits.open.clone(),
    )
}

#[test]
fn tags_are_judged_one_by_one_and_safe_ones_kept_as_written() {
    let cases: &[(&str, &str, &str)] = &[
        ("<div class=note>", "<div class=note>", ""),
        ("</div>", "</div>", ""),
        (
            "<div class=note onclick=x()>",
            "<div class=\"note\">",
            "onclick",
        ),
        (
            "<span onmouseover=\"x()\">s</span>",
            "<span>s</span>",
            "onmouseover",
        ),
        ("<td onclick=x>1</td>", "<td>1</td>", "onclick"),
        ("<tr valign=top>", "<tr valign=top>", ""),
        ("a < b and c <3", "a < b and c <3", ""),
        ("c<d", "c", ""),
        (
            "<p title='x\"y' onclick=z>",
            "<p title=\"x&quot;y\">",
            "onclick",
        ),
        (
            "<a title=\"a>b\" onclick=x>",
            "<a title=\"a&gt;b\">",
            "onclick",
        ),
        ("<img src=x\nonerror=y>", "<img src=\"x\">", "onerror"),
        (
            "<IMG SRC=\"x\" ALT=\"y\"/>",
            "<IMG SRC=\"x\" ALT=\"y\"/>",
            "",
        ),
        (
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a>x</a>",
            "javascript: URL",
        ),
        ("<!-- more -->", "<!-- more -->", ""),
        (
            "<script>alert(1)</script> after </script>",
            " after ",
            "<script>",
        ),
        (
            "<svg onload=alert(1)><circle/></svg>",
            "",
            "<circle>, <svg>",
        ),
        ("<body onload=alert(1)>", "", "<body>"),
        ("<image src=x onerror=alert(1)>", "", "<image>"),
        (
            "<!--> <img src=x onerror=alert(1)> -->",
            "<!----> <img src=\"x\"> --&gt;",
            "onerror",
        ),
        ("<img src=x onerror=alert(1)", "", ""),
        ("<!DOCTYPE html><p>", "<p>", ""),
    ];
    for (html, out, removed) in cases {
        assert_eq!(
            tags(html),
            (out.to_string(), removed.to_string(), None),
            "{html}"
        );
    }
}

#[test]
fn an_element_removed_with_its_contents_may_end_in_a_later_piece() {
    assert_eq!(
        tags("<p>a</p><script>alert(1)"),
        ("<p>a</p>".into(), "<script>".into(), Some("script".into()))
    );
}

#[test]
fn frames_are_written_as_every_frame_is_and_then_kept() {
    let canonical = embed("https://www.youtube-nocookie.com/embed/x", "YouTube video").unwrap();
    assert_eq!(
        tags("<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"YouTube video\">text</iframe>").0,
        canonical
    );
    assert_eq!(tags(&canonical), (canonical.clone(), String::new(), None));
    assert_eq!(
        tags("<iframe src=\"https://evil.example/\">x</iframe><p>p</p>"),
        ("<p>p</p>".into(), "<iframe> from evil.example".into(), None)
    );
    // Its end tag in another piece (Markdown's inline HTML): closed where it stands, and
    // what follows up to its end tag is its own.
    let start = canonical.trim_end_matches("</iframe>");
    assert_eq!(
        tags(&format!("{start}fallback")),
        (canonical.clone(), String::new(), Some("iframe".into()))
    );
}

/// Nesting as deep as an attacker likes costs no stack in the sanitizer.
#[test]
fn deep_nesting_is_no_stack_overflow() {
    let html = format!("{}x{}", "<div>".repeat(2_000), "</div>".repeat(2_000));
    let handle = std::thread::Builder::new()
        .stack_size(96 * 1024)
        .spawn(move || {
            let cleaned = clean(&html);
            let (removed, out) = (cleaned.removed.is_empty(), cleaned.html().len());
            let tags = clean_tags(&html).edits.len();
            (removed, out, clean_html(&html).len(), tags)
        })
        .unwrap();
    assert_eq!(
        handle.join().unwrap(),
        (true, 2_000 * 11 + 1, 2_000 * 11 + 1, 0)
    );
}
