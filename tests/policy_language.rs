//! The policy language through the library API: shipped policies, typecheck diagnostics with
//! their positions, three-valued evaluation, evidence and messages.

use std::collections::BTreeMap;

use vrisk::input::limits::Limits;
use vrisk::input::source::{FileId, SourceFile, SourceMap};
use vrisk::policy::{self, Policy};

const SHIPPED: &[&str] = &[
    "competitor-ownership",
    "competitor-control",
    "sensitive-data-competitor-stake",
    "leadership-to-competitor",
    "customer-concentration",
    "stale-review",
    "expired-attestation",
];

fn shipped_source(id: &str) -> SourceFile {
    let path = format!("{}/policies/{id}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    SourceFile::new(format!("policies/{id}.yaml"), None, text)
}

fn shipped(id: &str) -> Policy {
    let source = shipped_source(id);
    match policy::load_policy(FileId(0), &source, &BTreeMap::new(), &Limits::default()) {
        Ok(p) => p,
        Err(problems) => {
            let mut sources = SourceMap::new();
            sources.add(source);
            let text: Vec<String> = problems.iter().map(|p| p.render(&sources, 100)).collect();
            panic!("{id} does not load:\n{}", text.join("\n"));
        }
    }
}

#[test]
fn every_shipped_policy_loads() {
    for id in SHIPPED {
        let p = shipped(id);
        assert_eq!(&p.id, id);
    }
}

// ---------------------------------------------------------------------------------------------
// Hand-built fact trees, shaped as the engine builds them (docs/policies.md, "Fact model").

mod facts {
    use std::sync::Arc;

    use vrisk::input::source::{FileId, Loc, Span};
    use vrisk::policy::facts::{Fact, FactObject, FactValue, Origin};
    use vrisk::value::date::Date;
    use vrisk::value::interval::Interval;
    use vrisk::value::money::Money;

    pub fn text(s: &str) -> Fact {
        Fact::plain(FactValue::Text(s.to_string()))
    }
    pub fn pct(p: f64) -> Fact {
        Fact::plain(FactValue::Percent(Interval::exact(p)))
    }
    pub fn band(min: f64, max: f64) -> Fact {
        Fact::plain(FactValue::Percent(Interval::closed(min, max)))
    }
    pub fn boolean(b: bool) -> Fact {
        Fact::plain(FactValue::Bool(b))
    }
    pub fn date(s: &str) -> Fact {
        Fact::plain(FactValue::Date(day(s)))
    }
    pub fn day(s: &str) -> Date {
        Date::parse(s).expect("test date")
    }
    pub fn money(s: &str) -> Fact {
        Fact::plain(FactValue::Money(Money::parse(s).expect("test money")))
    }
    pub fn set(items: &[&str]) -> Fact {
        Fact::plain(FactValue::TextSet(
            items.iter().map(|s| s.to_string()).collect(),
        ))
    }
    pub fn list(items: Vec<Fact>) -> Fact {
        Fact::plain(FactValue::List(items))
    }
    pub fn unknown() -> Fact {
        Fact::unknown()
    }
    pub fn object(kind: &'static str, fields: Vec<(&'static str, Fact)>) -> Fact {
        let mut o = FactObject::new(kind, Origin::default());
        for (name, fact) in fields {
            o.set(name, fact);
        }
        Fact::plain(FactValue::Object(Arc::new(o)))
    }
    /// A fact that remembers a registry position and a source, to check that evidence keeps it.
    pub fn sourced(mut fact: Fact, offset: usize, source: &str) -> Fact {
        fact.origin = Origin {
            loc: Some(Loc {
                file: FileId(9),
                span: Span::new(offset, 3),
            }),
            sources: vec![source.to_string()],
            deferred: None,
        };
        fact
    }

    pub fn org(id: &str, name: &str) -> Fact {
        object("org", vec![("id", text(id)), ("name", text(name))])
    }

    /// An owner of the vendor as seen by the evaluating org.
    pub fn owner(
        id: &str,
        name: &str,
        economic: Fact,
        voting: Fact,
        competitor: bool,
        tier: &str,
    ) -> Fact {
        object(
            "owner",
            vec![
                ("id", text(id)),
                ("name", text(name)),
                ("kind", text("company")),
                ("economic", economic),
                ("voting", voting),
                ("method", text("integrated")),
                ("competitor", boolean(competitor)),
                ("group", if competitor { text(id) } else { unknown() }),
                ("tier", text(tier)),
                ("competitor_name", text(name)),
                ("via", text(name)),
                ("holder", text(name)),
                ("markets", set(&["frontier-ai-models"])),
                ("board", boolean(false)),
                ("is_self", boolean(false)),
                ("paths", list(Vec::new())),
            ],
        )
    }

    /// Meta after June 2025: 49% economic, no votes, a major competitor of the customer.
    pub fn meta() -> Fact {
        owner(
            "meta",
            "Meta",
            sourced(pct(49.0), 120, "reuters-2025-06-13"),
            pct(0.0),
            true,
            "major",
        )
    }

    /// A competitor whose stake is only known as a register band that straddles 20%.
    pub fn band_holder() -> Fact {
        owner(
            "band-holder",
            "Band Holder",
            band(15.0, 25.0),
            band(15.0, 25.0),
            true,
            "major",
        )
    }

    pub fn founder() -> Fact {
        owner(
            "alexandr-wang",
            "Alexandr Wang",
            pct(14.0),
            pct(14.0),
            false,
            "none",
        )
    }

    pub fn person(id: &str, name: &str, roles: &[&str], moves: Vec<Fact>) -> Fact {
        object(
            "person",
            vec![
                ("id", text(id)),
                ("name", text(name)),
                ("roles", set(roles)),
                ("current", boolean(false)),
                ("moves", list(moves)),
            ],
        )
    }

    pub fn move_to(to: &str, to_name: &str, on: &str, competitor: bool) -> Fact {
        object(
            "move",
            vec![
                ("from", text("scale-ai")),
                ("to", text(to)),
                ("to_name", text(to_name)),
                ("date", date(on)),
                ("role", text("chief-ai-officer")),
                ("competitor", boolean(competitor)),
                ("tier", text(if competitor { "major" } else { "none" })),
            ],
        )
    }

    pub fn vendor(id: &str, name: &str, owners: Vec<Fact>, people: Vec<Fact>) -> Fact {
        object(
            "organisation",
            vec![
                ("id", text(id)),
                ("name", text(name)),
                ("kind", text("company")),
                ("country", text("US")),
                ("aliases", set(&[])),
                ("revenue", money("870M USD")),
                (
                    "revenue_year",
                    Fact::plain(vrisk::policy::facts::FactValue::Number(2024.0)),
                ),
                ("valuation", money("29B USD")),
                ("competitor", boolean(false)),
                ("owners", list(owners)),
                ("people", list(people)),
            ],
        )
    }

    pub fn scale_ai(owners: Vec<Fact>) -> Fact {
        vendor("scale-ai", "Scale AI", owners, Vec::new())
    }

    /// A relationship with the fields each test changes given, the rest ordinary.
    pub struct Rel {
        pub services: Vec<&'static str>,
        pub data_shared: Vec<&'static str>,
        pub status: &'static str,
        pub last_review: Fact,
        pub revenue_share: Fact,
        pub category_share: Fact,
        pub attestations: Vec<Fact>,
    }

    impl Default for Rel {
        fn default() -> Self {
            Rel {
                services: vec!["data-labelling", "rlhf"],
                data_shared: vec!["proprietary-training-data"],
                status: "active",
                last_review: date("2025-01-15"),
                revenue_share: pct(5.0),
                category_share: pct(40.0),
                attestations: Vec::new(),
            }
        }
    }

    impl Rel {
        pub fn build(self) -> Fact {
            object(
                "relationship",
                vec![
                    ("customer", text("alphabet")),
                    ("vendor", text("scale-ai")),
                    ("services", set(&self.services)),
                    ("data_shared", set(&self.data_shared)),
                    ("status", text(self.status)),
                    ("status_date", date("2025-06-13")),
                    ("last_review", self.last_review),
                    ("spend", money("150M USD")),
                    ("spend_kind", text("actual")),
                    (
                        "spend_year",
                        Fact::plain(vrisk::policy::facts::FactValue::Number(2025.0)),
                    ),
                    ("revenue_share", self.revenue_share),
                    ("category_share", self.category_share),
                    ("attestations", list(self.attestations)),
                ],
            )
        }
    }

    pub fn attestation(kind: &str, expires: &str) -> Fact {
        object(
            "attestation",
            vec![("kind", text(kind)), ("expires", date(expires))],
        )
    }
}

