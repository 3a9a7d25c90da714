//! The deal funnel (SPEC §4 *Pipeline and funnel*) over deals closed in
//! range: reached, lost at, next-step and cumulative conversion, drop-off,
//! the leakiest stage, time in stage and the bottleneck stage.
//!
//! # Design
//! - A deal's furthest stage is the latest stage (in the stage order) it
//!   ever entered, so a backward move never lowers it and a stage entered
//!   twice counts once. Won deals reach every stage; a skipped stage counts
//!   as passed.
//! - A closed deal with no history at all counts as reaching the first
//!   stage only (it entered the pipeline; nothing says how far), and is
//!   counted in `dealsWithoutHistory`.
//! - Time in a stage runs from entering it to the next history row (or to
//!   the close date when the history has no terminal row); a deal visiting
//!   a stage twice adds its visits up into one value.
//! - Without any history the funnel is the snapshot: open deals per current
//!   stage, with a note that leakage needs history.

use super::stages::{furthest, is_terminal, Histories, History, StageOrder, NO_RANK};
use super::stats::{median, percentile, ratio};
use super::{Context, DealView, Scope};
use crate::report::{FunnelSection, FunnelStage, StageTime};
use crate::tables::Status;

/// What the funnel counts over the deals: per-stage time samples (days)
/// of the deals closed in range, open deals per current stage, and the
/// closed deals' outcomes and furthest stages.
pub struct FunnelCounts {
    /// Per stage rank, the days each deal closed in range spent in it.
    pub times: Vec<Vec<f64>>,
    open_now: Vec<u32>,
    won: u32,
    lost: u32,
    without: u32,
    /// Per stage rank, the lost deals that got no further.
    furthest_lost: Vec<u32>,
    /// Per stage rank, the lost deals that reached it: those that got to
    /// it or further, summed from `furthest_lost` at the end.
    reached_by_lost: Vec<u32>,
}

/// [`FunnelCounts`] a slice of deals at a time, for a walk shared with
/// other families (see [`super::walk`]).
pub struct FunnelPass<'o> {
    order: &'o StageOrder,
    hist: &'o Histories,
    counts: FunnelCounts,
    /// One deal's days per stage rank ([`visit_days`]), reused deal to deal.
    days: Vec<(usize, f64)>,
    /// Whether to gather the time samples (a summary reads none of them).
    timed: bool,
    /// Each deal label set's stage rank ([`StageOrder::ranks_by_labels`]).
    stage_ranks: Vec<u32>,
}

impl<'o> FunnelPass<'o> {
    /// Nothing counted yet, over the stages of `order`; the time samples
    /// left empty for a [`Scope::Summary`].
    pub fn new(
        ctx: &Context<'_>,
        order: &'o StageOrder,
        hist: &'o Histories,
        scope: Scope,
    ) -> Self {
        let n = order.stages.len();
        let stage_ranks = order.ranks_by_labels(ctx);
        FunnelPass {
            order,
            hist,
            counts: FunnelCounts {
                times: vec![Vec::new(); n],
                open_now: vec![0; n],
                won: 0,
                lost: 0,
                without: 0,
                furthest_lost: vec![0; n],
                reached_by_lost: vec![0; n],
            },
            days: Vec::new(),
            timed: scope == Scope::Whole,
            stage_ranks,
        }
    }

    /// Adds a slice of the deals, in order. Open deals and closed ones in
    /// one pass: a deal can be both (won after `asOf` and before `to`).
    pub fn add(&mut self, ctx: &Context<'_>, slice: &[DealView<'_>]) {
        let (order, hist, c) = (self.order, self.hist, &mut self.counts);
        let ranks = &self.stage_ranks;
        let rank_of = |d: &DealView<'_>| {
            ranks
                .get(d.deal.labels as usize)
                .filter(|&&r| r != NO_RANK)
                .map(|&r| r as usize)
        };
        let n = order.stages.len();
        for d in slice {
            if d.open_on(ctx.as_of) {
                if let Some(r) = rank_of(d) {
                    c.open_now[r] += 1;
                }
            }
            if !d.closed_in(ctx.from, ctx.to) {
                continue;
            }
            let h = d
                .deal
                .id
                .filter(|_| !hist.is_empty())
                .and_then(|id| hist.get(&id));
            match h {
                Some(_) if !self.timed => {}
                Some(h) => {
                    visit_days(ctx, order, h, d.deal.close, &mut self.days);
                    for &(rank, days) in &self.days {
                        c.times[rank].push(days);
                    }
                }
                None => c.without += 1,
            }
            match d.deal.status() {
                Status::Won => c.won += 1,
                Status::Lost => {
                    c.lost += 1;
                    // Furthest stage from history, else the deal's own stage
                    // when it is not terminal, else the first stage.
                    let f = h
                        .and_then(|h| furthest(order, ctx, h))
                        .or_else(|| rank_of(d))
                        .unwrap_or(0);
                    if n > 0 {
                        c.furthest_lost[f] += 1;
                    }
                }
                Status::Open => {}
            }
        }
    }

    /// The counts.
    pub fn finish(mut self) -> FunnelCounts {
        let c = &mut self.counts;
        let mut further = 0;
        for (reached, &lost_at) in c.reached_by_lost.iter_mut().zip(&c.furthest_lost).rev() {
            further += lost_at;
            *reached = further;
        }
        self.counts
    }
}

