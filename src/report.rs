//! The report: serde types only (camelCase JSON), the same object from the
//! CLI and the WebAssembly API. Sections whose tables are missing are `null`.
//! The TypeScript declarations in `pkg-types/report.d.ts` are generated from
//! these types by a test and checked for staleness in CI.

use crate::quality::TableQuality;
use crate::query::Filters;
use serde::Serialize;

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Report {
    /// The query with every default filled in.
    pub query: ResolvedQuery,
    /// Headline figures.
    pub summary: Summary,
    /// One row per period, zero-filled.
    pub series: Vec<SeriesRow>,
    /// The average-deal-size trend.
    pub avg_deal_size_trend: Option<Trend>,
    /// Per rep: the leaderboard (revenue desc, then name).
    pub by_rep: Vec<Breakdown>,
    /// Per team.
    pub by_team: Vec<Breakdown>,
    /// Per region.
    pub by_region: Vec<Breakdown>,
    /// Per product.
    pub by_product: Vec<Breakdown>,
    /// Per lead source.
    pub by_source: Vec<Breakdown>,
    /// Quota attainment (null without a quotas table).
    pub quota: Option<QuotaSection>,
    /// The deal funnel over deals closed in range (null without deals).
    pub funnel: Option<FunnelSection>,
    /// Open pipeline by stage, stalled deals and coverage (null without deals).
    pub pipeline: Option<PipelineSection>,
    /// The lead funnel (null without a leads table).
    pub leads: Option<LeadsSection>,
    /// Deals, opportunities and leads needed for the target.
    pub leads_needed: Option<LeadsNeeded>,
    /// Activities (null without an activities table).
    pub activities: Option<ActivitiesSection>,
    /// Territories (null when nothing has a region).
    pub territories: Option<TerritoriesSection>,
    /// Every table read, every decision, every rejected row.
    pub data_quality: DataQuality,
    /// Why a metric is null, and other things the reader must know.
    pub notes: Vec<Note>,
}

/// The query as used.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ResolvedQuery {
    /// First day (ISO), null when there is no dated data.
    pub from: Option<String>,
    /// Last day (ISO).
    pub to: Option<String>,
    /// "Today".
    pub as_of: Option<String>,
    /// `week`, `month`, `quarter` or `year`.
    pub granularity: String,
    /// First month of the fiscal year.
    pub fiscal_year_start_month: u32,
    /// The revenue target.
    pub target: Option<f64>,
    /// Where the target came from: `query`, `quotas` or null.
    pub target_source: Option<String>,
    /// Filters.
    pub filters: Filters,
    /// The stage order asked for.
    pub stage_order: Option<Vec<String>>,
    /// Selling categories asked for.
    pub selling_categories: Option<Vec<String>>,
    /// Activity type → category overrides asked for.
    pub activity_categories: Option<std::collections::BTreeMap<String, String>>,
    /// The report currency (null when the files never say).
    pub currency: Option<String>,
}

/// `{mean, median, p90}` of a set of day counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Spread {
    /// Mean.
    pub mean: f64,
    /// Median.
    pub median: f64,
    /// 90th percentile.
    pub p90: f64,
    /// How many values.
    pub count: u32,
}

/// A range's headline figures alone: what the page compares a report with
/// (the range of equal length before it). The same `query` and `summary`
/// the whole report for that query has, without the sections nothing
/// compares (worked out and handed over in a fraction of the time).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReportSummary {
    /// The query with every default filled in.
    pub query: ResolvedQuery,
    /// Headline figures.
    pub summary: Summary,
}

