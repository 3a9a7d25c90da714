//! Typed, compact tables: one `Copy` struct per row, strings interned as
//! [`Sym`], dates as `NaiveDate`, money as `f64` with its currency beside it.
//! No row owns a heap allocation.

mod bit_range;
pub mod build;
mod ids_seen;
pub mod key_sets;
pub(crate) mod memo;
mod numbered;
pub mod rows;
pub mod slots;
pub mod stream;
mod symtable;

use chrono::{NaiveDate, NaiveDateTime};
pub use rows::Rows;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// An interned string: never zero, so an `Option<Sym>` is four bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(std::num::NonZeroU32);

impl Sym {
    fn from_index(i: usize) -> Sym {
        Sym(std::num::NonZeroU32::MIN.saturating_add(i as u32))
    }

    /// Position in the interner (0-based), of a symbol whose text it
    /// keeps; a numbered id's past its family's first members is its
    /// family and number, from `2^31` on (see `numbered`).
    pub fn index(self) -> usize {
        (self.0.get() - 1) as usize
    }
}

/// The string interner shared by every table of a workbook.
///
/// # Design
/// Each distinct string is stored once, in one arena; `ends` holds where
/// each one ends (it starts where the previous one ends) and the hash table
/// ([`symtable::SymTable`]) holds each symbol with 32 bits of its string's
/// hash, so growing the table never goes back to the strings. That is about
/// 14 bytes per distinct string besides its text, where a map from a 64-bit
/// hash to the symbol plus spans and collision chains cost some 30 (a
/// million deal ids are a million strings, and memory decides how large a
/// file the browser can read). Numbered ids (`D0000001`…) skip the hash
/// table and the arena: each family of them is a bit per number
/// ([`numbered`]), and past a family's first members an id's symbol is its
/// family and number (the top bit set), its text written again when asked
/// for ([`Names::get`]), which for an id is its report's few rows.
#[derive(Debug, Default, Clone)]
pub struct Names {
    arena: String,
    /// In chunks (see [`Rows`]): a million ids' ends grew a vector to
    /// 8 MiB by doubling, with the old 4 MiB alive while it moved.
    ends: Rows<u32>,
    table: symtable::SymTable,
    /// Numbered ids, found by their number rather than in `table`.
    numbered: numbered::Numbered,
}

/// What [`Names::truncate`] unwinds to: the interner as it was when
/// [`Names::mark`] was called. Its families are copied whole (a bit a
/// number: 125 KB for a million ids), since a later id may fall anywhere
/// in them.
#[derive(Debug, Clone)]
pub struct NamesMark {
    texts: usize,
    numbered: numbered::Numbered,
}

/// The text of symbol `s`, one the arena keeps (see [`numbered::is_numbered`]).
fn text<'a>(arena: &'a str, ends: &Rows<u32>, s: Sym) -> &'a str {
    let i = s.index();
    let start = i.checked_sub(1).map_or(0, |p| ends[p] as usize);
    &arena[start..ends[i] as usize]
}

/// FxHash-style multiplicative hashing: fast and deterministic.
fn hash_str(s: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = s.len() as u64;
    let mut chunks = s.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    // A multiply leaves the low bits depending on low input bits only, and
    // the table indexes by low bits: ids that differ only in their last
    // characters would all collide. splitmix64's finaliser spreads them.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// A fast deterministic hasher for small keys (symbols, dates): FxHash's
/// multiply-rotate. Iteration order of maps using it is never output.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_u32(&mut self, v: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(v)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
}

/// A `HashMap` with [`FxHasher`], for symbol-keyed grouping.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A `HashSet` with [`FxHasher`], for sets of symbols.
pub type FastSet<K> = std::collections::HashSet<K, BuildHasherDefault<FxHasher>>;

impl Names {
    /// The symbol of `s`, interning it if new.
    pub fn intern(&mut self, s: &str) -> Sym {
        let key = numbered::split(s);
        let (family, held) = key.as_ref().map_or((None, numbered::Held::Unknown), |k| {
            self.numbered.find_in(k)
        });
        let h = match held {
            numbered::Held::Sym(x) => return x,
            // Interned nowhere: no need to probe the table.
            numbered::Held::Absent => None,
            numbered::Held::Unknown => Some((hash_str(s) >> 32) as u32),
        };
        let Names {
            arena,
            ends,
            table,
            numbered,
        } = self;
        let mut vacant = None;
        if let Some(h) = h {
            match table.find(h, |x| text(arena, ends, x) == s) {
                symtable::Probe::Found(x) => return x,
                symtable::Probe::Vacant(at) => vacant = Some((h, at)),
            }
        }
        let x = Sym::from_index(ends.len());
        // Found in neither: a family may take it (see `numbered`), and
        // then a later member needs nothing here.
        let taken = key.as_ref().map_or(numbered::Taken::Refused, |k| {
            numbered.insert_in(family, k, x)
        });
        if let numbered::Taken::Later(y) = taken {
            return y;
        }
        arena.push_str(s);
        ends.push(arena.len() as u32);
        if taken == numbered::Taken::Early {
            return x;
        }
        match vacant {
            Some((h, at)) => table.insert(at, h, x),
            None => table.add((hash_str(s) >> 32) as u32, x),
        }
        if let Some(k) = key {
            numbered.tabled(&k);
        }
        x
    }

    /// Reads the table slot where a lookup of `s` starts and gives it back.
    ///
    /// # Why
    /// An id is new or rare, so interning it misses every cache: one miss
    /// after another, row by row. Touching the slots of a few rows' ids in
    /// one go first lets those misses overlap (WebAssembly has no prefetch
    /// instruction; independent loads are the way to ask for lines early).
    #[inline]
    pub(crate) fn touch(&self, s: &str) -> u64 {
        self.table.first_slot((hash_str(s) >> 32) as u32)
    }

    /// Whether `s` is a numbered id whose family alone says whether it was
    /// interned: no hash-table slot to warm for it ([`Names::touch`]).
    #[inline]
    pub(crate) fn by_number(&self, s: &str) -> bool {
        numbered::split(s).is_some_and(|k| self.numbered.answers(&k))
    }

    /// The symbol of `s` if it was interned.
    pub fn lookup(&self, s: &str) -> Option<Sym> {
        match numbered::split(s).map(|k| self.numbered.find(&k)) {
            Some(numbered::Held::Sym(x)) => return Some(x),
            Some(numbered::Held::Absent) => return None,
            _ => {}
        }
        let h = (hash_str(s) >> 32) as u32;
        match self
            .table
            .find(h, |x| text(&self.arena, &self.ends, x) == s)
        {
            symtable::Probe::Found(x) => Some(x),
            symtable::Probe::Vacant(_) => None,
        }
    }

