// Checks that need no browser: the two languages have the same keys and
// cover every key the page uses, the page's column lists match the
// engine's, the CSV export defuses formulas, the offline cache lists
// every module of the page, a file is read in slices as it says, the
// engine's warm-ups read their made-up tables as their kinds, the number
// formatters made once are told apart by every option, work put off
// until idle runs in order, the worker's reports already worked out
// are looked up by query within their bounds, and a report posted with its
// stalled deals' list as text gives the same list back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DICTIONARIES } from "../../www/src/i18n.js";
import { KINDS } from "../../www/src/schema.js";
import { csvCell, toCsv } from "../../www/src/export.js";
import { previousRange, presetRange } from "../../www/src/dates.js";
import { slices } from "../../www/src/reads.js";
import { Fmt } from "../../www/src/format.js";
import { later, flush } from "../../www/src/later.js";
import { ReportMemo } from "../../www/src/memo.js";
import { withStalledList } from "../../www/src/engine.js";
import { ROOT } from "./helpers.mjs";

const SRC = join(ROOT, "www/src");

test("English and Bahasa Indonesia have the same keys, and every key the page uses", () => {
  const en = Object.keys(DICTIONARIES.en).sort();
  const id = Object.keys(DICTIONARIES.id).sort();
  assert.deepEqual(id, en);
  for (const [k, v] of Object.entries(DICTIONARIES.id)) {
    const params = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(params(v), params(DICTIONARIES.en[k]), `placeholders of ${k}`);
  }
  const used = new Set();
  for (const f of readdirSync(SRC).filter((f) => f.endsWith(".js"))) {
    for (const m of readFileSync(join(SRC, f), "utf8").matchAll(/\bt\("([\w.]+)"/g)) used.add(m[1]);
  }
  const missing = [...used].filter((k) => !(k in DICTIONARIES.en));
  assert.deepEqual(missing, []);
  for (const kind of Object.keys(KINDS)) {
    assert.ok(`kind.${kind}` in DICTIONARIES.en, kind);
    for (const col of KINDS[kind]) assert.ok(`col.canon.${col}` in DICTIONARIES.en, col);
  }
});

test("the mapping view offers the engine's canonical columns", () => {
  const rs = readFileSync(join(ROOT, "src/schema/kinds.rs"), "utf8");
  const body = rs.slice(rs.indexOf("pub fn columns(kind: Kind)"));
  const engine = {};
  for (const m of body.matchAll(/Kind::(\w+) => &\[([\s\S]*?)\]/g)) {
    const kind = m[1].replace(/[A-Z]/g, (c, i) => (i ? "_" : "") + c.toLowerCase());
    engine[kind] = [...m[2].matchAll(/col!\("(\w+)"/g)].map((c) => c[1]);
  }
  assert.deepEqual(KINDS, engine);
});

test("CSV cells that a spreadsheet would run are defused", () => {
  assert.equal(csvCell("=1+2"), "'=1+2");
  assert.equal(csvCell("+SUM(A1)"), "'+SUM(A1)");
  assert.equal(csvCell("-2+3"), "'-2+3");
  assert.equal(csvCell("@cmd"), "'@cmd");
  assert.equal(csvCell("\tx"), "'\tx");
  assert.equal(csvCell("\rx"), '"\'\rx"');
  assert.equal(csvCell('=HYPERLINK("http://x","y")'), '"\'=HYPERLINK(""http://x"",""y"")"');
  assert.equal(csvCell("Ayu, Lestari"), '"Ayu, Lestari"');
  assert.equal(csvCell(-1200.5), "-1200.5");
  assert.equal(csvCell(null), "");
  assert.equal(toCsv(["a", "b"], [[1, "x"]]), "\ufeffa,b\r\n1,x\r\n");
});

test("previous ranges and presets are calendar arithmetic", () => {
  assert.deepEqual(previousRange("2025-04-01", "2025-06-30"), ["2025-01-01", "2025-03-31"]);
  assert.deepEqual(previousRange("2024-03-01", "2024-03-31"), ["2024-02-01", "2024-02-29"]);
  assert.deepEqual(previousRange("2024-03-05", "2024-03-31"), ["2024-02-07", "2024-03-04"]);
  assert.deepEqual(presetRange("quarter", "2025-06-30", 1), ["2025-04-01", "2025-06-30"]);
  assert.deepEqual(presetRange("year", "2025-02-10", 4), ["2024-04-01", "2025-02-10"]);
  assert.deepEqual(presetRange("last30", "2024-03-01", 1), ["2024-02-01", "2024-03-01"]);
});

test("the offline cache lists every file of the page", () => {
  const sw = readFileSync(join(ROOT, "www/sw.js"), "utf8");
  for (const f of readdirSync(SRC)) assert.ok(sw.includes(`"src/${f}"`), f);
  for (const f of [
    "index.html",
    "embed.html",
    "styles.css",
    "pelacak.css",
    "pkg/pelacak.js",
    "pkg/pelacak_bg.wasm",
    "vendor/d3.min.js",
    "vendor/plot.umd.min.js",
  ])
    assert.ok(sw.includes(`"${f}"`), f);
  assert.ok(!/https?:\/\//.test(sw.replace(/\/\/.*$/gm, "")), "no absolute URL");
});

test("the page preloads every module it imports, and only those", () => {
  // The static imports from app.js, followed through the page's own modules.
  const graph = new Set();
  const walk = (f) => {
    if (graph.has(f)) return;
    graph.add(f);
    const text = readFileSync(join(SRC, f), "utf8");
    for (const m of text.matchAll(/^import\s[^;]*?from\s+"\.\/([\w-]+\.js)";/gms)) walk(m[1]);
    for (const m of text.matchAll(/^import\s+"\.\/([\w-]+\.js)";/gm)) walk(m[1]);
  };
  walk("app.js");
  graph.delete("app.js");
  assert.ok(graph.has("later.js") && graph.has("pelacak-dashboard.js") && !graph.has("worker.js"), [...graph].join(" "));
  const html = readFileSync(join(ROOT, "www/index.html"), "utf8");
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="src\/([\w-]+\.js)">/g)].map((m) => m[1]);
  assert.deepEqual([...preloaded].sort(), [...graph].sort());
});

test("a file is read whole, in order, in growing slices, two reads ahead", async () => {
  const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) % 251);
  // A Blob that counts the reads asked for and not yet used.
  let open = 0;
  let most = 0;
  const sizes = [];
  const blob = {
    size: bytes.length,
    slice(a, b) {
      const part = bytes.slice(a, b);
      sizes.push(part.length);
      return {
        arrayBuffer: async () => {
          open++;
          most = Math.max(most, open);
          return part.buffer;
        },
      };
    },
  };
  const got = [];
  for await (const buf of slices(blob, { first: 1000, size: 16_000, inFlight: 2 })) {
    open--;
    got.push(...new Uint8Array(buf));
  }
  assert.deepEqual(Uint8Array.from(got), bytes);
  // 1000, 2000, 4000, 8000, then 16,000 each: 15,000 in the first four,
  // 85,000 in five of 16,000 and the last 5,000.
  assert.deepEqual(sizes, [1000, 2000, 4000, 8000, 16_000, 16_000, 16_000, 16_000, 16_000, 5000]);
  // Two reads in flight while the slice before them is in use.
  assert.equal(most, 3, `${most} slices asked for and not yet used`);
  // An empty file has no slice.
  const none = [];
  for await (const buf of slices(new Blob([]), { size: 4 })) none.push(buf);
  assert.deepEqual(none, []);
});

