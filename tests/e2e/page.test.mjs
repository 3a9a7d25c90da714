// The page in real headless Chromium with the sample data: the KPI tiles
// and tables show the native engine's figures; the previous period is a
// second engine report; filters and clicks re-query the engine; the charts'
// warm-up draws the marks it stands for, and the engine's is never shown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { env, setup, open, close, nativeReport, SAMPLE, loadSample, tile, num, shot, waitReport, tempFiles } from "./helpers.mjs";

setup();

const usd = (v) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(v);

test("sample data: tiles and tables show the native engine's figures", async () => {
  const p = await open();
  await loadSample(p);
  const r = nativeReport(SAMPLE);
  assert.equal(num(await tile(p, "revenue")), r.summary.revenue);
  assert.equal(num(await tile(p, "dealsWon")), r.summary.dealsWon);
  assert.equal(num(await tile(p, "winRate")), r.summary.winRate);
  assert.equal(num(await tile(p, "avgDealSize")), r.summary.avgDealSize);
  assert.equal(num(await tile(p, "quotaShare")), r.quota.shareAtOrAbove);
  assert.equal(num(await tile(p, "quotaAttainment")), r.summary.quotaAttainment);
  assert.equal(num(await tile(p, "pipelineCoverage")), r.summary.pipelineCoverage);
  assert.equal(num(await tile(p, "openPipeline")), r.summary.openPipeline);
  assert.equal(num(await tile(p, "salesCycle")), r.summary.salesCycleDays.median);
  assert.equal(num(await tile(p, "sellingTime")), r.summary.sellingTimeShare);
  assert.equal(await p.locator('.pk-tile[data-kpi="revenue"] .pk-value').textContent(), usd(r.summary.revenue));
  const leaders = await p.locator('[data-table="leaderboard-rep"] tbody tr td:nth-child(2)').allTextContents();
  assert.deepEqual(
    leaders,
    r.byRep.map((b) => b.name),
  );
  assert.equal(await p.locator("[data-leakiest]").getAttribute("data-leakiest"), r.funnel.leakiestStage);
  assert.equal(await p.locator("[data-bottleneck]").getAttribute("data-bottleneck"), r.funnel.bottleneckStage);
  assert.equal(num(await p.locator('[data-out="leadsNeeded"]').getAttribute("data-value")), r.leadsNeeded.leadsNeeded);
  assert.equal(await p.locator("[data-dropoff]").getAttribute("data-dropoff"), r.leads.overall.largestDropOff);
  // Every chart is drawn, and has its data table.
  // (Both are drawn once the first frame is on screen: see www/src/later.js.)
  await p.waitForFunction(() => [...document.querySelectorAll(".pk-figure")].every((f) => f.querySelector(".pk-chart svg") && f.querySelector("details table")));
  for (const fig of await p.locator(".pk-figure").all()) assert.equal(await fig.locator("details table").count(), 1);
  await shot(p, "dashboard-1440");
  await p.click('[role=tab][data-view="mapping"]');
  await shot(p, "mapping-1440");
  await p.click('[role=tab][data-view="quality"]');
  await shot(p, "quality-1440");
  await close(p);
});

