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

/// FNV-1a, 64 bits: a checksum stable across builds and releases (std's hashers may
/// change between Rust releases), for what outlives one binary — the importer's stamps —
/// or what another program computes too: the search client picks an index chunk with it.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}
