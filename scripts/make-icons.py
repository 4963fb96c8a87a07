#!/usr/bin/env python3
"""Draws the Shiftbook app icons (a white clipboard with check marks on blue)
into app/public/icons/ with nothing but the standard library.

The PNGs are committed; run this again only to change the design:
    python3 scripts/make-icons.py
"""
import math
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "app", "public", "icons")
BLUE = (0x0F, 0x5C, 0x6E)  # --brand in style/app.css
CLIP = (0xF2, 0xA9, 0x00)
WHITE = (0xFF, 0xFF, 0xFF)
LINE = (0x9F, 0xC4, 0xCC)
SS = 3  # supersampling per axis, for smooth edges


def rounded_rect(u, v, x0, y0, x1, y1, r):
    if not (x0 <= u <= x1 and y0 <= v <= y1):
        return False
    cx = min(max(u, x0 + r), x1 - r)
    cy = min(max(v, y0 + r), y1 - r)
    return (u - cx) ** 2 + (v - cy) ** 2 <= r * r


def segment(u, v, ax, ay, bx, by, w):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)))
    px, py = ax + t * dx, ay + t * dy
    return (u - px) ** 2 + (v - py) ** 2 <= (w / 2) ** 2


def glyph(u, v):
    """Colour of the clipboard glyph at (u, v) in [0,1]^2, or None."""
    if rounded_rect(u, v, 0.40, 0.17, 0.60, 0.27, 0.03):
        return CLIP
    if not rounded_rect(u, v, 0.27, 0.21, 0.73, 0.83, 0.05):
        return None
    for i in range(3):
        y = 0.40 + i * 0.14
        if segment(u, v, 0.34, y, 0.39, y + 0.04, 0.035) or segment(u, v, 0.39, y + 0.04, 0.46, y - 0.04, 0.035):
            return BLUE
        if segment(u, v, 0.52, y, 0.66, y, 0.03):
            return LINE
    return WHITE


def pixel(u, v, maskable):
    if maskable:
        # Full-bleed background; glyph shrunk into the 80% safe zone.
        g = glyph(0.5 + (u - 0.5) / 0.8, 0.5 + (v - 0.5) / 0.8)
        return (g or BLUE) + (255,)
    if not rounded_rect(u, v, 0.0, 0.0, 1.0, 1.0, 0.2):
        return (0, 0, 0, 0)
    return (glyph(u, v) or BLUE) + (255,)


def render(size, maskable):
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter: none
        for x in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(SS):
                for sx in range(SS):
                    p = pixel((x + (sx + 0.5) / SS) / size, (y + (sy + 0.5) / SS) / size, maskable)
                    a = p[3]
                    acc[0] += p[0] * a
                    acc[1] += p[1] * a
                    acc[2] += p[2] * a
                    acc[3] += a
            a = acc[3]
            if a:
                row += bytes((round(acc[0] / a), round(acc[1] / a), round(acc[2] / a), round(a / SS / SS)))
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(w, h, raw):
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("maskable-192.png", 192, True),
        ("maskable-512.png", 512, True),
        ("apple-touch-icon.png", 180, True),  # iOS rounds the corners itself
    ]:
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(render(size, maskable))
        print("wrote", name)


if __name__ == "__main__":
    main()
