//! Ids that are a prefix and a number, found by the number.
//!
//! # Why
//! Most distinct strings of a CRM export are ids: a million deals are a
//! million deal ids (and as many lead ids). Interned through the hash table
//! ([`super::symtable`]), each new one is a probe into a table of two
//! million slots that no cache holds, and the table doubles as it fills:
//! about a third of typing a million deals, and 10–20 MB. Yet ids are
//! mostly numbered: `D0000001`, `D0000002`… (or plain numbers), written in
//! order. Such ids are kept here instead, each family (one prefix, one
//! count of digits) as a bit per number ([`BitRange`]): a new id in order
//! sets a bit next to the last one, found again by arithmetic, with no hash.
//!
//! # A member's symbol is its number
//! Past its family's first [`KEEP_TEXT`] members, an id's symbol is made of
//! its family's place and its number ([`NUMBERED`], [`parts`]): the
//! interner keeps no text, no offset and no slot for it, only its bit, and
//! writes the text again from the family and number when a report names
//! it (a stalled deal's id). A million deal ids took 8 MB that way (an end
//! offset and a slot each) and now take 125 KB. The first members keep the
//! interner's next symbol and their text: labels that end in digits
//! (`Stage 100`, `Widget 500`) are few to a family and read on every report.
//!
//! # The rules that keep a text to one symbol
//! A text splits as its trailing digits (three or more) and what comes
//! before them ([`split`]); the prefix and the digit count (leading zeros
//! included) name its family, so two texts of one family and number are
//! the same text. [`super::Names`] looks every text up here before its hash
//! table, and adds to a family only a text found in neither, so a text is
//! never in both. A family stays within [`DENSITY`] numbers a member (and a
//! first stretch of [`SPAN`]): a number past that goes to the hash table, as
//! does one too far from the family's first for its symbol, and anything
//! past [`FAMILIES`] families (a label ending in three digits starts one
//! too: it only takes a place): slower, never wrong.
//!
//! The point is to skip the hash table, so a family knows whether it ever
//! refused a text (which then went there): until it did, a number it does
//! not hold is a text never interned, and the table is not probed at all
//! ([`Held::Absent`]). (A key with no family while families are full never
//! gets one, so its texts are only ever in the table.)

use super::bit_range::BitRange;
use super::Sym;

/// Families kept at most; later prefixes go to the hash table.
const FAMILIES: usize = 32;
/// Longest prefix kept: ids have short ones.
const PREFIX: usize = 24;
/// Most digits read as a number (below 2^63, with room to add spans).
const DIGITS: usize = 18;
/// Fewest digits: labels end in one or two (`Q3`, `Stage 2`, `Week 12`, a
/// date's day) and would take families' places; ids of so few are few.
const FEWEST: usize = 3;
/// Numbers a family may span per member: 64 bits, 8 bytes a member at
/// worst (the hash table takes 9 to 18 and the text). Ids a table names a
/// subset of still fit: the leads its deals came from, one lead in six or
/// seven, or one in twenty of the numbers.
const DENSITY: u64 = 64;
/// Numbers a family may span beyond [`DENSITY`] a member: room for a start
/// out of order (stage history or activities name deals in any order).
const SPAN: u64 = 1 << 16;
/// Members whose text a family keeps, under the interner's own symbols;
/// from the next one on, a member's symbol is its number (see the module's
/// documentation). Labels that end in digits (`Stage 100`, `Widget 500`)
/// are few to a family and read on every report; ids are many and read
/// rarely.
const KEEP_TEXT: u64 = 16;
/// Bits of a later member's symbol for its number, as an offset from its
/// family's first number (`2^25` is the first number itself).
const OFFSET_BITS: u32 = 26;

// The family's place fits the bits above the offset, below the top bit.
const _: () = assert!(FAMILIES <= 1 << (31 - OFFSET_BITS));

/// What the families know of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Held {
    /// Its symbol.
    Sym(Sym),
    /// Never interned: its family does not hold it and no text of its key
    /// is in the hash table.
    Absent,
    /// Not here: the hash table may have it.
    Unknown,
}

