//! Quota attainment (SPEC §4): per (rep, quota period) the won revenue of
//! that rep with a close date inside the period over the quota, over the
//! pairs whose period overlaps the range.
//!
//! # Design
//! - The headline counts are over (rep, period) *pairs*: with quarterly
//!   quotas over a year, one rep counts four times, once per quarter, which
//!   is how "share of the team at quota" is read period by period.
//! - A quotas table keyed by team or region is measured the same way at that
//!   level; when a table mixes levels, the headline uses rep-level pairs.
//! - Filters apply to both sides: the quota pairs kept and the deals counted.

use super::combos::Combos;
use super::stats::ratio;
use super::Context;
use crate::period::resolve_spec;
use crate::report::{Attainment, Bucket, QuotaPeriodRow, QuotaSection};
use crate::rows_order::sort_rows_by;
use crate::tables::slots::Slots;
use crate::tables::{QuotaLevel, QuotaPeriod, Rows, Sym};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// (start, end, label) of a quota period.
type PeriodKey = (String, String, String);
/// (pairs, pairs at or above, won, quota) of a quota period.
type PeriodTotals = (u32, u32, f64, f64);

const BUCKETS: [&str; 5] = ["<50%", "50–80%", "80–100%", "100–120%", "≥120%"];

fn bucket(a: f64) -> usize {
    match a {
        a if a < 0.5 => 0,
        a if a < 0.8 => 1,
        a if a < 1.0 => 2,
        a if a < 1.2 => 3,
        _ => 4,
    }
}

fn level_name(l: QuotaLevel) -> &'static str {
    match l {
        QuotaLevel::Rep => "rep",
        QuotaLevel::Team => "team",
        QuotaLevel::Region => "region",
    }
}

/// Won deals with a value, in the deals' order, with their close date and
/// combination of group keys ([`Combos`]), whose owner, team and region are
/// the keys the quota levels are measured on. A quota row sums only its
/// own key's deals: the same additions in the same order as a scan of
/// every deal, without one scan per row (72 quarterly rows over a million
/// deals took 330 ms that way). One list serves every level (a list per
/// level and key kept each won deal up to three times).
#[derive(Debug, Default)]
pub(crate) struct WonDeals {
    // In chunks (see `Rows`): a vector growing by doubling would leave
    // its old copies behind in wasm memory.
    deals: Rows<(NaiveDate, f64, u32)>,
}

impl WonDeals {
    /// Adds a won deal of combination `combo` (in the deals' order).
    pub fn add(&mut self, close: NaiveDate, value: f64, combo: u32) {
        self.deals.push((close, value, combo));
    }

    /// Won revenue of each `(key, start, end)` asked at quota `level`
    /// (closed inside `[start, end]`), in the order asked: every period in
    /// one pass over the won deals. Each sum adds its key's deals in their
    /// order, from zero, as a sum over the period's own deals would.
    fn won_each(
        &self,
        combos: &Combos,
        level: QuotaLevel,
        asked: &[(Sym, NaiveDate, NaiveDate)],
    ) -> Vec<f64> {
        let at = match level {
            QuotaLevel::Rep => Combos::OWNER,
            QuotaLevel::Team => Combos::TEAM,
            QuotaLevel::Region => Combos::REGION,
        };
        // The periods asked of each key, by the key's slot.
        let mut slots = Slots::default();
        let mut by_slot: Vec<Vec<usize>> = Vec::new();
        for (i, &(key, _, _)) in asked.iter().enumerate() {
            let s = slots.slot(Some(key));
            if s == by_slot.len() {
                by_slot.push(Vec::new());
            }
            by_slot[s].push(i);
        }
        // A key whose periods do not overlap (a rep's quarters) finds a
        // deal's one period in a table of days: a lookup per won deal
        // rather than a test of each of the key's periods (at a million
        // deals with quarterly quotas over the whole range, six tests a
        // deal were most of this section).
        let calendars = Calendars::of(&by_slot, asked);
        // Each combination's key slot (none when its key has no period).
        let of_combo: Vec<Option<usize>> = combos
            .all()
            .iter()
            .map(|k| k[at].and_then(|key| slots.get(Some(key))))
            .collect();
        let mut won = vec![0.0; asked.len()];
        for &(close, value, combo) in &self.deals {
            let Some(s) = of_combo.get(combo as usize).copied().flatten() else {
                continue;
            };
            if let Some(table) = calendars.table(s) {
                if let Some(i) = calendars.period(table, close) {
                    won[i] += value;
                }
                continue;
            }
            for &i in &by_slot[s] {
                let (_, start, end) = asked[i];
                // Adding 0.0 to a sum started at 0.0 leaves it as it is (it
                // is never -0.0), and a select instead of a branch spares
                // a mispredicted jump per deal and period (which holds a
                // deal is as good as random).
                won[i] += if close >= start && close <= end {
                    value
                } else {
                    0.0
                };
            }
        }
        won
    }
}

