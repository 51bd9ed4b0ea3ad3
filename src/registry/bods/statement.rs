//! What vrisk keeps of one BODS statement, whatever the version it came in: a party (an entity
//! or a person) or a relationship, with the positions diagnostics need. Only this is kept of a
//! statement's JSON value, so a large file is never held twice.

use crate::input::source::Loc;
use crate::registry::model::{At, Identifier, OrgKind, Ref, ShareField};
use crate::value::date::Date;

/// One statement about a record, with what is needed to pick the latest statement of it.
#[derive(Clone, Debug)]
pub struct Stated<T> {
    /// The record id (0.4) or the statement id (0.3), as written, and where.
    pub key: At<String>,
    pub date: StatementDate,
    /// `recordStatus: closed` (0.4): the record ends on the statement's date.
    pub closed: bool,
    /// Where the statement starts.
    pub loc: Loc,
    /// Statements this one replaces (0.3 `replacesStatements`).
    pub replaces: Vec<Ref>,
    pub body: T,
}

/// Everything about a statement but its body.
pub struct Header {
    pub key: At<String>,
    pub date: StatementDate,
    pub closed: bool,
    pub loc: Loc,
    pub replaces: Vec<Ref>,
}

impl Header {
    pub fn with<T>(self, body: T) -> Stated<T> {
        Stated {
            key: self.key,
            date: self.date,
            closed: self.closed,
            loc: self.loc,
            replaces: self.replaces,
            body,
        }
    }
}

/// A statement date, ordered: a date-time orders after the bare date of the same day, and a
/// statement without a date orders before every dated one.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct StatementDate {
    pub date: Option<Date>,
    /// What follows the date in a date-time (`T16:30:23Z`), compared as text.
    pub time: Box<str>,
}

/// An entity or a person.
#[derive(Clone, Debug)]
pub struct Party {
    pub name: Option<String>,
    pub aliases: Vec<String>,
    pub kind: OrgKind,
    /// Set for anonymous and unknown entities and persons: why they are not named.
    pub unspecified: Option<Anonymity>,
    pub identifiers: Vec<Identifier>,
    pub country: Option<String>,
}

/// Why a party is not named: `anonymousPerson`, `unknownEntity` ... and the stated reason.
#[derive(Clone, Debug)]
pub struct Anonymity {
    pub what: &'static str,
    pub reason: Option<String>,
}

/// Interests an interested party holds in a subject.
#[derive(Clone, Debug)]
pub struct Relationship {
    pub subject: PartyRef,
    pub interested: PartyRef,
    pub interests: Vec<Interest>,
}

/// The subject or the interested party of a relationship.
#[derive(Clone, Debug)]
pub enum PartyRef {
    /// A record (0.4 record id, 0.3 statement id).
    Record(Ref),
    /// Not disclosed: an unspecified record object with its reason code.
    Unspecified { reason: Option<String>, loc: Loc },
}

/// What vrisk distinguishes among BODS interest types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InterestKind {
    /// `shareholding`: the economic share.
    Shareholding,
    /// `votingRights`: the voting share.
    VotingRights,
    /// `appointmentOfBoard`: the right to appoint the board, which vrisk calls board control.
    BoardAppointment,
    /// Every other type, and an interest with no type: states no share.
    Other,
}

#[derive(Clone, Debug)]
pub struct Interest {
    pub kind: InterestKind,
    /// The share stated, if any.
    pub share: Option<ShareField>,
    /// `directOrIndirect: indirect`: a declared indirect interest.
    pub indirect: bool,
    pub start: Option<At<Date>>,
    /// BODS `endDate`: the date from which the interest ceased to exist.
    pub end: Option<At<Date>>,
    pub loc: Loc,
}
