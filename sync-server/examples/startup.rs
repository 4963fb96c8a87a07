//! How long a restart takes with many documents stored: fills a data
//! directory with `N` documents (default 10,000; a few changes each, owned
//! by one site), then starts the server on it and prints the time until it
//! listens and until `/healthz` answers. Nothing is scanned before
//! listening: documents load when first asked for.
//!
//! `cargo run --release -p sync-server --example startup [N]`

use anyhow::Context as _;
use automerge::transaction::Transactable as _;
use automerge::{ActorId, Automerge, ROOT};
use shiftbook_model::DocumentId;
use std::time::Instant;
use sync_server::doc_store::{DocStore, NewChange, WriteOp};
use sync_server::principal::Uploader;
use sync_server::{ServerConfig, Store};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()
        .context("N must be a number")?
        .unwrap_or(10_000);
    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path())?;
    let e = store.enroll("site-a", "site-a", "t1")?;
    let mut docs = DocStore::open(dir.path())?;
    let filled = Instant::now();
    let mut jobs = Vec::new();
    for i in 0..n {
        let id = DocumentId::from_random(*uuid_bytes(i));
        let mut doc = Automerge::new().with_actor(ActorId::from(vec![1; 16]));
        for k in 0..5 {
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, format!("k{k}"), i as i64)?;
                Ok(())
            })
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
        let changes = doc
            .get_changes(&[])
            .into_iter()
            .map(|c| NewChange {
                hash: c.hash(),
                bytes: c.raw_bytes().to_vec(),
                genesis: false,
                by: Uploader::Device {
                    id: e.device.id,
                    name: e.device.name.clone(),
                },
                at_ms: 0,
            })
            .collect();
        jobs.push((
            id,
            WriteOp::Persist {
                changes,
                claim_for: Some("site-a".into()),
            },
        ));
        if jobs.len() == 1_000 {
            docs.commit(&jobs)?;
            jobs.clear();
        }
    }
    docs.commit(&jobs)?;
    drop((docs, store));
    let db = std::fs::metadata(dir.path().join(sync_server::store::DB_FILE))?.len();
    println!(
        "filled {n} documents in {:.1} s ({:.1} MiB database)",
        filled.elapsed().as_secs_f64(),
        db as f64 / 1_048_576.0
    );

    let started = Instant::now();
    let config = ServerConfig::new(
        "127.0.0.1:0".parse()?,
        dir.path().to_owned(),
        dir.path().join("no-app"),
    );
    let server = sync_server::serve(config).await?;
    let listening = started.elapsed();
    let mut socket = tokio::net::TcpStream::connect(server.local_addr()).await?;
    socket
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await?;
    let mut answer = String::new();
    socket.read_to_string(&mut answer).await?;
    let healthy = started.elapsed();
    anyhow::ensure!(answer.starts_with("HTTP/1.1 200"), "healthz: {answer}");
    println!(
        "restart with {n} documents: listening after {:.0} ms, /healthz 200 after {:.0} ms",
        listening.as_secs_f64() * 1e3,
        healthy.as_secs_f64() * 1e3
    );
    server.shutdown().await?;
    Ok(())
}

/// 16 distinct bytes for document `i`.
fn uuid_bytes(i: usize) -> Box<[u8; 16]> {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&(i as u64).to_le_bytes());
    b[8..].copy_from_slice(&(i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
    Box::new(b)
}