/// A text as its family's key and its number: `D0042` is `("D", 4, 42)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    prefix: &'a str,
    digits: u8,
    number: u64,
}

/// Splits `s` as a prefix and trailing digits, when it ends in [`FEWEST`]
/// to [`DIGITS`] digits after a prefix of at most [`PREFIX`] bytes.
#[inline]
pub(crate) fn split(s: &str) -> Option<Split<'_>> {
    let b = s.as_bytes();
    // Most ids end in three to seven digits after a non-digit (`D0000042`,
    // `L0001234`): read from their last eight bytes as one word.
    if let Some(last) = b.last_chunk::<8>() {
        let (digits, number) = last_digits(u64::from_le_bytes(*last));
        if (FEWEST..8).contains(&digits) {
            let i = b.len() - digits;
            return (i <= PREFIX).then(|| Split {
                // The digits are ASCII, so `i` is a character boundary.
                prefix: &s[..i],
                digits: digits as u8,
                number,
            });
        }
    }
    split_bytewise(s)
}

/// How many of the eight bytes of `w` (read little-endian: its last byte
/// is the text's last) are digits at its end, and their value when fewer
/// than eight (when all eight are, the caller reads further itself).
#[inline]
fn last_digits(w: u64) -> (usize, u64) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Each byte XOR '0': a digit gives 0 to 9, any other byte 10 or more.
    // Adding 0x76 to its low seven bits sets the byte's high bit from 10
    // up, with no carry into the next byte; the byte's own high bit marks
    // anything non-ASCII.
    let x = w ^ 0x3030_3030_3030_3030;
    let other = (((x & LOW7) + 0x7676_7676_7676_7676) | x) & HIGH;
    let digits = (other.leading_zeros() / 8) as usize;
    if digits == 0 || digits == 8 {
        return (digits, 0);
    }
    // The digits alone, the first in byte 0 (the rest zeros in front of
    // it, as leading zeros of an eight-digit number), then summed in
    // pairs, fours and eights.
    let d = x >> (8 * (8 - digits)) << (8 * (8 - digits));
    let pairs = ((d & 0x000f_000f_000f_000f) * 10) + ((d & 0x0f00_0f00_0f00_0f00) >> 8);
    let fours = ((pairs & 0x0000_00ff_0000_00ff) * 100) + ((pairs & 0x00ff_0000_00ff_0000) >> 16);
    let eight = ((fours & 0x0000_0000_0000_ffff) * 10000) + ((fours & 0x0000_ffff_0000_0000) >> 32);
    (digits, eight)
}

/// [`split`] a byte at a time from the end.
fn split_bytewise(s: &str) -> Option<Split<'_>> {
    let b = s.as_bytes();
    let mut i = b.len();
    let mut number = 0u64;
    let mut scale = 1u64;
    while i > 0 && b[i - 1].is_ascii_digit() {
        if b.len() - i == DIGITS {
            return None;
        }
        i -= 1;
        number += u64::from(b[i] - b'0') * scale;
        scale = scale.wrapping_mul(10);
    }
    let digits = b.len() - i;
    if digits < FEWEST || i > PREFIX {
        return None;
    }
    Some(Split {
        // The digits are ASCII, so `i` is a character boundary.
        prefix: &s[..i],
        digits: digits as u8,
        number,
    })
}

/// The ids of one prefix and digit count, by number.
#[derive(Debug, Clone)]
struct Family {
    prefix: Box<str>,
    digits: u8,
    /// The first number it took: its members' symbols count from it.
    origin: u64,
    /// The numbers it holds.
    held: BitRange,
    /// Its first [`KEEP_TEXT`] members, with their interned symbols.
    early: Vec<(u64, Sym)>,
    /// The lowest and highest of `early`'s numbers: outside them, a
    /// member is one of the later ones.
    early_span: (u64, u64),
    members: u64,
    /// Whether it refused a text, which is then in the hash table.
    tabled: bool,
}

