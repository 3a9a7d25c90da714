// Uploaded files: a broken one shows its error while the others report, a
// hostile rep name stays text, an Indonesian semicolon file and a HubSpot
// export give hand-checked figures, and a mapping change recomputes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setup, open, close, tempFiles, waitReport, tile, num, shot, ROOT } from "./helpers.mjs";

setup();

test("a broken file shows its error, the others report, names stay text", async () => {
  const [deals, broken] = tempFiles({
    "deals.csv": "id;owner;stage;amount;close_date\n1;<img src=x onerror=alert(1)>;Menang;1.234,50;07/03/2024\n2;Budi;Kalah;500,00;15/03/2024\n",
    "broken.csv": Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 7]),
  });
  const p = await open();
  let dialogs = 0;
  p.on("dialog", (d) => {
    dialogs++;
    d.dismiss();
  });
  await p.setInputFiles('[data-control="files"]', [deals, broken]);
  await waitReport(p, 1234.5);
  assert.equal(await tile(p, "dealsWon"), "1");
  assert.equal(num(await tile(p, "winRate")), 0.5);
  assert.match(await p.locator('.pk-files li[data-status="error"] .pk-error').textContent(), /broken\.csv: not a text or \.xlsx file/);
  const name = await p.locator('[data-table="leaderboard-rep"] tbody tr td:nth-child(2)').first().textContent();
  assert.equal(name, "<img src=x onerror=alert(1)>");
  assert.equal(await p.locator("pelacak-dashboard img").count(), 0);
  assert.equal(dialogs, 0);
  await p.click('[role=tab][data-view="mapping"]');
  assert.match(await p.locator('[data-error="broken.csv"]').first().textContent(), /not a text or \.xlsx file/);
  await p.setViewportSize({ width: 375, height: 800 });
  await p.click('[role=tab][data-view="dashboard"]');
  await shot(p, "upload-375");
  await close(p);
});

test("an Indonesian semicolon file with decimal commas", async () => {
  const p = await open();
  await p.setInputFiles('[data-control="files"]', join(ROOT, "tests/data/semicolon_id.csv"));
  // 12 500 000.50 + 950 000 + 4 250 000.25 + 6 000 000 (tests/data/EXPECTED.md §1)
  await waitReport(p, 23700000.75);
  assert.equal(await tile(p, "dealsWon"), "4");
  assert.equal(num(await tile(p, "winRate")), 4 / 6);
  await p.click('[role=tab][data-view="mapping"]');
  const card = p.locator('[data-view="mapping"] .pk-card[data-file="semicolon_id.csv"]');
  assert.match(await card.textContent(), /“;”/);
  assert.equal(await card.locator('[data-control="mapping"][data-column="amount"]').inputValue(), "Nilai");
  assert.match(await card.locator('[data-style="amount"]').textContent(), /decimal comma/);
  assert.match(await card.locator('[data-style="close_date"]').textContent(), /day-first/);
  await close(p);
});

test("a HubSpot export, then a mapping change recomputes the report", async () => {
  const p = await open();
  await p.setInputFiles('[data-control="files"]', join(ROOT, "tests/data/hubspot_deals.csv"));
  // Won: 9001 5 000 + 9004 12 500.50 + 9006 2 750; lost 9002, 9007; open 9003, 9005, 9008.
  await waitReport(p, 20250.5);
  assert.equal(await tile(p, "dealsWon"), "3");
  assert.equal(num(await tile(p, "winRate")), 0.6);
  assert.equal(num(await tile(p, "openPipeline")), 13500);
  const reps = await p.locator('[data-table="leaderboard-rep"] tbody tr td:nth-child(2)').allTextContents();
  assert.deepEqual(reps.sort(), ["Dimas Pratama", "Rina Putri"]);
  await p.click('[role=tab][data-view="mapping"]');
  const amount = p.locator('[data-control="mapping"][data-file="hubspot_deals.csv"][data-column="amount"]');
  assert.equal(await amount.inputValue(), "Amount");
  // Point the amount at the record id: revenue becomes 9001 + 9004 + 9006.
  await amount.selectOption("Record ID");
  await waitReport(p, 27011);
  assert.equal(await p.locator('[data-control="mapping"][data-file="hubspot_deals.csv"][data-column="amount"]').inputValue(), "Record ID");
  // Unmapping the owner leaves no rep to rank: the leaderboard says so.
  await p.locator('[data-control="mapping"][data-file="hubspot_deals.csv"][data-column="owner"]').selectOption("");
  await p.waitForSelector('[data-section="leaderboard"] .pk-hint', { state: "attached" });
  assert.equal(await p.locator('[data-table="leaderboard-rep"]').count(), 0);
  assert.equal(num(await tile(p, "revenue")), 27011);
  await close(p);
});