use facts::*;
use vrisk::policy::facts::Fact;
use vrisk::value::truth::Truth;

const AS_OF: &str = "2025-07-01";

/// The three trees of one evaluation, owned by the test.
struct World {
    org: Fact,
    relationship: Fact,
    vendor: Fact,
    as_of: vrisk::value::date::Date,
}

impl World {
    fn new(relationship: Rel, vendor: Fact) -> Self {
        World {
            org: org("alphabet", "Alphabet"),
            relationship: relationship.build(),
            vendor,
            as_of: day(AS_OF),
        }
    }

    fn scope(&self) -> policy::Scope<'_> {
        policy::Scope {
            org: &self.org,
            relationship: &self.relationship,
            vendor: &self.vendor,
            as_of: self.as_of,
        }
    }

    fn check(&self, p: &Policy) -> (Truth, policy::Evaluation) {
        let scope = self.scope();
        (policy::applies(p, &scope), policy::evaluate(p, &scope))
    }
}

// ---------------------------------------------------------------------------------------------
// Shipped policies on passing and failing cases.

#[test]
fn competitor_ownership_flags_meta_in_scale_ai() {
    let p = shipped("competitor-ownership");
    let world = World::new(
        Rel {
            status: "exiting",
            ..Rel::default()
        },
        scale_ai(vec![founder(), meta()]),
    );
    let (applies, eval) = world.check(&p);
    assert_eq!(applies, Truth::True);
    assert_eq!(eval.result, Truth::True);
    assert_eq!(
        eval.message,
        "Scale AI is 49% owned (0% of the votes) by Meta, a major competitor (limit 20%)"
    );
    let evidence: Vec<String> = eval.evidence.iter().map(|c| c.describe()).collect();
    assert_eq!(
        evidence,
        vec![
            "owner.competitor (true) == true",
            "owner.tier (major) == major",
            "owner.economic (49%) >= 20%",
        ]
    );
    let economic = &eval.evidence[2];
    assert_eq!(
        economic.bindings,
        vec![("owner".to_string(), "meta".to_string())]
    );
    assert_eq!(economic.fact_origin.sources, vec!["reuters-2025-06-13"]);
    assert_eq!(economic.fact_origin.loc.map(|l| l.span.offset), Some(120));
    let source = shipped_source("competitor-ownership");
    let lc = source.line_col(economic.condition_loc.span.offset);
    assert_eq!(
        source.line_text(lc.line).trim(),
        "- {fact: owner.economic, gte: $threshold}"
    );
    assert_eq!(eval.trace.label, "exists owner in vendor.owners");
    assert_eq!(eval.trace.children[1].label, "owner = meta");
}