/**
 * The core module, and a Workbook class that keeps every report it gives
 * and counts its frees (in `seen.reports`, `seen.freed`).
 */
async function recordingCore() {
  const core = await import("../../www/pkg/pelacak_core.js");
  core.initSync({ module: readFileSync(join(ROOT, "www/pkg/pelacak_core_bg.wasm")) });
  const seen = { reports: [], freed: 0 };
  class Recording extends core.Workbook {
    report(q) {
      const r = super.report(q);
      seen.reports.push(r);
      return r;
    }
    free() {
      seen.freed++;
      super.free();
    }
  }
  return { core, Recording, seen };
}

test("the engine's warm-up reads every made-up table as its kind, reports on it, frees it and gives its report back", async () => {
  const { warmUp } = await import("../../www/src/warmup.js");
  const { core, Recording, seen } = await recordingCore();
  const reports = seen.reports;
  const returned = warmUp(Recording);
  assert.equal(reports.length, 2);
  assert.equal(seen.freed, 1);
  // The whole-range report comes back, for the page to draw off screen.
  assert.equal(returned, reports[0]);
  const tables = Object.fromEntries(reports[0].dataQuality.tables.map((t) => [t.file, [t.table, t.rowsRead, t.rowsUsed]]));
  assert.deepEqual(tables, {
    "deals.csv": ["deals", 3, 3],
    "stage_history.csv": ["stage_history", 3, 3],
    "activities.csv": ["activities", 2, 2],
    "leads.csv": ["leads", 1, 1],
    "quotas.csv": ["quotas", 1, 1],
    "reps.csv": ["reps", 1, 1],
    "products.csv": ["products", 1, 1],
  });
  // D1 won (100), D2 lost, D3 open (70); January alone for Ana: D1 created, nothing closed.
  const s = reports[0].summary;
  assert.deepEqual([s.revenue, s.dealsWon, s.dealsLost, s.dealsOpen], [100, 1, 1, 1]);
  assert.deepEqual([reports[1].summary.dealsWon, reports[1].query.filters.rep], [0, ["Ana"]]);
  // A warm-up that fails changes nothing: no error escapes, the workbook is still freed.
  let broken = 0;
  class Failing extends core.Workbook {
    report() {
      throw new Error("no report");
    }
    free() {
      broken++;
      super.free();
    }
  }
  assert.equal(warmUp(Failing), null);
  assert.equal(broken, 1);
});