test("the first report is brought into view at 1280×720, unless the reader scrolled meanwhile", async () => {
  // Less motion asked for: the page jumps rather than glides, so where it
  // lands can be read at once.
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 720 }, reducedMotion: "reduce", serviceWorkers: "block" });
  const p = await open("", { context: ctx });
  const box = (sel) => p.locator(sel).evaluate((e) => JSON.parse(JSON.stringify(e.getBoundingClientRect())));
  // Before: the files panel and the controls leave the tiles below the fold; the
  // report's tabs are not shown before there is a report.
  assert.ok((await box(".pk-load")).bottom > 400, "the files panel fills the top of the page");
  assert.equal(await p.locator(".pk-tabs").isVisible(), false, "no tabs before a report");
  await loadSample(p);
  assert.equal(await p.locator(".pk-tabs").isVisible(), true);
  const tiles = await box(".pk-tiles");
  assert.ok(tiles.top >= 0 && tiles.bottom <= 720, `every tile on screen: ${JSON.stringify(tiles)}`);
  const tabs = await box(".pk-tabs");
  assert.ok(tabs.top >= 0 && tabs.top <= 24, `the report's tabs at the top: ${tabs.top}`);
  await close(p);

  // A reader who scrolled while the files were read is left where they are.
  // (The empty page is as tall as the window: room below it lets the reader scroll
  // at once, before the file list grows.)
  const q = await open("", { width: 1280, height: 720 });
  await q.evaluate(() => {
    const room = document.createElement("div");
    room.style.height = "2000px";
    document.body.append(room);
    document.querySelector("[data-action=sample]").click();
    window.scrollTo(0, 60);
  });
  assert.equal(await q.evaluate(() => window.scrollY), 60);
  await q.waitForFunction(() => document.querySelectorAll('.pk-files li[data-status="read"]').length === 7);
  await waitReport(q);
  // Long enough for a smooth scroll to the report to have ended.
  await q.waitForTimeout(1500);
  // Brought into view, the report's tabs would be at the top (the page
  // scrolled by ~850 px); left alone, the page moves only as the browser's
  // scroll anchoring holds the view still while the file list grows.
  const y = await q.evaluate(() => window.scrollY);
  assert.ok(y < 300, `left near 60 px, not moved to the report: ${y}`);
  assert.ok((await q.locator(".pk-tabs").evaluate((e) => e.getBoundingClientRect().top)) > 360, "the report still below");
  await close(q);
});

test("a chosen period is compared with the one before it, both from the engine", async () => {
  const p = await open("#range=custom&from=2025-04-01&to=2025-06-30");
  // What an embedding portal is told of the period before: its query and summary.
  await p.evaluate(() => {
    window.__previous = [];
    document.querySelector("pelacak-dashboard").addEventListener("report", (e) => {
      window.__report = e.detail.report;
      if (e.detail.previous) window.__previous.push(e.detail.previous);
    });
  });
  await loadSample(p);
  const now = nativeReport(SAMPLE, ["--from", "2025-04-01", "--to", "2025-06-30"]);
  const before = nativeReport(SAMPLE, ["--from", "2025-01-01", "--to", "2025-03-31", "--as-of", "2025-03-31"]);
  await waitReport(p, now.summary.revenue);
  // The figures come first, the comparison once the range before is computed.
  await p.waitForFunction(() => document.querySelector('.pk-tile[data-kpi="revenue"]')?.dataset.previous !== "");
  for (const [key, get] of [
    ["revenue", (r) => r.summary.revenue],
    ["dealsWon", (r) => r.summary.dealsWon],
    ["winRate", (r) => r.summary.winRate],
    ["avgDealSize", (r) => r.summary.avgDealSize],
    ["openPipeline", (r) => r.summary.openPipeline],
  ]) {
    assert.equal(num(await tile(p, key)), get(now), key);
    assert.equal(num(await tile(p, key, "previous")), get(before), `${key} previous`);
  }
  const told = await p.evaluate(() => window.__previous.at(-1));
  assert.deepEqual(Object.keys(told), ["query", "summary"]);
  assert.deepEqual(told.summary, before.summary);
  assert.deepEqual([told.query.from, told.query.to, told.query.asOf], ["2025-01-01", "2025-03-31", "2025-03-31"]);
  // The stalled deals' list crosses from the worker as text (see engine.js):
  // the portal is told the native report's list, deal for deal, and the
  // page's table shows its first rows and count.
  assert.ok(now.pipeline.stalled.length > 15, "the table shows part of the list");
  assert.deepEqual(await p.evaluate(() => window.__report.pipeline.stalled), now.pipeline.stalled);
  const stalled = p.locator('[data-table="stalled-deals"] tbody tr');
  assert.equal(await stalled.count(), 15);
  assert.deepEqual(await stalled.locator("th").allTextContents(), now.pipeline.stalled.slice(0, 15).map((d) => d.id));
  await p.locator('[data-table="stalled-deals"] .pk-link').click();
  assert.equal(await stalled.count(), now.pipeline.stalled.length);
  const change = await p.locator('.pk-tile[data-kpi="revenue"] .pk-change').textContent();
  const diff = now.summary.revenue - before.summary.revenue;
  assert.ok(
    change.includes(new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0, signDisplay: "exceptZero" }).format(diff)),
    change,
  );
  await close(p);
});

