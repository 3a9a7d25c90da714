//! Large files are typed while they stream (a window of records at a time,
//! never the whole text); small ones are kept as text and typed whole. The
//! two paths must give the same report byte for byte: these tests lower the
//! window so every fixture streams, and compare.

use pelacak::sample::{write_file, SampleConfig, FILES};
use pelacak::{ErrorKind, Kind, Query, Workbook};

fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn list(dir: &str) -> Vec<String> {
    let full = format!("{}/tests/data/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut v: Vec<String> = std::fs::read_dir(full)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv") || n.ends_with(".txt") || n.ends_with(".xlsx"))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    v.sort();
    v
}

/// The fixture sets: every text fixture alone, and the multi-file sets together.
fn sets() -> Vec<Vec<(String, Vec<u8>)>> {
    let mut sets = Vec::new();
    let load = |names: Vec<String>| -> Vec<(String, Vec<u8>)> {
        names
            .into_iter()
            .map(|n| {
                let b = data(&n);
                (n, b)
            })
            .collect()
    };
    for f in list(".").into_iter().chain(list("bad")) {
        sets.push(load(vec![f]));
    }
    for dir in [
        "quota_demo",
        "funnel/small",
        "funnel/wide",
        "funnel/leads",
        "funnel/nohistory",
        "activity/small",
        "activity/nodur",
    ] {
        sets.push(load(list(dir)));
    }
    sets.push(load(vec![
        "pipedrive_deals.csv".into(),
        "fx_rates.csv".into(),
    ]));
    let cfg = SampleConfig {
        deals: 600,
        ..SampleConfig::default()
    };
    sets.push(
        FILES
            .iter()
            .map(|n| {
                let mut b = Vec::new();
                write_file(&cfg, n, &mut b).unwrap();
                (n.to_string(), b)
            })
            .collect(),
    );
    sets
}

/// One file of the demo data set for `deals` deals.
fn sample_file(deals: usize, name: &str) -> Vec<u8> {
    let cfg = SampleConfig {
        deals,
        ..SampleConfig::default()
    };
    let mut b = Vec::new();
    write_file(&cfg, name, &mut b).unwrap();
    b
}

fn queries() -> Vec<Query> {
    let q: Query = serde_json::from_str(
        r#"{"from":"2024-01-01","to":"2024-06-30","granularity":"week","filters":{"region":["Jakarta"]}}"#,
    )
    .unwrap();
    vec![Query::default(), q]
}

/// The report of a set read through `window` bytes, each file pushed in
/// chunks of `chunk` bytes.
fn streamed(set: &[(String, Vec<u8>)], window: Option<usize>, chunk: usize, q: &Query) -> String {
    streamed_in(set, window.map(|w| (w, w)), chunk, q, false)
}

/// [`streamed`] with the first window and the later ones of their own
/// sizes; `elsewhere`: each file tokenised by a [`Tokeniser`] and fed as
/// encoded windows, as the page's helper worker does.
fn streamed_in(
    set: &[(String, Vec<u8>)],
    windows: Option<(usize, usize)>,
    chunk: usize,
    q: &Query,
    elsewhere: bool,
) -> String {
    let mut wb = Workbook::new();
    if let Some((first, later)) = windows {
        wb.set_window_bytes(first);
        wb.set_later_window_bytes(later);
    }
    for (name, bytes) in set {
        if elsewhere {
            let h = wb.begin_file(name, None);
            let mut tk = wb.tokeniser();
            let mut sent = Vec::new();
            // Only a file the text reader refuses (a spreadsheet, binary)
            // fails here; the page then feeds it in chunks instead.
            let ok = bytes
                .chunks(chunk.max(1))
                .try_for_each(|c| tk.push(c, |mut w| sent.push(w.to_vec())))
                .and_then(|()| tk.finish(|mut w| sent.push(w.to_vec())));
            match ok {
                Ok(()) => {
                    for w in &sent {
                        wb.push_window(h, w).unwrap();
                    }
                }
                Err(_) => {
                    for c in bytes.chunks(chunk.max(1)) {
                        wb.push(h, c).unwrap();
                    }
                }
            }
            let _ = wb.finish_file(h, None);
            continue;
        }
        if chunk == 0 {
            let _ = wb.add_file(name, bytes, None);
            continue;
        }
        let h = wb.begin_file(name, None);
        for c in bytes.chunks(chunk) {
            wb.push(h, c).unwrap();
        }
        let _ = wb.finish_file(h, None);
    }
    // A file whose later values changed a decision is streamed once more.
    for name in wb.needs_reread() {
        let bytes = &set.iter().find(|(n, _)| *n == name).unwrap().1;
        let h = wb.begin_file(&name, None);
        wb.push(h, bytes).unwrap();
        wb.finish_file(h, None).unwrap();
    }
    wb.report_json(q).unwrap()
}

