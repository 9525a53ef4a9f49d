//! Source positions for error messages.
//!
//! Parsers report byte offsets; users want `path:line:column`. This module is the one place
//! that converts between the two, counting columns in characters so that non-ASCII text
//! points at the right place.

use std::fmt;
use std::path::{Path, PathBuf};

/// A 1-based line and column in a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text` (clamped to the end of the text).
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Position { line, column }
    }

    /// Moves a position found inside an excerpt to the file it was cut from, given the
    /// line on which the excerpt starts (1-based).
    pub fn shifted(self, first_line: usize) -> Self {
        Position {
            line: self.line + first_line - 1,
            column: self.column,
        }
    }
}

/// A file and, where known, a position in it; displays as `path:line:column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub position: Option<Position>,
}

impl Location {
    pub fn file(path: &Path) -> Self {
        Location {
            path: path.to_path_buf(),
            position: None,
        }
    }

    pub fn at(path: &Path, position: Position) -> Self {
        Location {
            path: path.to_path_buf(),
            position: Some(position),
        }
    }
}

/// A value as written in a file, with where: for checks made after the file was parsed
/// (an old URL of `config.toml` checked against the loaded site).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub text: String,
    pub location: Location,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let text = "a = 1\nbé = x\n";
        assert_eq!(
            Position::of_offset(text, 0),
            Position { line: 1, column: 1 }
        );
        assert_eq!(
            Position::of_offset(text, 6),
            Position { line: 2, column: 1 }
        );
        // "x" sits after a two-byte character: byte 12, character column 6.
        assert_eq!(
            Position::of_offset(text, 12),
            Position { line: 2, column: 6 }
        );
        assert_eq!(Position::of_offset(text, 999).line, 3);
    }
}
