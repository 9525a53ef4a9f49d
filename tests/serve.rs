//! `gazette serve`: the built site over HTTP with live reload, and nothing else.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;

use common::{Running, TestSite, wait_until};

/// Starts `gazette serve --port 0` and returns it with its base URL's port.
fn serve(site: &TestSite, extra: &[&str]) -> (Running, u16) {
    let mut args = vec!["serve", "--port", "0"];
    args.extend_from_slice(extra);
    let server = site.spawn(&args);
    let line = server.wait_for_line("serving the site at http://");
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    (server, port)
}

struct Response {
    status: u16,
    headers: String,
    body: String,
}

/// A raw HTTP/1.1 GET: the path is sent exactly as given (no client-side cleaning).
fn get(port: u16, path: &str) -> Response {
    get_from(port, path, &format!("127.0.0.1:{port}"))
}

/// [`get`] with the given `Host` header.
fn get_from(port: u16, path: &str, host: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    Response {
        status: head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0),
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

fn news_site() -> TestSite {
    let site = TestSite::new();
    site.story("one", "One", "2024-01-01");
    site.write("static/notes.txt", "plain text");
    site
}

#[test]
fn pages_are_served_with_types_index_files_and_the_sites_404() {
    let site = news_site();
    let (_server, port) = serve(&site, &[]);
    let home = get(port, "/");
    assert_eq!(home.status, 200);
    assert!(
        home.headers
            .contains("content-type: text/html; charset=utf-8")
    );
    // Links point at the local server, and the live-reload script is added on the way out.
    assert!(
        home.body.contains(&format!("http://127.0.0.1:{port}/one/")),
        "{}",
        home.body
    );
    assert!(home.body.contains("/__gazette/livereload"));

    assert_eq!(get(port, "/one/").status, 200);
    let folder = get(port, "/one");
    assert_eq!(folder.status, 301);
    assert!(folder.headers.contains("location: /one/"));
    let css = get(port, "/style.css");
    assert!(
        css.headers.contains("content-type: text/css"),
        "{}",
        css.headers
    );
    assert!(get(port, "/notes.txt").headers.contains("text/plain"));
    assert!(get(port, "/sitemap.xml").headers.contains("xml"));

    let missing = get(port, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found") || missing.body.contains("404"),
        "{}",
        missing.body
    );

    // Nothing of the dev server lands in the site's own output folder.
    assert!(!site.exists("public/index.html"));
}

#[test]
fn nothing_outside_the_output_folder_is_ever_served() {
    let site = news_site();
    site.write("secret.txt", "do not serve");
    let (_server, port) = serve(&site, &[]);
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/one/..%2f..%2fsecret.txt",
        "//etc/passwd",
        "/config.toml",
        "/content/one.md",
        "/%00",
    ] {
        let response = get(port, path);
        assert_eq!(response.status, 404, "{path}");
        assert!(
            !response.body.contains("do not serve") && !response.body.contains("root:"),
            "{path}"
        );
    }
}

#[test]
fn binds_to_loopback_by_default_and_a_busy_port_is_a_clear_error() {
    let site = news_site();
    let (server, port) = serve(&site, &[]);
    assert!(server.stderr().contains("http://127.0.0.1:"));
    let taken = site.run(&["serve", "--port", &port.to_string()]).failure();
    assert!(taken.contains(&format!("127.0.0.1:{port}")), "{taken}");
    assert!(taken.contains("--port"), "{taken}");
    let bad = site.run(&["serve", "--bind", "not-an-address"]);
    assert_eq!(bad.output.status.code(), Some(1));
}

#[test]
fn browsers_hear_of_rebuilds_and_errors_over_the_live_reload_socket() {
    let site = news_site();
    let (server, port) = serve(&site, &[]);
    let (mut socket, _) =
        tungstenite::connect(format!("ws://127.0.0.1:{port}/__gazette/livereload")).unwrap();
    let mut next = || loop {
        if let tungstenite::Message::Text(text) = socket.read().unwrap() {
            return serde_json::from_str::<serde_json::Value>(&text).unwrap();
        }
    };
    let hello = next();
    assert_eq!(hello["type"], "hello", "{hello}");
    assert!(hello["generation"].is_u64(), "{hello}");
    site.article("one", "title = \"One\"\ndate = 2024-01-01", "Edited.");
    assert_eq!(next()["type"], "reload");
    assert!(get(port, "/one/").body.contains("Edited."));

    site.write("static/style.css", "body { color: red }");
    assert_eq!(next()["type"], "css", "only a stylesheet changed");

    site.write("templates/article.html", "{% if %}");
    let error = next();
    assert_eq!(error["type"], "error");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("templates/article.html:1:"),
        "{error}"
    );
    assert!(
        get(port, "/one/").body.contains("Edited."),
        "the last good page stays"
    );
    site.remove("templates/article.html");
    assert_eq!(next()["type"], "reload");
    drop(server);
}

