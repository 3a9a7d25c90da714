// The in-browser half of the benchmark (driven by scripts/bench.mjs through Playwright).
// `bench.run(engine, options)` takes the File objects of the page's <input type=file>
// (disk-backed, as a user's pick would be), starts the engine (timed as start-up), runs
// file → figures (timed), and returns the timings, the memory readings and the deal KPIs
// in one shape for every engine:
//   { revenue, dealsWon, dealsLost, avgDealSize, medianDealSize, winRate,
//     series: { "2024-03": revenue }, byRep: { name: revenue } }

const now = () => performance.now();
// performance.memory exists on the main thread only (with --enable-precise-memory-info); the
// workers' heaps are covered by the renderer's peak RSS, which the runner reads from /proc.
const heap = () => performance.memory?.usedJSHeapSize ?? null;

/** Waits for the worker's first message, `{ ready }`, or its error. */
function started(worker) {
  return new Promise((ok, fail) => {
    worker.onmessage = ({ data }) => (data.ready ? ok(data) : fail(new Error(data.error ?? "worker did not start")));
    worker.onerror = (e) => fail(new Error(`worker failed to start: ${e.message ?? "error"}`));
  });
}

/** Sends one request and waits for the worker's one answer. */
function ask(worker, msg) {
  return new Promise((ok, fail) => {
    worker.onmessage = ({ data }) => (data.ok ? ok(data) : fail(new Error(data.error)));
    worker.onerror = (e) => {
      e.preventDefault?.();
      fail(new Error(`worker error: ${e.message ?? "error"}`));
    };
    worker.postMessage(msg);
  });
}

async function pelacak(files, { helper }) {
  const t0 = now();
  const worker = new Worker("pelacak-worker.js", { type: "module" });
  try {
    await started(worker);
    const startupMs = now() - t0;
    const t1 = now();
    const r = await ask(worker, { files, helper });
    const ms = now() - t1;
    return { startupMs, ms, phases: r.phases, wasmBytes: r.wasmBytes, heapBytes: heap(), figures: r.figures, notes: r.notes, rows: r.rows };
  } finally {
    worker.terminate();
  }
}

// PapaParse runs on the page's main thread (its own docs' usage for a string), so that
// performance.memory, which workers do not have, sees the decoded text and the parsed rows.
async function papaparse(files) {
  const t0 = now();
  await loadScript("/nm/papaparse/papaparse.min.js");
  const startupMs = now() - t0;
  const t1 = now();
  const text = await files[0].text();
  const t2 = now();
  // Chromium resolves text() with "" when the text would exceed V8's longest string.
  if (text.length === 0 && files[0].size > 0) {
    throw new Error(
      `file.text() gave an empty string for a ${(files[0].size / 1e6).toFixed(0)} MB file: its text is longer than ` +
        "V8's longest string (2^29 − 24 characters), so it cannot be decoded into one string for Papa.parse",
    );
  }
  const parsed = Papa.parse(text, { header: true });
  const t3 = now();
  const figures = papaKpis(parsed.data);
  const t4 = now();
  // Read while the text and the parsed rows are still alive: the JS heap at its fullest.
  const heapBytes = heap();
  const notes = [];
  if (parsed.errors.length) {
    const e = parsed.errors[0];
    notes.push(`${parsed.errors.length} Papa error(s), first: ${e.code} at row ${e.row}: ${e.message}`);
  }
  return {
    startupMs,
    ms: t4 - t1,
    phases: { "file.text()": t2 - t1, "Papa.parse": t3 - t2, aggregate: t4 - t3 },
    wasmBytes: null,
    heapBytes,
    figures,
    notes,
  };
}

