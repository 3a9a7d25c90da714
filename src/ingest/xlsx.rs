//! `.xlsx` workbooks: each non-empty sheet becomes a raw table of text cells.
//!
//! # Design
//! Cells are turned into the same text the CSV path sees, so one set of
//! value parsers serves both: numbers print with a decimal point, cells
//! Excel formats as dates print as ISO dates (with the time when it has
//! one), and plain numbers in a date column are read as Excel serials
//! (`serial_dates`).
//!
//! A sheet is read cell by cell as its XML comes, each row's text written
//! straight into the raw table. (calamine's `worksheet_range` builds every
//! cell of the sheet first, as a grid with a copy of each string, and the
//! rows were copied again from it: a 100,000-deal export peaked at three
//! times the memory of the same deals as CSV, and WebAssembly memory never
//! shrinks.) The table is the grid's: its columns start at the leftmost
//! column with a value, its rows are the sheet's rows with a value, each
//! ending at its last non-empty cell, on its own line number. A sheet whose
//! cells are not written row by row, left to right (which Excel always
//! does) is read through the grid instead, where order does not matter.

use super::{Format, RawTable, SheetProgress, Sheets};
use crate::error::{Error, ErrorKind, Result};
use calamine::{DataRef, Reader, ReaderRef, Xlsx, XlsxError};
use chrono::{Duration, NaiveDate};
use std::fmt::Write;
use std::io::Cursor;

type Book<'b> = Xlsx<Cursor<&'b [u8]>>;

/// Reads every non-empty sheet of a workbook.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<RawTable>> {
    read_xlsx_told(bytes, &mut |_, _| {})
}

/// [`read_xlsx`], telling `progress` the rows of each sheet as they are read.
pub fn read_xlsx_told(bytes: &[u8], progress: SheetProgress<'_>) -> Result<Vec<RawTable>> {
    let mut book = open(bytes)?;
    let names = book.sheet_names();
    let mut tables = Vec::new();
    for name in names {
        let t = match stream_sheet(&mut book, &name, None, progress)? {
            Some(t) => t,
            None => {
                let t = grid_sheet(&mut book, &name)?;
                progress(t.len() as u32, None);
                t
            }
        };
        if !t.is_empty() {
            tables.push(t);
        }
    }
    if tables.is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    Ok(tables)
}

/// Reads a workbook of one sheet a window at a time, as a large text file
/// is read: each window of about `first` bytes of text (the first, whose
/// rows decide the header and the columns' styles), then `later` bytes, is
/// given to `window` as soon as its rows are read, so the sheet's text is
/// never held whole; the records left at the end are returned. A workbook
/// of several sheets (their kinds may differ) is read whole, as is one
/// whose cells come out of order or whose first column moves left after a
/// window went out (a cell left of every cell before it: each window's
/// fields would have started one column late).
pub fn read_xlsx_windows(
    bytes: &[u8],
    first: usize,
    later: usize,
    window: &mut dyn FnMut(RawTable),
    progress: SheetProgress<'_>,
) -> Result<Sheets> {
    let mut book = open(bytes)?;
    let names = book.sheet_names();
    if let [name] = names.as_slice() {
        let mut given = false;
        let cut = Windows {
            first: first.max(1),
            later: later.max(1),
            window: &mut |t| {
                given = true;
                window(t)
            },
        };
        match stream_sheet(&mut book, name, Some(cut), progress)? {
            // An empty sheet is an empty workbook, as read whole.
            Some(t) if t.is_empty() && !given => return Err(Error::new(ErrorKind::Empty)),
            Some(t) => return Ok(Sheets::Rest(Box::new(t))),
            None => {}
        }
    }
    read_xlsx_told(bytes, progress).map(Sheets::Whole)
}

/// Rows read between two calls of a [`SheetProgress`]: a hundred or so at
/// a million rows.
const PROGRESS_ROWS: u32 = 8192;

