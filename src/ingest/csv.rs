//! Streaming reader for delimited text: bytes arrive in chunks of any size,
//! records come out whole, and where the chunks split never matters.
//!
//! # Design
//! The first [`SNIFF_BYTES`] (or the whole file, if smaller) are held back
//! until the encoding and delimiter are decided; after that every chunk is
//! decoded (only when the file is not UTF-8) and tokenised by `csv-core`,
//! whose state machine carries a half-read record across chunk boundaries.
//! Line numbers are physical lines, so a quoted field with newlines moves
//! the next record's line number on, as an editor would show it.

use super::decode::{Decoder, Encoding};
use super::sniff::{self, Container, Dialect, TextEncoding, SNIFF_BYTES};
use super::{Format, RawTable, StructureIssue};
use crate::error::{Error, ErrorKind, Result};
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// A text file being read chunk by chunk.
pub struct TextParser {
    sniffed: Vec<u8>,
    stream: Option<Stream>,
    window: Window,
    /// Whether plain lines are split without csv-core (tests compare).
    plain_lines: bool,
}

/// Typed windows kept for their buffers: a 4 MiB chunk fills about four
/// later windows before they are typed and handed back.
const MAX_SPARE: usize = 8;

/// When records are handed over in windows (see [`TextParser::set_window`]).
#[derive(Debug, Clone, Copy)]
struct Window {
    /// Text the first window holds at least.
    first: usize,
    /// Text each later window holds at least.
    later: usize,
    /// Records the first window holds at least.
    min_rows: usize,
}

impl Window {
    const NONE: Window = Window {
        first: usize::MAX,
        later: usize::MAX,
        min_rows: 0,
    };
}

struct Stream {
    decoder: Option<Decoder>,
    decoded: Vec<u8>,
    skip_first_line: bool,
    rdr: Reader,
    out: Vec<u8>,
    nout: usize,
    ends: Vec<usize>,
    nend: usize,
    quotes: usize,
    /// Whether the last byte tokenised was a newline (for the last line's number).
    ended_with_newline: bool,
    table: RawTable,
    /// When a table is queued as a window.
    window: Window,
    /// Whether the first window was queued.
    first_taken: bool,
    /// Whether the first window's room was made (see [`RawTable::reserve_for`]).
    first_reserved: bool,
    ready: Vec<RawTable>,
    /// Windows handed back after typing, whose buffers the next ones reuse.
    spare: Vec<RawTable>,
    /// The delimiter, when records may be split without csv-core (see
    /// [`Stream::plain_record`]).
    plain: Option<u8>,
    /// Whether csv-core stands between two records (the plain path may
    /// only take over there).
    between: bool,
    /// Whether csv-core's last record ended at a carriage return: the
    /// newline after it (of a CRLF) is still to come.
    after_cr: bool,
}

impl Default for TextParser {
    fn default() -> Self {
        Self::new()
    }
}

impl TextParser {
    /// A parser that has seen nothing yet.
    pub fn new() -> Self {
        TextParser {
            sniffed: Vec::new(),
            stream: None,
            window: Window::NONE,
            plain_lines: true,
        }
    }

