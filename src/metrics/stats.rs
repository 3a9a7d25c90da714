//! Small statistics shared by the metric families.

/// Percentile `p` (0–100) with linear interpolation between closest ranks
/// (numpy's default). `values` need not be sorted; `None` when empty.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut keys: Vec<i64> = values.iter().map(|&v| order_key(v)).collect();
    percentile_of_keys(&mut keys, p)
}

/// Where percentile `p` falls among `n` sorted values (`None` for none).
fn rank_of(n: usize, p: f64) -> Option<f64> {
    (n > 0).then(|| p / 100.0 * (n - 1) as f64)
}

/// The figure at fractional `rank` between the values at its two closest
/// ranks.
fn between((lo, hi): (f64, f64), rank: f64) -> f64 {
    lo + (hi - lo) * (rank - rank.floor())
}

/// `x`'s place in [`f64::total_cmp`]'s order, as an integer: selecting
/// on these keys compares integers where `total_cmp` works the same key
/// out of both sides at every comparison.
pub fn order_key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    // As `total_cmp`: a negative value's other bits flipped.
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

/// The value whose [`order_key`] is `key`.
pub fn from_order_key(key: i64) -> f64 {
    // The flip depends only on the sign bit, which it leaves alone.
    f64::from_bits((key ^ (((key >> 63) as u64) >> 1) as i64) as u64)
}

/// Percentile `p` of values given as their [`order_key`]s, which it
/// reorders, by selection: O(n) rather than a sort, and the two closest
/// ranks are the same elements a sort would put there, so the figure is
/// identical.
pub fn percentile_of_keys(keys: &mut [i64], p: f64) -> Option<f64> {
    let rank = rank_of(keys.len(), p)?;
    let (lo, hi) = closest_ranks(keys, rank, keys.len())?;
    Some(between((from_order_key(lo), from_order_key(hi)), rank))
}

/// The median of values given as their [`order_key`]s (see
/// [`percentile_of_keys`]).
pub fn median_of_keys(keys: &mut [i64]) -> Option<f64> {
    percentile_of_keys(keys, 50.0)
}

/// Mean, median and 90th percentile of whole days, which it may reorder:
/// the same figures as a sort of the days as `f64`s would give (their sum
/// is exact in any order), found among integers.
pub fn day_spread(days: &mut [u32]) -> Option<(f64, f64, f64)> {
    let n = days.len();
    let (r90, r50) = (rank_of(n, 90.0)?, rank_of(n, 50.0)?);
    let (sum, max) = days
        .iter()
        .fold((0u64, 0u32), |(s, m), &d| (s + u64::from(d), m.max(d)));
    let mean = sum as f64 / n as f64;
    let at = |(lo, hi): (u32, u32), rank: f64| between((f64::from(lo), f64::from(hi)), rank);
    if (max as usize) < n.saturating_mul(4).max(COUNTED_DAYS) {
        let [p50, p90] = counted_ranks(days, max, [r50, r90]);
        return Some((mean, at(p50, r50), at(p90, r90)));
    }
    let p90 = at(closest_ranks(days, r90, n)?, r90);
    // The p90's selection put the smallest values up to its lower rank
    // first: the median's two ranks are among them but for a handful of
    // values.
    let end = if r50.ceil() <= r90.floor() {
        r90.floor() as usize + 1
    } else {
        n
    };
    let p50 = at(closest_ranks(days, r50, end)?, r50);
    Some((mean, p50, p90))
}

/// Below this many days (or four per value) [`day_spread`] counts the
/// values of each day rather than selecting: sales cycles span days to a
/// few years, and a count of each is one pass with no comparisons, where
/// a selection's comparisons on values in no order mostly mispredict
/// (a selection among a million deals' cycles was 7 of a whole report's
/// 86 ms in wasm).
const COUNTED_DAYS: usize = 1 << 16;

