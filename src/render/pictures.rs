//! Images as pages show them: an article's lead image as a template value (its variants as
//! `srcset`s, its sizes, alt text, credit and caption), and the `<img>`s of its body turned
//! into `<picture>`s of their variants, with `width`/`height` and lazy loading.
//!
//! Variant URLs are absolute (under `base_url`), so feeds carry them as they are.

use std::borrow::Cow;

use tera::Value;

use super::context::Obj;
use crate::content::{Document, ImageRef};
use crate::images::{Images, Prepared, Variant};

/// The `sizes` of body images: the broadsheet column (46rem less its padding), else the
/// viewport. Only a hint for choosing among the variants.
const BODY_SIZES: &str = "(min-width: 46rem) 43.5rem, 100vw";

/// The width the fallback `src` should have: what a column shows on most screens.
const FALLBACK_WIDTH: u32 = 960;

/// `article.image`, or none: see docs/templates.md.
pub fn lead_value(article: &impl Document, images: &Images, base: &str) -> Value {
    let Some(image) = article.image() else {
        return Value::none();
    };
    let common = Obj::new()
        .set("alt", image.alt.as_deref().unwrap_or(""))
        .set("has_alt", image.alt.is_some())
        .set("caption", image.caption.as_deref())
        .set("credit", article.image_credit());
    match (&image.source, images.lead(article)) {
        (ImageRef::Remote(url), _) => {
            let one = sized(url.clone(), None);
            common
                .set("url", url.as_str())
                .set("width", Value::none())
                .set("height", Value::none())
                .set("type", Value::none())
                .set("srcset", "")
                .set("webp_srcset", "")
                .set("small", one.clone())
                .set("large", one)
                .set("remote", true)
                .done()
        }
        (_, Some(prepared)) => prepared_value(common, prepared, base)
            .set("remote", false)
            .done(),
        // Planning found every local lead image or failed the build.
        (_, None) => Value::none(),
    }
}

/// `{url, width, height, webp_url}` of an image's smallest variant (the original when it
/// has none): for small pictures such as an author's photo.
pub fn smallest_value(p: &Prepared, base: &str) -> Value {
    let own = p.own().next();
    let webp = p.webp().next().map(|w| format!("{base}{}", w.url_path));
    let (path, width, height) = own.map_or((&p.url_path, p.probe.width, p.probe.height), |v| {
        (&v.url_path, v.width, v.height)
    });
    Obj::new()
        .set("url", format!("{base}{path}"))
        .set("width", width)
        .set("height", height)
        .set("webp_url", webp)
        .done()
}

fn prepared_value(common: Obj, p: &Prepared, base: &str) -> Obj {
    let own: Vec<&Variant> = p.own().collect();
    let webp: Vec<&Variant> = p.webp().collect();
    let original = || {
        sized(
            format!("{base}{}", p.url_path),
            Some((p.probe.width, p.probe.height)),
        )
    };
    let of = |v: &Variant| sized(format!("{base}{}", v.url_path), Some((v.width, v.height)));
    let fallback = fallback(&own);
    let (url, width, height) = match fallback {
        Some(v) => (format!("{base}{}", v.url_path), v.width, v.height),
        None => (
            format!("{base}{}", p.url_path),
            p.probe.width,
            p.probe.height,
        ),
    };
    common
        .set("url", url)
        .set("width", width)
        .set("height", height)
        .set("type", own.first().map(|v| v.encoding.mime()))
        .set("srcset", srcset(&own, base))
        .set("webp_srcset", srcset(&webp, base))
        .set(
            "small",
            own.first().map_or_else(original, |v| {
                Obj::new()
                    .set("url", format!("{base}{}", v.url_path))
                    .set("width", v.width)
                    .set("height", v.height)
                    .set(
                        "webp_url",
                        webp.first().map(|w| format!("{base}{}", w.url_path)),
                    )
                    .done()
            }),
        )
        .set("large", own.last().map_or_else(original, |v| of(v)))
}

/// `{url, width, height}`.
fn sized(url: String, size: Option<(u32, u32)>) -> Value {
    Obj::new()
        .set("url", url)
        .set("width", size.map(|s| s.0))
        .set("height", size.map(|s| s.1))
        .done()
}

/// The variant a browser without `srcset` gets: the widest up to [`FALLBACK_WIDTH`], else
/// the narrowest.
fn fallback<'a>(variants: &[&'a Variant]) -> Option<&'a Variant> {
    variants
        .iter()
        .rev()
        .find(|v| v.width <= FALLBACK_WIDTH)
        .or(variants.first())
        .copied()
}

fn srcset(variants: &[&Variant], base: &str) -> String {
    variants
        .iter()
        .map(|v| format!("{base}{} {}w", v.url_path, v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `html` (an article's) with each `<img>` of a processed image made a `<picture>` of its
/// variants; other images get nothing but what they had.
pub fn with_pictures<'a>(
    html: &'a str,
    article: &impl Document,
    images: &Images,
    base: &str,
) -> Cow<'a, str> {
    if article.body_images().is_empty() || images.by_path.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 512);
    let mut copied = 0;
    let mut from = 0;
    while let Some(start) = html[from..].find("<img").map(|i| i + from) {
        let Some(end) = crate::text::html_tag_end(html, start) else {
            break;
        };
        from = end;
        let tag = &html[start..end];
        let mut attributes: Vec<(String, &str)> = Vec::new();
        crate::html::for_each_attribute(tag, |name, _, range| {
            attributes.push((name.to_string(), &tag[range]));
        });
        let Some(prepared) = attributes
            .iter()
            .find(|(name, _)| *name == "src")
            .and_then(|(_, src)| images.in_body(article, src))
        else {
            continue;
        };
        out.push_str(&html[copied..start]);
        out.push_str(&picture(prepared, &attributes, base));
        copied = end;
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// A `<picture>` of `p`'s variants, keeping the `<img>`'s other attributes (`alt`,
/// `title`, `class`…) as written.
fn picture(p: &Prepared, attributes: &[(String, &str)], base: &str) -> String {
    let own: Vec<&Variant> = p.own().collect();
    let webp: Vec<&Variant> = p.webp().collect();
    let (src, width, height) = match fallback(&own) {
        Some(v) => (format!("{base}{}", v.url_path), v.width, v.height),
        None => (
            format!("{base}{}", p.url_path),
            p.probe.width,
            p.probe.height,
        ),
    };
    let mut img = format!("<img src=\"{src}\"");
    if !own.is_empty() {
        img.push_str(&format!(
            " srcset=\"{}\" sizes=\"{BODY_SIZES}\"",
            srcset(&own, base)
        ));
    }
    img.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
    let replaced = [
        "src", "srcset", "sizes", "width", "height", "loading", "decoding",
    ];
    for (name, value) in attributes {
        if !replaced.contains(&name.as_str()) {
            img.push_str(&format!(" {name}=\"{value}\""));
        }
    }
    img.push_str(" loading=\"lazy\" decoding=\"async\">");
    if webp.is_empty() {
        return img;
    }
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{BODY_SIZES}\">{img}</picture>",
        srcset(&webp, base)
    )
}
