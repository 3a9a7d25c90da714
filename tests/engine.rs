//! End-to-end tests of the engine against the hand-worked fixtures in `tests/data/`.
//!
//! Every expected figure comes from `tests/data/EXPECTED.md` (worked out by hand from SPEC.md);
//! the arithmetic is repeated in the expected expressions or in a comment next to them.
//! Floats are compared with a tolerance of 1e-6 (absolute, relative above 1).
//!
//! `bad/huge_field.csv` is gitignored: its bytes are built in code (`huge_field()`).

use pelacak::quality::{ColumnReport, TableQuality};
use pelacak::report::{Breakdown, Report, Spread};
use pelacak::{Filters, Kind, Query, Workbook};
use std::path::Path;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");
const TOL: f64 = 1e-6;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// `bad/huge_field.csv` exactly as `make_fixtures.py` writes it (1 048 785 bytes).
fn huge_field() -> Vec<u8> {
    let mut v = Vec::with_capacity(1_048_785);
    v.extend_from_slice(b"id,owner,stage,amount,created_date,close_date,notes\n");
    v.extend_from_slice(b"H-1,Alice,Closed Won,1000,2024-01-02,2024-01-20,short note\n");
    v.extend_from_slice(b"H-2,Bob,Closed Won,2000,2024-01-05,2024-01-25,\"");
    v.resize(v.len() + 1024 * 1024, b'x');
    v.extend_from_slice(b"\"\n");
    v.extend_from_slice(b"H-3,Carol,Closed Lost,500,2024-01-10,2024-02-01,\n");
    v
}

/// The bytes of fixture `rel` (relative to `tests/data/`).
fn bytes(rel: &str) -> Vec<u8> {
    if rel == "bad/huge_field.csv" {
        return huge_field();
    }
    std::fs::read(format!("{DATA}{rel}"))
        .unwrap_or_else(|e| panic!("cannot read fixture {rel}: {e}"))
}

/// A workbook with `files` added in order; each must be readable.
fn workbook(files: &[&str]) -> Workbook {
    let mut wb = Workbook::new();
    for f in files {
        wb.add_file(f, &bytes(f), None)
            .unwrap_or_else(|e| panic!("add_file({f}) failed: {e}"));
    }
    wb
}

/// The default-query report over `files` (each must be readable).
fn load(files: &[&str]) -> Report {
    workbook(files).report(&Query::default()).expect("report")
}

/// The report over `files`, which may be unreadable, with what each `add_file` returned.
fn load_any(files: &[&str]) -> (Report, Vec<Result<(), pelacak::Error>>) {
    let mut wb = Workbook::new();
    let results = files
        .iter()
        .map(|f| wb.add_file(f, &bytes(f), None))
        .collect();
    (wb.report(&Query::default()).expect("report"), results)
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

#[track_caller]
fn range(r: &Report, from: &str, to: &str) {
    assert_eq!(r.query.from.as_deref(), Some(from), "query.from");
    assert_eq!(r.query.to.as_deref(), Some(to), "query.to");
    assert_eq!(r.query.as_of.as_deref(), Some(to), "query.asOf");
}

/// revenue, (won, lost, open), openPipeline.
#[track_caller]
fn counts(r: &Report, revenue: f64, won: u32, lost: u32, open: u32, pipeline: f64) {
    let s = &r.summary;
    approx(s.revenue, revenue, "summary.revenue");
    assert_eq!(
        (s.deals_won, s.deals_lost, s.deals_open),
        (won, lost, open),
        "summary won/lost/open"
    );
    approx(s.open_pipeline, pipeline, "summary.openPipeline");
}

#[track_caller]
fn cycle(actual: Option<Spread>, mean: f64, median: f64, p90: f64, count: u32, what: &str) {
    let c = actual.unwrap_or_else(|| panic!("{what}: salesCycleDays is null"));
    approx(c.mean, mean, &format!("{what} mean"));
    approx(c.median, median, &format!("{what} median"));
    approx(c.p90, p90, &format!("{what} p90"));
    assert_eq!(c.count, count, "{what} count");
}

/// (period, revenue, won, lost, avgDealSize, winRate, revenueGrowthPct)
type Period = (
    &'static str,
    f64,
    u32,
    u32,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

#[track_caller]
fn series(r: &Report, expected: &[Period]) {
    let got: Vec<&str> = r.series.iter().map(|s| s.period.as_str()).collect();
    let want: Vec<&str> = expected.iter().map(|e| e.0).collect();
    assert_eq!(got, want, "series periods");
    for (s, e) in r.series.iter().zip(expected) {
        let p = e.0;
        approx(s.revenue, e.1, &format!("series {p} revenue"));
        assert_eq!(
            (s.deals_won, s.deals_lost),
            (e.2, e.3),
            "series {p} won/lost"
        );
        approx_opt(s.avg_deal_size, e.4, &format!("series {p} avgDealSize"));
        approx_opt(s.win_rate, e.5, &format!("series {p} winRate"));
        approx_opt(
            s.revenue_growth_pct,
            e.6,
            &format!("series {p} revenueGrowthPct"),
        );
    }
}

#[track_caller]
fn trend_insufficient(r: &Report) {
    let t = r.avg_deal_size_trend.as_ref().expect("avgDealSizeTrend");
    assert_eq!(t.direction, "insufficient");
    assert_eq!((t.slope, t.change_pct), (None, None));
}

#[track_caller]
fn trend(r: &Report, slope: f64, change_pct: f64, direction: &str, periods_with_wins: u32) {
    let t = r.avg_deal_size_trend.as_ref().expect("avgDealSizeTrend");
    approx_opt(t.slope, Some(slope), "trend slope");
    approx_opt(t.change_pct, Some(change_pct), "trend changePct");
    assert_eq!(t.direction, direction, "trend direction");
    assert_eq!(
        t.periods_with_wins, periods_with_wins,
        "trend periodsWithWins"
    );
}

/// (name, revenue, won, lost, winRate, open, openPipeline), in report order.
type Key = (&'static str, f64, u32, u32, Option<f64>, u32, f64);

#[track_caller]
fn breakdown(what: &str, rows: &[Breakdown], expected: &[Key]) {
    let got: Vec<&str> = rows
        .iter()
        .map(|b| b.name.as_deref().unwrap_or("<null>"))
        .collect();
    let want: Vec<&str> = expected.iter().map(|e| e.0).collect();
    assert_eq!(got, want, "{what} names in order");
    for (b, e) in rows.iter().zip(expected) {
        let n = e.0;
        approx(b.revenue, e.1, &format!("{what} {n} revenue"));
        assert_eq!(
            (b.deals_won, b.deals_lost),
            (e.2, e.3),
            "{what} {n} won/lost"
        );
        approx_opt(b.win_rate, e.4, &format!("{what} {n} winRate"));
        assert_eq!(b.deals_open, e.5, "{what} {n} dealsOpen");
        approx(b.open_pipeline, e.6, &format!("{what} {n} openPipeline"));
    }
}

#[track_caller]
fn table<'a>(r: &'a Report, file: &str) -> &'a TableQuality {
    r.data_quality
        .tables
        .iter()
        .find(|t| t.file == file)
        .unwrap_or_else(|| panic!("no dataQuality table for {file}"))
}

#[track_caller]
fn column<'a>(t: &'a TableQuality, header: &str) -> &'a ColumnReport {
    t.columns
        .iter()
        .find(|c| c.header == header)
        .unwrap_or_else(|| panic!("{}: no column {header:?}", t.file))
}

/// Checks (header, mappedTo, style) for the listed columns.
#[track_caller]
fn columns(t: &TableQuality, expected: &[(&str, Option<&str>, Option<&str>)]) {
    for &(header, mapped, style) in expected {
        let c = column(t, header);
        assert_eq!(
            c.mapped_to.as_deref(),
            mapped,
            "{}: {header:?} mappedTo",
            t.file
        );
        assert_eq!(c.style.as_deref(), style, "{}: {header:?} style", t.file);
    }
}

/// Checks a table's kind, encoding, delimiter, header line and row counts.
#[track_caller]
#[allow(clippy::too_many_arguments)]
fn detected(
    t: &TableQuality,
    kind: &str,
    encoding: &str,
    delimiter: &str,
    header_line: u32,
    read: u32,
    used: u32,
    rejected: u32,
) {
    assert_eq!(t.error, None, "{}: error", t.file);
    assert_eq!(t.table.as_deref(), Some(kind), "{}: table kind", t.file);
    assert_eq!(
        t.encoding.as_deref(),
        Some(encoding),
        "{}: encoding",
        t.file
    );
    assert_eq!(
        t.delimiter.as_deref(),
        Some(delimiter),
        "{}: delimiter",
        t.file
    );
    assert_eq!(t.header_line, Some(header_line), "{}: header line", t.file);
    assert_eq!(
        (t.rows_read, t.rows_used, t.rows_rejected),
        (read, used, rejected),
        "{}: rows read/used/rejected",
        t.file
    );
}

/// The (line, code) of every issue, in line order.
fn issues(t: &TableQuality) -> Vec<(u32, &'static str)> {
    let mut v: Vec<_> = t.issues.iter().map(|i| (i.line, i.code)).collect();
    v.sort();
    v
}

fn has_note(r: &Report, metric: &str) -> bool {
    r.notes.iter().any(|n| n.metric == metric)
}

// ---------------------------------------------------------------------------------------------
// 1. Dialect fixtures
// ---------------------------------------------------------------------------------------------

#[test]
fn fixture1_semicolon_id_bom_decimal_comma_day_first() {
    let r = load(&["semicolon_id.csv"]);
    // earliest event ID-001 created 03/01/2024; latest ID-008 closed 25/03/2024 (ID-003's
    // 30/04 is an expected close, not an event)
    range(&r, "2024-01-03", "2024-03-25");
    // 12 500 000.50 + 950 000 + 4 250 000.25 + 6 000 000; open 15 000 000 + 3 000 000
    counts(
        &r,
        12_500_000.50 + 950_000.0 + 4_250_000.25 + 6_000_000.0,
        4,
        2,
        2,
        18_000_000.0,
    );
    let s = &r.summary;
    approx_opt(s.win_rate, Some(4.0 / 6.0), "winRate");
    approx_opt(s.avg_deal_size, Some(23_700_000.75 / 4.0), "avgDealSize"); // 5 925 000.1875
    approx_opt(
        s.median_deal_size,
        Some((4_250_000.25 + 6_000_000.0) / 2.0),
        "medianDealSize",
    );
    approx_opt(
        s.win_rate_created_cohort,
        Some(4.0 / 8.0),
        "winRateCreatedCohort",
    );
    // cycles 22, 23, 40, 43: mean 128/4, median (23+40)/2, p90 h=2.7 → 40 + 0.7×3
    cycle(s.sales_cycle_days, 32.0, 31.5, 42.1, 4, "salesCycleDays");

    series(
        &r,
        &[
            ("2024-01", 0.0, 0, 0, None, None, None),
            (
                "2024-02",
                12_500_000.50,
                1,
                1,
                Some(12_500_000.50),
                Some(0.5),
                None,
            ),
            // Mar = 950 000 + 4 250 000.25 + 6 000 000; growth = −1 300 000.25/12 500 000.50 × 100
            (
                "2024-03",
                11_200_000.25,
                3,
                1,
                Some(11_200_000.25 / 3.0),
                Some(0.75),
                Some(-1_300_000.25 / 12_500_000.50 * 100.0),
            ),
        ],
    );
    trend_insufficient(&r);
    let reps: [Key; 3] = [
        (
            "Budi Santoso",
            18_500_000.50,
            2,
            0,
            Some(1.0),
            1,
            15_000_000.0,
        ),
        ("Andi Wijaya", 4_250_000.25, 1, 1, Some(0.5), 0, 0.0),
        ("Siti Rahayu", 950_000.0, 1, 1, Some(0.5), 1, 3_000_000.0),
    ];
    breakdown("byRep", &r.by_rep, &reps);
    let regions: Vec<Key> = ["Jawa Barat", "Bali", "Jawa Timur"]
        .iter()
        .zip(reps)
        .map(|(region, k)| (*region, k.1, k.2, k.3, k.4, k.5, k.6))
        .collect();
    breakdown("byRegion", &r.by_region, &regions);
    breakdown(
        "byProduct",
        &r.by_product,
        &[
            ("Software", 12_500_000.50, 1, 0, Some(1.0), 2, 18_000_000.0),
            (
                "Layanan",
                950_000.0 + 6_000_000.0,
                2,
                1,
                Some(2.0 / 3.0),
                0,
                0.0,
            ),
            ("Hardware", 4_250_000.25, 1, 1, Some(0.5), 0, 0.0),
        ],
    );

    let t = table(&r, "semicolon_id.csv");
    detected(t, "deals", "utf-8 (bom)", ";", 1, 8, 8, 0);
    columns(
        t,
        &[
            ("ID Peluang", Some("id"), None),
            ("Tenaga Penjual", Some("owner"), None),
            ("Tahap", Some("stage"), None),
            ("Nilai", Some("amount"), Some("decimal comma")),
            ("Tanggal Dibuat", Some("created_date"), Some("day-first")),
            ("Tanggal Tutup", Some("close_date"), Some("day-first")),
            ("Wilayah", Some("region"), None),
            ("Produk", Some("product"), None),
        ],
    );
    // (1.200,00) on ID-006 = −1200.00
    assert_eq!(issues(t), vec![(7, "negative_amount")]);
}

#[test]
fn fixture2_utf16_tab_crlf_month_first() {
    let r = load(&["utf16_tab.txt"]);
    range(&r, "2023-12-04", "2024-02-29");
    // 1 234.50 + 3 765.50 + 500; open 10 000 + 7 250
    counts(&r, 1_234.50 + 3_765.50 + 500.0, 3, 2, 2, 17_250.0);
    let s = &r.summary;
    approx_opt(s.win_rate, Some(3.0 / 5.0), "winRate");
    approx_opt(s.avg_deal_size, Some(5_500.0 / 3.0), "avgDealSize");
    approx_opt(s.median_deal_size, Some(1_234.50), "medianDealSize");
    approx_opt(
        s.win_rate_created_cohort,
        Some(3.0 / 7.0),
        "winRateCreatedCohort",
    );
    // cycles 42, 29, 28: mean 99/3, median 29, p90 h=1.8 → 29 + 0.8×13
    cycle(s.sales_cycle_days, 33.0, 29.0, 39.4, 3, "salesCycleDays");
    series(
        &r,
        &[
            ("2023-12", 0.0, 0, 0, None, None, None),
            ("2024-01", 1_234.50, 1, 1, Some(1_234.50), Some(0.5), None),
            // 3 765.50 + 500; growth 3 031/1 234.5 × 100
            (
                "2024-02",
                4_265.50,
                2,
                1,
                Some(2_132.75),
                Some(2.0 / 3.0),
                Some(3_031.0 / 1_234.5 * 100.0),
            ),
        ],
    );
    trend_insufficient(&r);
    // "José Müller" in NFC: é = U+00E9, ü = U+00FC
    breakdown(
        "byRep",
        &r.by_rep,
        &[
            ("Ana Lim", 3_765.50, 1, 1, Some(0.5), 1, 7_250.0),
            (
                "Jos\u{e9} M\u{fc}ller",
                1_234.50 + 500.0,
                2,
                1,
                Some(2.0 / 3.0),
                1,
                10_000.0,
            ),
        ],
    );

    let t = table(&r, "utf16_tab.txt");
    detected(t, "deals", "utf-16le", "tab", 1, 7, 7, 0);
    columns(
        t,
        &[
            ("Opportunity ID", Some("id"), None),
            ("Opportunity Owner", Some("owner"), None),
            ("Stage", Some("stage"), None),
            ("Amount", Some("amount"), Some("decimal point")),
            ("Close Date", Some("close_date"), Some("month-first")),
            ("Created Date", Some("created_date"), Some("month-first")),
        ],
    );
    assert_eq!(issues(t), vec![]);
}