    /// Feeds the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        match &mut self.stream {
            Some(s) => {
                s.feed_bytes(chunk, false);
                Ok(())
            }
            None => {
                // Hold back only what sniffing needs; the rest of a large
                // chunk goes straight to the tokeniser, never copied.
                let take = SNIFF_BYTES
                    .saturating_sub(self.sniffed.len())
                    .min(chunk.len());
                self.sniffed.extend_from_slice(&chunk[..take]);
                if self.sniffed.len() >= SNIFF_BYTES {
                    self.start(false)?;
                    if let Some(s) = &mut self.stream {
                        s.feed_bytes(&chunk[take..], false);
                    }
                }
                Ok(())
            }
        }
    }

    /// Hands records over in windows: once the table holds `first` bytes
    /// of text and more than `min_rows` records it is queued (see
    /// [`TextParser::take_windows`]) and reading goes on into an empty one,
    /// queued in its turn at `later` bytes.
    ///
    /// The first window is large because it decides the header and the
    /// columns' styles; the later ones are small, so their text is typed
    /// while still in cache and the window and the next one being filled
    /// cost little memory (wasm memory never shrinks).
    pub fn set_window(&mut self, first: usize, later: usize, min_rows: usize) {
        self.window = Window {
            first,
            later,
            min_rows,
        };
        if let Some(s) = &mut self.stream {
            s.window = self.window;
        }
    }

    /// Hands back a window once typed: the next one reuses its buffers.
    pub fn recycle(&mut self, window: RawTable) {
        if let Some(s) = &mut self.stream {
            if s.spare.len() < MAX_SPARE && fits_later(&window, s.window.later) {
                s.spare.push(window);
            }
        }
    }

    /// The full windows queued so far, in file order.
    pub fn take_windows(&mut self) -> Vec<RawTable> {
        self.stream
            .as_mut()
            .map(|s| std::mem::take(&mut s.ready))
            .unwrap_or_default()
    }

    /// Ends the file and returns its records: the windows not yet taken,
    /// then the rest (the whole file when no window was set).
    pub fn finish(mut self) -> Result<Vec<RawTable>> {
        if self.stream.is_none() {
            self.start(true)?;
        }
        let mut s = self
            .stream
            .take()
            .ok_or_else(|| Error::new(ErrorKind::Usage("no stream".into())))?;
        s.feed_bytes(&[], true);
        s.tokenise(&[], true);
        let mut out = std::mem::take(&mut s.ready);
        s.table.shrink_to_fit();
        out.push(s.table);
        Ok(out)
    }

    fn start(&mut self, complete: bool) -> Result<()> {
        let sample = std::mem::take(&mut self.sniffed);
        let enc = match sniff::container(&sample, complete)? {
            Container::Text(e) => e,
            Container::Xlsx => {
                return Err(Error::new(ErrorKind::Usage(
                    "a spreadsheet was sent to the text reader".into(),
                )))
            }
        };
        // Decode the sample once to sniff the delimiter; the stream decodes it again.
        let text = decode_sample(&sample, enc);
        let (dialect, how) = sniff::dialect(&text, complete);
        let format = Format {
            encoding: enc.label(),
            delimiter: Some(delimiter_name(dialect.delimiter)),
            delimiter_source: Some(how.to_string()),
            sheet: None,
        };
        let mut s = Stream::new(enc, dialect, format);
        if !self.plain_lines {
            s.plain = None;
        }
        s.window = self.window;
        s.feed_bytes(&sample, false);
        self.stream = Some(s);
        Ok(())
    }
}

/// Whether a typed window is worth keeping for the buffers of windows of
/// `later` bytes of text. The first window is sixteen times larger: kept,
/// its room would stay taken, unused, for the whole file; dropped, the
/// allocator hands it out again to the rows and the interner (wasm memory
/// never shrinks, so a hole reused is memory the tab does not grow by).
pub(crate) fn fits_later(window: &RawTable, later: usize) -> bool {
    window.heap_bytes() <= later.saturating_mul(4)
}

/// A printable name for a delimiter byte.
pub fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        b => (b as char).to_string(),
    }
}

fn decode_sample(sample: &[u8], enc: TextEncoding) -> String {
    let mut out = Vec::with_capacity(sample.len());
    Decoder::new(enc.encoding).decode(sample, &mut out, false);
    // The decoder writes UTF-8 only; the fallback cannot happen.
    String::from_utf8(out).unwrap_or_default()
}

impl Stream {
    fn new(enc: TextEncoding, dialect: Dialect, format: Format) -> Self {
        // UTF-8 goes to the tokeniser as it is (validated per record), which
        // saves a copy of the whole file; other encodings are decoded first.
        let decoder = (enc.encoding != Encoding::Utf8).then(|| Decoder::new(enc.encoding));
        Stream {
            decoder,
            decoded: Vec::new(),
            skip_first_line: dialect.sep_line,
            rdr: ReaderBuilder::new().delimiter(dialect.delimiter).build(),
            out: vec![0; 64 * 1024],
            nout: 0,
            ends: vec![0; 256],
            nend: 0,
            quotes: 0,
            ended_with_newline: false,
            table: RawTable::new(format),
            window: Window::NONE,
            first_taken: false,
            first_reserved: false,
            ready: Vec::new(),
            spare: Vec::new(),
            plain: (!matches!(dialect.delimiter, b'"' | b'\r' | b'\n'))
                .then_some(dialect.delimiter),
            between: true,
            after_cr: false,
        }
    }

