//! Windows of records as bytes, so tokenising and typing can run in two
//! places: in the browser a helper worker reads and tokenises a large file
//! while the engine's worker types the windows it sends, on two cores.
//!
//! # Design
//! A [`Tokeniser`] is the same [`TextParser`] the workbook runs, with the
//! same window sizes, so the windows it sends are the ones the workbook
//! would have cut itself and the typed rows, issues and report are the same
//! byte for byte. A window crosses as one buffer: a short header (format,
//! structure issues, overflow), then the text and its offsets as they lie in
//! the [`RawTable`]. The receiver checks everything it is sent (the text is
//! UTF-8, every offset in range and on a character boundary) before reading
//! a field from it, so a bad buffer is an error, never a panic.

use super::csv::TextParser;
use super::{Format, RawTable, StructureIssue};
use crate::error::{Error, ErrorKind, Result};

/// The first bytes of every window, with the format's version.
const MAGIC: &[u8; 5] = b"PLKW\x01";

/// Tokenises a text file into windows encoded for [`decode`].
pub struct Tokeniser {
    parser: TextParser,
    scratch: Vec<u8>,
}

impl Tokeniser {
    /// A tokeniser cutting windows as a workbook with these window sizes
    /// does (see [`crate::tables::stream::window_parser`]): `first` bytes of
    /// text for the first (it decides the header and the columns' styles),
    /// `later` for the others.
    pub fn new(first: usize, later: usize) -> Self {
        Tokeniser {
            parser: crate::tables::stream::window_parser(first, later),
            scratch: Vec::new(),
        }
    }

    /// Feeds the next chunk; each full window is given to `emit` to write.
    pub fn push(&mut self, chunk: &[u8], mut emit: impl FnMut(Window<'_>)) -> Result<()> {
        self.parser.push(chunk)?;
        for w in self.parser.take_windows() {
            emit(Window {
                table: &w,
                last: false,
                scratch: &mut self.scratch,
            });
            self.parser.recycle(w);
        }
        Ok(())
    }

    /// Ends the file: the records left are given to `emit` as the file's
    /// last windows (a file too small for a window is one last window, kept
    /// as text by the workbook like a file it read itself).
    pub fn finish(mut self, mut emit: impl FnMut(Window<'_>)) -> Result<()> {
        for w in self.parser.finish()? {
            emit(Window {
                table: &w,
                last: true,
                scratch: &mut self.scratch,
            });
        }
        Ok(())
    }
}

impl Default for Tokeniser {
    /// Windows of the workbook's default sizes.
    fn default() -> Self {
        use crate::tables::stream::{LATER_WINDOW_BYTES, WINDOW_BYTES};
        Tokeniser::new(WINDOW_BYTES, LATER_WINDOW_BYTES)
    }
}

/// A window to write: its encoded length is known before it is written,
/// and it is written in parts (the text as it lies, the offsets a slice at
/// a time), so the caller can copy it straight into a buffer of that length
/// and no second copy of a 16 MiB first window is ever held.
pub struct Window<'a> {
    table: &'a RawTable,
    last: bool,
    scratch: &'a mut Vec<u8>,
}

/// Offsets converted to bytes per part.
const OFFSETS_PER_PART: usize = 16 * 1024;

impl Window<'_> {
    /// Bytes [`Window::write`] gives in all.
    pub fn encoded_len(&self) -> usize {
        let t = self.table;
        let text = |s: &str| 4 + s.len();
        let opt = |s: &Option<String>| 1 + s.as_deref().map_or(0, text);
        MAGIC.len()
            + 1
            + text(&t.format.encoding)
            + opt(&t.format.delimiter)
            + opt(&t.format.delimiter_source)
            + opt(&t.format.sheet)
            + 8
            + if t.overflow.is_some() { 9 } else { 1 }
            + 4
            + t.issues
                .iter()
                .map(|i| 4 + 1 + text(&i.message))
                .sum::<usize>()
            + text(&t.arena)
            + 3 * 4
            + 4 * (t.ends.len() + t.starts.len() + t.lines.len())
    }

