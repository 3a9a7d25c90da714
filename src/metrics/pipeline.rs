//! Open pipeline (SPEC §4 *Pipeline and funnel*): open deals by stage with
//! their weighted amount, stalled deals, coverage of the current quota
//! periods, and velocity.
//!
//! # Design
//! - A deal's weight is its own probability; else the historical win rate
//!   of closed deals that reached its stage (won / reached from the funnel);
//!   else, without history or for a stage the funnel does not know, the
//!   overall win rate.
//! - Stalled: time in the current stage (from the history row that entered
//!   it) above that stage's p90; for a deal without history, age above the
//!   p90 sales cycle; or 30 days or more since its last linked activity (a
//!   deal with no linked activity is not called idle: nothing says it was
//!   ever worked). Every reason that applies is listed.
//! - Coverage counts the quota periods containing `asOf` at the quota
//!   section's level, the open deals expected to close inside them (owned
//!   by their reps for rep-level quotas), against quota minus won.

use super::activities::ActivityFacts;
use super::combos::Combos;
use super::stages::{Histories, StageOrder};
use super::stats::{percentile, ratio, total};
use super::{Context, DealView, Pricing, Scope};
use crate::report::{
    Coverage, FunnelSection, PipelineSection, PipelineStage, QuotaSection, StallKind, StallReason,
    StalledDeal,
};
use crate::rows_order::{sort_rows, sort_rows_by};
use crate::tables::slots::Slots;
use crate::tables::Sym;
use chrono::{Days, NaiveDate};
use std::borrow::Cow;

/// Days without a linked activity after which an open deal is idle.
pub const IDLE_DAYS: i64 = 30;

/// Inputs the pipeline shares with other sections.
pub struct PipelineInputs<'a> {
    /// The stage order.
    pub order: &'a StageOrder,
    /// Histories by deal id.
    pub hist: &'a Histories,
    /// The funnel, for stage win rates and time in stage.
    pub funnel: Option<&'a FunnelSection>,
    /// Per-stage time samples (days), for the p90 thresholds.
    pub stage_p90: Vec<Option<f64>>,
    /// The quota section, for coverage.
    pub quota: Option<&'a QuotaSection>,
    /// Overall win rate, average deal size and sales cycle p90 / mean.
    pub win_rate: Option<f64>,
    /// Average won deal.
    pub avg_deal_size: Option<f64>,
    /// p90 of the sales cycle.
    pub cycle_p90: Option<f64>,
    /// Mean of the sales cycle.
    pub cycle_mean: Option<f64>,
    /// The activities' deals, for each open deal's last activity.
    pub activities: &'a ActivityFacts,
    /// How much is worked out: a [`Scope::Summary`] lists no stalled deal.
    pub scope: Scope,
}

/// The p90 time per stage from the samples.
pub fn p90s(times: &[Vec<f64>]) -> Vec<Option<f64>> {
    times.iter().map(|t| percentile(t, 90.0)).collect()
}