#[test]
fn fixture3_quoted_newlines_crlf() {
    let r = load(&["quoted_newlines.csv"]);
    range(&r, "2024-01-08", "2024-03-28");
    // 1 500 + 3 000 + 950.50 + 4 100
    counts(&r, 1_500.0 + 3_000.0 + 950.50 + 4_100.0, 4, 2, 1, 2_250.0);
    let s = &r.summary;
    approx_opt(s.win_rate, Some(4.0 / 6.0), "winRate");
    approx_opt(s.avg_deal_size, Some(9_550.50 / 4.0), "avgDealSize"); // 2 387.625
    approx_opt(
        s.median_deal_size,
        Some((1_500.0 + 3_000.0) / 2.0),
        "medianDealSize",
    );
    approx_opt(
        s.win_rate_created_cohort,
        Some(4.0 / 7.0),
        "winRateCreatedCohort",
    );
    // cycles 19, 35, 37, 37: mean 128/4, median 36, p90 h=2.7 → 37 + 0.7×0
    cycle(s.sales_cycle_days, 32.0, 36.0, 37.0, 4, "salesCycleDays");
    series(
        &r,
        &[
            ("2024-01", 0.0, 0, 0, None, None, None),
            ("2024-02", 1_500.0, 1, 1, Some(1_500.0), Some(0.5), None),
            // 3 000 + 950.50 + 4 100; growth 6 550.5/1 500 × 100
            (
                "2024-03",
                8_050.50,
                3,
                1,
                Some(8_050.50 / 3.0),
                Some(0.75),
                Some(6_550.5 / 1_500.0 * 100.0),
            ),
        ],
    );
    trend_insufficient(&r);
    breakdown(
        "byRep",
        &r.by_rep,
        &[
            (
                "Maria Garcia",
                1_500.0 + 4_100.0,
                2,
                1,
                Some(2.0 / 3.0),
                1,
                2_250.0,
            ),
            ("Tom Baker", 3_000.0 + 950.50, 2, 1, Some(2.0 / 3.0), 0, 0.0),
        ],
    );

    let t = table(&r, "quoted_newlines.csv");
    // 11 physical lines, 7 records; the `;` inside D-105's lost_reason must not sway the sniffer
    detected(t, "deals", "utf-8", ",", 1, 7, 7, 0);
    columns(
        t,
        &[
            ("amount", Some("amount"), Some("decimal point")),
            (
                "created_date",
                Some("created_date"),
                Some("iso or named month"),
            ),
            ("close_date", Some("close_date"), Some("iso or named month")),
            ("lost_reason", Some("lost_reason"), None),
        ],
    );
    assert_eq!(issues(t), vec![]);
}

/// EXPECTED §3: an issue on a multi-line record is reported at the line where it starts
/// (D-102 → line 3, D-105 → line 7). The fixture has none, so two are planted in its bytes.
#[test]
fn fixture3_issue_on_multiline_record_is_reported_at_its_first_line() {
    let text = String::from_utf8(bytes("quoted_newlines.csv")).unwrap();
    let planted = text
        .replacen("Closed Lost,800.00,", "Closed Lost,(800.00),", 1) // D-102, lines 3–4: negative
        .replacen("Closed Lost,1200,", "Closed Lost,12x0,", 1); // D-105, lines 7–9: not a number
    assert_ne!(planted, text);
    let mut wb = Workbook::new();
    wb.add_file("quoted_newlines.csv", planted.as_bytes(), None)
        .unwrap();
    let r = wb.report(&Query::default()).unwrap();
    let t = table(&r, "quoted_newlines.csv");
    assert_eq!((t.rows_read, t.rows_used, t.rows_rejected), (7, 7, 0));
    assert_eq!(issues(t), vec![(3, "negative_amount"), (7, "bad_number")]);
}

#[test]
fn fixture4_sep_line_semicolon_point_decimals() {
    let r = load(&["sep_line.csv"]);
    range(&r, "2024-04-02", "2024-05-20");
    // 1 250.75 + 2 000 + 749.25; S-3 is won without amount (counts, not money)
    counts(&r, 1_250.75 + 2_000.0 + 749.25, 4, 1, 1, 1_500.25);
    let s = &r.summary;
    approx_opt(s.win_rate, Some(4.0 / 5.0), "winRate");
    // 4 000 / 3 won deals with an amount (not 4 000/4)
    approx_opt(s.avg_deal_size, Some(4_000.0 / 3.0), "avgDealSize");
    approx_opt(s.median_deal_size, Some(1_250.75), "medianDealSize");
    approx_opt(
        s.win_rate_created_cohort,
        Some(4.0 / 6.0),
        "winRateCreatedCohort",
    );
    // cycles 14, 16, 23, 25 (S-3 counts): mean 78/4, median (16+23)/2, p90 h=2.7 → 23 + 0.7×2
    cycle(s.sales_cycle_days, 19.5, 19.5, 24.4, 4, "salesCycleDays");
    series(
        &r,
        &[
            ("2024-04", 1_250.75, 1, 1, Some(1_250.75), Some(0.5), None),
            // 2 000 + 749.25 over 2 valued wins; growth 1 498.5/1 250.75 × 100
            (
                "2024-05",
                2_749.25,
                3,
                0,
                Some(2_749.25 / 2.0),
                Some(1.0),
                Some(1_498.5 / 1_250.75 * 100.0),
            ),
        ],
    );
    trend_insufficient(&r);
    breakdown(
        "byRep",
        &r.by_rep,
        &[
            ("Marco", 2_000.0 + 749.25, 2, 1, Some(2.0 / 3.0), 0, 0.0),
            ("Lena", 1_250.75, 2, 0, Some(1.0), 1, 1_500.25),
        ],
    );

    let t = table(&r, "sep_line.csv");
    // line 1 is `sep=;`: the header is on line 2
    detected(t, "deals", "utf-8", ";", 2, 6, 6, 0);
    columns(
        t,
        &[
            ("Deal ID", Some("id"), None),
            ("Amount", Some("amount"), Some("decimal point")),
            (
                "Created Date",
                Some("created_date"),
                Some("iso or named month"),
            ),
            ("Close Date", Some("close_date"), Some("iso or named month")),
        ],
    );
    // S-3, physical line 5
    assert_eq!(issues(t), vec![(5, "won_without_amount")]);
}

#[test]
fn fixture5_hubspot_deals() {
    let r = load(&["hubspot_deals.csv"]);
    range(&r, "2024-01-09", "2024-03-28");
    // 5 000 + 12 500.50 + 2 750; open 8 000 + 4 000 + 1 500
    counts(&r, 5_000.0 + 12_500.50 + 2_750.0, 3, 2, 3, 13_500.0);
    let s = &r.summary;
    approx_opt(s.win_rate, Some(3.0 / 5.0), "winRate");
    approx_opt(s.avg_deal_size, Some(20_250.50 / 3.0), "avgDealSize");
    approx_opt(s.median_deal_size, Some(5_000.0), "medianDealSize");
    approx_opt(
        s.win_rate_created_cohort,
        Some(3.0 / 8.0),
        "winRateCreatedCohort",
    );
    // calendar-day cycles 36, 34, 27: mean 97/3, median 34, p90 h=1.8 → 34 + 0.8×2
    cycle(
        s.sales_cycle_days,
        97.0 / 3.0,
        34.0,
        35.6,
        3,
        "salesCycleDays",
    );
    series(
        &r,
        &[
            ("2024-01", 0.0, 0, 0, None, None, None),
            ("2024-02", 5_000.0, 1, 1, Some(5_000.0), Some(0.5), None),
            // 12 500.50 + 2 750; growth 10 250.5/5 000 × 100
            (
                "2024-03",
                15_250.50,
                2,
                1,
                Some(7_625.25),
                Some(2.0 / 3.0),
                Some(10_250.5 / 5_000.0 * 100.0),
            ),
        ],
    );
    trend_insufficient(&r);
    breakdown(
        "byRep",
        &r.by_rep,
        &[
            (
                "Dimas Pratama",
                12_500.50,
                1,
                1,
                Some(0.5),
                2,
                4_000.0 + 1_500.0,
            ),
            (
                "Rina Putri",
                5_000.0 + 2_750.0,
                2,
                1,
                Some(2.0 / 3.0),
                1,
                8_000.0,
            ),
        ],
    );
    breakdown(
        "bySource",
        &r.by_source,
        &[
            ("Referrals", 12_500.50, 1, 0, Some(1.0), 1, 8_000.0),
            ("Organic Search", 5_000.0, 1, 1, Some(0.5), 1, 4_000.0),
            ("Direct Traffic", 2_750.0, 1, 0, Some(1.0), 0, 0.0),
            // a closed (lost) deal and no win: 0.0, not null
            ("Paid Search", 0.0, 0, 1, Some(0.0), 1, 1_500.0),
        ],
    );

    let t = table(&r, "hubspot_deals.csv");
    detected(t, "deals", "utf-8", ",", 1, 8, 8, 0);
    columns(
        t,
        &[
            ("Record ID", Some("id"), None),
            ("Deal Name", None, None),
            ("Deal Stage", Some("stage"), None),
            ("Amount", Some("amount"), Some("decimal point")),
            ("Close Date", Some("close_date"), Some("iso or named month")),
            (
                "Create Date",
                Some("created_date"),
                Some("iso or named month"),
            ),
            ("Deal owner", Some("owner"), None),
            ("Pipeline", None, None),
            (
                "Deal probability",
                Some("probability"),
                Some("decimal point"),
            ),
            ("Original Source Type", Some("source"), None),
        ],
    );
    assert_eq!(issues(t), vec![]);
}

#[test]
fn fixture6_salesforce_opps_all_quoted_month_first() {
    let r = load(&["salesforce_opps.csv"]);
    // XyZ07 lost 3/12 is the last event; XyZ06's expected 3/29 is not one
    range(&r, "2023-12-14", "2024-03-12");
    // 12 500 + 7 250 + 3 100.50; open 20 000 + 5 500 + 2 000
    counts(&r, 12_500.0 + 7_250.0 + 3_100.50, 3, 2, 3, 27_500.0);
    let s = &r.summary;
    approx_opt(s.win_rate, Some(3.0 / 5.0), "winRate");
    approx_opt(s.avg_deal_size, Some(22_850.50 / 3.0), "avgDealSize");
    approx_opt(s.median_deal_size, Some(7_250.0), "medianDealSize");
    approx_opt(
        s.win_rate_created_cohort,
        Some(3.0 / 8.0),
        "winRateCreatedCohort",
    );
    // cycles 48, 45, 16: mean 109/3, median 45, p90 h=1.8 → 45 + 0.8×3
    cycle(
        s.sales_cycle_days,
        109.0 / 3.0,
        45.0,
        47.4,
        3,
        "salesCycleDays",
    );
    series(
        &r,
        &[
            ("2023-12", 0.0, 0, 0, None, None, None),
            ("2024-01", 12_500.0, 1, 0, Some(12_500.0), Some(1.0), None),
            (
                "2024-02",
                3_100.50,
                1,
                1,
                Some(3_100.50),
                Some(0.5),
                Some(-9_399.5 / 12_500.0 * 100.0),
            ),
            (
                "2024-03",
                7_250.0,
                1,
                1,
                Some(7_250.0),
                Some(0.5),
                Some(4_149.5 / 3_100.5 * 100.0),
            ),
        ],
    );
    // points (1, 12 500), (2, 3 100.5), (3, 7 250): slope (7 250 − 12 500)/2 = −2 625;
    // changePct = −2 625 × 3 / (22 850.5/3) × 100 = −23 625/22 850.5 × 100
    trend(&r, -2_625.0, -23_625.0 / 22_850.5 * 100.0, "shrinking", 3);
    breakdown(
        "byRep",
        &r.by_rep,
        &[
            ("Sarah Chen", 12_500.0, 1, 1, Some(0.5), 1, 20_000.0),
            ("David Kim", 7_250.0, 1, 1, Some(0.5), 1, 2_000.0),
            ("Priya Nair", 3_100.50, 1, 0, Some(1.0), 1, 5_500.0),
        ],
    );
    breakdown(
        "bySource",
        &r.by_source,
        &[
            (
                "Web",
                12_500.0 + 7_250.0,
                2,
                0,
                Some(1.0),
                2,
                5_500.0 + 2_000.0,
            ),
            ("Partner Referral", 3_100.50, 1, 1, Some(0.5), 0, 0.0),
            ("Trade Show", 0.0, 0, 1, Some(0.0), 1, 20_000.0),
        ],
    );

    let t = table(&r, "salesforce_opps.csv");
    detected(t, "deals", "utf-8", ",", 1, 8, 8, 0);
    columns(
        t,
        &[
            ("Opportunity Owner", Some("owner"), None),
            ("Account Name", Some("account"), None),
            // must not be taken for the id
            ("Opportunity Name", None, None),
            ("Opportunity ID", Some("id"), None),
            ("Stage", Some("stage"), None),
            ("Amount", Some("amount"), Some("decimal point")),
            (
                "Probability (%)",
                Some("probability"),
                Some("decimal point"),
            ),
            ("Close Date", Some("close_date"), Some("month-first")),
            ("Created Date", Some("created_date"), Some("month-first")),
            ("Lead Source", Some("source"), None),
        ],
    );
    assert_eq!(issues(t), vec![]);
}

