//! The one hash of the engine's bookkeeping: signatures, versions, fingerprints.
//!
//! Invariant: stable within one binary (the build record is salted with the binary, so a
//! new gazette never trusts another's hashes); not meant to be stable across releases,
//! nor to resist an adversary (nothing here is keyed by untrusted input in a way that
//! matters for more than speed).

use std::hash::{DefaultHasher, Hash, Hasher};

/// The hash of one value.
pub fn of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// A hasher to feed several values into, for [`of`]'s hash of them all.
pub fn hasher() -> DefaultHasher {
    DefaultHasher::new()
}
