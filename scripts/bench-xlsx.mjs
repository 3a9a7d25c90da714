// Part of `npm run bench`: a spreadsheet export against the same deals as CSV, in the
// full wasm module (the one with the .xlsx reader, which the page loads on the first
// spreadsheet) under Node's V8, and natively. Pelacak only: the peers read no
// .xlsx in the browser. Not a test: it prints figures.
//
//   BENCH_XLSX=100k,1m   the deals files of bench-data/ to convert (default 100k; they are
//                        made by `node scripts/bench.mjs`)
//
// The workbook is written here from bench-data/SIZE/deals.csv, the same every time: one
// sheet, text as shared strings, amounts and probabilities as numbers, dates as serials in
// a date format (as CRMs export them), into bench-data/SIZE/deals.xlsx. Each wasm run is a
// fresh Node process (wasm memory never shrinks), fed the file in 4 MiB chunks as the page's
// worker is, printing the time from the file's bytes to the complete report and the wasm
// memory after it.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";

const ROOT = new URL("../", import.meta.url).pathname;
const DATA = join(ROOT, "bench-data");
const RUNS = 3;

/** A CSV text's records (quotes and doubled quotes understood; no newline inside quotes here). */
function csvRecords(text) {
  const rows = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    const out = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let v = "";
        i++;
        for (;;) {
          const q = line.indexOf('"', i);
          v += line.slice(i, q);
          i = q + 1;
          if (line[i] === '"') {
            v += '"';
            i++;
          } else break;
        }
        out.push(v);
        i++;
      } else {
        const c = line.indexOf(",", i);
        const end = c < 0 ? line.length : c;
        out.push(line.slice(i, end).replace(/\r$/, ""));
        i = end + 1;
      }
    }
    rows.push(out);
  }
  return rows;
}

const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const colName = (i) => {
  let s = "";
  for (i += 1; i; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
};
const DAY = 86_400_000;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** The sheet and shared strings of a deals CSV's records. */
function sheetOf(rows) {
  const strings = new Map();
  const sid = (s) => {
    if (!strings.has(s)) strings.set(s, strings.size);
    return strings.get(s);
  };
  const header = rows[0];
  const kind = header.map((h) => (/date/.test(h) ? "date" : /amount|probability/.test(h) ? "num" : "text"));
  const parts = [];
  rows.forEach((row, r) => {
    const cells = row.map((v, c) => {
      if (v === "") return "";
      const ref = `${colName(c)}${r + 1}`;
      if (r > 0 && kind[c] === "num" && Number.isFinite(Number(v))) return `<c r="${ref}"><v>${Number(v)}</v></c>`;
      if (r > 0 && kind[c] === "date" && /^\d{4}-\d\d-\d\d$/.test(v)) return `<c r="${ref}" s="1"><v>${(Date.parse(v) - EXCEL_EPOCH) / DAY}</v></c>`;
      return `<c r="${ref}" t="s"><v>${sid(v)}</v></c>`;
    });
    parts.push(`<row r="${r + 1}">${cells.join("")}</row>`);
  });
  const main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${main}"><sheetData>${parts.join("")}</sheetData></worksheet>`;
  const sis = [...strings.keys()].map((s) => `<si><t>${esc(s)}</t></si>`).join("");
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${main}" count="${strings.size}" uniqueCount="${strings.size}">${sis}</sst>`;
  return { sheet, sst };
}

/** A zip of `files` ([name, text]), deflated, with a fixed date: the same bytes every time. */
function zip(files) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text, "utf8");
    const packed = deflateRawSync(data, { level: 6 });
    const nameBytes = Buffer.from(name, "utf8");
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0, 6);
    head.writeUInt16LE(8, 8);
    head.writeUInt16LE(0, 10); // 00:00
    head.writeUInt16LE(((2024 - 1980) << 9) | (1 << 5) | 1, 12); // 2024-01-01
    head.writeUInt32LE(crc32(data), 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(nameBytes.length, 26);
    head.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    head.copy(dir, 8, 6, 28); // flags … name length, as in the local header
    dir.writeUInt32LE(offset, 42);
    locals.push(head, nameBytes, packed);
    central.push(dir, nameBytes);
    offset += head.length + nameBytes.length + packed.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}

