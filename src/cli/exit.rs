//! Exit codes, the same for every command.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Everything passed (or nothing failed at or above --fail-on).
    Ok = 0,
    /// Findings failed.
    Failed = 1,
    /// The input or the command line is invalid.
    Invalid = 2,
    /// vrisk itself went wrong: a bug.
    Internal = 3,
}

impl From<crate::engine::Verdict> for Exit {
    fn from(verdict: crate::engine::Verdict) -> Exit {
        match verdict {
            crate::engine::Verdict::Pass => Exit::Ok,
            crate::engine::Verdict::Fail => Exit::Failed,
        }
    }
}
