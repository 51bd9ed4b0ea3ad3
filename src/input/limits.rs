//! Safety limits on input size and shape; each one is documented in the README and can be raised
//! from the command line (`--max-...`).
//!
//! A limit exists so that a hostile or broken input (a billion-laughs document, a 10,000-deep
//! nesting, a 100 MB file, a million-character id) is rejected quickly with a located
//! `limits::...` problem instead of exhausting memory, time or the stack. The defaults are far
//! above any real registry; raise them for trusted inputs that need more.

use std::path::Path;

use crate::input::diagnostic::Problem;
use crate::input::source::{Loc, SourceFile, SourceMap, Span};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file read, in bytes.
    pub max_file_bytes: u64,
    /// Deepest nesting of YAML collections.
    pub max_depth: usize,
    /// Most YAML nodes (scalars and collections) in one file.
    pub max_nodes: usize,
    /// Most alias (`*name`) uses in one file.
    pub max_aliases: usize,
    /// Most nodes that alias uses may expand to in one file (a billion-laughs document uses
    /// few aliases that expand exponentially).
    pub max_alias_expansion: usize,
    /// Longest string (a value or a key), in bytes.
    pub max_string_bytes: usize,
    /// Most organisations in one registry (all files together).
    pub max_organisations: usize,
    /// Most stakes in one registry (all files together).
    pub max_stakes: usize,
    /// Most policy files in one run.
    pub max_policies: usize,
    /// Most collection elements one (policy, vendor relationship) evaluation visits.
    pub max_element_visits: u64,
    /// Most nodes in the evaluation tree of one (policy, vendor relationship).
    pub max_trace_nodes: u64,
}

/// The deepest nesting `--max-depth` accepts: the loader and the schema validator recurse once
/// per level, so a deeper limit could overflow the stack instead of failing cleanly.
pub const DEPTH_CEILING: usize = 1_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1024 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 100_000_000,
            max_aliases: 1_000,
            max_alias_expansion: 100_000,
            max_string_bytes: 64 * 1024,
            max_organisations: 5_000_000,
            max_stakes: 20_000_000,
            max_policies: 1_000,
            max_element_visits: 5_000_000,
            max_trace_nodes: 5_000_000,
        }
    }
}

/// One limit: its problem code, its flag and what it counts, for uniform messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    FileBytes,
    Depth,
    Nodes,
    Aliases,
    AliasExpansion,
    StringBytes,
    Organisations,
    Stakes,
    Policies,
    ElementVisits,
    TraceNodes,
}