/// Days spent per stage rank by one deal (visits summed), into `per` in
/// rank order.
fn visit_days(
    ctx: &Context<'_>,
    order: &StageOrder,
    h: &History,
    close: Option<chrono::NaiveDate>,
    per: &mut Vec<(usize, f64)>,
) {
    // A deal visits a few stages: a short list kept in rank order, its
    // days added in visit order (a map per deal was most of this pass).
    per.clear();
    for (i, (date, stage)) in h.iter().enumerate() {
        let Some(rank) = order.rank_sym(ctx, *stage) else {
            continue;
        };
        let end = match h.get(i + 1) {
            Some((next, _)) => Some(*next),
            None => close,
        };
        if let Some(end) = end {
            if end >= *date {
                let days = (end - *date).num_days() as f64;
                match per.binary_search_by_key(&rank, |&(r, _)| r) {
                    Ok(at) => per[at].1 += days,
                    Err(at) => per.insert(at, (rank, days)),
                }
            }
        }
    }
}

/// The funnel from the deals' counts; `None` without a deals table.
pub fn funnel(
    ctx: &mut Context<'_>,
    order: &StageOrder,
    hist: &Histories,
    counts: &FunnelCounts,
) -> Option<FunnelSection> {
    if !ctx.has(crate::schema::Kind::Deals) {
        return None;
    }
    let n = order.stages.len();
    let FunnelCounts {
        times,
        open_now,
        won,
        lost,
        without,
        furthest_lost,
        reached_by_lost,
    } = counts;
    let (won, lost, without) = (*won, *lost, *without);
    let basis = if hist.is_empty() {
        "snapshot"
    } else {
        "history"
    };
    let mut stages = Vec::with_capacity(n);
    for i in 0..n {
        let time = (!times[i].is_empty()).then(|| StageTime {
            median: median(&times[i]).unwrap_or(0.0),
            p90: percentile(&times[i], 90.0).unwrap_or(0.0),
            count: times[i].len() as u32,
        });
        if basis == "snapshot" {
            stages.push(FunnelStage {
                stage: order.stages[i].clone(),
                reached: None,
                lost_at: None,
                conversion: None,
                cumulative: None,
                drop_off: None,
                time_in_stage_days: None,
                open_now: open_now[i],
            });
            continue;
        }
        let reached = won + reached_by_lost[i];
        let next = if i + 1 < n {
            won + reached_by_lost[i + 1]
        } else {
            won
        };
        let first = won + reached_by_lost[0];
        stages.push(FunnelStage {
            stage: order.stages[i].clone(),
            reached: Some(reached),
            lost_at: Some(furthest_lost[i]),
            conversion: ratio(next as f64, reached as f64),
            cumulative: ratio(reached as f64, first as f64),
            drop_off: ratio(furthest_lost[i] as f64, reached as f64),
            time_in_stage_days: time,
            open_now: open_now[i],
        });
    }
    let pick = |f: &dyn Fn(&FunnelStage) -> Option<f64>| {
        stages
            .iter()
            .filter_map(|s| f(s).map(|v| (v, s.stage.clone())))
            .fold(None::<(f64, String)>, |best, (v, name)| match best {
                Some((b, _)) if b >= v => best,
                _ => Some((v, name)),
            })
            .map(|(_, name)| name)
    };
    let leakiest = pick(&|s| s.drop_off.filter(|&d| d > 0.0));
    let bottleneck = pick(&|s| s.time_in_stage_days.map(|t| t.median));
    if basis == "snapshot" {
        ctx.note("funnel", "no stage history (a stage_history table or \"Date entered\" columns): the funnel shows open deals per current stage; leakage and time in stage need history");
    } else if without > 0 {
        ctx.note("funnel", format!("{without} closed deals have no stage history; they count as reaching the first stage only"));
    }
    let unknown: Vec<&String> = order.unknown.iter().collect();
    if !unknown.is_empty() && order.source.starts_with("crm defaults") {
        ctx.note(
            "funnel.stageOrder",
            format!(
                "stages not in the known defaults were put last: {}",
                order.unknown.join(", ")
            ),
        );
    }
    if n == 0 && ctx.kept.stages.iter().any(|&s| !is_terminal(&ctx.name(s))) {
        ctx.note("funnel", "no stage order could be decided");
    }
    Some(FunnelSection {
        basis: basis.into(),
        stage_order: order.info(),
        deals: won + lost,
        won,
        lost,
        deals_without_history: if basis == "history" { without } else { 0 },
        stages,
        leakiest_stage: leakiest,
        bottleneck_stage: bottleneck,
    })
}
