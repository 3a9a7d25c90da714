//! From bytes to raw tables: encoding, delimiter, records, spreadsheets.
//!
//! Nothing here knows what a deal is; [`crate::schema`] maps the raw table's
//! columns and [`crate::tables`] types its values.

pub mod csv;
pub mod decode;
pub mod sniff;
pub mod value;
pub mod wire;
#[cfg(feature = "xlsx")]
pub mod xlsx;

use serde::Serialize;

/// How a file was read, as shown in the data-quality report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Format {
    /// `utf-8`, `utf-8 (bom)`, `utf-16le`, `utf-16be`, `windows-1252` or `xlsx`.
    pub encoding: String,
    /// The field delimiter, `None` for spreadsheets.
    pub delimiter: Option<String>,
    /// How the delimiter was decided.
    pub delimiter_source: Option<String>,
    /// The sheet, for spreadsheets.
    pub sheet: Option<String>,
}

/// A problem the tokeniser found in the file's structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureIssue {
    /// 1-based physical line.
    pub line: u32,
    /// What is wrong.
    pub message: String,
    /// Whether the rows it concerns were rejected.
    pub rejects: bool,
}

/// Rows of a spreadsheet's sheet read so far, and how many it declares
/// (its `<dimension>`; none when it does not say), told as a large sheet is
/// read: its cells are read after the file's last byte arrived, for seconds
/// at a million rows.
pub type SheetProgress<'p> = &'p mut dyn FnMut(u32, Option<u32>);

/// How a spreadsheet was read a window at a time (`xlsx::read_xlsx_windows`).
pub enum Sheets {
    /// Its one sheet's records after the windows given out.
    Rest(Box<RawTable>),
    /// Every sheet whole: the windows given out, if any, do not count.
    Whole(Vec<RawTable>),
}

/// Records of text fields, stored in one arena so a file costs its own size
/// plus four bytes a field, never an allocation per row or per cell.
#[derive(Debug, Default, Clone)]
pub struct RawTable {
    /// How the file was read.
    pub format: Format,
    arena: String,
    /// End offset of every field in `arena`, each a character boundary of
    /// it: [`RawTable::field`] relies on it to hand out a field without
    /// checking its UTF-8 again. [`RawTable::push_record`] appends whole
    /// strings, [`RawTable::push_joined`] checks each end it is given, a
    /// window decoded from the wire is checked whole against its text
    /// (`wire::check`; one that fails leaves no record), and otherwise the
    /// arena only grows by whole strings, or is emptied with `ends`. Offsets
    /// are `u32`: a table never holds more than its `limit`, at most
    /// [`RAW_LIMIT`].
    ends: Vec<u32>,
    /// Index into `ends` where each record starts (plus one final sentinel).
    starts: Vec<u32>,
    /// 1-based physical line where each record starts.
    lines: Vec<u32>,
    /// Excel serial numbers count as dates (spreadsheets only).
    pub serial_dates: bool,
    /// Structural problems (stray quotes, bad bytes).
    pub issues: Vec<StructureIssue>,
    /// Records left unread because the table reached [`RAW_LIMIT`]:
    /// (line of the first, how many).
    pub overflow: Option<(u32, u32)>,
    /// The limit in force ([`RAW_LIMIT`] unless a test lowers it).
    limit: usize,
}

/// The most text one table holds in memory. The WebAssembly build has 4 GiB
/// at most, and the typed rows, the interner and the report need room too:
/// past this a file is read up to the limit and the rest is reported as not
/// read, rather than the tab running out of memory.
pub const RAW_LIMIT: usize = 512 << 20;

impl RawTable {
    /// A table with no records, for a builder between windows.
    pub const EMPTY: RawTable = RawTable {
        format: Format {
            encoding: String::new(),
            delimiter: None,
            delimiter_source: None,
            sheet: None,
        },
        arena: String::new(),
        ends: Vec::new(),
        starts: Vec::new(),
        lines: Vec::new(),
        serial_dates: false,
        issues: Vec::new(),
        overflow: None,
        limit: 0,
    };

    /// Bytes of text held.
    pub fn text_len(&self) -> usize {
        self.arena.len()
    }

