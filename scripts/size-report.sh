#!/usr/bin/env bash
# Prints what a tablet downloads to start the app (the files app/dist/index.html
# loads: stylesheet, JS module, wasm) raw, gzip -9 and brotli -q 11 — the
# siblings scripts/precompress.sh wrote and the server sends — and fails when
# their brotli total exceeds the limit.
#
#   scripts/size-report.sh [DIST]        DIST defaults to app/dist
#   SIZE_LIMIT_BR=<bytes>                the limit (default below)
#
# The limit is a ratchet: today's size plus a little, lowered whenever the
# bundle shrinks, so that no change makes it grow unnoticed. Issue 16's target
# is 450 KB (460,800 bytes); see README.md, Limits.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dist=${1:-app/dist}
limit=${SIZE_LIMIT_BR:-204200}

index="$dist/index.html"
[[ -f $index ]] || { echo "size-report: $index not found (build the app first: scripts/build-app.sh)" >&2; exit 1; }

# The files the page itself loads: <link rel=stylesheet|modulepreload|preload href=/…>.
mapfile -t files < <(grep -o '<link [^>]*rel="\(stylesheet\|modulepreload\|preload\)"[^>]*>' "$index" \
    | sed -n 's/.* href="\/\([^"]*\)".*/\1/p' | sort -u)
[[ ${#files[@]} -gt 0 ]] || { echo "size-report: $index loads no stylesheet, module or wasm" >&2; exit 1; }

size() { if [[ -f $1 ]]; then stat -c %s "$1"; else echo missing; fi; }
total_raw=0 total_gz=0 total_br=0
printf '%-44s %10s %10s %10s\n' "tablet start bundle" raw gzip brotli
for f in "${files[@]}"; do
    raw=$(size "$dist/$f") gz=$(size "$dist/$f.gz") br=$(size "$dist/$f.br")
    for s in "$raw" "$gz" "$br"; do
        [[ $s != missing ]] || { echo "size-report: $dist/$f or its .gz/.br sibling is missing" >&2; exit 1; }
    done
    printf '%-44s %10d %10d %10d\n' "$f" "$raw" "$gz" "$br"
    total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
done
printf '%-44s %10d %10d %10d\n' total "$total_raw" "$total_gz" "$total_br"
awk -v b="$total_br" -v l="$limit" 'BEGIN { printf "brotli total %d bytes (%.1f KB) of a %d-byte limit; target 460800 (450 KB)\n", b, b / 1024, l }'
if (( total_br > limit )); then
    echo "size-report: the start bundle grew past its limit: $total_br > $limit bytes brotli" >&2
    exit 1
fi
