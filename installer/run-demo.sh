#!/usr/bin/env bash
# Builds Cairn (Release, Ninja) and launches it on the embedded demo environment.
# With no display, says so and renders the main window to a PNG instead.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${CAIRN_BUILD_DIR:-$src/build}

"$src/installer/deps.sh" build
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target cairn cairn-cli

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != offscreen ]; then
    png="$src/cairn-demo.png"
    echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset): rendering the main window to $png instead."
    QT_QPA_PLATFORM=offscreen "$build/bin/cairn" --screenshot "$png" "$@"
    echo "Wrote $png"
    exit 0
fi
exec "$build/bin/cairn" "$@"
