//! Territories (SPEC §4): revenue, win rate, open pipeline and quota per
//! region, per rep, and where the open pipeline is out of balance.
//!
//! Definition (SPEC §4 *Territories*): the region of a deal is the deal's,
//! else its owner's roster region; a region's reps are the owners of its
//! deals plus the roster reps assigned to it. Per region: reps, revenue, win
//! rate, open pipeline, quota, attainment, revenue per rep, pipeline per rep.
//! `imbalance` = coefficient of variation of pipeline per rep across regions;
//! `rebalance`: regions above 1.25× or below 0.75× the mean pipeline per rep,
//! marked overloaded / underloaded, with a suggestion pairing them.
//!
//! # Design
//! - Revenue, won, lost, open and win rate are the deals figures of SPEC §4
//!   (the same [`Acc`] as `byRegion`): won and lost deals closed in range,
//!   open deals as of `asOf`.
//! - A region's reps are the owners of its deals that matter to the report
//!   (closed in range, open as of `asOf`, or created in range) plus the
//!   roster reps assigned to it and passing the filters. A rep whose deals
//!   name several regions counts in each; a rep who only owned deals years
//!   before the range does not dilute today's pipeline per rep.
//! - Quota: the region-level quota pairs of the quota section for that
//!   region when there are any, else the sum of the rep-level pairs of its
//!   reps (`quotaSource` says which). Adding both would count the same
//!   target twice where a region's quota is the sum of its reps'. A rep's
//!   won-against-quota is all of that rep's wins in the period, so a rep
//!   in two regions counts whole in both.
//! - `imbalance` and the rebalance thresholds use the unweighted mean of
//!   pipeline per rep over the regions that have reps (each region one
//!   observation) and the population standard deviation; null below two such
//!   regions or when the mean is 0.
//! - Suggestions pair the most overloaded region with the most underloaded,
//!   then the next two, and so on. The amount to move is the smaller of the
//!   overloaded region's excess over `mean × reps` and the underloaded one's
//!   shortfall; the deal count is that amount over the overloaded region's
//!   average open deal, rounded, and at least 1. A region left without a
//!   partner gets a suggestion of its own (add a rep; route more pipeline).
//!   The sentence writes money as a whole number with thousands separators
//!   and the report currency code when known (`IDR 1,250,000`); the exact
//!   figures are in the structured fields.

use super::deals::{Acc, RegionGroups};
use super::stats::{mean, ratio};
use super::Context;
use crate::report::{
    QuotaSection, Rebalance, RebalanceSuggestion, RegionLoad, TerritoriesSection, TerritoryRow,
};
use crate::rows_order::{map_of, set_of, sort_rows_by};

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

const OVER: f64 = 1.25;
const UNDER: f64 = 0.75;

/// A region's running totals.
#[derive(Default)]
struct Region<'a> {
    acc: Acc,
    reps: BTreeSet<Cow<'a, str>>,
}

/// The territories section; `None` (with a note) when no deal and no roster
/// rep has a region.
pub fn territories(
    ctx: &mut Context<'_>,
    quota: Option<&QuotaSection>,
) -> Option<TerritoriesSection> {
    let (_, _, groups) = super::deals::totals_and_breakdowns(ctx, &[]);
    territories_of(ctx, quota, groups)
}