impl Limit {
    pub fn code(self) -> &'static str {
        match self {
            Limit::FileBytes => "limits::file-size",
            Limit::Depth => "limits::depth",
            Limit::Nodes => "limits::nodes",
            Limit::Aliases => "limits::aliases",
            Limit::AliasExpansion => "limits::alias-expansion",
            Limit::StringBytes => "limits::string-length",
            Limit::Organisations => "limits::organisations",
            Limit::Stakes => "limits::stakes",
            Limit::Policies => "limits::policies",
            Limit::ElementVisits => "limits::element-visits",
            Limit::TraceNodes => "limits::trace-nodes",
        }
    }

    pub fn flag(self) -> &'static str {
        match self {
            Limit::FileBytes => "--max-file-bytes",
            Limit::Depth => "--max-depth",
            Limit::Nodes => "--max-nodes",
            Limit::Aliases => "--max-aliases",
            Limit::AliasExpansion => "--max-alias-expansion",
            Limit::StringBytes => "--max-string-bytes",
            Limit::Organisations => "--max-organisations",
            Limit::Stakes => "--max-stakes",
            Limit::Policies => "--max-policies",
            Limit::ElementVisits => "--max-element-visits",
            Limit::TraceNodes => "--max-trace-nodes",
        }
    }

    /// What the limit counts, for "over the limit of N ...".
    /// `n` of what this limit counts, in the right number: `1 byte`, `64 levels of nesting`.
    pub fn amount(self, n: u64) -> String {
        let (one, many) = match self {
            Limit::FileBytes | Limit::StringBytes => ("byte", "bytes"),
            Limit::Depth => ("level of nesting", "levels of nesting"),
            Limit::Nodes => ("YAML node", "YAML nodes"),
            Limit::Aliases => ("alias use", "alias uses"),
            Limit::AliasExpansion => ("node expanded from aliases", "nodes expanded from aliases"),
            Limit::Organisations => ("organisation", "organisations"),
            Limit::Stakes => ("stake", "stakes"),
            Limit::Policies => ("policy file", "policy files"),
            Limit::ElementVisits => ("element visit", "element visits"),
            Limit::TraceNodes => ("evaluation node", "evaluation nodes"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }

    pub fn unit(self) -> &'static str {
        match self {
            Limit::FileBytes | Limit::StringBytes => "bytes",
            Limit::Depth => "levels of nesting",
            Limit::Nodes => "YAML nodes",
            Limit::Aliases => "alias uses",
            Limit::AliasExpansion => "nodes expanded from aliases",
            Limit::Organisations => "organisations",
            Limit::Stakes => "stakes",
            Limit::Policies => "policy files",
            Limit::ElementVisits => "element visits",
            Limit::TraceNodes => "evaluation nodes",
        }
    }

    pub fn value(self, limits: &Limits) -> u64 {
        let n = match self {
            Limit::FileBytes => return limits.max_file_bytes,
            Limit::ElementVisits => return limits.max_element_visits,
            Limit::TraceNodes => return limits.max_trace_nodes,
            Limit::Depth => limits.max_depth,
            Limit::Nodes => limits.max_nodes,
            Limit::Aliases => limits.max_aliases,
            Limit::AliasExpansion => limits.max_alias_expansion,
            Limit::StringBytes => limits.max_string_bytes,
            Limit::Organisations => limits.max_organisations,
            Limit::Stakes => limits.max_stakes,
            Limit::Policies => limits.max_policies,
        };
        u64::try_from(n).unwrap_or(u64::MAX)
    }

    /// The problem for an input over this limit: `what` says what went over
    /// (`"registry/big.yaml is 104857600 bytes"`).
    pub fn problem(self, limits: &Limits, what: impl std::fmt::Display) -> Problem {
        Problem::new(
            self.code(),
            format!(
                "{what}, over the limit of {}",
                self.amount(self.value(limits))
            ),
        )
        .with_help(format!(
            "split or simplify the input, or raise the limit with {} N if the input is trusted",
            self.flag()
        ))
    }

    /// [`Limit::problem`], located at `loc`.
    pub fn exceeded(self, limits: &Limits, what: impl std::fmt::Display, loc: Loc) -> Problem {
        self.problem(limits, what).at(loc, "limit exceeded here")
    }
}

/// The problem for more input files than `limit` allows, located at the start of the first file
/// over the limit. That file is not read (it is added to `sources` empty, for the location).
pub fn too_many_files(
    limit: Limit,
    limits: &Limits,
    first_over: &Path,
    count: usize,
    sources: &mut SourceMap,
) -> Problem {
    let display = first_over.display().to_string();
    let file = sources.add(SourceFile::new(display, Some(first_over.to_path_buf()), ""));
    limit.exceeded(
        limits,
        format!(
            "{} {} given",
            limit.amount(u64::try_from(count).unwrap_or(u64::MAX)),
            if count == 1 { "is" } else { "are" }
        ),
        Loc {
            file,
            span: Span::new(0, 0),
        },
    )
}

/// Stack of the thread that runs a command. Loading, schema validation and condition checking
/// recurse once per level of nesting, and a debug build spends tens of kilobytes a level: 256 MiB
/// (reserved, not committed) covers the deepest nesting the limits accept
/// ([`DEPTH_CEILING`]) with room to spare, where the 8 MiB main thread would
/// overflow, which aborts the process instead of failing cleanly. Rayon's workers and the
/// registry loader's reader thread, which parse and validate too, get the same.
pub const STACK_BYTES: usize = 256 * 1024 * 1024;
