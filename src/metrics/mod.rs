//! The metric families, one file each, over a shared [`Context`]: the
//! resolved query, each deal's combination of group keys (owner, team and
//! region from the roster when the deal has none, product, source) and
//! value in the report currency, and the filters already applied.

pub mod activities;
pub mod combos;
pub mod deals;
pub mod funnel;
pub mod kept;
pub mod leads;
pub mod pipeline;
pub mod quota;
pub mod stages;
pub mod stats;
pub mod territory;

use crate::period::Calendar;
use crate::query::Query;
use crate::report::{CurrencyCount, Note};
use crate::rows_order::map_of;
use crate::schema::Kind;
use crate::tables::{product_key, Dataset, Deal, FastMap, Rows, Status, Sym};
use chrono::NaiveDate;
use combos::Combos;
use kept::{KeptBuilder, KeptFacts};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// How much of a report is worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every section.
    Whole,
    /// The resolved query and the summary; every other section is left
    /// empty, and the notes and data quality too. The summary's figures
    /// are the whole report's: only what feeds none of them is skipped
    /// (the series, the breakdowns' rows, the stalled deals' list, leads,
    /// territories, the activities' lists, the time-in-stage samples), and
    /// the JSON handed over is a few hundred bytes where a report at a
    /// million deals is two megabytes.
    Summary,
}

/// How a deal is valued in the report currency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Money {
    /// Its amount (converted when needed).
    Amount(f64),
    /// No amount: its product's list price.
    ListPrice(f64),
    /// No amount and no list price.
    Missing,
    /// In a currency with no rate to the report currency.
    NoRate,
}

impl Money {
    /// The value, when there is one.
    pub fn value(self) -> Option<f64> {
        match self {
            Money::Amount(v) | Money::ListPrice(v) => Some(v),
            _ => None,
        }
    }
}

/// A deal as the metrics see it: its row, its combination and how it is
/// valued, in 8 bytes in WebAssembly.
///
/// # Why
/// Every report walks a view per deal several times, and the first report
/// at a million deals holds a million of them while it runs: what they
/// take is the tab's memory from then on (WebAssembly memory never
/// shrinks). A view does not keep its value: the amount is on the row,
/// read beside it anyway, and the rest is in the report's [`Pricing`]
/// (the rate of a converted amount, by slot; the list price by the
/// combination, whose product sets it), so the value is the same float as
/// when it was worked out once. It was 16 bytes with the value beside the
/// tag (24 with the team and region as symbols).
#[derive(Debug, Clone, Copy)]
pub struct DealView<'a> {
    /// The row.
    pub deal: &'a Deal,
    /// The deal's combination ([`Combos`]) shifted left by [`KIND_BITS`],
    /// how it is valued (a [`Valuing`]) in the low bits.
    tag: u32,
}

// The point of the packing: a pointer and the tag.
const _: () = assert!(
    std::mem::size_of::<DealView<'static>>()
        == if cfg!(target_pointer_width = "32") {
            8
        } else {
            16
        }
);

/// Bits of a [`DealView`]'s tag that say how it is valued.
const KIND_BITS: u32 = 5;

/// How a deal is valued, in a [`DealView`]'s low bits: its amount as
/// written, a list price, none, or its amount at the rate of slot
/// `k - CONVERTED` ([`Pricing`]), or at its currency's rate found by the
/// deal's labels past the slots.
type Valuing = u32;
const AMOUNT: Valuing = 0;
const LIST_PRICE: Valuing = 1;
const MISSING: Valuing = 2;
const NO_RATE: Valuing = 3;
const CONVERTED: Valuing = 4;
const BY_SYMBOL: Valuing = (1 << KIND_BITS) - 1;

/// What a report values its deals with besides their rows (see
/// [`DealView`]).
#[derive(Debug, Default, Clone)]
pub struct Pricing {
    /// The currencies given a slot, and their rates, in the order first met.
    slots: Vec<(Sym, f64)>,
    /// Rates of the currencies past the slots, by the labels (whose
    /// currency it is) of the deals in them.
    by_labels: FastMap<u32, f64>,
    /// Per combination, its product's list price, for the deals valued at it.
    list: Vec<f64>,
}

