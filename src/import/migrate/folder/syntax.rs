//! The platforms' own syntax in page bodies — Hugo and Zola shortcodes, Jekyll's Liquid,
//! internal links — mapped where Gazette has an equivalent, else kept and named.

use super::{OldSite, Places, Source};
use crate::import::emit;
use crate::import::migrate::{Platform, embeds, html};

/// The body with the platform's own syntax mapped where Gazette has an equivalent; the
/// names of what was kept as written.
pub(super) fn platform_syntax(
    site: &OldSite,
    source: &Source,
    body: &str,
    places: &Places,
) -> (String, Vec<String>) {
    let mut kept = Vec::new();
    let pages = Pages {
        places,
        dir: source
            .file
            .parent()
            .and_then(|d| d.strip_prefix(&site.content).ok())
            .map(|d| d.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default(),
    };
    let text = match site.platform {
        Platform::Hugo => hugo(body, &pages, &mut kept),
        Platform::Zola => zola(body, places, &mut kept),
        Platform::Jekyll => jekyll(body, &pages, Some(site), &mut kept),
        Platform::Wordpress => body.to_string(),
    };
    (text, kept)
}

/// Where each page of the old site went, for links to it: (old URL, new file below
/// `content/`) by its file's path below the old content root.
struct Pages<'a> {
    places: &'a Places,
    /// The linking page's folder below the content root.
    dir: String,
}

impl Pages<'_> {
    /// The page a link names: by its path from the content root, from the linking page's
    /// folder, or (as Hugo's `ref` allows) by the end of its path.
    fn find(&self, target: &str) -> Option<&(Option<String>, String)> {
        let target = target.trim().trim_matches('"');
        let (path, _) = target.split_once('#').unwrap_or((target, ""));
        let path = path.trim_start_matches('/');
        let relative = if self.dir.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.dir)
        };
        self.places
            .get(path)
            .or_else(|| self.places.get(&relative))
            .or_else(|| {
                self.places
                    .iter()
                    .find(|(k, _)| {
                        k.ends_with(&format!("/{path}")) || k.ends_with(&format!("/{path}.md"))
                    })
                    .map(|(_, v)| v)
            })
    }

    /// The old URL of the page a link names, with the link's `#anchor`.
    fn url(&self, target: &str) -> Option<String> {
        let anchor = target
            .trim()
            .trim_matches('"')
            .split_once('#')
            .map(|(_, a)| format!("#{a}"))
            .unwrap_or_default();
        self.find(target)
            .and_then(|(url, _)| url.clone())
            .map(|u| format!("{u}{anchor}"))
    }
}

