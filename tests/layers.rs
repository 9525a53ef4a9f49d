//! The house's shape, read from `src/` as text: stages only look down ([`LAYERS`]), and no
//! function outside tests is over [`MAX_FN_LINES`] lines.
//!
//! Cargo enforces this between crates (as it does for Zola's and mdBook's); inside one crate
//! only a test can. Uses inside `#[cfg(test)] mod … { }` blocks, `tests.rs` files and
//! comments do not count: a test may reach anywhere.

use std::path::{Path, PathBuf};

/// The order of the modules, lowest first. A module may use only modules of lower layers;
/// modules in one layer may not use each other.
const LAYERS: &[&[&str]] = &[
    &[
        "hash", "location", "text", "parallel", "nesting", "files", "urls", "html",
    ],
    &["sanitize"],
    &["config"],
    &["paths"],
    &["cache"],
    &["content"],
    &["images"],
    &["search"],
    &["render"],
    &["output"],
    &["published"],
    &["import"],
    &["engine"],
    &["pipeline"],
    &["authoring", "check", "coverage", "watch", "serve"],
    &["error"],
    &["cli"],
    &["cmd"],
    &["lib", "main"],
];

/// The longest a function outside tests may be, from its `fn` line to its closing brace.
const MAX_FN_LINES: usize = 150;

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level module a file of `src/` belongs to (`lib`, `main` for the roots).
fn module_of(relative: &Path) -> String {
    let first = relative.components().next().unwrap();
    let name = first.as_os_str().to_string_lossy();
    name.strip_suffix(".rs").unwrap_or(&name).to_string()
}

/// `text`'s lines with comments blanked and the lines of `#[cfg(test)] mod … { }` blocks
/// dropped (`None`): what is left is the code that ships.
fn shipped_lines(text: &str) -> Vec<Option<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim() == "#[cfg(test)]" {
            let next = lines.get(i + 1).copied().unwrap_or("");
            let trimmed = next.trim_start();
            let is_mod = trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ");
            if is_mod && trimmed.ends_with('{') {
                let indent = &next[..next.len() - trimmed.len()];
                let close = format!("{indent}}}");
                let end = (i + 2..lines.len())
                    .find(|&j| lines[j] == close)
                    .unwrap_or(lines.len() - 1);
                out.extend((i..=end).map(|_| None));
                i = end + 1;
                continue;
            }
        }
        let code = match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        };
        out.push(Some(code.to_string()));
        i += 1;
    }
    out
}

/// Every `crate::<module>` a file's shipped code names: (line number, module, the path as
/// written). `crate::{a, b::C}` names `a` and `b`, over as many lines as it takes.
fn uses(text: &str) -> Vec<(usize, String, String)> {
    let lines = shipped_lines(text);
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(line) = line else { continue };
        let mut rest = line.as_str();
        while let Some(at) = rest.find("crate::") {
            let before_ok = rest[..at]
                .chars()
                .last()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            let after = &rest[at + "crate::".len()..];
            rest = after;
            if !before_ok {
                continue;
            }
            if after.starts_with('{') {
                group(&lines, index, line.len() - after.len(), &mut found);
                continue;
            }
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let path: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            found.push((index + 1, name, format!("crate::{path}")));
        }
    }
    found
}

/// The modules of a `crate::{…}` group starting at `lines[index]`, byte `open` (its `{`).
fn group(
    lines: &[Option<String>],
    index: usize,
    open: usize,
    found: &mut Vec<(usize, String, String)>,
) {
    let mut depth = 0;
    let mut item = String::new();
    let mut at_item_start = true;
    for (offset, line) in lines[index..].iter().enumerate() {
        let Some(line) = line else { return };
        let text = if offset == 0 { &line[open..] } else { line };
        for c in text.chars() {
            let ident = c.is_alphanumeric() || c == '_';
            if depth == 1 && ident && at_item_start {
                item.push(c);
                continue;
            }
            if !item.is_empty() {
                if item != "self" {
                    found.push((index + offset + 1, item.clone(), format!("crate::{item}")));
                }
                item.clear();
                at_item_start = false;
            }
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                ',' if depth == 1 => at_item_start = true,
                _ => {}
            }
        }
    }
}

