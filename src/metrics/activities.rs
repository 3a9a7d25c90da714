//! Activities (SPEC §4), the human side of selling: what reps spend their
//! time on, how much of it is selling, which activities go with revenue, and
//! what happens in the weeks before a deal closes.
//!
//! Definition (SPEC §4 *Activities*, in range by `date`): each activity type
//! maps to a category — `client_digital` (call, email, video call, message),
//! `client_in_person` (meeting, visit, demo, presentation),
//! `internal_meeting`, `admin` (CRM update, paperwork, reporting), `travel`,
//! `training`, `prep` (research, proposal writing), `other` — with English
//! and Indonesian synonyms, editable by the user.
//! - `byType` and `byCategory`: count, minutes, share of minutes (share of
//!   count when no durations); `byRep`: the same per rep and
//!   `sellingTimeShare`; `mostActive` reps.
//! - `sellingTimeShare` = selling minutes / all minutes, compared with the
//!   39 % benchmark (selling = `query.sellingCategories`, default
//!   `client_digital` and `client_in_person`).
//! - The reps are the union of deal owners, activity reps and roster reps
//!   (a rep with nothing counts 0).
//! - `correlationWithRevenue` per type: Pearson r across reps (reps without
//!   that type count 0) of the rep's count of that type vs the rep's won
//!   revenue; null below 3 reps or with zero variance.
//! - `timeSinks`: types with ≥ 10 % of the time and r null or < 0.2.
//! - `activitiesPerWonDeal` (activities linked by `deal_id`) and
//!   `weeksBeforeClose`: for weeks 0–12 before close, mean activities per won
//!   deal and per lost deal.
//!
//! # Design
//! - **Types are grouped case-insensitively** on their normalised text
//!   (lower case, punctuation other than `:` read as a space, spaces
//!   collapsed), so `CALL`, `Call` and `call` from three CRMs are one type,
//!   shown in its most frequent spelling.
//! - **Mapping a type to a category**: a `query.activityCategories` override
//!   (keys matched on the same normalised text) wins; then an exact synonym
//!   (`default`); then keyword containment (`keyword`), checked in the order
//!   internal meeting, training, admin, travel, prep, client digital, client
//!   in person — so `Internal Meeting` is internal, `Meeting prep` is prep and
//!   `Zoom meeting` is digital; anything else is `other` (`unmapped`).
//!   Generic to-dos (`Task`, HubSpot `NOTE`, Pipedrive `deadline`) are
//!   `admin`: they are not client contact, and counting them as selling
//!   would flatter the selling share. An override may name a category of its
//!   own; it is kept as written (snake_case) after the eight standard ones.
//! - **`mapping` lists every type in the activities table**, not only those
//!   in range, so a user can review and edit the whole mapping at once.
//! - **Share basis**: minutes as soon as any activity in range has a
//!   duration (and they add up to more than zero), else counts; the section
//!   says which in `shareBasis`, and every share and `sellingTimeShare` use
//!   that one basis. On a minutes basis an activity without a duration still
//!   counts in `count` but adds nothing to `minutes` (each row carries
//!   `withDuration`, and a note says how many lack one). Negative or
//!   non-finite durations are treated as missing.
//! - **Filters**: activities pass the rep, team and region filters through
//!   their rep's roster entry; product and source filters do not apply to
//!   activities (an activity has neither).
//! - **Reps**: the deal owners are those of deals that matter to the report
//!   (closed in range, open as of `asOf`, or created in range), so a rep who
//!   left years ago does not appear with zeros and weigh on correlations.
//!   A rep's won revenue is the value of their won deals closed in range.
//! - **Deal-linked figures** look at every activity linked by `deal_id` (the
//!   activity's deal id text equal to the deal's id text), whatever its date
//!   or rep: the activities behind a deal closed early in the range often
//!   happened before the range starts, and a colleague's demo is part of the
//!   deal. `activitiesPerWonDeal` = those linked to won deals closed in range
//!   / won deals closed in range; week `k` of `weeksBeforeClose` covers the
//!   days `close − 7k − 6 ..= close − 7k` (week 0 ends on the close date),
//!   and its means divide by *all* won (lost) deals closed in range, linked
//!   or not. Activities after the close date or more than 90 days before it
//!   are outside the 13 weeks. Both are null, with a note, when no activity
//!   has a `deal_id` or no deal closed in range has an id.

use super::combos::Combos;
use super::stats::{pearson, ratio};
use super::{rows_in_slices, rows_with_facts, Context, Scope};
use crate::report::{
    ActivitiesSection, ActivityCategoryRow, ActivityRepRow, ActivityTypeRow, CategoryMapping,
    RepActivityCount, RepCategory, TimeSink, TypeCorrelation, WeekBeforeClose,
};
use crate::rows_order::{map_of, set_of, sort_rows_by};
use crate::schema::Kind;
use crate::tables::key_sets::ActivityLabels;
use crate::tables::slots::Slots;
use crate::tables::{Activity, Dataset, FastMap, Rows, Status, Sym};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The share of time industry surveys find reps spend selling.
pub const SELLING_BENCHMARK: f64 = 0.39;

/// The standard categories, in report order.
pub const CATEGORIES: [&str; 8] = [
    "client_digital",
    "client_in_person",
    "internal_meeting",
    "admin",
    "travel",
    "training",
    "prep",
    "other",
];

const DEFAULT_SELLING: [&str; 2] = ["client_digital", "client_in_person"];

/// Exact synonyms (normalised text) per category, CRM type names included:
/// Salesforce task subtypes (Call, Email, Task, Event, Log a Call), HubSpot
/// activity types (CALL, EMAIL, MEETING, TASK, NOTE) and Pipedrive's (call,
/// meeting, task, deadline, email, lunch).
#[rustfmt::skip]
const SYNONYMS: [(&str, &[&str]); 8] = [
    ("client_digital", &[
        "call", "calls", "phone", "phone call", "cold call", "log a call", "logged call",
        "outbound call", "inbound call", "email", "emails", "e mail", "list email",
        "incoming email", "forwarded email", "video call", "video", "zoom", "message", "messages",
        "linkedin", "linkedin message", "inmail", "whatsapp", "whats app", "wa", "sms", "text",
        "text message", "chat", "voicemail", "telepon", "telpon", "panggilan", "panggilan telepon",
        "surel", "pesan", "pesan whatsapp",
    ]),
    ("client_in_person", &[
        "meeting", "meetings", "visit", "client visit", "customer visit", "site visit", "demo",
        "product demo", "presentation", "lunch", "dinner", "client lunch", "event", "kunjungan",
        "kunjungan klien", "rapat", "rapat klien", "pertemuan", "pertemuan klien", "presentasi",
        "demo produk", "tatap muka",
    ]),
    ("internal_meeting", &[
        "internal meeting", "internal", "team meeting", "1:1", "1 on 1", "one on one", "standup",
        "stand up", "daily standup", "rapat internal", "rapat tim",
    ]),
    ("admin", &[
        "crm update", "update crm", "paperwork", "reporting", "report", "data entry", "admin",
        "administration", "administrasi", "laporan", "note", "notes", "task", "tasks", "to do",
        "todo", "deadline",
    ]),
    ("travel", &[
        "travel", "perjalanan", "perjalanan dinas", "commute",
    ]),
    ("training", &[
        "training", "coaching", "webinar attended", "attended webinar", "pelatihan", "onboarding",
    ]),
    ("prep", &[
        "research", "proposal writing", "prep", "preparation", "persiapan", "riset", "planning",
        "perencanaan",
    ]),
    ("other", &[
        "other", "others", "misc", "lainnya", "lain lain",
    ]),
];

