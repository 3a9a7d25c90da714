// The engine runs here, off the main thread: files are streamed into it in
// chunks (never held whole as a string), and reports come back as objects.
// Requests are handled one after another, in the order they were sent.
import initCore, { Workbook as CoreWorkbook, Tokeniser as CoreTokeniser } from "../pkg/pelacak_core.js";
import { previousRange } from "./dates.js";
import { compileWasm, streamBlob } from "./feed.js";
import { ReportMemo } from "./memo.js";
import { warmUp, warmUpMore } from "./warmup.js";

// The page starts on the core module: no spreadsheet reader, a quarter less
// to download and compile. The first .xlsx file loads the full module, and
// the workbook is rebuilt in it from the files and overrides so far.
// It is compiled once: the helper worker that tokenises large files gets
// the compiled module rather than compiling its own copy.
const coreModule = compileWasm(new URL("../pkg/pelacak_core_bg.wasm", import.meta.url));
let engine = coreModule
  .then((module) => initCore({ module_or_path: module }))
  .then(() => {
    warmReport = warmUp(CoreWorkbook);
    return CoreWorkbook;
  });
// The warm-up's report on its made-up rows, for the page to draw off screen.
let warmReport = null;
// Requests received: the longer warm-up runs only until the first one.
let requests = 0;
// While nothing is asked of it, the engine warms up on more made-up rows
// (see warmUpMore): a million deals read afterwards took 1.20 → 1.02 s in
// the bench's browser runs (the medians of five alternations). It starts a
// moment after the engine is ready: a step under way when a file arrives
// delays the file by up to a step, and the sample clicked at once after the
// page loaded was drawn no sooner with it.
const WARM_AFTER_MS = 500;
engine
  .then((Workbook) => new Promise((resolve) => setTimeout(() => resolve(Workbook), WARM_AFTER_MS)))
  .then((Workbook) => warmUpMore(Workbook, () => requests > 0, CoreTokeniser))
  .catch(() => {});
let full = false;
let wb = null;
const cancelled = new Set();
// Each file's Blob (a File is a handle on disk, not a copy in memory) and
// kind: a large file is typed while it streams and its text is not kept, so
// after a kind or mapping change the engine asks for it again (needsReread).
const sources = new Map();
// Kind and mapping overrides per file, in the order made (for a rebuild).
const overrides = new Map();

/** The first window's size when the page's URL lowers it (tests), else undefined. */
function windowParam() {
  const win = Number(new URL(self.location.href).searchParams.get("window"));
  return win > 0 ? win : undefined;
}

function fresh(Workbook) {
  const w = new Workbook();
  const win = windowParam();
  if (win) w.setWindowBytes(win);
  return w;
}

async function book() {
  const Workbook = await engine;
  wb ??= fresh(Workbook);
  return wb;
}

const isZip = async (blob) => {
  const b = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
  return b.length === 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 3 && b[3] === 4;
};

/** Loads the full module and rebuilds the workbook in it. */
async function loadFull() {
  const mod = await import("../pkg/pelacak.js");
  await mod.default({ module_or_path: new URL("../pkg/pelacak_bg.wasm", import.meta.url) });
  engine = Promise.resolve(mod.Workbook);
  full = true;
  wb?.free();
  wb = fresh(mod.Workbook);
  for (const [name, { blob, kind }] of sources) {
    try {
      await stream(wb, name, blob, kind);
    } catch {
      // An unreadable file stays listed with its error, as before.
    }
  }
  for (const [name, ops] of overrides) for (const apply of ops) apply(wb, name);
}

/**
 * Streams a Blob into the workbook (see feed.js: a large file is tokenised
 * by a helper worker while this one types); false when cancelled.
 */
function stream(w, name, blob, kind, rid) {
  return streamBlob(w, name, blob, kind, {
    windowBytes: windowParam(),
    isCancelled: () => rid !== undefined && cancelled.has(rid),
    onProgress: (read, total) => {
      if (rid !== undefined) postMessage({ rid, progress: { read, total, name } });
    },
    onRows: (rows, of) => {
      if (rid !== undefined) postMessage({ rid, progress: { read: blob.size, total: blob.size, name, rows, of } });
    },
    onWindow: () => helperWindows++,
    module: coreModule,
  });
}

// Windows the helper worker tokenised for this worker so far: a request's
// answer says how many it added (the browser tests check the helper works).
let helperWindows = 0;

async function add({ rid, name, blob, url, kind, fetched }) {
  if (url) {
    const res = await (fetched ?? fetch(url));
    if (!res.ok) throw new Error(`${name}: could not load (${res.status})`);
    blob = await res.blob();
  }
  if (!full && (await isZip(blob))) await loadFull();
  const w = await book();
  sources.set(name, { blob, kind });
  overrides.delete(name);
  let ok;
  try {
    ok = await stream(w, name, blob, kind, rid);
  } catch (e) {
    await reread(w, rid);
    throw e;
  }
  if (!ok) {
    sources.delete(name);
    return { cancelled: true };
  }
  await reread(w, rid);
  return { added: true, helperWindows };
}

/** Streams again every file the engine asks for (each keeps its place, kind and mapping). */
async function reread(w, rid) {
  // A file read again gives the same decisions: two rounds settle it.
  for (let round = 0; round < 2; round++) {
    const names = w.needsReread();
    if (!names.length) return;
    for (const name of names) {
      const src = sources.get(name);
      if (!src) throw new Error(`${name}: must be read again, but the file is no longer available; add it again`);
      await stream(w, name, src.blob, undefined, rid);
    }
  }
}

function override(name, apply) {
  const w = wb;
  apply(w, name);
  overrides.set(name, [...(overrides.get(name) ?? []), apply]);
}

