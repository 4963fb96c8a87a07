//! `automerge-floor`: what automerge 0.12 itself costs a server per
//! change, with no sockets, storage or hub around it — the floor under the
//! server's "CPU per change" in `loadgen burst`.
//!
//! ```text
//! cargo run --release -p shiftbook-bench --bin automerge-floor [-- --peers 5 --changes 400 --history 100]
//! ```
//!
//! A document with `--history` changes is in sync with `--peers` tablets.
//! Round-robin, one tablet changes one key; the server receives and
//! applies the change, answers every tablet (the writer's acknowledgement
//! and the relay to the others), receives each tablet's reply and answers
//! it — the exchanges the hub does for one change, in memory. It prints
//! the microseconds of each step and their total per change.

use anyhow::{Context as _, bail};
use automerge::sync::{Message, State, SyncDoc as _};
use automerge::transaction::Transactable as _;
use automerge::{Automerge, ROOT};
use std::time::{Duration, Instant};

struct Tablet {
    doc: Automerge,
    /// The tablet's sync state with the server.
    state: State,
    /// The server's sync state with the tablet.
    server_state: State,
}

/// A message as it crosses the wire.
fn wire(m: Message) -> anyhow::Result<Message> {
    Message::decode(&m.encode()).context("a message automerge wrote does not decode")
}

/// Sync `t` with `server` until neither has anything to say.
fn settle(server: &mut Automerge, t: &mut Tablet) -> anyhow::Result<()> {
    for _ in 0..32 {
        let mut moved = false;
        if let Some(m) = server.generate_sync_message(&mut t.server_state) {
            t.doc.receive_sync_message(&mut t.state, wire(m)?)?;
            moved = true;
        }
        if let Some(m) = t.doc.generate_sync_message(&mut t.state) {
            server.receive_sync_message(&mut t.server_state, wire(m)?)?;
            moved = true;
        }
        if !moved {
            return Ok(());
        }
    }
    bail!("sync did not settle")
}

fn arg(args: &[String], name: &str, default: usize) -> anyhow::Result<usize> {
    match args.iter().position(|a| a == name) {
        Some(i) => args
            .get(i + 1)
            .with_context(|| format!("{name} needs a number"))?
            .parse()
            .with_context(|| format!("{name} needs a number")),
        None => Ok(default),
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let peers = arg(&args, "--peers", 5)?.max(1);
    let changes = arg(&args, "--changes", 400)?.max(1);
    let history = arg(&args, "--history", 100)?;
    let mut server = Automerge::new();
    for i in 0..history {
        let mut tx = server.transaction();
        tx.put(ROOT, format!("k{}", i % 20), i as i64)?;
        tx.commit();
    }
    let mut tablets = Vec::with_capacity(peers);
    for _ in 0..peers {
        let mut t = Tablet {
            doc: server.fork(),
            state: State::new(),
            server_state: State::new(),
        };
        settle(&mut server, &mut t)?;
        tablets.push(t);
    }
    let (mut apply, mut answer, mut reply) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let (mut answers, mut replies) = (0_u64, 0_u64);
    for round in 0..changes {
        let writer = round % peers;
        let message = {
            let t = &mut tablets[writer];
            let mut tx = t.doc.transaction();
            tx.put(ROOT, format!("k{}", round % 20), round as i64)?;
            tx.commit();
            let m = t.doc.generate_sync_message(&mut t.state);
            wire(m.context("a changed tablet has nothing to send")?)?
        };
        let t0 = Instant::now();
        server.receive_sync_message(&mut tablets[writer].server_state, message)?;
        apply += t0.elapsed();
        for t in &mut tablets {
            let t0 = Instant::now();
            let out = server.generate_sync_message(&mut t.server_state);
            answer += t0.elapsed();
            answers += 1;
            let Some(out) = out else { continue };
            t.doc.receive_sync_message(&mut t.state, wire(out)?)?;
            let Some(back) = t.doc.generate_sync_message(&mut t.state) else {
                continue;
            };
            let back = wire(back)?;
            let t0 = Instant::now();
            server.receive_sync_message(&mut t.server_state, back)?;
            reply += t0.elapsed();
            replies += 1;
            let t0 = Instant::now();
            let _ = server.generate_sync_message(&mut t.server_state);
            answer += t0.elapsed();
            answers += 1;
        }
    }
    let per = |d: Duration, n: u64| d.as_secs_f64() * 1e6 / n.max(1) as f64;
    let n = changes as u64;
    println!(
        "automerge 0.12, {peers} tablets in sync, a document of {history} changes, {changes} changes relayed"
    );
    println!(
        "  receive + apply the change:      {:7.1} µs",
        per(apply, n)
    );
    println!(
        "  generate an answer:              {:7.1} µs × {:.1} per change",
        per(answer, answers),
        answers as f64 / n as f64
    );
    println!(
        "  receive a tablet's reply:        {:7.1} µs × {:.1} per change",
        per(reply, replies),
        replies as f64 / n as f64
    );
    println!(
        "  automerge on the server, per change: {:.1} µs",
        per(apply + answer + reply, n)
    );
    Ok(())
}
