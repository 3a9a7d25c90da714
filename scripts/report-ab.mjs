// Compares the report's speed in two builds of the core module in Node (wasm), the two
// alternated so that the machine's spells fall on both alike. Not a test: it prints.
//
//   node scripts/report-ab.mjs OLD_PKG NEW_PKG [DATA_DIR] [ROUNDS] [RUNS]
//
// OLD_PKG / NEW_PKG: directories holding pelacak_core.js and pelacak_core_bg.wasm (e.g.
// www/pkg, and a copy of it built at another commit: `git worktree add /tmp/old REV`, then
// in it `CARGO_TARGET_DIR=/tmp/old-core cargo build --release --target
// wasm32-unknown-unknown --lib --no-default-features` and `wasm-bindgen --target web
// --out-dir /tmp/old-pkg --out-name pelacak_core /tmp/old-core/wasm32-unknown-unknown/release/pelacak.wasm`).
// DATA_DIR: the CSV files to read (default bench-data/1m). Each round loads the files
// into each build in its own process, then times RUNS (default 11) reports each of: the
// whole range, one rep, the last quarter and the last month of the data; it prints the
// fastest and the median of each.
import { spawnSync } from "node:child_process";
import { readFileSync, openSync, readSync, closeSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

const [mode, ...rest] = process.argv.slice(2);
if (mode === "--one") {
  // A child: one build, one round.
  const [pkg, dir, runs] = rest;
  const { initSync, Workbook } = await import(join(resolve(pkg), "pelacak_core.js"));
  initSync({ module: readFileSync(join(pkg, "pelacak_core_bg.wasm")) });
  const w = new Workbook();
  const buf = Buffer.alloc(4 << 20);
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".csv")).sort()) {
    const h = w.beginFile(name);
    const fd = openSync(join(dir, name), "r");
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      w.push(h, buf.subarray(0, n));
    }
    closeSync(fd);
    w.finishFile(h);
  }
  const all = w.report({});
  const rep = all.byRep.find((r) => r.name !== null)?.name;
  const to = all.query.to;
  const month = Number(to.slice(5, 7));
  const quarterStart = String(Math.floor((month - 1) / 3) * 3 + 1).padStart(2, "0");
  const queries = [
    ["whole", {}],
    ["one rep", { filters: { rep: [rep] } }],
    ["quarter", { from: `${to.slice(0, 5)}${quarterStart}-01`, to }],
    ["month", { from: `${to.slice(0, 8)}01`, to }],
  ];
  const out = queries.map(([name, q]) => {
    const ms = [];
    for (let i = 0; i < Number(runs); i++) {
      const t = performance.now();
      w.report(q);
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    return `${name} ${ms[0].toFixed(1)}/${ms[ms.length >> 1].toFixed(1)}`;
  });
  console.log(out.join("  "));
} else {
  const [oldPkg, newPkg, dir = "bench-data/1m", rounds = "3", runs = "11"] = [mode, ...rest];
  if (!oldPkg || !newPkg) {
    console.error("usage: node scripts/report-ab.mjs OLD_PKG NEW_PKG [DATA_DIR] [ROUNDS] [RUNS]");
    process.exit(2);
  }
  console.log(`report ms in wasm (fastest/median of ${runs}), ${dir}`);
  for (let r = 1; r <= Number(rounds); r++) {
    for (const [side, pkg] of [["old", oldPkg], ["new", newPkg]]) {
      const c = spawnSync(process.execPath, [new URL(import.meta.url).pathname, "--one", pkg, dir, runs], { encoding: "utf8" });
      if (c.status !== 0) {
        console.error(c.stderr);
        process.exit(1);
      }
      console.log(`  round ${r} ${side}: ${c.stdout.trim()}`);
    }
  }
}
