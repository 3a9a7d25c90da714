// A large file is typed while it streams and its text is not kept. `?window=4096`
// makes the sample's files stream that way in the browser: the report must be
// the native engine's, and a mapping change must read the file again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setup, open, close, nativeReport, SAMPLE, loadSample, tile, num, waitReport } from "./helpers.mjs";

setup();

test("streamed sample: the native figures, and a mapping change reads the file again", async () => {
  const p = await open("?window=4096");
  await loadSample(p);
  const r = nativeReport(SAMPLE);
  assert.equal(num(await tile(p, "revenue")), r.summary.revenue);
  assert.equal(num(await tile(p, "dealsWon")), r.summary.dealsWon);
  assert.equal(num(await tile(p, "winRate")), r.summary.winRate);
  assert.equal(num(await tile(p, "openPipeline")), r.summary.openPipeline);
  assert.equal(num(await tile(p, "sellingTime")), r.summary.sellingTimeShare);
  await p.click('[role=tab][data-view="mapping"]');
  // Every status line shown from here on.
  await p.evaluate(() => {
    window.statuses = [];
    const el = document.querySelector("pelacak-dashboard .pk-status");
    new MutationObserver(() => window.statuses.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
  });
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
