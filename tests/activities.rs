//! Activities and territories (SPEC §4) against the hand-worked fixtures in
//! `tests/data/activity/` and the properties the sample generator guarantees.
//!
//! Every expected figure comes from `tests/data/activity/EXPECTED.md` (section numbers in the
//! comments); the arithmetic is repeated in the expected expressions. Floats are compared with
//! a tolerance of 1e-9 (absolute, relative above 1).

use pelacak::report::{ActivitiesSection, Report, TerritoriesSection, TerritoryRow};
use pelacak::{Query, Workbook};
use std::collections::BTreeMap;
use std::sync::OnceLock;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/activity/");
const TOL: f64 = 1e-9;
const SMALL: [&str; 4] = [
    "small/deals.csv",
    "small/reps.csv",
    "small/quotas.csv",
    "small/activities.csv",
];
const NODUR: [&str; 4] = [
    "small/deals.csv",
    "small/reps.csv",
    "small/quotas.csv",
    "nodur/activities.csv",
];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn report(files: &[&str], q: &Query) -> Report {
    let mut wb = Workbook::new();
    for f in files {
        let bytes = std::fs::read(format!("{DATA}{f}"))
            .unwrap_or_else(|e| panic!("cannot read fixture {f}: {e}"));
        wb.add_file(f, &bytes, None)
            .unwrap_or_else(|e| panic!("add_file({f}) failed: {e}"));
    }
    wb.report(q).expect("report")
}

fn small() -> Report {
    report(&SMALL, &Query::default())
}

fn acts(r: &Report) -> &ActivitiesSection {
    r.activities.as_ref().expect("activities section")
}

fn terr(r: &Report) -> &TerritoriesSection {
    r.territories.as_ref().expect("territories section")
}

#[track_caller]
fn approx(actual: f64, expected: f64, what: &str) {
    assert!(
        actual.is_finite() && (actual - expected).abs() <= TOL * expected.abs().max(1.0),
        "{what}: got {actual}, expected {expected}"
    );
}

#[track_caller]
fn approx_opt(actual: Option<f64>, expected: Option<f64>, what: &str) {
    match (actual, expected) {
        (Some(a), Some(e)) => approx(a, e, what),
        (None, None) => {}
        _ => panic!("{what}: got {actual:?}, expected {expected:?}"),
    }
}

/// (count, minutes, withDuration, share) of a type.
#[track_caller]
fn ty(a: &ActivitiesSection, kind: &str) -> (u32, Option<f64>, u32, Option<f64>) {
    let t = a
        .by_type
        .iter()
        .find(|t| t.kind == kind)
        .unwrap_or_else(|| panic!("no byType row {kind:?}"));
    (t.count, t.minutes, t.with_duration, t.share)
}

#[track_caller]
fn r_of(a: &ActivitiesSection, kind: &str) -> Option<f64> {
    let c = a
        .correlation_with_revenue
        .iter()
        .find(|c| c.kind == kind)
        .unwrap_or_else(|| panic!("no correlation row {kind:?}"));
    assert_eq!(c.reps, 6, "reps behind r of {kind}");
    c.r
}

/// sellingTimeShare of a rep in `activities.byRep`.
#[track_caller]
fn rep_share(a: &ActivitiesSection, name: &str) -> Option<f64> {
    a.by_rep
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no activities.byRep row {name:?}"))
        .selling_time_share
}

#[track_caller]
fn region<'a>(t: &'a TerritoriesSection, name: &str) -> &'a TerritoryRow {
    t.regions
        .iter()
        .find(|r| r.region == name)
        .unwrap_or_else(|| panic!("no territory {name:?}"))
}

fn sinks(a: &ActivitiesSection) -> Vec<(&str, &str)> {
    a.time_sinks
        .iter()
        .map(|s| (s.kind.as_str(), s.category.as_str()))
        .collect()
}

/// Exact values of Pearson r worked out in EXPECTED.md §3.5.
fn r_call() -> f64 {
    38.0 / (10.0_f64 * 1133.0 / 6.0).sqrt()
}
fn r_perjalanan() -> f64 {
    -(200.0_f64 / 4532.0).sqrt()
}

// ---------------------------------------------------------------------------------------------
// 1. small/: range, mapping, shares (EXPECTED §1–§3.2)
// ---------------------------------------------------------------------------------------------

#[test]
fn small_range_and_totals() {
    let r = small();
    assert_eq!(r.query.from.as_deref(), Some("2024-01-03"));
    assert_eq!(r.query.as_of.as_deref(), Some("2024-03-31"));
    assert_eq!(r.query.to.as_deref(), Some("2024-03-31"));
    let a = acts(&r);
    assert_eq!(a.share_basis, "minutes");
    assert_eq!(a.count, 40);
    assert_eq!(a.minutes, Some(2000.0));
    assert_eq!(a.with_duration, 39); // #22 has no duration
    assert_eq!(a.selling_categories, ["client_digital", "client_in_person"]);
    // §3.2: (440 + 360) / 2000.
    approx_opt(
        a.selling_time_share,
        Some(800.0 / 2000.0),
        "sellingTimeShare",
    );
    approx(a.benchmark, 0.39, "benchmark");
    approx_opt(a.vs_benchmark, Some(0.40 - 0.39), "vsBenchmark");
    approx_opt(
        r.summary.selling_time_share,
        Some(0.40),
        "summary.sellingTimeShare",
    );
    assert!(
        r.notes.iter().any(|n| n.metric == "activities.shareBasis"),
        "a note says 1 of 40 activities has no duration"
    );
}