    /// Every symbol: those whose text is kept in the order interned, then
    /// the numbered ids' by family and number.
    pub fn symbols(&self) -> impl Iterator<Item = Sym> + '_ {
        (0..self.ends.len())
            .map(Sym::from_index)
            .chain(self.numbered.later_syms())
    }

    /// The interner as it is now, for [`Names::truncate`].
    pub fn mark(&self) -> NamesMark {
        NamesMark {
            texts: self.ends.len(),
            numbered: self.numbered.clone(),
        }
    }

    /// Forgets every symbol interned since `mark` was taken (from this
    /// interner, with no truncate to an earlier mark in between).
    pub fn truncate(&mut self, mark: &NamesMark) {
        while self.ends.len() > mark.texts {
            let i = self.ends.len() - 1;
            let last = Sym::from_index(i);
            // A family's early member is not in the table: removing it is
            // a probe that finds nothing.
            let h = (hash_str(text(&self.arena, &self.ends, last)) >> 32) as u32;
            self.table.remove(h, last);
            let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
            self.arena.truncate(start);
            self.ends.truncate(i);
        }
        self.numbered = mark.numbered.clone();
    }

    /// Bytes held: the text, its offsets, the table (a symbol and its
    /// hash per slot) and the families.
    pub fn heap_bytes(&self) -> usize {
        self.arena.len()
            + self.ends.len() * 4
            + self.table.capacity() * 8
            + self.numbered.heap_bytes()
    }

    /// Gives back the room kept for growth.
    pub fn shrink_to_fit(&mut self) {
        self.arena.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// The string of a symbol: borrowed, or for a numbered id whose text
    /// is not kept, written anew.
    pub fn get(&self, id: Sym) -> Cow<'_, str> {
        if numbered::is_numbered(id) {
            let mut out = String::new();
            self.numbered.write_text(id, &mut out);
            return Cow::Owned(out);
        }
        Cow::Borrowed(text(&self.arena, &self.ends, id))
    }

    /// How many distinct strings.
    pub fn len(&self) -> usize {
        self.ends.len() + self.numbered.later()
    }

    /// Whether nothing was interned.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A small per-column memo in front of [`Names::intern`]. Label columns
/// (owner, stage, product…) repeat a few values over millions of rows; a
/// lookup here stays in cache where the interner's table, sized by every id
/// in the file, does not. A column with more than [`SymCache::CAP`]
/// distinct values (ids) stops being memoised.
///
/// The memo is its own small open-addressing table with its own copy of
/// each string beside it, so a hit reads nothing of the interner (its end
/// offsets and text are spread over every id in the file). It is keyed by
/// the string's length and its first and last eight bytes ([`words`]),
/// read as two words without a loop: for a string of up to 16 bytes (most
/// labels) those cover every byte, so a matching key is the string and no
/// text is compared; a longer one compares only its middle. The string is
/// hashed in full only on a miss, for the interner.
///
/// A column that gave up (ids) still remembers its last value: a table
/// sorted by deal (activities, stage history) names one deal on row after
/// row, and the same text again is the same symbol without hashing it and
/// probing the interner. A column whose values rarely repeat (each deal's
/// own id) stops checking after its first [`Runs::TRIAL`] lookups.
#[derive(Debug, Default, Clone)]
pub struct SymCache {
    /// Power-of-two slots; `None` is empty.
    slots: Vec<Option<MemoEntry>>,
    /// The memoised strings, run together.
    text: String,
    len: usize,
    full: bool,
    runs: Runs,
}

/// The last value of a column that gave up memoising, and whether it is
/// worth checking.
#[derive(Debug, Default, Clone)]
struct Runs {
    text: String,
    sym: Option<Sym>,
    lookups: u32,
    repeats: u32,
    off: bool,
}

impl Runs {
    /// Lookups before deciding whether repeats are common enough.
    const TRIAL: u32 = 1024;

    /// The symbol of `s` when it is the last value looked up.
    #[inline]
    fn get(&mut self, s: &str) -> Option<Sym> {
        if self.off {
            return None;
        }
        self.lookups += 1;
        let found = self.sym.filter(|_| self.text == s);
        if found.is_some() {
            self.repeats += 1;
        } else if self.lookups >= Self::TRIAL && self.repeats < self.lookups / 4 {
            // Fewer than one lookup in four repeats the last: each value
            // is new, and copying it costs more than the repeats save.
            *self = Runs {
                off: true,
                ..Runs::default()
            };
        }
        found
    }

