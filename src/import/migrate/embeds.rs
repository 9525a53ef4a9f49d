//! Gazette's shortcodes written by the importers, in place of the platforms' embeds
//! (`[embed]`, a bare video address on its own line, Hugo's `{{< youtube >}}`…).
//!
//! Invariant: every shortcode written here renders — it is checked with the built-in
//! shortcodes before it is returned — so an import never writes a body the build then
//! refuses; what cannot be written that way is `None`, and the caller keeps its old
//! mapping (a link, an image, text).

use crate::content::markdown::Renderer;

/// `{{ name(key="value", …) }}` with the arguments whose value is given, or `None` when
/// a value cannot be written (it has every kind of quote, or what Markdown reads as HTML
/// or a link, which the import's Markdown sanitizer would edit) or the built-in refuses it.
pub fn write(name: &str, args: &[(&str, Option<&str>)]) -> Option<String> {
    let mut written = Vec::new();
    for (key, value) in args {
        let Some(value) = value else { continue };
        if value.contains(['<', '>', '[', ']', '\\', '\n', '\r']) {
            return None;
        }
        let quote = ['"', '\'', '`'].into_iter().find(|q| !value.contains(*q))?;
        written.push(format!("{key}={quote}{value}{quote}"));
    }
    let text = format!("{{{{ {name}({}) }}}}", written.join(", "));
    Renderer::default().render(&text).ok()?;
    Some(text)
}

/// The shortcode for an address that names a video or a post (YouTube, Vimeo, X, Bluesky,
/// a gist), as WordPress embeds them.
pub fn of_url(address: &str) -> Option<String> {
    let url = url::Url::parse(address.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host
        .strip_prefix("www.")
        .or(host.strip_prefix("m."))
        .or(host.strip_prefix("mobile."))
        .unwrap_or(&host);
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match (host, segments.as_slice()) {
        ("youtube.com" | "youtube-nocookie.com", ["watch"]) => {
            let id = url.query_pairs().find(|(k, _)| k == "v").map(|(_, v)| v)?;
            write("youtube", &[("id", Some(&id))])
        }
        ("youtube.com" | "youtube-nocookie.com", ["embed" | "shorts" | "live", id])
        | ("youtu.be", [id]) => write("youtube", &[("id", Some(id))]),
        ("vimeo.com", [id]) | ("player.vimeo.com", ["video", id]) => {
            write("vimeo", &[("id", Some(id))])
        }
        ("x.com" | "twitter.com", [user, "status", id]) => {
            let canonical = format!("https://x.com/{user}/status/{id}");
            let author = format!("@{user}");
            write("x", &[("url", Some(&canonical)), ("author", Some(&author))])
        }
        ("bsky.app", ["profile", handle, "post", _]) => {
            let author = format!("@{handle}");
            write(
                "bluesky",
                &[("url", Some(url.as_str())), ("author", Some(&author))],
            )
        }
        ("gist.github.com", [user, id]) => write("gist", &[("user", Some(user)), ("id", Some(id))]),
        _ => None,
    }
}

/// Shortcodes waiting in HTML (which the HTML-to-Markdown conversion would escape as
/// text): each is a marker — private-use characters absent from the HTML around a number
/// — put back in the Markdown afterwards.
pub struct Waiting {
    mark: char,
    shortcodes: Vec<String>,
}

impl Waiting {
    /// Markers that cannot occur in `html`.
    pub fn for_html(html: &str) -> Waiting {
        Waiting {
            mark: ('\u{E000}'..='\u{F8FF}')
                .find(|c| !html.contains(*c))
                .unwrap_or('\u{F8FF}'),
            shortcodes: Vec::new(),
        }
    }

    /// The marker standing for `shortcode` (a paragraph of its own).
    pub fn hold(&mut self, shortcode: String) -> String {
        let marker = format!("\n\n<p>{0}{1}{0}</p>\n\n", self.mark, self.shortcodes.len());
        self.shortcodes.push(shortcode);
        marker
    }

    /// Lines of `html` that are only an address of a video or post (WordPress embeds
    /// those), each made a marker.
    pub fn bare_addresses(&mut self, html: &str) -> String {
        if !html.contains("http") {
            return html.to_string();
        }
        let mut out = String::with_capacity(html.len());
        for line in html.split_inclusive('\n') {
            let address = line.trim();
            match (address.starts_with("http"), of_url(address)) {
                (true, Some(shortcode)) => out.push_str(&self.hold(shortcode)),
                _ => out.push_str(line),
            }
        }
        out
    }

    /// The Markdown with each marker replaced by its shortcode.
    pub fn put_back(&self, markdown: &str) -> String {
        let mut out = markdown.to_string();
        for (n, shortcode) in self.shortcodes.iter().enumerate().rev() {
            out = out.replace(&format!("{0}{n}{0}", self.mark), shortcode);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_shortcodes() {
        for (address, shortcode) in [
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1",
                "{{ youtube(id=\"dQw4w9WgXcQ\") }}",
            ),
            (
                "https://youtu.be/dQw4w9WgXcQ",
                "{{ youtube(id=\"dQw4w9WgXcQ\") }}",
            ),
            (
                "https://youtube.com/shorts/abc",
                "{{ youtube(id=\"abc\") }}",
            ),
            ("https://vimeo.com/76979871", "{{ vimeo(id=\"76979871\") }}"),
            (
                "https://twitter.com/jack/status/20",
                "{{ x(url=\"https://x.com/jack/status/20\", author=\"@jack\") }}",
            ),
            (
                "https://gist.github.com/ann/9f3a",
                "{{ gist(user=\"ann\", id=\"9f3a\") }}",
            ),
        ] {
            assert_eq!(of_url(address).as_deref(), Some(shortcode), "{address}");
        }
        for address in [
            "https://example.com/watch?v=x",
            "https://vimeo.com/channels/staff",
            "https://www.youtube.com/watch?v=x%22%3E%3Cscript%3E",
            "javascript:alert(1)",
        ] {
            assert_eq!(of_url(address), None, "{address}");
        }
    }

    #[test]
    fn values_take_a_quote_they_do_not_hold() {
        assert_eq!(
            write(
                "figure",
                &[
                    ("src", Some("a.jpg")),
                    ("alt", Some("Say \"hi\"")),
                    ("caption", None)
                ]
            )
            .as_deref(),
            Some("{{ figure(src=\"a.jpg\", alt='Say \"hi\"') }}")
        );
        assert_eq!(
            write("figure", &[("src", Some("a.jpg")), ("alt", Some("\"'`"))]),
            None
        );
        assert_eq!(write("youtube", &[("id", Some("no spaces"))]), None);
        assert_eq!(
            write(
                "figure",
                &[("src", Some("a.jpg")), ("alt", Some("[x](javascript:y)"))]
            ),
            None
        );
        assert_eq!(
            write(
                "x",
                &[
                    ("url", Some("https://x.com/a/status/1")),
                    ("text", Some("<b>"))
                ]
            ),
            None
        );
    }
}
