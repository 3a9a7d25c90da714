// The engine runs here, off the main thread: files are streamed into it in
// chunks (never held whole as a string), and reports come back as objects.
// Requests are handled one after another, in the order they were sent.
import init, { Workbook } from "../pkg/pelacak.js";
import { previousRange } from "./dates.js";

const ready = init({ module_or_path: new URL("../pkg/pelacak_bg.wasm", import.meta.url) });
let wb = null;
const cancelled = new Set();
// Each file's Blob (a File is a handle on disk, not a copy in memory): a
// large file is typed while it streams and its text is not kept, so after a
// kind or mapping change the engine asks for it again (needsReread).
const sources = new Map();

async function book() {
  await ready;
  if (!wb) {
    wb = new Workbook();
    const win = Number(new URL(self.location.href).searchParams.get("window"));
    if (win > 0) wb.setWindowBytes(win);
  }
  return wb;
}

async function add({ rid, name, blob, url, kind }) {
  const w = await book();
  if (url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${name}: could not load (${res.status})`);
    blob = await res.blob();
  }
  const total = blob.size;
  const handle = w.beginFile(name, kind || undefined);
  const reader = blob.stream().getReader();
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (cancelled.has(rid)) {
      await reader.cancel();
      try {
        w.finishFile(handle, undefined);
      } catch {
        // A partial file may not parse; it is removed below either way.
      }
      w.removeFile(name);
      return { cancelled: true };
    }
    w.push(handle, value);
    read += value.byteLength;
    postMessage({ rid, progress: { read, total } });
  }
  w.finishFile(handle, undefined);
  sources.set(name, blob);
  await reread(w, rid);
  return { added: true };
}

/** Streams again every file the engine asks for (each keeps its place, kind and mapping). */
async function reread(w, rid) {
  // A file read again gives the same decisions: two rounds settle it.
  for (let round = 0; round < 2; round++) {
    const names = w.needsReread();
    if (!names.length) return;
    for (const name of names) {
      const blob = sources.get(name);
      if (!blob) throw new Error(`${name}: must be read again, but the file is no longer available; add it again`);
      const handle = w.beginFile(name, undefined);
      const reader = blob.stream().getReader();
      let read = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        w.push(handle, value);
        read += value.byteLength;
        if (rid !== undefined) postMessage({ rid, progress: { read, total: blob.size, name } });
      }
      w.finishFile(handle, undefined);
    }
  }
}

const hasFilters = (q) => Object.values(q.filters ?? {}).some((v) => v?.length);

async function report({ rid, query, compare }) {
  const w = await book();
  await reread(w, rid);
  const current = w.report(query);
  let previous = null;
  let base = current;
  if (compare && query.from && current.query.from && current.query.to) {
    const [from, to] = previousRange(current.query.from, current.query.to);
    try {
      previous = w.report({ ...query, from, to, asOf: to });
    } catch {
      previous = null;
    }
  }
  // The filter choices come from the unfiltered report.
  if (hasFilters(query)) {
    const { filters, ...rest } = query;
    base = w.report(rest);
  }
  const options = {};
  for (const [dim, key] of [
    ["rep", "byRep"],
    ["team", "byTeam"],
    ["region", "byRegion"],
    ["product", "byProduct"],
    ["source", "bySource"],
  ]) {
    options[dim] = base[key].map((b) => b.name).filter((n) => n !== null);
  }
  // "Today" of the unfiltered data, which the period presets count back from.
  return { report: current, previous, options, asOf: base.query.asOf };
}

async function handle(data) {
  const w = await book();
  switch (data.op) {
    case "add":
      return add(data);
    case "remove":
      sources.delete(data.name);
      return w.removeFile(data.name);
    case "setKind":
      return w.setKind(data.name, data.kind || undefined);
    case "setMapping":
      return w.setMapping(data.name, data.column, data.header ?? undefined);
    case "report":
      return report(data);
    case "reportJson":
      await reread(w, data.rid);
      return w.reportJson(data.query);
    case "fileNames":
      return w.fileNames();
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
  queue = queue.then(async () => {
    try {
      postMessage({ rid: data.rid, ok: true, result: await handle(data) });
    } catch (e) {
      postMessage({ rid: data.rid, ok: false, message: e?.message ?? String(e) });
    }
  });
};
