//! Whole-report snapshots of a few fixtures, on top of the hand-checked
//! assertions in `engine.rs`. The same files are compared byte for byte by
//! the WebAssembly test (`tests/wasm.rs`), which proves the wasm build gives
//! the native report. `UPDATE_GOLDEN=1 cargo test --test golden` rewrites
//! them; review the diff before committing.

use pelacak::{Query, Workbook};

/// (golden name, fixture files) — shared with `tests/wasm.rs`.
pub const CASES: &[(&str, &[&str])] = &[
    ("metrics_demo", &["metrics_demo.csv"]),
    ("semicolon_id", &["semicolon_id.csv"]),
    ("utf16_tab", &["utf16_tab.txt"]),
    (
        "quota_demo",
        &[
            "quota_demo/deals.csv",
            "quota_demo/quotas.csv",
            "quota_demo/reps.csv",
        ],
    ),
    ("pipedrive_fx", &["pipedrive_deals.csv", "fx_rates.csv"]),
];

fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn reports_match_their_snapshots() {
    for (name, files) in CASES {
        let mut wb = Workbook::new();
        for f in *files {
            wb.add_file(f, &data(f), None).unwrap();
        }
        let json = wb.report_json(&Query::default()).unwrap();
        let path = format!(
            "{}/tests/data/golden/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        if std::env::var("UPDATE_GOLDEN").is_ok() {
            std::fs::write(&path, &json).unwrap();
        }
        let golden = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            golden == json,
            "{name}: report differs from {path} (UPDATE_GOLDEN=1 to rewrite after checking)"
        );
    }
}