#[test]
fn small_mapping_of_each_type() {
    let r = small();
    let got: BTreeMap<&str, (&str, &str)> = acts(&r)
        .mapping
        .iter()
        .map(|m| (m.kind.as_str(), (m.category.as_str(), m.source.as_str())))
        .collect();
    let want: BTreeMap<&str, (&str, &str)> = [
        ("Call", ("client_digital", "default")),
        ("Email", ("client_digital", "default")),
        ("Telepon", ("client_digital", "default")),
        ("Meeting", ("client_in_person", "default")),
        ("Kunjungan", ("client_in_person", "default")),
        ("Internal Meeting", ("internal_meeting", "default")),
        ("CRM Update", ("admin", "default")),
        ("Perjalanan", ("travel", "default")),
        ("Pelatihan", ("training", "default")),
        ("Riset akun", ("prep", "keyword")),
        ("Golf", ("other", "unmapped")),
    ]
    .into_iter()
    .collect();
    // "CALL" (#13) and "call" (#35) are the type "Call": 11 types, not 13.
    assert_eq!(got, want);
}

#[test]
fn small_shares_by_type() {
    let r = small();
    let a = acts(&r);
    // §3.1: (count, minutes, withDuration, share = minutes / 2000).
    let want: [(&str, u32, f64, u32, f64); 11] = [
        ("Call", 12, 12.0 * 30.0, 12, 360.0 / 2000.0),
        ("CRM Update", 6, 6.0 * 60.0, 6, 360.0 / 2000.0),
        ("Internal Meeting", 5, 5.0 * 60.0, 5, 300.0 / 2000.0),
        ("Perjalanan", 2, 2.0 * 120.0, 2, 240.0 / 2000.0),
        ("Meeting", 3, 3.0 * 60.0, 3, 180.0 / 2000.0),
        ("Kunjungan", 2, 2.0 * 90.0, 2, 180.0 / 2000.0),
        ("Golf", 1, 120.0, 1, 120.0 / 2000.0),
        ("Pelatihan", 1, 120.0, 1, 120.0 / 2000.0),
        ("Riset akun", 1, 60.0, 1, 60.0 / 2000.0),
        ("Email", 5, 4.0 * 10.0, 4, 40.0 / 2000.0),
        ("Telepon", 2, 2.0 * 20.0, 2, 40.0 / 2000.0),
    ];
    for (kind, count, minutes, timed, share) in want {
        let (c, m, w, s) = ty(a, kind);
        assert_eq!((c, w), (count, timed), "{kind}: count, withDuration");
        approx_opt(m, Some(minutes), &format!("{kind} minutes"));
        approx_opt(s, Some(share), &format!("{kind} share"));
    }
    // Order: share desc, then count desc, then name.
    let order: Vec<&str> = a.by_type.iter().map(|t| t.kind.as_str()).collect();
    let want_order: Vec<&str> = want.iter().map(|w| w.0).collect();
    assert_eq!(order, want_order);
    let selling: Vec<&str> = a
        .by_type
        .iter()
        .filter(|t| t.selling)
        .map(|t| t.kind.as_str())
        .collect();
    assert_eq!(
        selling,
        ["Call", "Meeting", "Kunjungan", "Email", "Telepon"]
    );
}

#[test]
fn small_shares_by_category() {
    let r = small();
    let a = acts(&r);
    // §3.2, in report order.
    let want: [(&str, bool, u32, f64, f64); 8] = [
        (
            "client_digital",
            true,
            12 + 5 + 2,
            360.0 + 40.0 + 40.0,
            0.22,
        ),
        ("client_in_person", true, 3 + 2, 180.0 + 180.0, 0.18),
        ("internal_meeting", false, 5, 300.0, 0.15),
        ("admin", false, 6, 360.0, 0.18),
        ("travel", false, 2, 240.0, 0.12),
        ("training", false, 1, 120.0, 0.06),
        ("prep", false, 1, 60.0, 0.03),
        ("other", false, 1, 120.0, 0.06),
    ];
    assert_eq!(a.by_category.len(), 8);
    for (row, (cat, selling, count, minutes, share)) in a.by_category.iter().zip(want) {
        assert_eq!(row.category, cat);
        assert_eq!((row.selling, row.count), (selling, count), "{cat}");
        approx_opt(row.minutes, Some(minutes), &format!("{cat} minutes"));
        approx_opt(row.share, Some(share), &format!("{cat} share"));
    }
    assert_eq!(a.by_category[0].with_duration, 18); // 19 digital rows, #22 untimed
}

