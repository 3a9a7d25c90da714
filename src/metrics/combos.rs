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

use crate::tables::key_sets::{self, GroupKeys, KeySets};
use crate::tables::slots::Slots;
use crate::tables::{Dataset, Deal, Sym};

/// A combination's keys, by [`Combos::OWNER`] … [`Combos::SOURCE`].
pub type Keys = GroupKeys;

/// The combination of every deal of a dataset.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Combos {
    /// Per set of keys as the deals give them ([`Dataset::deal_keys`]),
    /// its combination's number.
    of_set: Vec<u32>,
    /// Each combination's keys, numbered in the order first seen.
    keys: KeySets,
}

impl Combos {
    /// The owner's place in a combination's keys.
    pub const OWNER: usize = key_sets::OWNER;
    /// The team's: the deal's, else its owner's roster team.
    pub const TEAM: usize = key_sets::TEAM;
    /// The region's: the deal's, else its owner's roster region.
    pub const REGION: usize = key_sets::REGION;
    /// The product's.
    pub const PRODUCT: usize = key_sets::PRODUCT;
    /// The source's.
    pub const SOURCE: usize = key_sets::SOURCE;

    /// The combinations of `data`'s deals: each set of keys the deals
    /// give, with its owner's roster team and region where the deals have
    /// none. The sets are numbered in the order their first deal comes, so
    /// the combinations are too, as numbering each deal's would.
    pub fn of(data: &Dataset) -> Combos {
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
        let mut keys = KeySets::default();
        let of_set = data
            .deal_keys
            .all()
            .iter()
            .map(|given| {
                let owner = given[Self::OWNER];
                let (team, region) = owner
                    .and_then(|o| on_roster.get(Some(o)))
                    .map_or((None, None), |i| roster[i]);
                let mut k = *given;
                k[Self::TEAM] = k[Self::TEAM].or(team);
                k[Self::REGION] = k[Self::REGION].or(region);
                keys.number(k)
            })
            .collect();
        Combos { of_set, keys }
    }

    /// How many distinct combinations.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is none (no deal).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// A deal's combination (of a deal of this dataset; 0 for another's,
    /// a bug, never a panic).
    #[inline]
    pub fn of_deal(&self, deal: &Deal) -> u32 {
        debug_assert!((deal.keys as usize) < self.of_set.len());
        self.of_set.get(deal.keys as usize).copied().unwrap_or(0)
    }

    /// A combination's keys.
    #[inline]
    pub fn keys(&self, combo: u32) -> &Keys {
        self.keys.get(combo)
    }

    /// Every combination's keys, by number.
    pub fn all(&self) -> &[Keys] {
        self.keys.all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::key_sets::Labels;
    use crate::tables::{Deal, Origin, Rep, Status};

    fn deal(ds: &mut Dataset, owner: &str, region: &str, product: &str) -> Deal {
        let mut s = |t: &str| (!t.is_empty()).then(|| ds.names.intern(t));
        let (owner, region, product) = (s(owner), s(region), s(product));
        ds.test_deal(
            2,
            Status::Open,
            [owner, None, region, product, None],
            Labels::default(),
        )
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
            // Its own region is the roster's: another set of keys as
            // given, the first deals' combination.
            deal(&mut ds, "Ayu", "West", "Pro"),
        ];
        for d in rows {
            ds.deals.push(d);
        }
        let c = Combos::of(&ds);
        // Ayu/Pro twice, Budi, Ayu in South (the deal's region wins), Ayu
        // again (not adjacent to the first two), the deal with no keys,
        // Ayu in West.
        let per_deal: Vec<u32> = ds.deals.iter().map(|d| c.of_deal(d)).collect();
        assert_eq!(per_deal, [0, 0, 1, 2, 0, 3, 0]);
        assert_eq!(ds.deal_keys.len(), 5);
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
