//! Typing a large text table while it streams, so the file's text is never
//! held whole: only one window of records (a few MB) at a time.
//!
//! # Design
//! The first window (at least [`WINDOW_BYTES`] of text) finds the header
//! and the mapping and decides each column's style from its values, as
//! [`super::build::add_table`] does over a whole table; every later window
//! is typed with those decisions while the style counts keep growing. At
//! the end the decisions the counts of *all* values call for are compared
//! with the ones used: when a later part of the file tipped a column the
//! other way, the outcome is [`Streamed::Reread`] with the right decisions
//! pinned, and the caller streams the file once more. SPEC §2's "decided
//! per column from all its values" holds either way.

use super::build::{prologue, structure_issues, Builder, Decisions, TableInput};
use super::Dataset;
use crate::error::Error;
use crate::ingest::RawTable;
use crate::quality::TableQuality;
use crate::schema::Kind;
use std::collections::BTreeMap;

/// Text a table holds before it is typed window by window. Below this a
/// file is kept as text, so a mapping change re-types it without reading
/// the file again.
pub const WINDOW_BYTES: usize = 16 << 20;

/// Text each window after the first holds: small, so a window's text is
/// typed while it is still in cache and the window being typed and the one
/// being filled cost a few MiB, not twice [`WINDOW_BYTES`].
pub const LATER_WINDOW_BYTES: usize = 1 << 20;

/// The first window holds at least this many records, so the header
/// search sees as many rows as it does over a whole table.
pub const WINDOW_MIN_ROWS: usize = 21;

/// A text parser cutting windows for the stream typer: `first` bytes of
/// text (and [`WINDOW_MIN_ROWS`] records) for the first, `later` (at most
/// `first`) for the others. The workbook reads with it, and so does a
/// [`crate::ingest::wire::Tokeniser`] tokenising for a workbook elsewhere,
/// so both cut the same windows.
pub fn window_parser(first: usize, later: usize) -> crate::ingest::csv::TextParser {
    let mut p = crate::ingest::csv::TextParser::new();
    p.set_window(first, later.min(first), WINDOW_MIN_ROWS);
    p
}

/// The most a streamed table's typed rows and names may take in
/// WebAssembly, whose memory ends at 4 GiB: the rest is for the growth of
/// the interner's vectors (old and new live together while one moves; rows
/// are kept in chunks that never move, see [`super::rows::Rows`]), the
/// report's view of each deal (8 bytes) and the report itself. Measured with 80-byte
/// deal rows, 15 million deals with their ids counted 1.65 GiB here and peaked at 3.1
/// GiB of wasm memory; rows are 44 bytes since (docs/performance.md has the 2 GB file's
/// latest figures).
/// Rows past it are counted and reported as not read (`too_large`), never
/// a crashed tab. Natively there is no such limit.
pub const MAX_BYTES: Option<usize> = if cfg!(target_pointer_width = "32") {
    Some(7 << 28)
} else {
    None
};

/// The most the rows and names may take while a vector moves to a larger
/// allocation (its old and new copies both live): the steady budget plus
/// 1 GiB. A window whose rows would make a vector grow past it is not read.
pub const MAX_PEAK_BYTES: Option<usize> = match MAX_BYTES {
    Some(b) => Some(b + (1 << 30)),
    None => None,
};

/// No row limit by default (tests set one, see [`StreamTyper::set_max_rows`]).
pub const MAX_ROWS: usize = usize::MAX;

static EMPTY: RawTable = RawTable::EMPTY;

/// How a streamed table ended.
#[derive(Debug)]
pub enum Streamed {
    /// Typed: a dataset holding this one table (its own names, quality
    /// record at index 0).
    Typed(Box<Dataset>),
    /// The values of the whole file call for other decisions than the
    /// first window's: read it again with these.
    Reread(Decisions),
}

/// A table being typed window by window.
pub struct StreamTyper {
    file: String,
    kind: Option<Kind>,
    overrides: BTreeMap<String, Option<String>>,
    pinned: Option<Decisions>,
    ds: Dataset,
    state: State,
    max_rows: usize,
    /// (steady, peak) memory budgets in bytes, see [`MAX_BYTES`].
    budget: (Option<usize>, Option<usize>),
    /// Rows past a limit: (line of the first, how many).
    overflow: Option<(u32, u32)>,
}

enum State {
    Waiting,
    Typing(Box<Builder<'static>>),
    /// The table cannot be used: every row is rejected and listed.
    Failed(Box<TableQuality>, Error),
}

impl StreamTyper {
    /// A typer for `file`, with the caller's kind and overrides, and the
    /// decisions of an earlier read when this is a re-read.
    pub fn new(
        file: &str,
        kind: Option<Kind>,
        overrides: BTreeMap<String, Option<String>>,
        pinned: Option<Decisions>,
    ) -> Self {
        StreamTyper {
            file: file.to_string(),
            kind,
            overrides,
            pinned,
            ds: Dataset::default(),
            state: State::Waiting,
            max_rows: MAX_ROWS,
            budget: (MAX_BYTES, MAX_PEAK_BYTES),
            overflow: None,
        }
    }

