//! Text encodings: the four SPEC §2 reads, decoded to UTF-8 chunk by chunk.
//!
//! Why not `encoding_rs`: its `Decoder` is one enum over every WHATWG
//! encoding, so a single call links the Big5, GBK, Shift_JIS and EUC-KR
//! tables into the module: about 150 KB of the 490 KB gzipped first-paint
//! wasm, for encodings a CRM export never uses. The three decoders here are a
//! table of 32 code points and `char::decode_utf16`; the tests compare them
//! with `encoding_rs` (a dev-dependency) on random bytes cut at random places.

/// A text encoding the reader understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// What Excel on Windows writes as "CSV" in Western locales.
    Windows1252,
}

/// What windows-1252 maps 0x80–0x9F to (the WHATWG index); every other byte
/// is the code point of the same number.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// A streaming decoder to UTF-8. A leading byte-order mark of the decoder's
/// own encoding is dropped; malformed input becomes U+FFFD, never an error,
/// and a character cut by a chunk's end is finished by the next chunk.
#[derive(Debug, Clone)]
pub struct Decoder {
    encoding: Encoding,
    /// Bytes of an unfinished character (UTF-8) or code unit (UTF-16).
    carry: [u8; 4],
    ncarry: usize,
    /// A UTF-16 high surrogate waiting for its low half.
    high: Option<u16>,
    /// Whether the start (where a BOM may sit) is behind us.
    started: bool,
}

impl Decoder {
    /// A decoder at the start of a text.
    pub fn new(encoding: Encoding) -> Self {
        Decoder {
            encoding,
            carry: [0; 4],
            ncarry: 0,
            high: None,
            started: false,
        }
    }

    /// Appends the UTF-8 of `src` to `out`. With `last`, whatever is still
    /// unfinished at the end becomes U+FFFD.
    pub fn decode(&mut self, src: &[u8], out: &mut Vec<u8>, last: bool) {
        match self.encoding {
            Encoding::Windows1252 => windows_1252(src, out),
            Encoding::Utf8 => self.utf8(src, out, last),
            Encoding::Utf16Le => self.utf16(src, out, last, u16::from_le_bytes),
            Encoding::Utf16Be => self.utf16(src, out, last, u16::from_be_bytes),
        }
    }

    fn utf8(&mut self, src: &[u8], out: &mut Vec<u8>, last: bool) {
        // A character cut by the last chunk: read it again with this one.
        let joined;
        let mut src = if self.ncarry > 0 {
            joined = [&self.carry[..self.ncarry], src].concat();
            self.ncarry = 0;
            &joined[..]
        } else {
            src
        };
        if !self.started {
            if src.len() < 3 && !last && b"\xEF\xBB\xBF".starts_with(src) {
                self.keep(src);
                return;
            }
            self.started = true;
            if let Some(rest) = src.strip_prefix(b"\xEF\xBB\xBF") {
                src = rest;
            }
        }
        loop {
            match std::str::from_utf8(src) {
                Ok(s) => {
                    out.extend_from_slice(s.as_bytes());
                    return;
                }
                Err(e) => {
                    let (valid, rest) = src.split_at(e.valid_up_to());
                    out.extend_from_slice(valid);
                    match e.error_len() {
                        Some(n) => {
                            push_char(out, '\u{FFFD}');
                            src = &rest[n..];
                        }
                        // Cut off at the end: the next chunk may finish it.
                        None if !last => return self.keep(rest),
                        None => return push_char(out, '\u{FFFD}'),
                    }
                }
            }
        }
    }

    fn keep(&mut self, bytes: &[u8]) {
        self.carry[..bytes.len()].copy_from_slice(bytes);
        self.ncarry = bytes.len();
    }

    fn utf16(&mut self, src: &[u8], out: &mut Vec<u8>, last: bool, unit: fn([u8; 2]) -> u16) {
        let mut src = src;
        if self.ncarry == 1 {
            if let Some((&b, rest)) = src.split_first() {
                let u = unit([self.carry[0], b]);
                self.ncarry = 0;
                src = rest;
                self.unit(u, out);
            }
        }
        let mut pairs = src.chunks_exact(2);
        for p in &mut pairs {
            self.unit(unit([p[0], p[1]]), out);
        }
        if let [b] = pairs.remainder() {
            self.carry[0] = *b;
            self.ncarry = 1;
        }
        // A high surrogate and a stray byte after it are one malformed
        // sequence, one U+FFFD (as the WHATWG decoder does).
        let cut = self.high.is_some() || self.ncarry > 0;
        if last && cut {
            self.high = None;
            self.ncarry = 0;
            push_char(out, '\u{FFFD}');
        }
    }

