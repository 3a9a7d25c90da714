//! Percentiles of every group of several groupings at once: the
//! breakdowns' median deal sizes and sales-cycle spreads, from one sort of
//! the won deals.
//!
//! # Why
//! Each breakdown's groups used to get their won values and cycles copied
//! out group by group and selected one group at a time: five copies and
//! fifteen selections over every won deal per report, a sixth of a report
//! on a million deals. Sorting the samples once (a radix sort of their
//! bits: linear, and passes over bits every sample shares are skipped) and
//! walking them in that order hands every group its k-th value as it goes
//! by. Those are the elements a selection finds, put through the same
//! interpolation, so the figures are the same to the bit.

/// An `f64`'s bits as a `u64` whose order is [`f64::total_cmp`]'s: a
/// negative number's bits all flipped, a positive one's sign bit set.
#[inline]
fn key(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

/// The `f64` of a [`key`].
#[inline]
fn value_of(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// Bits per radix digit: 2,048 buckets, six passes for 64 bits.
const DIGIT_BITS: u32 = 11;
const BUCKETS: usize = 1 << DIGIT_BITS;
const PASSES: usize = 64usize.div_ceil(DIGIT_BITS as usize);

/// Below this many samples a comparison sort is quicker than clearing and
/// summing the radix counts.
const RADIX_FROM: usize = 512;

/// `pairs` sorted by key (least significant digit first, so stable; equal
/// keys are equal values, so their order never shows in a figure). Each
/// key carries its payload along: looking the payload up by index after
/// the sort was a cache miss per sample, slower than the whole sort.
fn sort_pairs<T: Copy>(mut pairs: Vec<(u64, T)>) -> Vec<(u64, T)> {
    if pairs.len() < RADIX_FROM {
        pairs.sort_unstable_by_key(|p| p.0);
        return pairs;
    }
    let digit = |k: u64, pass: usize| ((k >> (pass as u32 * DIGIT_BITS)) as usize) & (BUCKETS - 1);
    // Only the digits where some keys differ need a pass (the high bits of
    // amounts of one magnitude, the low bits of whole numbers never do).
    let (mut all, mut any) = (u64::MAX, 0u64);
    for &(k, _) in &pairs {
        all &= k;
        any |= k;
    }
    let differ = all ^ any;
    let passes: Vec<usize> = (0..PASSES).filter(|&p| digit(differ, p) != 0).collect();
    let mut counts = vec![[0u32; BUCKETS]; passes.len()];
    for &(k, _) in &pairs {
        for (&pass, c) in passes.iter().zip(counts.iter_mut()) {
            c[digit(k, pass)] += 1;
        }
    }
    let mut out = vec![pairs[0]; pairs.len()];
    for (&pass, c) in passes.iter().zip(counts.iter_mut()) {
        let mut start = 0;
        for x in c.iter_mut() {
            let count = *x;
            *x = start;
            start += count;
        }
        for &(k, i) in &pairs {
            let at = &mut c[digit(k, pass)];
            out[*at as usize] = (k, i);
            *at += 1;
        }
        std::mem::swap(&mut pairs, &mut out);
    }
    pairs
}

/// Where a percentile's two closest ranks are, as
/// [`super::stats::percentile`] works them out.
#[derive(Clone, Copy)]
struct Ranks {
    rank: f64,
    lo: u32,
    hi: u32,
}

impl Ranks {
    fn of(p: f64, n: u32) -> Ranks {
        let rank = p / 100.0 * (n - 1) as f64;
        Ranks {
            rank,
            lo: rank.floor() as u32,
            hi: rank.ceil() as u32,
        }
    }

    /// The interpolated value between the two ranks' values.
    fn value(self, lo_v: f64, hi_v: f64) -> f64 {
        lo_v + (hi_v - lo_v) * (self.rank - self.lo as f64)
    }
}

/// A group's values: how many, their sum (added in ascending order) and
/// the percentiles asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Middle<const P: usize> {
    /// How many values.
    pub count: u32,
    /// Their sum, added smallest first.
    pub sum: f64,
    /// The percentiles, in the order asked.
    pub at: [f64; P],
}

/// One group's progress through the sorted samples.
#[derive(Clone, Copy)]
struct Walk<const P: usize> {
    /// Samples of the group passed so far.
    seen: u32,
    sum: f64,
    /// The next rank a percentile needs (`u32::MAX` once all are found).
    next: u32,
    ranks: [Ranks; P],
    lo: [f64; P],
    hi: [f64; P],
}

impl<const P: usize> Walk<P> {
    fn new(n: u32, ps: [f64; P]) -> Self {
        let ranks = ps.map(|p| Ranks::of(p, n.max(1)));
        let mut w = Walk {
            seen: 0,
            sum: 0.0,
            next: u32::MAX,
            ranks,
            lo: [0.0; P],
            hi: [0.0; P],
        };
        if n > 0 {
            w.next = w.first_from(0);
        }
        w
    }

    /// The smallest rank at or after `r` that a percentile needs.
    fn first_from(&self, r: u32) -> u32 {
        self.ranks
            .iter()
            .flat_map(|k| [k.lo, k.hi])
            .filter(|&x| x >= r)
            .min()
            .unwrap_or(u32::MAX)
    }

    /// The group's next sample in ascending order is `v`.
    #[inline]
    fn pass(&mut self, v: f64) {
        let r = self.seen;
        self.seen += 1;
        self.sum += v;
        if r == self.next {
            self.take(r, v);
        }
    }

    #[cold]
    fn take(&mut self, r: u32, v: f64) {
        for (k, ranks) in self.ranks.iter().enumerate() {
            if ranks.lo == r {
                self.lo[k] = v;
            }
            if ranks.hi == r {
                self.hi[k] = v;
            }
        }
        self.next = self.first_from(r + 1);
    }

    fn finish(&self) -> Option<Middle<P>> {
        (self.seen > 0).then(|| Middle {
            count: self.seen,
            sum: self.sum,
            at: std::array::from_fn(|k| self.ranks[k].value(self.lo[k], self.hi[k])),
        })
    }
}

/// The percentiles `ps` (0–100, linear between the closest ranks, as
/// [`super::stats::percentile`]) of each group's values in each of `G`
/// groupings at once. `samples` are values with their group in every
/// grouping, `groups[g] < sizes[g]`. The answer's `[g][s]` is group `s` of
/// grouping `g`: `None` when it has no values. `room` is how many samples
/// there may be (the vector is sized once).
pub fn percentiles<const G: usize, const P: usize>(
    samples: impl Iterator<Item = (f64, [u32; G])>,
    room: usize,
    sizes: [usize; G],
    ps: [f64; P],
) -> [Vec<Option<Middle<P>>>; G] {
    let mut pairs = Vec::with_capacity(room);
    let mut counts: [Vec<u32>; G] = std::array::from_fn(|g| vec![0; sizes[g]]);
    for (v, of) in samples {
        pairs.push((key(v), of));
        for g in 0..G {
            counts[g][of[g] as usize] += 1;
        }
    }
    let sorted = sort_pairs(pairs);
    let mut walks: [Vec<Walk<P>>; G] =
        std::array::from_fn(|g| counts[g].iter().map(|&n| Walk::new(n, ps)).collect());
    for (k, of) in &sorted {
        let v = value_of(*k);
        for g in 0..G {
            walks[g][of[g] as usize].pass(v);
        }
    }
    walks.map(|w| w.iter().map(Walk::finish).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::stats::percentile;

    /// A deterministic stream of numbers.
    fn lcg(x: &mut u64) -> u64 {
        *x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *x >> 33
    }

    #[test]
    fn keys_sort_as_total_cmp_and_give_the_value_back() {
        let mut v = vec![
            -1e300,
            -2.5,
            -0.0,
            0.0,
            1e-300,
            3.0,
            27120.0,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for x in &v {
            assert_eq!(value_of(key(*x)).to_bits(), x.to_bits());
        }
        let mut by_key = v.clone();
        by_key.sort_by_key(|x| key(*x));
        v.sort_by(f64::total_cmp);
        assert_eq!(
            by_key.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            v.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_radix_sort_orders_as_a_comparison_sort() {
        let mut x = 7u64;
        for n in [0usize, 1, 10, 511, 512, 5000] {
            // Amounts in cents, whole days, negatives, and one digit every
            // sample shares (the passes that skip).
            let pairs: Vec<(u64, u32)> = (0..n)
                .map(|i| {
                    let v = match i % 4 {
                        0 => (lcg(&mut x) % 5_000_000) as f64 / 100.0,
                        1 => (lcg(&mut x) % 400) as f64,
                        2 => -((lcg(&mut x) % 1000) as f64) / 8.0,
                        _ => 1024.0,
                    };
                    (key(v), i as u32)
                })
                .collect();
            let mut want = pairs.clone();
            want.sort_by_key(|p| p.0);
            let got = sort_pairs(pairs);
            assert_eq!(
                got.iter().map(|p| p.0).collect::<Vec<_>>(),
                want.iter().map(|p| p.0).collect::<Vec<_>>(),
                "n {n}"
            );
            // Every sample once.
            let mut ids: Vec<u32> = got.iter().map(|p| p.1).collect();
            ids.sort_unstable();
            assert_eq!(ids, (0..n as u32).collect::<Vec<_>>());
        }
    }

    /// Each group's percentiles are what selecting over that group's
    /// values alone gives, bit for bit, for small and radix-sized inputs,
    /// duplicates, signed zeros and groups without values.
    #[test]
    fn each_groups_percentiles_are_its_own_selections() {
        let mut x = 99u64;
        for n in [0usize, 1, 2, 3, 17, 600, 3000] {
            let samples: Vec<(f64, [u32; 2])> = (0..n)
                .map(|i| {
                    let v = match i % 5 {
                        0 => -0.0,
                        1 => 0.0,
                        2 => (lcg(&mut x) % 60) as f64 * 2.5 - 20.0,
                        _ => (lcg(&mut x) % 100_000) as f64 / 7.0,
                    };
                    // Grouping 0 has a group 3 nobody is in.
                    (v, [(lcg(&mut x) % 3) as u32, (lcg(&mut x) % 7) as u32])
                })
                .collect();
            let ps = [50.0, 90.0, 0.0, 100.0, 37.5];
            let got = percentiles(samples.iter().copied(), n, [4, 7], ps);
            for (g, size) in [4usize, 7].into_iter().enumerate() {
                assert_eq!(got[g].len(), size);
                for (s, m) in got[g].iter().enumerate() {
                    let mut own: Vec<f64> = samples
                        .iter()
                        .filter(|(_, of)| of[g] as usize == s)
                        .map(|(v, _)| *v)
                        .collect();
                    let want: Option<Vec<u64>> = (!own.is_empty()).then(|| {
                        ps.iter()
                            .map(|&p| percentile(&own, p).unwrap().to_bits())
                            .collect()
                    });
                    let at: Option<Vec<u64>> =
                        m.map(|m| m.at.iter().map(|x| x.to_bits()).collect());
                    assert_eq!(at, want, "n {n} grouping {g} group {s}");
                    // The count, and the sum smallest first.
                    own.sort_by(f64::total_cmp);
                    let sum = own.iter().fold(0.0, |a, b| a + b);
                    let got = m.map_or((0, 0.0), |m| (m.count as usize, m.sum));
                    assert_eq!(got, (own.len(), sum));
                }
            }
        }
    }

    #[test]
    fn percentiles_by_hand() {
        // Group 0: 4, 1, 3, 2 → median 2.5, p90 3.7 (numpy); group 1: 10.
        let samples = [(4.0, [0]), (10.0, [1]), (1.0, [0]), (3.0, [0]), (2.0, [0])];
        let got = percentiles(samples.into_iter(), 0, [3], [50.0, 90.0]);
        let g0 = got[0][0].unwrap();
        assert_eq!((g0.count, g0.sum), (4, 10.0));
        assert_eq!(g0.at[0], 2.5);
        assert!((g0.at[1] - 3.7).abs() < 1e-12);
        let g1 = Middle {
            count: 1,
            sum: 10.0,
            at: [10.0, 10.0],
        };
        assert_eq!(got[0][1], Some(g1));
        assert_eq!(got[0][2], None);
    }
}