/// The values at the two closest ranks of each fractional rank (ranks
/// ascending, below `days.len()`), from a count of each day up to `max`.
fn counted_ranks(days: &[u32], max: u32, ranks: [f64; 2]) -> [(u32, u32); 2] {
    let mut count = vec![0u32; max as usize + 1];
    for &d in days {
        // Never out of bounds (`max` is the largest): no panic either way.
        if let Some(c) = count.get_mut(d as usize) {
            *c += 1;
        }
    }
    // The value at sorted place `k` is the first day whose running count
    // passes `k`: the four places are found in one walk up the days.
    let [(lo50, hi50), (lo90, hi90)] = ranks.map(|r| (r.floor() as usize, r.ceil() as usize));
    // (The median's upper place can be past the p90's lower one.)
    let places = [lo50, hi50, lo90, hi90];
    let mut by_place = [0, 1, 2, 3];
    by_place.sort_by_key(|&i| places[i]);
    let mut found = [0u32; 4];
    let mut next = 0;
    let mut upto = 0usize;
    for (day, &n) in count.iter().enumerate() {
        upto += n as usize;
        while next < places.len() && places[by_place[next]] < upto {
            found[by_place[next]] = day as u32;
            next += 1;
        }
        if next == places.len() {
            break;
        }
    }
    [(found[0], found[1]), (found[2], found[3])]
}

/// The values at the two closest ranks of fractional `rank` in sorted
/// order, selected among `v[..end]`, which must hold the `end` smallest
/// values of `v` (all of them, or a part a selection put first), with
/// `rank`'s upper closest rank below `end`. Reorders `v[..end]`.
fn closest_ranks<T: Ord + Copy>(v: &mut [T], rank: f64, end: usize) -> Option<(T, T)> {
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    let (_, &mut lo_v, right) = v.get_mut(..end)?.select_nth_unstable(lo);
    let hi_v = if hi == lo {
        lo_v
    } else {
        right.iter().copied().min().unwrap_or(lo_v)
    };
    Some((lo_v, hi_v))
}

/// The sum, `0.0` for nothing (`Iterator::sum` of no `f64` is `-0.0`,
/// which would print as `-0.0` in the report).
pub fn total(values: impl IntoIterator<Item = f64>) -> f64 {
    values.into_iter().fold(0.0, |a, b| a + b)
}

/// The median.
pub fn median(values: &[f64]) -> Option<f64> {
    percentile(values, 50.0)
}

/// The arithmetic mean.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// `a / b`, or `None` when `b` is zero.
pub fn ratio(a: f64, b: f64) -> Option<f64> {
    (b != 0.0).then(|| a / b)
}

/// Ordinary-least-squares slope of `y` against `x`; `None` below two points
/// or when every `x` is equal.
pub fn ols_slope(points: &[(f64, f64)]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    ratio(sxy, sxx)
}

