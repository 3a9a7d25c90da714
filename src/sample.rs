//! Deterministic demo data for a B2B sales team: the seven tables of SPEC.md §2 (reps,
//! products, quotas, leads, deals, stage history, activities), used by tests, the offline web
//! demo and benchmarks.
//!
//! # Design
//! - Every entity is a pure function of `(seed, stream, index)`: deal *i* draws from its own
//!   splitmix64 stream, so each file is written on its own, streams in constant memory, and all
//!   files agree on deal *i* (its history and activities are recomputed from the same draws).
//! - Integer arithmetic only: money in cents, chances per mille, dates as day numbers. No
//!   float, no clock, no hash map, so a config yields byte-identical files on every target.
//!
//! # Properties that hold by construction
//! - Everything happens between 2024-01-01 and 2025-06-30: created dates, closes of closed
//!   deals, stage entries, activities, lead dates and first responses. Open deals carry an
//!   expected close after 2025-06-30, or up to 20 days before it for the ~15 % that stalled.
//! - Outcomes are about 30 % won, 45 % lost, 25 % open; open deals have probability 10/25/50/75
//!   by stage, closed ones 100 or 0. ~1 % of amounts and ~10 % of regions are empty.
//! - "Proposal" is the leakiest stage (~35 % of the deals reaching it are lost there, ≤ 19 %
//!   elsewhere) and "Negotiation" the bottleneck (18–55 days against at most 30 elsewhere).
//! - Jakarta reps get 2× the deal share of Surabaya and Bandung reps, Medan reps 0.6×: Jakarta
//!   is overloaded (> 1.25× the mean open pipeline per rep) and Medan usually underloaded.
//! - Ayu Lestari is the high-activity rep: she wins 42 % of her deals (others 28 %) and makes
//!   1.5× the client touches, and Enterprise deals need more touches, so calls and meetings
//!   correlate positively with won revenue across reps.
//! - "CRM Update" and "Training" are rep-level blocks without a deal, the same count for every
//!   rep: CRM Update is ~15 % of all minutes with an undefined (null) correlation, a time sink.
//!   These blocks are the ~5 % of activities without a deal_id. The selling share is ~37 %.
//! - Quotas are calibrated against the generated wins (amountless wins at list price): exactly
//!   half of the 72 (rep, quarter) pairs reach 100 %, provided at least half have a win. The
//!   pipeline starts empty on 2024-01-01, so 2024-Q1 quotas are small ramp quotas.
//! - 2.5 leads per deal; ~18 % of deals link to a lead, which is then an opportunity (a
//!   customer if won). MQL→SQL (~16 %) is the lowest conversion and loses the most leads.
//! - With the same seed, the deals, stage history and leads of a smaller set are the first
//!   rows of a larger set's.
//! - `with_activities` only empties leads, stage history and activities: deals.csv is the same
//!   either way, so its `lead_id` values then point into a table that was not written.

use std::fmt;
use std::io::{self, BufWriter, Write};

/// What to generate. Equal configs give byte-identical files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleConfig {
    /// Number of rows of deals.csv (leads and activities scale with it).
    pub deals: usize,
    /// Seed of every pseudo-random draw.
    pub seed: u64,
    /// Whether leads, stage history and activities get rows (else only their header).
    pub with_activities: bool,
}

impl Default for SampleConfig {
    fn default() -> Self {
        SampleConfig {
            deals: 2000,
            seed: 7,
            with_activities: true,
        }
    }
}

/// The names of the files of the set, in the order to write them (each with [`write_file`]).
#[rustfmt::skip]
pub const FILES: &[&str] = &[
    "reps.csv", "products.csv", "quotas.csv", "leads.csv", "deals.csv", "stage_history.csv",
    "activities.csv",
];

/// Writes one file of the set into `out`, row by row: 5 million deals need no more memory
/// than ten.
///
/// # Errors
/// `InvalidInput` for a name not in [`FILES`]; otherwise only errors of `out` itself.
pub fn write_file(cfg: &SampleConfig, name: &str, out: &mut dyn Write) -> io::Result<()> {
    let w = &mut BufWriter::with_capacity(1 << 16, out);
    match name {
        "reps.csv" => write_reps(w)?,
        "products.csv" => write_products(w)?,
        "quotas.csv" => write_quotas(cfg, w)?,
        "leads.csv" => write_leads(cfg, w)?,
        "deals.csv" => write_deals(cfg, w)?,
        "stage_history.csv" => write_history(cfg, w)?,
        "activities.csv" => write_activities(cfg, w)?,
        _ => {
            let known = FILES.join(", ");
            let msg = format!("unknown sample file {name:?}, expected one of {known}");
            return Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
        }
    }
    w.flush()
}

const START: i64 = days_from_civil(2024, 1, 1);
const END: i64 = days_from_civil(2025, 6, 30);

