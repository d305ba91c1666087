#!/usr/bin/env bash
# End-to-end run of the real app. Expects to run inside `xvfb-run … dbus-run-session -- bash tests/e2e/run.sh [SCRIPT]`
# (cargo xtask e2e / test / bench do that) with the app built by `npx tauri build --debug --no-bundle`.
# SCRIPT... are the WebdriverIO scripts to run, one after the other, each on a fresh profile (a new app
# and a new practice tenant): tests/e2e/smoke.mjs, tests/e2e/cards.mjs, tests/e2e/bulk.mjs, tests/e2e/journal.mjs and tests/e2e/import.mjs when absent; `cargo xtask
# bench` runs tests/e2e/bench.mjs. Each prints its own E2E-RESULT line; the caller adds them up.
# E2E_OUT, E2E_SCREENSHOTS and ENTRA_DESK_WATCH_INTERVAL_SECS may be set by the caller. Afterwards
# tests/e2e/scan-secrets.mjs looks for tokens in every file the run left (its own E2E-RESULT line).
set -uo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
scripts=("$@")
[ ${#scripts[@]} -eq 0 ] && scripts=(tests/e2e/smoke.mjs tests/e2e/cards.mjs tests/e2e/bulk.mjs tests/e2e/journal.mjs tests/e2e/import.mjs)
export E2E_OUT="${E2E_OUT:-$root/target/e2e}"
export E2E_SCREENSHOTS="${E2E_SCREENSHOTS:-$root/target/e2e-screenshots}"
rm -rf "$E2E_OUT" "$E2E_SCREENSHOTS"
mkdir -p "$E2E_OUT" "$E2E_SCREENSHOTS"

# A fresh profile: no accounts, no keyring entries, no practice state from earlier runs.
scratch="$(mktemp -d)"
fresh_profile() {
  local p="$scratch/profile-$1"
  export HOME="$p/home" XDG_DATA_HOME="$p/data" XDG_CONFIG_HOME="$p/config" XDG_CACHE_HOME="$p/cache"
  mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
}
fresh_profile 0
export XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export NO_AT_BRIDGE=1

# The OS keyring (Secret Service), unlocked with a throwaway password.
eval "$(printf 'entra-desk-e2e' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null; done
  rm -rf "$scratch"
}
trap cleanup EXIT

# Capture desktop notifications on this private bus; dunst draws them on the virtual display.
setsid dbus-monitor "interface='org.freedesktop.Notifications'" >"$E2E_OUT/notifications.log" 2>&1 &
pids+=($!)
if command -v dunst >/dev/null; then
  setsid dunst >"$E2E_OUT/dunst.log" 2>&1 &
  pids+=($!)
fi

# The app opens the sign-in page with xdg-open; here a scripted browser answers (tests/e2e/bin/xdg-open).
export PATH="$root/tests/e2e/bin:$PATH"
export E2E_SIGNIN_UPN="admin@contoso.com"
# A fixed practice-tenant port so the test can act as another admin through the sandbox's admin API,
# and a short poll interval so the test does not wait a minute.
export ENTRA_DESK_PRACTICE_PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
export ENTRA_DESK_WATCH_INTERVAL_SECS="${ENTRA_DESK_WATCH_INTERVAL_SECS:-15}"
# The practice tenant's admin API answers only with this secret (lib.mjs sends it).
ENTRA_DESK_PRACTICE_ADMIN_SECRET="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
export ENTRA_DESK_PRACTICE_ADMIN_SECRET
export RUST_LOG="${RUST_LOG:-info}"

driver="${TAURI_DRIVER:-tauri-driver}"
# E2E_DRIVER_PORT (default 4444; the native WebKit driver takes the next port) lets two checkouts run
# their e2e suites at once without taking each other's driver.
export E2E_DRIVER_PORT="${E2E_DRIVER_PORT:-4444}"
status=0
for i in "${!scripts[@]}"; do
  # Each script starts its own app on a fresh profile, so a practice tenant changed by one script
  # (Start over with 2,000 people, the cards' changes) is not the next one's starting point. The app
  # inherits tauri-driver's environment, so tauri-driver is started again for each.
  [ "$i" -gt 0 ] && fresh_profile "$i"
  setsid "$driver" --port "$E2E_DRIVER_PORT" --native-port "$((E2E_DRIVER_PORT + 1))" >>"$E2E_OUT/tauri-driver.log" 2>&1 &
  driver_pid=$!
  pids+=($driver_pid)
  for _ in $(seq 50); do
    curl -s "http://127.0.0.1:$E2E_DRIVER_PORT/status" >/dev/null 2>&1 && break
    sleep 0.2
  done
  echo "--- ${scripts[$i]}"
  node "${scripts[$i]}" || status=$?
  kill -- "-$driver_pid" 2>/dev/null || kill "$driver_pid" 2>/dev/null
  wait "$driver_pid" 2>/dev/null
done
# No token anywhere the run left files (the profiles' folders and the logs); not after the bench, whose
# 100,000-person copy would only make the scan slow.
if [[ " ${scripts[*]} " != *bench.mjs* ]]; then
  echo "--- tests/e2e/scan-secrets.mjs"
  node tests/e2e/scan-secrets.mjs "$scratch" "$E2E_OUT" || status=$?
fi
if [ $status -ne 0 ]; then
  echo "--- tauri-driver/app log (last 60 lines) ---"; tail -n 60 "$E2E_OUT/tauri-driver.log"
  echo "--- browser log ---"; cat "$E2E_OUT/browser.log" 2>/dev/null
fi
exit $status
