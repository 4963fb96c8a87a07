//! A day of photos taken offline, then uploaded on reconnect (issue 17,
//! "Benchmark: 50 photos queued during a day offline uploaded on
//! reconnect"): a benchmark that prints figures, not a test.
//!
//! ```text
//! cargo build -p sync-server
//! cargo run --release -p shiftbook-tests --bin photo_upload -- [--photos N] [--size WxH] [--uplink-mbit M]
//! ```
//!
//! It needs the built app (`app/dist`, `scripts/build-app.sh`), the server
//! binary and Chromium + chromedriver (`scripts/setup.sh`).
//!
//! In headless Chromium against the real server: a lobby tablet signs in,
//! the server is stopped and the page cut off the network, an item of the
//! lobby round is marked ×, and `--photos` photos (default 50) are taken on
//! it through the camera's file input, one after the other. Each source is
//! a different camera-sized picture (`--size`, default 2400×1800: smooth
//! light with grain, so JPEG works as hard as on a real photo), written as
//! a BMP. Printed: how long each took from the file to its thumbnail (the
//! tablet decodes, resizes, stamps, encodes, hashes, stores, names it in
//! the record), the kept photos' sizes, then, after the server is back and
//! the page online (over loopback, or with `--uplink-mbit` a link of that
//! many Mbit/s up, 4× down and 60 ms latency: a site's 4G hotspot), how long
//! until the badge stops counting unsent photos and the bytes that took.

use std::time::{Duration, Instant};

use shiftbook_tests::browser::{Browser, BrowserResult, require_chromium};
use shiftbook_tests::e2e::{
    LOAD, STAFF, enrol, enroll_all, item, mark_abnormal_with_note, serve_app, sign_in, wait_badge,
};

#[derive(Debug, Clone, Copy)]
struct Options {
    photos: usize,
    width: u32,
    height: u32,
    /// The page's uplink in Mbit/s once back online; 0: not limited.
    uplink_mbit: f64,
}

fn parse_args() -> BrowserResult<Options> {
    let mut o = Options {
        photos: 50,
        width: 2400,
        height: 1800,
        uplink_mbit: 0.0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next().ok_or(format!("{a} needs a value"))?;
        match a.as_str() {
            "--photos" => o.photos = value.parse().map_err(|_| "--photos N")?,
            "--size" => {
                let (w, h) = value.split_once('x').ok_or("--size WxH")?;
                o.width = w.parse().map_err(|_| "--size WxH")?;
                o.height = h.parse().map_err(|_| "--size WxH")?;
            }
            "--uplink-mbit" => {
                o.uplink_mbit = value.parse().map_err(|_| "--uplink-mbit M")?;
            }
            _ => return Err(format!("unknown option {a}").into()),
        }
    }
    if o.photos == 0 || o.width < 16 || o.height < 16 {
        return Err("at least one photo of at least 16×16".into());
    }
    Ok(o)
}

/// Picture `n` as a 24-bit BMP: light across the frame, a shape that moves
/// with `n`, and grain, so no two are alike and none is trivially small.
fn picture(n: u32, width: u32, height: u32) -> Vec<u8> {
    let row = (width * 3).div_ceil(4) * 4;
    let size = 54 + row * height;
    let mut out = Vec::with_capacity(size as usize);
    out.extend_from_slice(b"BM");
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&54u32.to_le_bytes());
    out.extend_from_slice(&40u32.to_le_bytes());
    out.extend_from_slice(&width.to_le_bytes());
    out.extend_from_slice(&height.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&24u16.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(row * height).to_le_bytes());
    out.extend_from_slice(&[0; 16]);
    let mut seed = 0x9e37_79b9_u32 ^ n.wrapping_mul(0x85eb_ca6b);
    let (cx, cy) = ((n * 97 % width) as i64, (n * 61 % height) as i64);
    let radius = i64::from(width.min(height) / 5);
    for y in 0..height {
        for x in 0..width {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let grain = (seed % 13) as i64 - 6;
            let (dx, dy) = (i64::from(x) - cx, i64::from(y) - cy);
            let inside = dx * dx + dy * dy < radius * radius;
            let base_r = i64::from(x * 200 / width) + 30;
            let base_g = i64::from(y * 180 / height) + 40;
            let base_b = if inside {
                220
            } else {
                90 + i64::from((x + y) % 64)
            };
            for v in [base_b, base_g, base_r] {
                out.push((v + grain).clamp(0, 255) as u8);
            }
        }
        out.extend(std::iter::repeat_n(0, (row - width * 3) as usize));
    }
    out
}

