//! Deals (SPEC §4): revenue, counts, deal size, win rates, sales cycle, the
//! zero-filled series with growth, the average-deal-size trend, and the
//! breakdowns by rep, team, region, product and source.
//!
//! # Design
//! - Won and lost deals count *in range* by close date; open deals are open
//!   as of `asOf` (a deal won after `asOf` was still open on it).
//! - `avgDealSize` divides revenue by the won deals that have a value (an
//!   amount, or a list price): a won deal without either still counts in
//!   `dealsWon` and the win rate, but dividing revenue by it would understate
//!   the average.
//! - `winRateCreatedCohort` = won / all deals created in range, whatever
//!   their state today, labelled so in the report.
//! - The sales cycle leaves out won deals closed before they were created
//!   (reported as a data-quality warning).

use super::combos::Combos;
use super::stats::{day_spread, median_of_keys, ols_slope, order_key, ratio};
use super::{Context, DealView, Scope};
use crate::period::Period;
use crate::report::{Breakdown, SeriesRow, Spread, Trend};
use crate::rows_order::sort_rows_by;
use crate::tables::slots::Slots;
use crate::tables::{OptF64, Rows, Status, Sym};
use chrono::{Datelike, NaiveDate};

/// One deal's part in the figures, worked out once and added to every
/// group the deal belongs to (the totals and each breakdown).
struct Part {
    /// Won and closed in range.
    won: bool,
    /// Its value, when it has one.
    won_value: Option<f64>,
    /// Its sales cycle in whole days (not when closed before created).
    cycle: Option<u32>,
    /// Lost and closed in range.
    lost: bool,
    /// Open as of `asOf`, and its value (0 without one).
    open: bool,
    open_value: f64,
    /// Created in range, and whether it was won.
    created: bool,
    created_won: bool,
}

impl Part {
    #[inline]
    fn of(ctx: &Context<'_>, d: &DealView<'_>) -> Part {
        let deal = d.deal;
        let closed = d.closed_in(ctx.from, ctx.to);
        let won = closed && deal.status() == Status::Won;
        let cycle = match (deal.created, deal.close) {
            // Never negative here, and chrono's dates span fewer than
            // 2^32 days.
            (Some(c), Some(o)) if won && o >= c => u32::try_from((o - c).num_days()).ok(),
            _ => None,
        };
        let open = d.open_on(ctx.as_of);
        Part {
            won,
            won_value: if won { d.value(&ctx.pricing) } else { None },
            cycle,
            lost: closed && deal.status() == Status::Lost,
            open,
            open_value: if open {
                d.value(&ctx.pricing).unwrap_or(0.0)
            } else {
                0.0
            },
            created: deal.created.is_some_and(|c| c >= ctx.from && c <= ctx.to),
            created_won: deal.status() == Status::Won,
        }
    }
}

/// Running totals for one group of deals.
#[derive(Debug, Default, Clone)]
pub struct Acc {
    /// Won revenue.
    pub revenue: f64,
    /// Won deals.
    pub won: u32,
    /// Lost deals.
    pub lost: u32,
    /// Values of won deals that have one, as their
    /// [`order_key`](super::stats::order_key)s (set for the totals only;
    /// see [`TotalsPass`]).
    pub won_values: Vec<i64>,
    /// Open deals.
    pub open: u32,
    /// Their value.
    pub open_pipeline: f64,
    /// Deals created in range.
    pub created: u32,
    /// Of which won.
    pub created_won: u32,
    /// Sales cycles of won deals, in whole days (as `won_values`).
    pub cycles: Vec<u32>,
}

impl Acc {
    /// Adds one deal's counts and sums, not its samples (those are kept
    /// once per won deal: see [`TotalsPass`]).
    #[inline]
    fn count(&mut self, p: &Part) {
        if p.won {
            self.won += 1;
            if let Some(v) = p.won_value {
                self.revenue += v;
            }
        }
        if p.lost {
            self.lost += 1;
        }
        if p.open {
            self.open += 1;
            self.open_pipeline += p.open_value;
        }
        if p.created {
            self.created += 1;
            if p.created_won {
                self.created_won += 1;
            }
        }
    }

