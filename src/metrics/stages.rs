//! Pipeline stage order and each deal's stage history (SPEC §4 *Pipeline
//! and funnel*).
//!
//! # Design
//! - The order comes from `query.stageOrder`; else from stage history, where
//!   stage A goes before B when more deals enter A before B than the other
//!   way round (pairwise majority, ties by mean first-entry position); else
//!   from the probability column (mean probability per stage, ascending);
//!   else from the known defaults of Salesforce, HubSpot (labels and
//!   internal names), Pipedrive, Zoho and Indonesian pipelines, choosing the
//!   list that names the most of the file's stages.
//! - Won and lost stages (`Closed Won`, `closedlost`, `Menang`...) close a
//!   deal; they are never funnel stages.
//! - Stages are matched on letters and digits only, case-insensitively, so
//!   `Appointment scheduled` and `appointmentscheduled` are one stage. The
//!   first spelling met is the one shown.

use super::Context;
use crate::report::StageOrderInfo;
use crate::rows_order::{sort_rows, sort_rows_by};
use crate::tables::slots::Slots;
use crate::tables::{stage_status, Status, Sym};
use crate::tables::{Dataset, FastMap, FastSet};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// The match key of a stage name.
pub fn stage_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a stage name closes a deal.
pub fn is_terminal(s: &str) -> bool {
    stage_status(s).is_some()
}

const DEFAULTS: &[(&str, &[&str])] = &[
    (
        "Salesforce",
        &[
            "Prospecting",
            "Qualification",
            "Needs Analysis",
            "Value Proposition",
            "Id. Decision Makers",
            "Perception Analysis",
            "Proposal/Price Quote",
            "Negotiation/Review",
        ],
    ),
    (
        "HubSpot",
        &[
            "Appointment Scheduled",
            "Qualified To Buy",
            "Presentation Scheduled",
            "Decision Maker Bought-In",
            "Contract Sent",
        ],
    ),
    (
        "Pipedrive",
        &[
            "Lead In",
            "Qualified",
            "Contact Made",
            "Demo Scheduled",
            "Needs Defined",
            "Proposal Made",
            "Negotiations Started",
        ],
    ),
    (
        "Zoho",
        &[
            "Qualification",
            "Needs Analysis",
            "Value Proposition",
            "Identify Decision Makers",
            "Proposal/Price Quote",
            "Negotiation/Review",
        ],
    ),
    (
        "generic",
        &[
            "Lead",
            "Prospecting",
            "Engaging",
            "Qualification",
            "Discovery",
            "Demo",
            "Proposal",
            "Negotiation",
            "Contract",
            "Commit",
        ],
    ),
    (
        "Indonesian",
        &[
            "Prospek",
            "Kualifikasi",
            "Presentasi",
            "Demo",
            "Penawaran",
            "Proposal",
            "Negosiasi",
            "Kontrak",
        ],
    ),
];

/// The keys of every stage in the known CRM defaults.
pub fn known_stage_keys() -> std::collections::HashSet<String> {
    DEFAULTS
        .iter()
        .flat_map(|(_, l)| l.iter().map(|s| stage_key(s)))
        .collect()
}

/// A deal's stage history, oldest first.
pub type History = Vec<(NaiveDate, Sym)>;

/// Stage histories by deal id. Only ever looked up by id (or walked in
/// sorted id order), so the map's own order never shows.
pub type Histories = FastMap<Sym, History>;

/// The stage order used by the funnel and the pipeline.
#[derive(Debug, Clone)]
pub struct StageOrder {
    /// Display names, first to last.
    pub stages: Vec<String>,
    rank: HashMap<String, usize>,
    /// Rank by interned stage symbol, filled for every stage seen, so the
    /// per-deal lookups never build a key: each symbol's slot, and the rank
    /// by slot (a probe of plain keys; a hash map's lookup per open deal
    /// was a twentieth of a range change's report).
    sym_slots: Slots,
    sym_ranks: Vec<Option<usize>>,
    /// How it was decided.
    pub source: String,
    /// Stages appended because nothing placed them.
    pub unknown: Vec<String>,
}

/// No stage, or one outside the order, in [`StageOrder::ranks_by_labels`].
pub const NO_RANK: u32 = u32::MAX;

impl StageOrder {
    /// The position of a stage, `None` for terminal or unknown stages.
    pub fn rank(&self, stage: &str) -> Option<usize> {
        self.rank.get(&stage_key(stage)).copied()
    }

    /// The position of an interned stage (see [`StageOrder::rank`]).
    /// Inlined: the funnel asks it for every open and lost deal.
    #[inline]
    pub fn rank_sym(&self, ctx: &Context<'_>, stage: Sym) -> Option<usize> {
        match self.sym_slots.get(Some(stage)) {
            Some(i) => self.sym_ranks[i],
            None => self.rank_by_name(ctx, stage),
        }
    }