// ---------------------------------------------------------------------------------------------
// 2. small/: reps, leaderboard, correlation, time sinks (EXPECTED §3.3–§3.6)
// ---------------------------------------------------------------------------------------------

#[test]
fn small_by_rep_and_most_active() {
    let r = small();
    let a = acts(&r);
    // (name, count, minutes, selling share, won revenue), in byRep order: count desc, name.
    let want: [(&str, u32, f64, Option<f64>, f64); 6] = [
        ("Ana", 11, 440.0, Some(260.0 / 440.0), 16000.0),
        ("Budi", 8, 400.0, Some(160.0 / 400.0), 8000.0),
        ("Citra", 7, 390.0, Some(150.0 / 390.0), 5000.0),
        ("Dodi", 7, 400.0, Some(160.0 / 400.0), 2000.0),
        ("Fajar", 7, 370.0, Some(70.0 / 370.0), 0.0),
        ("Eka", 0, 0.0, None, 0.0),
    ];
    assert_eq!(
        a.by_rep.len(),
        6,
        "deal owners + roster (Eka) + activity reps (Fajar)"
    );
    for (row, (name, count, minutes, share, won)) in a.by_rep.iter().zip(want) {
        assert_eq!((row.name.as_str(), row.count), (name, count));
        approx_opt(row.minutes, Some(minutes), &format!("{name} minutes"));
        approx_opt(row.selling_time_share, share, &format!("{name} share"));
        approx_opt(
            row.vs_benchmark,
            share.map(|s| s - 0.39),
            &format!("{name} vsBenchmark"),
        );
        approx(row.won_revenue, won, &format!("{name} wonRevenue"));
    }
    // Ana's categories: digital 6 rows / 140 min, in person 2 / 120, internal, admin, prep 1 / 60.
    let ana: Vec<(&str, u32, Option<f64>)> = a.by_rep[0]
        .by_category
        .iter()
        .map(|c| (c.category.as_str(), c.count, c.minutes))
        .collect();
    assert_eq!(
        ana,
        [
            ("client_digital", 6, Some(140.0)),
            ("client_in_person", 2, Some(120.0)),
            ("internal_meeting", 1, Some(60.0)),
            ("admin", 1, Some(60.0)),
            ("travel", 0, Some(0.0)),
            ("training", 0, Some(0.0)),
            ("prep", 1, Some(60.0)),
            ("other", 0, Some(0.0)),
        ]
    );
    let most: Vec<(&str, u32)> = a
        .most_active
        .iter()
        .map(|m| (m.name.as_str(), m.count))
        .collect();
    assert_eq!(
        most,
        [
            ("Ana", 11),
            ("Budi", 8),
            ("Citra", 7),
            ("Dodi", 7),
            ("Fajar", 7)
        ]
    );
}

#[test]
fn small_leaderboard_carries_activities() {
    let r = small();
    // §3.4: revenue desc, deal owners + roster reps; Fajar is not on it.
    let rows: Vec<(&str, f64, Option<u32>)> = r
        .by_rep
        .iter()
        .map(|b| (b.name.as_deref().unwrap_or("-"), b.revenue, b.activities))
        .collect();
    assert_eq!(
        rows,
        [
            ("Ana", 16000.0, Some(11)),
            ("Budi", 8000.0, Some(8)),
            ("Citra", 5000.0, Some(7)),
            ("Dodi", 2000.0, Some(7)),
            ("Eka", 0.0, Some(0)),
        ]
    );
    let shares = [
        Some(13.0 / 22.0),
        Some(0.4),
        Some(5.0 / 13.0),
        Some(0.4),
        None,
    ];
    for (b, s) in r.by_rep.iter().zip(shares) {
        approx_opt(
            b.selling_time_share,
            s,
            &format!("byRep {:?} sellingTimeShare", b.name),
        );
    }
}

