// From a sub-path, as in a portal: the page works with relative URLs, the
// service worker caches the shell and the sample data so it runs offline,
// and the embedding example drives the element through its methods.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setup, env, open, close, loadSample, nativeReport, SAMPLE, tile, num, tempFiles, waitReport, ROOT, shot } from "./helpers.mjs";

setup({ prefix: "/portal/pelacak/" });

test("offline from a sub-path, through the service worker", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await open("", { context });
  await p.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((ok) => navigator.serviceWorker.addEventListener("controllerchange", ok, { once: true }));
    return reg.scope;
  });
  const cached = await p.evaluate(async () => {
    const c = await caches.open((await caches.keys())[0]);
    return (await c.keys()).map((r) => new URL(r.url).pathname);
  });
  for (const f of ["/portal/pelacak/pkg/pelacak_bg.wasm", "/portal/pelacak/sample/deals.csv", "/portal/pelacak/vendor/plot.umd.min.js"])
    assert.ok(cached.includes(f), f);
  await context.setOffline(true);
  await p.reload();
  await loadSample(p);
  assert.equal(num(await tile(p, "revenue")), nativeReport(SAMPLE).summary.revenue);
  await p.waitForSelector('[data-chart="revenue-by-period"] svg');
  await context.close();
});

test("the embedding example: lang, currency, addFiles and showReport", async () => {
  const p = await open("embed.html");
  await p.waitForSelector("pelacak-dashboard .pk-load h2");
  assert.equal(await p.locator("pelacak-dashboard .pk-load h2").textContent(), "Berkas Anda");
  await p.click("#host-demo");
  // 12 500 000 + 9 500 000 + 4 250 000, in rupiah.
  await waitReport(p, 26250000);
  const shown = await p.locator('.pk-tile[data-kpi="revenue"] .pk-value').textContent();
  assert.equal(shown, new Intl.NumberFormat("id-ID", { style: "currency", currency: "IDR", maximumFractionDigits: 0 }).format(26250000));
  await shot(p, "embed-1440");
  // A report computed by the CLI, shown as it is.
  const r = nativeReport([join(ROOT, "tests/data/hubspot_deals.csv")]);
  const [file] = tempFiles({ "report.json": JSON.stringify(r) });
  await p.setInputFiles("#host-report", file);
  await waitReport(p, r.summary.revenue);
  assert.equal(num(await tile(p, "dealsWon")), r.summary.dealsWon);
  assert.equal(await p.locator(".pk-explore").isHidden(), true);
  await close(p);
  void writeFileSync;
});
