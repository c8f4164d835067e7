#!/usr/bin/env bash
# Installs the Debian 12 packages Cairn needs. Idempotent and quiet when everything is already there.
# Usage: installer/deps.sh [build|test]   (test = build + what the test suites start: servers, tools)
set -euo pipefail

group=${1:-build}
build_pkgs=(g++ cmake ninja-build pkg-config dpkg-dev file
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6svg6 qt6-svg-dev libgl-dev
    qtkeychain-qt6-dev libeigen3-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev nlohmann-json3-dev fonts-dejavu-core)
test_pkgs=(xauth xvfb sqlite3 python3 binutils)

pkgs=("${build_pkgs[@]}")
[ "$group" = test ] && pkgs+=("${test_pkgs[@]}")
# Extra packages a suite declares in tests/deps.d/*.list (one package per line).
if [ "$group" = test ] && compgen -G "$(dirname "$0")/../tests/deps.d/*.list" >/dev/null; then
    while read -r p; do [ -n "$p" ] && [ "${p#\#}" = "$p" ] && pkgs+=("$p"); done \
        < <(cat "$(dirname "$0")"/../tests/deps.d/*.list)
fi

missing=()
for p in "${pkgs[@]}"; do
    # Debian's kubectl (kubernetes-client) and another package's kubectl (a cloud SDK's) both ship
    # /usr/bin/kubectl and cannot be installed together: where another one is there, the tests use it.
    if [ "$p" = kubernetes-client ]; then
        owner=$(dpkg-query -S /usr/bin/kubectl 2>/dev/null || true)
        [ -n "$owner" ] && [ "${owner%%:*}" != kubernetes-client ] && continue
    fi
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO=sudo; else
        echo "Cairn needs these Debian packages: ${missing[*]} — run this script as root." >&2
        exit 1
    fi
else
    SUDO=
fi
echo "Installing ${#missing[@]} Debian package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