#[test]
fn competitor_ownership_straddling_band_is_indeterminate() {
    let p = shipped("competitor-ownership");
    let world = World::new(Rel::default(), scale_ai(vec![founder(), band_holder()]));
    let (_, eval) = world.check(&p);
    assert_eq!(eval.result, Truth::Unknown);
    assert_eq!(p.on_indeterminate, policy::OnIndeterminate::Warn);
    assert_eq!(
        eval.message,
        "Scale AI is [15%, 25%] owned ([15%, 25%] of the votes) by Band Holder, a major \
         competitor (limit 20%)"
    );
    let evidence: Vec<String> = eval.evidence.iter().map(|c| c.describe()).collect();
    assert_eq!(
        evidence,
        vec![
            "owner.economic ([15%, 25%]) >= 20%",
            "owner.voting ([15%, 25%]) >= 20%",
        ]
    );
    assert!(eval.evidence.iter().all(|c| c.result == Truth::Unknown));
}

#[test]
fn competitor_ownership_passes_a_rival_vendor_and_meta_itself() {
    let p = shipped("competitor-ownership");
    let rival = World::new(
        Rel::default(),
        vendor("surge-ai", "Surge AI", vec![], vec![]),
    );
    let (applies, eval) = rival.check(&p);
    assert_eq!((applies, eval.result), (Truth::True, Truth::False));
    assert!(eval.evidence.is_empty());
    assert_eq!(
        eval.message,
        "Surge AI is unknown owned (unknown of the votes) by unknown, a major competitor (limit 20%)",
        "a passing evaluation has no witness; its placeholders render as unknown"
    );

    // From Meta's own point of view, Meta is no competitor.
    let meta_self = owner("meta", "Meta", pct(49.0), pct(0.0), false, "none");
    let world = World::new(Rel::default(), scale_ai(vec![meta_self]));
    assert_eq!(world.check(&p).1.result, Truth::False);
}

#[test]
fn competitor_ownership_applies_to_active_data_vendors_only() {
    let p = shipped("competitor-ownership");
    let vendor = || scale_ai(vec![meta()]);
    let ended = World::new(
        Rel {
            status: "ended",
            ..Rel::default()
        },
        vendor(),
    );
    assert_eq!(ended.check(&p).0, Truth::False);
    let cloud = World::new(
        Rel {
            services: vec!["cloud-compute"],
            ..Rel::default()
        },
        vendor(),
    );
    assert_eq!(cloud.check(&p).0, Truth::False);
}

#[test]
fn competitor_ownership_threshold_can_be_overridden() {
    let source = shipped_source("competitor-ownership");
    let overrides = BTreeMap::from([("threshold".to_string(), "50%".to_string())]);
    let p = policy::load_policy(FileId(0), &source, &overrides, &Limits::default())
        .expect("loads with an override");
    let param = p.param("threshold").expect("declared");
    assert!(param.overridden);
    assert_eq!(param.value, policy::Value::Percent(50.0));
    let world = World::new(Rel::default(), scale_ai(vec![meta()]));
    assert_eq!(world.check(&p).1.result, Truth::False, "49% < 50%");
}

#[test]
fn competitor_control_needs_votes_or_the_board() {
    let p = shipped("competitor-control");
    assert_eq!(
        p.ownership,
        policy::OwnershipMethod::ControlChain { threshold: 50.0 }
    );
    let non_voting = World::new(Rel::default(), scale_ai(vec![meta()]));
    assert_eq!(non_voting.check(&p).1.result, Truth::False);

    let parent = owner("rival-co", "Rival Co", pct(60.0), pct(60.0), true, "minor");
    let world = World::new(Rel::default(), scale_ai(vec![parent]));
    let (applies, eval) = world.check(&p);
    assert_eq!((applies, eval.result), (Truth::True, Truth::True));
    assert_eq!(
        eval.message,
        "Scale AI is controlled by Rival Co, a competitor (60% of the votes, board control: \
         false; control at 50%)"
    );

    let overrides = BTreeMap::from([("control".to_string(), "40%".to_string())]);
    let lowered = policy::load_policy(
        FileId(0),
        &shipped_source("competitor-control"),
        &overrides,
        &Limits::default(),
    )
    .expect("loads");
    assert_eq!(
        lowered.ownership,
        policy::OwnershipMethod::ControlChain { threshold: 40.0 },
        "the parameter drives the ownership method too"
    );
}

