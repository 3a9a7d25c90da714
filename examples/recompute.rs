//! How long a report takes once the files are read (what a filter or range
//! change costs in the page), natively:
//! `cargo run --release --example recompute -- FILE...`
//! Prints the time to read the files and the first report (which builds
//! the dataset and its facts), then each of five reports (or
//! `REPORTS`) on the cached tables (default query) and their median.
//! With `HELPER=1` each file is tokenised into windows as the page's helper
//! worker does (a 4 MiB first window, pieces of 4 MiB) and fed to the
//! workbook with `push_window_with`, as the page's engine worker is: for
//! `valgrind --tool=massif` on that path.

use pelacak::ingest::wire::{Tokeniser, Window};
use pelacak::{Query, Workbook};
use std::io::Read;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        return Err("usage: recompute FILE...".into());
    }
    let mut wb = Workbook::new();
    let helper = std::env::var("HELPER").is_ok_and(|v| v == "1");
    let t = Instant::now();
    for path in &files {
        let mut f = std::fs::File::open(path)?;
        let h = wb.begin_file(path, None);
        let mut buf = vec![0u8; 4 << 20];
        let mut tk =
            helper.then(|| Tokeniser::new(4 << 20, pelacak::tables::stream::LATER_WINDOW_BYTES));
        // Each window written straight into the file's room, as the page's
        // worker copies it from the helper's buffer.
        // The first error, if any, is the file's.
        let mut typed = Ok(());
        let mut feed = |wb: &mut Workbook, mut w: Window<'_>| {
            if typed.is_ok() {
                typed = wb.push_window_with(h, w.encoded_len(), |room| {
                    w.write(|part| room.extend_from_slice(part));
                });
            }
        };
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            match tk.as_mut() {
                Some(tk) => tk.push(&buf[..n], |w| feed(&mut wb, w))?,
                None => wb.push(h, &buf[..n])?,
            }
        }
        if let Some(tk) = tk {
            tk.finish(|w| feed(&mut wb, w))?;
        }
        typed?;
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
