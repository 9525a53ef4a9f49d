//! The built-in shortcodes: what arguments each takes, checked before its template (in
//! `templates/`) renders, so a bad id or a `javascript:` URL is an error at its place
//! rather than a broken or unsafe page. A site's or theme's own template of the same name
//! replaces the built-in whole, checks included (its arguments are its own).

use tera::Context;

use super::ShortcodeError;
use super::parse::{Call, Value};

/// Name → template text, for every built-in.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("youtube", include_str!("templates/youtube.html")),
    ("vimeo", include_str!("templates/vimeo.html")),
    ("video", include_str!("templates/video.html")),
    ("figure", include_str!("templates/figure.html")),
    ("x", include_str!("templates/post.html")),
    ("bluesky", include_str!("templates/post.html")),
    ("mastodon", include_str!("templates/post.html")),
    ("gist", include_str!("templates/gist.html")),
];

/// The values the built-in `call.name`'s template gets, or an error at the argument
/// (or the call) that is wrong.
pub fn context(call: &Call) -> Result<Context, ShortcodeError> {
    let mut c = Context::new();
    match call.name.as_str() {
        "youtube" => {
            takes(call, &["id", "title"])?;
            let id = required(call, "id")?;
            if !made_of(id, 64, |c| {
                c.is_ascii_alphanumeric() || c == '-' || c == '_'
            }) {
                return Err(wrong(
                    call,
                    "id",
                    "a YouTube video id (letters, digits, - and _)",
                ));
            }
            c.insert("id", id);
            c.insert("title", optional(call, "title")?.unwrap_or("YouTube video"));
        }
        "vimeo" => {
            takes(call, &["id", "title"])?;
            let id = match call.arg("id").map(|a| &a.value) {
                Some(Value::Int(n)) if *n > 0 => n.to_string(),
                _ => required(call, "id")?.to_string(),
            };
            if !made_of(&id, 32, |c| c.is_ascii_digit()) {
                return Err(wrong(call, "id", "a Vimeo video id (digits)"));
            }
            c.insert("id", &id);
            c.insert("title", optional(call, "title")?.unwrap_or("Vimeo video"));
        }
        "video" => {
            takes(call, &["src", "poster", "caption"])?;
            let src = url(call, "src", true)?.unwrap_or_default();
            c.insert("src", src);
            c.insert("poster", url(call, "poster", true)?.unwrap_or_default());
            c.insert("caption", optional(call, "caption")?.unwrap_or_default());
            // A remote file is fetched only when the reader plays it.
            let remote = src.contains("://") || src.starts_with("//");
            c.insert("preload", if remote { "none" } else { "metadata" });
            c.insert("link_text", "Download the video");
        }
        "figure" => {
            takes(call, &["src", "alt", "caption"])?;
            c.insert("src", url(call, "src", true)?.unwrap_or_default());
            if call.arg("alt").is_none() {
                return Err(ShortcodeError::at(
                    call.at,
                    "figure() needs `alt`, the image described for readers who cannot see it (alt=\"\" for a decorative one)",
                ));
            }
            c.insert("alt", optional(call, "alt")?.unwrap_or_default());
            c.insert("caption", optional(call, "caption")?.unwrap_or_default());
        }
        "x" | "bluesky" | "mastodon" => post(call, &mut c)?,
        "gist" => {
            takes(call, &["user", "id", "url"])?;
            let (user, id) = match optional(call, "url")? {
                Some(u) => gist_url(u).ok_or_else(|| {
                    wrong(
                        call,
                        "url",
                        "a gist's address (https://gist.github.com/USER/ID)",
                    )
                })?,
                None => (required(call, "user")?, required(call, "id")?),
            };
            if !made_of(user, 39, |c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(wrong(call, "user", "a GitHub user name"));
            }
            if !made_of(id, 64, |c| c.is_ascii_alphanumeric()) {
                return Err(wrong(call, "id", "a gist id (letters and digits)"));
            }
            c.insert("user", user);
            c.insert("id", id);
        }
        _ => unreachable!("only built-in names are checked here"),
    }
    Ok(c)
}