#[test]
fn sensitive_data_stake() {
    let p = shipped("sensitive-data-competitor-stake");
    let small = owner("rival-co", "Rival Co", pct(6.0), pct(0.0), true, "minor");
    let world = World::new(
        Rel {
            data_shared: vec!["prototype-products"],
            ..Rel::default()
        },
        scale_ai(vec![small]),
    );
    let (applies, eval) = world.check(&p);
    assert_eq!((applies, eval.result), (Truth::True, Truth::True));
    assert_eq!(
        eval.message,
        "Scale AI receives [prototype-products] and Rival Co, a competitor, holds 6% of it (0% of \
         the votes; limit 5%)"
    );

    let tiny = owner("rival-co", "Rival Co", pct(4.0), pct(4.0), true, "minor");
    let world = World::new(Rel::default(), scale_ai(vec![tiny]));
    assert_eq!(world.check(&p).1.result, Truth::False);

    let no_data = World::new(
        Rel {
            data_shared: vec!["public-data"],
            ..Rel::default()
        },
        scale_ai(vec![meta()]),
    );
    assert_eq!(no_data.check(&p).0, Truth::False);
}

#[test]
fn leadership_moves_within_a_year() {
    let p = shipped("leadership-to-competitor");
    let wang = |on: &str| {
        person(
            "alexandr-wang",
            "Alexandr Wang",
            &["ceo", "founder"],
            vec![move_to("meta", "Meta", on, true)],
        )
    };
    let world = World::new(
        Rel::default(),
        vendor("scale-ai", "Scale AI", vec![], vec![wang("2025-06-12")]),
    );
    let (_, eval) = world.check(&p);
    assert_eq!(eval.result, Truth::True);
    assert_eq!(
        eval.message,
        "Alexandr Wang ([ceo, founder] at Scale AI) moved to Meta, a competitor, on 2025-06-12"
    );
    assert_eq!(
        eval.evidence[1].bindings,
        vec![
            ("person".to_string(), "alexandr-wang".to_string()),
            ("move".to_string(), "meta".to_string())
        ]
    );

    let old = World::new(
        Rel::default(),
        vendor("scale-ai", "Scale AI", vec![], vec![wang("2023-01-10")]),
    );
    assert_eq!(old.check(&p).1.result, Truth::False);

    // As of a date before the move, the move has not happened.
    let mut before = World::new(
        Rel::default(),
        vendor("scale-ai", "Scale AI", vec![], vec![wang("2025-06-12")]),
    );
    before.as_of = day("2025-06-01");
    assert_eq!(before.check(&p).1.result, Truth::False);
}

#[test]
fn customer_concentration() {
    let p = shipped("customer-concentration");
    let world = World::new(
        Rel {
            revenue_share: pct(17.2),
            ..Rel::default()
        },
        scale_ai(vec![]),
    );
    let (applies, eval) = world.check(&p);
    assert_eq!((applies, eval.result), (Truth::True, Truth::True));
    assert_eq!(
        eval.message,
        "Our 2025 spend with Scale AI: 150M USD (actual); share of its revenue that year: 17.2% \
         (limit 15%); its share of our spend in a category: 40% (limit 70%, counted from 1M USD)"
    );
    let ok = World::new(Rel::default(), scale_ai(vec![]));
    assert_eq!(ok.check(&p).1.result, Truth::False);
    let unknown_revenue = World::new(
        Rel {
            revenue_share: unknown(),
            ..Rel::default()
        },
        scale_ai(vec![]),
    );
    let eval = unknown_revenue.check(&p).1;
    assert_eq!(eval.result, Truth::Unknown);
    assert_eq!(eval.evidence.len(), 1);
    assert_eq!(eval.evidence[0].path, "relationship.revenue_share");
}

#[test]
fn stale_review() {
    let p = shipped("stale-review");
    let stale = World::new(
        Rel {
            last_review: date("2024-01-15"),
            ..Rel::default()
        },
        scale_ai(vec![]),
    );
    let (_, eval) = stale.check(&p);
    assert_eq!(eval.result, Truth::True);
    assert_eq!(
        eval.message,
        "Scale AI was last reviewed on 2024-01-15, more than 365d before 2025-07-01"
    );
    let fresh = World::new(Rel::default(), scale_ai(vec![]));
    assert_eq!(fresh.check(&p).1.result, Truth::False);
    let never = World::new(
        Rel {
            last_review: unknown(),
            ..Rel::default()
        },
        scale_ai(vec![]),
    );
    assert_eq!(never.check(&p).1.result, Truth::Unknown);
    assert_eq!(p.on_indeterminate, policy::OnIndeterminate::Warn);
}