/// [`territories`] from the region groups the totals pass gathered
/// ([`super::deals::totals_and_breakdowns`]).
pub fn territories_of(
    ctx: &mut Context<'_>,
    quota: Option<&QuotaSection>,
    groups: RegionGroups,
) -> Option<TerritoriesSection> {
    let without = groups.without;
    let mut regions: BTreeMap<Cow<'_, str>, Region<'_>> =
        map_of(groups.regions.into_iter().map(|(r, acc, reps)| {
            let reps = set_of(reps.into_iter().map(|o| ctx.name(o)));
            (ctx.name(r), Region { acc, reps })
        }));
    for rep in &ctx.data.reps {
        if let Some(r) = rep.region.filter(|_| ctx.rep_passes(rep.rep)) {
            regions
                .entry(ctx.name(r))
                .or_default()
                .reps
                .insert(ctx.name(rep.rep));
        }
    }
    // A region known only from deals outside the report has nothing to show.
    regions.retain(|_, r| {
        let a = &r.acc;
        !r.reps.is_empty() || a.won + a.lost + a.open + a.created > 0
    });
    if regions.is_empty() {
        ctx.note(
            "territories",
            "no deal and no roster rep has a region: map a region (territory, wilayah) column on deals or the roster",
        );
        return None;
    }
    let mut notes: Vec<(&str, String)> = Vec::new();
    if without > 0 {
        notes.push((
            "territories",
            format!(
                "{} no region (on the deal or its owner's roster entry): left out of territories",
                if without == 1 {
                    "1 deal has".to_string()
                } else {
                    format!("{without} deals have")
                }
            ),
        ));
    }

    let mut rows: Vec<TerritoryRow> = regions
        .iter()
        .map(|(name, r)| {
            let n = r.reps.len() as f64;
            let (q, source, won) = region_quota(quota, name, &r.reps);
            TerritoryRow {
                region: name.to_string(),
                reps: r.reps.len() as u32,
                rep_names: r.reps.iter().map(|s| s.to_string()).collect(),
                revenue: r.acc.revenue,
                deals_won: r.acc.won,
                deals_lost: r.acc.lost,
                win_rate: r.acc.win_rate(),
                deals_open: r.acc.open,
                open_pipeline: r.acc.open_pipeline,
                quota: q,
                quota_source: source.map(str::to_string),
                won_against_quota: won,
                attainment: q.zip(won).and_then(|(q, w)| ratio(w, q)),
                revenue_per_rep: ratio(r.acc.revenue, n),
                pipeline_per_rep: ratio(r.acc.open_pipeline, n),
                load_ratio: None,
                load: None,
            }
        })
        .collect();
    if rows.iter().any(|r| r.reps == 0) {
        notes.push((
            "territories.pipelinePerRep",
            "null for regions whose deals have no owner and no roster rep".to_string(),
        ));
    }

    let per_rep: Vec<f64> = rows.iter().filter_map(|r| r.pipeline_per_rep).collect();
    let avg = mean(&per_rep).filter(|m| *m > 0.0 && per_rep.len() >= 2);
    let imbalance = avg.and_then(|m| {
        let var = per_rep.iter().map(|v| (v - m).powi(2)).sum::<f64>() / per_rep.len() as f64;
        ratio(var.sqrt(), m)
    });
    if imbalance.is_none() {
        notes.push((
            "territories.imbalance",
            if per_rep.len() < 2 {
                "needs at least two regions with reps".to_string()
            } else {
                "no region has open pipeline".to_string()
            },
        ));
    }
    let mut over: Vec<RegionLoad> = Vec::new();
    let mut under: Vec<RegionLoad> = Vec::new();
    if let Some(m) = avg {
        for r in &mut rows {
            let Some(ppr) = r.pipeline_per_rep else {
                continue;
            };
            let ratio = ppr / m;
            r.load_ratio = Some(ratio);
            let load = if ratio > OVER {
                "overloaded"
            } else if ratio < UNDER {
                "underloaded"
            } else {
                "balanced"
            };
            r.load = Some(load.to_string());
            let row = RegionLoad {
                region: r.region.clone(),
                pipeline_per_rep: ppr,
                ratio,
            };
            match load {
                "overloaded" => over.push(row),
                "underloaded" => under.push(row),
                _ => {}
            }
        }
    }
    sort_rows_by(&mut over, |a, b| {
        b.ratio.total_cmp(&a.ratio).then(a.region.cmp(&b.region))
    });
    sort_rows_by(&mut under, |a, b| {
        a.ratio.total_cmp(&b.ratio).then(a.region.cmp(&b.region))
    });
    let suggestions = avg
        .map(|m| suggest(&over, &under, &rows, m, ctx.currency.as_deref()))
        .unwrap_or_default();

    sort_rows_by(&mut rows, |a, b| {
        b.revenue
            .total_cmp(&a.revenue)
            .then(a.region.cmp(&b.region))
    });
    for (m, s) in notes {
        ctx.note(m, s);
    }
    Some(TerritoriesSection {
        regions: rows,
        mean_pipeline_per_rep: avg,
        imbalance,
        rebalance: Rebalance {
            overloaded: over,
            underloaded: under,
            suggestions,
        },
        deals_without_region: without,
    })
}

