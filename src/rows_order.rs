//! Stable sorts of a report's short lists (a breakdown's groups, the
//! stages, the regions, the activity types) through one shared sort.
//!
//! # Why
//! Each `sort_by` with a comparator of its own is a copy of the standard
//! library's stable sort in the WebAssembly module, ~6 KB each: twenty of
//! them were an eighth of the engine's code, in the module the page
//! downloads before its first report. A report's lists hold a few dozen
//! rows: sorting their places with the comparator behind a reference is one
//! copy of the sort for all of them, and as quick at that size. Long lists
//! (a million values, the stalled deals, the data-quality issues) keep
//! `sort_by`, inlined for their type.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `rows` stably by `cmp`: the order `rows.sort_by(cmp)` gives.
pub fn sort_rows_by<T>(rows: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if rows.len() < 2 {
        return;
    }
    let order = {
        let at = |i: usize, j: usize| cmp(&rows[i], &rows[j]);
        sorted_places(rows.len(), &at)
    };
    let mut taken: Vec<Option<T>> = std::mem::take(rows).into_iter().map(Some).collect();
    // Each place comes once in `order`: every row is moved back.
    rows.extend(order.into_iter().filter_map(|i| taken[i as usize].take()));
}

/// [`sort_rows_by`] by a key: the order `rows.sort_by_key(key)` gives.
pub fn sort_rows_by_key<T, K: Ord>(rows: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_rows_by(rows, |a, b| key(a).cmp(&key(b)));
}

/// [`sort_rows_by`] in the rows' own order: the order `rows.sort()` gives.
pub fn sort_rows<T: Ord>(rows: &mut Vec<T>) {
    sort_rows_by(rows, T::cmp);
}

/// The map of `pairs`, a key's last value kept: what `collect()` gives,
/// without the stable sort `collect()` brings for each map type (it sorts
/// the pairs first), a copy per type. A report's maps are short.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (k, v) in pairs {
        map.insert(k, v);
    }
    map
}

/// The set of `items`: what `collect()` gives, as for [`map_of`].
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for x in items {
        set.insert(x);
    }
    set
}

/// The places `0..n` sorted stably by `cmp` of two places: the one copy of
/// the sort.
#[inline(never)]
fn sorted_places(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    // A report's list is far below 2^32 rows.
    let mut places: Vec<u32> = (0..n as u32).collect();
    places.sort_by(|&a, &b| cmp(a as usize, b as usize));
    places
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_is_the_standard_stable_sorts() {
        // Rows with many ties on the key and their first place alongside:
        // a stable sort keeps tied rows in the order they came.
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u32
        };
        for n in [0, 1, 2, 3, 17, 20, 21, 64, 300] {
            let rows: Vec<(u32, usize)> = (0..n).map(|i| (next() % 5, i)).collect();
            let mut ours = rows.clone();
            sort_rows_by(&mut ours, |a, b| b.0.cmp(&a.0));
            let mut theirs = rows.clone();
            theirs.sort_by_key(|r| std::cmp::Reverse(r.0));
            assert_eq!(ours, theirs, "{n} rows");
            // Descending on the key, ties in their first order.
            assert!(ours
                .windows(2)
                .all(|w| w[0].0 > w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1)));
            let mut by_key = rows.clone();
            sort_rows_by_key(&mut by_key, |r| r.0);
            let mut plain = rows.clone();
            sort_rows(&mut plain);
            let mut want = rows.clone();
            want.sort();
            assert_eq!(plain, want);
            assert!(by_key
                .windows(2)
                .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
            assert_eq!(by_key.len(), n);
        }
        // Rows that own memory are moved, none lost or doubled.
        let mut names: Vec<String> = ["Wulan", "ayu", "Budi", "Ayu", "Budi"]
            .map(String::from)
            .to_vec();
        sort_rows(&mut names);
        assert_eq!(names, ["Ayu", "Budi", "Budi", "Wulan", "ayu"]);
        // A key's last value stays, as `collect()` keeps it.
        let pairs = [("b", 1), ("a", 2), ("b", 3)];
        assert_eq!(map_of(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(map_of(pairs)["b"], 3);
        assert_eq!(
            set_of(["b", "a", "b"]).into_iter().collect::<Vec<_>>(),
            ["a", "b"]
        );
    }
}
