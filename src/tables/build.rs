//! From a raw table and its mapping to typed rows, with every decision and
//! every problem written into the table's data-quality record.
//!
//! # Design
//! Values are read in two passes over a column: the first classifies every
//! cell and decides the column's decimal style or date order from all of
//! them (SPEC §2: "decided per column from all its values, never per cell");
//! the second reads each cell with that decision. A cell that contradicts
//! the decision is reported, not guessed at.

use super::ids_seen::IdsSeen;
use super::key_sets::{ActivityLabels, Labels};
use super::memo::{
    read_date, read_number, CellMemo, DateCells, DateRead, NumberCells, NumberRead, Read, TextCells,
};
use super::*;
use crate::error::{Error, ErrorKind, Result};
use crate::ingest::value::{
    classify_date, classify_number, parse_period, DateClass, DateOrder, DecimalStyle, NumberClass,
};
use crate::ingest::RawTable;
use crate::quality::{ColumnReport, TableQuality};
use crate::schema::detect::{apply_overrides, detect_kind, map_columns, satisfies, score};
use crate::schema::kinds::columns;
use crate::schema::{Kind, Mapping, ValueType};
use chrono::NaiveTime;
use std::collections::{BTreeMap, HashMap};

/// A table to add to a dataset.
pub struct TableInput<'a> {
    /// The file name.
    pub file: &'a str,
    /// Its records.
    pub raw: &'a RawTable,
    /// The kind named by the caller, if any.
    pub kind: Option<Kind>,
    /// Column overrides: canonical → header (or `None` to unmap).
    pub overrides: &'a BTreeMap<String, Option<String>>,
}

/// How far down a file the header row is looked for.
const HEADER_SEARCH_ROWS: usize = 20;

/// Adds one table to the dataset; a table that cannot be used at all gives
/// an error (which the caller records) and adds no rows.
pub fn add_table(ds: &mut Dataset, input: &TableInput<'_>, q: &mut TableQuality) -> Result<()> {
    let raw = input.raw;
    // Counted whether or not the table turns out usable.
    structure_issues(q, raw);
    let (header_row, headers, mapping) = prologue(input, q)?;
    if raw.len() <= header_row + 1 && q.rows_rejected == 0 {
        return Err(Error::new(ErrorKind::NoRows));
    }
    ds.present.insert(mapping.kind);
    let table = ds.next_table();
    let taken = std::mem::replace(q, TableQuality::new("", None));
    let mut b = Builder::new(raw, header_row, headers, mapping, table, taken);
    b.count_styles(false);
    b.decisions = b.final_decisions();
    b.type_rows(ds);
    *q = b.finish();
    Ok(())
}

/// Finds the header row and the mapping, and fills the table's record
/// with what is known before any row is typed.
pub(crate) fn prologue(
    input: &TableInput<'_>,
    q: &mut TableQuality,
) -> Result<(usize, Vec<String>, Mapping)> {
    let raw = input.raw;
    q.encoding = Some(raw.format.encoding.clone());
    q.delimiter = raw.format.delimiter.clone();
    if raw.is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    let (header_row, mut mapping) = choose_header(raw, input)?;
    let headers: Vec<String> = raw
        .record(header_row)
        .map(|h| h.trim().to_string())
        .collect();
    apply_overrides(&mut mapping, &headers, input.overrides)?;
    if !satisfies(&mapping) {
        return Err(Error::new(ErrorKind::BadMapping(format!(
            "a {} table needs {}; the headers are {}",
            mapping.kind.name(),
            requirement(mapping.kind),
            headers.join(", ")
        ))));
    }
    q.table = Some(mapping.kind.name().to_string());
    q.kind_overridden = input.kind.is_some();
    q.header_line = Some(raw.line(header_row));
    for r in 0..header_row {
        q.warn(
            raw.line(r),
            None,
            None,
            "preamble",
            "line before the header row skipped".into(),
        );
    }
    Ok((header_row, headers, mapping))
}

/// Records the tokeniser's findings (stray quotes, bad bytes) and the rows
/// a full table could not hold.
pub(crate) fn structure_issues(q: &mut TableQuality, raw: &RawTable) {
    if let Some((line, n)) = raw.overflow {
        q.rows_read += n;
        q.rows_rejected += n;
        q.push(crate::quality::Issue {
            line,
            column: None,
            value: None,
            code: "too_large",
            message: format!(
                "{n} rows from line {line} on were not read: one table can hold {} MiB of text in this version; split the file",
                crate::ingest::RAW_LIMIT >> 20
            ),
            rejected: true,
        });
    }
    for s in &raw.issues {
        if s.rejects {
            q.rows_read += 1;
            q.reject(s.line, None, None, "unclosed_quote", s.message.clone());
        } else {
            q.warn(s.line, None, None, "bad_encoding", s.message.clone());
        }
    }
}

fn requirement(kind: Kind) -> &'static str {
    match kind {
        Kind::Deals => "a close date, or a created date with a stage, status or amount",
        Kind::StageHistory => "deal_id, stage and entered_date",
        Kind::Activities => "rep, type and date",
        Kind::Leads => "id and created_date",
        Kind::Quotas => {
            "rep (or team or region), amount and period (or period_start and period_end)"
        }
        Kind::Reps => "rep and one of team, manager, region, start_date",
        Kind::Products => "product and list_price",
        Kind::FxRates => "currency and rate",
    }
}

fn choose_header(raw: &RawTable, input: &TableInput<'_>) -> Result<(usize, Mapping)> {
    let mut best: Option<(u32, usize, Mapping)> = None;
    for r in 0..raw.len().min(HEADER_SEARCH_ROWS) {
        let headers: Vec<String> = raw.record(r).map(|h| h.trim().to_string()).collect();
        let m = match input.kind {
            Some(k) => map_columns(k, &headers),
            None => match detect_kind(&headers, input.file) {
                Some(m) => m,
                None => continue,
            },
        };
        let s = score(&m) + if satisfies(&m) { 1000 } else { 0 };
        if s > 0 && best.as_ref().is_none_or(|(b, _, _)| s > *b) {
            best = Some((s, r, m));
        }
    }
    match best {
        Some((_, r, m)) => Ok((r, m)),
        None if input.kind.is_some() => {
            let kind = input.kind.unwrap_or(Kind::Deals);
            let headers: Vec<String> = raw
                .record(0)
                .map(|h| crate::quality::shorten(h.trim()))
                .collect();
            Err(Error::new(ErrorKind::BadMapping(format!(
                "a {} table needs {}; the headers are {}",
                kind.name(),
                requirement(kind),
                headers.join(", ")
            )))
            .at_line(u64::from(raw.line(0))))
        }
        None => {
            let headers = raw
                .record(0)
                .map(|h| crate::quality::shorten(h.trim()))
                .collect();
            Err(Error::new(ErrorKind::UnknownKind { headers }).at_line(u64::from(raw.line(0))))
        }
    }
}

/// One cell read as a typed value.
enum Cell<T> {
    Missing,
    Bad,
    Ok(T),
}

impl<T> Cell<T> {
    /// The value, when the cell had a readable one.
    fn ok(self) -> Option<T> {
        match self {
            Cell::Ok(v) => Some(v),
            _ => None,
        }
    }
}

