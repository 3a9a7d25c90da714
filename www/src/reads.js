// Reads a Blob (a handle on a file on disk) in slices, with reads in
// flight. A read of a slice waits on the browser's own process; one at a
// time, those waits add up (with both cores busy a 4 MiB read took ~30 ms),
// so the next reads are asked for before the current slice is used.

/**
 * The slices of `blob` in order, as ArrayBuffers: the first `first` bytes,
 * then each twice the last up to `size`, with `inFlight` reads asked for
 * ahead. Used by the engine's worker (feed.js) and the helper
 * (tokenise-worker.js).
 */
export async function* slices(blob, { size, first = size, inFlight = 2 }) {
  const reads = [];
  let asked = 0;
  let next = first;
  const ask = () => {
    while (reads.length < inFlight && asked < blob.size) {
      const r = blob.slice(asked, asked + next).arrayBuffer();
      // Awaited in turn; one left behind by a cancel or an error is not reported.
      r.catch(() => {});
      reads.push(r);
      asked += next;
      next = Math.min(size, next * 2);
    }
  };
  ask();
  while (reads.length > 0) {
    const buf = await reads.shift();
    ask();
    yield buf;
  }
}
