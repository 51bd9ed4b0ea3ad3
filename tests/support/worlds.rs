//! Small random worlds for property tests and fuzzing: a registry and a policy, written as the
//! YAML a user would write, so that they go through the real loaders (and carry positions).
//!
//! Every random decision is read from a [`Choices`] stream, so that proptest (a vector of
//! numbers, which it shrinks towards zeros and shorter) and the fuzzer (`arbitrary`'s
//! `Unstructured`) drive the same generator. The fuzz crate includes this file by path.
//!
//! Registries are valid by construction except for rare corner cases (a 100% cross-holding):
//! the shares of each organisation's owners never add up to more than 100%.

use std::fmt::Write;

/// A stream of random decisions.
pub trait Choices {
    /// A number in `0..n` (`n` ≥ 1); 0 when the stream is exhausted.
    fn pick(&mut self, n: usize) -> usize;

    fn flip(&mut self) -> bool {
        self.pick(2) == 1
    }

    fn one_of<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.pick(items.len())]
    }
}

/// Decisions read from a list of numbers, then zeros.
pub struct Seq<'a> {
    numbers: &'a [u32],
    at: usize,
}

impl<'a> Seq<'a> {
    pub fn new(numbers: &'a [u32]) -> Self {
        Seq { numbers, at: 0 }
    }
}

impl Choices for Seq<'_> {
    fn pick(&mut self, n: usize) -> usize {
        let value = self.numbers.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        value as usize % n.max(1)
    }
}

/// The evaluation date of every generated world.
pub const AS_OF: &str = "2025-06-20";

/// Dates around [`AS_OF`], for stakes that start or end before or after it.
const DATES: &[&str] = &[
    "2020-01-01",
    "2025-06-12",
    "2025-06-20",
    "2025-06-21",
    "2030-12-31",
];
const SERVICES: &[&str] = &["data-labelling", "rlhf", "evaluation", "hosting"];
const DATA: &[&str] = &["proprietary-data", "prototype-products", "public-data"];

/// A random registry of 2 to 7 organisations: `o0` is the point of view and buys from at least
/// one vendor.
pub fn registry(c: &mut impl Choices) -> String {
    let orgs = 2 + c.pick(6);
    let mut out = String::from("default_org: o0\nsources:\n  - {id: s1, title: A source}\n");
    out.push_str("organisations:\n");
    for i in 0..orgs {
        let kind = c.one_of(&["company", "company", "fund", "person", "government"]);
        let country = c.one_of(&["US", "GB", "NO", "FR"]);
        let _ = write!(
            out,
            "  - {{id: o{i}, name: Org {i}, kind: {kind}, country: \"{country}\""
        );
        if c.flip() {
            let amount = 1 + c.pick(900);
            let _ = write!(out, ", revenue: [{{year: 2025, amount: {amount}M USD}}]");
        }
        out.push_str("}\n");
    }
    let mut stakes = String::new();
    let mut held = vec![0.0f64; orgs];
    for _ in 0..c.pick(11) {
        let owner = c.pick(orgs);
        let owned = (owner + 1 + c.pick(orgs - 1)) % orgs;
        let room = 100.0 - held[owned];
        let (economic, min) = share(c, room);
        held[owned] += min;
        let _ = write!(
            stakes,
            "  - {{owner: o{owner}, owned: o{owned}, economic: {economic}"
        );
        if c.pick(3) == 0 {
            let (voting, _) = share(c, 100.0);
            let _ = write!(stakes, ", voting: {voting}");
        }
        if c.pick(4) == 0 {
            let _ = write!(stakes, ", start: {}", c.one_of(&DATES[..3]));
        }
        if c.pick(4) == 0 {
            let _ = write!(stakes, ", end: {}", c.one_of(&DATES[2..]));
        }
        if c.pick(5) == 0 {
            stakes.push_str(", board: true");
        }
        stakes.push_str(", source: s1}\n");
        // The same stake stated twice is the same fact in two places: drop the repeat.
        let last = stakes
            .lines()
            .last()
            .map(str::to_string)
            .unwrap_or_default();
        if stakes.lines().filter(|l| *l == last).count() > 1 {
            stakes.truncate(stakes.len() - last.len() - 1);
        }
    }
    section(&mut out, "stakes", &stakes);
    let mut competitors = String::new();
    let mut declared = Vec::new();
    for _ in 0..c.pick(4) {
        let of = if c.pick(4) == 0 { c.pick(orgs) } else { 0 };
        let competitor = (of + 1 + c.pick(orgs - 1)) % orgs;
        // A pair is declared once (twice is an error).
        if declared.contains(&(of, competitor)) {
            continue;
        }
        declared.push((of, competitor));
        let tier = c.one_of(&["major", "minor"]);
        let _ = writeln!(
            competitors,
            "  - {{of: o{of}, competitor: o{competitor}, tier: {tier}}}"
        );
    }
    section(&mut out, "competitors", &competitors);
    out.push_str("vendors:\n");
    let mut vendors: Vec<usize> = (1..orgs).filter(|_| c.flip()).collect();
    if vendors.is_empty() {
        vendors.push(1 + c.pick(orgs - 1));
    }
    for vendor in vendors {
        let services = subset(c, SERVICES);
        let data = subset(c, DATA);
        let status = c.one_of(&["active", "exiting", "ended"]);
        let _ = write!(
            out,
            "  - {{customer: o0, vendor: o{vendor}, services: [{services}], data_shared: [{data}], status: {status}"
        );
        if c.flip() {
            let _ = write!(out, ", last_review: {}", c.one_of(DATES));
        }
        if c.flip() {
            let amount = 1 + c.pick(300);
            let _ = write!(out, ", spend: [{{year: 2025, amount: {amount}M USD}}]");
        }
        out.push_str("}\n");
    }
    out
}

