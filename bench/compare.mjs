// Cross-checks the figures of the engines: every engine returns
//   { revenue, dealsWon, dealsLost, avgDealSize, medianDealSize, winRate,
//     series: { period: revenue }, byRep: { name: revenue } }
// and each is compared with the reference (Pelacak): counts exactly, money to 1e-6
// relative, the win rate to 1e-9. A period or rep missing on one side counts as 0 there
// (Pelacak's series is zero-filled over the whole range; SQL and JS only list months with a
// win), and a missing owner is keyed "null" everywhere.

const MONEY = 1e-6;
const RATE = 1e-9;

function close(a, b, rel) {
  if (a === null || a === undefined || b === null || b === undefined) return a === b || (a ?? null) === (b ?? null);
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1);
}

const FIELDS = [
  ["revenue", MONEY],
  ["dealsWon", 0],
  ["dealsLost", 0],
  ["avgDealSize", MONEY],
  ["medianDealSize", MONEY],
  ["winRate", RATE],
];

function normKeys(map) {
  const out = new Map();
  for (const [k, v] of Object.entries(map ?? {})) {
    const key = k === "" || k === "undefined" ? "null" : k;
    out.set(key, (out.get(key) ?? 0) + (v ?? 0));
  }
  return out;
}

/** The differences between `got` and `ref`, as readable strings (empty when they agree). */
export function differences(ref, got) {
  const out = [];
  for (const [field, rel] of FIELDS) {
    const ok = rel === 0 ? ref[field] === got[field] : close(ref[field], got[field], rel);
    if (!ok) out.push(`${field} ${fmt(got[field])} ≠ ${fmt(ref[field])}`);
  }
  for (const part of ["series", "byRep"]) {
    const a = normKeys(ref[part]);
    const b = normKeys(got[part]);
    const bad = [];
    for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
      if (!close(a.get(key) ?? 0, b.get(key) ?? 0, MONEY)) bad.push(`${key}: ${fmt(b.get(key) ?? 0)} ≠ ${fmt(a.get(key) ?? 0)}`);
    }
    if (bad.length) out.push(`${part} differs in ${bad.length} of ${new Set([...a.keys(), ...b.keys()]).size} keys (${bad.slice(0, 4).join("; ")}${bad.length > 4 ? "; …" : ""})`);
  }
  return out;
}

/** One line with the figures, for the record. */
export function describe(f) {
  const months = Object.keys(f.series ?? {}).length;
  const reps = Object.keys(f.byRep ?? {}).length;
  return (
    `revenue ${fmt(f.revenue)}, won ${f.dealsWon}, lost ${f.dealsLost}, avg ${fmt(f.avgDealSize)}, ` +
    `median ${fmt(f.medianDealSize)}, win rate ${f.winRate === null ? "null" : f.winRate.toFixed(6)}, ` +
    `${months} months, ${reps} reps`
  );
}

function fmt(v) {
  if (v === null || v === undefined) return String(v);
  if (typeof v !== "number") return String(v);
  return Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/0+$/, "").replace(/\.$/, "");
}
