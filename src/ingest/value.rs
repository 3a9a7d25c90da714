//! Cell values: numbers, dates and periods as they appear in real exports.
//!
//! # Design
//! Ambiguity is resolved per column, never per cell: `1.234` is a thousand in
//! an Indonesian file and one-and-a-bit in an American one, and `03/07/2024`
//! is March or July depending on who exported it. So each parser here first
//! *classifies* a cell (what it could mean), the caller gathers the classes of
//! a whole column, decides, and only then *reads* every cell with the decision.

use chrono::{Datelike, NaiveDate, NaiveTime};

/// How a column writes decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DecimalStyle {
    /// `1,234.50`
    Point,
    /// `1.234,50`
    Comma,
}

/// What one number cell says about the column's decimal style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberClass {
    /// Only readable with a decimal point (`12.5`, `1,234.50`, `1,234,567`).
    Point,
    /// Only readable with a decimal comma (`12,5`, `1.234,50`, `1.234.567`).
    Comma,
    /// Readable either way (`1,234` or `1.234`).
    Either,
    /// No separator at all (`1234`).
    Plain,
}

/// A number cell taken apart: sign, currency, percent and the digits left.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberParts<'a> {
    negative: bool,
    percent: bool,
    /// ISO code of a currency symbol or code found in the cell.
    pub currency: Option<&'static str>,
    body: &'a str,
    /// Scientific notation such as `1.5E+06` (always point style).
    scientific: bool,
    /// The cell's class.
    pub class: NumberClass,
}

const CURRENCIES: &[(&str, &str)] = &[
    ("RP.", "IDR"),
    ("RP", "IDR"),
    ("IDR", "IDR"),
    ("US$", "USD"),
    ("USD", "USD"),
    ("$", "USD"),
    ("€", "EUR"),
    ("EUR", "EUR"),
    ("£", "GBP"),
    ("GBP", "GBP"),
    ("¥", "JPY"),
    ("JPY", "JPY"),
    ("S$", "SGD"),
    ("SGD", "SGD"),
    ("RM", "MYR"),
    ("MYR", "MYR"),
    ("A$", "AUD"),
    ("AUD", "AUD"),
    ("₹", "INR"),
    ("INR", "INR"),
    ("CHF", "CHF"),
    ("CAD", "CAD"),
    ("C$", "CAD"),
    ("PHP", "PHP"),
    ("₱", "PHP"),
    ("THB", "THB"),
    ("฿", "THB"),
    ("VND", "VND"),
    ("₫", "VND"),
    ("CNY", "CNY"),
    ("RMB", "CNY"),
    ("BRL", "BRL"),
    ("R$", "BRL"),
];

fn strip_currency_prefix(s: &str) -> Option<(&'static str, &str)> {
    CURRENCIES.iter().find_map(|(sym, code)| {
        let n = sym.len();
        if s.len() >= n && s.is_char_boundary(n) && s[..n].eq_ignore_ascii_case(sym) {
            Some((*code, s[n..].trim_start()))
        } else {
            None
        }
    })
}

fn strip_currency_suffix(s: &str) -> Option<(&'static str, &str)> {
    CURRENCIES.iter().find_map(|(sym, code)| {
        let n = sym.len();
        if s.len() >= n
            && s.is_char_boundary(s.len() - n)
            && s[s.len() - n..].eq_ignore_ascii_case(sym)
        {
            Some((*code, s[..s.len() - n].trim_end()))
        } else {
            None
        }
    })
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{a0}' || c == '\u{202f}' || c == '\u{2009}'
}