#[test]
fn expired_attestation() {
    let p = shipped("expired-attestation");
    let world = World::new(
        Rel {
            attestations: vec![
                attestation("iso27001", "2026-09-30"),
                attestation("soc2-type2", "2025-03-31"),
            ],
            ..Rel::default()
        },
        scale_ai(vec![]),
    );
    let (_, eval) = world.check(&p);
    assert_eq!(eval.result, Truth::True);
    assert_eq!(
        eval.message,
        "The soc2-type2 attestation of Scale AI expired on 2025-03-31"
    );
    assert_eq!(
        eval.evidence[0].operand, "2025-07-01",
        "$as_of is the evaluation date"
    );
    let current = World::new(
        Rel {
            attestations: vec![attestation("soc2-type2", "2026-03-31")],
            ..Rel::default()
        },
        scale_ai(vec![]),
    );
    assert_eq!(current.check(&p).1.result, Truth::False);
}

#[test]
fn evaluation_is_deterministic() {
    for id in SHIPPED {
        let p = shipped(id);
        let world = World::new(
            Rel::default(),
            scale_ai(vec![founder(), meta(), band_holder()]),
        );
        let scope = world.scope();
        assert_eq!(
            policy::evaluate(&p, &scope),
            policy::evaluate(&p, &scope),
            "{id}"
        );
        assert_eq!(shipped(id), p, "{id} loads the same way twice");
    }
}

// ---------------------------------------------------------------------------------------------
// Typecheck diagnostics: code, line:col and help.

/// A small valid policy; each diagnostic test changes one line of it.
const BASE: &str = "\
id: t
title: T
severity: high
params:
  threshold: {type: percent, default: 20%}
fails_when:
  exists:
    each: vendor.owners
    where: {fact: owner.economic, gte: $threshold}
on_indeterminate: warn
message: \"{vendor.name} is {owner.economic} owned by {owner.name}\"
";

fn load_text(
    text: &str,
) -> (
    SourceFile,
    Result<Policy, Vec<vrisk::input::diagnostic::Problem>>,
) {
    let source = SourceFile::new("t.yaml", None, text);
    let result = policy::load_policy(FileId(0), &source, &BTreeMap::new(), &Limits::default());
    (source, result)
}

/// The problems of a text that must not load, as (code, line:col, help).
fn problems(text: &str) -> Vec<(String, String, String)> {
    let (source, result) = load_text(text);
    let problems = match result {
        Ok(_) => panic!("expected problems in:\n{text}"),
        Err(p) => p,
    };
    problems
        .iter()
        .map(|p| {
            let at = p
                .primary()
                .map(|l| source.line_col(l.span.offset).to_string())
                .unwrap_or_default();
            (p.code.to_string(), at, p.help.clone().unwrap_or_default())
        })
        .collect()
}

fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from}");
    BASE.replacen(from, to, 1)
}

/// Asserts that `text` has exactly one problem, `code` at `at` (line:col), and returns its help
/// for the test to check.
fn only_problem(text: &str, code: &str, at: &str) -> String {
    let mut found = problems(text);
    assert_eq!(found.len(), 1, "{found:?}");
    let (found_code, found_at, help) = found.remove(0);
    assert_eq!(found_code, code);
    assert_eq!(found_at, at);
    help
}

fn triple(code: &str, at: &str, help: &str) -> (String, String, String) {
    (code.to_string(), at.to_string(), help.to_string())
}