    /// Gives the window's bytes to `sink`, in order, in parts.
    pub fn write(&mut self, mut sink: impl FnMut(&[u8])) {
        let t = self.table;
        let out = &mut *self.scratch;
        out.clear();
        out.extend_from_slice(MAGIC);
        out.push(u8::from(self.last) | u8::from(t.serial_dates) << 1);
        put_str(out, &t.format.encoding);
        for s in [
            &t.format.delimiter,
            &t.format.delimiter_source,
            &t.format.sheet,
        ] {
            match s {
                Some(s) => {
                    out.push(1);
                    put_str(out, s);
                }
                None => out.push(0),
            }
        }
        put_u64(out, t.limit as u64);
        match t.overflow {
            Some((line, n)) => {
                out.push(1);
                put_u32(out, line);
                put_u32(out, n);
            }
            None => out.push(0),
        }
        put_u32(out, t.issues.len() as u32);
        for i in &t.issues {
            put_u32(out, i.line);
            out.push(u8::from(i.rejects));
            put_str(out, &i.message);
        }
        put_u32(out, t.arena.len() as u32);
        sink(out);
        sink(t.arena.as_bytes());
        for v in [&t.ends, &t.starts, &t.lines] {
            out.clear();
            put_u32(out, v.len() as u32);
            for part in v.chunks(OFFSETS_PER_PART) {
                out.extend(part.iter().flat_map(|x| x.to_le_bytes()));
                sink(out);
                out.clear();
            }
            if !out.is_empty() {
                sink(out);
            }
        }
    }

    /// The window's bytes in one buffer.
    pub fn to_vec(&mut self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encoded_len());
        self.write(|part| v.extend_from_slice(part));
        v
    }
}

/// Window `t` as bytes; `last` marks the windows cut when the file ended.
pub fn encode(t: &RawTable, last: bool) -> Vec<u8> {
    Window {
        table: t,
        last,
        scratch: &mut Vec::new(),
    }
    .to_vec()
}

/// Reads a window written by [`encode`] into `t`, reusing its buffers;
/// returns whether it is one of the file's last windows.
pub fn decode(bytes: &[u8], t: &mut RawTable) -> Result<bool> {
    let read = decode_but_text(bytes, t).and_then(|(last, text)| {
        t.arena.clear();
        t.arena.push_str(text_of(&bytes[text])?);
        check(t)?;
        Ok(last)
    });
    kept_whole(read, t)
}

/// A window read wholly, or none of it: on an error the table holds no
/// record, never offsets read from one window over another's text (see
/// `RawTable::field`).
fn kept_whole(read: Result<bool>, t: &mut RawTable) -> Result<bool> {
    if read.is_err() {
        t.forget_records();
    }
    read
}

/// [`decode`] of the window in `room`, whose text becomes the table's where
/// it lies; the table's old text's buffer becomes the room, for the next
/// window to be copied into.
///
/// # Why
/// A window crosses from the helper worker as bytes copied into the
/// engine's memory. Copied into a new buffer each time (1 MiB or so, a
/// little more or less each window), those buffers were freed between row
/// chunks and left holes too small for what came next: behind the helper
/// the engine held 54 MiB after the 1M report against 50 when it read the
/// file itself. Two buffers that swap, each grown to the largest window,
/// leave none. And the text is not copied a second time: the first window
/// holds 4 MiB of it and more.
pub fn decode_in(room: &mut Vec<u8>, t: &mut RawTable) -> Result<bool> {
    let read = decode_but_text(room, t).and_then(|(last, text)| {
        room.truncate(text.end);
        room.drain(..text.start);
        let old = std::mem::take(&mut t.arena).into_bytes();
        match String::from_utf8(std::mem::replace(room, old)) {
            Ok(text) => t.arena = text,
            Err(e) => {
                *room = e.into_bytes();
                return Err(bad("text that is not UTF-8"));
            }
        }
        check(t)?;
        Ok(last)
    });
    kept_whole(read, t)
}

/// The text as UTF-8.
fn text_of(bytes: &[u8]) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|_| bad("text that is not UTF-8"))
}

/// Reads everything of a window into `t` but its text, whose place in
/// `bytes` it returns with whether the window is one of the last.
fn decode_but_text(bytes: &[u8], t: &mut RawTable) -> Result<(bool, std::ops::Range<usize>)> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        return Err(bad("not a window of this version"));
    }
    let flags = r.u8()?;
    t.serial_dates = flags & 2 != 0;
    let encoding = r.str()?.to_string();
    let mut opt = || -> Result<Option<String>> {
        Ok(match r.u8()? {
            0 => None,
            _ => Some(r.str()?.to_string()),
        })
    };
    let (delimiter, delimiter_source, sheet) = (opt()?, opt()?, opt()?);
    t.format = Format {
        encoding,
        delimiter,
        delimiter_source,
        sheet,
    };
    // Never above the reader's own: offsets are `u32`, and a table past
    // 4 GiB appended to would wrap them (see `RawTable::field`).
    t.limit = usize::try_from(r.u64()?).map_or(super::RAW_LIMIT, |l| l.min(super::RAW_LIMIT));
    t.overflow = match r.u8()? {
        0 => None,
        _ => Some((r.u32()?, r.u32()?)),
    };
    t.issues.clear();
    for _ in 0..r.u32()? {
        let line = r.u32()?;
        let rejects = r.u8()? != 0;
        let message = r.str()?.to_string();
        t.issues.push(StructureIssue {
            line,
            message,
            rejects,
        });
    }
    let n = r.u32()? as usize;
    let start = r.at;
    r.take(n)?;
    for v in [&mut t.ends, &mut t.starts, &mut t.lines] {
        let n = r.u32()? as usize;
        let raw = r.take(n.checked_mul(4).ok_or_else(|| bad("length out of range"))?)?;
        v.clear();
        v.extend(
            raw.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
    }
    if r.at != bytes.len() {
        return Err(bad("bytes after the window's end"));
    }
    Ok((flags & 1 != 0, start..start + n))
}

