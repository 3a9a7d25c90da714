//! The query a report is computed for (SPEC §3); every field has a default.

use crate::period::Granularity;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Filters: a deal (activity, lead) passes when, for every non-empty list,
/// its value is in the list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Filters {
    /// Reps (deal owners).
    pub rep: Vec<String>,
    /// Teams.
    pub team: Vec<String>,
    /// Regions.
    pub region: Vec<String>,
    /// Products.
    pub product: Vec<String>,
    /// Lead sources.
    pub source: Vec<String>,
}

impl Filters {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.rep.is_empty()
            && self.team.is_empty()
            && self.region.is_empty()
            && self.product.is_empty()
            && self.source.is_empty()
    }
}

/// What the caller asks for. Missing fields take the defaults of SPEC §3.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Query {
    /// First day of the range (default: the earliest event date).
    #[cfg_attr(test, ts(type = "string | null"))]
    pub from: Option<NaiveDate>,
    /// Last day of the range (default: `asOf`).
    #[cfg_attr(test, ts(type = "string | null"))]
    pub to: Option<NaiveDate>,
    /// Series granularity (default month).
    pub granularity: Granularity,
    /// First month of the fiscal year, 1–12 (default 1).
    pub fiscal_year_start_month: Option<u32>,
    /// "Today" for ageing and open deals (default: the latest event date).
    #[cfg_attr(test, ts(type = "string | null"))]
    pub as_of: Option<NaiveDate>,
    /// Revenue target for the leads-needed calculator (default: quotas in range).
    pub target: Option<f64>,
    /// Filters.
    pub filters: Filters,
    /// Pipeline stage order (default: inferred).
    pub stage_order: Option<Vec<String>>,
    /// Activity categories that count as selling (default `client_digital`, `client_in_person`).
    pub selling_categories: Option<Vec<String>>,
    /// Activity type → category overrides (`{"Site visit": "client_in_person"}`).
    pub activity_categories: Option<std::collections::BTreeMap<String, String>>,
    /// Report currency (default: the most frequent deal currency).
    pub currency: Option<String>,
}

impl Query {
    /// Parses a query from JSON (an empty string is the default query).
    pub fn from_json(s: &str) -> crate::Result<Query> {
        if s.trim().is_empty() {
            return Ok(Query::default());
        }
        let q: Query = serde_json::from_str(s)
            .map_err(|e| crate::Error::new(crate::error::ErrorKind::BadQuery(e.to_string())))?;
        q.validate()?;
        Ok(q)
    }

    /// Checks field ranges that serde cannot.
    pub fn validate(&self) -> crate::Result<()> {
        let bad = |m: String| Err(crate::Error::new(crate::error::ErrorKind::BadQuery(m)));
        if let Some(m) = self.fiscal_year_start_month {
            if !(1..=12).contains(&m) {
                return bad(format!("fiscalYearStartMonth must be 1–12, not {m}"));
            }
        }
        if let (Some(f), Some(t)) = (self.from, self.to) {
            if f > t {
                return bad(format!("from {f} is after to {t}"));
            }
        }
        if let Some(t) = self.target {
            if !t.is_finite() || t < 0.0 {
                return bad(format!("target must be a positive number, not {t}"));
            }
        }
        Ok(())
    }
}
