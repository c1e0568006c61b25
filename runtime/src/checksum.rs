//! Payload hashes some services ask for in headers: the SHA-256 of the payload and
//! Glacier's SHA-256 tree hash (SHA-256 of each MiB, combined pairwise up to one
//! root).

use sha2::{Digest, Sha256};

const MIB: usize = 1024 * 1024;

/// Hashes a payload fed in chunks of any size: its SHA-256 and its tree hash.
#[derive(Default)]
pub struct PayloadHasher {
    whole: Sha256,
    leaf: Sha256,
    leaf_len: usize,
    leaves: Vec<[u8; 32]>,
}

impl PayloadHasher {
    /// A hasher of an empty payload.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next bytes.
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.whole.update(bytes);
        while !bytes.is_empty() {
            let take = (MIB - self.leaf_len).min(bytes.len());
            self.leaf.update(&bytes[..take]);
            self.leaf_len += take;
            bytes = &bytes[take..];
            if self.leaf_len == MIB {
                let leaf = std::mem::take(&mut self.leaf).finalize();
                self.leaves.push(leaf.into());
                self.leaf_len = 0;
            }
        }
    }

    /// The payload's SHA-256 and tree hash, in lowercase hex.
    pub fn finish(mut self) -> (String, String) {
        if self.leaf_len > 0 || self.leaves.is_empty() {
            self.leaves.push(self.leaf.finalize().into());
        }
        let mut level = self.leaves;
        while level.len() > 1 {
            level = level
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => {
                        let mut h = Sha256::new();
                        h.update(a);
                        h.update(b);
                        h.finalize().into()
                    }
                    [a] => *a,
                    _ => unreachable_pair(),
                })
                .collect();
        }
        (hex(&self.whole.finalize()), hex(&level[0]))
    }
}

/// `chunks(2)` yields one or two items; this keeps the match total without a panic.
fn unreachable_pair() -> [u8; 32] {
    [0; 32]
}

/// The SHA-256 of `bytes` in lowercase hex, as SigV4 signs a payload.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(b: &[u8]) -> [u8; 32] {
        Sha256::digest(b).into()
    }

    #[test]
    fn small_payloads_hash_as_one_leaf() {
        let mut h = PayloadHasher::new();
        h.update(b"hello ");
        h.update(b"world");
        let (whole, tree) = h.finish();
        // Smithy's Glacier protocol test.
        assert_eq!(
            whole,
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        assert_eq!(tree, whole);
        let (empty, empty_tree) = PayloadHasher::new().finish();
        assert_eq!(empty, hex(&sha(b"")));
        assert_eq!(empty_tree, empty);
    }

    #[test]
    fn the_tree_combines_mebibytes_pairwise_and_carries_the_odd_one() {
        // 3.5 MiB: leaves a b c d; tree = H(H(a b) H(c d)). 2.5 MiB: H(H(a b) c).
        let data: Vec<u8> = (0..(7 * MIB / 2)).map(|i| (i % 251) as u8).collect();
        let leaves: Vec<[u8; 32]> = data.chunks(MIB).map(sha).collect();
        let pair = |a: &[u8; 32], b: &[u8; 32]| sha(&[&a[..], &b[..]].concat());
        let want = pair(&pair(&leaves[0], &leaves[1]), &pair(&leaves[2], &leaves[3]));
        // Fed in uneven chunks that straddle the MiB boundaries.
        let mut h = PayloadHasher::new();
        for c in data.chunks(300_007) {
            h.update(c);
        }
        let (whole, tree) = h.finish();
        assert_eq!(tree, hex(&want));
        assert_eq!(whole, hex(&sha(&data)));

        let part = &data[..5 * MIB / 2];
        let want = pair(&pair(&leaves[0], &leaves[1]), &sha(&part[2 * MIB..]));
        let mut h = PayloadHasher::new();
        h.update(part);
        assert_eq!(h.finish().1, hex(&want));
    }
}
