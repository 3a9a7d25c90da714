// A large file is typed while it streams and its text is not kept. `?window=4096`
// makes the sample's files stream that way in the browser: the report must be
// the native engine's, and a mapping change must read the file again. Such
// files are tokenised by a helper worker while the engine's worker types
// them: the engine's answers say how many windows the helper sent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setup, env, ROOT, open, close, nativeReport, SAMPLE, loadSample, tile, num, waitReport } from "./helpers.mjs";

/**
 * Records what the engine's worker tells the page: in `window.helperWindows`,
 * the count each "add" answer gives of the windows the helper sent; in
 * `window.sheetRows`, the rows a spreadsheet's sheets have read.
 */
function recordWorkerNews() {
  window.helperWindows = [];
  window.sheetRows = [];
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", ({ data }) => {
        if (data?.result?.helperWindows !== undefined) window.helperWindows.push(data.result.helperWindows);
        if (data?.progress?.rows !== undefined) window.sheetRows.push([data.progress.name, data.progress.rows, data.progress.of ?? null]);
      });
    }
  };
}

setup();

/** Records, in `window.statuses`, every status line the page shows from now on. */
function recordStatuses(p) {
  return p.evaluate(() => {
    window.statuses = [];
    const el = document.querySelector("pelacak-dashboard .pk-status");
    new MutationObserver(() => window.statuses.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
  });
}

test("streamed sample: the native figures, and a mapping change reads the file again", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: "block" });
  await context.addInitScript(recordWorkerNews);
  const p = await open("?window=4096", { context });
  await loadSample(p);
  // Seven answers; the sample's files above 4 KiB came as windows of 4 KiB
  // from the helper (deals.csv alone is over 100 KiB).
  const counts = await p.evaluate(() => window.helperWindows);
  assert.equal(counts.length, 7, JSON.stringify(counts));
  assert.ok(counts[6] > 50, `windows from the helper: ${JSON.stringify(counts)}`);
  const r = nativeReport(SAMPLE);
  await waitReport(p, r.summary.revenue);
  assert.equal(num(await tile(p, "dealsWon")), r.summary.dealsWon);
  assert.equal(num(await tile(p, "winRate")), r.summary.winRate);
  assert.equal(num(await tile(p, "openPipeline")), r.summary.openPipeline);
  assert.equal(num(await tile(p, "sellingTime")), r.summary.sellingTimeShare);
  await p.click('[role=tab][data-view="mapping"]');
  await recordStatuses(p);
  // Every won deal of the sample has probability 100: with the amount read
  // from that column, revenue is 100 per deal won.
  await p.locator('[data-control="mapping"][data-file="deals.csv"][data-column="amount"]').selectOption("probability");
  await waitReport(p, 100 * r.summary.dealsWon);
  assert.equal(num(await tile(p, "dealsWon")), r.summary.dealsWon);
  assert.equal(await p.locator('[data-control="mapping"][data-file="deals.csv"][data-column="amount"]').inputValue(), "probability");
  // The page said it was reading the file again.
  const statuses = await p.evaluate(() => window.statuses);
  assert.ok(statuses.includes("Reading deals.csv again for the new mapping… 100%"), JSON.stringify(statuses));
  await close(p);
});

test("a large file tokenised by the helper can be cancelled, and the helper then reads the next", async () => {
  // 200,000 deals (about 27 MB): in windows of 4 KiB, thousands of them, far more
  // than pass before the Cancel button is clicked.
  const dir = mkdtempSync(join(tmpdir(), "pelacak-cancel-"));
  execFileSync(join(ROOT, "target/release/pelacak"), ["sample", "--deals", "200000", "--no-activities", "--out", dir]);
  const big = join(dir, "big_deals.csv");
  renameSync(join(dir, "deals.csv"), big);
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: "block" });
  await context.addInitScript(recordWorkerNews);
  const p = await open("?window=4096", { context });
  await p.setInputFiles('[data-control="files"]', big);
  const row = p.locator('.pk-files li[data-file="big_deals.csv"]');
  await row.locator("button", { hasText: "Cancel" }).click();
  await row.waitFor({ state: "detached" });
  // Nothing of it reached the report: the sample alone gives the native figures,
  // read through the same helper.
  await loadSample(p);
  const r = nativeReport(SAMPLE);
  // The report of all seven files (one drawn after the first files may still show).
  await waitReport(p, r.summary.revenue);
  assert.equal(num(await tile(p, "dealsWon")), r.summary.dealsWon);
  const names = await p.locator(".pk-files li").evaluateAll((lis) => lis.map((li) => li.dataset.file));
  assert.ok(!names.includes("big_deals.csv"), JSON.stringify(names));
  const counts = await p.evaluate(() => window.helperWindows);
  assert.ok(counts.at(-1) > 50, JSON.stringify(counts));
  await close(p);
});

test("a one-sheet spreadsheet is typed a window at a time, and a mapping change reads it again", async () => {
  // tests/data/xlsx_one_sheet.xlsx is the Deals sheet of tests/data/xlsx_deals.xlsx: won
  // 1 000 + 2 500 + 4 000 (tests/xlsx.rs). Past a first window of 40 bytes it is typed as
  // it is read, its text not kept: a mapping change must read it again.
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: "block" });
  await context.addInitScript(recordWorkerNews);
  const p = await open("?window=40", { context });
  await p.setInputFiles('[data-control="files"]', join(ROOT, "tests/data/xlsx_one_sheet.xlsx"));
  await waitReport(p, 7500);
  assert.equal(await tile(p, "dealsWon"), "3");
  // Its rows were told as its cells were read: the header and six deals, of the seven
  // its dimension (A1:F7) declares.
  assert.deepEqual(await p.evaluate(() => window.sheetRows), [["xlsx_one_sheet.xlsx", 7, 7]]);
  await p.click('[role=tab][data-view="mapping"]');
  await recordStatuses(p);
  // The amount read from the created date: each won deal's is a date (two in a date
  // format, D-003's as text), none a number, so the three are won without a value.
  await p.locator('[data-control="mapping"][data-file="xlsx_one_sheet.xlsx"][data-column="amount"]').selectOption("Created Date");
  await waitReport(p, 0);
  assert.equal(await tile(p, "dealsWon"), "3");
  const statuses = await p.evaluate(() => window.statuses);
  assert.ok(statuses.includes("Reading xlsx_one_sheet.xlsx again for the new mapping… 100%"), JSON.stringify(statuses));
  await close(p);
});

test("a spreadsheet's rows read are shown beside its bar, which is busy when the sheet does not say how many", async () => {
  const p = await open();
  const shown = await p.evaluate(() => {
    const d = document.querySelector("pelacak-dashboard");
    const f = { id: "f-test", name: "big.xlsx", status: "reading", read: 10, total: 10, message: "" };
    d.files.push(f);
    d.renderFiles();
    const li = () => d.querySelector('[data-id="f-test"]');
    const seen = [];
    const look = () => seen.push([li().querySelector("progress").getAttribute("value"), li().querySelector(".pk-rows")?.textContent ?? null]);
    look();
    Object.assign(f, { rows: 16384, of: 65536 });
    d.renderFile(f);
    look();
    Object.assign(f, { rows: 24576, of: undefined });
    d.renderFile(f);
    look();
    d.renderFiles();
    look();
    return seen;
  });
  assert.deepEqual(shown, [
    ["1", null],
    ["0.25", "16,384 rows read"],
    [null, "24,576 rows read"],
    [null, "24,576 rows read"],
  ]);
  await close(p);
});
