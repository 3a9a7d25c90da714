// A helper of the engine's worker: reads one large text file and tokenises
// it into windows of records (the engine's own Tokeniser, in its own
// instance of the core module), which it sends to the engine's worker to be
// typed. Reading and tokenising here while the engine types there puts a
// second core to work. The engine's worker grants credit, a window each;
// without credit this worker stops reading, so windows never pile up in
// memory faster than they are typed. The engine's worker ends this worker
// when the file is done or cancelled (its wasm memory never shrinks).
import init, { Tokeniser } from "../pkg/pelacak_core.js";
import { slices } from "./reads.js";

// The engine's worker sends its compiled core module with each file; the
// first one instantiates it (or, without one, this worker loads its own).
let ready = null;
function start(module) {
  ready ??= init({ module_or_path: module ?? new URL("../pkg/pelacak_core_bg.wasm", import.meta.url) });
  return ready;
}

/** Bytes read from the file at a time (after the first, smaller reads). */
const CHUNK = 16 << 20;
/** Reads of the file in flight at once. */
const READS = 2;
/** Bytes given to the tokeniser at a time. */
const PIECE = 4 << 20;

let credit = 0;
let wake = null;
/**
 * Buffers the engine's worker sent back once it typed their windows, for
 * the next windows to be written into: a new buffer a window costs fresh
 * memory page by page and leaves garbage behind (see docs/performance.md,
 * twenty-first session). Never more than a few credits' worth.
 */
let pool = [];
const POOL_MAX = 32;

function nudge() {
  const w = wake;
  wake = null;
  w?.();
}

/** Waits until `n` windows may be sent. */
async function granted(n) {
  while (credit < n) await new Promise((r) => (wake = r));
}

async function send(id, windows, read, done, limit) {
  // A batch larger than the whole grant waits for the whole grant only.
  await granted(Math.min(windows.length, limit));
  credit -= windows.length;
  // With the last windows, this worker's own wasm memory (for benchmarks).
  const wasmBytes = done ? (await ready).memory.buffer.byteLength : undefined;
  postMessage(
    { id, windows, read, done, wasmBytes },
    windows.map((w) => w.buffer),
  );
}

async function run({ id, blob, windowBytes, credit: grant, module }) {
  credit = grant;
  let tk = null;
  try {
    await start(module);
    tk = new Tokeniser(windowBytes || undefined);
    let read = 0;
    // Two 16 MiB reads in flight (see reads.js). The first read is the
    // first window and a little more, so it is tokenised and sent while
    // the next is still being read. (It was 1 MiB, then 2 and 4: the
    // window waited on three reads one after another, each a round trip
    // to the browser's own process; in one read the 1M file took 0.76–0.84
    // s against 0.81–0.86, three alternations of five runs.)
    const first = (windowBytes || CHUNK) + (1 << 20);
    for await (const buf of slices(blob, { first, size: CHUNK, inFlight: READS })) {
      const bytes = new Uint8Array(buf);
      // Into the tokeniser a few MiB at a time: it copies what it is given
      // into this worker's wasm memory, which keeps its largest for good.
      for (let at = 0; at < bytes.length; at += PIECE) {
        const piece = bytes.subarray(at, at + PIECE);
        read += piece.length;
        await send(id, tk.push(piece, pool), read, false, grant);
      }
    }
    const last = tk.finish(pool);
    await send(id, last, read, true, grant);
  } catch (e) {
    // A file the text reader refuses is an ordinary error. A module that
    // did not start, or a trap (out of memory: the instance may be left
    // broken), is fatal: the engine's worker ends this worker and starts
    // another for the next file.
    const fatal = !ready || e instanceof WebAssembly.RuntimeError || (await ready.then(() => false, () => true));
    postMessage({ id, error: e?.message ?? String(e), fatal });
  } finally {
    pool = [];
    try {
      tk?.free();
    } catch {
      // Already consumed by a failed call.
    }
  }
}

let jobs = Promise.resolve();
onmessage = ({ data }) => {
  if (data.credit !== undefined && data.id === undefined) {
    credit += data.credit;
    for (const b of data.buffers ?? []) if (pool.length < POOL_MAX) pool.push(new Uint8Array(b));
    nudge();
  } else {
    jobs = jobs.then(() => run(data));
  }
};