/// The pipeline section; `None` without a deals table.
pub fn pipeline(ctx: &mut Context<'_>, inp: &PipelineInputs<'_>) -> Option<PipelineSection> {
    if !ctx.has(crate::schema::Kind::Deals) {
        return None;
    }
    let order = inp.order;
    let stage_rate = |rank: usize| -> Option<f64> {
        let st = inp.funnel?.stages.get(rank)?;
        ratio(inp.funnel?.won as f64, st.reached? as f64)
    };
    // Each threshold as the latest date past it, so an open deal is tested
    // with a date compare, its days worked out only when it is stalled.
    let stage_cut: Vec<Option<NaiveDate>> = inp
        .stage_p90
        .iter()
        .map(|p| p.and_then(|p| cutoff(ctx.as_of, p)))
        .collect();
    let age_cut = inp.cycle_p90.and_then(|p| cutoff(ctx.as_of, p));
    let idle_cut = ctx.as_of.checked_sub_days(Days::new(IDLE_DAYS as u64));
    // Each open deal's last linked activity up to asOf, by its id's slot
    // among the deals the activities name (`NaiveDate::MIN` for none).
    let facts = inp.activities;
    let list_stalled = inp.scope == Scope::Whole;
    let last_activity = if list_stalled {
        facts.last_activities(ctx.data, ctx.as_of)
    } else {
        std::borrow::Cow::Borrowed(&[][..])
    };
    // Groups keyed by (rank, name when unranked), sorted by key at the end.
    // Each stage symbol's rank and group are worked out once (a `BTreeMap`
    // lookup per open deal was half of this pass).
    // (rank, or the name of a stage out of the order) and its row.
    type Group<'a> = ((usize, Option<Cow<'a, str>>), PipelineStage);
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut stage_slots = Slots::default();
    let mut of_stage: Vec<(Option<usize>, usize)> = Vec::new();
    let mut stalled = Vec::new();
    let mut open_count = 0u32;
    let mut unageable = 0u32;
    let mut coverage = CoverageScan::new(ctx, inp.quota);
    ctx.deals.slices(|slice| {
        for d in slice {
            if !d.open_on(ctx.as_of) {
                continue;
            }
            open_count += 1;
            coverage.add(d, &ctx.pricing);
            let labels = ctx.data.labels_of(d.deal);
            let stage = labels.stage;
            let slot = stage_slots.slot(stage);
            if slot == of_stage.len() {
                let stage_name = stage.map(|s| ctx.name(s));
                let rank = stage.and_then(|s| order.rank_sym(ctx, s));
                let key = (
                    rank.unwrap_or(usize::MAX),
                    if rank.is_some() {
                        None
                    } else {
                        stage_name.clone()
                    },
                );
                // Two spellings of one stage share its group.
                let at = match groups.iter().position(|(k, _)| *k == key) {
                    Some(at) => at,
                    None => {
                        groups.push((
                            key,
                            PipelineStage {
                                stage: rank
                                    .map(|r| order.stages[r].clone())
                                    .or_else(|| stage_name.map(Cow::into_owned)),
                                count: 0,
                                amount: 0.0,
                                weighted_amount: 0.0,
                                weighted_by_probability: 0,
                                stage_win_rate: None,
                            },
                        ));
                        groups.len() - 1
                    }
                };
                of_stage.push((rank, at));
            }
            let (rank, at) = of_stage[slot];
            let g = &mut groups[at].1;
            let value = d.value(&ctx.pricing);
            g.count += 1;
            g.amount += value.unwrap_or(0.0);
            let weight = match labels.probability.get() {
                Some(p) => {
                    g.weighted_by_probability += 1;
                    Some(p)
                }
                None => {
                    let w = rank.and_then(stage_rate).or(inp.win_rate);
                    g.stage_win_rate = w;
                    w
                }
            };
            g.weighted_amount += value.unwrap_or(0.0) * weight.unwrap_or(0.0);
            if !list_stalled {
                continue;
            }
            // Stalled?
            let mut reasons = Vec::new();
            let entered = d
                .deal
                .id
                .filter(|_| !inp.hist.is_empty())
                .and_then(|id| inp.hist.get(&id))
                .and_then(|h| {
                    let r = rank?;
                    h.iter()
                        .rev()
                        .find(|(_, s)| order.rank_sym(ctx, *s) == Some(r))
                        .map(|(dt, _)| *dt)
                });
            match (entered, rank) {
                (Some(e), Some(r)) => {
                    if let Some(p90) = inp.stage_p90.get(r).copied().flatten() {
                        if stage_cut[r].is_some_and(|cut| e <= cut) {
                            let days = (ctx.as_of - e).num_days();
                            reasons.push(StallReason {
                                reason: StallKind::TimeInStage,
                                days,
                                threshold_days: p90,
                            });
                        }
                    }
                }
                _ => {
                    if d.deal.created.is_none() {
                        unageable += 1;
                    }
                    if let (Some(c), Some(p90)) = (d.deal.created, inp.cycle_p90) {
                        if age_cut.is_some_and(|cut| c <= cut) {
                            let days = (ctx.as_of - c).num_days();
                            reasons.push(StallReason {
                                reason: StallKind::Age,
                                days,
                                threshold_days: p90,
                            });
                        }
                    }
                }
            }
            if let Some(last) = d
                .deal
                .id
                .and_then(|id| facts.slot_of_deal(id))
                .and_then(|s| last_activity.get(s).copied())
                .filter(|&d| d != NaiveDate::MIN)
            {
                if idle_cut.is_some_and(|cut| last <= cut) {
                    let days = (ctx.as_of - last).num_days();
                    reasons.push(StallReason {
                        reason: StallKind::Idle,
                        days,
                        threshold_days: IDLE_DAYS as f64,
                    });
                }
            }
            if !reasons.is_empty() {
                stalled.push(StalledDeal {
                    id: d
                        .deal
                        .id
                        .map(|i| ctx.name(i).into_owned())
                        .unwrap_or_else(|| format!("line {}", d.deal.line())),
                    owner: ctx.keys(d)[Combos::OWNER].map(|o| ctx.name(o).into_owned()),
                    stage: stage.map(|s| ctx.name(s).into_owned()),
                    amount: value,
                    reasons,
                });
            }
        }
    });
    if unageable > 0 {
        ctx.note(
            "pipeline.stalled",
            format!("{unageable} open deals have neither stage history nor a created date, so their age is unknown; only inactivity can mark them stalled"),
        );
    }
    // Longest stalled first, then by id: each deal's longest reason found
    // once, not at every comparison.
    let mut keyed: Vec<(i64, StalledDeal)> = stalled
        .into_iter()
        .map(|s| (s.reasons.iter().map(|r| r.days).max().unwrap_or(0), s))
        .collect();
    keyed.sort_by(|(da, a), (db, b)| db.cmp(da).then(a.id.cmp(&b.id)));
    let stalled: Vec<StalledDeal> = keyed.into_iter().map(|(_, s)| s).collect();
    sort_rows_by(&mut groups, |a, b| a.0.cmp(&b.0));
    let by_stage: Vec<PipelineStage> = groups.into_iter().map(|(_, g)| g).collect();
    let weighted_pipeline = total(by_stage.iter().map(|s| s.weighted_amount));
    let coverage = coverage.finish(ctx);
    let velocity = match (inp.avg_deal_size, inp.win_rate, inp.cycle_mean) {
        (Some(a), Some(w), Some(c)) if c > 0.0 => Some(open_count as f64 * a * w / c),
        _ => None,
    };
    Some(PipelineSection {
        by_stage,
        weighted_pipeline,
        stalled,
        coverage,
        velocity_per_day: velocity,
    })
}

