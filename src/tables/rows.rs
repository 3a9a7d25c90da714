//! A table's typed rows, kept in chunks rather than one vector.
//!
//! # Why
//! A vector grows by moving into an allocation twice its size, and for a
//! moment the old and the new both live: reading a million deals (80 MB)
//! peaked at 126 MB for that move alone. WebAssembly memory never shrinks,
//! so the peak is what the tab keeps. Chunks of at most [`CHUNK_BYTES`]
//! never move: a full chunk stays where it is and the next row starts a new
//! one. A small table is one chunk that grows like a vector.

/// The most one chunk holds, in bytes.
pub const CHUNK_BYTES: usize = 1 << 20;

/// Rows in push order, in chunks that never move once full.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Rows<T> {
    /// Rows a full chunk holds.
    fn per_chunk() -> usize {
        (CHUNK_BYTES / std::mem::size_of::<T>().max(1)).max(1)
    }

    /// Adds a row at the end.
    #[inline]
    pub fn push(&mut self, row: T) {
        match self.chunks.last_mut() {
            // The common case inline: room in the last chunk (never past a
            // full chunk's rows, whatever capacity the vector was given).
            Some(c) if c.len() < c.capacity() && c.len() < Self::per_chunk() => c.push(row),
            _ => self.push_grown(row),
        }
        self.len += 1;
    }

    /// [`Rows::push`] when the last chunk is full or there is none.
    #[inline(never)]
    fn push_grown(&mut self, row: T) {
        let per = Self::per_chunk();
        match self.chunks.last_mut() {
            Some(c) if c.len() < per => {
                // Grow like a vector, but never past a full chunk.
                let want = (c.capacity() * 2).max(4).min(per);
                c.reserve_exact(want - c.len());
                c.push(row);
            }
            _ => {
                // The first chunk starts small (most tables are small);
                // later ones are full-sized at once.
                let cap = if self.chunks.is_empty() {
                    4.min(per)
                } else {
                    per
                };
                let mut c = Vec::with_capacity(cap);
                c.push(row);
                self.chunks.push(c);
            }
        }
    }

    /// Adds `n` copies of `row` at the end, a chunk's worth at a time.
    pub fn push_n(&mut self, n: usize, row: T)
    where
        T: Clone,
    {
        let per = Self::per_chunk();
        let mut left = n;
        while left > 0 {
            match self.chunks.last_mut() {
                Some(c) if c.len() < per => {
                    let take = left.min(per - c.len());
                    let need = c.len() + take;
                    if c.capacity() < need {
                        // Grow like a vector, but never past a full chunk.
                        let want = (c.capacity() * 2).max(need).min(per);
                        c.reserve_exact(want - c.len());
                    }
                    c.resize(need, row.clone());
                    left -= take;
                    self.len += take;
                }
                _ => {
                    let cap = if self.chunks.is_empty() {
                        left.clamp(4, per)
                    } else {
                        per
                    };
                    self.chunks.push(Vec::with_capacity(cap.min(per)));
                }
            }
        }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Rows it has room for without allocating.
    pub fn capacity(&self) -> usize {
        self.chunks.iter().map(Vec::capacity).sum()
    }

    /// The `i`-th row, if there is one (see the `Index` impl).
    #[inline]
    pub fn get(&self, i: usize) -> Option<&T> {
        let per = Self::per_chunk();
        self.chunks.get(i / per)?.get(i % per)
    }

    /// The last row.
    pub fn last(&self) -> Option<&T> {
        self.chunks.last().and_then(|c| c.last())
    }

    /// The rows in order.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            row: [].iter(),
            chunks: self.chunks.iter(),
        }
    }

    /// The rows in order, as the slices they are kept in.
    pub fn slices(&self) -> impl Iterator<Item = &[T]> + '_ {
        self.chunks.iter().map(Vec::as_slice)
    }

    /// The rows in order, to change them in place.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> + '_ {
        self.chunks.iter_mut().flatten()
    }

    /// Keeps the first `n` rows.
    pub fn truncate(&mut self, n: usize) {
        if n >= self.len {
            return;
        }
        let mut left = n;
        let mut keep = 0;
        for c in &mut self.chunks {
            if left == 0 {
                break;
            }
            let take = left.min(c.len());
            c.truncate(take);
            left -= take;
            keep += 1;
        }
        self.chunks.truncate(keep);
        self.len = n;
    }

    /// Gives back the room the last chunk kept for growth.
    pub fn shrink_to_fit(&mut self) {
        if let Some(c) = self.chunks.last_mut() {
            c.shrink_to_fit();
        }
    }

    /// The bytes a push of `rows` more rows would newly allocate.
    pub fn growth_bytes(&self, rows: usize) -> usize {
        let per = Self::per_chunk();
        let room = self
            .chunks
            .last()
            .map_or(0, |c| per.saturating_sub(c.len()));
        let own_room = self.chunks.last().map_or(0, |c| c.capacity() - c.len());
        if own_room >= rows {
            return 0;
        }
        // The last chunk grows to full, then new full chunks.
        let size = std::mem::size_of::<T>();
        let last = if room > own_room { per * size } else { 0 };
        let more = rows.saturating_sub(room);
        last + more.div_ceil(per) * per * size
    }
}

impl<T> Extend<T> for Rows<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, rows: I) {
        for r in rows {
            self.push(r);
        }
    }
}

/// The `i`-th row, found by arithmetic: every chunk but the last is full
/// (a chunk grows to full before the next starts, and truncating keeps a
/// prefix). Past the end it panics, as a vector's index does.
impl<T> std::ops::Index<usize> for Rows<T> {
    type Output = T;

