#!/usr/bin/env bash
# End-to-end tests of the Paved Road extension in a real VS Code workbench (code-server 4.139,
# VS Code 1.139) driven by Playwright with Debian's headless chromium. See test/e2e/README.md.
#
#   bash test/e2e/run.sh                 every scenario, extension built and installed as a VSIX
#   bash test/e2e/run.sh -s editing      one scenario
#   bash test/e2e/run.sh -m dev          load the extension from the repo (extensionDevelopmentPath)
#   bash test/e2e/run.sh -t 120          per-scenario time limit in seconds (default 240)
#   bash test/e2e/run.sh -k              keep the throwaway $RUN_TMP for inspection
#
# Environment: E2E_SKIP_BUILD=1 reuses dist/ as it is; E2E_VSIX=<file> installs that VSIX instead of
# dist/paved-road.vsix; E2E_EXT_PATH=<dir> is the folder loaded in dev mode (default: the repo);
# E2E_CLI=<file> replaces dist/cli.js as the source of expected problems (for work on the harness).
#
# Everything runs from a throwaway folder /tmp/paved-road-e2e.XXXXXX that is removed at the end.
# code-server runs in its own session/process group and is stopped with the whole group. Only
# processes started here are ever signalled, by PID or process group, never by name.
# The last line printed is "N passed, N failed" (one count per scenario step); the exit code is
# non-zero when anything failed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E="$ROOT/test/e2e"
MODE=vsix
ONLY=
SCENARIO_TIMEOUT=240
KEEP=0

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }
while getopts "m:s:t:kh" opt; do
  case $opt in
    m) MODE=$OPTARG ;;
    s) ONLY=$OPTARG ;;
    t) SCENARIO_TIMEOUT=$OPTARG ;;
    k) KEEP=1 ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
case $MODE in vsix|dev) ;; *) echo "unknown mode '$MODE' (expected vsix or dev)" >&2; exit 2 ;; esac
[[ $SCENARIO_TIMEOUT =~ ^[0-9]+$ ]] && ((SCENARIO_TIMEOUT >= 10)) || { echo "-t needs a number of seconds >= 10" >&2; exit 2; }

