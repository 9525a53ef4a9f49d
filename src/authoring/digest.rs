//! The checksum of a built site, and whether it differs from the one last deployed: the
//! shipped workflow runs every few minutes and deploys only when it changed.

use std::path::Path;

use super::AuthoringError;

/// The built site's checksum, as `digest` prints it (16 hex digits).
pub fn site_digest(output: &Path) -> Result<String, AuthoringError> {
    if !output.is_dir() {
        return Err(AuthoringError::NotBuilt {
            path: output.to_path_buf(),
        });
    }
    Ok(format!("{:016x}", crate::output::digest(output)?))
}

/// Whether `digest` differs from the one saved in `since` (a file that is not there holds
/// none, so differs).
pub fn changed_since(digest: &str, since: &Path) -> Result<bool, AuthoringError> {
    let last = match std::fs::read_to_string(since) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(AuthoringError::Read {
                path: since.to_path_buf(),
                source,
            });
        }
    };
    Ok(last.is_none_or(|last| last.trim() != digest))
}
