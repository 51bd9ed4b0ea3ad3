//! Waivers: accepted exceptions that expire. A waived finding is reported as `waived` with its
//! reason; an expired waiver stops applying and says so; a waiver about to expire, or one that
//! matches nothing, is a warning; one naming an unknown policy, vendor or organisation is an
//! error.
//!
//! Several waivers can name one finding (a renewal written beside the old one). The finding is
//! waived by the one in force: of those not expired, the one that expires last (the first
//! written, on a tie). An expired waiver whose finding another waiver still covers is a warning
//! that says so, and names the waiver in force; only a finding that no waiver covers any more
//! "counts again".

use std::path::Path;

use crate::engine::{Finding, Outcome, Report};
use crate::input::diagnostic::{Problem, did_you_mean, merge_repeats};
use crate::input::limits::Limits;
use crate::input::schema::{self, SchemaKind};
use crate::input::source::{Loc, SourceMap, read_file_into};
use crate::input::yaml::{self, Node};
use crate::policy::Policy;
use crate::registry::Registry;
use crate::value::count;
use crate::value::date::Date;

pub const FILE_NAME: &str = "waivers.yaml";

/// Warn about waivers that expire within this many days, unless configured otherwise.
pub const DEFAULT_WARNING_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq)]
pub struct Waiver {
    pub policy: String,
    pub vendor: String,
    pub org: Option<String>,
    pub reason: String,
    pub approved_by: String,
    pub expires: Date,
    pub ticket: Option<String>,
    pub loc: Loc,
    pub policy_loc: Loc,
    pub vendor_loc: Loc,
    pub org_loc: Loc,
    pub expires_loc: Loc,
}

/// A waivers file as read: the waivers that could be read, and the problems of the file.
pub struct Read {
    pub waivers: Vec<Waiver>,
    pub problems: Vec<Problem>,
}

/// Reads a waivers file. Each waiver that passes the schema is read, whatever is wrong with
/// the others, so that one run reports every problem of the file.
fn read(path: &Path, sources: &mut SourceMap, limits: &Limits) -> Read {
    let unreadable = |problem| Read {
        waivers: Vec::new(),
        problems: vec![problem],
    };
    let file = match read_file_into(path, &path.display().to_string(), limits, sources) {
        Ok(file) => file,
        Err(problem) => return unreadable(problem),
    };
    let id = sources.add(file);
    let document = match yaml::parse(id, sources.get(id), limits) {
        Ok(document) => document,
        Err(problem) => return unreadable(problem),
    };
    let mut validation = schema::validate_by_item(SchemaKind::Waivers, &document);
    let mut problems = std::mem::take(&mut validation.problems);
    let mut waivers = Vec::new();
    let items = document
        .get("waivers")
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    for (index, item) in items.iter().enumerate() {
        if validation.is_broken("waivers", index) {
            continue;
        }
        match parse(item) {
            Ok(w) => waivers.push(w),
            Err(p) => problems.push(p),
        }
    }
    Read { waivers, problems }
}

/// The waivers that name a policy or a vendor that is not loaded. Either may be missing when
/// it failed to load: what it would have said is not known, and is not reported.
fn check_references(
    waivers: &[Waiver],
    policies: Option<&[Policy]>,
    registry: Option<&Registry>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let policy_ids: Vec<&str> = policies
        .unwrap_or_default()
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let org_ids: Vec<&str> = registry
        .map(|r| {
            r.organisations
                .iter()
                .map(|o| o.id.value.as_str())
                .collect()
        })
        .unwrap_or_default();
    for w in waivers {
        if policies.is_some() && !policy_ids.contains(&w.policy.as_str()) {
            problems.push(unknown("policy", &w.policy, w.policy_loc, &policy_ids));
        }
        if let Some(registry) = registry
            && registry.org(&w.vendor).is_none()
        {
            problems.push(unknown("vendor", &w.vendor, w.vendor_loc, &org_ids));
        }
        // A point of view that is no organisation would make the waiver apply to nothing,
        // silently: the finding it was written for would fail with no word about why.
        if let Some(org) = &w.org
            && let Some(registry) = registry
            && registry.org(org).is_none()
        {
            problems.push(unknown("organisation", org, w.org_loc, &org_ids));
        }
    }
    problems
}

/// Reads a waivers file and checks its references against the policies and the registry that
/// loaded (`None` for one that did not): the waivers that could be read, and every problem.
pub fn load(
    path: &Path,
    sources: &mut SourceMap,
    limits: &Limits,
    policies: Option<&[Policy]>,
    registry: Option<&Registry>,
) -> Read {
    let Read {
        waivers,
        mut problems,
    } = read(path, sources, limits);
    problems.extend(check_references(&waivers, policies, registry));
    Read {
        waivers,
        problems: merge_repeats(problems),
    }
}

fn unknown(what: &str, id: &str, loc: Loc, candidates: &[&str]) -> Problem {
    let problem = Problem::new(
        "waiver::unknown-reference",
        format!("the waiver names {what} `{id}`, which is not loaded"),
    )
    .at(loc, format!("unknown {what}"));
    match did_you_mean(id, candidates.iter().copied()) {
        Some(s) => problem.with_help(format!("did you mean `{s}`?")),
        None => problem.with_help(format!("a waiver must name a loaded {what}")),
    }
}

