// `npm run bench`: Pelacak side by side with DuckDB-WASM and PapaParse, in headless Chromium,
// on the same generated deals files, plus Pelacak natively. Not a test: it prints a table.
//
// Environment:
//   BENCH_SIZES=100k,1m,5m   deals files to generate and measure (the default); `full` (also
//                            implied by 100k) adds the full demo set with activities at 100k
//                            deals, measured for Pelacak only; an empty value measures none.
//   BENCH_2GB=1              also a ~2 GB deals file (15M rows), Pelacak in the browser only.
//   BENCH_RUNS=3             runs per engine and size (median); files of 5M rows or more get 1.
//   BENCH_TIMEOUT=S          seconds allowed per run (default 60 + 0.6 per MB of input).
//   BENCH_ENGINES=pelacak,pelacak1,native,duckdb,papaparse   a subset, to debug one engine
//                            (pelacak1: Pelacak without its helper worker).
//   BENCH_NO_BUILD=1         skip `bash scripts/build.sh` when www/pkg and the binary exist.
//   BENCH_CPU=1              print, after each browser run, the CPU time the page's renderer
//                            and the browser's own process used during it, by thread (read
//                            every 20 ms, so a helper worker that ended is counted): on two
//                            cores, whether the run was short of CPU, and what took it.
//   BENCH_TRACE=FILE         write a Chromium trace of each browser run to FILE (the last run
//                            wins; V8's compile and GC events included): what the browser
//                            did besides the engine, e.g. functions still being optimised.
//
// What is measured (see bench/README.md): time = file → complete figures, after start-up,
// which is its own column (worker + wasm instantiate; for DuckDB also its open + connect).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const BENCH = join(ROOT, "bench");
const DATA = join(ROOT, "bench-data");
const BIN = join(ROOT, "target/release/pelacak");
const WASM = join(ROOT, "www/pkg/pelacak_core_bg.wasm");
const WASM_FULL = join(ROOT, "www/pkg/pelacak_bg.wasm");
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--enable-precise-memory-info",
];
const ENGINE_NAMES = {
  pelacak: "Pelacak (wasm)",
  pelacak1: "  one worker",
  native: "Pelacak native",
  duckdb: "DuckDB-WASM",
  papaparse: "PapaParse",
};
const MB = 1e6;

const env = process.env;
const fail = (msg) => {
  console.error(`bench: ${msg}`);
  process.exit(1);
};

// ---------------------------------------------------------------- options

function parseCount(token) {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(token);
  if (!m) fail(`BENCH_SIZES: ${JSON.stringify(token)} is not a size such as 100k, 1m or 2500`);
  return Math.round(Number(m[1]) * { "": 1, k: 1e3, m: 1e6 }[m[2].toLowerCase()]);
}

function datasets() {
  const tokens = (env.BENCH_SIZES ?? "100k,1m,5m")
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  const list = [];
  let full = false;
  for (const t of tokens) {
    if (t === "full") {
      full = true;
      continue;
    }
    const deals = parseCount(t);
    if (deals === 100_000) full = true;
    list.push({ label: t, deals, full: false });
  }
  list.sort((a, b) => a.deals - b.deals);
  if (full) {
    const after = list.findIndex((d) => d.deals > 100_000);
    list.splice(after < 0 ? list.length : after, 0, { label: "full 100k", deals: 100_000, full: true });
  }
  if (env.BENCH_2GB === "1") list.push({ label: "2 GB", deals: 15_000_000, full: false, only: ["pelacak"], big: true });
  return list;
}

const engines = (env.BENCH_ENGINES ?? "pelacak,pelacak1,native,duckdb,papaparse").split(",").map((e) => e.trim());
for (const e of engines) if (!ENGINE_NAMES[e]) fail(`BENCH_ENGINES: unknown engine ${e} (pelacak, pelacak1, native, duckdb, papaparse)`);
const runsWanted = Number(env.BENCH_RUNS ?? 3);
if (!(runsWanted >= 1)) fail("BENCH_RUNS must be a number ≥ 1");