    fn unit(&mut self, u: u16, out: &mut Vec<u8>) {
        if !self.started {
            self.started = true;
            if u == 0xFEFF {
                return;
            }
        }
        if let Some(h) = self.high.take() {
            if (0xDC00..0xE000).contains(&u) {
                let c = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                return push_char(out, char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            push_char(out, '\u{FFFD}');
        }
        match u {
            0xD800..=0xDBFF => self.high = Some(u),
            0xDC00..=0xDFFF => push_char(out, '\u{FFFD}'),
            _ => push_char(out, char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}')),
        }
    }
}

fn windows_1252(src: &[u8], out: &mut Vec<u8>) {
    out.reserve(src.len());
    for &b in src {
        match b {
            0..=0x7F => out.push(b),
            0x80..=0x9F => push_char(out, CP1252_HIGH[usize::from(b - 0x80)]),
            _ => push_char(out, char::from(b)),
        }
    }
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `encoding_rs` (the WHATWG reference implementation in Rust)
    /// makes of the same bytes, fed in the same pieces.
    fn reference(enc: Encoding, pieces: &[&[u8]]) -> String {
        let e = match enc {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252,
        };
        let mut dec = e.new_decoder_with_bom_removal();
        let mut out = String::new();
        for (i, p) in pieces.iter().enumerate() {
            let last = i + 1 == pieces.len();
            out.reserve(dec.max_utf8_buffer_length(p.len()).unwrap_or(0) + 16);
            let (res, read, _) = dec.decode_to_string(p, &mut out, last);
            assert_eq!(res, encoding_rs::CoderResult::InputEmpty);
            assert_eq!(read, p.len());
        }
        out
    }

    fn ours(enc: Encoding, pieces: &[&[u8]]) -> String {
        let mut dec = Decoder::new(enc);
        let mut out = Vec::new();
        for (i, p) in pieces.iter().enumerate() {
            dec.decode(p, &mut out, i + 1 == pieces.len());
        }
        String::from_utf8(out).expect("the decoder writes UTF-8")
    }

    #[test]
    fn windows_1252_by_hand() {
        let bytes = b"Caf\xE9 \x80 12 \x93ok\x94 \x81";
        assert_eq!(
            ours(Encoding::Windows1252, &[bytes]),
            "Café € 12 \u{201C}ok\u{201D} \u{0081}"
        );
    }

    #[test]
    fn utf16_by_hand() {
        // BOM, "é", then U+1F600 as a surrogate pair cut between chunks,
        // then a lone low surrogate, then a trailing odd byte.
        let le = [
            0xFF, 0xFE, 0xE9, 0x00, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xDC, 0x41,
        ];
        assert_eq!(
            ours(Encoding::Utf16Le, &[&le[..5], &le[5..7], &le[7..]]),
            "é\u{1F600}\u{FFFD}\u{FFFD}"
        );
        let be = [0xFE, 0xFF, 0x00, 0x41, 0xD8, 0x3D];
        assert_eq!(ours(Encoding::Utf16Be, &[&be]), "A\u{FFFD}");
    }

    #[test]
    fn utf8_bom_cut_by_a_chunk() {
        let bytes = "\u{FEFF}ré".as_bytes();
        assert_eq!(
            ours(Encoding::Utf8, &[&bytes[..1], &bytes[1..4], &bytes[4..]]),
            "ré"
        );
        assert_eq!(ours(Encoding::Utf8, &[b"\xEF\xBB", b""]), "\u{FFFD}");
    }

    /// Random bytes (biased towards the interesting ones) cut at random
    /// places decode exactly as `encoding_rs` decodes them.
    #[test]
    fn same_as_encoding_rs_on_random_input() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet: &[u8] = &[
            0x00, 0x41, 0x80, 0x81, 0x9F, 0xA0, 0xBB, 0xBF, 0xC3, 0xA9, 0xD8, 0xDB, 0xDC, 0xDF,
            0xE2, 0xEF, 0xF0, 0x9F, 0xFE, 0xFF, 0x3D, 0x0A,
        ];
        for enc in [
            Encoding::Utf8,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
            Encoding::Windows1252,
        ] {
            for _ in 0..20_000 {
                let len = (next() % 24) as usize;
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        let r = next();
                        if r % 4 == 0 {
                            (r >> 8) as u8
                        } else {
                            alphabet[(r >> 8) as usize % alphabet.len()]
                        }
                    })
                    .collect();
                let mut cuts: Vec<usize> = (0..next() % 4)
                    .map(|_| (next() as usize) % (len + 1))
                    .collect();
                cuts.sort_unstable();
                let mut pieces = Vec::new();
                let mut from = 0;
                for c in cuts {
                    pieces.push(&bytes[from..c]);
                    from = c;
                }
                pieces.push(&bytes[from..]);
                assert_eq!(
                    ours(enc, &pieces),
                    reference(enc, &pieces),
                    "{enc:?} {bytes:02X?} cut as {pieces:02X?}"
                );
            }
        }
    }
}
