// Part of `npm run bench`: what a filter or range change costs once the files are read
// (the "recomputing is instant" target), in the core wasm module under Node's V8
// (the same engine as Chromium's). The tables stay in the workbook; each line is the
// median of RUNS calls:
//   report({})                 the whole report, no filter
//   report(rep filter)         the same with one rep chosen
//   page: filter change        what the page's worker does on a filter change: this range
//                              (the figures shown: `reportForTransfer`, its stalled deals'
//                              list as text, and the copy `postMessage` makes of it for
//                              the page, which the page then reads), then the previous
//                              one's summary (the tiles' comparison, asked for once the
//                              figures are drawn); the filter choices are kept
//   page: range change         the same for a range change with no filter: the last
//                              month or quarter of the data (as of its last day), then the
//                              one before it for the comparison
// and, for comparison, the same natively (`cargo run --release --example recompute`).
import { readFileSync, openSync, readSync, closeSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { initSync, Workbook } from "../www/pkg/pelacak_core.js";

const ROOT = new URL("../", import.meta.url).pathname;
const DATA = join(ROOT, "bench-data");
const RUNS = Number(process.env.BENCH_RECOMPUTE_RUNS ?? 7);
initSync({ module: readFileSync(join(ROOT, "www/pkg/pelacak_core_bg.wasm")) });

const sets = [
  ["1m", "1M deals"],
  ["full-100k", "full demo set, 100k deals"],
]
  .map(([dir, label]) => [join(DATA, dir), label])
  .filter(([dir]) => existsSync(dir));
if (sets.length === 0) {
  console.log("\nRecompute: no bench-data/ yet (`node scripts/bench.mjs` generates it)");
  process.exit(0);
}

function load(dir) {
  const w = new Workbook();
  const buf = Buffer.alloc(4 << 20);
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".csv")).sort()) {
    const h = w.beginFile(name);
    const fd = openSync(join(dir, name), "r");
    try {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        w.push(h, buf.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
    w.finishFile(h);
  }
  return w;
}

// What the page's worker does for the figures: the report, its stalled deals' list as
// text, copied as `postMessage` copies it (here both halves of the copy, one in the
// worker and one in the page, are on one thread).
const posted = (w, q) => structuredClone(w.reportForTransfer(q));

function median(fn) {
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)];
}

console.log(`\nRecompute on tables already read (core wasm in Node ${process.version}), median of ${RUNS}`);
for (const [dir, label] of sets) {
  const w = load(dir);
  const all = w.report({});
  const rep = all.byRep.find((r) => r.name !== null)?.name;
  const filtered = { filters: { rep: [rep] } };
  // The page compares a range with the one of equal length before it.
  const { from, to } = all.query;
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 864e5) + 1;
  const prevTo = new Date(Date.parse(from) - 864e5).toISOString().slice(0, 10);
  const prevFrom = new Date(Date.parse(prevTo) - (days - 1) * 864e5).toISOString().slice(0, 10);
  const lines = [
    ["report({})", median(() => w.report({}))],
    ["report(rep filter)", median(() => w.report(filtered))],
    ["page: filter change, figures", median(() => posted(w, { ...filtered, from, to }))],
    [
      "page: … and the comparison",
      median(() => {
        posted(w, { ...filtered, from, to });
        w.summary({ ...filtered, from: prevFrom, to: prevTo, asOf: prevTo });
      }),
    ],
  ];
  // The last month and quarter of the data, and the one of each before it.
  const day = (d) => d.toISOString().slice(0, 10);
  const end = new Date(`${to}T00:00:00Z`);
  for (const [name, months] of [["month", 1], ["quarter", 3]]) {
    const first = (back) => {
      const m = end.getUTCMonth() - (end.getUTCMonth() % months) - back * months;
      return new Date(Date.UTC(end.getUTCFullYear(), m, 1));
    };
    const range = { from: day(first(0)), to };
    const before = { from: day(first(1)), to: day(new Date(first(0) - 864e5)) };
    lines.push(
      [`page: range change (${name}), figures`, median(() => posted(w, range))],
      [
        "page: … and the comparison",
        median(() => {
          posted(w, range);
          w.summary({ ...before, asOf: before.to });
        }),
      ],
    );
  }
  console.log(`  ${label}:`);
  for (const [what, ms] of lines) console.log(`    ${what.padEnd(38)} ${ms.toFixed(0).padStart(5)} ms`);
  w.free();
}
