//! `serve`'s web server: the built site over HTTP, with live reload.
//!
//! Files come from the output folder as the engine leaves it (the whole site is switched
//! in one step, so a request during a rebuild sees the old page or the new one, never
//! half of one). HTML responses get a small script, added on the way out and never written to the
//! output, that holds a WebSocket to `/__gazette/livereload`: it reloads the page after
//! each rebuild, swaps stylesheets when only CSS changed, and shows a failed rebuild's
//! error over the page until a rebuild succeeds.
//!
//! Architecture invariant: nothing outside the output folder is ever served. Request paths
//! are decoded segment by segment; `.` and `..` segments, encoded slashes and NUL bytes are
//! refused, and the file finally chosen must canonicalize to a path inside the folder (so a
//! symlink cannot lead out of it).
//!
//! Architecture invariant: only this machine's browser talks to it. A request whose `Host`
//! is a name other than `localhost` (a DNS rebinding attack's) is refused, and so is a
//! live-reload socket opened by a page from another origin (any web page could otherwise
//! read rebuild errors with their file paths). A connection that has not sent its request
//! headers within [`HEADER_TIMEOUT`] is closed, so slow sockets cannot pile up.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::percent_decode_str;
use thiserror::Error;
use tokio::sync::broadcast;

/// Where browsers connect for live reload.
pub const LIVERELOAD_PATH: &str = "/__gazette/livereload";

/// How long a connection may take to send a request's headers.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Debug, Error)]
pub enum ServeError {
    #[error(
        "cannot listen on {addr}: {source}{}",
        if source.kind() == std::io::ErrorKind::AddrInUse { " (another server uses this port: choose one with --port)" } else { "" }
    )]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the web server stopped: {0}")]
    Server(std::io::Error),
    #[error("cannot create a folder for the served site: {0}")]
    TempDir(std::io::Error),
    /// `--base-url` is not a URL a site can live at.
    #[error("--base-url: {message}")]
    BaseUrl { message: String },
    /// The thread that builds and watches the site ended before it was ready.
    #[error("the watcher stopped")]
    WatcherStopped,
}

/// Listens on `addr` (a busy port is reported before any work); returns the listener and
/// the port it got (the one asked for, or the system's choice for 0).
pub async fn listen(addr: SocketAddr) -> Result<(tokio::net::TcpListener, u16), ServeError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    let port = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { addr, source })?
        .port();
    Ok((listener, port))
}

/// The addresses a served site answers at and links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addresses {
    /// This server's own address, e.g. `http://127.0.0.1:1111/`.
    pub local: String,
    /// The base URL the site is built with.
    pub base_url: String,
    /// The address rewritten in responses to whichever one each request came to: this
    /// server's own, unless `--base-url` names another.
    pub rewritten: Option<String>,
    /// The host a tunnel or proxy in front names (`example.org`, `example.org:8080`).
    pub also: Option<String>,
}

impl Addresses {
    /// The addresses of a server bound to `bind` on `port`, built with `base_url` if given.
    pub fn of(bind: IpAddr, port: u16, base_url: Option<&str>) -> Result<Addresses, ServeError> {
        // Links point at this server, whatever base_url says; an unspecified address is
        // reached through the loopback one.
        let host = match bind {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            ip => ip,
        };
        let local = format!("http://{}/", SocketAddr::new(host, port));
        // `--base-url` (a tunnel's address, say) is built with and left alone; this
        // server's own address is rewritten to whichever one each request came to.
        let Some(url) = base_url else {
            return Ok(Addresses {
                base_url: local.clone(),
                rewritten: Some(local.clone()),
                local,
                also: None,
            });
        };
        let base_url = crate::config::normalize_base_url(url)
            .map_err(|message| ServeError::BaseUrl { message })?;
        let also = url::Url::parse(&base_url).ok().and_then(|url| {
            let host = url.host_str()?;
            Some(match url.port() {
                Some(p) => format!("{host}:{p}"),
                None => host.to_string(),
            })
        });
        Ok(Addresses {
            local,
            base_url,
            rewritten: None,
            also,
        })
    }
}

/// The folder a served site is written to: the one asked for, or a temporary one (so
/// `public/` keeps the production base URL), removed when this is dropped.
pub struct ServedOutput {
    path: PathBuf,
    /// Held for its drop, which removes the folder.
    _temp: Option<tempfile::TempDir>,
}

