//! A global allocator for `fuzz-run` that turns a memory bomb into a
//! finding: an input that makes the code under test ask for more than a
//! cap (one allocation, or all live allocations together) has its bytes
//! written to `target/fuzz-crashes/<target>/oom-<pid>.bin` before the
//! allocation fails and the process aborts.
//!
//! Without it a bomb shows up as the machine swapping, then as the kernel
//! killing the run — with no input to reproduce it (this is how one in
//! `Automerge::load` was seen and lost). The engine records which input
//! each thread is running ([`crate::engine::running_input`]); the
//! allocator reads it only when the cap is crossed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The system allocator with a cap on one allocation and on all live
/// allocations together.
pub struct CappedAlloc {
    /// The largest single allocation allowed, in bytes.
    pub max_one: usize,
    /// The most bytes live at once, in bytes.
    pub max_live: usize,
    live: AtomicUsize,
    tripped: AtomicBool,
}

impl CappedAlloc {
    /// A cap of `max_one` bytes per allocation and `max_live` in all.
    pub const fn new(max_one: usize, max_live: usize) -> Self {
        Self {
            max_one,
            max_live,
            live: AtomicUsize::new(0),
            tripped: AtomicBool::new(false),
        }
    }

    /// Whether an allocation of `one` bytes, adding `added` to what is
    /// live, crosses a cap (then the running input is saved, once).
    fn over(&self, one: usize, added: usize) -> bool {
        let live = self.live.load(Ordering::Relaxed);
        if one <= self.max_one && live.saturating_add(added) <= self.max_live {
            return false;
        }
        if !self.tripped.swap(true, Ordering::Relaxed) {
            // Saving allocates a little, below the caps: only the
            // allocation that crossed one is refused.
            crate::engine::report_memory_bomb(one, live);
        }
        true
    }
}

// SAFETY: every method forwards to `System` with the caller's layout, and
// only adds bookkeeping (an atomic counter) and, once, a refusal (null),
// which `GlobalAlloc` allows. `alloc_zeroed` is the trait's own (through
// `alloc`, so it is counted too).
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for CappedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if self.over(layout.size(), layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded as received.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            self.live.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as received.
        unsafe { System.dealloc(ptr, layout) };
        self.live.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let grow = new_size.saturating_sub(layout.size());
        if grow > 0 && self.over(new_size, grow) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded as received.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                self.live
                    .fetch_add(new_size - layout.size(), Ordering::Relaxed);
            } else {
                self.live
                    .fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    #![allow(unsafe_code)]

    use super::*;

    #[test]
    fn allocations_beyond_a_cap_are_refused_and_the_rest_counted() {
        let cap = CappedAlloc::new(1024, 4096);
        let small = Layout::from_size_align(512, 8).unwrap_or_else(|e| panic!("{e}"));
        // SAFETY: every pointer is freed with the layout it was made with.
        unsafe {
            let a = cap.alloc(small);
            assert!(!a.is_null());
            assert_eq!(cap.live.load(Ordering::Relaxed), 512);
            let z = cap.alloc_zeroed(small);
            assert!(!z.is_null());
            assert_eq!(cap.live.load(Ordering::Relaxed), 1024);
            let big = Layout::from_size_align(2048, 8).unwrap_or_else(|e| panic!("{e}"));
            assert!(cap.alloc(big).is_null(), "one allocation beyond 1024");
            assert!(cap.realloc(a, small, 2048).is_null(), "growing beyond 1024");
            let a = cap.realloc(a, small, 256);
            assert!(!a.is_null());
            assert_eq!(cap.live.load(Ordering::Relaxed), 768);
            cap.dealloc(
                a,
                Layout::from_size_align(256, 8).unwrap_or_else(|e| panic!("{e}")),
            );
            cap.dealloc(z, small);
            assert_eq!(cap.live.load(Ordering::Relaxed), 0);
        }
    }
}
