//! Acknowledged means durable, against the real binary: `kill -9` in a
//! loop while tablets write, and a disk that fills up. Every change any
//! tablet saw acknowledged (confirmed) must be in the server's database
//! the moment the process is dead, and after every restart.
//!
//! Build the binary first: `cargo build -p sync-server`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use automerge::transaction::Transactable as _;
use automerge::{Automerge, ChangeHash, ROOT, ReadDoc};
use shiftbook_model::DocumentId;
use shiftbook_model::client::SyncClient;
use shiftbook_tests::native_tablet::NativeTablet;
use shiftbook_tests::server_process::{ServerProcess, enroll, http_get};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use sync_server::doc_store::DocStore;

const WAIT: Duration = Duration::from_secs(20);

/// What the server's database holds of `id` right now (read while the
/// server runs or after it died: WAL readers see every committed write).
fn stored(data: &Path, id: &DocumentId) -> Automerge {
    DocStore::open(data).unwrap().load(id).unwrap().doc
}

/// The heads `client` holds confirmed for `id` that `doc` lacks.
fn lost(client: &SyncClient, id: &DocumentId, doc: &Automerge) -> Vec<ChangeHash> {
    client
        .confirmed_heads(id)
        .into_iter()
        .filter(|h| doc.get_change_by_hash(h).is_none())
        .collect()
}

fn put(tablet: &NativeTablet, id: DocumentId, key: &str, value: &str) {
    tablet
        .change(id, |d| {
            d.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, key, value)?;
                Ok(())
            })
            .unwrap();
        })
        .unwrap();
}

fn new_doc(key: &str) -> Automerge {
    let mut d = Automerge::new();
    d.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, key, "start")?;
        Ok(())
    })
    .unwrap();
    d
}