const TEAMS: [&str; 3] = ["Enterprise", "Mid-Market", "SMB"];
const MANAGERS: [&str; 3] = ["Hendra Gunawan", "Sarah Williams", "Rina Kusuma"];
const REGIONS: [&str; 4] = ["Jakarta", "Surabaya", "Bandung", "Medan"];
/// Deal share of each rep by region: what makes Jakarta overloaded and Medan underloaded.
const REGION_WEIGHT: [u32; 4] = [20, 10, 10, 6];
/// (name, team, region, start date): one rep per team in each region, so that regions differ
/// by load, not by product mix.
const REPS: [(&str, usize, usize, &str); 12] = [
    ("Ayu Lestari", 0, 0, "2019-03-04"),
    ("Budi Santoso", 1, 0, "2020-07-01"),
    ("Maria Chen", 2, 0, "2022-01-10"),
    ("Dewi Anggraini", 0, 1, "2018-11-12"),
    ("Rizky Pratama", 1, 1, "2021-02-15"),
    ("Daniel Kim", 2, 1, "2023-05-02"),
    ("Siti Rahmawati", 0, 2, "2020-01-06"),
    ("Agus Setiawan", 1, 2, "2019-09-16"),
    ("Priya Nair", 2, 2, "2022-08-01"),
    ("Fajar Nugroho", 0, 3, "2021-06-07"),
    ("Putri Wulandari", 1, 3, "2023-01-09"),
    ("Lukas Weber", 2, 3, "2022-10-03"),
];
/// The high-activity, high-win rep.
const STAR: usize = 0;

/// List prices in cents.
#[rustfmt::skip]
const PRODUCTS: [(&str, i64); 5] = [
    ("Pelacak Cloud Starter", 120_000), ("Pelacak Cloud Growth", 480_000),
    ("Pelacak Cloud Pro", 1_200_000), ("Pelacak Analytics Suite", 2_400_000),
    ("Pelacak Enterprise", 4_800_000),
];
const PRODUCT_WEIGHT: [[u32; 5]; 3] = [[2, 6, 20, 30, 25], [10, 30, 35, 15, 5], [40, 35, 15, 5, 2]];

const SOURCES: [&str; 5] = ["Website", "Referral", "Event", "Outbound", "Partner"];
const DEAL_SOURCE_WEIGHT: [u32; 5] = [25, 15, 15, 35, 10];
const LEAD_SOURCE_WEIGHT: [u32; 5] = [35, 8, 15, 30, 12];
/// Per mille of deals of each source that came through a lead (outbound deals never do).
const LINK_PER_MILLE: [u64; 5] = [350, 250, 300, 0, 200];

const STAGES: [&str; 4] = ["Prospecting", "Qualification", "Proposal", "Negotiation"];
const OPEN_PROBABILITY: [u64; 4] = [10, 25, 50, 75];
/// Days spent in each stage: Negotiation is the longest, so it is the bottleneck.
const STAGE_DAYS: [(i64, i64); 4] = [(3, 20), (5, 25), (7, 30), (18, 55)];
/// Where lost deals are lost: of deals reaching each stage, ~11 / 15 / 35 / 19 % are lost there.
const LOST_AT_WEIGHT: [u32; 4] = [178, 222, 444, 156];
const OPEN_AT_WEIGHT: [u32; 4] = [30, 30, 25, 15];
#[rustfmt::skip]
const LOST_REASONS: [&[&str]; 4] = [
    &["No response", "Not a fit", "No budget"],
    &["No budget", "Not a fit", "Budget cut, project frozen", "Timing"],
    &["Price", "Competitor", "Price", "Chose \"do nothing\""],
    &["Price", "Competitor", "Legal / procurement"],
];
/// Accounts deals are drawn from: fixed, not scaled with the deal count, so that the deals of
/// a smaller set are the first rows of a larger one with the same seed.
const ACCOUNTS: u64 = 500;
#[rustfmt::skip]
const ACCOUNT_A: [&str; 20] = [
    "Maju", "Sinar", "Karya", "Mitra", "Nusantara", "Cahaya", "Bumi", "Sentosa", "Abadi", "Jaya",
    "Prima", "Global", "Mega", "Surya", "Indo", "Bintang", "Makmur", "Sejahtera", "Harapan", "Teknik",
];
#[rustfmt::skip]
const ACCOUNT_B: [&str; 20] = [
    "Logistik", "Digital", "Retail", "Farma", "Energi", "Konstruksi", "Pangan", "Media", "Finance",
    "Solusi", "Agro", "Tekstil", "Otomotif", "Kimia", "Properti", "Elektrik", "Niaga", "Medika",
    "Data", "Kreasi",
];

#[rustfmt::skip]
const TYPES: [&str; 9] = [
    "Call", "Email", "Meeting", "Demo", "Internal Meeting", "CRM Update", "Travel", "Training",
    "Proposal Writing",
];
const MEETING: usize = 2;
const DEMO: usize = 3;
const INTERNAL: usize = 4;
const CRM: usize = 5;
const TRAVEL: usize = 6;
const TRAINING: usize = 7;
const PROPOSAL: usize = 8;
/// Duration range per type; the long CRM blocks are what makes CRM Update a time sink.
#[rustfmt::skip]
const MINUTES: [(i64, i64); 9] =
    [(5, 35), (3, 15), (30, 75), (45, 90), (30, 60), (120, 240), (45, 180), (60, 240), (60, 180)];
#[rustfmt::skip]
const OUTCOMES: [&[&str]; 9] = [
    &["Connected", "Connected", "No Answer", "Voicemail"], &["Sent", "Sent", "Replied"],
    &["Held", "Held", "Held", "Rescheduled"], &["Held", "Held", "Held", "Rescheduled"],
    &["Completed"], &["Completed"], &["Completed"], &["Completed"], &["Completed"],
];
/// Mix of Call, Email, Meeting, Demo among client touches.
const CLIENT_MIX: [u32; 4] = [40, 35, 15, 10];
/// Client touches per deal by team, in tenths: complex Enterprise deals need more.
const TEAM_TOUCH: [i64; 3] = [14, 10, 7];
/// Quota attainments in per mille, each handed to six (rep, quarter) pairs: exactly half are
/// ≥ 1000 and none is within 4 % of it, so rounding quotas to hundreds cannot flip a rep.
#[rustfmt::skip]
const ATTAINMENT: [i64; 12] = [610, 720, 800, 860, 910, 950, 1040, 1080, 1120, 1180, 1260, 1400];

