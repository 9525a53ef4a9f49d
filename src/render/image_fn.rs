//! The `image()` template function: another image of the site (a logo, a section's banner)
//! at a width and in a format, as `{url, width, height}`:
//!
//! ```text
//! {% set logo = image(path="/images/logo.png", width=320, format="webp") %}
//! <img src="{{ logo.url }}" width="{{ logo.width }}" height="{{ logo.height }}" alt="…">
//! ```
//!
//! Its arguments are literals, read from the templates' text when the theme loads, so the
//! images stage plans and makes every variant a theme asks for before any page renders, and
//! whatever pages a build renders or carries over, their variants are in the output.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::RenderError;
use crate::images::{ImageAnswer, ImageCall, call_key as key};
use crate::location::Position;

/// The template value of an answer: `{url, width, height}`.
pub fn value(answer: &ImageAnswer) -> Value {
    super::context::Obj::new()
        .set("url", answer.url.clone())
        .set("width", answer.width)
        .set("height", answer.height)
        .done()
}

/// The answers, filled in by the engine once the images are planned.
pub type Answers = Arc<RwLock<HashMap<String, Value>>>;

pub fn register(tera: &mut Tera, answers: Answers) {
    tera.register_function("image", move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
        let path = kwargs.must_get::<&str>("path")?;
        let width = kwargs.get::<u32>("width")?;
        let format = kwargs.get::<&str>("format")?;
        let answers = answers.read().expect("never poisoned: writers do not panic");
        answers
            .get(&key(path, width, format))
            .cloned()
            .ok_or_else(|| {
                tera::Error::message(format!(
                    "image(path={path:?}) was not planned: its arguments must be written as literals"
                ))
            })
    });
}

/// Every `image(...)` in `text` (the template `source`), its arguments read; one whose
/// arguments are not literals, or are unknown, is an error at its line.
pub fn calls_in(source: &str, text: &str) -> Result<Vec<ImageCall>, RenderError> {
    let mut calls = Vec::new();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'.';
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices("image(") {
        if at.checked_sub(1).is_some_and(|i| word(bytes[i])) {
            continue;
        }
        let line = Position::of_offset(text, at).line;
        let fail = |message: String| RenderError::Template {
            location: format!("{source}:{line}"),
            message,
            rendering: None,
        };
        let args_start = at + "image(".len();
        let Some(length) = closing(&text[args_start..]) else {
            return Err(fail("image( is not closed".into()));
        };
        let mut call = ImageCall {
            place: format!("{source}:{line}"),
            path: String::new(),
            width: None,
            format: None,
        };
        for argument in split_arguments(&text[args_start..args_start + length]) {
            let Some((name, value)) = argument.split_once('=') else {
                return Err(fail(format!(
                    "image() takes named arguments, not {argument:?}"
                )));
            };
            let (name, value) = (name.trim(), value.trim());
            let string = || {
                let quoted = value.len() >= 2
                    && (value.starts_with('"') && value.ends_with('"')
                        || value.starts_with('\'') && value.ends_with('\''));
                quoted.then(|| value[1..value.len() - 1].to_string())
            };
            let literal_needed = || {
                fail(format!(
                    "image(): `{name}` must be written as a literal (path=\"/images/logo.png\", width=320, format=\"webp\"): the images are made before pages render"
                ))
            };
            match name {
                "path" => call.path = string().ok_or_else(literal_needed)?,
                "width" => {
                    call.width = Some(
                        value
                            .parse::<u32>()
                            .ok()
                            .filter(|w| (1..=10_000).contains(w))
                            .ok_or_else(literal_needed)?,
                    )
                }
                "format" => {
                    let format = string().ok_or_else(literal_needed)?;
                    if !["webp", "jpg", "png"].contains(&format.as_str()) {
                        return Err(fail(format!(
                            "image(): format {format:?} is not one of \"webp\", \"jpg\", \"png\""
                        )));
                    }
                    call.format = Some(format);
                }
                other => return Err(fail(format!("image() has no argument `{other}`"))),
            }
        }
        if !call.path.starts_with('/') {
            return Err(fail(
                "image() needs `path`, a path below the site root such as \"/images/logo.png\""
                    .into(),
            ));
        }
        call.path = call.path.trim_start_matches('/').to_string();
        calls.push(call);
    }
    Ok(calls)
}

/// The length of the argument list up to its closing parenthesis, quotes respected.
fn closing(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ')') => return Some(i),
            _ => {}
        }
    }
    None
}

fn split_arguments(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ',') => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_read_with_their_literal_arguments() {
        let text = "<p>{{ site.image }}</p>\n{% set l = image(path=\"/images/logo.png\", width=320, format='webp') %}{{ image(path=\"/a.jpg\") }}";
        let calls = calls_in("t.html", text).unwrap();
        assert_eq!(
            calls,
            [
                ImageCall {
                    place: "t.html:2".into(),
                    path: "images/logo.png".into(),
                    width: Some(320),
                    format: Some("webp".into()),
                },
                ImageCall {
                    place: "t.html:2".into(),
                    path: "a.jpg".into(),
                    width: None,
                    format: None,
                },
            ]
        );
        for (bad, why) in [
            (
                "{{ image(path=article.slug) }}",
                "must be written as a literal",
            ),
            (
                "{{ image(path=\"/x.png\", size=3) }}",
                "has no argument `size`",
            ),
            (
                "{{ image(path=\"/x.png\", format=\"gif\") }}",
                "is not one of",
            ),
            ("{{ image(path=\"x.png\") }}", "a path below the site root"),
        ] {
            let error = calls_in("t.html", bad).unwrap_err().to_string();
            assert!(
                error.starts_with("t.html:1: ") && error.contains(why),
                "{bad}: {error}"
            );
        }
    }
}