/// Hugo's `{{< name args >}}` and `{{% name args %}}`.
fn hugo(body: &str, pages: &Pages, kept: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find("{{<").into_iter().chain(rest.find("{{%")).min() {
        out.push_str(&rest[..open]);
        let close_mark = if rest[open..].starts_with("{{<") {
            ">}}"
        } else {
            "%}}"
        };
        // The closing mark is looked for after the opening one (`{{%}}` is not a pair).
        let Some(end) = rest[open + 3..].find(close_mark).map(|e| e + 3) else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let inner = rest[open + 3..open + end].trim();
        let whole = &rest[open..open + end + 3];
        rest = &rest[open + end + 3..];
        let name = inner.split_whitespace().next().unwrap_or("");
        let (attrs, positional) = html::attributes(inner[name.len()..].trim());
        let arg = |key: &str, index: usize| {
            attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .or_else(|| positional.get(index).cloned())
        };
        // A parameter the shortcode cannot take leaves it as text, counted.
        let mut refuse = || as_text(whole, &format!("{{{{< {name} >}}}}"), kept);
        let mapped = match name {
            "figure" => arg("src", 0).map(|src| {
                let alt = arg("alt", 99).or(arg("title", 99)).unwrap_or_default();
                let block_start = out.ends_with('\n') || out.is_empty();
                figure(&src, &alt, arg("caption", 99), block_start)
            }),
            "youtube" => arg("id", 0).map(|id| {
                let title = arg("title", 99);
                embeds::write("youtube", &[("id", Some(&id)), ("title", title.as_deref())])
                    .unwrap_or_else(&mut refuse)
            }),
            "vimeo" => arg("id", 0)
                .map(|id| embeds::write("vimeo", &[("id", Some(&id))]).unwrap_or_else(&mut refuse)),
            "tweet" | "x" | "twitter" => match (arg("user", 0), arg("id", 1)) {
                (Some(user), Some(id)) => Some(x_post(&user, &id).unwrap_or_else(&mut refuse)),
                _ => None,
            },
            "gist" => match (arg("user", 0), arg("id", 1)) {
                (Some(user), Some(id)) => Some(
                    embeds::write("gist", &[("user", Some(&user)), ("id", Some(&id))])
                        .unwrap_or_else(&mut refuse),
                ),
                _ => None,
            },
            "highlight" => {
                let lang = positional.first().cloned().unwrap_or_default();
                let closing = "/highlight";
                match find_closing(rest, closing) {
                    Some((code, after)) => {
                        rest = after;
                        Some(fenced(&lang, code.trim_matches('\n')))
                    }
                    None => None,
                }
            }
            "ref" | "relref" => positional
                .first()
                .and_then(|t| pages.url(t))
                .map(|u| destination(&u)),
            _ => None,
        };
        match mapped {
            Some(text) => out.push_str(&text),
            None => {
                if !name.starts_with('/') {
                    kept.push(format!("{{{{< {name} >}}}}"));
                }
                out.push_str(whole);
            }
        }
    }
    out.push_str(rest);
    out
}

/// Hugo's `figure` as Gazette's (a block: it starts a paragraph of its own unless at the
/// start of a line), else as an image with its caption under it.
fn figure(src: &str, alt: &str, caption: Option<String>, block_start: bool) -> String {
    let shortcode = embeds::write(
        "figure",
        &[
            ("src", Some(&destination(src))),
            ("alt", Some(alt)),
            ("caption", caption.as_deref()),
        ],
    );
    match shortcode {
        Some(figure) if block_start => figure,
        Some(figure) => format!("\n\n{figure}"),
        None => {
            let caption = caption
                .map(|c| format!("\n\n*{}*", text(&c)))
                .unwrap_or_default();
            format!("![{}]({}){caption}", bracketed(alt), destination(src))
        }
    }
}

/// Hugo's `tweet` as Gazette's `x`; `None` when its user or id is not one X could have.
fn x_post(user: &str, id: &str) -> Option<String> {
    if !(made_of(user, 15, |c| c.is_ascii_alphanumeric() || c == '_')
        && made_of(id, 32, |c| c.is_ascii_digit()))
    {
        return None;
    }
    let url = format!("https://x.com/{user}/status/{id}");
    let author = format!("@{user}");
    embeds::write("x", &[("url", Some(&url)), ("author", Some(&author))])
}

