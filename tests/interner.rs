//! The interner against a plain reference (a list of texts and a map from
//! text to position): whatever the order, numbered ids kept by their number
//! (`src/tables/numbered.rs`) or in the hash table, truncated and cloned,
//! one text is one symbol, numbered in the order first seen. Random
//! operations from fixed seeds (`PROP_SEEDS` / `PROP_OPS` run more), and
//! sequences around refusals, truncation and full families.
use pelacak::tables::Names;
use std::collections::HashMap;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }
}

struct Reference {
    texts: Vec<String>,
    index: HashMap<String, usize>,
}

impl Reference {
    fn intern(&mut self, s: &str) -> usize {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        self.texts.push(s.to_string());
        self.index.insert(s.to_string(), self.texts.len() - 1);
        self.texts.len() - 1
    }
    fn truncate(&mut self, n: usize) {
        while self.texts.len() > n {
            let t = self.texts.pop().unwrap();
            self.index.remove(&t);
        }
    }
}

/// One family-shaped key the generator draws from, with a cursor so that
/// runs ascend or descend.
struct Key {
    prefix: String,
    digits: u32,
    cursor: u64,
}

fn max_for(d: u32) -> u64 {
    if d >= 20 {
        u64::MAX
    } else {
        10u64.pow(d) - 1
    }
}

fn fmt(prefix: &str, digits: u32, n: u64) -> String {
    format!("{prefix}{n:0width$}", width = digits as usize)
}

fn gen_keys(rng: &mut Rng) -> Vec<Key> {
    let mut prefixes: Vec<String> = vec![
        "".into(),
        "D".into(),
        "L-".into(),
        "Deal ".into(),
        "Ü-".into(),
        "x".repeat(24), // longest kept prefix
        "y".repeat(25), // too long: never split
        "006Dn".into(),
    ];
    // Many prefixes, to fill the 32 families (sometimes).
    let extra = if rng.chance(1, 2) { 40 } else { rng.below(8) };
    for i in 0..extra {
        prefixes.push(format!("P{i}x"));
    }
    let mut keys = Vec::new();
    for p in prefixes {
        // A few digit counts per prefix, including 18 (max), 19/20 (no split).
        let counts: Vec<u32> = match rng.below(4) {
            0 => vec![1 + rng.below(20) as u32],
            1 => vec![1, 2, 3],
            2 => vec![7, 8, 18],
            _ => vec![1 + rng.below(6) as u32, 17 + rng.below(4) as u32],
        };
        for d in counts {
            let m = max_for(d);
            let cursor = match rng.below(4) {
                0 => 0,
                1 => m,
                2 => rng.below(m.saturating_add(1)),
                _ => m / 2,
            };
            keys.push(Key {
                prefix: p.clone(),
                digits: d,
                cursor,
            });
        }
    }
    if rng.chance(1, 3) {
        // Few keys: large families, long runs, stretches past SPAN.
        let keep = 1 + rng.below(3) as usize;
        let start = rng.below(keys.len() as u64) as usize;
        keys.rotate_left(start);
        keys.truncate(keep);
    }
    keys
}

fn gen_text(rng: &mut Rng, keys: &mut [Key], refr: &Reference) -> String {
    let r = rng.below(100);
    if r < 10 && !refr.texts.is_empty() {
        // A text already seen (or maybe truncated since).
        return refr.texts[rng.below(refr.texts.len() as u64) as usize].clone();
    }
    if r < 15 {
        // Not numbered.
        return match rng.below(4) {
            0 => format!("name{}a", rng.below(50)),
            1 => "".to_string(),
            2 => ["Ayu", "Budi", "Closed Won", "IDR"][rng.below(4) as usize].to_string(),
            _ => format!("{}", rng.below(1000) as f64 / 7.0), // "142.857..." ends in digits, '.' prefix
        };
    }
    let k = rng.below(keys.len() as u64) as usize;
    let key = &mut keys[k];
    let m = max_for(key.digits);
    let n = match rng.below(10) {
        // Ascending run.
        0..=3 => {
            key.cursor = key.cursor.saturating_add(1 + rng.below(3)).min(m);
            key.cursor
        }
        // Descending run.
        4..=6 => {
            key.cursor = key.cursor.saturating_sub(1 + rng.below(3));
            key.cursor
        }
        // Near the cursor, within a span or so.
        7 => {
            let off = rng.below(200_000);
            if rng.chance(1, 2) {
                key.cursor.saturating_add(off).min(m)
            } else {
                key.cursor.saturating_sub(off)
            }
        }
        // Anywhere (far: forces refusals), sometimes the extremes.
        8 => match rng.below(3) {
            0 => 0,
            1 => m,
            _ => rng.below(m.saturating_add(1)),
        },
        // Jump the cursor far and continue from there.
        _ => {
            key.cursor = rng.below(m.saturating_add(1));
            key.cursor
        }
    };
    fmt(&key.prefix, key.digits, n)
}

