// The dashboard: one section per part of the report. Every figure shown is
// one the engine computed; the page only adds the difference between two
// engine numbers (this period and the previous one) and sorts tables.
import { h } from "./dom.js";
import { chartFigure, thin, COLORS } from "./charts.js";
import { dataTable } from "./table.js";
import { previousRange } from "./dates.js";

const DIMENSIONS = [
  ["rep", "byRep"],
  ["team", "byTeam"],
  ["region", "byRegion"],
  ["product", "byProduct"],
  ["source", "bySource"],
];

/** A section: a heading and either its content or a one-line hint. */
function section(id, title, content, hint) {
  const titleId = `${id}-title-${Math.random().toString(36).slice(2, 8)}`;
  return h(
    "section",
    { class: "pk-section", dataset: { section: id, empty: hint ? "true" : undefined }, "aria-labelledby": titleId },
    h("h2", { id: titleId }, title),
    hint ? h("p", { class: "pk-hint", dataset: { hint: id } }, hint) : content,
  );
}

/** A button that filters the dashboard by a value (a rep, a region...). */
function pick(ctx, dim, name) {
  if (name === null || name === undefined) return ctx.t("common.none");
  if (!ctx.actions?.filter) return name;
  return h(
    "button",
    { type: "button", class: "pk-pick", title: ctx.t("explore.filterBy", { name }), dataset: { filter: dim }, onclick: () => ctx.actions.filter(dim, name) },
    name,
  );
}

/**
 * The hint for a section the report left null: the file to add, or, when
 * that file is there, the engine's own note on why it could not compute it.
 */
function missing(ctx, r, kinds, hintKey, notePrefix) {
  const present = r.dataQuality.tables.some((tq) => !tq.error && kinds.includes(tq.table));
  if (present) {
    const note = r.notes.find((n) => n.metric === notePrefix || n.metric.startsWith(`${notePrefix}.`));
    if (note) return ctx.t("hint.engineNote", { msg: note.message });
  }
  return ctx.t(hintKey);
}

const hasTable = (r, kind) => r.dataQuality.tables.some((tq) => !tq.error && tq.table === kind);

const grid = (...children) => h("div", { class: "pk-grid" }, children);

// KPI tiles --------------------------------------------------------------

function tile(ctx, { key, label, value, raw, prev, kind, sub, hint, better = "up" }) {
  const { t, fmt, currency } = ctx;
  const hasPrev = typeof raw === "number" && typeof prev === "number";
  let change = null;
  if (ctx.previous) {
    if (hasPrev) {
      const d = raw - prev;
      // A change too small to show in the tile's precision is no change.
      const shownPrev = kind === "ratio" ? fmt.pct(prev) : null;
      const dir = shownPrev !== null && shownPrev === fmt.pct(raw) ? "same" : d > 0 ? "up" : d < 0 ? "down" : "same";
      const good = dir === "same" ? "" : dir === better ? " pk-good" : " pk-bad";
      const prevText =
        kind === "money" ? fmt.money(prev, currency) : kind === "ratio" ? fmt.pct(prev) : kind === "times" ? `${fmt.num(prev, 2)}×` : fmt.num(prev, 1);
      const diffText = kind === "ratio" ? t("kpi.pp", { n: fmt.diff("ratio", d) }) : kind === "times" ? fmt.diff("num", d) : fmt.diff(kind, d, currency);
      change = h(
        "span",
        { class: `pk-change${good}`, dataset: { dir } },
        h("span", { "aria-hidden": "true" }, dir === "up" ? "▲ " : dir === "down" ? "▼ " : "= "),
        t("kpi.vsPrev", { diff: diffText, prev: prevText }),
      );
    } else {
      change = h("span", { class: "pk-change" }, t("kpi.noPrev"));
    }
  } else if (ctx.comparing) {
    change = h("span", { class: "pk-change pk-pending" }, t("kpi.comparing"));
  }
  return h(
    "div",
    { class: "pk-tile", dataset: { kpi: key, value: raw ?? "", previous: prev ?? "" } },
    h("span", { class: "pk-label" }, label),
    h("span", { class: value.length > 12 ? "pk-value pk-long" : "pk-value" }, value),
    sub ? h("span", { class: "pk-sub" }, sub) : null,
    hint ? h("span", { class: "pk-sub pk-hint-inline" }, hint) : null,
    change,
  );
}

const ARROW = { growing: "↑", shrinking: "↓", flat: "→" };