/// Where [`stream_sheet`] cuts windows and whom it gives them to.
struct Windows<'w> {
    first: usize,
    later: usize,
    window: &'w mut dyn FnMut(RawTable),
}

/// The workbook in `bytes`, its sheets not read yet.
fn open(bytes: &[u8]) -> Result<Book<'_>> {
    Xlsx::new(Cursor::new(bytes)).map_err(|e| Error::new(ErrorKind::Spreadsheet(e.to_string())))
}

fn sheet_error(name: &str, e: XlsxError) -> Error {
    Error::new(ErrorKind::Spreadsheet(format!("sheet {name:?}: {e}")))
}

fn empty_table(name: &str) -> RawTable {
    let mut t = RawTable::new(Format {
        encoding: "xlsx".into(),
        delimiter: None,
        delimiter_source: None,
        sheet: Some(name.to_string()),
    });
    t.serial_dates = true;
    t
}

/// One row's cells as they come: their text run together, and each
/// column's span of it.
#[derive(Default)]
struct Row {
    at: Option<u32>,
    text: String,
    spans: Vec<Option<(usize, usize)>>,
}

impl Row {
    fn add(&mut self, col: u32, v: &DataRef<'_>) {
        let start = self.text.len();
        write_cell(&mut self.text, v);
        let col = col as usize;
        if self.spans.len() <= col {
            self.spans.resize(col + 1, None);
        }
        self.spans[col] = Some((start, self.text.len()));
    }

    /// Adds the row to `t` when it has a non-empty cell, up to its last one.
    fn flush(&mut self, t: &mut RawTable) {
        let last = self
            .spans
            .iter()
            .rposition(|s| s.is_some_and(|(a, b)| b > a));
        if let (Some(row), Some(last)) = (self.at, last) {
            let (text, spans) = (&self.text, &self.spans[..=last]);
            t.push_record(
                row + 1,
                spans.iter().map(|s| s.map_or("", |(a, b)| &text[a..b])),
            );
        }
        self.text.clear();
        self.spans.clear();
        self.at = None;
    }
}

/// The sheet read cell by cell (with `cut`, its windows given out as they
/// fill, and the records after them returned); `None` when its cells are
/// out of order, or, with windows given out, when its first column moves.
fn stream_sheet(
    book: &mut Book<'_>,
    name: &str,
    mut cut: Option<Windows<'_>>,
    progress: SheetProgress<'_>,
) -> Result<Option<RawTable>> {
    let mut cells = match book.worksheet_cells_reader(name) {
        Ok(c) => c,
        // A chart sheet, say: nothing to read, as calamine's grid has it.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Some(empty_table(name))),
        Err(e) => return Err(sheet_error(name, e)),
    };
    // The rows the sheet says it spans (none when it does not say: a
    // declared A1 alone is what calamine gives then).
    let d = cells.dimensions();
    let declared = (d.end.0 > d.start.0).then(|| d.end.0 - d.start.0 + 1);
    let mut rows = 0u32;
    let mut t = empty_table(name);
    let mut row = Row::default();
    let mut last: Option<(u32, u32)> = None;
    let mut first_col = u32::MAX;
    // Once a window went out, its first column is every window's.
    let mut fixed: Option<u32> = None;
    while let Some(cell) = cells.next_cell().map_err(|e| sheet_error(name, e))? {
        let v = cell.get_value();
        if matches!(v, DataRef::Empty) {
            continue;
        }
        let pos = cell.get_position();
        if last.is_some_and(|l| pos <= l) || fixed.is_some_and(|f| pos.1 < f) {
            return Ok(None);
        }
        last = Some(pos);
        first_col = first_col.min(pos.1);
        if row.at != Some(pos.0) {
            row.flush(&mut t);
            row.at = Some(pos.0);
            rows += 1;
            if rows % PROGRESS_ROWS == 0 {
                progress(rows, declared);
            }
            if let Some(cut) = cut.as_mut() {
                let limit = if fixed.is_some() {
                    cut.later
                } else {
                    cut.first
                };
                if t.arena.len() >= limit {
                    let col = *fixed.get_or_insert(first_col);
                    let full = std::mem::replace(&mut t, empty_table(name));
                    (cut.window)(without_first_columns(full, col as usize));
                }
            }
        }
        row.add(pos.1, v);
    }
    row.flush(&mut t);
    progress(rows, declared);
    let col = fixed.unwrap_or(first_col);
    Ok(Some(if col == u32::MAX {
        t
    } else {
        without_first_columns(t, col as usize)
    }))
}