const hasFilters = (q) => Object.values(q.filters ?? {}).some((v) => v?.length);

// The filter choices and "today" come from the unfiltered report: its
// groups (every group of the files, listed whatever the range, with zeros
// where none of its deals counts) and its last event. Neither depends on the
// range, the series' granularity, the fiscal year or the target, so they are
// kept until the files or the currency change: a filter or range change then
// costs a report and the previous range's summary. (The key held the range
// too: with a filter set, each new range asked for a whole unfiltered report
// of it for the same choices, ~50 ms for a quarter at a million deals.) Any
// change to the files clears it.
let choices = null;
// Reports already worked out since the files last changed, by query (see
// memo.js): at most six, and no more than 30 MB of stalled deals' lists in
// all. A report's list is its JSON text (`reportForTransfer`: ~140 bytes a
// stalled deal, where as objects it took ~340 in Node's heap), posted to the
// page as one string and read there when shown. At a million deals a report
// lists ~7,300 (1 MB): six fit, so a few ranges do not push the whole
// data's report out (going back to "All data" after a quarter is a lookup).
// At five million deals about six fit; at fifteen million, two.
const memo = new ReportMemo({ count: 6, budget: 30_000_000, weigh: (r) => 1_000 + (r?.pipeline?.stalled?.length ?? 0) });
const reportOf = (w, query) => memo.get(query, (q) => w.reportForTransfer(q));

function choicesOf(base, key) {
  const options = {};
  for (const [dim, k] of [
    ["rep", "byRep"],
    ["team", "byTeam"],
    ["region", "byRegion"],
    ["product", "byProduct"],
    ["source", "bySource"],
  ]) {
    options[dim] = base[k].map((b) => b.name).filter((n) => n !== null);
  }
  return { key, options, asOf: base.query.asOf };
}

// The tiles compare the summary alone: the engine's `summary` works out the
// figures and hands over a few hundred bytes, where a whole report at a
// million deals is two megabytes and its stalled deals' list (a quarter's
// comparison there: 36 ms as a whole report, 27 ms as its summary; on the
// full demo set 29 → 10 ms). Summaries are small: a few dozen are kept,
// beside the reports.
const summaries = new ReportMemo({ count: 24 });

// The headline figures ({query, summary}) for the range of equal length
// before the query's, for the tiles' comparison; `from`/`to` are the current
// report's resolved range. A whole report kept for it is used as it is.
function previousOf(w, query, from, to) {
  const [pFrom, pTo] = previousRange(from, to);
  const q = { ...query, from: pFrom, to: pTo, asOf: pTo };
  try {
    const kept = memo.peek(q);
    if (kept) return { query: kept.query, summary: kept.summary };
    return summaries.get(q, (x) => w.summary(x));
  } catch {
    return null;
  }
}

async function report({ rid, query, compare }) {
  const w = await book();
  await reread(w, rid);
  const current = reportOf(w, query);
  let previous = null;
  if (compare && query.from && current.query.from && current.query.to) {
    previous = previousOf(w, query, current.query.from, current.query.to);
  }
  const { filters, from, to, granularity, fiscalYearStartMonth, target, ...rest } = query;
  const key = JSON.stringify(rest);
  if (choices?.key !== key) {
    // The unfiltered report of the whole range: the page's first report
    // (its fields in the page's order, so the memo finds it).
    const unfiltered = hasFilters(query) || from || to ? reportOf(w, { granularity, fiscalYearStartMonth, ...rest }) : current;
    choices = choicesOf(unfiltered, key);
  }
  // "Today" of the unfiltered data, which the period presets count back from.
  return { report: current, previous, options: choices.options, asOf: choices.asOf };
}

const READS = new Set(["report", "previous", "reportJson", "fileNames", "warmReport"]);

async function handle(data) {
  const w = await book();
  if (!READS.has(data.op)) {
    choices = null;
    memo.clear();
    summaries.clear();
  }
  switch (data.op) {
    case "add":
      return add(data);
    case "remove":
      sources.delete(data.name);
      overrides.delete(data.name);
      return w.removeFile(data.name);
    case "setKind": {
      const kind = data.kind || undefined;
      // A kind clears the file's mapping overrides, in the engine as here.
      overrides.delete(data.name);
      return override(data.name, (b, n) => b.setKind(n, kind));
    }
    case "setMapping": {
      const header = data.header ?? undefined;
      return override(data.name, (b, n) => b.setMapping(n, data.column, header));
    }
    case "report":
      return report(data);
    case "previous":
      await reread(w, data.rid);
      return previousOf(w, data.query, data.from, data.to);
    case "reportJson":
      await reread(w, data.rid);
      return w.reportJson(data.query);
    case "fileNames":
      return w.fileNames();
    case "warmReport":
      return warmReport;
    default:
      throw new Error(`unknown request ${data.op}`);
  }
}

let queue = Promise.resolve();
onmessage = ({ data }) => {
  if (data.op === "cancel") {
    cancelled.add(data.target);
    return;
  }
  // Asking for the warm-up's report is part of the page's own warm-up.
  if (data.op !== "warmReport") requests++;
  // Files named by URL (the sample) are fetched at once, side by side; they
  // are still added in the order sent.
  if (data.op === "add" && data.url) {
    data.fetched = fetch(data.url);
    data.fetched.catch(() => {});
  }
  queue = queue.then(async () => {
    try {
      postMessage({ rid: data.rid, ok: true, result: await handle(data) });
    } catch (e) {
      postMessage({ rid: data.rid, ok: false, message: e?.message ?? String(e) });
    }
  });
};