const DEAL_STREAM: u64 = 1;
const ACTIVITY_STREAM: u64 = 2;
const LEAD_STREAM: u64 = 3;
const QUOTA_STREAM: u64 = 4;
const BLOCK_STREAM: u64 = 5;

/// splitmix64: tiny, fast, and the same on every platform.
struct Rng(u64);

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// The stream of one entity; mixing keeps neighbouring indices uncorrelated.
    fn new(seed: u64, stream: u64, index: u64) -> Rng {
        let stream = mix(stream.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ mix(index));
        Rng(mix(seed ^ stream))
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
    /// Uniform in `0..n` by multiply-shift (its bias is far below anything observable).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
    fn pick(&mut self, weights: &[u32]) -> usize {
        let mut x = self.below(weights.iter().map(|&w| u64::from(w)).sum());
        for (k, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return k;
            }
            x -= u64::from(w);
        }
        weights.len() - 1
    }
    fn of<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    fn rep(&mut self) -> usize {
        self.pick(&REPS.map(|r| REGION_WEIGHT[r.2]))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Won,
    Lost,
    Open,
}

struct Deal {
    owner: usize,
    account: u64,
    product: usize,
    source: usize,
    outcome: Outcome,
    /// First and furthest funnel stage entered (referral and partner deals may skip Prospecting).
    stages: std::ops::RangeInclusive<usize>,
    entered: [i64; 4],
    created: i64,
    /// Actual close of a closed deal, expected close of an open one.
    close: i64,
    amount: Option<i64>,
    region_blank: bool,
    lead: Option<u64>,
    lost_reason: &'static str,
}

/// Deal `i`: outcome and stage path first, then dates placed so that everything fits the window.
fn deal(cfg: &SampleConfig, i: u64) -> Deal {
    let mut r = Rng::new(cfg.seed, DEAL_STREAM, i);
    let owner = r.rep();
    let team = REPS[owner].1;
    let product = r.pick(&PRODUCT_WEIGHT[team]);
    let source = r.pick(&DEAL_SOURCE_WEIGHT);
    let u = r.below(1000);
    let outcome = match u {
        _ if u < if owner == STAR { 420 } else { 280 } => Outcome::Won,
        _ if u < 750 => Outcome::Lost,
        _ => Outcome::Open,
    };
    let last = match outcome {
        Outcome::Won => 3,
        Outcome::Lost => r.pick(&LOST_AT_WEIGHT),
        Outcome::Open => r.pick(&OPEN_AT_WEIGHT),
    };
    let first = usize::from(last >= 1 && (source == 1 || source == 4) && r.chance(300));
    let days = STAGE_DAYS.map(|(lo, hi)| r.range(lo, hi) * if team == 0 { 13 } else { 10 } / 10);
    let mut entered = [0i64; 4];
    let close;
    if outcome == Outcome::Open {
        let stalled = r.chance(150);
        let in_stage = match stalled {
            true => days[last] * r.range(2, 4),
            false => r.below(days[last] as u64) as i64,
        };
        // Walk back from "today"; the clamp keeps a long-stalled deal inside the window.
        let mut d = END - in_stage;
        for s in (first..=last).rev() {
            entered[s] = d.max(START);
            d -= days[s.saturating_sub(1)];
        }
        let rest: i64 = days[last + 1..].iter().sum();
        close = match stalled {
            true => END - r.below(in_stage.min(21) as u64) as i64,
            false => END + (days[last] - in_stage).max(1) + rest,
        };
    } else {
        let total: i64 = days[first..=last].iter().sum();
        let mut d = START + r.below((END - total - START + 1) as u64) as i64;
        for s in first..=last {
            entered[s] = d;
            d += days[s];
        }
        close = d;
    }
    let created = entered[first];
    // A mild upward drift makes the average deal size trend "growing".
    let drift = 150 * (created - START) / (END - START);
    let cents = PRODUCTS[product].1 * (r.range(800, 1250) + drift) / 1000 / 1000 * 1000;
    let amount = (!r.chance(10)).then_some(cents);
    let region_blank = r.chance(100);
    let lead = r.chance(LINK_PER_MILLE[source]).then_some(lead_of_deal(i));
    let lost_reason = match outcome {
        Outcome::Lost => r.of(LOST_REASONS[last]),
        _ => "",
    };
    let account = r.below(ACCOUNTS);
    let stages = first..=last;
    #[rustfmt::skip]
    let deal = Deal { owner, account, product, source, outcome, stages, entered, created, close,
        amount, region_blank, lead, lost_reason };
    deal
}

/// Account `k`'s name: distinct for every `k` < 1600, and one form in four needs CSV quoting.
fn account_name(k: u64) -> String {
    let a = ACCOUNT_A[(k / 4 % 20) as usize];
    let b = ACCOUNT_B[((k / 80 + 7 * (k / 4)) % 20) as usize];
    match k % 4 {
        0 => format!("PT {a} {b}"),
        1 => format!("CV {a} {b}"),
        2 => format!("PT {a} {b} Tbk"),
        _ => format!("{a} {b}, Inc."),
    }
}