#[test]
fn base_policy_loads() {
    let (_, result) = load_text(BASE);
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn typo_in_a_fact_path() {
    let text = edit("owner.economic, gte", "owner.economc, gte");
    assert_eq!(
        problems(&text),
        vec![triple(
            "policy::unknown-fact",
            "9:19",
            "did you mean `owner.economic`?"
        )]
    );
}

#[test]
fn element_name_outside_its_quantifier() {
    let text = edit(
        "fails_when:",
        "applies_to: {fact: owner.competitor, eq: true}\nfails_when:",
    );
    let help = only_problem(&text, "policy::unbound-variable", "6:20");
    assert!(
        help.contains("exists: {each: vendor.owners, as: owner"),
        "{help}"
    );
}

#[test]
fn operator_on_the_wrong_type() {
    let text = edit(
        "where: {fact: owner.economic, gte: $threshold}",
        "where: {all: [{fact: owner.tier, gte: $threshold}, {fact: owner.economic, contains: x}]}",
    );
    assert_eq!(
        problems(&text),
        vec![
            triple(
                "policy::operator-type",
                "9:38",
                "text supports: eq, ne, in, known"
            ),
            triple(
                "policy::operator-type",
                "9:79",
                "percent supports: eq, ne, lt, lte, gt, gte, known"
            ),
        ]
    );
}

#[test]
fn percent_written_as_a_number() {
    let text = edit("gte: $threshold", "gte: 20");
    assert_eq!(
        problems(&text),
        vec![
            triple(
                "policy::unused-param",
                "5:3",
                "compare a fact with it (`gte: $threshold`), or remove the declaration"
            ),
            triple(
                "policy::operand-type",
                "9:40",
                "write `20%`: a percent needs the `%` sign"
            ),
        ]
    );
}

#[test]
fn unknown_parameter() {
    let text = edit("gte: $threshold", "gte: $treshold");
    let found = problems(&text);
    assert_eq!(
        found,
        vec![
            triple(
                "policy::unused-param",
                "5:3",
                "compare a fact with it (`gte: $threshold`), or remove the declaration"
            ),
            triple(
                "policy::unknown-param",
                "9:40",
                "did you mean `$threshold`?"
            ),
        ]
    );
}

#[test]
fn unused_parameter() {
    let text = edit(
        "fails_when:",
        "  window: {type: duration, default: 365d}\nfails_when:",
    );
    assert_eq!(
        problems(&text),
        vec![triple(
            "policy::unused-param",
            "6:3",
            "compare a fact with it (`gte: $window`), or remove the declaration"
        )]
    );
}

#[test]
fn malformed_duration() {
    let text = edit(
        "where: {fact: owner.economic, gte: $threshold}",
        "where: {all: [{fact: owner.economic, gte: $threshold}, {fact: relationship.last_review, older_than: 12x}]}",
    );
    let help = only_problem(&text, "policy::invalid-duration", "9:105");
    assert!(help.contains("`365d` (days)"), "{help}");

    let text = edit("default: 20%", "default: 20");
    assert_eq!(
        problems(&text),
        vec![triple(
            "policy::invalid-default",
            "5:39",
            "write `20%`: a percent needs the `%` sign"
        )]
    );
}

#[test]
fn unbound_template_variable() {
    let text = edit("by {owner.name}", "by {person.name}");
    let help = only_problem(&text, "policy::unbound-template-variable", "11:54");
    assert!(
        help.contains("exists: {each: vendor.people, as: person"),
        "{help}"
    );

    let text = edit("{vendor.name} is", "{vendor.nam} is");
    assert_eq!(
        problems(&text),
        vec![triple(
            "policy::unknown-fact",
            "11:11",
            "did you mean `vendor.name`?"
        )]
    );
}

#[test]
fn each_must_name_a_collection() {
    let text = edit("each: vendor.owners", "each: vendor.name");
    let help = only_problem(&text, "policy::not-a-collection", "8:11");
    assert_eq!(
        help,
        "collections here: relationship.attestations, vendor.owners, vendor.people"
    );
}

#[test]
fn every_problem_of_a_file_is_reported() {
    let text = "\
id: Bad Id
title: T
severty: high
params:
  threshold: {type: percentage, default: 20%}
fails_when:
  exsts:
    each: vendor.owners
on_indeterminate: maybe
message: \"{owner.name\"
";
    let codes: Vec<(String, String)> = problems(text)
        .into_iter()
        .map(|(code, at, _)| (code, at))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("policy::missing-key".into(), "1:1".into()),
            ("policy::invalid-value".into(), "1:5".into()),
            ("policy::unknown-key".into(), "3:1".into()),
            ("policy::unused-param".into(), "5:3".into()),
            ("policy::param-type".into(), "5:21".into()),
            ("policy::unknown-condition".into(), "7:3".into()),
            ("policy::invalid-value".into(), "9:19".into()),
            ("policy::template-syntax".into(), "10:10".into()),
        ]
    );
}

#[test]
fn parameter_overrides_are_checked() {
    let source = shipped_source("competitor-ownership");
    let load = |name: &str, value: &str| {
        let overrides = BTreeMap::from([(name.to_string(), value.to_string())]);
        policy::load_policy(FileId(0), &source, &overrides, &Limits::default())
    };
    let err = load("treshold", "25%").expect_err("unknown name");
    assert_eq!(err[0].code, "policy::unknown-param-override");
    assert_eq!(err[0].help.as_deref(), Some("did you mean `threshold`?"));
    let err = load("threshold", "25").expect_err("not a percent");
    assert_eq!(err[0].code, "policy::invalid-param-override");
    assert!(
        err[0].message.contains("threshold=25"),
        "{}",
        err[0].message
    );
    assert_eq!(
        err[0].help.as_deref(),
        Some("give a percent such as `20%`; write `25%`")
    );
}

#[test]
fn rendered_diagnostics() {
    let render = |text: &str| {
        let (source, result) = load_text(text);
        let mut sources = SourceMap::new();
        sources.add(source);
        result
            .expect_err("problems")
            .iter()
            .map(|p| p.render(&sources, 80))
            .collect::<Vec<_>>()
            .join("\n")
    };
    insta::assert_snapshot!(
        "typo_in_fact_path",
        render(&edit("owner.economic, gte", "owner.economc, gte"))
    );
    insta::assert_snapshot!(
        "percent_written_as_number",
        render(&edit("gte: $threshold", "gte: 20"))
    );
    insta::assert_snapshot!(
        "unbound_template_variable",
        render(&edit("by {owner.name}", "by {person.name}"))
    );
}

// ---------------------------------------------------------------------------------------------
// Three-valued semantics.

fn condition_policy(condition: &str) -> Policy {
    let text = format!(
        "id: k\ntitle: K\nseverity: info\nfails_when: {condition}\non_indeterminate: warn\nmessage: m\n"
    );
    match load_text(&text).1 {
        Ok(p) => p,
        Err(problems) => panic!("{condition}: {problems:?}"),
    }
}

/// A text fact that makes `{fact: ..., eq: x}` true, false or unknown.
fn leaf_fact(t: Truth) -> Fact {
    match t {
        Truth::True => text("x"),
        Truth::False => text("y"),
        Truth::Unknown => unknown(),
    }
}

