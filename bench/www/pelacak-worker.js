// Pelacak in a module worker, as the page runs it: each File is streamed into the wasm
// Workbook by the page's own feed.js (a file above the first window is read and tokenised
// by a helper worker while this one types; `helper: false` reads every file here, in slices
// of 4 MiB, two reads in flight), then one `report({})`
// with every default. The core module, the one the page starts with for text files,
// warmed up on made-up rows as the page's worker does while idle.
import init, { Workbook, Tokeniser } from "/pkg/pelacak_core.js";
import { compileWasm, streamBlob } from "/src/feed.js";
import { warmUp, warmUpMore } from "/src/warmup.js";

let wasm;
let module;
try {
  // Compiled once, as the page does: the helper worker instantiates the same module.
  module = await compileWasm("/pkg/pelacak_core_bg.wasm");
  wasm = await init({ module_or_path: module });
  // The page's worker reports on a few made-up rows when it starts, then
  // on more while it has nothing to do (see www/src/warmup.js): part of
  // start-up here too.
  warmUp(Workbook);
  await warmUpMore(Workbook, undefined, Tokeniser);
  postMessage({ ready: true });
} catch (e) {
  postMessage({ ready: false, error: `Pelacak did not start: ${e?.message ?? e}` });
}

onmessage = async ({ data: { files, helper } }) => {
  let wb;
  let phase = "new Workbook()";
  let pushed = 0;
  let done = 0;
  // The helper worker's own wasm memory, counted with this worker's.
  let helperBytes = 0;
  let typing = 0;
  let firstWindow = null;
  const total = files.reduce((n, f) => n + f.size, 0);
  const t0 = performance.now();
  try {
    wb = new Workbook();
    // How long this worker spends typing the helper's windows, and how long
    // it waited for the first one: where a large file's time goes.
    const pushWindow = wb.pushWindow.bind(wb);
    wb.pushWindow = (handle, bytes) => {
      const a = performance.now();
      firstWindow ??= a - t0;
      pushWindow(handle, bytes);
      typing += performance.now() - a;
    };
    // A file whose later rows changed a column's reading is streamed once more.
    const queue = [...files];
    let again = false;
    for (let file = queue.shift(); file; file = queue.shift()) {
      phase = `push ${file.name}`;
      await streamBlob(wb, file.name, file, undefined, {
        helper,
        module,
        onProgress: (read) => (pushed = done + read),
        onHelperMemory: (bytes) => (helperBytes = Math.max(helperBytes, bytes)),
      });
      done += file.size;
      pushed = done;
      if (!queue.length && !again) {
        again = true;
        for (const name of wb.needsReread()) queue.push(files.find((f) => f.name === name));
      }
    }
    const t1 = performance.now();
    phase = "report({})";
    const report = wb.report({});
    const t2 = performance.now();
    const s = report.summary;
    const notes = [];
    if (report.notes?.length) notes.push(`report notes: ${JSON.stringify(report.notes).slice(0, 300)}`);
    // The issue's memory target is the engine's after the report; the helper's
    // memory goes with it when its file ends, and the "wasm mem" column adds both.
    if (helperBytes) {
      const mib = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;
      notes.push(`engine's wasm memory ${mib(wasm.memory.buffer.byteLength)}, the helper's ${mib(helperBytes)} (ended with its file)`);
    }
    const dq = report.dataQuality;
    postMessage({
      ok: true,
      // Rows past the browser's per-table limit are reported, not read (too_large).
      rows: {
        read: dq.rowsRead,
        used: dq.rowsUsed,
        notRead: dq.tables.reduce((n, t) => n + (t.issueCounts.too_large ?? 0), 0),
      },
      phases: {
        "stream + parse": t1 - t0,
        ...(firstWindow === null ? {} : { "first window at": firstWindow, "typing windows": typing }),
        "report({})": t2 - t1,
      },
      wasmBytes: wasm.memory.buffer.byteLength + helperBytes,
      helperWasmBytes: helperBytes,
      figures: {
        revenue: s.revenue,
        dealsWon: s.dealsWon,
        dealsLost: s.dealsLost,
        avgDealSize: s.avgDealSize,
        medianDealSize: s.medianDealSize,
        winRate: s.winRate,
        series: Object.fromEntries(report.series.map((p) => [p.period, p.revenue])),
        byRep: Object.fromEntries(report.byRep.map((r) => [r.name, r.revenue])),
      },
      notes,
    });
  } catch (e) {
    // Where it stopped, and how full the wasm memory was (wasm32 stops at 4 GiB).
    const mib = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;
    postMessage({
      ok: false,
      error:
        `Pelacak: ${e?.message ?? e} during ${phase}, after ${(performance.now() - t0) / 1000 | 0} s and ` +
        `${mib(pushed)} of ${mib(total)} pushed; wasm memory ${mib(wasm.memory.buffer.byteLength)} of the 4096 MiB wasm32 maximum` +
        (String(e?.message).includes("unreachable") ? " (a trap: how a Rust panic or failed allocation ends in wasm)" : ""),
    });
  } finally {
    try {
      wb?.free();
    } catch {
      // After a trap the Workbook may still be marked as borrowed; the worker is ended anyway.
    }
  }
};
