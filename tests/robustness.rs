//! No input panics the engine: thousands of generated near-CSV files mixing
//! real headers, unicode, delimiters, quotes, dates and numbers in every
//! style must each give a report or an error value, and the same report
//! whether the file is typed whole or window by window while it streams.
//! The inputs come from a fixed-seed generator, so a failure reproduces.

use pelacak::{Kind, Query, Workbook};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const HEADERS: &[&str] = &[
    "id",
    "owner",
    "stage",
    "status",
    "amount",
    "created_date",
    "close_date",
    "region",
    "product",
    "source",
    "probability",
    "currency",
    "lead_id",
    "deal_id",
    "entered_date",
    "rep",
    "type",
    "date",
    "duration",
    "quota",
    "period",
    "team",
    "manager",
    "list_price",
    "rate",
    "mql_date",
    "sql_date",
    "first_response_at",
    "Date entered \"Proposal (P)\"",
    "İstanbul date",
    "Tanggal Tutup",
    "Nilai",
    "Deal - Won time",
    "ß",
    "",
];
const CELLS: &[&str] = &[
    "",
    "Closed Won",
    "Closed Lost",
    "Menang",
    "open",
    "1,234.50",
    "1.234,50",
    "(1,200)",
    "Rp 5.000",
    "$12",
    "12%",
    "abc",
    "2024-03-07",
    "07/03/2024",
    "03/13/2024",
    "31/02/2024",
    "7 Maret 2024",
    "45358",
    "2024-Q1",
    "FY2025-Q2",
    "Mar 2024",
    "1:30",
    "\"quoted, field\"",
    "\"multi\nline\"",
    "\"",
    "İİİ",
    "😀",
    "-",
    "0",
    "1e309",
    "99999999999999999999",
    "Call",
    "Meeting",
    "Ayu",
    "Budi",
    "Jakarta",
];

#[test]
fn generated_inputs_never_panic() {
    let mut rng = Rng(20261126);
    for case in 0..1500 {
        let delim = rng.pick(&[",", ";", "\t", "|"]);
        let cols = 1 + (rng.next() % 8) as usize;
        let mut text = String::new();
        if rng.next() % 10 == 0 {
            text.push_str("sep=;\n");
        }
        let header: Vec<&str> = (0..cols).map(|_| rng.pick(HEADERS)).collect();
        text.push_str(&header.join(delim));
        text.push('\n');
        // Up to 39 rows: past 21 a file can be typed window by window.
        for _ in 0..(rng.next() % 40) {
            let width = if rng.next() % 7 == 0 { cols + 1 } else { cols };
            let row: Vec<&str> = (0..width).map(|_| rng.pick(CELLS)).collect();
            text.push_str(&row.join(delim));
            text.push_str(if rng.next() % 2 == 0 { "\n" } else { "\r\n" });
        }
        let mut bytes = text.into_bytes();
        if rng.next() % 8 == 0 && !bytes.is_empty() {
            let i = (rng.next() % bytes.len() as u64) as usize;
            bytes[i] = (rng.next() % 256) as u8;
        }
        let kind = match rng.next() % 10 {
            0 => Some(Kind::Deals),
            1 => Some(Kind::Quotas),
            2 => Some(Kind::Activities),
            _ => None,
        };
        let name = format!("case{case}.csv");
        let mut wb = Workbook::new();
        let _ = wb.add_file(&name, &bytes, kind);
        // The same file typed while it streams, in windows of 22 records.
        let mut streamed = Workbook::new();
        streamed.set_window_bytes(1);
        let _ = streamed.add_file(&name, &bytes, kind);
        let mut q = Query::default();
        if rng.next() % 3 == 0 {
            q.granularity = pelacak::period::Granularity::Week;
            q.fiscal_year_start_month = Some(4);
            q.target = Some(1000.0);
        }
        let report = wb.report(&q).expect("a valid query always gives a report");
        // Every row is used or rejected, in every table.
        for t in &report.data_quality.tables {
            assert_eq!(
                t.rows_read,
                t.rows_used + t.rows_rejected,
                "case {case}: {}",
                t.file
            );
        }
        let json = serde_json::to_string(&report).expect("the report serialises");
        let other = streamed
            .report(&q)
            .expect("a valid query always gives a report");
        assert_eq!(
            serde_json::to_string(&other).unwrap(),
            json,
            "case {case}: the streamed report differs"
        );
    }
}

/// A file read as UTF-8 (its first 64 KiB are) in which, later, a field
/// ends in the first byte of a two-byte character and the next field
/// begins with the second: invalid input, whose bytes are replaced and
/// reported, in each field. It panicked: without the comma the two bytes
/// are `é`, so the record's text was valid while a field ended inside it.
#[test]
fn a_character_split_by_a_delimiter_is_replaced_not_a_panic() {
    let mut bytes = b"deal_id,owner,stage,amount,close_date\n".to_vec();
    // About 120 KB: the encoding is sniffed from the first 64 KiB.
    for i in 0..4000 {
        bytes.extend(format!("D{i},Andr\u{e9},Won,100,2024-01-02\n").bytes());
    }
    bytes.extend(b"X1,A\xC3,\xA9Won,100,2024-01-02\n");
    bytes.extend(b"X2,Budi,Won,5,2024-01-03\n");
    let q = Query::default();
    let mut reports = Vec::new();
    // Read whole, in windows, and tokenised elsewhere as the page's helper does.
    for (window, elsewhere) in [(None, false), (Some(1), false), (Some(1), true)] {
        let mut wb = Workbook::new();
        if let Some(w) = window {
            wb.set_window_bytes(w);
        }
        if elsewhere {
            let h = wb.begin_file("deals.csv", None);
            let mut tk = wb.tokeniser();
            let mut sent = Vec::new();
            tk.push(&bytes, |mut w| sent.push(w.to_vec())).unwrap();
            tk.finish(|mut w| sent.push(w.to_vec())).unwrap();
            for w in &sent {
                wb.push_window(h, w).unwrap();
            }
            wb.finish_file(h, None).unwrap();
        } else {
            wb.add_file("deals.csv", &bytes, None).unwrap();
        }
        let r = wb.report(&q).unwrap();
        let t = &r.data_quality.tables[0];
        assert_eq!((t.rows_read, t.rows_used), (4002, 4002));
        let line = t.issues.iter().find(|i| i.line == 4002).unwrap();
        assert!(line.message.contains("not valid UTF-8"), "{}", line.message);
        // "A" and the replacement character: the owner of the split row.
        let reps: Vec<_> = r.by_rep.iter().map(|b| b.name.clone()).collect();
        assert!(reps.contains(&Some("A\u{fffd}".to_string())), "{reps:?}");
        // Its stage, "\u{fffd}Won", still has the word "won": every deal is won.
        assert_eq!(r.summary.deals_won, 4002);
        assert_eq!(r.summary.revenue, 4001.0 * 100.0 + 5.0);
        reports.push(serde_json::to_string(&r).unwrap());
    }
    assert_eq!(reports[0], reports[1]);
    assert_eq!(reports[0], reports[2]);
}
