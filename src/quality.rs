//! Data-quality records: every row is either used or listed here.
//!
//! Issues are collected as values while tables are built and reported in
//! the `dataQuality` section; nothing deep in the engine prints or panics.

use serde::Serialize;
use std::collections::BTreeMap;

/// How many issues of one code are listed per table; the counts are always
/// complete. Rejected rows are always listed up to the larger cap.
pub const LIST_CAP: usize = 200;
/// Cap for rejected rows, which the data-quality panel lists in full.
pub const REJECT_CAP: usize = 10_000;

/// One problem with one row or value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Issue {
    /// 1-based physical line in the file.
    pub line: u32,
    /// The source column header, when it concerns one.
    pub column: Option<String>,
    /// The offending value, shortened to 80 characters.
    pub value: Option<String>,
    /// A stable code (`bad_number`, `ragged_row`...), for counting and filtering.
    #[cfg_attr(test, ts(type = "string"))]
    pub code: &'static str,
    /// What is wrong, in words.
    pub message: String,
    /// Whether the row was left out entirely.
    pub rejected: bool,
}

/// The decision taken for one source column.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ColumnReport {
    /// The header as written.
    pub header: String,
    /// The canonical column it feeds, if any.
    pub mapped_to: Option<String>,
    /// `decimal point`, `decimal comma`, `day-first`, `month-first`, `iso`...
    pub style: Option<String>,
    /// Why that style: `values`, `file locale (ambiguous values)`...
    pub decided_by: Option<String>,
}

/// The data-quality record of one table (a file, or one sheet of a workbook).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TableQuality {
    /// The file name.
    pub file: String,
    /// The sheet, for workbooks.
    pub sheet: Option<String>,
    /// The table kind used, or `None` when the file could not be read.
    pub table: Option<String>,
    /// Whether the kind was named by the caller rather than detected.
    pub kind_overridden: bool,
    /// `utf-8`, `utf-16le`, `windows-1252`, `xlsx`...
    pub encoding: Option<String>,
    /// The delimiter (`,` `;` `tab` `|`).
    pub delimiter: Option<String>,
    /// The header's line.
    pub header_line: Option<u32>,
    /// Every source column with its mapping and value style.
    pub columns: Vec<ColumnReport>,
    /// Data rows read (blank rows excluded).
    pub rows_read: u32,
    /// Rows used by the metrics.
    pub rows_used: u32,
    /// Rows left out, each listed in `issues`.
    pub rows_rejected: u32,
    /// Blank rows skipped.
    pub blank_rows: u32,
    /// The error that stopped the file from being read, if any.
    pub error: Option<String>,
    /// Issue counts per code.
    #[cfg_attr(test, ts(type = "Record<string, number>"))]
    pub issue_counts: BTreeMap<&'static str, u32>,
    /// The issues, capped per code (see `issue_counts` for totals).
    pub issues: Vec<Issue>,
}

impl TableQuality {
    /// An empty record for `file`.
    pub fn new(file: &str, sheet: Option<String>) -> Self {
        TableQuality {
            file: file.to_string(),
            sheet,
            table: None,
            kind_overridden: false,
            encoding: None,
            delimiter: None,
            header_line: None,
            columns: Vec::new(),
            rows_read: 0,
            rows_used: 0,
            rows_rejected: 0,
            blank_rows: 0,
            error: None,
            issue_counts: BTreeMap::new(),
            issues: Vec::new(),
        }
    }

    /// Records an issue, listing it while under the cap for its code.
    pub fn push(&mut self, issue: Issue) {
        let n = self.issue_counts.entry(issue.code).or_insert(0);
        *n += 1;
        let cap = if issue.rejected { REJECT_CAP } else { LIST_CAP };
        if (*n as usize) <= cap {
            self.issues.push(issue);
        }
    }

    /// Puts the issues in line order (stable: one line's issues keep the
    /// order they were found in). A streamed file's tokeniser findings
    /// arrive window by window; the list reads the same either way.
    pub fn sort_issues(&mut self) {
        self.issues.sort_by_key(|i| i.line);
    }

    /// Shorthand for a warning about a value.
    pub fn warn(
        &mut self,
        line: u32,
        column: Option<&str>,
        value: Option<&str>,
        code: &'static str,
        message: String,
    ) {
        self.record(false, line, column, value, code, message);
    }

    /// Shorthand for a rejected row.
    pub fn reject(
        &mut self,
        line: u32,
        column: Option<&str>,
        value: Option<&str>,
        code: &'static str,
        message: String,
    ) {
        self.rows_rejected += 1;
        self.record(true, line, column, value, code, message);
    }

    fn record(
        &mut self,
        rejected: bool,
        line: u32,
        column: Option<&str>,
        value: Option<&str>,
        code: &'static str,
        message: String,
    ) {
        self.push(Issue {
            line,
            column: column.map(str::to_string),
            value: value.map(shorten),
            code,
            message,
            rejected,
        });
    }
}

/// A value cut to 80 characters for display.
pub fn shorten(v: &str) -> String {
    if v.chars().count() <= 80 {
        v.to_string()
    } else {
        let mut s: String = v.chars().take(77).collect();
        s.push('…');
        s
    }
}
