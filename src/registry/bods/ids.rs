//! vrisk ids for BODS records. A record id that already has vrisk's id syntax
//! (`^[a-z0-9][a-z0-9._-]*$`) is kept as it is; any other gets a slug derived from it, the same
//! slug for the same input in every run.

use foldhash::HashSet;
use std::borrow::Cow;

/// Whether `id` has vrisk's id syntax.
pub fn is_valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'0'..=b'9'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'))
}

/// Lower case; every character outside `[a-z0-9._-]` becomes `-`. A slug that would not start
/// with a letter or digit gets the prefix `bods-`.
pub fn slug(original: &str) -> String {
    let mut out: String = original
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '.' | '_' | '-' => c,
            _ => '-',
        })
        .collect();
    if !is_valid_id(&out) {
        out.insert_str(0, "bods-");
    }
    out
}

/// Hands out ids that no other record of the run has. Ids that are valid as written are
/// reserved first, so that a derived slug never takes the id another record states outright.
pub struct Ids<'a> {
    /// The ids valid as written, until the first id is derived.
    reserved: Vec<&'a str>,
    /// Every id taken, once one is derived: most files need no derived id, and then the ids
    /// valid as written are never hashed.
    taken: Option<HashSet<Cow<'a, str>>>,
}

impl<'a> Ids<'a> {
    /// Reserves the ids valid as written.
    pub fn new(reserved: impl Iterator<Item = &'a str>) -> Self {
        Ids {
            reserved: reserved.collect(),
            taken: None,
        }
    }

    /// A free id derived from `wanted`: the slug itself, else the slug with `-2`, `-3`, ...
    pub fn derive(&mut self, wanted: &str) -> String {
        let reserved = &mut self.reserved;
        let taken = self
            .taken
            .get_or_insert_with(|| reserved.drain(..).map(Cow::Borrowed).collect());
        let base = slug(wanted);
        if !taken.contains(base.as_str()) {
            taken.insert(Cow::Owned(base.clone()));
            return base;
        }
        let mut n = 2u64;
        loop {
            let candidate = format!("{base}-{n}");
            if !taken.contains(candidate.as_str()) {
                taken.insert(Cow::Owned(candidate.clone()));
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_ids_are_kept_and_others_slugged() {
        assert!(is_valid_id("ent-93c75c87ab28f889"));
        assert!(!is_valid_id("018AF6B3EB"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id(""));
        assert_eq!(slug("018AF6B3EB"), "018af6b3eb");
        assert_eq!(slug("GB COH/123"), "gb-coh-123");
        assert_eq!(slug("_x"), "bods-_x");
        assert_eq!(slug("-x"), "bods--x");
        assert_eq!(slug(""), "bods-");
        assert_eq!(slug("Ärger"), "bods--rger");
    }

    #[test]
    fn collisions_get_numbered_suffixes() {
        let mut ids = Ids::new(["abc"].into_iter());
        assert_eq!(ids.derive("ABC"), "abc-2");
        assert_eq!(ids.derive("Abc"), "abc-3");
        assert_eq!(ids.derive("XYZ"), "xyz");
    }
}
