// The "check the mapping" and "data quality" views: what the engine
// detected in each file, how each column was read, and every row it left
// out. Overrides go back to the engine, which recomputes.
import { h } from "./dom.js";
import { KINDS } from "./schema.js";
import { dataTable } from "./table.js";

const uid = (p) => `${p}-${Math.random().toString(36).slice(2, 8)}`;

function labelled(text, control) {
  const id = uid("ctl");
  control.id = id;
  return h("div", { class: "pk-field" }, h("label", { for: id }, text), control);
}

/**
 * One card per table read. `known` remembers each file's last good headers
 * so a mapping that broke the table can still be put back.
 */
export function renderMapping(ctx, report, known) {
  const { t, fmt } = ctx;
  const tables = report.dataQuality.tables;
  if (!tables.length) return [h("p", { class: "pk-hint" }, t("map.empty"))];
  const editable = Boolean(ctx.actions?.setKind);
  return tables.map((tq) => {
    const headers = tq.columns.length ? tq.columns.map((c) => c.header) : (known.get(tq.file)?.headers ?? []);
    const kind = tq.table ?? known.get(tq.file)?.kind ?? null;
    const kindSelect = h(
      "select",
      {
        dataset: { control: "kind", file: tq.file },
        disabled: !editable,
        onchange: (e) => ctx.actions.setKind(tq.file, e.target.value || undefined),
      },
      h("option", { value: "", selected: !tq.kindOverridden }, t("map.autoKind", { kind: tq.table ? t(`kind.${tq.table}`) : t("map.unknownKind") })),
      Object.keys(KINDS).map((k) => h("option", { value: k, selected: tq.kindOverridden && tq.table === k }, t(`kind.${k}`))),
    );
    const facts = [
      [t("map.kind"), tq.table ? t(`kind.${tq.table}`) + (tq.kindOverridden ? ` (${t("map.chosen")})` : ` (${t("map.detected")})`) : "—"],
      [t("map.encoding"), tq.encoding ?? "—"],
      [t("map.delimiter"), tq.delimiter ? (tq.delimiter === "tab" ? t("map.tab") : `“${tq.delimiter}”`) : "—"],
      [t("map.headerLine"), tq.headerLine ?? "—"],
      [t("map.rows"), t("map.rowsValue", { read: fmt.count(tq.rowsRead), used: fmt.count(tq.rowsUsed), rejected: fmt.count(tq.rowsRejected) })],
    ];
    const selects = [];
    if (kind && KINDS[kind] && headers.length) {
      for (const col of KINDS[kind]) {
        const current = tq.columns.find((c) => c.mappedTo === col)?.header ?? "";
        const sel = h(
          "select",
          {
            dataset: { control: "mapping", file: tq.file, column: col },
            disabled: !editable,
            onchange: (e) => ctx.actions.setMapping(tq.file, col, e.target.value === "" ? undefined : e.target.value),
          },
          h("option", { value: "", selected: current === "" }, "—"),
          headers.map((hd) => h("option", { value: hd, selected: hd === current }, hd)),
        );
        const how = tq.columns.find((c) => c.header === current);
        const field = labelled(t(`col.canon.${col}`, null, col), sel);
        field.append(h("span", { class: "pk-sub", dataset: { style: col } }, how?.style ? `${how.style}${how.decidedBy ? ` (${how.decidedBy})` : ""}` : ""));
        selects.push(field);
      }
    }
    const extra = tq.columns.filter((c) => c.mappedTo && c.mappedTo.startsWith("entered:"));
    return h(
      "article",
      { class: "pk-card", dataset: { file: tq.file, sheet: tq.sheet ?? undefined } },
      h("h3", null, tq.file, tq.sheet ? ` — ${tq.sheet}` : null),
      tq.error ? h("p", { class: "pk-error", role: "alert", dataset: { error: tq.file } }, t("map.error"), " ", tq.error) : null,
      h(
        "dl",
        { class: "pk-facts" },
        facts.map(([k, v]) => h("div", null, h("dt", null, k), h("dd", null, String(v)))),
      ),
      labelled(t("map.kindLabel"), kindSelect),
      selects.length ? h("fieldset", { class: "pk-mapping" }, h("legend", null, t("map.columns")), selects) : null,
      extra.length ? h("p", { class: "pk-muted" }, t("map.history", { cols: extra.map((c) => `${c.header} → ${c.mappedTo.slice(8)}`).join(", ") })) : null,
      tq.columns.length
        ? h(
            "details",
            { class: "pk-data" },
            h("summary", null, t("map.howRead")),
            dataTable(ctx, {
              name: `columns-${tq.file}${tq.sheet ? `-${tq.sheet}` : ""}`,
              caption: t("map.howRead"),
              columns: [
                { label: t("map.header"), kind: "text", value: (c) => c.header },
                { label: t("map.mappedTo"), kind: "text", value: (c) => c.mappedTo ?? t("map.kept") },
                { label: t("map.style"), kind: "text", value: (c) => c.style },
                { label: t("map.decidedBy"), kind: "text", value: (c) => c.decidedBy },
              ],
              rows: tq.columns,
            }),
          )
        : null,
    );
  });
}

