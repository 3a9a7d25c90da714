//! How long a report takes once the files are read (what a filter or range
//! change costs in the page), natively:
//! `cargo run --release --example recompute -- FILE...`
//! Prints the time to read the files and the first report (which builds
//! the dataset and its facts), then each of five reports (or
//! `REPORTS`) on the cached tables (default query) and their median.

use pelacak::{Query, Workbook};
use std::io::Read;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        return Err("usage: recompute FILE...".into());
    }
    let mut wb = Workbook::new();
    let t = Instant::now();
    for path in &files {
        let mut f = std::fs::File::open(path)?;
        let h = wb.begin_file(path, None);
        let mut buf = vec![0u8; 4 << 20];
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            wb.push(h, &buf[..n])?;
        }
        wb.finish_file(h, None)?;
    }
    let q: Query = match std::env::var("QUERY") {
        Ok(j) => serde_json::from_str(&j)?,
        Err(_) => Query::default(),
    };
    let read = t.elapsed().as_secs_f64();
    wb.report(&q)?;
    let all = t.elapsed().as_secs_f64();
    println!(
        "read: {read:.3} s, first report: {:.0} ms",
        (all - read) * 1000.0
    );
    // More reports give a profiler something to look at:
    // `REPORTS=50 perf record -g target/release/examples/recompute FILE`.
    let n: usize = std::env::var("REPORTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let mut ms: Vec<f64> = (0..n)
        .map(|_| {
            let t = Instant::now();
            let r = wb.report(&q);
            let e = t.elapsed().as_secs_f64() * 1000.0;
            if let Err(e) = r {
                eprintln!("{e}");
            }
            e
        })
        .collect();
    println!(
        "reports: {}",
        ms.iter()
            .map(|m| format!("{m:.0} ms"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    ms.sort_by(f64::total_cmp);
    println!("median report: {:.0} ms", ms[n / 2]);
    Ok(())
}