impl Pricing {
    /// The valuing of an amount in currency `c`, converted at `rate`, of a
    /// deal whose labels are numbered `labels`.
    fn converted(&mut self, c: Sym, rate: f64, labels: u32) -> Valuing {
        let at = match self.slots.iter().position(|&(s, _)| s == c) {
            Some(at) => at,
            None => {
                self.slots.push((c, rate));
                self.slots.len() - 1
            }
        };
        match CONVERTED + at as u32 {
            k if k < BY_SYMBOL => k,
            _ => {
                self.by_labels.insert(labels, rate);
                BY_SYMBOL
            }
        }
    }

    /// Notes the list price of combination `combo`'s product.
    fn list_price(&mut self, combo: u32, price: f64) {
        let i = combo as usize;
        if self.list.len() <= i {
            self.list.resize(i + 1, 0.0);
        }
        self.list[i] = price;
    }
}

impl<'a> DealView<'a> {
    /// The view of `deal`, of combination `combo`, valued as `valuing`.
    fn new(deal: &'a Deal, combo: u32, valuing: Valuing) -> Self {
        // Combinations are fewer than deals, and a dataset holds far fewer
        // than 2^27 deals (their rows alone would be 9 GiB; the browser
        // holds 1.75 GiB of rows at most).
        debug_assert!(combo < 1 << (32 - KIND_BITS));
        DealView {
            deal,
            tag: combo << KIND_BITS | valuing,
        }
    }

    /// The deal's combination of group keys (see [`Context::keys`]).
    #[inline]
    pub fn combo(&self) -> u32 {
        self.tag >> KIND_BITS
    }

    /// Its value in the report currency, as `pricing` (its report's) has it.
    #[inline]
    pub fn money(&self, pricing: &Pricing) -> Money {
        // The amount is there for the kinds that read it (see `value_deals`).
        let amount = || self.deal.amount.get().unwrap_or_default();
        match self.tag & BY_SYMBOL {
            AMOUNT => Money::Amount(amount()),
            LIST_PRICE => Money::ListPrice(
                pricing
                    .list
                    .get(self.combo() as usize)
                    .copied()
                    .unwrap_or_default(),
            ),
            MISSING => Money::Missing,
            NO_RATE => Money::NoRate,
            BY_SYMBOL => {
                let rate = pricing
                    .by_labels
                    .get(&self.deal.labels)
                    .copied()
                    .unwrap_or_default();
                Money::Amount(amount() * rate)
            }
            k => {
                let rate = pricing
                    .slots
                    .get((k - CONVERTED) as usize)
                    .map_or(0.0, |s| s.1);
                Money::Amount(amount() * rate)
            }
        }
    }

    /// Its value in the report currency, when it has one.
    #[inline]
    pub fn value(&self, pricing: &Pricing) -> Option<f64> {
        match self.tag & BY_SYMBOL {
            // The common case first: no lookup, no branch on the kind's
            // others.
            AMOUNT => self.deal.amount.get(),
            MISSING | NO_RATE => None,
            _ => self.money(pricing).value(),
        }
    }

    /// Whether the deal closed (won or lost) inside `[from, to]`.
    #[inline]
    pub fn closed_in(&self, from: NaiveDate, to: NaiveDate) -> bool {
        closed_in(self.deal, from, to)
    }

    /// Whether the deal was open on `as_of`: created by then (or undated)
    /// and not closed by then.
    #[inline]
    pub fn open_on(&self, as_of: NaiveDate) -> bool {
        open_on(self.deal, as_of)
    }
}

/// Whether `deal` closed (won or lost) inside `[from, to]`.
#[inline]
fn closed_in(deal: &Deal, from: NaiveDate, to: NaiveDate) -> bool {
    deal.status() != Status::Open && deal.close.is_some_and(|c| c >= from && c <= to)
}

/// Whether `deal` was open on `as_of`.
#[inline]
fn open_on(deal: &Deal, as_of: NaiveDate) -> bool {
    let created = deal.created.is_none_or(|c| c <= as_of);
    let still_open = match deal.status() {
        Status::Open => true,
        _ => deal.close.is_some_and(|c| c > as_of),
    };
    created && still_open
}

/// Whether `deal` adds to a report on `[from, to]` as of `as_of`: closed
/// or created in the range, or open as of `as_of`.
#[inline]
fn counts_in(deal: &Deal, from: NaiveDate, to: NaiveDate, as_of: NaiveDate) -> bool {
    closed_in(deal, from, to)
        || open_on(deal, as_of)
        || deal.created.is_some_and(|c| c >= from && c <= to)
}

