#!/usr/bin/env bash
# The QtKeychain path for real: starts a private D-Bus session (dbus-run-session) with Debian's gnome-keyring as
# the Secret Service, unlocked with a test password, then runs keychain_phases (tests/ui/keychain_phases.cpp) twice — the first process stores a
# source's password through the Data sources dialog and checks it is in no file Cairn writes, the second (a new
# process, as after a restart) reads it back from the keyring. Skips only when the daemon cannot start.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${CAIRN_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
bin=${CAIRN_BIN_DIR:-$src/build/bin}
test_bin=$bin/keychain_phases

if [ ! -x "$test_bin" ]; then
    echo "SKIP: $test_bin is not built (the GUI is off)"
    exit 0
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIP: $tool is not installed (tests/deps.d/connectors.list: dbus, gnome-keyring)"
        exit 0
    fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/run" "$work/config" "$work/data" "$work/cache" "$work/cairn"
chmod 700 "$work/run"

cat >"$work/session.sh" <<'SESSION'
set -euo pipefail
# --unlock reads the password on stdin, creates the login keyring on first use and starts the daemon.
if ! eval "$(printf '%s' 'cairn-test-password' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"; then
    echo "SKIP: gnome-keyring-daemon could not start"
    exit 77
fi
# Wait until the Secret Service answers on the bus.
for _ in $(seq 1 50); do
    if dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
        org.freedesktop.DBus.Peer.Ping >/dev/null 2>&1; then
        break
    fi
    sleep 0.1
done
if ! dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
    org.freedesktop.DBus.Peer.Ping >/dev/null 2>&1; then
    echo "SKIP: the Secret Service (gnome-keyring) does not answer on the session bus"
    exit 77
fi
CAIRN_KEYCHAIN_PHASE=store "$TEST_BIN" -o -,txt
# The item is in the Secret Service itself (not in a QtKeychain fallback file).
if command -v secret-tool >/dev/null; then
    items=$(secret-tool search server cairn 2>&1 || true)
    if ! grep -q 'attribute.user = cairn/prod' <<<"$items"; then
        echo "FAIL: the Secret Service holds no item for cairn/prod"
        exit 1
    fi
    echo "ok - gnome-keyring holds the item cairn/prod (secret-tool search)"
fi
CAIRN_KEYCHAIN_PHASE=read "$TEST_BIN" -o -,txt
SESSION

set +e
env HOME="$work/home" XDG_RUNTIME_DIR="$work/run" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
    XDG_CACHE_HOME="$work/cache" CAIRN_KEYCHAIN_DIR="$work/cairn" TEST_BIN="$test_bin" \
    QT_QPA_PLATFORM=offscreen dbus-run-session -- bash "$work/session.sh" 2>&1 | grep -v "Failed to set fd limit"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -eq 77 ]; then
    exit 0 # skipped, the reason is printed above
fi
if [ "$rc" -ne 0 ]; then
    echo "FAIL: the keychain test failed (exit $rc)"
    exit 1
fi
# The encrypted keyring file exists and does not hold the password in plain text.
if ! ls "$work/data/keyrings/"*.keyring >/dev/null 2>&1; then
    echo "FAIL: no keyring file was written"
    exit 1
fi
if grep -rq 's3cr3t-Pa55-c41rn' "$work/config" "$work/data" "$work/cache" "$work/cairn"; then
    echo "FAIL: the password is in a file in plain text"
    exit 1
fi
echo "ok - password stored in gnome-keyring through QtKeychain, in no file, read back by a new process"
