//! Reporting periods: granularity, the fiscal calendar and period labels.
//!
//! Periods are computed on calendar dates only (SPEC §2: never shifted
//! through a time zone). With a fiscal year starting in month `m > 1`,
//! quarters and years are fiscal and named by the year in which the fiscal
//! year ends: with `m = 4`, 2024-04-01 is in `FY2025-Q1`.

use crate::ingest::value::PeriodSpec;
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// How finely series are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Granularity {
    /// ISO weeks (`2024-W09`), starting on Monday.
    Week,
    /// Months (`2024-03`).
    #[default]
    Month,
    /// Quarters (`2024-Q1` or `FY2025-Q1`).
    Quarter,
    /// Years (`2024` or `FY2025`).
    Year,
}

impl Granularity {
    /// Parses `week`, `month`, `quarter` or `year`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "week" | "w" => Granularity::Week,
            "month" | "m" => Granularity::Month,
            "quarter" | "q" => Granularity::Quarter,
            "year" | "y" => Granularity::Year,
            _ => return None,
        })
    }
}

/// One period of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    /// Its label.
    pub label: String,
}

/// The calendar a report is cut with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    /// Granularity.
    pub granularity: Granularity,
    /// First month of the fiscal year (1 = January).
    pub fy_start: u32,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The first day of the month `months` after (y, m).
fn add_months(y: i32, m: u32, months: i32) -> NaiveDate {
    let total = y * 12 + (m as i32 - 1) + months;
    ymd(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
}

impl Calendar {
    /// The first day of the period containing `d`.
    pub fn start_of(&self, d: NaiveDate) -> NaiveDate {
        match self.granularity {
            Granularity::Week => d - Duration::days(d.weekday().num_days_from_monday() as i64),
            Granularity::Month => ymd(d.year(), d.month(), 1),
            Granularity::Quarter => {
                let k = (d.month() + 12 - self.fy_start) % 12;
                add_months(d.year(), d.month(), -((k % 3) as i32))
            }
            Granularity::Year => {
                let k = (d.month() + 12 - self.fy_start) % 12;
                add_months(d.year(), d.month(), -(k as i32))
            }
        }
    }

    /// The first day of the next period after the one starting at `start`.
    pub fn next(&self, start: NaiveDate) -> NaiveDate {
        match self.granularity {
            Granularity::Week => start + Duration::days(7),
            Granularity::Month => add_months(start.year(), start.month(), 1),
            Granularity::Quarter => add_months(start.year(), start.month(), 3),
            Granularity::Year => add_months(start.year(), start.month(), 12),
        }
    }

    /// The fiscal year (named by the year it ends in) of a fiscal-year start.
    fn fiscal_year(&self, start: NaiveDate) -> i32 {
        let k = (start.month() + 12 - self.fy_start) % 12;
        let fy_first = add_months(start.year(), start.month(), -(k as i32));
        if self.fy_start == 1 {
            fy_first.year()
        } else {
            fy_first.year() + 1
        }
    }

    /// The label of the period starting at `start`.
    pub fn label(&self, start: NaiveDate) -> String {
        match self.granularity {
            Granularity::Week => {
                let w = start.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Granularity::Month => format!("{}-{:02}", start.year(), start.month()),
            Granularity::Quarter => {
                let q = (start.month() + 12 - self.fy_start) % 12 / 3 + 1;
                if self.fy_start == 1 {
                    format!("{}-Q{q}", start.year())
                } else {
                    format!("FY{}-Q{q}", self.fiscal_year(start))
                }
            }
            Granularity::Year => {
                if self.fy_start == 1 {
                    format!("{}", start.year())
                } else {
                    format!("FY{}", self.fiscal_year(start))
                }
            }
        }
    }

    /// Every period from the one containing `from` to the one containing `to`.
    pub fn periods(&self, from: NaiveDate, to: NaiveDate) -> Vec<Period> {
        let mut out = Vec::new();
        let mut s = self.start_of(from);
        while s <= to {
            let n = self.next(s);
            out.push(Period {
                start: s,
                end: n - Duration::days(1),
                label: self.label(s),
            });
            s = n;
        }
        out
    }
}

/// The dates and label of a quota period under fiscal start `fy_start`.
pub fn resolve_spec(spec: PeriodSpec, fy_start: u32) -> (NaiveDate, NaiveDate, String) {
    let (start, months, label) = match spec {
        PeriodSpec::Month(y, m) => (ymd(y, m, 1), 1, format!("{y}-{m:02}")),
        PeriodSpec::Quarter(y, q) => (ymd(y, 3 * q - 2, 1), 3, format!("{y}-Q{q}")),
        PeriodSpec::Year(y) => (ymd(y, 1, 1), 12, format!("{y}")),
        PeriodSpec::FiscalYear(fy) => (fiscal_start(fy, fy_start), 12, format!("FY{fy}")),
        PeriodSpec::FiscalQuarter(fy, q) => {
            let s = fiscal_start(fy, fy_start);
            (
                add_months(s.year(), s.month(), 3 * (q as i32 - 1)),
                3,
                format!("FY{fy}-Q{q}"),
            )
        }
    };
    let end = add_months(start.year(), start.month(), months) - Duration::days(1);
    (start, end, label)
}

fn fiscal_start(fy: i32, fy_start: u32) -> NaiveDate {
    if fy_start == 1 {
        ymd(fy, 1, 1)
    } else {
        ymd(fy - 1, fy_start, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn labels() {
        let cal = |g, m| Calendar {
            granularity: g,
            fy_start: m,
        };
        let q = cal(Granularity::Quarter, 1);
        assert_eq!(q.label(q.start_of(d("2024-03-31"))), "2024-Q1");
        let fq = cal(Granularity::Quarter, 4);
        assert_eq!(fq.start_of(d("2024-04-15")), d("2024-04-01"));
        assert_eq!(fq.label(fq.start_of(d("2024-04-15"))), "FY2025-Q1");
        assert_eq!(fq.label(fq.start_of(d("2024-03-31"))), "FY2024-Q4");
        let fy = cal(Granularity::Year, 7);
        assert_eq!(fy.label(fy.start_of(d("2024-06-30"))), "FY2024");
        assert_eq!(fy.label(fy.start_of(d("2024-07-01"))), "FY2025");
        let w = cal(Granularity::Week, 1);
        assert_eq!(w.label(w.start_of(d("2024-02-29"))), "2024-W09");
        assert_eq!(w.label(w.start_of(d("2021-01-03"))), "2020-W53");
    }

    #[test]
    fn zero_filled_range() {
        let m = Calendar {
            granularity: Granularity::Month,
            fy_start: 1,
        };
        let p = m.periods(d("2024-01-15"), d("2024-04-02"));
        let labels: Vec<_> = p.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2024-01", "2024-02", "2024-03", "2024-04"]);
        assert_eq!(p[1].end, d("2024-02-29"));
    }

    #[test]
    fn quota_periods() {
        assert_eq!(
            resolve_spec(PeriodSpec::Quarter(2024, 2), 1),
            (d("2024-04-01"), d("2024-06-30"), "2024-Q2".into())
        );
        assert_eq!(
            resolve_spec(PeriodSpec::FiscalQuarter(2025, 1), 4).0,
            d("2024-04-01")
        );
        assert_eq!(
            resolve_spec(PeriodSpec::FiscalYear(2025), 1).1,
            d("2025-12-31")
        );
    }
}
