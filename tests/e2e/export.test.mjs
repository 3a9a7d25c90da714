// Exports: the report JSON is the engine's, tables download as CSV with
// formula-like cells defused, charts as SVG and PNG; printing draws the
// panels it shows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { setup, open, close, tempFiles, waitReport, nativeReport } from "./helpers.mjs";

setup();

/** A small RFC 4180 reader, enough for the page's CSV. */
function parseCsv(text) {
  const rows = [[]];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") (rows.at(-1).push(cell), (cell = ""));
    else if (c === "\r" && text[i + 1] === "\n") (rows.at(-1).push(cell), (cell = ""), rows.push([]), i++);
    else cell += c;
  }
  if (cell || rows.at(-1).length) rows.at(-1).push(cell);
  return rows.filter((r) => r.length);
}

async function saved(p, click) {
  const [download] = await Promise.all([p.waitForEvent("download"), click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

test("report JSON, formula-safe CSV, SVG and PNG", async () => {
  const [deals] = tempFiles({
    "deals.csv":
      "id,owner,stage,amount,close_date\n" +
      '1,"=HYPERLINK(""http://evil.example"",""x"")",Won,100,2024-01-05\n' +
      "2,+SUM(1;2),Won,200,2024-01-06\n" +
      "3,-2+3,Lost,300,2024-01-07\n" +
      "4,@cmd,Won,400,2024-01-08\n" +
      "5,Plain Rep,Won,500,2024-01-09\n",
  });
  const p = await open();
  await p.setInputFiles('[data-control="files"]', deals);
  await waitReport(p, 1200);

  const json = await saved(p, () => p.click('[data-export="json"]'));
  assert.equal(json.name, "pelacak-report.json");
  const report = JSON.parse(json.bytes.toString("utf8"));
  const native = nativeReport([deals]);
  assert.deepEqual(report.summary, native.summary);
  assert.deepEqual(report.byRep, native.byRep);

  const csv = await saved(p, () => p.locator('[data-table="leaderboard-rep"] [data-export="csv"]').click());
  assert.equal(csv.name, "leaderboard-rep.csv");
  const text = csv.bytes.toString("utf8");
  assert.ok(text.startsWith("\ufeff"), "BOM for spreadsheets");
  const rows = parseCsv(text.slice(1));
  assert.equal(rows[0][1], "Rep");
  const names = rows
    .slice(1)
    .map((r) => r[1])
    .sort();
  assert.deepEqual(names, ["'+SUM(1;2)", "'-2+3", '\'=HYPERLINK("http://evil.example","x")', "'@cmd", "Plain Rep"]);
  for (const r of rows) for (const cell of r) assert.ok(!/^[=+@\t\r]/.test(cell) && !/^-(?!\d)/.test(cell), `unsafe cell ${cell}`);
  // Numbers stay numbers.
  assert.ok(rows.slice(1).some((r) => r[2] === "500"));

  await p.waitForSelector('[data-chart="revenue-by-rep"] svg');
  const svg = await saved(p, () => p.locator('[data-chart="revenue-by-rep"] [data-export="svg"]').click());
  assert.equal(svg.name, "revenue-by-rep.svg");
  assert.match(svg.bytes.toString("utf8"), /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(svg.bytes.toString("utf8").includes("Plain Rep"));
  const png = await saved(p, () => p.locator('[data-chart="revenue-by-rep"] [data-export="png"]').click());
  assert.equal(png.name, "revenue-by-rep.png");
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.bytes.length > 2000);
  await close(p);
});

test("printing from the dashboard prints the data quality of the report on screen", async () => {
  // The quality panel is drawn when shown; printing shows it without a click,
  // so it must be drawn for the report of the moment, a rejected row included.
  const [deals, reps] = tempFiles({
    "deals.csv": "id,owner,stage,amount,close_date\n1,Ana,Won,100,2024-01-05\n2,Budi,Won,oops,2024-01-06\n3,Ana,Lost,300,not a date\n",
    "reps.csv": "rep,team\nAna,North\nBudi,South\n",
  });
  const p = await open();
  await p.setInputFiles('[data-control="files"]', [deals, reps]);
  const native = nativeReport([deals, reps]);
  await waitReport(p, native.summary.revenue);
  await p.emulateMedia({ media: "print" });
  await p.evaluate(() => dispatchEvent(new Event("beforeprint")));
  const quality = p.locator('.pk-panel[data-view="quality"]');
  assert.equal(await quality.evaluate((e) => getComputedStyle(e).display), "block");
  assert.deepEqual(await quality.locator("article.pk-card h3").allTextContents(), native.dataQuality.tables.map((t) => basename(t.file)));
  assert.equal(Number(await quality.locator("[data-rejected]").getAttribute("data-rejected")), native.dataQuality.rowsRejected);
  await close(p);
});