    /// Lowers the row limit (tests).
    pub fn set_max_rows(&mut self, n: usize) {
        self.max_rows = n;
    }

    /// Whether a window of `rows` more rows would pass a limit: the row
    /// limit, the steady memory budget, or the peak while a vector grows.
    fn full(&self, rows: usize) -> bool {
        let (steady, peak) = self.budget;
        let now = self.ds.approx_bytes();
        self.rows_typed() >= self.max_rows
            || steady.is_some_and(|m| now >= m)
            || peak.is_some_and(|m| now + self.ds.growth_bytes(rows) > m)
    }

    /// Lowers the memory budgets (steady, peak) (tests).
    pub fn set_budget(&mut self, steady: usize, peak: usize) {
        self.budget = (Some(steady), Some(peak));
    }

    fn rows_typed(&self) -> usize {
        let d = &self.ds;
        d.deals.len()
            + d.history.len()
            + d.activities.len()
            + d.leads.len()
            + d.quotas.len()
            + d.reps.len()
            + d.products.len()
            + d.fx.len()
    }

    /// Types the records of one window (lines in file order).
    pub fn window(&mut self, raw: &RawTable) {
        self.state = match std::mem::replace(&mut self.state, State::Waiting) {
            State::Waiting => self.first_window(raw),
            // Once rows stop being read, none after them is: the report says
            // "from line N on".
            State::Typing(b) if self.overflow.is_some() || self.full(raw.len()) => {
                if !raw.is_empty() {
                    self.overflow.get_or_insert((raw.line(0), 0)).1 += raw.len() as u32;
                }
                State::Typing(b)
            }
            State::Typing(b) => {
                let mut b = b.with_window(raw);
                b.count_styles(true);
                b.type_rows(&mut self.ds);
                State::Typing(Box::new(b.with_window(&EMPTY)))
            }
            State::Failed(mut q, e) => {
                structure_issues(&mut q, raw);
                reject_all(&mut q, raw, 0);
                State::Failed(q, e)
            }
        };
    }

    fn first_window(&mut self, raw: &RawTable) -> State {
        let mut q = TableQuality::new(&self.file, raw.format.sheet.clone());
        let input = TableInput {
            file: &self.file,
            raw,
            kind: self.kind,
            overrides: &self.overrides,
        };
        structure_issues(&mut q, raw);
        match prologue(&input, &mut q) {
            Err(e) => {
                reject_all(&mut q, raw, 1);
                State::Failed(Box::new(q), e)
            }
            Ok((header_row, headers, mapping)) => {
                self.ds.present.insert(mapping.kind);
                let mut b = Builder::new(raw, header_row, headers, mapping, 0, q);
                if let Some(p) = &self.pinned {
                    b.pin(p.clone());
                }
                b.count_styles(false);
                if self.pinned.is_none() {
                    b.decisions = b.final_decisions();
                }
                b.type_rows(&mut self.ds);
                State::Typing(Box::new(b.with_window(&EMPTY)))
            }
        }
    }

    /// Ends the table (after its last window).
    pub fn finish(mut self) -> Streamed {
        let typed = self.rows_typed();
        match self.state {
            State::Waiting => {
                let mut q = TableQuality::new(&self.file, None);
                q.error = Some(
                    Error::new(crate::error::ErrorKind::Empty)
                        .in_file(&self.file)
                        .to_string(),
                );
                self.ds.quality.push(q);
            }
            State::Typing(b) => {
                let wanted = b.final_decisions();
                if wanted != b.decisions {
                    return Streamed::Reread(wanted);
                }
                let mut q = b.finish();
                if let Some((line, n)) = self.overflow {
                    q.rows_read += n;
                    q.rows_rejected += n;
                    q.push(crate::quality::Issue {
                        line,
                        column: None,
                        value: None,
                        code: "too_large",
                        message: format!(
                            "{n} rows from line {line} on were not read: the browser's memory (4 GiB at most) holds {} rows of this table; split the file or use the command-line tool",
                            typed
                        ),
                        rejected: true,
                    });
                }
                self.ds.quality.push(q);
            }
            State::Failed(mut q, e) => {
                q.error = Some(e.in_file(&self.file).to_string());
                q.sort_issues();
                self.ds.quality.push(*q);
            }
        }
        self.ds.shrink_to_fit();
        Streamed::Typed(Box::new(self.ds))
    }
}

/// Every record of an unusable table from `from` on is read and rejected,
/// as for a table read whole.
pub(crate) fn reject_all(q: &mut TableQuality, raw: &RawTable, from: usize) {
    for r in from..raw.len() {
        q.rows_read += 1;
        q.reject(
            raw.line(r),
            None,
            None,
            "unusable_table",
            "row not used: the table could not be read (see the table's error)".into(),
        );
    }
}
