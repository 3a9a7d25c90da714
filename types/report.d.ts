// Generated from src/report.rs by `cargo test` (UPDATE_TYPES=1 rewrites it). Do not edit.
export type Report = { 
/**
 * The query with every default filled in.
 */
query: ResolvedQuery, 
/**
 * Headline figures.
 */
summary: Summary, 
/**
 * One row per period, zero-filled.
 */
series: Array<SeriesRow>, 
/**
 * The average-deal-size trend.
 */
avgDealSizeTrend: Trend | null, 
/**
 * Per rep: the leaderboard (revenue desc, then name).
 */
byRep: Array<Breakdown>, 
/**
 * Per team.
 */
byTeam: Array<Breakdown>, 
/**
 * Per region.
 */
byRegion: Array<Breakdown>, 
/**
 * Per product.
 */
byProduct: Array<Breakdown>, 
/**
 * Per lead source.
 */
bySource: Array<Breakdown>, 
/**
 * Quota attainment (null without a quotas table).
 */
quota: QuotaSection | null, 
/**
 * The deal funnel over deals closed in range (null without deals).
 */
funnel: FunnelSection | null, 
/**
 * Open pipeline by stage, stalled deals and coverage (null without deals).
 */
pipeline: PipelineSection | null, 
/**
 * The lead funnel (null without a leads table).
 */
leads: LeadsSection | null, 
/**
 * Deals, opportunities and leads needed for the target.
 */
leadsNeeded: LeadsNeeded | null, 
/**
 * Activities (null without an activities table).
 */
activities: ActivitiesSection | null, 
/**
 * Territories (null when nothing has a region).
 */
territories: TerritoriesSection | null, 
/**
 * Every table read, every decision, every rejected row.
 */
dataQuality: DataQuality, 
/**
 * Why a metric is null, and other things the reader must know.
 */
notes: Array<Note>, };
export type ActivitiesSection = { 
/**
 * `minutes` when durations are known, else `count`: what every share is of.
 */
shareBasis: string, 
/**
 * Activities in range (after filters).
 */
count: number, 
/**
 * Σ known durations in minutes (null when no activity has one).
 */
minutes: number | null, 
/**
 * Activities in range with a duration.
 */
withDuration: number, 
/**
 * The categories that count as selling.
 */
sellingCategories: Array<string>, 
/**
 * Selling minutes / all minutes (counts on a count basis).
 */
sellingTimeShare: number | null, 
/**
 * The industry benchmark for selling time, 0.39.
 */
benchmark: number, 
/**
 * sellingTimeShare − benchmark.
 */
vsBenchmark: number | null, 
/**
 * Per activity type, by share desc.
 */
byType: Array<ActivityTypeRow>, 
/**
 * Per category, in the standard order.
 */
byCategory: Array<ActivityCategoryRow>, 
/**
 * Per rep, by count desc, then name.
 */
byRep: Array<ActivityRepRow>, 
/**
 * The five reps with the most activities.
 */
mostActive: Array<RepActivityCount>, 
/**
 * Pearson r of each type's count per rep against won revenue per rep.
 */
correlationWithRevenue: Array<TypeCorrelation>, 
/**
 * Types with ≥ 10 % of the time and r null or below 0.2.
 */
timeSinks: Array<TimeSink>, 
/**
 * Activities linked to won deals closed in range / those deals.
 */
activitiesPerWonDeal: number | null, 
/**
 * Activities linked by deal id to won deals closed in range.
 */
linkedToWonDeals: number, 
/**
 * Won deals closed in range.
 */
wonDeals: number, 
/**
 * Lost deals closed in range.
 */
lostDeals: number, 
/**
 * Weeks 0–12 before close: mean activities per won and per lost deal.
 */
weeksBeforeClose: Array<WeekBeforeClose>, 
/**
 * How each activity type in the table was categorised.
 */
mapping: Array<CategoryMapping>, };
export type ActivityTypeRow = { 
/**
 * The type as written (its most frequent spelling).
 */
type: string, 
/**
 * Its category.
 */
category: string, 
/**
 * Whether the category counts as selling.
 */
selling: boolean, 
/**
 * Activities.
 */
count: number, 
/**
 * Σ known minutes (null when no activity in range has a duration).
 */
minutes: number | null, 
/**
 * Activities with a duration.
 */
withDuration: number, 
/**
 * Share of all minutes (or of the count, see `shareBasis`).
 */
share: number | null, };
export type ActivityCategoryRow = { 
/**
 * `client_digital`, `client_in_person`, `internal_meeting`, `admin`,
 * `travel`, `training`, `prep`, `other`, or one named in the query.
 */
category: string, 
/**
 * Whether it counts as selling.
 */
selling: boolean, 
/**
 * Activities.
 */
count: number, 
/**
 * Σ known minutes (null when no activity in range has a duration).
 */
minutes: number | null, 
/**
 * Activities with a duration.
 */
withDuration: number, 
/**
 * Share of all minutes (or of the count, see `shareBasis`).
 */
share: number | null, };
export type ActivityRepRow = { 
/**
 * The rep.
 */
name: string, 
/**
 * Activities in range.
 */
count: number, 
/**
 * Σ known minutes (null when no activity in range has a duration).
 */
minutes: number | null, 
/**
 * Selling share of the rep's time (null when the rep has none logged).
 */
sellingTimeShare: number | null, 
/**
 * sellingTimeShare − 0.39.
 */
vsBenchmark: number | null, 
/**
 * Won revenue (won deals closed in range).
 */
wonRevenue: number, 
/**
 * Per category, in the section's category order.
 */
byCategory: Array<RepCategory>, };
export type RepCategory = { 
/**
 * The category.
 */
category: string, 
/**
 * Activities.
 */
count: number, 
/**
 * Σ known minutes (null when no activity in range has a duration).
 */
minutes: number | null, };
export type RepActivityCount = { 
/**
 * The rep.
 */
name: string, 
/**
 * Activities in range.
 */
count: number, };
export type TypeCorrelation = { 
/**
 * The type.
 */
type: string, 
/**
 * Pearson r (null below 3 reps or with zero variance).
 */
r: number | null, 
/**
 * Reps in the calculation.
 */
reps: number, };
export type TimeSink = { 
/**
 * The type.
 */
type: string, 
/**
 * Its category.
 */
category: string, 
/**
 * Its share of the time (or count).
 */
share: number, 
/**
 * Its correlation with revenue.
 */
r: number | null, };
export type WeekBeforeClose = { 
/**
 * 0 = the week ending on the close date.
 */
week: number, 
/**
 * First day of the week, in days before close (7 × week + 6).
 */
fromDaysBefore: number, 
/**
 * Last day of the week, in days before close (7 × week).
 */
toDaysBefore: number, 
/**
 * Mean linked activities per won deal closed in range.
 */
won: number | null, 
/**
 * Mean linked activities per lost deal closed in range.
 */
lost: number | null, };
export type CategoryMapping = { 
/**
 * The type as written (its most frequent spelling).
 */
type: string, 
/**
 * The category.
 */
category: string, 
/**
 * `query` (an override), `default` (a known synonym), `keyword`
 * (contains a known word) or `unmapped` (left as `other`).
 */
source: string, };
export type TerritoriesSection = { 
/**
 * Per region, by revenue desc, then name.
 */
regions: Array<TerritoryRow>, 
/**
 * Unweighted mean of pipeline per rep across regions.
 */
meanPipelinePerRep: number | null, 
/**
 * Coefficient of variation of pipeline per rep across regions.
 */
imbalance: number | null, 
/**
 * Regions out of balance and what to do.
 */
rebalance: Rebalance, 
/**
 * Deals that matter to the report but have no region.
 */
dealsWithoutRegion: number, };
export type TerritoryRow = { 
/**
 * The region.
 */
region: string, 
/**
 * Number of reps.
 */
reps: number, 
/**
 * The reps, sorted.
 */
repNames: Array<string>, 
/**
 * Won revenue (won deals closed in range).
 */
revenue: number, 
/**
 * Won deals closed in range.
 */
dealsWon: number, 
/**
 * Lost deals closed in range.
 */
dealsLost: number, 
/**
 * won / (won + lost).
 */
winRate: number | null, 
/**
 * Deals open as of `asOf`.
 */
dealsOpen: number, 
/**
 * Their value.
 */
openPipeline: number, 
/**
 * Σ quota over quota periods overlapping the range.
 */
quota: number | null, 
/**
 * `region` (the region's own quota) or `reps` (its reps' quotas).
 */
quotaSource: string | null, 
/**
 * Σ won against that quota.
 */
wonAgainstQuota: number | null, 
/**
 * wonAgainstQuota / quota.
 */
attainment: number | null, 
/**
 * revenue / reps.
 */
revenuePerRep: number | null, 
/**
 * openPipeline / reps.
 */
pipelinePerRep: number | null, 
/**
 * pipelinePerRep / mean pipeline per rep.
 */
loadRatio: number | null, 
/**
 * `overloaded` (> 1.25), `underloaded` (< 0.75) or `balanced`.
 */
load: string | null, };
export type Rebalance = { 
/**
 * Above 1.25× the mean pipeline per rep, most loaded first.
 */
overloaded: Array<RegionLoad>, 
/**
 * Below 0.75× the mean, least loaded first.
 */
underloaded: Array<RegionLoad>, 
/**
 * What a sales leader could do.
 */
suggestions: Array<RebalanceSuggestion>, };
export type RegionLoad = { 
/**
 * The region.
 */
region: string, 
/**
 * Its open pipeline per rep.
 */
pipelinePerRep: number, 
/**
 * pipelinePerRep / mean.
 */
ratio: number, };
export type RebalanceSuggestion = { 
/**
 * The overloaded region (null for an underloaded region with no partner).
 */
from: string | null, 
/**
 * The underloaded region (null for an overloaded region with no partner).
 */
to: string | null, 
/**
 * Open pipeline to move (or, with no partner, to add or shed).
 */
amount: number | null, 
/**
 * About how many open deals that is.
 */
deals: number | null, 
/**
 * The suggestion in words.
 */
text: string, };
export type StageOrderInfo = { 
/**
 * Non-terminal stages, first to last.
 */
stages: Array<string>, 
/**
 * `query`, `history`, `probability`, `crm defaults (<crm>)` or `alphabetical`.
 */
source: string, 
/**
 * Stages no default, history or query placed (appended in name order).
 */
unknownStages: Array<string>, };
export type StageTime = { 
/**
 * Median days.
 */
median: number, 
/**
 * 90th percentile.
 */
p90: number, 
/**
 * Deals measured.
 */
count: number, };
export type FunnelStage = { 
/**
 * Stage name.
 */
stage: string, 
/**
 * Closed deals whose furthest stage is at or after this one (null without history).
 */
reached: number | null, 
/**
 * Lost deals whose furthest stage is this one.
 */
lostAt: number | null, 
/**
 * reached(next) / reached(this); the last stage converts to won.
 */
conversion: number | null, 
/**
 * reached(this) / reached(first).
 */
cumulative: number | null, 
/**
 * lostAt / reached.
 */
dropOff: number | null, 
/**
 * Days from entering the stage to entering the next (or closing).
 */
timeInStageDays: StageTime | null, 
/**
 * Open deals in this stage as of `asOf`.
 */
openNow: number, };
export type FunnelSection = { 
/**
 * `history` (leakage measured) or `snapshot` (current stages only).
 */
basis: string, 
/**
 * The order used.
 */
stageOrder: StageOrderInfo, 
/**
 * Closed deals in range counted.
 */
deals: number, 
/**
 * Of which won.
 */
won: number, 
/**
 * Of which lost.
 */
lost: number, 
/**
 * Closed deals in range with no stage history (counted as reaching the first stage).
 */
dealsWithoutHistory: number, 
/**
 * Per stage.
 */
stages: Array<FunnelStage>, 
/**
 * The stage with the highest drop-off.
 */
leakiestStage: string | null, 
/**
 * The stage with the highest median time.
 */
bottleneckStage: string | null, };
export type PipelineStage = { 
/**
 * Stage name (`null` for deals without a stage).
 */
stage: string | null, 
/**
 * Open deals.
 */
count: number, 
/**
 * Σ value.
 */
amount: number, 
/**
 * Σ value × weight.
 */
weightedAmount: number, 
/**
 * Deals weighted by their own probability.
 */
weightedByProbability: number, 
/**
 * The historical win rate used for the others (null when none was needed).
 */
stageWinRate: number | null, };
export type StallKind = "time in stage" | "age" | "idle";
export type StallReason = { 
/**
 * `time in stage`, `age` or `idle`.
 */
reason: StallKind, 
/**
 * Days it has been so.
 */
days: number, 
/**
 * The threshold it crossed, in days.
 */
thresholdDays: number, };
export type StalledDeal = { 
/**
 * Deal id (or `line N`).
 */
id: string, 
/**
 * Owner.
 */
owner: string | null, 
/**
 * Current stage.
 */
stage: string | null, 
/**
 * Value.
 */
amount: number | null, 
/**
 * Every reason that applies.
 */
reasons: Array<StallReason>, };
export type Coverage = { 
/**
 * The current periods (containing `asOf`).
 */
periods: Array<string>, 
/**
 * Σ their quota.
 */
quota: number, 
/**
 * Won in them.
 */
won: number, 
/**
 * quota − won.
 */
remaining: number, 
/**
 * Open deals expected to close in them.
 */
openInPeriods: number, 
/**
 * openInPeriods / remaining (null once the quota is met).
 */
coverage: number | null, };
export type PipelineSection = { 
/**
 * Open deals per stage, in stage order.
 */
byStage: Array<PipelineStage>, 
/**
 * Σ weighted amount.
 */
weightedPipeline: number, 
/**
 * Stalled open deals, longest first.
 */
stalled: Array<StalledDeal>, 
/**
 * Coverage (null without quotas).
 */
coverage: Coverage | null, 
/**
 * dealsOpen × avgDealSize × winRate / mean sales cycle days.
 */
velocityPerDay: number | null, };
export type LeadFunnel = { 
/**
 * The source (null for all leads).
 */
source: string | null, 
/**
 * Leads created in range.
 */
leads: number, 
/**
 * Of which reached MQL.
 */
mql: number, 
/**
 * SQL.
 */
sql: number, 
/**
 * Opportunity.
 */
opportunity: number, 
/**
 * Customer.
 */
customer: number, 
/**
 * mql / leads.
 */
leadToMql: number | null, 
/**
 * sql / mql.
 */
mqlToSql: number | null, 
/**
 * opportunity / sql.
 */
sqlToOpportunity: number | null, 
/**
 * customer / opportunity.
 */
opportunityToCustomer: number | null, 
/**
 * opportunity / leads.
 */
leadToOpportunity: number | null, 
/**
 * customer / leads.
 */
leadToCustomer: number | null, 
/**
 * The step with the lowest conversion (`mql→sql`...).
 */
largestDropOff: string | null, 
/**
 * Median days from MQL to SQL.
 */
medianDaysMqlToSql: number | null, 
/**
 * Median hours from creation to first response.
 */
medianFirstResponseHours: number | null, };
export type LeadsSection = { 
/**
 * All leads created in range.
 */
overall: LeadFunnel, 
/**
 * Per source, by lead count desc then name.
 */
bySource: Array<LeadFunnel>, 
/**
 * Deals linked to a lead of the table.
 */
linkedDeals: number, 
/**
 * Deals whose lead id matches no lead.
 */
unmatchedDealLinks: number, };
export type LeadsNeeded = { 
/**
 * The revenue target.
 */
target: number, 
/**
 * `query` or `quotas`.
 */
targetSource: string, 
/**
 * Average deal size used.
 */
avgDealSize: number | null, 
/**
 * Win rate used.
 */
winRate: number | null, 
/**
 * Lead → opportunity rate used.
 */
leadToOpportunity: number | null, 
/**
 * ⌈target / avgDealSize⌉.
 */
dealsNeeded: number | null, 
/**
 * ⌈dealsNeeded / winRate⌉.
 */
opportunitiesNeeded: number | null, 
/**
 * ⌈opportunitiesNeeded / leadToOpportunity⌉.
 */
leadsNeeded: number | null, };
export type ResolvedQuery = { 
/**
 * First day (ISO), null when there is no dated data.
 */
from: string | null, 
/**
 * Last day (ISO).
 */
to: string | null, 
/**
 * "Today".
 */
asOf: string | null, 
/**
 * `week`, `month`, `quarter` or `year`.
 */
granularity: string, 
/**
 * First month of the fiscal year.
 */
fiscalYearStartMonth: number, 
/**
 * The revenue target.
 */
target: number | null, 
/**
 * Where the target came from: `query`, `quotas` or null.
 */
targetSource: string | null, 
/**
 * Filters.
 */
filters: Filters, 
/**
 * The stage order asked for.
 */
stageOrder: Array<string> | null, 
/**
 * Selling categories asked for.
 */
sellingCategories: Array<string> | null, 
/**
 * Activity type → category overrides asked for.
 */
activityCategories: { [key in string]: string } | null, 
/**
 * The report currency (null when the files never say).
 */
currency: string | null, };
export type Summary = { 
/**
 * Σ amount of won deals closed in range.
 */
revenue: number, 
/**
 * Won deals closed in range.
 */
dealsWon: number, 
/**
 * Lost deals closed in range.
 */
dealsLost: number, 
/**
 * Deals open as of `asOf`.
 */
dealsOpen: number, 
/**
 * Σ amount of open deals.
 */
openPipeline: number, 
/**
 * Probability-weighted open pipeline (pipeline issue: null for now).
 */
weightedPipeline: number | null, 
/**
 * revenue / won deals with an amount.
 */
avgDealSize: number | null, 
/**
 * Median amount of won deals.
 */
medianDealSize: number | null, 
/**
 * won / (won + lost).
 */
winRate: number | null, 
/**
 * won / all deals created in range (open included).
 */
winRateCreatedCohort: number | null, 
/**
 * Days from created to closed, over won deals.
 */
salesCycleDays: Spread | null, 
/**
 * Σ won / Σ quota over quota periods overlapping the range.
 */
quotaAttainment: number | null, 
/**
 * Open pipeline / remaining quota for the current periods (pipeline issue).
 */
pipelineCoverage: number | null, 
/**
 * dealsOpen × avgDealSize × winRate / mean sales cycle days.
 */
pipelineVelocityPerDay: number | null, 
/**
 * Selling minutes / all minutes (activities issue).
 */
sellingTimeShare: number | null, };
export type ReportSummary = { 
/**
 * The query with every default filled in.
 */
query: ResolvedQuery, 
/**
 * Headline figures.
 */
summary: Summary, };
export type Spread = { 
/**
 * Mean.
 */
mean: number, 
/**
 * Median.
 */
median: number, 
/**
 * 90th percentile.
 */
p90: number, 
/**
 * How many values.
 */
count: number, };
export type SeriesRow = { 
/**
 * `2024-03`, `2024-W09`, `2024-Q1`, `FY2025-Q1`, `2024`...
 */
period: string, 
/**
 * First day (ISO).
 */
start: string, 
/**
 * Last day (ISO).
 */
end: string, 
/**
 * Won revenue.
 */
revenue: number, 
/**
 * Won deals.
 */
dealsWon: number, 
/**
 * Lost deals.
 */
dealsLost: number, 
/**
 * Average won deal.
 */
avgDealSize: number | null, 
/**
 * Win rate.
 */
winRate: number | null, 
/**
 * Revenue change vs the previous period, in percent (null when it was 0).
 */
revenueGrowthPct: number | null, };
export type Trend = { 
/**
 * OLS slope per period (null when insufficient).
 */
slope: number | null, 
/**
 * slope × (periods − 1) / mean × 100.
 */
changePct: number | null, 
/**
 * `growing`, `shrinking`, `flat` or `insufficient`.
 */
direction: string, 
/**
 * Periods with wins used in the fit.
 */
periodsWithWins: number, };
export type Breakdown = { 
/**
 * The key; null for deals where it is not set.
 */
name: string | null, 
/**
 * Won revenue.
 */
revenue: number, 
/**
 * Won deals.
 */
dealsWon: number, 
/**
 * Lost deals.
 */
dealsLost: number, 
/**
 * Open deals.
 */
dealsOpen: number, 
/**
 * Open pipeline.
 */
openPipeline: number, 
/**
 * Average won deal.
 */
avgDealSize: number | null, 
/**
 * Median won deal.
 */
medianDealSize: number | null, 
/**
 * Win rate.
 */
winRate: number | null, 
/**
 * Sales cycle.
 */
salesCycleDays: Spread | null, 
/**
 * Share of total revenue.
 */
revenueShare: number | null, 
/**
 * Activities in range (`byRep` only, with an activities table).
 */
activities: number | null, 
/**
 * Selling time share (`byRep` only, with an activities table).
 */
sellingTimeShare: number | null, };
export type QuotaSection = { 
/**
 * The level the headline counts are over: `rep`, `team` or `region`.
 */
level: string, 
/**
 * (rep, period) pairs whose period overlaps the range.
 */
repsWithQuota: number, 
/**
 * Pairs with attainment ≥ 1.
 */
repsAtOrAboveQuota: number, 
/**
 * The share of pairs at or above quota.
 */
shareAtOrAbove: number | null, 
/**
 * Σ won / Σ quota.
 */
teamAttainment: number | null, 
/**
 * Σ quota.
 */
quotaTotal: number, 
/**
 * Σ won against those quotas.
 */
wonTotal: number, 
/**
 * Counts per attainment bucket.
 */
distribution: Array<Bucket>, 
/**
 * The share at or above quota per quota period.
 */
perPeriod: Array<QuotaPeriodRow>, 
/**
 * Every pair.
 */
attainments: Array<Attainment>, };
export type Bucket = { 
/**
 * `<50%`, `50–80%`, `80–100%`, `100–120%`, `≥120%`.
 */
bucket: string, 
/**
 * Pairs in it.
 */
count: number, };
export type QuotaPeriodRow = { 
/**
 * Label.
 */
period: string, 
/**
 * First day.
 */
start: string, 
/**
 * Last day.
 */
end: string, 
/**
 * Pairs.
 */
repsWithQuota: number, 
/**
 * Pairs at or above.
 */
repsAtOrAboveQuota: number, 
/**
 * Share.
 */
shareAtOrAbove: number | null, 
/**
 * Σ won / Σ quota in the period.
 */
attainment: number | null, };
export type Attainment = { 
/**
 * `rep`, `team` or `region`.
 */
level: string, 
/**
 * Who.
 */
name: string, 
/**
 * Period label.
 */
period: string, 
/**
 * First day.
 */
start: string, 
/**
 * Last day.
 */
end: string, 
/**
 * Quota.
 */
quota: number, 
/**
 * Won revenue in the period.
 */
won: number, 
/**
 * won / quota (null for a zero quota).
 */
attainment: number | null, };
export type DataQuality = { 
/**
 * One record per table (file or sheet).
 */
tables: Array<TableQuality>, 
/**
 * Σ rows read.
 */
rowsRead: number, 
/**
 * Σ rows used.
 */
rowsUsed: number, 
/**
 * Σ rows rejected.
 */
rowsRejected: number, 
/**
 * Deals left out of money figures because their currency has no rate.
 */
excludedForCurrency: number, 
/**
 * Currencies seen on deals, with counts.
 */
currencies: Array<CurrencyCount>, 
/**
 * Deals valued at their product's list price.
 */
valuedAtListPrice: number, 
/**
 * Won or open deals with no amount and no list price.
 */
withoutAmount: number, };
export type CurrencyCount = { 
/**
 * ISO code.
 */
currency: string, 
/**
 * Deals.
 */
deals: number, 
/**
 * The rate used to convert, when not the report currency.
 */
rate: number | null, };
export type Note = { 
/**
 * The metric or section it is about (`summary.winRate`, `quota`...).
 */
metric: string, 
/**
 * The reason, in words.
 */
message: string, };
export type TableQuality = { 
/**
 * The file name.
 */
file: string, 
/**
 * The sheet, for workbooks.
 */
sheet: string | null, 
/**
 * The table kind used, or `None` when the file could not be read.
 */
table: string | null, 
/**
 * Whether the kind was named by the caller rather than detected.
 */
kindOverridden: boolean, 
/**
 * `utf-8`, `utf-16le`, `windows-1252`, `xlsx`...
 */
encoding: string | null, 
/**
 * The delimiter (`,` `;` `tab` `|`).
 */
delimiter: string | null, 
/**
 * The header's line.
 */
headerLine: number | null, 
/**
 * Every source column with its mapping and value style.
 */
columns: Array<ColumnReport>, 
/**
 * Data rows read (blank rows excluded).
 */
rowsRead: number, 
/**
 * Rows used by the metrics.
 */
rowsUsed: number, 
/**
 * Rows left out, each listed in `issues`.
 */
rowsRejected: number, 
/**
 * Blank rows skipped.
 */
blankRows: number, 
/**
 * The error that stopped the file from being read, if any.
 */
error: string | null, 
/**
 * Issue counts per code.
 */
issueCounts: Record<string, number>, 
/**
 * The issues, capped per code (see `issue_counts` for totals).
 */
issues: Array<Issue>, };
export type ColumnReport = { 
/**
 * The header as written.
 */
header: string, 
/**
 * The canonical column it feeds, if any.
 */
mappedTo: string | null, 
/**
 * `decimal point`, `decimal comma`, `day-first`, `month-first`, `iso`...
 */
style: string | null, 
/**
 * Why that style: `values`, `file locale (ambiguous values)`...
 */
decidedBy: string | null, };
export type Issue = { 
/**
 * 1-based physical line in the file.
 */
line: number, 
/**
 * The source column header, when it concerns one.
 */
column: string | null, 
/**
 * The offending value, shortened to 80 characters.
 */
value: string | null, 
/**
 * A stable code (`bad_number`, `ragged_row`...), for counting and filtering.
 */
code: string, 
/**
 * What is wrong, in words.
 */
message: string, 
/**
 * Whether the row was left out entirely.
 */
rejected: boolean, };
export type Query = { 
/**
 * First day of the range (default: the earliest event date).
 */
from: string | null, 
/**
 * Last day of the range (default: `asOf`).
 */
to: string | null, 
/**
 * Series granularity (default month).
 */
granularity: Granularity, 
/**
 * First month of the fiscal year, 1–12 (default 1).
 */
fiscalYearStartMonth: number | null, 
/**
 * "Today" for ageing and open deals (default: the latest event date).
 */
asOf: string | null, 
/**
 * Revenue target for the leads-needed calculator (default: quotas in range).
 */
target: number | null, 
/**
 * Filters.
 */
filters: Filters, 
/**
 * Pipeline stage order (default: inferred).
 */
stageOrder: Array<string> | null, 
/**
 * Activity categories that count as selling (default `client_digital`, `client_in_person`).
 */
sellingCategories: Array<string> | null, 
/**
 * Activity type → category overrides (`{"Site visit": "client_in_person"}`).
 */
activityCategories: { [key in string]: string } | null, 
/**
 * Report currency (default: the most frequent deal currency).
 */
currency: string | null, };
export type Filters = { 
/**
 * Reps (deal owners).
 */
rep: Array<string>, 
/**
 * Teams.
 */
team: Array<string>, 
/**
 * Regions.
 */
region: Array<string>, 
/**
 * Products.
 */
product: Array<string>, 
/**
 * Lead sources.
 */
source: Array<string>, };
export type Granularity = "week" | "month" | "quarter" | "year";