/// Takes a number cell apart; `None` when it is not a number at all.
pub fn classify_number(cell: &str) -> Option<NumberParts<'_>> {
    // The common case, plain digits with separators, skips the currency
    // and sign handling (this runs on every number cell, twice).
    let b = cell.as_bytes();
    if !b.is_empty() && b[0].is_ascii_digit() && b[b.len() - 1].is_ascii_digit() {
        if let Some(class) = separators(cell) {
            return Some(NumberParts {
                negative: false,
                percent: false,
                currency: None,
                body: cell,
                scientific: false,
                class,
            });
        }
    }
    let mut s = cell.trim_matches(|c: char| c.is_whitespace() || is_space(c));
    if s.is_empty() {
        return None;
    }
    let mut negative = false;
    let mut percent = false;
    let mut currency = None;
    if s.starts_with('(') && s.ends_with(')') && s.len() >= 2 {
        negative = true;
        s = s[1..s.len() - 1].trim();
    }
    // Sign and currency may come in either order: `-$1,200`, `$-1,200`, `Rp -5.000`.
    for _ in 0..2 {
        if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('\u{2212}')) {
            negative = !negative;
            s = rest.trim_start();
        } else if let Some(rest) = s.strip_prefix('+') {
            s = rest.trim_start();
        }
        if currency.is_none() {
            if let Some((code, rest)) = strip_currency_prefix(s) {
                currency = Some(code);
                s = rest;
            }
        }
    }
    if let Some(rest) = s.strip_suffix('%') {
        percent = true;
        s = rest.trim_end();
    }
    if currency.is_none() {
        if let Some((code, rest)) = strip_currency_suffix(s) {
            currency = Some(code);
            s = rest;
        }
    }
    if let Some(rest) = s.strip_suffix('-') {
        negative = !negative;
        s = rest.trim_end();
    }
    if s.is_empty() || !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(sci) = scientific(s) {
        return Some(NumberParts {
            negative,
            percent,
            currency,
            body: sci,
            scientific: true,
            class: NumberClass::Point,
        });
    }
    let class = separators(s)?;
    Some(NumberParts {
        negative,
        percent,
        currency,
        body: s,
        scientific: false,
        class,
    })
}

fn scientific(s: &str) -> Option<&str> {
    let e = s.find(['e', 'E'])?;
    let (mant, exp) = (&s[..e], &s[e + 1..]);
    let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
    let ok = !mant.is_empty()
        && mant.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && !exp.is_empty()
        && exp.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(s)
}

fn separators(s: &str) -> Option<NumberClass> {
    // The common cells, digits with at most one point or comma (`27120.00`,
    // `100`), byte by byte: what `general_separators` says of them, without
    // its character decoding and searches (this runs on every number cell).
    let mut dots = 0usize;
    let mut commas = 0usize;
    let mut at = 0usize;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        match c {
            b'0'..=b'9' => {}
            b'.' => {
                dots += 1;
                at = i;
            }
            b',' => {
                commas += 1;
                at = i;
            }
            _ => return general_separators(s),
        }
    }
    let as_decimal = match (dots, commas) {
        (0, 0) => return Some(NumberClass::Plain),
        (1, 0) => NumberClass::Point,
        (0, 1) => NumberClass::Comma,
        _ => return general_separators(s),
    };
    // As `one_kind` reads one separator.
    let (int, frac) = (&s[..at], &s[at + 1..]);
    if frac.is_empty() {
        None
    } else if frac.len() == 3 && !int.is_empty() && int.len() <= 3 && int != "0" {
        Some(NumberClass::Either)
    } else {
        Some(as_decimal)
    }
}

fn general_separators(s: &str) -> Option<NumberClass> {
    // Spaces and apostrophes only ever group thousands; look at the rest
    // without copying.
    let mut dots = 0usize;
    let mut commas = 0usize;
    let (mut last_dot, mut last_comma) = (0usize, 0usize);
    let mut seen = 0usize;
    let mut clean = true;
    for c in s.chars() {
        match c {
            '0'..='9' => {}
            '.' => {
                dots += 1;
                last_dot = seen;
            }
            ',' => {
                commas += 1;
                last_comma = seen;
            }
            '\'' => {
                clean = false;
                continue;
            }
            c if is_space(c) => {
                clean = false;
                continue;
            }
            _ => return None,
        }
        seen += 1;
    }
    if dots == 0 && commas == 0 {
        return Some(NumberClass::Plain);
    }
    // Only numbers with separators reach the slower, exact checks, on the
    // digits and separators alone (the cell itself when it has nothing
    // else: no copy, as for `27120.00` or `1,234.50`).
    let owned: String;
    let digits = if clean {
        s
    } else {
        owned = s
            .chars()
            .filter(|&c| c.is_ascii_digit() || c == '.' || c == ',')
            .collect();
        &owned
    };
    Some(match (dots, commas) {
        (_, 0) => one_kind(digits, '.', NumberClass::Point, NumberClass::Comma)?,
        (0, _) => one_kind(digits, ',', NumberClass::Comma, NumberClass::Point)?,
        _ => {
            let (dec, group, class) = if last_dot > last_comma {
                ('.', ',', NumberClass::Point)
            } else {
                (',', '.', NumberClass::Comma)
            };
            let (int, frac) = digits.rsplit_once(dec)?;
            if int.contains(dec) || frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            if !grouped(int, group) {
                return None;
            }
            class
        }
    })
}

/// Checks that `s` has at least two groups split by `sep` and every group
/// after the first has exactly three digits (the first one to three).
fn grouped(s: &str, sep: char) -> bool {
    let mut parts = s.split(sep);
    let first = parts.next().unwrap_or("");
    let mut rest = 0;
    for p in parts {
        if p.len() != 3 {
            return false;
        }
        rest += 1;
    }
    rest >= 1 && !first.is_empty() && first.len() <= 3
}