    /// The rank of the stage of each of the dataset's deal label sets, by
    /// the set's number ([`NO_RANK`] for no stage or one outside the
    /// order): a pass over the deals then ranks a deal's own stage with one
    /// lookup by `Deal::labels`, not its labels and then its stage's slot.
    pub fn ranks_by_labels(&self, ctx: &Context<'_>) -> Vec<u32> {
        ctx.data
            .deal_labels
            .all()
            .iter()
            .map(|l| {
                l.stage
                    .and_then(|s| self.rank_sym(ctx, s))
                    .and_then(|r| u32::try_from(r).ok())
                    .unwrap_or(NO_RANK)
            })
            .collect()
    }

    /// [`StageOrder::rank_sym`] of a symbol not indexed beforehand.
    #[cold]
    #[inline(never)]
    fn rank_by_name(&self, ctx: &Context<'_>, stage: Sym) -> Option<usize> {
        self.rank(&ctx.name(stage))
    }

    /// Fills the rank of each of `syms` (the distinct stages of the history
    /// and the deals) in; other symbols are ranked by name when asked.
    fn index_syms(mut self, ctx: &Context<'_>, syms: &[Sym]) -> Self {
        for &s in syms {
            if self.sym_slots.get(Some(s)).is_none() {
                let r = self.rank(&ctx.name(s));
                self.sym_slots.slot(Some(s));
                self.sym_ranks.push(r);
            }
        }
        self
    }

    /// The report's view.
    pub fn info(&self) -> StageOrderInfo {
        StageOrderInfo {
            stages: self.stages.clone(),
            source: self.source.clone(),
            unknown_stages: self.unknown.clone(),
        }
    }

    fn from_list(list: Vec<String>, source: String, unknown: Vec<String>) -> Self {
        let rank = list
            .iter()
            .enumerate()
            .map(|(i, s)| (stage_key(s), i))
            .collect();
        StageOrder {
            stages: list,
            rank,
            sym_slots: Slots::default(),
            sym_ranks: Vec::new(),
            source,
            unknown,
        }
    }
}

/// Stage histories by deal id, from the stage_history table and wide
/// `entered:<stage>` columns, each sorted by date (file order on ties).
pub fn histories(data: &Dataset) -> Histories {
    let mut map: Histories = FastMap::default();
    for h in &data.history {
        map.entry(h.deal).or_default().push((h.date, h.stage));
    }
    for v in map.values_mut() {
        v.sort_by_key(|e| e.0);
    }
    map
}

/// Decides the stage order (see the module docs).
pub fn stage_order(ctx: &Context<'_>, hist: &Histories) -> StageOrder {
    // Each stage once, not once per row: the history's in first-seen order
    // (so the first spelling is kept), then the deals' in symbol order
    // (first-seen order of the file). The same list then seeds the ranks by
    // symbol, without another pass over the rows.
    let mut seen_stage: FastSet<Sym> = FastSet::default();
    let mut syms: Vec<Sym> = Vec::new();
    for h in &ctx.data.history {
        if seen_stage.insert(h.stage) {
            syms.push(h.stage);
        }
    }
    syms.extend(&ctx.kept.stages);
    decide_order(ctx, hist, &syms).index_syms(ctx, &syms)
}

/// Decides the order from the stages in play (`syms`: see [`stage_order`]).
fn decide_order(ctx: &Context<'_>, hist: &Histories, syms: &[Sym]) -> StageOrder {
    // Every non-terminal stage in play, first spelling kept.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for &s in syms {
        let s = ctx.name(s);
        if !is_terminal(&s) && !stage_key(&s).is_empty() {
            names.entry(stage_key(&s)).or_insert_with(|| s.into_owned());
        }
    }
    if let Some(q) = &ctx.query.stage_order {
        let list: Vec<String> = q
            .iter()
            .filter(|s| !is_terminal(s) && !s.trim().is_empty())
            .map(|s| s.trim().to_string())
            .collect();
        return append_rest(list, &names, "query".into());
    }
    if !hist.is_empty() {
        return by_history(ctx, hist, &names);
    }
    let mut probs: BTreeMap<String, (f64, u32)> = BTreeMap::new();
    for &(s, (sum, n)) in &ctx.kept.probabilities {
        let name = ctx.name(s);
        if !is_terminal(&name) {
            let e = probs.entry(stage_key(&name)).or_default();
            e.0 += sum;
            e.1 += n;
        }
    }
    if probs.len() >= 2 {
        let mut v: Vec<(f64, &String)> = probs
            .iter()
            .map(|(k, (sum, n))| (sum / *n as f64, k))
            .collect();
        sort_rows_by(&mut v, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
        let list = v
            .iter()
            .filter_map(|(_, k)| names.get(*k).cloned())
            .collect();
        return append_rest(list, &names, "probability".into());
    }
    by_defaults(&names)
}

