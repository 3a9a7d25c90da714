//! A deal's five group keys — owner, team, region, product, source, as the
//! deal itself gives them — kept as one number: the set's place in the
//! dataset's [`KeySets`]; and its labels (stage, currency, lost reason) the
//! same way.
//!
//! # Why
//! A dataset has few distinct sets (reps × products × sources, a few
//! hundred in a typical CRM export): five symbols on every row were 20 of
//! a deal's 72 bytes, and the report's combinations (`metrics::combos`)
//! numbered every deal's keys again at the first report, into a number per
//! deal of their own. One number on the row does both: the row is 56 bytes,
//! and a combination is found once per set, not once per deal. The team
//! and region here are the deal's own; its owner's roster entry fills them
//! in for the report (see `metrics::combos`), since the roster may be read
//! after the deals. The labels take a few values each (a CRM's stages,
//! currencies and reasons for losing): one number for the three on the
//! row takes it to 48 bytes. A deal's probability joins them: CRMs set it
//! by stage (a few values in all), and its eight bytes on every row were
//! a fifth of the 44 left.

use super::{OptF64, Sym};

/// A set of group keys, by [`OWNER`] … [`SOURCE`].
pub type GroupKeys = [Option<Sym>; 5];

/// The owner's place in [`GroupKeys`].
pub const OWNER: usize = 0;
/// The team's.
pub const TEAM: usize = 1;
/// The region's.
pub const REGION: usize = 2;
/// The product's.
pub const PRODUCT: usize = 3;
/// The source's.
pub const SOURCE: usize = 4;

/// A deal's labels: what it says of itself that takes few values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Labels {
    /// Its stage as written.
    pub stage: Option<Sym>,
    /// Its currency (an ISO code), when its file says.
    pub currency: Option<Sym>,
    /// The reason it was lost, as written.
    pub lost_reason: Option<Sym>,
    /// Its win probability as a fraction 0..=1, compared bit for bit (a
    /// value is kept exactly as read).
    pub probability: OptF64,
}

impl Default for Labels {
    /// No stage, currency, reason or probability.
    fn default() -> Self {
        <Labels as KeySet>::NONE
    }
}

/// An activity's labels: who did it, its type and its minutes, which take
/// few values together (a team's reps, a CRM's types, durations in whole
/// minutes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ActivityLabels {
    /// Who did it (always set for an activity read; none only in
    /// [`KeySet::NONE`]).
    pub rep: Option<Sym>,
    /// The activity type as written (set as the rep is).
    pub kind: Option<Sym>,
    /// Minutes spent, compared bit for bit.
    pub minutes: OptF64,
}

impl KeySet for ActivityLabels {
    const NONE: Self = ActivityLabels {
        rep: None,
        kind: None,
        minutes: OptF64::NONE,
    };

    #[inline]
    fn mix(&self) -> u64 {
        mix_labels(self.minutes, [self.rep, self.kind])
    }

    fn remap(&self, sym: impl Fn(Sym) -> Sym) -> Self {
        ActivityLabels {
            rep: self.rep.map(&sym),
            kind: self.kind.map(&sym),
            minutes: self.minutes,
        }
    }
}

/// What [`KeySets`] numbers: a set of keys, compared whole.
pub trait KeySet: Copy + PartialEq {
    /// No keys: what a number never given stands for.
    const NONE: Self;

    /// The keys mixed into one word by multiplication, the high bits the
    /// well-mixed ones.
    fn mix(&self) -> u64;

    /// The same keys with each symbol `sym` of it (another dataset's
    /// symbols, given here).
    fn remap(&self, sym: impl Fn(Sym) -> Sym) -> Self;
}

