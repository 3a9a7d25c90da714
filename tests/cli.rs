//! The `pelacak` command line as a user runs it: a report printed as JSON,
//! and a reader that stops early (`| head`) is not a crash.

use std::process::{Command, Stdio};

fn pelacak() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pelacak"))
}

#[test]
fn report_prints_the_figures_worked_out_by_hand() {
    // tests/data/EXPECTED.md §9: eight orders, every one a won sale.
    let out = pelacak()
        .args(["report", "tests/data/closed_sales.csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["summary"]["dealsWon"], 8);
    assert_eq!(r["summary"]["revenue"], 10176.0);
    assert_eq!(r["summary"]["medianDealSize"], 1055.25);
    assert_eq!(r["query"]["from"], "2023-11-28");
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    let mut child = pelacak()
        .args(["report", "tests/data/closed_sales.csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the report is written, as `| head -c0`
    // would: the pipe closes when its handle goes out of scope.
    {
        let _reader = child.stdout.take();
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{err}");
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let out = pelacak()
        .args(["report", "tests/data/no_such_file.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no_such_file.csv"), "{err}");
}
