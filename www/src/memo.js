// The reports the worker already worked out for the files as they are, by
// query. Going back to something shown before (a filter chosen and then
// cleared, the "All data" preset after a quarter, a toggle between two
// reps) gives the same report, byte for byte, so it is looked up rather
// than computed again: at a million deals the whole range's report took
// ~0.1 s each time. The worker empties the memo whenever a file, a kind or
// a mapping changes.
//
// Bounded twice: by count, and by weight (what a report holds grows with
// the data, mostly the stalled deals' list: ~7,000 rows at a million
// deals), so a tab near its memory limit with a huge file keeps little or
// nothing here. The least recently used report goes first.

export class ReportMemo {
  /**
   * @param {object} [limits]
   * @param {number} [limits.count] reports kept at most
   * @param {number} [limits.budget] total weight kept at most
   * @param {(report: any) => number} [limits.weigh] a report's weight
   */
  constructor({ count = 6, budget = Infinity, weigh = () => 1 } = {}) {
    this.count = count;
    this.budget = budget;
    this.weigh = weigh;
    this.held = new Map();
    this.weight = 0;
  }

  /** The report for `query`: the one kept, else `compute(query)`'s, kept if it fits. */
  get(query, compute) {
    const key = JSON.stringify(query);
    const hit = this.held.get(key);
    if (hit) {
      // Moved to the end: the most recently used.
      this.held.delete(key);
      this.held.set(key, hit);
      return hit.report;
    }
    const report = compute(query);
    const weight = this.weigh(report);
    if (weight > this.budget || this.count < 1) return report;
    this.held.set(key, { report, weight });
    this.weight += weight;
    for (const [k, e] of this.held) {
      if (this.held.size <= this.count && this.weight <= this.budget) break;
      this.held.delete(k);
      this.weight -= e.weight;
    }
    return report;
  }

  /** The report kept for `query`, if any, without computing one (nor counting it as used). */
  peek(query) {
    return this.held.get(JSON.stringify(query))?.report;
  }

  /** Forgets every report (the files or how they are read changed). */
  clear() {
    this.held.clear();
    this.weight = 0;
  }

  /** How many reports are kept. */
  get size() {
    return this.held.size;
  }
}