impl Family {
    /// The symbol of `number`, a member of the family at place `at`.
    #[inline]
    fn sym_of(&self, at: usize, number: u64) -> Sym {
        let (lo, hi) = self.early_span;
        if (lo..=hi).contains(&number) {
            if let Some(&(_, x)) = self.early.iter().find(|e| e.0 == number) {
                return x;
            }
        }
        let offset = number
            .wrapping_sub(self.origin)
            .wrapping_add(1 << (OFFSET_BITS - 1));
        numbered_sym(at, offset)
    }
}

/// The symbol of the member at `offset` of the family at place `at`: the
/// top bit set, then the place and the offset.
#[inline]
fn numbered_sym(at: usize, offset: u64) -> Sym {
    let raw = NUMBERED | (at as u32) << OFFSET_BITS | offset as u32;
    // The top bit is set, so this adds `raw - 1` to one: `raw` itself.
    Sym(std::num::NonZeroU32::MIN.saturating_add(raw - 1))
}

/// The top bit of a symbol: a family's member past its first
/// [`KEEP_TEXT`], its text not kept.
pub(crate) const NUMBERED: u32 = 1 << 31;

/// Whether `s` is a family's member whose text is not kept.
#[inline]
pub(crate) fn is_numbered(s: Sym) -> bool {
    s.0.get() & NUMBERED != 0
}

/// The family's place and the offset of a symbol for which
/// [`is_numbered`] holds.
#[inline]
pub(crate) fn parts(s: Sym) -> (usize, u64) {
    let r = s.0.get() & !NUMBERED;
    (
        (r >> OFFSET_BITS) as usize,
        u64::from(r & ((1 << OFFSET_BITS) - 1)),
    )
}

/// What [`Numbered::insert_in`] did with a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Taken {
    /// No family takes it: the hash table must, and
    /// [`Numbered::tabled`] be told.
    Refused,
    /// One of its family's first members: it keeps the symbol it was
    /// offered, and the interner its text.
    Early,
    /// A later member: this is its symbol, and its text is not kept.
    Later(Sym),
}

/// Every family of one interner.
#[derive(Debug, Default, Clone)]
pub(crate) struct Numbered {
    families: Vec<Family>,
    /// Members past their family's first [`KEEP_TEXT`], in all.
    later: usize,
}

impl Numbered {
    /// The place of `k`'s family. Prefixes are a few bytes, compared
    /// here rather than by a call to compare memory.
    #[inline]
    fn family(&self, k: &Split<'_>) -> Option<usize> {
        let key = k.prefix.as_bytes();
        self.families.iter().position(|f| {
            let p = f.prefix.as_bytes();
            f.digits == k.digits && p.len() == key.len() && p.iter().zip(key).all(|(a, b)| a == b)
        })
    }

    /// What the families know of the text split as `k`.
    #[inline]
    pub(crate) fn find(&self, k: &Split<'_>) -> Held {
        self.find_in(k).1
    }

    /// [`Numbered::find`], with the place of `k`'s family for
    /// [`Numbered::insert_in`].
    #[inline]
    pub(crate) fn find_in(&self, k: &Split<'_>) -> (Option<usize>, Held) {
        let Some(at) = self.family(k) else {
            return (None, Held::Unknown);
        };
        let f = &self.families[at];
        let held = if f.held.contains(k.number) {
            Held::Sym(f.sym_of(at, k.number))
        } else if f.tabled {
            Held::Unknown
        } else {
            Held::Absent
        };
        (Some(at), held)
    }

    /// Whether a family alone answers for the text split as `k` (it has
    /// one, and none of its key is in the hash table).
    #[inline]
    pub(crate) fn answers(&self, k: &Split<'_>) -> bool {
        self.family(k).is_some_and(|at| !self.families[at].tabled)
    }

    /// [`Numbered::insert_in`], finding the family itself.
    #[cfg(test)]
    pub(crate) fn insert(&mut self, k: &Split<'_>, sym: Sym) -> Taken {
        self.insert_in(self.family(k), k, sym)
    }

