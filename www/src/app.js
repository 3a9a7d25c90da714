// The page renders what the engine reports; it computes nothing itself.
// Every name from an uploaded file is written with textContent, never HTML.
import { money, count, pct, days } from "./format.js";

const SAMPLE = ["reps.csv", "products.csv", "quotas.csv", "leads.csv", "deals.csv", "stage_history.csv", "activities.csv"];
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const $ = (s) => document.querySelector(s);
let nextId = 1;
let seq = 0;
const rows = new Map();

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function fileRow(id, name) {
  const li = el("li");
  li.append(el("span", name));
  const bar = el("progress");
  bar.max = 1;
  bar.value = 0;
  bar.setAttribute("aria-label", `Reading ${name}`);
  const cancel = el("button", "Cancel");
  cancel.type = "button";
  cancel.addEventListener("click", () => worker.postMessage({ type: "cancel", id }));
  const msg = el("span", "", "msg");
  li.append(bar, cancel, msg);
  $("#file-list").append(li);
  rows.set(id, { li, bar, cancel, msg });
}

let pending = 0;
function add(blob, name) {
  const id = nextId++;
  fileRow(id, name);
  pending++;
  worker.postMessage({ type: "add", id, name, blob });
}

function addSample() {
  for (const name of SAMPLE) {
    const id = nextId++;
    fileRow(id, name);
    pending++;
    worker.postMessage({ type: "add-url", id, name, url: `sample/${name}`, base: location.href });
  }
}

function done(id) {
  const r = rows.get(id);
  if (r) {
    r.bar.remove();
    r.cancel.remove();
  }
  if (--pending === 0) requestReport();
}

function requestReport() {
  $("#status").textContent = "Computing…";
  worker.postMessage({ type: "report", seq: ++seq, query: {} });
}

worker.onmessage = ({ data }) => {
  const r = rows.get(data.id);
  switch (data.type) {
    case "progress":
      if (r) r.bar.value = data.total ? data.read / data.total : 0;
      break;
    case "added":
      if (r) r.msg.textContent = " read";
      done(data.id);
      break;
    case "cancelled":
      if (r) r.msg.textContent = " cancelled";
      done(data.id);
      break;
    case "file-error":
    case "error":
      if (r) {
        r.msg.textContent = ` ${data.message}`;
        r.msg.className = "msg error";
        done(data.id);
      } else {
        $("#status").textContent = data.message;
      }
      break;
    case "report":
      if (data.seq === seq) render(data.report);
      break;
  }
};

function tile(key, value, raw, sub) {
  const t = document.querySelector(`.tile[data-kpi="${key}"]`);
  t.querySelector(".value").textContent = value;
  t.dataset.value = raw === null || raw === undefined ? "" : String(raw);
  const s = t.querySelector(".sub");
  if (s) s.textContent = sub ?? "";
}

function table(section, data) {
  const body = document.querySelector(`#${section} tbody`);
  body.replaceChildren(
    ...data.map((cells) => {
      const tr = el("tr");
      cells.forEach(([text, num]) => tr.append(el("td", text, num ? "num" : undefined)));
      return tr;
    }),
  );
  document.getElementById(section).hidden = data.length === 0;
}

const ARROWS = { growing: "↑ growing", shrinking: "↓ shrinking", flat: "→ flat", insufficient: "too few periods for a trend" };

function render(r) {
  const s = r.summary;
  const c = r.query.currency;
  $("#status").textContent = "";
  $("#kpis").hidden = false;
  $("#range").textContent = r.query.from ? `${r.query.from} to ${r.query.to}, as of ${r.query.asOf}` : "No dated rows yet.";
  tile("revenue", money(s.revenue, c), s.revenue);
  tile("dealsWon", count(s.dealsWon), s.dealsWon);
  tile("winRate", pct(s.winRate), s.winRate, `${count(s.dealsLost)} lost`);
  tile("avgDealSize", money(s.avgDealSize, c), s.avgDealSize, r.avgDealSizeTrend ? ARROWS[r.avgDealSizeTrend.direction] : "");
  tile("openPipeline", money(s.openPipeline, c), s.openPipeline, `${count(s.dealsOpen)} open deals`);
  tile("salesCycle", days(s.salesCycleDays?.median), s.salesCycleDays?.median);
  tile("quotaAttainment", pct(s.quotaAttainment), s.quotaAttainment, r.quota ? `${pct(r.quota.shareAtOrAbove)} of reps at quota` : "add a quotas file");
  table("series", r.series.map((p) => [[p.period], [money(p.revenue, c), 1], [count(p.dealsWon), 1], [count(p.dealsLost), 1], [pct(p.winRate), 1], [money(p.avgDealSize, c), 1], [p.revenueGrowthPct === null ? "—" : `${p.revenueGrowthPct.toFixed(1)}%`, 1]]));
  table("leaderboard", r.byRep.map((b, i) => [[String(i + 1)], [b.name ?? "(no owner)"], [money(b.revenue, c), 1], [count(b.dealsWon), 1], [count(b.dealsLost), 1], [pct(b.winRate), 1], [money(b.openPipeline, c), 1]]));
  renderQuality(r);
}

function renderQuality(r) {
  const box = $("#dq-tables");
  box.replaceChildren();
  for (const t of r.dataQuality.tables) {
    const h = el("h3", `${t.file}${t.sheet ? ` [${t.sheet}]` : ""}`);
    const p = el("p");
    if (t.error) {
      p.textContent = t.error;
      p.className = "bad";
    } else {
      p.textContent = `${t.table} table · ${t.encoding}${t.delimiter ? ` · delimiter ${t.delimiter}` : ""} · ${count(t.rowsRead)} rows read, ${count(t.rowsUsed)} used, ${count(t.rowsRejected)} rejected`;
    }
    box.append(h, p);
    if (t.issues.length) {
      const ul = el("ul");
      for (const i of t.issues.slice(0, 50)) {
        ul.append(el("li", `line ${i.line}${i.column ? `, ${i.column}` : ""}: ${i.message}${i.value ? ` (${i.value})` : ""}`, i.rejected ? "bad" : undefined));
      }
      box.append(ul);
    }
  }
  $("#notes").replaceChildren(...r.notes.map((n) => el("li", `${n.metric}: ${n.message}`)));
  $("#quality").hidden = false;
}

const input = $("#files");
input.addEventListener("change", () => {
  for (const f of input.files) add(f, f.name);
  input.value = "";
});
const drop = $("#drop");
drop.addEventListener("keydown", (e) => {
  if (e.key === "Enter" || e.key === " ") {
    e.preventDefault();
    input.click();
  }
});
drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  for (const f of e.dataTransfer.files) add(f, f.name);
});
$("#sample").addEventListener("click", addSample);