/// The latest date `d` with `(as_of − d)` in days above `threshold`: for
/// whole days, `days > t` exactly when `days ≥ ⌊t⌋ + 1`, so exactly when
/// `d ≤ as_of − (⌊t⌋ + 1)` days. `None` when no date is (the threshold
/// reaches before the calendar, or is not a number).
fn cutoff(as_of: NaiveDate, threshold: f64) -> Option<NaiveDate> {
    let k = threshold.floor() + 1.0;
    if k.is_nan() || k >= 1e9 {
        return None;
    }
    if k >= 0.0 {
        as_of.checked_sub_days(Days::new(k as u64))
    } else if k > -1e9 {
        // Every date past the calendar's end would be too.
        Some(
            as_of
                .checked_add_days(Days::new((-k) as u64))
                .unwrap_or(NaiveDate::MAX),
        )
    } else {
        Some(NaiveDate::MAX)
    }
}

/// Coverage, worked out in the pipeline's pass over the open deals (a pass
/// of its own read every deal again: a tenth of a report on the current
/// quarter at a million deals).
enum CoverageScan {
    /// No coverage, and the note that says why.
    Without(String),
    /// The current periods' figures, and the open deals' value so far.
    Scan {
        periods: Vec<String>,
        quota: f64,
        won: f64,
        /// The periods by their key's symbol (see `new`).
        spans: Vec<(Sym, NaiveDate, NaiveDate)>,
        /// Per combination of group keys, where its key's periods are in
        /// `spans` (found once per combination, not searched per deal).
        of_combo: Vec<(u32, u32)>,
        open_in: f64,
    },
}

