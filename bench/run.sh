#!/usr/bin/env bash
# Run the load scenarios against our sync server and the automerge-repo
# reference server (Node), one table per scenario with a column for each,
# headed by the date and the machine, ready to paste into README.md.
#
#   bench/run.sh            the full sizes (about 30 minutes on 2 cores)
#   bench/run.sh --quick    small sizes, to try the script (about 2 minutes)
#
# Each run is bounded (--timeout-s below, or TIMEOUT_S for all); a server
# that does not finish in time gets a "did not finish within … s" line and
# its figures so far. LOADGEN_ARGS adds options to every loadgen call.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

quick=false
if [[ "${1:-}" == "--quick" ]]; then quick=true; fi
target_dir="${CARGO_TARGET_DIR:-target}"

echo "building (release) …" >&2
cargo build --release -p sync-server -p shiftbook-bench >&2
if [[ ! -d bench/reference-server/node_modules ]]; then
  echo "installing the reference server (npm ci) …" >&2
  (cd bench/reference-server && npm ci --no-audit --no-fund >&2)
fi

# Every simulated tablet connects from 127.0.0.1: lift our server's limit
# on connections per address (as behind a reverse proxy).
loadgen=("$target_dir/release/loadgen" --target ours --target node
  --server-bin "$target_dir/release/sync-server"
  --server-arg=--max-connections-per-address --server-arg=0)
# shellcheck disable=SC2206 # word splitting is the point
extra=(${LOADGEN_ARGS:-} ${TIMEOUT_S:+--timeout-s "$TIMEOUT_S"})

# A run that times out, loses or refuses something exits 2: keep going,
# the table says what happened.
run() {
  echo "\$ loadgen ${*}" >&2
  echo "\`loadgen --target ours --target node $*\`"
  echo
  "${loadgen[@]}" "$@" "${extra[@]}" || [[ $? == 2 ]]
  echo
}

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "## Load figures, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}, $(free -g | awk '/^Mem:/ {print $2}') GiB," \
  "Linux $(uname -r); node $(node --version); server code at $(git log -1 --format=%h -- sync-server model)."
echo "The load generator runs on the same machine (its CPU time is in each table)."
echo

if $quick; then
  run --timeout-s 120 burst --tablets 20 --sites 4 --docs 5 --changes 3 --pace-ms 500 --settle-s 2
  run --timeout-s 120 burst --tablets 100 --sites 20 --docs 5 --changes 100 --pace-ms 10000 --duration-s 20 --settle-s 2
  run --timeout-s 120 reconnect --docs 10 --changes 250
else
  # 100 tablets, 5 a site; 100 changes each at one every 2 s (≈ 200 s).
  # Idle memory is read 130 s after the load: the documents have left
  # memory (unloaded after 120 s untouched) while the tablets stay connected.
  run --timeout-s 900 burst --tablets 100 --sites 20 --docs 5 --changes 20 --pace-ms 2000 --settle-s 130
  # 100 tablets each with 5 documents of its own (no other tablet to relay
  # to): the server's cost of a change itself.
  run --timeout-s 600 burst --tablets 100 --sites 100 --docs 5 --changes 20 --pace-ms 500
  # The morning at 50 sites of 20 tablets; then a change every 10 s for a minute.
  run --timeout-s 600 burst --tablets 1000 --sites 50 --docs 5 --changes 100 --pace-ms 10000 --duration-s 60
  run --timeout-s 300 reconnect --docs 60 --changes 1500
fi
