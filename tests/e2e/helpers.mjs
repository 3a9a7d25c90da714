// Shared set-up for the browser tests: the static server with the page's
// CSP, Debian's Chromium, a record of every request (none may leave
// 127.0.0.1), and the native engine for expected figures.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/serve.mjs";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const SAMPLE = ["reps.csv", "products.csv", "quotas.csv", "leads.csv", "deals.csv", "stage_history.csv", "activities.csv"].map((f) =>
  join(ROOT, "www/sample", f),
);
export const SHOTS = join(ROOT, "screenshots");
mkdirSync(SHOTS, { recursive: true });

export const env = { base: "", browser: null, server: null, requests: [] };

/** Starts the server and the browser for one test file; checks every request stayed local. */
export function setup({ prefix = "/" } = {}) {
  before(async () => {
    env.server = await serve(0, "127.0.0.1", { prefix });
    env.base = `http://127.0.0.1:${env.server.address().port}${prefix}`;
    env.browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  after(async () => {
    await env.browser?.close();
    env.server?.close();
    const origin = new URL(env.base).origin;
    const foreign = env.requests.filter((u) => !u.startsWith("data:") && !u.startsWith("blob:") && new URL(u).origin !== origin);
    assert.deepEqual(foreign, [], "requests to another host");
    assert.ok(env.requests.length > 0, "the tests made requests");
  });
}

/** A fresh page (its own context) at `path`, recording requests and failing on page errors. */
export async function open(path = "", { width = 1440, height = 900, context } = {}) {
  const ctx = context ?? (await env.browser.newContext({ viewport: { width, height }, acceptDownloads: true, serviceWorkers: "block" }));
  const p = await ctx.newPage();
  p.errors = [];
  p.on("request", (r) => env.requests.push(r.url()));
  p.on("pageerror", (e) => p.errors.push(e));
  p.on("console", (m) => {
    if (m.type() === "error" && /Content.Security.Policy|Refused/i.test(m.text())) p.errors.push(new Error(m.text()));
  });
  await p.goto(env.base + path);
  return p;
}

/** Closes a page and its context, failing if it raised an error. */
export async function close(p) {
  const errors = p.errors;
  await p.context().close();
  assert.deepEqual(
    errors.map((e) => e.message),
    [],
    "page errors",
  );
}

/** The native CLI's report for these files and arguments. */
export function nativeReport(files, args = []) {
  const out = execFileSync(join(ROOT, "target/release/pelacak"), ["report", ...args, ...files], { maxBuffer: 1 << 28 });
  return JSON.parse(out);
}

/** Writes files to a fresh temporary folder; returns their paths. */
export function tempFiles(files) {
  const dir = mkdtempSync(join(tmpdir(), "pelacak-e2e-"));
  return Object.entries(files).map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  });
}

/** Waits for the report whose revenue tile reads `value` (or any report). */
export async function waitReport(p, revenue) {
  await p.waitForSelector('.pk-tile[data-kpi="revenue"]', { state: "attached" });
  if (revenue !== undefined) {
    await p.waitForFunction((v) => document.querySelector('.pk-tile[data-kpi="revenue"]')?.dataset.value === String(v), revenue);
  }
  await drawn(p);
}

/** Waits until the dashboard's sections off screen are drawn too (see `drawDashboard`). */
export async function drawn(p) {
  await p.waitForFunction(() => !document.querySelector('[role=tabpanel][data-view="dashboard"][aria-busy]'));
}

export async function tile(p, key, attr = "value") {
  return p.locator(`.pk-tile[data-kpi="${key}"]`).getAttribute(`data-${attr}`);
}

export const num = (v) => (v === "" || v === null ? null : Number(v));

/** Clicks "Try the sample data" and waits for the report. */
export async function loadSample(p) {
  await p.click("[data-action=sample]");
  await p.waitForFunction(() => document.querySelectorAll('.pk-files li[data-status="read"]').length === 7);
  await waitReport(p);
}

/** Full-page screenshot under screenshots/. */
export function shot(p, name) {
  return p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
