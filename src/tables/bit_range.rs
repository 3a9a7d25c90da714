//! A set of numbers kept as one bit each over the span they fall in.
//!
//! # Why
//! A family of numbered ids ([`super::numbered`]) and a table's deal ids
//! seen ([`super::ids_seen`]) are sets of numbers that lie close together
//! (`D0000001`, `D0000002`…) but may come in any order, ascending,
//! descending or from the middle out. A bit a number over the span they
//! cover is an eighth of a byte an id, where a hash set takes ten or more;
//! the span grows at either end, by at least what it covers, so ids in
//! either order cost amortised constant time.

/// Numbers as bits over a span that grows either way.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct BitRange {
    /// The number of the first word's bit 0 (a multiple of 64).
    base: u64,
    words: Vec<u64>,
}

impl BitRange {
    /// The word and bit of `n`, if the span covers it.
    #[inline]
    fn at(&self, n: u64) -> Option<(usize, u64)> {
        let i = n.checked_sub(self.base)?;
        let w = (i / 64) as usize;
        (w < self.words.len()).then_some((w, 1 << (i % 64)))
    }

    /// Whether `n` is in the set.
    #[inline]
    pub(crate) fn contains(&self, n: u64) -> bool {
        self.at(n).is_some_and(|(w, b)| self.words[w] & b != 0)
    }

    /// Whether the span covers `n` (so [`BitRange::insert`] may add it).
    #[inline]
    pub(crate) fn covers(&self, n: u64) -> bool {
        self.at(n).is_some()
    }

    /// Adds `n`, which the span covers.
    #[inline]
    pub(crate) fn insert(&mut self, n: u64) {
        if let Some((w, b)) = self.at(n) {
            self.words[w] |= b;
        }
    }

    /// Stretches the span to cover `n`, to no more than `most` numbers in
    /// all: false, and no change, when it would take more. It grows by at
    /// least the span it had (up to `most`), either way.
    pub(crate) fn stretch(&mut self, n: u64, most: u64) -> bool {
        let most_words = (most / 64).max(1) as usize;
        if self.words.is_empty() {
            self.base = n - n % 64;
            self.words.push(0);
            return true;
        }
        let len = self.words.len();
        if n >= self.base {
            let need = ((n - self.base) / 64) as usize + 1;
            if need <= len {
                return true;
            }
            if need > most_words {
                return false;
            }
            self.words.resize(need.max(2 * len).min(most_words), 0);
            return true;
        }
        let below = (self.base - n).div_ceil(64) as usize;
        if below + len > most_words {
            return false;
        }
        let more = below.max(len).min(most_words - len);
        // `more` words fit below the base: `below` did, and the base is at
        // least `below` words above zero; past that, only as far as zero.
        let more = more.min((self.base / 64) as usize).max(below);
        let mut words = vec![0; more + len];
        words[more..].copy_from_slice(&self.words);
        self.words = words;
        self.base -= more as u64 * 64;
        true
    }

    /// The numbers in the set, ascending.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.words.iter().enumerate().flat_map(move |(w, &word)| {
            let base = self.base + w as u64 * 64;
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let b = rest.trailing_zeros();
                    rest &= rest - 1;
                    base + u64::from(b)
                })
            })
        })
    }

    /// Bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_any_order_are_held_and_found() {
        let mut b = BitRange::default();
        assert!(!b.contains(0) && !b.covers(5));
        // From the middle out: up, then down past zero's word.
        let order = [1000u64, 1001, 1063, 1064, 999, 936, 935, 3, 0, 2000];
        for &n in &order {
            assert!(b.stretch(n, 1 << 20), "{n}");
            assert!(b.covers(n));
            b.insert(n);
        }
        for n in 0..2100 {
            assert_eq!(b.contains(n), order.contains(&n), "{n}");
        }
        let mut sorted = order.to_vec();
        sorted.sort_unstable();
        assert_eq!(b.iter().collect::<Vec<_>>(), sorted);
    }

    #[test]
    fn the_span_stays_within_its_limit() {
        let mut b = BitRange::default();
        assert!(b.stretch(10_000, 640));
        b.insert(10_000);
        // 640 numbers: ten words, from 9_984 on.
        assert!(b.stretch(10_500, 640));
        assert!(!b.stretch(10_700, 640));
        assert!(!b.contains(10_700) && !b.covers(10_700));
        assert!(!b.stretch(9_000, 640));
        assert!(b.contains(10_000));
        assert!(b.heap_bytes() <= 10 * 8);
    }

    #[test]
    fn descending_numbers_grow_by_doubling() {
        let mut b = BitRange::default();
        let top = 100_000u64;
        let mut grew = 0;
        for n in (0..=top).rev() {
            if !b.covers(n) {
                grew += 1;
            }
            assert!(b.stretch(n, u64::MAX));
            b.insert(n);
        }
        assert!(grew < 20, "{grew} growths");
        assert_eq!(b.iter().count() as u64, top + 1);
        assert!(b.heap_bytes() <= 2 * (top as usize / 8) + 64);
    }
}