/// (quota, where it came from, won against it) for a region.
fn region_quota(
    quota: Option<&QuotaSection>,
    region: &str,
    reps: &BTreeSet<Cow<'_, str>>,
) -> (Option<f64>, Option<&'static str>, Option<f64>) {
    let Some(q) = quota else {
        return (None, None, None);
    };
    let sum = |level: &str, keep: &dyn Fn(&str) -> bool| {
        let pairs: Vec<_> = q
            .attainments
            .iter()
            .filter(|a| a.level == level && keep(&a.name))
            .collect();
        (!pairs.is_empty()).then(|| {
            (
                pairs.iter().map(|a| a.quota).sum::<f64>(),
                pairs.iter().map(|a| a.won).sum::<f64>(),
            )
        })
    };
    if let Some((quota, won)) = sum("region", &|n| n == region) {
        return (Some(quota), Some("region"), Some(won));
    }
    if let Some((quota, won)) = sum("rep", &|n| reps.contains(n)) {
        return (Some(quota), Some("reps"), Some(won));
    }
    (None, None, None)
}

/// Pairs overloaded with underloaded regions, most extreme first.
fn suggest(
    over: &[RegionLoad],
    under: &[RegionLoad],
    rows: &[TerritoryRow],
    m: f64,
    currency: Option<&str>,
) -> Vec<RebalanceSuggestion> {
    let row = |name: &str| rows.iter().find(|r| r.region == name);
    // Excess over `mean × reps`, and the average open deal, of an overloaded region.
    let excess = |l: &RegionLoad| {
        row(&l.region).map(|r| {
            let avg_deal = ratio(r.open_pipeline, r.deals_open as f64);
            (r.open_pipeline - m * r.reps as f64, avg_deal)
        })
    };
    let deficit = |l: &RegionLoad| row(&l.region).map(|r| m * r.reps as f64 - r.open_pipeline);
    let deals_for = |amount: f64, avg_deal: Option<f64>| {
        avg_deal
            .and_then(|a| ratio(amount, a))
            .map(|n| (n.round() as u32).max(1))
    };
    let mut out = Vec::new();
    for i in 0..over.len().max(under.len()) {
        match (over.get(i), under.get(i)) {
            (Some(o), Some(u)) => {
                let Some((ex, avg_deal)) = excess(o) else {
                    continue;
                };
                let Some(def) = deficit(u) else { continue };
                let amount = ex.min(def).max(0.0);
                let deals = deals_for(amount, avg_deal);
                let n = deals
                    .map(|n| format!(" ({})", plural(n, "deal")))
                    .unwrap_or_default();
                out.push(RebalanceSuggestion {
                    from: Some(o.region.clone()),
                    to: Some(u.region.clone()),
                    amount: Some(amount),
                    deals,
                    text: format!(
                        "{} carries {:.1}× the average open pipeline per rep and {} {:.1}×: move about {} of open pipeline{n} from {} to {}, or add a rep to {}.",
                        o.region,
                        o.ratio,
                        u.region,
                        u.ratio,
                        money(amount, currency),
                        o.region,
                        u.region,
                        o.region
                    ),
                });
            }
            (Some(o), None) => {
                let Some((ex, avg_deal)) = excess(o) else {
                    continue;
                };
                let amount = ex.max(0.0);
                out.push(RebalanceSuggestion {
                    from: Some(o.region.clone()),
                    to: None,
                    amount: Some(amount),
                    deals: deals_for(amount, avg_deal),
                    text: format!(
                        "{} carries {:.1}× the average open pipeline per rep, about {} above the average for its reps, and no region is underloaded: add a rep to {}.",
                        o.region,
                        o.ratio,
                        money(amount, currency),
                        o.region
                    ),
                });
            }
            (None, Some(u)) => {
                let Some(def) = deficit(u) else { continue };
                let amount = def.max(0.0);
                out.push(RebalanceSuggestion {
                    from: None,
                    to: Some(u.region.clone()),
                    amount: Some(amount),
                    deals: None,
                    text: format!(
                        "{} carries {:.1}× the average open pipeline per rep and no region is overloaded: route about {} more new pipeline to {}, or move a rep from {} to a busier region.",
                        u.region,
                        u.ratio,
                        money(amount, currency),
                        u.region,
                        u.region
                    ),
                });
            }
            (None, None) => {}
        }
    }
    out
}