fn append_rest(
    mut list: Vec<String>,
    names: &BTreeMap<String, String>,
    source: String,
) -> StageOrder {
    let placed: std::collections::HashSet<String> = list.iter().map(|s| stage_key(s)).collect();
    let mut rest: Vec<String> = names
        .iter()
        .filter(|(k, _)| !placed.contains(*k))
        .map(|(_, v)| v.clone())
        .collect();
    sort_rows(&mut rest);
    list.extend(rest.iter().cloned());
    StageOrder::from_list(list, source, rest)
}

fn by_defaults(names: &BTreeMap<String, String>) -> StageOrder {
    let best = DEFAULTS
        .iter()
        .map(|(crm, list)| {
            (
                list.iter()
                    .filter(|s| names.contains_key(&stage_key(s)))
                    .count(),
                *crm,
                *list,
            )
        })
        .filter(|(n, _, _)| *n > 0)
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(a.1)));
    match best {
        Some((_, crm, list)) => {
            let found: Vec<String> = list
                .iter()
                .filter_map(|s| names.get(&stage_key(s)).cloned())
                .collect();
            append_rest(found, names, format!("crm defaults ({crm})"))
        }
        None => append_rest(Vec::new(), names, "alphabetical".into()),
    }
}

fn by_history(ctx: &Context<'_>, hist: &Histories, names: &BTreeMap<String, String>) -> StageOrder {
    // First-entry position of each stage per deal.
    let keys: Vec<&String> = names.keys().collect();
    let index: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    // Each stage symbol's index, worked out once: a stage key per history
    // row was most of the time of this pass.
    let mut of_sym: FastMap<Sym, Option<usize>> = FastMap::default();
    let n = keys.len();
    let mut before = vec![vec![0u32; n]; n];
    let mut pos_sum = vec![0f64; n];
    let mut pos_n = vec![0u32; n];
    let mut ids: Vec<&Sym> = hist.keys().collect();
    ids.sort();
    for id in ids {
        let mut firsts: Vec<usize> = Vec::new();
        for (_, s) in &hist[id] {
            let i = *of_sym
                .entry(*s)
                .or_insert_with(|| index.get(stage_key(&ctx.name(*s)).as_str()).copied());
            if let Some(i) = i {
                if !firsts.contains(&i) {
                    firsts.push(i);
                }
            }
        }
        for (p, &a) in firsts.iter().enumerate() {
            pos_sum[a] += p as f64;
            pos_n[a] += 1;
            for &b in &firsts[p + 1..] {
                before[a][b] += 1;
            }
        }
    }
    let in_history: Vec<usize> = (0..n).filter(|&i| pos_n[i] > 0).collect();
    let mut scored: Vec<(u32, f64, usize)> = in_history
        .iter()
        .map(|&a| {
            let wins = in_history
                .iter()
                .filter(|&&b| b != a && before[a][b] > before[b][a])
                .count() as u32;
            (wins, pos_sum[a] / pos_n[a] as f64, a)
        })
        .collect();
    sort_rows_by(&mut scored, |x, y| {
        y.0.cmp(&x.0)
            .then(x.1.total_cmp(&y.1))
            .then(keys[x.2].cmp(keys[y.2]))
    });
    let list = scored.iter().map(|s| names[keys[s.2]].clone()).collect();
    append_rest(list, names, "history".into())
}

/// The furthest non-terminal stage rank a deal entered, per its history.
pub fn furthest(order: &StageOrder, ctx: &Context<'_>, h: &History) -> Option<usize> {
    h.iter().filter_map(|(_, s)| order.rank_sym(ctx, *s)).max()
}

/// Whether a status closes the deal.
pub fn closed(status: Status) -> bool {
    status != Status::Open
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_terminals() {
        assert_eq!(
            stage_key("Appointment scheduled"),
            stage_key("appointmentscheduled")
        );
        assert!(is_terminal("closedwon"));
        assert!(is_terminal("Kalah"));
        assert!(!is_terminal("Negotiation"));
    }

    #[test]
    fn defaults_pick_the_best_list() {
        let names: BTreeMap<String, String> =
            ["contractsent", "appointmentscheduled", "qualifiedtobuy"]
                .iter()
                .map(|s| (stage_key(s), s.to_string()))
                .collect();
        let o = by_defaults(&names);
        assert_eq!(
            o.stages,
            ["appointmentscheduled", "qualifiedtobuy", "contractsent"]
        );
        // Internal names have the labels' keys, so the HubSpot list matches them.
        assert_eq!(o.source, "crm defaults (HubSpot)");
        let names: BTreeMap<String, String> = ["Negosiasi", "Prospek", "Aneh"]
            .iter()
            .map(|s| (stage_key(s), s.to_string()))
            .collect();
        let o = by_defaults(&names);
        assert_eq!(o.stages, ["Prospek", "Negosiasi", "Aneh"]);
        assert_eq!(o.unknown, ["Aneh"]);
    }
}