/// Leads come in blocks of five per two deals: deal 2k may link to lead 5k, deal 2k+1 to 5k+2,
/// so the leads file finds a lead's deal without a lookup table.
fn lead_of_deal(i: u64) -> u64 {
    i / 2 * 5 + i % 2 * 2
}

fn deal_of_lead(j: u64) -> Option<u64> {
    match j % 5 {
        0 => Some(j / 5 * 2),
        2 => Some(j / 5 * 2 + 1),
        _ => None,
    }
}

fn write_reps(w: &mut impl Write) -> io::Result<()> {
    writeln!(w, "rep,team,manager,region,start_date")?;
    for (name, team, region, start) in REPS {
        let (team, manager, region) = (TEAMS[team], MANAGERS[team], REGIONS[region]);
        writeln!(w, "{name},{team},{manager},{region},{start}")?;
    }
    Ok(())
}

fn write_products(w: &mut impl Write) -> io::Result<()> {
    writeln!(w, "product,list_price")?;
    for (name, cents) in PRODUCTS {
        row(w, &[Text(name), Cents(cents)])?;
    }
    Ok(())
}

/// Quotas are derived from the wins they will be compared with: every (rep, quarter) gets an
/// attainment of [`ATTAINMENT`] (the star the best), and quota = won revenue / attainment.
fn write_quotas(cfg: &SampleConfig, w: &mut impl Write) -> io::Result<()> {
    writeln!(w, "rep,period,quota")?;
    let mut won = [[0i64; 6]; 12];
    for d in (0..cfg.deals as u64).map(|i| deal(cfg, i)) {
        if d.outcome == Outcome::Won {
            let (y, m, _) = civil_from_days(d.close);
            let q = ((y - 2024) * 4 + (i64::from(m) - 1) / 3) as usize;
            won[d.owner][q] += d.amount.unwrap_or(PRODUCTS[d.product].1);
        }
    }
    // Ranks over all 72 (rep, quarter) pairs: those without a win first (they miss whatever
    // the quota), the star last; each value of ATTAINMENT goes to six consecutive ranks.
    let mut r = Rng::new(cfg.seed, QUOTA_STREAM, 0);
    let mut pairs: Vec<_> = (0..72).map(|k| (k / 6, k % 6)).collect();
    pairs.sort_by_cached_key(|&(rep, q)| (won[rep][q] > 0, rep == STAR, r.next()));
    let mut attainment = [[0i64; 6]; 12];
    for (rank, (rep, q)) in pairs.into_iter().enumerate() {
        attainment[rep][q] = ATTAINMENT[rank / 6];
    }
    for (rep, (won, att)) in won.iter().zip(&attainment).enumerate() {
        for q in 0..6 {
            // Whole hundreds of dollars, at least 1000.00 so that a rep with no win has one.
            let quota = ((won[q] * 1000 / att[q] + 5_000) / 10_000 * 10_000).max(100_000);
            let period = format!("{}-Q{}", 2024 + q / 4, q % 4 + 1);
            row(w, &[Text(REPS[rep].0), Text(&period), Cents(quota)])?;
        }
    }
    Ok(())
}

fn write_leads(cfg: &SampleConfig, w: &mut impl Write) -> io::Result<()> {
    let header = "lead_id,created_date,source,owner,status,mql_date,sql_date,first_response_at";
    writeln!(w, "{header}")?;
    if !cfg.with_activities {
        return Ok(());
    }
    for j in 0..(cfg.deals as u64 * 5).div_ceil(2) {
        let mut r = Rng::new(cfg.seed, LEAD_STREAM, j);
        let linked = deal_of_lead(j).filter(|&i| i < cfg.deals as u64);
        let (created, source, owner, status, mql, sql, responds);
        if let Some(d) = linked.map(|i| deal(cfg, i)).filter(|d| d.lead == Some(j)) {
            // The lead precedes its deal: accepted by sales a few days before the deal opened.
            let s = (d.created - r.range(0, 7)).max(START);
            let m = (s - r.range(2, 20)).max(START);
            created = (m - r.range(0, 10)).max(START);
            (source, owner, mql, sql, responds) = (d.source, d.owner, Some(m), Some(s), true);
            status = ["opportunity", "customer"][usize::from(d.outcome == Outcome::Won)];
        } else {
            created = r.range(START, END - 45);
            (source, owner) = (r.pick(&LEAD_SOURCE_WEIGHT), r.rep());
            let m = created + r.range(0, 10);
            let (u, dq) = (r.below(1000), r.chance(450));
            // Sales accepts few marketing-qualified leads: the MQL→SQL drop-off.
            (status, mql, sql) = match u {
                _ if u < 30 => ("sql", Some(m), Some(m + r.range(3, 30))),
                _ if u < 610 => (if dq { "disqualified" } else { "mql" }, Some(m), None),
                _ => (if dq { "disqualified" } else { "lead" }, None, None),
            };
            responds = !r.chance(100);
        }
        let delay = match r.below(10) {
            0..=5 => r.range(5, 240),
            6..=8 => r.range(240, 1440),
            _ => r.range(1440, 4320),
        };
        let at = (created * 1440 + r.range(8 * 60, 18 * 60) + delay).min(END * 1440 + 17 * 60);
        #[rustfmt::skip]
        row(w, &[Id('L', j + 1), Date(created), Text(SOURCES[source]), Text(REPS[owner].0),
            Text(status), mql.map_or(Empty, Date), sql.map_or(Empty, Date),
            if responds { Minute(at) } else { Empty }])?;
    }
    Ok(())
}

