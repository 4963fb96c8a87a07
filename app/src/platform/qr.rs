//! QR codes read from camera frames in wasm (the `rqrr` crate), for
//! browsers without `BarcodeDetector` (Chromium on Linux, many Android
//! builds; see [`crate::platform::camera`]). Pure: a frame's RGBA pixels
//! in, the texts of the codes found out.

/// The largest frame decoded, in pixels (1280×720); larger frames are
/// refused rather than decoded slowly.
pub const MAX_PIXELS: usize = 1280 * 720;

/// The texts of the QR codes in an RGBA frame of `width` × `height`
/// pixels (4 bytes each, as `getImageData` gives them); empty when there
/// is none, the frame is too large, or its bytes do not match its size.
pub fn decode_rgba(rgba: &[u8], width: usize, height: usize) -> Vec<String> {
    let Some(pixels) = width.checked_mul(height) else {
        return Vec::new();
    };
    if pixels == 0 || pixels > MAX_PIXELS || rgba.len() != pixels * 4 {
        return Vec::new();
    }
    decode_luma(width, height, |x, y| {
        let i = (y * width + x) * 4;
        luma(rgba[i], rgba[i + 1], rgba[i + 2])
    })
}

/// The texts of the QR codes in a greyscale image of `width` × `height`
/// whose pixel (x, y) is `pixel(x, y)`.
pub fn decode_luma(
    width: usize,
    height: usize,
    pixel: impl FnMut(usize, usize) -> u8,
) -> Vec<String> {
    if width.saturating_mul(height) > MAX_PIXELS {
        return Vec::new();
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, pixel);
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

/// ITU-R BT.601 luma of an sRGB pixel.
fn luma(r: u8, g: u8, b: u8) -> u8 {
    let y = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000;
    u8::try_from(y).unwrap_or(u8::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// `text` as a QR code drawn black on white at `scale` px a module
    /// with a quiet zone, in an RGBA frame of `width` × `height` with the
    /// code at (`left`, `top`).
    fn frame(
        text: &str,
        scale: usize,
        width: usize,
        height: usize,
        left: usize,
        top: usize,
    ) -> Vec<u8> {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let n = code.width();
        let modules = code.to_colors();
        let mut rgba = vec![0xee; width * height * 4];
        for y in 0..height {
            for x in 0..width {
                let (cx, cy) = (x.wrapping_sub(left) / scale, y.wrapping_sub(top) / scale);
                let dark = x >= left
                    && y >= top
                    && cx < n
                    && cy < n
                    && modules[cy * n + cx] == qrcode::Color::Dark;
                let v = if dark { 0x20 } else { 0xee };
                rgba[(y * width + x) * 4..][..4].copy_from_slice(&[v, v, v, 255]);
            }
        }
        rgba
    }

    #[test]
    fn a_printed_label_in_a_camera_frame_reads_back() {
        let label = shiftbook_model::checkpoints::label_text(
            &shiftbook_model::checkpoints::new_code([42; 16]),
        );
        let rgba = frame(&label, 6, 640, 480, 200, 120);
        assert_eq!(decode_rgba(&rgba, 640, 480), vec![label]);
    }

    #[test]
    fn nothing_is_read_from_a_blank_frame_or_from_bad_sizes() {
        assert!(decode_rgba(&vec![0xee; 64 * 48 * 4], 64, 48).is_empty());
        assert!(decode_rgba(&[0; 12], 2, 2).is_empty(), "bytes do not match");
        assert!(decode_rgba(&[], 0, 0).is_empty());
        assert!(decode_rgba(&[], usize::MAX, 2).is_empty());
        assert!(decode_luma(2000, 2000, |_, _| 0).is_empty(), "too large");
    }
}
