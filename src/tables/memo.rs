//! Number and date cells read once per window instead of twice.
//!
//! # Why
//! Every number and date cell is classified when a window's style counts
//! are taken (SPEC §2: a column's style is decided from all its values), and
//! again when the row is typed. After a table's first window the decisions
//! no longer change while it streams, so the count can read each cell with
//! its column's decision there and then, and the typing takes the result:
//! one classification a cell instead of two. The first window is counted
//! before its decisions exist, so it is not memoised. A deals table's date
//! and amount columns that the typing reads on every row are not memoised
//! either: past the first window the typing counts each of their cells as
//! it reads it (`Builder::folds`), one pass over them instead of two.

use crate::ingest::value::{
    DateClass, DateOrder, DateParts, DecimalStyle, NumberClass, NumberParts,
};
use chrono::{NaiveDate, NaiveTime};

/// A cell as read with its column's decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Read<T> {
    /// The value.
    Value(T),
    /// Not a value of the column's type at all (or not a valid one).
    Invalid,
    /// A value written in the other style or order than the column's.
    OtherStyle,
}

/// A number: its value as written (before a percent column's scaling),
/// whether it had a `%` sign, and the currency found in the cell.
pub(crate) type NumberRead = Read<(f64, bool, Option<&'static str>)>;

/// A date and the time of day it had, if any.
pub(crate) type DateRead = Read<(NaiveDate, Option<NaiveTime>)>;

/// Reads a classified number cell in `style`.
pub(crate) fn read_number(p: Option<NumberParts<'_>>, style: DecimalStyle) -> NumberRead {
    match p {
        Some(p) if p.fits(style) => match p.value(style) {
            Some(x) => Read::Value((x, p.is_percent(), p.currency)),
            None => Read::Invalid,
        },
        Some(_) => Read::OtherStyle,
        None => Read::Invalid,
    }
}

/// Reads a classified date cell in `order`.
pub(crate) fn read_date(p: Option<DateParts>, order: DateOrder) -> DateRead {
    match p {
        Some(p) if p.fits(order) => match p.date(order) {
            Some(d) => Read::Value((d, p.time)),
            None => Read::Invalid,
        },
        Some(_) => Read::OtherStyle,
        None => Read::Invalid,
    }
}

/// The reads of one window's number and date cells, by source column.
#[derive(Debug, Default)]
pub(crate) struct CellMemo {
    /// The first row memoised and how many (0: nothing is).
    start: usize,
    rows: usize,
    /// Per source column, its place among the memoised columns.
    number_slot: Vec<Option<u32>>,
    date_slot: Vec<Option<u32>>,
    /// Column by column, row by row; `None` where the typing must read
    /// the cell itself (its text has spaces around it, which the typing
    /// trims first).
    numbers: Vec<Option<NumberRead>>,
    dates: Vec<Option<DateRead>>,
}

impl CellMemo {
    /// Forgets every read (a window that is not memoised).
    pub(crate) fn clear(&mut self) {
        self.rows = 0;
        self.numbers.clear();
        self.dates.clear();
    }

    /// Starts memoising rows `start..start + rows` of a table of `width`
    /// source columns, of which `number_cols` and `date_cols`.
    pub(crate) fn begin(
        &mut self,
        start: usize,
        rows: usize,
        width: usize,
        number_cols: impl Iterator<Item = usize>,
        date_cols: impl Iterator<Item = usize>,
    ) {
        self.clear();
        self.start = start;
        self.rows = rows;
        for (slots, cols) in [
            (&mut self.number_slot, number_cols.collect::<Vec<_>>()),
            (&mut self.date_slot, date_cols.collect()),
        ] {
            slots.clear();
            slots.resize(width, None);
            for (k, i) in cols.into_iter().enumerate() {
                slots[i] = Some(k as u32);
            }
        }
    }

    /// Adds the next number read (column by column, row by row).
    pub(crate) fn push_number(&mut self, read: Option<NumberRead>) {
        self.numbers.push(read);
    }

    /// Adds the next date read (column by column, row by row).
    pub(crate) fn push_date(&mut self, read: Option<DateRead>) {
        self.dates.push(read);
    }

    fn at(&self, slot: Option<&Option<u32>>, r: usize) -> Option<usize> {
        let k = (*slot?)? as usize;
        let row = r.checked_sub(self.start).filter(|&x| x < self.rows)?;
        Some(k * self.rows + row)
    }

    /// The read of row `r`'s number in column `i`, if memoised.
    pub(crate) fn number(&self, i: usize, r: usize) -> Option<NumberRead> {
        let at = self.at(self.number_slot.get(i), r)?;
        *self.numbers.get(at)?
    }

    /// The read of row `r`'s date in column `i`, if memoised.
    pub(crate) fn date(&self, i: usize, r: usize) -> Option<DateRead> {
        let at = self.at(self.date_slot.get(i), r)?;
        *self.dates.get(at)?
    }
}

/// What one date cell gives the style count (its class, none for a cell that
/// is no date) and the typing (its read, none for a cell with spaces around
/// it, which the typing trims and reads itself).
pub(crate) type DateCellRead = (Option<DateClass>, Option<DateRead>);

/// What one number cell gives the style count (its class, none for a cell
/// that is no number; whether it is above one, read with a point) and the
/// typing (its read, as for a date).
pub(crate) type NumberCellRead = (Option<NumberClass>, bool, Option<NumberRead>);

/// A date column's cells already read, by their text (read in one order).
pub(crate) type DateCells = TextCells<DateOrder, DateCellRead>;

/// A number column's cells already read, by their text (in one style).
pub(crate) type NumberCells = TextCells<DecimalStyle, NumberCellRead>;

/// One column's cells already read, by their text.
///
/// # Why
/// A date column repeats a few hundred days over a million rows, a
/// probability column a few values, an amount column many of its values;
/// reading a cell (its digits, its class, the calendar's check) costs more
/// than finding the same text here: a slot chosen by the text's length and
/// its first and last eight bytes, which for a cell of up to 16 bytes are the
/// whole text, so a matching slot is the same cell. One cell per slot:
/// another text in the slot is read and takes it. The reads hold for one
/// date order or decimal style (`tag`); another starts afresh. Stages and
/// currencies, a few texts repeated on every row, are memoised the same way.
#[derive(Debug)]
pub(crate) struct TextCells<K, V> {
    tag: Option<K>,
    slots: Vec<Option<TextCell<V>>>,
    /// log2 of the slots.
    bits: u32,
}

impl<K, V> Default for TextCells<K, V> {
    /// 4096 slots: a column's dates, or numbers.
    fn default() -> Self {
        TextCells::with_bits(12)
    }
}

impl<K, V> TextCells<K, V> {
    /// A memo of `1 << bits` slots.
    pub(crate) fn with_bits(bits: u32) -> Self {
        TextCells {
            tag: None,
            slots: Vec::new(),
            bits,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct TextCell<V> {
    words: (u64, u64),
    len: u8,
    got: V,
}

impl<K: Copy + PartialEq, V: Copy> TextCells<K, V> {
    /// What `cell` gives when read with `tag`: from the slot when the same
    /// text was read there, else `read()` (remembered).
    #[inline]
    pub(crate) fn get(&mut self, cell: &str, tag: K, read: impl FnOnce() -> V) -> V {
        let b = cell.as_bytes();
        if b.len() > 16 {
            return read();
        }
        if self.tag != Some(tag) {
            self.tag = Some(tag);
            self.slots = vec![None; 1 << self.bits];
        }
        let words = super::words(b);
        let h = super::words_hash(words, b.len());
        let slot = &mut self.slots[(h >> (64 - self.bits)) as usize];
        match slot {
            Some(c) if c.words == words && usize::from(c.len) == b.len() => c.got,
            _ => {
                let got = read();
                *slot = Some(TextCell {
                    words,
                    len: b.len() as u8,
                    got,
                });
                got
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::value::{classify_date, classify_number};

    #[test]
    fn reads_follow_the_decision() {
        let n = |s, style| read_number(classify_number(s), style);
        assert_eq!(
            n("1,234.5", DecimalStyle::Point),
            Read::Value((1234.5, false, None))
        );
        assert_eq!(
            n("1.234,5", DecimalStyle::Comma),
            Read::Value((1234.5, false, None))
        );
        assert_eq!(n("1.234,5", DecimalStyle::Point), Read::OtherStyle);
        // A percent sign makes a fraction.
        assert_eq!(
            n("45%", DecimalStyle::Point),
            Read::Value((0.45, true, None))
        );
        assert_eq!(
            n("Rp 1.500", DecimalStyle::Comma),
            Read::Value((1500.0, false, Some("IDR")))
        );
        assert_eq!(n("soon", DecimalStyle::Point), Read::Invalid);
        let d = |s, order| read_date(classify_date(s, false), order);
        let date = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(
            d("03/04/2024", DateOrder::DayFirst),
            Read::Value((date(2024, 4, 3), None))
        );
        assert_eq!(
            d("03/04/2024", DateOrder::MonthFirst),
            Read::Value((date(2024, 3, 4), None))
        );
        assert_eq!(d("25/04/2024", DateOrder::MonthFirst), Read::OtherStyle);
        assert_eq!(d("31/02/2024", DateOrder::DayFirst), Read::Invalid);
        assert_eq!(d("later", DateOrder::DayFirst), Read::Invalid);
    }

    #[test]
    fn a_read_is_found_by_column_and_row_within_the_window_only() {
        let mut m = CellMemo::default();
        // Rows 10..13 of a table of 4 columns; numbers in 1 and 3, dates in 2.
        m.begin(10, 3, 4, [1, 3].into_iter(), [2].into_iter());
        for x in [1.0, 2.0, 3.0, 10.0, 20.0, 30.0] {
            m.push_number(Some(Read::Value((x, false, None))));
        }
        for _ in 0..3 {
            m.push_date(None);
        }
        assert_eq!(m.number(1, 11), Some(Read::Value((2.0, false, None))));
        assert_eq!(m.number(3, 12), Some(Read::Value((30.0, false, None))));
        assert_eq!(m.number(3, 10), Some(Read::Value((10.0, false, None))));
        // Outside the rows, another column, a cell left to the typing.
        assert_eq!(m.number(1, 9), None);
        assert_eq!(m.number(1, 13), None);
        assert_eq!(m.number(0, 11), None);
        assert_eq!(m.number(7, 11), None);
        assert_eq!(m.date(2, 11), None);
        m.clear();
        assert_eq!(m.number(1, 11), None);
    }

    #[test]
    fn a_date_cell_is_read_once_per_text_and_order() {
        let mut cells = DateCells::default();
        let mut reads = 0;
        let mut get = |cells: &mut DateCells, text: &str, order| {
            cells.get(text, order, || {
                reads += 1;
                let p = classify_date(text, false);
                (p.map(|p| p.class), Some(read_date(p, order)))
            })
        };
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let first = get(&mut cells, "03/04/2024", DateOrder::DayFirst);
        assert_eq!(first.1, Some(Read::Value((date(2024, 4, 3), None))));
        // The same text again: the slot's read.
        assert_eq!(get(&mut cells, "03/04/2024", DateOrder::DayFirst), first);
        // Another text, another order, a text too long for a slot: read.
        let iso = get(&mut cells, "2024-04-03", DateOrder::DayFirst);
        assert_eq!(iso.1, Some(Read::Value((date(2024, 4, 3), None))));
        let other = get(&mut cells, "03/04/2024", DateOrder::MonthFirst);
        assert_eq!(other.1, Some(Read::Value((date(2024, 3, 4), None))));
        let long = "2024-04-03 10:15:00";
        get(&mut cells, long, DateOrder::MonthFirst);
        get(&mut cells, long, DateOrder::MonthFirst);
        assert_eq!(reads, 5);
    }
}