/// Per key slot whose periods do not overlap, each day's period, over the
/// days from the earliest start asked to the latest end; a key with
/// overlapping periods has none (its deals test each of its periods).
/// Each period's sum still adds its deals in their order: a deal outside
/// every period added nothing before either (a 0.0). A day's place is read
/// off two fields of the date, 366 places a year ([`Calendars::place`]), not
/// counted in days (calendar arithmetic per deal).
struct Calendars {
    /// The year of the earliest start.
    first_year: i32,
    /// The place of the earliest start.
    first: usize,
    /// Places in each table.
    days: usize,
    /// Per key slot, the offset of its table in `periods`, if it has one.
    table_of: Vec<Option<usize>>,
    /// The tables, one after another: a day's period, or [`Calendars::NONE`].
    periods: Vec<u32>,
}

impl Calendars {
    /// No period holds the day.
    const NONE: u32 = u32::MAX;
    /// The most places a table holds (a key's periods spread wider, or the
    /// tables all together past [`Calendars::MAX_CELLS`], test each period).
    const MAX_DAYS: usize = 40_000;
    const MAX_CELLS: usize = 1 << 20;
    /// The most periods a key with a table has.
    const MAX_PERIODS: usize = 256;

    /// `d`'s place from the start of `first_year` (`None` before it).
    #[inline]
    fn place(d: NaiveDate, first_year: i32) -> Option<usize> {
        let years = usize::try_from(d.year() - first_year).ok()?;
        Some(years * 366 + d.ordinal0() as usize)
    }

    fn of(by_slot: &[Vec<usize>], asked: &[(Sym, NaiveDate, NaiveDate)]) -> Calendars {
        let mut c = Calendars {
            first_year: 0,
            first: 0,
            days: 0,
            table_of: vec![None; by_slot.len()],
            periods: Vec::new(),
        };
        let (Some(first), Some(last)) = (
            asked.iter().map(|a| a.1).min(),
            asked.iter().map(|a| a.2).max(),
        ) else {
            return c;
        };
        let first_year = first.year();
        let (Some(from), Some(to)) = (
            Self::place(first, first_year),
            Self::place(last, first_year),
        ) else {
            return c;
        };
        if to < from || to - from >= Self::MAX_DAYS {
            return c;
        }
        c.first_year = first_year;
        c.first = from;
        c.days = to - from + 1;
        for (s, of_key) in by_slot.iter().enumerate() {
            // A key has a few periods: each pair compared (no sort of its own,
            // a few kilobytes of module); a key of very many tests each.
            if of_key.len() > Self::MAX_PERIODS {
                continue;
            }
            let spans: Vec<(NaiveDate, NaiveDate, usize)> = of_key
                .iter()
                .map(|&i| (asked[i].1, asked[i].2, i))
                .collect();
            let disjoint = spans
                .iter()
                .enumerate()
                .all(|(k, a)| spans[k + 1..].iter().all(|b| a.1 < b.0 || b.1 < a.0));
            if !disjoint || c.periods.len() + c.days > Self::MAX_CELLS {
                continue;
            }
            let at = c.periods.len();
            c.periods.resize(at + c.days, Self::NONE);
            for (start, end, i) in spans {
                // Every place from the start's to the end's: a place no
                // date has (the 366th of a year of 365 days) is never read.
                // Within [first, last] by construction.
                let from = Self::place(start, first_year).and_then(|p| p.checked_sub(c.first));
                let to = Self::place(end, first_year).and_then(|p| p.checked_sub(c.first));
                if let (Some(from), Some(to)) = (from, to) {
                    if let Some(days) = c.periods.get_mut(at + from..=at + to.min(c.days - 1)) {
                        days.fill(i as u32);
                    }
                }
            }
            c.table_of[s] = Some(at);
        }
        c
    }

    /// Where key slot `s`'s table starts in `periods`, if it has one.
    #[inline]
    fn table(&self, s: usize) -> Option<usize> {
        self.table_of.get(s).copied().flatten()
    }

    /// The period holding `day` in the table starting at `at`.
    #[inline]
    fn period(&self, at: usize, day: NaiveDate) -> Option<usize> {
        let d = Self::place(day, self.first_year)?.checked_sub(self.first)?;
        if d >= self.days {
            return None;
        }
        let p = *self.periods.get(at + d)?;
        (p != Self::NONE).then_some(p as usize)
    }
}