    /// Adds the text split as `k` (interned nowhere yet), whose family is
    /// at `family` as [`Numbered::find_in`] found it (no family added
    /// since), offered the interner's next symbol `next`. A family's first
    /// [`KEEP_TEXT`] members take it; later ones are given a symbol of
    /// their own, their family and number (within `2^25` of its first),
    /// and the interner keeps nothing of them.
    pub(crate) fn insert_in(&mut self, family: Option<usize>, k: &Split<'_>, next: Sym) -> Taken {
        debug_assert_eq!(family, self.family(k));
        let at = match family {
            Some(at) => at,
            None if self.families.len() < FAMILIES => {
                self.families.push(Family {
                    prefix: k.prefix.into(),
                    digits: k.digits,
                    origin: k.number,
                    held: BitRange::default(),
                    early: Vec::new(),
                    early_span: (k.number, k.number),
                    members: 0,
                    tabled: false,
                });
                self.families.len() - 1
            }
            None => return Taken::Refused,
        };
        let f = &mut self.families[at];
        let most = DENSITY * (f.members + 1) + SPAN;
        if !f.held.covers(k.number) && !f.held.stretch(k.number, most) {
            return Taken::Refused;
        }
        debug_assert!(!f.held.contains(k.number));
        if f.members < KEEP_TEXT {
            f.held.insert(k.number);
            f.members += 1;
            f.early.push((k.number, next));
            let (lo, hi) = f.early_span;
            f.early_span = (lo.min(k.number), hi.max(k.number));
            return Taken::Early;
        }
        let offset = k
            .number
            .wrapping_sub(f.origin)
            .wrapping_add(1 << (OFFSET_BITS - 1));
        // All ones is left out: with the top bit and the last family's
        // place, it would be `u32::MAX`, which a group table keeps for an
        // empty cell (`super::slots`).
        if offset >= (1 << OFFSET_BITS) - 1 {
            return Taken::Refused;
        }
        f.held.insert(k.number);
        f.members += 1;
        self.later += 1;
        Taken::Later(numbered_sym(at, offset))
    }

    /// Writes the text of `s`, for which [`is_numbered`] holds: the
    /// family's prefix and the number with the family's count of digits
    /// (its leading zeros too).
    pub(crate) fn write_text(&self, s: Sym, out: &mut String) {
        let (at, offset) = parts(s);
        let f = &self.families[at & (FAMILIES - 1)];
        let number = f
            .origin
            .wrapping_add(offset)
            .wrapping_sub(1 << (OFFSET_BITS - 1));
        out.push_str(&f.prefix);
        let digits = number.to_string();
        for _ in digits.len()..usize::from(f.digits) {
            out.push('0');
        }
        out.push_str(&digits);
    }

    /// A text split as `k` was refused and went to the hash table: its
    /// family must look there too from now on.
    pub(crate) fn tabled(&mut self, k: &Split<'_>) {
        if let Some(at) = self.family(k) {
            self.families[at].tabled = true;
        }
    }

    /// Members past their family's first [`KEEP_TEXT`], in all.
    pub(crate) fn later(&self) -> usize {
        self.later
    }

