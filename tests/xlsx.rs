//! The .xlsx fixture `tests/data/xlsx_deals.xlsx` (written by `tests/data/make_xlsx.py`):
//! two sheets read as two tables, styled date serials, a raw unstyled serial and a text
//! date in the date columns, and figures worked out by hand.
//!
//! Sheet "Deals" (serial = 45292 + days since 2024-01-01):
//!
//! | id    | owner | stage       | amount | created              | close                  |
//! |-------|-------|-------------|--------|----------------------|------------------------|
//! | D-001 | Ayu   | Closed Won  | 1000   | 2024-01-02 (45293)   | 2024-01-20 (45311)     |
//! | D-002 | Budi  | Closed Won  | 2500   | 2024-01-10 (45301)   | 2024-03-15 (45366 raw) |
//! | D-003 | Ayu   | Closed Won  | 4000   | "2024-02-01" (text)  | 2024-03-28 (45379)     |
//! | D-004 | Budi  | Closed Lost | 800    | 2024-01-15 (45306)   | 2024-03-05 (45356)     |
//! | D-005 | Citra | Negotiation | 3000   | 2024-02-20 (45342)   | 2024-04-30 (45412) exp.|
//! | D-006 | Citra | Closed Lost | 1200   | 2024-01-08 (45299)   | 2024-01-25 (45316)     |
//!
//! Sheet "Quotas": Ayu 5000, Budi 2000, Citra 4000, all for 2024-Q1.
//!
//! Default query: event dates are the six created dates and the five won/lost close dates
//! (D-005's 2024-04-30 is an expected close, not an event). Earliest = 2024-01-02 (D-001
//! created), latest = 2024-03-28 (D-003 won): from = 2024-01-02, to = asOf = 2024-03-28.

use pelacak::{Query, Report, Workbook};

const NAME: &str = "xlsx_deals.xlsx";

fn bytes() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/xlsx_deals.xlsx"
    ))
    .unwrap()
}

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "{what}: got {actual}, expected {expected}"
    );
}

fn report() -> Report {
    let mut wb = Workbook::new();
    wb.add_file(NAME, &bytes(), None).unwrap();
    wb.report(&Query::default()).unwrap()
}

#[test]
fn xlsx_two_sheets_hand_figures() {
    let r = report();
    let s = &r.summary;

    // The range: earliest event D-001 created, latest event D-003 won (not D-005's 04-30).
    assert_eq!(r.query.from.as_deref(), Some("2024-01-02"), "from");
    assert_eq!(r.query.to.as_deref(), Some("2024-03-28"), "to");
    assert_eq!(r.query.as_of.as_deref(), Some("2024-03-28"), "asOf");

    // Won in range: D-001 1000 + D-002 2500 + D-003 4000 = 7500, 3 deals.
    close(s.revenue, 7500.0, "revenue");
    assert_eq!(s.deals_won, 3, "dealsWon");
    // Lost in range: D-004 (03-05) and D-006 (01-25).
    assert_eq!(s.deals_lost, 2, "dealsLost");
    // Open as of 2024-03-28: D-005 (created 02-20), 3000.
    assert_eq!(s.deals_open, 1, "dealsOpen");
    close(s.open_pipeline, 3000.0, "openPipeline");
    // 3 / (3 + 2) = 0.6.
    close(s.win_rate.expect("winRate"), 0.6, "winRate");
    // 7500 / 3 = 2500.
    close(s.avg_deal_size.expect("avgDealSize"), 2500.0, "avgDealSize");

    // Sales cycles of won deals, close − created:
    //   D-001 01-20 − 01-02 = 18; D-002 03-15 (day 74) − 01-10 (day 9) = 65;
    //   D-003 03-28 (day 87) − 02-01 (day 31, the text date) = 56.
    // Sorted [18, 56, 65]: mean 139/3 = 46.333…, median 56,
    // p90 at rank 0.9 × 2 = 1.8 → 56 + 0.8 × (65 − 56) = 63.2.
    let c = s.sales_cycle_days.as_ref().expect("salesCycleDays");
    assert_eq!(c.count, 3, "salesCycleDays.count");
    close(c.mean, 139.0 / 3.0, "salesCycleDays.mean");
    close(c.median, 56.0, "salesCycleDays.median");
    close(c.p90, 63.2, "salesCycleDays.p90");

    // Monthly series 2024-01 .. 2024-03, February zero-filled:
    //   01: D-001 won 1000, D-006 lost → revenue 1000, won 1, lost 1;
    //   02: nothing closes;
    //   03: D-002 2500 + D-003 4000 = 6500 won 2, D-004 lost → lost 1.
    let labels: Vec<&str> = r.series.iter().map(|x| x.period.as_str()).collect();
    assert_eq!(labels, ["2024-01", "2024-02", "2024-03"], "series periods");
    let expected = [(1000.0, 1, 1), (0.0, 0, 0), (6500.0, 2, 1)];
    for (row, (rev, won, lost)) in r.series.iter().zip(expected) {
        close(row.revenue, rev, &format!("series {} revenue", row.period));
        assert_eq!(row.deals_won, won, "series {} dealsWon", row.period);
        assert_eq!(row.deals_lost, lost, "series {} dealsLost", row.period);
    }
    // Averages and win rates per month: 1000 and 1/2; none in February; 6500/2 = 3250 and 2/3.
    close(r.series[0].avg_deal_size.unwrap(), 1000.0, "2024-01 avg");
    close(r.series[0].win_rate.unwrap(), 0.5, "2024-01 winRate");
    assert_eq!(r.series[1].avg_deal_size, None, "2024-02 avg");
    assert_eq!(r.series[1].win_rate, None, "2024-02 winRate");
    close(r.series[2].avg_deal_size.unwrap(), 3250.0, "2024-03 avg");
    close(r.series[2].win_rate.unwrap(), 2.0 / 3.0, "2024-03 winRate");

    // Quota, 2024-Q1 (overlaps the range), won with close date in Q1:
    //   Ayu   D-001 1000 + D-003 4000 = 5000 / 5000 = 1.0  (at quota: counts as at or above)
    //   Budi  D-002 2500              = 2500 / 2000 = 1.25
    //   Citra nothing won             =    0 / 4000 = 0.0
    // team = 7500 / 11000 = 15/22 = 0.681818…; reps at or above quota: Ayu, Budi = 2 of 3.
    let q = r.quota.as_ref().expect("quota section");
    assert_eq!(q.reps_with_quota, 3, "repsWithQuota");
    assert_eq!(q.reps_at_or_above_quota, 2, "repsAtOrAboveQuota");
    close(
        q.team_attainment.expect("teamAttainment"),
        7500.0 / 11000.0,
        "teamAttainment",
    );
    close(
        s.quota_attainment.expect("summary.quotaAttainment"),
        7500.0 / 11000.0,
        "summary.quotaAttainment",
    );
    assert_eq!(q.attainments.len(), 3, "attainments");
    for (name, quota, won, att) in [
        ("Ayu", 5000.0, 5000.0, 1.0),
        ("Budi", 2000.0, 2500.0, 1.25),
        ("Citra", 4000.0, 0.0, 0.0),
    ] {
        let a = q
            .attainments
            .iter()
            .find(|a| a.name == name)
            .unwrap_or_else(|| panic!("no attainment for {name}"));
        assert_eq!(a.period, "2024-Q1", "{name} period");
        close(a.quota, quota, &format!("{name} quota"));
        close(a.won, won, &format!("{name} won"));
        close(
            a.attainment.expect("attainment"),
            att,
            &format!("{name} attainment"),
        );
    }

    // Data quality: one table per sheet, both read from the xlsx container, nothing rejected.
    let t = &r.data_quality.tables;
    assert_eq!(t.len(), 2, "tables: {t:#?}");
    for (tq, sheet, kind, rows) in [(&t[0], "Deals", "deals", 6), (&t[1], "Quotas", "quotas", 3)] {
        assert_eq!(tq.file, NAME);
        assert_eq!(tq.sheet.as_deref(), Some(sheet), "sheet name");
        assert_eq!(tq.table.as_deref(), Some(kind), "{sheet}: table kind");
        assert_eq!(tq.encoding.as_deref(), Some("xlsx"), "{sheet}: encoding");
        assert_eq!(tq.error, None, "{sheet}: error");
        assert_eq!(tq.rows_read, rows, "{sheet}: rows read");
        assert_eq!(tq.rows_used, rows, "{sheet}: rows used");
        assert_eq!(
            tq.rows_rejected, 0,
            "{sheet}: rows rejected: {:#?}",
            tq.issues
        );
    }
}

