//! A large table's later windows typed in a second worker, and taken in by
//! the engine's worker as if it had typed them itself.
//!
//! # Why
//! In the browser a helper worker reads and tokenises a large file while
//! the engine's worker types its windows (see `www/src/feed.js`). Typing is
//! about three times the work of tokenising, so the helper, once it is
//! ahead, types windows too: a [`PartTyper`] types one window into a part
//! (its rows, its own names, its issues) sent as bytes, and
//! [`super::stream::StreamTyper::take_part`] adds the part in its window's
//! place.
//!
//! # The same report, byte for byte
//! - The helper decides each column's style from the same first window,
//!   with the same kind and mapping overrides ([`Plan`]): the same decisions.
//! - A part has its own names, in the order its rows met them. Taking
//!   windows and parts in file order interns them in the order typing every
//!   window here would have (a name met before keeps its symbol).
//! - Duplicate ids need every earlier row: they are checked when a part is
//!   taken in. It is the last check of a deal's row in both paths, so the
//!   issues of one line keep their order.
//! - Issues, row counts and the style counts (which check the decisions at
//!   the end) add up as if typed here; an issue past its code's cap stays
//!   unlisted but counted.
//!
//! Only the four large tables (deals, stage history, activities, leads) are
//! typed in parts, and never the file's last windows.

use super::build::{prologue, Builder, StyleCounts, TableInput};
use super::stream::EMPTY;
use super::{Activity, Dataset, Deal, Lead, Origin, StageEntry, Status, Sym};
use crate::error::Result;
use crate::ingest::wire::{self, bad, put_str, put_u32, put_u64, Reader};
use crate::ingest::RawTable;
use crate::quality::{Issue, TableQuality};
use crate::schema::Kind;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use std::collections::BTreeMap;

/// The first bytes of every part, with the format's version.
const MAGIC: &[u8; 5] = b"PLKP\x01";

/// What the helper needs to type a file's windows as the engine's worker
/// would: the file's name, the kind it was given and its mapping overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The file's name (for the table's record).
    pub file: String,
    /// The kind forced by the caller.
    pub kind: Option<Kind>,
    /// Mapping overrides: canonical column → header (or none to unmap).
    pub overrides: BTreeMap<String, Option<String>>,
}

impl Plan {
    /// The plan as bytes (it crosses to the helper).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        put_str(&mut out, &self.file);
        put_opt_str(&mut out, self.kind.map(Kind::name));
        put_u32(&mut out, self.overrides.len() as u32);
        for (column, header) in &self.overrides {
            put_str(&mut out, column);
            put_opt_str(&mut out, header.as_deref());
        }
        out
    }

    /// A plan from [`Plan::to_bytes`]'s bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Plan> {
        let mut p = PartReader {
            r: Reader { bytes, at: 0 },
        };
        if p.r.take(MAGIC.len())? != MAGIC {
            return Err(bad("not a plan of this version"));
        }
        let file = p.r.str()?.to_string();
        let kind = match p.opt_str()? {
            Some(k) => Some(Kind::parse(&k).ok_or_else(|| bad("a plan with an unknown kind"))?),
            None => None,
        };
        let mut overrides = BTreeMap::new();
        for _ in 0..p.len()? {
            let column = p.r.str()?.to_string();
            overrides.insert(column, p.opt_str()?);
        }
        if p.r.at != bytes.len() {
            return Err(bad("bytes after the plan's end"));
        }
        Ok(Plan {
            file,
            kind,
            overrides,
        })
    }
}

/// What typing a part added beside its rows.
#[derive(Debug)]
pub(crate) struct PartState {
    /// Row counts, issue counts and the issues listed.
    pub(crate) q: TableQuality,
    /// How each source column's values were written.
    pub(crate) counts: Vec<StyleCounts>,
    /// Stage values met (only when a `<stage> date` column may be history).
    pub(crate) stage_values: Vec<String>,
}

/// Types a file's windows after the first into parts (in a helper worker).
pub struct PartTyper {
    b: Option<Box<Builder<'static>>>,
    raw: RawTable,
}