fn parse(item: &Node) -> Result<Waiver, Problem> {
    let text = |key: &str| item.get(key).and_then(|n| n.as_str()).map(str::to_string);
    let loc_of = |key: &str| item.get(key).map_or(item.loc, |n| n.loc);
    let expires_text = text("expires").unwrap_or_default();
    let expires = Date::parse(&expires_text).ok_or_else(|| {
        Problem::new(
            "waiver::invalid-date",
            format!("`{expires_text}` is not a calendar date"),
        )
        .at(loc_of("expires"), "expected YYYY-MM-DD, a real date")
        .through(item.get("expires").and_then(|n| n.alias))
        .with_help("every waiver needs a real expiry date")
    })?;
    Ok(Waiver {
        policy: text("policy").unwrap_or_default(),
        vendor: text("vendor").unwrap_or_default(),
        org: text("org"),
        reason: text("reason").unwrap_or_default(),
        approved_by: text("approved_by").unwrap_or_default(),
        expires,
        ticket: text("ticket"),
        loc: item.loc,
        policy_loc: loc_of("policy"),
        vendor_loc: loc_of("vendor"),
        org_loc: loc_of("org"),
        expires_loc: loc_of("expires"),
    })
}

/// Applies the waivers to a report; returns the warnings about them (expired, expiring, stale).
pub fn apply(report: &mut Report, waivers: &[Waiver], warning_days: i64) -> Vec<Problem> {
    let as_of = report.as_of;
    let org = report.org.clone();
    let for_org = |w: &Waiver| w.org.as_deref().is_none_or(|o| o == org);
    let covers = |w: &Waiver, f: &Finding| {
        for_org(w) && f.policy == w.policy && f.vendor == w.vendor && f.outcome != Outcome::Pass
    };
    // Per finding: the waiver in force, and the last one that expired.
    let in_force: Vec<Option<usize>> = report
        .findings
        .iter()
        .map(|f| last_expiring(waivers, |w| covers(w, f) && w.expires >= as_of))
        .collect();
    let lapsed: Vec<Option<usize>> = report
        .findings
        .iter()
        .map(|f| last_expiring(waivers, |w| covers(w, f) && w.expires < as_of))
        .collect();
    let matched: Vec<Vec<usize>> = waivers
        .iter()
        .map(|w| {
            (0..report.findings.len())
                .filter(|&i| covers(w, &report.findings[i]))
                .collect()
        })
        .collect();
    for (i, finding) in report.findings.iter_mut().enumerate() {
        if let Some(w) = in_force[i].map(|w| &waivers[w]) {
            finding.outcome = Outcome::Waived;
            let mut note = format!(
                "waived until {} by {}: {}",
                w.expires, w.approved_by, w.reason
            );
            if let Some(ticket) = &w.ticket {
                note.push_str(&format!(" ({ticket})"));
            }
            finding.note = Some(note);
        } else if let Some(w) = lapsed[i].map(|w| &waivers[w]) {
            finding.note = Some(format!(
                "the waiver approved by {} expired on {}",
                w.approved_by, w.expires
            ));
        }
    }
    let mut problems = Vec::new();
    for (index, waiver) in waivers.iter().enumerate() {
        if !for_org(waiver) {
            continue;
        }
        let findings = &matched[index];
        if findings.is_empty() {
            problems.push(stale(waiver));
            continue;
        }
        if waiver.expires < as_of {
            let still = findings
                .iter()
                .find_map(|&f| in_force[f])
                .map(|w| &waivers[w]);
            problems.push(expired(waiver, still));
            continue;
        }
        let applied = findings.iter().any(|&f| in_force[f] == Some(index));
        let left = i64::from(waiver.expires.days_since(as_of));
        if applied && left <= warning_days {
            problems.push(
                Problem::warning(
                    "waiver::expiring",
                    format!(
                        "the waiver of `{}` for `{}` expires on {} ({} left)",
                        waiver.policy,
                        waiver.vendor,
                        waiver.expires,
                        count(usize::try_from(left).unwrap_or(0), "day")
                    ),
                )
                .at(waiver.expires_loc, "expires soon")
                .with_help("renew it before it lapses, or plan for the finding to fail again"),
            );
        }
    }
    report.recount();
    problems
}

/// Of the waivers that `keep`, the one that expires last; the first written on a tie.
fn last_expiring(waivers: &[Waiver], keep: impl Fn(&Waiver) -> bool) -> Option<usize> {
    waivers
        .iter()
        .enumerate()
        .filter(|(_, w)| keep(w))
        .max_by(|(i, a), (j, b)| a.expires.cmp(&b.expires).then(j.cmp(i)))
        .map(|(i, _)| i)
}

/// An expired waiver of a finding: it counts again, unless another waiver still covers it.
fn expired(waiver: &Waiver, still: Option<&Waiver>) -> Problem {
    let what = format!(
        "the waiver of `{}` for `{}` expired on {}",
        waiver.policy, waiver.vendor, waiver.expires
    );
    match still {
        None => Problem::warning(
            "waiver::expired",
            format!("{what}; the finding counts again"),
        )
        .at(waiver.expires_loc, "expired")
        .with_help("renew the waiver with a new approval and date, or fix the finding"),
        Some(other) => Problem::warning(
            "waiver::expired",
            format!(
                "{what}; the finding stays waived by another waiver, until {}",
                other.expires
            ),
        )
        .at(waiver.expires_loc, "expired")
        .at(other.expires_loc, "in force")
        .with_help("remove the expired waiver: the other one is the approval in force"),
    }
}

fn stale(waiver: &Waiver) -> Problem {
    Problem::warning(
        "waiver::stale",
        format!(
            "the waiver of `{}` for `{}` matches no finding{}",
            waiver.policy,
            waiver.vendor,
            waiver
                .org
                .as_deref()
                .map(|o| format!(" from `{o}`'s point of view"))
                .unwrap_or_default()
        ),
    )
    .at(waiver.loc, "matches nothing")
    .with_help("remove the waiver if the risk is gone")
}