#[test]
fn streamed_tables_give_the_whole_table_report() {
    let mut compared = 0;
    for set in sets() {
        for q in queries() {
            let whole = streamed(&set, None, 0, &q);
            for (window, chunk) in [(1, 0), (300, 0), (1, 37), (2000, 4096)] {
                let s = streamed(&set, Some(window), chunk, &q);
                let names: Vec<&str> = set.iter().map(|(n, _)| n.as_str()).collect();
                assert!(
                    s == whole,
                    "{names:?} window {window} chunk {chunk}: the streamed report differs"
                );
                compared += 1;
            }
            // Later windows smaller than the first, in the buffers of the
            // windows typed before them (as in the browser: 16 MiB, then 1 MiB).
            for (first, later, chunk) in [(2000, 300, 4096), (300, 1, 37)] {
                let s = streamed_in(&set, Some((first, later)), chunk, &q, false);
                assert!(
                    s == whole,
                    "windows {first}/{later} chunk {chunk}: the streamed report differs"
                );
                compared += 1;
            }
            // Tokenised elsewhere (the page's helper worker), typed here;
            // the last case keeps every file whole, as text.
            for (first, later, chunk) in [(2000, 300, 4096), (300, 1, 37), (1 << 30, 1 << 30, 64)] {
                let s = streamed_in(&set, Some((first, later)), chunk, &q, true);
                assert!(
                    s == whole,
                    "tokenised elsewhere, windows {first}/{later} chunk {chunk}: the report differs"
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 250, "only {compared} comparisons");
}

/// A date column whose first rows could be read either way and whose later
/// rows are plainly day-first: the first window reads it month-first (the
/// file's locale), the whole file says day-first, so the file is read again.
fn late_day_first() -> Vec<u8> {
    let mut s = String::from("deal_id,owner,stage,amount,close_date\n");
    // 30 ambiguous rows: 01/02/2024 is 1 February day-first, 2 January month-first.
    for i in 0..30 {
        s += &format!("A{i},Ayu,Closed Won,100,01/02/2024\n");
    }
    // 40 day-first rows (25 December).
    for i in 0..40 {
        s += &format!("B{i},Budi,Closed Won,10,25/12/2024\n");
    }
    s.into_bytes()
}

fn month_revenue(json: &str, period: &str) -> f64 {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["series"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == period)
        .map(|p| p["revenue"].as_f64().unwrap())
        .unwrap_or(0.0)
}

/// A workbook that read `bytes` as `deals.csv` once, in windows of 100
/// bytes (the first of at least 21 records).
fn read_in_small_windows(bytes: &[u8]) -> Workbook {
    let mut wb = Workbook::new();
    wb.set_window_bytes(100);
    let h = wb.begin_file("deals.csv", None);
    wb.push(h, bytes).unwrap();
    wb.finish_file(h, None).unwrap();
    wb
}

#[test]
fn a_decision_tipped_by_later_rows_reads_the_file_again() {
    let bytes = late_day_first();
    let mut wb = read_in_small_windows(&bytes);
    assert_eq!(wb.needs_reread(), vec!["deals.csv".to_string()]);
    let err = wb.report(&Query::default()).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::Reread(ref n) if n == &["deals.csv".to_string()]));
    let h = wb.begin_file("deals.csv", None);
    for c in bytes.chunks(50) {
        wb.push(h, c).unwrap();
    }
    wb.finish_file(h, None).unwrap();
    assert!(wb.needs_reread().is_empty());
    let json = wb.report_json(&Query::default()).unwrap();
    // 30 × 100 in February (day-first), 40 × 10 in December.
    assert_eq!(month_revenue(&json, "2024-02"), 3000.0);
    assert_eq!(month_revenue(&json, "2024-01"), 0.0);
    assert_eq!(month_revenue(&json, "2024-12"), 400.0);
    assert!(json.contains("\"style\": \"day-first\""));
    // add_file has the bytes at hand and reads again by itself.
    let mut whole = Workbook::new();
    whole.add_file("deals.csv", &bytes, None).unwrap();
    let mut small = Workbook::new();
    small.set_window_bytes(100);
    small.add_file("deals.csv", &bytes, None).unwrap();
    assert!(small.needs_reread().is_empty());
    let q = Query::default();
    assert_eq!(
        small.report_json(&q).unwrap(),
        whole.report_json(&q).unwrap()
    );
}

/// The typing counts a deals table's date and amount cells as it reads
/// them after the first window; the rows it does not use (too many fields)
/// are counted all the same. Here only such rows are day-first and written
/// with a decimal comma: counted, they tip both columns, and the file is
/// read again, as a table read whole decides from them too.
#[test]
fn rows_not_used_in_a_later_window_still_count_for_the_styles() {
    let mut s = String::from("deal_id,owner,stage,amount,close_date\n");
    // 30 rows that read either way: 01/02/2024, whole amounts.
    for i in 0..30 {
        s += &format!("A{i},Ayu,Closed Won,100,01/02/2024\n");
    }
    // 40 rows with a sixth field: rejected, but day-first and comma-decimal.
    for i in 0..40 {
        s += &format!("B{i},Budi,Closed Won,\"1.234,50\",25/12/2024,extra\n");
    }
    let bytes = s.into_bytes();
    let mut wb = read_in_small_windows(&bytes);
    assert_eq!(wb.needs_reread(), vec!["deals.csv".to_string()]);
    let h = wb.begin_file("deals.csv", None);
    wb.push(h, &bytes).unwrap();
    wb.finish_file(h, None).unwrap();
    let json = wb.report_json(&Query::default()).unwrap();
    // The 30 used rows read day-first: 1 February; the 40 others rejected.
    assert_eq!(month_revenue(&json, "2024-02"), 3000.0);
    assert_eq!(month_revenue(&json, "2024-01"), 0.0);
    assert!(json.contains("\"style\": \"day-first\""));
    assert!(json.contains("\"style\": \"decimal comma\""));
    let t = &wb.report(&Query::default()).unwrap().data_quality.tables[0];
    assert_eq!((t.rows_used, t.rows_rejected), (30, 40));
    let mut whole = Workbook::new();
    whole.add_file("deals.csv", &bytes, None).unwrap();
    assert_eq!(json, whole.report_json(&Query::default()).unwrap());
}

#[test]
fn a_mapping_change_on_a_streamed_file_asks_for_it_again() {
    let deals = sample_file(300, "deals.csv");
    let reps = sample_file(300, "reps.csv");
    let q = Query::default();

    let mut wb = Workbook::new();
    wb.set_window_bytes(4096);
    wb.add_file("deals.csv", &deals, None).unwrap();
    wb.add_file("reps.csv", &reps, None).unwrap();
    // The roster is small and kept as text: remapping it needs nothing more.
    wb.set_mapping("reps.csv", "region", None).unwrap();
    assert!(wb.needs_reread().is_empty());
    wb.set_mapping("deals.csv", "product", None).unwrap();
    assert_eq!(wb.needs_reread(), vec!["deals.csv".to_string()]);
    assert!(wb.report(&q).is_err());
    let h = wb.begin_file("deals.csv", None);
    wb.push(h, &deals).unwrap();
    wb.finish_file(h, None).unwrap();
    // It kept its place (first) and the override.
    assert_eq!(wb.file_names(), vec!["deals.csv", "reps.csv"]);
    let streamed = wb.report_json(&q).unwrap();
    assert!(streamed.contains("\"byProduct\": []"));

    let mut whole = Workbook::new();
    whole.add_file("deals.csv", &deals, None).unwrap();
    whole.add_file("reps.csv", &reps, None).unwrap();
    whole.set_mapping("reps.csv", "region", None).unwrap();
    whole.set_mapping("deals.csv", "product", None).unwrap();
    assert_eq!(streamed, whole.report_json(&q).unwrap());

    // A kind forced on a streamed file also asks for it again.
    wb.set_kind("deals.csv", Some(Kind::Deals)).unwrap();
    assert_eq!(wb.needs_reread(), vec!["deals.csv".to_string()]);
}

/// A workbook of one sheet is typed a window at a time, as a large text
/// file is (its text never held whole), so a mapping change asks for it
/// again; one whose first column is only known at its end (a note in column
/// A of its last row, the deals from column B), and one of two sheets, are
/// read whole and kept as text. (Every .xlsx fixture's report, whole and in
/// windows, is compared in `streamed_tables_give_the_whole_table_report`.)
#[test]
fn a_one_sheet_workbook_is_typed_in_windows() {
    let q = Query::default();
    for (name, windowed) in [
        ("xlsx_one_sheet.xlsx", true),
        ("xlsx_shifted.xlsx", false),
        ("xlsx_deals.xlsx", false),
    ] {
        let bytes = data(name);
        let mut wb = Workbook::new();
        wb.set_window_bytes(40);
        wb.add_file(name, &bytes, None).unwrap();
        let before = wb.report_json(&q).unwrap();
        wb.set_mapping(name, "product", None).unwrap();
        let asked = wb.needs_reread();
        assert_eq!(asked.is_empty(), !windowed, "{name}: asked for {asked:?}");
        if windowed {
            let h = wb.begin_file(name, None);
            wb.push(h, &bytes).unwrap();
            wb.finish_file(h, None).unwrap();
        }
        assert!(wb.report(&q).is_ok(), "{name}");
        // Read whole (the default window holds the sheet), the same report.
        let mut whole = Workbook::new();
        whole.add_file(name, &bytes, None).unwrap();
        assert_eq!(before, whole.report_json(&q).unwrap(), "{name}");
    }
}

/// The first streamed table is moved into the built dataset, not copied;
/// every change hands it back first. Reports after changes must equal a
/// fresh workbook's.
#[test]
fn changes_after_a_report_hand_the_streamed_table_back_intact() {
    let cfg = SampleConfig {
        deals: 400,
        ..SampleConfig::default()
    };
    let file = |n: &str| {
        let mut b = Vec::new();
        write_file(&cfg, n, &mut b).unwrap();
        b
    };
    let (reps, deals, acts) = (file("reps.csv"), file("deals.csv"), file("activities.csv"));
    let q = Query::default();
    let fresh = |files: &[(&str, &Vec<u8>)]| {
        let mut wb = Workbook::new();
        for (n, b) in files {
            wb.add_file(n, b, None).unwrap();
        }
        wb.report_json(&q).unwrap()
    };
    let mut wb = Workbook::new();
    wb.set_window_bytes(2000);
    wb.add_file("reps.csv", &reps, None).unwrap();
    wb.add_file("deals.csv", &deals, None).unwrap();
    wb.add_file("activities.csv", &acts, None).unwrap();
    let all = [
        ("reps.csv", &reps),
        ("deals.csv", &deals),
        ("activities.csv", &acts),
    ];
    assert_eq!(wb.report_json(&q).unwrap(), fresh(&all));
    for _ in 0..2 {
        assert!(wb.remove_file("reps.csv"));
        assert_eq!(
            wb.report_json(&q).unwrap(),
            fresh(&[("deals.csv", &deals), ("activities.csv", &acts)])
        );
        wb.add_file("reps.csv", &reps, None).unwrap();
        assert_eq!(
            wb.report_json(&q).unwrap(),
            fresh(&[
                ("deals.csv", &deals),
                ("activities.csv", &acts),
                ("reps.csv", &reps)
            ])
        );
    }
    assert!(wb.remove_file("deals.csv"));
    assert_eq!(
        wb.report_json(&q).unwrap(),
        fresh(&[("activities.csv", &acts), ("reps.csv", &reps)])
    );
}

/// The probability column mapped as the amount is read as written (it
/// leaves the probability, so no percent scaling applies).
#[test]
fn a_percent_column_read_as_the_amount_is_not_scaled() {
    let csv = "id,owner,stage,amount,probability,close_date\n\
               1,Ayu,Closed Won,500,100,2024-01-05\n\
               2,Ayu,Closed Won,700,100,2024-01-06\n\
               3,Ayu,Proposal,50,40,2024-02-01\n";
    let mut wb = Workbook::new();
    wb.add_file("deals.csv", csv.as_bytes(), None).unwrap();
    wb.set_mapping("deals.csv", "amount", Some("probability"))
        .unwrap();
    let r = wb.report(&Query::default()).unwrap();
    // 100 + 100 won; the open deal's 40, weighted by the win rate 2/2.
    assert_eq!(r.summary.revenue, 200.0);
    assert_eq!(r.summary.open_pipeline, 40.0);
    assert_eq!(r.summary.weighted_pipeline, Some(40.0));
}

/// Past the limit of a streamed table (the browser's memory budget; a row
/// limit here) rows are counted and reported as not read, never dropped
/// silently.
#[test]
fn rows_past_the_limit_are_reported_not_read() {
    let bytes = late_day_first();
    let mut wb = Workbook::new();
    wb.set_window_bytes(1);
    wb.set_max_stream_rows(30);
    wb.add_file("deals.csv", &bytes, None).unwrap();
    let r = wb.report(&Query::default()).unwrap();
    let t = &r.data_quality.tables[0];
    // Windows of 22 records: header + 21 rows, then 22 (43 typed ≥ 30),
    // then lines 45..=71 (27 rows) are not read.
    assert_eq!((t.rows_read, t.rows_used, t.rows_rejected), (70, 43, 27));
    let issue = t.issues.iter().find(|i| i.code == "too_large").unwrap();
    assert_eq!(issue.line, 45);
    assert!(issue
        .message
        .starts_with("27 rows from line 45 on were not read"));
    // 30 × 100 (1 February, day-first: the 13 typed rows of 25/12 decide)
    // + 13 × 10.
    assert_eq!(r.summary.revenue, 3130.0);
    assert_eq!(r.summary.deals_won, 43);
}

/// In the browser a streamed table also stops at a memory budget: when its
/// rows and names reach it, or when taking the next window would make a
/// vector grow (old and new copies alive together) past the peak budget.
#[test]
fn memory_budgets_stop_a_table_and_report_the_rest() {
    let mut csv = String::from("close_date,amount\n");
    for i in 0..200 {
        csv += &format!("2024-03-{:02},{}\n", i % 28 + 1, 10 + i);
    }
    let read = |steady: usize, peak: usize| {
        let mut wb = Workbook::new();
        wb.set_window_bytes(1);
        wb.set_stream_budget(steady, peak);
        wb.add_file("sales.csv", csv.as_bytes(), None).unwrap();
        let r = wb.report(&Query::default()).unwrap();
        let t = r.data_quality.tables[0].clone();
        (t.rows_read, t.rows_used, t.rows_rejected, r.summary.revenue)
    };
    // The first window (header + 21 rows) is always typed: amounts 10..=30.
    let first: f64 = (10..=30).map(f64::from).sum();
    // Steady: the first window's 21 deals already pass a budget a byte
    // short of them.
    let deal = std::mem::size_of::<pelacak::tables::Deal>();
    assert_eq!(read(21 * deal - 1, usize::MAX), (200, 21, 179, first));
    // Peak: 22 more rows need the rows' chunk (capacity 32) to grow, and
    // it grows to a full chunk (see `Rows::growth_bytes`), past a
    // 3,000-byte peak. The last 3 rows would fit, but nothing after the
    // first row not read is read.
    assert_eq!(read(usize::MAX, 3000), (200, 21, 179, first));
    // Room enough: every row.
    let all: f64 = (10..210).map(f64::from).sum();
    assert_eq!(read(usize::MAX, usize::MAX), (200, 200, 0, all));
}

/// A deals file past the 64 KiB the tokeniser holds back to sniff, so its
/// windows are cut (and typed) while it streams, as in the page.
#[test]
fn windows_tokenised_elsewhere_are_typed_as_they_come() {
    let deals = sample_file(3000, "deals.csv");
    assert!(deals.len() > 200_000, "{} bytes", deals.len());
    let set = vec![("deals.csv".to_string(), deals.clone())];
    for q in queries() {
        let whole = streamed(&set, None, 0, &q);
        for (first, later) in [(60_000, 10_000), (100_000, 50_000)] {
            let mut wb = Workbook::new();
            wb.set_window_bytes(first);
            wb.set_later_window_bytes(later);
            let h = wb.begin_file("deals.csv", None);
            let mut tk = wb.tokeniser();
            let mut early = 0;
            // Every other window is copied into the file's room, as the
            // page's worker feeds them: the two feeds mix.
            let mut feed = |wb: &mut Workbook, mut w: pelacak::ingest::wire::Window<'_>| {
                let bytes = w.to_vec();
                if early % 2 == 0 {
                    wb.push_window(h, &bytes).unwrap();
                } else {
                    wb.push_window_with(h, bytes.len(), |room| room.extend_from_slice(&bytes))
                        .unwrap();
                }
                early += 1;
            };
            for c in deals.chunks(8192) {
                tk.push(c, |w| feed(&mut wb, w)).unwrap();
            }
            tk.finish(|w| feed(&mut wb, w)).unwrap();
            wb.finish_file(h, None).unwrap();
            assert!(early >= 3, "{early} windows typed while streaming");
            assert!(
                wb.report_json(&q).unwrap() == whole,
                "windows {first}/{later}: the report differs"
            );
        }
    }
}