fn plural(n: u32, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A whole amount with thousands separators, after the currency code when
/// known: `IDR 1,250,000`, `1,250,000`.
pub fn money(v: f64, currency: Option<&str>) -> String {
    let whole = v.round();
    let digits = format!("{}", whole.abs() as u64);
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if whole < 0.0 { "-" } else { "" };
    match currency {
        Some(c) => format!("{c} {sign}{grouped}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Query;
    use crate::report::Attainment;
    use crate::schema::Kind;
    use crate::tables::key_sets::Labels;
    use crate::tables::{Dataset, Deal, Origin, Rep, Status};
    use chrono::NaiveDate;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn origin() -> Origin {
        Origin { table: 0, line: 2 }
    }

    fn deal(ds: &mut Dataset, owner: &str, region: Option<&str>, status: Status, amount: f64) {
        ds.present.insert(Kind::Deals);
        let owner = Some(ds.names.intern(owner));
        let region = region.map(|r| ds.names.intern(r));
        let usd = Some(ds.names.intern("USD"));
        let d = Deal {
            amount: Some(amount).into(),
            created: Some(day("2024-01-10")),
            close: Some(day("2024-03-20")),
            ..ds.test_deal(
                origin().line,
                status,
                [owner, None, region, None, None],
                Labels {
                    currency: usd,
                    ..Labels::default()
                },
            )
        };
        ds.deals.push(d);
    }

    fn roster(ds: &mut Dataset, rep: &str, region: &str) {
        ds.present.insert(Kind::Reps);
        let r = Rep {
            origin: origin(),
            rep: ds.names.intern(rep),
            team: None,
            manager: None,
            region: Some(ds.names.intern(region)),
            start: None,
        };
        ds.reps.push(r);
    }

    fn query() -> Query {
        Query {
            from: Some(day("2024-01-01")),
            to: Some(day("2024-03-31")),
            as_of: Some(day("2024-03-31")),
            ..Query::default()
        }
    }

    /// Jakarta: Ana 3 open × 100k, Budi 2 open × 150k (roster), Ana one won
    /// 500k and one lost → 600k over 2 reps = 300k per rep.
    /// Medan: Citra (roster only) 1 open × 50k → 50k per rep.
    /// Surabaya: Dewi 2 open × 100k → 200k per rep.
    fn dataset() -> Dataset {
        let mut ds = Dataset::default();
        for _ in 0..3 {
            deal(&mut ds, "Ana", Some("Jakarta"), Status::Open, 100_000.0);
        }
        deal(&mut ds, "Ana", Some("Jakarta"), Status::Won, 500_000.0);
        deal(&mut ds, "Ana", Some("Jakarta"), Status::Lost, 80_000.0);
        roster(&mut ds, "Budi", "Jakarta");
        for _ in 0..2 {
            deal(&mut ds, "Budi", None, Status::Open, 150_000.0);
        }
        roster(&mut ds, "Citra", "Medan");
        deal(&mut ds, "Citra", None, Status::Open, 50_000.0);
        for _ in 0..2 {
            deal(&mut ds, "Dewi", Some("Surabaya"), Status::Open, 100_000.0);
        }
        deal(&mut ds, "Eko", None, Status::Won, 1.0);
        ds
    }

    fn section(ds: &Dataset, quota: Option<&QuotaSection>) -> (TerritoriesSection, Vec<String>) {
        let q = query();
        let mut ctx = Context::new(ds, &q).unwrap();
        let s = territories(&mut ctx, quota).unwrap();
        (s, ctx.notes.iter().map(|n| n.message.clone()).collect())
    }

    #[test]
    fn regions_imbalance_and_rebalance_by_hand() {
        let ds = dataset();
        let (s, notes) = section(&ds, None);
        let names: Vec<_> = s.regions.iter().map(|r| r.region.as_str()).collect();
        // Revenue desc (Jakarta 500k), then name.
        assert_eq!(names, ["Jakarta", "Medan", "Surabaya"]);
        let jkt = &s.regions[0];
        assert_eq!(jkt.rep_names, ["Ana", "Budi"]);
        assert_eq!((jkt.deals_won, jkt.deals_lost, jkt.deals_open), (1, 1, 5));
        assert_eq!(jkt.win_rate, Some(0.5));
        assert_eq!(jkt.open_pipeline, 600_000.0);
        assert_eq!(jkt.revenue_per_rep, Some(250_000.0));
        assert_eq!(jkt.pipeline_per_rep, Some(300_000.0));
        assert_eq!(s.deals_without_region, 1); // Eko
        assert!(notes.iter().any(|n| n.starts_with("1 deal has no region")));
        // Mean (300 + 50 + 200) / 3 = 183.33k; population sd = √95000 / 3 k.
        let m = 550_000.0 / 3.0;
        assert!((s.mean_pipeline_per_rep.unwrap() - m).abs() < 1e-6);
        let cv = 95_000f64.sqrt() / 550.0;
        assert!((s.imbalance.unwrap() - cv).abs() < 1e-9);
        // Jakarta 300/183.3 = 1.64 overloaded; Medan 0.27 underloaded; Surabaya 1.09.
        assert_eq!(s.rebalance.overloaded[0].region, "Jakarta");
        assert_eq!(s.rebalance.underloaded[0].region, "Medan");
        assert_eq!(s.regions[2].load.as_deref(), Some("balanced"));
        // Excess 600k − 2m = 233.3k; shortfall m − 50k = 133.3k → move 133.3k,
        // at Jakarta's 120k average open deal ≈ 1 deal.
        let sug = &s.rebalance.suggestions[0];
        assert_eq!(sug.from.as_deref(), Some("Jakarta"));
        assert_eq!(sug.to.as_deref(), Some("Medan"));
        assert!((sug.amount.unwrap() - (m - 50_000.0)).abs() < 1e-6);
        assert_eq!(sug.deals, Some(1));
        assert_eq!(
            sug.text,
            "Jakarta carries 1.6× the average open pipeline per rep and Medan 0.3×: move about USD 133,333 of open pipeline (1 deal) from Jakarta to Medan, or add a rep to Jakarta."
        );
        assert_eq!(s.rebalance.suggestions.len(), 1);
    }

    #[test]
    fn deals_outside_the_report_add_no_rep_and_no_regionless_count() {
        // Two deals closed and created in 2020, before the range: Fajar's in
        // Jakarta, Gita's without a region. Jakarta keeps its reps and its
        // figures; only Eko's deal counts as having no region.
        let mut ds = dataset();
        for (owner, region) in [("Fajar", Some("Jakarta")), ("Gita", None)] {
            deal(&mut ds, owner, region, Status::Won, 9_999.0);
            if let Some(d) = ds.deals.iter_mut().last() {
                d.created = Some(day("2020-01-10"));
                d.close = Some(day("2020-03-20"));
            }
        }
        let (s, notes) = section(&ds, None);
        let jkt = &s.regions[0];
        assert_eq!(jkt.region, "Jakarta");
        assert_eq!(jkt.rep_names, ["Ana", "Budi"]);
        assert_eq!((jkt.deals_won, jkt.deals_lost, jkt.deals_open), (1, 1, 5));
        assert_eq!(jkt.revenue, 500_000.0);
        assert_eq!(s.deals_without_region, 1);
        assert!(notes.iter().any(|n| n.starts_with("1 deal has no region")));
    }

    #[test]
    fn quota_from_region_else_reps() {
        let ds = dataset();
        let pair = |level: &str, name: &str, quota: f64, won: f64| Attainment {
            level: level.into(),
            name: name.into(),
            period: "2024-Q1".into(),
            start: "2024-01-01".into(),
            end: "2024-03-31".into(),
            quota,
            won,
            attainment: None,
        };
        let q = QuotaSection {
            level: "rep".into(),
            reps_with_quota: 0,
            reps_at_or_above_quota: 0,
            share_at_or_above: None,
            team_attainment: None,
            quota_total: 0.0,
            won_total: 0.0,
            distribution: Vec::new(),
            per_period: Vec::new(),
            attainments: vec![
                pair("rep", "Ana", 400_000.0, 500_000.0),
                pair("rep", "Budi", 600_000.0, 0.0),
                pair("rep", "Dewi", 100_000.0, 0.0),
                pair("region", "Surabaya", 300_000.0, 150_000.0),
            ],
        };
        let (s, _) = section(&ds, Some(&q));
        let get = |n: &str| s.regions.iter().find(|r| r.region == n).unwrap();
        let jkt = get("Jakarta");
        assert_eq!(jkt.quota, Some(1_000_000.0));
        assert_eq!(jkt.quota_source.as_deref(), Some("reps"));
        assert_eq!(jkt.attainment, Some(0.5));
        let sby = get("Surabaya");
        assert_eq!(sby.quota, Some(300_000.0));
        assert_eq!(sby.quota_source.as_deref(), Some("region"));
        assert_eq!(sby.attainment, Some(0.5));
        assert_eq!(get("Medan").quota, None);
    }

    #[test]
    fn unpaired_regions_and_no_regions() {
        // Two regions: A 1000 per rep, B 100 per rep; mean 550 → A 1.8×, B 0.2×.
        let mut ds = Dataset::default();
        deal(&mut ds, "Ana", Some("A"), Status::Open, 1000.0);
        deal(&mut ds, "Budi", Some("B"), Status::Open, 100.0);
        deal(&mut ds, "Citra", Some("C"), Status::Open, 550.0);
        deal(&mut ds, "Dewi", Some("D"), Status::Open, 500.0);
        deal(&mut ds, "Eko", Some("E"), Status::Open, 150.0);
        // Mean (1000 + 100 + 550 + 500 + 150) / 5 = 460: A 2.17× over, B 0.22×
        // and E 0.33× under; E has no overloaded partner.
        let (s, _) = section(&ds, None);
        let sug = &s.rebalance.suggestions;
        assert_eq!(sug.len(), 2);
        assert_eq!(
            (sug[0].from.as_deref(), sug[0].to.as_deref()),
            (Some("A"), Some("B"))
        );
        assert!((sug[0].amount.unwrap() - 360.0).abs() < 1e-9);
        assert_eq!(sug[1].from, None);
        assert_eq!(sug[1].to.as_deref(), Some("E"));
        assert!((sug[1].amount.unwrap() - 310.0).abs() < 1e-9);
        assert!(sug[1].text.starts_with("E carries 0.3× the average open pipeline per rep and no region is overloaded: route about USD 310 more"));

        let mut ds = Dataset::default();
        deal(&mut ds, "Ana", None, Status::Won, 1000.0);
        let q = query();
        let mut ctx = Context::new(&ds, &q).unwrap();
        assert!(territories(&mut ctx, None).is_none());
        assert_eq!(ctx.notes[0].metric, "territories");
    }

    #[test]
    fn money_in_words() {
        assert_eq!(money(1_234_567.4, Some("IDR")), "IDR 1,234,567");
        assert_eq!(money(999.5, None), "1,000");
        assert_eq!(money(12.0, None), "12");
        assert_eq!(money(0.0, Some("USD")), "USD 0");
    }
}