impl ServedOutput {
    pub fn new(asked: Option<PathBuf>) -> Result<ServedOutput, ServeError> {
        if let Some(path) = asked {
            return Ok(ServedOutput { path, _temp: None });
        }
        // Memory-backed where there is such a folder: a dev server's output is rewritten
        // constantly and thrown away on exit.
        let shm = Path::new("/dev/shm");
        let mut builder = tempfile::Builder::new();
        builder.prefix("gazette-serve-");
        let temp = if shm.is_dir() {
            builder.tempdir_in(shm).or_else(|_| builder.tempdir())
        } else {
            builder.tempdir()
        }
        .map_err(ServeError::TempDir)?;
        Ok(ServedOutput {
            path: temp.path().join("site"),
            _temp: Some(temp),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes the folder, for a server that starts before a build succeeded.
    pub fn create(&self) -> Result<(), ServeError> {
        std::fs::create_dir_all(&self.path).map_err(ServeError::TempDir)
    }
}

/// Tells connected browsers about rebuilds.
pub struct LiveReload {
    messages: broadcast::Sender<String>,
    /// The error of the last rebuild, if it failed: shown to browsers that connect later.
    failure: Mutex<Option<String>>,
    /// Successful rebuilds so far. A page carries the number it was served at, and a
    /// browser whose socket connects after a rebuild it missed is told to reload.
    generation: AtomicU64,
}

impl Default for LiveReload {
    fn default() -> Self {
        LiveReload {
            messages: broadcast::channel(16).0,
            failure: Mutex::new(None),
            generation: AtomicU64::new(0),
        }
    }
}

impl LiveReload {
    /// A rebuild succeeded: pages reload (or only their stylesheets).
    pub fn rebuilt(&self, styles_only: bool) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        let recovered = self.set_failure(None);
        let kind = if styles_only && !recovered {
            "css"
        } else {
            "reload"
        };
        let _ = self
            .messages
            .send(serde_json::json!({ "type": kind }).to_string());
    }

    /// A rebuild failed: pages show `message` until the next success.
    pub fn failed(&self, message: &str) {
        self.set_failure(Some(message.to_string()));
        let _ = self.messages.send(error_message(message));
    }

    /// Sets the failure; returns whether one was cleared.
    fn set_failure(&self, failure: Option<String>) -> bool {
        let mut slot = self.failure.lock().expect("never poisoned");
        let had = slot.is_some();
        *slot = failure;
        had
    }
}

fn error_message(message: &str) -> String {
    serde_json::json!({ "type": "error", "message": message }).to_string()
}

#[derive(Clone)]
struct AppState {
    /// The output folder, canonicalized.
    root: Arc<PathBuf>,
    live: Arc<LiveReload>,
    /// The port the server listens on: a `Host` or `Origin` naming another is not ours.
    port: u16,
    /// The host (and port) of a `--base-url` the site was built for, which a tunnel or a
    /// proxy in front of this server names in its requests.
    also: Option<Arc<String>>,
    /// The base URL the site was built with, when it is this server's own address: text
    /// files get it replaced by the address each request came to (a phone on the network
    /// loads `http://192.168.1.20:1111/`, and the links must lead there, not to 127.0.0.1).
    local_base: Option<Arc<String>>,
}

/// `bytes` with every `base` replaced by the address the request named in `host`; `None`
/// when nothing changes (the request came to `base` itself, or the file is not UTF-8).
fn rebased(bytes: &[u8], base: &str, host: &str) -> Option<Vec<u8>> {
    let here = format!("http://{host}/");
    if here == base {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    text.contains(base)
        .then(|| text.replace(base, &here).into_bytes())
}

/// Whether `host` (a `Host` header, or an origin's host and port) names this server: an
/// IP address or `localhost`, on its port. Any other name is a page's own domain
/// resolving to this machine (DNS rebinding), never a browser of this machine's user.
fn is_own_host(host: &str, port: u16) -> bool {
    // `[v6]:port`, `[v6]`, `name:port` or `name`.
    let (name, given_port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((name, after)) = rest.split_once(']') else {
            return false;
        };
        match after.strip_prefix(':') {
            Some(p) => (name, Some(p)),
            None if after.is_empty() => (name, None),
            None => return false,
        }
    } else {
        match host.split_once(':') {
            Some((name, p)) => (name, Some(p)),
            None => (host, None),
        }
    };
    let named = name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok();
    named && given_port.is_none_or(|p| p.parse() == Ok(port))
}

impl AppState {
    /// Whether `host` names this server: its own address (see [`is_own_host`]) or the
    /// host of the `--base-url` it builds for.
    fn is_ours(&self, host: &str) -> bool {
        is_own_host(host, self.port)
            || self
                .also
                .as_deref()
                .is_some_and(|also| host.eq_ignore_ascii_case(also))
    }
}

/// The refusal of a request not addressed to this server by name (see [`AppState::is_ours`]).
fn check_host(headers: &axum::http::HeaderMap, state: &AppState) -> Option<Response> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    (!state.is_ours(host)).then(|| {
        (
            StatusCode::MISDIRECTED_REQUEST,
            "this development server answers only to localhost or an IP address\n",
        )
            .into_response()
    })
}

/// Serves `output_dir` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    output_dir: &Path,
    live: Arc<LiveReload>,
    local_base: Option<String>,
    also: Option<String>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let root = output_dir
        .canonicalize()
        .unwrap_or_else(|_| output_dir.to_path_buf());
    let port = listener.local_addr().map_err(ServeError::Server)?.port();
    let app = Router::new()
        .route(LIVERELOAD_PATH, get(livereload))
        .fallback(file)
        .with_state(AppState {
            root: Arc::new(root),
            live,
            port,
            local_base: local_base.map(Arc::new),
            also: also.map(Arc::new),
        });
    // An accept loop of our own rather than `axum::serve`, which sets no timer, so it
    // cannot time out slow request headers.
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait for connections to end.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .with_upgrades()
                .await;
        });
    }
}