function workbook(rows) {
  const { sheet, sst } = sheetOf(rows);
  const ct = "application/vnd.openxmlformats-officedocument.spreadsheetml";
  const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const pkgRel = "http://schemas.openxmlformats.org/package/2006/relationships";
  const decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  return zip([
    [
      "[Content_Types].xml",
      `${decl}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${ct}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="${ct}.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="${ct}.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="${ct}.sharedStrings+xml"/></Types>`,
    ],
    ["_rels/.rels", `${decl}<Relationships xmlns="${pkgRel}"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    ["xl/workbook.xml", `${decl}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${rel}"><sheets><sheet name="Deals" sheetId="1" r:id="rId1"/></sheets></workbook>`],
    [
      "xl/_rels/workbook.xml.rels",
      `${decl}<Relationships xmlns="${pkgRel}"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ],
    [
      "xl/styles.xml",
      `${decl}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
    ],
    ["xl/worksheets/sheet1.xml", sheet],
    ["xl/sharedStrings.xml", sst],
  ]);
}

// One measured run, in a fresh process: `node bench-xlsx.mjs --run FILE`.
if (process.argv[2] === "--run") {
  const pkg = join(ROOT, "www/pkg");
  const m = await import(join(pkg, "pelacak.js"));
  const wasm = m.initSync({ module: readFileSync(join(pkg, "pelacak_bg.wasm")) });
  const file = process.argv[3];
  const bytes = readFileSync(file);
  const w = new m.Workbook();
  const t = performance.now();
  // In 4 MiB chunks, as the page's worker streams a file it reads itself.
  const h = w.beginFile(file.endsWith(".xlsx") ? "deals.xlsx" : "deals.csv");
  for (let at = 0; at < bytes.length; at += 4 << 20) w.push(h, bytes.subarray(at, at + (4 << 20)));
  w.finishFile(h);
  const r = w.report({});
  const ms = performance.now() - t;
  console.log(JSON.stringify({ ms, mem: wasm.memory.buffer.byteLength, revenue: r.summary.revenue, rows: r.dataQuality.rowsRead }));
  process.exit(0);
}

const sizes = (process.env.BENCH_XLSX ?? "100k").split(",").filter(Boolean);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const lines = [];
for (const size of sizes) {
  const csv = join(DATA, size, "deals.csv");
  if (!existsSync(csv)) {
    lines.push(`${size}: no ${csv} yet (\`node scripts/bench.mjs\` generates it)`);
    continue;
  }
  const xlsx = join(DATA, size, "deals.xlsx");
  if (!existsSync(xlsx) || statSync(xlsx).mtimeMs < statSync(csv).mtimeMs) writeFileSync(xlsx, workbook(csvRecords(readFileSync(csv, "utf8"))));
  const seen = [];
  for (const file of [xlsx, csv]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const out = spawnSync(process.execPath, [new URL(import.meta.url).pathname, "--run", file], { encoding: "utf8", maxBuffer: 1 << 24 });
      if (out.status !== 0) throw new Error(`${file}: ${out.stderr}`);
      runs.push(JSON.parse(out.stdout));
    }
    const native = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      execFileSync(join(ROOT, "target/release/pelacak"), ["report", file], { maxBuffer: 1 << 28 });
      native.push(performance.now() - t);
    }
    seen.push(`${runs[0].rows} rows, revenue ${runs[0].revenue}`);
    const mb = statSync(file).size / 1e6;
    const kind = file.endsWith(".xlsx") ? "xlsx" : "csv ";
    lines.push(
      `${size.padEnd(5)} ${kind} ${mb.toFixed(1).padStart(6)} MB  wasm ${(median(runs.map((r) => r.ms)) / 1000).toFixed(2)} s, ${Math.round(median(runs.map((r) => r.mem)) / 2 ** 20)} MiB wasm memory after the report  native ${(median(native) / 1000).toFixed(2)} s  (${runs[0].rows.toLocaleString("en-US")} rows, revenue ${runs[0].revenue})`,
    );
  }
  if (seen[0] !== seen[1]) lines.push(`${size}: the spreadsheet and the CSV DISAGREE: ${seen.join(" / ")}`);
}
console.log(`\nSpreadsheet against CSV, the same deals (full wasm module in Node ${process.version}, a fresh process per run; median of ${RUNS})`);
for (const l of lines) console.log(`  ${l}`);