    /// Average won deal.
    pub fn avg(&self) -> Option<f64> {
        ratio(self.revenue, self.won_values.len() as f64)
    }

    /// Win rate on closed deals.
    pub fn win_rate(&self) -> Option<f64> {
        ratio(self.won as f64, (self.won + self.lost) as f64)
    }

    /// The sales-cycle spread (selected in place: the cycles' order
    /// says nothing).
    pub fn cycle(&mut self) -> Option<Spread> {
        cycle_spread(&mut self.cycles)
    }

    /// The median won deal (selected in place, as [`Acc::cycle`]).
    pub fn median(&mut self) -> Option<f64> {
        median_of_keys(&mut self.won_values)
    }

    /// The breakdown row of a group whose won values and cycles are given
    /// (the group's own vectors are empty: see [`Acc::count`]), reordered
    /// to select the medians in place.
    fn breakdown(
        &self,
        name: Option<String>,
        total: f64,
        values: &mut [i64],
        cycles: &mut [u32],
    ) -> Breakdown {
        Breakdown {
            name,
            revenue: self.revenue,
            deals_won: self.won,
            deals_lost: self.lost,
            deals_open: self.open,
            open_pipeline: self.open_pipeline,
            avg_deal_size: ratio(self.revenue, values.len() as f64),
            median_deal_size: median_of_keys(values),
            win_rate: self.win_rate(),
            sales_cycle_days: cycle_spread(cycles),
            revenue_share: ratio(self.revenue, total),
            activities: None,
            selling_time_share: None,
        }
    }
}

/// The sales-cycle spread of some cycles, which it reorders.
fn cycle_spread(cycles: &mut [u32]) -> Option<Spread> {
    let (mean, median, p90) = day_spread(cycles)?;
    Some(Spread {
        mean,
        median,
        p90,
        count: cycles.len() as u32,
    })
}

/// The zero-filled series from the first to the last period of the range,
/// a slice of deals at a time (in a walk shared with other families: see
/// [`super::walk`]).
pub struct SeriesPass {
    periods: Vec<Period>,
    /// Per period: revenue, won, lost, won with a value.
    accs: Vec<(f64, u32, u32, u32)>,
    /// Each day's period, by [`day_key`] from the range's first year: a
    /// table lookup per closed deal rather than a binary search (most of
    /// this pass at a million deals). Empty for a range of more than
    /// [`MAX_TABLE_DAYS`], which searches.
    day_period: Vec<u32>,
    first_year: i32,
}

/// The most days [`SeriesPass`] tabulates (about 270 years).
const MAX_TABLE_DAYS: i64 = 100_000;

/// A date's place in a table of days from `first_year`: 366 places a year,
/// from two fields of the date (no calendar arithmetic).
/// `None` before the first year.
#[inline]
fn day_key(d: NaiveDate, first_year: i32) -> Option<usize> {
    let years = usize::try_from(d.year() - first_year).ok()?;
    Some(years * 366 + d.ordinal0() as usize)
}

impl SeriesPass {
    /// The periods of the range, nothing counted yet.
    pub fn new(ctx: &Context<'_>) -> SeriesPass {
        let periods = ctx.calendar.periods(ctx.from, ctx.to);
        let accs = vec![(0.0f64, 0u32, 0u32, 0u32); periods.len()];
        let first_year = ctx.from.year();
        let mut day_period = Vec::new();
        if ctx.from <= ctx.to && (ctx.to - ctx.from).num_days() <= MAX_TABLE_DAYS {
            let last = day_key(ctx.to, first_year).unwrap_or(0);
            day_period = vec![u32::MAX; last + 1];
            // Each day's entry is what the search would give it.
            for day in ctx.from.iter_days().take_while(|d| *d <= ctx.to) {
                if let Some(e) = day_key(day, first_year).and_then(|k| day_period.get_mut(k)) {
                    *e = periods.partition_point(|p| p.end < day) as u32;
                }
            }
        }
        SeriesPass {
            periods,
            accs,
            day_period,
            first_year,
        }
    }

