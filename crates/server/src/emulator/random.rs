//! Deterministic pseudo-randomness and ids: the mixer every generator draws from, a small
//! generator over it, a string hash, and the 32-hex endpoint id derived from a name.

/// SplitMix64: a tiny, good-enough mixer for deterministic variety.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of some bytes (ids, prediction seeds).
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for x in b {
        h ^= u64::from(*x);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A 32-hex id derived from a name (for seed endpoints without an `id`).
pub fn id_from_name(name: &str) -> String {
    let h = hash_bytes(name.as_bytes());
    format!(
        "{:016x}{:016x}",
        splitmix64(h),
        splitmix64(h ^ 0x9e37_79b9_7f4a_7c15)
    )
}

/// A tiny deterministic generator over splitmix64.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = splitmix64(self.0);
        self.0
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
    /// One of `xs` (which must not be empty).
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_from_name_is_32_hex() {
        let id = id_from_name("x");
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
