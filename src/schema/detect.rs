//! Header normalisation, column mapping and table-kind detection.

use super::kinds::{columns, Kind};
use super::synonyms::synonyms;
use crate::error::{Error, ErrorKind, Result};
use crate::rows_order::sort_rows;
use serde::Serialize;
use std::collections::BTreeMap;

const ENTITY_PREFIXES: &[&str] = &[
    "deal",
    "opportunity",
    "lead",
    "activity",
    "person",
    "organization",
    "organisation",
    "contact",
    "product",
    "account",
];

/// Normalises a header for matching (SPEC §2): case, accents, `_ - .` and
/// spaces, a trailing `*`, a trailing unit in parentheses and an entity
/// prefix such as Pipedrive's `Deal - ` are all ignored.
pub fn normalize_header(h: &str) -> String {
    let mut s = h
        .trim()
        .trim_start_matches('\u{feff}')
        .trim()
        .to_lowercase();
    while s.ends_with('*') {
        s.pop();
        s = s.trim_end().to_string();
    }
    if s.ends_with(')') {
        if let Some(i) = s.rfind('(') {
            if i > 0 {
                s.truncate(i);
                s = s.trim_end().to_string();
            }
        }
    }
    if let Some((head, tail)) = s.split_once(" - ") {
        if ENTITY_PREFIXES.contains(&head.trim()) && !tail.trim().is_empty() {
            s = tail.to_string();
        }
    }
    s.chars()
        .filter_map(|c| match c {
            '_' | '-' | '.' | ' ' | '"' | '\'' | ':' | '\t' => None,
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'í' | 'ì' | 'î' | 'ï' => Some('i'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => Some('o'),
            'ú' | 'ù' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            'ñ' => Some('n'),
            c => Some(c),
        })
        .collect()
}

/// Which source columns feed each canonical column of one table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mapping {
    /// The table kind.
    pub kind: Kind,
    /// Canonical column → source column indices, best first (later ones fill gaps).
    #[serde(skip)]
    pub sources: BTreeMap<&'static str, Vec<usize>>,
    /// Whether the duration column is in seconds (converted to minutes).
    #[serde(skip)]
    pub duration_in_seconds: bool,
}

impl Mapping {
    /// The source columns of canonical column `col`.
    pub fn get(&self, col: &str) -> &[usize] {
        self.sources.get(col).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether canonical column `col` is mapped.
    pub fn has(&self, col: &str) -> bool {
        !self.get(col).is_empty()
    }
}

/// The synonyms of each of `kind`'s columns ([`columns`]' order),
/// normalised once: a header search maps up to twenty candidate rows for
/// each kind, and normalising every synonym for each was 19 M instructions
/// a file natively (a twentieth of typing a 100k-row file).
fn normalized_synonyms(kind: Kind) -> &'static [Vec<String>] {
    static ALL: std::sync::OnceLock<Vec<Vec<Vec<String>>>> = std::sync::OnceLock::new();
    let all = ALL.get_or_init(|| {
        (Kind::ALL.iter())
            .map(|&k| {
                (columns(k).iter())
                    .map(|d| {
                        synonyms(k, d.name)
                            .iter()
                            .map(|s| normalize_header(s))
                            .collect()
                    })
                    .collect()
            })
            .collect()
    });
    let at = Kind::ALL.iter().position(|&k| k == kind).unwrap_or(0);
    &all[at]
}

/// Maps the headers of a table of `kind` to its canonical columns.
pub fn map_columns(kind: Kind, headers: &[String]) -> Mapping {
    let norm: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let mut taken = vec![false; headers.len()];
    let mut sources: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    for (def, syns) in columns(kind).iter().zip(normalized_synonyms(kind)) {
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for (rank, syn) in syns.iter().enumerate() {
            for (i, n) in norm.iter().enumerate() {
                if !taken[i] && n == syn && !hits.iter().any(|h| h.1 == i) {
                    hits.push((rank, i));
                }
            }
        }
        sort_rows(&mut hits);
        if !hits.is_empty() {
            for &(_, i) in &hits {
                taken[i] = true;
            }
            sources.insert(def.name, hits.into_iter().map(|h| h.1).collect());
        }
    }
    let duration_in_seconds = sources
        .get("duration_minutes")
        .and_then(|v| v.first())
        .map(|&i| {
            let h = headers[i].to_lowercase();
            h.contains("second") || h.contains("detik") || h.contains("(s)") || h.contains("secs")
        })
        .unwrap_or(false);
    Mapping {
        kind,
        sources,
        duration_in_seconds,
    }
}