    fn feed_bytes(&mut self, chunk: &[u8], last: bool) {
        match self.decoder.as_mut() {
            None => {
                let mut c = chunk;
                if c.starts_with(b"\xEF\xBB\xBF") && !self.rdr_started() {
                    c = &c[3..];
                }
                self.tokenise_text(c, false);
            }
            Some(dec) => {
                let mut buf = std::mem::take(&mut self.decoded);
                buf.clear();
                dec.decode(chunk, &mut buf, last);
                self.tokenise_text(&buf, false);
                self.decoded = buf;
            }
        }
    }

    fn rdr_started(&self) -> bool {
        !self.table.is_empty() || self.nout > 0 || self.rdr.line() > 1
    }

    fn tokenise_text(&mut self, mut text: &[u8], eof: bool) {
        if self.skip_first_line && !text.is_empty() {
            match text.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    text = &text[i + 1..];
                    self.skip_first_line = false;
                    self.rdr.set_line(2);
                }
                None => return,
            }
        }
        self.tokenise(text, eof)
    }

    fn tokenise(&mut self, mut input: &[u8], eof: bool) {
        // csv-core reads an empty input as the end of the file.
        if input.is_empty() && !eof {
            return;
        }
        loop {
            if self.between {
                while let Some(n) = self.plain_record(input) {
                    input = &input[n..];
                    self.ended_with_newline = true;
                    self.emit(true, eof);
                }
            }
            let (res, nin, nout, nend) = self.rdr.read_record(
                input,
                &mut self.out[self.nout..],
                &mut self.ends[self.nend..],
            );
            self.quotes += bytecount(&input[..nin], b'"');
            let ended_on_newline = nin > 0 && input[nin - 1] == b'\n';
            self.after_cr = nin > 0 && input[nin - 1] == b'\r';
            if nin > 0 {
                self.ended_with_newline = ended_on_newline;
            }
            input = &input[nin..];
            self.nout += nout;
            self.nend += nend;
            self.between = matches!(res, ReadRecordResult::Record)
                || (nin == 0 && self.between && matches!(res, ReadRecordResult::InputEmpty));
            match res {
                ReadRecordResult::InputEmpty => {
                    if !eof || input.is_empty() {
                        break;
                    }
                }
                ReadRecordResult::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => self.emit(ended_on_newline, eof),
                ReadRecordResult::End => break,
            }
        }
    }

    /// The next record when it is one plain line: fields plain or quoted
    /// (with doubled quotes inside), no line break inside a field, no
    /// carriage return but the one before the newline, not empty. It is
    /// split here, eight bytes at a time, into `out` and `ends` as csv-core
    /// would have (csv-core reads such a line the same way; anything else
    /// goes to it: a quote inside an unquoted field, text after a closing
    /// quote, a lone carriage return, an empty line). Returns the bytes it
    /// took, through the newline; `None` leaves the input to csv-core (also
    /// when no newline is in sight: a record cut by the chunk's end).
    ///
    /// # Why
    /// csv-core walks a state machine byte by byte; most records of an
    /// export are plain lines, and tokenising was over a third of the
    /// helper's or the engine's work on a large file.
    fn plain_record(&mut self, whole: &[u8]) -> Option<usize> {
        let d = self.plain?;
        // The newline of a CRLF whose carriage return ended csv-core's
        // last record is taken with this record (csv-core would skip it).
        let skip = usize::from(self.after_cr && whole.first() == Some(&b'\n'));
        let input = &whole[skip..];
        if matches!(input.first()?, b'\r' | b'\n') {
            return None;
        }
        let (mut nout, mut nend, mut quotes) = (0usize, 0usize, 0usize);
        let mut at = 0usize;
        loop {
            // One field from `at`; `hit` is the byte after it.
            let hit = if input.get(at) == Some(&b'"') {
                quotes += 1;
                let mut p = at + 1;
                loop {
                    let q = find_any(input, p, [b'"', b'\r', b'\n', b'"'])?;
                    if input[q] != b'"' {
                        return None;
                    }
                    self.put(&mut nout, &input[p..q]);
                    quotes += 1;
                    if input.get(q + 1) == Some(&b'"') {
                        self.put(&mut nout, b"\"");
                        quotes += 1;
                        p = q + 2;
                    } else {
                        break q + 1;
                    }
                }
            } else {
                let h = find_any(input, at, [d, b'\r', b'\n', b'"'])?;
                if input[h] == b'"' {
                    return None;
                }
                self.put(&mut nout, &input[at..h]);
                h
            };
            let end_of_line = match *input.get(hit)? {
                b'\n' => Some(hit + 1),
                b'\r' if input.get(hit + 1) == Some(&b'\n') => Some(hit + 2),
                c if c == d => None,
                _ => return None,
            };
            if self.ends.len() <= nend {
                self.ends.resize(self.ends.len() * 2 + 1, 0);
            }
            self.ends[nend] = nout;
            nend += 1;
            if let Some(taken) = end_of_line {
                self.nout = nout;
                self.nend = nend;
                self.quotes += quotes;
                self.after_cr = false;
                self.rdr.set_line(self.rdr.line() + 1 + skip as u64);
                return Some(skip + taken);
            }
            at = hit + 1;
        }
    }

    /// Appends `bytes` to the record being split at `*nout`.
    #[inline]
    fn put(&mut self, nout: &mut usize, bytes: &[u8]) {
        let end = *nout + bytes.len();
        if self.out.len() < end {
            self.out.resize(end.next_power_of_two(), 0);
        }
        self.out[*nout..end].copy_from_slice(bytes);
        *nout = end;
    }

    fn emit(&mut self, ended_on_newline: bool, eof: bool) {
        let bytes = &self.out[..self.nout];
        // A newline inside a record is inside quotes: without quotes there
        // is none to count.
        let inner_newlines = if self.quotes == 0 {
            0
        } else {
            bytecount(bytes, b'\n') as u64
        };
        let line_now = self.rdr.line();
        let start = (line_now - inner_newlines - u64::from(ended_on_newline)).max(1) as u32;
        let quotes = std::mem::take(&mut self.quotes);
        let nend = std::mem::take(&mut self.nend);
        self.nout = 0;
        if eof && quotes % 2 == 1 && inner_newlines > 0 {
            let last = line_now - u64::from(self.ended_with_newline);
            self.table.issues.push(StructureIssue {
                line: start,
                message: format!(
                    "a quoted field opened on line {start} is never closed, so lines {start}–{last} were read as one row; the row was rejected"
                ),
                rejects: true,
            });
            return;
        }
        let ends = &self.ends[..nend];
        // Valid when the record's text is and each field ends on a
        // character boundary of it (`push_joined` checks): a field can end
        // in a lead byte and the next begin with a continuation byte, which
        // run together read as one character (`\xC3,\xA9` is `é` once the
        // comma is gone).
        let joined = match std::str::from_utf8(bytes) {
            Ok(text) => self.table.push_joined(start, text, ends),
            Err(_) => false,
        };
        if !joined {
            self.table.issues.push(StructureIssue {
                line: start,
                message: "bytes that are not valid UTF-8 were replaced by \u{fffd}".into(),
                rejects: false,
            });
            let mut begin = 0;
            let owned: Vec<String> = ends
                .iter()
                .map(|&e| {
                    let f = String::from_utf8_lossy(&bytes[begin..e]).into_owned();
                    begin = e;
                    f
                })
                .collect();
            self.table
                .push_record(start, owned.iter().map(String::as_str));
        }
        // Once the first window is an eighth full, the records so far say
        // how many fields the rest will need: room for all of it at once.
        let first = self.window.first;
        if !self.first_reserved && first < usize::MAX && self.table.text_len() >= first / 8 {
            self.first_reserved = true;
            self.table.reserve_for(first + first / 8);
        }
        let (bytes, next) = if self.first_taken {
            (self.window.later, self.window.later)
        } else {
            (self.window.first, self.window.later)
        };
        let taken = self
            .table
            .take_window(bytes, self.window.min_rows, next, &mut self.spare);
        if let Some(w) = taken {
            self.first_taken = true;
            self.ready.push(w);
        }
    }
}

