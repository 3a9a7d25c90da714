// The page in real headless Chromium: the sample data's KPI tiles show the
// native engine's figures, a broken file shows its error while the others
// still report, a hostile rep name stays text, and no request leaves the host.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/serve.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const SAMPLE = ["reps.csv", "products.csv", "quotas.csv", "leads.csv", "deals.csv", "stage_history.csv", "activities.csv"];
let server, browser, base;
const requests = [];

before(async () => {
  server = await serve(0);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  const foreign = requests.filter((u) => !u.startsWith(base) && !u.startsWith("data:") && !u.startsWith("blob:"));
  assert.deepEqual(foreign, [], "requests to another host");
});

async function page() {
  const p = await browser.newPage();
  p.on("request", (r) => requests.push(r.url()));
  p.on("pageerror", (e) => { throw e; });
  await p.goto(base);
  return p;
}

function nativeReport(files) {
  const out = execFileSync(join(ROOT, "target/release/pelacak"), ["report", ...files], { maxBuffer: 1 << 28 });
  return JSON.parse(out);
}

async function tileValue(p, key) {
  return p.locator(`.tile[data-kpi="${key}"]`).getAttribute("data-value");
}

test("sample data: tiles show the engine's figures", async () => {
  const p = await page();
  await p.setViewportSize({ width: 1440, height: 900 });
  await p.click("#sample");
  await p.waitForSelector("#kpis:not([hidden])");
  await p.waitForFunction(() => document.querySelector('.tile[data-kpi="revenue"]').dataset.value !== undefined);
  const r = nativeReport(SAMPLE.map((f) => join(ROOT, "www/sample", f)));
  assert.equal(Number(await tileValue(p, "revenue")), r.summary.revenue);
  assert.equal(Number(await tileValue(p, "dealsWon")), r.summary.dealsWon);
  assert.equal(Number(await tileValue(p, "winRate")), r.summary.winRate);
  assert.equal(Number(await tileValue(p, "avgDealSize")), r.summary.avgDealSize);
  assert.equal(Number(await tileValue(p, "quotaAttainment")), r.summary.quotaAttainment);
  // The text is the same number, formatted: the revenue in whole dollars.
  const shown = await p.locator('.tile[data-kpi="revenue"] .value').textContent();
  assert.equal(shown, new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(r.summary.revenue));
  const leaders = await p.locator("#leaderboard tbody tr td:nth-child(2)").allTextContents();
  assert.deepEqual(leaders, r.byRep.map((b) => b.name ?? "(no owner)"));
  await p.screenshot({ path: join(ROOT, "screenshots/sample-1440.png"), fullPage: true });
  await p.close();
});

test("uploads: a broken file shows its error, the others report, names stay text", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pelacak-e2e-"));
  const deals = join(dir, "deals.csv");
  writeFileSync(
    deals,
    "id;owner;stage;amount;close_date\n1;<img src=x onerror=alert(1)>;Menang;1.234,50;07/03/2024\n2;Budi;Kalah;500,00;15/03/2024\n",
  );
  const broken = join(dir, "broken.csv");
  writeFileSync(broken, Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 7]));
  const p = await page();
  let dialogs = 0;
  p.on("dialog", (d) => { dialogs++; d.dismiss(); });
  await p.setInputFiles("#files", [deals, broken]);
  await p.waitForSelector("#kpis:not([hidden])");
  await p.waitForFunction(() => document.querySelector('.tile[data-kpi="revenue"]').dataset.value === "1234.5");
  assert.equal(await tileValue(p, "dealsWon"), "1");
  assert.equal(Number(await tileValue(p, "winRate")), 0.5);
  const err = await p.locator("#file-list li .error").textContent();
  assert.match(err, /broken\.csv: not a text or \.xlsx file/);
  const name = await p.locator("#leaderboard tbody tr td:nth-child(2)").first().textContent();
  assert.equal(name, "<img src=x onerror=alert(1)>");
  assert.equal(await p.locator("#leaderboard img").count(), 0);
  assert.equal(dialogs, 0);
  mkdirSync(join(ROOT, "screenshots"), { recursive: true });
  await p.setViewportSize({ width: 375, height: 800 });
  await p.screenshot({ path: join(ROOT, "screenshots/upload-375.png"), fullPage: true });
  await p.close();
});
