// Bahasa Indonesia: every label switches, numbers and money follow the
// Indonesian locale, the URL keeps the choice; and the page is usable from
// the keyboard at 375 px.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setup, open, close, loadSample, nativeReport, SAMPLE, tile, shot, drawn } from "./helpers.mjs";

setup();

test("switch to Bahasa Indonesia", async () => {
  const p = await open();
  await loadSample(p);
  const r = nativeReport(SAMPLE);
  await p.selectOption('[data-control="lang"]', "id");
  await p.waitForFunction(() => document.documentElement.lang === "id");
  assert.equal(await p.locator('.pk-tile[data-kpi="revenue"] .pk-label').textContent(), "Pendapatan");
  assert.equal(
    await p.locator('.pk-tile[data-kpi="revenue"] .pk-value').textContent(),
    new Intl.NumberFormat("id-ID", { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(r.summary.revenue),
  );
  assert.equal(
    await p.locator('.pk-tile[data-kpi="winRate"] .pk-value').textContent(),
    new Intl.NumberFormat("id-ID", { style: "percent", maximumFractionDigits: 1 }).format(r.summary.winRate),
  );
  assert.equal(await p.locator('[role=tab][data-view="mapping"]').textContent(), "Periksa pemetaan");
  assert.match(await p.title(), /peramban/);
  assert.match(await p.locator("header .tagline").textContent(), /komputer Anda/);
  assert.match(await p.locator('[data-section="funnel"]').textContent(), /Tahap paling bocor/);
  // No English label left among the tiles and section headings.
  const labels = await p.locator(".pk-tile .pk-label, .pk-section h2").allTextContents();
  for (const l of ["Revenue", "Deals won", "Win rate", "Leaderboard", "Open pipeline"]) assert.ok(!labels.includes(l), l);
  assert.match(await p.evaluate(() => location.hash), /lang=id/);
  assert.equal(await tile(p, "revenue"), String(r.summary.revenue));
  await shot(p, "dashboard-id-1440");
  // The choice survives a reload (the hash holds it; the files do not).
  await p.reload();
  await p.waitForFunction(() => document.documentElement.lang === "id");
  assert.equal(await p.locator("[data-action=sample]").textContent(), "Coba data contoh");
  await close(p);
});

test("keyboard and labels at 375 px", async () => {
  const p = await open("", { width: 375, height: 800 });
  // The drop zone opens the file chooser from the keyboard.
  // On a loaded machine the element may still re-render once after the first
  // paint and take the focus with it: focus and press again, up to 3 times.
  const drop = p.locator('[data-control="drop"]');
  let chooser = null;
  for (let attempt = 0; attempt < 3 && !chooser; attempt++) {
    await drop.focus();
    assert.equal(await p.evaluate(() => document.activeElement.dataset.control), "drop");
    [chooser] = await Promise.all([p.waitForEvent("filechooser", { timeout: 5000 }).catch(() => null), drop.press("Enter")]);
  }
  assert.ok(chooser, "Enter on the drop zone opens the file chooser");
  assert.ok(chooser.isMultiple());
  await loadSample(p);
  // Tabs move with the arrow keys.
  await p.focus('[role=tab][data-view="dashboard"]');
  await p.keyboard.press("ArrowRight");
  assert.equal(await p.locator('[role=tab][data-view="mapping"]').getAttribute("aria-selected"), "true");
  assert.equal(await p.evaluate(() => document.activeElement.dataset.view), "mapping");
  await shot(p, "mapping-375");
  await p.keyboard.press("ArrowRight");
  await shot(p, "quality-375");
  await p.keyboard.press("Home");
  assert.equal(await p.locator('[role=tab][data-view="dashboard"]').getAttribute("aria-selected"), "true");
  // Table headers sort from the keyboard.
  const sortButton = p.locator('[data-table="leaderboard-rep"] thead th:nth-child(6) button');
  // Where the focus is, should the sort not take: the button, in the
  // dashboard panel shown, and whether the table was drawn anew meanwhile.
  const where = () =>
    p.evaluate(() => {
      const a = document.activeElement;
      const shown = [...document.querySelectorAll("[role=tabpanel]")].filter((e) => !e.hidden).map((e) => e.dataset.view);
      return `${a?.tagName} ${a?.className} in ${a?.closest("[role=tabpanel]")?.dataset.view} (hidden: ${a?.closest("[role=tabpanel]")?.hidden}); panels shown: ${shown}; the table ${window.__board?.isConnected ? "the same" : "redrawn"}`;
    });
  // On a loaded machine a late report may still redraw the dashboard
  // between the focus and the key (seen in CI: the focus then on the body,
  // the table redrawn, no sort): focus the new button and press again, up
  // to 3 times. A sort that takes in a table not redrawn by anything else
  // fails at once.
  let sorted = null;
  let seen = "";
  for (let attempt = 0; attempt < 3 && sorted !== "descending"; attempt++) {
    await drawn(p);
    await p.evaluate(() => (window.__board = document.querySelector('[data-table="leaderboard-rep"]')));
    await sortButton.focus();
    const before = await where();
    await p.keyboard.press("Enter");
    sorted = await p.locator('[data-table="leaderboard-rep"] thead th:nth-child(6)').getAttribute("aria-sort");
    const after = await where();
    seen += `attempt ${attempt + 1}: focus before Enter: ${before}; after: ${after}. `;
    // Taken, or lost for another reason than the focus going with a redraw.
    if (sorted === "descending" || !before.startsWith("BUTTON") || !after.includes("table redrawn")) break;
  }
  assert.equal(sorted, "descending", seen);
  // Every control has a label, and nothing overflows the 375 px viewport.
  const unlabelled = await p.evaluate(() =>
    [...document.querySelectorAll("pelacak-dashboard select, pelacak-dashboard input:not([type=file]), pelacak-dashboard button")]
      .filter((e) => !(e.labels?.length || e.getAttribute("aria-label") || e.textContent.trim()))
      .map((e) => e.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unlabelled, []);
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 375, `page is ${overflow}px wide`);
  await shot(p, "dashboard-375");
  await close(p);
});
