//! The `pelacak` command line as a user runs it: a report printed as JSON,
//! and a reader that stops early (`| head`) is not a crash.

use std::ffi::OsStr;
use std::process::{Command, Output, Stdio};

fn pelacak() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pelacak"))
}

/// Runs `pelacak` with `args` to the end.
fn run<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    pelacak().args(args).output().unwrap()
}

/// [`run`], which must succeed: its standard output.
fn run_ok<I, S>(args: I) -> Vec<u8>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = run(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn report_prints_the_figures_worked_out_by_hand() {
    // tests/data/EXPECTED.md §9: eight orders, every one a won sale.
    let out = run_ok(["report", "tests/data/closed_sales.csv"]);
    let r: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(r["summary"]["dealsWon"], 8);
    assert_eq!(r["summary"]["revenue"], 10176.0);
    assert_eq!(r["summary"]["medianDealSize"], 1055.25);
    assert_eq!(r["query"]["from"], "2023-11-28");
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    // A generated demo set whose report (about 96 KB) is larger than a pipe
    // holds: the write fails on the closed pipe whether it starts before or
    // after the reader goes, so the outcome does not depend on timing.
    let dir = std::env::temp_dir().join(format!("pelacak-cli-{}", std::process::id()));
    run_ok([
        OsStr::new("sample"),
        "--deals".as_ref(),
        "1000".as_ref(),
        "--out".as_ref(),
        dir.as_os_str(),
    ]);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut child = pelacak()
        .arg("report")
        .args(&files)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end, as `| head -c0` would: the pipe closes when its
    // handle goes out of scope.
    {
        let _reader = child.stdout.take();
    }
    let out = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{err}");
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let out = run(["report", "tests/data/no_such_file.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no_such_file.csv"), "{err}");
}
