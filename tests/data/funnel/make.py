#!/usr/bin/env python3
"""Regenerate the pipeline / funnel / leads fixtures in tests/data/funnel/.

Run from anywhere: `python3 tests/data/funnel/make.py` (`--list` also prints size and SHA-256
of every file). Only the standard library is used; the output is deterministic and
byte-identical on every run: UTF-8 without BOM, `,` delimiter, LF line ends.

The expected figures are worked out by hand in EXPECTED.md next to this script; change a row
here and EXPECTED.md must be re-worked by hand.

Fixtures:
  small/      deals + long stage history + activities + quarterly quotas (asOf 2024-06-20)
  wide/       the same deals, HubSpot-style `Date entered "<stage> (Sales Pipeline)"` columns
              holding the FIRST entry date per stage, no probability, no other tables
  leads/      leads + deals linked by lead_id + monthly quotas (asOf 2024-04-30)
  nohistory/  deals with stages but no history at all (asOf 2024-03-25)
"""

import csv
import hashlib
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STAGES = ["Prospecting", "Qualification", "Proposal", "Negotiation"]


def write_csv(rel, header, rows):
    """Write a CSV with `,`, LF line ends, minimal quoting (csv module), UTF-8 without BOM."""
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
# 1. small/ — the deals and their full stage history.
#    D01 won, every stage            D02 won, skips Qualification, NO terminal history row
#    D03 lost at Negotiation after a backward move Proposal -> Qualification -> Proposal
#    D04, D08 lost in Prospecting    D05 lost at Qualification      D06 won
#    D07 lost at Proposal after skipping Qualification (so the skip is tested on a LOST deal)
#    D09 open, Proposal, probability 40 (%), last activity 29 days before asOf (not idle)
#    D10 open, Qualification, last activity exactly 30 days before asOf (idle-stalled)
#    D11 open, Negotiation, 40 days in stage > p90 27 (stalled by time in stage), no activity
#    D12 open, Proposal, NO history, age 60 days > p90 sales cycle 57.2 (stalled by age)
# --------------------------------------------------------------------------------------------
DEALS = [
    # id, owner, stage, amount, probability, created, close (expected close when open)
    ("D01", "Ana", "Closed Won", "10000", "", "2024-02-01", "2024-03-31"),
    ("D02", "Budi", "Closed Won", "8000", "", "2024-03-04", "2024-04-23"),
    ("D03", "Budi", "Closed Lost", "6000", "", "2024-01-10", "2024-03-07"),
    ("D04", "Ana", "Closed Lost", "2000", "", "2024-01-22", "2024-02-12"),
    ("D05", "Budi", "Closed Lost", "3000", "", "2024-02-05", "2024-03-08"),
    ("D06", "Ana", "Closed Won", "15000", "", "2024-05-02", "2024-06-20"),
    ("D07", "Ana", "Closed Lost", "9000", "", "2024-03-18", "2024-05-14"),
    ("D08", "Budi", "Closed Lost", "2500", "", "2024-04-08", "2024-05-08"),
    ("D09", "Ana", "Proposal", "5000", "40", "2024-05-06", "2024-06-28"),
    ("D10", "Budi", "Qualification", "4000", "", "2024-05-13", "2024-07-15"),
    ("D11", "Ana", "Negotiation", "12000", "", "2024-03-11", "2024-06-25"),
    ("D12", "Budi", "Proposal", "7000", "", "2024-04-21", "2024-09-30"),
]

HISTORY = {
    "D01": [("Prospecting", "2024-02-01"), ("Qualification", "2024-02-11"),
            ("Proposal", "2024-02-25"), ("Negotiation", "2024-03-16"), ("Closed Won", "2024-03-31")],
    "D02": [("Prospecting", "2024-03-04"), ("Proposal", "2024-03-12"),
            ("Negotiation", "2024-03-24")],
    "D03": [("Prospecting", "2024-01-10"), ("Qualification", "2024-01-15"),
            ("Proposal", "2024-01-25"), ("Qualification", "2024-02-01"),
            ("Proposal", "2024-02-07"), ("Negotiation", "2024-02-16"), ("Closed Lost", "2024-03-07")],
    "D04": [("Prospecting", "2024-01-22"), ("Closed Lost", "2024-02-12")],
    "D05": [("Prospecting", "2024-02-05"), ("Qualification", "2024-02-12"),
            ("Closed Lost", "2024-03-08")],
    "D06": [("Prospecting", "2024-05-02"), ("Qualification", "2024-05-14"),
            ("Proposal", "2024-05-23"), ("Negotiation", "2024-06-10"), ("Closed Won", "2024-06-20")],
    "D07": [("Prospecting", "2024-03-18"), ("Proposal", "2024-04-04"),
            ("Closed Lost", "2024-05-14")],
    "D08": [("Prospecting", "2024-04-08"), ("Closed Lost", "2024-05-08")],
    "D09": [("Prospecting", "2024-05-06"), ("Qualification", "2024-05-20"),
            ("Proposal", "2024-06-10")],
    "D10": [("Prospecting", "2024-05-13"), ("Qualification", "2024-06-15")],
    "D11": [("Prospecting", "2024-03-11"), ("Qualification", "2024-03-25"),
            ("Proposal", "2024-04-08"), ("Negotiation", "2024-05-11")],
    # D12: no history at all
}

