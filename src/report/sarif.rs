//! SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning, GitLab, IDE viewers).
//!
//! Built as a `serde_json::Value` rather than through serde-sarif's generated types: the subset
//! used here is small, the output must be byte-stable, and serde-sarif's build script (schema
//! code generation) would double this crate's build time. The schema test in
//! tests/report_formats.rs keeps the output honest.
//!
//! Mapping (docs/ci.md explains each choice from the side of GitHub code scanning):
//! - one rule per policy, tagged `security` so that GitHub ranks it by `security-severity`,
//!   with a `helpUri` where the policy is documented; one result per finding that is not a pass;
//! - fail -> `kind: fail`, level by severity; indeterminate -> `kind: review`, and so
//!   `level: none`, as SARIF requires for any kind other than `fail` (§3.27.10);
//!   waived -> `kind: fail` with an external suppression carrying the waiver's reason;
//! - the first registry location is the result's location, the others (the policy) related
//!   locations, linked from the message as `[label](id)`; regions run from the start to the end
//!   of the span; columns are UTF-16 code units, SARIF's default `columnKind`, so none is
//!   declared;
//! - relative paths are relative to `%SRCROOT%` (where vrisk ran: the repository root in CI);
//!   the copies compiled into vrisk are under `VRISK_BUILTIN` (`vrisk-builtin:/`), so a finding
//!   of the built-in example never points at a file of the user's repository;
//! - `partialFingerprints.primaryLocationLineHash`, the key GitHub matches alerts by, holds the
//!   same stable hash as the versioned `vriskFinding/v1`, so editing the line does not re-open
//!   the alert;
//! - the texts a viewer shows (messages, descriptions, help, justifications) are neutralised:
//!   one line of data stays one line, with no control or bidi character; ids and names in
//!   `properties` are kept exact, as `\u` escapes where a terminal would act on them.

use std::fmt::Write;

use serde_json::{Map, Value, json};

use crate::engine::Verdict;
use crate::value::severity::Severity;

use super::detail_lines;
use crate::engine::{BaselineState, Finding, Location, Outcome, PolicyInfo, Position, Report};
use crate::value::text::{json_pretty, neutralise};

const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of the stable fingerprint; bump the version if what is hashed ever changes.
pub const FINGERPRINT_KEY: &str = "vriskFinding/v1";

/// The fingerprint key GitHub code scanning tracks alerts by; upload-sarif computes it from the
/// text of the line only when the file does not give it.
pub const GITHUB_FINGERPRINT_KEY: &str = "primaryLocationLineHash";

/// The base of relative paths: the directory vrisk ran in.
pub const SOURCE_ROOT: &str = "%SRCROOT%";

/// The base of the files compiled into vrisk (the seeded registry, the shipped policies).
pub const BUILTIN_ROOT: &str = "VRISK_BUILTIN";

/// What `BUILTIN_ROOT` stands for: no place in the user's repository.
pub const BUILTIN_URI: &str = "vrisk-builtin:/";

pub fn render(report: &Report, verdict: Verdict) -> String {
    let mut text = json_pretty(&to_value(report, verdict));
    text.push('\n');
    text
}

pub fn to_value(report: &Report, verdict: Verdict) -> Value {
    let rule_ids = report.policy_ids();
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| match report.policy(id) {
            Some(policy) => rule(policy),
            // A finding of a policy the report does not describe: still give it a rule so that
            // ruleIndex stays valid.
            None => json!({"id": id}),
        })
        .collect();
    let results: Vec<Value> = report
        .non_passing()
        .map(|f| {
            let index = rule_ids.iter().position(|id| *id == f.policy);
            result(report, f, index)
        })
        .collect();

    let mut driver = Map::new();
    driver.insert("name".into(), "vrisk".into());
    driver.insert("version".into(), env!("CARGO_PKG_VERSION").into());
    driver.insert("semanticVersion".into(), env!("CARGO_PKG_VERSION").into());
    if let Some(uri) = information_uri() {
        driver.insert("informationUri".into(), uri.into());
    }
    driver.insert("rules".into(), rules.into());

    let mut bases = Map::new();
    bases.insert(
        SOURCE_ROOT.into(),
        json!({"description": {"text": "The directory vrisk ran in: run it from the repository root."}}),
    );
    if report
        .non_passing()
        .flat_map(|f| &f.locations)
        .map(|l| &l.position)
        .chain(report.policies.iter().map(|p| &p.location))
        .any(|p| p.builtin)
    {
        bases.insert(
            BUILTIN_ROOT.into(),
            json!({
                "uri": BUILTIN_URI,
                "description": {"text": "The seeded registry and the shipped policies compiled into vrisk, not files of this repository."},
            }),
        );
    }

    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": bases,
            "invocations": [{
                // Failing findings are a successful run; only invalid input or a bug is not.
                "executionSuccessful": true,
                "exitCode": verdict.exit_code(),
            }],
            "results": results,
            "properties": {
                "org": report.org,
                "orgName": report.org_name,
                "asOf": report.as_of.to_string(),
            },
        }],
    })
}

