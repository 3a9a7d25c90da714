//! The `pelacak` command line: argument parsing and printing only.

use pelacak::period::Granularity;
use pelacak::{Kind, Query, Workbook};
use std::process::ExitCode;

const USAGE: &str = "usage:
  pelacak report [--from D] [--to D] [--granularity week|month|quarter|year]
                 [--fiscal-start M] [--as-of D] [--target N] [--stage-order A,B,C]
                 [--currency CODE] [--filter FIELD=V1,V2]... [--query JSON] [KIND=]FILE...
  pelacak sample [--deals N] [--seed S] [--no-activities] --out DIR

KIND is one of deals, stage_history, activities, leads, quotas, reps, products, fx_rates.
Dates are YYYY-MM-DD. The report is printed as JSON; data problems are inside it.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("report") => report(&args[1..]),
        Some("sample") => sample(&args[1..]),
        Some("-h" | "--help" | "help") => print_out(USAGE),
        _ => Err(format!("expected a command\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("pelacak: {msg}");
            ExitCode::from(2)
        }
    }
}

fn value<'a>(args: &'a [String], i: &mut usize, flag: &str) -> Result<&'a str, String> {
    *i += 1;
    args.get(*i)
        .map(String::as_str)
        .ok_or_else(|| format!("{flag} needs a value"))
}

fn date(s: &str, flag: &str) -> Result<chrono::NaiveDate, String> {
    s.parse()
        .map_err(|_| format!("{flag} expects a date as YYYY-MM-DD, not {s:?}"))
}

fn report(args: &[String]) -> Result<(), String> {
    let mut q = Query::default();
    let mut files: Vec<(Option<Kind>, String)> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "--from" => q.from = Some(date(value(args, &mut i, a)?, a)?),
            "--to" => q.to = Some(date(value(args, &mut i, a)?, a)?),
            "--as-of" => q.as_of = Some(date(value(args, &mut i, a)?, a)?),
            "--granularity" => {
                let v = value(args, &mut i, a)?;
                q.granularity = Granularity::parse(v).ok_or_else(|| {
                    format!("--granularity expects week, month, quarter or year, not {v:?}")
                })?;
            }
            "--fiscal-start" => {
                let v = value(args, &mut i, a)?;
                q.fiscal_year_start_month = Some(
                    v.parse()
                        .map_err(|_| format!("--fiscal-start expects a month 1–12, not {v:?}"))?,
                );
            }
            "--target" => {
                let v = value(args, &mut i, a)?;
                q.target = Some(
                    v.parse()
                        .map_err(|_| format!("--target expects a number, not {v:?}"))?,
                );
            }
            "--stage-order" => {
                q.stage_order = Some(
                    value(args, &mut i, a)?
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .collect(),
                );
            }
            "--currency" => q.currency = Some(value(args, &mut i, a)?.to_string()),
            "--filter" => {
                let v = value(args, &mut i, a)?;
                let (field, list) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--filter expects FIELD=V1,V2, not {v:?}"))?;
                let list: Vec<String> = list.split(',').map(|s| s.trim().to_string()).collect();
                let f = &mut q.filters;
                match field {
                    "rep" => f.rep = list,
                    "team" => f.team = list,
                    "region" => f.region = list,
                    "product" => f.product = list,
                    "source" => f.source = list,
                    _ => return Err(format!("--filter field must be rep, team, region, product or source, not {field:?}")),
                }
            }
            "--query" => {
                q = Query::from_json(value(args, &mut i, a)?).map_err(|e| e.to_string())?;
            }
            _ if a.starts_with("--") => return Err(format!("unknown option {a}\n{USAGE}")),
            _ => files.push(split_kind(a)?),
        }
        i += 1;
    }
    q.validate().map_err(|e| e.to_string())?;
    if files.is_empty() {
        return Err(format!("no input files\n{USAGE}"));
    }
    let mut wb = Workbook::new();
    for (kind, path) in &files {
        stream_file(&mut wb, path, *kind)?;
    }
    // A large file whose later rows changed a column's reading is read again.
    for path in wb.needs_reread() {
        stream_file(&mut wb, &path, None)?;
    }
    let json = wb.report_json(&q).map_err(|e| e.to_string())?;
    print_out(&json)
}

/// Prints to stdout; a reader that stopped early (`pelacak report … | head`)
/// is not an error, any other failure to write is one.
fn print_out(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the report: {e}"))
        }
        _ => Ok(()),
    }
}

/// Streams a file from disk in chunks: a file of any size is never held whole.
fn stream_file(wb: &mut Workbook, path: &str, kind: Option<Kind>) -> Result<(), String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("{path}: cannot read the file: {e}");
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let h = wb.begin_file(path, kind);
    let mut buf = vec![0u8; 4 << 20];
    loop {
        let n = file.read(&mut buf).map_err(cannot)?;
        if n == 0 {
            break;
        }
        wb.push(h, &buf[..n]).map_err(|e| e.to_string())?;
    }
    wb.finish_file(h, None).map_err(|e| e.to_string())
}

/// `deals=path.csv` → (Some(Deals), "path.csv"); a path with `=` in it that
/// does not start with a kind name stays a path.
fn split_kind(arg: &str) -> Result<(Option<Kind>, String), String> {
    if let Some((k, path)) = arg.split_once('=') {
        if let Some(kind) = Kind::parse(k) {
            return Ok((Some(kind), path.to_string()));
        }
        if !std::path::Path::new(arg).exists() {
            return Err(format!(
                "{arg}: unknown table kind {k:?} (expected deals, stage_history, activities, leads, quotas, reps, products or fx_rates)"
            ));
        }
    }
    Ok((None, arg.to_string()))
}

fn sample(args: &[String]) -> Result<(), String> {
    let mut cfg = pelacak::sample::SampleConfig::default();
    let mut out: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "--deals" => {
                let v = value(args, &mut i, a)?;
                cfg.deals = v
                    .parse()
                    .map_err(|_| format!("--deals expects a count, not {v:?}"))?;
            }
            "--seed" => {
                let v = value(args, &mut i, a)?;
                cfg.seed = v
                    .parse()
                    .map_err(|_| format!("--seed expects a number, not {v:?}"))?;
            }
            "--no-activities" => cfg.with_activities = false,
            "--out" => out = Some(value(args, &mut i, a)?.to_string()),
            _ => return Err(format!("unknown option {a}\n{USAGE}")),
        }
        i += 1;
    }
    let out = out.ok_or("sample needs --out DIR")?;
    std::fs::create_dir_all(&out).map_err(|e| format!("{out}: {e}"))?;
    for name in pelacak::sample::FILES {
        let path = std::path::Path::new(&out).join(name);
        let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut w = std::io::BufWriter::new(file);
        pelacak::sample::write_file(&cfg, name, &mut w)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        std::io::Write::flush(&mut w).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