/// A number whose only separator is `sep` (once or more): as decimal it
/// means `as_decimal`, as thousands grouping it means `as_group`.
fn one_kind(
    digits: &str,
    sep: char,
    as_decimal: NumberClass,
    as_group: NumberClass,
) -> Option<NumberClass> {
    let (int, frac) = digits.split_once(sep)?;
    if frac.contains(sep) {
        // Three or more parts: only thousands grouping, every part filled.
        if digits.split(sep).skip(1).any(str::is_empty) {
            return None;
        }
        return grouped(digits, sep).then_some(as_group);
    }
    if frac.is_empty() {
        return None;
    }
    if frac.len() == 3 && !int.is_empty() && int.len() <= 3 && int != "0" {
        Some(NumberClass::Either)
    } else {
        Some(as_decimal)
    }
}

impl NumberParts<'_> {
    /// Reads the value with the column's decimal style. A percent cell is
    /// returned as a fraction (`12%` is `0.12`).
    pub fn value(&self, style: DecimalStyle) -> Option<f64> {
        let v = if self.scientific {
            None
        } else {
            fast_decimal(self.body, style)
        };
        let v = match v {
            Some(v) => v,
            None => self.slow_value(style)?,
        };
        let v = if self.negative { -v } else { v };
        let v = if self.percent { v / 100.0 } else { v };
        v.is_finite().then_some(v)
    }

    fn slow_value(&self, style: DecimalStyle) -> Option<f64> {
        let clean: String = if self.scientific {
            self.body.to_string()
        } else {
            let (dec, group) = match style {
                DecimalStyle::Point => ('.', ','),
                DecimalStyle::Comma => (',', '.'),
            };
            self.body
                .chars()
                .filter(|&c| c != group && c != '\'' && !is_space(c))
                .map(|c| if c == dec { '.' } else { c })
                .collect()
        };
        clean.parse().ok()
    }

    /// Whether the cell can be read with `style` without contradiction.
    pub fn fits(&self, style: DecimalStyle) -> bool {
        !matches!(
            (self.class, style),
            (NumberClass::Point, DecimalStyle::Comma) | (NumberClass::Comma, DecimalStyle::Point)
        )
    }

    /// Whether the cell carried a `%`.
    pub fn is_percent(&self) -> bool {
        self.percent
    }
}

/// Reads digits with grouping and one decimal separator exactly, without
/// allocating: an integer mantissa of at most 15 digits divided by a power
/// of ten is correctly rounded (both are exact in `f64`). Longer numbers go
/// to the standard parser.
fn fast_decimal(body: &str, style: DecimalStyle) -> Option<f64> {
    let dec = match style {
        DecimalStyle::Point => b'.',
        DecimalStyle::Comma => b',',
    };
    let mut mant: u64 = 0;
    let mut digits = 0u32;
    let mut frac: Option<u32> = None;
    for &b in body.as_bytes() {
        match b {
            b'0'..=b'9' => {
                if digits >= 15 {
                    return None;
                }
                mant = mant * 10 + u64::from(b - b'0');
                if mant > 0 {
                    digits += 1;
                }
                if let Some(f) = frac.as_mut() {
                    *f += 1;
                }
            }
            b if b == dec => {
                if frac.is_some() {
                    return None;
                }
                frac = Some(0);
            }
            _ => {}
        }
    }
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let f = frac.unwrap_or(0) as usize;
    (f < POW10.len()).then(|| mant as f64 / POW10[f])
}

/// Day-first or month-first, for numeric dates such as `03/07/2024`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DateOrder {
    /// `07/03/2024` is 7 March.
    DayFirst,
    /// `03/07/2024` is 7 March.
    MonthFirst,
}

/// What one date cell says about its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateClass {
    /// `2024-03-07`, `7 Mar 2024`, an Excel serial: no order needed.
    Fixed,
    /// Numeric with a first part above 12.
    DayFirst,
    /// Numeric with a second part above 12.
    MonthFirst,
    /// Numeric and valid either way.
    Either,
}