impl PartTyper {
    /// A typer for the windows after `first` (the file's first window, as
    /// [`wire::decode`] reads it). `None` when the table is not one typed in
    /// parts, or cannot be read at all (the engine's worker says why).
    pub fn new(plan: &Plan, first: &[u8]) -> Result<Option<PartTyper>> {
        let mut raw = RawTable::default();
        if wire::decode(first, &mut raw)? {
            return Ok(None);
        }
        let input = TableInput {
            file: &plan.file,
            raw: &raw,
            kind: plan.kind,
            overrides: &plan.overrides,
        };
        let mut q = TableQuality::new(&plan.file, None);
        let Ok((header_row, headers, mapping)) = prologue(&input, &mut q) else {
            return Ok(None);
        };
        if !matches!(
            mapping.kind,
            Kind::Deals | Kind::StageHistory | Kind::Activities | Kind::Leads
        ) {
            return Ok(None);
        }
        // As the engine's worker decides on its first window (see
        // `StreamTyper::first_window`).
        let mut b = Builder::new(&raw, header_row, headers, mapping, 0, q);
        b.count_styles(false);
        b.decisions = b.final_decisions();
        Ok(Some(PartTyper {
            b: Some(Box::new(b.for_parts())),
            raw: RawTable::default(),
        }))
    }

    /// Types one window (encoded, not one of the file's last) into a part.
    pub fn part(&mut self, window: &[u8]) -> Result<Vec<u8>> {
        if wire::decode(window, &mut self.raw)? {
            return Err(bad("a file's last window is typed by the engine's worker"));
        }
        let b = self
            .b
            .take()
            .ok_or_else(|| bad("a part typer that failed"))?;
        let kind = b.kind();
        let mut w = b.with_window(&self.raw);
        w.count_styles(true);
        let mut ds = Dataset::default();
        w.type_rows(&mut ds);
        let mut b = w.with_window(&EMPTY);
        let state = b.take_part_state();
        self.b = Some(Box::new(b));
        let first_line = if self.raw.is_empty() {
            0
        } else {
            self.raw.line(0)
        };
        Ok(encode(kind, first_line, self.raw.len() as u32, &ds, &state))
    }
}

/// A part as read back: rows whose symbols index `names`.
#[derive(Debug)]
pub(crate) struct Part<'a> {
    pub(crate) kind: Kind,
    /// The line of the window's first record, and how many records it had
    /// (for the rows past a memory limit, which are counted, not read).
    pub(crate) first_line: u32,
    pub(crate) records: u32,
    pub(crate) names: Vec<&'a str>,
    pub(crate) deals: Vec<Deal>,
    pub(crate) history: Vec<StageEntry>,
    pub(crate) activities: Vec<Activity>,
    pub(crate) leads: Vec<Lead>,
    pub(crate) state: PartState,
}

const KINDS: [Kind; 4] = [
    Kind::Deals,
    Kind::StageHistory,
    Kind::Activities,
    Kind::Leads,
];

fn put_sym(out: &mut Vec<u8>, s: Option<Sym>) {
    put_u32(out, s.map_or(0, |s| s.index() as u32 + 1));
}

fn put_date(out: &mut Vec<u8>, d: Option<NaiveDate>) {
    put_u32(out, d.map_or(i32::MIN, |d| d.num_days_from_ce()) as u32);
}

fn put_date_time(out: &mut Vec<u8>, t: Option<NaiveDateTime>) {
    put_date(out, t.map(|t| t.date()));
    put_u32(out, t.map_or(0, |t| t.time().num_seconds_from_midnight()));
    put_u32(out, t.map_or(0, |t| t.time().nanosecond()));
}

fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    out.push(u8::from(s.is_some()));
    if let Some(s) = s {
        put_str(out, s);
    }
}

/// Bytes of one row of each table in a part: every row of a table has the
/// same size, so a table's rows are checked for length once and read from
/// fixed places (the reads were most of taking a part in).
const DEAL_BYTES: usize = 4 + 11 * 4 + 1 + 8 + 8 + 4 + 4;
const HISTORY_BYTES: usize = 4 + 4 + 4 + 4;
const ACTIVITY_BYTES: usize = 4 + 5 * 4 + 4 + 1 + 8;
const LEAD_BYTES: usize = 4 + 4 * 4 + 4 * 4 + 12 + 12;