/// Headline figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Summary {
    /// Σ amount of won deals closed in range.
    pub revenue: f64,
    /// Won deals closed in range.
    pub deals_won: u32,
    /// Lost deals closed in range.
    pub deals_lost: u32,
    /// Deals open as of `asOf`.
    pub deals_open: u32,
    /// Σ amount of open deals.
    pub open_pipeline: f64,
    /// Probability-weighted open pipeline (pipeline issue: null for now).
    pub weighted_pipeline: Option<f64>,
    /// revenue / won deals with an amount.
    pub avg_deal_size: Option<f64>,
    /// Median amount of won deals.
    pub median_deal_size: Option<f64>,
    /// won / (won + lost).
    pub win_rate: Option<f64>,
    /// won / all deals created in range (open included).
    pub win_rate_created_cohort: Option<f64>,
    /// Days from created to closed, over won deals.
    pub sales_cycle_days: Option<Spread>,
    /// Σ won / Σ quota over quota periods overlapping the range.
    pub quota_attainment: Option<f64>,
    /// Open pipeline / remaining quota for the current periods (pipeline issue).
    pub pipeline_coverage: Option<f64>,
    /// dealsOpen × avgDealSize × winRate / mean sales cycle days.
    pub pipeline_velocity_per_day: Option<f64>,
    /// Selling minutes / all minutes (activities issue).
    pub selling_time_share: Option<f64>,
}

/// One period of the series.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SeriesRow {
    /// `2024-03`, `2024-W09`, `2024-Q1`, `FY2025-Q1`, `2024`...
    pub period: String,
    /// First day (ISO).
    pub start: String,
    /// Last day (ISO).
    pub end: String,
    /// Won revenue.
    pub revenue: f64,
    /// Won deals.
    pub deals_won: u32,
    /// Lost deals.
    pub deals_lost: u32,
    /// Average won deal.
    pub avg_deal_size: Option<f64>,
    /// Win rate.
    pub win_rate: Option<f64>,
    /// Revenue change vs the previous period, in percent (null when it was 0).
    pub revenue_growth_pct: Option<f64>,
}

/// The average-deal-size trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Trend {
    /// OLS slope per period (null when insufficient).
    pub slope: Option<f64>,
    /// slope × (periods − 1) / mean × 100.
    pub change_pct: Option<f64>,
    /// `growing`, `shrinking`, `flat` or `insufficient`.
    pub direction: String,
    /// Periods with wins used in the fit.
    pub periods_with_wins: u32,
}

/// Figures for one rep, team, region, product or source.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Breakdown {
    /// The key; null for deals where it is not set.
    pub name: Option<String>,
    /// Won revenue.
    pub revenue: f64,
    /// Won deals.
    pub deals_won: u32,
    /// Lost deals.
    pub deals_lost: u32,
    /// Open deals.
    pub deals_open: u32,
    /// Open pipeline.
    pub open_pipeline: f64,
    /// Average won deal.
    pub avg_deal_size: Option<f64>,
    /// Median won deal.
    pub median_deal_size: Option<f64>,
    /// Win rate.
    pub win_rate: Option<f64>,
    /// Sales cycle.
    pub sales_cycle_days: Option<Spread>,
    /// Share of total revenue.
    pub revenue_share: Option<f64>,
    /// Activities in range (`byRep` only, with an activities table).
    pub activities: Option<u32>,
    /// Selling time share (`byRep` only, with an activities table).
    pub selling_time_share: Option<f64>,
}

/// Quota attainment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QuotaSection {
    /// The level the headline counts are over: `rep`, `team` or `region`.
    pub level: String,
    /// (rep, period) pairs whose period overlaps the range.
    pub reps_with_quota: u32,
    /// Pairs with attainment ≥ 1.
    pub reps_at_or_above_quota: u32,
    /// The share of pairs at or above quota.
    pub share_at_or_above: Option<f64>,
    /// Σ won / Σ quota.
    pub team_attainment: Option<f64>,
    /// Σ quota.
    pub quota_total: f64,
    /// Σ won against those quotas.
    pub won_total: f64,
    /// Counts per attainment bucket.
    pub distribution: Vec<Bucket>,
    /// The share at or above quota per quota period.
    pub per_period: Vec<QuotaPeriodRow>,
    /// Every pair.
    pub attainments: Vec<Attainment>,
}

/// One bucket of the attainment distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Bucket {
    /// `<50%`, `50–80%`, `80–100%`, `100–120%`, `≥120%`.
    pub bucket: String,
    /// Pairs in it.
    pub count: u32,
}