function kpis(ctx, r, p) {
  const { t, fmt, currency } = ctx;
  const s = r.summary;
  const ps = p?.summary;
  const q = r.query;
  const trend = r.avgDealSizeTrend;
  const trendText = !trend
    ? null
    : trend.direction === "insufficient"
      ? t("trend.insufficient")
      : `${ARROW[trend.direction] ?? ""} ${t(`trend.${trend.direction}`)} ${fmt.signedPercent(trend.changePct)}`;
  const cov = r.pipeline?.coverage;
  const coverageHint = !r.quota
    ? t("hint.kpiQuotas")
    : s.pipelineCoverage !== null
      ? null
      : cov && cov.coverage === null && cov.won >= cov.quota
        ? t("kpi.coverageMet")
        : t("hint.kpiNotComputed");
  const tiles = [
    { key: "revenue", label: t("kpi.revenue"), value: fmt.money(s.revenue, currency), raw: s.revenue, prev: ps?.revenue, kind: "money" },
    {
      key: "dealsWon",
      label: t("kpi.dealsWon"),
      value: fmt.count(s.dealsWon),
      raw: s.dealsWon,
      prev: ps?.dealsWon,
      kind: "count",
      sub: t("kpi.lost", { n: fmt.count(s.dealsLost) }),
    },
    {
      key: "winRate",
      label: t("kpi.winRate"),
      value: fmt.pct(s.winRate),
      raw: s.winRate,
      prev: ps?.winRate,
      kind: "ratio",
      sub: t("kpi.cohort", { v: fmt.pct(s.winRateCreatedCohort) }),
    },
    {
      key: "avgDealSize",
      label: t("kpi.avgDealSize"),
      value: fmt.money(s.avgDealSize, currency),
      raw: s.avgDealSize,
      prev: ps?.avgDealSize,
      kind: "money",
      sub: trendText,
    },
    {
      key: "quotaShare",
      label: t("kpi.quotaShare"),
      value: fmt.pct(r.quota?.shareAtOrAbove),
      raw: r.quota?.shareAtOrAbove,
      prev: p?.quota?.shareAtOrAbove,
      kind: "ratio",
      sub: r.quota ? t("kpi.quotaShareSub", { a: fmt.count(r.quota.repsAtOrAboveQuota), n: fmt.count(r.quota.repsWithQuota) }) : null,
      hint: r.quota ? null : t("hint.kpiQuotas"),
    },
    {
      key: "quotaAttainment",
      label: t("kpi.quotaAttainment"),
      value: fmt.pct(s.quotaAttainment),
      raw: s.quotaAttainment,
      prev: ps?.quotaAttainment,
      kind: "ratio",
      hint: r.quota ? null : t("hint.kpiQuotas"),
    },
    {
      key: "pipelineCoverage",
      label: t("kpi.coverage"),
      value: s.pipelineCoverage === null ? "—" : `${fmt.num(s.pipelineCoverage, 2)}×`,
      raw: s.pipelineCoverage,
      prev: ps?.pipelineCoverage,
      kind: "times",
      sub: r.pipeline?.coverage?.periods?.length ? t("kpi.coverageSub", { periods: r.pipeline.coverage.periods.join(", ") }) : null,
      hint: coverageHint,
    },
    {
      key: "openPipeline",
      label: t("kpi.openPipeline"),
      value: fmt.money(s.openPipeline, currency),
      raw: s.openPipeline,
      prev: ps?.openPipeline,
      kind: "money",
      sub: t("kpi.openSub", { n: fmt.count(s.dealsOpen), w: fmt.money(s.weightedPipeline, currency) }),
    },
    {
      key: "salesCycle",
      label: t("kpi.salesCycle"),
      value: s.salesCycleDays ? t("unit.days", { n: fmt.num(s.salesCycleDays.median, 1) }) : "—",
      raw: s.salesCycleDays?.median ?? null,
      prev: ps?.salesCycleDays?.median,
      kind: "num",
      better: "down",
      sub: s.salesCycleDays ? t("kpi.cycleSub", { mean: fmt.num(s.salesCycleDays.mean, 1), p90: fmt.num(s.salesCycleDays.p90, 1) }) : null,
    },
    {
      key: "sellingTime",
      label: t("kpi.sellingTime"),
      value: fmt.pct(s.sellingTimeShare),
      raw: s.sellingTimeShare,
      prev: ps?.sellingTimeShare,
      kind: "ratio",
      sub: t("kpi.benchmark", { v: fmt.pct(r.activities?.benchmark ?? 0.39, 0) }),
      hint: r.activities ? null : hasTable(r, "activities") ? t("hint.kpiNotComputed") : t("hint.kpiActivities"),
    },
  ];
  const range = q.from ? t("kpi.range", { from: fmt.date(q.from), to: fmt.date(q.to), asOf: fmt.date(q.asOf) }) : t("kpi.noDates");
  const prevSpan = p?.query?.from ? [p.query.from, p.query.to] : ctx.comparing && q.from ? previousRange(q.from, q.to) : null;
  const prevRange = prevSpan
    ? t("kpi.prevRange", { from: fmt.date(prevSpan[0]), to: fmt.date(prevSpan[1]) })
    : ctx.actions?.filter
      ? t("kpi.compareHint")
      : null;
  const filters = Object.entries(q.filters ?? {}).filter(([, v]) => v.length);
  return section("kpis", t("section.kpis"), [
    h(
      "p",
      { class: "pk-muted pk-range" },
      range,
      prevRange ? ` · ${prevRange}` : null,
      filters.length ? ` · ${t("kpi.filtered", { f: filters.map(([k, v]) => `${t(`dim.${k}`)}: ${v.join(", ")}`).join("; ") })}` : null,
    ),
    h(
      "div",
      { class: "pk-tiles" },
      tiles.map((x) => tile({ ...ctx, previous: p }, x)),
    ),
  ]);
}

// Revenue and deals by period -----------------------------------------

function revenue(ctx, r) {
  const { t, fmt, currency } = ctx;
  const rows = r.series;
  if (!rows.length) return section("revenue", t("section.revenue"), null, t("hint.noDeals"));
  const periods = rows.map((x) => x.period);
  const ticks = thin(periods, Math.max(3, Math.floor(ctx.half / (periods[0].length * 7 + 16))));
  const table = {
    columns: [
      { label: t("col.period"), kind: "text", value: (x) => x.period },
      { label: t("col.revenue"), kind: "money", value: (x) => x.revenue },
      { label: t("col.won"), kind: "count", value: (x) => x.dealsWon },
      { label: t("col.lost"), kind: "count", value: (x) => x.dealsLost },
      { label: t("col.winRate"), kind: "pct", value: (x) => x.winRate },
      { label: t("col.avgDeal"), kind: "money", value: (x) => x.avgDealSize },
      { label: t("col.growth"), kind: "text", value: (x) => x.revenueGrowthPct, node: (x) => fmt.signedPercent(x.revenueGrowthPct) },
    ],
    rows,
  };
  const revChart = chartFigure(ctx, {
    name: "revenue-by-period",
    title: t("chart.revenueByPeriod"),
    width: ctx.half,
    table,
    draw: (Plot, width) =>
      Plot.plot({
        width,
        height: 260,
        className: "pk-plot",
        marginLeft: 56,
        x: { type: "band", domain: periods, ticks, label: null },
        y: { grid: true, label: currency ?? null, tickFormat: (v) => fmt.compact(v) },
        marks: [
          Plot.barY(rows, { x: "period", y: "revenue", fill: COLORS.main, title: (x) => `${x.period}: ${fmt.money(x.revenue, currency)}` }),
          Plot.ruleY([0]),
        ],
      }),
  });
  const long = rows.flatMap((x) => [
    { period: x.period, what: t("col.won"), n: x.dealsWon },
    { period: x.period, what: t("col.lost"), n: x.dealsLost },
  ]);
  const dealsChart = chartFigure(ctx, {
    name: "deals-by-period",
    title: t("chart.dealsByPeriod"),
    width: ctx.half,
    table,
    draw: (Plot, width) =>
      Plot.plot({
        width,
        height: 260,
        className: "pk-plot",
        x: { type: "band", domain: periods, ticks, label: null },
        y: { grid: true, label: t("chart.deals") },
        fx: undefined,
        color: { domain: [t("col.won"), t("col.lost")], range: [COLORS.main, COLORS.hot] },
        marks: [
          Plot.lineY(long, { x: "period", y: "n", stroke: "what", strokeWidth: 2 }),
          Plot.dot(long, { x: "period", y: "n", fill: "what", r: 2.5, title: (d) => `${d.period} · ${d.what}: ${fmt.count(d.n)}` }),
          Plot.ruleY([0]),
        ],
      }),
  });
  return section("revenue", t("section.revenue"), [
    grid(
      revChart,
      h(
        "div",
        null,
        dealsChart,
        legend([
          [t("col.won"), COLORS.main],
          [t("col.lost"), COLORS.hot],
        ]),
      ),
    ),
  ]);
}

function legend(items) {
  return h(
    "ul",
    { class: "pk-legend" },
    items.map(([label, color]) => {
      const swatch = h("span", { class: "pk-swatch" });
      // CSSOM, which the page's CSP allows (a style attribute it would not).
      swatch.style.background = color;
      return h("li", null, swatch, label);
    }),
  );
}

// Average deal size trend -----------------------------------------------