    /// Hands over the records read so far (and the structure issues found
    /// in them) when they hold at least `bytes` of text and more rows than
    /// a header search needs; this table goes on empty, with the same
    /// format, in the buffers of one of `spares` (windows typed earlier)
    /// if there is one, else in new ones sized for `next` bytes of text.
    pub fn take_window(
        &mut self,
        bytes: usize,
        min_rows: usize,
        next: usize,
        spares: &mut Vec<RawTable>,
    ) -> Option<RawTable> {
        if self.arena.len() < bytes || self.len() <= min_rows {
            return None;
        }
        let fresh = match spares.pop() {
            Some(mut t) => {
                t.arena.clear();
                t.ends.clear();
                t.starts.clear();
                t.starts.push(0);
                t.lines.clear();
                t.issues.clear();
                t.overflow = None;
                t.format.clone_from(&self.format);
                t.serial_dates = self.serial_dates;
                t.limit = self.limit;
                t
            }
            None => {
                // Sized like this window scaled to `next` bytes, with an
                // eighth to spare, so it is allocated once instead of
                // doubling its way up (each doubling leaves its old
                // allocation behind as a hole, and wasm memory never
                // shrinks).
                let scale = |n: usize| {
                    let n = (n as u128 * next as u128 / self.arena.len().max(1) as u128) as usize;
                    n + n / 8
                };
                let mut starts = Vec::with_capacity(scale(self.starts.len()));
                starts.push(0);
                RawTable {
                    format: self.format.clone(),
                    serial_dates: self.serial_dates,
                    limit: self.limit,
                    arena: String::with_capacity(scale(self.arena.len())),
                    ends: Vec::with_capacity(scale(self.ends.len())),
                    lines: Vec::with_capacity(scale(self.lines.len())),
                    starts,
                    ..Default::default()
                }
            }
        };
        Some(std::mem::replace(self, fresh))
    }

    /// Makes room for `bytes` of text in all, and for as many records and
    /// fields as the ones held so far suggest, in one allocation each
    /// rather than by doubling: a table grown from 16 to 32 MiB by a
    /// record past the first window leaves the old copy behind as a hole,
    /// and wasm memory never shrinks.
    pub fn reserve_for(&mut self, bytes: usize) {
        let held = self.arena.len().max(1);
        let scale = |n: usize| (n as u128 * bytes as u128 / held as u128) as usize;
        let (fields, records) = (scale(self.ends.len()), scale(self.lines.len()));
        // Best effort: a failed reservation leaves the table growing as before.
        let _ = self
            .arena
            .try_reserve_exact(bytes.saturating_sub(self.arena.len()));
        let room = |v: &mut Vec<u32>, total: usize| {
            let _ = v.try_reserve_exact(total.saturating_sub(v.len()));
        };
        room(&mut self.ends, fields);
        room(&mut self.lines, records);
        room(&mut self.starts, records + 1);
    }

    /// Drops every record (a window that could not be read whole), keeping
    /// the buffers.
    pub(crate) fn forget_records(&mut self) {
        self.ends.clear();
        self.starts.clear();
        self.starts.push(0);
        self.lines.clear();
    }

    /// Gives back the room reserved beyond what is held (a file that ended
    /// before its first window filled is kept as text).
    pub fn shrink_to_fit(&mut self) {
        self.arena.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.lines.shrink_to_fit();
    }

    /// An empty table read with `format`.
    pub fn new(format: Format) -> Self {
        RawTable {
            format,
            starts: vec![0],
            limit: RAW_LIMIT,
            ..Default::default()
        }
    }

