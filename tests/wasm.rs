//! The WebAssembly build gives the native report, byte for byte, through
//! the same `Workbook` class the page uses. Runs in Node and in headless
//! Chromium (`scripts/test-wasm.sh`).
#![cfg(target_arch = "wasm32")]

use pelacak::wasm::JsWorkbook;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

macro_rules! fixture {
    ($p:literal) => {
        (
            $p,
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/", $p)).as_slice(),
        )
    };
}

/// (name, fixture files with their bytes, the native golden report).
type Case = (
    &'static str,
    Vec<(&'static str, &'static [u8])>,
    &'static str,
);

fn cases() -> Vec<Case> {
    macro_rules! golden {
        ($n:literal) => {
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/data/golden/",
                $n,
                ".json"
            ))
        };
    }
    vec![
        (
            "metrics_demo",
            vec![fixture!("metrics_demo.csv")],
            golden!("metrics_demo"),
        ),
        (
            "semicolon_id",
            vec![fixture!("semicolon_id.csv")],
            golden!("semicolon_id"),
        ),
        (
            "utf16_tab",
            vec![fixture!("utf16_tab.txt")],
            golden!("utf16_tab"),
        ),
        (
            "quota_demo",
            vec![
                fixture!("quota_demo/deals.csv"),
                fixture!("quota_demo/quotas.csv"),
                fixture!("quota_demo/reps.csv"),
            ],
            golden!("quota_demo"),
        ),
        (
            "pipedrive_fx",
            vec![fixture!("pipedrive_deals.csv"), fixture!("fx_rates.csv")],
            golden!("pipedrive_fx"),
        ),
    ]
}

/// A workbook with a case's files added whole, in order.
fn workbook(files: &[(&str, &[u8])]) -> JsWorkbook {
    let mut wb = JsWorkbook::new();
    for (f, bytes) in files {
        wb.add_file(f, bytes, None).unwrap();
    }
    wb
}

#[wasm_bindgen_test]
fn wasm_report_json_equals_native_golden() {
    for (name, files, golden) in cases() {
        let mut wb = workbook(&files);
        let json = wb.report_json(JsValue::UNDEFINED).unwrap();
        assert_eq!(json, golden, "{name}");
    }
}

#[wasm_bindgen_test]
fn wasm_report_object_equals_native_golden() {
    for (name, files, golden) in cases() {
        let mut wb = JsWorkbook::new();
        // A small window: a fixture of more than 21 rows would be typed
        // while it streams (these are kept as text; see the sample test below).
        wb.set_window_bytes(64);
        let feed = |wb: &mut JsWorkbook, f: &str, bytes: &[u8]| {
            // Fed in 7-byte chunks.
            let h = wb.begin_file(f, None).unwrap();
            for c in bytes.chunks(7) {
                wb.push(h, c).unwrap();
            }
            wb.finish_file(h, None, None).unwrap();
        };
        for (f, bytes) in &files {
            feed(&mut wb, f, bytes);
        }
        for again in wb.needs_reread() {
            let (f, bytes) = files.iter().find(|(f, _)| *f == again).unwrap();
            feed(&mut wb, f, bytes);
        }
        let obj = wb.report(JsValue::UNDEFINED).unwrap();
        let text: String = js_sys::JSON::stringify(&obj).unwrap().into();
        let ours: serde_json::Value = serde_json::from_str(&text).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(golden).unwrap();
        assert_eq!(normalise(ours), normalise(theirs), "{name}");
    }
}

#[wasm_bindgen_test]
fn wasm_summary_is_the_golden_reports_query_and_summary() {
    for (name, files, golden) in cases() {
        let mut wb = workbook(&files);
        let obj = wb.summary(JsValue::UNDEFINED).unwrap();
        let text: String = js_sys::JSON::stringify(&obj).unwrap().into();
        let ours: serde_json::Value = serde_json::from_str(&text).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(golden).unwrap();
        let want = serde_json::json!({ "query": theirs["query"], "summary": theirs["summary"] });
        assert_eq!(normalise(ours), normalise(want), "{name}");
    }
}

