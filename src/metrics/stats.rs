//! Small statistics shared by the metric families.

/// Percentile `p` (0–100) with linear interpolation between closest ranks
/// (numpy's default). `values` need not be sorted; `None` when empty.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    percentile_mut(&mut values.to_vec(), p)
}

/// Percentile `p` by selection, O(n) rather than a sort: the two closest
/// ranks are the same elements a sort would put there, so the figure is
/// identical. Reorders `v`; `None` when empty.
pub fn percentile_mut(v: &mut [f64], p: f64) -> Option<f64> {
    let n = v.len();
    select_rank(v, rank_of(n, p)?, n)
}

/// Where percentile `p` falls among `n` sorted values (`None` for none).
fn rank_of(n: usize, p: f64) -> Option<f64> {
    (n > 0).then(|| p / 100.0 * (n - 1) as f64)
}

/// The value at fractional `rank` of the sorted order, selected among
/// `v[..end]`, which must hold the `end` smallest values of `v` (all of
/// them, or a part a selection put first), with `rank`'s upper closest
/// rank below `end`.
fn select_rank(v: &mut [f64], rank: f64, end: usize) -> Option<f64> {
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    let (_, at, right) = v.get_mut(..end)?.select_nth_unstable_by(lo, f64::total_cmp);
    let lo_v = *at;
    let hi_v = if hi == lo {
        lo_v
    } else {
        right.iter().copied().min_by(f64::total_cmp).unwrap_or(lo_v)
    };
    Some(lo_v + (hi_v - lo_v) * (rank - lo as f64))
}

/// The sum, `0.0` for nothing (`Iterator::sum` of no `f64` is `-0.0`,
/// which would print as `-0.0` in the report).
pub fn total(values: impl IntoIterator<Item = f64>) -> f64 {
    values.into_iter().fold(0.0, |a, b| a + b)
}

/// Percentile `p` of values already sorted ascending (see [`percentile`]).
pub fn percentile_sorted(v: &[f64], p: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let rank = p / 100.0 * (v.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    Some(v[lo] + (v[hi] - v[lo]) * (rank - lo as f64))
}

/// Mean, median and 90th percentile (see [`spread_mut`]).
pub fn spread(values: &[f64]) -> Option<(f64, f64, f64)> {
    spread_mut(&mut values.to_vec())
}

/// Mean, median and 90th percentile of `v`, which it reorders: by
/// selection for whole numbers, else with one sort.
pub fn spread_mut(v: &mut [f64]) -> Option<(f64, f64, f64)> {
    // Whole numbers (days) sum exactly in any order: select, don't sort.
    let whole = v
        .iter()
        .all(|x| x.fract() == 0.0 && x.abs() < (1u64 << 40) as f64);
    if whole {
        let n = v.len();
        let mean = mean(v)?;
        let (r90, r50) = (rank_of(n, 90.0)?, rank_of(n, 50.0)?);
        let p90 = select_rank(v, r90, n)?;
        // The p90 selection put the smallest values up to its lower rank
        // first: the median's two ranks are among them but for a handful
        // of values.
        let end = if r50.ceil() <= r90.floor() {
            r90.floor() as usize + 1
        } else {
            n
        };
        let p50 = select_rank(v, r50, end)?;
        return Some((mean, p50, p90));
    }
    v.sort_by(f64::total_cmp);
    Some((
        mean(v)?,
        percentile_sorted(v, 50.0)?,
        percentile_sorted(v, 90.0)?,
    ))
}

/// The median.
pub fn median(values: &[f64]) -> Option<f64> {
    percentile(values, 50.0)
}

/// The median of `v`, which it reorders.
pub fn median_mut(v: &mut [f64]) -> Option<f64> {
    percentile_mut(v, 50.0)
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
            let mut ds = days.clone();
            ds.sort_by(f64::total_cmp);
            let sorted_spread = (
                ds.iter().sum::<f64>() / n as f64,
                percentile_sorted(&ds, 50.0).unwrap(),
                percentile_sorted(&ds, 90.0).unwrap(),
            );
            assert_eq!(spread(&days), Some(sorted_spread), "n {n}");
        }
    }
    use super::*;

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