#[test]
fn small_correlation_with_revenue() {
    let r = small();
    let a = acts(&r);
    // §3.5: y = 16000, 8000, 5000, 2000, 0, 0 over Ana, Budi, Citra, Dodi, Eka, Fajar.
    // Call x = 4,3,2,1,0,2: Sxy = 100000 − 12·31000/6 = 38000, Sxx = 34 − 24 = 10,
    // Syy = 349e6 − 961e6/6 = 1133e6/6 → r = 38000 / √(10 · 1133e6/6) = 0.874469.
    approx_opt(r_of(a, "Call"), Some(r_call()), "r Call");
    approx(r_call(), 0.874_468_695, "r Call by hand");
    // CRM Update x = 1,1,1,1,0,2: Eka and Fajar both have revenue 0 → Sxy = 0.
    approx_opt(r_of(a, "CRM Update"), Some(0.0), "r CRM Update");
    // Perjalanan x = 0,0,1,1,0,0: r² = 200/4532, negative.
    approx_opt(r_of(a, "Perjalanan"), Some(r_perjalanan()), "r Perjalanan");
    approx_opt(r_of(a, "Kunjungan"), Some(r_perjalanan()), "r Kunjungan");
    // Internal Meeting x = 1,1,1,1,0,1: r = 31 / √(5 · 1133).
    approx_opt(
        r_of(a, "Internal Meeting"),
        Some(31.0 / (5.0_f64 * 1133.0).sqrt()),
        "r Internal Meeting",
    );
    // Meeting x = 2,1,0,0,0,0: r = 24.5 / √(3.5 · 1133/6).
    approx_opt(
        r_of(a, "Meeting"),
        Some(24.5 / (3.5_f64 * 1133.0 / 6.0).sqrt()),
        "r Meeting",
    );
    // Email x = 2,1,1,0,0,1: r = 115 / √(17 · 1133).
    approx_opt(
        r_of(a, "Email"),
        Some(115.0 / (17.0_f64 * 1133.0).sqrt()),
        "r Email",
    );
    assert_eq!(a.correlation_with_revenue.len(), 11);
    assert!(a.correlation_with_revenue.iter().all(|c| c.r.is_some()));
}

#[test]
fn small_time_sinks() {
    let r = small();
    let a = acts(&r);
    // §3.6: share ≥ 0.10 and r < 0.2: CRM Update (0.18, r 0), Perjalanan (0.12, r −0.21).
    // Not: Call (0.18, r 0.87), Internal Meeting (0.15, r 0.41), Kunjungan (0.09, r −0.21).
    assert_eq!(
        sinks(a),
        [("CRM Update", "admin"), ("Perjalanan", "travel")]
    );
    approx(a.time_sinks[0].share, 0.18, "CRM Update share");
    approx_opt(a.time_sinks[0].r, Some(0.0), "CRM Update r");
    approx(a.time_sinks[1].share, 0.12, "Perjalanan share");
    approx_opt(a.time_sinks[1].r, Some(r_perjalanan()), "Perjalanan r");
}

// ---------------------------------------------------------------------------------------------
// 3. small/: deal-linked figures (EXPECTED §3.7)
// ---------------------------------------------------------------------------------------------

#[test]
fn small_activities_per_won_deal() {
    let r = small();
    let a = acts(&r);
    assert_eq!((a.won_deals, a.lost_deals), (5, 3));
    // D01 3 + D02 3 + D05 4 (#15 after the close included) + D08 5 (Fajar's #36) + D11 3.
    assert_eq!(a.linked_to_won_deals, 3 + 3 + 4 + 5 + 3);
    approx_opt(
        a.activities_per_won_deal,
        Some(18.0 / 5.0),
        "activitiesPerWonDeal",
    );
}

#[test]
fn small_weeks_before_close() {
    let r = small();
    let w = &acts(&r).weeks_before_close;
    assert_eq!(w.len(), 13);
    for (k, row) in w.iter().enumerate() {
        let k = k as u32;
        assert_eq!(row.week, k);
        assert_eq!(
            (row.from_days_before, row.to_days_before),
            (7 * k + 6, 7 * k)
        );
    }
    // Week 0 (days 0..6): #1 (0), #3 (6), #7 (0), #12 (0), #20 (6), #22 (1), #28 (0) → 7 / 5 won;
    // #8 (0), #29 (6) → 2 / 3 lost.
    approx_opt(w[0].won, Some(7.0 / 5.0), "week 0 won");
    approx_opt(w[0].lost, Some(2.0 / 3.0), "week 0 lost");
    // Week 1 (days 7..13): #2 (7), #5 (7), #11 (10), #16 (7), #27 (7), #36 (7) → 6 / 5;
    // #6 (7), #21 (7, across 29 Feb) → 2 / 3.
    approx_opt(w[1].won, Some(6.0 / 5.0), "week 1 won");
    approx_opt(w[1].lost, Some(2.0 / 3.0), "week 1 lost");
    // Week 2 (days 14..20): #13, #23, #26, #30 → 4 / 5; no lost.
    approx_opt(w[2].won, Some(4.0 / 5.0), "week 2 won");
    approx_opt(w[2].lost, Some(0.0), "week 2 lost");
    for row in &w[3..] {
        approx_opt(row.won, Some(0.0), &format!("week {} won", row.week));
        approx_opt(row.lost, Some(0.0), &format!("week {} lost", row.week));
    }
    // check: 7 + 6 + 4 in weeks + 1 after the close (#15) = 18 linked to won deals.
    let in_weeks: f64 = w.iter().filter_map(|r| r.won).sum::<f64>() * 5.0;
    approx(
        in_weeks + 1.0,
        18.0,
        "won activities in weeks + after close",
    );
}

// ---------------------------------------------------------------------------------------------
// 4. small/: territories (EXPECTED §4)
// ---------------------------------------------------------------------------------------------