#[test]
fn xlsx_streamed_in_chunks_matches_whole_file() {
    let bytes = bytes();
    assert!(bytes.len() > 2000, "the fixture should span several chunks");

    let mut whole = Workbook::new();
    whole.add_file(NAME, &bytes, None).unwrap();
    let expected = whole.report_json(&Query::default()).unwrap();

    let mut wb = Workbook::new();
    let h = wb.begin_file(NAME, None);
    for chunk in bytes.chunks(1000) {
        wb.push(h, chunk).unwrap();
    }
    wb.finish_file(h, None).unwrap();
    let streamed = wb.report_json(&Query::default()).unwrap();
    assert_eq!(streamed, expected);
}

#[test]
fn xlsx_truncated_is_an_error_naming_the_file() {
    let bytes = bytes();
    let half = &bytes[..bytes.len() / 2];
    let mut wb = Workbook::new();
    let err = wb
        .add_file(NAME, half, None)
        .expect_err("a truncated workbook must not be read");
    let msg = err.to_string();
    assert!(msg.starts_with(NAME), "error should name the file: {msg}");
    // The file is still listed, with its error, and the report is still built.
    let r = wb.report(&Query::default()).unwrap();
    let t = &r.data_quality.tables;
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].file, NAME);
    assert!(t[0].error.is_some(), "the table should carry the error");
}

/// A spreadsheet's rows are told as its sheets are read: each sheet's rows
/// read and the rows its `<dimension>` declares (Deals A1:F7, the header and
/// six deals; Quotas A1:C4), once at the end of each (far below the rows
/// between two calls); a sheet that declares no dimension (the layout
/// fixture's) is told its rows with no total.
#[test]
fn xlsx_rows_are_told_as_they_are_read() {
    let mut told = Vec::new();
    let mut wb = Workbook::new();
    let h = wb.begin_file(NAME, None);
    wb.push(h, &bytes()).unwrap();
    wb.finish_file_told(h, None, &mut |rows, of| told.push((rows, of)))
        .unwrap();
    assert_eq!(told, [(7, Some(7)), (4, Some(4))]);

    let layout = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/xlsx_layout.xlsx"
    ))
    .unwrap();
    let mut told = Vec::new();
    let h = wb.begin_file("xlsx_layout.xlsx", None);
    wb.push(h, &layout).unwrap();
    wb.finish_file_told(h, None, &mut |rows, of| told.push((rows, of)))
        .unwrap();
    // Offset: rows 3, 4, 5 (an empty string is a cell), 6 and 7; Shuffled
    // is out of order, read through the grid, which tells its records (2)
    // once read.
    assert_eq!(told, [(5, None), (2, None)]);
}