/// A date cell taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    /// For numeric forms: first and second number; for fixed forms: month and day.
    a: u32,
    b: u32,
    year: i32,
    /// The time of day, where the cell has one.
    pub time: Option<NaiveTime>,
    /// The cell's class.
    pub class: DateClass,
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("januari", 1),
    ("jan", 1),
    ("february", 2),
    ("februari", 2),
    ("pebruari", 2),
    ("feb", 2),
    ("peb", 2),
    ("march", 3),
    ("maret", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("mei", 5),
    ("june", 6),
    ("juni", 6),
    ("jun", 6),
    ("july", 7),
    ("juli", 7),
    ("jul", 7),
    ("august", 8),
    ("agustus", 8),
    ("aug", 8),
    ("agu", 8),
    ("agt", 8),
    ("ags", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oktober", 10),
    ("oct", 10),
    ("okt", 10),
    ("november", 11),
    ("nopember", 11),
    ("nov", 11),
    ("nop", 11),
    ("december", 12),
    ("desember", 12),
    ("dec", 12),
    ("des", 12),
];

const WEEKDAYS: &[&str] = &[
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "sabtu",
    "minggu",
    "ahad",
];

/// A month name in English or Indonesian (full or abbreviated).
pub fn month_from_name(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
}

fn expand_year(y: u32, digits: usize) -> i32 {
    if digits <= 2 {
        // Excel's pivot: 00–29 are 2000s, 30–99 are 1900s.
        if y < 30 {
            2000 + y as i32
        } else {
            1900 + y as i32
        }
    } else {
        y as i32
    }
}

/// Parses `HH:MM[:SS[.fff]] [AM|PM] [Z|±hh:mm]`; the zone is dropped on
/// purpose: dates are calendar dates as the exporter wrote them.
fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim().trim_start_matches(',').trim();
    if s.is_empty() {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    let (core, pm, am) = if let Some(r) = lower.strip_suffix("pm") {
        (r.trim().to_string(), true, false)
    } else if let Some(r) = lower.strip_suffix("am") {
        (r.trim().to_string(), false, true)
    } else {
        (lower, false, false)
    };
    let core = core.trim_end_matches('z');
    let core = match core.rfind(['+', '-']) {
        Some(i) if i >= 5 => &core[..i],
        _ => core,
    };
    let mut it = core.split(':');
    let h: u32 = it.next()?.trim().parse().ok()?;
    let m: u32 = it.next()?.trim().parse().ok()?;
    let sec_part = it.next().unwrap_or("0");
    let sec: u32 = sec_part.split(['.', ',']).next()?.parse().ok()?;
    if it.next().is_some() {
        return None;
    }
    let h = match (pm, am, h) {
        (true, _, 12) => 12,
        (true, _, h) if h < 12 => h + 12,
        (_, true, 12) => 0,
        (_, _, h) => h,
    };
    NaiveTime::from_hms_opt(h, m, sec)
}

/// Splits `date[ T]time` into the two parts.
/// `YYYY-MM-DD` exactly, read as the general path below reads it.
fn iso_date(b: &[u8]) -> Option<DateParts> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let d = |i: usize| -> Option<u32> {
        let c = b[i];
        c.is_ascii_digit().then(|| u32::from(c - b'0'))
    };
    let year = d(0)? * 1000 + d(1)? * 100 + d(2)? * 10 + d(3)?;
    let month = d(5)? * 10 + d(6)?;
    let day = d(8)? * 10 + d(9)?;
    Some(DateParts {
        a: month,
        b: day,
        year: year as i32,
        time: None,
        class: DateClass::Fixed,
    })
}

/// `str::trim`, with a fast answer when neither end can be whitespace
/// (an ASCII byte above the space); otherwise the full Unicode trim.
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) if f > b' ' && f < 0x80 && l > b' ' && l < 0x80 => s,
        _ => s.trim(),
    }
}

fn split_time(s: &str) -> (&str, Option<&str>) {
    if let Some(i) = s.find('T') {
        if i >= 8 && s[..i].bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return (&s[..i], Some(&s[i + 1..]));
        }
    }
    match s.find(':') {
        Some(colon) => {
            let head = &s[..colon];
            match head.rfind([' ', ',']) {
                Some(sp) => (s[..sp].trim_end_matches([',', ' ']), Some(&s[sp + 1..])),
                None => (s, None),
            }
        }
        None => (s, None),
    }
}

/// Takes a date cell apart; `None` when it is not a date. `serials` allows
/// Excel serial day numbers (only trusted in spreadsheets).
pub fn classify_date(cell: &str, serials: bool) -> Option<DateParts> {
    let s = trim(cell);
    if s.is_empty() {
        return None;
    }
    // The common cases, `2024-03-07` and `2024-03-07 14:05` (or with a
    // `T`), without searching for times or separators.
    if let Some(p) = iso_date(s.as_bytes()) {
        return Some(p);
    }
    if let Some(p) = iso_date_time(s) {
        return p;
    }
    general_date(s, serials)
}

