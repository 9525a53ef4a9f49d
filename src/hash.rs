//! The engine's hashes.
//!
//! - [`of`] and [`hasher`]: its bookkeeping — signatures, versions, fingerprints, which a
//!   served edit computes for every page and article. foldhash's quality hasher with its
//!   fixed seed: several times faster than std's SipHash on the long texts and many small
//!   values fed to it, with 64-bit output of the quality that bookkeeping needs.
//! - [`named`]: hashes that name files of the output (image variants, search parts). std's
//!   SipHash, as these names have always been made: a faster bookkeeping hash must not
//!   rename a site's files.
//! - [`fnv1a`]: what must stay stable across releases or be computed by another program.
//!
//! Invariant: stable within one binary (the build record is salted with the binary, so a
//! new gazette never trusts another's hashes); not meant to resist an adversary (nothing
//! here is keyed by untrusted input in a way that matters for more than speed).

use std::hash::{BuildHasher, DefaultHasher, Hash, Hasher as _};

/// The hasher of the bookkeeping hashes.
pub type Hasher = foldhash::quality::FoldHasher<'static>;

/// The hash of one value.
pub fn of(value: impl Hash) -> u64 {
    let mut h = hasher();
    value.hash(&mut h);
    h.finish()
}

/// A hasher to feed several values into, for [`of`]'s hash of them all.
pub fn hasher() -> Hasher {
    foldhash::quality::FixedState::default().build_hasher()
}

/// The hash of a value that names a file of the output.
pub fn named(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
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