/// `key:` and its items, or `key: []` without any (a bare `key:` is null, not an empty list).
fn section(out: &mut String, key: &str, items: &str) {
    if items.is_empty() {
        let _ = writeln!(out, "{key}: []");
    } else {
        let _ = write!(out, "{key}:\n{items}");
    }
}

/// A share whose known minimum fits in `room` percent: exact, a range, or unknown. Returns the
/// YAML and its minimum.
fn share(c: &mut impl Choices, room: f64) -> (String, f64) {
    let room = room.max(0.0);
    match c.pick(4) {
        0 => ("unknown".to_string(), 0.0),
        1 => {
            let lo = (c.pick(101) as f64).min(room);
            let hi = (lo + c.pick(101) as f64).min(100.0);
            let open = if c.flip() && lo < hi {
                ", min_exclusive: true"
            } else {
                ""
            };
            (format!("{{min: {lo}, max: {hi}{open}}}"), lo)
        }
        _ => {
            let value = (c.pick(201) as f64 / 2.0).min(room);
            (format!("{value}%"), value)
        }
    }
}

fn subset(c: &mut impl Choices, items: &[&str]) -> String {
    let chosen: Vec<&str> = items.iter().copied().filter(|_| c.flip()).collect();
    chosen.join(", ")
}

/// A random well-typed policy over the relationship, the vendor and its owners.
pub fn policy(c: &mut impl Choices) -> String {
    let on_indeterminate = c.one_of(&["fail", "warn", "pass"]);
    let ownership = match c.pick(3) {
        0 => "{method: control-chain}".to_string(),
        1 => format!("{{method: control-chain, threshold: {}%}}", 1 + c.pick(100)),
        _ => "{method: integrated}".to_string(),
    };
    let mut out = format!(
        "id: generated\ntitle: A generated policy\nseverity: high\nownership: {ownership}\n"
    );
    if c.pick(3) == 0 {
        let _ = writeln!(out, "applies_to: {}", top_leaf(c));
    }
    let _ = writeln!(out, "fails_when: {}", condition(c, 3, false));
    let _ = writeln!(
        out,
        "on_indeterminate: {on_indeterminate}\nmessage: \"{{vendor.name}} as of {{as_of}}\""
    );
    out
}