/// Folds one word into a hash (see [`KeySet::mix`]).
#[inline]
fn fold(h: u64, word: u64) -> u64 {
    (h ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Labels' symbols and their one number mixed (see [`KeySet::mix`]).
#[inline]
fn mix_labels<const N: usize>(number: OptF64, syms: [Option<Sym>; N]) -> u64 {
    syms.into_iter()
        .fold(fold(0, number.bits()), |h, k| fold(h, word(k)))
}

/// A symbol as a word to hash: its index plus one, 0 for none.
#[inline]
fn word(k: Option<Sym>) -> u64 {
    k.map_or(0, |s| s.index() as u64 + 1)
}

impl<const N: usize> KeySet for [Option<Sym>; N] {
    const NONE: Self = [None; N];

    #[inline]
    fn mix(&self) -> u64 {
        self.iter().fold(0, |h, &k| fold(h, word(k)))
    }

    fn remap(&self, sym: impl Fn(Sym) -> Sym) -> Self {
        self.map(|s| s.map(&sym))
    }
}

impl KeySet for Labels {
    const NONE: Self = Labels {
        stage: None,
        currency: None,
        lost_reason: None,
        probability: OptF64::NONE,
    };

    #[inline]
    fn mix(&self) -> u64 {
        mix_labels(
            self.probability,
            [self.stage, self.currency, self.lost_reason],
        )
    }

    fn remap(&self, sym: impl Fn(Sym) -> Sym) -> Self {
        Labels {
            stage: self.stage.map(&sym),
            currency: self.currency.map(&sym),
            lost_reason: self.lost_reason.map(&sym),
            probability: self.probability,
        }
    }
}

/// Every distinct set of keys (group keys, labels), numbered from 0 in
/// the order first seen.
#[derive(Debug, Clone, PartialEq)]
pub struct KeySets<K = GroupKeys> {
    numbers: Numbers,
    sets: Vec<K>,
    /// [`KeySet::NONE`], to lend (a generic constant is not promoted to
    /// a static).
    none: K,
}

impl<K: KeySet> Default for KeySets<K> {
    fn default() -> Self {
        KeySets {
            numbers: Numbers::default(),
            sets: Vec::new(),
            none: K::NONE,
        }
    }
}

impl<K: KeySet> KeySets<K> {
    /// The number of `keys`, the next one when they are new.
    #[inline]
    pub fn number(&mut self, keys: K) -> u32 {
        self.numbers.number(&mut self.sets, keys)
    }

    /// The keys numbered `n`, or none of them for a number never given
    /// (a bug, never a panic).
    #[inline]
    pub fn get(&self, n: u32) -> &K {
        debug_assert!((n as usize) < self.sets.len());
        self.sets.get(n as usize).unwrap_or(&self.none)
    }

    /// Numbers here every set of `other` (a dataset's whose symbols
    /// `sym` gives here), in its order: its numbers' numbers here.
    pub fn number_all(&mut self, other: &KeySets<K>, sym: impl Fn(Sym) -> Sym) -> Vec<u32> {
        other
            .sets
            .iter()
            .map(|k| self.number(k.remap(&sym)))
            .collect()
    }

    /// Every set, by number.
    pub fn all(&self) -> &[K] {
        &self.sets
    }

    /// How many sets.
    pub fn len(&self) -> usize {
        self.sets.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Keeps the first `n` sets (what a dataset held before others'
    /// rows were added: see `Dataset::split_prefix`).
    pub fn truncate(&mut self, n: usize) {
        if n < self.sets.len() {
            self.sets.truncate(n);
            self.numbers.rebuild(&self.sets);
        }
    }
}

/// Numbers sets of keys in the order first seen: an open-addressing table
/// of numbers, the keys themselves kept in the sets' list.
///
/// # Why not a hash map
/// A `HashMap<GroupKeys, u32>` hashed twenty bytes a word at a time and
/// probed in groups, which WebAssembly has no vector instructions for:
/// 17 ns a deal at a million deals, where a multiply per key and one
/// compare, almost always, is a few.
#[derive(Debug, Default, Clone, PartialEq)]
struct Numbers {
    /// Each cell a set's number plus one; 0 is empty.
    cells: Vec<u32>,
}

impl Numbers {
    /// The number of `keys`, given the next one (and added to `list`)
    /// when they are new.
    #[inline]
    fn number<K: KeySet>(&mut self, list: &mut Vec<K>, keys: K) -> u32 {
        if self.cells.is_empty() {
            self.cells = vec![0; 64];
        }
        let mask = self.cells.len() - 1;
        let mut i = home(&keys) & mask;
        loop {
            match self.cells[i] {
                0 => break,
                c if list[c as usize - 1] == keys => return c - 1,
                _ => i = (i + 1) & mask,
            }
        }
        let n = list.len() as u32;
        list.push(keys);
        self.cells[i] = n + 1;
        // At most half full, so probes stay short.
        if list.len() * 2 > self.cells.len() {
            self.cells = vec![0; self.cells.len() * 4];
            self.place_all(list);
        }
        n
    }

    /// The table for `list` alone (after it lost its last sets).
    fn rebuild<K: KeySet>(&mut self, list: &[K]) {
        let mut cells = 64;
        while list.len() * 2 > cells {
            cells *= 4;
        }
        self.cells = vec![0; cells];
        self.place_all(list);
    }

    fn place_all<K: KeySet>(&mut self, list: &[K]) {
        let mask = self.cells.len() - 1;
        for (k, keys) in list.iter().enumerate() {
            let mut i = home(keys) & mask;
            while self.cells[i] != 0 {
                i = (i + 1) & mask;
            }
            self.cells[i] = k as u32 + 1;
        }
    }
}

/// The first cell to look in for `keys`: the high bits of their mix.
#[inline]
fn home<K: KeySet>(keys: &K) -> usize {
    (keys.mix() >> 32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syms(n: usize) -> Vec<Sym> {
        let mut names = crate::tables::Names::default();
        (0..n).map(|i| names.intern(&format!("k{i}"))).collect()
    }

    #[test]
    fn numbers_stay_first_seen_through_the_table_growing() {
        let syms = syms(40);
        // 40 × 40 sets differing in two keys, each seen three times in
        // turn: numbered 0, 1, 2 … as first seen, the same every time
        // after (the table grows from 64 cells to past 3200 meanwhile).
        let keys = |i: usize| {
            [
                Some(syms[i % 40]),
                None,
                Some(syms[i / 40]),
                Some(syms[0]),
                None,
            ]
        };
        let mut sets = KeySets::default();
        for round in 0..3 {
            for i in 0..1600 {
                assert_eq!(sets.number(keys(i)), i as u32, "round {round}");
            }
        }
        assert_eq!(sets.len(), 1600);
        assert!(sets.all().iter().enumerate().all(|(i, k)| *k == keys(i)));
        assert_eq!(sets.get(7), &keys(7));
    }

    #[test]
    fn a_truncated_table_numbers_the_sets_it_lost_again_after_the_rest() {
        let syms = syms(300);
        let one = |i: usize| [Some(syms[i]), None, None, None, None];
        let mut sets = KeySets::default();
        for i in 0..300 {
            sets.number(one(i));
        }
        // Down from 1024 cells to the 64 that ten sets need.
        sets.truncate(10);
        assert_eq!(sets.len(), 10);
        assert_eq!(sets.number(one(3)), 3);
        assert_eq!(sets.number(one(250)), 10);
        assert_eq!(sets.number(one(9)), 9);
        assert_eq!(sets.number(one(11)), 11);
        assert_eq!(sets.get(10), &one(250));
        // Truncating to more than it has changes nothing.
        sets.truncate(50);
        assert_eq!(sets.len(), 12);
    }
}