/// Functions of shipped code over `max` lines: (line of `fn`, name, lines), counted from the
/// `fn` line to the line of the closing brace at the same indentation, both included.
fn long_functions(text: &str, max: usize) -> Vec<(usize, String, usize)> {
    let lines = shipped_lines(text);
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(line) = line else { continue };
        let trimmed = line.trim_start();
        let Some(at) = fn_keyword(trimmed) else {
            continue;
        };
        if trimmed.trim_end().ends_with(';') {
            continue;
        }
        let name: String = trimmed[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let indent = &line[..line.len() - trimmed.len()];
        let close = format!("{indent}}}");
        let end = (index..lines.len()).find(|&j| {
            lines[j].as_deref().is_some_and(|l| {
                l.trim_end() == close || (j == index && l.trim_end().ends_with('}'))
            })
        });
        let Some(end) = end else { continue };
        let length = end - index + 1;
        if length > max {
            found.push((index + 1, name, length));
        }
    }
    found
}

/// Where `fn ` starts in a trimmed line that declares a function (after `pub`, `async`,
/// `const`, `unsafe`, `extern "C"` and the like).
fn fn_keyword(trimmed: &str) -> Option<usize> {
    let at = trimmed.find("fn ")?;
    let head = &trimmed[..at];
    let allowed = [
        "pub",
        "pub(crate)",
        "pub(super)",
        "async",
        "const",
        "unsafe",
        "extern",
        "\"C\"",
    ];
    head.split_whitespace()
        .all(|w| allowed.contains(&w))
        .then_some(at)
}

fn source_files() -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut dirs = vec![src];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && path.file_name().is_some_and(|n| n != "tests.rs")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `src/…` of an absolute path.
fn shown(path: &Path) -> (PathBuf, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = path.strip_prefix(root.join("src")).unwrap().to_path_buf();
    let display = format!("src/{}", relative.to_string_lossy().replace('\\', "/"));
    (relative, display)
}

/// The upward uses of one file, as `src/file.rs:LINE: a -> b (crate::b::Name)`.
fn upward_in(display: &str, module: &str, text: &str) -> Vec<String> {
    let Some(mine) = layer_of(module) else {
        return vec![format!("{display}: module `{module}` is in no layer")];
    };
    uses(text)
        .into_iter()
        .filter(|(_, to, _)| to != module)
        .filter(|(_, to, _)| layer_of(to).is_none_or(|theirs| theirs >= mine))
        .map(|(line, to, path)| format!("{display}:{line}: {module} -> {to} ({path})"))
        .collect()
}

#[test]
fn no_module_reaches_up() {
    let mut offending = Vec::new();
    for path in source_files() {
        let (relative, display) = shown(&path);
        let module = module_of(&relative);
        let text = std::fs::read_to_string(&path).unwrap();
        offending.extend(upward_in(&display, &module, &text));
    }
    assert!(
        offending.is_empty(),
        "modules using a module of their own or a higher layer (see LAYERS):\n{}",
        offending.join("\n")
    );
}

#[test]
fn no_function_outside_tests_is_over_150_lines() {
    let mut offending = Vec::new();
    for path in source_files() {
        let (_, display) = shown(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        for (line, name, length) in long_functions(&text, MAX_FN_LINES) {
            offending.push(format!("{display}:{line} {name} {length} lines"));
        }
    }
    assert!(
        offending.is_empty(),
        "functions over {MAX_FN_LINES} lines:\n{}",
        offending.join("\n")
    );
}

#[test]
fn the_scanner_finds_an_upward_use_and_skips_tests_and_comments() {
    let text = "use crate::{\n    hash,\n    render::Theme,\n};\n// crate::engine::Engine\nfn f() {}\n\n#[cfg(test)]\nmod tests {\n    use crate::engine::Engine;\n}\n";
    let found = upward_in("src/images/mod.rs", "images", text);
    assert_eq!(
        found,
        ["src/images/mod.rs:3: images -> render (crate::render)"]
    );
    let inline = "fn f() { crate::output::write(); }\n";
    assert_eq!(
        upward_in("src/config.rs", "config", inline),
        ["src/config.rs:1: config -> output (crate::output::write)"]
    );
}

#[test]
fn the_scanner_finds_a_long_function() {
    let body = "    let x = 1;\n".repeat(149);
    let long = format!("pub fn long() {{\n{body}}}\n");
    assert_eq!(long_functions(&long, 150), [(1, "long".to_string(), 151)]);
    let fits = format!("fn fits() {{\n{}}}\n", "    x();\n".repeat(148));
    assert!(long_functions(&fits, 150).is_empty());
    let in_tests = format!(
        "#[cfg(test)]\nmod tests {{\n{}}}\n",
        long.replace("pub fn", "    fn")
    );
    assert!(long_functions(&in_tests, 150).is_empty());
}
