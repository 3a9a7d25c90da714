// The main thread's handle on the engine worker: every call is a promise,
// answered in the order sent. Nothing here computes a figure.

export class Engine {
  constructor() {
    const url = new URL("./worker.js", import.meta.url);
    // `?window=BYTES` on the page lowers the size from which a file is typed
    // while it streams (default 16 MiB), to try large-file behaviour on small files.
    const win = new URLSearchParams(globalThis.location?.search ?? "").get("window");
    if (win && /^\d+$/.test(win)) url.searchParams.set("window", win);
    this.worker = new Worker(url, { type: "module" });
    this.next = 1;
    this.waiting = new Map();
    this.worker.onmessage = ({ data }) => {
      const w = this.waiting.get(data.rid);
      if (!w) return;
      if (data.progress) {
        w.onProgress?.(data.progress);
        return;
      }
      this.waiting.delete(data.rid);
      if (data.ok) w.resolve(data.result);
      else w.reject(new Error(data.message));
    };
    this.worker.onerror = (e) => {
      for (const w of this.waiting.values()) w.reject(new Error(e.message || "the engine could not start"));
      this.waiting.clear();
    };
  }

  call(msg, onProgress) {
    const rid = this.next++;
    const p = new Promise((resolve, reject) => this.waiting.set(rid, { resolve, reject, onProgress }));
    p.rid = rid;
    this.worker.postMessage({ ...msg, rid });
    return p;
  }

  /** Streams a Blob (or a URL) into the workbook; resolves to {added} or {cancelled}. */
  add(name, source, { kind, onProgress } = {}) {
    const msg = source instanceof Blob ? { op: "add", name, blob: source, kind } : { op: "add", name, url: String(source), kind };
    return this.call(msg, onProgress);
  }

  cancel(promise) {
    this.worker.postMessage({ op: "cancel", target: promise.rid });
  }

  remove(name) {
    return this.call({ op: "remove", name });
  }

  setKind(name, kind) {
    return this.call({ op: "setKind", name, kind });
  }

  setMapping(name, column, header) {
    return this.call({ op: "setMapping", name, column, header });
  }

  /** {report, previous, options}: the report, the previous range of equal length's `{ query, summary }`, the filter choices. */
  async report(query, compare = true, onProgress) {
    const answer = await this.call({ op: "report", query, compare }, onProgress);
    withStalledList(answer.report);
    return answer;
  }

  /**
   * The headline figures (`{ query, summary }`, the engine's `summary`) of
   * the range of equal length before `report`'s (the one `query` gave), or
   * null: asked for after the report is shown, so a filter or range change
   * shows its figures without waiting for the comparison.
   */
  previous(query, report) {
    return this.call({ op: "previous", query, from: report.query.from, to: report.query.to });
  }

  /** The engine's warm-up report on made-up rows (null if it failed), to draw off screen. */
  warmReport() {
    return this.call({ op: "warmReport" });
  }

  reportJson(query) {
    return this.call({ op: "reportJson", query });
  }

  terminate() {
    this.worker.terminate();
  }
}

/**
 * Gives a report posted by the worker its stalled deals' list back: the
 * worker posts the list as its JSON text (the engine's `reportForTransfer`),
 * one string copied whole, where ~7,000 objects at a million deals took
 * 16–22 ms to rebuild here before the page could draw a tile. The list is
 * read the first time `pipeline.stalled` is (the stalled deals' table, an
 * export, a listener of the `report` event), and is then the list `report`
 * gives, field for field. A list read lately is not read again (going back
 * to a filter or range shown before: the worker posts the same text, and
 * reading it took ~7 ms at a million deals).
 */
export function withStalledList(report) {
  const pipeline = report?.pipeline;
  if (typeof pipeline?.stalled !== "string") return report;
  const text = pipeline.stalled;
  let list;
  Object.defineProperty(pipeline, "stalled", {
    enumerable: true,
    configurable: true,
    get: () => (list ??= readList(text)),
  });
  return report;
}

// The lists read last, by their text: a few, since each holds thousands of
// objects. (A long string's key is found by its length and then compared.)
const lists = new Map();
const LISTS_KEPT = 3;

function readList(text) {
  let list = lists.get(text);
  if (list) lists.delete(text);
  else list = JSON.parse(text);
  lists.set(text, list);
  for (const k of lists.keys()) {
    if (lists.size <= LISTS_KEPT) break;
    lists.delete(k);
  }
  return list;
}
