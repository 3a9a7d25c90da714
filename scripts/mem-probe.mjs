// Where wasm memory grows while a file is read and reported (a diagnostic, not a test):
// `node scripts/mem-probe.mjs [--helper] FILE...` prints memory.buffer.byteLength after
// each 16 MiB read, after each file (with the time it took) and after the first report.
// With `--helper` each file is tokenised by a second instance of the module, as the
// page's helper worker does for a file of 64 MiB or more (www/src/feed.js: a 4 MiB
// first window, pieces of 4 MiB, the windows' buffers given back for the next), and
// the engine's instance types the windows (`pushWindow`); the helper's memory is
// printed apart. Needs www/pkg (npm run build).
import { readFileSync, openSync, readSync, closeSync } from "node:fs";
import { basename } from "node:path";

const ROOT = new URL("../", import.meta.url).pathname;
const args = process.argv.slice(2);
const viaHelper = args[0] === "--helper";
const files = viaHelper ? args.slice(1) : args;
const bytes = readFileSync(`${process.env.PKG ?? ROOT + "www/pkg"}/pelacak_core_bg.wasm`);
const { initSync, Workbook } = await import((process.env.PKG ?? "../www/pkg") + "/pelacak_core.js");
const wasm = initSync({ module: bytes });
// A second copy of the glue module is a second instance, with its own memory.
const helper = viaHelper ? await import((process.env.PKG ?? "../www/pkg") + "/pelacak_core.js?helper") : null;
const helperWasm = helper?.initSync({ module: bytes });
const mib = (m = wasm) => `${(m.memory.buffer.byteLength / 2 ** 20).toFixed(0)} MiB`;
const w = new Workbook();
const buf = Buffer.alloc(viaHelper ? 16 << 20 : 4 << 20);
const PIECE = 4 << 20;
for (const path of files) {
  const t0 = performance.now();
  const h = w.beginFile(basename(path));
  const fd = openSync(path, "r");
  const tk = viaHelper ? new helper.Tokeniser(4 << 20) : null;
  let pool = [];
  const typeAll = (windows) => {
    for (const win of windows) w.pushWindow(h, win);
    pool = windows.map((win) => new Uint8Array(win.buffer));
  };
  let read = 0;
  const marks = [];
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    if (tk) {
      for (let at = 0; at < n; at += PIECE) typeAll(tk.push(buf.subarray(at, Math.min(n, at + PIECE)), pool));
    } else {
      w.push(h, buf.subarray(0, n));
    }
    read += n;
    if (read % (16 << 20) < n) marks.push(`${(read / 2 ** 20).toFixed(0)}:${mib()}`);
  }
  closeSync(fd);
  if (tk) {
    typeAll(tk.finish(pool));
    tk.free();
  }
  w.finishFile(h);
  const ms = (performance.now() - t0).toFixed(0);
  const helperNote = helperWasm ? ` (the helper's ${mib(helperWasm)})` : "";
  console.log(`${basename(path)}: ${marks.join(" ")}; finished ${mib()}${helperNote} in ${ms} ms`);
}
const t = performance.now();
w.report({});
console.log(`first report ${(performance.now() - t).toFixed(0)} ms: ${mib()}`);
w.report({});
console.log(`second report: ${mib()}`);