function loadScript(src) {
  if (window.Papa) return Promise.resolve();
  return new Promise((ok, fail) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = ok;
    s.onerror = () => fail(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

/** The deal KPIs in plain JS over Papa's rows (all values are strings in the default mode),
 *  with the engine's rules: status from `stage`, an empty amount is left out of the money
 *  figures but the deal still counts, median by linear interpolation (numpy's default). */
function papaKpis(rows) {
  let revenue = 0;
  let dealsWon = 0;
  let dealsLost = 0;
  const values = [];
  const series = {};
  const byRep = {};
  for (const r of rows) {
    const stage = r.stage;
    if (stage === undefined) continue; // the empty last line
    const owner = r.owner || null; // a missing owner keys as "null", as in the other engines
    if (!(owner in byRep)) byRep[owner] = 0;
    if (stage === "Closed Lost") dealsLost++;
    if (stage !== "Closed Won") continue;
    dealsWon++;
    if (r.amount === "" || r.amount === undefined) continue;
    const v = Number(r.amount);
    revenue += v;
    values.push(v);
    const month = r.close_date.slice(0, 7);
    series[month] = (series[month] ?? 0) + v;
    byRep[owner] += v;
  }
  const sorted = Float64Array.from(values).sort();
  let median = null;
  if (sorted.length) {
    const pos = (sorted.length - 1) * 0.5;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    median = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
  return {
    revenue,
    dealsWon,
    dealsLost,
    avgDealSize: values.length ? revenue / values.length : null,
    medianDealSize: median,
    winRate: dealsWon + dealsLost ? dealsWon / (dealsWon + dealsLost) : null,
    series,
    byRep,
  };
}

const KPI_SQL = `
  SELECT sum(amount) FILTER (WHERE stage = 'Closed Won') AS revenue,
         count(*) FILTER (WHERE stage = 'Closed Won') AS won,
         count(*) FILTER (WHERE stage = 'Closed Lost') AS lost,
         avg(amount) FILTER (WHERE stage = 'Closed Won') AS avg_size,
         quantile_cont(amount, 0.5) FILTER (WHERE stage = 'Closed Won') AS median_size,
         count(*) FILTER (WHERE stage = 'Closed Won') /
           nullif(count(*) FILTER (WHERE stage IN ('Closed Won', 'Closed Lost')), 0) AS win_rate
  FROM deals`;
const SERIES_SQL = `
  SELECT strftime(CAST(close_date AS DATE), '%Y-%m') AS period, sum(amount) AS revenue
  FROM deals WHERE stage = 'Closed Won' GROUP BY 1 ORDER BY 1`;
const OWNER_SQL = `
  SELECT owner, coalesce(sum(amount) FILTER (WHERE stage = 'Closed Won'), 0) AS revenue
  FROM deals GROUP BY 1 ORDER BY 2 DESC`;

async function duckdb(files) {
  const t0 = now();
  const duck = await import("@duckdb/duckdb-wasm");
  const dist = new URL("/nm/@duckdb/duckdb-wasm/dist/", location.href).href;
  // The eh bundle, which selectBundle picks without cross-origin isolation. Our worker wraps
  // DuckDB's own to read its wasm memory size afterwards (see duckdb-worker.js).
  const worker = new Worker("duckdb-worker.js");
  const db = new duck.AsyncDuckDB(new duck.VoidLogger(), worker);
  try {
    await db.instantiate(`${dist}duckdb-eh.wasm`);
    const conn = await db.connect();
    const startupMs = now() - t0;

    const t1 = now();
    const file = files[0];
    await db.registerFileHandle(file.name, file, duck.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    await conn.query(`CREATE TABLE deals AS SELECT * FROM read_csv_auto('${file.name}')`);
    const t2 = now();
    const k = (await conn.query(KPI_SQL)).toArray()[0].toJSON();
    const series = (await conn.query(SERIES_SQL)).toArray().map((r) => r.toJSON());
    const owners = (await conn.query(OWNER_SQL)).toArray().map((r) => r.toJSON());
    const t3 = now();
    const ms = t3 - t1;
    const schema = (await conn.query("DESCRIBE deals")).toArray().map((r) => `${r.column_name}:${r.column_type}`);
    const mem = await duckdbMemory();
    await conn.close();
    const num = (v) => (v === null || v === undefined ? null : Number(v));
    return {
      startupMs,
      ms,
      phases: { "ingest (read_csv_auto → table)": t2 - t1, "3 KPI queries": t3 - t2 },
      wasmBytes: mem.wasmBytes,
      heapBytes: heap(),
      figures: {
        revenue: num(k.revenue),
        dealsWon: num(k.won),
        dealsLost: num(k.lost),
        avgDealSize: num(k.avg_size),
        medianDealSize: num(k.median_size),
        winRate: num(k.win_rate),
        series: Object.fromEntries(series.map((r) => [r.period, num(r.revenue)])),
        byRep: Object.fromEntries(owners.map((r) => [r.owner, num(r.revenue)])),
      },
      notes: [`columns ${schema.join(", ")}`],
    };
  } finally {
    await db.terminate().catch(() => {});
    worker.terminate();
  }
}

/** Asks the DuckDB worker wrapper, over a BroadcastChannel, for the size of its wasm memory. */
function duckdbMemory() {
  return new Promise((ok) => {
    const bc = new BroadcastChannel("bench-duckdb-memory");
    const timer = setTimeout(() => (bc.close(), ok({ wasmBytes: null })), 5000);
    bc.onmessage = ({ data }) => {
      clearTimeout(timer);
      bc.close();
      ok(data);
    };
    bc.postMessage("measure");
  });
}

// "pelacak1": every file read and tokenised in the engine's own worker (no helper), to show
// what the second worker brings.
const ENGINES = { pelacak, pelacak1: (files, o) => pelacak(files, { ...o, helper: false }), duckdb, papaparse };

window.bench = {
  async run(engine, options = {}) {
    const files = [...document.getElementById("files").files];
    if (!files.length) throw new Error("no file was given to the page");
    if (!ENGINES[engine]) throw new Error(`unknown engine ${engine}`);
    return ENGINES[engine](files, options);
  },
};
// The marker worker lets the benchmark find this page's renderer process (see marker-worker.js).
window.marker = new Worker("marker-worker.js");
window.marker.onmessage = () => (window.benchReady = true);
