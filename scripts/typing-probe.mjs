// How long the engine's worker takes to type a file's windows (a diagnostic, not a test):
// `node scripts/typing-probe.mjs FILE` tokenises FILE in one instance of the core module
// (as the page's helper worker does, 4 MiB first window) and times typing its windows
// (`pushWindow`) in another, then one report, and prints the engine's wasm memory after
// each (what the page's engine worker holds behind the helper). Environment: PKG (a directory with
// pelacak_core.js, default www/pkg), REPS (type the windows this many times, each into a
// new workbook), REPORTS (reports after the typing, default 1; 0 for none).
//
// Instructions rather than time (this machine's timings move ±10 % from one minute to the
// next; an instruction count does not): `bash scripts/wasm-instructions.sh` runs this under
// valgrind with every function compiled by V8's optimising compiler (see there).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const PKG = resolve(process.env.PKG ?? new URL("../www/pkg", import.meta.url).pathname);
const path = process.argv[2];
if (!path) {
  console.error("usage: node scripts/typing-probe.mjs FILE");
  process.exit(2);
}
// Two instances of the module: the query strings make two module records.
const helper = await import(`${PKG}/pelacak_core.js?helper`);
const engine = await import(`${PKG}/pelacak_core.js?engine`);
const wasm = readFileSync(`${PKG}/pelacak_core_bg.wasm`);
helper.initSync({ module: wasm });
const memory = engine.initSync({ module: wasm }).memory;

const WINDOW = 4 << 20;
const file = readFileSync(path);
const tk = new helper.Tokeniser(WINDOW);
const windows = [];
for (let at = 0; at < file.length; at += WINDOW) windows.push(...tk.push(file.subarray(at, at + WINDOW)));
windows.push(...tk.finish());

let w = null;
const t0 = performance.now();
for (let rep = 0; rep < Number(process.env.REPS ?? 1); rep++) {
  w?.free();
  w = new engine.Workbook();
  const h = w.beginFile(path.split("/").pop());
  for (const win of windows) w.pushWindow(h, win);
  w.finishFile(h);
}
const t1 = performance.now();
// The engine's memory as the page's engine worker has it behind the helper
// (the windows held here are the helper's, not the engine's).
const mib = () => (memory.buffer.byteLength / 2 ** 20).toFixed(0);
const typed = mib();
for (let i = 0; i < Number(process.env.REPORTS ?? 1); i++) w.report({});
const t2 = performance.now();
console.log(`${windows.length} windows; typing ${(t1 - t0).toFixed(0)} ms, reports ${(t2 - t1).toFixed(0)} ms; wasm memory ${typed} MiB typed, ${mib()} MiB after the reports`);
