//! Waivers: accepted exceptions that expire. A waived finding is reported as `waived` with its
//! reason; an expired waiver stops applying and says so; a waiver about to expire, or one that
//! matches nothing, is a warning; one naming an unknown policy or vendor is an error.

use std::path::Path;

use crate::engine::{Outcome, Report};
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
        expires_loc: loc_of("expires"),
    })
}

/// Applies the waivers to a report; returns the warnings about them (expired, expiring, stale).
pub fn apply(report: &mut Report, waivers: &[Waiver], warning_days: i64) -> Vec<Problem> {
    let mut problems = Vec::new();
    let as_of = report.as_of;
    for waiver in waivers {
        if waiver.org.as_deref().is_some_and(|o| o != report.org) {
            continue;
        }
        let mut matched = false;
        for finding in report.findings.iter_mut().filter(|f| {
            f.policy == waiver.policy && f.vendor == waiver.vendor && f.outcome != Outcome::Pass
        }) {
            matched = true;
            if waiver.expires < as_of {
                finding.note = Some(format!(
                    "the waiver approved by {} expired on {}",
                    waiver.approved_by, waiver.expires
                ));
                continue;
            }
            finding.outcome = Outcome::Waived;
            let mut note = format!(
                "waived until {} by {}: {}",
                waiver.expires, waiver.approved_by, waiver.reason
            );
            if let Some(ticket) = &waiver.ticket {
                note.push_str(&format!(" ({ticket})"));
            }
            finding.note = Some(note);
        }
        let left = i64::from(waiver.expires.days_since(as_of));
        if waiver.expires < as_of {
            if matched {
                problems.push(
                    Problem::warning(
                        "waiver::expired",
                        format!(
                            "the waiver of `{}` for `{}` expired on {}; the finding counts again",
                            waiver.policy, waiver.vendor, waiver.expires
                        ),
                    )
                    .at(waiver.expires_loc, "expired")
                    .with_help("renew the waiver with a new approval and date, or fix the finding"),
                );
            }
        } else if left <= warning_days && matched {
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
        if !matched {
            problems.push(
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
                .with_help("remove the waiver if the risk is gone"),
            );
        }
    }
    report.recount();
    problems
}