/// The photos the page's IndexedDB keeps: (count, bytes, unsent count).
async fn kept(b: &Browser) -> BrowserResult<(u64, u64, u64)> {
    let v = b
        .eval(
            "return (async () => {
               const ask = (r) => new Promise((ok, no) => { r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
               const db = await ask(indexedDB.open('shiftbook'));
               try {
                 const all = await ask(db.transaction('blobs').objectStore('blobs').getAll());
                 return [all.length, all.reduce((s, b) => s + b.bytes.length, 0), all.filter(b => !b.sent).length];
               } finally { db.close(); }
             })();",
        )
        .await?;
    let n = |i: usize| v[i].as_u64().unwrap_or(0);
    Ok((n(0), n(1), n(2)))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn run(o: Options) -> BrowserResult<()> {
    let data = tempfile::tempdir()?;
    let sources = tempfile::tempdir()?;
    let [token] = enroll_all(data.path(), ["大堂平板1"])?;
    let mut server = serve_app(data.path()).await?;
    let base = server.base_url();
    println!(
        "photo_upload: {} photos from {}×{} pictures; server {base}",
        o.photos, o.width, o.height
    );
    let t = Browser::tablet("photo-upload").await?;
    enrol(&t, &base, &token).await?;
    sign_in(&t, &STAFF).await?;
    wait_badge(&t, "synced", LOAD).await?;

    // A day offline: the × and its photos.
    server.kill()?;
    t.set_offline(true).await?;
    wait_badge(&t, "offline", LOAD).await?;
    mark_abnormal_with_note(&t, "lifts", "2号梯轿厢内壁破损").await?;
    let input = format!("{} [data-testid=photo-input]", item("lifts"));
    let mut took = Vec::with_capacity(o.photos);
    for n in 0..o.photos {
        let path = sources.path().join(format!("photo-{n}.bmp"));
        std::fs::write(&path, picture(n as u32, o.width, o.height))?;
        let start = Instant::now();
        t.find(&input)
            .await?
            .send_keys(&path.canonicalize()?.display().to_string())
            .await
            .map_err(|e| format!("photo input: {e}"))?;
        t.wait_until(
            &format!(
                "document.querySelectorAll(\"{} .photo-thumb\").length === {}",
                item("lifts"),
                n + 1
            ),
            Duration::from_secs(60),
        )
        .await?;
        took.push(start.elapsed().as_secs_f64() * 1000.0);
        std::fs::remove_file(&path)?;
    }
    let (count, bytes, unsent) = kept(&t).await?;
    took.sort_by(f64::total_cmp);
    println!("\n== Taken offline ==");
    println!(
        "  file → thumbnail: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms ({} photos)",
        percentile(&took, 0.5),
        percentile(&took, 0.95),
        percentile(&took, 1.0),
        took.len()
    );
    println!(
        "  kept: {count} photos, {unsent} unsent, {:.1} MB, {:.0} KB each on average",
        bytes as f64 / 1e6,
        bytes as f64 / 1024.0 / count.max(1) as f64
    );

    // Back online: how long until the server has every photo.
    let start = Instant::now();
    server.restart().await?;
    t.set_offline(false).await?;
    let link = if o.uplink_mbit > 0.0 {
        let up = o.uplink_mbit * 1e6 / 8.0;
        t.cdp(
            "Network.emulateNetworkConditions",
            serde_json::json!({
                "offline": false,
                "latency": 60,
                "downloadThroughput": up * 4.0,
                "uploadThroughput": up,
            }),
        )
        .await?;
        format!("{} Mbit/s up, 60 ms", o.uplink_mbit)
    } else {
        "loopback".to_owned()
    };
    wait_badge(&t, "synced", Duration::from_secs(120)).await?;
    let synced = start.elapsed();
    t.wait_until(
        "document.querySelector('[data-testid=unsent-photos]') === null",
        Duration::from_secs(600),
    )
    .await?;
    let uploaded = start.elapsed();
    let (_, _, unsent_after) = kept(&t).await?;
    println!("\n== Reconnect ==");
    println!(
        "  records synced after {:.2} s; every photo on the server after {:.2} s ({unsent_after} unsent left)",
        synced.as_secs_f64(),
        uploaded.as_secs_f64()
    );
    println!(
        "  {:.1} MB of photo bytes: {:.2} MB/s, {:.1} photos/s (one tablet, {link}, 2 at a time)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / uploaded.as_secs_f64(),
        count as f64 / uploaded.as_secs_f64()
    );
    t.close().await?;
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::process::ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("photo_upload: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    if !require_chromium("photo_upload") {
        return std::process::ExitCode::FAILURE;
    }
    match run(options).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("photo_upload failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