#[test]
fn small_territories_per_region() {
    let r = small();
    let t = terr(&r);
    let names: Vec<&str> = t.regions.iter().map(|r| r.region.as_str()).collect();
    assert_eq!(names, ["Jakarta", "Surabaya", "Medan"]); // revenue desc
    assert_eq!(t.deals_without_region, 0); // Dodi's deals take Medan from the roster

    let j = region(t, "Jakarta");
    assert_eq!(
        (j.reps, j.rep_names.clone()),
        (2, vec!["Ana".into(), "Budi".into()])
    );
    approx(j.revenue, 10000.0 + 6000.0 + 8000.0, "Jakarta revenue");
    assert_eq!((j.deals_won, j.deals_lost, j.deals_open), (3, 1, 3));
    approx_opt(j.win_rate, Some(3.0 / 4.0), "Jakarta winRate");
    approx(
        j.open_pipeline,
        20000.0 + 16000.0 + 12000.0,
        "Jakarta pipeline",
    );
    approx_opt(
        j.quota,
        Some(40000.0),
        "Jakarta quota (region row, not 20000 + 10000)",
    );
    assert_eq!(j.quota_source.as_deref(), Some("region"));
    approx_opt(
        j.won_against_quota,
        Some(24000.0),
        "Jakarta won against quota",
    );
    approx_opt(j.attainment, Some(24000.0 / 40000.0), "Jakarta attainment");
    approx_opt(
        j.revenue_per_rep,
        Some(24000.0 / 2.0),
        "Jakarta revenue/rep",
    );
    approx_opt(
        j.pipeline_per_rep,
        Some(48000.0 / 2.0),
        "Jakarta pipeline/rep",
    );

    let s = region(t, "Surabaya");
    assert_eq!(
        (s.reps, s.rep_names.clone()),
        (2, vec!["Citra".into(), "Eka".into()])
    );
    approx(s.revenue, 5000.0, "Surabaya revenue");
    assert_eq!((s.deals_won, s.deals_lost, s.deals_open), (1, 1, 1));
    approx_opt(s.win_rate, Some(0.5), "Surabaya winRate");
    approx(s.open_pipeline, 8000.0, "Surabaya pipeline");
    approx_opt(
        s.quota,
        Some(8000.0 + 4000.0),
        "Surabaya quota (Citra + Eka)",
    );
    assert_eq!(s.quota_source.as_deref(), Some("reps"));
    approx_opt(
        s.won_against_quota,
        Some(5000.0),
        "Surabaya won against quota",
    );
    approx_opt(s.attainment, Some(5000.0 / 12000.0), "Surabaya attainment");
    approx_opt(
        s.revenue_per_rep,
        Some(5000.0 / 2.0),
        "Surabaya revenue/rep",
    );
    approx_opt(
        s.pipeline_per_rep,
        Some(8000.0 / 2.0),
        "Surabaya pipeline/rep",
    );

    let m = region(t, "Medan");
    assert_eq!((m.reps, m.rep_names.clone()), (1, vec!["Dodi".into()]));
    approx(m.revenue, 2000.0, "Medan revenue");
    assert_eq!((m.deals_won, m.deals_lost, m.deals_open), (1, 1, 1));
    approx_opt(m.win_rate, Some(0.5), "Medan winRate");
    approx(m.open_pipeline, 12000.0, "Medan pipeline");
    approx_opt(m.quota, Some(5000.0), "Medan quota (Dodi)");
    assert_eq!(m.quota_source.as_deref(), Some("reps"));
    approx_opt(m.won_against_quota, Some(2000.0), "Medan won against quota");
    approx_opt(m.attainment, Some(2000.0 / 5000.0), "Medan attainment");
    approx_opt(m.revenue_per_rep, Some(2000.0), "Medan revenue/rep");
    approx_opt(m.pipeline_per_rep, Some(12000.0), "Medan pipeline/rep");

    // check: the regions add up to the summary.
    approx(
        t.regions.iter().map(|r| r.revenue).sum(),
        r.summary.revenue,
        "Σ region revenue = summary revenue",
    );
    approx(
        t.regions.iter().map(|r| r.open_pipeline).sum(),
        r.summary.open_pipeline,
        "Σ region pipeline = summary pipeline",
    );
    approx(r.summary.open_pipeline, 68000.0, "summary pipeline");
}

