//! Finds shortcodes in a Markdown source, in Zola's syntax: `{{ name(key=value, …) }}`
//! inline, `{% name(key=value, …) %}body{% end %}` with a body.
//!
//! Invariants:
//! - Only `{{`/`{%`, a name and `(` start a shortcode: `{{ value }}`, Liquid's
//!   `{% include x %}` and every other brace stay text, so prose is never misread.
//! - Code (fenced, indented and inline) is text, as in Zola: a tutorial shows
//!   `{{ youtube(id="…") }}` as written. So are `\{{` (Markdown's own escape) and Zola's
//!   `{{/* … */}}`, which shows as `{{ … }}`.
//! - Once a shortcode has started, anything malformed is an error at its byte offset,
//!   never silently text: a typo must not publish half a shortcode.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use super::ShortcodeError;

/// A value an argument takes: Zola's literals.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Value {
    /// What the value is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Bool(_) => "a boolean",
        }
    }
}

/// One `key=value` of a call; `at` is where its key starts in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub key: String,
    pub value: Value,
    pub at: usize,
}

/// One shortcode as written: where it is in the source (`at..end`, the whole call with
/// its body and `{% end %}`), its name and arguments, and its body for the block form.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<Arg>,
    pub body: Option<String>,
    pub at: usize,
    pub end: usize,
}

impl Call {
    pub fn arg(&self, key: &str) -> Option<&Arg> {
        self.args.iter().find(|a| a.key == key)
    }
}

/// The source cut into text to render as Markdown and shortcodes, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<'a> {
    Text(Cow<'a, str>),
    Call(Call),
}

/// The pieces of `source`, or `None` when it has no shortcode (nothing to do).
pub fn parse(source: &str) -> Result<Option<Vec<Piece<'_>>>, ShortcodeError> {
    if !source.contains("{{") && !source.contains("{%") {
        return Ok(None);
    }
    let code = code_ranges(source);
    let mut pieces = Vec::new();
    let mut found = false;
    let mut copied = 0;
    let mut from = 0;
    while let Some(at) = next_open(source, from, &code) {
        from = at + 2;
        if at > 0 && source.as_bytes()[at - 1] == b'\\' {
            continue;
        }
        let block = source.as_bytes()[at + 1] == b'%';
        let (open, close) = if block { ("{%", "%}") } else { ("{{", "}}") };
        // Zola's way to write a shortcode as text: `{{/* name() */}}` shows `{{ name() }}`.
        if source[at + 2..].starts_with("/*") {
            let stop = format!("*/{close}");
            if let Some(len) = source[at + 4..].find(&stop) {
                pieces.push(Piece::Text(Cow::Borrowed(&source[copied..at])));
                let inner = &source[at + 4..at + 4 + len];
                pieces.push(Piece::Text(Cow::Owned(format!("{open}{inner}{close}"))));
                copied = at + 4 + len + stop.len();
                from = copied;
                found = true;
            }
            continue;
        }
        if block && is_end(&source[at..]).is_some() {
            return Err(ShortcodeError::at(
                at,
                "`{% end %}` without a shortcode to end (a body shortcode opens with `{% name(…) %}`)",
            ));
        }
        let Some(mut call) = call_at(source, at, block)? else {
            continue;
        };
        if block {
            let (body, end) = body_of(source, &call, &code)?;
            call.body = Some(body);
            call.end = end;
        }
        pieces.push(Piece::Text(Cow::Borrowed(&source[copied..at])));
        copied = call.end;
        from = call.end;
        pieces.push(Piece::Call(call));
        found = true;
    }
    if !found {
        return Ok(None);
    }
    pieces.push(Piece::Text(Cow::Borrowed(&source[copied..])));
    pieces.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
    Ok(Some(pieces))
}

/// `source` with a backslash before every `{{`/`{%` outside code that would start a
/// shortcode (or end one, or be Zola's literal `{{/*`), so that Markdown made from text
/// (an import's) shows it as written: `\{` is Markdown's own escape of `{`.
pub fn as_text(source: &str) -> Cow<'_, str> {
    if !source.contains("{{") && !source.contains("{%") {
        return Cow::Borrowed(source);
    }
    let code = code_ranges(source);
    let mut out = String::with_capacity(source.len() + 8);
    let mut copied = 0;
    let mut from = 0;
    while let Some(at) = next_open(source, from, &code) {
        from = at + 2;
        if at > 0 && source.as_bytes()[at - 1] == b'\\' {
            continue;
        }
        let block = source.as_bytes()[at + 1] == b'%';
        let starts = source[at + 2..].starts_with("/*")
            || (block && is_end(&source[at..]).is_some())
            || !matches!(call_at(source, at, block), Ok(None));
        if starts {
            out.push_str(&source[copied..at]);
            out.push('\\');
            copied = at;
        }
    }
    if copied == 0 && out.is_empty() {
        return Cow::Borrowed(source);
    }
    out.push_str(&source[copied..]);
    Cow::Owned(out)
}

/// The byte ranges of code, whose text is never a shortcode.
fn code_ranges(source: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (event, range) in
        Parser::new_ext(source, crate::content::markdown::options()).into_offset_iter()
    {
        if matches!(event, Event::Start(Tag::CodeBlock(_)) | Event::Code(_)) {
            ranges.push(range);
        }
    }
    ranges
}

