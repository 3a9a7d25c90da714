#!/usr/bin/env python3
"""Regenerate the hand-checked ingest and metric fixtures in tests/data/.

Run from anywhere: `python3 tests/data/make_fixtures.py`. Every fixture is written as exact
bytes (encoding, BOM, delimiter and line ends are part of what is tested), so the files must
not be re-saved by an editor. The expected figures for each fixture are in EXPECTED.md next to
this script; change a fixture here and EXPECTED.md must be re-worked by hand.

Only the standard library is used, and the output is deterministic (no clock, no unseeded
randomness): running the script twice gives byte-identical files.
"""

import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

BOM_UTF8 = b"\xef\xbb\xbf"
BOM_UTF16LE = b"\xff\xfe"

HUGE_FIELD_BYTES = 1024 * 1024  # one field of 1 MiB of `x` in bad/huge_field.csv


def write(rel, data):
    """Write `data` (bytes) to tests/data/<rel>, creating folders as needed."""
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return path


def lines(rows, eol="\n"):
    """Join already-formatted lines, each terminated by `eol` (including the last)."""
    return "".join(r + eol for r in rows)


# 1. Indonesian export: UTF-8 with BOM, `;`, decimal comma with `.` thousands, dd/mm/yyyy.
def semicolon_id():
    rows = [
        "ID Peluang;Tenaga Penjual;Tahap;Nilai;Tanggal Dibuat;Tanggal Tutup;Wilayah;Produk",
        "ID-001;Budi Santoso;Menang;Rp 12.500.000,50;03/01/2024;15/02/2024;Jawa Barat;Software",
        "ID-002;Siti Rahayu;Kalah;Rp 8.000.000;10/01/2024;20/02/2024;Jawa Timur;Hardware",
        "ID-003;Budi Santoso;Negosiasi;Rp 15.000.000;05/02/2024;30/04/2024;Jawa Barat;Software",
        "ID-004;Siti Rahayu;Menang;Rp 950.000;14/02/2024;07/03/2024;Jawa Timur;Layanan",
        "ID-005;Andi Wijaya;Menang;Rp 4.250.000,25;01/02/2024;12/03/2024;Bali;Hardware",
        "ID-006;Andi Wijaya;Kalah;(1.200,00);20/02/2024;05/03/2024;Bali;Layanan",
        "ID-007;Siti Rahayu;Prospek;Rp 3.000.000;11/03/2024;;Jawa Timur;Software",
        "ID-008;Budi Santoso;Menang;Rp 6.000.000;02/03/2024;25/03/2024;Jawa Barat;Layanan",
    ]
    write("semicolon_id.csv", BOM_UTF8 + lines(rows).encode("utf-8"))


# 2. Excel "Unicode text": UTF-16 LE with BOM, tab-separated, CRLF, MM/DD/YYYY.
def utf16_tab():
    rows = [
        "Opportunity ID\tOpportunity Owner\tStage\tAmount\tClose Date\tCreated Date",
        "OPP-001\tJos\u00e9 M\u00fcller\tClosed Won\t1,234.50\t01/15/2024\t12/04/2023",
        "OPP-002\tAna Lim\tClosed Lost\t2,500.00\t01/22/2024\t12/20/2023",
        "OPP-003\tJos\u00e9 M\u00fcller\tProspecting\t10,000.00\t04/30/2024\t02/05/2024",
        "OPP-004\tAna Lim\tClosed Won\t3,765.50\t02/08/2024\t01/10/2024",
        "OPP-005\tJos\u00e9 M\u00fcller\tClosed Won\t500.00\t02/29/2024\t02/01/2024",
        "OPP-006\tAna Lim\tProspecting\t7,250.00\t03/15/2024\t02/13/2024",
        "OPP-007\tJos\u00e9 M\u00fcller\tClosed Lost\t12,000.00\t02/26/2024\t01/03/2024",
    ]
    write("utf16_tab.txt", BOM_UTF16LE + lines(rows, "\r\n").encode("utf-16-le"))


