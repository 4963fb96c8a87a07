#!/usr/bin/env bash
# scripts/precompress.sh DIR (run by scripts/build-app.sh after
# sw-precache.sh): writes a brotli (`.br`, quality 11) and a gzip (`.gz`, -9)
# sibling of every text and wasm file in DIR. The server sends a sibling, with its
# Content-Encoding, to a client that accepts it (sync-server/src/assets.rs):
# the wasm is about a quarter of its size as brotli. Nothing is compressed
# on the fly.
set -euo pipefail
dir=${1:?usage: precompress.sh DIR}
command -v brotli >/dev/null || { echo "precompress: brotli not found (scripts/setup.sh installs it)" >&2; exit 1; }
cd "$dir"
n=0
while IFS= read -r -d '' f; do
    gzip -9 -n -k -f -- "$f"
    brotli -q 11 -k -f -- "$f"
    n=$((n + 1))
done < <(find . -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \
    -o -name '*.json' -o -name '*.webmanifest' -o -name '*.svg' \) -print0)
echo "precompress: $n files, each with .br and .gz" >&2
