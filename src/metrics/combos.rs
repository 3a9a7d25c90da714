//! Each deal's five group keys — owner, team, region, product, source —
//! as one number: the deal's combination.
//!
//! # Why
//! The breakdowns add every deal to its group in five dimensions, and the
//! team and region come from the deal or, failing that, its owner's roster
//! entry. Worked out per deal and per report, that was a roster lookup and
//! five filter checks in the valuing scan and five group lookups in the
//! totals' walk: at a million deals, about a fifth of the whole report. A
//! dataset has few distinct combinations (reps × products × sources, a few
//! hundred in a typical CRM export), so each deal's is found once per
//! dataset, and a report works per combination: a filter is checked once
//! for each, the group slots of each are looked up once, and the integer
//! counts of a breakdown are added per combination, not per deal.
//!
//! The money sums (revenue, open pipeline) are still added deal by deal to
//! each group in the deals' order, so every figure is the same float, to
//! the last bit, as a sum over the group's own deals.

use crate::tables::slots::Slots;
use crate::tables::{Dataset, Deal, Sym};

/// A combination's keys, by [`Combos::OWNER`] … [`Combos::SOURCE`].
pub type Keys = [Option<Sym>; 5];

/// The combination of every deal of a dataset.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Combos {
    /// Per deal, in the table's order, its combination's number.
    of: Vec<u32>,
    /// Each combination's keys, numbered in the order first seen.
    keys: Vec<Keys>,
}

impl Combos {
    /// The owner's place in a combination's keys.
    pub const OWNER: usize = 0;
    /// The team's: the deal's, else its owner's roster team.
    pub const TEAM: usize = 1;
    /// The region's: the deal's, else its owner's roster region.
    pub const REGION: usize = 2;
    /// The product's.
    pub const PRODUCT: usize = 3;
    /// The source's.
    pub const SOURCE: usize = 4;

    /// The combinations of `data`'s deals.
    pub fn of(data: &Dataset) -> Combos {
        Self::of_each(data, |_| {})
    }

    /// [`Combos::of`], showing each deal to `each` on the way, in the
    /// table's order: what else a dataset needs of every deal is gathered
    /// in the same pass (see [`super::DatasetFacts::of`]).
    pub fn of_each(data: &Dataset, mut each: impl FnMut(&Deal)) -> Combos {
        // Each roster rep's team and region by slot; the last entry of a
        // rep listed twice, as `Context::roster` has it.
        let mut on_roster = Slots::default();
        let mut roster: Vec<(Option<Sym>, Option<Sym>)> = Vec::new();
        for r in &data.reps {
            let i = on_roster.slot(Some(r.rep));
            if i == roster.len() {
                roster.push((r.team, r.region));
            } else {
                roster[i] = (r.team, r.region);
            }
        }
        // Each owner's roster team and region by owner slot, found at the
        // owner's first deal.
        let mut owners = Slots::default();
        let mut owner_roster: Vec<(Option<Sym>, Option<Sym>)> = Vec::new();
        let mut numbers = Numbers::default();
        let mut combos = Combos {
            of: Vec::with_capacity(data.deals.len()),
            keys: Vec::new(),
        };
        super::rows_in_slices(&data.deals, |slice| {
            for d in slice {
                each(d);
                let o = owners.slot(d.owner);
                if o == owner_roster.len() {
                    let r = d.owner.and_then(|o| on_roster.get(Some(o)));
                    owner_roster.push(r.map_or((None, None), |i| roster[i]));
                }
                let (team, region) = owner_roster[o];
                let keys = [
                    d.owner,
                    d.team.or(team),
                    d.region.or(region),
                    d.product,
                    d.source,
                ];
                let n = numbers.number(&mut combos.keys, keys);
                combos.of.push(n);
            }
        });
        combos
    }

    /// How many distinct combinations.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is none (no deal).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The combination of each deal, in the table's order.
    pub fn per_deal(&self) -> &[u32] {
        &self.of
    }

    /// A combination's keys.
    #[inline]
    pub fn keys(&self, combo: u32) -> &Keys {
        &self.keys[combo as usize]
    }

    /// Every combination's keys, by number.
    pub fn all(&self) -> &[Keys] {
        &self.keys
    }
}

/// Numbers combinations of keys in the order first seen: an open-addressing
/// table of numbers, the keys themselves kept in the combinations' list.
///
/// # Why not a hash map
/// A `HashMap<Keys, u32>` hashed twenty bytes a word at a time
/// and probed in groups, which WebAssembly has no vector instructions for:
/// 17 ns a deal at a million deals, where a multiply per key and one
/// compare, almost always, is a few.
#[derive(Default)]
struct Numbers {
    /// Each cell a combination's number plus one; 0 is empty.
    cells: Vec<u32>,
}