/// How each source column's values are read: decimal style, date order,
/// percent scale and the wide stage-history columns. Decided from every
/// value of the table; a streamed table decides from its first window and
/// checks the decision against all values at the end.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decisions {
    decimal: Vec<Option<(DecimalStyle, &'static str)>>,
    order: Vec<Option<(Option<DateOrder>, &'static str)>>,
    /// Source columns whose number cells are percents (probability > 1).
    percent_scale: Vec<bool>,
    /// Wide stage-history columns of a deals table: (stage, source column).
    entered: Vec<(String, usize)>,
}

/// What one source column's values look like, counted over every row.
#[derive(Debug, Clone, Copy, Default)]
struct StyleCounts {
    point: u64,
    comma: u64,
    above_one: bool,
    dmy: u64,
    mdy: u64,
    either: u64,
}

/// Counts number cell `f` (as written, spaces and all) into `c` and gives
/// its read in `style` for the typing: none when the cell has spaces around
/// it, which the typing trims and reads itself. A text read before in the
/// column is not read again.
fn count_number(
    cells: &mut NumberCells,
    c: &mut StyleCounts,
    f: &str,
    style: DecimalStyle,
) -> Option<NumberRead> {
    let (class, above, read) = cells.get(f, style, || {
        let parts = classify_number(f);
        let above = parts.as_ref().is_some_and(|p| {
            !p.is_percent() && p.value(DecimalStyle::Point).is_some_and(|v| v.abs() > 1.0)
        });
        let class = parts.as_ref().map(|p| p.class);
        (class, above, trimmed(f).then(|| read_number(parts, style)))
    });
    match class {
        Some(NumberClass::Point) => c.point += 1,
        Some(NumberClass::Comma) => c.comma += 1,
        _ => {}
    }
    c.above_one |= above;
    read
}

/// [`count_number`] for a date cell, read in `order`.
fn count_date(
    cells: &mut DateCells,
    c: &mut StyleCounts,
    f: &str,
    order: DateOrder,
    serials: bool,
) -> Option<DateRead> {
    let (class, read) = cells.get(f, order, || {
        let parts = classify_date(f, serials);
        let read = trimmed(f).then(|| read_date(parts, order));
        (parts.map(|p| p.class), read)
    });
    match class {
        Some(DateClass::DayFirst) => c.dmy += 1,
        Some(DateClass::MonthFirst) => c.mdy += 1,
        Some(DateClass::Either) => c.either += 1,
        Some(DateClass::Fixed) | None => {}
    }
    read
}

/// Whether `f` has no spaces around it: the typing reads trimmed text, so
/// only such a cell's read is kept for it.
#[inline]
fn trimmed(f: &str) -> bool {
    crate::ingest::value::trim(f).len() == f.len()
}

pub(crate) struct Builder<'a> {
    raw: &'a RawTable,
    /// The first data row of `raw` (past the header in the first window).
    first: usize,
    /// The rows [`Builder::type_rows`] is typing now, when a slice of them.
    span: Option<(usize, usize)>,
    header_line: u32,
    headers: Vec<String>,
    mapping: Mapping,
    table: u16,
    q: TableQuality,
    pub(crate) decisions: Decisions,
    serials: bool,
    semicolon: bool,
    counts: Vec<StyleCounts>,
    number_cols: Vec<(usize, bool)>,
    date_cols: Vec<usize>,
    /// Source columns of the kind's date columns.
    date_sources: Vec<usize>,
    /// `<x> date` headers that become stage history if `x` is a stage value.
    stage_date_candidates: Vec<usize>,
    /// Every stage value seen (keys), collected only when there are candidates.
    stage_values: std::collections::HashSet<String>,
    /// The deal ids met, for duplicate warnings across windows.
    seen: IdsSeen,
    /// The mapping's sources by canonical column, for per-cell lookups.
    by_col: FastMap<&'static str, Vec<usize>>,
    /// Stage names repeat on every row: each one's status is read once.
    stage_cache: FastMap<Box<str>, Option<Status>>,
    /// The same for the stage texts of up to 16 bytes, found without hashing.
    stage_memo: TextCells<(), Option<Status>>,
    /// Currency cells as written → their ISO code's symbol.
    ccy_cache: FastMap<Box<str>, Sym>,
    /// The same for the currency texts of up to 16 bytes.
    ccy_memo: TextCells<(), Sym>,
    /// Per source column, the symbols of its repeated values.
    sym_caches: Vec<SymCache>,
    /// The current window's number and date cells, read while counted.
    memo: CellMemo,
    /// Per source column, the date and number cells already read (after
    /// the first window).
    date_cells: Vec<DateCells>,
    number_cells: Vec<NumberCells>,
    /// Per source column, the classes of the date cells counted before the
    /// decisions (a first window, a table typed whole).
    date_classes: Vec<TextCells<(), Option<DateClass>>>,
    /// Per source column, the number reads of the typing where nothing was
    /// memoised (a first window, a table typed whole), by text; dates share
    /// `date_cells` (a number's entry there also reads it with a point).
    number_reads: Vec<TextCells<DecimalStyle, NumberRead>>,
    /// A deals table's date and number columns that the typing reads on
    /// every row it uses (the only source of their column): past the first
    /// window, the typing counts their cells as it reads them, instead of
    /// [`Builder::count_styles`] reading them first and memoising the reads.
    folds: Vec<usize>,
    /// Whether the current window's [`Builder::folds`] are counted by the typing.
    folding: bool,
}

/// Rows typed per call (see [`Builder::type_rows`]).
const TYPING_SLICE: usize = 4096;

impl<'a> Builder<'a> {
    pub(crate) fn new(
        raw: &'a RawTable,
        header_row: usize,
        headers: Vec<String>,
        mapping: Mapping,
        table: u16,
        q: TableQuality,
    ) -> Self {
        let n = headers.len();
        let serials = raw.serial_dates;
        let semicolon = raw.format.delimiter.as_deref() == Some(";");
        let header_line = raw.line(header_row);
        let mut b = Builder {
            raw,
            first: header_row + 1,
            span: None,
            header_line,
            headers,
            mapping,
            table,
            q,
            decisions: Decisions {
                decimal: vec![None; n],
                order: vec![None; n],
                percent_scale: vec![false; n],
                entered: Vec::new(),
            },
            serials,
            semicolon,
            counts: vec![StyleCounts::default(); n],
            number_cols: Vec::new(),
            date_cols: Vec::new(),
            date_sources: Vec::new(),
            stage_date_candidates: Vec::new(),
            stage_values: Default::default(),
            seen: IdsSeen::default(),
            by_col: FastMap::default(),
            stage_cache: FastMap::default(),
            stage_memo: TextCells::with_bits(6),
            ccy_cache: FastMap::default(),
            ccy_memo: TextCells::with_bits(6),
            sym_caches: vec![SymCache::default(); n],
            memo: CellMemo::default(),
            date_cells: Vec::new(),
            number_cells: Vec::new(),
            date_classes: Vec::new(),
            number_reads: Vec::new(),
            folds: Vec::new(),
            folding: false,
        };
        b.by_col = b
            .mapping
            .sources
            .iter()
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        for (name, i) in b.sources_of(ValueType::Number) {
            if let Some(c) = b.number_cols.iter_mut().find(|c| c.0 == i) {
                c.1 |= name == "probability";
            } else {
                b.number_cols.push((i, name == "probability"));
            }
        }
        if b.mapping.kind == Kind::Deals {
            b.stage_date_candidates = b.stage_date_headers();
        }
        b.collect_stage_values();
        b.decisions.entered = b.entered_columns();
        // Every column that may turn out to be stage history is counted from
        // the start: a later window can make a `<stage> date` header one.
        b.date_sources = b.sources_of(ValueType::Date).iter().map(|s| s.1).collect();
        let mut dates = b.date_sources.clone();
        dates.extend(b.decisions.entered.iter().map(|(_, i)| *i));
        dates.extend(b.stage_date_candidates.iter().copied());
        for i in dates {
            if !b.date_cols.contains(&i) {
                b.date_cols.push(i);
            }
        }
        if b.mapping.kind == Kind::Deals {
            let mapped: Vec<usize> = b.mapping.sources.values().flatten().copied().collect();
            for col in ["created_date", "close_date", "amount", "probability"] {
                if let &[i] = b.mapping.get(col) {
                    if mapped.iter().filter(|&&j| j == i).count() == 1 {
                        b.folds.push(i);
                    }
                }
            }
        }
        b
    }

