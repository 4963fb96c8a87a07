//! One sorting routine for all of the model's and the app's lists.
//!
//! `slice::sort_by` is generic over the element and the comparison, so every
//! call site gets its own copy of the standard library's sort (driftsort and
//! its helpers, 4–6 KB of wasm each). These functions sort positions
//! instead — one `usize` sort behind a `dyn` comparison, compiled once —
//! and then move the elements into that order, which is a few instructions
//! per type. The sort is stable, like `sort_by`. Moving the model's 30 sort
//! calls here made the app's wasm 56 KB (1.5 %) smaller, which the browser
//! no longer has to compile; brotli squeezes such copies so well that the
//! download shrank by under 1 KB.
//!
//! Lists here are small (a day's records, at most thousands): the extra
//! vector of positions costs nothing a user could notice.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`, like `slice::sort_by`.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = {
        let slice = items.as_slice();
        stable_order(slice.len(), &|a, b| compare(&slice[a], &slice[b]))
    };
    put_in_order(items, order);
}

/// Sorts `items` stably by the key `key` gives, like `slice::sort_by_key`
/// (the key is computed once per element, like `sort_by_cached_key`).
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    if items.len() < 2 {
        return;
    }
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = stable_order(keys.len(), &|a, b| keys[a].cmp(&keys[b]));
    put_in_order(items, order);
}

/// Sorts `items` in ascending order, like `slice::sort`.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

/// Moves `items` into `order` (a permutation of their positions).
fn put_in_order<T>(items: &mut Vec<T>, order: Vec<usize>) {
    let mut taken: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|at| taken[at].take()));
}

/// The positions `0..len` in the stable order `compare` gives: the one
/// instance of the standard library's sort behind every function above.
fn stable_order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equal_elements_keep_their_order() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        sort_by(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(v, [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c')];
        sort_by_key(&mut v, |p| std::cmp::Reverse(p.0));
        assert_eq!(v, [(2, 'a'), (2, 'c'), (1, 'b')]);
    }

    #[test]
    fn elements_that_own_memory_are_moved_not_lost() {
        let mut v: Vec<String> = ["pear", "apple", "fig"].map(String::from).to_vec();
        sort(&mut v);
        assert_eq!(v, ["apple", "fig", "pear"]);
        let mut empty: Vec<String> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }

    proptest! {
        #[test]
        fn the_same_order_as_the_standard_librarys_stable_sort(
            v in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)
        ) {
            let mut expected = v.clone();
            expected.sort_by_key(|a| a.0);
            let mut by = v.clone();
            sort_by(&mut by, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(&by, &expected);
            let mut by_key = v.clone();
            sort_by_key(&mut by_key, |p| p.0);
            prop_assert_eq!(&by_key, &expected);
            let mut all = v.clone();
            sort(&mut all);
            let mut std_all = v;
            std_all.sort();
            prop_assert_eq!(all, std_all);
        }
    }
}
