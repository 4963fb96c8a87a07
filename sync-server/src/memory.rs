//! Giving memory back to the operating system once the server has less to
//! hold.
//!
//! glibc's malloc keeps the pages that documents and connections freed in
//! its per-thread arenas: after the morning burst the server's resident
//! size stays at its peak although the documents left memory. Once fewer
//! documents are loaded or fewer tablets connected than before,
//! [`give_back`] returns the free pages (`malloc_trim`, which walks every
//! arena). On other C libraries it does nothing.
//!
//! [`configure`] fixes glibc's mmap threshold at start. Left dynamic,
//! glibc raises it to the largest block freed so far: after one argon2id
//! check (19 MiB) every thread's arena kept up to twice that in free
//! memory, and a login flood left the server 160 MiB larger. Fixed, big
//! blocks are mapped and unmapped on their own and arenas trim their top
//! above 128 KiB again.

/// Blocks at least this large get their own mapping.
pub const MMAP_THRESHOLD: usize = 1 << 20;

/// Set the allocator up for a long-running server; call once at start,
/// before threads are started.
pub fn configure() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` with a documented parameter only changes glibc's
    // allocation policy; it takes no pointers.
    #[allow(unsafe_code)]
    unsafe {
        let threshold = libc::c_int::try_from(MMAP_THRESHOLD).unwrap_or(libc::c_int::MAX);
        libc::mallopt(libc::M_MMAP_THRESHOLD, threshold);
    }
}

/// Return free heap pages to the operating system. Takes a few
/// milliseconds with a large heap: call it off the async workers.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases free memory of glibc's own
    // arenas; it takes no pointers and is safe to call from any thread.
    #[allow(unsafe_code)]
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Whether there is less to hold than at the last look, so freed memory is
/// worth giving back.
#[derive(Debug, Default)]
pub struct Shrinking {
    last: Option<(usize, usize)>,
}

impl Shrinking {
    /// Look at how many documents are loaded and connections open now;
    /// true when either went down since the last look.
    pub fn less_than_before(&mut self, loaded: usize, connections: usize) -> bool {
        let shrank = self
            .last
            .is_some_and(|(l, c)| loaded < l || connections < c);
        self.last = Some((loaded, connections));
        shrank
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_drop_since_the_last_look_counts() {
        let mut s = Shrinking::default();
        assert!(
            !s.less_than_before(10, 5),
            "the first look has nothing to compare"
        );
        assert!(!s.less_than_before(12, 5));
        assert!(s.less_than_before(3, 5), "documents unloaded");
        assert!(!s.less_than_before(3, 5), "nothing changed since");
        assert!(s.less_than_before(3, 1), "tablets left");
        assert!(!s.less_than_before(4, 2));
    }

    #[test]
    fn giving_back_keeps_live_memory_intact() {
        let kept: Vec<u8> = (0..=255).cycle().take(1 << 20).collect();
        drop((0..64).map(|_| vec![7u8; 64 << 10]).collect::<Vec<_>>());
        give_back();
        assert!(kept.iter().enumerate().all(|(i, b)| *b == (i % 256) as u8));
    }
}