test("the longer warm-up reads its made-up tables whole, reports on them, and stops when asked", async () => {
  const { warmUpMore, madeUpTables } = await import("../../www/src/warmup.js");
  const { core, Recording, seen } = await recordingCore();
  const reports = seen.reports;
  assert.equal(await warmUpMore(Recording, undefined, core.Tokeniser), true);
  // Four reports on the tables, then four on the deals read as a large file.
  assert.equal(reports.length, 8);
  assert.equal(seen.freed, 5);
  // The last four: the deals alone, read in windows as a large file is.
  for (const r of reports.slice(4)) {
    assert.deepEqual(
      r.dataQuality.tables.map((t) => [t.file, t.rowsRead, t.rowsUsed]),
      [["deals.csv", 2000, 2000]],
    );
  }
  // Every made-up row is read and used (warming the rejection paths instead
  // would leave the reading code cold), as many as the text has lines.
  const text = Object.fromEntries(madeUpTables(2000));
  const lines = (name) => text[name].trimEnd().split("\n").length - 1;
  for (const t of reports[0].dataQuality.tables) {
    assert.equal(t.rowsRead, lines(t.file), t.file);
    assert.deepEqual([t.rowsUsed, t.rowsRejected, t.error], [t.rowsRead, 0, null], t.file);
  }
  assert.equal(lines("deals.csv"), 2000);
  assert.equal(lines("activities.csv"), 4000);
  // The won deals and their revenue, counted from the text.
  const won = text["deals.csv"].split("\n").filter((l) => l.includes(",Closed Won,"));
  const revenue = won.reduce((sum, l) => sum + Number(l.split(",")[7]), 0);
  for (const r of [reports[0], ...reports.slice(4)]) {
    assert.equal(r.summary.dealsWon, won.length);
    assert.ok(Math.abs(r.summary.revenue - revenue) <= 1e-6 * revenue, `${r.summary.revenue} ${revenue}`);
  }
  // The same tables every time.
  assert.deepEqual(madeUpTables(2000), madeUpTables(2000));
  // Busy after three steps: it stops there, frees what it made, and says so.
  reports.length = 0;
  seen.freed = 0;
  let asked = 0;
  assert.equal(await warmUpMore(Recording, () => ++asked > 3), false);
  assert.deepEqual([reports.length, seen.freed, asked], [0, 1, 4]);
  // Busy at once: nothing made.
  seen.freed = 0;
  assert.equal(await warmUpMore(Recording, () => true), false);
  assert.equal(seen.freed, 0);
});

test("formatters made once are told apart by every option they were made with", () => {
  // Each pair differs in one option only; the second of each would print
  // like the first if the cache key left that option out.
  const f = new Fmt("en");
  f.warm();
  assert.equal(f.num(1.2345, 2), "1.23");
  assert.equal(f.num(1.2345, 1), "1.2");
  assert.equal(f.money(1234, "USD"), "$1,234");
  assert.equal(f.money(1234, "EUR"), "€1,234");
  assert.equal(f.money(1234, "USD", true), "$1.2K");
  assert.equal(f.diff("money", 1234, "USD"), "+$1,234");
  assert.equal(f.pct(0.123), "12.3%");
  assert.equal(f.signedPercent(12.3), "+12.3%");
  assert.equal(f.diff("ratio", 0.123), "+12.3");
  assert.equal(f.count(1234.5), "1,235");
  assert.equal(f.compact(1234), "1.2K");
  assert.equal(f.date("2024-03-05"), "Mar 5, 2024");
  const id = new Fmt("id");
  assert.equal(id.count(1234.5), "1.235");
  assert.equal(id.date("2024-03-05"), "5 Mar 2024");
  // An unknown currency code falls back to the number and the code, each time.
  assert.equal(f.money(1234, "XX1"), "1,234 XX1");
  assert.equal(f.money(1234, "XX1"), "1,234 XX1");
});

test("work put off until idle runs in the order queued, and a failing job stops no other", async () => {
  const ran = [];
  later(() => ran.push(1));
  later(() => {
    throw new Error("planted");
  });
  later(() => ran.push(3));
  const quiet = console.error;
  console.error = () => {};
  try {
    flush();
  } finally {
    console.error = quiet;
  }
  assert.deepEqual(ran, [1, 3]);
  // Without a flush, the page's idle time (here a timer) runs them.
  later(() => ran.push(4));
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(ran, [1, 3, 4]);
});