/// The high bit of each byte of `w` that equals `b`, eight bytes at once
/// (SWAR: WebAssembly without SIMD compares a byte per instruction
/// otherwise). Exact: a byte of `x` is zero where `b` is, and `t`'s high bit
/// is set in each byte where `x`'s is not zero, with no carries between
/// bytes (each byte's low seven bits plus 0x7f stay below 0x100).
#[inline]
fn equal_bytes(w: u64, b: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = w ^ (u64::from(b) * 0x0101_0101_0101_0101);
    let t = ((x & LOW7) + LOW7) | x;
    !t & HIGH
}

/// The high bit of the first byte of `w` equal to `b`, and maybe of later
/// bytes (a borrow can mark the byte after an equal one): exact for the
/// lowest set bit, which is all [`find_any`] reads, in three operations
/// where [`equal_bytes`] takes five to mark every byte exactly.
#[inline]
fn first_equal(w: u64, b: u8) -> u64 {
    let x = w ^ (u64::from(b) * 0x0101_0101_0101_0101);
    x.wrapping_sub(0x0101_0101_0101_0101) & !x & 0x8080_8080_8080_8080
}

/// The eight bytes of `hay` from `at` as one little-endian word.
#[inline]
fn word(hay: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&hay[at..at + 8]);
    u64::from_le_bytes(b)
}