/** Totals, then per table its issue counts and every issue the engine listed, then the notes. */
export function renderQuality(ctx, report) {
  const { t, fmt } = ctx;
  const dq = report.dataQuality;
  const out = [
    h(
      "p",
      { class: "pk-lead", dataset: { rejected: dq.rowsRejected } },
      t("dq.totals", { read: fmt.count(dq.rowsRead), used: fmt.count(dq.rowsUsed), rejected: fmt.count(dq.rowsRejected) }),
    ),
  ];
  const facts = [];
  if (dq.currencies.length)
    facts.push(
      t("dq.currencies", {
        list: dq.currencies.map((c) => `${c.currency} ${fmt.count(c.deals)}${c.rate !== null ? ` (× ${fmt.num(c.rate, 4)})` : ""}`).join(", "),
      }),
    );
  if (dq.excludedForCurrency) facts.push(t("dq.excludedFx", { n: fmt.count(dq.excludedForCurrency) }));
  if (dq.valuedAtListPrice) facts.push(t("dq.listPrice", { n: fmt.count(dq.valuedAtListPrice) }));
  if (dq.withoutAmount) facts.push(t("dq.withoutAmount", { n: fmt.count(dq.withoutAmount) }));
  if (facts.length)
    out.push(
      h(
        "ul",
        { class: "pk-facts-list" },
        facts.map((f) => h("li", null, f)),
      ),
    );
  for (const tq of dq.tables) {
    const counts = Object.entries(tq.issueCounts ?? {});
    const total = counts.reduce((n, [, c]) => n + c, 0);
    out.push(
      h(
        "article",
        { class: "pk-card", dataset: { file: tq.file } },
        h("h3", null, tq.file, tq.sheet ? ` — ${tq.sheet}` : null),
        tq.error
          ? h("p", { class: "pk-error", dataset: { error: tq.file } }, t("map.error"), " ", tq.error)
          : h(
              "p",
              null,
              t("dq.table", {
                kind: tq.table ? t(`kind.${tq.table}`) : "—",
                read: fmt.count(tq.rowsRead),
                used: fmt.count(tq.rowsUsed),
                rejected: fmt.count(tq.rowsRejected),
                blank: fmt.count(tq.blankRows),
              }),
            ),
        counts.length ? h("p", { class: "pk-muted" }, counts.map(([code, n]) => `${code}: ${fmt.count(n)}`).join(" · ")) : null,
        tq.issues.length
          ? dataTable(ctx, {
              name: `issues-${tq.file}${tq.sheet ? `-${tq.sheet}` : ""}`,
              caption: t("dq.issuesOf", { file: tq.file }),
              limit: 100,
              columns: [
                { label: t("dq.line"), kind: "count", value: (i) => i.line },
                { label: t("dq.column"), kind: "text", value: (i) => i.column },
                { label: t("dq.value"), kind: "text", value: (i) => i.value },
                { label: t("dq.problem"), kind: "text", wrap: true, value: (i) => i.message },
                { label: t("dq.rejected"), kind: "text", value: (i) => (i.rejected ? t("dq.rowLeftOut") : t("dq.warning")) },
              ],
              rows: tq.issues,
              rowClass: (i) => (i.rejected ? "pk-rejected" : undefined),
            })
          : tq.error
            ? null
            : h("p", { class: "pk-muted" }, t("dq.clean")),
        total > tq.issues.length ? h("p", { class: "pk-muted" }, t("dq.capped", { shown: fmt.count(tq.issues.length), total: fmt.count(total) })) : null,
      ),
    );
  }
  out.push(h("h3", null, t("dq.notes")));
  out.push(
    report.notes.length
      ? h(
          "ul",
          { class: "pk-notes" },
          report.notes.map((n) => h("li", null, h("code", null, n.metric), " ", n.message)),
        )
      : h("p", { class: "pk-muted" }, t("dq.noNotes")),
  );
  return out;
}
