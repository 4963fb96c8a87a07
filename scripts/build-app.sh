#!/usr/bin/env bash
# Builds the browser app into app/dist: trunk, release, the workspace's
# `wasm-release` size profile, wasm-opt -Oz, then the service-worker precache
# list and brotli/gzip siblings of every file (trunk post_build hook,
# scripts/sw-precache.sh then scripts/precompress.sh).
#
# trunk runs --offline so that it can never download wasm-bindgen or wasm-opt
# itself: the versions scripts/setup.sh installed are the only ones it may
# use, and a mismatch fails the build instead of fetching something.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
TRUNK_TOOLS_WASM_BINDGEN=$(awk '
    $0 == "name = \"wasm-bindgen\"" { found = 1; next }
    found && /^version = / { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)
export TRUNK_TOOLS_WASM_BINDGEN
export TRUNK_TOOLS_WASM_OPT=version_116

# --offline below also applies to cargo, so get the crates first.
cargo fetch --quiet

cd app
trunk build --release --offline "$@"
