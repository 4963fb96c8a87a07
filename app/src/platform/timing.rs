//! User Timing measures (`performance.measure`) of the app's own work, for
//! DevTools' Performance panel and the speed benchmark (which collects
//! them with a `PerformanceObserver`). Entries are cleared from the page's
//! buffer as soon as they are made, so a tablet open all day keeps none.

use std::cell::Cell;

thread_local! {
    static NEXT: Cell<u64> = const { Cell::new(0) };
}

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

/// A start mark.
pub struct Timing {
    mark: String,
}

impl Timing {
    /// Mark now.
    pub fn start() -> Self {
        let n = NEXT.with(|c| {
            let n = c.get();
            c.set(n.wrapping_add(1));
            n
        });
        let mark = format!("shiftbook:mark#{n}");
        if let Some(p) = performance() {
            let _ = p.mark(&mark);
        }
        Self { mark }
    }

    /// A measure `name` from the start mark to now.
    pub fn measure(&self, name: &str) {
        if let Some(p) = performance() {
            let _ = p.measure_with_start_mark(name, &self.mark);
            p.clear_measures_with_measure_name(name);
        }
    }
}

impl Drop for Timing {
    fn drop(&mut self) {
        if let Some(p) = performance() {
            p.clear_marks_with_mark_name(&self.mark);
        }
    }
}