fn encode(kind: Kind, first_line: u32, records: u32, ds: &Dataset, st: &PartState) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        64 + ds.names.heap_bytes()
            + ds.deals.len() * DEAL_BYTES
            + ds.history.len() * HISTORY_BYTES
            + ds.activities.len() * ACTIVITY_BYTES
            + ds.leads.len() * LEAD_BYTES,
    );
    out.extend_from_slice(MAGIC);
    out.push(KINDS.iter().position(|&k| k == kind).unwrap_or(0) as u8);
    put_u32(&mut out, first_line);
    put_u32(&mut out, records);
    // The names as their ends in one text.
    put_u32(&mut out, ds.names.len() as u32);
    let mut end = 0u32;
    for s in ds.names.symbols() {
        end += ds.names.get(s).len() as u32;
        put_u32(&mut out, end);
    }
    put_u32(&mut out, end);
    for s in ds.names.symbols() {
        out.extend_from_slice(ds.names.get(s).as_bytes());
    }
    put_u32(&mut out, ds.deals.len() as u32);
    for d in ds.deals.iter() {
        put_u32(&mut out, d.origin.line);
        for s in [
            d.id,
            d.owner,
            d.stage,
            d.currency,
            d.account,
            d.product,
            d.region,
            d.team,
            d.source,
            d.lost_reason,
            d.lead_id,
        ] {
            put_sym(&mut out, s);
        }
        out.push(match d.status {
            Status::Won => 0,
            Status::Lost => 1,
            Status::Open => 2,
        });
        // None is NaN in an `OptF64`: its bits say so.
        put_u64(&mut out, d.amount.get().unwrap_or(f64::NAN).to_bits());
        put_u64(&mut out, d.probability.get().unwrap_or(f64::NAN).to_bits());
        put_date(&mut out, d.created);
        put_date(&mut out, d.close);
    }
    put_u32(&mut out, ds.history.len() as u32);
    for h in ds.history.iter() {
        put_u32(&mut out, h.origin.line);
        put_sym(&mut out, Some(h.deal));
        put_sym(&mut out, Some(h.stage));
        put_date(&mut out, Some(h.date));
    }
    put_u32(&mut out, ds.activities.len() as u32);
    for a in ds.activities.iter() {
        put_u32(&mut out, a.origin.line);
        for s in [Some(a.rep), Some(a.kind), a.deal, a.account, a.outcome] {
            put_sym(&mut out, s);
        }
        put_date(&mut out, Some(a.date));
        out.push(u8::from(a.minutes.is_some()));
        put_u64(&mut out, a.minutes.unwrap_or(0.0).to_bits());
    }
    put_u32(&mut out, ds.leads.len() as u32);
    for l in ds.leads.iter() {
        put_u32(&mut out, l.origin.line);
        for s in [Some(l.id), l.status, l.source, l.owner] {
            put_sym(&mut out, s);
        }
        for d in [l.mql, l.sql, l.opportunity, l.customer] {
            put_date(&mut out, d);
        }
        put_date_time(&mut out, Some(l.created));
        put_date_time(&mut out, l.first_response);
    }
    let q = &st.q;
    for n in [q.rows_read, q.rows_used, q.rows_rejected, q.blank_rows] {
        put_u32(&mut out, n);
    }
    put_u32(&mut out, q.issue_counts.len() as u32);
    for (code, n) in &q.issue_counts {
        put_str(&mut out, code);
        put_u32(&mut out, *n);
    }
    put_u32(&mut out, q.issues.len() as u32);
    for i in &q.issues {
        put_u32(&mut out, i.line);
        out.push(u8::from(i.rejected));
        put_str(&mut out, i.code);
        put_opt_str(&mut out, i.column.as_deref());
        put_opt_str(&mut out, i.value.as_deref());
        put_str(&mut out, &i.message);
    }
    put_u32(&mut out, st.counts.len() as u32);
    for c in &st.counts {
        for n in [c.point, c.comma, c.dmy, c.mdy, c.either] {
            put_u64(&mut out, n);
        }
        out.push(u8::from(c.above_one));
    }
    put_u32(&mut out, st.stage_values.len() as u32);
    for v in &st.stage_values {
        put_str(&mut out, v);
    }
    out
}

/// Reads a part's counts and texts, checked against its end.
struct PartReader<'a> {
    r: Reader<'a>,
}

impl<'a> PartReader<'a> {
    fn len(&mut self) -> Result<usize> {
        // Every item takes at least a byte: a count past the bytes left is
        // malformed, and never reserves memory it cannot fill.
        let n = self.r.u32()? as usize;
        if n > self.r.bytes.len() - self.r.at {
            return Err(bad("a count past the part's end"));
        }
        Ok(n)
    }

    /// A table's `n` rows of `size` bytes each.
    fn rows(&mut self, size: usize) -> Result<std::slice::ChunksExact<'a, u8>> {
        let n = self.len()?;
        let bytes = n
            .checked_mul(size)
            .ok_or_else(|| bad("a table past the part's end"))?;
        Ok(self.r.take(bytes)?.chunks_exact(size))
    }

    fn opt_str(&mut self) -> Result<Option<String>> {
        Ok(match self.r.u8()? {
            0 => None,
            _ => Some(self.r.str()?.to_string()),
        })
    }

    fn code(&mut self) -> Result<&'static str> {
        let s = self.r.str()?;
        crate::quality::code(s).ok_or_else(|| bad(&format!("an unknown issue code {s:?}")))
    }
}