/// Where the first of the four bytes `set` occurs in `hay` from `from`,
/// eight bytes at a time.
#[inline]
fn find_any(hay: &[u8], from: usize, set: [u8; 4]) -> Option<usize> {
    let mut at = from;
    while at + 8 <= hay.len() {
        let w = word(hay, at);
        let m = first_equal(w, set[0])
            | first_equal(w, set[1])
            | first_equal(w, set[2])
            | first_equal(w, set[3]);
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    hay.get(at..)?
        .iter()
        .position(|c| set.contains(c))
        .map(|i| at + i)
}

/// How many times `needle` occurs in `hay`, eight bytes at a time: every
/// byte of a file is counted once for quotes.
fn bytecount(hay: &[u8], needle: u8) -> usize {
    let mut n = 0usize;
    let mut at = 0;
    while at + 8 <= hay.len() {
        n += equal_bytes(word(hay, at), needle).count_ones() as usize;
        at += 8;
    }
    n + hay[at..].iter().filter(|&&b| b == needle).count()
}

/// Reads a whole text file from one slice.
pub fn read_text(bytes: &[u8]) -> Result<RawTable> {
    let mut p = TextParser::new();
    p.push(bytes)?;
    let mut tables = p.finish()?;
    tables
        .pop()
        .ok_or_else(|| Error::new(ErrorKind::Usage("no table".into())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cheap test finds the same first equal byte as the exact one, and
    /// none where there is none: words made of the few bytes that matter
    /// (and their neighbours, where a borrow could mislead), in every mix.
    #[test]
    fn the_first_equal_byte_is_the_exact_tests_first() {
        let bytes = [
            0u8, 1, b'\n', b'\r', b'"', b'#', b',', b'-', 0x7f, 0x80, 0xff,
        ];
        let mut seed = 1u64;
        for _ in 0..200_000 {
            let mut w = [0u8; 8];
            for b in &mut w {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                *b = bytes[(seed >> 33) as usize % bytes.len()];
            }
            let w = u64::from_le_bytes(w);
            for b in [b'\n', b'\r', b'"', b',', 0, 0xff] {
                let (cheap, exact) = (first_equal(w, b), equal_bytes(w, b));
                assert_eq!(cheap == 0, exact == 0, "{w:#x} {b}");
                if exact != 0 {
                    assert_eq!(cheap.trailing_zeros(), exact.trailing_zeros(), "{w:#x} {b}");
                }
            }
        }
    }

    fn rows(t: &RawTable) -> Vec<(u32, Vec<String>)> {
        (0..t.len())
            .map(|r| (t.line(r), t.record(r).map(String::from).collect()))
            .collect()
    }

    #[test]
    fn quoted_fields_and_lines() {
        let t = read_text(b"a,b\r\n\"x, y\",\"two\r\nlines\"\r\n3,\"say \"\"hi\"\"\"\r\n").unwrap();
        assert_eq!(
            rows(&t),
            vec![
                (1, vec!["a".into(), "b".into()]),
                (2, vec!["x, y".into(), "two\r\nlines".into()]),
                (4, vec!["3".into(), "say \"hi\"".into()]),
            ]
        );
    }

    #[test]
    fn chunking_does_not_matter() {
        let data =
            "\u{feff}sep=;\nname;amount\n\"Ayu; Sari\";1.234,50\nBudi;\"7\n8\"\nÇa;9".as_bytes();
        let whole = rows(&read_text(data).unwrap());
        assert_eq!(whole[0].0, 2);
        assert_eq!(whole[2], (4, vec!["Budi".into(), "7\n8".into()]));
        assert_eq!(whole[3], (6, vec!["Ça".into(), "9".into()]));
        for size in 1..data.len() {
            let mut p = TextParser::new();
            for c in data.chunks(size) {
                p.push(c).unwrap();
            }
            assert_eq!(rows(&p.finish().unwrap()[0]), whole, "chunk size {size}");
        }
    }

    #[test]
    fn windows_after_the_first_are_small_and_reuse_typed_buffers() {
        // 20,000 records of "r00000,x\n": 7 bytes of field text each, past
        // the sniffed head, so windows are handed over while reading. Record
        // 8,000 (past the sniffed 64 KiB, so the file is still UTF-8) has a
        // byte that is not UTF-8 instead of its "x": read as U+FFFD (3
        // bytes), with a structure issue in its own window only.
        let mut data: Vec<u8> = (0..20_000)
            .flat_map(|i| format!("r{i:05},x\n").into_bytes())
            .collect();
        data[8_000 * 9 + 7] = 0xFF;
        let whole = rows(&read_text(&data).unwrap());
        assert_eq!(whole[8_000].1[1], "\u{fffd}");
        let mut p = TextParser::new();
        p.set_window(40_000, 12_000, 3);
        let mut got = Vec::new();
        let mut sizes = Vec::new();
        let mut issues = Vec::new();
        let mut reused = 0;
        // Where each window's text lies: a window in buffers handed back lies
        // where an earlier one did.
        let mut handed_back: Vec<*const u8> = Vec::new();
        for c in data.chunks(4096) {
            p.push(c).unwrap();
            for w in p.take_windows() {
                sizes.push(w.len());
                issues.push(w.issues.len());
                let at = w.arena.as_ptr();
                reused += usize::from(handed_back.contains(&at));
                got.extend(rows(&w));
                // The first window's buffers are let go (not counted: the
                // allocator may hand their place to a new window).
                if sizes.len() > 1 {
                    handed_back.push(at);
                }
                p.recycle(w);
                let spares = p.stream.as_ref().unwrap().spare.len();
                if sizes.len() == 1 {
                    assert_eq!(spares, 0, "the first window's buffers were kept");
                }
            }
        }
        for w in p.finish().unwrap() {
            issues.push(w.issues.len());
            got.extend(rows(&w));
        }
        assert_eq!(got, whole);
        // 5,715 records make the first 40,000 bytes (5,714 make 39,998),
        // then 1,715 pass each 12,000 (1,714 make 11,998), but the third
        // window (records 7,430–9,143) holds the 3-byte U+FFFD and reaches
        // 12,000 at 1,714; 20,000 − 5,715 − 1,715 − 1,714 − 6 × 1,715 = 566
        // are left for `finish`.
        let mut want = vec![5_715, 1_715, 1_714];
        want.extend([1_715; 6]);
        assert_eq!(sizes, want);
        // The issue stays with its window: the windows refilled in its
        // buffers afterwards do not carry it on.
        assert_eq!(issues, [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
        // Later windows went on in the buffers of later ones handed back;
        // the first one's (over three times larger) were let go.
        assert!(reused >= 6, "reused {reused}");

        // A file that ends before its first window fills is kept as text:
        // the room made for the whole window (at an eighth full) is given
        // back. 140,000 bytes of text against a 1,000,000-byte window.
        let mut p = TextParser::new();
        p.set_window(1_000_000, 12_000, 3);
        p.push(&data).unwrap();
        assert!(p.stream.as_ref().unwrap().table.arena.capacity() >= 1_125_000);
        let kept = p.finish().unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(rows(&kept[0]), whole);
        assert!(kept[0].arena.capacity() < 200_000);
    }

    #[test]
    fn bytes_are_counted_eight_at_a_time_as_one_by_one() {
        // Every byte value as needle and filler, at every length and offset
        // around a word, against the plain count.
        let hay: Vec<u8> = (0..=255u8)
            .chain((0..=255u8).rev())
            .chain([b'"'; 19])
            .collect();
        for needle in [0u8, b'"', b'\n', 0x7f, 0x80, 0xff] {
            for start in 0..9 {
                for end in (start..hay.len()).step_by(7) {
                    let h = &hay[start..end];
                    let plain = h.iter().filter(|&&b| b == needle).count();
                    assert_eq!(bytecount(h, needle), plain, "{needle} {start}..{end}");
                }
            }
        }
        assert_eq!(bytecount(&[b'"'; 19], b'"'), 19);
    }

    #[test]
    fn utf16_is_decoded() {
        let text = "a\tb\r\nJosé\t1\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let t = read_text(&bytes).unwrap();
        assert_eq!(t.format.encoding, "utf-16le");
        assert_eq!(t.format.delimiter.as_deref(), Some("tab"));
        assert_eq!(rows(&t)[1], (2, vec!["José".into(), "1".into()]));
    }

    #[test]
    fn stray_quote_is_reported() {
        let t = read_text(b"a,b\n1,2\n3,\"4\n5,6\n7,8\n").unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t.issues.len(), 1);
        assert_eq!(t.issues[0].line, 3);
        assert!(t.issues[0].rejects);
    }

    /// Every record, line and issue of `data` read in chunks of `sizes`
    /// (cycled), with or without the plain-line path.
    fn read_in(
        data: &[u8],
        sizes: &[usize],
        plain: bool,
    ) -> (Vec<(u32, Vec<String>)>, Vec<String>) {
        let mut p = TextParser::new();
        p.plain_lines = plain;
        let mut at = 0;
        for &n in sizes.iter().cycle() {
            if at >= data.len() {
                break;
            }
            let end = (at + n).min(data.len());
            p.push(&data[at..end]).unwrap();
            at = end;
        }
        let mut all = (Vec::new(), Vec::new());
        for t in p.finish().unwrap() {
            all.0.extend(rows(&t));
            all.1.extend(
                t.issues
                    .iter()
                    .map(|i| format!("{} {} {}", i.line, i.rejects, i.message)),
            );
        }
        all
    }

    /// The plain-line path splits records exactly as csv-core does: files
    /// of random pieces (quoted and doubled quotes, text after a closing
    /// quote, lone and paired carriage returns, empty lines, a quote left
    /// open, multi-byte text), read whole and in chunks of every size from
    /// one byte, with and without the path.
    #[test]
    fn plain_lines_split_as_csv_core_does() {
        const PIECES: &[&str] = &[
            "abc",
            "Ça",
            ",",
            ",",
            ",",
            ";",
            "\n",
            "\n",
            "\r\n",
            "\r",
            "\"",
            "\"x, y\"",
            "\"a\"\"b\"",
            "\"\"",
            " ",
            "1.5",
            "",
            "\"two\nlines\"",
            "\"q\"z",
            "\n\n",
            "\t",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut plain_used = 0;
        for case in 0..400 {
            let mut text = String::from("id,name,amount\n");
            for _ in 0..(20 + case % 60) {
                text.push_str(PIECES[next(PIECES.len())]);
                if next(4) == 0 {
                    text.push('\n');
                }
            }
            let data = text.as_bytes();
            let want = read_in(data, &[usize::MAX], false);
            for sizes in [
                vec![usize::MAX],
                vec![1],
                vec![2, 3],
                vec![7, 1, 13],
                vec![64],
            ] {
                let got = read_in(data, &sizes, true);
                assert_eq!(got, want, "case {case}, chunks {sizes:?}: {text:?}");
            }
            plain_used += usize::from(want.0.len() > 1);
        }
        assert!(plain_used > 300);
    }
}