/// The crate's homepage or repository, when Cargo.toml names one (an empty string would not be
/// a valid URI).
fn information_uri() -> Option<&'static str> {
    Some(env!("CARGO_PKG_HOMEPAGE"))
        .filter(|u| !u.is_empty())
        .or_else(super::repository)
}

fn rule(policy: &PolicyInfo) -> Value {
    let severity = policy.severity;
    let description = if policy.description.trim().is_empty() {
        &policy.title
    } else {
        &policy.description
    };
    let mut rule = json!({
        "id": policy.id,
        "name": pascal_case(&policy.id),
        "shortDescription": {"text": neutralise(&policy.title)},
        "fullDescription": {"text": neutralise(description.trim())},
        "help": help(policy),
        "defaultConfiguration": {"level": level(severity)},
        "properties": {
            // GitHub reads `security-severity` only for rules tagged `security`: it then shows
            // the alert as critical/high/medium/low instead of error/warning/note, and ranks by it.
            "tags": ["security", "vendor-risk", severity.name()],
            // A string holding a CVSS-like score.
            "security-severity": security_severity(severity),
        },
    });
    if let Some(url) = super::policy_help_url(policy) {
        rule["helpUri"] = url.into();
    }
    rule
}

fn help(policy: &PolicyInfo) -> Value {
    let (mut text, mut markdown) = (String::new(), String::new());
    let remediation = neutralise(policy.remediation.trim());
    let rationale = neutralise(policy.rationale.trim());
    if !remediation.is_empty() {
        let _ = write!(text, "Remediation: {remediation}\n\n");
        let _ = write!(markdown, "**Remediation.** {remediation}\n\n");
    }
    if !rationale.is_empty() {
        let _ = write!(text, "Rationale: {rationale}\n\n");
        let _ = write!(markdown, "**Rationale.** {rationale}\n\n");
    }
    if !policy.references.is_empty() {
        text.push_str("References:\n");
        markdown.push_str("**References**\n\n");
        for r in &policy.references {
            let r = neutralise(r);
            let _ = writeln!(text, "- {r}");
            let _ = writeln!(markdown, "- <{r}>");
        }
    }
    let (text, markdown) = (text.trim_end(), markdown.trim_end());
    if text.is_empty() {
        json!({"text": neutralise(&policy.title)})
    } else {
        json!({"text": text, "markdown": markdown})
    }
}