#[test]
fn a_file_is_fed_in_windows_or_chunks_and_a_bad_window_is_its_error() {
    let mut wb = Workbook::new();
    let h = wb.begin_file("mixed.csv", None);
    wb.push(h, b"deal_id,amount\n").unwrap();
    let e = wb.push_window(h, b"PLKW\x01").unwrap_err();
    assert!(
        e.to_string().contains("either in chunks or in windows"),
        "{e}"
    );
    // And the other way round: chunks after a window.
    let h = wb.begin_file("other.csv", None);
    let mut tk = wb.tokeniser();
    let mut sent = Vec::new();
    tk.push(b"deal_id,amount\nD1,5\n", |mut w| sent.push(w.to_vec()))
        .unwrap();
    tk.finish(|mut w| sent.push(w.to_vec())).unwrap();
    wb.push_window(h, &sent[0]).unwrap();
    let e = wb.push(h, b"D2,7\n").unwrap_err();
    let text = e.to_string();
    assert!(text.contains("other.csv"), "{text}");
    assert!(text.contains("either in chunks or in windows"), "{text}");

    let h = wb.begin_file("broken.csv", None);
    let e = wb.push_window(h, b"PLKW\x01\x00").unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("broken.csv") && text.contains("malformed window"),
        "{text}"
    );
    // The file's error stays: a later window and the finish report it.
    assert!(wb.push_window(h, b"").is_err());
    let e = wb.finish_file(h, None).unwrap_err();
    assert!(e.to_string().contains("malformed window"), "{e}");
    assert!(wb.remove_file("broken.csv"));
    // The same window copied into a file's room.
    let h = wb.begin_file("broken_room.csv", None);
    let e = wb
        .push_window_with(h, 6, |room| room.extend_from_slice(b"PLKW\x01\x00"))
        .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("broken_room.csv") && text.contains("malformed window"),
        "{text}"
    );
    let e = wb.finish_file(h, None).unwrap_err();
    assert!(e.to_string().contains("malformed window"), "{e}");
    // A window no memory could hold is the file's error, never a trap:
    // nothing is copied.
    let h = wb.begin_file("huge.csv", None);
    let e = wb
        .push_window_with(h, usize::MAX - 1, |_| panic!("nothing to copy into"))
        .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("huge.csv") && text.contains("does not fit in memory"),
        "{text}"
    );
}

