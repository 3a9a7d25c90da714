// A made-up workbook of a few rows per table, read and reported on once
// when the engine starts (the page starts it when idle, before any file).
//
// Why: the browser compiles a WebAssembly function only when it is first
// called, and runs it on quick baseline code until it has run enough. The
// first report on the user's files used to pay for compiling every reading
// and metric function on the way: the sample's first report took 75–100 ms
// in Node on a fresh module, 24–58 ms after this warm-up (which took
// 24–31 ms). The rows are invented and never shown; the workbook is freed.

const TABLES = [
  [
    "deals.csv",
    "deal_id,owner,account,product,region,source,stage,amount,currency,probability,created_date,close_date,lead_id,lost_reason\n" +
      "D1,Ana,Acme,P1,North,Web,Closed Won,100.00,USD,100,2024-01-02,2024-02-01,L1,\n" +
      "D2,Budi,Beta,P2,South,Referral,Closed Lost,50.00,USD,0,2024-01-05,2024-02-10,,Price\n" +
      "D3,Ana,Acme,P1,North,Web,Proposal,70.00,USD,60,2024-02-01,2024-04-01,,\n",
  ],
  ["stage_history.csv", "deal_id,stage,entered_date\nD1,Prospecting,2024-01-02\nD1,Proposal,2024-01-10\nD3,Proposal,2024-02-05\n"],
  [
    "activities.csv",
    "activity_id,rep,type,date,duration_minutes,deal_id,account,outcome\n" +
      "A1,Ana,Call,2024-01-03,10,D1,Acme,Held\nA2,Budi,Email,2024-01-06,2,D2,Beta,Sent\n",
  ],
  [
    "leads.csv",
    "lead_id,created_date,source,owner,status,mql_date,sql_date,first_response_at\n" +
      "L1,2024-01-01,Web,Ana,customer,2024-01-01,2024-01-02,2024-01-01 10:00\n",
  ],
  ["quotas.csv", "rep,period,quota\nAna,2024-Q1,1000\n"],
  ["reps.csv", "rep,team,manager,region,start_date\nAna,T1,Maya,North,2020-01-01\n"],
  ["products.csv", "product,list_price\nP1,100\n"],
];

/**
 * Reads the made-up tables into a new `Workbook` and reports on them twice,
 * as the page does; returns the first report (the page draws it off screen
 * to warm its own drawing code), or null when the warm-up failed.
 */
export function warmUp(Workbook) {
  let w = null;
  try {
    w = new Workbook();
    const enc = new TextEncoder();
    for (const [name, text] of TABLES) {
      // Streamed, as the page streams every file.
      const h = w.beginFile(name);
      w.push(h, enc.encode(text));
      w.finishFile(h);
    }
    const report = w.report({});
    w.report({ from: "2024-01-01", to: "2024-01-31", filters: { rep: ["Ana"] } });
    return report;
  } catch {
    // Only a warm-up: a failure here changes nothing for the user's files.
    return null;
  } finally {
    w?.free();
  }
}

/**
 * Made-up tables of `n` deals (with their stage history, two activities
 * each and a lead for every other one), the same every time: a small
 * linear congruential sequence picks each value. Only for warming up.
 */
