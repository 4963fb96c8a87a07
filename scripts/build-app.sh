#!/usr/bin/env bash
# Builds the browser app into app/dist:
#
#   1. cargo builds the app for wasm32 with the workspace's `wasm-release`
#      size profile (and --emit-relocs, .cargo/config.toml);
#   2. wasm-split cuts the wasm at the app's split points
#      (app/src/shell/split_points.rs): the main module, which is all a
#      tablet needs to start, and the pieces fetched when a screen that
#      lives in one is first opened, with the loader (`__wasm_split.js`);
#   3. wasm-bindgen writes the main module's JS glue; wasm-opt -Oz shrinks
#      the main module and every piece;
#   4. every JS, wasm and CSS file is named with its content hash
#      (`name-<16 hex>.ext`, which the server caches as immutable), the
#      references between them rewritten to match; index.html gets the
#      stylesheet, the module, the preloads and the start script;
#   5. scripts/sw-precache.sh writes the service worker's precache list (all
#      pieces included, so every screen opens offline) and
#      scripts/precompress.sh the .br/.gz siblings the server sends.
#
# The tools are the ones scripts/setup.sh installed (wasm-bindgen at the
# version in Cargo.lock, wasm-split-cli, binaryen's npm wasm-opt); this
# script never downloads anything. It builds in a temporary directory and
# replaces app/dist only when everything succeeded.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

die() { echo "build-app: $*" >&2; exit 1; }

for tool in wasm-split-cli wasm-bindgen wasm-opt brotli gzip sha256sum; do
    command -v "$tool" >/dev/null || die "$tool not found; run scripts/setup.sh"
done
want=$(awk '$0 == "name = \"wasm-bindgen\"" { found = 1; next }
    found && /^version = / { gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
have=$(wasm-bindgen --version | awk '{print $2}')
[[ $have == "$want" ]] || die "wasm-bindgen $have, but Cargo.lock has $want; run scripts/setup.sh"

target_dir=${CARGO_TARGET_DIR:-target}
[[ $target_dir == /* ]] || target_dir=$ROOT/$target_dir

cargo build --quiet -p shiftbook-app --target wasm32-unknown-unknown --profile wasm-release
wasm=$target_dir/wasm32-unknown-unknown/wasm-release/shiftbook-app.wasm

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage=$work/dist
mkdir -p "$stage"

# Content hash of files, as the file names carry it.
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

# 2. Split.
wasm-split-cli "$wasm" "$work/split" --target web --out-name shiftbook-app >/dev/null
loader=$work/split/__wasm_split.js

# 3. Glue and size. The pieces share the main module's memory and function
# table, so the table stays exported (--keep-lld-exports); the name section
# goes (wasm-opt would trip over the split module's data-segment names, and
# the browser does not need it).
wasm-bindgen --target web --no-typescript --keep-lld-exports --remove-name-section --remove-producers-section \
    --out-dir "$work/bindgen" "$work/split/shiftbook-app.wasm"
opt() {
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-reference-types "$1" -o "$2"
}
export -f opt
# The main module and every piece, as many at a time as there are cores
# (a third of the build's time otherwise). wasm-opt does not know the
# split pieces' name subsections; its warnings about them are left out.
mkdir -p "$work/opt"
{
    printf '%s %s\n' "$work/bindgen/shiftbook-app_bg.wasm" "$work/main.wasm"
    for piece in "$work"/split/*.wasm; do
        stem=$(basename "$piece" .wasm)
        [[ $stem == shiftbook-app ]] && continue
        [[ $stem =~ ^[a-z0-9_]+$ ]] || die "unexpected piece name $stem"
        printf '%s %s\n' "$piece" "$work/opt/$stem.wasm"
    done
} | xargs -P "$(nproc)" -n 2 bash -c 'opt "$0" "$1"' \
    2> >(grep -v -e 'unknown name subsection' -e 'out of bounds in name section' >&2 || true)

# 4. Hashed names. Pieces first: the loader names them.
pieces=0
for piece in "$work"/opt/*.wasm; do
    stem=$(basename "$piece" .wasm)
    h=$(hash_of "$piece")
    mv "$piece" "$stage/$stem-$h.wasm"
    sed -i "s|\"\./$stem\.wasm\"|\"./$stem-$h.wasm\"|g" "$loader"
    pieces=$((pieces + 1))
done
js=$work/bindgen/shiftbook-app.js
# The module, its wasm and the loader import each other: one hash for the three.
h=$(hash_of "$work/main.wasm" "$js" "$loader")
app=shiftbook-app-$h
sed -i "s|\"\./shiftbook-app\.js\"|\"./$app.js\"|g" "$loader"
# Only the import statements: the wasm's own import module keeps its name.
sed -i -E -e "s|^(import .* from )\"\./__wasm_split\.js\"|\1\"./__wasm_split-$h.js\"|" \
    -e "s|'shiftbook-app_bg\.wasm'|'${app}_bg.wasm'|g" "$js"
mv "$loader" "$stage/__wasm_split-$h.js"
mv "$js" "$stage/$app.js"
mv "$work/main.wasm" "$stage/${app}_bg.wasm"
grep -q "^import .* from \"\./__wasm_split-$h\.js\"" "$stage/$app.js" ||
    die "the module does not import the split loader"

# The tablets get the style sheet without its comments: they are for whoever
# edits it (about 1.1 KB of the start bundle's brotli bytes).
perl -0777 -pe 's{/\*.*?\*/}{}gs; s/\n\s*\n+/\n/g' style/app.css > "$work/app.css"
css=app-$(hash_of "$work/app.css").css
cp "$work/app.css" "$stage/$css"
cp -r app/public/. "$stage/"

# index.html: the marker line becomes what loads the app.
head=$(cat <<EOF
  <link rel="stylesheet" href="/$css">
  <link rel="modulepreload" href="/$app.js">
  <link rel="modulepreload" href="/__wasm_split-$h.js">
  <link rel="preload" href="/${app}_bg.wasm" as="fetch" type="application/wasm" crossorigin="anonymous">
  <script type="module">
    import init from "/$app.js";
    await init({ module_or_path: "/${app}_bg.wasm" });
    dispatchEvent(new Event("shiftbook-app-started"));
  </script>
EOF
)
grep -c '<!-- @app -->' app/index.html | grep -qx 1 || die "app/index.html needs exactly one <!-- @app --> line"
printf '%s\n' "$head" > "$work/head.html"
sed -e "/<!-- @app -->/{r $work/head.html" -e 'd}' app/index.html > "$stage/index.html"

# 5. Precache list, then the compressed siblings (of sw.js as rewritten).
scripts/sw-precache.sh "$stage"
scripts/precompress.sh "$stage"

rm -rf app/dist.old
[[ -d app/dist ]] && mv app/dist app/dist.old
mv "$stage" app/dist
rm -rf app/dist.old
echo "build-app: app/dist: $app, $pieces pieces" >&2
