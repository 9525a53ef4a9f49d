//! Pages in a real browser, headless Chromium (Debian's `chromium`), driven over the
//! DevTools protocol: live reload (editing the article reloads a served page with the
//! change, and a broken template shows its error over the page until fixed), and search
//! (a word typed on the search page of a site published under a path prefix finds its
//! article).
//!
//! And safety: an import carrying every kind of script, handler and `javascript:` URL
//! builds pages where none of them fires, even when clicked.
//!
//! `.ci/run` installs Chromium and sets GAZETTE_REQUIRE_VALIDATOR=1, and CI services set
//! CI=true: with either, a missing Chromium fails these tests; without, on a developer
//! machine, each says so and passes.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use common::{TestSite, wait_until};

fn chromium() -> Option<String> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_none() && common::tools_required() {
        panic!("chromium is not installed, and CI=true or GAZETTE_REQUIRE_VALIDATOR asks for it");
    }
    found.map(str::to_string)
}

struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    devtools_port: u16,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn open(binary: &str, url: &str) -> Browser {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(binary)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    // Chromium logs a lot: its stderr is drained for good, or it would block on a full
    // pipe; the DevTools port is picked out on the way.
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if let Some(rest) = line.split("DevTools listening on ws://127.0.0.1:").nth(1) {
                let _ = port_tx.send(rest.split('/').next().and_then(|p| p.parse::<u16>().ok()));
            }
        }
    });
    let port = port_rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .ok()
        .flatten();
    Browser {
        child,
        _profile: profile,
        devtools_port: port.expect("chromium printed its DevTools address"),
    }
}

/// A GET to the DevTools HTTP endpoint, which keeps connections open: the body is read
/// by its Content-Length.
fn http_get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    String::from_utf8_lossy(&body).into_owned()
}

/// A DevTools connection to the page showing `url_part`.
struct Page {
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    id: u64,
}

impl Page {
    fn attach(browser: &Browser, url_part: &str) -> Page {
        let ws = wait_until(|| {
            let list: serde_json::Value =
                serde_json::from_str(&http_get(browser.devtools_port, "/json/list")).ok()?;
            list.as_array()?
                .iter()
                .find(|t| {
                    t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.contains(url_part))
                })
                .and_then(|t| t["webSocketDebuggerUrl"].as_str().map(str::to_string))
        })
        .expect("the page is open");
        let (socket, _) = tungstenite::connect(ws).unwrap();
        if let tungstenite::stream::MaybeTlsStream::Plain(stream) = socket.get_ref() {
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(20)))
                .unwrap();
        }
        Page { socket, id: 0 }
    }

    /// Evaluates `expression` in the page and returns its value.
    fn eval(&mut self, expression: &str) -> serde_json::Value {
        let params = serde_json::json!({ "expression": expression, "returnByValue": true });
        self.call("Runtime.evaluate", params)["result"]["result"]["value"].clone()
    }

    /// Calls the DevTools method `method` on the page and waits for its reply.
    fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.id += 1;
        let request = serde_json::json!({ "id": self.id, "method": method, "params": params });
        self.socket
            .send(tungstenite::Message::Text(request.to_string().into()))
            .unwrap();
        loop {
            if let tungstenite::Message::Text(text) = self.socket.read().unwrap() {
                let reply: serde_json::Value = serde_json::from_str(&text).unwrap();
                if reply["id"] == self.id {
                    return reply;
                }
            }
        }
    }

    /// Empties the focused text field and types `text` into it, as a reader would.
    fn type_text(&mut self, text: &str) {
        self.eval("document.activeElement.select()");
        self.call("Input.insertText", serde_json::json!({ "text": text }));
    }

    /// Waits until `expression` is true in the page.
    fn wait_for(&mut self, expression: &str) {
        assert!(
            wait_until(|| (self.eval(expression) == serde_json::Value::Bool(true)).then_some(()))
                .is_some(),
            "never true in the browser: {expression}"
        );
    }
}