#[test]
fn an_abandoned_stream_adds_nothing_and_a_reread_stays_asked_for() {
    let mut wb = Workbook::new();
    wb.set_window_bytes(4096);
    let bytes = sample_file(300, "deals.csv");
    wb.add_file("deals.csv", &bytes, None).unwrap();
    let before = wb.report_json(&Query::default()).unwrap();
    // A new file abandoned half-way is not added.
    let h = wb.begin_file("other.csv", None);
    wb.push(h, &bytes[..bytes.len() / 2]).unwrap();
    assert!(wb.abandon_file(h));
    assert!(!wb.abandon_file(h));
    assert_eq!(wb.file_names(), vec!["deals.csv"]);
    assert!(wb.report_json(&Query::default()).unwrap() == before);
    // A streamed file whose kind changed must be read again; abandoning
    // its new stream leaves it asked for, with its place kept.
    wb.set_kind("deals.csv", Some(Kind::Deals)).unwrap();
    assert_eq!(wb.needs_reread(), vec!["deals.csv"]);
    let h = wb.begin_file("deals.csv", None);
    assert!(wb.abandon_file(h));
    assert_eq!(wb.needs_reread(), vec!["deals.csv"]);
    let h = wb.begin_file("deals.csv", None);
    wb.push(h, &bytes).unwrap();
    wb.finish_file(h, None).unwrap();
    assert!(wb.needs_reread().is_empty());
    // The same figures; only the kind is now marked as forced.
    let forced = before.replace("\"kindOverridden\": false", "\"kindOverridden\": true");
    assert!(forced != before);
    assert!(wb.report_json(&Query::default()).unwrap() == forced);
}