    /// The builder moved onto the next window of a streamed table (or onto
    /// [`RawTable::EMPTY`] between windows); the tokeniser's findings in
    /// the window are recorded.
    pub(crate) fn with_window<'b>(self, raw: &'b RawTable) -> Builder<'b> {
        let mut b = Builder {
            raw,
            first: 0,
            span: None,
            header_line: self.header_line,
            headers: self.headers,
            mapping: self.mapping,
            table: self.table,
            q: self.q,
            decisions: self.decisions,
            serials: self.serials,
            semicolon: self.semicolon,
            counts: self.counts,
            number_cols: self.number_cols,
            date_cols: self.date_cols,
            date_sources: self.date_sources,
            stage_date_candidates: self.stage_date_candidates,
            stage_values: self.stage_values,
            seen: self.seen,
            by_col: self.by_col,
            stage_cache: self.stage_cache,
            stage_memo: self.stage_memo,
            ccy_cache: self.ccy_cache,
            ccy_memo: self.ccy_memo,
            sym_caches: self.sym_caches,
            memo: self.memo,
            date_cells: self.date_cells,
            number_cells: self.number_cells,
            date_classes: self.date_classes,
            number_reads: self.number_reads,
            folds: self.folds,
            folding: false,
        };
        b.memo.clear();
        structure_issues(&mut b.q, raw);
        b.collect_stage_values();
        b
    }

    /// Uses decisions taken on an earlier read of the same file.
    pub(crate) fn pin(&mut self, d: Decisions) {
        self.decisions = d;
    }

    /// Types every row of the current window into `ds`.
    pub(crate) fn type_rows(&mut self, ds: &mut Dataset) {
        // The large tables are typed a slice of rows at a time. WebAssembly
        // engines start every function in a quick baseline compilation and
        // swap in optimised code for the *next* call once it has run enough:
        // one call over a table of 100,000 rows (a file small enough to be
        // kept as text, typed at the first report) ran wholly on the baseline
        // code. The rows, their order and every issue are the same. The
        // per-table functions are never inlined here: inlined, the slices
        // were one call again, and a table kept as text was typed on the
        // baseline code throughout (with the report's first scans also in
        // slices, the full demo set's file-to-figures 1.13 → 1.08 s in the
        // browser).
        let kind = self.mapping.kind;
        if matches!(
            kind,
            Kind::Deals | Kind::StageHistory | Kind::Activities | Kind::Leads
        ) {
            let (start, end) = (self.first, self.raw.len());
            let mut at = start;
            while at < end {
                let stop = end.min(at + TYPING_SLICE);
                self.span = Some((at, stop));
                match kind {
                    Kind::Deals => self.deals(ds),
                    Kind::StageHistory => self.history(ds),
                    Kind::Activities => self.activities(ds),
                    _ => self.leads(ds),
                }
                at = stop;
            }
            self.span = None;
            return;
        }
        match kind {
            Kind::Deals => self.deals(ds),
            Kind::StageHistory => self.history(ds),
            Kind::Activities => self.activities(ds),
            Kind::Leads => self.leads(ds),
            Kind::Quotas => self.quotas(ds),
            Kind::Reps => self.reps(ds),
            Kind::Products => self.products(ds),
            Kind::FxRates => self.fx(ds),
        }
    }

    /// The table's record, with its columns; issues in line order.
    pub(crate) fn finish(mut self) -> TableQuality {
        self.report_columns();
        self.q.sort_issues();
        self.q
    }

    /// The decisions the values of every row so far call for.
    pub(crate) fn final_decisions(&self) -> Decisions {
        self.decide(self.entered_columns())
    }

    fn rows(&self) -> std::ops::Range<usize> {
        match self.span {
            Some((a, b)) => a..b,
            None => self.first..self.raw.len(),
        }
    }

    fn sources_of(&self, ty: ValueType) -> Vec<(&'static str, usize)> {
        let mut v = Vec::new();
        for def in columns(self.mapping.kind) {
            if def.ty == ty {
                for &i in self.mapping.get(def.name) {
                    v.push((def.name, i));
                }
            }
        }
        v
    }

    /// Counts, for each numeric and date column, how its values of the
    /// current window are written. With `memoise`, the decisions in force
    /// stay for the window (a window after the first), so each cell is also
    /// read with its column's decision for the typing to take (see
    /// [`super::memo`]); a deals table's columns that the typing reads on
    /// every row are counted by the typing instead ([`Builder::folds`]).
    pub(crate) fn count_styles(&mut self, memoise: bool) {
        self.folding = memoise && !self.folds.is_empty();
        let folded = |b: &Self, i: usize| b.folding && b.folds.contains(&i);
        if memoise {
            let rows = self.rows();
            let numbers: Vec<usize> = (self.number_cols.iter().map(|&(i, _)| i))
                .filter(|&i| !folded(self, i))
                .collect();
            let dates: Vec<usize> = (self.date_cols.iter().copied())
                .filter(|&i| !folded(self, i))
                .collect();
            let width = self.headers.len();
            self.memo.begin(
                rows.start,
                rows.len(),
                width,
                numbers.into_iter(),
                dates.into_iter(),
            );
        } else {
            self.memo.clear();
        }
        for k in 0..self.number_cols.len() {
            let (i, _) = self.number_cols[k];
            if self.number_cells.len() <= i {
                self.number_cells.resize_with(i + 1, NumberCells::default);
            }
            if folded(self, i) {
                continue;
            }
            let style = self.decimal_style(i);
            let mut c = self.counts[i];
            for r in self.rows() {
                let f = self.raw.field(r, i);
                if !memoise {
                    // The first window: classes and the first value above one.
                    if let Some(p) = classify_number(f) {
                        match p.class {
                            NumberClass::Point => c.point += 1,
                            NumberClass::Comma => c.comma += 1,
                            _ => {}
                        }
                        if !c.above_one && !p.is_percent() {
                            if let Some(v) = p.value(DecimalStyle::Point) {
                                c.above_one |= v.abs() > 1.0;
                            }
                        }
                    }
                    continue;
                }
                let read = count_number(&mut self.number_cells[i], &mut c, f, style);
                self.memo.push_number(read);
            }
            self.counts[i] = c;
        }
        let serials = self.serials;
        for k in 0..self.date_cols.len() {
            let i = self.date_cols[k];
            if self.date_cells.len() <= i {
                self.date_cells.resize_with(i + 1, DateCells::default);
                self.date_classes.resize_with(i + 1, TextCells::default);
            }
            if folded(self, i) {
                continue;
            }
            let order = self.date_order(i);
            let mut c = self.counts[i];
            for r in self.rows() {
                let f = self.raw.field(r, i);
                if memoise {
                    let read = count_date(&mut self.date_cells[i], &mut c, f, order, serials);
                    self.memo.push_date(read);
                    continue;
                }
                // A first window or a table typed whole is only counted
                // here, before its decisions: a text classed before is not
                // classed again.
                let class =
                    self.date_classes[i].get(f, (), || classify_date(f, serials).map(|p| p.class));
                match class {
                    Some(DateClass::DayFirst) => c.dmy += 1,
                    Some(DateClass::MonthFirst) => c.mdy += 1,
                    Some(DateClass::Either) => c.either += 1,
                    Some(DateClass::Fixed) | None => {}
                }
            }
            self.counts[i] = c;
        }
    }

    /// Counts row `r`'s cells in the folded columns when the typing will
    /// not read them (a row it does not use): every value is counted.
    fn count_folded(&mut self, r: usize) {
        if !self.folding {
            return;
        }
        for k in 0..self.folds.len() {
            let i = self.folds[k];
            let f = self.raw.field(r, i);
            if self.number_cols.iter().any(|&(n, _)| n == i) {
                let style = self.decimal_style(i);
                count_number(&mut self.number_cells[i], &mut self.counts[i], f, style);
            } else {
                let order = self.date_order(i);
                let c = &mut self.counts[i];
                count_date(&mut self.date_cells[i], c, f, order, self.serials);
            }
        }
    }

    /// Column `i`'s decimal style as decided (a point until it is).
    fn decimal_style(&self, i: usize) -> DecimalStyle {
        self.decisions.decimal[i]
            .map(|d| d.0)
            .unwrap_or(DecimalStyle::Point)
    }

    /// Column `i`'s date order as decided (month first until it is).
    fn date_order(&self, i: usize) -> DateOrder {
        self.decisions.order[i]
            .and_then(|o| o.0)
            .unwrap_or(DateOrder::MonthFirst)
    }

    /// Decides each numeric column's decimal style and each date column's
    /// order from the counts, then the file's locale for the columns whose
    /// values leave it open (SPEC §2: per column, from all its values).
    fn decide(&self, entered: Vec<(String, usize)>) -> Decisions {
        let n = self.headers.len();
        let mut d = Decisions {
            decimal: vec![None; n],
            order: vec![None; n],
            percent_scale: vec![false; n],
            entered,
        };
        let mut decided_comma = false;
        let mut decided_point = false;
        let mut pending_numbers = Vec::new();
        for &(i, probability) in &self.number_cols {
            let c = self.counts[i];
            if probability {
                d.percent_scale[i] = c.above_one;
            }
            if c.point > c.comma {
                decided_point = true;
                d.decimal[i] = Some((DecimalStyle::Point, "values"));
            } else if c.comma > c.point {
                decided_comma = true;
                d.decimal[i] = Some((DecimalStyle::Comma, "values"));
            } else {
                pending_numbers.push(i);
            }
        }
        let mut decided_day = false;
        let mut decided_month = false;
        let mut pending_dates = Vec::new();
        let dated =
            |i: &usize| self.date_sources.contains(i) || d.entered.iter().any(|(_, e)| e == i);
        let used: Vec<usize> = self.date_cols.iter().copied().filter(dated).collect();
        for i in used {
            let c = self.counts[i];
            if c.dmy > c.mdy {
                decided_day = true;
                d.order[i] = Some((Some(DateOrder::DayFirst), "values"));
            } else if c.mdy > c.dmy {
                decided_month = true;
                d.order[i] = Some((Some(DateOrder::MonthFirst), "values"));
            } else if c.either > 0 {
                pending_dates.push(i);
            } else {
                d.order[i] = Some((None, "values"));
            }
        }
        // The file's locale, for columns whose values could be read either way.
        let semicolon = self.semicolon;
        let indonesian = self.headers.iter().any(|h| {
            let l = h.to_lowercase();
            [
                "tanggal", "nilai", "tahap", "wilayah", "penjual", "produk", "sumber",
            ]
            .iter()
            .any(|w| l.contains(w))
        });
        let comma_locale = decided_comma || (!decided_point && (semicolon || indonesian));
        for i in pending_numbers {
            // Spreadsheet cells hold numbers, not text: the point is the reader's, not a locale.
            d.decimal[i] = Some(if self.serials {
                (DecimalStyle::Point, "spreadsheet numbers")
            } else if comma_locale {
                (DecimalStyle::Comma, "file locale (ambiguous values)")
            } else {
                (DecimalStyle::Point, "file locale (ambiguous values)")
            });
        }
        let day_first = if decided_day != decided_month {
            decided_day
        } else {
            comma_locale || semicolon || indonesian
        };
        for i in pending_dates {
            let order = if day_first {
                DateOrder::DayFirst
            } else {
                DateOrder::MonthFirst
            };
            d.order[i] = Some((Some(order), "file locale (ambiguous values)"));
        }
        d
    }

    fn report_columns(&mut self) {
        let mut canon: HashMap<usize, String> = HashMap::new();
        for (name, src) in &self.mapping.sources {
            for &i in src {
                canon.insert(i, name.to_string());
            }
        }
        for (stage, i) in &self.decisions.entered {
            canon.insert(*i, format!("entered:{stage}"));
        }
        for (i, h) in self.headers.iter().enumerate() {
            let (style, by) = if let Some((s, by)) = self.decisions.decimal[i] {
                let s = match s {
                    DecimalStyle::Point => "decimal point",
                    DecimalStyle::Comma => "decimal comma",
                };
                (Some(s.to_string()), Some(by.to_string()))
            } else if let Some((o, by)) = self.decisions.order[i] {
                let s = match o {
                    Some(DateOrder::DayFirst) => "day-first",
                    Some(DateOrder::MonthFirst) => "month-first",
                    None => "iso or named month",
                };
                (Some(s.to_string()), Some(by.to_string()))
            } else {
                (None, None)
            };
            self.q.columns.push(ColumnReport {
                header: h.clone(),
                mapped_to: canon.get(&i).cloned(),
                style,
                decided_by: by,
            });
        }
    }

    fn origin(&self, r: usize) -> Origin {
        Origin {
            table: self.table,
            line: self.raw.line(r),
        }
    }

    /// Checks a row's width; returns false (and rejects it) when it cannot be used.
    fn row_ok(&mut self, r: usize) -> bool {
        let w = self.raw.width(r);
        // `value::trim` is `str::trim` with a fast path for text that
        // starts and ends with a printable ASCII byte (nearly every cell).
        let blank = |c| crate::ingest::value::trim(self.raw.field(r, c)).is_empty();
        if (0..w).all(blank) {
            self.q.blank_rows += 1;
            return false;
        }
        self.q.rows_read += 1;
        let n = self.headers.len();
        if w > n {
            let extra = !(n..w).all(blank);
            if extra {
                let line = self.raw.line(r);
                self.q.reject(
                    line,
                    None,
                    None,
                    "ragged_row",
                    format!("row has {w} fields but the header has {n}; it was not used"),
                );
                return false;
            }
        } else if w < n {
            let line = self.raw.line(r);
            self.q.warn(
                line,
                None,
                None,
                "short_row",
                format!("row has {w} fields but the header has {n}; the missing ones were read as empty"),
            );
        }
        true
    }

    /// The first non-empty source cell of canonical column `col`.
    fn text(&self, r: usize, col: &str) -> Option<(&'a str, usize)> {
        self.text_in(r, self.sources(col))
    }

    /// The first non-empty cell of row `r` among source columns `src`.
    // Always inlined, as `sym_in`: called some ten times a row, and a
    // call in wasm passes the found cell back through memory (553.0 →
    // 520.1 M instructions to type the 100k file's windows, the two
    // together; 2.3 KB more module gzipped).
    #[inline(always)]
    fn text_in(&self, r: usize, src: &[usize]) -> Option<(&'a str, usize)> {
        for &i in src {
            let v = crate::ingest::value::trim(self.raw.field(r, i));
            if !v.is_empty() {
                return Some((v, i));
            }
        }
        None
    }

    /// The source columns of canonical column `col` (looked up by hash:
    /// this runs for every cell).
    fn sources(&self, col: &str) -> &[usize] {
        self.by_col.get(col).map_or(&[], Vec::as_slice)
    }

    /// The sources of each of `cols`, resolved once for a loop over rows
    /// (a lookup by name per cell hashes the name each time).
    fn columns<const N: usize>(&self, cols: [&str; N]) -> [Vec<usize>; N] {
        cols.map(|c| self.sources(c).to_vec())
    }

    fn sym(&mut self, names: &mut Names, r: usize, col: &str) -> Option<Sym> {
        let found = self.text(r, col);
        found.map(|(v, i)| self.sym_caches[i].intern(names, v))
    }

    /// [`Builder::sym`] over sources resolved beforehand.
    #[inline(always)]
    fn sym_in(&mut self, names: &mut Names, r: usize, src: &[usize]) -> Option<Sym> {
        let found = self.text_in(r, src);
        found.map(|(v, i)| self.sym_caches[i].intern(names, v))
    }

    /// Rows typed after one [`Builder::warm`].
    const WARM_ROWS: usize = 16;

    /// Touches the interner's slots for the id cells (columns whose memo
    /// gave up) of the [`Builder::WARM_ROWS`] rows from `r`, at the first
    /// row of each such group, so that their cache misses overlap instead
    /// of coming one per row ([`Names::touch`]). Only a hint: it reads the
    /// column's first source, and changes nothing.
    fn warm(&self, names: &Names, r: usize, end: usize, cols: &[&[usize]]) {
        if (r - self.rows().start) % Self::WARM_ROWS != 0 {
            return;
        }
        let mut acc = 0u64;
        for src in cols {
            let Some(&i) = src.first() else { continue };
            if !self.sym_caches[i].is_full() {
                continue;
            }
            // A value the row before had is in cache already (a table
            // sorted by deal names one deal on row after row); a column of
            // values that rarely repeat is not compared.
            let repeats = self.sym_caches[i].repeats();
            let mut last = "";
            for row in r..end.min(r + Self::WARM_ROWS) {
                let v = crate::ingest::value::trim(self.raw.field(row, i));
                let seen = v.is_empty() || (repeats && v == last);
                if seen {
                    continue;
                }
                // Numbered ids found by their number have no slot to warm
                // (and in order, their slots are next to each other): the
                // group's first value tells for the column.
                if last.is_empty() && names.by_number(v) {
                    break;
                }
                acc ^= names.touch(v);
                last = v;
            }
        }
        std::hint::black_box(acc);
    }

    /// [`Builder::date_time`] over sources resolved beforehand.
    fn date_in(&mut self, r: usize, src: &[usize], reject: bool) -> Cell<NaiveDate> {
        let found = self.text_in(r, src);
        self.date_of(r, found, reject)
    }

    /// A date cell found by [`Builder::text_in`], without its time.
    fn date_of(
        &mut self,
        r: usize,
        found: Option<(&'a str, usize)>,
        reject: bool,
    ) -> Cell<NaiveDate> {
        match self.date_time_of(r, found, reject) {
            Cell::Ok((d, _)) => Cell::Ok(d),
            Cell::Bad => Cell::Bad,
            Cell::Missing => Cell::Missing,
        }
    }

    fn bad(&mut self, r: usize, i: usize, v: &str, what: &str, reject: bool) {
        let line = self.raw.line(r);
        let header = self.headers[i].clone();
        let code = if what.contains("date") {
            "bad_date"
        } else {
            "bad_number"
        };
        if reject {
            self.q.reject(
                line,
                Some(&header),
                Some(v),
                code,
                format!("{what}; the row was not used"),
            );
        } else {
            self.q.warn(
                line,
                Some(&header),
                Some(v),
                code,
                format!("{what}; read as empty"),
            );
        }
    }

    fn number(&mut self, r: usize, col: &str, reject: bool) -> Cell<(f64, Option<&'static str>)> {
        let found = self.text(r, col);
        self.number_of(r, found, col == "probability", reject)
    }

    /// A number cell found by [`Builder::text_in`], read with its column's style.
    fn number_of(
        &mut self,
        r: usize,
        found: Option<(&'a str, usize)>,
        probability: bool,
        reject: bool,
    ) -> Cell<(f64, Option<&'static str>)> {
        let Some((v, i)) = found else {
            return Cell::Missing;
        };
        let read = self.memo.number(i, r);
        self.number_read(r, i, v, read, probability, reject)
    }

    /// The number in folded column `i` (see [`Builder::folds`]) on row
    /// `r`: counted for the column's style and read at once.
    fn number_folded(
        &mut self,
        r: usize,
        i: usize,
        probability: bool,
        reject: bool,
    ) -> Cell<(f64, Option<&'static str>)> {
        let f = self.raw.field(r, i);
        let style = self.decimal_style(i);
        let read = count_number(&mut self.number_cells[i], &mut self.counts[i], f, style);
        let v = crate::ingest::value::trim(f);
        if v.is_empty() {
            return Cell::Missing;
        }
        self.number_read(r, i, v, read, probability, reject)
    }

    /// Number cell `v` (trimmed) of column `i` on row `r`, from its read
    /// when one was taken while counting, else read here.
    fn number_read(
        &mut self,
        r: usize,
        i: usize,
        v: &'a str,
        read: Option<NumberRead>,
        probability: bool,
        reject: bool,
    ) -> Cell<(f64, Option<&'static str>)> {
        let style = self.decimal_style(i);
        let read = match read {
            Some(read) => read,
            // A first window or a table typed whole: a text read before
            // is not read again.
            None => {
                if self.number_reads.len() <= i {
                    self.number_reads.resize_with(i + 1, TextCells::default);
                }
                self.number_reads[i].get(v, style, || read_number(classify_number(v), style))
            }
        };
        match read {
            Read::Value((mut x, percent, currency)) => {
                if probability && self.decisions.percent_scale[i] && !percent {
                    x /= 100.0;
                }
                Cell::Ok((x, currency))
            }
            Read::OtherStyle => {
                let style = match style {
                    DecimalStyle::Point => "a decimal point",
                    DecimalStyle::Comma => "a decimal comma",
                };
                self.bad(r, i, v, &format!("number written differently from the rest of the column, which uses {style}"), reject);
                Cell::Bad
            }
            Read::Invalid => {
                self.bad(r, i, v, "not a number", reject);
                Cell::Bad
            }
        }
    }

    /// A date cell found by [`Builder::text_in`], read in its column's order.
    fn date_time_of(
        &mut self,
        r: usize,
        found: Option<(&'a str, usize)>,
        reject: bool,
    ) -> Cell<(NaiveDate, Option<NaiveTime>)> {
        let Some((v, i)) = found else {
            return Cell::Missing;
        };
        let read = self.memo.date(i, r);
        self.date_read(r, i, v, read, reject)
    }

    /// The date in folded column `i` (see [`Builder::folds`]) on row `r`,
    /// without its time: counted for the column's order and read at once.
    fn date_folded(&mut self, r: usize, i: usize, reject: bool) -> Cell<NaiveDate> {
        let f = self.raw.field(r, i);
        let order = self.date_order(i);
        let read = count_date(
            &mut self.date_cells[i],
            &mut self.counts[i],
            f,
            order,
            self.serials,
        );
        let v = crate::ingest::value::trim(f);
        if v.is_empty() {
            return Cell::Missing;
        }
        match self.date_read(r, i, v, read, reject) {
            Cell::Ok((d, _)) => Cell::Ok(d),
            Cell::Bad => Cell::Bad,
            Cell::Missing => Cell::Missing,
        }
    }

    /// Date cell `v` (trimmed) of column `i` on row `r`, from its read
    /// when one was taken while counting, else read here.
    fn date_read(
        &mut self,
        r: usize,
        i: usize,
        v: &'a str,
        read: Option<DateRead>,
        reject: bool,
    ) -> Cell<(NaiveDate, Option<NaiveTime>)> {
        let order = self.date_order(i);
        let serials = self.serials;
        let read = match read {
            Some(read) => read,
            // The same cache as the later windows' counts: `v` is trimmed,
            // so its entry there holds its read.
            None => {
                if self.date_cells.len() <= i {
                    self.date_cells.resize_with(i + 1, DateCells::default);
                    self.date_classes.resize_with(i + 1, TextCells::default);
                }
                let (_, read) = self.date_cells[i].get(v, order, || {
                    let parts = classify_date(v, serials);
                    (parts.map(|p| p.class), Some(read_date(parts, order)))
                });
                read.unwrap_or_else(|| read_date(classify_date(v, serials), order))
            }
        };
        match read {
            Read::Value(d) => Cell::Ok(d),
            Read::OtherStyle => {
                let o = match order {
                    DateOrder::DayFirst => "day-first",
                    DateOrder::MonthFirst => "month-first",
                };
                self.bad(
                    r,
                    i,
                    v,
                    &format!("not a valid date in this column's {o} order"),
                    reject,
                );
                Cell::Bad
            }
            Read::Invalid => {
                self.bad(r, i, v, "not a valid date", reject);
                Cell::Bad
            }
        }
    }

    fn date(&mut self, r: usize, col: &str, reject: bool) -> Cell<NaiveDate> {
        let found = self.text(r, col);
        self.date_of(r, found, reject)
    }

    fn opt_date(&mut self, r: usize, col: &str) -> Option<NaiveDate> {
        self.date(r, col, false).ok()
    }

    fn reject_missing(&mut self, r: usize, col: &str) {
        let line = self.raw.line(r);
        let header = self
            .mapping
            .get(col)
            .first()
            .map(|&i| self.headers[i].clone());
        self.q.reject(
            line,
            header.as_deref(),
            None,
            "missing_value",
            format!(
                "no {col}, which a {} row needs; the row was not used",
                self.mapping.kind.name()
            ),
        );
    }

    /// Headers ending in ` date` or `_date` that no column claims: each is
    /// stage history when its stage is a known one or a value of the stage column.
    fn stage_date_headers(&self) -> Vec<usize> {
        let taken: std::collections::HashSet<usize> =
            self.mapping.sources.values().flatten().copied().collect();
        (0..self.headers.len())
            .filter(|i| !taken.contains(i))
            .filter(|&i| {
                let h = &self.headers[i];
                let entered = h
                    .get(..12)
                    .is_some_and(|p| p.eq_ignore_ascii_case("date entered"));
                let tail = h
                    .len()
                    .checked_sub(5)
                    .and_then(|i| h.get(i..))
                    .is_some_and(|t| {
                        t.eq_ignore_ascii_case(" date") || t.eq_ignore_ascii_case("_date")
                    });
                !entered && tail
            })
            .collect()
    }

    /// Adds the current window's stage values to those seen, when a
    /// `<stage> date` header could depend on them.
    fn collect_stage_values(&mut self) {
        if self.stage_date_candidates.is_empty() {
            return;
        }
        if let Some(&i) = self.mapping.get("stage").first() {
            for r in self.rows() {
                let key = crate::metrics::stages::stage_key(self.raw.field(r, i));
                self.stage_values.insert(key);
            }
        }
    }

    /// Wide stage history: HubSpot's `Date entered "<stage> (<pipeline>)"`
    /// and any `<stage> date` column whose stage is a known default or a
    /// value of the file's stage column.
    fn entered_columns(&self) -> Vec<(String, usize)> {
        if self.mapping.kind != Kind::Deals {
            return Vec::new();
        }
        let taken: std::collections::HashSet<usize> =
            self.mapping.sources.values().flatten().copied().collect();
        let known = crate::metrics::stages::known_stage_keys();
        let mut out = Vec::new();
        for (i, h) in self.headers.iter().enumerate() {
            if taken.contains(&i) {
                continue;
            }
            // Matched on the header's own bytes: lower-casing can change a
            // string's length, so its offsets must not be used on the original.
            let head = h
                .get(..12)
                .filter(|p| p.eq_ignore_ascii_case("date entered"));
            let stage = if head.is_some() {
                let rest = h[12..]
                    .trim()
                    .trim_matches(|c| c == '"' || c == '\'' || c == ':')
                    .trim();
                let rest = match rest.rfind('(') {
                    Some(p) if rest.ends_with(')') && p > 0 => rest[..p].trim(),
                    _ => rest,
                };
                Some(rest.to_string())
            } else if self.stage_date_candidates.contains(&i) {
                let name = h[..h.len() - 5].trim();
                let key = crate::metrics::stages::stage_key(name);
                (known.contains(&key) || self.stage_values.contains(&key)).then(|| name.to_string())
            } else {
                None
            };
            if let Some(stage) = stage.filter(|s| !s.is_empty()) {
                out.push((stage, i));
            }
        }
        out
    }

    /// The date in source column `i` of row `r`, warning when unreadable.
    fn date_at(&mut self, r: usize, i: usize) -> Option<NaiveDate> {
        let v = self.raw.field(r, i).trim();
        if v.is_empty() {
            return None;
        }
        let order = self.decisions.order[i]
            .and_then(|o| o.0)
            .unwrap_or(DateOrder::MonthFirst);
        match classify_date(v, self.serials)
            .filter(|p| p.fits(order))
            .and_then(|p| p.date(order))
        {
            Some(d) => Some(d),
            None => {
                self.bad(r, i, v, "not a valid date", false);
                None
            }
        }
    }

    // Never inlined: see `type_rows`.
    #[inline(never)]
    fn deals(&mut self, ds: &mut Dataset) {
        let has_status = self.mapping.has("status");
        let has_stage = self.mapping.has("stage");
        let closed_sales = !has_status && !has_stage;
        // Said once, in the window that holds the header.
        if closed_sales && self.first > 0 && self.rows().start == self.first {
            let line = self.header_line;
            self.q.warn(
                line,
                None,
                None,
                "closed_sales",
                "no stage or status column: every row is counted as a won sale closed on its date"
                    .into(),
            );
        }
        let header_of =
            |b: &Self, col: &str| b.mapping.get(col).first().map(|&i| b.headers[i].clone());
        let (id_h, amount_h, close_h) = (
            header_of(self, "id"),
            header_of(self, "amount"),
            header_of(self, "close_date"),
        );
        let [c_created, c_close, c_stage, c_status, c_amount, c_prob, c_ccy] = self.columns([
            "created_date",
            "close_date",
            "stage",
            "status",
            "amount",
            "probability",
            "currency",
        ]);
        // The account is recognised (so it is not a column left unread) but
        // no figure uses it, and a deal does not keep it (see
        // docs/decisions.md).
        let [c_id, c_owner, c_product, c_region, c_team, c_source, c_lost, c_lead] =
            self.columns([
                "id",
                "owner",
                "product",
                "region",
                "team",
                "source",
                "lost_reason",
                "lead_id",
            ]);
        // Each of these read on every row used: a folded column's cells are
        // counted as they are read (see `Builder::folds`).
        let fold = |b: &Self, src: &[usize]| match src {
            &[i] if b.folding && b.folds.contains(&i) => Some(i),
            _ => None,
        };
        let [f_created, f_close, f_amount, f_prob] =
            [&c_created, &c_close, &c_amount, &c_prob].map(|src| fold(self, src));
        let end = self.rows().end;
        for r in self.rows() {
            self.warm(&ds.names, r, end, &[&c_id, &c_lead]);
            if !self.row_ok(r) {
                self.count_folded(r);
                continue;
            }
            let origin = self.origin(r);
            let created = match f_created {
                Some(i) => self.date_folded(r, i, false),
                None => self.date_in(r, &c_created, false),
            };
            let close = match f_close {
                Some(i) => self.date_folded(r, i, false),
                None => self.date_in(r, &c_close, false),
            };
            let (created, close) = (created.ok(), close.ok());
            let stage_col = self.text_in(r, &c_stage);
            let stage_text = stage_col.map(|(v, _)| v);
            let mut status = if closed_sales {
                Some(Status::Won)
            } else {
                None
            };
            if let Some((v, i)) = self.text_in(r, &c_status) {
                status = parse_status(v);
                if status.is_none() {
                    let (line, h) = (origin.line, self.headers[i].clone());
                    self.q.warn(
                        line,
                        Some(&h),
                        Some(v),
                        "unknown_status",
                        "status not recognised; the stage decides".into(),
                    );
                }
            }
            let status = status
                .or_else(|| {
                    let (memo, cache) = (&mut self.stage_memo, &mut self.stage_cache);
                    stage_text.and_then(|t| {
                        memo.get(t, (), || match cache.get(t) {
                            Some(s) => *s,
                            None => {
                                let s = stage_status(t);
                                cache.insert(t.into(), s);
                                s
                            }
                        })
                    })
                })
                .unwrap_or(Status::Open);
            let amount = match f_amount {
                Some(i) => self.number_folded(r, i, false, false),
                None => {
                    let found = self.text_in(r, &c_amount);
                    self.number_of(r, found, false, false)
                }
            };
            let (amount, cell_ccy) = match amount {
                Cell::Ok((v, c)) => (Some(v), c),
                _ => (None, None),
            };
            let probability = match f_prob {
                Some(i) => self.number_folded(r, i, true, false),
                None => {
                    let found = self.text_in(r, &c_prob);
                    self.number_of(r, found, true, false)
                }
            };
            let probability = match probability {
                Cell::Ok((v, _)) => Some(v.clamp(0.0, 1.0)),
                _ => None,
            };
            let names = &mut ds.names;
            // Currency cells repeat: each distinct one is read once.
            let currency = match self.text_in(r, &c_ccy) {
                Some((v, _)) => {
                    let (memo, cache) = (&mut self.ccy_memo, &mut self.ccy_cache);
                    Some(memo.get(v, (), || match cache.get(v) {
                        Some(&c) => c,
                        None => {
                            let c = names.intern(&currency_code(v));
                            cache.insert(v.into(), c);
                            c
                        }
                    }))
                }
                None => cell_ccy.map(|c| names.intern(c)),
            };
            let stage = stage_col.map(|(v, i)| self.sym_caches[i].intern(names, v));
            // Interned in the columns' order, as ever (a new name's symbol
            // is the next one).
            let id = self.sym_in(names, r, &c_id);
            let owner = self.sym_in(names, r, &c_owner);
            let [product, region, team, source] =
                [&c_product, &c_region, &c_team, &c_source].map(|c| self.sym_in(names, r, c));
            let lost_reason = self.sym_in(names, r, &c_lost);
            let deal = Deal {
                at: LineStatus::new(origin.line, status),
                id,
                keys: ds.deal_keys.number([owner, team, region, product, source]),
                labels: ds.deal_labels.number(Labels {
                    stage,
                    currency,
                    lost_reason,
                    probability: probability.into(),
                }),
                amount: amount.into(),
                created,
                close,
            };
            let lead = self.sym_in(&mut ds.names, r, &c_lead);
            let line = origin.line;
            if let Some(id) = deal.id {
                if let Some(first) = self.seen.again(ds, id, line) {
                    let msg = format!("id {:?} also appears on line {first}", ds.names.get(id));
                    self.q
                        .warn(line, id_h.as_deref(), None, "duplicate_id", msg);
                }
            }
            if let (Some(c), Some(o)) = (created, close) {
                if o < c && status != Status::Open {
                    self.q.warn(
                        line,
                        close_h.as_deref(),
                        None,
                        "close_before_create",
                        format!(
                            "closed {o} before it was created {c}; left out of the sales cycle"
                        ),
                    );
                }
            }
            if status != Status::Open && close.is_none() {
                self.q.warn(
                    line,
                    None,
                    None,
                    "closed_without_date",
                    "closed deal without a close date; left out of closed-deal figures".into(),
                );
            }
            if let Some(a) = amount {
                if a < 0.0 {
                    self.q.warn(
                        line,
                        None,
                        None,
                        "negative_amount",
                        format!("negative amount {a}"),
                    );
                }
            } else if status == Status::Won {
                self.q.warn(line, amount_h.as_deref(), None, "won_without_amount", "won deal without an amount; valued at its product's list price if one is given, else left out of money figures".into());
            }
            self.q.rows_used += 1;
            if let Some(id) = deal.id {
                for k in 0..self.decisions.entered.len() {
                    let (stage, i) = (
                        self.decisions.entered[k].0.clone(),
                        self.decisions.entered[k].1,
                    );
                    if let Some(date) = self.date_at(r, i) {
                        let stage = ds.names.intern(&stage);
                        ds.history.push(StageEntry {
                            deal: id,
                            stage,
                            date,
                        });
                    }
                }
            }
            ds.push_deal(deal, origin.table, lead);
        }
    }

    // Never inlined: see `type_rows`.
    #[inline(never)]
    fn history(&mut self, ds: &mut Dataset) {
        let [c_deal, c_stage, c_date] = self.columns(["deal_id", "stage", "entered_date"]);
        let end = self.rows().end;
        for r in self.rows() {
            self.warm(&ds.names, r, end, &[&c_deal]);
            if !self.row_ok(r) {
                continue;
            }
            let Some(deal) = self.sym_in(&mut ds.names, r, &c_deal) else {
                self.reject_missing(r, "deal_id");
                continue;
            };
            let Some(stage) = self.sym_in(&mut ds.names, r, &c_stage) else {
                self.reject_missing(r, "stage");
                continue;
            };
            let date = match self.date_in(r, &c_date, true) {
                Cell::Ok(d) => d,
                Cell::Bad => continue,
                Cell::Missing => {
                    self.reject_missing(r, "entered_date");
                    continue;
                }
            };
            self.q.rows_used += 1;
            ds.history.push(StageEntry { deal, stage, date });
        }
    }

    // Never inlined: see `type_rows`.
    #[inline(never)]
    fn activities(&mut self, ds: &mut Dataset) {
        let seconds = self.mapping.duration_in_seconds;
        // The account and outcome are recognised (so they are not columns
        // left unread) but no figure uses them, and an activity does not keep
        // them (see docs/decisions.md).
        let [c_rep, c_type, c_date, c_dur, c_deal] =
            self.columns(["rep", "type", "date", "duration_minutes", "deal_id"]);
        let end = self.rows().end;
        for r in self.rows() {
            self.warm(&ds.names, r, end, &[&c_deal]);
            if !self.row_ok(r) {
                continue;
            }
            let Some(rep) = self.sym_in(&mut ds.names, r, &c_rep) else {
                self.reject_missing(r, "rep");
                continue;
            };
            let Some(kind) = self.sym_in(&mut ds.names, r, &c_type) else {
                self.reject_missing(r, "type");
                continue;
            };
            let date = match self.date_in(r, &c_date, true) {
                Cell::Ok(d) => d,
                Cell::Bad => continue,
                Cell::Missing => {
                    self.reject_missing(r, "date");
                    continue;
                }
            };
            let minutes = match self.text_in(r, &c_dur) {
                Some((v, _)) if v.contains(':') => clock_minutes(v),
                found => match self.number_of(r, found, false, false) {
                    Cell::Ok((v, _)) => Some(if seconds { v / 60.0 } else { v }),
                    _ => None,
                },
            };
            let names = &mut ds.names;
            let a = Activity {
                labels: ds.activity_labels.number(ActivityLabels {
                    rep: Some(rep),
                    kind: Some(kind),
                    minutes: minutes.into(),
                }),
                date,
                deal: self.sym_in(names, r, &c_deal),
            };
            self.q.rows_used += 1;
            ds.activities.push(a);
        }
    }

    // Never inlined: see `type_rows`.
    #[inline(never)]
    fn leads(&mut self, ds: &mut Dataset) {
        // A leads table keyed by `mql_id` (Olist's) lists marketing-qualified
        // leads: each reached MQL when it was created.
        let ids_are_mqls = !self.mapping.has("mql_date")
            && self
                .mapping
                .get("id")
                .first()
                .is_some_and(|&i| crate::schema::normalize_header(&self.headers[i]) == "mqlid");
        let [c_id, c_created, c_response, c_status, c_mql, c_sql, c_opp, c_customer, c_source, c_owner] =
            self.columns([
                "id",
                "created_date",
                "first_response_at",
                "status",
                "mql_date",
                "sql_date",
                "opportunity_date",
                "customer_date",
                "source",
                "owner",
            ]);
        let end = self.rows().end;
        for r in self.rows() {
            self.warm(&ds.names, r, end, &[&c_id]);
            if !self.row_ok(r) {
                continue;
            }
            let Some(id) = self.sym_in(&mut ds.names, r, &c_id) else {
                self.reject_missing(r, "id");
                continue;
            };
            let found = self.text_in(r, &c_created);
            let created = match self.date_time_of(r, found, true) {
                Cell::Ok((d, t)) => d.and_time(t.unwrap_or(NaiveTime::MIN)),
                Cell::Bad => continue,
                Cell::Missing => {
                    self.reject_missing(r, "created_date");
                    continue;
                }
            };
            let found = self.text_in(r, &c_response);
            let first_response = match self.date_time_of(r, found, false) {
                Cell::Ok((d, t)) => Some(d.and_time(t.unwrap_or(NaiveTime::MIN))),
                _ => None,
            };
            let lead = Lead {
                id,
                created,
                status: self.sym_in(&mut ds.names, r, &c_status),
                mql: self
                    .date_in(r, &c_mql, false)
                    .ok()
                    .or(ids_are_mqls.then(|| created.date())),
                sql: self.date_in(r, &c_sql, false).ok(),
                opportunity: self.date_in(r, &c_opp, false).ok(),
                customer: self.date_in(r, &c_customer, false).ok(),
                source: self.sym_in(&mut ds.names, r, &c_source),
                owner: self.sym_in(&mut ds.names, r, &c_owner),
                first_response,
            };
            self.q.rows_used += 1;
            ds.leads.push(lead);
        }
    }

    fn quotas(&mut self, ds: &mut Dataset) {
        for r in self.rows() {
            if !self.row_ok(r) {
                continue;
            }
            let (level, key) = if let Some(k) = self.sym(&mut ds.names, r, "rep") {
                (QuotaLevel::Rep, k)
            } else if let Some(k) = self.sym(&mut ds.names, r, "team") {
                (QuotaLevel::Team, k)
            } else if let Some(k) = self.sym(&mut ds.names, r, "region") {
                (QuotaLevel::Region, k)
            } else {
                self.reject_missing(r, "rep");
                continue;
            };
            let amount = match self.number(r, "amount", true) {
                Cell::Ok((v, _)) => v,
                Cell::Bad => continue,
                Cell::Missing => {
                    self.reject_missing(r, "amount");
                    continue;
                }
            };
            let period = if let Some((v, i)) = self.text(r, "period") {
                match parse_period(v) {
                    Some(p) => QuotaPeriod::Spec(p),
                    None => {
                        let (line, h) = (self.raw.line(r), self.headers[i].clone());
                        self.q.reject(line, Some(&h), Some(v), "bad_period", "not a period (expected e.g. 2024-03, Mar 2024, 2024-Q1, FY2025-Q1 or 2024); the row was not used".into());
                        continue;
                    }
                }
            } else {
                let start = self.date(r, "period_start", true);
                let end = self.date(r, "period_end", true);
                match (start, end) {
                    (Cell::Ok(s), Cell::Ok(e)) if s <= e => QuotaPeriod::Range(s, e),
                    (Cell::Ok(_), Cell::Ok(_)) => {
                        let line = self.raw.line(r);
                        self.q.reject(
                            line,
                            None,
                            None,
                            "bad_period",
                            "period ends before it starts; the row was not used".into(),
                        );
                        continue;
                    }
                    (Cell::Bad, _) | (_, Cell::Bad) => continue,
                    _ => {
                        self.reject_missing(r, "period");
                        continue;
                    }
                }
            };
            self.q.rows_used += 1;
            ds.quotas.push(Quota {
                origin: self.origin(r),
                level,
                key,
                period,
                amount,
            });
        }
    }

    fn reps(&mut self, ds: &mut Dataset) {
        for r in self.rows() {
            if !self.row_ok(r) {
                continue;
            }
            let Some(rep) = self.sym(&mut ds.names, r, "rep") else {
                self.reject_missing(r, "rep");
                continue;
            };
            let manager = self.sym(&mut ds.names, r, "manager");
            let team = self.sym(&mut ds.names, r, "team").or(manager);
            let entry = Rep {
                origin: self.origin(r),
                rep,
                team,
                manager,
                region: self.sym(&mut ds.names, r, "region"),
                start: self.opt_date(r, "start_date"),
            };
            self.q.rows_used += 1;
            ds.reps.push(entry);
        }
    }

    fn products(&mut self, ds: &mut Dataset) {
        for r in self.rows() {
            if !self.row_ok(r) {
                continue;
            }
            let Some(name) = self.sym(&mut ds.names, r, "product") else {
                self.reject_missing(r, "product");
                continue;
            };
            let price = match self.number(r, "list_price", true) {
                Cell::Ok((v, _)) => v,
                Cell::Bad => continue,
                Cell::Missing => {
                    self.reject_missing(r, "list_price");
                    continue;
                }
            };
            self.q.rows_used += 1;
            ds.products.push(Product { name, price });
        }
    }

    fn fx(&mut self, ds: &mut Dataset) {
        for r in self.rows() {
            if !self.row_ok(r) {
                continue;
            }
            let Some((c, _)) = self.text(r, "currency") else {
                self.reject_missing(r, "currency");
                continue;
            };
            let currency = ds.names.intern(&currency_code(c));
            let rate = match self.number(r, "rate", true) {
                Cell::Ok((v, _)) if v > 0.0 => v,
                Cell::Ok(_) => {
                    let line = self.raw.line(r);
                    self.q.reject(
                        line,
                        None,
                        None,
                        "bad_number",
                        "a rate must be above zero; the row was not used".into(),
                    );
                    continue;
                }
                Cell::Bad => continue,
                Cell::Missing => {
                    self.reject_missing(r, "rate");
                    continue;
                }
            };
            self.q.rows_used += 1;
            ds.fx.push(FxRate { currency, rate });
        }
    }
}

/// `1:30` or `1:30:00` as minutes.
fn clock_minutes(v: &str) -> Option<f64> {
    let parts: Vec<f64> = v
        .split(':')
        .map(|p| p.trim().parse::<f64>().ok())
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [h, m] => Some(h * 60.0 + m),
        [h, m, s] => Some(h * 60.0 + m + s / 60.0),
        _ => None,
    }
}

/// A currency cell as an ISO code: `$` is USD, `Rp` is IDR, codes upper-cased.
pub fn currency_code(v: &str) -> String {
    let t = v.trim();
    match classify_number(&format!("{t}1")).and_then(|p| p.currency) {
        Some(code) if t.len() <= 4 => code.to_string(),
        _ => t.to_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_and_currencies() {
        assert_eq!(clock_minutes("1:30"), Some(90.0));
        assert_eq!(clock_minutes("0:01:30"), Some(1.5));
        assert_eq!(currency_code("$"), "USD");
        assert_eq!(currency_code("Rp"), "IDR");
        assert_eq!(currency_code("eur"), "EUR");
    }
}
