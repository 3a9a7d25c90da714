//! Pipeline, funnel and leads (SPEC §4 *Pipeline and funnel*, *Leads*) against the hand-worked
//! fixtures in `tests/data/funnel/`.
//!
//! Every expected figure comes from `tests/data/funnel/EXPECTED.md`; the section of that file is
//! cited next to each group of assertions, with the arithmetic repeated briefly. Floats are
//! compared with a relative tolerance of 1e-9 (absolute below 1).

use pelacak::period::Granularity;
use pelacak::report::{
    FunnelSection, FunnelStage, LeadFunnel, PipelineSection, PipelineStage, Report, StageTime,
    StalledDeal,
};
use pelacak::{Filters, Query, Workbook};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/funnel/");

const STAGES: [&str; 4] = ["Prospecting", "Qualification", "Proposal", "Negotiation"];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// `a` equals `b` within a relative tolerance of 1e-9 (absolute below 1).
#[track_caller]
fn close(a: f64, b: f64, what: &str) {
    let tol = 1e-9 * b.abs().max(1.0);
    assert!(
        a.is_finite() && (a - b).abs() <= tol,
        "{what}: got {a}, expected {b}"
    );
}

/// `a` is `Some(x)` with `x` equal to `b` within tolerance.
#[track_caller]
fn close_opt(a: Option<f64>, b: f64, what: &str) {
    match a {
        Some(x) => close(x, b, what),
        None => panic!("{what}: got null, expected {b}"),
    }
}

/// The bytes of fixture `rel` (relative to `tests/data/funnel/`).
fn bytes(rel: &str) -> Vec<u8> {
    std::fs::read(format!("{DATA}{rel}"))
        .unwrap_or_else(|e| panic!("cannot read fixture {rel}: {e}"))
}

/// A workbook with the fixture files `files` added in order.
fn workbook(files: &[&str]) -> Workbook {
    let mut wb = Workbook::new();
    for f in files {
        wb.add_file(f, &bytes(f), None)
            .unwrap_or_else(|e| panic!("add_file({f}) failed: {e}"));
    }
    wb
}

/// The report over fixture `files` for `query`.
fn report_q(files: &[&str], query: &Query) -> Report {
    workbook(files).report(query).expect("report")
}

/// The default-query report over fixture `files`.
fn report(files: &[&str]) -> Report {
    report_q(files, &Query::default())
}

const SMALL: [&str; 4] = [
    "small/deals.csv",
    "small/stage_history.csv",
    "small/activities.csv",
    "small/quotas.csv",
];
const WIDE: [&str; 1] = ["wide/deals.csv"];
const LEADS: [&str; 3] = ["leads/deals.csv", "leads/leads.csv", "leads/quotas.csv"];
const NOHISTORY: [&str; 1] = ["nohistory/deals.csv"];

fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn funnel(r: &Report) -> &FunnelSection {
    r.funnel.as_ref().expect("funnel section")
}

fn pipeline(r: &Report) -> &PipelineSection {
    r.pipeline.as_ref().expect("pipeline section")
}

#[track_caller]
fn stage<'a>(f: &'a FunnelSection, name: &str) -> &'a FunnelStage {
    f.stages
        .iter()
        .find(|s| s.stage == name)
        .unwrap_or_else(|| panic!("no funnel stage {name}"))
}

#[track_caller]
fn by_stage<'a>(p: &'a PipelineSection, name: &str) -> &'a PipelineStage {
    p.by_stage
        .iter()
        .find(|s| s.stage.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no byStage row {name}"))
}

#[track_caller]
fn stalled<'a>(p: &'a PipelineSection, id: &str) -> &'a StalledDeal {
    p.stalled
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("{id} is not stalled"))
}

#[track_caller]
fn source<'a>(fs: &'a [LeadFunnel], name: &str) -> &'a LeadFunnel {
    fs.iter()
        .find(|f| f.source.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no lead source {name}"))
}

fn has_note(r: &Report, metric: &str, contains: &str) -> bool {
    r.notes
        .iter()
        .any(|n| n.metric == metric && n.message.to_lowercase().contains(contains))
}

