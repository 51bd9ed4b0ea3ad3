//! Walk sums of a cross-holding by elimination without subtraction (the algorithm of Grassmann,
//! Taksar and Heyman).
//!
//! The walk sums of a cross-holding solve `x = b + F x`, `F` the stakes between its members. The
//! shares held in each member add up to at most 100%, so `I - F` is an M-matrix, and plain
//! Gaussian elimination computes each pivot as `1 - (what the cycle keeps)`: when a cycle keeps
//! all but 1e-12 of a company, that difference is mostly rounding noise, and the solve either
//! returns garbage or takes the system for singular. Here each pivot is instead the sum of what
//! leaks out of the remaining members (their *deficits*: the shares held by organisations
//! outside them, plus what no recorded owner holds) and the stakes to members not yet
//! eliminated; every step adds, multiplies or divides non-negative numbers, so no cancellation
//! occurs and the result is accurate to the precision of the inputs, however close the cycle
//! comes to keeping everything. A pivot is zero only when some members hold all of one another
//! exactly; walk sums into them then diverge (or are zero when nothing flows in).

/// Which sums of `F` the deficits complete to 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Deficits {
    /// `deficit[k] = 1 - Σ_j F[k][j]`: row `k` lists what flows into member `k` (forward walks,
    /// where a row holds the stakes in one member).
    Rows,
    /// `deficit[k] = 1 - Σ_i F[i][k]`: column `k` lists what flows out of member `k` (backward
    /// walks, where a column holds the stakes in one member).
    Columns,
}

/// Solves `x = b + F x` for its least non-negative solution, the walk sums. `f` is `m × m`,
/// row-major, non-negative, `f[r * m + c]` what flows from `c` into `r`; `deficits` are non-negative
/// and complete the rows or columns of `f` to 1 as `side` says. On success `b` holds the
/// solution; false means the walk sums diverge. `f` and `deficits` are used as working memory.
pub(crate) fn solve(
    m: usize,
    f: &mut [f64],
    b: &mut [f64],
    deficits: &mut [f64],
    side: Deficits,
) -> bool {
    debug_assert!(f.len() == m * m && b.len() == m && deficits.len() == m);
    for k in 0..m {
        let leaving: f64 = match side {
            Deficits::Rows => (k + 1..m).map(|j| f[k * m + j]).sum(),
            Deficits::Columns => (k + 1..m).map(|i| f[i * m + k]).sum(),
        };
        let pivot = deficits[k] + leaving;
        let deficit = deficits[k];
        // From here on `deficits[k]` holds the pivot, for the back substitution.
        deficits[k] = pivot;
        if pivot == 0.0 {
            // Member k is held wholly by itself: what flows in can never leave.
            if b[k] > 0.0 {
                return false;
            }
            continue;
        }
        for i in k + 1..m {
            let into = f[i * m + k];
            if into == 0.0 {
                continue;
            }
            let factor = into / pivot;
            for j in k + 1..m {
                f[i * m + j] += factor * f[k * m + j];
            }
            b[i] += factor * b[k];
            if side == Deficits::Rows {
                deficits[i] += factor * deficit;
            }
        }
        if side == Deficits::Columns && deficit > 0.0 {
            for j in k + 1..m {
                deficits[j] += f[k * m + j] * deficit / pivot;
            }
        }
    }
    for k in (0..m).rev() {
        let inflow = b[k] + (k + 1..m).map(|j| f[k * m + j] * b[j]).sum::<f64>();
        let pivot = deficits[k];
        b[k] = if pivot == 0.0 {
            if inflow > 0.0 {
                return false;
            }
            0.0
        } else {
            inflow / pivot
        };
        if !b[k].is_finite() {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A holds 100% of B; B holds `kept` of A; `outside` of A is held by an outside owner who
    /// feeds `inflow` into A.
    fn two_member_cycle(kept: f64, outside: f64, inflow: f64, side: Deficits) -> Option<Vec<f64>> {
        // Members: 0 = A, 1 = B. Forward rows: row A = [0, kept], row B = [1, 0].
        let mut f = match side {
            Deficits::Rows => vec![0.0, kept, 1.0, 0.0],
            Deficits::Columns => vec![0.0, 1.0, kept, 0.0],
        };
        let mut b = match side {
            Deficits::Rows => vec![inflow, 0.0],
            Deficits::Columns => vec![0.1, 0.0],
        };
        let mut deficits = vec![outside, 0.0];
        solve(2, &mut f, &mut b, &mut deficits, side).then_some(b)
    }

    #[test]
    fn a_cycle_keeping_all_but_a_trillionth_is_solved_accurately() {
        // The outside owner holds 1e-12 of A and the cycle the rest: it holds all of A.
        let x = two_member_cycle(1.0 - 1e-12, 1e-12, 1e-12, Deficits::Rows).expect("finite");
        assert!((x[0] - 1.0).abs() < 1e-3, "{x:?}");
        assert!((x[1] - 1.0).abs() < 1e-3, "{x:?}");
        // With a tenth of that stake, a tenth of A.
        let x = two_member_cycle(1.0 - 1e-12, 1e-12, 1e-13, Deficits::Rows).expect("finite");
        assert!((x[0] - 0.1).abs() < 1e-4, "{x:?}");
    }

    #[test]
    fn backward_walks_through_the_same_cycle() {
        // Walks from A (holding 10% of V) to V, round the cycle: 0.1 / 1e-12.
        let y = two_member_cycle(1.0 - 1e-12, 1e-12, 0.0, Deficits::Columns).expect("finite");
        assert!((y[0] * 1e-12 - 0.1).abs() < 1e-4, "{y:?}");
    }

    #[test]
    fn a_closed_cycle_diverges_only_when_something_flows_in() {
        assert_eq!(two_member_cycle(1.0, 0.0, 0.5, Deficits::Rows), None);
        assert_eq!(
            two_member_cycle(1.0, 0.0, 0.0, Deficits::Rows),
            Some(vec![0.0, 0.0])
        );
    }
}
