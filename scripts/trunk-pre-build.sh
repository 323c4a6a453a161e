#!/usr/bin/env bash
# trunk pre_build hook: run the same cargo build trunk is about to run, so build.rs has written
# the stylers CSS (target/stylers/stylers.css) before trunk's CSS pipeline copies it. Trunk's own
# cargo build is then a no-op.
set -euo pipefail
# Release: the size profile and the split points (index.html data-cargo-features, src/chunks.rs).
profile=(--profile wasm-release --features split)
if [ "${TRUNK_PROFILE:-release}" = "debug" ]; then profile=(); fi
cargo build --target wasm32-unknown-unknown --bin serving-console-app "${profile[@]}"
test -s target/stylers/stylers.css