test("a wrong table kind shows the engine's error in words; automatic detection brings the report back", async () => {
  const p = await open("#view=mapping");
  await p.setInputFiles('[data-control="files"]', join(ROOT, "tests/data/hubspot_deals.csv"));
  await waitReport(p, 20250.5);
  await p.locator('[data-view="mapping"] [data-control="kind"][data-file="hubspot_deals.csv"]').selectOption("products");
  const error = p.locator('[data-view="mapping"] [data-error="hubspot_deals.csv"]');
  await error.waitFor();
  // The engine names the file, the line and the headers it found.
  assert.match(await error.textContent(), /could not be used: hubspot_deals\.csv, line 1: .*Record ID, Deal Name/);
  assert.equal(await p.locator('[data-section="revenue"] .pk-hint').count(), 1);
  await p.locator('[data-view="mapping"] [data-control="kind"][data-file="hubspot_deals.csv"]').selectOption("");
  await waitReport(p, 20250.5);
  await close(p);
});

test("the leads-needed calculator asks the engine again with the target", async () => {
  const p = await open();
  await p.click("[data-action=sample]");
  await waitReport(p);
  const { nativeReport, SAMPLE } = await import("./helpers.mjs");
  const r = nativeReport(SAMPLE, ["--target", "5000000"]);
  await p.fill('[data-control="target"]', "5000000");
  await p.press('[data-control="target"]', "Enter");
  await p.waitForFunction((v) => document.querySelector('[data-out="leadsNeeded"]')?.dataset.value === String(v), r.leadsNeeded.leadsNeeded);
  assert.equal(Number(await p.locator('[data-out="dealsNeeded"]').getAttribute("data-value")), r.leadsNeeded.dealsNeeded);
  assert.match(await p.evaluate(() => location.hash), /target=5000000/);
  await close(p);
});

test("a spreadsheet loads the full module; files and overrides made before it carry over", async () => {
  const p = await open();
  const wasm = [];
  p.on("request", (r) => {
    if (r.url().endsWith(".wasm")) wasm.push(r.url().split("/").pop());
  });
  await p.setInputFiles('[data-control="files"]', join(ROOT, "tests/data/hubspot_deals.csv"));
  await waitReport(p, 20250.5);
  assert.deepEqual(wasm, ["pelacak_core_bg.wasm"]);
  // Amount from the record id: 9001 + 9004 + 9006 (the HubSpot test above).
  await p.click('[role=tab][data-view="mapping"]');
  await p.locator('[data-control="mapping"][data-file="hubspot_deals.csv"][data-column="amount"]').selectOption("Record ID");
  await waitReport(p, 27011);
  // The workbook's Deals sheet: won 1 000 + 2 500 + 4 000 (tests/xlsx.rs).
  await p.setInputFiles('[data-control="files"]', join(ROOT, "tests/data/xlsx_deals.xlsx"));
  await waitReport(p, 27011 + 7500);
  assert.deepEqual(wasm, ["pelacak_core_bg.wasm", "pelacak_bg.wasm"]);
  assert.equal(await tile(p, "dealsWon"), "6");
  assert.equal(await p.locator('[data-control="mapping"][data-file="hubspot_deals.csv"][data-column="amount"]').inputValue(), "Record ID");
  await close(p);
});
