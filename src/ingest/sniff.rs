//! Deciding how to read a text file from its first bytes.

use super::decode::Encoding;
use crate::error::{Error, ErrorKind, Result};

/// How many bytes are looked at before the encoding and delimiter are decided.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The text encoding of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEncoding {
    /// The encoding to decode.
    pub encoding: Encoding,
    /// Whether the file starts with a byte-order mark.
    pub bom: bool,
}

impl TextEncoding {
    /// The name shown in the report.
    pub fn label(&self) -> String {
        let name = match self.encoding {
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Utf8 => "utf-8",
        };
        if self.bom && self.encoding == Encoding::Utf8 {
            "utf-8 (bom)".to_string()
        } else {
            name.to_string()
        }
    }
}

/// What the first bytes say the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// Delimited text.
    Text(TextEncoding),
    /// A zip container: `.xlsx`.
    Xlsx,
}

/// Decides the container and encoding from the first bytes of a file.
/// `complete` says the sample is the whole file (so a cut-off UTF-8
/// sequence at its end is a real error, not a chunk boundary).
pub fn container(sample: &[u8], complete: bool) -> Result<Container> {
    if sample.is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    if sample.starts_with(b"PK\x03\x04") {
        return Ok(Container::Xlsx);
    }
    if sample.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::new(ErrorKind::Binary(
            "a legacy .xls workbook: save it as .xlsx or .csv".into(),
        )));
    }
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(Container::Text(TextEncoding {
            encoding: Encoding::Utf8,
            bom: true,
        }));
    }
    if sample.starts_with(&[0xFF, 0xFE]) {
        return Ok(Container::Text(TextEncoding {
            encoding: Encoding::Utf16Le,
            bom: true,
        }));
    }
    if sample.starts_with(&[0xFE, 0xFF]) {
        return Ok(Container::Text(TextEncoding {
            encoding: Encoding::Utf16Be,
            bom: true,
        }));
    }
    // UTF-16 without a BOM: ASCII text leaves every other byte zero.
    let pairs = sample.len() / 2;
    if pairs >= 2 {
        let even_zero = sample
            .chunks_exact(2)
            .filter(|p| p[0] == 0 && p[1] != 0)
            .count();
        let odd_zero = sample
            .chunks_exact(2)
            .filter(|p| p[1] == 0 && p[0] != 0)
            .count();
        if odd_zero * 10 >= pairs * 9 {
            return Ok(Container::Text(TextEncoding {
                encoding: Encoding::Utf16Le,
                bom: false,
            }));
        }
        if even_zero * 10 >= pairs * 9 {
            return Ok(Container::Text(TextEncoding {
                encoding: Encoding::Utf16Be,
                bom: false,
            }));
        }
    }
    let controls = sample
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)))
        .count();
    if sample.contains(&0) || controls * 100 > sample.len() {
        return Err(Error::new(ErrorKind::Binary(format!(
            "{controls} control bytes in the first {} bytes",
            sample.len()
        ))));
    }
    let utf8 = match std::str::from_utf8(sample) {
        Ok(_) => true,
        // A multi-byte character cut by the sample's end is still UTF-8.
        Err(e) => e.error_len().is_none() && !complete,
    };
    let encoding = if utf8 {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    };
    Ok(Container::Text(TextEncoding {
        encoding,
        bom: false,
    }))
}

/// The delimiter decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// The field delimiter byte.
    pub delimiter: u8,
    /// Whether the first line was Excel's `sep=X` (and must be skipped).
    pub sep_line: bool,
}

const CANDIDATES: &[u8] = b",;\t|";