function dealSize(ctx, r) {
  const { t, fmt, currency } = ctx;
  const trend = r.avgDealSizeTrend;
  if (!r.series.length || !trend) return section("dealSize", t("section.dealSize"), null, t("hint.noDeals"));
  const rows = r.series;
  const periods = rows.map((x) => x.period);
  const text =
    trend.direction === "insufficient"
      ? t("trend.insufficientLong", { n: fmt.count(trend.periodsWithWins) })
      : t("trend.sentence", {
          arrow: ARROW[trend.direction],
          dir: t(`trend.${trend.direction}`),
          pct: fmt.signedPercent(trend.changePct),
          slope: fmt.money(trend.slope, currency),
          n: fmt.count(trend.periodsWithWins),
        });
  const fig = chartFigure(ctx, {
    name: "average-deal-size",
    title: t("chart.avgDealSize"),
    width: ctx.full,
    table: {
      columns: [
        { label: t("col.period"), kind: "text", value: (x) => x.period },
        { label: t("col.avgDeal"), kind: "money", value: (x) => x.avgDealSize },
        { label: t("col.won"), kind: "count", value: (x) => x.dealsWon },
      ],
      rows,
    },
    draw: (Plot, width) =>
      Plot.plot({
        width,
        height: 240,
        className: "pk-plot",
        marginLeft: 56,
        x: { type: "point", domain: periods, ticks: thin(periods, Math.max(3, Math.floor(width / (periods[0].length * 7 + 16)))), label: null },
        y: { grid: true, label: currency ?? null, tickFormat: (v) => fmt.compact(v), zero: true },
        marks: [
          Plot.lineY(rows, { x: "period", y: "avgDealSize", stroke: COLORS.main, strokeWidth: 2, defined: (x) => x.avgDealSize !== null }),
          Plot.dot(
            rows.filter((x) => x.avgDealSize !== null),
            { x: "period", y: "avgDealSize", fill: COLORS.main, r: 3, title: (x) => `${x.period}: ${fmt.money(x.avgDealSize, currency)}` },
          ),
        ],
      }),
  });
  return section("dealSize", t("section.dealSize"), [
    h("p", { class: `pk-lead pk-trend-${trend.direction}`, dataset: { trend: trend.direction } }, text),
    h("p", { class: "pk-muted" }, t("trend.median", { v: fmt.money(r.summary.medianDealSize, currency) })),
    fig,
  ]);
}

// Quota -----------------------------------------------------------------

function quota(ctx, r) {
  const { t, fmt, currency } = ctx;
  const q = r.quota;
  if (!q) return section("quota", t("section.quota"), null, missing(ctx, r, ["quotas"], "hint.quotas", "quota"));
  const dist = q.distribution;
  const distFig = chartFigure(ctx, {
    name: "quota-distribution",
    title: t("chart.quotaDistribution"),
    width: ctx.half,
    table: {
      columns: [
        { label: t("col.attainment"), kind: "text", value: (x) => x.bucket },
        { label: t("col.repPeriods"), kind: "count", value: (x) => x.count },
      ],
      rows: dist,
    },
    draw: (Plot, width) =>
      Plot.plot({
        width,
        height: 240,
        className: "pk-plot",
        x: { type: "band", domain: dist.map((d) => d.bucket), label: t("col.attainment") },
        y: { grid: true, label: t("col.repPeriods") },
        marks: [
          Plot.barY(dist, {
            x: "bucket",
            y: "count",
            fill: (d, i) => (i >= 3 ? COLORS.ok : i === 2 ? COLORS.soft : COLORS.hot),
            title: (d) => `${d.bucket}: ${fmt.count(d.count)}`,
          }),
          Plot.ruleY([0]),
        ],
      }),
  });
  const periods = q.perPeriod.map((p) => p.period);
  const chosen = periods.includes(ctx.state.quotaPeriod) ? ctx.state.quotaPeriod : periods[periods.length - 1];
  const pairs = q.attainments.filter((a) => a.period === chosen);
  const selectId = `quota-period-${Math.random().toString(36).slice(2, 8)}`;
  const periodSelect = h(
    "select",
    { id: selectId, dataset: { control: "quotaPeriod" }, onchange: (e) => ctx.actions.setState({ quotaPeriod: e.target.value }) },
    periods.map((p) => h("option", { value: p, selected: p === chosen }, p)),
  );
  const attainFig = chartFigure(ctx, {
    name: `quota-attainment-${chosen ?? ""}`,
    title: t("chart.attainment", { period: chosen ?? "" }),
    width: ctx.half,
    keys: pairs.map((a) => a.name),
    onPick: q.level === "rep" && ctx.actions?.filter ? (name) => ctx.actions.filter("rep", name) : undefined,
    table: {
      columns: [
        { label: t(`dim.${q.level}`), kind: "text", value: (a) => a.name },
        { label: t("col.quota"), kind: "money", value: (a) => a.quota },
        { label: t("col.won"), kind: "money", value: (a) => a.won },
        { label: t("col.attainment"), kind: "pct", value: (a) => a.attainment },
      ],
      rows: pairs,
    },
    draw: (Plot, width) =>
      Plot.plot({
        width,
        height: Math.max(160, 26 * pairs.length + 50),
        className: "pk-plot",
        marginLeft: 120,
        x: { grid: true, label: t("col.attainment"), tickFormat: (v) => fmt.pct(v, 0) },
        y: { label: null, domain: pairs.map((a) => a.name) },
        marks: [
          Plot.barX(pairs, {
            x: "attainment",
            y: "name",
            fill: (a) => ((a.attainment ?? 0) >= 1 ? COLORS.ok : COLORS.soft),
            title: (a) => `${a.name}: ${fmt.pct(a.attainment)}`,
          }),
          Plot.ruleX([1], { stroke: COLORS.ink ?? "#1b1f24", strokeDasharray: "4 3" }),
          Plot.ruleX([0]),
        ],
      }),
  });
  return section("quota", t("section.quota"), [
    h(
      "p",
      { class: "pk-lead" },
      t("quota.sentence", {
        share: fmt.pct(q.shareAtOrAbove),
        a: fmt.count(q.repsAtOrAboveQuota),
        n: fmt.count(q.repsWithQuota),
        level: t(`level.${q.level}`),
        team: fmt.pct(q.teamAttainment),
        won: fmt.money(q.wonTotal, currency),
        quota: fmt.money(q.quotaTotal, currency),
      }),
    ),
    grid(distFig, h("div", null, h("p", { class: "pk-inline-control" }, h("label", { for: selectId }, t("quota.period")), " ", periodSelect), attainFig)),
    h("h3", null, t("quota.perPeriod")),
    dataTable(ctx, {
      name: "quota-per-period",
      caption: t("quota.perPeriod"),
      columns: [
        { label: t("col.period"), kind: "text", value: (x) => x.period },
        { label: t("col.repPeriods"), kind: "count", value: (x) => x.repsWithQuota },
        { label: t("col.atQuota"), kind: "count", value: (x) => x.repsAtOrAboveQuota },
        { label: t("col.shareAtQuota"), kind: "pct", value: (x) => x.shareAtOrAbove },
        { label: t("col.attainment"), kind: "pct", value: (x) => x.attainment },
      ],
      rows: q.perPeriod,
    }),
    h("h3", null, t("quota.allPairs")),
    dataTable(ctx, {
      name: "quota-attainment",
      caption: t("quota.allPairs"),
      limit: 24,
      columns: [
        {
          label: t(`dim.${q.level}`),
          kind: "text",
          value: (a) => a.name,
          node: (a) => (q.level === "rep" || q.level === "team" || q.level === "region" ? pick(ctx, q.level, a.name) : a.name),
        },
        { label: t("col.period"), kind: "text", value: (a) => a.period },
        { label: t("col.quota"), kind: "money", value: (a) => a.quota },
        { label: t("col.won"), kind: "money", value: (a) => a.won },
        { label: t("col.attainment"), kind: "pct", value: (a) => a.attainment },
      ],
      rows: q.attainments,
      rowClass: (a) => ((a.attainment ?? 0) >= 1 ? "pk-ok" : undefined),
    }),
  ]);
}