fn write_deals(cfg: &SampleConfig, w: &mut impl Write) -> io::Result<()> {
    let header = "deal_id,owner,account,product,region,source,stage,amount,currency,\
        probability,created_date,close_date,lead_id,lost_reason";
    writeln!(w, "{header}")?;
    for i in 0..cfg.deals as u64 {
        let d = deal(cfg, i);
        let (rep, last) = (REPS[d.owner], *d.stages.end());
        let (stage, probability) = match d.outcome {
            Outcome::Won => ("Closed Won", 100),
            Outcome::Lost => ("Closed Lost", 0),
            Outcome::Open => (STAGES[last], OPEN_PROBABILITY[last]),
        };
        let region = if d.region_blank { "" } else { REGIONS[rep.2] };
        #[rustfmt::skip]
        row(w, &[Id('D', i + 1), Text(rep.0), Text(&account_name(d.account)),
            Text(PRODUCTS[d.product].0), Text(region), Text(SOURCES[d.source]), Text(stage),
            d.amount.map_or(Empty, Cents), Text("USD"), Int(probability), Date(d.created),
            Date(d.close), d.lead.map_or(Empty, |j| Id('L', j + 1)), Text(d.lost_reason)])?;
    }
    Ok(())
}

fn write_history(cfg: &SampleConfig, w: &mut impl Write) -> io::Result<()> {
    writeln!(w, "deal_id,stage,entered_date")?;
    if !cfg.with_activities {
        return Ok(());
    }
    for i in 0..cfg.deals as u64 {
        let d = deal(cfg, i);
        for s in d.stages.clone() {
            row(w, &[Id('D', i + 1), Text(STAGES[s]), Date(d.entered[s])])?;
        }
        let closing = match d.outcome {
            Outcome::Won => "Closed Won",
            Outcome::Lost => "Closed Lost",
            Outcome::Open => continue,
        };
        row(w, &[Id('D', i + 1), Text(closing), Date(d.close)])?;
    }
    Ok(())
}

struct Activity {
    day: i64,
    kind: usize,
    minutes: u64,
    outcome: &'static str,
}

impl Activity {
    fn new(r: &mut Rng, kind: usize, day: i64) -> Activity {
        let minutes = r.range(MINUTES[kind].0, MINUTES[kind].1) as u64;
        let outcome = r.of(OUTCOMES[kind]);
        #[rustfmt::skip]
        let activity = Activity { day, kind, minutes, outcome };
        activity
    }
}

/// Moves a Saturday or Sunday back towards Friday, but never before `earliest`.
fn weekday_back(day: i64, earliest: i64) -> i64 {
    let friday = day - [0, 0, 0, 0, 0, 1, 2][(day + 3).rem_euclid(7) as usize];
    friday.max(earliest.min(day))
}

/// The activities of deal `i`, by date: mostly in the 12 weeks before its close (or before
/// 2025-06-30 while open), with more client touches for wins, the star and Enterprise deals.
fn deal_activities(cfg: &SampleConfig, i: u64, d: &Deal, acts: &mut Vec<Activity>) {
    acts.clear();
    let mut r = Rng::new(cfg.seed, ACTIVITY_STREAM, i);
    let hi = [d.close, END][usize::from(d.outcome == Outcome::Open)];
    let (recent, last) = (d.created.max(hi - 83), *d.stages.end() as i64);
    let base = match d.outcome {
        Outcome::Won => r.range(8, 13),
        Outcome::Lost => 2 + 2 * last + r.range(0, 2),
        Outcome::Open => 1 + 2 * last + r.range(0, 2),
    };
    let star = if d.owner == STAR { 3 } else { 2 };
    let clients = base * TEAM_TOUCH[REPS[d.owner].1] / 10 * star / 2;
    let day = |r: &mut Rng| {
        let from = if r.chance(850) { recent } else { d.created };
        weekday_back(r.range(from, hi), d.created)
    };
    for _ in 0..clients {
        let (kind, at) = (r.pick(&CLIENT_MIX), day(&mut r));
        acts.push(Activity::new(&mut r, kind, at));
        if (kind == MEETING || kind == DEMO) && r.chance(400) {
            acts.push(Activity::new(&mut r, TRAVEL, at));
        }
    }
    let internal = r.range(0, 1) + i64::from(d.outcome == Outcome::Won);
    let proposals = if last >= 2 { r.range(1, 2) } else { 0 };
    for (kind, count) in [(INTERNAL, internal), (PROPOSAL, proposals)] {
        for _ in 0..count {
            let at = day(&mut r);
            acts.push(Activity::new(&mut r, kind, at));
        }
    }
    acts.sort_by_key(|a| a.day);
}