/// An owner whose `economic >= 20%` is true (49%), false (0%) or unknown ([15%, 25%]).
fn owner_with(t: Truth) -> Fact {
    let share = match t {
        Truth::True => pct(49.0),
        Truth::False => pct(0.0),
        Truth::Unknown => band(15.0, 25.0),
    };
    owner("o", "O", share.clone(), share, true, "major")
}

const TRUTHS: [Truth; 3] = [Truth::False, Truth::Unknown, Truth::True];

fn eval_with(p: &Policy, org_id: Truth, org_name: Truth, owners: Option<Vec<Truth>>) -> Truth {
    let mut world = World::new(Rel::default(), scale_ai(vec![]));
    world.org = object(
        "org",
        vec![("id", leaf_fact(org_id)), ("name", leaf_fact(org_name))],
    );
    if let Some(owners) = owners {
        world.vendor = scale_ai(owners.into_iter().map(owner_with).collect());
    } else {
        world.vendor = object("organisation", vec![("owners", unknown())]);
    }
    policy::evaluate(p, &world.scope()).result
}

/// `vrisk check` evaluates only as far as decides the result (the first witness of a true
/// `exists`), with the same result, message and evidence as the whole evaluation that
/// `explain` shows.
#[test]
fn check_decides_as_the_whole_evaluation_does() {
    let p = condition_policy(
        "{exists: {each: vendor.owners, as: owner, where: {fact: owner.economic, gte: 20%}}}",
    );
    let run = |owners: Vec<Truth>| {
        let world = World::new(
            Rel::default(),
            scale_ai(owners.into_iter().map(owner_with).collect()),
        );
        let whole = policy::evaluate(&p, &world.scope());
        let decided = policy::decide(&p, &world.scope());
        assert_eq!(whole.result, decided.result);
        assert_eq!(whole.evidence, decided.evidence);
        assert_eq!(whole.message, decided.message);
        (decided.result, decided.evidence.len())
    };
    use Truth::{False as F, True as T, Unknown as U};
    assert_eq!(run(vec![F, U, T, F]), (T, 1), "the first witness");
    assert_eq!(run(vec![F, U, U, F]), (U, 2), "the undecided elements");
    assert_eq!(run(vec![F, F, F]), (F, 0), "a pass is not explained");
}

#[test]
fn kleene_tables_for_all_any_not() {
    let all = condition_policy("{all: [{fact: org.id, eq: x}, {fact: org.name, eq: x}]}");
    let any = condition_policy("{any: [{fact: org.id, eq: x}, {fact: org.name, eq: x}]}");
    let not = condition_policy("{not: {fact: org.id, eq: x}}");
    for a in TRUTHS {
        assert_eq!(eval_with(&not, a, a, Some(vec![])), a.not(), "not {a}");
        for b in TRUTHS {
            assert_eq!(eval_with(&all, a, b, Some(vec![])), a.and(b), "{a} and {b}");
            assert_eq!(eval_with(&any, a, b, Some(vec![])), a.or(b), "{a} or {b}");
        }
    }
    // The tables spelled out, for the reader.
    use Truth::{False as F, True as T, Unknown as U};
    assert_eq!(eval_with(&all, T, U, Some(vec![])), U);
    assert_eq!(eval_with(&all, F, U, Some(vec![])), F);
    assert_eq!(eval_with(&any, T, U, Some(vec![])), T);
    assert_eq!(eval_with(&any, F, U, Some(vec![])), U);
}

/// Every list of up to three elements over {false, unknown, true}.
fn element_lists() -> Vec<Vec<Truth>> {
    let mut lists = vec![vec![]];
    for len in 1..=3 {
        let mut next = Vec::new();
        for list in lists.iter().filter(|l| l.len() == len - 1) {
            for t in TRUTHS {
                let mut l = list.clone();
                l.push(t);
                next.push(l);
            }
        }
        lists.extend(next);
    }
    lists
}

#[test]
fn kleene_quantifiers() {
    let leaf = "{fact: owner.economic, gte: 20%}";
    let exists = condition_policy(&format!(
        "{{exists: {{each: vendor.owners, where: {leaf}}}}}"
    ));
    let all = condition_policy(&format!("{{all: {{each: vendor.owners, where: {leaf}}}}}"));
    let none = condition_policy(&format!("{{none: {{each: vendor.owners, where: {leaf}}}}}"));
    let count = condition_policy(&format!(
        "{{count: {{each: vendor.owners, where: {leaf}, gte: 2}}}}"
    ));
    let lists = element_lists();
    assert_eq!(lists.len(), 40);
    for list in lists {
        let any_true = list.iter().fold(Truth::False, |acc, t| acc.or(*t));
        let every = list.iter().fold(Truth::True, |acc, t| acc.and(*t));
        let trues = list.iter().filter(|t| **t == Truth::True).count();
        let unknowns = list.iter().filter(|t| **t == Truth::Unknown).count();
        let at_least_two = if trues >= 2 {
            Truth::True
        } else if trues + unknowns < 2 {
            Truth::False
        } else {
            Truth::Unknown
        };
        let e = |p: &Policy| eval_with(p, Truth::True, Truth::True, Some(list.clone()));
        assert_eq!(e(&exists), any_true, "exists over {list:?}");
        assert_eq!(e(&all), every, "all over {list:?}");
        assert_eq!(e(&none), any_true.not(), "none over {list:?}");
        assert_eq!(e(&count), at_least_two, "count >= 2 over {list:?}");
    }
    // A collection the registry says nothing about decides nothing.
    for p in [&exists, &all, &none, &count] {
        assert_eq!(eval_with(p, Truth::True, Truth::True, None), Truth::Unknown);
    }
}