/// One row's fields, read in order from their fixed places (the row's
/// length was checked with its table's), each checked for what it holds.
struct Fields<'a> {
    b: &'a [u8],
    at: usize,
    names: usize,
}

impl Fields<'_> {
    fn u8(&mut self) -> u8 {
        self.at += 1;
        self.b[self.at - 1]
    }

    fn u32(&mut self) -> u32 {
        let mut w = [0u8; 4];
        w.copy_from_slice(&self.b[self.at..self.at + 4]);
        self.at += 4;
        u32::from_le_bytes(w)
    }

    fn f64(&mut self) -> f64 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&self.b[self.at..self.at + 8]);
        self.at += 8;
        f64::from_bits(u64::from_le_bytes(w))
    }

    fn origin(&mut self) -> Origin {
        Origin {
            table: 0,
            line: self.u32(),
        }
    }

    fn sym(&mut self) -> Result<Option<Sym>> {
        match self.u32() as usize {
            0 => Ok(None),
            i if i <= self.names => Ok(Some(Sym::from_index(i - 1))),
            _ => Err(bad("a symbol past the part's names")),
        }
    }

    fn some_sym(&mut self) -> Result<Sym> {
        self.sym()?.ok_or_else(|| bad("a missing symbol"))
    }

    fn syms<const N: usize>(&mut self) -> Result<[Option<Sym>; N]> {
        let mut s = [None; N];
        for x in &mut s {
            *x = self.sym()?;
        }
        Ok(s)
    }

    fn date(&mut self) -> Result<Option<NaiveDate>> {
        match self.u32() as i32 {
            i32::MIN => Ok(None),
            // Years of four digits at most, as the files' dates are read.
            d => NaiveDate::from_num_days_from_ce_opt(d)
                .filter(|d| (0..=9999).contains(&d.year()))
                .map(Some)
                .ok_or_else(|| bad("a date out of range")),
        }
    }

    fn some_date(&mut self) -> Result<NaiveDate> {
        self.date()?.ok_or_else(|| bad("a missing date"))
    }

    fn date_time(&mut self) -> Result<Option<NaiveDateTime>> {
        let d = self.date()?;
        let (secs, nanos) = (self.u32(), self.u32());
        let Some(d) = d else {
            return Ok(None);
        };
        let t = NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)
            .ok_or_else(|| bad("a time out of range"))?;
        Ok(Some(d.and_time(t)))
    }

    fn opt_f64(&mut self) -> Option<f64> {
        let v = self.f64();
        (!v.is_nan()).then_some(v)
    }
}