#[test]
fn small_imbalance_and_rebalance() {
    let r = small();
    let t = terr(&r);
    let mean = 40000.0 / 3.0; // (24000 + 4000 + 12000) / 3
    approx_opt(t.mean_pipeline_per_rep, Some(mean), "meanPipelinePerRep");
    // Population SD / mean = (√608 / 3) / (40 / 3) = √38 / 10.
    approx_opt(t.imbalance, Some(38.0_f64.sqrt() / 10.0), "imbalance");
    approx(38.0_f64.sqrt() / 10.0, 0.616_441_400_3, "imbalance by hand");

    let loads: Vec<(&str, Option<&str>)> = t
        .regions
        .iter()
        .map(|r| (r.region.as_str(), r.load.as_deref()))
        .collect();
    assert_eq!(
        loads,
        [
            ("Jakarta", Some("overloaded")),
            ("Surabaya", Some("underloaded")),
            ("Medan", Some("balanced")),
        ]
    );
    approx_opt(
        region(t, "Jakarta").load_ratio,
        Some(24000.0 / mean),
        "Jakarta ratio",
    );
    approx_opt(
        region(t, "Jakarta").load_ratio,
        Some(1.8),
        "Jakarta ratio 1.8",
    );
    approx_opt(
        region(t, "Surabaya").load_ratio,
        Some(0.3),
        "Surabaya ratio",
    );
    approx_opt(region(t, "Medan").load_ratio, Some(0.9), "Medan ratio");

    let rb = &t.rebalance;
    let over: Vec<&str> = rb.overloaded.iter().map(|l| l.region.as_str()).collect();
    let under: Vec<&str> = rb.underloaded.iter().map(|l| l.region.as_str()).collect();
    assert_eq!((over, under), (vec!["Jakarta"], vec!["Surabaya"]));
    approx(
        rb.overloaded[0].pipeline_per_rep,
        24000.0,
        "overloaded pipeline/rep",
    );
    approx(
        rb.underloaded[0].pipeline_per_rep,
        4000.0,
        "underloaded pipeline/rep",
    );

    assert_eq!(rb.suggestions.len(), 1);
    let s = &rb.suggestions[0];
    assert_eq!(s.from.as_deref(), Some("Jakarta"));
    assert_eq!(s.to.as_deref(), Some("Surabaya"));
    // min(48000 − 2·mean = 64000/3, 2·mean − 8000 = 56000/3) = 56000/3.
    approx_opt(s.amount, Some(56000.0 / 3.0), "suggestion amount");
    // round((56000/3) / (48000/3 open deals)) = round(1.17) = 1.
    assert_eq!(s.deals, Some(1));
    assert_eq!(
        s.text,
        "Jakarta carries 1.8× the average open pipeline per rep and Surabaya 0.3×: move about \
         18,667 of open pipeline (1 deal) from Jakarta to Surabaya, or add a rep to Jakarta."
    );
}

// ---------------------------------------------------------------------------------------------
// 5. nodur/: count basis (EXPECTED §5)
// ---------------------------------------------------------------------------------------------

#[test]
fn nodur_shares_by_count() {
    let r = report(&NODUR, &Query::default());
    let a = acts(&r);
    assert_eq!(a.share_basis, "count");
    assert_eq!((a.count, a.minutes, a.with_duration), (40, None, 0));
    approx_opt(a.selling_time_share, Some(24.0 / 40.0), "sellingTimeShare");
    approx_opt(
        r.summary.selling_time_share,
        Some(0.6),
        "summary.sellingTimeShare",
    );
    assert!(r.notes.iter().any(|n| n.metric == "activities.shareBasis"));
    for (kind, count, share) in [
        ("Call", 12, 0.30),
        ("CRM Update", 6, 0.15),
        ("Email", 5, 0.125),
        ("Internal Meeting", 5, 0.125),
        ("Meeting", 3, 0.075),
        ("Kunjungan", 2, 0.05),
        ("Perjalanan", 2, 0.05),
        ("Telepon", 2, 0.05),
        ("Golf", 1, 0.025),
        ("Pelatihan", 1, 0.025),
        ("Riset akun", 1, 0.025),
    ] {
        let (c, m, w, s) = ty(a, kind);
        assert_eq!((c, m, w), (count, None, 0), "{kind}");
        approx_opt(s, Some(share), &format!("{kind} share of count"));
    }
    let cats: Vec<(&str, u32, Option<f64>)> = a
        .by_category
        .iter()
        .map(|c| (c.category.as_str(), c.count, c.minutes))
        .collect();
    assert_eq!(
        cats,
        [
            ("client_digital", 19, None),
            ("client_in_person", 5, None),
            ("internal_meeting", 5, None),
            ("admin", 6, None),
            ("travel", 2, None),
            ("training", 1, None),
            ("prep", 1, None),
            ("other", 1, None),
        ]
    );
    for (c, share) in a
        .by_category
        .iter()
        .zip([0.475, 0.125, 0.125, 0.15, 0.05, 0.025, 0.025, 0.025])
    {
        approx_opt(
            c.share,
            Some(share),
            &format!("{} share of count", c.category),
        );
    }
    // Per rep: selling rows / rows.
    approx_opt(rep_share(a, "Ana"), Some(8.0 / 11.0), "Ana");
    approx_opt(rep_share(a, "Budi"), Some(5.0 / 8.0), "Budi");
    approx_opt(rep_share(a, "Citra"), Some(4.0 / 7.0), "Citra");
    approx_opt(rep_share(a, "Dodi"), Some(4.0 / 7.0), "Dodi");
    approx_opt(rep_share(a, "Fajar"), Some(3.0 / 7.0), "Fajar");
    approx_opt(rep_share(a, "Eka"), None, "Eka");
    assert!(a.by_rep.iter().all(|r| r.minutes.is_none()));
    let ana = r.by_rep.iter().find(|b| b.name.as_deref() == Some("Ana"));
    let ana = ana.expect("Ana on the leaderboard");
    assert_eq!(ana.activities, Some(11));
    approx_opt(ana.selling_time_share, Some(8.0 / 11.0), "leaderboard Ana");
    // Correlations are of counts: unchanged. Sinks: only CRM Update (0.15, r 0) — Call,
    // Email (r 0.83) and Internal Meeting (r 0.41) have r ≥ 0.2, Perjalanan is 0.05.
    approx_opt(r_of(a, "Call"), Some(r_call()), "r Call");
    assert_eq!(sinks(a), [("CRM Update", "admin")]);
    approx(a.time_sinks[0].share, 0.15, "CRM Update share of count");
    // Deal-linked figures do not use durations.
    approx_opt(a.activities_per_won_deal, Some(3.6), "activitiesPerWonDeal");
    approx_opt(a.weeks_before_close[0].won, Some(1.4), "week 0 won");
}

