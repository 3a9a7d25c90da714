#!/usr/bin/env python3
"""Write tests/data/xlsx_deals.xlsx, the hand-checked .xlsx fixture used by tests/xlsx.rs,
and tests/data/xlsx_layout.xlsx, the reader's layout fixture (see build_layout).

Run from anywhere: `python3 tests/data/make_xlsx.py`. Standard library only (zipfile and
hand-written Office Open XML, no openpyxl), and deterministic: every zip entry has the fixed
timestamp 2024-01-01 00:00:00 and a fixed order, so two runs give byte-identical files.

The workbook has two sheets:

- "Deals": Opportunity ID, Owner, Stage, Amount, Created Date, Close Date. Amounts are numeric
  cells; dates are numeric Excel serials styled s="1" (numFmtId 14, a date format), except
  D-002's Close Date, a plain unstyled serial (a spreadsheet date column the engine must still
  read as dates), and D-003's Created Date, a text cell "2024-02-01".
- "Quotas": Rep, Period, Quota, one 2024-Q1 quota per owner.

Excel serial 45292 = 2024-01-01, so serial = 45292 + days since 2024-01-01 (2024 is a leap
year: Feb 1 = day 31, Mar 1 = day 60, Apr 1 = day 91). The expected figures are worked out in
the comments of tests/xlsx.rs.
"""

import datetime
import os
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "xlsx_deals.xlsx")

EPOCH = datetime.date(2024, 1, 1)
EPOCH_SERIAL = 45292


def serial(iso):
    """Excel serial of an ISO date (1900 date system)."""
    return EPOCH_SERIAL + (datetime.date.fromisoformat(iso) - EPOCH).days


# Cell values: ("s", text) shared string, ("n", number) plain number,
# ("d", iso) date serial styled s="1", ("raw", iso) date serial with no style.
DEALS = [
    ["Opportunity ID", "Owner", "Stage", "Amount", "Created Date", "Close Date"],
    # id      owner    stage          amount  created              close
    ["D-001", "Ayu", "Closed Won", 1000, ("d", "2024-01-02"), ("d", "2024-01-20")],
    ["D-002", "Budi", "Closed Won", 2500, ("d", "2024-01-10"), ("raw", "2024-03-15")],
    ["D-003", "Ayu", "Closed Won", 4000, ("s", "2024-02-01"), ("d", "2024-03-28")],
    ["D-004", "Budi", "Closed Lost", 800, ("d", "2024-01-15"), ("d", "2024-03-05")],
    ["D-005", "Citra", "Negotiation", 3000, ("d", "2024-02-20"), ("d", "2024-04-30")],
    ["D-006", "Citra", "Closed Lost", 1200, ("d", "2024-01-08"), ("d", "2024-01-25")],
]

QUOTAS = [
    ["Rep", "Period", "Quota"],
    ["Ayu", "2024-Q1", 5000],
    ["Budi", "2024-Q1", 2000],
    ["Citra", "2024-Q1", 4000],
]

SHEETS = [("Deals", DEALS), ("Quotas", QUOTAS)]

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_BASE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class SharedStrings:
    def __init__(self):
        self.items = []
        self.index = {}
        self.count = 0

    def get(self, text):
        self.count += 1
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(text)
        return self.index[text]

    def xml(self):
        sis = "".join(f"<si><t>{escape(t)}</t></si>" for t in self.items)
        return (
            f'{XML_DECL}<sst xmlns="{NS_MAIN}" count="{self.count}" '
            f'uniqueCount="{len(self.items)}">{sis}</sst>'
        )


def col_letter(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_xml(ref, value, sst):
    if isinstance(value, str):
        value = ("s", value)
    elif isinstance(value, (int, float)):
        value = ("n", value)
    kind, v = value
    if kind == "s":
        return f'<c r="{ref}" t="s"><v>{sst.get(v)}</v></c>'
    if kind == "n":
        return f'<c r="{ref}"><v>{v}</v></c>'
    if kind == "d":
        return f'<c r="{ref}" s="1"><v>{serial(v)}</v></c>'
    if kind == "raw":
        return f'<c r="{ref}"><v>{serial(v)}</v></c>'
    raise ValueError(kind)


def sheet_xml(rows, sst):
    ncols = max(len(r) for r in rows)
    dim = f"A1:{col_letter(ncols - 1)}{len(rows)}"
    out = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            cell_xml(f"{col_letter(c)}{r}", v, sst) for c, v in enumerate(row)
        )
        out.append(f'<row r="{r}" spans="1:{ncols}">{cells}</row>')
    return (
        f'{XML_DECL}<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
        f'<dimension ref="{dim}"/><sheetData>{"".join(out)}</sheetData></worksheet>'
    )


def content_types(n):
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        f'ContentType="{CT_BASE}.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    return (
        f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{CT_BASE}.sheet.main+xml"/>'
        f"{sheets}"
        f'<Override PartName="/xl/styles.xml" ContentType="{CT_BASE}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT_BASE}.sharedStrings+xml"/>'
        "</Types>"
    )


