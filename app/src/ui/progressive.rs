//! Long lists open with a screenful and grow to the rest frame by frame: a
//! day of 256 visitors or 480 duty-log entries shows its first rows at
//! once, and the others are added [`BATCH`] at a time after each paint, so
//! opening the screen does not wait for cards nobody sees yet. The rows are
//! keyed, so growing adds cards and never rebuilds the ones shown.

use leptos::prelude::*;
use std::time::Duration;

/// Rows shown at once: more than a screen holds at 1280×800 or 800×1280.
pub const FIRST: usize = 40;
/// Rows added after each paint.
pub const BATCH: usize = 80;

/// How many of `len` rows to show, `limit` allowing.
pub fn shown(len: usize, limit: usize) -> usize {
    len.min(limit)
}

/// The first rows of `all`, growing by [`BATCH`] per frame until every row
/// is there.
pub fn progressive<T>(all: Memo<Vec<T>>) -> Memo<Vec<T>>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let limit = RwSignal::new(FIRST);
    Effect::new(move |_| {
        if all.with(Vec::len) > limit.get() {
            request_animation_frame(move || {
                set_timeout(
                    move || {
                        limit.try_update(|l| *l += BATCH);
                    },
                    Duration::ZERO,
                );
            });
        }
    });
    Memo::new(move |_| all.with(|a| a[..shown(a.len(), limit.get())].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_list_shows_whole_and_a_long_one_its_first_rows() {
        assert_eq!(shown(12, FIRST), 12);
        assert_eq!(shown(256, FIRST), FIRST);
        assert_eq!(shown(256, FIRST + 3 * BATCH), 256);
    }
}