/// Reads a part written by [`PartTyper::part`].
pub(crate) fn decode(bytes: &[u8]) -> Result<Part<'_>> {
    let mut p = PartReader {
        r: Reader { bytes, at: 0 },
    };
    if p.r.take(MAGIC.len())? != MAGIC {
        return Err(bad("not a part of this version"));
    }
    let kind = *KINDS
        .get(p.r.u8()? as usize)
        .ok_or_else(|| bad("a part of an unknown table"))?;
    let (first_line, records) = (p.r.u32()?, p.r.u32()?);
    let ends = p.rows(4)?;
    let text = p.r.str()?;
    let mut names = Vec::with_capacity(ends.len());
    let mut start = 0;
    for e in ends {
        let end = u32::from_le_bytes([e[0], e[1], e[2], e[3]]) as usize;
        // `get` checks the range and that it falls between characters.
        names.push(
            text.get(start..end)
                .ok_or_else(|| bad("a name out of its text"))?,
        );
        start = end;
    }
    let names_len = names.len();
    let fields = |b| Fields {
        b,
        at: 0,
        names: names_len,
    };
    let rows = p.rows(DEAL_BYTES)?;
    let mut deals = Vec::with_capacity(rows.len());
    for b in rows {
        let mut f = fields(b);
        let origin = f.origin();
        let [id, owner, stage, currency, account, product, region, team, source, lost_reason, lead_id] =
            f.syms()?;
        let status = match f.u8() {
            0 => Status::Won,
            1 => Status::Lost,
            2 => Status::Open,
            _ => return Err(bad("an unknown status")),
        };
        let (amount, probability) = (f.opt_f64().into(), f.opt_f64().into());
        let (created, close) = (f.date()?, f.date()?);
        deals.push(Deal {
            origin,
            id,
            owner,
            stage,
            status,
            amount,
            currency,
            created,
            close,
            account,
            product,
            region,
            team,
            source,
            probability,
            lost_reason,
            lead_id,
        });
    }
    let rows = p.rows(HISTORY_BYTES)?;
    let mut history = Vec::with_capacity(rows.len());
    for b in rows {
        let mut f = fields(b);
        history.push(StageEntry {
            origin: f.origin(),
            deal: f.some_sym()?,
            stage: f.some_sym()?,
            date: f.some_date()?,
        });
    }
    let rows = p.rows(ACTIVITY_BYTES)?;
    let mut activities = Vec::with_capacity(rows.len());
    for b in rows {
        let mut f = fields(b);
        let origin = f.origin();
        let (rep, kind) = (f.some_sym()?, f.some_sym()?);
        let [deal, account, outcome] = f.syms()?;
        let date = f.some_date()?;
        let some = f.u8() != 0;
        let minutes = f.f64();
        activities.push(Activity {
            origin,
            rep,
            kind,
            date,
            minutes: some.then_some(minutes),
            deal,
            account,
            outcome,
        });
    }
    let rows = p.rows(LEAD_BYTES)?;
    let mut leads = Vec::with_capacity(rows.len());
    for b in rows {
        let mut f = fields(b);
        let origin = f.origin();
        let id = f.some_sym()?;
        let [status, source, owner] = f.syms()?;
        let (mql, sql, opportunity, customer) = (f.date()?, f.date()?, f.date()?, f.date()?);
        let created = f
            .date_time()?
            .ok_or_else(|| bad("a lead without its created time"))?;
        leads.push(Lead {
            origin,
            id,
            created,
            status,
            mql,
            sql,
            opportunity,
            customer,
            source,
            owner,
            first_response: f.date_time()?,
        });
    }
    let mut q = TableQuality::new("", None);
    q.rows_read = p.r.u32()?;
    q.rows_used = p.r.u32()?;
    q.rows_rejected = p.r.u32()?;
    q.blank_rows = p.r.u32()?;
    for _ in 0..p.len()? {
        let code = p.code()?;
        q.issue_counts.insert(code, p.r.u32()?);
    }
    let n = p.len()?;
    q.issues.reserve(n);
    for _ in 0..n {
        let line = p.r.u32()?;
        let rejected = p.r.u8()? != 0;
        q.issues.push(Issue {
            line,
            rejected,
            code: p.code()?,
            column: p.opt_str()?,
            value: p.opt_str()?,
            message: p.r.str()?.to_string(),
        });
    }
    let n = p.len()?;
    let mut counts = Vec::with_capacity(n);
    for _ in 0..n {
        let mut w = [0u64; 5];
        for x in &mut w {
            *x = p.r.u64()?;
        }
        let [point, comma, dmy, mdy, either] = w;
        counts.push(StyleCounts {
            point,
            comma,
            above_one: p.r.u8()? != 0,
            dmy,
            mdy,
            either,
        });
    }
    let n = p.len()?;
    let mut stage_values = Vec::with_capacity(n);
    for _ in 0..n {
        stage_values.push(p.r.str()?.to_string());
    }
    if p.r.at != bytes.len() {
        return Err(bad("bytes after the part's end"));
    }
    Ok(Part {
        kind,
        first_line,
        records,
        names,
        deals,
        history,
        activities,
        leads,
        state: PartState {
            q,
            counts,
            stage_values,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_reads_back_as_written_and_a_cut_one_is_refused() {
        let mut overrides = BTreeMap::new();
        overrides.insert("amount".to_string(), Some("Deal Value (€)".to_string()));
        overrides.insert("owner".to_string(), None);
        let plan = Plan {
            file: "pipeline – Q1.csv".into(),
            kind: Some(Kind::Deals),
            overrides,
        };
        let bytes = plan.to_bytes();
        assert_eq!(Plan::from_bytes(&bytes).unwrap(), plan);
        let none = Plan {
            kind: None,
            overrides: BTreeMap::new(),
            ..plan.clone()
        };
        assert_eq!(Plan::from_bytes(&none.to_bytes()).unwrap(), none);
        for cut in [0, 3, bytes.len() - 1] {
            let e = Plan::from_bytes(&bytes[..cut]).unwrap_err();
            assert!(e.to_string().contains("malformed"), "{e}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Plan::from_bytes(&longer).is_err());
    }
}
