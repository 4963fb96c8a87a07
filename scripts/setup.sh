#!/usr/bin/env bash
# Installs every tool that building and testing Shiftbook needs, on a fresh
# Debian 12 machine with only rustup (CI runs this as root, without stdin).
#
# Idempotent: each tool's installed version is checked first, so a second run
# prints nothing and takes about a second. Any failure stops the script with
# the failing step's log.
#
# Everything comes from Debian's apt, crates.io or the npm registry; nothing
# downloads a prebuilt binary from anywhere else: wasm-bindgen-cli at the
# version in Cargo.lock and wasm-split-cli from crates.io, wasm-opt from
# binaryen's own npm package (scripts/build-app.sh uses exactly these).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

WASM_SPLIT_VERSION=0.2.4     # wasm_split_cli_support, the splitter Leptos's own tooling uses.
BINARYEN_NPM=116.0.0         # binaryen 116. Debian's binaryen 108 breaks the wasm: never use it.
WASM_OPT_BINARYEN=116
WASM_TARGET=wasm32-unknown-unknown

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive

say() { echo "setup: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# Runs a command with its output in a log; prints the log's tail if it fails.
LOG_DIR=$(mktemp -d)
trap 'rm -rf "$LOG_DIR"' EXIT
step() {
    local name=$1; shift
    local log
    log="$LOG_DIR/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_').log"
    local start=$SECONDS
    say "$name ..."
    if ! "$@" >"$log" 2>&1; then
        tail -n 60 "$log" >&2
        die "$name failed (command: $*)"
    fi
    say "$name done in $((SECONDS - start))s"
}

# The version of a package in Cargo.lock (first match).
lock_version() {
    awk -v pkg="$1" '
        $0 == "name = \"" pkg "\"" { found = 1; next }
        found && /^version = / { gsub(/"/, "", $3); print $3; exit }
    ' "$ROOT/Cargo.lock"
}

# ---------------------------------------------------------------- apt packages
SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "not root and no sudo: cannot install apt packages"
    SUDO="sudo -n"
fi

apt_missing=()
command -v chromium >/dev/null || apt_missing+=(chromium)
command -v chromedriver >/dev/null || apt_missing+=(chromium-driver)
# A CJK font so that screenshots of the (Chinese) UI show text, not boxes.
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || apt_missing+=(fonts-wqy-microhei)
command -v node >/dev/null || apt_missing+=(nodejs)
command -v npm >/dev/null || apt_missing+=(npm)
# The app's files are built with brotli siblings (scripts/precompress.sh).
command -v brotli >/dev/null || apt_missing+=(brotli)
# Compilers for native crates (SQLite's bundled C build, among others).
command -v c++ >/dev/null || apt_missing+=(g++)
command -v make >/dev/null || apt_missing+=(make)
# The tests crate's fantoccini uses native-tls (openssl-sys) by default.
command -v pkg-config >/dev/null || apt_missing+=(pkg-config)
[ -f /usr/include/openssl/ssl.h ] || apt_missing+=(libssl-dev)

if [ ${#apt_missing[@]} -gt 0 ]; then
    step "apt-get update" $SUDO apt-get update -q
    step "apt-get install ${apt_missing[*]}" \
        $SUDO apt-get install -y -q --no-install-recommends "${apt_missing[@]}"
fi

# ------------------------------------------------------------------ rust bits
command -v rustup >/dev/null || die "rustup not found; install the Rust toolchain first"
rustup target list --installed | grep -qx "$WASM_TARGET" ||
    step "rustup target add $WASM_TARGET" rustup target add "$WASM_TARGET"
cargo fmt --version >/dev/null 2>&1 || step "rustup component add rustfmt" rustup component add rustfmt
cargo clippy --version >/dev/null 2>&1 || step "rustup component add clippy" rustup component add clippy

# wasm-split-cli cuts the app's wasm at its split points (about a minute to
# compile; its own Cargo.lock builds with our rustc).
have=$(cargo install --list 2>/dev/null | awk '$1 == "wasm_split_cli_support" { sub(/^v/, "", $2); sub(/:$/, "", $2); print $2 }')
if [ "$have" != "$WASM_SPLIT_VERSION" ] || ! command -v wasm-split-cli >/dev/null; then
    step "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (was: ${have:-none})" \
        cargo install --locked --force wasm_split_cli_support --version "=$WASM_SPLIT_VERSION" --features build-binary
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
# (--locked does not build with our rustc; without it cargo picks compatible deps.)
WASM_BINDGEN_VERSION=$(lock_version wasm-bindgen)
[ -n "$WASM_BINDGEN_VERSION" ] || die "wasm-bindgen not found in Cargo.lock"
# "wasm-bindgen 0.2.130"
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$WASM_BINDGEN_VERSION" ]; then
    step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (was: ${have:-none})" \
        cargo install --force wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# "wasm-opt version 116 (version_116)"
have=$(wasm-opt --version 2>/dev/null | awk '{print $3}' || true)
# binaryen's npm package is wasm-opt compiled to wasm, run by node: its
# output is byte-identical to the native binaryen 116 (checked on the app's
# wasm with -Oz), it is about 2.5 times slower per run (51 s against 21 s
# for the app), and it installs in seconds instead of the 8.5 minutes the
# `wasm-opt` crate took to compile binaryen's C++. It lives outside any
# clone; cargo's bin directory (on PATH for scripts/build-app.sh) links to it.
if [ "$have" != "$WASM_OPT_BINARYEN" ]; then
    BINARYEN_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/shiftbook/binaryen-$BINARYEN_NPM"
    step "npm install binaryen@$BINARYEN_NPM (was: binaryen ${have:-none})" \
        npm install --prefix "$BINARYEN_DIR" --no-audit --no-fund --no-save "binaryen@$BINARYEN_NPM"
    mkdir -p "${CARGO_HOME:-$HOME/.cargo}/bin"
    ln -sf "$BINARYEN_DIR/node_modules/binaryen/bin/wasm-opt" "${CARGO_HOME:-$HOME/.cargo}/bin/wasm-opt"
    have=$(wasm-opt --version 2>/dev/null | awk '{print $3}' || true)
    [ "$have" = "$WASM_OPT_BINARYEN" ] || die "wasm-opt from npm says binaryen ${have:-nothing}, not $WASM_OPT_BINARYEN"
fi
# build-app.sh runs the wasm-opt on PATH; make sure it is ours, not a Debian one.
[ "$(command -v wasm-opt)" = "${CARGO_HOME:-$HOME/.cargo}/bin/wasm-opt" ] ||
    die "wasm-opt on PATH is $(command -v wasm-opt), expected ${CARGO_HOME:-$HOME/.cargo}/bin/wasm-opt; remove Debian's binaryen"

# ------------------------------------------------------- npm (JS interop test)
JS=tests/js-interop
if [ -f "$JS/package-lock.json" ]; then
    if [ ! -f "$JS/node_modules/.package-lock.json" ] ||
        [ "$JS/package-lock.json" -nt "$JS/node_modules/.package-lock.json" ]; then
        step "npm ci ($JS)" npm ci --prefix "$JS" --no-audit --no-fund
    fi
fi