/// The report for posting across threads is the golden report with its
/// stalled deals' list as that list's JSON text.
#[wasm_bindgen_test]
fn wasm_report_for_transfer_is_the_golden_report_with_its_stalled_list_as_text() {
    let mut listed = 0;
    for (name, files, golden) in cases() {
        let mut wb = workbook(&files);
        let obj = wb.report_for_transfer(JsValue::UNDEFINED).unwrap();
        let text: String = js_sys::JSON::stringify(&obj).unwrap().into();
        let mut ours: serde_json::Value = serde_json::from_str(&text).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(golden).unwrap();
        if let Some(p) = ours.get_mut("pipeline").filter(|p| !p.is_null()) {
            let list = p["stalled"].as_str().expect("the list as text").to_string();
            p["stalled"] = serde_json::from_str(&list).unwrap();
            listed += p["stalled"].as_array().unwrap().len();
        }
        assert_eq!(normalise(ours), normalise(theirs), "{name}");
    }
    assert!(listed > 0, "some golden report lists stalled deals");
}

#[wasm_bindgen_test]
fn errors_are_real_errors() {
    let mut wb = JsWorkbook::new();
    let err = wb.add_file("empty.csv", b"", None).unwrap_err();
    let value: JsValue = err.into();
    assert!(value.is_instance_of::<js_sys::Error>());
    let msg: String = js_sys::Error::from(value).message().into();
    assert_eq!(msg, "empty.csv: the file is empty");
    let bad = js_sys::JSON::parse(r#"{"granularity":"fortnight"}"#).unwrap();
    assert!(wb.report(bad).is_err());
}

/// JSON.stringify writes 5.0 as `5`; compare numbers as f64.
fn normalise(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) => serde_json::json!(n.as_f64().unwrap()),
        Value::Array(a) => Value::Array(a.into_iter().map(normalise).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, normalise(v))).collect()),
        other => other,
    }
}

/// The sample set typed while it streams (4 KB windows) in WebAssembly gives
/// the report of the same files kept whole.
/// The demo data set's files for `deals` deals.
fn sample_files(deals: usize) -> Vec<(&'static str, Vec<u8>)> {
    use pelacak::sample::{write_file, SampleConfig, FILES};
    let cfg = SampleConfig {
        deals,
        ..SampleConfig::default()
    };
    FILES
        .iter()
        .map(|n| {
            let mut b = Vec::new();
            write_file(&cfg, n, &mut b).unwrap();
            (*n, b)
        })
        .collect()
}

#[wasm_bindgen_test]
fn wasm_streamed_sample_equals_whole() {
    let files = sample_files(500);
    let report = |window: Option<u32>| {
        let mut wb = JsWorkbook::new();
        if let Some(w) = window {
            wb.set_window_bytes(w);
        }
        for (f, bytes) in &files {
            let h = wb.begin_file(f, None).unwrap();
            for c in bytes.chunks(1000) {
                wb.push(h, c).unwrap();
            }
            wb.finish_file(h, None, None).unwrap();
        }
        assert!(wb.needs_reread().is_empty());
        wb.report_json(JsValue::UNDEFINED).unwrap()
    };
    let whole = report(None);
    assert!(whole.contains("\"dealsWon\""));
    assert_eq!(report(Some(4096)), whole);
}