# 3. Quoted fields with commas, doubled quotes and embedded newlines; CRLF record ends.
#    D-102's lost_reason holds a bare LF (what Excel writes for Alt+Enter), D-105's holds CRLFs.
def quoted_newlines():
    data = (
        "id,owner,account,stage,amount,created_date,close_date,lost_reason\r\n"
        'D-101,Maria Garcia,"Acme, Inc.",Closed Won,"1,500.00",2024-01-08,2024-02-14,\r\n'
        'D-102,Tom Baker,"The ""Best"" Foods",Closed Lost,800.00,2024-01-15,2024-02-20,'
        '"Price too high,\ncompetitor 20% cheaper"\r\n'
        'D-103,Maria Garcia,"Globex, ""East"" Division",Negotiation,"2,250.00",2024-02-01,2024-04-30,\r\n'
        "D-104,Tom Baker,Initech,Closed Won,\"3,000.00\",2024-02-05,2024-03-11,\r\n"
        'D-105,Maria Garcia,"Umbrella Corp",Closed Lost,1200,2024-02-10,2024-03-15,'
        '"Lost to ""incumbent"" vendor;\r\nbudget frozen,\r\nre-engage Q3"\r\n'
        'D-106,Tom Baker,"Hooli, LLC",Closed Won,950.50,2024-03-01,2024-03-20,\r\n'
        'D-107,Maria Garcia,Vandelay Industries,Closed Won,"4,100.00",2024-02-20,2024-03-28,\r\n'
    )
    write("quoted_newlines.csv", data.encode("utf-8"))


# 4. Excel's `sep=;` first line, then `;`-delimited data with point decimals.
def sep_line():
    rows = [
        "sep=;",
        "Deal ID;Owner;Stage;Amount;Created Date;Close Date",
        "S-1;Lena;Won;1250.75;2024-04-02;2024-04-18",
        "S-2;Marco;Lost;980.5;2024-04-05;2024-04-25",
        "S-3;Lena;Won;;2024-04-10;2024-05-03",
        "S-4;Marco;Won;2000;2024-04-15;2024-05-10",
        "S-5;Lena;Proposal;1500.25;2024-05-01;2024-06-30",
        "S-6;Marco;Won;749.25;2024-05-06;2024-05-20",
    ]
    write("sep_line.csv", lines(rows).encode("utf-8"))


# 5. HubSpot deals export (exact headers), date-times, probability as a 0..1 fraction.
def hubspot_deals():
    rows = [
        "Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner,Pipeline,"
        "Deal probability,Original Source Type",
        "9001,Acme renewal,Closed won,5000,2024-02-14 16:30,2024-01-09 10:15,Rina Putri,"
        "Sales Pipeline,1,Organic Search",
        "9002,Globex pilot,Closed lost,3200,2024-02-21 11:00,2024-01-16 14:45,Dimas Pratama,"
        "Sales Pipeline,0,Paid Search",
        "9003,Initech expansion,Contract sent,8000,2024-04-15 00:00,2024-02-19 09:30,Rina Putri,"
        "Sales Pipeline,0.9,Referrals",
        "9004,Hooli onboarding,Closed won,12500.5,2024-03-07 10:15,2024-02-02 08:00,Dimas Pratama,"
        "Sales Pipeline,1,Referrals",
        "9005,Umbrella upsell,Appointment scheduled,4000,2024-05-31 00:00,2024-03-12 13:20,"
        "Dimas Pratama,Sales Pipeline,0.2,Organic Search",
        "9006,Vandelay import,Closed won,2750,2024-03-28 17:45,2024-03-01 09:00,Rina Putri,"
        "Sales Pipeline,1,Direct Traffic",
        "9007,Stark cloud,Closed lost,6100,2024-03-19 12:00,2024-02-26 15:10,Rina Putri,"
        "Sales Pipeline,0,Organic Search",
        "9008,Wayne security,Contract sent,1500,2024-04-30 00:00,2024-03-20 11:30,Dimas Pratama,"
        "Sales Pipeline,0.9,Paid Search",
    ]
    write("hubspot_deals.csv", lines(rows).encode("utf-8"))


