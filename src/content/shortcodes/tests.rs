use std::borrow::Cow;

use super::parse::{Arg, Call, Piece, Value, as_text, parse};
use super::*;
use crate::content::markdown::Renderer;

fn call(name: &str, args: Vec<(&str, Value, usize)>, at: usize, end: usize) -> Call {
    Call {
        name: name.into(),
        args: args
            .into_iter()
            .map(|(key, value, at)| Arg {
                key: key.into(),
                value,
                at,
            })
            .collect(),
        body: None,
        at,
        end,
    }
}

fn text(t: &str) -> Piece<'_> {
    Piece::Text(Cow::Borrowed(t))
}

fn error(source: &str) -> (usize, String) {
    let e = parse(source).unwrap_err();
    (e.at, e.message)
}

#[test]
fn calls_are_found_with_their_places_and_values() {
    let source = "Hi {{ youtube(id=\"abc\") }} there";
    assert_eq!(
        parse(source).unwrap().unwrap(),
        [
            text("Hi "),
            Piece::Call(call(
                "youtube",
                vec![("id", Value::Str("abc".into()), 14)],
                3,
                26
            )),
            text(" there"),
        ]
    );
    let source = "{{s(a='x\"', b=`y'`, n=3, f=-1.5, t=true, u=false,\n  e=\"\") }}";
    let Some(pieces) = parse(source).unwrap() else {
        panic!("no call")
    };
    let Piece::Call(c) = &pieces[0] else {
        panic!("{pieces:?}")
    };
    let values: Vec<(&str, &Value)> = c.args.iter().map(|a| (a.key.as_str(), &a.value)).collect();
    assert_eq!(
        values,
        [
            ("a", &Value::Str("x\"".into())),
            ("b", &Value::Str("y'".into())),
            ("n", &Value::Int(3)),
            ("f", &Value::Float(-1.5)),
            ("t", &Value::Bool(true)),
            ("u", &Value::Bool(false)),
            ("e", &Value::Str(String::new())),
        ]
    );
    assert_eq!((c.at, c.end, pieces.len()), (0, source.len(), 1));
}

#[test]
fn a_body_runs_to_its_end() {
    let source = "A\n\n{% x(url=\"https://x.com/a/status/1\") %}\nOne\n\nTwo\n{%end%}\nB";
    let pieces = parse(source).unwrap().unwrap();
    let Piece::Call(c) = &pieces[1] else {
        panic!("{pieces:?}")
    };
    assert_eq!(c.body.as_deref(), Some("One\n\nTwo"));
    assert_eq!((c.at, &source[c.end..]), (3, "\nB"));
    assert_eq!(pieces.len(), 3);
}

#[test]
fn code_escapes_and_other_braces_stay_text() {
    for source in [
        "`{{ youtube(id=\"x\") }}`",
        "```\n{{ youtube(id=\"x\") }}\n{% end %}\n```\n",
        "    {{ youtube(id=\"x\") }}\n",
        "\\{{ youtube(id=\"x\") }}",
        "{{ value }} and {% include x.html %} and {{ and }}",
        "{{ 3(a=1) }} {{",
        "no braces at all",
    ] {
        assert_eq!(parse(source).unwrap(), None, "{source}");
    }
    assert_eq!(
        parse("See {{/* youtube(id=\"x\") */}} and {%/* x() */%}.").unwrap(),
        Some(vec![
            text("See "),
            text("{{ youtube(id=\"x\") }}"),
            text(" and "),
            text("{% x() %}"),
            text("."),
        ])
    );
}

#[test]
fn a_malformed_call_is_an_error_at_its_place() {
    assert_eq!(
        error("{{ youtube(id=\"x) }}"),
        (14, "the string for `id` is not closed".into())
    );
    assert_eq!(
        error("{{ youtube(id \"x\") }}"),
        (14, "expected `=` after `id`".into())
    );
    assert_eq!(
        error("{{ youtube(id=x) }}"),
        (
            14,
            "expected a value for `id`: a \"string\", a number, true or false".into()
        )
    );
    assert_eq!(
        error("{{ youtube(id=\"x\" title=\"y\") }}"),
        (18, "expected `,` or `)` after an argument".into())
    );
    assert_eq!(
        error("{{ youtube(id=\"x\", id=\"y\") }}"),
        (19, "`id` is given twice".into())
    );
    assert_eq!(
        error("{{ youtube(id=\"x\") }"),
        (19, "expected `}}` to close the shortcode `youtube`".into())
    );
    assert_eq!(
        error("{{ youtube(\"x\") }}"),
        (11, "expected an argument name (`key=value`) or `)`".into())
    );
    assert_eq!(
        error("a\n{% x(url=\"u\") %}\nno end"),
        (
            2,
            "`{% x(…) %}` has no `{% end %}`: a shortcode with a body ends with one".into()
        )
    );
    assert_eq!(
        error("text {% end %}"),
        (
            5,
            "`{% end %}` without a shortcode to end (a body shortcode opens with `{% name(…) %}`)"
                .into()
        )
    );
}

