//! Test helpers in the style of ripgrep's: a site in a temp dir and a way to run the real
//! binary on it.

#![allow(dead_code)]

pub mod golden;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct TestSite {
    dir: tempfile::TempDir,
}

pub const CONFIG: &str = "title = \"Test News\"\nbase_url = \"https://example.org/\"\n";

impl TestSite {
    /// A site holding only a minimal config.toml.
    pub fn new() -> TestSite {
        Self::with_config(CONFIG)
    }

    pub fn with_config(config: &str) -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write("config.toml", config);
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    /// Sets the modification time of a file of the site, in seconds since 1970.
    pub fn touch(&self, relative: &str, seconds: u64) -> &Self {
        let file = std::fs::File::options()
            .write(true)
            .open(self.path().join(relative))
            .unwrap();
        file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds))
            .unwrap();
        self
    }

    /// Writes `content/<slug>.md` with the given front matter lines and body.
    pub fn article(&self, slug: &str, front_matter: &str, body: &str) -> &Self {
        self.write(
            &format!("content/{slug}.md"),
            format!("+++\n{front_matter}\n+++\n{body}\n"),
        )
    }

    /// An article with just a title and a date.
    pub fn story(&self, slug: &str, title: &str, date: &str) -> &Self {
        self.article(
            slug,
            &format!("title = \"{title}\"\ndate = {date}"),
            "Some text.",
        )
    }

    /// `themes/<name>/` with the seven page templates every theme needs, each showing
    /// only `page_url`: a theme written before the templates that are needed later.
    pub fn minimal_theme(&self, name: &str) -> &Self {
        for page in [
            "index", "article", "author", "authors", "tag", "tags", "404",
        ] {
            self.write(
                &format!("themes/{name}/templates/{page}.html"),
                "<p>{{ page_url }}</p>",
            );
        }
        self
    }

    pub fn remove(&self, relative: &str) {
        std::fs::remove_file(self.path().join(relative)).unwrap();
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.command(args).run()
    }

    /// The command `gazette <args>` in the site, to adjust (environment) and then run.
    pub fn command(&self, args: &[&str]) -> Gazette {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
        command
            .args(args)
            .current_dir(self.path())
            .env_remove("RUST_BACKTRACE")
            .env_remove("SOURCE_DATE_EPOCH");
        Gazette { command }
    }

    /// Runs `gazette build` and insists it succeeds.
    /// Runs a build that must fail, checks the previous output survived whole and nothing
    /// was left beside it (but the build record and the content cache), and returns its
    /// stderr.
    pub fn build_fails_keeping_output(&self) -> String {
        let before = self.tree("public");
        let stderr = self.run(&["build"]).failure();
        assert_eq!(
            before,
            self.tree("public"),
            "the previous output must stay as it was"
        );
        let leftovers: Vec<_> = std::fs::read_dir(self.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| {
                n.starts_with('.') && !n.ends_with(".gazette-cache") && !n.ends_with(".lock")
            })
            .collect();
        assert!(
            leftovers.is_empty(),
            "no staging folders left: {leftovers:?}"
        );
        stderr
    }

    /// Runs `gazette check`, which must fail, and returns what it printed (the problems).
    pub fn check_fails(&self) -> String {
        let checked = self.run(&["check"]);
        let out = checked.stdout();
        checked.failure();
        out
    }

    pub fn build(&self) -> Run {
        self.run(&["build"]).success()
    }

    pub fn read(&self, relative: &str) -> String {
        let path = self.path().join(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.path().join(relative).exists()
    }

    /// Every file below `relative` with its bytes.
    pub fn tree(&self, relative: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        let root = self.path().join(relative);
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                files.insert(
                    entry.path().strip_prefix(&root).unwrap().to_path_buf(),
                    std::fs::read(entry.path()).unwrap(),
                );
            }
        }
        files
    }
}

pub struct Gazette {
    command: Command,
}

impl Gazette {
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn run(mut self) -> Run {
        Run {
            output: self.command.output().expect("run gazette"),
        }
    }
}

/// Whether a tool a test needs (Chromium, Java and the Nu checker, feedparser,
/// check-jsonschema) must be there: in CI (`CI=true`, which CI services set) or when
/// `GAZETTE_REQUIRE_VALIDATOR` asks, a missing one fails the test instead of skipping it.
pub fn tools_required() -> bool {
    std::env::var_os("GAZETTE_REQUIRE_VALIDATOR").is_some()
        || std::env::var("CI").is_ok_and(|v| v == "true")
}

pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn success(self) -> Self {
        assert!(
            self.output.status.success(),
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Insists on exit code 1, a message on stderr, and no panic; returns stderr.
    pub fn failure(self) -> String {
        let stderr = self.stderr();
        assert_eq!(
            self.output.status.code(),
            Some(1),
            "expected exit 1\nstderr:\n{stderr}"
        );
        assert!(
            !stderr.contains("panicked"),
            "a panic is never a user error:\n{stderr}"
        );
        assert!(stderr.starts_with("error: "), "{stderr}");
        stderr
    }
}

/// A content file cut into its parsed front matter and its body.
pub fn content_file(text: &str) -> (toml::Table, String) {
    let rest = text.strip_prefix("+++\n").expect("front matter");
    let (fm, body) = rest.split_once("\n+++\n").expect("closed front matter");
    (toml::from_str(fm).expect("valid TOML"), body.to_string())
}

/// A TOML array of strings.
pub fn strings(value: &toml::Value) -> Vec<&str> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string"))
        .collect()
}

/// All `href="…"` values in an HTML page.
pub fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

/// A long-running `gazette` (watch or serve) on a site, killed when dropped; its stderr
/// is collected line by line.
pub struct Running {
    child: std::process::Child,
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl TestSite {
    pub fn spawn(&self, args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(args)
            .current_dir(self.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn gazette");
        let stderr = child.stderr.take().unwrap();
        let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = lines.clone();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                sink.lock().unwrap().push(line);
            }
        });
        Running { child, lines }
    }
}

impl Running {
    /// Everything printed so far.
    pub fn stderr(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    /// Waits (up to 20 s) for a line containing `text`; returns it.
    pub fn wait_for_line(&self, text: &str) -> String {
        let found = wait_until(|| {
            self.lines
                .lock()
                .unwrap()
                .iter()
                .find(|l| l.contains(text))
                .cloned()
        });
        found.unwrap_or_else(|| panic!("no line with {text:?} in:\n{}", self.stderr()))
    }

    /// Waits (up to 20 s) until at least `n` lines contain `text`.
    pub fn wait_for_count(&self, text: &str, n: usize) {
        if wait_until(|| (self.count(text) >= n).then_some(())).is_none() {
            panic!("fewer than {n} lines with {text:?} in:\n{}", self.stderr());
        }
    }

    /// How many lines contain `text`.
    pub fn count(&self, text: &str) -> usize {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(text))
            .count()
    }

    /// Sends SIGTERM (as a terminal or a process manager would) and waits for the exit.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let status = wait_until(|| self.child.try_wait().ok().flatten());
        status.unwrap_or_else(|| {
            let _ = self.child.kill();
            panic!("gazette did not stop on SIGTERM")
        })
    }
}

impl Drop for Running {
    /// Stops gazette as a user would (SIGTERM), so `serve` removes its temporary output
    /// folder; kills it only if it does not stop within 5 s.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            while matches!(self.child.try_wait(), Ok(None)) && std::time::Instant::now() < deadline
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` every 10 ms for up to 20 s.
pub fn wait_until<T>(mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        if let Some(value) = check() {
            return Some(value);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    None
}

/// The start of a PNG file claiming `width` × `height` (signature and IHDR; no pixels).
pub fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(b"IHDR");
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let crc = crc32(&ihdr);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc.to_be_bytes());
    png
}

/// A PNG whose header (claiming `width` × `height`) is sound and whose pixel data is not.
pub fn damaged_png(width: u32, height: u32) -> Vec<u8> {
    let mut png = png_header(width, height);
    for (kind, data) in [(&b"IDAT"[..], &b"not zlib at all"[..]), (b"IEND", b"")] {
        let mut chunk = kind.to_vec();
        chunk.extend_from_slice(data);
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        png.extend_from_slice(&chunk);
        png.extend_from_slice(&crc32(&chunk).to_be_bytes());
    }
    png
}

pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

impl TestSite {
    /// The text with this site's folder (a temp dir, different each run) written `$SITE`.
    pub fn normalize(&self, text: &str) -> String {
        let canonical = self.path().canonicalize().unwrap();
        text.replace(canonical.to_str().unwrap(), "$SITE")
            .replace(self.path().to_str().unwrap(), "$SITE")
    }

    /// Checks a whole stderr (or stdout) against the next golden file of the running test:
    /// `tests/golden/<test file>/<test>.<n>.txt`, n counting the test's calls from 1, so a
    /// test that checks several messages (in a loop too) pins each one.
    #[track_caller]
    pub fn pin(&self, text: &str) {
        thread_local! {
            static CALLS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }
        let n = CALLS.with(|calls| {
            calls.set(calls.get() + 1);
            calls.get()
        });
        let thread = std::thread::current();
        let test = thread.name().expect("a test's thread is named after it");
        golden::assert_golden(
            &format!(
                "{}/{}.{n}.txt",
                env!("CARGO_CRATE_NAME"),
                test.replace("::", "/")
            ),
            &self.normalize(text),
        );
    }
}