    /// Remembers `s` as the last value, unless the check is off.
    #[inline]
    fn set(&mut self, s: &str, sym: Sym) {
        if !self.off {
            self.text.clear();
            self.text.push_str(s);
            self.sym = Some(sym);
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct MemoEntry {
    words: (u64, u64),
    len: u32,
    sym: Sym,
    start: u32,
}

/// A hash of a short text's [`words`] and length, for the memos keyed by
/// them ([`SymCache`], [`memo::TextCells`]): its high bits are well mixed.
#[inline]
pub(crate) fn words_hash((first, last): (u64, u64), len: usize) -> u64 {
    (first ^ last.rotate_left(29) ^ len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// A string's first and last eight bytes as words (overlapping when it is
/// shorter than 16; for fewer than 8 bytes, the first and last four, or
/// the bytes themselves): with the length, they are the whole string when
/// it has at most 16 bytes.
#[inline]
pub(crate) fn words(b: &[u8]) -> (u64, u64) {
    let n = b.len();
    if n >= 8 {
        let w = |s: &[u8]| {
            let mut a = [0u8; 8];
            a.copy_from_slice(s);
            u64::from_le_bytes(a)
        };
        (w(&b[..8]), w(&b[n - 8..]))
    } else if n >= 4 {
        let w = |s: &[u8]| {
            let mut a = [0u8; 4];
            a.copy_from_slice(s);
            u64::from(u32::from_le_bytes(a))
        };
        (w(&b[..4]), w(&b[n - 4..]))
    } else {
        (b.iter().fold(0u64, |x, &c| x << 8 | u64::from(c)), 0)
    }
}

impl SymCache {
    /// Distinct values memoised per column.
    pub const CAP: usize = 4096;

    /// Text memoised per column: long values (notes) are not labels.
    const TEXT_CAP: usize = 1 << 20;

    /// Whether the column has too many distinct values to memoise (ids).
    pub fn is_full(&self) -> bool {
        self.full
    }

    /// Whether the column still checks for its last value (see [`Runs`]).
    pub fn repeats(&self) -> bool {
        !self.runs.off
    }

    /// The symbol of `s` in `names`.
    pub fn intern(&mut self, names: &mut Names, s: &str) -> Sym {
        if self.full {
            if let Some(sym) = self.runs.get(s) {
                return sym;
            }
            let sym = names.intern(s);
            self.runs.set(s, sym);
            return sym;
        }
        let b = s.as_bytes();
        let key = words(b);
        if !self.slots.is_empty() {
            let mask = self.slots.len() - 1;
            let mut i = Self::home(key, b.len()) & mask;
            while let Some(e) = self.slots[i] {
                if e.words == key && e.len as usize == b.len() && self.middle_is(e.start, b) {
                    return e.sym;
                }
                i = (i + 1) & mask;
            }
        }
        let sym = names.intern(s);
        self.remember(s, key, sym);
        sym
    }

    /// Whether the memoised text at `start`, whose length and first and
    /// last eight bytes are `b`'s, has `b`'s middle too.
    #[inline]
    fn middle_is(&self, start: u32, b: &[u8]) -> bool {
        let n = b.len();
        if n <= 16 {
            return true;
        }
        let t = &self.text.as_bytes()[start as usize..][..n];
        if n <= 24 {
            // The middle lies within bytes 8..16 (the rest of them is in
            // the last eight, already compared): one word, not a memcmp
            // (account and product names are mostly 17 to 24 bytes).
            return words(&t[8..16]).0 == words(&b[8..16]).0;
        }
        t[8..n - 8] == b[8..n - 8]
    }

    /// The first slot to look in for a key.
    #[inline]
    fn home(words: (u64, u64), len: usize) -> usize {
        (words_hash(words, len) >> 40) as usize
    }

    #[cold]
    fn remember(&mut self, s: &str, words: (u64, u64), sym: Sym) {
        if self.len >= Self::CAP || self.text.len() + s.len() > Self::TEXT_CAP {
            *self = SymCache {
                full: true,
                ..SymCache::default()
            };
            return;
        }
        // At most half full, so a miss ends at an empty slot soon.
        if (self.len + 1) * 2 > self.slots.len() {
            let old = std::mem::take(&mut self.slots);
            self.slots = vec![None; (old.len() * 2).max(16)];
            for e in old.into_iter().flatten() {
                self.place(e);
            }
        }
        let e = MemoEntry {
            words,
            len: s.len() as u32,
            sym,
            start: self.text.len() as u32,
        };
        self.text.push_str(s);
        self.place(e);
        self.len += 1;
    }

    fn place(&mut self, e: MemoEntry) {
        let mask = self.slots.len() - 1;
        let mut i = Self::home(e.words, e.len as usize) & mask;
        while self.slots[i].is_some() {
            i = (i + 1) & mask;
        }
        self.slots[i] = Some(e);
    }
}

/// An optional `f64` in 8 bytes (an `Option<f64>` takes 16): NaN stands
/// for none. The number readers never produce NaN, and a NaN given in is
/// read as none.
///
/// Kept as two 4-byte halves, so a row holding one needs only 4-byte
/// alignment: a deal's 44 bytes would round up to 48 around an `f64`.
/// Reading it back is one unaligned 8-byte load (WebAssembly and x86 load
/// at any address).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct OptF64([u32; 2]);

impl OptF64 {
    /// No value.
    pub const NONE: OptF64 = OptF64::of(f64::NAN);

    const fn of(v: f64) -> OptF64 {
        let bits = v.to_bits();
        OptF64([bits as u32, (bits >> 32) as u32])
    }

    /// Its bits (a none's are the one NaN's), to hash.
    #[inline]
    pub fn bits(self) -> u64 {
        let [lo, hi] = self.0;
        u64::from(hi) << 32 | u64::from(lo)
    }

    /// The value, if any.
    #[inline]
    pub fn get(self) -> Option<f64> {
        let [lo, hi] = self.0;
        let v = f64::from_bits(u64::from(hi) << 32 | u64::from(lo));
        (!v.is_nan()).then_some(v)
    }
}

impl From<Option<f64>> for OptF64 {
    fn from(v: Option<f64>) -> Self {
        match v {
            // One none, whatever NaN was given.
            Some(v) if !v.is_nan() => OptF64::of(v),
            _ => OptF64::NONE,
        }
    }
}

impl std::fmt::Debug for OptF64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// A deal's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[repr(u8)]
pub enum Status {
    /// Closed won.
    Won,
    /// Closed lost.
    Lost,
    /// Still open.
    Open,
}

/// Where a row came from, for data-quality messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Index of the table in the dataset's quality list, less the
    /// dataset's base: read it with [`Dataset::quality_index`].
    pub table: u16,
    /// 1-based physical line.
    pub line: u32,
}

/// A deal's line in its file and its status, in four bytes: the status
/// in the top two bits.
///
/// # Why
/// A deal row is read by every pass of every report, and a million of them
/// are most of the memory a file takes: with the table's number, the line
/// and the status apart, a row was 80 bytes, and is 72 this way (the table
/// is kept per run of rows instead, [`Dataset::deal_origin`]). A line past
/// [`LineStatus::MAX_LINE`] (a billion, in a file of 30 GB or more) is
/// told as that line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct LineStatus(u32);

impl LineStatus {
    /// The last line told apart.
    pub const MAX_LINE: u32 = (1 << 30) - 1;

    /// A deal on 1-based `line` with `status`.
    pub fn new(line: u32, status: Status) -> Self {
        LineStatus(line.min(Self::MAX_LINE) | (status as u32) << 30)
    }

    /// The 1-based physical line.
    #[inline]
    pub fn line(self) -> u32 {
        self.0 & Self::MAX_LINE
    }

    /// Won, lost or open.
    #[inline]
    pub fn status(self) -> Status {
        match self.0 >> 30 {
            0 => Status::Won,
            1 => Status::Lost,
            _ => Status::Open,
        }
    }
}

impl std::fmt::Debug for LineStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {} {:?}", self.line(), self.status())
    }
}

/// One deal, opportunity or closed sale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deal {
    /// Its line in its file, and won, lost or open ([`Deal::line`],
    /// [`Deal::status`]); its table is its run's ([`Dataset::deal_origin`]).
    pub at: LineStatus,
    /// The id, when the file has one.
    pub id: Option<Sym>,
    /// Its owner, team, region, product and source as the file gives
    /// them: their number in the dataset's [`Dataset::deal_keys`]
    /// ([`Dataset::keys_of`]).
    pub keys: u32,
    /// Its stage as written, currency (an ISO code, when the file says),
    /// reason for losing and win probability: their number in the
    /// dataset's [`Dataset::deal_labels`] ([`Dataset::labels_of`]).
    pub labels: u32,
    /// The amount in `currency` (none when missing or unreadable).
    pub amount: OptF64,
    /// Created date.
    pub created: Option<NaiveDate>,
    /// Close date (expected close date for open deals).
    pub close: Option<NaiveDate>,
}

// Its id, the group keys' and the labels' numbers, two dates, the amount
// ([`OptF64`], 4-byte aligned) and the line and status ([`LineStatus`]).
// The lead it came from is in [`Dataset::deal_leads`].
const _: () = assert!(std::mem::size_of::<Deal>() == 32);

/// A deal that names the lead it came from.
///
/// # Why not on the deal's row
/// Few deals name a lead (the converted ones; none in most CRMs' deal
/// exports), and one figure reads it, once per dataset (`LeadFacts`): four
/// bytes on every row were an eighth of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DealLead {
    /// The deal's place in [`Dataset::deals`].
    pub deal: u32,
    /// The lead's id.
    pub lead: Sym,
}

impl Deal {
    /// Won, lost or open.
    #[inline]
    pub fn status(&self) -> Status {
        self.at.status()
    }

    /// The 1-based physical line it was read from.
    #[inline]
    pub fn line(&self) -> u32 {
        self.at.line()
    }
}

/// One stage entered by one deal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageEntry {
    /// The deal id.
    pub deal: Sym,
    /// The stage entered.
    pub stage: Sym,
    /// When.
    pub date: NaiveDate,
}

