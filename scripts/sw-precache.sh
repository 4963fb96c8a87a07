#!/usr/bin/env bash
# trunk post_build hook (see app/Trunk.toml): writes the list of files trunk
# emitted (index.html, hashed .js/.wasm/.css, manifest, icons) and a build id
# into the staged sw.js, and the same list into precache.json.
#
# The build id is a hash of all shell files, so any change to the app makes
# sw.js differ byte-wise: browsers then install the new worker, which
# precaches the new shell and deletes the old cache.
set -euo pipefail
dir=${TRUNK_STAGING_DIR:?must run as a trunk post_build hook (TRUNK_STAGING_DIR unset)}
base=${TRUNK_PUBLIC_URL:-/}
case "$base" in */) ;; *) base="$base/" ;; esac
cd "$dir"

[ -f sw.js ] || { echo "sw-precache: $dir/sw.js missing (app/public not copied?)" >&2; exit 1; }
[ -f index.html ] || { echo "sw-precache: $dir/index.html missing" >&2; exit 1; }

files=()
while IFS= read -r f; do
    f=${f#./}
    case "$f" in
        sw.js | precache.json | *.map) continue ;;
    esac
    [[ "$f" =~ ^[A-Za-z0-9._/-]+$ ]] || { echo "sw-precache: unexpected file name '$f'" >&2; exit 1; }
    files+=("$f")
done < <(find . -type f | LC_ALL=C sort)

build=$(sha256sum "${files[@]}" sw.js | sha256sum | cut -c1-16)

list=""
for f in "${files[@]}"; do
    list+="${list:+, }\"$base$f\""
done

sed -i -E \
    -e "s|^const BUILD = .*// @build.*$|const BUILD = \"$build\"; // @build|" \
    -e "s|^const PRECACHE = .*// @precache.*$|const PRECACHE = [$list]; // @precache|" \
    sw.js
grep -q "^const BUILD = \"$build\"" sw.js && grep -q "^const PRECACHE = \[\"" sw.js ||
    { echo "sw-precache: could not rewrite the markers in sw.js" >&2; exit 1; }

printf '{"build": "%s", "files": [%s]}\n' "$build" "$list" > precache.json
echo "sw-precache: build $build, ${#files[@]} files precached" >&2