# 6. Salesforce opportunity report ("Export details", every field quoted), $ amounts, M/D/YYYY.
def salesforce_opps():
    header = [
        "Opportunity Owner", "Account Name", "Opportunity Name", "Stage", "Amount",
        "Probability (%)", "Close Date", "Created Date", "Lead Source", "Opportunity ID",
    ]
    data = [
        ["Sarah Chen", "Acme Corp", "Acme - 500 seats", "Closed Won", "$12,500.00", "100",
         "1/31/2024", "12/14/2023", "Web", "0065g00000XyZ01AAA"],
        ["David Kim", "Globex", "Globex - Pilot", "Closed Lost", "$4,800.00", "0",
         "2/16/2024", "1/5/2024", "Partner Referral", "0065g00000XyZ02AAA"],
        ["Sarah Chen", "Initech", "Initech - Expansion", "Negotiation/Review", "$20,000.00", "90",
         "4/30/2024", "2/1/2024", "Trade Show", "0065g00000XyZ03AAA"],
        ["David Kim", "Hooli", "Hooli - Renewal", "Closed Won", "$7,250.00", "100",
         "3/7/2024", "1/22/2024", "Web", "0065g00000XyZ04AAA"],
        ["Priya Nair", "Umbrella", "Umbrella - New Logo", "Closed Won", "$3,100.50", "100",
         "2/29/2024", "2/13/2024", "Partner Referral", "0065g00000XyZ05AAA"],
        ["Priya Nair", "Stark Industries", "Stark - Add-on", "Proposal/Price Quote", "$5,500.00",
         "75", "3/29/2024", "3/4/2024", "Web", "0065g00000XyZ06AAA"],
        ["Sarah Chen", "Wayne Enterprises", "Wayne - Security", "Closed Lost", "$9,000.00", "0",
         "3/12/2024", "1/18/2024", "Trade Show", "0065g00000XyZ07AAA"],
        ["David Kim", "Vandelay", "Vandelay - Import", "Prospecting", "$2,000.00", "10",
         "5/15/2024", "3/11/2024", "Web", "0065g00000XyZ08AAA"],
    ]
    rows = [",".join('"%s"' % v for v in r) for r in [header] + data]
    write("salesforce_opps.csv", lines(rows).encode("utf-8"))


# 7. Pipedrive deals export: status column, won/lost times, two currencies (USD needs fx).
def pipedrive_deals():
    rows = [
        "Deal - ID,Deal - Title,Deal - Owner,Deal - Value,Deal - Currency,Deal - Status,"
        "Deal - Stage,Deal - Deal created,Deal - Won time,Deal - Lost time,"
        "Deal - Expected close date",
        # deal 101 has an expected close date in another month than its won time: the won
        # time is its close date, the expected close date is ignored for a closed deal.
        "101,Alpha GmbH licence,Klaus Weber,4500,EUR,won,Negotiations Started,"
        "2024-01-08 09:12:45,2024-02-12 15:30:00,,2024-03-31",
        "102,Beta SARL support,Marie Dubois,2800,EUR,lost,Proposal Made,"
        "2024-01-15 11:00:00,,2024-02-20 10:05:00,",
        "103,Gamma BV rollout,Klaus Weber,9000,EUR,open,Negotiations Started,"
        "2024-02-01 08:30:00,,,2024-04-30",
        "104,Delta Inc expansion,Marie Dubois,6000,USD,won,Proposal Made,"
        "2024-01-22 14:20:00,2024-03-05 09:00:00,,",
        "105,Epsilon SpA pilot,Marie Dubois,3500.5,EUR,won,Demo Scheduled,"
        "2024-02-05 10:00:00,2024-03-14 16:45:00,,",
        "106,Zeta AB renewal,Klaus Weber,1200,EUR,lost,Qualified,"
        "2024-02-19 13:00:00,,2024-03-08 12:00:00,",
        "107,Eta Oy upgrade,Lukas Berg,7250,EUR,won,Negotiations Started,"
        "2024-02-12 09:45:00,2024-03-27 11:30:00,,",
        "108,Theta AS new logo,Lukas Berg,5000,EUR,open,Contact Made,"
        "2024-03-18 15:00:00,,,2024-05-15",
        "109,Iota Kft services,Lukas Berg,2000,EUR,lost,Demo Scheduled,"
        "2024-01-29 10:30:00,,2024-02-27 17:00:00,",
    ]
    write("pipedrive_deals.csv", lines(rows).encode("utf-8"))


# 8. fx rates to the report currency (EUR) for the second variant of fixture 7.
def fx_rates():
    write("fx_rates.csv", lines(["currency,rate", "USD,0.9"]).encode("utf-8"))


# 9. Closed sales (orders): no stage or status, so every row is a won deal on its Order Date.
#    MM-DD-YY two-digit years as in the Superstore sample; CA-1004 has two line items.
def closed_sales():
    rows = [
        "Order ID,Order Date,Customer,Region,Product,Sales",
        "CA-1001,11-28-23,Acme Corp,West,Chairs,1250.00",
        "CA-1002,12-05-23,Globex,East,Phones,860.50",
        "CA-1003,12-19-23,Initech,Central,Binders,95.25",
        "CA-1004,01-08-24,Hooli,West,Phones,2300.00",
        "CA-1004,01-08-24,Hooli,West,Binders,149.75",
        "CA-1005,01-17-24,Umbrella,South,Chairs,1780.40",
        "CA-1006,02-02-24,Stark,East,Tables,3100.00",
        "CA-1007,02-14-24,Wayne,Central,Phones,640.10",
    ]
    write("closed_sales.csv", lines(rows).encode("utf-8"))