/// One activity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Activity {
    /// Who did it, its type and its minutes: their number in the
    /// dataset's [`Dataset::activity_labels`] ([`Dataset::activity_labels_of`]).
    pub labels: u32,
    /// When.
    pub date: NaiveDate,
    /// The linked deal.
    pub deal: Option<Sym>,
}

// No account, outcome or origin: no figure reads them, and what a row's
// line explains is reported while it is typed (see docs/decisions.md).
const _: () = assert!(std::mem::size_of::<Activity>() == 12);

/// One lead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lead {
    /// The lead id.
    pub id: Sym,
    /// Created, with the time when the file has one.
    pub created: NaiveDateTime,
    /// Lifecycle status as written.
    pub status: Option<Sym>,
    /// Became MQL.
    pub mql: Option<NaiveDate>,
    /// Became SQL.
    pub sql: Option<NaiveDate>,
    /// Became an opportunity.
    pub opportunity: Option<NaiveDate>,
    /// Became a customer.
    pub customer: Option<NaiveDate>,
    /// Source.
    pub source: Option<Sym>,
    /// Owner.
    pub owner: Option<Sym>,
    /// First response.
    pub first_response: Option<NaiveDateTime>,
}

/// What a quota is set for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum QuotaLevel {
    /// One rep.
    Rep,
    /// A team.
    Team,
    /// A region.
    Region,
}

/// A quota period: as written, resolved once the fiscal calendar is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaPeriod {
    /// `2024-Q1` and friends.
    Spec(crate::ingest::value::PeriodSpec),
    /// Explicit start and end dates (inclusive).
    Range(NaiveDate, NaiveDate),
}

/// One quota row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quota {
    /// Where it came from.
    pub origin: Origin,
    /// Rep, team or region.
    pub level: QuotaLevel,
    /// Who or what.
    pub key: Sym,
    /// When.
    pub period: QuotaPeriod,
    /// How much.
    pub amount: f64,
}

/// One roster entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rep {
    /// Where it came from.
    pub origin: Origin,
    /// The rep.
    pub rep: Sym,
    /// Team (the manager's name when the roster has no team column).
    pub team: Option<Sym>,
    /// Manager.
    pub manager: Option<Sym>,
    /// Region.
    pub region: Option<Sym>,
    /// Start date.
    pub start: Option<NaiveDate>,
}

/// One product price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Product {
    /// The name as written.
    pub name: Sym,
    /// List price.
    pub price: f64,
}

/// One exchange rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FxRate {
    /// ISO code (upper case).
    pub currency: Sym,
    /// Multiply an amount in `currency` by this to get the report currency.
    pub rate: f64,
}

/// Every typed table of a workbook plus its data-quality records.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    /// The interner.
    pub names: Names,
    /// Deals.
    pub deals: Rows<Deal>,
    /// The deals' sets of group keys ([`Deal::keys`]).
    pub deal_keys: key_sets::KeySets,
    /// The deals' sets of labels ([`Deal::labels`]).
    pub deal_labels: key_sets::KeySets<key_sets::Labels>,
    /// The deals that name a lead, in the deals' order.
    pub deal_leads: Rows<DealLead>,
    /// Stage history.
    pub history: Rows<StageEntry>,
    /// Activities.
    pub activities: Rows<Activity>,
    /// The activities' sets of labels ([`Activity::labels`]).
    pub activity_labels: key_sets::KeySets<key_sets::ActivityLabels>,
    /// Leads.
    pub leads: Rows<Lead>,
    /// Quotas.
    pub quotas: Vec<Quota>,
    /// Roster.
    pub reps: Vec<Rep>,
    /// Products.
    pub products: Vec<Product>,
    /// Exchange rates.
    pub fx: Vec<FxRate>,
    /// One record per table read (or failed).
    pub quality: Vec<crate::quality::TableQuality>,
    /// Whether a table of each kind was present.
    pub present: std::collections::BTreeSet<crate::schema::Kind>,
    /// Added (wrapping) to a row's `origin.table` for its place in
    /// `quality` (see [`Dataset::quality_index`]): a table moved in after
    /// other files' records ([`Dataset::absorb`]) keeps its rows as they
    /// are, rather than every row's number rewritten (a pass over a
    /// million deals' rows on the first report, and another to hand them
    /// back), and rows added after it are stored less this.
    table_base: u16,
    /// The `origin.table` of each run of deals from one table: (the run's
    /// first deal, the table), in order ([`Dataset::push_deal`]). A deal
    /// row keeps its line alone ([`LineStatus`]).
    deal_tables: Vec<(usize, u16)>,
}

/// Notes that the deals from `at` on came from `table`, unless the run
/// before them is that table's already.
fn start_run(runs: &mut Vec<(usize, u16)>, at: usize, table: u16) {
    if runs.last().is_none_or(|&(_, t)| t != table) {
        runs.push((at, table));
    }
}

/// Where a table moved into a dataset by [`Dataset::absorb`] sits, so
/// [`Dataset::split_prefix`] can hand it back.
#[derive(Debug, Clone)]
pub struct Moved {
    /// The file it belongs to (caller's index).
    pub file: usize,
    base: u16,
    rows: [usize; 8],
    names: NamesMark,
    keys: usize,
    labels: usize,
    deal_leads: usize,
    activity_labels: usize,
    present: std::collections::BTreeSet<crate::schema::Kind>,
}

impl Dataset {
    /// Gives back the room the row vectors kept for growth: a streamed
    /// table of millions of rows can hold a third more than it uses, which
    /// the report's own vectors can then reuse.
    pub fn shrink_to_fit(&mut self) {
        self.names.shrink_to_fit();
        self.deals.shrink_to_fit();
        self.deal_leads.shrink_to_fit();
        self.history.shrink_to_fit();
        self.activities.shrink_to_fit();
        self.leads.shrink_to_fit();
        self.quotas.shrink_to_fit();
        self.reps.shrink_to_fit();
    }

    /// About how many bytes the rows and names take (for the browser's
    /// memory budget, see [`crate::tables::stream::MAX_BYTES`]).
    pub fn approx_bytes(&self) -> usize {
        use std::mem::size_of;
        self.deals.len() * size_of::<Deal>()
            + self.deal_leads.len() * size_of::<DealLead>()
            + self.history.len() * size_of::<StageEntry>()
            + self.activities.len() * size_of::<Activity>()
            + self.leads.len() * size_of::<Lead>()
            + self.names.heap_bytes()
    }

    /// The bytes the row vectors would newly allocate to take `rows` more
    /// rows each (see [`Rows::growth_bytes`]).
    pub fn growth_bytes(&self, rows: usize) -> usize {
        self.deals.growth_bytes(rows)
            + self.deal_leads.growth_bytes(rows)
            + self.history.growth_bytes(rows)
            + self.activities.growth_bytes(rows)
            + self.leads.growth_bytes(rows)
    }

    /// Whether any table has rows.
    pub fn has_rows(&self) -> bool {
        self.row_counts().iter().any(|&n| n > 0)
    }