/// One quota period's share at or above quota.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QuotaPeriodRow {
    /// Label.
    pub period: String,
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
    /// Pairs.
    pub reps_with_quota: u32,
    /// Pairs at or above.
    pub reps_at_or_above_quota: u32,
    /// Share.
    pub share_at_or_above: Option<f64>,
    /// Σ won / Σ quota in the period.
    pub attainment: Option<f64>,
}

/// One (rep, period) attainment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Attainment {
    /// `rep`, `team` or `region`.
    pub level: String,
    /// Who.
    pub name: String,
    /// Period label.
    pub period: String,
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
    /// Quota.
    pub quota: f64,
    /// Won revenue in the period.
    pub won: f64,
    /// won / quota (null for a zero quota).
    pub attainment: Option<f64>,
}

/// Data quality over all tables.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DataQuality {
    /// One record per table (file or sheet).
    #[cfg_attr(test, ts(type = "Array<TableQuality>"))]
    pub tables: Vec<TableQuality>,
    /// Σ rows read.
    pub rows_read: u32,
    /// Σ rows used.
    pub rows_used: u32,
    /// Σ rows rejected.
    pub rows_rejected: u32,
    /// Deals left out of money figures because their currency has no rate.
    pub excluded_for_currency: u32,
    /// Currencies seen on deals, with counts.
    pub currencies: Vec<CurrencyCount>,
    /// Deals valued at their product's list price.
    pub valued_at_list_price: u32,
    /// Won or open deals with no amount and no list price.
    pub without_amount: u32,
}

/// A currency and how many deals use it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CurrencyCount {
    /// ISO code.
    pub currency: String,
    /// Deals.
    pub deals: u32,
    /// The rate used to convert, when not the report currency.
    pub rate: Option<f64>,
}

/// The stage order used and how it was decided.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StageOrderInfo {
    /// Non-terminal stages, first to last.
    pub stages: Vec<String>,
    /// `query`, `history`, `probability`, `crm defaults (<crm>)` or `alphabetical`.
    pub source: String,
    /// Stages no default, history or query placed (appended in name order).
    pub unknown_stages: Vec<String>,
}

/// `{median, p90}` of days spent in a stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StageTime {
    /// Median days.
    pub median: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Deals measured.
    pub count: u32,
}

/// One stage of the deal funnel.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FunnelStage {
    /// Stage name.
    pub stage: String,
    /// Closed deals whose furthest stage is at or after this one (null without history).
    pub reached: Option<u32>,
    /// Lost deals whose furthest stage is this one.
    pub lost_at: Option<u32>,
    /// reached(next) / reached(this); the last stage converts to won.
    pub conversion: Option<f64>,
    /// reached(this) / reached(first).
    pub cumulative: Option<f64>,
    /// lostAt / reached.
    pub drop_off: Option<f64>,
    /// Days from entering the stage to entering the next (or closing).
    pub time_in_stage_days: Option<StageTime>,
    /// Open deals in this stage as of `asOf`.
    pub open_now: u32,
}

/// The deal funnel.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FunnelSection {
    /// `history` (leakage measured) or `snapshot` (current stages only).
    pub basis: String,
    /// The order used.
    pub stage_order: StageOrderInfo,
    /// Closed deals in range counted.
    pub deals: u32,
    /// Of which won.
    pub won: u32,
    /// Of which lost.
    pub lost: u32,
    /// Closed deals in range with no stage history (counted as reaching the first stage).
    pub deals_without_history: u32,
    /// Per stage.
    pub stages: Vec<FunnelStage>,
    /// The stage with the highest drop-off.
    pub leakiest_stage: Option<String>,
    /// The stage with the highest median time.
    pub bottleneck_stage: Option<String>,
}

/// Open deals in one stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PipelineStage {
    /// Stage name (`null` for deals without a stage).
    pub stage: Option<String>,
    /// Open deals.
    pub count: u32,
    /// Σ value.
    pub amount: f64,
    /// Σ value × weight.
    pub weighted_amount: f64,
    /// Deals weighted by their own probability.
    pub weighted_by_probability: u32,
    /// The historical win rate used for the others (null when none was needed).
    pub stage_win_rate: Option<f64>,
}