#[test]
fn a_served_page_reloads_with_the_edit_and_shows_errors_until_fixed() {
    let Some(binary) = chromium() else {
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let site = TestSite::new();
    site.article(
        "one",
        "title = \"One\"\ndate = 2024-01-01",
        "First version.",
    );
    let server = site.spawn(&["serve", "--port", "0"]);
    let line = server.wait_for_line("serving the site at ");
    let url = line.split(' ').nth(4).unwrap().to_string();
    let browser = open(&binary, &format!("{url}one/"));
    let mut page = Page::attach(&browser, "/one/");
    page.wait_for("document.body.innerText.includes('First version.')");
    // Mark this document: a reload replaces it, so the mark disappears.
    page.eval("window.gazetteMark = 1");

    site.article(
        "one",
        "title = \"One\"\ndate = 2024-01-01",
        "Second version.",
    );
    page.wait_for(
        "document.body.innerText.includes('Second version.') && window.gazetteMark === undefined",
    );

    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}{{ nope }}{% endblock content %}",
    );
    page.wait_for("!!document.getElementById('gazette-error') && document.getElementById('gazette-error').textContent.includes('templates/article.html')");
    site.remove("templates/article.html");
    page.wait_for("!document.getElementById('gazette-error') && document.body.innerText.includes('Second version.')");
}

/// A static file server (Python's) for `dir` on a free port, like any static host: it
/// knows nothing of Gazette.
struct StaticHost {
    child: Child,
    port: u16,
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn static_host(dir: &std::path::Path, port: u16) -> StaticHost {
    let child = Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
        ])
        .arg("--directory")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start python3 -m http.server");
    wait_until(|| TcpStream::connect(("127.0.0.1", port)).ok()).expect("the server listens");
    StaticHost { child, port }
}

/// Builds the site into `www/news/` and serves `www/` on `port` with a plain static
/// server: a site published below a path prefix, as on GitHub Pages.
fn publish_under_news(site: &TestSite, port: u16) -> StaticHost {
    let www = site.path().join("www");
    site.run(&["build", "--output", www.join("news").to_str().unwrap()])
        .success();
    static_host(&www, port)
}