// ---------------------------------------------------------------- preparation

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit", ...opts });
  if (r.error) fail(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
}

function prepare() {
  if (!existsSync(join(BENCH, "node_modules/@duckdb/duckdb-wasm/package.json"))) {
    console.log("bench: installing the benchmark's own packages (npm ci --prefix bench)");
    run("npm", ["ci", "--prefix", "bench", "--no-audit", "--no-fund"]);
  }
  const built = existsSync(join(ROOT, "www/pkg/pelacak_core.js")) && existsSync(WASM) && existsSync(BIN);
  if (env.BENCH_NO_BUILD === "1" && built) {
    console.log("bench: BENCH_NO_BUILD=1, using the existing www/pkg and target/release/pelacak");
  } else {
    console.log("bench: building (bash scripts/build.sh)");
    run("bash", ["scripts/build.sh"]);
  }
  if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: apt-get install -y chromium`);
}

/** Generates (or reuses, when made by the same binary) the files of one data set. */
function generate(ds) {
  const name = ds.full ? "full-100k" : ds.big ? "2gb" : ds.label;
  const dir = join(DATA, name);
  const args = ["sample", "--deals", String(ds.deals), ...(ds.full ? [] : ["--no-activities"]), "--out", dir];
  const bin = statSync(BIN);
  const stamp = `${args.join(" ")}\n${bin.size} ${bin.mtimeMs}\n`;
  const stampFile = join(dir, ".stamp");
  if (!(existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const t = performance.now();
    process.stdout.write(`bench: generating ${name} (${ds.deals.toLocaleString("en")} deals${ds.full ? ", with activities" : ""}) … `);
    run(BIN, args, { stdio: ["ignore", "ignore", "inherit"] });
    console.log(`${((performance.now() - t) / 1000).toFixed(1)} s`);
    writeFileSync(stampFile, stamp);
  }
  const files = ds.full
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".csv"))
        .sort()
        .map((f) => join(dir, f))
    : [join(dir, "deals.csv")];
  return { ...ds, dir, files, bytes: files.reduce((n, f) => n + statSync(f).size, 0) };
}

function machine() {
  let cpu = "unknown CPU";
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux
  }
  return `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`;
}

const version = (pkg) => JSON.parse(readFileSync(join(BENCH, "node_modules", pkg, "package.json"), "utf8")).version;

// ---------------------------------------------------------------- measuring

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timeout: ${what} took more than ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const procStatus = (pid, key) => {
  try {
    const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
};

/** The renderer process of the bench page: the new renderer with a DedicatedWorker thread
 *  (the page's marker worker). Null if it cannot be told apart. */
async function pageRenderer(cdp, before) {
  const { processInfo } = await cdp.send("SystemInfo.getProcessInfo");
  const candidates = processInfo.filter((p) => p.type === "renderer" && !before.has(p.id)).map((p) => p.id);
  const withWorker = candidates.filter((pid) => {
    try {
      return readdirSync(`/proc/${pid}/task`).some((t) => readFileSync(`/proc/${pid}/task/${t}/comm`, "utf8").startsWith("DedicatedWorker"));
    } catch {
      return false;
    }
  });
  return withWorker.length === 1 ? withWorker[0] : null;
}

/** CPU seconds per thread name of process `pid` (utime + stime, from /proc), for BENCH_CPU. */
function threadCpu(pid) {
  const out = new Map();
  if (!pid) return out;
  try {
    // The whole process, threads that ended included (the helper worker is ended with its file).
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    out.set("process", (Number(f[11]) + Number(f[12])) / 100);
  } catch {
    return out;
  }
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, "utf8");
        const close = stat.lastIndexOf(")");
        const name = stat.slice(stat.indexOf("(") + 1, close).replace(/[0-9]+$/, "");
        const f = stat.slice(close + 2).split(" ");
        const secs = (Number(f[11]) + Number(f[12])) / 100;
        out.set(`${name}#${t}`, secs);
      } catch {
        // A thread that ended.
      }
    }
  } catch {
    // A process that ended.
  }
  return out;
}

