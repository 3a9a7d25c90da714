// <pelacak-dashboard>: the whole Pelacak page as a custom element, so a
// portal can embed it. The engine runs in a module worker; this element
// sends it bytes and overrides, and draws the reports it answers with.
//
//   <pelacak-dashboard lang="id" currency="IDR"></pelacak-dashboard>
//   el.addFiles(input.files)     // File objects (or {name, blob})
//   el.showReport(reportObject)  // draw a report computed elsewhere (CLI JSON)
//
// Attributes: lang (en, id), currency (the report currency), sample (a URL
// folder holding the demo CSV files: shows a "try the sample" button),
// hash-state (keep the explore state in the page's URL hash).
import { h, download, uniqueId } from "./dom.js";
import { Fmt } from "./format.js";
import { translator, LANGS } from "./i18n.js";
import { Engine } from "./engine.js";
import { PRESETS, presetRange } from "./dates.js";
import { dashboardSections, renderDashboard, renderKpis } from "./dashboard.js";
import { loadPlot, warmCharts } from "./charts.js";
import { afterFrame, later } from "./later.js";
import { renderMapping, renderQuality } from "./views.js";

// The sections a first report draws in its first frame: the tiles, the revenue
// and the deal size charts fill a window of up to ~1,200 px below the report's
// tabs (where the first report is brought into view), and more at 375 px. A
// fixed count rather than a measure: measuring would lay out the page halfway
// through its changes, then again for the frame.
const FIRST_SECTIONS = 3;

// How long a report or comparison is worked out before the status line says
// so: one answered within it reads as instant, and is drawn with nothing
// flashed by (see `status`).
const STATUS_AFTER_MS = 150;

export const SAMPLE_FILES = ["reps.csv", "products.csv", "quotas.csv", "leads.csv", "deals.csv", "stage_history.csv", "activities.csv"];
const DIMS = ["rep", "team", "region", "product", "source"];
const VIEWS = ["dashboard", "mapping", "quality"];
const GRANULARITIES = ["week", "month", "quarter", "year"];
const STYLESHEET = new URL("../pelacak.css", import.meta.url).href;

function defaults() {
  return {
    view: "dashboard",
    range: "all",
    from: null,
    to: null,
    granularity: "month",
    fiscalYearStartMonth: 1,
    filters: Object.fromEntries(DIMS.map((d) => [d, []])),
    target: null,
    breakdown: "rep",
    quotaPeriod: null,
  };
}

export class PelacakDashboard extends HTMLElement {
  static observedAttributes = ["lang", "currency"];