/// `x`, `bluesky` and `mastodon`: the post quoted as text, with a link to it.
fn post(call: &Call, c: &mut Context) -> Result<(), ShortcodeError> {
    takes(call, &["url", "text", "author", "date"])?;
    let url = url(call, "url", false)?.unwrap_or_default();
    let text = match (optional(call, "text")?, &call.body) {
        (Some(text), None) => text,
        (None, Some(body)) => body.as_str(),
        (Some(_), Some(_)) => {
            return Err(ShortcodeError::at(
                call.at,
                format!(
                    "{}() takes its text as `text` or as a body, not both",
                    call.name
                ),
            ));
        }
        // Only where the post is (an import knows no more): a link to it.
        (None, None) => "",
    };
    // The post's paragraphs as it wrote them: blank lines part them, lines join.
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    let on = match call.name.as_str() {
        "x" => "on X",
        "bluesky" => "on Bluesky",
        _ => "on Mastodon",
    };
    c.insert("url", url);
    c.insert("paragraphs", &paragraphs);
    c.insert("author", optional(call, "author")?.unwrap_or_default());
    c.insert("date", optional(call, "date")?.unwrap_or_default());
    c.insert("on", on);
    Ok(())
}

/// The user and id of `https://gist.github.com/USER/ID`.
fn gist_url(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("https://gist.github.com/")?;
    let rest = rest.trim_end_matches('/');
    let (user, id) = rest.split_once('/')?;
    (!id.contains('/')).then_some((user, id))
}

/// Refuses an argument the shortcode does not take.
fn takes(call: &Call, keys: &[&str]) -> Result<(), ShortcodeError> {
    match call.args.iter().find(|a| !keys.contains(&a.key.as_str())) {
        Some(arg) => Err(ShortcodeError::at(
            arg.at,
            format!(
                "{}() takes no argument `{}` (it takes {})",
                call.name,
                arg.key,
                keys.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

/// A string argument, if given.
fn optional<'a>(call: &'a Call, key: &str) -> Result<Option<&'a str>, ShortcodeError> {
    match call.arg(key) {
        None => Ok(None),
        Some(arg) => match &arg.value {
            Value::Str(s) => Ok(Some(s)),
            other => Err(ShortcodeError::at(
                arg.at,
                format!("`{key}` must be a \"string\", not {}", other.kind()),
            )),
        },
    }
}

fn required<'a>(call: &'a Call, key: &str) -> Result<&'a str, ShortcodeError> {
    optional(call, key)?
        .ok_or_else(|| ShortcodeError::at(call.at, format!("{}() needs `{key}`", call.name)))
}

/// A URL argument: `http(s)://…`, or with `relative` also a path (a file of the site or
/// of the article's folder); never `javascript:`, `data:` or another scheme. `src` is
/// required wherever it is asked for.
fn url<'a>(call: &'a Call, key: &str, relative: bool) -> Result<Option<&'a str>, ShortcodeError> {
    let value = if matches!(key, "src" | "url") {
        Some(required(call, key)?)
    } else {
        optional(call, key)?
    };
    let Some(text) = value else {
        return Ok(None);
    };
    let fine = match url::Url::parse(text) {
        Ok(parsed) => matches!(parsed.scheme(), "http" | "https"),
        Err(url::ParseError::RelativeUrlWithoutBase) => relative && !text.trim().is_empty(),
        Err(_) => false,
    };
    if !fine || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        let what = if relative {
            "an http(s) URL or a path"
        } else {
            "an http(s) URL"
        };
        return Err(wrong(call, key, what));
    }
    Ok(Some(text))
}

/// The error for an argument that is given but is not `what`.
fn wrong(call: &Call, key: &str, what: &str) -> ShortcodeError {
    let arg = call.arg(key);
    let shown = match arg.map(|a| &a.value) {
        Some(Value::Str(s)) => format!("{s:?}"),
        Some(Value::Int(n)) => n.to_string(),
        Some(Value::Float(f)) => f.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        None => String::new(),
    };
    ShortcodeError::at(
        arg.map_or(call.at, |a| a.at),
        format!("`{key}` {shown} is not {what}"),
    )
}

/// Whether `text` is 1 to `most` characters, each `allowed`.
fn made_of(text: &str, most: usize, allowed: impl Fn(char) -> bool) -> bool {
    !text.is_empty() && text.len() <= most && text.chars().all(allowed)
}