// ---------------------------------------------------------------------------------------------
// 6. Overrides (EXPECTED §6)
// ---------------------------------------------------------------------------------------------

fn golf_in_person() -> BTreeMap<String, String> {
    [("golf".to_string(), "client_in_person".to_string())]
        .into_iter()
        .collect()
}

#[test]
fn override_activity_category() {
    let q = Query {
        activity_categories: Some(golf_in_person()),
        ..Query::default()
    };
    let r = report(&SMALL, &q);
    let a = acts(&r);
    let golf = a.mapping.iter().find(|m| m.kind == "Golf").expect("Golf");
    assert_eq!(
        (golf.category.as_str(), golf.source.as_str()),
        ("client_in_person", "query")
    );
    assert!(a.by_type.iter().find(|t| t.kind == "Golf").unwrap().selling);
    // (440 + 360 + 120) / 2000.
    approx_opt(
        a.selling_time_share,
        Some(920.0 / 2000.0),
        "sellingTimeShare",
    );
    approx_opt(r.summary.selling_time_share, Some(0.46), "summary");
    let inp = &a.by_category[1];
    assert_eq!((inp.category.as_str(), inp.count), ("client_in_person", 6));
    approx_opt(inp.minutes, Some(480.0), "client_in_person minutes");
    approx_opt(inp.share, Some(0.24), "client_in_person share");
    let other = &a.by_category[7];
    assert_eq!((other.category.as_str(), other.count), ("other", 0));
    approx_opt(other.share, Some(0.0), "other share");
    // Budi: (160 + 120) / 400; the others unchanged.
    approx_opt(rep_share(a, "Budi"), Some(280.0 / 400.0), "Budi");
    approx_opt(rep_share(a, "Ana"), Some(260.0 / 440.0), "Ana");
    approx_opt(rep_share(a, "Fajar"), Some(70.0 / 370.0), "Fajar");
    let budi = r.by_rep.iter().find(|b| b.name.as_deref() == Some("Budi"));
    approx_opt(
        budi.unwrap().selling_time_share,
        Some(0.7),
        "leaderboard Budi",
    );
    assert_eq!(
        sinks(a),
        [("CRM Update", "admin"), ("Perjalanan", "travel")]
    );
}

#[test]
fn override_selling_categories() {
    let q = Query {
        selling_categories: Some(vec!["client_in_person".to_string()]),
        ..Query::default()
    };
    let r = report(&SMALL, &q);
    let a = acts(&r);
    assert_eq!(a.selling_categories, ["client_in_person"]);
    // Meeting 180 + Kunjungan 180 of 2000.
    approx_opt(
        a.selling_time_share,
        Some(360.0 / 2000.0),
        "sellingTimeShare",
    );
    approx_opt(a.vs_benchmark, Some(0.18 - 0.39), "vsBenchmark");
    let selling: Vec<&str> = a
        .by_type
        .iter()
        .filter(|t| t.selling)
        .map(|t| t.kind.as_str())
        .collect();
    assert_eq!(selling, ["Meeting", "Kunjungan"]);
    assert!(!a.by_category[0].selling && a.by_category[1].selling);
    approx_opt(rep_share(a, "Ana"), Some(120.0 / 440.0), "Ana");
    approx_opt(rep_share(a, "Budi"), Some(60.0 / 400.0), "Budi");
    approx_opt(rep_share(a, "Citra"), Some(90.0 / 390.0), "Citra");
    approx_opt(rep_share(a, "Dodi"), Some(90.0 / 400.0), "Dodi");
    approx_opt(rep_share(a, "Fajar"), Some(0.0), "Fajar (0, not null)");
    approx_opt(rep_share(a, "Eka"), None, "Eka");

    // Both overrides: (360 + 120) / 2000; Budi (60 + 120) / 400.
    let q = Query {
        selling_categories: Some(vec!["client_in_person".to_string()]),
        activity_categories: Some(golf_in_person()),
        ..Query::default()
    };
    let r = report(&SMALL, &q);
    let a = acts(&r);
    approx_opt(
        a.selling_time_share,
        Some(480.0 / 2000.0),
        "both: sellingTimeShare",
    );
    approx_opt(rep_share(a, "Budi"), Some(180.0 / 400.0), "both: Budi");
}