// Deal funnel and time in stage ----------------------------------------

function funnel(ctx, r) {
  const { t, fmt } = ctx;
  const f = r.funnel;
  if (!f) return section("funnel", t("section.funnel"), null, t("hint.noDeals"));
  const stages = f.stages;
  const names = stages.map((s) => s.stage);
  const history = f.basis === "history";
  const leaky = stages.find((s) => s.stage === f.leakiestStage);
  const slow = stages.find((s) => s.stage === f.bottleneckStage);
  const intro = [];
  if (!history) intro.push(h("p", { class: "pk-hint", dataset: { hint: "history" } }, t("hint.history")));
  if (leaky)
    intro.push(
      h(
        "p",
        { class: "pk-lead pk-hot-text", dataset: { leakiest: leaky.stage } },
        t("funnel.leakiest", { stage: leaky.stage, drop: fmt.pct(leaky.dropOff), lost: fmt.count(leaky.lostAt), reached: fmt.count(leaky.reached) }),
      ),
    );
  if (slow)
    intro.push(
      h(
        "p",
        { class: "pk-lead pk-warn-text", dataset: { bottleneck: slow.stage } },
        t("funnel.bottleneck", { stage: slow.stage, median: fmt.num(slow.timeInStageDays?.median, 1), p90: fmt.num(slow.timeInStageDays?.p90, 1) }),
      ),
    );
  intro.push(
    h("p", { class: "pk-muted" }, t("funnel.basis", { deals: fmt.count(f.deals), won: fmt.count(f.won), lost: fmt.count(f.lost), order: f.stageOrder.source })),
  );
  const table = {
    columns: [
      { label: t("col.stage"), kind: "text", value: (s) => s.stage },
      { label: t("col.reached"), kind: "count", value: (s) => s.reached },
      { label: t("col.lostAt"), kind: "count", value: (s) => s.lostAt },
      { label: t("col.conversion"), kind: "pct", value: (s) => s.conversion },
      { label: t("col.cumulative"), kind: "pct", value: (s) => s.cumulative },
      { label: t("col.dropOff"), kind: "pct", value: (s) => s.dropOff },
      { label: t("col.medianDays"), kind: "days", value: (s) => s.timeInStageDays?.median ?? null },
      { label: t("col.p90Days"), kind: "days", value: (s) => s.timeInStageDays?.p90 ?? null },
      { label: t("col.openNow"), kind: "count", value: (s) => s.openNow },
    ],
    rows: stages,
    rowClass: (s) => [s.stage === f.leakiestStage ? "pk-hot" : "", s.stage === f.bottleneckStage ? "pk-warn" : ""].join(" ").trim(),
  };
  const figs = [];
  if (history) {
    figs.push(
      chartFigure(ctx, {
        name: "deal-funnel",
        title: t("chart.funnel"),
        summary: leaky
          ? t("funnel.leakiest", { stage: leaky.stage, drop: fmt.pct(leaky.dropOff), lost: fmt.count(leaky.lostAt), reached: fmt.count(leaky.reached) })
          : undefined,
        width: ctx.half,
        table,
        draw: (Plot, width) =>
          Plot.plot({
            width,
            height: Math.max(160, 34 * stages.length + 40),
            className: "pk-plot",
            marginLeft: 110,
            marginRight: 60,
            x: { grid: true, label: t("col.reached") },
            y: { domain: names, label: null },
            marks: [
              Plot.barX(stages, {
                x: "reached",
                y: "stage",
                fill: (s) => (s.stage === f.leakiestStage ? COLORS.hot : COLORS.main),
                title: (s) => `${s.stage}: ${fmt.count(s.reached)} · ${t("col.dropOff")} ${fmt.pct(s.dropOff)}`,
              }),
              Plot.text(stages, { x: "reached", y: "stage", text: (s) => fmt.pct(s.dropOff), dx: 6, textAnchor: "start", fill: "currentColor" }),
              Plot.ruleX([0]),
            ],
          }),
      }),
      chartFigure(ctx, {
        name: "time-in-stage",
        title: t("chart.timeInStage"),
        width: ctx.half,
        table,
        draw: (Plot, width) =>
          Plot.plot({
            width,
            height: Math.max(160, 34 * stages.length + 40),
            className: "pk-plot",
            marginLeft: 110,
            x: { grid: true, label: t("unit.daysLabel") },
            y: { domain: names, label: null },
            marks: [
              Plot.barX(stages, {
                x: (s) => s.timeInStageDays?.median ?? null,
                y: "stage",
                fill: (s) => (s.stage === f.bottleneckStage ? COLORS.hot : COLORS.main),
                title: (s) => `${s.stage}: ${t("col.medianDays")} ${fmt.num(s.timeInStageDays?.median, 1)}, p90 ${fmt.num(s.timeInStageDays?.p90, 1)}`,
              }),
              Plot.tickX(stages, { x: (s) => s.timeInStageDays?.p90 ?? null, y: "stage", stroke: "currentColor", strokeWidth: 2 }),
              Plot.ruleX([0]),
            ],
          }),
      }),
    );
  }
  return section("funnel", t("section.funnel"), [
    ...intro,
    figs.length ? grid(...figs) : null,
    figs.length ? h("p", { class: "pk-muted" }, t("funnel.legend")) : null,
    dataTable(ctx, { name: "deal-funnel-stages", caption: t("chart.funnel"), ...table }),
  ]);
}

// Open pipeline -----------------------------------------------------------