test("a fiscal-quarter preset counts back from the data's last day", async () => {
  const p = await open("#range=quarter&fy=5&gran=quarter");
  await loadSample(p);
  const r = nativeReport(SAMPLE, ["--from", "2025-05-01", "--to", "2025-06-30", "--fiscal-start", "5", "--granularity", "quarter"]);
  await waitReport(p, r.summary.revenue);
  assert.equal(await p.locator('[data-control="from"]').inputValue(), "2025-05-01");
  await p.waitForSelector('[data-chart="revenue-by-period"] details table', { state: "attached" });
  const periods = await p.locator('[data-chart="revenue-by-period"] details tbody th').allTextContents();
  assert.deepEqual(periods, r.series.map((x) => x.period));
  await close(p);
});

test("clicking a rep filters the report through the engine, and the URL keeps it", async () => {
  const p = await open();
  await loadSample(p);
  const r = nativeReport(SAMPLE, ["--filter", "rep=Budi Santoso"]);
  await p.locator('[data-section="leaderboard"] button.pk-pick', { hasText: "Budi Santoso" }).click();
  await waitReport(p, r.summary.revenue);
  assert.equal(num(await tile(p, "dealsWon")), r.summary.dealsWon);
  assert.match(decodeURIComponent(await p.evaluate(() => location.hash)), /rep=Budi\+Santoso|rep=Budi Santoso/);
  // The filter select shows it, and the chip removes it.
  assert.equal(await p.locator('[data-control="filter-rep"]').inputValue(), "Budi Santoso");
  assert.equal(await p.evaluate(() => document.activeElement.dataset.chip), "rep", "the focus moves to the filter's chip");
  await p.locator('[data-chip="rep"]').click();
  await waitReport(p, nativeReport(SAMPLE).summary.revenue);
  // The URL is written when the state changes, and only then: the filter is gone from it.
  assert.doesNotMatch(decodeURIComponent(await p.evaluate(() => location.hash)), /rep=/);
  // A bar of the region chart filters by its region.
  await p.selectOption('[data-control="breakdown"]', "region");
  const region = nativeReport(SAMPLE).byRegion[1].name;
  await p.locator('[data-chart="revenue-by-region"] g[aria-label="bar"] rect').nth(1).click();
  await waitReport(p, nativeReport(SAMPLE, ["--filter", `region=${region}`]).summary.revenue);
  assert.equal(await p.locator('[data-control="filter-region"]').inputValue(), region);
  assert.equal(new URLSearchParams(await p.evaluate(() => location.hash.slice(1))).get("region"), region);
  // A view is kept in the URL too, and the dashboard (the default) is not.
  await p.click('[role=tab][data-view="quality"]');
  assert.equal(new URLSearchParams(await p.evaluate(() => location.hash.slice(1))).get("view"), "quality");
  await p.click('[role=tab][data-view="dashboard"]');
  assert.equal(new URLSearchParams(await p.evaluate(() => location.hash.slice(1))).get("view"), null);
  await close(p);
});

