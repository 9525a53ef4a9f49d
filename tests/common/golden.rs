//! Golden files: a whole text compared with `tests/golden/<name>`, as mdBook's and
//! ripgrep's snapshot tests do, without a snapshot crate (a line diff is all it takes, and
//! the files stay plain text to read and review in a diff).
//!
//! On a mismatch the test fails with a line diff (`-` the golden file, `+` today's output).
//! `GAZETTE_BLESS=1 cargo test` rewrites every golden file a test compares with today's
//! output instead; review the change with `git diff tests/golden` before committing it.
//! Under `CI=true` blessing is refused: a CI run must never rewrite its own expectations.

use std::path::PathBuf;

/// Where golden file `name` lives.
pub fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Whether this run rewrites golden files; panics when asked to under CI.
fn blessing() -> bool {
    let asked = std::env::var("GAZETTE_BLESS").is_ok_and(|v| v == "1");
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    assert!(
        !(asked && ci),
        "GAZETTE_BLESS=1 is refused under CI=true: a CI run must not rewrite its expectations"
    );
    asked
}

/// Compares `actual` with golden file `name` whole (or rewrites it under `GAZETTE_BLESS=1`).
#[track_caller]
pub fn assert_golden(name: &str, actual: &str) {
    let file = path(name);
    if blessing() {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let unchanged = std::fs::read_to_string(&file).is_ok_and(|old| old == actual);
        if !unchanged {
            std::fs::write(&file, actual).unwrap();
            eprintln!("blessed {}", file.display());
        }
        return;
    }
    let expected = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with GAZETTE_BLESS=1 to write it from today's output:\n{actual}",
            file.display()
        )
    });
    if expected != actual {
        panic!(
            "{} differs from the output (- golden, + actual; GAZETTE_BLESS=1 rewrites it):\n{}",
            file.display(),
            diff(&expected, actual)
        );
    }
}

/// A line diff of two texts with three lines of context around each change.
pub fn diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.split_inclusive('\n').collect();
    let new: Vec<&str> = actual.split_inclusive('\n').collect();
    let ops = edit_script(&old, &new);
    let shown: Vec<bool> = (0..ops.len())
        .map(|i| {
            let lo = i.saturating_sub(3);
            let hi = (i + 4).min(ops.len());
            ops[lo..hi].iter().any(|op| !matches!(op, Op::Same(_)))
        })
        .collect();
    let mut out = String::new();
    let mut skipped = false;
    for (op, show) in ops.iter().zip(shown) {
        if !show {
            skipped = true;
            continue;
        }
        if skipped {
            out.push_str("   …\n");
            skipped = false;
        }
        let (mark, line) = match op {
            Op::Same(l) => (' ', l),
            Op::Gone(l) => ('-', l),
            Op::Added(l) => ('+', l),
        };
        out.push(mark);
        out.push_str(line.trim_end_matches('\n'));
        if !line.ends_with('\n') {
            out.push_str(" (no newline at end)");
        }
        out.push('\n');
    }
    out
}

enum Op<'a> {
    Same(&'a str),
    Gone(&'a str),
    Added(&'a str),
}

/// The shortest edit turning `old` into `new` (longest common subsequence of lines); past
/// a size where that table would be large, everything after the common head and tail is
/// shown as replaced, which is still exact.
fn edit_script<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<Op<'a>> {
    let head = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (&old[head..old.len() - tail], &new[head..new.len() - tail]);
    let mut ops: Vec<Op> = old[..head].iter().map(|l| Op::Same(l)).collect();
    if a.len() * b.len() > 4_000_000 {
        ops.extend(a.iter().map(|l| Op::Gone(l)));
        ops.extend(b.iter().map(|l| Op::Added(l)));
    } else {
        // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
        let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                lcs[i][j] = if a[i] == b[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            if i < a.len() && j < b.len() && a[i] == b[j] {
                ops.push(Op::Same(a[i]));
                (i, j) = (i + 1, j + 1);
            } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
                ops.push(Op::Gone(a[i]));
                i += 1;
            } else {
                ops.push(Op::Added(b[j]));
                j += 1;
            }
        }
    }
    ops.extend(old[old.len() - tail..].iter().map(|l| Op::Same(l)));
    ops
}