  constructor() {
    super();
    this.state = defaults();
    this.uiLang = "en";
    this.tr = translator("en");
    this.fmt = new Fmt("en");
    this.files = [];
    this.pending = 0;
    this.seq = 0;
    this.report = null;
    this.asOf = null;
    this.previous = null;
    this.comparing = false;
    this.options = null;
    this.known = new Map();
    this.engine = null;
    this.staticReport = false;
    this.built = false;
  }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    if (!document.querySelector(`link[href="${STYLESHEET}"]`) && ![...document.styleSheets].some((s) => s.href === STYLESHEET)) {
      document.head.append(h("link", { rel: "stylesheet", href: STYLESHEET }));
    }
    this.uiLang = LANGS.includes(this.getAttribute("lang")) ? this.getAttribute("lang") : "en";
    if (this.hasAttribute("hash-state")) {
      this.readHash();
      window.addEventListener("hashchange", () => {
        const lang = this.uiLang;
        this.readHash();
        if (lang !== this.uiLang) {
          this.build();
          this.dispatchEvent(new CustomEvent("langchange", { detail: { lang: this.uiLang }, bubbles: true }));
        }
        this.refresh();
      });
    }
    this.build();
    let lastWidth = 0;
    let timer = 0;
    new ResizeObserver(() => {
      const w = this.clientWidth;
      if (Math.abs(w - lastWidth) < 40) return;
      lastWidth = w;
      clearTimeout(timer);
      timer = setTimeout(() => this.report && this.renderResults(), 150);
    }).observe(this);
    // Printing shows every panel but the mapping: a panel not drawn since
    // the report changed (drawn when shown, see renderResults) is drawn first.
    addEventListener("beforeprint", () => this.drawStale());
    // Start the engine (worker, wasm download and compile) once the page is
    // idle, so the first file or the sample does not wait for it; a page
    // that only shows a report computed elsewhere never starts it.
    const warm = () => {
      if (!this.staticReport && !this.engine) this.engine = new Engine();
      this.prepareDrawing();
    };
    if ("requestIdleCallback" in window) requestIdleCallback(warm, { timeout: 1000 });
    else setTimeout(warm, 200);
  }

  attributeChangedCallback(name, old, value) {
    if (!this.built || old === value) return;
    if (name === "lang" && LANGS.includes(value) && value !== this.uiLang) this.setLang(value);
    if (name === "currency") this.refresh();
  }

  // Public API ------------------------------------------------------------

  /** Reads files (File objects, or {name, blob}) into the engine and reports on them. */
  addFiles(files) {
    for (const f of files) this.ingest(f.name, f.blob ?? f);
  }

  /** Draws a report computed elsewhere (the CLI's JSON, another workbook). */
  showReport(report) {
    this.staticReport = true;
    // A comparison still on its way belongs to the engine's report, not this one.
    this.seq++;
    this.report = report;
    this.previous = null;
    this.comparing = false;
    this.options = null;
    // Before the element is in a page, build() draws it when it arrives.
    if (this.built) this.renderResults();
  }

  /** The language in use, `en` or `id`. */
  get language() {
    return this.uiLang;
  }

  // State -----------------------------------------------------------------

  setLang(lang) {
    this.uiLang = lang;
    if (this.getAttribute("lang") !== lang) this.setAttribute("lang", lang);
    this.writeHash();
    this.build();
    this.dispatchEvent(new CustomEvent("langchange", { detail: { lang }, bubbles: true }));
  }

  readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    const s = defaults();
    if (LANGS.includes(p.get("lang"))) this.uiLang = p.get("lang");
    if (VIEWS.includes(p.get("view"))) s.view = p.get("view");
    if (PRESETS.includes(p.get("range"))) s.range = p.get("range");
    const date = (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v ?? "") ? v : null);
    s.from = date(p.get("from"));
    s.to = date(p.get("to"));
    if (GRANULARITIES.includes(p.get("gran"))) s.granularity = p.get("gran");
    const fy = Number(p.get("fy"));
    if (Number.isInteger(fy) && fy >= 1 && fy <= 12) s.fiscalYearStartMonth = fy;
    for (const d of DIMS) s.filters[d] = p.getAll(d);
    const target = Number(p.get("target"));
    if (p.get("target") && Number.isFinite(target) && target > 0) s.target = target;
    if (DIMS.includes(p.get("by"))) s.breakdown = p.get("by");
    if (p.get("qp")) s.quotaPeriod = p.get("qp");
    this.state = s;
  }

  writeHash() {
    if (!this.hasAttribute("hash-state")) return;
    const s = this.state;
    const p = new URLSearchParams();
    if (this.uiLang !== "en") p.set("lang", this.uiLang);
    if (s.view !== "dashboard") p.set("view", s.view);
    if (s.range !== "all") p.set("range", s.range);
    if (s.range === "custom") {
      if (s.from) p.set("from", s.from);
      if (s.to) p.set("to", s.to);
    }
    if (s.granularity !== "month") p.set("gran", s.granularity);
    if (s.fiscalYearStartMonth !== 1) p.set("fy", String(s.fiscalYearStartMonth));
    for (const d of DIMS) for (const v of s.filters[d]) p.append(d, v);
    if (s.target) p.set("target", String(s.target));
    if (s.breakdown !== "rep") p.set("by", s.breakdown);
    if (s.quotaPeriod) p.set("qp", s.quotaPeriod);
    const hash = p.toString();
    // Unchanged, it is not written again: each report's drawing asks (the
    // view shown), and a write laid out the page then, half drawn (10–16 ms
    // a change at a million deals, the frame's own layout still to come).
    if (location.hash === (hash ? `#${hash}` : "")) return;
    history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
  }

  update(patch, recompute = true) {
    Object.assign(this.state, patch);
    this.writeHash();
    if (recompute) this.refresh();
    else this.renderResults();
  }

  /** The query for the engine: only the fields the reader set. */
  query(asOf) {
    const s = this.state;
    const q = { granularity: s.granularity, fiscalYearStartMonth: s.fiscalYearStartMonth };
    let from = null;
    let to = null;
    if (s.range === "custom") [from, to] = [s.from, s.to];
    else if (s.range !== "all") [from, to] = presetRange(s.range, asOf, s.fiscalYearStartMonth);
    if (from) q.from = from;
    if (to) q.to = to;
    const filters = Object.fromEntries(DIMS.map((d) => [d, s.filters[d]]).filter(([, v]) => v.length));
    if (Object.keys(filters).length) q.filters = filters;
    if (s.target) q.target = s.target;
    const currency = this.getAttribute("currency");
    if (currency) q.currency = currency;
    return q;
  }

  // Engine ------------------------------------------------------------------

  /**
   * Gets the drawing ready ahead of the first report: the chart library
   * loaded, the number formatters made, and the drawing code run once on
   * made-up charts and on the engine's made-up report, off screen. Run
   * while the page is idle or while the engine reads the first files, so
   * that none of it waits in line behind the report: on the sample, loading
   * d3 and Plot after the report arrived and the page's first number
   * formatter took ~60 ms of its drawing on a slow machine, and code run
   * for the first time made building the panels three times slower.
   */
  prepareDrawing() {
    if (this.prepared) return;
    this.prepared = true;
    // After the caller's own work (the files' first messages to the engine).
    setTimeout(() => {
      const plot = loadPlot();
      plot.then(
        (Plot) => later(() => warmCharts(Plot)),
        () => {
          // Each chart says it is unavailable when it is drawn.
        },
      );
      this.fmt?.warm();
      // The engine's warm-up report drawn off screen, thrown away.
      const report = this.engine?.warmReport();
      Promise.all([report, plot])
        .then(([r]) => r && later(() => this.drawOffScreen(r)))
        .catch(() => {});
    }, 0);
  }

  /**
   * Builds the dashboard for `report` without showing it (a warm-up of the
   * drawing code), unless files are being read or a report is shown: then
   * the real report is on its way or here, and would wait behind it.
   */
  drawOffScreen(report) {
    if (!this.root || this.pending > 0 || this.report) return;
    renderDashboard(this.renderContext(), report, null);
  }

  ensureEngine() {
    if (!this.engine) this.engine = new Engine();
    this.staticReport = false;
    return this.engine;
  }

  ingest(name, source) {
    const engine = this.ensureEngine();
    if (!this.report && this.pending === 0) this.scrollAtLoad = window.scrollY;
    this.prepareDrawing();
    this.asOf = null;
    const existing = this.files.findIndex((f) => f.name === name);
    if (existing >= 0) this.files.splice(existing, 1);
    const file = { id: uniqueId("file"), name, status: "reading", read: 0, total: source.size ?? 0, message: "" };
    this.files.push(file);
    this.pending++;
    // A report (or comparison) still on its way is for the files before this one.
    this.seq++;
    file.promise = engine.add(name, source, {
      onProgress: ({ read, total, rows, of }) => {
        file.read = read;
        file.total = total;
        // A spreadsheet's rows, once its bytes are in and its cells are read.
        if (rows !== undefined) [file.rows, file.of] = [rows, of];
        this.renderFile(file);
      },
    });
    file.promise
      .then((r) => {
        file.status = r?.cancelled ? "cancelled" : "read";
        if (r?.cancelled) this.files.splice(this.files.indexOf(file), 1);
      })
      .catch((e) => {
        file.status = "error";
        file.message = e.message;
      })
      .finally(() => {
        this.renderFiles();
        if (--this.pending === 0) this.refresh();
      });
    this.renderFiles();
    this.status(this.t("status.reading", { n: this.pending }));
  }

  loadSample() {
    const base = new URL(this.getAttribute("sample") || "sample/", document.baseURI);
    for (const name of SAMPLE_FILES) this.ingest(name, new URL(name, base));
  }

  /**
   * Asks the engine for the report of the page's state and draws it, then
   * the comparison. A change made while a report is being worked out waits
   * for it, and only the latest state is asked for then: arrowing through
   * the reps' list asked for a report per rep, each queued in the worker
   * behind the last (at a million deals, 25–50 ms each), and the one shown
   * came last.
   */
  async refresh() {
    if (!this.engine || this.pending > 0 || this.staticReport) return;
    const seq = ++this.seq;
    if (this.asking) {
      this.askAgain = true;
      return;
    }
    this.status(this.t("status.computing"), false, STATUS_AFTER_MS);
    try {
      const { query, report, options, asOf } = await this.ask();
      if (seq !== this.seq) return;
      const first = !this.report;
      this.asOf = asOf;
      this.report = report;
      this.options = options;
      // The tiles' comparison comes second: the figures asked for are shown
      // first, then the range before them is computed and the tiles redrawn.
      this.previous = null;
      this.comparing = Boolean(query.from && report.query.from && report.query.to);
      for (const tq of report.dataQuality.tables) {
        if (tq.columns.length) this.known.set(tq.file, { headers: tq.columns.map((c) => c.header), kind: tq.table });
      }
      // The first report fills the window first, then draws the rest (see drawDashboard).
      this.firstDraw = first;
      this.renderResults();
      this.firstDraw = false;
      if (first) this.bringIntoView();
      if (this.comparing) {
        this.status(this.t("status.comparing"), false, STATUS_AFTER_MS);
        const previous = await this.engine.previous(query, report);
        if (seq !== this.seq) return;
        this.previous = previous;
        this.comparing = false;
        this.renderKpis();
      }
      this.status("");
    } catch (e) {
      if (seq === this.seq) {
        // The tiles stop saying "comparing…" (an earlier refresh's comparison was dropped too).
        if (this.comparing) {
          this.comparing = false;
          this.renderKpis();
        }
        this.status(e.message, true);
      }
    }
  }

  /**
   * The engine's report on the page's state, with the query asked; a
   * change made meanwhile (see `refresh`) is asked for as soon as it is
   * back, and this one is then not drawn.
   */
  async ask() {
    this.asking = true;
    try {
      // Presets count back from the data's last day, which changes with the files.
      if (this.state.range !== "all" && this.state.range !== "custom" && !this.asOf) {
        this.asOf = (await this.engine.report({}, false)).asOf;
      }
      // A large file whose mapping changed is streamed again first: say so.
      const progress = (p) => this.status(this.t("status.rereading", { name: p.name, pct: Math.floor((100 * p.read) / Math.max(p.total, 1)) }));
      const query = this.query(this.asOf);
      return { query, ...(await this.engine.report(query, false, progress)) };
    } finally {
      this.asking = false;
      if (this.askAgain) {
        this.askAgain = false;
        this.refresh();
      }
    }
  }

  async override(fn) {
    this.asOf = null;
    try {
      await fn();
      await this.refresh();
    } catch (e) {
      this.status(e.message, true);
    }
  }

  // Rendering ---------------------------------------------------------------

  t(key, params, fallback) {
    return this.tr(key, params, fallback);
  }

  /**
   * Says `text` in the status line (a live region), or `after` ms later
   * only, unless another status comes first: a report answered sooner is
   * drawn without its "Computing…" flashing by, read out, and laying the
   * page out in a frame of its own (~10 ms at a million deals, while the
   * answer was already waiting).
   */
  status(text, error = false, after = 0) {
    clearTimeout(this.statusTimer);
    if (!this.statusEl) return;
    const say = () => {
      if (this.statusEl.textContent !== text) this.statusEl.textContent = text;
      this.statusEl.classList.toggle("pk-error", error);
    };
    if (after > 0) this.statusTimer = setTimeout(say, after);
    else say();
  }

  build() {
    this.tr = translator(this.uiLang);
    this.fmt = new Fmt(this.uiLang);
    const t = (k, p) => this.tr(k, p);
    const input = h("input", {
      type: "file",
      multiple: true,
      accept: ".csv,.tsv,.txt,.xlsx",
      class: "pk-sr",
      tabindex: "-1",
      "aria-hidden": "true",
      dataset: { control: "files" },
      onchange: (e) => {
        this.addFiles([...e.target.files]);
        e.target.value = "";
      },
    });
    const dropHint = uniqueId("drop-hint");
    const drop = h(
      "div",
      {
        class: "pk-drop",
        role: "button",
        tabindex: "0",
        "aria-describedby": dropHint,
        dataset: { control: "drop" },
        onclick: () => input.click(),
        onkeydown: (e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            input.click();
          }
        },
        ondragover: (e) => {
          e.preventDefault();
          drop.classList.add("pk-over");
        },
        ondragleave: () => drop.classList.remove("pk-over"),
        ondrop: (e) => {
          e.preventDefault();
          drop.classList.remove("pk-over");
          this.addFiles([...e.dataTransfer.files]);
        },
      },
      h("strong", null, t("load.drop")),
      h("span", { id: dropHint, class: "pk-muted" }, t("load.dropHint")),
    );
    this.fileList = h("ul", { class: "pk-files", "aria-live": "polite" });
    this.statusEl = h("p", { class: "pk-status", role: "status" });
    const langId = uniqueId("lang");
    const langSelect = h(
      "select",
      { id: langId, dataset: { control: "lang" }, onchange: (e) => this.setLang(e.target.value) },
      LANGS.map((l) => h("option", { value: l, selected: l === this.uiLang, lang: l }, translator(l)("lang.name"))),
    );
    this.exportJson = h(
      "button",
      { type: "button", class: "pk-secondary", dataset: { export: "json" }, disabled: !this.report, onclick: () => this.downloadJson() },
      t("export.json"),
    );
    this.printButton = h("button", { type: "button", class: "pk-secondary", disabled: !this.report, onclick: () => window.print() }, t("export.print"));
    const top = h(
      "div",
      { class: "pk-top" },
      h("div", { class: "pk-field pk-lang" }, h("label", { for: langId }, t("lang.label")), langSelect),
      h("div", { class: "pk-actions" }, this.exportJson, this.printButton),
    );
    const load = h(
      "section",
      { class: "pk-load", "aria-label": t("load.title") },
      h("h2", null, t("load.title")),
      h("p", { class: "pk-muted" }, t("load.privacy")),
      drop,
      input,
      this.hasAttribute("sample") ? h("button", { type: "button", dataset: { action: "sample" }, onclick: () => this.loadSample() }, t("load.sample")) : null,
      this.fileList,
      this.statusEl,
    );
    this.explore = h("form", { class: "pk-explore", "aria-label": t("explore.title"), hidden: true, onsubmit: (e) => e.preventDefault() });
    this.tabs = h("div", { class: "pk-tabs", role: "tablist", "aria-label": t("tabs.label"), hidden: true });
    this.panels = {};
    for (const v of VIEWS) {
      const tabId = uniqueId(`tab-${v}`);
      const panelId = uniqueId(`panel-${v}`);
      const tab = h(
        "button",
        {
          type: "button",
          role: "tab",
          id: tabId,
          "aria-controls": panelId,
          dataset: { view: v },
          onclick: () => this.selectView(v),
          onkeydown: (e) => {
            const i = VIEWS.indexOf(v);
            const next =
              e.key === "ArrowRight"
                ? VIEWS[(i + 1) % VIEWS.length]
                : e.key === "ArrowLeft"
                  ? VIEWS[(i + VIEWS.length - 1) % VIEWS.length]
                  : e.key === "Home"
                    ? VIEWS[0]
                    : e.key === "End"
                      ? VIEWS[VIEWS.length - 1]
                      : null;
            if (next) {
              e.preventDefault();
              this.selectView(next);
              this.tabs.querySelector(`[data-view="${next}"]`).focus();
            }
          },
        },
        t(`tabs.${v}`),
      );
      this.tabs.append(tab);
      this.panels[v] = h("div", { role: "tabpanel", id: panelId, "aria-labelledby": tabId, class: "pk-panel", dataset: { view: v }, tabindex: "0" });
    }
    const main = h("div", { class: "pk-main" }, Object.values(this.panels));
    this.root = h("div", { class: "pk", lang: this.uiLang }, top, load, this.explore, this.tabs, main);
    // The width the charts are drawn to, told after each layout that
    // changes it: read when drawing, it laid the page out again first (the
    // status line had changed), ~2.5 ms a change at a million deals.
    this.mainWidth = 0;
    this.mainSize?.disconnect();
    this.mainSize = new ResizeObserver(() => (this.mainWidth = main.clientWidth));
    this.mainSize.observe(main);
    this.replaceChildren(this.root);
    this.renderFiles();
    if (this.report) this.renderResults();
  }

  /**
   * Brings the first report into view. The files panel and the controls
   * above it left the figures below the fold (at 1280×720, the tiles began
   * 220 px under it): a click on the sample showed files marked "read" and
   * no figure. Not when the report's tabs are already high on the screen,
   * nor when the reader scrolled while the files were read; without the
   * animation for those who ask for less motion.
   */
  bringIntoView() {
    if (Math.abs(window.scrollY - (this.scrollAtLoad ?? window.scrollY)) > 4) return;
    if (this.tabs.getBoundingClientRect().top < window.innerHeight * 0.6) return;
    const still = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    this.tabs.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
  }

  /** Draws every panel left for when it is shown. */
  drawStale() {
    if (!this.report || !this.stale) return;
    for (const v of this.stale) this.renderPanel(v);
    this.stale.clear();
  }

  selectView(v) {
    this.state.view = v;
    this.writeHash();
    // A panel hidden when the report last changed is drawn when shown.
    if (this.stale?.delete(v)) this.renderPanel(v);
    for (const tab of this.tabs.children) {
      const on = tab.dataset.view === v;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
    }
    for (const [k, p] of Object.entries(this.panels)) p.hidden = k !== v;
  }

  renderFile(f) {
    const li = this.fileList?.querySelector(`[data-id="${f.id}"]`);
    const bar = li?.querySelector("progress");
    if (bar) {
      const done = this.fileDone(f);
      // A sheet that does not say how many rows it has: a bar with no value
      // (the browser shows it as busy) and the rows read beside it.
      if (done === null) bar.removeAttribute("value");
      else bar.value = done;
    }
    const rows = li?.querySelector(".pk-rows");
    if (rows) rows.textContent = this.rowsText(f);
    else if (li && f.rows !== undefined) bar?.after(h("span", { class: "pk-muted pk-rows" }, this.rowsText(f)));
  }

  /** How much of a file is read, 0–1: its bytes, then a spreadsheet's rows; null when unknown. */
  fileDone(f) {
    if (f.rows !== undefined) return f.of ? Math.min(1, f.rows / f.of) : null;
    return f.total ? f.read / f.total : 0;
  }

  rowsText(f) {
    return f.rows === undefined ? "" : this.tr("load.rows", { n: this.fmt.count(f.rows) });
  }

  renderFiles() {
    if (!this.fileList) return;
    const t = (k, p) => this.tr(k, p);
    this.fileList.replaceChildren(
      ...this.files.map((f) =>
        h(
          "li",
          { dataset: { id: f.id, file: f.name, status: f.status } },
          h("span", { class: "pk-file-name" }, f.name),
          f.status === "reading"
            ? [
                h("progress", { max: "1", value: this.fileDone(f) ?? undefined, "aria-label": t("load.reading", { name: f.name }) }),
                f.rows !== undefined ? h("span", { class: "pk-muted pk-rows" }, this.rowsText(f)) : null,
                h("button", { type: "button", class: "pk-small", onclick: () => this.engine.cancel(f.promise) }, t("load.cancel")),
              ]
            : h(
                "button",
                { type: "button", class: "pk-small pk-secondary", "aria-label": t("load.removeNamed", { name: f.name }), onclick: () => this.removeFile(f) },
                t("load.remove"),
              ),
          f.status === "read" && !this.tableError(f.name) ? h("span", { class: "pk-muted" }, t("load.read")) : null,
          f.status === "read" && this.tableError(f.name) ? h("span", { class: "pk-error" }, t("load.notUsed", { error: this.tableError(f.name) })) : null,
          f.status === "error" ? h("span", { class: "pk-error", role: "alert" }, f.message) : null,
        ),
      ),
    );
  }

  /** The engine's error for a file that was read but could not be used (an unknown table...). */
  tableError(name) {
    if (this.staticReport) return null;
    return this.report?.dataQuality.tables.find((tq) => tq.file === name && tq.error)?.error ?? null;
  }

  removeFile(f) {
    this.files.splice(this.files.indexOf(f), 1);
    this.known.delete(f.name);
    this.renderFiles();
    this.override(() => this.engine.remove(f.name));
  }

  renderExplore() {
    const t = (k, p) => this.tr(k, p);
    const s = this.state;
    const q = this.report?.query;
    const field = (label, control) => {
      control.id = uniqueId("ex");
      return h("div", { class: "pk-field" }, h("label", { for: control.id }, label), control);
    };
    const range = h(
      "select",
      { dataset: { control: "range" }, onchange: (e) => this.update({ range: e.target.value, from: q?.from ?? null, to: q?.to ?? null }) },
      PRESETS.map((p) => h("option", { value: p, selected: p === s.range }, t(`range.${p}`))),
    );
    const dateInput = (key) =>
      h("input", {
        type: "date",
        dataset: { control: key },
        value: (s.range === "custom" ? s[key] : q?.[key]) ?? "",
        onchange: (e) =>
          this.update({
            range: "custom",
            from: key === "from" ? e.target.value || null : s.range === "custom" ? s.from : (q?.from ?? null),
            to: key === "to" ? e.target.value || null : s.range === "custom" ? s.to : (q?.to ?? null),
          }),
      });
    const gran = h(
      "select",
      { dataset: { control: "granularity" }, onchange: (e) => this.update({ granularity: e.target.value }) },
      GRANULARITIES.map((g) => h("option", { value: g, selected: g === s.granularity }, t(`gran.${g}`))),
    );
    const months = new Intl.DateTimeFormat(this.fmt.locale, { month: "long", timeZone: "UTC" });
    const monthName = (m) => months.format(new Date(Date.UTC(2024, m - 1, 1)));
    const fy = h(
      "select",
      { dataset: { control: "fiscal" }, onchange: (e) => this.update({ fiscalYearStartMonth: Number(e.target.value) }) },
      Array.from({ length: 12 }, (_, i) => h("option", { value: String(i + 1), selected: i + 1 === s.fiscalYearStartMonth }, monthName(i + 1))),
    );
    const filters = DIMS.map((d) => {
      const values = [...new Set([...(this.options?.[d] ?? []), ...s.filters[d]])];
      const sel = h(
        "select",
        {
          dataset: { control: `filter-${d}` },
          disabled: values.length === 0,
          onchange: (e) => this.update({ filters: { ...s.filters, [d]: e.target.value ? [e.target.value] : [] } }),
        },
        h("option", { value: "", selected: s.filters[d].length === 0 }, t("explore.all")),
        values.map((v) => h("option", { value: v, selected: s.filters[d].length === 1 && s.filters[d][0] === v }, v)),
      );
      return field(t(`dim.${d}`), sel);
    });
    const active = DIMS.flatMap((d) => s.filters[d].map((v) => [d, v]));
    const chips = active.length
      ? h(
          "div",
          { class: "pk-chips", "aria-label": t("explore.active") },
          active.map(([d, v]) =>
            h(
              "button",
              {
                type: "button",
                class: "pk-chip",
                dataset: { chip: d },
                "aria-label": t("explore.removeFilter", { dim: t(`dim.${d}`), v }),
                onclick: () => this.update({ filters: { ...s.filters, [d]: s.filters[d].filter((x) => x !== v) } }),
              },
              `${t(`dim.${d}`)}: ${v} ✕`,
            ),
          ),
          h("button", { type: "button", class: "pk-small pk-secondary", onclick: () => this.update({ filters: defaults().filters }) }, t("explore.clear")),
        )
      : null;
    this.explore.replaceChildren(
      h("h2", null, t("explore.title")),
      h(
        "div",
        { class: "pk-controls" },
        field(t("explore.range"), range),
        field(t("explore.from"), dateInput("from")),
        field(t("explore.to"), dateInput("to")),
        field(t("explore.granularity"), gran),
        field(t("explore.fiscal"), fy),
      ),
      h("div", { class: "pk-controls" }, filters),
      chips ?? "",
      h("p", { class: "pk-muted pk-tip" }, t("explore.tip")),
    );
    this.explore.hidden = this.staticReport;
  }

  /** What the dashboard's sections are drawn with. */
  renderContext() {
    const t = (k, p, f) => this.tr(k, p, f);
    const full = Math.max(260, this.mainWidth || this.root.querySelector(".pk-main").clientWidth || this.clientWidth || 900);
    const half = full >= 860 ? (full - 28) / 2 : full;
    const editable = !this.staticReport && Boolean(this.engine);
    return {
      t,
      comparing: this.comparing,
      fmt: this.fmt,
      state: this.state,
      full,
      half,
      actions: {
        setState: (patch) => this.update(patch, false),
        filter: editable
          ? (dim, v) => {
              // The clicked button is gone after the recompute: the focus goes to the filter's chip.
              this.focusAfter = `[data-chip="${dim}"]`;
              this.update({ filters: { ...this.state.filters, [dim]: [v] } });
            }
          : null,
        setTarget: editable ? (v) => this.update({ target: v }) : null,
        setKind: editable ? (file, kind) => this.override(() => this.engine.setKind(file, kind)) : null,
        setMapping: editable ? (file, col, header) => this.override(() => this.engine.setMapping(file, col, header)) : null,
      },
    };
  }

  /** Redraws the tiles alone, once the previous range's figures arrive. */
  renderKpis() {
    const old = this.panels.dashboard.querySelector('[data-section="kpis"]');
    if (!this.report || !old) return;
    old.replaceWith(renderKpis(this.renderContext(), this.report, this.previous));
    this.dispatchEvent(new CustomEvent("report", { detail: { report: this.report, previous: this.previous }, bubbles: true }));
  }

  renderResults() {
    if (!this.report || !this.root) return;
    const ctx = this.renderContext();
    // Re-rendering replaces the controls: put the focus back on the same one.
    const active = document.activeElement && this.contains(document.activeElement) ? document.activeElement : null;
    const focusKey = active?.dataset?.control
      ? ["control", "file", "column"]
          .filter((k) => active.dataset[k] !== undefined)
          .map((k) => `[data-${k}="${CSS.escape(active.dataset[k])}"]`)
          .join("")
      : null;
    // The dashboard (its tiles are the report's summary, whatever the view)
    // and the panel in view are drawn now, the others when shown: a filter
    // change redrew every panel, and the hidden ones were a sixth of it.
    this.stale = new Set(VIEWS.filter((v) => v !== "dashboard" && v !== this.state.view));
    this.renderPanel("dashboard", ctx);
    if (this.state.view !== "dashboard") this.renderPanel(this.state.view, ctx);
    this.renderExplore();
    this.renderFiles();
    this.tabs.hidden = false;
    this.exportJson.disabled = false;
    this.printButton.disabled = false;
    this.selectView(this.state.view);
    if (this.focusAfter && this.querySelector(this.focusAfter)) {
      this.querySelector(this.focusAfter).focus();
      this.focusAfter = null;
    } else if (focusKey) this.querySelector(focusKey)?.focus();
    this.dispatchEvent(new CustomEvent("report", { detail: { report: this.report, previous: this.previous }, bubbles: true }));
  }

  /**
   * Draws the dashboard's sections, those on screen first: when a report
   * replaces one already shown, the sections within half a window of it
   * (and the one holding the focus) now, and the others in the task after
   * that frame is painted, while the panel says it is busy; the first
   * report, its first sections ([`FIRST_SECTIONS`]) now and the rest
   * likewise.
   *
   * Why: a filter change rebuilt all eleven sections (~3,800 elements)
   * before its first frame, and the browser styled and laid out every one;
   * on the sample, ~85 ms to the frame on a slow machine, of which the
   * figures on screen (the tiles and a chart or two) are a fifth. A hidden
   * panel, and a report drawn again whole (a change of language), are drawn
   * at once, as before.
   */
  drawDashboard(ctx) {
    const panel = this.panels.dashboard;
    const sections = dashboardSections(ctx, this.report, this.previous);
    const job = (this.dashboardJob = (this.dashboardJob ?? 0) + 1);
    const shown = new Map([...panel.children].map((e) => [e.dataset.section, e]));
    panel.removeAttribute("aria-busy");
    let after = [];
    if (panel.hidden) {
      panel.replaceChildren(...sections.map((s) => s.draw()));
    } else if (sections.every((s) => shown.has(s.id))) {
      // Measured before anything changes: the last frame's layout, no new one.
      const margin = window.innerHeight / 2;
      const focused = document.activeElement?.closest?.("[data-section]");
      const onScreen = (e) => {
        const r = e.getBoundingClientRect();
        return e === focused || (r.bottom > -margin && r.top < window.innerHeight + margin);
      };
      // Every section measured first: a measure after a section was
      // replaced laid the page out again (at a million deals ~9 ms a change).
      const now = sections.filter((s) => onScreen(shown.get(s.id)));
      after = sections.filter((s) => !now.includes(s));
      for (const s of now) shown.get(s.id).replaceWith(s.draw());
    } else if (this.firstDraw) {
      panel.replaceChildren(...sections.slice(0, FIRST_SECTIONS).map((s) => s.draw()));
      after = sections.slice(FIRST_SECTIONS);
    } else {
      panel.replaceChildren(...sections.map((s) => s.draw()));
    }
    if (!after.length) return;
    panel.setAttribute("aria-busy", "true");
    afterFrame(() => {
      // A newer report's drawing decides again.
      if (job !== this.dashboardJob) return;
      for (const s of after) {
        const old = shown.get(s.id);
        // A section replaced meanwhile (the tiles, when the comparison came) is newer.
        if (!old) panel.append(s.draw());
        else if (old.isConnected) old.replaceWith(s.draw());
      }
      panel.removeAttribute("aria-busy");
    });
  }

  /** Draws one panel (`dashboard`, `mapping`, `quality`) from the report. */
  renderPanel(v, ctx = this.renderContext()) {
    const t = (k, p, f) => this.tr(k, p, f);
    const money = { ...ctx, currency: this.report.query.currency };
    if (v === "dashboard") this.drawDashboard(ctx);
    else if (v === "mapping") this.panels.mapping.replaceChildren(h("h2", null, t("tabs.mapping")), h("p", { class: "pk-muted" }, t("map.intro")), ...renderMapping(money, this.report, this.known));
    else if (v === "quality") this.panels.quality.replaceChildren(h("h2", null, t("tabs.quality")), ...renderQuality(money, this.report));
  }

  async downloadJson() {
    const text = this.staticReport || !this.engine ? JSON.stringify(this.report, null, 2) : await this.engine.reportJson(this.query(this.report?.query.asOf));
    download(new Blob([text], { type: "application/json" }), "pelacak-report.json");
  }
}

if (!customElements.get("pelacak-dashboard")) customElements.define("pelacak-dashboard", PelacakDashboard);