/// Fixture 7, figures common to both variants (with and without fx rates).
#[track_caller]
fn pipedrive_common(r: &Report) {
    range(r, "2024-01-08", "2024-03-27");
    assert_eq!(
        r.query.currency.as_deref(),
        Some("EUR"),
        "report currency (EUR 8 rows vs USD 1)"
    );
    let s = &r.summary;
    assert_eq!((s.deals_won, s.deals_lost, s.deals_open), (4, 3, 2));
    approx(s.open_pipeline, 9_000.0 + 5_000.0, "openPipeline");
    approx_opt(s.win_rate, Some(4.0 / 7.0), "winRate");
    approx_opt(
        s.win_rate_created_cohort,
        Some(4.0 / 9.0),
        "winRateCreatedCohort",
    );
    // calendar-day cycles 35, 43 (42 d 18 h elapsed), 38, 44: mean 160/4, median (38+43)/2,
    // p90 h=2.7 → 43 + 0.7×1
    cycle(s.sales_cycle_days, 40.0, 40.5, 43.7, 4, "salesCycleDays");
    trend_insufficient(r);
    let t = table(r, "pipedrive_deals.csv");
    detected(t, "deals", "utf-8", ",", 1, 9, 9, 0);
    columns(
        t,
        &[
            ("Deal - ID", Some("id"), None),
            ("Deal - Title", None, None),
            ("Deal - Owner", Some("owner"), None),
            ("Deal - Value", Some("amount"), Some("decimal point")),
            ("Deal - Currency", Some("currency"), None),
            ("Deal - Status", Some("status"), None),
            (
                "Deal - Deal created",
                Some("created_date"),
                Some("iso or named month"),
            ),
            (
                "Deal - Won time",
                Some("close_date"),
                Some("iso or named month"),
            ),
            (
                "Deal - Lost time",
                Some("close_date"),
                Some("iso or named month"),
            ),
        ],
    );
}

#[test]
fn fixture7a_pipedrive_without_fx_rates() {
    let r = load(&["pipedrive_deals.csv"]);
    pipedrive_common(&r);
    // 4 500 + 3 500.50 + 7 250 EUR; deal 104 (USD, no rate) counts as won but has no value
    approx(r.summary.revenue, 4_500.0 + 3_500.50 + 7_250.0, "revenue");
    approx_opt(
        r.summary.avg_deal_size,
        Some(15_250.50 / 3.0),
        "avgDealSize",
    ); // 5 083.50
    approx_opt(r.summary.median_deal_size, Some(4_500.0), "medianDealSize");
    series(
        &r,
        &[
            ("2024-01", 0.0, 0, 0, None, None, None),
            // deal 101's won time 2024-02-12 is its close date (not the expected 2024-03-31)
            (
                "2024-02",
                4_500.0,
                1,
                2,
                Some(4_500.0),
                Some(1.0 / 3.0),
                None,
            ),
            // 3 500.50 + 7 250 (+ 104 unvalued); growth 6 250.5/4 500 × 100
            (
                "2024-03",
                10_750.50,
                3,
                1,
                Some(10_750.5 / 2.0),
                Some(0.75),
                Some(6_250.5 / 4_500.0 * 100.0),
            ),
        ],
    );
    breakdown(
        "byRep",
        &r.by_rep,
        &[
            ("Lukas Berg", 7_250.0, 1, 1, Some(0.5), 1, 5_000.0),
            ("Klaus Weber", 4_500.0, 1, 1, Some(0.5), 1, 9_000.0),
            ("Marie Dubois", 3_500.50, 2, 1, Some(2.0 / 3.0), 0, 0.0),
        ],
    );
    let dq = &r.data_quality;
    assert_eq!(dq.excluded_for_currency, 1, "USD row without a rate");
    let cur: Vec<(&str, u32, Option<f64>)> = dq
        .currencies
        .iter()
        .map(|c| (c.currency.as_str(), c.deals, c.rate))
        .collect();
    assert_eq!(
        cur,
        vec![("EUR", 8, None), ("USD", 1, None)],
        "mixed currencies EUR 8, USD 1"
    );
}

/// EXPECTED §7a: "Line 5, `Deal - Currency`: USD with no fx rate to EUR — excluded from money
/// figures" is a data-quality entry of the deals table.
#[test]
fn fixture7a_pipedrive_usd_row_without_rate_is_listed_at_line_5() {
    let r = load(&["pipedrive_deals.csv"]);
    let t = table(&r, "pipedrive_deals.csv");
    assert!(
        t.issues
            .iter()
            .any(|i| i.line == 5 && i.message.contains("USD")),
        "no data-quality entry at line 5 for the USD deal without an fx rate; issues: {:?}",
        t.issues
    );
}

#[test]
fn fixture7b_pipedrive_with_fx_rates() {
    let r = load(&["pipedrive_deals.csv", "fx_rates.csv"]);
    pipedrive_common(&r);
    // deal 104 = 6 000 USD × 0.9 = 5 400 EUR; 15 250.50 + 5 400
    approx(r.summary.revenue, 15_250.50 + 6_000.0 * 0.9, "revenue");
    approx_opt(
        r.summary.avg_deal_size,
        Some(20_650.50 / 4.0),
        "avgDealSize",
    ); // 5 162.625
    approx_opt(
        r.summary.median_deal_size,
        Some((4_500.0 + 5_400.0) / 2.0),
        "medianDealSize",
    );
    series(
        &r,
        &[
            ("2024-01", 0.0, 0, 0, None, None, None),
            (
                "2024-02",
                4_500.0,
                1,
                2,
                Some(4_500.0),
                Some(1.0 / 3.0),
                None,
            ),
            // 5 400 + 3 500.50 + 7 250; growth 11 650.5/4 500 × 100
            (
                "2024-03",
                16_150.50,
                3,
                1,
                Some(16_150.5 / 3.0),
                Some(0.75),
                Some(11_650.5 / 4_500.0 * 100.0),
            ),
        ],
    );
    // the leaderboard order changes from 7a
    breakdown(
        "byRep",
        &r.by_rep,
        &[
            (
                "Marie Dubois",
                3_500.50 + 5_400.0,
                2,
                1,
                Some(2.0 / 3.0),
                0,
                0.0,
            ),
            ("Lukas Berg", 7_250.0, 1, 1, Some(0.5), 1, 5_000.0),
            ("Klaus Weber", 4_500.0, 1, 1, Some(0.5), 1, 9_000.0),
        ],
    );
    let fx = table(&r, "fx_rates.csv");
    detected(fx, "fx_rates", "utf-8", ",", 1, 1, 1, 0);
    let dq = &r.data_quality;
    assert_eq!(dq.excluded_for_currency, 0);
    let cur: Vec<(&str, u32, Option<f64>)> = dq
        .currencies
        .iter()
        .map(|c| (c.currency.as_str(), c.deals, c.rate))
        .collect();
    assert_eq!(cur, vec![("EUR", 8, None), ("USD", 1, Some(0.9))]);
}

#[test]
fn fixture9_closed_sales_every_row_won() {
    let r = load(&["closed_sales.csv"]);
    range(&r, "2023-11-28", "2024-02-14");
    // running 2 110.50, 2 205.75, 4 505.75, 4 655.50, 6 435.90, 9 535.90, 10 176.00
    let total = 1_250.0 + 860.50 + 95.25 + 2_300.0 + 149.75 + 1_780.40 + 3_100.0 + 640.10;
    approx(total, 10_176.0, "hand total");
    counts(&r, 10_176.0, 8, 0, 0, 0.0);
    let s = &r.summary;
    approx_opt(s.win_rate, Some(1.0), "winRate");
    approx_opt(s.avg_deal_size, Some(10_176.0 / 8.0), "avgDealSize");
    approx_opt(
        s.median_deal_size,
        Some((860.50 + 1_250.0) / 2.0),
        "medianDealSize",
    );
    // no created dates: null, with a note (never 0)
    assert_eq!(s.sales_cycle_days, None);
    assert_eq!(s.win_rate_created_cohort, None);
    assert!(has_note(&r, "summary.salesCycleDays"));
    assert!(has_note(&r, "summary.winRateCreatedCohort"));
    series(
        &r,
        &[
            ("2023-11", 1_250.0, 1, 0, Some(1_250.0), Some(1.0), None),
            // 860.50 + 95.25; growth −294.25/1 250 × 100
            (
                "2023-12",
                955.75,
                2,
                0,
                Some(477.875),
                Some(1.0),
                Some(-294.25 / 1_250.0 * 100.0),
            ),
            // 2 300 + 149.75 + 1 780.40; growth 3 274.4/955.75 × 100
            (
                "2024-01",
                4_230.15,
                3,
                0,
                Some(1_410.05),
                Some(1.0),
                Some(3_274.4 / 955.75 * 100.0),
            ),
            // 3 100 + 640.10; growth −490.05/4 230.15 × 100
            (
                "2024-02",
                3_740.10,
                2,
                0,
                Some(1_870.05),
                Some(1.0),
                Some(-490.05 / 4_230.15 * 100.0),
            ),
        ],
    );
    // x̄ 1.5, ȳ 5 007.975/4 = 1 251.99375, Sxx 5, Sxy 1 396.1625 → slope 279.2325;
    // changePct = 279.2325 × 3 / 1 251.99375 × 100
    trend(
        &r,
        1396.1625 / 5.0,
        837.6975 / 1251.99375 * 100.0,
        "growing",
        4,
    );
    breakdown(
        "byRegion",
        &r.by_region,
        &[
            ("East", 860.50 + 3_100.0, 2, 0, Some(1.0), 0, 0.0),
            ("West", 1_250.0 + 2_300.0 + 149.75, 3, 0, Some(1.0), 0, 0.0),
            ("South", 1_780.40, 1, 0, Some(1.0), 0, 0.0),
            ("Central", 95.25 + 640.10, 2, 0, Some(1.0), 0, 0.0),
        ],
    );
    breakdown(
        "byProduct",
        &r.by_product,
        &[
            ("Phones", 860.50 + 2_300.0 + 640.10, 3, 0, Some(1.0), 0, 0.0),
            ("Tables", 3_100.0, 1, 0, Some(1.0), 0, 0.0),
            ("Chairs", 1_250.0 + 1_780.40, 2, 0, Some(1.0), 0, 0.0),
            ("Binders", 95.25 + 149.75, 2, 0, Some(1.0), 0, 0.0),
        ],
    );

    let t = table(&r, "closed_sales.csv");
    detected(t, "deals", "utf-8", ",", 1, 8, 8, 0);
    columns(
        t,
        &[
            ("Order ID", Some("id"), None),
            // MM-DD-YY: 11-28-23 forces month-first
            ("Order Date", Some("close_date"), Some("month-first")),
            ("Customer", Some("account"), None),
            ("Region", Some("region"), None),
            ("Product", Some("product"), None),
            ("Sales", Some("amount"), Some("decimal point")),
        ],
    );
    // The header line says every row is a won sale; CA-1004 twice (two line items): both rows kept
    assert_eq!(issues(t), vec![(1, "closed_sales"), (6, "duplicate_id")]);
}

/// EXPECTED §9: with no owner column, `byRep` is null/empty with a note, and a note says the
/// table has no stage/status (closed sales: every row won).
#[test]
fn fixture9_closed_sales_without_owner_has_no_leaderboard_and_says_why() {
    let r = load(&["closed_sales.csv"]);
    assert!(
        r.by_rep.is_empty(),
        "byRep should be empty without an owner column, got {:?}",
        r.by_rep
            .iter()
            .map(|b| (&b.name, b.revenue))
            .collect::<Vec<_>>()
    );
    assert!(
        r.notes.iter().any(|n| n.metric.starts_with("byRep")),
        "no note explains why byRep is empty; notes: {:?}",
        r.notes
    );
    let t = table(&r, "closed_sales.csv");
    let says_closed_sales = |m: &str| {
        let m = m.to_lowercase();
        m.contains("status") || m.contains("closed sales")
    };
    assert!(
        r.notes.iter().any(|n| says_closed_sales(&n.message))
            || t.issues.iter().any(|i| says_closed_sales(&i.message)),
        "no note that the table has no stage/status (every row a won deal); notes: {:?}",
        r.notes
    );
}