fn result(report: &Report, finding: &Finding, rule_index: Option<usize>) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), finding.policy.clone().into());
    if let Some(i) = rule_index {
        r.insert("ruleIndex".into(), i.into());
    }
    let (kind, level) = match finding.outcome {
        Outcome::Indeterminate => ("review", "none"),
        _ => ("fail", level(finding.severity)),
    };
    r.insert("kind".into(), kind.into());
    r.insert("level".into(), level.into());
    let primary = finding.primary_location();
    let related: Vec<&Location> = finding
        .locations
        .iter()
        .filter(|l| primary.is_none_or(|p| !std::ptr::eq(*l, p)))
        .collect();
    r.insert(
        "message".into(),
        json!({"text": message(finding, &related)}),
    );
    let location = match primary {
        Some(location) => Some(location_value(location, None)),
        // Code-scanning services drop results without a location; the policy that produced
        // the finding is the next best place to point at.
        None => report.policy(&finding.policy).map(|p| {
            let mut v = position_value(&p.location);
            v["message"] = json!({"text": "the policy"});
            v
        }),
    };
    if let Some(location) = location {
        r.insert("locations".into(), json!([location]));
    }
    if !related.is_empty() {
        let related: Vec<Value> = related
            .iter()
            .enumerate()
            .map(|(i, l)| location_value(l, Some(i + 1)))
            .collect();
        r.insert("relatedLocations".into(), related.into());
    }

    let hash = stable_hash(&finding.policy, &finding.fingerprint);
    r.insert(
        "partialFingerprints".into(),
        json!({GITHUB_FINGERPRINT_KEY: hash, FINGERPRINT_KEY: hash}),
    );
    if let Some(state) = finding.baseline {
        let name = match state {
            BaselineState::New => "new",
            BaselineState::Existing => "unchanged",
        };
        r.insert("baselineState".into(), name.into());
    }
    if finding.outcome == Outcome::Waived {
        let justification = finding.note.as_deref().map_or_else(
            || "waived in the policy configuration".to_string(),
            |note| neutralise(note).into_owned(),
        );
        r.insert(
            "suppressions".into(),
            json!([{"kind": "external", "status": "accepted", "justification": justification}]),
        );
    }
    r.insert(
        "properties".into(),
        json!({
            "vendor": finding.vendor,
            "vendorName": finding.vendor_name,
            "outcome": finding.outcome.name(),
            "severity": finding.severity.name(),
            "blocking": report.gate.blocks(finding),
        }),
    );
    Value::Object(r)
}

/// The finding's message, then its evidence, paths and note, one a line, then a link to each
/// related location (`[label](id)`, SARIF's embedded link, which GitHub shows as a link to the
/// place). Brackets of the text itself are escaped so that none reads as a link.
fn message(finding: &Finding, related: &[&Location]) -> String {
    let mut text = escape_message(finding.message.trim());
    for line in detail_lines(finding) {
        text.push('\n');
        text.push_str(&escape_message(&line));
    }
    for (i, location) in related.iter().enumerate() {
        let label = if location.label.is_empty() {
            location.position.to_string()
        } else {
            location.label.clone()
        };
        let _ = write!(
            text,
            "\n{}: [{}]({})",
            location.role,
            escape_message(&label),
            i + 1
        );
    }
    text
}

/// Plain message text, neutralised (one line of data stays one line), with `[` and `]` escaped
/// (SARIF §3.11.6), and a backslash escaped where it would otherwise escape a bracket that
/// follows it.
pub fn escape_message(text: &str) -> String {
    let text = neutralise(text);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\\' if matches!(chars.peek(), Some('[' | ']' | '\\')) => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}

fn location_value(location: &Location, id: Option<usize>) -> Value {
    let mut value = position_value(&location.position);
    if let Some(id) = id {
        value["id"] = id.into();
    }
    if !location.label.is_empty() {
        value["message"] = json!({"text": neutralise(&location.label)});
    }
    value
}

fn position_value(p: &Position) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": artifact_location(p),
            "region": region(p),
        },
    })
}

/// The file of a position: relative to `%SRCROOT%`, or to `VRISK_BUILTIN` for a copy compiled
/// into vrisk; an absolute path is a `file://` URI on its own.
fn artifact_location(p: &Position) -> Value {
    let uri = artifact_uri(&p.file);
    if p.builtin {
        json!({"uri": uri, "uriBaseId": BUILTIN_ROOT})
    } else if uri.starts_with("file:") {
        json!({"uri": uri})
    } else {
        json!({"uri": uri, "uriBaseId": SOURCE_ROOT})
    }
}

/// The span as a region: its start, and its end when it has one past the start.
fn region(p: &Position) -> Value {
    let (line, column) = (p.line.max(1), p.utf16_column.max(1));
    let mut region = json!({"startLine": line, "startColumn": column});
    if (p.end_line, p.end_utf16_column) > (line, column) {
        region["endLine"] = p.end_line.into();
        region["endColumn"] = p.end_utf16_column.max(1).into();
    }
    region
}

pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "note",
    }
}

pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// `no-competitor-owned-vendor` -> `NoCompetitorOwnedVendor`: SARIF wants a rule name that is
/// an identifier a person can read, distinct from the id.
pub fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// A file name as a URI reference: relative names stay relative (GitHub resolves them against
/// the repository root), absolute ones become `file://` URIs, and anything outside the URI
/// unreserved set is percent-encoded (`<embedded>/registry/x.yaml` included).
pub fn artifact_uri(file: &str) -> String {
    let mut path = file.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_string();
    }
    let bytes = path.as_bytes();
    let windows_drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    let (prefix, rest) = if path.starts_with('/') {
        ("file://", path.as_str())
    } else if windows_drive {
        // Keep the drive's colon literal: `file:///C:/...`.
        return format!("file:///{}:{}", &path[..1], percent_encode(&path[2..]));
    } else {
        ("", path.as_str())
    };
    format!("{prefix}{}", percent_encode(rest))
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// FNV-1a (64-bit) over the policy id and the finding's fingerprint, as 16 hex digits. Written
/// out rather than taken from std because `DefaultHasher` may change between Rust releases,
/// and this value must not: code-scanning services match alerts across runs by it.
pub fn stable_hash(policy: &str, fingerprint: &str) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    // The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
    for b in policy.bytes().chain([0]).chain(fingerprint.bytes()) {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(PRIME);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sample;

    #[test]
    fn fnv_matches_the_published_test_vectors() {
        // FNV-1a 64 of "a" is af63dc4c8601ec8c; with our NUL separator the input is "a\0".
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in b"a" {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        assert_eq!(format!("{hash:016x}"), "af63dc4c8601ec8c");
        assert_eq!(stable_hash("p", "f"), stable_hash("p", "f"));
        assert_ne!(stable_hash("ab", "c"), stable_hash("a", "bc"));
    }

    #[test]
    fn fingerprint_ignores_positions() {
        let a = sample::finding("p", "scale", Severity::High, Outcome::Fail);
        let mut b = a.clone();
        b.locations[0].position.line += 10;
        b.message = "reworded".to_string();
        let report = sample::report(vec![a.clone()]);
        let (ra, rb) = (result(&report, &a, Some(0)), result(&report, &b, Some(0)));
        assert_eq!(ra["partialFingerprints"], rb["partialFingerprints"]);
    }

    #[test]
    fn uris_are_relative_or_file_and_encoded() {
        assert_eq!(
            artifact_uri("registry/vendors.yaml"),
            "registry/vendors.yaml"
        );
        assert_eq!(artifact_uri("./registry\\a b.yaml"), "registry/a%20b.yaml");
        assert_eq!(artifact_uri("/tmp/r.yaml"), "file:///tmp/r.yaml");
        assert_eq!(artifact_uri("C:\\r\\x.yaml"), "file:///C:/r/x.yaml");
        assert_eq!(
            artifact_uri("<embedded>/registry/x.yaml"),
            "%3Cembedded%3E/registry/x.yaml"
        );
        assert_eq!(artifact_uri("dé.yaml"), "d%C3%A9.yaml");
        // A colon would otherwise read as a scheme.
        assert_eq!(artifact_uri("a:b.yaml"), "a%3Ab.yaml");
    }

    #[test]
    fn names_and_levels() {
        assert_eq!(
            pascal_case("no-competitor_owned.vendor"),
            "NoCompetitorOwnedVendor"
        );
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::Low), "warning");
        assert_eq!(level(Severity::Info), "note");
        assert_eq!(security_severity(Severity::Medium), "5.5");
    }

    #[test]
    fn indeterminate_is_a_review_with_level_none() {
        let f = sample::finding("p", "v", Severity::Critical, Outcome::Indeterminate);
        let report = sample::report(vec![f.clone()]);
        let r = result(&report, &f, Some(0));
        assert_eq!(
            (r["kind"].as_str(), r["level"].as_str()),
            (Some("review"), Some("none"))
        );
    }

    #[test]
    fn waived_results_are_suppressed_with_the_reason() {
        let mut f = sample::finding("p", "v", Severity::High, Outcome::Waived);
        f.note = Some("accepted by the CISO until 2026-01-01".to_string());
        let report = sample::report(vec![f.clone()]);
        let r = result(&report, &f, Some(0));
        assert_eq!(r["suppressions"][0]["kind"], "external");
        assert_eq!(
            r["suppressions"][0]["justification"],
            "accepted by the CISO until 2026-01-01"
        );
        assert_eq!(r["kind"], "fail");
    }
}
