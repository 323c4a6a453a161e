#!/usr/bin/env bash
# Installs what the project needs and is missing; nothing else. Idempotent; fast when all is there.
# Versions are pinned here and in Cargo.lock / e2e/package-lock.json (all verified together).
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14           # 0.22.x needs a newer rustc than rust-toolchain.toml pins
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen in Cargo.lock
WASM_PACK_VERSION=0.15.1
WASM_SPLIT_VERSION=0.2.4        # wasm_split_cli_support (binary wasm-split-cli)
BINARYEN_VERSION=132.0.0       # npm binaryen; Debian's binaryen 108 corrupts trunk's output
TOOLS_DIR="$PWD/.tools"

export PATH="$HOME/.cargo/bin:$TOOLS_DIR/node_modules/.bin:$PATH"
log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# 1. Debian packages: Chromium + ChromeDriver (browser tests), brotli (size figures, precompression),
#    nginx with brotli_static and openssl (hosting tests).
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v brotli >/dev/null || need_apt+=(brotli)
command -v nginx >/dev/null || need_apt+=(nginx-light)
# brotli_static for deploy/nginx.conf (precompressed .br files; gzip_static is built in).
[ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || need_apt+=(libnginx-mod-http-brotli-static)
# njs for deploy/nginx.conf's response-header allow-list (js_header_filter).
[ -e /usr/lib/nginx/modules/ngx_http_js_module.so ] || need_apt+=(libnginx-mod-http-js)
command -v openssl >/dev/null || need_apt+=(openssl)
command -v curl >/dev/null || need_apt+=(curl)
# Python 3 with venv/pip for the conformance test's official clients (section 5).
if ! command -v python3 >/dev/null; then
  need_apt+=(python3 python3-venv)
elif ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  need_apt+=(python3-venv)
fi
if ((${#need_apt[@]})); then
  log "apt-get install ${need_apt[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# 2. Rust toolchain pieces (rust-toolchain.toml pins the compiler).
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

for comp in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$comp"; then
    log "rustup component add $comp"
    rustup component add "$comp"
  fi
done

have_version() { command -v "$1" >/dev/null && "$1" --version 2>/dev/null | grep -q "$2"; }
if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # without --locked: its own lockfile wants a webpki-roots version the crate registry lacks
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if ! have_version trunk "$TRUNK_VERSION"; then
  log "cargo install trunk $TRUNK_VERSION (slow, ~8 min, once)"
  cargo install -q trunk --version "$TRUNK_VERSION" --locked --force
fi
# wasm-split-cli: moves the lazily loaded parts of the console into their own wasm files
# (src/chunks.rs, scripts/split-wasm.mjs). Its version must speak the split-point ABI of the
# wasm_split_helpers in Cargo.lock (0.2.x).
# (it has no --version flag: ask cargo what it installed)
if ! { command -v wasm-split-cli >/dev/null &&
       cargo install --list | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:"; }; then
  log "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (wasm-split-cli)"
  cargo install -q wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force
fi
if ! have_version wasm-pack "$WASM_PACK_VERSION"; then
  log "cargo install wasm-pack $WASM_PACK_VERSION"
  cargo install -q wasm-pack --version "$WASM_PACK_VERSION" --locked --force
fi

# 3. wasm-opt from npm's binaryen, linked onto PATH for trunk.
if ! have_version wasm-opt "version 132"; then
  log "npm binaryen@$BINARYEN_VERSION"
  mkdir -p "$TOOLS_DIR"
  (cd "$TOOLS_DIR" && [ -f package.json ] || echo '{"private":true}' > "$TOOLS_DIR/package.json")
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR" "binaryen@$BINARYEN_VERSION"
  ln -sf "$TOOLS_DIR/node_modules/.bin/wasm-opt" "$HOME/.cargo/bin/wasm-opt"
fi

# 4. End-to-end test dependencies (pinned by e2e/package-lock.json).
if [ -f e2e/package-lock.json ]; then
  if [ ! -d e2e/node_modules ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
    log "npm ci in e2e/"
    (cd e2e && npm ci --silent --no-audit --no-fund)
  fi
fi
# 5. The official Python clients the emulator is tested against (conformance/requirements.txt,
#    exact pins) in .venv/; reinstalled only when that file changed since the last install.
VENV="$PWD/.venv"
if ! cmp -s conformance/requirements.txt "$VENV/requirements.installed"; then
  log "python3 -m venv .venv && pip install -r conformance/requirements.txt"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    -r conformance/requirements.txt
  cp conformance/requirements.txt "$VENV/requirements.installed"
fi
log "ok"