/// Decides the delimiter from decoded text: Excel's `sep=` line if present,
/// else the candidate giving the most records with the same field count
/// (more than one field), ties broken by more fields then by the order
/// `,` `;` tab `|`.
pub fn dialect(text: &str, complete: bool) -> (Dialect, &'static str) {
    let first = text.lines().next().unwrap_or("");
    let lower = first.trim().to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("sep=") {
        let d = match rest.as_bytes() {
            [] => None,
            [b] => Some(*b),
            _ if rest == "\\t" => Some(b'\t'),
            _ => None,
        };
        if let Some(d) = d {
            return (
                Dialect {
                    delimiter: d,
                    sep_line: true,
                },
                "excel sep= line",
            );
        }
    }
    let mut best: Option<(usize, usize, u8)> = None;
    for &d in CANDIDATES {
        let counts = field_counts(text.as_bytes(), d, complete);
        if counts.is_empty() {
            continue;
        }
        let mut freq: Vec<(usize, usize)> = Vec::new();
        for &c in &counts {
            match freq.iter_mut().find(|(n, _)| *n == c) {
                Some(f) => f.1 += 1,
                None => freq.push((c, 1)),
            }
        }
        let (mode, hits) = freq
            .iter()
            .copied()
            .max_by_key(|&(n, h)| (h, n))
            .unwrap_or((1, 0));
        if mode < 2 {
            continue;
        }
        let better = match best {
            None => true,
            Some((bh, bm, _)) => (hits, mode) > (bh, bm),
        };
        if better {
            best = Some((hits, mode, d));
        }
    }
    match best {
        Some((_, _, d)) => (
            Dialect {
                delimiter: d,
                sep_line: false,
            },
            "sniffed",
        ),
        None => (
            Dialect {
                delimiter: b',',
                sep_line: false,
            },
            "single column",
        ),
    }
}

/// Field counts of the first 100 records of `text` under delimiter `d`.
fn field_counts(text: &[u8], d: u8, complete: bool) -> Vec<usize> {
    let mut rdr = csv_core::ReaderBuilder::new().delimiter(d).build();
    let mut out = vec![0u8; text.len() + 1];
    let mut ends = vec![0usize; 4096];
    let mut input = text;
    let mut counts = Vec::new();
    while counts.len() < 100 {
        let (res, nin, _, nend) = rdr.read_record(input, &mut out, &mut ends);
        input = &input[nin..];
        match res {
            csv_core::ReadRecordResult::Record => counts.push(nend),
            csv_core::ReadRecordResult::InputEmpty => {
                if !complete {
                    break;
                }
                // Let the final read close the last record.
                if input.is_empty() {
                    let (res, _, _, nend) = rdr.read_record(&[], &mut out, &mut ends);
                    if res == csv_core::ReadRecordResult::Record {
                        counts.push(nend);
                    }
                    break;
                }
            }
            csv_core::ReadRecordResult::End => break,
            // A record wider than 4096 fields or a field larger than the
            // sample: not this delimiter's doing, stop counting.
            _ => break,
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        let d = |t: &str| dialect(t, true).0;
        assert_eq!(d("a,b,c\n1,2,3\n").delimiter, b',');
        assert_eq!(d("a;b;c\n1,5;2;3\n").delimiter, b';');
        assert_eq!(d("a\tb\n1\t2\n").delimiter, b'\t');
        assert_eq!(d("a|b\n1|2\n").delimiter, b'|');
        assert_eq!(
            d("sep=;\na;b\n1;2\n"),
            Dialect {
                delimiter: b';',
                sep_line: true
            }
        );
        // A comma inside quotes must not win over the real delimiter.
        assert_eq!(d("name;note\n\"a, b\";x\n\"c, d\";y\n").delimiter, b';');
    }

    #[test]
    fn encodings() {
        let t = |b: &[u8]| match container(b, true).unwrap() {
            Container::Text(e) => e.label(),
            Container::Xlsx => "xlsx".into(),
        };
        assert_eq!(t(b"a,b\n"), "utf-8");
        assert_eq!(t(b"\xEF\xBB\xBFa,b\n"), "utf-8 (bom)");
        assert_eq!(t(b"\xFF\xFEa\0,\0"), "utf-16le");
        assert_eq!(t(b"a\0,\0b\0\n\0"), "utf-16le");
        assert_eq!(t(b"caf\xE9,b\n"), "windows-1252");
        assert_eq!(t(b"PK\x03\x04rest"), "xlsx");
        assert!(container(b"", true).is_err());
        assert!(container(b"ab\0\x01\x02cd", true).is_err());
    }
}
