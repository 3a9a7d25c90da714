//! The interner against a plain reference (a list of texts, the symbol each
//! got and a map from text to position): whatever the order, numbered ids
//! kept by their number (`src/tables/numbered.rs`) or in the hash table,
//! truncated to a mark and cloned, one text is one symbol and one symbol
//! one text; those whose text the interner keeps are numbered in the order
//! first seen. Random operations from fixed seeds (`PROP_SEEDS` /
//! `PROP_OPS` run more), and sequences around refusals, truncation and full
//! families.
use pelacak::tables::{Names, NamesMark, Sym};
use std::collections::{HashMap, HashSet};

/// Symbols below this index are places in the interner (its text kept);
/// from it on, a numbered id's family and number.
const PLACES: usize = (1 << 31) - 1;

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

#[derive(Default)]
struct Reference {
    texts: Vec<String>,
    index: HashMap<String, usize>,
    /// The symbol each text got.
    syms: Vec<Sym>,
    taken: HashSet<Sym>,
    /// How many texts got a place.
    places: usize,
}

impl Reference {
    /// Checks `got`, the interner's symbol for `s`, against the reference:
    /// the one `s` got before, else one no other text has (the next place,
    /// if a place).
    fn intern(&mut self, s: &str, got: Sym) {
        if let Some(&i) = self.index.get(s) {
            assert_eq!(got, self.syms[i], "{s:?} again");
            return;
        }
        assert!(self.taken.insert(got), "{s:?} took another text's symbol");
        if got.index() < PLACES {
            assert_eq!(got.index(), self.places, "{s:?}: not the next place");
            self.places += 1;
        }
        self.texts.push(s.to_string());
        self.syms.push(got);
        self.index.insert(s.to_string(), self.texts.len() - 1);
    }

    fn truncate(&mut self, n: usize) {
        while self.texts.len() > n {
            let t = self.texts.pop().unwrap();
            let x = self.syms.pop().unwrap();
            self.index.remove(&t);
            self.taken.remove(&x);
            if x.index() < PLACES {
                self.places -= 1;
            }
        }
    }
}

/// Marks taken, with the reference's length at each.
#[derive(Default)]
struct Marks(Vec<(NamesMark, usize)>);

impl Marks {
    fn take(&mut self, names: &Names, refr: &Reference) {
        self.0.push((names.mark(), refr.texts.len()));
    }

    /// Truncates both to the `k`-th mark from the top, dropping the later
    /// ones (no longer marks of this interner).
    fn truncate(&mut self, k: usize, names: &mut Names, refr: &mut Reference) {
        let at = self.0.len() - 1 - k.min(self.0.len() - 1);
        self.0.truncate(at + 1);
        let (mark, len) = &self.0[at];
        names.truncate(mark);
        refr.truncate(*len);
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
        assert_eq!(names.lookup(t), Some(refr.syms[i]), "{ctx}: lookup {t:?}");
        assert_eq!(names.get(refr.syms[i]), t.as_str(), "{ctx}: get {i}");
    }
    let all: HashSet<Sym> = names.symbols().collect();
    assert_eq!(all, refr.taken, "{ctx}: symbols");
}

fn run(seed: u64, ops: usize) -> (usize, usize) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    for _ in 0..4 {
        rng.next();
    }
    let mut keys = gen_keys(&mut rng);
    let mut names = Names::default();
    let mut refr = Reference::default();
    let mut marks = Marks::default();
    marks.take(&names, &refr);
    let mut done = 0;
    for op in 0..ops {
        let r = rng.below(1000);
        let ctx = || format!("seed {seed} op {op}");
        if r < 8 {
            // Truncate to a mark (often the last).
            let k = if rng.chance(1, 2) {
                0
            } else {
                rng.below(marks.0.len() as u64) as usize
            };
            marks.truncate(k, &mut names, &mut refr);
            check_all(&names, &refr, &ctx());
        } else if r < 12 {
            // Clone, and go on with the clone.
            names = names.clone();
        } else if r < 30 {
            marks.take(&names, &refr);
        } else if r < 250 {
            // Lookup of a present or absent text.
            let t = gen_text(&mut rng, &mut keys, &refr);
            let want = refr.index.get(&t).map(|&i| refr.syms[i]);
            assert_eq!(names.lookup(&t), want, "{}: lookup {t:?}", ctx());
        } else {
            let t = gen_text(&mut rng, &mut keys, &refr);
            let got = names.intern(&t);
            refr.intern(&t, got);
            assert_eq!(names.get(names.lookup(&t).unwrap()), t, "{}", ctx());
            assert_eq!(names.get(got), t, "{}", ctx());
        }
        done += 1;
    }
    check_all(&names, &refr, &format!("seed {seed} end"));
    let later = refr.syms.iter().filter(|s| s.index() >= PLACES).count();
    (done, later)
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
    let (mut total, mut later) = (0, 0);
    for seed in 1..=seeds {
        let (done, l) = run(seed, ops);
        total += done;
        later += l;
    }
    assert_eq!(total, seeds as usize * ops);
    // The runs reach families' later members, whose symbol is their number.
    assert!(later > seeds as usize, "{later} later members");
}

/// Targeted sequences around refusals, truncation and full families.
#[test]
fn targeted_sequences() {
    let mut n = Names::default();
    let mut r = Reference::default();
    let mut marks = Marks::default();
    let both = |n: &mut Names, r: &mut Reference, t: &str| {
        let got = n.intern(t);
        r.intern(t, got);
    };
    // Family for D/7, refuse a far one, truncate the refused one away and a
    // family member, re-intern in other orders.
    for t in ["D0000100", "D0000101"] {
        both(&mut n, &mut r, t);
    }
    marks.take(&n, &r);
    for t in ["D9000000", "D0000102", "D0000099"] {
        both(&mut n, &mut r, t);
    }
    marks.truncate(0, &mut n, &mut r);
    check_all(&n, &r, "t1");
    for t in [
        "D9000000", "D0000099", "D0000102", "D9000000", "D0000000", "D9999999",
    ] {
        both(&mut n, &mut r, t);
    }
    check_all(&n, &r, "t2");
    marks.take(&n, &r);
    // Fill the families with 40 prefixes; a 33rd key goes to the table.
    for i in 0..40 {
        both(&mut n, &mut r, &format!("Q{i}x700"));
    }
    for i in 0..40 {
        both(&mut n, &mut r, &format!("Q{i}x800"));
    }
    check_all(&n, &r, "t3");
    // Truncate back past the families' creation, then past the refused
    // id: the families are as they were at each mark.
    marks.truncate(0, &mut n, &mut r);
    check_all(&n, &r, "t4");
    marks.truncate(1, &mut n, &mut r);
    check_all(&n, &r, "t4b");
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
    // A family past its first sixteen (the families are full by now: D's
    // from the start), up and down from its first, and a mark in the
    // middle of the later members.
    for i in 0..40 {
        both(&mut n, &mut r, &format!("D{:07}", 500 + i));
    }
    marks.take(&n, &r);
    for i in 0..40 {
        both(&mut n, &mut r, &format!("D{:07}", 499 - i));
    }
    check_all(&n, &r, "t7");
    assert!(r.syms.iter().any(|s| s.index() >= PLACES));
    marks.truncate(0, &mut n, &mut r);
    check_all(&n, &r, "t8");
    assert_eq!(n.lookup("D0000499"), None);
    for t in [
        "nope",
        "D0000103",
        "Q41x700",
        "999999999999999997",
        "x0",
        "D0000539",
    ] {
        assert_eq!(n.lookup(t), r.index.get(t).map(|&i| r.syms[i]), "{t}");
    }
}
