// Where wasm memory grows while a file is read and reported (a diagnostic, not a test):
// `node scripts/mem-probe.mjs FILE...` prints memory.buffer.byteLength after each
// 16 MiB read, after each file (with the time it took) and after the first report. Needs www/pkg (npm run build).
import { readFileSync, openSync, readSync, closeSync } from "node:fs";
import { basename } from "node:path";
import { initSync, Workbook } from "../www/pkg/pelacak_core.js";

const ROOT = new URL("../", import.meta.url).pathname;
const wasm = initSync({ module: readFileSync(`${ROOT}www/pkg/pelacak_core_bg.wasm`) });
const mib = () => `${(wasm.memory.buffer.byteLength / 2 ** 20).toFixed(0)} MiB`;
const w = new Workbook();
const buf = Buffer.alloc(4 << 20);
for (const path of process.argv.slice(2)) {
  const t0 = performance.now();
  const h = w.beginFile(basename(path));
  const fd = openSync(path, "r");
  let read = 0;
  const marks = [];
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    w.push(h, buf.subarray(0, n));
    read += n;
    if (read % (16 << 20) < n) marks.push(`${(read / 2 ** 20).toFixed(0)}:${mib()}`);
  }
  closeSync(fd);
  w.finishFile(h);
  const ms = (performance.now() - t0).toFixed(0);
  console.log(`${basename(path)}: ${marks.join(" ")}; finished ${mib()} in ${ms} ms`);
}
const t = performance.now();
w.report({});
console.log(`first report ${(performance.now() - t).toFixed(0)} ms: ${mib()}`);
w.report({});
console.log(`second report: ${mib()}`);
