//! Dense group numbers for symbols, for the report's group-by loops.
//!
//! # Why not a hash map
//! The breakdowns add every deal to five groups (rep, team, region,
//! product, source); with a `HashMap<Option<Sym>, Acc>` that was five hashed
//! probes of a map of fat values per deal, most of the report's time at a
//! million deals. A group-by has few distinct keys, so an open-addressing
//! table of plain `u32` keys (a multiplication and, almost always, one
//! compare) hands out slot numbers, and the groups live in a `Vec` indexed
//! by them.

use super::Sym;

/// No key in this cell. Symbols are `1..=u32::MAX - 1` in practice: the
/// interner's arena is limited to far fewer strings.
const EMPTY: u32 = u32::MAX;

/// The cell key of an optional symbol: 0 for `None`.
fn raw(key: Option<Sym>) -> u32 {
    key.map_or(0, |s| s.0.get())
}

/// Gives each distinct `Option<Sym>` the next slot number, from 0, in the
/// order first seen.
#[derive(Debug, Clone, PartialEq)]
pub struct Slots {
    /// (key, slot) cells; key 0 is `None`.
    cells: Vec<(u32, u32)>,
    /// Right shift that turns the multiplied key into a cell index.
    shift: u32,
    /// The keys by slot.
    keys: Vec<Option<Sym>>,
}

impl Default for Slots {
    fn default() -> Self {
        Slots::with_cells(16)
    }
}

impl Slots {
    fn with_cells(n: usize) -> Slots {
        Slots {
            cells: vec![(EMPTY, 0); n],
            shift: 32 - n.trailing_zeros(),
            keys: Vec::new(),
        }
    }

    /// The slot of `key`, given the next number when it is new.
    #[inline]
    pub fn slot(&mut self, key: Option<Sym>) -> usize {
        match self.find(key) {
            Ok(slot) => slot,
            Err(cell) => self.insert(cell, key),
        }
    }

    /// The slot of `key`, if it was seen.
    #[inline]
    pub fn get(&self, key: Option<Sym>) -> Option<usize> {
        self.find(key).ok()
    }

    /// The key's slot, or the empty cell where it would go.
    #[inline]
    fn find(&self, key: Option<Sym>) -> Result<usize, usize> {
        let k = raw(key);
        let mask = self.cells.len() - 1;
        let mut i = (k.wrapping_mul(0x9E37_79B9) >> self.shift) as usize;
        loop {
            let (ck, slot) = self.cells[i];
            if ck == k {
                return Ok(slot as usize);
            }
            if ck == EMPTY {
                return Err(i);
            }
            i = (i + 1) & mask;
        }
    }

    #[cold]
    fn insert(&mut self, cell: usize, key: Option<Sym>) -> usize {
        let slot = self.keys.len();
        self.cells[cell] = (raw(key), slot as u32);
        self.keys.push(key);
        // At most half full, so probes stay short.
        if self.keys.len() * 2 > self.cells.len() {
            let mut bigger = Slots::with_cells(self.cells.len() * 4);
            for (s, &key) in self.keys.iter().enumerate() {
                if let Err(cell) = bigger.find(key) {
                    bigger.cells[cell] = (raw(key), s as u32);
                }
            }
            bigger.keys = std::mem::take(&mut self.keys);
            *self = bigger;
        }
        slot
    }

    /// The keys, by slot.
    pub fn keys(&self) -> &[Option<Sym>] {
        &self.keys
    }

    /// How many distinct keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no key was seen.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_in_first_seen_order_across_growth() {
        let mut s = Slots::default();
        let syms: Vec<Option<Sym>> = (0..1000)
            .map(|i| (i % 7 != 3).then(|| Sym::from_index(i * 7919 % 4093)))
            .collect();
        let mut expected: Vec<Option<Sym>> = Vec::new();
        for &k in &syms {
            let want = match expected.iter().position(|&e| e == k) {
                Some(p) => p,
                None => {
                    expected.push(k);
                    expected.len() - 1
                }
            };
            assert_eq!(s.slot(k), want);
        }
        assert_eq!(s.keys(), &expected[..]);
        for (slot, &k) in expected.iter().enumerate() {
            assert_eq!(s.get(k), Some(slot));
        }
        assert_eq!(s.get(Some(Sym::from_index(5000))), None);
        assert_eq!(s.len(), expected.len());
        assert!(!s.is_empty());
    }
}