/// Keywords, checked in this order after the exact synonyms: the specific
/// categories before the client ones, so `Internal meeting`, `Meeting prep`
/// and `Travel to client visit` are not read as client meetings, and digital
/// before in person, so `Zoom meeting` is not a visit.
#[rustfmt::skip]
const KEYWORDS: [(&str, &[&str]); 7] = [
    ("internal_meeting", &[
        "internal", "team meeting", "team call", "team sync", "1:1", "1 on 1", "one on one",
        "standup", "stand up", "huddle", "rapat tim", "forecast", "pipeline review",
    ]),
    ("training", &[
        "training", "coaching", "pelatihan", "onboarding", "course", "kursus",
    ]),
    ("admin", &[
        "crm", "paperwork", "report", "data entry", "admin", "laporan", "expense",
    ]),
    ("travel", &[
        "travel", "perjalanan", "commut", "flight", "penerbangan",
    ]),
    ("prep", &[
        "research", "riset", "prep", "persiapan", "proposal writ", "writing proposal",
        "write proposal", "menyusun proposal", "planning", "perencanaan",
    ]),
    ("client_digital", &[
        "call", "phone", "email", "e mail", "mail", "video", "zoom", "google meet", "teams",
        "whatsapp", "sms", "message", "linkedin", "chat", "online", "virtual", "telepon", "telpon",
        "panggilan", "surel", "pesan",
    ]),
    ("client_in_person", &[
        "meet", "visit", "demo", "present", "lunch", "dinner", "coffee", "kunjungan", "rapat",
        "pertemuan", "tatap muka", "event",
    ]),
];

/// Activity type text as matched: lower case, every character other than a
/// letter, a digit or `:` read as a space, spaces collapsed.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == ':' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A category name as the query may write it (`Client In-Person`), as an id
/// (`client_in_person`).
fn category_id(text: &str) -> String {
    let n = normalize(text).replace([' ', ':'], "_");
    if n.is_empty() {
        "other".to_string()
    } else {
        n
    }
}

/// The built-in category of an activity type and how it was found
/// (`default` for an exact synonym, `keyword` for a contained keyword);
/// `None` when nothing matches.
pub fn default_category(type_text: &str) -> Option<(&'static str, &'static str)> {
    let n = normalize(type_text);
    for (cat, words) in SYNONYMS {
        if words.contains(&n.as_str()) {
            return Some((cat, "default"));
        }
    }
    for (cat, words) in KEYWORDS {
        if words.iter().any(|w| n.contains(w)) {
            return Some((cat, "keyword"));
        }
    }
    None
}

/// One distinct activity type of the table.
struct TypeInfo {
    name: String,
    category: String,
    source: &'static str,
}

/// Every distinct type of the activities table, and each type symbol's
/// index in it: by a probe of plain keys (`Slots`), not a hash map, as every
/// activity looks its type up.
struct Types {
    types: Vec<TypeInfo>,
    slots: Slots,
    type_of_slot: Vec<usize>,
    unused_overrides: Vec<String>,
}

impl Types {
    /// The type index of an activity type symbol.
    #[inline]
    fn of(&self, kind: Sym) -> Option<usize> {
        self.slots.get(Some(kind)).map(|s| self.type_of_slot[s])
    }
}

/// What the activities table says whatever the query: worked out once per
/// dataset (see [`super::DatasetFacts`]), not on every report (a pass over
/// every activity, hashing its type, was a third of this section's time).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityFacts {
    /// How many activities have each type, by symbol, in symbol order.
    pub kinds: Vec<(Sym, u32)>,
    /// Whether any activity names a deal.
    pub linked: bool,
    /// The deal ids the activities name, each given a slot.
    deals: Slots,
    /// Each activity's deal slot, in the table's order ([`NO_DEAL`] for
    /// one without a deal): the reports' passes over the activities (deal
    /// links, last activities) index plain vectors by it instead of
    /// looking each activity's deal up in a table sized by every deal, a
    /// cache miss per activity when they are not sorted by deal. Four
    /// bytes an activity.
    deal_of: Vec<u32>,
    /// Each deal slot's latest activity, and the latest of all: a report
    /// whose `asOf` is on or after that takes an open deal's last activity
    /// from here instead of a pass over every activity.
    latest: Vec<NaiveDate>,
    latest_of_all: Option<NaiveDate>,
}

/// [`ActivityFacts`]' deal slot of an activity without a deal.
const NO_DEAL: u32 = u32::MAX;

impl ActivityFacts {
    /// The facts of `data`'s activities.
    pub fn of(data: &Dataset) -> ActivityFacts {
        let mut per_sym: FastMap<Sym, u32> = FastMap::default();
        let mut deals = Slots::default();
        let mut deal_of = Vec::with_capacity(data.activities.len());
        // `NaiveDate::MIN` for none yet: every activity date is later.
        let mut latest: Vec<NaiveDate> = Vec::new();
        let mut latest_of_all: Option<NaiveDate> = None;
        rows_in_slices(&data.activities, |slice| {
            for a in slice {
                if let Some(kind) = data.activity_labels_of(a).kind {
                    *per_sym.entry(kind).or_insert(0) += 1;
                }
                let Some(d) = a.deal else {
                    deal_of.push(NO_DEAL);
                    continue;
                };
                let s = deals.slot(Some(d));
                if s == latest.len() {
                    latest.push(NaiveDate::MIN);
                }
                latest[s] = latest[s].max(a.date);
                latest_of_all = latest_of_all.max(Some(a.date));
                deal_of.push(s as u32);
            }
        });
        let mut kinds: Vec<(Sym, u32)> = per_sym.into_iter().collect();
        kinds.sort_unstable();
        ActivityFacts {
            kinds,
            linked: !deals.is_empty(),
            deals,
            deal_of,
            latest,
            latest_of_all,
        }
    }

