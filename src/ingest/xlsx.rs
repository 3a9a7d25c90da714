//! `.xlsx` workbooks: each non-empty sheet becomes a raw table of text cells.
//!
//! # Design
//! Cells are turned into the same text the CSV path sees, so one set of
//! value parsers serves both: numbers print with a decimal point, cells
//! Excel formats as dates print as ISO dates (with the time when it has
//! one), and plain numbers in a date column are read as Excel serials
//! (`serial_dates`).

use super::{Format, RawTable};
use crate::error::{Error, ErrorKind, Result};
use calamine::{Data, Reader, Xlsx};
use chrono::{Duration, NaiveDate};
use std::io::Cursor;

/// Reads every non-empty sheet of a workbook.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<RawTable>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| Error::new(ErrorKind::Spreadsheet(e.to_string())))?;
    let names = book.sheet_names();
    let mut tables = Vec::new();
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| Error::new(ErrorKind::Spreadsheet(format!("sheet {name:?}: {e}"))))?;
        if range.is_empty() {
            continue;
        }
        let first_row = range.start().map(|(r, _)| r).unwrap_or(0);
        let mut t = RawTable::new(Format {
            encoding: "xlsx".into(),
            delimiter: None,
            delimiter_source: None,
            sheet: Some(name.clone()),
        });
        t.serial_dates = true;
        let mut cells: Vec<String> = Vec::new();
        for (i, row) in range.rows().enumerate() {
            cells.clear();
            cells.extend(row.iter().map(cell_text));
            while cells.last().is_some_and(|c| c.is_empty()) {
                cells.pop();
            }
            if cells.is_empty() {
                continue;
            }
            t.push_record(first_row + i as u32 + 1, cells.iter().map(String::as_str));
        }
        if !t.is_empty() {
            tables.push(t);
        }
    }
    if tables.is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    Ok(tables)
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => serial_to_text(d.as_f64(), d.is_duration()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// An Excel serial as `YYYY-MM-DD[ HH:MM:SS]`; durations stay numbers.
fn serial_to_text(v: f64, duration: bool) -> String {
    if duration || !(1.0..2_958_466.0).contains(&v) {
        return v.to_string();
    }
    let days = v.floor() as i64;
    let Some(base) = NaiveDate::from_ymd_opt(1899, 12, 30) else {
        return v.to_string();
    };
    // Excel's phantom 1900-02-29 shifts serials below 61 by a day.
    let date = base + Duration::days(if days < 61 { days + 1 } else { days });
    let secs = ((v - v.floor()) * 86_400.0).round() as i64;
    if secs == 0 || secs >= 86_400 {
        date.format("%Y-%m-%d").to_string()
    } else {
        format!(
            "{} {:02}:{:02}:{:02}",
            date.format("%Y-%m-%d"),
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_print_as_dates() {
        assert_eq!(serial_to_text(45358.0, false), "2024-03-07");
        assert_eq!(serial_to_text(45358.75, false), "2024-03-07 18:00:00");
        assert_eq!(serial_to_text(1.5, true), "1.5");
    }

    #[test]
    fn not_a_workbook() {
        assert!(read_xlsx(b"PK\x03\x04garbage").is_err());
    }
}