    /// Adds a slice of the deals, in order.
    pub fn add(&mut self, ctx: &Context<'_>, slice: &[DealView<'_>]) {
        for d in slice {
            if !d.closed_in(ctx.from, ctx.to) {
                continue;
            }
            let Some(close) = d.deal.close else { continue };
            // Closed in range: the day is in the table, when there is one.
            let at = day_key(close, self.first_year).and_then(|k| self.day_period.get(k));
            let i = match at {
                Some(&i) if i != u32::MAX => i as usize,
                _ => self.periods.partition_point(|p| p.end < close),
            };
            let Some(a) = self.accs.get_mut(i) else {
                continue;
            };
            match d.deal.status() {
                Status::Won => {
                    a.1 += 1;
                    if let Some(v) = d.value(&ctx.pricing) {
                        a.0 += v;
                        a.3 += 1;
                    }
                }
                Status::Lost => a.2 += 1,
                Status::Open => {}
            }
        }
    }

    /// The rows, each with its revenue's growth on the period before.
    pub fn finish(self) -> Vec<SeriesRow> {
        let mut prev: Option<f64> = None;
        self.periods
            .iter()
            .zip(self.accs)
            .map(|(p, (revenue, won, lost, valued))| {
                let row = SeriesRow {
                    period: p.label.clone(),
                    start: p.start.to_string(),
                    end: p.end.to_string(),
                    revenue,
                    deals_won: won,
                    deals_lost: lost,
                    avg_deal_size: ratio(revenue, valued as f64),
                    win_rate: ratio(won as f64, (won + lost) as f64),
                    revenue_growth_pct: prev
                        .and_then(|pr| ratio(revenue - pr, pr).map(|g| g * 100.0)),
                };
                prev = Some(revenue);
                row
            })
            .collect()
    }
}

/// OLS trend of the average deal size over the periods with wins.
/// `changePct` = slope × (n − 1) / mean × 100, with `n` the number of
/// periods in the series: the fitted change across the whole range.
pub fn trend(series: &[SeriesRow]) -> Trend {
    let points: Vec<(f64, f64)> = series
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            r.avg_deal_size
                .filter(|_| r.deals_won > 0)
                .map(|a| (i as f64, a))
        })
        .collect();
    let with_wins = points.len() as u32;
    if points.len() < 3 {
        return Trend {
            slope: None,
            change_pct: None,
            direction: "insufficient".into(),
            periods_with_wins: with_wins,
        };
    }
    let slope = ols_slope(&points);
    let avg = points.iter().map(|p| p.1).sum::<f64>() / points.len() as f64;
    let change = slope
        .and_then(|s| ratio(s * (series.len() as f64 - 1.0), avg))
        .map(|c| c * 100.0);
    let direction = match change {
        Some(c) if c >= 5.0 => "growing",
        Some(c) if c <= -5.0 => "shrinking",
        Some(_) => "flat",
        None => "insufficient",
    };
    Trend {
        slope,
        change_pct: change,
        direction: direction.into(),
        periods_with_wins: with_wins,
    }
}

/// Each region's deals figures (its `byRegion` group) and the owners of its
/// deals that matter to the report, gathered in the totals pass for the
/// territories, which had walked every deal again for the same groups.
#[derive(Debug, Default)]
pub struct RegionGroups {
    /// Region, its figures, the owners of its deals that matter (closed
    /// in range, open as of `asOf` or created in range); in no set order.
    pub regions: Vec<(Sym, Acc, Vec<Sym>)>,
    /// Deals that matter to the report but have no region.
    pub without: u32,
}