/// What makes an open deal look stuck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum StallKind {
    /// Longer in its stage than the stage's p90.
    #[serde(rename = "time in stage")]
    TimeInStage,
    /// Older than the sales cycle's p90 (without stage history).
    #[serde(rename = "age")]
    Age,
    /// No linked activity for longer than the idle threshold.
    #[serde(rename = "idle")]
    Idle,
}

impl StallKind {
    /// The name the report gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            StallKind::TimeInStage => "time in stage",
            StallKind::Age => "age",
            StallKind::Idle => "idle",
        }
    }
}

impl PartialEq<&str> for StallKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Why a deal is stalled.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StallReason {
    /// `time in stage`, `age` or `idle`.
    pub reason: StallKind,
    /// Days it has been so.
    // A number in JSON and in the page (ts-rs would say `bigint` for an i64).
    #[cfg_attr(test, ts(type = "number"))]
    pub days: i64,
    /// The threshold it crossed, in days.
    pub threshold_days: f64,
}

/// An open deal that looks stuck.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StalledDeal {
    /// Deal id (or `line N`).
    pub id: String,
    /// Owner.
    pub owner: Option<String>,
    /// Current stage.
    pub stage: Option<String>,
    /// Value.
    pub amount: Option<f64>,
    /// Every reason that applies.
    pub reasons: Vec<StallReason>,
}

/// Pipeline coverage for the current quota periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Coverage {
    /// The current periods (containing `asOf`).
    pub periods: Vec<String>,
    /// Σ their quota.
    pub quota: f64,
    /// Won in them.
    pub won: f64,
    /// quota − won.
    pub remaining: f64,
    /// Open deals expected to close in them.
    pub open_in_periods: f64,
    /// openInPeriods / remaining (null once the quota is met).
    pub coverage: Option<f64>,
}

/// Open pipeline detail.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PipelineSection {
    /// Open deals per stage, in stage order.
    pub by_stage: Vec<PipelineStage>,
    /// Σ weighted amount.
    pub weighted_pipeline: f64,
    /// Stalled open deals, longest first.
    pub stalled: Vec<StalledDeal>,
    /// Coverage (null without quotas).
    pub coverage: Option<Coverage>,
    /// dealsOpen × avgDealSize × winRate / mean sales cycle days.
    pub velocity_per_day: Option<f64>,
}

/// Lead funnel figures for all leads or one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LeadFunnel {
    /// The source (null for all leads).
    pub source: Option<String>,
    /// Leads created in range.
    pub leads: u32,
    /// Of which reached MQL.
    pub mql: u32,
    /// SQL.
    pub sql: u32,
    /// Opportunity.
    pub opportunity: u32,
    /// Customer.
    pub customer: u32,
    /// mql / leads.
    pub lead_to_mql: Option<f64>,
    /// sql / mql.
    pub mql_to_sql: Option<f64>,
    /// opportunity / sql.
    pub sql_to_opportunity: Option<f64>,
    /// customer / opportunity.
    pub opportunity_to_customer: Option<f64>,
    /// opportunity / leads.
    pub lead_to_opportunity: Option<f64>,
    /// customer / leads.
    pub lead_to_customer: Option<f64>,
    /// The step with the lowest conversion (`mql→sql`...).
    pub largest_drop_off: Option<String>,
    /// Median days from MQL to SQL.
    pub median_days_mql_to_sql: Option<f64>,
    /// Median hours from creation to first response.
    pub median_first_response_hours: Option<f64>,
}

/// The lead funnel.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LeadsSection {
    /// All leads created in range.
    pub overall: LeadFunnel,
    /// Per source, by lead count desc then name.
    pub by_source: Vec<LeadFunnel>,
    /// Deals linked to a lead of the table.
    pub linked_deals: u32,
    /// Deals whose lead id matches no lead.
    pub unmatched_deal_links: u32,
}