/// `YYYY-MM-DD HH:MM[:SS…]` (or with a `T`): `Some` of what
/// [`general_date`] gives for it, `None` for any other form (left to it).
fn iso_date_time(s: &str) -> Option<Option<DateParts>> {
    let b = s.as_bytes();
    if b.len() <= 11 || !matches!(b[10], b' ' | b'T') {
        return None;
    }
    let p = iso_date(&b[..10])?;
    // The time is what follows the separator when only digits come before
    // its first colon: then the general path splits the cell there too.
    let t = &s[11..];
    let colon = t.bytes().position(|c| c == b':')?;
    if colon == 0 || !t.as_bytes()[..colon].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        plain_time(t)
            .or_else(|| parse_time(t))
            .map(|time| DateParts {
                time: Some(time),
                ..p
            })
            .filter(valid_fixed),
    )
}

/// `H:MM` or `HH:MM:SS` (one or two digits each) as [`parse_time`] reads
/// it, without its lowercase copy; `None` for anything else.
fn plain_time(t: &str) -> Option<NaiveTime> {
    let mut n = [0u32; 3];
    let mut parts = 0;
    for part in t.split(':') {
        let p = part.as_bytes();
        if parts == 3 || p.is_empty() || p.len() > 2 || !p.iter().all(u8::is_ascii_digit) {
            return None;
        }
        n[parts] = p.iter().fold(0, |v, &c| v * 10 + u32::from(c - b'0'));
        parts += 1;
    }
    if parts < 2 {
        return None;
    }
    NaiveTime::from_hms_opt(n[0], n[1], n[2])
}

/// [`classify_date`] for every form: times, separators, day and month
/// orders, month names, serial numbers.
fn general_date(s: &str, serials: bool) -> Option<DateParts> {
    if serials {
        if let Ok(v) = s.parse::<f64>() {
            return serial_parts(v);
        }
    }
    let (date, time_str) = split_time(s);
    let time = match time_str {
        Some(t) => Some(parse_time(t)?),
        None => None,
    };
    let date = date.trim();
    // Three numeric parts, read without allocating (every date cell, twice).
    let mut parts = ["", "", ""];
    let mut count = 0;
    for p in date.split(['-', '/', '.']) {
        if count == 3 {
            count = 4;
            break;
        }
        parts[count] = p.trim();
        count += 1;
    }
    let numeric = count == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
    if numeric {
        let nums = parts;
        let mut n = [0u32; 3];
        for (slot, p) in n.iter_mut().zip(nums) {
            *slot = p.parse().ok()?;
        }
        if nums[0].len() == 4 {
            // ISO year-month-day.
            return Some(DateParts {
                a: n[1],
                b: n[2],
                year: n[0] as i32,
                time,
                class: DateClass::Fixed,
            })
            .filter(valid_fixed);
        }
        if nums[2].len() != 4 && nums[2].len() != 2 {
            return None;
        }
        let year = expand_year(n[2], nums[2].len());
        let as_dmy = NaiveDate::from_ymd_opt(year, n[1], n[0]).is_some();
        let as_mdy = NaiveDate::from_ymd_opt(year, n[0], n[1]).is_some();
        let class = match (as_dmy, as_mdy) {
            (true, true) => DateClass::Either,
            (true, false) => DateClass::DayFirst,
            (false, true) => DateClass::MonthFirst,
            (false, false) => return None,
        };
        return Some(DateParts {
            a: n[0],
            b: n[1],
            year,
            time,
            class,
        });
    }
    textual(date, time)
}

fn valid_fixed(p: &DateParts) -> bool {
    NaiveDate::from_ymd_opt(p.year, p.a, p.b).is_some()
}

/// `7 Mar 2024`, `7 Maret 2024`, `07-Mar-24`, `March 7, 2024`, `Thu, 7 Mar 2024`.
fn textual(s: &str, time: Option<NaiveTime>) -> Option<DateParts> {
    let words: Vec<&str> = s
        .split([' ', '-', '/', ',', '.'])
        .filter(|w| !w.is_empty())
        .filter(|w| !WEEKDAYS.contains(&w.to_ascii_lowercase().as_str()))
        .collect();
    if words.len() != 3 {
        return None;
    }
    let (mi, month) = words
        .iter()
        .enumerate()
        .find_map(|(i, w)| month_from_name(w).map(|m| (i, m)))?;
    let rest: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != mi)
        .map(|(_, w)| *w)
        .collect();
    let nums: Vec<u32> = rest
        .iter()
        .map(|w| {
            w.trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .parse()
                .ok()
        })
        .collect::<Option<_>>()?;
    // Day before year unless the first number has four digits (`2024 Mar 7`).
    let (day, year, ydigits) = if rest[0].len() == 4 {
        (nums[1], nums[0], 4)
    } else {
        (nums[0], nums[1], rest[1].len())
    };
    let p = DateParts {
        a: month,
        b: day,
        year: expand_year(year, ydigits),
        time,
        class: DateClass::Fixed,
    };
    valid_fixed(&p).then_some(p)
}