fn html(markdown: &str) -> String {
    Renderer::default().render(markdown).unwrap().html
}

fn render_error(markdown: &str) -> (usize, String) {
    let e = Renderer::default().render(markdown).unwrap_err();
    (e.at, e.message)
}

#[test]
fn youtube_is_a_facade_alone_in_its_place_and_not_in_the_summary() {
    let r = Renderer::default()
        .render("Intro words.\n\n{{ youtube(id=\"dQw4w9WgXcQ\", title=\"The talk\") }}\n\nAfter.\n")
        .unwrap();
    assert_eq!(
        r.html,
        format!(
            "<p>Intro words.</p>\n<div class=\"embed embed-video\"><a class=\"embed-facade\" \
             href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\" \
             data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\">\
             <span class=\"embed-title\">The talk</span> <span class=\"embed-host\">YouTube</span>\
             </a></div>\n<p>After.</p>\n{EMBED_SCRIPT}"
        )
    );
    assert_eq!(
        (r.first_paragraph.as_str(), r.word_count),
        ("Intro words.", 3)
    );
    let first = Renderer::default()
        .render("{{ youtube(id=\"abc\") }}\n\nThe story.\n")
        .unwrap();
    assert_eq!(first.first_paragraph, "The story.");
}

#[test]
fn each_built_in_renders_exactly() {
    assert_eq!(
        html("{{ vimeo(id=76979871) }}"),
        format!(
            "<div class=\"embed embed-video\"><a class=\"embed-facade\" href=\"https://vimeo.com/76979871\" \
             data-embed=\"https://player.vimeo.com/video/76979871?autoplay=1\"><span class=\"embed-title\">\
             Vimeo video</span> <span class=\"embed-host\">Vimeo</span></a></div>\n{EMBED_SCRIPT}"
        )
    );
    assert_eq!(
        html("{{ video(src=\"clip.mp4\", poster=\"clip.jpg\", caption=\"The launch\") }}"),
        "<figure class=\"embed embed-file\"><video controls preload=\"metadata\" src=\"clip.mp4\" \
         poster=\"clip.jpg\"><a href=\"clip.mp4\">Download the video</a></video>\
         <figcaption>The launch</figcaption></figure>\n"
    );
    assert_eq!(
        html("{{ video(src=\"https://cdn.example/a.webm\") }}"),
        "<figure class=\"embed embed-file\"><video controls preload=\"none\" \
         src=\"https://cdn.example/a.webm\"><a href=\"https://cdn.example/a.webm\">Download the video</a>\
         </video></figure>\n"
    );
    assert_eq!(
        html("{{ figure(src=\"/img/a.jpg\", alt=\"A cat\", caption=\"Photo: Ann\") }}"),
        "<figure class=\"embed-figure\"><img src=\"/img/a.jpg\" alt=\"A cat\">\
         <figcaption>Photo: Ann</figcaption></figure>\n"
    );
    assert_eq!(
        html(
            "{{ x(url=\"https://x.com/ann/status/1\", text=\"Big news.\", author=\"Ann (@ann)\") }}"
        ),
        "<blockquote class=\"embed-post\" cite=\"https://x.com/ann/status/1\"><p>Big news.</p>\
         <footer>— Ann (@ann), <a href=\"https://x.com/ann/status/1\">on X</a></footer></blockquote>\n"
    );
    assert_eq!(
        html(
            "{% bluesky(url=\"https://bsky.app/profile/a.b/post/3k\", date=\"2024-05-01\") %}\nOne\nline.\n\nTwo.\n{% end %}"
        ),
        "<blockquote class=\"embed-post\" cite=\"https://bsky.app/profile/a.b/post/3k\"><p>One line.</p>\
         <p>Two.</p><footer>— <a href=\"https://bsky.app/profile/a.b/post/3k\">on Bluesky</a>, 2024-05-01\
         </footer></blockquote>\n"
    );
    assert_eq!(
        html("{{ mastodon(url=\"https://m.social/@a/1\", text=\"Hi\", author=\"A\") }}"),
        "<blockquote class=\"embed-post\" cite=\"https://m.social/@a/1\"><p>Hi</p><footer>— A, \
         <a href=\"https://m.social/@a/1\">on Mastodon</a></footer></blockquote>\n"
    );
    assert_eq!(
        html("{{ x(url=\"https://x.com/ann/status/1\", author=\"@ann\") }}"),
        "<p><a class=\"embed-post-link\" href=\"https://x.com/ann/status/1\">A post by @ann on X</a></p>\n"
    );
    let gist = "<p><a class=\"embed-gist\" href=\"https://gist.github.com/ann/9f3a\">Gist ann/9f3a on GitHub</a></p>\n";
    assert_eq!(html("{{ gist(user=\"ann\", id=\"9f3a\") }}"), gist);
    assert_eq!(
        html("{{ gist(url=\"https://gist.github.com/ann/9f3a\") }}"),
        gist
    );
}

