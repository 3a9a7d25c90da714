//! What the deals a filter keeps say whatever the report's range: the
//! groups of each breakdown, the stages in play, the won deals a quota
//! period counts, and how their values were found. Worked out once per
//! filter and report currency and kept beside the dataset.
//!
//! # Why
//! Most deals play no part in a report on a month or a quarter: only those
//! closed or created in the range, or open as of `asOf`, add to a figure
//! (SPEC §3). But a breakdown still lists every group the filter keeps (a
//! rep whose deals are all older has a row, with zeros), the stage order
//! is read from every kept deal's stage and probability, a quota period
//! reaches past the range, and the data-quality counts cover every kept
//! deal. With these worked out once, a report builds views of, and walks,
//! only the deals that count in it: a range change no longer walks a
//! million deals eight times over.

use super::combos::Keys;
use super::quota::WonDeals;
use super::stages::StageOrder;
use super::Money;
use crate::query::Filters;
use crate::tables::key_sets::Labels;
use crate::tables::slots::Slots;
use crate::tables::{Dataset, Deal, Origin, Status, Sym};
use std::sync::OnceLock;

/// The range-free facts of the deals one filter keeps.
#[derive(Debug)]
pub struct KeptFacts {
    /// The filters and report currency they were worked out for.
    filters: Filters,
    currency: Option<String>,
    /// Each breakdown's keys (owner, team, region, product, source), in
    /// the order first seen.
    pub groups: [Vec<Option<Sym>>; 5],
    /// The stages the kept deals are at, each once, in symbol order.
    pub stages: Vec<Sym>,
    /// Per stage, the sum and the count of the probabilities written on
    /// the deals at it, in symbol order, each sum in the deals' order.
    pub probabilities: Vec<(Sym, (f64, u32))>,
    /// Won deals with a value, for the quota section (none without a
    /// quotas table).
    pub(super) won: Option<WonDeals>,
    /// The stage order when the query names none ([`super::stages::stage_order`]),
    /// decided when first asked.
    pub default_order: OnceLock<StageOrder>,
    /// Deals whose currency has no rate: where they are and the currency.
    pub no_rate: Vec<(Origin, Option<Sym>)>,
    /// Deals valued at their product's list price.
    pub list_priced: u32,
    /// Deals not lost with neither an amount nor a list price.
    pub missing: u32,
}

impl KeptFacts {
    /// Whether these facts are those of `filters` in `currency`.
    pub fn is_for(&self, filters: &Filters, currency: Option<&str>) -> bool {
        self.filters == *filters && self.currency.as_deref() == currency
    }
}

/// Gathers [`KeptFacts`] deal by deal, in the deals' order.
#[derive(Default)]
pub(super) struct KeptBuilder {
    slots: [Slots; 5],
    /// Per combination of group keys, whether its keys have their slots:
    /// done at its first kept deal, which numbers the groups in the order
    /// a lookup per deal would.
    placed: Vec<bool>,
    stages: Slots,
    probabilities: Vec<(f64, u32)>,
    won: Option<WonDeals>,
    no_rate: Vec<(Origin, Option<Sym>)>,
    list_priced: u32,
    missing: u32,
}

impl KeptBuilder {
    /// A builder that keeps the won deals for the quotas when `data` has
    /// a quotas table (none without one: their values would only be kept
    /// for nothing).
    pub fn for_quotas(data: &Dataset) -> KeptBuilder {
        KeptBuilder {
            won: (!data.quotas.is_empty()).then(WonDeals::default),
            ..KeptBuilder::default()
        }
    }

    /// Adds a kept deal of combination `combo`, whose keys (the team and
    /// region filled in from the roster) are `keys` and labels `labels`,
    /// with its value. `origin` tells where the deal came from, asked for a
    /// deal without a rate to the report currency alone.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &mut self,
        deal: &Deal,
        combo: u32,
        keys: &Keys,
        labels: &Labels,
        money: Money,
        origin: impl FnOnce() -> Origin,
    ) {
        let c = combo as usize;
        if !self.placed.get(c).copied().unwrap_or(false) {
            for (slots, &key) in self.slots.iter_mut().zip(keys) {
                slots.slot(key);
            }
            if self.placed.len() <= c {
                self.placed.resize(c + 1, false);
            }
            self.placed[c] = true;
        }
        if let Some(stage) = labels.stage {
            let i = self.stages.slot(Some(stage));
            if i == self.probabilities.len() {
                self.probabilities.push((0.0, 0));
            }
            if let Some(p) = labels.probability.get() {
                let e = &mut self.probabilities[i];
                e.0 += p;
                e.1 += 1;
            }
        }
        match money {
            Money::NoRate => self.no_rate.push((origin(), labels.currency)),
            Money::ListPrice(_) => self.list_priced += 1,
            Money::Missing if deal.status() != Status::Lost => self.missing += 1,
            _ => {}
        }
        if deal.status() == Status::Won {
            if let (Some(won), Some(close), Some(value)) =
                (self.won.as_mut(), deal.close, money.value())
            {
                won.add(close, value, combo);
            }
        }
    }

    /// The facts, for `filters` in `currency`.
    pub fn finish(self, filters: &Filters, currency: Option<&str>) -> KeptFacts {
        let mut stages: Vec<(Sym, (f64, u32))> = self
            .stages
            .keys()
            .iter()
            .zip(self.probabilities)
            .filter_map(|(k, p)| Some(((*k)?, p)))
            .collect();
        stages.sort_unstable_by_key(|e| e.0);
        KeptFacts {
            filters: filters.clone(),
            currency: currency.map(str::to_string),
            groups: self.slots.map(|s| s.keys().to_vec()),
            stages: stages.iter().map(|e| e.0).collect(),
            probabilities: stages.into_iter().filter(|e| e.1 .1 > 0).collect(),
            won: self.won,
            default_order: OnceLock::new(),
            no_rate: self.no_rate,
            list_priced: self.list_priced,
            missing: self.missing,
        }
    }
}
