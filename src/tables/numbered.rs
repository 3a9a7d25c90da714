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
//! count of digits) in a vector indexed by the number: a new id in order is
//! a write next to the last one, found again by arithmetic, with no hash.
//!
//! # The rules that keep a text to one symbol
//! A text splits as its trailing digits (three or more) and what comes
//! before them ([`split`]); the prefix and the digit count (leading zeros
//! included) name its family, so two texts in one family slot are the same
//! text. [`super::Names`] looks every text up here before its hash table,
//! and adds to a family only a text found in neither, so a text is never in
//! both. A family stays dense: a number that would stretch it past eight
//! times its members (and a first stretch of [`SPAN`]) goes to the hash
//! table, as does anything past [`FAMILIES`] families (a label ending in
//! three digits starts one too: it only takes a place): slower, never wrong.
//!
//! The point is to skip the hash table, so a family knows whether it ever
//! refused a text (which then went there): until it did, a number it does
//! not hold is a text never interned, and the table is not probed at all
//! ([`Held::Absent`]). (A key with no family while families are full never
//! gets one, so its texts are only ever in the table.)

use super::rows::{Rows, CHUNK_BYTES};
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
/// Slots a family may span beyond eight times its members: room for a
/// start out of order (stage history or activities name deals in any
/// order). Eight: ids a table names a subset of (the leads its deals came
/// from, one lead in six or seven) still fit, at 32 bytes an id at worst
/// (the hash table takes 9 to 18).
const SPAN: u64 = 1 << 16;
/// Members whose text a family keeps; from the next one on, a member's
/// text is rebuilt from its family and number when asked for ([`TextRef`]).
/// Labels that end in digits (`Stage 100`, `Widget 500`) are few to a
/// family and read on every report; ids are many and read rarely.
const KEEP_TEXT: u64 = 16;
/// Bits of a [`TextRef`] for the number, as an offset from the family's
/// first number (`2^25` is the first number itself).
const OFFSET_BITS: u32 = 26;

/// Where a member's text can be rebuilt from, in 31 bits: its family's
/// place (five bits: at most [`FAMILIES`]) and its number's offset from the
/// family's first number. The interner keeps it in place of the text.
pub(crate) type TextRef = u32;

// The family's place fits the bits above the offset, below the interner's tag.
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
    /// The number of `syms[0]`.
    base: u64,
    /// The first number it took: [`TextRef`]s count from it.
    origin: u64,
    /// In chunks (see [`Rows`]): a family of five million deal ids grew
    /// by doubling to 32 MiB of slots for 20 MB of ids.
    syms: Rows<Option<Sym>>,
    members: u64,
    /// Whether it refused a text, which is then in the hash table.
    tabled: bool,
}

impl Family {
    /// The slot of `number`, if the family spans it.
    #[inline]
    fn slot(&self, number: u64) -> Option<usize> {
        let i = number.checked_sub(self.base)?;
        (i < self.syms.len() as u64).then_some(i as usize)
    }

    /// Stretches the family to span `number`, when it stays dense: false
    /// when it would not. Grows by at least the span it had, up to a
    /// chunk's slots (amortised, either way, for ids written in
    /// descending order too).
    fn stretch(&mut self, number: u64) -> bool {
        const CHUNK_SLOTS: u64 = (CHUNK_BYTES / std::mem::size_of::<Option<Sym>>()) as u64;
        let len = self.syms.len() as u64;
        let most = 8 * (self.members + 1) + SPAN;
        if number >= self.base + len {
            let want = (number + 1 - self.base)
                .max(len + len.min(CHUNK_SLOTS))
                .min(most);
            if number >= self.base + want {
                return false;
            }
            self.syms
                .extend(std::iter::repeat_n(None, (want - len) as usize));
            return true;
        }
        // Below the base: grow downwards by at least the current span.
        let end = self.base + len;
        let low = number.min(self.base.saturating_sub(len));
        let low = if end - low > most { number } else { low };
        if end - low > most {
            return false;
        }
        let more = (self.base - low) as usize;
        let mut syms = Rows::default();
        syms.push_n(more, None);
        syms.extend(self.syms.iter().copied());
        self.syms = syms;
        self.base = low;
        true
    }
}