/** Per-thread CPU used between two `threadCpu` readings, largest first, as text. */
function cpuUsed(label, before, after) {
  const rows = [...after].filter(([k]) => k !== "process").map(([k, v]) => [k, v - (before.get(k) ?? 0)]).filter(([, v]) => v >= 0.02);
  rows.sort((a, b) => b[1] - a[1]);
  const total = (after.get("process") ?? 0) - (before.get("process") ?? 0);
  return `${label} ${total.toFixed(2)} s (by thread: ${rows.map(([k, v]) => `${k.split("#")[0]} ${v.toFixed(2)}`).join(", ")})`;
}

/** One run of an in-browser engine, in a fresh browser context (its own renderer process). */
async function browserRun(browser, cdp, base, ds, engine, timeoutMs) {
  const { processInfo } = await cdp.send("SystemInfo.getProcessInfo");
  const before = new Set(processInfo.map((p) => p.id));
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    const crashed = new Promise((_, reject) => page.once("crash", () => reject(new Error("the renderer crashed (out of memory?)"))));
    crashed.catch(() => {});
    await page.goto(`${base}/bench/`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30_000 });
    const pid = await pageRenderer(cdp, before);
    const idleRss = pid ? procStatus(pid, "VmRSS") : null;
    await page.setInputFiles("#files", ds.files);
    const cpuPids = env.BENCH_CPU ? [pid, processInfo.find((p) => p.type === "browser")?.id ?? null] : [];
    const cpuBefore = cpuPids.map(threadCpu);
    // Threads that end during the run (the helper worker) are read while alive.
    const cpuSeen = cpuPids.map(() => new Map());
    const cpuPoll = env.BENCH_CPU
      ? setInterval(() => cpuPids.forEach((p, i) => threadCpu(p).forEach((v, k) => cpuSeen[i].set(k, v))), 20)
      : null;
    if (env.BENCH_TRACE) {
      const categories = ["devtools.timeline", "v8", "disabled-by-default-v8.gc", "disabled-by-default-v8.compile", "disabled-by-default-v8.wasm.detailed", "blink", "toplevel", "mojom"];
      await browser.startTracing(page, { path: env.BENCH_TRACE, categories });
    }
    const t = performance.now();
    const result = await withTimeout(
      Promise.race([page.evaluate(([e, o]) => window.bench.run(e, o), [engine, {}]), crashed]),
      timeoutMs,
      `${ENGINE_NAMES[engine]} on ${ds.label}`,
    ).catch((e) => {
      const extra = pageErrors.length ? ` (page errors: ${pageErrors.join(" | ")})` : "";
      throw new Error(`${e.message.split("\n")[0].replace(/^page\.evaluate: (Error: )?/, "")}${extra}`);
    });
    result.wallMs = performance.now() - t;
    if (env.BENCH_TRACE) await browser.stopTracing();
    if (env.BENCH_CPU) {
      clearInterval(cpuPoll);
      const names = ["renderer", "browser"];
      for (const [i, p] of cpuPids.entries()) {
        threadCpu(p).forEach((v, k) => cpuSeen[i].set(k, v));
        console.error(`bench: cpu ${cpuUsed(names[i], cpuBefore[i], cpuSeen[i])}`);
      }
    }
    result.rssBytes = pid ? procStatus(pid, "VmHWM") : null;
    result.idleRssBytes = idleRss;
    return result;
  } finally {
    await context.close().catch(() => {});
  }
}