/// Everything a metric family needs.
pub struct Context<'a> {
    /// The tables.
    pub data: &'a Dataset,
    /// First day of the range.
    pub from: NaiveDate,
    /// Last day of the range.
    pub to: NaiveDate,
    /// "Today".
    pub as_of: NaiveDate,
    /// The calendar for series.
    pub calendar: Calendar,
    /// The query as asked.
    pub query: &'a Query,
    /// Deals passing the filters that add to this report: closed or
    /// created in the range, or open as of `asOf` ([`Context::relevant`]);
    /// what every kept deal says whatever the range is in `kept`. One
    /// vector or a tag a row, not chunks: chunked views fitted in the room
    /// reading left free, but every pass walking them was a tenth slower
    /// with a filter on.
    pub deals: Views<'a>,
    /// What `deals` are valued with besides their rows ([`DealView::value`]).
    pub pricing: Pricing,
    /// The range-free facts of every deal passing the filters.
    pub kept: Arc<KeptFacts>,
    /// Copies of the rows of the first of `deals`, up to half as many as
    /// all deals, made while valuing them (see [`Context::kept_rows`]).
    copied: Option<Rows<Deal>>,
    /// Roster entry of each rep.
    pub roster: FastMap<Sym, &'a crate::tables::Rep>,
    /// Each deal's combination of group keys (see [`Context::keys`]).
    pub combos: Arc<Combos>,
    /// The report currency.
    pub currency: Option<String>,
    /// Currency counts for the data-quality section.
    pub currencies: Vec<CurrencyCount>,
    /// Notes collected while computing.
    pub notes: Vec<Note>,
}

/// The most [`Context::kept_rows`] copies: 256 MiB, 3.3 million deals.
pub const MAX_COPY_BYTES: usize = 256 << 20;

/// Deals per call of [`in_slices`]'s function.
const SLICE: usize = 8192;

/// Runs `f` over `items` a slice at a time, each slice in a call of its
/// own. The browser runs a call of a wasm function wholly in the code it
/// entered with: one call over a million deals ran the first report on the
/// baseline compilation from start to end, where with slices the optimised
/// code takes over after the first few (the optimising compiler works in
/// the background meanwhile).
pub(crate) fn in_slices<'r, T>(items: &'r [T], mut f: impl FnMut(&'r [T])) {
    #[inline(never)]
    fn one<'r, T>(f: &mut impl FnMut(&'r [T]), slice: &'r [T]) {
        f(slice)
    }
    for slice in items.chunks(SLICE) {
        one(&mut f, slice);
    }
}

/// A report's deals, a [`DealView`] each: listed, or for a report on
/// every deal (no filter, the whole range) a tag a row.
///
/// # Why two forms
/// A first report on a million deals added its views (8 bytes each in
/// wasm, 8 MB in one vector) on top of what reading had left, and that
/// set wasm memory's high-water mark: 54 MiB after the 1M file's report,
/// 42 % of the file. On the whole range with no filter nearly every deal
/// counts, in the table's order, so a view's row is its place: the tags
/// alone (4 bytes, [`SKIP`] for a deal that does not count) say the rest,
/// and each pass builds its slice's views as it goes, into a buffer the
/// cache holds. A filter or a shorter range lists its views (fewer deals,
/// and their rows may be copies: see [`Context::kept_rows`]).
pub struct Views<'a> {
    len: usize,
    form: Form<'a>,
}

enum Form<'a> {
    Listed(Vec<DealView<'a>>),
    Tagged {
        rows: &'a Rows<Deal>,
        tags: Vec<u32>,
    },
}

/// A tag for a row that is no view. No view's tag is this: a combination's
/// number is below `2^27 - 1` (checked before tags are chosen).
const SKIP: u32 = u32::MAX;

impl<'a> Views<'a> {
    /// The views listed.
    fn listed(views: Vec<DealView<'a>>) -> Self {
        Views {
            len: views.len(),
            form: Form::Listed(views),
        }
    }