/// Zola's `@/` links, `{{ name(args) }}` and `{% name(args) %}…{% end %}`.
fn zola(body: &str, places: &Places, kept: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    // `@/path.md` links name files, which this import may rename.
    while let Some(at) = rest.find("](@/") {
        out.push_str(&rest[..at + 2]);
        let link = &rest[at + 2..];
        let end = link.find(')').unwrap_or(link.len());
        let (path, frag) = link[2..end]
            .split_once('#')
            .map_or((&link[2..end], ""), |(p, f)| (p, f));
        match places.get(path) {
            Some((_, target)) => {
                out.push_str(&format!("@/{target}"));
                if !frag.is_empty() {
                    out.push('#');
                    out.push_str(frag);
                }
            }
            None => out.push_str(&link[..end]),
        }
        rest = &link[end..];
    }
    out.push_str(rest);
    for (open, close) in [("{{", "}}"), ("{%", "%}")] {
        let mut mapped = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(open) {
            mapped.push_str(&rest[..at]);
            let Some(end) = rest[at + 2..].find(close).map(|e| e + 2) else {
                mapped.push_str(&rest[at..]);
                rest = "";
                break;
            };
            let whole = &rest[at..at + end + close.len()];
            let inner = whole[2..whole.len() - 2].trim();
            rest = &rest[at + end + close.len()..];
            let name = inner.split('(').next().unwrap_or("").trim();
            let args = inner
                .get(name.len() + 1..)
                .and_then(|a| a.strip_suffix(')'))
                .unwrap_or("");
            let (attrs, _) = html::attributes(args);
            let arg = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
            let mut refuse = || as_text(whole, &format!("{open} {name}() {close}"), kept);
            // Gazette reads Zola's shortcodes: the built-ins get their own arguments
            // (Zola's `class`, `autoplay` are not theirs).
            let replacement = match name {
                "youtube" | "vimeo" => arg("id").map(|id| {
                    embeds::write(name, &[("id", Some(&id))]).unwrap_or_else(&mut refuse)
                }),
                "gist" => arg("url").map(|u| {
                    embeds::write("gist", &[("url", Some(&u))]).unwrap_or_else(&mut refuse)
                }),
                _ => None,
            };
            match replacement {
                Some(r) => mapped.push_str(&r),
                // Zola's own way of showing a shortcode as text, which Gazette reads too.
                None if inner.starts_with("/*") => mapped.push_str(whole),
                None if inner.contains('(') || name == "end" => {
                    if name != "end" {
                        kept.push(format!("{open} {name}() {close}"));
                    }
                    // The site's own shortcode, which Gazette would refuse as unknown: shown
                    // as text (Zola's `{{/* … */}}`) until the site has its template.
                    mapped.push_str(&format!("{open}/* {inner} */{close}"));
                }
                None => {
                    if !name.is_empty() {
                        kept.push(format!("{open} {name}() {close}"));
                    }
                    mapped.push_str(whole);
                }
            }
        }
        mapped.push_str(rest);
        out = mapped;
    }
    out
}