def root_rels():
    return (
        f'{XML_DECL}<Relationships xmlns="{NS_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{REL_BASE}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )


def workbook_xml(names):
    sheets = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    return (
        f'{XML_DECL}<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
        f"<sheets>{sheets}</sheets></workbook>"
    )


def workbook_rels(n):
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_BASE}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n + 1)
    )
    rels += f'<Relationship Id="rId{n + 1}" Type="{REL_BASE}/styles" Target="styles.xml"/>'
    rels += (
        f'<Relationship Id="rId{n + 2}" Type="{REL_BASE}/sharedStrings" '
        'Target="sharedStrings.xml"/>'
    )
    return f'{XML_DECL}<Relationships xmlns="{NS_PKG_REL}">{rels}</Relationships>'


def styles_xml():
    # cellXfs: 0 = General, 1 = built-in numFmtId 14 (a short date, m/d/yyyy).
    return (
        f'{XML_DECL}<styleSheet xmlns="{NS_MAIN}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def write(out, names, sheets, sst):
    """Writes a workbook of these sheets (their XML) to `out`, deterministically."""
    parts = [
        ("[Content_Types].xml", content_types(len(names))),
        ("_rels/.rels", root_rels()),
        ("xl/workbook.xml", workbook_xml(names)),
        ("xl/_rels/workbook.xml.rels", workbook_rels(len(names))),
        ("xl/styles.xml", styles_xml()),
    ]
    parts += [(f"xl/worksheets/sheet{i}.xml", x) for i, x in enumerate(sheets, start=1)]
    parts.append(("xl/sharedStrings.xml", sst.xml()))
    with zipfile.ZipFile(out, "w") as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            z.writestr(info, text.encode("utf-8"))
    return out


def build():
    sst = SharedStrings()
    sheets = [sheet_xml(rows, sst) for _, rows in SHEETS]
    return write(OUT, [name for name, _ in SHEETS], sheets, sst)


# tests/data/xlsx_layout.xlsx, for the reader's unit tests (src/ingest/xlsx.rs): where
# cells sit, not what they mean. Sheet "Offset" starts at B3, skips C4, has no cell on
# row 5 but an empty string, ends row 3 with an empty string, and holds a boolean, an
# inline string and numbers; sheet "Shuffled" has its rows written in the wrong order
# (row 2 before row 1), which Excel never does but a hand-made file may.
LAYOUT_OUT = os.path.join(HERE, "xlsx_layout.xlsx")


def layout_sheet(rows_xml):
    return (
        f'{XML_DECL}<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
        f'<sheetData>{rows_xml}</sheetData></worksheet>'
    )


def build_layout():
    sst = SharedStrings()

    def s(ref, text):
        return f'<c r="{ref}" t="s"><v>{sst.get(text)}</v></c>'

    offset = layout_sheet(
        f'<row r="3">{s("B3", "deal_id")}{s("C3", "owner")}{s("D3", "amount")}{s("E3", "")}</row>'
        f'<row r="4">{s("B4", "X1")}<c r="D4"><v>1500</v></c></row>'
        f'<row r="5">{s("C5", "")}</row>'
        f'<row r="6">{s("C6", "Ayu")}<c r="D6"><v>2.5</v></c></row>'
        '<row r="7"><c r="B7" t="b"><v>1</v></c>'
        '<c r="C7" t="inlineStr"><is><t>Budi</t></is></c><c r="D7"><v>-3</v></c></row>'
    )
    shuffled = layout_sheet(
        f'<row r="2">{s("A2", "b2")}<c r="B2"><v>5</v></c></row>'
        f'<row r="1">{s("A1", "h1")}{s("B1", "h2")}</row>'
    )
    return write(LAYOUT_OUT, ["Offset", "Shuffled"], [offset, shuffled], sst)


# tests/data/xlsx_one_sheet.xlsx: the "Deals" sheet alone, which a workbook types a window
# at a time when its windows are small (tests/streaming.rs); and
# tests/data/xlsx_shifted.xlsx: the same deals moved one column right (from B1), with a
# note in column A of the last row, so the sheet's first column is only known at its end.
ONE_SHEET_OUT = os.path.join(HERE, "xlsx_one_sheet.xlsx")
SHIFTED_OUT = os.path.join(HERE, "xlsx_shifted.xlsx")


def build_one_sheet():
    sst = SharedStrings()
    return write(ONE_SHEET_OUT, ["Deals"], [sheet_xml(DEALS, sst)], sst)


def build_shifted():
    sst = SharedStrings()
    rows = []
    for r, row in enumerate(DEALS, start=1):
        cells = "".join(
            cell_xml(f"{col_letter(c + 1)}{r}", v, sst) for c, v in enumerate(row)
        )
        if r == len(DEALS):
            cells = f'<c r="A{r}" t="s"><v>{sst.get("checked")}</v></c>' + cells
        rows.append(f'<row r="{r}">{cells}</row>')
    return write(SHIFTED_OUT, ["Deals"], [layout_sheet("".join(rows))], sst)


if __name__ == "__main__":
    print(build())
    print(build_layout())
    print(build_one_sheet())
    print(build_shifted())