ACTIVITIES = [
    ("Budi", "email", "2024-01-12", "10", "D03"),
    ("Ana", "call", "2024-02-05", "30", "D01"),
    ("Ana", "meeting", "2024-03-20", "60", "D01"),
    ("Budi", "call", "2024-04-10", "20", "D02"),
    ("Ana", "call", "2024-05-10", "15", "D09"),
    ("Budi", "call", "2024-05-21", "25", "D10"),
    ("Ana", "demo", "2024-05-22", "45", "D09"),
    ("Budi", "admin", "2024-06-03", "30", ""),
    ("Ana", "meeting", "2024-06-18", "60", "D06"),
]

QUOTAS_SMALL = [
    ("Ana", "2024-Q1", "25000"),
    ("Budi", "2024-Q1", "20000"),
    ("Ana", "2024-Q2", "30000"),
    ("Budi", "2024-Q2", "20000"),
    ("Ana", "2024-Q3", "30000"),
    ("Budi", "2024-Q3", "25000"),
]


def small():
    out = []
    out.append(write_csv(
        "small/deals.csv",
        ["deal_id", "owner", "stage", "amount", "probability", "created_date", "close_date",
         "lead_id"],
        [list(d) + [""] for d in DEALS]))
    # History as a CRM audit log: all deals interleaved, in date order (ties by deal id), so
    # the engine must group by deal and sort by date itself.
    rows = [(date, deal, stage) for deal, h in HISTORY.items() for stage, date in h]
    rows.sort()
    out.append(write_csv("small/stage_history.csv", ["deal_id", "stage", "entered_date"],
                         [[deal, stage, date] for date, deal, stage in rows]))
    out.append(write_csv("small/activities.csv",
                         ["rep", "type", "date", "duration_minutes", "deal_id"],
                         [list(a) for a in ACTIVITIES]))
    out.append(write_csv("small/quotas.csv", ["rep", "period", "quota"],
                         [list(q) for q in QUOTAS_SMALL]))
    return out


# --------------------------------------------------------------------------------------------
# 2. wide/ — the same deals, one `Date entered` column per stage with the FIRST entry date.
#    Only D03 (the backward move) loses information: its second entries into Qualification
#    (2024-02-01) and Proposal (2024-02-07) cannot be represented.
# --------------------------------------------------------------------------------------------
def wide():
    header = ["Record ID", "Deal owner", "Deal Stage", "Amount", "Create Date", "Close Date"] + [
        'Date entered "%s (Sales Pipeline)"' % s for s in STAGES]
    rows = []
    for deal_id, owner, stage, amount, _prob, created, close in DEALS:
        first = {}
        for st, date in HISTORY.get(deal_id, []):
            if st in STAGES and st not in first:
                first[st] = date
        rows.append([deal_id, owner, stage, amount, created, close] +
                    [first.get(s, "") for s in STAGES])
    return [write_csv("wide/deals.csv", header, rows)]