    /// Whether this dataset and `other` both have rows of one kind.
    pub fn shares_a_kind(&self, other: &Dataset) -> bool {
        self.row_counts()
            .iter()
            .zip(other.row_counts())
            .any(|(&a, b)| a > 0 && b > 0)
    }

    fn row_counts(&self) -> [usize; 8] {
        [
            self.deals.len(),
            self.history.len(),
            self.activities.len(),
            self.leads.len(),
            self.quotas.len(),
            self.reps.len(),
            self.products.len(),
            self.fx.len(),
        ]
    }

    /// Takes `table` (one typed table with its own names) in without
    /// copying its rows: this dataset must have no rows and no names yet,
    /// only quality records, which stay first.
    pub fn absorb(&mut self, mut table: Dataset, file: usize) -> Moved {
        let base = self.quality.len() as u16;
        let moved = Moved {
            file,
            base,
            rows: table.row_counts(),
            names: table.names.mark(),
            keys: table.deal_keys.len(),
            labels: table.deal_labels.len(),
            deal_leads: table.deal_leads.len(),
            activity_labels: table.activity_labels.len(),
            present: table.present.clone(),
        };
        table.table_base = table.table_base.wrapping_add(base);
        let mut quality = std::mem::take(&mut self.quality);
        quality.append(&mut table.quality);
        table.quality = quality;
        table.present.extend(self.present.iter().copied());
        *self = table;
        moved
    }

    /// The table [`Dataset::absorb`] took in, as it was: rows, names and
    /// quality record; the rest of this dataset is dropped.
    pub fn split_prefix(mut self, m: &Moved) -> Dataset {
        let [d, h, a, l, q, r, p, f] = m.rows;
        self.deals.truncate(d);
        self.deal_leads.truncate(m.deal_leads);
        while self.deal_tables.last().is_some_and(|&(at, _)| at >= d) {
            self.deal_tables.pop();
        }
        self.history.truncate(h);
        self.activities.truncate(a);
        self.leads.truncate(l);
        self.quotas.truncate(q);
        self.reps.truncate(r);
        self.products.truncate(p);
        self.fx.truncate(f);
        self.names.truncate(&m.names);
        self.deal_keys.truncate(m.keys);
        self.deal_labels.truncate(m.labels);
        self.activity_labels.truncate(m.activity_labels);
        self.table_base = self.table_base.wrapping_sub(m.base);
        let q = self.quality.swap_remove(m.base as usize);
        self.quality = vec![q];
        self.present = m.present.clone();
        self
    }

    /// The `origin.table` of the rows of the next table whose record is
    /// pushed onto `quality` (its place there, less the base).
    pub fn next_table(&self) -> u16 {
        (self.quality.len() as u16).wrapping_sub(self.table_base)
    }

    /// Adds a deal read from table `table` (an `origin.table`), which
    /// came from `lead` when it names one.
    #[inline]
    pub fn push_deal(&mut self, deal: Deal, table: u16, lead: Option<Sym>) {
        let at = self.deals.len();
        start_run(&mut self.deal_tables, at, table);
        if let Some(lead) = lead {
            self.deal_leads.push(DealLead {
                deal: at as u32,
                lead,
            });
        }
        self.deals.push(deal);
    }

    /// A deal's owner, team, region, product and source as its file
    /// gives them (by [`key_sets::OWNER`] …).
    #[inline]
    pub fn keys_of(&self, deal: &Deal) -> &key_sets::GroupKeys {
        self.deal_keys.get(deal.keys)
    }

    /// An activity's rep, type and minutes.
    #[inline]
    pub fn activity_labels_of(&self, a: &Activity) -> &key_sets::ActivityLabels {
        self.activity_labels.get(a.labels)
    }

    /// A deal's stage, currency, reason for losing and probability.
    #[inline]
    pub fn labels_of(&self, deal: &Deal) -> &key_sets::Labels {
        self.deal_labels.get(deal.labels)
    }

    /// A deal's stage as written.
    #[inline]
    pub fn stage_of(&self, deal: &Deal) -> Option<Sym> {
        self.labels_of(deal).stage
    }

    /// A deal's currency, when its file says.
    #[inline]
    pub fn currency_of(&self, deal: &Deal) -> Option<Sym> {
        self.labels_of(deal).currency
    }

    /// A deal on `line` with `status`, these keys and labels (numbered
    /// here) and nothing else, for tests to fill in.
    #[cfg(test)]
    pub(crate) fn test_deal(
        &mut self,
        line: u32,
        status: Status,
        keys: key_sets::GroupKeys,
        labels: key_sets::Labels,
    ) -> Deal {
        Deal {
            at: LineStatus::new(line, status),
            id: None,
            keys: self.deal_keys.number(keys),
            labels: self.deal_labels.number(labels),
            amount: None.into(),
            created: None,
            close: None,
        }
    }

    /// Where `deal`, the `index`-th deal, came from.
    pub fn deal_origin(&self, index: usize, deal: &Deal) -> Origin {
        let run = self.deal_tables.partition_point(|&(at, _)| at <= index);
        Origin {
            // Deals pushed without a table (tests) are the first table's.
            table: run.checked_sub(1).map_or(0, |r| self.deal_tables[r].1),
            line: deal.line(),
        }
    }

    /// The place in `quality` of the table a row came from.
    pub fn quality_index(&self, origin: Origin) -> usize {
        origin.table.wrapping_add(self.table_base) as usize
    }

    /// Adds another dataset's tables after this one's: its symbols are
    /// interned here in their own order (so the result is the one typing its
    /// tables here would give) and its rows point at its quality records.
    pub fn append(&mut self, other: &Dataset) {
        let base = self.quality.len() as u16;
        self.append_rows(other, base);
        self.quality.extend(other.quality.iter().cloned());
    }

