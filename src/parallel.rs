//! Parallel maps that fail the way a sequential loop would.
//!
//! Architecture invariant: when several items fail, the error returned is the one of the
//! first failing item in input order, never whichever thread happened to finish first, so
//! bad input gets the same message on every run. Rayon's own `collect::<Result<…>>` returns
//! an arbitrary one of the errors.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

/// Maps `items` with `f` in parallel and returns the results in order, or the error of the
/// first item (in order) that failed. Once an item fails, later items are skipped; earlier
/// ones still run, since one of them may fail too and must win.
pub fn try_map<T, R, E>(
    items: &[T],
    f: impl Fn(&T) -> Result<R, E> + Sync + Send,
) -> Result<Vec<R>, E>
where
    T: Sync,
    R: Send,
    E: Send,
{
    let first_failure = AtomicUsize::new(usize::MAX);
    let results: Vec<Option<Result<R, E>>> = items
        .par_iter()
        .enumerate()
        .map(|(i, item)| {
            if i > first_failure.load(Ordering::Relaxed) {
                return None;
            }
            let result = f(item);
            if result.is_err() {
                first_failure.fetch_min(i, Ordering::Relaxed);
            }
            Some(result)
        })
        .collect();
    // `first_failure` only decreases, so every item before the final one ran: the first
    // `Err` in order comes before any skipped item, and the sequential collect stops there.
    results
        .into_iter()
        .map(|r| r.expect("items are skipped only after an earlier item failed"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u32> = (0..10_000).collect();
        let doubled = try_map(&items, |n| Ok::<_, ()>(n * 2)).unwrap();
        assert_eq!(doubled, items.iter().map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn the_first_failing_item_in_order_wins_whatever_finishes_first() {
        // Later items fail fast, the first failing one slowly: a race would pick a later one.
        let items: Vec<u32> = (0..2_000).collect();
        for _ in 0..20 {
            let error = try_map(&items, |&n| {
                if n == 100 {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                if n >= 100 && n % 7 == 2 {
                    Err(n)
                } else {
                    Ok(n)
                }
            })
            .unwrap_err();
            assert_eq!(error, 100);
        }
    }

    #[test]
    fn no_items_is_no_error() {
        assert_eq!(try_map(&[] as &[u8], |_| Err::<u8, _>(())), Ok(vec![]));
    }
}