async fn livereload(
    ws: WebSocketUpgrade,
    headers: axum::http::HeaderMap,
    State(state): State<AppState>,
) -> Response {
    if let Some(refused) = check_host(&headers, &state) {
        return refused;
    }
    // Browsers send the page's origin with a socket; only pages of this server may listen.
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    if let Some(origin) = origin {
        let host = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        if !host.is_some_and(|h| state.is_ours(h)) {
            return (
                StatusCode::FORBIDDEN,
                "live reload is only for pages of this server\n",
            )
                .into_response();
        }
    }
    ws.on_upgrade(move |socket| client(socket, state.live))
}

async fn client(mut socket: WebSocket, live: Arc<LiveReload>) {
    let mut messages = live.messages.subscribe();
    // Subscribed first: a rebuild from now on is announced; one that happened between
    // serving the page and this connection shows in the generation.
    let hello = serde_json::json!({
        "type": "hello",
        "generation": live.generation.load(Ordering::SeqCst),
    });
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    let failure = live.failure.lock().expect("never poisoned").clone();
    if let Some(message) = failure
        && socket
            .send(Message::Text(error_message(&message).into()))
            .await
            .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            message = messages.recv() => match message {
                Ok(text) => {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => {}
                _ => return,
            },
        }
    }
}

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    NotFound,
}

/// Maps a raw (still percent-encoded) request path to a file inside `root` (canonical).
pub fn resolve(root: &Path, raw_path: &str) -> Target {
    let mut path = root.to_path_buf();
    for segment in raw_path.split('/').filter(|s| !s.is_empty()) {
        let Ok(segment) = percent_decode_str(segment).decode_utf8() else {
            return Target::NotFound;
        };
        if segment == "." || segment == ".." || segment.contains(['/', '\\', '\0']) {
            return Target::NotFound;
        }
        path.push(segment.as_ref());
    }
    let Ok(meta) = std::fs::metadata(&path) else {
        return Target::NotFound;
    };
    if meta.is_dir() {
        if !raw_path.ends_with('/') {
            return Target::Redirect(format!("{raw_path}/"));
        }
        path.push("index.html");
    }
    match path.canonicalize() {
        Ok(real) if real.starts_with(root) && real.is_file() => Target::File(real),
        _ => Target::NotFound,
    }
}