    /// How many distinct deals the activities name.
    pub fn deal_slots(&self) -> usize {
        self.deals.len()
    }

    /// The slot of deal `id`, when an activity names it.
    pub fn slot_of_deal(&self, id: Sym) -> Option<usize> {
        self.deals.get(Some(id))
    }

    /// Each deal slot's latest activity up to `as_of` (`NaiveDate::MIN`
    /// for none): read off the latest dates when `as_of` is on or after
    /// every activity, else found in a pass over the activities of `data`
    /// (the table these facts are of).
    pub fn last_activities(&self, data: &Dataset, as_of: NaiveDate) -> Cow<'_, [NaiveDate]> {
        if self.latest_of_all.is_none_or(|l| l <= as_of) {
            return Cow::Borrowed(&self.latest);
        }
        let mut last = vec![NaiveDate::MIN; self.deal_slots()];
        self.with_deal_slots(&data.activities, |a, s| {
            if a.date <= as_of {
                if let Some(e) = last.get_mut(s) {
                    *e = (*e).max(a.date);
                }
            }
        });
        Cow::Owned(last)
    }

    /// Calls `f` with each activity of `activities` (the table these facts
    /// are of) that names a deal, and its deal's slot.
    pub fn with_deal_slots<'d>(
        &self,
        activities: &'d Rows<Activity>,
        mut f: impl FnMut(&'d Activity, usize),
    ) {
        rows_with_facts(activities, &self.deal_of, |a, &s| {
            if s != NO_DEAL {
                f(a, s as usize);
            }
        });
    }
}

/// An activity type's spellings: each with its count and its symbols.
type Spellings<'a> = BTreeMap<Cow<'a, str>, (u32, Vec<Sym>)>;

impl Types {
    fn build(ctx: &Context<'_>, facts: &ActivityFacts) -> Types {
        let data = ctx.data;
        // normalised text → spelling → count
        let mut groups: BTreeMap<String, Spellings<'_>> = BTreeMap::new();
        for &(sym, n) in &facts.kinds {
            let text = data.names.get(sym);
            let e = groups
                .entry(normalize(&text))
                .or_default()
                .entry(text)
                .or_default();
            e.0 += n;
            e.1.push(sym);
        }
        let overrides: BTreeMap<String, (String, &str)> = map_of(
            ctx.query
                .activity_categories
                .iter()
                .flatten()
                .map(|(k, v)| (normalize(k), (category_id(v), k.as_str()))),
        );
        let mut used: BTreeSet<&str> = BTreeSet::new();
        let mut types = Vec::new();
        let mut slots = Slots::default();
        let mut type_of_slot = Vec::new();
        for (key, spellings) in &groups {
            // The most frequent spelling; on a tie the first in text order.
            let mut best: Option<(&str, u32)> = None;
            for (s, (n, _)) in spellings {
                if best.is_none_or(|(_, bn)| *n > bn) {
                    best = Some((s, *n));
                }
            }
            let name = best.map(|b| b.0).unwrap_or_default().to_string();
            let (category, source) = match overrides.get(key) {
                Some((cat, k)) => {
                    used.insert(k);
                    (cat.clone(), "query")
                }
                None => match default_category(key) {
                    Some((cat, how)) => (cat.to_string(), how),
                    None => ("other".to_string(), "unmapped"),
                },
            };
            let i = types.len();
            for (_, syms) in spellings.values() {
                for &s in syms {
                    // One spelling is one symbol: each is new here.
                    if slots.slot(Some(s)) == type_of_slot.len() {
                        type_of_slot.push(i);
                    }
                }
            }
            types.push(TypeInfo {
                name,
                category,
                source,
            });
        }
        let unused_overrides = overrides
            .values()
            .map(|(_, k)| *k)
            .filter(|k| !used.contains(k))
            .map(str::to_string)
            .collect();
        Types {
            types,
            slots,
            type_of_slot,
            unused_overrides,
        }
    }
}

/// Running totals: count, known minutes, activities with a duration.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    count: u32,
    minutes: f64,
    timed: u32,
}

impl Tally {
    fn add(&mut self, minutes: Option<f64>) {
        self.count += 1;
        if let Some(m) = minutes {
            self.minutes += m;
            self.timed += 1;
        }
    }

    /// Adds another tally's counts and minutes.
    fn merge(&mut self, other: &Tally) {
        self.count += other.count;
        self.timed += other.timed;
        self.minutes += other.minutes;
    }
}

/// One rep's running totals.
#[derive(Debug, Clone)]
struct RepAcc {
    all: Tally,
    selling: Tally,
    per_type: Vec<u32>,
    per_category: Vec<Tally>,
    revenue: f64,
}

/// Each rep's accumulator, by rep symbol.
struct RepTable<F> {
    slots: Slots,
    accs: Vec<RepAcc>,
    new: F,
}

impl<F: Fn() -> RepAcc> RepTable<F> {
    fn get(&mut self, rep: Sym) -> &mut RepAcc {
        let i = self.slot(rep);
        &mut self.accs[i]
    }

    /// The rep's place in `accs`, a new accumulator when the rep is new.
    fn slot(&mut self, rep: Sym) -> usize {
        let i = self.slots.slot(Some(rep));
        if i == self.accs.len() {
            self.accs.push((self.new)());
        }
        i
    }
}

/// A duration usable in sums.
fn known_minutes(a: &ActivityLabels) -> Option<f64> {
    a.minutes.get().filter(|m| m.is_finite() && *m >= 0.0)
}