log() { printf '[e2e] %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

NODE24_BIN=${E2E_NODE24_DIR:-/opt/node24}/node_modules/node/bin
CODE_SERVER_JS=${E2E_CODE_SERVER_DIR:-/opt/code-server}/node_modules/code-server/out/node/entry.js

# --- scenarios --------------------------------------------------------------------------------
mapfile -t ALL_SCENARIOS < <(cd "$E2E/scenarios" && ls -1 ./*.ts 2>/dev/null | sed 's|^\./||; s|\.ts$||' | sort)
if [[ -n $ONLY ]]; then
  found=0
  for s in "${ALL_SCENARIOS[@]}"; do [[ $s == "$ONLY" ]] && found=1; done
  ((found)) || { echo "no scenario '$ONLY' (have: ${ALL_SCENARIOS[*]})" >&2; exit 2; }
  SCENARIOS=("$ONLY")
else
  SCENARIOS=("${ALL_SCENARIOS[@]}")
fi

# --- cleanup ----------------------------------------------------------------------------------
RUN_TMP=
TOTAL_PASS=0
TOTAL_FAIL=0
CS_PGID=
DRIVER_PGID=
stop_group() { # $1 = process group id; TERM, then KILL after 10 s
  local pg=$1 i
  [[ -n $pg ]] || return 0
  kill -TERM -- "-$pg" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 -- "-$pg" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pg" 2>/dev/null || true
}
kill_leftovers() { # last resort: whatever still names our unique temp dir on its command line, by PID
  [[ -n $RUN_TMP && -d /proc ]] || return 0
  local p cmd
  for p in /proc/[0-9]*; do
    [[ ${p#/proc/} == "$$" ]] && continue
    cmd=$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
    if [[ $cmd == *"$RUN_TMP/"* ]]; then kill -KILL "${p#/proc/}" 2>/dev/null || true; fi
  done
}
stop_scenario_processes() {
  stop_group "$DRIVER_PGID"; DRIVER_PGID=
  stop_group "$CS_PGID"; CS_PGID=
  kill_leftovers
}
CLEANED=0
cleanup() {
  ((CLEANED)) && return 0
  CLEANED=1
  stop_scenario_processes
  if [[ -n $RUN_TMP && -d $RUN_TMP ]]; then
    if ((KEEP)); then log "kept $RUN_TMP"; else rm -rf "$RUN_TMP"; fi
  fi
}
on_signal() {
  log "interrupted ($1), stopping"
  cleanup
  trap - EXIT
  echo "$TOTAL_PASS passed, $((TOTAL_FAIL + 1)) failed"
  exit 130
}
trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM

# --- setup and build --------------------------------------------------------------------------
T0=$(now)
bash "$ROOT/scripts/e2e-setup.sh" || { log "setup failed"; echo "0 passed, 1 failed"; exit 1; }
log "setup ok ($(since "$T0") s)"

cd "$ROOT"
RUN_TMP=$(mktemp -d /tmp/paved-road-e2e.XXXXXX)
BUILD_LOG="$E2E/artifacts/build.log"
mkdir -p "$E2E/artifacts"
VSIX=${E2E_VSIX:-$ROOT/dist/paved-road.vsix}
EXT_PATH=${E2E_EXT_PATH:-$ROOT}
if [[ ${E2E_SKIP_BUILD:-0} != 1 ]]; then
  T1=$(now)
  if [[ $MODE == vsix && -z ${E2E_VSIX:-} ]]; then
    log "building the VSIX: npm run package"
    rm -f "$ROOT/dist/paved-road.vsix"
    if ! timeout -k 10 600 npm run --silent package >"$BUILD_LOG" 2>&1; then
      tail -40 "$BUILD_LOG" >&2
      log "npm run package failed (full log: $BUILD_LOG)"
      echo "0 passed, 1 failed"; exit 1
    fi
  else
    log "building: npm run build"
    if ! timeout -k 10 300 npm run --silent build >"$BUILD_LOG" 2>&1; then
      tail -40 "$BUILD_LOG" >&2
      log "npm run build failed (full log: $BUILD_LOG)"
      echo "0 passed, 1 failed"; exit 1
    fi
  fi
  log "build ok ($(since "$T1") s)"
fi
if [[ $MODE == vsix && ! -f $VSIX ]]; then log "no VSIX at $VSIX"; echo "0 passed, 1 failed"; exit 1; fi

EXT_DIR="$RUN_TMP/extensions"
mkdir -p "$EXT_DIR"

# Environment shared by every code-server invocation: nothing written to $HOME, no network.
cs_env() { # $1 = per-scenario (or install) dir
  local d=$1
  mkdir -p "$d/xdg-config" "$d/xdg-data" "$d/xdg-cache" "$d/tmp"
  printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' >"$d/xdg-config/config.yaml"
  CS_ENV=(env -u VSCODE_IPC_HOOK_CLI -u VSCODE_CLI
    "PATH=$NODE24_BIN:/usr/bin:/bin"
    "HOME=$d/home" "XDG_CONFIG_HOME=$d/xdg-config" "XDG_DATA_HOME=$d/xdg-data" "XDG_CACHE_HOME=$d/xdg-cache"
    "TMPDIR=$d/tmp" "HTTP_PROXY=http://127.0.0.1:9" "HTTPS_PROXY=http://127.0.0.1:9"
    "http_proxy=http://127.0.0.1:9" "https_proxy=http://127.0.0.1:9"
    "NO_PROXY=127.0.0.1,localhost" "no_proxy=127.0.0.1,localhost"
    'EXTENSIONS_GALLERY={"serviceUrl":""}' "VSCODE_TELEMETRY_DISABLED=1")
  mkdir -p "$d/home"
}

if [[ $MODE == vsix ]]; then
  T2=$(now)
  inst="$RUN_TMP/install"
  cs_env "$inst"
  if ! timeout -k 5 120 "${CS_ENV[@]}" "$NODE24_BIN/node" "$CODE_SERVER_JS" \
      --config "$inst/xdg-config/config.yaml" --user-data-dir "$inst/user-data" --extensions-dir "$EXT_DIR" \
      --install-extension "$VSIX" --force >"$inst/install.log" 2>&1; then
    cat "$inst/install.log" >&2
    log "installing $VSIX failed"; echo "0 passed, 1 failed"; exit 1
  fi
  log "installed $(basename "$VSIX") into the throwaway extensions dir ($(since "$T2") s): $(ls "$EXT_DIR" | grep -v '\.json$' | tr '\n' ' ')"
fi

# User settings of every workbench (and of `npm run demo`): test/e2e/settings.json turns off telemetry,
# updates, workspace trust, welcome pages, tips, experiments, AI/chat, the secondary side bar, port
# forwarding, git and online lookups.
write_settings() { cp "$E2E/settings.json" "$1"; }

# Picks a free TCP port on 127.0.0.1 (the kernel's choice).
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

healthz() {
  if command -v curl >/dev/null; then
    curl -sf --max-time 2 -o /dev/null "http://127.0.0.1:$1/healthz"
  else
    node -e 'fetch(process.argv[1],{signal:AbortSignal.timeout(2000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' \
      "http://127.0.0.1:$1/healthz"
  fi
}

run_scenario() { # $1 = scenario name
  local name=$1 sdir="$RUN_TMP/$1" art="$E2E/artifacts/$1" port ts deadline rc pass fail planned
  ts=$(now)
  rm -rf "$art"; mkdir -p "$art"
  cs_env "$sdir"
  mkdir -p "$sdir/user-data/User" "$sdir/workspace" "$sdir/profile"
  write_settings "$sdir/user-data/User/settings.json"
  port=$(free_port)
  local smoke=()
  [[ $MODE == dev ]] && smoke=(--vscode-option enable-smoke-test-driver)

  # code-server in its own session; the wrapper records its PID, which is also the PGID.
  setsid bash -c 'echo $$ >"$0/cs.pid"; exec "$@"' "$sdir" \
    "${CS_ENV[@]}" "$NODE24_BIN/node" "$CODE_SERVER_JS" \
      --config "$sdir/xdg-config/config.yaml" --user-data-dir "$sdir/user-data" --extensions-dir "$EXT_DIR" \
      --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
      --disable-workspace-trust --disable-getting-started-override --disable-proxy --ignore-last-opened \
      "${smoke[@]}" >"$sdir/code-server.log" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 50; i++)); do [[ -s $sdir/cs.pid ]] && break; sleep 0.1; done
  CS_PGID=$(cat "$sdir/cs.pid" 2>/dev/null)

  deadline=$(( $(date +%s) + 60 ))
  until healthz "$port"; do
    if (( $(date +%s) >= deadline )) || ! kill -0 "$CS_PGID" 2>/dev/null; then
      log "$name: code-server did not become healthy on 127.0.0.1:$port"
      cp "$sdir/code-server.log" "$art/" 2>/dev/null
      stop_scenario_processes
      TOTAL_FAIL=$((TOTAL_FAIL + 1)); echo "FAIL $name (code-server did not start)"; return
    fi
    sleep 0.2
  done
  log "$name: code-server healthy on 127.0.0.1:$port ($(since "$ts") s)"

  # The driver: its own process group too, bounded by the scenario time limit (+ grace to save artifacts).
  setsid bash -c 'echo $$ >"$0/driver.pid"; exec "$@"' "$sdir" \
    env TMPDIR="$sdir/tmp" timeout -k 5 $((SCENARIO_TIMEOUT + 30)) node --import tsx "$E2E/driver.ts" \
      --scenario "$name" --port "$port" --run-dir "$sdir" --artifacts "$art" --mode "$MODE" \
      --ext-path "$EXT_PATH" --timeout "$SCENARIO_TIMEOUT" </dev/null &
  local dpid=$!
  for ((i = 0; i < 50; i++)); do [[ -s $sdir/driver.pid ]] && break; sleep 0.1; done
  DRIVER_PGID=$(cat "$sdir/driver.pid" 2>/dev/null)
  wait "$dpid"; rc=$?
  DRIVER_PGID=

  # Count: every planned step without a PASS line is a failure (also when the driver was killed).
  planned=$(grep -c '^STEP ' "$sdir/results.txt" 2>/dev/null); planned=${planned:-0}
  pass=$(grep -c '^PASS ' "$sdir/results.txt" 2>/dev/null); pass=${pass:-0}
  if ((planned == 0)); then fail=1; else fail=$((planned - pass)); fi
  ((rc != 0 && fail == 0)) && fail=1
  TOTAL_PASS=$((TOTAL_PASS + pass)); TOTAL_FAIL=$((TOTAL_FAIL + fail))

  stop_scenario_processes
  if ((fail)); then
    # Logs for the post-mortem: the server's logs dir (exthost, remote agent, the extension's output channels).
    cp "$sdir/code-server.log" "$art/" 2>/dev/null
    [[ -d $sdir/user-data/logs ]] && cp -r "$sdir/user-data/logs" "$art/logs"
    local ch
    ch=$(find "$sdir/user-data/logs" -type f -name 'Paved Road.log' 2>/dev/null | head -1)
    if [[ -n $ch ]]; then
      cp "$ch" "$art/paved-road-output.log"
      [[ -s $art/paved-road-output.log ]] ||
        echo "(the \"Paved Road\" output channel had no lines; the extension host's log is logs/*/exthost1/remoteexthost.log)" >"$art/paved-road-output.log"
    else
      echo "(no \"Paved Road\" output channel was written: did the extension activate? see logs/*/exthost1/remoteexthost.log)" >"$art/paved-road-output.log"
    fi
    log "$name: artifacts in ${art#"$ROOT"/}"
  fi
  log "$name: $pass passed, $fail failed, exit $rc ($(since "$ts") s)"
}

for s in "${SCENARIOS[@]}"; do
  run_scenario "$s"
done

log "total $(since "$T0") s"
echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"
((TOTAL_FAIL == 0))