#[test]
fn fixture11_metrics_demo_end_to_end() {
    let r = load(&["metrics_demo.csv"]);
    range(&r, "2024-01-02", "2024-04-26");
    // M-01 1 000 + M-03 3 000 + M-05 2 000 + M-06 500 + M-07 4 000 + M-09 5 000 + M-11 3 500;
    // open M-08 2 500 + M-12 6 000
    counts(
        &r,
        1_000.0 + 3_000.0 + 2_000.0 + 500.0 + 4_000.0 + 5_000.0 + 3_500.0,
        8,
        2,
        2,
        8_500.0,
    );
    let s = &r.summary;
    approx_opt(s.win_rate, Some(8.0 / 10.0), "winRate");
    // 19 000 / 7 won deals with an amount (M-04 has none)
    approx_opt(s.avg_deal_size, Some(19_000.0 / 7.0), "avgDealSize");
    // median of 500, 1 000, 2 000, 3 000, 3 500, 4 000, 5 000
    approx_opt(s.median_deal_size, Some(3_000.0), "medianDealSize");
    approx_opt(
        s.win_rate_created_cohort,
        Some(8.0 / 12.0),
        "winRateCreatedCohort",
    );
    // cycles 18, 21, 39, 40, 42, 44, 50 (M-07's −7 excluded): mean 254/7, median 40,
    // p90 h = 5.4 → 44 + 0.4×6
    cycle(
        s.sales_cycle_days,
        254.0 / 7.0,
        40.0,
        46.4,
        7,
        "salesCycleDays",
    );
    // 2 × (19 000/7) × 0.8 / (254/7)
    approx_opt(
        s.pipeline_velocity_per_day,
        Some(2.0 * (19_000.0 / 7.0) * 0.8 / (254.0 / 7.0)),
        "velocity",
    );

    series(
        &r,
        &[
            // M-01 + M-03, lost M-02
            (
                "2024-01",
                4_000.0,
                2,
                1,
                Some(2_000.0),
                Some(2.0 / 3.0),
                None,
            ),
            // created deals but no closed deal: zero-filled; growth −100 (prev 4 000)
            ("2024-02", 0.0, 0, 0, None, None, Some(-100.0)),
            // M-05 2 000 + M-06 500 + M-07 4 000 (+ M-04 unvalued): 6 500/3; growth null (prev 0)
            (
                "2024-03",
                6_500.0,
                4,
                0,
                Some(6_500.0 / 3.0),
                Some(1.0),
                None,
            ),
            // M-09 5 000 + M-11 3 500, lost M-09 dup; growth 2 000/6 500 × 100
            (
                "2024-04",
                8_500.0,
                2,
                1,
                Some(4_250.0),
                Some(2.0 / 3.0),
                Some(2_000.0 / 6_500.0 * 100.0),
            ),
        ],
    );
    // points (0, 2 000), (2, 6 500/3), (3, 4 250): Sxx 14/3, Sxy 27 500/9 → slope 27 500/42;
    // changePct = slope × 3 / (25 250/9) × 100 = 742 500/1 060 500 × 100
    trend(
        &r,
        27_500.0 / 42.0,
        742_500.0 / 1_060_500.0 * 100.0,
        "growing",
        3,
    );
    // Bob and Carol tie at 5 500: Bob first (name)
    breakdown(
        "byRep",
        &r.by_rep,
        &[
            (
                "Alice",
                1_000.0 + 3_000.0 + 4_000.0,
                3,
                1,
                Some(0.75),
                0,
                0.0,
            ),
            ("Bob", 2_000.0 + 3_500.0, 2, 1, Some(2.0 / 3.0), 1, 2_500.0),
            ("Carol", 500.0 + 5_000.0, 3, 0, Some(1.0), 1, 6_000.0),
        ],
    );
    let avg: Vec<Option<f64>> = r.by_rep.iter().map(|b| b.avg_deal_size).collect();
    approx_opt(avg[0], Some(8_000.0 / 3.0), "Alice avgDealSize");
    approx_opt(avg[1], Some(5_500.0 / 2.0), "Bob avgDealSize");
    approx_opt(
        avg[2],
        Some(5_500.0 / 2.0),
        "Carol avgDealSize (2 valued wins)",
    );
    breakdown(
        "byProduct",
        &r.by_product,
        &[
            ("Enterprise", 4_000.0 + 5_000.0, 2, 0, Some(1.0), 1, 2_500.0),
            (
                "Pro",
                3_000.0 + 2_000.0 + 3_500.0,
                3,
                1,
                Some(0.75),
                1,
                6_000.0,
            ),
            ("Basic", 1_000.0 + 500.0, 3, 1, Some(0.75), 0, 0.0),
        ],
    );
    breakdown(
        "bySource",
        &r.by_source,
        &[
            (
                "Web",
                1_000.0 + 3_000.0 + 500.0 + 3_500.0,
                4,
                0,
                Some(1.0),
                1,
                2_500.0,
            ),
            (
                "Referral",
                2_000.0 + 5_000.0,
                2,
                1,
                Some(2.0 / 3.0),
                1,
                6_000.0,
            ),
            ("Event", 4_000.0, 2, 1, Some(2.0 / 3.0), 0, 0.0),
        ],
    );

    let t = table(&r, "metrics_demo.csv");
    detected(t, "deals", "utf-8", ",", 1, 12, 12, 0);
    columns(
        t,
        &[
            ("amount", Some("amount"), Some("decimal point")),
            (
                "created_date",
                Some("created_date"),
                Some("iso or named month"),
            ),
            ("close_date", Some("close_date"), Some("iso or named month")),
            ("product", Some("product"), None),
            ("source", Some("source"), None),
        ],
    );
    // M-04 won without amount; M-07 closed before created; M-09 duplicated (both rows kept)
    assert_eq!(
        issues(t),
        vec![
            (5, "won_without_amount"),
            (8, "close_before_create"),
            (11, "duplicate_id")
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Quotas
// ---------------------------------------------------------------------------------------------

/// A report after another on the same workbook (a range or filter
/// change in the page) reuses what the deals its filters keep say whatever
/// the range. Worked out by hand for February on metrics_demo: as of
/// 2024-04-26 (the last event), no deal closed in February; M-05, M-06 and
/// M-09 (Carol's) were created in it and all won; M-08 (Bob, Enterprise,
/// Web, 2 500) and M-12 (Carol, Pro, Referral, 6 000) are open. Alice has no
/// deal that adds to February, yet keeps her row with zeros, as do Basic
/// and Event.
#[test]
fn a_range_change_on_a_warm_workbook_keeps_every_group() {
    let mut wb = workbook(&["metrics_demo.csv"]);
    wb.report(&Query::default()).expect("whole range");
    let feb: Query =
        serde_json::from_str(r#"{"from":"2024-02-01","to":"2024-02-29"}"#).expect("query");
    let r = wb.report(&feb).expect("February");
    counts(&r, 0.0, 0, 0, 2, 8_500.0);
    approx_opt(
        r.summary.win_rate_created_cohort,
        Some(1.0),
        "created cohort",
    );
    breakdown(
        "byRep",
        &r.by_rep,
        &[
            ("Alice", 0.0, 0, 0, None, 0, 0.0),
            ("Bob", 0.0, 0, 0, None, 1, 2_500.0),
            ("Carol", 0.0, 0, 0, None, 1, 6_000.0),
        ],
    );
    breakdown(
        "byProduct",
        &r.by_product,
        &[
            ("Basic", 0.0, 0, 0, None, 0, 0.0),
            ("Enterprise", 0.0, 0, 0, None, 1, 2_500.0),
            ("Pro", 0.0, 0, 0, None, 1, 6_000.0),
        ],
    );
    breakdown(
        "bySource",
        &r.by_source,
        &[
            ("Event", 0.0, 0, 0, None, 0, 0.0),
            ("Referral", 0.0, 0, 0, None, 1, 6_000.0),
            ("Web", 0.0, 0, 0, None, 1, 2_500.0),
        ],
    );
}

/// Every report of a warm workbook, whatever came before it, is the report
/// a fresh workbook gives for the same query: ranges, filters, a currency
/// and a stage order, over sets with a roster and quotas reaching past the
/// range, stage histories (a table, and wide columns), activities, stages
/// ordered by probability, deals without a rate and deals valued at a list
/// price.
#[test]
fn a_warm_workbook_reports_what_a_fresh_one_does() {
    let queries = [
        r#"{}"#,
        r#"{"from":"2024-02-01","to":"2024-02-29"}"#,
        r#"{"from":"2024-04-01","to":"2024-06-30"}"#,
        r#"{"from":"2024-04-01","to":"2024-06-30","filters":{"rep":["Ayu Lestari","Bob"]}}"#,
        r#"{"from":"2024-01-01","to":"2024-03-31","filters":{"region":["West"]}}"#,
        r#"{"from":"2024-01-01","to":"2024-03-31","currency":"USD"}"#,
        r#"{"from":"2024-02-01","to":"2024-02-29","asOf":"2024-03-15"}"#,
        r#"{"from":"2024-01-15","to":"2024-02-15","stageOrder":["Proposal","Negotiation"]}"#,
        r#"{"from":"2024-03-01","to":"2024-03-31","filters":{"source":["Web"]}}"#,
        r#"{}"#,
    ];
    let queries: Vec<Query> = queries
        .iter()
        .map(|q| serde_json::from_str(q).expect("query"))
        .collect();
    let sets: [&[&str]; 8] = [
        &["metrics_demo.csv"],
        &[
            "funnel/leads/deals.csv",
            "funnel/leads/leads.csv",
            "funnel/leads/quotas.csv",
        ],
        &[
            "funnel/small/deals.csv",
            "funnel/small/stage_history.csv",
            "funnel/small/activities.csv",
            "funnel/small/quotas.csv",
        ],
        &["funnel/wide/deals.csv"],
        &[
            "quota_demo/deals.csv",
            "quota_demo/quotas.csv",
            "quota_demo/reps.csv",
        ],
        &["hubspot_deals.csv"],
        &["pipedrive_deals.csv"],
        &["pipedrive_deals.csv", "fx_rates.csv"],
    ];
    for set in sets {
        let mut warm = workbook(set);
        // Forwards, then backwards: each query after a different one.
        for q in queries.iter().chain(queries.iter().rev()) {
            let got = warm.report_json(q).expect("warm report");
            let want = workbook(set).report_json(q).expect("fresh report");
            assert_eq!(got, want, "{set:?} {q:?}");
        }
    }
}

#[test]
fn fixture10_quota_demo_attainment_and_roster() {
    let r = load(&[
        "quota_demo/deals.csv",
        "quota_demo/quotas.csv",
        "quota_demo/reps.csv",
    ]);
    range(&r, "2024-01-05", "2024-06-28");
    counts(&r, 104_300.0, 9, 2, 1, 5_000.0);
    let s = &r.summary;
    approx_opt(s.win_rate, Some(9.0 / 11.0), "winRate");
    approx_opt(s.avg_deal_size, Some(104_300.0 / 9.0), "avgDealSize");
    approx_opt(s.median_deal_size, Some(10_800.0), "medianDealSize");
    approx_opt(
        s.win_rate_created_cohort,
        Some(9.0 / 12.0),
        "winRateCreatedCohort",
    );
    // 27, 36, 47, 48, 59, 65, 67, 69, 74: mean 492/9, median 59, p90 h=7.2 → 69 + 0.2×5
    cycle(
        s.sales_cycle_days,
        492.0 / 9.0,
        59.0,
        70.0,
        9,
        "salesCycleDays",
    );

    let q = r.quota.as_ref().expect("quota section");
    // (rep, period) pairs: 4 reps × 2 quarters; Ayu 2023-Q4 and Bima 2024-Q3 are out of range
    let att: Vec<(&str, &str, f64, f64)> = q
        .attainments
        .iter()
        .map(|a| (a.name.as_str(), a.period.as_str(), a.quota, a.won))
        .collect();
    let expected_att = [
        ("Ayu Lestari", "2024-Q1", 20_000.0, 12_000.0 + 8_000.0, 1.00),
        ("Bima Santoso", "2024-Q1", 15_000.0, 7_500.0, 0.50),
        ("Citra Dewanti", "2024-Q1", 10_000.0, 12_000.0, 1.20),
        // Q-05 closed 2024-03-31, the last day of Q1
        ("Dewi Anggraini", "2024-Q1", 12_000.0, 10_800.0, 0.90),
        // Q-06 closed 2024-04-01, the first day of Q2
        ("Ayu Lestari", "2024-Q2", 20_000.0, 26_000.0, 1.30),
        ("Bima Santoso", "2024-Q2", 15_000.0, 15_000.0, 1.00),
        ("Citra Dewanti", "2024-Q2", 12_000.0, 9_000.0, 0.75),
        ("Dewi Anggraini", "2024-Q2", 10_000.0, 4_000.0, 0.40),
    ];
    let mut got = att.clone();
    got.sort_by(|a, b| (a.1, a.0).cmp(&(b.1, b.0)));
    let want: Vec<(&str, &str, f64, f64)> =
        expected_att.iter().map(|e| (e.0, e.1, e.2, e.3)).collect();
    assert_eq!(got, want, "attainment pairs (rep, period, quota, won)");
    for a in &q.attainments {
        let e = expected_att
            .iter()
            .find(|e| e.0 == a.name && e.1 == a.period)
            .unwrap();
        approx_opt(
            a.attainment,
            Some(e.4),
            &format!("attainment {} {}", a.name, a.period),
        );
    }
    assert_eq!(q.reps_with_quota, 8);
    // Ayu Q1 (exactly 1.0), Citra Q1, Ayu Q2, Bima Q2 (exactly 1.0)
    assert_eq!(q.reps_at_or_above_quota, 4);
    approx_opt(q.share_at_or_above, Some(4.0 / 8.0), "shareAtOrAbove");
    // Σ won (50 300 + 54 000) / Σ quota (57 000 + 57 000)
    approx_opt(
        q.team_attainment,
        Some(104_300.0 / 114_000.0),
        "teamAttainment",
    );
    approx_opt(
        s.quota_attainment,
        Some(104_300.0 / 114_000.0),
        "summary.quotaAttainment",
    );
    approx(q.quota_total, 114_000.0, "quotaTotal");
    approx(q.won_total, 104_300.0, "wonTotal");
    // default target = Σ quotas in range
    approx_opt(r.query.target, Some(114_000.0), "query.target");
    // half-open buckets; edges 0.5 → 50–80%, 1.0 → 100–120%, 1.2 → ≥120%
    let dist: Vec<(&str, u32)> = q
        .distribution
        .iter()
        .map(|b| (b.bucket.as_str(), b.count))
        .collect();
    assert_eq!(
        dist,
        vec![
            ("<50%", 1),
            ("50\u{2013}80%", 2),
            ("80\u{2013}100%", 1),
            ("100\u{2013}120%", 2),
            ("\u{2265}120%", 2)
        ]
    );
    let per: Vec<(&str, u32, u32)> = q
        .per_period
        .iter()
        .map(|p| {
            (
                p.period.as_str(),
                p.reps_with_quota,
                p.reps_at_or_above_quota,
            )
        })
        .collect();
    assert_eq!(per, vec![("2024-Q1", 4, 2), ("2024-Q2", 4, 2)]);
    approx_opt(
        q.per_period[0].share_at_or_above,
        Some(0.5),
        "2024-Q1 share (Ayu, Citra)",
    );
    approx_opt(
        q.per_period[1].share_at_or_above,
        Some(0.5),
        "2024-Q2 share (Ayu, Bima)",
    );
    approx_opt(
        q.per_period[0].attainment,
        Some(50_300.0 / 57_000.0),
        "2024-Q1 attainment",
    );
    approx_opt(
        q.per_period[1].attainment,
        Some(54_000.0 / 57_000.0),
        "2024-Q2 attainment",
    );

    series(
        &r,
        &[
            ("2024-01", 0.0, 0, 0, None, None, None),
            ("2024-02", 24_000.0, 2, 0, Some(12_000.0), Some(1.0), None),
            (
                "2024-03",
                26_300.0,
                3,
                0,
                Some(26_300.0 / 3.0),
                Some(1.0),
                Some(2_300.0 / 24_000.0 * 100.0),
            ),
            (
                "2024-04",
                26_000.0,
                1,
                1,
                Some(26_000.0),
                Some(0.5),
                Some(-300.0 / 26_300.0 * 100.0),
            ),
            (
                "2024-05",
                15_000.0,
                1,
                0,
                Some(15_000.0),
                Some(1.0),
                Some(-11_000.0 / 26_000.0 * 100.0),
            ),
            (
                "2024-06",
                13_000.0,
                2,
                1,
                Some(6_500.0),
                Some(2.0 / 3.0),
                Some(-2_000.0 / 15_000.0 * 100.0),
            ),
        ],
    );
    // slope −1 430/3, mean 40 960/3 over 5 periods with wins, n = 6:
    // changePct = (−1 430/3) × 5 / (40 960/3) × 100 = −7 150/40 960 × 100
    trend(
        &r,
        -1_430.0 / 3.0,
        -7_150.0 / 40_960.0 * 100.0,
        "shrinking",
        5,
    );

    breakdown(
        "byRep",
        &r.by_rep,
        &[
            (
                "Ayu Lestari",
                12_000.0 + 8_000.0 + 26_000.0,
                3,
                0,
                Some(1.0),
                0,
                0.0,
            ),
            (
                "Bima Santoso",
                7_500.0 + 15_000.0,
                2,
                1,
                Some(2.0 / 3.0),
                0,
                0.0,
            ),
            (
                "Citra Dewanti",
                12_000.0 + 9_000.0,
                2,
                0,
                Some(1.0),
                1,
                5_000.0,
            ),
            (
                "Dewi Anggraini",
                10_800.0 + 4_000.0,
                2,
                1,
                Some(2.0 / 3.0),
                0,
                0.0,
            ),
        ],
    );
    // team and region come from the roster (the deals have neither column)
    breakdown(
        "byTeam",
        &r.by_team,
        &[
            ("Alpha", 46_000.0 + 22_500.0, 5, 1, Some(5.0 / 6.0), 0, 0.0),
            (
                "Beta",
                21_000.0 + 14_800.0,
                4,
                1,
                Some(4.0 / 5.0),
                1,
                5_000.0,
            ),
        ],
    );
    breakdown(
        "byRegion",
        &r.by_region,
        &[
            ("West", 46_000.0 + 21_000.0, 5, 0, Some(1.0), 1, 5_000.0),
            ("East", 22_500.0 + 14_800.0, 4, 2, Some(4.0 / 6.0), 0, 0.0),
        ],
    );

    detected(
        table(&r, "quota_demo/deals.csv"),
        "deals",
        "utf-8",
        ",",
        1,
        12,
        12,
        0,
    );
    // the out-of-range quota rows are valid: used, not rejected
    detected(
        table(&r, "quota_demo/quotas.csv"),
        "quotas",
        "utf-8",
        ",",
        1,
        10,
        10,
        0,
    );
    detected(
        table(&r, "quota_demo/reps.csv"),
        "reps",
        "utf-8",
        ",",
        1,
        4,
        4,
        0,
    );
    for t in &r.data_quality.tables {
        assert_eq!(issues(t), vec![], "{}: issues", t.file);
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Chunking
// ---------------------------------------------------------------------------------------------

/// Every input fixture under tests/data (relative paths, sorted), plus the generated huge
/// field. `golden/` holds report snapshots (outputs of `tests/golden.rs`), not inputs.
fn all_fixture_files() -> Vec<String> {
    fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().into_string().unwrap();
            let rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if e.file_type().unwrap().is_dir() {
                if rel != "golden" {
                    walk(&e.path(), &rel, out);
                }
            } else if !name.ends_with(".md") && !name.ends_with(".py") {
                out.push(rel);
            }
        }
    }
    let mut v = Vec::new();
    walk(Path::new(DATA), "", &mut v);
    v.push("bad/huge_field.csv".to_string());
    v.sort();
    v.dedup();
    v
}

/// What `add_file` returned (as text) and the report JSON.
fn whole(name: &str, data: &[u8]) -> (Result<(), String>, String) {
    let mut wb = Workbook::new();
    let res = wb.add_file(name, data, None).map_err(|e| e.to_string());
    (res, wb.report_json(&Query::default()).unwrap())
}

fn chunked<'a>(
    name: &str,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> (Result<(), String>, String) {
    let mut wb = Workbook::new();
    let h = wb.begin_file(name, None);
    for c in chunks {
        wb.push(h, c).unwrap();
    }
    let res = wb.finish_file(h, None).map_err(|e| e.to_string());
    (res, wb.report_json(&Query::default()).unwrap())
}

/// Every split of `name` gives the same result as the whole file; returns the failures.
fn chunking_failures(name: &str) -> Vec<String> {
    let data = bytes(name);
    let n = data.len();
    let reference = whole(name, &data);
    let mut failures = Vec::new();
    let mut check = |what: String, got: (Result<(), String>, String)| {
        if got != reference && failures.len() < 5 {
            let first_diff = got
                .1
                .bytes()
                .zip(reference.1.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            let ctx = |s: &str| {
                s.get(first_diff.saturating_sub(120)..(first_diff + 80).min(s.len()))
                    .unwrap_or("")
                    .to_string()
            };
            failures.push(format!(
                "{name}: {what}: result {:?} vs {:?}; JSON differs near byte {first_diff}:\n--- chunked\n{}\n--- whole\n{}",
                got.0,
                reference.0,
                ctx(&got.1),
                ctx(&reference.1)
            ));
        }
    };
    // two pieces split at p: every p for a small file, ~50 spread out (plus the edges of the
    // 64 KiB sniffing window and the first bytes) for a large one
    let cuts: Vec<usize> = if n < 2048 {
        (0..=n).collect()
    } else {
        let mut c: Vec<usize> = (0..50).map(|i| i * n / 50).collect();
        c.extend([1, 2, 3, 4, 5, n - 1, n]);
        c.extend([65_535, 65_536, 65_537].into_iter().filter(|&p| p <= n));
        c.sort();
        c.dedup();
        c
    };
    for p in cuts {
        check(
            format!("split at {p}"),
            chunked(name, [&data[..p], &data[p..]]),
        );
    }
    for size in [1, 2, 3, 7, 64, 4096] {
        check(
            format!("chunks of {size}"),
            chunked(name, data.chunks(size)),
        );
    }
    // a trailing empty chunk; and, for the empty file, no chunk at all
    check(
        "whole plus empty chunk".into(),
        chunked(name, [&data[..], &[][..]]),
    );
    if n == 0 {
        check("no chunk".into(), chunked(name, std::iter::empty()));
    }
    failures
}

#[test]
fn chunked_reading_gives_byte_identical_reports_for_every_fixture() {
    let mut files = all_fixture_files();
    assert!(files.len() >= 21, "fixtures found: {files:?}");
    // largest first, so the 1 MiB file does not start last on a busy thread
    files.sort_by_key(|f| std::cmp::Reverse(bytes(f).len()));
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(f) = files.get(i) else { break };
                        out.extend(chunking_failures(f));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} chunking differences:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Bad inputs
// ---------------------------------------------------------------------------------------------

#[test]
fn bad_binary_is_a_file_error_naming_the_file() {
    let (r, res) = load_any(&["bad/binary.bin"]);
    let e = res[0]
        .as_ref()
        .expect_err("binary.bin must not be read as a table")
        .to_string();
    assert!(
        e.contains("binary.bin"),
        "error does not name the file: {e}"
    );
    let t = table(&r, "bad/binary.bin");
    let te = t.error.as_deref().expect("dataQuality error");
    assert!(
        te.contains("binary.bin"),
        "dataQuality error does not name the file: {te}"
    );
    // not sniffed as UTF-16, not parsed into garbage rows
    assert_eq!(t.table, None);
    assert_eq!((t.rows_read, t.rows_used, t.rows_rejected), (0, 0, 0));
    assert!(t.issues.is_empty());
    assert_eq!(r.query.from, None);
}

#[test]
fn bad_empty_is_an_error_naming_the_file() {
    let (r, res) = load_any(&["bad/empty.csv"]);
    let e = res[0]
        .as_ref()
        .expect_err("empty.csv must be an error")
        .to_string();
    let t = table(&r, "bad/empty.csv");
    let te = t.error.clone().expect("dataQuality error");
    assert!(
        e.to_lowercase().contains("empty"),
        "error does not say empty: {e}"
    );
    assert!(
        e.contains("empty.csv"),
        "add_file error does not name the file: {e:?}"
    );
    assert!(
        te.contains("empty.csv"),
        "dataQuality error does not name the file: {te:?}"
    );
}

#[test]
fn bad_empty_among_other_files_leaves_the_others_reported() {
    let (r, res) = load_any(&["bad/empty.csv", "metrics_demo.csv"]);
    assert!(res[0].is_err());
    assert!(res[1].is_ok());
    assert!(table(&r, "bad/empty.csv").error.is_some());
    approx(r.summary.revenue, 19_000.0, "revenue of metrics_demo.csv");
    assert_eq!(r.summary.deals_won, 8);
}

#[test]
fn bad_header_only_is_deals_with_no_rows_and_null_metrics() {
    let (r, res) = load_any(&["bad/header_only.csv"]);
    assert!(
        res[0].is_ok(),
        "header_only.csv is not an unreadable file: {:?}",
        res[0]
    );
    let t = table(&r, "bad/header_only.csv");
    assert_eq!(t.table.as_deref(), Some("deals"));
    assert_eq!((t.rows_read, t.rows_used, t.rows_rejected), (0, 0, 0));
    let says_no_rows = |m: &str| m.contains("no data rows");
    assert!(
        t.error.as_deref().is_some_and(says_no_rows)
            || r.notes.iter().any(|n| says_no_rows(&n.message)),
        "no 'no data rows' message: error {:?}, notes {:?}",
        t.error,
        r.notes
    );
    // no events: range and metrics null (with a note), not 0
    assert_eq!(
        (r.query.from.as_deref(), r.query.to.as_deref()),
        (None, None)
    );
    assert_eq!(r.summary.win_rate, None);
    assert_eq!(r.summary.avg_deal_size, None);
    assert_eq!(r.summary.sales_cycle_days, None);
    assert!(r.series.is_empty());
    assert!(!r.notes.is_empty());
}

#[test]
fn bad_unknown_kind_lists_its_headers() {
    let (r, res) = load_any(&["bad/unknown_kind.csv"]);
    assert!(
        res[0].is_ok(),
        "unknown_kind.csv is readable text: {:?}",
        res[0]
    );
    let t = table(&r, "bad/unknown_kind.csv");
    assert_eq!(t.table, None);
    let e = t.error.as_deref().expect("table kind not recognised");
    assert!(e.contains("unknown_kind.csv"), "{e}");
    assert!(
        e.contains("foo, bar, baz"),
        "headers foo, bar, baz not listed: {e}"
    );
    assert_eq!(t.rows_used, 0);
}

/// EXPECTED §12: unknown_kind.csv: "rows read 3, used 0".
#[test]
fn bad_unknown_kind_counts_its_three_rows_as_read() {
    let (r, _) = load_any(&["bad/unknown_kind.csv"]);
    let t = table(&r, "bad/unknown_kind.csv");
    assert_eq!((t.rows_read, t.rows_used), (3, 0), "rows read/used");
}

#[test]
fn bad_ragged_rows_are_reported_by_line() {
    let (r, res) = load_any(&["bad/ragged.csv"]);
    assert!(res[0].is_ok());
    let t = table(&r, "bad/ragged.csv");
    let widths: Vec<(u32, &str, bool)> = t
        .issues
        .iter()
        .filter(|i| i.code == "ragged_row" || i.code == "short_row")
        .map(|i| (i.line, i.code, i.rejected))
        .collect();
    // line 4 has 7 fields (rejected); line 5 has 5 (rejected, or padded and then a won deal
    // without close date, still listed at line 5)
    assert_eq!(widths.len(), 2, "{:?}", t.issues);
    assert_eq!(
        (widths[0].0, widths[0].1, widths[0].2),
        (4, "ragged_row", true)
    );
    assert_eq!(widths[1].0, 5);
    let m4 = &t.issues.iter().find(|i| i.line == 4).unwrap().message;
    assert!(m4.contains('7') && m4.contains('6'), "{m4}");
    let m5 = &t.issues.iter().find(|i| i.line == 5).unwrap().message;
    assert!(m5.contains('5') && m5.contains('6'), "{m5}");
    if widths[1].2 {
        assert_eq!((t.rows_read, t.rows_used, t.rows_rejected), (6, 4, 2));
    } else {
        assert_eq!((t.rows_read, t.rows_used, t.rows_rejected), (6, 5, 1));
        assert!(
            issues(t).contains(&(5, "closed_without_date")),
            "{:?}",
            t.issues
        );
    }
    // R-1 1 000 + R-6 1 200; lost R-2; open R-5 800
    counts(&r, 1_000.0 + 1_200.0, 2, 1, 1, 800.0);
}

#[test]
fn bad_stray_quote_is_reported_at_line_4() {
    let (r, res) = load_any(&["bad/stray_quote.csv"]);
    let t = table(&r, "bad/stray_quote.csv");
    let at4 = t
        .issues
        .iter()
        .find(|i| i.line == 4 && i.code == "unclosed_quote");
    match (&res[0], at4) {
        // lines 2–3 used, lines 4–6 rejected as one unterminated record
        (Ok(()), Some(i)) => {
            assert!(i.rejected);
            assert_eq!(t.rows_used, 2);
            counts(&r, 1_000.0, 1, 1, 0, 0.0);
        }
        // or the whole file rejected with that message
        (Err(e), _) => assert!(e.to_string().contains("line 4"), "{e}"),
        (Ok(()), None) => panic!("no unclosed_quote issue at line 4: {:?}", t.issues),
    }
}

/// The unterminated record spans physical lines 4–6 (the file has 6 lines).
#[test]
fn bad_stray_quote_message_names_the_right_lines() {
    let (r, _) = load_any(&["bad/stray_quote.csv"]);
    let t = table(&r, "bad/stray_quote.csv");
    let i = t
        .issues
        .iter()
        .find(|i| i.code == "unclosed_quote")
        .expect("unclosed_quote issue");
    assert!(i.message.contains("line 4"), "{}", i.message);
    // every number in the message is a line number of this 6-line file
    let numbers: Vec<u32> = i
        .message
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        numbers.iter().all(|&n| (1..=6).contains(&n)),
        "the file has 6 lines, the message says: {}",
        i.message
    );
}

#[test]
fn bad_huge_field_parses_without_truncation() {
    let data = huge_field();
    assert_eq!(data.len(), 1_048_785);
    let mut wb = Workbook::new();
    wb.add_file("bad/huge_field.csv", &data, None).unwrap();
    let r = wb.report(&Query::default()).unwrap();
    let t = table(&r, "bad/huge_field.csv");
    detected(t, "deals", "utf-8", ",", 1, 3, 3, 0);
    range(&r, "2024-01-02", "2024-02-01");
    // H-1 1 000 + H-2 2 000; lost H-3
    counts(&r, 3_000.0, 2, 1, 0, 0.0);
    approx_opt(r.summary.win_rate, Some(2.0 / 3.0), "winRate");
    // only an informational "very long field" entry is acceptable
    assert!(
        t.issues.iter().all(|i| !i.rejected && i.line == 3),
        "{:?}",
        t.issues
    );
}

#[test]
fn bad_values_are_reported_and_rows_kept() {
    let (r, res) = load_any(&["bad/bad_values.csv"]);
    assert!(res[0].is_ok());
    let t = table(&r, "bad/bad_values.csv");
    assert_eq!((t.rows_read, t.rows_used, t.rows_rejected), (6, 6, 0));
    // 15/01, 18/01, 20/01, 25/01, 14/02 decide day-first
    assert_eq!(
        column(t, "created_date").style.as_deref(),
        Some("day-first")
    );
    assert_eq!(column(t, "close_date").style.as_deref(), Some("day-first"));
    let found = issues(t);
    for want in [
        (3, "bad_number"),
        (4, "bad_date"),
        (5, "closed_without_date"),
    ] {
        assert!(found.contains(&want), "missing {want:?} in {found:?}");
    }
    let i3 = t
        .issues
        .iter()
        .find(|i| i.line == 3 && i.code == "bad_number")
        .unwrap();
    assert_eq!(i3.column.as_deref(), Some("amount"));
    let i4 = t
        .issues
        .iter()
        .find(|i| i.line == 4 && i.code == "bad_date")
        .unwrap();
    assert_eq!(i4.column.as_deref(), Some("close_date"));
    // line 6 (open, no close date) is fine
    assert!(
        t.issues
            .iter()
            .all(|i| i.line != 6 && i.line != 2 && i.line != 7),
        "{found:?}"
    );
    range(&r, "2024-01-02", "2024-02-14");
    // won B-1 1 000, B-2 (unvalued), B-6 1 200; B-3 lost cannot be placed; open B-5 900
    counts(&r, 1_000.0 + 1_200.0, 3, 0, 1, 900.0);
    approx_opt(r.summary.avg_deal_size, Some(2_200.0 / 2.0), "avgDealSize");
}

#[test]
fn row_counts_add_up_for_every_table() {
    let mut bad = Vec::new();
    for f in all_fixture_files() {
        let mut wb = Workbook::new();
        let _ = wb.add_file(&f, &bytes(&f), None);
        let r = wb.report(&Query::default()).unwrap();
        for t in &r.data_quality.tables {
            if t.rows_read != t.rows_used + t.rows_rejected {
                bad.push(format!(
                    "{}: read {} != used {} + rejected {}",
                    t.file, t.rows_read, t.rows_used, t.rows_rejected
                ));
            }
            let listed = t.issues.iter().filter(|i| i.rejected).count() as u32;
            if listed != t.rows_rejected {
                bad.push(format!(
                    "{}: {} rejected rows but {listed} listed",
                    t.file, t.rows_rejected
                ));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 5. Column-mapping and kind overrides
// ---------------------------------------------------------------------------------------------

#[test]
fn mapping_unmapping_amount_drops_money_but_keeps_counts() {
    let mut wb = workbook(&["metrics_demo.csv"]);
    wb.set_mapping("metrics_demo.csv", "amount", None).unwrap();
    let r = wb.report(&Query::default()).unwrap();
    // no amounts: revenue and pipeline 0, avg/median null; counts and rates unchanged
    counts(&r, 0.0, 8, 2, 2, 0.0);
    approx_opt(r.summary.win_rate, Some(8.0 / 10.0), "winRate");
    assert_eq!(r.summary.avg_deal_size, None);
    assert_eq!(r.summary.median_deal_size, None);
    cycle(
        r.summary.sales_cycle_days,
        254.0 / 7.0,
        40.0,
        46.4,
        7,
        "salesCycleDays",
    );
    let t = table(&r, "metrics_demo.csv");
    assert_eq!(column(t, "amount").mapped_to, None);
}

#[test]
fn mapping_owner_to_the_product_header_turns_the_leaderboard_into_products() {
    let mut wb = workbook(&["metrics_demo.csv"]);
    wb.set_mapping("metrics_demo.csv", "owner", Some("product"))
        .unwrap();
    let r = wb.report(&Query::default()).unwrap();
    // byRep now groups by the product column: the byProduct figures of fixture 11
    breakdown(
        "byRep",
        &r.by_rep,
        &[
            ("Enterprise", 4_000.0 + 5_000.0, 2, 0, Some(1.0), 1, 2_500.0),
            (
                "Pro",
                3_000.0 + 2_000.0 + 3_500.0,
                3,
                1,
                Some(0.75),
                1,
                6_000.0,
            ),
            ("Basic", 1_000.0 + 500.0, 3, 1, Some(0.75), 0, 0.0),
        ],
    );
    // the header moved: product is no longer mapped, so every deal has no product
    let t = table(&r, "metrics_demo.csv");
    assert_eq!(column(t, "product").mapped_to.as_deref(), Some("owner"));
    assert_eq!(column(t, "owner").mapped_to, None);
    assert!(
        r.by_product.iter().all(|b| b.name.is_none()),
        "{:?}",
        r.by_product
    );
    approx(r.summary.revenue, 19_000.0, "revenue unchanged");
}

#[test]
fn mapping_unmapping_created_date_moves_the_range_and_drops_the_cycle() {
    let mut wb = workbook(&["metrics_demo.csv"]);
    wb.set_mapping("metrics_demo.csv", "created_date", None)
        .unwrap();
    let r = wb.report(&Query::default()).unwrap();
    // events are now close dates only: first M-01 closed 2024-01-20, last M-11 closed 2024-04-26
    range(&r, "2024-01-20", "2024-04-26");
    // every closed deal still closes in range
    approx(r.summary.revenue, 19_000.0, "revenue");
    assert_eq!((r.summary.deals_won, r.summary.deals_lost), (8, 2));
    assert_eq!(r.summary.sales_cycle_days, None);
    assert_eq!(r.summary.win_rate_created_cohort, None);
    assert!(has_note(&r, "summary.salesCycleDays"));
    // without created dates nothing is closed before it is created
    let t = table(&r, "metrics_demo.csv");
    assert!(
        !issues(t).contains(&(8, "close_before_create")),
        "{:?}",
        t.issues
    );
}

#[test]
fn mapping_to_a_missing_header_is_reported_in_data_quality() {
    let mut wb = workbook(&["metrics_demo.csv"]);
    wb.set_mapping("metrics_demo.csv", "amount", Some("Deal Value"))
        .unwrap();
    let r = wb.report(&Query::default()).unwrap();
    let t = table(&r, "metrics_demo.csv");
    let e = t
        .error
        .as_deref()
        .expect("an error for a header that does not exist");
    assert!(e.contains("Deal Value"), "{e}");
    assert!(e.contains("metrics_demo.csv"), "{e}");
}

#[test]
fn set_kind_without_its_required_columns_names_the_requirement() {
    let mut wb = workbook(&["metrics_demo.csv"]);
    // a stage history needs deal_id, stage and entered_date: there is no entered_date
    wb.set_kind("metrics_demo.csv", Some(Kind::StageHistory))
        .unwrap();
    let r = wb.report(&Query::default()).unwrap();
    let t = table(&r, "metrics_demo.csv");
    let e = t
        .error
        .as_deref()
        .expect("an error naming the missing requirement");
    assert!(e.contains("entered_date"), "{e}");
    assert_eq!(t.rows_used, 0);
    assert_eq!(r.summary.deals_won, 0);

    // a quotas table needs a period
    wb.set_kind("metrics_demo.csv", Some(Kind::Quotas)).unwrap();
    let r = wb.report(&Query::default()).unwrap();
    let e = table(&r, "metrics_demo.csv")
        .error
        .clone()
        .expect("quotas error");
    assert!(e.contains("period"), "{e}");

    // back to detection: the figures return
    wb.set_kind("metrics_demo.csv", None).unwrap();
    let r = wb.report(&Query::default()).unwrap();
    approx(r.summary.revenue, 19_000.0, "revenue");
}

// ---------------------------------------------------------------------------------------------
// 6. Determinism
// ---------------------------------------------------------------------------------------------

#[test]
fn same_files_in_same_order_give_byte_identical_json() {
    let files = [
        "semicolon_id.csv",
        "utf16_tab.txt",
        "quoted_newlines.csv",
        "sep_line.csv",
        "hubspot_deals.csv",
        "salesforce_opps.csv",
        "pipedrive_deals.csv",
        "fx_rates.csv",
        "closed_sales.csv",
        "metrics_demo.csv",
        "quota_demo/deals.csv",
        "quota_demo/quotas.csv",
        "quota_demo/reps.csv",
        "bad/ragged.csv",
        "bad/bad_values.csv",
    ];
    let run = || {
        let mut wb = workbook(&files);
        let a = wb.report_json(&Query::default()).unwrap();
        let b = wb.report_json(&Query::default()).unwrap();
        assert_eq!(a, b, "the same workbook twice");
        a
    };
    let first = run();
    for _ in 0..3 {
        assert_eq!(run(), first, "a second workbook with the same files");
    }
    // and per fixture
    for f in files {
        let one = |f: &str| workbook(&[f]).report_json(&Query::default()).unwrap();
        assert_eq!(one(f), one(f), "{f}");
    }
}

#[test]
fn a_file_added_or_removed_after_a_report_moves_the_range_and_the_currency() {
    // The first and last event dates and the currency counts are worked out
    // once per set of files; adding or removing a file must work them out
    // again. One won deal each: June 2024 in USD, then March 2025 in EUR
    // twice (EUR becomes the most frequent currency).
    let mut wb = Workbook::new();
    let usd = "id,stage,amount,currency,created_date,close_date\nA1,Closed Won,100,USD,2024-06-01,2024-06-10\n";
    let eur = "id,stage,amount,currency,created_date,close_date\nB1,Closed Won,200,EUR,2025-03-01,2025-03-05\nB2,Closed Won,300,EUR,2025-03-02,2025-03-06\n";
    wb.add_file("usd.csv", usd.as_bytes(), None).unwrap();
    let r = wb.report(&Query::default()).unwrap();
    range(&r, "2024-06-01", "2024-06-10");
    assert_eq!(r.query.currency.as_deref(), Some("USD"));
    assert_eq!(r.summary.revenue, 100.0);
    wb.add_file("eur.csv", eur.as_bytes(), None).unwrap();
    let r = wb.report(&Query::default()).unwrap();
    range(&r, "2024-06-01", "2025-03-06");
    assert_eq!(r.query.currency.as_deref(), Some("EUR"));
    // The USD deal has no rate to EUR: counted, not summed.
    assert_eq!(r.summary.revenue, 500.0);
    assert_eq!(r.summary.deals_won, 3);
    wb.remove_file("eur.csv");
    let r = wb.report(&Query::default()).unwrap();
    range(&r, "2024-06-01", "2024-06-10");
    assert_eq!(r.query.currency.as_deref(), Some("USD"));
}

#[test]
fn leads_and_activities_added_or_removed_after_a_report_are_linked_afresh() {
    // Each lead's progress and the activities' types are worked out once
    // per set of files; adding or removing a file must work them out again.
    // One won deal, D1, from lead L1; L2 never progressed. Two calls on D1,
    // spelled two ways (one type, "Call": a tie, the first in text order).
    let deals = "id,owner,stage,amount,created_date,close_date,lead_id\nD1,Ana,Closed Won,100,2024-03-01,2024-03-10,L1\n";
    let leads = "lead_id,created_date,status\nL1,2024-02-01,lead\nL2,2024-02-02,lead\n";
    let acts = "rep,type,date,deal_id\nAna,Call,2024-03-05,D1\nAna,call,2024-03-06,D1\n";
    let funnel = |r: &Report| {
        let l = &r.leads.as_ref().expect("leads section").overall;
        (l.leads, l.mql, l.sql, l.opportunity, l.customer)
    };
    let mut wb = Workbook::new();
    wb.add_file("deals.csv", deals.as_bytes(), None).unwrap();
    let r = wb.report(&Query::default()).unwrap();
    assert!(r.leads.is_none() && r.activities.is_none());
    wb.add_file("leads.csv", leads.as_bytes(), None).unwrap();
    let r = wb.report(&Query::default()).unwrap();
    // L1 reached customer through its won deal (every level below counts
    // it too); L2 is a lead only.
    assert_eq!(funnel(&r), (2, 1, 1, 1, 1));
    assert_eq!(r.leads.as_ref().unwrap().linked_deals, 1);
    assert!(r.activities.is_none());
    wb.add_file("activities.csv", acts.as_bytes(), None)
        .unwrap();
    let r = wb.report(&Query::default()).unwrap();
    let a = r.activities.as_ref().expect("activities section");
    assert_eq!(a.count, 2);
    let types: Vec<(&str, u32)> = a
        .by_type
        .iter()
        .map(|t| (t.kind.as_str(), t.count))
        .collect();
    assert_eq!(types, [("Call", 2)]);
    assert_eq!((a.won_deals, a.linked_to_won_deals), (1, 2));
    assert_eq!(a.activities_per_won_deal, Some(2.0));
    // Without the deal, L1 is a lead only and the calls link to nothing.
    wb.remove_file("deals.csv");
    let r = wb.report(&Query::default()).unwrap();
    assert_eq!(funnel(&r), (2, 0, 0, 0, 0));
    assert_eq!(r.leads.as_ref().unwrap().linked_deals, 0);
    let a = r.activities.as_ref().expect("activities section");
    assert_eq!((a.count, a.won_deals, a.linked_to_won_deals), (2, 0, 0));
    assert_eq!(a.activities_per_won_deal, None);
    // And the calls' type is gone with them.
    wb.remove_file("activities.csv");
    let r = wb.report(&Query::default()).unwrap();
    assert!(r.activities.is_none());
    assert_eq!(funnel(&r), (2, 0, 0, 0, 0));
}

#[test]
fn a_large_closed_sales_table_says_so_once() {
    // 10,000 orders without a stage or status (typed a slice of rows at a
    // time): one "closed_sales" warning, every row a won sale.
    let mut csv = String::from("Order ID,Order Date,Sales\n");
    for i in 0..10_000 {
        csv += &format!("O{i},2024-03-{:02},10\n", 1 + i % 28);
    }
    let mut wb = Workbook::new();
    wb.add_file("orders.csv", csv.as_bytes(), None).unwrap();
    let r = wb.report(&Query::default()).unwrap();
    let t = table(&r, "orders.csv");
    assert_eq!(t.issue_counts.get("closed_sales"), Some(&1));
    assert_eq!(t.rows_used, 10_000);
    assert_eq!(r.summary.deals_won, 10_000);
    assert_eq!(r.summary.revenue, 100_000.0);
}

/// Deal `id`'s idle reason in the pipeline's stalled deals: its days and
/// threshold.
fn idle(r: &Report, id: &str) -> Option<(i64, f64)> {
    r.pipeline
        .as_ref()?
        .stalled
        .iter()
        .find(|s| s.id == id)?
        .reasons
        .iter()
        .find(|x| x.reason == "idle")
        .map(|x| (x.days, x.threshold_days))
}

#[test]
fn activities_in_any_order_link_to_their_deals_and_date_their_last_touch() {
    // The deal links and each open deal's last activity are found through
    // the activities' deal slots, worked out once per set of files; the
    // figures must not depend on the activities' order. D is listed twice
    // (won, then lost): links go to its first row. X closed before the
    // range, so its call links to nothing; O1 and O2 are open.
    let deals = "id,owner,stage,amount,created_date,close_date\n\
        W,Ana,Closed Won,1000,2024-01-01,2024-03-31\n\
        L,Ana,Closed Lost,500,2024-01-01,2024-03-31\n\
        D,Ana,Closed Won,700,2024-01-01,2024-03-20\n\
        D,Ana,Closed Lost,700,2024-01-01,2024-03-25\n\
        X,Ana,Closed Won,100,2023-01-01,2023-06-30\n\
        O1,Ana,Proposal,300,2024-01-01,\n\
        O2,Ana,Proposal,300,2024-01-01,\n";
    // Days before the close in brackets.
    let interleaved = [
        "Ana,Call,2024-03-30,W",  // W [1]: week 0, won
        "Ana,Call,2024-03-17,L",  // L [14]: week 2, lost
        "Ana,Call,2024-06-25,O1", // O1's last (the later one first)
        "Ana,Call,2024-03-19,D",  // D [1]: week 0, won (its first row)
        "Ana,Call,2024-04-01,O2", // O2's last up to asOf
        "Ana,Call,2024-03-20,W",  // W [11]: week 1, won
        "Ana,Call,2023-06-01,X",  // X closed out of range: not linked
        "Ana,Call,2024-05-01,O1",
        "Ana,Call,2024-03-06,D",  // D [14]: week 2, won
        "Ana,Call,2024-07-15,O2", // after asOf: not O2's last
        "Ana,Call,2024-03-30,L",  // L [1]: week 0, lost
    ];
    let mut by_deal = interleaved;
    by_deal.sort_by_key(|l| l.rsplit(',').next().unwrap_or(""));
    let q = Query {
        from: Some(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()),
        to: Some(chrono::NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()),
        as_of: Some(chrono::NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()),
        ..Query::default()
    };
    let mut sections = Vec::new();
    for order in [interleaved, by_deal] {
        let acts = format!("rep,type,date,deal_id\n{}\n", order.join("\n"));
        let mut wb = Workbook::new();
        wb.add_file("deals.csv", deals.as_bytes(), None).unwrap();
        wb.add_file("activities.csv", acts.as_bytes(), None)
            .unwrap();
        let r = wb.report(&q).unwrap();
        let a = r.activities.clone().expect("activities section");
        // Every call but X's (2023) and O2's after the range.
        assert_eq!(a.count, 9);
        // Won: W and D's first row; lost: L and D's second row.
        assert_eq!((a.won_deals, a.lost_deals), (2, 2));
        // W's two calls and D's two.
        assert_eq!(a.linked_to_won_deals, 4);
        assert_eq!(a.activities_per_won_deal, Some(2.0));
        let w = &a.weeks_before_close;
        // Per won deal (2) and per lost deal (2).
        assert_eq!((w[0].won, w[0].lost), (Some(1.0), Some(0.5)));
        assert_eq!((w[1].won, w[1].lost), (Some(0.5), Some(0.0)));
        assert_eq!((w[2].won, w[2].lost), (Some(0.5), Some(0.5)));
        assert_eq!((w[3].won, w[3].lost), (Some(0.0), Some(0.0)));
        // O2's last call up to asOf is 04-01: idle 90 days (threshold 30);
        // O1's is 06-25, five days before: not idle.
        assert_eq!(idle(&r, "O2"), Some((90, 30.0)));
        assert_eq!(idle(&r, "O1"), None);
        let stalled = r.pipeline.as_ref().expect("pipeline").stalled.clone();
        sections.push((a, stalled));
        // With asOf after every call (each deal's latest call is its
        // last): O2's 07-15 is 16 days before 07-31, O1's 06-25 is 36.
        let july = chrono::NaiveDate::from_ymd_opt(2024, 7, 31);
        let later = Query {
            to: july,
            as_of: july,
            ..q.clone()
        };
        let r = wb.report(&later).unwrap();
        assert_eq!(idle(&r, "O1"), Some((36, 30.0)));
        assert_eq!(idle(&r, "O2"), None);
    }
    assert_eq!(sections[0], sections[1]);
}

/// Numbered ids are kept by their number (a family per prefix and digit
/// count), others in a hash table: `D009`, `D0000009` and `9` are three
/// deals, ids written in descending order or far apart link as any others,
/// and a numbered id listed twice is reported (its links going to its first
/// row). The same whether the files are read whole or streamed in windows
/// (each window's table interned on its own, then merged).
#[test]
fn numbered_ids_are_told_apart_by_digits_and_prefix_and_link_as_written() {
    let deals = "id,owner,stage,amount,created_date,close_date\n\
        D0000009,Ana,Closed Won,100,2024-01-01,2024-03-31\n\
        D0000008,Ana,Closed Won,200,2024-01-01,2024-03-31\n\
        D009,Ana,Closed Lost,300,2024-01-01,2024-03-31\n\
        9,Ana,Closed Won,400,2024-01-01,2024-03-31\n\
        D9000000,Ana,Closed Won,800,2024-01-01,2024-03-31\n\
        D0000008,Ana,Closed Lost,200,2024-01-01,2024-03-31\n";
    // Calls in March, before every close. D0000010 and D9 name no deal.
    let acts = "rep,type,date,deal_id\n\
        Ana,Call,2024-03-01,D0000009\n\
        Ana,Call,2024-03-02,D0000008\n\
        Ana,Call,2024-03-03,D0000008\n\
        Ana,Call,2024-03-04,D009\n\
        Ana,Call,2024-03-05,9\n\
        Ana,Call,2024-03-06,9\n\
        Ana,Call,2024-03-07,9\n\
        Ana,Call,2024-03-08,D9000000\n\
        Ana,Call,2024-03-09,D0000010\n\
        Ana,Call,2024-03-10,D9\n";
    let q = Query {
        from: Some(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()),
        to: Some(chrono::NaiveDate::from_ymd_opt(2024, 3, 31).unwrap()),
        ..Query::default()
    };
    let mut reports = Vec::new();
    for window in [None, Some(64)] {
        let mut wb = Workbook::new();
        if let Some(w) = window {
            wb.set_window_bytes(w);
        }
        wb.add_file("deals.csv", deals.as_bytes(), None).unwrap();
        wb.add_file("activities.csv", acts.as_bytes(), None)
            .unwrap();
        let r = wb.report(&q).unwrap();
        // Won: D0000009, D0000008 (its first row), 9, D9000000; lost: D009
        // and D0000008's second row.
        assert_eq!((r.summary.deals_won, r.summary.deals_lost), (4, 2));
        assert_eq!(r.summary.revenue, 1500.0);
        let a = r.activities.clone().expect("activities section");
        assert_eq!(a.count, 10);
        assert_eq!((a.won_deals, a.lost_deals), (4, 2));
        // 1 + 2 + 3 + 1 calls on the won deals; D009's one on a lost deal.
        assert_eq!(a.linked_to_won_deals, 7);
        assert_eq!(a.activities_per_won_deal, Some(1.75));
        let t = r
            .data_quality
            .tables
            .iter()
            .find(|t| t.file == "deals.csv")
            .expect("deals quality");
        let dup: Vec<_> = t
            .issues
            .iter()
            .filter(|i| i.code == "duplicate_id")
            .map(|i| (i.line, i.message.clone()))
            .collect();
        assert_eq!(
            dup,
            vec![(7, "id \"D0000008\" also appears on line 3".to_string())]
        );
        reports.push(serde_json::to_string(&r).unwrap());
    }
    assert_eq!(reports[0], reports[1]);
}

#[test]
fn lead_filters_by_rep_keep_unowned_leads_and_by_source_need_one() {
    // SPEC §3 filters on the leads: a rep filter keeps the leads of the
    // chosen owners and those without an owner (nothing says whose they
    // are); a source filter keeps only leads of the chosen sources. A name
    // no file has matches nothing.
    let deals = "id,owner,stage,amount,created_date,close_date\nD1,Ana,Closed Won,100,2024-03-01,2024-03-10\n";
    let leads = "lead_id,created_date,status,owner,source\n\
        L1,2024-02-01,lead,Ana,Web\n\
        L2,2024-02-02,lead,Budi,Web\n\
        L3,2024-02-03,lead,,Referral\n\
        L4,2024-02-04,lead,Ana,\n";
    let mut wb = Workbook::new();
    wb.add_file("deals.csv", deals.as_bytes(), None).unwrap();
    wb.add_file("leads.csv", leads.as_bytes(), None).unwrap();
    let count = |wb: &mut Workbook, rep: &[&str], source: &[&str]| {
        let q = Query {
            filters: Filters {
                rep: rep.iter().map(|s| s.to_string()).collect(),
                source: source.iter().map(|s| s.to_string()).collect(),
                ..Filters::default()
            },
            ..Query::default()
        };
        let r = wb.report(&q).unwrap();
        r.leads.expect("leads section").overall.leads
    };
    assert_eq!(count(&mut wb, &[], &[]), 4);
    // L1, L4 (Ana's) and L3 (no owner).
    assert_eq!(count(&mut wb, &["Ana"], &[]), 3);
    assert_eq!(count(&mut wb, &["Nobody"], &[]), 1);
    // L1 and L2; L4 has no source.
    assert_eq!(count(&mut wb, &[], &["Web"]), 2);
    assert_eq!(count(&mut wb, &[], &["Nowhere"]), 0);
    // Both: Ana's Web lead only.
    assert_eq!(count(&mut wb, &["Ana"], &["Web"]), 1);
}

/// Deals that share their five group keys (owner, team, region, product,
/// source) are counted together and handed to their groups at the end
/// (`src/metrics/combos.rs`): every deal of such a combination must still
/// count in each breakdown, the territories' region-less deals and the
/// filters, including team and region filled in from the roster.
#[test]
fn deals_sharing_their_group_keys_each_count_in_every_breakdown() {
    // Ayu is on no roster and her deals have no region: one combination of
    // five deals, not next to each other. Budi's deals say North (his
    // roster says South: the deal's region wins) and take his roster team;
    // Citra's take region and team from the roster; Eko has no roster entry.
    let deals = "id,owner,region,product,stage,amount,created_date,close_date\n\
        1,Ayu,,Pro,Closed Won,100,2024-01-05,2024-02-10\n\
        2,Ayu,,Pro,Closed Won,300,2024-01-06,2024-02-20\n\
        3,Budi,North,Pro,Closed Lost,50,2024-01-07,2024-02-15\n\
        4,Ayu,,Pro,Closed Lost,70,2024-01-08,2024-03-01\n\
        5,Ayu,,Pro,Negotiation,200,2024-02-01,2024-06-30\n\
        6,Budi,North,Basic,Closed Won,400,2024-01-10,2024-03-10\n\
        7,Ayu,,Pro,Closed Won,500,2024-03-05,2024-04-20\n\
        8,Citra,,Basic,Closed Won,250,2024-02-01,2024-03-20\n\
        9,Budi,North,Pro,Closed Won,150,2024-02-02,2024-03-25\n\
        10,Eko,North,Pro,Closed Lost,80,2024-03-02,2024-03-28\n";
    let reps = "rep,team,region\nBudi,Farmers,South\nCitra,Hunters,West\n";
    let mut wb = Workbook::new();
    wb.add_file("deals.csv", deals.as_bytes(), None).unwrap();
    wb.add_file("reps.csv", reps.as_bytes(), None).unwrap();
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    // The first quarter, as of May: deal 7 was created in range and won
    // after it (in no figure but it matters to the report); deal 5 is open.
    let q = Query {
        from: day(2024, 1, 1),
        to: day(2024, 3, 31),
        as_of: day(2024, 5, 1),
        ..Query::default()
    };
    let r = wb.report(&q).unwrap();
    // Won in range: 1, 2, 6, 8, 9 (100 + 300 + 400 + 250 + 150); lost 3, 4, 10.
    assert_eq!((r.summary.deals_won, r.summary.deals_lost), (5, 3));
    assert_eq!(r.summary.revenue, 1200.0);
    assert_eq!((r.summary.deals_open, r.summary.open_pipeline), (1, 200.0));
    // 100 150 250 300 400.
    assert_eq!(r.summary.median_deal_size, Some(250.0));
    let row = |rows: &[Breakdown], name: Option<&str>| {
        let b = rows
            .iter()
            .find(|b| b.name.as_deref() == name)
            .unwrap_or_else(|| panic!("no row {name:?}"));
        (
            b.revenue,
            b.deals_won,
            b.deals_lost,
            b.deals_open,
            b.median_deal_size,
        )
    };
    let names = |rows: &[Breakdown]| -> Vec<Option<String>> {
        rows.iter().map(|b| b.name.clone()).collect()
    };
    // By rep, revenue first: Budi 400 + 150, Ayu 100 + 300, Citra, Eko.
    assert_eq!(
        names(&r.by_rep),
        ["Budi", "Ayu", "Citra", "Eko"].map(|n| Some(n.to_string()))
    );
    // (revenue, won, lost, open, median deal size) of each group.
    let expected = [
        (&r.by_rep, Some("Ayu"), (400.0, 2, 1, 1, Some(200.0))),
        (&r.by_rep, Some("Budi"), (550.0, 2, 1, 0, Some(275.0))),
        (&r.by_rep, Some("Eko"), (0.0, 0, 1, 0, None)),
        // Teams from the roster; Ayu's and Eko's deals have none: Ayu's
        // 400 and Eko's nothing.
        (&r.by_team, Some("Farmers"), (550.0, 2, 1, 0, Some(275.0))),
        (&r.by_team, Some("Hunters"), (250.0, 1, 0, 0, Some(250.0))),
        (&r.by_team, None, (400.0, 2, 2, 1, Some(200.0))),
        // Budi's and Eko's deals say North; Citra's West from the roster.
        (&r.by_region, Some("North"), (550.0, 2, 2, 0, Some(275.0))),
        (&r.by_region, Some("West"), (250.0, 1, 0, 0, Some(250.0))),
        (&r.by_region, None, (400.0, 2, 1, 1, Some(200.0))),
        // Basic 400 + 250 (median 325), Pro 100 + 300 + 150.
        (&r.by_product, Some("Basic"), (650.0, 2, 0, 0, Some(325.0))),
        (&r.by_product, Some("Pro"), (550.0, 3, 3, 1, Some(150.0))),
    ];
    for (i, (rows, name, want)) in expected.into_iter().enumerate() {
        assert_eq!(row(rows, name), want, "expected[{i}]: {name:?}");
    }
    assert_eq!(r.by_team.last().unwrap().name, None);
    assert_eq!(
        names(&r.by_product),
        [Some("Basic".into()), Some("Pro".into())]
    );
    let ayu = r.by_rep.iter().find(|b| b.name.as_deref() == Some("Ayu"));
    let cycle = ayu.and_then(|b| b.sales_cycle_days).unwrap();
    // 36 days (5 Jan → 10 Feb) and 45 (6 Jan → 20 Feb).
    assert_eq!((cycle.count, cycle.mean), (2, 40.5));
    let t = r.territories.as_ref().expect("territories");
    // Ayu's five deals all matter (7 only as created in range).
    assert_eq!(t.deals_without_region, 5);
    let north = t.regions.iter().find(|x| x.region == "North").unwrap();
    assert_eq!(north.rep_names, ["Budi", "Eko"]);
    assert_eq!(
        (north.revenue, north.deals_won, north.deals_lost),
        (550.0, 2, 2)
    );
    // Budi's roster region keeps him as a rep there, with no deals.
    let south = t.regions.iter().find(|x| x.region == "South").unwrap();
    assert_eq!(
        (south.rep_names.as_slice(), south.deals_won),
        (&["Budi".to_string()][..], 0)
    );

    // Filters on a team and a region only the roster gives.
    let mut filtered = |team: &[&str], region: &[&str]| {
        let mut q = q.clone();
        q.filters = Filters {
            team: team.iter().map(|s| s.to_string()).collect(),
            region: region.iter().map(|s| s.to_string()).collect(),
            ..Filters::default()
        };
        let r = wb.report(&q).unwrap();
        (
            r.summary.revenue,
            r.summary.deals_won,
            r.summary.deals_lost,
            names(&r.by_rep),
        )
    };
    let budi = vec![Some("Budi".to_string())];
    assert_eq!(filtered(&["Farmers"], &[]), (550.0, 2, 1, budi));
    let citra = vec![Some("Citra".to_string())];
    assert_eq!(filtered(&[], &["West"]), (250.0, 1, 0, citra));
    // Budi's deals say North: his roster's South keeps none of them.
    assert_eq!(filtered(&[], &["South"]).0, 0.0);
}

/// Periods that do not overlap are found by the close date's day: a leap
/// day, a year's last and first days, a period's first and last days, and a
/// deal in none of its rep's periods, each counted where it belongs.
#[test]
fn quota_periods_apart_count_each_deal_on_its_own_day() {
    let deals = "id,owner,stage,amount,created_date,close_date\n\
        A1,Ana,Closed Won,100,2024-01-02,2024-02-29\n\
        A2,Ana,Closed Won,10,2024-01-02,2024-03-01\n\
        A3,Ana,Closed Won,1000,2024-01-02,2024-12-31\n\
        A4,Ana,Closed Won,5,2024-01-02,2025-01-01\n\
        A5,Ana,Closed Won,7,2024-01-02,2024-06-15\n\
        A6,Ana,Closed Lost,3000,2024-01-02,2024-02-10\n\
        B1,Budi,Closed Won,20,2024-01-01,2024-01-01\n\
        B2,Budi,Closed Won,40,2024-01-02,2024-03-31\n\
        B3,Budi,Closed Won,80,2024-01-02,2024-04-01\n";
    let quotas = "rep,period,quota\n\
        Ana,2024-02,200\n\
        Ana,2024-Q4,2000\n\
        Ana,2025-Q1,10\n\
        Budi,2024-Q1,100\n\
        Budi,2024-Q2,100\n";
    let mut wb = Workbook::new();
    wb.add_file("deals.csv", deals.as_bytes(), None).unwrap();
    wb.add_file("quotas.csv", quotas.as_bytes(), None).unwrap();
    let r = wb.report(&Query::default()).unwrap();
    let s = r.quota.expect("quota section");
    let won: Vec<(&str, &str, f64)> = s
        .attainments
        .iter()
        .map(|a| (a.name.as_str(), a.start.as_str(), a.won))
        .collect();
    // Ana: February 2024 has its leap day (100; March 1st's 10 is in no
    // period of hers, nor June's 7; the lost 3000 never counts); her Q4
    // its last day (1000), 2025's Q1 its first (5). Budi: his Q1 its first
    // and last days (20 + 40), his Q2 its first (80).
    assert_eq!(
        won,
        [
            ("Budi", "2024-01-01", 60.0),
            ("Ana", "2024-02-01", 100.0),
            ("Budi", "2024-04-01", 80.0),
            ("Ana", "2024-10-01", 1000.0),
            ("Ana", "2025-01-01", 5.0),
        ]
    );
}

/// A rep's quota periods may overlap (a quarter and a month of it): the won
/// revenue of each is found in one pass over the won deals
/// (`WonDeals::won_each`), and a deal counts in every period it closed in.
#[test]
fn overlapping_quota_periods_each_count_every_deal_closed_in_them() {
    let deals = "id,owner,stage,amount,created_date,close_date\n\
        1,Ana,Closed Won,100,2024-01-02,2024-01-15\n\
        2,Ana,Closed Won,200,2024-01-02,2024-03-10\n\
        3,Budi,Closed Won,50,2024-01-02,2024-03-20\n\
        4,Ana,Closed Lost,999,2024-01-02,2024-03-12\n\
        5,Ana,Closed Won,800,2024-01-02,2024-03-31\n\
        6,Ana,Closed Won,400,2024-01-02,2024-04-05\n";
    // Ana's rows apart from each other; her March inside her first quarter.
    let quotas = "rep,period,quota\n\
        Ana,2024-Q1,1000\n\
        Budi,2024-Q1,100\n\
        Ana,2024-03,500\n\
        Ana,2024-Q2,800\n";
    let mut wb = Workbook::new();
    wb.add_file("deals.csv", deals.as_bytes(), None).unwrap();
    wb.add_file("quotas.csv", quotas.as_bytes(), None).unwrap();
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2024, m, d);
    let q = Query {
        from: day(1, 1),
        to: day(6, 30),
        ..Query::default()
    };
    let r = wb.report(&q).unwrap();
    let s = r.quota.expect("quota section");
    let won = |name: &str, start: &str| {
        let a = s
            .attainments
            .iter()
            .find(|a| a.name == name && a.start == start)
            .unwrap_or_else(|| panic!("no pair {name} {start}"));
        (a.won, a.attainment)
    };
    // Q1: 100 + 200 + 800 (the lost 999 never counts); March: 200 + 800;
    // Q2: 400; Budi's Q1: 50.
    assert_eq!(won("Ana", "2024-01-01"), (1100.0, Some(1.1)));
    assert_eq!(won("Ana", "2024-03-01"), (1000.0, Some(2.0)));
    assert_eq!(won("Ana", "2024-04-01"), (400.0, Some(0.5)));
    assert_eq!(won("Budi", "2024-01-01"), (50.0, Some(0.5)));
    // (1100 + 1000 + 400 + 50) / (1000 + 100 + 500 + 800).
    assert_eq!((s.won_total, s.quota_total), (2550.0, 2400.0));
    assert_eq!((s.reps_with_quota, s.reps_at_or_above_quota), (4, 2));
}

/// Adds `text` as file `name`: whole, or streamed in pieces of `piece`
/// bytes.
fn add(wb: &mut Workbook, name: &str, text: &str, piece: Option<usize>) {
    match piece {
        Some(n) => {
            let h = wb.begin_file(name, None);
            for part in text.as_bytes().chunks(n) {
                wb.push(h, part).unwrap();
            }
            wb.finish_file(h, None).unwrap();
        }
        None => wb.add_file(name, text.as_bytes(), None).unwrap(),
    }
}

/// A deal row keeps its line, not its table: the table of a deal without a
/// rate to the report currency is its run's. Two deals files, the roster
/// between them, added whole or streamed in small windows (each file then
/// typed as it streams, and moved or copied into the dataset), either
/// order: the one warning names the EUR deal's own file and line (line 44
/// of `b.csv`, after a blank line), and no other file.
#[test]
fn a_deal_without_a_rate_is_told_in_its_own_file_at_its_line() {
    let header = "id,owner,stage,amount,currency,close_date\n";
    let mut a = header.to_string();
    for i in 1..=40 {
        a += &format!("A{i},Ayu,Closed Won,{i}00,USD,2024-01-05\n");
    }
    let mut b = header.to_string();
    for i in 1..=41 {
        b += &format!("B{i},Budi,Closed Won,{i}0,USD,2024-02-01\n");
    }
    b += "\nB42,Ayu,Closed Won,500,EUR,2024-02-02\nB43,Ayu,Closed Lost,7,USD,2024-02-03\n";
    let reps = "rep,team,region\nAyu,North,Java\nBudi,South,Bali\n";
    for order in [
        ["a.csv", "reps.csv", "b.csv"],
        ["b.csv", "reps.csv", "a.csv"],
    ] {
        for streamed in [false, true] {
            let mut wb = Workbook::new();
            wb.set_window_bytes(256);
            wb.set_later_window_bytes(256);
            for name in order {
                let text = match name {
                    "a.csv" => &a,
                    "b.csv" => &b,
                    _ => reps,
                };
                add(&mut wb, name, text, streamed.then_some(97));
            }
            let r = wb.report(&Query::default()).unwrap();
            let what = format!("{order:?}, streamed: {streamed}");
            assert_eq!(r.summary.deals_won, 82, "{what}");
            assert_eq!(r.data_quality.excluded_for_currency, 1, "{what}");
            let told: Vec<(&str, u32)> = r
                .data_quality
                .tables
                .iter()
                .flat_map(|t| {
                    t.issues
                        .iter()
                        .filter(|i| i.code == "no_fx_rate")
                        .map(move |i| (t.file.as_str(), i.line))
                })
                .collect();
            assert_eq!(told, [("b.csv", 44)], "{what}");
        }
    }
}

/// A deal's value is worked out again from its row on every read (a view
/// keeps only how it is valued): amounts as written, amounts in 30 other
/// currencies at their rates (more currencies than a view has slots for),
/// and list prices, in whole-report figures and in a rep's breakdown,
/// equal the sums worked out here. Rates are multiples of 1/8 so every
/// product and sum is exact.
#[test]
fn values_in_many_currencies_and_list_prices_are_summed_exactly() {
    let mut deals = String::from("id,owner,product,stage,amount,currency,close_date\n");
    let mut fx = String::from("currency,rate\n");
    let mut revenue = 0.0;
    let mut ayu = 0.0;
    // The report currency, USD, is the most frequent: 40 deals.
    for i in 0..40 {
        let amount = 1000 + i;
        deals += &format!("U{i},Ayu,Gadget,Closed Won,{amount},USD,2024-03-01\n");
        revenue += f64::from(amount);
        ayu += f64::from(amount);
    }
    for c in 0..30u32 {
        let code = format!(
            "Q{}{}",
            (b'A' + (c / 26) as u8) as char,
            (b'A' + (c % 26) as u8) as char
        );
        let rate = 1.0 + f64::from(c) / 8.0;
        fx += &format!("{code},{rate}\n");
        let amount = 100 + c;
        let owner = if c % 2 == 0 { "Ayu" } else { "Budi" };
        deals += &format!("F{c},{owner},Gadget,Closed Won,{amount},{code},2024-03-02\n");
        revenue += f64::from(amount) * rate;
        if owner == "Ayu" {
            ayu += f64::from(amount) * rate;
        }
    }
    // No amount: valued at the product's list price.
    deals += "P1,Budi,Widget,Closed Won,,USD,2024-03-03\nP2,Ayu,Widget,Closed Won,,,2024-03-04\n";
    revenue += 2.0 * 250.0;
    ayu += 250.0;
    let products = "product,list_price\nWidget,250\nGadget,999\n";
    let mut wb = Workbook::new();
    wb.add_file("deals.csv", deals.as_bytes(), None).unwrap();
    wb.add_file("fx_rates.csv", fx.as_bytes(), None).unwrap();
    wb.add_file("products.csv", products.as_bytes(), None)
        .unwrap();
    let r = wb.report(&Query::default()).unwrap();
    assert_eq!(r.query.currency.as_deref(), Some("USD"));
    assert_eq!(r.summary.deals_won, 72);
    assert_eq!(r.summary.revenue, revenue);
    let row = r
        .by_rep
        .iter()
        .find(|b| b.name.as_deref() == Some("Ayu"))
        .expect("Ayu's row");
    assert_eq!(row.revenue, ayu);
    assert_eq!(r.data_quality.excluded_for_currency, 0);
    // A filter keeps the same values (the deals are valued again).
    let q = Query {
        filters: Filters {
            rep: vec!["Ayu".into()],
            ..Filters::default()
        },
        ..Query::default()
    };
    assert_eq!(wb.report(&q).unwrap().summary.revenue, ayu);
}

/// A repeated deal id is told with the line it was first met on in its own
/// table, and only there: ids another deals file had are not repeats, an id
/// met a third time names its first line again, and an id first met after
/// the first repeat is followed too. Whole and streamed in small windows.
#[test]
fn repeated_ids_name_their_first_line_in_their_own_table() {
    let a = "id,owner,stage,amount,close_date\n\
             X2,Ayu,Closed Won,1,2024-01-01\n\
             X1,Ayu,Closed Won,1,2024-01-01\n\
             Y1,Ayu,Closed Won,1,2024-01-01\n";
    let b = "id,owner,stage,amount,close_date\n\
             X1,Budi,Closed Won,1,2024-01-02\n\
             Y1,Budi,Closed Won,1,2024-01-02\n\
             X1,Budi,Closed Won,1,2024-01-02\n\
             Y2,Budi,Closed Won,1,2024-01-02\n\
             Y2,Budi,Closed Won,1,2024-01-02\n\
             X1,Budi,Closed Won,1,2024-01-02\n\
             Y1,Budi,Closed Won,1,2024-01-02\n";
    for streamed in [false, true] {
        let mut wb = Workbook::new();
        wb.set_window_bytes(64);
        wb.set_later_window_bytes(64);
        for (name, text) in [("a.csv", a), ("b.csv", b)] {
            add(&mut wb, name, text, streamed.then_some(23));
        }
        let r = wb.report(&Query::default()).unwrap();
        let dups = |file: &str| -> Vec<(u32, String)> {
            table(&r, file)
                .issues
                .iter()
                .filter(|i| i.code == "duplicate_id")
                .map(|i| (i.line, i.message.clone()))
                .collect()
        };
        assert_eq!(dups("a.csv"), [], "streamed: {streamed}");
        assert_eq!(
            dups("b.csv"),
            [
                (4, "id \"X1\" also appears on line 2".to_string()),
                (6, "id \"Y2\" also appears on line 5".to_string()),
                (7, "id \"X1\" also appears on line 2".to_string()),
                (8, "id \"Y1\" also appears on line 3".to_string()),
            ],
            "streamed: {streamed}"
        );
    }
}

/// A report on every deal keeps a tag a row, skipping the deals that do
/// not count (here three won deals with no dates: in no range), and one
/// with a filter lists its views: both give the figures worked out by hand
/// from the three deals that count. Three of six count, at most half: the
/// report's rows are copied from the tags' views (`kept_rows`, `rebase`).
#[test]
fn a_report_on_every_deal_skips_those_that_do_not_count_as_a_filtered_one_does() {
    let csv = "deal_id,owner,stage,amount,created_date,close_date\n\
               D1,Ayu,Closed Won,100,2025-01-05,2025-01-20\n\
               D2,Ayu,Closed Won,300,,\n\
               D3,Budi,Closed Lost,50,2025-01-10,2025-02-01\n\
               D4,Budi,Closed Won,200,,\n\
               D5,Budi,Negotiation,400,2025-02-01,\n\
               D6,Citra,Closed Won,500,,\n";
    let mut wb = Workbook::new();
    wb.add_file("deals.csv", csv.as_bytes(), None).unwrap();
    let every = wb.report(&Query::default()).unwrap();
    let mut q = Query::default();
    q.filters.rep = vec!["Ayu".into(), "Budi".into(), "Citra".into()];
    let filtered = wb.report(&q).unwrap();
    for (what, r) in [("every deal", &every), ("filtered", &filtered)] {
        // D1 won (100, a 15-day cycle), D3 lost, D5 open (400).
        counts(r, 100.0, 1, 1, 1, 400.0);
        approx_opt(r.summary.win_rate, Some(0.5), what);
        let reps: Vec<(Option<&str>, f64, u32, u32, u32)> = r
            .by_rep
            .iter()
            .map(|b| {
                (
                    b.name.as_deref(),
                    b.revenue,
                    b.deals_won,
                    b.deals_lost,
                    b.deals_open,
                )
            })
            .collect();
        assert_eq!(
            reps,
            // Citra's deals count in no range, but she is one of the
            // deals' reps: listed, with nothing.
            vec![
                (Some("Ayu"), 100.0, 1, 0, 0),
                (Some("Budi"), 0.0, 0, 1, 1),
                (Some("Citra"), 0.0, 0, 0, 0)
            ],
            "{what}"
        );
        cycle(r.summary.sales_cycle_days, 15.0, 15.0, 15.0, 1, what);
    }
    let json = |r: &Report| {
        let mut v = serde_json::to_value(r).unwrap();
        v.as_object_mut().unwrap().remove("query");
        v
    };
    assert_eq!(json(&every), json(&filtered));
}