async fn file(State(state): State<AppState>, request: Request) -> Response {
    if let Some(refused) = check_host(request.headers(), &state) {
        return refused;
    }
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let uri = request.uri();
    let (status, path) = match resolve(&state.root, uri.path()) {
        Target::File(path) => (StatusCode::OK, path),
        Target::Redirect(location) => {
            let location = match uri.query() {
                Some(q) => format!("{location}?{q}"),
                None => location,
            };
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response();
        }
        Target::NotFound => (StatusCode::NOT_FOUND, state.root.join("404.html")),
    };
    // Read before the file: the page is at least as new as the generation it names.
    let generation = state.live.generation.load(Ordering::SeqCst);
    let Ok(bytes) = tokio::fs::read(&path).await else {
        return (StatusCode::NOT_FOUND, "404 Not Found\n").into_response();
    };
    let mime = mime_guess::from_path(&path).first_or_octet_stream();
    let is_text =
        mime.type_() == "text" || matches!(mime.subtype().as_str(), "javascript" | "json" | "xml");
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let bytes = match &state.local_base {
        Some(base) if is_text && !host.is_empty() => rebased(&bytes, base, host).unwrap_or(bytes),
        _ => bytes,
    };
    let is_html = mime.essence_str() == "text/html";
    let bytes = if is_html {
        with_script(bytes, generation)
    } else {
        bytes
    };
    let content_type = if is_text {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let length = bytes.len();
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The live-reload client, added to every served HTML page.
const SCRIPT: &str = r#"<script>
(function () {
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__gazette/livereload";
  var served = GAZETTE_GENERATION;
  var overlay;
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(message) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "gazette-error";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;background:rgba(20,20,24,.94);color:#ffb4ab;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
    overlay.textContent = "Gazette could not rebuild the site:\n\n" + message + "\n\nThe page reloads when the error is fixed.";
    document.body.appendChild(overlay);
  }
  function connect() {
    var socket = new WebSocket(url);
    socket.onmessage = function (event) {
      var m = JSON.parse(event.data);
      if (m.type === "hello") { if (m.generation !== served) { location.reload(); } }
      else if (m.type === "reload") { location.reload(); }
      else if (m.type === "css") {
        document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
          link.href = link.href.split("?")[0] + "?" + Date.now();
        });
      }
      else if (m.type === "error") { show(m.message); }
    };
    socket.onclose = function () { setTimeout(connect, 1000); };
  }
  connect();
})();
</script>
"#;

/// `html` with the live-reload script, for a page served at `generation`, before
/// `</body>` (or at the end).
fn with_script(mut html: Vec<u8>, generation: u64) -> Vec<u8> {
    let script = SCRIPT.replace("GAZETTE_GENERATION", &generation.to_string());
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, script.bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_follow_the_address_a_page_was_asked_at() {
        let base = "http://127.0.0.1:1111/";
        let page =
            br#"<a href="http://127.0.0.1:1111/one/">one</a> <a href="https://x.org/">x</a>"#;
        let moved = rebased(page, base, "192.168.1.20:1111").unwrap();
        assert_eq!(
            std::str::from_utf8(&moved).unwrap(),
            r#"<a href="http://192.168.1.20:1111/one/">one</a> <a href="https://x.org/">x</a>"#
        );
        assert_eq!(rebased(page, base, "127.0.0.1:1111"), None);
        assert_eq!(rebased(b"\xff\xfe", base, "localhost:1111"), None);
    }

    #[test]
    fn only_addresses_and_localhost_on_our_port_are_ours() {
        for host in [
            "127.0.0.1:8000",
            "localhost:8000",
            "LOCALHOST",
            "[::1]:8000",
            "[::1]",
            "192.168.1.20:8000",
        ] {
            assert!(is_own_host(host, 8000), "{host}");
        }
        for host in [
            "evil.example:8000",
            "evil.example",
            "127.0.0.1:8001",
            "localhost.evil.example:8000",
            "[::1]x",
            "",
        ] {
            assert!(!is_own_host(host, 8000), "{host}");
        }
    }

    #[test]
    fn paths_resolve_inside_the_folder_only() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("story")).unwrap();
        std::fs::write(site.join("story/index.html"), "story").unwrap();
        std::fs::write(site.join("a b.txt"), "spaced").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let root = site.canonicalize().unwrap();
        let file = |p: &str| Target::File(root.join(p));

        assert_eq!(resolve(&root, "/story/"), file("story/index.html"));
        assert_eq!(resolve(&root, "/story"), Target::Redirect("/story/".into()));
        assert_eq!(resolve(&root, "/a%20b.txt"), file("a b.txt"));
        for bad in [
            "/../secret.txt",
            "/story/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%2fsecret.txt",
            "/story%2f..%2f..%2fsecret.txt",
            "//etc/passwd",
            "/%00",
            "/missing",
        ] {
            assert_eq!(resolve(&root, bad), Target::NotFound, "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("link.txt"))
                .unwrap();
            assert_eq!(resolve(&root, "/link.txt"), Target::NotFound);
        }
    }

    #[test]
    fn the_script_goes_before_the_closing_body_tag() {
        let html = with_script(b"<html><body><p>x</p></BODY></html>".to_vec(), 7);
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("</script>\n</BODY></html>"), "{html}");
        assert!(html.contains("var served = 7;"), "{html}");
        let fragment = String::from_utf8(with_script(b"<p>x</p>".to_vec(), 0)).unwrap();
        assert!(fragment.starts_with("<p>x</p><script>"));
    }
}