/// `t` without its first `n` fields in every record (all empty: no cell
/// with a value is left of the grid's first column).
fn without_first_columns(t: RawTable, n: usize) -> RawTable {
    if n == 0 {
        return t;
    }
    let mut out = RawTable::new(t.format.clone());
    out.serial_dates = t.serial_dates;
    for r in 0..t.len() {
        out.push_record(t.line(r), (n..t.width(r)).map(|c| t.field(r, c)));
    }
    out.overflow = t.overflow;
    out
}

/// The sheet read through calamine's grid, which takes cells in any order.
fn grid_sheet(book: &mut Book<'_>, name: &str) -> Result<RawTable> {
    let range = book
        .worksheet_range_ref(name)
        .map_err(|e| sheet_error(name, e))?;
    let mut t = empty_table(name);
    let Some((first_row, _)) = range.start() else {
        return Ok(t);
    };
    let mut row = Row::default();
    for (i, cells) in range.rows().enumerate() {
        row.at = Some(first_row + i as u32);
        for (c, v) in cells.iter().enumerate() {
            row.add(c as u32, v);
        }
        row.flush(&mut t);
    }
    Ok(t)
}

/// A cell as text, written at the end of `out`.
fn write_cell(out: &mut String, c: &DataRef<'_>) {
    match c {
        DataRef::Empty => {}
        DataRef::SharedString(s) => out.push_str(s),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => out.push_str(s),
        DataRef::DateTime(d) => out.push_str(&serial_to_text(d.as_f64(), d.is_duration())),
        // Writing to a String cannot fail.
        DataRef::Int(i) => drop(write!(out, "{i}")),
        DataRef::Float(f) => drop(write!(out, "{f}")),
        DataRef::Bool(b) => drop(write!(out, "{b}")),
        DataRef::Error(e) => drop(write!(out, "#{e:?}")),
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
        // ISO, as `%Y-%m-%d` writes it (without chrono's format reader).
        date.to_string()
    } else {
        format!(
            "{} {:02}:{:02}:{:02}",
            date,
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

    /// `tests/data/xlsx_layout.xlsx` (see `tests/data/make_xlsx.py`).
    #[test]
    fn cells_keep_their_rows_and_columns() {
        let tables = read_xlsx(include_bytes!("../../tests/data/xlsx_layout.xlsx")).unwrap();
        let sheets: Vec<_> = tables.iter().map(|t| t.format.sheet.as_deref()).collect();
        assert_eq!(sheets, [Some("Offset"), Some("Shuffled")]);
        // Column B is the first: no cell left of it. Row 3's empty string at
        // E3 ends nothing, C4 is missing, row 5 has only an empty string.
        assert_eq!(
            tables[0].records(),
            [
                (3, vec!["deal_id", "owner", "amount"]),
                (4, vec!["X1", "", "1500"]),
                (6, vec!["", "Ayu", "2.5"]),
                (7, vec!["true", "Budi", "-3"]),
            ]
        );
        // Rows written out of order are read in the sheet's order.
        assert_eq!(
            tables[1].records(),
            [(1, vec!["h1", "h2"]), (2, vec!["b2", "5"])]
        );
    }

    #[test]
    fn not_a_workbook() {
        assert!(read_xlsx(b"PK\x03\x04garbage").is_err());
    }
}
