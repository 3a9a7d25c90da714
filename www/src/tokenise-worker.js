// A helper of the engine's worker: reads one large text file and tokenises
// it into windows of records (the engine's own Tokeniser, in its own
// instance of the core module), which it sends to the engine's worker to be
// typed. Reading and tokenising here while the engine types there puts a
// second core to work. Typing is the longer job, so this worker types
// windows too: the engine's worker grants credit, a window each, and while
// it has its fill (no credit) this worker types the next window itself and
// sends it as a part (`PartTyper`), which the engine's worker takes in in
// the window's place (see src/tables/part.rs). This worker stops reading
// while it holds QUEUE_BYTES of windows, so neither worker's memory fills
// faster than the work is done. The engine's worker ends this worker when
// the file is done or cancelled (its wasm memory never shrinks).
import init, { PartTyper, Tokeniser } from "../pkg/pelacak_core.js";

// The engine's worker sends its compiled core module with each file; the
// first one instantiates it (or, without one, this worker loads its own).
let ready = null;
function start(module) {
  ready ??= init({ module_or_path: module ?? new URL("../pkg/pelacak_core_bg.wasm", import.meta.url) });
  return ready;
}

/** Bytes read from the file at a time. */
const CHUNK = 16 << 20;
/** Reads of the file in flight at once. */
const READS = 2;
/** Bytes given to the tokeniser at a time. */
const PIECE = 4 << 20;

let credit = 0;
let wake = null;

function nudge() {
  const w = wake;
  wake = null;
  w?.();
}

/**
 * Tokenised windows this worker holds (not yet sent or typed) before it
 * stops reading: a few chunks' worth, so it always has a window to type.
 */
const QUEUE_BYTES = 24 << 20;

/** Lets the messages waiting (credit) be handled. */
const channel = new MessageChannel();
function breathe() {
  return new Promise((r) => {
    channel.port1.onmessage = () => r();
    channel.port2.postMessage(null);
  });
}

async function run({ id, blob, windowBytes, credit: grant, module, plan }) {
  credit = grant;
  let tk = null;
  let typer = null;
  try {
    await start(module);
    tk = new Tokeniser(windowBytes || undefined);
    // Windows in file order: { seq, win, read (the bytes read when it was
    // cut, for the progress), last (the file's last: the engine's to type) }.
    const queue = [];
    let queued = 0;
    let seq = 0;
    const add = (windows, read, last) => {
      for (const win of windows) {
        if (seq === 0 && plan && !last) {
          try {
            typer = PartTyper.start(plan, win) ?? null;
          } catch {
            // A first window the typer cannot take: the engine's worker types them all.
          }
        }
        queue.push({ seq: seq++, win, read, last });
        queued += win.byteLength;
      }
    };
    let read = 0;
    // Reads in flight: a read of a file's slice waits on the browser's
    // other processes, and one at a time the waits add up (on two busy
    // cores, 4 MiB took ~30 ms where three in flight take ~10). The first
    // reads are smaller, so the first window is tokenised and sent while
    // the rest of it is still being read.
    const inflight = [];
    let asked = 0;
    let size = 1 << 20;
    const ask = () => {
      while (inflight.length < READS && asked < blob.size) {
        const r = { buf: null, error: null };
        r.settled = blob
          .slice(asked, asked + size)
          .arrayBuffer()
          .then(
            (b) => (r.buf = b),
            (e) => (r.error = e),
          );
        inflight.push(r);
        asked += size;
        size = Math.min(CHUNK, size * 2);
      }
    };
    ask();
    // The slice read and not yet all tokenised.
    let bytes = null;
    let finished = false;
    for (;;) {
      const front = inflight[0];
      if (credit > 0 && queue.length > 0) {
        // The front windows, as many as the credit allows.
        const batch = queue.splice(0, Math.min(credit, queue.length));
        credit -= batch.length;
        for (const b of batch) queued -= b.win.byteLength;
        const windows = batch.map((b) => b.win);
        const at = batch.at(-1).read;
        // Their numbers: not always consecutive, the file's last windows
        // wait here while the ones before them are typed.
        const seqs = batch.map((b) => b.seq);
        postMessage({ id, seqs, windows, read: at }, windows.map((w) => w.buffer));
      } else if (bytes && queued < QUEUE_BYTES) {
        // Into the tokeniser a few MiB at a time: each piece is copied into
        // this worker's wasm memory, which keeps its largest for good.
        const piece = bytes.subarray(0, PIECE);
        bytes = piece.length < bytes.length ? bytes.subarray(PIECE) : null;
        read += piece.length;
        add(tk.push(piece), read, false);
      } else if (!bytes && front && (front.buf || front.error)) {
        inflight.shift();
        if (front.error) throw front.error;
        ask();
        bytes = new Uint8Array(front.buf);
      } else if (!front && !bytes && !finished) {
        finished = true;
        add(tk.finish(), read, true);
        tk.free();
        tk = null;
      } else if (typer && typeable(queue) >= 0) {
        // The engine's worker has its fill of windows (no credit) and the
        // next slice of the file is still on its way: the next window the
        // engine's worker would need is typed here. So each worker types
        // as much as it can, and a part is at most the credit's windows
        // ahead of the engine's worker.
        const [b] = queue.splice(typeable(queue), 1);
        queued -= b.win.byteLength;
        const part = typer.part(b.win);
        postMessage({ id, seq: b.seq, part, read: b.read }, [part.buffer]);
        await breathe();
      } else if (finished && queue.length === 0) {
        break;
      } else {
        // Credit, or the next slice of the file.
        await new Promise((r) => {
          wake = r;
          if (front && queued < QUEUE_BYTES) front.settled.then(r);
        });
      }
    }
    const wasmBytes = (await ready).memory.buffer.byteLength;
    postMessage({ id, done: true, total: seq, read, wasmBytes });
  } catch (e) {
    // A file the text reader refuses is an ordinary error. A module that
    // did not start, or a trap (out of memory: the instance may be left
    // broken), is fatal: the engine's worker ends this worker and starts
    // another for the next file.
    const fatal = !ready || e instanceof WebAssembly.RuntimeError || (await ready.then(() => false, () => true));
    postMessage({ id, error: e?.message ?? String(e), fatal });
  } finally {
    for (const x of [tk, typer]) {
      try {
        x?.free();
      } catch {
        // Already consumed by a failed call.
      }
    }
  }
}

/** The index of the queue's first window a part may be typed of, or -1. */
function typeable(queue) {
  // Not the file's first window (it decides the columns, in the engine's
  // worker) nor its last ones (they end the table there).
  return queue.findIndex((b) => !b.last && b.seq > 0);
}

let jobs = Promise.resolve();
onmessage = ({ data }) => {
  if (data.credit !== undefined && data.id === undefined) {
    credit += data.credit;
    nudge();
  } else {
    jobs = jobs.then(() => run(data));
  }
};