/// The report on `files` pushed in 8 KiB chunks into a workbook of
/// `window`-byte windows: what the tokeniser tests compare against.
fn chunked_report(files: &[(&'static str, Vec<u8>)], window: u32) -> String {
    let mut chunked = JsWorkbook::new();
    chunked.set_window_bytes(window);
    for (f, bytes) in files {
        let h = chunked.begin_file(f, None).unwrap();
        for c in bytes.chunks(8192) {
            chunked.push(h, c).unwrap();
        }
        chunked.finish_file(h, None, None).unwrap();
    }
    chunked.report_json(JsValue::UNDEFINED).unwrap()
}

/// The page's helper worker tokenises a large file with `Tokeniser` while
/// the engine's worker types the windows it is sent (`pushWindow`): the
/// report is the one of the file pushed in chunks, byte for byte.
#[wasm_bindgen_test]
fn wasm_windows_from_a_tokeniser_equal_chunks() {
    use pelacak::wasm::JsTokeniser;
    let files = sample_files(3000);
    let window = 65_536;
    let mut windowed = JsWorkbook::new();
    windowed.set_window_bytes(window);
    let mut sent = 0;
    for (f, bytes) in &files {
        let h = windowed.begin_file(f, None).unwrap();
        let mut tk = JsTokeniser::new(Some(window));
        let mut feed = |ws: js_sys::Array| {
            for w in ws.iter() {
                let w: js_sys::Uint8Array = w.dyn_into().unwrap();
                windowed.push_window(h, &w).unwrap();
                sent += 1;
            }
        };
        for c in bytes.chunks(8192) {
            feed(tk.push(c, None).unwrap());
        }
        feed(tk.finish(None).unwrap());
        // A finished tokeniser says so.
        assert!(tk.finish(None).is_err());
        windowed.finish_file(h, None, None).unwrap();
    }
    assert!(
        sent > files.len(),
        "{sent} windows for {} files",
        files.len()
    );
    let want = chunked_report(&files, window);
    assert!(want.contains("\"dealsWon\""));
    assert_eq!(windowed.report_json(JsValue::UNDEFINED).unwrap(), want);
}

/// The helper writes windows into the buffers the engine's worker sent back
/// (a pool): each window is a view of the first pooled buffer that holds
/// it, taken out of the pool, whatever the buffer held before; a buffer too
/// small stays in the pool. The report is the one of the file pushed in
/// chunks, byte for byte.
#[wasm_bindgen_test]
fn wasm_windows_written_into_pooled_buffers_equal_chunks() {
    use pelacak::wasm::JsTokeniser;
    let files = sample_files(3000);
    let window = 65_536;
    let mut pooled = JsWorkbook::new();
    pooled.set_window_bytes(window);
    // A buffer far too small for any window, and two large ones full of
    // bytes that are no window.
    let tiny = js_sys::Uint8Array::new_with_length(16);
    let pool = js_sys::Array::new();
    pool.push(&tiny);
    let mut large = Vec::new();
    for _ in 0..2 {
        let b = js_sys::Uint8Array::new_with_length(4 << 20);
        b.fill(0xAB, 0, 4 << 20);
        pool.push(&b);
        large.push(b.buffer());
    }
    let (mut reused, mut sent) = (0, 0);
    for (f, bytes) in &files {
        let h = pooled.begin_file(f, None).unwrap();
        let mut tk = JsTokeniser::new(Some(window));
        let mut feed = |ws: js_sys::Array, pool: &js_sys::Array| {
            for w in ws.iter() {
                let w: js_sys::Uint8Array = w.dyn_into().unwrap();
                let buf = w.buffer();
                if large.iter().any(|b| js_sys::Object::is(b, &buf)) {
                    reused += 1;
                    // The window is the buffer's first bytes, not all of it.
                    assert_eq!(w.byte_offset(), 0);
                    assert!(w.length() < 4 << 20);
                }
                pooled.push_window(h, &w).unwrap();
                sent += 1;
                // Back into the pool, as the engine's worker sends it.
                pool.push(&js_sys::Uint8Array::new(&buf));
            }
        };
        for c in bytes.chunks(8192) {
            let ws = tk.push(c, Some(pool.clone())).unwrap();
            // Every window taken out of the pool; the tiny buffer left in it.
            assert_eq!(pool.length() as usize, 3 - ws.length() as usize);
            assert!(js_sys::Object::is(&pool.get(0), &tiny));
            feed(ws, &pool);
        }
        feed(tk.finish(Some(pool.clone())).unwrap(), &pool);
        pooled.finish_file(h, None, None).unwrap();
    }
    // Every window went into one of the two large buffers, over and over.
    assert_eq!(reused, sent);
    assert!(sent > files.len(), "{sent} windows");
    let want = chunked_report(&files, window);
    assert!(want.contains("\"dealsWon\""));
    assert_eq!(pooled.report_json(JsValue::UNDEFINED).unwrap(), want);
}

/// `finishFile`'s third argument is told a spreadsheet's rows as its sheets
/// are read: Deals declares A1:F7 (its header and six deals), Quotas A1:C4
/// (tests/xlsx.rs has the same through the engine).
#[wasm_bindgen_test]
fn wasm_a_spreadsheets_rows_are_told_to_a_function() {
    let (name, bytes) = fixture!("xlsx_deals.xlsx");
    let told = js_sys::Array::new();
    let record = js_sys::Function::new_with_args("rows, of", "this.push([rows, of ?? null])");
    let record = record.bind0(&told);
    let mut wb = JsWorkbook::new();
    let h = wb.begin_file(name, None).unwrap();
    wb.push(h, bytes).unwrap();
    wb.finish_file(h, None, Some(record)).unwrap();
    let told: Vec<Vec<Option<f64>>> = told
        .iter()
        .map(|call| {
            js_sys::Array::from(&call)
                .iter()
                .map(|v| v.as_f64())
                .collect()
        })
        .collect();
    assert_eq!(
        told,
        [vec![Some(7.0), Some(7.0)], vec![Some(4.0), Some(4.0)]]
    );
}
