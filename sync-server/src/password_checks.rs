//! A bounded pool for password checks, apart from everything else.
//!
//! An argon2id check costs ~19 MiB and tens of milliseconds of one core.
//! Run on tokio's blocking pool (which also serves every database call),
//! a flood of logins with fresh user names grew the server by gigabytes
//! and starved the tablets' sync. Here a fixed number of threads of their
//! own ([`PasswordChecks::new`]) take checks from a queue of bounded
//! length, and look the user's hash up themselves, so an unauthenticated
//! login costs no thread of the shared blocking pool; when the queue is
//! full a login is refused at once with [`CheckError::Busy`] (the caller
//! answers 503 with `Retry-After`) instead of waiting or allocating.
//! Memory for hashing is thus at most `threads × 19 MiB`, and the other
//! threads never wait for it.

use crate::password;
use crate::store::{Store, StoreError};
use std::sync::{Arc, Mutex, mpsc};
use tokio::sync::oneshot;

/// Checks waiting beyond the ones running before logins are refused.
pub const QUEUE: usize = 16;

/// Why a password could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The pool is full: try again in a moment.
    #[error("too many logins are being checked; try again in a moment")]
    Busy,
    /// The user's hash could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

struct Check {
    user: String,
    password: String,
    reply: oneshot::Sender<Result<bool, StoreError>>,
}

/// The pool; cheap to clone.
#[derive(Clone)]
pub struct PasswordChecks {
    queue: mpsc::SyncSender<Check>,
}

impl std::fmt::Debug for PasswordChecks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordChecks").finish_non_exhaustive()
    }
}

impl PasswordChecks {
    /// A pool of `threads` checking threads (at least one) over `store`
    /// with a queue of `queue` waiting checks. The threads end when the
    /// last clone of the pool is dropped.
    pub fn new(store: &Store, threads: usize, queue: usize) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::sync_channel::<Check>(queue);
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..threads.max(1) {
            let rx = rx.clone();
            let store = store.clone();
            std::thread::Builder::new()
                .name(format!("password-{n}"))
                .spawn(move || {
                    loop {
                        let next = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        let Ok(check) = next else { return };
                        let answer = store
                            .supervisor_password(&check.user)
                            .map(|phc| password::verify_or_dummy(&check.password, phc.as_deref()));
                        let _ = check.reply.send(answer);
                    }
                })?;
        }
        Ok(Self { queue: tx })
    }

    /// A pool sized for this machine: half the cores (at least one), so
    /// sync and the database keep the rest. If no thread can be started,
    /// every check is refused as busy (and that is logged).
    pub fn for_this_machine(store: &Store) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new(store, (cores / 2).max(1), QUEUE).unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot start password checking threads; logins are refused");
            let (queue, _) = mpsc::sync_channel(0);
            Self { queue }
        })
    }

    /// Whether `password` is the supervisor `user`'s (an unknown user is
    /// checked against a dummy hash, so it costs the same and is false).
    /// [`CheckError::Busy`] at once when the queue is full.
    pub async fn verify(&self, user: String, password: String) -> Result<bool, CheckError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .try_send(Check {
                user,
                password,
                reply,
            })
            .map_err(|_| CheckError::Busy)?;
        // The threads only end with the pool, which `self` keeps alive.
        Ok(answer.await.map_err(|_| CheckError::Busy)??)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with(user: &str, password: &str) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let phc = password::hash(password).unwrap();
        store
            .add_supervisor(user, &phc, &["site-a".to_owned()])
            .unwrap();
        (dir, store)
    }

    #[tokio::test]
    async fn checks_a_supervisors_password() {
        let (_dir, store) = store_with("zhang", "richtig-123");
        let checks = PasswordChecks::new(&store, 1, 4).unwrap();
        let check = |u: &str, p: &str| checks.verify(u.into(), p.into());
        assert!(check("zhang", "richtig-123").await.unwrap());
        assert!(!check("zhang", "falsch").await.unwrap());
        assert!(!check("niemand", "richtig-123").await.unwrap());
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_instead_of_waiting() {
        let (_dir, store) = store_with("zhang", "pw");
        let checks = PasswordChecks::new(&store, 1, 2).unwrap();
        // One running, two waiting: every later check is refused.
        let attempts: Vec<_> = (0..12)
            .map(|_| {
                let checks = checks.clone();
                tokio::spawn(async move { checks.verify("zhang".into(), "x".into()).await })
            })
            .collect();
        let mut refused = 0;
        let mut checked = 0;
        for a in attempts {
            match a.await.unwrap() {
                Ok(false) => checked += 1,
                Err(CheckError::Busy) => refused += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!((1..=3).contains(&checked), "checked {checked}");
        assert_eq!(refused + checked, 12);
        // Once the queue drained, checks are taken again.
        assert!(checks.verify("zhang".into(), "pw".into()).await.unwrap());
    }
}
