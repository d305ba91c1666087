#!/usr/bin/env bash
# Runs a command with an unlocked gnome-keyring (Secret Service) on the current (private) D-Bus session.
# Use inside `dbus-run-session -- bash tests/with-keyring.sh <command…>`. The keyring lives in a fresh
# XDG_DATA_HOME with a throwaway password, so nothing touches the user's real keyring.
set -euo pipefail
export XDG_DATA_HOME="${XDG_DATA_HOME_OVERRIDE:-$(mktemp -d)}"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf 'entra-desk-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
exec "$@"
