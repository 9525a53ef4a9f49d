//! Live reload in a real browser: headless Chromium (Debian's `chromium`) opens a served
//! page; editing the article reloads it with the change, and a broken template shows its
//! error over the page until fixed. Driven over the DevTools protocol.
//!
//! `.ci/run` installs Chromium and sets GAZETTE_REQUIRE_VALIDATOR=1, so CI never skips
//! this; without Chromium on a developer machine the test says so and passes.

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
    if found.is_none() && std::env::var_os("GAZETTE_REQUIRE_VALIDATOR").is_some() {
        panic!("GAZETTE_REQUIRE_VALIDATOR is set but chromium is not installed");
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
        self.id += 1;
        let request = serde_json::json!({
            "id": self.id,
            "method": "Runtime.evaluate",
            "params": { "expression": expression, "returnByValue": true },
        });
        self.socket
            .send(tungstenite::Message::Text(request.to_string().into()))
            .unwrap();
        loop {
            if let tungstenite::Message::Text(text) = self.socket.read().unwrap() {
                let reply: serde_json::Value = serde_json::from_str(&text).unwrap();
                if reply["id"] == self.id {
                    return reply["result"]["result"]["value"].clone();
                }
            }
        }
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