/// Applies the caller's overrides (canonical column → header, or `None` to
/// unmap) to a mapping.
pub fn apply_overrides(
    mapping: &mut Mapping,
    headers: &[String],
    overrides: &BTreeMap<String, Option<String>>,
) -> Result<()> {
    for (col, header) in overrides {
        let Some(def) = columns(mapping.kind).iter().find(|d| d.name == col) else {
            return Err(Error::new(ErrorKind::BadMapping(format!(
                "{col:?} is not a column of a {} table",
                mapping.kind.name()
            ))));
        };
        match header {
            None => {
                mapping.sources.remove(def.name);
            }
            Some(h) => {
                let i = headers.iter().position(|x| x == h).or_else(|| {
                    let n = normalize_header(h);
                    headers.iter().position(|x| normalize_header(x) == n)
                });
                let Some(i) = i else {
                    return Err(Error::new(ErrorKind::BadMapping(format!(
                        "no column named {h:?} (the headers are {})",
                        headers.join(", ")
                    ))));
                };
                for v in mapping.sources.values_mut() {
                    v.retain(|&x| x != i);
                }
                mapping.sources.retain(|_, v| !v.is_empty());
                mapping.sources.insert(def.name, vec![i]);
            }
        }
    }
    Ok(())
}

/// Whether a mapping has what its kind requires (SPEC §2).
pub fn satisfies(m: &Mapping) -> bool {
    let has = |c: &str| m.has(c);
    match m.kind {
        Kind::Deals => {
            has("close_date")
                || (has("created_date") && (has("stage") || has("status") || has("amount")))
        }
        Kind::StageHistory => has("deal_id") && has("stage") && has("entered_date"),
        Kind::Activities => has("rep") && has("type") && has("date"),
        Kind::Leads => has("id") && has("created_date"),
        Kind::Quotas => {
            (has("rep") || has("team") || has("region"))
                && has("amount")
                && (has("period") || (has("period_start") && has("period_end")))
        }
        Kind::Reps => {
            has("rep") && (has("team") || has("manager") || has("region") || has("start_date"))
        }
        Kind::Products => has("product") && has("list_price"),
        Kind::FxRates => has("currency") && has("rate"),
    }
}

/// How well `m` fits its kind: matched columns, typical ones counting three.
pub fn score(m: &Mapping) -> u32 {
    columns(m.kind)
        .iter()
        .filter(|d| m.has(d.name))
        .map(|d| if d.signature { 3 } else { 1 })
        .sum()
}

/// Detects the kind of a table from its headers (and, to break ties, its
/// file name). Returns the best mapping that satisfies its kind.
pub fn detect_kind(headers: &[String], file_name: &str) -> Option<Mapping> {
    let fname = file_name.to_lowercase();
    let mut best: Option<(u32, Mapping)> = None;
    for kind in Kind::ALL {
        let m = map_columns(kind, headers);
        if !satisfies(&m) {
            continue;
        }
        let hint = kind.filename_hints().iter().any(|h| fname.contains(h));
        let s = score(&m) * 2 + u32::from(hint);
        if best.as_ref().is_none_or(|(b, _)| s > *b) {
            best = Some((s, m));
        }
    }
    best.map(|(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalize_header("Deal - Value"), "value");
        assert_eq!(normalize_header("Probability (%)"), "probability");
        assert_eq!(normalize_header(" Close_Date* "), "closedate");
        assert_eq!(normalize_header("Tanggal Dibuat"), "tanggaldibuat");
        assert_eq!(normalize_header("Fecha de creación"), "fechadecreacion");
    }

    #[test]
    fn kinds_from_real_headers() {
        let kind = |hs: &[&str]| detect_kind(&h(hs), "x.csv").map(|m| m.kind);
        assert_eq!(
            kind(&[
                "opportunity_id",
                "sales_agent",
                "product",
                "account",
                "deal_stage",
                "engage_date",
                "close_date",
                "close_value"
            ]),
            Some(Kind::Deals)
        );
        assert_eq!(
            kind(&["sales_agent", "manager", "regional_office"]),
            Some(Kind::Reps)
        );
        assert_eq!(
            kind(&["product", "series", "sales_price"]),
            Some(Kind::Products)
        );
        assert_eq!(
            kind(&["mql_id", "first_contact_date", "landing_page_id", "origin"]),
            Some(Kind::Leads)
        );
        assert_eq!(
            kind(&[
                "mql_id",
                "seller_id",
                "sdr_id",
                "sr_id",
                "won_date",
                "business_segment"
            ]),
            Some(Kind::Deals)
        );
        assert_eq!(kind(&["rep", "period", "quota"]), Some(Kind::Quotas));
        assert_eq!(
            kind(&["deal_id", "stage", "entered_date"]),
            Some(Kind::StageHistory)
        );
        assert_eq!(
            kind(&["Assigned To", "Activity Type", "Date", "Duration (minutes)"]),
            Some(Kind::Activities)
        );
        assert_eq!(kind(&["currency", "rate"]), Some(Kind::FxRates));
        assert_eq!(kind(&["foo", "bar"]), None);
    }

    #[test]
    fn pipedrive_close_dates_coalesce_in_priority() {
        let hs = h(&[
            "Deal - Expected close date",
            "Deal - Lost time",
            "Deal - Won time",
            "Deal - Status",
        ]);
        let m = map_columns(Kind::Deals, &hs);
        assert_eq!(m.get("close_date"), &[2, 1, 0]);
    }
}