function pipeline(ctx, r) {
  const { t, fmt, currency } = ctx;
  const p = r.pipeline;
  if (!p) return section("pipeline", t("section.pipeline"), null, t("hint.noDeals"));
  const rows = p.byStage.map((s) => ({ ...s, label: s.stage ?? t("common.noStage") }));
  const cov = p.coverage;
  const lines = [
    t("pipeline.sentence", {
      open: fmt.money(r.summary.openPipeline, currency),
      n: fmt.count(r.summary.dealsOpen),
      weighted: fmt.money(p.weightedPipeline, currency),
    }),
  ];
  if (cov) {
    lines.push(
      cov.coverage === null
        ? t("pipeline.coverageMet", { periods: cov.periods.join(", "), won: fmt.money(cov.won, currency), quota: fmt.money(cov.quota, currency) })
        : t("pipeline.coverage", {
            x: fmt.num(cov.coverage, 2),
            periods: cov.periods.join(", "),
            open: fmt.money(cov.openInPeriods, currency),
            remaining: fmt.money(cov.remaining, currency),
          }),
    );
  } else lines.push(t("hint.coverage"));
  if (p.velocityPerDay !== null) lines.push(t("pipeline.velocity", { v: fmt.money(p.velocityPerDay, currency) }));
  const table = {
    columns: [
      { label: t("col.stage"), kind: "text", value: (s) => s.label },
      { label: t("col.openDeals"), kind: "count", value: (s) => s.count },
      { label: t("col.amount"), kind: "money", value: (s) => s.amount },
      { label: t("col.weighted"), kind: "money", value: (s) => s.weightedAmount },
      { label: t("col.byProbability"), kind: "count", value: (s) => s.weightedByProbability },
      { label: t("col.stageWinRate"), kind: "pct", value: (s) => s.stageWinRate },
    ],
    rows,
  };
  const fig = chartFigure(ctx, {
    name: "pipeline-by-stage",
    title: t("chart.pipeline"),
    width: ctx.half,
    table,
    draw: (Plot, width) =>
      Plot.plot({
        width,
        height: Math.max(160, 44 * rows.length + 40),
        className: "pk-plot",
        marginLeft: 110,
        x: { grid: true, label: currency ?? null, tickFormat: (v) => fmt.compact(v) },
        y: { domain: rows.map((s) => s.label), label: null },
        marks: [
          Plot.barX(rows, { x: "amount", y: "label", fill: COLORS.soft, title: (s) => `${s.label}: ${fmt.money(s.amount, currency)}` }),
          Plot.barX(rows, {
            x: "weightedAmount",
            y: "label",
            fill: COLORS.main,
            insetTop: 6,
            insetBottom: 6,
            title: (s) => `${s.label}: ${t("col.weighted")} ${fmt.money(s.weightedAmount, currency)}`,
          }),
          Plot.ruleX([0]),
        ],
      }),
  });
  const stalled = p.stalled;
  const reasons = (d) => d.reasons.map((x) => t(`stall.${x.reason}`, { days: fmt.count(Number(x.days)), limit: fmt.num(x.thresholdDays, 0) })).join("; ");
  return section("pipeline", t("section.pipeline"), [
    ...lines.map((l) => h("p", { class: "pk-lead" }, l)),
    grid(
      h(
        "div",
        null,
        fig,
        legend([
          [t("col.amount"), COLORS.soft],
          [t("col.weighted"), COLORS.main],
        ]),
      ),
      h("div", null, dataTable(ctx, { name: "pipeline-stages", caption: t("chart.pipeline"), ...table })),
    ),
    h("h3", null, t("pipeline.stalled", { n: fmt.count(stalled.length) })),
    stalled.length
      ? dataTable(ctx, {
          name: "stalled-deals",
          caption: t("pipeline.stalled", { n: fmt.count(stalled.length) }),
          limit: 15,
          columns: [
            { label: t("col.deal"), kind: "text", value: (d) => d.id },
            { label: t("dim.rep"), kind: "text", value: (d) => d.owner, node: (d) => pick(ctx, "rep", d.owner) },
            { label: t("col.stage"), kind: "text", value: (d) => d.stage },
            { label: t("col.amount"), kind: "money", value: (d) => d.amount },
            { label: t("col.why"), kind: "text", wrap: true, value: reasons },
          ],
          rows: stalled,
        })
      : h("p", { class: "pk-muted" }, t("pipeline.noStalled")),
  ]);
}

// Leads -------------------------------------------------------------------

const LEAD_STEPS = ["leads", "mql", "sql", "opportunity", "customer"];
const DROP_TO_STEP = { "lead→mql": "mql", "mql→sql": "sql", "sql→opportunity": "opportunity", "opportunity→customer": "customer" };

function leads(ctx, r) {
  const { t, fmt } = ctx;
  const l = r.leads;
  if (!l) return section("leads", t("section.leads"), null, missing(ctx, r, ["leads"], "hint.leads", "leads"));
  const o = l.overall;
  const hot = DROP_TO_STEP[o.largestDropOff];
  const steps = LEAD_STEPS.map((k) => ({ key: k, label: t(`lead.${k}`), n: o[k] }));
  const drop = o.largestDropOff ? t(`leadStep.${o.largestDropOff}`) : null;
  const rate = { "lead→mql": o.leadToMql, "mql→sql": o.mqlToSql, "sql→opportunity": o.sqlToOpportunity, "opportunity→customer": o.opportunityToCustomer }[
    o.largestDropOff
  ];
  const fig = chartFigure(ctx, {
    name: "lead-funnel",
    title: t("chart.leadFunnel"),
    width: ctx.half,
    table: {
      columns: [
        { label: t("col.step"), kind: "text", value: (s) => s.label },
        { label: t("col.leadsCount"), kind: "count", value: (s) => s.n },
      ],
      rows: steps,
    },
    draw: (Plot, width) =>
      Plot.plot({
        width,
        height: 220,
        className: "pk-plot",
        marginLeft: 100,
        marginRight: 50,
        x: { grid: true, label: null },
        y: { domain: steps.map((s) => s.label), label: null },
        marks: [
          Plot.barX(steps, { x: "n", y: "label", fill: (s) => (s.key === hot ? COLORS.hot : COLORS.main), title: (s) => `${s.label}: ${fmt.count(s.n)}` }),
          Plot.text(steps, { x: "n", y: "label", text: (s) => fmt.count(s.n), dx: 6, textAnchor: "start", fill: "currentColor" }),
          Plot.ruleX([0]),
        ],
      }),
  });
  const sources = [o, ...l.bySource];
  const srcName = (s) => (s === o ? t("lead.allSources") : (s.source ?? t("common.none")));
  return section("leads", t("section.leads"), [
    drop ? h("p", { class: "pk-lead pk-hot-text", dataset: { dropoff: o.largestDropOff } }, t("leads.largest", { step: drop, rate: fmt.pct(rate) })) : null,
    h(
      "p",
      { class: "pk-muted" },
      t("leads.sentence", {
        mqlSql: fmt.pct(o.mqlToSql),
        days: fmt.num(o.medianDaysMqlToSql, 1),
        hours: fmt.num(o.medianFirstResponseHours, 1),
        linked: fmt.count(l.linkedDeals),
      }),
    ),
    grid(
      fig,
      h(
        "div",
        null,
        h("h3", null, t("leads.mqlSqlBySource")),
        dataTable(ctx, {
          name: "mql-sql-by-source",
          caption: t("leads.mqlSqlBySource"),
          columns: [
            { label: t("dim.source"), kind: "text", value: srcName, node: (s) => (s === o ? srcName(s) : pick(ctx, "source", s.source)) },
            { label: t("lead.mql"), kind: "count", value: (s) => s.mql },
            { label: t("lead.sql"), kind: "count", value: (s) => s.sql },
            { label: t("col.mqlToSql"), kind: "pct", value: (s) => s.mqlToSql },
          ],
          rows: sources,
          rowClass: (s) => (s === o ? "pk-total" : undefined),
        }),
      ),
    ),
    h("h3", null, t("leads.bySource")),
    dataTable(ctx, {
      name: "lead-funnel-by-source",
      caption: t("leads.bySource"),
      columns: [
        { label: t("dim.source"), kind: "text", value: srcName, node: (s) => (s === o ? srcName(s) : pick(ctx, "source", s.source)) },
        { label: t("lead.leads"), kind: "count", value: (s) => s.leads },
        { label: t("lead.mql"), kind: "count", value: (s) => s.mql },
        { label: t("lead.sql"), kind: "count", value: (s) => s.sql },
        { label: t("lead.opportunity"), kind: "count", value: (s) => s.opportunity },
        { label: t("lead.customer"), kind: "count", value: (s) => s.customer },
        { label: t("col.leadToMql"), kind: "pct", value: (s) => s.leadToMql },
        { label: t("col.mqlToSql"), kind: "pct", value: (s) => s.mqlToSql },
        { label: t("col.sqlToOpp"), kind: "pct", value: (s) => s.sqlToOpportunity },
        { label: t("col.oppToCustomer"), kind: "pct", value: (s) => s.opportunityToCustomer },
        { label: t("col.leadToCustomer"), kind: "pct", value: (s) => s.leadToCustomer },
        { label: t("col.largestDrop"), kind: "text", value: (s) => (s.largestDropOff ? t(`leadStep.${s.largestDropOff}`) : null) },
        { label: t("col.daysMqlSql"), kind: "days", value: (s) => s.medianDaysMqlToSql },
        { label: t("col.responseHours"), kind: "num", value: (s) => s.medianFirstResponseHours },
      ],
      rows: sources,
      rowClass: (s) => (s === o ? "pk-total" : undefined),
    }),
  ]);
}

