//! The one place that reads Tera's error text. Tera 2.4 checks every template's filters,
//! functions, tests, components and includes when templates are added, and gives what it
//! finds only as one `ErrorKind::Msg` string: each finding's report (the text its
//! `ReportError` prints: an `error: <message>` line, a ` --> <name>:<line>:<column>` line,
//! then the quoted source) joined by blank lines. Those reports are not reachable as
//! values, so they are read back here; every other Tera error is taken from its kinds.
//! The tests pin the text of the Tera version in use: an upgrade that changes it fails
//! them instead of turning placed messages into unplaced ones.

/// One finding in a Tera message: where (`template` as Tera names it, and `line:column`)
/// and what.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Report<'a> {
    pub template: &'a str,
    pub position: &'a str,
    pub message: &'a str,
}

/// The reports in a message of Tera's, if it holds any and each is placed.
pub(super) fn reports(text: &str) -> Option<Vec<Report<'_>>> {
    let mut found = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let place = lines.next()?.trim_start().strip_prefix("--> ")?;
        let (template, line_number) = place.rsplit_once(':')?.0.rsplit_once(':')?;
        let position = &place[template.len() + 1..];
        if !line_number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        found.push(Report {
            template,
            position,
            message,
        });
    }
    (!found.is_empty()).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text this module reads, as the Tera in use writes it.
    #[test]
    fn tera_joins_the_reports_it_finds_when_templates_are_added() {
        let mut tera = tera::Tera::new();
        let error = tera
            .add_raw_templates([
                ("a.html", "{{ x | nofilter }}\n{% include \"gone.html\" %}"),
                ("b.html", "ok"),
            ])
            .unwrap_err();
        let tera::ErrorKind::Msg(text) = error.kind() else {
            panic!("Tera gave {:?}", error.kind());
        };
        assert_eq!(
            text,
            "error: Unknown filter `nofilter`\n \
             --> a.html:1:8\n  |\n1 | {{ x | nofilter }}\n  |        ^^^^^^^^\n\n\
             error: Unknown template `gone.html`\n \
             --> a.html:2:12\n  |\n2 | {% include \"gone.html\" %}\n  |            ^^^^^^^^^^^"
        );
        assert_eq!(
            reports(text),
            Some(vec![
                Report {
                    template: "a.html",
                    position: "1:8",
                    message: "Unknown filter `nofilter`",
                },
                Report {
                    template: "a.html",
                    position: "2:12",
                    message: "Unknown template `gone.html`",
                },
            ])
        );
    }

    #[test]
    fn other_messages_are_not_taken_for_reports() {
        assert_eq!(reports("error: something\nwithout a place"), None);
        assert_eq!(reports("plain words"), None);
    }
}
