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

use super::in_slices;
use super::stages::{Histories, StageOrder};
use super::stats::{percentile, ratio, total};
use super::Context;
use crate::report::{
    Coverage, FunnelSection, PipelineSection, PipelineStage, QuotaSection, StallReason, StalledDeal,
};
use crate::tables::slots::Slots;
use crate::tables::{FastMap, Sym};
use chrono::NaiveDate;

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
    // Last linked activity per deal id, up to asOf.
    // Keyed by symbol: one id is one symbol across tables.
    let mut last_activity: FastMap<Sym, NaiveDate> = FastMap::default();
    for a in &ctx.data.activities {
        if let Some(d) = a.deal {
            if a.date <= ctx.as_of {
                let e = last_activity.entry(d).or_insert(a.date);
                *e = (*e).max(a.date);
            }
        }
    }
    // Groups keyed by (rank, name when unranked), sorted by key at the end.
    // Each stage symbol's rank and group are worked out once (a `BTreeMap`
    // lookup per open deal was half of this pass).
    let mut groups: Vec<((usize, Option<&str>), PipelineStage)> = Vec::new();
    let mut stage_slots = Slots::default();
    let mut of_stage: Vec<(Option<usize>, usize)> = Vec::new();
    let mut stalled = Vec::new();
    let mut open_count = 0u32;
    let mut unageable = 0u32;
    in_slices(&ctx.deals, |slice| {
        for d in slice {
            if !d.open_on(ctx.as_of) {
                continue;
            }
            open_count += 1;
            let slot = stage_slots.slot(d.deal.stage);
            if slot == of_stage.len() {
                let stage_name = d.deal.stage.map(|s| ctx.name(s));
                let rank = d.deal.stage.and_then(|s| order.rank_sym(ctx, s));
                let key = (
                    rank.unwrap_or(usize::MAX),
                    if rank.is_some() { None } else { stage_name },
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
                                    .or_else(|| stage_name.map(str::to_string)),
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
            let value = d.value();
            g.count += 1;
            g.amount += value.unwrap_or(0.0);
            let weight = match d.deal.probability.get() {
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
            // Stalled?
            let mut reasons = Vec::new();
            let entered = d.deal.id.and_then(|id| inp.hist.get(&id)).and_then(|h| {
                let r = rank?;
                h.iter()
                    .rev()
                    .find(|(_, s)| order.rank_sym(ctx, *s) == Some(r))
                    .map(|(dt, _)| *dt)
            });
            match (entered, rank) {
                (Some(e), Some(r)) => {
                    let days = (ctx.as_of - e).num_days();
                    if let Some(p90) = inp.stage_p90.get(r).copied().flatten() {
                        if days as f64 > p90 {
                            reasons.push(StallReason {
                                reason: "time in stage".into(),
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
                        let days = (ctx.as_of - c).num_days();
                        if days as f64 > p90 {
                            reasons.push(StallReason {
                                reason: "age".into(),
                                days,
                                threshold_days: p90,
                            });
                        }
                    }
                }
            }
            if let Some(last) = d.deal.id.and_then(|id| last_activity.get(&id)) {
                let days = (ctx.as_of - *last).num_days();
                if days >= IDLE_DAYS {
                    reasons.push(StallReason {
                        reason: "idle".into(),
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
                        .map(|i| ctx.name(i).to_string())
                        .unwrap_or_else(|| format!("line {}", d.deal.origin.line)),
                    owner: d.deal.owner.map(|o| ctx.name(o).to_string()),
                    stage: d.deal.stage.map(|s| ctx.name(s).to_string()),
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
    stalled.sort_by(|a, b| {
        let da = a.reasons.iter().map(|r| r.days).max().unwrap_or(0);
        let db = b.reasons.iter().map(|r| r.days).max().unwrap_or(0);
        db.cmp(&da).then(a.id.cmp(&b.id))
    });
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let by_stage: Vec<PipelineStage> = groups.into_iter().map(|(_, g)| g).collect();
    let weighted_pipeline = total(by_stage.iter().map(|s| s.weighted_amount));
    let coverage = coverage(ctx, inp.quota);
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

fn coverage(ctx: &mut Context<'_>, quota: Option<&QuotaSection>) -> Option<Coverage> {
    let Some(q) = quota else {
        ctx.note(
            "pipeline.coverage",
            "no quotas table: coverage needs quotas for the current period",
        );
        return None;
    };
    let as_of = ctx.as_of.to_string();
    let current: Vec<_> = q
        .attainments
        .iter()
        .filter(|a| a.level == q.level && a.start <= as_of && as_of <= a.end)
        .collect();
    if current.is_empty() {
        ctx.note(
            "pipeline.coverage",
            format!("no quota period contains asOf {as_of}"),
        );
        return None;
    }
    let quota_sum = total(current.iter().map(|a| a.quota));
    let won = total(current.iter().map(|a| a.won));
    let mut periods: Vec<String> = current.iter().map(|a| a.period.clone()).collect();
    periods.sort();
    periods.dedup();
    // The pairs' days as dates (they are ISO dates the quota section wrote),
    // so no open deal's close date is formatted to compare it.
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let spans: Vec<(&str, NaiveDate, NaiveDate)> = current
        .iter()
        .filter_map(|a| Some((a.name.as_str(), day(&a.start)?, day(&a.end)?)))
        .collect();
    let mut open_in = 0.0;
    for d in &ctx.deals {
        if !d.open_on(ctx.as_of) {
            continue;
        }
        let Some(close) = d.deal.close else {
            continue;
        };
        let key = match q.level.as_str() {
            "rep" => d.deal.owner,
            "team" => d.team,
            _ => d.region,
        }
        .map(|k| ctx.name(k));
        let inside = spans
            .iter()
            .any(|&(name, start, end)| start <= close && close <= end && Some(name) == key);
        if inside {
            open_in += d.value().unwrap_or(0.0);
        }
    }
    let remaining = quota_sum - won;
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
        quota: quota_sum,
        won,
        remaining,
        open_in_periods: open_in,
        coverage: cov,
    })
}