// ---------------------------------------------------------------------------------------------
// 7. The generated sample: properties that hold by construction (src/sample.rs, EXPECTED §7)
// ---------------------------------------------------------------------------------------------

fn sample() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        let cfg = pelacak::sample::SampleConfig::default();
        let mut wb = Workbook::new();
        for name in pelacak::sample::FILES {
            let mut bytes = Vec::new();
            pelacak::sample::write_file(&cfg, name, &mut bytes).expect("write sample file");
            wb.add_file(name, &bytes, None)
                .unwrap_or_else(|e| panic!("add_file({name}) failed: {e}"));
        }
        wb.report(&Query::default()).expect("sample report")
    })
}

#[test]
fn sample_star_rep_is_most_active() {
    let a = acts(sample());
    assert_eq!(a.share_basis, "minutes");
    assert_eq!(
        a.most_active.first().map(|m| m.name.as_str()),
        Some("Ayu Lestari")
    );
    assert_eq!(a.by_rep.len(), 12);
}

#[test]
fn sample_calls_correlate_with_revenue() {
    let a = acts(sample());
    let call = a
        .correlation_with_revenue
        .iter()
        .find(|c| c.kind == "Call")
        .expect("Call correlation");
    assert_eq!(call.reps, 12);
    let r = call.r.expect("r of Call");
    assert!(r > 0.5, "r(Call, won revenue) = {r}");
}

#[test]
fn sample_crm_update_is_a_time_sink() {
    let a = acts(sample());
    let crm = a
        .time_sinks
        .iter()
        .find(|s| s.kind == "CRM Update")
        .unwrap_or_else(|| panic!("CRM Update not a time sink: {:?}", a.time_sinks));
    assert_eq!(crm.category, "admin");
    assert!(crm.share >= 0.10, "CRM Update share {}", crm.share);
    // The same block count for every rep: zero variance, null r.
    assert_eq!(crm.r, None);
}

#[test]
fn sample_selling_share_near_benchmark() {
    let r = sample();
    let s = acts(r).selling_time_share.expect("selling share");
    assert!((0.30..=0.45).contains(&s), "selling share {s}");
    assert_eq!(r.summary.selling_time_share, Some(s));
}

#[test]
fn sample_jakarta_overloaded_medan_underloaded() {
    let t = terr(sample());
    assert_eq!(region(t, "Jakarta").load.as_deref(), Some("overloaded"));
    assert_eq!(region(t, "Medan").load.as_deref(), Some("underloaded"));
    assert!(t.rebalance.overloaded.iter().any(|l| l.region == "Jakarta"));
    assert!(t.rebalance.underloaded.iter().any(|l| l.region == "Medan"));
    let s = &t.rebalance.suggestions[0];
    assert_eq!(
        (s.from.as_deref(), s.to.as_deref()),
        (Some("Jakarta"), Some("Medan"))
    );
    assert!(t.imbalance.is_some_and(|i| i > 0.0));
}

/// Quota pairs at both levels, worked by hand from `small/deals.csv` and
/// `small/quotas.csv` (all 2024-Q1, 2024-01-01..2024-03-31): each pair sums
/// only its own rep's (or region's) won deals closed in the quarter.
#[test]
fn small_quota_pairs_by_rep_and_region() {
    let r = small();
    let q = r.quota.as_ref().expect("quota section");
    let won: Vec<(&str, &str, f64, f64)> = q
        .attainments
        .iter()
        .map(|a| (a.level.as_str(), a.name.as_str(), a.won, a.quota))
        .collect();
    assert_eq!(
        won,
        [
            // Jakarta's won deals in Q1: D01 10000 (03-01), D02 6000 (03-20), D05 8000 (02-15).
            ("region", "Jakarta", 10000.0 + 6000.0 + 8000.0, 40000.0),
            ("rep", "Ana", 10000.0 + 6000.0, 20000.0),
            ("rep", "Budi", 8000.0, 10000.0),
            ("rep", "Citra", 5000.0, 8000.0),
            ("rep", "Dodi", 2000.0, 5000.0),
            ("rep", "Eka", 0.0, 4000.0),
        ]
    );
    // The headline is over rep pairs: 16000 + 8000 + 5000 + 2000 + 0 = 31000
    // won against 47000 of quota; nobody at or above 100 %.
    assert_eq!(q.level, "rep");
    approx(q.won_total, 31000.0, "won against rep quotas");
    approx(q.quota_total, 47000.0, "rep quotas");
    assert_eq!(q.reps_at_or_above_quota, 0);
}