    #[inline]
    fn index(&self, i: usize) -> &T {
        let per = Self::per_chunk();
        &self.chunks[i / per][i % per]
    }
}

impl<T> std::ops::IndexMut<usize> for Rows<T> {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut T {
        let per = Self::per_chunk();
        &mut self.chunks[i / per][i % per]
    }
}

impl<T> FromIterator<T> for Rows<T> {
    fn from_iter<I: IntoIterator<Item = T>>(rows: I) -> Self {
        let mut r = Rows::default();
        r.extend(rows);
        r
    }
}

/// The rows of a [`Rows`] in order: a slice iterator over the current
/// chunk, moved to the next chunk when it runs out. (`Flatten` also keeps a
/// back iterator and checks it on every row, which cost the report's passes
/// a tenth of their time.)
#[derive(Clone)]
pub struct Iter<'a, T> {
    row: std::slice::Iter<'a, T>,
    chunks: std::slice::Iter<'a, Vec<T>>,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    #[inline]
    fn next(&mut self) -> Option<&'a T> {
        loop {
            if let Some(r) = self.row.next() {
                return Some(r);
            }
            self.row = self.chunks.next()?.iter();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.row.len() + self.chunks.clone().map(Vec::len).sum::<usize>();
        (n, Some(n))
    }

    #[inline]
    fn fold<B, F: FnMut(B, &'a T) -> B>(self, init: B, mut f: F) -> B {
        let mut acc = self.row.fold(init, &mut f);
        for c in self.chunks {
            acc = c.iter().fold(acc, &mut f);
        }
        acc
    }
}

impl<'a, T> IntoIterator for &'a Rows<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_pushed_many_at_a_time_are_found_by_index_across_chunks() {
        // 4-byte rows: 262,144 to a chunk.
        let per = CHUNK_BYTES / 4;
        let mut r: Rows<u32> = Rows::default();
        r.push_n(3, 7);
        r.push(1);
        // Fills the first chunk and starts the second, then past it.
        r.push_n(per, 9);
        r.push_n(per + 2, 5);
        let mut want = vec![7u32; 3];
        want.push(1);
        want.extend(vec![9; per]);
        want.extend(vec![5; per + 2]);
        assert_eq!(r.len(), want.len());
        assert_eq!(r.chunks.len(), 3);
        assert!((0..want.len()).all(|i| r[i] == want[i]));
        assert!(r.iter().eq(want.iter()));
        // Cut in the second chunk, grown and changed again: still found
        // by index.
        r.truncate(per + 3);
        r.push_n(2, 4);
        r[1] = 8;
        want.truncate(per + 3);
        want.extend([4, 4]);
        want[1] = 8;
        assert_eq!(r.len(), want.len());
        assert!((0..want.len()).all(|i| r[i] == want[i]));
        assert_eq!(r.last(), Some(&4));
        assert_eq!(r.get(per + 4), Some(&4));
        assert_eq!(r.get(want.len()), None);
    }

    #[test]
    fn rows_keep_order_across_chunks_and_truncate() {
        // 16-byte rows: 65,536 to a chunk.
        let per = CHUNK_BYTES / 16;
        let mut r: Rows<(u64, u64)> = Rows::default();
        for i in 0..(per * 2 + 10) as u64 {
            r.push((i, i * 2));
        }
        assert_eq!(r.len(), per * 2 + 10);
        assert_eq!(r.chunks.len(), 3);
        assert!(r
            .iter()
            .enumerate()
            .all(|(i, &(a, b))| a == i as u64 && b == a * 2));
        assert_eq!(r[per + 5], ((per + 5) as u64, (per as u64 + 5) * 2));
        // Summed through `fold` (chunk by chunk) and through `next`, from a
        // start part-way through the first chunk: 0 + 1 + … + (n − 1) less
        // the first three.
        let n = (per * 2 + 10) as u64;
        let want = n * (n - 1) / 2 - 3;
        let mut it = r.iter();
        it.nth(2);
        assert_eq!(it.size_hint(), (n as usize - 3, Some(n as usize - 3)));
        assert_eq!(it.clone().fold(0, |s, &(a, _)| s + a), want);
        let mut by_next = 0;
        for &(a, _) in it {
            by_next += a;
        }
        assert_eq!(by_next, want);
        // The slices, one per chunk, hold the rows in order.
        let lens: Vec<usize> = r.slices().map(<[_]>::len).collect();
        assert_eq!(lens, [per, per, 10]);
        assert!(r
            .slices()
            .flatten()
            .enumerate()
            .all(|(i, &(a, _))| a == i as u64));
        r.truncate(per + 1);
        assert_eq!(r.len(), per + 1);
        assert_eq!(r.chunks.len(), 2);
        assert_eq!(r.iter().last(), Some(&(per as u64, per as u64 * 2)));
        r.push((7, 7));
        assert_eq!(r[per + 1], (7, 7));
        r.truncate(0);
        assert!(r.is_empty());
        assert_eq!(r.iter().count(), 0);
    }

    #[test]
    fn growth_is_what_a_push_allocates() {
        let per = CHUNK_BYTES / 8;
        let mut r: Rows<u64> = Rows::default();
        // Nothing yet: one full chunk for `per` rows (the first starts
        // small, but the estimate is an upper bound).
        assert_eq!(r.growth_bytes(per), CHUNK_BYTES);
        for i in 0..per as u64 {
            r.push(i);
        }
        // Full: the next rows need new chunks of their own.
        assert_eq!(r.growth_bytes(1), CHUNK_BYTES);
        assert_eq!(r.growth_bytes(per + 1), 2 * CHUNK_BYTES);
        r.push(0);
        assert_eq!(r.growth_bytes(per - 1), 0);
    }
}
