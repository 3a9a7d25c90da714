// Streams a file (a Blob: a handle on disk, never read whole) into a
// Workbook. A file larger than the first window is typed while it streams;
// a file of several windows is read and tokenised by a helper worker
// (tokenise-worker.js) while this worker types the windows it sends, so two
// cores share the work.
// Where the helper cannot help (no nested workers, a file its text reader
// refuses, a window that does not decode), the file is read here instead,
// in 4 MiB slices, with the same result byte for byte.

import { slices } from "./reads.js";

/** Slices read from a file at a time (two in flight): few crossings into wasm, little memory. */
const CHUNK = 4 << 20;
/** The engine's first window (WINDOW_BYTES): smaller files are kept as text. */
const WINDOW = 16 << 20;
/**
 * Files of at least this many first windows (64 MiB) are tokenised by the
 * helper. A smaller one does not win back the helper's start (a worker, an
 * instance, the engine idle until the first window is tokenised): measured
 * on an 18 MB leads file, reading it here took 34 ms, tokenising it alone
 * in the helper 46 ms.
 */
const HELPER_WINDOWS = 4;
/**
 * The first window of a file the helper reads. The engine's worker waits
 * for it: a 16 MiB first window kept it idle ~200 ms at the start of a
 * large file (the helper starting, reading 16 MiB and tokenising it on
 * code not yet optimised); with 4 MiB, ~100 ms. The first window decides
 * each column's style, but only until the file ends: if later rows call
 * for another decision, the file is read again (see docs/decisions.md).
 */
const HELPER_FIRST = 4 << 20;
/** Windows the helper may send ahead of the typing (each about 1 MiB). */
const CREDIT = 16;

const FALLBACK = Symbol("fallback");

let helper = null;
/** The job the helper is working for: told when the helper dies. */
let current = null;

function tokeniser() {
  if (helper === null) {
    try {
      helper = new Worker(new URL("./tokenise-worker.js", import.meta.url), { type: "module" });
      // A helper that fails to start (or dies) is not tried again.
      helper.onerror = (e) => {
        e.preventDefault?.();
        helper?.terminate?.();
        helper = false;
        current?.();
      };
    } catch {
      helper = false;
    }
  }
  return helper || null;
}

let jobs = 0;

/** Compiles a wasm file as it downloads (or, served with another type, from its bytes). */
export async function compileWasm(url) {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not load the engine (${res.status})`);
    return WebAssembly.compile(await res.arrayBuffer());
  }
}

/**
 * Streams `blob` as file `name` into workbook `w` (`beginFile` … `finishFile`).
 * Options: `windowBytes` (the workbook's first window, when set lower),
 * `onProgress(read, total)`, `onRows(rows, of)` (a spreadsheet's rows as its
 * cells are read, `of` undefined when the sheet does not say), `isCancelled()`, `helper: false` to read here,
 * `onWindow()` called for each window the helper sent, `onHelperMemory(bytes)`
 * with the helper's wasm memory once it finished the file, `module`: the core
 * module compiled (or a promise of it) for the helper to instantiate.
 * Resolves true when added, false when cancelled (the file is then removed);
 * rejects with the engine's error for a file it cannot read.
 */
export async function streamBlob(w, name, blob, kind, opts = {}) {
  const window = opts.windowBytes || WINDOW;
  if (blob.size >= HELPER_WINDOWS * window && opts.helper !== false) {
    const h = tokeniser();
    if (h) {
      const module = await Promise.resolve(opts.module).catch(() => undefined);
      const r = await viaHelper(h, w, name, blob, kind, Math.min(window, HELPER_FIRST), module, opts);
      if (r !== FALLBACK) return r;
    }
  }
  return direct(w, name, blob, kind, opts);
}

/** A cancelled file is finished (it may not parse) and removed. */
function drop(w, handle, name) {
  try {
    w.finishFile(handle, undefined);
  } catch {
    // A partial file may not parse; it is removed either way.
  }
  w.removeFile(name);
  return false;
}

function viaHelper(h, w, name, blob, kind, windowBytes, module, { onProgress, isCancelled, onWindow, onHelperMemory }) {
  const handle = w.beginFile(name, kind || undefined);
  const id = ++jobs;
  return new Promise((resolve, reject) => {
    const end = (settle, value) => {
      h.onmessage = null;
      current = null;
      settle(value);
    };
    const fallback = () => {
      w.abandonFile(handle);
      end(resolve, FALLBACK);
    };
    current = fallback;
    h.onmessage = ({ data }) => {
      if (data.id !== id) return;
      if (data.error) {
        if (data.fatal) retire(h);
        return fallback();
      }
      try {
        for (const win of data.windows) {
          w.pushWindow(handle, win);
          onWindow?.();
        }
      } catch (e) {
        retire(h);
        if (/malformed window/.test(e?.message)) return fallback();
        w.abandonFile(handle);
        return end(reject, e);
      }
      onProgress?.(data.read, blob.size);
      if (data.done) {
        if (data.wasmBytes) onHelperMemory?.(data.wasmBytes);
        // Its wasm memory (the first window's 16 MiB and more) never
        // shrinks: the helper is ended with its file, the next large file
        // starts a new one (the compiled module is shared, so that is quick).
        retire(h);
        try {
          w.finishFile(handle, undefined);
          end(resolve, true);
        } catch (e) {
          end(reject, e);
        }
        return;
      }
      if (isCancelled?.()) {
        retire(h);
        return end(resolve, drop(w, handle, name));
      }
      // The windows' buffers go back for the next windows to be written
      // into (their bytes are in the engine's memory now).
      const buffers = data.windows.map((win) => win.buffer);
      h.postMessage({ credit: data.windows.length, buffers }, buffers);
    };
    try {
      h.postMessage({ id, blob, windowBytes, credit: CREDIT, module });
    } catch {
      // A module that cannot be sent: the helper loads its own.
      try {
        h.postMessage({ id, blob, windowBytes, credit: CREDIT });
      } catch {
        fallback();
      }
    }
  });
}

/** Ends a helper that cannot go on; the next large file starts a new one. */
function retire(h) {
  h.terminate();
  if (helper === h) helper = null;
}

/**
 * Reads the file here, the next slice read while the current one is parsed.
 * A spreadsheet's cells are read once its last byte is in (seconds at a
 * million rows): `onRows(rows, of)` is told its rows as they are read.
 */
async function direct(w, name, blob, kind, { onProgress, isCancelled, onRows }) {
  const handle = w.beginFile(name, kind || undefined);
  let read = 0;
  for await (const buf of slices(blob, { size: CHUNK })) {
    if (isCancelled?.()) return drop(w, handle, name);
    read += buf.byteLength;
    w.push(handle, new Uint8Array(buf));
    onProgress?.(read, blob.size);
  }
  w.finishFile(handle, undefined, onRows);
  return true;
}
