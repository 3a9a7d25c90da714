#!/usr/bin/env python3
"""Regenerate the activities / territories fixtures in tests/data/activity/.

Run from anywhere: `python3 tests/data/activity/make.py`. `--list` also prints the size and
SHA-256 of every file; `--check` recomputes the headline figures of EXPECTED.md with a plain,
independent Python reading of SPEC.md §4 (the "second way" of checking the hand arithmetic).
Only the standard library is used; the output is deterministic and byte-identical on every
run: UTF-8 without BOM, `,` delimiter, LF line ends.

The expected figures are worked out by hand in EXPECTED.md next to this script; change a row
here and EXPECTED.md must be re-worked by hand.

Fixtures:
  small/   deals (4 owners, 3 regions, Dodi's region only from the roster) + roster (with Eka,
           who has no deal and no activity) + quotas (rep-level, plus a region-level quota for
           Jakarta) + 40 activities in English and Indonesian, one without a duration, one rep
           (Fajar) in neither the roster nor the deals. asOf 2024-03-31, from 2024-01-03.
  nodur/   the same 40 activities without the duration_minutes column (share basis = count);
           loaded together with small/deals.csv, small/reps.csv and small/quotas.csv.
"""

import csv
import hashlib
import io
import math
import os
import sys
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))


def write_csv(rel, header, rows):
    """Write a CSV with `,`, LF line ends, minimal quoting, UTF-8 without BOM."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        assert len(r) == len(header), (rel, r)
        w.writerow(r)
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(buf.getvalue().encode("utf-8"))
    return rel


# --------------------------------------------------------------------------------------------
# Deals. Dodi's deals have no region: Medan comes from his roster entry.
# --------------------------------------------------------------------------------------------
DEALS = [
    # deal_id, owner, region, stage, amount, created_date, close_date
    ("D01", "Ana", "Jakarta", "Closed Won", 10000, "2024-01-05", "2024-03-01"),
    ("D02", "Ana", "Jakarta", "Closed Won", 6000, "2024-01-10", "2024-03-20"),
    ("D03", "Ana", "Jakarta", "Closed Lost", 4000, "2024-01-15", "2024-03-10"),
    ("D04", "Ana", "Jakarta", "Negotiation", 20000, "2024-02-01", "2024-04-30"),
    ("D05", "Budi", "Jakarta", "Closed Won", 8000, "2024-01-08", "2024-02-15"),
    ("D06", "Budi", "Jakarta", "Proposal", 16000, "2024-02-10", "2024-05-15"),
    ("D07", "Budi", "Jakarta", "Qualification", 12000, "2024-03-01", "2024-05-30"),
    ("D08", "Citra", "Surabaya", "Closed Won", 5000, "2024-01-12", "2024-02-20"),
    ("D09", "Citra", "Surabaya", "Closed Lost", 3000, "2024-01-20", "2024-03-05"),
    ("D10", "Citra", "Surabaya", "Proposal", 8000, "2024-02-15", "2024-05-01"),
    ("D11", "Dodi", "", "Closed Won", 2000, "2024-01-03", "2024-03-25"),
    ("D12", "Dodi", "", "Closed Lost", 1000, "2024-02-01", "2024-03-15"),
    ("D13", "Dodi", "", "Prospecting", 12000, "2024-03-01", "2024-06-01"),
]

REPS = [
    # rep, team, region
    ("Ana", "Enterprise", "Jakarta"),
    ("Budi", "Mid-Market", "Jakarta"),
    ("Citra", "Enterprise", "Surabaya"),
    ("Dodi", "Mid-Market", "Medan"),
    ("Eka", "Mid-Market", "Surabaya"),
]

QUOTAS = [
    # rep, region, period, amount — the last row is a region-level quota (no rep)
    ("Ana", "", "2024-Q1", 20000),
    ("Budi", "", "2024-Q1", 10000),
    ("Citra", "", "2024-Q1", 8000),
    ("Dodi", "", "2024-Q1", 5000),
    ("Eka", "", "2024-Q1", 4000),
    ("", "Jakarta", "2024-Q1", 40000),
]

# --------------------------------------------------------------------------------------------
# Activities, numbered #1..#40 as in EXPECTED.md. Duration None = blank cell.
# --------------------------------------------------------------------------------------------
ACTIVITIES = [
    # rep, type, date, duration_minutes, deal_id
    ("Ana", "Call", "2024-03-01", 30, "D01"),               # 1  D01 won, 0 d  -> wk 0
    ("Ana", "Call", "2024-02-23", 30, "D01"),               # 2  D01 won, 7 d  -> wk 1
    ("Ana", "Call", "2024-03-14", 30, "D02"),               # 3  D02 won, 6 d  -> wk 0
    ("Ana", "Call", "2024-03-25", 30, "D04"),               # 4  D04 open: not linked
    ("Ana", "Email", "2024-03-13", 10, "D02"),              # 5  D02 won, 7 d  -> wk 1
    ("Ana", "Email", "2024-03-03", 10, "D03"),              # 6  D03 lost, 7 d -> wk 1
    ("Ana", "Meeting", "2024-03-20", 60, "D02"),            # 7  D02 won, 0 d  -> wk 0
    ("Ana", "Meeting", "2024-03-10", 60, "D03"),            # 8  D03 lost, 0 d -> wk 0
    ("Ana", "Internal Meeting", "2024-01-15", 60, ""),      # 9
    ("Ana", "CRM Update", "2024-02-05", 60, ""),            # 10
    ("Ana", "Riset akun", "2024-02-20", 60, "D01"),         # 11 D01 won, 10 d -> wk 1
    ("Budi", "Call", "2024-02-15", 30, "D05"),              # 12 D05 won, 0 d  -> wk 0
    ("Budi", "CALL", "2024-02-01", 30, "D05"),              # 13 D05 won, 14 d -> wk 2
    ("Budi", "Call", "2024-03-12", 30, "D06"),              # 14 D06 open
    ("Budi", "Email", "2024-02-16", 10, "D05"),             # 15 D05 won, -1 d -> no week
    ("Budi", "Meeting", "2024-02-08", 60, "D05"),           # 16 D05 won, 7 d  -> wk 1
    ("Budi", "Internal Meeting", "2024-01-22", 60, ""),     # 17
    ("Budi", "CRM Update", "2024-02-26", 60, ""),           # 18
    ("Budi", "Golf", "2024-03-02", 120, "D07"),             # 19 D07 open
    ("Citra", "Call", "2024-02-14", 30, "D08"),             # 20 D08 won, 6 d  -> wk 0
    ("Citra", "Call", "2024-02-27", 30, "D09"),             # 21 D09 lost, 7 d -> wk 1
    ("Citra", "Email", "2024-02-19", None, "D08"),          # 22 D08 won, 1 d  -> wk 0
    ("Citra", "Kunjungan", "2024-02-06", 90, "D08"),        # 23 D08 won, 14 d -> wk 2
    ("Citra", "Internal Meeting", "2024-01-29", 60, ""),    # 24
    ("Citra", "CRM Update", "2024-03-04", 60, ""),          # 25
    ("Citra", "Perjalanan", "2024-02-06", 120, "D08"),      # 26 D08 won, 14 d -> wk 2
    ("Dodi", "Call", "2024-03-18", 30, "D11"),              # 27 D11 won, 7 d  -> wk 1
    ("Dodi", "Telepon", "2024-03-25", 20, "D11"),           # 28 D11 won, 0 d  -> wk 0
    ("Dodi", "Telepon", "2024-03-09", 20, "D12"),           # 29 D12 lost, 6 d -> wk 0
    ("Dodi", "Kunjungan", "2024-03-11", 90, "D11"),         # 30 D11 won, 14 d -> wk 2
    ("Dodi", "Internal Meeting", "2024-02-12", 60, ""),     # 31
    ("Dodi", "CRM Update", "2024-03-29", 60, ""),           # 32
    ("Dodi", "Perjalanan", "2024-03-11", 120, ""),          # 33
    ("Fajar", "Call", "2024-03-05", 30, "D99"),             # 34 no such deal
    ("Fajar", "call", "2024-03-06", 30, ""),                # 35
    ("Fajar", "Email", "2024-02-13", 10, "D08"),            # 36 D08 won, 7 d  -> wk 1
    ("Fajar", "Internal Meeting", "2024-03-08", 60, ""),    # 37
    ("Fajar", "CRM Update", "2024-03-22", 60, ""),          # 38
    ("Fajar", "CRM Update", "2024-03-28", 60, ""),          # 39
    ("Fajar", "Pelatihan", "2024-03-31", 120, ""),          # 40 latest event: asOf
]

SELLING_DEFAULT = {"client_digital", "client_in_person"}
# Category of each type as EXPECTED.md §2 reads SPEC §4 and the src/metrics/activities.rs docs.
CATEGORY = {
    "call": "client_digital", "email": "client_digital", "telepon": "client_digital",
    "meeting": "client_in_person", "kunjungan": "client_in_person",
    "internal meeting": "internal_meeting", "crm update": "admin", "perjalanan": "travel",
    "pelatihan": "training", "riset akun": "prep", "golf": "other",
}


def build():
    out = []
    out.append(write_csv(
        "small/deals.csv",
        ["deal_id", "owner", "region", "stage", "amount", "created_date", "close_date"],
        [list(map(str, d)) for d in DEALS]))
    out.append(write_csv("small/reps.csv", ["rep", "team", "region"], [list(r) for r in REPS]))
    out.append(write_csv("small/quotas.csv", ["rep", "region", "period", "amount"],
                         [list(map(str, q)) for q in QUOTAS]))
    out.append(write_csv(
        "small/activities.csv", ["rep", "type", "date", "duration_minutes", "deal_id"],
        [[r, t, d, "" if m is None else str(m), i] for r, t, d, m, i in ACTIVITIES]))
    out.append(write_csv(
        "nodur/activities.csv", ["rep", "type", "date", "deal_id"],
        [[r, t, d, i] for r, t, d, m, i in ACTIVITIES]))
    return out


# --------------------------------------------------------------------------------------------
# --check: an independent recomputation (no code shared with the engine).
# --------------------------------------------------------------------------------------------
def pearson(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if n < 3 or sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def check(cats=None, selling=SELLING_DEFAULT, durations=True):
    cat = dict(CATEGORY)
    cat.update(cats or {})
    d = lambda s: date.fromisoformat(s)
    as_of = max([d(a[2]) for a in ACTIVITIES] + [d(x[6]) for x in DEALS if x[3].startswith("Closed")]
                + [d(x[5]) for x in DEALS])
    reps = sorted({x[1] for x in DEALS} | {r[0] for r in REPS} | {a[0] for a in ACTIVITIES})
    revenue = {r: sum(x[4] for x in DEALS if x[1] == r and x[3] == "Closed Won") for r in reps}
    w = lambda a: (a[3] or 0) if durations else 1
    total = sum(w(a) for a in ACTIVITIES)
    sell = sum(w(a) for a in ACTIVITIES if cat[a[1].lower()] in selling)
    print(f"asOf {as_of}; basis {'minutes' if durations else 'count'}; total {total}; "
          f"selling {sell} -> {sell / total:.6f}")
    types = sorted({a[1].lower() for a in ACTIVITIES})
    for t in types:
        share = sum(w(a) for a in ACTIVITIES if a[1].lower() == t) / total
        xs = [sum(1 for a in ACTIVITIES if a[0] == r and a[1].lower() == t) for r in reps]
        r = pearson(xs, [revenue[p] for p in reps])
        sink = share >= 0.10 and (r is None or r < 0.2)
        print(f"  {t:17} {cat[t]:17} share {share:.4f} r {r if r is None else round(r, 6)}"
              f"{'  SINK' if sink else ''}")
    for c in sorted(set(cat.values())):
        s = sum(w(a) for a in ACTIVITIES if cat[a[1].lower()] == c)
        print(f"  category {c:17} {s} -> {s / total:.4f}")
    for p in reps:
        mine = [a for a in ACTIVITIES if a[0] == p]
        t = sum(w(a) for a in mine)
        s = sum(w(a) for a in mine if cat[a[1].lower()] in selling)
        print(f"  rep {p:6} count {len(mine):2} total {t:4} selling {s:4} "
              f"share {None if t == 0 else round(s / t, 6)} revenue {revenue[p]}")
    closed = {x[0]: (x[3], d(x[6])) for x in DEALS if x[3].startswith("Closed")}
    won = [k for k, v in closed.items() if v[0] == "Closed Won"]
    lost = [k for k, v in closed.items() if v[0] == "Closed Lost"]
    weeks = {}
    linked_won = 0
    for a in ACTIVITIES:
        if a[4] not in closed:
            continue
        status, close = closed[a[4]]
        linked_won += status == "Closed Won"
        days = (close - d(a[2])).days
        if 0 <= days <= 90:
            weeks.setdefault(days // 7, [0, 0])[status == "Closed Lost"] += 1
    print(f"  linked to won {linked_won} / {len(won)} won = {linked_won / len(won)}")
    for k in sorted(weeks):
        print(f"  week {k}: won {weeks[k][0]}/{len(won)} lost {weeks[k][1]}/{len(lost)}")
    # Territories.
    roster = {r[0]: r[2] for r in REPS}
    regions = {}
    for x in DEALS:
        reg = x[2] or roster.get(x[1])
        g = regions.setdefault(reg, {"reps": set(), "rev": 0, "won": 0, "lost": 0, "open": 0,
                                     "pipe": 0})
        g["reps"].add(x[1])
        if x[3] == "Closed Won":
            g["rev"] += x[4]
            g["won"] += 1
        elif x[3] == "Closed Lost":
            g["lost"] += 1
        else:
            g["open"] += 1
            g["pipe"] += x[4]
    for rep, _, reg in REPS:
        regions[reg]["reps"].add(rep)
    ppr = {k: g["pipe"] / len(g["reps"]) for k, g in regions.items()}
    m = sum(ppr.values()) / len(ppr)
    sd = math.sqrt(sum((v - m) ** 2 for v in ppr.values()) / len(ppr))
    for k, g in sorted(regions.items()):
        print(f"  region {k:8} reps {sorted(g['reps'])} rev {g['rev']} "
              f"winRate {g['won'] / (g['won'] + g['lost'])} open {g['open']} pipe {g['pipe']} "
              f"perRep {ppr[k]:.4f} ratio {ppr[k] / m:.6f}")
    print(f"  mean {m:.6f} imbalance {sd / m:.9f}")


def main():
    files = build()
    if "--list" in sys.argv:
        for rel in files:
            data = open(os.path.join(HERE, rel), "rb").read()
            print(f"{len(data):6} {hashlib.sha256(data).hexdigest()} {rel}")
    if "--check" in sys.argv:
        check()
        check(durations=False)
        check(cats={"golf": "client_in_person"})
        check(selling={"client_in_person"})


if __name__ == "__main__":
    main()