impl Numbers {
    /// The number of `keys`, given the next one (and added to `list`)
    /// when they are new.
    #[inline]
    fn number(&mut self, list: &mut Vec<Keys>, keys: Keys) -> u32 {
        if self.cells.is_empty() {
            self.cells = vec![0; 64];
        }
        let mask = self.cells.len() - 1;
        let mut i = Self::home(&keys) & mask;
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
            let mask = self.cells.len() - 1;
            for (k, keys) in list.iter().enumerate() {
                let mut i = Self::home(keys) & mask;
                while self.cells[i] != 0 {
                    i = (i + 1) & mask;
                }
                self.cells[i] = k as u32 + 1;
            }
        }
        n
    }

    /// The first cell to look in: the keys mixed by multiplication, the
    /// high bits taken (the well-mixed ones).
    #[inline]
    fn home(keys: &Keys) -> usize {
        let h = keys.iter().fold(0u64, |h, k| {
            (h ^ k.map_or(0, |s| s.index() as u64 + 1)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        });
        (h >> 32) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::{Deal, LineStatus, Origin, Rep, Status};

    fn deal(ds: &mut Dataset, owner: &str, region: &str, product: &str) -> Deal {
        let mut s = |t: &str| (!t.is_empty()).then(|| ds.names.intern(t));
        Deal {
            at: LineStatus::new(2, Status::Open),
            id: None,
            owner: s(owner),
            stage: None,
            amount: None.into(),
            currency: None,
            created: None,
            close: None,
            account: None,
            product: s(product),
            region: s(region),
            team: None,
            source: None,
            probability: None.into(),
            lost_reason: None,
            lead_id: None,
        }
    }

    #[test]
    fn deals_with_the_same_keys_share_a_number_and_the_roster_fills_team_and_region() {
        let mut ds = Dataset::default();
        let (ayu, budi, north, west) = (
            ds.names.intern("Ayu"),
            ds.names.intern("Budi"),
            ds.names.intern("North"),
            ds.names.intern("West"),
        );
        for (rep, team, region) in [(ayu, north, west), (budi, west, west), (budi, north, north)] {
            ds.reps.push(Rep {
                origin: Origin { table: 1, line: 2 },
                rep,
                team: Some(team),
                manager: None,
                region: Some(region),
                start: None,
            });
        }
        let rows = [
            deal(&mut ds, "Ayu", "", "Pro"),
            deal(&mut ds, "Ayu", "", "Pro"),
            deal(&mut ds, "Budi", "", "Pro"),
            deal(&mut ds, "Ayu", "South", "Pro"),
            deal(&mut ds, "Ayu", "", "Pro"),
            deal(&mut ds, "", "", ""),
        ];
        for d in rows {
            ds.deals.push(d);
        }
        let c = Combos::of(&ds);
        // Ayu/Pro twice, Budi, Ayu in South (the deal's region wins), Ayu
        // again (not adjacent to the first two), the deal with no keys.
        assert_eq!(c.per_deal(), &[0, 0, 1, 2, 0, 3]);
        assert_eq!(c.len(), 4);
        let pro = ds.names.lookup("Pro");
        let south = ds.names.lookup("South");
        assert_eq!(c.keys(0), &[Some(ayu), Some(north), Some(west), pro, None]);
        // Budi is listed twice: the last entry's team and region.
        assert_eq!(
            c.keys(1),
            &[Some(budi), Some(north), Some(north), pro, None]
        );
        assert_eq!(c.keys(2), &[Some(ayu), Some(north), south, pro, None]);
        assert_eq!(c.keys(3), &[None; 5]);
    }

    #[test]
    fn numbers_stay_first_seen_through_the_table_growing() {
        let mut ds = Dataset::default();
        let syms: Vec<Sym> = (0..40).map(|i| ds.names.intern(&format!("k{i}"))).collect();
        // 40 × 40 combinations differing in two keys, each seen three times
        // in turn: numbered 0, 1, 2 … as first seen, the same every time
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
        let (mut numbers, mut list) = (Numbers::default(), Vec::new());
        for round in 0..3 {
            for i in 0..1600 {
                assert_eq!(
                    numbers.number(&mut list, keys(i)),
                    i as u32,
                    "round {round}"
                );
            }
        }
        assert_eq!(list.len(), 1600);
        assert!(list.iter().enumerate().all(|(i, k)| *k == keys(i)));
    }
}