impl CoverageScan {
    /// The quota periods containing `asOf` at the quota section's level.
    fn new(ctx: &Context<'_>, quota: Option<&QuotaSection>) -> CoverageScan {
        let Some(q) = quota else {
            return CoverageScan::Without(
                "no quotas table: coverage needs quotas for the current period".into(),
            );
        };
        let as_of = ctx.as_of.to_string();
        let current: Vec<_> = q
            .attainments
            .iter()
            .filter(|a| a.level == q.level && a.start <= as_of && as_of <= a.end)
            .collect();
        if current.is_empty() {
            return CoverageScan::Without(format!("no quota period contains asOf {as_of}"));
        }
        let mut periods: Vec<String> = current.iter().map(|a| a.period.clone()).collect();
        sort_rows(&mut periods);
        periods.dedup();
        // The pairs' days as dates (they are ISO dates the quota section
        // wrote), so no open deal's close date is formatted to compare it.
        // Read as the query's dates are (`FromStr`, ISO): a format string
        // brought chrono's format parser into the module, 12 KB.
        let day = |s: &str| s.parse::<NaiveDate>().ok();
        // Names as symbols (one name is one symbol; a name no file has is
        // no deal's), sorted, so a deal finds its key's periods by a binary
        // search rather than comparing its name with every period's (all
        // of a quarter's share their dates).
        let mut spans: Vec<(Sym, NaiveDate, NaiveDate)> = current
            .iter()
            .filter_map(|a| {
                Some((
                    ctx.data.names.lookup(&a.name)?,
                    day(&a.start)?,
                    day(&a.end)?,
                ))
            })
            .collect();
        spans.sort_unstable();
        // The quota levels rep, team and region are the combination's
        // first three keys.
        let key = match q.level.as_str() {
            "rep" => Combos::OWNER,
            "team" => Combos::TEAM,
            _ => Combos::REGION,
        };
        let of_combo = ctx
            .combos
            .all()
            .iter()
            .map(|keys| match keys[key] {
                Some(k) => {
                    let lo = spans.partition_point(|s| s.0 < k);
                    let hi = lo + spans[lo..].iter().take_while(|s| s.0 == k).count();
                    (lo as u32, hi as u32)
                }
                None => (0, 0),
            })
            .collect();
        CoverageScan::Scan {
            periods,
            quota: total(current.iter().map(|a| a.quota)),
            won: total(current.iter().map(|a| a.won)),
            spans,
            of_combo,
            open_in: 0.0,
        }
    }

    /// Adds a deal open as of `asOf`: its value counts when it is expected
    /// to close inside one of its key's current periods.
    #[inline]
    fn add(&mut self, d: &DealView<'_>, pricing: &Pricing) {
        let CoverageScan::Scan {
            spans,
            of_combo,
            open_in,
            ..
        } = self
        else {
            return;
        };
        let Some(close) = d.deal.close else {
            return;
        };
        let (lo, hi) = of_combo.get(d.combo() as usize).copied().unwrap_or((0, 0));
        let inside = spans
            .get(lo as usize..hi as usize)
            .unwrap_or_default()
            .iter()
            .any(|&(_, start, end)| start <= close && close <= end);
        if inside {
            *open_in += d.value(pricing).unwrap_or(0.0);
        }
    }

    /// The coverage, once every open deal was added.
    fn finish(self, ctx: &mut Context<'_>) -> Option<Coverage> {
        let (periods, quota, won, open_in) = match self {
            CoverageScan::Without(note) => {
                ctx.note("pipeline.coverage", note);
                return None;
            }
            CoverageScan::Scan {
                periods,
                quota,
                won,
                open_in,
                ..
            } => (periods, quota, won, open_in),
        };
        let remaining = quota - won;
        let cov = if remaining > 0.0 {
            Some(open_in / remaining)
        } else {
            ctx.note(
                "pipeline.coverage",
                "the current period's quota is already met: coverage is not meaningful",
            );
            None
        };
        Some(Coverage {
            periods,
            quota,
            won,
            remaining,
            open_in_periods: open_in,
            coverage: cov,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cutoff date says exactly what the days compared with the
    /// threshold say, on both sides of every threshold.
    #[test]
    fn cutoff_is_the_days_compared() {
        let as_of = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        let thresholds = [
            -3.5, -1.0, -0.5, 0.0, 0.25, 1.0, 29.0, 29.999, 30.0, 117.5, 118.0, 400.0,
        ];
        for t in thresholds {
            let cut = cutoff(as_of, t);
            for back in -10..=500i64 {
                let d = as_of - chrono::TimeDelta::days(back);
                let by_days = ((as_of - d).num_days() as f64) > t;
                assert_eq!(cut.is_some_and(|c| d <= c), by_days, "t {t}, {back} days");
            }
        }
        // 118.0 → stalled from 119 days: the latest such date.
        assert_eq!(cutoff(as_of, 118.0), NaiveDate::from_ymd_opt(2025, 3, 3));
        assert_eq!(cutoff(as_of, f64::NAN), None);
        assert_eq!(cutoff(as_of, 1e12), None);
        assert_eq!(cutoff(as_of, f64::NEG_INFINITY), Some(NaiveDate::MAX));
    }
}