    /// Appends one record starting at `line`, unless the table is full
    /// (see [`RAW_LIMIT`]), in which case the record is only counted.
    pub fn push_record<'a>(
        &mut self,
        line: u32,
        fields: impl IntoIterator<Item = &'a str> + Clone,
    ) {
        if let Some((_, n)) = &mut self.overflow {
            *n += 1;
            return;
        }
        let (bytes, count) = fields
            .clone()
            .into_iter()
            .fold((0usize, 0usize), |(b, c), f| (b + f.len(), c + 1));
        let fits = self.arena.len() + bytes <= self.limit
            && self.arena.try_reserve(bytes).is_ok()
            && self.ends.try_reserve(count).is_ok()
            && self.starts.try_reserve(1).is_ok()
            && self.lines.try_reserve(1).is_ok();
        if !fits {
            self.overflow = Some((line, 1));
            return;
        }
        for f in fields {
            self.arena.push_str(f);
            self.ends.push(self.arena.len() as u32);
        }
        self.starts.push(self.ends.len() as u32);
        self.lines.push(line);
    }

    /// Appends one record given as its fields' text run together and each
    /// field's end offset in it (how the tokeniser hands it over): one copy
    /// for the whole record. Same limit as [`RawTable::push_record`].
    /// Takes nothing and returns false when an end is not a character
    /// boundary of `text`: a field that ends inside a character (a lead
    /// byte before the delimiter, its continuation after it, which run
    /// together read as one character) is invalid input, for the caller
    /// to read another way. (A record past the limit is only counted.)
    #[must_use]
    pub fn push_joined(&mut self, line: u32, text: &str, ends: &[usize]) -> bool {
        if let Some((_, n)) = &mut self.overflow {
            *n += 1;
            return true;
        }
        let base = self.arena.len();
        let fits = base + text.len() <= self.limit
            && (self.arena.capacity() - base >= text.len()
                || self.arena.try_reserve(text.len()).is_ok())
            && (self.ends.capacity() - self.ends.len() >= ends.len()
                || self.ends.try_reserve(ends.len()).is_ok());
        if !fits {
            self.overflow = Some((line, 1));
            return true;
        }
        self.arena.push_str(text);
        // Each end checked as it is added (one pass over them; an end inside
        // a character is rare, and then the record is taken back).
        let (b, held) = (text.as_bytes(), self.ends.len());
        let mut inside = false;
        self.ends.extend(ends.iter().map(|&e| {
            // Past the text, or on a continuation byte (0b10xx_xxxx).
            inside |= b.get(e).map_or(e != b.len(), |&c| (c as i8) < -0x40);
            (base + e) as u32
        }));
        if inside {
            self.arena.truncate(base);
            self.ends.truncate(held);
            return false;
        }
        self.starts.push(self.ends.len() as u32);
        self.lines.push(line);
        true
    }

    /// Number of records (header included).
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether there are no records at all.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The physical line where record `r` starts.
    pub fn line(&self, r: usize) -> u32 {
        self.lines[r]
    }

    /// Number of fields of record `r`.
    pub fn width(&self, r: usize) -> usize {
        (self.starts[r + 1] - self.starts[r]) as usize
    }

    /// Field `c` of record `r`, `""` when the record is shorter.
    pub fn field(&self, r: usize, c: usize) -> &str {
        let s = self.starts[r] as usize;
        let e = self.starts[r + 1] as usize;
        if s + c >= e {
            return "";
        }
        let end = self.ends[s + c] as usize;
        let begin = if s + c == 0 {
            0
        } else {
            self.ends[s + c - 1] as usize
        };
        // Sliced as bytes: slicing the text would check both ends for a
        // character boundary again, on every cell the typing reads (4.5 %
        // of typing a file's windows in wasm, in instructions).
        let bytes = &self.arena.as_bytes()[begin..end];
        // SAFETY: every offset in `ends` is a character boundary of `arena`
        // (the invariant documented on `ends`), and so is 0: the bytes
        // between two of them are whole characters of the arena's valid
        // UTF-8. The slicing above checks the bounds.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    /// The fields of record `r`.
    pub fn record(&self, r: usize) -> impl Iterator<Item = &str> + '_ {
        (0..self.width(r)).map(move |c| self.field(r, c))
    }

    /// Every record as its line and fields, for the readers' tests.
    #[cfg(test)]
    pub(crate) fn records(&self) -> Vec<(u32, Vec<&str>)> {
        (0..self.len())
            .map(|r| (self.line(r), self.record(r).collect()))
            .collect()
    }

    /// Bytes held, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        self.arena.capacity()
            + 4 * (self.ends.capacity() + self.starts.capacity() + self.lines.capacity())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_table_counts_what_it_cannot_hold() {
        let mut t = RawTable::new(Format::default());
        t.limit = 12;
        t.push_record(1, ["id", "amount"]);
        t.push_record(2, ["1", "100"]);
        t.push_record(3, ["2", "200"]);
        t.push_record(4, ["3", "300"]);
        // 8 + 4 = 12 bytes fit; the next row would make 16.
        assert_eq!(t.len(), 2);
        assert_eq!(t.overflow, Some((3, 2)));
        assert_eq!(t.field(1, 1), "100");
        // The same through the tokeniser's form (text run together + ends).
        let mut j = RawTable::new(Format::default());
        j.limit = 12;
        for (line, text, ends) in [
            (1, "idamount", [2, 8]),
            (2, "1100", [1, 4]),
            (3, "2200", [1, 4]),
            (4, "3300", [1, 4]),
        ] {
            assert!(j.push_joined(line, text, &ends));
        }
        assert_eq!(j.len(), 2);
        assert_eq!(j.overflow, Some((3, 2)));
        assert_eq!(j.field(0, 1), "amount");
        assert_eq!(j.field(1, 0), "1");
        assert_eq!(j.field(1, 1), "100");
    }

    #[test]
    fn a_field_ending_inside_a_character_is_not_taken() {
        let mut t = RawTable::new(Format::default());
        // "é" is two bytes: an end at 1 is inside it, one at 4 past the text.
        assert!(!t.push_joined(1, "éa", &[1, 3]));
        assert!(!t.push_joined(1, "éa", &[2, 4]));
        assert!(t.is_empty());
        assert!(t.push_joined(1, "éa", &[2, 3]));
        assert_eq!(t.records(), vec![(1, vec!["é", "a"])]);
    }
}
