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

use crate::tables::{Dataset, FastMap, Sym};

/// The combination of every deal of a dataset.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Combos {
    /// Per deal, in the table's order, its combination's number.
    of: Vec<u32>,
    /// Each combination's keys ([`Combos::OWNER`] … [`Combos::SOURCE`]),
    /// numbered in the order first seen.
    keys: Vec<[Option<Sym>; 5]>,
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
        // The last entry of a rep listed twice, as `Context::roster` has it.
        let roster: FastMap<Sym, (Option<Sym>, Option<Sym>)> = data
            .reps
            .iter()
            .map(|r| (r.rep, (r.team, r.region)))
            .collect();
        let mut numbers: FastMap<[Option<Sym>; 5], u32> = FastMap::default();
        let mut combos = Combos {
            of: Vec::with_capacity(data.deals.len()),
            keys: Vec::new(),
        };
        // The last deal's keys and number: exports sorted by owner or
        // account repeat a combination on row after row.
        let mut last: Option<([Option<Sym>; 5], u32)> = None;
        super::rows_in_slices(&data.deals, |slice| {
            for d in slice {
                let on_roster = d.owner.and_then(|o| roster.get(&o));
                let keys = [
                    d.owner,
                    d.team.or_else(|| on_roster.and_then(|r| r.0)),
                    d.region.or_else(|| on_roster.and_then(|r| r.1)),
                    d.product,
                    d.source,
                ];
                let n = match last {
                    Some((k, n)) if k == keys => n,
                    _ => {
                        let next = combos.keys.len() as u32;
                        let n = *numbers.entry(keys).or_insert(next);
                        if n == next {
                            combos.keys.push(keys);
                        }
                        last = Some((keys, n));
                        n
                    }
                };
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
    pub fn keys(&self, combo: u32) -> &[Option<Sym>; 5] {
        &self.keys[combo as usize]
    }

    /// Every combination's keys, by number.
    pub fn all(&self) -> &[[Option<Sym>; 5]] {
        &self.keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::{Deal, Origin, Rep, Status};

    fn deal(ds: &mut Dataset, owner: &str, region: &str, product: &str) -> Deal {
        let mut s = |t: &str| (!t.is_empty()).then(|| ds.names.intern(t));
        Deal {
            origin: Origin { table: 0, line: 2 },
            id: None,
            owner: s(owner),
            stage: None,
            status: Status::Open,
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
}
