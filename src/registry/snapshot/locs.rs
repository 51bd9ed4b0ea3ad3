//! Every position a registry item holds, visited in place: a snapshot stores each file id
//! relative to its own list of files, and a load moves them to where the files land in the
//! run's source map (checking that each names a file the snapshot has).

use crate::input::diagnostic::Problem;
use crate::input::source::Loc;
use crate::registry::model::*;

/// An item whose positions can be visited.
pub(super) trait Locs {
    fn locs(&mut self, f: &mut dyn FnMut(&mut Loc));
}

impl<T: Locs> Locs for Vec<T> {
    fn locs(&mut self, f: &mut dyn FnMut(&mut Loc)) {
        for item in self {
            item.locs(f);
        }
    }
}

impl<T: Locs> Locs for Option<T> {
    fn locs(&mut self, f: &mut dyn FnMut(&mut Loc)) {
        if let Some(item) = self {
            item.locs(f);
        }
    }
}

impl Locs for Loc {
    fn locs(&mut self, f: &mut dyn FnMut(&mut Loc)) {
        f(self);
    }
}

impl Locs for Ref {
    fn locs(&mut self, f: &mut dyn FnMut(&mut Loc)) {
        f(&mut self.loc);
        self.alias.locs(f);
    }
}

impl<T> Locs for At<T> {
    fn locs(&mut self, f: &mut dyn FnMut(&mut Loc)) {
        f(&mut self.loc);
    }
}

impl Locs for Problem {
    fn locs(&mut self, f: &mut dyn FnMut(&mut Loc)) {
        for (loc, _) in &mut self.labels {
            f(loc);
        }
    }
}

/// `Locs` for a struct: the fields listed hold positions (directly or inside).
macro_rules! locs_of {
    ($type:ty: $($field:ident),+) => {
        impl Locs for $type {
            fn locs(&mut self, f: &mut dyn FnMut(&mut Loc)) {
                $(self.$field.locs(f);)+
            }
        }
    };
}

locs_of!(Source: id, loc);
locs_of!(YearAmount: source, loc);
locs_of!(DatedAmount: source, loc);
locs_of!(Organisation: id, revenue, valuation, source, loc);
locs_of!(ShareField: loc);
locs_of!(Stake: owner, owned, economic, voting, start, end, source, loc);
locs_of!(Competitor: of, competitor, source, loc);
locs_of!(Spend: source, loc);
locs_of!(Attestation: source, loc);
locs_of!(Contract: start, end, loc);
locs_of!(
    VendorRelationship: customer,
    vendor,
    spend,
    status,
    last_review,
    contract,
    attestations,
    source,
    loc
);
locs_of!(Role: person, org, start, end, source, loc);
locs_of!(Move: person, from, to, date, source, loc);