/// The activities section; `None` (with a note) without an activities table.
/// For a [`Scope::Summary`], only its headline figures (the selling-time
/// share and the totals it is a share of), the lists and the deal-linked
/// figures left empty and no note made.
pub fn activities(
    ctx: &mut Context<'_>,
    facts: &ActivityFacts,
    scope: Scope,
) -> Option<ActivitiesSection> {
    if !ctx.has(Kind::Activities) {
        ctx.note(
            "activities",
            "no activities table: upload one (rep, type, date) to see how reps spend their time",
        );
        return None;
    }
    let mut notes: Vec<(&'static str, String)> = Vec::new();
    let types = Types::build(ctx, facts);
    if !types.unused_overrides.is_empty() {
        notes.push((
            "activities.mapping",
            format!(
                "activityCategories names types no activity has: {}",
                types.unused_overrides.join(", ")
            ),
        ));
    }

    // Categories: the standard ones, then any named by an override.
    let mut categories: Vec<String> = CATEGORIES.iter().map(|c| c.to_string()).collect();
    let custom: BTreeSet<&str> = set_of(
        types
            .types
            .iter()
            .map(|t| t.category.as_str())
            .filter(|c| !CATEGORIES.contains(c)),
    );
    categories.extend(custom.iter().map(|c| c.to_string()));
    let cat_index: HashMap<&str, usize> = categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let type_cat: Vec<usize> = types
        .types
        .iter()
        .map(|t| cat_index.get(t.category.as_str()).copied().unwrap_or(0))
        .collect();
    let selling_categories: Vec<String> = match &ctx.query.selling_categories {
        Some(list) => list.iter().map(|c| category_id(c)).collect(),
        None => DEFAULT_SELLING.iter().map(|c| c.to_string()).collect(),
    };
    let unknown: Vec<&str> = selling_categories
        .iter()
        .map(String::as_str)
        .filter(|c| !cat_index.contains_key(c))
        .collect();
    if !unknown.is_empty() {
        notes.push((
            "activities.sellingCategories",
            format!(
                "sellingCategories names categories no activity type has: {}",
                unknown.join(", ")
            ),
        ));
    }
    let cat_selling: Vec<bool> = categories
        .iter()
        .map(|c| selling_categories.contains(c))
        .collect();

    // The reps: activity reps (below), owners of deals that matter, roster reps.
    let n_types = types.types.len();
    let n_cats = categories.len();
    let new_rep = || RepAcc {
        all: Tally::default(),
        selling: Tally::default(),
        per_type: vec![0; n_types],
        per_category: vec![Tally::default(); n_cats],
        revenue: 0.0,
    };
    // Grouped by rep symbol (one name is one symbol), then in name order
    // below: a name lookup per activity was most of this section's time.
    let mut reps = RepTable {
        slots: Slots::default(),
        accs: Vec::new(),
        new: new_rep,
    };
    ctx.deals.slices(|slice| {
        for d in slice {
            let Some(owner) = ctx.keys(d)[Combos::OWNER] else {
                continue;
            };
            if !ctx.relevant(d) {
                continue;
            }
            let acc = reps.get(owner);
            if d.deal.status() == Status::Won && d.closed_in(ctx.from, ctx.to) {
                acc.revenue += d.value(&ctx.pricing).unwrap_or(0.0);
            }
        }
    });
    for r in &ctx.data.reps {
        if ctx.rep_passes(r.rep) {
            reps.get(r.rep);
        }
    }

    // Activities in range, passing the filters. Each activity's type and
    // rep are found by a probe of plain keys (`Slots`), not a hash map: a
    // million activities are a million lookups of each.
    // Each activity rep's place in `reps`, or `None` when the filters
    // leave the rep out.
    let mut rep_slots = Slots::default();
    let mut acc_of_slot: Vec<Option<usize>> = Vec::new();
    // One tally per rep and type, added up below into the totals, the
    // types, the categories and each rep's: one tally per activity instead
    // of seven (a million activities were a third of a report). Durations
    // are summed per rep and type first, then across them: the same sums
    // to the bit when they are whole minutes (any order adds those
    // exactly), and within rounding of the last bit otherwise.
    let mut pairs: Vec<Tally> = Vec::new();
    rows_in_slices(&ctx.data.activities, |slice| {
        for a in slice {
            if a.date < ctx.from || a.date > ctx.to {
                continue;
            }
            let l = ctx.data.activity_labels_of(a);
            let Some(rep) = l.rep else {
                continue;
            };
            let r = rep_slots.slot(Some(rep));
            if r == acc_of_slot.len() {
                acc_of_slot.push(ctx.rep_passes(rep).then(|| reps.slot(rep)));
            }
            let Some(acc) = acc_of_slot[r] else {
                continue;
            };
            let Some(t) = l.kind.and_then(|k| types.of(k)) else {
                continue;
            };
            let at = acc * n_types + t;
            if at >= pairs.len() {
                pairs.resize(reps.accs.len() * n_types, Tally::default());
            }
            pairs[at].add(known_minutes(l));
        }
    });
    let mut total = Tally::default();
    let mut selling = Tally::default();
    let mut per_type = vec![Tally::default(); n_types];
    let mut per_cat = vec![Tally::default(); n_cats];
    for (at, pair) in pairs.iter().enumerate().filter(|(_, p)| p.count > 0) {
        let (acc, t) = (at / n_types, at % n_types);
        let c = type_cat[t];
        total.merge(pair);
        per_type[t].merge(pair);
        per_cat[c].merge(pair);
        let rep = &mut reps.accs[acc];
        rep.all.merge(pair);
        rep.per_type[t] += pair.count;
        rep.per_category[c].merge(pair);
        if cat_selling[c] {
            selling.merge(pair);
            rep.selling.merge(pair);
        }
    }
    let by_minutes = total.timed > 0 && total.minutes > 0.0;
    let share_basis = if by_minutes { "minutes" } else { "count" };
    let share_of = |t: &Tally, of: &Tally| {
        if by_minutes {
            ratio(t.minutes, of.minutes)
        } else {
            ratio(t.count as f64, of.count as f64)
        }
    };
    let minutes_of = |t: &Tally| (total.timed > 0).then_some(t.minutes);
    if total.count == 0 {
        notes.push((
            "activities",
            "no activity in the range passes the filters".to_string(),
        ));
    } else if by_minutes && total.timed < total.count {
        notes.push((
            "activities.shareBasis",
            format!(
                "{} of {} activities have no duration: they count in counts but not in minutes, so the shares of time leave them out",
                total.count - total.timed,
                total.count
            ),
        ));
    } else if !by_minutes {
        notes.push((
            "activities.shareBasis",
            "no activity has a duration: shares are of the number of activities, not of time"
                .to_string(),
        ));
    }
    let selling_time_share = share_of(&selling, &total);
    // The headline figures; a summary needs nothing more (the lists below
    // are filled in for a whole report).
    let mut section = ActivitiesSection {
        share_basis: share_basis.to_string(),
        count: total.count,
        minutes: minutes_of(&total),
        with_duration: total.timed,
        selling_categories,
        selling_time_share,
        benchmark: SELLING_BENCHMARK,
        vs_benchmark: selling_time_share.map(|s| s - SELLING_BENCHMARK),
        by_type: Vec::new(),
        by_category: Vec::new(),
        by_rep: Vec::new(),
        most_active: Vec::new(),
        correlation_with_revenue: Vec::new(),
        time_sinks: Vec::new(),
        activities_per_won_deal: None,
        linked_to_won_deals: 0,
        won_deals: 0,
        lost_deals: 0,
        weeks_before_close: Vec::new(),
        mapping: Vec::new(),
    };
    if scope == Scope::Summary {
        return Some(section);
    }

    // Correlation of each type's count per rep with won revenue per rep.
    let mut rep_list: Vec<(Cow<'_, str>, &RepAcc)> = reps
        .slots
        .keys()
        .iter()
        .zip(&reps.accs)
        .filter_map(|(k, a)| Some((ctx.name((*k)?), a)))
        .collect();
    sort_rows_by(&mut rep_list, |a, b| a.0.cmp(&b.0));
    let mut correlation = Vec::new();
    let mut r_of: Vec<Option<f64>> = vec![None; n_types];
    for (t, info) in types.types.iter().enumerate() {
        if per_type[t].count == 0 {
            continue;
        }
        let points: Vec<(f64, f64)> = rep_list
            .iter()
            .map(|(_, a)| (a.per_type[t] as f64, a.revenue))
            .collect();
        let r = pearson(&points);
        r_of[t] = r;
        correlation.push(TypeCorrelation {
            kind: info.name.clone(),
            r,
            reps: points.len() as u32,
        });
    }
    sort_rows_by(&mut correlation, |a, b| {
        b.r.is_some()
            .cmp(&a.r.is_some())
            .then(b.r.unwrap_or(0.0).total_cmp(&a.r.unwrap_or(0.0)))
            .then(a.kind.cmp(&b.kind))
    });
    if correlation.iter().any(|c| c.r.is_none()) {
        let revenues: Vec<f64> = rep_list.iter().map(|(_, a)| a.revenue).collect();
        let why = if rep_list.len() < 3 {
            format!("needs at least 3 reps; there are {}", rep_list.len())
        } else if revenues.iter().all(|&v| v == revenues[0]) {
            "every rep has the same won revenue in the range (no deals won, or no deals table), so nothing can correlate with it".to_string()
        } else {
            "null for types every rep logs equally often (no variation to correlate)".to_string()
        };
        notes.push(("activities.correlationWithRevenue", why));
    }

    let mut by_type: Vec<ActivityTypeRow> = types
        .types
        .iter()
        .enumerate()
        .filter(|(t, _)| per_type[*t].count > 0)
        .map(|(t, info)| ActivityTypeRow {
            kind: info.name.clone(),
            category: info.category.clone(),
            selling: cat_selling[type_cat[t]],
            count: per_type[t].count,
            minutes: minutes_of(&per_type[t]),
            with_duration: per_type[t].timed,
            share: share_of(&per_type[t], &total),
        })
        .collect();
    let mut time_sinks: Vec<TimeSink> = types
        .types
        .iter()
        .enumerate()
        .filter_map(|(t, info)| {
            let share = share_of(&per_type[t], &total)?;
            let r = r_of[t];
            (per_type[t].count > 0 && share >= 0.10 && r.is_none_or(|r| r < 0.2)).then(|| {
                TimeSink {
                    kind: info.name.clone(),
                    category: info.category.clone(),
                    share,
                    r,
                }
            })
        })
        .collect();
    sort_rows_by(&mut by_type, |a, b| {
        b.share
            .unwrap_or(0.0)
            .total_cmp(&a.share.unwrap_or(0.0))
            .then(b.count.cmp(&a.count))
            .then(a.kind.cmp(&b.kind))
    });
    sort_rows_by(&mut time_sinks, |a, b| {
        b.share.total_cmp(&a.share).then(a.kind.cmp(&b.kind))
    });

    let by_category: Vec<ActivityCategoryRow> = categories
        .iter()
        .enumerate()
        .map(|(c, name)| ActivityCategoryRow {
            category: name.clone(),
            selling: cat_selling[c],
            count: per_cat[c].count,
            minutes: minutes_of(&per_cat[c]),
            with_duration: per_cat[c].timed,
            share: share_of(&per_cat[c], &total),
        })
        .collect();

    let mut by_rep: Vec<ActivityRepRow> = rep_list
        .iter()
        .map(|(name, a)| {
            let share = share_of(&a.selling, &a.all);
            ActivityRepRow {
                name: name.to_string(),
                count: a.all.count,
                minutes: minutes_of(&a.all),
                selling_time_share: share,
                vs_benchmark: share.map(|s| s - SELLING_BENCHMARK),
                won_revenue: a.revenue,
                by_category: categories
                    .iter()
                    .zip(&a.per_category)
                    .map(|(c, t)| RepCategory {
                        category: c.clone(),
                        count: t.count,
                        minutes: minutes_of(t),
                    })
                    .collect(),
            }
        })
        .collect();
    sort_rows_by(&mut by_rep, |a, b| {
        b.count.cmp(&a.count).then(a.name.cmp(&b.name))
    });
    if by_minutes
        && by_rep
            .iter()
            .any(|r| r.count > 0 && r.selling_time_share.is_none())
    {
        notes.push((
            "activities.byRep.sellingTimeShare",
            "null for reps whose activities have no duration (shares are of minutes)".to_string(),
        ));
    }
    let most_active: Vec<RepActivityCount> = by_rep
        .iter()
        .filter(|r| r.count > 0)
        .take(5)
        .map(|r| RepActivityCount {
            name: r.name.clone(),
            count: r.count,
        })
        .collect();

    let linked = deal_linked(ctx, facts, &mut notes);

    let mapping = types
        .types
        .iter()
        .map(|t| CategoryMapping {
            kind: t.name.clone(),
            category: t.category.clone(),
            source: t.source.to_string(),
        })
        .collect();

    for (m, s) in notes {
        ctx.note(m, s);
    }
    section.by_type = by_type;
    section.by_category = by_category;
    section.by_rep = by_rep;
    section.most_active = most_active;
    section.correlation_with_revenue = correlation;
    section.time_sinks = time_sinks;
    section.activities_per_won_deal = linked.per_won_deal;
    section.linked_to_won_deals = linked.linked_won;
    section.won_deals = linked.won;
    section.lost_deals = linked.lost;
    section.weeks_before_close = linked.weeks;
    section.mapping = mapping;
    Some(section)
}

/// Weeks before close covered by `weeksBeforeClose` (0..=12).
const WEEKS: usize = 13;

/// The deal-linked figures.
struct Linked {
    per_won_deal: Option<f64>,
    linked_won: u32,
    won: u32,
    lost: u32,
    weeks: Vec<WeekBeforeClose>,
}

/// The week before close an activity falls in: week `k` covers days
/// `close − 7k − 6 ..= close − 7k`; `None` after the close or before week 12.
pub fn week_before_close(days_before: i64) -> Option<usize> {
    if days_before < 0 {
        return None;
    }
    let k = (days_before / 7) as usize;
    (k < WEEKS).then_some(k)
}

fn deal_linked(
    ctx: &Context<'_>,
    facts: &ActivityFacts,
    notes: &mut Vec<(&'static str, String)>,
) -> Linked {
    let (mut won, mut lost) = (0u32, 0u32);
    // The deals closed in range with an id, by the slot of the id among
    // the deals the activities name (see `ActivityFacts`); of an id listed
    // twice, the first deal.
    let mut closed: Vec<Option<(Status, NaiveDate)>> = vec![None; facts.deal_slots()];
    let mut any_closed = false;
    ctx.deals.slices(|slice| {
        for d in slice {
            if !d.closed_in(ctx.from, ctx.to) {
                continue;
            }
            match d.deal.status() {
                Status::Won => won += 1,
                Status::Lost => lost += 1,
                Status::Open => continue,
            }
            if let (Some(id), Some(close)) = (d.deal.id, d.deal.close) {
                any_closed = true;
                if let Some(c) = facts.slot_of_deal(id).and_then(|s| closed.get_mut(s)) {
                    c.get_or_insert((d.deal.status(), close));
                }
            }
        }
    });
    let linkable = facts.linked && any_closed;
    let mut linked_won = 0u32;
    let mut counts = [[0u32; 2]; WEEKS];
    if linkable {
        facts.with_deal_slots(&ctx.data.activities, |a, s| {
            let Some(&Some((status, close))) = closed.get(s) else {
                return;
            };
            let side = usize::from(status == Status::Lost);
            if status == Status::Won {
                linked_won += 1;
            }
            if let Some(k) = week_before_close((close - a.date).num_days()) {
                counts[k][side] += 1;
            }
        });
    }
    let per = "activities.activitiesPerWonDeal";
    let weekly = "activities.weeksBeforeClose";
    if won + lost == 0 {
        let why = if ctx.has(Kind::Deals) {
            "no deal was won or lost in the range"
        } else {
            "no deals table to link activities to"
        };
        notes.push((per, why.to_string()));
        notes.push((weekly, why.to_string()));
    } else if !linkable {
        let why = if !facts.linked {
            "no activity has a deal id (map a deal_id column on the activities table)"
        } else {
            "no deal closed in range has an id to link activities to"
        };
        notes.push((per, why.to_string()));
        notes.push((weekly, why.to_string()));
    } else if won == 0 {
        notes.push((per, "no deal was won in the range".to_string()));
        notes.push((
            weekly,
            "won is null: no deal was won in the range".to_string(),
        ));
    } else if lost == 0 {
        notes.push((
            weekly,
            "lost is null: no deal was lost in the range".to_string(),
        ));
    }
    let mean = |n: u32, deals: u32| {
        if linkable {
            ratio(n as f64, deals as f64)
        } else {
            None
        }
    };
    let weeks = counts
        .iter()
        .enumerate()
        .map(|(k, c)| WeekBeforeClose {
            week: k as u32,
            from_days_before: 7 * k as u32 + 6,
            to_days_before: 7 * k as u32,
            won: mean(c[0], won),
            lost: mean(c[1], lost),
        })
        .collect();
    Linked {
        per_won_deal: mean(linked_won, won),
        linked_won,
        won,
        lost,
        weeks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Query;
    use crate::tables::key_sets::Labels;
    use crate::tables::{Dataset, Deal, Origin, Rep};
    use chrono::NaiveDate;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn origin() -> Origin {
        Origin { table: 0, line: 2 }
    }

    fn act(
        ds: &mut Dataset,
        rep: &str,
        kind: &str,
        date: &str,
        minutes: Option<f64>,
        deal: Option<&str>,
    ) {
        ds.present.insert(Kind::Activities);
        let labels = ActivityLabels {
            rep: Some(ds.names.intern(rep)),
            kind: Some(ds.names.intern(kind)),
            minutes: minutes.into(),
        };
        let a = Activity {
            labels: ds.activity_labels.number(labels),
            date: day(date),
            deal: deal.map(|d| ds.names.intern(d)),
        };
        ds.activities.push(a);
    }

    fn deal(ds: &mut Dataset, id: &str, owner: &str, status: Status, amount: f64, close: &str) {
        ds.present.insert(Kind::Deals);
        let owner = Some(ds.names.intern(owner));
        let d = Deal {
            id: Some(ds.names.intern(id)),
            amount: Some(amount).into(),
            created: Some(day("2024-01-01")),
            close: Some(day(close)),
            ..ds.test_deal(
                origin().line,
                status,
                [owner, None, None, None, None],
                Labels::default(),
            )
        };
        ds.deals.push(d);
    }

    fn section(ds: &Dataset, q: &Query) -> (ActivitiesSection, Vec<String>) {
        let mut ctx = Context::new(ds, q).unwrap();
        let s = activities(&mut ctx, &ActivityFacts::of(ds), Scope::Whole).unwrap();
        let notes = ctx.notes.iter().map(|n| n.metric.clone()).collect();
        (s, notes)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn categories_english_indonesian_and_crm_types() {
        let cat = |t: &str| default_category(t).map(|c| c.0).unwrap_or("other");
        assert_eq!(
            default_category("Internal Meeting"),
            Some(("internal_meeting", "default"))
        );
        assert_eq!(
            default_category("Meeting - internal"),
            Some(("internal_meeting", "keyword"))
        );
        assert_eq!(
            default_category("Meeting"),
            Some(("client_in_person", "default"))
        );
        assert_eq!(cat("Log a Call"), "client_digital");
        assert_eq!(cat("CALL"), "client_digital");
        assert_eq!(cat("EMAIL"), "client_digital");
        assert_eq!(cat("NOTE"), "admin");
        assert_eq!(cat("Task"), "admin");
        assert_eq!(cat("deadline"), "admin");
        assert_eq!(cat("Event"), "client_in_person");
        assert_eq!(cat("lunch"), "client_in_person");
        assert_eq!(cat("Video Call"), "client_digital");
        assert_eq!(cat("WHATS_APP"), "client_digital");
        assert_eq!(cat("1:1"), "internal_meeting");
        assert_eq!(cat("1:1 with manager"), "internal_meeting");
        assert_eq!(cat("Zoom meeting"), "client_digital");
        assert_eq!(cat("Meeting prep"), "prep");
        assert_eq!(cat("Travel to client visit"), "travel");
        assert_eq!(cat("CRM Update"), "admin");
        assert_eq!(cat("Proposal writing"), "prep");
        // Indonesian.
        assert_eq!(cat("Telepon"), "client_digital");
        assert_eq!(cat("Panggilan"), "client_digital");
        assert_eq!(cat("Kunjungan"), "client_in_person");
        assert_eq!(cat("Kunjungan ke pelanggan"), "client_in_person");
        assert_eq!(cat("Rapat Klien"), "client_in_person");
        assert_eq!(cat("Rapat Internal"), "internal_meeting");
        assert_eq!(cat("Demo Produk"), "client_in_person");
        assert_eq!(cat("Presentasi"), "client_in_person");
        assert_eq!(cat("Administrasi"), "admin");
        assert_eq!(cat("Laporan mingguan"), "admin");
        assert_eq!(cat("Perjalanan dinas"), "travel");
        assert_eq!(cat("Pelatihan"), "training");
        assert_eq!(cat("Persiapan"), "prep");
        assert_eq!(cat("Riset akun"), "prep");
        assert_eq!(default_category("Golf"), None);
    }

    #[test]
    fn no_synonym_is_in_two_categories() {
        let mut seen = BTreeMap::new();
        for (cat, words) in SYNONYMS {
            for w in words {
                assert_eq!(normalize(w), *w, "synonym {w:?} is not normalised");
                if let Some(prev) = seen.insert(*w, cat) {
                    panic!("{w:?} is in {prev} and {cat}");
                }
            }
        }
    }

    #[test]
    fn shares_of_minutes_and_selling_share() {
        // Call 30 + 30, Email 10, Kunjungan 50: selling 120 of 200 minutes.
        // Internal Meeting 60, CRM update 20.
        let mut ds = Dataset::default();
        act(&mut ds, "Ana", "Call", "2024-03-01", Some(30.0), None);
        act(&mut ds, "Ana", "call", "2024-03-02", Some(30.0), None);
        act(&mut ds, "Ana", "Email", "2024-03-02", Some(10.0), None);
        act(
            &mut ds,
            "Budi",
            "Internal Meeting",
            "2024-03-03",
            Some(60.0),
            None,
        );
        act(
            &mut ds,
            "Budi",
            "CRM update",
            "2024-03-03",
            Some(20.0),
            None,
        );
        act(&mut ds, "Budi", "Kunjungan", "2024-03-04", Some(50.0), None);
        let (s, _) = section(&ds, &Query::default());
        assert_eq!(s.share_basis, "minutes");
        assert_eq!(s.count, 6);
        assert_eq!(s.minutes, Some(200.0));
        assert!(close(s.selling_time_share.unwrap(), 0.6));
        assert!(close(s.vs_benchmark.unwrap(), 0.6 - 0.39));
        // Call and call are one type, shown as the first spelling on a tie.
        let call = &s.by_type[0];
        assert_eq!((call.kind.as_str(), call.count), ("Call", 2));
        assert!(close(call.share.unwrap(), 0.3));
        let im = s
            .by_type
            .iter()
            .find(|t| t.kind == "Internal Meeting")
            .unwrap();
        assert_eq!(im.category, "internal_meeting");
        assert!(!im.selling);
        assert!(close(im.share.unwrap(), 0.3));
        let digital = &s.by_category[0];
        assert_eq!(digital.category, "client_digital");
        assert_eq!((digital.count, digital.minutes), (3, Some(70.0)));
        assert!(close(digital.share.unwrap(), 0.35));
        assert_eq!(s.by_category.len(), 8);
        assert_eq!(s.by_category[7].share, Some(0.0));
        // Ana: 70 selling of 70; Budi: 50 of 130.
        let budi = s.by_rep.iter().find(|r| r.name == "Budi").unwrap();
        assert!(close(budi.selling_time_share.unwrap(), 50.0 / 130.0));
        assert_eq!(s.by_rep[0].name, "Ana"); // 3 each: by name
        assert_eq!(s.most_active.len(), 2);
        let m: Vec<_> = s
            .mapping
            .iter()
            .map(|m| (m.kind.as_str(), m.source.as_str()))
            .collect();
        assert!(m.contains(&("Internal Meeting", "default")));
        assert!(m.contains(&("Kunjungan", "default")));
    }

    #[test]
    fn count_basis_without_durations() {
        let mut ds = Dataset::default();
        act(&mut ds, "Ana", "Call", "2024-03-01", None, None);
        act(&mut ds, "Ana", "Call", "2024-03-02", None, None);
        act(&mut ds, "Ana", "Email", "2024-03-02", None, None);
        act(&mut ds, "Ana", "Admin", "2024-03-03", None, None);
        let (s, notes) = section(&ds, &Query::default());
        assert_eq!(s.share_basis, "count");
        assert_eq!(s.minutes, None);
        assert!(close(s.selling_time_share.unwrap(), 0.75));
        assert_eq!(s.by_type[0].minutes, None);
        assert!(close(s.by_type[0].share.unwrap(), 0.5));
        assert!(notes.iter().any(|n| n == "activities.shareBasis"));
        // With one rep every r is null: each type with ≥ 10 % of the count is a
        // sink, by share desc, then name.
        let sinks: Vec<_> = s.time_sinks.iter().map(|t| t.kind.as_str()).collect();
        assert_eq!(sinks, ["Call", "Admin", "Email"]);
    }

    #[test]
    fn query_overrides_and_selling_categories() {
        let mut ds = Dataset::default();
        act(&mut ds, "Ana", "Site Visit", "2024-03-01", Some(60.0), None);
        act(&mut ds, "Ana", "Golf", "2024-03-01", Some(60.0), None);
        act(&mut ds, "Ana", "Call", "2024-03-01", Some(60.0), None);
        let mut q = Query {
            activity_categories: Some(
                [("site visit", "Travel"), ("nothing here", "admin")]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            ..Query::default()
        };
        let (s, notes) = section(&ds, &q);
        let find = |t: &str| s.mapping.iter().find(|m| m.kind == t).unwrap();
        assert_eq!(
            (
                find("Site Visit").category.as_str(),
                find("Site Visit").source.as_str()
            ),
            ("travel", "query")
        );
        assert_eq!(
            (find("Golf").category.as_str(), find("Golf").source.as_str()),
            ("other", "unmapped")
        );
        assert!(close(s.selling_time_share.unwrap(), 1.0 / 3.0));
        assert!(notes.iter().any(|n| n == "activities.mapping"));
        q.selling_categories = Some(vec!["client_digital".into(), "other".into()]);
        let (s, _) = section(&ds, &q);
        assert!(close(s.selling_time_share.unwrap(), 2.0 / 3.0));
    }

    #[test]
    fn correlation_by_hand() {
        // Calls 1, 2, 3 vs revenue 100, 300, 200: r = 100 / √(2 × 20000) = 0.5.
        let mut ds = Dataset::default();
        for (rep, calls, rev) in [("A", 1, 100.0), ("B", 2, 300.0), ("C", 3, 200.0)] {
            for i in 0..calls {
                act(
                    &mut ds,
                    rep,
                    "Call",
                    &format!("2024-03-0{}", i + 1),
                    Some(10.0),
                    None,
                );
            }
            deal(
                &mut ds,
                &format!("D-{rep}"),
                rep,
                Status::Won,
                rev,
                "2024-03-15",
            );
            act(&mut ds, rep, "Email", "2024-03-05", Some(10.0), None);
        }
        let (s, notes) = section(&ds, &Query::default());
        let call = s
            .correlation_with_revenue
            .iter()
            .find(|c| c.kind == "Call")
            .unwrap();
        assert!(close(call.r.unwrap(), 0.5));
        assert_eq!(call.reps, 3);
        // Every rep logs one email: zero variance, null, noted.
        let email = s
            .correlation_with_revenue
            .iter()
            .find(|c| c.kind == "Email")
            .unwrap();
        assert_eq!(email.r, None);
        assert!(notes
            .iter()
            .any(|n| n == "activities.correlationWithRevenue"));
        // Calls 60 of 90 minutes with r 0.5: not a sink; Email 1/3 with null r: a sink.
        let sinks: Vec<_> = s.time_sinks.iter().map(|t| t.kind.as_str()).collect();
        assert_eq!(sinks, ["Email"]);
        let a = s.by_rep.iter().find(|r| r.name == "A").unwrap();
        assert_eq!(a.won_revenue, 100.0);
    }

    #[test]
    fn roster_and_deal_owners_count_with_zero() {
        let mut ds = Dataset::default();
        act(&mut ds, "Ana", "Call", "2024-03-01", Some(10.0), None);
        deal(&mut ds, "D1", "Budi", Status::Won, 500.0, "2024-03-10");
        ds.present.insert(Kind::Reps);
        let citra = ds.names.intern("Citra");
        ds.reps.push(Rep {
            origin: origin(),
            rep: citra,
            team: None,
            manager: None,
            region: None,
            start: None,
        });
        let (s, _) = section(&ds, &Query::default());
        let names: Vec<_> = s
            .by_rep
            .iter()
            .map(|r| (r.name.as_str(), r.count))
            .collect();
        assert_eq!(names, [("Ana", 1), ("Budi", 0), ("Citra", 0)]);
        let budi = &s.by_rep[1];
        assert_eq!(budi.selling_time_share, None);
        assert_eq!(budi.minutes, Some(0.0));
        assert_eq!(s.most_active.len(), 1);
    }

    #[test]
    fn team_filter_goes_through_the_roster() {
        let mut ds = Dataset::default();
        act(&mut ds, "Ana", "Call", "2024-03-01", Some(10.0), None);
        act(&mut ds, "Budi", "Call", "2024-03-01", Some(10.0), None);
        act(&mut ds, "Budi", "Travel", "2024-03-01", Some(10.0), None);
        for (rep, team) in [("Ana", "North"), ("Budi", "South")] {
            let r = Rep {
                origin: origin(),
                rep: ds.names.intern(rep),
                team: Some(ds.names.intern(team)),
                manager: None,
                region: None,
                start: None,
            };
            ds.reps.push(r);
        }
        let mut q = Query::default();
        q.filters.team = vec!["North".into()];
        let (s, _) = section(&ds, &q);
        assert_eq!(s.count, 1);
        let names: Vec<_> = s.by_rep.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Ana"]);
        assert_eq!(s.selling_time_share, Some(1.0));
    }

    #[test]
    fn weeks_before_close_edges() {
        let mut ds = Dataset::default();
        deal(&mut ds, "W", "Ana", Status::Won, 1000.0, "2024-03-31");
        deal(&mut ds, "W2", "Ana", Status::Won, 1000.0, "2024-03-31");
        deal(&mut ds, "L", "Ana", Status::Lost, 0.0, "2024-03-31");
        // Days before close: 0 and 6 → week 0; 7 → week 1; 90 → week 12;
        // 91 and −1 (after close) → no week, but still linked to the deal.
        for d in [
            "2024-03-31",
            "2024-03-25",
            "2024-03-24",
            "2024-01-01",
            "2023-12-31",
            "2024-04-01",
        ] {
            act(&mut ds, "Ana", "Call", d, None, Some("W"));
        }
        act(&mut ds, "Ana", "Call", "2024-03-18", None, Some("L")); // 13 days: week 1
        act(&mut ds, "Ana", "Call", "2024-03-18", None, Some("nope"));
        let q = Query {
            from: Some(day("2024-01-01")),
            to: Some(day("2024-03-31")),
            as_of: Some(day("2024-03-31")),
            ..Query::default()
        };
        let (s, _) = section(&ds, &q);
        assert_eq!(week_before_close(0), Some(0));
        assert_eq!(week_before_close(6), Some(0));
        assert_eq!(week_before_close(7), Some(1));
        assert_eq!(week_before_close(90), Some(12));
        assert_eq!(week_before_close(91), None);
        assert_eq!(week_before_close(-1), None);
        assert_eq!(s.weeks_before_close.len(), 13);
        let w = &s.weeks_before_close;
        // Two won deals: week 0 has 2 activities → 1.0 per won deal.
        assert_eq!((w[0].won, w[0].lost), (Some(1.0), Some(0.0)));
        assert_eq!((w[1].won, w[1].lost), (Some(0.5), Some(1.0)));
        assert_eq!(w[12].won, Some(0.5));
        assert_eq!((w[1].from_days_before, w[1].to_days_before), (13, 7));
        // All 6 activities linked to W count, whatever their date.
        assert_eq!(s.linked_to_won_deals, 6);
        assert_eq!(s.activities_per_won_deal, Some(3.0));
        assert_eq!((s.won_deals, s.lost_deals), (2, 1));
    }

    #[test]
    fn no_deal_links_is_null_with_a_note() {
        let mut ds = Dataset::default();
        deal(&mut ds, "W", "Ana", Status::Won, 1000.0, "2024-03-31");
        act(&mut ds, "Ana", "Call", "2024-03-30", None, None);
        let (s, notes) = section(&ds, &Query::default());
        assert_eq!(s.activities_per_won_deal, None);
        assert!(s.weeks_before_close.iter().all(|w| w.won.is_none()));
        assert!(notes.iter().any(|n| n == "activities.activitiesPerWonDeal"));
    }

    #[test]
    fn no_table_is_none() {
        let mut ds = Dataset::default();
        deal(&mut ds, "W", "Ana", Status::Won, 1000.0, "2024-03-31");
        let q = Query::default();
        let mut ctx = Context::new(&ds, &q).unwrap();
        assert!(activities(&mut ctx, &ActivityFacts::of(&ds), Scope::Whole).is_none());
        assert_eq!(ctx.notes[0].metric, "activities");
    }
}