fn write_activities(cfg: &SampleConfig, w: &mut impl Write) -> io::Result<()> {
    let header = "activity_id,rep,type,date,duration_minutes,deal_id,account,outcome";
    writeln!(w, "{header}")?;
    if !cfg.with_activities {
        return Ok(());
    }
    let (mut id, mut acts) = (0, Vec::new());
    for i in 0..cfg.deals as u64 {
        let d = deal(cfg, i);
        deal_activities(cfg, i, &d, &mut acts);
        let account = account_name(d.account);
        for a in &acts {
            id += 1;
            #[rustfmt::skip]
            row(w, &[Id('A', id), Text(REPS[d.owner].0), Text(TYPES[a.kind]), Date(a.day),
                Int(a.minutes), Id('D', i + 1), Text(&account), Text(a.outcome)])?;
        }
    }
    // Rep-level blocks, the same count for every rep whatever they sell: they take time
    // without correlating with revenue.
    let (crm, training) = ((cfg.deals * 3).div_ceil(80), cfg.deals.div_ceil(240));
    let blocks = [(CRM, crm), (TRAINING, training)];
    for (rep, (name, ..)) in REPS.iter().enumerate() {
        for (kind, count) in blocks.map(|(k, n)| (k, n as i64)) {
            for j in 0..count {
                let index = (kind as u64) << 48 | (rep as u64) << 40 | j as u64;
                let mut r = Rng::new(cfg.seed, BLOCK_STREAM, index);
                let spread = (j * 12 + rep as i64) * (END - START) / (12 * count);
                let a = Activity::new(&mut r, kind, weekday_back(START + spread, START));
                id += 1;
                #[rustfmt::skip]
                row(w, &[Id('A', id), Text(name), Text(TYPES[kind]), Date(a.day), Int(a.minutes),
                    Empty, Empty, Text(a.outcome)])?;
            }
        }
    }
    Ok(())
}

/// One CSV field, formatted straight into the writer (no allocation per field).
#[derive(Clone, Copy)]
enum Field<'a> {
    /// Quoted only when it holds a comma, quote or line break.
    Text(&'a str),
    Int(u64),
    /// Integer cents as `1234.50`: exact, no float rounding (never negative here).
    Cents(i64),
    /// ISO date of a day number.
    Date(i64),
    /// `2024-03-07 14:05` from minutes since 1970-01-01 00:00.
    Minute(i64),
    /// A letter and a zero-padded number, so that ids sort as text.
    Id(char, u64),
    Empty,
}
use Field::{Cents, Date, Empty, Id, Int, Minute, Text};

impl fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Text(s) if s.contains([',', '"', '\n', '\r']) => {
                write!(f, "\"{}\"", s.replace('"', "\"\""))
            }
            Text(s) => f.write_str(s),
            Int(n) => write!(f, "{n}"),
            Cents(c) => write!(f, "{}.{:02}", c / 100, c % 100),
            Date(day) => {
                let (y, m, d) = civil_from_days(day);
                write!(f, "{y:04}-{m:02}-{d:02}")
            }
            Minute(t) => {
                let (day, m) = (Date(t.div_euclid(1440)), t.rem_euclid(1440));
                write!(f, "{day} {:02}:{:02}", m / 60, m % 60)
            }
            Id(c, n) => write!(f, "{c}{n:0w$}", w = if c == 'A' { 8 } else { 7 }),
            Empty => Ok(()),
        }
    }
}