test("a report draws the sections on screen first, then the rest, as a whole draw would", async () => {
  const p = await open();
  // The first report: the tiles and the first two charts in its first frame.
  const firstFrame = p.evaluate(
    () =>
      new Promise((resolve) => {
        const tick = () => {
          const sections = [...document.querySelectorAll("[data-section]")].map((s) => s.dataset.section);
          if (!sections.length) return requestAnimationFrame(tick);
          resolve({ sections, busy: document.querySelector('[role=tabpanel][data-view="dashboard"]').getAttribute("aria-busy") });
        };
        requestAnimationFrame(tick);
      }),
  );
  await loadSample(p);
  assert.deepEqual(await firstFrame, { sections: ["kpis", "revenue", "dealSize"], busy: "true" });
  assert.equal(await p.locator("[data-section]").count(), 11, "the others follow");
  const budi = nativeReport(SAMPLE, ["--filter", "rep=Budi Santoso"]);
  // Each section's text, in the frame in which the tiles first show the
  // filtered figures, and whether the panel said it was busy then. Not the
  // tables behind the charts, closed and built when the page is idle
  // (www/src/later.js).
  const texts = () =>
    Object.fromEntries(
      [...document.querySelectorAll("[data-section]")].map((s) => {
        const out = [];
        const walk = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) if (!walk.currentNode.parentElement.closest("details")) out.push(walk.currentNode.data);
        return [s.dataset.section, out.join("")];
      }),
    );
  const before = await p.evaluate(texts);
  const seen = p.evaluate(
    ([revenue, textsSrc]) =>
      new Promise((resolve) => {
        const texts = new Function(`return (${textsSrc})()`);
        const tick = () => {
          if (document.querySelector('.pk-tile[data-kpi="revenue"]')?.dataset.value !== String(revenue)) return requestAnimationFrame(tick);
          const panel = document.querySelector('[role=tabpanel][data-view="dashboard"]');
          const seen = { busy: panel.getAttribute("aria-busy"), texts: texts() };
          // Printing then draws what waits first.
          dispatchEvent(new Event("beforeprint"));
          resolve({ ...seen, printed: { busy: panel.getAttribute("aria-busy"), texts: texts() } });
        };
        requestAnimationFrame(tick);
      }),
    [budi.summary.revenue, texts.toString()],
  );
  await p.selectOption('[data-control="filter-rep"]', "Budi Santoso");
  const first = await seen;
  await waitReport(p, budi.summary.revenue);
  const after = await p.evaluate(texts);
  assert.equal(first.busy, "true", "the panel is busy while sections off screen wait");
  assert.equal(first.texts.revenue, after.revenue, "the chart on screen is drawn in the first frame");
  assert.notEqual(after.revenue, before.revenue);
  assert.equal(first.texts.leaderboard, before.leaderboard, "the leaderboard, far below, waits for the next task");
  assert.notEqual(after.leaderboard, before.leaderboard);
  assert.equal(first.printed.busy, null, "printing draws the sections that wait");
  assert.deepEqual(first.printed.texts, after);
  const leaders = await p.evaluate(() =>
    [...document.querySelectorAll('[data-section="leaderboard"] tbody tr')].filter((r) => !r.closest("details")).map((r) => r.querySelector(".pk-pick")?.textContent),
  );
  assert.deepEqual(leaders, budi.byRep.map((b) => b.name), "the leaderboard shows the filtered report");
  // The same filter drawn whole, as a first report, reads the same in every section.
  const q = await open(`#rep=${encodeURIComponent("Budi Santoso")}`);
  await loadSample(q);
  await waitReport(q, budi.summary.revenue);
  assert.deepEqual(await q.evaluate(texts), after);
  await close(q);
  await close(p);
});

test("changes made while a report is worked out ask for the latest one only", async () => {
  const p = await open();
  await loadSample(p);
  const reps = nativeReport(SAMPLE).byRep.map((b) => b.name).filter((n) => n !== null).slice(0, 5);
  const last = nativeReport(SAMPLE, ["--filter", `rep=${reps.at(-1)}`]);
  // Five reps chosen in a row, as arrowing through the list does: the first is asked for
  // at once, the other four wait for it, and only the last of them is asked for.
  await p.evaluate((reps) => {
    const engine = document.querySelector("pelacak-dashboard").engine;
    const queries = [];
    const call = engine.call.bind(engine);
    engine.call = (msg, ...rest) => {
      if (msg.op === "report") queries.push(msg.query.filters?.rep ?? []);
      return call(msg, ...rest);
    };
    const s = document.querySelector('[data-control="filter-rep"]');
    for (const rep of reps) {
      s.value = rep;
      s.dispatchEvent(new Event("change", { bubbles: true }));
    }
    window.__asked = queries;
  }, reps);
  await waitReport(p, last.summary.revenue);
  assert.deepEqual(await p.evaluate(() => window.__asked), [[reps[0]], [reps.at(-1)]]);
  assert.equal(num(await tile(p, "dealsWon")), last.summary.dealsWon);
  assert.equal(await p.locator('[data-control="filter-rep"]').inputValue(), reps.at(-1));
  await close(p);
});

