# Shiftbook 值班簿
#   make run   build everything and serve the app + sync server on 127.0.0.1:8080
#   make test  everything CI checks (.ci/run calls it)
# Both start with scripts/setup.sh, which installs what is missing and is
# silent otherwise.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)

# cargo's target dir, respecting CARGO_TARGET_DIR when set.
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)

.PHONY: run test

run:
	scripts/setup.sh
	scripts/build-app.sh
	cargo build --release -p sync-server
	$(TARGET_DIR)/release/sync-server serve --addr 127.0.0.1:8080 --data ./data --app app/dist --demo

# The tests crate's browser, end-to-end and JS-interop tests need app/dist,
# the sync-server binary and Chromium, so those are built first. The app's
# wasm build ends in one long single-threaded step (LTO into one codegen
# unit), so the native server and test binaries compile beside it on the
# other core; its output is shown when it is done, and a failure of either
# fails the run.
test:
	scripts/setup.sh
	time cargo fmt --all -- --check
	time cargo clippy --workspace --exclude shiftbook-app --all-targets -- -D warnings
	time cargo clippy -p shiftbook-app --target wasm32-unknown-unknown --all-targets -- -D warnings
	app_log=$$(mktemp); \
	{ time scripts/build-app.sh; } > "$$app_log" 2>&1 & app=$$!; \
	trap 'kill $$app 2>/dev/null || true; rm -f "$$app_log"' EXIT; \
	time cargo build -p sync-server; \
	time cargo test --workspace --no-run; \
	status=0; wait $$app || status=$$?; \
	echo "--- scripts/build-app.sh"; cat "$$app_log"; \
	exit $$status
	scripts/size-report.sh
	time cargo test --workspace