/// [`totals_and_breakdowns`] a slice of deals at a time, for a walk shared
/// with other families (see [`super::walk`]).
#[derive(Default)]
pub struct TotalsPass {
    totals: Acc,
    // Grouped by symbol (one string is one symbol), named at the end; the
    // rows are sorted below, so the slots' order never shows.
    slots: [Slots; 5],
    // Each group's money sums, added deal by deal in the deals' order; its
    // counts are added at the end from its combinations' (see `Combos`).
    accs: [Vec<Acc>; 5],
    // Per combination of group keys, its group's slot in each breakdown
    // (`UNSEEN` until a deal of it is walked), and its deals' counts.
    at: Vec<[u32; 5]>,
    counts: Vec<Counts>,
    // The groups keep counts and sums only; each won deal's value and cycle
    // are kept once, with its combination, and handed out to the groups at
    // the end (ten pushes per won deal were a third of this pass at a
    // million deals).
    // In chunks (see `Rows`): a growing vector of rows would move at each
    // doubling, its old copies left behind in wasm memory.
    won: Rows<WonRow>,
}

/// A combination not walked yet, in [`TotalsPass`]'s `at`.
const UNSEEN: u32 = u32::MAX;

/// The deals of one combination of group keys, counted.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    won: u32,
    lost: u32,
    open: u32,
    created: u32,
    created_won: u32,
    /// Closed in range, open as of `asOf` or created in range: what
    /// `Context::relevant` says.
    relevant: u32,
}

impl TotalsPass {
    /// Adds a slice of the deals, in order.
    pub fn add(&mut self, ctx: &Context<'_>, deals: &[DealView<'_>]) {
        for d in deals {
            let p = Part::of(ctx, d);
            // The totals' won values and cycles are the won rows' (below),
            // taken at the end.
            self.totals.count(&p);
            let c = d.combo() as usize;
            let at = match self.at.get(c) {
                Some(at) if at[0] != UNSEEN => *at,
                _ => self.place(ctx, c),
            };
            if let Some(n) = self.counts.get_mut(c) {
                n.won += u32::from(p.won);
                n.lost += u32::from(p.lost);
                n.open += u32::from(p.open);
                n.created += u32::from(p.created);
                n.created_won += u32::from(p.created && p.created_won);
                n.relevant += u32::from(p.won || p.lost || p.open || p.created);
            }
            // The sums deal by deal, so that each group's is the same float
            // as a sum over its own deals in order.
            if p.won {
                if let Some(v) = p.won_value {
                    for (accs, &i) in self.accs.iter_mut().zip(&at) {
                        accs[i as usize].revenue += v;
                    }
                }
            }
            if p.open {
                for (accs, &i) in self.accs.iter_mut().zip(&at) {
                    accs[i as usize].open_pipeline += p.open_value;
                }
            }
            if p.won && (p.won_value.is_some() || p.cycle.is_some()) {
                self.won.push(WonRow {
                    value: p.won_value.into(),
                    cycle: p.cycle.unwrap_or(NO_CYCLE),
                    combo: c as u32,
                });
            }
        }
    }

    /// Gives combination `c` its group in every breakdown, at its first
    /// deal walked: groups are numbered in the order their first deal
    /// comes, as a lookup per deal would number them.
    #[cold]
    #[inline(never)]
    fn place(&mut self, ctx: &Context<'_>, c: usize) -> [u32; 5] {
        let keys = *ctx.combos.keys(c as u32);
        let mut at = [0u32; 5];
        for g in 0..5 {
            let i = self.slots[g].slot(keys[g]);
            if i == self.accs[g].len() {
                self.accs[g].push(Acc::default());
            }
            at[g] = i as u32;
        }
        if self.at.len() <= c {
            self.at.resize(c + 1, [UNSEEN; 5]);
            self.counts.resize(c + 1, Counts::default());
        }
        self.at[c] = at;
        at
    }
}

