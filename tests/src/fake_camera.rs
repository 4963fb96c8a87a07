//! What Chromium's fake camera shows in tests: a printed checkpoint label
//! (its QR code, black on white paper) as a one-frame Y4M video, which
//! `--use-file-for-fake-video-capture` loops.

use std::io::Write;
use std::path::Path;

/// Frame size.
const WIDTH: usize = 640;
const HEIGHT: usize = 480;
/// Pixels per QR module.
const SCALE: usize = 8;

/// Write `text` as a QR code in the middle of a 640×480 one-frame Y4M
/// video at `path`. Chromium reads the file each time the camera starts,
/// so a test points the camera at another label by writing it again.
pub fn qr_video(text: &str, path: &Path) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let luma = frame(text)?;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(file, "YUV4MPEG2 W{WIDTH} H{HEIGHT} F30:1 Ip A1:1 C420jpeg")?;
    file.write_all(b"FRAME\n")?;
    file.write_all(&luma)?;
    // Grey: no colour.
    file.write_all(&vec![128u8; WIDTH * HEIGHT / 2])?;
    file.flush()?;
    Ok(())
}

/// The luma plane of a frame showing `text` as a QR code.
fn frame(text: &str) -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
    let code = qrcode::QrCode::new(text.as_bytes())?;
    let n = code.width();
    let colors = code.to_colors();
    let side = n * SCALE;
    if side > HEIGHT {
        return Err(format!("a QR code of {n} modules does not fit the frame").into());
    }
    let (left, top) = ((WIDTH - side) / 2, (HEIGHT - side) / 2);
    let mut luma = vec![235u8; WIDTH * HEIGHT];
    for y in 0..side {
        for x in 0..side {
            if colors[(y / SCALE) * n + x / SCALE] == qrcode::Color::Dark {
                luma[(top + y) * WIDTH + left + x] = 16;
            }
        }
    }
    Ok(luma)
}
