//! `gazette check`: report every problem a reader would hit, one line each; exit 1 if any.

use crate::check;
use crate::cli::CheckArgs;
use crate::error::Error;
use crate::text::count;

pub fn run(args: CheckArgs) -> Result<(), Error> {
    let report = check::run(&args.site.root(), args.external, args.drafts, args.base_url)?;
    for problem in &report.problems {
        println!("{problem}");
    }
    for warning in &report.warnings {
        println!("{warning} (warning)");
    }
    for note in &report.notes {
        println!("{note} (note)");
    }
    if report.unloadable {
        println!(
            "content files that do not load stop the check before links are checked: fix them first"
        );
        return Err(Error::Unloadable {
            count: report.problems.len(),
        });
    }
    let external = match report.external {
        Some((checked, failed)) => format!(
            ", {} ({failed} failing)",
            count(checked, "external link", "external links")
        ),
        None => ", external links not checked (--external checks them)".into(),
    };
    let warnings = match report.warnings.len() {
        0 => String::new(),
        1 => ", 1 warning".to_string(),
        n => format!(", {n} warnings"),
    };
    println!(
        "checked {}, {}{external}: {}{warnings}",
        count(report.pages, "page", "pages"),
        count(report.internal_links, "internal link", "internal links"),
        match report.problems.len() {
            0 => "no problems".to_string(),
            1 => "1 problem".to_string(),
            n => format!("{n} problems"),
        }
    );
    if report.problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Problems {
            count: report.problems.len(),
        })
    }
}
