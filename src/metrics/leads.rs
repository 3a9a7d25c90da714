//! Leads (SPEC §4 *Leads*): the lead → MQL → SQL → opportunity → customer
//! funnel over leads created in range, overall and per source, and the
//! leads needed for a revenue target.
//!
//! # Design
//! - A stage is reached when its date is set, when the status is at or past
//!   it, or when a later stage is reached. A deal whose `lead_id` is the
//!   lead's id makes it an opportunity (dated by the deal's created date when
//!   the lead has none) and, when won, a customer (dated by its close date).
//! - `largestDropOff` is the step with the lowest conversion rate (ties go
//!   to the earlier step): the step that loses the largest share of leads.
//! - Filters: `source` applies to the lead's source, `rep` to its owner when
//!   it has one; team, region and product do not describe leads.
//! - `leadsNeeded`: deals = ⌈target / avgDealSize⌉, opportunities =
//!   ⌈deals / winRate⌉, leads = ⌈opportunities / lead→opportunity⌉, with the
//!   deal figures of the range; each step is null (with a note) when a rate
//!   is missing or zero.

use super::stats::{median, ratio};
use super::{rows_in_slices, rows_with_facts, Context};
use crate::report::{LeadFunnel, LeadsNeeded, LeadsSection};
use crate::rows_order::sort_rows_by;
use crate::tables::slots::Slots;
use crate::tables::{Dataset, FastMap, FastSet, Lead, OptF64, Status, Sym};

/// The lifecycle level a status names: 0 lead … 4 customer.
pub fn status_level(status: &str) -> Option<u8> {
    let k: String = status
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    Some(match k.as_str() {
        "lead" | "new" | "subscriber" | "open" | "prospek" | "baru" | "disqualified"
        | "unqualified" | "other" | "junk" | "lost" | "attempting" | "contacted" | "working"
        | "nurture" => 0,
        "mql" | "marketingqualifiedlead" | "marketingqualified" => 1,
        "sql" | "salesqualifiedlead" | "salesqualified" | "qualified" => 2,
        "opportunity" | "opp" | "converted" | "peluang" => 3,
        "customer" | "won" | "evangelist" | "pelanggan" | "closedwon" => 4,
        _ => return None,
    })
}

/// What every lead reached, whatever the query: worked out once per dataset
/// (see [`super::DatasetFacts`]). A report only picks the leads of its range
/// and filters; linking every deal to its lead and every lead to its level
/// on each report was most of this section's time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeadFacts {
    /// Per lead, in table order.
    leads: Vec<LeadFact>,
    /// Distinct lead ids on deals that match a lead.
    linked: u32,
    /// Distinct lead ids on deals that match none.
    unmatched: u32,
}

/// One lead's progress.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LeadFact {
    /// The furthest level reached: 0 lead … 4 customer.
    level: u8,
    /// Days from MQL to SQL, when both are dated and in that order.
    mql_to_sql_days: OptF64,
    /// Hours to the first response, when it is not before the lead.
    response_hours: OptF64,
}

impl LeadFacts {
    /// The facts of `data`'s leads.
    pub fn of(data: &Dataset) -> LeadFacts {
        // Without a leads table there is no section to work them out for.
        if !data.present.contains(&crate::schema::Kind::Leads) {
            return LeadFacts::default();
        }
        // Deals linked to leads: (is an opportunity, is won). All deals
        // count, not only those passing a report's filters: the filters
        // pick leads, and a lead's progress does not depend on whether its
        // deal has a source. One string is one symbol across tables, so
        // ids match by symbol.
        let mut links: FastMap<Sym, (bool, bool)> = FastMap::default();
        // The deals that name a lead are listed beside the rows, each
        // deal found by its place.
        for link in &data.deal_leads {
            // A link past the deals would be a bug: never a panic over it.
            let Some(d) = data.deals.get(link.deal as usize) else {
                continue;
            };
            let won = d.status() == Status::Won;
            let e = links.entry(link.lead).or_insert((false, false));
            e.0 = true;
            e.1 |= won;
        }
        let known: FastSet<Sym> = data.leads.iter().map(|l| l.id).collect();
        let linked = links.keys().filter(|k| known.contains(*k)).count() as u32;
        let unmatched = links.len() as u32 - linked;
        let mut levels = FastMap::default();
        let mut leads = Vec::with_capacity(data.leads.len());
        rows_in_slices(&data.leads, |slice| {
            for l in slice {
                leads.push(LeadFact::of(data, l, &links, &mut levels));
            }
        });
        LeadFacts {
            leads,
            linked,
            unmatched,
        }
    }
}