    /// Adds another dataset's rows and names after this one's, as
    /// [`Dataset::append`], but not its quality records: its rows point at
    /// records this dataset already holds, from `base` on.
    pub fn append_rows(&mut self, other: &Dataset, base: u16) {
        // Numbered ids' symbols are their family and number, not places:
        // theirs are looked up by symbol.
        let mut remap: Vec<Sym> = Vec::with_capacity(other.names.len());
        let mut later: FastMap<Sym, Sym> = FastMap::default();
        for x in other.names.symbols() {
            let here = self.names.intern(&other.names.get(x));
            if numbered::is_numbered(x) {
                later.insert(x, here);
            } else {
                remap.push(here);
            }
        }
        let s = |x: Sym| {
            if numbered::is_numbered(x) {
                later[&x]
            } else {
                remap[x.index()]
            }
        };
        let o = |x: Option<Sym>| x.map(s);
        // Its rows' places in `quality` (its own base and `base` added),
        // stored less this dataset's base.
        let shift = other
            .table_base
            .wrapping_add(base)
            .wrapping_sub(self.table_base);
        let at = |g: Origin| Origin {
            table: g.table.wrapping_add(shift),
            line: g.line,
        };
        let first = self.deals.len();
        for &(i, table) in &other.deal_tables {
            start_run(&mut self.deal_tables, first + i, table.wrapping_add(shift));
        }
        // Its sets of group keys and labels numbered here in their own
        // order too.
        let keys = self.deal_keys.number_all(&other.deal_keys, s);
        let labels = self.deal_labels.number_all(&other.deal_labels, s);
        self.deals.extend(other.deals.iter().map(|d| Deal {
            id: o(d.id),
            keys: keys.get(d.keys as usize).copied().unwrap_or_default(),
            labels: labels.get(d.labels as usize).copied().unwrap_or_default(),
            ..*d
        }));
        self.deal_leads
            .extend(other.deal_leads.iter().map(|l| DealLead {
                deal: (first + l.deal as usize) as u32,
                lead: s(l.lead),
            }));
        self.history
            .extend(other.history.iter().map(|h| StageEntry {
                deal: s(h.deal),
                stage: s(h.stage),
                ..*h
            }));
        let labels = self.activity_labels.number_all(&other.activity_labels, s);
        self.activities
            .extend(other.activities.iter().map(|a| Activity {
                labels: labels.get(a.labels as usize).copied().unwrap_or_default(),
                deal: o(a.deal),
                ..*a
            }));
        self.leads.extend(other.leads.iter().map(|l| Lead {
            id: s(l.id),
            status: o(l.status),
            source: o(l.source),
            owner: o(l.owner),
            ..*l
        }));
        self.quotas.extend(other.quotas.iter().map(|q| Quota {
            origin: at(q.origin),
            key: s(q.key),
            ..*q
        }));
        self.reps.extend(other.reps.iter().map(|r| Rep {
            origin: at(r.origin),
            rep: s(r.rep),
            team: o(r.team),
            manager: o(r.manager),
            region: o(r.region),
            ..*r
        }));
        self.products.extend(other.products.iter().map(|p| Product {
            name: s(p.name),
            ..*p
        }));
        self.fx.extend(other.fx.iter().map(|f| FxRate {
            currency: s(f.currency),
            ..*f
        }));
        self.present.extend(other.present.iter().copied());
    }
}

/// The key products are matched on: letters and digits only, lower case,
/// so `GTXPro` in a pipeline finds `GTX Pro` in the price list.
pub fn product_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Reads a status cell (`status` column): `None` when it is not a status word.
pub fn parse_status(cell: &str) -> Option<Status> {
    let compact: String = cell
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    Some(match compact.as_str() {
        "won" | "win" | "closedwon" | "dealwon" | "menang" | "berhasil" | "sukses" => Status::Won,
        "lost" | "lose" | "closedlost" | "deallost" | "kalah" | "gagal" | "batal" | "dead" => {
            Status::Lost
        }
        "open" | "active" | "inprogress" | "pending" | "terbuka" | "aktif" | "berjalan"
        | "proses" => Status::Open,
        _ => return stage_status(cell),
    })
}