/// The next `{{` or `{%` at or after `from` outside code.
fn next_open(source: &str, mut from: usize, code: &[Range<usize>]) -> Option<usize> {
    loop {
        let at = from + source.get(from..)?.find('{')?;
        if !matches!(source.as_bytes().get(at + 1), Some(b'{' | b'%')) {
            from = at + 1;
            continue;
        }
        match code.iter().find(|r| r.contains(&at)) {
            Some(range) => from = range.end,
            None => return Some(at),
        }
    }
}

/// The length of `{% end %}` (any spacing) when `text` starts with it.
fn is_end(text: &str) -> Option<usize> {
    let inner = text.strip_prefix("{%")?;
    let trimmed = inner.trim_start();
    let rest = trimmed.strip_prefix("end")?.trim_start();
    rest.strip_prefix("%}")?;
    Some(text.len() - rest.len() + 2)
}

/// The body of a block call (from after its `%}` to its `{% end %}`, one newline trimmed
/// at each edge) and where the `{% end %}` ends.
fn body_of(
    source: &str,
    call: &Call,
    code: &[Range<usize>],
) -> Result<(String, usize), ShortcodeError> {
    let mut from = call.end;
    while let Some(at) = next_open(source, from, code) {
        if let Some(len) = is_end(&source[at..]) {
            let body = &source[call.end..at];
            let body = body
                .strip_prefix("\r\n")
                .or(body.strip_prefix('\n'))
                .unwrap_or(body);
            let body = body.strip_suffix('\n').unwrap_or(body);
            let body = body.strip_suffix('\r').unwrap_or(body);
            return Ok((body.to_string(), at + len));
        }
        from = at + 2;
    }
    Err(ShortcodeError::at(
        call.at,
        format!(
            "`{{% {}(…) %}}` has no `{{% end %}}`: a shortcode with a body ends with one",
            call.name
        ),
    ))
}

/// Reads the call starting at `at` (`{{` or `{%`): `None` when what follows is not a
/// name and `(` (so not a shortcode), an error when the call is malformed.
fn call_at(source: &str, at: usize, block: bool) -> Result<Option<Call>, ShortcodeError> {
    let mut r = Reader {
        source,
        pos: at + 2,
    };
    r.spaces();
    let Some(name) = r.name() else {
        return Ok(None);
    };
    r.spaces();
    if !r.eat("(") {
        return Ok(None);
    }
    let mut args: Vec<Arg> = Vec::new();
    loop {
        r.spaces();
        if r.eat(")") {
            break;
        }
        let key_at = r.pos;
        let Some(key) = r.name() else {
            return Err(r.error("expected an argument name (`key=value`) or `)`"));
        };
        if args.iter().any(|a| a.key == key) {
            return Err(ShortcodeError::at(
                key_at,
                format!("`{key}` is given twice"),
            ));
        }
        r.spaces();
        if !r.eat("=") {
            return Err(r.error(&format!("expected `=` after `{key}`")));
        }
        r.spaces();
        let value = r.value(&key)?;
        args.push(Arg {
            key,
            value,
            at: key_at,
        });
        r.spaces();
        if r.eat(")") {
            break;
        }
        if !r.eat(",") {
            return Err(r.error("expected `,` or `)` after an argument"));
        }
    }
    r.spaces();
    let close = if block { "%}" } else { "}}" };
    if !r.eat(close) {
        return Err(r.error(&format!(
            "expected `{close}` to close the shortcode `{name}`"
        )));
    }
    Ok(Some(Call {
        name,
        args,
        body: None,
        at,
        end: r.pos,
    }))
}

/// A cursor over the source, for one call.
struct Reader<'a> {
    source: &'a str,
    pos: usize,
}

impl<'a> Reader<'a> {
    fn rest(&self) -> &'a str {
        &self.source[self.pos..]
    }

    fn spaces(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, text: &str) -> bool {
        let found = self.rest().starts_with(text);
        if found {
            self.pos += text.len();
        }
        found
    }

    /// A name: a letter or `_`, then letters, digits and `_` (ASCII).
    fn name(&mut self) -> Option<String> {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
            .map_or(rest.len(), |(i, _)| i);
        (len > 0).then(|| {
            self.pos += len;
            rest[..len].to_string()
        })
    }

    fn value(&mut self, key: &str) -> Result<Value, ShortcodeError> {
        let rest = self.rest();
        if let Some(quote) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        {
            let Some(len) = rest[1..].find(quote) else {
                return Err(self.error(&format!("the string for `{key}` is not closed")));
            };
            self.pos += len + 2;
            return Ok(Value::Str(rest[1..1 + len].to_string()));
        }
        for (word, value) in [("true", true), ("false", false)] {
            if rest.starts_with(word) && !self.continues_after(word.len()) {
                self.pos += word.len();
                return Ok(Value::Bool(value));
            }
        }
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && matches!(c, '-' | '+'))))
            .map_or(rest.len(), |(i, _)| i);
        let number = &rest[..len];
        let parsed = if number.contains('.') {
            number
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Value::Float)
        } else {
            number.parse::<i64>().ok().map(Value::Int)
        };
        match parsed {
            Some(value) if !self.continues_after(len) => {
                self.pos += len;
                Ok(value)
            }
            _ => Err(self.error(&format!(
                "expected a value for `{key}`: a \"string\", a number, true or false"
            ))),
        }
    }

    /// Whether a name character follows the first `len` bytes (`trueish` is no boolean).
    fn continues_after(&self, len: usize) -> bool {
        self.rest()[len..]
            .chars()
            .next()
            .is_some_and(|c| c == '_' || c.is_alphanumeric())
    }

    fn error(&self, message: &str) -> ShortcodeError {
        ShortcodeError::at(self.pos, message)
    }
}
