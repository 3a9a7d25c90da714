// Tables of engine values: formatted for reading, sortable from the
// keyboard, exportable as CSV with the raw values.
import { h, download } from "./dom.js";
import { toCsv, slug } from "./export.js";

function display(fmt, kind, v, currency) {
  switch (kind) {
    case "money":
      return fmt.money(v, currency);
    case "count":
      return fmt.count(v);
    case "pct":
      return fmt.pct(v);
    case "days":
    case "num":
      return fmt.num(v, 1);
    case "num2":
      return fmt.num(v, 2);
    case "date":
      return fmt.date(v);
    default:
      return v === null || v === undefined || v === "" ? "—" : String(v);
  }
}

const NUMERIC = new Set(["money", "count", "pct", "days", "num", "num2"]);

/**
 * A table. `columns`: {label, kind, value(row), node?(row), csv?(row)}.
 * `rowClass(row)` marks rows (the leakiest stage...). Long tables show
 * `limit` rows and a button for the rest.
 */
export function dataTable(ctx, { name, caption, columns, rows, rowClass, limit = 0, hideCaption = true }) {
  const { t, fmt, currency } = ctx;
  let order = rows.map((_, i) => i);
  let sortCol = -1;
  let dir = 1;
  let showAll = !limit || rows.length <= limit;
  const tbody = h("tbody");
  const more = h("button", { type: "button", class: "pk-link", onclick: () => ((showAll = true), fill()) });
  const ths = columns.map((c, i) =>
    h(
      "th",
      { scope: "col", class: NUMERIC.has(c.kind) ? "num" : undefined },
      h("button", { type: "button", class: "pk-sort", onclick: () => sort(i) }, c.label),
    ),
  );

  function sort(i) {
    dir = sortCol === i ? -dir : NUMERIC.has(columns[i].kind) ? -1 : 1;
    sortCol = i;
    const val = (r) => columns[i].value(rows[r]);
    order = rows
      .map((_, k) => k)
      .sort((a, b) => {
        const x = val(a);
        const y = val(b);
        if (x === y) return a - b;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), fmt.locale)) * dir;
      });
    ths.forEach((th, k) => (k === i ? th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending") : th.removeAttribute("aria-sort")));
    fill();
  }

  function fill() {
    const shown = showAll ? order : order.slice(0, limit);
    tbody.replaceChildren(
      ...shown.map((r) => {
        const row = rows[r];
        return h(
          "tr",
          { class: rowClass?.(row) || undefined },
          columns.map((c, i) => {
            const content = c.node ? c.node(row) : display(fmt, c.kind, c.value(row), currency);
            return h(
              i === 0 ? "th" : "td",
              { scope: i === 0 ? "row" : undefined, class: NUMERIC.has(c.kind) ? "num" : c.wrap ? "pk-wrap" : undefined },
              content,
            );
          }),
        );
      }),
    );
    more.hidden = showAll;
    more.textContent = t("table.showAll", { n: fmt.count(rows.length) });
  }
  fill();

  const csv = () => {
    const header = columns.map((c) => c.label);
    const body = rows.map((r) => columns.map((c) => (c.csv ? c.csv(r) : c.value(r))));
    download(new Blob([toCsv(header, body)], { type: "text/csv;charset=utf-8" }), `${slug(name)}.csv`);
  };

  return h(
    "div",
    { class: "pk-table", dataset: { table: slug(name) } },
    h(
      "div",
      { class: "pk-scroll", tabindex: "0", role: "region", "aria-label": caption ?? name },
      h("table", null, h("caption", { class: hideCaption ? "pk-sr" : undefined }, caption ?? name), h("thead", null, h("tr", null, ths)), tbody),
    ),
    h(
      "div",
      { class: "pk-actions" },
      more,
      h(
        "button",
        { type: "button", class: "pk-small pk-secondary", "data-export": "csv", "aria-label": t("export.csvNamed", { name: caption ?? name }), onclick: csv },
        t("export.csv"),
      ),
    ),
  );
}