#[test]
fn a_word_typed_on_the_search_page_finds_its_article_first() {
    let Some(binary) = chromium() else {
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let port = free_port();
    // Published below a path prefix: results must link inside it.
    let site = TestSite::with_config(&format!(
        "title = \"Test News\"\nbase_url = \"http://127.0.0.1:{port}/news/\"\n[search]\nenabled = true\n"
    ));
    site.article(
        "rockets",
        "title = \"Rockets launched at dawn\"\ndate = 2024-03-01\nauthors = [\"Ada Byte\"]",
        "Three rockets lifted off before sunrise.",
    );
    site.article(
        "zoo",
        "title = \"A new arrival at the zoo\"\ndate = 2024-03-02",
        "Keepers welcomed a quokka, the first the zoo has kept, and a rocket-shaped cake \
         from the Café Ünïcorn.",
    );
    site.article(
        "markets",
        "title = \"Markets slept\"\ndate = 2024-03-03",
        "Nothing moved all week.",
    );
    let host = publish_under_news(&site, port);
    let browser = open(
        &binary,
        &format!("http://127.0.0.1:{}/news/search/", host.port),
    );
    let mut page = Page::attach(&browser, "/news/search/");
    page.wait_for("document.getElementById('search').classList.contains('search-ready')");
    page.eval("document.getElementById('search-query').focus()");

    page.type_text("quokka");
    page.wait_for("document.querySelectorAll('.search-result').length === 1");
    assert_eq!(
        page.eval("document.querySelector('.search-result a').href"),
        format!("http://127.0.0.1:{port}/news/zoo/")
    );
    assert_eq!(
        page.eval("document.querySelector('.search-result mark').textContent"),
        "quokka"
    );
    assert_eq!(
        page.eval("new URL(location.href).searchParams.get('q')"),
        "quokka"
    );

    // Stemmed: "launches" finds "launched"; the title's word ranks its article first.
    page.type_text("rocket");
    page.wait_for("document.querySelectorAll('.search-result').length === 2");
    assert_eq!(
        page.eval("document.querySelector('.search-result a').href"),
        format!("http://127.0.0.1:{port}/news/rockets/")
    );
    // Filters and order, fetched when opened.
    page.eval("document.querySelector('.search-filters summary').click()");
    page.wait_for("!!document.querySelector('select[data-facet=author]')");
    page.eval(
        "const order = document.querySelector('select[data-order]'); order.value = 'newest'; \
         order.dispatchEvent(new Event('change', { bubbles: true }))",
    );
    page.wait_for("document.querySelector('.search-result a').href.endsWith('/news/zoo/')");
    page.eval(
        "const by = document.querySelector('select[data-facet=author]'); by.value = 'Ada Byte'; \
         by.dispatchEvent(new Event('change', { bubbles: true }))",
    );
    page.wait_for(
        "document.querySelectorAll('.search-result').length === 1 && \
         document.querySelector('.search-result a').href.endsWith('/news/rockets/')",
    );
    page.eval("document.getElementById('search-query').focus()");
    page.type_text("launches");
    page.wait_for("document.querySelector('.search-status').textContent.startsWith('1 result')");

    // The browser splits and lowercases words as the builder did, accents and all.
    page.type_text("CAFÉ ünïcorn");
    page.wait_for(
        "document.querySelectorAll('.search-result').length === 1 && \
         [...document.querySelectorAll('.search-result mark')].map(m => m.textContent).join() === 'Café,Ünïcorn'",
    );

    page.type_text("zeppelin");
    page.wait_for(
        "document.querySelector('.search-status').textContent === 'No results for “zeppelin”.'",
    );
    assert_eq!(
        page.eval("document.querySelectorAll('.search-result').length"),
        0
    );

    // The masthead's box on any page leads to the results.
    page.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{port}/news/markets/") }),
    );
    page.wait_for("location.pathname === '/news/markets/' && document.readyState === 'complete'");
    page.eval("document.getElementById('masthead-query').focus()");
    page.type_text("quokka");
    page.eval("document.getElementById('masthead-query').form.requestSubmit()");
    page.wait_for("location.pathname === '/news/search/' && document.querySelectorAll('.search-result').length === 1");
}

#[test]
fn an_old_query_link_leads_to_its_article() {
    let Some(binary) = chromium() else {
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let port = free_port();
    let site = TestSite::with_config(&format!(
        "title = \"Test News\"\nbase_url = \"http://127.0.0.1:{port}/news/\"\n"
    ));
    site.article(
        "launch",
        "title = \"Launch\"\ndate = 2024-03-01\naliases = [\"/?p=11\"]",
        "Lift-off.",
    );
    site.article(
        "about",
        "title = \"About\"\ndate = 2024-03-02\naliases = [\"/?page_id=7\"]",
        "Who we are.",
    );
    let host = publish_under_news(&site, port);
    // Below a path prefix, as WordPress's short link from an old page would come.
    let browser = open(
        &binary,
        &format!("http://127.0.0.1:{}/news/?p=11", host.port),
    );
    let mut page = Page::attach(&browser, "/news/");
    page.wait_for("location.pathname === '/news/launch/'");

    page.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{port}/news/?page_id=7") }),
    );
    page.wait_for("location.pathname === '/news/about/'");

    // Any other query stays on the page it asked for.
    page.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{port}/news/?utm_source=feed") }),
    );
    page.wait_for("document.readyState === 'complete'");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(
        page.eval("location.pathname + location.search"),
        "/news/?utm_source=feed"
    );
    page.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{port}/news/?p=999") }),
    );
    page.wait_for("document.readyState === 'complete'");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(
        page.eval("location.pathname + location.search"),
        "/news/?p=999"
    );
}

