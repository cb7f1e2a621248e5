#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end tests need, from Debian apt and the npm registry only:
#   - chromium (Debian's build; Playwright never downloads a browser here), libkrb5-dev, build tools
#   - Node 24 from the npm package node@24, in /opt/node24 (the system node stays as it is)
#   - code-server 4.139.1 in /opt/code-server, installed with Node 24 first on PATH
# Idempotent and cached: each step is skipped when its result is already in place, so a second run
# takes well under a second. Override the locations with E2E_NODE24_DIR / E2E_CODE_SERVER_DIR.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE24_DIR=${E2E_NODE24_DIR:-/opt/node24}
CODE_SERVER_DIR=${E2E_CODE_SERVER_DIR:-/opt/code-server}
NODE24_BIN="$NODE24_DIR/node_modules/node/bin"
CODE_SERVER_BIN="$CODE_SERVER_DIR/node_modules/.bin/code-server"
APT_PACKAGES=(chromium libkrb5-dev build-essential python3 fonts-dejavu-core)

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

log() { printf '[e2e-setup] %s\n' "$*" >&2; }
# Runs a command with a time limit so that nothing here can hang for ever.
bounded() { local secs=$1; shift; timeout --kill-after=20 "$secs" "$@"; }

# --- apt -------------------------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  log "apt: installing ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  bounded 300 $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive bounded 900 $SUDO apt-get install -y -q --no-install-recommends "${APT_PACKAGES[@]}"
else
  log "apt: all present"
fi
[[ -x /usr/bin/chromium ]] || { log "error: /usr/bin/chromium is missing after apt"; exit 1; }

# --- Node 24 (own folder) --------------------------------------------------------------------
if [[ -x "$NODE24_BIN/node" ]] && [[ $("$NODE24_BIN/node" -v) == v24.* ]]; then
  log "node24: $("$NODE24_BIN/node" -v) present"
else
  log "node24: installing node@24 into $NODE24_DIR"
  mkdir -p "$NODE24_DIR"
  ( cd "$NODE24_DIR"
    [[ -f package.json ]] || npm init -y >/dev/null
    bounded 300 npm install node@24 )
  [[ $("$NODE24_BIN/node" -v) == v24.* ]] || { log "error: node@24 did not install"; exit 1; }
  log "node24: $("$NODE24_BIN/node" -v)"
fi

# --- code-server (own folder, Node 24 first on PATH for its postinstall) ---------------------
installed_version() {
  local pj="$CODE_SERVER_DIR/node_modules/code-server/package.json"
  [[ -f $pj ]] && "$NODE24_BIN/node" -p "require('$pj').version" 2>/dev/null || true
}
if [[ -x "$CODE_SERVER_BIN" ]] && [[ $(installed_version) == "$CODE_SERVER_VERSION" ]] \
   && [[ -d "$CODE_SERVER_DIR/node_modules/code-server/lib/vscode/node_modules" ]]; then
  log "code-server: $CODE_SERVER_VERSION present"
else
  log "code-server: installing $CODE_SERVER_VERSION into $CODE_SERVER_DIR (about 2 minutes: its postinstall compiles native modules)"
  mkdir -p "$CODE_SERVER_DIR"
  ( cd "$CODE_SERVER_DIR"
    export PATH="$NODE24_BIN:$PATH"
    [[ -f package.json ]] || npm init -y >/dev/null
    bounded 1200 npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" )
  if [[ ! -d "$CODE_SERVER_DIR/node_modules/code-server/lib/vscode/node_modules" ]]; then
    log "error: code-server's postinstall did not run (lib/vscode/node_modules is missing)"
    exit 1
  fi
  log "code-server: $(installed_version) installed"
fi

# --- playwright-core (a devDependency of the repo; never downloads a browser) ----------------
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ ! -f "$ROOT/node_modules/playwright-core/package.json" ]]; then
  log "playwright-core: missing from node_modules, running npm ci in $ROOT"
  ( cd "$ROOT" && bounded 600 npm ci --no-audit --no-fund )
fi
log "ready: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), node $("$NODE24_BIN/node" -v), code-server $(installed_version)"