/// A small file read before a streamed one (kept as text, typed at the
/// first report) puts its rows after the streamed table's, which is moved
/// into the dataset rather than copied, unless it has rows of the same
/// kind: a small deals file before a streamed deals file keeps its deals
/// first. Both orders give a fresh workbook's report, and so does the
/// workbook after the small file is taken away and put back.
#[test]
fn a_small_file_before_a_streamed_one_keeps_the_report_of_the_files_in_order() {
    let head = "id,owner,stage,amount,created_date,close_date\n";
    // Order shows in a sum: 10^16 then fifty-nine 1s stays 10^16 (each 1
    // is half the spacing of doubles there, and the tie rounds back to
    // 10^16), where the 1s first make 59 and then 10^16 + 60.
    let small_deals = format!("{head}S1,Ana,Closed Won,10000000000000000,2024-01-02,2024-01-15\n");
    let mut big_deals = head.to_string();
    for i in 1..60 {
        let owner = ["Ana", "Budi", "Citra"][i % 3];
        big_deals.push_str(&format!(
            "D{i},{owner},Closed Won,1,2024-01-02,2024-03-{:02}\n",
            i % 28 + 1
        ));
    }
    let reps = "rep,team,region\nAna,Enterprise,North\nBudi,SMB,South\nCitra,SMB,North\n";
    let q = Query::default();
    let fresh = |files: &[(&str, &str)]| {
        let mut wb = Workbook::new();
        for (n, b) in files {
            wb.add_file(n, b.as_bytes(), None).unwrap();
        }
        wb.report_json(&q).unwrap()
    };
    let revenue = |json: &str| -> f64 {
        let r: serde_json::Value = serde_json::from_str(json).unwrap();
        r["summary"]["revenue"].as_f64().unwrap()
    };
    for first in [
        ("reps.csv", reps),
        ("small_deals.csv", small_deals.as_str()),
    ] {
        let files = [first, ("big_deals.csv", big_deals.as_str())];
        let mut wb = Workbook::new();
        // The big file is past a window: typed while it streams.
        wb.set_window_bytes(300);
        for (n, b) in &files {
            wb.add_file(n, b.as_bytes(), None).unwrap();
        }
        let got = wb.report_json(&q).unwrap();
        assert_eq!(got, fresh(&files), "{} first", first.0);
        let want = if first.0 == "reps.csv" { 59.0 } else { 1e16 };
        assert_eq!(revenue(&got), want, "{} first", first.0);
        assert!(wb.remove_file(first.0));
        assert_eq!(
            wb.report_json(&q).unwrap(),
            fresh(&[("big_deals.csv", big_deals.as_str())])
        );
        wb.add_file(first.0, first.1.as_bytes(), None).unwrap();
        let got = wb.report_json(&q).unwrap();
        assert_eq!(got, fresh(&[("big_deals.csv", big_deals.as_str()), first]));
        let want = if first.0 == "reps.csv" {
            59.0
        } else {
            1e16 + 60.0
        };
        assert_eq!(revenue(&got), want, "{} put back", first.0);
    }
}