/// Every family of one interner.
#[derive(Debug, Default, Clone)]
pub(crate) struct Numbered {
    families: Vec<Family>,
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
        let held = match f.slot(k.number).and_then(|i| f.syms[i]) {
            Some(x) => Held::Sym(x),
            None if f.tabled => Held::Unknown,
            None => Held::Absent,
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
    pub(crate) fn insert(&mut self, k: &Split<'_>, sym: Sym) -> Option<Option<TextRef>> {
        self.insert_in(self.family(k), k, sym)
    }

    /// Adds `sym` for the text split as `k` (interned nowhere yet), whose
    /// family is at `family` as [`Numbered::find_in`] found it (no family
    /// added since). `None` when no family takes it: the hash table must
    /// then, and [`Numbered::tabled`] be told. Taken, it says where the
    /// text can be rebuilt from when the interner need not keep it (past
    /// the family's first [`KEEP_TEXT`] members, within `2^25` of its first
    /// number).
    pub(crate) fn insert_in(
        &mut self,
        family: Option<usize>,
        k: &Split<'_>,
        sym: Sym,
    ) -> Option<Option<TextRef>> {
        debug_assert_eq!(family, self.family(k));
        let at = match family {
            Some(at) => at,
            None if self.families.len() < FAMILIES => {
                self.families.push(Family {
                    prefix: k.prefix.into(),
                    digits: k.digits,
                    base: k.number,
                    origin: k.number,
                    syms: std::iter::once(None).collect(),
                    members: 0,
                    tabled: false,
                });
                self.families.len() - 1
            }
            None => return None,
        };
        let f = &mut self.families[at];
        if f.slot(k.number).is_none() && !f.stretch(k.number) {
            return None;
        }
        let i = f.slot(k.number)?;
        debug_assert!(f.syms[i].is_none());
        f.syms[i] = Some(sym);
        f.members += 1;
        if f.members <= KEEP_TEXT {
            return Some(None);
        }
        let offset = k
            .number
            .wrapping_sub(f.origin)
            .wrapping_add(1 << (OFFSET_BITS - 1));
        Some((offset < 1 << OFFSET_BITS).then_some((at as u32) << OFFSET_BITS | offset as u32))
    }

    /// Writes the text `r` stands for: the family's prefix and the number
    /// with the family's count of digits (its leading zeros too).
    pub(crate) fn write_text(&self, r: TextRef, out: &mut String) {
        let f = &self.families[(r >> OFFSET_BITS) as usize & (FAMILIES - 1)];
        let offset = u64::from(r & ((1 << OFFSET_BITS) - 1));
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

    /// Forgets `sym`, the symbol of the text split as `k`, if a family
    /// holds it (see [`super::Names::truncate`]).
    pub(crate) fn remove(&mut self, k: &Split<'_>, sym: Sym) -> bool {
        let Some(at) = self.family(k) else {
            return false;
        };
        let f = &mut self.families[at];
        match f.slot(k.number) {
            Some(i) if f.syms[i] == Some(sym) => {
                f.syms[i] = None;
                f.members -= 1;
                true
            }
            _ => false,
        }
    }

    /// Bytes held by the families' slots.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.families
            .iter()
            .map(|f| f.syms.capacity() * 4 + f.prefix.len())
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

    #[test]
    fn families_find_what_they_hold_and_stay_dense() {
        let mut n = Numbered::default();
        let k = |t| split(t).unwrap();
        // Nothing yet: the table may have it.
        assert_eq!(n.find(&k("D100")), Held::Unknown);
        // In order, then below the first.
        for (i, t) in ["D100", "D101", "D102", "D099"].iter().enumerate() {
            assert_ne!(n.find(&k(t)), Held::Sym(sym(i)));
            assert!(n.insert(&k(t), sym(i)).is_some());
        }
        assert_eq!(n.find(&k("D101")), Held::Sym(sym(1)));
        assert_eq!(n.find(&k("D099")), Held::Sym(sym(3)));
        assert_eq!(n.find(&k("D098")), Held::Absent);
        // Same number, other prefix or digit count: other families.
        assert_eq!(n.find(&k("E101")), Held::Unknown);
        assert_eq!(n.find(&k("D0101")), Held::Unknown);
        assert!(n.insert(&k("D0101"), sym(4)).is_some());
        assert_eq!(n.find(&k("D0101")), Held::Sym(sym(4)));
        assert_eq!(n.find(&k("D101")), Held::Sym(sym(1)));
        // Far past eight times the members and the first span: refused.
        assert!(n.insert(&k("D0000100"), sym(5)).is_some());
        assert!(n.insert(&k("D0050000"), sym(6)).is_some());
        assert_eq!(n.find(&k("D0000101")), Held::Absent);
        assert!(n.answers(&k("D0000101")));
        assert!(n.insert(&k("D9000000"), sym(7)).is_none());
        // Refused, it goes to the table: the family looks there from now on.
        n.tabled(&k("D9000000"));
        assert!(!n.answers(&k("D0000101")));
        assert_eq!(n.find(&k("D9000000")), Held::Unknown);
        assert_eq!(n.find(&k("D0000101")), Held::Unknown);
        assert_eq!(n.find(&k("D0050000")), Held::Sym(sym(6)));
        assert_eq!(n.find(&k("D0000100")), Held::Sym(sym(5)));
        // The other families do not.
        assert_eq!(n.find(&k("D098")), Held::Absent);
        assert!(n.answers(&k("D098")));
        // Forgetting is by symbol: another symbol in the slot stays.
        assert!(!n.remove(&k("D100"), sym(9)));
        assert!(n.remove(&k("D100"), sym(0)));
        assert_eq!(n.find(&k("D100")), Held::Absent);
        assert_eq!(n.find(&k("D101")), Held::Sym(sym(1)));
    }

    #[test]
    fn ids_in_descending_order_stretch_downwards() {
        let mut n = Numbered::default();
        let top = 200_000u64;
        for i in 0..top {
            let t = format!("L{:07}", top - i);
            assert!(
                n.insert(&split(&t).unwrap(), sym(i as usize)).is_some(),
                "{t}"
            );
        }
        assert_eq!(
            n.find(&split("L0000001").unwrap()),
            Held::Sym(sym(top as usize - 1))
        );
        assert_eq!(n.find(&split("L0200000").unwrap()), Held::Sym(sym(0)));
        assert_eq!(n.find(&split("L0000000").unwrap()), Held::Absent);
        // Dense: no more than twice the ids and the first span.
        assert!(n.families[0].syms.len() as u64 <= 2 * top + SPAN);
    }

    #[test]
    fn prefixes_past_the_limit_are_left_to_the_table() {
        let mut n = Numbered::default();
        for i in 0..FAMILIES {
            assert!(n
                .insert(&split(&format!("P{i}x100")).unwrap(), sym(i))
                .is_some());
        }
        assert!(n.insert(&split("Qx100").unwrap(), sym(99)).is_none());
        assert_eq!(n.find(&split("Qx100").unwrap()), Held::Unknown);
        assert!(!n.answers(&split("Qx100").unwrap()));
        assert_eq!(n.find(&split("P3x100").unwrap()), Held::Sym(sym(3)));
    }
}