/// Writes one CSV line.
fn row(w: &mut impl Write, fields: &[Field]) -> io::Result<()> {
    for (k, field) in fields.iter().enumerate() {
        write!(w, "{}{field}", if k == 0 { "" } else { "," })?;
    }
    w.write_all(b"\n")
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = (if y >= 0 { y } else { y - 399 }) / 400;
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = (if z >= 0 { z } else { z - 146_096 }) / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m as u32, d as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap};

    type Row = HashMap<String, String>;

    fn config(deals: usize) -> SampleConfig {
        SampleConfig {
            deals,
            ..SampleConfig::default()
        }
    }

    fn text(cfg: &SampleConfig, name: &str) -> String {
        let mut out = Vec::new();
        write_file(cfg, name, &mut out).expect("a Vec accepts every write");
        String::from_utf8(out).expect("the generator writes UTF-8")
    }

    /// Splits a line as `Field::Text` writes it: quoted fields, doubled quotes, no line breaks.
    fn split(line: &str) -> Vec<String> {
        let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.next_if_eq(&'"').is_some() => cur.push('"'),
                '"' => quoted = !quoted,
                ',' if !quoted => out.push(std::mem::take(&mut cur)),
                _ => cur.push(c),
            }
        }
        out.push(cur);
        out
    }

    fn table(cfg: &SampleConfig, name: &str) -> Vec<Row> {
        let text = text(cfg, name);
        let head = split(text.lines().next().expect("a header line"));
        let rows = text.lines().skip(1).map(split);
        let rows = rows.inspect(|r| assert_eq!(r.len(), head.len()));
        rows.map(|r| head.iter().cloned().zip(r).collect())
            .collect()
    }

    fn day(s: &str) -> i64 {
        let p: Vec<i64> = s[..10].split('-').flat_map(str::parse).collect();
        days_from_civil(p[0], p[1], p[2])
    }

    /// A deal's value as the engine takes it: its amount, else its product's list price.
    fn value(d: &Row) -> f64 {
        let list = PRODUCTS.iter().find(|p| p.0 == d["product"]);
        let list = list.map_or(f64::NAN, |p| p.1 as f64 / 100.0);
        d["amount"].parse().unwrap_or(list)
    }

    fn share<T>(all: &[T], f: impl Fn(&T) -> bool) -> f64 {
        all.iter().filter(|x| f(x)).count() as f64 / all.len() as f64
    }

    fn argmax(v: &[f64]) -> usize {
        (0..v.len()).fold(0, |best, k| if v[k] > v[best] { k } else { best })
    }

    fn pearson(a: &[f64], b: &[f64]) -> f64 {
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let (ma, mb) = (mean(a), mean(b));
        let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let var = |v: &[f64], m: f64| v.iter().map(|x| (x - m).powi(2)).sum::<f64>();
        cov / (var(a, ma) * var(b, mb)).sqrt()
    }

    #[test]
    fn same_config_same_bytes() {
        let cfg = config(300);
        for name in FILES {
            assert_eq!(text(&cfg, name), text(&cfg, name), "{name}");
        }
        let other = SampleConfig {
            seed: 8,
            ..config(300)
        };
        assert_ne!(text(&cfg, "deals.csv"), text(&other, "deals.csv"));
    }

    #[test]
    fn row_counts_headers_quoting_and_switches() {
        let cfg = config(1234);
        let deals = text(&cfg, "deals.csv");
        assert_eq!(deals.lines().count(), cfg.deals + 1);
        assert_eq!(table(&cfg, "deals.csv").len(), cfg.deals);
        assert!(deals.starts_with(&text(&config(300), "deals.csv")));
        assert!(deals.contains(", Inc.\","));
        assert!(deals.contains(",\"Chose \"\"do nothing\"\"\"\n"));
        assert_eq!(text(&cfg, "leads.csv").lines().count(), 1 + 3085);
        assert_eq!(text(&cfg, "quotas.csv").lines().count(), 1 + 12 * 6);
        let mut bare = cfg.clone();
        bare.with_activities = false;
        for name in ["leads.csv", "stage_history.csv", "activities.csv"] {
            let header = text(&cfg, name).lines().next().map(|h| format!("{h}\n"));
            assert_eq!(Some(text(&bare, name)), header);
        }
        assert_eq!(text(&bare, "deals.csv"), deals);
        let empty = config(0);
        assert!(FILES.iter().all(|name| text(&empty, name).ends_with('\n')));
        let err = write_file(&empty, "nope.csv", &mut Vec::new()).expect_err("unknown");
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }

    /// Window, probabilities, outcome mix, history consistency, leakiest stage and bottleneck.
    #[test]
    fn deals_and_history_hold_their_construction() {
        let cfg = SampleConfig::default();
        let deals = table(&cfg, "deals.csv");
        let mut history: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
        for h in table(&cfg, "stage_history.csv") {
            let entry = history.entry(h["deal_id"].clone()).or_default();
            entry.push((h["stage"].clone(), day(&h["entered_date"])));
        }
        assert_eq!(history.len(), deals.len());
        assert!((0.26..0.34).contains(&share(&deals, |d| d["stage"] == "Closed Won")));
        assert!((0.41..0.49).contains(&share(&deals, |d| d["stage"] == "Closed Lost")));
        assert!((0.003..0.02).contains(&share(&deals, |d| d["amount"].is_empty())));
        assert!((0.07..0.13).contains(&share(&deals, |d| d["region"].is_empty())));
        let position = |s: &str| STAGES.iter().position(|x| *x == s);
        let (mut reached, mut lost, mut spent) = ([0.0; 4], [0.0; 4], vec![Vec::new(); 4]);
        for d in &deals {
            let (id, created) = (&d["deal_id"], day(&d["created_date"]));
            let rows = &history[id];
            let (stage, last) = &rows[rows.len() - 1];
            assert!(START <= created && rows[0].1 == created, "{id}");
            assert!(rows.windows(2).all(|p| p[0].1 <= p[1].1), "{id}");
            assert!(*last <= END && stage == &d["stage"], "{id}");
            let probability: u64 = d["probability"].parse().expect("probability");
            if let Some(s) = position(stage) {
                assert_eq!(probability, OPEN_PROBABILITY[s], "{id}");
                continue;
            }
            assert!(
                *last == day(&d["close_date"]) && probability % 100 == 0,
                "{id}"
            );
            let furthest = position(&rows[rows.len() - 2].0).expect("a funnel stage");
            reached[..=furthest].iter_mut().for_each(|n| *n += 1.0);
            lost[furthest] += f64::from(u8::from(stage == "Closed Lost"));
            for p in rows.windows(2) {
                let s = position(&p[0].0).expect("a funnel stage");
                spent[s].push(p[1].1 - p[0].1);
            }
        }
        let drop: Vec<f64> = (0..4).map(|s| lost[s] / reached[s]).collect();
        assert_eq!(STAGES[argmax(&drop)], "Proposal", "{drop:?}");
        let median = |mut v: Vec<i64>| {
            v.sort_unstable();
            (v[(v.len() - 1) / 2] + v[v.len() / 2]) as f64 / 2.0
        };
        let medians: Vec<f64> = spent.into_iter().map(median).collect();
        assert_eq!(STAGES[argmax(&medians)], "Negotiation", "{medians:?}");
    }

    #[test]
    fn activities_selling_share_time_sink_and_correlation() {
        let cfg = SampleConfig::default();
        let (acts, deals) = (table(&cfg, "activities.csv"), table(&cfg, "deals.csv"));
        let mut minutes: BTreeMap<&str, f64> = BTreeMap::new();
        for a in &acts {
            let m: f64 = a["duration_minutes"].parse().expect("minutes");
            *minutes.entry(&a["type"]).or_default() += m;
            assert!((START..=END).contains(&day(&a["date"])));
        }
        let total: f64 = minutes.values().sum();
        let selling = ["Call", "Email", "Meeting", "Demo"].map(|t| minutes[t] / total);
        let selling: f64 = selling.iter().sum();
        assert!((0.35..0.40).contains(&selling), "{selling}");
        assert!(minutes["CRM Update"] / total >= 0.10);
        assert!((0.03..0.07).contains(&share(&acts, |a| a["deal_id"].is_empty())));
        assert!((8.0..12.0).contains(&(acts.len() as f64 / deals.len() as f64)));
        let count = |t: &str| {
            let of = |rep: &str| share(&acts, |a| a["rep"] == rep && a["type"] == t);
            REPS.map(|r| of(r.0))
        };
        let won: Vec<&Row> = deals
            .iter()
            .filter(|d| d["stage"] == "Closed Won")
            .collect();
        let revenue = REPS.map(|r| {
            let own = won.iter().filter(|d| d["owner"] == r.0);
            own.map(|d| value(d)).sum()
        });
        assert!(pearson(&count("Call"), &revenue) > 0.5);
        assert!(pearson(&count("Meeting"), &revenue) > 0.5);
        let crm = count("CRM Update");
        assert!(crm.iter().all(|&c| c == crm[0]), "equal counts: r is null");
        let closed = deals.iter().filter(|d| d["stage"].starts_with("Closed"));
        let closed: HashMap<&str, &Row> = closed.map(|d| (d["deal_id"].as_str(), d)).collect();
        let (mut recent, mut linked, mut per) = (0.0, 0.0, [0.0; 2]);
        for a in &acts {
            let Some(d) = closed.get(a["deal_id"].as_str()) else {
                continue;
            };
            linked += 1.0;
            recent += f64::from(u8::from(day(&d["close_date"]) - day(&a["date"]) <= 84));
            per[usize::from(d["stage"] == "Closed Won")] += 1.0;
        }
        assert!(
            recent / linked > 0.8,
            "mostly in the 12 weeks before a close"
        );
        let won_share = won.len() as f64 / closed.len() as f64;
        assert!(per[1] / won_share > 1.5 * per[0] / (1.0 - won_share));
    }

    #[test]
    fn about_half_of_the_reps_attain_quota() {
        let cfg = SampleConfig::default();
        let mut won: HashMap<String, f64> = HashMap::new();
        for d in table(&cfg, "deals.csv") {
            let (y, m, _) = civil_from_days(day(&d["close_date"]));
            let key = format!("{},{y}-Q{}", d["owner"], (m - 1) / 3 + 1);
            let won_value = if d["stage"] == "Closed Won" {
                value(&d)
            } else {
                0.0
            };
            *won.entry(key).or_default() += won_value;
        }
        let quotas = table(&cfg, "quotas.csv");
        let attained = share(&quotas, |q| {
            let quota: f64 = q["quota"].parse().expect("quota");
            won.get(&format!("{},{}", q["rep"], q["period"])) >= Some(&quota)
        });
        assert!((0.4..=0.6).contains(&attained), "{attained}");
    }

    #[test]
    fn leads_link_to_deals_and_mql_to_sql_drops_most() {
        let cfg = SampleConfig::default();
        let leads = table(&cfg, "leads.csv");
        let by_id: HashMap<&str, &Row> = leads.iter().map(|l| (&l["lead_id"][..], l)).collect();
        for d in table(&cfg, "deals.csv") {
            let Some(l) = by_id.get(&d["lead_id"][..]) else {
                continue;
            };
            let won = d["stage"] == "Closed Won";
            assert_eq!(l["status"], if won { "customer" } else { "opportunity" });
            assert!(day(&l["sql_date"]) <= day(&d["created_date"]));
        }
        let order = ["lead", "mql", "sql", "opportunity", "customer"];
        let level = |l: &Row| {
            let status = order.iter().position(|s| *s == l["status"]).unwrap_or(0);
            let sql = 2 * usize::from(!l["sql_date"].is_empty());
            status.max(sql).max(usize::from(!l["mql_date"].is_empty()))
        };
        let reached = [0, 1, 2, 3, 4].map(|k| share(&leads, |l| level(l) >= k));
        let loss: Vec<f64> = (0..4).map(|k| 1.0 - reached[k + 1] / reached[k]).collect();
        let lost: Vec<f64> = (0..4).map(|k| reached[k] - reached[k + 1]).collect();
        assert_eq!((argmax(&loss), argmax(&lost)), (1, 1), "{reached:?}");
    }

    #[test]
    fn jakarta_is_overloaded_and_medan_underloaded() {
        let mut pipeline = [0.0; 4];
        for d in table(&SampleConfig::default(), "deals.csv") {
            let rep = REPS
                .iter()
                .find(|r| r.0 == d["owner"])
                .expect("a roster rep");
            let region = REGIONS.iter().position(|r| *r == d["region"]);
            if !d["stage"].starts_with("Closed") && !d["amount"].is_empty() {
                pipeline[region.unwrap_or(rep.2)] += value(&d) / 3.0;
            }
        }
        let mean = pipeline.iter().sum::<f64>() / 4.0;
        assert!(pipeline[0] > 1.25 * mean, "{pipeline:?}");
        assert!(pipeline[3] < 0.75 * mean, "{pipeline:?}");
    }

    #[test]
    fn calendar_round_trips() {
        assert_eq!((START + 3).rem_euclid(7), 0, "2024-01-01 is a Monday");
        for d in START - 800..END + 800 {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, i64::from(m), i64::from(dd)), d);
        }
    }
}