/// A file read before the streamed deals (here the rates) keeps its
/// quality record first, and the streamed deals are moved in after it: a
/// warning about a deal (its currency has no rate) is in the deals' record,
/// on its line, streamed or not, and again after the deals are handed back
/// and moved in once more.
#[test]
fn a_deal_warned_of_is_in_its_own_files_record_when_another_file_came_first() {
    let rates = "currency,rate\nEUR,1.1\n";
    let mut deals = String::from("id,owner,stage,amount,currency,created_date,close_date\n");
    for i in 1..40 {
        deals.push_str(&format!(
            "D{i:03},Ana,Closed Won,100,EUR,2024-01-02,2024-02-{:02}\n",
            i % 28 + 1
        ));
    }
    // Line 41: the one deal in a currency with no rate.
    deals.push_str("D999,Ana,Closed Won,100,JPY,2024-01-02,2024-02-10\n");
    let files = [("fx_rates.csv", rates), ("deals.csv", deals.as_str())];
    let q = Query {
        currency: Some("USD".into()),
        ..Query::default()
    };
    let warned = |json: &str| -> Vec<(String, u64)> {
        let r: serde_json::Value = serde_json::from_str(json).unwrap();
        r["dataQuality"]["tables"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| {
                let file = t["file"].as_str().unwrap().to_string();
                t["issues"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|i| i["code"] == "no_fx_rate")
                    .map(move |i| (file.clone(), i["line"].as_u64().unwrap()))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let mut whole = Workbook::new();
    for (n, b) in files {
        whole.add_file(n, b.as_bytes(), None).unwrap();
    }
    let want = whole.report_json(&q).unwrap();
    assert_eq!(warned(&want), [("deals.csv".to_string(), 41)]);
    let mut wb = Workbook::new();
    // The deals are past a window (typed while they stream), the rates not.
    wb.set_window_bytes(300);
    for (n, b) in files {
        wb.add_file(n, b.as_bytes(), None).unwrap();
    }
    assert_eq!(wb.report_json(&q).unwrap(), want);
    // A new file after them, read whole, with a deal of no rate of its own
    // on its line 3: the deals are handed back and moved in again.
    let late = "id,owner,stage,amount,currency,created_date,close_date\n\
        L1,Budi,Closed Won,50,EUR,2024-01-03,2024-02-11\n\
        L2,Budi,Closed Won,50,GBP,2024-01-03,2024-02-12\n";
    wb.add_file("late_deals.csv", late.as_bytes(), None)
        .unwrap();
    let got = wb.report_json(&q).unwrap();
    assert_eq!(
        warned(&got),
        [
            ("deals.csv".to_string(), 41),
            ("late_deals.csv".to_string(), 3)
        ]
    );
    whole
        .add_file("late_deals.csv", late.as_bytes(), None)
        .unwrap();
    assert_eq!(got, whole.report_json(&q).unwrap());
}