#[test]
fn trace_shows_every_node() {
    let p = shipped("competitor-ownership");
    let world = World::new(Rel::default(), scale_ai(vec![founder(), meta()]));
    let eval = policy::evaluate(&p, &world.scope());
    insta::assert_snapshot!("trace_competitor_ownership", eval.trace.to_text());
}

// ---------------------------------------------------------------------------------------------
// The JSON Schema (for editors) agrees with the loader.

fn schema_problems(text: &str) -> Vec<vrisk::input::diagnostic::Problem> {
    let source = SourceFile::new("t.yaml", None, text);
    let node = vrisk::input::yaml::parse(FileId(0), &source, &Limits::default()).expect("yaml");
    vrisk::input::schema::validate(vrisk::input::schema::SchemaKind::Policy, &node)
}

#[test]
fn shipped_policies_satisfy_the_schema_and_carry_the_modeline() {
    for id in SHIPPED {
        let source = shipped_source(id);
        assert!(
            source
                .text
                .starts_with("# yaml-language-server: $schema=../schemas/policy.schema.json\n"),
            "{id} has the modeline"
        );
        let problems = schema_problems(&source.text);
        assert!(problems.is_empty(), "{id}: {problems:?}");
    }
    assert!(schema_problems(BASE).is_empty());
}

#[test]
fn schema_rejects_what_the_loader_rejects() {
    let cases = [
        edit("severity: high", "severity: severe"),
        edit("on_indeterminate: warn", "on_indeterminate: maybe"),
        edit("gte: $threshold}", "gte: $threshold, lte: 50%}"),
        edit("exists:", "exsts:"),
        edit("type: percent", "type: percentage"),
        edit("title: T", "titel: T"),
        edit("each: vendor.owners\n", ""),
        format!("{BASE}ownership: {{method: integrated, threshold: 50%}}\n"),
    ];
    for text in cases {
        assert!(
            !schema_problems(&text).is_empty(),
            "schema accepts:\n{text}"
        );
        assert!(load_text(&text).1.is_err(), "loader accepts:\n{text}");
    }
}

#[test]
fn docs_carry_the_fact_model_table() {
    let path = format!("{}/docs/policies.md", env!("CARGO_MANIFEST_DIR"));
    let docs = std::fs::read_to_string(&path).expect("docs/policies.md");
    assert!(
        docs.contains(&policy::fact_model_markdown()),
        "docs/policies.md must contain the table printed by fact_model_markdown():\n{}",
        policy::fact_model_markdown()
    );
}

// ---------------------------------------------------------------------------------------------
// No input makes loading or evaluation panic.

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    /// Characters that matter to YAML and to the policy language.
    const ALPHABET: &[char] = &[
        '{', '}', '[', ']', ':', ',', '$', '%', '-', ' ', '\n', '"', '\'', '.', '#', '&', '*', 'a',
        '0', '9', 'é',
    ];

    fn mutate(text: &str, at: usize, len: usize, insert: &[usize]) -> String {
        let chars: Vec<char> = text.chars().collect();
        let at = at % (chars.len() + 1);
        let end = (at + len).min(chars.len());
        let mut out: String = chars[..at].iter().collect();
        out.extend(insert.iter().map(|i| ALPHABET[i % ALPHABET.len()]));
        out.extend(chars[end..].iter());
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn mutated_policies_load_or_report(
            which in 0..SHIPPED.len(),
            at in 0usize..4000,
            len in 0usize..12,
            insert in proptest::collection::vec(0usize..64, 0..6),
        ) {
            let text = mutate(&shipped_source(SHIPPED[which]).text, at, len, &insert);
            let (source, result) = load_text(&text);
            match result {
                Ok(p) => {
                    let world = World::new(Rel::default(), scale_ai(vec![meta(), band_holder()]));
                    let _ = policy::evaluate(&p, &world.scope());
                    let _ = policy::applies(&p, &world.scope());
                }
                Err(problems) => {
                    prop_assert!(!problems.is_empty());
                    let mut sources = SourceMap::new();
                    sources.add(source);
                    for p in &problems {
                        let _ = p.render(&sources, 80);
                    }
                }
            }
        }
    }

    #[test]
    fn evaluation_survives_facts_of_unexpected_types() {
        // An engine bug could put a text where a percent belongs, or leave fields out; the
        // evaluator treats such values as unknown.
        let odd_owner = object(
            "owner",
            vec![("economic", text("lots")), ("competitor", pct(1.0))],
        );
        let odd_vendor = object(
            "organisation",
            vec![("owners", list(vec![odd_owner, text("not an object")]))],
        );
        let world = World::new(Rel::default(), odd_vendor);
        for id in SHIPPED {
            let p = shipped(id);
            let _ = policy::evaluate(&p, &world.scope());
        }
        let p = shipped("competitor-ownership");
        assert_eq!(policy::evaluate(&p, &world.scope()).result, Truth::Unknown);
    }
}