# --------------------------------------------------------------------------------------------
# 3. leads/ — 12 leads in two sources; deals linked by lead_id; monthly quotas.
#    L06 status sql without any date; L08 status lead, no dates, customer only through its won
#    linked deal E03; L05 disqualified after an MQL date; L10 customer by status, no deal;
#    L09 opportunity with a LOST linked deal; L02 linked to an OPEN deal.
# --------------------------------------------------------------------------------------------
LEADS = [
    ("L01", "2024-03-01 09:00", "Web", "customer", "2024-03-04", "2024-03-11", "2024-03-01 11:30"),
    ("L02", "2024-03-02 10:00", "Web", "sql", "2024-03-05", "2024-03-15", "2024-03-02 16:00"),
    ("L03", "2024-03-04 08:00", "Web", "mql", "2024-03-06", "", "2024-03-05 08:00"),
    ("L04", "2024-03-05 13:00", "Web", "mql", "2024-03-09", "", "2024-03-05 13:45"),
    ("L05", "2024-03-06 09:00", "Web", "disqualified", "2024-03-08", "", ""),
    ("L06", "2024-03-07 09:00", "Web", "sql", "", "", "2024-03-07 14:05"),
    ("L07", "2024-03-08 16:00", "Web", "lead", "", "", ""),
    ("L08", "2024-03-08 10:00", "Referral", "lead", "", "", "2024-03-08 11:00"),
    ("L09", "2024-03-10 15:00", "Referral", "opportunity", "2024-03-11", "2024-03-14",
     "2024-03-10 15:30"),
    ("L10", "2024-03-12 09:00", "Referral", "customer", "2024-03-12", "2024-03-19",
     "2024-03-12 17:00"),
    ("L11", "2024-03-13 11:00", "Referral", "mql", "2024-03-15", "", "2024-03-14 11:00"),
    ("L12", "2024-03-14 11:00", "Referral", "mql", "2024-03-16", "", ""),
]

LEAD_DEALS = [
    ("E01", "Ana", "Closed Won", "6000", "2024-03-20", "2024-04-15", "L01"),
    ("E02", "Budi", "Proposal", "4000", "2024-03-25", "2024-05-31", "L02"),
    ("E03", "Ana", "Closed Won", "10000", "2024-03-18", "2024-04-30", "L08"),
    ("E04", "Budi", "Closed Lost", "5000", "2024-03-22", "2024-04-10", "L09"),
    ("E05", "Ana", "Closed Won", "8000", "2024-02-20", "2024-03-28", ""),
    ("E06", "Budi", "Closed Lost", "3000", "2024-03-01", "2024-04-05", ""),
]

QUOTAS_LEADS = [
    ("Ana", "2024-01", "10000"),
    ("Ana", "2024-03", "10000"),
    ("Budi", "2024-03", "9000"),
    ("Ana", "2024-04", "10000"),
    ("Budi", "2024-04", "9000"),
    ("Ana", "2024-06", "10000"),
]


def leads():
    return [
        write_csv("leads/leads.csv",
                  ["lead_id", "created_date", "source", "status", "mql_date", "sql_date",
                   "first_response_at"],
                  [list(r) for r in LEADS]),
        write_csv("leads/deals.csv",
                  ["deal_id", "owner", "stage", "amount", "created_date", "close_date", "lead_id"],
                  [list(r) for r in LEAD_DEALS]),
        write_csv("leads/quotas.csv", ["rep", "period", "quota"], [list(q) for q in QUOTAS_LEADS]),
    ]


# --------------------------------------------------------------------------------------------
# 4. nohistory/ — stages but no history, no probability, no other table.
# --------------------------------------------------------------------------------------------
NOHIST = [
    ("N01", "Ana", "Closed Won", "10000", "2024-01-08", "2024-02-20"),
    ("N02", "Budi", "Closed Won", "6000", "2024-01-15", "2024-03-05"),
    ("N03", "Ana", "Closed Lost", "4000", "2024-01-20", "2024-02-10"),
    ("N04", "Budi", "Closed Won", "8000", "2024-02-01", "2024-03-22"),
    ("N05", "Ana", "Prospecting", "3000", "2024-03-01", "2024-05-31"),
    ("N06", "Budi", "Qualification", "5000", "2024-02-20", "2024-05-15"),
    ("N07", "Ana", "Qualification", "2500", "2024-03-10", "2024-06-30"),
    ("N08", "Budi", "Proposal", "7000", "2024-01-25", "2024-04-30"),
    ("N09", "Ana", "Negotiation", "12000", "2024-03-15", "2024-04-15"),
    ("N10", "Budi", "Closed Lost", "3500", "2024-02-12", "2024-03-25"),
]


def nohistory():
    return [write_csv("nohistory/deals.csv",
                      ["deal_id", "owner", "stage", "amount", "created_date", "close_date"],
                      [list(r) for r in NOHIST])]


def main():
    files = small() + wide() + leads() + nohistory()
    if "--list" in sys.argv[1:]:
        for rel in files:
            with open(os.path.join(HERE, rel), "rb") as f:
                data = f.read()
            print("%-28s %6d  %s" % (rel, len(data), hashlib.sha256(data).hexdigest()[:16]))


if __name__ == "__main__":
    main()