/// The totals and the breakdowns by rep, team, region, product and source,
/// in one pass over the deals: each deal's part is worked out once and
/// added to its group in every dimension. Each breakdown's rows are sorted
/// by revenue desc, then name, the unset key last; `roster_reps` adds reps
/// with no deals (with zeros) to the rep breakdown. The region groups come
/// back as well, for the territories.
pub fn totals_and_breakdowns(
    ctx: &Context<'_>,
    roster_reps: &[Sym],
) -> (Acc, [Vec<Breakdown>; 5], RegionGroups) {
    let mut pass = TotalsPass::new(ctx, roster_reps);
    // A slice of deals per call (see `in_slices`).
    ctx.deals.slices(|slice| pass.add(ctx, slice));
    pass.finish(ctx, Scope::Whole)
}

impl TotalsPass {
    /// Every group the filters keep, and the roster's reps, with nothing
    /// counted yet.
    pub fn new(ctx: &Context<'_>, roster_reps: &[Sym]) -> TotalsPass {
        let mut pass = TotalsPass {
            at: vec![[UNSEEN; 5]; ctx.combos.len()],
            counts: vec![Counts::default(); ctx.combos.len()],
            ..TotalsPass::default()
        };
        // Every group the filters keep has a row, whether or not its deals add
        // to this range (the deals walked below are only those that do).
        for (g, keys) in ctx.kept.groups.iter().enumerate() {
            for &k in keys {
                if pass.slots[g].slot(k) == pass.accs[g].len() {
                    pass.accs[g].push(Acc::default());
                }
            }
        }
        for &s in roster_reps {
            if pass.slots[0].slot(Some(s)) == pass.accs[0].len() {
                pass.accs[0].push(Acc::default());
            }
        }
        pass
    }

    /// The totals, the breakdowns (each empty for a [`Scope::Summary`]:
    /// their rows' medians and shares are most of this step) and the
    /// region groups.
    pub fn finish(
        self,
        ctx: &Context<'_>,
        scope: Scope,
    ) -> (Acc, [Vec<Breakdown>; 5], RegionGroups) {
        let TotalsPass {
            mut totals,
            slots,
            mut accs,
            at,
            counts,
            won,
        } = self;
        // Each combination's counts to its group in every breakdown, and
        // the owners of each region's deals that matter.
        let mut owners_in: Vec<Vec<bool>> = Vec::new();
        let mut without = 0;
        for (c, (at, n)) in at.iter().zip(&counts).enumerate() {
            if at[0] == UNSEEN {
                continue;
            }
            for (accs, &i) in accs.iter_mut().zip(at) {
                let a = &mut accs[i as usize];
                a.won += n.won;
                a.lost += n.lost;
                a.open += n.open;
                a.created += n.created;
                a.created_won += n.created_won;
            }
            if n.relevant == 0 {
                continue;
            }
            let keys = ctx.combos.keys(c as u32);
            if keys[Combos::REGION].is_none() {
                without += n.relevant;
            } else if keys[Combos::OWNER].is_some() {
                let (r, o) = (at[Combos::REGION] as usize, at[Combos::OWNER] as usize);
                if owners_in.len() <= r {
                    owners_in.resize(r + 1, Vec::new());
                }
                let row = &mut owners_in[r];
                if row.len() <= o {
                    row.resize(o + 1, false);
                }
                row[o] = true;
            }
        }
        let owner_keys = slots[0].keys();
        let regions = RegionGroups {
            regions: slots[2]
                .keys()
                .iter()
                .zip(&accs[2])
                .enumerate()
                .filter_map(|(i, (k, a))| {
                    let owners = owners_in.get(i).map_or(&[][..], Vec::as_slice);
                    let owners = owners
                        .iter()
                        .zip(owner_keys)
                        .filter(|(&seen, _)| seen)
                        .filter_map(|(_, &o)| o)
                        .collect();
                    k.map(|k| (k, a.clone(), owners))
                })
                .collect(),
            without,
        };
        // Every won deal with a value or a cycle has a won row.
        let by_combo = Samples::by_combo(&won, at.len());
        drop(won);
        let rev = totals.revenue;
        let mut g = 0;
        let mut scratch = (Vec::new(), Vec::new());
        let rows = accs.map(|a| {
            if scope == Scope::Summary {
                return Vec::new();
            }
            let r = rows(
                ctx,
                slots[g].keys(),
                &a,
                &by_combo.grouped(&at, g, a.len()),
                &mut scratch,
                rev,
            );
            g += 1;
            r
        });
        // The totals' samples are all of them, in no particular order
        // (see `Samples`): moved, not copied.
        totals.won_values = by_combo.values;
        totals.cycles = by_combo.cycles;
        (totals, rows, regions)
    }
}

