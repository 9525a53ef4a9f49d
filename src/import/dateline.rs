//! Datelines and bylines: the short lines under a headline that say when and by whom.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// Words that may introduce a dateline.
const DATE_PREFIXES: &[&str] = &[
    "published on",
    "published",
    "updated on",
    "updated",
    "posted on",
    "posted",
    "last updated",
    "date",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
];

/// Reads a dateline such as "Published November 24, 2014", "24 November 2014",
/// "2014-11-24" or "Monday, 24 Nov 2014 at 10:30 GMT". The whole line must be a date:
/// a sentence that merely mentions one is not a dateline. Times are taken as UTC.
pub fn parse_dateline(line: &str) -> Option<NaiveDateTime> {
    // The longest dateline form is well under this; paragraphs are not datelines.
    if line.len() > 80 {
        return None;
    }
    let mut text = line.trim().trim_end_matches('.').to_string();
    let lower = text.to_lowercase();
    for prefix in DATE_PREFIXES {
        if let Some(rest) = lower.strip_prefix(prefix)
            && (rest.starts_with(' ') || rest.starts_with(':'))
        {
            text = text[prefix.len()..]
                .trim_start_matches([':', ' '])
                .to_string();
            break;
        }
    }
    let text = text.replace(',', " ");
    let mut tokens: Vec<&str> = text.split_whitespace().collect();
    if tokens
        .first()
        .is_some_and(|t| WEEKDAYS.contains(&t.to_lowercase().as_str()))
    {
        tokens.remove(0);
    }
    if tokens.len() == 1
        && let Ok(d) = chrono::DateTime::parse_from_rfc3339(tokens[0])
    {
        return Some(d.naive_utc());
    }
    let (date, rest) = parse_date_tokens(&tokens)?;
    let time = parse_time_tokens(rest)?;
    Some(date.and_time(time))
}

fn parse_date_tokens<'a>(tokens: &'a [&'a str]) -> Option<(NaiveDate, &'a [&'a str])> {
    if let Some(first) = tokens.first()
        && let Ok(d) = NaiveDate::parse_from_str(first, "%Y-%m-%d")
    {
        return Some((d, &tokens[1..]));
    }
    if tokens.len() >= 3 {
        let joined = tokens[..3].join(" ");
        for format in ["%B %d %Y", "%d %B %Y", "%b %d %Y", "%d %b %Y"] {
            if let Ok(d) = NaiveDate::parse_from_str(&joined, format) {
                return Some((d, &tokens[3..]));
            }
        }
    }
    None
}

/// An optional time after the date: "10:30", "at 10:30 am", "10:30 GMT". Midnight if none.
fn parse_time_tokens(tokens: &[&str]) -> Option<NaiveTime> {
    let mut tokens = tokens.to_vec();
    if tokens
        .first()
        .is_some_and(|t| t.eq_ignore_ascii_case("at") || *t == "-" || *t == "|")
    {
        tokens.remove(0);
    }
    if tokens
        .last()
        .is_some_and(|t| ["utc", "gmt", "z"].contains(&t.to_lowercase().as_str()))
    {
        tokens.pop();
    }
    match tokens.as_slice() {
        [] => NaiveTime::from_hms_opt(0, 0, 0),
        [time] => NaiveTime::parse_from_str(time, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M:%S"))
            .or_else(|_| NaiveTime::parse_from_str(&time.to_lowercase(), "%I:%M%P"))
            .ok(),
        [time, meridiem] => NaiveTime::parse_from_str(
            &format!("{} {}", time, meridiem.to_lowercase().replace('.', "")),
            "%I:%M %P",
        )
        .ok(),
        _ => None,
    }
}

/// Lowercase words allowed inside a personal name ("Ludwig van Beethoven").
const NAME_PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "da", "di", "du", "la", "le", "bin", "al",
];

/// True when `text` looks like a personal name: 1 to `max_words` words, the first and last
/// capitalised, no digits and no sentence punctuation.
pub fn is_name(text: &str, min_words: usize, max_words: usize) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() < min_words || words.len() > max_words {
        return false;
    }
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let word_ok = |w: &&str| {
        (capitalised(w) || NAME_PARTICLES.contains(w))
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
    };
    words.iter().all(word_ok)
        && capitalised(words[0])
        && capitalised(words[words.len() - 1])
        && !text.ends_with(['.', '!', '?', ':', ';', ','])
}

/// Reads a byline: "By Priya Patel", "By A and B", "By A, B and C" (also "&").
pub fn parse_byline(line: &str) -> Option<Vec<String>> {
    let rest = line
        .trim()
        .strip_prefix("By ")
        .or_else(|| line.trim().strip_prefix("by "))?;
    let rest = rest.trim().trim_end_matches('.');
    let names: Vec<String> = rest
        .split(", ")
        .flat_map(|part| part.split(" and "))
        .flat_map(|part| part.split(" & "))
        .map(|n| n.trim().trim_start_matches("and ").trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty() && names.iter().all(|n| is_name(n, 1, 4))).then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn datelines_in_the_forms_news_sites_use() {
        assert_eq!(
            parse_dateline("Published November 24, 2014"),
            Some(dt("2014-11-24 00:00"))
        );
        assert_eq!(
            parse_dateline("24 November 2014"),
            Some(dt("2014-11-24 00:00"))
        );
        assert_eq!(parse_dateline("2014-11-24"), Some(dt("2014-11-24 00:00")));
        assert_eq!(
            parse_dateline("2014-11-24 10:30"),
            Some(dt("2014-11-24 10:30"))
        );
        assert_eq!(
            parse_dateline("Published: Monday, 24 Nov 2014 at 3:05 pm GMT"),
            Some(dt("2014-11-24 15:05"))
        );
        assert_eq!(
            parse_dateline("2014-11-24T10:30:00Z"),
            Some(dt("2014-11-24 10:30"))
        );
    }

    #[test]
    fn sentences_that_mention_dates_are_not_datelines() {
        assert_eq!(
            parse_dateline("The TV was revealed in September 2013 and sold well."),
            None
        );
        assert_eq!(parse_dateline("November 24, 2014 was a big day"), None);
        assert_eq!(parse_dateline("Xiaomi"), None);
    }

    #[test]
    fn bylines_with_one_or_many_authors() {
        assert_eq!(
            parse_byline("By Priya Patel"),
            Some(vec!["Priya Patel".to_string()])
        );
        assert_eq!(
            parse_byline("By Ann Lee and Bo Chen"),
            Some(vec!["Ann Lee".to_string(), "Bo Chen".to_string()])
        );
        assert_eq!(
            parse_byline("By Ann Lee, Bo Chen and Cy Diaz"),
            Some(vec!["Ann Lee".into(), "Bo Chen".into(), "Cy Diaz".into()])
        );
        assert_eq!(
            parse_byline("By the end of the year, sales had doubled."),
            None
        );
    }

    #[test]
    fn names() {
        assert!(is_name("Jamie Hinks", 2, 4));
        assert!(is_name("Ludwig van Beethoven", 2, 4));
        assert!(!is_name("Jamie", 2, 4));
        assert!(!is_name("Image Credit: Flickr", 2, 4));
        assert!(!is_name("The Five Biggest Phones Of 2014", 2, 4));
    }
}