export function madeUpTables(n) {
  let seed = 12345;
  const next = (k) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % k;
  };
  const pick = (xs) => xs[next(xs.length)];
  const REPS = ["Ana", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hadi"];
  const STAGES = ["Prospecting", "Qualification", "Proposal", "Negotiation"];
  const day = (d) => new Date(Date.UTC(2023, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
  const deals = ["deal_id,owner,account,product,region,source,stage,amount,currency,probability,created_date,close_date,lead_id,lost_reason"];
  const history = ["deal_id,stage,entered_date"];
  const activities = ["activity_id,rep,type,date,duration_minutes,deal_id,account,outcome"];
  const leads = ["lead_id,created_date,source,owner,status,mql_date,sql_date,first_response_at"];
  for (let i = 1; i <= n; i++) {
    const rep = pick(REPS);
    const created = next(600);
    const close = created + 5 + next(120);
    const reached = next(STAGES.length);
    const end = next(3);
    const stage = end === 0 ? "Closed Won" : end === 1 ? "Closed Lost" : STAGES[reached];
    const account = `Account ${next(400)}`;
    const source = pick(["Web", "Referral", "Outbound", "Event"]);
    const lead = i % 2 ? `L${i}` : "";
    deals.push(
      [`D${i}`, rep, account, pick(["P1", "P2", "P3"]), pick(["North", "South", "East"]), source, stage, `${100 + next(90_000)}.${next(100)}`, "USD",
        end === 0 ? 100 : end === 1 ? 0 : 10 + 20 * reached, day(created), day(close), lead, end === 1 ? pick(["Price", "Timing", "Competitor"]) : ""].join(","),
    );
    for (let s = 0; s <= reached; s++) history.push(`D${i},${STAGES[s]},${day(created + s * 7)}`);
    for (let a = 0; a < 2; a++) {
      activities.push(`A${i}-${a},${rep},${pick(["Call", "Email", "Meeting", "Demo"])},${day(created + next(40))},${next(90)},D${i},${account},${pick(["Held", "Sent", "No answer"])}`);
    }
    if (lead) {
      const mql = created - next(20);
      leads.push(`${lead},${day(mql - 3)},${source},${rep},${pick(["mql", "sql", "customer", "new"])},${day(mql)},${next(2) ? day(mql + next(9)) : ""},${day(mql - 3)} 1${next(10)}:${10 + next(50)}`);
    }
  }
  const csv = (rows) => `${rows.join("\n")}\n`;
  return [
    ["deals.csv", csv(deals)],
    ["stage_history.csv", csv(history)],
    ["activities.csv", csv(activities)],
    ["leads.csv", csv(leads)],
    // The quotas, roster and products of the few rows above, by name.
    ...TABLES.filter(([name]) => ["quotas.csv", "reps.csv", "products.csv"].includes(name)),
  ];
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Times the made-up deals are read as a large file is. Once was not
 * enough: the browser's optimising compiler takes a function over only
 * after it has run a while (V8's tiering budget, roughly 1.8 MB of its code
 * executed), and a trace of the bench's 1M-deal run after one pass showed
 * ~45 functions still compiled during the run (80 ms of compile jobs on a
 * machine with both cores busy, the functions on baseline code until
 * then). After four: 35 ms, and the 1M file in 0.86–0.93 s against
 * 0.94–1.01 s (medians of five, three alternations; twenty-first session
 * in docs/performance.md).
 */
const LARGE_FILE_ROUNDS = 4;

/**
 * A longer warm-up, in steps, for when the engine has nothing else to do:
 * made-up tables of 2,000 deals read and reported on four times, then,
 * given the module's `Tokeniser`, the deals [`LARGE_FILE_ROUNDS`] times
 * more as a large file is read (tokenised into windows, typed window by
 * window, reported on), so that the
 * browser's optimising compiler has taken over the reading and report code
 * before the user's first large file. A fresh engine ran its first file
 * partly on baseline code: in the bench's browser runs, a million deals
 * took 1.23 s after the few rows of `warmUp`, 1.02–1.11 s after the first
 * part of this and 1.01–1.05 s after all of it (it takes ~0.25 s). Stops
 * at the first step that finds `isBusy()` true; resolves to whether it ran
 * to the end.
 */
export async function warmUpMore(Workbook, isBusy = () => false, Tokeniser = null) {
  let w = null;
  let tk = null;
  try {
    await pause();
    if (isBusy()) return false;
    const tables = madeUpTables(2000);
    const enc = new TextEncoder();
    w = new Workbook();
    for (const [name, text] of tables) {
      await pause();
      if (isBusy()) return false;
      const h = w.beginFile(name);
      w.push(h, enc.encode(text));
      w.finishFile(h);
    }
    for (const q of [{}, { filters: { rep: ["Ana"] } }, { from: "2024-01-01", to: "2024-06-30" }, {}]) {
      await pause();
      if (isBusy()) return false;
      w.report(q);
    }
    if (Tokeniser) {
      // The deals again, as a large file comes: tokenised into windows (by
      // the helper, for a real one) and typed window by window.
      const WINDOW = 32 << 10;
      const bytes = enc.encode(tables[0][1]);
      for (let round = 0; round < LARGE_FILE_ROUNDS; round++) {
        w.free();
        w = new Workbook();
        w.setWindowBytes(WINDOW);
        tk = new Tokeniser(WINDOW);
        const h = w.beginFile("deals.csv");
        for (let at = 0; at < bytes.length; at += WINDOW) {
          await pause();
          if (isBusy()) return false;
          for (const win of tk.push(bytes.subarray(at, at + WINDOW))) w.pushWindow(h, win);
        }
        for (const win of tk.finish()) w.pushWindow(h, win);
        tk.free();
        tk = null;
        w.finishFile(h);
        await pause();
        if (isBusy()) return false;
        w.report({});
      }
    }
    return true;
  } catch {
    return false;
  } finally {
    w?.free();
    tk?.free();
  }
}