#[test]
fn a_call_inside_a_paragraph_stays_inline() {
    assert_eq!(
        html("See {{ gist(user=\"a\", id=\"1\") }} here."),
        "<p>See <a class=\"embed-gist\" href=\"https://gist.github.com/a/1\">Gist a/1 on GitHub</a> here.</p>\n"
    );
    assert_eq!(
        html("- {{ figure(src=\"a.jpg\", alt=\"\") }}"),
        "<ul>\n<li><figure class=\"embed-figure\"><img src=\"a.jpg\" alt=\"\"></figure></li>\n</ul>\n"
    );
}

#[test]
fn hostile_arguments_are_escaped_or_refused() {
    assert_eq!(
        html("{{ youtube(id=\"a\", title='\"><script>alert(1)</script>') }}"),
        format!(
            "<div class=\"embed embed-video\"><a class=\"embed-facade\" href=\"https://www.youtube.com/watch?v=a\" \
             data-embed=\"https://www.youtube-nocookie.com/embed/a?autoplay=1\"><span class=\"embed-title\">\
             &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</span> <span class=\"embed-host\">YouTube</span>\
             </a></div>\n{EMBED_SCRIPT}"
        )
    );
    assert_eq!(
        html("{{ x(url=\"https://x.com/a/status/1\", text=\"<img src=x onerror=alert(1)>\") }}"),
        "<blockquote class=\"embed-post\" cite=\"https://x.com/a/status/1\"><p>&lt;img src=x onerror=alert(1)&gt;</p>\
         <footer>— <a href=\"https://x.com/a/status/1\">on X</a></footer></blockquote>\n"
    );
    assert_eq!(
        render_error("{{ youtube(id='x\"><script>') }}"),
        (
            11,
            "`id` \"x\\\"><script>\" is not a YouTube video id (letters, digits, - and _)".into()
        )
    );
    assert_eq!(
        render_error("{{ figure(src=\"javascript:alert(1)\", alt=\"\") }}"),
        (
            10,
            "`src` \"javascript:alert(1)\" is not an http(s) URL or a path".into()
        )
    );
    assert_eq!(
        render_error("{{ x(url=\"data:text/html,hi\", text=\"t\") }}"),
        (
            5,
            "`url` \"data:text/html,hi\" is not an http(s) URL".into()
        )
    );
    assert_eq!(
        render_error("{{ vimeo(id=\"12; drop\") }}"),
        (
            9,
            "`id` \"12; drop\" is not a Vimeo video id (digits)".into()
        )
    );
}