/// A won deal's value and sales cycle, and its combination of group keys.
struct WonRow {
    value: OptF64,
    /// Whole days, [`NO_CYCLE`] for none.
    cycle: u32,
    combo: u32,
}

/// A won row's cycle when the deal has none.
const NO_CYCLE: u32 = u32::MAX;

/// Won deals' values (as their [`order_key`]s) and cycles laid out
/// combination by combination, each combination's in the deals' order.
/// A breakdown's group gathers its combinations' runs one after another
/// ([`Samples::grouped`]) to select its medians from.
///
/// A group's are then not in the deals' order, which nothing shows: a
/// median or percentile picks the same element whatever the order, and the
/// cycles are whole days, whose sum is exact in any order.
struct Samples {
    values: Vec<i64>,
    cycles: Vec<u32>,
    /// Where each combination's values and cycles start (one more for the
    /// end).
    starts: Vec<(usize, usize)>,
}

impl Samples {
    /// The won rows' values and cycles by combination, once for every
    /// breakdown (which each scattered every won row into its groups).
    fn by_combo(won: &Rows<WonRow>, combos: usize) -> Samples {
        let mut sizes = vec![(0usize, 0usize); combos + 1];
        for r in won {
            let s = &mut sizes[r.combo as usize + 1];
            s.0 += usize::from(r.value.get().is_some());
            s.1 += usize::from(r.cycle != NO_CYCLE);
        }
        for i in 1..sizes.len() {
            sizes[i].0 += sizes[i - 1].0;
            sizes[i].1 += sizes[i - 1].1;
        }
        let (n_values, n_cycles) = sizes.last().copied().unwrap_or_default();
        let mut laid = Samples {
            values: vec![0; n_values],
            cycles: vec![0; n_cycles],
            starts: sizes.clone(),
        };
        let mut next = sizes;
        for r in won {
            let n = &mut next[r.combo as usize];
            if let Some(v) = r.value.get() {
                laid.values[n.0] = order_key(v);
                n.0 += 1;
            }
            if r.cycle != NO_CYCLE {
                laid.cycles[n.1] = r.cycle;
                n.1 += 1;
            }
        }
        laid
    }

    /// The combinations of each group of breakdown `g` (`at` gives each
    /// combination's group; one never walked has no won deal).
    fn grouped(&self, at: &[[u32; 5]], g: usize, groups: usize) -> Grouped<'_> {
        let mut of_group: Vec<(u32, u32)> = at
            .iter()
            .enumerate()
            .filter(|(_, a)| a[0] != UNSEEN)
            .map(|(c, a)| (a[g], c as u32))
            .collect();
        of_group.sort_unstable();
        let mut starts = vec![0usize; groups + 1];
        for &(group, _) in &of_group {
            starts[group as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        Grouped {
            samples: self,
            combos: of_group.into_iter().map(|(_, c)| c).collect(),
            starts,
        }
    }

    /// A combination's won values and cycles.
    fn of(&self, combo: usize) -> (&[i64], &[u32]) {
        let (a, b) = (self.starts[combo], self.starts[combo + 1]);
        (&self.values[a.0..b.0], &self.cycles[a.1..b.1])
    }
}

/// A breakdown's groups as the combinations each holds (see
/// [`Samples::grouped`]).
struct Grouped<'s> {
    samples: &'s Samples,
    /// The combinations, group by group.
    combos: Vec<u32>,
    /// Where each group's combinations start (one more for the end).
    starts: Vec<usize>,
}

