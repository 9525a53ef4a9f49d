//! Filters Gazette adds to Tera. Tera 2 has no date filter, so dates are formatted here,
//! in Rust, with chrono.

use chrono::DateTime;
use tera::{Kwargs, State, Tera, TeraResult};

pub fn register(tera: &mut Tera) {
    tera.register_filter("date", date);
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