# 10. Quota demo: deals + quarterly quotas + roster (team and region come from the roster).
def quota_demo():
    deals = [
        "id,owner,stage,amount,created_date,close_date",
        "Q-01,Ayu Lestari,Closed Won,12000,2024-01-05,2024-02-10",
        "Q-02,Ayu Lestari,Closed Won,8000,2024-01-20,2024-03-29",
        "Q-03,Bima Santoso,Closed Won,7500,2024-01-08,2024-03-15",
        "Q-04,Citra Dewanti,Closed Won,12000,2024-01-12,2024-02-28",
        "Q-05,Dewi Anggraini,Closed Won,10800,2024-02-01,2024-03-31",
        "Q-06,Ayu Lestari,Closed Won,26000,2024-03-05,2024-04-01",
        "Q-07,Bima Santoso,Closed Won,15000,2024-04-02,2024-05-20",
        "Q-08,Citra Dewanti,Closed Won,9000,2024-04-10,2024-06-14",
        "Q-09,Dewi Anggraini,Closed Won,4000,2024-04-15,2024-06-28",
        "Q-10,Bima Santoso,Closed Lost,6000,2024-02-05,2024-04-18",
        "Q-11,Dewi Anggraini,Closed Lost,3000,2024-05-02,2024-06-05",
        "Q-12,Citra Dewanti,Proposal,5000,2024-05-10,2024-06-30",
    ]
    quotas = [
        "rep,period,quota",
        "Ayu Lestari,2024-Q1,20000",
        "Bima Santoso,2024-Q1,15000",
        "Citra Dewanti,2024-Q1,10000",
        "Dewi Anggraini,2024-Q1,12000",
        "Ayu Lestari,2024-Q2,20000",
        "Bima Santoso,2024-Q2,15000",
        "Citra Dewanti,2024-Q2,12000",
        "Dewi Anggraini,2024-Q2,10000",
        # these two periods do not overlap the default range (2024-01-05 .. 2024-06-28)
        "Ayu Lestari,2023-Q4,18000",
        "Bima Santoso,2024-Q3,16000",
    ]
    reps = [
        "rep,team,region",
        "Ayu Lestari,Alpha,West",
        "Bima Santoso,Alpha,East",
        "Citra Dewanti,Beta,West",
        "Dewi Anggraini,Beta,East",
    ]
    write("quota_demo/deals.csv", lines(deals).encode("utf-8"))
    write("quota_demo/quotas.csv", lines(quotas).encode("utf-8"))
    write("quota_demo/reps.csv", lines(reps).encode("utf-8"))


# 11. Metrics demo: 4 months (February has no closed deal), open deals, a close before create,
#     a won deal without amount, a duplicate id, and a revenue tie between two reps.
def metrics_demo():
    rows = [
        "id,owner,stage,amount,created_date,close_date,product,source",
        "M-01,Alice,Closed Won,1000,2024-01-02,2024-01-20,Basic,Web",
        "M-02,Bob,Closed Lost,1500,2024-01-05,2024-01-25,Pro,Referral",
        "M-03,Alice,Closed Won,3000,2024-01-10,2024-01-31,Pro,Web",
        "M-04,Carol,Closed Won,,2024-01-15,2024-03-05,Basic,Event",
        "M-05,Bob,Closed Won,2000,2024-02-01,2024-03-12,Pro,Referral",
        "M-06,Carol,Closed Won,500,2024-02-10,2024-03-20,Basic,Web",
        "M-07,Alice,Closed Won,4000,2024-03-25,2024-03-18,Enterprise,Event",
        "M-08,Bob,Prospecting,2500,2024-03-01,2024-05-31,Enterprise,Web",
        "M-09,Carol,Closed Won,5000,2024-02-26,2024-04-10,Enterprise,Referral",
        "M-09,Alice,Closed Lost,1200,2024-03-08,2024-04-22,Basic,Event",
        "M-11,Bob,Closed Won,3500,2024-03-15,2024-04-26,Pro,Web",
        "M-12,Carol,Negotiation,6000,2024-04-01,,Pro,Referral",
    ]
    write("metrics_demo.csv", lines(rows).encode("utf-8"))