#[test]
fn a_browser_that_connects_after_a_rebuild_it_missed_is_told_to_reload() {
    let site = news_site();
    let (_server, port) = serve(&site, &[]);
    let generation_of = |page: &str| -> u64 {
        let (_, rest) = page
            .split_once("var served = ")
            .expect("the live-reload script");
        rest[..rest.find(';').unwrap()].parse().unwrap()
    };
    let served = generation_of(&get(port, "/one/").body);
    // The page is open, its socket not yet connected, and a rebuild comes and goes.
    site.article("one", "title = \"One\"\ndate = 2024-01-01", "Edited.");
    let rebuilt = || {
        let page = get(port, "/one/").body;
        (page.contains("Edited.") && generation_of(&page) != served).then_some(())
    };
    assert!(wait_until(rebuilt).is_some());
    let (mut socket, _) =
        tungstenite::connect(format!("ws://127.0.0.1:{port}/__gazette/livereload")).unwrap();
    let tungstenite::Message::Text(text) = socket.read().unwrap() else {
        panic!("a text message first");
    };
    let hello: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(hello["type"], "hello");
    assert_ne!(
        hello["generation"].as_u64(),
        Some(served),
        "the page must reload"
    );
    assert_eq!(
        generation_of(&get(port, "/one/").body),
        hello["generation"].as_u64().unwrap(),
        "a page served now is current"
    );
}

#[test]
fn many_clients_are_served_without_errors_while_rebuilding() {
    let site = news_site();
    for n in 0..30 {
        site.story(&format!("s{n}"), &format!("Story {n}"), "2024-01-02");
    }
    let (server, port) = serve(&site, &[]);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..8)
        .map(|c| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut served = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    for path in ["/", "/one/", &format!("/s{c}/"), "/atom.xml", "/tags/"] {
                        let r = get(port, path);
                        assert_eq!(r.status, 200, "{path}");
                        served += 1;
                    }
                }
                served
            })
        })
        .collect();
    for round in 0..10 {
        site.article(
            "one",
            "title = \"One\"\ndate = 2024-01-01",
            &format!("Round {round}."),
        );
        server.wait_for_count("content/one.md changed", round + 1);
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let served: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
    assert!(served > 100, "{served}");
}

#[test]
fn stopping_the_server_removes_its_temporary_folder() {
    let site = news_site();
    let (server, port) = serve(&site, &[]);
    let served = get(port, "/").body;
    assert!(served.contains("One"));
    let line = server.wait_for_line("serving the site at");
    let folder = std::path::PathBuf::from(
        line.split(" from ")
            .nth(1)
            .and_then(|rest| rest.strip_suffix(" (Ctrl-C to stop)"))
            .unwrap(),
    );
    assert!(folder.join("index.html").exists(), "{line}");
    let status = server.terminate();
    assert!(status.success() || status.code().is_none(), "{status:?}");
    assert!(
        wait_until(|| TcpStream::connect(("127.0.0.1", port)).err()).is_some(),
        "the port is released"
    );
    assert!(!folder.exists(), "{} is left behind", folder.display());
}