/// Pearson's r; `None` below 3 points or with zero variance on either side.
pub fn pearson(points: &[(f64, f64)]) -> Option<f64> {
    if points.len() < 3 {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let syy: f64 = points.iter().map(|p| (p.1 - my).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    Some(sxy / (sxx * syy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Percentile `p` of values sorted ascending: the figure a selection
    /// must give.
    fn percentile_sorted(v: &[f64], p: f64) -> Option<f64> {
        if v.is_empty() {
            return None;
        }
        let rank = p / 100.0 * (v.len() - 1) as f64;
        let lo = rank.floor() as usize;
        let hi = rank.ceil() as usize;
        Some(v[lo] + (v[hi] - v[lo]) * (rank - lo as f64))
    }

    /// Mean, median and p90 of some values, by a sort.
    fn sorted_spread(v: &[f64]) -> Option<(f64, f64, f64)> {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        Some((
            mean(&v)?,
            percentile_sorted(&v, 50.0)?,
            percentile_sorted(&v, 90.0)?,
        ))
    }

    #[test]
    fn selection_gives_the_sorted_percentiles() {
        // A deterministic mix of duplicates, negatives and fractions.
        let mut x: u64 = 12345;
        for n in [1usize, 2, 3, 4, 5, 10, 11, 101, 1000] {
            let v: Vec<f64> = (0..n)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((x >> 33) % 50) as f64 / 4.0 - 3.0
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            for p in [0.0, 10.0, 37.5, 50.0, 90.0, 100.0] {
                assert_eq!(
                    percentile(&v, p),
                    percentile_sorted(&sorted, p),
                    "n {n} p {p}"
                );
            }
            let days: Vec<f64> = v.iter().map(|d| (d * 4.0).abs().round()).collect();
            let mut whole: Vec<u32> = days.iter().map(|&d| d as u32).collect();
            assert_eq!(day_spread(&mut whole), sorted_spread(&days), "n {n}");
        }
    }

    #[test]
    fn order_keys_sort_as_total_cmp_and_give_the_value_back() {
        let v = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -1.0,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            5e-324,
            0.1,
            1.0,
            27120.0,
            1e300,
            f64::INFINITY,
        ];
        for a in v {
            assert_eq!(from_order_key(order_key(a)).to_bits(), a.to_bits());
            for b in v {
                assert_eq!(order_key(a).cmp(&order_key(b)), a.total_cmp(&b), "{a} {b}");
            }
        }
    }

    #[test]
    fn keyed_and_day_selections_give_the_f64_figures() {
        // Amounts of either sign with cents, and whole days, in a made-up
        // order; n from 1 (one value) to an even and an odd thousand.
        let mut x: u64 = 99;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x >> 33
        };
        for n in [1usize, 2, 3, 4, 5, 9, 10, 11, 1000, 1001] {
            let amounts: Vec<f64> = (0..n)
                .map(|_| (next() % 2_000_000) as f64 / 100.0 - 5_000.0)
                .collect();
            let mut keys: Vec<i64> = amounts.iter().map(|&a| order_key(a)).collect();
            assert_eq!(median_of_keys(&mut keys), median(&amounts), "n {n}");
            let mut days: Vec<u32> = (0..n).map(|_| (next() % 700) as u32).collect();
            let as_f64: Vec<f64> = days.iter().map(|&d| f64::from(d)).collect();
            assert_eq!(day_spread(&mut days), sorted_spread(&as_f64), "n {n}");
        }
        assert_eq!(median_of_keys(&mut []), None);
        assert_eq!(day_spread(&mut []), None);
        // Days past what is counted (a cycle of centuries among a few)
        // are selected instead: the same figures.
        for n in [1usize, 2, 3, 10, 11, 1000] {
            let mut days: Vec<u32> = (0..n).map(|_| (next() % 3_000_000) as u32).collect();
            assert!(days.iter().any(|&d| d as usize >= COUNTED_DAYS.max(4 * n)));
            let as_f64: Vec<f64> = days.iter().map(|&d| f64::from(d)).collect();
            assert_eq!(day_spread(&mut days), sorted_spread(&as_f64), "n {n}");
        }
        // Counted: every value the same, the top one alone, ties at the
        // ranks.
        for days in [
            vec![5u32; 7],
            vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 65_535],
            vec![3, 1, 3, 1, 2, 2],
        ] {
            let as_f64: Vec<f64> = days.iter().map(|&d| f64::from(d)).collect();
            assert_eq!(
                day_spread(&mut days.clone()),
                sorted_spread(&as_f64),
                "{days:?}"
            );
        }
        // By hand: 1, 2, 3, 10 → mean 4, median 2.5, p90 at rank 2.7:
        // 3 + 0.7 × 7.
        let (mean, p50, p90) = day_spread(&mut [10, 3, 1, 2]).unwrap();
        assert_eq!((mean, p50), (4.0, 2.5));
        assert!((p90 - 7.9).abs() < 1e-12);
    }

    #[test]
    fn percentiles_match_numpy() {
        // numpy.percentile([1, 2, 3, 4], 90) == 3.7
        assert!((percentile(&[4.0, 1.0, 3.0, 2.0], 90.0).unwrap() - 3.7).abs() < 1e-12);
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[1.0, 2.0]), Some(1.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn slope_and_r() {
        assert_eq!(ols_slope(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]), Some(2.0));
        let r = pearson(&[(1.0, 2.0), (2.0, 4.0), (3.0, 6.5)]).unwrap();
        assert!(r > 0.99 && r <= 1.0);
        assert_eq!(pearson(&[(1.0, 2.0), (1.0, 4.0), (1.0, 6.0)]), None);
    }
}
