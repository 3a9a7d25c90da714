// Exports: tables as CSV (safe to open in a spreadsheet), charts as SVG
// and PNG. Values are written as the engine gave them.

const FORMULA = /^[=+\-@\t\r]/;

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (starting
 * with = + - @, a tab or a carriage return) gets a leading apostrophe;
 * numbers are written as numbers.
 */
export function csvCell(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "true" : "false";
  let s = String(v);
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s.trim() !== s ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A CSV file (UTF-8 with BOM so spreadsheets read accents) from a header and rows of raw values. */
export function toCsv(header, rows) {
  return "\ufeff" + [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** The stylesheet a chart needs once it leaves the page. */
const PLOT_CSS = "svg{background:#fff;font-family:system-ui,sans-serif}text,tspan{white-space:pre}";

export function svgText(svg) {
  const clone = svg.cloneNode(true);
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("xmlns:xlink", "http://www.w3.org/1999/xlink");
  const style = document.createElementNS("http://www.w3.org/2000/svg", "style");
  style.textContent = PLOT_CSS;
  clone.insertBefore(style, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

export function svgBlob(svg) {
  return new Blob([svgText(svg)], { type: "image/svg+xml" });
}

/** Renders the chart on a canvas at twice its size and resolves to a PNG Blob. */
export function pngBlob(svg, scale = 2) {
  const { width, height } = svg.viewBox.baseVal ?? svg.getBBox();
  const img = new Image();
  img.width = width;
  img.height = height;
  return new Promise((resolve, reject) => {
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = Math.ceil(width * scale);
      canvas.height = Math.ceil(height * scale);
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("could not draw the chart"))), "image/png");
    };
    img.onerror = () => reject(new Error("could not draw the chart"));
    // A data: URL, which the page's img-src allows.
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText(svg));
  });
}

/** A file name from a title: lowercase words joined by dashes. */
export function slug(s) {
  return (
    String(s)
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "pelacak"
  );
}
