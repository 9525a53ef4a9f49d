//! ARCHITECTURE.md's facts checked against the code, so the map cannot drift from the
//! territory again: the build record's format number, every `src/…` path it names, and its
//! code map covering exactly the top-level modules of `src/lib.rs`.

use std::collections::BTreeSet;
use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `src/…` path in a text, without the sentence's punctuation after it.
fn src_paths(text: &str) -> BTreeSet<String> {
    text.match_indices("src/")
        .filter(|(at, _)| {
            // `src/` starting a path, not the end of a longer word.
            !text[..*at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '/')
        })
        .map(|(at, _)| {
            let path: String = text[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '/' | '.' | '-'))
                .collect();
            path.trim_end_matches('.').to_string()
        })
        .collect()
}

/// The top-level modules `src/lib.rs` declares.
fn lib_modules() -> BTreeSet<String> {
    read("src/lib.rs")
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("pub mod ")
                .or(line.strip_prefix("mod "))?;
            Some(rest.strip_suffix(';')?.to_string())
        })
        .collect()
}

/// The record format the code writes: the number ending the build record's header line.
fn code_record_format() -> String {
    let mut found = BTreeSet::new();
    for entry in walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for (at, m) in text.match_indices("\"gazette build cache ") {
                let number: String = text[at + m.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                found.insert(number);
            }
        }
    }
    assert_eq!(found.len(), 1, "one header in src: {found:?}");
    found.pop_first().unwrap()
}

#[test]
fn the_record_format_it_states_is_the_one_the_code_writes() {
    let doc = read("ARCHITECTURE.md");
    let stated: BTreeSet<String> = doc
        .match_indices("record format ")
        .map(|(at, m)| {
            doc[at + m.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect()
        })
        .collect();
    assert!(!stated.is_empty(), "ARCHITECTURE.md states a record format");
    assert_eq!(
        stated,
        BTreeSet::from([code_record_format()]),
        "ARCHITECTURE.md's record format"
    );
}

#[test]
fn every_src_path_it_names_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let missing: Vec<String> = src_paths(&read("ARCHITECTURE.md"))
        .into_iter()
        .filter(|path| !root.join(path).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "named in ARCHITECTURE.md, not in the tree: {missing:?}"
    );
}

#[test]
fn its_code_map_names_every_top_level_module_and_no_other() {
    let doc = read("ARCHITECTURE.md");
    let start = doc.find("## Code map").expect("a code map");
    let end = doc[start + 1..]
        .find("\n## ")
        .map_or(doc.len(), |at| start + 1 + at);
    let headings: String = doc[start..end]
        .lines()
        .filter(|line| line.starts_with("### "))
        .collect::<Vec<_>>()
        .join("\n");
    // A module is `src/<name>.rs` or `src/<name>/`; main.rs is the binary, no module.
    let mapped: BTreeSet<String> = src_paths(&headings)
        .into_iter()
        .filter(|path| path != "src/main.rs")
        .map(|path| {
            let name = path.strip_prefix("src/").unwrap();
            let top = name.split('/').next().unwrap();
            top.strip_suffix(".rs").unwrap_or(top).to_string()
        })
        .collect();
    let modules = lib_modules();
    assert!(!modules.is_empty());
    let unmapped: Vec<_> = modules.difference(&mapped).collect();
    let unknown: Vec<_> = mapped.difference(&modules).collect();
    assert!(
        unmapped.is_empty() && unknown.is_empty(),
        "modules of src/lib.rs without a code-map heading: {unmapped:?}; \
         headings naming no module: {unknown:?}"
    );
}