fn check_all(names: &Names, refr: &Reference, ctx: &str) {
    assert_eq!(names.len(), refr.texts.len(), "{ctx}: len");
    for (i, t) in refr.texts.iter().enumerate() {
        let got = names.lookup(t).map(|s| s.index());
        assert_eq!(got, Some(i), "{ctx}: lookup {t:?}");
        let s = names.lookup(t).unwrap();
        assert_eq!(names.get(s), t.as_str(), "{ctx}: get {i}");
    }
}

fn run(seed: u64, ops: usize) -> usize {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    for _ in 0..4 {
        rng.next();
    }
    let mut keys = gen_keys(&mut rng);
    let mut names = Names::default();
    let mut refr = Reference {
        texts: Vec::new(),
        index: HashMap::new(),
    };
    let mut done = 0;
    for op in 0..ops {
        let r = rng.below(1000);
        let ctx = || format!("seed {seed} op {op}");
        if r < 8 {
            // Truncate to a random length (often near the end).
            let len = refr.texts.len() as u64;
            let n = if rng.chance(1, 2) {
                len.saturating_sub(rng.below(20))
            } else {
                rng.below(len + 1)
            } as usize;
            names.truncate(n);
            refr.truncate(n);
            check_all(&names, &refr, &ctx());
        } else if r < 12 {
            // Clone, and go on with the clone.
            names = names.clone();
        } else if r < 250 {
            // Lookup of a present or absent text.
            let t = gen_text(&mut rng, &mut keys, &refr);
            let want = refr.index.get(&t).copied();
            let got = names.lookup(&t).map(|s| s.index());
            assert_eq!(got, want, "{}: lookup {t:?}", ctx());
        } else {
            let t = gen_text(&mut rng, &mut keys, &refr);
            let want = refr.intern(&t);
            let got = names.intern(&t).index();
            assert_eq!(got, want, "{}: intern {t:?}", ctx());
            assert_eq!(names.get(names.lookup(&t).unwrap()), t, "{}", ctx());
        }
        done += 1;
    }
    check_all(&names, &refr, &format!("seed {seed} end"));
    done
}

#[test]
fn names_match_a_plain_reference() {
    let seeds: u64 = std::env::var("PROP_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let ops: usize = std::env::var("PROP_OPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4000);
    let mut total = 0;
    for seed in 1..=seeds {
        total += run(seed, ops);
    }
    assert_eq!(total, seeds as usize * ops);
}

/// Targeted sequences around refusals, truncation and full families.
#[test]
fn targeted_sequences() {
    let mut n = Names::default();
    let mut r = Reference {
        texts: vec![],
        index: HashMap::new(),
    };
    let both = |n: &mut Names, r: &mut Reference, t: &str| {
        assert_eq!(n.intern(t).index(), r.intern(t), "{t}");
    };
    // Family for D/7, refuse a far one, truncate the refused one away and a
    // family member, re-intern in other orders.
    for t in ["D0000100", "D0000101", "D9000000", "D0000102", "D0000099"] {
        both(&mut n, &mut r, t);
    }
    n.truncate(2);
    r.truncate(2);
    check_all(&n, &r, "t1");
    for t in [
        "D9000000", "D0000099", "D0000102", "D9000000", "D0000000", "D9999999",
    ] {
        both(&mut n, &mut r, t);
    }
    check_all(&n, &r, "t2");
    // Fill the families with 40 prefixes; a 33rd key goes to the table.
    for i in 0..40 {
        both(&mut n, &mut r, &format!("Q{i}x700"));
    }
    for i in 0..40 {
        both(&mut n, &mut r, &format!("Q{i}x800"));
    }
    check_all(&n, &r, "t3");
    // Truncate back past the families' creation; families stay, keys that
    // were tabled remain tabled.
    n.truncate(3);
    r.truncate(3);
    check_all(&n, &r, "t4");
    for i in (0..40).rev() {
        both(&mut n, &mut r, &format!("Q{i}x800"));
        both(&mut n, &mut r, &format!("Q{i}x700"));
    }
    check_all(&n, &r, "t5");
    // Extremes: 18 digits at 0 and max, descending below 0 impossible.
    for t in [
        "999999999999999999",
        "000000000000000000",
        "999999999999999998",
        "1234567890123456789",
        "0",
        "9",
        "00",
        "99",
    ] {
        both(&mut n, &mut r, t);
    }
    check_all(&n, &r, "t6");
    for t in ["nope", "D0000103", "Q41x700", "999999999999999997", "x0"] {
        assert_eq!(
            n.lookup(t).map(|s| s.index()),
            r.index.get(t).copied(),
            "{t}"
        );
    }
}