/// A condition in flow style, `depth` levels deep at most; `owner` is bound inside quantifiers.
fn condition(c: &mut impl Choices, depth: usize, owner: bool) -> String {
    let kinds = if depth == 0 { 1 } else { 6 };
    match c.pick(kinds) {
        0 => {
            if owner && c.flip() {
                owner_leaf(c)
            } else {
                top_leaf(c)
            }
        }
        1 => format!("{{all: [{}]}}", conditions(c, depth, owner)),
        2 => format!("{{any: [{}]}}", conditions(c, depth, owner)),
        3 => format!("{{not: {}}}", condition(c, depth - 1, owner)),
        _ if owner => owner_leaf(c),
        _ => {
            let quantifier = c.one_of(&["exists", "all", "none", "count"]);
            let body = condition(c, depth - 1, true);
            let count = if quantifier == "count" {
                format!(", gte: {}", c.pick(3))
            } else {
                String::new()
            };
            format!("{{{quantifier}: {{each: vendor.owners, as: owner, where: {body}{count}}}}}")
        }
    }
}

fn conditions(c: &mut impl Choices, depth: usize, owner: bool) -> String {
    let n = 1 + c.pick(3);
    (0..n)
        .map(|_| condition(c, depth - 1, owner))
        .collect::<Vec<_>>()
        .join(", ")
}

fn top_leaf(c: &mut impl Choices) -> String {
    match c.pick(10) {
        0 => "{fact: relationship.status, in: [active, exiting]}".to_string(),
        1 => format!(
            "{{fact: relationship.services, any_of: [{}]}}",
            c.one_of(SERVICES)
        ),
        2 => format!(
            "{{fact: relationship.data_shared, contains: {}}}",
            c.one_of(DATA)
        ),
        3 => format!(
            "{{fact: relationship.last_review, older_than: {}d}}",
            c.pick(800)
        ),
        4 => format!("{{fact: relationship.spend, gte: {}M USD}}", c.pick(300)),
        5 => format!("{{fact: relationship.revenue_share, gt: {}%}}", c.pick(101)),
        6 => format!("{{fact: vendor.competitor, eq: {}}}", c.flip()),
        7 => format!(
            "{{fact: vendor.country, eq: \"{}\"}}",
            c.one_of(&["US", "NO"])
        ),
        8 => format!("{{fact: vendor.owners, known: {}}}", c.flip()),
        _ => format!("{{fact: vendor.revenue, lt: {}M USD}}", c.pick(1000)),
    }
}

fn owner_leaf(c: &mut impl Choices) -> String {
    match c.pick(7) {
        0 => format!("{{fact: owner.competitor, eq: {}}}", c.flip()),
        1 => format!("{{fact: owner.economic, gte: {}%}}", c.pick(101)),
        2 => format!("{{fact: owner.voting, gt: {}%}}", c.pick(101)),
        3 => format!(
            "{{fact: owner.tier, eq: {}}}",
            c.one_of(&["major", "minor", "none"])
        ),
        4 => format!("{{fact: owner.board, eq: {}}}", c.flip()),
        5 => format!("{{fact: owner.is_self, eq: {}}}", c.flip()),
        _ => format!(
            "{{fact: owner.kind, eq: {}}}",
            c.one_of(&["company", "person", "fund"])
        ),
    }
}

/// A registry file with facts unrelated to the rest: two organisations that own and compete
/// with nobody else, and a relationship between them.
pub fn unrelated(c: &mut impl Choices) -> String {
    let (economic, _) = share(c, 100.0);
    format!(
        "organisations:\n  - {{id: zz-a, name: Unrelated A, kind: company}}\n  - {{id: zz-b, name: Unrelated B, kind: fund}}\n\
         stakes:\n  - {{owner: zz-b, owned: zz-a, economic: {economic}}}\n\
         competitors:\n  - {{of: zz-a, competitor: zz-b, tier: major}}\n\
         vendors:\n  - {{customer: zz-a, vendor: zz-b, status: active}}\n"
    )
}