    /// The symbols of the members past their families' first
    /// [`KEEP_TEXT`]: family by family, by number.
    pub(crate) fn later_syms(&self) -> impl Iterator<Item = Sym> + '_ {
        self.families.iter().enumerate().flat_map(move |(at, f)| {
            f.held
                .iter()
                .map(move |n| f.sym_of(at, n))
                .filter(|&x| is_numbered(x))
        })
    }

    /// Bytes held by the families.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.families
            .iter()
            .map(|f| f.held.heap_bytes() + f.early.capacity() * 16 + f.prefix.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sym(i: usize) -> Sym {
        Sym::from_index(i)
    }

    /// Every text of up to nine bytes over digits, letters and
    /// separators, and longer and non-ASCII ones: the word-at-a-time
    /// reading gives what the byte-at-a-time one does.
    #[test]
    fn ids_split_by_the_word_as_byte_by_byte() {
        let alphabet = [b'0', b'7', b'9', b'D', b':', b'/'];
        let mut text = Vec::new();
        let mut checked = 0;
        for len in 0..=9u32 {
            for mut code in 0..alphabet.len().pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push(alphabet[code % alphabet.len()]);
                    code /= alphabet.len();
                }
                let t = std::str::from_utf8(&text).unwrap();
                assert_eq!(split(t), split_bytewise(t), "{t:?}");
                checked += 1;
            }
        }
        assert!(checked > 10_000_000);
        for t in [
            "D0000042",
            "L0001234",
            "é0000042",
            "xé000042",
            "Deal é 1234567",
            "12345678",
            "123456789012345678",
            "1234567890123456789",
            "x99999999",
            "abcdefghijklmnopqrstuvwx1234567",
            "abcdefghijklmnopqrstuvwxy1234567",
            "\u{7f}0000042",
        ] {
            assert_eq!(split(t), split_bytewise(t), "{t:?}");
        }
        assert_eq!(
            split("LEAD-0004567").map(|k| (k.prefix, k.digits, k.number)),
            Some(("LEAD-", 7, 4567))
        );
    }

    #[test]
    fn a_text_splits_as_prefix_digit_count_and_number() {
        let s = |t| split(t).map(|k| (k.prefix, k.digits, k.number));
        assert_eq!(s("D0000042"), Some(("D", 7, 42)));
        assert_eq!(s("12345"), Some(("", 5, 12345)));
        assert_eq!(s("000"), Some(("", 3, 0)));
        assert_eq!(s("Deal 007"), Some(("Deal ", 3, 7)));
        // One or two digits: a label (`Q3`, `Week 12`), left to the table.
        assert_eq!(s("Q3"), None);
        assert_eq!(s("Week 12"), None);
        assert_eq!(s("2024-01-05"), None);
        assert_eq!(s("12"), None);
        // A leading zero is its own text: another digit count.
        assert_ne!(split("D042"), split("D42"));
        // Digits inside, letters at the end, nothing, too long: no split.
        assert_eq!(s("006Dn000001abcd"), None);
        assert_eq!(s(""), None);
        assert_eq!(s("Jakarta"), None);
        assert_eq!(s("1234567890123456789"), None);
        let long = format!("{}1", "x".repeat(25));
        assert_eq!(s(&long), None);
        assert_eq!(
            s("123456789012345678"),
            Some(("", 18, 123_456_789_012_345_678))
        );
        // A multi-byte prefix splits at the digits.
        assert_eq!(s("Ü-900"), Some(("Ü-", 3, 900)));
    }

    /// A family's first sixteen members keep the symbol offered; later
    /// ones get their family and number as theirs, found again, their
    /// text written back.
    #[test]
    fn families_find_what_they_hold_and_stay_dense() {
        let mut n = Numbered::default();
        fn k(t: &str) -> Split<'_> {
            split(t).unwrap()
        }
        // Nothing yet: the table may have it.
        assert_eq!(n.find(&k("D100")), Held::Unknown);
        // In order, then below the first.
        for (i, t) in ["D100", "D101", "D102", "D099"].iter().enumerate() {
            assert_ne!(n.find(&k(t)), Held::Sym(sym(i)));
            assert_eq!(n.insert(&k(t), sym(i)), Taken::Early);
        }
        assert_eq!(n.find(&k("D101")), Held::Sym(sym(1)));
        assert_eq!(n.find(&k("D099")), Held::Sym(sym(3)));
        assert_eq!(n.find(&k("D098")), Held::Absent);
        // Same number, other prefix or digit count: other families.
        assert_eq!(n.find(&k("E101")), Held::Unknown);
        assert_eq!(n.find(&k("D0101")), Held::Unknown);
        assert_eq!(n.insert(&k("D0101"), sym(4)), Taken::Early);
        assert_eq!(n.find(&k("D0101")), Held::Sym(sym(4)));
        assert_eq!(n.find(&k("D101")), Held::Sym(sym(1)));
        // Sixty-four numbers a member and the first span: 4 members and
        // 2^16 after D0000100, D0500000 is too far; D0050000 is not.
        assert_eq!(n.insert(&k("D0000100"), sym(5)), Taken::Early);
        assert_eq!(n.insert(&k("D0050000"), sym(6)), Taken::Early);
        assert_eq!(n.find(&k("D0000101")), Held::Absent);
        assert!(n.answers(&k("D0000101")));
        assert_eq!(n.insert(&k("D0500000"), sym(7)), Taken::Refused);
        // Refused, it goes to the table: the family looks there from now on.
        n.tabled(&k("D0500000"));
        assert!(!n.answers(&k("D0000101")));
        assert_eq!(n.find(&k("D0500000")), Held::Unknown);
        assert_eq!(n.find(&k("D0000101")), Held::Unknown);
        assert_eq!(n.find(&k("D0050000")), Held::Sym(sym(6)));
        assert_eq!(n.find(&k("D0000100")), Held::Sym(sym(5)));
        // The other families do not.
        assert_eq!(n.find(&k("D098")), Held::Absent);
        assert!(n.answers(&k("D098")));
        // Past sixteen members, a member's symbol is its number, the
        // offered one left unused: `D103`… after the four early ones.
        let mut later = Vec::new();
        for i in 0..20u64 {
            let t = format!("D{}", 103 + i);
            let taken = n.insert(&k(&t), sym(100 + i as usize));
            if i < 12 {
                assert_eq!(taken, Taken::Early, "{t}");
                continue;
            }
            let Taken::Later(x) = taken else {
                panic!("{t}: {taken:?}");
            };
            assert!(is_numbered(x));
            // The family's place (0) and the number's offset from D100.
            assert_eq!(parts(x), (0, (1 << 25) + 3 + i), "{t}");
            assert_eq!(n.find(&k(&t)), Held::Sym(x));
            let mut text = String::new();
            n.write_text(x, &mut text);
            assert_eq!(text, t);
            later.push(x);
        }
        assert_eq!(n.later(), 8);
        assert_eq!(n.later_syms().collect::<Vec<_>>(), later);
        // An early member inside the later ones' numbers keeps its own.
        assert_eq!(n.find(&k("D101")), Held::Sym(sym(1)));
        assert_eq!(n.find(&k("D114")), Held::Sym(sym(111)));
    }

    #[test]
    fn ids_in_descending_order_stretch_downwards() {
        let mut n = Numbered::default();
        let top = 200_000u64;
        let mut syms = Vec::new();
        for i in 0..top {
            let t = format!("L{:07}", top - i);
            match n.insert(&split(&t).unwrap(), sym(i as usize)) {
                Taken::Early => syms.push(sym(i as usize)),
                Taken::Later(x) => syms.push(x),
                Taken::Refused => panic!("{t}"),
            }
        }
        assert_eq!(
            n.find(&split("L0000001").unwrap()),
            Held::Sym(syms[top as usize - 1])
        );
        assert_eq!(n.find(&split("L0200000").unwrap()), Held::Sym(sym(0)));
        assert_eq!(n.find(&split("L0000000").unwrap()), Held::Absent);
        // A bit a number: no more than twice the span and a word.
        assert!(n.heap_bytes() <= 2 * (top as usize / 8) + 64 + 16 * 16 + 1);
        let mut text = String::new();
        n.write_text(syms[top as usize - 1], &mut text);
        assert_eq!(text, "L0000001");
    }

    #[test]
    fn prefixes_past_the_limit_are_left_to_the_table() {
        let mut n = Numbered::default();
        for i in 0..FAMILIES {
            let t = format!("P{i}x100");
            assert_eq!(n.insert(&split(&t).unwrap(), sym(i)), Taken::Early);
        }
        assert_eq!(n.insert(&split("Qx100").unwrap(), sym(99)), Taken::Refused);
        assert_eq!(n.find(&split("Qx100").unwrap()), Held::Unknown);
        assert!(!n.answers(&split("Qx100").unwrap()));
        assert_eq!(n.find(&split("P3x100").unwrap()), Held::Sym(sym(3)));
    }
}