/// Excel's day 1 is 1900-01-01 and it counts a 29 February 1900 that never
/// was, so serials from 61 on are one day ahead of the calendar.
fn serial_parts(v: f64) -> Option<DateParts> {
    if !(1.0..2_958_466.0).contains(&v) {
        return None;
    }
    let days = v.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let date = if days < 61 {
        base + chrono::Duration::days(days + 1)
    } else {
        base + chrono::Duration::days(days)
    };
    let frac = v - v.floor();
    let secs = (frac * 86_400.0).round() as u32;
    let time = (secs > 0)
        .then(|| NaiveTime::from_num_seconds_from_midnight_opt(secs.min(86_399), 0))
        .flatten();
    Some(DateParts {
        a: date.month(),
        b: date.day(),
        year: date.year(),
        time,
        class: DateClass::Fixed,
    })
}

impl DateParts {
    /// The calendar date under the column's `order` (ignored for fixed forms).
    pub fn date(&self, order: DateOrder) -> Option<NaiveDate> {
        let (m, d) = match (self.class, order) {
            (DateClass::Fixed, _) => (self.a, self.b),
            (_, DateOrder::DayFirst) => (self.b, self.a),
            (_, DateOrder::MonthFirst) => (self.a, self.b),
        };
        NaiveDate::from_ymd_opt(self.year, m, d)
    }

    /// Whether the cell can be read under `order`.
    pub fn fits(&self, order: DateOrder) -> bool {
        !matches!(
            (self.class, order),
            (DateClass::DayFirst, DateOrder::MonthFirst)
                | (DateClass::MonthFirst, DateOrder::DayFirst)
        )
    }
}

/// A quota period as written in the file, resolved to dates once the fiscal
/// calendar is known (an `FY2025-Q1` depends on the fiscal year's start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodSpec {
    /// `2024-03`, `Mar 2024`, `Maret 2024`.
    Month(i32, u32),
    /// `2024-Q1`, `Q1 2024`: calendar quarter.
    Quarter(i32, u32),
    /// `FY2025-Q1`: fiscal quarter, named by the year the fiscal year ends in.
    FiscalQuarter(i32, u32),
    /// `2024`: calendar year.
    Year(i32),
    /// `FY2025`.
    FiscalYear(i32),
}

/// Parses a period cell.
pub fn parse_period(cell: &str) -> Option<PeriodSpec> {
    let s: String = cell.trim().to_ascii_uppercase();
    let s = s.as_str();
    if s.is_empty() {
        return None;
    }
    if let Some(rest) = s.strip_prefix("FY") {
        let rest = rest.trim();
        let (y, q) = match rest.find(['-', ' ', '/']) {
            Some(i) => (&rest[..i], Some(rest[i + 1..].trim())),
            None => match rest.find('Q') {
                Some(i) => (&rest[..i], Some(&rest[i..])),
                None => (rest, None),
            },
        };
        let year = year_of(y)?;
        return match q {
            None => Some(PeriodSpec::FiscalYear(year)),
            Some(q) => Some(PeriodSpec::FiscalQuarter(year, quarter_of(q)?)),
        };
    }
    let parts: Vec<&str> = s
        .split(['-', ' ', '/', '_'])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [y] if y.len() == 4 => Some(PeriodSpec::Year(y.parse().ok()?)),
        [a, b] => {
            if let (Some(q), Some(y)) = (quarter_of(a), year_of(b)) {
                return Some(PeriodSpec::Quarter(y, q));
            }
            if let (Some(y), Some(q)) = (year_of(a), quarter_of(b)) {
                return Some(PeriodSpec::Quarter(y, q));
            }
            if let (Some(y), Ok(m)) = (year_of(a), b.parse::<u32>()) {
                return (1..=12).contains(&m).then_some(PeriodSpec::Month(y, m));
            }
            if let (Ok(m), Some(y)) = (a.parse::<u32>(), year_of(b)) {
                return (1..=12).contains(&m).then_some(PeriodSpec::Month(y, m));
            }
            if let (Some(m), Some(y)) = (month_from_name(a), year_of(b)) {
                return Some(PeriodSpec::Month(y, m));
            }
            if let (Some(y), Some(m)) = (year_of(a), month_from_name(b)) {
                return Some(PeriodSpec::Month(y, m));
            }
            None
        }
        _ => None,
    }
}

