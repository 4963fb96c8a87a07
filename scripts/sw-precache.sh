#!/usr/bin/env bash
# scripts/sw-precache.sh DIR (run by scripts/build-app.sh on the staged app):
# writes the list of the app's files (index.html, the hashed .js/.wasm/.css
# including every split piece, manifest, icons) and a build id into DIR/sw.js,
# and the same list into DIR/precache.json.
#
# The build id is a hash of all shell files, so any change to the app makes
# sw.js differ byte-wise: browsers then install the new worker, which
# precaches the new shell and deletes the old cache.
set -euo pipefail
dir=${1:?usage: sw-precache.sh DIR}
base=/
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
