// The engine runs here, off the main thread: files are streamed into it in
// chunks (never held whole as a string), and reports come back as objects.
import init, { Workbook } from "../pkg/pelacak.js";

const ready = init({ module_or_path: new URL("../pkg/pelacak_bg.wasm", import.meta.url) });
let wb = null;
let cancelled = new Set();

async function stream(id, name, blob, kind) {
  await ready;
  wb ??= new Workbook();
  const total = blob.size;
  const handle = wb.beginFile(name);
  const reader = blob.stream().getReader();
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (cancelled.has(id)) {
      await reader.cancel();
      wb.finishFile(handle, undefined);
      wb.removeFile(name);
      postMessage({ type: "cancelled", id, name });
      return;
    }
    wb.push(handle, value);
    read += value.byteLength;
    postMessage({ type: "progress", id, name, read, total });
  }
  try {
    wb.finishFile(handle, kind);
    postMessage({ type: "added", id, name });
  } catch (e) {
    postMessage({ type: "file-error", id, name, message: e.message });
  }
}

// Files are added one after another, in the order they were sent, so the
// report lists them in a stable order whatever finishes loading first.
let queue = Promise.resolve();
onmessage = ({ data }) => {
  if (data.type === "cancel") {
    cancelled.add(data.id);
    return;
  }
  queue = queue.then(() => handle(data));
};

async function handle(data) {
  try {
    switch (data.type) {
      case "add":
        await stream(data.id, data.name, data.blob, data.kind);
        break;
      case "add-url": {
        const res = await fetch(new URL(data.url, data.base));
        if (!res.ok) throw new Error(`${data.name}: could not load (${res.status})`);
        await stream(data.id, data.name, await res.blob(), data.kind);
        break;
      }
      case "report": {
        await ready;
        wb ??= new Workbook();
        postMessage({ type: "report", seq: data.seq, report: wb.report(data.query) });
        break;
      }
    }
  } catch (e) {
    postMessage({ type: "error", message: e.message ?? String(e), id: data.id });
  }
}