/// An old URL with a fragment (`/old/#section`) lands on the same section of the new one:
/// the redirect page's script keeps it, where its refresh would drop it.
#[test]
fn an_alias_keeps_the_fragment_it_was_asked_with() {
    let Some(binary) = chromium() else {
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let port = free_port();
    let site = TestSite::with_config(&format!(
        "title = \"Test News\"\nbase_url = \"http://127.0.0.1:{port}/news/\"\n"
    ));
    site.article(
        "launch",
        "title = \"Launch\"\ndate = 2024-03-01\naliases = [\"/2014/old-launch.html\", \"/old/\"]",
        "Lift-off.\n\n## The countdown\n\nTen, nine.",
    );
    let host = publish_under_news(&site, port);
    let browser = open(
        &binary,
        &format!("http://127.0.0.1:{}/news/old/#the-countdown", host.port),
    );
    let mut page = Page::attach(&browser, "/news/");
    page.wait_for("location.pathname === '/news/launch/'");
    assert_eq!(page.eval("location.hash"), "#the-countdown");
    assert_eq!(
        page.eval("document.getElementById('the-countdown').textContent"),
        "The countdown"
    );
    // Without a fragment, and from an old file name, it lands on the page itself.
    page.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{port}/news/") }),
    );
    page.wait_for("location.pathname === '/news/'");
    page.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{port}/news/2014/old-launch.html") }),
    );
    page.wait_for("location.pathname === '/news/launch/' && document.readyState === 'complete'");
    assert_eq!(
        page.eval("location.href"),
        format!("http://127.0.0.1:{port}/news/launch/")
    );
}

/// What a WordPress post can carry that would run: each payload, if it ran, would set
/// `top.pwned` to its name.
const WORDPRESS_PAYLOADS: &str = r#"<details open ontoggle="top.pwned='details'"><summary>More</summary>Hidden</details>

<video src="http://127.0.0.1:9/v.mp4" onerror="top.pwned='video'"></video>

<iframe src="javascript:top.pwned='iframe-javascript'"></iframe>

<iframe srcdoc="<script>top.pwned='srcdoc'</script>"></iframe>

<iframe src="https://www.youtube.com/embed/abc" width="560"></iframe>

<svg onload="top.pwned='svg'"><circle r="1"></circle></svg>

<img src="http://127.0.0.1:9/a.png" onerror="top.pwned='img'"> <IMG SRC="http://127.0.0.1:9/b.png" ONERROR="top.pwned='IMG'">

<a href="javascript:top.pwned='a'">a</a> <a href="jav&#x61;script:top.pwned='entity'">entity</a> <a href="JaVaScRiPt:top.pwned='case'">case</a> <a href=" java	script:top.pwned='tab'">tab</a> <a href="&#x20;javascript:top.pwned='space'">space</a> <a href="vbscript:top.pwned='vb'">vb</a> <a href="data:text/html,<script>top.pwned='data'</script>">data</a>

<form action="javascript:top.pwned='form'"><button>Go</button></form>

<meta http-equiv="refresh" content="0;url=/news/moved/">

<object data="javascript:top.pwned='object'"></object><embed src="javascript:top.pwned='embed'">

<base href="https://evil.example/">

<math><mtext><table><mglyph><style><img src="http://127.0.0.1:9/c.png" onerror="top.pwned='math'"></style></mglyph></table></mtext></math>

<noscript><p title="</noscript><img src=http://127.0.0.1:9/d.png onerror=top.pwned='noscript'>"></p></noscript>

<script>top.pwned='script'</script>

<h2>Heading {onclick=top.pwned='heading'}</h2>"#;

