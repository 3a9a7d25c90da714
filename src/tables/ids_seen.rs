//! The deal ids a table has had, for its duplicate-id warnings.
//!
//! # Why
//! A warning names the line where the id was first met. Keeping that line
//! for every symbol (4 bytes a name, ids and labels alike, in a vector that
//! doubled as it grew) took 5–11 MB while a million deals were read, and
//! 84–168 MB for fifteen million, for a warning most files never give. A
//! bit per symbol says whether the table had an id; the first lines are
//! found only once an id comes again, from the rows typed by then (one
//! pass), and kept from then on. A numbered id's symbol is its family and
//! number (see `numbered`), not a place: those are a bit a number per
//! family.

use super::bit_range::BitRange;
use super::numbered::{is_numbered, parts};
use super::{Dataset, FastMap, Sym};

/// The ids met in one table's deals.
#[derive(Debug, Default)]
pub(crate) struct IdsSeen {
    /// A bit per symbol index: whether the table had it as an id.
    bits: Vec<u64>,
    /// A numbered id's bit, by its family's place and its offset.
    numbered: Vec<BitRange>,
    /// Where the table's deals start in the dataset's, set at its first.
    start: Option<usize>,
    /// Each id's first line, once an id has come again.
    first: Option<FastMap<Sym, u32>>,
}

impl IdsSeen {
    /// Notes that the table's next deal, not yet in `ds` and on `line`, has
    /// id `id`: the line it was first met on when the table had it before.
    pub(crate) fn again(&mut self, ds: &Dataset, id: Sym, line: u32) -> Option<u32> {
        let start = *self.start.get_or_insert(ds.deals.len());
        if !self.had(ds, id) {
            if let Some(first) = &mut self.first {
                first.insert(id, line);
            }
            return None;
        }
        let first = self.first.get_or_insert_with(|| {
            let mut first = FastMap::default();
            for d in ds.deals.iter().skip(start) {
                if let Some(id) = d.id {
                    first.entry(id).or_insert(d.line());
                }
            }
            first
        });
        first.get(&id).copied()
    }

    /// Whether the table had `id` before, noting that it has it now.
    fn had(&mut self, ds: &Dataset, id: Sym) -> bool {
        if is_numbered(id) {
            let (family, offset) = parts(id);
            if self.numbered.len() <= family {
                self.numbered.resize_with(family + 1, BitRange::default);
            }
            let seen = &mut self.numbered[family];
            // A family's offsets are dense (see `numbered`): no limit.
            seen.stretch(offset, u64::MAX);
            let had = seen.contains(offset);
            seen.insert(offset);
            return had;
        }
        let i = id.index();
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        if self.bits.len() <= word {
            // Room for every name so far: new names are next, in order.
            self.bits.resize((ds.names.len() / 64 + 1).max(word + 1), 0);
        }
        let had = self.bits[word] & bit != 0;
        self.bits[word] |= bit;
        had
    }
}