/// This machine's address on its default route, if it has one besides loopback. No packet
/// is sent: connecting a UDP socket only picks the route.
fn outside_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("10.255.255.255:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[test]
fn the_default_bind_is_unreachable_from_other_addresses_and_bind_opens_it() {
    let Some(ip) = outside_address() else {
        eprintln!("skipped: this machine has no address besides loopback");
        return;
    };
    let site = news_site();
    let (_server, port) = serve(&site, &[]);
    assert!(
        TcpStream::connect((ip, port)).is_err(),
        "127.0.0.1 only: {ip}:{port} must refuse"
    );
    let (_open, open_port) = serve(&site, &["--bind", "0.0.0.0"]);
    let mut stream =
        TcpStream::connect((ip, open_port)).expect("--bind 0.0.0.0 listens everywhere");
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {ip}:{open_port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
}

#[test]
fn requests_for_other_host_names_and_sockets_from_other_origins_are_refused() {
    let site = news_site();
    let (_server, port) = serve(&site, &[]);
    assert_eq!(
        get_from(port, "/", &format!("127.0.0.1:{port}")).status,
        200
    );
    assert_eq!(
        get_from(port, "/", &format!("localhost:{port}")).status,
        200
    );
    // DNS rebinding: a page's own domain resolving to 127.0.0.1.
    assert_eq!(
        get_from(port, "/", &format!("rebind.example:{port}")).status,
        421
    );

    let url = format!("ws://127.0.0.1:{port}/__gazette/livereload");
    let request = |origin: &str| {
        use tungstenite::client::IntoClientRequest;
        let mut request = url.as_str().into_client_request().unwrap();
        request
            .headers_mut()
            .insert("Origin", origin.parse().unwrap());
        request
    };
    let err = tungstenite::connect(request("https://any-page.example")).unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");
    let (mut socket, _) =
        tungstenite::connect(request(&format!("http://127.0.0.1:{port}"))).unwrap();
    let tungstenite::Message::Text(hello) = socket.read().unwrap() else {
        panic!("no hello");
    };
    assert!(hello.contains("\"hello\""), "{hello}");
}

#[test]
fn a_connection_that_never_finishes_its_headers_is_closed() {
    let site = news_site();
    let (_server, port) = serve(&site, &[]);
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(slow, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
    slow.set_read_timeout(Some(std::time::Duration::from_secs(15)))
        .unwrap();
    let started = std::time::Instant::now();
    let mut buffer = [0u8; 512];
    // Closed (EOF, or the server's 408) well before the test's own 15 s.
    let read = slow.read(&mut buffer);
    assert!(
        read.is_ok() && started.elapsed() < std::time::Duration::from_secs(14),
        "{read:?} after {:?}",
        started.elapsed()
    );
    // Others are served meanwhile and after.
    assert_eq!(get(port, "/").status, 200);
}

#[test]
fn a_preview_shows_drafts_marked_and_no_drafts_leaves_them_out() {
    let site = news_site();
    site.article(
        "upcoming",
        "title = \"Upcoming\"\ndate = 2024-01-02\ndraft = true",
        "Not yet.",
    );
    let (_server, port) = serve(&site, &[]);
    let page = get(port, "/upcoming/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("class=\"draft-mark\">Draft<"),
        "{}",
        page.body
    );
    assert!(get(port, "/").body.contains("Upcoming"));
    let (_hidden, hidden_port) = serve(&site, &["--no-drafts"]);
    assert_eq!(get(hidden_port, "/upcoming/").status, 404);
    // A build leaves drafts out.
    site.build();
    assert!(!site.exists("public/upcoming/index.html"));
}

#[test]
fn links_lead_back_to_the_address_a_page_was_loaded_from() {
    let site = news_site();
    let (_server, port) = serve(&site, &[]);
    // As a phone on the network would ask, by the machine's address (any IP is ours).
    let page = get_from(port, "/", &format!("localhost:{port}"));
    assert!(
        page.body.contains(&format!("http://localhost:{port}/one/")),
        "{}",
        page.body
    );
    assert!(!page.body.contains("127.0.0.1"), "{}", page.body);
    let feed = get_from(port, "/atom.xml", &format!("localhost:{port}"));
    assert!(
        feed.body.contains(&format!("http://localhost:{port}/one/")),
        "{}",
        feed.body
    );
    // Asked at its own address, a page is as built.
    assert!(
        get(port, "/")
            .body
            .contains(&format!("http://127.0.0.1:{port}/one/"))
    );
}

#[test]
fn serve_builds_for_a_base_url_and_answers_to_its_host() {
    let site = news_site();
    let (_server, port) = serve(&site, &["--base-url", "https://preview.example.org"]);
    let page = get_from(port, "/", "preview.example.org");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("https://preview.example.org/one/"),
        "{}",
        page.body
    );
    assert_eq!(get_from(port, "/", "other.example.org").status, 421);
}