function leadsNeeded(ctx, r) {
  const { t, fmt, currency } = ctx;
  const n = r.leadsNeeded;
  if (!r.funnel && !n) return section("leadsNeeded", t("section.leadsNeeded"), null, t("hint.noDeals"));
  const inputId = `target-${Math.random().toString(36).slice(2, 8)}`;
  const input = h("input", {
    id: inputId,
    type: "number",
    min: "0",
    step: "any",
    inputmode: "decimal",
    dataset: { control: "target" },
    value: n?.target ?? ctx.state.target ?? "",
    disabled: !ctx.actions?.setTarget,
  });
  const form = h(
    "form",
    {
      class: "pk-calc",
      onsubmit: (e) => {
        e.preventDefault();
        const v = input.value.trim() === "" ? null : Number(input.value);
        if (v === null || (Number.isFinite(v) && v > 0)) ctx.actions.setTarget(v);
      },
    },
    h("label", { for: inputId }, t("target.label", { currency: currency ?? "" })),
    input,
    h("button", { type: "submit", disabled: !ctx.actions?.setTarget }, t("target.apply")),
    n?.targetSource ? h("span", { class: "pk-muted" }, t(`target.source.${n.targetSource}`)) : null,
  );
  const out = n
    ? h(
        "dl",
        { class: "pk-calc-out" },
        [
          ["dealsNeeded", t("target.deals"), fmt.count(n.dealsNeeded), t("target.dealsHow", { avg: fmt.money(n.avgDealSize, currency) })],
          ["opportunitiesNeeded", t("target.opportunities"), fmt.count(n.opportunitiesNeeded), t("target.oppHow", { rate: fmt.pct(n.winRate) })],
          [
            "leadsNeeded",
            t("target.leads"),
            fmt.count(n.leadsNeeded),
            n.leadToOpportunity === null ? t("hint.leadsShort") : t("target.leadsHow", { rate: fmt.pct(n.leadToOpportunity, 2) }),
          ],
        ].map(([key, label, value, how]) =>
          h(
            "div",
            { dataset: { out: key, value: n[key] ?? "" } },
            h("dt", null, label),
            h("dd", null, h("strong", null, value), h("span", { class: "pk-muted" }, ` ${how}`)),
          ),
        ),
      )
    : h("p", { class: "pk-hint" }, t("target.none"));
  return section("leadsNeeded", t("section.leadsNeeded"), [form, out]);
}

// Activities ----------------------------------------------------------------