/** One run of the native binary: wall time, and peak RSS from /usr/bin/time when present. */
function nativeRun(ds, timeoutMs) {
  const hasTime = existsSync("/usr/bin/time");
  const [cmd, args] = hasTime ? ["/usr/bin/time", ["-f", "%M", BIN, "report", ...ds.files]] : [BIN, ["report", ...ds.files]];
  return new Promise((ok, reject) => {
    const t = performance.now();
    // Its own process group, so a timeout or Ctrl+C ends /usr/bin/time and pelacak together.
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: true });
    nativeChild = child;
    const out = [];
    let err = "";
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => (err += b));
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.on("error", (e) => (clearTimeout(timer), reject(e)));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      nativeChild = null;
      const ms = performance.now() - t;
      if (signal === "SIGKILL") return reject(new Error(`timeout: native report took more than ${Math.round(timeoutMs / 1000)} s`));
      const lines = err.trim().split("\n");
      const rss = hasTime && /^\d+$/.test(lines.at(-1) ?? "") ? Number(lines.pop()) * 1024 : null;
      if (code !== 0) return reject(new Error(`pelacak report exited with ${code}: ${lines.join(" ").slice(0, 300)}`));
      try {
        const r = JSON.parse(Buffer.concat(out).toString("utf8"));
        const s = r.summary;
        ok({
          ms,
          startupMs: null,
          wasmBytes: null,
          heapBytes: null,
          rssBytes: rss,
          figures: {
            revenue: s.revenue,
            dealsWon: s.dealsWon,
            dealsLost: s.dealsLost,
            avgDealSize: s.avgDealSize,
            medianDealSize: s.medianDealSize,
            winRate: s.winRate,
            series: Object.fromEntries(r.series.map((p) => [p.period, p.revenue])),
            byRep: Object.fromEntries(r.byRep.map((b) => [b.name, b.revenue])),
          },
        });
      } catch (e) {
        reject(new Error(`pelacak report printed no JSON report: ${e.message}`));
      }
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** All runs of every engine on one data set, interleaved round by round so drift is shared. */
async function measure(ctx, ds) {
  const allowed = ds.only ?? (ds.full ? ["pelacak", "pelacak1", "native"] : Object.keys(ENGINE_NAMES));
  const list = Object.keys(ENGINE_NAMES).filter((e) => engines.includes(e) && allowed.includes(e));
  const runs = ds.deals >= 5_000_000 ? 1 : runsWanted;
  const timeoutMs = env.BENCH_TIMEOUT ? Number(env.BENCH_TIMEOUT) * 1000 : 60_000 + (ds.bytes / MB) * 600;
  const results = Object.fromEntries(list.map((e) => [e, { runs: [], error: null }]));
  for (let i = 0; i < runs; i++) {
    for (const e of list) {
      const r = results[e];
      if (r.error) continue; // a failure is reported once, not repeated
      process.stdout.write(`bench: ${ds.label.padEnd(9)} ${ENGINE_NAMES[e].padEnd(15)} run ${i + 1}/${runs} … `);
      try {
        const one = e === "native" ? await nativeRun(ds, timeoutMs) : await browserRun(ctx.browser, ctx.cdp, ctx.base, ds, e, timeoutMs);
        r.runs.push(one);
        console.log(`${(one.ms / 1000).toFixed(3)} s`);
      } catch (err) {
        r.error = err.message;
        console.log(`FAILED: ${err.message}`);
      }
    }
  }
  for (const r of Object.values(results)) {
    if (!r.runs.length) continue;
    const byTime = [...r.runs].sort((a, b) => a.ms - b.ms);
    r.median = byTime[(byTime.length - 1) >> 1]; // the median run (the lower middle one of an even count)
    r.ms = median(r.runs.map((x) => x.ms));
    const starts = r.runs.map((x) => x.startupMs).filter((x) => x !== null && x !== undefined);
    r.startupMs = starts.length ? median(starts) : null;
    const peak = (k) => {
      const xs = r.runs.map((x) => x[k]).filter((x) => x !== null && x !== undefined);
      return xs.length ? Math.max(...xs) : null;
    };
    r.wasmBytes = peak("wasmBytes");
    r.heapBytes = peak("heapBytes");
    r.rssBytes = peak("rssBytes");
    r.idleRssBytes = peak("idleRssBytes");
  }
  return { ds, runs, results };
}

