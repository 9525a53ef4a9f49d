//! An image request: one `image(...)` a template makes (a logo, a section's banner at a
//! width and in a format). Images own their requests: the render stage reads them from the
//! templates' text, the images stage plans and makes their variants, and render turns the
//! answers back into template values.

/// One `image(...)` in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageCall {
    /// Where it is written: the template's source and line.
    pub place: String,
    /// Below the site root, without the leading `/`.
    pub path: String,
    pub width: Option<u32>,
    /// `webp`, `jpg`, `png`, or none for the image's own.
    pub format: Option<String>,
}

impl ImageCall {
    /// What the function is asked, as the key of its answer.
    pub fn key(&self) -> String {
        call_key(&self.path, self.width, self.format.as_deref())
    }
}

pub fn call_key(path: &str, width: Option<u32>, format: Option<&str>) -> String {
    format!(
        "{}|{}|{}",
        path.trim_start_matches('/'),
        width.map_or(String::new(), |w| w.to_string()),
        format.unwrap_or("")
    )
}

/// What `image(...)` answers: where the variant is (below the site) and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageAnswer {
    pub url: String,
    pub width: u32,
    pub height: u32,
}