function activities(ctx, r) {
  const { t, fmt } = ctx;
  const a = r.activities;
  if (!a) return section("activities", t("section.activities"), null, missing(ctx, r, ["activities"], "hint.activities", "activities"));
  const basis = a.shareBasis === "minutes" ? t("act.byMinutes") : t("act.byCount");
  const cats = a.byCategory ?? [];
  const catName = (c) => t(`cat.${c}`, null, c);
  const catFig = chartFigure(ctx, {
    name: "activity-categories",
    title: t("chart.categories", { basis }),
    width: ctx.half,
    table: {
      columns: [
        { label: t("col.category"), kind: "text", value: (c) => catName(c.category) },
        { label: t("col.selling"), kind: "text", value: (c) => (c.selling ? t("common.yes") : t("common.no")) },
        { label: t("col.count"), kind: "count", value: (c) => c.count },
        { label: t("col.minutes"), kind: "count", value: (c) => c.minutes },
        { label: t("col.share"), kind: "pct", value: (c) => c.share },
      ],
      rows: cats,
    },
    draw: (Plot, width) =>
      Plot.plot({
        width,
        height: Math.max(160, 28 * cats.length + 40),
        className: "pk-plot",
        marginLeft: 130,
        x: { grid: true, label: t("col.share"), tickFormat: (v) => fmt.pct(v, 0) },
        y: { domain: cats.map((c) => catName(c.category)), label: null },
        marks: [
          Plot.barX(cats, {
            x: (c) => c.share,
            y: (c) => catName(c.category),
            fill: (c) => (c.selling ? COLORS.main : COLORS.grey),
            title: (c) => `${catName(c.category)}: ${fmt.pct(c.share)}`,
          }),
          Plot.ruleX([0]),
        ],
      }),
  });
  const reps = (a.byRep ?? []).filter((x) => x.sellingTimeShare !== null);
  const repFig = chartFigure(ctx, {
    name: "selling-time-by-rep",
    title: t("chart.sellingByRep"),
    width: ctx.half,
    keys: reps.map((x) => x.name),
    onPick: ctx.actions?.filter ? (name) => ctx.actions.filter("rep", name) : undefined,
    table: {
      columns: [
        { label: t("dim.rep"), kind: "text", value: (x) => x.name },
        { label: t("col.count"), kind: "count", value: (x) => x.count },
        { label: t("col.minutes"), kind: "count", value: (x) => x.minutes },
        { label: t("kpi.sellingTime"), kind: "pct", value: (x) => x.sellingTimeShare },
        { label: t("col.vsBenchmark"), kind: "num2", value: (x) => x.vsBenchmark },
        { label: t("col.revenue"), kind: "money", value: (x) => x.wonRevenue },
      ],
      rows: reps,
    },
    draw: (Plot, width) =>
      Plot.plot({
        width,
        height: Math.max(160, 24 * reps.length + 50),
        className: "pk-plot",
        marginLeft: 120,
        x: { grid: true, domain: [0, Math.max(0.6, ...reps.map((x) => x.sellingTimeShare))], label: t("kpi.sellingTime"), tickFormat: (v) => fmt.pct(v, 0) },
        y: { domain: reps.map((x) => x.name), label: null },
        marks: [
          Plot.barX(reps, {
            x: "sellingTimeShare",
            y: "name",
            fill: (x) => (x.sellingTimeShare >= a.benchmark ? COLORS.ok : COLORS.soft),
            title: (x) => `${x.name}: ${fmt.pct(x.sellingTimeShare)}`,
          }),
          Plot.ruleX([a.benchmark], { stroke: COLORS.hot, strokeWidth: 2, strokeDasharray: "4 3" }),
          Plot.ruleX([0]),
        ],
      }),
  });
  const weeks = a.weeksBeforeClose ?? [];
  const longWeeks = weeks
    .flatMap((w) => [
      { week: w.week, what: t("col.won"), v: w.won },
      { week: w.week, what: t("col.lost"), v: w.lost },
    ])
    .filter((x) => x.v !== null);
  const weekFig = weeks.length
    ? chartFigure(ctx, {
        name: "weeks-before-close",
        title: t("chart.weeksBeforeClose"),
        width: ctx.half,
        table: {
          columns: [
            { label: t("col.weekBefore"), kind: "count", value: (w) => w.week },
            { label: t("col.perWon"), kind: "num2", value: (w) => w.won },
            { label: t("col.perLost"), kind: "num2", value: (w) => w.lost },
          ],
          rows: weeks,
        },
        draw: (Plot, width) =>
          Plot.plot({
            width,
            height: 240,
            className: "pk-plot",
            x: { label: t("col.weekBefore"), reverse: true, ticks: weeks.map((w) => w.week), tickFormat: (v) => String(v) },
            y: { grid: true, label: t("col.perDeal") },
            color: { domain: [t("col.won"), t("col.lost")], range: [COLORS.main, COLORS.hot] },
            marks: [
              Plot.lineY(longWeeks, { x: "week", y: "v", stroke: "what", strokeWidth: 2 }),
              Plot.dot(longWeeks, { x: "week", y: "v", fill: "what", r: 2.5 }),
              Plot.ruleY([0]),
            ],
          }),
      })
    : null;
  const corr = a.correlationWithRevenue ?? [];
  const sinks = a.timeSinks ?? [];
  return section("activities", t("section.activities"), [
    h(
      "p",
      { class: "pk-lead", dataset: { selling: a.sellingTimeShare ?? "" } },
      a.sellingTimeShare === null
        ? t("act.noShare")
        : t("act.sentence", {
            share: fmt.pct(a.sellingTimeShare),
            bench: fmt.pct(a.benchmark, 0),
            diff: t("kpi.pp", { n: fmt.diff("ratio", a.vsBenchmark) }),
            basis,
          }),
    ),
    h("p", { class: "pk-muted" }, t("act.counts", { n: fmt.count(a.count), minutes: fmt.count(a.minutes), perWon: fmt.num(a.activitiesPerWonDeal, 1) })),
    sinks.length ? h("p", { class: "pk-lead pk-hot-text" }, t("act.sinks", { types: sinks.map((s) => `${s.type} (${fmt.pct(s.share)})`).join(", ") })) : null,
    grid(
      h(
        "div",
        null,
        catFig,
        legend([
          [t("act.sellingCats"), COLORS.main],
          [t("act.otherCats"), COLORS.grey],
        ]),
      ),
      h(
        "div",
        null,
        repFig,
        legend([
          [t("act.atBench"), COLORS.ok],
          [t("act.belowBench"), COLORS.soft],
          [t("act.benchmarkLine", { v: fmt.pct(a.benchmark, 0) }), COLORS.hot],
        ]),
      ),
    ),
    grid(
      weekFig
        ? h(
            "div",
            null,
            weekFig,
            legend([
              [t("col.won"), COLORS.main],
              [t("col.lost"), COLORS.hot],
            ]),
          )
        : null,
      h(
        "div",
        null,
        h("h3", null, t("act.correlation")),
        dataTable(ctx, {
          name: "activity-correlation",
          caption: t("act.correlation"),
          columns: [
            { label: t("col.type"), kind: "text", value: (c) => c.type },
            { label: "r", kind: "num2", value: (c) => c.r },
            { label: t("col.reps"), kind: "count", value: (c) => c.reps },
          ],
          rows: corr,
        }),
      ),
    ),
    h("h3", null, t("act.byType")),
    dataTable(ctx, {
      name: "activity-types",
      caption: t("act.byType"),
      columns: [
        { label: t("col.type"), kind: "text", value: (c) => c.type },
        { label: t("col.category"), kind: "text", value: (c) => catName(c.category) },
        { label: t("col.count"), kind: "count", value: (c) => c.count },
        { label: t("col.minutes"), kind: "count", value: (c) => c.minutes },
        { label: t("col.share"), kind: "pct", value: (c) => c.share },
      ],
      rows: a.byType ?? [],
      rowClass: (c) => (sinks.some((s) => s.type === c.type) ? "pk-hot" : undefined),
    }),
    h("h3", null, t("act.byRep")),
    dataTable(ctx, {
      name: "activities-by-rep",
      caption: t("act.byRep"),
      columns: [
        { label: t("dim.rep"), kind: "text", value: (x) => x.name, node: (x) => pick(ctx, "rep", x.name) },
        { label: t("col.count"), kind: "count", value: (x) => x.count },
        { label: t("col.minutes"), kind: "count", value: (x) => x.minutes },
        { label: t("kpi.sellingTime"), kind: "pct", value: (x) => x.sellingTimeShare },
        { label: t("col.revenue"), kind: "money", value: (x) => x.wonRevenue },
      ],
      rows: a.byRep ?? [],
    }),
  ]);
}

// Territories ----------------------------------------------------------------

function territories(ctx, r) {
  const { t, fmt, currency } = ctx;
  const tr = r.territories;
  if (!tr) return section("territories", t("section.territories"), null, missing(ctx, r, ["deals", "reps"], "hint.territories", "territories"));
  const regions = tr.regions ?? [];
  const withLoad = regions.filter((x) => x.pipelinePerRep !== null);
  const fig = chartFigure(ctx, {
    name: "pipeline-per-rep-by-region",
    title: t("chart.territories"),
    width: ctx.half,
    keys: withLoad.map((x) => x.region),
    onPick: ctx.actions?.filter ? (name) => ctx.actions.filter("region", name) : undefined,
    table: {
      columns: [
        { label: t("dim.region"), kind: "text", value: (x) => x.region },
        { label: t("col.pipelinePerRep"), kind: "money", value: (x) => x.pipelinePerRep },
        { label: t("col.load"), kind: "num2", value: (x) => x.loadRatio },
      ],
      rows: withLoad,
    },
    draw: (Plot, width) =>
      Plot.plot({
        width,
        height: Math.max(160, 30 * withLoad.length + 50),
        className: "pk-plot",
        marginLeft: 110,
        x: { grid: true, label: currency ?? null, tickFormat: (v) => fmt.compact(v) },
        y: { domain: withLoad.map((x) => x.region), label: null },
        marks: [
          Plot.barX(withLoad, {
            x: "pipelinePerRep",
            y: "region",
            fill: (x) => (x.load === "overloaded" ? COLORS.hot : x.load === "underloaded" ? COLORS.soft : COLORS.main),
            title: (x) => `${x.region}: ${fmt.money(x.pipelinePerRep, currency)} (${t(`terrLoad.${x.load ?? "balanced"}`)})`,
          }),
          tr.meanPipelinePerRep !== null ? Plot.ruleX([tr.meanPipelinePerRep], { stroke: "currentColor", strokeDasharray: "4 3" }) : null,
          Plot.ruleX([0]),
        ],
      }),
  });
  const moves = tr.rebalance?.suggestions ?? [];
  return section("territories", t("section.territories"), [
    h("p", { class: "pk-lead" }, t("terr.sentence", { cv: fmt.num(tr.imbalance, 2), mean: fmt.money(tr.meanPipelinePerRep, currency) })),
    null,
    grid(
      h(
        "div",
        null,
        fig,
        legend([
          [t("terrLoad.overloaded"), COLORS.hot],
          [t("terrLoad.balanced"), COLORS.main],
          [t("terrLoad.underloaded"), COLORS.soft],
        ]),
      ),
      moves.length
        ? h(
            "ul",
            { class: "pk-moves" },
            moves.map((m) =>
              h(
                "li",
                null,
                m.from && m.to
                  ? t("terr.move", { from: m.from, to: m.to, amount: fmt.money(m.amount, currency), deals: fmt.count(m.deals) })
                  : m.from
                    ? t("terr.shed", { region: m.from, amount: fmt.money(m.amount, currency) })
                    : t("terr.add", { region: m.to, amount: fmt.money(m.amount, currency) }),
              ),
            ),
          )
        : h("p", { class: "pk-muted" }, t("terr.balanced")),
    ),
    dataTable(ctx, {
      name: "territories",
      caption: t("section.territories"),
      columns: [
        { label: t("dim.region"), kind: "text", value: (x) => x.region, node: (x) => pick(ctx, "region", x.region) },
        { label: t("col.reps"), kind: "count", value: (x) => x.reps },
        { label: t("col.revenue"), kind: "money", value: (x) => x.revenue },
        { label: t("col.winRate"), kind: "pct", value: (x) => x.winRate },
        { label: t("col.openPipeline"), kind: "money", value: (x) => x.openPipeline },
        { label: t("col.quota"), kind: "money", value: (x) => x.quota },
        { label: t("col.attainment"), kind: "pct", value: (x) => x.attainment },
        { label: t("col.revenuePerRep"), kind: "money", value: (x) => x.revenuePerRep },
        { label: t("col.pipelinePerRep"), kind: "money", value: (x) => x.pipelinePerRep },
        { label: t("col.load"), kind: "text", value: (x) => (x.load ? t(`terrLoad.${x.load}`) : null) },
      ],
      rows: regions,
      rowClass: (x) => (x.load === "overloaded" ? "pk-hot" : x.load === "underloaded" ? "pk-cool" : undefined),
    }),
  ]);
}