/// Jekyll's Liquid: `{% tag args %}` and `{{ object }}`. `site` (absent in tests of the
/// syntax alone) gives `_config.yml`'s values and the files published as they are.
fn jekyll(body: &str, pages: &Pages, site: Option<&OldSite>, kept: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("{%").into_iter().chain(rest.find("{{")).min() {
        out.push_str(&rest[..at]);
        let is_tag = rest[at..].starts_with("{%");
        let close = if is_tag { "%}" } else { "}}" };
        let Some(end) = rest[at + 2..].find(close).map(|e| e + 2) else {
            out.push_str(&rest[at..]);
            rest = "";
            break;
        };
        let whole = &rest[at..at + end + 2];
        let inner = whole[2..whole.len() - 2].trim().trim_matches('-').trim();
        rest = &rest[at + end + 2..];
        let name = inner.split_whitespace().next().unwrap_or("");
        let arg = inner[name.len()..].trim();
        let replacement = if is_tag {
            match name {
                // Liquid leaves everything up to `{% endraw %}` as written.
                "raw" => end_of_raw(rest).map(|(text, after)| {
                    rest = after;
                    text.to_string()
                }),
                "highlight" => {
                    let lang = arg.split_whitespace().next().unwrap_or("");
                    match rest.find("{% endhighlight %}") {
                        Some(stop) => {
                            let code = fenced(lang, rest[..stop].trim_matches('\n'));
                            rest = &rest[stop + "{% endhighlight %}".len()..];
                            Some(code)
                        }
                        None => None,
                    }
                }
                "post_url" => post_url(pages, arg).map(|u| destination(&u)),
                "link" => link(pages, site, arg).map(|u| destination(&u)),
                _ => None,
            }
        } else {
            liquid_object(inner, site.and_then(|s| s.jekyll.as_ref()))
        };
        match replacement {
            Some(r) => out.push_str(&r),
            None => {
                kept.push(if is_tag {
                    format!("{{% {name} %}}")
                } else {
                    format!("{{{{ {name} }}}}")
                });
                out.push_str(whole);
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of a `{% raw %}` block up to its `{% endraw %}` (any spacing, `{%- -%}`),
/// and what follows that.
fn end_of_raw(text: &str) -> Option<(&str, &str)> {
    let mut from = 0;
    while let Some(at) = text[from..].find("{%") {
        let start = from + at;
        let end = text[start + 2..].find("%}")? + start + 2;
        if text[start + 2..end].trim().trim_matches('-').trim() == "endraw" {
            return Some((&text[..start], &text[end + 2..]));
        }
        from = start + 2;
    }
    None
}

/// `{{ … }}` where Gazette knows the value: `site.baseurl` and `site.url` are nothing
/// (site paths work under any prefix), `"x" | relative_url` is `/x`, and `site.KEY` is
/// `_config.yml`'s string or number.
fn liquid_object(inner: &str, rules: Option<&super::jekyll::Rules>) -> Option<String> {
    if inner == "site.baseurl" || inner == "site.url" {
        return Some(String::new());
    }
    if let Some(path) = inner
        .strip_suffix("| relative_url")
        .or(inner.strip_suffix("| absolute_url"))
        .map(|v| v.trim().trim_matches(['"', '\'']))
    {
        return Some(destination(&format!("/{}", path.trim_start_matches('/'))));
    }
    // A string printed as it is (`{{ "{{" }}`, how Liquid writes its own marks).
    for quote in ['"', '\''] {
        if let Some(text) = inner
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
            .filter(|text| !text.contains(quote))
        {
            return Some(text.to_string());
        }
    }
    let key = inner.strip_prefix("site.")?;
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return None;
    }
    rules?.site_value(key)
}

/// `{% post_url [folder/]2014-11-24-name %}`: the post's URL, matched as Jekyll's
/// `PostComparer` does — `_posts/folder/` or `folder/_posts/`, else (Jekyll's older rule)
/// any post of that file name.
fn post_url(pages: &Pages, arg: &str) -> Option<String> {
    let (wanted, frag) = arg
        .split_once('#')
        .map_or((arg, String::new()), |(p, f)| (p, format!("#{f}")));
    let wanted = wanted.trim().trim_start_matches('/');
    let (dir, base) = match wanted.rsplit_once('/') {
        Some((dir, base)) => (format!("{dir}/"), base),
        None => (String::new(), wanted),
    };
    let exact = [format!("_posts/{dir}{base}"), format!("{dir}_posts/{base}")];
    let stem_of = |key: &str| {
        key.rsplit_once('.')
            .map_or(key.to_string(), |(s, _)| s.to_string())
    };
    let found = |matches: &dyn Fn(&str) -> bool| {
        pages
            .places
            .iter()
            .filter(|(key, _)| matches(&stem_of(key)))
            .min_by(|a, b| a.0.cmp(b.0))
            .and_then(|(_, (url, _))| url.clone())
    };
    found(&|stem| exact.iter().any(|e| e == stem))
        .or_else(|| {
            found(&|stem| stem.contains("_posts/") && stem.rsplit('/').next() == Some(base))
        })
        .map(|url| format!("{url}{frag}"))
}

/// `{% link path %}`: the URL of the page, document or post at that path of the old site,
/// or the path itself for a file published as it is.
fn link(pages: &Pages, site: Option<&OldSite>, arg: &str) -> Option<String> {
    let path = arg.trim().trim_start_matches('/');
    if path.is_empty() || path.contains("{{") {
        return None;
    }
    if let Some((url, _)) = pages.places.get(path) {
        return url.clone();
    }
    let site = site?;
    let safe = !path.split('/').any(|s| s == ".." || s.starts_with('_'));
    (safe && site.root.join(path).is_file()).then(|| format!("/{path}"))
}

/// The text up to a Hugo closing shortcode (`{{< /name >}}`) and what follows it.
fn find_closing<'a>(text: &'a str, closing: &str) -> Option<(&'a str, &'a str)> {
    for mark in ["{{<", "{{%"] {
        let mut from = 0;
        while let Some(at) = text[from..].find(mark) {
            let start = from + at;
            let end_mark = if mark == "{{<" { ">}}" } else { "%}}" };
            let end = text[start + 3..].find(end_mark)? + start + 3;
            if text[start + 3..end].trim() == closing {
                return Some((&text[..start], &text[end + 3..]));
            }
            from = end;
        }
    }
    None
}

/// Whether `text` is 1 to `most` characters, each `allowed`.
fn made_of(text: &str, most: usize, allowed: impl Fn(char) -> bool) -> bool {
    !text.is_empty() && text.len() <= most && text.chars().all(allowed)
}

/// A shortcode or tag whose parameters it cannot take (`{{< youtube "x\"><script>" >}}`):
/// its text, shown as written, counted under `label` among what was kept.
fn as_text(whole: &str, label: &str, kept: &mut Vec<String>) -> String {
    kept.push(format!("{label} with parameters it does not take"));
    whole
        .split('\n')
        .map(emit::escape)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text to stand on one line of Markdown as exactly its characters.
fn text(text: &str) -> String {
    emit::escape(&text.replace(['\n', '\r'], " "))
}

/// [`text`] for inside `[…]` (an image's alt text), every bracket escaped too.
fn bracketed(line: &str) -> String {
    let escaped = text(line);
    let mut out = String::with_capacity(escaped.len());
    let mut backslashes = 0;
    for c in escaped.chars() {
        if matches!(c, '[' | ']') && backslashes % 2 == 0 {
            out.push('\\');
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        out.push(c);
    }
    out
}

/// Characters that would end a Markdown link destination or an HTML attribute value, or
/// break either.
const BREAKING: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'`');

/// A URL to stand where the page puts it — a link's destination, an attribute — as one
/// URL: what would end or break it percent-encoded.
fn destination(url: &str) -> String {
    percent_encoding::utf8_percent_encode(url, BREAKING).to_string()
}

/// Code in a fenced block: the fence longer than any run of backticks in it, the language
/// only when it is a language's name.
fn fenced(lang: &str, code: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest.max(2) + 1);
    let lang = if made_of(lang, 32, |c| {
        c.is_ascii_alphanumeric() || "+#._-".contains(c)
    }) {
        lang
    } else {
        ""
    };
    format!("{fence}{lang}\n{code}\n{fence}")
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// Every way of cutting the platforms' marks short or running them together is text,
    /// never a panic.
    #[test]
    fn broken_and_odd_syntax_never_panics() {
        let pieces = [
            "{{<",
            ">}}",
            "{{%",
            "%}}",
            "{{",
            "}}",
            "{%",
            "%}",
            "{{< /x >}}",
            "(",
            ")",
            "](@/",
            "#",
            "é",
            "\"",
            " ",
            "highlight",
            "ref",
            "end",
            "raw",
            "post_url",
            "link",
            "x",
            "\n",
            "-",
            "|",
        ];
        let places = HashMap::new();
        let pages = Pages {
            places: &places,
            dir: String::new(),
        };
        for text in crate::import::migrate::jumbled(&pieces, 3000, 12) {
            let mut kept = Vec::new();
            let _ = hugo(&text, &pages, &mut kept);
            let _ = zola(&text, &places, &mut kept);
            let _ = jekyll(&text, &pages, None, &mut kept);
            let _ = crate::import::migrate::html::shortcodes(&text, |_| None);
        }
    }
}