/// One funnel row: (stage, reached, lostAt, conversion, cumulative, dropOff).
type Row = (&'static str, u32, u32, f64, f64, f64);

/// EXPECTED.md §1.2 (and §2, identical): the funnel over the 8 closed deals.
/// reached 8 → 6 → 5 → 4, lostAt 2, 1, 1, 1, won 3.
const FUNNEL_ROWS: [Row; 4] = [
    // conversion 6/8, cumulative 8/8, dropOff 2/8
    ("Prospecting", 8, 2, 6.0 / 8.0, 1.0, 2.0 / 8.0),
    // 5/6, 6/8, 1/6 — D02 (won) and D07 (lost) skip Q and still count as passing it
    ("Qualification", 6, 1, 5.0 / 6.0, 6.0 / 8.0, 1.0 / 6.0),
    // 4/5, 5/8, 1/5
    ("Proposal", 5, 1, 4.0 / 5.0, 5.0 / 8.0, 1.0 / 5.0),
    // last stage converts to won: 3/4, 4/8, 1/4
    ("Negotiation", 4, 1, 3.0 / 4.0, 4.0 / 8.0, 1.0 / 4.0),
];

#[track_caller]
fn assert_funnel_rows(f: &FunnelSection, who: &str) {
    let names: Vec<&str> = f.stages.iter().map(|s| s.stage.as_str()).collect();
    assert_eq!(names, STAGES, "{who}: funnel stages");
    for (name, reached, lost_at, conv, cum, drop) in FUNNEL_ROWS {
        let s = stage(f, name);
        assert_eq!(s.reached, Some(reached), "{who} {name} reached");
        assert_eq!(s.lost_at, Some(lost_at), "{who} {name} lostAt");
        close_opt(s.conversion, conv, &format!("{who} {name} conversion"));
        close_opt(s.cumulative, cum, &format!("{who} {name} cumulative"));
        close_opt(s.drop_off, drop, &format!("{who} {name} dropOff"));
    }
    // Check: reached(next) = reached(s) − lostAt(s), and Σ lostAt + won = closed deals.
    let lost: u32 = f.stages.iter().filter_map(|s| s.lost_at).sum();
    assert_eq!(lost + f.won, f.deals, "{who}: Σ lostAt + won = deals");
}

#[track_caller]
fn assert_time(t: Option<StageTime>, median: f64, p90: f64, count: u32, what: &str) {
    let t = t.unwrap_or_else(|| panic!("{what}: no time in stage"));
    close(t.median, median, &format!("{what} median"));
    close(t.p90, p90, &format!("{what} p90"));
    assert_eq!(t.count, count, "{what} count");
}

// ---------------------------------------------------------------------------------------------
// 1. small/ — long history, activities, quarterly quotas
// ---------------------------------------------------------------------------------------------

#[test]
fn small_range_and_stage_order() {
    let r = report(&SMALL);
    // §1.0: from = D03 created 01-10; asOf = to = D06 won 06-20 (expected closes are not events).
    assert_eq!(r.query.from.as_deref(), Some("2024-01-10"));
    assert_eq!(r.query.to.as_deref(), Some("2024-06-20"));
    assert_eq!(r.query.as_of.as_deref(), Some("2024-06-20"));
    let f = funnel(&r);
    assert_eq!(f.basis, "history");
    // §1.1: pairwise wins P 3, Q 2, Pr 1, N 0.
    assert_eq!(f.stage_order.stages, STAGES);
    assert_eq!(f.stage_order.source, "history");
    assert!(f.stage_order.unknown_stages.is_empty());
    // §1.0: won D01 D02 D06, lost D03 D04 D05 D07 D08.
    assert_eq!((f.deals, f.won, f.lost), (8, 3, 5));
    assert_eq!(f.deals_without_history, 0);
}

#[test]
fn small_funnel_per_stage() {
    let r = report(&SMALL);
    let f = funnel(&r);
    assert_funnel_rows(f, "small");
    // §1.2: dropOff P 2/8 = N 1/4 = 0.25 exactly; the tie goes to the earlier stage.
    assert_eq!(f.leakiest_stage.as_deref(), Some("Prospecting"));
}

#[test]
fn small_time_in_stage() {
    let r = report(&SMALL);
    let f = funnel(&r);
    // §1.3, D03's two visits to Q (10 + 6) and Pr (7 + 9) are summed into 16 and 16.
    // P [5 7 8 10 12 17 21 30]: median (10+12)/2 = 11, p90 h 6.3: 21 + 0.3·9 = 23.7.
    assert_time(
        stage(f, "Prospecting").time_in_stage_days,
        11.0,
        23.7,
        8,
        "P",
    );
    // Q [9 14 16 25]: (14+16)/2 = 15, h 2.7: 16 + 0.7·9 = 22.3.
    assert_time(
        stage(f, "Qualification").time_in_stage_days,
        15.0,
        22.3,
        4,
        "Q",
    );
    // Pr [12 16 18 20 40]: 18, h 3.6: 20 + 0.6·20 = 32.
    assert_time(stage(f, "Proposal").time_in_stage_days, 18.0, 32.0, 5, "Pr");
    // N [10 15 20 30] (D02 runs to close, no terminal row): 17.5, h 2.7: 20 + 0.7·10 = 27.
    assert_time(
        stage(f, "Negotiation").time_in_stage_days,
        17.5,
        27.0,
        4,
        "N",
    );
    // Medians 18 > 17.5 > 15 > 11.
    assert_eq!(f.bottleneck_stage.as_deref(), Some("Proposal"));
}

#[test]
fn small_open_pipeline_by_stage() {
    let r = report(&SMALL);
    let f = funnel(&r);
    // §1.4: open D10 (Q), D09 + D12 (Pr), D11 (N); none in Prospecting.
    for (name, open) in [
        ("Prospecting", 0),
        ("Qualification", 1),
        ("Proposal", 2),
        ("Negotiation", 1),
    ] {
        assert_eq!(stage(f, name).open_now, open, "{name} openNow");
    }
    let p = pipeline(&r);
    if let Some(pr) = p
        .by_stage
        .iter()
        .find(|s| s.stage.as_deref() == Some("Prospecting"))
    {
        // Either omitted or listed with zeros.
        assert_eq!(pr.count, 0);
        close(pr.amount, 0.0, "P amount");
        close(pr.weighted_amount, 0.0, "P weighted");
    }
    // D10 4000 × won/reached(Q) 3/6 = 2000.
    let q = by_stage(p, "Qualification");
    assert_eq!((q.count, q.weighted_by_probability), (1, 0));
    close(q.amount, 4000.0, "Q amount");
    close(q.weighted_amount, 4000.0 * 3.0 / 6.0, "Q weighted");
    close_opt(q.stage_win_rate, 0.5, "Q win rate");
    // D09 5000 × 40 % (column has a value > 1: percent) + D12 7000 × 3/5 = 2000 + 4200.
    let pr = by_stage(p, "Proposal");
    assert_eq!((pr.count, pr.weighted_by_probability), (2, 1));
    close(pr.amount, 12000.0, "Pr amount");
    close(
        pr.weighted_amount,
        5000.0 * 0.40 + 7000.0 * 3.0 / 5.0,
        "Pr weighted",
    );
    close_opt(pr.stage_win_rate, 0.6, "Pr win rate");
    // D11 12000 × 3/4 = 9000.
    let n = by_stage(p, "Negotiation");
    assert_eq!((n.count, n.weighted_by_probability), (1, 0));
    close(n.amount, 12000.0, "N amount");
    close(n.weighted_amount, 9000.0, "N weighted");
    close_opt(n.stage_win_rate, 0.75, "N win rate");
    // Totals: 4 deals, 28000 open, 2000 + 6200 + 9000 = 17200 weighted.
    assert_eq!(p.by_stage.iter().map(|s| s.count).sum::<u32>(), 4);
    close(
        p.by_stage.iter().map(|s| s.amount).sum(),
        28000.0,
        "Σ amount",
    );
    close(p.weighted_pipeline, 17200.0, "weightedPipeline");
    close_opt(
        r.summary.weighted_pipeline,
        17200.0,
        "summary.weightedPipeline",
    );
    close(r.summary.open_pipeline, 28000.0, "summary.openPipeline");
    assert_eq!(r.summary.deals_open, 4);
}

#[test]
fn small_stalled_deals() {
    let r = report(&SMALL);
    let p = pipeline(&r);
    // §1.5: stalled = {D10 idle 30, D11 time in stage 40, D12 age 60}, one reason each.
    let mut ids: Vec<&str> = p.stalled.iter().map(|s| s.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["D10", "D11", "D12"]);
    // "Longest first": D12 (60), D11 (40), D10 (30).
    let order: Vec<&str> = p.stalled.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(order, ["D12", "D11", "D10"]);

    // D10: last activity 05-21 → 06-20 = 10 + 20 = 30 days ≥ 30 (the boundary counts).
    // Time in stage 06-15 → 06-20 = 5 ≤ p90 22.3, so idle is its only reason.
    let d10 = stalled(p, "D10");
    assert_eq!(d10.reasons.len(), 1, "D10 reasons: {:?}", d10.reasons);
    assert_eq!(d10.reasons[0].reason, "idle");
    assert_eq!(d10.reasons[0].days, 30);
    close(d10.reasons[0].threshold_days, 30.0, "D10 idle threshold");
    assert_eq!(d10.stage.as_deref(), Some("Qualification"));
    assert_eq!(d10.owner.as_deref(), Some("Budi"));
    close_opt(d10.amount, 4000.0, "D10 amount");

    // D11: Negotiation since 05-11 → 06-20 = 20 + 20 = 40 > p90 27. Its age (101) is not a
    // reason because it has history, and it has no activity, so it is not idle.
    let d11 = stalled(p, "D11");
    assert_eq!(d11.reasons.len(), 1, "D11 reasons: {:?}", d11.reasons);
    assert_eq!(d11.reasons[0].reason, "time in stage");
    assert_eq!(d11.reasons[0].days, 40);
    close(d11.reasons[0].threshold_days, 27.0, "D11 threshold");
    assert_eq!(d11.stage.as_deref(), Some("Negotiation"));

    // D12: no history, age 04-21 → 06-20 = 9 + 31 + 20 = 60 > p90 sales cycle 57.2.
    let d12 = stalled(p, "D12");
    assert_eq!(d12.reasons.len(), 1, "D12 reasons: {:?}", d12.reasons);
    assert_eq!(d12.reasons[0].reason, "age");
    assert_eq!(d12.reasons[0].days, 60);
    close(d12.reasons[0].threshold_days, 57.2, "D12 threshold");

    // D09: 10 days in Proposal ≤ 32, last activity 05-22 → 29 days < 30: not stalled.
    assert!(
        p.stalled.iter().all(|s| s.id != "D09"),
        "D09 is not stalled"
    );
}

#[test]
fn small_coverage_and_velocity() {
    let r = report(&SMALL);
    let p = pipeline(&r);
    // §1.6: current periods = Q2 (contains 06-20): quota Ana 30000 + Budi 20000 = 50000;
    // won in Q2 D06 15000 + D02 8000 = 23000 (D01 on 03-31 is Q1); open closing in Q2
    // D11 12000 + D09 5000 = 17000; coverage 17000 / 27000 = 17/27.
    let c = p.coverage.as_ref().expect("coverage");
    assert_eq!(c.periods, ["2024-Q2"]);
    close(c.quota, 50000.0, "coverage quota");
    close(c.won, 23000.0, "coverage won");
    close(c.remaining, 27000.0, "coverage remaining");
    close(c.open_in_periods, 17000.0, "coverage open");
    close_opt(c.coverage, 17.0 / 27.0, "coverage");
    close_opt(r.summary.pipeline_coverage, 17.0 / 27.0, "summary coverage");
    // §1.0: velocity = 4 · 11000 · 0.375 / (158/3) = 24750/79.
    close_opt(p.velocity_per_day, 24750.0 / 79.0, "velocity");
    close_opt(
        r.summary.pipeline_velocity_per_day,
        24750.0 / 79.0,
        "summary velocity",
    );
    // Context figures used above.
    close_opt(r.summary.avg_deal_size, 11000.0, "avgDealSize");
    close_opt(r.summary.win_rate, 0.375, "winRate");
    let cycle = r.summary.sales_cycle_days.expect("sales cycle");
    close(cycle.mean, 158.0 / 3.0, "cycle mean");
    close(cycle.p90, 57.2, "cycle p90");
}

// ---------------------------------------------------------------------------------------------
// 2. wide/ — the same 12 deals with HubSpot "Date entered" columns
// ---------------------------------------------------------------------------------------------

#[test]
fn wide_funnel_matches_small() {
    let wide = report(&WIDE);
    let small = report(&SMALL);
    // §2: range as small/.
    assert_eq!(wide.query.from.as_deref(), Some("2024-01-10"));
    assert_eq!(wide.query.as_of.as_deref(), Some("2024-06-20"));
    let (fw, fs) = (funnel(&wide), funnel(&small));
    assert_eq!(fw.basis, "history");
    assert_eq!(fw.stage_order.stages, STAGES);
    assert_eq!(fw.stage_order.source, "history");
    assert_eq!((fw.deals, fw.won, fw.lost), (8, 3, 5));
    // §2: "Funnel: identical to small/" — the same table as §1.2.
    assert_funnel_rows(fw, "wide");
    for (w, s) in fw.stages.iter().zip(&fs.stages) {
        assert_eq!(w.stage, s.stage);
        assert_eq!(w.reached, s.reached, "{} reached", w.stage);
        assert_eq!(w.lost_at, s.lost_at, "{} lostAt", w.stage);
        assert_eq!(w.conversion, s.conversion, "{} conversion", w.stage);
        assert_eq!(w.drop_off, s.drop_off, "{} dropOff", w.stage);
        assert_eq!(w.cumulative, s.cumulative, "{} cumulative", w.stage);
        assert_eq!(w.open_now, s.open_now, "{} openNow", w.stage);
    }
    // The same 0.25 = 0.25 tie → the earlier stage.
    assert_eq!(fw.leakiest_stage.as_deref(), Some("Prospecting"));
}

#[test]
fn wide_time_in_stage_differs_for_d03() {
    let r = report(&WIDE);
    let f = funnel(&r);
    // §2: wide D03 keeps only first entries: Q 01-15→01-25 = 10, Pr 01-25→02-16 = 22.
    assert_time(
        stage(f, "Prospecting").time_in_stage_days,
        11.0,
        23.7,
        8,
        "P",
    );
    // Q [9 10 14 25]: (10+14)/2 = 12, h 2.7: 14 + 0.7·11 = 21.7.
    assert_time(
        stage(f, "Qualification").time_in_stage_days,
        12.0,
        21.7,
        4,
        "Q",
    );
    // Pr [12 18 20 22 40]: 20, h 3.6: 22 + 0.6·18 = 32.8.
    assert_time(stage(f, "Proposal").time_in_stage_days, 20.0, 32.8, 5, "Pr");
    assert_time(
        stage(f, "Negotiation").time_in_stage_days,
        17.5,
        27.0,
        4,
        "N",
    );
    // 20 > 17.5 > 12 > 11.
    assert_eq!(f.bottleneck_stage.as_deref(), Some("Proposal"));
}

#[test]
fn wide_by_stage_weights_stalled_and_coverage() {
    let r = report(&WIDE);
    let p = pipeline(&r);
    // §2: no probability column, so D09 uses the Proposal rate 3/5 as D12 does.
    let q = by_stage(p, "Qualification");
    assert_eq!(q.count, 1);
    close(q.amount, 4000.0, "Q amount");
    close(q.weighted_amount, 2000.0, "Q weighted");
    let pr = by_stage(p, "Proposal");
    assert_eq!((pr.count, pr.weighted_by_probability), (2, 0));
    close(pr.amount, 12000.0, "Pr amount");
    close(pr.weighted_amount, 12000.0 * 0.6, "Pr weighted"); // 3000 + 4200
    let n = by_stage(p, "Negotiation");
    assert_eq!(n.count, 1);
    close(n.amount, 12000.0, "N amount");
    close(n.weighted_amount, 9000.0, "N weighted");
    // 2000 + 7200 + 9000 = 18200.
    close(p.weighted_pipeline, 18200.0, "weightedPipeline");
    close_opt(
        r.summary.weighted_pipeline,
        18200.0,
        "summary.weightedPipeline",
    );
    // stalled = {D11 time in stage 40 > 27, D12 age 60 > 57.2}; no activities → D10 not idle.
    let mut ids: Vec<&str> = p.stalled.iter().map(|s| s.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["D11", "D12"]);
    let d11 = stalled(p, "D11");
    assert_eq!(d11.reasons.len(), 1);
    assert_eq!(
        (d11.reasons[0].reason.as_str(), d11.reasons[0].days),
        ("time in stage", 40)
    );
    let d12 = stalled(p, "D12");
    assert_eq!(d12.reasons.len(), 1);
    assert_eq!(
        (d12.reasons[0].reason.as_str(), d12.reasons[0].days),
        ("age", 60)
    );
    // No quotas: coverage null with a note; velocity as small/.
    assert!(p.coverage.is_none());
    assert!(r.summary.pipeline_coverage.is_none());
    assert!(has_note(&r, "pipeline.coverage", "quota"), "{:?}", r.notes);
    close_opt(p.velocity_per_day, 24750.0 / 79.0, "velocity");
}

// ---------------------------------------------------------------------------------------------
// 3. Long history vs wide columns
// ---------------------------------------------------------------------------------------------

#[test]
fn long_and_wide_history_give_the_same_funnel() {
    // The long form alone (deals + stage_history, no activities or quotas) vs the wide form.
    let long = report(&["small/deals.csv", "small/stage_history.csv"]);
    let wide = report(&WIDE);
    let (fl, fw) = (funnel(&long), funnel(&wide));
    assert_eq!(fl.basis, "history");
    assert_eq!(fw.basis, "history");
    assert_eq!(fl.stage_order.stages, fw.stage_order.stages);
    assert_eq!(
        (fl.deals, fl.won, fl.lost),
        (fw.deals, fw.won, fw.lost),
        "closed deals"
    );
    let names = |f: &FunnelSection| f.stages.iter().map(|s| s.stage.clone()).collect::<Vec<_>>();
    assert_eq!(names(fl), names(fw));
    for (l, w) in fl.stages.iter().zip(&fw.stages) {
        assert_eq!(l.reached, w.reached, "{} reached", l.stage);
        assert_eq!(l.lost_at, w.lost_at, "{} lostAt", l.stage);
        assert!(l.reached.is_some(), "{} reached is computed", l.stage);
    }
    assert_eq!(fl.leakiest_stage, fw.leakiest_stage);
}

// ---------------------------------------------------------------------------------------------
// 4. leads/
// ---------------------------------------------------------------------------------------------

/// (leads, mql, sql, opportunity, customer, leadToMql, mqlToSql, sqlToOpportunity,
/// opportunityToCustomer, leadToOpportunity, leadToCustomer, medianDaysMqlToSql,
/// medianFirstResponseHours).
type LeadRow = (u32, u32, u32, u32, u32, [f64; 6], f64, f64);

/// EXPECTED.md §3.2–§3.4.
const LEADS_ALL: LeadRow = (
    12,
    11,
    6,
    5,
    3,
    // 11/12, 6/11, 5/6, 3/5, 5/12, 3/12
    [
        11.0 / 12.0,
        6.0 / 11.0,
        5.0 / 6.0,
        3.0 / 5.0,
        5.0 / 12.0,
        3.0 / 12.0,
    ],
    7.0,         // [3 7 7 10]
    61.0 / 12.0, // 5th of 9: L06 5 h 05 min
);
const LEADS_WEB: LeadRow = (
    7,
    6,
    3,
    2,
    1,
    // 6/7, 3/6, 2/3, 1/2, 2/7, 1/7
    [6.0 / 7.0, 0.5, 2.0 / 3.0, 0.5, 2.0 / 7.0, 1.0 / 7.0],
    8.5,         // [7 10]
    61.0 / 12.0, // 3rd of [0.75 2.5 5.0833 6 24]
);
const LEADS_REFERRAL: LeadRow = (
    5,
    5,
    3,
    3,
    2,
    // 5/5, 3/5, 3/3, 2/3, 3/5, 2/5
    [1.0, 0.6, 1.0, 2.0 / 3.0, 0.6, 0.4],
    5.0, // [3 7]
    4.5, // (1+8)/2 of [0.5 1 8 24]
);

#[track_caller]
fn assert_leads(f: &LeadFunnel, e: LeadRow, who: &str) {
    let (leads, mql, sql, opp, cust, rates, days, hours) = e;
    assert_eq!(
        (f.leads, f.mql, f.sql, f.opportunity, f.customer),
        (leads, mql, sql, opp, cust),
        "{who}: leads, mql, sql, opportunity, customer"
    );
    let got = [
        f.lead_to_mql,
        f.mql_to_sql,
        f.sql_to_opportunity,
        f.opportunity_to_customer,
        f.lead_to_opportunity,
        f.lead_to_customer,
    ];
    let names = [
        "leadToMql",
        "mqlToSql",
        "sqlToOpportunity",
        "opportunityToCustomer",
        "leadToOpportunity",
        "leadToCustomer",
    ];
    for ((g, x), n) in got.into_iter().zip(rates).zip(names) {
        close_opt(g, x, &format!("{who} {n}"));
    }
    // Every largest drop-off is MQL→SQL (§3.2); Web ties mql→sql with opportunity→customer at
    // exactly 0.5 and the tie goes to the earlier step.
    assert_eq!(f.largest_drop_off.as_deref(), Some("mql→sql"), "{who}");
    close_opt(
        f.median_days_mql_to_sql,
        days,
        &format!("{who} days mql→sql"),
    );
    close_opt(
        f.median_first_response_hours,
        hours,
        &format!("{who} first response hours"),
    );
}

#[test]
fn leads_funnel_overall_and_by_source() {
    let r = report(&LEADS);
    // §3.0: range [02-20, 04-30] holds every lead.
    assert_eq!(r.query.from.as_deref(), Some("2024-02-20"));
    assert_eq!(r.query.as_of.as_deref(), Some("2024-04-30"));
    let l = r.leads.as_ref().expect("leads section");
    assert_eq!(l.overall.source, None);
    assert_leads(&l.overall, LEADS_ALL, "all");
    assert_leads(source(&l.by_source, "Web"), LEADS_WEB, "Web");
    assert_leads(source(&l.by_source, "Referral"), LEADS_REFERRAL, "Referral");
    // By lead count desc: Web (7), Referral (5).
    let order: Vec<Option<&str>> = l.by_source.iter().map(|f| f.source.as_deref()).collect();
    assert_eq!(order, [Some("Web"), Some("Referral")]);
    // Check: Web + Referral = all in every column.
    let (w, rf) = (
        source(&l.by_source, "Web"),
        source(&l.by_source, "Referral"),
    );
    assert_eq!(w.leads + rf.leads, l.overall.leads);
    assert_eq!(w.customer + rf.customer, l.overall.customer);
    // E01 → L01, E02 → L02, E03 → L08, E04 → L09; E05 and E06 have no lead.
    assert_eq!(l.linked_deals, 4);
    assert_eq!(l.unmatched_deal_links, 0);
}

#[test]
fn leads_needed_default_quota_target() {
    let r = report(&LEADS);
    // §3.5: quotas overlapping [02-20, 04-30]: 2024-03 (10000 + 9000) + 2024-04 (10000 + 9000).
    let n = r.leads_needed.as_ref().expect("leadsNeeded");
    close(n.target, 38000.0, "target");
    assert_eq!(n.target_source, "quotas");
    close_opt(n.avg_deal_size, 8000.0, "avgDealSize"); // 24000 / 3
    close_opt(n.win_rate, 0.6, "winRate"); // 3 / 5
    close_opt(n.lead_to_opportunity, 5.0 / 12.0, "leadToOpportunity");
    // ⌈38000/8000 = 4.75⌉ = 5, ⌈5/0.6 = 8.33⌉ = 9, ⌈9·12/5 = 21.6⌉ = 22.
    assert_eq!(n.deals_needed, Some(5));
    assert_eq!(n.opportunities_needed, Some(9));
    assert_eq!(n.leads_needed, Some(22));
}

#[test]
fn leads_needed_query_target() {
    let q = Query {
        target: Some(10000.0),
        ..Query::default()
    };
    let r = report_q(&LEADS, &q);
    let n = r.leads_needed.as_ref().expect("leadsNeeded");
    close(n.target, 10000.0, "target");
    assert_eq!(n.target_source, "query");
    // ⌈1.25⌉ = 2, ⌈3.33⌉ = 4, ⌈4·12/5 = 9.6⌉ = 10.
    assert_eq!(n.deals_needed, Some(2));
    assert_eq!(n.opportunities_needed, Some(4));
    assert_eq!(n.leads_needed, Some(10));
}

// ---------------------------------------------------------------------------------------------
// 5. nohistory/ — snapshot funnel
// ---------------------------------------------------------------------------------------------

#[test]
fn nohistory_snapshot_funnel() {
    let r = report(&NOHISTORY);
    // §4: from N01 created 01-08, asOf N10 lost 03-25.
    assert_eq!(r.query.from.as_deref(), Some("2024-01-08"));
    assert_eq!(r.query.as_of.as_deref(), Some("2024-03-25"));
    let f = funnel(&r);
    assert_eq!(f.basis, "snapshot");
    // Open deals per current stage: N05 | N06 N07 | N08 | N09.
    for (name, open) in [
        ("Prospecting", 1),
        ("Qualification", 2),
        ("Proposal", 1),
        ("Negotiation", 1),
    ] {
        let s = stage(f, name);
        assert_eq!(s.open_now, open, "{name} openNow");
        assert_eq!(s.reached, None, "{name} reached");
        assert_eq!(s.lost_at, None, "{name} lostAt");
        assert_eq!(s.conversion, None, "{name} conversion");
        assert_eq!(s.cumulative, None, "{name} cumulative");
        assert_eq!(s.drop_off, None, "{name} dropOff");
        assert_eq!(s.time_in_stage_days, None, "{name} time in stage");
    }
    assert_eq!(f.leakiest_stage, None);
    assert_eq!(f.bottleneck_stage, None);
    assert!(
        r.notes
            .iter()
            .any(|n| n.metric == "funnel" && n.message.contains("history")),
        "a funnel note about history: {:?}",
        r.notes
    );
    // byStage counts and amounts (weights are not asserted by the fixture).
    let p = pipeline(&r);
    for (name, count, amount) in [
        ("Prospecting", 1, 3000.0),
        ("Qualification", 2, 5000.0 + 2500.0),
        ("Proposal", 1, 7000.0),
        ("Negotiation", 1, 12000.0),
    ] {
        let s = by_stage(p, name);
        assert_eq!(s.count, count, "{name} count");
        close(s.amount, amount, &format!("{name} amount"));
    }
    close(r.summary.open_pipeline, 29500.0, "openPipeline");
    // stalled = {N08, age 01-25 → 03-25 = 6 + 29 + 25 = 60 > p90 cycle 50}.
    assert_eq!(p.stalled.len(), 1, "{:?}", p.stalled);
    let n08 = stalled(p, "N08");
    assert_eq!(n08.reasons.len(), 1);
    assert_eq!(
        (n08.reasons[0].reason.as_str(), n08.reasons[0].days),
        ("age", 60)
    );
    close(n08.reasons[0].threshold_days, 50.0, "N08 threshold");
    // Velocity 5 · 8000 · 0.6 / (143/3) = 72000/143; coverage null (no quotas).
    close_opt(p.velocity_per_day, 72000.0 / 143.0, "velocity");
    assert!(p.coverage.is_none());
}

// ---------------------------------------------------------------------------------------------
// 6. Null-with-a-note paths and the query's stage order
// ---------------------------------------------------------------------------------------------

#[test]
fn no_quotas_coverage_is_null_with_a_note() {
    let r = report(&["small/deals.csv", "small/stage_history.csv"]);
    let p = pipeline(&r);
    assert!(p.coverage.is_none());
    assert!(r.summary.pipeline_coverage.is_none());
    assert!(
        r.notes.iter().any(|n| n.metric == "pipeline.coverage"),
        "{:?}",
        r.notes
    );
}

/// small/ deals and history with `quotas` (CSV text) instead of small/quotas.csv.
fn small_with_quotas(quotas: &str) -> Report {
    let mut wb = workbook(&["small/deals.csv", "small/stage_history.csv"]);
    wb.add_file("quotas.csv", quotas.as_bytes(), None)
        .expect("quotas");
    wb.report(&Query::default()).expect("report")
}

#[test]
fn quota_met_coverage_is_null_with_a_note() {
    // Q2 quota 10000 + 5000 = 15000 < won in Q2 (D06 15000 + D02 8000 = 23000).
    let r = small_with_quotas("rep,period,quota\nAna,2024-Q2,10000\nBudi,2024-Q2,5000\n");
    let c = pipeline(&r).coverage.as_ref().expect("coverage detail");
    assert_eq!(c.periods, ["2024-Q2"]);
    close(c.quota, 15000.0, "quota");
    close(c.won, 23000.0, "won");
    close(c.remaining, 15000.0 - 23000.0, "remaining = quota − won");
    close(c.open_in_periods, 17000.0, "open in Q2"); // D11 12000 + D09 5000
    assert_eq!(c.coverage, None);
    assert_eq!(r.summary.pipeline_coverage, None);
    assert!(
        has_note(&r, "pipeline.coverage", "met"),
        "a note that the quota is met: {:?}",
        r.notes
    );
}

#[test]
fn quota_exactly_met_coverage_is_null_with_a_note() {
    // Q2 quota Ana 15000 + Budi 8000 = their Q2 wins exactly: remaining 0.
    let r = small_with_quotas("rep,period,quota\nAna,2024-Q2,15000\nBudi,2024-Q2,8000\n");
    let c = pipeline(&r).coverage.as_ref().expect("coverage detail");
    close(c.remaining, 0.0, "remaining");
    assert_eq!(c.coverage, None);
    assert!(has_note(&r, "pipeline.coverage", "met"), "{:?}", r.notes);
}

#[test]
fn no_leads_table_still_gives_deals_needed() {
    let r = report(&SMALL);
    assert!(r.leads.is_none());
    assert!(r.notes.iter().any(|n| n.metric == "leads"), "{:?}", r.notes);
    // Target = quotas overlapping [01-10, 06-20]: Q1 25000 + 20000, Q2 30000 + 20000 = 95000
    // (Q3 starts 07-01). ⌈95000/11000 = 8.64⌉ = 9 deals; ⌈9/0.375 = 24⌉ = 24 opportunities;
    // no lead rate, so no leads figure.
    let n = r.leads_needed.as_ref().expect("leadsNeeded");
    close(n.target, 95000.0, "target");
    assert_eq!(n.target_source, "quotas");
    assert_eq!(n.deals_needed, Some(9));
    assert_eq!(n.opportunities_needed, Some(24));
    assert_eq!(n.lead_to_opportunity, None);
    assert_eq!(n.leads_needed, None);
}

#[test]
fn stage_order_from_the_query() {
    let reversed: Vec<String> = STAGES.iter().rev().map(|s| s.to_string()).collect();
    let q = Query {
        stage_order: Some(reversed.clone()),
        ..Query::default()
    };
    let r = report_q(&SMALL, &q);
    let f = funnel(&r);
    assert_eq!(f.stage_order.source, "query");
    assert_eq!(f.stage_order.stages, reversed);
    let names: Vec<&str> = f.stages.iter().map(|s| s.stage.as_str()).collect();
    assert_eq!(
        names,
        ["Negotiation", "Proposal", "Qualification", "Prospecting"]
    );
}

#[test]
fn stage_order_from_the_query_matching_history_changes_nothing() {
    // §0: the figures are identical with or without the natural --stage-order.
    let q = Query {
        stage_order: Some(STAGES.iter().map(|s| s.to_string()).collect()),
        ..Query::default()
    };
    let given = report_q(&SMALL, &q);
    let inferred = report(&SMALL);
    let (fg, fi) = (funnel(&given), funnel(&inferred));
    assert_eq!(fg.stage_order.source, "query");
    assert_eq!(fg.stages, fi.stages);
    assert_eq!(fg.leakiest_stage, fi.leakiest_stage);
    assert_eq!(fg.bottleneck_stage, fi.bottleneck_stage);
    assert_eq!(pipeline(&given), pipeline(&inferred));
    assert_funnel_rows(fg, "given order");
}

// ---------------------------------------------------------------------------------------------
// 7. Filters
// ---------------------------------------------------------------------------------------------

#[test]
fn source_filter_gives_the_web_figures_overall() {
    let q = Query {
        filters: Filters {
            source: vec!["Web".to_string()],
            ..Filters::default()
        },
        ..Query::default()
    };
    let r = report_q(&LEADS, &q);
    let l = r.leads.as_ref().expect("leads section");
    // The Web row of §3.2–§3.4, now as the overall figures.
    assert_leads(&l.overall, LEADS_WEB, "overall filtered to Web");
    let sources: Vec<Option<&str>> = l.by_source.iter().map(|f| f.source.as_deref()).collect();
    assert_eq!(sources, [Some("Web")]);
    assert_leads(&l.by_source[0], LEADS_WEB, "Web filtered to Web");
}

#[test]
fn explicit_range_matches_the_default_one() {
    // Passing the defaults of §1.0 explicitly changes nothing.
    let q = Query {
        from: Some(date("2024-01-10")),
        to: Some(date("2024-06-20")),
        as_of: Some(date("2024-06-20")),
        ..Query::default()
    };
    let given = report_q(&SMALL, &q);
    let default = report(&SMALL);
    assert_eq!(given.funnel, default.funnel);
    assert_eq!(given.pipeline, default.pipeline);
}

/// A workbook of one deals file given as text.
fn from_text(csv: &str) -> Report {
    let mut wb = Workbook::new();
    wb.add_file("deals.csv", csv.as_bytes(), None).unwrap();
    wb.report(&Query::default()).unwrap()
}

/// `<stage> date` columns are wide history when the stage is a value of the
/// stage column. By hand: A entered Discovery 01-01, Pitch 01-11, won 01-31;
/// B entered Discovery 01-05 and was lost 01-20 without reaching Pitch.
/// Order from history: Discovery before Pitch. reached(Discovery) = 2,
/// reached(Pitch) = 1 (the won deal), lostAt(Discovery) = 1; time in
/// Discovery: A 10 days (to Pitch), B 15 days (to its close) → median 12.5.
#[test]
fn stage_date_columns_are_history() {
    let r = from_text(
        "id,stage,amount,created_date,close_date,Discovery date,Pitch date\n\
         A,Closed Won,100,2024-01-01,2024-01-31,2024-01-01,2024-01-11\n\
         B,Closed Lost,50,2024-01-05,2024-01-20,2024-01-05,\n\
         C,Pitch,70,2024-01-10,,2024-01-10,2024-01-15\n\
         D,Discovery,80,2024-01-12,,2024-01-12,\n",
    );
    let f = funnel(&r);
    assert_eq!(f.basis, "history");
    assert_eq!(f.stage_order.stages, ["Discovery", "Pitch"]);
    assert_eq!(f.stage_order.source, "history");
    assert_eq!(stage(f, "Discovery").reached, Some(2));
    assert_eq!(stage(f, "Discovery").lost_at, Some(1));
    assert_eq!(stage(f, "Pitch").reached, Some(1));
    close_opt(stage(f, "Discovery").drop_off, 0.5, "Discovery drop-off");
    assert_time(
        stage(f, "Discovery").time_in_stage_days,
        12.5,
        14.5,
        2,
        "Discovery",
    );
}

/// Without history, the order comes from the mean probability per stage:
/// Meeting 0.2, Offer (30 % and 50 % → 0.4), Contract 0.8.
#[test]
fn stage_order_from_probability() {
    let r = from_text(
        "id,stage,amount,probability,created_date,close_date\n\
         1,Contract,100,80,2024-01-01,2024-03-01\n\
         2,Meeting,100,20,2024-01-02,2024-03-01\n\
         3,Offer,100,30,2024-01-03,2024-03-01\n\
         4,Offer,100,50,2024-01-04,2024-03-01\n\
         5,Closed Won,100,100,2024-01-01,2024-01-20\n",
    );
    let f = funnel(&r);
    assert_eq!(f.basis, "snapshot");
    assert_eq!(f.stage_order.source, "probability");
    assert_eq!(f.stage_order.stages, ["Meeting", "Offer", "Contract"]);
    // Weighted by each deal's own probability: 100 × (0.8 + 0.2 + 0.3 + 0.5) = 180.
    close(pipeline(&r).weighted_pipeline, 180.0, "weighted pipeline");
}

/// Regression: a header whose lower case is longer than itself (`İ`) once
/// made the wide-history detection slice the header at a wrong offset.
#[test]
fn headers_that_grow_when_lowercased_do_not_break_wide_history() {
    let r = from_text(
        "id,stage,amount,close_date,İstanbul date,DATE ENTERED \"Proposal (Sales)\"\n\
         1,Proposal,5,2024-01-02,2024-01-01,2024-01-01\n",
    );
    let cols: Vec<_> = r.data_quality.tables[0]
        .columns
        .iter()
        .map(|c| c.mapped_to.clone())
        .collect();
    assert_eq!(cols[4], None);
    assert_eq!(cols[5].as_deref(), Some("entered:Proposal"));
}

#[test]
fn stalled_deals_tied_on_days_are_listed_by_id() {
    // Three won deals of 10 days each: the sales cycle's p90 is 10. With no
    // stage history every open deal is judged by its age as of asOf, the
    // last event (Z1's close, 2024-03-01): B2, A9 and the deal without an id
    // (line 5 of the file, its header line 1) were created on 2024-01-01,
    // 60 days before it; C1 on 2024-01-31, 30 days. Longest first, ties by
    // id ("A9" < "B2" < "line 5": capitals sort before small letters),
    // whatever their order in the file.
    let deals = "id,owner,stage,amount,created_date,close_date\n\
        W1,Ana,Closed Won,100,2024-01-01,2024-01-11\n\
        W2,Ana,Closed Won,100,2024-01-05,2024-01-15\n\
        B2,Ana,Proposal,100,2024-01-01,\n\
        ,Ana,Proposal,100,2024-01-01,\n\
        C1,Ana,Proposal,100,2024-01-31,\n\
        A9,Ana,Proposal,100,2024-01-01,\n\
        Z1,Ana,Closed Won,100,2024-02-20,2024-03-01\n";
    let mut wb = Workbook::new();
    wb.add_file("deals.csv", deals.as_bytes(), None)
        .expect("add_file");
    let r = wb.report(&Query::default()).expect("report");
    assert_eq!(r.query.as_of.as_deref(), Some("2024-03-01"));
    let p = pipeline(&r);
    let listed: Vec<(&str, i64)> = p
        .stalled
        .iter()
        .map(|s| (s.id.as_str(), s.reasons[0].days))
        .collect();
    assert_eq!(listed, [("A9", 60), ("B2", 60), ("line 5", 60), ("C1", 30)]);
    assert!(p
        .stalled
        .iter()
        .all(|s| s.reasons.len() == 1 && s.reasons[0].reason == "age"));
}

// ---------------------------------------------------------------------------------------------
// The summary alone (what the page compares a report with)
// ---------------------------------------------------------------------------------------------

#[test]
fn small_summary_alone_has_the_hand_worked_figures() {
    // A fresh workbook asked for the summary first: nothing worked out by
    // a whole report before it.
    let s = workbook(&SMALL)
        .summary(&Query::default())
        .expect("summary");
    assert_eq!(s.query.as_of.as_deref(), Some("2024-06-20"));
    // §1.4: 4 open deals, 28000 open, 17200 weighted.
    assert_eq!(s.summary.deals_open, 4);
    close(s.summary.open_pipeline, 28000.0, "openPipeline");
    close_opt(s.summary.weighted_pipeline, 17200.0, "weightedPipeline");
    // §1.6: coverage 17000 / 27000; §1.0: velocity 4 · 11000 · 0.375 / (158/3).
    close_opt(s.summary.pipeline_coverage, 17.0 / 27.0, "coverage");
    close_opt(
        s.summary.pipeline_velocity_per_day,
        24750.0 / 79.0,
        "velocity",
    );
    close_opt(s.summary.avg_deal_size, 11000.0, "avgDealSize");
    close_opt(s.summary.win_rate, 0.375, "winRate");
}

/// The generated sample: every table (roster, products, quotas,
/// activities with their selling share, leads, stage history).
fn sample_workbook() -> Workbook {
    let cfg = pelacak::sample::SampleConfig::default();
    let mut wb = Workbook::new();
    for name in pelacak::sample::FILES {
        let mut bytes = Vec::new();
        pelacak::sample::write_file(&cfg, name, &mut bytes).expect("write sample file");
        wb.add_file(name, &bytes, None).expect("add_file");
    }
    wb
}

/// The summary of each query is the whole report's `query` and `summary`,
/// to the bit, whichever is asked first.
#[track_caller]
fn summary_is_the_reports(wb: &mut Workbook, queries: &[Query]) {
    for q in queries {
        let s = wb.summary(q).expect("summary");
        let r = wb.report(q).expect("report");
        assert_eq!(s.query, r.query, "query of {q:?}");
        assert_eq!(s.summary, r.summary, "summary of {q:?}");
        assert_eq!(wb.summary(q).expect("summary again"), s, "{q:?} again");
    }
}

#[test]
fn summary_alone_is_the_whole_reports_for_every_query() {
    let day = |s: &str| Some(date(s));
    let quarter = Query {
        from: day("2024-04-01"),
        to: day("2024-06-30"),
        as_of: day("2024-06-30"),
        ..Query::default()
    };
    let ana = Query {
        filters: Filters {
            rep: vec!["Ana".into()],
            ..Filters::default()
        },
        ..quarter.clone()
    };
    let target = Query {
        target: Some(90000.0),
        stage_order: Some(STAGES.iter().map(|s| s.to_string()).collect()),
        ..Query::default()
    };
    let queries = [Query::default(), quarter, ana, target];
    summary_is_the_reports(&mut workbook(&SMALL), &queries);
    summary_is_the_reports(&mut workbook(&LEADS), &queries);
    let mut wb = sample_workbook();
    let whole = wb.report(&Query::default()).expect("report");
    let rep = whole.by_rep[0].name.clone().expect("a rep");
    let team = whole.by_team[0].name.clone().expect("a team");
    let (from, to) = (day("2024-01-01"), day("2024-03-31"));
    let sample_queries = [
        Query::default(),
        Query {
            from,
            to,
            as_of: to,
            ..Query::default()
        },
        Query {
            from,
            to,
            as_of: to,
            filters: Filters {
                rep: vec![rep],
                ..Filters::default()
            },
            ..Query::default()
        },
        Query {
            filters: Filters {
                team: vec![team],
                ..Filters::default()
            },
            selling_categories: Some(vec!["client_in_person".into()]),
            ..Query::default()
        },
    ];
    let s = wb.summary(&sample_queries[0]).expect("summary");
    assert!(
        s.summary.selling_time_share.is_some() && s.summary.quota_attainment.is_some(),
        "the sample's summary has every figure: {:?}",
        s.summary
    );
    summary_is_the_reports(&mut wb, &sample_queries);
}

/// The page's filter choices (each breakdown's names) and "today" (the
/// report's `asOf`) are read off one unfiltered report and kept whatever
/// the range, granularity or fiscal year (www/src/worker.js): a report lists
/// every group of the files, whether or not its deals count in the range.
#[test]
fn every_range_lists_the_same_groups_and_as_of() {
    let mut wb = sample_workbook();
    let names = |r: &Report| {
        [
            &r.by_rep,
            &r.by_team,
            &r.by_region,
            &r.by_product,
            &r.by_source,
        ]
        .map(|rows| {
            let mut n: Vec<String> = rows.iter().filter_map(|b| b.name.clone()).collect();
            n.sort();
            n
        })
    };
    let whole = wb.report(&Query::default()).expect("report");
    let groups = names(&whole);
    assert!(groups.iter().all(|g| g.len() >= 2), "{groups:?}");
    // A week with no deal closed or created, a quarter, a year by quarters
    // with a fiscal year from July.
    let day = |s: &str| Some(date(s));
    let ranges = [
        ("2023-01-01", "2023-01-07", Granularity::Week, None),
        ("2024-04-01", "2024-06-30", Granularity::Month, None),
        ("2024-07-01", "2025-06-30", Granularity::Quarter, Some(7)),
    ];
    for (from, to, granularity, fy) in ranges {
        let q = Query {
            from: day(from),
            to: day(to),
            granularity,
            fiscal_year_start_month: fy,
            ..Query::default()
        };
        let r = wb.report(&q).expect("report");
        assert_eq!(names(&r), groups, "{from}..{to}");
        assert_eq!(r.query.as_of, whole.query.as_of, "{from}..{to}");
    }
}