# 12. Bad inputs.
DEALS_HEADER = "id,owner,stage,amount,created_date,close_date"


def bad_binary():
    # SHA-256 in counter mode: deterministic on every Python version and platform.
    out = bytearray()
    counter = 0
    while len(out) < 4096:
        out += hashlib.sha256(b"pelacak-binary-fixture-%d" % counter).digest()
        counter += 1
    out = out[:4096]
    for i in range(0, len(out), 61):  # guarantee NUL bytes throughout
        out[i] = 0
    out[0] = 0x00  # never a BOM (EF BB BF / FF FE / FE FF) and never a ZIP (PK) signature
    out[1] = 0x9C
    write("bad/binary.bin", bytes(out))


def bad_ragged():
    rows = [
        DEALS_HEADER,
        "R-1,Alice,Closed Won,1000,2024-01-02,2024-01-20",
        "R-2,Bob,Closed Lost,500,2024-01-05,2024-01-25",
        "R-3,Alice,Closed Won,2000,2024-01-10,2024-02-01,EXTRA",  # 7 fields
        "R-4,Bob,Closed Won,1500,2024-01-12",  # 5 fields
        "R-5,Carol,Prospecting,800,2024-02-01,",
        "R-6,Carol,Closed Won,1200,2024-01-20,2024-02-10",
    ]
    write("bad/ragged.csv", lines(rows).encode("utf-8"))


def bad_stray_quote():
    rows = [
        DEALS_HEADER,
        "S-1,Alice,Closed Won,1000,2024-01-02,2024-01-20",
        "S-2,Bob,Closed Lost,500,2024-01-05,2024-01-25",
        'S-3,"Alice,Closed Won,2000,2024-01-10,2024-02-01',  # quote opened, never closed
        "S-4,Bob,Closed Won,1500,2024-01-12,2024-02-05",
        "S-5,Carol,Closed Won,1200,2024-01-20,2024-02-10",
    ]
    write("bad/stray_quote.csv", lines(rows).encode("utf-8"))


def bad_empty():
    write("bad/empty.csv", b"")


def bad_header_only():
    write("bad/header_only.csv", lines([DEALS_HEADER]).encode("utf-8"))


def bad_unknown_kind():
    rows = ["foo,bar,baz", "1,2,3", "4,5,6", "7,8,9"]
    write("bad/unknown_kind.csv", lines(rows).encode("utf-8"))


def bad_huge_field():
    # Generated, never committed: tests may equally build these bytes in code.
    head = DEALS_HEADER + ",notes\n"
    row1 = "H-1,Alice,Closed Won,1000,2024-01-02,2024-01-20,short note\n"
    row2 = 'H-2,Bob,Closed Won,2000,2024-01-05,2024-01-25,"' + "x" * HUGE_FIELD_BYTES + '"\n'
    row3 = "H-3,Carol,Closed Lost,500,2024-01-10,2024-02-01,\n"
    write("bad/huge_field.csv", (head + row1 + row2 + row3).encode("utf-8"))


def bad_values():
    rows = [
        DEALS_HEADER,
        "B-1,Alice,Closed Won,1000,02/01/2024,20/01/2024",
        "B-2,Bob,Closed Won,abc,05/01/2024,25/01/2024",  # amount cannot be parsed
        "B-3,Alice,Closed Lost,700,10/01/2024,31/02/2024",  # 31 February does not exist
        "B-4,Carol,Closed Won,1500,15/01/2024,",  # won deal without close date
        "B-5,Bob,Prospecting,900,18/01/2024,",
        "B-6,Carol,Closed Won,1200,20/01/2024,14/02/2024",
    ]
    write("bad/bad_values.csv", lines(rows).encode("utf-8"))


ALL = [
    semicolon_id, utf16_tab, quoted_newlines, sep_line, hubspot_deals, salesforce_opps,
    pipedrive_deals, fx_rates, closed_sales, quota_demo, metrics_demo,
    bad_binary, bad_ragged, bad_stray_quote, bad_empty, bad_header_only, bad_unknown_kind,
    bad_huge_field, bad_values,
]


def main():
    for make in ALL:
        make()
    if "--list" in sys.argv:
        for root, _, files in sorted(os.walk(HERE)):
            for name in sorted(files):
                if name.endswith((".py", ".md")):
                    continue
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    data = f.read()
                rel = os.path.relpath(path, HERE)
                print("%-28s %9d  %s" % (rel, len(data), hashlib.sha256(data).hexdigest()[:16]))


if __name__ == "__main__":
    main()