/// The status a stage name implies: won if it says won, lost if it says lost.
pub fn stage_status(stage: &str) -> Option<Status> {
    let lower = stage.to_lowercase();
    let compact: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    if compact == "closedwon" || compact == "closedmenang" {
        return Some(Status::Won);
    }
    if compact == "closedlost" || compact == "closedkalah" {
        return Some(Status::Lost);
    }
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| matches!(*w, "won" | "menang")) {
        Some(Status::Won)
    } else if words.iter().any(|w| matches!(*w, "lost" | "kalah")) {
        Some(Status::Lost)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_memo_gives_the_interners_symbols() {
        // Through the memo and straight into another interner, the same
        // strings in the same order must get the same symbols: labels
        // repeating (hits), growth of the memo's table past 16 slots, the
        // empty string, a value sharing a prefix, and past the memo's cap.
        let mut names = Names::default();
        let mut plain = Names::default();
        let mut memo = SymCache::default();
        let mut strings: Vec<String> = vec!["".into(), "Ayu".into(), "Ayu ".into(), "Budi".into()];
        strings.extend((0..40).map(|i| format!("rep {i}")));
        // Every length from 0 to 40 with the same first and last eight
        // bytes, differing only in the middle (what the key does not see
        // past 16 bytes) or in one byte anywhere.
        for n in 0..=40 {
            let base: String = (0..n).map(|i| (b'a' + (i % 26) as u8) as char).collect();
            strings.push(base.clone());
            for at in 0..n {
                let mut v = base.clone().into_bytes();
                v[at] = b'Z';
                strings.push(String::from_utf8(v).unwrap());
            }
        }
        strings.extend([
            "é".into(),
            "éé".into(),
            "Surabaya Timur".into(),
            "Surabaya Barat".into(),
        ]);
        strings.sort();
        strings.dedup();
        for round in 0..3 {
            for s in &strings {
                let a = memo.intern(&mut names, s);
                let b = plain.intern(s);
                assert_eq!(a, b, "{s:?} in round {round}");
                assert_eq!(names.get(a), s.as_str());
            }
        }
        assert_eq!(names.len(), strings.len());
        assert!(!memo.full);
        // Past CAP distinct values the memo steps aside; symbols stay right.
        let ids: Vec<String> = (0..SymCache::CAP + 10)
            .map(|i| format!("D{i:07}"))
            .collect();
        for s in ids.iter().chain(&strings) {
            assert_eq!(memo.intern(&mut names, s), plain.intern(s), "{s:?}");
        }
        assert!(memo.full);
        assert_eq!(names.len(), plain.len());
        // Long values stop the memo too (they are not labels).
        let mut memo = SymCache::default();
        let long = "x".repeat(600_000);
        let longer = "y".repeat(600_000);
        assert_eq!(memo.intern(&mut names, &long), plain.intern(&long));
        assert!(!memo.full);
        assert_eq!(memo.intern(&mut names, &longer), plain.intern(&longer));
        assert!(memo.full);
        assert_eq!(memo.intern(&mut names, &long), plain.intern(&long));
    }

    /// A column that gave up memoising still gives each id its interner's
    /// symbol when ids come in runs (a table sorted by deal), keeps
    /// checking for runs while they are common, and stops when each value
    /// is new.
    #[test]
    fn an_id_columns_runs_give_the_interners_symbols() {
        let mut names = Names::default();
        let mut plain = Names::default();
        let mut sorted = SymCache::default();
        // Past CAP distinct ids, each on one to three rows in a row, and
        // a prefix or a longer id next to its neighbour.
        let mut rows: Vec<String> = Vec::new();
        for i in 0..SymCache::CAP + 500 {
            let id = format!("D{i:07}");
            for _ in 0..1 + i % 3 {
                rows.push(id.clone());
            }
            if i % 100 == 0 {
                rows.push(format!("{id}0"));
                rows.push(id[..5].to_string());
                rows.push(id);
            }
        }
        for s in &rows {
            let a = sorted.intern(&mut names, s);
            assert_eq!(a, plain.intern(s), "{s:?}");
            assert_eq!(names.get(a), s.as_str());
        }
        assert!(sorted.full);
        assert!(sorted.repeats(), "half the rows repeat the one before");
        // Each deal's own id: the check stops after its trial, and the
        // symbols stay right.
        let mut unique = SymCache::default();
        for i in 0..SymCache::CAP + 2 * Runs::TRIAL as usize {
            let s = format!("L{i:07}");
            assert_eq!(unique.intern(&mut names, &s), plain.intern(&s));
        }
        assert!(unique.full);
        assert!(!unique.repeats());
        assert_eq!(
            unique.intern(&mut names, "D0000001"),
            plain.intern("D0000001")
        );
        assert_eq!(names.len(), plain.len());
    }

    #[test]
    fn statuses() {
        assert_eq!(parse_status("Closed Won"), Some(Status::Won));
        assert_eq!(parse_status("closedwon"), Some(Status::Won));
        assert_eq!(parse_status("Menang"), Some(Status::Won));
        assert_eq!(parse_status("Kalah"), Some(Status::Lost));
        assert_eq!(parse_status("open"), Some(Status::Open));
        assert_eq!(parse_status("maybe"), None);
        assert_eq!(stage_status("Closed - Lost"), Some(Status::Lost));
        assert_eq!(stage_status("Negotiation"), None);
        assert_eq!(stage_status("Wonderful"), None);
    }

    #[test]
    fn interning_is_stable() {
        let mut n = Names::default();
        let a = n.intern("Ayu");
        let mark = n.mark();
        let b = n.intern("Budi");
        assert_eq!(n.intern("Ayu"), a);
        assert_ne!(a, b);
        assert_eq!(n.get(b), "Budi");
        assert_eq!(n.lookup("Budi"), Some(b));
        assert_eq!(n.lookup("Citra"), None);
        for i in 0..10_000 {
            n.intern(&format!("id-{i}"));
        }
        assert_eq!(
            n.lookup("id-9999").map(|s| n.get(s)),
            Some("id-9999".into())
        );
        assert_eq!(n.len(), 10_002);
        // Truncating unwinds to exactly the first symbols.
        n.truncate(&mark);
        assert_eq!(n.len(), 1);
        assert_eq!(n.lookup("Ayu"), Some(a));
        assert_eq!(n.lookup("Budi"), None);
        assert_eq!(n.lookup("id-5"), None);
        assert_eq!(n.intern("Budi"), b);
    }

    /// Numbered ids are kept by their number, others (and numbers too far
    /// out) in the hash table; either way one text is one symbol, found by
    /// intern and lookup, and gone after a truncate. Those kept in the
    /// table or as a family's first members are numbered in the order
    /// first seen.
    #[test]
    fn numbered_ids_are_one_symbol_wherever_they_are_kept() {
        let mut n = Names::default();
        let held = |n: &Names, t| numbered::split(t).map(|k| n.numbered.find(&k));
        let a = n.intern("D0000007");
        let b = n.intern("D0000008");
        assert_eq!([a.index(), b.index()], [0, 1]);
        assert_eq!(held(&n, "D0000008"), Some(numbered::Held::Sym(b)));
        let mark = n.mark();
        // A number not interned is known absent: no table probe.
        assert_eq!(held(&n, "D0000009"), Some(numbered::Held::Absent));
        assert_eq!(n.lookup("D0000009"), None);
        // Far out, it goes to the table, and the family looks there after.
        let far = n.intern("D9999999");
        assert_eq!(held(&n, "D9999999"), Some(numbered::Held::Unknown));
        assert_eq!(held(&n, "D0000009"), Some(numbered::Held::Unknown));
        // Fewer than three digits (a label's), no digits at the end: the table.
        let c = n.intern("D8");
        let sf = n.intern("006Dn000001abcd");
        let d = n.intern("D0000009");
        assert_eq!(
            [far.index(), c.index(), sf.index(), d.index()],
            [2, 3, 4, 5]
        );
        for (t, x) in [
            ("D0000007", a),
            ("D0000008", b),
            ("D9999999", far),
            ("D8", c),
            ("006Dn000001abcd", sf),
            ("D0000009", d),
        ] {
            assert_eq!(n.intern(t), x, "{t}");
            assert_eq!(n.lookup(t), Some(x), "{t}");
            assert_eq!(n.get(x), t);
        }
        assert_eq!(n.len(), 6);
        n.truncate(&mark);
        assert_eq!(n.len(), 2);
        assert_eq!(n.lookup("D0000008"), Some(b));
        for t in ["D9999999", "D8", "006Dn000001abcd", "D0000009"] {
            assert_eq!(n.lookup(t), None, "{t}");
        }
        // The family no longer looks in the table.
        assert_eq!(held(&n, "D0000009"), Some(numbered::Held::Absent));
        assert_eq!(n.intern("D0000009").index(), 2);
        assert_eq!(n.intern("D9999999").index(), 3);
        assert_eq!(n.lookup("D0000009").map(Sym::index), Some(2));
    }

    /// Past its first sixteen members, a family's ids keep no text and
    /// take no place: the symbol is the family and number, the text
    /// written again from it when asked for, leading zeros and all. A
    /// truncate forgets the later ones interned since its mark.
    #[test]
    fn numbered_ids_past_a_familys_first_members_keep_no_text() {
        let mut n = Names::default();
        let ids: Vec<String> = (0..1000).map(|i| format!("D{:07}", 5000 - 3 * i)).collect();
        let syms: Vec<Sym> = ids[..990].iter().map(|t| n.intern(t)).collect();
        assert_eq!(n.arena.len(), 16 * 8);
        assert_eq!(n.ends.len(), 16);
        assert!(syms[..16].iter().all(|&x| !numbered::is_numbered(x)));
        assert!(syms[16..].iter().all(|&x| numbered::is_numbered(x)));
        let mark = n.mark();
        let label = n.intern("Closed Won");
        let more = n.intern("D0000001");
        let other = n.intern("Budi");
        let last: Vec<Sym> = ids[990..].iter().map(|t| n.intern(t)).collect();
        assert_eq!(n.arena.len(), 16 * 8 + "Closed Won".len() + "Budi".len());
        assert_eq!([label.index(), other.index()], [16, 17]);
        assert_eq!(n.len(), 1003);
        for (t, &x) in ids.iter().zip(syms.iter().chain(&last)) {
            assert_eq!(n.get(x), t.as_str());
            assert_eq!(n.intern(t), x);
        }
        assert_eq!(n.get(label), "Closed Won");
        assert_eq!(n.get(more), "D0000001");
        assert_eq!(n.get(other), "Budi");
        assert_eq!(n.lookup("Budi"), Some(other));
        // Every symbol once: the kept texts in order, then the family's.
        let all: Vec<Sym> = n.symbols().collect();
        assert_eq!(all.len(), n.len());
        assert_eq!(
            all.iter()
                .map(|&x| n.get(x))
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            n.len()
        );
        // Unwound past the label, the arena holds the kept ids' text alone.
        n.truncate(&mark);
        assert_eq!(n.arena.len(), 16 * 8);
        assert_eq!(n.len(), 990);
        for t in ["Closed Won", "D0000001", "Budi", ids[995].as_str()] {
            assert_eq!(n.lookup(t), None, "{t}");
        }
        assert_eq!(n.intern("Closed Won").index(), 16);
        assert_eq!(n.get(syms[989]), ids[989].as_str());
        assert_eq!(n.lookup(&ids[989]), Some(syms[989]));
    }

    /// A deal's line and status share four bytes: each status with the
    /// first line, a large one and the last told apart; past it, that last.
    #[test]
    fn a_deals_line_and_status_share_four_bytes() {
        for status in [Status::Won, Status::Lost, Status::Open] {
            for line in [1, 2, 123_456_789, LineStatus::MAX_LINE] {
                let at = LineStatus::new(line, status);
                assert_eq!((at.line(), at.status()), (line, status));
            }
            let past = LineStatus::new(u32::MAX, status);
            assert_eq!((past.line(), past.status()), (LineStatus::MAX_LINE, status));
        }
        assert_eq!(LineStatus::MAX_LINE, 1_073_741_823);
    }

    #[test]
    fn product_keys() {
        assert_eq!(product_key("GTXPro"), product_key("GTX Pro"));
    }

    /// A deal with these owner, product, stage, currency, probability and
    /// lead (empty for none), on `line`.
    fn keyed_deal(ds: &mut Dataset, line: u32, [owner, product, stage, ccy, p, lead]: [&str; 6]) {
        let mut s = |t: &str| (!t.is_empty()).then(|| ds.names.intern(t));
        let (owner, product, stage, ccy, lead) = (s(owner), s(product), s(stage), s(ccy), s(lead));
        let labels = key_sets::Labels {
            stage,
            currency: ccy,
            lost_reason: None,
            probability: p.parse::<f64>().ok().into(),
        };
        let deal = ds.test_deal(
            line,
            Status::Open,
            [owner, None, None, product, None],
            labels,
        );
        ds.push_deal(deal, 0, lead);
    }

    /// What each deal's keys, labels and lead name, as text.
    fn named(ds: &Dataset) -> Vec<[String; 6]> {
        let text = |s: Option<Sym>| s.map_or(String::new(), |s| ds.names.get(s).into_owned());
        let leads: Vec<DealLead> = ds.deal_leads.iter().copied().collect();
        let lead_of = |i: usize| leads.iter().find(|l| l.deal as usize == i).map(|l| l.lead);
        ds.deals
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let (k, l) = (ds.keys_of(d), ds.labels_of(d));
                [
                    text(k[key_sets::OWNER]),
                    text(k[key_sets::PRODUCT]),
                    text(l.stage),
                    text(l.currency),
                    l.probability.get().map_or(String::new(), |p| p.to_string()),
                    text(lead_of(i)),
                ]
            })
            .collect()
    }

    /// An activity by `rep` of `kind`, with these minutes (empty for none).
    fn labelled_activity(ds: &mut Dataset, [rep, kind, minutes]: [&str; 3]) {
        let labels = key_sets::ActivityLabels {
            rep: Some(ds.names.intern(rep)),
            kind: Some(ds.names.intern(kind)),
            minutes: minutes.parse::<f64>().ok().into(),
        };
        let a = Activity {
            labels: ds.activity_labels.number(labels),
            date: NaiveDate::from_ymd_opt(2025, 1, 2).unwrap_or_default(),
            deal: None,
        };
        ds.activities.push(a);
    }

    /// What each activity's labels name, as text.
    fn activities_named(ds: &Dataset) -> Vec<[String; 3]> {
        let text = |s: Option<Sym>| s.map_or(String::new(), |s| ds.names.get(s).into_owned());
        ds.activities
            .iter()
            .map(|a| {
                let l = ds.activity_labels_of(a);
                let m = l.minutes.get().map_or(String::new(), |m| m.to_string());
                [text(l.rep), text(l.kind), m]
            })
            .collect()
    }

    #[test]
    fn activities_keep_their_labels_through_datasets_joined_and_split() {
        let first = [["Ayu", "Call", "15"], ["Budi", "Email", ""]];
        // Interned in another order, one set shared with the first file and
        // one differing from it by the minutes alone.
        let second = [
            ["Citra", "Meeting", "60"],
            ["Ayu", "Call", "15"],
            ["Ayu", "Call", "30"],
        ];
        let mut a = Dataset::default();
        a.quality
            .push(crate::quality::TableQuality::new("a.csv", None));
        first.iter().for_each(|x| labelled_activity(&mut a, *x));
        let mut b = Dataset::default();
        b.quality
            .push(crate::quality::TableQuality::new("b.csv", None));
        second.iter().for_each(|x| labelled_activity(&mut b, *x));
        let mut joined = Dataset::default();
        let moved = joined.absorb(a.clone(), 0);
        joined.append(&b);
        let want: Vec<[String; 3]> = first
            .iter()
            .chain(&second)
            .map(|x| x.map(str::to_string))
            .collect();
        assert_eq!(activities_named(&joined), want);
        let numbers: Vec<u32> = joined.activities.iter().map(|a| a.labels).collect();
        assert_eq!(numbers, [0, 1, 2, 0, 3]);
        let back = joined.split_prefix(&moved);
        assert_eq!(back.activity_labels, a.activity_labels);
        assert_eq!(activities_named(&back), want[..2]);
    }

    #[test]
    fn deals_keep_their_keys_and_labels_through_datasets_joined_and_split() {
        let first = [
            ["Ayu", "Pro", "Won", "USD", "1", "L1"],
            ["Budi", "", "Lost", "", "0", ""],
        ];
        // Interned in another order, one set shared with the first file,
        // and one whose labels differ from it by the probability alone.
        let second = [
            ["Citra", "Lite", "Open", "IDR", "0.25", ""],
            ["Ayu", "Pro", "Won", "USD", "1", "L7"],
            ["", "Pro", "Won", "IDR", "", "L1"],
            ["Ayu", "Pro", "Won", "USD", "0.9", ""],
        ];
        let mut a = Dataset::default();
        a.quality
            .push(crate::quality::TableQuality::new("a.csv", None));
        for (i, d) in first.iter().enumerate() {
            keyed_deal(&mut a, 2 + i as u32, *d);
        }
        let mut b = Dataset::default();
        b.quality
            .push(crate::quality::TableQuality::new("b.csv", None));
        for (i, d) in second.iter().enumerate() {
            keyed_deal(&mut b, 2 + i as u32, *d);
        }
        let mut joined = Dataset::default();
        let moved = joined.absorb(a.clone(), 0);
        joined.append(&b);
        let all = named(&joined);
        let want: Vec<[String; 6]> = first
            .iter()
            .chain(&second)
            .map(|d| d.map(str::to_string))
            .collect();
        assert_eq!(all, want);
        // The shared set is one number; each new one the next.
        let numbers: Vec<(u32, u32)> = joined.deals.iter().map(|d| (d.keys, d.labels)).collect();
        assert_eq!(numbers, [(0, 0), (1, 1), (2, 2), (0, 0), (3, 3), (0, 4)]);
        // Split off again, the first file's dataset is as it was.
        let back = joined.split_prefix(&moved);
        assert_eq!(back.deal_keys, a.deal_keys);
        assert_eq!(back.deal_labels, a.deal_labels);
        assert_eq!(back.deal_leads, a.deal_leads);
        let again = named(&back);
        assert_eq!(again, want[..2]);
    }
}