impl LeadFact {
    /// What lead `l` reached: the furthest level of its status, its dates
    /// and its linked deals (`links`: is an opportunity, is won), each
    /// status's level worked out once (`levels`).
    fn of(
        data: &Dataset,
        l: &Lead,
        links: &FastMap<Sym, (bool, bool)>,
        levels: &mut FastMap<Sym, Option<u8>>,
    ) -> LeadFact {
        let mut level = l
            .status
            .and_then(|s| {
                *levels
                    .entry(s)
                    .or_insert_with(|| status_level(&data.names.get(s)))
            })
            .unwrap_or(0);
        for (i, d) in [l.mql, l.sql, l.opportunity, l.customer].iter().enumerate() {
            if d.is_some() {
                level = level.max(i as u8 + 1);
            }
        }
        if let Some(&(opp, won)) = links.get(&l.id) {
            if opp {
                level = level.max(3);
            }
            if won {
                level = 4;
            }
        }
        let mql_to_sql_days = match (l.mql, l.sql) {
            (Some(m), Some(s)) if s >= m => Some((s - m).num_days() as f64),
            _ => None,
        };
        let response_hours = match l.first_response {
            Some(f) if f >= l.created => Some((f - l.created).num_seconds() as f64 / 3600.0),
            _ => None,
        };
        LeadFact {
            level,
            mql_to_sql_days: mql_to_sql_days.into(),
            response_hours: response_hours.into(),
        }
    }
}

#[derive(Default)]
struct Acc {
    counts: [u32; 5],
    mql_to_sql_days: Vec<f64>,
    response_hours: Vec<f64>,
}

impl Acc {
    fn add(&mut self, f: &LeadFact) {
        for c in self.counts.iter_mut().take(f.level as usize + 1) {
            *c += 1;
        }
        if let Some(d) = f.mql_to_sql_days.get() {
            self.mql_to_sql_days.push(d);
        }
        if let Some(h) = f.response_hours.get() {
            self.response_hours.push(h);
        }
    }

    fn funnel(&self, source: Option<String>) -> LeadFunnel {
        let c = self.counts.map(f64::from);
        let steps = [
            ("lead→mql", 0),
            ("mql→sql", 1),
            ("sql→opportunity", 2),
            ("opportunity→customer", 3),
        ];
        let largest = steps
            .iter()
            .filter_map(|(name, i)| ratio(c[i + 1], c[*i]).map(|r| (r, *name)))
            .fold(None::<(f64, &str)>, |best, (r, name)| match best {
                Some((b, _)) if b <= r => best,
                _ => Some((r, name)),
            })
            .map(|(_, n)| n.to_string());
        LeadFunnel {
            source,
            leads: self.counts[0],
            mql: self.counts[1],
            sql: self.counts[2],
            opportunity: self.counts[3],
            customer: self.counts[4],
            lead_to_mql: ratio(c[1], c[0]),
            mql_to_sql: ratio(c[2], c[1]),
            sql_to_opportunity: ratio(c[3], c[2]),
            opportunity_to_customer: ratio(c[4], c[3]),
            lead_to_opportunity: ratio(c[3], c[0]),
            lead_to_customer: ratio(c[4], c[0]),
            largest_drop_off: largest,
            median_days_mql_to_sql: median(&self.mql_to_sql_days),
            median_first_response_hours: median(&self.response_hours),
        }
    }
}

