// Charts drawn with Observable Plot (bundled under vendor/, never from a
// CDN). Each chart is a figure with its data as a table behind it, for
// screen readers and for anyone who wants the numbers, and SVG/PNG export.
import { h, download } from "./dom.js";
import { svgBlob, pngBlob, slug } from "./export.js";
import { dataTable } from "./table.js";
import { later } from "./later.js";

const VENDOR = new URL("../vendor/", import.meta.url);
let loading = null;
/** Plot once loaded, for drawing without waiting a turn. */
let loaded = null;

function script(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

/** Loads d3 and Plot once (classic scripts from vendor/); resolves to Plot. */
export function loadPlot() {
  loading ??= (async () => {
    if (!globalThis.d3) await script(new URL("d3.min.js", VENDOR).href);
    if (!globalThis.Plot) await script(new URL("plot.umd.min.js", VENDOR).href);
    loaded = globalThis.Plot;
    return loaded;
  })();
  return loading;
}

/**
 * Draws three made-up charts off the page (bars, lines and dots on a band
 * scale, bars with labels and ticks across), with the marks and scales the
 * dashboard uses, and drops them. Why: the browser compiles and optimises
 * a script's functions as they run, and Plot's are many: the sample's first
 * report spent ~95 ms drawing its charts, a later report ~18 ms. Run while
 * the page waits for the engine (see `prepareDrawing`). Returns the three
 * SVGs (for a test).
 */
export function warmCharts(Plot) {
  const rows = ["2024-01", "2024-02", "2024-03", "2024-04"].map((period, i) => ({ period, n: 3 + i, what: i % 2 ? "a" : "b", v: 1000 * (i + 1) }));
  const periods = rows.map((r) => r.period);
  const names = ["North", "South", "East"];
  const bars = names.map((name, i) => ({ name, v: 0.5 + i / 3, p90: 1 + i }));
  const size = { width: 320, height: 200 };
  return [
    Plot.plot({
      ...size,
      x: { type: "band", domain: periods, label: null },
      y: { grid: true, tickFormat: (v) => String(v) },
      marks: [Plot.barY(rows, { x: "period", y: "v", fill: COLORS.main, title: (r) => r.period }), Plot.ruleY([0])],
    }),
    Plot.plot({
      ...size,
      x: { type: "band", domain: periods, label: null },
      color: { domain: ["a", "b"], range: [COLORS.main, COLORS.hot] },
      marks: [Plot.lineY(rows, { x: "period", y: "n", stroke: "what", strokeWidth: 2 }), Plot.dot(rows, { x: "period", y: "n", fill: "what", r: 2.5 }), Plot.ruleY([0])],
    }),
    Plot.plot({
      ...size,
      x: { grid: true, tickFormat: (v) => String(v) },
      y: { domain: names, label: null },
      marks: [
        Plot.barX(bars, { x: "v", y: "name", fill: COLORS.soft, title: (b) => b.name }),
        Plot.text(bars, { x: "v", y: "name", text: (b) => String(b.v), dx: 6, textAnchor: "start" }),
        Plot.tickX(bars, { x: "p90", y: "name", stroke: "currentColor" }),
        Plot.ruleX([1], { strokeDasharray: "4 3" }),
        Plot.ruleX([0]),
      ],
    }),
  ];
}

export const COLORS = { main: "#0b5cad", soft: "#9cc3ea", hot: "#c2410c", ok: "#1a7f37", grey: "#8c959f", lost: "#a40e26" };

/**
 * A chart figure. `draw(Plot, width)` returns Plot's SVG; `table` is the
 * data behind it ({columns, rows}); `onPick(value)` is called with the
 * datum's key when a mark or a tick label is clicked.
 */
export function chartFigure(ctx, { name, title, summary, draw, table, keys, onPick, width }) {
  const { t } = ctx;
  const box = h("div", { class: "pk-chart" });
  const exports = h(
    "div",
    { class: "pk-actions", hidden: true },
    h(
      "button",
      {
        type: "button",
        class: "pk-small pk-secondary",
        "data-export": "svg",
        onclick: () => {
          const s = box.querySelector("svg");
          if (s) download(svgBlob(s), `${slug(name)}.svg`);
        },
      },
      t("export.svg"),
    ),
    h(
      "button",
      {
        type: "button",
        class: "pk-small pk-secondary",
        "data-export": "png",
        onclick: async () => {
          const s = box.querySelector("svg");
          if (s) download(await pngBlob(s), `${slug(name)}.png`);
        },
      },
      t("export.png"),
    ),
  );
  // The data table is built when the page is idle after the first frame
  // (it is hidden until its summary is opened; see later.js), or at once
  // when the summary is opened first.
  const details = h("details", { class: "pk-data" }, h("summary", null, t("chart.data")));
  let filled = false;
  const fill = () => {
    if (filled) return;
    filled = true;
    details.append(dataTable(ctx, { name, caption: title, ...table }));
  };
  details.addEventListener("toggle", fill);
  const fig = h("figure", { class: "pk-figure", dataset: { chart: slug(name) } }, h("figcaption", null, title), box, exports, details);
  // Drawn with the report's first frame when Plot is loaded (the page loads
  // it while the engine reads the files), else as soon as it is.
  if (loaded) drawWith(loaded);
  else loadPlot().then(drawWith, unavailable);
  later(() => {
    if (fig.isConnected) fill();
  });
  function unavailable() {
    box.replaceChildren(h("p", { class: "pk-hint" }, t("chart.unavailable")));
  }
  function drawWith(Plot) {
    try {
      const svg = draw(Plot, Math.max(280, Math.floor(width)));
      // Plot adds a <style> element; the page's CSP forbids inline styles,
      // and pelacak.css carries the same rules.
      for (const s of svg.querySelectorAll("style")) s.remove();
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", summary ?? title);
      if (onPick && keys) {
        svg.classList.add("pk-pickable");
        svg.addEventListener("click", (e) => {
          // Bars, their value labels and the tick labels of the key axis carry
          // the index of their datum (Plot binds indexes); rules do not count.
          if (!e.target.closest('g[aria-label="bar"], g[aria-label="text"], g[aria-label="y-axis tick label"]')) return;
          const d = e.target.__data__;
          if (typeof d === "number" && keys[d] !== undefined) onPick(keys[d]);
          else if (typeof d === "string" && keys.includes(d)) onPick(d);
        });
      }
      box.replaceChildren(svg);
      exports.hidden = false;
    } catch (e) {
      console.error(e);
      unavailable();
    }
  }
  return fig;
}

/** Tick labels thinned so that at most `max` show on a band axis. */
export function thin(labels, max) {
  if (labels.length <= max) return labels;
  const step = Math.ceil(labels.length / max);
  return labels.filter((_, i) => i % step === 0);
}