test("the filter choices are the unfiltered data's, kept across filter changes and renewed by a new file", async () => {
  const p = await open();
  await loadSample(p);
  const reps = () => p.locator('[data-control="filter-rep"] option:not([value=""])').evaluateAll((os) => os.map((o) => o.value));
  const all = nativeReport(SAMPLE).byRep.map((b) => b.name).filter((n) => n !== null);
  await p.selectOption('[data-control="filter-rep"]', "Budi Santoso");
  await waitReport(p, nativeReport(SAMPLE, ["--filter", "rep=Budi Santoso"]).summary.revenue);
  assert.deepEqual(await reps(), all, "every rep stays a choice while one is chosen");
  // A range chosen with the filter on: the filtered range's figures, the same choices
  // (read off the unfiltered report once, whatever the range: see www/src/worker.js).
  await p.selectOption('[data-control="range"]', "quarter");
  await waitReport(p, nativeReport(SAMPLE, ["--filter", "rep=Budi Santoso", "--from", "2025-04-01", "--to", "2025-06-30"]).summary.revenue);
  assert.deepEqual(await reps(), all, "every rep stays a choice in a range");
  await p.selectOption('[data-control="range"]', "all");
  await waitReport(p, nativeReport(SAMPLE, ["--filter", "rep=Budi Santoso"]).summary.revenue);
  // A file with a new rep while the filter is on: the choices are worked out again.
  const [more] = tempFiles({
    "more_deals.csv": "deal_id,owner,stage,amount,currency,created_date,close_date\nZ1,Zed Tester,Closed Won,5000,USD,2025-02-01,2025-03-15\n",
  });
  await p.setInputFiles('[data-control="files"]', more);
  await p.waitForFunction(() => [...document.querySelectorAll('[data-control="filter-rep"] option')].some((o) => o.value === "Zed Tester"));
  const withMore = nativeReport([...SAMPLE, more]);
  assert.deepEqual(await reps(), withMore.byRep.map((b) => b.name).filter((n) => n !== null));
  assert.equal(await p.locator('[data-control="filter-rep"]').inputValue(), "Budi Santoso");
  // Back to every rep: the whole data's report with the new file, not the
  // one the worker kept from before it (see www/src/memo.js).
  await p.selectOption('[data-control="filter-rep"]', "");
  await waitReport(p, withMore.summary.revenue);
  assert.equal(num(await tile(p, "dealsWon")), withMore.summary.dealsWon);
  await close(p);
});

test("the page's warm-ups: the charts' draws every mark it stands for, the engine's report is never shown", async () => {
  // Run while the page waits for the engine, it must exercise the marks the
  // dashboard draws: each chart's marks counted against its made-up rows.
  const p = await open();
  const counts = await p.evaluate(async () => {
    const charts = await import("./src/charts.js");
    const svgs = charts.warmCharts(await charts.loadPlot());
    const n = (svg, mark, el) => svg.querySelectorAll(`g[aria-label="${mark}"] ${el}`).length;
    return svgs.map((svg) => ({
      bars: n(svg, "bar", "rect"),
      lines: n(svg, "line", "path"),
      dots: n(svg, "dot", "circle"),
      texts: n(svg, "text", "text"),
      ticks: n(svg, "tick", "line"),
      rules: n(svg, "rule", "line"),
    }));
  });
  assert.deepEqual(counts, [
    { bars: 4, lines: 0, dots: 0, texts: 0, ticks: 0, rules: 1 },
    { bars: 0, lines: 2, dots: 4, texts: 0, ticks: 0, rules: 1 },
    { bars: 3, lines: 0, dots: 0, texts: 3, ticks: 3, rules: 2 },
  ]);
  // The engine's warm-up report (three made-up deals: one won for 100) is
  // drawn off screen once the engine has started, and never shown.
  const warm = await p.evaluate(async () => {
    const board = document.querySelector("pelacak-dashboard");
    while (!board.engine) await new Promise((r) => setTimeout(r, 50));
    const r = await board.engine.warmReport();
    await new Promise((r) => setTimeout(r, 500));
    return { revenue: r.summary.revenue, won: r.summary.dealsWon, tiles: document.querySelectorAll(".pk-tile").length };
  });
  assert.deepEqual(warm, { revenue: 100, won: 1, tiles: 0 });
  await close(p);
});