// ---------------------------------------------------------------- printing

const secs = (ms) => (ms === null || ms === undefined ? "—" : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(3)} s`);
const mib = (b) => (b === null || b === undefined ? "—" : `${(b / 2 ** 20).toFixed(0)} MiB`);
const pad = (s, n, right = false) => (right ? String(s).padStart(n) : String(s).padEnd(n));

function table(measured) {
  const cols = [
    ["size", 9],
    ["rows", 11, true],
    ["MB", 7, true],
    ["engine", 16],
    ["time", 10, true],
    ["MB/s", 7, true],
    ["start-up", 9, true],
    ["wasm mem", 9, true],
    ["JS heap", 9, true],
    ["tab RSS", 9, true],
    ["vs Pelacak", 11, true],
  ];
  const line = (cells) => cells.map((c, i) => pad(c, cols[i][1], cols[i][2])).join("  ");
  const out = [line(cols.map((c) => c[0])), "-".repeat(line(cols.map((c) => c[0])).length)];
  for (const { ds, runs, results } of measured) {
    const ref = results.pelacak?.ms ?? null;
    let first = true;
    for (const [e, r] of Object.entries(results)) {
      const lead = first ? [ds.label, ds.deals.toLocaleString("en"), (ds.bytes / MB).toFixed(1)] : ["", "", ""];
      first = false;
      if (!r.runs.length) {
        out.push(line([...lead, ENGINE_NAMES[e], "FAILED", "", "", "", "", "", "(see below)"]));
        continue;
      }
      const ratio = ref ? `${(r.ms / ref).toFixed(2)}×` : "—";
      out.push(
        line([
          ...lead,
          ENGINE_NAMES[e],
          secs(r.ms),
          (ds.bytes / MB / (r.ms / 1000)).toFixed(0),
          e === "native" ? "—" : secs(r.startupMs),
          mib(r.wasmBytes),
          mib(r.heapBytes),
          e === "native" && r.rssBytes ? `${mib(r.rssBytes)}` : mib(r.rssBytes),
          ratio,
        ]) + (r.error ? "  (a later run failed, see below)" : ""),
      );
    }
    out.push(`${" ".repeat(9)}  ${runs === 1 ? "1 run" : `median of ${runs} runs`}`);
  }
  return out.join("\n");
}

function details(measured) {
  const out = [];
  const said = new Set(); // a note repeated on every size (DuckDB's column types) is printed once
  for (const { ds, results } of measured) {
    for (const [e, r] of Object.entries(results)) {
      const m = r.median;
      if (!m) continue;
      const all = r.runs.length > 1 ? `runs ${r.runs.map((x) => (x.ms / 1000).toFixed(3)).join(", ")} s` : "";
      const phases = m.phases ? Object.entries(m.phases).map(([k, v]) => `${k} ${secs(v)}`).join(", ") : "";
      const notes = (m.notes ?? []).filter((n) => !n.startsWith("report notes") && !(n.startsWith("columns") && said.has(n)));
      for (const n of notes) said.add(n);
      const parts = [all, phases, ...notes].filter(Boolean);
      if (parts.length) out.push(`  ${pad(ds.label, 9)} ${pad(ENGINE_NAMES[e], 15)} ${parts.join("; ")}`);
    }
  }
  return out.join("\n");
}

function checks(measured, compare) {
  const out = [];
  let mismatches = 0;
  let compared = 0;
  for (const { ds, results } of measured) {
    if (Object.values(results).every((r) => !r.median)) continue;
    const refEngine = results.pelacak?.median ? "pelacak" : results.native?.median ? "native" : null;
    if (!refEngine) {
      out.push(`  ${ds.label}: no Pelacak figures to check against`);
      continue;
    }
    const ref = results[refEngine].median.figures;
    out.push(`  ${pad(ds.label, 9)} ${ENGINE_NAMES[refEngine]}: ${compare.describe(ref)}`);
    for (const [e, r] of Object.entries(results)) {
      if (e === refEngine || !r.median) continue;
      const diff = compare.differences(ref, r.median.figures);
      compared++;
      if (diff.length) {
        mismatches++;
        for (const d of diff) out.push(`  ${pad(ds.label, 9)} MISMATCH ${ENGINE_NAMES[e]} vs ${ENGINE_NAMES[refEngine]}: ${d}`);
      } else {
        out.push(`  ${pad(ds.label, 9)} ${pad(ENGINE_NAMES[e], 15)} agrees (revenue, won, lost, avg, median, win rate, every month, every rep)`);
      }
    }
    // Every run of an engine should give the same figures as its median run.
    for (const [e, r] of Object.entries(results)) {
      for (const x of r.runs) {
        if (x !== r.median && compare.differences(r.median.figures, x.figures).length) {
          mismatches++;
          out.push(`  ${pad(ds.label, 9)} MISMATCH ${ENGINE_NAMES[e]}: its runs disagree with one another`);
          break;
        }
      }
    }
  }
  return { text: out.join("\n"), mismatches, compared };
}

// ---------------------------------------------------------------- main

function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

let browser = null;
let server = null;
let nativeChild = null;
async function cleanup() {
  if (nativeChild) killGroup(nativeChild);
  const b = browser;
  const s = server;
  browser = null;
  server = null;
  if (b) await b.close().catch(() => {});
  if (s) {
    s.closeAllConnections?.();
    await new Promise((ok) => s.close(() => ok()));
  }
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(sig, async () => {
    console.error(`\nbench: ${sig}, closing Chromium and the server`);
    await cleanup();
    process.exit(130);
  });
}

async function main() {
  const sets = datasets();
  prepare();
  const { serve } = await import(pathToFileURL(join(BENCH, "server.mjs")).href);
  const compare = await import(pathToFileURL(join(BENCH, "compare.mjs")).href);
  const { chromium } = await import(pathToFileURL(join(BENCH, "node_modules/playwright-core/index.mjs")).href);

  const prepared = sets.map(generate);

  server = await serve();
  const base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  const cdp = await browser.newBrowserCDPSession();
  const ctx = { browser, cdp, base };

  const wasm = readFileSync(WASM);
  const header = [
    "",
    "Pelacak benchmark",
    `machine     ${machine()}`,
    `software    Chromium ${browser.version()} headless, Node ${process.version}, ` +
      `DuckDB-WASM ${version("@duckdb/duckdb-wasm")} (eh bundle, self-hosted), PapaParse ${version("papaparse")} (default mode)`,
    `wasm        www/pkg/pelacak_core_bg.wasm (first paint, text files) ${wasm.length.toLocaleString("en")} bytes raw, ${gzipSync(wasm).length.toLocaleString("en")} gzipped; ` +
      `with the xlsx reader (loaded on the first spreadsheet) ${readFileSync(WASM_FULL).length.toLocaleString("en")} raw, ${gzipSync(readFileSync(WASM_FULL)).length.toLocaleString("en")} gzipped`,
  ];
  const loadBefore = loadavg()[0];
  const measured = [];
  for (const ds of prepared) measured.push(await measure(ctx, ds));
  await cleanup();
  header.push(
    `load        1-min load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after (other processes share the ${cpus().length} cores)`,
  );
  const idle = measured.flatMap((m) => Object.values(m.results).map((r) => r.idleRssBytes)).filter((x) => x);

  const checked = checks(measured, compare);
  const failures = measured.flatMap(({ ds, results }) =>
    Object.entries(results)
      .filter(([, r]) => r.error)
      .map(([e, r]) => `bench: ${ds.label} ${ENGINE_NAMES[e]} FAILED${r.runs.length ? " (in a later run)" : ""}: ${r.error}`),
  );
  const phases = details(measured);
  console.log(
    [
      header.join("\n"),
      "",
      table(measured),
      "",
      "time       file → complete figures, after start-up: Pelacak streams the File into the Workbook in a module worker as the page does " +
        "(a file of 64 MiB or more is read and tokenised by a helper worker while the engine's worker types its windows; 'one worker' reads it in the engine's worker, in 4 MiB slices, two reads in flight), then report({}); " +
        "DuckDB registers the File, CREATE TABLE … read_csv_auto, 3 KPI queries; PapaParse file.text() + Papa.parse(text, {header: true}) + JS aggregation; native: `pelacak report FILE` wall time, process start included",
      "start-up   worker + wasm compile/instantiate, cold (no-store); Pelacak: + the warm-up on made-up rows (a few, then 2,000 deals with their history, activities and leads) that the page does while idle (www/src/warmup.js); DuckDB: import + worker + instantiate + connect; PapaParse: loading its script",
      "MB/s       input bytes (10^6) / time",
      "wasm mem   memory.buffer.byteLength after the figures (wasm memory never shrinks: its peak); Pelacak's counts its helper worker's too",
      "JS heap    performance.memory.usedJSHeapSize of the page's main thread after the figures (PapaParse runs there, read with its rows alive; workers expose no performance.memory)",
      "tab RSS    peak RSS (VmHWM) of the page's renderer process: the workers, wasm memory and JS heaps together" +
        (idle.length ? ` (the idle bench page before a run: ${mib(Math.min(...idle))})` : "") +
        "; native: peak RSS from /usr/bin/time",
      "runs       each run in a fresh browser context (its own renderer process): the engine starts and compiles cold, as on a first visit",
      "vs Pelacak time ÷ Pelacak (wasm) time",
      ...(measured.some((m) => m.ds.full)
        ? ["full 100k  the demo set with activities (7 files): Pelacak only — the peers compute the deal KPIs of deals.csv, and this set's products table values amountless wins at list price"]
        : []),
      ...(phases ? ["", "Runs and phases (phases of the median run)", phases] : []),
      ...(checked.text
        ? ["", "Figures check (counts exact, money 1e-6 relative, win rate 1e-9; months and reps missing on one side count as 0)", checked.text]
        : []),
      "",
      ...failures,
      checked.mismatches
        ? `bench: ${checked.mismatches} MISMATCH(ES) between engines — see above`
        : checked.compared
          ? `bench: the engines that completed agree on the figures (${checked.compared} comparisons)`
          : "bench: nothing to compare (fewer than two engines completed a data set)",
    ].join("\n"),
  );
  if (checked.mismatches) process.exitCode = 2;
  const big = measured.find((m) => m.ds.big);
  if (big) {
    const r = big.results.pelacak;
    console.log(
      r?.median
        ? `2 GB file   completed: yes — ${(big.ds.bytes / 1e9).toFixed(2)} GB, ${big.ds.deals.toLocaleString("en")} rows in ${secs(r.ms)} ` +
            `(${(big.ds.bytes / MB / (r.ms / 1000)).toFixed(0)} MB/s), wasm memory ${mib(r.wasmBytes)}, tab RSS ${mib(r.rssBytes)}` +
            (r.median.rows?.notRead
              ? `; ${r.median.rows.used.toLocaleString("en")} rows typed, ${r.median.rows.notRead.toLocaleString("en")} reported as not read ` +
                "(too_large: past the browser's memory budget for one table)"
              : "; every row read")
        : `2 GB file   completed: NO (${(big.ds.bytes / 1e9).toFixed(2)} GB, ${big.ds.deals.toLocaleString("en")} rows) — see the FAILED line above`,
    );
  }
}

try {
  await main();
} catch (e) {
  console.error(`bench: ${e?.stack ?? e}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