/// What the target takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LeadsNeeded {
    /// The revenue target.
    pub target: f64,
    /// `query` or `quotas`.
    pub target_source: String,
    /// Average deal size used.
    pub avg_deal_size: Option<f64>,
    /// Win rate used.
    pub win_rate: Option<f64>,
    /// Lead → opportunity rate used.
    pub lead_to_opportunity: Option<f64>,
    /// ⌈target / avgDealSize⌉.
    pub deals_needed: Option<u32>,
    /// ⌈dealsNeeded / winRate⌉.
    pub opportunities_needed: Option<u32>,
    /// ⌈opportunitiesNeeded / leadToOpportunity⌉.
    pub leads_needed: Option<u32>,
}

/// Activities: how reps spend their time.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ActivitiesSection {
    /// `minutes` when durations are known, else `count`: what every share is of.
    pub share_basis: String,
    /// Activities in range (after filters).
    pub count: u32,
    /// Σ known durations in minutes (null when no activity has one).
    pub minutes: Option<f64>,
    /// Activities in range with a duration.
    pub with_duration: u32,
    /// The categories that count as selling.
    pub selling_categories: Vec<String>,
    /// Selling minutes / all minutes (counts on a count basis).
    pub selling_time_share: Option<f64>,
    /// The industry benchmark for selling time, 0.39.
    pub benchmark: f64,
    /// sellingTimeShare − benchmark.
    pub vs_benchmark: Option<f64>,
    /// Per activity type, by share desc.
    pub by_type: Vec<ActivityTypeRow>,
    /// Per category, in the standard order.
    pub by_category: Vec<ActivityCategoryRow>,
    /// Per rep, by count desc, then name.
    pub by_rep: Vec<ActivityRepRow>,
    /// The five reps with the most activities.
    pub most_active: Vec<RepActivityCount>,
    /// Pearson r of each type's count per rep against won revenue per rep.
    pub correlation_with_revenue: Vec<TypeCorrelation>,
    /// Types with ≥ 10 % of the time and r null or below 0.2.
    pub time_sinks: Vec<TimeSink>,
    /// Activities linked to won deals closed in range / those deals.
    pub activities_per_won_deal: Option<f64>,
    /// Activities linked by deal id to won deals closed in range.
    pub linked_to_won_deals: u32,
    /// Won deals closed in range.
    pub won_deals: u32,
    /// Lost deals closed in range.
    pub lost_deals: u32,
    /// Weeks 0–12 before close: mean activities per won and per lost deal.
    pub weeks_before_close: Vec<WeekBeforeClose>,
    /// How each activity type in the table was categorised.
    pub mapping: Vec<CategoryMapping>,
}

/// One activity type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ActivityTypeRow {
    /// The type as written (its most frequent spelling).
    #[serde(rename = "type")]
    pub kind: String,
    /// Its category.
    pub category: String,
    /// Whether the category counts as selling.
    pub selling: bool,
    /// Activities.
    pub count: u32,
    /// Σ known minutes (null when no activity in range has a duration).
    pub minutes: Option<f64>,
    /// Activities with a duration.
    pub with_duration: u32,
    /// Share of all minutes (or of the count, see `shareBasis`).
    pub share: Option<f64>,
}

/// One activity category.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ActivityCategoryRow {
    /// `client_digital`, `client_in_person`, `internal_meeting`, `admin`,
    /// `travel`, `training`, `prep`, `other`, or one named in the query.
    pub category: String,
    /// Whether it counts as selling.
    pub selling: bool,
    /// Activities.
    pub count: u32,
    /// Σ known minutes (null when no activity in range has a duration).
    pub minutes: Option<f64>,
    /// Activities with a duration.
    pub with_duration: u32,
    /// Share of all minutes (or of the count, see `shareBasis`).
    pub share: Option<f64>,
}

/// One rep's activities.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ActivityRepRow {
    /// The rep.
    pub name: String,
    /// Activities in range.
    pub count: u32,
    /// Σ known minutes (null when no activity in range has a duration).
    pub minutes: Option<f64>,
    /// Selling share of the rep's time (null when the rep has none logged).
    pub selling_time_share: Option<f64>,
    /// sellingTimeShare − 0.39.
    pub vs_benchmark: Option<f64>,
    /// Won revenue (won deals closed in range).
    pub won_revenue: f64,
    /// Per category, in the section's category order.
    pub by_category: Vec<RepCategory>,
}

