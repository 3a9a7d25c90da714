//! Table kinds and their canonical columns.

use serde::{Deserialize, Serialize};

/// The kind of an input table (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Deals, opportunities, or closed sales (orders, invoices).
    Deals,
    /// One row per deal per stage entered.
    StageHistory,
    /// Calls, emails, meetings and the rest of a rep's day.
    Activities,
    /// Leads with their lifecycle dates.
    Leads,
    /// Quota per rep (or team, or region) per period.
    Quotas,
    /// The roster: rep, team, manager, region.
    Reps,
    /// Products with list prices.
    Products,
    /// Exchange rates to the report currency.
    FxRates,
}

impl Kind {
    /// Every kind, in the order used to break detection ties.
    pub const ALL: [Kind; 8] = [
        Kind::Deals,
        Kind::StageHistory,
        Kind::Activities,
        Kind::Leads,
        Kind::Quotas,
        Kind::Reps,
        Kind::Products,
        Kind::FxRates,
    ];

    /// The snake_case name used in the CLI (`deals=FILE`) and the report.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Deals => "deals",
            Kind::StageHistory => "stage_history",
            Kind::Activities => "activities",
            Kind::Leads => "leads",
            Kind::Quotas => "quotas",
            Kind::Reps => "reps",
            Kind::Products => "products",
            Kind::FxRates => "fx_rates",
        }
    }

    /// Parses a kind name as the CLI and the API accept it.
    pub fn parse(s: &str) -> Option<Kind> {
        let n: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        Some(match n.as_str() {
            "deals" | "deal" | "opportunities" | "orders" | "sales" => Kind::Deals,
            "stagehistory" | "history" => Kind::StageHistory,
            "activities" | "activity" => Kind::Activities,
            "leads" | "lead" => Kind::Leads,
            "quotas" | "quota" | "targets" => Kind::Quotas,
            "reps" | "roster" | "team" | "teams" => Kind::Reps,
            "products" | "product" => Kind::Products,
            "fxrates" | "fx" | "rates" => Kind::FxRates,
            _ => return None,
        })
    }

    /// Words in a file name that hint at this kind (a tie-breaker only).
    pub fn filename_hints(self) -> &'static [&'static str] {
        match self {
            Kind::Deals => &[
                "deal",
                "opportunit",
                "pipeline",
                "order",
                "sales",
                "penjualan",
                "peluang",
            ],
            Kind::StageHistory => &["history", "stage", "riwayat"],
            Kind::Activities => &["activit", "task", "call", "aktivitas"],
            Kind::Leads => &["lead", "mql", "prospek"],
            Kind::Quotas => &["quota", "target", "kuota"],
            Kind::Reps => &["rep", "team", "roster", "staff", "tim"],
            Kind::Products => &["product", "price", "produk"],
            Kind::FxRates => &["fx", "rate", "kurs", "currenc"],
        }
    }
}

/// How a canonical column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// Kept as text (interned).
    Text,
    /// A number with a per-column decimal style.
    Number,
    /// A date (or date-time) with a per-column day/month order.
    Date,
    /// A quota period (`2024-Q1`, `Mar 2024`...).
    Period,
}

/// A canonical column of a kind.
#[derive(Debug, Clone, Copy)]
pub struct ColumnDef {
    /// The canonical name, as in SPEC §2.
    pub name: &'static str,
    /// How its cells are read.
    pub ty: ValueType,
    /// Whether this column is typical of the kind (weighs more in detection).
    pub signature: bool,
}

macro_rules! col {
    ($name:expr, $ty:expr, $sig:expr) => {
        ColumnDef {
            name: $name,
            ty: $ty,
            signature: $sig,
        }
    };
}

use ValueType::{Date, Number, Period, Text};

/// The canonical columns of a kind.
pub fn columns(kind: Kind) -> &'static [ColumnDef] {
    match kind {
        Kind::Deals => &[
            col!("id", Text, false),
            col!("owner", Text, false),
            col!("stage", Text, true),
            col!("status", Text, false),
            col!("amount", Number, true),
            col!("created_date", Date, false),
            col!("close_date", Date, true),
            col!("account", Text, false),
            col!("product", Text, false),
            col!("region", Text, false),
            col!("team", Text, false),
            col!("source", Text, false),
            col!("probability", Number, false),
            col!("currency", Text, false),
            col!("lost_reason", Text, true),
            col!("lead_id", Text, false),
        ],
        Kind::StageHistory => &[
            col!("deal_id", Text, true),
            col!("stage", Text, false),
            col!("entered_date", Date, true),
        ],
        Kind::Activities => &[
            col!("rep", Text, false),
            col!("type", Text, true),
            col!("date", Date, false),
            col!("duration_minutes", Number, true),
            col!("deal_id", Text, false),
            col!("account", Text, false),
            col!("outcome", Text, false),
        ],
        Kind::Leads => &[
            col!("id", Text, false),
            col!("created_date", Date, false),
            col!("status", Text, false),
            col!("mql_date", Date, true),
            col!("sql_date", Date, true),
            col!("opportunity_date", Date, true),
            col!("customer_date", Date, false),
            col!("source", Text, false),
            col!("owner", Text, false),
            col!("first_response_at", Date, true),
        ],
        Kind::Quotas => &[
            col!("rep", Text, false),
            col!("team", Text, false),
            col!("region", Text, false),
            col!("amount", Number, true),
            col!("period", Period, true),
            col!("period_start", Date, true),
            col!("period_end", Date, true),
        ],
        Kind::Reps => &[
            col!("rep", Text, false),
            col!("team", Text, false),
            col!("manager", Text, true),
            col!("region", Text, false),
            col!("start_date", Date, true),
        ],
        Kind::Products => &[
            col!("product", Text, false),
            col!("list_price", Number, true),
        ],
        Kind::FxRates => &[col!("currency", Text, false), col!("rate", Number, true)],
    }
}

/// The definition of `name` in `kind`.
pub fn column(kind: Kind, name: &str) -> Option<&'static ColumnDef> {
    columns(kind).iter().find(|c| c.name == name)
}