/// The lead section; `None` (with a note) without a leads table.
pub fn leads(ctx: &mut Context<'_>, facts: &LeadFacts) -> Option<LeadsSection> {
    if !ctx.has(crate::schema::Kind::Leads) {
        ctx.note("leads", "no leads table: upload leads (id, created date, status or lifecycle dates) to see the lead funnel");
        return None;
    }
    let (linked, unmatched) = (facts.linked, facts.unmatched);
    let f = &ctx.query.filters;
    // Each filter's values as symbols, once: one string is one symbol, so
    // comparing symbols is comparing names (a name no file has matches
    // nothing), without a string compare per lead.
    let names = &ctx.data.names;
    let wanted = |values: &[String]| -> Option<Vec<Sym>> {
        (!values.is_empty()).then(|| values.iter().filter_map(|v| names.lookup(v)).collect())
    };
    let (sources, reps) = (wanted(&f.source), wanted(&f.rep));
    let mut all = Acc::default();
    // Grouped by source symbol; named and sorted at the end.
    let mut slots = Slots::default();
    let mut by_source: Vec<Acc> = Vec::new();
    rows_with_facts(&ctx.data.leads, &facts.leads, |l, fact| {
        let day = l.created.date();
        if day < ctx.from || day > ctx.to {
            return;
        }
        if let Some(set) = &sources {
            if !l.source.is_some_and(|s| set.contains(&s)) {
                return;
            }
        }
        // A lead without an owner is kept by a rep filter.
        if let (Some(set), Some(o)) = (&reps, l.owner) {
            if !set.contains(&o) {
                return;
            }
        }
        all.add(fact);
        let i = slots.slot(l.source);
        if i == by_source.len() {
            by_source.push(Acc::default());
        }
        by_source[i].add(fact);
    });
    if unmatched > 0 {
        ctx.note(
            "leads",
            format!("{unmatched} lead ids on deals match no lead in the leads table"),
        );
    }
    let mut sources: Vec<LeadFunnel> = slots
        .keys()
        .iter()
        .zip(&by_source)
        .map(|(s, a)| a.funnel(s.map(|s| ctx.name(s).into_owned())))
        .collect();
    sort_rows_by(&mut sources, |a, b| {
        b.leads
            .cmp(&a.leads)
            .then(a.source.is_none().cmp(&b.source.is_none()))
            .then(a.source.cmp(&b.source))
    });
    Some(LeadsSection {
        overall: all.funnel(None),
        by_source: sources,
        linked_deals: linked,
        unmatched_deal_links: unmatched,
    })
}

/// What the target takes; `None` (with a note) without a target.
pub fn leads_needed(
    ctx: &mut Context<'_>,
    target: Option<(f64, String)>,
    avg_deal_size: Option<f64>,
    win_rate: Option<f64>,
    leads: Option<&LeadsSection>,
) -> Option<LeadsNeeded> {
    let Some((target, source)) = target else {
        ctx.note(
            "leadsNeeded",
            "no target: give one in the query (target) or upload quotas for the range",
        );
        return None;
    };
    let up = |x: f64| {
        if x.is_finite() && x >= 0.0 && x < u32::MAX as f64 {
            Some(x.ceil() as u32)
        } else {
            None
        }
    };
    let deals = avg_deal_size
        .filter(|&a| a > 0.0)
        .and_then(|a| up(target / a));
    let opps = match (deals, win_rate.filter(|&w| w > 0.0)) {
        (Some(d), Some(w)) => up(d as f64 / w),
        _ => None,
    };
    let l2o = leads.and_then(|l| l.overall.lead_to_opportunity);
    let leads_n = match (opps, l2o.filter(|&r| r > 0.0)) {
        (Some(o), Some(r)) => up(o as f64 / r),
        _ => None,
    };
    if deals.is_none() {
        ctx.note(
            "leadsNeeded.dealsNeeded",
            "needs an average deal size above zero in the range",
        );
    }
    if deals.is_some() && opps.is_none() {
        ctx.note(
            "leadsNeeded.opportunitiesNeeded",
            "needs a win rate above zero in the range",
        );
    }
    if opps.is_some() && leads_n.is_none() {
        let why = if leads.is_none() {
            "needs a leads table"
        } else {
            "needs a lead → opportunity rate above zero"
        };
        ctx.note("leadsNeeded.leadsNeeded", why);
    }
    Some(LeadsNeeded {
        target,
        target_source: source,
        avg_deal_size,
        win_rate,
        lead_to_opportunity: l2o,
        deals_needed: deals,
        opportunities_needed: opps,
        leads_needed: leads_n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(status_level("Marketing Qualified Lead"), Some(1));
        assert_eq!(status_level("salesqualifiedlead"), Some(2));
        assert_eq!(status_level("Customer"), Some(4));
        assert_eq!(status_level("disqualified"), Some(0));
        assert_eq!(status_level("??"), None);
    }
}