// Leaderboard and breakdowns -------------------------------------------------

function leaderboard(ctx, r) {
  const { t, fmt, currency } = ctx;
  const dim = DIMENSIONS.some(([d]) => d === ctx.state.breakdown) ? ctx.state.breakdown : "rep";
  const key = DIMENSIONS.find(([d]) => d === dim)[1];
  const rows = r[key];
  const selectId = `breakdown-${Math.random().toString(36).slice(2, 8)}`;
  const select = h(
    "select",
    { id: selectId, dataset: { control: "breakdown" }, onchange: (e) => ctx.actions.setState({ breakdown: e.target.value }) },
    DIMENSIONS.map(([d]) => h("option", { value: d, selected: d === dim }, t(`dim.${d}`))),
  );
  const head = h("p", { class: "pk-inline-control" }, h("label", { for: selectId }, t("board.by")), " ", select);
  if (!rows.length)
    return section("leaderboard", t("section.leaderboard"), [
      head,
      h("p", { class: "pk-hint" }, dim === "rep" ? t("hint.noDeals") : t("hint.noDimension", { dim: t(`dim.${dim}`) })),
    ]);
  const top = rows.slice(0, 15);
  const name = (b) => b.name ?? t("common.none");
  const fig = chartFigure(ctx, {
    name: `revenue-by-${dim}`,
    title: t("chart.revenueBy", { dim: t(`dim.${dim}`) }),
    width: ctx.full,
    keys: top.map((b) => b.name),
    onPick: ctx.actions?.filter ? (v) => v !== null && ctx.actions.filter(dim, v) : undefined,
    table: {
      columns: [
        { label: t(`dim.${dim}`), kind: "text", value: name },
        { label: t("col.revenue"), kind: "money", value: (b) => b.revenue },
      ],
      rows: top,
    },
    draw: (Plot, width) =>
      Plot.plot({
        width,
        height: Math.max(140, 26 * top.length + 40),
        className: "pk-plot",
        marginLeft: Math.min(200, 40 + 7 * Math.max(...top.map((b) => name(b).length))),
        marginRight: 70,
        x: { grid: true, label: currency ?? null, tickFormat: (v) => fmt.compact(v) },
        y: { domain: top.map(name), label: null },
        marks: [
          Plot.barX(top, { x: "revenue", y: name, fill: COLORS.main, title: (b) => `${name(b)}: ${fmt.money(b.revenue, currency)}` }),
          Plot.text(top, { x: "revenue", y: name, text: (b) => fmt.money(b.revenue, currency, true), dx: 6, textAnchor: "start", fill: "currentColor" }),
          Plot.ruleX([0]),
        ],
      }),
  });
  return section("leaderboard", t("section.leaderboard"), [
    head,
    fig,
    dataTable(ctx, {
      name: `leaderboard-${dim}`,
      caption: t("chart.revenueBy", { dim: t(`dim.${dim}`) }),
      columns: [
        { label: "#", kind: "count", value: (b) => rows.indexOf(b) + 1 },
        { label: t(`dim.${dim}`), kind: "text", value: (b) => b.name, node: (b) => pick(ctx, dim, b.name) },
        { label: t("col.revenue"), kind: "money", value: (b) => b.revenue },
        { label: t("col.share"), kind: "pct", value: (b) => b.revenueShare },
        { label: t("col.won"), kind: "count", value: (b) => b.dealsWon },
        { label: t("col.lost"), kind: "count", value: (b) => b.dealsLost },
        { label: t("col.winRate"), kind: "pct", value: (b) => b.winRate },
        { label: t("col.avgDeal"), kind: "money", value: (b) => b.avgDealSize },
        { label: t("col.openDeals"), kind: "count", value: (b) => b.dealsOpen },
        { label: t("col.openPipeline"), kind: "money", value: (b) => b.openPipeline },
        { label: t("col.cycle"), kind: "days", value: (b) => b.salesCycleDays?.median ?? null },
      ],
      rows,
    }),
  ]);
}

/** The KPI tiles alone (redrawn when the previous period's figures arrive). */
export function renderKpis(ctx, report, previous) {
  return kpis({ ...ctx, currency: report.query.currency }, report, previous);
}

/**
 * The dashboard's sections for a report (and the previous period's, when
 * there is one), each as its `data-section` name and a function that draws
 * it: the page draws the ones on screen first (see `drawDashboard` in
 * pelacak-dashboard.js).
 */
export function dashboardSections(ctx, report, previous) {
  const c = { ...ctx, currency: report.query.currency };
  return [
    ["kpis", () => kpis(c, report, previous)],
    ["revenue", () => revenue(c, report)],
    ["dealSize", () => dealSize(c, report)],
    ["quota", () => quota(c, report)],
    ["funnel", () => funnel(c, report)],
    ["pipeline", () => pipeline(c, report)],
    ["leads", () => leads(c, report)],
    ["leadsNeeded", () => leadsNeeded(c, report)],
    ["activities", () => activities(c, report)],
    ["territories", () => territories(c, report)],
    ["leaderboard", () => leaderboard(c, report)],
  ].map(([id, draw]) => ({ id, draw }));
}

/** The dashboard's sections for a report, drawn. */
export function renderDashboard(ctx, report, previous) {
  return dashboardSections(ctx, report, previous).map((s) => s.draw());
}