/// What [`RawTable::field`] and [`RawTable::line`] rely on: every field
/// ends in the text, on a character boundary, after the previous one; each
/// record's fields follow the previous record's; one line per record.
fn check(t: &RawTable) -> Result<()> {
    let mut prev = 0u32;
    for &e in &t.ends {
        if e < prev || !t.arena.is_char_boundary(e as usize) {
            return Err(bad("a field ends out of order or inside a character"));
        }
        prev = e;
    }
    if t.starts.first() != Some(&0)
        || t.starts.windows(2).any(|w| w[0] > w[1])
        || t.starts.last().map(|&s| s as usize) != Some(t.ends.len())
        || t.starts.len() != t.lines.len() + 1
    {
        return Err(bad("records and fields do not match"));
    }
    Ok(())
}

fn bad(what: &str) -> Error {
    Error::new(ErrorKind::Usage(format!("a malformed window: {what}")))
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

/// Reads a window's fields in order, every read checked against its end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| bad("it ends early"))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64> {
        let b = self.take(8)?;
        let mut w = [0u8; 8];
        w.copy_from_slice(b);
        Ok(u64::from_le_bytes(w))
    }

    fn str(&mut self) -> Result<&'a str> {
        let n = self.u32()? as usize;
        text_of(self.take(n)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows(text: &[u8], first: usize, later: usize, chunk: usize) -> Vec<(bool, RawTable)> {
        let mut tk = Tokeniser::new(first, later);
        let mut got = Vec::new();
        let mut take = |mut w: Window<'_>| {
            let b = w.to_vec();
            // The length told beforehand is the length written.
            assert_eq!(b.len(), w.encoded_len());
            let mut t = RawTable::default();
            let last = decode(&b, &mut t).unwrap();
            // Decoded from bytes it keeps, into a table that had text: the same.
            let mut kept = RawTable::new(Format::default());
            kept.push_record(1, ["old", "text"]);
            assert_eq!(kept.records(), vec![(1, vec!["old", "text"])]);
            let mut room = b.clone();
            assert_eq!(decode_in(&mut room, &mut kept).unwrap(), last);
            assert_eq!(kept.records(), t.records());
            assert_eq!(kept.format, t.format);
            // The room is now the table's old text, for the next window.
            assert_eq!(room, b"oldtext");
            got.push((last, t));
        };
        for c in text.chunks(chunk) {
            tk.push(c, &mut take).unwrap();
        }
        tk.finish(&mut take).unwrap();
        got
    }

    #[test]
    fn windows_cross_as_the_parser_cut_them() {
        // Past the 64 KiB the parser holds back to sniff, so windows are
        // cut while the file streams: 9,000 records, record 3 with a quoted
        // newline, the last with a quoted comma.
        let mut text = String::from("id,amt\n1,10.5\n2,20.5\n\"3\n\",30.5\n");
        for i in 4..9000 {
            text.push_str(&format!("{i},{i}.5\n"));
        }
        text.push_str("9000,\"60,5\"\n");
        let text = text.as_bytes();
        let got = windows(text, 20_000, 5_000, 4096);
        // Same cut as the parser itself, chunked the same way.
        let mut p = crate::tables::stream::window_parser(20_000, 5_000);
        let mut want = Vec::new();
        for c in text.chunks(4096) {
            p.push(c).unwrap();
            want.extend(p.take_windows().into_iter().map(|w| (false, w)));
        }
        want.extend(p.finish().unwrap().into_iter().map(|w| (true, w)));
        assert_eq!(got.len(), want.len());
        for ((gl, g), (wl, w)) in got.iter().zip(&want) {
            assert_eq!(gl, wl);
            assert_eq!(g.records(), w.records());
            assert_eq!(g.format, w.format);
        }
        // Windows were cut while streaming, and only those cut at the end
        // are marked last.
        let streamed = got.iter().take_while(|(last, _)| !last).count();
        assert!(streamed >= 5, "{streamed} windows cut while streaming");
        assert!(got[streamed..].iter().all(|(last, _)| *last));
        // Worked out by hand: the quoted newline puts record "3\n" on line
        // 4 and the next record on line 6; the last field keeps its comma.
        let all: Vec<(u32, Vec<&str>)> = got.iter().flat_map(|(_, t)| t.records()).collect();
        assert_eq!(all.len(), 9001);
        assert_eq!(all[0], (1, vec!["id", "amt"]));
        assert_eq!(all[3], (4, vec!["3\n", "30.5"]));
        assert_eq!(all[4], (6, vec!["4", "4.5"]));
        assert_eq!(all[9000], (9002, vec!["9000", "60,5"]));
        assert_eq!(got[0].1.format.delimiter.as_deref(), Some(","));
    }

    #[test]
    fn issues_and_overflow_cross_too() {
        let mut t = RawTable::new(Format {
            encoding: "windows-1252".into(),
            delimiter: Some(";".into()),
            delimiter_source: None,
            sheet: Some("Deals".into()),
        });
        t.push_record(3, ["é", "x"]);
        t.serial_dates = true;
        t.overflow = Some((9, 4));
        t.issues.push(StructureIssue {
            line: 7,
            message: "stray quote".into(),
            rejects: true,
        });
        let buf = encode(&t, true);
        let mut back = RawTable::default();
        assert!(decode(&buf, &mut back).unwrap());
        assert_eq!(back.format, t.format);
        assert_eq!(back.issues, t.issues);
        assert_eq!(back.overflow, Some((9, 4)));
        assert!(back.serial_dates);
        assert_eq!(back.limit, RAW_LIMIT_FOR_TEST);
        assert_eq!(back.records(), vec![(3, vec!["é", "x"])]);
        let mut kept = RawTable::default();
        assert!(decode_in(&mut buf.clone(), &mut kept).unwrap());
        assert_eq!(
            (&kept.format, &kept.issues, kept.overflow, kept.serial_dates),
            (&t.format, &t.issues, Some((9, 4)), true)
        );
        assert_eq!(kept.records(), vec![(3, vec!["é", "x"])]);
    }

    const RAW_LIMIT_FOR_TEST: usize = super::super::RAW_LIMIT;

    #[test]
    fn a_bad_buffer_is_an_error_not_a_panic() {
        let mut t = RawTable::new(Format::default());
        t.push_record(1, ["é", "ab"]);
        let good = encode(&t, false);
        let mut into = RawTable::default();
        // Every truncation fails cleanly, and leaves no record behind: not
        // the last window's, nor this one's offsets over the last one's text.
        for n in 0..good.len() {
            decode(&good, &mut into).unwrap();
            assert!(decode(&good[..n], &mut into).is_err(), "cut at {n}");
            assert!(into.is_empty(), "cut at {n}");
            decode(&good, &mut into).unwrap();
            let mut cut = good[..n].to_vec();
            assert!(decode_in(&mut cut, &mut into).is_err(), "cut at {n}");
            assert!(into.is_empty(), "cut at {n}");
        }
        // A field ending inside "é" (2 bytes): the ends are the last 12
        // bytes before the starts; the first end is 2, made 1.
        let arena_end = good.len() - (4 + 4 * 2) - (4 + 4 * 2) - (4 + 4);
        let first_end = arena_end + 4;
        assert_eq!(good[first_end], 2);
        let mut bad_end = good.clone();
        bad_end[first_end] = 1;
        decode(&good, &mut into).unwrap();
        let e = decode(&bad_end, &mut into).unwrap_err();
        assert!(e.to_string().contains("inside a character"), "{e}");
        assert!(into.is_empty());
        decode(&good, &mut into).unwrap();
        let e = decode_in(&mut bad_end, &mut into).unwrap_err();
        assert!(e.to_string().contains("inside a character"), "{e}");
        assert!(into.is_empty());
        // Text that is not UTF-8: "é"'s second byte made another lead byte.
        let mut not_utf8 = good.clone();
        let text_at = not_utf8
            .windows(2)
            .position(|w| w == "é".as_bytes())
            .unwrap();
        not_utf8[text_at + 1] = 0xc3;
        for e in [
            decode(&not_utf8, &mut into).unwrap_err(),
            decode_in(&mut not_utf8.clone(), &mut into).unwrap_err(),
        ] {
            assert!(e.to_string().contains("not UTF-8"), "{e}");
        }
        // A trailing byte, and another magic.
        let mut longer = good.clone();
        longer.push(0);
        assert!(decode(&longer, &mut into).is_err());
        let mut other = good.clone();
        other[4] = 9;
        assert!(decode(&other, &mut into).is_err());
        // And the good one still reads.
        assert!(!decode(&good, &mut into).unwrap());
        assert_eq!(into.records(), vec![(1, vec!["é", "ab"])]);
        let mut kept = RawTable::default();
        assert!(!decode_in(&mut good.clone(), &mut kept).unwrap());
        assert_eq!(kept.records(), vec![(1, vec!["é", "ab"])]);
    }
}