#[test]
fn wrong_arguments_are_errors_at_their_place() {
    assert_eq!(
        render_error("Text.\n\n{{ youtube(id=\"a\", autoplay=true) }}"),
        (
            26,
            "youtube() takes no argument `autoplay` (it takes id, title)".into()
        )
    );
    assert_eq!(
        render_error("{{ youtube(title=\"t\") }}"),
        (0, "youtube() needs `id`".into())
    );
    assert_eq!(
        render_error("{{ youtube(id=3) }}"),
        (11, "`id` must be a \"string\", not a number".into())
    );
    assert_eq!(
        render_error("{{ figure(src=\"a.jpg\") }}"),
        (
            0,
            "figure() needs `alt`, the image described for readers who cannot see it (alt=\"\" for a decorative one)"
                .into()
        )
    );
    assert_eq!(
        render_error("{% x(url=\"https://x.com/a/status/1\", text=\"a\") %}b{% end %}"),
        (
            0,
            "x() takes its text as `text` or as a body, not both".into()
        )
    );
    assert_eq!(
        render_error("{{ tweet(id=\"1\") }}"),
        (
            0,
            "unknown shortcode `tweet` (there are bluesky, figure, gist, mastodon, video, vimeo, x, youtube; \
             a site's own goes in templates/shortcodes/tweet.html)"
                .into()
        )
    );
}

#[test]
fn safe_html_keeps_the_facade() {
    let mut renderer = Renderer::new(true);
    renderer.set_shortcodes(Shortcodes::built_in());
    let r = renderer
        .render("<script>x</script>\n\n{{ youtube(id=\"abc\") }}\n")
        .unwrap();
    // The article's script is gone; the facade and its script, Gazette's, are not.
    assert_eq!(
        r.html,
        format!(
            "\n<div class=\"embed embed-video\"><a class=\"embed-facade\" href=\"https://www.youtube.com/watch?v=abc\" \
             data-embed=\"https://www.youtube-nocookie.com/embed/abc?autoplay=1\"><span class=\"embed-title\">YouTube video</span> \
             <span class=\"embed-host\">YouTube</span></a></div>\n{EMBED_SCRIPT}"
        )
    );
}

#[test]
fn own_templates_override_and_add_theme_then_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("templates");
    let theme = dir.path().join("theme/templates");
    std::fs::create_dir_all(site.join("shortcodes")).unwrap();
    std::fs::create_dir_all(theme.join("shortcodes")).unwrap();
    std::fs::write(
        theme.join("shortcodes/youtube.html"),
        "<p>theme {{ id }}</p>",
    )
    .unwrap();
    std::fs::write(theme.join("shortcodes/note.html"), "<p>theme note</p>").unwrap();
    std::fs::write(
        site.join("shortcodes/note.html"),
        "<aside>{{ kind }} {{ n }} {{ body }}</aside>\n",
    )
    .unwrap();
    let shortcodes = Shortcodes::load(&site, &theme).unwrap();
    let mut renderer = Renderer::default();
    renderer.set_shortcodes(shortcodes);
    let r = renderer
        .render("{{ youtube(id=\"any thing\") }}\n\n{% note(kind=\"<b>\", n=2) %}\nSee *this*.\n{% end %}\n")
        .unwrap();
    assert_eq!(
        r.html,
        "<p>theme any thing</p>\n<aside>&lt;b&gt; 2 See *this*.</aside>\n"
    );
    std::fs::write(site.join("shortcodes/bad.html"), "{% if %}").unwrap();
    let Err(TemplatesError::Template { place, .. }) = Shortcodes::load(&site, &theme) else {
        panic!("a broken template loads")
    };
    assert_eq!(
        place,
        site.join("shortcodes/bad.html").display().to_string()
    );
}

#[test]
fn text_is_escaped_where_it_would_be_a_shortcode() {
    let source = "Say {{ youtube(id=\"zz\") }}, {% end %}, {{/* x() */}}, {{ broken(, \
                  `{{ code() }}` and {{ plain }}.";
    let escaped = as_text(source);
    assert_eq!(
        escaped,
        "Say \\{{ youtube(id=\"zz\") }}, \\{% end %}, \\{{/* x() */}}, \\{{ broken(, \
         `{{ code() }}` and {{ plain }}."
    );
    assert_eq!(parse(&escaped).unwrap(), None);
    assert_eq!(
        html(&escaped),
        "<p>Say {{ youtube(id=\"zz\") }}, {% end %}, {{/* x() */}}, {{ broken(, \
         <code>{{ code() }}</code> and {{ plain }}.</p>\n"
    );
    assert!(matches!(as_text("{{ plain }}"), Cow::Borrowed(_)));
}
