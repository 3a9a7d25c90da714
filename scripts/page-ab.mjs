// The page at a million deals, two checkouts side by side (not part of `npm run bench`):
//   node scripts/page-ab.mjs CHECKOUT_A CHECKOUT_B [ROUNDS]
// Each checkout is served from its own www/ (built: `bash scripts/build.sh` there, or its
// www/pkg copied in) by its own scripts/serve.mjs. In turn, each loads bench-data/1m in a
// fresh browser context and makes bench-page.mjs's round of nine filter and range changes
// twice (the first time, then again when the worker kept every report), timed in the page
// to the task after the frame with the new tiles and the one with every section. Rounds
// alternate the order of the two, so the machine's noise falls on both alike. Prints each
// side's median and mean. Used for the seventeenth session's page changes (see
// docs/performance.md), where a worktree of the session's start was one side.
import { chromium } from "playwright-core";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
const [A, B] = process.argv.slice(2, 4);
if (!A || !B) {
  console.error("usage: node scripts/page-ab.mjs CHECKOUT_A CHECKOUT_B [ROUNDS]");
  process.exit(2);
}
const ROUNDS = Number(process.argv[4] ?? 3);
const sides = [];
for (const repo of [A, B]) {
  const { serve } = await import(pathToFileURL(resolve(repo, "scripts/serve.mjs")).href);
  const server = await serve(0, "127.0.0.1");
  sides.push({ repo, server, base: `http://127.0.0.1:${server.address().port}/`, first: [], kept: [] });
}
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const DIR = join(new URL("../", import.meta.url).pathname, "bench-data/1m");
if (!existsSync(DIR)) {
  console.error("page-ab: no bench-data/1m yet (`node scripts/bench.mjs` generates it)");
  process.exit(2);
}
const files = readdirSync(DIR).filter((f) => f.endsWith(".csv")).sort();
const change = (p, control, value) => p.evaluate(([control, value]) => new Promise((resolve) => {
  const tile = () => document.querySelector('.pk-tile[data-kpi="revenue"]')?.dataset.value;
  const panel = document.querySelector('[role=tabpanel][data-view="dashboard"]');
  const before = tile(); const t0 = performance.now(); let first;
  const s = document.querySelector(`[data-control="${control}"]`); s.value = value; s.dispatchEvent(new Event("change", { bubbles: true }));
  const tick = () => {
    if (first === undefined && tile() !== before) setTimeout(() => (first ??= performance.now() - t0), 0);
    if (tile() !== before && !panel.hasAttribute("aria-busy")) setTimeout(() => resolve([first ?? performance.now() - t0, performance.now() - t0]), 0);
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}), [control, value]);
for (let r = 0; r < ROUNDS; r++) {
  for (const side of r % 2 ? [...sides].reverse() : sides) {
    const ctx = await browser.newContext({ serviceWorkers: "block", viewport: { width: 1280, height: 720 } });
    const p = await ctx.newPage();
    await p.goto(side.base, { waitUntil: "load" });
    await p.setInputFiles('[data-control="files"]', files.map((f) => join(DIR, f)));
    await p.waitForFunction(() => !document.querySelector('[role=tabpanel][data-view="dashboard"][aria-busy]') && document.querySelector('.pk-tile[data-kpi="revenue"]'), null, { timeout: 120_000 });
    await p.waitForTimeout(1500);
    const rep = await p.locator('[data-control="filter-rep"] option:not([value=""])').first().getAttribute("value");
    const round = [["filter-rep", rep], ["filter-rep", ""], ["range", "quarter"], ["range", "year"], ["range", "all"], ["filter-rep", rep], ["range", "last90"], ["filter-rep", ""], ["range", "all"]];
    for (const pass of [0, 1]) for (const [c, v] of round) {
      (pass ? side.kept : side.first).push(await change(p, c, v));
      await p.waitForTimeout(400);
    }
    await ctx.close();
  }
}
await browser.close();
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
for (const s of sides) {
  for (const k of ["first", "kept"]) {
    const t = s[k].map((x) => x[0]), e = s[k].map((x) => x[1]);
    console.log(`${s.repo.padEnd(20)} ${k.padEnd(5)} tiles median ${med(t).toFixed(0)} mean ${(sum(t) / t.length).toFixed(0)} | every section median ${med(e).toFixed(0)} mean ${(sum(e) / e.length).toFixed(0)}`);
  }
  s.server.close();
}