fn year_of(s: &str) -> Option<i32> {
    let s = s.trim();
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        Some(expand_year(s.parse().ok()?, 2))
    } else {
        None
    }
}

fn quarter_of(s: &str) -> Option<u32> {
    let s = s.trim();
    let d = s
        .strip_prefix('Q')
        .or_else(|| s.strip_prefix("K"))
        .or_else(|| s.strip_prefix("TW"))?;
    let q: u32 = d.trim().parse().ok()?;
    (1..=4).contains(&q).then_some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str, style: DecimalStyle) -> Option<f64> {
        classify_number(s)?.value(style)
    }

    /// The byte-by-byte path for plain digits with one separator says of
    /// every cell what the general path says: every string of up to seven
    /// characters from digits, `.` and `,`, and random longer ones with
    /// spaces, apostrophes and non-breaking spaces among them.
    #[test]
    fn separators_read_as_the_general_path_reads_them() {
        let alphabet = ['0', '1', '7', '.', ','];
        let mut cells: Vec<String> = vec![String::new()];
        for len in 1..=7 {
            let mut n = vec![0usize; len];
            loop {
                cells.push(n.iter().map(|&i| alphabet[i]).collect());
                let mut k = 0;
                while k < len && n[k] == alphabet.len() - 1 {
                    n[k] = 0;
                    k += 1;
                }
                if k == len {
                    break;
                }
                n[k] += 1;
            }
        }
        let wide = ['0', '4', '9', '.', ',', ' ', '\'', '\u{a0}', 'x'];
        let mut seed = 7u64;
        for _ in 0..20_000 {
            let mut c = String::new();
            for _ in 0..(seed % 13) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                c.push(wide[(seed >> 33) as usize % wide.len()]);
            }
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            cells.push(c);
        }
        let mut classes = std::collections::BTreeSet::new();
        for c in &cells {
            let got = separators(c);
            assert_eq!(got, general_separators(c), "{c:?}");
            classes.insert(format!("{got:?}"));
        }
        // Every answer came up: none, plain, point, comma and either.
        assert_eq!(classes.len(), 5, "{classes:?}");
    }

    #[test]
    fn numbers_in_every_style() {
        use DecimalStyle::*;
        assert_eq!(num("1234.5", Point), Some(1234.5));
        assert_eq!(num("1,234.50", Point), Some(1234.5));
        assert_eq!(num("1.234,50", Comma), Some(1234.5));
        assert_eq!(num("1 234,50", Comma), Some(1234.5));
        assert_eq!(num("Rp 1.234.567", Comma), Some(1_234_567.0));
        assert_eq!(num("$1,234", Point), Some(1234.0));
        assert_eq!(num("(1,200)", Point), Some(-1200.0));
        assert_eq!(num("12%", Point), Some(0.12));
        assert_eq!(num("-$5.5", Point), Some(-5.5));
        assert_eq!(num("1.5E+06", Point), Some(1_500_000.0));
        assert_eq!(num("abc", Point), None);
        assert_eq!(num("1,23,4", Point), None);
    }

    #[test]
    fn number_classes_and_currency() {
        assert_eq!(classify_number("1,234").unwrap().class, NumberClass::Either);
        assert_eq!(classify_number("1.234").unwrap().class, NumberClass::Either);
        assert_eq!(classify_number("0.234").unwrap().class, NumberClass::Point);
        assert_eq!(classify_number("12,5").unwrap().class, NumberClass::Comma);
        assert_eq!(
            classify_number("1.234.567").unwrap().class,
            NumberClass::Comma
        );
        assert_eq!(
            classify_number("1,234,567").unwrap().class,
            NumberClass::Point
        );
        assert_eq!(classify_number("Rp 5.000").unwrap().currency, Some("IDR"));
        assert_eq!(classify_number("5,000 EUR").unwrap().currency, Some("EUR"));
        assert_eq!(classify_number("€5").unwrap().currency, Some("EUR"));
    }

    fn date(s: &str, order: DateOrder) -> Option<NaiveDate> {
        classify_date(s, false)?.date(order)
    }

    #[test]
    fn dates_in_every_style() {
        use DateOrder::*;
        let d = NaiveDate::from_ymd_opt(2024, 3, 7).unwrap();
        assert_eq!(date("2024-03-07", DayFirst), Some(d));
        assert_eq!(date("2024-03-07T23:30:00-08:00", DayFirst), Some(d));
        assert_eq!(date("07/03/2024", DayFirst), Some(d));
        assert_eq!(date("03/07/2024", MonthFirst), Some(d));
        assert_eq!(date("7 Mar 2024", MonthFirst), Some(d));
        assert_eq!(date("7 Maret 2024", MonthFirst), Some(d));
        assert_eq!(date("March 7, 2024", DayFirst), Some(d));
        assert_eq!(date("07-Mar-24", DayFirst), Some(d));
        assert_eq!(date("Thu, 7 Mar 2024", DayFirst), Some(d));
        assert_eq!(date("3/7/2024, 10:15 AM", MonthFirst), Some(d));
        assert_eq!(date("31/02/2024", DayFirst), None);
        assert_eq!(
            classify_date("13/03/2024", false).unwrap().class,
            DateClass::DayFirst
        );
        assert_eq!(
            classify_date("03/13/2024", false).unwrap().class,
            DateClass::MonthFirst
        );
        assert_eq!(
            classify_date("11-08-16", false).unwrap().class,
            DateClass::Either
        );
        assert_eq!(
            date("11-08-16", MonthFirst),
            NaiveDate::from_ymd_opt(2016, 11, 8)
        );
    }

    #[test]
    fn times_are_kept() {
        let p = classify_date("26-02-2018 19:58", false).unwrap();
        assert_eq!(p.time, NaiveTime::from_hms_opt(19, 58, 0));
        let p = classify_date("3/7/2024 1:05 PM", false).unwrap();
        assert_eq!(p.time, NaiveTime::from_hms_opt(13, 5, 0));
    }

    #[test]
    fn excel_serials() {
        // 45358 is 2024-03-07 in Excel; 60 is Excel's phantom 1900-02-29 (read as 02-28 + 1).
        let p = classify_date("45358", true).unwrap();
        assert_eq!(
            p.date(DateOrder::DayFirst),
            NaiveDate::from_ymd_opt(2024, 3, 7)
        );
        let p = classify_date("45358.5", true).unwrap();
        assert_eq!(p.time, NaiveTime::from_hms_opt(12, 0, 0));
        assert!(classify_date("45358", false).is_none());
    }

    #[test]
    fn periods() {
        assert_eq!(parse_period("2024-03"), Some(PeriodSpec::Month(2024, 3)));
        assert_eq!(parse_period("Mar 2024"), Some(PeriodSpec::Month(2024, 3)));
        assert_eq!(parse_period("Maret 2024"), Some(PeriodSpec::Month(2024, 3)));
        assert_eq!(parse_period("2024-Q1"), Some(PeriodSpec::Quarter(2024, 1)));
        assert_eq!(parse_period("Q1 2024"), Some(PeriodSpec::Quarter(2024, 1)));
        assert_eq!(
            parse_period("FY2025-Q1"),
            Some(PeriodSpec::FiscalQuarter(2025, 1))
        );
        assert_eq!(parse_period("2024"), Some(PeriodSpec::Year(2024)));
        assert_eq!(parse_period("FY2025"), Some(PeriodSpec::FiscalYear(2025)));
        assert_eq!(parse_period("2024-13"), None);
    }

    /// The date-and-time shortcut reads every cell it takes as the general
    /// path does, and gives the rest to it.
    #[test]
    fn iso_date_times_read_as_the_general_path_reads_them() {
        let cells = [
            "2024-02-18 18:33",
            "2024-02-18T18:33:05",
            "2024-02-18 8:05",
            "2024-02-18 18:33:00.5",
            "2024-02-18 6:33 PM",
            "2024-02-18 18:33Z",
            "2024-02-18T18:33:00+07:00",
            "2024-02-18 25:00",
            "2024-02-18 18:61",
            "2024-02-30 10:00",
            "2024-13-01 10:00",
            "2024-02-18 at 18:33",
            "2024-02-18 18",
            "2024-02-18 :33",
            "2024-02-18 1:2:3:4",
            "2024-02-18T",
            "2024-02-18 123:00",
        ];
        let mut taken = 0;
        for c in cells {
            let general = general_date(c, false);
            if let Some(fast) = iso_date_time(c) {
                taken += 1;
                assert_eq!(fast, general, "{c}");
            }
            assert_eq!(classify_date(c, false), general, "{c}");
        }
        assert_eq!(taken, 13);
        let t = |h, m, s| NaiveTime::from_hms_opt(h, m, s);
        let time = |c: &str| classify_date(c, false).and_then(|p| p.time);
        assert_eq!(time("2024-02-18 18:33"), t(18, 33, 0));
        assert_eq!(time("2024-02-18T08:05:09"), t(8, 5, 9));
        assert_eq!(time("2024-02-18 6:33 PM"), t(18, 33, 0));
        assert_eq!(classify_date("2024-02-30 10:00", false), None);
    }
}