    /// How many deals.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Runs `f` over the views, a slice of at most [`SLICE`] at a time, each
    /// in a call of its own (see [`in_slices`]).
    pub fn slices(&self, mut f: impl FnMut(&[DealView<'a>])) {
        match &self.form {
            Form::Listed(views) => in_slices(views, f),
            Form::Tagged { rows, tags } => {
                // A slice's views built in one call of their own too: one
                // call over every row would run on the baseline code.
                #[inline(never)]
                fn build<'a>(
                    rows: &'a [Deal],
                    tags: &[u32],
                    buf: &mut Vec<DealView<'a>>,
                    f: &mut impl FnMut(&[DealView<'a>]),
                ) {
                    buf.clear();
                    let views = rows
                        .iter()
                        .zip(tags)
                        .map(|(deal, &tag)| DealView { deal, tag });
                    // On the whole range nearly every deal counts: a slice
                    // with none to skip is copied without a test a row.
                    if tags.iter().all(|&t| t != SKIP) {
                        buf.extend(views);
                    } else {
                        buf.extend(views.filter(|v| v.tag != SKIP));
                    }
                    f(buf);
                }
                let mut buf = Vec::with_capacity(SLICE.min(self.len));
                let mut at = 0;
                for chunk in rows.slices() {
                    for part in chunk.chunks(SLICE) {
                        let of = tags.get(at..at + part.len()).unwrap_or_default();
                        at += part.len();
                        build(part, of, &mut buf, &mut f);
                    }
                }
            }
        }
    }

    /// Runs `f` over the views a part of [`PART`] at a time, in calls of
    /// [`Views::slices`]. Families that only count the deals are given each
    /// part in turn, so each deal's view and row are read from memory once
    /// for all of them: the report's passes stream more bytes than the
    /// cache holds, and a pass of their own each re-read every deal from
    /// memory.
    pub fn walk(&self, mut f: impl FnMut(&[DealView<'a>])) {
        self.slices(|slice| {
            for part in slice.chunks(PART) {
                f(part);
            }
        });
    }
}

/// [`in_slices`] over a table's rows, slice by slice as they are kept.
pub(crate) fn rows_in_slices<'r, T>(rows: &'r Rows<T>, mut f: impl FnMut(&'r [T])) {
    for chunk in rows.slices() {
        in_slices(chunk, &mut f);
    }
}

/// [`rows_in_slices`] with each row's fact: `facts` holds one per row, in
/// the table's order (facts kept per dataset, see [`DatasetFacts`]).
pub(crate) fn rows_with_facts<'r, 'f, T, F>(
    rows: &'r Rows<T>,
    facts: &'f [F],
    mut f: impl FnMut(&'r T, &'f F),
) {
    let mut at = 0;
    rows_in_slices(rows, |slice| {
        // Facts of another dataset would be a bug (they are dropped with
        // it): never a panic over it.
        let of = facts.get(at..at + slice.len()).unwrap_or_default();
        debug_assert_eq!(of.len(), slice.len());
        at += slice.len();
        for (row, fact) in slice.iter().zip(of) {
            f(row, fact);
        }
    });
}

/// Deals per part in [`Views::walk`]: the views and rows of a thousand
/// deals (about 100 KB) stay in the core's own cache while every family
/// reads them.
const PART: usize = 1024;

/// The earliest and latest event dates (SPEC §3): deals created, deals won
/// or lost, stages entered, activities, lead dates. Expected close dates of
/// open deals are not events.
pub fn event_range(ds: &Dataset) -> Option<(NaiveDate, NaiveDate)> {
    let mut range = EventRange::default();
    // In slices (see `in_slices`): the first report calls this once.
    rows_in_slices(&ds.deals, |slice| slice.iter().for_each(|d| range.deal(d)));
    range.others(ds)
}

/// [`event_range`] gathered a date at a time, so that the deals' dates can
/// be seen in a pass that reads every deal for more (see
/// [`DatasetFacts::of`]).
#[derive(Default)]
struct EventRange {
    lo: Option<NaiveDate>,
    hi: Option<NaiveDate>,
}

impl EventRange {
    #[inline]
    fn see(&mut self, d: NaiveDate) {
        self.lo = Some(self.lo.map_or(d, |l| l.min(d)));
        self.hi = Some(self.hi.map_or(d, |h| h.max(d)));
    }

    /// A deal's events: created, and closed when won or lost.
    #[inline]
    fn deal(&mut self, d: &Deal) {
        if let Some(c) = d.created {
            self.see(c);
        }
        if d.status() != Status::Open {
            if let Some(c) = d.close {
                self.see(c);
            }
        }
    }

    /// The range, once the deals were seen, with every other table's
    /// dates.
    fn others(mut self, ds: &Dataset) -> Option<(NaiveDate, NaiveDate)> {
        rows_in_slices(&ds.history, |s| s.iter().for_each(|h| self.see(h.date)));
        rows_in_slices(&ds.activities, |s| s.iter().for_each(|a| self.see(a.date)));
        rows_in_slices(&ds.leads, |slice| {
            for l in slice {
                self.see(l.created.date());
                for d in [l.mql, l.sql, l.opportunity, l.customer]
                    .into_iter()
                    .flatten()
                {
                    self.see(d);
                }
            }
        });
        self.lo.zip(self.hi)
    }
}

/// What every report needs to know of a dataset whatever the query: worked
/// out once per dataset (see [`crate::Workbook`]), not on every filter or
/// range change (two passes over every deal, a tenth of a report).
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetFacts {
    /// The first and last event dates ([`event_range`]).
    pub event_range: Option<(NaiveDate, NaiveDate)>,
    /// How many deals give each currency, by symbol.
    pub currency_counts: Vec<(Sym, u32)>,
    /// Every deal's stage history ([`stages::histories`]): the same for
    /// every report, and building it again (a vector per deal, made and
    /// freed) was a fifth of a range change's report on the full demo set.
    pub hist: stages::Histories,
    /// The activities' types and whether any names a deal.
    pub activities: activities::ActivityFacts,
    /// What each lead reached.
    pub leads: leads::LeadFacts,
    /// Each deal's combination of group keys.
    pub combos: Arc<Combos>,
}

impl DatasetFacts {
    /// The facts of `data`.
    pub fn of(data: &Dataset) -> Self {
        // One pass over the deals for their currencies and dates (three
        // passes, with the combinations then numbered per deal, were a
        // fifth of the first report at a million deals; the combinations
        // are now found per set of keys). Deals come in runs of one
        // currency: each run is counted in the map once, not each deal.
        let mut by_sym: FastMap<Sym, u32> = FastMap::default();
        let mut run: (Option<Sym>, u32) = (None, 0);
        let mut range = EventRange::default();
        rows_in_slices(&data.deals, |slice| {
            for d in slice {
                range.deal(d);
                let currency = data.currency_of(d);
                if currency == run.0 {
                    run.1 += 1;
                } else {
                    if let (Some(c), n) = run {
                        *by_sym.entry(c).or_insert(0) += n;
                    }
                    run = (currency, 1);
                }
            }
        });
        let combos = Combos::of(data);
        if let (Some(c), n) = run {
            *by_sym.entry(c).or_insert(0) += n;
        }
        let mut currency_counts: Vec<(Sym, u32)> = by_sym.into_iter().collect();
        currency_counts.sort_unstable();
        DatasetFacts {
            event_range: range.others(data),
            currency_counts,
            hist: stages::histories(data),
            activities: activities::ActivityFacts::of(data),
            leads: leads::LeadFacts::of(data),
            combos: Arc::new(combos),
        }
    }
}

impl<'a> Context<'a> {
    /// Builds the context; `None` when the data has no event date at all.
    pub fn new(data: &'a Dataset, query: &'a Query) -> Option<Self> {
        Self::with_facts(data, &DatasetFacts::of(data), None, query)
    }

    /// [`Context::new`] with the dataset's facts worked out beforehand, and
    /// the kept deals' facts of an earlier report, used when they are this
    /// query's (same filters and currency) and worked out again otherwise.
    pub fn with_facts(
        data: &'a Dataset,
        facts: &DatasetFacts,
        kept: Option<Arc<KeptFacts>>,
        query: &'a Query,
    ) -> Option<Self> {
        let (first, last) = facts.event_range?;
        let as_of = query.as_of.unwrap_or(last);
        let to = query.to.unwrap_or(as_of);
        let from = query.from.unwrap_or(first.min(to));
        let calendar = Calendar {
            granularity: query.granularity,
            fy_start: query.fiscal_year_start_month.unwrap_or(1),
        };
        let roster: FastMap<Sym, &crate::tables::Rep> =
            data.reps.iter().map(|r| (r.rep, r)).collect();
        let whole = from <= first && to >= last;
        let valued = value_deals(
            data,
            query,
            [from, to, as_of],
            &facts.currency_counts,
            &facts.combos,
            kept,
            whole,
        );
        Some(Context {
            data,
            from,
            to,
            as_of,
            calendar,
            query,
            deals: valued.deals,
            pricing: valued.pricing,
            kept: valued.kept,
            copied: valued.copied,
            roster,
            combos: Arc::clone(&facts.combos),
            currency: valued.currency,
            currencies: valued.currencies,
            notes: valued.notes,
        })
    }

    /// Copies of the rows of this report's deals, at most half as many as
    /// all deals, from the first on, for [`Context::rebase`].
    ///
    /// # Why
    /// Every metric family walks the deals again. With a filter, the rows
    /// kept are scattered through the table and each pass missed the cache
    /// on nearly every deal: a rep filter keeping 145k of 1M deals cost 108
    /// ms, close to the 134 ms of the whole report. Copied once into one
    /// contiguous array, the same report takes 38 ms. Without a filter the
    /// rows are already contiguous, and a copy would only cost memory. A
    /// range leaves out deals too: a month's report at a million deals
    /// keeps a third of them (its open deals are spread through the
    /// table), and it took 35 ms natively with the copy, 77 without.
    ///
    /// The rows are copied while the deals are valued, when each row was
    /// just read (see [`value_deals`]); gathered afterwards, the
    /// month's copy alone took 11.6 ms in wasm. Only a report that made no
    /// copy then (no filter, the whole range: nearly every deal counts)
    /// gathers them here, when they are at most half after all (an `asOf`
    /// before the last event).
    ///
    /// The copy is at most [`MAX_COPY_BYTES`]: near the browser's 4 GiB a
    /// copy of half of 15 million deals would not fit beside them.
    pub fn kept_rows(&mut self) -> Option<Rows<Deal>> {
        if let Some(rows) = self.copied.take() {
            return Some(rows);
        }
        (self.deals.len() <= copy_limit(self.data)).then(|| {
            let mut rows = Rows::default();
            self.deals
                .slices(|slice| slice.iter().for_each(|d| rows.push(*d.deal)));
            rows
        })
    }

    /// Points each deal with a copy in `rows` (from [`Context::kept_rows`],
    /// in the same order, the first ones) at it: the views are listed from
    /// then on.
    pub fn rebase(&mut self, rows: &'a Rows<Deal>) {
        let mut views = Vec::with_capacity(self.deals.len());
        let mut copies = rows.iter();
        self.deals.slices(|slice| {
            for d in slice {
                let deal = copies.next().unwrap_or(d.deal);
                views.push(DealView { deal, tag: d.tag });
            }
        });
        self.deals = Views::listed(views);
    }

    /// Adds a note.
    pub fn note(&mut self, metric: &str, message: impl Into<String>) {
        self.notes.push(Note {
            metric: metric.to_string(),
            message: message.into(),
        });
    }

    /// The name of a symbol.
    pub fn name(&self, s: Sym) -> Cow<'a, str> {
        self.data.names.get(s)
    }

    fn passes(&self, values: &[String], key: Option<Sym>) -> bool {
        values.is_empty() || key.is_some_and(|k| values.iter().any(|v| *v == self.name(k)))
    }

    /// Whether a rep's roster team and region pass the rep/team/region filters.
    pub fn rep_passes(&self, rep: Sym) -> bool {
        let f = &self.query.filters;
        let r = self.roster.get(&rep);
        self.passes(&f.rep, Some(rep))
            && self.passes(&f.team, r.and_then(|r| r.team))
            && self.passes(&f.region, r.and_then(|r| r.region))
    }

    /// Whether a deal matters to this report: closed in range, open as of
    /// `asOf`, or created in range (an owner of old deals only is not one
    /// of this report's reps).
    pub fn relevant(&self, d: &DealView<'_>) -> bool {
        counts_in(d.deal, self.from, self.to, self.as_of)
    }

    /// A deal's group keys: owner, team and region (the deal's, else its
    /// owner's roster entry's), product, source (indexed by
    /// [`Combos::OWNER`] …).
    #[inline]
    pub fn keys(&self, d: &DealView<'_>) -> &combos::Keys {
        self.combos.keys(d.combo())
    }

    /// Whether a table of `kind` was loaded.
    pub fn has(&self, kind: Kind) -> bool {
        self.data.present.contains(&kind)
    }
}

/// The deals that pass the filters and add to the report on `[from, to]`
/// as of `as_of`, valued in the report currency; the kept deals' facts
/// (`kept` when they are this query's, else worked out in the same scan);
/// the copies of their rows (see [`Context::kept_rows`]); the currency
/// figures and notes.
fn value_deals<'a>(
    data: &'a Dataset,
    query: &Query,
    [from, to, as_of]: [NaiveDate; 3],
    currency_counts: &[(Sym, u32)],
    combos: &Combos,
    kept: Option<Arc<KeptFacts>>,
    whole: bool,
) -> Valued<'a> {
    let mut notes = Vec::new();
    // The report currency: asked for, else the most frequent on deals.
    let counts: BTreeMap<Cow<'_, str>, u32> =
        map_of(currency_counts.iter().map(|&(c, n)| (data.names.get(c), n)));
    let currency = query
        .currency
        .as_ref()
        .map(|c| c.trim().to_uppercase())
        .or_else(|| {
            counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(c, _)| c.to_string())
        });
    let rates: HashMap<Cow<'_, str>, f64> = data
        .fx
        .iter()
        .map(|f| (data.names.get(f.currency), f.rate))
        .collect();
    let prices: HashMap<String, f64> = data
        .products
        .iter()
        .map(|p| (product_key(&data.names.get(p.name)), p.price))
        .collect();
    let currencies = counts
        .iter()
        .map(|(c, n)| CurrencyCount {
            currency: c.to_string(),
            deals: *n,
            rate: if Some(&**c) == currency.as_deref() {
                None
            } else {
                rates.get(c).copied()
            },
        })
        .collect();
    if counts.len() > 1 {
        let missing: Vec<&str> = counts
            .keys()
            .map(|c| &**c)
            .filter(|&c| Some(c) != currency.as_deref() && !rates.contains_key(c))
            .collect();
        if !missing.is_empty() {
            notes.push(Note {
                metric: "dataQuality.currencies".to_string(),
                message: format!(
                    "deals in {} have no exchange rate to {}; they count in deal counts and rates but not in money figures (add an fx_rates table to include them)",
                    missing.join(", "),
                    currency.as_deref().unwrap_or("the report currency")
                ),
            });
        }
    }
    // Per-deal lookups by symbol, not by string.
    let report_sym = currency.as_deref().and_then(|c| data.names.lookup(c));
    let rate_of: FastMap<Sym, f64> = data.fx.iter().map(|f| (f.currency, f.rate)).collect();
    let mut price_of: FastMap<Sym, Option<f64>> = FastMap::default();
    // Each filter's values as symbols, once: one string is one symbol,
    // so comparing symbols is comparing names (a name no file has
    // matches nothing), without a string compare per deal.
    let f = &query.filters;
    let wanted = |values: &[String]| -> Option<Vec<Sym>> {
        (!values.is_empty()).then(|| values.iter().filter_map(|v| data.names.lookup(v)).collect())
    };
    let passes = |set: &Option<Vec<Sym>>, key: Option<Sym>| match set {
        None => true,
        Some(set) => key.is_some_and(|k| set.contains(&k)),
    };
    let [rep, team_f, region_f, product, source] =
        [&f.rep, &f.team, &f.region, &f.product, &f.source].map(|v| wanted(v));
    // Whether each combination of group keys passes the filters: checked
    // once per combination, not per deal.
    let kept_combo: Vec<bool> = combos
        .all()
        .iter()
        .map(|k| {
            passes(&rep, k[Combos::OWNER])
                && passes(&team_f, k[Combos::TEAM])
                && passes(&region_f, k[Combos::REGION])
                && passes(&product, k[Combos::PRODUCT])
                && passes(&source, k[Combos::SOURCE])
        })
        .collect();
    // The kept deals' facts as known, or gathered in this pass.
    let mut kept: Result<Arc<KeptFacts>, KeptBuilder> = kept
        .filter(|k| k.is_for(f, currency.as_deref()))
        .ok_or_else(|| KeptBuilder::for_quotas(data));
    let mut pricing = Pricing::default();
    // The rows are copied as they are read (see `kept_rows`) when this
    // report may keep at most half of the deals: with a filter, or on
    // less than the whole range of events (on all of it every deal
    // counts). Past half, the copy stops and the later deals' rows stay
    // in the table (where a report keeping more than half of them finds
    // them close together anyway).
    let limit = copy_limit(data);
    let filtered = [&f.rep, &f.team, &f.region, &f.product, &f.source]
        .iter()
        .any(|v| !v.is_empty());
    let mut copied = (filtered || !whole).then(Rows::default);
    // With no copy (no filter, the whole range), a tag a row (see
    // `Views`), when no combination's number could be mistaken for `SKIP`.
    let tagged = copied.is_none() && combos.all().len() < (SKIP >> KIND_BITS) as usize;
    // Room for every deal, as the first report (on the whole range)
    // needed: the memory is already the module's, and a vector grown by
    // doubling would copy itself and leave its old blocks behind.
    let (mut listed, mut tags) = if tagged {
        (Vec::new(), Vec::with_capacity(data.deals.len()))
    } else {
        (Vec::with_capacity(data.deals.len()), Vec::new())
    };
    let mut tagged_views = 0;
    let mut at = 0;
    // In slices (see `in_slices`): one call over every deal ran the first
    // report's valuing on the baseline code throughout.
    rows_in_slices(&data.deals, |slice| {
        let first = at;
        at += slice.len();
        for (i, deal) in slice.iter().enumerate() {
            let view = 'view: {
                // Known kept facts leave only the deals that add to this range
                // to value, and most deals of a short range do not.
                let counts = counts_in(deal, from, to, as_of);
                if !counts && kept.is_ok() {
                    break 'view None;
                }
                let combo = combos.of_deal(deal);
                if !kept_combo.get(combo as usize).copied().unwrap_or(false) {
                    break 'view None;
                }
                let labels = data.labels_of(deal);
                let (money, valuing) = match deal.amount.get() {
                    Some(a) => match labels.currency {
                        None => (Money::Amount(a), AMOUNT),
                        Some(c) if Some(c) == report_sym => (Money::Amount(a), AMOUNT),
                        Some(c) => match rate_of.get(&c) {
                            Some(&r) => {
                                (Money::Amount(a * r), pricing.converted(c, r, deal.labels))
                            }
                            None => (Money::NoRate, NO_RATE),
                        },
                    },
                    None => match combos.keys(combo)[Combos::PRODUCT].and_then(|p| {
                        *price_of.entry(p).or_insert_with(|| {
                            prices.get(&product_key(&data.names.get(p))).copied()
                        })
                    }) {
                        Some(p) => {
                            // A combination has one product, so one price.
                            pricing.list_price(combo, p);
                            (Money::ListPrice(p), LIST_PRICE)
                        }
                        None => (Money::Missing, MISSING),
                    },
                };
                if let Err(b) = &mut kept {
                    b.add(deal, combo, combos.keys(combo), labels, money, || {
                        data.deal_origin(first + i, deal)
                    });
                }
                counts.then(|| DealView::new(deal, combo, valuing))
            };
            match view {
                Some(v) if tagged => {
                    tags.push(v.tag);
                    tagged_views += 1;
                }
                Some(v) => {
                    listed.push(v);
                    if let Some(c) = copied.as_mut().filter(|c| c.len() < limit) {
                        c.push(*deal);
                    }
                }
                None if tagged => tags.push(SKIP),
                None => {}
            }
        }
    });
    let deals = if tagged {
        Views {
            len: tagged_views,
            form: Form::Tagged {
                rows: &data.deals,
                tags,
            },
        }
    } else {
        Views::listed(listed)
    };
    Valued {
        deals,
        pricing,
        kept: kept.unwrap_or_else(|b| Arc::new(b.finish(f, currency.as_deref()))),
        copied,
        currency,
        currencies,
        notes,
    }
}

/// What [`value_deals`] gives a new context.
struct Valued<'a> {
    deals: Views<'a>,
    pricing: Pricing,
    kept: Arc<KeptFacts>,
    copied: Option<Rows<Deal>>,
    currency: Option<String>,
    currencies: Vec<CurrencyCount>,
    notes: Vec<Note>,
}

/// The most deals whose rows [`Context::kept_rows`] copies: half of all,
/// and no more than [`MAX_COPY_BYTES`].
fn copy_limit(data: &Dataset) -> usize {
    (data.deals.len() / 2).min(MAX_COPY_BYTES / std::mem::size_of::<Deal>())
}