/// The quota section; `None` without a quotas table.
pub fn quota(ctx: &mut Context<'_>) -> Option<QuotaSection> {
    if !ctx.has(crate::schema::Kind::Quotas) {
        ctx.note(
            "quota",
            "no quotas table: upload one (rep, period, quota) to see attainment",
        );
        return None;
    }
    let f = &ctx.query.filters;
    let fy = ctx.calendar.fy_start;
    let mut pairs: Vec<Attainment> = Vec::new();
    // Each pair's level, key and period, to find its won revenue below.
    let mut asked: Vec<(QuotaLevel, (Sym, NaiveDate, NaiveDate))> = Vec::new();
    for q in &ctx.data.quotas {
        let (start, end, label) = match q.period {
            QuotaPeriod::Spec(s) => resolve_spec(s, fy),
            QuotaPeriod::Range(s, e) => (s, e, format!("{s}..{e}")),
        };
        if end < ctx.from || start > ctx.to {
            continue;
        }
        let key = ctx.name(q.key);
        let keep = match q.level {
            QuotaLevel::Rep => ctx.rep_passes(q.key),
            QuotaLevel::Team => f.team.is_empty() || f.team.iter().any(|t| *t == key),
            QuotaLevel::Region => f.region.is_empty() || f.region.iter().any(|t| *t == key),
        };
        if !keep {
            continue;
        }
        asked.push((q.level, (q.key, start, end)));
        pairs.push(Attainment {
            level: level_name(q.level).into(),
            name: key.to_string(),
            period: label,
            start: start.to_string(),
            end: end.to_string(),
            quota: q.amount,
            won: 0.0,
            attainment: None,
        });
    }
    // The won revenue of every pair, a level at a time, from the won deals
    // kept with the filter's facts (a range change reuses them).
    if let Some(won) = ctx.kept.won.as_ref() {
        for level in [QuotaLevel::Rep, QuotaLevel::Team, QuotaLevel::Region] {
            let (of_level, periods): (Vec<usize>, Vec<_>) = asked
                .iter()
                .enumerate()
                .filter(|(_, a)| a.0 == level)
                .map(|(i, a)| (i, a.1))
                .unzip();
            if of_level.is_empty() {
                continue;
            }
            for (i, w) in of_level
                .into_iter()
                .zip(won.won_each(&ctx.combos, level, &periods))
            {
                pairs[i].won = w;
            }
        }
    }
    for p in &mut pairs {
        p.attainment = ratio(p.won, p.quota);
    }
    let level = if pairs.iter().any(|p| p.level == "rep") {
        "rep".to_string()
    } else {
        pairs
            .first()
            .map(|p| p.level.clone())
            .unwrap_or_else(|| "rep".into())
    };
    sort_rows_by(&mut pairs, |a, b| {
        a.start
            .cmp(&b.start)
            .then(a.level.cmp(&b.level))
            .then(a.name.cmp(&b.name))
    });
    let headline: Vec<&Attainment> = pairs.iter().filter(|p| p.level == level).collect();
    let mut counts = [0u32; 5];
    let mut per_period: BTreeMap<PeriodKey, PeriodTotals> = BTreeMap::new();
    let (mut quota_total, mut won_total, mut at) = (0.0, 0.0, 0u32);
    for p in &headline {
        quota_total += p.quota;
        won_total += p.won;
        let e = per_period
            .entry((p.start.clone(), p.end.clone(), p.period.clone()))
            .or_default();
        e.0 += 1;
        e.2 += p.won;
        e.3 += p.quota;
        if let Some(a) = p.attainment {
            counts[bucket(a)] += 1;
            if a >= 1.0 {
                at += 1;
                e.1 += 1;
            }
        }
    }
    if headline.is_empty() {
        ctx.note("quota", "no quota period overlaps the range");
    }
    let n = headline.len() as u32;
    Some(QuotaSection {
        level,
        reps_with_quota: n,
        reps_at_or_above_quota: at,
        share_at_or_above: ratio(at as f64, n as f64),
        team_attainment: ratio(won_total, quota_total),
        quota_total,
        won_total,
        distribution: BUCKETS
            .iter()
            .zip(counts)
            .map(|(b, c)| Bucket {
                bucket: b.to_string(),
                count: c,
            })
            .collect(),
        per_period: per_period
            .into_iter()
            .map(
                |((start, end, period), (n, at, won, quota))| QuotaPeriodRow {
                    period,
                    start,
                    end,
                    reps_with_quota: n,
                    reps_at_or_above_quota: at,
                    share_at_or_above: ratio(at as f64, n as f64),
                    attainment: ratio(won, quota),
                },
            )
            .collect(),
        attainments: pairs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_edges() {
        assert_eq!(bucket(0.499), 0);
        assert_eq!(bucket(0.5), 1);
        assert_eq!(bucket(0.8), 2);
        assert_eq!(bucket(1.0), 3);
        assert_eq!(bucket(1.2), 4);
    }
}
