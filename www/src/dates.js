// Calendar-date arithmetic for choosing ranges (never a figure): ISO dates
// in, ISO dates out, computed in UTC so no time zone shifts a day.

const DAY = 86_400_000;
const ms = (iso) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10));
const iso = (t) => new Date(t).toISOString().slice(0, 10);

/**
 * The range of equal length just before [from, to]: the same number of
 * whole months when the range is whole months (March → February), else the
 * same number of days.
 */
export function previousRange(from, to) {
  const next = new Date(ms(to) + DAY);
  if (from.slice(8, 10) === "01" && next.getUTCDate() === 1) {
    const months = (next.getUTCFullYear() - +from.slice(0, 4)) * 12 + next.getUTCMonth() + 1 - +from.slice(5, 7);
    const start = Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1 - months, 1);
    return [iso(start), iso(ms(from) - DAY)];
  }
  const len = (ms(to) - ms(from)) / DAY + 1;
  const prevTo = ms(from) - DAY;
  return [iso(prevTo - (len - 1) * DAY), iso(prevTo)];
}

export const PRESETS = ["all", "last30", "last90", "last365", "quarter", "year", "custom"];

/**
 * The [from, to] of a preset ending at `asOf`; `quarter` and `year` are the
 * (fiscal) quarter and year containing `asOf`, up to `asOf`.
 */
export function presetRange(preset, asOf, fiscalStart = 1) {
  if (!asOf) return [null, null];
  const t = ms(asOf);
  const y = +asOf.slice(0, 4);
  const m = +asOf.slice(5, 7);
  switch (preset) {
    case "last30":
      return [iso(t - 29 * DAY), asOf];
    case "last90":
      return [iso(t - 89 * DAY), asOf];
    case "last365":
      return [iso(t - 364 * DAY), asOf];
    case "quarter": {
      // Months since the fiscal year began, rounded down to a quarter.
      const since = (m - fiscalStart + 12) % 12;
      const startMonth = m - (since % 3);
      return [iso(Date.UTC(y, startMonth - 1, 1)), asOf];
    }
    case "year": {
      const since = (m - fiscalStart + 12) % 12;
      return [iso(Date.UTC(y, m - 1 - since, 1)), asOf];
    }
    default:
      return [null, null];
  }
}