/// One rep's activities in one category.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RepCategory {
    /// The category.
    pub category: String,
    /// Activities.
    pub count: u32,
    /// Σ known minutes (null when no activity in range has a duration).
    pub minutes: Option<f64>,
}

/// A rep and an activity count.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RepActivityCount {
    /// The rep.
    pub name: String,
    /// Activities in range.
    pub count: u32,
}

/// How one activity type's count per rep goes with won revenue per rep.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TypeCorrelation {
    /// The type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Pearson r (null below 3 reps or with zero variance).
    pub r: Option<f64>,
    /// Reps in the calculation.
    pub reps: u32,
}

/// A type that takes time without going with revenue.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TimeSink {
    /// The type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its category.
    pub category: String,
    /// Its share of the time (or count).
    pub share: f64,
    /// Its correlation with revenue.
    pub r: Option<f64>,
}

/// One week before close.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WeekBeforeClose {
    /// 0 = the week ending on the close date.
    pub week: u32,
    /// First day of the week, in days before close (7 × week + 6).
    pub from_days_before: u32,
    /// Last day of the week, in days before close (7 × week).
    pub to_days_before: u32,
    /// Mean linked activities per won deal closed in range.
    pub won: Option<f64>,
    /// Mean linked activities per lost deal closed in range.
    pub lost: Option<f64>,
}

/// How one activity type was categorised.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CategoryMapping {
    /// The type as written (its most frequent spelling).
    #[serde(rename = "type")]
    pub kind: String,
    /// The category.
    pub category: String,
    /// `query` (an override), `default` (a known synonym), `keyword`
    /// (contains a known word) or `unmapped` (left as `other`).
    pub source: String,
}

/// Territories.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TerritoriesSection {
    /// Per region, by revenue desc, then name.
    pub regions: Vec<TerritoryRow>,
    /// Unweighted mean of pipeline per rep across regions.
    pub mean_pipeline_per_rep: Option<f64>,
    /// Coefficient of variation of pipeline per rep across regions.
    pub imbalance: Option<f64>,
    /// Regions out of balance and what to do.
    pub rebalance: Rebalance,
    /// Deals that matter to the report but have no region.
    pub deals_without_region: u32,
}

/// One region.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TerritoryRow {
    /// The region.
    pub region: String,
    /// Number of reps.
    pub reps: u32,
    /// The reps, sorted.
    pub rep_names: Vec<String>,
    /// Won revenue (won deals closed in range).
    pub revenue: f64,
    /// Won deals closed in range.
    pub deals_won: u32,
    /// Lost deals closed in range.
    pub deals_lost: u32,
    /// won / (won + lost).
    pub win_rate: Option<f64>,
    /// Deals open as of `asOf`.
    pub deals_open: u32,
    /// Their value.
    pub open_pipeline: f64,
    /// Σ quota over quota periods overlapping the range.
    pub quota: Option<f64>,
    /// `region` (the region's own quota) or `reps` (its reps' quotas).
    pub quota_source: Option<String>,
    /// Σ won against that quota.
    pub won_against_quota: Option<f64>,
    /// wonAgainstQuota / quota.
    pub attainment: Option<f64>,
    /// revenue / reps.
    pub revenue_per_rep: Option<f64>,
    /// openPipeline / reps.
    pub pipeline_per_rep: Option<f64>,
    /// pipelinePerRep / mean pipeline per rep.
    pub load_ratio: Option<f64>,
    /// `overloaded` (> 1.25), `underloaded` (< 0.75) or `balanced`.
    pub load: Option<String>,
}

/// Regions out of balance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Rebalance {
    /// Above 1.25× the mean pipeline per rep, most loaded first.
    pub overloaded: Vec<RegionLoad>,
    /// Below 0.75× the mean, least loaded first.
    pub underloaded: Vec<RegionLoad>,
    /// What a sales leader could do.
    pub suggestions: Vec<RebalanceSuggestion>,
}

