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
// which `GlobalAlloc` allows.
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

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if self.over(layout.size(), layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded as received.
        let p = unsafe { System.alloc_zeroed(layout) };
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
