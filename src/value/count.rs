//! A number of things, with the noun in the number it takes: `1 organisation`, `3 stakes`,
//! `1 policy`, `2 policies`. Every count a person reads goes through [`count`], so that no
//! message says "1 competitors".

/// `n` and the noun (given in the singular), in the right number: `count(1, "policy")` is
/// `1 policy`, `count(2, "policy")` is `2 policies`. Only the last word of the noun changes:
/// `count(2, "vendor relationship")` is `2 vendor relationships`.
pub fn count(n: usize, singular: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {}", plural(singular))
    }
}

/// The English plural of a regular noun: `-y` after a consonant becomes `-ies`, a hissing end
/// takes `-es`, anything else `-s`.
pub fn plural(singular: &str) -> String {
    let consonant_y = singular.ends_with('y')
        && !singular
            .chars()
            .rev()
            .nth(1)
            .is_some_and(|c| "aeiou".contains(c));
    if consonant_y {
        format!("{}ies", &singular[..singular.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|end| singular.ends_with(end))
    {
        format!("{singular}es")
    } else {
        format!("{singular}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_noun_in_their_number() {
        assert_eq!(count(0, "competitor"), "0 competitors");
        assert_eq!(count(1, "competitor"), "1 competitor");
        assert_eq!(count(2, "vendor relationship"), "2 vendor relationships");
        assert_eq!(count(1, "policy"), "1 policy");
        assert_eq!(count(7, "policy"), "7 policies");
        assert_eq!(count(2, "day"), "2 days");
        assert_eq!(count(3, "match"), "3 matches");
        assert_eq!(count(2, "bracket"), "2 brackets");
    }
}