/// The same in a Hugo site's Markdown: raw HTML blocks and inline tags, links,
/// autolinks, heading attributes and the issue's gist shortcode.
const HUGO_PAYLOADS: &str = r#"+++
title = "Raw"
date = 2024-01-03
+++
<div class="note" onmouseover="top.pwned='div'">

Some **Markdown** <img src="http://127.0.0.1:9/e.png" onerror="top.pwned='md-img'"> and <span onclick="top.pwned='span'">click</span>.

</div>

A [link](javascript:top.pwned='md-link'), <javascript:top.pwned='autolink'>, [x](jav&#x61;script:top.pwned='md-entity') and [ref][r].

[r]: vbscript:top.pwned='ref'

# Heading {onclick=top.pwned='md-heading'}

{{< gist "u\"><script>top.pwned='gist'</script>" "1" >}}

<script>top.pwned='md-script'</script>
"#;

/// A Hugo content file that is HTML.
const HUGO_HTML: &str = r#"---
title: Other
date: 2024-01-04
---
<p>Hi <svg><animate onbegin="top.pwned='animate'" attributeName="x" dur="1s"></animate></svg> there.</p>
<iframe src="https://evil.example/"></iframe>
<p><a href="JAVASCRIPT:top.pwned='html-link'">go</a></p>
"#;

#[test]
fn nothing_an_import_carries_runs_in_the_browser() {
    let Some(binary) = chromium() else {
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let port = free_port();
    let site = TestSite::with_config(&format!(
        "title = \"Test News\"\nbase_url = \"http://127.0.0.1:{port}/news/\"\n"
    ));
    site.write(
        "old/export.xml",
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" \
             xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n\
             <channel><title>Old</title><link>https://old.example.com</link>\n\
             <item><title>Payloads</title><link>https://old.example.com/payloads/</link>\
             <content:encoded><![CDATA[{WORDPRESS_PAYLOADS}]]></content:encoded>\
             <wp:post_id>12</wp:post_id><wp:post_date_gmt>2024-01-02 10:00:00</wp:post_date_gmt>\
             <wp:post_name>payloads</wp:post_name><wp:status>publish</wp:status>\
             <wp:post_type>post</wp:post_type></item>\n</channel></rss>\n"
        ),
    )
    .write("hugo/hugo.toml", "baseURL = \"https://old.example.com/\"\n")
    .write("hugo/content/posts/raw.md", HUGO_PAYLOADS)
    .write("hugo/content/posts/other.html", HUGO_HTML);
    site.run(&["import", "--from", "wordpress", "old/export.xml"])
        .success();
    site.run(&["import", "--from", "hugo", "hugo"]).success();
    let host = publish_under_news(&site, port);

    let pages = ["/news/payloads/", "/news/posts/raw/", "/news/posts/other/"];
    let browser = open(
        &binary,
        &format!("http://127.0.0.1:{}{}", host.port, pages[0]),
    );
    let mut page = Page::attach(&browser, pages[0]);
    for path in pages {
        page.call(
            "Page.navigate",
            serde_json::json!({ "url": format!("http://127.0.0.1:{port}{path}") }),
        );
        page.wait_for(&format!(
            "location.pathname === '{path}' && document.readyState === 'complete'"
        ));
        // Time for what fires by itself: load and error events, a toggle, a refresh.
        std::thread::sleep(std::time::Duration::from_millis(700));
        assert_eq!(page.eval("String(window.pwned)"), "undefined", "{path}");
        assert_eq!(page.eval("location.pathname"), path);
        assert_eq!(
            page.eval("document.baseURI"),
            format!("http://127.0.0.1:{port}{path}")
        );
        // No link left that would run script or show a page of its own making, and no
        // handler on anything.
        assert_eq!(
            page.eval(
                "[...document.querySelectorAll('a, area')].filter(a => a.href && !['http:', 'https:', 'mailto:'].includes(a.protocol)).map(a => a.href)"
            ),
            serde_json::json!([]),
            "{path}"
        );
        assert_eq!(
            page.eval(
                "[...document.querySelectorAll('.body *')].flatMap(e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
            ),
            serde_json::json!([]),
            "{path}"
        );
        // Clicked and hovered, everything: a link elsewhere is stopped (it runs nothing),
        // a javascript: one would run.
        page.eval(
            "document.addEventListener('click', e => { const a = e.target.closest('a[href]'); \
             if (a && ['http:', 'https:'].includes(a.protocol)) e.preventDefault(); }, true); \
             for (const e of document.querySelectorAll('.body *')) { \
             e.dispatchEvent(new MouseEvent('mouseover', { bubbles: true })); e.click(); }",
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert_eq!(page.eval("String(window.pwned)"), "undefined", "{path}");
        assert_eq!(page.eval("location.pathname"), path);
    }
    // The player's frame stayed, sandboxed; the others are gone.
    page.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{port}{}", pages[0]) }),
    );
    page.wait_for("document.readyState === 'complete'");
    assert_eq!(
        page.eval(
            "[...document.querySelectorAll('iframe')].map(f => f.src + ' ' + f.sandbox.value)"
        ),
        serde_json::json!([
            "https://www.youtube.com/embed/abc allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation"
        ])
    );
}

#[test]
fn the_breaking_news_banner_shows_and_links_its_story_on_phones_and_desktops() {
    let Some(binary) = chromium() else {
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let port = free_port();
    let site = TestSite::with_config(&format!(
        "title = \"Test News\"\nbase_url = \"http://127.0.0.1:{port}/news/\"\n[search]\nenabled = true\n"
    ));
    site.article(
        "quake",
        "title = \"A strong earthquake stops the island's largest chip plant\"\ndate = 2024-03-01\nbreaking = true",
        "The fab stopped.",
    );
    site.story("calm", "A calm day", "2024-02-01");
    let host = publish_under_news(&site, port);
    let browser = open(
        &binary,
        &format!("http://127.0.0.1:{}/news/calm/", host.port),
    );
    let mut page = Page::attach(&browser, "/news/calm/");
    for (width, height, mobile) in [(412, 915, true), (1280, 800, false)] {
        page.call(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
        );
        page.call(
            "Page.navigate",
            serde_json::json!({ "url": format!("http://127.0.0.1:{port}/news/calm/") }),
        );
        page.wait_for(
            "document.readyState === 'complete' && location.pathname === '/news/calm/' && innerWidth > 0",
        );
        assert_eq!(page.eval("innerWidth"), serde_json::json!(width));
        // On screen without scrolling, whole, and nothing scrolls sideways.
        let seen = page.eval(
            "(() => { const a = document.querySelector('.breaking a'); const r = a.getBoundingClientRect(); \
             const s = getComputedStyle(document.querySelector('.breaking')); \
             return [a.href, r.width > 0 && r.height > 0, r.top >= 0 && r.bottom <= innerHeight, r.left >= 0 && r.right <= innerWidth, \
             s.display !== 'none' && s.visibility === 'visible', document.documentElement.scrollWidth <= innerWidth, \
             (() => { const f = a.getClientRects()[0]; return document.elementFromPoint(f.left + f.width / 2, f.top + f.height / 2) === a; })()]; })()",
        );
        assert_eq!(
            seen,
            serde_json::json!([
                format!("http://127.0.0.1:{port}/news/quake/"),
                true,
                true,
                true,
                true,
                true,
                true
            ]),
            "at {width} px"
        );
        page.eval("document.querySelector('.breaking a').click()");
        page.wait_for("location.pathname === '/news/quake/'");
    }
}

/// A YouTube embed on a 360 px phone: nothing scrolls sideways, and a tap on the facade
/// puts the cookie-less player in its place (its address is checked, not its loading:
/// the test needs no network).
#[test]
fn a_video_facade_fits_a_phone_and_becomes_the_player_on_a_click() {
    let Some(binary) = chromium() else {
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let port = free_port();
    let site = TestSite::with_config(&format!(
        "title = \"Test News\"\nbase_url = \"http://127.0.0.1:{port}/news/\"\n"
    ));
    site.article(
        "launch",
        "title = \"The launch\"\ndate = 2024-03-01",
        "Watch the launch.\n\n\
         {{ youtube(id=\"dQw4w9WgXcQ\", title=\"Launch-day-coverage-from-the-pad-without-any-spaces-at-all\") }}\n\n\
         {{ x(url=\"https://x.com/someone_with_a_long_name/status/12345678901234567890\", \
         text=\"https://example.com/a-very-long-address-without-spaces-that-would-push-the-page-wider\") }}\n\n\
         After the video.",
    );
    let host = publish_under_news(&site, port);
    let browser = open(&binary, "about:blank");
    let mut page = Page::attach(&browser, "about:blank");
    page.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": true }),
    );
    page.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{}/news/launch/", host.port) }),
    );
    page.wait_for("location.pathname === '/news/launch/' && document.readyState === 'complete'");
    let no_sideways_scroll =
        "document.documentElement.scrollWidth <= window.innerWidth && window.innerWidth === 360";
    assert_eq!(page.eval(no_sideways_scroll), true);
    // 16:9 across the column.
    assert_eq!(
        page.eval(
            "(() => { const r = document.querySelector('.embed-video').getBoundingClientRect(); \
             return r.width > 300 && Math.abs(r.width * 9 / 16 - r.height) < 1.5; })()"
        ),
        true
    );
    assert_eq!(page.eval("document.querySelectorAll('iframe').length"), 0);

    page.eval("document.querySelector('a[data-embed]').scrollIntoView({block: 'center'})");
    let point = page.eval(
        "(() => { const r = document.querySelector('a[data-embed]').getBoundingClientRect(); \
         return [r.x + r.width / 2, r.y + r.height / 2]; })()",
    );
    for kind in ["mousePressed", "mouseReleased"] {
        page.call(
            "Input.dispatchMouseEvent",
            serde_json::json!({ "type": kind, "x": point[0], "y": point[1], "button": "left", "clickCount": 1 }),
        );
    }
    page.wait_for("document.querySelectorAll('.embed-video iframe').length === 1");
    assert_eq!(
        page.eval("document.querySelector('.embed-video iframe').getAttribute('src')"),
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    );
    assert_eq!(page.eval("location.pathname"), "/news/launch/");
    assert_eq!(
        page.eval("document.querySelectorAll('a[data-embed]').length"),
        0
    );
    assert_eq!(
        page.eval(
            "(() => { const f = document.querySelector('.embed-video iframe').getBoundingClientRect(); \
             const b = document.querySelector('.embed-video').getBoundingClientRect(); \
             return f.width === b.width && f.height === b.height; })()"
        ),
        true
    );
    assert_eq!(page.eval(no_sideways_scroll), true);
}

/// A JPEG of `width` × `height` in bands of colour: a lead image as a newsroom's would be.
fn picture(width: u32, height: u32, shade: u8) -> Vec<u8> {
    let bands = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([shade, (x * 255 / width) as u8, (y * 255 / height) as u8])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    bands
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .unwrap();
    bytes.into_inner()
}

#[test]
fn the_front_page_is_a_grid_on_a_desktop_and_one_column_on_a_phone() {
    let Some(binary) = chromium() else {
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let port = free_port();
    let site = TestSite::with_config(&format!(
        "title = \"The Morning Wire\"\nbase_url = \"http://127.0.0.1:{port}/\"\ndescription = \"Technology news.\"\n[search]\nenabled = true\n"
    ));
    // Enough stories with images for the lead and the tier, and two sections with blocks
    // (names long enough that the phone's row of sections must scroll).
    for n in 0..15u8 {
        let folder = ["news", "reviews", "long-reads-and-features"][usize::from(n % 3)];
        site.write(
            &format!("static/images/p{n}.jpg"),
            picture(960, 540, n * 16),
        );
        site.article(
            &format!("{folder}/story-{n}"),
            &format!(
                "title = \"Story {n}: a headline long enough to wrap over two lines or three\"\ndate = 2024-03-{:02}\nauthors = [\"Ann Lee\"]\nimage = \"/images/p{n}.jpg\"\nimage_alt = \"Bands of colour\"{}",
                10 + n,
                if n == 2 { "\npinned = true" } else { "" }
            ),
            "A paragraph of the story, which the front page shows as its summary.",
        );
    }
    let www = site.path().join("www");
    site.run(&["build", "--output", www.to_str().unwrap()])
        .success();
    let host = static_host(&www, port);
    let browser = open(&binary, &format!("http://127.0.0.1:{}/", host.port));
    let mut page = Page::attach(&browser, &format!(":{port}/"));
    // The tab is listed at its URL before the document loads.
    page.wait_for("document.readyState === 'complete' && !!document.querySelector('.lead-story')");
    let mut at = |width: u32, mobile: bool| {
        let metrics = serde_json::json!({
            "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile
        });
        page.call("Emulation.setDeviceMetricsOverride", metrics);
        page.eval(
            "(() => {
                const box = e => e.getBoundingClientRect();
                const tier = [...document.querySelectorAll('.tier > li')].map(box);
                return {
                    lead: box(document.querySelector('.lead-story')).width,
                    lead_text: document.querySelector('.lead-story h2').textContent,
                    tier_widths: tier.map(b => Math.round(b.width)),
                    tier_rows: new Set(tier.map(b => Math.round(b.top))).size,
                    tier_columns: new Set(tier.map(b => Math.round(b.left))).size,
                    blocks: [...document.querySelectorAll('.block h2')].map(h => h.textContent),
                    block_columns: new Set([...document.querySelectorAll('.block')].map(b => Math.round(box(b).left))).size,
                    masthead: box(document.querySelector('.masthead')).height,
                    scroll: document.documentElement.scrollWidth,
                    viewport: document.documentElement.clientWidth,
                };
            })()",
        )
    };

    let desktop = at(1280, false);
    assert_eq!(
        desktop["lead_text"], "Story 2: a headline long enough to wrap over two lines or three",
        "the pinned story leads"
    );
    let tier: Vec<f64> = desktop["tier_widths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_f64().unwrap())
        .collect();
    assert_eq!(tier.len(), 4, "{desktop}");
    assert_eq!(
        desktop["tier_rows"], 1,
        "four top stories side by side: {desktop}"
    );
    assert!(
        desktop["lead"].as_f64().unwrap() > 3.0 * tier[0],
        "{desktop}"
    );
    assert!(
        desktop["lead"].as_f64().unwrap() > 1100.0,
        "the window's width: {desktop}"
    );
    assert_eq!(
        desktop["block_columns"], 2,
        "blocks side by side, the river beside them: {desktop}"
    );
    assert_eq!(desktop["scroll"], desktop["viewport"], "{desktop}");

    let phone = at(412, true);
    assert_eq!(phone["tier_columns"], 1, "one column: {phone}");
    assert_eq!(phone["tier_rows"], 4, "{phone}");
    assert_eq!(phone["block_columns"], 1, "{phone}");
    assert!(phone["masthead"].as_f64().unwrap() < 120.0, "{phone}");
    assert_eq!(
        phone["scroll"], 412,
        "nothing wider than the phone: {phone}"
    );

    let small = at(360, true);
    assert_eq!(
        small["scroll"], 360,
        "no sideways scrolling at 360 px: {small}"
    );
    assert!(small["masthead"].as_f64().unwrap() < 120.0, "{small}");
}
