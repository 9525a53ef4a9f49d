//! Filters Gazette adds to Tera. Tera 2 has no date filter, so dates are formatted here,
//! in Rust, with chrono; nor a JSON filter, which feeds and JSON-LD need. `credit` labels
//! an image credit once, whether or not its writer labelled it.

use chrono::DateTime;
use tera::{Kwargs, State, Tera, TeraResult, Value};

pub fn register(tera: &mut Tera) {
    tera.register_filter("date", date);
    tera.register_filter("json", json);
    tera.register_filter("credit", credit);
}

/// `{{ img.credit | credit(label="Image") }}`: the credit after its label ("Image: Jane
/// Doe"), unless it has one of its own ("Photo: Jane Doe", "Illustration: …"): a short
/// run of words then a colon and a space. A URL (`https://…`) is not a label.
fn credit(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let label = kwargs.get::<&str>("label")?.unwrap_or("Image");
    let labelled = value.split_once(": ").is_some_and(|(head, _)| {
        head.chars().count() <= 24
            && head.chars().all(|c| c.is_alphabetic() || c == ' ')
            && head.split(' ').count() <= 3
    });
    Ok(if labelled {
        value.to_string()
    } else {
        format!("{label}: {value}")
    })
}

/// `{{ value | json }}`: the value as JSON, safe to embed anywhere — in a JSON file or in
/// an HTML `<script>` — because `<`, `>` and `&` are written as `\u` escapes (so no
/// `</script>` can appear), and so are U+2028/U+2029, which old JavaScript rejects.
fn json(value: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    let text = serde_json::to_string(&value).map_err(|e| {
        tera::Error::message(format!("the `json` filter cannot encode this value: {e}"))
    })?;
    // Most values have nothing to escape (0xE2 leads U+2028 and U+2029 in UTF-8): JSON-LD
    // calls this a dozen times per page, so the common case must not copy.
    if !text.bytes().any(|b| matches!(b, b'<' | b'>' | b'&' | 0xE2)) {
        return Ok(Value::safe_string(&text));
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    Ok(Value::safe_string(&out))
}

/// `{{ article.date | date(format="%Y-%m-%d") }}`: formats an RFC 3339 date string with a
/// chrono format (default "%-d %B %Y", e.g. "24 November 2014").
fn date(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let format = kwargs.get::<&str>("format")?.unwrap_or("%-d %B %Y");
    let parsed = DateTime::parse_from_rfc3339(value).map_err(|_| {
        tera::Error::message(format!(
            "the `date` filter needs an RFC 3339 date such as article.date, got {value:?}"
        ))
    })?;
    let items: Vec<_> = chrono::format::StrftimeItems::new(format).collect();
    if items.contains(&chrono::format::Item::Error) {
        return Err(tera::Error::message(format!(
            "the `date` filter got an invalid format {format:?}"
        )));
    }
    Ok(parsed.format_with_items(items.into_iter()).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str) -> TeraResult<String> {
        let mut tera = Tera::new();
        register(&mut tera);
        tera.add_raw_template("t", template)?;
        let mut ctx = tera::Context::new();
        ctx.insert("d", "2014-11-24T09:05:00+00:00");
        tera.render("t", &ctx)
    }

    #[test]
    fn json_is_valid_and_safe_inside_script_tags() {
        let out = render("{{ \"</script> & \\\"quoted\\\" \u{2028}\" | json }}").unwrap();
        assert!(!out.contains('<') && !out.contains('&'), "{out}");
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, "</script> & \"quoted\" \u{2028}");
        assert_eq!(render("{{ [1, \"a\"] | json }}").unwrap(), "[1,\"a\"]");
    }

    #[test]
    fn a_credit_is_labelled_once() {
        let credit = |c: &str| render(&format!("{{{{ {c:?} | credit }}}}")).unwrap();
        assert_eq!(credit("Jane Doe"), "Image: Jane Doe");
        assert_eq!(credit("Photo: Jane Doe"), "Photo: Jane Doe");
        assert_eq!(credit("Image courtesy of: ACME"), "Image courtesy of: ACME");
        assert_eq!(
            credit("https://example.org/x"),
            "Image: https://example.org/x"
        );
        assert_eq!(
            credit("Reuters, 2024: archive"),
            "Image: Reuters, 2024: archive"
        );
        assert_eq!(
            render("{{ \"Jane\" | credit(label=\"Image credit\") }}").unwrap(),
            "Image credit: Jane"
        );
    }

    #[test]
    fn formats_dates() {
        assert_eq!(render("{{ d | date }}").unwrap(), "24 November 2014");
        assert_eq!(
            render("{{ d | date(format=\"%Y/%m\") }}").unwrap(),
            "2014/11"
        );
        assert!(render("{{ \"soon\" | date }}").is_err());
        assert!(render("{{ d | date(format=\"%Q\") }}").is_err());
    }
}