/// A tiny deterministic generator (xorshift), for reproducible timing.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_changes_survive_kill_9_at_any_moment_while_tablets_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = ServerProcess::start(dir.path()).await.unwrap();
    let names = ["k1", "k2", "k3", "k4"];
    let tokens: Vec<String> = names
        .iter()
        .map(|n| enroll(dir.path(), "site-a", n).unwrap())
        .collect();
    let shared = DocumentId::from_random([1; 16]);
    let own: Vec<DocumentId> = (0..names.len())
        .map(|n| DocumentId::from_random([10 + n as u8; 16]))
        .collect();
    let mut tablets = Vec::new();
    for (n, token) in tokens.iter().enumerate() {
        let t = NativeTablet::connect_ready(server.addr(), token, WAIT)
            .await
            .unwrap();
        t.insert(own[n], new_doc(names[n])).unwrap();
        if n == 0 {
            t.insert(shared, new_doc("shared")).unwrap();
            t.wait_confirmed(shared, WAIT).await.unwrap();
        } else {
            t.want(shared);
        }
        tablets.push(t);
    }
    for (n, t) in tablets.iter().enumerate() {
        t.wait_confirmed(own[n], WAIT).await.unwrap();
        t.wait_until("the shared document", WAIT, |c| {
            c.doc(&shared).is_some_and(|d| !d.get_heads().is_empty())
        })
        .await
        .unwrap();
    }

    let mut rng = Rng(0x5eed_cafe);
    let mut acknowledged = 0usize;
    let mut killed_mid_write = 0usize;
    for round in 0..8 {
        // Everyone writes a burst; the server dies somewhere in it.
        for (n, t) in tablets.iter().enumerate() {
            for i in 0..25 {
                put(t, own[n], &format!("r{round}-{i}"), "x");
                if i % 5 == 0 {
                    put(t, shared, &format!("{}-r{round}-{i}", names[n]), "y");
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(rng.below(120))).await;
        server.kill().unwrap();
        // The process is dead: whatever a tablet holds confirmed must be
        // on disk now.
        let mut clients = Vec::new();
        for (n, t) in tablets.drain(..).enumerate() {
            let client = t.into_client();
            if client.total_unconfirmed() > 0 {
                killed_mid_write += 1;
            }
            for id in [own[n], shared] {
                let on_disk = stored(dir.path(), &id);
                let missing = lost(&client, &id, &on_disk);
                assert!(
                    missing.is_empty(),
                    "round {round}: {} saw {missing:?} of {id} acknowledged, not on disk",
                    names[n]
                );
                acknowledged += client.confirmed_heads(&id).len();
            }
            clients.push(client);
        }
        server.restart().await.unwrap();
        for (n, client) in clients.into_iter().enumerate() {
            let t = NativeTablet::reconnect(server.addr(), &tokens[n], client)
                .await
                .unwrap();
            t.wait_connected(WAIT).await.unwrap();
            tablets.push(t);
        }
    }
    // After the last restart everything converges: every change of every
    // tablet is confirmed and stored, nothing was lost on the way.
    for (n, t) in tablets.iter().enumerate() {
        t.wait_confirmed(own[n], WAIT).await.unwrap();
        t.wait_confirmed(shared, WAIT).await.unwrap();
        let on_disk = stored(dir.path(), &own[n]);
        assert_eq!(on_disk.get_heads(), t.doc(own[n]).unwrap().get_heads());
    }
    let shared_disk = stored(dir.path(), &shared);
    for t in &tablets {
        let mine = t.doc(shared).unwrap();
        for c in mine.get_changes(&[]) {
            assert!(shared_disk.get_change_by_hash(&c.hash()).is_some());
        }
    }
    assert!(acknowledged > 0);
    assert!(
        killed_mid_write > 0,
        "the server never died with writes in flight; the test proved nothing"
    );
}

/// A small tmpfs mounted for the test, unmounted when dropped (also when
/// the test fails).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Self> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Self(dir.to_owned()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// 48 KiB that do not compress.
fn noise(seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    (0..48 * 1024)
        .map(|_| char::from(b'a' + rng.below(26) as u8))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_stops_confirming_and_loses_nothing_it_confirmed() {
    let mount_point = tempfile::tempdir().unwrap();
    let Some(_tmpfs) = Tmpfs::mount(mount_point.path(), "8m") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must be able to mount a tmpfs (root)"
        );
        eprintln!("skipping: cannot mount a tmpfs here (not root?)");
        return;
    };
    let data = mount_point.path().join("data");
    std::fs::create_dir(&data).unwrap();
    // Room the test frees once the disk is full.
    let ballast = mount_point.path().join("ballast");
    std::fs::write(&ballast, vec![7u8; 2 * 1024 * 1024]).unwrap();
    let mut server = ServerProcess::start(&data).await.unwrap();
    let token = enroll(&data, "site-a", "t1").unwrap();
    let tablet = NativeTablet::connect_ready(server.addr(), &token, WAIT)
        .await
        .unwrap();
    let id = DocumentId::from_random([2; 16]);
    tablet.insert(id, new_doc("start")).unwrap();
    tablet.wait_confirmed(id, WAIT).await.unwrap();

    // Write until the server stops confirming.
    let mut written = 0;
    let full = loop {
        assert!(written < 400, "the disk never filled");
        put(&tablet, id, &format!("n{written}"), &noise(written));
        written += 1;
        let confirmed = tablet.wait_confirmed(id, Duration::from_secs(4)).await;
        if confirmed.is_err() {
            break written;
        }
    };
    // It says so: /healthz fails, the log names the write failure.
    let deadline = Instant::now() + WAIT;
    let (status, body) = loop {
        let (status, body) = http_get(server.addr(), "/healthz", None).await.unwrap();
        if status == 503 || Instant::now() > deadline {
            break (status, body);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("storage"), "{body}");
    assert!(
        server
            .output()
            .contains("committing document writes failed"),
        "{}",
        server.output()
    );
    // What the tablet saw confirmed is on disk; what it did not is still
    // unconfirmed on the tablet (and kept there).
    let confirmed_before = tablet.with_client(|c| c.confirmed_heads(&id));
    let on_disk = stored(&data, &id);
    assert!(tablet.with_client(|c| lost(c, &id, &on_disk)).is_empty());
    assert!(tablet.with_client(|c| c.unconfirmed(&id)) > 0);

    // Space comes back: the server writes again by itself and confirms
    // the rest; then a hard restart loses nothing.
    std::fs::remove_file(&ballast).unwrap();
    tablet.wait_confirmed(id, WAIT).await.unwrap();
    let (status, _) = http_get(server.addr(), "/healthz", None).await.unwrap();
    assert_eq!(status, 200);
    let heads = tablet.doc(id).unwrap().get_heads();
    let client = tablet.into_client();
    server.kill().unwrap();
    server.restart().await.unwrap();
    let after = stored(&data, &id);
    assert_eq!(after.get_heads(), heads);
    for h in confirmed_before {
        assert!(after.get_change_by_hash(&h).is_some());
    }
    let fresh = NativeTablet::connect_ready(server.addr(), &token, WAIT)
        .await
        .unwrap();
    fresh.want(id);
    fresh
        .wait_until("the document after the restart", WAIT, |c| {
            c.doc(&id).is_some_and(|d| d.get_heads() == heads)
        })
        .await
        .unwrap();
    drop(client);
    eprintln!("the disk filled after {full} changes of 48 KiB");
}