impl Grouped<'_> {
    /// Group `i`'s won values and cycles, gathered into `into` (emptied
    /// first: one pair of vectors serves every group in turn).
    fn gather<'v>(
        &self,
        i: usize,
        into: &'v mut (Vec<i64>, Vec<u32>),
    ) -> (&'v mut [i64], &'v mut [u32]) {
        let (values, cycles) = into;
        values.clear();
        cycles.clear();
        let combos = &self.combos[self.starts[i]..self.starts[i + 1]];
        // Room for exactly this group: grown by doubling, a group of every
        // won deal (a breakdown whose column the file lacks) took up to
        // twice its samples (6.9 MB at a million deals, for 3.6).
        let (n, m) = combos.iter().fold((0, 0), |(n, m), &c| {
            let (v, cy) = self.samples.of(c as usize);
            (n + v.len(), m + cy.len())
        });
        values.reserve_exact(n);
        cycles.reserve_exact(m);
        for &c in combos {
            let (v, cy) = self.samples.of(c as usize);
            values.extend_from_slice(v);
            cycles.extend_from_slice(cy);
        }
        (values, cycles)
    }
}

fn rows(
    ctx: &Context<'_>,
    keys: &[Option<Sym>],
    accs: &[Acc],
    samples: &Grouped<'_>,
    scratch: &mut (Vec<i64>, Vec<u32>),
    total_revenue: f64,
) -> Vec<Breakdown> {
    let mut rows: Vec<Breakdown> = keys
        .iter()
        .zip(accs)
        .enumerate()
        .filter(|(_, (k, a))| k.is_some() || a.won + a.lost + a.open + a.created > 0)
        .map(|(i, (k, a))| {
            let (values, cycles) = samples.gather(i, scratch);
            a.breakdown(
                k.map(|s| ctx.name(s).into_owned()),
                total_revenue,
                values,
                cycles,
            )
        })
        .collect();
    sort_rows_by(&mut rows, |a, b| {
        a.name
            .is_none()
            .cmp(&b.name.is_none())
            .then(b.revenue.total_cmp(&a.revenue))
            .then(a.name.cmp(&b.name))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each day has its own place in the series' day table, later days
    /// later places (a leap day included), and a day before the table's
    /// first year none.
    #[test]
    fn day_keys_are_distinct_and_in_order() {
        let first = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let keys: Vec<usize> = first
            .iter_days()
            .take(4 * 366)
            .map(|d| day_key(d, 2023).unwrap())
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(keys[0], 0);
        // 2024-02-29 is day 59 of 2024 (from 0), one year of 366 places on.
        let leap = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(day_key(leap, 2023), Some(366 + 59));
        assert_eq!(
            day_key(NaiveDate::from_ymd_opt(2022, 12, 31).unwrap(), 2023),
            None
        );
    }

    fn row(won: u32, avg: Option<f64>) -> SeriesRow {
        SeriesRow {
            period: String::new(),
            start: String::new(),
            end: String::new(),
            revenue: 0.0,
            deals_won: won,
            deals_lost: 0,
            avg_deal_size: avg,
            win_rate: None,
            revenue_growth_pct: None,
        }
    }

    #[test]
    fn trend_by_hand() {
        // Averages 100, 110, 120 over periods 0..2 of 3: slope 10,
        // change = 10 × 2 / 110 × 100 = 18.18 % → growing.
        let t = trend(&[
            row(1, Some(100.0)),
            row(1, Some(110.0)),
            row(1, Some(120.0)),
        ]);
        assert_eq!(t.slope, Some(10.0));
        assert!((t.change_pct.unwrap() - 2000.0 / 110.0).abs() < 1e-9);
        assert_eq!(t.direction, "growing");
        let t = trend(&[row(1, Some(100.0)), row(0, None), row(1, Some(101.0))]);
        assert_eq!(t.direction, "insufficient");
    }
}
