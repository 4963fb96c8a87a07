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
# the sync-server binary and Chromium, so those are built first.
test:
	scripts/setup.sh
	time cargo fmt --all -- --check
	time cargo clippy --workspace --exclude shiftbook-app --all-targets -- -D warnings
	time cargo clippy -p shiftbook-app --target wasm32-unknown-unknown --all-targets -- -D warnings
	time scripts/build-app.sh
	scripts/size-report.sh
	time cargo build -p sync-server
	time cargo test --workspace
