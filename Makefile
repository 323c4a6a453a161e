# Serving Console — the two commands of the README are `make run` and `make test`;
# the other targets are the steps they are made of.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/.tools/node_modules/.bin:$(PATH)
ADDR ?= 127.0.0.1:8080
SERVER := target/debug/serving-console

.PHONY: help setup build build-subpath server run test test-native test-wasm test-e2e test-conformance lint fmt size bench bench-logs bench-schema screenshots clean

help:
	@echo "make run    set up if needed, build, and serve the console with the emulator on http://$(ADDR)/"
	@echo "make test   set up if needed and run every test layer (lint, native, wasm browser, end-to-end)"

setup:
	@bash scripts/setup.sh

## The console, built by trunk (release, size profile) into dist/. Hosting under a sub-path:
## `make build BASE=/console/` (DIST=dir to build elsewhere).
BASE ?= /
DIST ?= dist
build: setup
	mkdir -p target && flock target/.trunk.lock trunk build --release --public-url $(BASE) --dist $(DIST)

## The console built for /console/, served through nginx by e2e/hosting.test.mjs.
build-subpath: setup
	$(MAKE) --no-print-directory build BASE=/console/ DIST=target/dist-console

## The server binary (emulator + static files).
server: setup
	cargo build -p serving-console-server


run: build server
	@echo "Serving Console with the emulator (two workspaces, dev and staging): http://$(ADDR)/"
	$(SERVER) demo --workspaces 2 --addr $(ADDR) --dist dist

test: setup lint test-native test-wasm build build-subpath server size test-conformance test-e2e
	@echo "make test: every layer passed"

lint:
	bash scripts/check-standalone.sh
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p serving-console --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo clippy -p serving-console --target wasm32-unknown-unknown --lib --features split -- -D warnings

test-native:
	cargo test --workspace

test-wasm:
	wasm-pack test --headless --chrome --mode no-install

## The official Python clients (databricks-sdk, mlflow-skinny; pinned in conformance/requirements.txt,
## installed into .venv/ by setup) against `serving-console demo`.
test-conformance: server
	PYTHONDONTWRITEBYTECODE=1 .venv/bin/python -m pytest conformance

test-e2e:
	cd e2e && node --test --test-concurrency=1 --test-reporter=spec

## Shipped bytes (raw/gzip/brotli) with the P1 hard gate (350 KiB brotli), counted in Chromium:
## what the browser fetches before the endpoints list shows its first rows (needs dist/: make build).
size: server
	bash scripts/size-report.sh

bench: build server
	cd e2e && node bench/list.mjs
	cd e2e && node bench/permissions-race.mjs --trials 100

## The log viewer with a 200,000-line (~20 MB) server log (BENCHMARKS.md, "Logs").
bench-logs: build server
	cd e2e && node bench/logs.mjs --runs 5

## Keyed row operations, the console's row component against vanilla JS (budgets.md P5; BENCHMARKS.md).
bench-rows: setup
	WASM_BINDGEN_TEST_TIMEOUT=300 wasm-pack test --release --headless --chrome --mode no-install -- --test bench_rows -- --include-ignored --nocapture

bench-schema: build server
	cd e2e && node bench/schema.mjs --mb 10 --runs 5

## README screenshots (light and dark, 1280 × 800) into docs/screenshots/; not part of `make test`.
screenshots: build server
	cd e2e && node screenshots.mjs

fmt:
	cargo fmt --all

clean:
	rm -rf dist target/stylers