/// A region's load.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RegionLoad {
    /// The region.
    pub region: String,
    /// Its open pipeline per rep.
    pub pipeline_per_rep: f64,
    /// pipelinePerRep / mean.
    pub ratio: f64,
}

/// One rebalancing move.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RebalanceSuggestion {
    /// The overloaded region (null for an underloaded region with no partner).
    pub from: Option<String>,
    /// The underloaded region (null for an overloaded region with no partner).
    pub to: Option<String>,
    /// Open pipeline to move (or, with no partner, to add or shed).
    pub amount: Option<f64>,
    /// About how many open deals that is.
    pub deals: Option<u32>,
    /// The suggestion in words.
    pub text: String,
}

/// A note about a metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Note {
    /// The metric or section it is about (`summary.winRate`, `quota`...).
    pub metric: String,
    /// The reason, in words.
    pub message: String,
}

#[cfg(test)]
mod typescript {
    use super::*;
    use crate::quality::{ColumnReport, Issue};
    use ts_rs::{Config, TS};

    /// The declarations, one `export type` per report type, in a fixed order.
    fn declarations() -> String {
        let cfg = Config::new();
        let decls = [
            Report::decl(&cfg),
            ActivitiesSection::decl(&cfg),
            ActivityTypeRow::decl(&cfg),
            ActivityCategoryRow::decl(&cfg),
            ActivityRepRow::decl(&cfg),
            RepCategory::decl(&cfg),
            RepActivityCount::decl(&cfg),
            TypeCorrelation::decl(&cfg),
            TimeSink::decl(&cfg),
            WeekBeforeClose::decl(&cfg),
            CategoryMapping::decl(&cfg),
            TerritoriesSection::decl(&cfg),
            TerritoryRow::decl(&cfg),
            Rebalance::decl(&cfg),
            RegionLoad::decl(&cfg),
            RebalanceSuggestion::decl(&cfg),
            StageOrderInfo::decl(&cfg),
            StageTime::decl(&cfg),
            FunnelStage::decl(&cfg),
            FunnelSection::decl(&cfg),
            PipelineStage::decl(&cfg),
            StallKind::decl(&cfg),
            StallReason::decl(&cfg),
            StalledDeal::decl(&cfg),
            Coverage::decl(&cfg),
            PipelineSection::decl(&cfg),
            LeadFunnel::decl(&cfg),
            LeadsSection::decl(&cfg),
            LeadsNeeded::decl(&cfg),
            ResolvedQuery::decl(&cfg),
            Summary::decl(&cfg),
            ReportSummary::decl(&cfg),
            Spread::decl(&cfg),
            SeriesRow::decl(&cfg),
            Trend::decl(&cfg),
            Breakdown::decl(&cfg),
            QuotaSection::decl(&cfg),
            Bucket::decl(&cfg),
            QuotaPeriodRow::decl(&cfg),
            Attainment::decl(&cfg),
            DataQuality::decl(&cfg),
            CurrencyCount::decl(&cfg),
            Note::decl(&cfg),
            TableQuality::decl(&cfg),
            ColumnReport::decl(&cfg),
            Issue::decl(&cfg),
            crate::query::Query::decl(&cfg),
            crate::query::Filters::decl(&cfg),
            crate::period::Granularity::decl(&cfg),
        ];
        let mut out = String::from("// Generated from src/report.rs by `cargo test` (UPDATE_TYPES=1 rewrites it). Do not edit.\n");
        for d in decls {
            out.push_str("export ");
            out.push_str(&d);
            out.push('\n');
        }
        out
    }

    #[test]
    fn typescript_declarations_are_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/types/report.d.ts");
        let now = declarations();
        if std::env::var("UPDATE_TYPES").is_ok() {
            std::fs::write(path, &now).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == now,
            "types/report.d.ts is stale: run `UPDATE_TYPES=1 cargo test --lib typescript`"
        );
    }
}