test("the worker's memo gives back a report already worked out for the same query, within its bounds", async () => {
  const { Recording, seen } = await recordingCore();
  const w = new Recording();
  const h = w.beginFile("deals.csv");
  // Two reps; won 100 (Ana) + 250 (Budi) = 350, A01 open.
  w.push(h, new TextEncoder().encode("deal_id,owner,stage,amount,created_date,close_date\nA01,Ana,Proposal,70,2024-01-05,2024-03-01\nA02,Ana,Closed Won,100,2024-01-10,2024-02-01\nA03,Budi,Closed Won,250,2024-01-12,2024-02-20\n"));
  w.finishFile(h);
  const memo = new ReportMemo({ count: 2 });
  const get = (q) => memo.get(q, (x) => w.report(x));
  const all = get({});
  assert.equal(all.summary.revenue, 350);
  const ana = get({ filters: { rep: ["Ana"] } });
  assert.equal(ana.summary.revenue, 100);
  assert.equal(seen.reports.length, 2);
  // Back to the whole data: the same report, not a third call.
  assert.equal(get({}), all);
  assert.equal(seen.reports.length, 2);
  // A peek finds a kept report without working one out, and leaves the order
  // alone: Ana's is still the least recently used below.
  assert.equal(memo.peek({ filters: { rep: ["Ana"] } }), ana);
  assert.equal(memo.peek({ filters: { rep: ["Budi"] } }), undefined);
  assert.equal(seen.reports.length, 2);
  // A third query pushes out the least recently used (Ana's, not the whole data's).
  assert.equal(get({ filters: { rep: ["Budi"] } }).summary.revenue, 250);
  assert.equal(memo.size, 2);
  assert.equal(get({}), all);
  assert.equal(seen.reports.length, 3);
  assert.notEqual(get({ filters: { rep: ["Ana"] } }), ana, "worked out again");
  assert.equal(seen.reports.length, 4);
  // A failed report keeps nothing.
  assert.throws(() => memo.get({ bad: true }, () => { throw new Error("no"); }));
  assert.equal(memo.size, 2);
  // The weight bound: a report heavier than the budget is never kept; lighter ones
  // push the oldest out until the kept weight is within it.
  const weighed = new ReportMemo({ count: 9, budget: 3, weigh: (r) => r.w });
  let calls = 0;
  const make = (w) => () => (calls++, { w });
  weighed.get({ q: 1 }, make(4));
  assert.equal(weighed.size, 0);
  weighed.get({ q: 2 }, make(2));
  weighed.get({ q: 3 }, make(1));
  assert.equal(weighed.size, 2);
  weighed.get({ q: 4 }, make(1));
  assert.equal(weighed.size, 2, "q2 (weight 2) went to make room");
  weighed.get({ q: 3 }, make(1));
  assert.equal(calls, 4, "q3 still kept");
  weighed.clear();
  weighed.get({ q: 3 }, make(1));
  assert.equal(calls, 5, "cleared: worked out again");
  w.free();
});

test("a report posted with its stalled deals' list as text reads back as the engine's report", async () => {
  const { core } = await recordingCore();
  const w = new core.Workbook();
  const dir = join(ROOT, "tests/data/funnel/small");
  for (const f of readdirSync(dir).sort()) w.addFile(f, readFileSync(join(dir, f)));
  // tests/data/funnel/EXPECTED.md §1.5: D12 age 60, D11 time in stage 40, D10 idle 30.
  const posted = w.reportForTransfer({});
  assert.equal(typeof posted.pipeline.stalled, "string");
  // What the worker posts is cloned as the page receives it.
  const r = withStalledList(structuredClone(posted));
  assert.deepEqual(
    r.pipeline.stalled.map((d) => [d.id, d.reasons.map((x) => [x.reason, x.days])]),
    [
      ["D12", [["age", 60]]],
      ["D11", [["time in stage", 40]]],
      ["D10", [["idle", 30]]],
    ],
  );
  // Read once: the same list each time it is asked for.
  assert.equal(r.pipeline.stalled, r.pipeline.stalled);
  // Field for field and in the same order, the report `report` gives and the CLI's JSON.
  assert.equal(JSON.stringify(r), JSON.stringify(w.report({})));
  assert.deepEqual(r, JSON.parse(w.reportJson({})));
  // A report with no pipeline (no deals) and one already whole pass through.
  assert.equal(withStalledList(null), null);
  const whole = w.report({});
  assert.equal(withStalledList(whole).pipeline.stalled.length, 3);
  w.free();
});
